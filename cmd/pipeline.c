/* The pipeline the commands share: load a pair of inputs, build its policy, check it; merge the
 * findings of the pairs and write the report. */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd/config.h"
#include "cmd/git.h"
#include "cmd/pipeline.h"
#include "compat/base/doc.h"
#include "compat/base/escape.h"
#include "compat/base/fs.h"
#include "compat/base/limits.h"
#include "compat/base/sha256.h"
#include "openapi/oas.h"
#include "proto/proto.h"

/* Whether text looks like .proto source: its first word, after comments, starts a .proto file. */
static bool looks_like_proto(const char *p, size_t n)
{
    const char *end = p + n;
    while (p < end) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v' || (unsigned char)*p == 0xef ||
            (unsigned char)*p == 0xbb || (unsigned char)*p == 0xbf)
            p++;
        else if (end - p >= 2 && p[0] == '/' && p[1] == '/')
            while (p < end && *p != '\n') p++;
        else if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
            const char *c = p + 2;
            while (c + 1 < end && !(c[0] == '*' && c[1] == '/')) c++;
            p = c + 2;
        } else
            break;
    }
    static const char *const words[] = {"syntax", "edition", "package", "import", "option", "message", "enum", "service", "extend"};
    for (size_t i = 0; p < end && i < sizeof words / sizeof *words; i++) {
        size_t w = strlen(words[i]);
        if ((size_t)(end - p) > w && !strncmp(p, words[i], w) && !(p[w] == '_' || (p[w] >= 'a' && p[w] <= 'z') ||
                                                                     (p[w] >= 'A' && p[w] <= 'Z') || (p[w] >= '0' && p[w] <= '9')))
            return true;
    }
    return false;
}

#define EXPECTED_INPUT "expected a .proto file, a directory of .proto files, a binary FileDescriptorSet or an OpenAPI document"

/* Which loader reads an input, by its name and then its content: protobuf for directories, .proto
 * files, binary descriptor sets and text that reads as .proto source; OpenAPI for YAML and JSON
 * documents.  Anything else is not a contract, said here rather than as the .proto parser's
 * complaint about its first line. */
static int input_format(const char *path, ac_format *out, ac_status *st)
{
    *out = AC_FMT_PROTO;
    if (ac_is_dir(path)) return AC_OK;
    size_t n = strlen(path);
    if (n > 6 && !strcmp(path + n - 6, ".proto")) return AC_OK;
    const char *dot = strrchr(path, '.');
    if (dot && strchr(dot, '/')) dot = NULL;
    if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".json"))) {
        *out = AC_FMT_OPENAPI;
        return AC_OK;
    }
    FILE *f = fopen(path, "rb");
    if (!f) return AC_OK; /* the loader says why */
    char buf[4096];
    size_t got = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (got == 0 || ac_proto_sniff_binary((const uint8_t *)buf, got)) return AC_OK;
    if (ac_oas_sniff(path)) {
        *out = AC_FMT_OPENAPI;
        return AC_OK;
    }
    /* a descriptor set's usual names are read as one (the loader says if it is not) */
    if (dot && (!strcmp(dot, ".binpb") || !strcmp(dot, ".pb") || !strcmp(dot, ".desc") || !strcmp(dot, ".protoset") ||
                !strcmp(dot, ".bin") || !strcmp(dot, ".fds")))
        return AC_OK;
    if (looks_like_proto(buf, got)) return AC_OK;
    return ac_fail_path(st, path, "not a contract: a text file that is neither .proto source nor an OpenAPI document (" EXPECTED_INPUT ")");
}

/* A directory without .proto files: when it holds OpenAPI documents, say so and name one (an
 * OpenAPI contract is checked as its root document, which pulls in the others by $ref). */
static int no_proto_files(const char *dir, ac_status *st)
{
    DIR *d = opendir(dir);
    if (!d) return AC_OK;
    char first[256] = "";
    size_t count = 0, seen = 0;
    for (struct dirent *e; (e = readdir(d)) && seen < 1000; seen++) {
        const char *dot = strrchr(e->d_name, '.');
        if (!dot || (strcmp(dot, ".yaml") && strcmp(dot, ".yml") && strcmp(dot, ".json"))) continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *p = ac_xmalloc(n);
        snprintf(p, n, "%s/%s", dir, e->d_name);
        if (!ac_file_problem(p) && ac_oas_sniff(p)) {
            count++;
            if (!first[0] || strcmp(e->d_name, first) < 0) snprintf(first, sizeof first, "%s", e->d_name);
        }
        free(p);
    }
    closedir(d);
    if (!count) return AC_OK;
    ac_status_init(st);
    return ac_fail_path(st, dir, "a directory of OpenAPI documents (%zu, such as %s), not of .proto files: give the root "
                                 "document of the contract (e.g. %s/%s)", count, first, dir, first);
}

/* Why an input cannot be read (missing, a FIFO, a device...), or NULL: checked before anything
 * opens it, since opening a FIFO blocks. */
static const char *input_problem(const char *path)
{
    if (!ac_path_exists(path)) return "no such file or directory";
    return ac_is_dir(path) ? NULL : ac_file_problem(path);
}

