/* Protobuf values over the IR: the wire format written and read, text format, comparison
 * (pbval.h says how a reader here behaves; it follows protobuf's C++ runtime). */
#include "proto/pbval.h"

#include "compat/base/map.h"
#include "compat/base/text.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- fields and kinds ------------------------------------------------------------------------ */

static int wire_type_of(int kind)
{
    switch (kind) {
    case AC_PB_FIXED64: case AC_PB_SFIXED64: case AC_PB_DOUBLE: return PV_WT_I64;
    case AC_PB_FIXED32: case AC_PB_SFIXED32: case AC_PB_FLOAT: return PV_WT_I32;
    case AC_PB_STRING: case AC_PB_BYTES: case AC_PB_MESSAGE: return PV_WT_LEN;
    case AC_PB_GROUP: return PV_WT_SGROUP;
    default: return PV_WT_VARINT;
    }
}

static bool is_msg_kind(int kind)
{
    return kind == AC_PB_MESSAGE || kind == AC_PB_GROUP;
}

static bool packable(int kind)
{
    int wt = wire_type_of(kind);
    return wt == PV_WT_VARINT || wt == PV_WT_I64 || wt == PV_WT_I32;
}

const ac_pb_field *pv_field(const ac_pb_msg *type, int32_t number)
{
    if (!type) return NULL;
    for (size_t i = 0; i < type->nfields; i++)
        if (type->fields[i]->number == number) return type->fields[i];
    return NULL;
}

bool pv_implicit(const ac_pb_field *f)
{
    return f->label != AC_PB_LABEL_REPEATED && f->cardinality == AC_CARD_OPTIONAL_IMPLICIT && !(f->parent && f->parent->map_entry);
}

bool pv_required(const ac_pb_field *f)
{
    return f->cardinality == AC_CARD_REQUIRED;
}

bool pv_is_zero(const ac_pb_field *f, const pv_value *v)
{
    switch (f->kind) {
    case AC_PB_FLOAT: {
        float x = (float)v->d;
        uint32_t bits;
        memcpy(&bits, &x, sizeof bits);
        return bits == 0;
    }
    case AC_PB_DOUBLE: {
        uint64_t bits;
        memcpy(&bits, &v->d, sizeof bits);
        return bits == 0;
    }
    case AC_PB_STRING: case AC_PB_BYTES: return v->n == 0;
    case AC_PB_MESSAGE: case AC_PB_GROUP: return false;
    case AC_PB_UINT32: case AC_PB_UINT64: case AC_PB_FIXED32: case AC_PB_FIXED64: case AC_PB_BOOL: return v->u == 0;
    default: return v->i == 0;
    }
}

/* ---- messages ---------------------------------------------------------------------------------- */

pv_msg *pv_msg_new(ac_arena *a, const ac_pb_msg *type)
{
    pv_msg *m = ac_arena_alloc(a, sizeof *m);
    memset(m, 0, sizeof *m);
    m->type = type;
    return m;
}

static pv_entry *push(ac_arena *a, pv_msg *m)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8;
        pv_entry *e = ac_arena_alloc(a, cap * sizeof *e);
        if (m->n) memcpy(e, m->e, m->n * sizeof *e);
        m->e = e;
        m->cap = cap;
    }
    pv_entry *e = &m->e[m->n++];
    memset(e, 0, sizeof *e);
    return e;
}

pv_entry *pv_add(ac_arena *a, pv_msg *m, const ac_pb_field *f, const pv_value *v)
{
    pv_entry *e = push(a, m);
    e->f = f;
    e->number = f->number;
    e->wt = (uint8_t)wire_type_of(f->kind);
    e->v = *v;
    return e;
}

void pv_remove(pv_msg *m, int32_t number)
{
    size_t w = 0;
    for (size_t r = 0; r < m->n; r++)
        if (m->e[r].number != number) m->e[w++] = m->e[r];
    m->n = w;
}

bool pv_has(const pv_msg *m, int32_t number)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->e[i].number == number) return true;
    return false;
}

/* ---- writing ------------------------------------------------------------------------------------- */

void pv_buf_free(pv_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

static void put(pv_buf *b, const void *p, size_t n)
{
    if (b->overflow) return;
    if (n > PV_MAX_BYTES - b->n) {
        b->overflow = true;
        return;
    }
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + n) cap *= 2;
        b->p = ac_xrealloc(b->p, cap);
        b->cap = cap;
    }
    if (n) memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void put_varint(pv_buf *b, uint64_t v)
{
    uint8_t t[10];
    size_t n = 0;
    do {
        t[n] = (uint8_t)(v & 0x7f);
        v >>= 7;
        if (v) t[n] |= 0x80;
        n++;
    } while (v);
    put(b, t, n);
}

static void put_tag(pv_buf *b, int32_t number, int wt)
{
    put_varint(b, ((uint64_t)(uint32_t)number << 3) | (uint64_t)wt);
}

static void put_fixed(pv_buf *b, uint64_t v, size_t n)
{
    uint8_t t[8];
    for (size_t i = 0; i < n; i++) t[i] = (uint8_t)(v >> (8 * i));
    put(b, t, n);
}

/* A scalar's bytes, without its tag. */
static void put_scalar(pv_buf *b, const ac_pb_field *f, const pv_value *v)
{
    switch (f->kind) {
    case AC_PB_INT32: case AC_PB_INT64: case AC_PB_ENUM: put_varint(b, (uint64_t)v->i); break;
    case AC_PB_UINT32: case AC_PB_UINT64: case AC_PB_BOOL: put_varint(b, v->u); break;
    case AC_PB_SINT32: {
        int32_t x = (int32_t)v->i;
        put_varint(b, (uint32_t)(((uint32_t)x << 1) ^ (uint32_t)(x >> 31)));
        break;
    }
    case AC_PB_SINT64: put_varint(b, ((uint64_t)v->i << 1) ^ (uint64_t)(v->i >> 63)); break;
    case AC_PB_FIXED32: put_fixed(b, v->u, 4); break;
    case AC_PB_SFIXED32: put_fixed(b, (uint32_t)(int32_t)v->i, 4); break;
    case AC_PB_FIXED64: put_fixed(b, v->u, 8); break;
    case AC_PB_SFIXED64: put_fixed(b, (uint64_t)v->i, 8); break;
    case AC_PB_FLOAT: {
        float x = (float)v->d;
        uint32_t bits;
        memcpy(&bits, &x, sizeof bits);
        put_fixed(b, bits, 4);
        break;
    }
    case AC_PB_DOUBLE: {
        uint64_t bits;
        memcpy(&bits, &v->d, sizeof bits);
        put_fixed(b, bits, 8);
        break;
    }
    default: /* string, bytes */
        put_varint(b, v->n);
        put(b, v->s, v->n);
    }
}

