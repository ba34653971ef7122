/* Option interpretation: protoc 3.21's OptionInterpreter.  Each option statement becomes one field
 * of its options message, encoded as protoc encodes it (custom options stay separate entries in
 * statement order; aggregates are parsed as text format and serialized in field-number order), and
 * the SourceCodeInfo paths of interpreted options are rewritten to the fields they set. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/native/nt.h"

#define TEXT_DEPTH_LIMIT 100

static void put_fixed(nt_buf *b, uint64_t v, int n)
{
    uint8_t t[8];
    for (int i = 0; i < n; i++) t[i] = (uint8_t)(v >> (8 * i));
    nt_buf_put(b, t, (size_t)n);
}

static int wire_type(int type)
{
    switch (type) {
    case TY_DOUBLE:
    case TY_FIXED64:
    case TY_SFIXED64: return WT_I64;
    case TY_FLOAT:
    case TY_FIXED32:
    case TY_SFIXED32: return WT_I32;
    case TY_STRING:
    case TY_BYTES:
    case TY_MESSAGE: return WT_LEN;
    case TY_GROUP: return WT_SGROUP;
    default: return WT_VARINT;
    }
}

static void put_scalar_payload(nt_buf *b, int type, int64_t iv, uint64_t uv, double dv)
{
    switch (type) {
    case TY_INT32:
    case TY_INT64:
    case TY_ENUM: nt_put_varint(b, (uint64_t)iv); break;
    case TY_UINT32:
    case TY_UINT64: nt_put_varint(b, uv); break;
    case TY_BOOL: nt_put_varint(b, uv ? 1 : 0); break;
    case TY_SINT32: nt_put_varint(b, (uint32_t)(((uint32_t)iv << 1) ^ (uint32_t)((int32_t)iv >> 31))); break;
    case TY_SINT64: nt_put_varint(b, ((uint64_t)iv << 1) ^ (uint64_t)(iv >> 63)); break;
    case TY_FIXED32: put_fixed(b, uv, 4); break;
    case TY_SFIXED32: put_fixed(b, (uint32_t)(int32_t)iv, 4); break;
    case TY_FIXED64: put_fixed(b, uv, 8); break;
    case TY_SFIXED64: put_fixed(b, (uint64_t)iv, 8); break;
    case TY_FLOAT: {
        float f = (float)dv;
        uint32_t bits;
        memcpy(&bits, &f, 4);
        put_fixed(b, bits, 4);
        break;
    }
    case TY_DOUBLE: {
        uint64_t bits;
        memcpy(&bits, &dv, 8);
        put_fixed(b, bits, 8);
        break;
    }
    }
}

/* ---- interpreter state ---- */

typedef NT_VEC(nt_loc) locv;

/* Where an uninterpreted option's location goes. */
typedef struct moved {
    int npath;
    int *path;
    /* buf style, a message given as a literal: the location spans the name and the value and has no
     * comments, and the fields the literal sets have locations of their own (subs) */
    bool literal;
    locv subs;
} moved;

typedef struct I {
    nt_pool *pool;
    ac_arena *a;
    nt_file *f;
    ac_strmap paths; /* "src path" -> moved */
    ac_strmap counts; /* dest path -> count of repeated values */
    bool any;
} I;

