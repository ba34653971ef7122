/* The native front end's entry point: resolves import paths (roots, then includes, then the
 * embedded well-known types), builds the requested files with their imports, and writes the
 * FileDescriptorSet in protoc's order (each file after its dependencies). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat/base/limits.h"
#include "compat/base/fs.h"
#include "proto/native/native.h"
#include "proto/nesting.h"
#include "proto/native/nt.h"

#define MAX_SOURCE_BYTES AC_LIMIT_PROTO_SOURCE_BYTES

typedef struct src_ctx {
    ac_arena *a;
    const ac_compile_req *req;
    nt_errs *errs;
    size_t total; /* bytes of source read, to size the output */
    char *text;   /* the file being parsed (read_whole) */
    size_t cap;
    bool buf_style; /* the compilation follows buf: buf's copies of the well-known types */
} src_ctx;

/* Reads a regular file into c->text (reused from file to file: a file's text is needed only
 * while it is parsed, and the parser copies what it keeps). */
static bool read_whole(src_ctx *c, const char *path, const char **text, size_t *len, bool *too_big)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC); /* O_NONBLOCK: a FIFO must not hang us */
    if (fd < 0) return false;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return false;
    }
    if ((unsigned long long)sb.st_size > MAX_SOURCE_BYTES) {
        *too_big = true;
        close(fd);
        return false;
    }
    /* one byte more than the size, to see a file that grew while we read it */
    size_t want = (size_t)sb.st_size + 1, n = 0;
    if (c->cap < want + 1) {
        c->cap = want + 1 > 2 * c->cap ? want + 1 : 2 * c->cap;
        free(c->text);
        c->text = ac_xmalloc(c->cap);
    }
    for (;;) {
        ssize_t r = read(fd, c->text + n, want - n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        n += (size_t)r;
        if (n == want) break;
    }
    close(fd);
    if (n > MAX_SOURCE_BYTES) {
        *too_big = true;
        return false;
    }
    c->text[n] = 0;
    *text = c->text;
    *len = n;
    return true;
}

static bool safe_name(const char *name)
{
    if (!*name || name[0] == '/' || strchr(name, '\\')) return false;
    for (const char *p = name; *p;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0 || (n == 2 && p[0] == '.' && p[1] == '.') || (n == 1 && p[0] == '.')) return false;
        p += n + (e ? 1 : 0);
    }
    return true;
}

static bool source(void *vctx, const char *name, int importer_syn, const char **text, size_t *len)
{
    src_ctx *c = vctx;
    if (!safe_name(name)) return false;
    bool too_big = false;
    for (size_t i = 0; i < c->req->nroots + c->req->nincludes; i++) {
        const char *dir = i < c->req->nroots ? c->req->roots[i] : c->req->includes[i - c->req->nroots];
        char *path = ac_arena_printf(c->a, "%s/%s", dir, name);
        if (!ac_fs_allowed(path)) {
            nt_error(c->a, c->errs, ac_arena_strdup(c->a, name), -1, 0, "Import " AC_FS_OUTSIDE ".");
            return false;
        }
        if (read_whole(c, path, text, len, &too_big)) {
            unsigned line, col;
            if (!ac_proto_nesting_ok(*text, *len, &line, &col)) {
                nt_error(c->a, c->errs, ac_arena_strdup(c->a, name), (int)line - 1, (int)col - 1,
                         "braces nested more than %d deep", AC_MAX_SOURCE_NESTING);
                return false;
            }
            c->total += *len;
            return true;
        }
        if (too_big) {
            nt_error(c->a, c->errs, ac_arena_strdup(c->a, name), -1, 0, "File is larger than %u bytes.", MAX_SOURCE_BYTES);
            return false;
        }
    }
    /* a compilation with an editions file follows buf, whose well-known types are newer than
     * protoc 3.21's (editions/google/protobuf/) */
    char key[128];
    bool newer = c->buf_style || importer_syn == 2023;
    for (int pass = newer ? 0 : 1; pass < 2; pass++) {
        if ((size_t)snprintf(key, sizeof key, "%s%s", pass == 0 ? "editions/" : "", name) >= sizeof key) continue;
        if (nt_wkt_find(key, text, len)) {
            c->total += *len;
            return true;
        }
    }
    return false;
}

static void collect(ac_arena *a, nt_file *f, ac_strmap *seen, nt_buf *out, bool source_info, bool buf_style, int depth)
{
    if (!f || depth > 1000 || !ac_strmap_add(seen, f->name, f)) return;
    for (int i = 0; i < f->depf.n; i++) collect(a, f->depf.v[i], seen, out, source_info, buf_style, depth + 1);
    nt_encode_file(out, f, source_info, buf_style);
}

/* The bytes of the requested files (found through the roots and includes, as source() finds them):
 * with source info, the set is about 1.3 bytes per byte of source. */
static size_t requested_bytes(ac_arena *a, const ac_compile_req *req)
{
    size_t total = 0;
    for (size_t f = 0; f < req->nfiles; f++) {
        if (!safe_name(req->files[f])) continue;
        for (size_t i = 0; i < req->nroots + req->nincludes; i++) {
            const char *dir = i < req->nroots ? req->roots[i] : req->includes[i - req->nroots];
            struct stat sb;
            if (stat(ac_arena_printf(a, "%s/%s", dir, req->files[f]), &sb) == 0 && S_ISREG(sb.st_mode)) {
                if ((unsigned long long)sb.st_size <= MAX_SOURCE_BYTES) total += (size_t)sb.st_size;
                break;
            }
        }
    }
    return total;
}

