/* Unit tests (cmocka): protobuf values over the IR (proto/pbval.h), what counterexamples are built
 * from: the wire format written and read as protobuf's C++ runtime does, text format, comparison,
 * ProtoJSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "proto/pbval.h"

/* message M { int32 a = 1; sint32 z = 2; repeated int32 r = 3 [packed]; oneof o { string s = 4;
 * string t = 5; } Sub sub = 6; string v = 7 (verified UTF-8); int32 i = 8 (implicit presence); }
 * message Sub { int32 x = 1; int32 y = 2; } */
typedef struct fixture {
    ac_pb_msg m, sub;
    ac_pb_field f[8], sf[2];
    ac_pb_field *fp[8], *sfp[2];
    ac_pb_oneof o;
} fixture;

static void field(ac_pb_field *f, ac_pb_msg *parent, const char *name, const char *json, int32_t number, int kind,
                  int label, ac_pb_cardinality card)
{
    memset(f, 0, sizeof *f);
    f->name = name;
    f->full_name = name;
    f->json_name = json;
    f->number = number;
    f->type = f->kind = kind;
    f->label = label;
    f->cardinality = card;
    f->parent = parent;
    f->features.utf8_validation = 3;
}

static void build(fixture *x)
{
    memset(x, 0, sizeof *x);
    x->m.name = x->m.full_name = "M";
    x->sub.name = x->sub.full_name = "Sub";
    field(&x->f[0], &x->m, "a", "a", 1, AC_PB_INT32, AC_PB_LABEL_OPTIONAL, AC_CARD_OPTIONAL_EXPLICIT);
    field(&x->f[1], &x->m, "z", "z", 2, AC_PB_SINT32, AC_PB_LABEL_OPTIONAL, AC_CARD_OPTIONAL_EXPLICIT);
    field(&x->f[2], &x->m, "r", "r", 3, AC_PB_INT32, AC_PB_LABEL_REPEATED, AC_CARD_REPEATED);
    x->f[2].packed = true;
    field(&x->f[3], &x->m, "s", "s", 4, AC_PB_STRING, AC_PB_LABEL_OPTIONAL, AC_CARD_OPTIONAL_EXPLICIT);
    field(&x->f[4], &x->m, "t", "t", 5, AC_PB_STRING, AC_PB_LABEL_OPTIONAL, AC_CARD_OPTIONAL_EXPLICIT);
    x->o.name = "o";
    x->o.msg = &x->m;
    x->f[3].oneof = x->f[4].oneof = &x->o;
    field(&x->f[5], &x->m, "sub", "sub", 6, AC_PB_MESSAGE, AC_PB_LABEL_OPTIONAL, AC_CARD_OPTIONAL_EXPLICIT);
    x->f[5].msg_type = &x->sub;
    field(&x->f[6], &x->m, "v", "v", 7, AC_PB_STRING, AC_PB_LABEL_OPTIONAL, AC_CARD_OPTIONAL_EXPLICIT);
    x->f[6].features.utf8_validation = 2;
    field(&x->f[7], &x->m, "i", "iValue", 8, AC_PB_INT32, AC_PB_LABEL_OPTIONAL, AC_CARD_OPTIONAL_IMPLICIT);
    field(&x->sf[0], &x->sub, "x", "x", 1, AC_PB_INT32, AC_PB_LABEL_OPTIONAL, AC_CARD_OPTIONAL_EXPLICIT);
    field(&x->sf[1], &x->sub, "y", "y", 2, AC_PB_INT32, AC_PB_LABEL_OPTIONAL, AC_CARD_OPTIONAL_EXPLICIT);
    for (int i = 0; i < 8; i++) x->fp[i] = &x->f[i];
    for (int i = 0; i < 2; i++) x->sfp[i] = &x->sf[i];
    x->m.fields = x->fp;
    x->m.nfields = 8;
    x->sub.fields = x->sfp;
    x->sub.nfields = 2;
}

static const char *read_text(ac_arena *a, const ac_pb_msg *t, const char *bytes, size_t n)
{
    pv_error err;
    pv_msg *m = pv_decode(a, t, (const uint8_t *)bytes, n, &err);
    return m ? pv_text(a, m, 1000) : ac_arena_printf(a, "error: %s", err.msg);
}

