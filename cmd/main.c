/* apicompat: does a change to an API contract break clients already in the field?
 *
 *   apicompat breaking OLD NEW [options]   exit 0: compatible, 1: breaking, 2: could not check
 *   apicompat rules [--format text|json|markdown]
 *
 * This file is the CLI only: options, input resolution and the order of the pipeline.  No
 * checking logic lives here. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "compat/compat.h"
#include "cmd/config.h"
#include "cmd/git.h"
#include "compat/base/escape.h"
#include "compat/base/fs.h"
#include "openapi/oas.h"
#include "proto/proto.h"

#define APICOMPAT_VERSION "0.1.0"

typedef enum { FMT_TEXT, FMT_JSON, FMT_MARKDOWN, FMT_GITHUB, FMT_SARIF, FMT_JUNIT, FMT_GITLAB } out_format;

static const char *const format_names[] = {"text", "json", "markdown", "github", "sarif", "junit", "gitlab"};

typedef struct options {
    out_format format;
    const char *protoc;
    const char **includes;
    size_t nincludes;
    const char **paths;
    size_t npaths;
    const char *config;
    const char *severity_levels, *err_ignore, *warn_ignore;
    int deprecation_days;
    bool deprecation_days_set;
    ac_cfg_str *use, *except;
    size_t nuse, nexcept;
    int fail_on;
    bool fail_on_set;
    bool show_suppressed;
    const char *against; /* --against REF */
    const char **positional;
    size_t npositional;
} options;

/* ---- options: one row each ---------------------------------------------------------------------- */

typedef int (*opt_fn)(options *o, const char *arg, ac_status *st);

static int opt_format(options *o, const char *arg, ac_status *st)
{
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (!strcmp(arg, format_names[i])) {
            o->format = (out_format)i;
            return AC_OK;
        }
    return ac_fail(st, NULL, 0, 0, "unknown format \"%s\" (expected text, json, github, sarif, junit, markdown or gitlab)", arg);
}

static int opt_protoc(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->protoc = arg;
    return AC_OK;
}

static int opt_include(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->includes = ac_xrealloc(o->includes, (o->nincludes + 1) * sizeof *o->includes);
    o->includes[o->nincludes++] = arg;
    return AC_OK;
}

static int opt_config(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->config = arg;
    return AC_OK;
}

static int opt_severity_levels(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->severity_levels = arg;
    return AC_OK;
}

static int opt_err_ignore(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->err_ignore = arg;
    return AC_OK;
}

static int opt_warn_ignore(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->warn_ignore = arg;
    return AC_OK;
}

static int opt_deprecation_days(options *o, const char *arg, ac_status *st)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (*end || v < 0 || v > 100000) return ac_fail(st, NULL, 0, 0, "--deprecation-days needs a whole number of days");
    o->deprecation_days = (int)v;
    o->deprecation_days_set = true;
    return AC_OK;
}

static int opt_path(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->paths = ac_xrealloc(o->paths, (o->npaths + 1) * sizeof *o->paths);
    o->paths[o->npaths++] = arg;
    return AC_OK;
}

static int add_ids(ac_cfg_str **list, size_t *n, const char *arg)
{
    /* comma-separated, repeatable */
    char *copy = ac_xstrdup(arg), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ') tok++;
        if (!*tok) continue;
        *list = ac_xrealloc(*list, (*n + 1) * sizeof **list);
        (*list)[(*n)++] = (ac_cfg_str){ac_xstrdup(tok), NULL, 0, 0};
    }
    free(copy);
    return AC_OK;
}

static int opt_use(options *o, const char *arg, ac_status *st)
{
    (void)st;
    return add_ids(&o->use, &o->nuse, arg);
}

static int opt_except(options *o, const char *arg, ac_status *st)
{
    (void)st;
    return add_ids(&o->except, &o->nexcept, arg);
}

static int opt_fail_on(options *o, const char *arg, ac_status *st)
{
    int s = ac_severity_parse(arg);
    if (s == -2) return ac_fail(st, NULL, 0, 0, "unknown level \"%s\" for --fail-on (expected error, warning, info or off)", arg);
    o->fail_on = s;
    o->fail_on_set = true;
    return AC_OK;
}

static int opt_against(options *o, const char *arg, ac_status *st)
{
    if (!*arg || arg[0] == '-') return ac_fail(st, NULL, 0, 0, "--against needs a git revision, found \"%s\"", arg);
    o->against = arg;
    return AC_OK;
}

