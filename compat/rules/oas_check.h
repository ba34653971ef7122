/* Internal to compat/: the OpenAPI comparison. */
#ifndef AC_OAS_CHECK_H
#define AC_OAS_CHECK_H

#include "compat/ir/ir.h"
#include "compat/rules/finding.h"

typedef struct ac_oas_check_opts {
    int deprecation_days; /* minimum days between deprecation and sunset; 0 = not required */
    int deprecation_days_beta, deprecation_days_stable; /* per stability; -1 = deprecation_days */
    int stability_from;   /* endpoints below this stability (0 draft .. 3 stable) are not checked */
    long today;           /* days since 1970-01-01, or -1 for the real date */
    bool reversed;        /* a forward check: old is the newer contract (see ac_inline_why) */
} ac_oas_check_opts;

/* Appends every difference between two OpenAPI contracts (all levels) to out. */
int ac_oas_check(ac_contract *old, ac_contract *new, const ac_oas_check_opts *opts, ac_findings *out, ac_status *st);

/* Checks the place x change table of composed IDs against the rule table: every combination whose
 * ID exists has its row, and every row names that ID.  Returns the number of wrong combinations
 * (the first written to bad); for the unit tests. */
int ac_oas_compose_check(char *bad, size_t n);

#endif