/* The directory external $refs may reach besides the document's own: --ref-root, else the root of
 * the git repository holding the document (a directory with .git, the copy of a revision's tree
 * included), else none.  Caller frees it unless it is o->ref_root. */
static const char *ref_root(const options *o, const char *path)
{
    if (o->ref_root) return o->ref_root;
    char *dir = realpath(path, NULL);
    if (!dir) return NULL;
    for (int up = 0; up < 64; up++) {
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir) break;
        *slash = 0;
        size_t n = strlen(dir);
        char *git = ac_xmalloc(n + 6);
        snprintf(git, n + 6, "%s/.git", dir);
        bool found = ac_path_exists(git);
        free(git);
        if (found) return dir;
    }
    free(dir);
    return NULL;
}

/* The buf.yaml files that described a protobuf input: the policy may come from them. */
static void digest_buf_config(ac_sha256 *digest, const ac_buf_config *cfg)
{
    ac_arena *a = ac_arena_new();
    ac_status st;
    ac_status_init(&st);
    const char *last = NULL;
    for (size_t i = 0; i <= cfg->nmodules; i++) {
        const char *f = i < cfg->nmodules ? cfg->modules[i].cfg_path : cfg->file;
        if (!f || (last && !strcmp(f, last))) continue;
        last = f;
        char *text;
        size_t len;
        if (!ac_read_file(a, f, &text, &len, AC_LIMIT_CONFIG_BYTES, &st)) ac_sha256_part(digest, text, len);
    }
    ac_arena_free(a);
}

static int load_local(const char *path, const options *o, ac_sha256 *digest, ac_contract **out, const ac_buf_config **cfg,
                      ac_status *st)
{
    *cfg = NULL;
    /* before anything about what is there: outside, a missing file and a present one look the same */
    if (!ac_fs_allowed(path)) return ac_fail(st, path, 0, 0, "input " AC_FS_OUTSIDE);
    const char *why = input_problem(path);
    if (why) return ac_fail_path(st, path, "%s%s", why, strncmp(why, "not a", 5) ? "" : "; expected a file or a directory");
    ac_format format;
    if (input_format(path, &format, st)) return AC_ERROR;
    if (format == AC_FMT_OPENAPI) {
        const char *root = ref_root(o, path);
        ac_oas_opts oo = {.allow_dirs = &root, .nallow_dirs = root != NULL, .digest = digest};
        int rc = ac_oas_load_path(out, path, &oo, st);
        free((char *)(root != o->ref_root ? root : NULL));
        return rc;
    }
    ac_proto_opts po = {.protoc = o->protoc, .includes = o->includes, .nincludes = o->nincludes, .paths = o->paths, .npaths = o->npaths, .digest = digest};
    int rc = ac_proto_load_path(out, path, &po, cfg, st);
    if (rc && !o->npaths && ac_is_dir(path) && strstr(st->msg, "no .proto files")) rc = no_proto_files(path, st) ? AC_ERROR : rc;
    if (!rc && digest && *cfg) digest_buf_config(digest, *cfg);
    return rc;
}

/* Enters the copy of a git:REF:PATH revision (with the -I directories o names, when o is given):
 * *here keeps the working directory to return to (git_leave), *inner is PATH as the user wrote it,
 * which names the same file inside the copy.  *missing (when not NULL) is set when the error is
 * only that PATH does not exist at REF. */
static int git_enter(const char *spec, const options *o, ac_arena *a, int *here, const char **inner, bool *missing,
                     ac_status *st)
{
    *here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (*here < 0) return ac_fail(st, NULL, 0, 0, "cannot open the current directory: %s", strerror(errno));
    const char *dir;
    int rc = ac_git_materialize_ex(spec, a, o ? (const char *const *)o->includes : NULL, o ? o->nincludes : 0, &dir,
                                   inner, missing, st);
    if (!rc && chdir(dir)) rc = ac_fail(st, spec, 0, 0, "cannot enter %s: %s", dir, strerror(errno));
    if (rc) {
        close(*here);
        *here = -1;
    }
    return rc;
}

static int git_leave(int here, int rc, ac_status *st)
{
    if (fchdir(here) && !rc) rc = ac_fail(st, NULL, 0, 0, "cannot return to the working directory: %s", strerror(errno));
    close(here);
    return rc;
}

/* An input: a path, or git:REF:PATH read from a copy of that revision's tree.  Inside the copy the
 * working directory mirrors the user's, so every path shown is the one the user knows. */
static int load_input(const char *path, const options *o, ac_sha256 *digest, ac_arena *a, ac_contract **out,
                      const ac_buf_config **cfg, bool *missing, ac_status *st)
{
    *missing = false;
    *cfg = NULL;
    if (!ac_git_is_spec(path)) {
        *missing = !ac_path_exists(path);
        return load_local(path, o, digest, out, cfg, st);
    }
    int here;
    const char *inner;
    if (git_enter(path, o, a, &here, &inner, missing, st)) return AC_ERROR;
    int rc = git_leave(here, load_local(inner, o, digest, out, cfg, st), st);
    if (!rc && (*out)->source) (*out)->source = ac_arena_strdup((*out)->arena, path);
    return rc;
}

