/* Internal to compat/: the context a check function runs in, and how it reports a finding. */
#ifndef AC_CHECK_H
#define AC_CHECK_H

#include <stdarg.h>

#include "compat/ir/ir.h"
#include "compat/rules/finding.h"
#include "compat/rules/rules.h"

/* The values of one enum that share a number (aliases). */
typedef struct ac_enum_group {
    int32_t number;
    ac_pb_enum *parent;
    ac_pb_enum_value **values; /* sorted by name */
    size_t n;
} ac_enum_group;

struct ac_ctx {
    ac_contract *old, *new;
    bool reversed; /* a forward check: old is the newer contract, new the older (see ac_inline_why) */
    const ac_rule *rule; /* the rule being run */
    ac_findings *out;
    ac_arena *scratch; /* per-run scratch memory (messages, temporary lists) */
    /* protobuf indexes over the checked (non-import) files of the new side; its messages and enums
     * are found through the contract's own maps (ac_new_msg, ac_new_enum) */
    ac_strmap new_services, new_files;
    /* per new file, its messages by nested name (built on first use) */
    ac_strmap nested_cache;
    /* the pair of elements the rule is looking at (set by the dispatcher): what a finding's prover
     * starts from, unless the rule names other elements in its ac_subject */
    ac_elem_ref ev_old, ev_new;
    /* for HTTP_REST_SURFACE: how the OpenAPI checks run (the policy's deprecation and stability) */
    const struct ac_oas_check_opts *oas_opts;
    /* messages of the new side by full name -> AC_USE_* bits (built on first use: ac_msg_use) */
    ac_strmap *msg_use;
};

/* How the new side's RPCs use a message, directly or through fields: sent by clients, received. */
enum { AC_USE_REQUEST = 1, AC_USE_RESPONSE = 2 };
unsigned ac_msg_use(ac_ctx *ctx, const char *full_name);

/* A message or enum of a checked (non-import) file of the new side, by full name; NULL if none. */
ac_pb_msg *ac_new_msg(const ac_ctx *ctx, const char *full_name);
ac_pb_enum *ac_new_enum(const ac_ctx *ctx, const char *full_name);

/* The messages of a file by nested name ("Outer.Inner"), cached for the run. */
ac_strmap *ac_nested_msgs(ac_ctx *ctx, ac_pb_file *f);

/* What a finding is about, for ignores: the new and old files (either may be NULL). */
typedef struct ac_subject {
    const ac_pb_file *file, *old_file;
    const char *name; /* the element's full name */
    /* the elements the finding is about, for its prover (kind AC_EL_NONE: the pair the dispatcher
     * handed the rule) */
    ac_elem_ref ev_old, ev_new;
} ac_subject;

/* Where a finding points, as a rule hands it over: an element (src.file set), which its contract
 * locates (ac_contract.locate) only when a finding is recorded, or a location already looked up
 * (loc; line 0: none). */
typedef struct ac_where {
    ac_pb_src src;
    ac_loc loc;
} ac_where;

/* An element at path p of f: at the element, else the whole file, looked up only if a finding
 * uses it. */
static inline ac_where ac_where_elem(ac_pb_file *f, ac_path p)
{
    return (ac_where){.src = {f, p}};
}

/* Records a finding for ctx->rule.  at is in the new contract (NULL: none); old_at in the old one. */
void ac_emit(ac_ctx *ctx, const ac_where *at, const ac_where *old_at, const ac_subject *subj, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The same about the element named `name` of file (new) and old_file (old), either may be NULL. */
void ac_emit_about(ac_ctx *ctx, const ac_where *at, const ac_where *old_at, const ac_pb_file *file,
                   const ac_pb_file *old_file, const char *name, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* The suppression written in a contract that applies to a finding of rule at nloc (src nsrc) in nc
 * and oloc (osrc) in oc, or NULL.  One written in the newer contract counts; one in the older
 * contract only for an element that is gone, since there is no other place left to write it (a
 * comment left over from the last release never approves a new change).  reversed: the check runs
 * with the roles swapped (forward), so oc is the newer contract and the only one asked. */
const char *ac_inline_why(const ac_contract *nc, ac_src nsrc, const ac_loc *nloc, const ac_contract *oc, ac_src osrc,
                          const ac_loc *oloc, const ac_rule *rule, bool reversed);

#endif
