/* Counterexamples for protobuf findings (issue #16): for a finding at warning or error level, the
 * bytes (or the ProtoJSON text, or the call) that show the break, checked against both contracts
 * before the finding is called proven.
 *
 * A binary witness is a message one side writes: the writer's required fields set, and the field
 * the finding is about set to a value of the writer's type.  It is encoded (pbval.c), read back
 * under the writer's own descriptor, which must give the value that was set (the bytes mean what
 * was meant), then read under the other side's descriptor.  It proves the break when that reader
 * rejects the bytes, or reads something else at that field: another value, another number of
 * values, an unknown field, nothing.  The values tried are the edges of each type (1, -1, 0, 2^31,
 * 2^32, ... ; invalid UTF-8 where a writer allows it; a closed enum's numbers, an open enum's
 * unknown one), a repeated field with one and two elements, a oneof member with a sibling the other
 * side puts in the same oneof, in both directions: OLD writes and NEW reads, then NEW writes and
 * OLD reads.  A JSON witness is the same with ProtoJSON text, written with JSON names and then with
 * proto names.  A removed RPC is proven by its call path, which the new service no longer has.
 *
 * Rules about source code or options (file options, packages, C++/Java/JS settings, reserved
 * ranges, deleted message and enum types) have no witness on the wire: proof none.  A finding about
 * the wire whose search finds nothing is also none: a lead for a false alarm (a message renamed
 * with the same fields, an int32 that became int64 read back the same). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat/report/report.h"
#include "compat/rules/rules.h"
#include "proto/pbval.h"
#include "proto/proto.h"

#define MAX_CANDS 12
#define READING_MAX 1000        /* bytes of a reading shown */
#define FULL_DEPTH 3            /* nesting of a message filled with every field */
#define FULL_BUDGET 400         /* fields set in one such message */
#define WORK_LIMIT 20000        /* values built for one finding: past it the search gives up (proof none) */
#define ENUM_SCAN 1024          /* values of an enum looked at for candidates */

enum { M_BIN = 1, M_JSON = 2 };

typedef struct prover {
    const ac_contract *old, *new;
    ac_arena *a;    /* per finding: trees, bytes, texts */
    ac_arena *keep; /* for the whole pass: the indexes below */
    ac_strmap enum_use; /* old enum full name -> usage list (old fields of that type) */
    bool enum_use_built;
    ac_strmap new_services; /* full name -> ac_pb_service of NEW */
    bool services_built;
    size_t work; /* values built for the current finding (WORK_LIMIT) */
} prover;

typedef struct usage {
    const ac_pb_field *f;
    struct usage *next;
} usage;

/* What is being built: the counterexample's strings (in P->a until it is kept) and how strong it is. */
typedef struct witness {
    ac_counterexample c;
    int strength; /* 0 none, 2 a different reading, 3 a rejection */
} witness;

/* One way of writing: the writer's message type and field, the reader's (r may be NULL: the reader
 * has no such field). */
typedef struct side {
    const ac_pb_msg *W, *R;
    const ac_pb_field *w, *r;
    bool old_writes;
    const ac_pb_field *inner; /* w is a map: the field of its entries (key or value) being varied */
} side;

static const char *dir_name(bool old_writes)
{
    return old_writes ? "old-to-new" : "new-to-old";
}

static const char *hex(ac_arena *a, const uint8_t *p, size_t n)
{
    char *s = ac_arena_alloc(a, 2 * n + 1);
    for (size_t i = 0; i < n; i++) snprintf(s + 2 * i, 3, "%02x", p[i]);
    s[2 * n] = 0;
    return s;
}

/* ---- values to try ---------------------------------------------------------------------------- */

static size_t scalar_cands(const ac_pb_field *f, pv_value *c)
{
    size_t n = 0;
    memset(c, 0, MAX_CANDS * sizeof *c);
#define I(x) (c[n++].i = (x))
#define U(x) (c[n++].u = (x))
#define D(x) (c[n++].d = (x))
    switch (f->kind) {
    case AC_PB_INT32: case AC_PB_SINT32: case AC_PB_SFIXED32:
        I(1), I(-1), I(0), I(2), I(INT32_MAX), I(INT32_MIN);
        break;
    case AC_PB_INT64: case AC_PB_SINT64: case AC_PB_SFIXED64:
        I(1), I(-1), I(0), I(2147483648LL), I(4294967296LL), I(-2147483649LL), I(INT64_MAX), I(INT64_MIN);
        break;
    case AC_PB_UINT32: case AC_PB_FIXED32:
        U(1), U(0), U(2), U(2147483648u), U(UINT32_MAX);
        break;
    case AC_PB_UINT64: case AC_PB_FIXED64:
        U(1), U(0), U(2147483648u), U(4294967296ull), U(9223372036854775808ull), U(UINT64_MAX);
        break;
    case AC_PB_BOOL: U(1), U(0); break;
    case AC_PB_FLOAT: D(1.5), D(0), D(-2.5); break;
    case AC_PB_DOUBLE: D(1.5), D(0), D(-2.5), D(1e39); break;
    case AC_PB_STRING: case AC_PB_BYTES:
        c[n].s = (const uint8_t *)"x", c[n++].n = 1;
        c[n].s = (const uint8_t *)"y", c[n++].n = 1;
        c[n].s = (const uint8_t *)"", c[n++].n = 0;
        /* what a writer that does not validate UTF-8 may send */
        if (f->kind == AC_PB_BYTES || f->features.utf8_validation != 2) c[n].s = (const uint8_t *)"\xff", c[n++].n = 1;
        break;
    case AC_PB_ENUM: {
        const ac_pb_enum *e = f->enum_type;
        int32_t max = INT32_MIN;
        bool zero = false;
        for (size_t i = 0; e && i < e->nvalues && i < ENUM_SCAN; i++) {
            int32_t v = e->values[i]->number;
            if (v > max) max = v;
            if (v == 0) zero = true;
            bool dup = false;
            for (size_t k = 0; k < n && !dup; k++) dup = c[k].i == v;
            if (!dup && n < MAX_CANDS - 1) I(v);
        }
        /* a nonzero value first: an implicit zero is not written */
        for (size_t k = 0; k < n; k++)
            if (c[k].i != 0) {
                pv_value t = c[0];
                c[0] = c[k];
                c[k] = t;
                break;
            }
        /* an open enum carries numbers it does not declare */
        if (e && !e->closed && n < MAX_CANDS && e->nvalues <= ENUM_SCAN) I(max < INT32_MAX ? max + 1 : 12345);
        (void)zero;
        break;
    }
    default: break;
    }
#undef I
#undef U
#undef D
    return n;
}

