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

#include "compat/base/fs.h"
#include "proto/compile.h"
#include "compat/base/limits.h"
#include "proto/native/native.h"

extern char **environ;

/* The part of one line of protoc's stderr that is kept (the rest of a longer line is dropped). */
#define MAX_PROTOC_LINE 4096

/* What protoc's stderr says, read line by line as it arrives: however much it writes, only the
 * first error is kept, and every error is counted. */
typedef struct protoc_errors {
    char first[MAX_PROTOC_LINE];    /* the first positioned error ("path:line:col: message") */
    char fallback[MAX_PROTOC_LINE]; /* else the first other line ("b.proto: File not found.") */
    size_t nerrors;
} protoc_errors;

/* Where "path:line:col: " ends in a line of protoc's: the colon before the line number, or NULL.
 * A file name may hold colons itself ("we:ird:1:2.proto:6:1: ..."), so each candidate is tried,
 * and with req the first whose path is a file under an import root wins. */
static const char *position_colon(const char *line, const ac_compile_req *req, ac_arena *tmp)
{
    const char *first = NULL;
    for (const char *c = strchr(line, ':'); c; c = strchr(c + 1, ':')) {
        const char *d = c + 1;
        if (c == line || !(*d >= '0' && *d <= '9')) continue;
        while (*d >= '0' && *d <= '9') d++;
        if (*d++ != ':' || !(*d >= '0' && *d <= '9')) continue;
        while (*d >= '0' && *d <= '9') d++;
        if (*d != ':') continue;
        if (!req) return c;
        if (!first) first = c;
        char *path = ac_arena_strndup(tmp, line, (size_t)(c - line));
        for (size_t i = 0; i < req->nroots; i++)
            if (ac_is_file(ac_path_join(tmp, req->roots[i], path))) return c;
    }
    return first;
}

static void protoc_line(protoc_errors *pe, const char *line)
{
    if (!*line || strstr(line, "warning:")) return;
    /* protoc's own log lines ("[libprotobuf WARNING parser.cc:646] No syntax specified ...") */
    if (!strncmp(line, "[libprotobuf WARNING", 20) || !strncmp(line, "[libprotobuf INFO", 17)) return;
    if (position_colon(line, NULL, NULL)) {
        if (!pe->nerrors++) snprintf(pe->first, sizeof pe->first, "%s", line);
    } else if (!pe->fallback[0]) {
        snprintf(pe->fallback, sizeof pe->fallback, "%s", line);
    }
}

/* Reads fd (protoc's stderr) to its end into pe. */
static void drain(int fd, protoc_errors *pe)
{
    char buf[4096], line[MAX_PROTOC_LINE];
    size_t len = 0;
    memset(pe, 0, sizeof *pe);
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        for (ssize_t i = 0; i < r; i++) {
            if (buf[i] == '\n') {
                line[len] = 0;
                protoc_line(pe, line);
                len = 0;
            } else if (len + 1 < sizeof line) {
                line[len++] = buf[i];
            }
        }
    }
    line[len] = 0;
    protoc_line(pe, line);
}

/* An import path as the user knows it: under the import root that holds it. */
static const char *shown_path(ac_arena *tmp, const ac_compile_req *req, const char *path)
{
    for (size_t i = 0; i < req->nroots; i++)
        if (ac_is_file(ac_path_join(tmp, req->roots[i], path))) return ac_path_join(tmp, req->roots_display[i], path);
    return path;
}

/* protoc reports "virtual/path.proto:12:5: message".  The first such line, mapped to the path the
 * user knows, is the error; other lines ("file not found") are used when no positioned error
 * exists. */
