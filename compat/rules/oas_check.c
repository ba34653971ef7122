/* Comparing two OpenAPI contracts.
 *
 * Operations pair by method and path (parameter names ignored); parameters by location and name
 * (header names case-insensitively, path parameters by position); media types, status codes and
 * headers by name.  Schemas are compared with a direction: what clients send (requests) may only
 * get looser, what they receive (responses) may only get tighter.
 *
 * Schema comparison is memoised per (old schema, new schema, direction, context): recursion
 * through $ref cycles terminates, a shared component is compared once, and a change in it is one
 * finding that lists every operation it affects.  allOf is judged by its merged meaning.
 *
 * Check IDs and levels are oasdiff's; a check is emitted under `<context prefix><change>` (e.g.
 * "request-property-" + "max-length-decreased") only when oasdiff defines that ID. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compat/rules/check.h"
#include "compat/base/decimal.h"
#include "compat/base/map.h"
#include "compat/rules/oas_check.h"
#include "compat/policy/policy.h"

#define MAX_SCHEMA_DEPTH 2000
#define MAX_MERGE_DEPTH 64

typedef enum { DREQ = 0, DRESP = 1 } dir_t;
/* Where a schema sits: its ID prefix.  C_HPARAM is a header parameter (its object properties use
 * "request-header-property-" IDs). */
typedef enum { C_BODY, C_PROP, C_PARAM, C_PARAM_PROP, C_HEADER, C_RO_PROP, C_WO_PROP, C_HPARAM, C_COUNT } cx_t;

typedef struct entry {
    uint32_t *f, nf, cf;    /* findings made while comparing this pair */
    uint32_t *kids, nk, ck; /* entries reached from it */
    uint32_t op_stamp;      /* last op that visited it during attribution */
} entry;

typedef struct idlist {
    uint32_t *v, n, cap;
} idlist;

typedef struct octx {
    ac_contract *oc, *nc;
    ac_oas *o, *n;
    ac_findings *out;
    ac_arena *scratch;
    const ac_oas_check_opts *opts;
    entry *entries;
    size_t nentries, centries;
    ac_intmap memo;
    long cur_entry;   /* -1 at operation level */
    long cur_op;      /* index into n->ops, or -1 */
    bool text;        /* the values travel as text (not JSON or XML): looser typing */
    idlist *op_roots; /* per new op: the schema entries it reached */
    idlist *fops;     /* per finding: the new ops it affects */
    size_t nfops;
    const char **flabel;   /* per finding: the old operation it is about, when it has no new one */
    const char *cur_label; /* the removed operation being reported */
    int depth;
    bool failed;
    ac_status *st;
    long today; /* days since the epoch */
} octx;

/* ---- small helpers ----------------------------------------------------------------------------- */

static void idlist_add(idlist *l, uint32_t v)
{
    if (l->n && l->v[l->n - 1] == v) return;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->v = ac_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = v;
}

static bool streq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool list_has(const ac_oas_strlist *l, const char *s)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s)) return true;
    return false;
}

/* Lists longer than this are looked up through a hash map: a 100,000-value enum or a schema with
 * 100,000 properties is compared in linear time, not quadratic. */
#define INDEX_MIN 16

/* A string list with an index when it is long. */
typedef struct strset {
    const ac_oas_strlist *l;
    ac_strmap m;
    bool indexed;
} strset;

static void strset_init(strset *x, const ac_oas_strlist *l)
{
    x->l = l;
    x->indexed = l->n > INDEX_MIN;
    if (!x->indexed) return;
    ac_strmap_init(&x->m);
    for (uint32_t i = 0; i < l->n; i++) ac_strmap_put(&x->m, l->v[i], (void *)l->v[i]);
}

static bool strset_has(const strset *x, const char *s)
{
    return x->indexed ? ac_strmap_get(&x->m, s) != NULL : list_has(x->l, s);
}

static void strset_free(strset *x)
{
    if (x->indexed) ac_strmap_free(&x->m);
}

/* The values of a that b lacks, in a's order, into out (room for a->n). */
static size_t list_minus(const ac_oas_strlist *a, const ac_oas_strlist *b, const char **out)
{
    strset bs;
    strset_init(&bs, b);
    size_t n = 0;
    for (uint32_t i = 0; i < a->n; i++)
        if (!strset_has(&bs, a->v[i])) out[n++] = a->v[i];
    strset_free(&bs);
    return n;
}

static const char *prefix_of(dir_t d, cx_t c)
{
    static const char *const req[C_COUNT] = {"request-body-", "request-property-", "request-parameter-",
                                             "request-parameter-property-", "request-header-property-",
                                             "request-read-only-property-", "request-property-", "request-parameter-"};
    static const char *const resp[C_COUNT] = {"response-body-", "response-property-", "response-parameter-",
                                              "response-property-", "response-header-", "response-property-",
                                              "response-write-only-property-", "response-parameter-"};
    return d == DREQ ? req[c] : resp[c];
}

/* Days since 1970-01-01 of "YYYY-MM-DD" (or an RFC 3339 date-time); -1 when it does not parse. */
long ac_parse_date(const char *s)
{
    if (!s || strlen(s) < 10) return -1;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i])) return -1;
    if (s[10] && s[10] != 'T' && s[10] != 't' && s[10] != ' ') return -1;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap)) return -1;
    /* days from civil (Howard Hinnant's algorithm) */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static long parse_date(const char *s)
{
    return ac_parse_date(s);
}

static int stability_rank(const char *s)
{
    if (!s) return 3;
    if (!strcmp(s, "draft")) return 0;
    if (!strcmp(s, "alpha")) return 1;
    if (!strcmp(s, "beta")) return 2;
    if (!strcmp(s, "stable")) return 3;
    return -1;
}

/* ---- findings ----------------------------------------------------------------------------------- */

static long emitv(octx *X, const char *id, bool must_exist, ac_src nsrc, const char *nkey, ac_src osrc,
                  const char *okey, const char *subject, const char *fmt, va_list ap)
{
    int r = ac_rule_find(id);
    if (r < 0) {
        if (must_exist) {
            fprintf(stderr, "apicompat: internal error: unknown check id %s\n", id);
            abort();
        }
        return -1;
    }
    const ac_rule *rule = &ac_rules[r];
    ac_finding *f = ac_findings_push(X->out);
    f->rule = rule;
    f->severity = rule->severity;
    f->message = ac_arena_vprintf(X->out->arena, fmt, ap);
    if (nsrc) X->nc->locate(X->nc, nsrc, nkey, &f->loc);
    if (osrc) X->oc->locate(X->oc, osrc, okey, &f->old_loc);
    f->cfg_path = f->loc.line ? f->loc.file : f->old_loc.file;
    f->old_cfg_path = f->old_loc.file;
    f->subject = subject ? ac_arena_strdup(X->out->arena, subject) : NULL;
    const char *why = NULL;
    if (nsrc && X->nc->inline_ignore) why = X->nc->inline_ignore(X->nc, nsrc, &f->loc, rule->id);
    /* OLD's x-apicompat-ignore counts only for what is gone (see ac_rule_is_removal) */
    if (!why && osrc && X->oc->inline_ignore && ac_rule_is_removal(rule))
        why = X->oc->inline_ignore(X->oc, osrc, &f->old_loc, rule->id);
    if (why) f->suppressed_by = ac_arena_printf(X->out->arena, "inline: %s", why);
    uint32_t idx = (uint32_t)(X->out->n - 1);
    if (X->nfops <= idx) {
        size_t nc = X->nfops ? X->nfops * 2 : 256;
        while (nc <= idx) nc *= 2;
        X->fops = ac_xrealloc(X->fops, nc * sizeof *X->fops);
        memset(X->fops + X->nfops, 0, (nc - X->nfops) * sizeof *X->fops);
        X->flabel = ac_xrealloc(X->flabel, nc * sizeof *X->flabel);
        memset(X->flabel + X->nfops, 0, (nc - X->nfops) * sizeof *X->flabel);
        X->nfops = nc;
    }
    X->flabel[idx] = X->cur_label;
    if (X->cur_entry >= 0) {
        entry *e = &X->entries[X->cur_entry];
        if (e->nf == e->cf) {
            e->cf = e->cf ? e->cf * 2 : 4;
            e->f = ac_xrealloc(e->f, e->cf * sizeof *e->f);
        }
        e->f[e->nf++] = idx;
    } else if (X->cur_op >= 0) {
        idlist_add(&X->fops[idx], (uint32_t)X->cur_op);
    }
    return (long)idx;
}

/* An ID that must exist (a typo is a bug). */
static long emit(octx *X, const char *id, ac_src nsrc, const char *nkey, ac_src osrc, const char *okey,
                 const char *subject, const char *fmt, ...) __attribute__((format(printf, 8, 9)));
static long emit(octx *X, const char *id, ac_src nsrc, const char *nkey, ac_src osrc, const char *okey,
                 const char *subject, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    long r = emitv(X, id, true, nsrc, nkey, osrc, okey, subject, fmt, ap);
    va_end(ap);
    return r;
}

/* prefix + change, emitted only when oasdiff defines that combination. */
static long emit_cx(octx *X, dir_t d, cx_t c, const char *change, ac_src nsrc, const char *nkey, ac_src osrc,
                    const char *okey, const char *subject, const char *fmt, ...) __attribute__((format(printf, 10, 11)));
static long emit_cx(octx *X, dir_t d, cx_t c, const char *change, ac_src nsrc, const char *nkey, ac_src osrc,
                    const char *okey, const char *subject, const char *fmt, ...)
{
    char id[160];
    snprintf(id, sizeof id, "%s%s", prefix_of(d, c), change);
    va_list ap;
    va_start(ap, fmt);
    long r = emitv(X, id, false, nsrc, nkey, osrc, okey, subject, fmt, ap);
    va_end(ap);
    return r;
}

/* ---- allOf: the merged meaning ---------------------------------------------------------------- */

/* Schemas being merged (1) or done (2), indexed by id; ids from `count` on were made by merging. */
typedef struct merge_state {
    uint8_t *mark;
    uint32_t count;
} merge_state;

/* Two bounds' values compared exactly (9007199254740993 is above 9007199254740992, although both
 * are the same double). */
static int bound_cmp(const ac_oas_bound *a, const ac_oas_bound *b)
{
    return ac_number_cmp(a->v, a->exact, b->v, b->exact);
}

static ac_oas_schema *merged(ac_arena *a, ac_oas *oas, ac_oas_schema *s, merge_state *state, int depth);

/* The properties and required names of a merge in progress, indexed by name, so that merging an
 * allOf of n members is linear in their properties (copying the union at each step was
 * quadratic: 16,000 members took 3 GB). */
typedef struct merge_acc {
    ac_oas_named *props;
    uint32_t nprops, cap;
    ac_strmap prop_at; /* name -> index + 1 */
    const char **req;
    uint32_t nreq, rcap;
    ac_strmap req_seen;
    bool changed;
} merge_acc;

static void acc_add_prop(merge_acc *acc, ac_oas_named p)
{
    if (acc->nprops == acc->cap) {
        acc->cap = acc->cap ? acc->cap * 2 : 16;
        acc->props = ac_xrealloc(acc->props, acc->cap * sizeof *acc->props);
    }
    acc->props[acc->nprops++] = p;
    ac_strmap_put(&acc->prop_at, p.name, (void *)(uintptr_t)acc->nprops);
}

static void acc_add_req(merge_acc *acc, const char *name)
{
    if (!ac_strmap_add(&acc->req_seen, name, (void *)1)) return;
    if (acc->nreq == acc->rcap) {
        acc->rcap = acc->rcap ? acc->rcap * 2 : 16;
        acc->req = ac_xrealloc(acc->req, acc->rcap * sizeof *acc->req);
    }
    acc->req[acc->nreq++] = name;
}

static void acc_begin(merge_acc *acc, const ac_oas_schema *m)
{
    memset(acc, 0, sizeof *acc);
    ac_strmap_init(&acc->prop_at);
    ac_strmap_init(&acc->req_seen);
    for (uint32_t i = 0; i < m->nprops; i++)
        if (!ac_strmap_get(&acc->prop_at, m->props[i].name)) acc_add_prop(acc, m->props[i]);
    for (uint32_t i = 0; i < m->required.n; i++) acc_add_req(acc, m->required.v[i]);
}

/* Hands the union to m (in a) when a member added to it, and frees the index. */
static void acc_end(ac_arena *a, merge_acc *acc, ac_oas_schema *m)
{
    if (acc->changed) {
        m->props = acc->nprops ? ac_arena_memdup(a, acc->props, acc->nprops * sizeof *acc->props) : NULL;
        m->nprops = acc->nprops;
        m->required.v = acc->nreq ? ac_arena_memdup(a, acc->req, acc->nreq * sizeof *acc->req) : NULL;
        m->required.n = acc->nreq;
    }
    free(acc->props);
    free(acc->req);
    ac_strmap_free(&acc->prop_at);
    ac_strmap_free(&acc->req_seen);
}

