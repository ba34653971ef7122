/* Static replay of protobuf cases: what one version of a message type makes of what another wrote
 * (pbcases.h).  Both readings come from proto/pbval.c and pbjson.c; a difference is narrowed down
 * to the innermost field that shows it, named by its path, so that a failure says which field broke
 * and the caller can tie it to the finding about that field. */
#include <stdio.h>
#include <string.h>

#include "proto/pbcases.h"

#define READ_FLAGS PV_JSON_WKT

static const char *const wire_names[] = {"varint", "64-bit", "length-delimited", "start-group", "end-group", "32-bit"};

static void add_elem(ac_pb_reading *out, const void *p)
{
    if (!p) return;
    for (size_t i = 0; i < out->nelems; i++)
        if (out->elems[i] == p) return;
    if (out->nelems < sizeof out->elems / sizeof out->elems[0]) out->elems[out->nelems++] = p;
}

static const ac_pb_field *by_name(const ac_pb_msg *t, const char *name)
{
    for (size_t i = 0; t && i < t->nfields; i++)
        if (!strcmp(t->fields[i]->name, name)) return t->fields[i];
    return NULL;
}

/* The field a JSON key reaches in t (JSON name first, then the proto name), as a parser looks it up. */
static const ac_pb_field *by_json_key(const ac_pb_msg *t, const char *key)
{
    for (size_t i = 0; t && i < t->nfields; i++)
        if (!strcmp(t->fields[i]->json_name, key)) return t->fields[i];
    return by_name(t, key);
}

static const pv_entry *first(const pv_msg *m, int32_t num, size_t *count)
{
    const pv_entry *e = NULL;
    *count = 0;
    for (size_t i = 0; i < m->n; i++)
        if (m->e[i].number == num) {
            if (!e) e = &m->e[i];
            (*count)++;
        }
    return e;
}

static const ac_pb_enum_value *enum_value(const ac_pb_field *f, int64_t number)
{
    for (size_t i = 0; f && f->enum_type && i < f->enum_type->nvalues; i++)
        if (f->enum_type->values[i]->number == number) return f->enum_type->values[i];
    return NULL;
}

static const char *type_word(ac_arena *a, const ac_pb_field *f)
{
    if (f->enum_type) return ac_arena_printf(a, "enum %s", f->enum_type->full_name);
    if (f->msg_type) return f->msg_type->full_name;
    return ac_pb_kind_name(f->kind);
}

/* What one side holds at number num, in words. */
static const char *holds(ac_arena *a, const pv_msg *m, int32_t num)
{
    size_t count;
    const pv_entry *e = first(m, num, &count);
    const ac_pb_field *decl = pv_field(m->type, num);
    if (!e) return decl ? ac_arena_printf(a, "nothing in %s (%s)", decl->name, type_word(a, decl)) : "nothing";
    if (!e->f) {
        const char *w = e->wt < 6 ? wire_names[e->wt] : "unknown";
        if (decl)
            return ac_arena_printf(a, "an unknown %s field (it declares %s as %s)", w, decl->name, type_word(a, decl));
        return ac_arena_printf(a, "an unknown %s field (it declares no field %d)", w, num);
    }
    const char *v = pv_value_text(a, e->f, &e->v);
    if (strlen(v) > 80) v = ac_arena_printf(a, "%.77s...", v);
    return ac_arena_printf(a, "%s: %s (%s%s)", e->f->name, v, type_word(a, e->f), count > 1 ? ac_arena_printf(a, ", %zu values", count) : "");
}

static void elems_of(ac_pb_reading *out, const pv_msg *w, const pv_msg *r, int32_t num)
{
    size_t count;
    const pv_entry *ew = first(w, num, &count);
    const ac_pb_field *wf = ew && ew->f ? ew->f : pv_field(w->type, num), *rf = pv_field(r->type, num);
    add_elem(out, wf);
    add_elem(out, rf);
    if (wf) {
        add_elem(out, by_name(r->type, wf->name));
        if (ew && ew->f && wf->enum_type) add_elem(out, enum_value(wf, ew->v.i));
    }
    /* a value lost to a oneof (a field moved into or out of one): the break is about the members */
    const ac_pb_oneof *o = rf && rf->oneof && !rf->oneof->synthetic ? rf->oneof : wf && wf->oneof && !wf->oneof->synthetic ? wf->oneof : NULL;
    for (size_t i = 0; o && i < o->msg->nfields; i++)
        if (o->msg->fields[i]->oneof == o) {
            add_elem(out, o->msg->fields[i]);
            add_elem(out, pv_field(o->msg == r->type ? w->type : r->type, o->msg->fields[i]->number));
        }
}

static const char *join_path(ac_arena *a, const char *path, const char *name)
{
    return *path ? ac_arena_printf(a, "%s.%s", path, name) : name;
}

