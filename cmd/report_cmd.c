/* apicompat report merge FILE...: the JSON reports of a batch's shards (batch --shard K/N
 * --format json) joined into one report, in any format, with the exit code of the whole batch. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/pipeline.h"
#include "compat/base/fs.h"
#include "compat/base/limits.h"
#include "compat/rules/rules.h"

static const char *str(ac_arena *a, const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? ac_arena_strdup(a, v->valuestring) : NULL;
}

static unsigned num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 4e9 ? (unsigned)v->valuedouble : 0;
}

static void read_loc(ac_arena *a, const cJSON *o, ac_loc *l)
{
    const char *p = str(a, o, "path");
    l->path = l->file = p && *p ? p : NULL;
    l->line = num(o, "line");
    l->col = num(o, "column");
    l->end_line = num(o, "end_line");
    l->end_col = num(o, "end_column");
}

static int read_finding(ac_findings *fs, const char *file, const cJSON *j, const char *group, ac_status *st)
{
    ac_arena *a = fs->arena;
    const char *id = str(a, j, "rule"), *sev = str(a, j, "severity"), *msg = str(a, j, "message");
    int r = id ? ac_rule_find(id) : -1;
    int s = sev ? ac_severity_parse(sev) : -2;
    if (r < 0 || s < AC_SEV_INFO || !msg)
        return ac_fail(st, file, 0, 0, "a finding with an unknown rule, severity or no message (%s); expected apicompat's JSON report",
                       id ? id : "no rule");
    ac_finding *x = ac_findings_push(fs);
    x->rule = &ac_rules[r];
    x->severity = s;
    x->message = msg;
    read_loc(a, j, &x->loc);
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(j, "old");
    if (cJSON_IsObject(old)) read_loc(a, old, &x->old_loc);
    const cJSON *ops = cJSON_GetObjectItemCaseSensitive(j, "operations");
    if (cJSON_IsArray(ops)) {
        int n = cJSON_GetArraySize(ops);
        x->ops = ac_arena_alloc(a, (size_t)(n ? n : 1) * sizeof *x->ops);
        const cJSON *op;
        cJSON_ArrayForEach(op, ops)
        {
            if (cJSON_IsString(op)) x->ops[x->nops++] = ac_arena_strdup(a, op->valuestring);
        }
    }
    x->suppressed_by = str(a, j, "suppressed");
    const char *proof = str(a, j, "proof");
    x->proof = !proof ? AC_PROOF_UNSET : !strcmp(proof, "proven") ? AC_PROOF_PROVEN : AC_PROOF_NONE;
    if (x->proof == AC_PROOF_PROVEN) {
        x->cex = ac_counterexample_from_json(a, cJSON_GetObjectItemCaseSensitive(j, "counterexample"));
        if (!x->cex) x->proof = AC_PROOF_NONE; /* "proven" without its counterexample is not */
    }
    x->group = group;
    const char *mode = str(a, j, "mode");
    if (mode) {
        x->mode = !strcmp(mode, "both") ? AC_MODE_FULL : !strcmp(mode, "forward") ? AC_MODE_FORWARD
                  : !strcmp(mode, "backward")                                   ? AC_MODE_BACKWARD
                                                                                  : 0;
        if (!x->mode)
            return ac_fail(st, file, 0, 0, "a finding with an unknown mode \"%s\" (expected backward, forward or both)", mode);
    }
    return AC_OK;
}

/* Which shards the reports hold (batch --shard K/N writes "shard": {index, count}): every one of
 * them must be there once, or the merged report would call a batch green that was not all checked. */
typedef struct shards {
    unsigned count;      /* N, 0 until a report says */
    unsigned char *seen; /* [1..N] */
    size_t unsharded;    /* reports without "shard" (a whole batch) */
    const char *first;   /* the first report, for messages */
} shards;

static int note_shard(shards *s, const char *file, const cJSON *root, ac_status *st)
{
    const cJSON *sj = cJSON_GetObjectItemCaseSensitive(root, "shard");
    if (!sj) {
        s->unsharded++;
    } else {
        unsigned k = num(sj, "index"), n = num(sj, "count");
        if (!k || !n || k > n || n > 100000) return ac_fail(st, file, 0, 0, "\"shard\" must be {index: K, count: N} with 1 <= K <= N");
        if (s->count && n != s->count)
            return ac_fail(st, file, 0, 0, "shard %u/%u does not belong with the %u shards of %s", k, n, s->count, s->first);
        if (!s->count) {
            s->count = n;
            s->seen = ac_xcalloc(n + 1, 1);
        }
        if (s->seen[k]) return ac_fail(st, file, 0, 0, "shard %u/%u is given twice", k, n);
        s->seen[k] = 1;
    }
    if (!s->first) s->first = file;
    if (s->count && s->unsharded)
        return ac_fail(st, file, 0, 0, "the reports mix shards of a batch with a whole batch's report");
    return AC_OK;
}

