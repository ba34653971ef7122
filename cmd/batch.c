/* apicompat batch MANIFEST: many pairs, one report, each pair a check of its own (its findings, its
 * policy and fail level, its ignore accounting, its status).  A pair that cannot be checked is
 * reported as such and the others still run; the exit code is the worst of the pairs'. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/config.h"
#include "cmd/git.h"
#include "cmd/pipeline.h"
#include "compat/base/fs.h"

/* A path written in a manifest (a path or git:REF:PATH), relative to the manifest's directory. */
static const char *manifest_path(ac_arena *a, const char *mdir, const char *p)
{
    if (ac_git_is_spec(p)) {
        const char *colon = strchr(p + 4, ':');
        if (!colon || colon[1] == '/') return p; /* malformed or absolute: reported as written */
        const char *inner = ac_path_tidy(a, ac_path_join(a, mdir, colon + 1));
        return ac_arena_printf(a, "%.*s%s", (int)(colon + 1 - p), p, inner ? inner : colon + 1);
    }
    if (p[0] == '/') return p;
    const char *t = ac_path_tidy(a, ac_path_join(a, mdir, p));
    return t ? t : ac_path_join(a, mdir, p);
}

/* Ignores are counted per pair, but a configuration file shared by several pairs is one list of
 * ignores: an entry there is unused only when no pair that reads it used it (removing it would
 * re-break the pair that did).  Adds each checked pair's expired/unused reports to its findings. */
static void ignore_accounting(pair_run *runs, const ac_report_group *groups, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (groups[i].error) continue;
        ac_policy *p = &runs[i].policy;
        size_t *own = ac_xcalloc(p->nignores ? p->nignores : 1, sizeof *own);
        for (size_t k = 0; k < p->nignores; k++) {
            ac_ignore *g = &p->ignores[k];
            own[k] = g->hits;
            for (size_t j = 0; j < n; j++) {
                if (j == i || groups[j].error) continue;
                const ac_policy *q = &runs[j].policy;
                for (size_t m = 0; m < q->nignores; m++) {
                    const ac_ignore *h = &q->ignores[m];
                    if (g->file && h->file && !strcmp(g->file, h->file) && g->line == h->line && g->col == h->col)
                        g->hits += h->hits;
                }
            }
        }
        ac_policy_meta(p, &runs[i].fs);
        for (size_t k = 0; k < p->nignores; k++) p->ignores[k].hits = own[k];
        free(own);
    }
}

/* Each pair is a check of its own: its findings (one list each, so a shared component's change is
 * reported in every pair it affects, with that pair's operations), its fail level, its status. */
static int report(const options *o, pair_run *runs, ac_report_group *groups, size_t n, ac_status *st)
{
    ignore_accounting(runs, groups, n);
    const char **names = ac_xcalloc(n ? n : 1, sizeof *names);
    for (size_t i = 0; i < n; i++) {
        ac_report_group *g = &groups[i];
        names[i] = g->name;
        if (!g->error) {
            g->fail_on = o->fail_on_set ? o->fail_on : runs[i].policy.fail_on;
            g->min_level = g->fail_on >= 0 && g->fail_on < AC_SEV_WARN ? g->fail_on : AC_SEV_WARN;
            g->exit_code = ac_findings_exit_code(&runs[i].fs, g->fail_on);
        } else {
            g->fail_on = AC_SEV_ERROR;
            g->min_level = AC_SEV_WARN;
        }
    }
    ac_findings all;
    ac_pairs_merge(runs, n, &all, names);
    free(names);
    int worst;
    ac_report_opts ro = ac_batch_report_opts(groups, n, &worst);
    ro.shard_k = o->shard_k;
    ro.shard_n = o->shard_n;
    int rc = ac_write_report(o, &all, &ro, st);
    free(all.v);
    ac_arena_free(all.arena);
    return rc ? AC_ERROR : worst;
}

/* The shard (1..n) a pair belongs to: from its name alone (FNV-1a), so that adding or moving pairs
 * in the manifest does not move the others between a CI matrix's jobs. */
static unsigned shard_of(const char *name, unsigned n)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) h = (h ^ *c) * 1099511628211ull;
    return (unsigned)(h % n) + 1;
}

int ac_cmd_batch(options *o, ac_status *st)
{
    if (o->npositional != 1) return ac_fail(st, NULL, 0, 0, "batch needs one manifest: apicompat batch MANIFEST");
    if (o->against_tags) return ac_fail(st, NULL, 0, 0, "--against-tags applies to breaking only (a manifest names each pair's base)");
    ac_allow_user_paths(o, (const char *const *)o->positional, 1);
    ac_arena *a = ac_arena_new();
    ac_batch_pair *pairs;
    size_t n;
    if (ac_manifest_read(a, o->positional[0], &pairs, &n, st)) {
        ac_arena_free(a);
        return AC_ERROR;
    }
    if (o->shard_n) {
        size_t w = 0;
        for (size_t i = 0; i < n; i++)
            if (shard_of(pairs[i].name, o->shard_n) == o->shard_k) pairs[w++] = pairs[i];
        n = w;
    }
    /* paths in the manifest are relative to its directory; reports show them from here */
    const char *slash = strrchr(o->positional[0], '/');
    const char *mdir = slash ? ac_arena_strndup(a, o->positional[0], (size_t)(slash - o->positional[0])) : ".";
    pair_run *runs = ac_xcalloc(n, sizeof *runs);
    ac_report_group *groups = ac_arena_alloc(a, n * sizeof *groups);
    memset(groups, 0, n * sizeof *groups);
    for (size_t i = 0; i < n; i++) {
        const ac_batch_pair *p = &pairs[i];
        groups[i].name = p->name;
        ac_status ps;
        ac_status_init(&ps);
        const char *newp = manifest_path(a, mdir, p->new);
        const char *oldp = p->old ? manifest_path(a, mdir, p->old) : ac_git_spec(a, p->against, newp);
        const char *cfg = p->config ? manifest_path(a, mdir, p->config) : NULL;
        /* the unused-ignore reports wait for every pair (ignore_accounting) */
        if (ac_pair_check(o, oldp, newp, cfg, true, &runs[i], &ps)) ac_group_error(o, a, "", p->name, &ps, &groups[i]);
        /* the pair's part of the report is known: its findings keep their own copies and its
         * contracts go, so a batch holds one pair's contracts at a time (#21) */
        ac_findings_detach(&runs[i].fs, &runs[i].fs);
        ac_contract_free(runs[i].old);
        ac_contract_free(runs[i].new);
        runs[i].old = runs[i].new = NULL;
    }
    int exit_code = report(o, runs, groups, n, st);
    for (size_t i = 0; i < n; i++) ac_pair_free(&runs[i]);
    free(runs);
    ac_arena_free(a);
    return exit_code;
}
