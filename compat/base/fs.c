#include "compat/base/fs.h"
#include "compat/base/limits.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int ac_read_file(ac_arena *a, const char *path, char **data, size_t *len, size_t max_bytes, ac_status *st)
{
    /* a regular file of known size is read straight into the arena */
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
        (!max_bytes || (size_t)sb.st_size <= max_bytes)) {
        FILE *f = fopen(path, "rb");
        if (f) {
            size_t size = (size_t)sb.st_size;
            char *buf = ac_arena_alloc(a, size + 1);
            size_t got = fread(buf, 1, size, f);
            int more = fgetc(f);
            int err = ferror(f);
            fclose(f);
            if (!err && got == size && more == EOF) {
                buf[size] = 0;
                *data = buf;
                *len = size;
                return AC_OK;
            }
            /* it changed while being read: read it the general way */
        }
    }
    char *buf;
    if (ac_read_file_buf(path, &buf, len, max_bytes, st)) return AC_ERROR;
    *data = ac_arena_memdup(a, buf, *len + 1);
    free(buf);
    return AC_OK;
}

static const char *kind_of(mode_t m)
{
    return S_ISDIR(m) ? "is a directory, expected a file"
         : S_ISFIFO(m) ? "not a regular file (a FIFO)"
         : S_ISCHR(m) ? "not a regular file (a character device)"
         : S_ISBLK(m) ? "not a regular file (a block device)"
         : S_ISSOCK(m) ? "not a regular file (a socket)"
                       : "not a regular file";
}

const char *ac_file_problem(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        struct stat lb;
        if (errno == ENOENT) return lstat(path, &lb) == 0 ? "a symbolic link to a file that does not exist" : "not found";
        static _Thread_local char why[160];
        snprintf(why, sizeof why, "cannot read: %s", strerror(errno));
        return why;
    }
    return S_ISREG(sb.st_mode) ? NULL : kind_of(sb.st_mode);
}

bool ac_path_exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* Opens a regular file for reading without ever blocking: a FIFO with no writer would block open()
 * forever, and a device reads without end, so anything but a regular file is refused first. */
static FILE *open_regular(const char *path, struct stat *sb, ac_status *st)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        ac_fail(st, path, 0, 0, "cannot read: %s", strerror(errno));
        return NULL;
    }
    if (fstat(fd, sb) != 0) {
        ac_fail(st, path, 0, 0, "cannot read: %s", strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(sb->st_mode)) {
        close(fd);
        ac_fail(st, path, 0, 0, "%s", kind_of(sb->st_mode));
        return NULL;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        ac_fail(st, path, 0, 0, "cannot read: %s", strerror(errno));
    }
    return f;
}

int ac_read_file_buf(const char *path, char **data, size_t *len, size_t max_bytes, ac_status *st)
{
    struct stat sb;
    FILE *f = open_regular(path, &sb, st);
    if (!f) return AC_ERROR;
    size_t cap = sb.st_size > 0 ? (size_t)sb.st_size + 1 : 4096, n = 0;
    if (max_bytes && cap > max_bytes + 1) {
        fclose(f);
        return ac_fail(st, path, 0, 0, "file is larger than the limit of %zu bytes", max_bytes);
    }
    char *buf = ac_xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            if (max_bytes && cap > max_bytes) {
                free(buf);
                fclose(f);
                return ac_fail(st, path, 0, 0, "file is larger than the limit of %zu bytes", max_bytes);
            }
            cap *= 2;
            buf = ac_xrealloc(buf, cap);
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0) break;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return ac_fail(st, path, 0, 0, "cannot read: %s", strerror(errno ? errno : EIO));
    }
    buf[n] = 0;
    *data = buf;
    *len = n;
    return AC_OK;
}

bool ac_is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

bool ac_is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

char *ac_path_join(ac_arena *a, const char *dir, const char *name)
{
    bool no_name = !name || !*name || !strcmp(name, ".");
    /* "." joined with nothing is still ".", never "" (which names no directory) */
    if (!dir || !*dir || !strcmp(dir, ".")) return ac_arena_strdup(a, no_name ? "." : name);
    if (no_name) return ac_arena_strdup(a, dir);
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/') dl--;
    return ac_arena_printf(a, "%.*s/%s", (int)dl, dir, name);
}

char *ac_path_trim(ac_arena *a, const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') n--;
    return ac_arena_strndup(a, path, n);
}

