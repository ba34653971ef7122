/* Unit tests (cmocka): libapicompat's options (lib/apicompat.h), read by the command line's own
 * table: what apicompat_options_set refuses, with which code and message, and that a refused
 * value leaves the options as they were; apicompat_compare_against in a scratch git repository. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/apicompat.h"

static void options_new_knows_two_commands(void **state)
{
    (void)state;
    apicompat_options *o = NULL;
    apicompat_status st;
    assert_int_equal(apicompat_options_new(&o, "batch", &st), APICOMPAT_EINVAL);
    assert_null(o);
    assert_int_equal(st.code, APICOMPAT_EINVAL);
    assert_string_equal(st.message, "unknown command \"batch\" for apicompat_options_new (expected breaking or changelog)");
    assert_int_equal(apicompat_options_new(&o, "changelog", &st), APICOMPAT_OK);
    apicompat_options_free(o);
    assert_int_equal(apicompat_options_new(&o, NULL, &st), APICOMPAT_OK);
    apicompat_options_free(o);
    apicompat_options_free(NULL);
}

/* opts, name, value: the code and the message */
static void refused(apicompat_options *o, const char *name, const char *value, int code, const char *msg)
{
    apicompat_status st;
    memset(&st, 0, sizeof st);
    assert_int_equal(apicompat_options_set(o, name, value, &st), code);
    assert_int_equal(st.code, code);
    assert_string_equal(st.message, msg);
}

static void unknown_names_are_einval(void **state)
{
    (void)state;
    apicompat_options *o;
    assert_int_equal(apicompat_options_new(&o, "breaking", NULL), APICOMPAT_OK);
    refused(o, "frobnicate", "1", APICOMPAT_EINVAL,
            "unknown option \"frobnicate\" (see apicompat breaking --help; names go without the dashes)");
    refused(o, "--fail-on", "warning", APICOMPAT_EINVAL,
            "unknown option \"--fail-on\" (see apicompat breaking --help; names go without the dashes)");
    refused(o, "out", "dir", APICOMPAT_EINVAL, "breaking does not take the option \"out\" (see apicompat breaking --help)");
    refused(o, "against", "main", APICOMPAT_EINVAL,
            "option \"against\" says what is compared, not how: give the inputs of each comparison to apicompat_compare_with");
    refused(o, "old", "a.yaml", APICOMPAT_EINVAL,
            "option \"old\" says what is compared, not how: give the inputs of each comparison to apicompat_compare_with");
    refused(o, "shard", "1/2", APICOMPAT_EINVAL,
            "option \"shard\" says what is compared, not how: give the inputs of each comparison to apicompat_compare_with");
    refused(o, "explain", "yes", APICOMPAT_EINVAL, "option \"explain\" is a flag: its value is NULL or \"true\", not \"yes\"");
    refused(o, "fail-on", NULL, APICOMPAT_EINVAL, "option \"fail-on\" needs a value (LEVEL)");
    refused(o, "", "x", APICOMPAT_EINVAL, "apicompat_options_set needs opts and a name");
    refused(NULL, "format", "json", APICOMPAT_EINVAL, "apicompat_options_set needs opts and a name");
    assert_int_equal(apicompat_options_set(o, "explain", NULL, NULL), APICOMPAT_OK);
    assert_int_equal(apicompat_options_set(o, "no-proofs", "true", NULL), APICOMPAT_OK);
    apicompat_options_free(o);
}

static void refused_values_are_errors_with_the_cli_message(void **state)
{
    (void)state;
    apicompat_options *o;
    assert_int_equal(apicompat_options_new(&o, "changelog", NULL), APICOMPAT_OK);
    refused(o, "fail-on", "sometimes", APICOMPAT_ERROR, "unknown level \"sometimes\" for --fail-on (expected error, warning, info or off)");
    refused(o, "format", "openapi", APICOMPAT_ERROR,
            "changelog writes text, json, github, sarif, junit, markdown or gitlab, not \"openapi\"");
    refused(o, "format", "xml", APICOMPAT_ERROR,
            "unknown format \"xml\" (expected text, json, github, sarif, junit, markdown or gitlab)");
    refused(o, "rule-set", "lax", APICOMPAT_ERROR,
            "unknown rule set \"lax\" for --rule-set (expected backward-compatible, wire-compatible, wire-json-compatible, "
            "package or strict)");
    refused(o, "deprecation-days", "-1", APICOMPAT_ERROR, "--deprecation-days needs a whole number of days");
    /* a file an option names: the path, as a whole (no line) */
    apicompat_status st;
    assert_int_equal(apicompat_options_set(o, "config", "/nonexistent/apicompat.yaml", &st), APICOMPAT_ERROR);
    assert_string_equal(st.path, "/nonexistent/apicompat.yaml");
    assert_int_equal(st.line, 0);
    assert_string_equal(st.message, "no such file (given to --config)");
    assert_int_equal(apicompat_options_set(o, "include", "/nonexistent/dir", &st), APICOMPAT_ERROR);
    assert_string_equal(st.message, "no such directory (given to --include)");
    apicompat_options_free(o);
}