static int opt_show_suppressed(options *o, const char *arg, ac_status *st)
{
    (void)arg;
    (void)st;
    o->show_suppressed = true;
    return AC_OK;
}

typedef struct opt_row {
    const char *name;  /* --name */
    char shortname;    /* -x, or 0 */
    bool takes_arg;
    opt_fn fn;
    const char *arg_name;
    const char *help;
} opt_row;

static const opt_row option_table[] = {
    {"format", 'f', true, opt_format, "FORMAT", "output: text (default), json, github, sarif, junit, markdown, gitlab"},
    {"against", 0, true, opt_against, "REF", "compare each PATH given with the same path at git revision REF"},
    {"config", 'c', true, opt_config, "FILE", "apicompat.yaml (default: found in . or a parent), or a buf.yaml"},
    {"use", 0, true, opt_use, "IDS", "rules or categories to check (comma-separated; replaces the config's `use`)"},
    {"except", 0, true, opt_except, "IDS", "rules or categories to leave out (comma-separated)"},
    {"fail-on", 0, true, opt_fail_on, "LEVEL", "lowest severity that makes the exit code 1 (default: error)"},
    {"show-suppressed", 0, false, opt_show_suppressed, NULL, "also print findings that ignores suppressed"},
    {"severity-levels", 0, true, opt_severity_levels, "FILE", "OpenAPI: oasdiff severity-levels file (<id> <level>)"},
    {"err-ignore", 0, true, opt_err_ignore, "FILE", "OpenAPI: oasdiff err-ignore file (<METHOD> <path> <change>)"},
    {"warn-ignore", 0, true, opt_warn_ignore, "FILE", "OpenAPI: oasdiff warn-ignore file"},
    {"deprecation-days", 0, true, opt_deprecation_days, "N", "OpenAPI: days a deprecation must last before the sunset"},
    {"protoc", 0, true, opt_protoc, "PATH", "compile .proto sources with this protoc instead of the native front end"},
    {"include", 'I', true, opt_include, "DIR", "extra import directory for .proto sources (repeatable)"},
    {"path", 0, true, opt_path, "PATH", "check only files under PATH, relative to each input directory (repeatable)"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: apicompat breaking OLD NEW [options]\n"
               "       apicompat breaking --against REF PATH... [options]\n"
               "       apicompat changelog OLD NEW [options]\n"
               "       apicompat batch MANIFEST [options]\n"
               "       apicompat rules [--format text|json|markdown]\n"
               "       apicompat config check [FILE]\n"
               "\n"
               "OLD and NEW: a .proto file, a directory of .proto files (buf.yaml honoured), a binary\n"
               "FileDescriptorSet (protoc -o, buf build -o), or an OpenAPI 3.0/3.1 or Swagger 2.0 document\n"
               "(YAML or JSON); git:REF:PATH reads PATH as it is at git revision REF.\n"
               "\n"
               "exit codes: 0 no breaking changes, 1 breaking changes found, 2 could not check\n\noptions:\n");
    for (size_t i = 0; i < sizeof option_table / sizeof option_table[0]; i++) {
        const opt_row *r = &option_table[i];
        char left[64];
        if (r->shortname)
            snprintf(left, sizeof left, "-%c, --%s%s%s", r->shortname, r->name, r->takes_arg ? " " : "",
                     r->takes_arg ? r->arg_name : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", r->name, r->takes_arg ? " " : "", r->takes_arg ? r->arg_name : "");
        fprintf(f, "  %-28s %s\n", left, r->help);
    }
}

static int parse_args(int argc, char **argv, options *o, ac_status *st)
{
    o->positional = ac_xcalloc((size_t)argc + 1, sizeof *o->positional);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            for (i++; i < argc; i++) o->positional[o->npositional++] = argv[i];
            break;
        }
        if (a[0] != '-' || !a[1]) {
            o->positional[o->npositional++] = a;
            continue;
        }
        const opt_row *row = NULL;
        const char *val = NULL;
        for (size_t k = 0; k < sizeof option_table / sizeof option_table[0] && !row; k++) {
            const opt_row *r = &option_table[k];
            if (a[1] == '-') {
                size_t n = strlen(r->name);
                if (!strncmp(a + 2, r->name, n) && (a[2 + n] == 0 || a[2 + n] == '=')) {
                    row = r;
                    if (a[2 + n] == '=') val = a + 3 + n;
                }
            } else if (r->shortname && a[1] == r->shortname) {
                row = r;
                if (a[2]) val = a + 2;
            }
        }
        if (!row) return ac_fail(st, NULL, 0, 0, "unknown option \"%s\" (see apicompat --help)", a);
        if (row->takes_arg && !val) {
            if (i + 1 >= argc) return ac_fail(st, NULL, 0, 0, "option --%s needs a value", row->name);
            val = argv[++i];
        } else if (!row->takes_arg && val) {
            return ac_fail(st, NULL, 0, 0, "option --%s takes no value", row->name);
        }
        if (row->fn(o, val, st)) return AC_ERROR;
    }
    return AC_OK;
}

