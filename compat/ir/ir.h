/* The contract IR: one model for protobuf and OpenAPI contracts.
 *
 * Loaders (proto/, openapi/) build it; the diff engine and the rules only read it.  Everything a
 * contract holds lives in its arena.  Struct bodies are public on purpose: the IR is the interface
 * between the loaders and the checker, and the rules read its fields directly.  Locations are
 * 1-based and converted once, by the loader. */
#ifndef AC_IR_H
#define AC_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compat/base/arena.h"
#include "compat/base/map.h"
#include "compat/base/status.h"

typedef enum { AC_FMT_NONE = 0, AC_FMT_PROTO = 1, AC_FMT_OPENAPI = 2 } ac_format;

struct ac_contract;

/* ---- protobuf ---------------------------------------------------------------------------- */

typedef enum { AC_SYNTAX_PROTO2 = 0, AC_SYNTAX_PROTO3 = 1, AC_SYNTAX_EDITIONS = 2 } ac_pb_syntax;

/* Editions features, resolved for each element (file defaults, then each enclosing scope).  Values
 * are those of google.protobuf.FeatureSet and its pb.cpp / pb.java extensions. */
typedef struct ac_pb_features {
    uint8_t field_presence;    /* 1 explicit, 2 implicit, 3 legacy required */
    uint8_t enum_type;         /* 1 open, 2 closed */
    uint8_t repeated_encoding; /* 1 packed, 2 expanded */
    uint8_t utf8_validation;   /* 2 verify, 3 none */
    uint8_t message_encoding;  /* 1 length-prefixed, 2 delimited */
    uint8_t json_format;       /* 1 allow, 2 legacy best effort */
    uint8_t cpp_string_type;   /* 1 view, 2 cord, 3 string */
    uint8_t java_utf8;         /* 1 default, 2 verify */
} ac_pb_features;

/* A path into a FileDescriptorProto, as SourceCodeInfo uses them. */
typedef struct ac_path {
    const int32_t *v;
    uint32_t n;
} ac_path;

/* Inclusive tag range. */
typedef struct ac_range {
    int64_t start, end;
} ac_range;

/* ---- Google's API annotations and protovalidate rules (read from the options by proto/) ----- */

/* One HTTP binding of an RPC (google.api.HttpRule): the rule itself, or one of its
 * additional_bindings. */
typedef struct ac_pb_http {
    const char *verb; /* "get", "put", "post", "delete", "patch", or a custom pattern's kind as written */
    const char *path; /* the path template as written ("/v1/{name}:cancel") */
    const char *body; /* "" (no body), "*" or a field path of the request */
    const char *response_body; /* "" (the whole response) or a field path of the response */
    const char *match; /* what the template matches: segments with variable names dropped (NULL: malformed) */
    uint32_t index; /* 0: the rule; 1..: additional_bindings[index - 1] */
} ac_pb_http;

/* google.api.FieldBehavior values as bits (1u << value) */
enum {
    AC_FB_OPTIONAL = 1u << 1, AC_FB_REQUIRED = 1u << 2, AC_FB_OUTPUT_ONLY = 1u << 3, AC_FB_INPUT_ONLY = 1u << 4,
    AC_FB_IMMUTABLE = 1u << 5, AC_FB_UNORDERED_LIST = 1u << 6, AC_FB_NON_EMPTY_DEFAULT = 1u << 7,
    AC_FB_IDENTIFIER = 1u << 8,
};

/* The protovalidate rules (buf.validate.field) that constrain which values a field accepts, by
 * direction: string and bytes lengths, patterns, numeric bounds, item counts, allowed values. */
typedef struct ac_pb_validate {
    bool required;
    int64_t min_len, max_len, min_items, max_items; /* -1: unset (len and bytes lengths count as both) */
    const char *pattern;                            /* NULL: none */
    bool has_gt, has_gte, has_lt, has_lte;
    double gt, gte, lt, lte;
    const char **in; /* string or number values as text, for `in` */
    uint32_t nin;
    bool has_in, defined_only;
} ac_pb_validate;

