/* Writing a built file as a FileDescriptorProto, the way protoc's FileDescriptor::CopyTo,
 * CopyJsonNameTo and CopySourceCodeInfoTo fill it: fields in field-number order, type names fully
 * qualified with a leading dot, default values re-printed from their parsed value. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nt.h"

enum {
    TY_DOUBLE = 1, TY_FLOAT, TY_INT64, TY_UINT64, TY_INT32, TY_FIXED64, TY_FIXED32, TY_BOOL, TY_STRING, TY_GROUP,
    TY_MESSAGE, TY_BYTES, TY_UINT32, TY_ENUM, TY_SFIXED32, TY_SFIXED64, TY_SINT32, TY_SINT64
};

static void put_msg(nt_buf *out, int field, nt_buf *sub)
{
    nt_put_bytes(out, field, sub->p, sub->n);
    nt_buf_free(sub);
}

static int ent_cmp(const void *x, const void *y)
{
    const nt_optent *a = *(nt_optent *const *)x, *b = *(nt_optent *const *)y;
    if (a->number != b->number) return a->number < b->number ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* buf (for edition files) writes every option field in number order; protoc only the ones its
 * own descriptor.proto knows, then the rest in statement order. */
static _Thread_local bool g_sort_all;

static void put_opts(nt_buf *out, int field, const nt_opts *o)
{
    if (!o->present) return;
    nt_buf b = {0};
    int n = o->ents.n + 1;
    nt_optent **known = ac_xmalloc((size_t)n * sizeof *known);
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
    if (nk > 1) qsort(known, (size_t)nk, sizeof *known, ent_cmp);
    for (int i = 0; i < nk; i++) nt_buf_put(&b, known[i]->bytes, known[i]->len);
    for (int i = 0; i < o->ents.n; i++)
        if (!o->ents.v[i].known && !g_sort_all) nt_buf_put(&b, o->ents.v[i].bytes, o->ents.v[i].len);
    free(known);
    put_msg(out, field, &b);
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
    case TY_FLOAT: simple_ftoa((float)strtod(d, NULL), buf, n); return buf;
    case TY_DOUBLE: simple_dtoa(strtod(d, NULL), buf, n); return buf;
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
    nt_buf b = {0};
    char buf[64];
    nt_put_str(&b, 1, f->name);
    if (f->rext) put_dotted(&b, 2, f->rext->full_name);
    nt_put_int(&b, 3, f->number);
    nt_put_int(&b, 4, f->label);
    nt_put_int(&b, 5, f->type);
    if (f->rmsg) put_dotted(&b, 6, f->rmsg->full_name);
    else if (f->renum) put_dotted(&b, 6, f->renum->full_name);
    if (f->has_default) nt_put_str(&b, 7, default_string(f, buf, sizeof buf));
    put_opts(&b, 8, &f->opts);
    if (f->has_oneof) nt_put_int(&b, 9, f->oneof_index);
    nt_put_str(&b, 10, f->json_name);
    if (f->proto3_optional) nt_put_int(&b, 17, 1);
    put_msg(out, num, &b);
}

static void put_enum(nt_buf *out, int num, const nt_enum *e)
{
    nt_buf b = {0};
    nt_put_str(&b, 1, e->name);
    for (int i = 0; i < e->values.n; i++) {
        const nt_enumval *v = e->values.v[i];
        nt_buf vb = {0};
        nt_put_str(&vb, 1, v->name);
        nt_put_int(&vb, 2, v->number);
        put_opts(&vb, 3, &v->opts);
        put_msg(&b, 2, &vb);
    }
    put_opts(&b, 3, &e->opts);
    for (int i = 0; i < e->reserved.n; i++) {
        nt_buf rb = {0};
        nt_put_int(&rb, 1, e->reserved.v[i].start);
        nt_put_int(&rb, 2, e->reserved.v[i].end);
        put_msg(&b, 4, &rb);
    }
    for (int i = 0; i < e->reserved_names.n; i++) nt_put_str(&b, 5, e->reserved_names.v[i]);
    put_msg(out, num, &b);
}

static void put_message(nt_buf *out, int num, const nt_msg *m)
{
    nt_buf b = {0};
    nt_put_str(&b, 1, m->name);
    for (int i = 0; i < m->fields.n; i++) put_field(&b, 2, m->fields.v[i]);
    for (int i = 0; i < m->nested.n; i++) put_message(&b, 3, m->nested.v[i]);
    for (int i = 0; i < m->enums.n; i++) put_enum(&b, 4, m->enums.v[i]);
    for (int i = 0; i < m->ext_ranges.n; i++) {
        const nt_range *r = m->ext_ranges.v[i];
        nt_buf rb = {0};
        nt_put_int(&rb, 1, r->start);
        nt_put_int(&rb, 2, r->end);
        put_opts(&rb, 3, &r->opts);
        put_msg(&b, 5, &rb);
    }
    for (int i = 0; i < m->exts.n; i++) put_field(&b, 6, m->exts.v[i]);
    put_opts(&b, 7, &m->opts);
    for (int i = 0; i < m->oneofs.n; i++) {
        nt_buf ob = {0};
        nt_put_str(&ob, 1, m->oneofs.v[i]->name);
        put_opts(&ob, 2, &m->oneofs.v[i]->opts);
        put_msg(&b, 8, &ob);
    }
    for (int i = 0; i < m->reserved.n; i++) {
        nt_buf rb = {0};
        nt_put_int(&rb, 1, m->reserved.v[i].start);
        nt_put_int(&rb, 2, m->reserved.v[i].end);
        put_msg(&b, 9, &rb);
    }
    for (int i = 0; i < m->reserved_names.n; i++) nt_put_str(&b, 10, m->reserved_names.v[i]);
    put_msg(out, num, &b);
}

