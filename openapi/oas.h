/* openapi/: OpenAPI 3.0, 3.1 and Swagger 2.0 documents into the IR. */
#ifndef AC_OAS_H
#define AC_OAS_H

#include "compat/ir/ir.h"

typedef struct ac_oas_opts {
    const char **allow_dirs; /* extra directories external $refs may read from */
    size_t nallow_dirs;
} ac_oas_opts;

/* Loads an OpenAPI document (YAML or JSON, detected from the content) and every file its $refs
 * reach, into a new contract.  External $refs must stay inside the directory of the document (or
 * an allowed directory); URLs are never fetched.  The caller frees *out with ac_contract_free. */
int ac_oas_load_path(ac_contract **out, const char *path, const ac_oas_opts *opts, ac_status *st);

/* 1 when the file looks like an OpenAPI or Swagger document (YAML or JSON), 0 otherwise. */
int ac_oas_sniff(const char *path);

#endif
