/* compat/cases: regression cases generated from an OpenAPI contract (`apicompat cases`, `replay`).
 *
 * For every operation: request cases (path, query and header parameters and a body per media
 * type) and a case per documented response and media type.  The contract's own examples come
 * first, then instances generated from the schema: required properties only, every property, each
 * enum value and each oneOf/anyOf branch in turn, and the lower and upper bounds of minimum,
 * maxLength, maxItems and the like.  Every case is validated against the contract with
 * compat/validate before it is kept; those that do not validate are dropped and counted.  The
 * output depends only on the contract: the same contract gives the same cases, in the same order.
 * Bounded: at most AC_LIMIT_CASES_PER_OP cases per operation, nesting to AC_LIMIT_CASES_DEPTH. */
#ifndef AC_CASES_H
#define AC_CASES_H

#include <stdbool.h>
#include <stddef.h>

#include "compat/base/doc.h"
#include "compat/ir/ir.h"

typedef struct ac_case {
    const ac_oas_op *op;
    bool request;          /* else a response */
    const char *status;    /* responses: the code as documented ("200", "4XX", "default") */
    const char *media;     /* the body's media type, or NULL when there is none */
    bool example;          /* from the contract's examples (else generated) */
    unsigned op_index, n;  /* the operation's index, the case's number within it */
    char *text;            /* requests: {"path_params", "query", "headers", "body"}; responses: the body
                              ("null" with no body); malloc'd */
    bool has_body;
} ac_case;

typedef struct ac_case_list {
    ac_case *v;
    size_t n, cap;
    size_t dropped;   /* generated instances the validator rejected */
    size_t truncated; /* operations that reached the per-operation bound */
} ac_case_list;

/* Examples written in the contract for a media type (ac_oas_media.src); NULL: none are read. */
typedef size_t (*ac_case_examples_fn)(ac_src media, const ac_doc_node **out, size_t max);

typedef struct ac_case_opts {
    bool requests, responses;
    ac_case_examples_fn examples;
    /* The `example` written in a schema (ac_oas_schema.src), or NULL; may be NULL. */
    const ac_doc_node *(*schema_example)(ac_src schema);
} ac_case_opts;

/* Generates the cases of c (an OpenAPI contract) into *out.  AC_ERROR when the validator cannot
 * check one (st says why). */
int ac_cases_generate(const ac_contract *c, const ac_case_opts *o, ac_case_list *out, ac_status *st);
/* The cases of one operation of c, appended to *out (zeroed by the caller before the first call),
 * validated with v (a validator of c with formats asserted, kept by the caller for many calls). */
struct ac_validator;
int ac_cases_generate_op(const ac_contract *c, const ac_oas_op *op, const ac_case_opts *o, struct ac_validator *v,
                         ac_case_list *out, ac_status *st);
void ac_case_list_free(ac_case_list *l);
/* Looks for an instance that shows each OpenAPI finding of fs at warning or error level (issue #16):
 * a request the old operation's cases accept and the new operation rejects, or a response the new
 * operation's cases send and the old one rejects, where the rejection is at the schema the finding
 * is about.  Each such finding gets proof AC_PROOF_PROVEN and its counterexample; the others
 * AC_PROOF_NONE.  The loader's ac_contract.prove. */
void ac_oas_prove(const struct ac_contract *old, const struct ac_contract *new, struct ac_findings *fs);
/* A case's id, also its file's name: "0003-get-request-01" (the operation's index and method, the
 * kind, the case's number within the operation). */
const char *ac_case_id(ac_arena *a, const ac_case *k);

#endif
