#include "compat/ir/ir.h"

#include "compat/base/fs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const ac_oas_schema_x ac_oas_schema_x_none = {.min_props = -1, .max_props = -1, .min_contains = -1, .max_contains = -1};

/* ac_contract.locate of protobuf contracts: src is an ac_pb_src (key unused). */
static void pb_locate(const ac_contract *c, ac_src src, const char *key, ac_loc *out)
{
    (void)c;
    (void)key;
    const ac_pb_src *s = src;
    memset(out, 0, sizeof *out);
    if (!s || !s->file) return;
    if (!ac_pb_locate(s->file, s->path, NULL, 0, out)) ac_pb_file_loc(s->file, out);
}

ac_contract *ac_contract_new(ac_format format, const char *source)
{
    ac_arena *a = ac_arena_new();
    ac_contract *c = ac_arena_alloc(a, sizeof *c);
    c->arena = a;
    c->format = format;
    c->source = ac_arena_strdup(a, source ? source : "");
    if (format == AC_FMT_PROTO) {
        c->locate = pb_locate;
        c->inline_ignore = ac_pb_inline_ignore;
    }
    ac_strmap_init(&c->file_by_name);
    ac_strmap_init(&c->msg_by_name);
    ac_strmap_init(&c->enum_by_name);
    return c;
}

/* What ac_pb_locate keeps between lookups: the engine's, never the loader's. */
struct ac_pb_loc_cache {
    ac_strmap loc_index; /* built once a file has had many lookups (the first ones scan locs) */
    bool loc_indexed;
    uint32_t loc_lookups;
    ac_strmap path_alias; /* map entry field paths -> the map field (ac_pb_field *) */
    bool has_aliases;
};

static struct ac_pb_loc_cache *loc_cache(ac_pb_file *f)
{
    if (!f->loc_cache) f->loc_cache = ac_xcalloc(1, sizeof *f->loc_cache);
    return f->loc_cache;
}

void ac_contract_free(ac_contract *c)
{
    if (!c) return;
    if (c->loader_free) c->loader_free(c->loader_state);
    if (c->mapped) ac_unmap_file(c->mapped, c->mapped_len);
    for (size_t i = 0; i < c->nfiles; i++) {
        struct ac_pb_loc_cache *lc = c->files[i]->loc_cache;
        if (!lc) continue;
        if (lc->loc_indexed) ac_strmap_free(&lc->loc_index);
        if (lc->has_aliases) ac_strmap_free(&lc->path_alias);
        free(lc);
    }
    free(c->files); /* grown with realloc by the loader */
    ac_strmap_free(&c->file_by_name);
    ac_strmap_free(&c->msg_by_name);
    ac_strmap_free(&c->enum_by_name);
    ac_arena_free(c->arena);
}

static bool has_presence(const ac_pb_field *f)
{
    if (f->label == AC_PB_LABEL_REPEATED) return false;
    if (f->kind == AC_PB_MESSAGE || f->kind == AC_PB_GROUP) return true;
    if (f->oneof || f->extendee) return true;
    return f->features.field_presence != 2; /* anything but IMPLICIT */
}

/* An error about an element: at its source location when the input had source info, else at the
 * input itself (a descriptor set), naming the file inside it. */
