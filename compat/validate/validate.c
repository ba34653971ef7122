/* Instances against schemas: one recursive evaluation over the IR.
 *
 * eval() applies one schema to one instance value.  Errors are recorded where they are found, with
 * the instance's JSON pointer (a stack of segments kept during the walk) and the failing keyword's
 * place in the contract; inside anyOf / oneOf / not / if / contains, where a failure is not an
 * error of the whole, evaluation is speculative: nothing is recorded and the first failure ends
 * the branch.  unevaluatedProperties / unevaluatedItems need to know which members the schema and
 * its valid subschemas looked at: a bit set per instance value is filled only when a schema above
 * asks for it, so validation without those keywords allocates nothing per value.
 *
 * Every run is bounded: steps (schemas applied), depth, and regular expressions (PCRE2's limits
 * and a budget of steps over the run).  A (schema, instance) pair that comes back to itself before
 * the instance moves ($ref: "#" in allOf) would never end: it is an error, not a verdict. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <math.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat/base/decimal.h"
#include "compat/base/limits.h"
#include "compat/base/map.h"
#include "compat/base/text.h"
#include "compat/validate/validate.h"
#include "compat/validate/validate_internal.h"

typedef const ac_oas_schema schema;
typedef const ac_doc_node node;

typedef struct seg {
    const char *key; /* a member name, or NULL for an index */
    size_t len, idx;
} seg;

typedef struct frame {
    schema *s;
    node *x;
} frame;

struct ac_validator {
    const ac_contract *c;
    ac_val_opts o;
    int dialect;
    bool oas; /* an OpenAPI document (nullable, discriminator, direction), not a standalone schema */
    ac_arena *keep; /* parsed enum / const values, compiled patterns' keys: for the validator's life */
    ac_strmap values;   /* IR canonical JSON text (by pointer) -> node */
    ac_strmap patterns; /* pattern text -> pcre2_code (NULL when it did not compile) */
    ac_strmap components; /* component name -> schema (discriminator targets) */
    pcre2_match_context *mctx;
    pcre2_match_data *md;
    size_t re_spent;
    /* one run */
    ac_status *st;
    ac_val_result *out;
    size_t max_errors;
    int spec;  /* > 0: speculative (a branch of anyOf, ...): record nothing, stop at the first failure */
    bool hard; /* could not check: st is set */
    uint64_t steps;
    seg *path;
    size_t npath, cappath;
    frame *frames;
    size_t nframes, capframes;
    const ac_oas_schema **scope; /* dynamic scope: schema resources entered, outermost first */
    size_t nscope, capscope;
    ac_arena *run; /* coerced parameter values */
    /* a base schema that dispatched to a subtype through its discriminator: when the subtype's
     * allOf comes back to it with the same value, it is being applied already */
    schema *base;
    node *base_x;
};

/* ---- numbers ----------------------------------------------------------------------------------- */

static bool decimal_of(node *x, ac_decimal *d)
{
    return x->str && ac_decimal_parse(x->str, x->len, d);
}

bool ac_val_is_integer(node *x)
{
    if (x->type != AC_DOC_NUMBER) return false;
    ac_decimal d;
    if (decimal_of(x, &d)) {
        bool r = d.exp >= 0;
        free(d.buf);
        return r;
    }
    return isfinite(x->num) && x->num == floor(x->num);
}

static int num_cmp(node *x, double v, const char *exact)
{
    char *xe = x->str ? ac_decimal_exact(x->str, x->len, x->num) : NULL;
    int r = ac_number_cmp(x->num, xe, v, exact);
    free(xe);
    return r;
}

int ac_val_num_cmp_text(node *x, const char *t)
{
    ac_decimal a, b;
    if (!ac_decimal_parse(t, strlen(t), &b)) return 0;
    int r;
    if (decimal_of(x, &a)) {
        r = ac_decimal_cmp(&a, &b);
        free(a.buf);
    } else {
        double v = strtod(t, NULL);
        r = x->num < v ? -1 : x->num > v;
    }
    free(b.buf);
    return r;
}

static bool num_equal(node *a, node *b)
{
    ac_decimal da, db;
    bool r;
    if (decimal_of(a, &da)) {
        if (decimal_of(b, &db)) {
            r = ac_decimal_equal(&da, &db);
            free(db.buf);
        } else {
            r = a->num == b->num;
        }
        free(da.buf);
        return r;
    }
    return a->num == b->num;
}

/* 10^k mod m */
static uint64_t pow10_mod(uint64_t k, uint64_t m)
{
    unsigned __int128 r = 1 % m, b = 10 % m;
    while (k) {
        if (k & 1) r = r * b % m;
        b = b * b % m;
        k >>= 1;
    }
    return (uint64_t)r;
}

/* x is a whole multiple of m, exactly: x = a * 10^ea, m = b * 10^eb (digits without trailing
 * zeros), so x / m = a / b * 10^(ea - eb) is whole when b divides a * 10^(ea - eb), and never when
 * ea < eb (a has no factor 10 left).  Divisors beyond 18 digits fall back to doubles. */
static bool multiple_of(node *x, double m, const char *mtext)
{
    ac_decimal a, b;
    bool have_a = decimal_of(x, &a), have_b = mtext && ac_decimal_parse(mtext, strlen(mtext), &b);
    bool r;
    if (have_a && have_b && b.ndigits && b.ndigits <= 18) {
        if (!a.ndigits) r = true;
        else if (a.exp < b.exp) r = false;
        else {
            uint64_t bd = 0;
            for (size_t i = 0; i < b.ndigits; i++) bd = bd * 10 + (uint64_t)(b.digits[i] - '0');
            unsigned __int128 rem = 0;
            for (size_t i = 0; i < a.ndigits; i++) rem = (rem * 10 + (unsigned)(a.digits[i] - '0')) % bd;
            rem = rem * pow10_mod((uint64_t)(a.exp - b.exp), bd) % bd;
            r = rem == 0;
        }
    } else {
        double q = x->num / m;
        r = isfinite(q) && q == floor(q);
    }
    if (have_a) free(a.buf);
    if (have_b) free(b.buf);
    return r;
}

/* ---- values: equality and canonical text -------------------------------------------------------- */

static bool node_equal(node *a, node *b, int depth)
{
    if (depth > AC_LIMIT_DOC_DEPTH) return false;
    if (a->type != b->type) return false;
    switch ((ac_doc_type)a->type) {
    case AC_DOC_NULL: return true;
    case AC_DOC_BOOL: return a->b == b->b;
    case AC_DOC_NUMBER: return num_equal(a, b);
    case AC_DOC_STRING: return a->len == b->len && !memcmp(a->str, b->str, a->len);
    case AC_DOC_SEQ:
        if (a->n != b->n) return false;
        for (size_t i = 0; i < a->n; i++)
            if (!node_equal(a->items[i], b->items[i], depth + 1)) return false;
        return true;
    case AC_DOC_MAP:
        if (a->n != b->n) return false;
        for (size_t i = 0; i < a->n; i++) {
            node *k = a->pairs[i].key, *bv = NULL;
            for (size_t j = 0; j < b->n && !bv; j++)
                if (b->pairs[j].key->len == k->len && !memcmp(b->pairs[j].key->str, k->str, k->len)) bv = b->pairs[j].value;
            if (!bv || !node_equal(a->pairs[i].value, bv, depth + 1)) return false;
        }
        return true;
    }
    return false;
}

static void put_string(ac_text *b, const char *s, size_t n)
{
    ac_text_put(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '"' || c == '\\') {
            ac_text_put(b, "\\", 1);
            ac_text_put(b, &c, 1);
        } else if ((unsigned char)c < 0x20) {
            char tmp[8];
            snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned char)c);
            ac_text_put(b, tmp, 6);
        } else {
            ac_text_put(b, &c, 1);
        }
    }
    ac_text_put(b, "\"", 1);
}

static void put_number(ac_text *b, node *x)
{
    ac_decimal d;
    if (decimal_of(x, &d)) {
        char *t = ac_decimal_text(&d);
        ac_text_put(b, t, strlen(t));
        free(t);
        free(d.buf);
        return;
    }
    char tmp[AC_DOUBLE_TEXT];
    const char *t = ac_double_text(x->num == 0 ? 0 : x->num, tmp);
    ac_text_put(b, t, strlen(t));
}

typedef struct keyed {
    node *k, *v;
} keyed;

static int keyed_cmp(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    size_t n = a->k->len < b->k->len ? a->k->len : b->k->len;
    int r = memcmp(a->k->str, b->k->str, n);
    return r ? r : (a->k->len > b->k->len) - (a->k->len < b->k->len);
}

/* Compact JSON with members in key order and numbers in their shortest exact form: two values
 * are equal exactly when their texts are. */