static void merge_into(ac_arena *a, ac_oas *oas, ac_oas_schema *m, merge_acc *acc, const ac_oas_schema *x,
                       merge_state *state, int depth)
{
    if (x->typed) {
        if (!m->typed) {
            m->typed = true;
            m->types = x->types;
        } else if (m->types & x->types) {
            m->types &= x->types;
        }
    }
    if (x->nullable && !m->typed) m->nullable = true;
    if (!m->format) m->format = x->format;
    if (!m->title) m->title = x->title;
    if (x->has_enum && !m->has_enum) {
        m->has_enum = true;
        m->enums = x->enums;
    }
    if (!m->dflt) m->dflt = x->dflt;
    if (x->min.set && (!m->min.set || bound_cmp(&x->min, &m->min) > 0)) m->min = x->min;
    if (x->max.set && (!m->max.set || bound_cmp(&x->max, &m->max) < 0)) m->max = x->max;
#define TIGHTER_MIN(to, from, f) if ((from)->f >= 0 && (from)->f > (to)->f) (to)->f = (from)->f
#define TIGHTER_MAX(to, from, f) if ((from)->f >= 0 && ((to)->f < 0 || (from)->f < (to)->f)) (to)->f = (from)->f
    TIGHTER_MIN(m, x, min_len);
    TIGHTER_MAX(m, x, max_len);
    TIGHTER_MIN(m, x, min_items);
    TIGHTER_MAX(m, x, max_items);
    if (!m->pattern) m->pattern = x->pattern;
    if (!m->items) m->items = x->items;
    if (!m->addl) {
        m->addl = x->addl;
        m->addl_schema = x->addl_schema;
    }
    m->read_only |= x->read_only;
    m->write_only |= x->write_only;
    if (x->x != &ac_oas_schema_x_none) {
        /* the rarely used keywords: m may share them with the schema it was copied from */
        const ac_oas_schema_x *xx = x->x;
        ac_oas_schema_x *w = ac_arena_memdup(a, m->x, sizeof *w);
        m->x = w;
        if (xx->has_xenum && !w->has_xenum) {
            w->has_xenum = true;
            w->xenums = xx->xenums;
        }
        if (!w->konst) w->konst = xx->konst;
        TIGHTER_MIN(w, xx, min_props);
        TIGHTER_MAX(w, xx, max_props);
        TIGHTER_MIN(w, xx, min_contains);
        TIGHTER_MAX(w, xx, max_contains);
        if (!w->has_discriminator && xx->has_discriminator) {
            w->has_discriminator = true;
            w->discriminator = xx->discriminator;
            w->mapping_keys = xx->mapping_keys;
            w->mapping_vals = xx->mapping_vals;
        }
    }
#undef TIGHTER_MIN
#undef TIGHTER_MAX
    if (!m->none_of && x->none_of) {
        m->one_of = x->one_of;
        m->none_of = x->none_of;
        m->one_of_digest = x->one_of_digest;
        m->one_of_src = x->one_of_src;
    }
    if (!m->nany_of && x->nany_of) {
        m->any_of = x->any_of;
        m->nany_of = x->nany_of;
        m->any_of_digest = x->any_of_digest;
        m->any_of_src = x->any_of_src;
    }
    /* properties: the union; one defined in both is the combination of both definitions */
    if (x->nprops || x->required.n) acc->changed = true;
    for (uint32_t i = 0; i < x->nprops; i++) {
        uint32_t k = (uint32_t)(uintptr_t)ac_strmap_get(&acc->prop_at, x->props[i].name);
        if (!k) {
            acc_add_prop(acc, x->props[i]);
        } else if (acc->props[k - 1].schema != x->props[i].schema && depth < MAX_MERGE_DEPTH) {
            ac_oas_schema *fm = merged(a, oas, acc->props[k - 1].schema, state, depth + 1);
            ac_oas_schema *fx = merged(a, oas, x->props[i].schema, state, depth + 1);
            ac_oas_schema *comb = ac_arena_memdup(a, fm, sizeof *fm);
            comb->id = oas->schema_count++;
            comb->merged = NULL;
            comb->nall_of = 0;
            merge_acc inner;
            acc_begin(&inner, comb);
            merge_into(a, oas, comb, &inner, fx, state, depth + 1);
            acc_end(a, &inner, comb);
            acc->props[k - 1].schema = comb;
        }
    }
    for (uint32_t i = 0; i < x->required.n; i++) acc_add_req(acc, x->required.v[i]);
}

static uint8_t ot_values(const ac_oas_schema *s)
{
    return s->typed ? (uint8_t)(s->types & (AC_OT_BOOLEAN | AC_OT_OBJECT | AC_OT_ARRAY | AC_OT_NUMBER | AC_OT_STRING | AC_OT_INTEGER)) : 0;
}

/* A branch that is only a type (and perhaps a format): part of a list of types. */
static bool plain_type(const ac_oas_schema *b)
{
    return b->typed && !b->name && !b->nprops && !b->items && !b->has_enum && !b->x->konst && !b->min.set && !b->max.set &&
           b->min_len < 0 && b->max_len < 0 && b->min_items < 0 && b->max_items < 0 && !b->pattern && !b->nall_of &&
           !b->none_of && !b->nany_of && !b->addl && !b->x->nprefix;
}

static bool null_only(const ac_oas_schema *b)
{
    return plain_type(b) && !ot_values(b) && (b->types & AC_OT_NULL);
}

/* oneOf/anyOf [X, {type: null}] means "X or null"; oneOf/anyOf [{type: string}, {type: integer}]
 * means "string or integer".  Compared that way, rewriting one into the other is not a change. */
static ac_oas_schema *simplify(ac_arena *a, ac_oas *oas, ac_oas_schema *s, ac_oas_schema *base, merge_state *state)
{
    if (base->typed || base->nprops || base->items || (base->none_of && base->nany_of) || (!base->none_of && !base->nany_of))
        return NULL;
    ac_oas_schema **br = base->none_of ? base->one_of : base->any_of;
    uint32_t nb = base->none_of ? base->none_of : base->nany_of;
    uint32_t nulls = 0, plain = 0, other = 0, last = 0;
    uint8_t types = 0;
    for (uint32_t i = 0; i < nb; i++) {
        if (null_only(br[i])) nulls++;
        else {
            other++;
            last = i;
            if (plain_type(br[i])) {
                plain++;
                types |= br[i]->types;
            }
        }
    }
    if (other == 1 && nulls) {
        ac_oas_schema *t = merged(a, oas, br[last], state, 1);
        ac_oas_schema *c = ac_arena_memdup(a, t, sizeof *t);
        c->merged = NULL;
        c->nullable = true;
        c->src = s->src;
        if (s->name) c->name = s->name;
        return c;
    }
    if (other >= 2 && plain == other) {
        ac_oas_schema *c = ac_arena_memdup(a, base, sizeof *base);
        c->merged = NULL;
        c->typed = true;
        c->types = (uint8_t)(types | (nulls ? AC_OT_NULL : 0));
        c->nullable = c->nullable || nulls;
        c->none_of = c->nany_of = 0;
        c->type_list = true;
        return c;
    }
    return NULL;
}

static ac_oas_schema *merged(ac_arena *a, ac_oas *oas, ac_oas_schema *s, merge_state *state, int depth)
{
    if (s->merged) return s->merged;
    if (!s->nall_of && !s->none_of && !s->nany_of) return s;
    if (s->id >= state->count || state->mark[s->id] || depth > MAX_MERGE_DEPTH) return s; /* done, or a cycle */
    state->mark[s->id] = 1;
    ac_oas_schema *m = s;
    if (s->nall_of) {
        m = ac_arena_memdup(a, s, sizeof *s);
        m->merged = NULL;
        merge_acc acc;
        acc_begin(&acc, m);
        for (uint32_t i = 0; i < s->nall_of; i++)
            merge_into(a, oas, m, &acc, merged(a, oas, s->all_of[i], state, depth + 1), state, depth + 1);
        acc_end(a, &acc, m);
    }
    ac_oas_schema *simple = simplify(a, oas, s, m, state);
    if (simple) m = simple;
    state->mark[s->id] = 2;
    if (m != s) s->merged = m;
    return m;
}

static void merge_all(ac_contract *c)
{
    ac_oas *oas = c->oas;
    uint32_t count = oas->schema_count; /* merging creates schemas; those are merged already */
    merge_state state = {ac_xcalloc(count ? count : 1, 1), count};
    /* every schema is reachable from a component, an operation or a nested schema; walk them all */
    ac_oas_schema **stack = NULL;
    size_t n = 0, cap = 0;
    uint8_t *seen = ac_xcalloc(count ? count : 1, 1);
#define PUSH(s)                                                          \
    do {                                                                 \
        ac_oas_schema *_s = (s);                                         \
        if (_s && _s->id < count && !seen[_s->id]) {                     \
            seen[_s->id] = 1;                                            \
            if (n == cap) {                                              \
                cap = cap ? cap * 2 : 256;                               \
                stack = ac_xrealloc(stack, cap * sizeof *stack);         \
            }                                                            \
            stack[n++] = _s;                                             \
        }                                                                \
    } while (0)
    for (uint32_t i = 0; i < oas->nschemas; i++) PUSH(oas->schemas[i].schema);
    for (uint32_t i = 0; i < oas->nops; i++) {
        ac_oas_op *op = &oas->ops[i];
        for (uint32_t k = 0; k < op->nparams; k++) PUSH(op->params[k].schema);
        for (uint32_t k = 0; k < op->nbody; k++) PUSH(op->body[k].schema);
        for (uint32_t r = 0; r < op->nresponses; r++) {
            for (uint32_t k = 0; k < op->responses[r].nmedia; k++) PUSH(op->responses[r].media[k].schema);
            for (uint32_t k = 0; k < op->responses[r].nheaders; k++) PUSH(op->responses[r].headers[k].schema);
        }
    }
    while (n) {
        ac_oas_schema *s = stack[--n];
        merged(c->arena, oas, s, &state, 0);
        PUSH(s->items);
        PUSH(s->addl_schema);
        PUSH(s->x->not_);
        PUSH(s->x->if_);
        PUSH(s->x->then_);
        PUSH(s->x->else_);
        PUSH(s->x->contains);
        PUSH(s->x->property_names);
        PUSH(s->x->content_schema);
        for (uint32_t i = 0; i < s->nprops; i++) PUSH(s->props[i].schema);
        for (uint32_t i = 0; i < s->x->nprefix; i++) PUSH(s->x->prefix_items[i]);
        for (uint32_t i = 0; i < s->nall_of; i++) PUSH(s->all_of[i]);
        for (uint32_t i = 0; i < s->none_of; i++) PUSH(s->one_of[i]);
        for (uint32_t i = 0; i < s->nany_of; i++) PUSH(s->any_of[i]);
        for (uint32_t i = 0; i < s->x->npattern_props; i++) PUSH(s->x->pattern_props[i].schema);
        for (uint32_t i = 0; i < s->x->ndependent_schemas; i++) PUSH(s->x->dependent_schemas[i].schema);
    }
#undef PUSH
    free(stack);
    free(seen);
    free(state.mark);
}

/* ---- describing schemas ------------------------------------------------------------------------ */

static const char *types_str(octx *X, const ac_oas_schema *s)
{
    if (!s->typed) return s->format ? ac_arena_printf(X->scratch, "any (%s)", s->format) : "any";
    static const struct {
        uint8_t bit;
        const char *name;
    } names[] = {{AC_OT_STRING, "string"}, {AC_OT_INTEGER, "integer"}, {AC_OT_NUMBER, "number"},
                 {AC_OT_BOOLEAN, "boolean"}, {AC_OT_OBJECT, "object"}, {AC_OT_ARRAY, "array"}, {AC_OT_NULL, "null"}};
    char buf[128];
    size_t n = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (s->types & names[i].bit) n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? "|" : "", names[i].name);
    if (s->format) snprintf(buf + n, sizeof buf - n, " (%s)", s->format);
    return ac_arena_strdup(X->scratch, buf);
}

static const char *child_where(octx *X, const char *where, const ac_oas_schema *child, const char *suffix)
{
    if (child && child->name) return child->name;
    return ac_arena_printf(X->scratch, "%s%s", where, suffix);
}

static const char *join_values(octx *X, const char **v, size_t n)
{
    char buf[512];
    size_t len = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n && len < sizeof buf - 8; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? ", " : "", v[i]);
    if (len >= sizeof buf - 8) snprintf(buf + sizeof buf - 8, 8, "...");
    return ac_arena_strdup(X->scratch, buf);
}

/* ---- schema comparison --------------------------------------------------------------------------- */

static void cmp_schema(octx *X, ac_oas_schema *o, ac_oas_schema *n, dir_t d, cx_t c, const char *where);

#define AC_OT_VALUES (AC_OT_BOOLEAN | AC_OT_OBJECT | AC_OT_ARRAY | AC_OT_NUMBER | AC_OT_STRING | AC_OT_INTEGER)

/* The value types a schema accepts, null left out (nullable is compared on its own); 0: any. */
static uint8_t value_types(const ac_oas_schema *s)
{
    return s->typed ? (uint8_t)(s->types & AC_OT_VALUES) : 0;
}

/* Does a schema typed `to` accept every value of one typed `from`?  An integer is a number;
 * outside JSON and XML (form fields, query strings) any value can be read as a string. */
static bool types_contain(uint8_t to, uint8_t from, bool text)
{
    if (!to) return true;
    if (!from) return text && to == AC_OT_STRING;
    uint8_t f = from;
    if (to & AC_OT_NUMBER) f &= (uint8_t)~AC_OT_INTEGER;
    if (!(f & (uint8_t)~to)) return true;
    return text && to == AC_OT_STRING;
}

/* Does format `to` accept every value of format `from` (for a value of type t)? */
static bool formats_contain(uint8_t t, const char *to, const char *from)
{
    if (streq(to, from) || !to) return true;
    if (!from) return false;
    if (t == AC_OT_NUMBER) return !strcmp(to, "double") && !strcmp(from, "float");
    if (t == AC_OT_INTEGER)
        return (!strcmp(to, "int64") && !strcmp(from, "int32")) ||
               (!strcmp(to, "bigint") && (!strcmp(from, "int32") || !strcmp(from, "int64")));
    if (t == AC_OT_STRING) return !strcmp(to, "date-time") && (!strcmp(from, "date") || !strcmp(from, "time"));
    return false;
}

