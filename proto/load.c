/* Binary FileDescriptorSet -> contract IR.
 *
 * protobuf-c decodes the set (code generated at build time from proto/descriptor.proto); this file
 * converts the decoded messages into the IR in the contract's arena and frees them before it
 * returns.  Editions features are resolved here, once, for every element. */
#include <stdlib.h>
#include <string.h>

#include "../compat/rules.h"
#include "descriptor.pb-c.h"
#include "proto.h"

typedef Google__Protobuf__FileDescriptorSet PbSet;
typedef Google__Protobuf__FileDescriptorProto PbFile;
typedef Google__Protobuf__DescriptorProto PbMsg;
typedef Google__Protobuf__FieldDescriptorProto PbField;
typedef Google__Protobuf__EnumDescriptorProto PbEnum;
typedef Google__Protobuf__ServiceDescriptorProto PbService;
typedef Google__Protobuf__FeatureSet PbFeatures;

enum { EDITION_PROTO2 = 998, EDITION_PROTO3 = 999, EDITION_2023 = 1000, EDITION_2024 = 1001 };

/* Nesting deeper than this is not a real schema; it ends with an error instead of a deep stack. */
#define MAX_NESTING 100

typedef struct loader {
    ac_contract *c;
    ac_pb_file *file;
    ac_status *st;
    const char *srcname;
} loader;

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
    if (o) {
        f->has_ctype = o->has_ctype;
        f->ctype = o->has_ctype ? (int)o->ctype : 0;
        f->jstype = o->has_jstype ? (int)o->jstype : 0;
    }
    f->features = merge(inherited, o ? o->features : NULL);
    return f;
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
    e->features = merge(inherited, pe->options ? pe->options->features : NULL);
    e->closed = e->features.enum_type == 2;
    e->allow_alias = pe->options && pe->options->has_allow_alias && pe->options->allow_alias;
    e->nvalues = pe->n_value;
    e->values = ac_arena_alloc(a, (pe->n_value ? pe->n_value : 1) * sizeof *e->values);
    for (size_t i = 0; i < pe->n_value; i++) {
        ac_pb_enum_value *v = ac_arena_alloc(a, sizeof *v);
        v->name = ac_arena_strdup(a, pe->value[i]->name ? pe->value[i]->name : "");
        v->number = pe->value[i]->has_number ? pe->value[i]->number : 0;
        v->parent = e;
        v->path = path_push(a, path, 2, (int32_t)i);
        e->values[i] = v;
    }
    e->nreserved = pe->n_reserved_range;
    e->reserved = ac_arena_alloc(a, (pe->n_reserved_range ? pe->n_reserved_range : 1) * sizeof *e->reserved);
    for (size_t i = 0; i < pe->n_reserved_range; i++)
        e->reserved[i] = (ac_range){pe->reserved_range[i]->start, pe->reserved_range[i]->end};
    e->nreserved_names = pe->n_reserved_name;
    e->reserved_names = ac_arena_alloc(a, (pe->n_reserved_name ? pe->n_reserved_name : 1) * sizeof(char *));
    for (size_t i = 0; i < pe->n_reserved_name; i++) e->reserved_names[i] = ac_arena_strdup(a, pe->reserved_name[i]);
    if (!ac_strmap_add(&L->c->enum_by_name, e->full_name, e) && !L->file->is_import) {
        /* a duplicate definition: keep the first; protoc rejects this, a hand-made set may not */
    }
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
    m->full_name = join(a, scope, m->name);
    m->nested_name = join(a, nested_scope, m->name);
    m->file = L->file;
    m->parent = parent;
    m->path = path;
    const Google__Protobuf__MessageOptions *o = pm->options;
    m->features = merge(inherited, o ? o->features : NULL);
    if (o) {
        m->map_entry = o->has_map_entry && o->map_entry;
        m->message_set_wire_format = o->has_message_set_wire_format && o->message_set_wire_format;
        m->no_standard_descriptor_accessor = o->has_no_standard_descriptor_accessor && o->no_standard_descriptor_accessor;
    }
    ac_strmap_add(&L->c->msg_by_name, m->full_name, m);
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
        oneof_features[i] =
            merge(m->features, pm->oneof_decl[i]->options ? pm->oneof_decl[i]->options->features : NULL);
        m->oneofs[i] = on;
    }
    m->nfields = pm->n_field;
    m->fields = ac_arena_alloc(a, (pm->n_field ? pm->n_field : 1) * sizeof *m->fields);
    for (size_t i = 0; i < pm->n_field; i++) {
        const PbField *pf = pm->field[i];
        ac_pb_features inh = m->features;
        if (pf->has_oneof_index && pf->oneof_index >= 0 && (size_t)pf->oneof_index < pm->n_oneof_decl)
            inh = oneof_features[pf->oneof_index];
        m->fields[i] = load_field(L, pf, m, m->full_name, path_push(a, path, 2, (int32_t)i), inh, m->oneofs, m->noneofs);
    }
    for (size_t i = 0; i < pm->n_extension; i++) {
        ac_pb_field *x = load_field(L, pm->extension[i], m, m->full_name, path_push(a, path, 6, (int32_t)i), m->features,
                                    NULL, 0);
        PUSH(ls->exts, ls->nexts, x);
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
    f->opt.optimize_for = 1;
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
    if (o->has_optimize_for) f->opt.optimize_for = (int)o->optimize_for;
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
    FILE *fp = fopen(path, "r");
    if (!fp && L->srcname) {
        size_t n = strlen(L->srcname), m = strlen(f->name);
        if (n >= m && !strcmp(L->srcname + n - m, f->name)) fp = fopen(L->srcname, "r");
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


typedef struct srcinfo_part {
    const uint8_t *p;
    size_t n;
    struct srcinfo_part *next;
} srcinfo_part;

/* One FileDescriptorProto without its source_code_info (field 9), into out (which has room for
 * n bytes), and the SourceCodeInfo bytes in order (a field written twice is merged, as protobuf
 * merges it; the parts are kept in keep_arena).  false: not well-formed. */
static bool split_file(ac_arena *keep_arena, const uint8_t *fp, size_t fn, uint8_t *out, size_t *outlen,
                       srcinfo_part **parts)
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
        f->locs = ac_arena_alloc(f->loc_arena, (count ? count : 1) * sizeof *f->locs);
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
            ac_srcloc tmp, *d = store ? &f->locs[n++] : &tmp;
            d->line = (uint32_t)span[0] + 1;
            d->col = (uint32_t)span[1] + 1;
            d->end_line = (uint32_t)(ns == 4 ? span[2] : span[0]) + 1;
            d->end_col = (uint32_t)(ns == 4 ? span[3] : span[2]) + 1;
            d->path_len = (uint32_t)np;
            if (store) {
                int32_t *pp = ac_arena_alloc(f->loc_arena, (np + 1) * sizeof *pp);
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

/* load_locs for a file whose locations were left for later (its bytes were checked at load) */
static void lazy_locs(ac_pb_file *f)
{
    int rc = AC_OK;
    walk_locs(NULL, f, f->srcinfo, true, &rc, NULL, NULL, NULL, NULL);
}

static int load_srcinfo(loader *L, ac_pb_file *f, const srcinfo_part *parts, ac_arena *a)
{
    if (!parts) return AC_OK;
    f->has_srcinfo = true;
    f->loc_arena = a;
    f->srcinfo = parts;
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
    }
    f->nservices = pf->n_service;
    f->services = ac_arena_alloc(a, (pf->n_service ? pf->n_service : 1) * sizeof *f->services);
    for (size_t i = 0; i < pf->n_service && !rc; i++) {
        const PbService *ps = pf->service[i];
        ac_pb_service *s = ac_arena_alloc(a, sizeof *s);
        s->name = ac_arena_strdup(a, ps->name ? ps->name : "");
        s->full_name = join(a, f->package, s->name);
        s->file = f;
        s->path = path_push(a, root, 6, (int32_t)i);
        s->nmethods = ps->n_method;
        s->methods = ac_arena_alloc(a, (ps->n_method ? ps->n_method : 1) * sizeof *s->methods);
        for (size_t j = 0; j < ps->n_method; j++) {
            const Google__Protobuf__MethodDescriptorProto *pm = ps->method[j];
            ac_pb_method *m = ac_arena_alloc(a, sizeof *m);
            m->name = ac_arena_strdup(a, pm->name ? pm->name : "");
            m->input_type = strip_dot(a, pm->input_type ? pm->input_type : "");
            m->output_type = strip_dot(a, pm->output_type ? pm->output_type : "");
            m->client_streaming = pm->has_client_streaming && pm->client_streaming;
            m->server_streaming = pm->has_server_streaming && pm->server_streaming;
            m->idempotency = pm->options && pm->options->has_idempotency_level ? (int)pm->options->idempotency_level : 0;
            m->service = s;
            m->path = path_push(a, s->path, 2, (int32_t)j);
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
    /* file by file: each is decoded (without its source info), converted, and its decoding freed,
     * so a large set never has more than one file decoded at a time */
    loader L = {c, NULL, st, srcname};
    wire w = {data, data + len};
    size_t nfiles = 0;
    int rc = AC_OK;
    while (w.p < w.end && !rc) {
        uint64_t key;
        if (!wire_varint(&w, &key)) return ac_fail(st, srcname, 0, 0, "%s", bad);
        if (key != ((1 << 3) | 2)) {
            if (!wire_skip(&w, (unsigned)(key & 7), 0)) return ac_fail(st, srcname, 0, 0, "%s", bad);
            continue;
        }
        const uint8_t *fp;
        size_t fn;
        if (!wire_bytes(&w, &fp, &fn)) return ac_fail(st, srcname, 0, 0, "%s", bad);
        ac_arena *scratch = ac_arena_new();
        ProtobufCAllocator alloc = {unpack_alloc, unpack_free, scratch};
        uint8_t *stripped = ac_arena_alloc(scratch, fn + 1);
        size_t slen;
        srcinfo_part *parts = NULL;
        PbFile *pf = split_file(c->arena, fp, fn, stripped, &slen, &parts)
                         ? google__protobuf__file_descriptor_proto__unpack(&alloc, slen, stripped)
                         : NULL;
        rc = pf ? load_file(&L, pf, parts) : ac_fail(st, srcname, 0, 0, "%s", bad);
        ac_arena_free(scratch);
        nfiles++;
    }
    if (!rc && !nfiles) rc = ac_fail(st, srcname, 0, 0, "descriptor set holds no files");
    return rc;
}
