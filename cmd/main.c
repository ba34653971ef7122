/* apicompat: does a change to an API contract break clients already in the field?
 *
 *   apicompat breaking OLD NEW [options]   exit 0: compatible, 1: breaking, 2: could not check
 *   apicompat rules [--format text|json|markdown]
 *   apicompat COMMAND --help, apicompat --version
 *
 * This file only dispatches: each command lives in its own file (commands.h), the options in
 * options.c, and what the commands share (load, policy, check, report) in pipeline.c.  No checking
 * logic lives in cmd/. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cmd/commands.h"
#include "cmd/pipeline.h"
#include "compat/base/arena.h"

/* The function of each command of the table in options.c (ac_cmds). */
static const ac_cmd_fn command_fns[AC_NCMDS] = {
    [AC_CMD_BREAKING] = ac_cmd_breaking, [AC_CMD_CHANGELOG] = ac_cmd_changelog, [AC_CMD_BATCH] = ac_cmd_batch,
    [AC_CMD_HISTORY] = ac_cmd_history,   [AC_CMD_RULES] = ac_cmd_rules,         [AC_CMD_CONFIG] = ac_cmd_config,
    [AC_CMD_REPORT] = ac_cmd_report,     [AC_CMD_VALIDATE] = ac_cmd_validate,   [AC_CMD_CASES] = ac_cmd_cases,
    [AC_CMD_REPLAY] = ac_cmd_replay,     [AC_CMD_REST] = ac_cmd_rest,
};

static void usage(FILE *f)
{
    const char *lead = "usage:";
    for (size_t i = 0; i < AC_NCMDS; i++)
        for (size_t k = 0; k < 3 && ac_cmds[i].usage[k]; k++, lead = "      ")
            fprintf(f, "%s apicompat %s %s\n", lead, ac_cmds[i].name, ac_cmds[i].usage[k]);
    fprintf(f, "       apicompat --version\n"
               "       apicompat COMMAND --help\n"
               "\n"
               "OLD and NEW: a .proto file, a directory of .proto files (buf.yaml honoured), a binary\n"
               "FileDescriptorSet (protoc -o, buf build -o), or an OpenAPI 3.0/3.1 or Swagger 2.0 document\n"
               "(YAML or JSON); git:REF:PATH reads PATH as it is at git revision REF.\n"
               "\n"
               "exit codes: 0 no breaking changes, 1 breaking changes found, 2 could not check\n\noptions:\n");
    ac_options_help(f, ~0u);
}

static int unknown_command(const char *cmd, ac_status *st)
{
    char names[256];
    size_t w = 0;
    for (size_t i = 0; i < AC_NCMDS; i++)
        w += (size_t)snprintf(names + w, w < sizeof names ? sizeof names - w : 0, "%s%s", !i ? "" : i + 1 < AC_NCMDS ? ", " : " or ",
                              ac_cmds[i].name);
    return ac_fail(st, NULL, 0, 0, "unknown command \"%s\" (expected %s; see apicompat --help)", cmd, names);
}

int main(int argc, char **argv)
{
    /* a closed pipe is a write error (EPIPE), not a silent death: the commands end quietly when
     * the reader has gone (ac_stdout_gone), and report any other write error */
    signal(SIGPIPE, SIG_IGN);
    cJSON_Hooks hooks = {ac_xmalloc, free};
    cJSON_InitHooks(&hooks);
    ac_status st;
    ac_status_init(&st);
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        if (argc >= 3) { /* help COMMAND */
            if (ac_cmd_find(argv[2]) < 0) {
                unknown_command(argv[2], &st);
                ac_status_print(&st, stderr);
                return AC_ERROR;
            }
            ac_cmd_help(stdout, (ac_cmd)ac_cmd_find(argv[2]));
            return ac_stdout_done(0, "the help", &st) ? (ac_status_print(&st, stderr), AC_ERROR) : 0;
        }
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? AC_ERROR : 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        if (strcmp(APICOMPAT_DESCRIBE, APICOMPAT_VERSION)) printf("apicompat %s (%s)\n", APICOMPAT_VERSION, APICOMPAT_DESCRIBE);
        else printf("apicompat %s\n", APICOMPAT_VERSION);
        return ac_stdout_done(0, "the version", &st);
    }
    if (!strcmp(argv[1], "--dump-options")) { /* for dist/gen.sh and the tests, not for users */
        ac_options_dump(stdout);
        return fflush(stdout) ? AC_ERROR : 0;
    }
    options o;
    ac_options_init(&o);
    int cmd = ac_cmd_find(argv[1]);
    int rc = cmd < 0 ? unknown_command(argv[1], &st) : ac_options_parse((ac_cmd)cmd, argc - 2, argv + 2, &o, &st);
    if (!rc && o.help) ac_cmd_help(stdout, (ac_cmd)cmd);
    else if (!rc) rc = command_fns[cmd](&o, &st);
    if (st.code) {
        ac_status_print(&st, stderr);
        /* in a workflow log, a contract that cannot be read is an annotation too */
        if (o.format == FMT_GITHUB) ac_status_print_github(&st, stdout);
    }
    ac_options_free(&o);
    return st.code ? AC_ERROR : rc;
}
