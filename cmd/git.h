/* Internal to cmd/: inputs read from git, `git:REF:PATH`. */
#ifndef AC_GIT_H
#define AC_GIT_H

#include <stdbool.h>
#include <stddef.h>

#include "compat/base/arena.h"
#include "compat/base/status.h"

/* Whether an input names a git revision ("git:REF:PATH"). */
bool ac_git_is_spec(const char *input);

/* Writes the tree of PATH at REF (a file or a whole directory, with what it needs around it: the
 * rest of the tree is not extracted) into a new temporary directory that mirrors the repository.
 * *dir is where to chdir so that *path, PATH as the user wrote it, names the input there; messages
 * and findings then show the paths the user knows.  git runs directly, never through a shell.
 * The temporary directories are removed by ac_git_cleanup (registered with atexit). */
int ac_git_materialize(const char *spec, ac_arena *a, const char **dir, const char **path, ac_status *st);
/* The same, also bringing the import directories INCLUDES (-I, relative to the working directory)
 * that are in the tree; *missing (when not NULL) is set when the error is only that PATH does not
 * exist at REF. */
int ac_git_materialize_ex(const char *spec, ac_arena *a, const char *const *includes, size_t nincludes,
                          const char **dir, const char **path, bool *missing, ac_status *st);

/* "git:REF:PATH" for PATH at REF (the --against form). */
const char *ac_git_spec(ac_arena *a, const char *ref, const char *path);

/* The tags of the repository holding dir whose names match glob (as `git tag --list GLOB`), as full
 * ref names ("refs/tags/v1.2.0"), so a tag named like a branch or a commit is still that tag.  At
 * most AC_LIMIT_HISTORY_VERSIONS. */
int ac_git_tags(ac_arena *a, const char *dir, const char *glob, const char ***out, size_t *n, ac_status *st);

void ac_git_cleanup(void);

#endif
