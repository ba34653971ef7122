/* The command line: one row per option, read by the parser and printed by --help. */
#include <stdlib.h>
#include <string.h>

#include "cmd/options.h"
#include "compat/base/arena.h"
#include "compat/compat.h"

static const char *const format_names[] = {"text", "json", "markdown", "github", "sarif", "junit", "gitlab", "openapi"};

typedef int (*opt_fn)(options *o, const char *arg, ac_status *st);

static int opt_format(options *o, const char *arg, ac_status *st)
{
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (!strcmp(arg, format_names[i])) {
            o->format = (out_format)i;
            return AC_OK;
        }
    return ac_fail(st, NULL, 0, 0, "unknown format \"%s\" (expected text, json, github, sarif, junit, markdown, gitlab, or openapi for rest)", arg);
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
    const char *name;  /* --name */
    char shortname;    /* -x, or 0 */
    bool takes_arg;
    opt_fn fn;
    const char *arg_name;
    const char *help;
} opt_row;

static const opt_row option_table[] = {
    {"format", 'f', true, opt_format, "FORMAT", "output: text (default), json, github, sarif, junit, markdown, gitlab; rest: text or openapi"},
    {"against", 0, true, opt_against, "REF", "compare each PATH given with the same path at git revision REF"},
    {"old", 0, true, opt_old, "PATH", "the old contract (the named form of OLD)"},
    {"new", 0, true, opt_new, "PATH", "the new contract (the named form of NEW)"},
    {"rule-set", 0, true, opt_rule_set, "SET", "backward-compatible (default), wire-compatible, wire-json-compatible, package, strict"},
    {"mode", 0, true, opt_mode, "MODE", "backward (default): old clients, new contract; forward: new clients, old contract; full: both"},
    {"against-tags", 0, true, opt_against_tags, "GLOB", "breaking: compare each PATH with itself at every tag matching GLOB (semver order)"},
    {"config", 'c', true, opt_config, "FILE", "apicompat.yaml (default: found in . or a parent), or a buf.yaml"},
    {"use", 0, true, opt_use, "IDS", "rules or categories to check (comma-separated; replaces the config's `use`)"},
    {"except", 0, true, opt_except, "IDS", "rules or categories to leave out (comma-separated)"},
    {"fail-on", 0, true, opt_fail_on, "LEVEL", "lowest severity that makes the exit code 1 (default: error)"},
    {"shard", 0, true, opt_shard, "K/N", "batch: check only the pairs of shard K of N (each pair's shard is stable)"},
    {"show-suppressed", 0, false, opt_show_suppressed, NULL, "also print findings that ignores suppressed"},
    {"explain", 0, false, opt_explain, NULL, "text: under each breaking change, its proof and counterexample"},
    {"no-proofs", 0, false, opt_no_proofs, NULL, "do not look for counterexamples (no \"proof\" in the reports)"},
    {"summary-file", 0, true, opt_summary_file, "FILE", "also append the Markdown report, info included, to FILE"},
    {"sarif-file", 0, true, opt_sarif_file, "FILE", "also write the SARIF report to FILE"},
    {"json-file", 0, true, opt_json_file, "FILE", "also write the JSON report to FILE"},
    {"severity-levels", 0, true, opt_severity_levels, "FILE", "OpenAPI: oasdiff severity-levels file (<id> <level>)"},
    {"err-ignore", 0, true, opt_err_ignore, "FILE", "OpenAPI: oasdiff err-ignore file (<METHOD> <path> <change>)"},
    {"warn-ignore", 0, true, opt_warn_ignore, "FILE", "OpenAPI: oasdiff warn-ignore file"},
    {"deprecation-days", 0, true, opt_deprecation_days, "N", "OpenAPI: days a deprecation must last before the sunset"},
    {"protoc", 0, true, opt_protoc, "PATH", "compile .proto sources with this protoc instead of the native front end"},
    {"ref-root", 0, true, opt_ref_root, "DIR", "external $refs may reach anywhere under DIR (default: the git repository's root)"},
    {"include", 'I', true, opt_include, "DIR", "extra import directory for .proto sources (repeatable)"},
    {"path", 0, true, opt_path, "PATH", "check only files under PATH, relative to each input directory (repeatable)"},
    {"operation", 0, true, opt_operation, "OP", "validate: the operation (\"GET /pets/{id}\", or its operationId)"},
    {"request", 0, false, opt_request, NULL, "validate: INSTANCE is the operation's request body"},
    {"response", 0, true, opt_response, "STATUS", "validate: INSTANCE is the body of the operation's response STATUS"},
    {"message", 0, false, opt_message, NULL, "validate: INSTANCE is the whole request ({path_params, query, headers, body}) or response ({headers, body})"},
    {"media-type", 0, true, opt_media_type, "TYPE", "validate: the body's media type (default: the only one, or the JSON one)"},
    {"schema", 0, true, opt_schema, "REF", "validate: against the schema at REF (#/components/schemas/Pet, or Pet)"},
    {"direction", 0, true, opt_direction, "DIR", "validate --schema: read readOnly/writeOnly as in a request or a response"},
    {"out", 'o', true, opt_out, "DIR", "cases: the directory the suite is written to (created; must be empty if it exists)"},
    {"server", 0, true, opt_server, "URL", "replay: send the suite's requests to the service at URL (http:// or https://) and check its answers"},
    {"contract", 0, true, opt_contract, "PATH", "replay --server: check the answers against PATH (default: the suite's own copy)"},
    {"timeout", 0, true, opt_timeout, "SECONDS", "replay --server: limit on one call (default 10)"},
    {"run-timeout", 0, true, opt_run_timeout, "SECONDS", "replay --server: limit on the whole run (default 600)"},
    {"max-response-size", 0, true, opt_max_response, "BYTES", "replay --server: a larger answer is cut off and is an error (default 8M)"},
    {"concurrency", 0, true, opt_concurrency, "N", "replay --server: calls in flight at once, 1 to 64 (default 4)"},
    {"dialect", 0, true, opt_dialect, "DRAFT", "validate: a JSON Schema's draft when it has no $schema (4, 6, 7, 2019-09, 2020-12)"},
};