static void encode_msg(const pv_msg *m, pv_buf *b, int depth);

static void encode_entry(const pv_msg *m, size_t i, pv_buf *b, int depth, ac_intmap *packed)
{
    const pv_entry *e = &m->e[i];
    if (!e->f) {
        put_tag(b, e->number, e->wt);
        switch (e->wt) {
        case PV_WT_VARINT: put_varint(b, e->v.u); break;
        case PV_WT_I64: put_fixed(b, e->v.u, 8); break;
        case PV_WT_I32: put_fixed(b, e->v.u, 4); break;
        case PV_WT_LEN: put_varint(b, e->v.n); put(b, e->v.s, e->v.n); break;
        default: /* a group's bytes, then its end */
            put(b, e->v.s, e->v.n);
            put_tag(b, e->number, PV_WT_EGROUP);
        }
        return;
    }
    const ac_pb_field *f = e->f;
    if (pv_implicit(f) && pv_is_zero(f, &e->v)) return; /* a runtime does not write it */
    if (f->label == AC_PB_LABEL_REPEATED && f->packed && packable(f->kind)) {
        if (ac_intmap_has(packed, (int64_t)(intptr_t)f)) return; /* written with the first element */
        ac_intmap_put(packed, (int64_t)(intptr_t)f, (void *)1);
        pv_buf tmp = {0};
        for (size_t k = i; k < m->n; k++)
            if (m->e[k].f == f) put_scalar(&tmp, f, &m->e[k].v);
        put_tag(b, f->number, PV_WT_LEN);
        put_varint(b, tmp.n);
        put(b, tmp.p, tmp.n);
        if (tmp.overflow) b->overflow = true;
        pv_buf_free(&tmp);
        return;
    }
    if (f->kind == AC_PB_MESSAGE) {
        pv_buf tmp = {0};
        if (e->v.m) encode_msg(e->v.m, &tmp, depth + 1);
        put_tag(b, f->number, PV_WT_LEN);
        put_varint(b, tmp.n);
        put(b, tmp.p, tmp.n);
        if (tmp.overflow) b->overflow = true;
        pv_buf_free(&tmp);
    } else if (f->kind == AC_PB_GROUP) {
        put_tag(b, f->number, PV_WT_SGROUP);
        if (e->v.m) encode_msg(e->v.m, b, depth + 1);
        put_tag(b, f->number, PV_WT_EGROUP);
    } else {
        put_tag(b, f->number, wire_type_of(f->kind));
        put_scalar(b, f, &e->v);
    }
}

static void encode_msg(const pv_msg *m, pv_buf *b, int depth)
{
    if (depth > PV_MAX_DEPTH) {
        b->overflow = true;
        return;
    }
    ac_intmap packed; /* the packed fields written */
    ac_intmap_init(&packed);
    for (size_t i = 0; i < m->n && !b->overflow; i++) encode_entry(m, i, b, depth, &packed);
    ac_intmap_free(&packed);
}

bool pv_encode(const pv_msg *m, pv_buf *out)
{
    encode_msg(m, out, 0);
    return !out->overflow;
}

/* ---- reading ------------------------------------------------------------------------------------- */

typedef struct rd {
    ac_arena *a;
    pv_error *err;
    bool failed;
} rd;

static void *fail(rd *r, int32_t number, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void *fail(rd *r, int32_t number, const char *fmt, ...)
{
    if (!r->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->err->msg, sizeof r->err->msg, fmt, ap);
        va_end(ap);
        r->err->number = number;
        r->failed = true;
    }
    return NULL;
}

static bool get_varint(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
    uint64_t v = 0;
    const uint8_t *p = *pp;
    for (int i = 0; i < 10; i++) {
        if (p >= end) return false;
        uint8_t c = *p++;
        v |= (uint64_t)(c & 0x7f) << (7 * i);
        if (!(c & 0x80)) {
            *out = v;
            *pp = p;
            return true;
        }
    }
    return false;
}

static bool get_fixed(const uint8_t **pp, const uint8_t *end, size_t n, uint64_t *out)
{
    if ((size_t)(end - *pp) < n) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) v |= (uint64_t)(*pp)[i] << (8 * i);
    *pp += n;
    *out = v;
    return true;
}

/* The value of one record of wire type wt at *pp: a varint or fixed bits in u, a payload in s/n; a
 * group's bytes up to its end tag (consumed).  False when malformed. */
static bool read_raw(rd *r, int wt, uint64_t number, const uint8_t **pp, const uint8_t *end, pv_value *v, int depth)
{
    switch (wt) {
    case PV_WT_VARINT: return get_varint(pp, end, &v->u);
    case PV_WT_I64: return get_fixed(pp, end, 8, &v->u);
    case PV_WT_I32: return get_fixed(pp, end, 4, &v->u);
    case PV_WT_LEN: {
        uint64_t n;
        if (!get_varint(pp, end, &n) || n > (uint64_t)(end - *pp)) return false;
        v->s = *pp;
        v->n = (size_t)n;
        *pp += n;
        return true;
    }
    case PV_WT_SGROUP: {
        if (depth > PV_MAX_DEPTH) return false;
        const uint8_t *start = *pp;
        for (;;) {
            const uint8_t *at = *pp;
            uint64_t tag;
            if (!get_varint(pp, end, &tag) || tag > UINT32_MAX || (tag >> 3) == 0) return false;
            int w = (int)(tag & 7);
            if (w == PV_WT_EGROUP) {
                if ((tag >> 3) != number) return false;
                v->s = start;
                v->n = (size_t)(at - start);
                return true;
            }
            if (w > PV_WT_I32) return false;
            pv_value inner = {0};
            if (!read_raw(r, w, tag >> 3, pp, end, &inner, depth + 1)) return false;
        }
    }
    default: return false;
    }
}

static pv_entry *add_unknown(rd *r, pv_msg *m, int32_t number, int wt, const pv_value *raw)
{
    pv_entry *e = push(r->a, m);
    e->number = number;
    e->wt = (uint8_t)wt;
    e->v = *raw;
    return e;
}