static int shards_complete(const shards *s, ac_status *st)
{
    for (unsigned k = 1; k <= s->count; k++)
        if (!s->seen[k])
            return ac_fail(st, NULL, 0, 0, "shard %u/%u is missing: its report was not given (did that job fail before writing it?)", k,
                           s->count);
    return AC_OK;
}

/* Every pair of one shard's report into fs and groups. */
static int read_report(const options *o, const char *file, ac_arena *a, ac_findings *fs, ac_report_group **groups, size_t *n,
                       size_t *cap, shards *sh, ac_status *st)
{
    char *data;
    size_t len;
    if (ac_read_file_buf(file, &data, &len, AC_LIMIT_OPENAPI_DOC_BYTES, st)) return AC_ERROR;
    cJSON *root = cJSON_ParseWithLength(data, len);
    free(data);
    const cJSON *pairs = root ? cJSON_GetObjectItemCaseSensitive(root, "pairs") : NULL;
    int rc = AC_OK;
    if (!cJSON_IsArray(pairs))
        rc = ac_fail(st, file, 0, 0, "not a batch report: expected the JSON of apicompat batch --format json (with \"pairs\")");
    if (!rc) rc = note_shard(sh, file, root, st);
    const cJSON *p;
    if (!rc) cJSON_ArrayForEach(p, pairs)
    {
        const char *name = str(a, p, "name");
        if (!name) {
            rc = ac_fail(st, file, 0, 0, "a pair without a name");
            break;
        }
        for (size_t g = 0; g < *n && !rc; g++)
            if (!strcmp((*groups)[g].name, name)) rc = ac_fail(st, file, 0, 0, "pair \"%s\" is in two reports", name);
        if (rc) break;
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 16;
            *groups = ac_xrealloc(*groups, *cap * sizeof **groups);
        }
        ac_report_group *g = &(*groups)[(*n)++];
        memset(g, 0, sizeof *g);
        g->name = name;
        g->error = str(a, p, "error");
        g->exit_code = (int)num(p, "exit_code");
        if (g->exit_code > 2) g->exit_code = 2;
        const char *fo = str(a, p, "fail_on");
        int f = fo ? ac_severity_parse(fo) : AC_SEV_ERROR;
        g->fail_on = f == -2 ? AC_SEV_ERROR : f;
        g->min_level = g->fail_on >= 0 && g->fail_on < AC_SEV_WARN ? g->fail_on : AC_SEV_WARN;
        const cJSON *sum = cJSON_GetObjectItemCaseSensitive(p, "summary");
        if (cJSON_IsObject(sum)) {
            g->has_counts = true;
            g->counts[AC_SEV_ERROR] = num(sum, "errors");
            g->counts[AC_SEV_WARN] = num(sum, "warnings");
            g->counts[AC_SEV_INFO] = num(sum, "infos");
            g->suppressed = num(sum, "suppressed");
        }
        /* --fail-on: the merged run's fail level for every pair (as batch --fail-on does), from
         * the pair's counts; a pair that could not be checked stays so */
        if (o->fail_on_set && g->exit_code != AC_ERROR && g->has_counts) {
            g->fail_on = o->fail_on;
            g->min_level = g->fail_on >= 0 && g->fail_on < AC_SEV_WARN ? g->fail_on : AC_SEV_WARN;
            size_t at = 0;
            for (int k = g->fail_on; k >= 0 && k <= AC_SEV_ERROR; k++) at += g->counts[k];
            g->exit_code = at > 0 ? AC_BREAKING : AC_OK;
        }
        const cJSON *fl = cJSON_GetObjectItemCaseSensitive(p, "findings"), *x;
        cJSON_ArrayForEach(x, fl)
        {
            if ((rc = read_finding(fs, file, x, name, st))) break;
        }
        if (rc) break;
    }
    cJSON_Delete(root);
    return rc;
}

int ac_cmd_report(options *o, ac_status *st)
{
    if (o->npositional < 2 || strcmp(o->positional[0], "merge"))
        return ac_fail(st, NULL, 0, 0, "expected: apicompat report merge FILE... (the JSON reports of batch --shard K/N)");
    ac_arena *a = ac_arena_new();
    ac_findings fs;
    ac_findings_init(&fs);
    ac_report_group *groups = NULL;
    size_t n = 0, cap = 0;
    int rc = AC_OK;
    shards sh = {0, NULL, 0, NULL};
    for (size_t i = 1; i < o->npositional && !rc; i++) rc = read_report(o, o->positional[i], a, &fs, &groups, &n, &cap, &sh, st);
    if (!rc) rc = shards_complete(&sh, st);
    free(sh.seen);
    int exit_code = AC_ERROR;
    if (!rc) {
        ac_findings_sort(&fs);
        int worst;
        ac_report_opts ro = ac_batch_report_opts(groups, n, &worst);
        ro.pair_errors = true;
        exit_code = ac_write_report(o, &fs, &ro, st) ? AC_ERROR : worst;
    }
    free(groups);
    ac_findings_free(&fs);
    ac_arena_free(a);
    return exit_code;
}
