/* apicompat.yaml: one configuration for protobuf and OpenAPI, validated strictly.  Every mistake is
 * an error that names the file, line and column: a configuration that silently means something
 * else than what was written is worse than none. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "compat/base/limits.h"
#include "cmd/config.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat/base/fs.h"
#include "compat/base/doc.h"
#include "proto/bufyaml.h"

/* Bounds on an ignore's path glob: matching costs at most its length times the path's. */
enum { MAX_GLOB_WILDCARDS = 64, MAX_GLOB_BYTES = 1024 };

/* A string or a list of strings, as positioned config strings. */
static int str_list(ac_arena *a, ac_status *st, const ac_doc *d, ac_doc_node *n, const char *what, ac_cfg_str **out,
                    size_t *nout)
{
    size_t cnt = n->type == AC_DOC_SEQ ? n->n : 1;
    ac_cfg_str *v = ac_arena_alloc(a, (cnt ? cnt : 1) * sizeof *v);
    *nout = 0;
    for (size_t i = 0; i < cnt; i++) {
        ac_doc_node *it = n->type == AC_DOC_SEQ ? n->items[i] : n;
        if (it->type != AC_DOC_STRING)
            return ac_doc_fail_at(st, d, it, "%s must be a string or a list of strings, found a %s", what, ac_doc_type_name(it->type));
        v[(*nout)++] = (ac_cfg_str){it->str, d->path, it->line, it->col};
    }
    *out = v;
    return AC_OK;
}

static int level_of(ac_status *st, const ac_doc *d, ac_doc_node *n, const char *what, int *out)
{
    int lv = n->type == AC_DOC_STRING ? ac_severity_parse(n->str) : -2;
    if (lv == -2)
        return ac_doc_fail_at(st, d, n, "%s must be error, warning, info or off, found %s%s%s", what,
                       n->type == AC_DOC_STRING ? "\"" : "a ", n->type == AC_DOC_STRING ? n->str : ac_doc_type_name(n->type),
                       n->type == AC_DOC_STRING ? "\"" : "");
    *out = lv;
    return AC_OK;
}

static int int_of(ac_status *st, const ac_doc *d, ac_doc_node *n, const char *what, int *out)
{
    if (n->type != AC_DOC_NUMBER || n->num < 0 || n->num > 100000 || n->num != (double)(int)n->num)
        return ac_doc_fail_at(st, d, n, "%s must be a whole number of days (0 to 100000)", what);
    *out = (int)n->num;
    return AC_OK;
}

static int compile_re(ac_status *st, const ac_doc *d, ac_doc_node *n, const char *what, void **out)
{
    if (n->type != AC_DOC_STRING) return ac_doc_expect(st, d, n, AC_DOC_STRING, what);
    int err;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)n->str, n->len, 0, &err, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        return ac_fail(st, d->path, n->line, n->col, "%s is not a valid regular expression: %s at character %zu", what,
                       (const char *)msg, (size_t)off + 1);
    }
    *out = re;
    return AC_OK;
}

/* The rule IDs (or protobuf categories) an ignore names, as a bitmap. */
static int rule_set(ac_policy *p, ac_status *st, const ac_doc *d, ac_doc_node *n, uint8_t **out)
{
    ac_cfg_str *ids;
    size_t nids;
    if (str_list(p->arena, st, d, n, "rule", &ids, &nids)) return AC_ERROR;
    uint8_t *set = ac_arena_alloc(p->arena, ac_nrules);
    for (size_t i = 0; i < nids; i++) {
        /* a rule of any version (an ignore may outlive a buf_version change), else a category */
        int r = ac_rule_find(ids[i].s);
        if (r >= 0) set[r] = 1;
        else if (ac_policy_rules_named(p, set, ids[i].s))
            return ac_fail(st, d->path, ids[i].line, ids[i].col, "unknown rule \"%s\" (see `apicompat rules`)", ids[i].s);
    }
    *out = set;
    return AC_OK;
}

