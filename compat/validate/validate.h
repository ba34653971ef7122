/* compat/validate: does a JSON instance fit a schema of an OpenAPI contract?
 *
 * One validator for everything that judges a payload (the witness search, `cases`, `replay`,
 * `apicompat validate`).  It reads the contract IR (compat/ir) as the OpenAPI loader fills it, for
 * Swagger 2.0, OpenAPI 3.0 and 3.1 and for standalone JSON Schemas (draft 4 to 2020-12), and an
 * instance as a document tree (compat/base/doc.h: JSON or YAML, numbers kept as written so that
 * bounds and multipleOf are exact).
 *
 * OpenAPI's own rules apply by direction: a request may not carry readOnly properties (and need
 * not carry required ones), a response may not carry writeOnly ones; `nullable`, `discriminator`
 * and the OpenAPI formats (int32, int64, byte, ...) are understood.  Every run is bounded
 * (AC_LIMIT_VALIDATE_*; regular expressions under the PCRE2 limits of compat/base/limits.h), and a
 * schema that cannot be applied (a pattern PCRE2 rejects, a loop that never moves into the
 * instance) ends the run with "could not check", never with a verdict. */
#ifndef AC_VALIDATE_H
#define AC_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "compat/base/doc.h"
#include "compat/ir/ir.h"

typedef enum {
    AC_VAL_ANY = 0,  /* plain JSON Schema: readOnly / writeOnly only annotate */
    AC_VAL_REQUEST,  /* what a client sends */
    AC_VAL_RESPONSE, /* what a server returns */
} ac_val_dir;

typedef struct ac_val_opts {
    ac_val_dir direction;
    bool formats;      /* `format` asserts (date-time, uuid, int32, ...); false: it only annotates */
    size_t max_errors; /* errors collected before stopping (0: AC_LIMIT_VALIDATE_ERRORS; 1: the first) */
} ac_val_opts;

typedef struct ac_val_error {
    const char *instance; /* JSON pointer into the instance ("/items/0/id"; "" is the whole) */
    const char *keyword;  /* the keyword that failed: "type", "required", "oneOf", ... */
    const char *schema;   /* JSON pointer of that keyword in the contract's document, or NULL */
    const char *reason;   /* one line: "expected integer, got string" */
    ac_src schema_src;    /* the schema, for c->locate(c, schema_src, keyword) */
    const ac_doc_node *at; /* the instance value (its line:col when it was read from a file) */
} ac_val_error;

typedef struct ac_val_result {
    ac_val_error *v;
    size_t n;
    bool truncated; /* more errors than max_errors: the list stops there */
    ac_arena *arena; /* the errors' strings */
} ac_val_result;

typedef struct ac_validator ac_validator;

/* A validator for the schemas of c (kept for many instances: compiled patterns are cached).  The
 * contract must outlive it. */
ac_validator *ac_validator_new(const ac_contract *c, const ac_val_opts *o);
void ac_validator_free(ac_validator *v);

/* Validates inst against s.  AC_OK: valid; AC_BREAKING: invalid, with the errors in *out when out
 * is not NULL (without out the first error ends the run: the fastest yes/no); AC_ERROR: could not
 * check (st says why and where).  Free *out with ac_val_result_free whatever the result. */
int ac_validate(ac_validator *v, const ac_oas_schema *s, const ac_doc_node *inst, ac_val_result *out, ac_status *st);
void ac_val_result_free(ac_val_result *r);

/* "at /items/0/id: expected integer, got string" into buf. */
const char *ac_val_error_text(const ac_val_error *e, char *buf, size_t n);

/* ---- finding what to validate against --------------------------------------------------------- */

/* The operation named "GET /pets/{petId}" (as written, or with other parameter names), or by its
 * operationId; NULL when none. */
const ac_oas_op *ac_val_find_op(const ac_oas *oas, const char *name);
/* The response documented for a status: the code itself, else its range ("4XX"), else "default". */
const ac_oas_response *ac_val_find_response(const ac_oas_op *op, const char *status);
/* The media type entry for `type` (exact, then a "type/..." or "any" wildcard entry); with type
 * NULL the only entry, else the JSON one.  NULL when none fits or the choice is ambiguous. */
const ac_oas_media *ac_val_find_media(const ac_oas_media *m, uint32_t n, const char *type);
/* A schema by JSON pointer into the contract ("#/components/schemas/Pet", "#/$defs/x") or by
 * component name ("Pet"); NULL when no schema is there. */
const ac_oas_schema *ac_val_schema_at(const ac_contract *c, const char *ref);

/* ---- whole messages --------------------------------------------------------------------------- */

/* A request as `cases` writes it: {"path_params": {...}, "query": {...}, "headers": {...},
 * "body": ...} (each part optional).  Parameter values may be typed JSON or strings as sent on the
 * wire ("42", "a,b,c"); media is the body's media type (NULL: the operation's only or JSON one).
 * Unknown query parameters and headers are allowed, as OpenAPI allows them. */
int ac_validate_request(ac_validator *v, const ac_oas_op *op, const char *media, const ac_doc_node *req,
                        ac_val_result *out, ac_status *st);
/* A response: its status, its headers (a map, or NULL) and its body (NULL: none). */
int ac_validate_response(ac_validator *v, const ac_oas_op *op, const char *status, const char *media,
                         const ac_doc_node *headers, const ac_doc_node *body, ac_val_result *out, ac_status *st);

#endif
