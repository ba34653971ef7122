#include "compat/rules/rules.h"

#include <string.h>
#include <strings.h>

#include "compat/rules/check.h"

#include <pthread.h>

/* Check function declarations, generated from the same rows, typed by scope. */
#define DECL_GLOBAL(fn) void ac_pbcheck_##fn(ac_ctx *);
#define DECL_FILE(fn) void ac_pbcheck_##fn(ac_ctx *, ac_pb_file *, ac_pb_file *);
#define DECL_MESSAGE(fn) void ac_pbcheck_##fn(ac_ctx *, ac_pb_msg *, ac_pb_msg *);
#define DECL_FIELD(fn) void ac_pbcheck_##fn(ac_ctx *, ac_pb_field *, ac_pb_field *);
#define DECL_ENUM(fn) void ac_pbcheck_##fn(ac_ctx *, ac_pb_enum *, ac_pb_enum *);
#define DECL_ENUM_NUMBER(fn) void ac_pbcheck_##fn(ac_ctx *, const ac_enum_group *, const ac_enum_group *);
#define DECL_SERVICE(fn) void ac_pbcheck_##fn(ac_ctx *, ac_pb_service *, ac_pb_service *);
#define DECL_METHOD(fn) void ac_pbcheck_##fn(ac_ctx *, ac_pb_method *, ac_pb_method *);
#define PROTO_RULE(ID, SCOPE, CHECK, A, B, C, SUMMARY, REMOVAL, EXAMPLE) DECL_##SCOPE(CHECK)
#define PROTO_DEPRECATED(ID, REPL, A, B, C, REMOVAL, EXAMPLE)
#define PROTO_INFO(ID, SCOPE, CHECK, A, B, C, SUMMARY, EXAMPLE) DECL_##SCOPE(CHECK)
#include "compat/rules/rules_proto.def"
#undef PROTO_INFO
#undef PROTO_RULE
#undef PROTO_DEPRECATED

#define FILE AC_CAT_FILE
#define PACKAGE AC_CAT_PACKAGE
#define WIRE_JSON AC_CAT_WIRE_JSON
#define WIRE AC_CAT_WIRE
#define CSR AC_CAT_CSR
#define HTTP AC_CAT_HTTP
#define AIP AC_CAT_AIP
#define NA AC_CAT_NA

const ac_rule ac_rules[] = {
#define PROTO_RULE(ID, SCOPE, CHECK, A, B, C, SUMMARY, REMOVAL, EXAMPLE) \
    [AC_PBROW_##ID] = {#ID, AC_FMT_PROTO, AC_SCOPE_##SCOPE, (ac_check_fn)ac_pbcheck_##CHECK, {A, B, C}, AC_SEV_ERROR, \
                       NULL, SUMMARY, NULL, NULL, NULL, false, REMOVAL, EXAMPLE},
#define PROTO_DEPRECATED(ID, REPL, A, B, C, REMOVAL, EXAMPLE) \
    [AC_PBROW_##ID] = {#ID, AC_FMT_PROTO, AC_SCOPE_GLOBAL, NULL, {A, B, C}, AC_SEV_ERROR, NULL, \
                       "deprecated; does nothing by itself", REPL, NULL, NULL, false, REMOVAL, EXAMPLE},
#define PROTO_INFO(ID, SCOPE, CHECK, A, B, C, SUMMARY, EXAMPLE) \
    [AC_PBROW_##ID] = {#ID, AC_FMT_PROTO, AC_SCOPE_##SCOPE, (ac_check_fn)ac_pbcheck_##CHECK, {A, B, C}, AC_SEV_INFO, \
                       NULL, SUMMARY, NULL, NULL, NULL, false, false, EXAMPLE},
#include "compat/rules/rules_proto.def"
#undef PROTO_INFO
#undef PROTO_RULE
#undef PROTO_DEPRECATED
#define ERR AC_SEV_ERROR
#define WARN AC_SEV_WARN
#define INFO AC_SEV_INFO
#define REQ "request"
#define RESP "response"
#define NONE NULL
#define OAS_RULE(SYM, ID, LEVEL, DIR, AREA, KIND, CHECKED, REMOVAL, SUMMARY, EXAMPLE) \
    [AC_NPROTO_RULES + AC_OAS_##SYM] = {ID, AC_FMT_OPENAPI, AC_SCOPE_OPENAPI, NULL, {0, 0, 0}, LEVEL, DIR, SUMMARY, NULL, \
                                        AREA, KIND, !(CHECKED), REMOVAL, EXAMPLE},
#include "compat/rules/rules_openapi.def"
#undef OAS_RULE
    /* about the configuration itself */
    {"apicompat-ignore-expired", AC_FMT_NONE, AC_SCOPE_GLOBAL, NULL, {0, 0, 0}, AC_SEV_WARN, NULL,
     "an ignore's until date has passed: it no longer suppresses anything", NULL, NULL, NULL, false, false,
     "ignore with until: 2024-01-31, run on 2024-02-01"},
    {"apicompat-ignore-unused", AC_FMT_NONE, AC_SCOPE_GLOBAL, NULL, {0, 0, 0}, AC_SEV_WARN, NULL,
     "an ignore matched no finding", NULL, NULL, NULL, false, false, "ignore whose rule and path match no finding"},
    {"apicompat-config-loosened", AC_FMT_NONE, AC_SCOPE_GLOBAL, NULL, {0, 0, 0}, AC_SEV_WARN, NULL,
     "the change's apicompat.yaml loosens the base revision's (new ignores, lower severities, rules off, a "
     "lower fail_on)", NULL, NULL, NULL, false, false, "a pull request adds ignore: [{path: \"**\", reason: x}]"},
#undef ERR
#undef WARN
#undef INFO
#undef REQ
#undef RESP
#undef NONE
};

