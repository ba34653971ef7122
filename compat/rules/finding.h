/* A finding and a list of them: what the rules emit, policy filters and the reporters show. */
#ifndef AC_FINDING_H
#define AC_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "compat/base/arena.h"
#include "compat/base/status.h"

struct ac_rule;

/* Whether a finding's break was shown with a concrete message (issue #16).  UNSET: not looked for
 * (info level, a policy's own finding, --no-proofs, or a format without a prover yet). */
typedef enum { AC_PROOF_UNSET = 0, AC_PROOF_NONE = 1, AC_PROOF_PROVEN = 2 } ac_proof;

/* A message that shows a break, checked against both contracts before it is reported.  Each
 * string is NULL where it does not apply.  OpenAPI fills kind body / parameter / operation,
 * direction request (OLD accepts, NEW rejects) or response (NEW may send it, OLD's clients reject
 * it); protobuf fills kind binary / json / operation, direction old-to-new (OLD writes, NEW reads)
 * or new-to-old. */
typedef struct ac_counterexample {
    const char *kind;      /* "body", "parameter", "operation", "binary", "json" */
    const char *direction; /* "request", "response", "old-to-new", "new-to-old" */
    const char *operation; /* "GET /pets/{id}", "/pkg.Service/Method" */
    const char *media_type;
    const char *status;
    const char *param_in, *param_name; /* kind parameter: where and which */
    const char *message;     /* protobuf: the type the bytes or the JSON text encode */
    const char *value;       /* the instance as JSON text (a body, a parameter value, ProtoJSON) */
    const char *binary;      /* protobuf: the bytes, lower-case hex */
    const char *old_reading; /* what OLD makes of it (protobuf: text format, one line) */
    const char *new_reading; /* what NEW makes of it: a different value, an unknown field, "rejected: why" */
} ac_counterexample;

/* An element of a contract a finding is about, for the prover: a pointer into the contract and its
 * kind (ac_elem_kind, compat/ir/ir.h).  Valid only while the contracts are; cleared on detach. */
typedef struct ac_elem_ref {
    const void *p;
    int kind;
} ac_elem_ref;

typedef struct ac_finding {
    const struct ac_rule *rule;
    int severity; /* ac_severity */
    const char *message;
    ac_loc loc;     /* in the new contract; loc.line == 0 when there is none */
    ac_loc old_loc; /* in the old contract, when it helps */
    /* what policy matches on */
    const char *cfg_path, *old_cfg_path; /* paths relative to the config root */
    const char *module, *old_module;
    const char *pkg, *old_pkg;
    const char *subject; /* element full name */
    const char **ops;    /* affected operations (OpenAPI) */
    size_t nops;
    const char *suppressed_by; /* NULL, or why policy suppressed it */
    const char *group;         /* batch: the name of the pair it came from */
    unsigned mode;             /* which way it breaks (AC_MODE_BACKWARD, AC_MODE_FORWARD, both: AC_MODE_FULL);
                                  0 when the run checked backward compatibility only */
    int proof;                     /* ac_proof */
    const ac_counterexample *cex;  /* with AC_PROOF_PROVEN */
    ac_elem_ref ev_old, ev_new;    /* the elements the rule compared (what a prover starts from) */
} ac_finding;

/* Compatibility modes (bits): backward = old clients against the new contract, forward = new clients
 * against the old one (a rollback, a rolling deploy), full = both. */
enum { AC_MODE_BACKWARD = 1, AC_MODE_FORWARD = 2, AC_MODE_FULL = 3 };
/* "backward", "forward", "full" for a run's mode; ac_finding_mode_word says "both" for a finding. */
const char *ac_mode_name(unsigned mode);
/* The word a finding's mode is shown as ("backward", "forward", "both"), or NULL when it has none. */
const char *ac_finding_mode_word(const ac_finding *x);

typedef struct ac_findings {
    ac_finding *v;
    size_t n, cap;
    ac_arena *arena; /* strings of the findings */
} ac_findings;

void ac_findings_init(ac_findings *fs);
void ac_findings_free(ac_findings *fs);
ac_finding *ac_findings_push(ac_findings *fs);
/* Moves the findings into a list that owns every string they use (so the contracts they came from
 * can be freed): *out is a new list; src is freed. */
void ac_findings_detach(ac_findings *src, ac_findings *out);
/* A counterexample copied into arena a (detach, a prover, report merge). */
const ac_counterexample *ac_counterexample_copy(ac_arena *a, const ac_counterexample *c);

#endif
