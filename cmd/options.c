/* The command line: one row per command and one per option, read by the parser and printed by
 * --help; the man page, the shell completions and the README's table come from the same rows
 * (apicompat --dump-options, dist/gen.sh, tests/e2e/option-table.sh). */
#include <stdlib.h>
#include <string.h>

#include "cmd/git.h"
#include "cmd/options.h"
#include "compat/base/arena.h"
#include "compat/base/fs.h"
#include "compat/compat.h"

static const char *const format_names[] = {"text", "json", "markdown", "github", "sarif", "junit", "gitlab", "openapi"};
/* the order users read them in */
static const out_format format_order[] = {FMT_TEXT, FMT_JSON, FMT_GITHUB, FMT_SARIF, FMT_JUNIT, FMT_MARKDOWN, FMT_GITLAB, FMT_OPENAPI};

#define F(x) (1u << FMT_##x)
#define F_ALL (F(TEXT) | F(JSON) | F(MARKDOWN) | F(GITHUB) | F(SARIF) | F(JUNIT) | F(GITLAB))

const ac_cmd_info ac_cmds[AC_NCMDS] = {
    [AC_CMD_BREAKING] = {"breaking", "report the changes that break clients of the old contract",
                         {"OLD NEW [options]", "--against REF PATH... [options]", "--against-tags GLOB PATH... [options]"}, F_ALL, -1},
    [AC_CMD_CHANGELOG] = {"changelog", "report every change, info included (release notes)", {"OLD NEW [options]"}, F_ALL, -1},
    [AC_CMD_BATCH] = {"batch", "check the pairs a manifest lists, as one report", {"MANIFEST [--shard K/N] [options]"}, F_ALL, -1},
    [AC_CMD_HISTORY] = {"history", "check the last version against every earlier one, each break reported once", {"V1 V2 ... VN [options]"}, F_ALL, -1},
    [AC_CMD_RULES] = {"rules", "list the rules, their severities, categories and rule sets", {"[--format text|json|markdown]"},
                      F(TEXT) | F(JSON) | F(MARKDOWN), 0},
    [AC_CMD_CONFIG] = {"config", "check an apicompat.yaml (default: the one found in . or a parent)", {"check [FILE]"}, 0, 2},
    [AC_CMD_REPORT] = {"report", "merge the JSON reports of a sharded batch into one report", {"merge FILE... [--format FORMAT]"},
                       F_ALL, -1},
    [AC_CMD_VALIDATE] = {"validate", "validate instances (JSON or YAML) against an OpenAPI operation or a JSON Schema",
                         {"CONTRACT INSTANCE... --operation OP (--request | --response STATUS) [--message] [--media-type TYPE]",
                          "CONTRACT INSTANCE... [--schema REF] [--direction request|response] [--dialect DRAFT]"},
                         F(TEXT) | F(JSON), -1},
    [AC_CMD_CASES] = {"cases", "write a suite of requests and responses generated from an OpenAPI or protobuf contract", {"CONTRACT --out DIR"},
                      0, 1},
    [AC_CMD_REPLAY] = {"replay", "replay a suite written by cases against another version of the contract, or against a running service (--server)",
                       {"DIR CONTRACT [--format text|json|junit]",
                        "DIR --server URL [--contract CONTRACT] [--concurrency N] [--timeout SECONDS] [--format FORMAT]"},
                       F(TEXT) | F(JSON) | F(JUNIT) | F(MARKDOWN) | F(GITHUB), 2},
    [AC_CMD_REST] = {"rest", "list the HTTP operations a protobuf contract's google.api.http bindings serve, or print them as OpenAPI 3.1",
                     {"CONTRACT [--format text|openapi]"}, F(TEXT) | F(OPENAPI), 1},
};

int ac_cmd_find(const char *name)
{
    for (int i = 0; i < AC_NCMDS; i++)
        if (!strcmp(name, ac_cmds[i].name)) return i;
    return -1;
}

/* "text, json or markdown": the formats in mask, in the order users read them. */
static const char *format_list(char *buf, size_t n, unsigned mask)
{
    size_t w = 0, k = 0, total = 0;
    for (size_t i = 0; i < sizeof format_order / sizeof *format_order; i++) total += (mask >> format_order[i]) & 1;
    buf[0] = 0;
    for (size_t i = 0; i < sizeof format_order / sizeof *format_order; i++) {
        if (!((mask >> format_order[i]) & 1)) continue;
        k++;
        w += (size_t)snprintf(buf + w, w < n ? n - w : 0, "%s%s", k == 1 ? "" : k == total ? " or " : ", ",
                              format_names[format_order[i]]);
    }
    return buf;
}

