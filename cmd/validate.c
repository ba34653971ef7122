/* apicompat validate CONTRACT INSTANCE: does a payload fit the contract?
 *
 *   --operation OP --request [--media-type T]     the request body of OP
 *   --operation OP --response STATUS [...]        the body of OP's response STATUS
 *   --message                                      INSTANCE is the whole request / response
 *   --schema REF [--direction request|response]   one schema (#/components/schemas/Pet, or Pet)
 *
 * CONTRACT is an OpenAPI document, or a standalone JSON Schema (then INSTANCE is checked against
 * its root, or --schema REF inside it).  Exit 0: valid; 1: invalid, each error on a line with where
 * it is in the instance and in the contract; 2: could not check. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cmd/commands.h"
#include "cmd/pipeline.h"
#include "compat/base/doc.h"
#include "compat/base/escape.h"
#include "compat/base/fs.h"
#include "compat/base/limits.h"
#include "compat/validate/validate.h"
#include "cmd/git.h"
#include "openapi/oas.h"

/* Whether a document is an OpenAPI description (else it is taken as a JSON Schema). */
static int is_openapi(const char *path, bool *out, ac_status *st)
{
    ac_arena *a = ac_arena_new();
    char *text;
    size_t len;
    ac_doc *d;
    int rc = ac_read_file(a, path, &text, &len, AC_LIMIT_OPENAPI_DOC_BYTES, st);
    if (!rc) rc = ac_doc_parse(&d, a, path, text, len, NULL, st);
    if (!rc) *out = d->root->type == AC_DOC_MAP && (ac_doc_get(d->root, "openapi") || ac_doc_get(d->root, "swagger"));
    ac_arena_free(a);
    return rc;
}

static int dialect_number(const char *d)
{
    if (!d) return 0;
    if (!strcmp(d, "4")) return AC_JS_DRAFT4;
    if (!strcmp(d, "6")) return AC_JS_DRAFT6;
    if (!strcmp(d, "7")) return AC_JS_DRAFT7;
    if (!strcmp(d, "2019-09")) return AC_JS_2019;
    return AC_JS_2020;
}

static int load(const options *o, const char *path, ac_arena *a, ac_contract **out, ac_status *st)
{
    bool oas = true;
    if (!ac_git_is_spec(path)) {
        if (!ac_fs_allowed(path)) return ac_fail(st, path, 0, 0, "input " AC_FS_OUTSIDE);
        if (!ac_path_exists(path)) return ac_fail(st, path, 0, 0, "no such file");
        const char *why = ac_file_problem(path);
        if (why) return ac_fail(st, path, 0, 0, "%s", why);
        if (is_openapi(path, &oas, st)) return AC_ERROR;
    }
    if (oas) return ac_load_contract(o, path, a, out, st);
    const char *root = ac_ref_root(o, path);
    ac_oas_opts oo = {.allow_dirs = &root, .nallow_dirs = root != NULL};
    int rc = ac_oas_load_schema(out, path, NULL, 0, dialect_number(o->dialect), &oo, st);
    free((char *)(root != o->ref_root ? root : NULL));
    return rc;
}

static int read_instance(const char *path, ac_arena *a, ac_doc **out, ac_status *st)
{
    char *text;
    size_t len;
    if (!strcmp(path, "-")) {
        size_t cap = 1 << 16;
        len = 0;
        text = ac_xmalloc(cap);
        for (size_t got; (got = fread(text + len, 1, cap - len, stdin)) > 0;) {
            len += got;
            if (len > AC_LIMIT_OPENAPI_DOC_BYTES) {
                free(text);
                return ac_fail(st, "(stdin)", 0, 0, "the instance is larger than %zu bytes", (size_t)AC_LIMIT_OPENAPI_DOC_BYTES);
            }
            if (len == cap) text = ac_xrealloc(text, cap *= 2);
        }
        int rc = ac_doc_parse(out, a, "(stdin)", text, len, NULL, st);
        free(text);
        return rc;
    }
    if (!ac_fs_allowed(path)) return ac_fail(st, path, 0, 0, "instance " AC_FS_OUTSIDE);
    if (!ac_path_exists(path)) return ac_fail(st, path, 0, 0, "no such file");
    const char *why = ac_file_problem(path);
    if (why) return ac_fail(st, path, 0, 0, "%s", why);
    if (ac_read_file(a, path, &text, &len, AC_LIMIT_OPENAPI_DOC_BYTES, st)) return AC_ERROR;
    return ac_doc_parse(out, a, path, text, len, NULL, st);
}

typedef struct target {
    const ac_oas_op *op;
    const ac_oas_schema *schema;
    const char *what; /* for the summary line */
} target;