/* ---- the pipeline ------------------------------------------------------------------------------ */

/* Which loader reads an input: protobuf for directories, .proto files and binary descriptor sets;
 * OpenAPI for YAML and JSON documents. */
static ac_format input_format(const char *path)
{
    if (ac_is_dir(path)) return AC_FMT_PROTO;
    size_t n = strlen(path);
    if (n > 6 && !strcmp(path + n - 6, ".proto")) return AC_FMT_PROTO;
    const char *dot = strrchr(path, '.');
    if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".json"))) return AC_FMT_OPENAPI;
    FILE *f = fopen(path, "rb");
    if (!f) return AC_FMT_PROTO;
    unsigned char buf[512];
    size_t got = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (ac_proto_sniff_binary(buf, got)) return AC_FMT_PROTO;
    const char *ext = strrchr(path, '.');
    if (ext && (!strcmp(ext, ".yaml") || !strcmp(ext, ".yml") || !strcmp(ext, ".json"))) return AC_FMT_OPENAPI;
    if (ac_oas_sniff(path)) return AC_FMT_OPENAPI;
    return AC_FMT_PROTO;
}

/* Why an input cannot be read (missing, a FIFO, a device...), or NULL: checked before anything
 * opens it, since opening a FIFO blocks. */
static const char *input_problem(const char *path)
{
    if (!ac_path_exists(path)) return "no such file or directory";
    return ac_is_dir(path) ? NULL : ac_file_problem(path);
}

static int load_local(const char *path, const options *o, ac_contract **out, const ac_buf_config **cfg, ac_status *st)
{
    const char *why = input_problem(path);
    if (why) return ac_fail(st, path, 0, 0, "%s%s", why, strncmp(why, "not a", 5) ? "" : "; expected a file or a directory");
    *cfg = NULL;
    if (input_format(path) == AC_FMT_OPENAPI) {
        ac_oas_opts oo = {NULL, 0};
        return ac_oas_load_path(out, path, &oo, st);
    }
    ac_proto_opts po = {o->protoc, o->includes, o->nincludes, o->paths, o->npaths};
    return ac_proto_load_path(out, path, &po, cfg, st);
}

/* An input: a path, or git:REF:PATH read from a copy of that revision's tree.  Inside the copy the
 * working directory mirrors the user's, so every path shown is the one the user knows. */
static int load_input(const char *path, const options *o, ac_arena *a, ac_contract **out, const ac_buf_config **cfg,
                      ac_status *st)
{
    if (!ac_git_is_spec(path)) return load_local(path, o, out, cfg, st);
    int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (here < 0) return ac_fail(st, NULL, 0, 0, "cannot open the current directory: %s", strerror(errno));
    const char *dir, *inner;
    int rc = ac_git_materialize(path, a, &dir, &inner, st);
    if (!rc && chdir(dir)) rc = ac_fail(st, path, 0, 0, "cannot enter %s: %s", dir, strerror(errno));
    if (!rc) rc = load_local(inner, o, out, cfg, st);
    if (fchdir(here) && !rc) rc = ac_fail(st, NULL, 0, 0, "cannot return to the working directory: %s", strerror(errno));
    close(here);
    if (!rc && (*out)->source) (*out)->source = ac_arena_strdup((*out)->arena, path);
    return rc;
}

static bool is_buf_config(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    return !strncmp(base, "buf.", 4) || !strncmp(base, "buf.work.", 9);
}

/* The policy, in order: the inputs' buf.yaml (NEW's, else OLD's), apicompat.yaml (or --config),
 * then the command line. */
