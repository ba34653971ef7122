/* apicompat replay DIR CONTRACT: does CONTRACT still serve the clients of the suite in DIR?
 *
 * The suite's request cases (what old clients send) must be accepted by CONTRACT, and the response
 * cases generated from CONTRACT (what the new server may send) must be accepted by the contract the
 * suite keeps a copy of (what old clients read).  Exit 0: every case passes; 1: some fail, each
 * named with why; 2: could not check (a suite or contract that cannot be read). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cmd/commands.h"
#include "cmd/pipeline.h"
#include "compat/base/escape.h"
#include "compat/base/fs.h"
#include "compat/base/limits.h"
#include "compat/cases/cases.h"
#include "compat/validate/validate.h"
#include "openapi/oas.h"

typedef struct outcome {
    const char *id, *kind, *operation, *status, *media, *file, *reason; /* reason NULL: passed */
} outcome;

typedef struct results {
    outcome *v;
    size_t n, cap, failed, requests, responses;
} results;

static void add(results *r, outcome o)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 256;
        r->v = ac_xrealloc(r->v, r->cap * sizeof *r->v);
    }
    r->v[r->n++] = o;
    if (o.reason) r->failed++;
    if (!strcmp(o.kind, "request")) r->requests++;
    else r->responses++;
}

static const char *str_field(const cJSON *x, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(x, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The first errors of a result, as one line. */
static const char *why(ac_arena *a, const ac_val_result *res)
{
    char buf[1024];
    const char *s = "";
    for (size_t i = 0; i < res->n && i < 3; i++)
        s = ac_arena_printf(a, "%s%s%s", s, i ? "; " : "", ac_val_error_text(&res->v[i], buf, sizeof buf));
    if (res->n > 3) s = ac_arena_printf(a, "%s; and %zu more", s, res->n - 3);
    return s;
}

/* A request case of the suite against the new contract. */
static int replay_request(ac_arena *a, const char *dir, const cJSON *x, const ac_contract *nc, ac_validator *v, results *r,
                          ac_status *st)
{
    outcome o = {str_field(x, "id"), "request", str_field(x, "operation"), NULL, str_field(x, "media_type"), str_field(x, "file"), NULL};
    const ac_oas_op *op = ac_val_find_op(nc->oas, o.operation);
    if (!op) {
        o.reason = "the operation is gone from the contract";
        add(r, o);
        return AC_OK;
    }
    if (o.media && op->nbody && !ac_val_find_media(op->body, op->nbody, o.media)) {
        o.reason = ac_arena_printf(a, "the contract no longer accepts request bodies of media type %s", o.media);
        add(r, o);
        return AC_OK;
    }
    const char *path = ac_path_join(a, dir, o.file);
    char *text;
    size_t len;
    ac_doc *d;
    if (ac_read_file(a, path, &text, &len, AC_LIMIT_OPENAPI_DOC_BYTES, st) || ac_doc_parse(&d, a, path, text, len, NULL, st))
        return AC_ERROR;
    if (d->root->type != AC_DOC_MAP) return ac_fail(st, path, 1, 1, "a request case must be a map of path_params, query, headers and body");
    ac_val_result res;
    memset(&res, 0, sizeof res);
    int rc = ac_validate_request(v, op, o.media, d->root, &res, st);
    if (rc == AC_BREAKING) o.reason = why(a, &res);
    ac_val_result_free(&res);
    if (rc == AC_ERROR) return AC_ERROR;
    add(r, o);
    return AC_OK;
}

/* A response generated from the new contract against the suite's contract. */
static int replay_response(ac_arena *a, const ac_case *k, const ac_contract *oc, ac_validator *v, results *r, ac_status *st)
{
    outcome o = {ac_arena_printf(a, "new:%s", ac_case_id(a, k)), "response", k->op->label, k->status, k->media, NULL, NULL};
    const ac_oas_op *op = ac_val_find_op(oc->oas, k->op->label);
    if (!op) return AC_OK; /* a new operation: no old client calls it */
    const ac_oas_response *resp = ac_val_find_response(op, k->status);
    if (!resp) {
        o.reason = ac_arena_printf(a, "the suite's contract documents no response for status %s", k->status);
    } else if (k->media && resp->nmedia && !ac_val_find_media(resp->media, resp->nmedia, k->media)) {
        o.reason = ac_arena_printf(a, "the suite's contract documents no %s response of media type %s", resp->code, k->media);
    } else {
        ac_arena *da = ac_arena_new();
        ac_doc *d = NULL;
        int rc = ac_doc_parse(&d, da, "(response)", k->text, strlen(k->text), NULL, st);
        ac_val_result res;
        memset(&res, 0, sizeof res);
        if (!rc) rc = ac_validate_response(v, op, k->status, k->media, NULL, k->has_body ? d->root : NULL, &res, st);
        if (rc == AC_BREAKING) {
            cJSON *b = cJSON_Parse(k->text);
            char *t = b ? cJSON_PrintUnformatted(b) : NULL;
            o.reason = ac_arena_printf(a, "%s; the body: %s", why(a, &res), t ? t : k->text);
            free(t);
            cJSON_Delete(b);
        }
        ac_val_result_free(&res);
        ac_arena_free(da);
        if (rc == AC_ERROR) return AC_ERROR;
    }
    if (o.reason) {
        /* the body in one line */
        char *s = ac_arena_strdup(a, o.reason);
        for (char *p = s; *p; p++)
            if (*p == '\n' || *p == '\t') *p = ' ';
        o.reason = s;
    }
    add(r, o);
    return AC_OK;
}

static void print_text(const results *r)
{
    for (size_t i = 0; i < r->n; i++) {
        const outcome *o = &r->v[i];
        if (!o->reason) continue;
        char line[8192];
        snprintf(line, sizeof line, "FAIL %s (%s %s%s%s%s%s): %s", o->id, o->operation, o->kind, o->status ? " " : "", o->status ? o->status : "",
                 o->media ? " " : "", o->media ? o->media : "", o->reason);
        ac_esc_line(stdout, line);
        printf("\n");
    }
    printf("replay: %zu request cases from the suite, %zu response cases from the contract; %zu failed\n", r->requests, r->responses,
           r->failed);
}

static void print_json(const results *r)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "requests", (double)r->requests);
    cJSON_AddNumberToObject(j, "responses", (double)r->responses);
    cJSON_AddNumberToObject(j, "failed", (double)r->failed);
    cJSON *arr = cJSON_AddArrayToObject(j, "failures");
    for (size_t i = 0; i < r->n; i++) {
        const outcome *o = &r->v[i];
        if (!o->reason) continue;
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "id", o->id);
        cJSON_AddStringToObject(x, "operation", o->operation);
        cJSON_AddStringToObject(x, "kind", o->kind);
        if (o->status) cJSON_AddStringToObject(x, "status", o->status);
        if (o->media) cJSON_AddStringToObject(x, "media_type", o->media);
        if (o->file) cJSON_AddStringToObject(x, "file", o->file);
        cJSON_AddStringToObject(x, "reason", o->reason);
        cJSON_AddItemToArray(arr, x);
    }
    char *s = cJSON_Print(j);
    ac_esc_json_write(stdout, s);
    fputc('\n', stdout);
    free(s);
    cJSON_Delete(j);
}

