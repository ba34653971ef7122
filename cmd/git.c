/* git:REF:PATH inputs.  git is run with posix_spawnp and an argument vector (no shell), revision and
 * path are passed after `--end-of-options` / `--`, and the tree is read from `git archive`'s tar
 * stream into a temporary directory that mirrors the repository, so relative imports and $refs
 * resolve inside the same revision. */
#include "compat/base/limits.h"
#include "cmd/git.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compat/base/fs.h"

extern char **environ;

#define GIT_MAX_BYTES AC_LIMIT_GIT_TREE_BYTES /* what one revision may write to disk */
#define GIT_MAX_FILES 200000
#define GIT_MAX_OUTPUT AC_LIMIT_GIT_OUTPUT_BYTES /* stdout kept from a git command other than archive */

static char **tmpdirs;
static size_t ntmpdirs;

bool ac_git_is_spec(const char *input)
{
    return input && !strncmp(input, "git:", 4);
}

const char *ac_git_spec(ac_arena *a, const char *ref, const char *path)
{
    return ac_arena_printf(a, "git:%s:%s", ref, path);
}

/* ---- running git -------------------------------------------------------------------------------- */

typedef struct git_run {
    char *out; /* stdout (NUL-terminated), unless a sink took it */
    size_t outlen;
    char err[512]; /* the first line of stderr */
    int status;    /* exit status, or -1 when git could not be started */
    int spawn_errno;
} git_run;

typedef int (*sink_fn)(void *ctx, const char *data, size_t len);

/* Runs `git ARGS...` in the current directory, stdin from /dev/null.  stdout goes to sink (when
 * given) or is kept; stderr's first line is kept.  Returns 0 when git ran (whatever its status). */
static int run_git(const char *const *args, sink_fn sink, void *ctx, git_run *r)
{
    memset(r, 0, sizeof *r);
    r->status = -1;
    int po[2], pe[2];
    if (pipe(po)) return -1;
    if (pipe(pe)) {
        close(po[0]);
        close(po[1]);
        return -1;
    }
    size_t n = 0;
    while (args[n]) n++;
    char **argv = ac_xmalloc((n + 2) * sizeof *argv);
    argv[0] = "git";
    for (size_t i = 0; i < n; i++) argv[i + 1] = (char *)args[i];
    argv[n + 1] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, po[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
    posix_spawn_file_actions_addclose(&fa, po[0]);
    posix_spawn_file_actions_addclose(&fa, pe[0]);
    posix_spawn_file_actions_addclose(&fa, po[1]);
    posix_spawn_file_actions_addclose(&fa, pe[1]);
    pid_t pid;
    /* no pager, no prompts, no local config surprises in what we parse */
    int err = posix_spawnp(&pid, "git", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    free(argv);
    close(po[1]);
    close(pe[1]);
    if (err) {
        close(po[0]);
        close(pe[0]);
        r->spawn_errno = err;
        return -1;
    }
    size_t cap = 0, elen = 0;
    int sink_failed = 0;
    struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
    int open_fds = 2;
    char buf[65536];
    while (open_fds) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int k = 0; k < 2; k++) {
            if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t got = read(fds[k].fd, buf, sizeof buf);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) {
                close(fds[k].fd);
                fds[k].fd = -1;
                open_fds--;
                continue;
            }
            if (k == 1) {
                size_t room = sizeof r->err - 1 - elen;
                size_t take = (size_t)got < room ? (size_t)got : room;
                memcpy(r->err + elen, buf, take);
                elen += take;
                r->err[elen] = 0;
            } else if (sink) {
                if (!sink_failed && sink(ctx, buf, (size_t)got)) sink_failed = 1;
            } else if (r->outlen + (size_t)got <= GIT_MAX_OUTPUT) {
                if (r->outlen + (size_t)got + 1 > cap) {
                    cap = (r->outlen + (size_t)got + 1) * 2;
                    r->out = ac_xrealloc(r->out, cap);
                }
                memcpy(r->out + r->outlen, buf, (size_t)got);
                r->outlen += (size_t)got;
                r->out[r->outlen] = 0;
            }
        }
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    if (sink_failed) r->status = r->status ? r->status : 255;
    char *nl = strchr(r->err, '\n');
    if (nl) *nl = 0;
    if (!r->out) r->out = ac_xmalloc(1), r->out[0] = 0;
    return sink_failed ? 1 : 0;
}

