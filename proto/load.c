/* Binary FileDescriptorSet -> contract IR.
 *
 * protobuf-c decodes the set (code generated at build time from proto/descriptor.proto); this file
 * converts the decoded messages into the IR in the contract's arena and frees them before it
 * returns.  Editions features are resolved here, once, for every element. */
#include <ctype.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat/base/limits.h"
#include "compat/base/fs.h"
#include "compat/base/sha256.h"
#include "compat/rules/rules.h"
#include "descriptor.pb-c.h"
#include "proto/proto.h"
#include "proto/annot.h"

typedef Google__Protobuf__FileDescriptorSet PbSet;
typedef Google__Protobuf__FileDescriptorProto PbFile;
typedef Google__Protobuf__DescriptorProto PbMsg;
typedef Google__Protobuf__FieldDescriptorProto PbField;
typedef Google__Protobuf__EnumDescriptorProto PbEnum;
typedef Google__Protobuf__ServiceDescriptorProto PbService;
typedef Google__Protobuf__FeatureSet PbFeatures;

enum { EDITION_PROTO2 = 998, EDITION_PROTO3 = 999, EDITION_2023 = 1000, EDITION_2024 = 1001 };

/* Nesting deeper than this is not a real schema; it ends with an error instead of a deep stack. */
#define MAX_NESTING AC_LIMIT_SOURCE_NESTING
/* Frames of the wire pre-scan: the nested messages plus the few levels of options and features
 * around them (a file, its message, a field, its options, their features, ...). */
#define MAX_WIRE_DEPTH (MAX_NESTING + 16)
/* protoc's range for field numbers (the wire format's tag has 29 bits for them) */
#define MAX_FIELD_NUMBER 536870911

/* A set of the names or numbers seen in one scope (a message's fields, an enum's values), reused
 * for every scope: a slot counts only when its generation is the current one, so starting a new
 * scope costs nothing and the checks stay linear in the size of the set. */
typedef struct seen_slot {
    uint32_t gen;
    bool is_num;
    int64_t num;
    const char *str;
    const void *val;
} seen_slot;

typedef struct seen {
    seen_slot *v;
    size_t cap;
    uint32_t gen;
} seen;

typedef struct loader {
    ac_contract *c;
    ac_pb_file *file;
    ac_status *st;
    const char *srcname;
    seen names, nums;
} loader;

/* Starts a new scope of up to n entries. */
static void seen_reset(seen *s, size_t n)
{
    size_t want = 16;
    while (want < 2 * n) want *= 2;
    if (want > s->cap || ++s->gen == 0) {
        free(s->v);
        s->cap = want > s->cap ? want : s->cap;
        s->v = ac_xmalloc(s->cap * sizeof *s->v);
        memset(s->v, 0, s->cap * sizeof *s->v);
        s->gen = 1;
    }
}

/* Adds a key to the current scope: NULL when it is new, else the value it was first seen with. */
static const void *seen_add(seen *s, const char *str, int64_t num, const void *val)
{
    uint32_t h = str ? ac_hash_bytes(str, strlen(str)) : (uint32_t)(((uint64_t)num * 0x9E3779B97F4A7C15u) >> 32);
    for (size_t i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        seen_slot *e = &s->v[i];
        if (e->gen != s->gen) {
            *e = (seen_slot){s->gen, str == NULL, num, str, val};
            return NULL;
        }
        if (str ? (!e->is_num && !strcmp(e->str, str)) : (e->is_num && e->num == num)) return e->val;
    }
}

/* A name as it can be shown in a one-line message: quoted, with quotes, backslashes, control
 * bytes and bytes outside ASCII escaped (a hand-made set may hold anything). */
static const char *quoted(ac_arena *a, const char *s, size_t n)
{
    char *out = ac_arena_alloc(a, 4 * n + 3), *w = out;
    *w++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == 0) w += sprintf(w, "\\0");
        else if (ch == '"' || ch == '\\') w += sprintf(w, "\\%c", ch);
        else if (ch < 0x20 || ch >= 0x7f) w += sprintf(w, "\\x%02x", ch);
        else *w++ = (char)ch;
    }
    *w++ = '"';
    *w = 0;
    return out;
}

static const char *q(loader *L, const char *s)
{
    return quoted(L->c->arena, s, strlen(s));
}

/* protoc's rule for the name of an element: letters, digits and underscores. */
static bool is_ident(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')) return false;
    return true;
}

/* A package: identifiers joined by dots (or none at all). */
static bool is_package(const char *s)
{
    if (!*s) return true;
    for (const char *seg = s;; seg++) {
        const char *dot = strchr(seg, '.');
        size_t n = dot ? (size_t)(dot - seg) : strlen(seg);
        if (!n) return false;
        for (size_t i = 0; i < n; i++)
            if (!((seg[i] >= 'a' && seg[i] <= 'z') || (seg[i] >= 'A' && seg[i] <= 'Z') || (seg[i] >= '0' && seg[i] <= '9') ||
                  seg[i] == '_'))
                return false;
        if (!dot) return true;
        seg = dot;
    }
}

/* An error about the file being loaded, at the descriptor set (which has no lines of its own). */
static int file_fail(loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int file_fail(loader *L, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ac_fail(L->st, L->srcname, 0, 0, "in %s: %s", q(L, L->file->name), msg);
}

/* An element's name: present and an identifier.  kind is "message", "field", ...; scope the full
 * name of what holds it. */
static int check_name(loader *L, const char *kind, const char *scope, const char *name)
{
    if (!*name) {
        if (scope && *scope) return file_fail(L, "a %s in %s has no name", kind, q(L, scope));
        return file_fail(L, "a %s has no name", kind);
    }
    if (!is_ident(name))
        return file_fail(L, "%s %s has a name that is not an identifier (letters, digits and underscores)", kind,
                         q(L, scope && *scope ? ac_arena_printf(L->c->arena, "%s.%s", scope, name) : name));
    return AC_OK;
}

/* Feature values a descriptor set may hold: unknown ones would be read as some guess. */
static int check_features(loader *L, const PbFeatures *fs, const char *kind, const char *name)
{
    if (!fs) return AC_OK;
    const struct {
        const char *name;
        bool has;
        int value, lo, hi;
    } rows[] = {
        {"field_presence", fs->has_field_presence, (int)fs->field_presence, 1, 3},
        {"enum_type", fs->has_enum_type, (int)fs->enum_type, 1, 2},
        {"repeated_field_encoding", fs->has_repeated_field_encoding, (int)fs->repeated_field_encoding, 1, 2},
        {"utf8_validation", fs->has_utf8_validation, (int)fs->utf8_validation, 2, 3},
        {"message_encoding", fs->has_message_encoding, (int)fs->message_encoding, 1, 2},
        {"json_format", fs->has_json_format, (int)fs->json_format, 1, 2},
        {"(pb.cpp).string_type", fs->cpp && fs->cpp->has_string_type, fs->cpp ? (int)fs->cpp->string_type : 0, 1, 3},
        {"(pb.java).utf8_validation", fs->java && fs->java->has_utf8_validation,
         fs->java ? (int)fs->java->utf8_validation : 0, 1, 2},
    };
    /* 0 (the enums' UNKNOWN) is read as unset, as merge() does */
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (!rows[i].has || !rows[i].value || (rows[i].value >= rows[i].lo && rows[i].value <= rows[i].hi)) continue;
        if (!strcmp(kind, "file"))
            return ac_fail(L->st, L->srcname, 0, 0, "file %s sets feature %s to unknown value %d", q(L, name), rows[i].name,
                           rows[i].value);
        return file_fail(L, "%s %s sets feature %s to unknown value %d", kind, q(L, name), rows[i].name, rows[i].value);
    }
    return AC_OK;
}

