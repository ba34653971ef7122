/* apicompat history V1 V2 ... VN, and breaking --against-tags GLOB PATH...: the newest version
 * against every earlier one.  Each step of a history can be compatible while the whole is not (a
 * property removed with a warning, then added back with another type), and clients of every release
 * are still in the field, so VN is compared with each Vi, not only with the one before it.
 *
 * A break is reported once, under the earliest version it breaks: "the same break" is the same rule
 * on the same element, at the same place in VN (the same file, line and column in every comparison,
 * since VN is one contract), described the same way (what it changed from, which the message says);
 * where the element was in the old versions plays no part, since it moves from release to release.  A change described differently
 * against two versions (a type changed from int32 against one, from int64 against the other) breaks
 * different clients and is reported under each.  Versions whose contracts have the same content (a
 * SHA-256 of what each was built from) are compared once; the others say which they equal. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/git.h"
#include "cmd/pipeline.h"
#include "compat/base/escape.h"
#include "compat/base/fs.h"
#include "compat/base/limits.h"
#include "compat/base/map.h"
#include "compat/base/semver.h"
#include "compat/base/sha256.h"

/* One earlier version: its name in the report and its input for each path. */
typedef struct version {
    const char *label;
    const char **old;
} version;

typedef struct history {
    const char *const *news; /* the newest version: one input per path */
    size_t npaths;
    const char *new_label;
    version *v; /* oldest first */
    size_t nv;
} history;

enum { V_FAILED, V_SKIPPED, V_COMPARED };

/* The identity of a break across versions (see the top of this file).  The place is in the newest
 * version, which every comparison shares, so its line and column are the same in each; a change
 * with no place there (a deleted file) is known by its element and message alone. */
static const char *break_key(ac_arena *a, const ac_finding *x)
{
    bool placed = x->loc.line && x->loc.path;
    return ac_arena_printf(a, "%s\x1f%s:%u:%u\x1f%s\x1f%s\x1f%d", x->rule->id, placed ? x->loc.path : "", placed ? x->loc.line : 0,
                           placed ? x->loc.col : 0, x->subject ? x->subject : "", x->message ? x->message : "",
                           x->suppressed_by != NULL);
}

/* The operations of dup that keep does not list yet, added to keep (a shared schema's break may
 * reach operations an earlier version did not have). */
static void add_ops(ac_arena *a, ac_finding *keep, const ac_finding *dup)
{
    size_t extra = 0;
    for (size_t i = 0; i < dup->nops; i++) {
        bool have = false;
        for (size_t k = 0; k < keep->nops && !have; k++) have = !strcmp(keep->ops[k], dup->ops[i]);
        extra += !have;
    }
    if (!extra) return;
    const char **ops = ac_arena_alloc(a, (keep->nops + extra) * sizeof *ops);
    size_t n = 0;
    for (size_t k = 0; k < keep->nops; k++) ops[n++] = keep->ops[k];
    for (size_t i = 0; i < dup->nops; i++) {
        bool have = false;
        for (size_t k = 0; k < keep->nops && !have; k++) have = !strcmp(keep->ops[k], dup->ops[i]);
        if (!have) ops[n++] = dup->ops[i];
    }
    keep->ops = ops;
    keep->nops = n;
}

static bool same_ignore(const ac_ignore *g, size_t gi, const ac_ignore *h, size_t hi)
{
    if (g->file || h->file) return g->file && h->file && !strcmp(g->file, h->file) && g->line == h->line && g->col == h->col;
    return gi == hi;
}

/* An ignore is unused only when no comparison of the history used it (removing it would break the
 * check against the version that did): for each path, the first version compared reports the
 * expired and unused ignores, with the hits of every comparison. */
