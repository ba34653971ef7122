/* The CI views of the findings: GitHub workflow commands, SARIF 2.1.0, JUnit XML, Markdown and
 * GitLab Code Quality.  Each is a different rendering of the same sorted list (report.c). */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compat/base/escape.h"
#include "compat/report/report.h"
#include "compat/rules/rules.h"

static const char *sev_name(int s)
{
    return ac_severity_name((ac_severity)s);
}

/* The operations as text: "A, B, C and 2 more", or NULL when the message names its only one. */
static char *ops_text(const ac_finding *x, char *buf, size_t n)
{
    if (!x->nops || (x->nops == 1 && strstr(x->message, x->ops[0]))) return NULL;
    size_t w = 0;
    for (size_t k = 0; k < x->nops && k < 3 && w < n; k++) w += (size_t)snprintf(buf + w, n - w, "%s%s", k ? ", " : "", x->ops[k]);
    if (x->nops > 3 && w < n) snprintf(buf + w, n - w, " and %zu more", x->nops - 3);
    return buf;
}

/* The message with its operations, as one line. */
static char *full_message(const ac_finding *x)
{
    char ops[512];
    const char *o = ops_text(x, ops, sizeof ops);
    size_t n = strlen(x->message) + (o ? strlen(o) + 8 : 0) + 1;
    char *s = ac_xmalloc(n);
    snprintf(s, n, "%s%s%s%s", x->message, o ? " (in " : "", o ? o : "", o ? ")" : "");
    return s;
}

/* The message with its operations, led by which way it breaks when the run checked more than
 * backward compatibility ("(forward) ..."). */
static char *mode_message(const ac_finding *x)
{
    char *m = full_message(x);
    const char *way = ac_finding_mode_word(x);
    if (!way) return m;
    size_t n = strlen(m) + strlen(way) + 4;
    char *s = ac_xmalloc(n);
    snprintf(s, n, "(%s) %s", way, m);
    free(m);
    return s;
}

