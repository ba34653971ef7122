/* Unit tests (cmocka): the arena, the maps, the document tree, the policy, and IR pairing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compat/base/arena.h"
#include "compat/compat.h"
#include "compat/base/decimal.h"
#include "compat/base/fs.h"
#include "compat/base/map.h"
#include "compat/policy/policy.h"
#include "compat/rules/oas_check.h"
#include "compat/rules/rules.h"
#include "compat/base/doc.h"
#include "proto/compile.h"
#include "proto/nesting.h"

/* ---- arena ------------------------------------------------------------------------------------- */

static void arena_allocations_are_zeroed_and_aligned(void **state)
{
    (void)state;
    ac_arena *a = ac_arena_new();
    for (int i = 1; i < 2000; i += 37) {
        unsigned char *p = ac_arena_alloc(a, (size_t)i);
        assert_int_equal((uintptr_t)p % 16, 0);
        for (int k = 0; k < i; k++) assert_int_equal(p[k], 0);
        memset(p, 0xAB, (size_t)i);
    }
    void *big = ac_arena_alloc(a, 1 << 20); /* larger than a chunk */
    assert_non_null(big);
    assert_string_equal(ac_arena_printf(a, "%s-%d", "x", 42), "x-42");
    assert_string_equal(ac_arena_strndup(a, "abcdef", 3), "abc");
    assert_true(ac_arena_used(a) >= (1 << 20));
    ac_arena_free(a);
}

static void arena_reset_keeps_memory_zeroed(void **state)
{
    (void)state;
    ac_arena *a = ac_arena_new();
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 100; i++) {
            unsigned char *p = ac_arena_alloc(a, 5000);
            for (int k = 0; k < 5000; k++) assert_int_equal(p[k], 0);
            memset(p, 0xCD, 5000);
        }
        assert_true(ac_arena_used(a) >= 500000);
        ac_arena_reset(a);
        assert_int_equal(ac_arena_used(a), 0);
    }
    ac_arena_free(a);
}

/* ---- the .proto brace pre-scan ------------------------------------------------------------------ */

static void nesting_scan_skips_comments_and_strings(void **state)
{
    (void)state;
    char deep[128], text[1024];
    unsigned line = 0, col = 0;
    memset(deep, '{', 101);
    deep[101] = 0;
    /* braces in comments and strings do not count; the position is that of the 101st brace */
    snprintf(text, sizeof text, "// %s\n/* %s */ s = \"%s\\\"%s\";\n'%s'\n%s", deep, deep, deep, deep, deep, deep);
    assert_false(ac_proto_nesting_ok(text, strlen(text), &line, &col));
    assert_int_equal(line, 4);
    assert_int_equal(col, 101);
    text[strlen(text) - 1] = 0; /* 100 deep is allowed */
    assert_true(ac_proto_nesting_ok(text, strlen(text), &line, &col));
    /* an escaped quote does not end a string; a newline does; a block comment ends at the first star-slash */
    const char *ok[] = {"\"{{\\\"{{\" }", "/* { **/ }", "/ {}", "'{\n}"};
    for (size_t i = 0; i < 4; i++) assert_true(ac_proto_nesting_ok(ok[i], strlen(ok[i]), &line, &col));
    snprintf(text, sizeof text, "/*/ */%s", deep);
    assert_false(ac_proto_nesting_ok(text, strlen(text), &line, &col));
    assert_int_equal(col, 7 + 100);
    /* and where strings and comments end, so that what follows them counts */
    const char *ends[] = {"\"\\\"\" ", "'\\'' ", "/* **/ ", "// x\n", "\"x\n", "/ "};
    for (size_t i = 0; i < 6; i++) {
        snprintf(text, sizeof text, "%s%s", ends[i], deep);
        assert_false(ac_proto_nesting_ok(text, strlen(text), &line, &col));
    }
}

/* ---- maps -------------------------------------------------------------------------------------- */

