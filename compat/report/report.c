#include "compat/report/report.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "compat/base/escape.h"
#include "compat/rules/rules.h"

static int strcmp0(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* The location a finding is shown at: the new one, else the old one. */
static const ac_loc *shown(const ac_finding *f)
{
    return f->loc.line || !f->old_loc.line ? &f->loc : &f->old_loc;
}

static int cmp_finding(const void *pa, const void *pb)
{
    const ac_finding *a = pa, *b = pb;
    const ac_loc *la = shown(a), *lb = shown(b);
    int c;
    if ((c = strcmp0(la->path, lb->path))) return c;
    if (la->line != lb->line) return la->line < lb->line ? -1 : 1;
    if (la->col != lb->col) return la->col < lb->col ? -1 : 1;
    if ((c = strcmp(a->rule->id, b->rule->id))) return c;
    if ((c = strcmp0(a->message, b->message))) return c;
    if (la->end_line != lb->end_line) return la->end_line < lb->end_line ? -1 : 1;
    if (la->end_col != lb->end_col) return la->end_col < lb->end_col ? -1 : 1;
    if (a->mode != b->mode) return a->mode < b->mode ? -1 : 1;
    if ((c = strcmp0(a->group, b->group))) return c; /* batch: each pair keeps its own findings */
    if ((c = strcmp0(a->old_loc.path, b->old_loc.path))) return c;
    if (a->old_loc.line != b->old_loc.line) return a->old_loc.line < b->old_loc.line ? -1 : 1;
    if (a->old_loc.col != b->old_loc.col) return a->old_loc.col < b->old_loc.col ? -1 : 1;
    return (a->suppressed_by != NULL) - (b->suppressed_by != NULL);
}

static bool same_report(const ac_finding *a, const ac_finding *b)
{
    const ac_loc *la = shown(a), *lb = shown(b);
    /* a suppressed part of a change (the operations an ignore took) stays apart from the rest */
    return a->rule == b->rule && a->mode == b->mode && !strcmp0(a->message, b->message) && !strcmp0(a->group, b->group) &&
           !strcmp0(la->path, lb->path) &&
           la->line == lb->line && la->col == lb->col && la->end_line == lb->end_line && la->end_col == lb->end_col &&
           (a->suppressed_by != NULL) == (b->suppressed_by != NULL);
}

void ac_findings_sort(ac_findings *fs)
{
    if (fs->n < 2) return;
    qsort(fs->v, fs->n, sizeof *fs->v, cmp_finding);
    size_t w = 1;
    for (size_t r = 1; r < fs->n; r++) {
        ac_finding *keep = &fs->v[w - 1], *dup = &fs->v[r];
        if (!same_report(dup, keep)) {
            fs->v[w++] = *dup;
            continue;
        }
        /* the operations of both are kept */
        if (dup->nops) {
            const char **ops = ac_arena_alloc(fs->arena, (keep->nops + dup->nops) * sizeof *ops);
            size_t n = 0;
            for (size_t i = 0; i < keep->nops; i++) ops[n++] = keep->ops[i];
            for (size_t i = 0; i < dup->nops; i++) {
                bool have = false;
                for (size_t k = 0; k < n && !have; k++) have = !strcmp(ops[k], dup->ops[i]);
                if (!have) ops[n++] = dup->ops[i];
            }
            keep->ops = ops;
            keep->nops = n;
        }
    }
    fs->n = w;
}

int ac_findings_exit_code(const ac_findings *fs, int fail_on)
{
    if (fail_on == AC_SEV_OFF) return 0;
    for (size_t i = 0; i < fs->n; i++)
        if (!fs->v[i].suppressed_by && fs->v[i].severity >= fail_on) return 1;
    return 0;
}

const ac_report_group *ac_finding_group(const ac_finding *x, const ac_report_opts *o)
{
    if (!x->group) return NULL;
    for (size_t g = 0; g < o->ngroups; g++)
        if (o->groups[g].name == x->group || !strcmp(o->groups[g].name, x->group)) return &o->groups[g];
    return NULL;
}

bool ac_finding_visible(const ac_finding *x, const ac_report_opts *o)
{
    const ac_report_group *g = ac_finding_group(x, o);
    return !(x->suppressed_by && !o->show_suppressed) && x->severity >= (g ? g->min_level : o->min_level);
}

bool ac_finding_fails(const ac_finding *x, const ac_report_opts *o)
{
    const ac_report_group *g = ac_finding_group(x, o);
    int fail_on = g ? g->fail_on : o->fail_on;
    return !x->suppressed_by && fail_on >= 0 && x->severity >= fail_on;
}

const char *ac_group_status(const ac_report_group *g)
{
    if (g->same_as && !g->error) return "skipped";
    return g->exit_code == 0 ? "ok" : g->exit_code == 1 ? "breaking" : "error";
}

const char *ac_group_repeated(char *buf, size_t n, const ac_report_group *g)
{
    snprintf(buf, n, "%zu reported against an earlier version", g->repeated);
    return buf;
}

const char *ac_group_key(const ac_report_opts *o)
{
    return o->history ? "against" : "pair";
}

const char *ac_group_prefix(const ac_report_opts *o)
{
    return o->history ? "against " : "";
}

int ac_report_exit_code(const ac_findings *fs, const ac_report_opts *o)
{
    if (!o->ngroups) return ac_findings_exit_code(fs, o->fail_on);
    int worst = 0;
    for (size_t g = 0; g < o->ngroups; g++)
        if (o->groups[g].exit_code > worst) worst = o->groups[g].exit_code;
    return worst;
}

void ac_findings_count_group(const ac_findings *fs, const ac_report_opts *o, const char *group, size_t counts[3],
                             size_t *suppressed)
{
    counts[0] = counts[1] = counts[2] = 0;
    *suppressed = 0;
    for (size_t i = 0; i < fs->n; i++) {
        const ac_finding *x = &fs->v[i];
        if (group && strcmp0(x->group, group)) continue;
        const ac_report_group *g = ac_finding_group(x, o);
        if (x->severity < (g ? g->min_level : o->min_level)) continue; /* neither listed nor counted */
        if (x->suppressed_by) (*suppressed)++;
        else if (x->severity >= AC_SEV_INFO && x->severity <= AC_SEV_ERROR) counts[x->severity]++;
    }
}

const ac_loc *ac_finding_loc(const ac_finding *x)
{
    return shown(x);
}

void ac_findings_count(const ac_findings *fs, const ac_report_opts *o, size_t counts[3], size_t *suppressed)
{
    ac_findings_count_group(fs, o, NULL, counts, suppressed);
}

const char *ac_findings_summary(char *buf, size_t n, const size_t counts[3], size_t suppressed)
{
    size_t w = 0;
    buf[0] = 0;
    static const char *const one[3] = {"info", "warning", "error"}, *const many[3] = {"info", "warnings", "errors"};
    for (int s = AC_SEV_ERROR; s >= AC_SEV_INFO; s--)
        if (counts[s] && w < n)
            w += (size_t)snprintf(buf + w, n - w, "%s%zu %s", w ? ", " : "", counts[s], counts[s] == 1 ? one[s] : many[s]);
    if (!w && w < n) w += (size_t)snprintf(buf, n, "no changes");
    if (suppressed && w < n) snprintf(buf + w, n - w, " (%zu suppressed)", suppressed);
    return buf;
}

/* Text from the contracts, one line whatever it holds: a newline in a path key must not start what
 * looks like another finding, nor an escape sequence repaint the terminal. */
static void put_text(FILE *f, const char *s)
{
    ac_esc_line(f, s);
}

/* " (in A, B, C and 2 more)", or "" when the message already names its only operation */
static void print_ops(FILE *f, const ac_finding *x)
{
    if (!x->nops || (x->nops == 1 && strstr(x->message, x->ops[0]))) return;
    fputs(" (in ", f);
    put_text(f, x->ops[0]);
    for (size_t k = 1; k < x->nops && k < 3; k++) {
        fputs(", ", f);
        put_text(f, x->ops[k]);
    }
    if (x->nops > 3) fprintf(f, " and %zu more", x->nops - 3);
    fputc(')', f);
}

static void text_proof(FILE *f, const ac_finding *x);

static size_t text_findings(FILE *f, const ac_findings *fs, const ac_report_opts *o, const char *group)
{
    static const char *const colour[3] = {"\033[36m", "\033[33m", "\033[31m"};
    const char *bold = o->color ? "\033[1m" : "", *reset = o->color ? "\033[0m" : "";
    size_t shown_n = 0;
    for (size_t i = 0; i < fs->n; i++) {
        const ac_finding *x = &fs->v[i];
        if (!ac_finding_visible(x, o) || (group && strcmp0(x->group, group))) continue;
        shown_n++;
        const ac_loc *l = shown(x);
        const char *c = o->color && x->severity >= AC_SEV_INFO && x->severity <= AC_SEV_ERROR ? colour[x->severity] : "";
        fputs(bold, f);
        put_text(f, l->path ? l->path : "<input>");
        fprintf(f, ":%u:%u:%s %s%s%s", l->line ? l->line : 1, l->col ? l->col : 1, reset, c, x->rule->id, o->color ? reset : "");
        /* the level when it is not error, and which way it breaks when the run checked more than backward */
        const char *way = ac_finding_mode_word(x);
        if (x->severity != AC_SEV_ERROR && way) fprintf(f, " (%s, %s)", ac_severity_name(x->severity), way);
        else if (x->severity != AC_SEV_ERROR) fprintf(f, " (%s)", ac_severity_name(x->severity));
        else if (way) fprintf(f, " (%s)", way);
        fputc(' ', f);
        put_text(f, x->message);
        print_ops(f, x);
        if (x->suppressed_by) {
            fputs(" [suppressed: ", f);
            put_text(f, x->suppressed_by);
            fputc(']', f);
        }
        fputc('\n', f);
        if (o->explain) text_proof(f, x);
    }
    return shown_n;
}

/* --explain: the proof under its finding, indented.  "proof: proven" then the counterexample: its
 * kind and direction, where it goes (operation, status, media type, parameter, message type), the
 * instance itself (JSON text or the bytes in hex), and what each side makes of it. */
static void text_proof(FILE *f, const ac_finding *x)
{
    if (!x->proof) return;
    fprintf(f, "    proof: %s\n", ac_proof_name(x->proof));
    const ac_counterexample *c = x->cex;
    if (x->proof != AC_PROOF_PROVEN || !c) return;
    fputs("      ", f);
    put_text(f, c->kind ? c->kind : "?");
    if (c->direction) {
        fputs(" (", f);
        put_text(f, c->direction);
        fputc(')', f);
    }
    const char *parts[4] = {c->operation, c->status, c->media_type, NULL};
    for (int i = 0; i < 3; i++)
        if (parts[i]) {
            fputs(", ", f);
            put_text(f, parts[i]);
        }
    if (c->param_name) {
        fputs(", ", f);
        put_text(f, c->param_in ? c->param_in : "");
        fputs(" parameter \"", f);
        put_text(f, c->param_name);
        fputc('"', f);
    }
    if (c->message) {
        fputs(", message ", f);
        put_text(f, c->message);
    }
    if (c->value) {
        fputs(": ", f);
        put_text(f, c->value);
    } else if (c->binary) {
        /* the bytes in pairs of hex digits, as a hex dump shows them */
        fputs(":", f);
        for (const char *h = c->binary; h[0] && h[1]; h += 2) fprintf(f, " %c%c", h[0], h[1]);
        if (!c->binary[0]) fputs(" (no bytes: the empty message)", f);
    }
    fputc('\n', f);
    if (c->old_reading) {
        fputs("      old reads: ", f);
        put_text(f, *c->old_reading ? c->old_reading : "(nothing: no field set)");
        fputc('\n', f);
    }
    if (c->new_reading) {
        fputs("      new reads: ", f);
        put_text(f, *c->new_reading ? c->new_reading : "(nothing: no field set)");
        fputc('\n', f);
    }
}

/* Outside batch: the findings and a summary line.  In batch: a header line per pair naming it, its
 * status and its summary (or why it could not be checked), then its findings; a summary last. */
int ac_report_text(FILE *f, const ac_findings *fs, const ac_report_opts *o)
{
    const char *bold = o->color ? "\033[1m" : "", *reset = o->color ? "\033[0m" : "";
    size_t counts[3], suppressed, shown_n = 0;
    char buf[160];
    for (size_t g = 0; g < o->ngroups; g++) {
        const ac_report_group *grp = &o->groups[g];
        fputs(bold, f);
        fprintf(f, "== %s", ac_group_prefix(o));
        put_text(f, grp->name);
        fprintf(f, ": %s", ac_group_status(grp));
        if (grp->error) {
            fputs(": ", f);
            put_text(f, grp->error);
        } else if (grp->same_as) {
            fputs(", same contract as ", f);
            put_text(f, grp->same_as);
        } else {
            ac_findings_count_group(fs, o, grp->name, counts, &suppressed);
            bool none = !counts[0] && !counts[1] && !counts[2] && !suppressed;
            if (!none || !grp->repeated) fprintf(f, ", %s", ac_findings_summary(buf, sizeof buf, counts, suppressed));
            if (grp->repeated) fprintf(f, "%s%s", none ? ", " : " and ", ac_group_repeated(buf, sizeof buf, grp));
        }
        fprintf(f, "%s\n", reset);
        shown_n += text_findings(f, fs, o, grp->name);
    }
    if (!o->batch) shown_n = text_findings(f, fs, o, NULL);
    (void)shown_n;
    /* the summary line, always: it counts what was listed above */
    {
        ac_findings_count(fs, o, counts, &suppressed);
        const char *line = ac_findings_summary(buf, sizeof buf, counts, suppressed);
        /* breaking hides info-level changes: nothing shown means nothing breaks, not that nothing changed */
        if (!o->batch && !counts[0] && !counts[1] && !counts[2] && o->min_level > AC_SEV_INFO &&
            !strncmp(line, "no changes", 10))
            fprintf(f, "%sno breaking changes%s", bold, line + 10);
        else
            fprintf(f, "%s%s", bold, line);
        if (o->batch) {
            size_t st[3] = {0, 0, 0}, skipped = 0;
            for (size_t g = 0; g < o->ngroups; g++) {
                if (o->groups[g].same_as && !o->groups[g].error) skipped++;
                else st[o->groups[g].exit_code > 2 ? 2 : o->groups[g].exit_code]++;
            }
            if (o->history)
                fprintf(f, "; against %zu version%s: %zu ok, %zu breaking, %zu error%s, %zu skipped", o->ngroups,
                        o->ngroups == 1 ? "" : "s", st[0], st[1], st[2], st[2] == 1 ? "" : "s", skipped);
            else
                fprintf(f, "; %zu pair%s: %zu ok, %zu breaking, %zu error%s", o->ngroups, o->ngroups == 1 ? "" : "s", st[0],
                        st[1], st[2], st[2] == 1 ? "" : "s");
        }
        fprintf(f, "%s\n", reset);
    }
    return ferror(f) ? -1 : 0;
}

static cJSON *loc_json(const ac_loc *l)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "path", l->path ? l->path : "");
    cJSON_AddNumberToObject(o, "line", l->line);
    cJSON_AddNumberToObject(o, "column", l->col);
    cJSON_AddNumberToObject(o, "end_line", l->end_line);
    cJSON_AddNumberToObject(o, "end_column", l->end_col);
    return o;
}