static void ierr(I *in, nt_pos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void ierr(I *in, nt_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nt_err *e = NT_PUSH(in->a, *in->pool->errs);
    e->file = in->f->name;
    e->line = pos.line;
    e->col = pos.line >= 0 ? pos.col : 0;
    e->msg = ac_arena_vprintf(in->a, fmt, ap);
    va_end(ap);
}

/* ---- the options message types ---- */

static nt_msg *find_msg_in(nt_pool *pool, const char *full)
{
    nt_sym *s = nt_pool_find(pool, full);
    return s && s->kind == NT_S_MESSAGE ? s->p : NULL;
}

bool nt_wkt_find(const char *key, const char **text, size_t *len)
{
    for (size_t i = 0; i < nt_nwkt; i++) {
        if (strcmp(nt_wkt[i].name, key) == 0) {
            *text = nt_wkt[i].text;
            *len = nt_wkt[i].len;
            return true;
        }
    }
    return false;
}

static bool builtin_source(void *ctx, const char *name, int syn, const char **text, size_t *len)
{
    (void)syn;
    if (strcmp(name, "google/protobuf/descriptor.proto") != 0) return false;
    return nt_wkt_find(ctx ? "editions/google/protobuf/descriptor.proto" : name, text, len);
}

nt_msg *nt_pool_options_type(nt_pool *pool, const char *name, int syntax)
{
    char full[128];
    snprintf(full, sizeof full, "google.protobuf.%s", name); /* name: one of the *Options messages */
    nt_msg *m = find_msg_in(pool, full);
    if (m) return m;
    nt_pool **b = syntax == 2023 ? &pool->builtin_ed : &pool->builtin;
    if (!*b) {
        *b = ac_xcalloc(1, sizeof **b);
        nt_pool_init(*b, pool->a, pool->errs, builtin_source, syntax == 2023 ? (void *)1 : NULL);
        (*b)->resolved = nt_interpret_file_options;
        nt_pool_load(*b, "google/protobuf/descriptor.proto");
    }
    return find_msg_in(*b, full);
}

/* Field numbers that protoc 3.21's own (compiled-in) options messages know: those are serialized
 * as known fields (sorted), everything else stays an unknown field in statement order. */
static bool known_number(const char *opts_type, int n)
{
    static const struct {
        const char *type;
        int nums[24];
    } known[] = {
        {"FileOptions", {1, 8, 10, 20, 27, 9, 11, 16, 17, 18, 42, 23, 31, 36, 37, 39, 40, 41, 44, 45, 999}},
        {"MessageOptions", {1, 2, 3, 7, 999}},
        {"FieldOptions", {1, 2, 6, 5, 15, 3, 10, 999}},
        {"OneofOptions", {999}},
        {"EnumOptions", {2, 3, 999}},
        {"EnumValueOptions", {1, 999}},
        {"ServiceOptions", {33, 999}},
        {"MethodOptions", {33, 34, 999}},
        {"ExtensionRangeOptions", {999}},
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        if (strcmp(known[i].type, opts_type) != 0) continue;
        for (int j = 0; j < 24 && known[i].nums[j]; j++)
            if (known[i].nums[j] == n) return true;
    }
    return false;
}

/* ---- a tiny wire reader (for "already set" checks) ---- */

typedef struct wr {
    const uint8_t *p, *end;
} wr;

static bool rd_varint(wr *r, uint64_t *v)
{
    *v = 0;
    for (int s = 0; s < 64 && r->p < r->end; s += 7) {
        uint8_t c = *r->p++;
        *v |= (uint64_t)(c & 0x7f) << s;
        if (!(c & 0x80)) return true;
    }
    return false;
}

/* Reads one field; sets payload for LEN fields. */
static bool rd_field(wr *r, int *num, int *wt, const uint8_t **pl, size_t *pllen)
{
    uint64_t tag, v;
    if (!rd_varint(r, &tag)) return false;
    *num = (int)(tag >> 3);
    *wt = (int)(tag & 7);
    *pl = NULL;
    *pllen = 0;
    switch (*wt) {
    case WT_VARINT: return rd_varint(r, &v);
    case WT_I64:
        if (r->end - r->p < 8) return false;
        r->p += 8;
        return true;
    case WT_I32:
        if (r->end - r->p < 4) return false;
        r->p += 4;
        return true;
    case WT_LEN:
        if (!rd_varint(r, &v) || (uint64_t)(r->end - r->p) < v) return false;
        *pl = r->p;
        *pllen = (size_t)v;
        r->p += v;
        return true;
    case WT_SGROUP: {
        int depth = 1;
        while (depth > 0) {
            int n2, w2;
            const uint8_t *p2;
            size_t l2;
            if (!rd_field(r, &n2, &w2, &p2, &l2)) return false;
            if (w2 == WT_SGROUP) depth++; /* nested groups were consumed by the recursive call */
            if (w2 == WT_EGROUP) depth--;
        }
        return true;
    }
    case WT_EGROUP: return true;
    default: return false;
    }
}

/* ExamineIfOptionIsSet: true when the option (path of intermediate numbers, then leaf) is free. */
static bool option_free(const uint8_t *p, size_t n, const int *inter, int ninter, int leaf)
{
    wr r = {p, p + n};
    while (r.p < r.end) {
        int num, wt;
        const uint8_t *pl;
        size_t pllen;
        if (!rd_field(&r, &num, &wt, &pl, &pllen)) return true;
        if (ninter == 0) {
            if (num == leaf) return false;
        } else if (num == inter[0] && wt == WT_LEN) {
            if (!option_free(pl, pllen, inter + 1, ninter - 1, leaf)) return false;
        }
    }
    return true;
}

/* ---- buf's options messages ---- */

typedef struct rec {
    int num, wt, seq;
    const uint8_t *start, *val, *end; /* the record, its value (after the tag) */
    const uint8_t *pl;                /* WT_LEN payload */
    size_t pllen;
} rec;
typedef NT_VEC(rec) recv;

static int rec_cmp(const void *x, const void *y)
{
    const rec *a = x, *b = y;
    if (a->num != b->num) return a->num < b->num ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq; /* statement order */
}

static nt_field *field_by_number(I *in, nt_msg *m, int num, bool *ext)
{
    *ext = false;
    if (!m) return NULL;
    for (int i = 0; i < m->fields.n; i++)
        if (m->fields.v[i]->number == num) return m->fields.v[i];
    *ext = true;
    char key[512];
    snprintf(key, sizeof key, "%s#%d", m->full_name, num);
    return ac_strmap_get(&in->pool->ext_by_num, key);
}

static bool field_packed(const nt_field *f);

/* The message (of type m) that the concatenated records of parts[] make, as buf writes it: one
 * record per message field (merged), packed values together; extensions first, then the fields
 * outside oneofs, then those in oneofs, each part in field-number order. */
static void buf_canonical(I *in, nt_msg *m, const uint8_t **parts, const size_t *lens, int nparts, nt_buf *out, int depth)
{
    recv rs = {0};
    for (int i = 0; i < nparts; i++) {
        wr r = {parts[i], parts[i] + lens[i]};
        while (r.p < r.end) {
            rec x = {0};
            x.start = r.p;
            uint64_t tag;
            wr t = r;
            if (!rd_varint(&t, &tag) || !rd_field(&r, &x.num, &x.wt, &x.pl, &x.pllen)) { /* keep the rest */
                x.num = INT32_MAX;
                x.wt = -1;
                x.val = x.start;
                r.p = r.end;
            } else {
                x.val = t.p;
            }
            x.end = r.p;
            x.seq = rs.n;
            *NT_PUSH(in->a, rs) = x;
        }
    }
    if (rs.n > 1) qsort(rs.v, (size_t)rs.n, sizeof *rs.v, rec_cmp);
    for (int pass = 0; pass < 3; pass++) {
        for (int i = 0; i < rs.n;) {
            int j = i;
            while (j < rs.n && rs.v[j].num == rs.v[i].num) j++;
            bool ext;
            nt_field *f = rs.v[i].wt < 0 ? NULL : field_by_number(in, m, rs.v[i].num, &ext);
            if (!f) ext = true;
            int part = ext ? 0 : f->has_oneof && !f->proto3_optional ? 2 : 1;
            if (part != pass) {
                i = j;
                continue;
            }
            bool is_msg = f && (f->type == TY_MESSAGE || f->type == TY_GROUP) && f->rmsg && depth < TEXT_DEPTH_LIMIT;
            if (is_msg && f->type == TY_MESSAGE && f->label != LB_REPEATED) {
                const uint8_t **sub = ac_arena_alloc(in->a, (size_t)(j - i) * sizeof *sub);
                size_t *sublen = ac_arena_alloc(in->a, (size_t)(j - i) * sizeof *sublen);
                int k = 0;
                for (int q = i; q < j; q++)
                    if (rs.v[q].wt == WT_LEN) {
                        sub[k] = rs.v[q].pl;
                        sublen[k++] = rs.v[q].pllen;
                    }
                nt_buf mb = {0};
                buf_canonical(in, f->rmsg, sub, sublen, k, &mb, depth + 1);
                nt_put_bytes(out, f->number, mb.p, mb.n);
                nt_buf_free(&mb);
            } else if (is_msg && f->type == TY_MESSAGE) {
                for (int q = i; q < j; q++) {
                    nt_buf mb = {0};
                    buf_canonical(in, f->rmsg, &rs.v[q].pl, &rs.v[q].pllen, 1, &mb, depth + 1);
                    nt_put_bytes(out, f->number, mb.p, mb.n);
                    nt_buf_free(&mb);
                }
            } else if (f && field_packed(f)) {
                nt_buf pb = {0};
                for (int q = i; q < j; q++) {
                    if (rs.v[q].wt == WT_LEN) nt_buf_put(&pb, rs.v[q].pl, rs.v[q].pllen);
                    else nt_buf_put(&pb, rs.v[q].val, (size_t)(rs.v[q].end - rs.v[q].val));
                }
                nt_put_bytes(out, f->number, pb.p, pb.n);
                nt_buf_free(&pb);
            } else {
                for (int q = i; q < j; q++) nt_buf_put(out, rs.v[q].start, (size_t)(rs.v[q].end - rs.v[q].start));
            }
            i = j;
        }
    }
}

/* ---- text format (aggregate values) ---- */

typedef struct T {
    I *in;
    nt_lexer lx;
    nt_errs lexerrs;
    const char *scope;
    char *err; /* first error */
    /* buf style: the locations of the fields set (paths from the literal), or NULL */
    const nt_uopt *u;
    locv *subs;
    int path[TEXT_DEPTH_LIMIT + 8];
    int npath;
    int quiet; /* inside a repeated field's value: buf gives the inner fields no locations */
} T;

static int agg_off(const T *t, const nt_tok *k) { return (int)(k->text - t->lx.buf); }

static const nt_aggtok *agg_tok(const T *t, int off)
{
    int lo = 0, hi = t->u->naggtok;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (t->u->aggtok[mid].off < off) lo = mid + 1;
        else hi = mid;
    }
    return lo < t->u->naggtok && t->u->aggtok[lo].off == off ? &t->u->aggtok[lo] : NULL;
}