#undef FILE
#undef PACKAGE
#undef WIRE_JSON
#undef WIRE
#undef CSR
#undef HTTP
#undef AIP
#undef NA

const size_t ac_nrules = sizeof ac_rules / sizeof ac_rules[0];

/* Findings look their rule up by ID, from any thread (the protobuf loaders run two at once and
 * read inline ignores): the index is built exactly once, and only read after that. */
static ac_strmap rule_index;
static pthread_once_t rule_index_once = PTHREAD_ONCE_INIT;

static void build_rule_index(void)
{
    ac_strmap_init(&rule_index);
    for (size_t i = 0; i < ac_nrules; i++) ac_strmap_add(&rule_index, ac_rules[i].id, (void *)(uintptr_t)(i + 1));
}

int ac_rule_find(const char *id)
{
    pthread_once(&rule_index_once, build_rule_index);
    return (int)(uintptr_t)ac_strmap_get(&rule_index, id) - 1;
}

static const struct {
    const char *name;
    int bit;
} categories[] = {
    {"FILE", AC_CAT_FILE}, {"PACKAGE", AC_CAT_PACKAGE}, {"WIRE_JSON", AC_CAT_WIRE_JSON},
    {"WIRE", AC_CAT_WIRE}, {"CSR", AC_CAT_CSR}, {"HTTP", AC_CAT_HTTP}, {"AIP", AC_CAT_AIP},
};

int ac_proto_category(const char *name)
{
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
        if (strcmp(categories[i].name, name) == 0) return categories[i].bit;
    return 0;
}

const char *ac_proto_category_name(int bit)
{
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
        if (categories[i].bit == bit) return categories[i].name;
    return "?";
}

bool ac_oas_category_has(const char *name, const ac_rule *r)
{
    if (r->format != AC_FMT_OPENAPI) return false;
    if (r->direction && !strcmp(name, r->direction)) return true;
    return r->area && !strcasecmp(name, r->area);
}

bool ac_oas_category(const char *name)
{
    for (size_t i = AC_NPROTO_RULES; i < ac_nrules; i++)
        if (ac_oas_category_has(name, &ac_rules[i])) return true;
    return false;
}

bool ac_rule_is_process(const ac_rule *r)
{
    return r->format == AC_FMT_OPENAPI && (!strcmp(r->kind, "lifecycle") || !strcmp(r->area, "Info"));
}

bool ac_rule_exists(const ac_rule *r, ac_buf_version v)
{
    return r->format == AC_FMT_PROTO && !(r->cats[v] & AC_CAT_NA);
}

bool ac_rule_default(const ac_rule *r, ac_buf_version v)
{
    return ac_rule_exists(r, v) && !r->replaced_by && (r->cats[v] & (AC_CAT_FILE | AC_CAT_HTTP | AC_CAT_AIP));
}

const char *ac_severity_name(ac_severity s)
{
    switch (s) {
    case AC_SEV_ERROR: return "error";
    case AC_SEV_WARN: return "warning";
    case AC_SEV_INFO: return "info";
    case AC_SEV_OFF: return "off";
    }
    return "?";
}

int ac_severity_parse(const char *s)
{
    if (!strcasecmp(s, "error") || !strcasecmp(s, "err")) return AC_SEV_ERROR;
    if (!strcasecmp(s, "warning") || !strcasecmp(s, "warn")) return AC_SEV_WARN;
    if (!strcasecmp(s, "info")) return AC_SEV_INFO;
    if (!strcasecmp(s, "off") || !strcasecmp(s, "none")) return AC_SEV_OFF;
    return -2;
}

bool ac_rule_opt_in(const ac_rule *r)
{
    return r == ac_oas_rule_get(AC_OAS_API_VERSION_NOT_BUMPED);
}

const char *ac_rule_example(const ac_rule *r)
{
    return r->example ? r->example : r->summary;
}