static ac_pb_features edition_defaults(int32_t edition)
{
    ac_pb_features f;
    if (edition <= EDITION_PROTO2) {
        f = (ac_pb_features){.field_presence = 1, .enum_type = 2, .repeated_encoding = 2, .utf8_validation = 3,
                             .message_encoding = 1, .json_format = 2, .cpp_string_type = 3, .java_utf8 = 1};
    } else if (edition == EDITION_PROTO3) {
        f = (ac_pb_features){.field_presence = 2, .enum_type = 1, .repeated_encoding = 1, .utf8_validation = 2,
                             .message_encoding = 1, .json_format = 1, .cpp_string_type = 3, .java_utf8 = 1};
    } else {
        f = (ac_pb_features){.field_presence = 1, .enum_type = 1, .repeated_encoding = 1, .utf8_validation = 2,
                             .message_encoding = 1, .json_format = 1, .cpp_string_type = edition >= EDITION_2024 ? 1 : 3,
                             .java_utf8 = 1};
    }
    return f;
}

static ac_pb_features merge(ac_pb_features base, const PbFeatures *fs)
{
    if (!fs) return base;
    if (fs->has_field_presence && fs->field_presence) base.field_presence = (uint8_t)fs->field_presence;
    if (fs->has_enum_type && fs->enum_type) base.enum_type = (uint8_t)fs->enum_type;
    if (fs->has_repeated_field_encoding && fs->repeated_field_encoding)
        base.repeated_encoding = (uint8_t)fs->repeated_field_encoding;
    if (fs->has_utf8_validation && fs->utf8_validation) base.utf8_validation = (uint8_t)fs->utf8_validation;
    if (fs->has_message_encoding && fs->message_encoding) base.message_encoding = (uint8_t)fs->message_encoding;
    if (fs->has_json_format && fs->json_format) base.json_format = (uint8_t)fs->json_format;
    if (fs->cpp && fs->cpp->has_string_type && fs->cpp->string_type) base.cpp_string_type = (uint8_t)fs->cpp->string_type;
    if (fs->java && fs->java->has_utf8_validation && fs->java->utf8_validation)
        base.java_utf8 = (uint8_t)fs->java->utf8_validation;
    return base;
}

static ac_path path_push(ac_arena *a, ac_path parent, int32_t f1, int32_t f2)
{
    int32_t *v = ac_arena_alloc(a, (parent.n + 2) * sizeof *v);
    if (parent.n) memcpy(v, parent.v, parent.n * sizeof *v);
    v[parent.n] = f1;
    v[parent.n + 1] = f2;
    return (ac_path){v, parent.n + 2};
}

static const char *join(ac_arena *a, const char *prefix, const char *name)
{
    if (!prefix || !*prefix) return ac_arena_strdup(a, name);
    return ac_arena_printf(a, "%s.%s", prefix, name);
}

static const char *strip_dot(ac_arena *a, const char *s)
{
    if (!s) return NULL;
    return ac_arena_strdup(a, s[0] == '.' ? s + 1 : s);
}

/* protoc's default JSON name: drop underscores, capitalise the letter after each. */
static const char *default_json_name(ac_arena *a, const char *name)
{
    size_t n = strlen(name);
    char *out = ac_arena_alloc(a, n + 1), *w = out;
    bool upper = false;
    for (const char *p = name; *p; p++) {
        if (*p == '_') {
            upper = true;
            continue;
        }
        *w++ = upper && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
        upper = false;
    }
    *w = 0;
    return out;
}

#define PUSH(arr, n, x)                                                                 \
    do {                                                                               \
        (arr) = ac_xrealloc((arr), ((n) + 1) * sizeof *(arr));                         \
        (arr)[(n)++] = (x);                                                            \
    } while (0)

/* Growable lists are built with realloc and moved into the arena when a file is done. */
typedef struct lists {
    ac_pb_msg **msgs;
    size_t nmsgs;
    ac_pb_enum **enums;
    size_t nenums;
    ac_pb_field **exts;
    size_t nexts;
} lists;

static ac_pb_field *load_field(loader *L, const PbField *pf, ac_pb_msg *parent, const char *scope, ac_path path,
                               ac_pb_features inherited, ac_pb_oneof **oneofs, size_t noneofs)
{
    ac_arena *a = L->c->arena;
    ac_pb_field *f = ac_arena_alloc(a, sizeof *f);
    f->name = ac_arena_strdup(a, pf->name ? pf->name : "");
    f->full_name = join(a, scope, f->name);
    f->number = pf->has_number ? pf->number : 0;
    f->label = pf->has_label ? (int)pf->label : AC_PB_LABEL_OPTIONAL;
    f->type = pf->has_type ? (int)pf->type : 0;
    f->type_name = pf->type_name && *pf->type_name ? strip_dot(a, pf->type_name) : NULL;
    f->extendee = pf->extendee ? strip_dot(a, pf->extendee) : NULL;
    f->has_default = pf->default_value != NULL;
    f->default_value = f->has_default ? ac_arena_strdup(a, pf->default_value) : NULL;
    f->has_json_name = pf->json_name != NULL;
    f->json_name = f->has_json_name ? ac_arena_strdup(a, pf->json_name) : default_json_name(a, f->name);
    f->proto3_optional = pf->has_proto3_optional && pf->proto3_optional;
    f->parent = parent;
    f->file = L->file;
    f->path = path;
    if (pf->has_oneof_index && pf->oneof_index >= 0 && (size_t)pf->oneof_index < noneofs && !f->extendee) {
        f->oneof = oneofs[pf->oneof_index];
        if (f->proto3_optional) f->oneof->synthetic = true;
    }
    const Google__Protobuf__FieldOptions *o = pf->options;
    f->deprecated = o && o->has_deprecated && o->deprecated;
    if (o) {
        f->has_ctype = o->has_ctype;
        f->ctype = o->has_ctype ? (int)o->ctype : 0;
        f->jstype = o->has_jstype ? (int)o->jstype : 0;
        if (o->base.n_unknown_fields) ac_proto_annot_field(a, f, &o->base);
    }
    f->features = merge(inherited, o ? o->features : NULL);
    /* the writer's choice for a repeated scalar (readers accept both encodings) */
    f->packed = f->label == AC_PB_LABEL_REPEATED && (o && o->has_packed ? o->packed : f->features.repeated_encoding == 1);
    return f;
}

/* What the rules rely on about a field: a name, a number in range, and (in a message) a name, a
 * number and a oneof of its own.  in_msg: a field of m rather than an extension. */
static int check_field(loader *L, const PbField *pf, const ac_pb_field *f, const char *scope, const PbMsg *in_msg)
{
    if (check_name(L, in_msg ? "field" : "extension", scope, f->name)) return AC_ERROR;
    if (f->number < 1 || f->number > (in_msg ? MAX_FIELD_NUMBER : INT32_MAX))
        return file_fail(L, "%s %s has number %d (field numbers are 1 to %d)", in_msg ? "field" : "extension",
                         q(L, f->full_name), f->number, MAX_FIELD_NUMBER);
    if (check_features(L, pf->options ? pf->options->features : NULL, in_msg ? "field" : "extension", f->full_name))
        return AC_ERROR;
    if (!in_msg) return AC_OK;
    const ac_pb_field *other = seen_add(&L->names, f->name, 0, f);
    if (other) return file_fail(L, "message %s has two fields named %s", q(L, scope), q(L, f->name));
    other = seen_add(&L->nums, NULL, f->number, f);
    if (other)
        return file_fail(L, "fields %s and %s of %s both use number %d", q(L, other->name), q(L, f->name), q(L, scope),
                         f->number);
    if (pf->has_oneof_index && (pf->oneof_index < 0 || (size_t)pf->oneof_index >= in_msg->n_oneof_decl))
        return file_fail(L, "field %s names oneof %d, but %s declares %zu oneof%s", q(L, f->full_name), pf->oneof_index,
                         q(L, scope), in_msg->n_oneof_decl, in_msg->n_oneof_decl == 1 ? "" : "s");
    return AC_OK;
}