int ac_load_contract(const options *o, const char *path, ac_arena *a, ac_contract **out, ac_status *st)
{
    const ac_buf_config *cfg;
    bool missing;
    return load_input(path, o, NULL, a, out, &cfg, &missing, st);
}

const char *ac_ref_root(const options *o, const char *path)
{
    return ref_root(o, path);
}

void ac_allow_user_paths(const options *o, const char *const *paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (paths[i] && !ac_git_is_spec(paths[i])) ac_fs_allow_input(paths[i]);
    if (o->config && !ac_git_is_spec(o->config)) ac_fs_allow_input(o->config);
    for (size_t i = 0; i < o->nincludes; i++) ac_fs_allow_dir(o->includes[i]);
}

bool ac_is_buf_config(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (!strncmp(base, "buf.", 4) || !strncmp(base, "buf.work.", 9)) return true;
    /* under another name, by its content: keys only buf.yaml has (apicompat.yaml shares "version") */
    ac_arena *a = ac_arena_new();
    ac_status st;
    ac_status_init(&st);
    char *text;
    size_t len;
    ac_doc *d;
    bool buf = false;
    if (!ac_read_file(a, path, &text, &len, AC_LIMIT_CONFIG_BYTES, &st) && !ac_doc_parse(&d, a, path, text, len, NULL, &st)) {
        static const char *const keys[] = {"breaking", "modules", "lint", "deps", "build"};
        for (size_t i = 0; i < sizeof keys / sizeof keys[0] && !buf; i++) buf = ac_doc_get(d->root, keys[i]) != NULL;
    }
    ac_arena_free(a);
    return buf;
}

/* The configuration files: a buf.yaml (given, else the inputs') then apicompat.yaml. */
static int read_configs(const char *config, const ac_buf_config *cfg, ac_policy *p, ac_status *st)
{
    if (config && ac_is_buf_config(config)) {
        ac_buf_config *given;
        if (ac_buf_config_read_file(p->arena, config, &given, st)) return AC_ERROR;
        cfg = given;
        config = NULL;
    }
    if (cfg && ac_buf_config_policy(cfg, p, st)) return AC_ERROR;
    if (config && ac_config_read(p, config, st)) return AC_ERROR;
    return AC_OK;
}

/* A configuration read from a revision's copy: ignore paths are relative to the configuration's
 * directory in the working tree (when it is not there, to the copy's, which matches nothing here). */
static void root_in_worktree(ac_policy *p, const char *inner)
{
    const char *slash = strrchr(inner, '/');
    const char *dir = slash ? ac_arena_strndup(p->arena, inner, (size_t)(slash - inner)) : ".";
    char *abs = realpath(*dir ? dir : "/", NULL);
    if (abs) p->root_abs = ac_arena_strdup(p->arena, abs);
    free(abs);
}

/* What the command line adds to the configuration. */
static int cli_policy(const options *o, ac_policy *p, ac_status *st)
{
    if (o->severity_levels && ac_config_oasdiff_levels(p, o->severity_levels, st)) return AC_ERROR;
    if (o->err_ignore && ac_config_oasdiff_ignore(p, o->err_ignore, AC_SEV_ERROR, st)) return AC_ERROR;
    if (o->warn_ignore && ac_config_oasdiff_ignore(p, o->warn_ignore, AC_SEV_WARN, st)) return AC_ERROR;
    if (o->deprecation_days_set) p->deprecation_days = o->deprecation_days;
    if (o->mode) p->mode = o->mode;
    if (o->rule_set >= 0) {
        /* --rule-set replaces the configuration's rule set and use (buf.yaml's too); except still applies */
        p->rule_set = (ac_rule_set)o->rule_set;
        for (size_t k = 0; k < p->nmodules; k++) ac_policy_reset(p, &p->modules[k], AC_FMT_PROTO | AC_FMT_OPENAPI);
    }
    if (o->nuse || o->nexcept || o->rule_set >= 0) {
        /* --use replaces the configuration's use in the formats it names; its except (and --except) still apply */
        size_t nx = o->nexcept + p->ncfg_except;
        ac_cfg_str *except = ac_arena_alloc(p->arena, (nx ? nx : 1) * sizeof *except);
        if (o->nexcept) memcpy(except, o->except, o->nexcept * sizeof *except);
        if (p->ncfg_except) memcpy(except + o->nexcept, p->cfg_except, p->ncfg_except * sizeof *except);
        for (size_t k = 0; k < p->nmodules; k++) {
            ac_policy_module *m = &p->modules[k];
            if (o->nuse ? ac_policy_select(p, m, o->use, o->nuse, except, nx, st) : ac_policy_except(p, m, except, nx, st))
                return AC_ERROR;
        }
    }
    if (o->fail_on_set) p->fail_on = o->fail_on;
    return AC_OK;
}

/* The policy, in order: the inputs' buf.yaml (NEW's, else OLD's), apicompat.yaml (or --config, a
 * path or git:REF:PATH), then the command line. */