/* buf style: a location for the field just read, from its name (at agg offset from) to the end of
 * its value; idx >= 0 for a repeated field's occurrence */
static void t_sub(T *t, int number, int idx, int from)
{
    const nt_aggtok *a = agg_tok(t, from), *b = agg_tok(t, agg_off(t, &t->lx.prev));
    if (!a || !b) return;
    nt_loc *l = NT_PUSH(t->in->a, *t->subs);
    memset(l, 0, sizeof *l);
    l->path = ac_arena_alloc(t->in->a, (size_t)(t->npath + 2) * sizeof(int));
    memcpy(l->path, t->path, (size_t)t->npath * sizeof(int));
    l->npath = t->npath;
    l->path[l->npath++] = number;
    if (idx >= 0) l->path[l->npath++] = idx;
    l->span[l->nspan++] = a->line;
    l->span[l->nspan++] = a->col;
    if (b->line != a->line) l->span[l->nspan++] = b->line;
    l->span[l->nspan++] = b->end_col;
}

/* buf style: the end of a repeated field's occurrence (its inner fields had no locations): a
 * location for it, numbered by the occurrences of the field so far (occ). */
static void t_occurrence(T *t, ac_intmap *occ, int number, int from)
{
    t->quiet--;
    intptr_t k = (intptr_t)ac_intmap_get(occ, number);
    ac_intmap_put(occ, number, (void *)(k + 1));
    t_sub(t, number, (int)k, from);
}

static bool tlook(T *t, const char *s)
{
    size_t n = strlen(s);
    return (size_t)t->lx.cur.len == n && memcmp(t->lx.cur.text, s, n) == 0;
}

static bool ttry(T *t, const char *s)
{
    if (tlook(t, s)) {
        nt_lex_next(&t->lx);
        return true;
    }
    return false;
}