void ac_options_init(options *o)
{
    memset(o, 0, sizeof *o);
    o->fail_on = AC_SEV_ERROR;
    o->rule_set = -1;
}

void ac_options_help(FILE *f)
{
    for (size_t i = 0; i < sizeof option_table / sizeof option_table[0]; i++) {
        const opt_row *r = &option_table[i];
        char left[64];
        if (r->shortname)
            snprintf(left, sizeof left, "-%c, --%s%s%s", r->shortname, r->name, r->takes_arg ? " " : "",
                     r->takes_arg ? r->arg_name : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", r->name, r->takes_arg ? " " : "", r->takes_arg ? r->arg_name : "");
        fprintf(f, "  %-28s %s\n", left, r->help);
    }
}

int ac_options_parse(int argc, char **argv, options *o, ac_status *st)
{
    o->positional = ac_xcalloc((size_t)argc + 1, sizeof *o->positional);
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
        for (size_t k = 0; k < sizeof option_table / sizeof option_table[0] && !row; k++) {
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
        if (!row) return ac_fail(st, NULL, 0, 0, "unknown option \"%s\" (see apicompat --help)", a);
        if (row->takes_arg && !val) {
            if (i + 1 >= argc) return ac_fail(st, NULL, 0, 0, "option --%s needs a value", row->name);
            val = argv[++i];
        } else if (!row->takes_arg && val) {
            return ac_fail(st, NULL, 0, 0, "option --%s takes no value", row->name);
        }
        if (row->fn(o, val, st)) return AC_ERROR;
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
}