static int load_enum(loader *L, const PbEnum *pe, ac_pb_msg *parent, const char *scope, const char *nested_scope,
                     ac_path path, ac_pb_features inherited, lists *ls)
{
    ac_arena *a = L->c->arena;
    ac_pb_enum *e = ac_arena_alloc(a, sizeof *e);
    e->name = ac_arena_strdup(a, pe->name ? pe->name : "");
    e->full_name = join(a, scope, e->name);
    e->nested_name = join(a, nested_scope, e->name);
    e->file = L->file;
    e->parent = parent;
    e->path = path;
    if (check_name(L, "enum", scope, e->name) ||
        check_features(L, pe->options ? pe->options->features : NULL, "enum", e->full_name))
        return AC_ERROR;
    e->features = merge(inherited, pe->options ? pe->options->features : NULL);
    e->closed = e->features.enum_type == 2;
    e->allow_alias = pe->options && pe->options->has_allow_alias && pe->options->allow_alias;
    e->deprecated = pe->options && pe->options->has_deprecated && pe->options->deprecated;
    e->nvalues = pe->n_value;
    e->values = ac_arena_alloc(a, (pe->n_value ? pe->n_value : 1) * sizeof *e->values);
    seen_reset(&L->names, pe->n_value);
    seen_reset(&L->nums, pe->n_value);
    for (size_t i = 0; i < pe->n_value; i++) {
        ac_pb_enum_value *v = ac_arena_alloc(a, sizeof *v);
        v->name = ac_arena_strdup(a, pe->value[i]->name ? pe->value[i]->name : "");
        v->number = pe->value[i]->has_number ? pe->value[i]->number : 0;
        v->parent = e;
        v->deprecated = pe->value[i]->options && pe->value[i]->options->has_deprecated && pe->value[i]->options->deprecated;
        v->path = path_push(a, path, 2, (int32_t)i);
        e->values[i] = v;
        if (check_name(L, "enum value", e->full_name, v->name)) return AC_ERROR;
        if (seen_add(&L->names, v->name, 0, v))
            return file_fail(L, "enum %s has two values named %s", q(L, e->full_name), q(L, v->name));
        const ac_pb_enum_value *alias = seen_add(&L->nums, NULL, v->number, v);
        if (alias && !e->allow_alias)
            return file_fail(L, "values %s and %s of enum %s both use number %d (allow_alias is not set)",
                             q(L, alias->name), q(L, v->name), q(L, e->full_name), v->number);
    }
    e->nreserved = pe->n_reserved_range;
    e->reserved = ac_arena_alloc(a, (pe->n_reserved_range ? pe->n_reserved_range : 1) * sizeof *e->reserved);
    for (size_t i = 0; i < pe->n_reserved_range; i++)
        e->reserved[i] = (ac_range){pe->reserved_range[i]->start, pe->reserved_range[i]->end};
    e->nreserved_names = pe->n_reserved_name;
    e->reserved_names = ac_arena_alloc(a, (pe->n_reserved_name ? pe->n_reserved_name : 1) * sizeof(char *));
    for (size_t i = 0; i < pe->n_reserved_name; i++) e->reserved_names[i] = ac_arena_strdup(a, pe->reserved_name[i]);
    if (ac_strmap_get(&L->c->msg_by_name, e->full_name))
        return file_fail(L, "enum %s has the name of a message", q(L, e->full_name));
    if (!ac_strmap_add(&L->c->enum_by_name, e->full_name, e))
        return file_fail(L, "enum %s is defined twice", q(L, e->full_name));
    PUSH(ls->enums, ls->nenums, e);
    return AC_OK;
}

static int load_msg(loader *L, const PbMsg *pm, ac_pb_msg *parent, const char *scope, const char *nested_scope,
                    ac_path path, ac_pb_features inherited, lists *ls, int depth)
{
    ac_arena *a = L->c->arena;
    if (depth > MAX_NESTING)
        return ac_fail(L->st, L->srcname, 0, 0, "file \"%s\": messages nested more than %d deep", L->file->name,
                       MAX_NESTING);
    ac_pb_msg *m = ac_arena_alloc(a, sizeof *m);
    m->name = ac_arena_strdup(a, pm->name ? pm->name : "");
    if (check_name(L, "message", scope, m->name)) return AC_ERROR;
    m->full_name = join(a, scope, m->name);
    m->nested_name = join(a, nested_scope, m->name);
    m->file = L->file;
    m->parent = parent;
    m->path = path;
    const Google__Protobuf__MessageOptions *o = pm->options;
    if (check_features(L, o ? o->features : NULL, "message", m->full_name)) return AC_ERROR;
    m->features = merge(inherited, o ? o->features : NULL);
    m->deprecated = o && o->has_deprecated && o->deprecated;
    if (o) {
        m->map_entry = o->has_map_entry && o->map_entry;
        m->message_set_wire_format = o->has_message_set_wire_format && o->message_set_wire_format;
        m->no_standard_descriptor_accessor = o->has_no_standard_descriptor_accessor && o->no_standard_descriptor_accessor;
        if (o->base.n_unknown_fields) ac_proto_annot_message(a, m, &o->base);
    }
    if (ac_strmap_get(&L->c->enum_by_name, m->full_name))
        return file_fail(L, "message %s has the name of an enum", q(L, m->full_name));
    if (!ac_strmap_add(&L->c->msg_by_name, m->full_name, m))
        return file_fail(L, "message %s is defined twice", q(L, m->full_name));
    PUSH(ls->msgs, ls->nmsgs, m);

    m->noneofs = pm->n_oneof_decl;
    m->oneofs = ac_arena_alloc(a, (pm->n_oneof_decl ? pm->n_oneof_decl : 1) * sizeof *m->oneofs);
    ac_pb_features *oneof_features = ac_arena_alloc(a, (pm->n_oneof_decl ? pm->n_oneof_decl : 1) * sizeof *oneof_features);
    for (size_t i = 0; i < pm->n_oneof_decl; i++) {
        ac_pb_oneof *on = ac_arena_alloc(a, sizeof *on);
        on->name = ac_arena_strdup(a, pm->oneof_decl[i]->name ? pm->oneof_decl[i]->name : "");
        on->msg = m;
        on->index = (int)i;
        on->path = path_push(a, path, 8, (int32_t)i);
        if (check_name(L, "oneof", m->full_name, on->name) ||
            check_features(L, pm->oneof_decl[i]->options ? pm->oneof_decl[i]->options->features : NULL, "oneof",
                           join(a, m->full_name, on->name)))
            return AC_ERROR;
        oneof_features[i] =
            merge(m->features, pm->oneof_decl[i]->options ? pm->oneof_decl[i]->options->features : NULL);
        m->oneofs[i] = on;
    }
    m->nfields = pm->n_field;
    m->fields = ac_arena_alloc(a, (pm->n_field ? pm->n_field : 1) * sizeof *m->fields);
    seen_reset(&L->names, pm->n_field);
    seen_reset(&L->nums, pm->n_field);
    for (size_t i = 0; i < pm->n_field; i++) {
        const PbField *pf = pm->field[i];
        ac_pb_features inh = m->features;
        if (pf->has_oneof_index && pf->oneof_index >= 0 && (size_t)pf->oneof_index < pm->n_oneof_decl)
            inh = oneof_features[pf->oneof_index];
        m->fields[i] = load_field(L, pf, m, m->full_name, path_push(a, path, 2, (int32_t)i), inh, m->oneofs, m->noneofs);
        if (check_field(L, pf, m->fields[i], m->full_name, pm)) return AC_ERROR;
    }
    for (size_t i = 0; i < pm->n_extension; i++) {
        ac_pb_field *x = load_field(L, pm->extension[i], m, m->full_name, path_push(a, path, 6, (int32_t)i), m->features,
                                    NULL, 0);
        PUSH(ls->exts, ls->nexts, x);
        if (check_field(L, pm->extension[i], x, m->full_name, NULL)) return AC_ERROR;
    }
    m->nreserved = pm->n_reserved_range;
    m->reserved = ac_arena_alloc(a, (pm->n_reserved_range ? pm->n_reserved_range : 1) * sizeof *m->reserved);
    for (size_t i = 0; i < pm->n_reserved_range; i++)
        m->reserved[i] = (ac_range){pm->reserved_range[i]->start, (int64_t)pm->reserved_range[i]->end - 1};
    m->nreserved_names = pm->n_reserved_name;
    m->reserved_names = ac_arena_alloc(a, (pm->n_reserved_name ? pm->n_reserved_name : 1) * sizeof(char *));
    for (size_t i = 0; i < pm->n_reserved_name; i++) m->reserved_names[i] = ac_arena_strdup(a, pm->reserved_name[i]);
    m->next_ranges = pm->n_extension_range;
    m->ext_ranges = ac_arena_alloc(a, (pm->n_extension_range ? pm->n_extension_range : 1) * sizeof *m->ext_ranges);
    for (size_t i = 0; i < pm->n_extension_range; i++)
        m->ext_ranges[i] = (ac_range){pm->extension_range[i]->start, (int64_t)pm->extension_range[i]->end - 1};

    for (size_t i = 0; i < pm->n_enum_type; i++)
        if (load_enum(L, pm->enum_type[i], m, m->full_name, m->nested_name, path_push(a, path, 4, (int32_t)i),
                      m->features, ls))
            return AC_ERROR;
    for (size_t i = 0; i < pm->n_nested_type; i++)
        if (load_msg(L, pm->nested_type[i], m, m->full_name, m->nested_name, path_push(a, path, 3, (int32_t)i),
                     m->features, ls, depth + 1))
            return AC_ERROR;
    return AC_OK;
}

