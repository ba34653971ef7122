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
 * result hands out are owned by it and live until it is freed.  A contract may come from a pull
 * request, so every string a finding or a status holds (messages, file paths) is one safe line:
 * control characters, bidirectional overrides and bytes that are not UTF-8 are shown as \n, \t,
 * \xNN, as the command line shows them; a program may print them as they are.  Errors are an int code (the
 * apicompat_code values, the exit codes of the command line) plus a caller-owned status with a
 * one-line message and where the problem is (st may be NULL).  Calls on different results may run
 * on different threads; apicompat_compare and apicompat_compare_with are not to be called from two
 * threads at once (nor apicompat_compare_against).  The command line's `breaking` and
 * `changelog` (OLD NEW, and --against REF PATH...) are written on these calls.
 *
 * Versioned by the soname (libapicompat.so.0): what is declared here only grows within it. */
#ifndef APICOMPAT_H
#define APICOMPAT_H

#include <stddef.h>
#include <stdio.h>

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
 * and column (0 when it is about the file as a whole: missing, not a contract; from
 * apicompat_compare, also when the position is unknown), and one line of message. */
typedef struct apicompat_status {
    int code;
    char path[1024];
    unsigned line, column;
    char message[1024];
} apicompat_status;

typedef struct apicompat_result apicompat_result;
typedef struct apicompat_finding apicompat_finding;
typedef struct apicompat_options apicompat_options;

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
/* APICOMPAT_BREAKING when a finding is at or above the policy's fail level (its "fail-on" option
 * included), else APICOMPAT_OK: `apicompat breaking`'s exit code (`changelog` exits 0). */
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

/* Where the finding is in the old contract: file ("" when it has no old side, e.g. an addition),
 * 1-based line and column (0 when unknown). */
APICOMPAT_API const char *apicompat_finding_old_file(const apicompat_finding *f);
APICOMPAT_API unsigned apicompat_finding_old_line(const apicompat_finding *f);
APICOMPAT_API unsigned apicompat_finding_old_column(const apicompat_finding *f);

/* ---- Options: a comparison as `apicompat breaking` (or `changelog`) OLD NEW [options] runs it ----
 *
 *   apicompat_options *o;
 *   apicompat_options_new(&o, "breaking", &st);
 *   apicompat_options_set(o, "format", "sarif", &st);
 *   apicompat_options_set(o, "fail-on", "warning", &st);
 *   apicompat_compare_with(&r, "old.yaml", "new.yaml", o, &st);
 *   apicompat_result_write(r, stdout, &st);     -- what `apicompat breaking` prints
 *   exit(apicompat_result_exit_code(r));
 */

/* New options for command ("breaking", or "changelog": every change, info included, as release
 * notes; NULL: "breaking"), holding the command line's defaults.  APICOMPAT_EINVAL for another
 * command.  Free them with apicompat_options_free. */
APICOMPAT_API int apicompat_options_new(apicompat_options **out, const char *command, apicompat_status *st);
APICOMPAT_API void apicompat_options_free(apicompat_options *opts);

/* Sets one option by the long name the command line gives it, without the dashes ("format",
 * "fail-on", "config", "include"...; `apicompat breaking --help` lists them), to value: a copy is
 * kept.  A flag ("explain", "no-proofs", "show-suppressed") takes NULL or "true".  Names and values
 * are read by the command line's own option table, with its checks and messages: an option given
 * twice replaces the first, except the repeatable ones (include, path, use, except), which add.
 * Returns APICOMPAT_EINVAL for an unknown name (or one the command does not take, or one that says
 * what is compared: old, new, against, against-tags, shard), a flag given a value or an option
 * none; APICOMPAT_ERROR for a value the option refuses ("fail-on" "sometimes", a "config" file
 * that is not there); the options are unchanged then.  st says why. */
APICOMPAT_API int apicompat_options_set(apicompat_options *opts, const char *name, const char *value,
                                        apicompat_status *st);

/* Compares as apicompat_compare does, under opts (NULL: the defaults of "breaking"; they are read
 * now and may be freed afterwards).  The policy is the configuration's (opts' "config", else the
 * one found from the current directory) with the options on top, as on the command line; the
 * findings, suppressed ones left out, are those of apicompat_compare.  On failure st's line and
 * column are 0 only for a problem with a file as a whole. */
APICOMPAT_API int apicompat_compare_with(apicompat_result **out, const char *old_path, const char *new_path,
                                         const apicompat_options *opts, apicompat_status *st);

/* Compares each of paths (as apicompat_compare_with takes them, but not git:REF:PATH) with itself
 * at git revision ref (a branch, tag or commit of the repository around it), as `apicompat
 * breaking --against REF PATH...` does, into one result: the pairs' findings merged and sorted.
 * ref also decides the policy: when the configuration in use (opts' "config", else the one found
 * from the current directory) is an apicompat.yaml that loosens its own copy at ref (a lower
 * fail_on, a rule turned off, a new ignore...), the result has the warning
 * "apicompat-config-loosened" at the line that does.  An ignore is reported unused only when no
 * pair used it; fail-on, notes and the report are those of one comparison.  The pairs are compared
 * in turn: the first that cannot be (a path at neither revision, a contract that does not load)
 * is the error.  APICOMPAT_EINVAL for no paths, a NULL or empty one, or a ref that starts with
 * '-'. */
APICOMPAT_API int apicompat_compare_against(apicompat_result **out, const char *ref, const char *const *paths,
                                            size_t npaths, const apicompat_options *opts, apicompat_status *st);

/* Writes the report on f byte for byte as the command line prints it on stdout, in the format of the
 * options r was compared with (text by default; json, sarif, github, junit, markdown, gitlab), with
 * what they show (breaking: from warnings, and whatever fails; changelog: info too) and the files
 * they name besides ("summary-file", "sarif-file", "json-file"; with "github", also the Markdown
 * step summary $GITHUB_STEP_SUMMARY names).  Text is coloured when f is a terminal and NO_COLOR is
 * unset.  A result of apicompat_compare is written as breaking's text.  APICOMPAT_ERROR when
 * writing fails, except that stdout's reader going away (`prog | head`) ends the report quietly, as
 * on the command line. */
APICOMPAT_API int apicompat_result_write(const apicompat_result *r, FILE *f, apicompat_status *st);

/* What the comparison says besides its findings, as lines the command line prints on stderr
 * ("note: ...\n"; e.g. that "use" names no rule of a format, which keeps its configured rules);
 * "" when nothing.  Owned by r. */
APICOMPAT_API const char *apicompat_result_notes(const apicompat_result *r);

#ifdef __cplusplus
}
#endif

#endif
