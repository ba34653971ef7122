/* The OpenAPI check: allOf: the merged meaning of a schema. */
#include "compat/rules/oas_internal.h"

#include "compat/base/map.h"

/* ---- allOf: the merged meaning ---------------------------------------------------------------- */

/* Schemas being merged (1) or done (2), indexed by id; ids from `count` on were made by merging. */
typedef struct merge_state {
    uint8_t *mark;
    uint32_t count;
} merge_state;

/* Two bounds' values compared exactly (9007199254740993 is above 9007199254740992, although both
 * are the same double). */
int oas_bound_cmp(const ac_oas_bound *a, const ac_oas_bound *b)
{
    return ac_number_cmp(a->v, a->exact, b->v, b->exact);
}

static ac_oas_schema *merged(ac_arena *a, ac_oas *oas, ac_oas_schema *s, merge_state *state, int depth);

/* The properties and required names of a merge in progress, indexed by name, so that merging an
 * allOf of n members is linear in their properties (copying the union at each step was
 * quadratic: 16,000 members took 3 GB). */
typedef struct merge_acc {
    ac_oas_named *props;
    uint32_t nprops, cap;
    ac_strmap prop_at; /* name -> index + 1 */
    const char **req;
    uint32_t nreq, rcap;
    ac_strmap req_seen;
    bool changed;
} merge_acc;

static void acc_add_prop(merge_acc *acc, ac_oas_named p)
{
    if (acc->nprops == acc->cap) {
        acc->cap = acc->cap ? acc->cap * 2 : 16;
        acc->props = ac_xrealloc(acc->props, acc->cap * sizeof *acc->props);
    }
    acc->props[acc->nprops++] = p;
    ac_strmap_put(&acc->prop_at, p.name, (void *)(uintptr_t)acc->nprops);
}

static void acc_add_req(merge_acc *acc, const char *name)
{
    if (!ac_strmap_add(&acc->req_seen, name, (void *)1)) return;
    if (acc->nreq == acc->rcap) {
        acc->rcap = acc->rcap ? acc->rcap * 2 : 16;
        acc->req = ac_xrealloc(acc->req, acc->rcap * sizeof *acc->req);
    }
    acc->req[acc->nreq++] = name;
}

static void acc_begin(merge_acc *acc, const ac_oas_schema *m)
{
    memset(acc, 0, sizeof *acc);
    ac_strmap_init(&acc->prop_at);
    ac_strmap_init(&acc->req_seen);
    for (uint32_t i = 0; i < m->nprops; i++)
        if (!ac_strmap_get(&acc->prop_at, m->props[i].name)) acc_add_prop(acc, m->props[i]);
    for (uint32_t i = 0; i < m->required.n; i++) acc_add_req(acc, m->required.v[i]);
}

/* Hands the union to m (in a) when a member added to it, and frees the index. */
static void acc_end(ac_arena *a, merge_acc *acc, ac_oas_schema *m)
{
    if (acc->changed) {
        m->props = acc->nprops ? ac_arena_memdup(a, acc->props, acc->nprops * sizeof *acc->props) : NULL;
        m->nprops = acc->nprops;
        m->required.v = acc->nreq ? ac_arena_memdup(a, acc->req, acc->nreq * sizeof *acc->req) : NULL;
        m->required.n = acc->nreq;
    }
    free(acc->props);
    free(acc->req);
    ac_strmap_free(&acc->prop_at);
    ac_strmap_free(&acc->req_seen);
}

