/* Findings and the views of them: a sorted, de-duplicated list; text and JSON output. */
#ifndef AC_REPORT_H
#define AC_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "compat/base/arena.h"
#include "compat/base/status.h"
#include "compat/rules/finding.h"

/* Sorts by path, line, column, rule, message and drops exact duplicates: deterministic output. */
void ac_findings_sort(ac_findings *fs);

/* batch: one pair, a check of its own (its policy's fail level, its findings, its status). */
typedef struct ac_report_group {
    const char *name;
    const char *error;      /* NULL, or why it could not be checked (one line) */
    const char *error_path; /* the file the error is about, or NULL */
    unsigned error_line;
    int fail_on;   /* ac_severity, this pair's */
    int min_level; /* findings of this pair below it are not shown */
    int exit_code; /* 0 ok, 1 breaking, 2 could not be checked */
    bool has_counts; /* report merge: the counts the pair's JSON summary gave (infos included) */
    size_t counts[3], suppressed;
    /* history: a group is an earlier version the newest is checked against */
    const char *digest;  /* "sha256:..." of what the version's contract was built from */
    const char *same_as; /* not compared: the version (or the newest) with the same content */
    size_t repeated;     /* findings at the shown levels already reported against an earlier version */
} ac_report_group;

typedef struct ac_report_opts {
    bool show_suppressed;
    int fail_on;   /* ac_severity */
    int min_level; /* findings below this level are not shown (breaking: warning; changelog: info) */
    bool color;    /* text: ANSI colours (a terminal, NO_COLOR unset) */
    bool changelog; /* markdown: release notes rather than a verdict */
    const char *version; /* of apicompat, for SARIF */
    const ac_report_group *groups; /* batch: every pair, in manifest order; findings name theirs */
    size_t ngroups;
    bool batch; /* groups are a batch's pairs (maybe none: an empty --shard) */
    bool pair_errors; /* github: annotate the pairs that could not be checked (report merge; batch
                         annotates them as they happen) */
    bool history; /* groups are the earlier versions the newest was checked against (apicompat
                     history, breaking --against-tags): each view says "against" where batch says pair */
    const char *new_name, *new_digest; /* history: the newest version */
    unsigned shard_k, shard_n; /* batch --shard K/N (JSON says which shard, so a merge sees one missing) */
    bool explain;     /* text: each finding's proof and counterexample under it */
} ac_report_opts;

/* Each returns 0, or -1 when writing failed. */
int ac_report_text(FILE *f, const ac_findings *fs, const ac_report_opts *o);
int ac_report_json(FILE *f, const ac_findings *fs, const ac_report_opts *o);
/* CI views (report_ci.c): GitHub workflow commands, SARIF 2.1.0, JUnit XML, Markdown, GitLab Code
 * Quality. */
int ac_report_github(FILE *f, const ac_findings *fs, const ac_report_opts *o);
int ac_report_sarif(FILE *f, const ac_findings *fs, const ac_report_opts *o);
int ac_report_junit(FILE *f, const ac_findings *fs, const ac_report_opts *o);
int ac_report_markdown(FILE *f, const ac_findings *fs, const ac_report_opts *o);
int ac_report_gitlab(FILE *f, const ac_findings *fs, const ac_report_opts *o);

/* The words of a proof and of a counterexample as the reports write them; ac_counterexample_json
 * builds the "counterexample" object of the JSON report (SARIF's property bag holds the same). */
const char *ac_proof_name(int proof);
struct cJSON *ac_counterexample_json(const ac_counterexample *c);
/* Reads the "counterexample" object of a JSON report back into arena a; NULL when it is not one. */
const ac_counterexample *ac_counterexample_from_json(ac_arena *a, const struct cJSON *j);

/* Prints a JSON document and frees it; -1 when writing failed. */
struct cJSON;
int ac_report_print_json(FILE *f, struct cJSON *root);

/* Shared by the views: is the finding shown, where, and its operations as " (in A, B and 3 more)". */
bool ac_finding_visible(const ac_finding *x, const ac_report_opts *o);
const ac_loc *ac_finding_loc(const ac_finding *x);
/* batch: the pair a finding belongs to (NULL outside batch); whether it fails the check (at or
 * above its pair's fail level); a pair's status word ("ok", "breaking", "error"). */
const ac_report_group *ac_finding_group(const ac_finding *x, const ac_report_opts *o);
bool ac_finding_fails(const ac_finding *x, const ac_report_opts *o);
const char *ac_group_status(const ac_report_group *g);
/* What a group is called in field names ("pair", or "against" in history) and before its name in
 * text ("", or "against "). */
const char *ac_group_key(const ac_report_opts *o);
/* history: "N reported against an earlier version" (the group's findings listed under another). */
const char *ac_group_repeated(char *buf, size_t n, const ac_report_group *g);
const char *ac_group_prefix(const ac_report_opts *o);
/* The exit code of the whole report: the worst of the pairs' in batch. */
int ac_report_exit_code(const ac_findings *fs, const ac_report_opts *o);
/* Counts of one pair's findings (group NULL: all of them), as ac_findings_count. */
void ac_findings_count_group(const ac_findings *fs, const ac_report_opts *o, const char *group, size_t counts[3],
                             size_t *suppressed);
/* Counts of shown, unsuppressed findings by severity (info, warning, error) and of suppressed ones. */
void ac_findings_count(const ac_findings *fs, const ac_report_opts *o, size_t counts[3], size_t *suppressed);
/* "2 errors, 1 warning, 3 info" (and ", 1 suppressed"), or "no changes" */
const char *ac_findings_summary(char *buf, size_t n, const size_t counts[3], size_t suppressed);

/* The exit code the findings call for: 1 when any unsuppressed finding is at or above fail_on. */
int ac_findings_exit_code(const ac_findings *fs, int fail_on);

#endif
