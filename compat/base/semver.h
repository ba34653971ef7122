/* Semantic versions (semver.org 2.0.0) as release tags spell them, for ordering a history. */
#ifndef AC_SEMVER_H
#define AC_SEMVER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ac_semver {
    const char *num[3]; /* major, minor, patch: digits without leading zeros (any length) */
    size_t numlen[3];
    const char *pre; /* the pre-release identifiers (after '-'), prelen 0 for a release */
    size_t prelen;
} ac_semver;

/* Reads MAJOR.MINOR.PATCH[-PRE][+BUILD], with an optional "v" in front and an optional prefix up
 * to the last '/' ("v1.2.3", "1.2.3", "v1.2.3-rc.1", "api/v2.0.0").  The fields point into s.
 * False when s is not such a version. */
bool ac_semver_parse(const char *s, ac_semver *out);
/* <0, 0, >0 by semver precedence: numbers numerically, a pre-release before its release, then its
 * identifiers one by one (numeric ones numerically and before alphanumeric ones); build ignored. */
int ac_semver_cmp(const ac_semver *a, const ac_semver *b);

#endif
