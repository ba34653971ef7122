/* apicompat breaking | changelog: breaking shows what breaks clients (errors and warnings),
 * changelog every change, info included.  OLD NEW goes through libapicompat (lib/apicompat.h), as
 * any program would.  --against REF PATH... (each PATH against itself at REF, reported together)
 * runs the pipeline itself: it merges several pairs into one report, and REF also decides the
 * policy (a configuration that loosens REF's is reported), which the library has no call for. */
#include <stdlib.h>

#include "cmd/commands.h"
#include "cmd/git.h"
#include "cmd/pipeline.h"
#include "lib/apicompat.h"

/* --against REF PATH...: each pair in turn, up to the first that cannot be checked; *done counts the pairs to free. */
static int check_pairs(const options *o, ac_arena *a, pair_run *runs, size_t n, size_t *done, ac_status *st)
{
    int rc = AC_OK;
    for (size_t i = 0; i < n && !rc; i++, (*done)++) {
        rc = ac_pair_check(o, ac_git_spec(a, o->against, o->positional[i]), o->positional[i], NULL, n > 1, &runs[i], st);
    }
    return rc;
}

/* The pairs' findings as one list, with the policy's own findings (unused ignores...) added once. */
static void merge(pair_run *runs, size_t n, ac_findings *all)
{
    ac_pairs_merge(runs, n, all, NULL);
    if (n > 1) {
        /* an ignore is unused only when no pair used it */
        ac_policy *p0 = &runs[0].policy;
        for (size_t i = 1; i < n; i++)
            if (runs[i].policy.nignores == p0->nignores)
                for (size_t k = 0; k < p0->nignores; k++) p0->ignores[k].hits += runs[i].policy.ignores[k].hits;
        ac_policy_meta(p0, all);
        ac_findings_sort(all);
    }
}

static int report(const options *o, bool changelog, pair_run *runs, size_t n, ac_status *st)
{
    ac_findings all;
    merge(runs, n, &all);
    int fail_on = runs[0].policy.fail_on;
    ac_report_opts ro = ac_pair_report_opts(fail_on, changelog);
    int rc = ac_write_report(o, &all, &ro, st);
    int exit_code = rc ? AC_ERROR : changelog ? 0 : ac_findings_exit_code(&all, fail_on);
    free(all.v);
    ac_arena_free(all.arena);
    return exit_code;
}

/* --old and --new are the named form of OLD NEW; a positional input fills the side they leave open,
 * so `--old A --new B`, `--old A B` and `A B` are one command, and anything else is refused. */
static int named_inputs(options *o, const char *name, ac_status *st)
{
    if (!o->old_input && !o->new_input) return AC_OK;
    if (o->against)
        return ac_fail(st, NULL, 0, 0, "%s: --%s cannot be used with --against (the old side is each PATH at %s)", name,
                       o->old_input ? "old" : "new", o->against);
    const char *oldp = o->old_input, *newp = o->new_input;
    size_t k = 0;
    if (!oldp && k < o->npositional) oldp = o->positional[k++];
    if (!newp && k < o->npositional) newp = o->positional[k++];
    if (k < o->npositional)
        return ac_fail(st, NULL, 0, 0, "%s: \"%s\" is a third input besides --old %s and --new %s (it compares two: OLD NEW, "
                       "or --old OLD --new NEW)", name, o->positional[k], oldp, newp);
    if (!oldp || !newp)
        return ac_fail(st, NULL, 0, 0, "%s needs two inputs: --old OLD --new NEW (or OLD NEW); --%s is missing", name,
                       oldp ? "new" : "old");
    o->positional[0] = oldp; /* room for both: --old and --new took two arguments each */
    o->positional[1] = newp;
    o->npositional = 2;
    return AC_OK;
}

/* A status of the library as the command line's own, so that it prints the same. */
static int from_library(const apicompat_status *ps, ac_status *st)
{
    if (!ps->path[0]) return ac_fail(st, NULL, 0, 0, "%s", ps->message);
    if (!ps->line) return ac_fail_path(st, ps->path, "%s", ps->message);
    return ac_fail(st, ps->path, ps->line, ps->column, "%s", ps->message);
}

/* OLD NEW: the options as given, passed on by name; the library compares and writes the report. */
static int compare_one(const options *o, const char *oldp, const char *newp, bool changelog, ac_status *st)
{
    apicompat_status ps;
    apicompat_options *opts;
    apicompat_result *r;
    if (apicompat_options_new(&opts, changelog ? "changelog" : "breaking", &ps)) return from_library(&ps, st);
    int rc = APICOMPAT_OK;
    for (size_t i = 0; i < o->ngiven && !rc; i++) rc = apicompat_options_set(opts, o->given[i].name, o->given[i].value, &ps);
    if (!rc) rc = apicompat_compare_with(&r, oldp, newp, opts, &ps);
    apicompat_options_free(opts);
    if (rc) return from_library(&ps, st);
    fputs(apicompat_result_notes(r), stderr);
    int exit_code = apicompat_result_write(r, stdout, &ps) ? from_library(&ps, st)
                    : changelog                             ? 0
                                                            : apicompat_result_exit_code(r);
    apicompat_result_free(r);
    return exit_code;
}

static int compare(options *o, bool changelog, ac_status *st)
{
    const char *name = changelog ? "changelog" : "breaking";
    if (o->against_tags && changelog)
        return ac_fail(st, NULL, 0, 0, "--against-tags applies to breaking (release notes are against one revision: --against REF)");
    if (o->against_tags) return ac_breaking_against_tags(o, st);
    if (o->shard_n) return ac_fail(st, NULL, 0, 0, "--shard applies to batch only");
    if (named_inputs(o, name, st)) return AC_ERROR;
    if (o->against && !o->npositional)
        return ac_fail(st, NULL, 0, 0, "%s --against %s needs the paths to compare (e.g. proto or openapi.yaml)", name, o->against);
    if (!o->against && o->npositional != 2)
        return ac_fail(st, NULL, 0, 0, "%s needs two inputs: OLD NEW (or --against REF PATH...)", name);
    if (!o->against) return compare_one(o, o->positional[0], o->positional[1], changelog, st);
    size_t n = o->npositional, done = 0;
    ac_allow_user_paths(o, (const char *const *)o->positional, o->npositional);
    pair_run *runs = ac_xcalloc(n, sizeof *runs);
    ac_arena *a = ac_arena_new();
    int rc = check_pairs(o, a, runs, n, &done, st);
    if (!rc) ac_note_use_formats(stderr, o, runs, n);
    int exit_code = rc ? AC_ERROR : report(o, changelog, runs, n, st);
    for (size_t i = 0; i < done; i++) ac_pair_free(&runs[i]);
    free(runs);
    ac_arena_free(a);
    return exit_code;
}

int ac_cmd_breaking(options *o, ac_status *st)
{
    return compare(o, false, st);
}

int ac_cmd_changelog(options *o, ac_status *st)
{
    return compare(o, true, st);
}