static cJSON *finding_json(const ac_finding *x, const ac_report_opts *o)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "rule", x->rule->id);
    cJSON_AddStringToObject(j, "severity", ac_severity_name(x->severity));
    cJSON_AddStringToObject(j, "message", x->message);
    const ac_loc *l = &x->loc;
    cJSON_AddStringToObject(j, "path", l->line ? l->path : "");
    cJSON_AddNumberToObject(j, "line", l->line);
    cJSON_AddNumberToObject(j, "column", l->col);
    cJSON_AddNumberToObject(j, "end_line", l->end_line);
    cJSON_AddNumberToObject(j, "end_column", l->end_col);
    if (x->old_loc.line) cJSON_AddItemToObject(j, "old", loc_json(&x->old_loc));
    /* the operations, unless the message already names its only one */
    if (x->nops && !(x->nops == 1 && strstr(x->message, x->ops[0]))) {
        cJSON *ops = cJSON_AddArrayToObject(j, "operations");
        for (size_t k = 0; k < x->nops; k++) cJSON_AddItemToArray(ops, cJSON_CreateString(x->ops[k]));
    }
    if (x->proof) cJSON_AddStringToObject(j, "proof", ac_proof_name(x->proof));
    if (x->proof == AC_PROOF_PROVEN && x->cex) cJSON_AddItemToObject(j, "counterexample", ac_counterexample_json(x->cex));
    if (x->suppressed_by) cJSON_AddStringToObject(j, "suppressed", x->suppressed_by);
    if (x->group) cJSON_AddStringToObject(j, ac_group_key(o), x->group);
    if (ac_finding_mode_word(x)) cJSON_AddStringToObject(j, "mode", ac_finding_mode_word(x));
    return j;
}