static void merge_into(ac_arena *a, ac_oas *oas, ac_oas_schema *m, merge_acc *acc, const ac_oas_schema *x,
                       merge_state *state, int depth)
{
    if (x->typed) {
        if (!m->typed) {
            m->typed = true;
            m->types = x->types;
        } else if (m->types & x->types) {
            m->types &= x->types;
        }
    }
    if (x->nullable && !m->typed) m->nullable = true;
    if (!m->format) m->format = x->format;
    if (!m->title) m->title = x->title;
    if (x->has_enum && !m->has_enum) {
        m->has_enum = true;
        m->enums = x->enums;
    }
    if (!m->dflt) m->dflt = x->dflt;
    if (x->min.set && (!m->min.set || oas_bound_cmp(&x->min, &m->min) > 0)) m->min = x->min;
    if (x->max.set && (!m->max.set || oas_bound_cmp(&x->max, &m->max) < 0)) m->max = x->max;
#define TIGHTER_MIN(to, from, f) if ((from)->f >= 0 && (from)->f > (to)->f) (to)->f = (from)->f
#define TIGHTER_MAX(to, from, f) if ((from)->f >= 0 && ((to)->f < 0 || (from)->f < (to)->f)) (to)->f = (from)->f
    TIGHTER_MIN(m, x, min_len);
    TIGHTER_MAX(m, x, max_len);
    TIGHTER_MIN(m, x, min_items);
    TIGHTER_MAX(m, x, max_items);
    if (!m->pattern) m->pattern = x->pattern;
    if (!m->items) m->items = x->items;
    if (!m->addl) {
        m->addl = x->addl;
        m->addl_schema = x->addl_schema;
    }
    m->read_only |= x->read_only;
    m->write_only |= x->write_only;
    if (x->x != &ac_oas_schema_x_none) {
        /* the rarely used keywords: m may share them with the schema it was copied from */
        const ac_oas_schema_x *xx = x->x;
        ac_oas_schema_x *w = ac_arena_memdup(a, m->x, sizeof *w);
        m->x = w;
        if (xx->has_xenum && !w->has_xenum) {
            w->has_xenum = true;
            w->xenums = xx->xenums;
        }
        if (!w->konst) w->konst = xx->konst;
        TIGHTER_MIN(w, xx, min_props);
        TIGHTER_MAX(w, xx, max_props);
        TIGHTER_MIN(w, xx, min_contains);
        TIGHTER_MAX(w, xx, max_contains);
        if (!w->has_discriminator && xx->has_discriminator) {
            w->has_discriminator = true;
            w->discriminator = xx->discriminator;
            w->mapping_keys = xx->mapping_keys;
            w->mapping_vals = xx->mapping_vals;
        }
    }
#undef TIGHTER_MIN
#undef TIGHTER_MAX
    if (!m->none_of && x->none_of) {
        m->one_of = x->one_of;
        m->none_of = x->none_of;
        m->one_of_digest = x->one_of_digest;
        m->one_of_src = x->one_of_src;
    }
    if (!m->nany_of && x->nany_of) {
        m->any_of = x->any_of;
        m->nany_of = x->nany_of;
        m->any_of_digest = x->any_of_digest;
        m->any_of_src = x->any_of_src;
    }
    /* properties: the union; one defined in both is the combination of both definitions */
    if (x->nprops || x->required.n) acc->changed = true;
    for (uint32_t i = 0; i < x->nprops; i++) {
        uint32_t k = (uint32_t)(uintptr_t)ac_strmap_get(&acc->prop_at, x->props[i].name);
        if (!k) {
            acc_add_prop(acc, x->props[i]);
        } else if (acc->props[k - 1].schema != x->props[i].schema && depth < MAX_MERGE_DEPTH) {
            ac_oas_schema *fm = merged(a, oas, acc->props[k - 1].schema, state, depth + 1);
            ac_oas_schema *fx = merged(a, oas, x->props[i].schema, state, depth + 1);
            ac_oas_schema *comb = ac_arena_memdup(a, fm, sizeof *fm);
            comb->id = oas->schema_count++;
            comb->merged = NULL;
            comb->nall_of = 0;
            merge_acc inner;
            acc_begin(&inner, comb);
            merge_into(a, oas, comb, &inner, fx, state, depth + 1);
            acc_end(a, &inner, comb);
            acc->props[k - 1].schema = comb;
        }
    }
    for (uint32_t i = 0; i < x->required.n; i++) acc_add_req(acc, x->required.v[i]);
}

static uint8_t ot_values(const ac_oas_schema *s)
{
    return s->typed ? (uint8_t)(s->types & (AC_OT_BOOLEAN | AC_OT_OBJECT | AC_OT_ARRAY | AC_OT_NUMBER | AC_OT_STRING | AC_OT_INTEGER)) : 0;
}

/* A branch that is only a type (and perhaps a format): part of a list of types. */
static bool plain_type(const ac_oas_schema *b)
{
    return b->typed && !b->name && !b->nprops && !b->items && !b->has_enum && !b->x->konst && !b->min.set && !b->max.set &&
           b->min_len < 0 && b->max_len < 0 && b->min_items < 0 && b->max_items < 0 && !b->pattern && !b->nall_of &&
           !b->none_of && !b->nany_of && !b->addl && !b->x->nprefix;
}

