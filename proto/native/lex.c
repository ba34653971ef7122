/* The tokenizer: protoc 3.21's io::Tokenizer, including where comments attach (NextWithComments),
 * because SourceCodeInfo must keep exactly the comment text protoc keeps. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/native/nt.h"

#define TAB_WIDTH 8

void nt_grow(ac_arena *a, void **v, int *cap, size_t elem)
{
    int ncap = *cap ? *cap * 2 : 4;
    void *nv = ac_arena_alloc(a, (size_t)ncap * elem);
    if (*cap) memcpy(nv, *v, (size_t)*cap * elem);
    *v = nv;
    *cap = ncap;
}

void nt_grow_heap(void **v, int *cap, size_t elem)
{
    if (*cap > INT_MAX / 2) ac_oom();
    int ncap = *cap ? *cap * 2 : 16;
    *v = ac_xrealloc(*v, (size_t)ncap * elem);
    *cap = ncap;
}

void nt_buf_reserve(nt_buf *b, size_t more)
{
    if (more > SIZE_MAX / 4 - b->n) ac_oom();
    if (b->cap - b->n >= more) return;
    size_t ncap = b->cap ? b->cap * 2 : 64;
    while (ncap < b->n + more) ncap *= 2;
    if (b->a) {
        uint8_t *np = ac_arena_alloc(b->a, ncap);
        if (b->n) memcpy(np, b->p, b->n);
        b->p = np;
    } else {
        b->p = ac_xrealloc(b->p, ncap);
    }
    b->cap = ncap;
}

void nt_buf_free(nt_buf *b)
{
    if (!b->a) free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

void nt_error(ac_arena *a, nt_errs *errs, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nt_err *e = NT_PUSH(a, *errs);
    e->file = file;
    e->line = line;
    e->col = col;
    e->msg = ac_arena_vprintf(a, fmt, ap);
    va_end(ap);
}

/* ---- character classes (ASCII only, as protoc) ---- */
static bool is_ws(int c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
static bool is_ws_nonl(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
static bool is_unprintable(int c) { return c > 0 && c < ' '; }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_octal(int c) { return c >= '0' && c <= '7'; }
static bool is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static bool is_letter(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool is_alnum(int c) { return is_letter(c) || is_digit(c); }
static bool is_escape(int c) { return c && strchr("abfnrtv\\?'\"", c) != NULL; }

static int digit_value(int c)
{
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return -1;
}

static void lex_error(nt_lexer *lx, const char *msg)
{
    nt_error(lx->a, lx->errs, lx->file, lx->line, lx->col, "%s", msg);
}

static void next_char(nt_lexer *lx)
{
    if (lx->ch == '\n') {
        lx->line++;
        lx->col = 0;
    } else if (lx->ch == '\t') {
        lx->col += TAB_WIDTH - lx->col % TAB_WIDTH;
    } else {
        lx->col++;
    }
    lx->pos++;
    if (lx->pos < lx->len) {
        lx->ch = (unsigned char)lx->buf[lx->pos];
    } else {
        lx->pos = lx->len;
        lx->ch = 0;
        lx->eof = true;
    }
}

void nt_lex_init(nt_lexer *lx, ac_arena *a, const char *file, const char *buf, size_t len, nt_errs *errs)
{
    memset(lx, 0, sizeof *lx);
    lx->a = a;
    lx->file = file;
    lx->buf = buf;
    lx->len = len;
    lx->errs = errs;
    lx->eof = len == 0;
    lx->ch = len ? (unsigned char)buf[0] : 0;
    lx->cur.type = NT_T_START;
    lx->cur.text = "";
    lx->prev = lx->cur;
}

void nt_lex_free(nt_lexer *lx)
{
    nt_buf_free(&lx->scratch[0]);
    nt_buf_free(&lx->scratch[1]);
}

static bool try_consume(nt_lexer *lx, int c)
{
    if (lx->ch == c && !(c == 0 && lx->eof)) {
        next_char(lx);
        return true;
    }
    return false;
}

static bool try_one(nt_lexer *lx, bool (*cls)(int))
{
    if (cls(lx->ch)) {
        next_char(lx);
        return true;
    }
    return false;
}

static void zero_or_more(nt_lexer *lx, bool (*cls)(int))
{
    while (cls(lx->ch)) next_char(lx);
}

static void one_or_more(nt_lexer *lx, bool (*cls)(int), const char *err)
{
    if (!cls(lx->ch)) {
        lex_error(lx, err);
        return;
    }
    do next_char(lx);
    while (cls(lx->ch));
}

static void consume_string(nt_lexer *lx, int delim)
{
    for (;;) {
        if (lx->ch == 0 && lx->eof) {
            lex_error(lx, "Unexpected end of string.");
            return;
        }
        if (lx->ch == '\n') {
            lex_error(lx, "String literals cannot cross line boundaries.");
            return;
        }
        if (lx->ch == '\\') {
            next_char(lx);
            if (try_one(lx, is_escape)) {
            } else if (try_one(lx, is_octal)) {
            } else if (try_consume(lx, 'x') || try_consume(lx, 'X')) {
                if (!try_one(lx, is_hex)) lex_error(lx, "Expected hex digits for escape sequence.");
            } else if (try_consume(lx, 'u')) {
                if (!try_one(lx, is_hex) || !try_one(lx, is_hex) || !try_one(lx, is_hex) || !try_one(lx, is_hex))
                    lex_error(lx, "Expected four hex digits for \\u escape sequence.");
            } else if (try_consume(lx, 'U')) {
                if (!try_consume(lx, '0') || !try_consume(lx, '0') || !(try_consume(lx, '0') || try_consume(lx, '1')) ||
                    !try_one(lx, is_hex) || !try_one(lx, is_hex) || !try_one(lx, is_hex) || !try_one(lx, is_hex) ||
                    !try_one(lx, is_hex))
                    lex_error(lx, "Expected eight hex digits up to 10ffff for \\U escape sequence");
            } else {
                lex_error(lx, "Invalid escape sequence in string literal.");
            }
            continue;
        }
        if (lx->ch == delim) {
            next_char(lx);
            return;
        }
        next_char(lx);
    }
}

static nt_toktype consume_number(nt_lexer *lx, bool started_with_zero, bool started_with_dot)
{
    bool is_float = false;
    if (started_with_zero && (try_consume(lx, 'x') || try_consume(lx, 'X'))) {
        one_or_more(lx, is_hex, "\"0x\" must be followed by hex digits.");
    } else if (started_with_zero && is_digit(lx->ch)) {
        zero_or_more(lx, is_octal);
        if (is_digit(lx->ch)) {
            lex_error(lx, "Numbers starting with leading zero must be in octal.");
            zero_or_more(lx, is_digit);
        }
    } else {
        if (started_with_dot) {
            is_float = true;
            zero_or_more(lx, is_digit);
        } else {
            zero_or_more(lx, is_digit);
            if (try_consume(lx, '.')) {
                is_float = true;
                zero_or_more(lx, is_digit);
            }
        }
        if (try_consume(lx, 'e') || try_consume(lx, 'E')) {
            is_float = true;
            if (!try_consume(lx, '-')) try_consume(lx, '+');
            one_or_more(lx, is_digit, "\"e\" must be followed by exponent.");
        }
    }
    if (is_letter(lx->ch)) {
        lex_error(lx, "Need space between number and identifier.");
    } else if (lx->ch == '.') {
        if (is_float)
            lex_error(lx, "Already saw decimal point or exponent; can't have another one.");
        else
            lex_error(lx, "Hex and octal numbers must be integers.");
    }
    return is_float ? NT_T_FLOAT : NT_T_INT;
}

/* Appends buf[from, pos) to the recording target. */
static void record(nt_lexer *lx, nt_buf *b, size_t from)
{
    if (b && lx->pos > from) nt_buf_put(b, lx->buf + from, lx->pos - from);
}

static void consume_line_comment(nt_lexer *lx, nt_buf *content)
{
    size_t from = lx->pos;
    while (!(lx->ch == 0 && lx->eof) && lx->ch != '\n') next_char(lx);
    try_consume(lx, '\n');
    record(lx, content, from);
}

static void consume_block_comment(nt_lexer *lx, nt_buf *content)
{
    int start_line = lx->line, start_col = lx->col - 2;
    size_t from = lx->pos;
    bool recording = true;
    for (;;) {
        while (!(lx->ch == 0 && lx->eof) && lx->ch != '*' && lx->ch != '/' && lx->ch != '\n') next_char(lx);
        if (try_consume(lx, '\n')) {
            if (recording) record(lx, content, from);
            recording = false;
            zero_or_more(lx, is_ws_nonl);
            if (try_consume(lx, '*')) {
                if (try_consume(lx, '/')) break;
            }
            from = lx->pos;
            recording = true;
        } else if (try_consume(lx, '*') && try_consume(lx, '/')) {
            if (recording) {
                record(lx, content, from);
                if (content) content->n -= 2;
            }
            break;
        } else if (try_consume(lx, '/') && lx->ch == '*') {
            lex_error(lx, "\"/*\" inside block comment.  Block comments cannot be nested.");
        } else if (lx->ch == 0 && lx->eof) {
            lex_error(lx, "End-of-file inside block comment.");
            nt_error(lx->a, lx->errs, lx->file, start_line, start_col, "  Comment started here.");
            if (recording) record(lx, content, from);
            break;
        }
    }
}

enum { NO_COMMENT, LINE_COMMENT, BLOCK_COMMENT, SLASH_NOT_COMMENT };

static int try_comment_start(nt_lexer *lx)
{
    if (lx->ch == '/') {
        size_t at = lx->pos;
        int line = lx->line, col = lx->col;
        next_char(lx);
        if (try_consume(lx, '/')) return LINE_COMMENT;
        if (try_consume(lx, '*')) return BLOCK_COMMENT;
        lx->prev = lx->cur; /* protoc does not update previous_ here; harmless for valid input */
        lx->cur.type = NT_T_SYMBOL;
        lx->cur.text = lx->buf + at;
        lx->cur.len = 1;
        lx->cur.line = line;
        lx->cur.col = col;
        lx->cur.end_col = col + 1;
        return SLASH_NOT_COMMENT;
    }
    return NO_COMMENT;
}

bool nt_lex_next(nt_lexer *lx)
{
    lx->prev = lx->cur;
    while (!lx->eof) {
        zero_or_more(lx, is_ws);
        switch (try_comment_start(lx)) {
        case LINE_COMMENT: consume_line_comment(lx, NULL); continue;
        case BLOCK_COMMENT: consume_block_comment(lx, NULL); continue;
        case SLASH_NOT_COMMENT: return true;
        default: break;
        }
        if (lx->eof) break;
        if (is_unprintable(lx->ch) || lx->ch == 0) {
            lex_error(lx, "Invalid control characters encountered in text.");
            next_char(lx);
            while (try_one(lx, is_unprintable) || (!lx->eof && try_consume(lx, 0))) {
            }
            continue;
        }
        size_t start = lx->pos;
        lx->cur.line = lx->line;
        lx->cur.col = lx->col;
        if (try_one(lx, is_letter)) {
            zero_or_more(lx, is_alnum);
            lx->cur.type = NT_T_IDENT;
        } else if (try_consume(lx, '0')) {
            lx->cur.type = consume_number(lx, true, false);
        } else if (try_consume(lx, '.')) {
            if (try_one(lx, is_digit)) {
                if (lx->prev.type == NT_T_IDENT && lx->cur.line == lx->prev.line && lx->cur.col == lx->prev.end_col)
                    nt_error(lx->a, lx->errs, lx->file, lx->line, lx->col - 2,
                             "Need space between identifier and decimal point.");
                lx->cur.type = consume_number(lx, false, true);
            } else {
                lx->cur.type = NT_T_SYMBOL;
            }
        } else if (try_one(lx, is_digit)) {
            lx->cur.type = consume_number(lx, false, false);
        } else if (try_consume(lx, '"')) {
            consume_string(lx, '"');
            lx->cur.type = NT_T_STRING;
        } else if (try_consume(lx, '\'')) {
            consume_string(lx, '\'');
            lx->cur.type = NT_T_STRING;
        } else {
            if (lx->ch & 0x80) {
                char m[64];
                snprintf(m, sizeof m, "Interpreting non ascii codepoint %d.", lx->ch);
                lex_error(lx, m);
            }
            next_char(lx);
            lx->cur.type = NT_T_SYMBOL;
        }
        lx->cur.text = lx->buf + start;
        lx->cur.len = (int)(lx->pos - start);
        lx->cur.end_col = lx->col;
        return true;
    }
    lx->cur.type = NT_T_END;
    lx->cur.text = "";
    lx->cur.len = 0;
    lx->cur.line = lx->line;
    lx->cur.col = lx->col;
    lx->cur.end_col = lx->col;
    return false;
}

/* protoc's CommentCollector */
typedef struct collector {
    nt_lexer *lx;
    ac_arena *a;
    char **prev_trailing;
    nt_strv *detached;
    char **next_leading;
    nt_buf buf;
    nt_buf trailing;
    bool has_trailing_text;
    bool has_comment, is_line, can_attach;
} collector;

static char *buf_str(ac_arena *a, const nt_buf *b)
{
    return ac_arena_strndup(a, b->p ? (const char *)b->p : "", b->n);
}

static void col_flush(collector *c)
{
    if (!c->has_comment) return;
    if (c->can_attach) {
        if (c->prev_trailing) {
            nt_buf_put(&c->trailing, c->buf.p, c->buf.n);
            c->has_trailing_text = true;
        }
        c->can_attach = false;
    } else if (c->detached) {
        *NT_PUSH(c->a, *c->detached) = buf_str(c->a, &c->buf);
    }
    c->buf.n = 0;
    c->has_comment = false;
}

static nt_buf *col_line(collector *c)
{
    if (c->has_comment && !c->is_line) col_flush(c);
    c->has_comment = true;
    c->is_line = true;
    return &c->buf;
}

static nt_buf *col_block(collector *c)
{
    if (c->has_comment) col_flush(c);
    c->has_comment = true;
    c->is_line = false;
    return &c->buf;
}

static void col_done(collector *c)
{
    if (c->next_leading && c->has_comment) *c->next_leading = buf_str(c->a, &c->buf);
    if (c->prev_trailing && c->has_trailing_text) *c->prev_trailing = buf_str(c->a, &c->trailing);
    /* the buffers go back to the lexer for the next token */
    c->lx->scratch[0] = c->buf;
    c->lx->scratch[1] = c->trailing;
}

bool nt_lex_next_comments(nt_lexer *lx, char **prev_trailing, nt_strv *detached, char **next_leading)
{
    collector c = {.lx = lx, .a = lx->ca ? lx->ca : lx->a, .prev_trailing = prev_trailing, .detached = detached,
                   .next_leading = next_leading, .buf = lx->scratch[0], .trailing = lx->scratch[1], .can_attach = true};
    c.buf.n = c.trailing.n = 0;
    if (prev_trailing) *prev_trailing = NULL;
    if (detached) detached->n = 0;
    if (next_leading) *next_leading = NULL;
    bool result;

    if (lx->cur.type == NT_T_START) {
        if (try_consume(lx, 0xEF)) {
            if (!try_consume(lx, 0xBB) || !try_consume(lx, 0xBF)) {
                lex_error(lx, "Proto file starts with 0xEF but not UTF-8 BOM. Only UTF-8 is accepted for proto file.");
                col_done(&c);
                return false;
            }
        }
        c.can_attach = false;
    } else {
        zero_or_more(lx, is_ws_nonl);
        switch (try_comment_start(lx)) {
        case LINE_COMMENT:
            consume_line_comment(lx, col_line(&c));
            col_flush(&c);
            break;
        case BLOCK_COMMENT:
            consume_block_comment(lx, col_block(&c));
            zero_or_more(lx, is_ws_nonl);
            if (!try_consume(lx, '\n')) {
                c.buf.n = 0;
                c.has_comment = false;
                result = nt_lex_next(lx);
                col_done(&c);
                return result;
            }
            col_flush(&c);
            break;
        case SLASH_NOT_COMMENT: col_done(&c); return true;
        default:
            if (!try_consume(lx, '\n')) {
                result = nt_lex_next(lx);
                col_done(&c);
                return result;
            }
        }
    }
    for (;;) {
        zero_or_more(lx, is_ws_nonl);
        switch (try_comment_start(lx)) {
        case LINE_COMMENT: consume_line_comment(lx, col_line(&c)); break;
        case BLOCK_COMMENT:
            consume_block_comment(lx, col_block(&c));
            zero_or_more(lx, is_ws_nonl);
            try_consume(lx, '\n');
            break;
        case SLASH_NOT_COMMENT: col_done(&c); return true;
        default:
            if (try_consume(lx, '\n')) {
                col_flush(&c);
                c.can_attach = false;
            } else {
                result = nt_lex_next(lx);
                const nt_tok *t = &lx->cur;
                if (!result || (t->len == 1 && (t->text[0] == '}' || t->text[0] == ']' || t->text[0] == ')')))
                    col_flush(&c);
                col_done(&c);
                return result;
            }
        }
    }
}

/* ---- token values ---- */

bool nt_parse_uint(const char *text, int len, uint64_t max, uint64_t *out)
{
    int base = 10, i = 0;
    if (len > 0 && text[0] == '0') {
        if (len > 1 && (text[1] == 'x' || text[1] == 'X')) {
            base = 16;
            i = 2;
        } else {
            base = 8;
        }
    }
    uint64_t r = 0;
    for (; i < len; i++) {
        int d = digit_value((unsigned char)text[i]);
        if (d < 0 || d >= base) return false;
        if (r > (max - (uint64_t)d) / (uint64_t)base) return false;
        r = r * (uint64_t)base + (uint64_t)d;
    }
    *out = r;
    return true;
}

double nt_parse_float(const char *text, int len)
{
    char tmp[512];
    if (len >= (int)sizeof tmp) len = sizeof tmp - 1;
    memcpy(tmp, text, (size_t)len);
    tmp[len] = 0;
    return strtod(tmp, NULL);
}

static void append_utf8(uint32_t cp, nt_buf *b)
{
    uint8_t o[4];
    if (cp <= 0x7f) {
        nt_buf_byte(b, (uint8_t)cp);
    } else if (cp <= 0x7ff) {
        o[0] = (uint8_t)(0xc0 | (cp >> 6));
        o[1] = (uint8_t)(0x80 | (cp & 0x3f));
        nt_buf_put(b, o, 2);
    } else if (cp <= 0xffff) {
        o[0] = (uint8_t)(0xe0 | (cp >> 12));
        o[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (uint8_t)(0x80 | (cp & 0x3f));
        nt_buf_put(b, o, 3);
    } else if (cp <= 0x10ffff) {
        o[0] = (uint8_t)(0xf0 | (cp >> 18));
        o[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
        o[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
        o[3] = (uint8_t)(0x80 | (cp & 0x3f));
        nt_buf_put(b, o, 4);
    } else {
        char t[16];
        snprintf(t, sizeof t, "\\U%08x", cp);
        nt_buf_put(b, t, strlen(t));
    }
}

static bool read_hex(const char *p, const char *end, int n, uint32_t *out)
{
    *out = 0;
    for (int i = 0; i < n; i++) {
        if (p + i >= end || !is_hex((unsigned char)p[i])) return false;
        *out = (*out << 4) + (uint32_t)digit_value((unsigned char)p[i]);
    }
    return true;
}

void nt_unescape(const char *text, int len, nt_buf *b)
{
    if (len <= 0) return;
    const char *end = text + len;
    for (const char *p = text + 1; p < end; p++) {
        if (*p == '\\' && p + 1 < end) {
            p++;
            if (is_octal((unsigned char)*p)) {
                int code = *p - '0';
                if (p + 1 < end && is_octal((unsigned char)p[1])) code = code * 8 + (*++p - '0');
                if (p + 1 < end && is_octal((unsigned char)p[1])) code = code * 8 + (*++p - '0');
                nt_buf_byte(b, (uint8_t)code);
            } else if (*p == 'x' || *p == 'X') {
                int code = 0;
                if (p + 1 < end && is_hex((unsigned char)p[1])) code = digit_value((unsigned char)*++p);
                if (p + 1 < end && is_hex((unsigned char)p[1])) code = code * 16 + digit_value((unsigned char)*++p);
                nt_buf_byte(b, (uint8_t)code);
            } else if (*p == 'u' || *p == 'U') {
                int n = *p == 'u' ? 4 : 8;
                uint32_t cp;
                if (!read_hex(p + 1, end, n, &cp)) {
                    nt_buf_byte(b, (uint8_t)*p);
                } else {
                    const char *q = p + 1 + n;
                    if (cp >= 0xd800 && cp < 0xdc00 && q + 1 < end && q[0] == '\\' && q[1] == 'u') {
                        uint32_t trail;
                        if (read_hex(q + 2, end, 4, &trail) && trail >= 0xdc00 && trail < 0xe000) {
                            cp = 0x10000 + (((cp - 0xd800) << 10) | (trail - 0xdc00));
                            q += 6;
                        }
                    }
                    append_utf8(cp, b);
                    p = q - 1;
                }
            } else {
                char c;
                switch (*p) {
                case 'a': c = '\a'; break;
                case 'b': c = '\b'; break;
                case 'f': c = '\f'; break;
                case 'n': c = '\n'; break;
                case 'r': c = '\r'; break;
                case 't': c = '\t'; break;
                case 'v': c = '\v'; break;
                case '\\': c = '\\'; break;
                case '?': c = '?'; break;
                case '\'': c = '\''; break;
                case '"': c = '"'; break;
                default: c = '?'; break;
                }
                nt_buf_byte(b, (uint8_t)c);
            }
        } else if (*p == text[0] && p + 1 == end) {
            /* closing quote */
        } else {
            nt_buf_byte(b, (uint8_t)*p);
        }
    }
}
