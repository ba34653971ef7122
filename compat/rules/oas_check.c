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
 * "request-property-" + "max-length-decreased") only when oasdiff defines that ID: the IDs are
 * AC_OAS_<SYMBOL> values, and the composed ones rows of a place x change table (oas_compose.def). */
#include "compat/rules/oas_internal.h"

/* ---- components and the document ------------------------------------------------------------------- */

/* Name -> element maps over the new side's component schemas and security schemes: pairing by name
 * is linear (a contract may hold tens of thousands of components; pairwise it was quadratic). */
static void index_schemas(ac_strmap *m, const ac_oas *c)
{
    ac_strmap_init(m);
    ac_strmap_reserve(m, c->nschemas);
    for (uint32_t i = 0; i < c->nschemas; i++) ac_strmap_add(m, c->schemas[i].name, (void *)&c->schemas[i]);
}

static void index_schemes(ac_strmap *m, const ac_oas *c)
{
    ac_strmap_init(m);
    ac_strmap_reserve(m, c->nschemes);
    for (uint32_t i = 0; i < c->nschemes; i++) ac_strmap_add(m, c->schemes[i].name, (void *)&c->schemes[i]);
}

static void cmp_scopes(octx *X, const ac_oas_scheme *os, const ac_oas_scheme *ns)
{
    ac_strmap nidx; /* scope -> 1 + its index in ns */
    ac_strmap_init(&nidx);
    for (uint32_t k = 0; k < ns->scopes.n; k++) ac_strmap_add(&nidx, ns->scopes.v[k], (void *)(uintptr_t)(k + 1));
    for (uint32_t q = 0; q < os->scopes.n; q++) {
        uintptr_t k1 = (uintptr_t)ac_strmap_get(&nidx, os->scopes.v[q]);
        if (!k1)
            oas_emit(X, AC_OAS_API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED, ns->src, NULL, os->src, NULL, os->name,
                 "security scheme \"%s\" lost scope \"%s\"", os->name, os->scopes.v[q]);
        else if (q < os->scope_descriptions.n && k1 - 1 < ns->scope_descriptions.n &&
                 strcmp(os->scope_descriptions.v[q], ns->scope_descriptions.v[k1 - 1]))
            oas_emit(X, AC_OAS_API_SECURITY_COMPONENT_OAUTH_SCOPE_CHANGED, ns->src, NULL, os->src, NULL, os->name,
                 "description of scope \"%s\" of security scheme \"%s\" changed", os->scopes.v[q], os->name);
    }
    ac_strmap_free(&nidx);
    strset olds;
    oas_strset_init(&olds, &os->scopes);
    for (uint32_t q = 0; q < ns->scopes.n; q++)
        if (!oas_strset_has(&olds, ns->scopes.v[q]))
            oas_emit(X, AC_OAS_API_SECURITY_COMPONENT_OAUTH_SCOPE_ADDED, ns->src, NULL, os->src, NULL, os->name,
                 "security scheme \"%s\" gained scope \"%s\"", os->name, ns->scopes.v[q]);
    oas_strset_free(&olds);
}