static bool utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t cp;
        if (c >= 0xc2 && c <= 0xdf) len = 2, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef) len = 3, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4) len = 4, cp = c & 0x07;
        else return false;
        if (n - i < len) return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
            return false;
        i += len;
    }
    return true;
}

static bool enum_has(const ac_pb_enum *e, int32_t number)
{
    for (size_t i = 0; i < e->nvalues; i++)
        if (e->values[i]->number == number) return true;
    return false;
}

/* raw (bits of wire type wt) as a value of f's kind */
static pv_value convert(const ac_pb_field *f, const pv_value *raw)
{
    pv_value v = *raw;
    uint64_t u = raw->u;
    switch (f->kind) {
    case AC_PB_INT32: case AC_PB_ENUM: v.i = (int32_t)(uint32_t)u; break;
    case AC_PB_INT64: case AC_PB_SFIXED64: v.i = (int64_t)u; break;
    case AC_PB_UINT32: case AC_PB_FIXED32: v.u = (uint32_t)u; break;
    case AC_PB_UINT64: case AC_PB_FIXED64: v.u = u; break;
    case AC_PB_SINT32: {
        uint32_t x = (uint32_t)u;
        v.i = (int32_t)((x >> 1) ^ (0u - (x & 1)));
        break;
    }
    case AC_PB_SINT64: v.i = (int64_t)((u >> 1) ^ (0 - (u & 1))); break;
    case AC_PB_BOOL: v.u = u != 0; break;
    case AC_PB_SFIXED32: v.i = (int32_t)(uint32_t)u; break;
    case AC_PB_FLOAT: {
        uint32_t bits = (uint32_t)u;
        float x;
        memcpy(&x, &bits, sizeof x);
        v.d = x;
        break;
    }
    case AC_PB_DOUBLE: memcpy(&v.d, &u, sizeof v.d); break;
    default: break;
    }
    return v;
}

static pv_msg *decode(rd *r, const ac_pb_msg *type, const uint8_t *p, size_t n, int depth);
enum { CAT_NUM, CAT_BYTES, CAT_MSG };
static int category(int kind);
static bool is_unsigned(int kind);
static bool is_float(int kind);

/* A message inside field f failed: the error names the field it is in, and is about the outermost
 * field (the one a reading of the top-level message tells apart). */
static void nested_error(rd *r, const ac_pb_field *f)
{
    char inner[sizeof r->err->msg];
    memcpy(inner, r->err->msg, sizeof inner);
    snprintf(r->err->msg, sizeof r->err->msg, "in field %d \"%.40s\": %.180s", f->number, f->name, inner);
    r->err->number = f->number;
}

/* What the reader of one message keeps while its records come in, so that a record costs the same
 * however many came before it (a runtime's reader is linear: a case file or an answer of a few MB
 * must not take minutes and gigabytes here).  Records are appended in order; settle() then drops
 * what later records undid: an earlier value of a singular scalar (the last wins), a member of a
 * oneof another member followed, and joins the pieces of a singular message given again.  A map's
 * entries are found by key as they come: the last of a key replaces the first in place. */
typedef struct field_state {
    size_t last;   /* singular scalar: the position of its last value */
    bool has_last;
    size_t first, npieces, total; /* singular message: the first surviving piece, their number and bytes */
    uint8_t *joined;              /* the surviving pieces, joined (settle) */
    size_t njoined;
} field_state;

typedef struct oneof_state {
    const ac_pb_field *m1; /* the member set last, at p1 */
    size_t p1, p2;         /* p2: the last set of another member than m1 (when has2) */
    bool has2;
} oneof_state;

enum { REC_OTHER, REC_PIECE, REC_SCALAR };

typedef struct reading {
    ac_intmap fields; /* const ac_pb_field * -> field_state * */
    ac_intmap oneofs; /* const ac_pb_oneof * -> oneof_state * */
    ac_strmap keys;   /* map field and key (map_key) -> position + 1 */
    uint8_t *rec;     /* by position: REC_* */
    size_t cap;
} reading;

static void mark(reading *rs, size_t at, uint8_t kind)
{
    if (at >= rs->cap) {
        size_t cap = rs->cap ? rs->cap : 16;
        while (cap <= at) cap *= 2;
        rs->rec = ac_xrealloc(rs->rec, cap);
        memset(rs->rec + rs->cap, 0, cap - rs->cap);
        rs->cap = cap;
    }
    rs->rec[at] = kind;
}

static field_state *state_of(rd *r, reading *rs, const ac_pb_field *f)
{
    field_state *s = ac_intmap_get(&rs->fields, (int64_t)(intptr_t)f);
    if (!s) {
        s = ac_arena_alloc(r->a, sizeof *s);
        memset(s, 0, sizeof *s);
        ac_intmap_put(&rs->fields, (int64_t)(intptr_t)f, s);
    }
    return s;
}

/* A member of a oneof set at position at. */
static void oneof_set(rd *r, reading *rs, const ac_pb_field *f, size_t at)
{
    oneof_state *os = ac_intmap_get(&rs->oneofs, (int64_t)(intptr_t)f->oneof);
    if (!os) {
        os = ac_arena_alloc(r->a, sizeof *os);
        memset(os, 0, sizeof *os);
        ac_intmap_put(&rs->oneofs, (int64_t)(intptr_t)f->oneof, os);
    } else if (os->m1 != f) {
        os->p2 = os->p1; /* the latest set of all, and of another member than f */
        os->has2 = true;
    }
    os->m1 = f;
    os->p1 = at;
}

/* Whether a value of oneof member f at position p was cleared: another member was set after it. */
static bool cleared(const reading *rs, const ac_pb_field *f, size_t p)
{
    const oneof_state *os = f->oneof ? ac_intmap_get(&rs->oneofs, (int64_t)(intptr_t)f->oneof) : NULL;
    if (!os) return false;
    return os->m1 != f ? os->p1 > p : os->has2 && os->p2 > p;
}

/* The key of a map entry as bytes: two entries have the same bytes exactly when pv_compare finds
 * their keys (field 1) the same (a key not given is its zero; numbers by value, NaN one value).
 * NULL when it would be too long: then the entry is kept as a key of its own. */