static int read_ignores(ac_policy *p, ac_status *st, const ac_doc *d, ac_doc_node *list)
{
    if (list->type == AC_DOC_NULL) return AC_OK;
    if (ac_doc_expect(st, d, list, AC_DOC_SEQ, "ignore")) return AC_ERROR;
    static const char *const keys[] = {"rule", "path", "element", "operation", "reason", "until", NULL};
    for (size_t i = 0; i < list->n; i++) {
        ac_doc_node *e = list->items[i];
        if (ac_doc_expect(st, d, e, AC_DOC_MAP, "each ignore")) return AC_ERROR;
        if (ac_doc_check_keys(st, d, e, "an ignore", keys)) return AC_ERROR;
        ac_doc_node *reason = ac_doc_get(e, "reason");
        if (!reason) return ac_doc_fail_at(st, d, e, "an ignore needs a \"reason\": say why the change is accepted");
        if (reason->type != AC_DOC_STRING)
            return ac_doc_fail_at(st, d, reason, "reason must be a string, found a %s", ac_doc_type_name(reason->type));
        if (!reason->len) return ac_doc_fail_at(st, d, reason, "reason is empty: say why the change is accepted");
        ac_doc_node *rule = ac_doc_get(e, "rule"), *path = ac_doc_get(e, "path"), *element = ac_doc_get(e, "element"),
                    *operation = ac_doc_get(e, "operation"), *until = ac_doc_get(e, "until");
        if (!rule && !path && !element && !operation)
            return ac_doc_fail_at(st, d, e, "an ignore needs at least one of rule, path, element, operation (it would ignore everything)");
        ac_ignore *g = ac_policy_add_ignore(p);
        g->reason = ac_arena_strdup(p->arena, reason->str);
        g->file = ac_arena_strdup(p->arena, d->path);
        g->line = e->line;
        g->col = e->col;
        /* an empty selector would select everything, getting round the rule above */
        ac_doc_node *sel[] = {rule, path, element, operation};
        const char *const seln[] = {"rule", "path", "element", "operation"};
        for (int k = 0; k < 4; k++)
            if (sel[k] && ((sel[k]->type == AC_DOC_STRING && !sel[k]->len) || (sel[k]->type == AC_DOC_SEQ && !sel[k]->n) ||
                           sel[k]->type == AC_DOC_NULL))
                return ac_doc_fail_at(st, d, sel[k], "%s is empty; leave it out or name what to ignore%s", seln[k],
                               k == 1 ? " (\"**\" matches every file)" : "");
        if (rule && rule_set(p, st, d, rule, &g->rules)) return AC_ERROR;
        if (path) {
            if (ac_doc_expect(st, d, path, AC_DOC_STRING, "path")) return AC_ERROR;
            size_t stars = 0;
            for (const char *c = path->str; *c; c++) stars += (*c == '*' && c[1] != '*') || *c == '?'; /* "**" is one */
            if (stars > MAX_GLOB_WILDCARDS || strlen(path->str) > MAX_GLOB_BYTES)
                return ac_doc_fail_at(st, d, path, "path glob is too complex (at most %d wildcards and %d bytes)",
                               MAX_GLOB_WILDCARDS, MAX_GLOB_BYTES);
            g->path_glob = ac_arena_strdup(p->arena, path->str);
        }
        if (element && compile_re(st, d, element, "element", &g->element_re)) return AC_ERROR;
        if (operation && compile_re(st, d, operation, "operation", &g->operation_re)) return AC_ERROR;
        if (element) g->element_src = element->str;
        if (operation) g->operation_src = operation->str;
        if (until) {
            const char *u = until->type == AC_DOC_STRING ? until->str : NULL;
            if (!u || strlen(u) != 10 || (g->until = ac_parse_date(u)) < 0)
                return ac_doc_fail_at(st, d, until, "until must be a real date written YYYY-MM-DD, found %s%s%s", u ? "\"" : "a ",
                               u ? u : ac_doc_type_name(until->type), u ? "\"" : "");
        }
    }
    return AC_OK;
}