static void ignore_accounting(pair_run *runs, const int *state, size_t nv, size_t np)
{
    for (size_t k = 0; k < np; k++) {
        size_t first = nv;
        for (size_t i = 0; i < nv && first == nv; i++)
            if (state[i] == V_COMPARED) first = i;
        if (first == nv) return;
        ac_policy *p = &runs[first * np + k].policy;
        for (size_t gi = 0; gi < p->nignores; gi++) {
            ac_ignore *g = &p->ignores[gi];
            for (size_t i = 0; i < nv * np; i++) {
                if (i == first * np + k || state[i / np] != V_COMPARED) continue;
                const ac_policy *q = &runs[i].policy;
                for (size_t hi = 0; hi < q->nignores; hi++)
                    if (same_ignore(g, gi, &q->ignores[hi], hi)) g->hits += q->ignores[hi].hits;
            }
        }
        ac_policy_meta(p, &runs[first * np + k].fs);
    }
}

/* Every compared version's findings as one list, each break once, under the earliest version. */
static void collect(const history *h, pair_run *runs, const int *state, ac_report_group *groups, ac_findings *all)
{
    ac_findings_init(all);
    ac_strmap seen; /* break key -> index in all, plus one */
    ac_strmap_init(&seen);
    for (size_t i = 0; i < h->nv; i++) {
        if (state[i] != V_COMPARED) continue;
        ac_report_group *g = &groups[i];
        for (size_t k = 0; k < h->npaths; k++) {
            const ac_findings *fs = &runs[i * h->npaths + k].fs;
            for (size_t j = 0; j < fs->n; j++) {
                const ac_finding *x = &fs->v[j];
                const char *key = break_key(all->arena, x);
                bool inserted;
                void **slot = ac_strmap_slot_of(&seen, key, strlen(key), &inserted);
                if (!inserted) {
                    ac_finding *keep = &all->v[(uintptr_t)*slot - 1];
                    add_ops(all->arena, keep, x);
                    /* another path of the same version (an apicompat.yaml ignore reported unused
                     * for each) is the same report, not a repeat */
                    if (keep->group != g->name && !x->suppressed_by && x->severity >= g->min_level) g->repeated++;
                    continue;
                }
                *slot = (void *)(uintptr_t)(all->n + 1);
                ac_finding *y = ac_findings_push(all);
                *y = *x;
                y->group = g->name;
            }
        }
    }
    ac_strmap_free(&seen);
    ac_findings_sort(all);
}

static void free_version(pair_run *runs, size_t i, size_t np, size_t nloaded)
{
    for (size_t k = 0; k < nloaded; k++) ac_pair_free(&runs[i * np + k]);
    memset(&runs[i * np], 0, np * sizeof *runs);
}

static const char *hex(ac_arena *a, const unsigned char d[32])
{
    char buf[72];
    ac_sha256_hex(d, buf);
    return ac_arena_strdup(a, buf);
}

/* Version i: loaded with its digest, then skipped (the same content as the newest or as a version
 * already seen), compared, or failed.  Its contracts are freed, its findings and policies kept. */