static bool same_group(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* ---- GitHub Actions workflow commands ----------------------------------------------------------- */

/* by GitHub's rules (escape.h): an input's newline never starts a workflow command of its own */
static void gh_escape(FILE *f, const char *s, bool property)
{
    ac_esc_github(f, s, property);
}

int ac_report_github(FILE *f, const ac_findings *fs, const ac_report_opts *o)
{
    static const char *const cmd[3] = {"notice", "warning", "error"};
    for (size_t g = 0; g < o->ngroups && o->pair_errors; g++) {
        if (!o->groups[g].error) continue;
        fputs("::error title=apicompat could not check::", f);
        gh_escape(f, ac_group_prefix(o), false);
        gh_escape(f, o->groups[g].name, false);
        fputs(": ", f);
        gh_escape(f, o->groups[g].error, false);
        fputc('\n', f);
    }
    for (size_t i = 0; i < fs->n; i++) {
        const ac_finding *x = &fs->v[i];
        if (!ac_finding_visible(x, o) || x->suppressed_by) continue;
        fprintf(f, "::%s ", cmd[x->severity]);
        const ac_loc *l = &x->loc;
        if (l->line && l->path && *l->path) {
            /* on the changed line of the new contract */
            fputs("file=", f);
            gh_escape(f, l->path, true);
            fprintf(f, ",line=%u,col=%u", l->line, l->col ? l->col : 1);
            if (l->end_line) fprintf(f, ",endLine=%u", l->end_line);
            if (l->end_col && l->end_line == l->line && l->end_col > l->col) fprintf(f, ",endColumn=%u", l->end_col);
            fputc(',', f);
        }
        /* a deleted file has no line to annotate: the annotation is the run's, naming the old place */
        fputs("title=", f);
        if (x->group) {
            gh_escape(f, ac_group_prefix(o), true);
            gh_escape(f, x->group, true);
            gh_escape(f, ": ", true);
        }
        gh_escape(f, x->rule->id, true);
        if (ac_finding_mode_word(x)) {
            gh_escape(f, " (", true);
            gh_escape(f, ac_finding_mode_word(x), true);
            gh_escape(f, ")", true);
        }
        fputs("::", f);
        char *m = full_message(x);
        gh_escape(f, m, false);
        free(m);
        if (!l->line && x->old_loc.path) {
            fputs(" (was at ", f);
            gh_escape(f, x->old_loc.path, false);
            fprintf(f, ":%u)", x->old_loc.line);
        }
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

/* ---- SARIF 2.1.0 --------------------------------------------------------------------------------- */

static cJSON *sarif_location(const ac_loc *l)
{
    cJSON *loc = cJSON_CreateObject(), *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
    cJSON *art = cJSON_AddObjectToObject(phys, "artifactLocation");
    cJSON_AddStringToObject(art, "uri", l->path ? l->path : "");
    if (l->line) {
        cJSON *r = cJSON_AddObjectToObject(phys, "region");
        cJSON_AddNumberToObject(r, "startLine", l->line);
        cJSON_AddNumberToObject(r, "startColumn", l->col ? l->col : 1);
        if (l->end_line >= l->line) cJSON_AddNumberToObject(r, "endLine", l->end_line);
        if (l->end_col > l->col && l->end_line == l->line) cJSON_AddNumberToObject(r, "endColumn", l->end_col);
    }
    return loc;
}

static const char *sarif_level(int s)
{
    return s == AC_SEV_ERROR ? "error" : s == AC_SEV_WARN ? "warning" : "note";
}


/* One run: all the findings, or one pair's (its name as the run's automation id, a pair that could
 * not be checked as a failed invocation). */
static cJSON *sarif_run(const ac_findings *fs, const ac_report_opts *o, const ac_report_group *grp)
{
    cJSON *run = cJSON_CreateObject();
    cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
    cJSON_AddStringToObject(driver, "name", "apicompat");
    cJSON_AddStringToObject(driver, "version", o->version ? o->version : "0");
    cJSON_AddStringToObject(driver, "informationUri", "https://github.com/apicompat/apicompat");
    cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
    cJSON *results = cJSON_AddArrayToObject(run, "results");
    /* the rules the results use, in order of first use; ruleIndex points into this list */
    int *index = ac_xcalloc(ac_nrules, sizeof *index);
    int nrules = 0;
    for (size_t i = 0; i < fs->n; i++) {
        const ac_finding *x = &fs->v[i];
        if (grp && !same_group(x->group, grp->name)) continue;
        if (!ac_finding_visible(x, o) && !x->suppressed_by) continue;
        if (x->severity < (grp ? grp->min_level : o->min_level)) continue;
        size_t r = (size_t)(x->rule - ac_rules);
        if (!index[r]) {
            index[r] = ++nrules;
            cJSON *rule = cJSON_CreateObject();
            cJSON_AddStringToObject(rule, "id", x->rule->id);
            cJSON_AddItemToObject(rule, "shortDescription", cJSON_CreateObject());
            cJSON_AddStringToObject(cJSON_GetObjectItem(rule, "shortDescription"), "text", x->rule->summary ? x->rule->summary : x->rule->id);
            cJSON *cfg = cJSON_AddObjectToObject(rule, "defaultConfiguration");
            cJSON_AddStringToObject(cfg, "level", sarif_level(x->rule->severity));
            cJSON *props = cJSON_AddObjectToObject(rule, "properties");
            cJSON *tags = cJSON_AddArrayToObject(props, "tags");
            cJSON_AddItemToArray(tags, cJSON_CreateString(x->rule->format == AC_FMT_PROTO ? "protobuf" : "openapi"));
            cJSON_AddItemToArray(tags, cJSON_CreateString("compatibility"));
            cJSON_AddItemToArray(rules, rule);
        }
        cJSON *res = cJSON_CreateObject();
        cJSON_AddStringToObject(res, "ruleId", x->rule->id);
        cJSON_AddNumberToObject(res, "ruleIndex", index[r] - 1);
        cJSON_AddStringToObject(res, "level", sarif_level(x->severity));
        char *m = full_message(x);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(res, "message"), "text", m);
        free(m);
        const ac_loc *l = x->loc.line ? &x->loc : &x->old_loc;
        cJSON_AddItemToArray(cJSON_AddArrayToObject(res, "locations"), sarif_location(l));
        if (x->loc.line && x->old_loc.line) {
            cJSON *rel = sarif_location(&x->old_loc);
            cJSON_AddNumberToObject(rel, "id", 1);
            cJSON_AddStringToObject(cJSON_AddObjectToObject(rel, "message"), "text", "in the old contract");
            cJSON_AddItemToArray(cJSON_AddArrayToObject(res, "relatedLocations"), rel);
        }
        if (x->suppressed_by) {
            cJSON *sup = cJSON_CreateObject();
            cJSON_AddStringToObject(sup, "kind", strncmp(x->suppressed_by, "inline", 6) ? "external" : "inSource");
            cJSON_AddStringToObject(sup, "justification", x->suppressed_by);
            cJSON_AddItemToArray(cJSON_AddArrayToObject(res, "suppressions"), sup);
        }
        /* the property bag: the pair, the mode, and the proof with its counterexample as the JSON
         * report has them */
        cJSON *props = NULL;
        if (x->group || x->proof || ac_finding_mode_word(x)) props = cJSON_AddObjectToObject(res, "properties");
        if (x->group) cJSON_AddStringToObject(props, ac_group_key(o), x->group);
        if (ac_finding_mode_word(x)) cJSON_AddStringToObject(props, "mode", ac_finding_mode_word(x));
        if (x->proof) cJSON_AddStringToObject(props, "proof", ac_proof_name(x->proof));
        if (x->proof == AC_PROOF_PROVEN && x->cex) cJSON_AddItemToObject(props, "counterexample", ac_counterexample_json(x->cex));
        cJSON_AddItemToArray(results, res);
    }
    free(index);
    if (grp) {
        char id[1100];
        snprintf(id, sizeof id, "apicompat/%s%s/", o->history ? "against/" : "", grp->name);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(run, "automationDetails"), "id", id);
        cJSON *props = cJSON_AddObjectToObject(run, "properties");
        cJSON_AddStringToObject(props, ac_group_key(o), grp->name);
        cJSON_AddStringToObject(props, "status", ac_group_status(grp));
        if (grp->digest) cJSON_AddStringToObject(props, "digest", grp->digest);
        if (grp->same_as) cJSON_AddStringToObject(props, "same_as", grp->same_as);
        cJSON *inv = cJSON_CreateObject();
        cJSON_AddBoolToObject(inv, "executionSuccessful", grp->error == NULL);
        cJSON_AddNumberToObject(inv, "exitCode", grp->exit_code);
        if (grp->error) {
            cJSON *note = cJSON_CreateObject();
            cJSON_AddStringToObject(note, "level", "error");
            cJSON_AddStringToObject(cJSON_AddObjectToObject(note, "message"), "text", grp->error);
            if (grp->error_path && *grp->error_path) {
                ac_loc l = {0};
                l.path = grp->error_path;
                l.line = grp->error_line ? grp->error_line : 1;
                cJSON_AddItemToArray(cJSON_AddArrayToObject(note, "locations"), sarif_location(&l));
            }
            cJSON_AddItemToArray(cJSON_AddArrayToObject(inv, "toolExecutionNotifications"), note);
        }
        cJSON_AddItemToArray(cJSON_AddArrayToObject(run, "invocations"), inv);
    }
    return run;
}

int ac_report_sarif(FILE *f, const ac_findings *fs, const ac_report_opts *o)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    cJSON_AddStringToObject(root, "version", "2.1.0");
    cJSON *runs = cJSON_AddArrayToObject(root, "runs");
    if (!o->ngroups) cJSON_AddItemToArray(runs, sarif_run(fs, o, NULL));
    for (size_t g = 0; g < o->ngroups; g++) cJSON_AddItemToArray(runs, sarif_run(fs, o, &o->groups[g]));
    return ac_report_print_json(f, root);
}

