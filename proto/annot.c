/* Google's API annotations and protovalidate's rules, read from the options of a descriptor.
 *
 * They are extensions (google.api.http = 72295728 on MethodOptions, field_behavior = 1052 on
 * FieldOptions, ...), which protobuf-c keeps as unknown fields of the options message: this file
 * decodes those bytes into the IR (ac_pb_http, AC_FB_* bits, ac_pb_validate).  A malformed value is
 * skipped, not an error: the annotations add checks, and a descriptor that protoc or buf accepted
 * must still load. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "proto/annot.h"
#include "proto/proto.h"

enum {
    EXT_HTTP = 72295728, EXT_METHOD_SIGNATURE = 1051, EXT_OPERATION_INFO = 1049,
    EXT_DEFAULT_HOST = 1049, EXT_OAUTH_SCOPES = 1050,
    EXT_RESOURCE = 1053,
    EXT_FIELD_BEHAVIOR = 1052, EXT_RESOURCE_REFERENCE = 1055, EXT_FIELD_INFO = 291403980, EXT_VALIDATE = 1159,
};

#define MAX_BINDINGS 64 /* additional_bindings of one rule (googleapis uses a handful) */
#define MAX_LIST 256    /* patterns, signatures, `in` values */

typedef struct rd {
    const uint8_t *p, *end;
} rd;

static bool rd_varint(rd *r, uint64_t *v)
{
    uint64_t x = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end) return false;
        uint8_t b = *r->p++;
        x |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = x;
            return true;
        }
    }
    return false;
}

/* One field: its number, wire type and value (varint / fixed bits, or the bytes of a
 * length-delimited value).  Groups are not used by these messages and end the read. */
typedef struct rfield {
    uint32_t num, wt;
    uint64_t v;
    const uint8_t *b;
    size_t n;
} rfield;

static bool rd_next(rd *r, rfield *f)
{
    uint64_t key;
    if (r->p >= r->end || !rd_varint(r, &key) || (key >> 3) == 0 || (key >> 3) > 0x1fffffff) return false;
    f->num = (uint32_t)(key >> 3);
    f->wt = (uint32_t)(key & 7);
    switch (f->wt) {
    case 0: return rd_varint(r, &f->v);
    case 1:
        if (r->end - r->p < 8) return false;
        f->v = 0;
        for (int i = 7; i >= 0; i--) f->v = f->v << 8 | r->p[i];
        r->p += 8;
        return true;
    case 5:
        if (r->end - r->p < 4) return false;
        f->v = (uint64_t)r->p[0] | (uint64_t)r->p[1] << 8 | (uint64_t)r->p[2] << 16 | (uint64_t)r->p[3] << 24;
        r->p += 4;
        return true;
    case 2:
        if (!rd_varint(r, &f->v) || f->v > (uint64_t)(r->end - r->p)) return false;
        f->b = r->p;
        f->n = (size_t)f->v;
        r->p += f->n;
        return true;
    default: return false;
    }
}

static const char *str(ac_arena *a, const rfield *f)
{
    return f->wt == 2 ? ac_arena_strndup(a, (const char *)f->b, f->n) : NULL;
}

static void push_str(ac_arena *a, const char ***list, uint32_t *n, const char *s)
{
    if (!s || *n >= MAX_LIST) return;
    const char **v = ac_arena_alloc(a, (*n + 1) * sizeof *v);
    if (*n) memcpy(v, *list, *n * sizeof *v);
    v[(*n)++] = s;
    *list = v;
}

/* ---- google.api.HttpRule ---------------------------------------------------------------------- */

typedef struct http_acc {
    ac_pb_http rule;
    ac_pb_http extra[MAX_BINDINGS];
    uint32_t nextra;
} http_acc;

static void decode_custom(ac_arena *a, const uint8_t *p, size_t n, ac_pb_http *h)
{
    rd r = {p, p + n};
    rfield f;
    while (rd_next(&r, &f)) {
        if (f.num == 1 && f.wt == 2) h->verb = str(a, &f);
        if (f.num == 2 && f.wt == 2) h->path = str(a, &f);
    }
}