static void load_options(ac_pb_file *f, const Google__Protobuf__FileOptions *o, ac_arena *a)
{
    f->opt.cc_enable_arenas = true;
    f->opt.optimize_for = AC_PB_SPEED;
    if (!o) return;
#define S(x) f->opt.x = o->x ? ac_arena_strdup(a, o->x) : NULL
    S(java_package);
    S(java_outer_classname);
    S(go_package);
    S(objc_class_prefix);
    S(csharp_namespace);
    S(swift_prefix);
    S(php_class_prefix);
    S(php_namespace);
    S(php_metadata_namespace);
    S(ruby_package);
#undef S
#define B(x) f->opt.x = o->has_##x ? (bool)o->x : f->opt.x
    B(java_multiple_files);
    B(java_string_check_utf8);
    B(cc_generic_services);
    B(java_generic_services);
    B(py_generic_services);
    B(cc_enable_arenas);
#undef B
    f->opt.has_java_string_check_utf8 = o->has_java_string_check_utf8;
    if (o->has_optimize_for) f->opt.optimize_for = (ac_pb_optimize)o->optimize_for;
}

/* A source file to read for positions, only when it is a regular file: a name taken from a
 * descriptor set may name a FIFO or a device, which would block or never end. */
static FILE *open_regular(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat sb;
    FILE *fp = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) ? fdopen(fd, "r") : NULL;
    if (!fp) close(fd);
    return fp;
}

/* Where an `apicompat:ignore` comment near an element is written: SourceCodeInfo attaches comments
 * to the element but keeps no position for them, so the source file is searched around the
 * element (only when reporting a mistake). */
static void comment_pos(const loader *L, const ac_pb_file *f, const ac_srcloc *at, const char *rule, unsigned *line,
                        unsigned *col)
{
    *line = at->line;
    *col = at->col;
    /* the source: the file's name under the input directory, or the input file itself */
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", L->srcname ? L->srcname : ".", f->name);
    FILE *fp = open_regular(path);
    if (!fp && L->srcname) {
        size_t n = strlen(L->srcname), m = strlen(f->name);
        if (n >= m && !strcmp(L->srcname + n - m, f->name)) fp = open_regular(L->srcname);
    }
    if (!fp) return;
    char buf[4096];
    unsigned ln = 0, best = 0, best_col = 0;
    unsigned lo = at->line > 64 ? at->line - 64 : 1, hi = at->end_line + 2;
    while (fgets(buf, sizeof buf, fp) && ++ln <= hi) {
        if (ln < lo) continue;
        const char *t = strstr(buf, "apicompat:ignore");
        if (!t) continue;
        const char *q = t + 16;
        while (*q == ' ' || *q == '\t') q++;
        size_t rl = strcspn(q, " \t\r\n");
        if (*rule ? (rl == strlen(rule) && !strncmp(q, rule, rl)) : !rl) {
            /* at the comment: where its slashes open it, else at the tag (inside a block comment) */
            const char *c = t;
            while (c > buf && !(c[0] == '/' && (c[1] == '/' || c[1] == '*'))) c--;
            if (!(c[0] == '/' && (c[1] == '/' || c[1] == '*'))) c = t;
            best = ln;
            best_col = (unsigned)(c - buf) + 1;
            if (ln >= at->line) break; /* a trailing comment on the element's own line */
        }
    }
    fclose(fp);
    if (best) {
        *line = best;
        *col = best_col;
    }
}

/* `apicompat:ignore RULE_ID reason` in a comment attached to an element suppresses that rule's
 * findings inside the element.  An unknown rule or a missing reason is an error: a suppression that
 * silently does nothing is worse than none. */
static int scan_inline(loader *L, ac_pb_file *f, const char *comment, size_t clen, const ac_srcloc *at,
                       ac_inline_ignore **list, size_t *n, size_t *cap)
{
    static const char tag[] = "apicompat:ignore";
    const char *end = comment + clen;
    for (const char *p = clen ? memmem(comment, clen, tag, sizeof tag - 1) : NULL; p;
         p = memmem(p + 1, (size_t)(end - p - 1), tag, sizeof tag - 1)) {
        const char *q = p + sizeof tag - 1;
        while (q < end && (*q == ' ' || *q == '\t')) q++;
        size_t rl = 0;
        while (q + rl < end && !strchr(" \t\r\n", q[rl])) rl++;
        const char *r = q + rl;
        while (r < end && (*r == ' ' || *r == '\t')) r++;
        size_t reason_len = 0;
        while (r + reason_len < end && r[reason_len] != '\r' && r[reason_len] != '\n') reason_len++;
        while (reason_len && (r[reason_len - 1] == ' ' || r[reason_len - 1] == '\t')) reason_len--;
        char *rule = ac_arena_strndup(L->c->arena, q, rl);
        unsigned cl, cc;
        if (!rl) {
            comment_pos(L, f, at, "", &cl, &cc);
            return ac_fail(L->st, f->display, cl, cc, "apicompat:ignore needs a rule ID and a reason: // apicompat:ignore RULE_ID reason");
        }
        if (ac_rule_find(rule) < 0) {
            comment_pos(L, f, at, rule, &cl, &cc);
            return ac_fail(L->st, f->display, cl, cc, "apicompat:ignore names \"%s\", which is not a rule (see `apicompat rules`)", rule);
        }
        if (!reason_len) {
            comment_pos(L, f, at, rule, &cl, &cc);
            return ac_fail(L->st, f->display, cl, cc, "apicompat:ignore %s needs a reason after the rule ID", rule);
        }
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 4;
            *list = ac_xrealloc(*list, *cap * sizeof **list);
        }
        (*list)[(*n)++] = (ac_inline_ignore){at->line, at->col, at->end_line, at->end_col, rule,
                                             ac_arena_strndup(L->c->arena, r, reason_len)};
    }
    return AC_OK;
}