static int build_policy(const options *o, const ac_buf_config *newcfg, const ac_buf_config *oldcfg, ac_policy *p,
                        ac_status *st)
{
    const ac_buf_config *cfg = newcfg ? newcfg : oldcfg;
    p->today = ac_today();
    const char *config = o->config ? o->config : ac_config_find(p->arena);
    if (o->config && access(o->config, R_OK) != 0)
        return ac_fail(st, o->config, 0, 0, "cannot read the configuration: %s", strerror(errno));
    if (config && is_buf_config(config)) {
        ac_buf_config *given;
        if (ac_buf_config_read_file(p->arena, config, &given, st)) return AC_ERROR;
        cfg = given;
        config = NULL;
    }
    if (cfg && ac_buf_config_policy(cfg, p, st)) return AC_ERROR;
    if (config && ac_config_read(p, config, NULL, st)) return AC_ERROR;
    if (o->severity_levels && ac_config_oasdiff_levels(p, o->severity_levels, st)) return AC_ERROR;
    if (o->err_ignore && ac_config_oasdiff_ignore(p, o->err_ignore, AC_SEV_ERROR, st)) return AC_ERROR;
    if (o->warn_ignore && ac_config_oasdiff_ignore(p, o->warn_ignore, AC_SEV_WARN, st)) return AC_ERROR;
    if (o->deprecation_days_set) p->deprecation_days = o->deprecation_days;
    if (o->nuse || o->nexcept) {
        /* --use replaces the configuration's use; its except (and --except) still apply */
        size_t nx = o->nexcept + p->ncfg_except;
        ac_cfg_str *except = ac_arena_alloc(p->arena, (nx ? nx : 1) * sizeof *except);
        if (o->nexcept) memcpy(except, o->except, o->nexcept * sizeof *except);
        if (p->ncfg_except) memcpy(except + o->nexcept, p->cfg_except, p->ncfg_except * sizeof *except);
        for (size_t k = 0; k < p->nmodules; k++) {
            ac_policy_module *m = &p->modules[k];
            if (o->nuse ? ac_policy_select(p, m, o->use, o->nuse, except, nx, st)
                        : ac_policy_except(p, m, o->except, o->nexcept, st))
                return AC_ERROR;
        }
    }
    if (o->fail_on_set) p->fail_on = o->fail_on;
    return AC_OK;
}

/* apicompat config check [FILE]: validates a configuration without comparing anything. */
static int cmd_config(options *o, ac_status *st)
{
    if (o->npositional < 1 || strcmp(o->positional[0], "check"))
        return ac_fail(st, NULL, 0, 0, "usage: apicompat config check [FILE]");
    ac_policy p;
    ac_policy_init(&p);
    const char *file = o->npositional > 1 ? o->positional[1] : o->config ? o->config : ac_config_find(p.arena);
    int rc = AC_OK;
    if (!file) rc = ac_fail(st, NULL, 0, 0, "no apicompat.yaml here or in a parent directory (give one: apicompat config check FILE)");
    else if (access(file, R_OK) != 0) rc = ac_fail(st, file, 0, 0, "cannot read the configuration: %s", strerror(errno));
    else if (is_buf_config(file)) {
        ac_buf_config *bc;
        rc = ac_buf_config_read_file(p.arena, file, &bc, st);
        if (!rc) rc = ac_buf_config_policy(bc, &p, st);
    } else {
        rc = ac_config_read(&p, file, NULL, st);
    }
    if (!rc) {
        size_t sev = 0, on = 0;
        for (size_t i = 0; i < ac_nrules; i++) {
            if (p.severity[i] != AC_SEV_UNSET) sev++;
            if (p.modules[0].enabled[i]) on++;
        }
        ac_esc_line(stdout, file);
        printf(": ok (%zu rules on, %zu severity overrides, %zu ignores, fail on %s)\n", on, sev, p.nignores,
               ac_severity_name(p.fail_on));
        if (fflush(stdout) != 0) rc = ac_fail(st, NULL, 0, 0, "cannot write: %s", strerror(errno));
    }
    ac_policy_free(&p);
    return rc;
}