/* stdout's first line, trimmed */
static char *first_line(ac_arena *a, const git_run *r)
{
    size_t n = strcspn(r->out, "\r\n");
    return ac_arena_printf(a, "%.*s", (int)n, r->out);
}

/* ---- the tar stream --------------------------------------------------------------------------- */

typedef struct untar {
    const char *root;   /* where the tree goes */
    const char *only;   /* the repository path the user named (a file is always written) */
    unsigned char hdr[512];
    size_t hlen;
    unsigned long long left, pad; /* of the current member's data and its padding */
    FILE *out;                    /* the member being written, or NULL when skipped */
    char longname[4096];          /* from a pax 'x' header, for the next member */
    char *pax;                    /* a pax header's data being collected */
    size_t paxlen;
    bool in_pax, zero_block;
    size_t files;
    unsigned long long bytes;
    char error[256];
} untar;

static unsigned long long octal(const unsigned char *p, size_t n)
{
    unsigned long long v = 0;
    for (size_t i = 0; i < n && p[i]; i++) {
        if (p[i] == ' ') continue;
        if (p[i] < '0' || p[i] > '7') break;
        v = v * 8 + (p[i] - '0');
    }
    return v;
}

/* Contract files and what configures them; everything else in the tree is left out. */
static bool wanted(const untar *t, const char *name)
{
    if (!strcmp(name, t->only)) return true;
    static const char *const exts[] = {".proto", ".yaml", ".yml", ".json", ".binpb", ".pb", ".desc"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t e = strlen(exts[i]);
        if (n > e && !strcmp(name + n - e, exts[i])) return true;
    }
    return false;
}

/* A member name that stays inside the tree: relative, no "..", no empty components. */
static bool safe_name(const char *name)
{
    if (!*name || name[0] == '/') return false;
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");
        if ((n == 2 && p[0] == '.' && p[1] == '.') || n == 0) return false;
        p += n;
        if (*p == '/') p++;
    }
    return true;
}

static int mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        int rc = mkdir(path, 0700);
        *p = '/';
        if (rc && errno != EEXIST) return -1;
    }
    return 0;
}

static void pax_record(untar *t)
{
    /* "LEN key=value\n" records; only path matters */
    for (size_t i = 0; i < t->paxlen;) {
        size_t len = 0, j = i;
        while (j < t->paxlen && t->pax[j] >= '0' && t->pax[j] <= '9') len = len * 10 + (size_t)(t->pax[j++] - '0');
        if (!len || i + len > t->paxlen || j >= t->paxlen || t->pax[j] != ' ') break;
        const char *kv = t->pax + j + 1;
        size_t kvlen = i + len - (j + 1);
        if (kvlen > 5 && !strncmp(kv, "path=", 5)) {
            size_t vlen = kvlen - 5 - (kv[kvlen - 1] == '\n');
            if (vlen < sizeof t->longname) {
                memcpy(t->longname, kv + 5, vlen);
                t->longname[vlen] = 0;
            }
        }
        i += len;
    }
}

static int start_member(untar *t)
{
    const unsigned char *h = t->hdr;
    bool zero = true;
    for (size_t i = 0; i < 512 && zero; i++) zero = !h[i];
    if (zero) {
        t->zero_block = true;
        return 0;
    }
    unsigned long long size = octal(h + 124, 12);
    char type = (char)h[156];
    t->left = size;
    t->pad = (512 - size % 512) % 512;
    t->out = NULL;
    if (type == 'x' || type == 'g') {
        t->in_pax = type == 'x';
        if (t->in_pax) {
            if (size > 65536) return snprintf(t->error, sizeof t->error, "a pax header of %llu bytes", size), -1;
            t->pax = ac_xrealloc(t->pax, (size_t)size + 1);
            t->paxlen = 0;
        }
        return 0;
    }
    char name[4096];
    if (t->longname[0]) {
        snprintf(name, sizeof name, "%s", t->longname);
        t->longname[0] = 0;
    } else if (!memcmp(h + 257, "ustar", 5) && h[345]) {
        snprintf(name, sizeof name, "%.155s/%.100s", (const char *)h + 345, (const char *)h);
    } else {
        snprintf(name, sizeof name, "%.100s", (const char *)h);
    }
    if (type != '0' && type != '\0') return 0; /* directories, links: the files are what matter */
    if (!safe_name(name)) return snprintf(t->error, sizeof t->error, "unsafe path \"%.200s\" in the tree", name), -1;
    if (!wanted(t, name)) return 0;
    if (++t->files > GIT_MAX_FILES) return snprintf(t->error, sizeof t->error, "more than %d files", GIT_MAX_FILES), -1;
    t->bytes += size;
    if (t->bytes > GIT_MAX_BYTES) return snprintf(t->error, sizeof t->error, "more than %u MiB of contracts", GIT_MAX_BYTES >> 20), -1;
    size_t pl = strlen(t->root) + strlen(name) + 2;
    char *path = ac_xmalloc(pl);
    snprintf(path, pl, "%s/%s", t->root, name);
    if (mkdirs(path) || !(t->out = fopen(path, "wb"))) {
        snprintf(t->error, sizeof t->error, "cannot write %.200s: %s", path, strerror(errno));
        free(path);
        return -1;
    }
    free(path);
    if (!size) {
        fclose(t->out);
        t->out = NULL;
    }
    return 0;
}

