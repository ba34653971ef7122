#include "compat/base/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat/base/arena.h"

void ac_text_put(ac_text *t, const char *s, size_t n)
{
    if (t->cut) return;
    if (t->max && t->n + n > t->max) {
        t->cut = true;
        return;
    }
    if (t->n + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 128;
        while (cap < t->n + n + 1) cap *= 2;
        t->p = ac_xrealloc(t->p, cap);
        t->cap = cap;
    }
    if (n) memcpy(t->p + t->n, s, n);
    t->n += n;
    t->p[t->n] = 0;
}

void ac_text_puts(ac_text *t, const char *s)
{
    ac_text_put(t, s, strlen(s));
}

void ac_text_vprintf(ac_text *t, const char *fmt, va_list ap)
{
    char small[128];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) {
        va_end(again);
        return;
    }
    if ((size_t)n < sizeof small) {
        ac_text_put(t, small, (size_t)n);
    } else {
        char *big = ac_xmalloc((size_t)n + 1);
        vsnprintf(big, (size_t)n + 1, fmt, again);
        ac_text_put(t, big, (size_t)n);
        free(big);
    }
    va_end(again);
}

void ac_text_printf(ac_text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ac_text_vprintf(t, fmt, ap);
    va_end(ap);
}

void ac_text_free(ac_text *t)
{
    free(t->p);
    memset(t, 0, sizeof *t);
}