static bool terr(T *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool terr(T *t, const char *fmt, ...)
{
    if (!t->err) {
        va_list ap;
        va_start(ap, fmt);
        char *m = ac_arena_vprintf(t->in->a, fmt, ap);
        va_end(ap);
        t->err = ac_arena_printf(t->in->a, "%d:%d: %s", t->lx.cur.line + 1, t->lx.cur.col + 1, m);
    }
    return false;
}

static char *tcur(T *t) { return ac_arena_strndup(t->in->a, t->lx.cur.text, (size_t)t->lx.cur.len); }

static bool tconsume(T *t, const char *s)
{
    if (ttry(t, s)) return true;
    return terr(t, "Expected \"%s\", found \"%s\".", s, tcur(t));
}

typedef struct ent {
    int number;
    int order;
    nt_field *f;
    nt_buf b; /* encoded with tag; for packed fields: payload only */
    bool packed;
} ent;

typedef NT_VEC(ent) entv;

static int ent_cmp(const void *x, const void *y)
{
    const ent *a = x, *b = y;
    if (a->number != b->number) return a->number < b->number ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static bool is_packable(int type) { return type != TY_STRING && type != TY_BYTES && type != TY_MESSAGE && type != TY_GROUP; }

/* An editions file's features.repeated_field_encoding in these options: 1 PACKED, 0 EXPANDED,
 * -1 not set. */
static int encoding_feature(const nt_opts *o)
{
    for (int i = 0; i < o->u.n; i++) {
        const nt_uopt *u = o->u.v[i];
        if (u && u->nnames == 2 && !u->names[0].ext && !u->names[1].ext && !strcmp(u->names[0].part, "features") &&
            !strcmp(u->names[1].part, "repeated_field_encoding") && u->kind == NT_V_IDENT)
            return strcmp(u->ident, "EXPANDED") != 0;
    }
    return -1;
}

static bool field_packed(const nt_field *f)
{
    if (f->label != LB_REPEATED || !is_packable(f->type)) return false;
    if (f->has_packed_opt) return f->packed_opt;
    if (f->file && f->file->syn == 2023) { /* the feature of the field, else of the nearest scope */
        int e = encoding_feature(&f->opts);
        for (const nt_msg *m = f->parent; e < 0 && m; m = m->parent) e = encoding_feature(&m->opts);
        if (e < 0) e = encoding_feature(&f->file->opts);
        return e != 0;
    }
    return f->file && f->file->syn != 2;
}

static bool t_unsigned(T *t, uint64_t max, uint64_t *out)
{
    if (t->lx.cur.type != NT_T_INT) return terr(t, "Expected integer, got: %s", tcur(t));
    if (!nt_parse_uint(t->lx.cur.text, t->lx.cur.len, max, out)) return terr(t, "Integer out of range (%s)", tcur(t));
    nt_lex_next(&t->lx);
    return true;
}

static bool t_signed(T *t, int64_t max, int64_t *out)
{
    bool neg = ttry(t, "-");
    uint64_t v;
    if (!t_unsigned(t, (uint64_t)max + (neg ? 1 : 0), &v)) return false;
    *out = neg ? (int64_t)((uint64_t)0 - v) : (int64_t)v;
    return true;
}

static bool t_double(T *t, double *out)
{
    bool neg = ttry(t, "-");
    if (t->lx.cur.type == NT_T_INT) {
        uint64_t v;
        if (!nt_parse_uint(t->lx.cur.text, t->lx.cur.len, UINT64_MAX, &v)) return terr(t, "Integer out of range (%s)", tcur(t));
        *out = (double)v;
        nt_lex_next(&t->lx);
    } else if (t->lx.cur.type == NT_T_FLOAT) {
        *out = nt_parse_float(t->lx.cur.text, t->lx.cur.len);
        nt_lex_next(&t->lx);
    } else if (t->lx.cur.type == NT_T_IDENT) {
        char *s = tcur(t);
        for (char *q = s; *q; q++)
            if (*q >= 'A' && *q <= 'Z') *q = (char)(*q - 'A' + 'a');
        if (strcmp(s, "inf") == 0 || strcmp(s, "infinity") == 0) *out = INFINITY;
        else if (strcmp(s, "nan") == 0) *out = NAN;
        else return terr(t, "Expected double, got: %s", s);
        nt_lex_next(&t->lx);
    } else {
        return terr(t, "Expected double, got: %s", tcur(t));
    }
    if (neg) *out = -*out;
    return true;
}

static nt_enumval *enum_by_name(nt_enum *e, const char *name)
{
    for (int i = 0; i < e->values.n; i++)
        if (strcmp(e->values.v[i]->name, name) == 0) return e->values.v[i];
    return NULL;
}

static nt_enumval *enum_by_number(nt_enum *e, int64_t n)
{
    for (int i = 0; i < e->values.n; i++)
        if (e->values.v[i]->number == n) return e->values.v[i];
    return NULL;
}

static bool t_message(T *t, nt_msg *m, nt_buf *out, const char *close, int depth);

/* one value of field f, appended to b without tag (or, for messages/groups, with the framing) */
static bool t_value(T *t, nt_field *f, nt_buf *b, int depth)
{
    int64_t iv = 0;
    uint64_t uv = 0;
    double dv = 0;
    switch (f->type) {
    case TY_INT32:
    case TY_SINT32:
    case TY_SFIXED32:
        if (!t_signed(t, INT32_MAX, &iv)) return false;
        break;
    case TY_INT64:
    case TY_SINT64:
    case TY_SFIXED64:
        if (!t_signed(t, INT64_MAX, &iv)) return false;
        break;
    case TY_UINT32:
    case TY_FIXED32:
        if (!t_unsigned(t, UINT32_MAX, &uv)) return false;
        break;
    case TY_UINT64:
    case TY_FIXED64:
        if (!t_unsigned(t, UINT64_MAX, &uv)) return false;
        break;
    case TY_FLOAT:
    case TY_DOUBLE:
        if (!t_double(t, &dv)) return false;
        break;
    case TY_BOOL:
        if (t->lx.cur.type == NT_T_INT) {
            if (!t_unsigned(t, 1, &uv)) return false;
        } else {
            if (t->lx.cur.type != NT_T_IDENT) return terr(t, "Expected identifier, got: %s", tcur(t));
            char *s = tcur(t);
            if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "t")) uv = 1;
            else if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "f")) uv = 0;
            else return terr(t, "Invalid value for boolean field \"%s\". Value: \"%s\".", f->name, s);
            nt_lex_next(&t->lx);
        }
        break;
    case TY_STRING:
    case TY_BYTES: {
        if (t->lx.cur.type != NT_T_STRING) return terr(t, "Expected string, got: %s", tcur(t));
        nt_buf s = {0};
        while (t->lx.cur.type == NT_T_STRING) {
            nt_unescape(t->lx.cur.text, t->lx.cur.len, &s);
            nt_lex_next(&t->lx);
        }
        nt_put_varint(b, s.n);
        nt_buf_put(b, s.p, s.n);
        nt_buf_free(&s);
        return true;
    }
    case TY_ENUM: {
        nt_enum *e = f->renum;
        nt_enumval *v = NULL;
        char *shown;
        int64_t n = INT64_MAX;
        if (t->lx.cur.type == NT_T_IDENT) {
            shown = tcur(t);
            nt_lex_next(&t->lx);
            v = e ? enum_by_name(e, shown) : NULL;
        } else if (tlook(t, "-") || t->lx.cur.type == NT_T_INT) {
            if (!t_signed(t, INT32_MAX, &n)) return false;
            shown = ac_arena_printf(t->in->a, "%lld", (long long)n);
            v = e ? enum_by_number(e, n) : NULL;
        } else {
            return terr(t, "Expected integer or identifier, got: %s", tcur(t));
        }
        if (!v) {
            if (n != INT64_MAX && e && e->file->syn == 3) {
                iv = n;
                break;
            }
            return terr(t, "Unknown enumeration value of \"%s\" for field \"%s\".", shown, f->name);
        }
        iv = v->number;
        break;
    }
    case TY_MESSAGE:
    case TY_GROUP: {
        const char *close;
        if (ttry(t, "<")) close = ">";
        else {
            if (!tconsume(t, "{")) return false;
            close = "}";
        }
        if (!f->rmsg) return terr(t, "unresolved message type");
        nt_buf sub = {0};
        if (!t_message(t, f->rmsg, &sub, close, depth + 1)) {
            nt_buf_free(&sub);
            return false;
        }
        if (f->type == TY_GROUP) {
            nt_buf_put(b, sub.p, sub.n);
            nt_put_tag(b, f->number, WT_EGROUP);
        } else {
            nt_put_varint(b, sub.n);
            nt_buf_put(b, sub.p, sub.n);
        }
        nt_buf_free(&sub);
        return true;
    }
    }
    put_scalar_payload(b, f->type, iv, uv, dv);
    return true;
}

static nt_field *find_field_by_name(nt_msg *m, const char *name)
{
    for (int i = 0; i < m->fields.n; i++)
        if (strcmp(m->fields.v[i]->name, name) == 0) return m->fields.v[i];
    return NULL;
}

