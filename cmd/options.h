/* Internal to cmd/: the command line.  One table of options feeds both the parser and --help. */
#ifndef AC_OPTIONS_H
#define AC_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "compat/base/status.h"
#include "compat/policy/policy.h"

#define APICOMPAT_VERSION "0.1.0"

/* The order of format_names in options.c and of the report views in pipeline.c. */
typedef enum { FMT_TEXT, FMT_JSON, FMT_MARKDOWN, FMT_GITHUB, FMT_SARIF, FMT_JUNIT, FMT_GITLAB, FMT_OPENAPI } out_format;

typedef struct options {
    out_format format;
    const char *protoc;
    const char **includes;
    size_t nincludes;
    const char **paths;
    size_t npaths;
    const char *config;
    const char *ref_root; /* --ref-root: where external $refs may reach (default: the repository's root) */
    const char *severity_levels, *err_ignore, *warn_ignore;
    int deprecation_days;
    bool deprecation_days_set;
    ac_cfg_str *use, *except;
    size_t nuse, nexcept;
    int rule_set;  /* --rule-set: an ac_rule_set, or -1 when not given */
    unsigned mode; /* --mode: AC_MODE_*, or 0 when not given */
    const char *old_input, *new_input; /* --old, --new: the named form of OLD NEW */
    int fail_on;
    bool fail_on_set;
    bool show_suppressed;
    bool explain;   /* text: each finding's proof under it */
    bool no_proofs; /* --no-proofs: no counterexample search */
    const char *against; /* --against REF */
    const char *against_tags; /* --against-tags GLOB */
    unsigned shard_k, shard_n; /* batch --shard K/N (1 <= K <= N); shard_n 0: every pair */
    /* reports written besides stdout: Markdown appended (a step summary), SARIF and JSON replaced */
    const char *summary_file, *sarif_file, *json_file;
    /* validate */
    const char *operation, *response_status, *media_type, *schema_ref, *direction, *dialect;
    bool request, message;
    const char *out_dir; /* cases --out */
    /* replay --server: the live replay (cmd/replay_live.c) and its bounds (0: the default) */
    const char *server, *contract;
    long call_timeout_ms, run_timeout_ms;
    size_t max_response;
    unsigned concurrency;
    const char **positional;
    size_t npositional;
} options;

/* The defaults, before any option is read. */
void ac_options_init(options *o);
/* Reads argv[0..argc) (what follows the command name) into o; operands go to o->positional. */
int ac_options_parse(int argc, char **argv, options *o, ac_status *st);
/* The "options:" part of --help, one line per row of the table. */
void ac_options_help(FILE *f);
void ac_options_free(options *o);

#endif
