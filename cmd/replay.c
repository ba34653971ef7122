/* apicompat replay DIR CONTRACT: does CONTRACT still serve the clients of the suite in DIR?
 *
 * The suite's request cases (what old clients send) must be accepted by CONTRACT, and the response
 * cases generated from CONTRACT (what the new server may send) must be accepted by the contract the
 * suite keeps a copy of (what old clients read).  A protobuf suite's cases are read in both forms
 * (the wire format and the ProtoJSON twin) by both versions of their type, and each failing case
 * names the findings of the breaking check between the two contracts about the fields it breaks
 * on.  Exit 0: every case passes; 1: some fail, each named with why; 2: could not check (a suite or
 * contract that cannot be read). */
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
#include "proto/pbcases.h"

typedef struct finding_ref {
    const char *rule, *message;
} finding_ref;

typedef struct outcome {
    const char *id, *kind, *operation, *status, *media, *file, *reason; /* reason NULL: passed */
    const char *message;          /* protobuf: the message type */
    const finding_ref *findings;  /* protobuf: the findings the failure illustrates */
    size_t nfindings;
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
    outcome o = {.id = str_field(x, "id"), .kind = "request", .operation = str_field(x, "operation"), .media = str_field(x, "media_type"),
                 .file = str_field(x, "file")};
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
    outcome o = {.id = ac_arena_printf(a, "new:%s", ac_case_id(a, k)), .kind = "response", .operation = k->op->label, .status = k->status,
                 .media = k->media};
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
        for (size_t k = 0; k < o->nfindings; k++) {
            snprintf(line, sizeof line, "  finding %s: %s", o->findings[k].rule, o->findings[k].message);
            ac_esc_line(stdout, line);
            printf("\n");
        }
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
        if (o->message) cJSON_AddStringToObject(x, "message", o->message);
        if (o->file) cJSON_AddStringToObject(x, "file", o->file);
        cJSON_AddStringToObject(x, "reason", o->reason);
        if (o->message) {
            cJSON *fa = cJSON_AddArrayToObject(x, "findings");
            for (size_t k = 0; k < o->nfindings; k++) {
                cJSON *fx = cJSON_CreateObject();
                cJSON_AddStringToObject(fx, "rule", o->findings[k].rule);
                cJSON_AddStringToObject(fx, "message", o->findings[k].message);
                cJSON_AddItemToArray(fa, fx);
            }
        }
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
        if (!o->nfindings) {
            printf("\"/>\n  </testcase>\n");
            continue;
        }
        printf("\">");
        for (size_t k = 0; k < o->nfindings; k++) {
            printf("%s", k ? "&#10;" : "");
            ac_esc_xml(stdout, o->findings[k].rule);
            printf(": ");
            ac_esc_xml(stdout, o->findings[k].message);
        }
        printf("</failure>\n  </testcase>\n");
    }
    printf("</testsuite>\n");
}

/* ---- protobuf suites ---- */

typedef struct pb_replay {
    ac_arena *a;   /* the results */
    ac_arena *tmp; /* one case's files and readings, emptied after each */
    const ac_contract *old, *new;
    const ac_findings *fs;
    results *r;
} pb_replay;

/* The findings of the breaking check about the elements a failure is about. */
static void attach(pb_replay *p, outcome *o, const ac_pb_reading *rd)
{
    finding_ref *v = NULL;
    size_t n = 0;
    for (size_t i = 0; i < p->fs->n; i++) {
        const ac_finding *f = &p->fs->v[i];
        if (f->suppressed_by) continue;
        bool hit = false;
        for (size_t k = 0; k < rd->nelems && !hit; k++) hit = (f->ev_old.p && f->ev_old.p == rd->elems[k]) || (f->ev_new.p && f->ev_new.p == rd->elems[k]);
        if (!hit) continue;
        if (!v) v = ac_arena_alloc(p->a, p->fs->n * sizeof *v);
        v[n++] = (finding_ref){f->rule->id, ac_arena_strdup(p->a, f->message)}; /* the findings go with the contracts */
    }
    o->findings = v;
    o->nfindings = n;
}