static const char *map_key(ac_arena *a, const ac_pb_field *f, const pv_msg *entry, size_t *len)
{
    pv_buf b = {0};
    put(&b, &f, sizeof f);
    size_t nkeys = 0;
    const pv_entry *only = NULL;
    for (size_t i = 0; i < entry->n; i++)
        if (entry->e[i].number == 1) nkeys++, only = &entry->e[i];
    bool zero = nkeys == 1 && only->f && only->f->label != AC_PB_LABEL_REPEATED && !is_msg_kind(only->f->kind) &&
                pv_is_zero(only->f, &only->v);
    for (size_t i = 0; i < entry->n && !zero; i++) {
        const pv_entry *e = &entry->e[i];
        if (e->number != 1) continue;
        if (!e->f) {
            uint8_t t[2] = {'U', e->wt};
            put(&b, t, 2);
            if (e->wt == PV_WT_LEN || e->wt == PV_WT_SGROUP) {
                put_varint(&b, e->v.n);
                put(&b, e->v.s, e->v.n);
            } else {
                put_fixed(&b, e->v.u, 8);
            }
            continue;
        }
        put(&b, "K", 1);
        switch (category(e->f->kind)) {
        case CAT_BYTES:
            put_varint(&b, e->v.n);
            put(&b, e->v.s, e->v.n);
            break;
        case CAT_MSG: { /* not a valid key type: compared by its encoding */
            pv_buf mb = {0};
            if (e->v.m) encode_msg(e->v.m, &mb, 0);
            put_varint(&b, mb.n);
            put(&b, mb.p, mb.n);
            if (mb.overflow) b.overflow = true;
            pv_buf_free(&mb);
            break;
        }
        default: {
            uint64_t bits;
            if (is_float(e->f->kind)) {
                if (isnan(e->v.d)) bits = UINT64_MAX;
                else memcpy(&bits, &e->v.d, sizeof bits);
            } else {
                bits = is_unsigned(e->f->kind) ? e->v.u : (uint64_t)e->v.i;
            }
            put_fixed(&b, bits, 8);
        }
        }
    }
    const char *k = b.overflow ? NULL : ac_arena_memdup(a, b.p, b.n);
    *len = b.n;
    pv_buf_free(&b);
    return k;
}

/* Records a value of known field f read from the wire. */
static void set_known(rd *r, reading *rs, pv_msg *m, const ac_pb_field *f, const pv_value *raw, int depth)
{
    pv_value v = convert(f, raw);
    if (f->kind == AC_PB_ENUM && f->enum_type && f->enum_type->closed && !enum_has(f->enum_type, (int32_t)v.i)) {
        /* a closed enum keeps a number it does not know as an unknown field */
        pv_value u = {0};
        u.u = raw->u;
        add_unknown(r, m, f->number, PV_WT_VARINT, &u);
        return;
    }
    if (f->label == AC_PB_LABEL_REPEATED) {
        if (is_msg_kind(f->kind)) {
            v.m = decode(r, f->msg_type, raw->s, raw->n, depth + 1);
            if (!v.m) {
                nested_error(r, f);
                return;
            }
            size_t kn;
            const char *key = f->cardinality == AC_CARD_MAP ? map_key(r->a, f, v.m, &kn) : NULL;
            if (key) {
                bool inserted;
                void **slot = ac_strmap_slot_of(&rs->keys, key, kn, &inserted);
                if (!inserted) {
                    m->e[(uintptr_t)*slot - 1].v.m = v.m; /* the last entry of a key wins, where the first was */
                    return;
                }
                *slot = (void *)(uintptr_t)(m->n + 1);
            }
        }
        pv_add(r->a, m, f, &v);
        return;
    }
    size_t at = m->n;
    /* setting a member of a oneof clears the others (settle) */
    if (f->oneof) oneof_set(r, rs, f, at);
    field_state *fs = state_of(r, rs, f);
    pv_add(r->a, m, f, &v);
    if (is_msg_kind(f->kind)) {
        /* a singular message given again is merged: its payloads are read as one (settle) */
        m->e[at].v.m = NULL;
        mark(rs, at, REC_PIECE);
    } else {
        fs->last = at;
        fs->has_last = true;
        mark(rs, at, REC_SCALAR);
    }
}

/* Whether the record at position p stands once every record is in. */
static bool stands(const reading *rs, const pv_msg *m, size_t p)
{
    const pv_entry *e = &m->e[p];
    if (!e->f) {
        /* an unknown field under a singular scalar's number: a later value of that field drops it */
        const ac_pb_field *g = pv_field(m->type, e->number);
        const field_state *gs = g ? ac_intmap_get(&rs->fields, (int64_t)(intptr_t)g) : NULL;
        return !(gs && gs->has_last && gs->last > p);
    }
    uint8_t kind = p < rs->cap ? rs->rec[p] : REC_OTHER;
    if (kind == REC_OTHER) return true;
    if (cleared(rs, e->f, p)) return false;
    if (kind == REC_SCALAR) {
        const field_state *fs = ac_intmap_get(&rs->fields, (int64_t)(intptr_t)e->f);
        return fs->last == p;
    }
    return true;
}

static void settle(rd *r, reading *rs, pv_msg *m)
{
    if (!rs->fields.len) return; /* no singular field: nothing undone */
    for (size_t p = 0; p < m->n; p++) {
        if (p >= rs->cap || rs->rec[p] != REC_PIECE || !stands(rs, m, p)) continue;
        field_state *fs = ac_intmap_get(&rs->fields, (int64_t)(intptr_t)m->e[p].f);
        if (!fs->npieces) fs->first = p;
        fs->npieces++;
        fs->total += m->e[p].v.n;
    }
    size_t w = 0;
    for (size_t p = 0; p < m->n; p++) {
        if (!stands(rs, m, p)) continue;
        pv_entry e = m->e[p];
        if (p < rs->cap && rs->rec[p] == REC_PIECE) {
            field_state *fs = ac_intmap_get(&rs->fields, (int64_t)(intptr_t)e.f);
            if (fs->npieces > 1) {
                if (!fs->joined) fs->joined = ac_arena_alloc(r->a, fs->total + 1);
                if (e.v.n) memcpy(fs->joined + fs->njoined, e.v.s, e.v.n);
                fs->njoined += e.v.n;
                if (p != fs->first) continue;
                e.v.s = fs->joined; /* filled in by the pieces after it, before it is read */
                e.v.n = fs->total;
            }
        }
        m->e[w++] = e;
    }
    m->n = w;
}

