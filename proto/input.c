/* Resolving a protobuf input: a directory (with its buf.yaml), a .proto file, or a descriptor set. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "compat/base/limits.h"
#include "compat/base/fs.h"
#include "proto/compile.h"
#include "proto/nesting.h"
#include "proto/proto.h"

#define MAX_PROTO_FILES AC_LIMIT_PROTO_FILES
#define MAX_DESCRIPTOR_BYTES AC_LIMIT_DESCRIPTOR_BYTES

/* A file listed in the input directory may be a symbolic link: it must stay inside the directory,
 * as $refs must (else protoc would read, and quote in its errors, any file on the machine). */
static int check_link(ac_arena *a, const char *dir, const char *full, const char *display, const char **real_dir,
                      ac_status *st)
{
    struct stat sb;
    if (lstat(full, &sb) != 0 || !S_ISLNK(sb.st_mode)) return AC_OK;
    if (!*real_dir) {
        char *r = realpath(dir, NULL);
        if (!r) return ac_fail(st, dir, 0, 0, "cannot resolve the input directory: %s", strerror(errno));
        *real_dir = ac_arena_strdup(a, r);
        free(r);
    }
    char *target = realpath(full, NULL);
    size_t n = strlen(*real_dir);
    bool inside = target && !strncmp(target, *real_dir, n) && (target[n] == '/' || !strcmp(*real_dir, "/"));
    free(target);
    if (!inside) return ac_fail(st, display, 0, 0, "symbolic link leads outside the input directory");
    return AC_OK;
}

static bool excluded(const ac_buf_module *m, const char *cfg_rel)
{
    for (size_t i = 0; i < m->nexcludes; i++)
        if (ac_path_within(cfg_rel, m->excludes[i])) return true;
    return false;
}

/* --path: is this file (relative to the input directory) one of the user's chosen paths? */
static bool path_selected(const ac_proto_opts *opts, const char *rel)
{
    if (!opts || !opts->npaths) return true;
    for (size_t i = 0; i < opts->npaths; i++) {
        const char *p = opts->paths[i];
        size_t n = strlen(p);
        while (n > 1 && p[n - 1] == '/') n--;
        if (!strcmp(p, ".") || (!strncmp(rel, p, n) && (rel[n] == '/' || !rel[n]))) return true;
    }
    return false;
}

typedef struct target {
    const char *name;    /* import path */
    const char *display; /* path shown to the user */
    const char *module;  /* policy module */
} target;

static int finish(ac_contract *c, ac_strmap *targets, ac_status *st)
{
    if (targets) {
        /* locations may be converted after the working directory has changed back (git inputs) */
        char *cwd = getcwd(NULL, 0);
        for (size_t i = 0; i < c->nfiles; i++) {
            ac_pb_file *f = c->files[i];
            target *t = ac_strmap_get(targets, f->name);
            f->is_import = t == NULL;
            if (t) {
                f->display = t->display;
                f->module = t->module;
                if (cwd) ac_proto_set_source_path(f, t->display[0] == '/' ? t->display : ac_path_join(c->arena, cwd, t->display));
            }
        }
        free(cwd);
    }
    return ac_pb_link(c, st);
}

static int load_fds_file(ac_contract *c, const char *path, const char *data, size_t len, ac_status *st)
{
    if (ac_proto_load_fds(c, (const uint8_t *)data, len, path, st)) return AC_ERROR;
    return finish(c, NULL, st);
}

static int compile_and_load(ac_contract *c, ac_compile_req *req, ac_strmap *targets, ac_status *st)
{
    uint8_t *data;
    size_t len;
    /* the compiled set stays with the contract: source locations are read from it when needed */
    if (ac_compile_protos(c->arena, req, &data, &len, st)) return AC_ERROR;
    if (ac_proto_load_fds(c, data, len, req->display_root, st)) {
        /* errors about a file name it as the user knows it */
        target *t = ac_strmap_get(targets, st->path);
        if (t) snprintf(st->path, sizeof st->path, "%s", t->display);
        return AC_ERROR;
    }
    return finish(c, targets, st);
}