/* A case in both forms: the wire format, then (when it passes) the ProtoJSON twin. */
static void read_both(pb_replay *p, const ac_pb_msg *wt, const char *wl, const ac_pb_msg *rt, const char *rl, const uint8_t *bin,
                      size_t nbin, const char *json, ac_pb_reading *rd)
{
    /* a response's fields the old client never knew are skipped by it; a request's field the server
     * no longer knows is lost */
    bool skip_new = !strcmp(wl, "new");
    ac_pb_read_binary(p->tmp, wt, wl, rt, rl, bin, nbin, skip_new, rd);
    if (!rd->reason && json) ac_pb_read_json(p->tmp, wt, wl, rt, rl, json, skip_new, rd);
    if (rd->reason) rd->reason = ac_arena_strdup(p->a, rd->reason);
}

/* A method of the suite's contract that is gone or streams otherwise in the current one. */
static bool method_changed(pb_replay *p, const ac_pb_method *om, const ac_pb_method *nm, bool request, outcome *o, ac_pb_reading *rd)
{
    memset(rd, 0, sizeof *rd);
    rd->elems[rd->nelems++] = om;
    rd->elems[rd->nelems++] = om->service;
    rd->elems[rd->nelems++] = om->service->file;
    if (!nm) {
        o->reason = "the method is gone from the contract";
        return true;
    }
    rd->elems[rd->nelems++] = nm;
    bool was = request ? om->client_streaming : om->server_streaming, is = request ? nm->client_streaming : nm->server_streaming;
    if (was != is) {
        o->reason = ac_arena_printf(p->a, "the method's %s %s streamed", request ? "requests" : "responses", is ? "are now" : "are no longer");
        return true;
    }
    return false;
}

static int replay_pb_request(pb_replay *p, const char *dir, const cJSON *x, ac_status *st)
{
    outcome o = {.id = str_field(x, "id"), .kind = "request", .operation = str_field(x, "operation"), .file = str_field(x, "file"),
                 .message = str_field(x, "message")};
    const ac_pb_msg *wt = ac_strmap_get(&p->old->msg_by_name, o.message);
    if (!wt) return ac_fail(st, ac_path_join(p->a, dir, "cases.json"), 0, 0, "case \"%s\" names message \"%s\", which the suite's contract does not define", o.id, o.message);
    const ac_pb_method *om = ac_pb_find_method(p->old, o.operation), *nm = ac_pb_find_method(p->new, o.operation);
    ac_pb_reading rd;
    memset(&rd, 0, sizeof rd);
    if (!nm) {
        o.reason = "the method is gone from the contract";
        if (om) {
            rd.elems[rd.nelems++] = om;
            rd.elems[rd.nelems++] = om->service;
            rd.elems[rd.nelems++] = om->service->file;
        }
    } else if (!om || !method_changed(p, om, nm, true, &o, &rd)) {
        const ac_pb_msg *rt = ac_strmap_get(&p->new->msg_by_name, nm->input_type);
        char *bin, *json = NULL;
        size_t nbin, njson;
        const char *jf = str_field(x, "json");
        ac_arena_reset(p->tmp);
        if (ac_read_file(p->tmp, ac_path_join(p->tmp, dir, o.file), &bin, &nbin, AC_LIMIT_OPENAPI_DOC_BYTES, st) ||
            (jf && ac_read_file(p->tmp, ac_path_join(p->tmp, dir, jf), &json, &njson, AC_LIMIT_OPENAPI_DOC_BYTES, st)))
            return AC_ERROR;
        if (rt) read_both(p, wt, "old", rt, "new", (const uint8_t *)bin, nbin, json, &rd);
        o.reason = rd.reason;
    }
    if (o.reason) attach(p, &o, &rd);
    add(p->r, o);
    return AC_OK;
}

static int replay_pb_response(void *ctx, const ac_pb_case *k, ac_status *st)
{
    pb_replay *p = ctx;
    const ac_pb_method *om = ac_pb_find_method(p->old, k->operation);
    if (!om) return AC_OK; /* a new method: no old client calls it */
    ac_arena_reset(p->tmp);
    outcome o = {.id = ac_arena_printf(p->a, "new:%s", ac_pb_case_id(p->a, k)), .kind = "response",
                 .operation = ac_arena_strdup(p->a, k->operation), .message = ac_arena_strdup(p->a, k->type->full_name)};
    ac_pb_reading rd;
    if (!method_changed(p, om, k->method, false, &o, &rd)) {
        const ac_pb_msg *rt = ac_strmap_get(&p->old->msg_by_name, om->output_type);
        if (rt) read_both(p, k->type, "new", rt, "old", k->bin, k->nbin, k->json, &rd);
        o.reason = rd.reason;
    }
    if (o.reason) attach(p, &o, &rd);
    add(p->r, o);
    (void)st;
    return AC_OK;
}