static pv_msg *decode_into(rd *r, reading *rs, const ac_pb_msg *type, const uint8_t *p, size_t n, int depth)
{
    if (r->failed) return NULL;
    if (depth > PV_MAX_DEPTH) return fail(r, 0, "messages nested deeper than %d", PV_MAX_DEPTH);
    pv_msg *m = pv_msg_new(r->a, type);
    const uint8_t *end = p + n;
    while (p < end && !r->failed) {
        uint64_t tag;
        if (!get_varint(&p, end, &tag) || tag > UINT32_MAX) return fail(r, 0, "malformed tag");
        int wt = (int)(tag & 7);
        uint64_t num = tag >> 3;
        if (num == 0) return fail(r, 0, "field number 0");
        if (wt == PV_WT_EGROUP) return fail(r, (int32_t)num, "end-group tag of field %" PRIu64 " outside its group", num);
        if (wt > PV_WT_I32) return fail(r, (int32_t)num, "invalid wire type %d", wt);
        pv_value raw = {0};
        if (!read_raw(r, wt, num, &p, end, &raw, depth))
            return fail(r, num <= INT32_MAX ? (int32_t)num : 0, "truncated or malformed field %" PRIu64, num);
        const ac_pb_field *f = num <= INT32_MAX ? pv_field(type, (int32_t)num) : NULL;
        if (!f) {
            add_unknown(r, m, (int32_t)num, wt, &raw);
            continue;
        }
        int ewt = wire_type_of(f->kind);
        if (f->label == AC_PB_LABEL_REPEATED && packable(f->kind) && wt == PV_WT_LEN) {
            const uint8_t *q = raw.s, *qe = raw.s + raw.n;
            while (q < qe) {
                pv_value el = {0};
                if (!read_raw(r, ewt, num, &q, qe, &el, depth)) return fail(r, f->number, "malformed packed field %d", f->number);
                set_known(r, rs, m, f, &el, depth);
            }
            continue;
        }
        if (wt != ewt) { /* another wire type: the runtime keeps it as an unknown field */
            add_unknown(r, m, (int32_t)num, wt, &raw);
            continue;
        }
        if (f->kind == AC_PB_STRING && f->features.utf8_validation == 2 && !utf8_valid(raw.s, raw.n))
            return fail(r, f->number, "invalid UTF-8 in string field %d \"%s\"", f->number, f->name);
        set_known(r, rs, m, f, &raw, depth);
    }
    if (r->failed) return NULL;
    settle(r, rs, m);
    /* the singular messages, their payloads merged */
    for (size_t i = 0; i < m->n; i++) {
        pv_entry *e = &m->e[i];
        if (!e->f || e->f->label == AC_PB_LABEL_REPEATED || !is_msg_kind(e->f->kind) || e->v.m) continue;
        e->v.m = decode(r, e->f->msg_type, e->v.s, e->v.n, depth + 1);
        e->v.s = NULL;
        e->v.n = 0;
        if (!e->v.m) {
            nested_error(r, e->f);
            return NULL;
        }
    }
    /* an implicit-presence field that ends at zero is not set */
    size_t w = 0;
    for (size_t i = 0; i < m->n; i++)
        if (!(m->e[i].f && pv_implicit(m->e[i].f) && pv_is_zero(m->e[i].f, &m->e[i].v))) m->e[w++] = m->e[i];
    m->n = w;
    return m;
}

static pv_msg *decode(rd *r, const ac_pb_msg *type, const uint8_t *p, size_t n, int depth)
{
    reading rs;
    memset(&rs, 0, sizeof rs);
    pv_msg *m = decode_into(r, &rs, type, p, n, depth);
    ac_intmap_free(&rs.fields);
    ac_intmap_free(&rs.oneofs);
    ac_strmap_free(&rs.keys);
    free(rs.rec);
    return m;
}

/* The first required field missing anywhere in m, as the runtime's initialization check finds it. */
static bool check_required(rd *r, const pv_msg *m, int32_t top, int depth)
{
    if (!m->type || depth > PV_MAX_DEPTH) return true;
    for (size_t i = 0; i < m->type->nfields; i++) {
        const ac_pb_field *f = m->type->fields[i];
        if (pv_required(f) && !pv_has(m, f->number)) {
            fail(r, top ? top : f->number, "missing required field \"%s\"", f->full_name);
            return false;
        }
    }
    for (size_t i = 0; i < m->n; i++)
        if (m->e[i].f && is_msg_kind(m->e[i].f->kind) && m->e[i].v.m &&
            !check_required(r, m->e[i].v.m, top ? top : m->e[i].number, depth + 1))
            return false;
    return true;
}

pv_msg *pv_decode(ac_arena *a, const ac_pb_msg *type, const uint8_t *p, size_t n, pv_error *err)
{
    rd r = {a, err, false};
    memset(err, 0, sizeof *err);
    pv_msg *m = decode(&r, type, p, n, 0);
    if (!m || r.failed) return NULL;
    if (!check_required(&r, m, 0, 0)) return NULL;
    return m;
}

/* ---- text format -------------------------------------------------------------------------------- */

/* C's escapes as protobuf's CEscape writes them: \n \r \t \" \' \\, other bytes outside printable
 * ASCII in octal. */
static void cescape(ac_text *t, const uint8_t *s, size_t n)
{
    ac_text_put(t, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        switch (c) {
        case '\n': ac_text_puts(t, "\\n"); break;
        case '\r': ac_text_puts(t, "\\r"); break;
        case '\t': ac_text_puts(t, "\\t"); break;
        case '"': ac_text_puts(t, "\\\""); break;
        case '\'': ac_text_puts(t, "\\'"); break;
        case '\\': ac_text_puts(t, "\\\\"); break;
        default:
            if (c < 0x20 || c >= 0x7f) ac_text_printf(t, "\\%03o", c);
            else ac_text_put(t, (const char *)&c, 1);
        }
    }
    ac_text_put(t, "\"", 1);
}

void pv_float_digits(char buf[PV_FLOAT_CHARS], double d, bool is_float)
{
    if (is_float) {
        float x = (float)d;
        snprintf(buf, PV_FLOAT_CHARS, "%.*g", FLT_DIG, (double)x);
        if (strtof(buf, NULL) != x) snprintf(buf, PV_FLOAT_CHARS, "%.*g", FLT_DIG + 3, (double)x);
    } else {
        snprintf(buf, PV_FLOAT_CHARS, "%.*g", DBL_DIG, d);
        if (strtod(buf, NULL) != d) snprintf(buf, PV_FLOAT_CHARS, "%.*g", DBL_DIG + 2, d);
    }
}