static bool locate_number(ac_arena *a, const pv_msg *w, const char *wl, const pv_msg *r, const char *rl, const char *path,
                          ac_pb_reading *out, int depth, int32_t num);

static bool locate_binary(ac_arena *a, const pv_msg *w, const char *wl, const pv_msg *r, const char *rl, const char *path,
                          ac_pb_reading *out, int depth)
{
    /* the numbers that differ, found in one pass; each is looked at once, w's in the order they
     * occur, then r's that w does not hold */
    ac_intmap diff, seen;
    ac_intmap_init(&diff);
    ac_intmap_init(&seen);
    pv_differing(w, r, &diff);
    bool found = false;
    for (int side = 0; side < 2 && !found && diff.len; side++) {
        const pv_msg *m = side ? r : w;
        for (size_t i = 0; i < m->n && !found; i++) {
            int32_t num = m->e[i].number;
            if (ac_intmap_has(&seen, num)) continue;
            ac_intmap_put(&seen, num, (void *)1);
            if (!ac_intmap_has(&diff, num)) continue;
            found = locate_number(a, w, wl, r, rl, path, out, depth, num);
        }
    }
    ac_intmap_free(&diff);
    ac_intmap_free(&seen);
    return found;
}

/* Names the difference in number num (it differs), as deep as it goes. */
static bool locate_number(ac_arena *a, const pv_msg *w, const char *wl, const pv_msg *r, const char *rl, const char *path,
                          ac_pb_reading *out, int depth, int32_t num)
{
    size_t cw, cr;
    const pv_entry *ew = first(w, num, &cw), *er = first(r, num, &cr);
    const ac_pb_field *wf = ew && ew->f ? ew->f : pv_field(w->type, num), *rf = pv_field(r->type, num);
    const char *here = join_path(a, path, wf ? wf->name : rf ? rf->name : ac_arena_printf(a, "%d", num));
    /* the same message field on both sides: the difference is further in */
    if (ew && er && ew->f && er->f && cw == cr && depth < PV_MAX_DEPTH && ew->f->msg_type && er->f->msg_type &&
        ew->f->cardinality != AC_CARD_MAP)
        for (size_t iw = 0, ir = 0, k = 0; k < cw; k++, iw++, ir++) {
            while (w->e[iw].number != num) iw++;
            while (r->e[ir].number != num) ir++;
            const pv_msg *mw = w->e[iw].v.m, *mr = r->e[ir].v.m;
            if (mw && mr && pv_compare(mw, mr, NULL, 0) == PV_DIFFERENT &&
                locate_binary(a, mw, wl, mr, rl, here, out, depth + 1))
                return true;
        }
    out->reason = ac_arena_printf(a, "binary: at \"%s\" (field %d of %s): %s writes %s; %s reads %s", here, num,
                                  w->type->full_name, wl, holds(a, w, num), rl, holds(a, r, num));
    elems_of(out, w, r, num);
    return true;
}

/* w without the fields rt declares neither by number nor by name (in nested messages too): fields
 * added after the reader was built, which it skips. */
static const pv_msg *prune(ac_arena *a, const pv_msg *w, const ac_pb_msg *rt, int depth)
{
    pv_msg *m = pv_msg_new(a, w->type);
    for (size_t i = 0; i < w->n; i++) {
        const pv_entry *e = &w->e[i];
        if (!e->f) continue;
        const ac_pb_field *rf = pv_field(rt, e->number);
        if (!rf) rf = by_name(rt, e->f->name);
        if (!rf) continue;
        pv_value v = e->v;
        if (v.m && rf->msg_type && depth < PV_MAX_DEPTH) v.m = (pv_msg *)prune(a, v.m, rf->msg_type, depth + 1);
        pv_add(a, m, e->f, &v);
    }
    return m;
}

void ac_pb_read_binary(ac_arena *a, const ac_pb_msg *wt, const char *wl, const ac_pb_msg *rt, const char *rl, const uint8_t *p,
                       size_t n, bool skip_new, ac_pb_reading *out)
{
    memset(out, 0, sizeof *out);
    pv_error err;
    const pv_msg *w = pv_decode(a, wt, p, n, &err);
    if (!w) {
        out->reason = ac_arena_printf(a, "binary: %s (%s) cannot read its own case: %s", wl, wt->full_name, err.msg);
        return;
    }
    pv_buf b = {0};
    if (skip_new) {
        /* what the writer sends without the fields the reader never knew: the bytes the reader is given */
        w = prune(a, w, rt, 0);
        if (!pv_encode(w, &b)) {
            pv_buf_free(&b);
            return;
        }
        p = ac_arena_memdup(a, b.p ? (void *)b.p : "", b.n);
        n = b.n;
        pv_buf_free(&b);
    }
    const pv_msg *r = pv_decode(a, rt, p, n, &err);
    if (!r) {
        out->reason = ac_arena_printf(a, "binary: %s (%s) rejects it: %s", rl, rt->full_name, err.msg);
        if (err.number > 0) {
            const pv_msg *empty = pv_msg_new(a, rt);
            elems_of(out, w, empty, err.number);
        }
        return;
    }
    if (pv_compare(w, r, NULL, 0) != PV_DIFFERENT) return;
    if (!locate_binary(a, w, wl, r, rl, "", out, 0))
        out->reason = ac_arena_printf(a, "binary: %s reads %s; %s wrote %s", rl, pv_text(a, r, 200), wl, pv_text(a, w, 200));
}