static void canon(ac_text *b, node *x, int depth)
{
    if (depth > AC_LIMIT_DOC_DEPTH) return;
    switch ((ac_doc_type)x->type) {
    case AC_DOC_NULL: ac_text_put(b, "null", 4); break;
    case AC_DOC_BOOL: ac_text_put(b, x->b ? "true" : "false", x->b ? 4 : 5); break;
    case AC_DOC_NUMBER: put_number(b, x); break;
    case AC_DOC_STRING: put_string(b, x->str, x->len); break;
    case AC_DOC_SEQ:
        ac_text_put(b, "[", 1);
        for (size_t i = 0; i < x->n; i++) {
            if (i) ac_text_put(b, ",", 1);
            canon(b, x->items[i], depth + 1);
        }
        ac_text_put(b, "]", 1);
        break;
    case AC_DOC_MAP: {
        keyed *k = ac_xmalloc((x->n ? x->n : 1) * sizeof *k);
        for (size_t i = 0; i < x->n; i++) k[i] = (keyed){x->pairs[i].key, x->pairs[i].value};
        qsort(k, x->n, sizeof *k, keyed_cmp);
        ac_text_put(b, "{", 1);
        for (size_t i = 0; i < x->n; i++) {
            if (i) ac_text_put(b, ",", 1);
            put_string(b, k[i].k->str, k[i].k->len);
            ac_text_put(b, ":", 1);
            canon(b, k[i].v, depth + 1);
        }
        ac_text_put(b, "}", 1);
        free(k);
        break;
    }
    }
}

/* A value the IR holds as canonical JSON text (enum, const), as a node (parsed once). */
static node *ir_value(ac_validator *v, const char *text)
{
    node *n = ac_strmap_getn(&v->values, (const char *)&text, sizeof text);
    if (n) return n;
    ac_doc *d;
    ac_status st;
    ac_status_init(&st);
    /* a lone scalar may read as YAML: wrap it in a list so that it is read as JSON */
    char *wrapped = ac_arena_printf(v->keep, "[%s]", text);
    if (ac_doc_parse(&d, v->keep, "(enum)", wrapped, strlen(wrapped), NULL, &st) || d->root->type != AC_DOC_SEQ ||
        d->root->n != 1)
        return NULL;
    n = d->root->items[0];
    ac_strmap_putn(&v->values, ac_arena_memdup(v->keep, &text, sizeof text), sizeof text, (void *)n);
    return n;
}

/* ---- errors ------------------------------------------------------------------------------------- */

static const char *type_name_of(node *x)
{
    switch ((ac_doc_type)x->type) {
    case AC_DOC_NULL: return "null";
    case AC_DOC_BOOL: return "boolean";
    case AC_DOC_NUMBER: return ac_val_is_integer(x) ? "integer" : "number";
    case AC_DOC_STRING: return "string";
    case AC_DOC_SEQ: return "array";
    case AC_DOC_MAP: return "object";
    }
    return "?";
}

static const char *instance_pointer(ac_validator *v, ac_arena *a)
{
    ac_text b = {0};
    ac_text_put(&b, "", 0);
    for (size_t i = 0; i < v->npath; i++) {
        ac_text_put(&b, "/", 1);
        if (!v->path[i].key) {
            char tmp[32];
            int n = snprintf(tmp, sizeof tmp, "%zu", v->path[i].idx);
            ac_text_put(&b, tmp, (size_t)n);
            continue;
        }
        for (size_t k = 0; k < v->path[i].len; k++) {
            char c = v->path[i].key[k];
            if (c == '~') ac_text_put(&b, "~0", 2);
            else if (c == '/') ac_text_put(&b, "~1", 2);
            else ac_text_put(&b, &c, 1);
        }
    }
    const char *out = ac_arena_strndup(a, b.p, b.n);
    ac_text_free(&b);
    return out;
}

/* Records an error at the current instance location.  false: stop evaluating this schema (a
 * speculative branch, enough errors, or could not check). */
static bool fail(ac_validator *v, schema *s, const char *kw, node *x, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static bool fail(ac_validator *v, schema *s, const char *kw, node *x, const char *fmt, ...)
{
    if (v->spec || v->hard || !v->out) return false;
    ac_val_result *r = v->out;
    if (r->n >= v->max_errors) {
        r->truncated = true;
        return false;
    }
    if (!r->arena) r->arena = ac_arena_new();
    r->v = ac_xrealloc(r->v, (r->n + 1) * sizeof *r->v);
    ac_val_error *e = &r->v[r->n++];
    memset(e, 0, sizeof *e);
    va_list ap;
    va_start(ap, fmt);
    e->reason = ac_arena_vprintf(r->arena, fmt, ap);
    va_end(ap);
    e->instance = instance_pointer(v, r->arena);
    e->keyword = kw;
    e->schema_src = s ? s->src : NULL;
    e->at = x;
    const char *p = s && s->src && v->c->pointer ? v->c->pointer(v->c, s->src, r->arena) : NULL;
    if (p) e->schema = kw && *kw ? ac_arena_printf(r->arena, "%s/%s", p, kw) : p;
    return r->n < v->max_errors;
}

/* Could not check: the first reason wins, evaluation unwinds. */
static bool hard_fail(ac_validator *v, schema *s, const char *kw, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static bool hard_fail(ac_validator *v, schema *s, const char *kw, const char *fmt, ...)
{
    if (v->hard) return false;
    v->hard = true;
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ac_loc loc = {0};
    if (s && s->src && v->c->locate) v->c->locate(v->c, s->src, kw, &loc);
    ac_fail(v->st, loc.path ? loc.path : v->c->source, loc.line, loc.col, "%s", msg);
    return false;
}

static void push_key(ac_validator *v, const char *key, size_t len)
{
    if (v->npath == v->cappath) {
        v->cappath = v->cappath ? v->cappath * 2 : 32;
        v->path = ac_xrealloc(v->path, v->cappath * sizeof *v->path);
    }
    v->path[v->npath++] = (seg){key, len, 0};
}

static void push_index(ac_validator *v, size_t i)
{
    push_key(v, NULL, 0);
    v->path[v->npath - 1].idx = i;
}

/* ---- regular expressions ----------------------------------------------------------------------- */

/* ECMA-262's long General_Category names (and UCD aliases), which PCRE2 before 10.43 spells short. */
static const char *const gc_names[][2] = {
    {"Letter", "L"}, {"Cased_Letter", "L&"}, {"Uppercase_Letter", "Lu"}, {"Lowercase_Letter", "Ll"},
    {"Titlecase_Letter", "Lt"}, {"Modifier_Letter", "Lm"}, {"Other_Letter", "Lo"}, {"Mark", "M"},
    {"Combining_Mark", "M"}, {"Nonspacing_Mark", "Mn"}, {"Spacing_Mark", "Mc"}, {"Enclosing_Mark", "Me"},
    {"Number", "N"}, {"Decimal_Number", "Nd"}, {"digit", "Nd"}, {"Letter_Number", "Nl"}, {"Other_Number", "No"},
    {"Punctuation", "P"}, {"punct", "P"}, {"Connector_Punctuation", "Pc"}, {"Dash_Punctuation", "Pd"},
    {"Open_Punctuation", "Ps"}, {"Close_Punctuation", "Pe"}, {"Initial_Punctuation", "Pi"},
    {"Final_Punctuation", "Pf"}, {"Other_Punctuation", "Po"}, {"Symbol", "S"}, {"Math_Symbol", "Sm"},
    {"Currency_Symbol", "Sc"}, {"Modifier_Symbol", "Sk"}, {"Other_Symbol", "So"}, {"Separator", "Z"},
    {"Space_Separator", "Zs"}, {"Line_Separator", "Zl"}, {"Paragraph_Separator", "Zp"}, {"Other", "C"},
    {"Control", "Cc"}, {"cntrl", "Cc"}, {"Format", "Cf"}, {"Surrogate", "Cs"}, {"Private_Use", "Co"},
    {"Unassigned", "Cn"},
};

/* ECMA-262 white space and line terminators (\s), as a class body. */
#define ECMA_SPACE "\\t\\n\\x0b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"

/* A JSON Schema pattern (ECMA-262, unicode mode) in PCRE2's syntax where the two differ: \s is
 * Unicode white space, long property names, "[]" matches nothing and "[^]" anything, and an
 * escaped letter ECMA does not know (\Z) is that letter.  The caller frees it. */
static char *ecma_to_pcre(const char *pat)
{
    ac_text b = {0};
    ac_text_put(&b, "", 0);
    bool in_class = false;
    for (const char *p = pat; *p; p++) {
        if (*p == '\\' && p[1]) {
            char c = p[1];
            if ((c == 'p' || c == 'P') && p[2] == '{') {
                const char *close = strchr(p + 3, '}');
                if (close) {
                    const char *name = p + 3;
                    size_t len = (size_t)(close - name);
                    const char *eq = memchr(name, '=', len);
                    if (eq) { /* Script=Greek, sc=Greek, Script_Extensions=Greek */
                        len -= (size_t)(eq + 1 - name);
                        name = eq + 1;
                    }
                    const char *shortname = NULL;
                    for (size_t i = 0; i < sizeof gc_names / sizeof *gc_names && !eq; i++)
                        if (strlen(gc_names[i][0]) == len && !strncmp(gc_names[i][0], name, len)) shortname = gc_names[i][1];
                    ac_text_put(&b, p, 3);
                    if (shortname) ac_text_put(&b, shortname, strlen(shortname));
                    else ac_text_put(&b, name, len);
                    ac_text_put(&b, "}", 1);
                    p = close;
                    continue;
                }
            }
            if (c == 's' || c == 'S') {
                if (in_class && c == 's') ac_text_put(&b, ECMA_SPACE, strlen(ECMA_SPACE));
                else if (in_class) ac_text_put(&b, p, 2);
                else {
                    ac_text_put(&b, c == 's' ? "[" : "[^", c == 's' ? 1 : 2);
                    ac_text_put(&b, ECMA_SPACE, strlen(ECMA_SPACE));
                    ac_text_put(&b, "]", 1);
                }
                p++;
                continue;
            }
            if (strchr("AZzGhHRXKQEae", c)) { /* PCRE escapes that ECMA reads as the letter */
                ac_text_put(&b, &c, 1);
                p++;
                continue;
            }
            ac_text_put(&b, p, 2);
            p++;
            continue;
        }
        if (!in_class && *p == '[') {
            if (p[1] == ']') {
                ac_text_put(&b, "(?!)", 4);
                p++;
                continue;
            }
            if (p[1] == '^' && p[2] == ']') {
                ac_text_put(&b, "(?s:.)", 6);
                p += 2;
                continue;
            }
            in_class = true;
            ac_text_put(&b, p, 1);
            if (p[1] == '^') ac_text_put(&b, ++p, 1);
            if (p[1] == ']') ac_text_put(&b, "\\]", 2), p++; /* ECMA: "[]...]" ends at once; PCRE2 reads the ] as a member */
            continue;
        }
        if (in_class && *p == ']') in_class = false;
        ac_text_put(&b, p, 1);
    }
    return b.p;
}

/* What ECMA-262 does not have, for format "regex": PCRE's own groups and escapes. */
static bool ecma_regex(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] == '\\') {
            if (strchr("aAZzGhHRXKQEe", s[i + 1])) return false;
            i++;
            continue;
        }
        if (s[i] == '(' && s[i + 1] == '?' && i + 2 < n) {
            char c = s[i + 2];
            if (c == 'P' || c == '#') return false;
            if (strchr("imsxnU-", c)) { /* (?i) applies to the rest: ECMA has only (?i:...) */
                size_t k = i + 2;
                while (k < n && strchr("imsxnU-", s[k])) k++;
                if (k < n && s[k] == ')') return false;
            }
        }
    }
    return true;
}

