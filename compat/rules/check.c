/* What a check function has at hand: lookups into the new side, and how a finding is recorded. */
#include "compat/rules/check.h"

#include <stdarg.h>

/* Full names are unique in a contract (the loader rejects a second definition), so the contract's
 * maps answer for its checked files once imports are left out. */
ac_pb_msg *ac_new_msg(const ac_ctx *ctx, const char *full_name)
{
    ac_pb_msg *m = ac_strmap_get(&ctx->new->msg_by_name, full_name);
    return m && !m->file->is_import ? m : NULL;
}

ac_pb_enum *ac_new_enum(const ac_ctx *ctx, const char *full_name)
{
    ac_pb_enum *e = ac_strmap_get(&ctx->new->enum_by_name, full_name);
    return e && !e->file->is_import ? e : NULL;
}

ac_strmap *ac_nested_msgs(ac_ctx *ctx, ac_pb_file *f)
{
    ac_strmap *m = ac_strmap_get(&ctx->nested_cache, f->name);
    if (m) return m;
    m = ac_arena_alloc(ctx->scratch, sizeof *m);
    ac_strmap_init(m);
    for (size_t i = 0; i < f->nmsgs; i++) ac_strmap_add(m, f->msgs[i]->nested_name, f->msgs[i]);
    ac_strmap_put(&ctx->nested_cache, f->name, m);
    return m;
}

static void place(const ac_contract *c, const ac_where *w, ac_loc *out)
{
    if (!w) return;
    if (w->src.file) c->locate(c, &w->src, NULL, out);
    else *out = w->loc;
}

static void emitv(ac_ctx *ctx, const ac_where *at, const ac_where *old_at, const ac_subject *subj, const char *fmt,
                  va_list ap)
{
    ac_finding *f = ac_findings_push(ctx->out);
    ac_arena *a = ctx->out->arena;
    f->rule = ctx->rule;
    f->severity = ctx->rule->severity;
    f->message = ac_arena_vprintf(a, fmt, ap);
    place(ctx->new, at, &f->loc);
    place(ctx->old, old_at, &f->old_loc);
    if (subj) {
        if (subj->file) {
            const ac_pb_file *pf = subj->file;
            f->cfg_path = pf->module && *pf->module ? ac_arena_printf(a, "%s/%s", pf->module, pf->name) : pf->name;
            f->module = pf->module ? pf->module : "";
            f->pkg = pf->package;
        }
        if (subj->old_file) {
            const ac_pb_file *pf = subj->old_file;
            f->old_cfg_path = pf->module && *pf->module ? ac_arena_printf(a, "%s/%s", pf->module, pf->name) : pf->name;
            f->old_module = pf->module ? pf->module : "";
            f->old_pkg = pf->package;
        }
        f->subject = subj->name ? ac_arena_strdup(a, subj->name) : NULL; /* names may be built in scratch */
    }
    f->ev_old = subj && subj->ev_old.kind ? subj->ev_old : ctx->ev_old;
    f->ev_new = subj && subj->ev_new.kind ? subj->ev_new : ctx->ev_new;
    const char *why = ac_inline_why(ctx->new, NULL, &f->loc, ctx->old, NULL, &f->old_loc, f->rule, ctx->reversed);
    if (why) f->suppressed_by = ac_arena_printf(a, "inline: %s", why);
}

void ac_emit(ac_ctx *ctx, const ac_where *at, const ac_where *old_at, const ac_subject *subj, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emitv(ctx, at, old_at, subj, fmt, ap);
    va_end(ap);
}

void ac_emit_about(ac_ctx *ctx, const ac_where *at, const ac_where *old_at, const ac_pb_file *file,
                   const ac_pb_file *old_file, const char *name, const char *fmt, ...)
{
    ac_subject s = {file, old_file, name, {0}, {0}};
    va_list ap;
    va_start(ap, fmt);
    emitv(ctx, at, old_at, &s, fmt, ap);
    va_end(ap);
}

const char *ac_inline_why(const ac_contract *nc, ac_src nsrc, const ac_loc *nloc, const ac_contract *oc, ac_src osrc,
                          const ac_loc *oloc, const ac_rule *rule, bool reversed)
{
    if (reversed) return oc->inline_ignore && (osrc || oloc->line) ? oc->inline_ignore(oc, osrc, oloc, rule->id) : NULL;
    const char *why = NULL;
    if (nc->inline_ignore && (nsrc || nloc->line)) why = nc->inline_ignore(nc, nsrc, nloc, rule->id);
    if (!why && oc->inline_ignore && (osrc || oloc->line) && ac_rule_is_removal(rule))
        why = oc->inline_ignore(oc, osrc, oloc, rule->id);
    return why;
}