static void put_packed(nt_buf *b, int field, const int *v, int n)
{
    if (n <= 0) return;
    nt_buf pl = {0};
    for (int i = 0; i < n; i++) nt_put_varint(&pl, (uint64_t)(int64_t)v[i]);
    put_msg(b, field, &pl);
}

/* buf orders an edition file's locations by start position (the root first; on a tie the shorter
 * span first), which puts a field's label or type before the field, a value's name before it. */
static int loc_cmp(const void *x, const void *y)
{
    const nt_loc *a = *(nt_loc *const *)x, *b = *(nt_loc *const *)y;
    if ((a->npath == 0) != (b->npath == 0)) return a->npath == 0 ? -1 : 1;
    if (a->span[0] != b->span[0]) return a->span[0] < b->span[0] ? -1 : 1;
    if (a->span[1] != b->span[1]) return a->span[1] < b->span[1] ? -1 : 1;
    int ael = a->nspan == 4 ? a->span[2] : a->span[0], aec = a->span[a->nspan - 1];
    int bel = b->nspan == 4 ? b->span[2] : b->span[0], bec = b->span[b->nspan - 1];
    if (ael != bel) return ael < bel ? -1 : 1;
    if (aec != bec) return aec < bec ? -1 : 1;
    return a < b ? -1 : a > b;
}

static void put_source_info(nt_buf *out, const nt_file *f)
{
    nt_buf b = {0};
    const nt_loc **order = ac_xmalloc((size_t)(f->locs.n + 1) * sizeof *order);
    for (int i = 0; i < f->locs.n; i++) order[i] = &f->locs.v[i];
    if (g_sort_all && f->syn == 2023 && f->locs.n > 1) qsort(order, (size_t)f->locs.n, sizeof *order, loc_cmp);
    for (int i = 0; i < f->locs.n; i++) {
        const nt_loc *l = order[i];
        nt_buf lb = {0};
        put_packed(&lb, 1, l->path, l->npath);
        put_packed(&lb, 2, l->span, l->nspan);
        if (l->lead) nt_put_str(&lb, 3, l->lead);
        if (l->trail) nt_put_str(&lb, 4, l->trail);
        for (int j = 0; j < l->ndetached; j++) nt_put_str(&lb, 6, l->detached[j]);
        put_msg(&b, 1, &lb);
    }
    free(order);
    put_msg(out, 9, &b);
}

void nt_encode_file(nt_buf *out, const nt_file *f, bool source_info, bool buf_style)
{
    g_sort_all = buf_style;
    nt_buf b = {0};
    nt_put_str(&b, 1, f->name);
    if (f->package && *f->package) nt_put_str(&b, 2, f->package);
    for (int i = 0; i < f->deps.n; i++) nt_put_str(&b, 3, f->deps.v[i]);
    for (int i = 0; i < f->msgs.n; i++) put_message(&b, 4, f->msgs.v[i]);
    for (int i = 0; i < f->enums.n; i++) put_enum(&b, 5, f->enums.v[i]);
    for (int i = 0; i < f->services.n; i++) {
        const nt_service *s = f->services.v[i];
        nt_buf sb = {0};
        nt_put_str(&sb, 1, s->name);
        for (int j = 0; j < s->methods.n; j++) {
            const nt_method *m = s->methods.v[j];
            nt_buf mb = {0};
            nt_put_str(&mb, 1, m->name);
            if (m->rin) put_dotted(&mb, 2, m->rin->full_name);
            if (m->rout) put_dotted(&mb, 3, m->rout->full_name);
            put_opts(&mb, 4, &m->opts);
            if (m->cs) nt_put_int(&mb, 5, 1);
            if (m->ss) nt_put_int(&mb, 6, 1);
            put_msg(&sb, 2, &mb);
        }
        put_opts(&sb, 3, &s->opts);
        put_msg(&b, 6, &sb);
    }
    for (int i = 0; i < f->exts.n; i++) put_field(&b, 7, f->exts.v[i]);
    put_opts(&b, 8, &f->opts);
    if (source_info) put_source_info(&b, f);
    for (int i = 0; i < f->pub.n; i++) nt_put_int(&b, 10, f->pub.v[i]);
    for (int i = 0; i < f->weak.n; i++) nt_put_int(&b, 11, f->weak.v[i]);
    if (f->syn == 3) nt_put_str(&b, 12, "proto3");
    else if (f->syn == 2023) nt_put_str(&b, 12, "editions");
    if (f->edition) nt_put_int(&b, 14, f->edition);
    put_msg(out, 1, &b);
}
