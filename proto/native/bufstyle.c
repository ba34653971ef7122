/* What buf writes differently from protoc, for the files of an editions compilation: buf 1.75
 * (protocompile's newer compiler) gives comments to tokens by its own paragraph rules, measures
 * columns as display widths, prints default values as Go's strconv does and orders a file's
 * locations by span.  The parser, the option interpreter and the encoder call these only when
 * the compilation follows buf (nt_file.buf_style); protoc's output never goes through here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/native/nt.h"

static bool is_space_byte(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n'; }
static bool is_word_byte(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* ---- which compilations ---- */

bool nt_is_edition_source(const char *src, size_t len)
{
    size_t i = 0;
    if (len >= 3 && (unsigned char)src[0] == 0xef && (unsigned char)src[1] == 0xbb && (unsigned char)src[2] == 0xbf) i = 3;
    while (i < len) {
        if (is_space_byte((unsigned char)src[i])) {
            i++;
        } else if (src[i] == '/' && i + 1 < len && src[i + 1] == '/') {
            while (i < len && src[i] != '\n') i++;
        } else if (src[i] == '/' && i + 1 < len && src[i + 1] == '*') {
            i += 2;
            while (i < len && !(src[i] == '*' && i + 1 < len && src[i + 1] == '/')) i++;
            i += 2;
        } else {
            break;
        }
    }
    return i + 7 <= len && memcmp(src + i, "edition", 7) == 0 && (i + 7 == len || !is_word_byte((unsigned char)src[i + 7]));
}

/* ---- comments ---- */

enum { K_SPACE, K_LINE, K_BLOCK, K_OTHER };

typedef struct tk {
    int kind;
    int start, end; /* byte offsets */
} tk;

typedef NT_VEC(tk) tkv;
typedef struct para {
    int first, last; /* token indexes, inclusive; of the Space tokens between, those ending a line count */
} para;
typedef NT_VEC(para) parav;

/* The token stream as protocompile's lexer cuts it, as far as comments care: whitespace ends after
 * each newline, a line comment stops before its newline, strings and words are one token.  Other
 * tokens may be cut finer than protocompile does; only their starts and newlines matter here. */
static void scan(ac_arena *a, const char *s, int n, tkv *out)
{
    int i = 0;
    while (i < n) {
        int c = (unsigned char)s[i], start = i, kind = K_OTHER;
        if (is_space_byte(c)) {
            kind = K_SPACE;
            while (i < n && is_space_byte((unsigned char)s[i]))
                if (s[i++] == '\n') break;
        } else if (c == '/' && i + 1 < n && s[i + 1] == '/') {
            kind = K_LINE;
            while (i < n && s[i] != '\n') i++;
        } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
            kind = K_BLOCK;
            i += 2;
            while (i < n && !(s[i] == '*' && i + 1 < n && s[i + 1] == '/')) i++;
            i = i < n ? i + 2 : n;
        } else if (c == '"' || c == '\'') {
            i++;
            while (i < n && s[i] != c && s[i] != '\n') i += s[i] == '\\' && i + 1 < n && s[i + 1] != '\n' ? 2 : 1;
            if (i < n && s[i] == c) i++;
        } else if (is_word_byte(c)) {
            while (i < n && is_word_byte((unsigned char)s[i])) i++;
        } else {
            i++;
            while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80) i++; /* the rest of a UTF-8 sequence */
        }
        *NT_PUSH(a, *out) = (tk){kind, start, i};
    }
}

typedef struct tracker {
    ac_arena *a;
    const char *s;
    tkv t;
    para cur;      /* first < 0: none */
    parav tracked; /* closed paragraphs since the last non-skippable token */
    int prev;      /* the last non-skippable token, -1 */
    bool first_same_line;
    NT_VEC(nt_cmt) out;
} tracker;

/* Newlines from the last byte of token a to the start of token b, at most max. */
static int newlines(const tracker *k, int a, int b, int max)
{
    int from = k->t.v[a].end > 0 ? k->t.v[a].end - 1 : 0, n = 0;
    for (int i = from; i < k->t.v[b].start && n < max; i++) n += k->s[i] == '\n';
    return n;
}

static bool ends_nl(const tracker *k, int i) { return k->t.v[i].end > k->t.v[i].start && k->s[k->t.v[i].end - 1] == '\n'; }

