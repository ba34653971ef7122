/* Internal to proto/: compiling .proto sources (the native front end, or protoc). */
#ifndef AC_COMPILE_H
#define AC_COMPILE_H

#include <stddef.h>
#include <stdint.h>

#include "compat/base/limits.h"
#include "compat/base/arena.h"
#include "compat/base/status.h"

typedef struct ac_compile_req {
    const char *protoc;             /* NULL: the native compiler (proto/native); else this protoc */
    const char **roots;             /* import roots (file system paths) */
    const char **roots_display;     /* the same roots as the user would write them */
    size_t nroots;
    const char **includes;          /* extra -I directories */
    size_t nincludes;
    const char **files;             /* import paths of the files to compile */
    size_t nfiles;
    const char *display_root;       /* the input, for errors without a file */
} ac_compile_req;

/* Braces nested deeper than this in a .proto source are refused before it is compiled: protoc's
 * time and memory grow with the square of the depth (10,000 levels: 7 s and 1.7 GB) before it
 * reports its own limit (32 nested messages), and either compiler would only say "too deep"
 * without a position. */
#define AC_MAX_SOURCE_NESTING AC_LIMIT_SOURCE_NESTING

/* true when text's braces (outside comments and string literals) nest at most
 * AC_MAX_SOURCE_NESTING deep; else false, with *line:*col (1-based) at the brace past it. */
bool ac_proto_nesting_ok(const char *text, size_t n, unsigned *line, unsigned *col);

/* Compiles the files with source info and imports into a FileDescriptorSet, in the arena: with the
 * native front end, or with protoc when req->protoc names one.  The first error becomes the status,
 * mapped to the file the user knows. */
int ac_compile_protos(ac_arena *a, const ac_compile_req *req, uint8_t **out, size_t *outlen, ac_status *st);

#endif