static void type_emit(octx *X, dir_t d, cx_t c, const char *change, bool breaking, const ac_oas_schema *o,
                      const ac_oas_schema *n, const char *key, const char *where)
{
    const char *from = types_str(X, o), *to = types_str(X, n);
    if (emit_cx(X, d, c, change, n->src, key, o->src, key, where, "type of %s changed from \"%s\" to \"%s\"", where, from,
                to) < 0 &&
        breaking && strcmp(change, "type-changed"))
        /* no ID for this context: a breaking change of type is a type change */
        emit_cx(X, d, c, "type-changed", n->src, key, o->src, key, where, "type of %s changed from \"%s\" to \"%s\"", where,
                from, to);
}

/* Type and format changes, judged as oasdiff does: a request may only accept more values
 * (generalized), a response may only return fewer (specialized).  Parameters travel as text; a
 * body property's change that breaks JSON clients but not text clients is "compatible". */
static void check_type(octx *X, const ac_oas_schema *o, const ac_oas_schema *n, dir_t d, cx_t c, const char *where)
{
    uint8_t ot = value_types(o), nt = value_types(n);
    bool text = X->text || c == C_PARAM || c == C_HPARAM;
    if (ot == nt) {
        if (streq(o->format, n->format)) return;
        /* the format alone changed: new accepts old (widened) or old accepts new (narrowed) */
        bool widened = formats_contain(nt, n->format, o->format), narrowed = formats_contain(nt, o->format, n->format);
        bool ok = d == DREQ ? widened : narrowed;
        const char *change = ok ? (d == DREQ ? "type-generalized" : "type-specialized") : "type-changed";
        if (c == C_PARAM_PROP && !ok) change = "type-specialized";
        type_emit(X, d, c, change, !ok, o, n, "format", where);
        return;
    }
    bool list = o->type_list || n->type_list;
    bool wid_text = types_contain(nt, ot, true), wid_strong = types_contain(nt, ot, false);
    bool nar_text = types_contain(ot, nt, true), nar_strong = types_contain(ot, nt, false);
    bool ok_text = d == DREQ ? wid_text : nar_text, ok_strong = d == DREQ ? wid_strong : nar_strong;
    const char *change;
    bool breaking;
    if (list && (wid_strong || nar_strong)) {
        change = wid_strong ? "list-of-types-widened" : "list-of-types-narrowed";
        breaking = !ok_strong;
    } else if (c == C_PARAM_PROP) {
        /* object parameters are read as JSON by some servers and as text by others */
        change = ok_strong != ok_text ? "type-changed" : ok_strong ? "type-generalized" : "type-specialized";
        breaking = !ok_strong || !ok_text;
    } else if (text ? ok_text : ok_strong) {
        /* parameters are text by nature: a change only text readers survive is a generalization */
        bool general = ok_strong || c == C_PARAM || c == C_HPARAM;
        change = general ? (d == DREQ ? "type-generalized" : "type-specialized") : "type-compatible";
        breaking = false;
    } else {
        change = d == DRESP && wid_strong ? "type-generalized" : "type-changed";
        breaking = true;
    }
    type_emit(X, d, c, change, breaking, o, n, "type", where);
}

static void check_values(octx *X, const ac_oas_schema *o, const ac_oas_schema *n, dir_t d, cx_t c, const char *where)
{
    if (o->nullable != n->nullable)
        emit_cx(X, d, c, n->nullable ? "became-nullable" : "became-not-nullable", n->src, "nullable|x-nullable|type", o->src,
                "nullable|x-nullable|type", where, "%s became %s", where, n->nullable ? "nullable" : "not nullable");
    /* enum */
    if (o->has_enum && n->has_enum) {
        const char **removed = ac_arena_alloc(X->scratch, (o->enums.n + 1) * sizeof *removed);
        const char **added = ac_arena_alloc(X->scratch, (n->enums.n + 1) * sizeof *added);
        size_t nr = list_minus(&o->enums, &n->enums, removed), na = list_minus(&n->enums, &o->enums, added);
        if (nr && emit_cx(X, d, c, "enum-value-removed", n->src, "enum", o->src, "enum", where, "%s lost enum value%s %s",
                          where, nr > 1 ? "s" : "", join_values(X, removed, nr)) < 0 &&
            d == DRESP && c == C_BODY)
            emit(X, "response-mediatype-enum-value-removed", n->src, "enum", o->src, "enum", where, "%s lost enum value%s %s",
                 where, nr > 1 ? "s" : "", join_values(X, removed, nr));
        if (na && !(d == DRESP && (o->x->has_xenum || n->x->has_xenum)))
            emit_cx(X, d, c, "enum-value-added", n->src, "enum", o->src, "enum", where, "%s gained enum value%s %s", where,
                    na > 1 ? "s" : "", join_values(X, added, na));
    } else if (!o->has_enum && n->has_enum) {
        emit_cx(X, d, c, "became-enum", n->src, "enum", o->src, NULL, where, "%s became an enum of %s", where,
                join_values(X, n->enums.v, n->enums.n));
    }
    if (o->x->has_xenum && n->x->has_xenum) {
        const char **removed = ac_arena_alloc(X->scratch, (o->x->xenums.n + 1) * sizeof *removed);
        size_t nr = list_minus(&o->x->xenums, &n->x->xenums, removed);
        if (nr)
            emit_cx(X, d, c, "x-extensible-enum-value-removed", n->src, "x-extensible-enum", o->src, "x-extensible-enum",
                    where, "%s lost x-extensible-enum value%s %s", where, nr > 1 ? "s" : "", join_values(X, removed, nr));
    }
    /* const and default */
    if (!streq(o->x->konst, n->x->konst)) {
        const char *ch = !o->x->konst ? "const-added" : !n->x->konst ? "const-removed" : "const-changed";
        emit_cx(X, d, c, ch, n->src, "const", o->src, "const", where, "const of %s changed from %s to %s", where,
                o->x->konst ? o->x->konst : "none", n->x->konst ? n->x->konst : "none");
    }
    if (!streq(o->dflt, n->dflt)) {
        const char *ch = !o->dflt ? "default-value-added" : !n->dflt ? "default-value-removed" : "default-value-changed";
        emit_cx(X, d, c, ch, n->src, "default", o->src, "default", where, "default of %s changed from %s to %s", where,
                o->dflt ? o->dflt : "none", n->dflt ? n->dflt : "none");
    }
}

/* A bound as written when its double does not hold it (2^53 + 1); else its double, in full when
 * `precise` (the other bound is such a number, and the two must not read the same). */
static const char *bound_str(octx *X, const ac_oas_bound *b, bool precise)
{
    if (b->exact) return b->exact;
    if (precise)
        for (int p = 15; p < 17; p++) {
            const char *t = ac_arena_printf(X->scratch, "%.*g", p, b->v);
            if (strtod(t, NULL) == b->v) return t;
        }
    return ac_arena_printf(X->scratch, "%.*g", precise ? 17 : 15, b->v);
}

/* A bound (minimum or maximum) changed: set, unset, increased or decreased.  At the same value,
 * becoming exclusive tightens the bound (reported as an exclusive bound set); becoming inclusive
 * loosens it, which no check reports. */
static void check_bound(octx *X, const ac_oas_bound *ob, const ac_oas_bound *nb, bool is_max, dir_t d, cx_t c,
                        const ac_oas_schema *o, const ac_oas_schema *n, const char *where)
{
    if (!ob->set && !nb->set) return;
    bool excl = nb->set ? nb->exclusive : ob->exclusive;
    const char *what = is_max ? "maximum" : "minimum";
    const char *change = NULL;
    int cmp;
    if (!ob->set) change = "set";
    else if (!nb->set) change = "unset";
    else if ((cmp = bound_cmp(nb, ob)) < 0) change = "decreased";
    else if (cmp > 0) change = "increased";
    else if (nb->exclusive && !ob->exclusive) change = "set";
    else if (!nb->exclusive && ob->exclusive) return;
    if (!change) return;
    const char *key = excl ? (is_max ? "exclusiveMaximum|maximum" : "exclusiveMinimum|minimum") : (is_max ? "maximum" : "minimum");
    char ch[64];
    snprintf(ch, sizeof ch, "%s%s-%s", excl ? "exclusive-" : "", is_max ? "max" : "min", change);
    bool precise = (ob->set && ob->exact) || (nb->set && nb->exact);
    emit_cx(X, d, c, ch, n->src, key, o->src, key, where, "%s of %s changed from %s%s to %s%s", what, where,
            ob->set ? bound_str(X, ob, precise) : "none", ob->set && ob->exclusive ? " (exclusive)" : "",
            nb->set ? bound_str(X, nb, precise) : "none", nb->set && nb->exclusive ? " (exclusive)" : "");
}

static void check_count(octx *X, int64_t ov, int64_t nv, const char *base, const char *key, const char *what, dir_t d,
                        cx_t c, const ac_oas_schema *o, const ac_oas_schema *n, const char *where)
{
    if (ov == nv) return;
    const char *change = ov < 0 ? "set" : nv < 0 ? "unset" : nv < ov ? "decreased" : "increased";
    char ch[64], a[32], b[32];
    snprintf(ch, sizeof ch, "%s-%s", base, change);
    snprintf(a, sizeof a, "%lld", (long long)ov);
    snprintf(b, sizeof b, "%lld", (long long)nv);
    emit_cx(X, d, c, ch, n->src, key, o->src, key, where, "%s of %s changed from %s to %s", what, where,
            ov < 0 ? "none" : a, nv < 0 ? "none" : b);
}

static bool pattern_is_anything(const char *p)
{
    return p && (!strcmp(p, ".*") || !strcmp(p, "^.*$") || !strcmp(p, "^.*") || !strcmp(p, ".*$") ||
                 !strcmp(p, "[\\s\\S]*") || !strcmp(p, "^[\\s\\S]*$"));
}

/* "\"value\"", or none */
static const char *quoted(octx *X, const char *s)
{
    return s ? ac_arena_printf(X->scratch, "\"%s\"", s) : "none";
}

static void check_constraints(octx *X, const ac_oas_schema *o, const ac_oas_schema *n, dir_t d, cx_t c,
                              const char *where)
{
    check_bound(X, &o->max, &n->max, true, d, c, o, n, where);
    check_bound(X, &o->min, &n->min, false, d, c, o, n, where);
    check_count(X, o->max_len, n->max_len, "max-length", "maxLength", "maxLength", d, c, o, n, where);
    check_count(X, o->min_len, n->min_len, "min-length", "minLength", "minLength", d, c, o, n, where);
    check_count(X, o->max_items, n->max_items, "max-items", "maxItems", "maxItems", d, c, o, n, where);
    check_count(X, o->min_items, n->min_items, "min-items", "minItems", "minItems", d, c, o, n, where);
    check_count(X, o->x->max_contains, n->x->max_contains, "max-contains", "maxContains", "maxContains", d, c, o, n, where);
    check_count(X, o->x->min_contains, n->x->min_contains, "min-contains", "minContains", "minContains", d, c, o, n, where);
    if (!streq(o->pattern, n->pattern)) {
        const char *ch = !o->pattern ? "pattern-added"
                         : !n->pattern ? "pattern-removed"
                         : pattern_is_anything(n->pattern) ? "pattern-generalized"
                                                           : "pattern-changed";
        emit_cx(X, d, c, ch, n->src, "pattern", o->src, "pattern", where, "pattern of %s changed from %s%s%s to %s%s%s",
                where, o->pattern ? "\"" : "", o->pattern ? o->pattern : "none", o->pattern ? "\"" : "",
                n->pattern ? "\"" : "", n->pattern ? n->pattern : "none", n->pattern ? "\"" : "");
    }
    if (!streq(o->x->content_encoding, n->x->content_encoding) && (o->x->content_encoding || n->x->content_encoding))
        emit_cx(X, d, c, "content-encoding-changed", n->src, "contentEncoding", o->src, "contentEncoding", where,
                "contentEncoding of %s changed from %s to %s", where, quoted(X, o->x->content_encoding), quoted(X, n->x->content_encoding));
    if (!streq(o->x->content_media_type, n->x->content_media_type) && (o->x->content_media_type || n->x->content_media_type))
        emit_cx(X, d, c, "content-media-type-changed", n->src, "contentMediaType", o->src, "contentMediaType", where,
                "contentMediaType of %s changed from %s to %s", where, quoted(X, o->x->content_media_type),
                quoted(X, n->x->content_media_type));
}

/* Presence of a sub-schema keyword (if, then, else, contains, propertyNames, contentSchema, ...). */
static void check_presence(octx *X, bool had, bool has, const char *base, const char *key, dir_t d, cx_t c,
                           const ac_oas_schema *o, const ac_oas_schema *n, const char *where)
{
    if (had == has) return;
    char ch[64];
    snprintf(ch, sizeof ch, "%s-%s", base, has ? "added" : "removed");
    emit_cx(X, d, c, ch, has ? n->src : n->src, has ? key : NULL, o->src, had ? key : NULL, where, "%s %s %s", where,
            has ? "gained" : "lost", key);
}