static int link_fail(ac_contract *c, ac_pb_field *f, int32_t sub, ac_status *st, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int link_fail(ac_contract *c, ac_pb_field *f, int32_t sub, ac_status *st, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ac_loc l;
    if ((sub && ac_pb_locate(f->file, f->path, &sub, 1, &l)) || ac_pb_locate(f->file, f->path, NULL, 0, &l))
        return ac_fail(st, l.path, l.line, l.col, "%s", msg);
    return ac_fail(st, c->source, 0, 0, "in \"%s\": %s", f->file->name, msg);
}

static int link_field(ac_contract *c, ac_pb_field *f, ac_status *st)
{
    f->kind = f->type;
    if (f->type == AC_PB_MESSAGE || f->type == AC_PB_GROUP || f->type == AC_PB_ENUM || (f->type == 0 && f->type_name)) {
        if (!f->type_name || !*f->type_name)
            return link_fail(c, f, 0, st, "field \"%s\" has a message or enum type but no type name", f->full_name);
        ac_pb_msg *m = ac_strmap_get(&c->msg_by_name, f->type_name);
        ac_pb_enum *e = m ? NULL : ac_strmap_get(&c->enum_by_name, f->type_name);
        if (f->type == 0) f->type = f->kind = m ? AC_PB_MESSAGE : e ? AC_PB_ENUM : 0;
        /* defined, but as the other kind: say so rather than suggest a missing import */
        if (f->type == AC_PB_ENUM && m)
            return link_fail(c, f, 6, st, "field \"%s\" has enum type \"%s\", which is a message", f->full_name,
                             f->type_name);
        if (f->type != AC_PB_ENUM && e)
            return link_fail(c, f, 6, st, "field \"%s\" has %s type \"%s\", which is an enum", f->full_name,
                             f->type == AC_PB_GROUP ? "group" : "message", f->type_name);
        if ((f->type == AC_PB_ENUM && !e) || (f->type != AC_PB_ENUM && !m))
            return link_fail(c, f, 6, st,
                             "field \"%s\" uses type \"%s\", which is not defined in the input (is an import missing? "
                             "descriptor sets need --include_imports)",
                             f->full_name, f->type_name);
        f->msg_type = m;
        f->enum_type = e;
    }
    /* delimited encoding never applies to maps: neither the map field nor its entry's fields */
    if (f->kind == AC_PB_MESSAGE && f->features.message_encoding == 2 && !(f->msg_type && f->msg_type->map_entry) &&
        !(f->parent && f->parent->map_entry))
        f->kind = AC_PB_GROUP;
    if (f->type < AC_PB_DOUBLE || f->type > AC_PB_SINT64)
        return link_fail(c, f, 0, st, "field \"%s\" has invalid type %d", f->full_name, f->type);
    if (f->label < AC_PB_LABEL_OPTIONAL || f->label > AC_PB_LABEL_REPEATED)
        return link_fail(c, f, 0, st, "field \"%s\" has invalid label %d", f->full_name, f->label);
    if (f->extendee && !ac_strmap_get(&c->msg_by_name, f->extendee))
        return link_fail(c, f, 2, st, "extension \"%s\" extends \"%s\", which is not defined in the input", f->full_name,
                         f->extendee);
    if (f->label == AC_PB_LABEL_REPEATED)
        f->cardinality = f->msg_type && f->msg_type->map_entry && f->kind == AC_PB_MESSAGE ? AC_CARD_MAP : AC_CARD_REPEATED;
    else if (f->label == AC_PB_LABEL_REQUIRED || f->features.field_presence == 3)
        f->cardinality = AC_CARD_REQUIRED;
    else
        f->cardinality = has_presence(f) ? AC_CARD_OPTIONAL_EXPLICIT : AC_CARD_OPTIONAL_IMPLICIT;
    return AC_OK;
}

/* protoc writes no source locations for the synthetic entry message of a map field; its fields are
 * located at the map field's type ("map<K, V>"), where buf reports them too.  Recorded as aliases
 * and resolved at lookup, so linking reads no locations. */
static void locate_map_entry(ac_pb_field *map_field)
{
    ac_pb_msg *entry = map_field->msg_type;
    if (entry->file != map_field->file) return;
    struct ac_pb_loc_cache *lc = loc_cache(entry->file);
    if (!lc->has_aliases) {
        ac_strmap_init(&lc->path_alias);
        lc->has_aliases = true;
    }
    for (size_t i = 0; i < entry->nfields; i++) {
        ac_pb_field *f = entry->fields[i];
        ac_strmap_putn(&lc->path_alias, (const char *)f->path.v, f->path.n * sizeof(int32_t), map_field);
    }
}

/* A method's request or response type (sub: 2 input_type, 3 output_type) must be a message of the
 * input, as for a field's type. */
static int link_method_type(ac_contract *c, const ac_pb_method *m, int32_t sub, ac_status *st)
{
    const char *type = sub == 2 ? m->input_type : m->output_type;
    const char *role = sub == 2 ? "request" : "response";
    char msg[1024];
    if (ac_strmap_get(&c->msg_by_name, type)) return AC_OK;
    if (!*type)
        snprintf(msg, sizeof msg, "RPC \"%s.%s\" has no %s type", m->service->full_name, m->name, role);
    else if (ac_strmap_get(&c->enum_by_name, type))
        snprintf(msg, sizeof msg, "RPC \"%s.%s\" uses \"%s\" as its %s type, which is an enum, not a message",
                 m->service->full_name, m->name, type, role);
    else
        snprintf(msg, sizeof msg,
                 "RPC \"%s.%s\" uses %s type \"%s\", which is not defined in the input (is an import missing? "
                 "descriptor sets need --include_imports)",
                 m->service->full_name, m->name, role, type);
    ac_pb_file *file = m->service->file;
    ac_loc l;
    if (ac_pb_locate(file, m->path, &sub, 1, &l) || ac_pb_locate(file, m->path, NULL, 0, &l))
        return ac_fail(st, l.path, l.line, l.col, "%s", msg);
    return ac_fail(st, c->source, 0, 0, "in \"%s\": %s", file->name, msg);
}

int ac_pb_link(ac_contract *c, ac_status *st)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        ac_pb_file *file = c->files[i];
        for (size_t j = 0; j < file->nmsgs; j++) {
            ac_pb_msg *m = file->msgs[j];
            for (size_t k = 0; k < m->nfields; k++)
                if (link_field(c, m->fields[k], st)) return AC_ERROR;
        }
        for (size_t j = 0; j < file->nexts; j++)
            if (link_field(c, file->exts[j], st)) return AC_ERROR;
        for (size_t j = 0; j < file->nservices; j++)
            for (size_t k = 0; k < file->services[j]->nmethods; k++) {
                const ac_pb_method *m = file->services[j]->methods[k];
                if (link_method_type(c, m, 2, st) || link_method_type(c, m, 3, st)) return AC_ERROR;
            }
    }
    for (size_t i = 0; i < c->nfiles; i++) {
        ac_pb_file *file = c->files[i];
        if (file->is_import) continue;
        for (size_t j = 0; j < file->nmsgs; j++)
            for (size_t k = 0; k < file->msgs[j]->nfields; k++) {
                ac_pb_field *f = file->msgs[j]->fields[k];
                if (f->cardinality == AC_CARD_MAP) locate_map_entry(f);
            }
    }
    return AC_OK;
}

