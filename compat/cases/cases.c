/* compat/cases: instances generated from the schemas of an OpenAPI contract (see cases.h). */
#include "compat/cases/cases.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "compat/base/limits.h"
#include "compat/validate/validate.h"

/* One way of filling a schema: required properties only or all of them, which enum value and
 * oneOf/anyOf branch (pick, modulo their count), and which end of each bound (-1 low, 1 high, 0
 * a value inside). */
typedef struct variant {
    bool all;
    unsigned pick;
    int bound;
    bool nulls; /* nullable values below the top are null */
} variant;

typedef struct gen {
    const ac_case_opts *o;
    ac_validator *v;
    ac_val_dir dir;
    variant var;
    unsigned maxpick; /* the most choices one enum or oneOf offered: how many picks are worth trying */
} gen;

static cJSON *instance(gen *g, const ac_oas_schema *s, unsigned depth);

static void note_choices(gen *g, size_t n)
{
    if (n > g->maxpick) g->maxpick = (unsigned)(n < AC_LIMIT_CASES_VARIANTS ? n : AC_LIMIT_CASES_VARIANTS);
}

/* Whether a plain value fits s alone (for strings, whose pattern or format only the validator knows). */
static bool fits(gen *g, const ac_oas_schema *s, const ac_doc_node *n)
{
    ac_status st;
    ac_status_init(&st);
    int rc = ac_validate(g->v, s, n, NULL, &st);

    return rc == AC_OK;
}

static const char *format_value(const char *f)
{
    static const struct {
        const char *format, *value;
    } t[] = {
        {"date-time", "2020-01-02T03:04:05Z"}, {"date", "2020-01-02"}, {"time", "03:04:05Z"},
        {"duration", "P1D"}, {"email", "user@example.com"}, {"idn-email", "user@example.com"},
        {"hostname", "example.com"}, {"idn-hostname", "example.com"}, {"ipv4", "192.0.2.1"},
        {"ipv6", "2001:db8::1"}, {"uri", "https://example.com/a"}, {"uri-reference", "/a"},
        {"iri", "https://example.com/a"}, {"iri-reference", "/a"}, {"url", "https://example.com/a"},
        {"uri-template", "https://example.com/{a}"}, {"uuid", "123e4567-e89b-12d3-a456-426614174000"},
        {"byte", "YWJj"}, {"json-pointer", "/a"}, {"relative-json-pointer", "0/a"}, {"regex", "^a$"},
        {"binary", "abc"}, {"password", "secret"},
    };
    for (size_t i = 0; f && i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(f, t[i].format)) return t[i].value;
    return NULL;
}

/* A string for a pattern made only of literals, character classes (\\d, \\w, [a-z0-9_]) and
 * quantifiers ({n}, {n,m}, +, *, ?), anchored or not: the shortest that fits, or NULL for any
 * other pattern (alternatives, groups, lookarounds: no guess is made for those). */
static char *trivial_pattern(const char *p, int64_t minlen)
{
    size_t cap = 256, n = 0;
    char *out = malloc(cap + 1);
    if (!out) return NULL;
    if (*p == '^') p++;
    while (*p && !(p[0] == '$' && !p[1])) {
        char c;
        if (*p == '\\') {
            p++;
            if (*p == 'd') c = '1';
            else if (*p == 'w') c = 'a';
            else if (*p && strchr(".-_/+*?()[]{}^$|\\:", *p)) c = *p;
            else goto fail;
            p++;
        } else if (*p == '[') {
            p++;
            if (*p == '^' || *p == ']') goto fail;
            c = *p == '\\' ? (p[1] == 'd' ? '1' : p[1] == 'w' ? 'a' : p[1]) : *p;
            if (!c) goto fail;
            while (*p && *p != ']') p += *p == '\\' && p[1] ? 2 : 1;
            if (*p != ']') goto fail;
            p++;
        } else if (strchr(".()|+*?{}^$", *p)) {
            goto fail;
        } else {
            c = *p++;
        }
        long lo = 1;
        if (*p == '+') lo = 1, p++;
        else if (*p == '*' || *p == '?') lo = 0, p++;
        else if (*p == '{') {
            char *e;
            lo = strtol(p + 1, &e, 10);
            if (e == p + 1 || lo < 0 || lo > 256) goto fail;
            while (*e && *e != '}') e++;
            if (*e != '}') goto fail;
            p = e + 1;
        }
        if (*p == '?' || *p == '+') p++; /* lazy or possessive */
        for (long i = 0; i < lo; i++) {
            if (n == cap) goto fail;
            out[n++] = c;
        }
    }
    (void)minlen;
    out[n] = 0;
    return out;
fail:
    free(out);
    return NULL;
}