typedef struct ac_pb_file ac_pb_file;
typedef struct ac_pb_msg ac_pb_msg;
typedef struct ac_pb_field ac_pb_field;
typedef struct ac_pb_oneof ac_pb_oneof;
typedef struct ac_pb_enum ac_pb_enum;
typedef struct ac_pb_enum_value ac_pb_enum_value;
typedef struct ac_pb_service ac_pb_service;
typedef struct ac_pb_method ac_pb_method;

/* FileOptions.OptimizeMode and MethodOptions.IdempotencyLevel, with descriptor.proto's numbers */
typedef enum { AC_PB_SPEED = 1, AC_PB_CODE_SIZE = 2, AC_PB_LITE_RUNTIME = 3 } ac_pb_optimize;
typedef enum { AC_PB_IDEMPOTENCY_UNKNOWN = 0, AC_PB_NO_SIDE_EFFECTS = 1, AC_PB_IDEMPOTENT = 2 } ac_pb_idempotency;

typedef struct ac_srcloc {
    const int32_t *path;
    uint32_t path_len;
    uint32_t line, col, end_line, end_col; /* 1-based, end column exclusive */
} ac_srcloc;

/* An inline suppression written in the contract (`// apicompat:ignore RULE reason` in a .proto
 * comment): it covers findings of that rule located inside the commented element. */
typedef struct ac_inline_ignore {
    uint32_t line, col, end_line, end_col;
    const char *rule, *reason;
} ac_inline_ignore;

struct ac_pb_file {
    const char *name;    /* import path: identity of the file */
    const char *display; /* path as the user opens it */
    const char *module;  /* module directory relative to the config root ("" if none) */
    const char *package;
    ac_pb_syntax syntax;
    int32_t edition; /* google.protobuf.Edition */
    bool is_import;

    struct {
        const char *java_package, *java_outer_classname, *go_package, *objc_class_prefix,
            *csharp_namespace, *swift_prefix, *php_class_prefix, *php_namespace,
            *php_metadata_namespace, *ruby_package;
        bool java_multiple_files, java_string_check_utf8, has_java_string_check_utf8;
        bool cc_generic_services, java_generic_services, py_generic_services, cc_enable_arenas;
        ac_pb_optimize optimize_for;
    } opt;
    ac_pb_features features;

    ac_pb_msg **msgs; /* every message, nested ones included, in declaration order */
    size_t nmsgs;
    ac_pb_enum **enums; /* every enum, nested ones included */
    size_t nenums;
    ac_pb_service **services;
    size_t nservices;
    ac_pb_field **exts; /* every extension declared in the file, nested scopes included */
    size_t nexts;

    ac_srcloc *locs; /* SourceCodeInfo, converted (on first lookup: see load_locs) */
    size_t nlocs;
    bool has_srcinfo;
    /* converts the file's SourceCodeInfo into locs when a location is first asked for: most files
     * of a large set never need one (the loader keeps the bytes) */
    void (*load_locs)(struct ac_pb_file *f);
    ac_inline_ignore *inlines;
    size_t ninlines;
    /* the FileDescriptorProto as it was read (source info included); it lives as long as the
     * contract (what a suite's copy of the contract is written from) */
    const uint8_t *descriptor;
    size_t descriptor_len;
    struct ac_pb_loader_file *loader; /* the loader's own state for the file (opaque here) */
    struct ac_pb_loc_cache *loc_cache; /* ac_pb_locate's index and map-entry aliases (compat/ir/ir.c) */
};

struct ac_pb_msg {
    const char *name, *full_name, *nested_name; /* nested_name: relative to the package */
    ac_pb_file *file;
    ac_pb_msg *parent;
    ac_path path;
    ac_pb_field **fields;
    size_t nfields;
    ac_pb_oneof **oneofs;
    size_t noneofs;
    ac_range *reserved;
    size_t nreserved;
    const char **reserved_names;
    size_t nreserved_names;
    ac_range *ext_ranges;
    size_t next_ranges;
    bool map_entry, message_set_wire_format, no_standard_descriptor_accessor;
    bool deprecated;
    ac_pb_features features;
    /* google.api.resource: NULL type when the message is not a resource */
    const char *resource_type;
    const char **resource_patterns;
    uint32_t nresource_patterns;
};