/* ---- protobuf wire format, for what protobuf-c would copy needlessly ------------------------------
 * SourceCodeInfo is most of a descriptor set with source info (every element's span and comment).
 * protobuf-c would allocate and copy each location and comment; instead the set is decoded without
 * it and the locations are read in place from the original bytes. */

typedef struct wire {
    const uint8_t *p, *end;
} wire;

static bool wire_varint(wire *w, uint64_t *v)
{
    uint64_t x = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (w->p >= w->end) return false;
        uint8_t b = *w->p++;
        x |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = x;
            return true;
        }
    }
    return false;
}

/* Skips a field's value of the given wire type (groups included, nested to a bound). */
static bool wire_skip(wire *w, unsigned type, int depth)
{
    uint64_t v;
    switch (type) {
    case 0: return wire_varint(w, &v);
    case 1: if (w->end - w->p < 8) return false; w->p += 8; return true;
    case 5: if (w->end - w->p < 4) return false; w->p += 4; return true;
    case 2:
        if (!wire_varint(w, &v) || v > (uint64_t)(w->end - w->p)) return false;
        w->p += v;
        return true;
    case 3:
        if (depth > 64) return false;
        for (;;) {
            uint64_t key;
            if (!wire_varint(w, &key)) return false;
            if ((key & 7) == 4) return true;
            if (!wire_skip(w, (unsigned)(key & 7), depth + 1)) return false;
        }
    default: return false;
    }
}

/* A length-delimited value: its bytes. */
static bool wire_bytes(wire *w, const uint8_t **p, size_t *n)
{
    uint64_t v;
    if (!wire_varint(w, &v) || v > (uint64_t)(w->end - w->p)) return false;
    *p = w->p;
    *n = (size_t)v;
    w->p += v;
    return true;
}


/* The loader's state for one file, kept for lazy_locs (ac_pb_file.loader). */
struct ac_pb_loader_file {
    const struct srcinfo_part *srcinfo; /* the SourceCodeInfo bytes, read in place */
    ac_arena *loc_arena;                /* where converted locations go */
    const char *source_path;            /* the .proto on disk (absolute) for a source input, else NULL */
};

typedef struct srcinfo_part {
    const uint8_t *p;
    size_t n;
    struct srcinfo_part *next;
} srcinfo_part;

/* What the wire pre-scan found. */
typedef enum { SCAN_OK, SCAN_BAD, SCAN_DEEP, SCAN_NUL } scan_result;

typedef struct scan_nul {
    const ProtobufCMessageDescriptor *msg;
    const ProtobufCFieldDescriptor *field;
    const uint8_t *p;
    size_t n;
} scan_nul;

/* Strings protobuf-c would cut at a NUL byte: the names and references of the *DescriptorProto
 * messages.  A default value and a json_name are the user's text (protoc writes a string
 * default's bytes as they are, NUL included), and options are not names. */
static bool is_name_string(const ProtobufCMessageDescriptor *d, const ProtobufCFieldDescriptor *fd)
{
    size_t n = strlen(d->short_name);
    return n >= 15 && !strcmp(d->short_name + n - 15, "DescriptorProto") && strcmp(fd->name, "default_value") &&
           strcmp(fd->name, "json_name");
}

/* One FileDescriptorProto (without its source info), before protobuf-c sees it.  protobuf-c's
 * unpack recurses once per nested message with no bound, and copies strings as C strings (a NUL
 * would cut a name short), so both are checked here, iteratively and in one pass over the bytes:
 * messages nested more than MAX_NESTING deep are SCAN_DEEP, a NUL in a name SCAN_NUL (where in
 * *nul), bytes that are not well-formed SCAN_BAD. */
static scan_result scan_file(const uint8_t *p, size_t n, scan_nul *nul)
{
    struct {
        const uint8_t *end;
        const ProtobufCMessageDescriptor *d;
    } stack[MAX_WIRE_DEPTH];
    const ProtobufCMessageDescriptor *msg_d = &google__protobuf__descriptor_proto__descriptor;
    int top = 0, msgs = 0;
    stack[0].end = p + n;
    stack[0].d = &google__protobuf__file_descriptor_proto__descriptor;
    wire w = {p, p + n};
    for (;;) {
        if (w.p == w.end) {
            if (top == 0) return SCAN_OK;
            if (stack[top].d == msg_d) msgs--;
            w.end = stack[--top].end;
            continue;
        }
        uint64_t key;
        if (!wire_varint(&w, &key)) return SCAN_BAD;
        unsigned type = (unsigned)(key & 7);
        const ProtobufCFieldDescriptor *fd =
            type == 2 && key >> 3 <= UINT32_MAX ? protobuf_c_message_descriptor_get_field(stack[top].d, (unsigned)(key >> 3))
                                                : NULL;
        if (fd && fd->type == PROTOBUF_C_TYPE_MESSAGE) {
            const uint8_t *vp;
            size_t vn;
            if (!wire_bytes(&w, &vp, &vn)) return SCAN_BAD;
            const ProtobufCMessageDescriptor *d = fd->descriptor;
            if (top + 1 >= MAX_WIRE_DEPTH || (d == msg_d && ++msgs > MAX_NESTING)) return SCAN_DEEP;
            stack[++top].end = vp + vn;
            stack[top].d = d;
            w.p = vp;
            w.end = vp + vn;
        } else if (fd && fd->type == PROTOBUF_C_TYPE_STRING && is_name_string(stack[top].d, fd)) {
            const uint8_t *vp;
            size_t vn;
            if (!wire_bytes(&w, &vp, &vn)) return SCAN_BAD;
            if (vn && memchr(vp, 0, vn)) {
                *nul = (scan_nul){stack[top].d, fd, vp, vn};
                return SCAN_NUL;
            }
        } else if (!wire_skip(&w, type, 0)) {
            return SCAN_BAD;
        }
    }
}

/* The element a *DescriptorProto describes, for messages. */
static const char *element_kind(const ProtobufCMessageDescriptor *d)
{
    static const char *const kinds[][2] = {
        {"FileDescriptorProto", "file"},       {"DescriptorProto", "message"},
        {"FieldDescriptorProto", "field"},     {"OneofDescriptorProto", "oneof"},
        {"EnumDescriptorProto", "enum"},       {"EnumValueDescriptorProto", "enum value"},
        {"ServiceDescriptorProto", "service"}, {"MethodDescriptorProto", "method"},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(d->short_name, kinds[i][0])) return kinds[i][1];
    return d->short_name;
}

/* One FileDescriptorProto without its source_code_info (field 9), into out (which has room for
 * n bytes), and the SourceCodeInfo bytes in order (a field written twice is merged, as protobuf
 * merges it; the parts are kept in keep_arena); *name is the file's name as written (for messages
 * before it is decoded).  false: not well-formed. */