/* ---- JUnit XML ---------------------------------------------------------------------------------- */

static void xml_escape(FILE *f, const char *s)
{
    ac_esc_xml(f, s);
}


/* One test suite per pair (one in all outside batch), failing by that pair's own fail level; one
 * test case per finding; a pair without findings is one passing case, a pair that could not be
 * checked one case with an error. */
int ac_report_junit(FILE *f, const ac_findings *fs, const ac_report_opts *o)
{
    size_t ngroups = o->ngroups ? o->ngroups : 1;
    size_t total = 0, failures = 0, errors = 0;
    size_t *tests = ac_xcalloc(ngroups, sizeof *tests), *fails = ac_xcalloc(ngroups, sizeof *fails);
    for (size_t g = 0; g < ngroups; g++) {
        const char *name = o->ngroups ? o->groups[g].name : NULL;
        if (o->ngroups && o->groups[g].error) {
            tests[g] = 1;
            errors++;
            continue;
        }
        for (size_t i = 0; i < fs->n; i++) {
            const ac_finding *x = &fs->v[i];
            if (!ac_finding_visible(x, o) || (o->ngroups && !same_group(x->group, name))) continue;
            tests[g]++;
            if (ac_finding_fails(x, o)) fails[g]++;
        }
        if (!tests[g]) tests[g] = 1;
        total += tests[g];
        failures += fails[g];
    }
    total += errors;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f, "<testsuites name=\"apicompat\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n", total, failures, errors);
    for (size_t g = 0; g < ngroups; g++) {
        const ac_report_group *grp = o->ngroups ? &o->groups[g] : NULL;
        const char *name = grp ? grp->name : "apicompat";
        bool skipped = grp && grp->same_as && !grp->error;
        fputs("  <testsuite name=\"", f);
        xml_escape(f, grp ? ac_group_prefix(o) : "");
        xml_escape(f, name);
        fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\"%s>\n", tests[g], fails[g], (size_t)(grp && grp->error ? 1 : 0),
                skipped ? " skipped=\"1\"" : "");
        if (grp) {
            fprintf(f, "    <properties>\n      <property name=\"status\" value=\"%s\"/>\n", ac_group_status(grp));
            if (o->history) {
                fputs("      <property name=\"against\" value=\"", f);
                xml_escape(f, name);
                fputs("\"/>\n", f);
            }
            if (grp->digest) fprintf(f, "      <property name=\"digest\" value=\"%s\"/>\n", grp->digest);
            fputs("    </properties>\n", f);
        }
        if (skipped) {
            /* not compared: its content is that of another version, whose suite holds the findings */
            fputs("    <testcase classname=\"apicompat\" name=\"same contract as ", f);
            xml_escape(f, grp->same_as);
            fputs("\">\n      <skipped message=\"same contract as ", f);
            xml_escape(f, grp->same_as);
            fputs("\"/>\n    </testcase>\n  </testsuite>\n", f);
            continue;
        }
        if (grp && grp->error) {
            fputs("    <testcase classname=\"", f);
            xml_escape(f, name);
            fputs("\" name=\"could not be checked\">\n      <error message=\"", f);
            xml_escape(f, grp->error);
            fputs("\"/>\n    </testcase>\n  </testsuite>\n", f);
            continue;
        }
        size_t shown = 0;
        for (size_t i = 0; i < fs->n; i++) {
            const ac_finding *x = &fs->v[i];
            if (!ac_finding_visible(x, o) || (grp && !same_group(x->group, grp->name))) continue;
            shown++;
            const ac_loc *l = ac_finding_loc(x);
            char where[64];
            snprintf(where, sizeof where, ":%u:%u", l->line ? l->line : 1, l->col ? l->col : 1);
            fputs("    <testcase classname=\"", f);
            xml_escape(f, x->rule->id);
            fputs("\" name=\"", f);
            xml_escape(f, l->path ? l->path : "<input>");
            fputs(where, f);
            fputs("\" file=\"", f);
            xml_escape(f, l->path ? l->path : "");
            fprintf(f, "\" line=\"%u\">\n", l->line);
            char *m = mode_message(x);
            if (ac_finding_fails(x, o)) {
                fputs("      <failure type=\"", f);
                xml_escape(f, x->rule->id);
                fputs("\" message=\"", f);
                xml_escape(f, m);
                fprintf(f, "\">%s ", sev_name(x->severity));
                xml_escape(f, x->rule->id);
                fputc(' ', f);
                xml_escape(f, m);
                fputs("</failure>\n", f);
            } else {
                fprintf(f, "      <system-out>%s ", x->suppressed_by ? "suppressed" : sev_name(x->severity));
                xml_escape(f, m);
                fputs("</system-out>\n", f);
            }
            free(m);
            fputs("    </testcase>\n", f);
        }
        if (!shown) fputs("    <testcase classname=\"apicompat\" name=\"no breaking changes\"/>\n", f);
        fputs("  </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
    free(tests);
    free(fails);
    return ferror(f) ? -1 : 0;
}

