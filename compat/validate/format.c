/* `format` checks: one row per format, each a function over the value as written.
 *
 * The string formats follow the RFCs JSON Schema names (RFC 3339 dates and times, RFC 3986 URIs,
 * RFC 4122 UUIDs, RFC 5321 addresses, RFC 4648 base64); the numeric ones are OpenAPI's (int32,
 * int64 ranges, finite float and double).  A format nobody defines is not checked. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compat/base/decimal.h"
#include "compat/validate/validate_internal.h"

typedef struct cur {
    const char *p, *end;
} cur;

static bool digits(cur *c, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (c->p >= c->end || !isdigit((unsigned char)*c->p)) return false;
        v = v * 10 + (*c->p++ - '0');
    }
    *out = v;
    return true;
}

static bool lit(cur *c, char ch)
{
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

static bool lit_ci(cur *c, char ch)
{
    if (c->p < c->end && tolower((unsigned char)*c->p) == tolower((unsigned char)ch)) {
        c->p++;
        return true;
    }
    return false;
}

static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

static bool full_date(cur *c)
{
    int y, m, d;
    if (!digits(c, 4, &y) || !lit(c, '-') || !digits(c, 2, &m) || !lit(c, '-') || !digits(c, 2, &d)) return false;
    return m >= 1 && m <= 12 && d >= 1 && d <= days_in(y, m);
}

/* RFC 3339 full-time; a leap second only at 23:59:60 UTC. */
static bool full_time(cur *c)
{
    int h, mi, s, oh = 0, om = 0, sign = 0;
    if (!digits(c, 2, &h) || !lit(c, ':') || !digits(c, 2, &mi) || !lit(c, ':') || !digits(c, 2, &s)) return false;
    if (lit(c, '.')) {
        if (c->p >= c->end || !isdigit((unsigned char)*c->p)) return false;
        while (c->p < c->end && isdigit((unsigned char)*c->p)) c->p++;
    }
    if (lit_ci(c, 'z')) {
    } else if (c->p < c->end && (*c->p == '+' || *c->p == '-')) {
        sign = *c->p++ == '+' ? 1 : -1;
        if (!digits(c, 2, &oh) || !lit(c, ':') || !digits(c, 2, &om)) return false;
        if (oh > 23 || om > 59) return false;
    } else {
        return false;
    }
    if (h > 23 || mi > 59 || s > 60) return false;
    if (s == 60) {
        int utc = (h * 60 + mi - sign * (oh * 60 + om)) % 1440;
        if (utc < 0) utc += 1440;
        if (utc != 23 * 60 + 59) return false;
    }
    return true;
}

static const char *f_date(const char *s, size_t n)
{
    cur c = {s, s + n};
    return full_date(&c) && c.p == c.end ? NULL : "not a valid date (RFC 3339 full-date, 2024-02-29)";
}

static const char *f_time(const char *s, size_t n)
{
    cur c = {s, s + n};
    return full_time(&c) && c.p == c.end ? NULL : "not a valid time (RFC 3339 full-time, 12:30:00Z)";
}

static const char *f_date_time(const char *s, size_t n)
{
    cur c = {s, s + n};
    return full_date(&c) && lit_ci(&c, 't') && full_time(&c) && c.p == c.end ? NULL
                                                                              : "not a valid date-time (RFC 3339, 2024-02-29T12:30:00Z)";
}

/* ISO 8601 durations as RFC 3339 appendix A writes them: P1Y2M3DT4H5M6S, P3W.  The units of a
 * part come in order and without gaps (P1Y1D is not one: the months are missing). */
static const char *f_duration(const char *s, size_t n)
{
    static const char *bad = "not a valid duration (ISO 8601, P1DT2H)";
    cur c = {s, s + n};
    if (!lit(&c, 'P') || c.p == c.end) return bad;
    const char *units = "YMD";
    bool in_time = false, week = false;
    int last = -1, count = 0;
    while (c.p < c.end) {
        if (*c.p == 'T') {
            if (in_time || week) return bad;
            in_time = true;
            units = "HMS";
            last = -1;
            count = 0;
            c.p++;
            if (c.p == c.end) return bad;
            continue;
        }
        if (!isdigit((unsigned char)*c.p)) return bad;
        while (c.p < c.end && isdigit((unsigned char)*c.p)) c.p++;
        if (c.p == c.end) return bad;
        char u = *c.p++;
        if (u == 'W' && !in_time && last < 0 && !week) {
            week = true;
            if (c.p != c.end) return bad;
            continue;
        }
        const char *at = u ? strchr(units, u) : NULL;
        if (!at || week) return bad;
        int idx = (int)(at - units);
        if (last >= 0 && idx != last + 1) return bad;
        last = idx;
        count++;
    }
    return week || count || in_time ? (in_time && !count ? bad : NULL) : bad;
}

