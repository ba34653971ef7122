/* Unit tests of the validator's API (compat/validate): verdicts with and without an error list,
 * exact numbers, equality of values, whole requests with wire-format parameters, and the lookups
 * the witness search and `cases` use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "compat/base/doc.h"
#include "compat/validate/validate.h"
#include "openapi/oas.h"

static ac_contract *schema_from(const char *text, int dialect)
{
    ac_contract *c = NULL;
    ac_status st;
    ac_status_init(&st);
    int rc = ac_oas_load_schema(&c, "test.schema.json", text, strlen(text), dialect, NULL, &st);
    if (rc) fprintf(stderr, "%s\n", st.msg);
    assert_int_equal(rc, AC_OK);
    return c;
}

static const ac_doc_node *value(ac_arena *a, const char *json)
{
    ac_doc *d;
    ac_status st;
    ac_status_init(&st);
    assert_int_equal(ac_doc_parse(&d, a, "instance.json", json, strlen(json), NULL, &st), AC_OK);
    return d->root;
}

/* The verdict, checked to be the same with and without an error list. */
static int check(ac_contract *c, const char *schema_name, const char *json)
{
    ac_arena *a = ac_arena_new();
    ac_val_opts o = {.formats = true};
    ac_validator *v = ac_validator_new(c, &o);
    const ac_oas_schema *s = schema_name ? ac_val_schema_at(c, schema_name) : c->oas->schemas[0].schema;
    assert_non_null(s);
    ac_status st;
    ac_status_init(&st);
    ac_val_result r;
    int with = ac_validate(v, s, value(a, json), &r, &st);
    int without = ac_validate(v, s, value(a, json), NULL, &st);
    assert_int_equal(with, without);
    assert_int_equal(with == AC_BREAKING, r.n > 0);
    ac_val_result_free(&r);
    ac_validator_free(v);
    ac_arena_free(a);
    return with;
}

static void numbers_are_judged_exactly(void **state)
{
    (void)state;
    ac_contract *c = schema_from("{\"$defs\": {\"cents\": {\"multipleOf\": 0.1}, \"tiny\": {\"multipleOf\": 0.123456789},"
                                 " \"max\": {\"maximum\": 9007199254740992}, \"int\": {\"type\": \"integer\"}}}",
                                 AC_JS_2020);
    assert_int_equal(check(c, "cents", "0.3"), AC_OK); /* 0.3 / 0.1 is 2.9999999999999996 in doubles */
    assert_int_equal(check(c, "cents", "19.99"), AC_BREAKING);
    assert_int_equal(check(c, "cents", "1e400"), AC_OK);
    assert_int_equal(check(c, "tiny", "1e308"), AC_BREAKING);
    assert_int_equal(check(c, "max", "9007199254740992"), AC_OK);
    assert_int_equal(check(c, "max", "9007199254740993"), AC_BREAKING); /* the same double */
    assert_int_equal(check(c, "int", "1.0"), AC_OK);
    assert_int_equal(check(c, "int", "1e400"), AC_OK);
    assert_int_equal(check(c, "int", "1.5"), AC_BREAKING);
    ac_contract_free(c);
}

static void equal_values_compare_equal(void **state)
{
    (void)state;
    ac_contract *c = schema_from("{\"$defs\": {\"u\": {\"uniqueItems\": true}, \"e\": {\"enum\": [{\"a\": 1, \"b\": [1.0, \"x\"]}, -0]}}}", 0);
    assert_int_equal(check(c, "u", "[1, 1.0]"), AC_BREAKING);
    assert_int_equal(check(c, "u", "[{\"a\": 1, \"b\": 2}, {\"b\": 2, \"a\": 1}]"), AC_BREAKING);
    assert_int_equal(check(c, "u", "[1, true, \"1\", [1], {\"1\": 1}]"), AC_OK);
    assert_int_equal(check(c, "e", "{\"b\": [1, \"x\"], \"a\": 1.00}"), AC_OK);
    assert_int_equal(check(c, "e", "0"), AC_OK);
    assert_int_equal(check(c, "e", "{\"a\": 1}"), AC_BREAKING);
    ac_contract_free(c);
}