static void index_locs(ac_pb_file *f)
{
    struct ac_pb_loc_cache *lc = loc_cache(f);
    ac_strmap_init(&lc->loc_index);
    ac_strmap_reserve(&lc->loc_index, f->nlocs);
    for (size_t i = 0; i < f->nlocs; i++) {
        const ac_srcloc *l = &f->locs[i];
        /* keep the first location of a path: later ones are continuations (e.g. repeated options) */
        ac_strmap_addn(&lc->loc_index, (const char *)l->path, l->path_len * sizeof(int32_t), (void *)l);
    }
    lc->loc_indexed = true;
}

/* A file's first lookups scan its locations: a finding needs one or two locations in a file of
 * thousands, and hashing every path of the file cost more than the scans. */
#define LOC_SCANS 16

static const ac_srcloc *lookup(ac_pb_file *f, const int32_t *prefix, uint32_t n, const int32_t *suffix, uint32_t nsuffix)
{
    int32_t buf[64];
    if (n + nsuffix > 64) return NULL;
    if (n) memcpy(buf, prefix, n * sizeof(int32_t));
    if (nsuffix) memcpy(buf + n, suffix, nsuffix * sizeof(int32_t));
    uint32_t len = n + nsuffix;
    if (f->loc_cache && f->loc_cache->loc_indexed)
        return ac_strmap_getn(&f->loc_cache->loc_index, (const char *)buf, len * sizeof(int32_t));
    /* the first location of a path, as the index keeps */
    for (size_t i = 0; i < f->nlocs; i++) {
        const ac_srcloc *l = &f->locs[i];
        if (l->path_len == len && (!len || (l->path[len - 1] == buf[len - 1] && !memcmp(l->path, buf, len * sizeof(int32_t)))))
            return l;
    }
    return NULL;
}