static pcre2_code *pattern_of(ac_validator *v, schema *s, const char *kw, const char *pat)
{
    bool inserted;
    void **slot = ac_strmap_slot_of(&v->patterns, pat, strlen(pat), &inserted);
    if (!inserted) {
        if (!*slot) hard_fail(v, s, kw, "pattern \"%.200s\" is not a regular expression PCRE2 can compile", pat);
        return *slot;
    }
    int err;
    PCRE2_SIZE off;
    /* ECMA-262 semantics where PCRE2 differs by default: `$` only at the very end, \uHHHH */
    uint32_t flags = PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_ALT_BSUX;
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
#ifdef PCRE2_EXTRA_ALT_BSUX
    pcre2_set_compile_extra_options(cc, PCRE2_EXTRA_ALT_BSUX);
#endif
    char *translated = ecma_to_pcre(pat);
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)translated, PCRE2_ZERO_TERMINATED, flags, &err, &off, cc);
    free(translated);
    pcre2_compile_context_free(cc);
    *slot = re;
    if (!re) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(err, msg, sizeof msg);
        hard_fail(v, s, kw, "pattern \"%.200s\" does not compile: %s at offset %zu", pat, (const char *)msg, (size_t)off);
    }
    return re;
}

/* 1 match, 0 no match, -1 could not check.  Tiers as for the ignores' expressions: a match runs
 * under AC_LIMIT_REGEX_FREE_STEPS first, then under larger limits charged to the run's budget. */
static int re_match(ac_validator *v, schema *s, const char *kw, const char *pat, const char *str, size_t len)
{
    pcre2_code *re = pattern_of(v, s, kw, pat);
    if (!re) return -1;
    static const uint32_t tiers[] = {AC_LIMIT_REGEX_FREE_STEPS, AC_LIMIT_REGEX_STEPS / 10, AC_LIMIT_REGEX_STEPS};
    int rc = PCRE2_ERROR_MATCHLIMIT;
    bool over = false;
    for (size_t t = 0; t < sizeof tiers / sizeof *tiers && rc == PCRE2_ERROR_MATCHLIMIT; t++) {
        uint32_t limit = tiers[t];
        if (t) {
            size_t left = AC_LIMIT_REGEX_BUDGET - v->re_spent;
            if (!left) {
                over = true;
                break;
            }
            if (limit > left) limit = (uint32_t)left;
        }
        pcre2_set_match_limit(v->mctx, limit);
        rc = pcre2_match(re, (PCRE2_SPTR)str, len, 0, 0, v->md, v->mctx);
        if (t) v->re_spent += limit;
        if (rc == PCRE2_ERROR_MATCHLIMIT && limit < tiers[t]) over = true;
    }
    if (rc == PCRE2_ERROR_NOMEMORY) ac_oom();
    if (over || rc == PCRE2_ERROR_MATCHLIMIT)
        return hard_fail(v, s, kw, "pattern \"%.200s\" ran over its backtracking limit (%u steps); simplify it", pat,
                         AC_LIMIT_REGEX_STEPS),
               -1;
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(rc, msg, sizeof msg);
        return hard_fail(v, s, kw, "pattern \"%.200s\" failed: %s", pat, (const char *)msg), -1;
    }
    return rc >= 0;
}

/* ---- evaluation ---------------------------------------------------------------------------------- */

/* Members of an object or array a schema evaluated (for unevaluated*): one bit each. */
typedef struct evset {
    uint8_t *bits;
    size_t n;
} evset;

static void ev_mark(evset *e, size_t i)
{
    if (e && i < e->n) e->bits[i / 8] |= (uint8_t)(1u << (i % 8));
}

static bool ev_has(const evset *e, size_t i)
{
    return e->bits[i / 8] & (1u << (i % 8));
}

static evset *ev_new(node *x)
{
    evset *e = ac_xmalloc(sizeof *e);
    e->n = x->n;
    e->bits = ac_xcalloc(x->n / 8 + 1, 1);
    return e;
}

static void ev_free(evset *e)
{
    if (!e) return;
    free(e->bits);
    free(e);
}

static void ev_merge(evset *into, const evset *from)
{
    if (!into || !from) return;
    for (size_t i = 0; i < into->n / 8 + 1; i++) into->bits[i] |= from->bits[i];
}

static bool eval(ac_validator *v, schema *s, node *x, evset *ev);

/* Evaluates without recording anything (a branch whose failure is not an error). */
static bool try_eval(ac_validator *v, schema *s, node *x, evset *ev)
{
    v->spec++;
    bool ok = eval(v, s, x, ev);
    v->spec--;
    return ok && !v->hard;
}

static const char *type_names(uint8_t types, char *b, size_t n)
{
    static const struct {
        uint8_t bit;
        const char *name;
    } t[] = {{AC_OT_OBJECT, "object"}, {AC_OT_ARRAY, "array"},     {AC_OT_STRING, "string"}, {AC_OT_INTEGER, "integer"},
             {AC_OT_NUMBER, "number"}, {AC_OT_BOOLEAN, "boolean"}, {AC_OT_NULL, "null"},
             {AC_OT_UNKNOWN, "an unknown type (no JSON value has it)"}};
    size_t w = 0;
    b[0] = 0;
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (types & t[i].bit) w += (size_t)snprintf(b + w, w < n ? n - w : 0, "%s%s", w ? " or " : "", t[i].name);
    return b;
}

static bool type_ok(ac_validator *v, schema *s, node *x)
{
    if (!s->typed) return true;
    switch ((ac_doc_type)x->type) {
    case AC_DOC_NULL: return (s->types & AC_OT_NULL) || (v->oas && s->nullable);
    case AC_DOC_BOOL: return s->types & AC_OT_BOOLEAN;
    case AC_DOC_STRING: return s->types & AC_OT_STRING;
    case AC_DOC_SEQ: return s->types & AC_OT_ARRAY;
    case AC_DOC_MAP: return s->types & AC_OT_OBJECT;
    case AC_DOC_NUMBER: return (s->types & AC_OT_NUMBER) || ((s->types & AC_OT_INTEGER) && ac_val_is_integer(x));
    }
    return false;
}

/* A short quotation of a value for messages: "\"cat\"", 42, {...}. */
static const char *quote(ac_validator *v, node *x)
{
    if (v->spec || !v->out) return "";
    if (!v->out->arena) v->out->arena = ac_arena_new();
    ac_text b = {0};
    if (x->type == AC_DOC_MAP) ac_text_put(&b, "{...}", 5);
    else if (x->type == AC_DOC_SEQ) ac_text_put(&b, "[...]", 5);
    else if (x->type == AC_DOC_NUMBER) put_number(&b, x); /* 10, not the reader's 1e+01 */
    else canon(&b, x, 0);
    /* strings are JSON-escaped already; whoever prints escapes the rest (ac_esc_line) */
    const char *out = b.n > 80 ? ac_arena_printf(v->out->arena, "%.77s...", b.p) : ac_arena_strdup(v->out->arena, b.p);
    ac_text_free(&b);
    return out;
}