static void strmap_put_get_and_grow(void **state)
{
    (void)state;
    ac_arena *a = ac_arena_new();
    ac_strmap m;
    ac_strmap_init(&m);
    assert_null(ac_strmap_get(&m, "missing"));
    ac_strmap_reserve(&m, 5000);
    size_t reserved = m.cap;
    for (int i = 0; i < 5000; i++) {
        char *k = ac_arena_printf(a, "key%d", i);
        assert_true(ac_strmap_add(&m, k, (void *)(intptr_t)(i + 1)));
    }
    assert_false(ac_strmap_add(&m, "key7", (void *)1)); /* add keeps the first */
    assert_int_equal((intptr_t)ac_strmap_get(&m, "key7"), 8);
    assert_int_equal((intptr_t)ac_strmap_put(&m, "key7", (void *)99), 8);
    assert_int_equal((intptr_t)ac_strmap_get(&m, "key7"), 99);
    assert_int_equal((intptr_t)ac_strmap_get(&m, "key4999"), 5000);
    assert_null(ac_strmap_get(&m, "key5000"));
    assert_int_equal(m.len, 5000);
    assert_int_equal(m.cap, reserved); /* reserve made room for all of them at once */
    assert_true(m.cap < 16384);
    /* keys are byte strings: embedded prefixes do not collide */
    assert_null(ac_strmap_getn(&m, "key12", 3));
    /* one probe for "find, else add" */
    bool added;
    void **slot = ac_strmap_slot_of(&m, "key42", 5, &added);
    assert_false(added);
    assert_int_equal((intptr_t)*slot, 43);
    slot = ac_strmap_slot_of(&m, "fresh", 5, &added);
    assert_true(added);
    assert_null(*slot);
    *slot = (void *)7;
    assert_int_equal((intptr_t)ac_strmap_get(&m, "fresh"), 7);
    assert_int_equal((intptr_t)ac_strmap_put(&m, "fresh", NULL), 7);
    /* every key once when iterating the slots */
    size_t seen = 0;
    intptr_t sum = 0;
    for (size_t i = 0; i < m.cap; i++)
        if (m.e[i].key) seen++, sum += (intptr_t)m.e[i].val;
    assert_int_equal(seen, 5001);
    assert_int_equal(sum, 5000 * 5001 / 2 - 8 + 99);
    ac_strmap_free(&m);
    ac_arena_free(a);
}

/* a table of more than 8 MiB lives in its own mapping: zeroed, usable, grown and freed like the rest */
static void strmap_large_table(void **state)
{
    (void)state;
    ac_strmap m;
    ac_strmap_init(&m);
    ac_strmap_reserve(&m, 400000);
    assert_true(m.cap * sizeof *m.e >= ((size_t)8 << 20));
    for (size_t i = 0; i < m.cap; i++) assert_null(m.e[i].key);
    static char keys[300000][12];
    for (int i = 0; i < 300000; i++) {
        snprintf(keys[i], sizeof keys[i], "%d", i);
        assert_true(ac_strmap_add(&m, keys[i], keys[i]));
    }
    assert_ptr_equal(ac_strmap_get(&m, "299999"), keys[299999]);
    assert_int_equal(m.len, 300000);
    ac_strmap_free(&m);
    void *p = ac_big_calloc(9u << 20);
    assert_int_equal(((unsigned char *)p)[(9u << 20) - 1], 0);
    ac_big_free(p, 9u << 20);
}

static void intmap_handles_negative_and_large_keys(void **state)
{
    (void)state;
    ac_intmap m;
    ac_intmap_init(&m);
    int64_t keys[] = {0, -1, 1, 536870911, -2147483648LL, 4294967296LL};
    for (size_t i = 0; i < 6; i++) ac_intmap_put(&m, keys[i], (void *)(intptr_t)(i + 1));
    for (size_t i = 0; i < 6; i++) assert_int_equal((intptr_t)ac_intmap_get(&m, keys[i]), (intptr_t)(i + 1));
    assert_false(ac_intmap_has(&m, 2));
    for (int64_t k = 100; k < 10100; k++) ac_intmap_put(&m, k, (void *)1);
    assert_int_equal(m.len, 10006);
    ac_intmap_free(&m);
}

/* ---- paths ------------------------------------------------------------------------------------- */

static void path_clean_normalises_and_refuses_escapes(void **state)
{
    (void)state;
    ac_arena *a = ac_arena_new();
    assert_string_equal(ac_path_clean(a, "a//b/./c/"), "a/b/c");
    assert_string_equal(ac_path_clean(a, "a/b/../c"), "a/c");
    assert_string_equal(ac_path_clean(a, "."), ".");
    assert_string_equal(ac_path_clean(a, "./"), ".");
    assert_null(ac_path_clean(a, "../x"));
    assert_null(ac_path_clean(a, "a/../../x"));
    assert_string_equal(ac_path_join(a, ".", "x.proto"), "x.proto");
    assert_string_equal(ac_path_join(a, "dir/", "x.proto"), "dir/x.proto");
    assert_string_equal(ac_path_join(a, ".", ""), ".");
    assert_string_equal(ac_path_join(a, "", "."), ".");
    assert_string_equal(ac_path_trim(a, "./"), ".");
    assert_string_equal(ac_path_trim(a, "dir//"), "dir");
    assert_string_equal(ac_path_trim(a, "/"), "/");
    ac_arena_free(a);
}

/* ---- document tree ----------------------------------------------------------------------------- */

static ac_doc *parse(ac_arena *a, const char *text, ac_status *st)
{
    ac_doc *d = NULL;
    ac_status_init(st);
    if (ac_doc_parse(&d, a, "t.yaml", text, strlen(text), NULL, st)) return NULL;
    return d;
}