static void cmp_document(octx *X)
{
    ac_oas *o = X->o, *n = X->n;
    ac_strmap nschemas, nschemes, oschemes;
    index_schemas(&nschemas, n);
    for (uint32_t i = 0; i < o->nschemas; i++)
        if (!ac_strmap_get(&nschemas, o->schemas[i].name))
            oas_emit(X, AC_OAS_API_SCHEMA_REMOVED, n->root, n->version == 20 ? "definitions" : "components/schemas", o->schemas[i].src, NULL, o->schemas[i].name,
                 "component schema \"%s\" was removed", o->schemas[i].name);
    ac_strmap_free(&nschemas);
    index_schemes(&nschemes, n);
    for (uint32_t i = 0; i < o->nschemes; i++) {
        const ac_oas_scheme *os = &o->schemes[i], *ns = ac_strmap_get(&nschemes, os->name);
        if (!ns) {
            oas_emit(X, AC_OAS_API_SECURITY_COMPONENT_REMOVED, n->root, n->version == 20 ? "securityDefinitions" : "components/securitySchemes",
                 os->src, NULL, os->name,
                 "security scheme \"%s\" was removed", os->name);
            continue;
        }
        if (!oas_streq(os->type, ns->type))
            oas_emit(X, AC_OAS_API_SECURITY_COMPONENT_TYPE_CHANGED, ns->src, NULL, os->src, NULL, os->name,
                 "type of security scheme \"%s\" changed from \"%s\" to \"%s\"", os->name, os->type ? os->type : "",
                 ns->type ? ns->type : "");
        if (!oas_streq(os->auth_urls, ns->auth_urls))
            oas_emit(X, AC_OAS_API_SECURITY_COMPONENT_OAUTH_URL_CHANGED, ns->src, NULL, os->src, NULL, os->name,
                 "OAuth authorization URLs of security scheme \"%s\" changed from \"%s\" to \"%s\"", os->name,
                 os->auth_urls ? os->auth_urls : "", ns->auth_urls ? ns->auth_urls : "");
        if (!oas_streq(os->token_urls, ns->token_urls))
            oas_emit(X, AC_OAS_API_SECURITY_COMPONENT_OAUTH_TOKEN_URL_CHANGED, ns->src, NULL, os->src, NULL, os->name,
                 "OAuth token URLs of security scheme \"%s\" changed from \"%s\" to \"%s\"", os->name,
                 os->token_urls ? os->token_urls : "", ns->token_urls ? ns->token_urls : "");
        cmp_scopes(X, os, ns);
    }
    ac_strmap_free(&nschemes);
    index_schemes(&oschemes, o);
    for (uint32_t k = 0; k < n->nschemes; k++)
        if (!ac_strmap_get(&oschemes, n->schemes[k].name))
            oas_emit(X, AC_OAS_API_SECURITY_COMPONENT_ADDED, n->schemes[k].src, NULL, o->root, NULL, n->schemes[k].name,
                 "security scheme \"%s\" was added", n->schemes[k].name);
    ac_strmap_free(&oschemes);
    oas_cmp_security(X, &o->security, &n->security, n->root, o->root, true, "the document");
    /* the new document's keys that hold null where a map or a list belongs: read as empty */
    for (uint32_t i = 0; i < n->nnulls; i++)
        oas_emit(X, AC_OAS_APICOMPAT_NULL_READ_AS_EMPTY, n->nulls[i].src, NULL, NULL, NULL, n->nulls[i].what,
                 "%s holds null: read as empty", n->nulls[i].what);
    /* and its type names that are not JSON Schema types: each a type of its own */
    for (uint32_t i = 0; i < n->nunknown_types; i++)
        oas_emit(X, AC_OAS_APICOMPAT_UNKNOWN_SCHEMA_TYPE, n->unknown_types[i].src, NULL, NULL, NULL, n->unknown_types[i].what,
                 "unknown schema type \"%.60s\": read as a type of its own (no JSON value has it; a change to or from it is a type change)",
                 n->unknown_types[i].what);
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
        oas_emit(X, AC_OAS_API_VERSION_DECREASED, X->n->root, "info", X->o->root, "info", "info.version",
             "info.version decreased from \"%s\" to \"%s\"", ov, nv);
    else if (breaking && oas_streq(ov, nv))
        oas_emit(X, AC_OAS_API_VERSION_NOT_BUMPED, X->n->root, "info", X->o->root, "info", "info.version",
             "breaking changes without a new info.version (still \"%s\")", nv ? nv : "");
    else if (breaking && c == -1 && major_same)
        oas_emit(X, AC_OAS_API_MAJOR_VERSION_NOT_BUMPED, X->n->root, "info", X->o->root, "info", "info.version",
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
                for (uint32_t i = 0; i < e->nf; i++) oas_idlist_add(&X->fops[e->f[i]], op);
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

/* ---- the passes --------------------------------------------------------------------------------- */

static bool same_scope(const ac_oas_op *a, const ac_oas_op *b)
{
    return a->scope == b->scope || (a->scope && b->scope && !strcmp(a->scope, b->scope));
}

/* An operation's name for a pass of pair_ops, its scope (a derived operation's host) in front. */
static const char *pair_name(octx *X, const ac_oas_op *op, int pass)
{
    const char *name = pass == 0 ? op->label : op->key;
    return op->scope && pass < 2 ? ac_arena_printf(X->scratch, "%s\n%s", op->scope, name) : name;
}

/* Pairs operations: the same path as written first, then the same path with parameters renamed (a
 * document may hold /pets/{id} and /pets/{name}; each keeps its own partner), each within one scope
 * (a derived surface's host: two APIs that serve the same template are two operations); then an
 * operation left on each side with the same path and operationId (the RPC), whose service moved to
 * another host (SERVICE_SAME_DEFAULT_HOST reports that).  partner[old] is the new index + 1 (0:
 * removed); taken[new] says whether a new operation has an old one. */
static void pair_ops(octx *X, uint32_t *partner, bool *taken)
{
    for (int pass = 0; pass < 3; pass++) {
        ac_strmap idx;
        ac_strmap_init(&idx);
        for (uint32_t i = 0; i < X->n->nops; i++)
            if (!taken[i]) ac_strmap_add(&idx, pair_name(X, &X->n->ops[i], pass), (void *)(uintptr_t)(i + 1));
        for (uint32_t i = 0; i < X->o->nops && idx.len; i++) {
            const ac_oas_op *oo = &X->o->ops[i];
            if (partner[i]) continue;
            uintptr_t k = (uintptr_t)ac_strmap_get(&idx, pair_name(X, oo, pass));
            if (!k || taken[k - 1]) continue;
            if (pass == 2 && (same_scope(oo, &X->n->ops[k - 1]) || !oo->operation_id || !X->n->ops[k - 1].operation_id ||
                              strcmp(oo->operation_id, X->n->ops[k - 1].operation_id)))
                continue;
            partner[i] = (uint32_t)k;
            taken[k - 1] = true;
        }
        ac_strmap_free(&idx);
    }
}

/* Compares each old operation with its partner, or reports it removed. */
static void compare_ops(octx *X, const uint32_t *partner)
{
    for (uint32_t i = 0; i < X->o->nops && !X->failed; i++) {
        ac_oas_op *oo = &X->o->ops[i];
        uintptr_t k = partner[i];
        X->cur_entry = -1;
        if (!k) {
            X->cur_op = -1;
            X->cur_label = oo->label;
            oas_removed_op(X, oo);
            X->cur_label = NULL;
            continue;
        }
        X->cur_op = (long)(k - 1);
        oas_cmp_op(X, oo, &X->n->ops[k - 1]);
    }
}

/* Reports the new operations without a partner (a callback of a new operation comes with it). */
static void added_ops(octx *X, const bool *taken)
{
    for (uint32_t i = 0; i < X->n->nops; i++) {
        ac_oas_op *no = &X->n->ops[i];
        if (taken[i]) continue;
        X->cur_op = (long)i;
        X->cur_entry = -1;
        if (no->parent >= 0 && !taken[no->parent]) continue;
        oas_emit(X, no->webhook ? AC_OAS_WEBHOOK_ADDED : AC_OAS_ENDPOINT_ADDED, no->src, NULL, X->o->root, NULL, no->label,
             "%s was added", no->label);
    }
    X->cur_op = -1;
    X->cur_entry = -1;
}

/* The same change reached from several operations (a shared parameter, header or response) is one
 * finding listing them all: marks the later copies in dup and moves their operations to the first. */
static void merge_duplicates(octx *X, size_t first, bool *dup)
{
    ac_strmap seen;
    ac_strmap_init(&seen);
    for (size_t i = first; i < X->out->n; i++) {
        ac_finding *f = &X->out->v[i];
        /* identity as the report shows it: rule, new location, message (the old location may be
         * the different operations that used the element) */
        char *key = ac_arena_printf(X->scratch, "%s|%s|%u|%u|%s", f->rule->id, f->loc.path ? f->loc.path : "",
                                    f->loc.line, f->loc.col, f->message);
        uintptr_t prev = (uintptr_t)ac_strmap_get(&seen, key);
        if (!prev) {
            ac_strmap_put(&seen, key, (void *)(uintptr_t)(i + 1));
            continue;
        }
        idlist *into = &X->fops[prev - 1], *from = &X->fops[i];
        for (uint32_t k = 0; k < from->n; k++) {
            bool have = false;
            for (uint32_t q = 0; q < into->n && !have; q++) have = into->v[q] == from->v[k];
            if (!have) oas_idlist_add(into, from->v[k]);
        }
        from->n = 0;
        dup[i - first] = true;
    }
    ac_strmap_free(&seen);
}

/* Checks about an operation's stability itself hold whatever its stability. */
static bool about_stability(const ac_rule *r)
{
    return r == ac_oas_rule_get(AC_OAS_API_STABILITY_DECREASED) || r == ac_oas_rule_get(AC_OAS_API_STABILITY_INCREASED) ||
           r == ac_oas_rule_get(AC_OAS_API_INVALID_STABILITY_LEVEL);
}

/* Lists on each finding the operations it affects, and drops the duplicates and the findings whose
 * operations are all below the stability checked (draft and alpha operations are not held to
 * compatibility).  Returns whether a breaking finding remains. */
static bool list_ops_and_filter(octx *X, size_t first, const bool *dup)
{
    ac_findings *out = X->out;
    bool breaking = false;
    size_t w = first;
    for (size_t i = first; i < out->n; i++) {
        ac_finding *f = &out->v[i];
        if (dup[i - first]) continue;
        idlist *ops = i < X->nfops ? &X->fops[i] : NULL;
        size_t unstable = 0;
        if (ops && ops->n) {
            f->ops = ac_arena_alloc(out->arena, ops->n * sizeof *f->ops);
            bool lifecycle = about_stability(f->rule);
            for (uint32_t k = 0; k < ops->n; k++) {
                const ac_oas_op *op = &X->n->ops[ops->v[k]];
                if (!lifecycle && oas_stability_rank(op->stability) >= 0 && oas_stability_rank(op->stability) < X->opts->stability_from)
                    unstable++;
                else
                    f->ops[f->nops++] = op->label;
            }
            qsort(f->ops, f->nops, sizeof *f->ops, cmp_label);
        }
        if ((!ops || !ops->n) && i < X->nfops && X->flabel[i]) {
            f->ops = ac_arena_alloc(out->arena, sizeof *f->ops);
            f->ops[f->nops++] = X->flabel[i];
        }
        if (ops && ops->n && unstable == ops->n) continue; /* every affected operation is draft or alpha */
        if (f->severity == AC_SEV_ERROR) breaking = true;
        out->v[w++] = *f;
    }
    out->n = w;
    return breaking;
}

static void octx_init(octx *X, ac_contract *oc, ac_contract *nc, const ac_oas_check_opts *opts, ac_findings *out,
                      ac_status *st)
{
    memset(X, 0, sizeof *X);
    X->oc = oc;
    X->nc = nc;
    X->o = oc->oas;
    X->n = nc->oas;
    X->out = out;
    X->st = st;
    X->opts = opts;
    X->scratch = ac_arena_new();
    X->cur_entry = -1;
    X->cur_op = -1;
    X->today = opts->today >= 0 ? opts->today : (long)(time(NULL) / 86400);
    ac_intmap_init(&X->memo);
    ac_intmap_init(&X->trials);
    X->op_roots = ac_xcalloc(X->n->nops ? X->n->nops : 1, sizeof *X->op_roots);
}

static void octx_free(octx *X)
{
    for (size_t i = 0; i < X->nfops; i++) free(X->fops[i].v);
    free(X->fops);
    free(X->flabel);
    for (uint32_t i = 0; i < X->n->nops; i++) free(X->op_roots[i].v);
    free(X->op_roots);
    for (size_t i = 0; i < X->nentries; i++) {
        free(X->entries[i].f);
        free(X->entries[i].kids);
    }
    free(X->entries);
    ac_intmap_free(&X->memo);
    ac_intmap_free(&X->trials);
    ac_arena_free(X->scratch);
}

/* The OpenAPI check, pass by pass (each pass reads what the ones before it left in X). */
int ac_oas_check(ac_contract *oc, ac_contract *nc, const ac_oas_check_opts *opts, ac_findings *out, ac_status *st)
{
    octx X;
    octx_init(&X, oc, nc, opts, out, st);
    size_t first = out->n;
    uint32_t *partner = ac_xcalloc(X.o->nops + 1, sizeof *partner);
    bool *taken = ac_xcalloc(X.n->nops + 1, sizeof *taken);

    oas_merge_all(oc); /* allOf: judged by its merged meaning */
    oas_merge_all(nc);
    pair_ops(&X, partner, taken);
    compare_ops(&X, partner);
    added_ops(&X, taken);
    if (!X.failed) cmp_document(&X);
    if (!X.failed) attribute(&X); /* findings in shared schemas -> every operation that reaches them */
    bool *dup = ac_xcalloc(out->n - first + 1, sizeof *dup);
    merge_duplicates(&X, first, dup);
    bool breaking = list_ops_and_filter(&X, first, dup);
    if (!X.failed) cmp_version(&X, breaking); /* last: it judges the version by what the others found */

    free(dup);
    free(partner);
    free(taken);
    octx_free(&X);
    return X.failed ? AC_ERROR : AC_OK;
}
