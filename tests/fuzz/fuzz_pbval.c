/* libFuzzer: protobuf values read from hostile bytes (proto/pbval.c, pbjson.c, pbreplay.c): a suite's
 * case file (.binpb or its ProtoJSON twin), or a gRPC message a server answered, read under a fixed
 * small contract: every scalar kind, enums open and closed, maps, oneofs, recursion, proto2 groups,
 * required fields and extensions, and the well-known types.  Then what the replay does with a value
 * that reads: written back (wire format, text format, ProtoJSON), and read by another version of the
 * contract (ac_pb_read_binary / ac_pb_read_json).
 *
 * Input: byte 0 picks the form (bit 0: ProtoJSON, else the wire format; bit 1: the well-known types'
 * JSON forms; bit 2: the reader is the old version and the writer the new), byte 1 the message type;
 * the rest is the value.  A wire-format value that reads must read back after it is written, and
 * written again give the same bytes (else abort: the writer and the reader disagree). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/options.h"
#include "cmd/pipeline.h"
#include "compat/base/arena.h"
#include "compat/base/status.h"
#include "proto/pbcases.h"
#include "proto/pbval.h"

static const char v1[] =
    "syntax = \"proto3\";\n"
    "package f;\n"
    "import \"google/protobuf/any.proto\";\nimport \"google/protobuf/duration.proto\";\n"
    "import \"google/protobuf/field_mask.proto\";\nimport \"google/protobuf/struct.proto\";\n"
    "import \"google/protobuf/timestamp.proto\";\nimport \"google/protobuf/wrappers.proto\";\n"
    "import \"legacy.proto\";\n"
    "enum Color { COLOR_UNSPECIFIED = 0; RED = 1; GREEN = 2; BLUE = 3; }\n"
    "message Scalars { double d = 1; float f = 2; int32 i32 = 3; int64 i64 = 4; uint32 u32 = 5; uint64 u64 = 6;\n"
    "  sint32 s32 = 7; sint64 s64 = 8; fixed32 f32 = 9; fixed64 f64 = 10; sfixed32 sf32 = 11; sfixed64 sf64 = 12;\n"
    "  bool b = 13; string s = 14; bytes y = 15; optional int32 o = 16; }\n"
    "message Node { string name = 1; repeated Node kids = 2; Node parent = 3; }\n"
    "message Top {\n"
    "  Scalars sc = 1; Color color = 2; repeated Color colors = 3; repeated string tags = 4; repeated double ws = 5;\n"
    "  map<string, int64> m1 = 6; map<int32, Node> m2 = 7; map<bool, string> m3 = 8; map<uint64, Color> m4 = 9;\n"
    "  oneof pick { int64 cents = 10; string text = 11; Node node = 12; }\n"
    "  google.protobuf.Timestamp ts = 13; google.protobuf.Duration dur = 14; google.protobuf.Struct st = 15;\n"
    "  google.protobuf.Value val = 16; google.protobuf.ListValue lv = 17; google.protobuf.FieldMask fm = 18;\n"
    "  google.protobuf.Any any = 19; google.protobuf.StringValue sv = 20; google.protobuf.Int64Value iv = 21;\n"
    "  google.protobuf.BytesValue bv = 22; google.protobuf.DoubleValue dv = 23;\n"
    "  string title = 24 [json_name = \"heading\"]; repeated int32 packed = 25; repeated sint64 zz = 26 [packed = false];\n"
    "  p2.Legacy legacy = 27; google.protobuf.NullValue nv = 28; map<string, google.protobuf.Value> mv = 29;\n"
    "}\n";
/* the next version: a type, a number, a JSON name and an enum value changed, a field gone, one added */
static const char v2[] =
    "syntax = \"proto3\";\n"
    "package f;\n"
    "import \"google/protobuf/any.proto\";\nimport \"google/protobuf/duration.proto\";\n"
    "import \"google/protobuf/field_mask.proto\";\nimport \"google/protobuf/struct.proto\";\n"
    "import \"google/protobuf/timestamp.proto\";\nimport \"google/protobuf/wrappers.proto\";\n"
    "import \"legacy.proto\";\n"
    "enum Color { COLOR_UNSPECIFIED = 0; RED = 1; BLUE = 3; PURPLE = 4; }\n"
    "message Scalars { double d = 1; double f = 2; int64 i32 = 3; int64 i64 = 4; uint32 u32 = 5; uint64 u64 = 6;\n"
    "  int32 s32 = 7; sint64 s64 = 8; fixed32 f32 = 9; fixed64 f64 = 10; sfixed32 sf32 = 11; sfixed64 sf64 = 12;\n"
    "  bool b = 13; bytes s = 14; string y = 15; int32 o = 16; }\n"
    "message Node { bytes name = 1; repeated Node kids = 2; Node parent = 3; string note = 4; }\n"
    "message Top {\n"
    "  Scalars sc = 1; Color color = 30; repeated Color colors = 3; repeated string tags = 4; repeated float ws = 5;\n"
    "  map<string, string> m1 = 6; map<int64, Node> m2 = 7; map<bool, string> m3 = 8; map<uint64, Color> m4 = 9;\n"
    "  oneof pick { int64 cents = 10; string text = 11; }\n"
    "  Node node = 12;\n"
    "  google.protobuf.Timestamp ts = 13; google.protobuf.Duration dur = 14; google.protobuf.Struct st = 15;\n"
    "  google.protobuf.Value val = 16; google.protobuf.ListValue lv = 17; google.protobuf.FieldMask fm = 18;\n"
    "  google.protobuf.Any any = 19; string sv = 20; google.protobuf.Int64Value iv = 21;\n"
    "  google.protobuf.BytesValue bv = 22; google.protobuf.FloatValue dv = 23;\n"
    "  string title = 24 [json_name = \"name\"]; repeated int32 packed = 25 [packed = false]; repeated sint64 zz = 26;\n"
    "  p2.Legacy legacy = 27; map<string, google.protobuf.Value> mv = 29;\n"
    "}\n";