static void check_structure(octx *X, const ac_oas_schema *o, const ac_oas_schema *n, dir_t d, cx_t c, const char *where)
{
    check_presence(X, o->x->if_ != NULL, n->x->if_ != NULL, "if", "if", d, c, o, n, where);
    check_presence(X, o->x->then_ != NULL, n->x->then_ != NULL, "then", "then", d, c, o, n, where);
    check_presence(X, o->x->else_ != NULL, n->x->else_ != NULL, "else", "else", d, c, o, n, where);
    check_presence(X, o->x->contains != NULL, n->x->contains != NULL, "contains", "contains", d, c, o, n, where);
    check_presence(X, o->x->property_names != NULL, n->x->property_names != NULL, "property-names", "propertyNames", d, c, o,
                   n, where);
    check_presence(X, o->x->content_schema != NULL, n->x->content_schema != NULL, "content-schema", "contentSchema", d, c, o,
                   n, where);
    check_presence(X, o->x->nprefix > 0, n->x->nprefix > 0, "prefix-items", "prefixItems", d, c, o, n, where);
    check_presence(X, o->x->unevaluated_items != 0, n->x->unevaluated_items != 0, "unevaluated-items", "unevaluatedItems", d,
                   c, o, n, where);
    check_presence(X, o->x->unevaluated_props != 0, n->x->unevaluated_props != 0, "unevaluated-properties",
                   "unevaluatedProperties", d, c, o, n, where);
    /* patternProperties, dependentRequired, dependentSchemas: by key */
    for (int pass = 0; pass < 2; pass++) {
        const ac_oas_schema *a = pass ? n : o, *b = pass ? o : n;
        for (uint32_t i = 0; i < a->x->npattern_props; i++) {
            bool found = false;
            for (uint32_t k = 0; k < b->x->npattern_props && !found; k++) found = !strcmp(a->x->pattern_props[i].name, b->x->pattern_props[k].name);
            if (!found)
                emit_cx(X, d, c, pass ? "pattern-property-added" : "pattern-property-removed", n->src, "patternProperties",
                        o->src, "patternProperties", where, "%s %s pattern property \"%s\"", where,
                        pass ? "gained" : "lost", a->x->pattern_props[i].name);
        }
        for (uint32_t i = 0; i < a->x->ndependent_schemas; i++) {
            bool found = false;
            for (uint32_t k = 0; k < b->x->ndependent_schemas && !found; k++)
                found = !strcmp(a->x->dependent_schemas[i].name, b->x->dependent_schemas[k].name);
            if (!found)
                emit_cx(X, d, c, pass ? "dependent-schema-added" : "dependent-schema-removed", n->src, "dependentSchemas",
                        o->src, "dependentSchemas", where, "%s %s the dependent schema for \"%s\"", where,
                        pass ? "gained" : "lost", a->x->dependent_schemas[i].name);
        }
        for (uint32_t i = 0; i < a->x->ndependent_required; i++) {
            int match = -1;
            for (uint32_t k = 0; k < b->x->ndependent_required && match < 0; k++)
                if (!strcmp(a->x->dependent_required[i].name, b->x->dependent_required[k].name)) match = (int)k;
            if (match < 0) {
                emit_cx(X, d, c, pass ? "dependent-required-added" : "dependent-required-removed", n->src,
                        "dependentRequired", o->src, "dependentRequired", where, "%s %s dependentRequired for \"%s\"",
                        where, pass ? "gained" : "lost", a->x->dependent_required[i].name);
            } else if (!pass) {
                const ac_oas_strlist *la = &a->x->dep_lists[i], *lb = &b->x->dep_lists[match];
                bool same = la->n == lb->n;
                for (uint32_t k = 0; same && k < la->n; k++) same = list_has(lb, la->v[k]);
                if (!same)
                    emit_cx(X, d, c, "dependent-required-changed", n->src, "dependentRequired", o->src,
                            "dependentRequired", where, "%s changed dependentRequired for \"%s\"", where,
                            a->x->dependent_required[i].name);
            }
        }
    }
    /* discriminator */
    if (o->x->has_discriminator != n->x->has_discriminator) {
        emit_cx(X, d, c, n->x->has_discriminator ? "discriminator-added" : "discriminator-removed", n->src, "discriminator",
                o->src, "discriminator", where, "%s %s its discriminator", where, n->x->has_discriminator ? "gained" : "lost");
    } else if (o->x->has_discriminator) {
        if (!streq(o->x->discriminator, n->x->discriminator))
            emit_cx(X, d, c, "discriminator-property-name-changed", n->src, "discriminator", o->src, "discriminator", where,
                    "discriminator of %s changed from \"%s\" to \"%s\"", where, o->x->discriminator ? o->x->discriminator : "",
                    n->x->discriminator ? n->x->discriminator : "");
        for (uint32_t i = 0; i < o->x->mapping_keys.n; i++) {
            int k = -1;
            for (uint32_t j = 0; j < n->x->mapping_keys.n && k < 0; j++)
                if (!strcmp(o->x->mapping_keys.v[i], n->x->mapping_keys.v[j])) k = (int)j;
            if (k < 0)
                emit_cx(X, d, c, "discriminator-mapping-deleted", n->src, "discriminator", o->src, "discriminator", where,
                        "discriminator of %s lost mapping \"%s\"", where, o->x->mapping_keys.v[i]);
            else if (strcmp(o->x->mapping_vals.v[i], n->x->mapping_vals.v[k]))
                emit_cx(X, d, c, "discriminator-mapping-changed", n->src, "discriminator", o->src, "discriminator", where,
                        "discriminator mapping \"%s\" of %s changed from \"%s\" to \"%s\"", o->x->mapping_keys.v[i], where,
                        o->x->mapping_vals.v[i], n->x->mapping_vals.v[k]);
        }
        for (uint32_t j = 0; j < n->x->mapping_keys.n; j++)
            if (!list_has(&o->x->mapping_keys, n->x->mapping_keys.v[j]))
                emit_cx(X, d, c, "discriminator-mapping-added", n->src, "discriminator", o->src, "discriminator", where,
                        "discriminator of %s gained mapping \"%s\"", where, n->x->mapping_keys.v[j]);
    }
}

/* Pairs the branches of a oneOf / anyOf / allOf: by $ref name, then identical content, then title. */
static void pair_branches(ac_oas_schema **ob, const uint64_t *od, uint32_t on, ac_oas_schema **nb, const uint64_t *nd,
                          uint32_t nn, int *omatch, int *nmatch)
{
    for (uint32_t i = 0; i < on; i++) omatch[i] = -1;
    for (uint32_t j = 0; j < nn; j++) nmatch[j] = -1;
    /* last resort: branches that are still alone, of the same declared type, pair in order (a
     * branch whose content changed is a changed branch, compared property by property) */
    for (int pass = 0; pass < 4; pass++)
        for (uint32_t i = 0; i < on; i++) {
            if (omatch[i] >= 0) continue;
            for (uint32_t j = 0; j < nn; j++) {
                if (nmatch[j] >= 0) continue;
                bool m = pass == 0   ? ob[i]->name && nb[j]->name && !strcmp(ob[i]->name, nb[j]->name)
                         : pass == 1 ? od && nd && od[i] == nd[j]
                         : pass == 2 ? ob[i]->title && nb[j]->title && !strcmp(ob[i]->title, nb[j]->title)
                                     : !ob[i]->name && !nb[j]->name && !ob[i]->title && !nb[j]->title &&
                                           ob[i]->typed && nb[j]->typed && ob[i]->types == nb[j]->types;
                if (m) {
                    omatch[i] = (int)j;
                    nmatch[j] = (int)i;
                    break;
                }
            }
        }
}

static const char *branch_name(octx *X, const ac_oas_schema *s, uint32_t i)
{
    if (s->name) return ac_arena_printf(X->scratch, "\"%s\"", s->name);
    if (s->title) return ac_arena_printf(X->scratch, "\"%s\"", s->title);
    return ac_arena_printf(X->scratch, "#%u", i + 1);
}

/* An allOf member that only annotates (no type, properties or constraints). */
static bool annotation_only(const ac_oas_schema *s)
{
    return !s->typed && !s->nprops && !s->required.n && !s->has_enum && !s->x->konst && !s->min.set && !s->max.set &&
           s->min_len < 0 && s->max_len < 0 && s->min_items < 0 && s->max_items < 0 && !s->pattern && !s->items &&
           !s->nall_of && !s->none_of && !s->nany_of && !s->format && !s->addl;
}

static void check_composition(octx *X, ac_oas_schema *o, ac_oas_schema *n, dir_t d, cx_t c, const char *where,
                              bool merged_changed)
{
    struct {
        const char *kw, *base;
        ac_oas_schema **ob, **nb;
        const uint64_t *od, *nd;
        uint32_t on, nn;
        ac_src *os, *ns;
    } kinds[] = {
        {"oneOf", "one-of", o->one_of, n->one_of, o->one_of_digest, n->one_of_digest, o->none_of, n->none_of, o->one_of_src,
         n->one_of_src},
        {"anyOf", "any-of", o->any_of, n->any_of, o->any_of_digest, n->any_of_digest, o->nany_of, n->nany_of, o->any_of_src,
         n->any_of_src},
        {"allOf", "all-of", o->all_of, n->all_of, o->all_of_digest, n->all_of_digest, o->nall_of, n->nall_of, o->all_of_src,
         n->all_of_src},
    };
    for (size_t k = 0; k < 3; k++) {
        if (!kinds[k].on && !kinds[k].nn) continue;
        int *om = ac_arena_alloc(X->scratch, (kinds[k].on + 1) * sizeof *om);
        int *nm = ac_arena_alloc(X->scratch, (kinds[k].nn + 1) * sizeof *nm);
        pair_branches(kinds[k].ob, kinds[k].od, kinds[k].on, kinds[k].nb, kinds[k].nd, kinds[k].nn, om, nm);
        bool all = k == 2;
        /* a schema wrapped into an allOf (or unwrapped from one) is its own member there */
        if (all && !o->nall_of && o->name)
            for (uint32_t j = 0; j < kinds[k].nn; j++)
                if (nm[j] < 0 && kinds[k].nb[j]->name && !strcmp(kinds[k].nb[j]->name, o->name)) nm[j] = 0;
        if (all && !n->nall_of && n->name)
            for (uint32_t i = 0; i < kinds[k].on; i++)
                if (om[i] < 0 && kinds[k].ob[i]->name && !strcmp(kinds[k].ob[i]->name, n->name)) om[i] = 0;
        for (uint32_t i = 0; i < kinds[k].on; i++) {
            if (om[i] >= 0) continue;
            char ch[64];
            snprintf(ch, sizeof ch, "%s-removed%s", kinds[k].base,
                     all && (!merged_changed || annotation_only(kinds[k].ob[i])) ? "-annotation-only" : "");
            emit_cx(X, d, c, ch, n->src, kinds[k].kw, kinds[k].os ? kinds[k].os[i] : kinds[k].ob[i]->src, NULL, where,
                    "%s lost %s branch %s", where, kinds[k].kw, branch_name(X, kinds[k].ob[i], i));
        }
        for (uint32_t j = 0; j < kinds[k].nn; j++) {
            if (nm[j] >= 0) continue;
            char ch[64];
            snprintf(ch, sizeof ch, "%s-added%s", kinds[k].base,
                     all && (!merged_changed || annotation_only(kinds[k].nb[j])) ? "-annotation-only" : "");
            emit_cx(X, d, c, ch, kinds[k].ns ? kinds[k].ns[j] : kinds[k].nb[j]->src, NULL, o->src, kinds[k].kw, where,
                    "%s gained %s branch %s", where, kinds[k].kw, branch_name(X, kinds[k].nb[j], j));
        }
        /* allOf members are judged through the merged schema; oneOf / anyOf branches one by one */
        if (all) continue;
        for (uint32_t i = 0; i < kinds[k].on; i++)
            if (om[i] >= 0)
                cmp_schema(X, kinds[k].ob[i], kinds[k].nb[om[i]], d, c,
                           child_where(X, where, kinds[k].nb[om[i]],
                                       ac_arena_printf(X->scratch, "/%s/%d", kinds[k].kw, om[i])));
    }
}

static cx_t child_cx(cx_t c, const ac_oas_schema *prop, dir_t d)
{
    if (c == C_HPARAM || (c == C_HEADER && d == DREQ)) return C_HEADER;
    cx_t base = (c == C_PARAM || c == C_PARAM_PROP) ? C_PARAM_PROP : C_PROP;
    if (base == C_PROP && prop) {
        if (d == DREQ && prop->read_only) return C_RO_PROP;
        if (d == DRESP && prop->write_only) return C_WO_PROP;
    }
    return base;
}

/* A schema's properties by name, indexed when there are many. */
typedef struct propidx {
    const ac_oas_schema *s;
    ac_strmap m;
    bool indexed;
} propidx;

static void propidx_init(propidx *x, const ac_oas_schema *s)
{
    x->s = s;
    x->indexed = s->nprops > INDEX_MIN;
    if (!x->indexed) return;
    ac_strmap_init(&x->m);
    /* the first of a name wins, as the linear scan had it */
    for (uint32_t i = s->nprops; i-- > 0;) ac_strmap_put(&x->m, s->props[i].name, &s->props[i]);
}

static const ac_oas_named *find_prop(const propidx *x, const char *name)
{
    if (x->indexed) return ac_strmap_get(&x->m, name);
    for (uint32_t i = 0; i < x->s->nprops; i++)
        if (!strcmp(x->s->props[i].name, name)) return &x->s->props[i];
    return NULL;
}

static void propidx_free(propidx *x)
{
    if (x->indexed) ac_strmap_free(&x->m);
}