static int untar_feed(void *ctx, const char *data, size_t len)
{
    untar *t = ctx;
    while (len) {
        if (t->zero_block && t->left == 0 && t->pad == 0) {
            /* after the end marker only zeros follow */
            t->hlen = 0;
        }
        if (t->left) {
            size_t take = len < t->left ? len : (size_t)t->left;
            if (t->in_pax) {
                memcpy(t->pax + t->paxlen, data, take);
                t->paxlen += take;
            } else if (t->out && fwrite(data, 1, take, t->out) != take) {
                snprintf(t->error, sizeof t->error, "cannot write: %s", strerror(errno));
                return -1;
            }
            t->left -= take;
            data += take;
            len -= take;
            if (!t->left) {
                if (t->out && fclose(t->out)) {
                    t->out = NULL;
                    snprintf(t->error, sizeof t->error, "cannot write: %s", strerror(errno));
                    return -1;
                }
                t->out = NULL;
                if (t->in_pax) {
                    pax_record(t);
                    t->in_pax = false;
                }
            }
            continue;
        }
        if (t->pad) {
            size_t take = len < t->pad ? len : (size_t)t->pad;
            t->pad -= take;
            data += take;
            len -= take;
            continue;
        }
        size_t take = 512 - t->hlen < len ? 512 - t->hlen : len;
        memcpy(t->hdr + t->hlen, data, take);
        t->hlen += take;
        data += take;
        len -= take;
        if (t->hlen == 512) {
            t->hlen = 0;
            if (start_member(t)) return -1;
        }
    }
    return 0;
}

/* ---- the temporary tree --------------------------------------------------------------------------- */

static void remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb)) return;
    if (!S_ISDIR(sb.st_mode)) {
        unlink(path);
        return;
    }
    DIR *d = opendir(path);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *child = ac_xmalloc(n);
        snprintf(child, n, "%s/%s", path, e->d_name);
        remove_tree(child);
        free(child);
    }
    if (d) closedir(d);
    rmdir(path);
}

void ac_git_cleanup(void)
{
    for (size_t i = 0; i < ntmpdirs; i++) {
        remove_tree(tmpdirs[i]);
        free(tmpdirs[i]);
    }
    free(tmpdirs);
    tmpdirs = NULL;
    ntmpdirs = 0;
}

static char *make_tmpdir(void)
{
    static bool registered;
    if (!registered) {
        atexit(ac_git_cleanup);
        registered = true;
    }
    const char *base = getenv("TMPDIR");
    if (!base || !*base) base = "/tmp";
    size_t n = strlen(base) + 32;
    char *t = ac_xmalloc(n);
    snprintf(t, n, "%s/apicompat-git-XXXXXX", base);
    if (!mkdtemp(t)) {
        free(t);
        return NULL;
    }
    tmpdirs = ac_xrealloc(tmpdirs, (ntmpdirs + 1) * sizeof *tmpdirs);
    tmpdirs[ntmpdirs++] = t;
    return t;
}

/* PATH (relative to the directory the user is in, prefix in the repository) as a path in the
 * repository: "" for its root; NULL when it leaves the repository. */
static char *repo_path(ac_arena *a, const char *prefix, const char *path)
{
    if (path[0] == '/') return NULL;
    char *p = ac_path_clean(a, ac_arena_printf(a, "%s%s", prefix, path));
    if (p && !strcmp(p, ".")) p[0] = 0;
    return p;
}