typedef int (*opt_fn)(options *o, const char *arg, ac_status *st);

static int opt_format(options *o, const char *arg, ac_status *st)
{
    unsigned mask = ac_cmds[o->cmd].formats;
    char list[128];
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (!strcmp(arg, format_names[i])) {
            if (!((mask >> i) & 1))
                return ac_fail(st, NULL, 0, 0, "%s writes %s, not \"%s\"", ac_cmds[o->cmd].name, format_list(list, sizeof list, mask),
                               arg);
            o->format = (out_format)i;
            return AC_OK;
        }
    return ac_fail(st, NULL, 0, 0, "unknown format \"%s\" (expected %s)", arg, format_list(list, sizeof list, mask));
}

static int opt_protoc(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->protoc = arg;
    return AC_OK;
}

static int opt_include(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->includes = ac_xrealloc(o->includes, (o->nincludes + 1) * sizeof *o->includes);
    o->includes[o->nincludes++] = arg;
    return AC_OK;
}

static int opt_config(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->config = arg;
    return AC_OK;
}

static int opt_ref_root(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->ref_root = arg;
    return AC_OK;
}

static int opt_severity_levels(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->severity_levels = arg;
    return AC_OK;
}

static int opt_err_ignore(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->err_ignore = arg;
    return AC_OK;
}

static int opt_warn_ignore(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->warn_ignore = arg;
    return AC_OK;
}

static int opt_deprecation_days(options *o, const char *arg, ac_status *st)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (*end || v < 0 || v > 100000) return ac_fail(st, NULL, 0, 0, "--deprecation-days needs a whole number of days");
    o->deprecation_days = (int)v;
    o->deprecation_days_set = true;
    return AC_OK;
}

static int opt_path(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->paths = ac_xrealloc(o->paths, (o->npaths + 1) * sizeof *o->paths);
    o->paths[o->npaths++] = arg;
    return AC_OK;
}

static int add_ids(ac_cfg_str **list, size_t *n, const char *arg)
{
    /* comma-separated, repeatable */
    char *copy = ac_xstrdup(arg), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ') tok++;
        if (!*tok) continue;
        *list = ac_xrealloc(*list, (*n + 1) * sizeof **list);
        (*list)[(*n)++] = (ac_cfg_str){ac_xstrdup(tok), NULL, 0, 0};
    }
    free(copy);
    return AC_OK;
}

static int opt_use(options *o, const char *arg, ac_status *st)
{
    (void)st;
    return add_ids(&o->use, &o->nuse, arg);
}

static int opt_except(options *o, const char *arg, ac_status *st)
{
    (void)st;
    return add_ids(&o->except, &o->nexcept, arg);
}

static int opt_rule_set(options *o, const char *arg, ac_status *st)
{
    int set = ac_rule_set_find(arg);
    if (set < 0)
        return ac_fail(st, NULL, 0, 0,
                       "unknown rule set \"%s\" for --rule-set (expected backward-compatible, wire-compatible, "
                       "wire-json-compatible, package or strict)",
                       arg);
    o->rule_set = set;
    return AC_OK;
}

static int opt_mode(options *o, const char *arg, ac_status *st)
{
    unsigned mode = ac_mode_parse(arg);
    if (!mode) return ac_fail(st, NULL, 0, 0, "unknown mode \"%s\" for --mode (expected backward, forward or full)", arg);
    o->mode = mode;
    return AC_OK;
}

static int opt_old(options *o, const char *arg, ac_status *st)
{
    if (o->old_input) return ac_fail(st, NULL, 0, 0, "--old given twice (\"%s\" and \"%s\")", o->old_input, arg);
    o->old_input = arg;
    return AC_OK;
}

static int opt_new(options *o, const char *arg, ac_status *st)
{
    if (o->new_input) return ac_fail(st, NULL, 0, 0, "--new given twice (\"%s\" and \"%s\")", o->new_input, arg);
    o->new_input = arg;
    return AC_OK;
}