static const char *quote_key(ac_validator *v, const char *k, size_t len)
{
    if (v->spec || !v->out) return "";
    if (!v->out->arena) v->out->arena = ac_arena_new();
    return ac_arena_strndup(v->out->arena, k, len > 200 ? 200 : len);
}

static size_t utf8_length(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) count++;
    return count;
}

/* A bound for messages: its exact text when it has one, else the shortest decimal of the double
 * (150, not 1.5e+02), in the result's arena. */
static const char *bound_text(ac_validator *v, double d, const char *exact)
{
    if (v->spec || !v->out) return "";
    if (!v->out->arena) v->out->arena = ac_arena_new();
    char tmp[AC_DOUBLE_TEXT];
    const char *t = exact ? exact : ac_double_text(d, tmp);
    ac_decimal dec;
    if (!ac_decimal_parse(t, strlen(t), &dec)) return ac_arena_strdup(v->out->arena, t);
    char *txt = ac_decimal_text(&dec);
    const char *out = ac_arena_strdup(v->out->arena, txt);
    free(txt);
    free(dec.buf);
    return out;
}

static bool eval_number(ac_validator *v, schema *s, node *x)
{
    bool ok = true;
    const ac_oas_bound *b = &s->min;
    if (b->set) {
        int c = num_cmp(x, b->v, b->exact);
        if (b->exclusive ? c <= 0 : c < 0) {
            ok = false;
            if (!fail(v, s, b->exclusive && v->dialect != AC_JS_DRAFT4 ? "exclusiveMinimum" : "minimum", x, "%s is %s %s",
                      quote(v, x), b->exclusive ? "not greater than" : "less than the minimum", bound_text(v, b->v, b->exact)))
                return false;
        }
    }
    b = &s->max;
    if (b->set) {
        int c = num_cmp(x, b->v, b->exact);
        if (b->exclusive ? c >= 0 : c > 0) {
            ok = false;
            if (!fail(v, s, b->exclusive && v->dialect != AC_JS_DRAFT4 ? "exclusiveMaximum" : "maximum", x, "%s is %s %s",
                      quote(v, x), b->exclusive ? "not less than" : "greater than the maximum", bound_text(v, b->v, b->exact)))
                return false;
        }
    }
    if (s->x->has_multiple_of && !multiple_of(x, s->x->multiple_of, s->x->multiple_of_text)) {
        char t[AC_DOUBLE_TEXT];
        ok = false;
        if (!fail(v, s, "multipleOf", x, "%s is not a multiple of %s", quote(v, x),
                  s->x->multiple_of_text ? s->x->multiple_of_text : ac_double_text(s->x->multiple_of, t)))
            return false;
    }
    return ok;
}

static bool eval_string(ac_validator *v, schema *s, node *x)
{
    bool ok = true;
    if (s->min_len >= 0 || s->max_len >= 0) {
        size_t len = utf8_length(x->str, x->len);
        if (s->min_len >= 0 && len < (uint64_t)s->min_len) {
            ok = false;
            if (!fail(v, s, "minLength", x, "string of %zu characters is shorter than minLength %lld", len, (long long)s->min_len))
                return false;
        }
        if (s->max_len >= 0 && len > (uint64_t)s->max_len) {
            ok = false;
            if (!fail(v, s, "maxLength", x, "string of %zu characters is longer than maxLength %lld", len, (long long)s->max_len))
                return false;
        }
    }
    if (s->pattern) {
        int m = re_match(v, s, "pattern", s->pattern, x->str, x->len);
        if (m < 0) return false;
        if (!m) {
            ok = false;
            if (!fail(v, s, "pattern", x, "%s does not match the pattern \"%s\"", quote(v, x), quote_key(v, s->pattern, strlen(s->pattern))))
                return false;
        }
    }
    return ok;
}

static bool eval_format(ac_validator *v, schema *s, node *x)
{
    if (!s->format || !v->o.formats) return true;
    if (!strcmp(s->format, "regex")) {
        if (x->type != AC_DOC_STRING) return true;
        int err;
        PCRE2_SIZE off;
        char *tmp = ac_xmalloc(x->len + 1);
        memcpy(tmp, x->str, x->len);
        tmp[x->len] = 0;
        char *translated = ecma_regex(x->str, x->len) ? ecma_to_pcre(tmp) : NULL;
        free(tmp);
        pcre2_code *re = translated ? pcre2_compile((PCRE2_SPTR)translated, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_ALT_BSUX, &err, &off, NULL) : NULL;
        free(translated);
        if (re) {
            pcre2_code_free(re);
            return true;
        }
        return fail(v, s, "format", x, "%s is not a regular expression", quote(v, x)), false;
    }
    char tmp[160];
    const char *why = ac_val_check_format(s->format, x, tmp, sizeof tmp);
    if (!why) return true;
    fail(v, s, "format", x, "%s is %s", quote(v, x), why);
    return false;
}

static bool eval_array(ac_validator *v, schema *s, node *x, evset *ev)
{
    bool ok = true;
    const ac_oas_schema_x *sx = s->x;
    if (s->min_items >= 0 && x->n < (uint64_t)s->min_items) {
        ok = false;
        if (!fail(v, s, "minItems", x, "array of %u items has fewer than minItems %lld", (unsigned)x->n, (long long)s->min_items))
            return false;
    }
    if (s->max_items >= 0 && x->n > (uint64_t)s->max_items) {
        ok = false;
        if (!fail(v, s, "maxItems", x, "array of %u items has more than maxItems %lld", (unsigned)x->n, (long long)s->max_items))
            return false;
    }
    if (s->unique_items && x->n > 1) {
        char **texts = ac_xmalloc(x->n * sizeof *texts);
        for (size_t i = 0; i < x->n; i++) {
            ac_text b = {0};
            canon(&b, x->items[i], 0);
            ac_text_put(&b, "", 0);
            texts[i] = b.p;
        }
        size_t dup_a = 0, dup_b = 0;
        bool dup = false;
        /* pairs by sorted order would lose the indexes: a hash of each text, then pairs within a bucket */
        size_t cap = 1;
        while (cap < x->n * 2) cap <<= 1;
        size_t *slots = ac_xmalloc(cap * sizeof *slots);
        for (size_t i = 0; i < cap; i++) slots[i] = SIZE_MAX;
        for (size_t i = 0; i < x->n && !dup; i++) {
            size_t h = ac_hash_bytes(texts[i], strlen(texts[i])) & (cap - 1);
            while (slots[h] != SIZE_MAX) {
                if (!strcmp(texts[slots[h]], texts[i])) {
                    dup = true, dup_a = slots[h], dup_b = i;
                    break;
                }
                h = (h + 1) & (cap - 1);
            }
            if (!dup) slots[h] = i;
        }
        free(slots);
        for (size_t i = 0; i < x->n; i++) free(texts[i]);
        free(texts);
        if (dup) {
            ok = false;
            if (!fail(v, s, "uniqueItems", x, "items %zu and %zu are equal (uniqueItems)", dup_a, dup_b)) return false;
        }
    }
    size_t n = x->n, np = sx->nprefix;
    for (size_t i = 0; i < n && i < np; i++) {
        push_index(v, i);
        bool r = eval(v, sx->prefix_items[i], x->items[i], NULL);
        v->npath--;
        ev_mark(ev, i);
        if (!r) {
            ok = false;
            if (v->spec || v->hard) return false;
        }
    }
    if (s->items) {
        for (size_t i = np; i < n; i++) {
            push_index(v, i);
            bool r = eval(v, s->items, x->items[i], NULL);
            v->npath--;
            ev_mark(ev, i);
            if (!r) {
                ok = false;
                if (v->spec || v->hard) return false;
            }
        }
    }
    if (sx->contains) {
        size_t matched = 0;
        for (size_t i = 0; i < n; i++) {
            push_index(v, i);
            bool r = try_eval(v, sx->contains, x->items[i], NULL);
            v->npath--;
            if (v->hard) return false;
            if (r) {
                matched++;
                if (v->dialect >= AC_JS_2020) ev_mark(ev, i);
            }
        }
        int64_t lo = sx->min_contains >= 0 && v->dialect >= AC_JS_2019 ? sx->min_contains : 1;
        if ((int64_t)matched < lo) {
            ok = false;
            if (!fail(v, s, sx->min_contains >= 0 ? "minContains" : "contains", x,
                      lo == 1 ? "no item matches the contains schema" : "%zu items match the contains schema, fewer than minContains %lld",
                      matched, (long long)lo))
                return false;
        }
        if (sx->max_contains >= 0 && v->dialect >= AC_JS_2019 && (int64_t)matched > sx->max_contains) {
            ok = false;
            if (!fail(v, s, "maxContains", x, "%zu items match the contains schema, more than maxContains %lld", matched,
                      (long long)sx->max_contains))
                return false;
        }
    }
    return ok;
}