static pv_msg *full_msg(prover *P, const ac_pb_msg *t, int k, int depth, size_t *budget);

/* The value of field f in candidate k (messages filled by full_msg); false when there is none. */
static bool cand_value(prover *P, const ac_pb_field *f, int k, int depth, size_t *budget, pv_value *out)
{
    memset(out, 0, sizeof *out);
    if (f->kind == AC_PB_MESSAGE || f->kind == AC_PB_GROUP) {
        if (!f->msg_type) return false;
        out->m = full_msg(P, f->msg_type, k, depth + 1, budget);
        return out->m != NULL;
    }
    pv_value c[MAX_CANDS];
    size_t n = scalar_cands(f, c);
    if (!n) return false;
    for (size_t step = 0; step < n; step++) {
        pv_value v = c[((size_t)k + step) % n];
        if (pv_implicit(f) && pv_is_zero(f, &v)) continue; /* not written: pick the next */
        *out = v;
        return true;
    }
    return false;
}

/* Whether f is the chosen member of its oneof for candidate k. */
static bool oneof_pick(const ac_pb_field *f, int k)
{
    if (!f->oneof || f->oneof->synthetic) return true;
    const ac_pb_msg *m = f->parent;
    size_t members = 0, mine = 0;
    for (size_t i = 0; i < m->nfields; i++)
        if (m->fields[i]->oneof == f->oneof) {
            if (m->fields[i] == f) mine = members;
            members++;
        }
    return members && (size_t)k % members == mine;
}

/* A message of type t with every field set to its k-th candidate (one member per oneof, one
 * element per repeated field), to depth FULL_DEPTH and FULL_BUDGET fields; required fields always.
 * NULL when the required fields cannot be filled within bounds. */
static pv_msg *full_msg(prover *P, const ac_pb_msg *t, int k, int depth, size_t *budget)
{
    if (depth > PV_MAX_DEPTH / 2 || ++P->work > WORK_LIMIT) return NULL;
    pv_msg *m = pv_msg_new(P->a, t);
    for (size_t i = 0; i < t->nfields; i++) {
        const ac_pb_field *f = t->fields[i];
        bool req = pv_required(f);
        if (!req && (!*budget || !oneof_pick(f, k))) continue;
        bool sub = f->kind == AC_PB_MESSAGE || f->kind == AC_PB_GROUP;
        if (!req && sub && depth >= FULL_DEPTH) continue;
        pv_value v;
        if (!cand_value(P, f, k, depth, budget, &v)) {
            if (req) return NULL;
            continue;
        }
        pv_add(P->a, m, f, &v);
        if (*budget) (*budget)--;
        if (++P->work > WORK_LIMIT) return NULL;
    }
    return m;
}

/* A message of type t with only its required fields (recursively), or NULL. */
static pv_msg *base_msg(prover *P, const ac_pb_msg *t, int depth)
{
    if (!t || depth > PV_MAX_DEPTH / 2 || ++P->work > WORK_LIMIT) return NULL;
    pv_msg *m = pv_msg_new(P->a, t);
    for (size_t i = 0; i < t->nfields; i++) {
        const ac_pb_field *f = t->fields[i];
        if (!pv_required(f)) continue;
        pv_value v;
        memset(&v, 0, sizeof v);
        if (f->kind == AC_PB_MESSAGE || f->kind == AC_PB_GROUP) {
            v.m = base_msg(P, f->msg_type, depth + 1);
            if (!v.m) return NULL;
        } else {
            size_t none = 0;
            if (!cand_value(P, f, 0, depth, &none, &v)) return NULL;
        }
        pv_add(P->a, m, f, &v);
    }
    return m;
}

/* ---- trying a write --------------------------------------------------------------------------- */

static bool in_focus(int32_t n, const int32_t *focus, size_t nfocus)
{
    for (size_t i = 0; i < nfocus; i++)
        if (focus[i] == n) return true;
    return false;
}

static const char *reading(prover *P, const pv_msg *m, const pv_error *e, bool json)
{
    if (!m) return ac_arena_printf(P->a, "%s: %s", json ? "rejected" : "parse error", e ? e->msg : "?");
    return pv_text(P->a, m, READING_MAX);
}