static int opt_fail_on(options *o, const char *arg, ac_status *st)
{
    int s = ac_severity_parse(arg);
    if (s == -2) return ac_fail(st, NULL, 0, 0, "unknown level \"%s\" for --fail-on (expected error, warning, info or off)", arg);
    o->fail_on = s;
    o->fail_on_set = true;
    return AC_OK;
}

static int opt_against(options *o, const char *arg, ac_status *st)
{
    if (!*arg || arg[0] == '-') return ac_fail(st, NULL, 0, 0, "--against needs a git revision, found \"%s\"", arg);
    o->against = arg;
    return AC_OK;
}

static int opt_against_tags(options *o, const char *arg, ac_status *st)
{
    if (!*arg) return ac_fail(st, NULL, 0, 0, "--against-tags needs a pattern of release tags (for example 'v*')");
    o->against_tags = arg;
    return AC_OK;
}

static int opt_shard(options *o, const char *arg, ac_status *st)
{
    unsigned k, n;
    char end;
    if (sscanf(arg, "%u/%u%c", &k, &n, &end) != 2 || n == 0 || k == 0 || k > n || n > 100000)
        return ac_fail(st, NULL, 0, 0, "--shard needs K/N with 1 <= K <= N (for example 2/4), found \"%s\"", arg);
    o->shard_k = k;
    o->shard_n = n;
    return AC_OK;
}

static int opt_show_suppressed(options *o, const char *arg, ac_status *st)
{
    (void)arg;
    (void)st;
    o->show_suppressed = true;
    return AC_OK;
}

static int opt_explain(options *o, const char *arg, ac_status *st)
{
    (void)arg;
    (void)st;
    o->explain = true;
    return AC_OK;
}

static int opt_no_proofs(options *o, const char *arg, ac_status *st)
{
    (void)arg;
    (void)st;
    o->no_proofs = true;
    return AC_OK;
}

static int opt_summary_file(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->summary_file = arg;
    return AC_OK;
}

static int opt_sarif_file(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->sarif_file = arg;
    return AC_OK;
}

static int opt_json_file(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->json_file = arg;
    return AC_OK;
}

static int opt_operation(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->operation = arg;
    return AC_OK;
}

static int opt_request(options *o, const char *arg, ac_status *st)
{
    (void)arg;
    (void)st;
    o->request = true;
    return AC_OK;
}

static int opt_response(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->response_status = arg;
    return AC_OK;
}

static int opt_media_type(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->media_type = arg;
    return AC_OK;
}

static int opt_out(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->out_dir = arg;
    return AC_OK;
}

static int opt_schema(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->schema_ref = arg;
    return AC_OK;
}

static int opt_message(options *o, const char *arg, ac_status *st)
{
    (void)arg;
    (void)st;
    o->message = true;
    return AC_OK;
}

static int opt_direction(options *o, const char *arg, ac_status *st)
{
    if (strcmp(arg, "request") && strcmp(arg, "response"))
        return ac_fail(st, NULL, 0, 0, "unknown direction \"%s\" for --direction (expected request or response)", arg);
    o->direction = arg;
    return AC_OK;
}