static char *write_file(const char *dir, const char *name, const char *text)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return p;
}

static char *written(const apicompat_result *r)
{
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    assert_int_equal(apicompat_result_write(r, f, NULL), APICOMPAT_OK);
    fclose(f);
    return out;
}

/* A refused value changes nothing: the format set before it stands; the fail level decides the
 * exit code; old locations are there. */
static void a_refused_value_leaves_the_options(void **state)
{
    (void)state;
    char dir[] = "/tmp/aclibXXXXXX";
    assert_non_null(mkdtemp(dir));
    char *oldp = write_file(dir, "old.yaml",
                            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
                            "        '200': {description: ok}\n  /b:\n    get:\n      responses:\n        '200': {description: ok}\n");
    char *newp = write_file(dir, "new.yaml",
                            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
                            "        '200': {description: ok}\n");
    apicompat_options *o;
    apicompat_result *r;
    assert_int_equal(apicompat_options_new(&o, "breaking", NULL), APICOMPAT_OK);
    assert_int_equal(apicompat_options_set(o, "format", "json", NULL), APICOMPAT_OK);
    assert_int_equal(apicompat_options_set(o, "format", "xml", NULL), APICOMPAT_ERROR);
    assert_int_equal(apicompat_options_set(o, "fail-on", "never", NULL), APICOMPAT_ERROR);
    assert_int_equal(apicompat_options_set(o, "config", "/nonexistent/apicompat.yaml", NULL), APICOMPAT_ERROR);
    assert_int_equal(apicompat_compare_with(&r, oldp, newp, o, NULL), APICOMPAT_OK);
    char *out = written(r);
    assert_true(out[0] == '{');
    assert_non_null(strstr(out, "\"rule\":\t\"api-path-removed-without-deprecation\""));
    free(out);
    assert_int_equal(apicompat_result_exit_code(r), APICOMPAT_BREAKING);
    assert_int_equal(apicompat_result_count(r), 1);
    const apicompat_finding *f = apicompat_result_get(r, 0);
    assert_string_equal(apicompat_finding_old_file(f), oldp);
    assert_int_equal(apicompat_finding_old_line(f), 10);
    assert_string_equal(apicompat_result_notes(r), "");
    apicompat_result_free(r);
    /* off: nothing fails */
    assert_int_equal(apicompat_options_set(o, "fail-on", "off", NULL), APICOMPAT_OK);
    assert_int_equal(apicompat_compare_with(&r, oldp, newp, o, NULL), APICOMPAT_OK);
    assert_int_equal(apicompat_result_exit_code(r), APICOMPAT_OK);
    apicompat_result_free(r);
    apicompat_options_free(o);
    /* a missing input: the path as a whole, code 2 */
    apicompat_status st;
    char *missing = write_file(dir, "gone.yaml", "");
    unlink(missing);
    assert_int_equal(apicompat_compare_with(&r, oldp, missing, NULL, &st), APICOMPAT_ERROR);
    assert_string_equal(st.path, missing);
    assert_int_equal(st.line, 0);
    assert_string_equal(st.message, "no such file or directory");
    unlink(oldp);
    unlink(newp);
    rmdir(dir);
    free(oldp);
    free(newp);
    free(missing);
}