/* ---- Markdown ------------------------------------------------------------------------------------ */

/* A location as a code span, "path:line" (line 1 when there is none). */
static void md_where(FILE *f, const ac_loc *l)
{
    const char *path = l->path ? l->path : "<input>";
    size_t wn = strlen(path) + 16;
    char *where = ac_xmalloc(wn);
    snprintf(where, wn, "%s:%u", path, l->line ? l->line : 1);
    ac_esc_markdown_code(f, where);
    free(where);
}

/* Inside a table cell or a heading: text that renders as itself, on one line (escape.h). */
static void md_cell(FILE *f, const char *s)
{
    ac_esc_markdown(f, s);
}

static void md_findings(FILE *f, const ac_findings *fs, const ac_report_opts *o, const char *group, int level)
{
    bool header = false;
    for (size_t i = 0; i < fs->n; i++) {
        const ac_finding *x = &fs->v[i];
        if (!ac_finding_visible(x, o) || x->severity != level || (o->ngroups && !same_group(x->group, group))) continue;
        if (!header) {
            fputs("| Rule | Change | Where |\n|---|---|---|\n", f);
            header = true;
        }
        const ac_loc *l = ac_finding_loc(x);
        fputs("| ", f);
        ac_esc_markdown_code(f, x->rule->id);
        if (ac_finding_mode_word(x)) fprintf(f, " (%s)", ac_finding_mode_word(x));
        fputs(" | ", f);
        char *m = full_message(x);
        md_cell(f, m);
        free(m);
        if (x->suppressed_by) {
            fputs(" *(suppressed: ", f);
            md_cell(f, x->suppressed_by);
            fputs(")*", f);
        }
        fputs(" | ", f);
        md_where(f, l);
        fputs(" |\n", f);
    }
    if (header) fputc('\n', f);
}