static const char legacy1[] =
    "syntax = \"proto2\";\n"
    "package p2;\n"
    "enum Closed { A = 0; B = 1; C = 5; }\n"
    "message Legacy {\n"
    "  required int32 id = 1; optional Closed c = 2; repeated Closed cs = 3;\n"
    "  optional group G = 4 { optional int32 x = 5; repeated string r = 6; }\n"
    "  optional string s = 7; optional bytes raw = 8 [default = \"x\"]; repeated Legacy more = 9;\n"
    "  extensions 100 to 200;\n"
    "}\n"
    "extend Legacy { optional int32 ext = 100; repeated string exts = 101; }\n";
static const char legacy2[] =
    "syntax = \"proto2\";\n"
    "package p2;\n"
    "enum Closed { A = 0; B = 1; }\n"
    "message Legacy {\n"
    "  required int32 id = 1; optional Closed c = 2; repeated Closed cs = 3;\n"
    "  optional group G = 4 { optional int64 x = 5; repeated bytes r = 6; }\n"
    "  required string s = 7; optional bytes raw = 8; repeated Legacy more = 9;\n"
    "  extensions 100 to 200;\n"
    "}\n"
    "extend Legacy { optional int64 ext = 100; }\n";

static const char *const types[] = {"f.Top", "f.Scalars", "f.Node", "p2.Legacy", "google.protobuf.Struct", "google.protobuf.Value",
                                    "google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask",
                                    "google.protobuf.Any", "google.protobuf.Int64Value", "google.protobuf.ListValue"};
#define NTYPES (sizeof types / sizeof *types)

static ac_contract *old_c, *new_c;
static ac_arena *keep; /* what a git input would need, kept with the contracts */

static void put(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f)) abort();
}

