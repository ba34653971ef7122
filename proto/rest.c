/* The REST surface of a protobuf contract: the HTTP operations a transcoder (grpc-gateway, Envoy's
 * gRPC-JSON transcoder, Google's front ends) serves from each RPC's google.api.http rule and its
 * additional_bindings, built as an OpenAPI contract in the IR so that the OpenAPI checks judge it.
 *
 * Mapping (google/api/http.proto, ProtoJSON):
 *   - one operation per binding; its path is the template as written ("/v1/{name=shelves/ *}", the
 *     form protoc-gen-openapiv2 writes); its key is what the template matches, with variable names
 *     dropped and `{x}` read as `{x=*}`, so a renamed variable or an equivalent rewrite pairs;
 *   - path parameters: the template's variables (required strings, with the segment pattern);
 *   - body "*": the request message without the fields the path binds; a field: that field; "":
 *     none, and then every leaf field not bound by the path is a query parameter, nested ones
 *     named a.b.c by JSON name (repeated ones as arrays; maps and repeated messages are not
 *     accepted in a query);
 *   - response: 200 with the response message, or the response_body field;
 *   - schemas: one component per message (full name), properties by JSON name; 64-bit integers as
 *     strings, enums as their value names, the well-known types in their JSON mapping;
 *     field_behavior gives required / readOnly / writeOnly, protovalidate rules give bounds.
 * Locations: an operation, its parameters and bodies are at the method's http option; a schema at
 * its message, a property at its field. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "compat/base/limits.h"
#include "proto/proto.h"

#define MAX_QUERY_DEPTH 8      /* nesting of a.b.c query parameters */
#define MAX_QUERY_PARAMS 1024  /* per operation */
#define MAX_TEMPLATE 4096      /* bytes of a path template */
#define MAX_SCHEMA_DEPTH 256   /* messages whose fields are being converted, one inside the other */

enum { METHOD_OPTIONS = 4, EXT_HTTP = 72295728, HTTP_ADDITIONAL = 11 };

/* Where a derived element is written in the .proto: an element path plus a suffix. */
typedef struct rest_src {
    ac_pb_file *file;
    ac_path path;
    int32_t suf[3];
    uint32_t nsuf;
} rest_src;

typedef struct builder {
    ac_contract *pb, *c;
    ac_arena *a;
    ac_strmap schemas; /* message full name -> ac_oas_schema (component) */
    ac_oas_named *named;
    uint32_t nnamed, cnamed;
    ac_oas_op *ops;
    uint32_t nops, cops;
    int depth; /* message_schema calls in progress: a long chain of message types must not exhaust the stack */
} builder;

static rest_src *src_of(builder *B, ac_pb_file *f, ac_path p, const int32_t *suf, uint32_t nsuf)
{
    rest_src *s = ac_arena_alloc(B->a, sizeof *s);
    s->file = f;
    s->path = p;
    for (uint32_t i = 0; i < nsuf && i < 3; i++) s->suf[i] = suf[i];
    s->nsuf = nsuf < 3 ? nsuf : 3;
    return s;
}

static void rest_locate(const ac_contract *c, ac_src src, const char *key, ac_loc *out)
{
    (void)c;
    (void)key;
    const rest_src *s = src;
    memset(out, 0, sizeof *out);
    if (!s || !s->file) return;
    for (uint32_t n = s->nsuf + 1; n-- > 0;)
        if (ac_pb_locate(s->file, s->path, s->suf, n, out)) goto found;
    ac_pb_file_loc(s->file, out);
found:;
    const ac_pb_file *f = s->file;
    const ac_contract *pb = c->loader_state; /* names outlive the surface: they are the protobuf contract's */
    out->file = f->module && *f->module ? ac_arena_printf(pb->arena, "%s/%s", f->module, f->name) : f->name;
}

static const char *rest_inline(const ac_contract *c, ac_src src, const ac_loc *loc, const char *rule)
{
    const ac_contract *pb = c->loader_state;
    return pb && pb->inline_ignore ? pb->inline_ignore(pb, NULL, loc, rule) : NULL;
}

static ac_oas_schema *new_schema(builder *B, ac_src src)
{
    ac_oas_schema *s = ac_arena_alloc(B->a, sizeof *s);
    s->id = B->c->oas->schema_count++;
    s->src = src;
    s->min_len = s->max_len = s->min_items = s->max_items = -1;
    s->x = &ac_oas_schema_x_none;
    return s;
}

