/* The native .proto front end: compiles .proto sources to a FileDescriptorSet without protoc,
 * byte-compatible with `protoc --include_source_info --include_imports -o` (protoc 3.21), and
 * with `buf build` for edition 2023 files. */
#ifndef AC_NATIVE_H
#define AC_NATIVE_H

#include "proto/compile.h" /* ac_compile_req */

/* Compiles req->files (import paths, resolved through req->roots then req->includes, then the
 * embedded well-known types) with their imports, like `protoc --include_source_info --include_imports
 * -o`: a serialized FileDescriptorSet (dependencies before dependents, as protoc orders them), in the
 * arena.  On errors: every error of the file, each "file:line:col: message" like protoc's, the first
 * one in st (ac_fail), exit code semantics AC_ERROR. */
int ac_native_compile(ac_arena *a, const ac_compile_req *req, uint8_t **out, size_t *outlen, ac_status *st);

typedef struct ac_native_opts {
    bool source_info; /* --include_source_info (default in ac_native_compile) */
    char **errors;    /* when set: every error, one "file:line:col: message" per line, in the arena */
    bool buf_style;   /* follow buf for every file, as for an editions compilation (for tests) */
} ac_native_opts;

/* The same with options. */
int ac_native_compile_ex(ac_arena *a, const ac_compile_req *req, const ac_native_opts *opts, uint8_t **out,
                         size_t *outlen, ac_status *st);

#endif