static bool split_file(ac_arena *keep_arena, const uint8_t *fp, size_t fn, uint8_t *out, size_t *outlen,
                       srcinfo_part **parts, const uint8_t **name, size_t *namelen)
{
    srcinfo_part *head = NULL, **tail = &head;
    uint8_t *o = out;
    wire f = {fp, fp + fn};
    while (f.p < f.end) {
        const uint8_t *start = f.p;
        uint64_t k;
        if (!wire_varint(&f, &k)) return false;
        if (k == ((9 << 3) | 2)) {
            srcinfo_part *part = ac_arena_alloc(keep_arena, sizeof *part); /* kept for lazy_locs */
            if (!wire_bytes(&f, &part->p, &part->n)) return false;
            *tail = part;
            tail = &part->next;
            continue;
        }
        if (k == ((1 << 3) | 2)) {
            wire v = f;
            if (!wire_bytes(&v, name, namelen)) return false;
        }
        if (!wire_skip(&f, (unsigned)(k & 7), 0)) return false;
        memcpy(o, start, (size_t)(f.p - start));
        o += f.p - start;
    }
    *outlen = (size_t)(o - out);
    *parts = head;
    return true;
}

/* Repeated int32 (packed or not) into out[0..max). */
static bool wire_int32s(wire *w, unsigned type, int32_t *out, size_t *n, size_t max)
{
    uint64_t v;
    if (type == 0) {
        if (!wire_varint(w, &v)) return false;
        if (*n < max) out[*n] = (int32_t)v;
        (*n)++;
        return true;
    }
    if (type != 2) return wire_skip(w, type, 0);
    const uint8_t *p;
    size_t len;
    if (!wire_bytes(w, &p, &len)) return false;
    wire in = {p, p + len};
    while (in.p < in.end) {
        if (!wire_varint(&in, &v)) return false;
        if (*n < max) out[*n] = (int32_t)v;
        (*n)++;
    }
    return true;
}

/* Walks a file's locations: checks the bytes are well-formed and, when `store`, converts them into
 * f->locs; when `inl`, also reads the apicompat:ignore comments.  false: not well-formed. */
static bool walk_locs(loader *L, ac_pb_file *f, const srcinfo_part *parts, bool store, int *rc, ac_inline_ignore **inl,
                      size_t *ninl, size_t *capinl, bool *has_tag)
{
    bool found = false;
    size_t count = 0;
    if (store) {
        /* one quick pass for the number of locations (the bytes were checked when loading) */
        for (const srcinfo_part *s = parts; s; s = s->next) {
            wire w = {s->p, s->p + s->n};
            uint64_t key;
            while (w.p < w.end && wire_varint(&w, &key) && wire_skip(&w, (unsigned)(key & 7), 0)) count++;
        }
        f->locs = ac_arena_alloc(f->loader->loc_arena, (count ? count : 1) * sizeof *f->locs);
    }
    size_t n = 0;
    int32_t path[65], span[5];
    for (const srcinfo_part *s = parts; s && !*rc; s = s->next) {
        wire w = {s->p, s->p + s->n};
        while (w.p < w.end && !*rc) {
            uint64_t key;
            const uint8_t *lp;
            size_t ln;
            if (!wire_varint(&w, &key)) return false;
            if (key != ((1 << 3) | 2)) {
                if (!wire_skip(&w, (unsigned)(key & 7), 0)) return false;
                continue;
            }
            if (!wire_bytes(&w, &lp, &ln)) return false;
            /* one Location */
            size_t np = 0, ns = 0;
            const char *com[2] = {NULL, NULL};
            size_t comlen[2] = {0, 0};
            const uint8_t *detached[16];
            size_t detlen[16], nd = 0;
            wire l = {lp, lp + ln};
            while (l.p < l.end) {
                uint64_t k;
                if (!wire_varint(&l, &k)) return false;
                unsigned field = (unsigned)(k >> 3), type = (unsigned)(k & 7);
                bool ok;
                if (field == 1) ok = wire_int32s(&l, type, path, &np, 65);
                else if (field == 2) ok = wire_int32s(&l, type, span, &ns, 5);
                else if ((field == 3 || field == 4) && type == 2) {
                    const uint8_t *cp;
                    ok = wire_bytes(&l, &cp, &comlen[field - 3]);
                    com[field - 3] = (const char *)cp;
                } else if (field == 6 && type == 2) {
                    const uint8_t *cp;
                    size_t cl;
                    ok = wire_bytes(&l, &cp, &cl);
                    if (ok && nd < 16) detached[nd] = cp, detlen[nd++] = cl;
                } else {
                    ok = wire_skip(&l, type, 0);
                }
                if (!ok) return false;
            }
            if ((ns != 3 && ns != 4) || np > 64) continue;
            /* a negative line or column is no place at all: the element falls back to its parent */
            if (span[0] < 0 || span[1] < 0 || span[2] < 0 || (ns == 4 && span[3] < 0)) continue;
            ac_srcloc tmp, *d = store ? &f->locs[n++] : &tmp;
            d->line = (uint32_t)span[0] + 1;
            d->col = (uint32_t)span[1] + 1;
            d->end_line = (uint32_t)(ns == 4 ? span[2] : span[0]) + 1;
            d->end_col = (uint32_t)(ns == 4 ? span[3] : span[2]) + 1;
            d->path_len = (uint32_t)np;
            if (store) {
                int32_t *pp = ac_arena_alloc(f->loader->loc_arena, (np + 1) * sizeof *pp);
                if (np) memcpy(pp, path, np * sizeof *pp);
                d->path = pp;
            }
            if (!inl) {
                /* only checking: note whether a comment holds a suppression */
                for (int c = 0; c < 2 && !found; c++)
                    found = com[c] && comlen[c] >= 16 && memmem(com[c], comlen[c], "apicompat:ignore", 16);
                for (size_t k = 0; k < nd && !found; k++) found = memmem(detached[k], detlen[k], "apicompat:ignore", 16) != NULL;
                continue;
            }
            for (int c = 0; c < 2 && !*rc; c++)
                if (com[c]) *rc = scan_inline(L, f, com[c], comlen[c], d, inl, ninl, capinl);
            for (size_t k = 0; k < nd && !*rc; k++)
                *rc = scan_inline(L, f, (const char *)detached[k], detlen[k], d, inl, ninl, capinl);
        }
    }
    if (store) f->nlocs = n;
    if (has_tag) *has_tag = found;
    return true;
}

/* Whether a location path names a field's `default` pseudo-option: [4 i (3 j)* 2|6 k 7] in a
 * message, [7 k 7] for a file-level extension (FileDescriptorProto 4 message_type, 7 extension;
 * DescriptorProto 2 field, 3 nested_type, 6 extension; FieldDescriptorProto 7 default_value). */
static bool is_default_path(const int32_t *p, uint32_t n)
{
    if (n == 3) return p[0] == 7 && p[2] == 7;
    if (n < 5 || n % 2 == 0 || p[0] != 4 || p[n - 1] != 7 || (p[n - 3] != 2 && p[n - 3] != 6)) return false;
    for (uint32_t i = 2; i + 3 < n; i += 2)
        if (p[i] != 3) return false;
    return true;
}

/* protoc spans a pseudo-option (`default = 10`) over its value only; buf spans the whole option.
 * For a source input the loader moves the start back over "= " to the option's name, reading the
 * file it compiled (not whatever the current directory holds).  Tabs make protoc's columns differ
 * from byte offsets: then the span is left as it is. */