/* The top of the repository PATH (as written, relative to the working directory) lies in, from its
 * nearest existing directory; NULL when that is in none. */
static char *path_toplevel(ac_arena *a, const char *path)
{
    char *d = ac_arena_strdup(a, path);
    while (!ac_is_dir(d)) {
        char *slash = strrchr(d, '/');
        if (!slash) {
            d = ac_arena_strdup(a, ".");
            break;
        }
        slash[slash == d] = 0; /* "/x" -> "/" */
    }
    git_run r;
    const char *args[] = {"-C", d, "rev-parse", "--show-toplevel", NULL};
    if (run_git(args, NULL, NULL, &r) < 0 || r.status) {
        free(r.out);
        return NULL;
    }
    char *top = first_line(a, &r);
    free(r.out);
    return top;
}

/* The directory of the module that repository path DIR belongs to at COMMIT: the nearest one at or
 * above it holding a buf.yaml or buf.work.yaml, as the working-tree side looks for it; else DIR. */
static const char *module_root(ac_arena *a, const char *top, const char *commit, const char *dir)
{
    static const char *const names[] = {"buf.yaml", "buf.yml", "buf.work.yaml"};
    const char *args[8 + 3 * 66];
    size_t n = 0;
    const char *const head[] = {"-C", top, "ls-tree", "--name-only", commit, "--"};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++) args[n++] = head[i];
    char *d = ac_arena_strdup(a, dir);
    for (int depth = 0; depth < 64; depth++) {
        for (size_t i = 0; i < 3; i++) args[n++] = *d ? ac_arena_printf(a, "%s/%s", d, names[i]) : names[i];
        if (!*d) break;
        char *slash = strrchr(d, '/');
        d = slash ? ac_arena_strndup(a, d, (size_t)(slash - d)) : "";
    }
    args[n] = NULL;
    git_run r;
    const char *best = NULL;
    if (run_git(args, NULL, NULL, &r) == 0 && !r.status && r.out) {
        for (char *line = r.out; *line;) {
            size_t len = strcspn(line, "\n");
            const char *slash = memrchr(line, '/', len);
            const char *cand = slash ? ac_arena_strndup(a, line, (size_t)(slash - line)) : "";
            if (!best || strlen(cand) > strlen(best)) best = cand;
            line += len + (line[len] == '\n');
        }
    }
    free(r.out);
    return best ? best : dir;
}

int ac_git_materialize(const char *spec, ac_arena *a, const char **dir, const char **path, ac_status *st)
{
    return ac_git_materialize_ex(spec, a, NULL, 0, dir, path, NULL, st);
}