/* A branch that is a type and an enum and nothing else: oneOf [{type: string, enum: [a]}, {type:
 * string, enum: [b]}] is {type: string, enum: [a, b]}. */
static bool enum_only(const ac_oas_schema *b)
{
    return b->typed && b->has_enum && !b->name && !b->nprops && !b->items && !b->x->konst && !b->min.set && !b->max.set &&
           b->min_len < 0 && b->max_len < 0 && b->min_items < 0 && b->max_items < 0 && !b->pattern && !b->nall_of &&
           !b->none_of && !b->nany_of && !b->addl && !b->x->nprefix;
}

static bool null_only(const ac_oas_schema *b)
{
    return plain_type(b) && !ot_values(b) && (b->types & AC_OT_NULL);
}

/* oneOf/anyOf [X, {type: null}] means "X or null"; oneOf/anyOf [{type: string}, {type: integer}]
 * means "string or integer"; oneOf/anyOf [X] means X; oneOf/anyOf of one type split into enums is
 * that type with all their values.  Compared that way, rewriting one into the other is not a change. */
static ac_oas_schema *simplify(ac_arena *a, ac_oas *oas, ac_oas_schema *s, ac_oas_schema *base, merge_state *state)
{
    if (base->typed || base->nprops || base->items || (base->none_of && base->nany_of) || (!base->none_of && !base->nany_of))
        return NULL;
    ac_oas_schema **br = base->none_of ? base->one_of : base->any_of;
    uint32_t nb = base->none_of ? base->none_of : base->nany_of;
    uint32_t nulls = 0, plain = 0, other = 0, last = 0;
    uint8_t types = 0;
    for (uint32_t i = 0; i < nb; i++) {
        if (null_only(br[i])) nulls++;
        else {
            other++;
            last = i;
            if (plain_type(br[i])) {
                plain++;
                types |= br[i]->types;
            }
        }
    }
    if (other == 1 && (nulls || nb == 1)) {
        ac_oas_schema *t = merged(a, oas, br[last], state, 1);
        ac_oas_schema *c = ac_arena_memdup(a, t, sizeof *t);
        c->merged = NULL;
        /* what the wrapper itself says still holds (nullable: true beside the anyOf, readOnly, ...) */
        c->nullable = c->nullable || nulls || base->nullable;
        c->read_only |= base->read_only;
        c->write_only |= base->write_only;
        c->deprecated |= base->deprecated;
        c->src = s->src;
        if (s->name) c->name = s->name;
        return c;
    }
    /* the same type split into enums: one enum of all their values */
    uint32_t enums = 0, nvalues = 0;
    uint8_t etype = 0;
    const char *eformat = NULL;
    bool same = true;
    for (uint32_t i = 0; i < nb && same; i++) {
        if (null_only(br[i])) continue;
        if (!enum_only(br[i])) {
            same = false;
            break;
        }
        if (enums++ == 0) {
            etype = br[i]->types;
            eformat = br[i]->format;
        }
        same = br[i]->types == etype && (eformat == br[i]->format || (eformat && br[i]->format && !strcmp(eformat, br[i]->format)));
        nvalues += br[i]->enums.n;
    }
    if (same && enums >= 2 && enums == other) {
        ac_oas_schema *c = ac_arena_memdup(a, base, sizeof *base);
        c->merged = NULL;
        c->typed = true;
        c->types = (uint8_t)(etype | (nulls ? AC_OT_NULL : 0));
        c->format = eformat;
        c->nullable = c->nullable || nulls;
        c->none_of = c->nany_of = 0;
        c->has_enum = true;
        c->enums.v = ac_arena_alloc(a, (nvalues ? nvalues : 1) * sizeof *c->enums.v);
        c->enums.n = 0;
        ac_strmap seen;
        ac_strmap_init(&seen);
        for (uint32_t i = 0; i < nb; i++)
            for (uint32_t k = 0; !null_only(br[i]) && k < br[i]->enums.n; k++)
                if (ac_strmap_add(&seen, br[i]->enums.v[k], (void *)1)) c->enums.v[c->enums.n++] = br[i]->enums.v[k];
        ac_strmap_free(&seen);
        return c;
    }
    if (other >= 2 && plain == other) {
        ac_oas_schema *c = ac_arena_memdup(a, base, sizeof *base);
        c->merged = NULL;
        c->typed = true;
        c->types = (uint8_t)(types | (nulls ? AC_OT_NULL : 0));
        c->nullable = c->nullable || nulls;
        c->none_of = c->nany_of = 0;
        c->type_list = true;
        return c;
    }
    return NULL;
}