static int write_report(const options *o, const ac_findings *fs, ac_report_opts *ro, ac_status *st)
{
    ro->show_suppressed = o->show_suppressed;
    ro->version = APICOMPAT_VERSION;
    ro->color = o->format == FMT_TEXT && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    int (*const views[])(FILE *, const ac_findings *, const ac_report_opts *) = {
        ac_report_text, ac_report_json, ac_report_markdown, ac_report_github, ac_report_sarif, ac_report_junit,
        ac_report_gitlab};
    int rc = views[o->format](stdout, fs, ro);
    if (rc || fflush(stdout) != 0 || ferror(stdout))
        return ac_fail(st, NULL, 0, 0, "cannot write the report: %s", strerror(errno ? errno : EIO));
    /* in a GitHub Actions step, the verdict also goes to the job's summary page */
    const char *summary = o->format == FMT_GITHUB ? getenv("GITHUB_STEP_SUMMARY") : NULL;
    if (summary && *summary) {
        FILE *f = fopen(summary, "a");
        if (!f) return ac_fail(st, summary, 0, 0, "cannot write the step summary: %s", strerror(errno));
        rc = ac_report_markdown(f, fs, ro);
        if (fclose(f) || rc) return ac_fail(st, summary, 0, 0, "cannot write the step summary: %s", strerror(errno ? errno : EIO));
    }
    return AC_OK;
}

/* One comparison: its contracts (findings point into them) and its findings. */
typedef struct pair_run {
    ac_contract *old, *new;
    ac_policy policy;
    ac_findings fs;
    ac_arena *arena;
    const char *error; /* batch: why it could not be checked */
} pair_run;

static void pair_free(pair_run *r)
{
    ac_findings_free(&r->fs);
    ac_policy_free(&r->policy);
    ac_contract_free(r->old);
    ac_contract_free(r->new);
    ac_arena_free(r->arena);
}

/* Loading OLD on a second thread while NEW loads on this one: for two protobuf inputs (compiling
 * two trees of sources is most of the time of a run).  Only local protobuf inputs: git inputs
 * change the working directory, and the OpenAPI loader is not thread-safe. */
typedef struct load_job {
    const char *path;
    const options *o;
    ac_contract *c;
    const ac_buf_config *cfg;
    ac_status st;
    int rc;
} load_job;

static void *load_job_run(void *arg)
{
    load_job *j = arg;
    j->rc = load_local(j->path, j->o, &j->c, &j->cfg, &j->st);
    return NULL;
}

static bool load_in_parallel(const char *oldp, const char *newp)
{
    const char *e = getenv("APICOMPAT_THREADS");
    if (e && !strcmp(e, "1")) return false;
    if (ac_git_is_spec(oldp) || ac_git_is_spec(newp)) return false;
    if (input_problem(oldp) || input_problem(newp)) return false; /* reported in order, one after the other */
    return input_format(oldp) == AC_FMT_PROTO && input_format(newp) == AC_FMT_PROTO;
}

static int load_pair(const options *o, const char *oldp, const char *newp, pair_run *r, const ac_buf_config **oldcfg,
                     const ac_buf_config **newcfg, ac_status *st)
{
    pthread_t t;
    load_job old = {oldp, o, NULL, NULL, {0}, 0};
    ac_status_init(&old.st);
    if (load_in_parallel(oldp, newp) && pthread_create(&t, NULL, load_job_run, &old) == 0) {
        ac_status nst;
        ac_status_init(&nst);
        int nrc = load_local(newp, o, &r->new, newcfg, &nst);
        pthread_join(t, NULL);
        r->old = old.c; /* freed with the pair, whatever happened */
        *oldcfg = old.cfg;
        /* the same error as when loading one after the other: OLD's first */
        if (old.rc) {
            *st = old.st;
            return old.rc;
        }
        if (nrc) *st = nst;
        return nrc;
    }
    int rc = load_input(oldp, o, r->arena, &r->old, oldcfg, st);
    if (!rc) rc = load_input(newp, o, r->arena, &r->new, newcfg, st);
    return rc;
}

static int run_pair(const options *o, const char *oldp, const char *newp, const char *config, bool defer_meta, pair_run *r,
                    ac_status *st)
{
    const ac_buf_config *oldcfg = NULL, *newcfg = NULL;
    ac_policy_init(&r->policy);
    ac_findings_init(&r->fs);
    r->arena = ac_arena_new();
    r->policy.defer_meta = defer_meta;
    options local = *o;
    if (config) local.config = config;
    int rc = load_pair(o, oldp, newp, r, &oldcfg, &newcfg, st);
    if (!rc) rc = build_policy(&local, newcfg, oldcfg, &r->policy, st);
    if (!rc) rc = ac_compat_check(r->old, r->new, &r->policy, &r->fs, st);
    return rc;
}