int ac_git_materialize_ex(const char *spec, ac_arena *a, const char *const *includes, size_t nincludes,
                          const char **dir, const char **path, bool *missing, ac_status *st)
{
    if (missing) *missing = false;
    const char *rest = spec + 4, *colon = strchr(rest, ':');
    if (!colon || colon == rest)
        return ac_fail(st, spec, 0, 0, "expected git:REF:PATH (for example git:origin/main:proto)");
    const char *ref = ac_arena_printf(a, "%.*s", (int)(colon - rest), rest);
    const char *user_path = *(colon + 1) ? ac_path_trim(a, colon + 1) : ".";
    if (ref[0] == '-') return ac_fail(st, spec, 0, 0, "revision \"%s\" starts with '-'", ref);

    git_run r;
    const char *top_args[] = {"rev-parse", "--show-toplevel", NULL};
    if (run_git(top_args, NULL, NULL, &r) < 0) {
        int e = r.spawn_errno;
        free(r.out);
        return ac_fail(st, spec, 0, 0, "cannot run git: %s (install it: apt-get install git)", strerror(e ? e : errno));
    }
    char *top = r.status ? NULL : first_line(a, &r);
    free(r.out);
    /* PATH may be in another repository than the working directory (a batch manifest's pairs, run
     * from elsewhere): then that one is read, and the copy mirrors absolute paths */
    char *ptop = path_toplevel(a, user_path), *away = NULL;
    if (!top && !ptop) return ac_fail(st, spec, 0, 0, "not inside a git repository (%s)", r.err);
    if (ptop && (!top || strcmp(ptop, top))) {
        char cwd[4096];
        if (!getcwd(cwd, sizeof cwd)) return ac_fail(st, spec, 0, 0, "cannot read the working directory: %s", strerror(errno));
        char *abs = ac_path_tidy(a, user_path[0] == '/' ? user_path : ac_arena_printf(a, "%s/%s", cwd, user_path));
        size_t tl = strlen(ptop);
        if (!abs || strncmp(abs, ptop, tl) || (abs[tl] && abs[tl] != '/'))
            return ac_fail(st, spec, 0, 0, "path \"%s\" is outside the repository", user_path);
        away = ac_arena_strdup(a, cwd);
        top = ptop;
        user_path = abs;
    }
    char *prefix = "";
    if (!away) {
        const char *prefix_args[] = {"rev-parse", "--show-prefix", NULL};
        run_git(prefix_args, NULL, NULL, &r);
        prefix = first_line(a, &r);
        free(r.out);
    }

    /* the revision, as a commit */
    const char *commit_arg = ac_arena_printf(a, "%s^{commit}", ref);
    const char *verify_args[] = {"-C", top, "rev-parse", "--verify", "--quiet", "--end-of-options", commit_arg, NULL};
    run_git(verify_args, NULL, NULL, &r);
    if (r.status) {
        free(r.out);
        const char *shallow_args[] = {"-C", top, "rev-parse", "--is-shallow-repository", NULL};
        run_git(shallow_args, NULL, NULL, &r);
        bool shallow = !strncmp(r.out, "true", 4);
        free(r.out);
        const char *slash = strchr(ref, '/');
        const char *fetch = slash && !strncmp(ref, "origin/", 7) ? ac_arena_printf(a, "git fetch origin %s", slash + 1)
                                                                 : ac_arena_printf(a, "git fetch origin %s", ref);
        if (shallow)
            return ac_fail(st, spec, 0, 0,
                           "revision \"%s\" is not in this shallow clone: fetch it (%s) or the whole history (git fetch "
                           "--unshallow; actions/checkout: fetch-depth: 0)",
                           ref, fetch);
        return ac_fail(st, spec, 0, 0, "unknown revision \"%s\": fetch it first (%s)", ref, fetch);
    }
    char *commit = first_line(a, &r);
    free(r.out);

    char *rel = away ? ac_arena_strdup(a, user_path[strlen(top)] ? user_path + strlen(top) + 1 : "")
                     : repo_path(a, prefix, user_path);
    if (!rel) return ac_fail(st, spec, 0, 0, "path \"%s\" is outside the repository", user_path);
    const char *tree_path = rel;
    if (*rel) {
        const char *obj = ac_arena_printf(a, "%s:%s", commit, rel);
        /* obj starts with the commit's hash; --end-of-options all the same, as for every revision */
        const char *exists_args[] = {"-C", top, "cat-file", "-t", "--end-of-options", obj, NULL};
        run_git(exists_args, NULL, NULL, &r);
        bool blob = !strncmp(r.out, "blob", 4);
        free(r.out);
        if (r.status) {
            if (missing) *missing = true;
            return ac_fail(st, spec, 0, 0, "\"%s\" does not exist at %s (%s)", rel, ref, commit);
        }
        /* a file brings its directory: what it imports or $refs is beside or below it */
        if (blob) {
            char *slash = strrchr(rel, '/');
            tree_path = slash ? ac_arena_strndup(a, rel, (size_t)(slash - rel)) : "";
        }
        /* and a file or directory brings the module it belongs to, so both sides name files alike;
         * a document brings the repository, where its $refs may reach (the default --ref-root) */
        size_t rl = strlen(rel);
        bool proto = (rl > 6 && !strcmp(rel + rl - 6, ".proto")) || !blob;
        tree_path = proto ? module_root(a, top, commit, tree_path) : "";
    }
    /* the import directories (-I) the working-tree side would read, when they are in the tree */
    const char **pathspecs = ac_arena_alloc(a, (nincludes + 2) * sizeof *pathspecs);
    size_t nspecs = 0;
    pathspecs[nspecs++] = *tree_path ? tree_path : ".";
    for (size_t i = 0; i < nincludes && *tree_path; i++) {
        char *inc = away ? NULL : repo_path(a, prefix, includes[i]); /* -I is relative to the working directory */
        if (!inc || !*inc) {
            if (inc) nspecs = 0, pathspecs[nspecs++] = "."; /* the whole tree */
            continue;
        }
        const char *obj = ac_arena_printf(a, "%s:%s", commit, inc);
        const char *inc_args[] = {"-C", top, "cat-file", "-t", "--end-of-options", obj, NULL};
        run_git(inc_args, NULL, NULL, &r);
        bool tree = !r.status && r.out && !strncmp(r.out, "tree", 4);
        free(r.out);
        if (tree && strcmp(pathspecs[0], ".")) pathspecs[nspecs++] = inc;
    }

    char *tmp = make_tmpdir();
    if (!tmp) return ac_fail(st, spec, 0, 0, "cannot create a temporary directory: %s", strerror(errno));
    untar t;
    memset(&t, 0, sizeof t);
    t.root = tmp;
    if (away) {
        /* the repository at its absolute place inside the copy */
        char *root = ac_arena_printf(a, "%s%s/", tmp, top);
        mkdirs(root);
        root[strlen(root) - 1] = 0;
        t.root = root;
    }
    t.only = rel;
    /* commit is the hash rev-parse printed; archive would take a "--" after --end-of-options for a path */
    const char **archive_args = ac_arena_alloc(a, (nspecs + 7) * sizeof *archive_args);
    size_t na = 0;
    const char *const head[] = {"-C", top, "archive", "--format=tar", commit, "--"};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++) archive_args[na++] = head[i];
    for (size_t i = 0; i < nspecs; i++) archive_args[na++] = pathspecs[i];
    archive_args[na] = NULL;
    int rc = run_git(archive_args, untar_feed, &t, &r);
    free(r.out);
    free(t.pax);
    if (t.out) fclose(t.out);
    if (rc || r.status)
        return ac_fail(st, spec, 0, 0, "cannot read %s at %s: %s", rel, ref, t.error[0] ? t.error : r.err);

    /* the copy's root stands for the repository's: configuration is looked up to there, no further */
    const char *marker = ac_arena_printf(a, "%s/.git", tmp);
    int mfd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (mfd >= 0) close(mfd);

    ac_fs_allow_dir(tmp); /* what the copy holds came from the repository */
    /* where the user was, inside the copy */
    bool absolute = away && *(colon + 1) == '/';
    const char *where = absolute ? ac_arena_printf(a, "%s%s", tmp, top)
                        : away   ? ac_arena_printf(a, "%s%s", tmp, away)
                                 : ac_arena_printf(a, "%s/%s", tmp, prefix);
    char *mk = ac_arena_printf(a, "%s/", where);
    mkdirs(mk);
    *dir = where;
    *path = absolute ? (*rel ? rel : ".") : away ? (*(colon + 1) ? colon + 1 : ".") : user_path;
    return AC_OK;
}