char *ac_path_clean(ac_arena *a, const char *path)
{
    size_t n = strlen(path);
    char *out = ac_arena_alloc(a, n + 2);
    size_t w = 0;
    bool abs = path[0] == '/';
    if (abs) out[w++] = '/';
    const char *p = path;
    while (*p) {
        while (*p == '/') p++;
        const char *s = p;
        while (*p && *p != '/') p++;
        size_t len = (size_t)(p - s);
        if (!len || (len == 1 && s[0] == '.')) continue;
        if (len == 2 && s[0] == '.' && s[1] == '.') {
            if (w == 0 || (abs && w == 1)) return NULL;
            /* drop the last segment */
            while (w > (abs ? 1u : 0u) && out[w - 1] != '/') w--;
            if (w > (abs ? 1u : 0u)) w--;
            continue;
        }
        if (w && out[w - 1] != '/') out[w++] = '/';
        memcpy(out + w, s, len);
        w += len;
    }
    if (!w) out[w++] = '.';
    out[w] = 0;
    return out;
}

char *ac_path_tidy(ac_arena *a, const char *path)
{
    if (path[0] == '/') return ac_path_clean(a, path);
    /* leading ".." segments are kept: "../x/./y/../z" -> "../x/z" */
    size_t up = 0;
    const char *p = path;
    for (;;) {
        while (*p == '/') p++;
        if (p[0] == '.' && p[1] == '/') p += 2;
        else if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || !p[2])) p += 2, up++;
        else break;
    }
    char *rest = *p ? ac_path_clean(a, p) : ".";
    if (!rest) return NULL; /* "../a/../../b": realpath decides; the caller falls back */
    size_t n = up * 3 + strlen(rest) + 1;
    char *out = ac_arena_alloc(a, n), *w = out;
    for (size_t i = 0; i < up; i++) w += sprintf(w, "../");
    if (strcmp(rest, ".") || !up) strcpy(w, rest);
    else w[-1] = 0;
    return out;
}

typedef struct flist {
    char **v;
    size_t n, cap;
} flist;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(ac_arena *a, const char *root, const char *rel, const char *suffix, flist *out, size_t max_files,
                int depth, ac_status *st)
{
    if (depth > 64) return ac_fail(st, root, 0, 0, "directories nested more than 64 deep under \"%s\"", root);
    char *dir = ac_path_join(a, root, rel);
    DIR *d = opendir(dir);
    if (!d) return ac_fail(st, dir, 0, 0, "cannot list directory: %s", strerror(errno));
    size_t sl = strlen(suffix);
    struct dirent *e;
    int rc = AC_OK;
    while (rc == AC_OK && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char *r = ac_path_join(a, rel, e->d_name);
        char *full = ac_path_join(a, root, r);
        struct stat sb;
        if (lstat(full, &sb) != 0) continue;
        if (S_ISDIR(sb.st_mode)) {
            rc = walk(a, root, r, suffix, out, max_files, depth + 1, st);
        } else if (S_ISREG(sb.st_mode) || (S_ISLNK(sb.st_mode) && ac_is_file(full))) {
            size_t nl = strlen(e->d_name);
            if (nl < sl || strcmp(e->d_name + nl - sl, suffix) != 0) continue;
            if (out->n >= max_files) {
                rc = ac_fail(st, root, 0, 0, "more than %zu %s files under this directory", max_files, suffix);
                break;
            }
            if (out->n == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 64;
                out->v = ac_xrealloc(out->v, out->cap * sizeof *out->v);
            }
            out->v[out->n++] = r;
        }
    }
    closedir(d);
    return rc;
}

static char *link_scan(ac_arena *a, const char *dir, int depth, size_t *left, bool *truncated)
{
    if (depth > AC_LIMIT_DOC_DEPTH) return *truncated = true, NULL;
    DIR *d = opendir(dir);
    if (!d) return NULL; /* unreadable: protoc cannot read it either */
    char *bad = NULL;
    struct dirent *e;
    while (!bad && !*truncated && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (*left == 0) {
            *truncated = true;
            break;
        }
        (*left)--;
        char *p = ac_arena_printf(a, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(p, &sb) != 0) continue;
        if (S_ISLNK(sb.st_mode)) {
            if (!ac_fs_allowed(p)) bad = p;
        } else if (S_ISDIR(sb.st_mode)) {
            bad = link_scan(a, p, depth + 1, left, truncated);
        }
    }
    closedir(d);
    return bad;
}

char *ac_fs_link_outside(ac_arena *a, const char *dir, size_t max_entries, bool *truncated)
{
    size_t left = max_entries;
    *truncated = false;
    return link_scan(a, dir, 0, &left, truncated);
}

int ac_list_files(ac_arena *a, const char *dir, const char *suffix, char ***out, size_t *n, size_t max_files,
                  ac_status *st)
{
    flist l = {0};
    int rc = walk(a, dir, "", suffix, &l, max_files, 0, st);
    if (rc) {
        free(l.v);
        return rc;
    }
    if (l.n) qsort(l.v, l.n, sizeof *l.v, cmp_str);
    *out = ac_arena_memdup(a, l.v ? (void *)l.v : "", l.n * sizeof *l.v);
    *n = l.n;
    free(l.v);
    return AC_OK;
}