static ac_oas_schema *typed(builder *B, ac_src src, uint8_t types, const char *format)
{
    ac_oas_schema *s = new_schema(B, src);
    s->types = types;
    s->typed = true;
    s->format = format;
    return s;
}

static ac_oas_schema *message_schema(builder *B, ac_pb_msg *m);

/* The schema of a well-known type in its JSON mapping, or NULL when m is not one. */
static ac_oas_schema *wkt_schema(builder *B, ac_pb_msg *m, ac_src src)
{
    const char *n = m->full_name;
    if (strncmp(n, "google.protobuf.", 16)) return NULL;
    n += 16;
    if (!strcmp(n, "Timestamp")) return typed(B, src, AC_OT_STRING, "date-time");
    if (!strcmp(n, "Duration")) return typed(B, src, AC_OT_STRING, "duration");
    if (!strcmp(n, "FieldMask")) return typed(B, src, AC_OT_STRING, "field-mask");
    if (!strcmp(n, "Struct") || !strcmp(n, "Empty")) return typed(B, src, AC_OT_OBJECT, NULL);
    if (!strcmp(n, "ListValue")) {
        ac_oas_schema *s = typed(B, src, AC_OT_ARRAY, NULL);
        s->items = new_schema(B, src);
        return s;
    }
    if (!strcmp(n, "Value")) return new_schema(B, src); /* any JSON value */
    if (!strcmp(n, "NullValue")) return typed(B, src, AC_OT_NULL, NULL);
    if (!strcmp(n, "Any")) {
        ac_oas_schema *s = typed(B, src, AC_OT_OBJECT, NULL);
        s->nprops = 1;
        s->props = ac_arena_alloc(B->a, sizeof *s->props);
        s->props[0] = (ac_oas_named){"@type", typed(B, src, AC_OT_STRING, NULL), src};
        s->addl = 2;
        return s;
    }
    static const struct {
        const char *name;
        uint8_t types;
        const char *format;
    } wrappers[] = {
        {"DoubleValue", AC_OT_NUMBER, "double"}, {"FloatValue", AC_OT_NUMBER, "float"},
        {"Int64Value", AC_OT_STRING, "int64"},   {"UInt64Value", AC_OT_STRING, "uint64"},
        {"Int32Value", AC_OT_INTEGER, "int32"},  {"UInt32Value", AC_OT_INTEGER, "uint32"},
        {"BoolValue", AC_OT_BOOLEAN, NULL},      {"StringValue", AC_OT_STRING, NULL},
        {"BytesValue", AC_OT_STRING, "byte"},
    };
    for (size_t i = 0; i < sizeof wrappers / sizeof *wrappers; i++)
        if (!strcmp(n, wrappers[i].name)) {
            ac_oas_schema *s = typed(B, src, wrappers[i].types, wrappers[i].format);
            s->nullable = true;
            return s;
        }
    return NULL;
}

static ac_oas_schema *scalar_schema(builder *B, const ac_pb_field *f, ac_src src)
{
    switch (f->type) {
    case AC_PB_DOUBLE: return typed(B, src, AC_OT_NUMBER, "double");
    case AC_PB_FLOAT: return typed(B, src, AC_OT_NUMBER, "float");
    case AC_PB_INT64:
    case AC_PB_SINT64:
    case AC_PB_SFIXED64: return typed(B, src, AC_OT_STRING, "int64"); /* ProtoJSON writes 64-bit integers as strings */
    case AC_PB_UINT64:
    case AC_PB_FIXED64: return typed(B, src, AC_OT_STRING, "uint64");
    case AC_PB_INT32:
    case AC_PB_SINT32:
    case AC_PB_SFIXED32: return typed(B, src, AC_OT_INTEGER, "int32");
    case AC_PB_UINT32:
    case AC_PB_FIXED32: return typed(B, src, AC_OT_INTEGER, "uint32");
    case AC_PB_BOOL: return typed(B, src, AC_OT_BOOLEAN, NULL);
    case AC_PB_STRING: return typed(B, src, AC_OT_STRING, NULL);
    case AC_PB_BYTES: return typed(B, src, AC_OT_STRING, "byte");
    case AC_PB_ENUM: {
        ac_oas_schema *s = typed(B, src, AC_OT_STRING, NULL);
        const ac_pb_enum *e = f->enum_type;
        if (e && !strcmp(e->full_name, "google.protobuf.NullValue")) return typed(B, src, AC_OT_NULL, NULL);
        if (e && e->nvalues) {
            s->has_enum = true;
            s->enums.v = ac_arena_alloc(B->a, e->nvalues * sizeof *s->enums.v);
            for (size_t i = 0; i < e->nvalues; i++) {
                bool dup = false;
                for (uint32_t k = 0; k < s->enums.n && !dup; k++) dup = !strcmp(s->enums.v[k] + 1, e->values[i]->name) &&
                                                                        strlen(s->enums.v[k]) == strlen(e->values[i]->name) + 2;
                if (!dup) s->enums.v[s->enums.n++] = ac_arena_printf(B->a, "\"%s\"", e->values[i]->name); /* canonical JSON */
            }
        }
        return s;
    }
    default: return new_schema(B, src);
    }
}

