/* Regression cases from a protobuf contract (pbcases.h says what is generated). */
#include "proto/pbcases.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat/base/limits.h"
#include "compat/base/text.h"

/* How a message is filled. */
typedef enum {
    V_MINIMAL,  /* required fields only, at their zero */
    V_FULL,     /* every field, the k-th oneof member and enum value */
    V_ZERO,     /* every field at its zero (written where the field tracks presence) */
    V_MAX,      /* the largest value of each type, non-ASCII strings */
    V_MIN,      /* the smallest value of each type, strings of escaped characters */
    V_NAN,      /* floating point: NaN (and infinities in repeated fields) */
    V_INF,      /* floating point: infinity and the smallest subnormals */
} vmode;

/* "ünïcødé ✓ 日本語 𝄞": two-, three- and four-byte UTF-8 (a character outside the BMP is a surrogate
 * pair in JSON's \u escapes and in UTF-16 runtimes) */
#define UNICODE "\xc3\xbc" "n" "\xc3\xaf" "c" "\xc3\xb8" "d" "\xc3\xa9" " \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9d\x84\x9e"

static const char *const edge_names[] = {NULL, NULL, "edge-zero", "edge-max", "edge-min", "edge-nan", "edge-inf"};

typedef struct gen {
    ac_arena *a;
    vmode mode;
    unsigned k;
    size_t budget;  /* values still to build before only required fields are set */
    unsigned salt;  /* counts the oneofs filled, so that nested ones do not all pick alike */
    bool failed;    /* a required field that cannot be built (a required cycle) */
    const ac_pb_msg *stack[PV_MAX_DEPTH + 1];
    unsigned depth;
} gen;

static bool is_wkt(const ac_pb_msg *t, const char *name)
{
    return !strncmp(t->full_name, "google.protobuf.", 16) && !strcmp(t->full_name + 16, name);
}

static bool is_signed(int kind)
{
    return kind == AC_PB_INT32 || kind == AC_PB_INT64 || kind == AC_PB_SINT32 || kind == AC_PB_SINT64 || kind == AC_PB_SFIXED32 ||
           kind == AC_PB_SFIXED64 || kind == AC_PB_ENUM;
}

static bool is_64(int kind)
{
    return kind == AC_PB_INT64 || kind == AC_PB_SINT64 || kind == AC_PB_SFIXED64 || kind == AC_PB_UINT64 || kind == AC_PB_FIXED64;
}

static pv_value str_value(ac_arena *a, const char *s)
{
    pv_value v = {0};
    v.s = (const uint8_t *)ac_arena_strdup(a, s);
    v.n = strlen(s);
    return v;
}