static int build_policy(const options *o, const ac_buf_config *newcfg, const ac_buf_config *oldcfg, ac_policy *p,
                        ac_status *st)
{
    const ac_buf_config *cfg = newcfg ? newcfg : oldcfg;
    p->today = ac_today();
    const char *config = o->config ? o->config : ac_config_find(p->arena);
    if (o->config && ac_git_is_spec(o->config)) {
        int here;
        const char *inner;
        bool missing = false;
        if (git_enter(o->config, NULL, p->arena, &here, &inner, &missing, st)) {
            /* the base revision has no configuration: its policy is the default one */
            if (!missing) return AC_ERROR;
            ac_status_init(st);
            return read_configs(NULL, cfg, p, st) ? AC_ERROR : cli_policy(o, p, st);
        }
        int rc = access(inner, R_OK) != 0
                     ? ac_fail(st, o->config, 0, 0, "cannot read the configuration: %s", strerror(errno))
                     : read_configs(inner, cfg, p, st);
        if ((rc = git_leave(here, rc, st))) return rc;
        if (p->root_abs) root_in_worktree(p, inner);
    } else {
        if (o->config && access(o->config, R_OK) != 0)
            return ac_fail(st, o->config, 0, 0, "cannot read the configuration: %s", strerror(errno));
        if (config && !ac_fs_allowed(config)) return ac_fail(st, config, 0, 0, "configuration " AC_FS_OUTSIDE);
        if (read_configs(config, cfg, p, st)) return AC_ERROR;
    }
    return cli_policy(o, p, st);
}

/* ---- what a pull request's configuration loosens ------------------------------------------------ */

typedef struct loosening {
    ac_arena *a;
    char *list;
    size_t n;
    unsigned line, col; /* the first change in the file */
} loosening;

enum { MAX_LOOSENED_LISTED = 8 };