static void decode_rule(ac_arena *a, const uint8_t *p, size_t n, ac_pb_http *h, http_acc *acc)
{
    static const char *const verbs[] = {NULL, NULL, "get", "put", "post", "delete", "patch"};
    rd r = {p, p + n};
    rfield f;
    while (rd_next(&r, &f)) {
        if (f.wt != 2) continue;
        if (f.num >= 2 && f.num <= 6) {
            h->verb = verbs[f.num];
            h->path = str(a, &f);
        } else if (f.num == 8) {
            decode_custom(a, f.b, f.n, h);
        } else if (f.num == 7) {
            h->body = str(a, &f);
        } else if (f.num == 12) {
            h->response_body = str(a, &f);
        } else if (f.num == 11 && acc && acc->nextra < MAX_BINDINGS) {
            /* additional bindings do not nest (google/api/http.proto): theirs are ignored */
            ac_pb_http *x = &acc->extra[acc->nextra];
            memset(x, 0, sizeof *x);
            decode_rule(a, f.b, f.n, x, NULL);
            if (x->verb && x->path) x->index = ++acc->nextra;
        }
    }
}

static void finish_http(ac_arena *a, ac_pb_method *m, http_acc *acc)
{
    if (!acc->rule.verb || !acc->rule.path) return;
    m->nhttp = 1 + acc->nextra;
    m->http = ac_arena_alloc(a, m->nhttp * sizeof *m->http);
    m->http[0] = acc->rule;
    for (uint32_t i = 0; i < acc->nextra; i++) m->http[1 + i] = acc->extra[i];
    for (uint32_t i = 0; i < m->nhttp; i++) {
        if (!m->http[i].body) m->http[i].body = "";
        if (!m->http[i].response_body) m->http[i].response_body = "";
        if (!m->http[i].verb) m->http[i].verb = "";
        m->http[i].match = ac_proto_http_match(a, m->http[i].path);
    }
}

/* ---- elements --------------------------------------------------------------------------------- */

/* The unknown fields of an options message, each turned into (number, wire type, value): protobuf-c
 * keeps a length-delimited value with its length prefix, which is read off here. */
static rfield *unknowns(const ProtobufCMessage *opts, size_t *n)
{
    *n = 0;
    if (!opts || !opts->n_unknown_fields) return NULL;
    rfield *v = calloc(opts->n_unknown_fields, sizeof *v);
    if (!v) return NULL;
    for (unsigned i = 0; i < opts->n_unknown_fields; i++) {
        const ProtobufCMessageUnknownField *u = &opts->unknown_fields[i];
        rd r = {u->data, u->data + u->len};
        rfield f = {u->tag, 0, 0, NULL, 0};
        switch (u->wire_type) {
        case PROTOBUF_C_WIRE_TYPE_VARINT:
            if (!rd_varint(&r, &f.v)) continue;
            break;
        case PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED:
            f.wt = 2;
            if (!rd_varint(&r, &f.v) || f.v > (uint64_t)(r.end - r.p)) continue;
            f.b = r.p;
            f.n = (size_t)f.v;
            break;
        default: continue;
        }
        v[(*n)++] = f;
    }
    return v;
}

void ac_proto_annot_method(ac_arena *a, ac_pb_method *m, const ProtobufCMessage *opts)
{
    size_t n;
    rfield *u = unknowns(opts, &n);
    http_acc *acc = NULL;
    for (size_t i = 0; i < n; i++) {
        if (u[i].wt != 2) continue;
        if (u[i].num == EXT_HTTP) {
            if (!acc) acc = calloc(1, sizeof *acc);
            if (acc) decode_rule(a, u[i].b, u[i].n, &acc->rule, acc); /* several statements merge */
        } else if (u[i].num == EXT_METHOD_SIGNATURE) {
            push_str(a, &m->signatures, &m->nsignatures, str(a, &u[i]));
        } else if (u[i].num == EXT_OPERATION_INFO) {
            rd r = {u[i].b, u[i].b + u[i].n};
            rfield g;
            while (rd_next(&r, &g)) {
                if (g.num == 1 && g.wt == 2) m->lro_response = str(a, &g);
                if (g.num == 2 && g.wt == 2) m->lro_metadata = str(a, &g);
            }
        }
    }
    if (acc) finish_http(a, m, acc);
    free(acc);
    free(u);
}

