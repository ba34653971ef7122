/* A growing text buffer, NUL-terminated after every write, optionally bounded: a write that would
 * take it past max bytes is dropped and marks it cut, and nothing more is written. */
#ifndef AC_TEXT_H
#define AC_TEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct ac_text {
    char *p; /* malloc'd (free it with ac_text_free); NULL until the first write */
    size_t n, cap;
    size_t max; /* 0: no bound */
    bool cut;   /* a write would have passed max */
} ac_text;

void ac_text_put(ac_text *t, const char *s, size_t n);
void ac_text_puts(ac_text *t, const char *s);
void ac_text_printf(ac_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ac_text_vprintf(ac_text *t, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void ac_text_free(ac_text *t);

#endif