/* The j-th value of a scalar (or enum) field in the current mode. */
static pv_value scalar(gen *g, const ac_pb_field *f, unsigned j)
{
    pv_value v = {0};
    vmode mode = g->mode == V_MINIMAL ? V_ZERO : g->mode;
    if ((mode == V_NAN || mode == V_INF) && f->kind != AC_PB_FLOAT && f->kind != AC_PB_DOUBLE) mode = V_FULL;
    /* a Value's number: JSON has no NaN or infinity for it */
    if (f->kind == AC_PB_DOUBLE && f->parent && is_wkt(f->parent, "Value") && (mode == V_NAN || mode == V_INF)) mode = V_FULL;
    uint64_t seq = (uint64_t)g->k * 7 + j + 1;
    switch (f->kind) {
    case AC_PB_BOOL:
        v.u = mode == V_MAX || (mode == V_FULL && (j + g->k) % 2 == 0);
        return v;
    case AC_PB_FLOAT: case AC_PB_DOUBLE: {
        bool fl = f->kind == AC_PB_FLOAT;
        switch (mode) {
        case V_ZERO: v.d = 0; break;
        /* a float's largest, FLT_MAX, prints as 3.4028235e+38, above FLT_MAX once read as a double: strict
         * readers (protobuf's Python) reject it, so the edge is the float below it */
        case V_MAX: v.d = fl ? (double)nextafterf(FLT_MAX, 0) : DBL_MAX; break;
        case V_MIN: v.d = fl ? -(double)nextafterf(FLT_MAX, 0) : -DBL_MAX; break;
        case V_NAN: v.d = j == 0 ? NAN : j == 1 ? INFINITY : -INFINITY; break;
        /* not -0: JSON readers that parse "-0" as an integer (Python's) lose its sign */
        case V_INF: v.d = (j == 0 ? INFINITY : fl ? FLT_TRUE_MIN : DBL_TRUE_MIN) * (j == 2 ? -1 : 1); break;
        default: v.d = 1.5 + g->k + 0.25 * j; if (j == 2) v.d = -v.d;
        }
        return v;
    }
    case AC_PB_STRING: {
        switch (mode) {
        case V_ZERO: return str_value(g->a, "");
        case V_MAX: return str_value(g->a, j ? UNICODE " 2" : UNICODE);
        case V_MIN: return str_value(g->a, j ? "\"\\/\b\f\n\r\t\x01\x1f\x7f 2" : "\"\\/\b\f\n\r\t\x01\x1f\x7f");
        default: return str_value(g->a, ac_arena_printf(g->a, "%s-%u-%u", f->name, g->k, j));
        }
    }
    case AC_PB_BYTES: {
        static const uint8_t full[] = {0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff, '?', '>'};
        size_t n = mode == V_ZERO ? 0 : mode == V_MIN ? 1 : mode == V_MAX ? 256 : sizeof full - (j % 3);
        uint8_t *p = ac_arena_alloc(g->a, n + 1);
        for (size_t i = 0; i < n; i++) p[i] = mode == V_MAX ? (uint8_t)(255 - i) : mode == V_MIN ? (uint8_t)j : full[(i + g->k) % sizeof full];
        v.s = p;
        v.n = n;
        return v;
    }
    case AC_PB_ENUM: {
        const ac_pb_enum *e = f->enum_type;
        if (!e || !e->nvalues) return v;
        size_t at = mode == V_MAX ? e->nvalues - 1 : mode == V_FULL ? (g->k + j) % e->nvalues : 0;
        v.i = e->values[at]->number;
        if (mode == V_ZERO && !e->closed) v.i = 0;
        return v;
    }
    default: break;
    }
    bool sig = is_signed(f->kind), wide = is_64(f->kind);
    switch (mode) {
    case V_ZERO: break;
    case V_MAX:
        if (sig) v.i = wide ? INT64_MAX : INT32_MAX;
        else v.u = wide ? UINT64_MAX : UINT32_MAX;
        break;
    case V_MIN:
        if (sig) v.i = wide ? INT64_MIN : INT32_MIN;
        else v.u = j; /* 0, then 1 */
        break;
    default:
        if (sig) v.i = (int64_t)(wide ? seq * 1000000007u : seq) * (j == 2 ? -1 : 1);
        else v.u = wide ? seq * 1000000007u : seq;
    }
    return v;
}

static bool on_stack_twice(const gen *g, const ac_pb_msg *t)
{
    unsigned n = 0;
    for (unsigned i = 0; i < g->depth; i++) n += g->stack[i] == t;
    return n >= 2;
}

static pv_msg *fill(gen *g, const ac_pb_msg *type);

/* The value of one occurrence of f (a message built, or a scalar). */
static pv_value value_of(gen *g, const ac_pb_field *f, unsigned j)
{
    pv_value v = {0};
    if (f->kind == AC_PB_MESSAGE || f->kind == AC_PB_GROUP) {
        if (f->msg_type) v.m = fill(g, f->msg_type);
        else g->failed = true;
        return v;
    }
    return scalar(g, f, j);
}

/* How many occurrences a repeated field gets. */
static unsigned occurrences(const gen *g, const ac_pb_field *f)
{
    bool msg = f->kind == AC_PB_MESSAGE || f->kind == AC_PB_GROUP;
    switch (g->mode) {
    case V_FULL: return msg && f->cardinality != AC_CARD_MAP ? 2 : 3;
    case V_NAN: case V_INF: return f->kind == AC_PB_FLOAT || f->kind == AC_PB_DOUBLE ? 3 : 1;
    case V_MAX: case V_MIN: return msg ? 1 : 2;
    default: return 1;
    }
}