/* One finding's counterexample as a list item: where it is, what the instance is, what each side
 * reads.  Every piece from a contract is in a code span. */
static void md_counterexample(FILE *f, const ac_finding *x)
{
    const ac_counterexample *c = x->cex;
    const ac_loc *l = ac_finding_loc(x);
    fputs("- ", f);
    ac_esc_markdown_code(f, x->rule->id);
    fputs(" at ", f);
    md_where(f, l);
    fputs(": ", f);
    md_cell(f, c->kind ? c->kind : "?");
    if (c->direction) {
        fputs(" (", f);
        md_cell(f, c->direction);
        fputc(')', f);
    }
    const char *parts[3] = {c->operation, c->status, c->media_type};
    for (int i = 0; i < 3; i++)
        if (parts[i]) {
            fputs(", ", f);
            ac_esc_markdown_code(f, parts[i]);
        }
    if (c->param_name) {
        fputs(", ", f);
        md_cell(f, c->param_in ? c->param_in : "");
        fputs(" parameter ", f);
        ac_esc_markdown_code(f, c->param_name);
    }
    if (c->message) {
        fputs(", message ", f);
        ac_esc_markdown_code(f, c->message);
    }
    if (c->value || c->binary) {
        fputs(": ", f);
        ac_esc_markdown_code(f, c->value ? c->value : *c->binary ? c->binary : "(empty)");
    }
    if (c->old_reading) {
        fputs("; OLD reads ", f);
        if (*c->old_reading) ac_esc_markdown_code(f, c->old_reading);
        else fputs("nothing", f);
    }
    if (c->new_reading) {
        fputs(", NEW reads ", f);
        if (*c->new_reading) ac_esc_markdown_code(f, c->new_reading);
        else fputs("nothing", f);
    }
    fputc('\n', f);
}

/* Under the tables: the counterexamples of the proven findings, folded. */
static void md_proofs(FILE *f, const ac_findings *fs, const ac_report_opts *o, const char *group)
{
    size_t proven = 0, looked = 0;
    for (size_t i = 0; i < fs->n; i++) {
        const ac_finding *x = &fs->v[i];
        if (!ac_finding_visible(x, o) || !x->proof || (o->ngroups && !same_group(x->group, group))) continue;
        looked++;
        proven += x->proof == AC_PROOF_PROVEN && x->cex;
    }
    if (!proven) return;
    fprintf(f, "<details><summary>Counterexamples: %zu of %zu proven</summary>\n\n", proven, looked);
    for (size_t i = 0; i < fs->n; i++) {
        const ac_finding *x = &fs->v[i];
        if (!ac_finding_visible(x, o) || x->proof != AC_PROOF_PROVEN || !x->cex || (o->ngroups && !same_group(x->group, group)))
            continue;
        md_counterexample(f, x);
    }
    fputs("\n</details>\n\n", f);
}