/* Records a witness when it is stronger than the one held. */
static void keep(prover *P, witness *best, const side *s, int strength, const char *kind, const char *value,
                 const char *binary, const pv_msg *self, const pv_msg *got, const pv_error *err, bool json)
{
    if (strength <= best->strength) return;
    memset(&best->c, 0, sizeof best->c);
    best->strength = strength;
    best->c.kind = kind;
    best->c.direction = dir_name(s->old_writes);
    best->c.message = s->W->full_name;
    best->c.value = value;
    best->c.binary = binary;
    const char *mine = reading(P, self, NULL, json), *theirs = reading(P, got, err, json);
    best->c.old_reading = s->old_writes ? mine : theirs;
    best->c.new_reading = s->old_writes ? theirs : mine;
}

/* Writes tree as bytes; a witness when the writer reads back tree and the reader rejects the
 * bytes over a field in focus or reads those fields differently. */
static bool try_bytes(prover *P, const side *s, const pv_msg *tree, const int32_t *focus, size_t nfocus, witness *best)
{
    pv_buf b = {0};
    bool ok = pv_encode(tree, &b);
    pv_error e1, e2;
    const pv_msg *self = ok ? pv_decode(P->a, s->W, b.p, b.n, &e1) : NULL;
    if (!self || pv_compare(tree, self, NULL, 0) != PV_SAME) {
        pv_buf_free(&b);
        return false;
    }
    const pv_msg *got = pv_decode(P->a, s->R, b.p, b.n, &e2);
    int strength = 0;
    if (!got) strength = !e2.number || !nfocus || in_focus(e2.number, focus, nfocus) ? 3 : 0;
    else if (pv_compare(self, got, focus, nfocus) == PV_DIFFERENT) strength = 2;
    if (strength) keep(P, best, s, strength, "binary", NULL, hex(P->a, b.p, b.n), self, got, &e2, false);
    pv_buf_free(&b);
    return strength >= 2;
}

/* The same with ProtoJSON text written with JSON names or proto names. */
static bool try_json(prover *P, const side *s, const pv_msg *tree, const int32_t *focus, size_t nfocus, int names,
                     witness *best)
{
    const char *js = pv_json_write(P->a, tree, names);
    if (!js) return false;
    pv_error e1, e2;
    const pv_msg *self = pv_json_read(P->a, s->W, js, &e1);
    if (!self || pv_compare(tree, self, NULL, 0) != PV_SAME) return false;
    const pv_msg *got = pv_json_read(P->a, s->R, js, &e2);
    int strength = 0;
    /* a reader's error names its own field: in focus when it has the name of one written */
    bool ours = !e2.number || !nfocus;
    const ac_pb_field *rf = got || e2.number <= 0 ? NULL : pv_field(s->R, e2.number);
    for (size_t k = 0; k < nfocus && !ours && rf; k++) {
        const ac_pb_field *wf = pv_field(s->W, focus[k]);
        ours = wf && (!strcmp(wf->json_name, rf->json_name) || !strcmp(wf->name, rf->name));
    }
    if (!got) strength = e2.number == -1 ? 0 : ours ? 3 : 0;
    else if (pv_compare_json(self, got, focus, nfocus) == PV_DIFFERENT) strength = 2;
    if (strength) keep(P, best, s, strength, "json", js, NULL, self, got, &e2, true);
    return strength >= 2;
}

static bool try_write(prover *P, const side *s, const pv_msg *tree, const int32_t *focus, size_t nfocus, int mode,
                      witness *best)
{
    if (mode == M_BIN) return try_bytes(P, s, tree, focus, nfocus, best);
    return try_json(P, s, tree, focus, nfocus, PV_JSON_NAMES, best) ||
           try_json(P, s, tree, focus, nfocus, PV_PROTO_NAMES, best);
}

/* ---- fields ------------------------------------------------------------------------------------ */

/* A field of the writer's message that the reader puts in one oneof with the field of interest,
 * while the writer does not: written after it, it makes the reader drop it. */
static const ac_pb_field *oneof_sibling(const side *s)
{
    if (!s->r || !s->r->oneof || s->r->oneof->synthetic) return NULL;
    const ac_pb_msg *R = s->r->parent;
    for (size_t i = 0; i < R->nfields; i++) {
        const ac_pb_field *rm = R->fields[i];
        if (rm == s->r || rm->oneof != s->r->oneof) continue;
        const ac_pb_field *wf = pv_field(s->W, rm->number);
        if (!wf || wf == s->w) continue;
        if (s->w->oneof && !s->w->oneof->synthetic && wf->oneof == s->w->oneof) continue;
        return wf;
    }
    return NULL;
}

/* The writer's message: its required fields, then f set to the values given. */
/* The writer's message with its required fields, and the fields the reader requires where the
 * writer has them too (so that the reader does not reject it over something else). */
static pv_msg *base_for(prover *P, const side *s)
{
    pv_msg *m = base_msg(P, s->W, 0);
    if (!m || !s->R) return m;
    for (size_t i = 0; i < s->R->nfields; i++) {
        const ac_pb_field *rf = s->R->fields[i];
        const ac_pb_field *wf = pv_required(rf) ? pv_field(s->W, rf->number) : NULL;
        if (!wf || pv_has(m, wf->number)) continue;
        pv_value v;
        size_t budget = 0;
        if (wf->kind == AC_PB_MESSAGE || wf->kind == AC_PB_GROUP) {
            memset(&v, 0, sizeof v);
            v.m = base_msg(P, wf->msg_type, 1);
            if (!v.m) continue;
        } else if (!cand_value(P, wf, 0, 0, &budget, &v)) {
            continue;
        }
        pv_add(P->a, m, wf, &v);
    }
    return m;
}

