/* Policy: which rules run, at what severity, and what is ignored.  Built from buf.yaml's
 * `breaking:` section (and, later, apicompat.yaml); applied to the findings after the checks. */
#ifndef AC_POLICY_H
#define AC_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "report.h"
#include "rules.h"

/* A string from a config file with its position, so errors can point at it. */
typedef struct ac_cfg_str {
    const char *s;
    const char *path;
    unsigned line, col;
} ac_cfg_str;

typedef struct ac_ignore_only {
    int rule; /* index into ac_rules */
    const char *path;
} ac_ignore_only;

/* The breaking settings of one module (buf.yaml v2 modules can each have their own). */
typedef struct ac_policy_module {
    const char *dir;  /* module directory relative to the config root; "" = every other file */
    uint8_t *enabled; /* [ac_nrules] */
    const char **ignore;
    size_t nignore;
    ac_ignore_only *only;
    size_t nonly;
    bool ignore_unstable_packages;
} ac_policy_module;

typedef struct ac_policy {
    ac_arena *arena;
    ac_buf_version version;
    ac_policy_module *modules; /* [0] is the default module */
    size_t nmodules;
    int fail_on; /* ac_severity */
    const char *source; /* the config file these came from, or NULL */
    int deprecation_days; /* OpenAPI: minimum deprecation period before a sunset; 0 = not required */
    long today;           /* days since 1970-01-01 for sunset checks, or -1 for the real date */
} ac_policy;

/* Defaults: buf v1 rules in the FILE category, fail on errors. */
void ac_policy_init(ac_policy *p);
void ac_policy_free(ac_policy *p);
ac_policy_module *ac_policy_add_module(ac_policy *p, const char *dir);

/* Sets a module's rules from `use` and `except` lists of rule IDs and categories (buf semantics:
 * empty `use` means FILE; deprecated IDs stand for their replacements).  An unknown ID is an
 * error pointing at the item. */
int ac_policy_select(ac_policy *p, ac_policy_module *m, const ac_cfg_str *use, size_t nuse, const ac_cfg_str *except,
                     size_t nexcept, ac_status *st);
/* Turns off the rules that IDs or categories name. */
int ac_policy_except(ac_policy *p, ac_policy_module *m, const ac_cfg_str *except, size_t nexcept, ac_status *st);
/* Adds an ignore_only entry (rule ID or category) for a path. */
int ac_policy_ignore_only(ac_policy *p, ac_policy_module *m, const ac_cfg_str *id, const char *path, ac_status *st);

/* Whether any module enables rule i (so the checker runs it). */
bool ac_policy_rule_wanted(const ac_policy *p, size_t i);
/* Marks the findings the policy suppresses (rule off in the finding's module, ignored path,
 * unstable package). */
void ac_policy_apply(const ac_policy *p, ac_findings *fs);

/* Whether a protobuf package is unstable in buf's sense (last component v1alpha, v2beta1, v1test...). */
bool ac_package_unstable(const char *pkg);

#endif
