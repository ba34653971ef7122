/* Internal to cmd/: reading apicompat.yaml and the configuration files of other tools. */
#ifndef AC_CONFIG_H
#define AC_CONFIG_H

#include <stdbool.h>

#include "compat/policy/policy.h"

/* Reads apicompat.yaml into p (on top of what p holds).  Errors name file:line:col. */
int ac_config_read(ac_policy *p, const char *path, ac_status *st);
/* Only the ref_root of apicompat.yaml (NULL when it has none), needed before the contracts load. */
int ac_config_ref_root(ac_arena *a, const char *path, const char **out, ac_status *st);
/* oasdiff's severity-levels file ("<id> <level>" lines) and err-ignore / warn-ignore files. */
int ac_config_oasdiff_levels(ac_policy *p, const char *path, ac_status *st);
int ac_config_oasdiff_ignore(ac_policy *p, const char *path, int level, ac_status *st);
/* One entry of a batch manifest: compare old (or new at the git revision against) with new. */
typedef struct ac_batch_pair {
    const char *name, *old, *new, *against, *config;
    const char *file; /* where the entry is written */
    unsigned line, col;
} ac_batch_pair;

/* A batch manifest (YAML): version: 1, pairs: [{name, old | against, new, config}]. */
int ac_manifest_read(ac_arena *a, const char *path, ac_batch_pair **out, size_t *n, ac_status *st);

/* apicompat.yaml in the current directory or a parent up to the repository root, or NULL. */
const char *ac_config_find(ac_arena *a);

#endif