static void md_section(FILE *f, const ac_findings *fs, const ac_report_opts *o, const char *group, size_t counts[3])
{
    static const char *const verdict_title[3] = {"Other changes", "Warnings", "Breaking changes"};
    static const char *const notes_title[3] = {"Other changes", "Changes that may break clients", "Breaking changes"};
    for (int s = AC_SEV_ERROR; s >= AC_SEV_INFO; s--) {
        if (!counts[s]) continue;
        fprintf(f, "%s %s (%zu)\n\n", group ? "####" : "###", o->changelog ? notes_title[s] : verdict_title[s], counts[s]);
        md_findings(f, fs, o, group, s);
    }
    md_proofs(f, fs, o, group);
}

static void count_group(const ac_findings *fs, const ac_report_opts *o, const char *group, size_t counts[3], size_t *suppressed)
{
    counts[0] = counts[1] = counts[2] = 0;
    *suppressed = 0;
    for (size_t i = 0; i < fs->n; i++) {
        const ac_finding *x = &fs->v[i];
        if (group && !same_group(x->group, group)) continue;
        const ac_report_group *g = ac_finding_group(x, o);
        if (x->severity < (g ? g->min_level : o->min_level)) continue;
        if (x->suppressed_by) (*suppressed)++;
        if (ac_finding_visible(x, o)) counts[x->severity]++;
    }
}

int ac_report_markdown(FILE *f, const ac_findings *fs, const ac_report_opts *o)
{
    size_t counts[3], suppressed;
    char buf[160];
    count_group(fs, o, NULL, counts, &suppressed);
    bool breaking = ac_findings_exit_code(fs, o->fail_on) == 1;
    size_t failed = 0;
    if (o->ngroups) breaking = false;
    for (size_t g = 0; g < o->ngroups; g++) {
        failed += o->groups[g].error != NULL;
        breaking |= o->groups[g].exit_code == 1;
    }
    if (o->changelog)
        fprintf(f, "## API changes\n\n");
    else
        fprintf(f, "## apicompat: %s\n\n", failed ? "some contracts could not be checked"
                                           : breaking ? "breaking changes"
                                                      : "no breaking changes");
    fprintf(f, "%s.\n\n", ac_findings_summary(buf, sizeof buf, counts, suppressed));
    if (!o->ngroups) {
        md_section(f, fs, o, NULL, counts);
    } else {
        fputs(o->history ? "| Against | Status | Result |\n|---|---|---|\n" : "| Contract | Status | Result |\n|---|---|---|\n", f);
        for (size_t g = 0; g < o->ngroups; g++) {
            size_t c[3], sup;
            count_group(fs, o, o->groups[g].name, c, &sup);
            fputs("| ", f);
            md_cell(f, o->groups[g].name);
            fprintf(f, " | %s | ", ac_group_status(&o->groups[g]));
            if (o->groups[g].error) {
                fputs("could not be checked: ", f);
                md_cell(f, o->groups[g].error);
            } else if (o->groups[g].same_as) {
                fputs("same contract as ", f);
                md_cell(f, o->groups[g].same_as);
            } else {
                bool none = !c[0] && !c[1] && !c[2] && !sup;
                if (!none || !o->groups[g].repeated) fputs(ac_findings_summary(buf, sizeof buf, c, sup), f);
                if (o->groups[g].repeated)
                    fprintf(f, "%s%s", none ? "" : " and ", ac_group_repeated(buf, sizeof buf, &o->groups[g]));
            }
            fputs(" |\n", f);
        }
        fputc('\n', f);
        for (size_t g = 0; g < o->ngroups; g++) {
            size_t c[3], sup;
            count_group(fs, o, o->groups[g].name, c, &sup);
            if (!c[0] && !c[1] && !c[2]) continue;
            fprintf(f, "### %s", ac_group_prefix(o));
            md_cell(f, o->groups[g].name);
            fputs("\n\n", f);
            md_section(f, fs, o, o->groups[g].name, c);
        }
    }
    return ferror(f) ? -1 : 0;
}

/* ---- GitLab Code Quality -------------------------------------------------------------------------- */

/* A stable fingerprint: FNV-1a over rule, path and message (line numbers left out, so a finding
 * keeps its identity when lines above it move). */