static void float_text(ac_text *t, double d, bool is_float)
{
    if (isnan(d)) {
        ac_text_puts(t, "nan");
        return;
    }
    if (isinf(d)) {
        ac_text_puts(t, d < 0 ? "-inf" : "inf");
        return;
    }
    char buf[PV_FLOAT_CHARS];
    pv_float_digits(buf, d, is_float);
    ac_text_puts(t, buf);
}

static void value_text(ac_text *t, const ac_pb_field *f, const pv_value *v)
{
    switch (f->kind) {
    case AC_PB_UINT32: case AC_PB_UINT64: case AC_PB_FIXED32: case AC_PB_FIXED64: ac_text_printf(t, "%" PRIu64, v->u); break;
    case AC_PB_BOOL: ac_text_puts(t, v->u ? "true" : "false"); break;
    case AC_PB_FLOAT: float_text(t, v->d, true); break;
    case AC_PB_DOUBLE: float_text(t, v->d, false); break;
    case AC_PB_STRING: case AC_PB_BYTES: cescape(t, v->s, v->n); break;
    case AC_PB_ENUM: {
        const ac_pb_enum *e = f->enum_type;
        for (size_t i = 0; e && i < e->nvalues; i++)
            if (e->values[i]->number == v->i) {
                ac_text_puts(t, e->values[i]->name);
                return;
            }
        ac_text_printf(t, "%" PRId64, v->i);
        break;
    }
    default: ac_text_printf(t, "%" PRId64, v->i);
    }
}

static void msg_text(ac_text *t, const pv_msg *m, int depth);

static void sep(ac_text *t)
{
    if (t->n && t->p[t->n - 1] != ' ') ac_text_put(t, " ", 1);
}

static void unknown_text(ac_text *t, const pv_entry *e, int budget)
{
    sep(t);
    switch (e->wt) {
    case PV_WT_VARINT: ac_text_printf(t, "%d: %" PRIu64, e->number, e->v.u); return;
    case PV_WT_I32: ac_text_printf(t, "%d: 0x%08" PRIx32, e->number, (uint32_t)e->v.u); return;
    case PV_WT_I64: ac_text_printf(t, "%d: 0x%016" PRIx64, e->number, e->v.u); return;
    default: break;
    }
    /* a payload that reads as fields is printed as a message, as protobuf's printer guesses */
    pv_msg *inner = NULL;
    if ((e->wt == PV_WT_SGROUP || e->v.n) && budget > 0) {
        ac_arena *a = ac_arena_new();
        pv_error err;
        rd r = {a, &err, false};
        pv_msg *got = decode(&r, NULL, e->v.s, e->v.n, PV_MAX_DEPTH - budget);
        if (got && !r.failed) {
            inner = got;
            ac_text_printf(t, "%d {", e->number);
            for (size_t i = 0; i < inner->n; i++) unknown_text(t, &inner->e[i], budget - 1);
            ac_text_puts(t, inner->n ? " }" : " }");
        }
        ac_arena_free(a);
        if (inner) return;
    }
    ac_text_printf(t, "%d: ", e->number);
    cescape(t, e->v.s, e->v.n);
}

/* The name text format gives a field: a proto2 group's is its type's. */
static const char *text_name(const ac_pb_field *f)
{
    if (f->type == AC_PB_GROUP && f->msg_type) return f->msg_type->name;
    return f->name;
}

typedef struct ord {
    const pv_entry *e;
    size_t at;
} ord;

static int cmp_ord(const void *pa, const void *pb)
{
    const ord *a = pa, *b = pb;
    if (a->e->number != b->e->number) return a->e->number < b->e->number ? -1 : 1;
    /* a map's entries by key, as protobuf prints them */
    if (a->e->f && a->e->f->cardinality == AC_CARD_MAP && a->e->v.m && b->e->v.m) {
        const pv_entry *ka = NULL, *kb = NULL;
        for (size_t i = 0; i < a->e->v.m->n; i++)
            if (a->e->v.m->e[i].number == 1) ka = &a->e->v.m->e[i];
        for (size_t i = 0; i < b->e->v.m->n; i++)
            if (b->e->v.m->e[i].number == 1) kb = &b->e->v.m->e[i];
        if (ka && kb && ka->f && kb->f) {
            int c = 0;
            switch (ka->f->kind) {
            case AC_PB_STRING: {
                size_t n = ka->v.n < kb->v.n ? ka->v.n : kb->v.n;
                c = memcmp(ka->v.s, kb->v.s, n);
                if (!c) c = ka->v.n < kb->v.n ? -1 : ka->v.n > kb->v.n;
                break;
            }
            case AC_PB_UINT32: case AC_PB_UINT64: case AC_PB_FIXED32: case AC_PB_FIXED64: case AC_PB_BOOL:
                c = ka->v.u < kb->v.u ? -1 : ka->v.u > kb->v.u;
                break;
            default: c = ka->v.i < kb->v.i ? -1 : ka->v.i > kb->v.i;
            }
            if (c) return c;
        }
    }
    return a->at < b->at ? -1 : a->at > b->at;
}

static void msg_text(ac_text *t, const pv_msg *m, int depth)
{
    if (depth > PV_MAX_DEPTH) return;
    size_t nk = 0;
    ord *o = ac_xmalloc((m->n + 2) * sizeof *o);
    for (size_t i = 0; i < m->n; i++)
        if (m->e[i].f) o[nk++] = (ord){&m->e[i], i};
    qsort(o, nk, sizeof *o, cmp_ord);
    /* a map entry always has its key and its value: protobuf prints the zero of one not given */
    pv_entry zeros[2];
    if (m->type && m->type->map_entry) {
        for (int32_t num = 1; num <= 2; num++) {
            const ac_pb_field *f = pv_field(m->type, num);
            bool have = false;
            for (size_t k = 0; k < nk && !have; k++) have = o[k].e->number == num;
            if (!f || have) continue;
            pv_entry *z = &zeros[num - 1];
            memset(z, 0, sizeof *z);
            z->f = f;
            z->number = num;
            o[nk++] = (ord){z, (size_t)-1};
        }
        qsort(o, nk, sizeof *o, cmp_ord);
    }
    for (size_t k = 0; k < nk && !t->cut; k++) {
        const pv_entry *e = o[k].e;
        sep(t);
        ac_text_puts(t, text_name(e->f));
        if (is_msg_kind(e->f->kind)) {
            ac_text_puts(t, " {");
            if (e->v.m) msg_text(t, e->v.m, depth + 1);
            ac_text_puts(t, " }");
        } else {
            ac_text_puts(t, ": ");
            value_text(t, e->f, &e->v);
        }
    }
    free(o);
    for (size_t i = 0; i < m->n && !t->cut; i++)
        if (!m->e[i].f) unknown_text(t, &m->e[i], 10);
}

