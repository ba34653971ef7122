/* apicompat cases CONTRACT --out DIR: a regression suite generated from one contract.
 *
 * DIR gets a copy of the contract, one file per case under DIR/cases/ and the manifest
 * DIR/cases.json (documented in the README).  What is generated and how: compat/cases/cases.h
 * (OpenAPI), proto/pbcases.h (protobuf: a .binpb and its ProtoJSON twin per case, the contract
 * kept as a descriptor set).  The same contract gives the same suite, byte for byte.  Exit 0:
 * written; 2: could not. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>

#include <cjson/cJSON.h>

#include "cmd/commands.h"
#include "cmd/pipeline.h"
#include "compat/base/fs.h"
#include "compat/base/limits.h"
#include "compat/cases/cases.h"
#include "openapi/oas.h"
#include "proto/pbcases.h"

static int write_text(const char *path, const char *text, size_t len, ac_status *st)
{
    FILE *f = fopen(path, "wb");
    if (!f) return ac_fail(st, path, 0, 0, "cannot write: %s", strerror(errno));
    bool ok = fwrite(text, 1, len, f) == len;
    if (fclose(f) || !ok) return ac_fail(st, path, 0, 0, "cannot write: %s", strerror(errno ? errno : EIO));
    return AC_OK;
}

/* DIR and DIR/cases, new or empty: a suite is never written over other files.  DIR's missing
 * parents are created too (--out suites/v1.2.0 in a fresh checkout), as mkdir -p does. */
static int make_dir(const char *dir, ac_arena *a, ac_status *st)
{
    char *parents = ac_arena_strdup(a, dir);
    for (char *p = parents + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(parents, 0777) && errno != EEXIST)
            return ac_fail_path(st, parents, "cannot create the directory: %s", strerror(errno));
        *p = '/';
    }
    if (mkdir(dir, 0777) && errno != EEXIST) return ac_fail_path(st, dir, "cannot create the directory: %s", strerror(errno));
    DIR *d = opendir(dir);
    if (!d) return ac_fail_path(st, dir, "cannot open the directory: %s", strerror(errno));
    bool empty = true;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) empty = false;
    closedir(d);
    if (!empty) return ac_fail_path(st, dir, "the output directory is not empty (a suite is written into a new or empty directory)");
    const char *sub = ac_path_join(a, dir, "cases");
    if (mkdir(sub, 0777)) return ac_fail_path(st, sub, "cannot create the directory: %s", strerror(errno));
    return AC_OK;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

typedef struct pb_suite {
    const char *dir;
    cJSON *cases;
} pb_suite;

static int write_pb_case(void *ctx, const ac_pb_case *k, ac_status *st)
{
    pb_suite *s = ctx;
    ac_arena *a = ac_arena_new();
    const char *id = ac_pb_case_id(a, k), *file = ac_arena_printf(a, "cases/%s.binpb", id);
    const char *json = k->json ? ac_arena_printf(a, "cases/%s.json", id) : NULL;
    cJSON *x = cJSON_CreateObject();
    cJSON_AddStringToObject(x, "id", id);
    cJSON_AddStringToObject(x, "operation", k->operation);
    cJSON_AddStringToObject(x, "kind", k->request ? "request" : "response");
    cJSON_AddStringToObject(x, "message", k->type->full_name);
    cJSON_AddStringToObject(x, "variant", k->variant);
    cJSON_AddStringToObject(x, "file", file);
    if (json) cJSON_AddStringToObject(x, "json", json);
    else cJSON_AddNullToObject(x, "json");
    cJSON_AddStringToObject(x, "origin", "generated");
    cJSON_AddItemToArray(s->cases, x);
    int rc = write_text(ac_path_join(a, s->dir, file), (const char *)k->bin, k->nbin, st);
    if (!rc && json) rc = write_text(ac_path_join(a, s->dir, json), ac_arena_printf(a, "%s\n", k->json), strlen(k->json) + 1, st);
    ac_arena_free(a);
    return rc;
}

/* A protobuf suite: DIR/contract.binpb (the descriptors, so that a replay needs no sources), the
 * cases, the manifest. */