/* A path relative to the configuration's directory as the user names it: the input directory dir
 * is sub there. */
static const char *shown(ac_arena *a, const char *dir, const char *sub, const char *cfg_rel)
{
    size_t n = strlen(sub);
    if (!strcmp(cfg_rel, sub)) return dir;
    if (!strncmp(cfg_rel, sub, n) && cfg_rel[n] == '/') return ac_path_join(a, dir, cfg_rel + n + 1);
    char *up = ac_arena_strdup(a, "");
    for (const char *p = sub; p; p = strchr(p + 1, '/')) up = ac_arena_printf(a, "%s../", up);
    const char *t = ac_path_tidy(a, ac_path_join(a, dir, ac_arena_printf(a, "%s%s", up, cfg_rel)));
    return t ? t : ac_path_join(a, dir, ac_arena_printf(a, "%s%s", up, cfg_rel));
}

/* The buf.yaml / buf.work.yaml in a directory above dir, up to the repository's root (a directory
 * holding .git) or the file system's: *cfg_dir is that directory, *sub dir's path from it. */
static int find_config_above(ac_arena *a, const char *dir, const char **cfg_dir, const char **sub, ac_buf_config **out,
                             ac_status *st)
{
    *out = NULL;
    if (ac_path_exists(ac_path_join(a, dir, ".git"))) return AC_OK;
    char *real = realpath(dir, NULL);
    if (!real) return AC_OK;
    const char *abs = ac_arena_strdup(a, real);
    free(real);
    char *probe = ac_arena_strdup(a, abs);
    for (int up = 0; up < 64 && strcmp(probe, "/"); up++) {
        char *slash = strrchr(probe, '/');
        probe = slash == probe ? "/" : ac_arena_strndup(a, probe, (size_t)(slash - probe));
        static const char *const names[] = {"buf.yaml", "buf.yml", "buf.work.yaml"};
        bool found = false;
        for (size_t i = 0; i < 3 && !found; i++) found = ac_is_file(ac_path_join(a, probe, names[i]));
        if (found) {
            if (ac_buf_config_read(a, probe, out, st)) return AC_ERROR;
            size_t pl = strlen(probe);
            const char *rel = abs + pl + (pl > 1);
            /* a configuration whose modules do not reach dir does not apply to it */
            bool applies = false;
            for (size_t i = 0; *out && i < (*out)->nmodules && !applies; i++)
                applies = ac_path_within((*out)->modules[i].path, rel) || ac_path_within(rel, (*out)->modules[i].path);
            if (!applies) {
                *out = NULL;
                return AC_OK;
            }
            *cfg_dir = probe;
            *sub = rel;
            return AC_OK;
        }
        if (ac_path_exists(ac_path_join(a, probe, ".git"))) break;
    }
    return AC_OK;
}