/* oasdiff's severity-levels file: "<check-id> <level>" per line (err, warn, info, none). */
int ac_config_oasdiff_levels(ac_policy *p, const char *path, ac_status *st)
{
    char *text;
    size_t len;
    if (ac_read_file(p->arena, path, &text, &len, AC_LIMIT_CONFIG_BYTES, st)) return AC_ERROR;
    unsigned line = 0;
    for (char *s = text, *e; s && *s; s = e ? e + 1 : NULL) {
        e = strchr(s, '\n');
        if (e) *e = 0;
        line++;
        char id[256], lv[32];
        const char *t = s + strspn(s, " \t");
        if (!*t || *t == '#' || *t == '\r') continue;
        if (sscanf(t, "%255s %31s", id, lv) != 2)
            return ac_fail(st, path, line, 1, "expected \"<check-id> <level>\" (levels: err, warn, info, none)");
        int r = ac_rule_find(id);
        if (r < 0) return ac_fail(st, path, line, (unsigned)(t - s) + 1, "unknown check \"%s\"", id);
        int level = !strcasecmp(lv, "none") ? AC_SEV_OFF : ac_severity_parse(lv);
        if (level == -2)
            return ac_fail(st, path, line, (unsigned)(strstr(t + strlen(id), lv) - s) + 1,
                           "unknown level \"%s\" (expected err, warn, info or none)", lv);
        p->severity[r] = (int8_t)level;
    }
    return AC_OK;
}

/* oasdiff's err-ignore / warn-ignore files: "<METHOD> <path> <change text>" per line. */
int ac_config_oasdiff_ignore(ac_policy *p, const char *path, int level, ac_status *st)
{
    char *text;
    size_t len;
    if (ac_read_file(p->arena, path, &text, &len, AC_LIMIT_CONFIG_BYTES, st)) return AC_ERROR;
    unsigned line = 0;
    for (char *s = text, *e; s && *s; s = e ? e + 1 : NULL) {
        e = strchr(s, '\n');
        if (e) *e = 0;
        line++;
        const char *t = s + strspn(s, " \t");
        if (!*t || *t == '#' || *t == '\r') continue;
        ac_ignore *g = ac_policy_add_ignore(p);
        char *lower = ac_arena_strdup(p->arena, t);
        for (char *c = lower; *c; c++)
            if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
        g->oasdiff_line = lower;
        g->oasdiff_level = level;
        g->reason = ac_arena_printf(p->arena, "accepted in %s", path);
        g->file = ac_arena_strdup(p->arena, path);
        g->line = line;
        g->col = 1;
    }
    return AC_OK;
}

static const char *rel_to(ac_arena *a, const char *cfg, const char *file)
{
    if (file[0] == '/') return file;
    const char *slash = strrchr(cfg, '/');
    if (!slash) return file;
    return ac_path_join(a, ac_arena_strndup(a, cfg, (size_t)(slash - cfg)), file);
}

/* ref_root: the directory external $refs may reach (the default is the git repository's root), as a
 * path from the working directory.  It widens what a document may read, so it must itself stay
 * inside the directories apicompat may read: a pull request's configuration cannot open /etc. */
static int read_ref_root(ac_arena *a, const ac_doc *d, const char *path, const char **out, ac_status *st)
{
    *out = NULL;
    ac_doc_node *n = ac_doc_get(d->root, "ref_root");
    if (!n) return AC_OK;
    if (ac_doc_expect(st, d, n, AC_DOC_STRING, "ref_root")) return AC_ERROR;
    if (!*n->str) return ac_doc_fail_at(st, d, n, "ref_root is empty; leave it out or name a directory (\".\": this file's)");
    const char *dir = rel_to(a, path, n->str);
    if (!ac_fs_allowed(dir)) return ac_doc_fail_at(st, d, n, "ref_root " AC_FS_OUTSIDE);
    if (!ac_is_dir(dir)) return ac_doc_fail_at(st, d, n, "ref_root \"%s\" is not a directory (relative to this file)", n->str);
    *out = dir;
    return AC_OK;
}