static int opt_dialect(options *o, const char *arg, ac_status *st)
{
    static const char *const ok[] = {"4", "6", "7", "2019-09", "2020-12"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (!strcmp(arg, ok[i])) {
            o->dialect = arg;
            return AC_OK;
        }
    return ac_fail(st, NULL, 0, 0, "unknown JSON Schema draft \"%s\" for --dialect (expected 4, 6, 7, 2019-09 or 2020-12)", arg);
}

/* What an option's value names, checked when it is read (and completed by the shells). */
typedef enum { ARG_NONE, ARG_STRING, ARG_FILE, ARG_DIR, ARG_OUTFILE, ARG_OUTDIR, ARG_INPUT } arg_kind;
static const char *const arg_kind_names[] = {"none", "string", "file", "dir", "outfile", "outdir", "input"};
static int opt_server(options *o, const char *arg, ac_status *st)
{
    if (strncmp(arg, "http://", 7) && strncmp(arg, "https://", 8))
        return ac_fail(st, NULL, 0, 0, "--server needs an http:// or https:// URL, found \"%s\"", arg);
    o->server = arg;
    return AC_OK;
}

static int opt_contract(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->contract = arg;
    return AC_OK;
}

static int opt_credentials(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->credentials = arg;
    return AC_OK;
}

static int opt_cacert(options *o, const char *arg, ac_status *st)
{
    (void)st;
    o->cacert = arg;
    return AC_OK;
}

/* Seconds, with a fraction ("2.5"), into milliseconds between 1 ms and a day. */
static int read_seconds(const char *name, const char *arg, long *out, ac_status *st)
{
    char *end;
    double v = strtod(arg, &end);
    if (end == arg || *end || !(v >= 0.001 && v <= 86400))
        return ac_fail(st, NULL, 0, 0, "--%s needs a number of seconds between 0.001 and 86400, found \"%s\"", name, arg);
    *out = (long)(v * 1000 + 0.5);
    return AC_OK;
}

static int opt_timeout(options *o, const char *arg, ac_status *st)
{
    return read_seconds("timeout", arg, &o->call_timeout_ms, st);
}

static int opt_run_timeout(options *o, const char *arg, ac_status *st)
{
    return read_seconds("run-timeout", arg, &o->run_timeout_ms, st);
}

static int opt_max_response(options *o, const char *arg, ac_status *st)
{
    char *end;
    unsigned long long v = strtoull(arg, &end, 10);
    unsigned long long mul = 1;
    if (end != arg && (*end == 'k' || *end == 'K')) mul = 1024, end++;
    else if (end != arg && (*end == 'm' || *end == 'M')) mul = 1024 * 1024, end++;
    if (end == arg || *end || arg[0] == '-' || v == 0 || v > (1ull << 30) / mul)
        return ac_fail(st, NULL, 0, 0, "--max-response-size needs a size in bytes (K and M suffixes; at most 1G), found \"%s\"", arg);
    o->max_response = (size_t)(v * mul);
    return AC_OK;
}

static int opt_concurrency(options *o, const char *arg, ac_status *st)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (end == arg || *end || v < 1 || v > 64) return ac_fail(st, NULL, 0, 0, "--concurrency needs a whole number from 1 to 64, found \"%s\"", arg);
    o->concurrency = (unsigned)v;
    return AC_OK;
}

typedef struct opt_row {
    const char *name; /* --name */
    char shortname;   /* -x, or 0 */
    arg_kind arg;     /* ARG_NONE: a flag */
    opt_fn fn;
    const char *arg_name;
    unsigned commands; /* the commands that take it (bits of ac_cmd) */
    const char *values; /* the values it takes, space-separated (for --format: per command), or NULL */
    const char *help;
} opt_row;

#define C(x) (1u << AC_CMD_##x)
#define C_CHECK (C(BREAKING) | C(CHANGELOG) | C(BATCH) | C(HISTORY))
#define C_REPORTS (C_CHECK | C(REPORT))