/* A well-known type whose values are bounded (a Timestamp's range, a FieldMask's paths), filled
 * so that its JSON form exists; true when done. */
static bool fill_wkt(gen *g, pv_msg *m)
{
    const ac_pb_msg *t = m->type;
    const ac_pb_field *f1 = pv_field(t, 1), *f2 = pv_field(t, 2);
    if (is_wkt(t, "Any")) return true; /* empty: an Any that holds a message needs its type in the reader's pool */
    if (is_wkt(t, "Timestamp") || is_wkt(t, "Duration")) {
        if (!f1 || !f2 || g->mode == V_MINIMAL || g->mode == V_ZERO) return true;
        bool ts = is_wkt(t, "Timestamp");
        pv_value s = {0}, n = {0};
        if (g->mode == V_MAX) {
            s.i = ts ? INT64_C(253402300799) : INT64_C(315576000000);
            n.i = 999999999;
        } else if (g->mode == V_MIN) {
            s.i = ts ? INT64_C(-62135596800) : INT64_C(-315576000000);
            n.i = ts ? 0 : -999999999;
        } else {
            unsigned c = g->salt++ % 3;
            s.i = ts ? INT64_C(1700000000) + (int64_t)g->k * 86400 + c : (int64_t)g->k * 3600 + c + 1;
            n.i = c == 0 ? 0 : c == 1 ? 500000000 : 123456789;
            if (!ts && c == 2) s.i = -s.i, n.i = -n.i;
        }
        if (s.i) pv_add(g->a, m, f1, &s);
        if (n.i) pv_add(g->a, m, f2, &n);
        return true;
    }
    if (is_wkt(t, "FieldMask")) {
        if (!f1 || g->mode == V_MINIMAL || g->mode == V_ZERO) return true;
        static const char *const paths[] = {"display_name", "update_time.seconds", "labels"};
        unsigned n = g->mode == V_FULL ? 3 : 1;
        for (unsigned i = 0; i < n; i++) {
            pv_value p = str_value(g->a, paths[(i + g->k) % 3]);
            pv_add(g->a, m, f1, &p);
        }
        return true;
    }
    if (is_wkt(t, "Value") && (g->mode == V_MINIMAL || g->budget == 0 || g->depth >= AC_LIMIT_CASES_DEPTH || on_stack_twice(g, t))) {
        /* a Value must hold something to have a JSON form: null, at the bottom */
        pv_value z = {0};
        if (f1) pv_add(g->a, m, f1, &z);
        return true;
    }
    return false;
}