/* An OpenAPI document with a GET on each of paths. */
static void openapi(const char *dir, const char *name, const char *const *paths, size_t n)
{
    char text[1024];
    int len = snprintf(text, sizeof text, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
    for (size_t i = 0; i < n; i++)
        len += snprintf(text + len, sizeof text - (size_t)len, "  /%s:\n    get:\n      responses:\n        '200': {description: ok}\n",
                        paths[i]);
    free(write_file(dir, name, text));
}

#define GIT "GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t.invalid GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t.invalid " \
            "GIT_CONFIG_NOSYSTEM=1 git"
#define IGNORE_D "ignore:\n  - rule: api-path-removed-without-deprecation\n    path: b.yaml\n    reason: d is gone\n"

/* Two contracts and one apicompat.yaml, committed (tag base), then changed: a.yaml loses /b, b.yaml
 * loses /d (which the configuration ignores), and the configuration turns fail_on off.  Each path
 * is compared with itself at base, into one result: the ignore is used (by b.yaml's pair only),
 * and the configuration is compared with its copy at base, which it loosens. */
static char scratch_here[4096], scratch_dir[] = "/tmp/aclibgitXXXXXX";

/* Back where the tests run, the repository removed, even when an assertion failed. */
static int leave_scratch(void **state)
{
    (void)state;
    int rc = chdir(scratch_here);
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf '%s'", scratch_dir);
    return rc || system(rm);
}

static void compare_against_merges_the_pairs_under_ref_policy(void **state)
{
    (void)state;
    assert_non_null(getcwd(scratch_here, sizeof scratch_here));
    char *dir = mkdtemp(scratch_dir);
    assert_non_null(dir);
    assert_int_equal(chdir(dir), 0);
    const char *ab[] = {"a", "b"}, *cd[] = {"c", "d"};
    openapi(".", "a.yaml", ab, 2);
    openapi(".", "b.yaml", cd, 2);
    free(write_file(".", "apicompat.yaml", "version: 1\n" IGNORE_D));
    assert_int_equal(system(GIT " init -q -b main . && " GIT " add -A && " GIT " commit -qm base && " GIT " tag base"), 0);
    openapi(".", "a.yaml", ab, 1);
    openapi(".", "b.yaml", cd, 1);
    free(write_file(".", "apicompat.yaml", "version: 1\nfail_on: off\n" IGNORE_D));

    const char *paths[] = {"a.yaml", "b.yaml"};
    apicompat_result *r;
    apicompat_status st;
    assert_int_equal(apicompat_compare_against(&r, "base", paths, 2, NULL, &st), APICOMPAT_OK);
    assert_int_equal(apicompat_result_count(r), 2);
    const apicompat_finding *f = apicompat_result_get(r, 0);
    assert_string_equal(apicompat_finding_rule(f), "api-path-removed-without-deprecation");
    assert_string_equal(apicompat_finding_file(f), "a.yaml");
    assert_int_equal(apicompat_finding_line(f), 3);
    f = apicompat_result_get(r, 1);
    assert_string_equal(apicompat_finding_rule(f), "apicompat-config-loosened");
    assert_int_equal(apicompat_finding_severity(f), APICOMPAT_WARNING);
    assert_string_equal(apicompat_finding_file(f), "apicompat.yaml");
    assert_int_equal(apicompat_finding_line(f), 2);
    assert_int_equal(apicompat_finding_column(f), 10);
    assert_int_equal(apicompat_result_exit_code(r), APICOMPAT_OK); /* the working tree's fail_on: off */
    char *out = written(r);
    assert_string_equal(out, "a.yaml:3:1: api-path-removed-without-deprecation GET /b was removed without deprecation\n"
                             "apicompat.yaml:2:10: apicompat-config-loosened (warning) this change loosens the base "
                             "revision's policy: fail_on off (was error)\n"
                             "1 error, 1 warning (1 suppressed)\n");
    free(out);
    apicompat_result_free(r);

    /* a.yaml alone: the ignore is unused */
    assert_int_equal(apicompat_compare_against(&r, "base", paths, 1, NULL, &st), APICOMPAT_OK);
    assert_int_equal(apicompat_result_count(r), 3);
    assert_string_equal(apicompat_finding_rule(apicompat_result_get(r, 2)), "apicompat-ignore-unused");
    apicompat_result_free(r);

    /* the options are on top of the configuration */
    apicompat_options *o;
    assert_int_equal(apicompat_options_new(&o, "breaking", NULL), APICOMPAT_OK);
    assert_int_equal(apicompat_options_set(o, "fail-on", "warning", NULL), APICOMPAT_OK);
    assert_int_equal(apicompat_compare_against(&r, "base", paths, 2, o, &st), APICOMPAT_OK);
    assert_int_equal(apicompat_result_exit_code(r), APICOMPAT_BREAKING);
    apicompat_result_free(r);
    apicompat_options_free(o);

    /* what cannot be compared */
    assert_int_equal(apicompat_compare_against(&r, "nosuch", paths, 2, NULL, &st), APICOMPAT_ERROR);
    assert_string_equal(st.path, "git:nosuch:a.yaml");
    assert_string_equal(st.message, "unknown revision \"nosuch\": fetch it first (git fetch origin nosuch)");
    assert_int_equal(apicompat_compare_against(&r, "-p", paths, 2, NULL, &st), APICOMPAT_EINVAL);
    assert_string_equal(st.message, "apicompat_compare_against needs a git revision, found \"-p\"");
    assert_int_equal(apicompat_compare_against(&r, "base", paths, 0, NULL, &st), APICOMPAT_EINVAL);
    const char *empty[] = {"a.yaml", ""};
    assert_int_equal(apicompat_compare_against(&r, "base", empty, 2, NULL, &st), APICOMPAT_EINVAL);
    assert_int_equal(apicompat_compare_against(&r, "", paths, 2, NULL, NULL), APICOMPAT_EINVAL);
}

/* Each comparison may read only its own directories: a program that compared contracts in one
 * directory before must not let a later comparison's symbolic link read them (the allowed
 * directories were the process's, and grew with every call: issue #21 through the library). */
static char earlier_dir[] = "/tmp/aclibearlierXXXXXX", later_dir[] = "/tmp/aclibl8rXXXXXX";

static int remove_dirs(void **state)
{
    (void)state;
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf '%s' '%s'", earlier_dir, later_dir);
    return system(rm);
}

static void a_comparison_reads_only_its_own_directories(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(earlier_dir));
    assert_non_null(mkdtemp(later_dir));
    const char *doc = "openapi: 3.0.3\ninfo: {title: SECRET_TOKEN, version: '1'}\npaths: {}\n";
    char *secret = write_file(earlier_dir, "secret.yaml", doc);
    apicompat_result *r;
    apicompat_status st;
    assert_int_equal(apicompat_compare_with(&r, secret, secret, NULL, &st), APICOMPAT_OK);
    apicompat_result_free(r);

    char *oldp = write_file(later_dir, "old.yaml", doc);
    char linkp[sizeof later_dir + 16];
    snprintf(linkp, sizeof linkp, "%s/new.yaml", later_dir);
    assert_int_equal(symlink(secret, linkp), 0);
    const char *outside = "input does not resolve inside the directories apicompat may read (the inputs' directory or repository)";
    assert_int_equal(apicompat_compare_with(&r, oldp, linkp, NULL, &st), APICOMPAT_ERROR);
    assert_string_equal(st.path, linkp);
    assert_string_equal(st.message, outside);
    assert_int_equal(apicompat_compare(&r, oldp, linkp, NULL, &st), APICOMPAT_ERROR);
    assert_string_equal(st.message, outside);
    free(secret);
    free(oldp);
}