/* The user's path for an import path (the first root that has it), for the status. */
static const char *display_path(ac_arena *a, const ac_compile_req *req, const char *file)
{
    for (size_t i = 0; i < req->nroots; i++) {
        char *cand = ac_path_join(a, req->roots[i], file);
        if (ac_is_file(cand)) return ac_path_join(a, req->roots_display ? req->roots_display[i] : req->roots[i], file);
    }
    return file;
}

/* One compilation; *restart when an editions file turned up after files parsed protoc's way (the
 * caller then compiles again with buf_style, and nothing was written). */
static int compile(ac_arena *a, const ac_compile_req *req, const ac_native_opts *opts, bool buf_style, uint8_t **out,
                   size_t *outlen, ac_status *st, bool *restart)
{
    ac_arena *tmp = ac_arena_new();
    nt_errs errs = {0};
    src_ctx sc = {tmp, req, &errs, 0, NULL, 0, buf_style};
    nt_pool pool;
    nt_pool_init(&pool, tmp, &errs, source, &sc);
    pool.resolved = nt_interpret_file_options;
    pool.eager_srcinfo = opts->source_info;
    pool.buf_style = buf_style;
    /* protoc's way, each file is written into the caller's arena as soon as it is built, into room
     * for the requested files and some imports, so that the set is seldom copied as it grows */
    nt_buf eager = {.a = a};
    if (opts->source_info && !buf_style) {
        size_t est = requested_bytes(tmp, req);
        nt_buf_reserve(&eager, est + est / 2 + (64u << 10));
        pool.eager_out = &eager;
    }
    /* googleapis files declare about 90 symbols each: room for 128 keeps the table under half full
     * (short probes) and spares growing it while it is hot */
    ac_strmap_reserve(&pool.syms, req->nfiles * 128);
    NT_VEC(nt_file *) roots = {0};
    bool ok = true;
    for (size_t i = 0; i < req->nfiles; i++) {
        nt_file *f = nt_pool_load(&pool, req->files[i]);
        if (!f) {
            ok = false;
            break;
        }
        *NT_PUSH(tmp, roots) = f;
    }
    if (ok && errs.n) ok = false;
    int rc = AC_OK;
    if (pool.buf_restart) {
        *restart = true;
    } else if (ok && pool.eager_out && !pool.buf_style) {
        *out = eager.p;
        *outlen = eager.n;
    } else if (ok) {
        /* written straight into the caller's arena, sized for the usual 1.3 bytes out per byte in
         * (with source info) so that it seldom grows */
        nt_buf buf = {.a = a};
        nt_buf_reserve(&buf, sc.total + sc.total / 2 + 4096);
        ac_strmap seen;
        ac_strmap_init(&seen);
        /* a compilation with edition files follows buf, the reference for editions */
        for (int i = 0; i < roots.n; i++) collect(tmp, roots.v[i], &seen, &buf, opts->source_info, pool.buf_style, 0);
        ac_strmap_free(&seen);
        *out = buf.p;
        *outlen = buf.n;
    } else {
        if (errs.n == 0) nt_error(tmp, &errs, req->display_root ? req->display_root : "", -1, 0, "compilation failed");
        nt_buf all = {0};
        for (int i = 0; i < errs.n; i++) {
            const nt_err *e = &errs.v[i];
            char *line = e->line >= 0 ? ac_arena_printf(tmp, "%s:%d:%d: %s\n", e->file, e->line + 1, e->col + 1, e->msg)
                                      : ac_arena_printf(tmp, "%s: %s\n", e->file, e->msg);
            nt_buf_put(&all, line, strlen(line));
        }
        if (opts->errors) *opts->errors = ac_arena_strndup(a, (char *)all.p, all.n);
        nt_buf_free(&all);
        /* the status is the first error with a position (as for protoc: "x.proto: File not found."
         * comes before the import line that caused it) */
        const nt_err *e = &errs.v[0];
        for (int i = 0; i < errs.n; i++)
            if (errs.v[i].line >= 0) {
                e = &errs.v[i];
                break;
            }
        int npos = 0; /* "(and N more errors)" counts the positioned ones, as for protoc */
        for (int i = 0; i < errs.n; i++) npos += errs.v[i].line >= 0;
        char extra[64] = "";
        if (npos > 1) snprintf(extra, sizeof extra, " (and %d more errors)", npos - 1);
        rc = ac_fail(st, display_path(tmp, req, e->file), e->line >= 0 ? (unsigned)e->line + 1 : 0,
                     e->line >= 0 ? (unsigned)e->col + 1 : 0, "%s%s", e->msg, extra);
    }
    nt_pool_free(&pool);
    free(sc.text);
    ac_arena_free(tmp);
    return rc;
}

int ac_native_compile_ex(ac_arena *a, const ac_compile_req *req, const ac_native_opts *opts, uint8_t **out,
                         size_t *outlen, ac_status *st)
{
    bool restart = false;
    int rc = compile(a, req, opts, opts->buf_style, out, outlen, st, &restart);
    if (restart) rc = compile(a, req, opts, true, out, outlen, st, &restart);
    return rc;
}

int ac_native_compile(ac_arena *a, const ac_compile_req *req, uint8_t **out, size_t *outlen, ac_status *st)
{
    ac_native_opts o = {.source_info = true};
    return ac_native_compile_ex(a, req, &o, out, outlen, st);
}