static bool t_field(T *t, nt_msg *m, entv *ents, int *order, ac_intmap *seen, ac_intmap *occ, int depth)
{
    nt_field *f = NULL;
    char *fname;
    int from = agg_off(t, &t->lx.cur);
    if (ttry(t, "[")) {
        nt_buf nb = {0};
        for (;;) {
            if (t->lx.cur.type != NT_T_IDENT) {
                nt_buf_free(&nb);
                return terr(t, "Expected identifier, got: %s", tcur(t));
            }
            nt_buf_put(&nb, t->lx.cur.text, (size_t)t->lx.cur.len);
            nt_lex_next(&t->lx);
            if (ttry(t, ".")) {
                nt_buf_byte(&nb, '.');
                continue;
            }
            if (tlook(t, "/")) {
                nt_buf_free(&nb);
                return terr(t, "Any type URLs in option values are not supported by this compiler.");
            }
            break;
        }
        fname = ac_arena_strndup(t->in->a, (char *)nb.p, nb.n);
        nt_buf_free(&nb);
        if (!tconsume(t, "]")) return false;
        nt_sym *s = nt_lookup(t->in->pool, NULL, fname, t->scope, false, NULL, NULL);
        if (s && s->kind == NT_S_FIELD && ((nt_field *)s->p)->is_ext && ((nt_field *)s->p)->rext == m) f = s->p;
        if (!f) return terr(t, "Extension \"%s\" is not defined or is not an extension of \"%s\".", fname, m->full_name);
    } else {
        if (t->lx.cur.type != NT_T_IDENT) return terr(t, "Expected identifier, got: %s", tcur(t));
        fname = tcur(t);
        nt_lex_next(&t->lx);
        f = find_field_by_name(m, fname);
        if (!f) {
            char *lower = ac_arena_strdup(t->in->a, fname);
            for (char *q = lower; *q; q++)
                if (*q >= 'A' && *q <= 'Z') *q = (char)(*q - 'A' + 'a');
            f = find_field_by_name(m, lower);
            if (f && f->type != TY_GROUP) f = NULL;
        }
        if (f && f->type == TY_GROUP && f->rmsg && strcmp(f->rmsg->name, fname) != 0) f = NULL;
        if (!f) return terr(t, "Message type \"%s\" has no field named \"%s\".", m->full_name, fname);
    }
    bool is_msg = f->type == TY_MESSAGE || f->type == TY_GROUP;
    if (is_msg) ttry(t, ":");
    else if (!tconsume(t, ":")) return false;
    bool repeated = f->label == LB_REPEATED;
    if (!repeated) {
        if (ac_intmap_has(seen, f->number))
            return terr(t, "Non-repeated field \"%s\" is specified multiple times.", f->name);
        ac_intmap_put(seen, f->number, f);
    }
    bool packed = field_packed(f);
    int count = 1;
    /* buf style: a repeated field gets one location per occurrence and none inside; a message field
     * none, its fields theirs; any other field one */
    bool sub = t->subs && !t->quiet;
    bool inner = sub && !repeated && is_msg;
    if (sub && repeated) t->quiet++;
    if (inner) t->path[t->npath++] = f->number;
    bool list = repeated && ttry(t, "[");
    if (list && ttry(t, "]")) {
        if (sub) t_occurrence(t, occ, f->number, from);
        if (!ttry(t, ";")) ttry(t, ",");
        return true;
    }
    for (int i = 0; i < count; i++) {
        ent *e = NT_PUSH(t->in->a, *ents);
        memset(e, 0, sizeof *e);
        e->number = f->number;
        e->order = (*order)++;
        e->f = f;
        e->packed = packed;
        if (!packed) nt_put_tag(&e->b, f->number, wire_type(f->type));
        if (!t_value(t, f, &e->b, depth)) return false;
        if (list) {
            if (ttry(t, "]")) break;
            if (!tconsume(t, ",")) return false;
            count++;
        }
    }
    if (inner) t->npath--;
    if (sub && repeated) {
        t_occurrence(t, occ, f->number, from);
    } else if (sub && !inner) {
        t_sub(t, f->number, -1, from);
    }
    if (!ttry(t, ";")) ttry(t, ",");
    return true;
}

static void emit_entries(entv *ents, nt_buf *out)
{
    if (ents->n > 1) qsort(ents->v, (size_t)ents->n, sizeof *ents->v, ent_cmp);
    for (int i = 0; i < ents->n;) {
        ent *e = &ents->v[i];
        if (e->packed) {
            nt_buf pl = {0};
            int j = i;
            for (; j < ents->n && ents->v[j].number == e->number && ents->v[j].packed; j++)
                nt_buf_put(&pl, ents->v[j].b.p, ents->v[j].b.n);
            nt_put_bytes(out, e->number, pl.p, pl.n);
            nt_buf_free(&pl);
            i = j;
        } else {
            nt_buf_put(out, e->b.p, e->b.n);
            i++;
        }
    }
    for (int i = 0; i < ents->n; i++) nt_buf_free(&ents->v[i].b);
}

static bool t_message(T *t, nt_msg *m, nt_buf *out, const char *close, int depth)
{
    if (depth > TEXT_DEPTH_LIMIT) return terr(t, "Message is too deep");
    entv ents = {0};
    int order = 0;
    ac_intmap seen, occ;
    ac_intmap_init(&seen);
    ac_intmap_init(&occ);
    bool ok = true;
    for (;;) {
        if (close) {
            if (tlook(t, ">") || tlook(t, "}")) {
                ok = tconsume(t, close);
                break;
            }
            if (t->lx.cur.type == NT_T_END) {
                ok = terr(t, "Expected \"%s\".", close);
                break;
            }
        } else if (t->lx.cur.type == NT_T_END) {
            break;
        }
        if (!t_field(t, m, &ents, &order, &seen, &occ, depth)) {
            ok = false;
            break;
        }
    }
    ac_intmap_free(&seen);
    ac_intmap_free(&occ);
    if (ok) emit_entries(&ents, out);
    else
        for (int i = 0; i < ents.n; i++) nt_buf_free(&ents.v[i].b);
    return ok;
}

/* Parses an aggregate value as message m; on error returns false with *err set.  With subs (buf
 * style), the locations of the fields it sets are added there, their paths from the literal. */
static bool parse_aggregate(I *in, const nt_uopt *u, nt_msg *m, const char *scope, nt_buf *out, char **err, locv *subs)
{
    const char *text = u->agg;
    T t = {0};
    t.in = in;
    t.scope = scope;
    if (subs && u->aggtok) {
        t.u = u;
        t.subs = subs;
    }
    nt_lex_init(&t.lx, in->a, in->f->name, text, strlen(text), &t.lexerrs);
    nt_lex_next(&t.lx);
    bool ok = t_message(&t, m, out, NULL, 0);
    nt_lex_free(&t.lx);
    if (ok && t.lexerrs.n) {
        ok = false;
        t.err = ac_arena_printf(in->a, "%d:%d: %s", t.lexerrs.v[0].line + 1, t.lexerrs.v[0].col + 1, t.lexerrs.v[0].msg);
    }
    if (!ok) *err = t.err ? t.err : "parse error";
    return ok;
}

/* ---- one option ---- */

static char *path_key(ac_arena *a, const int *p, int n)
{
    /* "1,2,999,0": at most 12 characters a component */
    char small[256] = "";
    size_t cap = (size_t)n * 12 + 1;
    char *b = cap <= sizeof small ? small : ac_xmalloc(cap), *o = b;
    for (int i = 0; i < n; i++) {
        if (i) *o++ = ',';
        long long v = p[i];
        if (v < 0) {
            *o++ = '-';
            v = -v;
        }
        char d[12];
        int k = 0;
        do d[k++] = (char)('0' + v % 10);
        while ((v /= 10) > 0);
        while (k) *o++ = d[--k];
    }
    char *s = ac_arena_strndup(a, b, (size_t)(o - b));
    if (b != small) free(b);
    return s;
}

static const char *type_label(int type)
{
    switch (type) {
    case TY_INT32:
    case TY_SINT32:
    case TY_SFIXED32: return "int32";
    case TY_INT64:
    case TY_SINT64:
    case TY_SFIXED64: return "int64";
    case TY_UINT32:
    case TY_FIXED32: return "uint32";
    case TY_UINT64:
    case TY_FIXED64: return "uint64";
    default: return "";
    }
}