static cJSON *string_value(gen *g, const ac_oas_schema *s)
{
    /* the schema's own example first (when the contract gives one and it fits) */
    const ac_doc_node *ex = g->o && g->o->schema_example && !g->var.bound ? g->o->schema_example(s->src) : NULL;
    if (ex && ex->type == AC_DOC_STRING && fits(g, s, ex)) return cJSON_CreateString(ex->str);
    if (s->dflt && !g->var.bound) {
        cJSON *d = cJSON_Parse(s->dflt);
        if (cJSON_IsString(d)) {
            ac_doc_node n = {.str = d->valuestring, .len = (uint32_t)strlen(d->valuestring), .type = AC_DOC_STRING};
            if (fits(g, s, &n)) return d;
        }
        cJSON_Delete(d);
    }
    int64_t len = s->min_len > 0 ? s->min_len : 1;
    if (g->var.bound > 0 && s->max_len >= 0) len = s->max_len;
    else if (g->var.bound < 0) len = s->min_len > 0 ? s->min_len : 0;
    if (s->max_len >= 0 && len > s->max_len) len = s->max_len;
    if (len > (int64_t)AC_LIMIT_CASES_STRING) len = AC_LIMIT_CASES_STRING;
    char *buf = malloc((size_t)len + 1);
    if (!buf) return NULL;
    const char *fv = format_value(s->format);
    char *pat = s->pattern ? trivial_pattern(s->pattern, len) : NULL;
    static const char fill[] = "a1Az0";
    cJSON *out = NULL;
    /* a bound variant wants the length itself: plain fills first, then the format's and the
     * pattern's own strings (which have lengths of their own) */
    for (size_t t = 0; !out && t <= sizeof fill; t++) {
        size_t k = g->var.bound ? (t + 2) % (sizeof fill + 1) : t;
        const char *text = buf;
        if (k == 0 && fv) text = fv;
        else if (k == 1 && pat) text = pat;
        else if (k < 2) continue;
        else {
            memset(buf, fill[k - 2], (size_t)len);
            buf[len] = 0;
        }
        ac_doc_node n = {.str = text, .len = (uint32_t)strlen(text), .type = AC_DOC_STRING};
        if (fits(g, s, &n)) out = cJSON_CreateString(text);
    }
    free(buf);
    free(pat);
    return out; /* NULL: nothing fits (a pattern no guess satisfies): an optional property is left out */
}

static cJSON *number_value(gen *g, const ac_oas_schema *s, bool integer)
{
    double v = integer ? 1 : 1.5;
    const ac_oas_bound *lo = &s->min, *hi = &s->max;
    bool use_hi = hi->set && (g->var.bound > 0 || (!lo->set && g->var.bound == 0));
    if (use_hi) {
        v = integer ? floor(hi->v) : hi->v;
        if (hi->exclusive && v >= hi->v) v = integer ? v - 1 : (lo->set ? (lo->v + hi->v) / 2 : hi->v - 1);
    } else if (lo->set) {
        v = integer ? ceil(lo->v) : lo->v;
        if (lo->exclusive && v <= lo->v) v = integer ? v + 1 : (hi->set ? (lo->v + hi->v) / 2 : lo->v + 1);
    }
    if (s->x->has_multiple_of && s->x->multiple_of > 0) {
        double m = s->x->multiple_of, q = use_hi ? floor(v / m) : ceil(v / m);
        v = q * m;
    }
    if (!isfinite(v)) v = 1;
    char buf[64];
    if (integer && fabs(v) < 9007199254740992.0) snprintf(buf, sizeof buf, "%.0f", v);
    else snprintf(buf, sizeof buf, "%.17g", v);
    return cJSON_CreateRaw(buf);
}