static bool hostname_ok(const char *s, size_t n)
{
    if (n == 0 || n > 253) return false;
    size_t label = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '.') {
            if (label == 0 || s[i - 1] == '-') return false;
            label = 0;
            continue;
        }
        if (!isalnum((unsigned char)ch) && ch != '-') return false;
        if (ch == '-' && label == 0) return false;
        if (++label > 63) return false;
    }
    return label > 0 && s[n - 1] != '-';
}

static const char *f_hostname(const char *s, size_t n)
{
    return hostname_ok(s, n) ? NULL : "not a valid hostname (RFC 1123)";
}

static bool ipv4_ok(const char *s, size_t n)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part && (i >= n || s[i++] != '.')) return false;
        size_t start = i;
        int v = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 3) v = v * 10 + (s[i++] - '0');
        if (i == start || v > 255 || (i - start > 1 && s[start] == '0')) return false;
    }
    return i == n;
}

static const char *f_ipv4(const char *s, size_t n)
{
    return ipv4_ok(s, n) ? NULL : "not a valid IPv4 address (dotted decimal, 192.0.2.1)";
}

static bool ipv6_ok(const char *s, size_t n)
{
    int groups = 0;
    bool gap = false;
    size_t i = 0;
    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        gap = true;
        i = 2;
        if (i == n) return true;
    } else if (n && s[0] == ':') {
        return false;
    }
    while (i < n) {
        size_t start = i;
        while (i < n && isxdigit((unsigned char)s[i]) && i - start < 5) i++;
        size_t len = i - start;
        if (i < n && s[i] == '.') { /* an IPv4 tail takes two groups */
            if (!ipv4_ok(s + start, n - start)) return false;
            groups += 2;
            i = n;
            break;
        }
        if (len == 0 || len > 4) return false;
        groups++;
        if (i == n) break;
        if (s[i] != ':') return false;
        i++;
        if (i < n && s[i] == ':') {
            if (gap) return false;
            gap = true;
            i++;
            if (i == n) break;
        } else if (i == n) {
            return false;
        }
    }
    return gap ? groups <= 7 : groups == 8;
}

static const char *f_ipv6(const char *s, size_t n)
{
    return ipv6_ok(s, n) ? NULL : "not a valid IPv6 address (RFC 4291)";
}

static const char *f_uuid(const char *s, size_t n)
{
    static const char *bad = "not a valid uuid (8-4-4-4-12 hexadecimal digits)";
    if (n != 36) return bad;
    for (size_t i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i])) return bad;
    }
    return NULL;
}

/* RFC 5321 mailbox: a dot-atom or quoted local part, and a hostname or an address literal. */
static bool email_ok(const char *s, size_t n, bool intl)
{
    const char *at = NULL;
    size_t i = 0;
    if (n && s[0] == '"') {
        for (i = 1; i < n && s[i] != '"'; i++)
            if (s[i] == '\\') i++;
        if (i >= n) return false;
        i++;
        if (i >= n || s[i] != '@') return false;
        at = s + i;
    } else {
        static const char *atext = "!#$%&'*+-/=?^_`{|}~";
        for (; i < n && s[i] != '@'; i++) {
            unsigned char ch = (unsigned char)s[i];
            if (ch == '.') {
                if (i == 0 || s[i - 1] == '.' || i + 1 >= n || s[i + 1] == '@') return false;
            } else if (!isalnum(ch) && !strchr(atext, ch) && !(intl && ch >= 0x80)) {
                return false;
            }
        }
        if (i == 0 || i >= n) return false;
        at = s + i;
    }
    const char *dom = at + 1;
    size_t dn = (size_t)(s + n - dom);
    if (dn >= 2 && dom[0] == '[' && dom[dn - 1] == ']') {
        if (dn > 7 && !strncmp(dom + 1, "IPv6:", 5)) return ipv6_ok(dom + 6, dn - 7);
        return ipv4_ok(dom + 1, dn - 2);
    }
    if (intl) {
        for (size_t k = 0; k < dn; k++)
            if ((unsigned char)dom[k] >= 0x80) return dn > 0;
    }
    return hostname_ok(dom, dn);
}

static const char *f_email(const char *s, size_t n)
{
    return email_ok(s, n, false) ? NULL : "not a valid email address (RFC 5321)";
}

static const char *f_idn_email(const char *s, size_t n)
{
    return email_ok(s, n, true) ? NULL : "not a valid email address (RFC 6531)";
}

/* RFC 3986 (and RFC 3987 with intl: any character above ASCII): the characters a URI may hold,
 * percent-escapes, a scheme when it must be absolute, and a numeric port. */
