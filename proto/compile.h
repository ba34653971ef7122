/* Internal to proto/: compiling .proto sources (the native front end, or protoc). */
#ifndef AC_COMPILE_H
#define AC_COMPILE_H

#include <stddef.h>
#include <stdint.h>

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


/* Compiles the files with source info and imports into a FileDescriptorSet, in the arena: with the
 * native front end, or with protoc when req->protoc names one.  The first error becomes the status,
 * mapped to the file the user knows. */
int ac_compile_protos(ac_arena *a, const ac_compile_req *req, uint8_t **out, size_t *outlen, ac_status *st);

#endif
