/* compat/: the pipeline's middle: pair old and new, run the rules, apply the policy. */
#ifndef AC_COMPAT_H
#define AC_COMPAT_H

#include "compat/ir/ir.h"
#include "compat/policy/policy.h"
#include "compat/report/report.h"
#include "compat/rules/rules.h"

/* Compares two loaded contracts of the same format.  Every rule the policy wants is run over the
 * paired elements; the findings are appended to out, marked by the policy, and sorted. */
int ac_compat_check(ac_contract *old, ac_contract *new, ac_policy *p, ac_findings *out, ac_status *st);

/* Looks for a counterexample to each finding at warning or error level of this pair (the format's
 * prover, see ac_prove_fn) and sets its proof; findings of a format without a prover keep
 * AC_PROOF_UNSET.  Run after ac_compat_check, while both contracts are loaded. */
void ac_compat_prove(ac_contract *old, ac_contract *new, ac_findings *fs);

#endif