static int report_protoc_error(const protoc_errors *pe, const ac_compile_req *req, ac_status *st)
{
    const char *line = pe->nerrors ? pe->first : pe->fallback;
    if (!*line) return ac_fail(st, req->display_root, 0, 0, "protoc failed without a message");
    ac_arena *tmp = ac_arena_new();
    const char *shown = req->display_root, *msg = line;
    unsigned l = 0, c = 0;
    const char *colon = position_colon(line, req, tmp);
    if (colon) {
        char *end;
        shown = shown_path(tmp, req, ac_arena_strndup(tmp, line, (size_t)(colon - line)));
        l = (unsigned)strtoul(colon + 1, &end, 10);
        c = (unsigned)strtoul(end + 1, &end, 10);
        msg = end + 1;
    } else {
        /* "path: message" */
        const char *sep = strstr(line, ": ");
        if (sep && sep > line) {
            shown = shown_path(tmp, req, ac_arena_strndup(tmp, line, (size_t)(sep - line)));
            msg = sep + 1;
        }
    }
    while (*msg == ' ') msg++;
    char extra[64] = "";
    if (pe->nerrors > 1) snprintf(extra, sizeof extra, " (and %zu more errors)", pe->nerrors - 1);
    ac_fail(st, shown, l, c, "%s%s", *msg ? msg : "protoc failed", extra);
    ac_arena_free(tmp);
    return AC_ERROR;
}

static int compile_with_protoc(ac_arena *a, const ac_compile_req *req, uint8_t **out, size_t *outlen, ac_status *st);

/* A file to compile as protoc is given it: the path on disk under its import root, starting with
 * "/" or "./".  protoc has no "--": a bare name starting with '-' would be read as an option, and
 * one starting with '@' as a file of more arguments (--plugin=... from the pull request, and the
 * plugin runs).  protoc maps the disk path back to the import path through the -I roots. */
static char *protoc_input(ac_arena *a, const ac_compile_req *req, const char *file)
{
    const char *root = req->nroots ? req->roots[0] : ".";
    for (size_t i = 0; i < req->nroots; i++)
        if (ac_is_file(ac_path_join(a, req->roots[i], file))) {
            root = req->roots[i];
            break;
        }
    char *disk = ac_path_join(a, root, file);
    return disk[0] == '/' ? disk : ac_arena_printf(a, "./%s", disk);
}


int ac_compile_protos(ac_arena *a, const ac_compile_req *req, uint8_t **out, size_t *outlen, ac_status *st)
{
    if (!req->protoc) return ac_native_compile(a, req, out, outlen, st);
    return compile_with_protoc(a, req, out, outlen, st);
}

/* protoc, run directly (no shell), writing the set to a temporary file that is read back. */
static int compile_with_protoc(ac_arena *a, const ac_compile_req *req, uint8_t **out, size_t *outlen, ac_status *st)
{
    /* protoc follows symbolic links by itself: a directory it may search must not hold one that
     * leads outside what apicompat may read (the native compiler checks each file it opens) */
    for (size_t i = 0; i < req->nroots + req->nincludes; i++) {
        const char *dir = i < req->nroots ? req->roots[i] : req->includes[i - req->nroots];
        bool truncated;
        char *bad = ac_fs_link_outside(a, dir, AC_LIMIT_PROTO_FILES * 4, &truncated);
        if (bad) return ac_fail(st, bad, 0, 0, "symbolic link " AC_FS_OUTSIDE " (protoc would follow it)");
        if (truncated)
            return ac_fail(st, dir, 0, 0, "more than %u entries to check for symbolic links before running protoc",
                           AC_LIMIT_PROTO_FILES * 4);
    }
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
    for (size_t i = 0; i < req->nfiles; i++) argv[argc++] = protoc_input(a, req, req->files[i]);
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
    protoc_errors *pe = ac_xmalloc(sizeof *pe);
    drain(pipefd[0], pe);
    close(pipefd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    int rc = AC_OK;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
            rc = ac_fail(st, req->display_root, 0, 0, "cannot run %s", protoc);
        else
            rc = report_protoc_error(pe, req, st);
    }
    free(pe);
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