static void default_start(const char *text, size_t len, ac_srcloc *l)
{
    const char *line = text, *end = text + len;
    for (uint32_t n = 1; n < l->line && line < end; n++) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        line = nl ? nl + 1 : end;
    }
    if (line >= end) return;
    const char *eol = memchr(line, '\n', (size_t)(end - line));
    size_t ll = eol ? (size_t)(eol - line) : (size_t)(end - line);
    if (l->col < 2 || l->col > ll + 1 || memchr(line, '\t', l->col - 1)) return;
    long i = (long)l->col - 2; /* byte before the value */
    while (i >= 0 && line[i] == ' ') i--;
    if (i < 0 || line[i] != '=') return;
    i--;
    while (i >= 0 && line[i] == ' ') i--;
    static const char name[] = "default";
    long start = i - (long)(sizeof name - 1) + 1;
    if (start < 0 || strncmp(line + start, name, sizeof name - 1) ||
        (start > 0 && (isalnum((unsigned char)line[start - 1]) || line[start - 1] == '_')))
        return;
    l->col = (uint32_t)start + 1;
}

/* Once a source input's locations are converted: buf's spans for `default` options. */
static void fix_default_spans(ac_pb_file *f)
{
    char *text = NULL;
    size_t len = 0;
    bool tried = false;
    for (size_t i = 0; i < f->nlocs; i++) {
        ac_srcloc *l = &f->locs[i];
        if (!is_default_path(l->path, l->path_len)) continue;
        if (!tried) {
            tried = true;
            ac_status st;
            ac_status_init(&st);
            ac_arena *a = ac_arena_new();
            /* the file was compiled a moment ago; if it cannot be read now, spans stay protoc's */
            if (ac_file_problem(f->loader->source_path) ||
                ac_read_file(a, f->loader->source_path, &text, &len, AC_LIMIT_PROTO_SOURCE_BYTES, &st)) {
                ac_arena_free(a);
                return;
            }
            text = ac_arena_memdup(f->loader->loc_arena, text, len);
            ac_arena_free(a);
        }
        default_start(text, len, l);
    }
}

/* load_locs for a file whose locations were left for later (its bytes were checked at load) */
static void lazy_locs(ac_pb_file *f)
{
    int rc = AC_OK;
    walk_locs(NULL, f, f->loader->srcinfo, true, &rc, NULL, NULL, NULL, NULL);
    if (f->loader->source_path) fix_default_spans(f);
}

void ac_proto_set_source_path(ac_pb_file *f, const char *path)
{
    if (!f->loader) return; /* no source info: no location to fix */
    f->loader->source_path = path;
    /* a file with inline ignores had its locations converted while loading */
    if (f->locs && !f->load_locs) fix_default_spans(f);
}

static int load_srcinfo(loader *L, ac_pb_file *f, const srcinfo_part *parts, ac_arena *a)
{
    if (!parts) return AC_OK;
    f->has_srcinfo = true;
    f->loader = ac_arena_alloc(a, sizeof *f->loader);
    f->loader->loc_arena = a;
    f->loader->srcinfo = parts;
    f->loader->source_path = NULL;
    size_t ninl = 0, capinl = 0;
    ac_inline_ignore *inl = NULL;
    int rc = AC_OK;
    /* checked now; a file with suppressions is read now too (a mistake in one is an error), the
     * others are converted only if a finding needs a location in them */
    bool eager = false;
    if (!walk_locs(L, f, parts, false, &rc, NULL, NULL, NULL, &eager) ||
        (eager && !walk_locs(L, f, parts, true, &rc, &inl, &ninl, &capinl, NULL))) {
        free(inl);
        return ac_fail(L->st, f->display, 0, 0, "file \"%s\": its source code info is not well-formed", f->name);
    }
    if (!eager) f->load_locs = lazy_locs;
    f->inlines = ac_arena_memdup(a, inl ? (void *)inl : "", ninl * sizeof *inl);
    f->ninlines = ninl;
    free(inl);
    return rc;
}

static bool is_well_known(const char *name)
{
    static const char *const wkt[] = {
        "google/protobuf/any.proto",        "google/protobuf/api.proto",       "google/protobuf/descriptor.proto",
        "google/protobuf/duration.proto",   "google/protobuf/empty.proto",     "google/protobuf/field_mask.proto",
        "google/protobuf/source_context.proto", "google/protobuf/struct.proto", "google/protobuf/timestamp.proto",
        "google/protobuf/type.proto",       "google/protobuf/wrappers.proto",  "google/protobuf/cpp_features.proto",
        "google/protobuf/java_features.proto", "google/protobuf/go_features.proto",
        "google/protobuf/compiler/plugin.proto",
    };
    for (size_t i = 0; i < sizeof wkt / sizeof wkt[0]; i++)
        if (strcmp(name, wkt[i]) == 0) return true;
    return false;
}

