#include "compat/base/limits.h"
#include "proto/bufyaml.h"

#include <string.h>

#include "compat/base/fs.h"

static int string_list(ac_arena *a, ac_status *st, const ac_doc *d, ac_doc_node *n, const char *what, ac_cfg_str **out,
                       size_t *nout)
{
    if (n->type == AC_DOC_NULL) {
        *out = NULL;
        *nout = 0;
        return AC_OK;
    }
    if (ac_doc_expect(st, d, n, AC_DOC_SEQ, what)) return AC_ERROR;
    ac_cfg_str *v = ac_arena_alloc(a, (n->n ? n->n : 1) * sizeof *v);
    for (size_t i = 0; i < n->n; i++) {
        ac_doc_node *it = n->items[i];
        if (it->type != AC_DOC_STRING)
            return ac_fail(st, d->path, it->line, it->col, "each entry of %s must be a string, found a %s", what,
                           ac_doc_type_name(it->type));
        v[i] = (ac_cfg_str){it->str, d->path, it->line, it->col};
    }
    *out = v;
    *nout = n->n;
    return AC_OK;
}

static int parse_version(const ac_doc *d, ac_status *st, ac_buf_version *v, bool work)
{
    ac_doc_node *n = ac_doc_get(d->root, "version");
    if (!n) {
        *v = AC_BUF_V1;
        return AC_OK;
    }
    if (n->type == AC_DOC_STRING) {
        if (!strcmp(n->str, "v1beta1") && !work) *v = AC_BUF_V1BETA1;
        else if (!strcmp(n->str, "v1")) *v = AC_BUF_V1;
        else if (!strcmp(n->str, "v2") && !work) *v = AC_BUF_V2;
        else goto bad;
        return AC_OK;
    }
bad:
    return ac_fail(st, d->path, n->line, n->col, "unknown version \"%s\" (expected %s)", n->str ? n->str : "",
                   work ? "v1" : "v1beta1, v1 or v2");
}

static int load_doc(ac_arena *a, const char *path, const ac_doc **out, ac_status *st)
{
    char *text;
    size_t len;
    if (!ac_fs_allowed(path)) return ac_fail(st, path, 0, 0, "configuration " AC_FS_OUTSIDE);
    if (ac_read_file(a, path, &text, &len, AC_LIMIT_CONFIG_BYTES, st)) return AC_ERROR;
    ac_doc *d;
    if (ac_doc_parse(&d, a, path, text, len, NULL, st)) return AC_ERROR;
    if (d->root->type != AC_DOC_MAP)
        return ac_fail(st, path, d->root->line, d->root->col, "expected a map at the top of the file, found a %s",
                       ac_doc_type_name(d->root->type));
    *out = d;
    return AC_OK;
}

static int excludes_of(ac_arena *a, ac_status *st, const ac_doc *d, ac_doc_node *build_or_module, const char *prefix,
                       ac_buf_module *m)
{
    ac_doc_node *ex = ac_doc_get(build_or_module, "excludes");
    if (!ex) return AC_OK;
    ac_cfg_str *v;
    size_t n;
    if (string_list(a, st, d, ex, "excludes", &v, &n)) return AC_ERROR;
    m->excludes = ac_arena_alloc(a, (n ? n : 1) * sizeof *m->excludes);
    for (size_t i = 0; i < n; i++) {
        char *c = ac_path_clean(a, ac_path_join(a, prefix, v[i].s));
        if (!c) return ac_fail(st, d->path, v[i].line, v[i].col, "exclude \"%s\" leaves the module", v[i].s);
        m->excludes[i] = c;
    }
    m->nexcludes = n;
    return AC_OK;
}

/* buf refuses keys it does not know; so do we, so a typo never silently means "defaults". */
static int check_top_keys(ac_status *st, const ac_doc *d, ac_buf_version v, bool work)
{
    static const char *const v1[] = {"version", "name", "deps", "build", "breaking", "lint", NULL};
    static const char *const v2[] = {"version", "modules", "deps", "lint", "breaking", "plugins", "policies", NULL};
    static const char *const w[] = {"version", "directories", NULL};
    const char *const *keys = work ? w : v == AC_BUF_V2 ? v2 : v1;
    return ac_doc_check_keys(st, d, d->root, NULL, keys);
}