/* SetOptionValue: the leaf value, encoded with its tag, into b */
static bool set_value(I *in, nt_uopt *u, nt_field *f, const char *scope, nt_buf *b, locv *subs)
{
    const char *fn = f->full_name;
    int64_t iv = 0;
    uint64_t uv = 0;
    double dv = 0;
    switch (f->type) {
    case TY_INT32:
    case TY_SINT32:
    case TY_SFIXED32:
    case TY_INT64:
    case TY_SINT64:
    case TY_SFIXED64: {
        bool is32 = f->type == TY_INT32 || f->type == TY_SINT32 || f->type == TY_SFIXED32;
        int64_t max = is32 ? INT32_MAX : INT64_MAX, min = is32 ? INT32_MIN : INT64_MIN;
        if (u->kind == NT_V_POS) {
            if (u->u > (uint64_t)max) goto range;
            iv = (int64_t)u->u;
        } else if (u->kind == NT_V_NEG) {
            if (u->i < min) goto range;
            iv = u->i;
        } else {
            ierr(in, u->value_pos, "Value must be integer for %s option \"%s\".", type_label(f->type), fn);
            return false;
        }
        break;
    range:
        ierr(in, u->value_pos, "Value out of range for %s option \"%s\".", type_label(f->type), fn);
        return false;
    }
    case TY_UINT32:
    case TY_FIXED32:
    case TY_UINT64:
    case TY_FIXED64: {
        uint64_t max = (f->type == TY_UINT32 || f->type == TY_FIXED32) ? UINT32_MAX : UINT64_MAX;
        if (u->kind == NT_V_POS) {
            if (u->u > max) {
                ierr(in, u->value_pos, "Value out of range for %s option \"%s\".", type_label(f->type), fn);
                return false;
            }
            uv = u->u;
        } else {
            ierr(in, u->value_pos, "Value must be non-negative integer for %s option \"%s\".", type_label(f->type), fn);
            return false;
        }
        break;
    }
    case TY_FLOAT:
    case TY_DOUBLE:
        if (u->kind == NT_V_DOUBLE) dv = u->d;
        else if (u->kind == NT_V_POS) dv = (double)u->u;
        else if (u->kind == NT_V_NEG) dv = (double)u->i;
        else if (u->kind == NT_V_IDENT && strcmp(u->ident, "inf") == 0) dv = INFINITY;
        else if (u->kind == NT_V_IDENT && strcmp(u->ident, "nan") == 0) dv = NAN;
        else {
            ierr(in, u->value_pos, "Value must be number for %s option \"%s\".", f->type == TY_FLOAT ? "float" : "double", fn);
            return false;
        }
        break;
    case TY_BOOL:
        if (u->kind != NT_V_IDENT) {
            ierr(in, u->value_pos, "Value must be identifier for boolean option \"%s\".", fn);
            return false;
        }
        if (strcmp(u->ident, "true") == 0) uv = 1;
        else if (strcmp(u->ident, "false") == 0) uv = 0;
        else {
            ierr(in, u->value_pos, "Value must be \"true\" or \"false\" for boolean option \"%s\".", fn);
            return false;
        }
        break;
    case TY_ENUM: {
        if (u->kind != NT_V_IDENT) {
            ierr(in, u->value_pos, "Value must be identifier for enum-valued option \"%s\".", fn);
            return false;
        }
        nt_enum *e = f->renum;
        nt_enumval *v = NULL;
        if (e) {
            /* enum values are siblings of their enum */
            size_t scope_len = strlen(e->full_name) - strlen(e->name);
            char *full = ac_arena_printf(in->a, "%.*s%s", (int)scope_len, e->full_name, u->ident);
            nt_sym *s = nt_pool_find(in->pool, full);
            nt_pool *bp[2] = {in->pool->builtin, in->pool->builtin_ed};
            for (int k = 0; k < 2; k++) {
                if ((!s || s->kind != NT_S_ENUMVAL || ((nt_enumval *)s->p)->parent != e) && bp[k]) {
                    nt_sym *b2 = nt_pool_find(bp[k], full);
                    if (b2) s = b2;
                }
            }
            if (s && s->kind == NT_S_ENUMVAL) {
                v = s->p;
                if (v->parent != e) {
                    ierr(in, u->value_pos,
                         "Enum type \"%s\" has no value named \"%s\" for option \"%s\". This appears to be a value from "
                         "a sibling type.",
                         e->full_name, u->ident, fn);
                    return false;
                }
            }
        }
        if (!v) {
            ierr(in, u->value_pos, "Enum type \"%s\" has no value named \"%s\" for option \"%s\".",
                 e ? e->full_name : "?", u->ident, fn);
            return false;
        }
        iv = v->number;
        break;
    }
    case TY_STRING:
    case TY_BYTES:
        if (u->kind != NT_V_STRING) {
            ierr(in, u->value_pos, "Value must be quoted string for string option \"%s\".", fn);
            return false;
        }
        nt_put_bytes(b, f->number, u->str, u->strlen);
        return true;
    case TY_MESSAGE:
    case TY_GROUP: {
        if (u->kind != NT_V_AGG) {
            ierr(in, u->value_pos,
                 "Option \"%s\" is a message. To set the entire message, use syntax like \"%s = { <proto text format> "
                 "}\". To set fields within it, use syntax like \"%s.foo = value\".",
                 fn, f->name, f->name);
            return false;
        }
        nt_buf sub = {0};
        char *err = NULL;
        if (!f->rmsg || !parse_aggregate(in, u, f->rmsg, scope, &sub, &err, f->label != LB_REPEATED ? subs : NULL)) {
            ierr(in, u->value_pos, "Error while parsing option value for \"%s\": %s", f->name, err ? err : "");
            nt_buf_free(&sub);
            return false;
        }
        if (f->type == TY_GROUP) {
            nt_put_tag(b, f->number, WT_SGROUP);
            nt_buf_put(b, sub.p, sub.n);
            nt_put_tag(b, f->number, WT_EGROUP);
        } else {
            nt_put_bytes(b, f->number, sub.p, sub.n);
        }
        nt_buf_free(&sub);
        return true;
    }
    }
    nt_put_tag(b, f->number, wire_type(f->type));
    put_scalar_payload(b, f->type, iv, uv, dv);
    return true;
}

