/* libFuzzer: what a server answers a live replay (cmd/live.c, cmd/replay_live.c), without a
 * network: the header lines as libcurl hands them over (ac_live_header_line), then the answer
 * judged as `replay --server` judges it: a gRPC answer to a method of
 * tests/live/grpc/suite/greeter.proto (status, content-type, grpc-status and grpc-message trailers,
 * the length-prefixed frames, gzip-compressed messages inflated, each message decoded), or an HTTP
 * answer to an operation of tests/live/api.yaml (status, media type, JSON body and headers through
 * the validator).  Run from the repository's root (tests/fuzz/run.sh is).
 *
 * Input: byte 0 picks gRPC (bit 0 clear) or HTTP, the method or operation (bits 1..6) and HEAD
 * (bit 7, HTTP); then header lines ("HTTP/2 200", "Name: value"), each ended by "\n", up to an
 * empty line; the rest is the body.  The status is the last status line's (200 when none). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/live.h"
#include "cmd/options.h"
#include "cmd/pipeline.h"
#include "compat/base/arena.h"
#include "compat/base/status.h"
#include "compat/ir/ir.h"
#include "compat/validate/validate.h"

static ac_arena *keep;
static ac_contract *pb, *api;
static ac_validator *val;
static const ac_pb_method *methods[8];
static size_t nmethods;

static ac_contract *load(const char *path)
{
    options o;
    ac_options_init(&o);
    ac_contract *c = NULL;
    ac_status st;
    ac_status_init(&st);
    if (ac_load_contract(&o, path, keep, &c, &st)) {
        fprintf(stderr, "fuzz_live: %s does not load (run from the repository's root): %s\n", path, st.msg);
        abort();
    }
    return c;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    keep = ac_arena_new();
    pb = load("tests/live/grpc/suite/greeter.proto");
    api = load("tests/live/api.yaml");
    ac_val_opts vo = {.direction = AC_VAL_RESPONSE, .formats = true, .max_errors = 4};
    val = ac_validator_new(api, &vo);
    for (size_t f = 0; f < pb->nfiles; f++)
        for (size_t s = 0; s < pb->files[f]->nservices; s++)
            for (size_t m = 0; m < pb->files[f]->services[s]->nmethods && nmethods < 8; m++)
                methods[nmethods++] = pb->files[f]->services[s]->methods[m];
    if (!nmethods || !api->oas || !api->oas->nops) abort();
    /* libcurl loaded, as a run loads it: gzip-compressed answers are inflated with its zlib */
    ac_live_target *t = NULL;
    ac_status st;
    ac_status_init(&st);
    if (!ac_live_target_new(&t, "http://127.0.0.1:9", NULL, &st)) ac_live_target_free(t);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    int sel = data[0];
    ac_live_call c;
    memset(&c, 0, sizeof c);
    c.grpc = !(sel & 1);
    c.method = c.grpc ? "POST" : (sel & 0x80) ? "HEAD" : "GET";
    c.status = 200;
    size_t cap = 0, off = 1, header_bytes = 0;
    bool complete = true;
    while (off < size) {
        const uint8_t *nl = memchr(data + off, '\n', size - off);
        size_t len = nl ? (size_t)(nl - (data + off)) + 1 : size - off;
        const char *line = (const char *)data + off;
        off += len;
        if (len == 1 || (len == 2 && line[0] == '\r')) break; /* the empty line: the body follows */
        header_bytes += len;
        if (header_bytes > AC_LIVE_MAX_HEADER_BYTES || !ac_live_header_line(&c, &cap, line, len)) {
            complete = false; /* the transport ends such a call (AC_LIVE_TOO_BIG): nothing is judged */
            break;
        }
        if (len > 5 && !memcmp(line, "HTTP/", 5)) {
            char st[32] = "";
            const char *sp = memchr(line, ' ', len);
            if (sp) memcpy(st, sp + 1, len - (size_t)(sp + 1 - line) < sizeof st - 1 ? len - (size_t)(sp + 1 - line) : sizeof st - 1);
            c.status = strtol(st, NULL, 10);
        }
    }
    if (complete) {
        c.resp_len = off < size ? size - off : 0;
        c.resp = malloc(c.resp_len + 1);
        if (c.resp_len) memcpy(c.resp, data + off, c.resp_len);
        c.resp[c.resp_len] = 0;
        ac_arena *a = ac_arena_new();
        const char *why = NULL;
        int r = c.grpc ? ac_live_judge_grpc(a, pb, methods[(sel >> 1) % nmethods], &c, &why)
                       : ac_live_judge_http(a, val, &api->oas->ops[((unsigned)sel >> 1 & 0x3f) % api->oas->nops], &c, &why);
        if (r < AC_JUDGE_PASSED || r > AC_JUDGE_ERROR || (r != AC_JUDGE_PASSED && !why)) abort();
        ac_arena_free(a);
        free(c.resp);
    }
    ac_live_headers_free(&c);
    return 0;
}