static void yaml_nodes_have_one_based_positions(void **state)
{
    (void)state;
    ac_arena *a = ac_arena_new();
    ac_status st;
    ac_doc *d = parse(a, "version: v2\nbreaking:\n  use:\n    - FILE\n    - 'WIRE'\n", &st);
    assert_non_null(d);
    ac_doc_node *use = ac_doc_get(ac_doc_get(d->root, "breaking"), "use");
    assert_non_null(use);
    assert_int_equal(use->type, AC_DOC_SEQ);
    assert_int_equal(use->n, 2);
    assert_int_equal(use->items[0]->line, 4);
    assert_int_equal(use->items[0]->col, 7);
    assert_string_equal(use->items[1]->str, "WIRE");
    assert_int_equal(ac_doc_get_pair(d->root, "breaking")->key->line, 2);
    ac_arena_free(a);
}

static void yaml_scalars_follow_the_core_schema(void **state)
{
    (void)state;
    ac_arena *a = ac_arena_new();
    ac_status st;
    ac_doc *d = parse(a, "a: 12\nb: '12'\nc: true\nd: ~\ne: 1.5e3\nf: 0x1F\ng: 200 OK\n", &st);
    assert_non_null(d);
    assert_int_equal(ac_doc_get(d->root, "a")->type, AC_DOC_NUMBER);
    assert_int_equal(ac_doc_get(d->root, "b")->type, AC_DOC_STRING);
    assert_int_equal(ac_doc_get(d->root, "c")->type, AC_DOC_BOOL);
    assert_int_equal(ac_doc_get(d->root, "d")->type, AC_DOC_NULL);
    assert_true(ac_doc_get(d->root, "e")->num == 1500.0);
    assert_true(ac_doc_get(d->root, "f")->num == 31.0);
    assert_int_equal(ac_doc_get(d->root, "g")->type, AC_DOC_STRING);
    ac_arena_free(a);
}

static void yaml_duplicate_keys_are_errors_with_location(void **state)
{
    (void)state;
    ac_arena *a = ac_arena_new();
    ac_status st;
    assert_null(parse(a, "a: 1\nb: 2\na: 3\n", &st));
    assert_int_equal(st.code, AC_ERROR);
    assert_int_equal(st.line, 3);
    assert_int_equal(st.col, 1);
    assert_non_null(strstr(st.msg, "duplicate key \"a\""));
    ac_arena_free(a);
}

static void yaml_alias_bomb_is_refused(void **state)
{
    (void)state;
    ac_arena *a = ac_arena_new();
    ac_status st;
    const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                       "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                       "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                       "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                       "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                       "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
    assert_null(parse(a, bomb, &st));
    assert_non_null(strstr(st.msg, "alias"));
    /* a few aliases are fine, and merge keys work */
    ac_doc *d = parse(a, "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n", &st);
    assert_non_null(d);
    ac_doc_node *use = ac_doc_get(d->root, "use");
    assert_true(ac_doc_get(use, "x")->num == 1.0);
    assert_true(ac_doc_get(use, "y")->num == 3.0);
    ac_arena_free(a);
}

static void yaml_depth_limit(void **state)
{
    (void)state;
    ac_arena *a = ac_arena_new();
    ac_status st;
    size_t n = 2000;
    char *deep = ac_arena_alloc(a, 2 * n + 1);
    for (size_t i = 0; i < n; i++) deep[i] = '[';
    for (size_t i = 0; i < n; i++) deep[n + i] = ']';
    /* starts with '[' so it is read as JSON */
    assert_null(parse(a, deep, &st));
    assert_non_null(strstr(st.msg, "nesting deeper"));
    char *ydeep = ac_arena_alloc(a, 2 * n + 4);
    memcpy(ydeep, "a: ", 3);
    for (size_t i = 0; i < n; i++) ydeep[3 + i] = '[';
    for (size_t i = 0; i < n; i++) ydeep[3 + n + i] = ']';
    assert_null(parse(a, ydeep, &st));
    assert_non_null(strstr(st.msg, "nesting deeper"));
    ac_arena_free(a);
}

static void json_positions_are_set_when_parsed(void **state)
{
    (void)state;
    ac_arena *a = ac_arena_new();
    ac_status st;
    /* the tree keeps nothing of the text */
    char *text = ac_xstrdup("{\n  \"paths\": {\n    \"/pets\": {\"get\": {\"x\": [1, \"two\", {\"k\": null}]}}\n  }\n}\n");
    ac_doc *d = parse(a, text, &st);
    memset(text, ' ', strlen(text));
    free(text);
    assert_non_null(d);
    ac_doc_node *x = ac_doc_get(ac_doc_get(ac_doc_get(ac_doc_get(d->root, "paths"), "/pets"), "get"), "x");
    assert_non_null(x);
    assert_int_equal(x->line, 3);
    assert_int_equal(x->col, 28);
    assert_int_equal(x->items[1]->col, 32);
    assert_string_equal(x->items[1]->str, "two");
    ac_doc_node *k = ac_doc_get(x->items[2], "k");
    assert_int_equal(k->line, 3);
    assert_int_equal(k->col, 45);
    assert_int_equal(ac_doc_get_pair(d->root, "paths")->key->line, 2);
    ac_arena_free(a);
}