static int cases_proto(options *o, const ac_contract *c, ac_arena *a, ac_status *st)
{
    uint8_t *fds = NULL;
    size_t nfds = 0;
    int rc = ac_pb_contract_fds(c, &fds, &nfds, st);
    if (!rc) rc = make_dir(o->out_dir, a, st);
    if (!rc) rc = write_text(ac_path_join(a, o->out_dir, "contract.binpb"), (const char *)fds, nfds, st);
    free(fds);
    cJSON *man = cJSON_CreateObject();
    pb_suite s = {o->out_dir, cJSON_AddArrayToObject(man, "cases")};
    ac_pb_case_stats stats;
    memset(&stats, 0, sizeof stats);
    if (!rc) rc = ac_pb_cases_generate(c, true, true, write_pb_case, &s, &stats, st);
    cJSON_AddStringToObject(man, "contract", "contract.binpb");
    if (!rc) {
        char *t = cJSON_Print(man), *u = ac_arena_printf(a, "%s\n", t);
        rc = write_text(ac_path_join(a, o->out_dir, "cases.json"), u, strlen(u), st);
        free(t);
    }
    cJSON_Delete(man);
    if (!rc) {
        printf("wrote %zu cases (%zu requests, %zu responses) of %zu method%s to %s", stats.cases, stats.requests,
               stats.cases - stats.requests, stats.methods, stats.methods == 1 ? "" : "s", o->out_dir);
        printf("; %zu identical variants merged", stats.merged);
        if (stats.no_json) printf("; %zu without a ProtoJSON twin", stats.no_json);
        if (stats.dropped) printf("; %zu dropped (a cycle of required fields, over 1 MiB, or not read back as written)", stats.dropped);
        if (stats.truncated) printf("; %zu methods reached the bound of %u cases", stats.truncated, AC_LIMIT_CASES_PER_OP);
        printf("\n");
    }
    return rc;
}

int ac_cmd_cases(options *o, ac_status *st)
{
    if (o->npositional != 1) return ac_fail(st, NULL, 0, 0, "cases needs one contract: cases CONTRACT --out DIR");
    if (!o->out_dir) return ac_fail(st, NULL, 0, 0, "cases needs --out DIR");
    if (o->format != FMT_TEXT) return ac_fail(st, NULL, 0, 0, "cases writes text only");
    const char *path = o->positional[0];
    if (!strncmp(path, "git:", 4)) return ac_fail(st, NULL, 0, 0, "cases reads a contract file, not git:REF:PATH");
    ac_allow_user_paths(o, &path, 1);
    ac_arena *a = ac_arena_new();
    ac_contract *c = NULL;
    ac_case_list l;
    memset(&l, 0, sizeof l);
    char *text = NULL;
    size_t len = 0;
    int rc = ac_load_contract(o, path, a, &c, st);
    if (!rc && c->format == AC_FMT_PROTO) {
        rc = cases_proto(o, c, a, st);
        ac_contract_free(c);
        ac_arena_free(a);
        return rc;
    }
    if (!rc) rc = ac_read_file(a, path, &text, &len, AC_LIMIT_OPENAPI_DOC_BYTES, st);
    ac_case_opts co = {true, true, ac_oas_media_examples, ac_oas_schema_example};
    if (!rc) rc = ac_cases_generate(c, &co, &l, st);
    if (!rc) rc = make_dir(o->out_dir, a, st);
    const char *copy = base_name(path);
    if (!strcmp(copy, "cases.json") || !strcmp(copy, "cases")) copy = ac_arena_printf(a, "contract-%s", copy);
    if (!rc) rc = write_text(ac_path_join(a, o->out_dir, copy), text, len, st);
    cJSON *man = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(man, "cases");
    size_t nreq = 0;
    for (size_t i = 0; !rc && i < l.n; i++) {
        const ac_case *k = &l.v[i];
        const char *id = ac_case_id(a, k), *file = ac_arena_printf(a, "cases/%s.json", id);
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "id", id);
        cJSON_AddStringToObject(x, "operation", k->op->label);
        cJSON_AddStringToObject(x, "kind", k->request ? "request" : "response");
        if (k->status) cJSON_AddStringToObject(x, "status", k->status);
        else cJSON_AddNullToObject(x, "status");
        if (k->media) cJSON_AddStringToObject(x, "media_type", k->media);
        else cJSON_AddNullToObject(x, "media_type");
        cJSON_AddStringToObject(x, "file", file);
        cJSON_AddStringToObject(x, "origin", k->example ? "example" : "generated");
        cJSON_AddItemToArray(arr, x);
        nreq += k->request;
        size_t tl = strlen(k->text);
        char *body = ac_arena_printf(a, "%s\n", k->text);
        rc = write_text(ac_path_join(a, o->out_dir, file), body, tl + 1, st);
    }
    cJSON_AddStringToObject(man, "contract", copy);
    if (!rc) {
        char *s = cJSON_Print(man), *t = ac_arena_printf(a, "%s\n", s);
        rc = write_text(ac_path_join(a, o->out_dir, "cases.json"), t, strlen(t), st);
        free(s);
    }
    cJSON_Delete(man);
    if (!rc) {
        printf("wrote %zu cases (%zu requests, %zu responses) to %s", l.n, nreq, l.n - nreq, o->out_dir);
        printf("; %zu generated instances dropped (invalid against their schema)", l.dropped);
        if (l.truncated) printf("; %zu operations reached the bound of %u cases", l.truncated, AC_LIMIT_CASES_PER_OP);
        printf("\n");
    }
    ac_case_list_free(&l);
    ac_contract_free(c);
    ac_arena_free(a);
    return rc;
}