static pv_msg *with_values(prover *P, const side *s, const pv_value *vals, size_t n)
{
    pv_msg *m = base_for(P, s);
    if (!m) return NULL;
    pv_remove(m, s->w->number);
    for (size_t i = 0; i < n; i++) pv_add(P->a, m, s->w, &vals[i]);
    return m;
}

/* The values to try for field w: a message's filled variants and an empty one, or its kind's
 * edge values. */
static size_t field_cands(prover *P, const ac_pb_field *w, pv_value *c);

/* A map's entries, each with s->inner set to one of its values and the entry's other field to its
 * first candidate. */
static size_t entry_cands(prover *P, const side *s, pv_value *c)
{
    pv_value in[MAX_CANDS + 1];
    size_t n = field_cands(P, s->inner, in), out = 0;
    const ac_pb_msg *et = s->w->msg_type;
    for (size_t k = 0; k < n; k++) {
        pv_msg *entry = pv_msg_new(P->a, et);
        bool ok = true;
        for (size_t i = 0; i < et->nfields && ok; i++) {
            const ac_pb_field *ef = et->fields[i];
            pv_value v;
            size_t budget = FULL_BUDGET;
            if (ef->number == s->inner->number) v = in[k];
            else ok = cand_value(P, ef, 0, 0, &budget, &v);
            if (ok) pv_add(P->a, entry, ef, &v);
        }
        if (!ok) continue;
        memset(&c[out], 0, sizeof c[out]);
        c[out++].m = entry;
    }
    return out;
}

static size_t field_cands(prover *P, const ac_pb_field *w, pv_value *c)
{
    if (w->kind != AC_PB_MESSAGE && w->kind != AC_PB_GROUP) return scalar_cands(w, c);
    size_t nc = 0;
    for (int k = 0; k < 4; k++) {
        size_t budget = FULL_BUDGET;
        pv_value v;
        if (cand_value(P, w, k, 0, &budget, &v)) c[nc++] = v;
    }
    memset(&c[nc], 0, sizeof c[nc]);
    c[nc].m = pv_msg_new(P->a, w->msg_type); /* present, with nothing in it */
    return nc + 1;
}

/* The ways of writing field s->w, tried against the reader in one mode; true on a witness.  Phase
 * 0 writes values: one, two of a repeated field (a singular reader keeps the last), a oneof member
 * followed by a sibling the reader puts in the same oneof.  Phase 1 writes a zero where it is
 * written at all: what only presence tells apart. */
static bool search_field(prover *P, const side *s, int mode, int phase, witness *best)
{
    int32_t focus[2] = {s->w->number, 0};
    pv_value c[MAX_CANDS + 1];
    size_t nc = s->inner ? entry_cands(P, s, c) : field_cands(P, s->w, c);
    bool repeated = s->w->label == AC_PB_LABEL_REPEATED && !s->inner;
    if (phase == 2) {
        /* the field left out, for a reader that requires it */
        if (pv_required(s->w) || !s->r || !pv_required(s->r)) return false;
        pv_msg *t = base_for(P, s);
        if (!t) return false;
        pv_remove(t, s->w->number);
        return try_write(P, s, t, focus, 1, mode, best);
    }
    for (size_t k = 0; k < nc; k++) {
        bool zero = pv_is_zero(s->w, &c[k]) || (c[k].m && !c[k].m->n);
        if (zero != (phase == 1) || (!repeated && zero && pv_implicit(s->w))) continue;
        pv_msg *t = with_values(P, s, &c[k], 1);
        if (t && try_write(P, s, t, focus, 1, mode, best)) return true;
    }
    if (phase == 1 || s->inner) return false;
    if (repeated) {
        /* two values that are not zeros */
        size_t pick[2], np = 0;
        for (size_t k = 0; k < nc && np < 2; k++)
            if (!pv_is_zero(s->w, &c[k]) && !(c[k].m && !c[k].m->n)) pick[np++] = k;
        if (np == 2) {
            pv_value two[2] = {c[pick[0]], c[pick[1]]};
            pv_msg *t = with_values(P, s, two, 2);
            if (t && try_write(P, s, t, focus, 1, mode, best)) return true;
        }
    }
    const ac_pb_field *sib = oneof_sibling(s);
    if (sib)
        for (size_t k = 0; k < nc && k < 3; k++) {
            if (pv_is_zero(s->w, &c[k]) || (c[k].m && !c[k].m->n)) continue;
            pv_msg *t = with_values(P, s, &c[k], 1);
            pv_value sv;
            size_t budget = FULL_BUDGET;
            if (!t || !cand_value(P, sib, 0, 0, &budget, &sv)) continue;
            pv_remove(t, sib->number);
            pv_add(P->a, t, sib, &sv);
            focus[1] = sib->number;
            if (try_write(P, s, t, focus, 1, mode, best)) return true;
        }
    return false;
}

/* The map field whose entries are messages of type entry. */
static const ac_pb_field *map_owner(const ac_pb_msg *entry)
{
    const ac_pb_msg *m = entry->parent;
    for (size_t i = 0; m && i < m->nfields; i++)
        if (m->fields[i]->msg_type == entry && m->fields[i]->cardinality == AC_CARD_MAP) return m->fields[i];
    return NULL;
}

/* A field in both versions: each mode, each phase, OLD writing first, then NEW.  A map's key or
 * value is written through its map field. */