/* JSON edge cases: each text is read, or refused with a positioned message; cJSON's nesting limit */
static void json_edge_cases_are_read_or_refused(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "{}", "[]", " \r\n\t{\"a\": 1}\n\n", "{\"a\":{},\"b\":[],\"c\":[{}],\"\":\"\"}",
        "{\"n\": [0, -0, 1, -1, 0.5, 1e3, 1E-2, -12.5e+10, 1e400, -1e400, 4.9e-324, 9007199254740993, 123456789012345678901234567890]}",
        "{\"n\": [1.5, 2.25]}",
        "{\"n\": 1234567890123456789012345678901234567890123456789012345678901.5}",  /* 63 characters */
        "{\"n\": 12345678901234567890123456789012345678901234567890123456789012.5}", /* 64: cJSON reads 63 */
        "{\"n\": 1.}", "{\"n\": 01}", "{\"n\": +1}", "{\"n\": .5}", "{\"n\": 1e}", "{\"n\": 1.2.3}", "{\"n\": -}", "{\"n\": 0x10}",
        "{\"n\": 1-2}", "{\"t\": [true, false, null]}", "{\"t\": tru}", "{\"t\": nulll}", "{\"t\": True}",
        "{\"s\": \"\\u00e9\\ud83d\\ude00\\u20ac\\n\\t\\b\\f\\r\\\"\\\\\\/\"}", "{\"s\": \"\\ud800\"}", "{\"s\": \"\\udc00\"}",
        "{\"s\": \"\\ud800\\u0041\"}", "{\"s\": \"\\uZZZZ\"}", "{\"s\": \"\\u12\"}", "{\"s\": \"\\x\"}", "{\"s\": \"a\\\"}",
        "{\"s\": \"tab\there\"}", "{\"s\": \"\x01\"}", "{\x01\"a\": 1}", "{\"a\": 1}\x01", "{\"a\": 1}\x0b\n",
        "{\"\xc3\xa9\xc3\xa9\": \"\xe2\x82\xac\", \"b\":\r\n  [\"\xf0\x9f\x98\x80\", 2]}", "{\"a\":1,\r\"b\":2}",
        "{\"a\": 1} x", "{\"a\": 1}{}", "[1, 2,]", "{\"a\": 1,}", "{\"a\" 1}", "{\"a\": }", "{a: 1}", "{'a': 1}",
        "{\"a\": 1", "{\"a\": \"unterminated", "[", "{\"a\": [1, 2}", "{\"a\": 1, \"\\u0061\": 2}", "{\"x\": {\"a\": 1, \"a\": 2}}",
        "[{\"a\": 1, \"b\": 2, \"a\": 3}]", "{\"a\": NaN}", "{\"a\": Infinity}", "{\"a\": 1 // c\n}",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        ac_arena *a = ac_arena_new();
        ac_status sa;
        ac_doc *da = parse(a, texts[i], &sa);
        if (da) {
            assert_non_null(da->root);
            assert_true(da->root->line >= 1 && da->root->col >= 1);
        } else {
            assert_true(sa.msg[0] != 0);
            assert_true(sa.line >= 1);
        }
        ac_arena_free(a);
    }
    /* nesting: cJSON stops at 1000 levels */
    for (size_t depth = 998; depth <= 1001; depth++) {
        char *t = ac_xmalloc(2 * depth + 1);
        memset(t, '[', depth);
        memset(t + depth, ']', depth);
        t[2 * depth] = 0;
        ac_arena *a = ac_arena_new();
        ac_status sa;
        ac_doc *da = parse(a, t, &sa);
        assert_true(depth <= 1000 ? da != NULL : da == NULL);
        ac_arena_free(a);
        free(t);
    }
}

static void json_node_limit(void **state)
{
    (void)state;
    ac_doc_limits lim = ac_doc_default_limits;
    lim.max_nodes = 4;
    {
        ac_arena *a = ac_arena_new();
        ac_status st;
        ac_status_init(&st);
        ac_doc *d = NULL;
        const char *four = "{\"a\": [1, 2]}", *five = "{\"a\": [1, 2, 3]}", *broken = "{\"a\": [1, 2, 3], \"k\": }";
        assert_int_equal(ac_doc_parse(&d, a, "t.json", four, strlen(four), &lim, &st), AC_OK);
        assert_int_equal(ac_doc_parse(&d, a, "t.json", five, strlen(five), &lim, &st), AC_ERROR);
        assert_non_null(strstr(st.msg, "more than 4 nodes"));
        ac_status_init(&st);
        /* a syntax error is reported first, whatever the size */
        assert_int_equal(ac_doc_parse(&d, a, "t.json", broken, strlen(broken), &lim, &st), AC_ERROR);
        assert_non_null(strstr(st.msg, "invalid JSON"));
        ac_arena_free(a);
    }
}

