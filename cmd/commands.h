/* Internal to cmd/: the commands, one file each, dispatched from the table in main.c.  A command
 * reads the parsed options and returns the exit code (0, 1, or 2 with *st set). */
#ifndef AC_COMMANDS_H
#define AC_COMMANDS_H

#include "cmd/options.h"

typedef int (*ac_cmd_fn)(options *o, ac_status *st);

int ac_cmd_breaking(options *o, ac_status *st);  /* breaking.c */
int ac_cmd_changelog(options *o, ac_status *st); /* breaking.c */
int ac_cmd_batch(options *o, ac_status *st);     /* batch.c */
int ac_cmd_history(options *o, ac_status *st);   /* history.c */
/* breaking --against-tags GLOB PATH... (history.c) */
int ac_breaking_against_tags(options *o, ac_status *st);
int ac_cmd_rules(options *o, ac_status *st);     /* rules.c */
int ac_cmd_config(options *o, ac_status *st);    /* config_cmd.c */
int ac_cmd_report(options *o, ac_status *st);    /* report_cmd.c */
int ac_cmd_validate(options *o, ac_status *st);  /* validate.c */
int ac_cmd_cases(options *o, ac_status *st);     /* cases.c */
int ac_cmd_replay(options *o, ac_status *st);    /* replay.c */
int ac_cmd_rest(options *o, ac_status *st);      /* rest.c */
/* replay DIR --server URL (replay_live.c) */
int ac_replay_live(options *o, ac_status *st);
/* A suite's manifest DIR/cases.json, checked (each case's id, operation, kind, file and media type or
 * message, paths inside the suite, at most AC_LIMIT_CASES_SUITE cases): *out (free with cJSON_Delete)
 * and the contract copy's file name in a (replay.c). */
struct cJSON;
int ac_suite_read(ac_arena *a, const char *dir, struct cJSON **out, const char **contract, ac_status *st);

#endif
