/* Pairing old and new elements by identity, and running the rules over the pairs.
 *
 * Identity follows buf: files by path; messages, enums and services by full name; fields by number
 * within a message; extensions by (extendee, number); enum values by number; RPCs by name.  Every
 * lookup is a hash lookup, so a run is linear in the size of the two contracts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compat/rules/check.h"
#include "compat/compat.h"
#include "compat/rules/oas_check.h"

typedef void (*global_fn)(ac_ctx *);
typedef void (*file_fn)(ac_ctx *, ac_pb_file *, ac_pb_file *);
typedef void (*msg_fn)(ac_ctx *, ac_pb_msg *, ac_pb_msg *);
typedef void (*field_fn)(ac_ctx *, ac_pb_field *, ac_pb_field *);
typedef void (*enum_fn)(ac_ctx *, ac_pb_enum *, ac_pb_enum *);
typedef void (*group_fn)(ac_ctx *, const ac_enum_group *, const ac_enum_group *);
typedef void (*service_fn)(ac_ctx *, ac_pb_service *, ac_pb_service *);
typedef void (*method_fn)(ac_ctx *, ac_pb_method *, ac_pb_method *);

typedef struct pair {
    void *old, *new;
} pair;

typedef struct pairs {
    pair *v;
    size_t n, cap;
} pairs;

static void pairs_add(pairs *p, void *o, void *n)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->v = ac_xrealloc(p->v, p->cap * sizeof *p->v);
    }
    p->v[p->n++] = (pair){o, n};
}

typedef struct all_pairs {
    pairs files, msgs, fields, enums, groups, services, methods;
} all_pairs;

static void index_side(ac_contract *c, ac_strmap *files, ac_strmap *services)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        ac_pb_file *f = c->files[i];
        if (f->is_import) continue;
        ac_strmap_add(files, f->name, f);
        for (size_t j = 0; j < f->nservices; j++) ac_strmap_add(services, f->services[j]->full_name, f->services[j]);
    }
}

static int cmp_value_name(const void *a, const void *b)
{
    return strcmp((*(ac_pb_enum_value *const *)a)->name, (*(ac_pb_enum_value *const *)b)->name);
}

/* Groups an enum's values by number: one group per number (in the order numbers first appear),
 * values sorted by name.  The groups share one array of the enum's values, so grouping is linear
 * in the number of values whatever the aliasing. */
static ac_enum_group *enum_groups(ac_arena *a, ac_pb_enum *e, size_t *ngroups, ac_intmap *by_number)
{
    ac_enum_group *g = ac_arena_alloc(a, (e->nvalues ? e->nvalues : 1) * sizeof *g);
    size_t n = 0;
    ac_intmap_init(by_number);
    for (size_t i = 0; i < e->nvalues; i++) {
        ac_enum_group *grp = ac_intmap_get(by_number, e->values[i]->number);
        if (!grp) {
            grp = &g[n++];
            grp->number = e->values[i]->number;
            grp->parent = e;
            grp->n = 0;
            ac_intmap_put(by_number, grp->number, grp);
        }
        grp->n++;
    }
    ac_pb_enum_value **flat = ac_arena_alloc(a, (e->nvalues ? e->nvalues : 1) * sizeof *flat);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        g[i].values = flat + at;
        at += g[i].n;
        g[i].n = 0;
    }
    for (size_t i = 0; i < e->nvalues; i++) {
        ac_enum_group *grp = ac_intmap_get(by_number, e->values[i]->number);
        grp->values[grp->n++] = e->values[i];
    }
    for (size_t i = 0; i < n; i++) qsort(g[i].values, g[i].n, sizeof *g[i].values, cmp_value_name);
    *ngroups = n;
    return g;
}

static void collect_ext(ac_contract *c, ac_strmap *by_key, ac_arena *a)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        ac_pb_file *f = c->files[i];
        if (f->is_import) continue;
        for (size_t j = 0; j < f->nexts; j++) {
            ac_pb_field *x = f->exts[j];
            char *key = ac_arena_printf(a, "%s#%d", x->extendee ? x->extendee : "", x->number);
            ac_strmap_add(by_key, key, x);
        }
    }
}