static void json_errors_point_at_the_problem(void **state)
{
    (void)state;
    ac_arena *a = ac_arena_new();
    ac_status st;
    assert_null(parse(a, "{\n  \"a\": 1,\n  \"b\": ]\n}", &st));
    assert_int_equal(st.line, 3);
    assert_null(parse(a, "{\"a\": 1, \"a\": 2}", &st));
    assert_non_null(strstr(st.msg, "duplicate key"));
    assert_null(parse(a, "{\"a\": \"\xff\"}", &st));
    assert_non_null(strstr(st.msg, "UTF-8"));
    ac_arena_free(a);
}

/* ---- policy ------------------------------------------------------------------------------------ */

static void unstable_packages_match_buf(void **state)
{
    (void)state;
    assert_true(ac_package_unstable("foo.v1alpha1"));
    assert_true(ac_package_unstable("foo.v1beta"));
    assert_true(ac_package_unstable("foo.v2test"));
    assert_true(ac_package_unstable("foo.v2testfoo"));
    assert_true(ac_package_unstable("foo.v1p1beta1"));
    assert_false(ac_package_unstable("foo.v1"));
    assert_false(ac_package_unstable("foo.bar"));
    assert_false(ac_package_unstable("foo.v1alphax"));
    assert_false(ac_package_unstable(""));
}

static void package_stability_reads_aip181_versions(void **state)
{
    (void)state;
    assert_int_equal(ac_package_stability("google.cloud.speech.v1alpha"), AC_STAB_ALPHA);
    assert_int_equal(ac_package_stability("google.cloud.speech.v1p1alpha2"), AC_STAB_ALPHA);
    assert_int_equal(ac_package_stability("foo.v2test"), AC_STAB_ALPHA);
    assert_int_equal(ac_package_stability("google.cloud.vision.v1p1beta1"), AC_STAB_BETA);
    assert_int_equal(ac_package_stability("foo.v2beta3"), AC_STAB_BETA);
    assert_int_equal(ac_package_stability("v1beta"), AC_STAB_BETA);
    assert_int_equal(ac_package_stability("foo.v1"), AC_STAB_STABLE);
    assert_int_equal(ac_package_stability("foo.v1beta1x"), AC_STAB_STABLE);
    assert_int_equal(ac_package_stability("foo.beta1"), AC_STAB_STABLE);
    assert_int_equal(ac_package_stability("foo.v1beta1.sub"), AC_STAB_STABLE);
    assert_int_equal(ac_package_stability(NULL), AC_STAB_STABLE);
}

static void policy_selects_categories_and_maps_deprecated_ids(void **state)
{
    (void)state;
    ac_policy p;
    ac_policy_init(&p);
    int file_no_delete = ac_rule_find("FILE_NO_DELETE"), wire_type = ac_rule_find("FIELD_WIRE_COMPATIBLE_TYPE");
    int cardinality = ac_rule_find("FIELD_SAME_CARDINALITY");
    assert_true(file_no_delete >= 0 && wire_type >= 0 && cardinality >= 0);
    assert_true(p.modules[0].enabled[file_no_delete]); /* FILE is the default */
    assert_false(p.modules[0].enabled[wire_type]);
    ac_status st;
    ac_status_init(&st);
    ac_cfg_str use[] = {{"WIRE", "buf.yaml", 3, 7}};
    assert_int_equal(ac_policy_select(&p, &p.modules[0], use, 1, NULL, 0, &st), AC_OK);
    assert_true(p.modules[0].enabled[wire_type]);
    assert_false(p.modules[0].enabled[file_no_delete]);
    ac_cfg_str label[] = {{"FIELD_SAME_LABEL", "buf.yaml", 4, 7}};
    assert_int_equal(ac_policy_select(&p, &p.modules[0], label, 1, NULL, 0, &st), AC_OK);
    assert_true(p.modules[0].enabled[cardinality]);
    ac_cfg_str bad[] = {{"FIELD_NO_DELET", "buf.yaml", 5, 9}};
    assert_int_equal(ac_policy_select(&p, &p.modules[0], bad, 1, NULL, 0, &st), AC_ERROR);
    assert_int_equal(st.line, 5);
    assert_int_equal(st.col, 9);
    assert_string_equal(st.path, "buf.yaml");
    ac_policy_free(&p);
}

/* ---- IR pairing ---------------------------------------------------------------------------------- */