static void loosen(loosening *L, const ac_doc_node *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void loosen(loosening *L, const ac_doc_node *at, const char *fmt, ...)
{
    unsigned line = at ? at->line : 1, col = at ? at->col : 1;
    if (!L->n || line < L->line || (line == L->line && col < L->col)) {
        L->line = line;
        L->col = col;
    }
    if (L->n++ >= MAX_LOOSENED_LISTED) return;
    va_list ap;
    va_start(ap, fmt);
    const char *item = ac_arena_vprintf(L->a, fmt, ap);
    va_end(ap);
    L->list = L->list ? ac_arena_printf(L->a, "%s; %s", L->list, item) : ac_arena_strdup(L->a, item);
}

/* Higher is looser: fail_on off never fails. */
static int fail_looseness(int fail_on)
{
    return fail_on == AC_SEV_OFF ? 3 : fail_on;
}

static int effective(const ac_policy *p, size_t r)
{
    if (!ac_policy_rule_wanted(p, r)) return AC_SEV_OFF;
    return ac_policy_level(p, r);
}

static bool same_str(const char *x, const char *y)
{
    return x == y || (x && y && !strcmp(x, y));
}

static bool same_ignore(const ac_ignore *x, const ac_ignore *y)
{
    if (!same_str(x->path_glob, y->path_glob) || !same_str(x->element_src, y->element_src) ||
        !same_str(x->operation_src, y->operation_src) || !same_str(x->oasdiff_line, y->oasdiff_line) ||
        x->until > y->until || (x->until < 0) != (y->until < 0) || !x->rules != !y->rules)
        return false;
    return !x->rules || !memcmp(x->rules, y->rules, ac_nrules);
}

/* Lists what the working tree's configuration (pr, read from file) loosens compared with the base
 * revision's (base): fail_on, rules turned off, severities lowered, deprecation windows shortened,
 * stability checks narrowed, new or widened ignores. */
static void compare_policies(const ac_policy *base, const ac_policy *pr, const ac_doc *d, loosening *L)
{
    const ac_doc_node *root = d && d->root && d->root->type == AC_DOC_MAP ? d->root : NULL;
    const ac_doc_node *sev = root ? ac_doc_get(root, "severity") : NULL, *rules = root ? ac_doc_get(root, "rules") : NULL;
    if (fail_looseness(pr->fail_on) > fail_looseness(base->fail_on))
        loosen(L, root ? ac_doc_get(root, "fail_on") : NULL, "fail_on %s (was %s)", ac_severity_name(pr->fail_on),
               ac_severity_name(base->fail_on));
    if (base->mode & ~pr->mode)
        loosen(L, root ? ac_doc_get(root, "mode") : NULL, "mode %s (was %s)", ac_mode_name(pr->mode), ac_mode_name(base->mode));
    bool looser = false; /* a rule off or lower: then a change of rule set is named first, the rules after it */
    for (size_t r = 0; r < ac_nrules && !looser; r++) looser = effective(pr, r) < effective(base, r);
    if (pr->rule_set != base->rule_set && looser)
        loosen(L, rules ? ac_doc_get(rules, "rule_set") : NULL, "rule set %s (was %s)", ac_rule_sets[pr->rule_set].name,
               ac_rule_sets[base->rule_set].name);
    for (size_t r = 0; r < ac_nrules; r++) {
        int was = effective(base, r), now = effective(pr, r);
        if (now >= was) continue;
        const ac_doc_node *at = NULL;
        if (now != AC_SEV_OFF || pr->severity[r] == AC_SEV_OFF) {
            for (size_t i = 0; sev && sev->type == AC_DOC_MAP && i < sev->n && !at; i++)
                if (!strcmp(sev->pairs[i].key->str, ac_rules[r].id)) at = sev->pairs[i].key;
        }
        if (!at) at = rules ? rules : sev;
        if (now == AC_SEV_OFF) loosen(L, at, "rule %s turned off", ac_rules[r].id);
        else loosen(L, at, "rule %s lowered to %s (was %s)", ac_rules[r].id, ac_severity_name(now), ac_severity_name(was));
    }
    const ac_doc_node *dep = root ? ac_doc_get(root, "deprecation") : NULL;
    if (pr->deprecation_days < base->deprecation_days)
        loosen(L, dep, "deprecation days %d (was %d)", pr->deprecation_days, base->deprecation_days);
    if (pr->stability_from > base->stability_from)
        loosen(L, root ? ac_doc_get(root, "stability") : NULL, "stability check_from raised");
    const ac_doc_node *stab = root ? ac_doc_get(root, "stability") : NULL;
    static const char *const stab_names[] = {"alpha", "beta"};
    for (int i = 0; i < 2; i++)
        if (pr->stability_cap[i] < base->stability_cap[i])
            loosen(L, stab && stab->type == AC_DOC_MAP && ac_doc_get(stab, stab_names[i]) ? ac_doc_get(stab, stab_names[i]) : stab,
                   "stability %s lowered to %s (was %s)", stab_names[i], ac_severity_name(pr->stability_cap[i]),
                   ac_severity_name(base->stability_cap[i]));
    for (size_t k = 0; k < pr->nignores; k++) {
        const ac_ignore *g = &pr->ignores[k];
        bool known = false;
        for (size_t j = 0; j < base->nignores && !known; j++) known = same_ignore(&base->ignores[j], g);
        if (known) continue;
        ac_doc_node at = {0};
        at.line = g->line ? g->line : 1;
        at.col = g->col ? g->col : 1;
        if (g->path_glob) loosen(L, &at, "new ignore \"%s\" (path \"%s\")", g->reason ? g->reason : "", g->path_glob);
        else loosen(L, &at, "new ignore \"%s\"", g->reason ? g->reason : "");
    }
}

/* The configuration at a revision (git:REF:PATH) into p.  *absent when PATH is not there. */
static int read_config_at(const char *spec, ac_policy *p, bool *absent, ac_status *st)
{
    int here;
    const char *inner;
    *absent = false;
    if (git_enter(spec, NULL, p->arena, &here, &inner, absent, st)) {
        /* the revision has no configuration: its policy is the default one */
        if (*absent) {
            ac_status_init(st);
            *absent = true;
            return AC_OK;
        }
        return AC_ERROR;
    }
    int rc = ac_path_exists(inner) ? ac_config_read(p, inner, st) : AC_OK;
    return git_leave(here, rc, st);
}

/* When a pull request's configuration can be compared with its base revision's (--config
 * git:REF:PATH against PATH in the working tree, or the configuration in use against itself at
 * --against REF), records in p what the working tree's loosens; ac_policy_meta reports it. */
static int check_loosened(const options *o, ac_policy *p, ac_status *st)
{
    const char *base_spec = NULL, *pr_path = NULL;
    if (o->config && ac_git_is_spec(o->config)) {
        const char *colon = strchr(o->config + 4, ':');
        base_spec = o->config;
        pr_path = colon && colon[1] ? colon + 1 : NULL;
    } else if (o->against && p->source) {
        pr_path = p->source;
        base_spec = ac_git_spec(p->arena, o->against, pr_path);
    }
    if (!pr_path || ac_is_buf_config(pr_path)) return AC_OK;
    if (!ac_fs_allowed(pr_path)) return ac_fail(st, pr_path, 0, 0, "configuration " AC_FS_OUTSIDE);
    ac_policy base, pr;
    ac_policy_init(&base);
    ac_policy_init(&pr);
    bool absent;
    int rc = read_config_at(base_spec, &base, &absent, st);
    ac_doc *d = NULL;
    if (!rc && ac_path_exists(pr_path)) {
        rc = ac_config_read(&pr, pr_path, st);
        char *text;
        size_t len;
        if (!rc && !ac_read_file(pr.arena, pr_path, &text, &len, AC_LIMIT_CONFIG_BYTES, st))
            rc = ac_doc_parse(&d, pr.arena, pr_path, text, len, NULL, st);
    }
    if (!rc) {
        loosening L = {p->arena, NULL, 0, 1, 1};
        compare_policies(&base, &pr, d, &L);
        if (L.n > MAX_LOOSENED_LISTED) L.list = ac_arena_printf(p->arena, "%s; and %zu more", L.list, L.n - MAX_LOOSENED_LISTED);
        if (L.n) {
            p->loosened = L.list;
            p->loosened_file = ac_arena_strdup(p->arena, pr_path);
            p->loosened_line = L.line;
            p->loosened_col = L.col;
        }
    }
    ac_policy_free(&base);
    ac_policy_free(&pr);
    return rc;
}

static int write_file(const char *path, const char *mode, int (*view)(FILE *, const ac_findings *, const ac_report_opts *),
                      const ac_findings *fs, const ac_report_opts *ro, const char *what, ac_status *st)
{
    FILE *f = fopen(path, mode);
    if (!f) return ac_fail(st, path, 0, 0, "cannot write the %s: %s", what, strerror(errno));
    int rc = view(f, fs, ro);
    if (fclose(f) || rc) return ac_fail(st, path, 0, 0, "cannot write the %s: %s", what, strerror(errno ? errno : EIO));
    return AC_OK;
}

/* Whether the reader of stdout has gone (a pipe's reading end closed, `apicompat rules | head -1`):
 * the kernel marks such a pipe with POLLERR.  A full disk or a broken device is not that. */
static bool stdout_gone(void)
{
    struct pollfd p = {STDOUT_FILENO, POLLOUT, 0};
    return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

int ac_stdout_done(int failed, const char *what, ac_status *st)
{
    return ac_stream_done(stdout, failed, what, st);
}

int ac_stream_done(FILE *f, int failed, const char *what, ac_status *st)
{
    int e = errno;
    if (!failed && fflush(f) == 0 && !ferror(f)) return AC_OK;
    if (e == 0 || e == EPIPE) e = errno;
    if (f == stdout && stdout_gone()) {
        /* nobody reads what is left: drop it, so that nothing is written at exit either */
        clearerr(stdout);
        int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            close(fd);
        }
        return AC_OK;
    }
    return ac_fail(st, NULL, 0, 0, "cannot write %s: %s", what, strerror(e ? e : EIO));
}

ac_report_opts ac_batch_report_opts(const ac_report_group *groups, size_t n, int *worst)
{
    int fail_on = AC_SEV_ERROR;
    *worst = 0;
    for (size_t g = 0; g < n; g++) {
        if (groups[g].exit_code > *worst) *worst = groups[g].exit_code;
        if (!groups[g].error && groups[g].fail_on >= 0 && groups[g].fail_on < fail_on) fail_on = groups[g].fail_on;
    }
    ac_report_opts ro = {0};
    ro.fail_on = fail_on;
    ro.min_level = fail_on < AC_SEV_WARN ? fail_on : AC_SEV_WARN;
    ro.groups = groups;
    ro.ngroups = n;
    ro.batch = true;
    return ro;
}

ac_report_opts ac_pair_report_opts(int fail_on, bool changelog)
{
    int min_level = changelog ? AC_SEV_INFO : AC_SEV_WARN;
    /* what makes the exit code 1 is always shown (fail_on from the config or the CLI) */
    if (fail_on >= 0 && fail_on < min_level) min_level = fail_on;
    ac_report_opts ro = {0};
    ro.fail_on = fail_on;
    ro.min_level = min_level;
    ro.changelog = changelog;
    return ro;
}

int ac_write_report(const options *o, const ac_findings *fs, ac_report_opts *ro, ac_status *st)
{
    return ac_write_report_to(o, stdout, fs, ro, st);
}

int ac_write_report_to(const options *o, FILE *f, const ac_findings *fs, ac_report_opts *ro, ac_status *st)
{
    if (o->format == FMT_OPENAPI) return ac_fail(st, NULL, 0, 0, "--format openapi is for `apicompat rest` (a report is text, json, markdown, github, sarif, junit or gitlab)");
    ro->show_suppressed = o->show_suppressed;
    ro->explain = o->explain;
    ro->version = APICOMPAT_VERSION;
    int fd = fileno(f);
    ro->color = o->format == FMT_TEXT && fd >= 0 && isatty(fd) && !getenv("NO_COLOR");
    int (*const views[])(FILE *, const ac_findings *, const ac_report_opts *) = {
        ac_report_text, ac_report_json, ac_report_markdown, ac_report_github, ac_report_sarif, ac_report_junit,
        ac_report_gitlab};
    int rc = views[o->format](f, fs, ro);
    if (ac_stream_done(f, rc, "the report", st)) return AC_ERROR;
    /* in a GitHub Actions step, the verdict also goes to the job's summary page */
    const char *summary = o->summary_file ? o->summary_file : o->format == FMT_GITHUB ? getenv("GITHUB_STEP_SUMMARY") : NULL;
    if (summary && *summary) {
        /* a summary page lists every change, info included, under the same verdict */
        ac_report_opts so = *ro;
        so.min_level = AC_SEV_INFO;
        if (write_file(summary, "a", ac_report_markdown, fs, &so, "step summary", st)) return AC_ERROR;
    }
    if (o->sarif_file && write_file(o->sarif_file, "w", ac_report_sarif, fs, ro, "SARIF report", st)) return AC_ERROR;
    if (o->json_file && write_file(o->json_file, "w", ac_report_json, fs, ro, "JSON report", st)) return AC_ERROR;
    return AC_OK;
}

void ac_note_use_formats(FILE *f, const options *o, const pair_run *runs, size_t n)
{
    if (!o->nuse) return;
    unsigned noted = 0;
    for (size_t i = 0; i < n; i++) {
        const ac_contract *c = runs[i].new ? runs[i].new : runs[i].old;
        if (!c || (noted & c->format)) continue;
        unsigned named = 0;
        for (size_t k = 0; k < o->nuse; k++) named |= ac_policy_formats_named(&runs[i].policy, o->use[k].s);
        for (size_t k = 0; k < o->nexcept; k++) /* --except openapi: the user turned that format off */
            if (!strcasecmp(o->except[k].s, c->format == AC_FMT_OPENAPI ? "openapi" : "protobuf")) named |= c->format;
        if (named & c->format) continue;
        noted |= c->format;
        bool oas = c->format == AC_FMT_OPENAPI;
        fprintf(f,
                "note: --use names no %s rule or category, so %s contracts keep their configured rules (rule set %s); "
                "to check none of them, add --except %s\n",
                oas ? "OpenAPI" : "protobuf", oas ? "OpenAPI" : "protobuf", ac_rule_sets[runs[i].policy.rule_set].name,
                oas ? "openapi" : "protobuf");
    }
}

void ac_pair_free(pair_run *r)
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
    ac_sha256 *digest;
    ac_contract *c;
    const ac_buf_config *cfg;
    ac_status st;
    int rc;
} load_job;