static void check_properties(octx *X, const ac_oas_schema *o, const ac_oas_schema *n, dir_t d, cx_t c, const char *where)
{
    bool params = c == C_PARAM || c == C_PARAM_PROP || c == C_HPARAM || (c == C_HEADER && d == DREQ);
    bool header = c == C_HPARAM || (c == C_HEADER && d == DREQ);
    propidx oix, nix;
    strset oreqs, nreqs;
    propidx_init(&oix, o);
    propidx_init(&nix, n);
    strset_init(&oreqs, &o->required);
    strset_init(&nreqs, &n->required);
    for (uint32_t i = 0; i < o->nprops; i++) {
        const ac_oas_named *op = &o->props[i];
        const ac_oas_named *np = find_prop(&nix, op->name);
        const char *pw = ac_arena_printf(X->scratch, "%s.%s", where, op->name);
        bool oreq = strset_has(&oreqs, op->name);
        if (!np) {
            if (d == DREQ) {
                if (!op->schema->read_only)
                    emit_cx(X, d, params ? C_PARAM_PROP : C_PROP, "removed", n->src, "properties", op->src, NULL, pw,
                            "property %s was removed", pw);
            } else if (op->schema->write_only) {
                emit(X, oreq ? "response-required-write-only-property-removed" : "response-optional-write-only-property-removed",
                     n->src, "properties", op->src, NULL, pw, "write-only property %s was removed", pw);
            } else {
                emit(X, oreq ? "response-required-property-removed" : "response-optional-property-removed", n->src,
                     "properties", op->src, NULL, pw, "%s property %s was removed", oreq ? "required" : "optional", pw);
            }
            continue;
        }
        ac_oas_schema *os = op->schema, *ns = np->schema;
        bool nreq = strset_has(&nreqs, op->name);
        /* requiredness */
        if (oreq != nreq) {
            if (d == DREQ && !ns->read_only && !os->read_only) {
                cx_t pc = header ? C_HEADER : params ? C_PARAM_PROP : C_PROP;
                if (nreq)
                    emit_cx(X, d, pc, ns->dflt && !header ? "became-required-with-default" : "became-required", np->src, NULL,
                            op->src, NULL, pw, "property %s became required%s", pw,
                            ns->dflt ? " (it has a default, but clients must still send it)" : "");
                else
                    emit_cx(X, d, pc, "became-optional", np->src, NULL, op->src, NULL, pw, "property %s became optional", pw);
            } else if (d == DRESP) {
                if (ns->write_only)
                    emit(X, nreq ? "response-write-only-property-became-required" : "response-write-only-property-became-optional",
                         np->src, NULL, op->src, NULL, pw, "write-only property %s became %s", pw, nreq ? "required" : "optional");
                else
                    emit_cx(X, d, C_PROP, nreq ? "became-required" : "became-optional", np->src, NULL, op->src, NULL, pw,
                            "property %s became %s", pw, nreq ? "required" : "optional");
            }
        }
        /* mutability */
        const char *side = d == DREQ ? "request" : "response", *rq = nreq ? "required" : "optional";
        if (os->read_only != ns->read_only)
            emit(X, ac_arena_printf(X->scratch, "%s-%s-property-became-%sread-only", side, rq, ns->read_only ? "" : "not-"),
                 np->src, NULL, op->src, NULL, pw, "property %s became %sread-only", pw, ns->read_only ? "" : "not ");
        if (os->write_only != ns->write_only)
            emit(X, ac_arena_printf(X->scratch, "%s-%s-property-became-%swrite-only", side, rq, ns->write_only ? "" : "not-"),
                 np->src, NULL, op->src, NULL, pw, "property %s became %swrite-only", pw, ns->write_only ? "" : "not ");
        /* lifecycle */
        if (!os->deprecated && ns->deprecated) {
            emit_cx(X, d, C_PROP, ns->sunset ? "deprecated-with-sunset" : "deprecated", np->src, "deprecated", op->src, NULL,
                    pw, "property %s was deprecated%s%s", pw, ns->sunset ? ", sunset " : "", ns->sunset ? ns->sunset : "");
            int days = X->opts->deprecation_days;
            long sunset = parse_date(ns->sunset);
            if (days > 0 && !ns->sunset)
                emit_cx(X, d, C_PROP, "deprecated-sunset-missing", np->src, "deprecated", op->src, NULL, pw,
                        "property %s was deprecated without an x-sunset date (at least %d days away)", pw, days);
            else if (days > 0 && sunset >= 0 && sunset < X->today + days)
                emit_cx(X, d, C_PROP, "sunset-date-too-small", np->src, "x-sunset", op->src, NULL, pw,
                        "property %s has sunset %s, less than %d days away", pw, ns->sunset, days);
        }
        else if (os->deprecated && !ns->deprecated)
            emit_cx(X, d, C_PROP, "reactivated", np->src, NULL, op->src, "deprecated", pw, "property %s is no longer deprecated", pw);
        if (ns->deprecated && ns->sunset && parse_date(ns->sunset) < 0 && (!os->deprecated || !streq(os->sunset, ns->sunset)))
            emit_cx(X, d, C_PROP, "deprecated-sunset-invalid", np->src, "x-sunset", op->src, NULL, pw,
                    "property %s has an x-sunset that is not a date: \"%s\"", pw, ns->sunset);
        if (stability_rank(os->stability) >= 0 && stability_rank(ns->stability) >= 0 &&
            stability_rank(ns->stability) != stability_rank(os->stability))
            emit_cx(X, d, C_PROP, stability_rank(ns->stability) < stability_rank(os->stability) ? "stability-decreased" : "stability-increased",
                    np->src, "x-stability-level", op->src, "x-stability-level", pw,
                    "stability of property %s changed from %s to %s", pw, os->stability ? os->stability : "stable",
                    ns->stability ? ns->stability : "stable");
        cmp_schema(X, os, ns, d, child_cx(c, ns, d), child_where(X, where, ns, ac_arena_printf(X->scratch, ".%s", op->name)));
    }
    for (uint32_t i = 0; i < n->nprops; i++) {
        const ac_oas_named *np = &n->props[i];
        if (find_prop(&oix, np->name)) continue;
        const char *pw = ac_arena_printf(X->scratch, "%s.%s", where, np->name);
        bool nreq = strset_has(&nreqs, np->name);
        if (d == DREQ) {
            if (np->schema->read_only) continue;
            if (params) {
                if (nreq && header)
                    emit(X, "new-required-request-header-property", np->src, NULL, o->src, "properties", pw,
                         "required property %s was added to a header parameter", pw);
                continue;
            }
            emit(X, nreq ? (np->schema->dflt ? "new-required-request-property-with-default" : "new-required-request-property")
                         : "new-optional-request-property",
                 np->src, NULL, o->src, "properties", pw, "%s property %s was added to the request", nreq ? "required" : "optional", pw);
        } else {
            if (np->schema->write_only)
                emit(X, nreq ? "response-required-write-only-property-added" : "response-optional-write-only-property-added",
                     np->src, NULL, o->src, "properties", pw, "write-only property %s was added", pw);
            else
                emit(X, nreq ? "response-required-property-added" : "response-optional-property-added", np->src, NULL,
                     o->src, "properties", pw, "%s property %s was added to the response", nreq ? "required" : "optional", pw);
        }
    }
    /* a property that stays listed in `required` without a definition still changes requiredness */
    propidx_free(&oix);
    propidx_free(&nix);
    strset_free(&oreqs);
    strset_free(&nreqs);
}

static long memo_entry(octx *X, uint64_t key, bool *fresh)
{
    void *v = ac_intmap_get(&X->memo, (int64_t)key);
    if (v) {
        *fresh = false;
        return (long)(uintptr_t)v - 1;
    }
    if (X->nentries == X->centries) {
        X->centries = X->centries ? X->centries * 2 : 256;
        X->entries = ac_xrealloc(X->entries, X->centries * sizeof *X->entries);
    }
    long idx = (long)X->nentries++;
    memset(&X->entries[idx], 0, sizeof X->entries[idx]);
    X->entries[idx].op_stamp = UINT32_MAX;
    ac_intmap_put(&X->memo, (int64_t)key, (void *)(uintptr_t)(idx + 1));
    *fresh = true;
    return idx;
}

static void link_entry(octx *X, long idx)
{
    if (X->cur_entry >= 0) {
        entry *p = &X->entries[X->cur_entry];
        if (p->nk == p->ck) {
            p->ck = p->ck ? p->ck * 2 : 4;
            p->kids = ac_xrealloc(p->kids, p->ck * sizeof *p->kids);
        }
        p->kids[p->nk++] = (uint32_t)idx;
    } else if (X->cur_op >= 0) {
        idlist_add(&X->op_roots[X->cur_op], (uint32_t)idx);
    }
}

/* A schema S that became oneOf [S, T, ...] (or the reverse): report the wrapping and the other
 * branches, and compare S with its own branch, not with the whole oneOf. */
static bool wrapped(octx *X, ac_oas_schema *o, ac_oas_schema *n, dir_t d, cx_t c, const char *where)
{
    bool wrap = !o->none_of && n->none_of && !n->typed && !n->nprops;
    bool unwrap = o->none_of && !n->none_of && !o->typed && !o->nprops;
    if (!wrap && !unwrap) return false;
    ac_oas_schema *plain = wrap ? o : n, *multi = wrap ? n : o;
    int match = -1;
    for (uint32_t j = 0; j < multi->none_of && match < 0; j++)
        if (plain->name && multi->one_of[j]->name && !strcmp(plain->name, multi->one_of[j]->name)) match = (int)j;
    if (match < 0) return false;
    if (wrap) {
        /* one finding names the wrapping and the new alternatives (oasdiff reports them no other way) */
        char others[512];
        size_t k = 0;
        others[0] = 0;
        for (uint32_t j = 0; j < multi->none_of && k < sizeof others - 1; j++)
            if ((int)j != match)
                k += (size_t)snprintf(others + k, sizeof others - k, "%s%s", k ? ", " : "", branch_name(X, multi->one_of[j], j));
        if (k >= sizeof others) k = sizeof others - 1;
        emit_cx(X, d, c, "wrapped-in-one-of", n->src, "oneOf", o->src, NULL, where, "%s was wrapped in a oneOf%s%s", where,
                k ? " with " : "", others);
    } else {
        for (uint32_t j = 0; j < multi->none_of; j++) {
            if ((int)j == match) continue;
            ac_src bs = multi->one_of_src ? multi->one_of_src[j] : multi->one_of[j]->src;
            emit_cx(X, d, c, "one-of-removed", n->src, NULL, bs, NULL, where, "%s lost oneOf branch %s", where,
                    branch_name(X, multi->one_of[j], j));
        }
    }
    cmp_schema(X, wrap ? o : o->one_of[match], wrap ? n->one_of[match] : n, d, c, where);
    return true;
}

static void cmp_schema(octx *X, ac_oas_schema *o, ac_oas_schema *n, dir_t d, cx_t c, const char *where)
{
    if (!o || !n || X->failed) return;
    uint64_t key = ((uint64_t)o->id << 36) | ((uint64_t)(n->id & 0xFFFFFFF) << 8) | ((uint64_t)X->text << 7) |
                   ((uint64_t)d << 4) | (uint64_t)c;
    bool fresh;
    long idx = memo_entry(X, key, &fresh);
    link_entry(X, idx);
    if (!fresh) return; /* compared already (or being compared: a cycle) */
    if (X->depth >= MAX_SCHEMA_DEPTH) {
        X->failed = true;
        ac_loc l;
        X->nc->locate(X->nc, n->src, NULL, &l);
        ac_fail(X->st, l.path, l.line, l.col, "schemas nested more than %d levels deep (through $refs)", MAX_SCHEMA_DEPTH);
        return;
    }
    long saved = X->cur_entry;
    X->cur_entry = idx;
    X->depth++;
    ac_oas_schema *O = o->merged ? o->merged : o, *N = n->merged ? n->merged : n;
    if (wrapped(X, O, N, d, c, where)) {
        X->depth--;
        X->cur_entry = saved;
        return;
    }
    size_t before = X->out->n;
    check_type(X, O, N, d, c, where);
    check_values(X, O, N, d, c, where);
    check_constraints(X, O, N, d, c, where);
    check_structure(X, O, N, d, c, where);
    check_properties(X, O, N, d, c, where);
    /* an allOf member added or removed is structural only when the merged meaning did not change */
    bool merged_changed = X->out->n > before;
    check_composition(X, O, N, d, c, where, merged_changed);
    cx_t kid = (c == C_PARAM || c == C_PARAM_PROP) ? C_PARAM_PROP : (c == C_HPARAM || (c == C_HEADER && d == DREQ)) ? C_HEADER : C_PROP;
    if (O->items && N->items) cmp_schema(X, O->items, N->items, d, kid, child_where(X, where, N->items, "[]"));
    if (O->addl == 3 && N->addl == 3) cmp_schema(X, O->addl_schema, N->addl_schema, d, kid, child_where(X, where, N->addl_schema, "{*}"));
    X->depth--;
    X->cur_entry = saved;
}

/* ---- operations ----------------------------------------------------------------------------------- */

/* The minimum deprecation period for an operation, by its stability. */
static int deprecation_days(const octx *X, const ac_oas_op *op)
{
    int days = X->opts->deprecation_days, rank = stability_rank(op->stability);
    if (rank == 2 && X->opts->deprecation_days_beta >= 0) days = X->opts->deprecation_days_beta;
    if (rank == 3 && X->opts->deprecation_days_stable >= 0) days = X->opts->deprecation_days_stable;
    return days;
}