/* YAML 1.1 booleans too (yes/no/on/off), as buf's YAML reader accepts them for boolean settings. */
static int cfg_bool(ac_status *st, const ac_doc *d, ac_doc_node *n, const char *what, bool *out)
{
    if (n->type == AC_DOC_BOOL) {
        *out = n->b;
        return AC_OK;
    }
    if (n->type == AC_DOC_STRING) {
        static const char *const yes[] = {"yes", "Yes", "YES", "on", "On", "ON", "y", "Y"};
        static const char *const no[] = {"no", "No", "NO", "off", "Off", "OFF", "n", "N"};
        for (size_t i = 0; i < 8; i++) {
            if (!strcmp(n->str, yes[i])) {
                *out = true;
                return AC_OK;
            }
            if (!strcmp(n->str, no[i])) {
                *out = false;
                return AC_OK;
            }
        }
        return ac_fail(st, d->path, n->line, n->col, "%s must be true or false, found \"%s\"", what, n->str);
    }
    return ac_fail(st, d->path, n->line, n->col, "%s must be true or false, found a %s", what, ac_doc_type_name(n->type));
}

static int check_breaking_keys(ac_status *st, const ac_doc *d, ac_doc_node *b)
{
    if (b->type == AC_DOC_NULL) return AC_OK;
    if (ac_doc_expect(st, d, b, AC_DOC_MAP, "breaking")) return AC_ERROR;
    static const char *const keys[] = {"use", "except", "ignore", "ignore_only", "ignore_unstable_packages",
                                       "disable_builtin", NULL};
    if (ac_doc_check_keys(st, d, b, "breaking", keys)) return AC_ERROR;
    return AC_OK;
}

static int read_single(ac_arena *a, const char *dir, const char *file, ac_buf_config *cfg, ac_status *st)
{
    const ac_doc *d;
    if (load_doc(a, file, &d, st)) return AC_ERROR;
    cfg->doc = d;
    if (parse_version(d, st, &cfg->version, false)) return AC_ERROR;
    if (check_top_keys(st, d, cfg->version, false)) return AC_ERROR;
    cfg->breaking = ac_doc_get(d->root, "breaking");
    if (cfg->breaking && check_breaking_keys(st, d, (ac_doc_node *)cfg->breaking)) return AC_ERROR;
    ac_doc_node *build = ac_doc_get(d->root, "build");
    if (build && build->type != AC_DOC_NULL && ac_doc_expect(st, d, build, AC_DOC_MAP, "build")) return AC_ERROR;
    if (cfg->version == AC_BUF_V2) {
        ac_doc_node *mods = ac_doc_get(d->root, "modules");
        if (mods && mods->type != AC_DOC_NULL) {
            if (ac_doc_expect(st, d, mods, AC_DOC_SEQ, "modules")) return AC_ERROR;
            cfg->modules = ac_arena_alloc(a, (mods->n ? mods->n : 1) * sizeof *cfg->modules);
            for (size_t i = 0; i < mods->n; i++) {
                ac_doc_node *m = mods->items[i];
                if (ac_doc_expect(st, d, m, AC_DOC_MAP, "each module")) return AC_ERROR;
                ac_doc_node *p = ac_doc_get(m, "path");
                if (!p || p->type != AC_DOC_STRING)
                    return ac_fail(st, d->path, m->line, m->col, "module needs a \"path\" string");
                ac_buf_module *bm = &cfg->modules[cfg->nmodules++];
                bm->path = ac_path_clean(a, p->str);
                if (!bm->path) return ac_fail(st, d->path, p->line, p->col, "module path \"%s\" leaves the directory", p->str);
                bm->cfg_path = file;
                bm->doc = d;
                bm->version = AC_BUF_V2;
                if (excludes_of(a, st, d, m, "", bm)) return AC_ERROR;
                bm->breaking = ac_doc_get(m, "breaking");
                if (bm->breaking && check_breaking_keys(st, d, (ac_doc_node *)bm->breaking)) return AC_ERROR;
            }
        }
        if (!cfg->nmodules) {
            cfg->modules = ac_arena_alloc(a, sizeof *cfg->modules);
            cfg->modules[0] = (ac_buf_module){.path = ".", .cfg_path = file, .doc = d, .version = AC_BUF_V2};
            cfg->nmodules = 1;
        }
        return AC_OK;
    }
    if (cfg->version == AC_BUF_V1BETA1) {
        ac_doc_node *roots = build ? ac_doc_get(build, "roots") : NULL;
        ac_cfg_str *rv = NULL;
        size_t nr = 0;
        if (roots && string_list(a, st, d, roots, "roots", &rv, &nr)) return AC_ERROR;
        cfg->modules = ac_arena_alloc(a, (nr ? nr : 1) * sizeof *cfg->modules);
        ac_buf_module proto = {.cfg_path = file, .doc = d, .version = AC_BUF_V1BETA1};
        if (build && excludes_of(a, st, d, build, "", &proto)) return AC_ERROR;
        for (size_t i = 0; i < (nr ? nr : 1); i++) {
            ac_buf_module *bm = &cfg->modules[cfg->nmodules++];
            *bm = proto;
            bm->path = nr ? ac_path_clean(a, rv[i].s) : ".";
            if (!bm->path) return ac_fail(st, d->path, rv[i].line, rv[i].col, "root \"%s\" leaves the directory", rv[i].s);
        }
        return AC_OK;
    }
    cfg->modules = ac_arena_alloc(a, sizeof *cfg->modules);
    cfg->modules[0] = (ac_buf_module){.path = ".", .cfg_path = file, .doc = d, .version = AC_BUF_V1};
    cfg->nmodules = 1;
    if (build && excludes_of(a, st, d, build, "", &cfg->modules[0])) return AC_ERROR;
    (void)dir;
    return AC_OK;
}

