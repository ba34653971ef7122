/* Regression cases generated from a protobuf contract (`apicompat cases`, `apicompat replay`).
 *
 * For every method of every service of the files the input names (not its imports), request and
 * response messages: a minimal one (empty, or only its required fields), full ones (every field
 * set, nested to AC_LIMIT_CASES_DEPTH, a recursive type followed once; the k-th variant picks the
 * k-th member of each oneof and the k-th value of each enum, until every member and value was
 * picked or AC_LIMIT_CASES_VARIANTS variants were made; repeated and map fields with several
 * entries), and edge values of each scalar type (zero, max, min, NaN and infinities where the type
 * has them; empty, non-ASCII and escaped strings; bytes).  Each is encoded with proto/pbval.c:
 * the wire format and its canonical ProtoJSON twin (JSON names, 64-bit integers as strings, enums
 * by name, bytes in base64, the well-known types in their own forms).  Every case is read back in
 * both forms before it is kept; variants identical to an earlier one of the same method and kind
 * are merged.  The output depends only on the contract.  Bounded: AC_LIMIT_CASES_PER_OP cases
 * per method, AC_LIMIT_CASES_PB_VALUES values per message. */
#ifndef AC_PROTO_PBCASES_H
#define AC_PROTO_PBCASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compat/ir/ir.h"
#include "proto/pbval.h"

typedef struct ac_pb_case {
    const ac_pb_method *method;
    const char *operation; /* "/pkg.Service/Method" */
    bool request;          /* else a response */
    const ac_pb_msg *type;
    const char *variant;   /* "minimal", "full-00", "edge-max", ... */
    unsigned op_index, n;  /* the method's index in the contract, the case's number within its kind */
    const pv_msg *value;
    const uint8_t *bin;    /* the wire format */
    size_t nbin;
    const char *json;      /* the ProtoJSON twin; NULL when JSON cannot carry the value (an extension, an Any
                              that holds a message) */
} ac_pb_case;

typedef struct ac_pb_case_stats {
    size_t cases, requests, methods;
    size_t merged;    /* variants identical to an earlier one */
    size_t dropped;   /* messages that did not read back as written (a generator bug), or too large */
    size_t truncated; /* methods that reached AC_LIMIT_CASES_PER_OP */
    size_t no_json;   /* cases without a ProtoJSON twin */
} ac_pb_case_stats;

/* Called for each case; what k points to lives until the call returns.  A non-zero return stops
 * the generation with that code (st filled by the callee). */
typedef int (*ac_pb_case_fn)(void *ctx, const ac_pb_case *k, ac_status *st);

/* Generates the cases of c (a protobuf contract), requests and/or responses, in a fixed order:
 * files as loaded, their services and methods as declared, requests before responses. */
int ac_pb_cases_generate(const ac_contract *c, bool requests, bool responses, ac_pb_case_fn fn, void *ctx,
                         ac_pb_case_stats *stats, ac_status *st);

/* A case's id, also its files' name: "0003-GetBook-request-01" (the method's index and name, the
 * kind, the case's number within its kind). */
const char *ac_pb_case_id(ac_arena *a, const ac_pb_case *k);

/* The method an operation "/pkg.Service/Method" names in c, or NULL. */
const ac_pb_method *ac_pb_find_method(const ac_contract *c, const char *operation);

/* c's files as a FileDescriptorSet (each as it was read, in load order; the imports marked as buf
 * marks them, so that the set reads back as the same input).  *out is malloc'd. */
int ac_pb_contract_fds(const ac_contract *c, uint8_t **out, size_t *len, ac_status *st);

#endif

/* ---- static replay (pbreplay.c) ---- */

/* What a reader makes of a message another version of its type wrote (a suite's request read by
 * the current contract, or a current response read by the suite's contract). */
typedef struct ac_pb_reading {
    const char *reason;      /* NULL: the reader reads what was written; else why not, one line */
    const void *elems[32];   /* the elements it is about (fields, enum values; either contract's) */
    size_t nelems;
} ac_pb_reading;

/* The wire format p/n, written as type wt (the writer's contract, named wl: "old" or "new"), read as
 * rt: rejected, or read differently (a changed wire type or number leaves an unknown field, a changed
 * type a different value).  Bytes that wt itself cannot read are a reason too.  skip_new: fields rt
 * declares neither by number nor by name are left out first (a response's fields added after the
 * client was built, which it skips); without it they fail (a request's field the server dropped). */
void ac_pb_read_binary(ac_arena *a, const ac_pb_msg *wt, const char *wl, const ac_pb_msg *rt, const char *rl, const uint8_t *p,
                       size_t n, bool skip_new, ac_pb_reading *out);
/* The same for a ProtoJSON text: rt's parser rejects it (a JSON name or an enum value name it does
 * not know, a value of another type) or reads other values. */
void ac_pb_read_json(ac_arena *a, const ac_pb_msg *wt, const char *wl, const ac_pb_msg *rt, const char *rl, const char *json,
                     bool skip_new, ac_pb_reading *out);