int ac_git_tags(ac_arena *a, const char *dir, const char *glob, const char ***out, size_t *n, ac_status *st)
{
    *out = NULL;
    *n = 0;
    /* the pattern after --end-of-options: one starting with '-' is a pattern, never an option */
    const char *args[] = {"-C", dir, "tag", "--list", "--format=%(refname)", "--end-of-options", glob, NULL};
    git_run r;
    if (run_git(args, NULL, NULL, &r) < 0) {
        int e = r.spawn_errno;
        free(r.out);
        return ac_fail(st, NULL, 0, 0, "cannot run git: %s (install it: apt-get install git)", strerror(e ? e : errno));
    }
    if (r.status) {
        int rc = ac_fail(st, dir, 0, 0, "cannot list the tags: %s", r.err[0] ? r.err : "git tag failed");
        free(r.out);
        return rc;
    }
    size_t cap = 0;
    const char **v = NULL;
    int rc = AC_OK;
    for (char *line = r.out; *line && !rc;) {
        size_t len = strcspn(line, "\n");
        if (len > 10 && !strncmp(line, "refs/tags/", 10)) {
            if (*n == AC_LIMIT_HISTORY_VERSIONS) {
                rc = ac_fail(st, NULL, 0, 0, "more than %d tags match \"%s\": narrow the pattern", AC_LIMIT_HISTORY_VERSIONS, glob);
                break;
            }
            if (*n == cap) {
                cap = cap ? cap * 2 : 16;
                const char **nv = ac_arena_alloc(a, cap * sizeof *nv);
                if (*n) memcpy(nv, v, *n * sizeof *nv);
                v = nv;
            }
            v[(*n)++] = ac_arena_strndup(a, line, len);
        }
        line += len + (line[len] == '\n');
    }
    free(r.out);
    if (!rc) *out = v;
    return rc;
}
