/* Policy: which rules run, at what severity, and what is ignored.  Built from buf.yaml's
 * `breaking:` section (and, later, apicompat.yaml); applied to the findings after the checks. */
#ifndef AC_POLICY_H
#define AC_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "compat/base/date.h"
#include "compat/rules/finding.h"
#include "compat/rules/rules.h"

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

/* An ignore from apicompat.yaml (or an oasdiff ignore file): every selector given must match, and
 * it stops applying after `until`. */
typedef struct ac_ignore {
    uint8_t *rules;        /* [ac_nrules] or NULL: any rule */
    const char *path_glob; /* file glob (`**` spans directories) or NULL */
    void *element_re;      /* pcre2_code on the element's name, or NULL */
    void *operation_re;    /* pcre2_code on an affected operation ("GET /pets/{id}"), or NULL */
    const char *element_src, *operation_src; /* those expressions as written (to compare configs) */
    const char *oasdiff_line; /* an oasdiff err-ignore / warn-ignore line (lower case), or NULL */
    int oasdiff_level;        /* the level that file applies to */
    const char *reason;
    long until;            /* days since 1970-01-01, or -1 */
    const char *file;      /* where the entry is written */
    unsigned line, col;
    size_t hits;     /* findings it suppressed */
    size_t shadowed; /* findings it accepts that an earlier ignore already suppressed */
} ac_ignore;

/* The named rule sets (--rule-set, apicompat.yaml's rules.rule_set): each is a selection of rules
 * in both formats, the default one before `use` and `except` (see ac_rule_sets for what each
 * checks). */
typedef enum {
    AC_RULESET_BACKWARD, /* backward-compatible: today's default */
    AC_RULESET_PACKAGE,
    AC_RULESET_WIRE_JSON,
    AC_RULESET_WIRE,
    AC_RULESET_STRICT,
    AC_NRULESETS
} ac_rule_set;

typedef struct ac_rule_set_info {
    const char *name;
    int proto_cats;      /* protobuf: buf's categories it takes (under the configuration's buf version) */
    const char *proto;   /* what it checks in protobuf contracts, one line */
    const char *openapi; /* what it checks in OpenAPI contracts, one line */
} ac_rule_set_info;

extern const ac_rule_set_info ac_rule_sets[AC_NRULESETS];

/* The rule set named name, or -1. */
int ac_rule_set_find(const char *name);
/* Whether rule set s selects rule r under buf.yaml version v. */
bool ac_rule_set_has(ac_rule_set s, const ac_rule *r, ac_buf_version v);
/* The level rule set s gives r: its default severity, or a higher one (strict). */
int ac_rule_set_level(ac_rule_set s, const ac_rule *r);
/* AC_MODE_* for "backward", "forward", "full"; 0 when unknown. */
unsigned ac_mode_parse(const char *s);

typedef struct ac_policy {
    ac_arena *arena;
    ac_buf_version version;
    ac_rule_set rule_set; /* the default selection; `use` replaces it for the formats it names */
    unsigned mode;        /* AC_MODE_BACKWARD (default), AC_MODE_FORWARD or AC_MODE_FULL */
    ac_policy_module *modules; /* [0] is the default module */
    size_t nmodules;
    int fail_on; /* ac_severity */
    const char *source; /* the config file these came from, or NULL */
    const char *root_abs; /* the absolute directory of that file: ignore paths are relative to it */
    const struct ac_cfg_str *cfg_except; /* apicompat.yaml's rules.except (a CLI --use keeps it) */
    size_t ncfg_except;
    int deprecation_days; /* OpenAPI: minimum deprecation period before a sunset; 0 = not required */
    int deprecation_days_beta, deprecation_days_stable; /* per stability level; -1 = deprecation_days */
    int stability_from;   /* OpenAPI: endpoints below this x-stability-level are not held to compatibility
                             (0 draft, 1 alpha, 2 beta, 3 stable; default 2) */
    int8_t stability_cap[2]; /* protobuf, AIP-181: the highest level of a finding about an element of an
                                alpha ([0]) or beta ([1]) package (default info, warning) */
    long today;           /* days since 1970-01-01 for sunset checks, or -1 for the real date */
    int8_t *severity;     /* [ac_nrules]: level override, or AC_SEV_UNSET */
    ac_ignore *ignores;
    size_t nignores;
    bool defer_meta;      /* ac_policy_apply leaves the expired/unused reports to ac_policy_meta */
    /* what the pull request's configuration loosened against the base revision's (a list for the
     * message), and where: reported by ac_policy_meta as apicompat-config-loosened; NULL = nothing */
    const char *loosened;
    const char *loosened_file;
    unsigned loosened_line, loosened_col;
} ac_policy;