const char *ac_proof_name(int proof)
{
    return proof == AC_PROOF_PROVEN ? "proven" : proof == AC_PROOF_NONE ? "none" : "unset";
}

static void add_str(cJSON *o, const char *key, const char *v)
{
    if (v) cJSON_AddStringToObject(o, key, v);
}

cJSON *ac_counterexample_json(const ac_counterexample *c)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "kind", c->kind);
    add_str(o, "direction", c->direction);
    add_str(o, "operation", c->operation);
    add_str(o, "media_type", c->media_type);
    add_str(o, "status", c->status);
    if (c->param_name) {
        cJSON *p = cJSON_AddObjectToObject(o, "parameter");
        add_str(p, "in", c->param_in ? c->param_in : "");
        add_str(p, "name", c->param_name);
    }
    add_str(o, "message", c->message);
    if (c->value) {
        /* the instance itself, as written (a raw item keeps 64-bit integers exact); text that is
         * not JSON stays a string */
        cJSON *v = cJSON_Parse(c->value);
        if (v) {
            cJSON_Delete(v);
            cJSON_AddItemToObject(o, "value", cJSON_CreateRaw(c->value));
        } else {
            cJSON_AddStringToObject(o, "value", c->value);
        }
    }
    add_str(o, "binary", c->binary);
    add_str(o, "old_reading", c->old_reading);
    add_str(o, "new_reading", c->new_reading);
    return o;
}

