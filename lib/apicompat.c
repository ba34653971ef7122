/* libapicompat (apicompat.h) over the pipeline the command line uses: one pair is loaded,
 * given its policy and checked by ac_pair_check, as `apicompat breaking OLD NEW` does; the
 * findings are copied into the result, which owns everything it hands out. */
#include "lib/apicompat.h"

#include <stdlib.h>
#include <string.h>

#include "cmd/pipeline.h"
#include "compat/base/arena.h"

struct apicompat_finding {
    const char *rule, *message, *file;
    unsigned line, column;
    int severity;
};

struct apicompat_result {
    ac_arena *arena; /* the strings */
    apicompat_finding *v;
    size_t n;
    int exit_code;
};

const char *apicompat_version(void)
{
    return APICOMPAT_VERSION;
}

static int fail(apicompat_status *st, int code, const ac_status *from, const char *msg)
{
    if (!st) return code;
    memset(st, 0, sizeof *st);
    st->code = code;
    if (from) {
        snprintf(st->path, sizeof st->path, "%s", from->path);
        st->line = from->line;
        st->column = from->col;
        snprintf(st->message, sizeof st->message, "%s", from->msg);
    } else {
        snprintf(st->message, sizeof st->message, "%s", msg);
    }
    return code;
}

static const char *keep(ac_arena *a, const char *s)
{
    return ac_arena_strdup(a, s ? s : "");
}

int apicompat_compare(apicompat_result **out, const char *old_path, const char *new_path, const char *config,
                      apicompat_status *st)
{
    if (!out || !old_path || !*old_path || !new_path || !*new_path)
        return fail(st, APICOMPAT_EINVAL, NULL, "apicompat_compare needs out, old_path and new_path");
    options o;
    ac_options_init(&o);
    o.config = config;
    const char *paths[2] = {old_path, new_path};
    ac_allow_user_paths(&o, paths, 2);
    ac_status s;
    ac_status_init(&s);
    pair_run run;
    memset(&run, 0, sizeof run);
    int rc = ac_pair_check(&o, old_path, new_path, NULL, false, &run, &s);
    if (rc) {
        ac_pair_free(&run);
        ac_options_free(&o);
        return fail(st, APICOMPAT_ERROR, &s, NULL);
    }
    ac_findings_sort(&run.fs);
    apicompat_result *r = ac_xcalloc(1, sizeof *r);
    r->arena = ac_arena_new();
    r->v = ac_xcalloc(run.fs.n ? run.fs.n : 1, sizeof *r->v);
    for (size_t i = 0; i < run.fs.n; i++) {
        const ac_finding *x = &run.fs.v[i];
        if (x->suppressed_by || x->severity < AC_SEV_INFO) continue;
        const ac_loc *l = x->loc.line || !x->old_loc.path ? &x->loc : &x->old_loc;
        apicompat_finding *f = &r->v[r->n++];
        f->rule = keep(r->arena, x->rule ? x->rule->id : NULL);
        f->message = keep(r->arena, x->message);
        f->file = keep(r->arena, l->path);
        f->line = l->line;
        f->column = l->col;
        f->severity = x->severity;
    }
    r->exit_code = ac_findings_exit_code(&run.fs, run.policy.fail_on) ? APICOMPAT_BREAKING : APICOMPAT_OK;
    ac_pair_free(&run);
    ac_options_free(&o);
    *out = r;
    return APICOMPAT_OK;
}

void apicompat_result_free(apicompat_result *r)
{
    if (!r) return;
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