/* All pairs' findings as one list (the structs are copied; their strings stay with each pair). */
static void merge_findings(pair_run *runs, size_t n, ac_findings *all, const char *const *groups)
{
    ac_findings_init(all);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < runs[i].fs.n; k++) {
            ac_finding *f = ac_findings_push(all);
            *f = runs[i].fs.v[k];
            if (groups) f->group = groups[i];
        }
    ac_findings_sort(all);
}

/* breaking: what breaks clients (errors and warnings); changelog: every change, info included.
 * OLD NEW, or --against REF PATH...: each PATH against itself at REF, reported together. */
static int cmd_compare(options *o, bool changelog, ac_status *st)
{
    const char *name = changelog ? "changelog" : "breaking";
    if (o->against && !o->npositional)
        return ac_fail(st, NULL, 0, 0, "%s --against %s needs the paths to compare (e.g. proto or openapi.yaml)", name, o->against);
    if (!o->against && o->npositional != 2)
        return ac_fail(st, NULL, 0, 0, "%s needs two inputs: OLD NEW (or --against REF PATH...)", name);
    size_t n = o->against ? o->npositional : 1;
    pair_run *runs = ac_xcalloc(n, sizeof *runs);
    ac_arena *a = ac_arena_new();
    int rc = AC_OK;
    size_t done = 0;
    for (size_t i = 0; i < n && !rc; i++, done++) {
        const char *oldp = o->against ? ac_git_spec(a, o->against, o->positional[i]) : o->positional[0];
        const char *newp = o->against ? o->positional[i] : o->positional[1];
        rc = run_pair(o, oldp, newp, NULL, n > 1, &runs[i], st);
    }
    ac_findings all;
    int exit_code = AC_ERROR;
    if (!rc) {
        merge_findings(runs, n, &all, NULL);
        if (n > 1) {
            /* an ignore is unused only when no pair used it */
            ac_policy *p0 = &runs[0].policy;
            for (size_t i = 1; i < n; i++)
                if (runs[i].policy.nignores == p0->nignores)
                    for (size_t k = 0; k < p0->nignores; k++) p0->ignores[k].hits += runs[i].policy.ignores[k].hits;
            ac_policy_meta(p0, &all);
            ac_findings_sort(&all);
        }
        int fail_on = runs[0].policy.fail_on;
        int min_level = changelog ? AC_SEV_INFO : AC_SEV_WARN;
        /* what makes the exit code 1 is always shown (fail_on from the config or the CLI) */
        if (fail_on >= 0 && fail_on < min_level) min_level = fail_on;
        ac_report_opts ro = {0};
        ro.fail_on = fail_on;
        ro.min_level = min_level;
        ro.changelog = changelog;
        rc = write_report(o, &all, &ro, st);
        exit_code = rc ? AC_ERROR : changelog ? 0 : ac_findings_exit_code(&all, fail_on);
        free(all.v);
        ac_arena_free(all.arena);
    }
    for (size_t i = 0; i < done; i++) pair_free(&runs[i]);
    free(runs);
    ac_arena_free(a);
    return exit_code;
}

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

/* batch MANIFEST: many pairs, one report.  A pair that cannot be checked is reported as such and
 * the others still run; the exit code is 2 if any could not be checked, else 1 if any broke. */