static int find_target(const options *o, const ac_contract *c, ac_arena *a, target *t, ac_status *st)
{
    memset(t, 0, sizeof *t);
    bool has_op = o->operation != NULL, has_schema = o->schema_ref != NULL;
    if (has_op == has_schema || (has_op && o->request == (o->response_status != NULL)))
        return ac_fail(st, NULL, 0, 0, c->oas && c->oas->version
                                           ? "validate needs --operation OP with --request or --response STATUS, or --schema REF"
                                           : "validate needs --schema REF for a JSON Schema's part (or nothing for its root)");
    if (has_schema) {
        if (o->message) return ac_fail(st, NULL, 0, 0, "--message applies to --operation only");
        t->schema = ac_val_schema_at(c, o->schema_ref);
        if (!t->schema) return ac_fail(st, c->source, 0, 0, "no schema at \"%s\"", o->schema_ref);
        t->what = ac_arena_printf(a, "schema %s", o->schema_ref);
        return AC_OK;
    }
    t->op = ac_val_find_op(c->oas, o->operation);
    if (!t->op) return ac_fail(st, c->source, 0, 0, "no operation \"%s\" (expected \"METHOD /path\" or an operationId)", o->operation);
    if (o->request) {
        t->what = ac_arena_printf(a, "%s request", t->op->label);
        if (o->message) return AC_OK;
        const ac_oas_media *m = ac_val_find_media(t->op->body, t->op->nbody, o->media_type);
        if (!t->op->nbody) return ac_fail(st, c->source, 0, 0, "%s documents no request body", t->op->label);
        if (!m)
            return ac_fail(st, c->source, 0, 0, o->media_type ? "%s documents no request body of media type \"%s\"" :
                                                                  "%s documents several request media types; name one with --media-type",
                           t->op->label, o->media_type);
        t->schema = m->schema;
        t->what = ac_arena_printf(a, "%s request (%s)", t->op->label, m->type);
        return AC_OK;
    }
    const ac_oas_response *r = ac_val_find_response(t->op, o->response_status);
    if (!r) return ac_fail(st, c->source, 0, 0, "%s documents no response for status %s", t->op->label, o->response_status);
    t->what = ac_arena_printf(a, "%s response %s", t->op->label, r->code);
    if (o->message) return AC_OK;
    const ac_oas_media *m = ac_val_find_media(r->media, r->nmedia, o->media_type);
    if (!r->nmedia) return ac_fail(st, c->source, 0, 0, "%s response %s documents no body", t->op->label, r->code);
    if (!m)
        return ac_fail(st, c->source, 0, 0, o->media_type ? "%s response %s documents no media type \"%s\"" :
                                                              "%s response %s documents several media types; name one with --media-type",
                       t->op->label, r->code, o->media_type);
    t->schema = m->schema;
    t->what = ac_arena_printf(a, "%s response %s (%s)", t->op->label, r->code, m->type);
    return AC_OK;
}

static void print_text(const char *inst_path, const ac_contract *c, const target *t, int rc, const ac_val_result *res)
{
    if (rc == AC_OK) {
        printf("%s: valid against ", inst_path);
        ac_esc_line(stdout, t->what);
        printf("\n");
        return;
    }
    for (size_t i = 0; i < res->n; i++) {
        const ac_val_error *e = &res->v[i];
        char line[2048];
        if (e->at && e->at->line) snprintf(line, sizeof line, "%s:%u:%u: ", inst_path, e->at->line, e->at->col);
        else snprintf(line, sizeof line, "%s: ", inst_path);
        ac_esc_line(stdout, line);
        char msg[2048];
        ac_esc_line(stdout, ac_val_error_text(e, msg, sizeof msg));
        ac_loc loc = {0};
        if (e->schema_src && c->locate) c->locate(c, e->schema_src, e->keyword, &loc);
        if (loc.line || e->schema) {
            printf(" [");
            if (loc.line) {
                snprintf(line, sizeof line, "%s:%u:%u", loc.path, loc.line, loc.col);
                ac_esc_line(stdout, line);
            }
            if (e->schema) {
                printf("%s#", loc.line ? " " : "");
                ac_esc_line(stdout, e->schema);
            }
            printf("]");
        }
        printf("\n");
    }
    printf("%s: invalid against ", inst_path);
    ac_esc_line(stdout, t->what);
    printf(": %zu error%s%s\n", res->n, res->n == 1 ? "" : "s", res->truncated ? " (more not shown)" : "");
}