/* A contract with one file and one message whose fields have the given numbers and names. */
static ac_contract *one_message(const int32_t *numbers, const char *const *names, size_t n)
{
    ac_contract *c = ac_contract_new(AC_FMT_PROTO, "mem");
    ac_arena *a = c->arena;
    ac_pb_file *f = ac_arena_alloc(a, sizeof *f);
    f->name = f->display = "a.proto";
    f->module = "";
    f->package = "p";
    f->edition = 999;
    f->syntax = AC_SYNTAX_PROTO3;
    ac_pb_msg *m = ac_arena_alloc(a, sizeof *m);
    m->name = m->nested_name = "M";
    m->full_name = "p.M";
    m->file = f;
    m->fields = ac_arena_alloc(a, n * sizeof *m->fields);
    m->nfields = n;
    for (size_t i = 0; i < n; i++) {
        ac_pb_field *fl = ac_arena_alloc(a, sizeof *fl);
        fl->name = names[i];
        fl->full_name = ac_arena_printf(a, "p.M.%s", names[i]);
        fl->json_name = names[i];
        fl->number = numbers[i];
        fl->label = AC_PB_LABEL_OPTIONAL;
        fl->type = AC_PB_INT32;
        fl->parent = m;
        fl->file = f;
        fl->features.field_presence = 2;
        m->fields[i] = fl;
    }
    f->msgs = ac_arena_alloc(a, sizeof *f->msgs);
    f->msgs[0] = m;
    f->nmsgs = 1;
    c->files = ac_xmalloc(sizeof *c->files);
    c->files[0] = f;
    c->nfiles = 1;
    ac_strmap_add(&c->file_by_name, f->name, f);
    ac_strmap_add(&c->msg_by_name, m->full_name, m);
    ac_status st;
    ac_status_init(&st);
    assert_int_equal(ac_pb_link(c, &st), AC_OK);
    return c;
}

static void free_contract(ac_contract *c)
{
    ac_contract_free(c);
}

static void fields_pair_by_number_not_by_name_or_position(void **state)
{
    (void)state;
    const int32_t on[] = {1, 2, 3};
    const char *const onames[] = {"a", "b", "c"};
    const int32_t nn[] = {3, 1, 4};
    const char *const nnames[] = {"c", "renamed", "d"};
    ac_contract *old = one_message(on, onames, 3), *new = one_message(nn, nnames, 3);
    ac_policy p;
    ac_policy_init(&p);
    ac_findings fs;
    ac_findings_init(&fs);
    ac_status st;
    ac_status_init(&st);
    assert_int_equal(ac_compat_check(old, new, &p, &fs, &st), AC_OK);
    /* field 2 deleted, field 1 renamed (so its JSON name changed too), 4 added (info): nothing
     * about 3 (moved) */
    assert_int_equal(fs.n, 4);
    assert_string_equal(fs.v[0].rule->id, "FIELD_ADDED");
    assert_int_equal(fs.v[0].severity, AC_SEV_INFO);
    assert_non_null(strstr(fs.v[0].message, "field 4 \"d\""));
    assert_string_equal(fs.v[1].rule->id, "FIELD_NO_DELETE");
    assert_non_null(strstr(fs.v[1].message, "field 2 \"b\""));
    assert_string_equal(fs.v[2].rule->id, "FIELD_SAME_JSON_NAME");
    assert_string_equal(fs.v[3].rule->id, "FIELD_SAME_NAME");
    assert_non_null(strstr(fs.v[3].message, "from \"a\" to \"renamed\""));
    assert_int_equal(ac_findings_exit_code(&fs, AC_SEV_ERROR), 1);
    ac_findings_free(&fs);
    ac_policy_free(&p);
    free_contract(old);
    free_contract(new);
}

static void identical_contracts_have_no_findings(void **state)
{
    (void)state;
    const int32_t n[] = {1, 2};
    const char *const names[] = {"a", "b"};
    ac_contract *old = one_message(n, names, 2), *new = one_message(n, names, 2);
    ac_policy p;
    ac_policy_init(&p);
    for (size_t i = 0; i < ac_nrules; i++) p.modules[0].enabled[i] = 1; /* every rule */
    ac_findings fs;
    ac_findings_init(&fs);
    ac_status st;
    ac_status_init(&st);
    assert_int_equal(ac_compat_check(old, new, &p, &fs, &st), AC_OK);
    assert_int_equal(fs.n, 0);
    assert_int_equal(ac_findings_exit_code(&fs, AC_SEV_ERROR), 0);
    ac_findings_free(&fs);
    ac_policy_free(&p);
    free_contract(old);
    free_contract(new);
}

static void findings_sort_and_deduplicate(void **state)
{
    (void)state;
    ac_findings fs;
    ac_findings_init(&fs);
    const ac_rule *r = &ac_rules[0];
    const char *paths[] = {"b.proto", "a.proto", "b.proto", "a.proto"};
    unsigned lines[] = {3, 9, 3, 2};
    for (int i = 0; i < 4; i++) {
        ac_finding *f = ac_findings_push(&fs);
        f->rule = r;
        f->message = "same";
        f->loc.path = paths[i];
        f->loc.line = lines[i];
        f->loc.col = 1;
    }
    ac_findings_sort(&fs);
    assert_int_equal(fs.n, 3);
    assert_string_equal(fs.v[0].loc.path, "a.proto");
    assert_int_equal(fs.v[0].loc.line, 2);
    assert_int_equal(fs.v[1].loc.line, 9);
    assert_string_equal(fs.v[2].loc.path, "b.proto");
    ac_findings_free(&fs);
}

