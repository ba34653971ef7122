/* One example per rule, for `apicompat rules`: a change the rule reports.  Protobuf examples are
 * written out; OpenAPI examples are composed from the check ID's parts (where, what, how). */
#include <stdio.h>
#include <string.h>

#include "compat/rules/rules.h"

static const struct {
    const char *id, *example;
} proto_examples[] = {
    {"ENUM_NO_DELETE", "enum Color { ... } removed from color.proto"},
    {"ENUM_SAME_JSON_FORMAT", "option features.json_format = LEGACY_BEST_EFFORT; added to an enum that allowed JSON"},
    {"ENUM_SAME_TYPE", "option features.enum_type = CLOSED; on an open enum"},
    {"ENUM_VALUE_NO_DELETE", "COLOR_BLUE = 2; removed from enum Color"},
    {"ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", "COLOR_BLUE = 2; removed without reserved \"COLOR_BLUE\";"},
    {"ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", "COLOR_BLUE = 2; removed without reserved 2;"},
    {"ENUM_VALUE_SAME_NAME", "COLOR_RED = 1; becomes COLOR_CRIMSON = 1;"},
    {"EXTENSION_MESSAGE_NO_DELETE", "extensions 100 to 199; becomes extensions 100 to 149;"},
    {"EXTENSION_NO_DELETE", "extend Base { string tag = 100; } removed from the file"},
    {"FIELD_NO_DELETE", "string email = 2; removed from message User"},
    {"FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "string email = 2; removed without reserved \"email\";"},
    {"FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "string email = 2; removed without reserved 2;"},
    {"FIELD_SAME_CARDINALITY", "optional int32 age = 3; becomes int32 age = 3; (explicit to implicit presence)"},
    {"FIELD_SAME_CPP_STRING_TYPE", "string blob = 4; becomes string blob = 4 [ctype = CORD];"},
    {"FIELD_SAME_DEFAULT", "int32 page_size = 1 [default = 10]; becomes [default = 20]"},
    {"FIELD_SAME_JAVA_UTF8_VALIDATION", "option java_string_check_utf8 = true; added to a proto2 file"},
    {"FIELD_SAME_JSON_NAME", "string name = 1; becomes string name = 1 [json_name = \"fullName\"];"},
    {"FIELD_SAME_JSTYPE", "int64 id = 1; becomes int64 id = 1 [jstype = JS_STRING];"},
    {"FIELD_SAME_NAME", "string name = 1; becomes string full_name = 1;"},
    {"FIELD_SAME_ONEOF", "string phone = 5; moved out of oneof contact"},
    {"FIELD_SAME_TYPE", "int32 age = 3; becomes int64 age = 3;"},
    {"FIELD_SAME_UTF8_VALIDATION", "option features.utf8_validation = NONE; on a string field that verified UTF-8"},
    {"FIELD_WIRE_COMPATIBLE_CARDINALITY", "string tag = 1; becomes repeated string tag = 1;"},
    {"FIELD_WIRE_COMPATIBLE_TYPE", "int32 count = 1; becomes sint32 count = 1;"},
    {"FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", "map<string, int32> m = 1; becomes repeated MEntry m = 1;"},
    {"FIELD_WIRE_JSON_COMPATIBLE_TYPE", "int32 count = 1; becomes int64 count = 1; (JSON writes int64 as a string)"},
    {"FILE_NO_DELETE", "user.proto deleted"},
    {"FILE_SAME_CC_ENABLE_ARENAS", "option cc_enable_arenas = false; added"},
    {"FILE_SAME_CC_GENERIC_SERVICES", "option cc_generic_services = true; added"},
    {"FILE_SAME_CSHARP_NAMESPACE", "option csharp_namespace = \"Acme.V1\"; becomes \"Acme.Api.V1\""},
    {"FILE_SAME_GO_PACKAGE", "option go_package = \"acme/v1;acmev1\"; becomes \"acme/api/v1;acmev1\""},
    {"FILE_SAME_JAVA_GENERIC_SERVICES", "option java_generic_services = true; added"},
    {"FILE_SAME_JAVA_MULTIPLE_FILES", "option java_multiple_files = true; removed"},
    {"FILE_SAME_JAVA_OUTER_CLASSNAME", "option java_outer_classname = \"UserProto\"; becomes \"Users\""},
    {"FILE_SAME_JAVA_PACKAGE", "option java_package = \"com.acme.v1\"; becomes \"com.acme.api.v1\""},
    {"FILE_SAME_OBJC_CLASS_PREFIX", "option objc_class_prefix = \"AV\"; becomes \"ACV\""},
    {"FILE_SAME_OPTIMIZE_FOR", "option optimize_for = LITE_RUNTIME; added"},
    {"FILE_SAME_PACKAGE", "package acme.v1; becomes package acme.api.v1;"},
    {"FILE_SAME_PHP_CLASS_PREFIX", "option php_class_prefix = \"Acme\"; added"},
    {"FILE_SAME_PHP_METADATA_NAMESPACE", "option php_metadata_namespace = \"Acme\\\\Meta\"; changed"},
    {"FILE_SAME_PHP_NAMESPACE", "option php_namespace = \"Acme\\\\V1\"; changed"},
    {"FILE_SAME_PY_GENERIC_SERVICES", "option py_generic_services = true; added"},
    {"FILE_SAME_RUBY_PACKAGE", "option ruby_package = \"Acme::V1\"; changed"},
    {"FILE_SAME_SWIFT_PREFIX", "option swift_prefix = \"AV\"; changed"},
    {"FILE_SAME_SYNTAX", "syntax = \"proto2\"; becomes syntax = \"proto3\";"},
    {"MESSAGE_NO_DELETE", "message Address { ... } removed from user.proto"},
    {"MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR", "option no_standard_descriptor_accessor = true; added"},
    {"MESSAGE_SAME_JSON_FORMAT", "option features.json_format = LEGACY_BEST_EFFORT; on a message that allowed JSON"},
    {"MESSAGE_SAME_REQUIRED_FIELDS", "required string id = 1; added to a proto2 message"},
    {"ONEOF_NO_DELETE", "oneof contact { ... } removed; its fields stay"},
    {"PACKAGE_ENUM_NO_DELETE", "enum Color removed from package acme.v1 (not just moved to another file)"},
    {"PACKAGE_EXTENSION_NO_DELETE", "extension acme.v1.tag removed from its package"},
    {"PACKAGE_MESSAGE_NO_DELETE", "message User removed from package acme.v1 (not just moved to another file)"},
    {"PACKAGE_NO_DELETE", "every file of package acme.v1 removed"},
    {"PACKAGE_SERVICE_NO_DELETE", "service Users removed from package acme.v1"},
    {"RESERVED_ENUM_NO_DELETE", "reserved 5 to 10; becomes reserved 5 to 7; in an enum"},
    {"RESERVED_MESSAGE_NO_DELETE", "reserved \"legacy\"; removed from a message"},
    {"RPC_NO_DELETE", "rpc Delete(User) returns (User); removed from service Users"},
    {"RPC_SAME_CLIENT_STREAMING", "rpc Upload(Chunk) becomes rpc Upload(stream Chunk)"},
    {"RPC_SAME_IDEMPOTENCY_LEVEL", "option idempotency_level = NO_SIDE_EFFECTS; added to an RPC"},
    {"RPC_SAME_REQUEST_TYPE", "rpc Get(GetUserRequest) becomes rpc Get(UserQuery)"},
    {"RPC_SAME_RESPONSE_TYPE", "returns (User) becomes returns (UserView)"},
    {"RPC_SAME_SERVER_STREAMING", "returns (User) becomes returns (stream User)"},
    {"SERVICE_NO_DELETE", "service Users { ... } removed from user.proto"},
    {"FIELD_SAME_CTYPE", "(deprecated: use FIELD_SAME_CPP_STRING_TYPE)"},
    {"FIELD_SAME_LABEL", "(deprecated: use the cardinality rules)"},
    {"FILE_SAME_JAVA_STRING_CHECK_UTF8", "(deprecated: use FIELD_SAME_JAVA_UTF8_VALIDATION)"},
    {"FILE_SAME_PHP_GENERIC_SERVICES", "(deprecated: no longer checked)"},
    {"MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT", "(deprecated: no longer checked)"},
    {"apicompat-ignore-expired", "ignore with until: 2024-01-31, run on 2024-02-01"},
    {"apicompat-ignore-unused", "ignore whose rule and path match no finding"},
};

/* OpenAPI: where the change is ... */
static const struct {
    const char *prefix, *where;
} places[] = {
    {"request-parameter-property-", "a property of a request parameter"},
    {"request-header-property-", "a property of a request header"},
    {"request-read-only-property-", "a readOnly property in a request"},
    {"request-property-", "a request body property (`Pet.name`)"},
    {"request-parameter-", "a request parameter (`limit`)"},
    {"request-body-", "the request body schema"},
    {"response-write-only-property-", "a writeOnly property in a response"},
    {"response-property-", "a response body property (`Pet.name`)"},
    {"response-body-", "the response body schema"},
    {"response-header-", "a response header"},
};

/* ... and what happened to it. */
static const struct {
    const char *suffix, *what;
} changes[] = {
    {"max-length-decreased", "maxLength 50 -> 30"}, {"max-length-increased", "maxLength 30 -> 50"},
    {"max-length-set", "maxLength none -> 50"},     {"max-length-unset", "maxLength 50 -> none"},
    {"min-length-increased", "minLength 1 -> 3"},   {"min-length-decreased", "minLength 3 -> 1"},
    {"min-length-set", "minLength none -> 1"},      {"max-items-decreased", "maxItems 100 -> 10"},
    {"max-items-increased", "maxItems 10 -> 100"},  {"min-items-increased", "minItems 0 -> 1"},
    {"min-items-decreased", "minItems 1 -> 0"},     {"min-items-set", "minItems none -> 1"},
    {"min-items-unset", "minItems 1 -> none"},      {"exclusive-max-decreased", "exclusiveMaximum 100 -> 50"},
    {"exclusive-max-increased", "exclusiveMaximum 50 -> 100"}, {"exclusive-max-set", "exclusiveMaximum none -> 100"},
    {"exclusive-min-increased", "exclusiveMinimum 0 -> 1"}, {"exclusive-min-decreased", "exclusiveMinimum 1 -> 0"},
    {"exclusive-min-set", "exclusiveMinimum none -> 0"}, {"max-decreased", "maximum 100 -> 50"},
    {"max-increased", "maximum 50 -> 100"},         {"max-set", "maximum none -> 100"},
    {"min-increased", "minimum 0 -> 1"},            {"min-decreased", "minimum 1 -> 0"},
    {"min-set", "minimum none -> 0"},               {"max-contains-decreased", "maxContains 5 -> 2"},
    {"max-contains-increased", "maxContains 2 -> 5"}, {"min-contains-increased", "minContains 1 -> 2"},
    {"min-contains-decreased", "minContains 2 -> 1"}, {"pattern-added", "pattern none -> \"^[a-z]+$\""},
    {"pattern-removed", "pattern \"^[a-z]+$\" -> none"}, {"pattern-changed", "pattern \"^[a-z]+$\" -> \"^[a-z0-9]+$\""},
    {"pattern-generalized", "pattern \"^[a-z]+$\" -> \".*\""}, {"enum-value-removed", "enum [a, b, c] -> [a, b]"},
    {"enum-value-added", "enum [a, b] -> [a, b, c]"}, {"x-extensible-enum-value-removed", "x-extensible-enum [a, b] -> [a]"},
    {"became-enum", "no enum -> enum [a, b]"},      {"became-nullable", "nullable: true added"},
    {"became-not-nullable", "nullable: true removed"}, {"became-required-with-default", "added to required, with a default"},
    {"became-required", "added to required"},       {"became-optional", "removed from required"},
    {"type-changed", "type string -> integer"},     {"type-generalized", "type integer -> number"},
    {"type-specialized", "type number -> integer"}, {"type-compatible", "format int32 -> int64"},
    {"list-of-types-narrowed", "type [string, integer] -> [string]"},
    {"list-of-types-widened", "type [string] -> [string, integer]"}, {"const-added", "const none -> \"v1\""},
    {"const-changed", "const \"v1\" -> \"v2\""},    {"const-removed", "const \"v1\" -> none"},
    {"default-value-added", "default none -> 10"},  {"default-value-changed", "default 10 -> 20"},
    {"default-value-removed", "default 10 -> none"}, {"one-of-added", "a oneOf branch added"},
    {"one-of-removed", "a oneOf branch removed"},   {"any-of-added", "an anyOf branch added"},
    {"any-of-removed", "an anyOf branch removed"},  {"all-of-added-annotation-only", "an allOf member with only a description added"},
    {"all-of-removed-annotation-only", "an allOf member with only a description removed"},
    {"all-of-added", "an allOf member adding a required property"}, {"all-of-removed", "an allOf member removed"},
    {"wrapped-in-one-of", "schema S becomes oneOf [S, T]"}, {"discriminator-added", "discriminator added"},
    {"discriminator-removed", "discriminator removed"}, {"discriminator-property-name-changed", "discriminator kind -> type"},
    {"discriminator-mapping-added", "discriminator mapping cat added"}, {"discriminator-mapping-deleted", "discriminator mapping cat removed"},
    {"discriminator-mapping-changed", "discriminator mapping cat -> Feline"}, {"removed", "property removed"},
    {"deprecated-with-sunset", "deprecated: true with x-sunset: 2027-01-01"}, {"deprecated", "deprecated: true added"},
    {"reactivated", "deprecated: true removed"},    {"stability-decreased", "x-stability-level stable -> beta"},
    {"stability-increased", "x-stability-level beta -> stable"}, {"content-encoding-changed", "contentEncoding base64 -> base32"},
    {"content-media-type-changed", "contentMediaType image/png -> image/jpeg"},
};

static const struct {
    const char *id, *example;
} oas_whole[] = {
    {"api-removed-without-deprecation", "DELETE /pets/{id} removed while other methods of the path stay"},
    {"api-path-removed-without-deprecation", "every operation of /pets/{id} removed"},
    {"api-removed-with-deprecation", "a deprecated operation removed"},
    {"endpoint-added", "POST /pets/{id}/adopt added"},
    {"new-required-request-parameter", "query parameter tag (required: true) added"},
    {"new-optional-request-parameter", "query parameter tag added"},
    {"new-required-request-property", "required property owner added to a request body"},
    {"new-optional-request-property", "optional property nickname added to a request body"},
    {"response-success-status-removed", "response 200 removed"},
    {"request-body-added-required", "requestBody (required: true) added"},
    {"request-body-media-type-removed", "request content application/xml removed"},
    {"response-media-type-removed", "response content application/xml removed"},
    {"required-response-header-removed", "response header X-Rate-Limit (required) removed"},
    {"response-required-property-removed", "required property id removed from a response"},
    {"response-optional-property-removed", "optional property nickname removed from a response"},
};

const char *ac_rule_example(const ac_rule *r, char *buf, size_t n)
{
    for (size_t i = 0; i < sizeof proto_examples / sizeof proto_examples[0]; i++)
        if (!strcmp(proto_examples[i].id, r->id)) return proto_examples[i].example;
    for (size_t i = 0; i < sizeof oas_whole / sizeof oas_whole[0]; i++)
        if (!strcmp(oas_whole[i].id, r->id)) return oas_whole[i].example;
    if (r->format != AC_FMT_OPENAPI) return "";
    for (size_t p = 0; p < sizeof places / sizeof places[0]; p++) {
        size_t pl = strlen(places[p].prefix);
        if (strncmp(r->id, places[p].prefix, pl)) continue;
        const char *rest = r->id + pl;
        for (size_t c = 0; c < sizeof changes / sizeof changes[0]; c++)
            if (!strcmp(rest, changes[c].suffix)) {
                snprintf(buf, n, "%s: %s", places[p].where, changes[c].what);
                return buf;
            }
    }
    /* otherwise the summary says it best */
    snprintf(buf, n, "%s", r->summary);
    return buf;
}