#define AC_SEV_UNSET (-3)

/* Appends an ignore (copied); its pointers must outlive the policy (the policy's arena). */
ac_ignore *ac_policy_add_ignore(ac_policy *p);
/* Whether a path matches a glob: `*` and `?` within a segment, `**` across segments; a pattern
 * without wildcards matches the path and everything below it. */
bool ac_glob_match(const char *pattern, const char *path);

/* Defaults: the backward-compatible rule set (buf v1's FILE category, every OpenAPI check), backward
 * mode, fail on errors. */
void ac_policy_init(ac_policy *p);
void ac_policy_free(ac_policy *p);
/* A module for dir, its rules those of the policy's rule set. */
ac_policy_module *ac_policy_add_module(ac_policy *p, const char *dir);
/* Sets a module's rules of the formats given (bits of ac_format) to those of the policy's rule set. */
void ac_policy_reset(ac_policy *p, ac_policy_module *m, unsigned formats);

/* Which formats an ID or category names (bits of ac_format): a protobuf rule or category (FILE,
 * PACKAGE, WIRE_JSON, WIRE, CSR), an OpenAPI check or category (request, response, an area such as
 * Schema), or a format itself (protobuf, openapi); 0 when it names nothing. */
unsigned ac_policy_formats_named(const ac_policy *p, const char *id);
/* Sets set[i] for every rule an ID or category names; -1 (set untouched) when it names nothing. */
int ac_policy_rules_named(const ac_policy *p, uint8_t *set, const char *id);

/* Sets a module's rules from `use` and `except` lists of rule IDs and categories.  `use` is read per
 * format: the rules of a format it names become exactly those it names; a format it does not name
 * keeps its rules (a new module's are the rule set's).  Deprecated IDs stand for their
 * replacements.  An unknown ID is an error pointing at the item. */
int ac_policy_select(ac_policy *p, ac_policy_module *m, const ac_cfg_str *use, size_t nuse, const ac_cfg_str *except,
                     size_t nexcept, ac_status *st);
/* Turns off the rules that IDs or categories name. */
int ac_policy_except(ac_policy *p, ac_policy_module *m, const ac_cfg_str *except, size_t nexcept, ac_status *st);
/* Adds an ignore_only entry (rule ID or category) for a path. */
int ac_policy_ignore_only(ac_policy *p, ac_policy_module *m, const ac_cfg_str *id, const char *path, ac_status *st);

/* Whether any module enables rule i (so the checker runs it). */
bool ac_policy_rule_wanted(const ac_policy *p, size_t i);
/* The level findings of rule i get: the configuration's override, else the rule set's level. */
int ac_policy_level(const ac_policy *p, size_t i);
/* Applies severity overrides, drops findings of rules that are off, marks the findings ignores
 * suppress, and adds a finding for each ignore that has expired or matched nothing.  Fails (the
 * status at the ignore) when an ignore's regular expression reaches a limit of
 * compat/base/limits.h; fs is then not to be reported. */
int ac_policy_apply(ac_policy *p, ac_findings *fs, ac_status *st);
/* Reports ignores that expired or matched nothing (after every apply that shares them). */
void ac_policy_meta(ac_policy *p, ac_findings *fs);

/* Whether a protobuf package is unstable in buf's sense (last component v1alpha, v2beta1, v1test...). */
bool ac_package_unstable(const char *pkg);

/* AIP-181 stability of a protobuf package, read from its version segment (the last component):
 * v1alpha, v1alpha2, v1p1alpha1 and buf's v1test are alpha; v2beta, v2beta3, v1p1beta1 beta; anything
 * else (v1, no version) stable. */
typedef enum { AC_STAB_ALPHA = 0, AC_STAB_BETA = 1, AC_STAB_STABLE = 2 } ac_stability;
ac_stability ac_package_stability(const char *pkg);

#endif
