/* Errors: an int code plus a caller-owned status that holds a one-line message and the location it
 * is about.  The first error set wins: later calls never overwrite it, so the root cause is what
 * the user sees. */
#ifndef AC_STATUS_H
#define AC_STATUS_H

#include <stdint.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

enum {
    AC_OK = 0,
    AC_BREAKING = 1, /* exit code: findings at or above the fail level */
    AC_ERROR = 2,    /* exit code: the check could not be done */
};

typedef struct ac_status {
    int code;        /* AC_OK or AC_ERROR */
    char path[1024]; /* file the problem is in ("" when not about a file) */
    unsigned line, col;
    bool whole; /* about the path itself (missing, not a contract): printed "path: message", no line */
    char msg[1024];
} ac_status;

void ac_status_init(ac_status *st);
/* Records an error (unless one is already recorded) and returns AC_ERROR.  line/col are 1-based;
 * 0 means "the whole file" and prints as 1:1. */
int ac_fail(ac_status *st, const char *path, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The same about a path as a whole (it does not exist, it is a directory, it is not a contract):
 * printed without a line and column, which it has none of. */
int ac_fail_path(ac_status *st, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int ac_vfail(ac_status *st, const char *path, unsigned line, unsigned col, const char *fmt, va_list ap);
/* Prints "path:line:col: message" (one line) to f. */
void ac_status_print(const ac_status *st, FILE *f);
/* The same as a GitHub Actions ::error workflow command (on the file when it exists). */
void ac_status_print_github(const ac_status *st, FILE *f);

/* 1-based source location; line == 0 means unknown. */
typedef struct ac_loc {
    const char *path; /* path as the user opens it (display path) */
    const char *file; /* path inside the contract (import path), for ignores and pairing */
    unsigned line, col, end_line, end_col;
} ac_loc;

#endif