static void wire_round_trip_and_encodings(void **state)
{
    (void)state;
    fixture x;
    build(&x);
    ac_arena *a = ac_arena_new();
    pv_msg *m = pv_msg_new(a, &x.m);
    pv_value v = {0};
    v.i = -1;
    pv_add(a, m, &x.f[0], &v); /* int32 -1: ten bytes, sign-extended */
    v.i = -2;
    pv_add(a, m, &x.f[1], &v); /* sint32 -2: zigzag 3 */
    v.i = 1;
    pv_add(a, m, &x.f[2], &v);
    v.i = 300;
    pv_add(a, m, &x.f[2], &v); /* packed into one record */
    v.i = 0;
    pv_add(a, m, &x.f[7], &v); /* an implicit zero is not written */
    pv_buf b = {0};
    assert_true(pv_encode(m, &b));
    static const uint8_t want[] = {0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
                                   0x10, 0x03, 0x1a, 0x03, 0x01, 0xac, 0x02};
    assert_int_equal(b.n, sizeof want);
    assert_memory_equal(b.p, want, sizeof want);
    pv_error err;
    pv_msg *back = pv_decode(a, &x.m, b.p, b.n, &err);
    assert_non_null(back);
    assert_string_equal(pv_text(a, back, 1000), "a: -1 z: -2 r: 1 r: 300");
    pv_value zero = {0};
    pv_add(a, back, &x.f[7], &zero); /* a zero where the other holds nothing, without presence */
    assert_int_equal(pv_compare(m, back, NULL, 0), PV_SAME);
    pv_buf_free(&b);
    ac_arena_free(a);
}

static void reader_behaves_as_the_runtime(void **state)
{
    (void)state;
    fixture x;
    build(&x);
    ac_arena *a = ac_arena_new();
    /* the last member of a oneof wins; a singular message given twice is merged */
    assert_string_equal(read_text(a, &x.m, "\x22\x01s\x2a\x01t\x32\x02\x08\x01\x32\x02\x10\x02", 14),
                        "t: \"t\" sub { x: 1 y: 2 }");
    /* expanded elements of a packed field are read too; the last singular value wins */
    assert_string_equal(read_text(a, &x.m, "\x18\x05\x08\x01\x08\x02", 6), "a: 2 r: 5");
    /* another wire type: an unknown field, printed as protoc prints it */
    assert_string_equal(read_text(a, &x.m, "\x0d\x01\x00\x00\x00\x0a\x01x", 8), "1: 0x00000001 1: \"x\"");
    /* a payload that reads as fields is printed as a message */
    assert_string_equal(read_text(a, &x.m, "\x4a\x02\x08\x07", 4), "9 { 1: 7 }");
    /* what the runtime rejects */
    assert_string_equal(read_text(a, &x.m, "\x3a\x01\xff", 3), "error: invalid UTF-8 in string field 7 \"v\"");
    assert_string_equal(read_text(a, &x.m, "\x32\x02\x08", 3), "error: truncated or malformed field 6");
    assert_string_equal(read_text(a, &x.m, "\x0f", 1), "error: invalid wire type 7");
    assert_string_equal(read_text(a, &x.m, "\x22\x01\xff", 3), "s: \"\\377\""); /* not verified: kept */
    /* an implicit-presence field read as zero is not set */
    assert_string_equal(read_text(a, &x.m, "\x40\x00", 2), "");
    ac_arena_free(a);
}

/* What later records undo, in every order: settled after the whole message is read (pbval.c
 * settle), the same as the runtime applies it record by record. */
