#include "compat/base/escape.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

/* The next character of s: its length in bytes, its code point, and whether it is UTF-8 at all
 * (an invalid, overlong, surrogate or cut-short sequence is one invalid byte). */
static size_t next_char(const unsigned char *s, uint32_t *cp, bool *valid)
{
    unsigned char c = s[0];
    *valid = true;
    *cp = c;
    if (c < 0x80) return 1;
    size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    uint32_t v = n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            n = 0;
            break;
        }
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (!n || (n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) || (v >= 0xd800 && v <= 0xdfff)) {
        *valid = false;
        return 1;
    }
    *cp = v;
    return n;
}

static bool unsafe(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029 || cp == 0xfffe || cp == 0xffff;
}

/* The visible form of an unsafe character of n bytes at s: \n \r \t, else \xNN per byte. */
static void put_visible(FILE *f, const unsigned char *s, size_t n)
{
    if (*s == '\n') fputs("\\n", f);
    else if (*s == '\r') fputs("\\r", f);
    else if (*s == '\t') fputs("\\t", f);
    else
        for (size_t i = 0; i < n; i++) fprintf(f, "\\x%02x", s[i]);
}

void ac_esc_line(FILE *f, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        uint32_t cp;
        bool valid;
        size_t n = next_char(s, &cp, &valid);
        if (!valid || unsafe(cp)) put_visible(f, s, n);
        else fwrite(s, 1, n, f);
        s += n;
    }
}

void ac_esc_github(FILE *f, const char *str, bool property)
{
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        uint32_t cp;
        bool valid;
        size_t n = next_char(s, &cp, &valid);
        if (*s == '%') fputs("%25", f);
        else if (*s == '\r') fputs("%0D", f);
        else if (*s == '\n') fputs("%0A", f);
        else if (property && *s == ':') fputs("%3A", f);
        else if (property && *s == ',') fputs("%2C", f);
        else if (!valid || unsafe(cp)) put_visible(f, s, n);
        else fwrite(s, 1, n, f);
        s += n;
    }
}

void ac_esc_markdown(FILE *f, const char *str)
{
    const unsigned char *s = (const unsigned char *)str, *start = s;
    while (*s) {
        uint32_t cp;
        bool valid;
        size_t n = next_char(s, &cp, &valid);
        unsigned char c = *s;
        if (!valid || unsafe(cp)) {
            put_visible(f, s, n); /* a backslash before a letter shows as itself */
        } else if (c == '<') {
            fputs("&lt;", f);
        } else if (c == '>') {
            fputs("&gt;", f);
        } else if (c == '&') {
            fputs("&amp;", f);
        } else if (c == '@') {
            fputs("@&#8203;", f); /* no mention, no mail link */
        } else if (strchr("\\`*_[]~|#$!", c)) {
            fputc('\\', f);
            fputc(c, f);
        } else if ((c == ':' && s[1] == '/' && s[2] == '/') || (c == '.' && s - start >= 3 && !strncasecmp((const char *)s - 3, "www", 3))) {
            fputc('\\', f); /* no autolink */
            fputc(c, f);
        } else {
            fwrite(s, 1, n, f);
        }
        s += n;
    }
}

void ac_esc_markdown_code(FILE *f, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t run = 0, longest = 0, len = strlen(str);
    for (size_t i = 0; i < len; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        if (run > longest) longest = run;
    }
    /* a space inside each delimiter when the content would merge with it or lose one */
    bool pad = len && (s[0] == '`' || s[len - 1] == '`' || (s[0] == ' ' && s[len - 1] == ' '));
    for (size_t i = 0; i <= longest; i++) fputc('`', f);
    if (pad) fputc(' ', f);
    while (*s) {
        uint32_t cp;
        bool valid;
        size_t n = next_char(s, &cp, &valid);
        if (!valid || unsafe(cp)) put_visible(f, s, n);
        else if (*s == '|') fputs("\\|", f);
        else fwrite(s, 1, n, f);
        s += n;
    }
    if (pad) fputc(' ', f);
    for (size_t i = 0; i <= longest; i++) fputc('`', f);
}

void ac_esc_xml(FILE *f, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        uint32_t cp;
        bool valid;
        size_t n = next_char(s, &cp, &valid);
        unsigned char c = *s;
        if (c == '<') fputs("&lt;", f);
        else if (c == '>') fputs("&gt;", f);
        else if (c == '&') fputs("&amp;", f);
        else if (c == '"') fputs("&quot;", f);
        else if (c == '\n') fputs("&#10;", f);
        else if (c == '\t') fputs("&#9;", f);
        else if (!valid || unsafe(cp)) put_visible(f, s, n);
        else fwrite(s, 1, n, f);
        s += n;
    }
}

void ac_esc_json_write(FILE *f, const char *json)
{
    const unsigned char *s = (const unsigned char *)json;
    while (*s) {
        const unsigned char *plain = s;
        while (*s && *s < 0x7f) s++;
        fwrite(plain, 1, (size_t)(s - plain), f);
        if (!*s) break;
        uint32_t cp;
        bool valid;
        size_t n = next_char(s, &cp, &valid);
        if (!valid) fputs("\\ufffd", f);
        else if (unsafe(cp)) fprintf(f, "\\u%04x", (unsigned)cp);
        else fwrite(s, 1, n, f);
        s += n;
    }
}