/* s as the canonical JSON text of a string (what an enum value of the IR is): quotes, backslashes
 * and control characters escaped. */
static const char *json_string(ac_arena *a, const char *s)
{
    cJSON *j = cJSON_CreateString(s);
    char *t = j ? cJSON_PrintUnformatted(j) : NULL;
    if (!t) abort(); /* out of memory */
    const char *r = ac_arena_strdup(a, t);
    cJSON_free(t);
    cJSON_Delete(j);
    return r;
}

/* What protovalidate's rules say about the values of a (non-repeated) field's schema. */
static void apply_validate(const ac_pb_validate *v, ac_oas_schema *s, ac_arena *a)
{
    if (!v) return;
    if (v->min_len >= 0) s->min_len = v->min_len;
    if (v->max_len >= 0) s->max_len = v->max_len;
    if (v->pattern) s->pattern = v->pattern;
    if (v->has_gt) s->min = (ac_oas_bound){true, true, v->gt, NULL};
    if (v->has_gte) s->min = (ac_oas_bound){true, false, v->gte, NULL};
    if (v->has_lt) s->max = (ac_oas_bound){true, true, v->lt, NULL};
    if (v->has_lte) s->max = (ac_oas_bound){true, false, v->lte, NULL};
    if (v->has_in && v->nin && (s->types & AC_OT_STRING) && !s->has_enum) {
        s->has_enum = true;
        s->enums.v = ac_arena_alloc(a, v->nin * sizeof *s->enums.v);
        for (uint32_t i = 0; i < v->nin; i++) s->enums.v[s->enums.n++] = json_string(a, v->in[i]);
    }
}

static ac_oas_schema *value_schema(builder *B, ac_pb_field *f, ac_src src)
{
    ac_oas_schema *s;
    if (f->msg_type) {
        s = wkt_schema(B, f->msg_type, src);
        if (!s) return message_schema(B, f->msg_type);
    } else {
        s = scalar_schema(B, f, src);
    }
    if (f->cardinality != AC_CARD_REPEATED) apply_validate(f->validate, s, B->a);
    return s;
}

/* The schema of a field as a property: maps as objects, repeated fields as arrays. */
static ac_oas_schema *field_schema(builder *B, ac_pb_field *f)
{
    ac_src src = src_of(B, f->file, f->path, NULL, 0);
    if (f->cardinality == AC_CARD_MAP && f->msg_type && f->msg_type->nfields == 2) {
        ac_oas_schema *s = typed(B, src, AC_OT_OBJECT, NULL);
        ac_pb_field *val = f->msg_type->fields[0]->number == 2 ? f->msg_type->fields[0] : f->msg_type->fields[1];
        s->addl = 3;
        s->addl_schema = value_schema(B, val, src);
        return s;
    }
    if (f->cardinality == AC_CARD_REPEATED) {
        ac_oas_schema *s = typed(B, src, AC_OT_ARRAY, NULL);
        s->items = value_schema(B, f, src);
        if (f->validate) {
            if (f->validate->min_items >= 0) s->min_items = f->validate->min_items;
            if (f->validate->max_items >= 0) s->max_items = f->validate->max_items;
        }
        return s;
    }
    return value_schema(B, f, src);
}

/* A property's schema carries the field's own attributes: a shared component does not, so a
 * readOnly or deprecated message field gets a wrapper of its own. */