static const ac_oas_schema *prop_schema(const ac_oas_schema *s, const char *name)
{
    for (uint32_t i = 0; i < s->nprops; i++)
        if (!strcmp(s->props[i].name, name)) return s->props[i].schema;
    return NULL;
}

static bool skipped_by_direction(gen *g, const ac_oas_schema *p)
{
    if (!p) return false;
    const ac_oas_schema *m = p->merged ? p->merged : p;
    return (g->dir == AC_VAL_REQUEST && (p->read_only || m->read_only)) || (g->dir == AC_VAL_RESPONSE && (p->write_only || m->write_only));
}

static void add_prop(gen *g, cJSON *obj, const char *name, const ac_oas_schema *p, unsigned depth)
{
    if (cJSON_GetObjectItemCaseSensitive(obj, name) || skipped_by_direction(g, p)) return;
    cJSON *x = p ? instance(g, p, depth + 1) : cJSON_CreateString("a");
    if (x) cJSON_AddItemToObject(obj, name, x);
}

static void fill_object(gen *g, const ac_oas_schema *s, cJSON *obj, unsigned depth)
{
    bool all = g->var.all && depth + 2 < AC_LIMIT_CASES_DEPTH;
    for (uint32_t i = 0; i < s->required.n; i++) {
        const ac_oas_schema *p = prop_schema(s, s->required.v[i]);
        add_prop(g, obj, s->required.v[i], p ? p : (s->addl == 3 ? s->addl_schema : NULL), depth);
    }
    for (uint32_t i = 0; all && i < s->nprops; i++) add_prop(g, obj, s->props[i].name, s->props[i].schema, depth);
    for (uint32_t i = 0; i < s->nall_of; i++) fill_object(g, s->all_of[i]->merged ? s->all_of[i]->merged : s->all_of[i], obj, depth);
}

static cJSON *parse_canon(const char *text)
{
    return text ? cJSON_Parse(text) : NULL;
}

/* The discriminator value that names schema named `name`: its mapping key, else the name. */
static const char *disc_value(const ac_oas_schema_x *x, const char *name)
{
    if (!name) return NULL;
    size_t nl = strlen(name);
    for (uint32_t i = 0; i < x->mapping_keys.n && i < x->mapping_vals.n; i++) {
        const char *v = x->mapping_vals.v[i];
        size_t vl = strlen(v);
        if (!strcmp(v, name) || (vl > nl && !strcmp(v + vl - nl, name) && v[vl - nl - 1] == '/')) return x->mapping_keys.v[i];
    }
    return name;
}

static cJSON *instance_(gen *g, const ac_oas_schema *s0, unsigned depth, const ac_oas_schema **branch);

/* An instance, with the discriminator property (if the schema has one) naming the schema chosen. */
static cJSON *instance(gen *g, const ac_oas_schema *s0, unsigned depth)
{
    const ac_oas_schema *branch = NULL;
    cJSON *x = instance_(g, s0, depth, &branch);
    const ac_oas_schema *s = s0 && s0->merged ? s0->merged : s0;
    if (!x || !cJSON_IsObject(x) || !s || !s->x->has_discriminator || !s->x->discriminator) return x;
    const char *v = branch ? disc_value(s->x, branch->name) : s0->name ? disc_value(s->x, s0->name) : s->name ? disc_value(s->x, s->name) : NULL;
    if (!v && s->x->mapping_keys.n) v = s->x->mapping_keys.v[g->var.pick % s->x->mapping_keys.n];
    if (!v) return x;
    cJSON_DeleteItemFromObjectCaseSensitive(x, s->x->discriminator);
    cJSON_AddStringToObject(x, s->x->discriminator, v);
    return x;
}