enum { AC_PB_LABEL_OPTIONAL = 1, AC_PB_LABEL_REQUIRED = 2, AC_PB_LABEL_REPEATED = 3 };
/* google.protobuf.FieldDescriptorProto.Type */
enum {
    AC_PB_DOUBLE = 1, AC_PB_FLOAT, AC_PB_INT64, AC_PB_UINT64, AC_PB_INT32, AC_PB_FIXED64,
    AC_PB_FIXED32, AC_PB_BOOL, AC_PB_STRING, AC_PB_GROUP, AC_PB_MESSAGE, AC_PB_BYTES,
    AC_PB_UINT32, AC_PB_ENUM, AC_PB_SFIXED32, AC_PB_SFIXED64, AC_PB_SINT32, AC_PB_SINT64
};
/* How a field repeats and tracks presence (what buf calls cardinality). */
typedef enum {
    AC_CARD_OPTIONAL_EXPLICIT = 1,
    AC_CARD_OPTIONAL_IMPLICIT,
    AC_CARD_REQUIRED,
    AC_CARD_REPEATED,
    AC_CARD_MAP
} ac_pb_cardinality;

struct ac_pb_field {
    const char *name, *full_name;
    const char *json_name; /* declared or derived */
    bool has_json_name;
    int32_t number;
    int label, type;
    int kind;              /* type, with delimited-encoded messages as AC_PB_GROUP */
    const char *type_name; /* fully qualified, no leading dot; NULL for scalars */
    const char *extendee;  /* extensions only: fully qualified, no leading dot */
    const char *default_value;
    bool has_default;
    bool proto3_optional;
    int ctype, jstype;
    bool has_ctype;
    ac_pb_oneof *oneof;
    ac_pb_msg *parent; /* containing message; for extensions the scope message or NULL */
    ac_pb_file *file;
    ac_path path;
    ac_pb_features features;
    /* resolved when the contract is linked */
    ac_pb_msg *msg_type;
    ac_pb_enum *enum_type;
    ac_pb_cardinality cardinality;
    bool deprecated;
    bool packed; /* a repeated scalar written packed (the packed option, else the repeated_field_encoding feature) */
    uint32_t behavior; /* google.api.field_behavior: AC_FB_* bits */
    const char *ref_type, *ref_child_type; /* google.api.resource_reference (NULL: none) */
    int32_t info_format; /* google.api.field_info.format (0: unspecified) */
    const ac_pb_validate *validate; /* buf.validate.field, or NULL */
};

struct ac_pb_oneof {
    const char *name;
    ac_pb_msg *msg;
    int index;
    bool synthetic; /* proto3 optional */
    ac_path path;
};

struct ac_pb_enum {
    const char *name, *full_name, *nested_name;
    ac_pb_file *file;
    ac_pb_msg *parent;
    ac_path path;
    ac_pb_enum_value **values;
    size_t nvalues;
    ac_range *reserved;
    size_t nreserved;
    const char **reserved_names;
    size_t nreserved_names;
    bool allow_alias;
    bool closed;
    bool deprecated;
    ac_pb_features features;
};

struct ac_pb_enum_value {
    const char *name;
    int32_t number;
    ac_pb_enum *parent;
    ac_path path;
    bool deprecated;
};

struct ac_pb_service {
    const char *name, *full_name;
    ac_pb_file *file;
    ac_path path;
    ac_pb_method **methods;
    size_t nmethods;
    bool deprecated;
    const char *default_host, *oauth_scopes; /* google.api.default_host / oauth_scopes, or NULL */
};

struct ac_pb_method {
    const char *name;
    const char *input_type, *output_type; /* fully qualified, no leading dot */
    bool client_streaming, server_streaming;
    ac_pb_idempotency idempotency;
    ac_pb_service *service;
    ac_path path;
    bool deprecated;
    ac_pb_http *http; /* google.api.http: the rule, then its additional bindings (nhttp 0: none) */
    uint32_t nhttp;
    const char **signatures; /* google.api.method_signature, in order */
    uint32_t nsignatures;
    const char *lro_response, *lro_metadata; /* google.longrunning.operation_info, or NULL */
};

/* ---- where an element is written ---------------------------------------------------------- */

/* Where an element is written, opaque to the engine.  Locations are computed from it only when a
 * finding needs one (ac_contract.locate), so checks that find nothing never read source locations.
 * OpenAPI: a node of the loader's document tree; protobuf: an ac_pb_src. */