static bool required_here(ac_validator *v, schema *s, const char *name)
{
    if (v->o.direction == AC_VAL_ANY || !v->oas) return true;
    for (uint32_t i = 0; i < s->nprops; i++)
        if (!strcmp(s->props[i].name, name)) {
            schema *p = s->props[i].schema;
            /* OpenAPI: a required readOnly property is required in responses only, a writeOnly one in requests only */
            if (p->read_only && v->o.direction == AC_VAL_REQUEST) return false;
            if (p->write_only && v->o.direction == AC_VAL_RESPONSE) return false;
        }
    return true;
}

static bool eval_object(ac_validator *v, schema *s, node *x, evset *ev)
{
    bool ok = true;
    const ac_oas_schema_x *sx = s->x;
    if (sx->min_props >= 0 && x->n < (uint64_t)sx->min_props) {
        ok = false;
        if (!fail(v, s, "minProperties", x, "object of %u properties has fewer than minProperties %lld", (unsigned)x->n,
                  (long long)sx->min_props))
            return false;
    }
    if (sx->max_props >= 0 && x->n > (uint64_t)sx->max_props) {
        ok = false;
        if (!fail(v, s, "maxProperties", x, "object of %u properties has more than maxProperties %lld", (unsigned)x->n,
                  (long long)sx->max_props))
            return false;
    }
    for (uint32_t i = 0; i < s->required.n; i++) {
        const char *name = s->required.v[i];
        if (!ac_doc_get(x, name) && required_here(v, s, name)) {
            ok = false;
            if (!fail(v, s, "required", x, "required property \"%s\" is missing", quote_key(v, name, strlen(name)))) return false;
        }
    }
    for (uint32_t i = 0; i < sx->ndependent_required; i++) {
        if (!ac_doc_get(x, sx->dependent_required[i].name)) continue;
        const ac_oas_strlist *l = &sx->dep_lists[i];
        for (uint32_t k = 0; k < l->n; k++)
            if (!ac_doc_get(x, l->v[k])) {
                ok = false;
                if (!fail(v, s, v->dialect >= AC_JS_2019 ? "dependentRequired" : "dependencies", x,
                          "property \"%s\" is required when \"%s\" is present", quote_key(v, l->v[k], strlen(l->v[k])),
                          quote_key(v, sx->dependent_required[i].name, strlen(sx->dependent_required[i].name))))
                    return false;
            }
    }
    /* each member: properties, patternProperties, else additionalProperties */
    for (size_t i = 0; i < x->n; i++) {
        node *k = x->pairs[i].key, *val = x->pairs[i].value;
        bool matched = false;
        push_key(v, k->str, k->len);
        for (uint32_t p = 0; p < s->nprops; p++) {
            if (strlen(s->props[p].name) != k->len || memcmp(s->props[p].name, k->str, k->len)) continue;
            matched = true;
            ev_mark(ev, i);
            schema *ps = s->props[p].schema;
            if (v->oas && ps->read_only && v->o.direction == AC_VAL_REQUEST) {
                ok = false;
                if (!fail(v, ps, "readOnly", val, "read-only property \"%s\" is not allowed in a request", quote_key(v, k->str, k->len))) {
                    v->npath--;
                    return false;
                }
            } else if (v->oas && ps->write_only && v->o.direction == AC_VAL_RESPONSE) {
                ok = false;
                if (!fail(v, ps, "writeOnly", val, "write-only property \"%s\" is not allowed in a response", quote_key(v, k->str, k->len))) {
                    v->npath--;
                    return false;
                }
            }
            if (!eval(v, ps, val, NULL)) {
                ok = false;
                if (v->spec || v->hard) {
                    v->npath--;
                    return false;
                }
            }
        }
        for (uint32_t p = 0; p < sx->npattern_props; p++) {
            int m = re_match(v, s, "patternProperties", sx->pattern_props[p].name, k->str, k->len);
            if (m < 0) {
                v->npath--;
                return false;
            }
            if (!m) continue;
            matched = true;
            ev_mark(ev, i);
            if (!eval(v, sx->pattern_props[p].schema, val, NULL)) {
                ok = false;
                if (v->spec || v->hard) {
                    v->npath--;
                    return false;
                }
            }
        }
        if (!matched && s->addl) {
            if (s->addl == 1 || (s->addl == 3 && !s->addl_schema)) {
                ok = false;
                v->npath--;
                if (!fail(v, s, "additionalProperties", val, "property \"%s\" is not allowed (additionalProperties is false)",
                          quote_key(v, k->str, k->len)))
                    return false;
                push_key(v, k->str, k->len);
            } else if (s->addl == 3) {
                ev_mark(ev, i);
                if (!eval(v, s->addl_schema, val, NULL)) {
                    ok = false;
                    if (v->spec || v->hard) {
                        v->npath--;
                        return false;
                    }
                }
            } else {
                ev_mark(ev, i);
            }
        }
        v->npath--;
    }
    if (sx->property_names) {
        for (size_t i = 0; i < x->n; i++) {
            node *k = x->pairs[i].key;
            ac_doc_node name = *k;
            name.type = AC_DOC_STRING;
            name.parent = NULL;
            if (!try_eval(v, sx->property_names, &name, NULL)) {
                if (v->hard) return false;
                ok = false;
                if (!fail(v, s, "propertyNames", x, "property name \"%s\" does not fit propertyNames", quote_key(v, k->str, k->len)))
                    return false;
            }
        }
    }
    for (uint32_t i = 0; i < sx->ndependent_schemas; i++) {
        if (!ac_doc_get(x, sx->dependent_schemas[i].name)) continue;
        if (!eval(v, sx->dependent_schemas[i].schema, x, ev)) {
            ok = false;
            if (v->spec || v->hard) return false;
        }
    }
    return ok;
}

static schema *component(ac_validator *v, const char *name)
{
    if (!v->components.len && v->c->oas)
        for (uint32_t i = 0; i < v->c->oas->nschemas; i++)
            ac_strmap_add(&v->components, v->c->oas->schemas[i].name, v->c->oas->schemas[i].schema);
    return ac_strmap_get(&v->components, name);
}

static const char *last_segment(const char *ref)
{
    const char *slash = strrchr(ref, '/');
    return slash ? slash + 1 : ref;
}

/* The schema a discriminator value names: through the mapping (a $ref or a component name), else
 * the component of that name. */
static schema *discriminated(ac_validator *v, schema *s, const char *value, schema *const *branches, uint32_t nb)
{
    const ac_oas_schema_x *sx = s->x;
    const char *target = NULL;
    for (uint32_t i = 0; i < sx->mapping_keys.n; i++)
        if (!strcmp(sx->mapping_keys.v[i], value)) target = sx->mapping_vals.v[i];
    for (uint32_t i = 0; i < nb; i++) {
        schema *b = branches[i];
        if (target ? (b->ref && !strcmp(b->ref, target)) || (b->name && !strcmp(b->name, last_segment(target)))
                   : b->name && !strcmp(b->name, value))
            return b;
    }
    return component(v, target ? last_segment(target) : value);
}

static bool on_stack(ac_validator *v, schema *s, node *x)
{
    for (size_t i = v->nframes; i-- > 0 && v->frames[i].x == x;)
        if (v->frames[i].s == s) return true;
    return false;
}

/* The discriminator: the value of its property picks the one schema to apply.  *done when it did. */
static bool eval_discriminator(ac_validator *v, schema *s, node *x, evset *ev, bool *done)
{
    const ac_oas_schema_x *sx = s->x;
    *done = false;
    if (!v->oas || !sx->has_discriminator || !sx->discriminator || x->type != AC_DOC_MAP) return true;
    schema *const *branches = (schema *const *)(s->none_of ? s->one_of : s->any_of);
    uint32_t nb = s->none_of ? s->none_of : s->nany_of;
    node *val = ac_doc_get(x, sx->discriminator);
    if (!val || val->type != AC_DOC_STRING) {
        if (!nb) return true; /* a base schema: its required list says whether the property must be there */
        *done = true;
        return fail(v, s, "discriminator", x, "discriminator property \"%s\" is %s", quote_key(v, sx->discriminator, strlen(sx->discriminator)),
                    val ? "not a string" : "missing"),
               false;
    }
    schema *t = discriminated(v, s, val->str, branches, nb);
    if (!t) {
        *done = nb > 0;
        push_key(v, val->parent ? sx->discriminator : "", strlen(sx->discriminator));
        bool r = fail(v, s, "discriminator", val, "discriminator value %s names no schema", quote(v, val));
        v->npath--;
        (void)r;
        return false;
    }
    if (!nb && (t == s || on_stack(v, t, x))) return true; /* the base schema reached from its subtype */
    *done = nb > 0;
    schema *saved = v->base;
    node *saved_x = v->base_x;
    if (!nb) v->base = s, v->base_x = x;
    bool r = eval(v, t, x, ev);
    v->base = saved, v->base_x = saved_x;
    return r;
}