static cJSON *instance_(gen *g, const ac_oas_schema *s0, unsigned depth, const ac_oas_schema **branch)
{
    if (!s0 || depth > AC_LIMIT_CASES_DEPTH) return NULL;
    const ac_oas_schema *s = s0->merged ? s0->merged : s0;
    if (g->var.nulls && depth > 0 && (s0->nullable || s->nullable)) return cJSON_CreateNull();
    if (s->x->konst) return parse_canon(s->x->konst);
    if (s->has_enum && s->enums.n) {
        note_choices(g, s->enums.n);
        return parse_canon(s->enums.v[g->var.pick % s->enums.n]);
    }
    if (s->none_of || s->nany_of) {
        uint32_t n = s->none_of ? s->none_of : s->nany_of;
        ac_oas_schema *const *b = s->none_of ? s->one_of : s->any_of;
        note_choices(g, n);
        *branch = b[g->var.pick % n];
        cJSON *x = instance(g, *branch, depth);
        if (x && cJSON_IsObject(x) && (s->nprops || s->required.n)) fill_object(g, s, x, depth);
        return x;
    }
    uint8_t t = s->types;
    if (!s->typed || !t) {
        if (s->nprops || s->required.n || s->nall_of || s->addl) t = AC_OT_OBJECT;
        else if (s->items) t = AC_OT_ARRAY;
        else if (s->min.set || s->max.set) t = AC_OT_NUMBER;
        else t = AC_OT_STRING;
    }
    if (t & AC_OT_OBJECT) {
        cJSON *obj = cJSON_CreateObject();
        fill_object(g, s, obj, depth);
        return obj;
    }
    if (t & AC_OT_ARRAY) {
        int64_t n = g->var.all ? 1 : 0;
        if (s->min_items > n) n = s->min_items;
        if (g->var.bound > 0 && s->max_items >= 0) n = s->max_items;
        else if (g->var.bound < 0) n = s->min_items > 0 ? s->min_items : 0;
        if (s->unique_items && n > 1 && n > s->min_items) n = s->min_items > 1 ? s->min_items : 1; /* equal items would break it */
        if (s->max_items >= 0 && n > s->max_items) n = s->max_items;
        if (n > (int64_t)AC_LIMIT_CASES_ITEMS) n = AC_LIMIT_CASES_ITEMS;
        if (depth + 1 >= AC_LIMIT_CASES_DEPTH) n = s->min_items > 0 ? s->min_items : 0;
        cJSON *arr = cJSON_CreateArray();
        variant saved = g->var;
        for (int64_t i = 0; i < n; i++) {
            if (s->unique_items) g->var.pick = saved.pick + (unsigned)i; /* distinct enum values or branches */
            const ac_oas_schema *is = s->x->nprefix > (uint64_t)i ? s->x->prefix_items[i] : s->items;
            cJSON *x = is ? instance(g, is, depth + 1) : cJSON_CreateNumber((double)i);
            if (x) cJSON_AddItemToArray(arr, x);
        }
        g->var = saved;
        return arr;
    }
    if (t & AC_OT_STRING) return string_value(g, s);
    if (t & AC_OT_INTEGER) return number_value(g, s, true);
    if (t & AC_OT_NUMBER) return number_value(g, s, false);
    if (t & AC_OT_BOOLEAN) return cJSON_CreateBool(g->var.pick % 2 == 0);
    return cJSON_CreateNull();
}

/* ---- documents to JSON -------------------------------------------------------------------------- */

static cJSON *from_doc(const ac_doc_node *n, unsigned depth)
{
    if (depth > AC_LIMIT_VALIDATE_DEPTH) return cJSON_CreateNull();
    switch (n->type) {
    case AC_DOC_NULL: return cJSON_CreateNull();
    case AC_DOC_BOOL: return cJSON_CreateBool(n->b);
    case AC_DOC_NUMBER: {
        char *t = strndup(n->str, n->len);
        if (!t) return NULL;
        cJSON *x = cJSON_CreateRaw(t);
        free(t);
        return x;
    }
    case AC_DOC_STRING: {
        char *t = strndup(n->str, n->len);
        if (!t) return NULL;
        cJSON *x = cJSON_CreateString(t);
        free(t);
        return x;
    }
    case AC_DOC_SEQ: {
        cJSON *a = cJSON_CreateArray();
        for (uint32_t i = 0; i < n->n; i++) cJSON_AddItemToArray(a, from_doc(n->items[i], depth + 1));
        return a;
    }
    default: {
        cJSON *o = cJSON_CreateObject();
        for (uint32_t i = 0; i < n->n; i++)
            if (!cJSON_GetObjectItemCaseSensitive(o, n->pairs[i].key->str))
                cJSON_AddItemToObject(o, n->pairs[i].key->str, from_doc(n->pairs[i].value, depth + 1));
        return o;
    }
    }
}