static void close_para(tracker *k)
{
    if (k->cur.first < 0) return;
    bool has_comment = false;
    for (int i = k->cur.first; i <= k->cur.last; i++) has_comment |= k->t.v[i].kind != K_SPACE;
    if (has_comment) *NT_PUSH(k->a, k->tracked) = k->cur;
    k->cur.first = -1;
}

/* The comment text: "//" and the block markers removed; in a block comment each later line loses
 * its indentation and one leading "*". */
static char *stringify(tracker *k, para p)
{
    nt_buf b = {0};
    for (int i = p.first; i <= p.last; i++) {
        const tk *t = &k->t.v[i];
        const char *x = k->s + t->start, *end = k->s + t->end;
        if (t->kind == K_LINE) {
            nt_buf_put(&b, x + 2, (size_t)(end - x - 2));
        } else if (t->kind == K_BLOCK) {
            while (x < end) {
                const char *nl = memchr(x, '\n', (size_t)(end - x));
                const char *le = nl ? nl + 1 : end, *ls = x;
                if (le - ls >= 2 && ls[0] == '/' && ls[1] == '*') {
                    ls += 2;
                } else {
                    while (ls < le && ls < (nl ? nl : end) && is_space_byte((unsigned char)*ls)) ls++;
                    if (ls < le && *ls == '*' && !(ls + 1 < le && ls[1] == '/')) ls++;
                }
                if (le - ls >= 2 && le[-2] == '*' && le[-1] == '/') le -= 2;
                nt_buf_put(&b, ls, (size_t)(le - ls));
                x = nl ? nl + 1 : end;
            }
        } else if (end > x && end[-1] == '\n') { /* indentation between the lines is not kept */
            nt_buf_put(&b, x, (size_t)(end - x));
        }
    }
    char *r = ac_arena_strndup(k->a, b.p ? (char *)b.p : "", b.n);
    nt_buf_free(&b);
    return r;
}

static nt_cmt *entry(tracker *k, int tok)
{
    int off = k->t.v[tok].start;
    /* attributions come in token order, so the entry is the last one or a new one */
    if (k->out.n && k->out.v[k->out.n - 1].off == off) return &k->out.v[k->out.n - 1];
    nt_cmt *c = NT_PUSH(k->a, k->out);
    memset(c, 0, sizeof *c);
    c->off = off;
    return c;
}

static void on_comment(tracker *k, int i)
{
    if (k->t.v[i].kind == K_BLOCK) { /* a paragraph of its own */
        close_para(k);
        k->cur = (para){i, i};
        close_para(k);
        return;
    }
    if (k->cur.first >= 0) {
        k->cur.last = i;
        return;
    }
    k->cur = (para){i, i};
    if (k->prev >= 0 && newlines(k, k->prev, i, 1) == 0) { /* on the line of the previous token */
        close_para(k);
        k->first_same_line = true;
    }
}

static void on_space(tracker *k, int i)
{
    if (!ends_nl(k, i) || k->cur.first < 0) return;
    if (ends_nl(k, k->cur.last)) close_para(k); /* an empty line ends the paragraph */
    else k->cur.last = i;
}

static int skip_space(const tracker *k, int i, int step)
{
    for (i += step; i >= 0 && i < k->t.n && k->t.v[i].kind == K_SPACE; i += step) {
    }
    return i >= 0 && i < k->t.n ? i : -1;
}