static const opt_row option_table[] = {
    {"format", 'f', ARG_STRING, opt_format, "FORMAT", C_REPORTS | C(RULES) | C(VALIDATE) | C(REPLAY) | C(REST), "text json github sarif junit markdown gitlab openapi",
     "output: text (default), json, github, sarif, junit, markdown, gitlab"},
    {"against", 0, ARG_STRING, opt_against, "REF", C_CHECK, NULL, "compare each PATH given with the same path at git revision REF"},
    {"old", 0, ARG_INPUT, opt_old, "PATH", C_CHECK, NULL, "the old contract (the named form of OLD)"},
    {"new", 0, ARG_INPUT, opt_new, "PATH", C_CHECK, NULL, "the new contract (the named form of NEW)"},
    {"rule-set", 0, ARG_STRING, opt_rule_set, "SET", C_CHECK, "backward-compatible wire-compatible wire-json-compatible package strict",
     "backward-compatible (default), wire-compatible, wire-json-compatible, package, strict"},
    {"mode", 0, ARG_STRING, opt_mode, "MODE", C_CHECK, "backward forward full",
     "backward (default): old clients, new contract; forward: new clients, old contract; full: both"},
    {"against-tags", 0, ARG_STRING, opt_against_tags, "GLOB", C_CHECK, NULL,
     "breaking: compare each PATH with itself at every tag matching GLOB (semver order)"},
    {"config", 'c', ARG_FILE, opt_config, "FILE", C_CHECK | C(CONFIG), NULL, "apicompat.yaml (default: found in . or a parent), or a buf.yaml"},
    {"use", 0, ARG_STRING, opt_use, "IDS", C_CHECK, NULL, "rules or categories to check (comma-separated; replaces the config's `use`)"},
    {"except", 0, ARG_STRING, opt_except, "IDS", C_CHECK, NULL, "rules or categories to leave out (comma-separated)"},
    {"fail-on", 0, ARG_STRING, opt_fail_on, "LEVEL", C_REPORTS, "error warning info off", "lowest severity that makes the exit code 1 (default: error)"},
    {"shard", 0, ARG_STRING, opt_shard, "K/N", C_CHECK, NULL, "batch: check only the pairs of shard K of N (each pair's shard is stable)"},
    {"show-suppressed", 0, ARG_NONE, opt_show_suppressed, NULL, C_REPORTS, NULL, "also print findings that ignores suppressed"},
    {"explain", 0, ARG_NONE, opt_explain, NULL, C_REPORTS, NULL, "text: under each breaking change, its proof and counterexample"},
    {"no-proofs", 0, ARG_NONE, opt_no_proofs, NULL, C_CHECK, NULL, "do not look for counterexamples (no \"proof\" in the reports)"},
    {"summary-file", 0, ARG_OUTFILE, opt_summary_file, "FILE", C_REPORTS, NULL, "also append the Markdown report, info included, to FILE"},
    {"sarif-file", 0, ARG_OUTFILE, opt_sarif_file, "FILE", C_REPORTS, NULL, "also write the SARIF report to FILE"},
    {"json-file", 0, ARG_OUTFILE, opt_json_file, "FILE", C_REPORTS, NULL, "also write the JSON report to FILE"},
    {"severity-levels", 0, ARG_FILE, opt_severity_levels, "FILE", C_CHECK, NULL, "OpenAPI: oasdiff severity-levels file (<id> <level>)"},
    {"err-ignore", 0, ARG_FILE, opt_err_ignore, "FILE", C_CHECK, NULL, "OpenAPI: oasdiff err-ignore file (<METHOD> <path> <change>)"},
    {"warn-ignore", 0, ARG_FILE, opt_warn_ignore, "FILE", C_CHECK, NULL, "OpenAPI: oasdiff warn-ignore file"},
    {"deprecation-days", 0, ARG_STRING, opt_deprecation_days, "N", C_CHECK, NULL, "OpenAPI: days a deprecation must last before the sunset"},
    {"protoc", 0, ARG_STRING, opt_protoc, "PATH", C_CHECK | C(REST), NULL, "compile .proto sources with this protoc instead of the native front end"},
    {"ref-root", 0, ARG_DIR, opt_ref_root, "DIR", C_CHECK | C(VALIDATE) | C(CASES) | C(REPLAY), NULL,
     "external $refs may reach anywhere under DIR (default: the git repository's root)"},
    {"include", 'I', ARG_DIR, opt_include, "DIR", C_CHECK | C(REST), NULL, "extra import directory for .proto sources (repeatable)"},
    {"path", 0, ARG_STRING, opt_path, "PATH", C_CHECK, NULL, "check only files under PATH, relative to each input directory (repeatable)"},
    {"operation", 0, ARG_STRING, opt_operation, "OP", C(VALIDATE), NULL, "validate: the operation (\"GET /pets/{id}\", or its operationId)"},
    {"request", 0, ARG_NONE, opt_request, NULL, C(VALIDATE), NULL, "validate: INSTANCE is the operation's request body"},
    {"response", 0, ARG_STRING, opt_response, "STATUS", C(VALIDATE), NULL, "validate: INSTANCE is the body of the operation's response STATUS"},
    {"message", 0, ARG_NONE, opt_message, NULL, C(VALIDATE), NULL,
     "validate: INSTANCE is the whole request ({path_params, query, headers, body}) or response ({headers, body})"},
    {"media-type", 0, ARG_STRING, opt_media_type, "TYPE", C(VALIDATE), NULL, "validate: the body's media type (default: the only one, or the JSON one)"},
    {"schema", 0, ARG_STRING, opt_schema, "REF", C(VALIDATE), NULL, "validate: against the schema at REF (#/components/schemas/Pet, or Pet)"},
    {"direction", 0, ARG_STRING, opt_direction, "DIR", C(VALIDATE), "request response", "validate --schema: read readOnly/writeOnly as in a request or a response"},
    {"out", 'o', ARG_OUTDIR, opt_out, "DIR", C(CASES), NULL, "cases: the directory the suite is written to (created; must be empty if it exists)"},
    {"server", 0, ARG_STRING, opt_server, "URL", C(REPLAY), NULL,
     "replay: send the suite's requests to the service at URL (http:// or https://) and check its answers"},
    {"cacert", 0, ARG_FILE, opt_cacert, "FILE", C(REPLAY), NULL,
     "replay --server https://: trust the CA certificates in FILE (PEM), not the system's (always verified)"},
    {"credentials", 0, ARG_FILE, opt_credentials, "FILE", C(REPLAY), NULL,
     "replay --server: credentials and headers from FILE (YAML, mode 600); the environment's variables win"},
    {"contract", 0, ARG_INPUT, opt_contract, "PATH", C(REPLAY), NULL, "replay --server: check the answers against PATH (default: the suite's own copy)"},
    {"timeout", 0, ARG_STRING, opt_timeout, "SECONDS", C(REPLAY), NULL, "replay --server: limit on one call (default 10)"},
    {"run-timeout", 0, ARG_STRING, opt_run_timeout, "SECONDS", C(REPLAY), NULL, "replay --server: limit on the whole run (default 600)"},
    {"max-response-size", 0, ARG_STRING, opt_max_response, "BYTES", C(REPLAY), NULL,
     "replay --server: a larger answer is cut off and is an error (default 8M)"},
    {"concurrency", 0, ARG_STRING, opt_concurrency, "N", C(REPLAY), NULL, "replay --server: calls in flight at once, 1 to 64 (default 4)"},
    {"dialect", 0, ARG_STRING, opt_dialect, "DRAFT", C(VALIDATE), "4 6 7 2019-09 2020-12",
     "validate: a JSON Schema's draft when it has no $schema (4, 6, 7, 2019-09, 2020-12)"},
};

