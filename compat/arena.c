#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Chunks come from calloc, already zero (large ones are fresh pages from mmap), so allocations
 * need no memset of their own. */
#define CHUNK_MIN (256 * 1024)
#define ALIGN 16

typedef struct chunk {
    struct chunk *next;
    size_t cap, used;
    max_align_t data[];
} chunk;

struct ac_arena {
    chunk *head;
    size_t total;
};

/* Large chunks are fresh pages from mmap: asking for transparent huge pages there turns hundreds
 * of page faults per megabyte into one (on google/cloud's 2,300 .proto files, about a fifth of the
 * time was the kernel faulting in 4 KiB pages). */
#ifndef AC_ARENA_MALLOC
static void huge_pages(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = 2u << 20;
    if (n < 2 * huge) return;
    uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(huge - 1), hi = ((uintptr_t)p + n) & ~(huge - 1);
    if (hi > lo) madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}
#endif

_Noreturn void ac_oom(void)
{
    static const char msg[] = "apicompat: out of memory\n";
    ssize_t r = write(2, msg, sizeof msg - 1);
    (void)r;
    _exit(2);
}

void *ac_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) ac_oom();
    return p;
}

void *ac_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) ac_oom();
    return p;
}

void *ac_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) ac_oom();
    return q;
}

char *ac_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(ac_xmalloc(n), s, n);
}

ac_arena *ac_arena_new(void)
{
    return ac_xcalloc(1, sizeof(ac_arena));
}

void ac_arena_free(ac_arena *a)
{
    if (!a) return;
    chunk *c = a->head;
    while (c) {
        chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

void ac_arena_reset(ac_arena *a)
{
    chunk *keep = a->head;
#ifdef AC_ARENA_MALLOC
    keep = NULL;
#endif
    chunk *c = keep ? keep->next : a->head;
    while (c) {
        chunk *next = c->next;
        free(c);
        c = next;
    }
    if (keep) {
        memset(keep->data, 0, keep->used);
        keep->used = 0;
        keep->next = NULL;
    }
    a->head = keep;
    a->total = 0;
}

size_t ac_arena_used(const ac_arena *a)
{
    return a->total;
}

void *ac_arena_alloc(ac_arena *a, size_t n)
{
    if (n > SIZE_MAX / 2) ac_oom();
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    a->total += n;
#ifdef AC_ARENA_MALLOC
    /* Debug mode: one allocation per object, chained so the arena can still free them all. */
    chunk *c = calloc(1, sizeof(chunk) + n);
    if (!c) ac_oom();
    c->cap = c->used = n;
    c->next = a->head;
    a->head = c;
    return c->data;
#else
    chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > CHUNK_MIN ? n : CHUNK_MIN;
        if (c && c->cap < (1u << 24) && cap < c->cap * 2) cap = c->cap * 2;
        chunk *nc = calloc(1, sizeof(chunk) + cap);
        if (!nc) ac_oom();
        huge_pages(nc, sizeof(chunk) + cap);
        nc->cap = cap;
        nc->used = 0;
        if (c && n > CHUNK_MIN) {
            /* A large block goes behind the current chunk so its free space stays usable. */
            nc->next = c->next;
            c->next = nc;
            nc->used = n;
            return nc->data;
        }
        nc->next = c;
        a->head = c = nc;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    return p;
#endif
}

void *ac_arena_memdup(ac_arena *a, const void *p, size_t n)
{
    void *q = ac_arena_alloc(a, n);
    if (n) memcpy(q, p, n);
    return q;
}

char *ac_arena_strndup(ac_arena *a, const char *s, size_t n)
{
    char *q = ac_arena_alloc(a, n + 1);
    memcpy(q, s, n);
    q[n] = 0;
    return q;
}

char *ac_arena_strdup(ac_arena *a, const char *s)
{
    return s ? ac_arena_strndup(a, s, strlen(s)) : NULL;
}

char *ac_arena_vprintf(ac_arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    char *s = ac_arena_alloc(a, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *ac_arena_printf(ac_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = ac_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return s;
}