static int load_dir(ac_contract *c, const char *dir, const ac_proto_opts *opts, const ac_buf_config **cfg_out,
                    ac_status *st)
{
    ac_arena *a = c->arena;
    const ac_buf_config *cfg = NULL;
    ac_buf_config *rc_cfg;
    if (ac_buf_config_read(a, dir, &rc_cfg, st)) return AC_ERROR;
    /* none in the directory: the one above it, up to the repository's root, as buf finds it; the
     * input is then the part of that workspace under dir (sub, relative to the config) */
    const char *cfg_dir = dir, *sub = "";
    if (!rc_cfg && find_config_above(a, dir, &cfg_dir, &sub, &rc_cfg, st)) return AC_ERROR;
    cfg = rc_cfg;
    ac_buf_module dflt = {.path = "."};
    const ac_buf_module *mods = cfg ? cfg->modules : &dflt;
    size_t nmods = cfg ? cfg->nmodules : 1;
    bool workspace = cfg && nmods && mods[0].cfg_path != cfg->file;

    ac_compile_req req;
    memset(&req, 0, sizeof req);
    req.protoc = opts ? opts->protoc : NULL;
    req.includes = opts ? opts->includes : NULL;
    req.nincludes = opts ? opts->nincludes : 0;
    req.display_root = dir;
    req.roots = ac_arena_alloc(a, nmods * sizeof *req.roots);
    req.roots_display = ac_arena_alloc(a, nmods * sizeof *req.roots_display);
    ac_strmap *targets = ac_arena_alloc(a, sizeof *targets);
    ac_strmap_init(targets);
    const char **files = NULL;
    size_t nfiles = 0, cap = 0;
    const char *real_dir = NULL; /* resolved when a symbolic link is met */
    int rc = AC_OK;
    for (size_t i = 0; i < nmods && !rc; i++) {
        const ac_buf_module *m = &mods[i];
        if (*sub && !ac_path_within(m->path, sub) && !ac_path_within(sub, m->path)) continue; /* not in the input */
        char *root = ac_path_join(a, cfg_dir, m->path);
        if (!ac_fs_allowed(root)) {
            rc = ac_fail(st, cfg ? cfg->file : dir, 0, 0, "module directory \"%s\" " AC_FS_OUTSIDE, m->path);
            break;
        }
        if (!ac_is_dir(root)) {
            rc = ac_fail(st, cfg ? cfg->file : dir, 0, 0, "module directory \"%s\" does not exist", m->path);
            break;
        }
        req.roots[req.nroots] = root;
        req.roots_display[req.nroots++] = *sub ? shown(a, dir, sub, m->path) : root;
        char **list;
        size_t n;
        if ((rc = ac_list_files(a, root, ".proto", &list, &n, MAX_PROTO_FILES, st))) break;
        const char *module = (cfg && (cfg->version == AC_BUF_V2 || workspace) && strcmp(m->path, ".")) ? m->path : "";
        for (size_t k = 0; k < n; k++) {
            char *cfg_rel = ac_path_join(a, m->path, list[k]);
            if (*sub && !ac_path_within(cfg_rel, sub)) continue;
            if (excluded(m, cfg_rel) || !path_selected(opts, *sub ? cfg_rel + strlen(sub) + 1 : cfg_rel)) continue;
            /* a file under a nested module belongs to that module, not this one */
            if (cfg && ac_buf_module_of(cfg, cfg_rel) != m) continue;
            target *t = ac_arena_alloc(a, sizeof *t);
            t->name = list[k];
            t->display = *sub ? shown(a, dir, sub, cfg_rel) : ac_path_join(a, root, list[k]);
            t->module = module;
            if ((rc = check_link(a, dir, t->display, t->display, &real_dir, st)) ||
                (req.protoc && (rc = ac_proto_check_nesting_file(t->display, t->display, st))))
                break;
            if (!ac_strmap_add(targets, t->name, t)) {
                rc = ac_fail(st, t->display, 0, 0, "file \"%s\" is in two modules; import paths must be unique", t->name);
                break;
            }
            if (nfiles == cap) {
                cap = cap ? cap * 2 : 64;
                files = ac_xrealloc(files, cap * sizeof *files);
            }
            files[nfiles++] = t->name;
        }
    }
    if (!rc && !nfiles)
        rc = ac_fail(st, dir, 0, 0, opts && opts->npaths ? "no .proto files under the given --path in this directory"
                                                         : "no .proto files in this directory");
    if (!rc) {
        req.files = files;
        req.nfiles = nfiles;
        rc = compile_and_load(c, &req, targets, st);
    }
    free(files);
    ac_strmap_free(targets);
    if (!rc) *cfg_out = cfg;
    return rc;
}

/* For a single .proto file: the import root is the directory of an enclosing buf.yaml module, else
 * the file's own directory. */