#define NOPTIONS (sizeof option_table / sizeof option_table[0])

void ac_options_init(options *o)
{
    memset(o, 0, sizeof *o);
    o->fail_on = AC_SEV_ERROR;
    o->rule_set = -1;
}

void ac_options_help(FILE *f, unsigned mask)
{
    for (size_t i = 0; i < NOPTIONS; i++) {
        const opt_row *r = &option_table[i];
        if (!(r->commands & mask)) continue;
        char left[64];
        const char *arg = r->arg ? r->arg_name : "";
        if (r->shortname)
            snprintf(left, sizeof left, "-%c, --%s%s%s", r->shortname, r->name, r->arg ? " " : "", arg);
        else
            snprintf(left, sizeof left, "    --%s%s%s", r->name, r->arg ? " " : "", arg);
        const char *help = r->help;
        char own[160];
        if (r->fn == opt_format && mask && !(mask & (mask - 1))) { /* one command: the formats it writes */
            int cmd = __builtin_ctz(mask);
            size_t w = (size_t)snprintf(own, sizeof own, "output:");
            for (size_t k = 0; k < sizeof format_order / sizeof *format_order; k++)
                if ((ac_cmds[cmd].formats >> format_order[k]) & 1)
                    w += (size_t)snprintf(own + w, w < sizeof own ? sizeof own - w : 0, "%s %s%s", w > 7 ? "," : "",
                                          format_names[format_order[k]], format_order[k] == FMT_TEXT ? " (default)" : "");
            help = own;
        }
        if (strlen(left) > 28) fprintf(f, "  %s\n  %-28s %s\n", left, "", help); /* too wide: its help on the next line */
        else fprintf(f, "  %-28s %s\n", left, help);
    }
    fprintf(f, "  %-28s %s\n", "-h, --help", "show this help and exit");
}

void ac_cmd_help(FILE *f, ac_cmd cmd)
{
    const ac_cmd_info *c = &ac_cmds[cmd];
    for (size_t k = 0; k < 3 && c->usage[k]; k++) fprintf(f, "%s apicompat %s %s\n", k ? "      " : "usage:", c->name, c->usage[k]);
    fprintf(f, "\n%s.\n", c->summary);
    if (cmd <= AC_CMD_HISTORY)
        fprintf(f, "\nexit codes: 0 no breaking changes, 1 breaking changes found, 2 could not check\n");
    fprintf(f, "\noptions:\n");
    ac_options_help(f, 1u << cmd);
}