static bool interpret_one(I *in, nt_opts *o, nt_uopt *u, nt_msg *opts_type, const char *tname, const char *scope,
                          const int *opath, int nopath, int index)
{
    if (u->nnames > 0 && strcmp(u->names[0].part, "uninterpreted_option") == 0 && !u->names[0].ext) {
        ierr(in, u->name_pos, "Option must not use reserved name \"uninterpreted_option\".");
        return false;
    }
    nt_msg *desc = opts_type;
    nt_field *field = NULL;
    int dest[64 + 8];
    int ndest = 0;
    for (int i = 0; i < nopath && ndest < 64; i++) dest[ndest++] = opath[i];
    int inter[64];
    nt_field *interf[64];
    int ninter = 0;
    nt_buf dbg = {0};
    bool ok = true;
    for (int i = 0; i < u->nnames; i++) {
        const char *part = u->names[i].part;
        if (dbg.n) nt_buf_byte(&dbg, '.');
        field = NULL;
        char *resolved = NULL;
        if (u->names[i].ext) {
            nt_buf_byte(&dbg, '(');
            nt_buf_put(&dbg, part, strlen(part));
            nt_buf_byte(&dbg, ')');
            nt_sym *s = nt_lookup(in->pool, in->f, part, scope, false, &resolved, NULL);
            if (s && s->kind == NT_S_FIELD) field = s->p;
        } else {
            nt_buf_put(&dbg, part, strlen(part));
            field = desc ? find_field_by_name(desc, part) : NULL;
        }
        char *name = ac_arena_strndup(in->a, (char *)dbg.p, dbg.n);
        if (!field) {
            if (resolved)
                ierr(in, u->name_pos,
                     "Option \"%s\" is resolved to \"(%s)\", which is not defined. The innermost scope is searched first "
                     "in name resolution. Consider using a leading '.'(i.e., \"(.%s\") to start from the outermost scope.",
                     name, resolved, name + 1);
            else
                ierr(in, u->name_pos,
                     "Option \"%s\" unknown. Ensure that your proto definition file imports the proto which defines the "
                     "option.",
                     name);
            ok = false;
            break;
        }
        nt_msg *container = field->is_ext ? field->rext : field->parent;
        if (container != desc) {
            ierr(in, u->name_pos, "Option field \"%s\" is not a field or extension of message \"%s\".", name,
                 desc ? desc->name : "?");
            ok = false;
            break;
        }
        if (ndest < 64) dest[ndest++] = field->number;
        if (i < u->nnames - 1) {
            if (field->type != TY_MESSAGE && field->type != TY_GROUP) {
                ierr(in, u->name_pos, "Option \"%s\" is an atomic type, not a message.", name);
                ok = false;
                break;
            }
            if (field->label == LB_REPEATED) {
                ierr(in, u->name_pos,
                     "Option field \"%s\" is a repeated message. Repeated message options must be initialized using an "
                     "aggregate value.",
                     name);
                ok = false;
                break;
            }
            if (ninter < 64) {
                inter[ninter] = field->number;
                interf[ninter++] = field;
            }
            desc = field->rmsg;
        }
    }
    char *dbgname = ac_arena_strndup(in->a, dbg.p ? (char *)dbg.p : "", dbg.n);
    nt_buf_free(&dbg);
    if (!ok) return false;
    if (field->label != LB_REPEATED) {
        for (int i = 0; i < o->ents.n; i++) {
            if (!option_free(o->ents.v[i].bytes, o->ents.v[i].len, inter, ninter, field->number)) {
                ierr(in, u->name_pos, "Option \"%s\" was already set.", dbgname);
                return false;
            }
        }
    }
    nt_buf val = {0};
    locv subs = {0};
    if (!set_value(in, u, field, scope, &val, in->f->buf_style ? &subs : NULL)) {
        nt_buf_free(&val);
        return false;
    }
    for (int i = ninter - 1; i >= 0; i--) {
        nt_buf outer = {0};
        if (interf[i]->type == TY_GROUP) {
            nt_put_tag(&outer, inter[i], WT_SGROUP);
            nt_buf_put(&outer, val.p, val.n);
            nt_put_tag(&outer, inter[i], WT_EGROUP);
        } else {
            nt_put_bytes(&outer, inter[i], val.p, val.n);
        }
        nt_buf_free(&val);
        val = outer;
    }
    nt_optent *e = NT_PUSH(in->a, o->ents);
    e->number = ninter ? inter[0] : field->number;
    e->known = known_number(tname, e->number);
    e->bytes = ac_arena_memdup(in->a, val.p ? val.p : (uint8_t *)"", val.n);
    e->len = val.n;
    nt_buf_free(&val);
    /* where the option's location goes */
    char *dkey = path_key(in->a, dest, ndest);
    if (field->label == LB_REPEATED) {
        intptr_t cnt = (intptr_t)ac_strmap_get(&in->counts, dkey);
        ac_strmap_put(&in->counts, dkey, (void *)(cnt + 1));
        dest[ndest++] = (int)cnt;
    }
    int src[80];
    int nsrc = 0;
    for (int i = 0; i < nopath && nsrc < 76; i++) src[nsrc++] = opath[i];
    src[nsrc++] = 999;
    src[nsrc++] = index;
    moved *mv = ac_arena_alloc(in->a, sizeof *mv);
    mv->npath = ndest;
    mv->path = ac_arena_memdup(in->a, dest, (size_t)ndest * sizeof(int));
    if (in->f->buf_style && u->kind == NT_V_AGG && field->label != LB_REPEATED) {
        mv->literal = true;
        mv->subs = subs;
    }
    ac_strmap_put(&in->paths, path_key(in->a, src, nsrc), mv);
    in->any = true;
    return true;
}

static void interpret(I *in, nt_opts *o, const char *tname, const char *scope, const int *path, int npath)
{
    if (!o->u.n) return;
    /* an editions compilation (buf style) interprets every file's options as buf does, against the
     * descriptor.proto that knows features */
    nt_msg *t = nt_pool_options_type(in->pool, tname, in->f->buf_style ? 2023 : in->f->syn);
    for (int i = 0; i < o->u.n; i++) {
        if (!t) {
            ierr(in, o->u.v[i]->name_pos, "google.protobuf.%s is not available to interpret options.", tname);
            return;
        }
        interpret_one(in, o, o->u.v[i], t, tname, scope, path, npath, i);
    }
    if (in->f->buf_style && o->ents.n) { /* one merged message, as buf writes it */
        const uint8_t **parts = ac_arena_alloc(in->a, (size_t)o->ents.n * sizeof *parts);
        size_t *lens = ac_arena_alloc(in->a, (size_t)o->ents.n * sizeof *lens);
        for (int i = 0; i < o->ents.n; i++) {
            parts[i] = o->ents.v[i].bytes;
            lens[i] = o->ents.v[i].len;
        }
        nt_buf b = {0};
        buf_canonical(in, t, parts, lens, o->ents.n, &b, 0);
        o->ents.v[0].bytes = ac_arena_memdup(in->a, b.p ? b.p : (uint8_t *)"", b.n);
        o->ents.v[0].len = b.n;
        o->ents.n = 1;
        nt_buf_free(&b);
    }
}

/* ---- walking the file ---- */

typedef struct path {
    int v[256];
    int n;
} path;

static void pp(path *p, int a) { if (p->n < 256) p->v[p->n++] = a; }

static void walk_field(I *in, nt_field *f, path *p)
{
    pp(p, 8);
    interpret(in, &f->opts, "FieldOptions", f->full_name, p->v, p->n);
    p->n--;
}

static void walk_enum(I *in, nt_enum *e, path *p)
{
    pp(p, 3);
    interpret(in, &e->opts, "EnumOptions", e->full_name, p->v, p->n);
    p->n--;
    for (int i = 0; i < e->values.n; i++) {
        pp(p, 2);
        pp(p, i);
        pp(p, 3);
        interpret(in, &e->values.v[i]->opts, "EnumValueOptions", e->values.v[i]->full_name, p->v, p->n);
        p->n -= 3;
    }
}