static int read_work(ac_arena *a, const char *dir, const char *file, ac_buf_config *cfg, ac_status *st)
{
    const ac_doc *d;
    if (load_doc(a, file, &d, st)) return AC_ERROR;
    cfg->doc = d;
    if (parse_version(d, st, &cfg->version, true)) return AC_ERROR;
    if (check_top_keys(st, d, cfg->version, true)) return AC_ERROR;
    ac_doc_node *dirs = ac_doc_get(d->root, "directories");
    if (!dirs) return ac_fail(st, file, 1, 1, "buf.work.yaml needs a \"directories\" list");
    ac_cfg_str *v;
    size_t n;
    if (string_list(a, st, d, dirs, "directories", &v, &n)) return AC_ERROR;
    cfg->modules = ac_arena_alloc(a, (n ? n : 1) * sizeof *cfg->modules);
    for (size_t i = 0; i < n; i++) {
        ac_buf_module *bm = &cfg->modules[cfg->nmodules++];
        bm->path = ac_path_clean(a, v[i].s);
        if (!bm->path) return ac_fail(st, file, v[i].line, v[i].col, "directory \"%s\" leaves the workspace", v[i].s);
        bm->version = AC_BUF_V1;
        char *mdir = ac_path_join(a, dir, bm->path);
        if (!ac_is_dir(mdir)) return ac_fail(st, file, v[i].line, v[i].col, "directory \"%s\" does not exist", v[i].s);
        char *mfile = ac_path_join(a, mdir, "buf.yaml");
        if (!ac_path_exists(mfile)) mfile = ac_path_join(a, mdir, "buf.yml");
        if (ac_path_exists(mfile)) {
            ac_buf_config sub;
            memset(&sub, 0, sizeof sub);
            if (read_single(a, mdir, mfile, &sub, st)) return AC_ERROR;
            bm->breaking = sub.breaking;
            bm->cfg_path = mfile;
            bm->doc = sub.doc;
            bm->version = sub.version;
            if (sub.nmodules) {
                /* excludes of the module's own buf.yaml are relative to the module */
                bm->nexcludes = sub.modules[0].nexcludes;
                bm->excludes = ac_arena_alloc(a, (bm->nexcludes ? bm->nexcludes : 1) * sizeof *bm->excludes);
                for (size_t k = 0; k < bm->nexcludes; k++)
                    bm->excludes[k] = ac_path_join(a, bm->path, sub.modules[0].excludes[k]);
            }
        }
    }
    return AC_OK;
}

int ac_buf_config_read(ac_arena *a, const char *dir, ac_buf_config **out, ac_status *st)
{
    *out = NULL;
    ac_buf_config *cfg = ac_arena_alloc(a, sizeof *cfg);
    cfg->dir = ac_arena_strdup(a, dir);
    const char *names[] = {"buf.work.yaml", "buf.work.yml", "buf.yaml", "buf.yml"};
    for (size_t i = 0; i < 4; i++) {
        char *f = ac_path_join(a, dir, names[i]);
        if (!ac_path_exists(f)) continue;
        cfg->file = f;
        int rc = i < 2 ? read_work(a, dir, f, cfg, st) : read_single(a, dir, f, cfg, st);
        if (rc) return rc;
        *out = cfg;
        return AC_OK;
    }
    return AC_OK;
}

int ac_buf_config_read_file(ac_arena *a, const char *file, ac_buf_config **out, ac_status *st)
{
    ac_buf_config *cfg = ac_arena_alloc(a, sizeof *cfg);
    const char *slash = strrchr(file, '/');
    cfg->dir = slash ? ac_arena_strndup(a, file, (size_t)(slash - file)) : ".";
    cfg->file = ac_arena_strdup(a, file);
    if (read_single(a, cfg->dir, cfg->file, cfg, st)) return AC_ERROR;
    *out = cfg;
    return AC_OK;
}

const ac_buf_module *ac_buf_module_of(const ac_buf_config *cfg, const char *rel)
{
    const ac_buf_module *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < cfg->nmodules; i++) {
        const char *p = cfg->modules[i].path;
        size_t n = strcmp(p, ".") ? strlen(p) : 0;
        if (n && (strncmp(rel, p, n) != 0 || rel[n] != '/')) continue;
        if (!best || n > best_len) {
            best = &cfg->modules[i];
            best_len = n;
        }
    }
    return best;
}