/* A name from a pull request reaches a program as one safe line: a property named with a newline
 * and a workflow command, and a file named so, come out as \n and \x1b, never raw. */
static void hostile_names_reach_the_caller_escaped(void **state)
{
    (void)state;
    char dir[] = "/tmp/aclibXXXXXX";
    assert_non_null(mkdtemp(dir));
    char *oldp = write_file(dir, "old.yaml",
                            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
                            "        '200':\n          description: ok\n          content:\n            application/json:\n"
                            "              schema:\n                type: object\n                required: [\"x\\n::warning::y\\e[31m\"]\n"
                            "                properties:\n                  \"x\\n::warning::y\\e[31m\": {type: string}\n");
    char *newp = write_file(dir, "new\n::error::x.yaml",
                            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
                            "        '200':\n          description: ok\n          content:\n            application/json:\n"
                            "              schema: {type: object}\n");
    apicompat_result *r;
    apicompat_status st;
    assert_int_equal(apicompat_compare_with(&r, oldp, newp, NULL, &st), APICOMPAT_OK);
    assert_true(apicompat_result_count(r) >= 1);
    for (size_t i = 0; i < apicompat_result_count(r); i++) {
        const apicompat_finding *f = apicompat_result_get(r, i);
        const char *texts[] = {apicompat_finding_message(f), apicompat_finding_file(f), apicompat_finding_old_file(f)};
        for (size_t k = 0; k < 3; k++) {
            assert_null(strchr(texts[k], '\n'));
            assert_null(strchr(texts[k], '\033'));
        }
    }
    const apicompat_finding *f = apicompat_result_get(r, 0);
    assert_non_null(strstr(apicompat_finding_message(f), "x\\n::warning::y\\x1b[31m"));
    assert_non_null(strstr(apicompat_finding_file(f), "new\\n::error::x.yaml"));
    apicompat_result_free(r);
    /* a status about the same file: its path is one line too */
    free(write_file(dir, "new\n::error::x.yaml", "openapi: [\n"));
    assert_int_equal(apicompat_compare_with(&r, oldp, newp, NULL, &st), APICOMPAT_ERROR);
    assert_null(strchr(st.path, '\n'));
    assert_non_null(strstr(st.path, "new\\n::error::x.yaml"));
    assert_null(strchr(st.message, '\n'));
    unlink(oldp);
    unlink(newp);
    rmdir(dir);
    free(oldp);
    free(newp);
}

int ac_test_lib(void)
{
    const struct CMUnitTest lib_tests[] = {
        cmocka_unit_test(options_new_knows_two_commands),
        cmocka_unit_test(unknown_names_are_einval),
        cmocka_unit_test(refused_values_are_errors_with_the_cli_message),
        cmocka_unit_test(a_refused_value_leaves_the_options),
        cmocka_unit_test(hostile_names_reach_the_caller_escaped),
        cmocka_unit_test_teardown(compare_against_merges_the_pairs_under_ref_policy, leave_scratch),
        cmocka_unit_test_teardown(a_comparison_reads_only_its_own_directories, remove_dirs),
    };
    return cmocka_run_group_tests_name("libapicompat", lib_tests, NULL, NULL);
}