static void on_token(tracker *k, int t)
{
    close_para(k);
    int prev = k->prev;
    k->prev = t;
    if (!k->tracked.n) return;
    para *tr = k->tracked.v;
    int n = k->tracked.n;
    bool donate = false;
    if (prev < 0) {
        donate = false;
    } else if (k->first_same_line) {
        donate = true;
    } else if (newlines(k, prev, tr[0].first, 2) < 2) {
        char c = k->s[k->t.v[t].start];
        donate = n > 1 || strchr("()[]{}", c) || newlines(k, tr[0].last, t, 2) > 1;
    }
    if (donate) {
        entry(k, prev)->trail = stringify(k, tr[0]);
        tr++;
        n--;
    }
    if (n && newlines(k, tr[n - 1].last, t, 2) == 1) {
        nt_cmt *c = entry(k, t);
        c->lead = stringify(k, tr[n - 1]);
        n--;
    }
    /* detached: the paragraphs from the first one after an empty line on, even those run
     * together after it; a lone paragraph on the token's own line belongs to no one (buf 1.75, from
     * comparing layouts of blocks and line comments) */
    int nl = n ? newlines(k, tr[n - 1].last, t, 2) : 0;
    for (int i = 0; i < n; i++) {
        int before = skip_space(k, tr[i].first, -1);
        if (before >= 0 && newlines(k, before, tr[i].first, 2) < 2) continue;
        if (i == n - 1 && nl == 0) break;
        nt_cmt *c = entry(k, t);
        c->ndet = n - i;
        c->det = ac_arena_alloc(k->a, (size_t)(n - i) * sizeof *c->det);
        for (int j = i; j < n; j++) c->det[j - i] = stringify(k, tr[j]);
        break;
    }
    k->first_same_line = false;
    k->tracked.n = 0;
}

void nt_bufcmt_scan(ac_arena *a, const char *src, size_t len, nt_cmts *out)
{
    tracker k = {.a = a, .s = src, .cur = {-1, -1}, .prev = -1};
    scan(a, src, (int)len, &k.t);
    for (int i = 0; i < k.t.n; i++) {
        switch (k.t.v[i].kind) {
        case K_LINE:
        case K_BLOCK: on_comment(&k, i); break;
        case K_SPACE: on_space(&k, i); break;
        default: on_token(&k, i);
        }
    }
    out->v = k.out.v;
    out->n = k.out.n;
}

const nt_cmt *nt_bufcmt_find(const nt_cmts *c, int off)
{
    int lo = 0, hi = c->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (c->v[mid].off < off) lo = mid + 1;
        else hi = mid;
    }
    return lo < c->n && c->v[lo].off == off ? &c->v[lo] : NULL;
}

/* ---- columns ---- */

/* Display width of a code point, as the terminal-width tables buf uses give it for the common
 * cases: East Asian wide and fullwidth characters and emoji take two columns, combining marks and
 * other zero-width characters none. */
static int rune_width(unsigned r)
{
    static const unsigned zero[][2] = {
        {0x0300, 0x036f}, {0x0483, 0x0489}, {0x0591, 0x05bd}, {0x0610, 0x061a}, {0x064b, 0x065f},
        {0x0e31, 0x0e31}, {0x0e34, 0x0e3a}, {0x0e47, 0x0e4e}, {0x1ab0, 0x1aff}, {0x1dc0, 0x1dff},
        {0x200b, 0x200f}, {0x202a, 0x202e}, {0x2060, 0x2064}, {0x20d0, 0x20ff}, {0xfe00, 0xfe0f},
        {0xfe20, 0xfe2f}, {0xfeff, 0xfeff}, {0xe0100, 0xe01ef},
    };
    static const unsigned wide[][2] = {
        {0x1100, 0x115f},   {0x231a, 0x231b},   {0x2329, 0x232a},   {0x23e9, 0x23ec},   {0x23f0, 0x23f0},
        {0x23f3, 0x23f3},   {0x25fd, 0x25fe},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x267f, 0x267f},
        {0x2693, 0x2693},   {0x26a1, 0x26a1},   {0x26aa, 0x26ab},   {0x26bd, 0x26be},   {0x26c4, 0x26c5},
        {0x26ce, 0x26ce},   {0x26d4, 0x26d4},   {0x26ea, 0x26ea},   {0x26f2, 0x26f3},   {0x26f5, 0x26f5},
        {0x26fa, 0x26fa},   {0x26fd, 0x26fd},   {0x2705, 0x2705},   {0x270a, 0x270b},   {0x2728, 0x2728},
        {0x274c, 0x274c},   {0x274e, 0x274e},   {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
        {0x27b0, 0x27b0},   {0x27bf, 0x27bf},   {0x2b1b, 0x2b1c},   {0x2b50, 0x2b50},   {0x2b55, 0x2b55},
        {0x2e80, 0x303e},   {0x3041, 0x33ff},   {0x3400, 0x4dbf},   {0x4e00, 0x9fff},   {0xa000, 0xa4cf},
        {0xa960, 0xa97f},   {0xac00, 0xd7a3},   {0xf900, 0xfaff},   {0xfe10, 0xfe19},   {0xfe30, 0xfe6f},
        {0xff00, 0xff60},   {0xffe0, 0xffe6},   {0x16fe0, 0x16fe4}, {0x17000, 0x18aff}, {0x1b000, 0x1b2ff},
        {0x1f004, 0x1f004}, {0x1f0cf, 0x1f0cf}, {0x1f18e, 0x1f18e}, {0x1f191, 0x1f19a}, {0x1f200, 0x1f251},
        {0x1f300, 0x1f320}, {0x1f32d, 0x1f335}, {0x1f337, 0x1f37c}, {0x1f37e, 0x1f393}, {0x1f3a0, 0x1f3ca},
        {0x1f3cf, 0x1f3d3}, {0x1f3e0, 0x1f3f0}, {0x1f3f4, 0x1f3f4}, {0x1f3f8, 0x1f43e}, {0x1f440, 0x1f440},
        {0x1f442, 0x1f4fc}, {0x1f4ff, 0x1f53d}, {0x1f54b, 0x1f54e}, {0x1f550, 0x1f567}, {0x1f57a, 0x1f57a},
        {0x1f595, 0x1f596}, {0x1f5a4, 0x1f5a4}, {0x1f5fb, 0x1f64f}, {0x1f680, 0x1f6c5}, {0x1f6cc, 0x1f6cc},
        {0x1f6d0, 0x1f6d2}, {0x1f6d5, 0x1f6d7}, {0x1f6eb, 0x1f6ec}, {0x1f6f4, 0x1f6fc}, {0x1f7e0, 0x1f7eb},
        {0x1f90c, 0x1f93a}, {0x1f93c, 0x1f945}, {0x1f947, 0x1f9ff}, {0x1fa70, 0x1faff}, {0x20000, 0x2fffd},
        {0x30000, 0x3fffd},
    };
    for (size_t i = 0; i < sizeof zero / sizeof *zero; i++)
        if (r >= zero[i][0] && r <= zero[i][1]) return 0;
    if (r < 0x1100) return 1;
    for (size_t i = 0; i < sizeof wide / sizeof *wide; i++)
        if (r >= wide[i][0] && r <= wide[i][1]) return 2;
    return 1;
}