static int apply_section(ac_arena *a, const ac_doc *d, const ac_doc_node *b, const char *prefix, ac_policy *p,
                         ac_policy_module *m, ac_status *st)
{
    ac_cfg_str *use = NULL, *except = NULL, *ignore = NULL;
    size_t nuse = 0, nexcept = 0, nignore = 0;
    ac_doc_node *n;
    if (!b || b->type == AC_DOC_NULL) return ac_policy_select(p, m, NULL, 0, NULL, 0, st);
    if ((n = ac_doc_get(b, "use")) && string_list(a, st, d, n, "use", &use, &nuse)) return AC_ERROR;
    if ((n = ac_doc_get(b, "except")) && string_list(a, st, d, n, "except", &except, &nexcept)) return AC_ERROR;
    if ((n = ac_doc_get(b, "ignore")) && string_list(a, st, d, n, "ignore", &ignore, &nignore)) return AC_ERROR;
    ac_doc_node *db = ac_doc_get(b, "disable_builtin");
    bool disable = false;
    if (db && cfg_bool(st, d, db, "disable_builtin", &disable)) return AC_ERROR;
    if (ac_policy_select(p, m, use, nuse, except, nexcept, st)) return AC_ERROR;
    if (disable && !nuse) memset(m->enabled, 0, ac_nrules);
    m->ignore = ac_arena_alloc(p->arena, (nignore ? nignore : 1) * sizeof *m->ignore);
    for (size_t i = 0; i < nignore; i++) {
        char *c = ac_path_clean(p->arena, ac_path_join(a, prefix, ignore[i].s));
        if (!c) return ac_fail(st, ignore[i].path, ignore[i].line, ignore[i].col, "ignore \"%s\" leaves the module", ignore[i].s);
        m->ignore[i] = c;
    }
    m->nignore = nignore;
    if ((n = ac_doc_get(b, "ignore_only"))) {
        if (n->type != AC_DOC_NULL && ac_doc_expect(st, d, n, AC_DOC_MAP, "ignore_only")) return AC_ERROR;
        for (size_t i = 0; n->type == AC_DOC_MAP && i < n->n; i++) {
            ac_doc_node *k = n->pairs[i].key;
            ac_cfg_str id = {k->str, d->path, k->line, k->col};
            ac_cfg_str *paths;
            size_t np;
            if (string_list(a, st, d, n->pairs[i].value, "each ignore_only entry", &paths, &np)) return AC_ERROR;
            for (size_t j = 0; j < np; j++) {
                char *c = ac_path_clean(a, ac_path_join(a, prefix, paths[j].s));
                if (!c)
                    return ac_fail(st, paths[j].path, paths[j].line, paths[j].col, "ignore_only path \"%s\" leaves the module",
                                   paths[j].s);
                if (ac_policy_ignore_only(p, m, &id, c, st)) return AC_ERROR;
            }
        }
    }
    if ((n = ac_doc_get(b, "ignore_unstable_packages")) &&
        cfg_bool(st, d, n, "ignore_unstable_packages", &m->ignore_unstable_packages))
        return AC_ERROR;
    return AC_OK;
}

int ac_buf_config_policy(const ac_buf_config *cfg, ac_policy *p, ac_status *st)
{
    ac_arena *a = p->arena;
    p->version = cfg->version;
    ac_policy_reset(p, &p->modules[0], AC_FMT_PROTO); /* the categories of this version */
    p->source = cfg->file;
    bool workspace = cfg->nmodules && cfg->modules[0].cfg_path != cfg->file;
    /* the default module: top-level section (buf.yaml), or built-in defaults (workspace) */
    if (apply_section(a, cfg->doc, workspace ? NULL : cfg->breaking, "", p, &p->modules[0], st)) return AC_ERROR;
    for (size_t i = 0; i < cfg->nmodules; i++) {
        const ac_buf_module *bm = &cfg->modules[i];
        if (cfg->version == AC_BUF_V1BETA1 || (!workspace && !bm->breaking && !strcmp(bm->path, "."))) continue;
        const char *dir = strcmp(bm->path, ".") ? bm->path : "";
        ac_policy_module *m = *dir ? ac_policy_add_module(p, dir) : &p->modules[0];
        const ac_doc_node *sec = bm->breaking ? bm->breaking : workspace ? NULL : cfg->breaking;
        /* a workspace module's paths are relative to the module; a v2 module's to buf.yaml */
        if (apply_section(a, bm->doc ? bm->doc : cfg->doc, sec, workspace ? dir : "", p, m, st)) return AC_ERROR;
    }
    return AC_OK;
}