static bool field_witness(prover *P, const ac_pb_field *of, const ac_pb_field *nf, int modes, witness *best)
{
    if (!of || !nf || of->extendee || nf->extendee || !of->parent || !nf->parent) return false;
    side a = {of->parent, nf->parent, of, nf, true, NULL}, b = {nf->parent, of->parent, nf, of, false, NULL};
    if (of->parent->map_entry || nf->parent->map_entry) {
        const ac_pb_field *om = of->parent->map_entry ? map_owner(of->parent) : NULL;
        const ac_pb_field *nm = nf->parent->map_entry ? map_owner(nf->parent) : NULL;
        if (!om || !nm) return false;
        a = (side){om->parent, nm->parent, om, nm, true, of};
        b = (side){nm->parent, om->parent, nm, om, false, nf};
    }
    for (int mode = M_BIN; mode <= M_JSON; mode <<= 1) {
        if (!(modes & mode)) continue;
        for (int phase = 0; phase < 3; phase++)
            if (search_field(P, &a, mode, phase, best) || search_field(P, &b, mode, phase, best)) return true;
    }
    return false;
}

/* A field OLD has and NEW's message lost. */
static bool deleted_witness(prover *P, const ac_pb_field *of, const ac_pb_msg *nm, int modes, witness *best)
{
    if (!of || !nm || of->extendee || !of->parent || of->parent->map_entry) return false;
    side s = {of->parent, nm, of, NULL, true, NULL};
    for (int mode = M_BIN; mode <= M_JSON; mode <<= 1)
        if ((modes & mode) && (search_field(P, &s, mode, 0, best) || search_field(P, &s, mode, 1, best))) return true;
    return false;
}

/* A default value from the descriptor's text of it, as a value of f's kind. */
static bool default_value(const ac_pb_field *f, pv_value *v)
{
    memset(v, 0, sizeof *v);
    const char *d = f->has_default ? f->default_value : NULL;
    switch (f->kind) {
    case AC_PB_BYTES: return !d; /* an escaped default: not read here */
    case AC_PB_STRING:
        v->s = (const uint8_t *)(d ? d : "");
        v->n = d ? strlen(d) : 0;
        return true;
    case AC_PB_ENUM: {
        const ac_pb_enum *e = f->enum_type;
        if (!e || !e->nvalues) return false;
        v->i = e->values[0]->number;
        for (size_t i = 0; d && i < e->nvalues; i++)
            if (!strcmp(e->values[i]->name, d)) v->i = e->values[i]->number;
        return true;
    }
    case AC_PB_BOOL: v->u = d && !strcmp(d, "true"); return true;
    case AC_PB_FLOAT: case AC_PB_DOUBLE:
        v->d = !d ? 0 : !strcmp(d, "inf") ? INFINITY : !strcmp(d, "-inf") ? -INFINITY : !strcmp(d, "nan") ? NAN : strtod(d, NULL);
        return true;
    case AC_PB_UINT32: case AC_PB_UINT64: case AC_PB_FIXED32: case AC_PB_FIXED64:
        v->u = d ? strtoull(d, NULL, 0) : 0;
        return true;
    case AC_PB_MESSAGE: case AC_PB_GROUP: return false;
    default: v->i = d ? strtoll(d, NULL, 0) : 0; return true;
    }
}

/* OLD writes the message without the field; each side reads its own default. */
static bool default_witness(prover *P, const ac_pb_field *of, const ac_pb_field *nf, witness *best)
{
    if (!of || !nf || of->extendee || of->label == AC_PB_LABEL_REPEATED || nf->label == AC_PB_LABEL_REPEATED) return false;
    if (pv_implicit(of) || pv_implicit(nf) || !of->parent || !nf->parent) return false;
    pv_value ov, nv;
    if (!default_value(of, &ov) || !default_value(nf, &nv)) return false;
    pv_msg *a = pv_msg_new(P->a, NULL), *b = pv_msg_new(P->a, NULL);
    pv_add(P->a, a, of, &ov);
    pv_add(P->a, b, nf, &nv);
    if (pv_compare(a, b, NULL, 0) != PV_DIFFERENT) return false;
    side s = {of->parent, nf->parent, of, nf, true, NULL};
    pv_msg *t = base_for(P, &s);
    if (!t) return false;
    pv_remove(t, of->number);
    pv_buf buf = {0};
    pv_error e1, e2;
    pv_msg *self = pv_encode(t, &buf) ? pv_decode(P->a, of->parent, buf.p, buf.n, &e1) : NULL;
    pv_msg *got = self ? pv_decode(P->a, nf->parent, buf.p, buf.n, &e2) : NULL;
    if (!self || !got || pv_has(self, of->number) || pv_has(got, nf->number)) {
        pv_buf_free(&buf);
        return false;
    }
    memset(&best->c, 0, sizeof best->c);
    best->strength = 2;
    best->c.kind = "binary";
    best->c.direction = dir_name(true);
    best->c.message = s.W->full_name;
    best->c.binary = hex(P->a, buf.p, buf.n);
    const char *ot = pv_text(P->a, self, READING_MAX), *nt = pv_text(P->a, got, READING_MAX);
    best->c.old_reading = ac_arena_printf(P->a, "%s%s%s: %s (default)", ot, *ot ? " " : "", of->name, pv_value_text(P->a, of, &ov));
    best->c.new_reading = ac_arena_printf(P->a, "%s%s%s: %s (default)", nt, *nt ? " " : "", nf->name, pv_value_text(P->a, nf, &nv));
    pv_buf_free(&buf);
    return true;
}

/* The writer's message with only its required fields, read by a reader that requires more (the
 * field in focus). */