int nt_bufcol_adv(const char *src, int from, int col, int to)
{
    for (int i = from; i < to;) {
        unsigned c = (unsigned char)src[i];
        if (c < 0x80) {
            if (c == '\t') col += 4 - col % 4; /* tab stops every 4 columns */
            else if (c >= 0x20 && c != 0x7f) col++;
            i++;
            continue;
        }
        int n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        unsigned r = n == 4 ? c & 7 : n == 3 ? c & 15 : n == 2 ? c & 31 : c;
        for (int j = 1; j < n && i + j < to; j++) r = (r << 6) | ((unsigned char)src[i + j] & 63);
        col += n == 1 ? 1 : rune_width(r);
        i += n;
    }
    return col;
}

/* ---- numbers ---- */

void nt_go_gfmt(double v, char *buf, size_t n)
{
    if (isinf(v)) {
        snprintf(buf, n, "%s", v > 0 ? "inf" : "-inf");
        return;
    }
    if (isnan(v)) {
        snprintf(buf, n, "nan");
        return;
    }
    /* strconv.FormatFloat(v, 'g', -1, 64): the fewest digits that read back as v (the nearest
     * decimal of that length, which is what %.*e gives), in exponent form when the exponent is
     * below -4 or at least 6 */
    char e[40];
    int digits = 1;
    for (; digits < 17; digits++) {
        snprintf(e, sizeof e, "%.*e", digits - 1, v);
        if (strtod(e, NULL) == v) break;
    }
    snprintf(e, sizeof e, "%.*e", digits - 1, v);
    int exp = atoi(strchr(e, 'e') + 1);
    if (exp < -4 || exp >= 6) snprintf(buf, n, "%s", e);
    else snprintf(buf, n, "%.*f", digits - 1 - exp > 0 ? digits - 1 - exp : 0, v);
}

/* ---- order ---- */

int nt_go_span_cmp(const int *a, int na, const int *b, int nb)
{
    /* slices.Compare: element by element, then the shorter first (so a one-line span's end column
     * meets a longer span's end line) */
    for (int i = 0; i < na && i < nb; i++)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return (na > nb) - (na < nb);
}
