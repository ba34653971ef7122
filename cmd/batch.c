/* apicompat batch MANIFEST: many pairs, one report.  A pair that cannot be checked is reported as
 * such and the others still run; the exit code is 2 if any could not be checked, else 1 if any
 * broke. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat/base/escape.h"
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

/* Why a pair could not be checked, as one line for its group in the report; also on stderr (the
 * pair's own report line, so a log shows it). */
static const char *pair_error(const options *o, ac_arena *a, const char *name, const ac_status *ps)
{
    char *msg = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&msg, &len);
    if (m) {
        ac_status_print(ps, m);
        fclose(m);
    }
    if (msg && len && msg[len - 1] == '\n') msg[len - 1] = 0;
    const char *error = ac_arena_strdup(a, msg ? msg : "could not be checked");
    free(msg);
    ac_esc_line(stderr, name);
    fputs(": ", stderr);
    ac_status_print(ps, stderr);
    if (o->format == FMT_GITHUB) ac_status_print_github(ps, stdout);
    return error;
}

static int report(const options *o, pair_run *runs, size_t n, const char **groups, const char **errors, size_t failed,
                  int fail_on, ac_status *st)
{
    ac_findings all;
    ac_pairs_merge(runs, n, &all, groups);
    ac_report_opts ro = {0};
    ro.fail_on = fail_on;
    ro.min_level = AC_SEV_WARN;
    if (fail_on >= 0 && fail_on < ro.min_level) ro.min_level = fail_on;
    ro.groups = groups;
    ro.group_errors = errors;
    ro.ngroups = n;
    int rc = ac_write_report(o, &all, &ro, st);
    int exit_code = rc || failed ? AC_ERROR : ac_findings_exit_code(&all, fail_on);
    free(all.v);
    ac_arena_free(all.arena);
    return exit_code;
}

int ac_cmd_batch(options *o, ac_status *st)
{
    if (o->npositional != 1) return ac_fail(st, NULL, 0, 0, "batch needs one manifest: apicompat batch MANIFEST");
    ac_arena *a = ac_arena_new();
    ac_batch_pair *pairs;
    size_t n;
    if (ac_manifest_read(a, o->positional[0], &pairs, &n, st)) {
        ac_arena_free(a);
        return AC_ERROR;
    }
    /* paths in the manifest are relative to its directory; reports show them from here */
    const char *slash = strrchr(o->positional[0], '/');
    const char *mdir = slash ? ac_arena_strndup(a, o->positional[0], (size_t)(slash - o->positional[0])) : ".";
    pair_run *runs = ac_xcalloc(n, sizeof *runs);
    const char **groups = ac_arena_alloc(a, n * sizeof *groups), **errors = ac_arena_alloc(a, n * sizeof *errors);
    size_t failed = 0;
    int fail_on = AC_SEV_ERROR;
    for (size_t i = 0; i < n; i++) {
        const ac_batch_pair *p = &pairs[i];
        groups[i] = p->name;
        errors[i] = NULL;
        ac_status ps;
        ac_status_init(&ps);
        const char *newp = manifest_path(a, mdir, p->new);
        const char *oldp = p->old ? manifest_path(a, mdir, p->old) : ac_git_spec(a, p->against, newp);
        const char *cfg = p->config ? manifest_path(a, mdir, p->config) : NULL;
        if (ac_pair_check(o, oldp, newp, cfg, false, &runs[i], &ps)) {
            errors[i] = pair_error(o, a, p->name, &ps);
            failed++;
        } else if (i == 0 || runs[i].policy.fail_on < fail_on) {
            fail_on = runs[i].policy.fail_on;
        }
    }
    if (o->fail_on_set) fail_on = o->fail_on;
    int exit_code = report(o, runs, n, groups, errors, failed, fail_on, st);
    for (size_t i = 0; i < n; i++) ac_pair_free(&runs[i]);
    free(runs);
    ac_arena_free(a);
    return exit_code;
}