static ac_oas_schema *property_schema(builder *B, ac_pb_field *f)
{
    ac_oas_schema *s = field_schema(B, f);
    bool ro = f->behavior & AC_FB_OUTPUT_ONLY, wo = f->behavior & AC_FB_INPUT_ONLY;
    if (!ro && !wo && !f->deprecated) return s;
    if (s->name) { /* a component: wrap it in an allOf of one */
        ac_oas_schema *w = new_schema(B, src_of(B, f->file, f->path, NULL, 0));
        w->nall_of = 1;
        w->all_of = ac_arena_alloc(B->a, sizeof *w->all_of);
        w->all_of[0] = s;
        w->all_of_src = ac_arena_alloc(B->a, sizeof *w->all_of_src);
        w->all_of_src[0] = w->src;
        w->all_of_digest = ac_arena_alloc(B->a, sizeof *w->all_of_digest);
        w->all_of_digest[0] = (uint64_t)s->id + 1;
        s = w;
    }
    s->read_only = ro;
    s->write_only = wo;
    s->deprecated = f->deprecated;
    return s;
}

static ac_oas_schema *message_schema(builder *B, ac_pb_msg *m)
{
    ac_oas_schema *s = ac_strmap_get(&B->schemas, m->full_name);
    if (s) return s;
    s = wkt_schema(B, m, src_of(B, m->file, m->path, NULL, 0));
    if (s) return s;
    if (B->depth >= MAX_SCHEMA_DEPTH) return new_schema(B, src_of(B, m->file, m->path, NULL, 0)); /* any value */
    s = typed(B, src_of(B, m->file, m->path, NULL, 0), AC_OT_OBJECT, NULL);
    s->name = m->full_name;
    s->ref = ac_arena_printf(B->a, "#/components/schemas/%s", m->full_name);
    s->deprecated = m->deprecated;
    ac_strmap_add(&B->schemas, m->full_name, s); /* before the fields: messages recurse */
    if (B->nnamed == B->cnamed) {
        B->cnamed = B->cnamed ? B->cnamed * 2 : 64;
        B->named = ac_xrealloc(B->named, B->cnamed * sizeof *B->named);
    }
    B->named[B->nnamed++] = (ac_oas_named){m->full_name, s, s->src};
    s->props = ac_arena_alloc(B->a, (m->nfields ? m->nfields : 1) * sizeof *s->props);
    const char **req = ac_arena_alloc(B->a, (m->nfields ? m->nfields : 1) * sizeof *req);
    B->depth++;
    for (size_t i = 0; i < m->nfields; i++) {
        ac_pb_field *f = m->fields[i];
        s->props[s->nprops++] = (ac_oas_named){f->json_name, property_schema(B, f), src_of(B, f->file, f->path, NULL, 0)};
        /* AIP-203: REQUIRED is what a request must set; it promises nothing about responses, and the
         * component serves both, so it is not `required` here (query parameters keep it) */
        (void)req;
    }
    B->depth--;
    s->required.v = req;
    return s;
}

/* ---- path templates --------------------------------------------------------------------------- */

typedef struct tvar {
    const char *field;   /* the request field path it binds ("book.name") */
    const char *pattern; /* its segments ("shelves/ *" without the space), "*" when not written */
} tvar;

/* Parses a path template into its match form (literal segments, `*`, `**`, then `:verb`, variable
 * names dropped) and its variables.  Returns false when the template is malformed. */
