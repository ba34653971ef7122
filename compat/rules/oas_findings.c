/* The OpenAPI check: small helpers, the place x change table of composed IDs, and recording a finding. */
#include "compat/rules/oas_internal.h"

/* ---- small helpers ----------------------------------------------------------------------------- */

void oas_idlist_add(idlist *l, uint32_t v)
{
    if (l->n && l->v[l->n - 1] == v) return;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->v = ac_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = v;
}

bool oas_streq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

bool oas_list_has(const ac_oas_strlist *l, const char *s)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s)) return true;
    return false;
}


void oas_strset_init(strset *x, const ac_oas_strlist *l)
{
    x->l = l;
    x->indexed = l->n > INDEX_MIN;
    if (!x->indexed) return;
    ac_strmap_init(&x->m);
    for (uint32_t i = 0; i < l->n; i++) ac_strmap_put(&x->m, l->v[i], (void *)l->v[i]);
}

bool oas_strset_has(const strset *x, const char *s)
{
    return x->indexed ? ac_strmap_get(&x->m, s) != NULL : oas_list_has(x->l, s);
}

void oas_strset_free(strset *x)
{
    if (x->indexed) ac_strmap_free(&x->m);
}

/* The values of a that b lacks, in a's order, into out (room for a->n). */
size_t oas_list_minus(const ac_oas_strlist *a, const ac_oas_strlist *b, const char **out)
{
    strset bs;
    oas_strset_init(&bs, b);
    size_t n = 0;
    for (uint32_t i = 0; i < a->n; i++)
        if (!oas_strset_has(&bs, a->v[i])) out[n++] = a->v[i];
    oas_strset_free(&bs);
    return n;
}

/* 1 + the ID of (place, change), or 0 when oasdiff has no such check. */
static const uint16_t composed[P_COUNT][CH_COUNT] = {
#define OAS_PLACE(SYM, PREFIX)
#define OAS_CHANGE(SYM, SUFFIX)
#define OAS_COMPOSED(PLACE, CHANGE) [P_##PLACE][CH_##CHANGE] = AC_OAS_##PLACE##_##CHANGE + 1,
#include "compat/rules/oas_compose.def"
#undef OAS_PLACE
#undef OAS_CHANGE
#undef OAS_COMPOSED
};

static place_t place_of(dir_t d, cx_t c)
{
    static const place_t req[C_COUNT] = {P_REQUEST_BODY, P_REQUEST_PROPERTY, P_REQUEST_PARAMETER,
                                         P_REQUEST_PARAMETER_PROPERTY, P_REQUEST_HEADER_PROPERTY,
                                         P_REQUEST_READ_ONLY_PROPERTY, P_REQUEST_PROPERTY, P_REQUEST_PARAMETER};
    static const place_t resp[C_COUNT] = {P_RESPONSE_BODY, P_RESPONSE_PROPERTY, P_RESPONSE_PARAMETER,
                                          P_RESPONSE_PROPERTY, P_RESPONSE_HEADER, P_RESPONSE_PROPERTY,
                                          P_RESPONSE_WRITE_ONLY_PROPERTY, P_RESPONSE_PARAMETER};
    return d == DREQ ? req[c] : resp[c];
}

int ac_oas_compose_check(char *bad, size_t n)
{
    static const char *const prefixes[P_COUNT] = {
#define OAS_PLACE(SYM, PREFIX) PREFIX,
#define OAS_CHANGE(SYM, SUFFIX)
#define OAS_COMPOSED(PLACE, CHANGE)
#include "compat/rules/oas_compose.def"
#undef OAS_PLACE
#undef OAS_CHANGE
#undef OAS_COMPOSED
    };
    static const char *const suffixes[CH_COUNT] = {
#define OAS_PLACE(SYM, PREFIX)
#define OAS_CHANGE(SYM, SUFFIX) SUFFIX,
#define OAS_COMPOSED(PLACE, CHANGE)
#include "compat/rules/oas_compose.def"
#undef OAS_PLACE
#undef OAS_CHANGE
#undef OAS_COMPOSED
    };
    int wrong = 0;
    for (int p = 0; p < P_COUNT; p++)
        for (int c = 0; c < CH_COUNT; c++) {
            char id[160];
            snprintf(id, sizeof id, "%s%s", prefixes[p], suffixes[c]);
            int r = ac_rule_find(id);
            int want = r < 0 ? 0 : (int)(r - AC_NPROTO_RULES) + 1;
            if (composed[p][c] != want) {
                if (!wrong++) snprintf(bad, n, "%s", id);
            }
        }
    return wrong;
}

