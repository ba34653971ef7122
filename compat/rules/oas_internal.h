/* Internal to compat/rules/: what the OpenAPI check's files share.  The check runs as passes
 * (oas_check.c: ac_oas_check); oas_ops.c compares operations, oas_schema.c schemas, oas_merge.c
 * merges allOf, and oas_findings.c records findings under their rule IDs. */
#ifndef AC_OAS_INTERNAL_H
#define AC_OAS_INTERNAL_H

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compat/base/decimal.h"
#include "compat/base/date.h"
#include "compat/rules/check.h"
#include "compat/rules/oas_check.h"

#define MAX_SCHEMA_DEPTH 2000
#define MAX_MERGE_DEPTH 64

typedef enum { DREQ = 0, DRESP = 1 } dir_t;
/* Where a schema sits: its ID prefix.  C_HPARAM is a header parameter (its object properties use
 * "request-header-property-" IDs). */
typedef enum { C_BODY, C_PROP, C_PARAM, C_PARAM_PROP, C_HEADER, C_RO_PROP, C_WO_PROP, C_HPARAM, C_COUNT } cx_t;

typedef struct entry {
    uint32_t *f, nf, cf;    /* findings made while comparing this pair */
    uint32_t *kids, nk, ck; /* entries reached from it */
    uint32_t op_stamp;      /* last op that visited it during attribution */
} entry;

typedef struct idlist {
    uint32_t *v, n, cap;
} idlist;

typedef struct octx {
    ac_contract *oc, *nc;
    ac_oas *o, *n;
    ac_findings *out;
    ac_arena *scratch;
    const ac_oas_check_opts *opts;
    entry *entries;
    size_t nentries, centries;
    ac_intmap memo;
    long cur_entry;   /* -1 at operation level */
    long cur_op;      /* index into n->ops, or -1 */
    bool text;        /* the values travel as text (not JSON or XML): looser typing */
    idlist *op_roots; /* per new op: the schema entries it reached */
    idlist *fops;     /* per finding: the new ops it affects */
    size_t nfops;
    const char **flabel;   /* per finding: the old operation it is about, when it has no new one */
    const char *cur_label; /* the removed operation being reported */
    int depth;
    bool failed;
    ac_status *st;
    long today; /* days since the epoch */
    bool in_trial;    /* comparing only to learn what would be found (oas_schema.c: trial) */
    size_t refactors; /* allOf members added or removed with no change to the merged meaning, so far */
    ac_intmap trials; /* (old, new, direction, place) -> what a trial found, + 1 */
} octx;

/* Lists longer than this are looked up through a hash map: a 100,000-value enum or a schema with
 * 100,000 properties is compared in linear time, not quadratic. */
#define INDEX_MIN 16

/* A string list with an index when it is long. */
typedef struct strset {
    const ac_oas_strlist *l;
    ac_strmap m;
    bool indexed;
} strset;

/* The composed IDs: place x change (oas_compose.def). */
typedef enum {
#define OAS_PLACE(SYM, PREFIX) P_##SYM,
#define OAS_CHANGE(SYM, SUFFIX)
#define OAS_COMPOSED(PLACE, CHANGE)
#include "compat/rules/oas_compose.def"
#undef OAS_PLACE
#undef OAS_CHANGE
#undef OAS_COMPOSED
    P_COUNT
} place_t;

typedef enum {
#define OAS_PLACE(SYM, PREFIX)
#define OAS_CHANGE(SYM, SUFFIX) CH_##SYM,
#define OAS_COMPOSED(PLACE, CHANGE)
#include "compat/rules/oas_compose.def"
#undef OAS_PLACE
#undef OAS_CHANGE
#undef OAS_COMPOSED
    CH_COUNT
} change_t;

/* oas_findings.c */
void oas_idlist_add(idlist *l, uint32_t v);
bool oas_streq(const char *a, const char *b);
bool oas_list_has(const ac_oas_strlist *l, const char *s);
void oas_strset_init(strset *x, const ac_oas_strlist *l);
bool oas_strset_has(const strset *x, const char *s);
void oas_strset_free(strset *x);
size_t oas_list_minus(const ac_oas_strlist *a, const ac_oas_strlist *b, const char **out);
long oas_parse_date(const char *s);
int oas_stability_rank(const char *s);
int oas_deprecation_days(const octx *X, const char *stability);
long oas_emit(octx *X, ac_oas_rule id, ac_src nsrc, const char *nkey, ac_src osrc, const char *okey,
              const char *subject, const char *fmt, ...) __attribute__((format(printf, 8, 9)));
long oas_emit_cx(octx *X, dir_t d, cx_t c, change_t change, ac_src nsrc, const char *nkey, ac_src osrc,
                 const char *okey, const char *subject, const char *fmt, ...) __attribute__((format(printf, 10, 11)));

/* oas_merge.c */
int oas_bound_cmp(const ac_oas_bound *a, const ac_oas_bound *b);
void oas_merge_all(ac_contract *c);

/* oas_schema.c */
const char *oas_join_values(octx *X, const char **v, size_t n);
void oas_cmp_schema(octx *X, ac_oas_schema *o, ac_oas_schema *n, dir_t d, cx_t c, const char *where);
/* A form-exploded query or cookie parameter that became an array of what it was: compared, true. */
bool oas_param_form_array(octx *X, ac_oas_schema *o, ac_oas_schema *n, const char *where);

/* oas_ops.c */
void oas_cmp_security(octx *X, const ac_oas_security *os, const ac_oas_security *ns, ac_src nsrc, ac_src osrc,
                      bool global, const char *what);
void oas_cmp_op(octx *X, const ac_oas_op *oo, const ac_oas_op *no);
void oas_removed_op(octx *X, const ac_oas_op *oo);

#endif
