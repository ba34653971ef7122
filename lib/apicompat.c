/* libapicompat (apicompat.h) over the pipeline the command line uses: one pair is loaded, given
 * its policy and checked by ac_pair_check, as `apicompat breaking OLD NEW` does.  Options are the
 * command line's own (cmd/options.c reads them by name), and a result keeps the checked pair, so
 * that it is written by the command line's own reporters: `apicompat breaking OLD NEW` itself
 * runs through these functions (cmd/breaking.c). */
#include "lib/apicompat.h"

#include <stdlib.h>
#include <string.h>

#include "cmd/git.h"
#include "cmd/pipeline.h"
#include "compat/base/arena.h"
#include "compat/base/escape.h"
#include "compat/base/fs.h"

struct apicompat_finding {
    const char *rule, *message, *file, *old_file;
    unsigned line, column, old_line, old_column;
    int severity;
};

struct apicompat_options {
    options o;
    ac_arena *arena; /* the values, copied */
};

struct apicompat_result {
    ac_arena *arena; /* the strings */
    apicompat_finding *v;
    size_t n;
    int exit_code;
    pair_run *runs;     /* the checked pairs: the findings point into their contracts */
    size_t nruns;
    ac_findings all;    /* the findings as the reports take them (the pairs', merged and sorted) */
    ac_report_opts ro;  /* what the report shows */
    options wo;         /* how it is written: format, flags, the files besides */
    const char *notes;
};

const char *apicompat_version(void)
{
    return APICOMPAT_VERSION;
}

/* Text from an input (a path, an element's name in a message) as one safe line: control
 * characters, bidirectional overrides and bytes that are not UTF-8 shown as \n, \xNN..., as the
 * command line shows them, so that a caller printing it cannot be handed a workflow command or an
 * escape sequence.  Safe text is left as it is, so escaping twice changes nothing. */
static char *escaped(const char *s)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f) ac_oom();
    ac_esc_line(f, s ? s : "");
    if (fclose(f)) ac_oom();
    return buf;
}

static void put_line(char *dst, size_t cap, const char *s)
{
    char *e = escaped(s);
    snprintf(dst, cap, "%s", e);
    free(e);
}

static const char *keep_line(ac_arena *a, const char *s)
{
    char *e = escaped(s);
    const char *out = ac_arena_strdup(a, e);
    free(e);
    return out;
}

static int fail(apicompat_status *st, int code, const ac_status *from, const char *msg)
{
    if (!st) return code;
    memset(st, 0, sizeof *st);
    st->code = code;
    if (from) {
        put_line(st->path, sizeof st->path, from->path);
        st->line = from->line;
        st->column = from->col;
        put_line(st->message, sizeof st->message, from->msg);
    } else {
        put_line(st->message, sizeof st->message, msg);
    }
    return code;
}

/* The new calls' status: 0:0 only about a file as a whole; an error in a file without a position
 * is at 1:1, where the command line shows it (so that it prints the same from either status). */
static int fail_at(apicompat_status *st, int code, const ac_status *from)
{
    fail(st, code, from, NULL);
    if (st && st->path[0] && !from->whole) {
        if (!st->line) st->line = 1;
        if (!st->column) st->column = 1;
    }
    if (st && (from->whole || !st->path[0])) st->line = st->column = 0;
    return code;
}

static const char *keep(ac_arena *a, const char *s)
{
    return ac_arena_strdup(a, s ? s : "");
}

/* The public copies of the findings (sorted, suppressed ones left out). */
static void fill(apicompat_result *r, const ac_findings *fs)
{
    r->v = ac_xcalloc(fs->n ? fs->n : 1, sizeof *r->v);
    for (size_t i = 0; i < fs->n; i++) {
        const ac_finding *x = &fs->v[i];
        if (x->suppressed_by || x->severity < AC_SEV_INFO) continue;
        const ac_loc *l = x->loc.line || !x->old_loc.path ? &x->loc : &x->old_loc;
        apicompat_finding *f = &r->v[r->n++];
        f->rule = keep(r->arena, x->rule ? x->rule->id : NULL);
        f->message = keep_line(r->arena, x->message);
        f->file = keep_line(r->arena, l->path);
        f->line = l->line;
        f->column = l->col;
        f->old_file = keep_line(r->arena, x->old_loc.path);
        f->old_line = x->old_loc.line;
        f->old_column = x->old_loc.col;
        f->severity = x->severity;
    }
}

static const char *keep_opt(ac_arena *a, const char *s)
{
    return s ? ac_arena_strdup(a, s) : NULL;
}

/* The pairs' findings as one list, with the policy's own findings (unused ignores, a loosened
 * configuration...) added once: an ignore is unused only when no pair used it. */