static int check_version(const options *o, const history *h, size_t i, pair_run *runs, const int *state,
                         ac_report_group *groups, unsigned char (*dig)[32], ac_arena *a, const char **new_digest)
{
    size_t np = h->npaths;
    ac_report_group *g = &groups[i];
    g->name = h->v[i].label;
    g->fail_on = o->fail_on;
    g->min_level = AC_SEV_WARN;
    ac_status ps;
    ac_status_init(&ps);
    ac_sha256 od, nd;
    ac_sha256_init(&od);
    ac_sha256_init(&nd);
    size_t loaded = 0;
    int rc = AC_OK;
    for (size_t k = 0; k < np && !rc; k++, loaded++) {
        pair_run *r = &runs[i * np + k];
        rc = ac_pair_load(o, h->v[i].old[k], h->news[k], NULL, true, r, &ps);
        ac_sha256_update(&od, r->old_digest, 32);
        ac_sha256_update(&nd, r->new_digest, 32);
    }
    if (rc) {
        ac_group_error(o, a, "against ", g->name, &ps, g);
        free_version(runs, i, np, loaded);
        return V_FAILED;
    }
    unsigned char ndig[32];
    ac_sha256_final(&od, dig[i]);
    ac_sha256_final(&nd, ndig);
    g->digest = hex(a, dig[i]);
    if (!*new_digest) *new_digest = hex(a, ndig);
    /* the same content as the newest (nothing changed since), or as a version already seen */
    const char *same = !memcmp(dig[i], ndig, 32) ? h->new_label : NULL;
    for (size_t j = 0; j < i && !same; j++)
        if (state[j] != V_FAILED && !memcmp(dig[j], dig[i], 32)) same = groups[j].same_as ? groups[j].same_as : groups[j].name;
    if (same) {
        g->same_as = same;
        free_version(runs, i, np, loaded);
        return V_SKIPPED;
    }
    for (size_t k = 0; k < np && !rc; k++) rc = ac_pair_compare(o, NULL, true, &runs[i * np + k], &ps);
    if (rc) {
        ac_group_error(o, a, "against ", g->name, &ps, g);
        free_version(runs, i, np, loaded);
        return V_FAILED;
    }
    /* the findings keep their own copies; the contracts go, so one version is held at a time */
    for (size_t k = 0; k < np; k++) {
        pair_run *r = &runs[i * np + k];
        ac_findings_detach(&r->fs, &r->fs);
        ac_contract_free(r->old);
        ac_contract_free(r->new);
        r->old = r->new = NULL;
    }
    g->fail_on = o->fail_on_set ? o->fail_on : runs[i * np].policy.fail_on;
    g->min_level = g->fail_on >= 0 && g->fail_on < AC_SEV_WARN ? g->fail_on : AC_SEV_WARN;
    return V_COMPARED;
}

static int run_history(const options *o, const history *h, ac_status *st)
{
    size_t nv = h->nv, np = h->npaths;
    ac_arena *a = ac_arena_new();
    pair_run *runs = ac_xcalloc(nv * np, sizeof *runs);
    int *state = ac_xcalloc(nv, sizeof *state);
    unsigned char(*dig)[32] = ac_xcalloc(nv, sizeof *dig);
    ac_report_group *groups = ac_arena_alloc(a, nv * sizeof *groups);
    memset(groups, 0, nv * sizeof *groups);
    const char *new_digest = NULL;
    for (size_t i = 0; i < nv; i++) {
        state[i] = check_version(o, h, i, runs, state, groups, dig, a, &new_digest);
        /* the copies of git revisions this version read: one version on disk at a time, however
         * many releases a repository has */
        ac_git_cleanup();
    }
    ignore_accounting(runs, state, nv, np);
    /* each version's status is its own, whichever version its findings are listed under */
    for (size_t i = 0; i < nv; i++) {
        if (state[i] != V_COMPARED) continue;
        for (size_t k = 0; k < np && groups[i].exit_code < 1; k++)
            groups[i].exit_code = ac_findings_exit_code(&runs[i * np + k].fs, groups[i].fail_on);
    }
    ac_findings all;
    collect(h, runs, state, groups, &all);
    int worst;
    ac_report_opts ro = ac_batch_report_opts(groups, nv, &worst);
    ro.history = true;
    ro.new_name = h->new_label;
    ro.new_digest = new_digest;
    int rc = ac_write_report(o, &all, &ro, st);
    ac_findings_free(&all);
    for (size_t i = 0; i < nv; i++)
        if (state[i] == V_COMPARED) free_version(runs, i, np, np);
    free(runs);
    free(state);
    free(dig);
    ac_arena_free(a);
    return rc ? AC_ERROR : worst;
}

int ac_cmd_history(options *o, ac_status *st)
{
    if (o->against || o->against_tags || o->shard_n)
        return ac_fail(st, NULL, 0, 0, "history takes its versions as operands, oldest first (--against, --against-tags and --shard do not apply)");
    if (o->npositional < 2)
        return ac_fail(st, NULL, 0, 0, "history needs at least two versions, oldest first: apicompat history V1 V2 ... VN");
    if (o->npositional - 1 > AC_LIMIT_HISTORY_VERSIONS)
        return ac_fail(st, NULL, 0, 0, "more than %d versions to check against", AC_LIMIT_HISTORY_VERSIONS);
    ac_allow_user_paths(o, (const char *const *)o->positional, o->npositional);
    ac_arena *a = ac_arena_new();
    size_t n = o->npositional - 1;
    history h = {(const char *const *)&o->positional[n], 1, o->positional[n], ac_arena_alloc(a, n * sizeof(version)), n};
    for (size_t i = 0; i < n; i++) {
        h.v[i].label = o->positional[i];
        h.v[i].old = (const char **)&o->positional[i];
    }
    int rc = run_history(o, &h, st);
    ac_arena_free(a);
    return rc;
}

