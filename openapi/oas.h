/* openapi/: OpenAPI 3.0, 3.1 and Swagger 2.0 documents into the IR. */
#ifndef AC_OAS_H
#define AC_OAS_H

#include "compat/ir/ir.h"

typedef struct ac_oas_opts {
    const char **allow_dirs; /* extra directories external $refs may read from */
    size_t nallow_dirs;
    /* standalone JSON Schemas: a $ref to a URI under uri_prefixes[i] ("http://example.com/schemas/")
     * reads the file at the rest of the URI under uri_dirs[i] (nothing is ever fetched) */
    const char *const *uri_prefixes;
    const char *const *uri_dirs;
    size_t nuri_map;
    struct ac_sha256 *digest; /* when not NULL: fed each document's text, in the order read */
} ac_oas_opts;

/* Loads an OpenAPI document (YAML or JSON, detected from the content) and every file its $refs
 * reach, into a new contract.  External $refs must stay inside the directory of the document (or
 * an allowed directory); URLs are never fetched.  The caller frees *out with ac_contract_free. */
int ac_oas_load_path(ac_contract **out, const char *path, const ac_oas_opts *opts, ac_status *st);

/* Loads a standalone JSON Schema document (its root is a schema) into a contract whose only
 * component is that schema (oas->schemas[0], named ""), for validation.  The document is text when
 * it is not NULL (path then only names it), else the file at path.  dialect (AC_JS_*) applies when
 * the root has no $schema that names a draft; 0 means 2020-12.  $id, $anchor, $dynamicRef (2020-12)
 * and $recursiveRef (2019-09) are resolved as URIs; file: URIs and opts' URI prefixes are read
 * from local files, nothing else.  The caller frees *out with ac_contract_free. */
int ac_oas_load_schema(ac_contract **out, const char *path, const char *text, size_t len, int dialect,
                       const ac_oas_opts *opts, ac_status *st);

/* 1 when the file looks like an OpenAPI or Swagger document (YAML or JSON), 0 otherwise. */
int ac_oas_sniff(const char *path);

/* The examples written for a media type (ac_oas_media.src): its `example`, the `value` of each
 * inline entry of its `examples` (entries given by $ref are left out), then its schema's own
 * top-level `example`; at most max, in document order.  For `apicompat cases`. */
#include "compat/base/doc.h"
size_t ac_oas_media_examples(ac_src media, const ac_doc_node **out, size_t max);
/* The example a schema (ac_oas_schema.src) gives: its `example`, else the first of its `examples`
 * list (3.1); NULL when it has none. */
const ac_doc_node *ac_oas_schema_example(ac_src schema);

/* An OpenAPI 3.1 document (JSON text, malloc'd) for the operations and components of oas; title and
 * version go to its info.  Operations whose method OpenAPI cannot name (a custom HTTP verb) are left
 * out, and so is a second operation on the same method and path. */
char *ac_oas_write_json(const ac_oas *oas, const char *title, const char *version);

#endif
