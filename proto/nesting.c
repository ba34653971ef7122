/* The brace-depth scan that every .proto source passes before either compiler sees it. */
#include "proto/nesting.h"

#include <stdio.h>
#include <string.h>

#define MAX_SOURCE_NESTING AC_MAX_SOURCE_NESTING

/* A scan of .proto source for its brace depth, fed in chunks: comments and string literals are
 * skipped, so their braces do not count. */
typedef struct nest_scan {
    enum { NS_CODE, NS_SLASH, NS_LINE_COMMENT, NS_BLOCK_COMMENT, NS_BLOCK_STAR, NS_STRING, NS_ESCAPE } state;
    char quote;
    unsigned depth, line, col;
} nest_scan;

/* false when the depth passed MAX_SOURCE_NESTING; s->line and s->col are then at that brace. */
static bool nest_feed(nest_scan *s, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (ch == '\n') {
            s->line++;
            s->col = 0;
        } else {
            s->col++;
        }
        if (s->state == NS_SLASH) {
            s->state = ch == '/' ? NS_LINE_COMMENT : ch == '*' ? NS_BLOCK_COMMENT : NS_CODE;
            if (s->state != NS_CODE) continue;
            /* the slash was code, and so may this be */
        }
        switch (s->state) {
        case NS_SLASH:
        case NS_CODE:
            if (ch == '/') s->state = NS_SLASH;
            else if (ch == '"' || ch == '\'') s->state = NS_STRING, s->quote = ch;
            else if (ch == '{' && ++s->depth > MAX_SOURCE_NESTING) return false;
            else if (ch == '}' && s->depth) s->depth--;
            break;
        case NS_LINE_COMMENT:
            if (ch == '\n') s->state = NS_CODE;
            break;
        case NS_BLOCK_COMMENT:
            if (ch == '*') s->state = NS_BLOCK_STAR;
            break;
        case NS_BLOCK_STAR:
            s->state = ch == '/' ? NS_CODE : ch == '*' ? NS_BLOCK_STAR : NS_BLOCK_COMMENT;
            break;
        case NS_STRING:
            if (ch == '\\') s->state = NS_ESCAPE;
            else if (ch == s->quote || ch == '\n') s->state = NS_CODE; /* a newline ends it for protoc too */
            break;
        case NS_ESCAPE:
            s->state = NS_STRING;
            break;
        }
    }
    return true;
}

static int nesting_fail(const nest_scan *s, const char *display, ac_status *st)
{
    return ac_fail(st, display, s->line, s->col, "braces nested more than %d deep", MAX_SOURCE_NESTING);
}

/* nest_feed's answer for a whole text, without counting lines and columns (comments are skipped
 * with memchr): the scan runs over every source file before it is compiled. */
static bool nest_fast(const char *p, size_t n)
{
    const char *e = p + n;
    unsigned depth = 0;
    while (p < e) {
        char ch = *p++;
        switch (ch) {
        case '{':
            if (++depth > MAX_SOURCE_NESTING) return false;
            break;
        case '}':
            if (depth) depth--;
            break;
        case '"':
        case '\'':
            while (p < e) {
                char c = *p++;
                if (c == '\\') {
                    if (p < e) p++;
                } else if (c == ch || c == '\n') {
                    break;
                }
            }
            break;
        case '/':
            if (p < e && *p == '/') {
                const char *nl = memchr(p, '\n', (size_t)(e - p));
                p = nl ? nl + 1 : e;
            } else if (p < e && *p == '*') {
                p++;
                for (;;) {
                    const char *star = memchr(p, '*', (size_t)(e - p));
                    if (!star) {
                        p = e;
                        break;
                    }
                    p = star + 1;
                    if (p < e && *p == '/') {
                        p++;
                        break;
                    }
                }
            }
            break;
        default: break;
        }
    }
    return true;
}

bool ac_proto_nesting_ok(const char *text, size_t n, unsigned *line, unsigned *col)
{
    if (nest_fast(text, n)) return true;
    nest_scan s = {.line = 1}; /* again, for the position */
    if (nest_feed(&s, text, n)) return true;
    *line = s.line;
    *col = s.col;
    return false;
}

int ac_proto_check_nesting_file(const char *path, const char *display, ac_status *st)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return AC_OK; /* protoc reports what it cannot read */
    nest_scan s = {.line = 1};
    char buf[65536];
    size_t n;
    int rc = AC_OK;
    while (!rc && (n = fread(buf, 1, sizeof buf, fp)) > 0)
        if (!nest_feed(&s, buf, n)) rc = nesting_fail(&s, display, st);
    fclose(fp);
    return rc;
}

int ac_proto_check_nesting_text(const char *text, size_t n, const char *display, ac_status *st)
{
    nest_scan s = {.line = 1};
    return nest_feed(&s, text, n) ? AC_OK : nesting_fail(&s, display, st);
}