static cJSON *result_json(const char *inst_path, const ac_contract *c, const target *t, int rc, const ac_val_result *res)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "instance", inst_path);
    cJSON_AddStringToObject(j, "against", t->what);
    cJSON_AddBoolToObject(j, "valid", rc == AC_OK);
    cJSON *errs = cJSON_AddArrayToObject(j, "errors");
    for (size_t i = 0; rc != AC_OK && i < res->n; i++) {
        const ac_val_error *e = &res->v[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "instance_path", e->instance);
        if (e->at && e->at->line) {
            cJSON_AddNumberToObject(x, "line", e->at->line);
            cJSON_AddNumberToObject(x, "column", e->at->col);
        }
        if (e->keyword) cJSON_AddStringToObject(x, "keyword", e->keyword);
        cJSON_AddStringToObject(x, "reason", e->reason);
        if (e->schema) cJSON_AddStringToObject(x, "schema_path", e->schema);
        ac_loc loc = {0};
        if (e->schema_src && c->locate) c->locate(c, e->schema_src, e->keyword, &loc);
        if (loc.line) {
            cJSON *l = cJSON_AddObjectToObject(x, "schema_location");
            cJSON_AddStringToObject(l, "file", loc.path);
            cJSON_AddNumberToObject(l, "line", loc.line);
            cJSON_AddNumberToObject(l, "column", loc.col);
        }
        cJSON_AddItemToArray(errs, x);
    }
    cJSON_AddBoolToObject(j, "truncated", res->truncated);
    return j;
}

static void print_json(cJSON *j)
{
    char *s = cJSON_Print(j);
    if (!s) ac_oom();
    ac_esc_json_write(stdout, s);
    fputc('\n', stdout);
    free(s);
}

/* One instance: parsed, validated, its result printed (text) or added to all (json). */
static int validate_one(const options *o, const ac_contract *c, const target *t, ac_validator *v, const char *path, cJSON *all,
                        ac_status *st)
{
    ac_arena *a = ac_arena_new();
    ac_doc *inst = NULL;
    ac_val_result res;
    memset(&res, 0, sizeof res);
    int rc = read_instance(path, a, &inst, st);
    if (rc) {
        ac_arena_free(a);
        return AC_ERROR;
    }
    if (t->op && o->message && o->request) {
        rc = ac_validate_request(v, t->op, o->media_type, inst->root, &res, st);
    } else if (t->op && o->message) {
        const ac_doc_node *r = inst->root;
        if (r->type != AC_DOC_MAP) rc = ac_fail(st, inst->path, r->line, r->col, "a response must be a map of headers and body");
        else rc = ac_validate_response(v, t->op, o->response_status, o->media_type, ac_doc_get(r, "headers"), ac_doc_get(r, "body"), &res, st);
    } else if (t->schema) {
        rc = ac_validate(v, t->schema, inst->root, &res, st);
    } /* else a body without a schema: anything is valid */
    const char *shown = !strcmp(path, "-") ? "(stdin)" : path;
    if (rc != AC_ERROR) {
        if (all) cJSON_AddItemToArray(all, result_json(shown, c, t, rc, &res));
        else print_text(shown, c, t, rc, &res);
    }
    ac_val_result_free(&res);
    ac_arena_free(a);
    return rc;
}

int ac_cmd_validate(options *o, ac_status *st)
{
    if (o->npositional < 2) return ac_fail(st, NULL, 0, 0, "validate needs a contract and an instance: CONTRACT INSTANCE...");
    if (o->format != FMT_TEXT && o->format != FMT_JSON) return ac_fail(st, NULL, 0, 0, "validate writes text or json only");
    for (size_t i = 0; i < o->npositional; i++)
        if (strcmp(o->positional[i], "-")) ac_allow_user_paths(o, (const char *const *)o->positional + i, 1);
    ac_arena *a = ac_arena_new();
    ac_contract *c = NULL;
    target t;
    int rc = load(o, o->positional[0], a, &c, st);
    if (!rc && !c->oas) rc = ac_fail(st, o->positional[0], 0, 0, "validate needs an OpenAPI document or a JSON Schema");
    if (!rc && c->oas->version == 0 && !o->schema_ref && !o->operation) t = (target){NULL, c->oas->schemas[0].schema, "the schema"};
    else if (!rc) rc = find_target(o, c, a, &t, st);
    if (rc) {
        ac_contract_free(c);
        ac_arena_free(a);
        return AC_ERROR;
    }
    ac_val_opts vo = {.formats = true};
    vo.direction = o->request ? AC_VAL_REQUEST : o->response_status ? AC_VAL_RESPONSE
                   : o->direction ? (!strcmp(o->direction, "request") ? AC_VAL_REQUEST : AC_VAL_RESPONSE) : AC_VAL_ANY;
    ac_validator *v = ac_validator_new(c, &vo);
    /* several instances: json is a list of results; the exit code is the worst, and an instance
     * that cannot be checked stops the run */
    bool many = o->npositional > 2;
    cJSON *all = o->format == FMT_JSON ? cJSON_CreateArray() : NULL;
    int worst = AC_OK;
    for (size_t i = 1; i < o->npositional && worst != AC_ERROR; i++) {
        int r = validate_one(o, c, &t, v, o->positional[i], all, st);
        if (r > worst) worst = r;
    }
    if (all && worst != AC_ERROR) print_json(many ? all : cJSON_GetArrayItem(all, 0));
    cJSON_Delete(all);
    if (worst != AC_ERROR && ac_stdout_done(0, "the result", st)) worst = AC_ERROR;
    ac_validator_free(v);
    ac_contract_free(c);
    ac_arena_free(a);
    return worst;
}