static ac_oas_schema *merged(ac_arena *a, ac_oas *oas, ac_oas_schema *s, merge_state *state, int depth)
{
    if (s->merged) return s->merged;
    if (!s->nall_of && !s->none_of && !s->nany_of) return s;
    if (s->id >= state->count || state->mark[s->id] || depth > MAX_MERGE_DEPTH) return s; /* done, or a cycle */
    state->mark[s->id] = 1;
    ac_oas_schema *m = s;
    if (s->nall_of) {
        m = ac_arena_memdup(a, s, sizeof *s);
        m->merged = NULL;
        merge_acc acc;
        acc_begin(&acc, m);
        for (uint32_t i = 0; i < s->nall_of; i++)
            merge_into(a, oas, m, &acc, merged(a, oas, s->all_of[i], state, depth + 1), state, depth + 1);
        acc_end(a, &acc, m);
    }
    ac_oas_schema *simple = simplify(a, oas, s, m, state);
    if (simple) m = simple;
    state->mark[s->id] = 2;
    if (m != s) s->merged = m;
    return m;
}

void oas_merge_all(ac_contract *c)
{
    ac_oas *oas = c->oas;
    uint32_t count = oas->schema_count; /* merging creates schemas; those are merged already */
    merge_state state = {ac_xcalloc(count ? count : 1, 1), count};
    /* every schema is reachable from a component, an operation or a nested schema; walk them all */
    ac_oas_schema **stack = NULL;
    size_t n = 0, cap = 0;
    uint8_t *seen = ac_xcalloc(count ? count : 1, 1);
#define PUSH(s)                                                          \
    do {                                                                 \
        ac_oas_schema *_s = (s);                                         \
        if (_s && _s->id < count && !seen[_s->id]) {                     \
            seen[_s->id] = 1;                                            \
            if (n == cap) {                                              \
                cap = cap ? cap * 2 : 256;                               \
                stack = ac_xrealloc(stack, cap * sizeof *stack);         \
            }                                                            \
            stack[n++] = _s;                                             \
        }                                                                \
    } while (0)
    for (uint32_t i = 0; i < oas->nschemas; i++) PUSH(oas->schemas[i].schema);
    for (uint32_t i = 0; i < oas->nops; i++) {
        ac_oas_op *op = &oas->ops[i];
        for (uint32_t k = 0; k < op->nparams; k++) PUSH(op->params[k].schema);
        for (uint32_t k = 0; k < op->nbody; k++) PUSH(op->body[k].schema);
        for (uint32_t r = 0; r < op->nresponses; r++) {
            for (uint32_t k = 0; k < op->responses[r].nmedia; k++) PUSH(op->responses[r].media[k].schema);
            for (uint32_t k = 0; k < op->responses[r].nheaders; k++) PUSH(op->responses[r].headers[k].schema);
        }
    }
    while (n) {
        ac_oas_schema *s = stack[--n];
        merged(c->arena, oas, s, &state, 0);
        PUSH(s->items);
        PUSH(s->addl_schema);
        PUSH(s->x->not_);
        PUSH(s->x->if_);
        PUSH(s->x->then_);
        PUSH(s->x->else_);
        PUSH(s->x->contains);
        PUSH(s->x->property_names);
        PUSH(s->x->content_schema);
        PUSH(s->x->unevaluated_items_schema);
        PUSH(s->x->unevaluated_props_schema);
        for (uint32_t i = 0; i < s->nprops; i++) PUSH(s->props[i].schema);
        for (uint32_t i = 0; i < s->x->nprefix; i++) PUSH(s->x->prefix_items[i]);
        for (uint32_t i = 0; i < s->nall_of; i++) PUSH(s->all_of[i]);
        for (uint32_t i = 0; i < s->none_of; i++) PUSH(s->one_of[i]);
        for (uint32_t i = 0; i < s->nany_of; i++) PUSH(s->any_of[i]);
        for (uint32_t i = 0; i < s->x->npattern_props; i++) PUSH(s->x->pattern_props[i].schema);
        for (uint32_t i = 0; i < s->x->ndependent_schemas; i++) PUSH(s->x->dependent_schemas[i].schema);
    }
#undef PUSH
    free(stack);
    free(seen);
    free(state.mark);
}