static void merge(pair_run *runs, size_t n, ac_findings *all)
{
    ac_pairs_merge(runs, n, all, NULL);
    if (n < 2) return;
    ac_policy *p0 = &runs[0].policy;
    for (size_t i = 1; i < n; i++)
        if (runs[i].policy.nignores == p0->nignores)
            for (size_t k = 0; k < p0->nignores; k++) p0->ignores[k].hits += runs[i].policy.ignores[k].hits;
    ac_policy_meta(p0, all);
    ac_findings_sort(all);
}

/* n pairs (olds[i] against news[i]) under o, checked in turn up to the first that cannot be, into
 * *out as one result; *failed is the internal status then.  a (the strings the paths were built
 * in) goes to the result, or is freed. */
static int compare(apicompat_result **out, const char *const *olds, const char *const *news, size_t n, const options *o,
                   ac_arena *a, ac_status *failed)
{
    pair_run *runs = ac_xcalloc(n, sizeof *runs);
    size_t done = 0;
    int rc = AC_OK;
    for (size_t i = 0; i < n && !rc; i++, done++) rc = ac_pair_check(o, olds[i], news[i], NULL, n > 1, &runs[i], failed);
    if (rc) {
        for (size_t i = 0; i < done; i++) ac_pair_free(&runs[i]);
        free(runs);
        ac_arena_free(a);
        return APICOMPAT_ERROR;
    }
    apicompat_result *r = ac_xcalloc(1, sizeof *r);
    r->arena = a;
    r->runs = runs;
    r->nruns = n;
    merge(runs, n, &r->all);
    fill(r, &r->all);
    int fail_on = runs[0].policy.fail_on;
    r->exit_code = ac_findings_exit_code(&r->all, fail_on) ? APICOMPAT_BREAKING : APICOMPAT_OK;
    r->ro = ac_pair_report_opts(fail_on, o->cmd == AC_CMD_CHANGELOG);
    /* only what writing reads, copied: the options may be freed before the result */
    ac_options_init(&r->wo);
    r->wo.cmd = o->cmd;
    r->wo.format = o->format;
    r->wo.show_suppressed = o->show_suppressed;
    r->wo.explain = o->explain;
    r->wo.summary_file = keep_opt(r->arena, o->summary_file);
    r->wo.sarif_file = keep_opt(r->arena, o->sarif_file);
    r->wo.json_file = keep_opt(r->arena, o->json_file);
    char *notes = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&notes, &len);
    if (m) {
        ac_note_use_formats(m, o, runs, n);
        fclose(m);
    }
    r->notes = keep(r->arena, notes);
    free(notes);
    *out = r;
    return APICOMPAT_OK;
}

/* One pair, OLD NEW. */
static int compare_pair(apicompat_result **out, const char *old_path, const char *new_path, const options *o,
                        ac_status *failed)
{
    const char *paths[2] = {old_path, new_path};
    ac_fs_allow_reset(); /* this comparison's directories only, not those of the process's earlier ones */
    ac_allow_user_paths(o, paths, 2);
    return compare(out, &paths[0], &paths[1], 1, o, ac_arena_new(), failed);
}

int apicompat_compare(apicompat_result **out, const char *old_path, const char *new_path, const char *config,
                      apicompat_status *st)
{
    if (!out || !old_path || !*old_path || !new_path || !*new_path)
        return fail(st, APICOMPAT_EINVAL, NULL, "apicompat_compare needs out, old_path and new_path");
    options o;
    ac_options_init(&o);
    o.config = config;
    ac_status s;
    ac_status_init(&s);
    int rc = compare_pair(out, old_path, new_path, &o, &s);
    ac_options_free(&o);
    return rc ? fail(st, rc, &s, NULL) : APICOMPAT_OK;
}

int apicompat_options_new(apicompat_options **out, const char *command, apicompat_status *st)
{
    ac_cmd cmd = AC_CMD_BREAKING;
    if (command && !strcmp(command, "changelog")) cmd = AC_CMD_CHANGELOG;
    else if (command && strcmp(command, "breaking")) {
        ac_status s;
        ac_status_init(&s);
        ac_fail(&s, NULL, 0, 0, "unknown command \"%s\" for apicompat_options_new (expected breaking or changelog)", command);
        return fail(st, APICOMPAT_EINVAL, &s, NULL);
    }
    if (!out) return fail(st, APICOMPAT_EINVAL, NULL, "apicompat_options_new needs out");
    apicompat_options *p = ac_xcalloc(1, sizeof *p);
    ac_options_init(&p->o);
    p->o.cmd = cmd;
    p->arena = ac_arena_new();
    *out = p;
    return APICOMPAT_OK;
}

void apicompat_options_free(apicompat_options *opts)
{
    if (!opts) return;
    ac_options_free(&opts->o);
    ac_arena_free(opts->arena);
    free(opts);
}

