/* Writing a built file as a FileDescriptorProto, the way protoc's FileDescriptor::CopyTo,
 * CopyJsonNameTo and CopySourceCodeInfoTo fill it: fields in field-number order, type names fully
 * qualified with a leading dot, default values re-printed from their parsed value. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/native/nt.h"

/* A length-delimited field written in place: one byte is kept for the length, and the body moves
 * only when its length needs more (no buffer per sub-message). */
static size_t msg_begin(nt_buf *b, int field)
{
    nt_put_tag(b, field, 2);
    nt_buf_byte(b, 0);
    return b->n;
}

static void msg_end(nt_buf *b, size_t start)
{
    size_t len = b->n - start;
    if (len < 0x80) {
        b->p[start - 1] = (uint8_t)len;
        return;
    }
    uint8_t t[10];
    int k = 0;
    for (size_t v = len; v; v >>= 7) t[k++] = (uint8_t)((v & 0x7f) | (v >> 7 ? 0x80 : 0));
    nt_buf_reserve(b, (size_t)k - 1);
    memmove(b->p + start + k - 1, b->p + start, len);
    memcpy(b->p + start - 1, t, (size_t)k);
    b->n += (size_t)k - 1;
}

static int ent_cmp(const void *x, const void *y)
{
    const nt_optent *a = *(nt_optent *const *)x, *b = *(nt_optent *const *)y;
    if (a->number != b->number) return a->number < b->number ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* protoc writes the option fields its own descriptor.proto knows in number order, then the rest
 * in statement order; buf (g_sort_all) writes one merged message (extensions first, each part in
 * number order), which the interpreter has made the only entry. */
static _Thread_local bool g_sort_all;

static void put_opts(nt_buf *out, int field, const nt_opts *o)
{
    if (!o->present) return;
    int n = o->ents.n + 1;
    nt_optent *small[16];
    nt_optent **known = n <= 16 ? small : ac_xmalloc((size_t)n * sizeof *known);
    int nk = 0;
    nt_optent me = {0};
    uint8_t me_bytes[2] = {0x38, 0x01}; /* map_entry = true (field 7) */
    if (o->map_entry) {
        me.number = 7;
        me.known = true;
        me.bytes = me_bytes;
        me.len = 2;
        known[nk++] = &me;
    }
    for (int i = 0; i < o->ents.n; i++)
        if (o->ents.v[i].known || g_sort_all) known[nk++] = &o->ents.v[i];
    /* stable: entries of one number keep statement order (pointer order is array order) */
    if (nk > 1 && !g_sort_all) qsort(known, (size_t)nk, sizeof *known, ent_cmp);
    size_t m = msg_begin(out, field);
    for (int i = 0; i < nk; i++) nt_buf_put(out, known[i]->bytes, known[i]->len);
    for (int i = 0; i < o->ents.n; i++)
        if (!o->ents.v[i].known && !g_sort_all) nt_buf_put(out, o->ents.v[i].bytes, o->ents.v[i].len);
    if (known != small) free(known);
    msg_end(out, m);
}

static void simple_dtoa(double v, char *buf, size_t n)
{
    if (isinf(v)) snprintf(buf, n, "%s", v > 0 ? "inf" : "-inf");
    else if (isnan(v)) snprintf(buf, n, "nan");
    else {
        snprintf(buf, n, "%.15g", v);
        if (strtod(buf, NULL) != v) snprintf(buf, n, "%.17g", v);
    }
}

static void simple_ftoa(float v, char *buf, size_t n)
{
    if (isinf(v)) snprintf(buf, n, "%s", v > 0 ? "inf" : "-inf");
    else if (isnan(v)) snprintf(buf, n, "nan");
    else {
        snprintf(buf, n, "%.6g", (double)v);
        if (strtof(buf, NULL) != v) snprintf(buf, n, "%.9g", (double)v);
    }
}

static const char *default_string(const nt_field *f, char *buf, size_t n)
{
    const char *d = f->default_value;
    switch (f->type) {
    case TY_INT32:
    case TY_INT64:
    case TY_SINT32:
    case TY_SINT64:
    case TY_SFIXED32:
    case TY_SFIXED64: snprintf(buf, n, "%lld", strtoll(d, NULL, 10)); return buf;
    case TY_UINT32:
    case TY_UINT64:
    case TY_FIXED32:
    case TY_FIXED64: snprintf(buf, n, "%llu", strtoull(d, NULL, 10)); return buf;
    /* buf prints both as Go does a float64 (a float's value widened first) */
    case TY_FLOAT:
        if (f->file && f->file->buf_style) nt_go_gfmt((double)(float)strtod(d, NULL), buf, n);
        else simple_ftoa((float)strtod(d, NULL), buf, n);
        return buf;
    case TY_DOUBLE:
        if (f->file && f->file->buf_style) nt_go_gfmt(strtod(d, NULL), buf, n);
        else simple_dtoa(strtod(d, NULL), buf, n);
        return buf;
    default: return d;
    }
}

static void put_dotted(nt_buf *b, int field, const char *name)
{
    size_t n = strlen(name);
    nt_put_tag(b, field, 2);
    nt_put_varint(b, n + 1);
    nt_buf_byte(b, '.');
    nt_buf_put(b, name, n);
}

static void put_field(nt_buf *out, int num, const nt_field *f)
{
    char buf[64];
    size_t m = msg_begin(out, num);
    nt_put_str(out, 1, f->name);
    if (f->rext) put_dotted(out, 2, f->rext->full_name);
    nt_put_int(out, 3, f->number);
    nt_put_int(out, 4, f->label);
    nt_put_int(out, 5, f->type);
    if (f->rmsg) put_dotted(out, 6, f->rmsg->full_name);
    else if (f->renum) put_dotted(out, 6, f->renum->full_name);
    if (f->has_default) nt_put_str(out, 7, default_string(f, buf, sizeof buf));
    put_opts(out, 8, &f->opts);
    if (f->has_oneof) nt_put_int(out, 9, f->oneof_index);
    nt_put_str(out, 10, f->json_name);
    if (f->proto3_optional) nt_put_int(out, 17, 1);
    msg_end(out, m);
}

static void put_range(nt_buf *out, int num, int start, int end, const nt_opts *opts)
{
    size_t m = msg_begin(out, num);
    nt_put_int(out, 1, start);
    nt_put_int(out, 2, end);
    if (opts) put_opts(out, 3, opts);
    msg_end(out, m);
}

static void put_enum(nt_buf *out, int num, const nt_enum *e)
{
    size_t m = msg_begin(out, num);
    nt_put_str(out, 1, e->name);
    for (int i = 0; i < e->values.n; i++) {
        const nt_enumval *v = e->values.v[i];
        size_t vm = msg_begin(out, 2);
        nt_put_str(out, 1, v->name);
        nt_put_int(out, 2, v->number);
        put_opts(out, 3, &v->opts);
        msg_end(out, vm);
    }
    put_opts(out, 3, &e->opts);
    for (int i = 0; i < e->reserved.n; i++) put_range(out, 4, e->reserved.v[i].start, e->reserved.v[i].end, NULL);
    for (int i = 0; i < e->reserved_names.n; i++) nt_put_str(out, 5, e->reserved_names.v[i]);
    msg_end(out, m);
}

static void put_message(nt_buf *out, int num, const nt_msg *msg)
{
    size_t m = msg_begin(out, num);
    nt_put_str(out, 1, msg->name);
    for (int i = 0; i < msg->fields.n; i++) put_field(out, 2, msg->fields.v[i]);
    for (int i = 0; i < msg->nested.n; i++) put_message(out, 3, msg->nested.v[i]);
    for (int i = 0; i < msg->enums.n; i++) put_enum(out, 4, msg->enums.v[i]);
    for (int i = 0; i < msg->ext_ranges.n; i++) {
        const nt_range *r = msg->ext_ranges.v[i];
        put_range(out, 5, r->start, r->end, &r->opts);
    }
    for (int i = 0; i < msg->exts.n; i++) put_field(out, 6, msg->exts.v[i]);
    put_opts(out, 7, &msg->opts);
    for (int i = 0; i < msg->oneofs.n; i++) {
        size_t om = msg_begin(out, 8);
        nt_put_str(out, 1, msg->oneofs.v[i]->name);
        put_opts(out, 2, &msg->oneofs.v[i]->opts);
        msg_end(out, om);
    }
    for (int i = 0; i < msg->reserved.n; i++) put_range(out, 9, msg->reserved.v[i].start, msg->reserved.v[i].end, NULL);
    for (int i = 0; i < msg->reserved_names.n; i++) nt_put_str(out, 10, msg->reserved_names.v[i]);
    msg_end(out, m);
}

static int varint_len(uint64_t v)
{
    int n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

static void put_packed(nt_buf *b, int field, const int *v, int n)
{
    if (n <= 0) return;
    size_t len = 0;
    for (int i = 0; i < n; i++) len += (size_t)varint_len((uint64_t)(int64_t)v[i]);
    nt_put_tag(b, field, 2);
    nt_put_varint(b, len);
    for (int i = 0; i < n; i++) nt_put_varint(b, (uint64_t)(int64_t)v[i]);
}

/* buf's SourceCodeInfoExtension (field 536000000, written first): whether the file had no syntax
 * statement, and the imports (not public ones) no name was found through */
static void put_buf_extension(nt_buf *out, const nt_file *f)
{
    nt_buf unused = {0};
    for (int i = 0; i < f->deps.n; i++) {
        bool pub = false;
        for (int j = 0; j < f->pub.n; j++) pub |= f->pub.v[j] == i;
        if (!pub && (!f->dep_used || !f->dep_used[i])) nt_put_varint(&unused, (uint64_t)i);
    }
    if (unused.n || !f->syntax) {
        size_t m = msg_begin(out, 536000000);
        if (!f->syntax) nt_put_int(out, 2, 1);
        if (unused.n) nt_put_bytes(out, 3, unused.p, unused.n);
        msg_end(out, m);
    }
    nt_buf_free(&unused);
}

/* buf sorts a file's locations by span (the root is put first), which puts a field's label or
 * type before the field, a value's name before it; equal spans stay in the order made. */
static int loc_cmp(const void *x, const void *y)
{
    const nt_loc *a = *(nt_loc *const *)x, *b = *(nt_loc *const *)y;
    if ((a->npath == 0) != (b->npath == 0)) return a->npath == 0 ? -1 : 1;
    int c = nt_go_span_cmp(a->span, a->nspan, b->span, b->nspan);
    if (c) return c;
    return a < b ? -1 : a > b;
}

void nt_encode_srcinfo(nt_buf *out, const nt_file *f)
{
    const nt_loc **order = ac_xmalloc((size_t)(f->locs.n + 1) * sizeof *order);
    int n = 0;
    for (int i = 0; i < f->locs.n; i++)
        if (!f->buf_style || !NT_LOC_DROPPED(&f->locs.v[i])) order[n++] = &f->locs.v[i];
    if (f->buf_style && n > 1) qsort(order, (size_t)n, sizeof *order, loc_cmp);
    if (f->buf_style) put_buf_extension(out, f);
    for (int i = 0; i < n; i++) {
        const nt_loc *l = order[i];
        size_t lm = msg_begin(out, 1);
        put_packed(out, 1, l->path, l->npath);
        put_packed(out, 2, l->span, l->nspan);
        if (l->lead) nt_put_str(out, 3, l->lead);
        if (l->trail) nt_put_str(out, 4, l->trail);
        for (int j = 0; j < l->ndetached; j++) nt_put_str(out, 6, l->detached[j]);
        msg_end(out, lm);
    }
    free(order);
}

/* si_at/si_len: where the source info body went, relative to the start of the file's body (before
 * the closing msg_end moves the body behind a longer length prefix) */
static void encode_file(nt_buf *out, const nt_file *f, bool source_info, bool buf_style, size_t *si_at,
                        size_t *si_len)
{
    g_sort_all = buf_style;
    size_t m = msg_begin(out, 1);
    nt_put_str(out, 1, f->name);
    if (f->package && *f->package) nt_put_str(out, 2, f->package);
    for (int i = 0; i < f->deps.n; i++) nt_put_str(out, 3, f->deps.v[i]);
    for (int i = 0; i < f->msgs.n; i++) put_message(out, 4, f->msgs.v[i]);
    for (int i = 0; i < f->enums.n; i++) put_enum(out, 5, f->enums.v[i]);
    for (int i = 0; i < f->services.n; i++) {
        const nt_service *s = f->services.v[i];
        size_t sm = msg_begin(out, 6);
        nt_put_str(out, 1, s->name);
        for (int j = 0; j < s->methods.n; j++) {
            const nt_method *mt = s->methods.v[j];
            size_t mm = msg_begin(out, 2);
            nt_put_str(out, 1, mt->name);
            if (mt->rin) put_dotted(out, 2, mt->rin->full_name);
            if (mt->rout) put_dotted(out, 3, mt->rout->full_name);
            put_opts(out, 4, &mt->opts);
            if (mt->cs) nt_put_int(out, 5, 1);
            if (mt->ss) nt_put_int(out, 6, 1);
            msg_end(out, mm);
        }
        put_opts(out, 3, &s->opts);
        msg_end(out, sm);
    }
    for (int i = 0; i < f->exts.n; i++) put_field(out, 7, f->exts.v[i]);
    put_opts(out, 8, &f->opts);
    if (source_info && f->srcinfo_ready) {
        nt_put_bytes(out, 9, f->srcinfo, f->srcinfo_len);
    } else if (source_info) {
        size_t sm = msg_begin(out, 9);
        nt_encode_srcinfo(out, f);
        size_t len = out->n - sm;
        msg_end(out, sm);
        *si_at = out->n - len - m;
        *si_len = len;
    }
    for (int i = 0; i < f->pub.n; i++) nt_put_int(out, 10, f->pub.v[i]);
    for (int i = 0; i < f->weak.n; i++) nt_put_int(out, 11, f->weak.v[i]);
    if (f->syn == 3) nt_put_str(out, 12, "proto3");
    else if (f->syn == 2023) nt_put_str(out, 12, "editions");
    if (f->edition) nt_put_int(out, 14, f->edition);
    size_t body_len = out->n - m;
    msg_end(out, m);
    *si_at += out->n - body_len; /* absolute: the body now starts at out->n - body_len */
}

void nt_encode_file(nt_buf *out, const nt_file *f, bool source_info, bool buf_style)
{
    size_t at = 0, len = 0;
    encode_file(out, f, source_info, buf_style, &at, &len);
}

void nt_encode_file_keep_srcinfo(nt_buf *out, nt_file *f)
{
    size_t at = 0, len = 0;
    encode_file(out, f, true, false, &at, &len);
    f->srcinfo = out->p + at;
    f->srcinfo_len = len;
    f->srcinfo_ready = true;
}