static int load_single(ac_contract *c, const char *path, const ac_proto_opts *opts, const ac_buf_config **cfg_out,
                       ac_status *st)
{
    ac_arena *a = c->arena;
    char *clean = ac_path_clean(a, path);
    if (!clean) clean = ac_arena_strdup(a, path);
    const char *slash = strrchr(clean, '/');
    char *fdir = slash ? ac_arena_strndup(a, clean, (size_t)(slash - clean)) : ac_arena_strdup(a, ".");
    if (slash && slash == clean) fdir = "/";
    const char *root = fdir, *name = slash ? slash + 1 : clean;
    const char *path_base = name; /* the file in fdir */
    /* the buf.yaml whose module holds this file: beside it, else above it up to the repository's root */
    ac_buf_config *cfg;
    const char *cfg_dir = fdir, *sub = "", *module = "";
    if (ac_buf_config_read(a, fdir, &cfg, st)) return AC_ERROR;
    if (!cfg && find_config_above(a, fdir, &cfg_dir, &sub, &cfg, st)) return AC_ERROR;
    if (cfg) {
        const char *rel = *sub ? ac_path_join(a, sub, name) : name;
        const ac_buf_module *m = ac_buf_module_of(cfg, rel);
        if (m) {
            root = ac_path_join(a, cfg_dir, m->path);
            name = strcmp(m->path, ".") ? rel + strlen(m->path) + 1 : rel;
            bool workspace = cfg->nmodules && cfg->modules[0].cfg_path != cfg->file;
            if ((cfg->version == AC_BUF_V2 || workspace) && strcmp(m->path, ".")) module = m->path;
        }
    }
    if (!ac_fs_allowed(root)) return ac_fail(st, path, 0, 0, "import root \"%s\" " AC_FS_OUTSIDE, root);
    ac_compile_req req;
    memset(&req, 0, sizeof req);
    req.protoc = opts ? opts->protoc : NULL;
    req.includes = opts ? opts->includes : NULL;
    req.nincludes = opts ? opts->nincludes : 0;
    req.display_root = path;
    req.roots = &root;
    req.roots_display = &root;
    req.nroots = 1;
    req.files = &name;
    req.nfiles = 1;
    ac_strmap targets;
    ac_strmap_init(&targets);
    target *t = ac_arena_alloc(a, sizeof *t);
    t->name = name;
    t->display = ac_arena_strdup(a, path);
    t->module = module;
    ac_strmap_add(&targets, name, t);
    int rc = compile_and_load(c, &req, &targets, st);
    ac_strmap_free(&targets);
    if (!rc && cfg && ac_buf_module_of(cfg, *sub ? ac_path_join(a, sub, path_base) : path_base)) *cfg_out = cfg;
    return rc;
}

int ac_proto_load_path(ac_contract **out, const char *path, const ac_proto_opts *opts, const ac_buf_config **cfg_out,
                       ac_status *st)
{
    *cfg_out = NULL;
    ac_contract *c = ac_contract_new(AC_FMT_PROTO, path);
    c->digest = opts->digest;
    c->prove = ac_proto_prove;
    c->derive_rest = ac_proto_rest_surface;
    int rc = AC_OK;
    if (ac_is_dir(path)) {
        rc = load_dir(c, path, opts, cfg_out, st);
    } else {
        char *data = NULL;
        size_t len;
        /* the bytes stay with the contract: source locations are read from them when needed.  A
         * regular file is mapped, and given back to the page cache once decoded (a finding's
         * location faults in only the pages it needs). */
        bool mapped = ac_map_file(path, &data, &len, MAX_DESCRIPTOR_BYTES);
        if (mapped) {
            c->mapped = data;
            c->mapped_len = len;
        } else {
            rc = ac_read_file(c->arena, path, &data, &len, MAX_DESCRIPTOR_BYTES, st);
        }
        if (!rc) {
            if (len == 0)
                rc = ac_fail(st, path, 0, 0, "empty file: expected .proto source or a binary descriptor set");
            else if (ac_proto_sniff_binary((const uint8_t *)data, len))
                rc = load_fds_file(c, path, data, len, st);
            else {
                rc = ac_proto_check_nesting_text(data, len, path, st);
                if (!rc) rc = load_single(c, path, opts, cfg_out, st);
            }
        }
        if (mapped) ac_unmap_hint(data, len);
    }
    if (rc) {
        ac_contract_free(c);
        return rc;
    }
    *out = c;
    return AC_OK;
}
