/* Unit tests (cmocka): escaping input-named text for each output (compat/base/escape.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compat/base/escape.h"

typedef void (*esc_fn)(FILE *, const char *);

/* what fn writes for s */
static char *written(esc_fn fn, const char *s)
{
    char *out = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&out, &n);
    assert_non_null(m);
    fn(m, s);
    fclose(m);
    return out;
}

static void expect(esc_fn fn, const char *s, const char *want)
{
    char *got = written(fn, s);
    assert_string_equal(got, want);
    free(got);
}

static void gh_data(FILE *f, const char *s)
{
    ac_esc_github(f, s, false);
}

static void gh_prop(FILE *f, const char *s)
{
    ac_esc_github(f, s, true);
}

static void line_shows_every_control_and_keeps_utf8(void **state)
{
    (void)state;
    expect(ac_esc_line, "a\nb\rc\td", "a\\nb\\rc\\td");
    expect(ac_esc_line, "\033[31mred\x7f", "\\x1b[31mred\\x7f");
    expect(ac_esc_line, "c1:\xc2\x9b end", "c1:\\xc2\\x9b end");          /* U+009B, CSI */
    expect(ac_esc_line, "bidi\xe2\x80\xae!", "bidi\\xe2\\x80\\xae!");      /* U+202E */
    expect(ac_esc_line, "sep\xe2\x80\xa8", "sep\\xe2\\x80\\xa8");          /* U+2028 */
    expect(ac_esc_line, "bad\xff\xc0\xaf", "bad\\xff\\xc0\\xaf");          /* not UTF-8, overlong */
    expect(ac_esc_line, "cut\xe2\x80", "cut\\xe2\\x80");                   /* cut short */
    expect(ac_esc_line, "surrogate\xed\xa0\x80", "surrogate\\xed\\xa0\\x80");
    expect(ac_esc_line, "caf\xc3\xa9 \xf0\x9f\x90\xb1 \xe4\xb8\xad", "caf\xc3\xa9 \xf0\x9f\x90\xb1 \xe4\xb8\xad");
}

static void github_follows_the_workflow_command_rules(void **state)
{
    (void)state;
    expect(gh_data, "50% a\n::warning::x\r", "50%25 a%0A::warning::x%0D");
    expect(gh_data, "a:b,c", "a:b,c");
    expect(gh_prop, "a:b,c%\n", "a%3Ab%2Cc%25%0A");
    expect(gh_data, "\033[2J", "\\x1b[2J");
}

static void markdown_text_renders_as_itself(void **state)
{
    (void)state;
    expect(ac_esc_markdown, "[x](http://e.example)", "\\[x\\](http\\://e.example)");
    expect(ac_esc_markdown, "![i](u)", "\\!\\[i\\](u)");
    expect(ac_esc_markdown, "hi @user a@b.c", "hi @&#8203;user a@&#8203;b.c");
    expect(ac_esc_markdown, "<b>&amp;</b>", "&lt;b&gt;&amp;amp;&lt;/b&gt;");
    expect(ac_esc_markdown, "*e* _u_ ~s~ `c` $m$ a|b #1 \\", "\\*e\\* \\_u\\_ \\~s\\~ \\`c\\` \\$m\\$ a\\|b \\#1 \\\\");
    expect(ac_esc_markdown, "WWW.e.example www", "WWW\\.e.example www");
    expect(ac_esc_markdown, "a\nb\033", "a\\nb\\x1b");
    expect(ac_esc_markdown, "time 10:30 ok.", "time 10:30 ok.");
}

static void markdown_code_spans_hold_any_text(void **state)
{
    (void)state;
    expect(ac_esc_markdown_code, "a.proto:3", "`a.proto:3`");
    expect(ac_esc_markdown_code, "a`b``c", "```a`b``c```");
    expect(ac_esc_markdown_code, "`x", "`` `x ``");
    expect(ac_esc_markdown_code, " x ", "`  x  `"); /* one space of each side is stripped */
    expect(ac_esc_markdown_code, "a|b\nc", "`a\\|b\\nc`");
    expect(ac_esc_markdown_code, "<input>:1", "`<input>:1`");
}

static void xml_has_only_xml_1_0_characters(void **state)
{
    (void)state;
    expect(ac_esc_xml, "<a b=\"c\">&", "&lt;a b=&quot;c&quot;&gt;&amp;");
    expect(ac_esc_xml, "l1\nl2\tx\033\x01\xc2\x85", "l1&#10;l2&#9;x\\x1b\\x01\\xc2\\x85");
    expect(ac_esc_xml, "\xef\xbf\xbe", "\\xef\\xbf\\xbe"); /* U+FFFE */
}

static void json_output_is_valid_and_escape_free(void **state)
{
    (void)state;
    expect(ac_esc_json_write, "{\n\t\"a\":\t\"x\x7f\xc2\x9b\xe2\x80\xae\xff\xc3\xa9\"\n}",
           "{\n\t\"a\":\t\"x\\u007f\\u009b\\u202e\\ufffd\xc3\xa9\"\n}");
}

int ac_test_escape(void)
{
    const struct CMUnitTest escape[] = {
        cmocka_unit_test(line_shows_every_control_and_keeps_utf8),
        cmocka_unit_test(github_follows_the_workflow_command_rules),
        cmocka_unit_test(markdown_text_renders_as_itself),
        cmocka_unit_test(markdown_code_spans_hold_any_text),
        cmocka_unit_test(xml_has_only_xml_1_0_characters),
        cmocka_unit_test(json_output_is_valid_and_escape_free),
    };
    return cmocka_run_group_tests_name("escape", escape, NULL, NULL);
}