static void build_pairs(ac_ctx *ctx, all_pairs *ap)
{
    ac_contract *o = ctx->old, *n = ctx->new;
    for (size_t i = 0; i < o->nfiles; i++) {
        ac_pb_file *of = o->files[i];
        if (of->is_import) continue;
        ac_pb_file *nf = ac_strmap_get(&ctx->new_files, of->name);
        if (nf) pairs_add(&ap->files, of, nf);
        for (size_t j = 0; j < of->nmsgs; j++) {
            ac_pb_msg *om = of->msgs[j];
            ac_pb_msg *nm = ac_new_msg(ctx, om->full_name);
            if (!nm) continue;
            pairs_add(&ap->msgs, om, nm);
            ac_intmap by_num;
            ac_intmap_init(&by_num);
            for (size_t k = 0; k < nm->nfields; k++) ac_intmap_put(&by_num, nm->fields[k]->number, nm->fields[k]);
            for (size_t k = 0; k < om->nfields; k++) {
                ac_pb_field *nfld = ac_intmap_get(&by_num, om->fields[k]->number);
                if (nfld) pairs_add(&ap->fields, om->fields[k], nfld);
            }
            ac_intmap_free(&by_num);
        }
        for (size_t j = 0; j < of->nenums; j++) {
            ac_pb_enum *oe = of->enums[j];
            ac_pb_enum *ne = ac_new_enum(ctx, oe->full_name);
            if (!ne) continue;
            pairs_add(&ap->enums, oe, ne);
            size_t nog, nng;
            ac_intmap og_by, ng_by;
            ac_enum_group *og = enum_groups(ctx->scratch, oe, &nog, &og_by);
            enum_groups(ctx->scratch, ne, &nng, &ng_by);
            for (size_t k = 0; k < nog; k++) {
                ac_enum_group *ng = ac_intmap_get(&ng_by, og[k].number);
                if (ng) pairs_add(&ap->groups, &og[k], ng);
            }
            ac_intmap_free(&og_by);
            ac_intmap_free(&ng_by);
        }
        for (size_t j = 0; j < of->nservices; j++) {
            ac_pb_service *os = of->services[j];
            ac_pb_service *ns = ac_strmap_get(&ctx->new_services, os->full_name);
            if (!ns) continue;
            pairs_add(&ap->services, os, ns);
            ac_strmap by_name;
            ac_strmap_init(&by_name);
            for (size_t k = 0; k < ns->nmethods; k++) ac_strmap_add(&by_name, ns->methods[k]->name, ns->methods[k]);
            for (size_t k = 0; k < os->nmethods; k++) {
                ac_pb_method *nmth = ac_strmap_get(&by_name, os->methods[k]->name);
                if (nmth) pairs_add(&ap->methods, os->methods[k], nmth);
            }
            ac_strmap_free(&by_name);
        }
    }
    /* extensions, by (extendee, number) across all checked files */
    ac_strmap oldx, newx;
    ac_strmap_init(&oldx);
    ac_strmap_init(&newx);
    collect_ext(o, &oldx, ctx->scratch);
    collect_ext(n, &newx, ctx->scratch);
    for (size_t i = 0; i < o->nfiles; i++) {
        ac_pb_file *of = o->files[i];
        if (of->is_import) continue;
        for (size_t j = 0; j < of->nexts; j++) {
            ac_pb_field *x = of->exts[j];
            char *key = ac_arena_printf(ctx->scratch, "%s#%d", x->extendee ? x->extendee : "", x->number);
            ac_pb_field *nx = ac_strmap_get(&newx, key);
            if (nx && ac_strmap_get(&oldx, key) == x) pairs_add(&ap->fields, x, nx);
        }
    }
    ac_strmap_free(&oldx);
    ac_strmap_free(&newx);
}

/* The pair a check is handed, as the default elements of the findings it reports. */
static void set_ev(ac_ctx *ctx, int kind, const pair *p)
{
    ctx->ev_old = (ac_elem_ref){p->old, kind};
    ctx->ev_new = (ac_elem_ref){p->new, kind};
}

