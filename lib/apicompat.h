/* libapicompat: compare two API contracts (protobuf or OpenAPI) from a program and walk the
 * findings, as `apicompat breaking OLD NEW` does.
 *
 *   apicompat_result *r;
 *   apicompat_status st;
 *   if (apicompat_compare(&r, "old.yaml", "new.yaml", NULL, &st) != APICOMPAT_OK) {
 *       fprintf(stderr, "%s\n", st.message);
 *       return 2;
 *   }
 *   for (size_t i = 0; i < apicompat_result_count(r); i++) ...
 *   apicompat_result_free(r);
 *
 * Conventions: handles are opaque; a function that creates one takes it as its first argument
 * (`out`), sets it only on success, and the caller frees it with the matching _free.  Strings a
 * result hands out are owned by it and live until it is freed.  Errors are an int code (the
 * apicompat_code values, the exit codes of the command line) plus a caller-owned status with a
 * one-line message and where the problem is.  Calls on different results may run on different
 * threads; apicompat_compare itself is not to be called from two threads at once.
 *
 * Versioned by the soname (libapicompat.so.0): what is declared here only grows within it. */
#ifndef APICOMPAT_H
#define APICOMPAT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define APICOMPAT_API __attribute__((visibility("default")))
#else
#define APICOMPAT_API
#endif

/* Return codes, and what `apicompat breaking` exits with. */
typedef enum {
    APICOMPAT_OK = 0,       /* done: no finding at or above the policy's fail level */
    APICOMPAT_BREAKING = 1, /* done: breaking changes (apicompat_result_exit_code only) */
    APICOMPAT_ERROR = 2,    /* the contracts could not be compared; the status says why */
    APICOMPAT_EINVAL = 3    /* a NULL or empty argument where one is needed */
} apicompat_code;

typedef enum { APICOMPAT_INFO = 0, APICOMPAT_WARNING = 1, APICOMPAT_ERROR_LEVEL = 2 } apicompat_severity;

/* Filled in by a failing call: code, the file the problem is in ("" when none), its 1-based line
 * and column (0 when it is about the file as a whole), and one line of message. */
typedef struct apicompat_status {
    int code;
    char path[1024];
    unsigned line, column;
    char message[1024];
} apicompat_status;

typedef struct apicompat_result apicompat_result;
typedef struct apicompat_finding apicompat_finding;

/* The library's version ("0.1.0"). */
APICOMPAT_API const char *apicompat_version(void);

/* Compares the contract at old_path with the one at new_path (each a .proto file, a directory of
 * .proto files, a binary FileDescriptorSet, an OpenAPI/Swagger document, or git:REF:PATH), under
 * the policy of config (an apicompat.yaml or buf.yaml; NULL: the one the command line would find
 * from the current directory, else the defaults).  On success *out holds every finding, info
 * included; free it with apicompat_result_free.  st may be NULL. */
APICOMPAT_API int apicompat_compare(apicompat_result **out, const char *old_path, const char *new_path, const char *config,
                                    apicompat_status *st);
APICOMPAT_API void apicompat_result_free(apicompat_result *r);

/* The findings, sorted by file and line; suppressed ones are left out. */
APICOMPAT_API size_t apicompat_result_count(const apicompat_result *r);
/* The i-th finding (i < count), owned by r; NULL when i is out of range. */
APICOMPAT_API const apicompat_finding *apicompat_result_get(const apicompat_result *r, size_t i);
/* APICOMPAT_BREAKING when a finding is at or above the policy's fail level, else APICOMPAT_OK. */
APICOMPAT_API int apicompat_result_exit_code(const apicompat_result *r);

/* A finding: its rule ("FIELD_NO_DELETE", "request-property-became-required"), its severity
 * (and its name: "error", "warning", "info"), one line of message, and where it is in the new
 * contract (the old one when the element is gone): file ("" when none), 1-based line and column
 * (0 when unknown). */
APICOMPAT_API const char *apicompat_finding_rule(const apicompat_finding *f);
APICOMPAT_API apicompat_severity apicompat_finding_severity(const apicompat_finding *f);
APICOMPAT_API const char *apicompat_finding_severity_name(const apicompat_finding *f);
APICOMPAT_API const char *apicompat_finding_message(const apicompat_finding *f);
APICOMPAT_API const char *apicompat_finding_file(const apicompat_finding *f);
APICOMPAT_API unsigned apicompat_finding_line(const apicompat_finding *f);
APICOMPAT_API unsigned apicompat_finding_column(const apicompat_finding *f);

#ifdef __cplusplus
}
#endif

#endif