static void reader_settles_what_later_records_undo(void **state)
{
    (void)state;
    fixture x;
    build(&x);
    ac_arena *a = ac_arena_new();
    /* a oneof member, another, the first again: only the last stands, where it was set */
    assert_string_equal(read_text(a, &x.m, "\x22\x01s\x08\x01\x2a\x01t\x22\x01u", 11), "a: 1 s: \"u\"");
    /* a singular message, a member of its oneof... (sub is in none): pieces before and after other
     * fields are merged, at the first */
    assert_string_equal(read_text(a, &x.m, "\x32\x02\x08\x01\x08\x05\x32\x02\x10\x02\x32\x02\x08\x03", 14), "a: 5 sub { x: 3 y: 2 }");
    /* an unknown field under a scalar's number (another wire type) is dropped by a later value of
     * that field, and kept after it */
    assert_string_equal(read_text(a, &x.m, "\x0d\x01\x00\x00\x00\x08\x02\x0d\x02\x00\x00\x00", 12), "a: 2 1: 0x00000002");
    /* the last value of a scalar wins however many came before, repeated values all kept */
    assert_string_equal(read_text(a, &x.m, "\x08\x01\x18\x01\x08\x02\x18\x02\x08\x03", 10), "a: 3 r: 1 r: 2");
    ac_arena_free(a);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A hostile case or answer of a few MB: a singular message given 300,000 times (each merged into
 * the ones before), 300,000 fields of distinct unknown numbers (each compared with the other side).
 * Both took minutes and gigabytes (every piece copied the ones before, every number was counted
 * over the whole message); the reader and the comparison are linear now. */
static void reader_and_comparison_are_linear(void **state)
{
    (void)state;
    fixture x;
    build(&x);
    ac_arena *a = ac_arena_new();
    enum { N = 300000 };
    uint8_t *buf = malloc((size_t)N * 6);
    size_t n = 0;
    for (int i = 0; i < N; i++) {
        static const uint8_t rec[] = {0x32, 0x02, 0x08, 0x07}; /* sub { x: 7 } */
        memcpy(buf + n, rec, sizeof rec);
        n += sizeof rec;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pv_error err;
    pv_msg *m = pv_decode(a, &x.m, buf, n, &err);
    assert_non_null(m);
    assert_string_equal(pv_text(a, m, 100), "sub { x: 7 }");
    assert_true(seconds_since(&t0) < 5);
    n = 0;
    size_t last = 0;
    for (uint32_t i = 0; i < N; i++) { /* field 100+i, varint 1 */
        last = n;
        uint64_t tag = (uint64_t)(100 + i) << 3;
        while (tag >= 0x80) buf[n++] = (uint8_t)(tag | 0x80), tag >>= 7;
        buf[n++] = (uint8_t)tag;
        buf[n++] = 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pv_msg *u = pv_decode(a, &x.m, buf, n, &err), *v = pv_decode(a, &x.m, buf, last, &err); /* one fewer */
    assert_non_null(u);
    assert_non_null(v);
    assert_int_equal(pv_compare(u, u, NULL, 0), PV_SAME);
    assert_int_equal(pv_compare(u, v, NULL, 0), PV_DIFFERENT);
    assert_true(seconds_since(&t0) < 5);
    free(buf);
    ac_arena_free(a);
}

static void json_written_and_read_strictly(void **state)
{
    (void)state;
    fixture x;
    build(&x);
    ac_arena *a = ac_arena_new();
    pv_msg *m = pv_msg_new(a, &x.m);
    pv_value v = {0};
    v.i = 5;
    pv_add(a, m, &x.f[7], &v);
    v.s = (const uint8_t *)"q";
    v.n = 1;
    pv_add(a, m, &x.f[3], &v);
    assert_string_equal(pv_json_write(a, m, PV_JSON_NAMES), "{\"iValue\":5,\"s\":\"q\"}");
    assert_string_equal(pv_json_write(a, m, PV_PROTO_NAMES), "{\"i\":5,\"s\":\"q\"}");
    pv_error err;
    pv_msg *back = pv_json_read(a, &x.m, "{\"i\":\"5\",\"s\":\"q\"}", &err); /* proto name, number as a string */
    assert_non_null(back);
    assert_int_equal(pv_compare(m, back, NULL, 0), PV_SAME);
    assert_null(pv_json_read(a, &x.m, "{\"j\":1}", &err));
    assert_string_equal(err.msg, "message \"M\" has no field \"j\"");
    assert_null(pv_json_read(a, &x.m, "{\"s\":\"a\",\"t\":\"b\"}", &err));
    assert_null(pv_json_read(a, &x.m, "{\"a\":2147483648}", &err));
    assert_string_equal(err.msg, "field \"a\" takes a 32-bit integer");
    ac_arena_free(a);
}

/* google.protobuf.Timestamp and Duration (seconds int64 = 1, nanos int32 = 2): their JSON strings
 * with PV_JSON_WKT, refused without it. */
static const char *wkt_json(ac_arena *a, const ac_pb_msg *t, int64_t secs, int64_t nanos)
{
    pv_msg *m = pv_msg_new(a, t);
    pv_value s = {0}, n = {0};
    s.i = secs;
    n.i = nanos;
    if (secs) pv_add(a, m, t->fields[0], &s);
    if (nanos) pv_add(a, m, t->fields[1], &n);
    return pv_json_write(a, m, PV_JSON_NAMES | PV_JSON_WKT);
}

static void json_well_known_forms(void **state)
{
    (void)state;
    ac_arena *a = ac_arena_new();
    ac_pb_msg ts = {0}, du = {0};
    ac_pb_field tf[2], df[2];
    ac_pb_field *tfp[2] = {&tf[0], &tf[1]}, *dfp[2] = {&df[0], &df[1]};
    ts.name = "Timestamp";
    ts.full_name = "google.protobuf.Timestamp";
    du.name = "Duration";
    du.full_name = "google.protobuf.Duration";
    field(&tf[0], &ts, "seconds", "seconds", 1, AC_PB_INT64, AC_PB_LABEL_OPTIONAL, AC_CARD_OPTIONAL_IMPLICIT);
    field(&tf[1], &ts, "nanos", "nanos", 2, AC_PB_INT32, AC_PB_LABEL_OPTIONAL, AC_CARD_OPTIONAL_IMPLICIT);
    field(&df[0], &du, "seconds", "seconds", 1, AC_PB_INT64, AC_PB_LABEL_OPTIONAL, AC_CARD_OPTIONAL_IMPLICIT);
    field(&df[1], &du, "nanos", "nanos", 2, AC_PB_INT32, AC_PB_LABEL_OPTIONAL, AC_CARD_OPTIONAL_IMPLICIT);
    ts.fields = tfp;
    ts.nfields = 2;
    du.fields = dfp;
    du.nfields = 2;
    assert_string_equal(wkt_json(a, &ts, 0, 0), "\"1970-01-01T00:00:00Z\"");
    assert_string_equal(wkt_json(a, &ts, 1700000001, 500000000), "\"2023-11-14T22:13:21.500Z\"");
    assert_string_equal(wkt_json(a, &ts, INT64_C(253402300799), 999999999), "\"9999-12-31T23:59:59.999999999Z\"");
    assert_string_equal(wkt_json(a, &ts, INT64_C(-62135596800), 0), "\"0001-01-01T00:00:00Z\"");
    assert_string_equal(wkt_json(a, &ts, -1, 1000), "\"1969-12-31T23:59:59.000001Z\"");
    assert_null(wkt_json(a, &ts, INT64_C(253402300800), 0)); /* year 10000 has no RFC 3339 form */
    assert_string_equal(wkt_json(a, &du, -3, -123456789), "\"-3.123456789s\"");
    assert_string_equal(wkt_json(a, &du, 0, -500000000), "\"-0.500s\"");
    assert_null(wkt_json(a, &du, 3, -1)); /* signs differ */
    pv_msg *m = pv_msg_new(a, &ts);
    assert_null(pv_json_write(a, m, PV_JSON_NAMES)); /* without the flag: not covered */
    pv_error err;
    pv_msg *r = pv_json_read_flags(a, &ts, "\"2023-11-14T23:13:21.5+01:00\"", PV_JSON_WKT, &err);
    assert_non_null(r);
    assert_int_equal(r->n, 2);
    assert_int_equal(r->e[0].v.i, 1700000001);
    assert_int_equal(r->e[1].v.i, 500000000);
    assert_null(pv_json_read_flags(a, &ts, "\"2023-02-29T00:00:00Z\"", PV_JSON_WKT, &err));
    assert_null(pv_json_read_flags(a, &ts, "\"2023-01-01T00:00:00\"", PV_JSON_WKT, &err)); /* no zone */
    assert_null(pv_json_read(a, &ts, "\"2023-01-01T00:00:00Z\"", &err));
    assert_int_equal(err.number, -1); /* without the flag: cannot tell */
    r = pv_json_read_flags(a, &du, "\"-0.5s\"", PV_JSON_WKT, &err);
    assert_non_null(r);
    assert_int_equal(r->n, 1);
    assert_int_equal(r->e[0].v.i, -500000000);
    assert_null(pv_json_read_flags(a, &du, "\"1.5\"", PV_JSON_WKT, &err));
    ac_arena_free(a);
}

int ac_test_pbval(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_well_known_forms),
        cmocka_unit_test(wire_round_trip_and_encodings),
        cmocka_unit_test(reader_behaves_as_the_runtime),
        cmocka_unit_test(reader_settles_what_later_records_undo),
        cmocka_unit_test(reader_and_comparison_are_linear),
        cmocka_unit_test(json_written_and_read_strictly),
    };
    return cmocka_run_group_tests_name("pbval", tests, NULL, NULL);
}
