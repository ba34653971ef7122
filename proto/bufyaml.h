/* buf.yaml (v1beta1, v1, v2) and buf.work.yaml: module roots, excludes and the breaking section,
 * read as buf reads them so a team can point apicompat at the config it already has. */
#ifndef AC_BUFYAML_H
#define AC_BUFYAML_H

#include "compat/policy/policy.h"
#include "compat/base/doc.h"

typedef struct ac_buf_module {
    const char *path;      /* module root relative to the config directory ("." for the directory itself) */
    const char **excludes; /* relative to the config directory */
    size_t nexcludes;
    const ac_doc_node *breaking; /* module-level breaking section, or NULL */
    const char *cfg_path;        /* file the section is in */
    const ac_doc *doc;
    ac_buf_version version;
} ac_buf_module;

typedef struct ac_buf_config {
    const char *dir;  /* directory holding the config */
    const char *file; /* its path */
    ac_buf_version version;
    ac_buf_module *modules;
    size_t nmodules;
    const ac_doc_node *breaking; /* top-level breaking section, or NULL */
    const ac_doc *doc;
} ac_buf_config;

/* Reads dir/buf.yaml (or dir/buf.work.yaml and its modules' buf.yaml).  *out is NULL when there
 * is neither. */
int ac_buf_config_read(ac_arena *a, const char *dir, ac_buf_config **out, ac_status *st);
/* Reads a buf.yaml given by path (`--config`); its modules' paths are relative to its directory. */
int ac_buf_config_read_file(ac_arena *a, const char *file, ac_buf_config **out, ac_status *st);
/* Turns the breaking sections into a policy (replacing p's rule selection). */
int ac_buf_config_policy(const ac_buf_config *cfg, ac_policy *p, ac_status *st);
/* The module a file belongs to, given its path relative to the config directory; NULL if none. */
const ac_buf_module *ac_buf_module_of(const ac_buf_config *cfg, const char *cfg_rel_path);

#endif