static void error_lists_stop_where_asked(void **state)
{
    (void)state;
    ac_contract *c = schema_from("{\"items\": {\"type\": \"string\"}}", 0);
    ac_arena *a = ac_arena_new();
    ac_val_opts o = {.max_errors = 2};
    ac_validator *v = ac_validator_new(c, &o);
    ac_status st;
    ac_status_init(&st);
    ac_val_result r;
    assert_int_equal(ac_validate(v, c->oas->schemas[0].schema, value(a, "[1, 2, 3, \"x\", 4]"), &r, &st), AC_BREAKING);
    assert_int_equal(r.n, 2);
    assert_true(r.truncated);
    assert_string_equal(r.v[0].instance, "/0");
    assert_string_equal(r.v[1].instance, "/1");
    assert_string_equal(r.v[0].keyword, "type");
    char buf[256];
    assert_string_equal(ac_val_error_text(&r.v[0], buf, sizeof buf), "at /0: expected string, got integer");
    assert_string_equal(r.v[0].schema, "/items/type");
    ac_val_result_free(&r);
    ac_validator_free(v);
    ac_arena_free(a);
    ac_contract_free(c);
}

static const char *petstore =
    "openapi: 3.0.3\n"
    "info: {title: t, version: '1'}\n"
    "paths:\n"
    "  /pets/{id}:\n"
    "    post:\n"
    "      operationId: addPet\n"
    "      parameters:\n"
    "        - {name: id, in: path, required: true, schema: {type: integer, maximum: 100}}\n"
    "        - {name: tags, in: query, schema: {type: array, items: {type: string, maxLength: 3}}}\n"
    "        - {name: dry, in: query, schema: {type: boolean}}\n"
    "        - {name: X-Trace, in: header, required: true, schema: {type: string}}\n"
    "      requestBody:\n"
    "        required: true\n"
    "        content:\n"
    "          application/json: {schema: {type: object, required: [name], properties: {name: {type: string}, id: {type: integer, readOnly: true}}}}\n"
    "          text/plain: {schema: {type: string}}\n"
    "      responses:\n"
    "        '201': {description: ok, content: {application/json: {schema: {type: object, required: [id], properties: {id: {type: integer, readOnly: true}, pw: {type: string, writeOnly: true}}}}}}\n"
    "        4XX: {description: bad}\n"
    "        default: {description: other}\n";

static ac_contract *openapi_from(const char *text)
{
    char path[] = "/tmp/ac-validate-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    ac_contract *c = NULL;
    ac_status st;
    ac_status_init(&st);
    int rc = ac_oas_load_path(&c, path, NULL, &st);
    unlink(path);
    if (rc) fprintf(stderr, "%s:%u: %s\n", st.path, st.line, st.msg);
    assert_int_equal(rc, AC_OK);
    return c;
}

static int request(ac_validator *v, const ac_oas_op *op, const char *media, const char *json, size_t *nerrors)
{
    ac_arena *a = ac_arena_new();
    ac_status st;
    ac_status_init(&st);
    ac_val_result r;
    int rc = ac_validate_request(v, op, media, value(a, json), &r, &st);
    *nerrors = r.n;
    ac_val_result_free(&r);
    ac_arena_free(a);
    return rc;
}