static void rule_table_is_consistent(void **state)
{
    (void)state;
    for (size_t i = 0; i < ac_nrules; i++) {
        const ac_rule *r = &ac_rules[i];
        assert_non_null(r->id);
        assert_non_null(r->summary);
        assert_int_equal(ac_rule_find(r->id), (int)i); /* IDs are unique */
        if (r->format == AC_FMT_PROTO && !r->replaced_by) assert_non_null(r->check);
        if (r->format == AC_FMT_OPENAPI) assert_non_null(r->area);
        if (r->format == AC_FMT_PROTO && !r->replaced_by) assert_true(ac_rule_exists(r, AC_BUF_V2));
    }
    /* FILE_NO_DELETE is in the default category; PACKAGE_NO_DELETE is not */
    assert_true(ac_rule_default(&ac_rules[ac_rule_find("FILE_NO_DELETE")], AC_BUF_V1));
    assert_false(ac_rule_default(&ac_rules[ac_rule_find("PACKAGE_NO_DELETE")], AC_BUF_V1));
    assert_false(ac_rule_exists(&ac_rules[ac_rule_find("FIELD_SAME_DEFAULT")], AC_BUF_V1));
    /* every oasdiff ID is known, with oasdiff's level */
    int r = ac_rule_find("request-property-became-required");
    assert_true(r >= 0);
    assert_int_equal(ac_rules[r].severity, AC_SEV_ERROR);
    assert_int_equal(ac_rules[ac_rule_find("response-optional-property-removed")].severity, AC_SEV_WARN);
    assert_int_equal(ac_rule_find("no-such-check"), -1);
}

/* AC_OAS_<SYMBOL> is the ID in capitals with '_' for '-', and names its own row. */
static void oas_rule_symbols_match_ids(void **state)
{
    (void)state;
    static const struct {
        const char *sym, *id;
        int value;
    } rows[] = {
#define OAS_RULE(SYM, ID, LEVEL, DIR, AREA, KIND, CHECKED, REMOVAL, SUMMARY, EXAMPLE) {#SYM, ID, AC_OAS_##SYM},
#include "compat/rules/rules_openapi.def"
#undef OAS_RULE
    };
    assert_int_equal(sizeof rows / sizeof rows[0], AC_OAS_NRULES);
    for (size_t i = 0; i < AC_OAS_NRULES; i++) {
        char want[160];
        size_t k = 0;
        for (; rows[i].id[k] && k < sizeof want - 1; k++)
            want[k] = rows[i].id[k] == '-' ? '_' : (char)(rows[i].id[k] - ('a' <= rows[i].id[k] && rows[i].id[k] <= 'z' ? 32 : 0));
        want[k] = 0;
        assert_string_equal(rows[i].sym, want);
        assert_string_equal(ac_oas_rule_get((ac_oas_rule)rows[i].value)->id, rows[i].id);
        assert_int_equal(ac_rule_find(rows[i].id), AC_NPROTO_RULES + rows[i].value);
    }
}

/* Every place x change combination that oasdiff defines is a row of oas_compose.def, and no row
 * names another ID. */
static void oas_composed_ids_are_complete(void **state)
{
    (void)state;
    char bad[200] = "";
    int wrong = ac_oas_compose_check(bad, sizeof bad);
    if (wrong) fail_msg("%d composed IDs disagree with the rule table, first %s", wrong, bad);
}

/* "is a removal" is a column: removals are what an ignore in the OLD contract can suppress. */
static void removal_is_a_column(void **state)
{
    (void)state;
    assert_true(ac_rule_is_removal(&ac_rules[ac_rule_find("FIELD_NO_DELETE")]));
    assert_true(ac_rule_is_removal(ac_oas_rule_get(AC_OAS_RESPONSE_OPTIONAL_PROPERTY_REMOVED)));
    assert_true(ac_rule_is_removal(ac_oas_rule_get(AC_OAS_REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_DELETED)));
    assert_false(ac_rule_is_removal(ac_oas_rule_get(AC_OAS_ENDPOINT_ADDED)));
    assert_false(ac_rule_is_removal(&ac_rules[ac_rule_find("FIELD_SAME_TYPE")]));
}

static void glob_matches_and_stays_polynomial(void **state)
{
    (void)state;
    assert_true(ac_glob_match("proto/**/*.proto", "proto/a/b/c.proto"));
    assert_true(ac_glob_match("proto/**/*.proto", "proto/c.proto")); /* "**" + "/" matches no directory */
    assert_false(ac_glob_match("proto/*.proto", "proto/a/c.proto")); /* "*" stays in one segment */
    assert_true(ac_glob_match("a?c", "abc"));
    assert_false(ac_glob_match("a?c", "a/c"));
    assert_true(ac_glob_match("proto", "proto/x.proto")); /* no wildcard: a directory prefix */
    /* "*a" sixty times against 200 a's and a b: exponential by plain backtracking */
    char pat[130] = "", path[260];
    for (int i = 0; i < 60; i++) strcat(pat, "*a");
    memset(path, 'a', 200);
    strcpy(path + 200, "b");
    assert_false(ac_glob_match(pat, path));
    path[200] = 0;
    assert_true(ac_glob_match(pat, path));
}