void ac_proto_annot_service(ac_arena *a, ac_pb_service *s, const ProtobufCMessage *opts)
{
    size_t n;
    rfield *u = unknowns(opts, &n);
    for (size_t i = 0; i < n; i++) {
        if (u[i].wt != 2) continue;
        if (u[i].num == EXT_DEFAULT_HOST) s->default_host = str(a, &u[i]);
        if (u[i].num == EXT_OAUTH_SCOPES) s->oauth_scopes = str(a, &u[i]);
    }
    free(u);
}

void ac_proto_annot_message(ac_arena *a, ac_pb_msg *m, const ProtobufCMessage *opts)
{
    size_t n;
    rfield *u = unknowns(opts, &n);
    for (size_t i = 0; i < n; i++) {
        if (u[i].num != EXT_RESOURCE || u[i].wt != 2) continue;
        rd r = {u[i].b, u[i].b + u[i].n};
        rfield g;
        while (rd_next(&r, &g)) {
            if (g.num == 1 && g.wt == 2) m->resource_type = str(a, &g);
            if (g.num == 2 && g.wt == 2) push_str(a, &m->resource_patterns, &m->nresource_patterns, str(a, &g));
        }
    }
    free(u);
}

/* ---- buf.validate.FieldRules --------------------------------------------------------------------- */

static int64_t sat(uint64_t v)
{
    return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* A numeric rule value as a double, by the rules message's field type (FieldRules' oneof number). */
static bool num_value(uint32_t kind, const rfield *f, double *out)
{
    switch (kind) {
    case 1: /* float */
        if (f->wt != 5) return false;
        {
            uint32_t bits = (uint32_t)f->v;
            float x;
            memcpy(&x, &bits, 4);
            *out = x;
        }
        return true;
    case 2: /* double */
        if (f->wt != 1) return false;
        memcpy(out, &f->v, 8);
        return true;
    case 3: *out = (double)(int32_t)f->v; return f->wt == 0;
    case 4: *out = (double)(int64_t)f->v; return f->wt == 0;
    case 5:
    case 6: *out = (double)f->v; return f->wt == 0;
    case 7: *out = (double)(int32_t)((uint32_t)(f->v >> 1) ^ (uint32_t)-(int32_t)(f->v & 1)); return f->wt == 0;
    case 8: *out = (double)(int64_t)((f->v >> 1) ^ (uint64_t)-(int64_t)(f->v & 1)); return f->wt == 0;
    case 9: *out = (double)(uint32_t)f->v; return f->wt == 5;
    case 10: *out = (double)f->v; return f->wt == 1;
    case 11: *out = (double)(int32_t)(uint32_t)f->v; return f->wt == 5;
    case 12: *out = (double)(int64_t)f->v; return f->wt == 1;
    default: return false;
    }
}

