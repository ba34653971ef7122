/* An OpenAPI 3.1 document (JSON) from the IR: what `apicompat rest --format openapi` prints for the
 * REST surface derived from a protobuf contract.  Named schemas are components, used by $ref. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "compat/base/limits.h"
#include "openapi/oas.h"

#define MAX_WRITE_DEPTH 64 /* inline schemas (components are written by $ref) */

static void add_types(cJSON *j, const ac_oas_schema *s)
{
    static const struct {
        int bit;
        const char *name;
    } names[] = {{AC_OT_OBJECT, "object"}, {AC_OT_ARRAY, "array"},     {AC_OT_STRING, "string"}, {AC_OT_INTEGER, "integer"},
                 {AC_OT_NUMBER, "number"}, {AC_OT_BOOLEAN, "boolean"}, {AC_OT_NULL, "null"}};
    uint8_t t = s->types | (s->nullable ? AC_OT_NULL : 0);
    int n = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) n += (t & names[i].bit) != 0;
    if (!s->typed || !n) return;
    if (n == 1) {
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            if (t & names[i].bit) cJSON_AddStringToObject(j, "type", names[i].name);
        return;
    }
    cJSON *a = cJSON_AddArrayToObject(j, "type");
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (t & names[i].bit) cJSON_AddItemToArray(a, cJSON_CreateString(names[i].name));
}

static cJSON *schema_json(const ac_oas_schema *s, bool top, int depth);

static cJSON *ref_or_inline(const ac_oas_schema *s, int depth)
{
    if (s->name) {
        cJSON *j = cJSON_CreateObject();
        char ref[1024];
        snprintf(ref, sizeof ref, "#/components/schemas/%s", s->name);
        cJSON_AddStringToObject(j, "$ref", ref);
        return j;
    }
    return schema_json(s, false, depth + 1);
}

static void add_bound(cJSON *j, const ac_oas_bound *b, const char *incl, const char *excl)
{
    if (b->set) cJSON_AddNumberToObject(j, b->exclusive ? excl : incl, b->v);
}

static cJSON *schema_json(const ac_oas_schema *s, bool top, int depth)
{
    (void)top;
    cJSON *j = cJSON_CreateObject();
    if (depth > MAX_WRITE_DEPTH) return j;
    add_types(j, s);
    if (s->format) cJSON_AddStringToObject(j, "format", s->format);
    if (s->has_enum) {
        cJSON *e = cJSON_AddArrayToObject(j, "enum");
        for (uint32_t i = 0; i < s->enums.n; i++) {
            cJSON *v = cJSON_Parse(s->enums.v[i]);
            cJSON_AddItemToArray(e, v ? v : cJSON_CreateString(s->enums.v[i]));
        }
    }
    if (s->min_len >= 0) cJSON_AddNumberToObject(j, "minLength", (double)s->min_len);
    if (s->max_len >= 0) cJSON_AddNumberToObject(j, "maxLength", (double)s->max_len);
    if (s->pattern) cJSON_AddStringToObject(j, "pattern", s->pattern);
    add_bound(j, &s->min, "minimum", "exclusiveMinimum");
    add_bound(j, &s->max, "maximum", "exclusiveMaximum");
    if (s->min_items >= 0) cJSON_AddNumberToObject(j, "minItems", (double)s->min_items);
    if (s->max_items >= 0) cJSON_AddNumberToObject(j, "maxItems", (double)s->max_items);
    if (s->items) cJSON_AddItemToObject(j, "items", ref_or_inline(s->items, depth));
    if (s->nprops) {
        cJSON *p = cJSON_AddObjectToObject(j, "properties");
        for (uint32_t i = 0; i < s->nprops; i++)
            if (!cJSON_GetObjectItemCaseSensitive(p, s->props[i].name))
                cJSON_AddItemToObject(p, s->props[i].name, ref_or_inline(s->props[i].schema, depth));
    }
    if (s->required.n) {
        cJSON *r = cJSON_AddArrayToObject(j, "required");
        for (uint32_t i = 0; i < s->required.n; i++) cJSON_AddItemToArray(r, cJSON_CreateString(s->required.v[i]));
    }
    if (s->addl == 3 && s->addl_schema) cJSON_AddItemToObject(j, "additionalProperties", ref_or_inline(s->addl_schema, depth));
    if (s->nall_of) {
        cJSON *a = cJSON_AddArrayToObject(j, "allOf");
        for (uint32_t i = 0; i < s->nall_of; i++) cJSON_AddItemToArray(a, ref_or_inline(s->all_of[i], depth));
    }
    if (s->read_only) cJSON_AddBoolToObject(j, "readOnly", true);
    if (s->write_only) cJSON_AddBoolToObject(j, "writeOnly", true);
    if (s->deprecated) cJSON_AddBoolToObject(j, "deprecated", true);
    return j;
}

