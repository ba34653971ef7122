/* Semantic versions: parse and order (semver.org 2.0.0, section 11). */
#include "compat/base/semver.h"

#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool ident_char(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* Dot-separated non-empty identifiers of [0-9A-Za-z-]: the length read, 0 when malformed. */
static size_t identifiers(const char *s)
{
    size_t i = 0;
    for (;;) {
        size_t start = i;
        while (ident_char(s[i])) i++;
        if (i == start) return 0;
        if (s[i] != '.') return i;
        i++;
    }
}

bool ac_semver_parse(const char *s, ac_semver *out)
{
    memset(out, 0, sizeof *out);
    const char *slash = strrchr(s, '/');
    if (slash) s = slash + 1;
    if (*s == 'v' || *s == 'V') s++;
    for (int k = 0; k < 3; k++) {
        if (!is_digit(*s)) return false;
        while (*s == '0' && is_digit(s[1])) s++; /* 01 is 1 */
        out->num[k] = s;
        while (is_digit(*s)) s++;
        out->numlen[k] = (size_t)(s - out->num[k]);
        if (k < 2 && *s++ != '.') return false;
    }
    if (*s == '-') {
        size_t n = identifiers(s + 1);
        if (!n) return false;
        out->pre = s + 1;
        out->prelen = n;
        s += 1 + n;
    }
    if (*s == '+') {
        size_t n = identifiers(s + 1);
        if (!n) return false;
        s += 1 + n;
    }
    return *s == 0;
}

/* Two digit strings without leading zeros, numerically. */
static int cmp_num(const char *a, size_t na, const char *b, size_t nb)
{
    if (na != nb) return na < nb ? -1 : 1;
    int c = memcmp(a, b, na);
    return c < 0 ? -1 : c > 0;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i])) return false;
    return n > 0;
}

int ac_semver_cmp(const ac_semver *a, const ac_semver *b)
{
    for (int k = 0; k < 3; k++) {
        int c = cmp_num(a->num[k], a->numlen[k], b->num[k], b->numlen[k]);
        if (c) return c;
    }
    if (!a->prelen || !b->prelen) {
        if (!a->prelen && !b->prelen) return 0;
        return a->prelen ? -1 : 1; /* a pre-release comes before its release */
    }
    const char *p = a->pre, *pe = a->pre + a->prelen, *q = b->pre, *qe = b->pre + b->prelen;
    while (p < pe && q < qe) {
        const char *pd = memchr(p, '.', (size_t)(pe - p)), *qd = memchr(q, '.', (size_t)(qe - q));
        size_t np = (size_t)((pd ? pd : pe) - p), nq = (size_t)((qd ? qd : qe) - q);
        bool dp = all_digits(p, np), dq = all_digits(q, nq);
        int c;
        if (dp && dq) {
            while (np > 1 && *p == '0') p++, np--;
            while (nq > 1 && *q == '0') q++, nq--;
            c = cmp_num(p, np, q, nq);
        } else if (dp != dq) {
            c = dp ? -1 : 1; /* numeric identifiers come first */
        } else {
            c = memcmp(p, q, np < nq ? np : nq);
            c = c ? (c < 0 ? -1 : 1) : np == nq ? 0 : np < nq ? -1 : 1;
        }
        if (c) return c;
        p += np + (pd != NULL);
        q += nq + (qd != NULL);
    }
    /* the one with more identifiers, all before equal, comes later */
    return (p < pe) - (q < qe);
}
