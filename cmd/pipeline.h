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
    const struct ac_buf_config *oldcfg, *newcfg; /* the buf.yaml that described each side, or NULL */
    ac_policy policy;
    ac_findings fs;
    ac_arena *arena;
    unsigned char old_digest[32], new_digest[32]; /* ac_pair_load with digest: SHA-256 of each side */
} pair_run;

/* Loads OLD and NEW (paths or git:REF:PATH), builds the policy (config, when not NULL, stands in
 * for --config) and checks the pair into r->fs.  Free r with ac_pair_free, whatever happened. */
int ac_pair_check(const options *o, const char *oldp, const char *newp, const char *config, bool defer_meta, pair_run *r,
                  ac_status *st);
/* The two halves of ac_pair_check: load both sides (with digest, also the SHA-256 of what each was
 * built from, so that equal contracts are known before they are compared), then build the policy
 * and compare. */
int ac_pair_load(const options *o, const char *oldp, const char *newp, const char *config, bool digest, pair_run *r,
                 ac_status *st);
int ac_pair_compare(const options *o, const char *config, bool defer_meta, pair_run *r, ac_status *st);
void ac_pair_free(pair_run *r);

/* A note on f (stderr) for each format of the checked contracts that --use names nothing of: that
 * format keeps its configured rules (--use is read per format), which the user may not expect. */
void ac_note_use_formats(FILE *f, const options *o, const pair_run *runs, size_t n);
/* Whether the reports asked for show proofs (JSON, SARIF, Markdown, text --explain), so that
 * ac_pair_check looks for counterexamples; never with --no-proofs. */
bool ac_wants_proofs(const options *o);

/* All pairs' findings as one sorted list (the structs are copied; their strings stay with each
 * pair).  groups, when not NULL, names each pair's findings. */
void ac_pairs_merge(pair_run *runs, size_t n, ac_findings *all, const char *const *groups);

/* A batch's report options over its pairs: the lowest fail level of the pairs that could be
 * checked decides what is shown; *worst is the worst pair's exit code. */
ac_report_opts ac_batch_report_opts(const ac_report_group *groups, size_t n, int *worst);

/* Why a pair (a batch's) or a version (a history's) could not be checked, as one line in g (with its
 * file and line); also on stderr, "PREFIXNAME: message", and as an annotation with --format github. */
void ac_group_error(const options *o, ac_arena *a, const char *prefix, const char *name, const ac_status *ps,
                    ac_report_group *g);

/* The report options of one pair (breaking and changelog OLD NEW): shown from warnings (changelog:
 * from info), and always what makes the exit code 1 under fail_on. */
ac_report_opts ac_pair_report_opts(int fail_on, bool changelog);

/* The report in the chosen format on stdout (and GitHub's step summary). */
int ac_write_report(const options *o, const ac_findings *fs, ac_report_opts *ro, ac_status *st);
/* The same on f (colours when f is a terminal), and the files the options name besides. */
int ac_write_report_to(const options *o, FILE *f, const ac_findings *fs, ac_report_opts *ro, ac_status *st);

/* Flushes stdout after a command wrote its result (failed: the writing already failed).  A write
 * error is an error ("cannot write WHAT: why"), except when the reader has gone (a closed pipe):
 * then the rest is dropped quietly and the command's exit code stands. */
int ac_stdout_done(int failed, const char *what, ac_status *st);
/* The same for any stream: only stdout's reader going away is quiet. */
int ac_stream_done(FILE *f, int failed, const char *what, ac_status *st);

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