/* ---- one operation ------------------------------------------------------------------------------ */

typedef struct op_run {
    const ac_contract *c;
    const ac_case_opts *o;
    ac_case_list *out;
    const ac_oas_op *op;
    unsigned op_index, n;
    bool full;
    ac_status *st;
} op_run;

static bool seen(const op_run *r, size_t first, const ac_case *k)
{
    for (size_t i = first; i < r->out->n; i++) {
        const ac_case *x = &r->out->v[i];
        if (x->request == k->request && !strcmp(x->text, k->text) && (x->media == k->media || (x->media && k->media && !strcmp(x->media, k->media))) &&
            (x->status == k->status || (x->status && k->status && !strcmp(x->status, k->status))))
            return true;
    }
    return false;
}

/* Validates the case against the contract and keeps it (or drops and counts it).  Takes text. */
static int offer(op_run *r, size_t first, ac_case k, ac_validator *v)
{
    if (!k.text) return AC_OK;
    if (r->n >= AC_LIMIT_CASES_PER_OP) {
        r->full = true;
        free(k.text);
        return AC_OK;
    }
    if (seen(r, first, &k)) {
        free(k.text);
        return AC_OK;
    }
    ac_arena *a = ac_arena_new();
    ac_doc *d = NULL;
    ac_status st;
    ac_status_init(&st);
    ac_val_result res;
    memset(&res, 0, sizeof res); /* stays empty: without a result the first error ends the check */
    int rc = ac_doc_parse(&d, a, "(case)", k.text, strlen(k.text), NULL, &st);
    if (!rc && k.request) rc = ac_validate_request(v, r->op, k.media, d->root, NULL, &st);
    else if (!rc) rc = ac_validate_response(v, r->op, k.status, k.media, NULL, k.has_body ? d->root : NULL, NULL, &st);
    ac_val_result_free(&res);

    ac_arena_free(a);
    if (rc != AC_OK) { /* invalid, or a schema the validator cannot apply: not a case */
        r->out->dropped++;
        free(k.text);
        return AC_OK;
    }
    k.op = r->op;
    k.op_index = r->op_index;
    k.n = r->n++;
    if (r->out->n == r->out->cap) {
        r->out->cap = r->out->cap ? r->out->cap * 2 : 256;
        r->out->v = ac_xrealloc(r->out->v, r->out->cap * sizeof *r->out->v);
    }
    r->out->v[r->out->n++] = k;
    return AC_OK;
}

static char *print(cJSON *j)
{
    char *s = cJSON_Print(j);
    cJSON_Delete(j);
    return s;
}

static cJSON *params_part(gen *g, const ac_oas_op *op, const char *in, bool all)
{
    cJSON *o = cJSON_CreateObject();
    for (uint32_t i = 0; i < op->nparams; i++) {
        const ac_oas_param *p = &op->params[i];
        if (strcmp(p->in, in) || (!all && !p->required && strcmp(in, "path"))) continue;
        if (cJSON_GetObjectItemCaseSensitive(o, p->name)) continue;
        cJSON *x = p->schema ? instance(g, p->schema, 1) : cJSON_CreateString("a");
        if (x) cJSON_AddItemToObject(o, p->name, x);
    }
    return o;
}

static cJSON *request(gen *g, const ac_oas_op *op, cJSON *body)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddItemToObject(j, "path_params", params_part(g, op, "path", g->var.all));
    cJSON_AddItemToObject(j, "query", params_part(g, op, "query", g->var.all));
    cJSON_AddItemToObject(j, "headers", params_part(g, op, "header", g->var.all));
    if (body) cJSON_AddItemToObject(j, "body", body);
    return j;
}

/* The variants tried, in order: all properties, required ones only, the low and high bounds, null
 * for every nullable value, then each further enum value / branch (as many as the schema offered). */
static bool next_variant(unsigned i, unsigned maxpick, variant *out)
{
    static const variant first[] = {{true, 0, 0, false}, {false, 0, 0, false}, {true, 0, -1, false}, {true, 0, 1, false}, {true, 0, 0, true}};
    enum { NFIRST = sizeof first / sizeof *first };
    if (i < NFIRST) {
        *out = first[i];
        return true;
    }
    unsigned pick = i - NFIRST + 1;
    if (pick >= maxpick || pick >= AC_LIMIT_CASES_VARIANTS) return false;
    *out = (variant){true, pick, 0, false};
    return true;
}