static pv_msg *fill(gen *g, const ac_pb_msg *type)
{
    pv_msg *m = pv_msg_new(g->a, type);
    if (g->failed) return m;
    if (g->depth >= PV_MAX_DEPTH - 1) {
        g->failed = true; /* only a cycle of required fields gets here */
        return m;
    }
    if (fill_wkt(g, m)) return m;
    bool shallow = g->mode == V_MINIMAL || g->budget == 0 || g->depth >= AC_LIMIT_CASES_DEPTH || on_stack_twice(g, type);
    g->stack[g->depth++] = type;
    /* the member each oneof picks */
    unsigned salt = g->salt++;
    for (size_t i = 0; i < type->nfields && !g->failed; i++) {
        const ac_pb_field *f = type->fields[i];
        if (shallow && !pv_required(f)) continue;
        if (g->budget == 0 && !pv_required(f)) continue;
        if (f->oneof && !f->oneof->synthetic) {
            size_t nm = 0, mine = 0;
            for (size_t k = 0; k < type->nfields; k++)
                if (type->fields[k]->oneof == f->oneof) {
                    if (type->fields[k] == f) mine = nm;
                    nm++;
                }
            size_t pick = g->mode == V_FULL ? (g->k + (is_wkt(type, "Value") ? salt : 0)) % nm : 0;
            if (mine != pick) continue;
        }
        if (f->label == AC_PB_LABEL_REPEATED) {
            unsigned n = occurrences(g, f);
            for (unsigned j = 0; j < n && !g->failed; j++) {
                pv_value v = {0};
                if (f->cardinality == AC_CARD_MAP && f->msg_type) {
                    const ac_pb_field *kf = pv_field(f->msg_type, 1), *vf = pv_field(f->msg_type, 2);
                    if (!kf || !vf) break;
                    if (kf->kind == AC_PB_BOOL && j >= 2) break;
                    pv_msg *entry = pv_msg_new(g->a, f->msg_type);
                    pv_value kv = scalar(g, kf, j);
                    if (kf->kind == AC_PB_BOOL) kv.u = j == 0;
                    /* keys in one map are distinct */
                    if ((g->mode == V_MAX || g->mode == V_MIN) && j == 1) {
                        if (kf->kind == AC_PB_STRING) kv = str_value(g->a, g->mode == V_MAX ? "\xe2\x9c\x93" : "\t");
                        else if (is_signed(kf->kind)) kv.i = 0;
                        else kv.u = g->mode == V_MAX ? 0 : 1;
                    }
                    pv_add(g->a, entry, kf, &kv);
                    pv_value vv = value_of(g, vf, j);
                    pv_add(g->a, entry, vf, &vv);
                    v.m = entry;
                } else {
                    v = value_of(g, f, j);
                }
                pv_add(g->a, m, f, &v);
                if (g->budget) g->budget--;
            }
            continue;
        }
        pv_value v = value_of(g, f, 0);
        if (pv_implicit(f) && pv_is_zero(f, &v)) continue; /* a runtime does not keep it */
        pv_add(g->a, m, f, &v);
        if (g->budget) g->budget--;
    }
    g->depth--;
    return m;
}

/* The most choices a variant can make in a type reachable from t: oneof members, enum values. */
static unsigned choices(const ac_pb_msg *t, ac_intmap *seen, unsigned depth)
{
    if (!t || depth > AC_LIMIT_CASES_DEPTH || ac_intmap_has(seen, (int64_t)(intptr_t)t)) return 1;
    ac_intmap_put(seen, (int64_t)(intptr_t)t, (void *)t);
    unsigned most = 1;
    if (is_wkt(t, "Value")) most = 6;
    for (size_t i = 0; i < t->nfields; i++) {
        const ac_pb_field *f = t->fields[i];
        unsigned c = 1;
        if (f->enum_type) c = (unsigned)f->enum_type->nvalues;
        else if (f->msg_type) c = choices(f->msg_type, seen, depth + 1);
        if (f->oneof && !f->oneof->synthetic) {
            unsigned nm = 0;
            for (size_t k = 0; k < t->nfields; k++) nm += t->fields[k]->oneof == f->oneof;
            if (nm > c) c = nm;
        }
        if (c > most) most = c;
    }
    return most;
}

const char *ac_pb_case_id(ac_arena *a, const ac_pb_case *k)
{
    return ac_arena_printf(a, "%04u-%s-%s-%02u", k->op_index, k->method->name, k->request ? "request" : "response", k->n);
}

typedef struct seen_case {
    const uint8_t *bin;
    size_t nbin;
    const char *json;
} seen_case;

static bool same_case(const seen_case *s, const uint8_t *bin, size_t nbin, const char *json)
{
    if (s->nbin != nbin || (nbin && memcmp(s->bin, bin, nbin))) return false;
    if (!s->json || !json) return s->json == json;
    return !strcmp(s->json, json);
}

