/* Internal to cmd/: what the commands share.  One pair of inputs is loaded, given its policy and
 * checked by ac_pair_check; the findings of all pairs are merged and written by ac_write_report. */
#ifndef AC_PIPELINE_H
#define AC_PIPELINE_H

#include <stdbool.h>

#include "cmd/options.h"
#include "compat/compat.h"

/* One comparison: its contracts (findings point into them) and its findings. */
typedef struct pair_run {
    ac_contract *old, *new;
    ac_policy policy;
    ac_findings fs;
    ac_arena *arena;
} pair_run;

/* Loads OLD and NEW (paths or git:REF:PATH), builds the policy (config, when not NULL, stands in
 * for --config) and checks the pair into r->fs.  Free r with ac_pair_free, whatever happened. */
int ac_pair_check(const options *o, const char *oldp, const char *newp, const char *config, bool defer_meta, pair_run *r,
                  ac_status *st);
void ac_pair_free(pair_run *r);

/* Whether the reports asked for show proofs (JSON, SARIF, Markdown, text --explain), so that
 * ac_pair_check looks for counterexamples; never with --no-proofs. */
bool ac_wants_proofs(const options *o);

/* All pairs' findings as one sorted list (the structs are copied; their strings stay with each
 * pair).  groups, when not NULL, names each pair's findings. */
void ac_pairs_merge(pair_run *runs, size_t n, ac_findings *all, const char *const *groups);

/* A batch's report options over its pairs: the lowest fail level of the pairs that could be
 * checked decides what is shown; *worst is the worst pair's exit code. */
ac_report_opts ac_batch_report_opts(const ac_report_group *groups, size_t n, int *worst);

/* The report in the chosen format on stdout (and GitHub's step summary). */
int ac_write_report(const options *o, const ac_findings *fs, ac_report_opts *ro, ac_status *st);

/* Loads one input (a path or git:REF:PATH) as breaking does; a holds what a git copy needs. */
int ac_load_contract(const options *o, const char *path, ac_arena *a, ac_contract **out, ac_status *st);
/* Where external $refs of the document at path may reach besides its own directory (--ref-root,
 * else the git repository around it), or NULL.  Free it unless it is o->ref_root. */
const char *ac_ref_root(const options *o, const char *path);

/* Allows reading inside what the user named on the command line (inputs or manifest, --config,
 * -I): the repository around each, else its directory.  Paths read from inputs stay inside. */
void ac_allow_user_paths(const options *o, const char *const *paths, size_t n);

/* Whether a configuration file is buf's (buf.yaml, buf.work.yaml) rather than apicompat.yaml. */
bool ac_is_buf_config(const char *path);

#endif
