/* The rule table: one row per rule, for both formats.  The same rows drive the checks, config
 * validation and `apicompat rules`. */
#ifndef AC_RULES_H
#define AC_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compat/ir/ir.h"

typedef enum { AC_SEV_OFF = -1, AC_SEV_INFO = 0, AC_SEV_WARN = 1, AC_SEV_ERROR = 2 } ac_severity;

/* What a rule's check function is handed. */
typedef enum {
    AC_SCOPE_GLOBAL,      /* the two contracts */
    AC_SCOPE_FILE,        /* files paired by path */
    AC_SCOPE_MESSAGE,     /* messages paired by full name */
    AC_SCOPE_FIELD,       /* fields paired by number in paired messages; extensions by (extendee, number) */
    AC_SCOPE_ENUM,        /* enums paired by full name */
    AC_SCOPE_ENUM_NUMBER, /* the values of paired enums grouped by number */
    AC_SCOPE_SERVICE,     /* services paired by full name */
    AC_SCOPE_METHOD,      /* RPCs paired by name in paired services */
    AC_SCOPE_OPENAPI,     /* OpenAPI rules run from the OpenAPI comparison, not the dispatcher */
} ac_scope;

/* protobuf categories (buf's) */
enum {
    AC_CAT_FILE = 1 << 0,
    AC_CAT_PACKAGE = 1 << 1,
    AC_CAT_WIRE_JSON = 1 << 2,
    AC_CAT_WIRE = 1 << 3,
    AC_CAT_CSR = 1 << 4,
    AC_CAT_HTTP = 1 << 5, /* apicompat's: the google.api.http bindings and the REST surface they derive */
    AC_CAT_AIP = 1 << 6,  /* apicompat's: Google's API annotations (AIP-203, resources, client) and protovalidate */
    AC_CAT_NA = 1 << 7, /* the rule does not exist in this config version */
};

/* buf.yaml versions, as indexes into ac_rule.cats */
typedef enum { AC_BUF_V1BETA1 = 0, AC_BUF_V1 = 1, AC_BUF_V2 = 2 } ac_buf_version;

typedef struct ac_ctx ac_ctx;
typedef void (*ac_check_fn)(void);

typedef struct ac_rule {
    const char *id;
    ac_format format;
    ac_scope scope;
    ac_check_fn check;      /* cast to the scope's signature by the dispatcher */
    uint8_t cats[3];        /* protobuf: categories per buf.yaml version */
    ac_severity severity;   /* default severity */
    const char *direction;  /* OpenAPI: "request", "response" or NULL */
    const char *summary;    /* what the rule checks, one line */
    const char *replaced_by; /* deprecated IDs: comma-separated replacements ("" = none) */
    const char *area, *kind; /* OpenAPI: oasdiff's grouping of the check */
    bool known_only;         /* OpenAPI: an oasdiff ID apicompat accepts in configuration but does not detect */
    bool removal;            /* it reports that an element is gone (see ac_rule_is_removal) */
    const char *example;     /* a change it reports; NULL: the summary */
} ac_rule;

/* The rows of the table, in order: protobuf rules first, then OpenAPI checks, then the
 * configuration's own.  The OpenAPI checks emit AC_OAS_<SYMBOL>, so an unknown ID does not compile. */
enum {
#define PROTO_RULE(ID, SCOPE, CHECK, A, B, C, SUMMARY, REMOVAL, EXAMPLE) AC_PBROW_##ID,
#define PROTO_DEPRECATED(ID, REPL, A, B, C, REMOVAL, EXAMPLE) AC_PBROW_##ID,
#define PROTO_INFO(ID, SCOPE, CHECK, A, B, C, SUMMARY, EXAMPLE) AC_PBROW_##ID,
#include "compat/rules/rules_proto.def"
#undef PROTO_INFO
#undef PROTO_RULE
#undef PROTO_DEPRECATED
    AC_NPROTO_RULES
};

typedef enum ac_oas_rule {
#define OAS_RULE(SYM, ID, LEVEL, DIR, AREA, KIND, CHECKED, REMOVAL, SUMMARY, EXAMPLE) AC_OAS_##SYM,
#include "compat/rules/rules_openapi.def"
#undef OAS_RULE
    AC_OAS_NRULES
} ac_oas_rule;

extern const ac_rule ac_rules[];
extern const size_t ac_nrules;

/* The row of an OpenAPI check. */
static inline const ac_rule *ac_oas_rule_get(ac_oas_rule id)
{
    return &ac_rules[AC_NPROTO_RULES + (size_t)id];
}

/* Index of a rule ID (exact match), or -1. */
int ac_rule_find(const char *id);
/* Protobuf category bit for a name ("FILE", ...), or 0. */
int ac_proto_category(const char *name);
const char *ac_proto_category_name(int bit);
/* Whether name is an OpenAPI category: a direction ("request", "response") or an area of the
 * `rules` listing ("Schema", "Parameters", ...; any case). */
bool ac_oas_category(const char *name);
/* Whether OpenAPI check r is in that category. */
bool ac_oas_category_has(const char *name, const ac_rule *r);
/* Whether an OpenAPI check judges how a release is made rather than what clients see: the
 * deprecation, sunset and stability markers (kind "lifecycle") and info.version (area "Info"). */
bool ac_rule_is_process(const ac_rule *r);
/* Whether the rule exists / is on by default under a buf.yaml version. */
bool ac_rule_exists(const ac_rule *r, ac_buf_version v);
bool ac_rule_default(const ac_rule *r, ac_buf_version v);
const char *ac_severity_name(ac_severity s);
/* Whether a rule runs only when the configuration asks for it (named in `use`, or given a severity):
 * api-version-not-bumped, a versioning policy that most specs, whose info.version is not a release
 * number, would trip on every breaking change. */
bool ac_rule_opt_in(const ac_rule *r);
/* Whether a rule reports that an element is gone (FIELD_NO_DELETE, response-property-removed...):
 * only then can a suppression written in the OLD contract apply. */
static inline bool ac_rule_is_removal(const ac_rule *r)
{
    return r->removal;
}
/* An example of a change the rule reports. */
const char *ac_rule_example(const ac_rule *r);
/* "error"/"warning"/"info"/"off" (and ERR/WARN/INFO), or -2 when unknown. */
int ac_severity_parse(const char *s);

#endif