static bool eval_combinators(ac_validator *v, schema *s, node *x, evset *ev)
{
    bool ok = true;
    const ac_oas_schema_x *sx = s->x;
    for (uint32_t i = 0; i < s->nall_of; i++)
        if (!eval(v, s->all_of[i], x, ev)) {
            ok = false;
            if (v->spec || v->hard) return false;
        }
    bool dispatched = false;
    if (sx->has_discriminator) {
        if (!eval_discriminator(v, s, x, ev, &dispatched)) {
            ok = false;
            if (v->spec || v->hard) return false;
        }
    }
    if (s->nany_of && !dispatched) {
        bool any = false;
        for (uint32_t i = 0; i < s->nany_of; i++) {
            evset *b = ev ? ev_new(x) : NULL;
            if (try_eval(v, s->any_of[i], x, b)) {
                any = true;
                ev_merge(ev, b);
            }
            ev_free(b);
            if (v->hard) return false;
            if (any && !ev) break; /* annotations need every valid branch; the verdict only one */
        }
        if (!any) {
            ok = false;
            if (!fail(v, s, "anyOf", x, "%s matches none of the %u anyOf schemas", quote(v, x), s->nany_of)) return false;
        }
    }
    if (s->none_of && !dispatched) {
        uint32_t count = 0, first = 0, second = 0;
        for (uint32_t i = 0; i < s->none_of && count < 2; i++) {
            evset *b = ev ? ev_new(x) : NULL;
            if (try_eval(v, s->one_of[i], x, b)) {
                if (!count++) first = i, ev_merge(ev, b);
                else second = i;
            }
            ev_free(b);
            if (v->hard) return false;
        }
        if (count != 1) {
            ok = false;
            if (!count ? !fail(v, s, "oneOf", x, "%s matches none of the %u oneOf schemas", quote(v, x), s->none_of)
                       : !fail(v, s, "oneOf", x, "%s matches oneOf schemas %u and %u; exactly one must match", quote(v, x), first, second))
                return false;
        }
    }
    if (sx->not_) {
        bool r = try_eval(v, sx->not_, x, NULL);
        if (v->hard) return false;
        if (r) {
            ok = false;
            if (!fail(v, s, "not", x, "%s matches the schema under not", quote(v, x))) return false;
        }
    }
    if (sx->if_ && (sx->then_ || sx->else_ || ev)) {
        evset *b = ev ? ev_new(x) : NULL;
        bool cond = try_eval(v, sx->if_, x, b);
        if (cond) ev_merge(ev, b);
        ev_free(b);
        if (v->hard) return false;
        schema *branch = cond ? sx->then_ : sx->else_;
        if (branch && !eval(v, branch, x, ev)) {
            ok = false;
            if (v->spec || v->hard) return false;
        }
    }
    if (sx->ref_target && !eval(v, sx->ref_target, x, ev)) {
        ok = false;
        if (v->spec || v->hard) return false;
    }
    if (sx->dynamic_ref) {
        schema *t = sx->dynamic_ref;
        const ac_oas_dynamic *d = v->c->oas ? v->c->oas->dynamic : NULL;
        if (sx->dynamic_name && d) {
            /* the outermost resource in the dynamic scope that declares the anchor */
            for (size_t i = 0; i < v->nscope; i++) {
                schema *found = d->find(d, v->scope[i], sx->dynamic_name);
                if (found) {
                    t = found;
                    break;
                }
            }
        }
        if (!eval(v, t, x, ev)) {
            ok = false;
            if (v->spec || v->hard) return false;
        }
    }
    return ok;
}

static bool eval_unevaluated(ac_validator *v, schema *s, node *x, evset *mine)
{
    const ac_oas_schema_x *sx = s->x;
    bool ok = true;
    bool props = x->type == AC_DOC_MAP;
    int flag = props ? sx->unevaluated_props : sx->unevaluated_items;
    schema *us = props ? sx->unevaluated_props_schema : sx->unevaluated_items_schema;
    for (size_t i = 0; i < x->n; i++) {
        if (ev_has(mine, i)) continue;
        node *val = props ? x->pairs[i].value : x->items[i];
        if (props) push_key(v, x->pairs[i].key->str, x->pairs[i].key->len);
        else push_index(v, i);
        bool r = true;
        if (flag == 1) {
            v->npath--;
            r = props ? fail(v, s, "unevaluatedProperties", x, "property \"%s\" is not allowed (unevaluatedProperties is false)",
                             quote_key(v, x->pairs[i].key->str, x->pairs[i].key->len))
                      : fail(v, s, "unevaluatedItems", x, "item %zu is not allowed (unevaluatedItems is false)", i);
            ok = false;
            if (!r) return false;
            continue;
        }
        if (us && !eval(v, us, val, NULL)) {
            ok = false;
            r = !(v->spec || v->hard);
        }
        v->npath--;
        if (!r) return false;
        ev_mark(mine, i);
    }
    return ok;
}

static bool eval_body(ac_validator *v, schema *s, node *x, evset *ev)
{
    bool ok = true;
    char tb[96];
    if (!type_ok(v, s, x)) {
        ok = false;
        if (!fail(v, s, "type", x, "expected %s, got %s", type_names(s->types | (v->oas && s->nullable ? AC_OT_NULL : 0), tb, sizeof tb),
                  type_name_of(x)))
            return false;
    }
    if (s->has_enum) {
        bool found = false;
        for (uint32_t i = 0; i < s->enums.n && !found; i++) {
            node *e = ir_value(v, s->enums.v[i]);
            found = e && node_equal(e, x, 0);
        }
        /* OpenAPI 3.0: nullable adds null to the values an enum allows, as most tools read it */
        if (!found && x->type == AC_DOC_NULL && v->oas && s->nullable && v->dialect == AC_JS_DRAFT4) found = true;
        if (!found) {
            ok = false;
            bool nothing = !s->enums.n;
            if (!(nothing ? fail(v, s, NULL, x, "no value is allowed here (the schema is false, or its enum empty)")
                          : fail(v, s, "enum", x, "%s is not one of the %u enum values", quote(v, x), s->enums.n)))
                return false;
        }
    }
    if (s->x->konst) {
        node *k = ir_value(v, s->x->konst);
        if (!k || !node_equal(k, x, 0)) {
            ok = false;
            if (!fail(v, s, "const", x, "%s is not the const value %s", quote(v, x), k ? quote(v, k) : "?")) return false;
        }
    }
    bool r = true;
    switch ((ac_doc_type)x->type) {
    case AC_DOC_NUMBER: r = eval_number(v, s, x); break;
    case AC_DOC_STRING: r = eval_string(v, s, x); break;
    case AC_DOC_SEQ: r = eval_array(v, s, x, ev); break;
    case AC_DOC_MAP: r = eval_object(v, s, x, ev); break;
    default: break;
    }
    if (!r) {
        ok = false;
        if (v->spec || v->hard) return false;
    }
    if (!eval_format(v, s, x)) {
        ok = false;
        if (v->spec || v->hard) return false;
    }
    if (!eval_combinators(v, s, x, ev)) {
        ok = false;
        if (v->spec || v->hard) return false;
    }
    return ok;
}

static bool eval(ac_validator *v, schema *s, node *x, evset *ev)
{
    if (v->hard) return false;
    if (s == v->base && x == v->base_x) return true;
    if (++v->steps > AC_LIMIT_VALIDATE_STEPS)
        return hard_fail(v, s, NULL, "validation ran over its limit of %u steps (schemas applied to values); the schema or the "
                                     "instance is too large to check",
                         AC_LIMIT_VALIDATE_STEPS);
    if (v->nframes >= AC_LIMIT_VALIDATE_DEPTH)
        return hard_fail(v, s, NULL, "schemas nest deeper than %u while validating", AC_LIMIT_VALIDATE_DEPTH);
    if (on_stack(v, s, x)) return hard_fail(v, s, NULL, "the schema applies itself to the same value without end (a $ref loop)");
    if (v->nframes == v->capframes) {
        v->capframes = v->capframes ? v->capframes * 2 : 64;
        v->frames = ac_xrealloc(v->frames, v->capframes * sizeof *v->frames);
    }
    v->frames[v->nframes++] = (frame){s, x};
    /* the dynamic scope: the schema resource entered, when it changes */
    const ac_oas_dynamic *d = v->c->oas ? v->c->oas->dynamic : NULL;
    bool pushed = false;
    if (d && s->id < d->nschemas && d->resource_of[s->id] && (!v->nscope || v->scope[v->nscope - 1] != d->resource_of[s->id])) {
        if (v->nscope == v->capscope) {
            v->capscope = v->capscope ? v->capscope * 2 : 16;
            v->scope = ac_xrealloc(v->scope, v->capscope * sizeof *v->scope);
        }
        v->scope[v->nscope++] = d->resource_of[s->id];
        pushed = true;
    }
    /* unevaluated* sees only what this schema and its subschemas evaluated: its own set */
    bool uneval = (x->type == AC_DOC_MAP && s->x->unevaluated_props) || (x->type == AC_DOC_SEQ && s->x->unevaluated_items);
    evset *mine = uneval || (ev && (x->type == AC_DOC_MAP || x->type == AC_DOC_SEQ)) ? ev_new(x) : NULL;
    bool ok = eval_body(v, s, x, mine);
    /* after a failure here, what the failed parts left unevaluated would only repeat it */
    if (ok && uneval && !v->hard) ok = eval_unevaluated(v, s, x, mine);
    if (ok) ev_merge(ev, mine);
    ev_free(mine);
    if (pushed) v->nscope--;
    v->nframes--;
    return ok;
}