static void decode_typed(ac_arena *a, uint32_t kind, const uint8_t *p, size_t n, ac_pb_validate *v)
{
    rd r = {p, p + n};
    rfield f;
    while (rd_next(&r, &f)) {
        if (kind == 14 || kind == 15) { /* string, bytes */
            bool s = kind == 14;
            if (f.wt == 0 && (f.num == 2 || (s && f.num == 4))) v->min_len = sat(f.v);
            if (f.wt == 0 && (f.num == 3 || (s && f.num == 5))) v->max_len = sat(f.v);
            if (f.wt == 0 && (f.num == (s ? 19u : 13u) || (s && f.num == 20))) v->min_len = v->max_len = sat(f.v);
            if (f.wt == 2 && f.num == (s ? 6u : 4u)) v->pattern = str(a, &f);
            if (f.wt == 2 && f.num == (s ? 10u : 8u)) {
                v->has_in = true;
                push_str(a, &v->in, &v->nin, str(a, &f));
            }
        } else if (kind == 16) { /* enum */
            if (f.num == 2 && f.wt == 0) v->defined_only = f.v != 0;
        } else if (kind == 18 || kind == 19) { /* repeated, map */
            if (f.num == 1 && f.wt == 0) v->min_items = sat(f.v);
            if (f.num == 2 && f.wt == 0) v->max_items = sat(f.v);
        } else if (kind >= 1 && kind <= 12) {
            double d;
            if (f.num >= 2 && f.num <= 5 && num_value(kind, &f, &d)) {
                if (f.num == 2) v->has_lt = true, v->lt = d;
                if (f.num == 3) v->has_lte = true, v->lte = d;
                if (f.num == 4) v->has_gt = true, v->gt = d;
                if (f.num == 5) v->has_gte = true, v->gte = d;
            } else if (f.num == 6 && num_value(kind, &f, &d)) {
                v->has_in = true;
                push_str(a, &v->in, &v->nin, ac_arena_printf(a, "%.17g", d));
            } else if (f.num == 6 && f.wt == 2) { /* packed */
                v->has_in = true;
                rd q = {f.b, f.b + f.n};
                int wt = kind == 1 || kind == 9 || kind == 11 ? 5 : kind == 2 || kind == 10 || kind == 12 ? 1 : 0;
                while (q.p < q.end) {
                    rfield e = {6, (uint32_t)wt, 0, NULL, 0};
                    if (wt == 0 && !rd_varint(&q, &e.v)) break;
                    if (wt != 0) {
                        size_t w = wt == 5 ? 4 : 8;
                        if ((size_t)(q.end - q.p) < w) break;
                        for (size_t i = w; i-- > 0;) e.v = e.v << 8 | q.p[i];
                        q.p += w;
                    }
                    if (num_value(kind, &e, &d)) push_str(a, &v->in, &v->nin, ac_arena_printf(a, "%.17g", d));
                }
            }
        }
    }
}

static void decode_validate(ac_arena *a, const uint8_t *p, size_t n, ac_pb_validate *v)
{
    rd r = {p, p + n};
    rfield f;
    while (rd_next(&r, &f)) {
        if (f.num == 25 && f.wt == 0) v->required = f.v != 0;
        else if (f.wt == 2 && ((f.num >= 1 && f.num <= 16) || f.num == 18 || f.num == 19))
            decode_typed(a, f.num, f.b, f.n, v);
    }
}

void ac_proto_annot_field(ac_arena *a, ac_pb_field *fl, const ProtobufCMessage *opts)
{
    size_t n;
    rfield *u = unknowns(opts, &n);
    ac_pb_validate *v = NULL;
    for (size_t i = 0; i < n; i++) {
        rd r = {u[i].b, u[i].b ? u[i].b + u[i].n : NULL}; /* a varint has no bytes (NULL + 0 is undefined) */
        rfield g;
        if (u[i].num == EXT_FIELD_BEHAVIOR) {
            if (u[i].wt == 0 && u[i].v < 32) fl->behavior |= 1u << u[i].v;
            uint64_t x;
            while (u[i].wt == 2 && r.p < r.end && rd_varint(&r, &x)) /* packed */
                if (x < 32) fl->behavior |= 1u << x;
            continue;
        }
        if (u[i].wt != 2) continue;
        if (u[i].num == EXT_RESOURCE_REFERENCE) {
            while (rd_next(&r, &g)) {
                if (g.num == 1 && g.wt == 2) fl->ref_type = str(a, &g);
                if (g.num == 2 && g.wt == 2) fl->ref_child_type = str(a, &g);
            }
        } else if (u[i].num == EXT_FIELD_INFO) {
            while (rd_next(&r, &g))
                if (g.num == 1 && g.wt == 0) fl->info_format = (int32_t)g.v;
        } else if (u[i].num == EXT_VALIDATE) {
            if (!v) {
                v = ac_arena_alloc(a, sizeof *v);
                v->min_len = v->max_len = v->min_items = v->max_items = -1;
            }
            decode_validate(a, u[i].b, u[i].n, v);
        }
    }
    fl->validate = v;
    free(u);
}