bool ac_pb_locate(ac_pb_file *f, ac_path path, const int32_t *suffix, uint32_t nsuffix, ac_loc *out)
{
    if (!f->has_srcinfo) return false;
    if (f->load_locs) {
        f->load_locs(f);
        f->load_locs = NULL;
    }
    struct ac_pb_loc_cache *lc = loc_cache(f);
    if (!lc->loc_indexed && ++lc->loc_lookups > LOC_SCANS) index_locs(f);
    const ac_srcloc *l = lookup(f, path.v, path.n, suffix, nsuffix);
    ac_pb_field *map_field;
    if (!l && lc->has_aliases &&
        (map_field = ac_strmap_getn(&lc->path_alias, (const char *)path.v, path.n * sizeof(int32_t)))) {
        /* a map entry's field: at the map field's type, else at the map field */
        ac_path mp = map_field->path;
        int32_t type_name = 6;
        if (mp.n < 63 && lookup(f, mp.v, mp.n, &type_name, 1)) {
            int32_t v[64];
            memcpy(v, mp.v, mp.n * sizeof(int32_t));
            v[mp.n] = 6;
            l = lookup(f, v, mp.n + 1, suffix, nsuffix);
        } else {
            l = lookup(f, mp.v, mp.n, suffix, nsuffix);
        }
    }
    if (!l) return false;
    out->path = f->display;
    out->file = f->name;
    out->line = l->line;
    out->col = l->col;
    out->end_line = l->end_line;
    out->end_col = l->end_col;
    return true;
}

const char *ac_pb_inline_ignore(const ac_contract *c, ac_src src, const ac_loc *loc, const char *rule)
{
    (void)src;
    if (!loc || !loc->line || !loc->file) return NULL;
    const ac_pb_file *f = ac_strmap_get(&c->file_by_name, loc->file);
    if (!f) return NULL;
    for (size_t i = 0; i < f->ninlines; i++) {
        const ac_inline_ignore *g = &f->inlines[i];
        if (strcmp(g->rule, rule)) continue;
        bool after_start = loc->line > g->line || (loc->line == g->line && loc->col >= g->col);
        bool before_end = loc->line < g->end_line || (loc->line == g->end_line && loc->col < g->end_col);
        if (after_start && before_end) return g->reason;
    }
    return NULL;
}

void ac_pb_file_loc(const ac_pb_file *f, ac_loc *out)
{
    out->path = f->display;
    out->file = f->name;
    out->line = 1;
    out->col = 1;
    out->end_line = 1;
    out->end_col = 1;
}

const char *ac_pb_kind_name(int kind)
{
    static const char *const names[] = {
        [AC_PB_DOUBLE] = "double",   [AC_PB_FLOAT] = "float",       [AC_PB_INT64] = "int64",
        [AC_PB_UINT64] = "uint64",   [AC_PB_INT32] = "int32",       [AC_PB_FIXED64] = "fixed64",
        [AC_PB_FIXED32] = "fixed32", [AC_PB_BOOL] = "bool",         [AC_PB_STRING] = "string",
        [AC_PB_GROUP] = "group",     [AC_PB_MESSAGE] = "message",   [AC_PB_BYTES] = "bytes",
        [AC_PB_UINT32] = "uint32",   [AC_PB_ENUM] = "enum",         [AC_PB_SFIXED32] = "sfixed32",
        [AC_PB_SFIXED64] = "sfixed64", [AC_PB_SINT32] = "sint32",   [AC_PB_SINT64] = "sint64",
    };
    if (kind < AC_PB_DOUBLE || kind > AC_PB_SINT64) return "unknown";
    return names[kind];
}

const char *ac_pb_cardinality_name(ac_pb_cardinality c)
{
    switch (c) {
    case AC_CARD_OPTIONAL_EXPLICIT: return "optional with explicit presence";
    case AC_CARD_OPTIONAL_IMPLICIT: return "optional with implicit presence";
    case AC_CARD_REQUIRED: return "required";
    case AC_CARD_REPEATED: return "repeated";
    case AC_CARD_MAP: return "map";
    }
    return "unknown";
}

const char *ac_pb_behavior_name(uint32_t bit)
{
    static const char *const names[] = {"FIELD_BEHAVIOR_UNSPECIFIED", "OPTIONAL", "REQUIRED", "OUTPUT_ONLY",
                                        "INPUT_ONLY", "IMMUTABLE", "UNORDERED_LIST", "NON_EMPTY_DEFAULT",
                                        "IDENTIFIER"};
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++)
        if (bit == 1u << i) return names[i];
    return "?";
}