static bool required_witness(prover *P, const ac_pb_msg *W, const ac_pb_msg *R, bool old_writes, int32_t number,
                             witness *best)
{
    if (!W || !R) return false;
    side s = {W, R, NULL, NULL, old_writes, NULL};
    pv_msg *t = base_for(P, &s);
    if (t) pv_remove(t, number);
    return t && try_bytes(P, &s, t, &number, 1, best);
}

/* OLD's oneof is gone: NEW writes two of its members, OLD keeps the last. */
static bool oneof_witness(prover *P, const ac_pb_oneof *o, const ac_pb_msg *nm, witness *best)
{
    const ac_pb_msg *om = o->msg;
    if (!om || !nm) return false;
    for (size_t i = 0; i < om->nfields; i++) {
        const ac_pb_field *a = om->fields[i];
        if (a->oneof != o) continue;
        for (size_t j = 0; j < om->nfields; j++) {
            const ac_pb_field *b = om->fields[j];
            if (b == a || b->oneof != o) continue;
            const ac_pb_field *na = pv_field(nm, a->number), *nb = pv_field(nm, b->number);
            if (!na || !nb || (na->oneof && !na->oneof->synthetic && na->oneof == nb->oneof)) continue;
            side s = {nm, om, na, a, false, NULL};
            pv_msg *t = base_for(P, &s);
            pv_value va, vb;
            size_t budget = FULL_BUDGET;
            if (!t || !cand_value(P, na, 0, 0, &budget, &va) || !cand_value(P, nb, 0, 0, &budget, &vb)) continue;
            pv_remove(t, na->number);
            pv_remove(t, nb->number);
            pv_add(P->a, t, na, &va);
            pv_add(P->a, t, nb, &vb);
            int32_t focus[2] = {a->number, b->number};
            if (try_bytes(P, &s, t, focus, 2, best)) return true;
        }
    }
    return false;
}

/* ---- enums ---------------------------------------------------------------------------------------- */

static void build_enum_use(prover *P)
{
    if (P->enum_use_built) return;
    P->enum_use_built = true;
    ac_strmap_init(&P->enum_use);
    for (size_t i = 0; i < P->old->nfiles; i++) {
        const ac_pb_file *f = P->old->files[i];
        for (size_t j = 0; j < f->nmsgs; j++) {
            const ac_pb_msg *m = f->msgs[j];
            if (m->map_entry) continue;
            for (size_t k = 0; k < m->nfields; k++) {
                const ac_pb_field *x = m->fields[k];
                if (x->kind != AC_PB_ENUM || !x->enum_type) continue;
                usage *u = ac_arena_alloc(P->keep, sizeof *u);
                u->f = x;
                u->next = ac_strmap_get(&P->enum_use, x->enum_type->full_name);
                ac_strmap_put(&P->enum_use, x->enum_type->full_name, u);
            }
        }
    }
}

/* A field of OLD of enum type oe whose message NEW still has, with the same number typed ne. */
static bool enum_usage(prover *P, const ac_pb_enum *oe, const ac_pb_enum *ne, const ac_pb_field **of, const ac_pb_field **nf)
{
    build_enum_use(P);
    for (usage *u = ac_strmap_get(&P->enum_use, oe->full_name); u; u = u->next) {
        if (u->f->enum_type != oe) continue;
        const ac_pb_msg *nm = ac_strmap_get(&P->new->msg_by_name, u->f->parent->full_name);
        const ac_pb_field *x = nm ? pv_field(nm, u->f->number) : NULL;
        if (!x || x->kind != AC_PB_ENUM || x->enum_type != ne) continue;
        *of = u->f;
        *nf = x;
        return true;
    }
    return false;
}

/* OLD writes enum value v in a field of its type. */
static bool enum_value_written(prover *P, const ac_pb_enum_value *v, const ac_pb_enum *ne, int modes, witness *best)
{
    const ac_pb_field *of, *nf;
    if (!enum_usage(P, v->parent, ne, &of, &nf) || of->parent->map_entry) return false;
    side s = {of->parent, nf->parent, of, nf, true, NULL};
    pv_value val;
    memset(&val, 0, sizeof val);
    val.i = v->number;
    if (pv_implicit(of) && val.i == 0) return false;
    for (int mode = M_BIN; mode <= M_JSON; mode <<= 1) {
        if (!(modes & mode)) continue;
        pv_msg *t = with_values(P, &s, &val, 1);
        if (t && try_write(P, &s, t, (int32_t[]){of->number}, 1, mode, best)) return true;
    }
    return false;
}

/* No field to carry it: the value's name as the JSON of the enum itself. */
static bool enum_name_alone(prover *P, const ac_pb_enum_value *v, const ac_pb_enum *ne, witness *best)
{
    const ac_pb_enum_value *same = NULL;
    for (size_t i = 0; i < ne->nvalues && !same; i++)
        if (!strcmp(ne->values[i]->name, v->name)) same = ne->values[i];
    if (same && same->number == v->number) return false;
    memset(&best->c, 0, sizeof best->c);
    best->strength = same ? 2 : 3;
    best->c.kind = "json";
    best->c.direction = dir_name(true);
    best->c.message = v->parent->full_name;
    best->c.value = ac_arena_printf(P->a, "\"%s\"", v->name);
    best->c.old_reading = ac_arena_printf(P->a, "%s (%d)", v->name, (int)v->number);
    best->c.new_reading = same ? ac_arena_printf(P->a, "%s (%d)", same->name, (int)same->number)
                               : ac_arena_printf(P->a, "rejected: enum \"%s\" has no value named \"%s\"", ne->full_name, v->name);
    return true;
}

/* ---- services ------------------------------------------------------------------------------------ */