static int load_file(loader *L, const PbFile *pf, const srcinfo_part *srcinfo)
{
    ac_contract *c = L->c;
    ac_arena *a = c->arena;
    if (!pf->name || !*pf->name)
        return ac_fail(L->st, L->srcname, 0, 0, "descriptor set holds a file with no name");
    ac_pb_file *f = ac_arena_alloc(a, sizeof *f);
    L->file = f;
    f->name = ac_arena_strdup(a, pf->name);
    f->display = f->name;
    f->module = "";
    f->package = ac_arena_strdup(a, pf->package ? pf->package : "");
    f->is_import = (pf->buf_extension && pf->buf_extension->has_is_import && pf->buf_extension->is_import) ||
                   is_well_known(f->name);
    if (pf->syntax && strcmp(pf->syntax, "editions") == 0) {
        f->syntax = AC_SYNTAX_EDITIONS;
        f->edition = pf->has_edition ? (int32_t)pf->edition : EDITION_2023;
        if (f->edition != EDITION_2023 && f->edition != EDITION_2024)
            return ac_fail(L->st, L->srcname, 0, 0, "file %s has unknown edition %d (expected 2023 or 2024)", q(L, f->name),
                           f->edition);
    } else if (pf->syntax && strcmp(pf->syntax, "proto3") == 0) {
        f->syntax = AC_SYNTAX_PROTO3;
        f->edition = EDITION_PROTO3;
    } else if (!pf->syntax || !*pf->syntax || strcmp(pf->syntax, "proto2") == 0) {
        f->syntax = AC_SYNTAX_PROTO2;
        f->edition = EDITION_PROTO2;
    } else {
        return ac_fail(L->st, L->srcname, 0, 0, "file \"%s\" has unknown syntax \"%s\" (expected proto2, proto3 or editions)",
                       f->name, pf->syntax);
    }
    if (!ac_strmap_add(&c->file_by_name, f->name, f))
        return ac_fail(L->st, L->srcname, 0, 0, "descriptor set holds file \"%s\" twice", f->name);
    if (!is_package(f->package))
        return ac_fail(L->st, L->srcname, 0, 0, "file %s has package %s, which is not a valid package name", q(L, f->name),
                       q(L, f->package));
    if (check_features(L, pf->options ? pf->options->features : NULL, "file", f->name)) return AC_ERROR;
    load_options(f, pf->options, a);
    if (load_srcinfo(L, f, srcinfo, a)) return AC_ERROR;
    f->features = merge(edition_defaults(f->edition), pf->options ? pf->options->features : NULL);

    lists ls;
    memset(&ls, 0, sizeof ls);
    ac_path root = {NULL, 0};
    int rc = AC_OK;
    for (size_t i = 0; i < pf->n_message_type && !rc; i++)
        rc = load_msg(L, pf->message_type[i], NULL, f->package, "", path_push(a, root, 4, (int32_t)i), f->features, &ls, 1);
    for (size_t i = 0; i < pf->n_enum_type && !rc; i++)
        rc = load_enum(L, pf->enum_type[i], NULL, f->package, "", path_push(a, root, 5, (int32_t)i), f->features, &ls);
    for (size_t i = 0; i < pf->n_extension && !rc; i++) {
        ac_pb_field *x = load_field(L, pf->extension[i], NULL, f->package, path_push(a, root, 7, (int32_t)i), f->features,
                                    NULL, 0);
        PUSH(ls.exts, ls.nexts, x);
        rc = check_field(L, pf->extension[i], x, f->package, NULL);
    }
    f->nservices = pf->n_service;
    f->services = ac_arena_alloc(a, (pf->n_service ? pf->n_service : 1) * sizeof *f->services);
    for (size_t i = 0; i < pf->n_service && !rc; i++) {
        const PbService *ps = pf->service[i];
        ac_pb_service *s = ac_arena_alloc(a, sizeof *s);
        s->name = ac_arena_strdup(a, ps->name ? ps->name : "");
        if ((rc = check_name(L, "service", f->package, s->name))) break;
        s->full_name = join(a, f->package, s->name);
        s->file = f;
        s->path = path_push(a, root, 6, (int32_t)i);
        s->deprecated = ps->options && ps->options->has_deprecated && ps->options->deprecated;
        if (ps->options) ac_proto_annot_service(a, s, &ps->options->base);
        s->nmethods = ps->n_method;
        s->methods = ac_arena_alloc(a, (ps->n_method ? ps->n_method : 1) * sizeof *s->methods);
        for (size_t j = 0; j < ps->n_method; j++) {
            const Google__Protobuf__MethodDescriptorProto *pm = ps->method[j];
            ac_pb_method *m = ac_arena_alloc(a, sizeof *m);
            m->name = ac_arena_strdup(a, pm->name ? pm->name : "");
            if ((rc = check_name(L, "method", s->full_name, m->name))) break;
            m->input_type = strip_dot(a, pm->input_type ? pm->input_type : "");
            m->output_type = strip_dot(a, pm->output_type ? pm->output_type : "");
            m->client_streaming = pm->has_client_streaming && pm->client_streaming;
            m->server_streaming = pm->has_server_streaming && pm->server_streaming;
            m->idempotency = pm->options && pm->options->has_idempotency_level ? (ac_pb_idempotency)pm->options->idempotency_level
                                                                                : AC_PB_IDEMPOTENCY_UNKNOWN;
            m->service = s;
            m->deprecated = pm->options && pm->options->has_deprecated && pm->options->deprecated;
            m->path = path_push(a, s->path, 2, (int32_t)j);
            if (pm->options) ac_proto_annot_method(a, m, &pm->options->base);
            s->methods[j] = m;
        }
        f->services[i] = s;
    }
    f->msgs = ac_arena_memdup(a, ls.msgs ? (void *)ls.msgs : "", ls.nmsgs * sizeof *ls.msgs);
    f->nmsgs = ls.nmsgs;
    f->enums = ac_arena_memdup(a, ls.enums ? (void *)ls.enums : "", ls.nenums * sizeof *ls.enums);
    f->nenums = ls.nenums;
    f->exts = ac_arena_memdup(a, ls.exts ? (void *)ls.exts : "", ls.nexts * sizeof *ls.exts);
    f->nexts = ls.nexts;
    free(ls.msgs);
    free(ls.enums);
    free(ls.exts);
    if (rc) return rc;
    PUSH(c->files, c->nfiles, f);
    return AC_OK;
}

int ac_proto_sniff_binary(const uint8_t *data, size_t len)
{
    /* A FileDescriptorSet starts with field 1, length-delimited (0x0a); text .proto sources are
     * printable.  A NUL or control byte early on means binary. */
    if (len == 0) return 0;
    size_t n = len < 512 ? len : 512;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = data[i];
        if (ch == 0 || (ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t' && ch != '\f' && ch != '\v')) return 1;
    }
    return 0;
}

/* protobuf-c's allocations for one decoding come from an arena: millions of small messages for a
 * large set, released at once when the IR has been built. */
static void *unpack_alloc(void *a, size_t n)
{
    return ac_arena_alloc(a, n);
}

static void unpack_free(void *a, void *p)
{
    (void)a;
    (void)p;
}

int ac_proto_load_fds(ac_contract *c, const uint8_t *data, size_t len, const char *srcname, ac_status *st)
{
    static const char bad[] = "not a valid FileDescriptorSet (truncated or corrupt; expected the output of `protoc -o` "
                              "or `buf build -o`)";
    if (len == 0) return ac_fail(st, srcname, 0, 0, "empty descriptor set");
    if (c->digest) ac_sha256_part(c->digest, data, len);
    /* file by file: each is decoded (without its source info), converted, and its decoding freed,
     * so a large set never has more than one file decoded at a time */
    loader L = {.c = c, .st = st, .srcname = srcname};
    wire w = {data, data + len};
    size_t nfiles = 0;
    int rc = AC_OK;
    /* one scratch arena, emptied after each file: its memory is reused rather than given back and
     * faulted in again for the next file */
    ac_arena *scratch = ac_arena_new();
    while (w.p < w.end && !rc) {
        uint64_t key;
        if (!wire_varint(&w, &key)) {
            rc = ac_fail(st, srcname, 0, 0, "%s", bad);
            break;
        }
        if (key != ((1 << 3) | 2)) {
            if (!wire_skip(&w, (unsigned)(key & 7), 0)) rc = ac_fail(st, srcname, 0, 0, "%s", bad);
            continue;
        }
        const uint8_t *fp;
        size_t fn;
        if (!wire_bytes(&w, &fp, &fn)) {
            rc = ac_fail(st, srcname, 0, 0, "%s", bad);
            break;
        }
        ProtobufCAllocator alloc = {unpack_alloc, unpack_free, scratch};
        uint8_t *stripped = ac_arena_alloc(scratch, fn + 1);
        size_t slen;
        srcinfo_part *parts = NULL;
        const uint8_t *name = (const uint8_t *)"";
        size_t namelen = 0;
        scan_nul nul = {0}; /* set by scan_file when it answers SCAN_NUL; zeroed for the compiler's sake */
        scan_result scan = split_file(c->arena, fp, fn, stripped, &slen, &parts, &name, &namelen)
                               ? scan_file(stripped, slen, &nul)
                               : SCAN_BAD;
        const char *qname = quoted(scratch, (const char *)name, namelen);
        PbFile *pf = scan == SCAN_OK ? google__protobuf__file_descriptor_proto__unpack(&alloc, slen, stripped) : NULL;
        if (pf) {
            rc = load_file(&L, pf, parts);
            if (!rc) {
                L.file->descriptor = fp;
                L.file->descriptor_len = fn;
            }
        }
        else if (scan == SCAN_DEEP)
            rc = ac_fail(st, srcname, 0, 0, "file %s: messages nested more than %d deep", qname, MAX_NESTING);
        else if (scan == SCAN_NUL && nul.msg == &google__protobuf__file_descriptor_proto__descriptor &&
                 !strcmp(nul.field->name, "name"))
            rc = ac_fail(st, srcname, 0, 0, "descriptor set holds a file whose name %s contains a NUL byte", qname);
        else if (scan == SCAN_NUL)
            rc = ac_fail(st, srcname, 0, 0, "in %s: %s %s %s contains a NUL byte", qname, element_kind(nul.msg),
                         nul.field->name, quoted(scratch, (const char *)nul.p, nul.n));
        else
            rc = ac_fail(st, srcname, 0, 0, "%s", bad);
        ac_arena_reset(scratch);
        nfiles++;
    }
    ac_arena_free(scratch);
    free(L.names.v);
    free(L.nums.v);
    if (!rc && !nfiles) rc = ac_fail(st, srcname, 0, 0, "descriptor set holds no files");
    return rc;
}