static void run_rule(ac_ctx *ctx, const ac_rule *r, all_pairs *ap)
{
    ctx->rule = r;
    memset(&ctx->ev_old, 0, sizeof ctx->ev_old);
    memset(&ctx->ev_new, 0, sizeof ctx->ev_new);
    switch (r->scope) {
    case AC_SCOPE_GLOBAL: ((global_fn)r->check)(ctx); break;
    case AC_SCOPE_FILE:
        for (size_t i = 0; i < ap->files.n; i++) {
            set_ev(ctx, AC_EL_PB_FILE, &ap->files.v[i]);
            ((file_fn)r->check)(ctx, ap->files.v[i].old, ap->files.v[i].new);
        }
        break;
    case AC_SCOPE_MESSAGE:
        for (size_t i = 0; i < ap->msgs.n; i++) {
            set_ev(ctx, AC_EL_PB_MSG, &ap->msgs.v[i]);
            ((msg_fn)r->check)(ctx, ap->msgs.v[i].old, ap->msgs.v[i].new);
        }
        break;
    case AC_SCOPE_FIELD:
        for (size_t i = 0; i < ap->fields.n; i++) {
            set_ev(ctx, AC_EL_PB_FIELD, &ap->fields.v[i]);
            ((field_fn)r->check)(ctx, ap->fields.v[i].old, ap->fields.v[i].new);
        }
        break;
    case AC_SCOPE_ENUM:
        for (size_t i = 0; i < ap->enums.n; i++) {
            set_ev(ctx, AC_EL_PB_ENUM, &ap->enums.v[i]);
            ((enum_fn)r->check)(ctx, ap->enums.v[i].old, ap->enums.v[i].new);
        }
        break;
    case AC_SCOPE_ENUM_NUMBER:
        /* the rule names the values it reports */
        for (size_t i = 0; i < ap->groups.n; i++) ((group_fn)r->check)(ctx, ap->groups.v[i].old, ap->groups.v[i].new);
        break;
    case AC_SCOPE_SERVICE:
        for (size_t i = 0; i < ap->services.n; i++) {
            set_ev(ctx, AC_EL_PB_SERVICE, &ap->services.v[i]);
            ((service_fn)r->check)(ctx, ap->services.v[i].old, ap->services.v[i].new);
        }
        break;
    case AC_SCOPE_METHOD:
        for (size_t i = 0; i < ap->methods.n; i++) {
            set_ev(ctx, AC_EL_PB_METHOD, &ap->methods.v[i]);
            ((method_fn)r->check)(ctx, ap->methods.v[i].old, ap->methods.v[i].new);
        }
        break;
    case AC_SCOPE_OPENAPI: break;
    }
    memset(&ctx->ev_old, 0, sizeof ctx->ev_old);
    memset(&ctx->ev_new, 0, sizeof ctx->ev_new);
}

static int check_proto(ac_ctx *ctx, const ac_policy *p)
{
    index_side(ctx->new, &ctx->new_files, &ctx->new_services);
    all_pairs ap;
    memset(&ap, 0, sizeof ap);
    build_pairs(ctx, &ap);
    for (size_t i = 0; i < ac_nrules; i++) {
        const ac_rule *r = &ac_rules[i];
        if (r->format != AC_FMT_PROTO || !r->check || !ac_policy_rule_wanted(p, i)) continue;
        run_rule(ctx, r, &ap);
    }
    free(ap.files.v);
    free(ap.msgs.v);
    free(ap.fields.v);
    free(ap.enums.v);
    free(ap.groups.v);
    free(ap.services.v);
    free(ap.methods.v);
    return AC_OK;
}

/* One comparison, old against new, appending every rule's findings (before the policy). */
static int check_one(ac_contract *old, ac_contract *new, const ac_policy *p, bool reversed, ac_findings *out, ac_status *st)
{
    ac_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.old = old;
    ctx.new = new;
    ctx.reversed = reversed;
    ctx.out = out;
    ctx.scratch = ac_arena_new();
    int rc = AC_OK;
    ac_oas_check_opts oo = {p->deprecation_days, p->deprecation_days_beta, p->deprecation_days_stable,
                            p->stability_from, p->today, reversed};
    ctx.oas_opts = &oo;
    if (old->format == AC_FMT_PROTO) {
        rc = check_proto(&ctx, p);
    } else {
        rc = ac_oas_check(old, new, &oo, out, st);
    }
    if (ctx.msg_use) ac_strmap_free(ctx.msg_use);
    ac_strmap_free_nested(&ctx.nested_cache);
    ac_strmap_free(&ctx.new_services);
    ac_strmap_free(&ctx.new_files);
    ac_arena_free(ctx.scratch);
    return rc;
}

#define SWAP(T, a, b) \
    do {              \
        T t_ = (a);   \
        (a) = (b);    \
        (b) = t_;     \
    } while (0)

/* A finding of the comparison run in reverse, turned round: its locations, paths, modules and
 * packages go back to the sides they belong to (the new contract's first). */
static void turn_round(ac_finding *f)
{
    SWAP(ac_loc, f->loc, f->old_loc);
    SWAP(const char *, f->cfg_path, f->old_cfg_path);
    SWAP(const char *, f->module, f->old_module);
    SWAP(const char *, f->pkg, f->old_pkg);
}

/* What identifies one change seen from both sides: the rule and the lines it is on in each contract
 * (messages differ: "from int32 to int64" one way is "from int64 to int32" the other; and so may
 * columns, where a rule points at a value's name on one side and at its number on the other). */