bool ac_map_file(const char *path, char **data, size_t *len, size_t max_bytes)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return false;
    struct stat sb;
    if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || sb.st_size <= 0 || (max_bytes && (size_t)sb.st_size > max_bytes)) {
        close(fd);
        return false;
    }
    void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) return false;
    *data = p;
    *len = (size_t)sb.st_size;
    return true;
}

void ac_unmap_hint(void *data, size_t len)
{
    madvise(data, len, MADV_DONTNEED);
}

void ac_unmap_file(void *data, size_t len)
{
    munmap(data, len);
}

/* ---- the directories inputs may read --------------------------------------------------------------- */

#include <pthread.h>

static struct {
    pthread_mutex_t lock;
    char **dirs;
    size_t n;
} allowed = {PTHREAD_MUTEX_INITIALIZER, NULL, 0};

void ac_fs_allow_dir(const char *dir)
{
    char *r = realpath(dir, NULL);
    if (!r) return;
    pthread_mutex_lock(&allowed.lock);
    bool known = false;
    for (size_t i = 0; i < allowed.n && !known; i++) known = !strcmp(allowed.dirs[i], r);
    if (!known) {
        allowed.dirs = ac_xrealloc(allowed.dirs, (allowed.n + 1) * sizeof *allowed.dirs);
        allowed.dirs[allowed.n++] = r;
    } else {
        free(r);
    }
    pthread_mutex_unlock(&allowed.lock);
}

void ac_fs_allow_reset(void)
{
    pthread_mutex_lock(&allowed.lock);
    for (size_t i = 0; i < allowed.n; i++) free(allowed.dirs[i]);
    free(allowed.dirs);
    allowed.dirs = NULL;
    allowed.n = 0;
    pthread_mutex_unlock(&allowed.lock);
}

void ac_fs_allow_input(const char *path)
{
    /* the path's directory, as the user named it (the path itself may be a link: it is checked) */
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (!slash) snprintf(dir, sizeof dir, ".");
    else if (slash == path) snprintf(dir, sizeof dir, "/");
    else snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    char *r = realpath(dir, NULL);
    if (!r) return;
    /* widened to the git work tree around it: contracts import and configure across directories */
    char cur[4096], probe[4096 + 8];
    snprintf(cur, sizeof cur, "%s", r);
    for (;;) {
        if (!strcmp(cur, "/")) break; /* never widened to the whole file system */
        snprintf(probe, sizeof probe, "%s/.git", cur);
        struct stat sb;
        if (lstat(probe, &sb) == 0) {
            ac_fs_allow_dir(cur);
            free(r);
            return;
        }
        char *up = strrchr(cur, '/');
        if (!up || up == cur) break;
        *up = 0;
    }
    ac_fs_allow_dir(r);
    free(r);
}

bool ac_path_within(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    if (!strcmp(dir, ".")) return true;
    if (!strcmp(dir, "/")) return path[0] == '/';
    return !strncmp(path, dir, n) && (path[n] == '/' || !path[n]);
}

static bool under_allowed(const char *real)
{
    bool ok = false;
    pthread_mutex_lock(&allowed.lock);
    if (!allowed.n) ok = true;
    for (size_t i = 0; i < allowed.n && !ok; i++) ok = ac_path_within(real, allowed.dirs[i]);
    pthread_mutex_unlock(&allowed.lock);
    return ok;
}

/* inside(realpath(path)), or -1 when path does not resolve */
static int judge_at(const char *path, bool (*inside)(const char *real, void *ctx), void *ctx)
{
    char *r = realpath(path, NULL);
    if (!r) return -1;
    int ok = inside(r, ctx);
    free(r);
    return ok;
}

bool ac_fs_judge(const char *path, bool (*inside)(const char *real, void *ctx), void *ctx)
{
    int v = judge_at(path, inside, ctx);
    if (v >= 0) return v;
    /* not all there: the longest prefix that is decides, and a dangling link is outside */
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) return false;
    for (;;) {
        struct stat sb;
        if (lstat(buf, &sb) == 0 && S_ISLNK(sb.st_mode)) return false;
        char *slash = strrchr(buf, '/');
        if (!slash) return judge_at(".", inside, ctx) == 1;
        if (slash == buf) return inside("/", ctx);
        *slash = 0;
        if ((v = judge_at(buf, inside, ctx)) >= 0) return v;
    }
}

static bool allowed_cb(const char *real, void *ctx)
{
    (void)ctx;
    return under_allowed(real);
}

bool ac_fs_allowed(const char *path)
{
    return ac_fs_judge(path, allowed_cb, NULL);
}