static bool parse_template(ac_arena *a, const char *t, char **match, tvar **vars, uint32_t *nvars)
{
    size_t n = strlen(t);
    if (n == 0 || n > MAX_TEMPLATE || t[0] != '/') return false;
    char *m = ac_arena_alloc(a, 2 * n + 8);
    size_t w = 0;
    *vars = ac_arena_alloc(a, (n / 2 + 1) * sizeof **vars);
    *nvars = 0;
    const char *p = t;
    /* the verb: a ':' after the last '/' and outside braces */
    const char *verb = NULL;
    int depth = 0;
    for (const char *q = t; *q; q++) {
        if (*q == '{') depth++;
        else if (*q == '}') depth--;
        else if (*q == '/' && !depth) verb = NULL;
        else if (*q == ':' && !depth && !verb) verb = q;
    }
    const char *end = verb ? verb : t + n;
    while (p < end) {
        if (*p == '{') {
            const char *close = memchr(p, '}', (size_t)(end - p));
            if (!close) return false;
            const char *eq = memchr(p, '=', (size_t)(close - p));
            const char *name_end = eq ? eq : close;
            tvar *v = &(*vars)[(*nvars)++];
            v->field = ac_arena_strndup(a, p + 1, (size_t)(name_end - p - 1));
            v->pattern = eq ? ac_arena_strndup(a, eq + 1, (size_t)(close - eq - 1)) : "*";
            if (!*v->field || !*v->pattern) return false;
            size_t pl = strlen(v->pattern);
            memcpy(m + w, v->pattern, pl);
            w += pl;
            p = close + 1;
        } else {
            m[w++] = *p++;
        }
    }
    if (verb) {
        size_t vl = strlen(verb);
        memcpy(m + w, verb, vl);
        w += vl;
    }
    m[w] = 0;
    *match = m;
    return true;
}

/* A regular expression for a variable's segments (for the path parameter's pattern), or NULL for a
 * plain `*`. */
static const char *pattern_regex(ac_arena *a, const char *pattern)
{
    if (!strcmp(pattern, "*")) return NULL;
    size_t n = strlen(pattern);
    char *r = ac_arena_alloc(a, 8 * n + 4);
    size_t w = 0;
    r[w++] = '^';
    for (const char *p = pattern; *p;) {
        if (p[0] == '*' && p[1] == '*') {
            memcpy(r + w, ".+", 2), w += 2, p += 2;
        } else if (*p == '*') {
            memcpy(r + w, "[^/]+", 5), w += 5, p++;
        } else {
            if (strchr(".+?()[]{}|^$\\", *p)) r[w++] = '\\';
            r[w++] = *p++;
        }
    }
    r[w++] = '$';
    r[w] = 0;
    return r;
}

/* ---- operations --------------------------------------------------------------------------------- */

/* The field at a dotted path of proto names from m, or NULL. */
static ac_pb_field *field_at(ac_pb_msg *m, const char *path)
{
    ac_pb_field *f = NULL;
    for (const char *p = path; m && *p;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        f = NULL;
        for (size_t i = 0; i < m->nfields && !f; i++)
            if (strlen(m->fields[i]->name) == len && !strncmp(m->fields[i]->name, p, len)) f = m->fields[i];
        if (!f) return NULL;
        p += len + (dot ? 1 : 0);
        if (*p) m = f->msg_type;
        if (!dot) break;
    }
    return f;
}

/* The JSON name of a dotted proto path ("book.display_name" -> "book.displayName"). */
static const char *json_path(ac_arena *a, ac_pb_msg *m, const char *path)
{
    const char *out = "";
    for (const char *p = path; *p;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        char part[256];
        snprintf(part, sizeof part, "%.*s", (int)len, p);
        ac_pb_field *f = m ? field_at(m, part) : NULL;
        const char *name = f ? f->json_name : part;
        out = *out ? ac_arena_printf(a, "%s.%s", out, name) : name;
        m = f ? f->msg_type : NULL;
        p += len + (dot ? 1 : 0);
    }
    return out;
}

typedef struct params {
    ac_oas_param *v;
    uint32_t n, cap;
} params;

static ac_oas_param *param_add(params *ps)
{
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 8;
        ps->v = ac_xrealloc(ps->v, ps->cap * sizeof *ps->v);
    }
    ac_oas_param *p = &ps->v[ps->n++];
    memset(p, 0, sizeof *p);
    p->explode = -1;
    return p;
}

static bool bound(const tvar *vars, uint32_t nvars, const char *path)
{
    for (uint32_t i = 0; i < nvars; i++)
        if (!strcmp(vars[i].field, path)) return true;
    return false;
}

/* The query parameters of m's fields not bound by the path: scalars, repeated scalars, and the
 * leaves of singular messages (a.b.c); maps and repeated messages cannot be sent in a query. */