/* ---- breaking --against-tags ---------------------------------------------------------------------- */

typedef struct tag {
    const char *ref, *name;
    ac_semver v;
} tag;

static int cmp_tag(const void *pa, const void *pb)
{
    const tag *x = pa, *y = pb;
    int c = ac_semver_cmp(&x->v, &y->v);
    return c ? c : strcmp(x->name, y->name); /* v1.0.0 and 1.0.0, or builds: by name */
}

/* Where to ask git for the tags: the repository holding the first path (its nearest directory that
 * exists, since a deleted contract is still checked against the tags that had it). */
static const char *tag_repo_dir(ac_arena *a, const char *path)
{
    char *d = ac_arena_strdup(a, path);
    while (!ac_is_dir(d)) {
        char *slash = strrchr(d, '/');
        if (!slash) return ".";
        slash[slash == d] = 0;
    }
    return d;
}

int ac_breaking_against_tags(options *o, ac_status *st)
{
    if (o->against) return ac_fail(st, NULL, 0, 0, "--against and --against-tags are two ways to name the base: give one");
    if (o->shard_n) return ac_fail(st, NULL, 0, 0, "--shard applies to batch only");
    if (!o->npositional)
        return ac_fail(st, NULL, 0, 0, "breaking --against-tags needs the paths to compare (e.g. proto or openapi.yaml)");
    ac_allow_user_paths(o, (const char *const *)o->positional, o->npositional);
    ac_arena *a = ac_arena_new();
    const char **refs;
    size_t nrefs;
    if (ac_git_tags(a, tag_repo_dir(a, o->positional[0]), o->against_tags, &refs, &nrefs, st)) {
        ac_arena_free(a);
        return AC_ERROR;
    }
    tag *tags = ac_arena_alloc(a, (nrefs ? nrefs : 1) * sizeof *tags);
    size_t nt = 0;
    for (size_t i = 0; i < nrefs; i++) {
        tag *t = &tags[nt];
        t->ref = refs[i];
        t->name = refs[i] + strlen("refs/tags/");
        if (ac_semver_parse(t->name, &t->v)) {
            nt++;
            continue;
        }
        /* left out, and said so: a pattern that also matches "latest" does not make the job fail */
        fputs("apicompat: tag \"", stderr);
        ac_esc_line(stderr, t->name);
        fputs("\" is not a semantic version (such as v1.2.3): left out\n", stderr);
    }
    if (!nt) {
        int rc = ac_fail(st, NULL, 0, 0, "no tag matching \"%s\" is a semantic version (such as v1.2.3): nothing to check against%s",
                         o->against_tags, nrefs ? "" : " (in a shallow clone, fetch the tags: git fetch --tags)");
        ac_arena_free(a);
        return rc;
    }
    qsort(tags, nt, sizeof *tags, cmp_tag);
    history h = {(const char *const *)o->positional, o->npositional, "the working tree", ac_arena_alloc(a, nt * sizeof(version)), nt};
    for (size_t i = 0; i < nt; i++) {
        h.v[i].label = tags[i].name;
        h.v[i].old = ac_arena_alloc(a, o->npositional * sizeof *h.v[i].old);
        /* the full ref name: a tag named like a branch, a hash or "-x" is still that tag */
        for (size_t k = 0; k < o->npositional; k++) h.v[i].old[k] = ac_git_spec(a, tags[i].ref, o->positional[k]);
    }
    int rc = run_history(o, &h, st);
    ac_arena_free(a);
    return rc;
}