int ac_config_ref_root(ac_arena *a, const char *path, const char **out, ac_status *st)
{
    char *text;
    size_t len;
    ac_doc *d;
    *out = NULL;
    if (ac_read_file(a, path, &text, &len, AC_LIMIT_CONFIG_BYTES, st) || ac_doc_parse(&d, a, path, text, len, NULL, st))
        return AC_ERROR;
    if (!d->root || d->root->type != AC_DOC_MAP) return AC_OK; /* ac_config_read says what is wrong */
    return read_ref_root(a, d, path, out, st);
}

int ac_config_read(ac_policy *p, const char *path, ac_status *st)
{
    char *text;
    size_t len;
    if (ac_read_file(p->arena, path, &text, &len, AC_LIMIT_CONFIG_BYTES, st)) return AC_ERROR;
    ac_doc *d;
    if (ac_doc_parse(&d, p->arena, path, text, len, NULL, st)) return AC_ERROR;
    ac_doc_node *root = d->root;
    if (ac_doc_expect(st, d, root, AC_DOC_MAP, "the configuration")) return AC_ERROR;
    static const char *const top[] = {"version", "fail_on", "mode", "rules", "severity", "ignore", "deprecation",
                                      "stability", "buf", "oasdiff", "ref_root", NULL};
    if (ac_doc_check_keys(st, d, root, "apicompat.yaml", top)) return AC_ERROR;
    ac_doc_node *v = ac_doc_get(root, "version");
    if (!v) return ac_doc_fail_at(st, d, root, "missing \"version: 1\" (the configuration format version)");
    if (!(v->type == AC_DOC_NUMBER && v->num == 1) && !(v->type == AC_DOC_STRING && (!strcmp(v->str, "1") || !strcmp(v->str, "v1")))) {
        if (v->type == AC_DOC_MAP || v->type == AC_DOC_SEQ || v->type == AC_DOC_NULL)
            return ac_doc_fail_at(st, d, v, "version must be 1 (or v1), found a %s", ac_doc_type_name(v->type));
        return ac_doc_fail_at(st, d, v, "unknown configuration version \"%s\" (expected 1)", v->str ? v->str : "");
    }
    p->source = ac_arena_strdup(p->arena, path);
    char *abs = realpath(path, NULL);
    if (abs) {
        char *slash = strrchr(abs, '/');
        if (slash) *slash = 0;
        p->root_abs = ac_arena_strdup(p->arena, *abs ? abs : "/");
        free(abs);
    }
    const char *ref_root; /* validated here too (config check); the loaders read it first (ac_config_ref_root) */
    if (read_ref_root(p->arena, d, path, &ref_root, st)) return AC_ERROR;
    ac_doc_node *n;
    /* a buf.yaml first: the rules and ignores of its breaking section, then what this file says */
    if ((n = ac_doc_get(root, "buf"))) {
        if (ac_doc_expect(st, d, n, AC_DOC_STRING, "buf")) return AC_ERROR;
        const char *bp = rel_to(p->arena, path, n->str);
        ac_buf_config *bc;
        if (!ac_fs_allowed(bp)) return ac_doc_fail_at(st, d, n, "buf configuration " AC_FS_OUTSIDE);
        const char *why = ac_file_problem(bp);
        if (why) return ac_doc_fail_at(st, d, n, "buf configuration \"%s\": %s", bp, why);
        if (ac_buf_config_read_file(p->arena, bp, &bc, st) || ac_buf_config_policy(bc, p, st)) return AC_ERROR;
    }
    if ((n = ac_doc_get(root, "fail_on")) && level_of(st, d, n, "fail_on", &p->fail_on)) return AC_ERROR;
    if ((n = ac_doc_get(root, "mode"))) {
        unsigned mode = n->type == AC_DOC_STRING ? ac_mode_parse(n->str) : 0;
        if (!mode)
            return ac_doc_fail_at(st, d, n, "mode must be backward, forward or full, found %s%s%s",
                                  n->type == AC_DOC_STRING ? "\"" : "a ", n->type == AC_DOC_STRING ? n->str : ac_doc_type_name(n->type),
                                  n->type == AC_DOC_STRING ? "\"" : "");
        p->mode = mode;
    }
    if ((n = ac_doc_get(root, "rules"))) {
        if (ac_doc_expect(st, d, n, AC_DOC_MAP, "rules")) return AC_ERROR;
        static const char *const keys[] = {"rule_set", "use", "except", "buf_version", NULL};
        if (ac_doc_check_keys(st, d, n, "rules", keys)) return AC_ERROR;
        ac_doc_node *bv = ac_doc_get(n, "buf_version"), *rs = ac_doc_get(n, "rule_set");
        if (rs) {
            int set = rs->type == AC_DOC_STRING ? ac_rule_set_find(rs->str) : -1;
            if (set < 0)
                return ac_doc_fail_at(st, d, rs,
                                      "rule_set must be backward-compatible, wire-compatible, wire-json-compatible, package or "
                                      "strict, found %s%s%s",
                                      rs->type == AC_DOC_STRING ? "\"" : "a ", rs->type == AC_DOC_STRING ? rs->str : ac_doc_type_name(rs->type),
                                      rs->type == AC_DOC_STRING ? "\"" : "");
            p->rule_set = (ac_rule_set)set;
        }
        if (bv) {
            if (bv->type == AC_DOC_STRING && !strcmp(bv->str, "v1beta1")) p->version = AC_BUF_V1BETA1;
            else if (bv->type == AC_DOC_STRING && !strcmp(bv->str, "v1")) p->version = AC_BUF_V1;
            else if (bv->type == AC_DOC_STRING && !strcmp(bv->str, "v2")) p->version = AC_BUF_V2;
            else return ac_doc_fail_at(st, d, bv, "buf_version must be v1beta1, v1 or v2");
        }
        ac_cfg_str *use = NULL, *except = NULL;
        size_t nuse = 0, nexcept = 0;
        ac_doc_node *u = ac_doc_get(n, "use"), *x = ac_doc_get(n, "except");
        if (u && str_list(p->arena, st, d, u, "use", &use, &nuse)) return AC_ERROR;
        if (x && str_list(p->arena, st, d, x, "except", &except, &nexcept)) return AC_ERROR;
        p->cfg_except = except;
        p->ncfg_except = nexcept;
        /* a rule set, or another buf version, starts the selection over; `use` then replaces it in the
         * formats it names, and `except` takes rules out */
        for (size_t k = 0; k < p->nmodules; k++) {
            ac_policy_module *m = &p->modules[k];
            if (rs || bv) ac_policy_reset(p, m, AC_FMT_PROTO | AC_FMT_OPENAPI);
            if (ac_policy_select(p, m, use, nuse, except, nexcept, st)) return AC_ERROR;
        }
    }
    if ((n = ac_doc_get(root, "severity"))) {
        if (ac_doc_expect(st, d, n, AC_DOC_MAP, "severity")) return AC_ERROR;
        for (size_t i = 0; i < n->n; i++) {
            ac_doc_node *k = n->pairs[i].key;
            int r = ac_rule_find(k->str);
            if (r < 0) return ac_doc_fail_at(st, d, k, "unknown rule \"%s\" (see `apicompat rules`)", k->str);
            int lv;
            if (level_of(st, d, n->pairs[i].value, "a severity", &lv)) return AC_ERROR;
            p->severity[r] = (int8_t)lv;
        }
    }
    if ((n = ac_doc_get(root, "deprecation"))) {
        if (ac_doc_expect(st, d, n, AC_DOC_MAP, "deprecation")) return AC_ERROR;
        static const char *const keys[] = {"days", "beta_days", "stable_days", NULL};
        if (ac_doc_check_keys(st, d, n, "deprecation", keys)) return AC_ERROR;
        ac_doc_node *x;
        if ((x = ac_doc_get(n, "days")) && int_of(st, d, x, "days", &p->deprecation_days)) return AC_ERROR;
        if ((x = ac_doc_get(n, "beta_days")) && int_of(st, d, x, "beta_days", &p->deprecation_days_beta)) return AC_ERROR;
        if ((x = ac_doc_get(n, "stable_days")) && int_of(st, d, x, "stable_days", &p->deprecation_days_stable)) return AC_ERROR;
    }
    if ((n = ac_doc_get(root, "stability"))) {
        if (ac_doc_expect(st, d, n, AC_DOC_MAP, "stability")) return AC_ERROR;
        static const char *const keys[] = {"check_from", "alpha", "beta", NULL};
        if (ac_doc_check_keys(st, d, n, "stability", keys)) return AC_ERROR;
        /* protobuf, AIP-181: the highest level of findings in alpha and beta packages; "off" would
         * hide them, which is what an ignore (with its reason) is for */
        static const char *const caps[] = {"alpha", "beta"};
        for (int i = 0; i < 2; i++) {
            ac_doc_node *c = ac_doc_get(n, caps[i]);
            if (!c) continue;
            int lv = c->type == AC_DOC_STRING ? ac_severity_parse(c->str) : -2;
            if (lv < AC_SEV_INFO)
                return ac_doc_fail_at(st, d, c,
                                      "stability.%s must be error, warning or info (the highest level of findings in %s "
                                      "packages; to hide them, use an ignore), found %s%s%s",
                                      caps[i], caps[i], c->type == AC_DOC_STRING ? "\"" : "a ",
                                      c->type == AC_DOC_STRING ? c->str : ac_doc_type_name(c->type),
                                      c->type == AC_DOC_STRING ? "\"" : "");
            p->stability_cap[i] = (int8_t)lv;
        }
        ac_doc_node *x = ac_doc_get(n, "check_from");
        if (x) {
            static const char *const levels[] = {"draft", "alpha", "beta", "stable"};
            int found = -1;
            for (int i = 0; i < 4 && x->type == AC_DOC_STRING; i++)
                if (!strcmp(x->str, levels[i])) found = i;
            if (found < 0) return ac_doc_fail_at(st, d, x, "check_from must be draft, alpha, beta or stable");
            p->stability_from = found;
        }
    }
    if ((n = ac_doc_get(root, "oasdiff"))) {
        if (ac_doc_expect(st, d, n, AC_DOC_MAP, "oasdiff")) return AC_ERROR;
        static const char *const keys[] = {"severity_levels", "err_ignore", "warn_ignore", NULL};
        if (ac_doc_check_keys(st, d, n, "oasdiff", keys)) return AC_ERROR;
        for (size_t i = 0; i < n->n; i++) {
            ac_doc_node *x = n->pairs[i].value;
            if (ac_doc_expect(st, d, x, AC_DOC_STRING, n->pairs[i].key->str)) return AC_ERROR;
            const char *f = rel_to(p->arena, path, x->str);
            if (!ac_fs_allowed(f)) return ac_doc_fail_at(st, d, x, "file " AC_FS_OUTSIDE);
            const char *why = ac_file_problem(f);
            if (why) return ac_doc_fail_at(st, d, x, "file \"%s\": %s", f, why);
            const char *k = n->pairs[i].key->str;
            int rc = !strcmp(k, "severity_levels") ? ac_config_oasdiff_levels(p, f, st)
                                                   : ac_config_oasdiff_ignore(p, f, !strcmp(k, "err_ignore") ? AC_SEV_ERROR : AC_SEV_WARN, st);
            if (rc) return rc;
        }
    }
    if ((n = ac_doc_get(root, "ignore")) && read_ignores(p, st, d, n)) return AC_ERROR;
    return AC_OK;
}

