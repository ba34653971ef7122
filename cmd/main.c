/* apicompat: does a change to an API contract break clients already in the field?
 *
 *   apicompat breaking OLD NEW [options]   exit 0: compatible, 1: breaking, 2: could not check
 *   apicompat rules [--format text|json|markdown]
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
#include "compat/base/arena.h"

/* One row per command: its name, its function and the forms --help shows. */
static const struct {
    const char *name;
    ac_cmd_fn fn;
    const char *usage[3];
} commands[] = {
    {"breaking", ac_cmd_breaking, {"OLD NEW [options]", "--against REF PATH... [options]", "--against-tags GLOB PATH... [options]"}},
    {"changelog", ac_cmd_changelog, {"OLD NEW [options]"}},
    {"batch", ac_cmd_batch, {"MANIFEST [--shard K/N] [options]"}},
    {"history", ac_cmd_history, {"V1 V2 ... VN [options]"}},
    {"rules", ac_cmd_rules, {"[--format text|json|markdown]"}},
    {"config", ac_cmd_config, {"check [FILE]"}},
    {"report", ac_cmd_report, {"merge FILE... [--format FORMAT]"}},
    {"validate", ac_cmd_validate,
     {"CONTRACT INSTANCE... --operation OP (--request | --response STATUS) [--message] [--media-type TYPE]",
      "CONTRACT INSTANCE... [--schema REF] [--direction request|response] [--dialect DRAFT]"}},
    {"cases", ac_cmd_cases, {"CONTRACT --out DIR"}},
    {"replay", ac_cmd_replay,
     {"DIR CONTRACT [--format text|json|junit]", "DIR --server URL [--contract CONTRACT] [--concurrency N] [--timeout SECONDS] [--format FORMAT]"}},
    {"rest", ac_cmd_rest, {"CONTRACT [--format text|openapi]"}},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    const char *lead = "usage:";
    for (size_t i = 0; i < NCOMMANDS; i++)
        for (size_t k = 0; k < 3 && commands[i].usage[k]; k++, lead = "      ")
            fprintf(f, "%s apicompat %s %s\n", lead, commands[i].name, commands[i].usage[k]);
    fprintf(f, "\n"
               "OLD and NEW: a .proto file, a directory of .proto files (buf.yaml honoured), a binary\n"
               "FileDescriptorSet (protoc -o, buf build -o), or an OpenAPI 3.0/3.1 or Swagger 2.0 document\n"
               "(YAML or JSON); git:REF:PATH reads PATH as it is at git revision REF.\n"
               "\n"
               "exit codes: 0 no breaking changes, 1 breaking changes found, 2 could not check\n\noptions:\n");
    ac_options_help(f);
}

static int unknown_command(const char *cmd, ac_status *st)
{
    char names[256];
    size_t w = 0;
    for (size_t i = 0; i < NCOMMANDS; i++)
        w += (size_t)snprintf(names + w, w < sizeof names ? sizeof names - w : 0, "%s%s", !i ? "" : i + 1 < NCOMMANDS ? ", " : " or ",
                              commands[i].name);
    return ac_fail(st, NULL, 0, 0, "unknown command \"%s\" (expected %s)", cmd, names);
}

static int run(const char *cmd, options *o, ac_status *st)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(cmd, commands[i].name)) return commands[i].fn(o, st);
    return unknown_command(cmd, st);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN); /* a closed pipe is a write error we report, not a silent death */
    cJSON_Hooks hooks = {ac_xmalloc, free};
    cJSON_InitHooks(&hooks);
    ac_status st;
    ac_status_init(&st);
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? AC_ERROR : 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("apicompat %s\n", APICOMPAT_VERSION);
        return 0;
    }
    options o;
    ac_options_init(&o);
    int rc = ac_options_parse(argc - 2, argv + 2, &o, &st) ? AC_ERROR : run(argv[1], &o, &st);
    if (st.code) {
        ac_status_print(&st, stderr);
        /* in a workflow log, a contract that cannot be read is an annotation too */
        if (o.format == FMT_GITHUB) ac_status_print_github(&st, stdout);
    }
    ac_options_free(&o);
    return st.code ? AC_ERROR : rc;
}
