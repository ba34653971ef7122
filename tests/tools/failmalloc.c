/* LD_PRELOAD shim for the allocation-failure test (tests/e2e/alloc-failure.sh): every malloc,
 * calloc, realloc and posix_memalign of the process is counted, and the one numbered
 * FAILMALLOC_AT fails (returns NULL with ENOMEM).  With FAILMALLOC_COUNT=FILE the total is written
 * to FILE at exit.  glibc's own entry points do the real work. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static long at = -2, count;

static int fail_now(void)
{
    if (at == -2) {
        const char *s = getenv("FAILMALLOC_AT");
        at = s ? atol(s) : -1;
    }
    return ++count == at;
}

void *malloc(size_t n)
{
    if (fail_now()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
    if (fail_now()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
    if (fail_now()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_realloc(p, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    if (fail_now()) return ENOMEM;
    void *p = __libc_memalign(align, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

__attribute__((destructor)) static void report(void)
{
    const char *f = getenv("FAILMALLOC_COUNT");
    if (!f) return;
    int fd = open(f, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return;
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%ld\n", count);
    if (write(fd, buf, (size_t)n) < 0) {
    }
    close(fd);
}