static void walk_msg(I *in, nt_msg *m, path *p)
{
    for (int i = 0; i < m->fields.n; i++) {
        pp(p, 2);
        pp(p, i);
        walk_field(in, m->fields.v[i], p);
        p->n -= 2;
    }
    for (int i = 0; i < m->nested.n; i++) {
        pp(p, 3);
        pp(p, i);
        walk_msg(in, m->nested.v[i], p);
        p->n -= 2;
    }
    for (int i = 0; i < m->enums.n; i++) {
        pp(p, 4);
        pp(p, i);
        walk_enum(in, m->enums.v[i], p);
        p->n -= 2;
    }
    for (int i = 0; i < m->ext_ranges.n; i++) {
        pp(p, 5);
        pp(p, i);
        pp(p, 3);
        interpret(in, &m->ext_ranges.v[i]->opts, "ExtensionRangeOptions", m->full_name, p->v, p->n);
        p->n -= 3;
    }
    for (int i = 0; i < m->exts.n; i++) {
        pp(p, 6);
        pp(p, i);
        walk_field(in, m->exts.v[i], p);
        p->n -= 2;
    }
    pp(p, 7);
    interpret(in, &m->opts, "MessageOptions", m->full_name, p->v, p->n);
    p->n--;
    for (int i = 0; i < m->oneofs.n; i++) {
        pp(p, 8);
        pp(p, i);
        pp(p, 2);
        interpret(in, &m->oneofs.v[i]->opts, "OneofOptions", ac_arena_printf(in->a, "%s.%s", m->full_name, m->oneofs.v[i]->name),
                  p->v, p->n);
        p->n -= 3;
    }
}

/* buf style: a message option given as a literal spans from its name (the uninterpreted option's
 * name location, .., 2) to the end of its value (.., 8), without comments */
static void literal_span(const nt_file *f, int at, nt_loc *r)
{
    const nt_loc *o = &f->locs.v[at], *name = NULL, *value = NULL;
    for (int j = at + 1; j < f->locs.n; j++) {
        const nt_loc *c = &f->locs.v[j];
        if (c->npath <= o->npath || memcmp(c->path, o->path, (size_t)o->npath * sizeof(int)) != 0) break;
        if (c->npath == o->npath + 1 && c->path[o->npath] == 2 && !name) name = c;
        if (c->npath == o->npath + 1 && c->path[o->npath] == 8) value = c;
    }
    if (!name || !value) return;
    r->span[0] = name->span[0];
    r->span[1] = name->span[1];
    r->nspan = 2;
    int el = value->nspan == 4 ? value->span[2] : value->span[0];
    if (el != r->span[0]) r->span[r->nspan++] = el;
    r->span[r->nspan++] = value->span[value->nspan - 1];
    r->lead = r->trail = NULL;
    r->detached = NULL;
    r->ndetached = 0;
}

/* a literal's field location, its path under the option's */
static nt_loc prefixed(I *in, const moved *d, const nt_loc *sub)
{
    nt_loc r = *sub;
    ac_arena *a = in->f->la ? in->f->la : in->a;
    r.path = ac_arena_alloc(a, (size_t)(d->npath + sub->npath) * sizeof(int));
    memcpy(r.path, d->path, (size_t)d->npath * sizeof(int));
    memcpy(r.path + d->npath, sub->path, (size_t)sub->npath * sizeof(int));
    r.npath = d->npath + sub->npath;
    return r;
}

static void update_source_info(I *in, nt_file *f)
{
    if (!in->any) return;
    /* in place: a location is kept, rewritten or dropped; buf style adds those of literals' fields */
    locv added = {0};
    int n = 0;
    int *mpath = NULL;
    int mn = 0;
    bool matched = false;
    for (int i = 0; i < f->locs.n; i++) {
        nt_loc *l = &f->locs.v[i];
        if (matched) {
            bool sub = l->npath >= mn;
            for (int j = 0; sub && j < mn; j++)
                if (l->path[j] != mpath[j]) sub = false;
            if (sub) continue;
            matched = false;
        }
        /* only an uninterpreted option's location (path ..., 999, index) can have moved */
        moved *d = l->npath >= 2 && l->path[l->npath - 2] == 999
                       ? ac_strmap_get(&in->paths, path_key(in->a, l->path, l->npath))
                       : NULL;
        if (!d) {
            f->locs.v[n++] = *l;
            continue;
        }
        matched = true;
        mpath = l->path;
        mn = l->npath;
        nt_loc r = *l;
        r.npath = d->npath;
        r.path = d->path;
        if (d->literal) literal_span(f, i, &r);
        f->locs.v[n++] = r;
        for (int j = 0; j < d->subs.n; j++) *NT_PUSH(in->a, added) = prefixed(in, d, &d->subs.v[j]);
    }
    f->locs.n = n;
    for (int j = 0; j < added.n; j++) *NT_PUSH_HEAP(f->locs) = added.v[j];
}

void nt_interpret_file_options(nt_pool *pool, nt_file *f)
{
    I in = {0};
    in.pool = pool;
    in.a = pool->a;
    in.f = f;
    ac_strmap_init(&in.paths);
    ac_strmap_init(&in.counts);
    path p = {{0}, 0};
    const char *pkg = f->package ? f->package : "";
    for (int i = 0; i < f->msgs.n; i++) {
        pp(&p, 4);
        pp(&p, i);
        walk_msg(&in, f->msgs.v[i], &p);
        p.n -= 2;
    }
    for (int i = 0; i < f->enums.n; i++) {
        pp(&p, 5);
        pp(&p, i);
        walk_enum(&in, f->enums.v[i], &p);
        p.n -= 2;
    }
    for (int i = 0; i < f->services.n; i++) {
        nt_service *s = f->services.v[i];
        pp(&p, 6);
        pp(&p, i);
        pp(&p, 3);
        interpret(&in, &s->opts, "ServiceOptions", s->full_name, p.v, p.n);
        p.n--;
        for (int j = 0; j < s->methods.n; j++) {
            pp(&p, 2);
            pp(&p, j);
            pp(&p, 4);
            interpret(&in, &s->methods.v[j]->opts, "MethodOptions", s->methods.v[j]->full_name, p.v, p.n);
            p.n -= 3;
        }
        p.n -= 2;
    }
    for (int i = 0; i < f->exts.n; i++) {
        pp(&p, 7);
        pp(&p, i);
        walk_field(&in, f->exts.v[i], &p);
        p.n -= 2;
    }
    pp(&p, 8);
    interpret(&in, &f->opts, "FileOptions", ac_arena_printf(in.a, "%s.dummy", pkg), p.v, p.n);
    p.n--;
    update_source_info(&in, f);
    ac_strmap_free(&in.paths);
    ac_strmap_free(&in.counts);
}
