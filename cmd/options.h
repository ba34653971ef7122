/* Internal to cmd/: the command line.  One table of options feeds both the parser and --help. */
#ifndef AC_OPTIONS_H
#define AC_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "compat/base/status.h"
#include "compat/policy/policy.h"

/* The release number (the VERSION file) and the build (`git describe` at build time, else the
 * release number): the Makefile's -D for main.c and pipeline.c. */
#ifndef APICOMPAT_VERSION
#define APICOMPAT_VERSION "unknown"
#endif
#ifndef APICOMPAT_DESCRIBE
#define APICOMPAT_DESCRIBE APICOMPAT_VERSION
#endif

/* The commands, in the order of --help; a bit each in the option table's `commands` column. */
typedef enum {
    AC_CMD_BREAKING,
    AC_CMD_CHANGELOG,
    AC_CMD_BATCH,
    AC_CMD_HISTORY,
    AC_CMD_RULES,
    AC_CMD_CONFIG,
    AC_CMD_REPORT,
    AC_CMD_VALIDATE,
    AC_CMD_CASES,
    AC_CMD_REPLAY,
    AC_CMD_REST,
    AC_NCMDS
} ac_cmd;

/* What --help, the man page and the completions say of a command, and what the parser checks. */
typedef struct ac_cmd_info {
    const char *name;
    const char *summary;  /* one line */
    const char *usage[3]; /* the forms after "apicompat NAME" */
    unsigned formats;     /* the --format values it writes (bits of out_format); 0: no --format */
    int max_args;         /* operands it takes at most, or -1 (the command checks them) */
} ac_cmd_info;

extern const ac_cmd_info ac_cmds[AC_NCMDS];

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
    const char *credentials; /* replay --server: a YAML/JSON file of credentials and headers */
    const char *cacert; /* https://: the CA certificates to trust (PEM), instead of the system's */
    long call_timeout_ms, run_timeout_ms;
    size_t max_response;
    unsigned concurrency;
    const char **positional;
    size_t npositional;
    ac_cmd cmd;
    bool help; /* --help or -h: print the command's usage instead of running it */
    /* The options as given that shape one comparison, in order: each row's long name and its value
     * (NULL for a flag).  Those that name what is compared (--old, --new, --against,
     * --against-tags, --shard) are left out.  breaking and changelog hand them to libapicompat. */
    struct ac_given_option {
        const char *name, *value;
    } *given;
    size_t ngiven;
} options;

/* The defaults, before any option is read. */
void ac_options_init(options *o);
/* Reads argv[0..argc) (what follows the name of command cmd) into o; operands go to
 * o->positional.  An option the command does not take, a value that is not one of an option's
 * values, a file or directory that is not there, and operands beyond the command's are errors.
 * --help or -h anywhere before "--" only sets o->help. */
int ac_options_parse(ac_cmd cmd, int argc, char **argv, options *o, ac_status *st);
/* One option of command o->cmd by its long name (no dashes) and value (NULL for a flag; "true"
 * is taken too), read as the parser reads "--name value": the same row, the same checks of files
 * and values, the same messages.  value is kept, not copied.  Returns AC_OK; AC_ERROR when the
 * value is refused; AC_OPT_NAME when the command has no such option (or it names what is
 * compared, or a flag is given a value, or an option none). */
enum { AC_OPT_NAME = 3 };
int ac_options_set(options *o, const char *name, const char *value, ac_status *st);
/* The "options:" part of --help for the commands in mask (bits of ac_cmd), one line per row. */
void ac_options_help(FILE *f, unsigned mask);
/* A command's own --help: its forms, what it does, and its options. */
void ac_cmd_help(FILE *f, ac_cmd cmd);
/* The option table as data, one tab-separated line per option, for the man page, the shell
 * completions and the README's check (apicompat --dump-options; see dist/gen.sh). */
void ac_options_dump(FILE *f);
/* Finds a command by name, or -1. */
int ac_cmd_find(const char *name);
void ac_options_free(options *o);

#endif