static void *load_job_run(void *arg)
{
    load_job *j = arg;
    j->rc = load_local(j->path, j->o, j->digest, &j->c, &j->cfg, &j->st);
    return NULL;
}

static bool load_in_parallel(const char *oldp, const char *newp)
{
    const char *e = getenv("APICOMPAT_THREADS");
    if (e && !strcmp(e, "1")) return false;
    if (ac_git_is_spec(oldp) || ac_git_is_spec(newp)) return false;
    if (input_problem(oldp) || input_problem(newp)) return false; /* reported in order, one after the other */
    ac_status st;
    ac_status_init(&st);
    ac_format fo, fn;
    return !input_format(oldp, &fo, &st) && !input_format(newp, &fn, &st) && fo == AC_FMT_PROTO && fn == AC_FMT_PROTO;
}

/* What a missing side is compared as: a contract with nothing in it. */
static ac_contract *empty_contract(ac_format format, const char *source)
{
    ac_contract *c = ac_contract_new(format, source);
    if (format == AC_FMT_OPENAPI) c->oas = ac_arena_alloc(c->arena, sizeof *c->oas);
    return c;
}

/* PATH of git:REF:PATH, or the input itself. */
static const char *spec_path(const char *input)
{
    if (!ac_git_is_spec(input)) return input;
    const char *colon = strchr(input + 4, ':');
    return colon ? colon + 1 : input;
}