static void print_junit(const results *r)
{
    printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"apicompat replay\" tests=\"%zu\" failures=\"%zu\">\n", r->n, r->failed);
    for (size_t i = 0; i < r->n; i++) {
        const outcome *o = &r->v[i];
        printf("  <testcase classname=\"");
        ac_esc_xml(stdout, o->operation);
        printf("\" name=\"");
        ac_esc_xml(stdout, o->id);
        printf("\"");
        if (!o->reason) {
            printf("/>\n");
            continue;
        }
        printf(">\n    <failure message=\"");
        ac_esc_xml(stdout, o->reason);
        printf("\"/>\n  </testcase>\n");
    }
    printf("</testsuite>\n");
}

static int read_manifest(ac_arena *a, const char *dir, cJSON **out, const char **contract, ac_status *st)
{
    const char *path = ac_path_join(a, dir, "cases.json");
    char *text;
    size_t len;
    if (!ac_path_exists(path)) return ac_fail(st, path, 0, 0, "no such file (a suite written by apicompat cases has one)");
    if (ac_read_file(a, path, &text, &len, AC_LIMIT_OPENAPI_DOC_BYTES, st)) return AC_ERROR;
    cJSON *m = cJSON_ParseWithLength(text, len);
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(m, "cases");
    *contract = str_field(m, "contract");
    if (!cJSON_IsArray(cases) || !*contract || strchr(*contract, '/') || !strcmp(*contract, "..")) {
        cJSON_Delete(m);
        return ac_fail(st, path, 1, 1, "not a suite manifest: {\"cases\": [...], \"contract\": FILE} expected");
    }
    *contract = ac_arena_strdup(a, *contract);
    int i = 0;
    for (const cJSON *x = cases->child; x; x = x->next, i++) {
        const char *kind = str_field(x, "kind"), *file = str_field(x, "file");
        const cJSON *media = cJSON_GetObjectItemCaseSensitive(x, "media_type");
        if (!str_field(x, "id") || !str_field(x, "operation") || !kind || (strcmp(kind, "request") && strcmp(kind, "response")) || !file ||
            strstr(file, "..") || file[0] == '/' || !(cJSON_IsString(media) || cJSON_IsNull(media))) {
            cJSON_Delete(m);
            return ac_fail(st, path, 0, 0, "case %d of the manifest needs id, operation, kind (request or response), media_type and a file inside the suite", i + 1);
        }
    }
    *out = m;
    return AC_OK;
}