static bool uri_ok(const char *s, size_t n, bool absolute, bool intl)
{
    static const char *allowed = "-._~:/?#[]@!$&'()*+,;=";
    size_t i = 0, scheme = 0;
    if (n && isalpha((unsigned char)s[0])) {
        size_t k = 1;
        while (k < n && (isalnum((unsigned char)s[k]) || s[k] == '+' || s[k] == '-' || s[k] == '.')) k++;
        if (k < n && s[k] == ':') scheme = k + 1;
    }
    if (absolute && !scheme) return false;
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '%') {
            if (i + 2 >= n || !isxdigit((unsigned char)s[i + 1]) || !isxdigit((unsigned char)s[i + 2])) return false;
            i += 2;
        } else if (!isalnum(ch) && !strchr(allowed, ch) && !(intl && ch >= 0x80)) {
            return false;
        }
    }
    /* "//authority": brackets only around an IP literal, the port in digits */
    const char *hier = s + scheme;
    size_t hn = n - scheme;
    if (hn >= 2 && hier[0] == '/' && hier[1] == '/') {
        size_t an = strcspn(hier + 2, "/?#");
        if (an > hn - 2) an = hn - 2;
        const char *a = hier + 2, *at = memchr(a, '@', an), *host = at ? at + 1 : a;
        size_t rest = (size_t)(a + an - host);
        /* userinfo has no brackets, and one @ ends it */
        if (at && (memchr(a, '[', (size_t)(at - a)) || memchr(a, ']', (size_t)(at - a)) || memchr(host, '@', rest))) return false;
        if (rest && host[0] == '[') {
            const char *close = memchr(host, ']', rest);
            if (!close) return false;
            if (!ipv6_ok(host + 1, (size_t)(close - host - 1)) && !(close - host > 1 && (host[1] == 'v' || host[1] == 'V')))
                return false;
            host = close + 1;
            rest = (size_t)(a + an - host);
            if (rest && host[0] != ':') return false;
        } else if (memchr(host, '[', rest) || memchr(host, ']', rest)) {
            return false;
        }
        const char *colon = memchr(host, ':', rest);
        if (colon)
            for (const char *p = colon + 1; p < a + an; p++)
                if (!isdigit((unsigned char)*p)) return false;
    } else if (memchr(hier, '[', strcspn(hier, "?#")) || memchr(hier, ']', strcspn(hier, "?#"))) {
        return false;
    }
    /* a relative reference whose first segment has a colon reads as a scheme */
    if (!absolute && !scheme) {
        size_t seg = strcspn(s, "/?#");
        if (memchr(s, ':', seg < n ? seg : n)) return false;
    }
    return true;
}

static const char *f_uri(const char *s, size_t n)
{
    return uri_ok(s, n, true, false) ? NULL : "not a valid absolute URI (RFC 3986)";
}

static const char *f_uri_reference(const char *s, size_t n)
{
    return uri_ok(s, n, false, false) ? NULL : "not a valid URI reference (RFC 3986)";
}

static const char *f_iri(const char *s, size_t n)
{
    return uri_ok(s, n, true, true) ? NULL : "not a valid absolute IRI (RFC 3987)";
}

static const char *f_iri_reference(const char *s, size_t n)
{
    return uri_ok(s, n, false, true) ? NULL : "not a valid IRI reference (RFC 3987)";
}

static bool pct(const char *s, size_t n, size_t i)
{
    return i + 2 < n && s[i] == '%' && isxdigit((unsigned char)s[i + 1]) && isxdigit((unsigned char)s[i + 2]);
}

/* RFC 6570: literals, and expressions of an optional operator and a list of variables, each with
 * a prefix length (1 to 9999) or an explode. */
static const char *f_uri_template(const char *s, size_t n)
{
    static const char *bad = "not a valid URI template (RFC 6570)";
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)s[i];
        if (ch != '{') {
            if (ch == '%') {
                if (!pct(s, n, i)) return bad;
                i += 3;
                continue;
            }
            if (ch <= 0x20 || ch == 0x7f || strchr("\"<>\\^`|}", ch)) return bad;
            i++;
            continue;
        }
        i++;
        if (i < n && strchr("+#./;?&=,!@|", s[i])) i++;
        for (;;) {
            /* varname: varchar *( ["."] varchar ) */
            size_t start = i;
            bool dot_ok = false;
            while (i < n) {
                if (isalnum((unsigned char)s[i]) || s[i] == '_') {
                    i++;
                    dot_ok = true;
                } else if (pct(s, n, i)) {
                    i += 3;
                    dot_ok = true;
                } else if (s[i] == '.' && dot_ok) {
                    i++;
                    dot_ok = false;
                } else {
                    break;
                }
            }
            if (i == start || !dot_ok) return bad;
            if (i < n && s[i] == ':') {
                size_t k = ++i;
                while (i < n && isdigit((unsigned char)s[i])) i++;
                if (i == k || i - k > 4 || s[k] == '0') return bad;
            } else if (i < n && s[i] == '*') {
                i++;
            }
            if (i < n && s[i] == ',') {
                i++;
                continue;
            }
            if (i < n && s[i] == '}') {
                i++;
                break;
            }
            return bad;
        }
    }
    return NULL;
}