typedef const void *ac_src;

/* A protobuf element's place: its file and its element path (SourceCodeInfo's).  Located at the
 * element, else at the whole file (1:1). */
typedef struct ac_pb_src {
    ac_pb_file *file;
    ac_path path;
} ac_pb_src;

/* ---- OpenAPI ------------------------------------------------------------------------------ */

enum {
    AC_OT_NULL = 1 << 0,
    AC_OT_BOOLEAN = 1 << 1,
    AC_OT_OBJECT = 1 << 2,
    AC_OT_ARRAY = 1 << 3,
    AC_OT_NUMBER = 1 << 4,
    AC_OT_STRING = 1 << 5,
    AC_OT_INTEGER = 1 << 6,
    /* a type name that is not a JSON Schema type (`type: int`): a type of its own, equal only to
     * the same name (ac_oas_schema_x.unknown_type), that no JSON value has */
    AC_OT_UNKNOWN = 1 << 7,
};

typedef struct ac_oas_schema ac_oas_schema;

typedef struct ac_oas_named {
    const char *name;
    ac_oas_schema *schema;
    ac_src src; /* the key */
} ac_oas_named;

typedef struct ac_oas_strlist {
    const char **v;
    uint32_t n;
} ac_oas_strlist;

typedef struct ac_oas_bound {
    bool set, exclusive;
    double v;
    const char *exact; /* the value as written when v does not hold it (2^53 + 1, 1e400), else NULL */
} ac_oas_bound;

/* The keywords few schemas use, kept apart: a large API has tens of thousands of schemas a side,
 * nearly all of which would carry these fields empty.  ac_oas_schema.x is never NULL: a schema
 * without any of them points at ac_oas_schema_x_none.  Whoever changes one allocates a copy. */
typedef struct ac_oas_schema_x {
    ac_oas_strlist xenums; /* x-extensible-enum */
    const char *konst; /* canonical JSON, or NULL */
    double multiple_of;
    int64_t min_props, max_props, min_contains, max_contains; /* -1: unset */
    ac_oas_schema **prefix_items;
    ac_oas_named *pattern_props;
    ac_oas_schema *not_, *if_, *then_, *else_, *contains, *property_names;
    ac_oas_named *dependent_required; /* schema holds nothing; name's list in dep_lists */
    ac_oas_strlist *dep_lists;
    ac_oas_named *dependent_schemas;
    const char *content_encoding, *content_media_type;
    ac_oas_schema *content_schema;
    const char *discriminator;
    const char *unknown_type; /* with AC_OT_UNKNOWN: the name written (the first, in a list) */
    ac_oas_strlist mapping_keys, mapping_vals;
    uint32_t nprefix, npattern_props, ndependent_required, ndependent_schemas;
    int unevaluated_items, unevaluated_props; /* 0 unset, 1 false, 2 schema */
    bool has_xenum, has_multiple_of, has_discriminator;
    /* for validating instances (compat/validate) */
    ac_oas_schema *unevaluated_items_schema, *unevaluated_props_schema; /* the schema when one is written */
    const char *multiple_of_text; /* multipleOf as written, for exact decimal arithmetic */
    /* a standalone JSON Schema of draft 2019-09 or later: $ref is a keyword beside the others (in
     * OpenAPI documents and older drafts the $ref replaces the schema it is in) */
    ac_oas_schema *ref_target;
    /* $dynamicRef (2020-12) / $recursiveRef (2019-09): the target as resolved statically, and the
     * anchor name that makes it dynamic ("" for $recursiveRef), or NULL when it is a plain $ref */
    ac_oas_schema *dynamic_ref;
    const char *dynamic_name;
} ac_oas_schema_x;

extern const ac_oas_schema_x ac_oas_schema_x_none;

/* A JSON Schema (OpenAPI 3.0 schema object, 3.1 JSON Schema, Swagger 2.0 schema), normalised.  A
 * schema reached through several $refs is one object: the IR is a graph and may be cyclic. */