static void query_params(builder *B, params *ps, ac_pb_msg *m, const char *proto_prefix, const char *json_prefix,
                         const tvar *vars, uint32_t nvars, ac_src src, int depth, ac_pb_msg **stack)
{
    if (depth >= MAX_QUERY_DEPTH) return;
    for (size_t i = 0; i < m->nfields && ps->n < MAX_QUERY_PARAMS; i++) {
        ac_pb_field *f = m->fields[i];
        const char *proto = *proto_prefix ? ac_arena_printf(B->a, "%s.%s", proto_prefix, f->name) : f->name;
        const char *json = *json_prefix ? ac_arena_printf(B->a, "%s.%s", json_prefix, f->json_name) : f->json_name;
        if (bound(vars, nvars, proto) || (f->behavior & AC_FB_OUTPUT_ONLY)) continue;
        if (f->cardinality == AC_CARD_MAP) continue;
        ac_pb_msg *sub = f->msg_type;
        ac_oas_schema *wkt = sub ? wkt_schema(B, sub, src) : NULL;
        if (sub && !wkt) {
            if (f->cardinality == AC_CARD_REPEATED) continue;
            bool cycle = false;
            for (int k = 0; k < depth && !cycle; k++) cycle = stack[k] == sub;
            if (cycle) continue;
            stack[depth] = sub;
            query_params(B, ps, sub, proto, json, vars, nvars, src, depth + 1, stack);
            continue;
        }
        if (wkt && !(wkt->types & (AC_OT_STRING | AC_OT_NUMBER | AC_OT_INTEGER | AC_OT_BOOLEAN))) continue;
        ac_oas_param *p = param_add(ps);
        p->name = json;
        p->in = "query";
        p->key = ac_arena_printf(B->a, "query:%s", json);
        p->required = (f->behavior & AC_FB_REQUIRED) != 0;
        p->deprecated = f->deprecated;
        p->schema = field_schema(B, f);
        if (f->cardinality == AC_CARD_REPEATED) p->explode = 1;
        p->src = src;
    }
}

static ac_oas_op *op_add(builder *B)
{
    if (B->nops == B->cops) {
        B->cops = B->cops ? B->cops * 2 : 64;
        B->ops = ac_xrealloc(B->ops, B->cops * sizeof *B->ops);
    }
    ac_oas_op *op = &B->ops[B->nops++];
    memset(op, 0, sizeof *op);
    op->parent = -1;
    return op;
}

/* The request body schema for body "*": the request message without the fields the path binds. */
static ac_oas_schema *star_body(builder *B, ac_pb_msg *in, const tvar *vars, uint32_t nvars, ac_src src)
{
    ac_oas_schema *whole = message_schema(B, in);
    bool any = false;
    for (uint32_t i = 0; i < nvars && !any; i++) any = !strchr(vars[i].field, '.') && field_at(in, vars[i].field);
    if (!any || whole->types != AC_OT_OBJECT || !whole->name) return whole;
    ac_oas_schema *s = typed(B, src, AC_OT_OBJECT, NULL);
    s->props = ac_arena_alloc(B->a, (whole->nprops ? whole->nprops : 1) * sizeof *s->props);
    s->required.v = ac_arena_alloc(B->a, (whole->nprops ? whole->nprops : 1) * sizeof *s->required.v);
    for (size_t i = 0; i < in->nfields; i++) {
        if (bound(vars, nvars, in->fields[i]->name)) continue;
        s->props[s->nprops++] = whole->props[i];
        for (uint32_t k = 0; k < whole->required.n; k++)
            if (!strcmp(whole->required.v[k], whole->props[i].name)) s->required.v[s->required.n++] = whole->props[i].name;
    }
    return s;
}

