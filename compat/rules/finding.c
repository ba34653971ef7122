#include "compat/rules/finding.h"

#include <stdlib.h>
#include <string.h>

void ac_findings_init(ac_findings *fs)
{
    memset(fs, 0, sizeof *fs);
    fs->arena = ac_arena_new();
}

void ac_findings_free(ac_findings *fs)
{
    free(fs->v);
    ac_arena_free(fs->arena);
    memset(fs, 0, sizeof *fs);
}

ac_finding *ac_findings_push(ac_findings *fs)
{
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 64;
        fs->v = ac_xrealloc(fs->v, fs->cap * sizeof *fs->v);
    }
    ac_finding *f = &fs->v[fs->n++];
    memset(f, 0, sizeof *f);
    return f;
}

static const char *dup0(ac_arena *a, const char *s)
{
    return s ? ac_arena_strdup(a, s) : NULL;
}

static void detach_loc(ac_arena *a, ac_loc *l)
{
    l->path = dup0(a, l->path);
    l->file = dup0(a, l->file);
}

void ac_findings_detach(ac_findings *src, ac_findings *out)
{
    ac_findings fs;
    ac_findings_init(&fs);
    ac_arena *a = fs.arena;
    for (size_t i = 0; i < src->n; i++) {
        ac_finding *x = ac_findings_push(&fs);
        *x = src->v[i];
        x->message = dup0(a, x->message);
        detach_loc(a, &x->loc);
        detach_loc(a, &x->old_loc);
        x->cfg_path = dup0(a, x->cfg_path);
        x->old_cfg_path = dup0(a, x->old_cfg_path);
        x->module = dup0(a, x->module);
        x->old_module = dup0(a, x->old_module);
        x->pkg = dup0(a, x->pkg);
        x->old_pkg = dup0(a, x->old_pkg);
        x->subject = dup0(a, x->subject);
        x->suppressed_by = dup0(a, x->suppressed_by);
        x->group = dup0(a, x->group);
        if (x->nops) {
            const char **ops = ac_arena_alloc(a, x->nops * sizeof *ops);
            for (size_t k = 0; k < x->nops; k++) ops[k] = dup0(a, x->ops[k]);
            x->ops = ops;
        }
        if (x->cex) x->cex = ac_counterexample_copy(a, x->cex);
        /* the contracts they point into are about to go */
        memset(&x->ev_old, 0, sizeof x->ev_old);
        memset(&x->ev_new, 0, sizeof x->ev_new);
    }
    ac_findings_free(src);
    *out = fs;
}

const char *ac_mode_name(unsigned mode)
{
    return mode == AC_MODE_FULL ? "full" : mode == AC_MODE_FORWARD ? "forward" : "backward";
}

const char *ac_finding_mode_word(const ac_finding *x)
{
    return !x->mode ? NULL : x->mode == AC_MODE_FULL ? "both" : ac_mode_name(x->mode);
}

const ac_counterexample *ac_counterexample_copy(ac_arena *a, const ac_counterexample *c)
{
    ac_counterexample *d = ac_arena_alloc(a, sizeof *d);
    const char *const *from = (const char *const *)c;
    const char **to = (const char **)d;
    /* every member is a string */
    for (size_t i = 0; i < sizeof *c / sizeof(const char *); i++) to[i] = dup0(a, from[i]);
    return d;
}