long oas_parse_date(const char *s)
{
    return ac_parse_date(s);
}

int oas_stability_rank(const char *s)
{
    if (!s) return 3;
    if (!strcmp(s, "draft")) return 0;
    if (!strcmp(s, "alpha")) return 1;
    if (!strcmp(s, "beta")) return 2;
    if (!strcmp(s, "stable")) return 3;
    return -1;
}

/* ---- findings ----------------------------------------------------------------------------------- */

static long emitv(octx *X, const ac_rule *rule, ac_src nsrc, const char *nkey, ac_src osrc, const char *okey,
                  const char *subject, const char *fmt, va_list ap)
{
    ac_finding *f = ac_findings_push(X->out);
    f->rule = rule;
    f->severity = rule->severity;
    f->message = ac_arena_vprintf(X->out->arena, fmt, ap);
    if (nsrc) X->nc->locate(X->nc, nsrc, nkey, &f->loc);
    if (osrc) X->oc->locate(X->oc, osrc, okey, &f->old_loc);
    f->cfg_path = f->loc.line ? f->loc.file : f->old_loc.file;
    f->old_cfg_path = f->old_loc.file;
    f->subject = subject ? ac_arena_strdup(X->out->arena, subject) : NULL;
    /* for the prover (compat/cases/prove.c): the elements whose keys changed */
    f->ev_new = (ac_elem_ref){nsrc, nsrc ? AC_EL_OAS_FIRST : AC_EL_NONE};
    f->ev_old = (ac_elem_ref){osrc, osrc ? AC_EL_OAS_FIRST : AC_EL_NONE};
    const char *why = ac_inline_why(X->nc, nsrc, &f->loc, X->oc, osrc, &f->old_loc, rule, X->opts->reversed);
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
        oas_idlist_add(&X->fops[idx], (uint32_t)X->cur_op);
    }
    return (long)idx;
}

long oas_emit(octx *X, ac_oas_rule id, ac_src nsrc, const char *nkey, ac_src osrc, const char *okey,
                 const char *subject, const char *fmt, ...) __attribute__((format(printf, 8, 9)));
long oas_emit(octx *X, ac_oas_rule id, ac_src nsrc, const char *nkey, ac_src osrc, const char *okey,
                 const char *subject, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    long r = emitv(X, ac_oas_rule_get(id), nsrc, nkey, osrc, okey, subject, fmt, ap);
    va_end(ap);
    return r;
}

/* The change in the place of (d, c), emitted only when oasdiff defines that combination; -1 if not. */
long oas_emit_cx(octx *X, dir_t d, cx_t c, change_t change, ac_src nsrc, const char *nkey, ac_src osrc,
                    const char *okey, const char *subject, const char *fmt, ...) __attribute__((format(printf, 10, 11)));
long oas_emit_cx(octx *X, dir_t d, cx_t c, change_t change, ac_src nsrc, const char *nkey, ac_src osrc,
                    const char *okey, const char *subject, const char *fmt, ...)
{
    unsigned id = composed[place_of(d, c)][change];
    if (!id) return -1;
    va_list ap;
    va_start(ap, fmt);
    long r = emitv(X, ac_oas_rule_get((ac_oas_rule)(id - 1)), nsrc, nkey, osrc, okey, subject, fmt, ap);
    va_end(ap);
    return r;
}