/* One kind (request or response) of a method: its variants, read back, merged, emitted. */
static int gen_kind(ac_pb_case *k, ac_arena *a, unsigned *left, ac_pb_case_fn fn, void *ctx, ac_pb_case_stats *stats,
                    ac_status *st)
{
    ac_intmap seen;
    ac_intmap_init(&seen);
    unsigned nk = choices(k->type, &seen, 0);
    ac_intmap_free(&seen);
    if (nk > AC_LIMIT_CASES_VARIANTS) nk = AC_LIMIT_CASES_VARIANTS;
    seen_case kept[AC_LIMIT_CASES_PER_OP];
    unsigned nkept = 0;
    unsigned nvariants = 1 + nk + 5;
    for (unsigned vi = 0; vi < nvariants; vi++) {
        gen g = {.a = a, .budget = AC_LIMIT_CASES_PB_VALUES};
        const char *name;
        if (vi == 0) {
            g.mode = V_MINIMAL;
            name = "minimal";
        } else if (vi <= nk) {
            g.mode = V_FULL;
            g.k = vi - 1;
            name = ac_arena_printf(a, "full-%02u", g.k);
        } else {
            g.mode = (vmode)(V_ZERO + (vi - nk - 1));
            name = edge_names[g.mode];
        }
        pv_msg *m = fill(&g, k->type);
        pv_buf b = {0};
        if (g.failed || !pv_encode(m, &b)) {
            pv_buf_free(&b);
            stats->dropped++;
            continue;
        }
        const char *json = pv_json_write(a, m, PV_JSON_NAMES | PV_JSON_WKT);
        /* read back: the bytes and the JSON text must give what was built */
        pv_error err;
        const pv_msg *back = pv_decode(a, k->type, b.p ? b.p : (const uint8_t *)"", b.n, &err);
        bool ok = back && pv_compare(m, back, NULL, 0) == PV_SAME;
        if (ok && json) {
            const pv_msg *jb = pv_json_read_flags(a, k->type, json, PV_JSON_WKT, &err);
            ok = jb && pv_compare(back, jb, NULL, 0) == PV_SAME;
        }
        if (!ok) {
            if (getenv("AC_DEBUG_CASES"))
                fprintf(stderr, "dropped %s %s %s: %s\n  %s\n  json %s\n", k->operation, k->request ? "request" : "response", name, err.msg,
                        pv_text(a, m, 2000), json ? json : "(none)");
            pv_buf_free(&b);
            stats->dropped++;
            continue;
        }
        const uint8_t *bin = ac_arena_memdup(a, b.p ? (void *)b.p : "", b.n);
        size_t nbin = b.n;
        pv_buf_free(&b);
        bool dup = false;
        for (unsigned i = 0; i < nkept && !dup; i++) dup = same_case(&kept[i], bin, nbin, json);
        if (dup) {
            stats->merged++;
            continue;
        }
        if (!*left) return 1; /* the method's bound */
        (*left)--;
        kept[nkept++] = (seen_case){bin, nbin, json};
        k->variant = name;
        k->value = m;
        k->bin = bin;
        k->nbin = nbin;
        k->json = json;
        stats->cases++;
        stats->requests += k->request;
        stats->no_json += !json;
        int rc = fn(ctx, k, st);
        k->n++;
        if (rc) return -rc;
    }
    return 0;
}

int ac_pb_cases_generate(const ac_contract *c, bool requests, bool responses, ac_pb_case_fn fn, void *ctx,
                         ac_pb_case_stats *stats, ac_status *st)
{
    memset(stats, 0, sizeof *stats);
    unsigned op_index = 0;
    ac_arena *a = ac_arena_new(); /* one method's values, emptied after each */
    int rc = AC_OK;
    for (size_t fi = 0; fi < c->nfiles && !rc; fi++) {
        const ac_pb_file *file = c->files[fi];
        if (file->is_import) continue;
        for (size_t si = 0; si < file->nservices && !rc; si++) {
            const ac_pb_service *s = file->services[si];
            for (size_t mi = 0; mi < s->nmethods && !rc; mi++, op_index++) {
                const ac_pb_method *me = s->methods[mi];
                ac_arena_reset(a);
                stats->methods++;
                unsigned left = AC_LIMIT_CASES_PER_OP;
                bool cut = false;
                for (int kind = 0; kind < 2 && !rc && !cut; kind++) {
                    bool req = kind == 0;
                    if ((req && !requests) || (!req && !responses)) continue;
                    ac_pb_case k = {0};
                    k.method = me;
                    k.operation = ac_arena_printf(a, "/%s/%s", s->full_name, me->name);
                    k.request = req;
                    k.type = ac_strmap_get(&c->msg_by_name, req ? me->input_type : me->output_type);
                    k.op_index = op_index;
                    if (!k.type) continue; /* a linked contract resolves every method's types */
                    int r = gen_kind(&k, a, &left, fn, ctx, stats, st);
                    if (r > 0) cut = true;
                    else if (r < 0) rc = -r;
                }
                stats->truncated += cut;
            }
        }
    }
    ac_arena_free(a);
    return rc;
}