int apicompat_options_set(apicompat_options *opts, const char *name, const char *value, apicompat_status *st)
{
    if (!opts || !name || !*name) return fail(st, APICOMPAT_EINVAL, NULL, "apicompat_options_set needs opts and a name");
    /* the value is checked before anything is stored: refused, it leaves the options as they were */
    ac_status s;
    ac_status_init(&s);
    int rc = ac_options_set(&opts->o, name, value ? ac_arena_strdup(opts->arena, value) : NULL, &s);
    return rc ? fail_at(st, rc == AC_OPT_NAME ? APICOMPAT_EINVAL : APICOMPAT_ERROR, &s) : APICOMPAT_OK;
}

int apicompat_compare_with(apicompat_result **out, const char *old_path, const char *new_path,
                           const apicompat_options *opts, apicompat_status *st)
{
    if (!out || !old_path || !*old_path || !new_path || !*new_path)
        return fail(st, APICOMPAT_EINVAL, NULL, "apicompat_compare_with needs out, old_path and new_path");
    options defaults;
    ac_options_init(&defaults);
    ac_status s;
    ac_status_init(&s);
    int rc = compare_pair(out, old_path, new_path, opts ? &opts->o : &defaults, &s);
    return rc ? fail_at(st, rc, &s) : APICOMPAT_OK;
}

int apicompat_compare_against(apicompat_result **out, const char *ref, const char *const *paths, size_t npaths,
                              const apicompat_options *opts, apicompat_status *st)
{
    if (!out || !ref || !*ref || !paths || !npaths)
        return fail(st, APICOMPAT_EINVAL, NULL, "apicompat_compare_against needs out, ref and at least one path");
    for (size_t i = 0; i < npaths; i++)
        if (!paths[i] || !*paths[i]) return fail(st, APICOMPAT_EINVAL, NULL, "apicompat_compare_against: a path is NULL or empty");
    ac_status s;
    ac_status_init(&s);
    if (ref[0] == '-') { /* never an option of git's */
        ac_fail(&s, NULL, 0, 0, "apicompat_compare_against needs a git revision, found \"%s\"", ref);
        return fail(st, APICOMPAT_EINVAL, &s, NULL);
    }
    /* the options as given, and REF: it names the old side and the configuration the policy is checked against */
    options o;
    if (opts) o = opts->o;
    else ac_options_init(&o);
    o.against = ref;
    ac_fs_allow_reset();
    ac_allow_user_paths(&o, paths, npaths);
    ac_arena *a = ac_arena_new();
    const char **olds = ac_arena_alloc(a, npaths * sizeof *olds);
    for (size_t i = 0; i < npaths; i++) olds[i] = ac_git_spec(a, ref, paths[i]);
    int rc = compare(out, olds, paths, npaths, &o, a, &s);
    return rc ? fail_at(st, rc, &s) : APICOMPAT_OK;
}

int apicompat_result_write(const apicompat_result *r, FILE *f, apicompat_status *st)
{
    if (!r || !f) return fail(st, APICOMPAT_EINVAL, NULL, "apicompat_result_write needs a result and a stream");
    ac_report_opts ro = r->ro;
    ac_status s;
    ac_status_init(&s);
    return ac_write_report_to(&r->wo, f, &r->all, &ro, &s) ? fail_at(st, APICOMPAT_ERROR, &s) : APICOMPAT_OK;
}

const char *apicompat_result_notes(const apicompat_result *r)
{
    return r ? r->notes : "";
}

void apicompat_result_free(apicompat_result *r)
{
    if (!r) return;
    free(r->all.v);
    ac_arena_free(r->all.arena);
    for (size_t i = 0; i < r->nruns; i++) ac_pair_free(&r->runs[i]);
    free(r->runs);
    ac_arena_free(r->arena);
    free(r->v);
    free(r);
}

size_t apicompat_result_count(const apicompat_result *r)
{
    return r ? r->n : 0;
}

const apicompat_finding *apicompat_result_get(const apicompat_result *r, size_t i)
{
    return r && i < r->n ? &r->v[i] : NULL;
}

int apicompat_result_exit_code(const apicompat_result *r)
{
    return r ? r->exit_code : APICOMPAT_EINVAL;
}

const char *apicompat_finding_rule(const apicompat_finding *f)
{
    return f->rule;
}

apicompat_severity apicompat_finding_severity(const apicompat_finding *f)
{
    return (apicompat_severity)f->severity;
}

const char *apicompat_finding_severity_name(const apicompat_finding *f)
{
    return ac_severity_name((ac_severity)f->severity);
}

const char *apicompat_finding_message(const apicompat_finding *f)
{
    return f->message;
}

const char *apicompat_finding_file(const apicompat_finding *f)
{
    return f->file;
}

unsigned apicompat_finding_line(const apicompat_finding *f)
{
    return f->line;
}

unsigned apicompat_finding_column(const apicompat_finding *f)
{
    return f->column;
}

const char *apicompat_finding_old_file(const apicompat_finding *f)
{
    return f->old_file;
}

unsigned apicompat_finding_old_line(const apicompat_finding *f)
{
    return f->old_line;
}

unsigned apicompat_finding_old_column(const apicompat_finding *f)
{
    return f->old_column;
}
