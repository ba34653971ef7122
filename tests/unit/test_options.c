/* Unit tests (cmocka): the command line's table (cmd/options.c) and path-level statuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmd/options.h"

static int parse(ac_cmd cmd, options *o, ac_status *st, int argc, ...)
{
    static char *argv[16];
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc && i < 16; i++) argv[i] = va_arg(ap, char *);
    va_end(ap);
    ac_options_init(o);
    ac_status_init(st);
    return ac_options_parse(cmd, argc, argv, o, st);
}

static void formats_are_per_command(void **state)
{
    (void)state;
    options o;
    ac_status st;
    assert_int_equal(parse(AC_CMD_RULES, &o, &st, 2, "--format", "markdown"), AC_OK);
    assert_int_equal(o.format, FMT_MARKDOWN);
    ac_options_free(&o);
    assert_int_equal(parse(AC_CMD_RULES, &o, &st, 1, "--format=sarif"), AC_ERROR);
    assert_string_equal(st.msg, "rules writes text, json or markdown, not \"sarif\"");
    ac_options_free(&o);
    assert_int_equal(parse(AC_CMD_BREAKING, &o, &st, 2, "-f", "sarif"), AC_OK);
    assert_int_equal(o.format, FMT_SARIF);
    ac_options_free(&o);
    assert_int_equal(parse(AC_CMD_REPLAY, &o, &st, 2, "-f", "xml"), AC_ERROR);
    assert_string_equal(st.msg, "unknown format \"xml\" (expected text, json, github, junit or markdown)");
    ac_options_free(&o);
}

static void options_belong_to_commands(void **state)
{
    (void)state;
    options o;
    ac_status st;
    assert_int_equal(parse(AC_CMD_RULES, &o, &st, 2, "--shard", "1/2"), AC_ERROR);
    assert_non_null(strstr(st.msg, "rules does not take the option --shard"));
    ac_options_free(&o);
    assert_int_equal(parse(AC_CMD_CASES, &o, &st, 2, "-o", "out"), AC_OK);
    assert_string_equal(o.out_dir, "out");
    ac_options_free(&o);
}

static void operands_are_counted(void **state)
{
    (void)state;
    options o;
    ac_status st;
    assert_int_equal(parse(AC_CMD_RULES, &o, &st, 1, "extra"), AC_ERROR);
    assert_non_null(strstr(st.msg, "unexpected argument \"extra\""));
    ac_options_free(&o);
    assert_int_equal(parse(AC_CMD_CONFIG, &o, &st, 2, "check", "a.yaml"), AC_OK);
    ac_options_free(&o);
    assert_int_equal(parse(AC_CMD_CONFIG, &o, &st, 3, "check", "a.yaml", "b.yaml"), AC_ERROR);
    ac_options_free(&o);
}

static void help_wins_before_double_dash(void **state)
{
    (void)state;
    options o;
    ac_status st;
    assert_int_equal(parse(AC_CMD_BREAKING, &o, &st, 3, "--format", "nonsense", "-h"), AC_OK);
    assert_true(o.help);
    ac_options_free(&o);
    assert_int_equal(parse(AC_CMD_RULES, &o, &st, 2, "--", "--help"), AC_ERROR);
    assert_false(o.help);
    ac_options_free(&o);
}

static void named_paths_are_checked(void **state)
{
    (void)state;
    options o;
    ac_status st;
    assert_int_equal(parse(AC_CMD_BREAKING, &o, &st, 2, "-I", "/nonexistent/dir"), AC_ERROR);
    assert_true(st.whole);
    assert_string_equal(st.path, "/nonexistent/dir");
    ac_options_free(&o);
    assert_int_equal(parse(AC_CMD_BREAKING, &o, &st, 2, "--config", "/"), AC_ERROR);
    assert_non_null(strstr(st.msg, "is a directory"));
    ac_options_free(&o);
    assert_int_equal(parse(AC_CMD_BREAKING, &o, &st, 2, "--config", "git:main:apicompat.yaml"), AC_OK); /* read at main */
    ac_options_free(&o);
    assert_int_equal(parse(AC_CMD_BREAKING, &o, &st, 2, "--sarif-file", "/nonexistent/dir/x.sarif"), AC_ERROR);
    assert_string_equal(st.path, "/nonexistent/dir");
    ac_options_free(&o);
}

static void a_path_problem_has_no_line(void **state)
{
    (void)state;
    ac_status st;
    char *out = NULL;
    size_t n = 0;
    ac_status_init(&st);
    ac_fail_path(&st, "nosuch.yaml", "no such file or directory");
    ac_fail(&st, "other", 3, 4, "later errors never overwrite the first");
    FILE *f = open_memstream(&out, &n);
    ac_status_print(&st, f);
    fclose(f);
    assert_string_equal(out, "nosuch.yaml: no such file or directory\n");
    free(out);
    ac_status_init(&st);
    ac_fail(&st, "a.yaml", 0, 0, "the whole file, as before");
    f = open_memstream(&out, &n);
    ac_status_print(&st, f);
    fclose(f);
    assert_string_equal(out, "a.yaml:1:1: the whole file, as before\n");
    free(out);
}

int ac_test_options(void)
{
    const struct CMUnitTest options_tests[] = {
        cmocka_unit_test(formats_are_per_command),     cmocka_unit_test(options_belong_to_commands),
        cmocka_unit_test(operands_are_counted),        cmocka_unit_test(help_wins_before_double_dash),
        cmocka_unit_test(named_paths_are_checked),     cmocka_unit_test(a_path_problem_has_no_line),
    };
    return cmocka_run_group_tests_name("options", options_tests, NULL, NULL);
}