static int cmd_batch(options *o, ac_status *st)
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
        if (run_pair(o, oldp, newp, cfg, false, &runs[i], &ps)) {
            char *msg = NULL;
            size_t len = 0;
            FILE *m = open_memstream(&msg, &len);
            if (m) {
                ac_status_print(&ps, m);
                fclose(m);
            }
            if (msg && len && msg[len - 1] == '\n') msg[len - 1] = 0;
            errors[i] = ac_arena_strdup(a, msg ? msg : "could not be checked");
            free(msg);
            failed++;
            /* the pair's own report line on stderr too, so a log shows it */
            ac_esc_line(stderr, p->name);
            fputs(": ", stderr);
            ac_status_print(&ps, stderr);
            if (o->format == FMT_GITHUB) ac_status_print_github(&ps, stdout);
        } else if (i == 0 || runs[i].policy.fail_on < fail_on) {
            fail_on = runs[i].policy.fail_on;
        }
    }
    if (o->fail_on_set) fail_on = o->fail_on;
    ac_findings all;
    merge_findings(runs, n, &all, groups);
    ac_report_opts ro = {0};
    ro.fail_on = fail_on;
    ro.min_level = AC_SEV_WARN;
    if (fail_on >= 0 && fail_on < ro.min_level) ro.min_level = fail_on;
    ro.groups = groups;
    ro.group_errors = errors;
    ro.ngroups = n;
    int rc = write_report(o, &all, &ro, st);
    int exit_code = rc || failed ? AC_ERROR : ac_findings_exit_code(&all, fail_on);
    free(all.v);
    ac_arena_free(all.arena);
    for (size_t i = 0; i < n; i++) pair_free(&runs[i]);
    free(runs);
    ac_arena_free(a);
    return exit_code;
}

/* ---- apicompat rules -------------------------------------------------------------------------- */

static const char *cats_string(char *buf, size_t n, uint8_t cats)
{
    buf[0] = 0;
    if (cats & AC_CAT_NA) return "-";
    size_t w = 0;
    static const int order[] = {AC_CAT_CSR, AC_CAT_FILE, AC_CAT_PACKAGE, AC_CAT_WIRE_JSON, AC_CAT_WIRE};
    for (size_t i = 0; i < 5; i++)
        if (cats & order[i]) w += (size_t)snprintf(buf + w, w < n ? n - w : 0, "%s%s", w ? "," : "", ac_proto_category_name(order[i]));
    return w ? buf : "(none)";
}

static const char *format_name(ac_format f)
{
    return f == AC_FMT_PROTO ? "protobuf" : f == AC_FMT_OPENAPI ? "openapi" : "config";
}

