/* Compiling .proto sources with protoc, run directly (no shell), into a temporary descriptor set. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../compat/fs.h"
#include "compile.h"
#include "native/native.h"

extern char **environ;

/* Reads everything from fd (protoc's stderr) into a malloc'd string, keeping at most 64 KiB. */
static char *drain(int fd)
{
    size_t cap = 4096, n = 0;
    char *buf = ac_xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            if (cap >= 65536) {
                char sink[4096];
                ssize_t r = read(fd, sink, sizeof sink);
                if (r <= 0) break;
                continue;
            }
            cap *= 2;
            buf = ac_xrealloc(buf, cap);
        }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        n += (size_t)r;
    }
    buf[n] = 0;
    return buf;
}

/* protoc reports "virtual/path.proto:12:5: message".  Returns the first such line, mapped to the
 * path the user knows, as the error; other lines ("file not found", warnings) are used when no
 * positioned error exists. */
static int report_protoc_error(const char *err, const ac_compile_req *req, ac_status *st)
{
    const char *line = err, *fallback = NULL;
    size_t nerrors = 0;
    const char *first = NULL;
    for (const char *p = err; *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len && !memmem(p, len, "warning:", 8) && !(len >= 20 && !memcmp(p, "[libprotobuf WARNING", 20))) {
            if (!fallback) fallback = p;
            /* path:line:col: */
            const char *c1 = memchr(p, ':', len);
            if (c1 && c1 + 1 < p + len && c1[1] >= '0' && c1[1] <= '9') {
                nerrors++;
                if (!first) first = p;
            }
        }
        p += len + (eol ? 1 : 0);
    }
    line = first ? first : fallback;
    if (!line) return ac_fail(st, req->display_root, 0, 0, "protoc failed without a message");
    const char *eol = strchr(line, '\n');
    size_t len = eol ? (size_t)(eol - line) : strlen(line);
    char buf[2048];
    snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), line);
    /* split "path:line:col: msg" */
    char *c1 = strchr(buf, ':');
    unsigned l = 0, c = 0;
    char *msg = buf;
    char path[2048] = "";
    if (c1) {
        *c1 = 0;
        memcpy(path, buf, strlen(buf) + 1);
        char *rest = c1 + 1, *end;
        unsigned long ln = strtoul(rest, &end, 10);
        if (end != rest && *end == ':') {
            l = (unsigned)ln;
            rest = end + 1;
            unsigned long cn = strtoul(rest, &end, 10);
            if (end != rest && *end == ':') {
                c = (unsigned)cn;
                rest = end + 1;
            }
        }
        msg = rest;
        while (*msg == ' ') msg++;
    }
    /* map the virtual path back to a file the user can open */
    const char *shown = path[0] ? path : req->display_root;
    ac_arena *tmp = ac_arena_new();
    for (size_t i = 0; path[0] && i < req->nroots; i++) {
        char *cand = ac_path_join(tmp, req->roots[i], path);
        if (ac_is_file(cand)) {
            shown = ac_path_join(tmp, req->roots_display[i], path);
            break;
        }
    }
    char extra[64] = "";
    if (nerrors > 1) snprintf(extra, sizeof extra, " (and %zu more errors)", nerrors - 1);
    ac_fail(st, shown, l, c, "%s%s", *msg ? msg : "protoc failed", extra);
    ac_arena_free(tmp);
    return AC_ERROR;
}

static int compile_with_protoc(ac_arena *a, const ac_compile_req *req, uint8_t **out, size_t *outlen, ac_status *st);

int ac_compile_protos(ac_arena *a, const ac_compile_req *req, uint8_t **out, size_t *outlen, ac_status *st)
{
    if (!req->protoc) return ac_native_compile(a, req, out, outlen, st);
    return compile_with_protoc(a, req, out, outlen, st);
}

/* protoc, run directly (no shell), writing the set to a temporary file that is read back. */
static int compile_with_protoc(ac_arena *a, const ac_compile_req *req, uint8_t **out, size_t *outlen, ac_status *st)
{
    const char *tmpdir = getenv("TMPDIR");
    char *path = ac_arena_printf(a, "%s/apicompat-XXXXXX.binpb", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemps(path, 6);
    if (fd < 0) return ac_fail(st, path, 0, 0, "cannot create a temporary file: %s", strerror(errno));
    close(fd);

    size_t argc = 0, cap = 8 + 2 * (req->nroots + req->nincludes) + req->nfiles;
    char **argv = ac_arena_alloc(a, (cap + 1) * sizeof *argv);
    const char *protoc = req->protoc && *req->protoc ? req->protoc : "protoc";
    argv[argc++] = (char *)protoc;
    argv[argc++] = "--include_imports";
    argv[argc++] = "--include_source_info";
    argv[argc++] = ac_arena_printf(a, "--descriptor_set_out=%s", path);
    for (size_t i = 0; i < req->nroots; i++) argv[argc++] = ac_arena_printf(a, "-I%s", req->roots[i]);
    for (size_t i = 0; i < req->nincludes; i++) argv[argc++] = ac_arena_printf(a, "-I%s", req->includes[i]);
    for (size_t i = 0; i < req->nfiles; i++) {
        /* protoc has no "--": a name that looks like an option cannot be passed safely */
        if (req->files[i][0] == '-') {
            unlink(path);
            return ac_fail(st, req->files[i], 0, 0, "file names starting with '-' cannot be compiled with protoc");
        }
        argv[argc++] = (char *)req->files[i];
    }
    argv[argc] = NULL;

    int pipefd[2];
    if (pipe(pipefd) != 0) {
        unlink(path);
        return ac_fail(st, req->display_root, 0, 0, "cannot run protoc: %s", strerror(errno));
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
    posix_spawn_file_actions_addclose(&fa, pipefd[0]);
    posix_spawn_file_actions_addclose(&fa, pipefd[1]);
    pid_t pid;
    int err = posix_spawnp(&pid, protoc, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    if (err) {
        close(pipefd[0]);
        unlink(path);
        if (err == ENOENT)
            return ac_fail(st, req->display_root, 0, 0,
                           "cannot compile .proto sources: protoc was not found (install it with `apt-get install "
                           "protobuf-compiler`, pass --protoc PATH, or give a descriptor set built by `buf build -o`)");
        return ac_fail(st, req->display_root, 0, 0, "cannot run %s: %s", protoc, strerror(err));
    }
    char *errtext = drain(pipefd[0]);
    close(pipefd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    int rc = AC_OK;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
            rc = ac_fail(st, req->display_root, 0, 0, "cannot run %s", protoc);
        else
            rc = report_protoc_error(errtext, req, st);
    }
    free(errtext);
    if (rc == AC_OK) {
        char *data;
        size_t len;
        rc = ac_read_file(a, path, &data, &len, 0, st);
        if (rc == AC_OK) {
            *out = (uint8_t *)data;
            *outlen = len;
        }
    }
    unlink(path);
    return rc;
}