static bool same_path(ac_arena *a, const char *oldp, const char *newp)
{
    const char *x = spec_path(oldp), *y = spec_path(newp);
    const char *cx = ac_path_clean(a, *x ? x : "."), *cy = ac_path_clean(a, *y ? y : ".");
    return cx && cy ? !strcmp(cx, cy) : !strcmp(x, y);
}

/* Where an input is read from, for a message: "at REF" or "in the working tree". */
static const char *side_name(ac_arena *a, const char *input)
{
    if (!ac_git_is_spec(input)) return "in the working tree";
    const char *colon = strchr(input + 4, ':');
    return ac_arena_printf(a, "at %.*s", colon ? (int)(colon - input - 4) : (int)strlen(input + 4), input + 4);
}

static int load_sides(const options *o, const char *oldp, const char *newp, pair_run *r, ac_sha256 *od, ac_sha256 *nd,
                      ac_status *st)
{
    const ac_buf_config **oldcfg = &r->oldcfg, **newcfg = &r->newcfg;
    pthread_t t;
    load_job old = {oldp, o, od, NULL, NULL, {0}, 0};
    ac_status_init(&old.st);
    if (load_in_parallel(oldp, newp) && pthread_create(&t, NULL, load_job_run, &old) == 0) {
        ac_status nst;
        ac_status_init(&nst);
        int nrc = load_local(newp, o, nd, &r->new, newcfg, &nst);
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
    /* the same path on both sides (--against): a side where it is missing was added or deleted */
    bool same = same_path(r->arena, oldp, newp), old_missing, new_missing;
    int rc = load_input(oldp, o, od, r->arena, &r->old, oldcfg, &old_missing, st);
    if (rc && !(same && old_missing)) return rc;
    if (rc) ac_status_init(st);
    rc = load_input(newp, o, nd, r->arena, &r->new, newcfg, &new_missing, st);
    if (rc && !(same && new_missing)) return rc;
    if (rc) ac_status_init(st);
    if (old_missing && new_missing && !ac_git_is_spec(oldp) && !ac_git_is_spec(newp))
        return ac_fail_path(st, newp, "no such file or directory");
    if (old_missing && new_missing)
        return ac_fail_path(st, spec_path(newp), "\"%s\" exists neither %s nor %s", spec_path(newp), side_name(r->arena, oldp),
                            side_name(r->arena, newp));
    /* an added contract is compared with an empty one (its additions), a deleted one likewise */
    /* an absent side hashes apart from any contract */
    if (old_missing && od) ac_sha256_part(od, "absent", 6);
    if (new_missing && nd) ac_sha256_part(nd, "absent", 6);
    if (old_missing) r->old = empty_contract(r->new->format, oldp);
    if (new_missing) r->new = empty_contract(r->old->format, newp);
    return AC_OK;
}

/* The ref_root of the configuration the pair uses (o->config: the pair's, --config, or the one
 * found), read before the contracts since it decides where their $refs may reach.  A configuration
 * that cannot be read is left to build_policy, which says what is wrong with it. */
static int config_ref_root(const options *o, ac_arena *a, const char **out, ac_status *st)
{
    *out = NULL;
    const char *path = o->config ? o->config : ac_config_find(a);
    if (!path) return AC_OK;
    if (!ac_git_is_spec(path)) {
        if (!ac_fs_allowed(path) || access(path, R_OK) != 0 || ac_is_buf_config(path)) return AC_OK;
        return ac_config_ref_root(a, path, out, st);
    }
    int here;
    const char *inner;
    bool missing = false;
    if (git_enter(path, NULL, a, &here, &inner, &missing, st)) {
        if (!missing) return AC_ERROR;
        ac_status_init(st); /* absent at the revision: the default policy */
        return AC_OK;
    }
    /* inside the copy the working directory mirrors the user's, so the path holds outside it too */
    int rc = access(inner, R_OK) == 0 && !ac_is_buf_config(inner) ? ac_config_ref_root(a, inner, out, st) : AC_OK;
    return git_leave(here, rc, st);
}

int ac_pair_load(const options *o, const char *oldp, const char *newp, const char *config, bool digest, pair_run *r,
                 ac_status *st)
{
    ac_policy_init(&r->policy);
    ac_findings_init(&r->fs);
    r->arena = ac_arena_new();
    r->oldcfg = r->newcfg = NULL;
    options local = *o;
    if (config) local.config = config;
    if (!o->ref_root && config_ref_root(&local, r->arena, &local.ref_root, st)) return AC_ERROR;
    /* "." and "./" (and "dir" and "dir/") are one input */
    if (!ac_git_is_spec(oldp)) oldp = ac_path_trim(r->arena, oldp);
    if (!ac_git_is_spec(newp)) newp = ac_path_trim(r->arena, newp);
    ac_sha256 od, nd;
    ac_sha256_init(&od);
    ac_sha256_init(&nd);
    int rc = load_sides(&local, oldp, newp, r, digest ? &od : NULL, digest ? &nd : NULL, st);
    if (!rc && digest) {
        ac_sha256_final(&od, r->old_digest);
        ac_sha256_final(&nd, r->new_digest);
    }
    return rc;
}

int ac_pair_compare(const options *o, const char *config, bool defer_meta, pair_run *r, ac_status *st)
{
    options local = *o;
    if (config) local.config = config;
    r->policy.defer_meta = defer_meta;
    int rc = build_policy(&local, r->newcfg, r->oldcfg, &r->policy, st);
    if (!rc) rc = check_loosened(&local, &r->policy, st);
    if (!rc) rc = ac_compat_check(r->old, r->new, &r->policy, &r->fs, st);
    if (!rc && ac_wants_proofs(o)) ac_compat_prove(r->old, r->new, &r->fs);
    return rc;
}

int ac_pair_check(const options *o, const char *oldp, const char *newp, const char *config, bool defer_meta, pair_run *r,
                  ac_status *st)
{
    int rc = ac_pair_load(o, oldp, newp, config, false, r, st);
    return rc ? rc : ac_pair_compare(o, config, defer_meta, r, st);
}

bool ac_wants_proofs(const options *o)
{
    if (o->no_proofs) return false;
    /* only where a report shows them: JSON, SARIF, Markdown (a step summary too), text --explain */
    if (o->format == FMT_JSON || o->format == FMT_SARIF || o->format == FMT_MARKDOWN || o->explain) return true;
    if (o->json_file || o->sarif_file || o->summary_file) return true;
    return o->format == FMT_GITHUB && getenv("GITHUB_STEP_SUMMARY") && *getenv("GITHUB_STEP_SUMMARY");
}

void ac_pairs_merge(pair_run *runs, size_t n, ac_findings *all, const char *const *groups)
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

void ac_group_error(const options *o, ac_arena *a, const char *prefix, const char *name, const ac_status *ps, ac_report_group *g)
{
    char *msg = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&msg, &len);
    if (m) {
        ac_status_print(ps, m);
        fclose(m);
    }
    if (msg && len && msg[len - 1] == '\n') msg[len - 1] = 0;
    g->error = ac_arena_strdup(a, msg ? msg : "could not be checked");
    g->error_path = ps->path[0] ? ac_arena_strdup(a, ps->path) : NULL;
    g->error_line = ps->line;
    g->exit_code = AC_ERROR;
    free(msg);
    fputs(prefix, stderr);
    ac_esc_line(stderr, name);
    fputs(": ", stderr);
    ac_status_print(ps, stderr);
    if (o->format == FMT_GITHUB) {
        /* the annotation names the pair or version */
        ac_status named = *ps;
        snprintf(named.msg, sizeof named.msg, "%s%.200s: %.800s", prefix, name, ps->msg);
        ac_status_print_github(&named, stdout);
    }
}