static char *change_key(ac_arena *a, const ac_finding *f)
{
    return ac_arena_printf(a, "%s|%s:%u|%s:%u", f->rule->id, f->loc.path ? f->loc.path : "", f->loc.line,
                           f->old_loc.path ? f->old_loc.path : "", f->old_loc.line);
}

/* The forward findings fs->v[mid..] merged into the backward ones fs->v[first..mid): a change found
 * both ways is one finding marked both (with the backward message, which reads OLD to NEW, and the
 * operations of both); the rest stay, marked forward.  Forward findings at info level are dropped
 * (they are a rollback's view of changes the backward check already lists), and so are the OpenAPI
 * checks of how a release is made (deprecation, sunset, info.version), which judge a release, not
 * a rollback. */
static void merge_directions(const ac_policy *p, ac_findings *fs, size_t first, size_t mid)
{
    ac_arena *a = ac_arena_new();
    ac_strmap seen;
    ac_strmap_init(&seen);
    size_t *next = ac_xcalloc(mid - first + 1, sizeof *next); /* backward findings with the same key: a chain */
    for (size_t i = mid; i-- > first;) {
        char *k = change_key(a, &fs->v[i]);
        size_t prev = (size_t)(uintptr_t)ac_strmap_get(&seen, k);
        next[i - first] = prev;
        ac_strmap_put(&seen, k, (void *)(uintptr_t)(i + 1));
        if (p->mode != AC_MODE_BACKWARD) fs->v[i].mode = AC_MODE_BACKWARD;
    }
    size_t w = mid;
    for (size_t i = mid; i < fs->n; i++) {
        ac_finding *f = &fs->v[i];
        turn_round(f);
        size_t r = (size_t)(f->rule - ac_rules);
        if (ac_policy_level(p, r) <= AC_SEV_INFO || ac_rule_is_process(f->rule)) continue;
        size_t b = (size_t)(uintptr_t)ac_strmap_get(&seen, change_key(a, f));
        while (b && fs->v[b - 1].mode == AC_MODE_FULL) b = next[b - 1 - first];
        if (!b) {
            f->mode = AC_MODE_FORWARD;
            fs->v[w++] = *f;
            continue;
        }
        ac_finding *both = &fs->v[b - 1];
        both->mode = AC_MODE_FULL;
        if (f->severity > both->severity) both->severity = f->severity;
        if (both->suppressed_by && !f->suppressed_by) both->suppressed_by = NULL; /* suppressed one way only */
        if (f->nops) {
            const char **ops = ac_arena_alloc(fs->arena, (both->nops + f->nops) * sizeof *ops);
            size_t n = 0;
            for (size_t k = 0; k < both->nops; k++) ops[n++] = both->ops[k];
            for (size_t k = 0; k < f->nops; k++) {
                bool have = false;
                for (size_t j = 0; j < n && !have; j++) have = !strcmp(ops[j], f->ops[k]);
                if (!have) ops[n++] = f->ops[k];
            }
            both->ops = ops;
            both->nops = n;
        }
    }
    fs->n = w;
    free(next);
    ac_strmap_free(&seen);
    ac_arena_free(a);
}

int ac_compat_check(ac_contract *old, ac_contract *new, ac_policy *p, ac_findings *out, ac_status *st)
{
    if (old->format != new->format)
        return ac_fail(st, new->source, 0, 0, "cannot compare %s (\"%s\") with %s",
                       old->format == AC_FMT_PROTO ? "a protobuf contract" : "an OpenAPI contract", old->source,
                       new->format == AC_FMT_PROTO ? "a protobuf contract" : "an OpenAPI contract");
    /* backward: old clients against the new contract; forward: new clients against the old one,
     * which is the same comparison with the roles swapped (a rollback read as a change) */
    size_t first = out->n;
    int rc = p->mode & AC_MODE_BACKWARD ? check_one(old, new, p, false, out, st) : AC_OK;
    size_t mid = out->n;
    if (!rc && (p->mode & AC_MODE_FORWARD)) rc = check_one(new, old, p, true, out, st);
    if (rc) return rc;
    if (p->mode & AC_MODE_FORWARD) merge_directions(p, out, first, mid);
    if (ac_policy_apply(p, out, st)) return AC_ERROR;
    ac_findings_sort(out);
    return AC_OK;
}

void ac_compat_prove(ac_contract *old, ac_contract *new, ac_findings *fs)
{
    ac_prove_fn prove = new->prove ? new->prove : old->prove; /* an added or deleted contract has one side */
    if (prove) prove(old, new, fs);
}