struct ac_oas_schema {
    /* pointers and 8-byte numbers first, then 4-byte, then 1-byte fields: a large API has tens of
     * thousands of schemas a side, and padding between mixed fields cost 76 bytes each */
    ac_src src;
    const char *name; /* component name when the schema is a named component ("Pet") */
    const char *title;
    const char *format;
    ac_oas_strlist enums; /* canonical JSON text of each value */
    const char *dflt; /* canonical JSON, or NULL */
    ac_oas_bound min, max;
    int64_t min_len, max_len, min_items, max_items; /* -1: unset */
    const char *pattern;
    ac_oas_schema *items;
    ac_oas_named *props;
    ac_oas_strlist required;
    ac_oas_schema *addl_schema;
    ac_oas_schema **all_of, **one_of, **any_of;
    uint64_t *all_of_digest, *one_of_digest, *any_of_digest; /* hash of each branch as written */
    ac_src *all_of_src, *one_of_src, *any_of_src; /* each branch as written (the $ref, not its target) */
    const char *sunset; /* x-sunset */
    const char *stability; /* x-stability-level */
    const char *ref; /* the $ref this schema was reached through first, if any (for pairing oneOf branches) */
    ac_oas_schema *merged; /* the schema's meaning, simplified: allOf folded in, a oneOf/anyOf of a
                              schema and null as that schema made nullable, a oneOf/anyOf of plain types
                              as a list of types (NULL when the schema is its own meaning) */
    const ac_oas_schema_x *x; /* the rarely used keywords */
    uint32_t id; /* dense, per contract: index for memo tables */
    uint32_t nprops;
    uint32_t nall_of, none_of, nany_of;
    int addl; /* additionalProperties: 0 unset, 1 false, 2 true, 3 schema */
    uint8_t types; /* AC_OT_* bits; 0 with typed == false means "any" */
    bool typed;
    bool nullable; /* 3.0 nullable, or "null" among 3.1 types */
    bool has_enum, unique_items;
    bool read_only, write_only, deprecated;
    bool type_list; /* merged from a oneOf/anyOf of plain types */
};

typedef struct ac_oas_media {
    const char *type; /* "application/json" */
    ac_oas_schema *schema; /* NULL when the media type has no schema */
    ac_src src;
} ac_oas_media;

typedef struct ac_oas_param {
    const char *name, *in;
    const char *key; /* identity: "query:name", "header:x-lower-case", "path:#2" (position in the path) */
    bool required, deprecated;
    const char *sunset, *stability;
    const char *style;
    int explode; /* -1 unset */
    ac_oas_schema *schema;
    const char *media; /* parameter given by content: its media type */
    bool path_level;   /* declared on the path item, for every operation under it */
    ac_src src;
} ac_oas_param;

typedef struct ac_oas_header {
    const char *name; /* as written; compared case-insensitively */
    bool required, deprecated;
    ac_oas_schema *schema;
    ac_src src;
} ac_oas_header;

typedef struct ac_oas_response {
    const char *code; /* "200", "4XX", "default" */
    ac_oas_media *media;
    uint32_t nmedia;
    ac_oas_header *headers;
    uint32_t nheaders;
    ac_src src;      /* the status code key */
    ac_src resolved; /* the response object ($ref followed): shared by every operation that uses it */
} ac_oas_response;

/* One security requirement: all of its schemes together. */
typedef struct ac_oas_secreq {
    const char **schemes;
    ac_oas_strlist *scopes;
    uint32_t n;
} ac_oas_secreq;

typedef struct ac_oas_security {
    bool set; /* the `security` keyword is present */
    ac_oas_secreq *alts;
    uint32_t n;
    ac_src src;
} ac_oas_security;

typedef struct ac_oas_op {
    const char *method; /* lower case */
    const char *path;   /* as written */
    const char *key;    /* identity: "GET /pets/{}" */
    const char *label;  /* for messages: "GET /pets/{petId}" */
    bool webhook;
    const char *operation_id;
    ac_oas_strlist tags;
    bool deprecated;
    const char *sunset, *stability;
    const char *path_sunset; /* x-sunset of the path item */
    ac_oas_param *params;
    uint32_t nparams;
    bool has_body, body_required;
    ac_oas_media *body;
    uint32_t nbody;
    ac_src body_src;
    ac_oas_response *responses;
    uint32_t nresponses;
    ac_oas_security security;
    ac_src src, path_src;
    ac_src path_key; /* the key naming the path (or webhook, or callback expression) */
    int parent; /* a callback: the index of the operation that declares it; else -1 */
    /* the server a derived REST operation is served from (its service's google.api.default_host),
     * or NULL: operations of different scopes share no path and pair only as a host change */
    const char *scope;
} ac_oas_op;