static ac_contract *load(const char *dir, const char *top, const char *legacy)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    if (system(cmd)) abort();
    put(dir, "top.proto", top);
    put(dir, "legacy.proto", legacy);
    options o;
    ac_options_init(&o);
    if (!keep) keep = ac_arena_new();
    ac_contract *c = NULL;
    ac_status st;
    ac_status_init(&st);
    if (ac_load_contract(&o, dir, keep, &c, &st)) {
        fprintf(stderr, "fuzz_pbval: the fixed contract does not load: %s\n", st.msg);
        abort();
    }
    return c;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char d1[128], d2[128];
    snprintf(d1, sizeof d1, "/tmp/apicompat-fuzz-pbval-%d/v1", (int)getpid());
    snprintf(d2, sizeof d2, "/tmp/apicompat-fuzz-pbval-%d/v2", (int)getpid());
    old_c = load(d1, v1, legacy1);
    new_c = load(d2, v2, legacy2);
    return 0;
}

static const ac_pb_msg *type_of(const ac_contract *c, const char *name)
{
    return ac_strmap_get(&c->msg_by_name, name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    int form = data[0];
    const char *name = types[data[1] % NTYPES];
    bool json = form & 1, reversed = form & 4;
    const ac_contract *wc = reversed ? new_c : old_c, *rc = reversed ? old_c : new_c;
    const ac_pb_msg *wt = type_of(wc, name), *rt = type_of(rc, name);
    if (!wt || !rt) abort();
    const uint8_t *p = data + 2;
    size_t n = size - 2;
    ac_arena *a = ac_arena_new();
    pv_error err;
    ac_pb_reading rd;
    if (!json) {
        pv_msg *m = pv_decode(a, wt, p, n, &err);
        if (m) {
            pv_buf b = {0};
            if (pv_encode(m, &b)) {
                pv_error err2;
                pv_msg *back = pv_decode(a, wt, b.p ? b.p : (const uint8_t *)"", b.n, &err2);
                if (!back) {
                    fprintf(stderr, "fuzz_pbval: what was written does not read back: %s\n", err2.msg);
                    abort();
                }
                /* written again, the same bytes (values in the same order: a packed field's are
                 * written together, so its position among unknown fields may move once) */
                pv_buf b2 = {0};
                if (!pv_encode(back, &b2) || b2.n != b.n || (b.n && memcmp(b.p, b2.p, b.n))) {
                    fprintf(stderr, "fuzz_pbval: read back otherwise:\n  %s\n  %s\n", pv_text(a, m, 2000), pv_text(a, back, 2000));
                    abort();
                }
                pv_buf_free(&b2);
                if (pv_compare(m, back, NULL, 0) == PV_KIND) abort(); /* the same types on both sides */
            }
            pv_buf_free(&b);
            (void)pv_text(a, m, 4096);
            const char *js = pv_json_write(a, m, PV_JSON_NAMES | ((form & 2) ? PV_JSON_WKT : 0));
            (void)pv_json_write(a, m, PV_PROTO_NAMES | PV_JSON_WKT);
            if (js) {
                pv_msg *jm = pv_json_read_flags(a, wt, js, (form & 2) ? PV_JSON_WKT : 0, &err);
                if (jm) (void)pv_compare_json(m, jm, NULL, 0);
            }
        }
        ac_pb_read_binary(a, wt, reversed ? "new" : "old", rt, reversed ? "old" : "new", p, n, reversed, &rd);
    } else {
        char *text = ac_arena_alloc(a, n + 1);
        memcpy(text, p, n);
        text[n] = 0;
        pv_msg *m = pv_json_read_flags(a, wt, text, (form & 2) ? PV_JSON_WKT : 0, &err);
        if (m) {
            pv_buf b = {0};
            if (pv_encode(m, &b)) (void)pv_decode(a, wt, b.p ? b.p : (const uint8_t *)"", b.n, &err);
            pv_buf_free(&b);
            (void)pv_text(a, m, 4096);
            (void)pv_json_write(a, m, PV_JSON_NAMES | PV_JSON_WKT);
        }
        ac_pb_read_json(a, wt, reversed ? "new" : "old", rt, reversed ? "old" : "new", text, reversed, &rd);
    }
    ac_arena_free(a);
    return 0;
}