const ac_pb_method *ac_pb_find_method(const ac_contract *c, const char *operation)
{
    const char *slash = operation && operation[0] == '/' ? strrchr(operation, '/') : NULL;
    if (!slash || slash == operation) return NULL;
    size_t sn = (size_t)(slash - operation - 1);
    for (size_t fi = 0; fi < c->nfiles; fi++)
        for (size_t si = 0; si < c->files[fi]->nservices; si++) {
            const ac_pb_service *s = c->files[fi]->services[si];
            if (strlen(s->full_name) != sn || strncmp(s->full_name, operation + 1, sn)) continue;
            for (size_t mi = 0; mi < s->nmethods; mi++)
                if (!strcmp(s->methods[mi]->name, slash + 1)) return s->methods[mi];
        }
    return NULL;
}

/* The descriptor set is written unbounded (tens of MB for googleapis), unlike pbval's 1 MB writer. */
static void put_varint(ac_text *b, uint64_t v)
{
    char c[10];
    size_t n = 0;
    do {
        c[n] = (char)(v & 0x7f);
        v >>= 7;
        if (v) c[n] = (char)(c[n] | 0x80);
        n++;
    } while (v);
    ac_text_put(b, c, n);
}

static bool get_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    *v = 0;
    for (int i = 0; i < 10 && *p < end; i++) {
        uint8_t c = *(*p)++;
        *v |= (uint64_t)(c & 0x7f) << (7 * i);
        if (!(c & 0x80)) return true;
    }
    return false;
}

/* Whether a FileDescriptorProto already carries buf's import mark (so that a suite made from a
 * suite's contract.binpb writes the same bytes). */
static bool has_import_mark(const uint8_t *p, size_t n)
{
    const uint8_t *end = p + n;
    while (p < end) {
        uint64_t tag, v;
        if (!get_varint(&p, end, &tag)) return false;
        switch (tag & 7) {
        case 0: if (!get_varint(&p, end, &v)) return false; break;
        case 1: if (end - p < 8) return false; p += 8; break;
        case 5: if (end - p < 4) return false; p += 4; break;
        case 2:
            if (!get_varint(&p, end, &v) || v > (uint64_t)(end - p)) return false;
            if (tag >> 3 == 8042) {
                const uint8_t *q = p, *qe = p + v;
                while (q < qe) {
                    uint64_t t, x;
                    if (!get_varint(&q, qe, &t) || (t & 7) != 0 || !get_varint(&q, qe, &x)) break;
                    if (t >> 3 == 1 && x) return true;
                }
            }
            p += v;
            break;
        default: return false;
        }
    }
    return false;
}

int ac_pb_contract_fds(const ac_contract *c, uint8_t **out, size_t *len, ac_status *st)
{
    /* buf's image extension (FileDescriptorProto field 8042) with is_import (its field 1) true */
    static const uint8_t import_mark[] = {0x08, 0x01};
    ac_text b = {0};
    for (size_t i = 0; i < c->nfiles; i++) {
        const ac_pb_file *f = c->files[i];
        if (!f->descriptor) {
            ac_text_free(&b);
            return ac_fail(st, c->source, 0, 0, "file \"%s\": its descriptor was not kept", f->name);
        }
        bool mark = f->is_import && !has_import_mark(f->descriptor, f->descriptor_len);
        size_t extra = mark ? 3 + 1 + sizeof import_mark : 0;
        put_varint(&b, (1 << 3) | 2);
        put_varint(&b, f->descriptor_len + extra);
        ac_text_put(&b, (const char *)f->descriptor, f->descriptor_len);
        if (mark) {
            put_varint(&b, (8042u << 3) | 2); /* three bytes */
            put_varint(&b, sizeof import_mark);
            ac_text_put(&b, (const char *)import_mark, sizeof import_mark);
        }
    }
    *out = b.p ? (uint8_t *)b.p : ac_xmalloc(1);
    *len = b.n;
    return AC_OK;
}