/* ---- the public API ------------------------------------------------------------------------------ */

ac_validator *ac_validator_new(const ac_contract *c, const ac_val_opts *o)
{
    ac_validator *v = ac_xcalloc(1, sizeof *v);
    v->c = c;
    if (o) v->o = *o;
    v->dialect = c->oas && c->oas->dialect ? c->oas->dialect : AC_JS_2020;
    v->oas = c->oas && c->oas->version != 0;
    v->keep = ac_arena_new();
    ac_strmap_init(&v->values);
    ac_strmap_init(&v->patterns);
    ac_strmap_init(&v->components);
    v->mctx = pcre2_match_context_create(NULL);
    v->md = pcre2_match_data_create(1, NULL);
    if (!v->mctx || !v->md) ac_oom();
    pcre2_set_depth_limit(v->mctx, AC_LIMIT_REGEX_DEPTH);
    pcre2_set_heap_limit(v->mctx, AC_LIMIT_REGEX_HEAP_KIB);
    return v;
}

void ac_validator_free(ac_validator *v)
{
    if (!v) return;
    for (size_t i = 0; i < v->patterns.cap; i++)
        if (v->patterns.e[i].key) pcre2_code_free(v->patterns.e[i].val);
    ac_strmap_free(&v->patterns);
    ac_strmap_free(&v->values);
    ac_strmap_free(&v->components);
    pcre2_match_data_free(v->md);
    pcre2_match_context_free(v->mctx);
    ac_arena_free(v->keep);
    if (v->run) ac_arena_free(v->run);
    free(v->path);
    free(v->frames);
    free(v->scope);
    free(v);
}

void ac_val_result_free(ac_val_result *r)
{
    if (!r) return;
    free(r->v);
    if (r->arena) ac_arena_free(r->arena);
    memset(r, 0, sizeof *r);
}

static void begin(ac_validator *v, ac_val_result *out, ac_status *st)
{
    if (out) memset(out, 0, sizeof *out);
    v->st = st;
    v->out = out;
    v->max_errors = !out ? 1 : v->o.max_errors ? v->o.max_errors : AC_LIMIT_VALIDATE_ERRORS;
    v->spec = out ? 0 : 1;
    v->hard = false;
    v->steps = 0;
    v->npath = v->nframes = v->nscope = 0;
    v->base = NULL;
    v->base_x = NULL;
}

static int verdict(ac_validator *v, bool ok)
{
    if (v->hard) return AC_ERROR;
    return ok ? AC_OK : AC_BREAKING;
}

int ac_validate(ac_validator *v, const ac_oas_schema *s, const ac_doc_node *inst, ac_val_result *out, ac_status *st)
{
    begin(v, out, st);
    bool ok = eval(v, s, inst, NULL);
    return verdict(v, ok);
}

const char *ac_val_error_text(const ac_val_error *e, char *b, size_t n)
{
    snprintf(b, n, "at %s: %s", *e->instance ? e->instance : "/", e->reason);
    return b;
}

/* ---- finding schemas ---------------------------------------------------------------------------- */

/* "/pets/{petId}" and "/pets/{id}" are the same path */
static bool same_path(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a == '{' && *b == '{') {
            const char *ca = strchr(a, '}'), *cb = strchr(b, '}');
            if (!ca || !cb) return false;
            a = ca + 1, b = cb + 1;
            continue;
        }
        if (*a++ != *b++) return false;
    }
    return !*a && !*b;
}

const ac_oas_op *ac_val_find_op(const ac_oas *oas, const char *name)
{
    if (!oas) return NULL;
    const char *sp = strchr(name, ' ');
    for (uint32_t i = 0; i < oas->nops; i++) {
        const ac_oas_op *op = &oas->ops[i];
        if (op->parent >= 0) continue;
        if (op->operation_id && !strcmp(op->operation_id, name)) return op;
        if (sp && (size_t)(sp - name) == strlen(op->method) && !strncasecmp(name, op->method, (size_t)(sp - name)) &&
            same_path(sp + 1, op->path))
            return op;
        if (op->label && !strcmp(op->label, name)) return op;
    }
    return NULL;
}

const ac_oas_response *ac_val_find_response(const ac_oas_op *op, const char *status)
{
    const ac_oas_response *range = NULL, *dflt = NULL;
    for (uint32_t i = 0; i < op->nresponses; i++) {
        const ac_oas_response *r = &op->responses[i];
        if (!strcmp(r->code, status)) return r;
        if (strlen(r->code) == 3 && (r->code[1] == 'X' || r->code[1] == 'x') && r->code[0] == status[0]) range = r;
        if (!strcmp(r->code, "default")) dflt = r;
    }
    return range ? range : dflt;
}

static bool json_media(const char *t)
{
    size_t n = strcspn(t, ";");
    return (n >= 4 && !strncmp(t + n - 4, "json", 4));
}

const ac_oas_media *ac_val_find_media(const ac_oas_media *m, uint32_t n, const char *type)
{
    if (!n) return NULL;
    if (!type) {
        if (n == 1) return &m[0];
        const ac_oas_media *json = NULL;
        for (uint32_t i = 0; i < n; i++)
            if (json_media(m[i].type)) {
                if (json) return NULL; /* two JSON media types: say which */
                json = &m[i];
            }
        return json;
    }
    size_t tn = strcspn(type, ";");
    while (tn && type[tn - 1] == ' ') tn--;
    for (uint32_t i = 0; i < n; i++)
        if (strlen(m[i].type) == tn && !strncasecmp(m[i].type, type, tn)) return &m[i];
    for (uint32_t i = 0; i < n; i++) {
        size_t mn = strcspn(m[i].type, ";");
        if (mn && !strncasecmp(m[i].type, type, mn)) return &m[i]; /* declared with parameters */
    }
    const char *slash = memchr(type, '/', tn);
    for (uint32_t i = 0; slash && i < n; i++) {
        const char *mt = m[i].type;
        size_t major = (size_t)(slash - type);
        if (!strcmp(mt, "*/*") || (strlen(mt) == major + 2 && !strncasecmp(mt, type, major) && !strcmp(mt + major, "/*")))
            return &m[i];
    }
    return NULL;
}

typedef struct walk {
    const ac_oas_schema **v;
    size_t n, cap;
    uint8_t *seen;
} walk;

static void walk_add(walk *w, const ac_oas_schema *s)
{
    if (!s || w->seen[s->id / 8] & (1u << (s->id % 8))) return;
    w->seen[s->id / 8] |= (uint8_t)(1u << (s->id % 8));
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 256;
        w->v = ac_xrealloc(w->v, w->cap * sizeof *w->v);
    }
    w->v[w->n++] = s;
}

/* Every schema reachable from the contract's operations and components. */
static void walk_all(const ac_contract *c, walk *w)
{
    const ac_oas *oas = c->oas;
    w->seen = ac_xcalloc(oas->schema_count / 8 + 1, 1);
    for (uint32_t i = 0; i < oas->nschemas; i++) walk_add(w, oas->schemas[i].schema);
    for (uint32_t i = 0; i < oas->nops; i++) {
        const ac_oas_op *op = &oas->ops[i];
        for (uint32_t k = 0; k < op->nparams; k++) walk_add(w, op->params[k].schema);
        for (uint32_t k = 0; k < op->nbody; k++) walk_add(w, op->body[k].schema);
        for (uint32_t r = 0; r < op->nresponses; r++) {
            for (uint32_t k = 0; k < op->responses[r].nmedia; k++) walk_add(w, op->responses[r].media[k].schema);
            for (uint32_t k = 0; k < op->responses[r].nheaders; k++) walk_add(w, op->responses[r].headers[k].schema);
        }
    }
    for (size_t i = 0; i < w->n; i++) {
        const ac_oas_schema *s = w->v[i];
        const ac_oas_schema_x *x = s->x;
        walk_add(w, s->items);
        walk_add(w, s->addl_schema);
        for (uint32_t k = 0; k < s->nprops; k++) walk_add(w, s->props[k].schema);
        for (uint32_t k = 0; k < s->nall_of; k++) walk_add(w, s->all_of[k]);
        for (uint32_t k = 0; k < s->none_of; k++) walk_add(w, s->one_of[k]);
        for (uint32_t k = 0; k < s->nany_of; k++) walk_add(w, s->any_of[k]);
        for (uint32_t k = 0; k < x->nprefix; k++) walk_add(w, x->prefix_items[k]);
        for (uint32_t k = 0; k < x->npattern_props; k++) walk_add(w, x->pattern_props[k].schema);
        for (uint32_t k = 0; k < x->ndependent_schemas; k++) walk_add(w, x->dependent_schemas[k].schema);
        const ac_oas_schema *one[] = {x->not_, x->if_, x->then_, x->else_, x->contains, x->property_names, x->content_schema,
                                      x->unevaluated_items_schema, x->unevaluated_props_schema, x->ref_target, x->dynamic_ref};
        for (size_t k = 0; k < sizeof one / sizeof *one; k++) walk_add(w, one[k]);
    }
}