/* The innermost field of w (the writer's reading of a JSON text) whose JSON alone rt's parser
 * rejects or reads otherwise. */
static bool locate_json(ac_arena *a, const pv_msg *w, const char *wl, const ac_pb_msg *rt, const char *rl, const char *path,
                        ac_pb_reading *out, int depth)
{
    for (size_t i = 0; i < w->n; i++) {
        const ac_pb_field *f = w->e[i].f;
        bool seen = !f;
        for (size_t k = 0; k < i && !seen; k++) seen = w->e[k].f == f;
        if (seen) continue;
        pv_msg *one = pv_msg_new(a, w->type);
        for (size_t k = i; k < w->n; k++)
            if (w->e[k].f == f) pv_add(a, one, f, &w->e[k].v);
        const char *js = pv_json_write(a, one, PV_JSON_NAMES | PV_JSON_WKT);
        if (!js) continue;
        const ac_pb_field *rf = by_json_key(rt, f->json_name);
        const char *here = join_path(a, path, f->json_name);
        pv_error err;
        const pv_msg *got = pv_json_read_flags(a, rt, js, READ_FLAGS, &err);
        if (got) {
            const pv_msg *wj = pv_json_read_flags(a, w->type, js, READ_FLAGS, &err);
            if (!wj || pv_compare_json(wj, got, NULL, 0) != PV_DIFFERENT) continue;
            const ac_pb_field *gf = NULL;
            for (size_t k = 0; k < got->n && !gf; k++) gf = got->e[k].f;
            out->reason = ac_arena_printf(a, "ProtoJSON: at \"%s\": %s writes %s; %s reads %s", here, wl, holds(a, wj, f->number), rl,
                                          gf ? holds(a, got, gf->number) : "nothing");
            add_elem(out, f);
            add_elem(out, rf);
            add_elem(out, gf);
            return true;
        }
        if (err.number == -1) continue; /* a form the reader here does not cover: nothing known */
        if (rf && rf->msg_type && f->msg_type && f->cardinality != AC_CARD_MAP && depth < PV_MAX_DEPTH)
            for (size_t k = i; k < w->n; k++)
                if (w->e[k].f == f && w->e[k].v.m && locate_json(a, w->e[k].v.m, wl, rf->msg_type, rl, here, out, depth + 1)) return true;
        out->reason = ac_arena_printf(a, "ProtoJSON: at \"%s\": %s (%s) rejects it: %s", here, rl, rt->full_name, err.msg);
        add_elem(out, f);
        add_elem(out, rf);
        add_elem(out, by_name(rt, f->name));
        if (f->enum_type)
            for (size_t k = i; k < w->n; k++)
                if (w->e[k].f == f) {
                    /* the value gone, or renamed (the reader's value of that number) */
                    add_elem(out, enum_value(f, w->e[k].v.i));
                    add_elem(out, enum_value(rf, w->e[k].v.i));
                }
        return true;
    }
    return false;
}

void ac_pb_read_json(ac_arena *a, const ac_pb_msg *wt, const char *wl, const ac_pb_msg *rt, const char *rl, const char *json,
                     bool skip_new, ac_pb_reading *out)
{
    memset(out, 0, sizeof *out);
    pv_error err;
    const pv_msg *w = pv_json_read_flags(a, wt, json, READ_FLAGS, &err);
    if (!w) {
        if (err.number != -1) out->reason = ac_arena_printf(a, "ProtoJSON: %s (%s) cannot read its own case: %s", wl, wt->full_name, err.msg);
        return;
    }
    if (skip_new) {
        w = prune(a, w, rt, 0);
        json = pv_json_write(a, w, PV_JSON_NAMES | PV_JSON_WKT);
        if (!json) return;
    }
    const pv_msg *r = pv_json_read_flags(a, rt, json, READ_FLAGS, &err);
    if (r && pv_compare_json(w, r, NULL, 0) != PV_DIFFERENT) return;
    if (!r && err.number == -1) return; /* nothing known */
    if (!locate_json(a, w, wl, rt, rl, "", out, 0)) {
        if (r) out->reason = ac_arena_printf(a, "ProtoJSON: %s reads %s; %s wrote %s", rl, pv_text(a, r, 200), wl, pv_text(a, w, 200));
        else out->reason = ac_arena_printf(a, "ProtoJSON: %s (%s) rejects it: %s", rl, rt->full_name, err.msg);
    }
}
