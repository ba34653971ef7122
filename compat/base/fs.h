/* Small file-system helpers shared by the loaders and the CLI. */
#ifndef AC_FS_H
#define AC_FS_H

#include <stdbool.h>
#include <stddef.h>

#include "compat/base/arena.h"
#include "compat/base/status.h"

/* Reads a whole file into the arena (NUL-terminated).  Errors name the file and the reason. */
int ac_read_file(ac_arena *a, const char *path, char **data, size_t *len, size_t max_bytes, ac_status *st);
/* The same into a malloc'd buffer the caller frees (for input only needed while it is decoded). */
int ac_read_file_buf(const char *path, char **data, size_t *len, size_t max_bytes, ac_status *st);
/* Maps a regular, non-empty file read-only (at most max_bytes); false when it cannot (then read it). */
bool ac_map_file(const char *path, char **data, size_t *len, size_t max_bytes);
/* Its pages may go back to the page cache; they are read again if touched. */
void ac_unmap_hint(void *data, size_t len);
void ac_unmap_file(void *data, size_t len);
/* NULL when path names a regular file (symbolic links followed); otherwise what is wrong, for a
 * message: "not found", "is a directory, expected a file", "not a regular file (a FIFO); ...". */
const char *ac_file_problem(const char *path);
/* Something is there (even a dangling or looping symbolic link, a FIFO or a device). */
bool ac_path_exists(const char *path);
bool ac_is_dir(const char *path);
bool ac_is_file(const char *path);
/* "dir" + "/" + "name", without doubling slashes; "." as dir gives name alone. */
char *ac_path_join(ac_arena *a, const char *dir, const char *name);
/* Without trailing slashes: "./" -> ".", "dir/" -> "dir" ("/" stays), so an input names one thing. */
char *ac_path_trim(ac_arena *a, const char *path);
/* Lexically normalised relative path: no "." segments, no "//"; NULL if it climbs out with "..". */
char *ac_path_clean(ac_arena *a, const char *path);
/* The same, but leading ".." segments stay ("../x/./y" -> "../x/y"); NULL only when a ".." after
 * the first named segment climbs above the leading ones. */
char *ac_path_tidy(ac_arena *a, const char *path);
/* Whether path is dir itself or below it, by whole components ("a/bc" is not under "a/b"); "."
 * holds everything (relative paths), "/" every absolute path. */
bool ac_path_within(const char *path, const char *dir);

/* The directories that paths read from inputs (imports, modules, configured files, documents)
 * must stay inside, symbolic links resolved.  ac_fs_allow_input allows the repository that holds
 * a path the user gave (its directory's enclosing git work tree), else the path's directory;
 * ac_fs_allow_dir allows one directory as it is.  Before anything is allowed, every path is. */
void ac_fs_allow_input(const char *path);
void ac_fs_allow_dir(const char *dir);
/* Forgets every allowed directory: a process that runs several comparisons (libapicompat) starts
 * each with only its own, so that one caller's directories never open another's reads. */
void ac_fs_allow_reset(void);
/* Whether path, its symbolic links resolved, stays inside the allowed directories.  A path that
 * cannot be resolved is judged by its longest existing prefix, and a dangling symbolic link is
 * outside: the answer never tells whether a file outside exists. */
bool ac_fs_allowed(const char *path);
/* Whether PATH, symbolic links resolved, is inside by INSIDE (given the real path); a path that is
 * not all there is judged by the longest prefix that is, and a dangling link is outside, so the
 * answer does not tell whether the file exists. */
bool ac_fs_judge(const char *path, bool (*inside)(const char *real, void *ctx), void *ctx);
/* The one message for a path that is not allowed (the same whatever is or is not there). */
#define AC_FS_OUTSIDE "does not resolve inside the directories apicompat may read (the inputs' directory or repository)"

/* For a program that reads under dir by itself (protoc): the first symbolic link under dir (links
 * not followed, hidden entries included) that does not resolve inside the allowed directories, as
 * an arena path, or NULL when there is none.  *truncated is set when more than max_entries entries
 * were seen (the caller fails closed). */
char *ac_fs_link_outside(ac_arena *a, const char *dir, size_t max_entries, bool *truncated);

/* Lists the files under dir whose names end with suffix, recursively, as paths relative to dir,
 * sorted.  Hidden directories are skipped; symbolic links to directories are not followed. */
int ac_list_files(ac_arena *a, const char *dir, const char *suffix, char ***out, size_t *n, size_t max_files,
                  ac_status *st);

#endif