const ac_oas_schema *ac_val_schema_at(const ac_contract *c, const char *ref)
{
    if (!c->oas) return NULL;
    if (ref[0] != '#' && ref[0] != '/') {
        for (uint32_t i = 0; i < c->oas->nschemas; i++)
            if (!strcmp(c->oas->schemas[i].name, ref)) return c->oas->schemas[i].schema;
        return NULL;
    }
    if (!c->src_at) return NULL;
    if (!strcmp(ref, "#") || !strcmp(ref, "#/") || !*ref) {
        if (c->oas->version == 0 && c->oas->nschemas) return c->oas->schemas[0].schema;
    }
    ac_src at = c->src_at(c, ref);
    if (!at) return NULL;
    walk w = {0};
    walk_all(c, &w);
    const ac_oas_schema *found = NULL;
    for (size_t i = 0; i < w.n && !found; i++)
        if (w.v[i]->src == at) found = w.v[i];
    free(w.v);
    free(w.seen);
    return found;
}

/* ---- whole requests and responses ----------------------------------------------------------------- */

static ac_doc_node *new_node(ac_validator *v, ac_doc_type t, const ac_doc_node *like)
{
    ac_doc_node *n = ac_arena_alloc(v->run, sizeof *n);
    if (like) {
        n->line = like->line;
        n->col = like->col;
    }
    n->type = t;
    return n;
}

/* A parameter value as sent on the wire ("42", "true", "a,b") read as the schema's type wants it;
 * anything else is left as it is (and fails validation if it does not fit). */
static const ac_doc_node *coerce(ac_validator *v, const ac_oas_schema *s, const ac_doc_node *x, int depth)
{
    if (!s || x->type != AC_DOC_STRING || !s->typed || (s->types & AC_OT_STRING) || depth > 2) return x;
    if (s->types & (AC_OT_INTEGER | AC_OT_NUMBER)) {
        ac_decimal d;
        char *end;
        if (ac_decimal_parse(x->str, x->len, &d)) {
            free(d.buf);
            ac_doc_node *n = new_node(v, AC_DOC_NUMBER, x);
            n->str = x->str;
            n->len = x->len;
            n->num = strtod(x->str, &end);
            return n;
        }
    }
    if ((s->types & AC_OT_BOOLEAN) && (!strcmp(x->str, "true") || !strcmp(x->str, "false"))) {
        ac_doc_node *n = new_node(v, AC_DOC_BOOL, x);
        n->b = x->str[0] == 't';
        n->str = x->str;
        n->len = x->len;
        return n;
    }
    if ((s->types & AC_OT_NULL) && !strcmp(x->str, "null")) return new_node(v, AC_DOC_NULL, x);
    if (s->types & AC_OT_ARRAY) {
        size_t count = 1;
        for (size_t i = 0; i < x->len; i++) count += x->str[i] == ',';
        if (!x->len) count = 0;
        ac_doc_node *n = new_node(v, AC_DOC_SEQ, x);
        n->items = ac_arena_alloc(v->run, (count ? count : 1) * sizeof *n->items);
        const char *p = x->str;
        for (size_t i = 0; i < count; i++) {
            size_t len = strcspn(p, ",");
            ac_doc_node *item = new_node(v, AC_DOC_STRING, x);
            item->str = ac_arena_strndup(v->run, p, len);
            item->len = (uint32_t)len;
            item->parent = n;
            n->items[i] = (ac_doc_node *)coerce(v, s->items, item, depth + 1);
            p += len + 1;
        }
        n->n = (uint32_t)count;
        return n;
    }
    return x;
}

static const ac_doc_node *get_ci(const ac_doc_node *map, const char *name)
{
    if (!map || map->type != AC_DOC_MAP) return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (!strcasecmp(map->pairs[i].key->str, name)) return map->pairs[i].value;
    return NULL;
}

static bool check_value(ac_validator *v, const char *part, const char *name, const ac_oas_schema *s, const ac_doc_node *val)
{
    push_key(v, part, strlen(part));
    push_key(v, name, strlen(name));
    bool ok = !s || eval(v, s, coerce(v, s, val, 0), NULL);
    v->npath -= 2;
    return ok;
}

static bool missing(ac_validator *v, const char *part, const char *what, const char *name, ac_src src)
{
    push_key(v, part, strlen(part));
    ac_oas_schema fake = {0};
    fake.src = src;
    bool r = fail(v, &fake, NULL, NULL, "required %s \"%s\" is missing", what, quote_key(v, name, strlen(name)));
    v->npath--;
    return r;
}

static bool check_body(ac_validator *v, const ac_oas_media *m, uint32_t nm, const char *media, const ac_doc_node *body,
                       bool required, ac_src src)
{
    if (!body) {
        if (!required) return true;
        ac_oas_schema fake = {0};
        fake.src = src;
        push_key(v, "body", 4);
        fail(v, &fake, NULL, NULL, "the body is required");
        v->npath--;
        return false;
    }
    const ac_oas_media *mt = ac_val_find_media(m, nm, media);
    if (!mt) {
        if (!nm) return true; /* no content documented: anything goes */
        hard_fail(v, NULL, NULL, media ? "no media type \"%s\" is documented here" : "%s; name one with --media-type",
                  media ? media : "several media types are documented here");
        return false;
    }
    if (!mt->schema) return true;
    push_key(v, "body", 4);
    bool ok = eval(v, mt->schema, body, NULL);
    v->npath--;
    return ok;
}

int ac_validate_request(ac_validator *v, const ac_oas_op *op, const char *media, const ac_doc_node *req,
                        ac_val_result *out, ac_status *st)
{
    begin(v, out, st);
    if (v->run) ac_arena_free(v->run);
    v->run = ac_arena_new();
    ac_val_dir saved = v->o.direction;
    v->o.direction = AC_VAL_REQUEST;
    bool ok = true;
    if (!req || req->type != AC_DOC_MAP) {
        v->o.direction = saved;
        return ac_fail(st, NULL, req ? req->line : 0, req ? req->col : 0,
                       "a request must be a map of path_params, query, headers and body");
    }
    static const char *const parts[][2] = {{"path", "path_params"}, {"query", "query"}, {"header", "headers"}, {"cookie", "cookies"}};
    for (uint32_t i = 0; i < op->nparams && !v->hard; i++) {
        const ac_oas_param *p = &op->params[i];
        const char *part = NULL;
        for (size_t k = 0; k < 4; k++)
            if (!strcmp(p->in, parts[k][0])) part = parts[k][1];
        if (!part) continue;
        const ac_doc_node *map = ac_doc_get(req, part);
        const ac_doc_node *val = !strcmp(p->in, "header") ? get_ci(map, p->name) : map && map->type == AC_DOC_MAP ? ac_doc_get(map, p->name) : NULL;
        if (!val) {
            if (p->required) {
                ok = false;
                if (!missing(v, part, !strcmp(p->in, "header") ? "header" : "parameter", p->name, p->src)) break;
            }
            continue;
        }
        if (!check_value(v, part, p->name, p->schema, val)) {
            ok = false;
            if (v->out && v->out->n >= v->max_errors) break;
            if (!v->out) break;
        }
    }
    if (!v->hard && (ok || v->out))
        ok = check_body(v, op->body, op->nbody, media, ac_doc_get(req, "body"), op->body_required, op->body_src ? op->body_src : op->src) && ok;
    v->o.direction = saved;
    return verdict(v, ok);
}

int ac_validate_response(ac_validator *v, const ac_oas_op *op, const char *status, const char *media,
                         const ac_doc_node *headers, const ac_doc_node *body, ac_val_result *out, ac_status *st)
{
    begin(v, out, st);
    if (v->run) ac_arena_free(v->run);
    v->run = ac_arena_new();
    const ac_oas_response *r = ac_val_find_response(op, status);
    if (!r) return ac_fail(st, NULL, 0, 0, "%s documents no response for status %s", op->label, status);
    ac_val_dir saved = v->o.direction;
    v->o.direction = AC_VAL_RESPONSE;
    bool ok = true;
    for (uint32_t i = 0; i < r->nheaders && !v->hard && headers; i++) {
        const ac_oas_header *h = &r->headers[i];
        const ac_doc_node *val = get_ci(headers, h->name);
        if (!val) {
            if (h->required) {
                ok = false;
                if (!missing(v, "headers", "header", h->name, h->src)) break;
            }
            continue;
        }
        if (!check_value(v, "headers", h->name, h->schema, val)) {
            ok = false;
            if (!v->out) break;
        }
    }
    if (!v->hard && (ok || v->out)) {
        if (v->npath) v->npath = 0;
        bool has = body != NULL;
        if (has) {
            const ac_oas_media *mt = ac_val_find_media(r->media, r->nmedia, media);
            if (!mt && r->nmedia) {
                hard_fail(v, NULL, NULL, media ? "no media type \"%s\" is documented for status %s" : "%s for status %s; name one with --media-type",
                          media ? media : "several media types are documented", r->code);
            } else if (mt && mt->schema) {
                push_key(v, "body", 4);
                ok = eval(v, mt->schema, body, NULL) && ok;
                v->npath--;
            }
        }
    }
    v->o.direction = saved;
    return verdict(v, ok);
}