/* JSON and XML are typed: a number is not a string there.  Form fields, query strings and plain
 * text are not. */
static bool json_or_xml(const char *mt)
{
    size_t n = strcspn(mt, ";");
    while (n && mt[n - 1] == ' ') n--;
    return (n == 16 && !strncmp(mt, "application/json", 16)) || (n >= 5 && !strncmp(mt + n - 5, "+json", 5)) ||
           (n == 15 && !strncmp(mt, "application/xml", 15)) || (n == 8 && !strncmp(mt, "text/xml", 8)) ||
           (n >= 4 && !strncmp(mt + n - 4, "+xml", 4)) || !strncmp(mt, "*/*", 3) || !strncmp(mt, "application/*", 13);
}

static bool success_code(const char *code)
{
    return code[0] == '2';
}

static const ac_oas_media *find_media(const ac_oas_media *m, uint32_t n, const char *type)
{
    for (uint32_t i = 0; i < n; i++)
        if (!strcmp(m[i].type, type)) return &m[i];
    /* "application/json; charset=utf-8" is "application/json" */
    size_t tl = strcspn(type, ";");
    for (uint32_t i = 0; i < n; i++)
        if (strcspn(m[i].type, ";") == tl && !strncmp(m[i].type, type, tl)) return &m[i];
    return NULL;
}

/* "application/(any)" covers "application/json"; "(any)/(any)" covers everything. */
static bool media_covers(const char *pattern, const char *type)
{
    if (!strcmp(pattern, "*/*")) return strcmp(type, "*/*") != 0;
    size_t pl = strcspn(pattern, "/");
    return !strcmp(pattern + pl, "/*") && strncmp(type, pattern, pl + 1) == 0 && strcmp(type + pl, "/*") != 0;
}

/* Whether a new media type took the place of an old one by wildcard (reported as generalized or
 * specialized, not as added). */
static bool covers_any(const char *type, const ac_oas_response *old)
{
    for (uint32_t i = 0; i < old->nmedia; i++)
        if (!find_media(old->media, old->nmedia, type) && (media_covers(type, old->media[i].type) || media_covers(old->media[i].type, type)))
            return true;
    return false;
}

static void cmp_params(octx *X, const ac_oas_op *oo, const ac_oas_op *no)
{
    for (uint32_t i = 0; i < oo->nparams; i++) {
        const ac_oas_param *op = &oo->params[i], *np = NULL;
        for (uint32_t k = 0; k < no->nparams && !np; k++)
            if (!strcmp(no->params[k].key, op->key)) np = &no->params[k];
        const char *pw = ac_arena_printf(X->scratch, "%s parameter \"%s\"", op->in, op->name);
        if (!np) {
            long sunset = parse_date(op->sunset);
            if (op->deprecated && op->sunset && sunset < 0)
                emit(X, "request-parameter-sunset-parse", no->src, "parameters", op->src, "x-sunset", pw,
                     "deprecated %s was removed; its x-sunset is not a date: \"%s\"", pw, op->sunset);
            else if (op->deprecated && sunset >= 0 && sunset > X->today)
                emit(X, "request-parameter-removed-before-sunset", no->src, "parameters", op->src, NULL, pw,
                     "%s was removed before its sunset date %s", pw, op->sunset);
            else if (op->deprecated)
                emit(X, "request-parameter-removed-with-deprecation", no->src, "parameters", op->src, NULL, pw,
                     "deprecated %s was removed", pw);
            else
                emit(X, "request-parameter-removed", no->src, "parameters", op->src, NULL, pw, "%s was removed", pw);
            continue;
        }
        if (!op->required && np->required)
            emit(X, "request-parameter-became-required", np->src, "required", op->src, "required", pw, "%s became required", pw);
        else if (op->required && !np->required)
            emit(X, "request-parameter-became-optional", np->src, "required", op->src, "required", pw, "%s became optional", pw);
        if (!op->deprecated && np->deprecated) {
            emit(X, "request-parameter-deprecated", np->src, "deprecated", op->src, NULL, pw, "%s was deprecated", pw);
            int days = deprecation_days(X, no);
            long sunset = parse_date(np->sunset);
            if (days > 0 && !np->sunset)
                emit(X, "request-parameter-deprecated-sunset-missing", np->src, "deprecated", op->src, NULL, pw,
                     "%s was deprecated without an x-sunset date (at least %d days away)", pw, days);
            else if (days > 0 && sunset >= 0 && sunset < X->today + days)
                emit(X, "request-parameter-sunset-date-too-small", np->src, "x-sunset", op->src, NULL, pw,
                     "%s has sunset %s, less than %d days away", pw, np->sunset, days);
        }
        if (op->sunset && np->sunset && parse_date(op->sunset) >= 0 && parse_date(np->sunset) >= 0 &&
            parse_date(np->sunset) < parse_date(op->sunset) && parse_date(np->sunset) < X->today + deprecation_days(X, no))
            emit(X, "request-parameter-sunset-date-changed-too-small", np->src, "x-sunset", op->src, "x-sunset", pw,
                 "sunset date of %s moved earlier, from %s to %s", pw, op->sunset, np->sunset);
        else if (op->deprecated && !np->deprecated)
            emit(X, "request-parameter-reactivated", np->src, NULL, op->src, "deprecated", pw, "%s is no longer deprecated", pw);
        if (op->sunset && np->deprecated && !np->sunset)
            emit(X, "request-parameter-sunset-deleted", np->src, NULL, op->src, "x-sunset", pw, "%s lost its x-sunset date", pw);
        if (np->sunset && np->deprecated && parse_date(np->sunset) < 0 && (!op->deprecated || !streq(op->sunset, np->sunset)))
            emit(X, "request-parameter-sunset-parse", np->src, "x-sunset", op->src, NULL, pw,
                 "%s has an x-sunset that is not a date: \"%s\"", pw, np->sunset);
        bool saved_text = X->text;
        X->text = !np->media || !json_or_xml(np->media);
        cmp_schema(X, op->schema, np->schema, DREQ, strcmp(np->in, "header") ? C_PARAM : C_HPARAM,
                   np->schema && np->schema->name ? np->schema->name : pw);
        X->text = saved_text;
    }
    for (uint32_t k = 0; k < no->nparams; k++) {
        const ac_oas_param *np = &no->params[k];
        bool found = false;
        for (uint32_t i = 0; i < oo->nparams && !found; i++) found = !strcmp(oo->params[i].key, np->key);
        if (found) continue;
        const char *pw = ac_arena_printf(X->scratch, "%s parameter \"%s\"", np->in, np->name);
        if (!strcmp(np->in, "path"))
            emit(X, "new-request-path-parameter", np->src, NULL, oo->src, "parameters", pw, "%s was added", pw);
        else if (np->path_level)
            emit(X, np->required ? "new-required-request-default-parameter-to-existing-path"
                                 : "new-optional-request-default-parameter-to-existing-path",
                 np->src, NULL, oo->src, "parameters", pw, "%s %s was added to the path", np->required ? "required" : "optional", pw);
        else if (np->required)
            emit(X, "new-required-request-parameter", np->src, NULL, oo->src, "parameters", pw, "required %s was added", pw);
        else
            emit(X, "new-optional-request-parameter", np->src, NULL, oo->src, "parameters", pw, "optional %s was added", pw);
    }
}

static void cmp_body(octx *X, const ac_oas_op *oo, const ac_oas_op *no)
{
    const char *bw = "request body";
    if (!oo->has_body && no->has_body) {
        emit(X, no->body_required ? "request-body-added-required" : "request-body-added-optional", no->body_src, NULL,
             oo->src, NULL, bw, "%s %s was added", no->body_required ? "a required" : "an optional", bw);
        return;
    }
    if (oo->has_body && !no->has_body) {
        emit(X, "request-body-removed", no->src, NULL, oo->body_src, NULL, bw, "%s was removed", bw);
        return;
    }
    if (!oo->has_body) return;
    if (!oo->body_required && no->body_required)
        emit(X, "request-body-became-required", no->body_src, "required", oo->body_src, "required", bw, "%s became required", bw);
    else if (oo->body_required && !no->body_required)
        emit(X, "request-body-became-optional", no->body_src, "required", oo->body_src, "required", bw, "%s became optional", bw);
    for (uint32_t i = 0; i < oo->nbody; i++) {
        const ac_oas_media *om = &oo->body[i], *nm = find_media(no->body, no->nbody, om->type);
        if (!nm) {
            emit(X, "request-body-media-type-removed", no->body_src, "content", om->src, NULL, bw,
                 "%s no longer accepts media type \"%s\"", bw, om->type);
            continue;
        }
        if (!om->schema && nm->schema)
            emit(X, "request-body-media-type-schema-added", nm->src, NULL, om->src, NULL, bw, "%s (%s) gained a schema", bw, om->type);
        else if (om->schema && !nm->schema)
            emit(X, "request-body-media-type-schema-removed", nm->src, NULL, om->src, NULL, bw, "%s (%s) lost its schema", bw, om->type);
        else {
            X->text = !json_or_xml(nm->type);
            cmp_schema(X, om->schema, nm->schema, DREQ, C_BODY, nm->schema && nm->schema->name ? nm->schema->name : bw);
            X->text = false;
        }
    }
    for (uint32_t k = 0; k < no->nbody; k++)
        if (!find_media(oo->body, oo->nbody, no->body[k].type))
            emit(X, "request-body-media-type-added", no->body[k].src, NULL, oo->body_src, "content", bw,
                 "%s now also accepts media type \"%s\"", bw, no->body[k].type);
}

static void cmp_headers(octx *X, const ac_oas_response *or, const ac_oas_response *nr, const char *rw)
{
    for (uint32_t i = 0; i < or->nheaders; i++) {
        const ac_oas_header *oh = &or->headers[i], *nh = NULL;
        for (uint32_t k = 0; k < nr->nheaders && !nh; k++)
            if (!strcasecmp(nr->headers[k].name, oh->name)) nh = &nr->headers[k];
        const char *hw = ac_arena_printf(X->scratch, "header \"%s\" of %s", oh->name, rw);
        if (!nh) {
            emit(X, oh->required ? "required-response-header-removed" : "optional-response-header-removed", nr->src, NULL,
                 oh->src, NULL, hw, "%s %s was removed", oh->required ? "required" : "optional", hw);
            continue;
        }
        if (oh->required && !nh->required)
            emit(X, "response-header-became-optional", nh->src, "required", oh->src, "required", hw, "%s became optional", hw);
        X->text = true; /* header values are text */
        cmp_schema(X, oh->schema, nh->schema, DRESP, C_HEADER, hw);
        X->text = false;
    }
    for (uint32_t k = 0; k < nr->nheaders; k++) {
        bool found = false;
        for (uint32_t i = 0; i < or->nheaders && !found; i++) found = !strcasecmp(or->headers[i].name, nr->headers[k].name);
        if (!found)
            emit(X, "response-header-added", nr->headers[k].src, NULL, or->src, NULL, rw, "header \"%s\" was added to %s",
                 nr->headers[k].name, rw);
    }
}

static void cmp_responses(octx *X, const ac_oas_op *oo, const ac_oas_op *no)
{
    for (uint32_t i = 0; i < oo->nresponses; i++) {
        const ac_oas_response *or = &oo->responses[i], *nr = NULL;
        for (uint32_t k = 0; k < no->nresponses && !nr; k++)
            if (!strcasecmp(no->responses[k].code, or->code)) nr = &no->responses[k];
        const char *rw = ac_arena_printf(X->scratch, "response %s", or->code);
        if (!nr) {
            emit(X, success_code(or->code) ? "response-success-status-removed" : "response-non-success-status-removed",
                 no->src, "responses", or->src, NULL, rw, "%s was removed", rw);
            continue;
        }
        for (uint32_t m = 0; m < or->nmedia; m++) {
            const ac_oas_media *om = &or->media[m], *nm = find_media(nr->media, nr->nmedia, om->type);
            if (!nm) {
                /* application/json -> application/(any): generalized; the reverse: specialized */
                for (uint32_t k = 0; k < nr->nmedia && !nm; k++) {
                    if (find_media(or->media, or->nmedia, nr->media[k].type)) continue;
                    if (media_covers(nr->media[k].type, om->type)) {
                        nm = &nr->media[k];
                        emit(X, "response-media-type-name-generalized", nm->src, NULL, om->src, NULL, rw,
                             "%s returns \"%s\" where it returned \"%s\"", rw, nm->type, om->type);
                    } else if (media_covers(om->type, nr->media[k].type)) {
                        nm = &nr->media[k];
                        emit(X, "response-media-type-name-specialized", nm->src, NULL, om->src, NULL, rw,
                             "%s returns \"%s\" where it returned \"%s\"", rw, nm->type, om->type);
                    }
                }
            }
            if (!nm) {
                emit(X, "response-media-type-removed", nr->resolved ? nr->resolved : nr->src, "content|schema", om->src, NULL, rw,
                     "%s no longer returns media type \"%s\"", rw, om->type);
                continue;
            }
            if (strcmp(nm->type, om->type) && strcspn(nm->type, ";") == strcspn(om->type, ";"))
                /* the same media type with other parameters: "application/json; charset=utf-8" */
                emit(X, "response-media-type-name-changed", nm->src, NULL, om->src, NULL, rw, "%s returns \"%s\" where it returned \"%s\"",
                     rw, nm->type, om->type);
            if (!om->schema && nm->schema)
                emit(X, "response-body-media-type-schema-added", nm->src, NULL, om->src, NULL, rw, "%s (%s) gained a schema", rw,
                     om->type);
            else if (om->schema && !nm->schema)
                emit(X, "response-body-media-type-schema-removed", nm->src, NULL, om->src, NULL, rw, "%s (%s) lost its schema",
                     rw, om->type);
            else {
                X->text = !json_or_xml(nm->type);
                cmp_schema(X, om->schema, nm->schema, DRESP, C_BODY,
                           nm->schema && nm->schema->name ? nm->schema->name : ac_arena_printf(X->scratch, "%s body", rw));
                X->text = false;
            }
        }
        for (uint32_t m = 0; m < nr->nmedia; m++)
            if (!find_media(or->media, or->nmedia, nr->media[m].type) && !covers_any(nr->media[m].type, or))
                emit(X, "response-media-type-added", nr->media[m].src, NULL, or->src, NULL, rw, "%s now also returns media type \"%s\"",
                     rw, nr->media[m].type);
        cmp_headers(X, or, nr, rw);
    }
    for (uint32_t k = 0; k < no->nresponses; k++) {
        bool found = false;
        for (uint32_t i = 0; i < oo->nresponses && !found; i++) found = !strcasecmp(oo->responses[i].code, no->responses[k].code);
        if (!found)
            emit(X, success_code(no->responses[k].code) ? "response-success-status-added" : "response-non-success-status-added",
                 no->responses[k].src, NULL, oo->src, "responses", no->label, "response %s was added",
                 no->responses[k].code);
    }
}

