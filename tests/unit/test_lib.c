/* Unit tests (cmocka): libapicompat's options (lib/apicompat.h), read by the command line's own
 * table: what apicompat_options_set refuses, with which code and message, and that a refused
 * value leaves the options as they were. */
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

int ac_test_lib(void)
{
    const struct CMUnitTest lib_tests[] = {
        cmocka_unit_test(options_new_knows_two_commands),
        cmocka_unit_test(unknown_names_are_einval),
        cmocka_unit_test(refused_values_are_errors_with_the_cli_message),
        cmocka_unit_test(a_refused_value_leaves_the_options),
    };
    return cmocka_run_group_tests_name("libapicompat", lib_tests, NULL, NULL);
}