/* The suite's contract and CONTRACT are compared by the breaking check (for the findings a failure
 * illustrates), then the requests are read by CONTRACT and CONTRACT's responses by the suite's. */
static int replay_proto(const options *o, ac_arena *a, const char *dir, const cJSON *man, const char *copy, const char *cpath, results *r,
                        ac_status *st)
{
    options local = *o;
    local.no_proofs = true;
    pair_run run;
    memset(&run, 0, sizeof run);
    int rc = ac_pair_check(&local, ac_path_join(a, dir, copy), cpath, NULL, false, &run, st);
    if (!rc && run.new->format != AC_FMT_PROTO) rc = ac_fail(st, cpath, 0, 0, "the suite is of a protobuf contract; this contract is not protobuf");
    if (!rc && run.old->format != AC_FMT_PROTO) rc = ac_fail(st, copy, 0, 0, "the suite's contract is not a protobuf descriptor set");
    pb_replay p = {a, ac_arena_new(), run.old, run.new, &run.fs, r};
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(man, "cases");
    for (const cJSON *x = cases->child; !rc && x; x = x->next)
        if (!strcmp(str_field(x, "kind"), "request")) {
            if (!str_field(x, "message")) rc = ac_fail(st, ac_path_join(a, dir, "cases.json"), 0, 0, "case \"%s\" is not a protobuf case (no message)", str_field(x, "id"));
            else rc = replay_pb_request(&p, dir, x, st);
        }
    ac_pb_case_stats stats;
    if (!rc) rc = ac_pb_cases_generate(run.new, false, true, replay_pb_response, &p, &stats, st);
    ac_arena_free(p.tmp);
    ac_pair_free(&run);
    return rc;
}

int ac_suite_read(ac_arena *a, const char *dir, cJSON **out, const char **contract, ac_status *st)
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
        if ((unsigned)i >= AC_LIMIT_CASES_SUITE) {
            cJSON_Delete(m);
            return ac_fail(st, path, 0, 0, "more than %u cases in the suite", AC_LIMIT_CASES_SUITE);
        }
        const char *kind = str_field(x, "kind"), *file = str_field(x, "file");
        const cJSON *media = cJSON_GetObjectItemCaseSensitive(x, "media_type"), *json = cJSON_GetObjectItemCaseSensitive(x, "json");
        const char *js = str_field(x, "json");
        /* a protobuf case names its message and its ProtoJSON twin (or null), an OpenAPI case its media type */
        bool pb = str_field(x, "message") != NULL;
        if (!str_field(x, "id") || !str_field(x, "operation") || !kind || (strcmp(kind, "request") && strcmp(kind, "response")) || !file ||
            strstr(file, "..") || file[0] == '/' || (!pb && !(cJSON_IsString(media) || cJSON_IsNull(media))) ||
            (pb && !(cJSON_IsNull(json) || (js && !strstr(js, "..") && js[0] != '/')))) {
            cJSON_Delete(m);
            return ac_fail(st, path, 0, 0, "case %d of the manifest needs id, operation, kind (request or response), media_type (protobuf: message and json) and a file inside the suite", i + 1);
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
    if (!ac_is_dir(dir)) return ac_fail_path(st, dir, "not a directory (expected a suite written by apicompat cases)");
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
    int rc = ac_suite_read(a, dir, &man, &copy, st);
    const cJSON *first = man ? cJSON_GetObjectItemCaseSensitive(man, "cases")->child : NULL;
    size_t cl = copy ? strlen(copy) : 0;
    bool pb = !rc && ((first && str_field(first, "message")) || (cl > 6 && !strcmp(copy + cl - 6, ".binpb")));
    if (pb) {
        rc = replay_proto(o, a, dir, man, copy, cpath, &r, st);
        goto report;
    }
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
report:
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