static void fingerprint(const ac_finding *x, char out[33])
{
    uint64_t h1 = 1469598103934665603ull, h2 = 1099511628211ull * 31;
    const char *parts[4] = {x->rule->id, x->loc.path ? x->loc.path : (x->old_loc.path ? x->old_loc.path : ""), x->message,
                            x->group ? x->group : ""};
    /* which way it breaks, when the run checked more than backward: a forward finding and a
     * backward one with the same message stay two issues */
    const char *way = ac_finding_mode_word(x);
    for (int p = 0; p < (way ? 5 : 4); p++)
        for (const unsigned char *s = (const unsigned char *)(p < 4 ? parts[p] : way); ; s++) {
            unsigned char c = *s ? *s : 0xff;
            h1 = (h1 ^ c) * 1099511628211ull;
            h2 = (h2 ^ c) * 0x100000001b3ull + 0x9e3779b97f4a7c15ull;
            if (!*s) break;
        }
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h1, (unsigned long long)h2);
}

int ac_report_gitlab(FILE *f, const ac_findings *fs, const ac_report_opts *o)
{
    static const char *const sev[3] = {"info", "minor", "major"};
    cJSON *root = cJSON_CreateArray();
    for (size_t i = 0; i < fs->n; i++) {
        const ac_finding *x = &fs->v[i];
        if (!ac_finding_visible(x, o) || x->suppressed_by) continue;
        cJSON *j = cJSON_CreateObject();
        char *m = mode_message(x);
        if (x->group) {
            size_t n = strlen(x->group) + strlen(m) + 12;
            char *d = ac_xmalloc(n);
            snprintf(d, n, "[%s%s] %s", ac_group_prefix(o), x->group, m);
            cJSON_AddStringToObject(j, "description", d);
            free(d);
        } else {
            cJSON_AddStringToObject(j, "description", m);
        }
        free(m);
        cJSON_AddStringToObject(j, "check_name", x->rule->id);
        char fp[33];
        fingerprint(x, fp);
        cJSON_AddStringToObject(j, "fingerprint", fp);
        cJSON_AddStringToObject(j, "severity", sev[x->severity]);
        cJSON_AddItemToArray(cJSON_AddArrayToObject(j, "categories"), cJSON_CreateString("Compatibility"));
        const ac_loc *l = ac_finding_loc(x);
        cJSON *loc = cJSON_AddObjectToObject(j, "location");
        cJSON_AddStringToObject(loc, "path", l->path ? l->path : "");
        cJSON *lines = cJSON_AddObjectToObject(loc, "lines");
        cJSON_AddNumberToObject(lines, "begin", l->line ? l->line : 1);
        if (x->group) cJSON_AddStringToObject(j, ac_group_key(o), x->group);
        cJSON_AddItemToArray(root, j);
    }
    /* a pair that could not be checked is a blocker of its own, on the file it could not read */
    for (size_t g = 0; g < o->ngroups; g++) {
        const ac_report_group *grp = &o->groups[g];
        if (!grp->error) continue;
        cJSON *j = cJSON_CreateObject();
        size_t n = strlen(grp->name) + strlen(grp->error) + 40;
        char *d = ac_xmalloc(n);
        snprintf(d, n, "[%s%s] could not be checked: %s", ac_group_prefix(o), grp->name, grp->error);
        cJSON_AddStringToObject(j, "description", d);
        free(d);
        cJSON_AddStringToObject(j, "check_name", "apicompat-could-not-check");
        char fp[33];
        uint64_t h = 1469598103934665603ull;
        for (const unsigned char *c = (const unsigned char *)grp->name; *c; c++) h = (h ^ *c) * 1099511628211ull;
        snprintf(fp, sizeof fp, "%016llx%016llx", (unsigned long long)h, 0xe77ull);
        cJSON_AddStringToObject(j, "fingerprint", fp);
        cJSON_AddStringToObject(j, "severity", "blocker");
        cJSON_AddItemToArray(cJSON_AddArrayToObject(j, "categories"), cJSON_CreateString("Compatibility"));
        cJSON *loc = cJSON_AddObjectToObject(j, "location");
        cJSON_AddStringToObject(loc, "path", grp->error_path ? grp->error_path : "");
        cJSON_AddNumberToObject(cJSON_AddObjectToObject(loc, "lines"), "begin", grp->error_line ? grp->error_line : 1);
        cJSON_AddStringToObject(j, ac_group_key(o), grp->name);
        cJSON_AddItemToArray(root, j);
    }
    return ac_report_print_json(f, root);
}