const char *ac_config_find(ac_arena *a)
{
    /* the current directory, then each parent up to the repository's root */
    char *dir = ac_arena_strdup(a, ".");
    for (int up = 0; up < 64; up++) {
        const char *names[] = {"apicompat.yaml", ".apicompat.yaml", "apicompat.yml"};
        for (size_t i = 0; i < 3; i++) {
            char *f = ac_path_join(a, dir, names[i]);
            if (ac_path_exists(f)) return f; /* even if it cannot be read: that is an error, not "no config" */
        }
        if (ac_is_dir(ac_path_join(a, dir, ".git"))) break;
        char *parent = ac_path_join(a, dir, "..");
        char *rp = realpath(parent, NULL), *rd = realpath(dir, NULL);
        bool top = !rp || !rd || !strcmp(rp, rd);
        free(rp);
        free(rd);
        if (top) break;
        dir = parent;
    }
    return NULL;
}

/* ---- batch manifests ------------------------------------------------------------------------------ */

int ac_manifest_read(ac_arena *a, const char *path, ac_batch_pair **out, size_t *nout, ac_status *st)
{
    char *text;
    size_t len;
    if (ac_read_file(a, path, &text, &len, AC_LIMIT_CONFIG_BYTES, st)) return AC_ERROR;
    ac_doc *d;
    if (ac_doc_parse(&d, a, path, text, len, NULL, st)) return AC_ERROR;
    ac_doc_node *root = d->root;
    if (ac_doc_expect(st, d, root, AC_DOC_MAP, "the manifest")) return AC_ERROR;
    static const char *const top[] = {"version", "pairs", NULL};
    if (ac_doc_check_keys(st, d, root, "the manifest", top)) return AC_ERROR;
    ac_doc_node *v = ac_doc_get(root, "version");
    if (!v) return ac_doc_fail_at(st, d, root, "missing \"version: 1\" (the manifest format version)");
    if (!(v->type == AC_DOC_NUMBER && v->num == 1) && !(v->type == AC_DOC_STRING && (!strcmp(v->str, "1") || !strcmp(v->str, "v1"))))
        return ac_doc_fail_at(st, d, v, "unknown manifest version \"%s\" (expected 1)", v->str ? v->str : "");
    ac_doc_node *pairs = ac_doc_get(root, "pairs");
    if (!pairs) return ac_doc_fail_at(st, d, root, "missing \"pairs\": the contracts to compare");
    if (ac_doc_expect(st, d, pairs, AC_DOC_SEQ, "pairs")) return AC_ERROR;
    if (!pairs->n) return ac_doc_fail_at(st, d, pairs, "pairs is empty: nothing to check");
    ac_batch_pair *v_out = ac_arena_alloc(a, pairs->n * sizeof *v_out);
    static const char *const keys[] = {"name", "old", "new", "against", "config", NULL};
    for (size_t i = 0; i < pairs->n; i++) {
        ac_doc_node *e = pairs->items[i];
        if (ac_doc_expect(st, d, e, AC_DOC_MAP, "a pair") || ac_doc_check_keys(st, d, e, "a pair", keys)) return AC_ERROR;
        ac_batch_pair *p = &v_out[i];
        memset(p, 0, sizeof *p);
        p->file = d->path;
        p->line = e->line;
        p->col = e->col;
        const char *const names[] = {"name", "old", "new", "against", "config"};
        const char **fields[] = {&p->name, &p->old, &p->new, &p->against, &p->config};
        for (size_t k = 0; k < 5; k++) {
            ac_doc_node *n = ac_doc_get(e, names[k]);
            if (!n) continue;
            if (n->type != AC_DOC_STRING || !*n->str)
                return ac_doc_fail_at(st, d, n, "%s must be a non-empty string, found a %s", names[k], ac_doc_type_name(n->type));
            *fields[k] = n->str;
        }
        if (!p->new) return ac_doc_fail_at(st, d, e, "a pair needs \"new\" (the contract as it is now)");
        if (!p->old == !p->against)
            return ac_doc_fail_at(st, d, e, "a pair needs exactly one of \"old\" (a path or git:REF:PATH) and \"against\" (a git revision)");
        if (!p->name) p->name = p->new;
        for (size_t k = 0; k < i; k++)
            if (!strcmp(v_out[k].name, p->name))
                return ac_doc_fail_at(st, d, ac_doc_get(e, "name") ? ac_doc_get(e, "name") : e,
                               "two pairs are named \"%s\" (line %u): give each a unique name", p->name, v_out[k].line);
    }
    *out = v_out;
    *nout = pairs->n;
    return AC_OK;
}
