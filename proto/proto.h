/* proto/: protobuf contracts into the IR.
 *
 * Inputs are a .proto file, a directory of .proto files (with an optional buf.yaml), or a binary
 * FileDescriptorSet / buf image.  Sources are compiled first (the native front end, or protoc). */
#ifndef AC_PROTO_H
#define AC_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "compat/ir/ir.h"
#include "compat/policy/policy.h"
#include "proto/bufyaml.h"

/* Decodes a binary FileDescriptorSet (or buf image) into c's files.  display_prefix is put in
 * front of each file's name to form the path shown to the user ("" for descriptor sets).  Files
 * marked as imports by buf, and the well-known types, are kept for type resolution but are not
 * checked.  Does not link; see ac_pb_link. */
int ac_proto_load_fds(ac_contract *c, const uint8_t *data, size_t len, const char *srcname, ac_status *st);

/* True when data looks like a binary FileDescriptorSet rather than text. */
/* Names the .proto on disk (absolute path, kept by the caller's arena) that file f was compiled
 * from, so that the loader can give buf's spans to what protoc spans differently. */
void ac_proto_set_source_path(ac_pb_file *f, const char *path);

int ac_proto_sniff_binary(const uint8_t *data, size_t len);

/* How an input was described by buf.yaml: its module roots, excludes and breaking settings. */
typedef struct ac_proto_opts {
    const char *protoc;    /* protoc to run instead of the native front end (NULL: native) */
    const char **includes; /* extra -I directories */
    size_t nincludes;
    const char **paths; /* when set, only files under these paths (relative to the input) are checked */
    size_t npaths;
    struct ac_sha256 *digest; /* when not NULL: fed the descriptor set the contract is decoded from */
} ac_proto_opts;

/* Loads OLD or NEW from a path of any supported kind.  On success *out is a linked contract and
 * *cfg_out the buf.yaml that described it (NULL when none; it lives in the contract's arena).  The
 * caller frees *out with ac_contract_free. */
int ac_proto_load_path(ac_contract **out, const char *path, const ac_proto_opts *opts, const ac_buf_config **cfg_out,
                       ac_status *st);

/* The protobuf prover (proof.c): a counterexample for each finding at warning or error level of fs
 * about these two contracts, or proof none (ac_prove_fn). */
struct ac_findings;
void ac_proto_prove(const ac_contract *old, const ac_contract *new, struct ac_findings *fs);

/* The REST surface (rest.c): the HTTP operations of the google.api.http rules of c's checked files,
 * as an OpenAPI 3.1 contract in the IR (see ac_derive_rest_fn). */
int ac_proto_rest_surface(ac_contract **out, ac_contract *c, ac_status *st);
/* What a path template matches, variable names dropped ("/v1/{name=shelves/ *}" and "/v1/{n=shelves/ *}" give
 * "/v1/shelves/ *", without the spaces), in a; NULL when the template is malformed. */
const char *ac_proto_http_match(ac_arena *a, const char *path);
/* The number of HTTP bindings (rules and additional bindings) in c's checked files. */
uint32_t ac_proto_rest_bindings(const ac_contract *c);

#endif
