#include "compat/base/decimal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat/base/arena.h"

bool ac_decimal_parse(const char *s, size_t len, ac_decimal *out)
{
    memset(out, 0, sizeof *out);
    size_t i = 0;
    if (i < len && (s[i] == '-' || s[i] == '+')) out->neg = s[i++] == '-';
    out->buf = ac_xmalloc(len + 1);
    size_t n = 0, seen = 0;
    long exp = 0;
    bool frac = false;
    for (; i < len; i++) {
        if (s[i] == '.' && !frac) {
            frac = true;
            continue;
        }
        if (s[i] < '0' || s[i] > '9') break;
        seen++;
        if (n || s[i] != '0') out->buf[n++] = s[i];
        if (frac) exp--;
    }
    if (!seen) goto bad;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < len && (s[i] == '-' || s[i] == '+')) eneg = s[i++] == '-';
        long e = 0;
        size_t ed = 0;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, ed++)
            if (e < 1000000000L) e = e * 10 + (s[i] - '0'); /* saturates far beyond any double */
        if (!ed) goto bad;
        exp += eneg ? -e : e;
    }
    if (i != len) goto bad;
    if (!n) exp = 0; /* digits after the point that were all zeros */
    while (n && out->buf[n - 1] == '0') n--, exp++;
    out->buf[n] = 0;
    out->digits = out->buf;
    out->ndigits = n;
    out->exp = n ? exp : 0;
    if (!n) out->neg = false;
    return true;
bad:
    free(out->buf);
    out->buf = NULL;
    return false;
}

bool ac_decimal_equal(const ac_decimal *a, const ac_decimal *b)
{
    return a->neg == b->neg && a->exp == b->exp && a->ndigits == b->ndigits && !memcmp(a->digits, b->digits, a->ndigits);
}

char *ac_decimal_text(const ac_decimal *x)
{
    char *out = ac_xmalloc(x->ndigits + 48), *w = out;
    if (x->neg) *w++ = '-';
    if (!x->ndigits) {
        strcpy(w, "0");
    } else if (x->exp >= 0 && x->exp <= 21) {
        memcpy(w, x->digits, x->ndigits);
        memset(w + x->ndigits, '0', (size_t)x->exp);
        w[x->ndigits + (size_t)x->exp] = 0;
    } else {
        memcpy(w, x->digits, x->ndigits);
        snprintf(w + x->ndigits, 40, "e%ld", x->exp);
    }
    return out;
}

int ac_decimal_cmp(const ac_decimal *a, const ac_decimal *b)
{
    if (!a->ndigits || !b->ndigits) {
        if (!a->ndigits && !b->ndigits) return 0;
        return !a->ndigits ? (b->neg ? 1 : -1) : (a->neg ? -1 : 1);
    }
    if (a->neg != b->neg) return a->neg ? -1 : 1;
    int sign = a->neg ? -1 : 1;
    /* the power of ten of the leading digit decides first, then the digits one by one */
    long ma = (long)a->ndigits + a->exp, mb = (long)b->ndigits + b->exp;
    if (ma != mb) return ma < mb ? -sign : sign;
    size_t n = a->ndigits > b->ndigits ? a->ndigits : b->ndigits;
    for (size_t i = 0; i < n; i++) {
        char da = i < a->ndigits ? a->digits[i] : '0', db = i < b->ndigits ? b->digits[i] : '0';
        if (da != db) return da < db ? -sign : sign;
    }
    return 0;
}

const char *ac_double_text(double v, char buf[AC_DOUBLE_TEXT])
{
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, AC_DOUBLE_TEXT, "%.*g", p, v);
        if (strtod(buf, NULL) == v) return buf;
    }
    snprintf(buf, AC_DOUBLE_TEXT, "%.17g", v); /* NaN */
    return buf;
}

char *ac_decimal_exact(const char *text, size_t len, double v)
{
    char tmp[AC_DOUBLE_TEXT];
    ac_double_text(v, tmp);
    size_t l = strlen(tmp);
    if (!text || (len == l && !memcmp(text, tmp, l))) return NULL;
    ac_decimal w, x;
    if (!ac_decimal_parse(text, len, &w)) return NULL;
    bool same = ac_decimal_parse(tmp, l, &x) && ac_decimal_equal(&w, &x);
    free(x.buf);
    char *exact = same ? NULL : ac_decimal_text(&w);
    free(w.buf);
    return exact;
}

int ac_number_cmp(double a, const char *a_exact, double b, const char *b_exact)
{
    if (a < b) return -1;
    if (a > b) return 1;
    if (!a_exact && !b_exact) return 0; /* the same double, or NaN against anything */
    /* rounding keeps order, so only numbers with the same double need their texts */
    char ta[AC_DOUBLE_TEXT], tb[AC_DOUBLE_TEXT];
    const char *sa = a_exact ? a_exact : ac_double_text(a, ta), *sb = b_exact ? b_exact : ac_double_text(b, tb);
    ac_decimal da, db;
    int r = 0;
    if (ac_decimal_parse(sa, strlen(sa), &da)) {
        if (ac_decimal_parse(sb, strlen(sb), &db)) {
            r = ac_decimal_cmp(&da, &db);
            free(db.buf);
        }
        free(da.buf);
    }
    return r;
}