/* Numbers compare exactly as written, beyond what a double holds. */
static void numbers_compare_exactly(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        int want;
    } cases[] = {
        {"9007199254740993", "9007199254740992", 1}, /* the same double */
        {"1e400", "1e401", -1},
        {"-1e400", "1e400", -1},
        {"100", "1e2", 0},
        {"100", "1.00e+2", 0},
        {"0.10", ".1", 0},
        {"-0", "0", 0},
        {"0", "0.000001", -1},
        {"-0.5", "0", -1},
        {"-2", "-10", 1},
        {"123.456", "123.4560001", -1},
        {"99", "100", -1},
        {"1.5e-400", "1.4e-400", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ac_decimal a, b;
        assert_true(ac_decimal_parse(cases[i].a, strlen(cases[i].a), &a));
        assert_true(ac_decimal_parse(cases[i].b, strlen(cases[i].b), &b));
        assert_int_equal(ac_decimal_cmp(&a, &b), cases[i].want);
        assert_int_equal(ac_decimal_cmp(&b, &a), -cases[i].want);
        free(a.buf);
        free(b.buf);
        /* through doubles, with the exact text kept only where the double loses it */
        double da = strtod(cases[i].a, NULL), db = strtod(cases[i].b, NULL);
        char *ea = ac_decimal_exact(cases[i].a, strlen(cases[i].a), da);
        char *eb = ac_decimal_exact(cases[i].b, strlen(cases[i].b), db);
        assert_int_equal(ac_number_cmp(da, ea, db, eb), cases[i].want);
        free(ea);
        free(eb);
    }
    ac_decimal d;
    assert_false(ac_decimal_parse("0x1F", 4, &d));
    assert_false(ac_decimal_parse(".inf", 4, &d));
    assert_false(ac_decimal_parse("1e", 2, &d));
    /* a double that holds the text needs no exact text; one that does not keeps it */
    assert_null(ac_decimal_exact("0.1", 3, 0.1));
    assert_null(ac_decimal_exact("1e2", 3, 100));
    char *e = ac_decimal_exact("9007199254740993", 16, 9007199254740992.0);
    assert_string_equal(e, "9007199254740993");
    free(e);
}

int ac_test_escape(void);
int ac_test_options(void);
int ac_test_validate(void); /* test_validate.c */
int ac_test_history(void); /* test_history.c */
int ac_test_pbval(void);    /* test_pbval.c */
int ac_test_lib(void);      /* test_lib.c */

int main(void)
{
    const struct CMUnitTest core[] = {
        cmocka_unit_test(arena_allocations_are_zeroed_and_aligned),
        cmocka_unit_test(arena_reset_keeps_memory_zeroed),
        cmocka_unit_test(nesting_scan_skips_comments_and_strings),
        cmocka_unit_test(strmap_put_get_and_grow),
        cmocka_unit_test(strmap_large_table),
        cmocka_unit_test(intmap_handles_negative_and_large_keys),
        cmocka_unit_test(path_clean_normalises_and_refuses_escapes),
        cmocka_unit_test(glob_matches_and_stays_polynomial),
    };
    const struct CMUnitTest doc[] = {
        cmocka_unit_test(yaml_nodes_have_one_based_positions),
        cmocka_unit_test(yaml_scalars_follow_the_core_schema),
        cmocka_unit_test(yaml_duplicate_keys_are_errors_with_location),
        cmocka_unit_test(yaml_alias_bomb_is_refused),
        cmocka_unit_test(yaml_depth_limit),
        cmocka_unit_test(json_positions_are_set_when_parsed),
        cmocka_unit_test(json_edge_cases_are_read_or_refused),
        cmocka_unit_test(json_node_limit),
        cmocka_unit_test(json_errors_point_at_the_problem),
        cmocka_unit_test(numbers_compare_exactly),
    };
    const struct CMUnitTest checks[] = {
        cmocka_unit_test(unstable_packages_match_buf),
        cmocka_unit_test(package_stability_reads_aip181_versions),
        cmocka_unit_test(policy_selects_categories_and_maps_deprecated_ids),
        cmocka_unit_test(fields_pair_by_number_not_by_name_or_position),
        cmocka_unit_test(identical_contracts_have_no_findings),
        cmocka_unit_test(findings_sort_and_deduplicate),
        cmocka_unit_test(rule_table_is_consistent),
        cmocka_unit_test(oas_rule_symbols_match_ids),
        cmocka_unit_test(oas_composed_ids_are_complete),
        cmocka_unit_test(removal_is_a_column),
    };
    int failed = 0;
    failed += cmocka_run_group_tests_name("core", core, NULL, NULL);
    failed += cmocka_run_group_tests_name("doc", doc, NULL, NULL);
    failed += cmocka_run_group_tests_name("checks", checks, NULL, NULL);
    failed += ac_test_escape();
    failed += ac_test_options();
    failed += ac_test_validate();
    failed += ac_test_history();
    failed += ac_test_pbval();
    failed += ac_test_lib();
    return failed ? 1 : 0;
}