static int cmd_rules(options *o, ac_status *st)
{
    char b1[64], b2[64], ex[256];
    if (o->format == FMT_JSON) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < ac_nrules; i++) {
            const ac_rule *r = &ac_rules[i];
            cJSON *j = cJSON_CreateObject();
            cJSON_AddStringToObject(j, "id", r->id);
            cJSON_AddStringToObject(j, "format", format_name(r->format));
            cJSON_AddStringToObject(j, "severity", ac_severity_name(r->severity));
            if (r->format == AC_FMT_PROTO) {
                cJSON *c = cJSON_AddObjectToObject(j, "categories");
                const char *vn[] = {"v1beta1", "v1", "v2"};
                for (int v = 0; v < 3; v++) {
                    if (r->cats[v] & AC_CAT_NA) continue;
                    cJSON *l = cJSON_AddArrayToObject(c, vn[v]);
                    for (int bit = 1; bit < AC_CAT_NA; bit <<= 1)
                        if (r->cats[v] & bit) cJSON_AddItemToArray(l, cJSON_CreateString(ac_proto_category_name(bit)));
                }
                cJSON_AddBoolToObject(j, "default", ac_rule_default(r, AC_BUF_V1));
            }
            if (r->format == AC_FMT_OPENAPI) {
                cJSON_AddStringToObject(j, "area", r->area);
                cJSON_AddStringToObject(j, "kind", r->kind);
                cJSON_AddBoolToObject(j, "checked", !r->known_only);
            }
            if (r->direction) cJSON_AddStringToObject(j, "direction", r->direction);
            cJSON_AddStringToObject(j, "summary", r->summary);
            cJSON_AddStringToObject(j, "example", ac_rule_example(r, ex, sizeof ex));
            if (r->replaced_by) cJSON_AddStringToObject(j, "replaced_by", r->replaced_by);
            cJSON_AddItemToArray(arr, j);
        }
        char *s = cJSON_Print(arr);
        cJSON_Delete(arr);
        if (!s) ac_oom();
        puts(s);
        free(s);
    } else if (o->format == FMT_MARKDOWN) {
        printf("# apicompat rules\n\n## Protobuf\n\nCategories under buf.yaml v1 / v2; rules in FILE are on by default.\n\n"
               "| rule | categories v1 | categories v2 | severity | checks | example |\n|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < ac_nrules; i++) {
            const ac_rule *r = &ac_rules[i];
            if (r->format != AC_FMT_PROTO) continue;
            printf("| `%s` | %s | %s | %s | %s%s%s | %s |\n", r->id, cats_string(b1, sizeof b1, r->cats[AC_BUF_V1]),
                   cats_string(b2, sizeof b2, r->cats[AC_BUF_V2]), ac_severity_name(r->severity), r->summary,
                   r->replaced_by ? "; replaced by " : "", r->replaced_by ? (*r->replaced_by ? r->replaced_by : "nothing") : "",
                   ac_rule_example(r, ex, sizeof ex));
        }
        printf("\n## OpenAPI\n\noasdiff's check IDs and default levels. Direction: request = what clients send, "
               "response = what they receive.\n\n| check | level | direction | area | checks | example |\n|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < ac_nrules; i++) {
            const ac_rule *r = &ac_rules[i];
            if (r->format != AC_FMT_OPENAPI) continue;
            printf("| `%s` | %s | %s | %s | %s%s | %s |\n", r->id, ac_severity_name(r->severity),
                   r->direction ? r->direction : "-", r->area, r->summary, r->known_only ? " (known, not detected)" : "",
                   ac_rule_example(r, ex, sizeof ex));
        }
        printf("\n## Configuration\n\n| check | level | checks |\n|---|---|---|\n");
        for (size_t i = 0; i < ac_nrules; i++) {
            const ac_rule *r = &ac_rules[i];
            if (r->format == AC_FMT_NONE)
                printf("| `%s` | %s | %s |\n", r->id, ac_severity_name(r->severity), r->summary);
        }
    } else {
        printf("%-52s %-9s %-30s %-34s %s\n", "RULE", "SEVERITY", "CATEGORIES v1 / DIRECTION", "CATEGORIES v2", "CHECKS");
        for (size_t i = 0; i < ac_nrules; i++) {
            const ac_rule *r = &ac_rules[i];
            bool p = r->format == AC_FMT_PROTO;
            printf("%-52s %-9s %-30s %-34s %s%s%s\n", r->id, ac_severity_name(r->severity),
                   p ? cats_string(b1, sizeof b1, r->cats[AC_BUF_V1]) : r->direction ? r->direction : "-",
                   p ? cats_string(b2, sizeof b2, r->cats[AC_BUF_V2]) : "", r->summary, r->replaced_by ? "; replaced by " : "",
                   r->replaced_by ? (*r->replaced_by ? r->replaced_by : "nothing") : "");
        }
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        return ac_fail(st, NULL, 0, 0, "cannot write the rule list: %s", strerror(errno ? errno : EIO));
    return AC_OK;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN); /* a closed pipe is a write error we report, not a silent death */
    cJSON_Hooks hooks = {ac_xmalloc, free};
    cJSON_InitHooks(&hooks);
    ac_status st;
    ac_status_init(&st);
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? AC_ERROR : 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("apicompat %s\n", APICOMPAT_VERSION);
        return 0;
    }
    options o;
    memset(&o, 0, sizeof o);
    o.fail_on = AC_SEV_ERROR;
    int rc;
    const char *cmd = argv[1];
    if (parse_args(argc - 2, argv + 2, &o, &st)) {
        rc = AC_ERROR;
    } else if (!strcmp(cmd, "breaking")) {
        rc = cmd_compare(&o, false, &st);
    } else if (!strcmp(cmd, "changelog")) {
        rc = cmd_compare(&o, true, &st);
    } else if (!strcmp(cmd, "batch")) {
        rc = cmd_batch(&o, &st);
    } else if (!strcmp(cmd, "config")) {
        rc = cmd_config(&o, &st) ? AC_ERROR : 0;
    } else if (!strcmp(cmd, "rules")) {
        rc = cmd_rules(&o, &st) ? AC_ERROR : 0;
    } else {
        rc = ac_fail(&st, NULL, 0, 0, "unknown command \"%s\" (expected breaking, changelog, batch, rules or config)", cmd);
    }
    if (st.code) {
        ac_status_print(&st, stderr);
        /* in a workflow log, a contract that cannot be read is an annotation too */
        if (o.format == FMT_GITHUB) ac_status_print_github(&st, stdout);
    }
    for (size_t i = 0; i < o.nuse; i++) free((char *)o.use[i].s);
    for (size_t i = 0; i < o.nexcept; i++) free((char *)o.except[i].s);
    free(o.use);
    free(o.except);
    free(o.includes);
    free(o.paths);
    free(o.positional);
    return st.code ? AC_ERROR : rc;
}