static const char *json_str(ac_arena *a, const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? ac_arena_strdup(a, v->valuestring) : NULL;
}

const ac_counterexample *ac_counterexample_from_json(ac_arena *a, const cJSON *j)
{
    if (!cJSON_IsObject(j)) return NULL;
    ac_counterexample *c = ac_arena_alloc(a, sizeof *c);
    memset(c, 0, sizeof *c);
    c->kind = json_str(a, j, "kind");
    c->direction = json_str(a, j, "direction");
    c->operation = json_str(a, j, "operation");
    c->media_type = json_str(a, j, "media_type");
    c->status = json_str(a, j, "status");
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(j, "parameter");
    if (cJSON_IsObject(p)) {
        c->param_in = json_str(a, p, "in");
        c->param_name = json_str(a, p, "name");
    }
    c->message = json_str(a, j, "message");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "value");
    if (v) {
        char *text = cJSON_PrintUnformatted(v);
        if (!text) ac_oom();
        c->value = ac_arena_strdup(a, text);
        free(text);
    }
    c->binary = json_str(a, j, "binary");
    c->old_reading = json_str(a, j, "old_reading");
    c->new_reading = json_str(a, j, "new_reading");
    return c->kind ? c : NULL;
}

/* The findings of one pair (group NULL: all) into arr, and the summary object they make. */
static cJSON *json_findings(cJSON *arr, const ac_findings *fs, const ac_report_opts *o, const char *group, bool breaking)
{
    size_t counts[3] = {0, 0, 0}, suppressed = 0;
    for (size_t i = 0; i < fs->n; i++) {
        const ac_finding *x = &fs->v[i];
        if (group && strcmp0(x->group, group)) continue;
        if (x->suppressed_by && x->severity >= o->min_level) suppressed++;
        /* the counts describe the list: levels below min_level are neither listed nor counted */
        else if (x->severity >= o->min_level && x->severity >= AC_SEV_INFO && x->severity <= AC_SEV_ERROR)
            counts[x->severity]++;
        if (!ac_finding_visible(x, o)) continue;
        cJSON_AddItemToArray(arr, finding_json(x, o));
    }
    /* report merge: the counts the shards gave */
    bool given = o->ngroups > 0;
    for (size_t g = 0; g < o->ngroups; g++)
        if (!o->groups[g].has_counts) given = false;
    if (given) {
        counts[0] = counts[1] = counts[2] = suppressed = 0;
        for (size_t g = 0; g < o->ngroups; g++) {
            const ac_report_group *grp = &o->groups[g];
            if (group && strcmp(grp->name, group)) continue;
            for (int s = 0; s < 3; s++) counts[s] += grp->counts[s];
            suppressed += grp->suppressed;
        }
    }
    cJSON *sum = cJSON_CreateObject();
    cJSON_AddNumberToObject(sum, "errors", (double)counts[AC_SEV_ERROR]);
    cJSON_AddNumberToObject(sum, "warnings", (double)counts[AC_SEV_WARN]);
    cJSON_AddNumberToObject(sum, "infos", (double)counts[AC_SEV_INFO]);
    cJSON_AddNumberToObject(sum, "suppressed", (double)suppressed);
    cJSON_AddBoolToObject(sum, "breaking", breaking);
    return sum;
}