void ac_options_dump(FILE *f)
{
    /* command NAME<TAB>formats<TAB>summary, then option LONG<TAB>SHORT<TAB>KIND<TAB>ARG<TAB>commands<TAB>values<TAB>help */
    char list[128];
    for (int i = 0; i < AC_NCMDS; i++) {
        const ac_cmd_info *c = &ac_cmds[i];
        size_t w = 0;
        list[0] = 0;
        for (size_t k = 0; k < sizeof format_order / sizeof *format_order; k++)
            if ((c->formats >> format_order[k]) & 1) w += (size_t)snprintf(list + w, sizeof list - w, "%s%s", w ? " " : "", format_names[format_order[k]]);
        fprintf(f, "command\t%s\t%s\t%s\n", c->name, list, c->summary);
        for (size_t k = 0; k < 3 && c->usage[k]; k++) fprintf(f, "usage\t%s\t%s\n", c->name, c->usage[k]);
    }
    for (size_t i = 0; i < NOPTIONS; i++) {
        const opt_row *r = &option_table[i];
        char cmds[256];
        size_t w = 0;
        cmds[0] = 0;
        for (int k = 0; k < AC_NCMDS; k++)
            if ((r->commands >> k) & 1) w += (size_t)snprintf(cmds + w, sizeof cmds - w, "%s%s", w ? " " : "", ac_cmds[k].name);
        fprintf(f, "option\t%s\t%c\t%s\t%s\t%s\t%s\t%s\n", r->name, r->shortname ? r->shortname : '-', arg_kind_names[r->arg],
                r->arg ? r->arg_name : "-", cmds, r->values ? r->values : "-", r->help);
    }
}

/* A file or directory an option names is there, and of the right kind (git:REF:PATH is read from
 * the revision, later). */
static int check_arg(const opt_row *r, const char *a, const char *val, ac_status *st)
{
    if (r->arg != ARG_FILE && r->arg != ARG_DIR && r->arg != ARG_OUTFILE) return AC_OK;
    if (!*val) return ac_fail(st, NULL, 0, 0, "option %s needs a %s, found an empty value", a, r->arg == ARG_DIR ? "directory" : "file");
    if (ac_git_is_spec(val)) return AC_OK;
    if (r->arg == ARG_OUTFILE) {
        if (ac_is_dir(val)) return ac_fail_path(st, val, "is a directory (given to %s, which writes a file)", a);
        const char *slash = strrchr(val, '/');
        if (!slash || slash == val) return AC_OK;
        char dir[1024];
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - val), val);
        if (!ac_is_dir(dir)) return ac_fail_path(st, dir, "no such directory (given to %s for %s)", a, val);
        return AC_OK;
    }
    if (!ac_path_exists(val)) return ac_fail_path(st, val, "no such %s (given to %s)", r->arg == ARG_DIR ? "directory" : "file", a);
    if (r->arg == ARG_DIR && !ac_is_dir(val)) return ac_fail_path(st, val, "not a directory (given to %s)", a);
    if (r->arg == ARG_FILE && ac_is_dir(val)) return ac_fail_path(st, val, "is a directory, expected a file (given to %s)", a);
    return AC_OK;
}

/* Whether an option says what is compared (--old, --against...), not how: not an option of one
 * comparison (o->given, libapicompat's apicompat_options_set). */
static bool names_inputs(const opt_row *r)
{
    return r->fn == opt_old || r->fn == opt_new || r->fn == opt_against || r->fn == opt_against_tags || r->fn == opt_shard;
}

/* An option's value, checked and stored; one that shapes a comparison is also noted in o->given. */
static int apply(options *o, const opt_row *row, const char *shown, const char *val, ac_status *st)
{
    if (check_arg(row, shown, val, st) || row->fn(o, val, st)) return AC_ERROR;
    if (!names_inputs(row)) {
        o->given = ac_xrealloc(o->given, (o->ngiven + 1) * sizeof *o->given);
        o->given[o->ngiven++] = (struct ac_given_option){row->name, row->arg ? val : NULL};
    }
    return AC_OK;
}