static int body_cases(op_run *r, ac_validator *v, bool req, const char *status, const ac_oas_media *m)
{
    size_t first = r->out->n;
    /* the contract's own examples first */
    if (m && r->o->examples) {
        const ac_doc_node *ex[AC_LIMIT_CASES_EXAMPLES];
        size_t nex = r->o->examples(m->src, ex, AC_LIMIT_CASES_EXAMPLES);
        for (size_t i = 0; i < nex; i++) {
            gen g = {r->o, v, req ? AC_VAL_REQUEST : AC_VAL_RESPONSE, {true, 0, 0, false}, 0};
            cJSON *b = from_doc(ex[i], 0);
            ac_case k = {.request = req, .status = status, .media = m->type, .example = true, .has_body = true};
            k.text = print(req ? request(&g, r->op, b) : b);
            if (offer(r, first, k, v)) return AC_ERROR;
        }
    }
    gen g = {r->o, v, req ? AC_VAL_REQUEST : AC_VAL_RESPONSE, {true, 0, 0, false}, 0};
    for (unsigned i = 0; next_variant(i, g.maxpick, &g.var) && !r->full; i++) {
        cJSON *b = m && m->schema ? instance(&g, m->schema, 0) : m ? cJSON_CreateObject() : NULL;
        ac_case k = {.request = req, .status = status, .media = m ? m->type : NULL, .has_body = m != NULL};
        k.text = req ? print(request(&g, r->op, b)) : b ? print(b) : strdup("null");
        if (offer(r, first, k, v)) return AC_ERROR;
        if (!m && !req) break; /* no body: one case says the status is documented */
    }
    return AC_OK;
}

static int op_cases(const ac_contract *c, const ac_case_opts *o, ac_validator *v, uint32_t i, ac_case_list *out, ac_status *st)
{
    const ac_oas_op *op = &c->oas->ops[i];
    if (op->webhook || op->parent >= 0) return AC_OK; /* sent by the server: no request a client makes */
    op_run r = {c, o, out, op, i, 0, false, st};
    int rc = AC_OK;
    if (o->requests) {
        if (!op->nbody) rc = body_cases(&r, v, true, NULL, NULL);
        for (uint32_t b = 0; b < op->nbody && !rc; b++) rc = body_cases(&r, v, true, NULL, &op->body[b]);
    }
    for (uint32_t k = 0; o->responses && k < op->nresponses && !rc; k++) {
        const ac_oas_response *resp = &op->responses[k];
        if (!resp->nmedia) rc = body_cases(&r, v, false, resp->code, NULL);
        for (uint32_t m = 0; m < resp->nmedia && !rc; m++) rc = body_cases(&r, v, false, resp->code, &resp->media[m]);
    }
    if (r.full) out->truncated++;
    return rc;
}

int ac_cases_generate(const ac_contract *c, const ac_case_opts *o, ac_case_list *out, ac_status *st)
{
    memset(out, 0, sizeof *out);
    if (!c->oas) return ac_fail(st, c->source, 0, 0, "cases are generated from OpenAPI contracts only");
    ac_val_opts vo = {.formats = true, .max_errors = 1};
    ac_validator *v = ac_validator_new(c, &vo);
    int rc = AC_OK;
    for (uint32_t i = 0; i < c->oas->nops && !rc; i++) rc = op_cases(c, o, v, i, out, st);
    ac_validator_free(v);
    return rc;
}

int ac_cases_generate_op(const ac_contract *c, const ac_oas_op *op, const ac_case_opts *o, ac_validator *v, ac_case_list *out,
                         ac_status *st)
{
    return op_cases(c, o, v, (uint32_t)(op - c->oas->ops), out, st);
}

void ac_case_list_free(ac_case_list *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i].text);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* "0003-get-request-01": the operation's index and method, the kind, the case's number. */
const char *ac_case_id(ac_arena *a, const ac_case *k)
{
    return ac_arena_printf(a, "%04u-%s-%s-%02u", k->op_index, k->op->method, k->request ? "request" : "response", k->n);
}