static const ac_pb_service *new_service(prover *P, const char *full_name)
{
    if (!P->services_built) {
        P->services_built = true;
        ac_strmap_init(&P->new_services);
        for (size_t i = 0; i < P->new->nfiles; i++)
            for (size_t j = 0; j < P->new->files[i]->nservices; j++)
                ac_strmap_add(&P->new_services, P->new->files[i]->services[j]->full_name, P->new->files[i]->services[j]);
    }
    return ac_strmap_get(&P->new_services, full_name);
}

/* A call OLD's clients make that NEW has no method for. */
static bool call_witness(prover *P, const ac_pb_method *m, witness *best)
{
    const ac_pb_service *ns = new_service(P, m->service->full_name);
    for (size_t i = 0; ns && i < ns->nmethods; i++)
        if (!strcmp(ns->methods[i]->name, m->name)) return false;
    memset(&best->c, 0, sizeof best->c);
    best->strength = 3;
    best->c.kind = "operation";
    best->c.direction = "request";
    best->c.operation = ac_arena_printf(P->a, "/%s/%s", m->service->full_name, m->name);
    best->c.message = m->input_type;
    best->c.old_reading = ac_arena_printf(P->a, "rpc %s(%s%s) returns (%s%s)", m->name, m->client_streaming ? "stream " : "",
                                          m->input_type, m->server_streaming ? "stream " : "", m->output_type);
    best->c.new_reading = ac_arena_printf(P->a, "no method \"%s\": the call fails with UNIMPLEMENTED", best->c.operation);
    return true;
}

static bool service_calls(prover *P, const ac_pb_service *s, witness *best)
{
    for (size_t i = 0; i < s->nmethods; i++)
        if (call_witness(P, s->methods[i], best)) return true;
    return false;
}

static bool file_calls(prover *P, const ac_pb_file *f, witness *best)
{
    for (size_t i = 0; i < f->nservices; i++)
        if (service_calls(P, f->services[i], best)) return true;
    return false;
}

/* A request (or response) of the old type, read as the new one. */
static bool rpc_type_witness(prover *P, const ac_pb_method *om, const ac_pb_method *nm, bool request, witness *best)
{
    const char *ot = request ? om->input_type : om->output_type, *nt = request ? nm->input_type : nm->output_type;
    const ac_pb_msg *O = ac_strmap_get(&P->old->msg_by_name, ot), *N = ac_strmap_get(&P->new->msg_by_name, nt);
    if (!O || !N) return false;
    /* the natural direction first: clients write requests, servers responses */
    side sides[2] = {{O, N, NULL, NULL, true, NULL}, {N, O, NULL, NULL, false, NULL}};
    if (!request) {
        side t = sides[0];
        sides[0] = sides[1];
        sides[1] = t;
    }
    for (int mode = M_BIN; mode <= M_JSON; mode <<= 1)
        for (int d = 0; d < 2; d++)
            for (int k = 0; k < 6; k++) {
                size_t budget = FULL_BUDGET;
                pv_msg *t = full_msg(P, sides[d].W, k, 0, &budget);
                if (t && try_write(P, &sides[d], t, NULL, 0, mode, best)) goto found;
            }
    return false;
found:
    best->c.operation = ac_arena_printf(P->a, "/%s/%s", nm->service->full_name, nm->name);
    return true;
}

/* ---- the rules ------------------------------------------------------------------------------------- */

typedef enum {
    H_NONE, H_FIELD, H_DELETED, H_DEFAULT, H_REQUIRED, H_ONEOF, H_ENUM_VALUE, H_ENUM_NAME, H_ENUM_TYPE,
    H_CALL, H_REQUEST, H_RESPONSE
} handler;

static const struct {
    const char *id;
    handler h;
    int modes;
} rule_proofs[] = {
    {"FIELD_SAME_TYPE", H_FIELD, M_BIN | M_JSON},
    {"FIELD_WIRE_COMPATIBLE_TYPE", H_FIELD, M_BIN},
    {"FIELD_WIRE_JSON_COMPATIBLE_TYPE", H_FIELD, M_BIN | M_JSON},
    {"FIELD_SAME_CARDINALITY", H_FIELD, M_BIN | M_JSON},
    {"FIELD_WIRE_COMPATIBLE_CARDINALITY", H_FIELD, M_BIN},
    {"FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", H_FIELD, M_BIN | M_JSON},
    {"FIELD_SAME_ONEOF", H_FIELD, M_BIN | M_JSON},
    {"FIELD_SAME_UTF8_VALIDATION", H_FIELD, M_BIN},
    {"FIELD_SAME_NAME", H_FIELD, M_JSON},
    {"FIELD_SAME_JSON_NAME", H_FIELD, M_JSON},
    {"FIELD_SAME_DEFAULT", H_DEFAULT, M_BIN},
    {"FIELD_NO_DELETE", H_DELETED, M_BIN},
    {"FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", H_DELETED, M_BIN},
    {"FIELD_NO_DELETE_UNLESS_NAME_RESERVED", H_DELETED, M_JSON},
    {"MESSAGE_SAME_REQUIRED_FIELDS", H_REQUIRED, M_BIN},
    {"ONEOF_NO_DELETE", H_ONEOF, M_BIN},
    {"ENUM_VALUE_NO_DELETE", H_ENUM_VALUE, M_BIN | M_JSON},
    {"ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", H_ENUM_VALUE, M_BIN | M_JSON},
    {"ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", H_ENUM_VALUE, M_JSON},
    {"ENUM_VALUE_SAME_NAME", H_ENUM_NAME, M_JSON},
    {"ENUM_SAME_TYPE", H_ENUM_TYPE, M_BIN},
    {"RPC_NO_DELETE", H_CALL, 0},
    {"SERVICE_NO_DELETE", H_CALL, 0},
    {"PACKAGE_SERVICE_NO_DELETE", H_CALL, 0},
    {"FILE_NO_DELETE", H_CALL, 0},
    {"PACKAGE_NO_DELETE", H_CALL, 0},
    {"RPC_SAME_REQUEST_TYPE", H_REQUEST, 0},
    {"RPC_SAME_RESPONSE_TYPE", H_RESPONSE, 0},
};