static void add_binding(builder *B, ac_pb_method *m, const ac_pb_http *h, ac_pb_msg *in, ac_pb_msg *out)
{
    char *match;
    tvar *vars;
    uint32_t nvars;
    if (!h->path || !parse_template(B->a, h->path, &match, &vars, &nvars)) return;
    ac_pb_file *f = m->service->file;
    int32_t suf[3] = {METHOD_OPTIONS, EXT_HTTP, HTTP_ADDITIONAL};
    rest_src *src = src_of(B, f, m->path, suf, h->index ? 3 : 2);
    char verb[32];
    size_t vl = 0;
    for (const char *p = h->verb; *p && vl < sizeof verb - 1; p++) verb[vl++] = (char)tolower((unsigned char)*p);
    verb[vl] = 0;
    char upper[32];
    for (size_t i = 0; i <= vl; i++) upper[i] = (char)toupper((unsigned char)verb[i]);

    ac_oas_op *op = op_add(B);
    op->method = ac_arena_strdup(B->a, verb);
    op->path = h->path;
    op->key = ac_arena_printf(B->a, "%s %s", upper, match);
    op->label = ac_arena_printf(B->a, "%s %s", upper, h->path);
    op->operation_id = h->index ? ac_arena_printf(B->a, "%s_%s%u", m->service->name, m->name, h->index + 1)
                                : ac_arena_printf(B->a, "%s_%s", m->service->name, m->name);
    op->tags.v = ac_arena_alloc(B->a, sizeof *op->tags.v);
    op->tags.v[op->tags.n++] = m->service->name;
    op->scope = m->service->default_host && *m->service->default_host ? m->service->default_host : NULL;
    op->deprecated = m->deprecated || m->service->deprecated;
    op->src = op->path_src = op->path_key = src;
    op->body_src = src;

    params ps = {0};
    for (uint32_t i = 0; i < nvars; i++) {
        ac_oas_param *p = param_add(&ps);
        p->name = in ? json_path(B->a, in, vars[i].field) : vars[i].field;
        p->in = "path";
        p->key = ac_arena_printf(B->a, "path:#%u", i);
        p->required = true;
        ac_oas_schema *s = typed(B, src, AC_OT_STRING, NULL);
        ac_pb_field *bf = in ? field_at(in, vars[i].field) : NULL;
        if (bf && !bf->msg_type) {
            s = scalar_schema(B, bf, src);
            apply_validate(bf->validate, s, B->a);
        }
        const char *re = pattern_regex(B->a, vars[i].pattern);
        if (re) s->pattern = re;
        p->schema = s;
        p->src = src;
    }
    const char *body = h->body ? h->body : "";
    if (in && strcmp(body, "*")) {
        ac_pb_msg *stack[MAX_QUERY_DEPTH];
        /* with body "field", that field is not in the query either */
        tvar *all = vars;
        uint32_t nall = nvars;
        if (*body) {
            all = ac_arena_alloc(B->a, (nvars + 1) * sizeof *all);
            memcpy(all, vars, nvars * sizeof *all);
            all[nall++] = (tvar){body, "*"};
        }
        query_params(B, &ps, in, "", "", all, nall, src, 0, stack);
    }
    op->params = ac_arena_memdup(B->a, ps.v ? (void *)ps.v : "", ps.n * sizeof *ps.v);
    op->nparams = ps.n;
    free(ps.v);

    if (*body && in) {
        ac_oas_schema *bs = NULL;
        if (!strcmp(body, "*")) {
            bs = star_body(B, in, vars, nvars, src);
        } else {
            ac_pb_field *bf = field_at(in, body);
            if (bf) bs = field_schema(B, bf);
        }
        if (bs) {
            op->has_body = true;
            op->body_required = true;
            op->nbody = 1;
            op->body = ac_arena_alloc(B->a, sizeof *op->body);
            op->body[0] = (ac_oas_media){"application/json", bs, src};
        }
    }
    ac_oas_schema *rs = NULL;
    if (out) {
        if (h->response_body && *h->response_body) {
            ac_pb_field *rf = field_at(out, h->response_body);
            if (rf) rs = field_schema(B, rf);
        } else {
            rs = message_schema(B, out);
        }
    }
    op->nresponses = 1;
    op->responses = ac_arena_alloc(B->a, sizeof *op->responses);
    ac_oas_response *r = &op->responses[0];
    r->code = "200";
    r->src = r->resolved = src;
    if (rs) {
        r->nmedia = 1;
        r->media = ac_arena_alloc(B->a, sizeof *r->media);
        r->media[0] = (ac_oas_media){"application/json", rs, src};
    }
}

const char *ac_proto_http_match(ac_arena *a, const char *path)
{
    char *match;
    tvar *vars;
    uint32_t nvars;
    return path && parse_template(a, path, &match, &vars, &nvars) ? match : NULL;
}

/* The host of an operation goes into its label where another host serves the same template (a
 * tree of several APIs): "GET /v1/{name=operations/ *} on speech.googleapis.com". */
