/* apicompat rules [--format text|json|markdown]: the rule list, from the rule tables. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cmd/commands.h"
#include "cmd/pipeline.h"
#include "compat/compat.h"
#include "proto/proto.h"

static const char *cats_string(char *buf, size_t n, uint8_t cats)
{
    buf[0] = 0;
    if (cats & AC_CAT_NA) return "-";
    size_t w = 0;
    static const int order[] = {AC_CAT_CSR, AC_CAT_FILE, AC_CAT_PACKAGE, AC_CAT_WIRE_JSON, AC_CAT_WIRE, AC_CAT_HTTP, AC_CAT_AIP};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        if (cats & order[i]) w += (size_t)snprintf(buf + w, w < n ? n - w : 0, "%s%s", w ? "," : "", ac_proto_category_name(order[i]));
    return w ? buf : "(none)";
}

static const char *format_name(ac_format f)
{
    return f == AC_FMT_PROTO ? "protobuf" : f == AC_FMT_OPENAPI ? "openapi" : "config";
}

/* The rule sets that select r (protobuf: under buf.yaml v1, the default version) into a JSON array. */
static void rule_sets_json(cJSON *j, const ac_rule *r)
{
    if (r->format == AC_FMT_NONE) return;
    cJSON *l = cJSON_AddArrayToObject(j, "rule_sets");
    for (int s = 0; s < AC_NRULESETS; s++)
        if (ac_rule_set_has((ac_rule_set)s, r, AC_BUF_V1)) cJSON_AddItemToArray(l, cJSON_CreateString(ac_rule_sets[s].name));
    if (ac_rule_set_level(AC_RULESET_STRICT, r) != r->severity)
        cJSON_AddStringToObject(j, "strict_severity", ac_severity_name((ac_severity)ac_rule_set_level(AC_RULESET_STRICT, r)));
}

/* The OpenAPI areas, in the order of the table. */
static size_t oas_areas(const char **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = AC_NPROTO_RULES; i < ac_nrules; i++) {
        const char *a = ac_rules[i].area;
        bool have = !a;
        for (size_t k = 0; k < n && !have; k++) have = !strcmp(out[k], a);
        if (!have && n < cap) out[n++] = a;
    }
    return n;
}

static void rules_json(void)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < ac_nrules; i++) {
        const ac_rule *r = &ac_rules[i];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "id", r->id);
        cJSON_AddStringToObject(j, "format", format_name(r->format));
        cJSON_AddStringToObject(j, "severity", ac_severity_name(r->severity));
        if (r->format == AC_FMT_PROTO) {
            cJSON *c = cJSON_AddObjectToObject(j, "categories");
            const char *vn[] = {"v1beta1", "v1", "v2"};
            for (int v = 0; v < 3; v++) {
                if (r->cats[v] & AC_CAT_NA) continue;
                cJSON *l = cJSON_AddArrayToObject(c, vn[v]);
                for (int bit = 1; bit < AC_CAT_NA; bit <<= 1)
                    if (r->cats[v] & bit) cJSON_AddItemToArray(l, cJSON_CreateString(ac_proto_category_name(bit)));
            }
            cJSON_AddBoolToObject(j, "default", ac_rule_default(r, AC_BUF_V1));
        }
        if (r->format == AC_FMT_OPENAPI) {
            cJSON_AddStringToObject(j, "area", r->area);
            cJSON_AddStringToObject(j, "kind", r->kind);
            cJSON_AddBoolToObject(j, "checked", !r->known_only);
        }
        if (r->direction) cJSON_AddStringToObject(j, "direction", r->direction);
        cJSON_AddStringToObject(j, "summary", r->summary);
        cJSON_AddStringToObject(j, "example", ac_rule_example(r));
        if (r->replaced_by) cJSON_AddStringToObject(j, "replaced_by", r->replaced_by);
        rule_sets_json(j, r);
        cJSON_AddItemToArray(arr, j);
    }
    char *s = cJSON_Print(arr);
    cJSON_Delete(arr);
    if (!s) ac_oom();
    puts(s);
    free(s);
}