static cJSON *operation_json(const ac_oas_op *op)
{
    cJSON *j = cJSON_CreateObject();
    if (op->operation_id) cJSON_AddStringToObject(j, "operationId", op->operation_id);
    if (op->scope) { /* a derived operation's google.api.default_host */
        cJSON *srv = cJSON_CreateObject();
        char url[1100];
        snprintf(url, sizeof url, "https://%.1024s", op->scope);
        cJSON_AddStringToObject(srv, "url", url);
        cJSON_AddItemToArray(cJSON_AddArrayToObject(j, "servers"), srv);
    }
    if (op->tags.n) {
        cJSON *t = cJSON_AddArrayToObject(j, "tags");
        for (uint32_t i = 0; i < op->tags.n; i++) cJSON_AddItemToArray(t, cJSON_CreateString(op->tags.v[i]));
    }
    if (op->deprecated) cJSON_AddBoolToObject(j, "deprecated", true);
    if (op->nparams) {
        cJSON *ps = cJSON_AddArrayToObject(j, "parameters");
        for (uint32_t i = 0; i < op->nparams; i++) {
            const ac_oas_param *p = &op->params[i];
            cJSON *pj = cJSON_CreateObject();
            cJSON_AddStringToObject(pj, "name", p->name);
            cJSON_AddStringToObject(pj, "in", p->in);
            if (p->required) cJSON_AddBoolToObject(pj, "required", true);
            if (p->deprecated) cJSON_AddBoolToObject(pj, "deprecated", true);
            if (p->explode >= 0) cJSON_AddBoolToObject(pj, "explode", p->explode != 0);
            if (p->schema) cJSON_AddItemToObject(pj, "schema", ref_or_inline(p->schema, 0));
            cJSON_AddItemToArray(ps, pj);
        }
    }
    if (op->has_body && op->nbody) {
        cJSON *rb = cJSON_AddObjectToObject(j, "requestBody");
        if (op->body_required) cJSON_AddBoolToObject(rb, "required", true);
        cJSON *c = cJSON_AddObjectToObject(rb, "content");
        for (uint32_t i = 0; i < op->nbody; i++) {
            cJSON *m = cJSON_AddObjectToObject(c, op->body[i].type);
            if (op->body[i].schema) cJSON_AddItemToObject(m, "schema", ref_or_inline(op->body[i].schema, 0));
        }
    }
    cJSON *rs = cJSON_AddObjectToObject(j, "responses");
    for (uint32_t i = 0; i < op->nresponses; i++) {
        const ac_oas_response *r = &op->responses[i];
        cJSON *rj = cJSON_AddObjectToObject(rs, r->code);
        cJSON_AddStringToObject(rj, "description", !strcmp(r->code, "200") ? "OK" : r->code);
        if (r->nmedia) {
            cJSON *c = cJSON_AddObjectToObject(rj, "content");
            for (uint32_t k = 0; k < r->nmedia; k++) {
                cJSON *m = cJSON_AddObjectToObject(c, r->media[k].type);
                if (r->media[k].schema) cJSON_AddItemToObject(m, "schema", ref_or_inline(r->media[k].schema, 0));
            }
        }
    }
    return j;
}

static bool openapi_method(const char *m)
{
    static const char *const ok[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (!strcmp(ok[i], m)) return true;
    return false;
}

char *ac_oas_write_json(const ac_oas *oas, const char *title, const char *version)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "openapi", "3.1.0");
    cJSON *info = cJSON_AddObjectToObject(doc, "info");
    cJSON_AddStringToObject(info, "title", title ? title : "");
    cJSON_AddStringToObject(info, "version", version ? version : "");
    cJSON *paths = cJSON_AddObjectToObject(doc, "paths");
    for (uint32_t i = 0; i < oas->nops; i++) {
        const ac_oas_op *op = &oas->ops[i];
        if (!openapi_method(op->method)) continue; /* a custom verb OpenAPI cannot name */
        cJSON *item = cJSON_GetObjectItemCaseSensitive(paths, op->path);
        if (!item) item = cJSON_AddObjectToObject(paths, op->path);
        /* two RPCs on one binding, or two hosts on one template (a tree of several APIs; OpenAPI has one
         * operation per path and method): the first */
        if (cJSON_GetObjectItemCaseSensitive(item, op->method)) continue;
        cJSON_AddItemToObject(item, op->method, operation_json(op));
    }
    if (oas->nschemas) {
        cJSON *schemas = cJSON_AddObjectToObject(cJSON_AddObjectToObject(doc, "components"), "schemas");
        for (uint32_t i = 0; i < oas->nschemas; i++)
            cJSON_AddItemToObject(schemas, oas->schemas[i].name, schema_json(oas->schemas[i].schema, true, 0));
    }
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    return text;
}
