#include "compat/base/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Chunks come from calloc or (2 MiB and more) fresh mmap pages, already zero, so allocations
 * need no memset of their own. */
#define CHUNK_MIN (256 * 1024)
#define ALIGN 16

typedef struct chunk {
    struct chunk *next;
    size_t cap, used;
    size_t mapped; /* bytes mapped with mmap (0: from calloc) */
    max_align_t data[];
} chunk;

struct ac_arena {
    chunk *head;
    size_t total;
};

/* Chunks of 2 MiB and more are mapped at a 2 MiB boundary and given transparent huge pages: one
 * page fault per 2 MiB instead of 512 (on google/cloud's 2,300 .proto files, faulting in 4 KiB
 * pages took a fifth of the time, and more on a virtual machine).  Fresh mappings are zero. */
#define HUGE_PAGE ((size_t)2 << 20)

#ifndef AC_ARENA_MALLOC
static size_t huge_round(size_t n)
{
    size_t len = (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    if (len < n) ac_oom();
    return len;
}

/* len bytes (a multiple of HUGE_PAGE) of fresh zero pages at a HUGE_PAGE boundary; NULL when the
 * system has no such mapping. */
static void *map_huge(size_t len)
{
#if defined(MADV_HUGEPAGE) && defined(MAP_ANONYMOUS)
    if (len > SIZE_MAX - HUGE_PAGE) return NULL;
    char *p = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    char *start = (char *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    if (start > p) munmap(p, (size_t)(start - p));
    if (p + len + HUGE_PAGE > start + len) munmap(start + len, (size_t)(p + len + HUGE_PAGE - (start + len)));
    madvise(start, len, MADV_HUGEPAGE);
    return start;
#else
    (void)len;
    return NULL;
#endif
}

static chunk *map_chunk(size_t cap)
{
    size_t len = huge_round(sizeof(chunk) + cap);
    chunk *c = map_huge(len);
    if (!c) return NULL;
    c->mapped = len;
    c->cap = len - sizeof(chunk);
    return c;
}
#endif

#if !defined(AC_ARENA_MALLOC) && defined(MADV_HUGEPAGE) && defined(MAP_ANONYMOUS)
#define BIG_MAPPINGS 1
#else
#define BIG_MAPPINGS 0 /* sanitizer builds: every allocation visible to them */
#endif

/* from 8 MiB on: smaller tables would round up to whole huge pages for too little gain */
#define BIG_TABLE (4 * HUGE_PAGE)

void *ac_big_calloc(size_t n)
{
#if BIG_MAPPINGS
    if (n >= BIG_TABLE) {
        void *p = map_huge(huge_round(n));
        if (!p) ac_oom();
        return p;
    }
#endif
    return ac_xcalloc(1, n);
}

void ac_big_free(void *p, size_t n)
{
    if (!p) return;
#if BIG_MAPPINGS
    if (n >= BIG_TABLE) {
        munmap(p, huge_round(n));
        return;
    }
#endif
    free(p);
}

#ifndef AC_ARENA_MALLOC
static chunk *new_chunk(size_t cap)
{
    if (sizeof(chunk) + cap >= HUGE_PAGE) {
        chunk *c = map_chunk(cap);
        if (c) return c;
    }
    chunk *c = calloc(1, sizeof(chunk) + cap);
    if (!c) ac_oom();
    c->cap = cap;
    return c;
}
#endif

static void free_chunk(chunk *c)
{
    if (c->mapped) munmap(c, c->mapped);
    else free(c);
}

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
        free_chunk(c);
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
        free_chunk(c);
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
        chunk *nc = new_chunk(cap);
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
