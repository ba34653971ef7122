/* One arena per loaded contract: every IR node and string of a contract comes from it and is
 * released with it.  Build with -DAC_ARENA_MALLOC to make each allocation a separate malloc, so
 * that ASan and valgrind see overflows between objects. */
#ifndef AC_ARENA_H
#define AC_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct ac_arena ac_arena;

/* A new, empty arena; aborts the process with exit code 2 when memory is exhausted. */
ac_arena *ac_arena_new(void);
void ac_arena_free(ac_arena *a);
/* Empties the arena for reuse without giving its memory back: the newest chunk is kept (zeroed
 * again, so allocations stay zeroed), the others are freed. */
void ac_arena_reset(ac_arena *a);

/* Zeroed memory, aligned for any type; never NULL (out of memory ends the process, exit 2). */
void *ac_arena_alloc(ac_arena *a, size_t n);
void *ac_arena_memdup(ac_arena *a, const void *p, size_t n);
char *ac_arena_strdup(ac_arena *a, const char *s);
char *ac_arena_strndup(ac_arena *a, const char *s, size_t n);
char *ac_arena_printf(ac_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *ac_arena_vprintf(ac_arena *a, const char *fmt, va_list ap);
/* Bytes handed out so far (for limits and benchmarks). */
size_t ac_arena_used(const ac_arena *a);

/* Process-wide allocation helpers with the same out-of-memory contract. */
void *ac_xmalloc(size_t n);
void *ac_xcalloc(size_t n, size_t size);
void *ac_xrealloc(void *p, size_t n);
char *ac_xstrdup(const char *s);
/* Zeroed memory for a large table: from n >= 8 MiB on, a mapping with transparent huge pages
 * (fewer page faults); smaller, calloc.  Free with ac_big_free and the same n. */
void *ac_big_calloc(size_t n);
void ac_big_free(void *p, size_t n);
/* Prints "apicompat: out of memory" and exits with status 2 (could not check). */
_Noreturn void ac_oom(void);

#endif