int ac_options_set(options *o, const char *name, const char *value, ac_status *st)
{
    const char *cmd = ac_cmds[o->cmd].name;
    const opt_row *row = NULL;
    for (size_t k = 0; k < NOPTIONS && !row; k++)
        if (!strcmp(option_table[k].name, name)) row = &option_table[k];
    if (!row) {
        ac_fail(st, NULL, 0, 0, "unknown option \"%s\" (see apicompat %s --help; names go without the dashes)", name, cmd);
        return AC_OPT_NAME;
    }
    if (!(row->commands & (1u << o->cmd))) {
        ac_fail(st, NULL, 0, 0, "%s does not take the option \"%s\" (see apicompat %s --help)", cmd, name, cmd);
        return AC_OPT_NAME;
    }
    if (names_inputs(row)) {
        ac_fail(st, NULL, 0, 0, "option \"%s\" says what is compared, not how: give the inputs of each comparison "
                "to apicompat_compare_with", name);
        return AC_OPT_NAME;
    }
    if (!row->arg && value && strcmp(value, "true")) {
        ac_fail(st, NULL, 0, 0, "option \"%s\" is a flag: its value is NULL or \"true\", not \"%s\"", name, value);
        return AC_OPT_NAME;
    }
    if (row->arg && !value) {
        ac_fail(st, NULL, 0, 0, "option \"%s\" needs a value (%s)", name, row->arg_name);
        return AC_OPT_NAME;
    }
    char shown[64];
    snprintf(shown, sizeof shown, "--%s", row->name);
    return apply(o, row, shown, row->arg ? value : NULL, st);
}

static bool is_help(const char *a)
{
    return !strcmp(a, "--help") || !strcmp(a, "-h");
}

int ac_options_parse(ac_cmd cmd, int argc, char **argv, options *o, ac_status *st)
{
    o->cmd = cmd;
    o->positional = ac_xcalloc((size_t)argc + 1, sizeof *o->positional);
    for (int i = 0; i < argc && strcmp(argv[i], "--"); i++)
        if (is_help(argv[i])) {
            o->help = true;
            return AC_OK;
        }
    const char *name = ac_cmds[cmd].name;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            for (i++; i < argc; i++) o->positional[o->npositional++] = argv[i];
            break;
        }
        if (a[0] != '-' || !a[1]) {
            o->positional[o->npositional++] = a;
            continue;
        }
        const opt_row *row = NULL;
        const char *val = NULL;
        char shown[64];
        for (size_t k = 0; k < NOPTIONS && !row; k++) {
            const opt_row *r = &option_table[k];
            if (a[1] == '-') {
                size_t n = strlen(r->name);
                if (!strncmp(a + 2, r->name, n) && (a[2 + n] == 0 || a[2 + n] == '=')) {
                    row = r;
                    if (a[2 + n] == '=') val = a + 3 + n;
                }
            } else if (r->shortname && a[1] == r->shortname) {
                row = r;
                if (a[2]) val = a + 2;
            }
        }
        if (!row) return ac_fail(st, NULL, 0, 0, "unknown option \"%s\" (see apicompat %s --help)", a, name);
        if (a[1] == '-') snprintf(shown, sizeof shown, "--%s", row->name);
        else snprintf(shown, sizeof shown, "-%c", row->shortname);
        if (!(row->commands & (1u << cmd)))
            return ac_fail(st, NULL, 0, 0, "%s does not take the option %s (see apicompat %s --help)", name, shown, name);
        if (row->arg && !val) {
            if (i + 1 >= argc) return ac_fail(st, NULL, 0, 0, "option --%s needs a value", row->name);
            val = argv[++i];
        } else if (!row->arg && val) {
            return ac_fail(st, NULL, 0, 0, "option --%s takes no value", row->name);
        }
        if (apply(o, row, shown, val, st)) return AC_ERROR;
    }
    int max = ac_cmds[cmd].max_args;
    if (max >= 0 && o->npositional > (size_t)max) {
        const char *const *u = ac_cmds[cmd].usage;
        return ac_fail(st, NULL, 0, 0, "%s: unexpected argument \"%s\" (usage: apicompat %s %s)", name, o->positional[max], name, u[0]);
    }
    return AC_OK;
}

void ac_options_free(options *o)
{
    for (size_t i = 0; i < o->nuse; i++) free((char *)o->use[i].s);
    for (size_t i = 0; i < o->nexcept; i++) free((char *)o->except[i].s);
    free(o->use);
    free(o->except);
    free(o->includes);
    free(o->paths);
    free(o->positional);
    free(o->given);
}