/* Security: the operation's own requirements, else the document's. */
static const ac_oas_security *effective_security(const ac_oas *oas, const ac_oas_op *op)
{
    return op->security.set ? &op->security : &oas->security;
}

static bool same_req(const ac_oas_secreq *a, const ac_oas_secreq *b)
{
    if (a->n != b->n) return false;
    for (uint32_t i = 0; i < a->n; i++) {
        bool found = false;
        for (uint32_t k = 0; k < b->n && !found; k++) found = !strcmp(a->schemes[i], b->schemes[k]);
        if (!found) return false;
    }
    return true;
}

static const char *req_str(octx *X, const ac_oas_secreq *r)
{
    return r->n ? join_values(X, r->schemes, r->n) : "(none)";
}

static void cmp_security(octx *X, const ac_oas_security *os, const ac_oas_security *ns, ac_src nsrc, ac_src osrc,
                         const char *prefix, const char *what)
{
    char id[96];
    for (uint32_t i = 0; i < os->n; i++) {
        const ac_oas_secreq *match = NULL;
        for (uint32_t k = 0; k < ns->n && !match; k++)
            if (same_req(&os->alts[i], &ns->alts[k])) match = &ns->alts[k];
        if (!match) {
            snprintf(id, sizeof id, "%s-removed", prefix);
            emit(X, id, ns->src ? ns->src : nsrc, NULL, os->src ? os->src : osrc, NULL, what,
                 "security requirement %s was removed from %s", req_str(X, &os->alts[i]), what);
            continue;
        }
        for (uint32_t s = 0; s < os->alts[i].n; s++) {
            uint32_t k;
            for (k = 0; k < match->n && strcmp(match->schemes[k], os->alts[i].schemes[s]); k++) {
            }
            const ac_oas_strlist *oscopes = &os->alts[i].scopes[s], *nscopes = &match->scopes[k];
            for (uint32_t q = 0; q < oscopes->n; q++)
                if (!list_has(nscopes, oscopes->v[q])) {
                    snprintf(id, sizeof id, "%s-scope-removed", prefix);
                    emit(X, id, ns->src ? ns->src : nsrc, NULL, os->src ? os->src : osrc, NULL, what,
                         "scope \"%s\" of security scheme \"%s\" was removed from %s", oscopes->v[q], os->alts[i].schemes[s], what);
                }
            for (uint32_t q = 0; q < nscopes->n; q++)
                if (!list_has(oscopes, nscopes->v[q])) {
                    snprintf(id, sizeof id, "%s-scope-added", prefix);
                    emit(X, id, ns->src ? ns->src : nsrc, NULL, os->src ? os->src : osrc, NULL, what,
                         "scope \"%s\" of security scheme \"%s\" was added to %s", nscopes->v[q], os->alts[i].schemes[s], what);
                }
        }
    }
    for (uint32_t k = 0; k < ns->n; k++) {
        bool found = false;
        for (uint32_t i = 0; i < os->n && !found; i++) found = same_req(&os->alts[i], &ns->alts[k]);
        if (!found) {
            snprintf(id, sizeof id, "%s-added", prefix);
            emit(X, id, ns->src ? ns->src : nsrc, NULL, os->src ? os->src : osrc, NULL, what,
                 "security requirement %s was added to %s", req_str(X, &ns->alts[k]), what);
        }
    }
}

static void cmp_op(octx *X, const ac_oas_op *oo, const ac_oas_op *no)
{
    const char *w = no->label;
    /* lifecycle */
    if (!oo->deprecated && no->deprecated) {
        emit(X, no->sunset ? "endpoint-deprecated-with-sunset" : "endpoint-deprecated", no->src, "deprecated", oo->src, NULL, w,
             "%s was deprecated%s%s", w, no->sunset ? ", sunset " : "", no->sunset ? no->sunset : "");
        int days = deprecation_days(X, no);
        if (days > 0) {
            long sunset = parse_date(no->sunset);
            if (!no->sunset)
                emit(X, "api-deprecated-sunset-missing", no->src, "deprecated", oo->src, NULL, w,
                     "%s was deprecated without an x-sunset date (at least %d days away)", w, days);
            else if (sunset >= 0 && sunset < X->today + days)
                emit(X, "api-sunset-date-too-small", no->src, "x-sunset", oo->src, NULL, w,
                     "%s has sunset %s, less than %d days away", w, no->sunset, days);
        }
    } else if (oo->deprecated && !no->deprecated) {
        emit(X, "endpoint-reactivated", no->src, NULL, oo->src, "deprecated", w, "%s is no longer deprecated", w);
    }
    if (no->path_sunset && parse_date(no->path_sunset) < 0 && !streq(oo->path_sunset, no->path_sunset))
        emit(X, "api-path-sunset-parse", no->path_src, "x-sunset", oo->path_src, NULL, w,
             "the path of %s has an x-sunset that is not a date: \"%s\"", w, no->path_sunset);
    if (no->deprecated && no->sunset && parse_date(no->sunset) < 0 && (!oo->deprecated || !streq(oo->sunset, no->sunset)))
        emit(X, "api-deprecated-sunset-parse", no->src, "x-sunset", oo->src, NULL, w, "%s has an x-sunset that is not a date: \"%s\"",
             w, no->sunset);
    if (oo->sunset && no->deprecated && !no->sunset)
        emit(X, "sunset-deleted", no->src, NULL, oo->src, "x-sunset", w, "%s lost its x-sunset date %s", w, oo->sunset);
    else if (oo->sunset && no->sunset && parse_date(no->sunset) >= 0 && parse_date(oo->sunset) >= 0 &&
             parse_date(no->sunset) < parse_date(oo->sunset) && parse_date(no->sunset) < X->today + deprecation_days(X, no))
        emit(X, "api-sunset-date-changed-too-small", no->src, "x-sunset", oo->src, "x-sunset", w,
             "sunset date of %s moved earlier, from %s to %s", w, oo->sunset, no->sunset);
    int os = stability_rank(oo->stability), ns = stability_rank(no->stability);
    if (ns < 0)
        emit(X, "api-invalid-stability-level", no->src, "x-stability-level", oo->src, NULL, w,
             "%s has x-stability-level \"%s\" (expected draft, alpha, beta or stable)", w, no->stability);
    else if (os < 0)
        emit(X, "api-invalid-stability-level", no->src, "x-stability-level", oo->src, "x-stability-level", w,
             "%s had x-stability-level \"%s\" in the old version (expected draft, alpha, beta or stable)", w, oo->stability);
    else if (os >= 0 && ns != os)
        emit(X, ns < os ? "api-stability-decreased" : "api-stability-increased", no->src, "x-stability-level", oo->src,
             "x-stability-level", w, "stability of %s changed from %s to %s", w, oo->stability ? oo->stability : "stable",
             no->stability ? no->stability : "stable");
    if (!streq(oo->operation_id, no->operation_id)) {
        if (oo->operation_id)
            emit(X, "api-operation-id-removed", no->src, "operationId", oo->src, "operationId", w,
                 "operationId of %s changed from \"%s\" to %s%s%s", w, oo->operation_id, no->operation_id ? "\"" : "",
                 no->operation_id ? no->operation_id : "none", no->operation_id ? "\"" : "");
        else
            emit(X, "api-operation-id-added", no->src, "operationId", oo->src, NULL, w, "%s gained operationId \"%s\"", w,
                 no->operation_id);
    }
    for (uint32_t i = 0; i < oo->tags.n; i++)
        if (!list_has(&no->tags, oo->tags.v[i]))
            emit(X, "api-tag-removed", no->src, "tags", oo->src, "tags", w, "%s lost tag \"%s\"", w, oo->tags.v[i]);
    for (uint32_t i = 0; i < no->tags.n; i++)
        if (!list_has(&oo->tags, no->tags.v[i]))
            emit(X, "api-tag-added", no->src, "tags", oo->src, "tags", w, "%s gained tag \"%s\"", w, no->tags.v[i]);
    if (no->webhook) {
        /* a webhook or callback is a request the API sends: its payload is judged as a response
         * (the receiver must cope with what arrives); what the receiver replies is its own business */
        for (uint32_t i = 0; i < oo->nbody; i++) {
            const ac_oas_media *om = &oo->body[i], *nm = find_media(no->body, no->nbody, om->type);
            if (!nm || !om->schema || !nm->schema) continue;
            X->text = !json_or_xml(nm->type);
            cmp_schema(X, om->schema, nm->schema, DRESP, C_BODY, nm->schema->name ? nm->schema->name : "payload");
            X->text = false;
        }
        return;
    }
    cmp_params(X, oo, no);
    cmp_body(X, oo, no);
    cmp_responses(X, oo, no);
    if (oo->security.set || no->security.set)
        cmp_security(X, effective_security(X->o, oo), effective_security(X->n, no), no->src, oo->src, "api-security", w);
}

/* The operation of the new document that is on the same path (or webhook, or callback) as op.  A
 * key is PREFIX METHOD PATH, and PATH has no spaces. */
static const ac_oas_op *sibling(const ac_oas *oas, const ac_oas_op *op)
{
    const char *sp = strrchr(op->key, ' ');
    if (!sp) return NULL;
    size_t plen = (size_t)(sp - op->key) - strlen(op->method);
    for (uint32_t i = 0; i < oas->nops; i++) {
        const ac_oas_op *o2 = &oas->ops[i];
        const char *s2 = strrchr(o2->key, ' ');
        if (s2 && !strcmp(sp, s2) && (size_t)(s2 - o2->key) - strlen(o2->method) == plen && !strncmp(o2->key, op->key, plen))
            return o2;
    }
    return NULL;
}

static void removed_op(octx *X, const ac_oas_op *oo)
{
    const char *w = oo->label;
    int rank = stability_rank(oo->stability);
    if (rank < 0)
        emit(X, "api-invalid-stability-level", X->n->root, "paths", oo->src, "x-stability-level", w,
             "removed %s had x-stability-level \"%s\" (expected draft, alpha, beta or stable)", w, oo->stability);
    if (rank >= 0 && rank < X->opts->stability_from) return; /* draft / alpha: not held to compatibility */
    /* located at what still exists: the path (webhook, callback) key, else the enclosing map */
    const ac_oas_op *sib = sibling(X->n, oo);
    if (oo->webhook) {
        /* webhooks and callbacks: requests the API sends, no longer sent */
        ac_src where = X->n->root;
        const char *key = "webhooks";
        if (sib) {
            where = sib->path_key;
            key = NULL;
        } else if (oo->parent >= 0) {
            /* a callback: at its operation's `callbacks`; gone with its operation, it is that removal */
            const char *pk = X->o->ops[oo->parent].key;
            uint32_t i;
            for (i = 0; i < X->n->nops && strcmp(X->n->ops[i].key, pk); i++) {
            }
            if (i == X->n->nops) return;
            where = X->n->ops[i].src;
            key = "callbacks";
        }
        emit(X, "webhook-removed", where, key, oo->src, NULL, w, "%s was removed", w);
        return;
    }
    bool whole_path = !sib;
    long sunset = parse_date(oo->sunset);
    const char *id;
    if (oo->deprecated && oo->sunset && sunset < 0)
        id = "api-path-sunset-parse";
    else if (oo->deprecated && sunset >= 0 && sunset > X->today)
        id = whole_path ? "api-path-removed-before-sunset" : "api-removed-before-sunset";
    else if (oo->deprecated)
        id = whole_path ? "api-path-removed-with-deprecation" : "api-removed-with-deprecation";
    else
        id = whole_path ? "api-path-removed-without-deprecation" : "api-removed-without-deprecation";
    ac_src where = sib ? sib->path_key : X->n->root;
    const char *key = sib ? NULL : "paths";
    if (!strcmp(id, "api-path-sunset-parse"))
        emit(X, id, where, key, oo->src, "x-sunset", w, "deprecated %s was removed; its x-sunset is not a date: \"%s\"", w,
             oo->sunset);
    else
        emit(X, id, where, key, oo->src, NULL, w, "%s was removed%s", w,
             oo->deprecated ? (sunset > X->today ? " before its sunset date" : " after deprecation") : " without deprecation");
}