typedef struct ac_oas_scheme {
    const char *name, *type;
    const char *scheme;    /* type http: "bearer", "basic" (lower case as written), else NULL */
    const char *in, *key;  /* type apiKey: where ("header", "query", "cookie") and the key's name */
    const char *auth_urls, *token_urls; /* OAuth authorization / refresh URLs and token URLs, per flow */
    ac_oas_strlist scopes, scope_descriptions;
    ac_src src;
} ac_oas_scheme;

/* A key that must hold a map or a list but holds null (`responses:` with no value), read as empty. */
typedef struct ac_oas_null {
    ac_src src; /* the key */
    const char *what;
} ac_oas_null;

typedef struct ac_oas {
    int version; /* 20, 30, 31 */
    const char *info_version;
    ac_oas_op *ops;
    uint32_t nops;
    ac_oas_named *schemas; /* components.schemas / definitions */
    uint32_t nschemas;
    uint32_t schema_count; /* ids are 0 .. schema_count-1 */
    ac_oas_scheme *schemes;
    uint32_t nschemes;
    ac_oas_security security; /* global */
    ac_oas_strlist tags;
    ac_oas_null *nulls; /* keys read as empty because they hold null */
    uint32_t nnulls, cnulls;
    ac_oas_null *unknown_types; /* schema types that are not JSON Schema types, read as their own */
    uint32_t nunknown_types, cunknown_types;
    ac_src root;
    /* the JSON Schema dialect of its schemas: AC_JS_DRAFT4 (Swagger 2.0 and OpenAPI 3.0 take their
     * schemas from draft 4/5), AC_JS_2020 (OpenAPI 3.1), or a standalone schema's draft */
    int dialect;
    /* a standalone JSON Schema (ac_oas_load_schema): its resources with $dynamicAnchor names, for
     * $dynamicRef (NULL elsewhere) */
    const struct ac_oas_dynamic *dynamic;
} ac_oas;

enum { AC_JS_DRAFT4 = 4, AC_JS_DRAFT6 = 6, AC_JS_DRAFT7 = 7, AC_JS_2019 = 2019, AC_JS_2020 = 2020 };

/* Dynamic anchors of a standalone schema: the schema resource each schema belongs to, and for each
 * resource the schemas its $dynamicAnchor (2020-12) or `$recursiveAnchor: true` (2019-09) names. */
typedef struct ac_oas_dynamic {
    const ac_oas_schema **resource_of; /* by schema id: the root of the schema's resource, or NULL */
    uint32_t nschemas;
    /* lookup: (resource root, anchor name) -> schema; "" names the $recursiveAnchor */
    const ac_oas_schema *(*find)(const struct ac_oas_dynamic *d, const ac_oas_schema *resource, const char *name);
    void *state;
} ac_oas_dynamic;

/* Key names a location request may ask for within a node (e.g. "maxLength"); NULL for the node
 * (protobuf takes none). */
typedef void (*ac_locate_fn)(const struct ac_contract *c, ac_src src, const char *key, ac_loc *out);
/* The JSON pointer of an element within its document ("/components/schemas/Pet"), in a, or NULL. */
typedef const char *(*ac_pointer_fn)(const struct ac_contract *c, ac_src src, ac_arena *a);
/* The element at a JSON pointer of the main document, or NULL. */
typedef ac_src (*ac_src_at_fn)(const struct ac_contract *c, const char *pointer);
/* The reason of an inline suppression in the contract that covers a finding of `rule` at src (an
 * OpenAPI node) or loc, or NULL. */
typedef const char *(*ac_inline_fn)(const struct ac_contract *c, ac_src src, const ac_loc *loc, const char *rule);