#define EV(x, k) ((x).kind == (k) ? (x).p : NULL)

static bool prove_one(prover *P, const ac_finding *f, witness *best)
{
    handler h = H_NONE;
    int modes = 0;
    for (size_t i = 0; i < sizeof rule_proofs / sizeof rule_proofs[0] && h == H_NONE; i++)
        if (!strcmp(rule_proofs[i].id, f->rule->id)) h = rule_proofs[i].h, modes = rule_proofs[i].modes;
    const ac_elem_ref o = f->ev_old, n = f->ev_new;
    switch (h) {
    case H_FIELD: return field_witness(P, EV(o, AC_EL_PB_FIELD), EV(n, AC_EL_PB_FIELD), modes, best);
    case H_DELETED: return deleted_witness(P, EV(o, AC_EL_PB_FIELD), EV(n, AC_EL_PB_MSG), modes, best);
    case H_DEFAULT: return default_witness(P, EV(o, AC_EL_PB_FIELD), EV(n, AC_EL_PB_FIELD), best);
    case H_REQUIRED: {
        const ac_pb_field *lost = EV(o, AC_EL_PB_FIELD), *gained = EV(n, AC_EL_PB_FIELD);
        if (lost) return required_witness(P, EV(n, AC_EL_PB_MSG), lost->parent, false, lost->number, best);
        if (gained) return required_witness(P, EV(o, AC_EL_PB_MSG), gained->parent, true, gained->number, best);
        return false;
    }
    case H_ONEOF: {
        const ac_pb_oneof *oo = EV(o, AC_EL_PB_ONEOF);
        return oo && oneof_witness(P, oo, EV(n, AC_EL_PB_MSG), best);
    }
    case H_ENUM_VALUE: {
        const ac_pb_enum_value *v = EV(o, AC_EL_PB_ENUM_VALUE);
        const ac_pb_enum *ne = EV(n, AC_EL_PB_ENUM);
        if (!v || !ne) return false;
        return enum_value_written(P, v, ne, modes, best) || ((modes & M_JSON) && enum_name_alone(P, v, ne, best));
    }
    case H_ENUM_NAME: {
        const ac_pb_enum_value *v = EV(o, AC_EL_PB_ENUM_VALUE), *nv = EV(n, AC_EL_PB_ENUM_VALUE);
        if (!v || !nv) return false;
        return enum_value_written(P, v, nv->parent, M_JSON, best) || enum_name_alone(P, v, nv->parent, best);
    }
    case H_ENUM_TYPE: {
        const ac_pb_enum *oe = EV(o, AC_EL_PB_ENUM), *ne = EV(n, AC_EL_PB_ENUM);
        const ac_pb_field *of, *nf;
        return oe && ne && enum_usage(P, oe, ne, &of, &nf) && field_witness(P, of, nf, M_BIN, best);
    }
    case H_CALL: {
        if (o.kind == AC_EL_PB_METHOD) return call_witness(P, o.p, best);
        if (o.kind == AC_EL_PB_SERVICE) return service_calls(P, o.p, best);
        if (o.kind == AC_EL_PB_FILE) return file_calls(P, o.p, best);
        if (o.kind == AC_EL_PB_PACKAGE) {
            const char *pkg = ((const ac_pb_file *)o.p)->package;
            for (size_t i = 0; i < P->old->nfiles; i++)
                if (!P->old->files[i]->is_import && !strcmp(P->old->files[i]->package, pkg) && file_calls(P, P->old->files[i], best))
                    return true;
        }
        return false;
    }
    case H_REQUEST: case H_RESPONSE: {
        const ac_pb_method *om = EV(o, AC_EL_PB_METHOD), *nm = EV(n, AC_EL_PB_METHOD);
        return om && nm && rpc_type_witness(P, om, nm, h == H_REQUEST, best);
    }
    default: return false;
    }
}

void ac_proto_prove(const ac_contract *old, const ac_contract *new, ac_findings *fs)
{
    prover P;
    memset(&P, 0, sizeof P);
    P.old = old;
    P.new = new;
    P.a = ac_arena_new();
    P.keep = ac_arena_new();
    for (size_t i = 0; i < fs->n; i++) {
        ac_finding *f = &fs->v[i];
        if (f->rule->format != AC_FMT_PROTO || f->severity < AC_SEV_WARN) continue;
        witness best;
        memset(&best, 0, sizeof best);
        f->proof = AC_PROOF_NONE;
        if (prove_one(&P, f, &best) && best.strength >= 2) {
            f->proof = AC_PROOF_PROVEN;
            f->cex = ac_counterexample_copy(fs->arena, &best.c);
        }
        ac_arena_reset(P.a);
        P.work = 0;
    }
    if (P.enum_use_built) ac_strmap_free(&P.enum_use);
    if (P.services_built) ac_strmap_free(&P.new_services);
    ac_arena_free(P.a);
    ac_arena_free(P.keep);
}