static bool pointer_ok(const char *s, size_t n)
{
    if (n && s[0] != '/') return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '~' && (i + 1 >= n || (s[i + 1] != '0' && s[i + 1] != '1'))) return false;
    return true;
}

static const char *f_json_pointer(const char *s, size_t n)
{
    return pointer_ok(s, n) ? NULL : "not a valid JSON pointer (RFC 6901)";
}

static const char *f_relative_json_pointer(const char *s, size_t n)
{
    static const char *bad = "not a valid relative JSON pointer";
    size_t i = 0;
    while (i < n && isdigit((unsigned char)s[i])) i++;
    if (i == 0 || (i > 1 && s[0] == '0')) return bad;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        size_t k = ++i;
        while (i < n && isdigit((unsigned char)s[i])) i++;
        if (i == k || (i - k > 1 && s[k] == '0')) return bad;
    }
    if (i == n) return NULL;
    if (s[i] == '#' && i + 1 == n) return NULL;
    return pointer_ok(s + i, n - i) ? NULL : bad;
}

/* RFC 4648 base64 with padding (OpenAPI's `byte`). */
static const char *f_byte(const char *s, size_t n)
{
    static const char *bad = "not valid base64 (RFC 4648)";
    if (n % 4) return bad;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '=') {
            if (i < n - 2 || (i == n - 2 && s[n - 1] != '=')) return bad;
        } else if (!isalnum(ch) && ch != '+' && ch != '/') {
            return bad;
        }
    }
    return NULL;
}

static const struct {
    const char *name;
    const char *(*check)(const char *s, size_t n);
} string_formats[] = {
    {"date-time", f_date_time},
    {"date", f_date},
    {"time", f_time},
    {"duration", f_duration},
    {"email", f_email},
    {"idn-email", f_idn_email},
    {"hostname", f_hostname},
    {"ipv4", f_ipv4},
    {"ipv6", f_ipv6},
    {"uri", f_uri},
    {"uri-reference", f_uri_reference},
    {"iri", f_iri},
    {"iri-reference", f_iri_reference},
    {"uri-template", f_uri_template},
    {"uuid", f_uuid},
    {"json-pointer", f_json_pointer},
    {"relative-json-pointer", f_relative_json_pointer},
    {"byte", f_byte},
};

/* An integer format's range, compared exactly. */
static const char *int_range(const ac_doc_node *x, const char *lo, const char *hi, const char *name, char *buf, size_t n)
{
    if (!ac_val_is_integer(x)) {
        snprintf(buf, n, "not an integer (format %s)", name);
        return buf;
    }
    if (ac_val_num_cmp_text(x, lo) < 0 || ac_val_num_cmp_text(x, hi) > 0) {
        snprintf(buf, n, "out of the %s range (%s to %s)", name, lo, hi);
        return buf;
    }
    return NULL;
}

const char *ac_val_check_format(const char *format, const ac_doc_node *x, char *buf, size_t n)
{
    if (x->type == AC_DOC_STRING) {
        for (size_t i = 0; i < sizeof string_formats / sizeof *string_formats; i++)
            if (!strcmp(format, string_formats[i].name)) return string_formats[i].check(x->str, x->len);
        return NULL;
    }
    if (x->type != AC_DOC_NUMBER) return NULL;
    if (!strcmp(format, "int32")) return int_range(x, "-2147483648", "2147483647", "int32", buf, n);
    if (!strcmp(format, "int64")) return int_range(x, "-9223372036854775808", "9223372036854775807", "int64", buf, n);
    if (!strcmp(format, "uint32")) return int_range(x, "0", "4294967295", "uint32", buf, n);
    if (!strcmp(format, "uint64")) return int_range(x, "0", "18446744073709551615", "uint64", buf, n);
    if (!strcmp(format, "float") && ac_val_num_cmp_text(x, "-3.4028234663852886e38") >= 0 &&
        ac_val_num_cmp_text(x, "3.4028234663852886e38") <= 0)
        return NULL;
    if (!strcmp(format, "float")) return "out of the float range";
    if (!strcmp(format, "double") && !isfinite(x->num)) return "out of the double range";
    return NULL;
}