int ac_cmd_replay(options *o, ac_status *st)
{
    if (o->server) return ac_replay_live(o, st);
    if (o->contract) return ac_fail(st, NULL, 0, 0, "--contract goes with --server (the static replay takes the contract as its second operand)");
    if (o->npositional != 2) return ac_fail(st, NULL, 0, 0, "replay needs a suite and a contract: replay DIR CONTRACT");
    if (o->format != FMT_TEXT && o->format != FMT_JSON && o->format != FMT_JUNIT)
        return ac_fail(st, NULL, 0, 0, "replay writes text, json or junit only");
    const char *dir = o->positional[0], *cpath = o->positional[1];
    if (!ac_is_dir(dir)) return ac_fail(st, dir, 0, 0, "not a directory (expected a suite written by apicompat cases)");
    ac_allow_user_paths(o, (const char *const *)o->positional, 2);
    ac_arena *a = ac_arena_new();
    cJSON *man = NULL;
    const char *copy = NULL;
    ac_contract *oc = NULL, *nc = NULL;
    ac_validator *ov = NULL, *nv = NULL;
    ac_case_list gen;
    memset(&gen, 0, sizeof gen);
    results r;
    memset(&r, 0, sizeof r);
    int rc = read_manifest(a, dir, &man, &copy, st);
    if (!rc) rc = ac_load_contract(o, ac_path_join(a, dir, copy), a, &oc, st);
    if (!rc) rc = ac_load_contract(o, cpath, a, &nc, st);
    if (!rc && (!oc->oas || !nc->oas)) rc = ac_fail(st, !oc->oas ? copy : cpath, 0, 0, "replay reads OpenAPI contracts only");
    ac_val_opts vo = {.formats = true, .max_errors = 4};
    if (!rc) {
        ov = ac_validator_new(oc, &vo);
        nv = ac_validator_new(nc, &vo);
    }
    const cJSON *cases = man ? cJSON_GetObjectItemCaseSensitive(man, "cases") : NULL;
    for (const cJSON *x = cases ? cases->child : NULL; !rc && x; x = x->next)
        if (!strcmp(str_field(x, "kind"), "request")) rc = replay_request(a, dir, x, nc, nv, &r, st);
    ac_case_opts co = {false, true, ac_oas_media_examples, ac_oas_schema_example};
    if (!rc) rc = ac_cases_generate(nc, &co, &gen, st);
    for (size_t i = 0; !rc && i < gen.n; i++) rc = replay_response(a, &gen.v[i], oc, ov, &r, st);
    if (!rc) {
        if (o->format == FMT_JSON) print_json(&r);
        else if (o->format == FMT_JUNIT) print_junit(&r);
        else print_text(&r);
        if (ac_stdout_done(0, "the result", st)) rc = AC_ERROR;
        else rc = r.failed ? AC_BREAKING : AC_OK;
    }
    free(r.v);
    ac_case_list_free(&gen);
    ac_validator_free(ov);
    ac_validator_free(nv);
    ac_contract_free(oc);
    ac_contract_free(nc);
    cJSON_Delete(man);
    ac_arena_free(a);
    return rc;
}
