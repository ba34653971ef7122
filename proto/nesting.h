/* The nesting check of .proto sources, shared by the input reader and the native compiler (so
 * neither depends on the other for it). */
#ifndef AC_PROTO_NESTING_H
#define AC_PROTO_NESTING_H

#include <stdbool.h>
#include <stddef.h>

#include "compat/base/limits.h"
#include "compat/base/status.h"

/* Braces nested deeper than this in a .proto source are refused before it is compiled: protoc's
 * time and memory grow with the square of the depth (10,000 levels: 7 s and 1.7 GB) before it
 * reports its own limit (32 nested messages), and either compiler would only say "too deep"
 * without a position. */
#define AC_MAX_SOURCE_NESTING AC_LIMIT_SOURCE_NESTING

/* true when text's braces (outside comments and string literals) nest at most
 * AC_MAX_SOURCE_NESTING deep; else false, with *line:*col (1-based) at the brace past it. */
bool ac_proto_nesting_ok(const char *text, size_t n, unsigned *line, unsigned *col);

/* The same check as a status: AC_OK, or an error at the brace past the limit in display. */
int ac_proto_check_nesting_text(const char *text, size_t n, const char *display, ac_status *st);

/* The same check of a file read in chunks (protoc reads it after us); a file that cannot be
 * opened passes, for the compiler to report. */
int ac_proto_check_nesting_file(const char *path, const char *display, ac_status *st);

#endif
