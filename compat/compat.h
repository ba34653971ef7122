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

#endif