/* ---- components and the document ------------------------------------------------------------------- */

static void cmp_document(octx *X)
{
    ac_oas *o = X->o, *n = X->n;
    for (uint32_t i = 0; i < o->nschemas; i++) {
        bool found = false;
        for (uint32_t k = 0; k < n->nschemas && !found; k++) found = !strcmp(o->schemas[i].name, n->schemas[k].name);
        if (!found)
            emit(X, "api-schema-removed", n->root, n->version == 20 ? "definitions" : "components/schemas", o->schemas[i].src, NULL, o->schemas[i].name,
                 "component schema \"%s\" was removed", o->schemas[i].name);
    }
    for (uint32_t i = 0; i < o->nschemes; i++) {
        const ac_oas_scheme *os = &o->schemes[i], *ns = NULL;
        for (uint32_t k = 0; k < n->nschemes && !ns; k++)
            if (!strcmp(n->schemes[k].name, os->name)) ns = &n->schemes[k];
        if (!ns) {
            emit(X, "api-security-component-removed", n->root, n->version == 20 ? "securityDefinitions" : "components/securitySchemes",
                 os->src, NULL, os->name,
                 "security scheme \"%s\" was removed", os->name);
            continue;
        }
        if (!streq(os->type, ns->type))
            emit(X, "api-security-component-type-changed", ns->src, NULL, os->src, NULL, os->name,
                 "type of security scheme \"%s\" changed from \"%s\" to \"%s\"", os->name, os->type ? os->type : "",
                 ns->type ? ns->type : "");
        if (!streq(os->auth_urls, ns->auth_urls))
            emit(X, "api-security-component-oauth-url-changed", ns->src, NULL, os->src, NULL, os->name,
                 "OAuth authorization URLs of security scheme \"%s\" changed from \"%s\" to \"%s\"", os->name,
                 os->auth_urls ? os->auth_urls : "", ns->auth_urls ? ns->auth_urls : "");
        if (!streq(os->token_urls, ns->token_urls))
            emit(X, "api-security-component-oauth-token-url-changed", ns->src, NULL, os->src, NULL, os->name,
                 "OAuth token URLs of security scheme \"%s\" changed from \"%s\" to \"%s\"", os->name,
                 os->token_urls ? os->token_urls : "", ns->token_urls ? ns->token_urls : "");
        for (uint32_t q = 0; q < os->scopes.n; q++) {
            uint32_t k;
            for (k = 0; k < ns->scopes.n && strcmp(ns->scopes.v[k], os->scopes.v[q]); k++) {
            }
            if (k == ns->scopes.n)
                emit(X, "api-security-component-oauth-scope-removed", ns->src, NULL, os->src, NULL, os->name,
                     "security scheme \"%s\" lost scope \"%s\"", os->name, os->scopes.v[q]);
            else if (q < os->scope_descriptions.n && k < ns->scope_descriptions.n &&
                     strcmp(os->scope_descriptions.v[q], ns->scope_descriptions.v[k]))
                emit(X, "api-security-component-oauth-scope-changed", ns->src, NULL, os->src, NULL, os->name,
                     "description of scope \"%s\" of security scheme \"%s\" changed", os->scopes.v[q], os->name);
        }
        for (uint32_t q = 0; q < ns->scopes.n; q++)
            if (!list_has(&os->scopes, ns->scopes.v[q]))
                emit(X, "api-security-component-oauth-scope-added", ns->src, NULL, os->src, NULL, os->name,
                     "security scheme \"%s\" gained scope \"%s\"", os->name, ns->scopes.v[q]);
    }
    for (uint32_t k = 0; k < n->nschemes; k++) {
        bool found = false;
        for (uint32_t i = 0; i < o->nschemes && !found; i++) found = !strcmp(o->schemes[i].name, n->schemes[k].name);
        if (!found)
            emit(X, "api-security-component-added", n->schemes[k].src, NULL, o->root, NULL, n->schemes[k].name,
                 "security scheme \"%s\" was added", n->schemes[k].name);
    }
    cmp_security(X, &o->security, &n->security, n->root, o->root, "api-global-security", "the document");
}

/* Semantic versions: -1, 0, 1, or 2 when either does not parse. */
static int semver_cmp(const char *a, const char *b, bool *major_same)
{
    long va[3] = {0, 0, 0}, vb[3] = {0, 0, 0};
    if (!a || !b) return 2;
    if (*a == 'v') a++;
    if (*b == 'v') b++;
    if (sscanf(a, "%ld.%ld.%ld", &va[0], &va[1], &va[2]) < 1 || sscanf(b, "%ld.%ld.%ld", &vb[0], &vb[1], &vb[2]) < 1)
        return 2;
    *major_same = va[0] == vb[0];
    for (int i = 0; i < 3; i++)
        if (va[i] != vb[i]) return va[i] < vb[i] ? -1 : 1;
    return 0;
}

static void cmp_version(octx *X, bool breaking)
{
    const char *ov = X->o->info_version, *nv = X->n->info_version;
    bool major_same = false;
    int c = semver_cmp(ov, nv, &major_same);
    X->cur_op = -1;
    X->cur_entry = -1;
    if (c == 1)
        emit(X, "api-version-decreased", X->n->root, "info", X->o->root, "info", "info.version",
             "info.version decreased from \"%s\" to \"%s\"", ov, nv);
    else if (breaking && streq(ov, nv))
        emit(X, "api-version-not-bumped", X->n->root, "info", X->o->root, "info", "info.version",
             "breaking changes without a new info.version (still \"%s\")", nv ? nv : "");
    else if (breaking && c == -1 && major_same)
        emit(X, "api-major-version-not-bumped", X->n->root, "info", X->o->root, "info", "info.version",
             "breaking changes with the same major version (\"%s\" to \"%s\")", ov, nv);
}

/* ---- attribution: which operations a finding affects ------------------------------------------------ */

static void attribute(octx *X)
{
    uint32_t *stack = NULL;
    size_t n = 0, cap = 0;
    for (uint32_t op = 0; op < X->n->nops; op++) {
        idlist *roots = &X->op_roots[op];
        for (uint32_t r = 0; r < roots->n; r++) {
            uint32_t e0 = roots->v[r];
            if (X->entries[e0].op_stamp == op) continue;
            X->entries[e0].op_stamp = op;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                stack = ac_xrealloc(stack, cap * sizeof *stack);
            }
            stack[n++] = e0;
            while (n) {
                entry *e = &X->entries[stack[--n]];
                for (uint32_t i = 0; i < e->nf; i++) idlist_add(&X->fops[e->f[i]], op);
                for (uint32_t i = 0; i < e->nk; i++) {
                    entry *k = &X->entries[e->kids[i]];
                    if (k->op_stamp == op) continue;
                    k->op_stamp = op;
                    if (n == cap) {
                        cap = cap ? cap * 2 : 64;
                        stack = ac_xrealloc(stack, cap * sizeof *stack);
                    }
                    stack[n++] = e->kids[i];
                }
            }
        }
    }
    free(stack);
}

static int cmp_label(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int ac_oas_check(ac_contract *oc, ac_contract *nc, const ac_oas_check_opts *opts, ac_findings *out, ac_status *st)
{
    octx X;
    memset(&X, 0, sizeof X);
    X.oc = oc;
    X.nc = nc;
    X.o = oc->oas;
    X.n = nc->oas;
    X.out = out;
    X.st = st;
    X.opts = opts;
    X.scratch = ac_arena_new();
    X.cur_entry = -1;
    X.cur_op = -1;
    X.today = opts->today >= 0 ? opts->today : (long)(time(NULL) / 86400);
    ac_intmap_init(&X.memo);
    merge_all(oc);
    merge_all(nc);
    size_t first = out->n;
    X.op_roots = ac_xcalloc(X.n->nops ? X.n->nops : 1, sizeof *X.op_roots);

    /* pairing: the same path as written first, then the same path with parameters renamed (a
     * document may hold /pets/{id} and /pets/{name}; each keeps its own partner) */
    uint32_t *partner = ac_xcalloc(X.o->nops + 1, sizeof *partner); /* new index + 1 */
    bool *taken = ac_xcalloc(X.n->nops + 1, sizeof *taken);
    for (int pass = 0; pass < 2; pass++) {
        ac_strmap idx;
        ac_strmap_init(&idx);
        for (uint32_t i = 0; i < X.n->nops; i++)
            if (!taken[i]) ac_strmap_add(&idx, pass ? X.n->ops[i].key : X.n->ops[i].label, (void *)(uintptr_t)(i + 1));
        for (uint32_t i = 0; i < X.o->nops; i++) {
            if (partner[i]) continue;
            uintptr_t k = (uintptr_t)ac_strmap_get(&idx, pass ? X.o->ops[i].key : X.o->ops[i].label);
            if (k && !taken[k - 1]) {
                partner[i] = (uint32_t)k;
                taken[k - 1] = true;
            }
        }
        ac_strmap_free(&idx);
    }
    for (uint32_t i = 0; i < X.o->nops && !X.failed; i++) {
        ac_oas_op *oo = &X.o->ops[i];
        uintptr_t k = partner[i];
        X.cur_entry = -1;
        if (!k) {
            X.cur_op = -1;
            X.cur_label = oo->label;
            removed_op(&X, oo);
            X.cur_label = NULL;
            continue;
        }
        X.cur_op = (long)(k - 1);
        cmp_op(&X, oo, &X.n->ops[k - 1]);
    }
    for (uint32_t i = 0; i < X.n->nops; i++) {
        ac_oas_op *no = &X.n->ops[i];
        if (taken[i]) continue;
        X.cur_op = (long)i;
        X.cur_entry = -1;
        if (no->parent >= 0 && !taken[no->parent]) continue; /* a callback of a new operation */
        if (no->webhook)
            emit(&X, "webhook-added", no->src, NULL, X.o->root, NULL, no->label, "%s was added", no->label);
        else
            emit(&X, "endpoint-added", no->src, NULL, X.o->root, NULL, no->label, "%s was added", no->label);
    }
    X.cur_op = -1;
    X.cur_entry = -1;
    if (!X.failed) cmp_document(&X);
    if (!X.failed) attribute(&X);

    /* the same change reached from several operations (a shared parameter, header or response)
     * is one finding listing them all */
    {
        ac_strmap seen;
        ac_strmap_init(&seen);
        for (size_t i = first; i < out->n; i++) {
            ac_finding *f = &out->v[i];
            /* identity as the report shows it: rule, new location, message (the old location may be
             * the different operations that used the element) */
            char *key = ac_arena_printf(X.scratch, "%s|%s|%u|%u|%s", f->rule->id, f->loc.path ? f->loc.path : "",
                                        f->loc.line, f->loc.col, f->message);
            uintptr_t prev = (uintptr_t)ac_strmap_get(&seen, key);
            if (!prev) {
                ac_strmap_put(&seen, key, (void *)(uintptr_t)(i + 1));
                continue;
            }
            idlist *into = &X.fops[prev - 1], *from = &X.fops[i];
            for (uint32_t k = 0; k < from->n; k++) {
                bool have = false;
                for (uint32_t q = 0; q < into->n && !have; q++) have = into->v[q] == from->v[k];
                if (!have) idlist_add(into, from->v[k]);
            }
            from->n = 0;
            f->suppressed_by = "duplicate"; /* dropped below */
        }
        ac_strmap_free(&seen);
    }
    /* operations on each finding; draft and alpha operations are not held to compatibility */
    bool breaking = false;
    size_t w = first;
    for (size_t i = first; i < out->n; i++) {
        ac_finding *f = &out->v[i];
        if (f->suppressed_by && !strcmp(f->suppressed_by, "duplicate")) continue;
        idlist *ops = i < X.nfops ? &X.fops[i] : NULL;
        size_t unstable = 0;
        if (ops && ops->n) {
            f->ops = ac_arena_alloc(out->arena, ops->n * sizeof *f->ops);
            bool lifecycle = !strncmp(f->rule->id, "api-stability", 13) || !strcmp(f->rule->id, "api-invalid-stability-level");
            for (uint32_t k = 0; k < ops->n; k++) {
                const ac_oas_op *op = &X.n->ops[ops->v[k]];
                if (!lifecycle && stability_rank(op->stability) >= 0 && stability_rank(op->stability) < X.opts->stability_from)
                    unstable++;
                else
                    f->ops[f->nops++] = op->label;
            }
            qsort(f->ops, f->nops, sizeof *f->ops, cmp_label);
        }
        if ((!ops || !ops->n) && i < X.nfops && X.flabel[i]) {
            f->ops = ac_arena_alloc(out->arena, sizeof *f->ops);
            f->ops[f->nops++] = X.flabel[i];
        }
        if (ops && ops->n && unstable == ops->n) continue; /* every affected operation is draft or alpha */
        if (f->severity == AC_SEV_ERROR) breaking = true;
        out->v[w++] = *f;
    }
    out->n = w;
    if (!X.failed) cmp_version(&X, breaking);

    for (size_t i = 0; i < X.nfops; i++) free(X.fops[i].v);
    free(X.fops);
    free(X.flabel);
    for (uint32_t i = 0; i < X.n->nops; i++) free(X.op_roots[i].v);
    free(X.op_roots);
    for (size_t i = 0; i < X.nentries; i++) {
        free(X.entries[i].f);
        free(X.entries[i].kids);
    }
    free(X.entries);
    ac_intmap_free(&X.memo);
    free(partner);
    free(taken);
    ac_arena_free(X.scratch);
    return X.failed ? AC_ERROR : AC_OK;
}