const char *pv_text(ac_arena *a, const pv_msg *m, size_t max)
{
    ac_text t = {.max = max};
    msg_text(&t, m, 0);
    const char *s = t.n ? ac_arena_strdup(a, t.p) : "";
    if (t.cut) s = ac_arena_printf(a, "%s ...", s);
    free(t.p);
    return s;
}

const char *pv_value_text(ac_arena *a, const ac_pb_field *f, const pv_value *v)
{
    ac_text t = {.max = 4096};
    if (is_msg_kind(f->kind)) {
        ac_text_puts(&t, "{");
        if (v->m) msg_text(&t, v->m, 0);
        ac_text_puts(&t, " }");
    } else {
        value_text(&t, f, v);
    }
    const char *s = ac_arena_strdup(a, t.p ? t.p : "");
    free(t.p);
    return s;
}

/* ---- comparison ------------------------------------------------------------------------------------ */

static int category(int kind)
{
    if (kind == AC_PB_STRING || kind == AC_PB_BYTES) return CAT_BYTES;
    if (is_msg_kind(kind)) return CAT_MSG;
    return CAT_NUM;
}

static bool is_unsigned(int kind)
{
    return kind == AC_PB_UINT32 || kind == AC_PB_UINT64 || kind == AC_PB_FIXED32 || kind == AC_PB_FIXED64 || kind == AC_PB_BOOL;
}

static bool is_float(int kind)
{
    return kind == AC_PB_FLOAT || kind == AC_PB_DOUBLE;
}

/* Two numbers, whatever their kinds: the same mathematical value (true is 1, an enum its number). */
static bool same_number(int ka, const pv_value *a, int kb, const pv_value *b)
{
    if (is_float(ka) || is_float(kb)) {
        long double x = is_float(ka) ? (long double)a->d : is_unsigned(ka) ? (long double)a->u : (long double)a->i;
        long double y = is_float(kb) ? (long double)b->d : is_unsigned(kb) ? (long double)b->u : (long double)b->i;
        if (isnan(x) && isnan(y)) return true;
        return x == y && signbit(x) == signbit(y);
    }
    bool na = !is_unsigned(ka) && a->i < 0, nb = !is_unsigned(kb) && b->i < 0;
    if (na != nb) return false;
    uint64_t ma = is_unsigned(ka) ? a->u : (uint64_t)a->i, mb = is_unsigned(kb) ? b->u : (uint64_t)b->i;
    return ma == mb;
}

static int compare_msgs(const pv_msg *a, const pv_msg *b, const int32_t *focus, size_t nfocus, int depth);

static int compare_values(const pv_entry *x, const pv_entry *y, int depth)
{
    if (!x->f || !y->f) {
        if (x->f || y->f) return PV_DIFFERENT; /* a field one side knows and the other does not */
        if (x->wt != y->wt) return PV_DIFFERENT;
        if (x->wt == PV_WT_LEN || x->wt == PV_WT_SGROUP)
            return x->v.n == y->v.n && (!x->v.n || !memcmp(x->v.s, y->v.s, x->v.n)) ? PV_SAME : PV_DIFFERENT;
        return x->v.u == y->v.u ? PV_SAME : PV_DIFFERENT;
    }
    int cx = category(x->f->kind), cy = category(y->f->kind);
    if (cx != cy) return cx == CAT_NUM || cy == CAT_NUM ? PV_DIFFERENT : PV_KIND;
    switch (cx) {
    case CAT_NUM: return same_number(x->f->kind, &x->v, y->f->kind, &y->v) ? PV_SAME : PV_DIFFERENT;
    case CAT_BYTES: return x->v.n == y->v.n && (!x->v.n || !memcmp(x->v.s, y->v.s, x->v.n)) ? PV_SAME : PV_DIFFERENT;
    default:
        if (!x->v.m || !y->v.m) return x->v.m == y->v.m ? PV_SAME : PV_DIFFERENT;
        return compare_msgs(x->v.m, y->v.m, NULL, 0, depth + 1);
    }
}

static bool in_focus(int32_t number, const int32_t *focus, size_t nfocus)
{
    if (!nfocus || !focus) return true;
    for (size_t i = 0; i < nfocus; i++)
        if (focus[i] == number) return true;
    return false;
}

/* A zero one side holds where the other holds nothing, in a field without presence (implicit, or
 * a map entry's key or value): no reader can tell the two apart.  Where the side that holds it
 * tracks presence, the other side lost something. */
static bool unseen_zero(const pv_entry *e)
{
    const ac_pb_field *f = e->f;
    if (!f || f->label == AC_PB_LABEL_REPEATED) return false;
    bool no_presence = pv_implicit(f) || (f->parent && f->parent->map_entry);
    return no_presence && !is_msg_kind(f->kind) && pv_is_zero(f, &e->v);
}

/* A message's entries by number, each number's in the order they occur: compared a number at a
 * time without a pass over the whole message for each (a message of a million unknown fields). */
typedef struct numbered {
    int32_t number;
    size_t at;
} numbered;

static int cmp_numbered(const void *x, const void *y)
{
    const numbered *a = x, *b = y;
    if (a->number != b->number) return a->number < b->number ? -1 : 1;
    return a->at < b->at ? -1 : a->at > b->at;
}

static numbered *by_number(const pv_msg *m)
{
    numbered *v = ac_xmalloc((m->n ? m->n : 1) * sizeof *v);
    for (size_t i = 0; i < m->n; i++) v[i] = (numbered){m->e[i].number, i};
    qsort(v, m->n, sizeof *v, cmp_numbered);
    return v;
}