static void whole_requests_read_wire_values(void **state)
{
    (void)state;
    ac_contract *c = openapi_from(petstore);
    const ac_oas_op *op = ac_val_find_op(c->oas, "POST /pets/{petId}");
    assert_non_null(op);
    assert_ptr_equal(ac_val_find_op(c->oas, "addPet"), op);
    ac_val_opts o = {.formats = true};
    ac_validator *v = ac_validator_new(c, &o);
    size_t n;
    assert_int_equal(request(v, op, NULL,
                             "{\"path_params\": {\"id\": \"42\"}, \"query\": {\"tags\": \"a,bc\", \"dry\": \"true\", \"other\": 1},"
                             " \"headers\": {\"x-trace\": \"t\"}, \"body\": {\"name\": \"Rex\"}}",
                             &n),
                     AC_OK);
    /* 101 above the maximum, "long" longer than 3, no header, no body, id is readOnly */
    assert_int_equal(request(v, op, NULL, "{\"path_params\": {\"id\": \"101\"}, \"query\": {\"tags\": \"a,long\"}}", &n), AC_BREAKING);
    assert_int_equal(n, 4);
    assert_int_equal(request(v, op, "application/json",
                             "{\"path_params\": {\"id\": 1}, \"headers\": {\"X-Trace\": \"t\"}, \"body\": {\"name\": \"a\", \"id\": 3}}", &n),
                     AC_BREAKING);
    assert_int_equal(n, 1);
    assert_int_equal(request(v, op, "text/plain; charset=utf-8", "{\"path_params\": {\"id\": 1}, \"headers\": {\"X-Trace\": \"t\"}, \"body\": \"x\"}", &n),
                     AC_OK);
    /* two media types and none named: could not check */
    ac_contract *c2 = openapi_from(petstore);
    assert_null(ac_val_find_media(op->body, op->nbody, "application/xml"));
    assert_string_equal(ac_val_find_media(op->body, op->nbody, NULL)->type, "application/json");
    assert_string_equal(ac_val_find_response(op, "201")->code, "201");
    assert_string_equal(ac_val_find_response(op, "404")->code, "4XX");
    assert_string_equal(ac_val_find_response(op, "503")->code, "default");
    ac_contract_free(c2);
    /* responses: readOnly required and allowed, writeOnly refused */
    ac_arena *a = ac_arena_new();
    ac_status st;
    ac_status_init(&st);
    ac_val_result r;
    assert_int_equal(ac_validate_response(v, op, "201", NULL, NULL, value(a, "{\"id\": 1}"), &r, &st), AC_OK);
    ac_val_result_free(&r);
    assert_int_equal(ac_validate_response(v, op, "201", NULL, NULL, value(a, "{\"id\": 1, \"pw\": \"x\"}"), &r, &st), AC_BREAKING);
    assert_string_equal(r.v[0].instance, "/body/pw");
    ac_val_result_free(&r);
    ac_arena_free(a);
    ac_validator_free(v);
    ac_contract_free(c);
}

static void hostile_schemas_end_with_an_error(void **state)
{
    (void)state;
    ac_contract *c = schema_from("{\"allOf\": [{\"$ref\": \"#\"}]}", AC_JS_2020);
    ac_arena *a = ac_arena_new();
    ac_validator *v = ac_validator_new(c, NULL);
    ac_status st;
    ac_status_init(&st);
    assert_int_equal(ac_validate(v, c->oas->schemas[0].schema, value(a, "{}"), NULL, &st), AC_ERROR);
    assert_non_null(strstr(st.msg, "without end"));
    ac_validator_free(v);
    ac_contract_free(c);
    c = schema_from("{\"pattern\": \"^(a|a)*$\"}", AC_JS_2020);
    v = ac_validator_new(c, NULL);
    ac_status_init(&st);
    assert_int_equal(ac_validate(v, c->oas->schemas[0].schema, value(a, "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\""), NULL, &st), AC_ERROR);
    assert_non_null(strstr(st.msg, "backtracking"));
    ac_validator_free(v);
    ac_contract_free(c);
    ac_arena_free(a);
}

int ac_test_validate(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers_are_judged_exactly),
        cmocka_unit_test(equal_values_compare_equal),
        cmocka_unit_test(error_lists_stop_where_asked),
        cmocka_unit_test(whole_requests_read_wire_values),
        cmocka_unit_test(hostile_schemas_end_with_an_error),
    };
    return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