/* Whether any pair broke (outside batch: whether the exit code is 1). */
static bool any_breaking(const ac_findings *fs, const ac_report_opts *o)
{
    if (!o->ngroups) return ac_findings_exit_code(fs, o->fail_on) == 1;
    for (size_t g = 0; g < o->ngroups; g++)
        if (o->groups[g].exit_code == 1) return true;
    return false;
}

int ac_report_json(FILE *f, const ac_findings *fs, const ac_report_opts *o)
{
    cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "findings");
    cJSON_AddItemToObject(root, "summary", json_findings(arr, fs, o, NULL, any_breaking(fs, o)));
    if (o->shard_n) {
        cJSON *sj = cJSON_AddObjectToObject(root, "shard");
        cJSON_AddNumberToObject(sj, "index", o->shard_k);
        cJSON_AddNumberToObject(sj, "count", o->shard_n);
    }
    if (o->history) {
        cJSON *nj = cJSON_AddObjectToObject(root, "new");
        cJSON_AddStringToObject(nj, "name", o->new_name ? o->new_name : "");
        if (o->new_digest) cJSON_AddStringToObject(nj, "digest", o->new_digest);
    }
    if (o->batch) {
        /* batch: every pair, its status and its own findings (history: every earlier version) */
        cJSON *pairs = cJSON_AddArrayToObject(root, o->history ? "versions" : "pairs");
        for (size_t g = 0; g < o->ngroups; g++) {
            const ac_report_group *grp = &o->groups[g];
            cJSON *pj = cJSON_CreateObject();
            cJSON_AddStringToObject(pj, "name", grp->name);
            cJSON_AddStringToObject(pj, "status", ac_group_status(grp));
            cJSON_AddNumberToObject(pj, "exit_code", grp->exit_code);
            cJSON_AddStringToObject(pj, "fail_on", ac_severity_name((ac_severity)grp->fail_on));
            if (grp->digest) cJSON_AddStringToObject(pj, "digest", grp->digest);
            if (grp->same_as) cJSON_AddStringToObject(pj, "same_as", grp->same_as);
            if (o->history && !grp->error && !grp->same_as) cJSON_AddNumberToObject(pj, "repeated", (double)grp->repeated);
            if (grp->error) cJSON_AddStringToObject(pj, "error", grp->error);
            cJSON *pf = cJSON_CreateArray();
            cJSON_AddItemToObject(pj, "summary", json_findings(pf, fs, o, grp->name, grp->exit_code == 1));
            cJSON_AddItemToObject(pj, "findings", pf);
            cJSON_AddItemToArray(pairs, pj);
        }
    }
    return ac_report_print_json(f, root);
}

int ac_report_print_json(FILE *f, struct cJSON *root)
{
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    if (!s) ac_oom();
    /* DEL, C1 controls and bytes that are not UTF-8, which cJSON writes raw, as escapes */
    ac_esc_json_write(f, s);
    fputc('\n', f);
    free(s);
    return ferror(f) ? -1 : 0;
}