/* The values of one number: na of a's (ga), nb of b's (gb). */
static int compare_group(const pv_msg *a, const numbered *ga, size_t na, const pv_msg *b, const numbered *gb, size_t nb, int depth)
{
    if (na + nb == 1 && unseen_zero(na ? &a->e[ga[0].at] : &b->e[gb[0].at])) return PV_SAME;
    if (na != nb) return PV_DIFFERENT;
    int worst = PV_SAME;
    for (size_t k = 0; k < na; k++) {
        int c = compare_values(&a->e[ga[k].at], &b->e[gb[k].at], depth);
        if (c == PV_DIFFERENT) return c;
        if (c > worst) worst = c;
    }
    return worst;
}

/* Walks the numbers either side holds, in order: each one's comparison to visit (which returns
 * false to stop). */
typedef bool (*group_fn)(void *ctx, int32_t number, int c);

static void compare_groups(const pv_msg *a, const pv_msg *b, const int32_t *focus, size_t nfocus, int depth, group_fn fn, void *ctx)
{
    numbered *sa = by_number(a), *sb = by_number(b);
    for (size_t i = 0, j = 0; i < a->n || j < b->n;) {
        int32_t num = j >= b->n || (i < a->n && sa[i].number <= sb[j].number) ? sa[i].number : sb[j].number;
        size_t i2 = i, j2 = j;
        while (i2 < a->n && sa[i2].number == num) i2++;
        while (j2 < b->n && sb[j2].number == num) j2++;
        if (in_focus(num, focus, nfocus) && !fn(ctx, num, compare_group(a, sa + i, i2 - i, b, sb + j, j2 - j, depth))) break;
        i = i2;
        j = j2;
    }
    free(sa);
    free(sb);
}

static bool worst_of(void *ctx, int32_t number, int c)
{
    (void)number;
    int *worst = ctx;
    if (c > *worst) *worst = c;
    return c != PV_DIFFERENT;
}

static int compare_msgs(const pv_msg *a, const pv_msg *b, const int32_t *focus, size_t nfocus, int depth)
{
    if (depth > PV_MAX_DEPTH) return PV_SAME;
    /* every number either side holds: the same count of values, each the same */
    int worst = PV_SAME;
    compare_groups(a, b, focus, nfocus, depth, worst_of, &worst);
    return worst;
}

static bool differing(void *ctx, int32_t number, int c)
{
    if (c == PV_DIFFERENT) ac_intmap_put(ctx, number, (void *)1);
    return true;
}

void pv_differing(const pv_msg *a, const pv_msg *b, ac_intmap *out)
{
    compare_groups(a, b, NULL, 0, 0, differing, out);
}

int pv_compare(const pv_msg *a, const pv_msg *b, const int32_t *focus, size_t nfocus)
{
    return compare_msgs(a, b, focus, nfocus, 0);
}

/* ---- comparison by JSON names -------------------------------------------------------------------- */

/* Two fields a JSON key reaches alike: the same JSON name or the same proto name. */
static bool same_json_field(const ac_pb_field *a, const ac_pb_field *b)
{
    return !strcmp(a->json_name, b->json_name) || !strcmp(a->name, b->name);
}

static int compare_json(const pv_msg *a, const pv_msg *b, const int32_t *focus, size_t nfocus, int depth);

static int json_values(const pv_entry *x, const pv_entry *y, int depth)
{
    if (x->f && y->f && is_msg_kind(x->f->kind) && is_msg_kind(y->f->kind)) {
        if (!x->v.m || !y->v.m) return x->v.m == y->v.m ? PV_SAME : PV_DIFFERENT;
        return compare_json(x->v.m, y->v.m, NULL, 0, depth + 1);
    }
    return compare_values(x, y, depth);
}

/* The values of field f in m, or of the fields of m a JSON key for f reaches (other). */
static size_t json_count(const pv_msg *m, const ac_pb_field *f)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n; i++) n += m->e[i].f && same_json_field(m->e[i].f, f);
    return n;
}

static int compare_json(const pv_msg *a, const pv_msg *b, const int32_t *focus, size_t nfocus, int depth)
{
    if (depth > PV_MAX_DEPTH) return PV_SAME;
    int worst = PV_SAME;
    /* each field once (not a pass over the entries before each entry: a repeated field of a
     * million values after another) */
    ac_intmap done;
    ac_intmap_init(&done);
    for (size_t i = 0; i < a->n && worst != PV_DIFFERENT; i++) {
        const ac_pb_field *f = a->e[i].f;
        if (!f || !in_focus(f->number, focus, nfocus) || ac_intmap_has(&done, (int64_t)(intptr_t)f)) continue;
        ac_intmap_put(&done, (int64_t)(intptr_t)f, (void *)1);
        size_t na = json_count(a, f), nb = json_count(b, f);
        if (na != nb) {
            worst = PV_DIFFERENT;
            break;
        }
        for (size_t ia = 0, ib = 0, seen = 0; seen < na; seen++, ia++, ib++) {
            while (!(a->e[ia].f && same_json_field(a->e[ia].f, f))) ia++;
            while (!(b->e[ib].f && same_json_field(b->e[ib].f, f))) ib++;
            int c = json_values(&a->e[ia], &b->e[ib], depth);
            if (c > worst) worst = c;
            if (c == PV_DIFFERENT) break;
        }
    }
    /* what b holds that nothing in a stands for */
    ac_intmap_free(&done);
    ac_intmap_init(&done);
    for (size_t i = 0; i < b->n && worst != PV_DIFFERENT; i++) {
        const ac_pb_field *f = b->e[i].f;
        if (!f) {
            worst = PV_DIFFERENT;
            break;
        }
        if (ac_intmap_has(&done, (int64_t)(intptr_t)f)) continue;
        ac_intmap_put(&done, (int64_t)(intptr_t)f, (void *)1);
        bool matched = false, focused = !nfocus;
        for (size_t k = 0; k < a->n && !matched; k++) matched = a->e[k].f && same_json_field(a->e[k].f, f);
        for (size_t k = 0; k < nfocus && !focused; k++) {
            const ac_pb_field *ff = a->type ? pv_field(a->type, focus[k]) : NULL;
            focused = ff && same_json_field(ff, f);
        }
        if (!matched && focused) worst = PV_DIFFERENT;
    }
    ac_intmap_free(&done);
    return worst;
}

int pv_compare_json(const pv_msg *a, const pv_msg *b, const int32_t *focus, size_t nfocus)
{
    return compare_json(a, b, focus, nfocus, 0);
}