static void rules_markdown(void)
{
    char b1[64], b2[64];
    printf("# apicompat rules\n\n## Protobuf\n\nCategories under buf.yaml v1 / v2; rules in FILE are on by default.\n\n"
           "| rule | categories v1 | categories v2 | severity | checks | example |\n|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < ac_nrules; i++) {
        const ac_rule *r = &ac_rules[i];
        if (r->format != AC_FMT_PROTO) continue;
        printf("| `%s` | %s | %s | %s | %s%s%s | %s |\n", r->id, cats_string(b1, sizeof b1, r->cats[AC_BUF_V1]),
               cats_string(b2, sizeof b2, r->cats[AC_BUF_V2]), ac_severity_name(r->severity), r->summary,
               r->replaced_by ? "; replaced by " : "", r->replaced_by ? (*r->replaced_by ? r->replaced_by : "nothing") : "",
               ac_rule_example(r));
    }
    printf("\n## OpenAPI\n\noasdiff's check IDs and default levels. Direction: request = what clients send, "
           "response = what they receive.\n\n| check | level | direction | area | checks | example |\n|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < ac_nrules; i++) {
        const ac_rule *r = &ac_rules[i];
        if (r->format != AC_FMT_OPENAPI) continue;
        printf("| `%s` | %s | %s | %s | %s%s | %s |\n", r->id, ac_severity_name(r->severity),
               r->direction ? r->direction : "-", r->area, r->summary, r->known_only ? " (known, not detected)" : "",
               ac_rule_example(r));
    }
    printf("\n## Configuration\n\n| check | level | checks |\n|---|---|---|\n");
    for (size_t i = 0; i < ac_nrules; i++) {
        const ac_rule *r = &ac_rules[i];
        if (r->format == AC_FMT_NONE)
            printf("| `%s` | %s | %s |\n", r->id, ac_severity_name(r->severity), r->summary);
    }
    printf("\n## Rule sets\n\n`--rule-set SET` or `rules: {rule_set: SET}` in apicompat.yaml: the rules checked before "
           "`use` and `except`.\n\n| rule set | protobuf | OpenAPI |\n|---|---|---|\n");
    for (int k = 0; k < AC_NRULESETS; k++)
        printf("| `%s`%s | %s | %s |\n", ac_rule_sets[k].name, k == AC_RULESET_BACKWARD ? " (default)" : "", ac_rule_sets[k].proto,
               ac_rule_sets[k].openapi);
    const char *areas[32];
    size_t na = oas_areas(areas, 32);
    printf("\n## Categories\n\nFor `use`, `except` and an ignore's `rule`: protobuf `FILE`, `PACKAGE`, `WIRE_JSON`, `WIRE`, "
           "`CSR` (buf v2), apicompat's `HTTP` and `AIP`; OpenAPI the directions `request` and `response` and the areas");
    for (size_t k = 0; k < na; k++) printf("%s`%s`", k ? ", " : " ", areas[k]);
    printf("; `protobuf` and `openapi`: every rule of that format.\n");
}

static void rules_text(void)
{
    char b1[64], b2[64];
    printf("%-52s %-9s %-30s %-34s %s\n", "RULE", "SEVERITY", "CATEGORIES v1 / OPENAPI", "CATEGORIES v2", "CHECKS");
    for (size_t i = 0; i < ac_nrules; i++) {
        const ac_rule *r = &ac_rules[i];
        bool p = r->format == AC_FMT_PROTO;
        if (r->format == AC_FMT_OPENAPI) /* its categories: direction and area */
            snprintf(b1, sizeof b1, "%s%s%s", r->direction ? r->direction : "", r->direction ? "," : "", r->area);
        printf("%-52s %-9s %-30s %-34s %s%s%s\n", r->id, ac_severity_name(r->severity),
               p ? cats_string(b1, sizeof b1, r->cats[AC_BUF_V1]) : r->format == AC_FMT_OPENAPI ? b1 : "-",
               p ? cats_string(b2, sizeof b2, r->cats[AC_BUF_V2]) : "", r->summary, r->replaced_by ? "; replaced by " : "",
               r->replaced_by ? (*r->replaced_by ? r->replaced_by : "nothing") : "");
    }
    printf("\nRULE SETS (--rule-set SET, or rules.rule_set in apicompat.yaml: the rules checked before use and except)\n");
    for (int k = 0; k < AC_NRULESETS; k++)
        printf("%s%s\n  protobuf: %s\n  OpenAPI:  %s\n", ac_rule_sets[k].name, k == AC_RULESET_BACKWARD ? " (default)" : "",
               ac_rule_sets[k].proto, ac_rule_sets[k].openapi);
    const char *areas[32];
    size_t na = oas_areas(areas, 32);
    printf("\nCATEGORIES (use, except, an ignore's rule)\n  protobuf: FILE, PACKAGE, WIRE_JSON, WIRE, CSR (buf v2); HTTP, AIP "
           "(apicompat's: Google API annotations, protovalidate)\n"
           "  OpenAPI:  request, response (direction);");
    for (size_t k = 0; k < na; k++) printf("%s%s", k ? ", " : " ", areas[k]);
    printf(" (area; any case)\n  protobuf, openapi: every rule of that format\n");
}

int ac_cmd_rules(options *o, ac_status *st)
{
    if (o->format == FMT_JSON) rules_json();
    else if (o->format == FMT_MARKDOWN) rules_markdown();
    else rules_text();
    return ac_stdout_done(0, "the rule list", st);
}