/* What an ac_elem_ref (compat/report/report.h) points at: the elements rules hand a prover. */
typedef enum {
    AC_EL_NONE = 0,
    AC_EL_PB_FILE,       /* ac_pb_file */
    AC_EL_PB_MSG,        /* ac_pb_msg */
    AC_EL_PB_FIELD,      /* ac_pb_field (a field or an extension) */
    AC_EL_PB_ONEOF,      /* ac_pb_oneof */
    AC_EL_PB_ENUM,       /* ac_pb_enum */
    AC_EL_PB_ENUM_VALUE, /* ac_pb_enum_value */
    AC_EL_PB_SERVICE,    /* ac_pb_service */
    AC_EL_PB_METHOD,     /* ac_pb_method */
    AC_EL_PB_PACKAGE,    /* ac_pb_file: the first file of a package */
    AC_EL_OAS_FIRST = 64 /* OpenAPI's kinds start here */
} ac_elem_kind;

/* ---- the contract --------------------------------------------------------------------------- */

struct ac_findings;
/* Looks for a counterexample to each finding of fs at warning or error level about these two
 * contracts (issue #16) and records it: proof AC_PROOF_PROVEN with cex, or AC_PROOF_NONE.  Set by
 * the loader of a format that has a prover. */
typedef void (*ac_prove_fn)(const struct ac_contract *old, const struct ac_contract *new, struct ac_findings *fs);

/* The REST surface of a protobuf contract: the HTTP operations its google.api.http rules serve, as
 * an OpenAPI contract (*out, freed by the caller before c).  Set by the protobuf loader. */
typedef int (*ac_derive_rest_fn)(struct ac_contract **out, struct ac_contract *c, ac_status *st);

typedef struct ac_contract {
    ac_arena *arena;
    ac_format format;
    const char *source; /* the input as the user named it */

    /* protobuf */
    ac_pb_file **files; /* all files, imports included (malloc'd; freed with the contract) */
    size_t nfiles;
    ac_strmap file_by_name, msg_by_name, enum_by_name;

    ac_oas *oas; /* OpenAPI (NULL for protobuf) */
    ac_locate_fn locate; /* source location of an element (an ac_src), computed on demand */
    ac_pointer_fn pointer; /* OpenAPI: JSON pointer of an element */
    ac_src_at_fn src_at;   /* OpenAPI: element at a JSON pointer */
    ac_inline_fn inline_ignore; /* suppressions written in the contract itself */
    ac_prove_fn prove;          /* counterexamples for findings (NULL: the format has no prover) */
    ac_derive_rest_fn derive_rest; /* protobuf: the REST surface (NULL: none) */
    void *loader_state;  /* owned by the loader (documents, caches); freed by loader_free */
    void *mapped;        /* an input file mapped into memory (unmapped with the contract) */
    size_t mapped_len;
    void (*loader_free)(void *state);
    /* while loading, when not NULL: fed every byte the contract is built from (the documents read,
     * the descriptor set decoded), so equal digests mean equal contracts (apicompat history) */
    struct ac_sha256 *digest;
} ac_contract;

/* An empty contract with its own arena. */
ac_contract *ac_contract_new(ac_format format, const char *source);
void ac_contract_free(ac_contract *c);

/* Resolves field types, map/group kinds and cardinalities once every file is loaded.  Fails when a
 * type name does not resolve. */
int ac_pb_link(ac_contract *c, ac_status *st);

/* Source location of an element path plus an optional suffix.  Returns false (and leaves *out
 * unset) when the file has no location for it. */
bool ac_pb_locate(ac_pb_file *f, ac_path path, const int32_t *suffix, uint32_t nsuffix, ac_loc *out);
/* Inline suppressions of protobuf contracts (comments), for ac_contract.inline_ignore. */
const char *ac_pb_inline_ignore(const struct ac_contract *c, ac_src src, const ac_loc *loc, const char *rule);
/* Whole-file location (1:1), used when nothing more precise exists. */
void ac_pb_file_loc(const ac_pb_file *f, ac_loc *out);

/* Short lower-case name of a field kind: "int32", "message", "group", ... */
const char *ac_pb_kind_name(int kind);
const char *ac_pb_cardinality_name(ac_pb_cardinality c);
/* The google.api.FieldBehavior name of one AC_FB_* bit ("REQUIRED"). */
const char *ac_pb_behavior_name(uint32_t bit);

#endif