static void name_hosts(builder *B)
{
    ac_strmap first; /* what a template matches -> the first operation on it */
    ac_strmap_init(&first);
    uint8_t *shared = ac_xcalloc(B->nops ? B->nops : 1, 1);
    for (uint32_t i = 0; i < B->nops; i++) {
        const char *match = strchr(B->ops[i].key, ' ') + 1;
        bool inserted;
        void **slot = ac_strmap_slot_of(&first, match, strlen(match), &inserted);
        if (inserted) {
            *slot = (void *)(uintptr_t)(i + 1);
            continue;
        }
        uint32_t k = (uint32_t)(uintptr_t)*slot - 1;
        const char *h1 = B->ops[k].scope, *h2 = B->ops[i].scope;
        if (h1 != h2 && (!h1 || !h2 || strcmp(h1, h2))) shared[k] = 1; /* the template's first operation marks it */
    }
    for (uint32_t i = 0; i < B->nops; i++) {
        const char *match = strchr(B->ops[i].key, ' ') + 1;
        uint32_t k = (uint32_t)(uintptr_t)ac_strmap_get(&first, match) - 1;
        if (shared[k] && k != i) shared[i] = 1;
    }
    for (uint32_t i = 0; i < B->nops; i++)
        if (shared[i])
            B->ops[i].label = ac_arena_printf(B->a, "%s on %s", B->ops[i].label, B->ops[i].scope ? B->ops[i].scope : "(no default_host)");
    free(shared);
    ac_strmap_free(&first);
}

static int cmp_named(const void *a, const void *b)
{
    return strcmp(((const ac_oas_named *)a)->name, ((const ac_oas_named *)b)->name);
}

int ac_proto_rest_surface(ac_contract **out, ac_contract *pb, ac_status *st)
{
    (void)st;
    builder B;
    memset(&B, 0, sizeof B);
    B.pb = pb;
    B.c = ac_contract_new(AC_FMT_OPENAPI, pb->source);
    B.a = B.c->arena;
    B.c->oas = ac_arena_alloc(B.a, sizeof *B.c->oas);
    B.c->oas->version = 31;
    B.c->oas->dialect = AC_JS_2020;
    B.c->locate = rest_locate;
    B.c->inline_ignore = rest_inline;
    B.c->loader_state = pb; /* not owned: the protobuf contract outlives its surface */
    ac_pb_file *first = NULL;
    for (size_t i = 0; i < pb->nfiles && !first; i++)
        if (!pb->files[i]->is_import) first = pb->files[i];
    B.c->oas->root = src_of(&B, first, (ac_path){NULL, 0}, NULL, 0);
    ac_strmap_init(&B.schemas);
    for (size_t i = 0; i < pb->nfiles; i++) {
        ac_pb_file *f = pb->files[i];
        if (f->is_import) continue;
        for (size_t j = 0; j < f->nservices; j++)
            for (size_t k = 0; k < f->services[j]->nmethods; k++) {
                ac_pb_method *m = f->services[j]->methods[k];
                if (!m->nhttp || m->client_streaming) continue; /* transcoders serve unary and server-streaming RPCs */
                ac_pb_msg *in = ac_strmap_get(&pb->msg_by_name, m->input_type);
                ac_pb_msg *o = ac_strmap_get(&pb->msg_by_name, m->output_type);
                for (uint32_t b = 0; b < m->nhttp; b++) add_binding(&B, m, &m->http[b], in, o);
            }
    }
    name_hosts(&B);
    ac_oas *oas = B.c->oas;
    oas->ops = ac_arena_memdup(B.a, B.ops ? (void *)B.ops : "", B.nops * sizeof *B.ops);
    oas->nops = B.nops;
    if (B.nnamed) qsort(B.named, B.nnamed, sizeof *B.named, cmp_named);
    oas->schemas = ac_arena_memdup(B.a, B.named ? (void *)B.named : "", B.nnamed * sizeof *B.named);
    oas->nschemas = B.nnamed;
    free(B.ops);
    free(B.named);
    ac_strmap_free(&B.schemas);
    *out = B.c;
    return AC_OK;
}

uint32_t ac_proto_rest_bindings(const ac_contract *pb)
{
    uint32_t n = 0;
    for (size_t i = 0; i < pb->nfiles; i++) {
        const ac_pb_file *f = pb->files[i];
        if (f->is_import) continue;
        for (size_t j = 0; j < f->nservices; j++)
            for (size_t k = 0; k < f->services[j]->nmethods; k++) n += f->services[j]->methods[k]->nhttp;
    }
    return n;
}
