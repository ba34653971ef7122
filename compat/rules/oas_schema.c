/* The OpenAPI check: comparing two schemas with a direction and a place (memoised per pair). */
#include "compat/rules/oas_internal.h"

/* ---- describing schemas ------------------------------------------------------------------------ */

static const char *types_str(octx *X, const ac_oas_schema *s)
{
    if (!s->typed) return s->format ? ac_arena_printf(X->scratch, "any (%s)", s->format) : "any";
    static const struct {
        uint8_t bit;
        const char *name;
    } names[] = {{AC_OT_STRING, "string"}, {AC_OT_INTEGER, "integer"}, {AC_OT_NUMBER, "number"},
                 {AC_OT_BOOLEAN, "boolean"}, {AC_OT_OBJECT, "object"}, {AC_OT_ARRAY, "array"}, {AC_OT_NULL, "null"}};
    char buf[128];
    size_t n = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (s->types & names[i].bit) n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? "|" : "", names[i].name);
    if ((s->types & AC_OT_UNKNOWN) && n < sizeof buf)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%.40s", n ? "|" : "", s->x->unknown_type ? s->x->unknown_type : "?");
    if (n >= sizeof buf) n = sizeof buf - 1;
    if (s->format) snprintf(buf + n, sizeof buf - n, " (%s)", s->format);
    return ac_arena_strdup(X->scratch, buf);
}

static const char *child_where(octx *X, const char *where, const ac_oas_schema *child, const char *suffix)
{
    if (child && child->name) return child->name;
    return ac_arena_printf(X->scratch, "%s%s", where, suffix);
}

const char *oas_join_values(octx *X, const char **v, size_t n)
{
    char buf[512];
    size_t len = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n && len < sizeof buf - 8; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? ", " : "", v[i]);
    if (len >= sizeof buf - 8) snprintf(buf + sizeof buf - 8, 8, "...");
    return ac_arena_strdup(X->scratch, buf);
}

/* ---- schema comparison --------------------------------------------------------------------------- */

void oas_cmp_schema(octx *X, ac_oas_schema *o, ac_oas_schema *n, dir_t d, cx_t c, const char *where);

#define AC_OT_VALUES (AC_OT_BOOLEAN | AC_OT_OBJECT | AC_OT_ARRAY | AC_OT_NUMBER | AC_OT_STRING | AC_OT_INTEGER | AC_OT_UNKNOWN)

/* The value types a schema accepts, null left out (nullable is compared on its own); 0: any. */
static uint8_t value_types(const ac_oas_schema *s)
{
    return s->typed ? (uint8_t)(s->types & AC_OT_VALUES) : 0;
}

/* Does a schema typed `to` accept every value of one typed `from`?  An integer is a number;
 * outside JSON and XML (form fields, query strings) any value can be read as a string. */
static bool types_contain(uint8_t to, uint8_t from, bool text)
{
    if (!to) return true;
    if (!from) return text && to == AC_OT_STRING;
    uint8_t f = from;
    if (to & AC_OT_NUMBER) f &= (uint8_t)~AC_OT_INTEGER;
    if (!(f & (uint8_t)~to)) return true;
    return text && to == AC_OT_STRING;
}

/* Does format `to` accept every value of format `from` (for a value of type t)? */
static bool formats_contain(uint8_t t, const char *to, const char *from)
{
    if (oas_streq(to, from) || !to) return true;
    if (!from) return false;
    if (t == AC_OT_NUMBER) return !strcmp(to, "double") && !strcmp(from, "float");
    if (t == AC_OT_INTEGER)
        return (!strcmp(to, "int64") && !strcmp(from, "int32")) ||
               (!strcmp(to, "bigint") && (!strcmp(from, "int32") || !strcmp(from, "int64")));
    if (t == AC_OT_STRING) return !strcmp(to, "date-time") && (!strcmp(from, "date") || !strcmp(from, "time"));
    return false;
}

static void type_emit(octx *X, dir_t d, cx_t c, change_t change, bool breaking, const ac_oas_schema *o,
                      const ac_oas_schema *n, const char *key, const char *where)
{
    const char *from = types_str(X, o), *to = types_str(X, n);
    if (oas_emit_cx(X, d, c, change, n->src, key, o->src, key, where, "type of %s changed from \"%s\" to \"%s\"", where, from,
                to) < 0 &&
        breaking && change != CH_TYPE_CHANGED)
        /* no ID for this context: a breaking change of type is a type change */
        oas_emit_cx(X, d, c, CH_TYPE_CHANGED, n->src, key, o->src, key, where, "type of %s changed from \"%s\" to \"%s\"", where,
                from, to);
}

/* Type and format changes, judged as oasdiff does: a request may only accept more values
 * (generalized), a response may only return fewer (specialized).  Parameters travel as text; a
 * body property's change that breaks JSON clients but not text clients is "compatible". */
static void check_type(octx *X, const ac_oas_schema *o, const ac_oas_schema *n, dir_t d, cx_t c, const char *where)
{
    uint8_t ot = value_types(o), nt = value_types(n);
    bool text = X->text || c == C_PARAM || c == C_HPARAM;
    if (ot == nt && (ot & AC_OT_UNKNOWN) && !oas_streq(o->x->unknown_type, n->x->unknown_type)) {
        /* two type names that are not JSON Schema types: the same type only when the same name */
        type_emit(X, d, c, CH_TYPE_CHANGED, true, o, n, "type", where);
        return;
    }
    if (ot == nt) {
        if (oas_streq(o->format, n->format)) return;
        /* the format alone changed: new accepts old (widened) or old accepts new (narrowed) */
        bool widened = formats_contain(nt, n->format, o->format), narrowed = formats_contain(nt, o->format, n->format);
        bool ok = d == DREQ ? widened : narrowed;
        change_t change = ok ? (d == DREQ ? CH_TYPE_GENERALIZED : CH_TYPE_SPECIALIZED) : CH_TYPE_CHANGED;
        if (c == C_PARAM_PROP && !ok) change = CH_TYPE_SPECIALIZED;
        type_emit(X, d, c, change, !ok, o, n, "format", where);
        return;
    }
    bool list = o->type_list || n->type_list;
    bool wid_text = types_contain(nt, ot, true), wid_strong = types_contain(nt, ot, false);
    bool nar_text = types_contain(ot, nt, true), nar_strong = types_contain(ot, nt, false);
    bool ok_text = d == DREQ ? wid_text : nar_text, ok_strong = d == DREQ ? wid_strong : nar_strong;
    change_t change;
    bool breaking;
    if (list && (wid_strong || nar_strong)) {
        change = wid_strong ? CH_LIST_OF_TYPES_WIDENED : CH_LIST_OF_TYPES_NARROWED;
        breaking = !ok_strong;
    } else if (c == C_PARAM_PROP) {
        /* object parameters are read as JSON by some servers and as text by others */
        change = ok_strong != ok_text ? CH_TYPE_CHANGED : ok_strong ? CH_TYPE_GENERALIZED : CH_TYPE_SPECIALIZED;
        breaking = !ok_strong || !ok_text;
    } else if (text ? ok_text : ok_strong) {
        /* parameters are text by nature: a change only text readers survive is a generalization */
        bool general = ok_strong || c == C_PARAM || c == C_HPARAM;
        change = general ? (d == DREQ ? CH_TYPE_GENERALIZED : CH_TYPE_SPECIALIZED) : CH_TYPE_COMPATIBLE;
        breaking = false;
    } else {
        change = d == DRESP && wid_strong ? CH_TYPE_GENERALIZED : CH_TYPE_CHANGED;
        breaking = true;
    }
    type_emit(X, d, c, change, breaking, o, n, "type", where);
}

static void check_values(octx *X, const ac_oas_schema *o, const ac_oas_schema *n, dir_t d, cx_t c, const char *where)
{
    if (o->nullable != n->nullable)
        oas_emit_cx(X, d, c, n->nullable ? CH_BECAME_NULLABLE : CH_BECAME_NOT_NULLABLE, n->src, "nullable|x-nullable|type", o->src,
                "nullable|x-nullable|type", where, "%s became %s", where, n->nullable ? "nullable" : "not nullable");
    /* enum */
    if (o->has_enum && n->has_enum) {
        const char **removed = ac_arena_alloc(X->scratch, (o->enums.n + 1) * sizeof *removed);
        const char **added = ac_arena_alloc(X->scratch, (n->enums.n + 1) * sizeof *added);
        size_t nr = oas_list_minus(&o->enums, &n->enums, removed), na = oas_list_minus(&n->enums, &o->enums, added);
        if (nr && oas_emit_cx(X, d, c, CH_ENUM_VALUE_REMOVED, n->src, "enum", o->src, "enum", where, "%s lost enum value%s %s",
                          where, nr > 1 ? "s" : "", oas_join_values(X, removed, nr)) < 0 &&
            d == DRESP && c == C_BODY)
            oas_emit(X, AC_OAS_RESPONSE_MEDIATYPE_ENUM_VALUE_REMOVED, n->src, "enum", o->src, "enum", where, "%s lost enum value%s %s",
                 where, nr > 1 ? "s" : "", oas_join_values(X, removed, nr));
        if (na && !(d == DRESP && (o->x->has_xenum || n->x->has_xenum)))
            oas_emit_cx(X, d, c, CH_ENUM_VALUE_ADDED, n->src, "enum", o->src, "enum", where, "%s gained enum value%s %s", where,
                    na > 1 ? "s" : "", oas_join_values(X, added, na));
    } else if (!o->has_enum && n->has_enum) {
        oas_emit_cx(X, d, c, CH_BECAME_ENUM, n->src, "enum", o->src, NULL, where, "%s became an enum of %s", where,
                oas_join_values(X, n->enums.v, n->enums.n));
    }
    if (o->x->has_xenum && n->x->has_xenum) {
        const char **removed = ac_arena_alloc(X->scratch, (o->x->xenums.n + 1) * sizeof *removed);
        size_t nr = oas_list_minus(&o->x->xenums, &n->x->xenums, removed);
        if (nr)
            oas_emit_cx(X, d, c, CH_X_EXTENSIBLE_ENUM_VALUE_REMOVED, n->src, "x-extensible-enum", o->src, "x-extensible-enum",
                    where, "%s lost x-extensible-enum value%s %s", where, nr > 1 ? "s" : "", oas_join_values(X, removed, nr));
    }
    /* const and default */
    if (!oas_streq(o->x->konst, n->x->konst)) {
        change_t ch = !o->x->konst ? CH_CONST_ADDED : !n->x->konst ? CH_CONST_REMOVED : CH_CONST_CHANGED;
        oas_emit_cx(X, d, c, ch, n->src, "const", o->src, "const", where, "const of %s changed from %s to %s", where,
                o->x->konst ? o->x->konst : "none", n->x->konst ? n->x->konst : "none");
    }
    if (!oas_streq(o->dflt, n->dflt)) {
        change_t ch = !o->dflt ? CH_DEFAULT_VALUE_ADDED : !n->dflt ? CH_DEFAULT_VALUE_REMOVED : CH_DEFAULT_VALUE_CHANGED;
        oas_emit_cx(X, d, c, ch, n->src, "default", o->src, "default", where, "default of %s changed from %s to %s", where,
                o->dflt ? o->dflt : "none", n->dflt ? n->dflt : "none");
    }
}

/* A bound as written when its double does not hold it (2^53 + 1); else its double, in full when
 * `precise` (the other bound is such a number, and the two must not read the same). */
static const char *bound_str(octx *X, const ac_oas_bound *b, bool precise)
{
    if (b->exact) return b->exact;
    if (precise)
        for (int p = 15; p < 17; p++) {
            const char *t = ac_arena_printf(X->scratch, "%.*g", p, b->v);
            if (strtod(t, NULL) == b->v) return t;
        }
    return ac_arena_printf(X->scratch, "%.*g", precise ? 17 : 15, b->v);
}

/* A bound (minimum or maximum) changed: set, unset, increased or decreased.  A bound exclusive on
 * either side is an exclusive bound (OpenAPI 3.0 writes it as a boolean beside the value).  At the
 * same value, becoming exclusive tightens the bound (an exclusive bound set); becoming inclusive
 * lets the value itself through, as a maximum increased or a minimum decreased would. */
static void check_bound(octx *X, const ac_oas_bound *ob, const ac_oas_bound *nb, bool is_max, dir_t d, cx_t c,
                        const ac_oas_schema *o, const ac_oas_schema *n, const char *where)
{
    if (!ob->set && !nb->set) return;
    bool excl = ob->set && nb->set ? ob->exclusive || nb->exclusive : nb->set ? nb->exclusive : ob->exclusive;
    const char *what = is_max ? "maximum" : "minimum";
    /* offsets in a group of bound changes: set, unset, increased, decreased */
    int change = -1;
    int cmp;
    if (!ob->set) change = 0;
    else if (!nb->set) change = 1;
    else if ((cmp = oas_bound_cmp(nb, ob)) < 0) change = 3;
    else if (cmp > 0) change = 2;
    else if (nb->exclusive && !ob->exclusive) change = 0;
    else if (!nb->exclusive && ob->exclusive) change = is_max ? 2 : 3;
    if (change < 0) return;
    const char *key = excl ? (is_max ? "exclusiveMaximum|maximum" : "exclusiveMinimum|minimum") : (is_max ? "maximum" : "minimum");
    static const change_t groups[2][2] = {{CH_MIN_SET, CH_MAX_SET}, {CH_EXCLUSIVE_MIN_SET, CH_EXCLUSIVE_MAX_SET}};
    change_t ch = (change_t)(groups[excl][is_max] + change);
    bool precise = (ob->set && ob->exact) || (nb->set && nb->exact);
    oas_emit_cx(X, d, c, ch, n->src, key, o->src, key, where, "%s of %s changed from %s%s to %s%s", what, where,
            ob->set ? bound_str(X, ob, precise) : "none", ob->set && ob->exclusive ? " (exclusive)" : "",
            nb->set ? bound_str(X, nb, precise) : "none", nb->set && nb->exclusive ? " (exclusive)" : "");
}

static void check_count(octx *X, int64_t ov, int64_t nv, change_t base, const char *key, const char *what, dir_t d,
                        cx_t c, const ac_oas_schema *o, const ac_oas_schema *n, const char *where)
{
    if (ov == nv) return;
    /* base is the group's "-set"; then unset, increased, decreased */
    change_t ch = (change_t)(base + (ov < 0 ? 0 : nv < 0 ? 1 : nv < ov ? 3 : 2));
    char a[32], b[32];
    snprintf(a, sizeof a, "%lld", (long long)ov);
    snprintf(b, sizeof b, "%lld", (long long)nv);
    oas_emit_cx(X, d, c, ch, n->src, key, o->src, key, where, "%s of %s changed from %s to %s", what, where,
            ov < 0 ? "none" : a, nv < 0 ? "none" : b);
}

/* Code points of an enum value as canon() writes it, or -1 when it is not a string (a number, true,
 * null: maxLength and minLength do not apply to it).  canon() escapes '"' and '\\' with a backslash
 * and control characters as \\u00XX, and keeps the rest as UTF-8. */
static int64_t canon_string_length(const char *v)
{
    size_t len = strlen(v);
    if (len < 2 || v[0] != '"' || v[len - 1] != '"') return -1;
    int64_t n = 0;
    for (size_t i = 1; i + 1 < len; n++) {
        if (v[i] == '\\') i += v[i + 1] == 'u' ? 6 : 2;
        else
            for (i++; i + 1 < len && ((unsigned char)v[i] & 0xC0) == 0x80; i++) {}
    }
    return n;
}

/* Whether every string the schema's enum lists has a length in [min, max] (max < 0: no upper end).
 * A length bound dropped or loosened beside such an enum lets no other string through: Stripe's
 * {maxLength: 5000} became {enum: [failed, pending, succeeded]}, a response narrowed, not widened. */
static bool enum_lengths_within(const ac_oas_schema *s, int64_t min, int64_t max)
{
    if (!s->has_enum) return false;
    for (size_t i = 0; i < s->enums.n; i++) {
        int64_t l = canon_string_length(s->enums.v[i]);
        if (l >= 0 && (l < min || (max >= 0 && l > max))) return false;
    }
    return true;
}

static bool pattern_is_anything(const char *p)
{
    return p && (!strcmp(p, ".*") || !strcmp(p, "^.*$") || !strcmp(p, "^.*") || !strcmp(p, ".*$") ||
                 !strcmp(p, "[\\s\\S]*") || !strcmp(p, "^[\\s\\S]*$"));
}

/* "\"value\"", or none */
static const char *quoted(octx *X, const char *s)
{
    return s ? ac_arena_printf(X->scratch, "\"%s\"", s) : "none";
}

static void check_constraints(octx *X, const ac_oas_schema *o, const ac_oas_schema *n, dir_t d, cx_t c,
                              const char *where)
{
    check_bound(X, &o->max, &n->max, true, d, c, o, n, where);
    check_bound(X, &o->min, &n->min, false, d, c, o, n, where);
    /* a length bound loosened where the new enum keeps every string within the old one is no change */
    int64_t nmax = n->max_len, nmin = n->min_len;
    if (o->max_len >= 0 && (nmax < 0 || nmax > o->max_len) && enum_lengths_within(n, 0, o->max_len)) nmax = o->max_len;
    if (o->min_len > 0 && nmin < o->min_len && enum_lengths_within(n, o->min_len, -1)) nmin = o->min_len;
    check_count(X, o->max_len, nmax, CH_MAX_LENGTH_SET, "maxLength", "maxLength", d, c, o, n, where);
    check_count(X, o->min_len, nmin, CH_MIN_LENGTH_SET, "minLength", "minLength", d, c, o, n, where);
    check_count(X, o->max_items, n->max_items, CH_MAX_ITEMS_SET, "maxItems", "maxItems", d, c, o, n, where);
    check_count(X, o->min_items, n->min_items, CH_MIN_ITEMS_SET, "minItems", "minItems", d, c, o, n, where);
    check_count(X, o->x->max_contains, n->x->max_contains, CH_MAX_CONTAINS_SET, "maxContains", "maxContains", d, c, o, n, where);
    check_count(X, o->x->min_contains, n->x->min_contains, CH_MIN_CONTAINS_SET, "minContains", "minContains", d, c, o, n, where);
    if (!oas_streq(o->pattern, n->pattern)) {
        change_t ch = !o->pattern ? CH_PATTERN_ADDED
                         : !n->pattern ? CH_PATTERN_REMOVED
                         : pattern_is_anything(n->pattern) ? CH_PATTERN_GENERALIZED
                                                           : CH_PATTERN_CHANGED;
        oas_emit_cx(X, d, c, ch, n->src, "pattern", o->src, "pattern", where, "pattern of %s changed from %s%s%s to %s%s%s",
                where, o->pattern ? "\"" : "", o->pattern ? o->pattern : "none", o->pattern ? "\"" : "",
                n->pattern ? "\"" : "", n->pattern ? n->pattern : "none", n->pattern ? "\"" : "");
    }
    if (!oas_streq(o->x->content_encoding, n->x->content_encoding) && (o->x->content_encoding || n->x->content_encoding))
        oas_emit_cx(X, d, c, CH_CONTENT_ENCODING_CHANGED, n->src, "contentEncoding", o->src, "contentEncoding", where,
                "contentEncoding of %s changed from %s to %s", where, quoted(X, o->x->content_encoding), quoted(X, n->x->content_encoding));
    if (!oas_streq(o->x->content_media_type, n->x->content_media_type) && (o->x->content_media_type || n->x->content_media_type))
        oas_emit_cx(X, d, c, CH_CONTENT_MEDIA_TYPE_CHANGED, n->src, "contentMediaType", o->src, "contentMediaType", where,
                "contentMediaType of %s changed from %s to %s", where, quoted(X, o->x->content_media_type),
                quoted(X, n->x->content_media_type));
}

/* An array parameter whose maxItems / minItems is written on its items (where, on a string or a
 * number, it constrains nothing): the author meant the array's, and oasdiff reads it so.  Judged
 * as the parameter's own bound when the array itself has none on either side. */
static void check_param_item_bounds(octx *X, const ac_oas_schema *o, const ac_oas_schema *n, dir_t d, cx_t c,
                                    const char *where)
{
    if ((c != C_PARAM && c != C_HPARAM) || !o->items || !n->items) return;
    const ac_oas_schema *oi = o->items->merged ? o->items->merged : o->items, *ni = n->items->merged ? n->items->merged : n->items;
    if ((oi->typed && (oi->types & AC_OT_ARRAY)) || (ni->typed && (ni->types & AC_OT_ARRAY))) return;
    if (o->max_items < 0 && n->max_items < 0 && oi->max_items >= 0 && ni->max_items >= 0)
        check_count(X, oi->max_items, ni->max_items, CH_MAX_ITEMS_SET, "maxItems", "maxItems", d, c, oi, ni, where);
    if (o->min_items < 0 && n->min_items < 0 && oi->min_items >= 0 && ni->min_items >= 0)
        check_count(X, oi->min_items, ni->min_items, CH_MIN_ITEMS_SET, "minItems", "minItems", d, c, oi, ni, where);
}

/* Presence of a sub-schema keyword (if, then, else, contains, propertyNames, contentSchema, ...). */
static void check_presence(octx *X, bool had, bool has, change_t added, const char *key, dir_t d, cx_t c,
                           const ac_oas_schema *o, const ac_oas_schema *n, const char *where)
{
    if (had == has) return;
    change_t ch = has ? added : (change_t)(added + 1); /* <base>-added, then <base>-removed */
    oas_emit_cx(X, d, c, ch, has ? n->src : n->src, has ? key : NULL, o->src, had ? key : NULL, where, "%s %s %s", where,
            has ? "gained" : "lost", key);
}

static void check_structure(octx *X, const ac_oas_schema *o, const ac_oas_schema *n, dir_t d, cx_t c, const char *where)
{
    check_presence(X, o->x->if_ != NULL, n->x->if_ != NULL, CH_IF_ADDED, "if", d, c, o, n, where);
    check_presence(X, o->x->then_ != NULL, n->x->then_ != NULL, CH_THEN_ADDED, "then", d, c, o, n, where);
    check_presence(X, o->x->else_ != NULL, n->x->else_ != NULL, CH_ELSE_ADDED, "else", d, c, o, n, where);
    check_presence(X, o->x->contains != NULL, n->x->contains != NULL, CH_CONTAINS_ADDED, "contains", d, c, o, n, where);
    check_presence(X, o->x->property_names != NULL, n->x->property_names != NULL, CH_PROPERTY_NAMES_ADDED, "propertyNames", d, c, o,
                   n, where);
    check_presence(X, o->x->content_schema != NULL, n->x->content_schema != NULL, CH_CONTENT_SCHEMA_ADDED, "contentSchema", d, c, o,
                   n, where);
    check_presence(X, o->x->nprefix > 0, n->x->nprefix > 0, CH_PREFIX_ITEMS_ADDED, "prefixItems", d, c, o, n, where);
    check_presence(X, o->x->unevaluated_items != 0, n->x->unevaluated_items != 0, CH_UNEVALUATED_ITEMS_ADDED, "unevaluatedItems", d,
                   c, o, n, where);
    check_presence(X, o->x->unevaluated_props != 0, n->x->unevaluated_props != 0, CH_UNEVALUATED_PROPERTIES_ADDED,
                   "unevaluatedProperties", d, c, o, n, where);
    /* patternProperties, dependentRequired, dependentSchemas: by key */
    for (int pass = 0; pass < 2; pass++) {
        const ac_oas_schema *a = pass ? n : o, *b = pass ? o : n;
        for (uint32_t i = 0; i < a->x->npattern_props; i++) {
            bool found = false;
            for (uint32_t k = 0; k < b->x->npattern_props && !found; k++) found = !strcmp(a->x->pattern_props[i].name, b->x->pattern_props[k].name);
            if (!found)
                oas_emit_cx(X, d, c, pass ? CH_PATTERN_PROPERTY_ADDED : CH_PATTERN_PROPERTY_REMOVED, n->src, "patternProperties",
                        o->src, "patternProperties", where, "%s %s pattern property \"%s\"", where,
                        pass ? "gained" : "lost", a->x->pattern_props[i].name);
        }
        for (uint32_t i = 0; i < a->x->ndependent_schemas; i++) {
            bool found = false;
            for (uint32_t k = 0; k < b->x->ndependent_schemas && !found; k++)
                found = !strcmp(a->x->dependent_schemas[i].name, b->x->dependent_schemas[k].name);
            if (!found)
                oas_emit_cx(X, d, c, pass ? CH_DEPENDENT_SCHEMA_ADDED : CH_DEPENDENT_SCHEMA_REMOVED, n->src, "dependentSchemas",
                        o->src, "dependentSchemas", where, "%s %s the dependent schema for \"%s\"", where,
                        pass ? "gained" : "lost", a->x->dependent_schemas[i].name);
        }
        for (uint32_t i = 0; i < a->x->ndependent_required; i++) {
            int match = -1;
            for (uint32_t k = 0; k < b->x->ndependent_required && match < 0; k++)
                if (!strcmp(a->x->dependent_required[i].name, b->x->dependent_required[k].name)) match = (int)k;
            if (match < 0) {
                oas_emit_cx(X, d, c, pass ? CH_DEPENDENT_REQUIRED_ADDED : CH_DEPENDENT_REQUIRED_REMOVED, n->src,
                        "dependentRequired", o->src, "dependentRequired", where, "%s %s dependentRequired for \"%s\"",
                        where, pass ? "gained" : "lost", a->x->dependent_required[i].name);
            } else if (!pass) {
                const ac_oas_strlist *la = &a->x->dep_lists[i], *lb = &b->x->dep_lists[match];
                bool same = la->n == lb->n;
                for (uint32_t k = 0; same && k < la->n; k++) same = oas_list_has(lb, la->v[k]);
                if (!same)
                    oas_emit_cx(X, d, c, CH_DEPENDENT_REQUIRED_CHANGED, n->src, "dependentRequired", o->src,
                            "dependentRequired", where, "%s changed dependentRequired for \"%s\"", where,
                            a->x->dependent_required[i].name);
            }
        }
    }
    /* discriminator */
    if (o->x->has_discriminator != n->x->has_discriminator) {
        oas_emit_cx(X, d, c, n->x->has_discriminator ? CH_DISCRIMINATOR_ADDED : CH_DISCRIMINATOR_REMOVED, n->src, "discriminator",
                o->src, "discriminator", where, "%s %s its discriminator", where, n->x->has_discriminator ? "gained" : "lost");
    } else if (o->x->has_discriminator) {
        if (!oas_streq(o->x->discriminator, n->x->discriminator))
            oas_emit_cx(X, d, c, CH_DISCRIMINATOR_PROPERTY_NAME_CHANGED, n->src, "discriminator", o->src, "discriminator", where,
                    "discriminator of %s changed from \"%s\" to \"%s\"", where, o->x->discriminator ? o->x->discriminator : "",
                    n->x->discriminator ? n->x->discriminator : "");
        for (uint32_t i = 0; i < o->x->mapping_keys.n; i++) {
            int k = -1;
            for (uint32_t j = 0; j < n->x->mapping_keys.n && k < 0; j++)
                if (!strcmp(o->x->mapping_keys.v[i], n->x->mapping_keys.v[j])) k = (int)j;
            if (k < 0)
                oas_emit_cx(X, d, c, CH_DISCRIMINATOR_MAPPING_DELETED, n->src, "discriminator", o->src, "discriminator", where,
                        "discriminator of %s lost mapping \"%s\"", where, o->x->mapping_keys.v[i]);
            else if (strcmp(o->x->mapping_vals.v[i], n->x->mapping_vals.v[k]))
                oas_emit_cx(X, d, c, CH_DISCRIMINATOR_MAPPING_CHANGED, n->src, "discriminator", o->src, "discriminator", where,
                        "discriminator mapping \"%s\" of %s changed from \"%s\" to \"%s\"", o->x->mapping_keys.v[i], where,
                        o->x->mapping_vals.v[i], n->x->mapping_vals.v[k]);
        }
        for (uint32_t j = 0; j < n->x->mapping_keys.n; j++)
            if (!oas_list_has(&o->x->mapping_keys, n->x->mapping_keys.v[j]))
                oas_emit_cx(X, d, c, CH_DISCRIMINATOR_MAPPING_ADDED, n->src, "discriminator", o->src, "discriminator", where,
                        "discriminator of %s gained mapping \"%s\"", where, n->x->mapping_keys.v[j]);
    }
}

/* What comparing o with n would find, counted by level, without reporting it: how the branches of
 * a oneOf / anyOf pair by what they accept.  A trial runs in a context of its own (its own memo and
 * findings), and trials do not nest: inside one, branches pair by name, content and position. */
typedef struct trial_cost {
    uint32_t err, warn, info;
} trial_cost;

static trial_cost trial(octx *X, ac_oas_schema *o, ac_oas_schema *n, dir_t d, cx_t c)
{
    uint64_t key = ((uint64_t)o->id << 36) | ((uint64_t)(n->id & 0xFFFFFFF) << 8) | ((uint64_t)X->text << 7) |
                   ((uint64_t)d << 4) | (uint64_t)c;
    trial_cost *seen = ac_intmap_get(&X->trials, (int64_t)key);
    if (seen) return *seen;
    ac_findings out;
    ac_findings_init(&out);
    ac_status st;
    ac_status_init(&st);
    octx T = *X;
    T.out = &out;
    T.st = &st;
    T.failed = false;
    T.in_trial = true;
    T.entries = NULL;
    T.nentries = T.centries = 0;
    T.fops = NULL;
    T.flabel = NULL;
    T.nfops = 0;
    T.cur_entry = -1;
    T.cur_op = -1;
    T.cur_label = NULL;
    ac_intmap_init(&T.memo);
    oas_cmp_schema(&T, o, n, d, c, "");
    trial_cost cost = {0, 0, 0};
    for (size_t i = 0; i < out.n; i++) {
        if (out.v[i].severity == AC_SEV_ERROR) cost.err++;
        else if (out.v[i].severity == AC_SEV_WARN) cost.warn++;
        else cost.info++;
    }
    if (T.failed) cost.err = UINT32_MAX / 2; /* too deep to tell: not a match */
    for (size_t i = 0; i < T.nfops; i++) free(T.fops[i].v);
    free(T.fops);
    free(T.flabel);
    for (size_t i = 0; i < T.nentries; i++) {
        free(T.entries[i].f);
        free(T.entries[i].kids);
    }
    free(T.entries);
    ac_intmap_free(&T.memo);
    ac_findings_free(&out);
    seen = ac_arena_alloc(X->scratch, sizeof *seen);
    *seen = cost;
    ac_intmap_put(&X->trials, (int64_t)key, seen);
    return cost;
}

/* Whether a composition has exactly one branch of these declared types. */
static bool only_of_type(ac_oas_schema **b, uint32_t n, uint8_t types)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) k += b[i]->typed && b[i]->types == types;
    return k == 1;
}

/* Lower is closer: no breaking change first, then the fewest warnings and notes. */
static bool trial_better(trial_cost a, trial_cost b)
{
    if (a.err != b.err) return a.err < b.err;
    if (a.warn != b.warn) return a.warn < b.warn;
    return a.info < b.info;
}

/* Trials asked of one composition at most: a oneOf of 100 branches on both sides is paired by name,
 * content and position only. */
#define MAX_TRIAL_PAIRS 256

/* Pairs the branches of a oneOf / anyOf / allOf: by $ref name, then identical content, then (oneOf
 * and anyOf) by what they accept: a new branch that accepts what an old one did, with no breaking
 * change between them, whatever its title or position; then by title; then, for branches still
 * alone of the same declared type (untitled, or the only one of that type on each side), in order: a
 * branch whose content changed is a changed branch, compared property by property. */
static void pair_branches(octx *X, dir_t d, cx_t c, bool all, ac_oas_schema **ob, const uint64_t *od, uint32_t on,
                          ac_oas_schema **nb, const uint64_t *nd, uint32_t nn, int *omatch, int *nmatch)
{
    for (uint32_t i = 0; i < on; i++) omatch[i] = -1;
    for (uint32_t j = 0; j < nn; j++) nmatch[j] = -1;
    bool accept = !all && !X->in_trial && (size_t)on * nn <= MAX_TRIAL_PAIRS;
    for (int pass = 0; pass < 5; pass++) {
        if (pass == 2) {
            if (!accept) continue;
            for (uint32_t i = 0; i < on; i++) {
                if (omatch[i] >= 0) continue;
                int best = -1;
                trial_cost bc = {0, 0, 0};
                for (uint32_t j = 0; j < nn; j++) {
                    if (nmatch[j] >= 0) continue;
                    trial_cost t = trial(X, ob[i], nb[j], d, c);
                    if (t.err || t.warn) continue;
                    if (best < 0 || trial_better(t, bc)) {
                        best = (int)j;
                        bc = t;
                    }
                }
                if (best >= 0) {
                    omatch[i] = best;
                    nmatch[best] = (int)i;
                }
            }
            continue;
        }
        for (uint32_t i = 0; i < on; i++) {
            if (omatch[i] >= 0) continue;
            for (uint32_t j = 0; j < nn; j++) {
                if (nmatch[j] >= 0) continue;
                bool m = pass == 0   ? ob[i]->name && nb[j]->name && !strcmp(ob[i]->name, nb[j]->name)
                         : pass == 1 ? od && nd && od[i] == nd[j]
                         : pass == 3 ? ob[i]->title && nb[j]->title && !strcmp(ob[i]->title, nb[j]->title)
                                     : !ob[i]->name && !nb[j]->name && ob[i]->typed && nb[j]->typed && ob[i]->types == nb[j]->types &&
                                           ((!ob[i]->title && !nb[j]->title) ||
                                            (only_of_type(ob, on, ob[i]->types) && only_of_type(nb, nn, nb[j]->types)));
                if (m) {
                    omatch[i] = (int)j;
                    nmatch[j] = (int)i;
                    break;
                }
            }
        }
    }
}

static const char *branch_name(octx *X, const ac_oas_schema *s, uint32_t i)
{
    if (s->name) return ac_arena_printf(X->scratch, "\"%s\"", s->name);
    if (s->title) return ac_arena_printf(X->scratch, "\"%s\"", s->title);
    return ac_arena_printf(X->scratch, "#%u", i + 1);
}

/* An allOf member that only annotates (title, description, default, examples, deprecated, readOnly,
 * writeOnly, contentMediaType...): it accepts every value, as {} does.  One with any type, property,
 * constraint or sub-schema constrains, even when what it asks is already asked elsewhere. */
static bool annotation_only(const ac_oas_schema *s)
{
    const ac_oas_schema_x *x = s->x;
    return !s->typed && !s->nprops && !s->required.n && !s->has_enum && !s->min.set && !s->max.set && !s->nullable &&
           s->min_len < 0 && s->max_len < 0 && s->min_items < 0 && s->max_items < 0 && !s->pattern && !s->items &&
           !s->nall_of && !s->none_of && !s->nany_of && !s->format && !s->addl && !s->unique_items && !x->konst &&
           !x->has_multiple_of && x->min_props < 0 && x->max_props < 0 && x->min_contains < 0 && x->max_contains < 0 &&
           !x->nprefix && !x->npattern_props && !x->not_ && !x->if_ && !x->then_ && !x->else_ && !x->contains &&
           !x->property_names && !x->ndependent_required && !x->ndependent_schemas && !x->unevaluated_items &&
           !x->unevaluated_props;
}

/* A constraining allOf member added or removed while the merged schema accepts what it did (its
 * properties moved into or out of members): the ID says what changed in the document, the level
 * what changed for clients, which is nothing. */
static void refactored(octx *X, long idx, bool merged_changed)
{
    if (idx >= 0 && !merged_changed) {
        ac_finding *f = &X->out->v[idx];
        if (f->severity != AC_SEV_INFO)
            f->message = ac_arena_printf(X->out->arena, "%s (the merged schema accepts what it did)", f->message);
        f->severity = AC_SEV_INFO;
        X->refactors++;
    }
}

static void check_composition(octx *X, ac_oas_schema *o, ac_oas_schema *n, dir_t d, cx_t c, const char *where,
                              bool merged_changed)
{
    struct {
        const char *kw;
        change_t added; /* then removed, added-annotation-only, removed-annotation-only */
        ac_oas_schema **ob, **nb;
        const uint64_t *od, *nd;
        uint32_t on, nn;
        ac_src *os, *ns;
    } kinds[] = {
        {"oneOf", CH_ONE_OF_ADDED, o->one_of, n->one_of, o->one_of_digest, n->one_of_digest, o->none_of, n->none_of, o->one_of_src,
         n->one_of_src},
        {"anyOf", CH_ANY_OF_ADDED, o->any_of, n->any_of, o->any_of_digest, n->any_of_digest, o->nany_of, n->nany_of, o->any_of_src,
         n->any_of_src},
        {"allOf", CH_ALL_OF_ADDED, o->all_of, n->all_of, o->all_of_digest, n->all_of_digest, o->nall_of, n->nall_of, o->all_of_src,
         n->all_of_src},
    };
    for (size_t k = 0; k < 3; k++) {
        if (!kinds[k].on && !kinds[k].nn) continue;
        int *om = ac_arena_alloc(X->scratch, (kinds[k].on + 1) * sizeof *om);
        int *nm = ac_arena_alloc(X->scratch, (kinds[k].nn + 1) * sizeof *nm);
        bool all = k == 2;
        pair_branches(X, d, c, all, kinds[k].ob, kinds[k].od, kinds[k].on, kinds[k].nb, kinds[k].nd, kinds[k].nn, om, nm);
        /* a schema wrapped into an allOf (or unwrapped from one) is its own member there */
        if (all && !o->nall_of && o->name)
            for (uint32_t j = 0; j < kinds[k].nn; j++)
                if (nm[j] < 0 && kinds[k].nb[j]->name && !strcmp(kinds[k].nb[j]->name, o->name)) nm[j] = 0;
        if (all && !n->nall_of && n->name)
            for (uint32_t i = 0; i < kinds[k].on; i++)
                if (om[i] < 0 && kinds[k].ob[i]->name && !strcmp(kinds[k].ob[i]->name, n->name)) om[i] = 0;
        for (uint32_t i = 0; i < kinds[k].on; i++) {
            if (om[i] >= 0) continue;
            change_t ch = (change_t)(kinds[k].added + 1 + (all && annotation_only(kinds[k].ob[i]) ? 2 : 0));
            long f = oas_emit_cx(X, d, c, ch, n->src, kinds[k].kw, kinds[k].os ? kinds[k].os[i] : kinds[k].ob[i]->src, NULL, where,
                                 "%s lost %s branch %s", where, kinds[k].kw, branch_name(X, kinds[k].ob[i], i));
            if (all) refactored(X, f, merged_changed);
        }
        for (uint32_t j = 0; j < kinds[k].nn; j++) {
            if (nm[j] >= 0) continue;
            change_t ch = (change_t)(kinds[k].added + (all && annotation_only(kinds[k].nb[j]) ? 2 : 0));
            long f = oas_emit_cx(X, d, c, ch, kinds[k].ns ? kinds[k].ns[j] : kinds[k].nb[j]->src, NULL, o->src, kinds[k].kw, where,
                                 "%s gained %s branch %s", where, kinds[k].kw, branch_name(X, kinds[k].nb[j], j));
            if (all) refactored(X, f, merged_changed);
        }
        /* allOf members are judged through the merged schema; oneOf / anyOf branches one by one, as
         * parts of the body (a branch's type is not the body's type: property IDs, as oasdiff has them) */
        if (all) continue;
        cx_t bc = c == C_BODY ? C_PROP : c;
        for (uint32_t i = 0; i < kinds[k].on; i++)
            if (om[i] >= 0)
                oas_cmp_schema(X, kinds[k].ob[i], kinds[k].nb[om[i]], d, bc,
                           child_where(X, where, kinds[k].nb[om[i]],
                                       ac_arena_printf(X->scratch, "/%s/%d", kinds[k].kw, om[i])));
    }
}

static cx_t child_cx(cx_t c, const ac_oas_schema *prop, dir_t d)
{
    if (c == C_HPARAM || (c == C_HEADER && d == DREQ)) return C_HEADER;
    cx_t base = (c == C_PARAM || c == C_PARAM_PROP) ? C_PARAM_PROP : C_PROP;
    if (base == C_PROP && prop) {
        if (d == DREQ && prop->read_only) return C_RO_PROP;
        if (d == DRESP && prop->write_only) return C_WO_PROP;
    }
    return base;
}

/* A schema's properties by name, indexed when there are many. */
typedef struct propidx {
    const ac_oas_schema *s;
    ac_strmap m;
    bool indexed;
} propidx;

static void propidx_init(propidx *x, const ac_oas_schema *s)
{
    x->s = s;
    x->indexed = s->nprops > INDEX_MIN;
    if (!x->indexed) return;
    ac_strmap_init(&x->m);
    /* the first of a name wins, as the linear scan had it */
    for (uint32_t i = s->nprops; i-- > 0;) ac_strmap_put(&x->m, s->props[i].name, &s->props[i]);
}

static const ac_oas_named *find_prop(const propidx *x, const char *name)
{
    if (x->indexed) return ac_strmap_get(&x->m, name);
    for (uint32_t i = 0; i < x->s->nprops; i++)
        if (!strcmp(x->s->props[i].name, name)) return &x->s->props[i];
    return NULL;
}

static void propidx_free(propidx *x)
{
    if (x->indexed) ac_strmap_free(&x->m);
}

static void check_properties(octx *X, const ac_oas_schema *o, const ac_oas_schema *n, dir_t d, cx_t c, const char *where)
{
    bool params = c == C_PARAM || c == C_PARAM_PROP || c == C_HPARAM || (c == C_HEADER && d == DREQ);
    bool header = c == C_HPARAM || (c == C_HEADER && d == DREQ);
    propidx oix, nix;
    strset oreqs, nreqs;
    propidx_init(&oix, o);
    propidx_init(&nix, n);
    oas_strset_init(&oreqs, &o->required);
    oas_strset_init(&nreqs, &n->required);
    for (uint32_t i = 0; i < o->nprops; i++) {
        const ac_oas_named *op = &o->props[i];
        const ac_oas_named *np = find_prop(&nix, op->name);
        const char *pw = ac_arena_printf(X->scratch, "%s.%s", where, op->name);
        bool oreq = oas_strset_has(&oreqs, op->name);
        if (!np) {
            if (d == DREQ) {
                if (!op->schema->read_only)
                    oas_emit_cx(X, d, params ? C_PARAM_PROP : C_PROP, CH_REMOVED, n->src, "properties", op->src, NULL, pw,
                            "property %s was removed", pw);
            } else if (op->schema->write_only) {
                oas_emit(X, oreq ? AC_OAS_RESPONSE_REQUIRED_WRITE_ONLY_PROPERTY_REMOVED : AC_OAS_RESPONSE_OPTIONAL_WRITE_ONLY_PROPERTY_REMOVED,
                     n->src, "properties", op->src, NULL, pw, "write-only property %s was removed", pw);
            } else {
                oas_emit(X, oreq ? AC_OAS_RESPONSE_REQUIRED_PROPERTY_REMOVED : AC_OAS_RESPONSE_OPTIONAL_PROPERTY_REMOVED, n->src,
                     "properties", op->src, NULL, pw, "%s property %s was removed", oreq ? "required" : "optional", pw);
            }
            continue;
        }
        ac_oas_schema *os = op->schema, *ns = np->schema;
        bool nreq = oas_strset_has(&nreqs, op->name);
        /* requiredness */
        if (oreq != nreq) {
            if (d == DREQ && !ns->read_only && !os->read_only) {
                cx_t pc = header ? C_HEADER : params ? C_PARAM_PROP : C_PROP;
                if (nreq)
                    oas_emit_cx(X, d, pc, ns->dflt && !header ? CH_BECAME_REQUIRED_WITH_DEFAULT : CH_BECAME_REQUIRED, np->src, NULL,
                            op->src, NULL, pw, "property %s became required%s", pw,
                            ns->dflt ? " (it has a default, but clients must still send it)" : "");
                else
                    oas_emit_cx(X, d, pc, CH_BECAME_OPTIONAL, np->src, NULL, op->src, NULL, pw, "property %s became optional", pw);
            } else if (d == DRESP) {
                /* a property write-only on either side was never returned: its requiredness there is moot */
                if (ns->write_only || os->write_only)
                    oas_emit(X, nreq ? AC_OAS_RESPONSE_WRITE_ONLY_PROPERTY_BECAME_REQUIRED : AC_OAS_RESPONSE_WRITE_ONLY_PROPERTY_BECAME_OPTIONAL,
                         np->src, NULL, op->src, NULL, pw, "write-only property %s became %s", pw, nreq ? "required" : "optional");
                else
                    oas_emit_cx(X, d, C_PROP, nreq ? CH_BECAME_REQUIRED : CH_BECAME_OPTIONAL, np->src, NULL, op->src, NULL, pw,
                            "property %s became %s", pw, nreq ? "required" : "optional");
            }
        }
        /* mutability */
        /* [direction][required][became (1) or stopped being (0)] */
        static const ac_oas_rule became_ro[2][2][2] = {
            {{AC_OAS_REQUEST_OPTIONAL_PROPERTY_BECAME_NOT_READ_ONLY, AC_OAS_REQUEST_OPTIONAL_PROPERTY_BECAME_READ_ONLY},
             {AC_OAS_REQUEST_REQUIRED_PROPERTY_BECAME_NOT_READ_ONLY, AC_OAS_REQUEST_REQUIRED_PROPERTY_BECAME_READ_ONLY}},
            {{AC_OAS_RESPONSE_OPTIONAL_PROPERTY_BECAME_NOT_READ_ONLY, AC_OAS_RESPONSE_OPTIONAL_PROPERTY_BECAME_READ_ONLY},
             {AC_OAS_RESPONSE_REQUIRED_PROPERTY_BECAME_NOT_READ_ONLY, AC_OAS_RESPONSE_REQUIRED_PROPERTY_BECAME_READ_ONLY}}};
        static const ac_oas_rule became_wo[2][2][2] = {
            {{AC_OAS_REQUEST_OPTIONAL_PROPERTY_BECAME_NOT_WRITE_ONLY, AC_OAS_REQUEST_OPTIONAL_PROPERTY_BECAME_WRITE_ONLY},
             {AC_OAS_REQUEST_REQUIRED_PROPERTY_BECAME_NOT_WRITE_ONLY, AC_OAS_REQUEST_REQUIRED_PROPERTY_BECAME_WRITE_ONLY}},
            {{AC_OAS_RESPONSE_OPTIONAL_PROPERTY_BECAME_NOT_WRITE_ONLY, AC_OAS_RESPONSE_OPTIONAL_PROPERTY_BECAME_WRITE_ONLY},
             {AC_OAS_RESPONSE_REQUIRED_PROPERTY_BECAME_NOT_WRITE_ONLY, AC_OAS_RESPONSE_REQUIRED_PROPERTY_BECAME_WRITE_ONLY}}};
        if (os->read_only != ns->read_only)
            oas_emit(X, became_ro[d][nreq][ns->read_only],
                 np->src, NULL, op->src, NULL, pw, "property %s became %sread-only", pw, ns->read_only ? "" : "not ");
        if (os->write_only != ns->write_only)
            oas_emit(X, became_wo[d][nreq][ns->write_only],
                 np->src, NULL, op->src, NULL, pw, "property %s became %swrite-only", pw, ns->write_only ? "" : "not ");
        /* lifecycle */
        if (!os->deprecated && ns->deprecated) {
            oas_emit_cx(X, d, C_PROP, ns->sunset ? CH_DEPRECATED_WITH_SUNSET : CH_DEPRECATED, np->src, "deprecated", op->src, NULL,
                    pw, "property %s was deprecated%s%s", pw, ns->sunset ? ", sunset " : "", ns->sunset ? ns->sunset : "");
            /* the window of the property's own stability, else of the operation being compared
             * (a stable operation's property lives by stable_days, a beta one's by beta_days) */
            int days = oas_deprecation_days(X, ns->stability ? ns->stability
                                               : X->cur_op >= 0 ? X->n->ops[X->cur_op].stability : NULL);
            long sunset = oas_parse_date(ns->sunset);
            if (days > 0 && !ns->sunset)
                oas_emit_cx(X, d, C_PROP, CH_DEPRECATED_SUNSET_MISSING, np->src, "deprecated", op->src, NULL, pw,
                        "property %s was deprecated without an x-sunset date (at least %d days away)", pw, days);
            else if (days > 0 && sunset >= 0 && sunset < X->today + days)
                oas_emit_cx(X, d, C_PROP, CH_SUNSET_DATE_TOO_SMALL, np->src, "x-sunset", op->src, NULL, pw,
                        "property %s has sunset %s, less than %d days away", pw, ns->sunset, days);
        }
        else if (os->deprecated && !ns->deprecated)
            oas_emit_cx(X, d, C_PROP, CH_REACTIVATED, np->src, NULL, op->src, "deprecated", pw, "property %s is no longer deprecated", pw);
        if (ns->deprecated && ns->sunset && oas_parse_date(ns->sunset) < 0 && (!os->deprecated || !oas_streq(os->sunset, ns->sunset)))
            oas_emit_cx(X, d, C_PROP, CH_DEPRECATED_SUNSET_INVALID, np->src, "x-sunset", op->src, NULL, pw,
                    "property %s has an x-sunset that is not a date: \"%s\"", pw, ns->sunset);
        /* an x-stability-level that is not a level, written or changed here (one left as it was is
         * reported where it was written, not again on every comparison) */
        if (!oas_streq(os->stability, ns->stability) && oas_stability_rank(ns->stability) < 0)
            oas_emit(X, AC_OAS_API_INVALID_STABILITY_LEVEL, ns->src, "x-stability-level", op->src, NULL, pw,
                     "property %s has x-stability-level \"%s\" (expected draft, alpha, beta or stable)", pw, ns->stability);
        else if (!oas_streq(os->stability, ns->stability) && oas_stability_rank(os->stability) < 0)
            oas_emit(X, AC_OAS_API_INVALID_STABILITY_LEVEL, np->src, NULL, os->src, "x-stability-level", pw,
                     "property %s had x-stability-level \"%s\" in the old version (expected draft, alpha, beta or stable)", pw,
                     os->stability);
        else if (oas_stability_rank(os->stability) >= X->opts->stability_from && oas_stability_rank(ns->stability) >= 0 &&
                 oas_stability_rank(ns->stability) != oas_stability_rank(os->stability))
            oas_emit_cx(X, d, C_PROP, oas_stability_rank(ns->stability) < oas_stability_rank(os->stability) ? CH_STABILITY_DECREASED : CH_STABILITY_INCREASED,
                    np->src, "x-stability-level", op->src, "x-stability-level", pw,
                    "stability of property %s changed from %s to %s", pw, os->stability ? os->stability : "stable",
                    ns->stability ? ns->stability : "stable");
        oas_cmp_schema(X, os, ns, d, child_cx(c, ns, d), child_where(X, where, ns, ac_arena_printf(X->scratch, ".%s", op->name)));
    }
    for (uint32_t i = 0; i < n->nprops; i++) {
        const ac_oas_named *np = &n->props[i];
        if (find_prop(&oix, np->name)) continue;
        const char *pw = ac_arena_printf(X->scratch, "%s.%s", where, np->name);
        bool nreq = oas_strset_has(&nreqs, np->name);
        if (d == DREQ) {
            if (np->schema->read_only) continue;
            if (params) {
                if (nreq && header)
                    oas_emit(X, AC_OAS_NEW_REQUIRED_REQUEST_HEADER_PROPERTY, np->src, NULL, o->src, "properties", pw,
                         "required property %s was added to a header parameter", pw);
                continue;
            }
            oas_emit(X, nreq ? (np->schema->dflt ? AC_OAS_NEW_REQUIRED_REQUEST_PROPERTY_WITH_DEFAULT : AC_OAS_NEW_REQUIRED_REQUEST_PROPERTY)
                         : AC_OAS_NEW_OPTIONAL_REQUEST_PROPERTY,
                 np->src, NULL, o->src, "properties", pw, "%s property %s was added to the request", nreq ? "required" : "optional", pw);
        } else {
            if (np->schema->write_only)
                oas_emit(X, nreq ? AC_OAS_RESPONSE_REQUIRED_WRITE_ONLY_PROPERTY_ADDED : AC_OAS_RESPONSE_OPTIONAL_WRITE_ONLY_PROPERTY_ADDED,
                     np->src, NULL, o->src, "properties", pw, "write-only property %s was added", pw);
            else
                oas_emit(X, nreq ? AC_OAS_RESPONSE_REQUIRED_PROPERTY_ADDED : AC_OAS_RESPONSE_OPTIONAL_PROPERTY_ADDED, np->src, NULL,
                     o->src, "properties", pw, "%s property %s was added to the response", nreq ? "required" : "optional", pw);
        }
    }
    /* a property that stays listed in `required` without a definition still changes requiredness */
    propidx_free(&oix);
    propidx_free(&nix);
    oas_strset_free(&oreqs);
    oas_strset_free(&nreqs);
}

static long memo_entry(octx *X, uint64_t key, bool *fresh)
{
    void *v = ac_intmap_get(&X->memo, (int64_t)key);
    if (v) {
        *fresh = false;
        return (long)(uintptr_t)v - 1;
    }
    if (X->nentries == X->centries) {
        X->centries = X->centries ? X->centries * 2 : 256;
        X->entries = ac_xrealloc(X->entries, X->centries * sizeof *X->entries);
    }
    long idx = (long)X->nentries++;
    memset(&X->entries[idx], 0, sizeof X->entries[idx]);
    X->entries[idx].op_stamp = UINT32_MAX;
    ac_intmap_put(&X->memo, (int64_t)key, (void *)(uintptr_t)(idx + 1));
    *fresh = true;
    return idx;
}

static void link_entry(octx *X, long idx)
{
    if (X->cur_entry >= 0) {
        entry *p = &X->entries[X->cur_entry];
        if (p->nk == p->ck) {
            p->ck = p->ck ? p->ck * 2 : 4;
            p->kids = ac_xrealloc(p->kids, p->ck * sizeof *p->kids);
        }
        p->kids[p->nk++] = (uint32_t)idx;
    } else if (X->cur_op >= 0) {
        oas_idlist_add(&X->op_roots[X->cur_op], (uint32_t)idx);
    }
}

/* The branches of a composition but one, named for a message: "#2, \"Card\"". */
static const char *other_branches(octx *X, ac_oas_schema **br, uint32_t nb, int except)
{
    char others[512];
    size_t k = 0;
    others[0] = 0;
    for (uint32_t j = 0; j < nb && k < sizeof others - 1; j++)
        if ((int)j != except) k += (size_t)snprintf(others + k, sizeof others - k, "%s%s", k ? ", " : "", branch_name(X, br[j], j));
    return ac_arena_strdup(X->scratch, others);
}

/* A schema S that became oneOf / anyOf [S', T, ...] (or the reverse), S' being S (by $ref name), or
 * the branch that accepts what S did with no breaking change between them (the closest), else the
 * branch of S's type that differs from it least: report the wrapping (oneOf: *-wrapped-in-one-of,
 * where oasdiff has that ID) and the other branches, and compare S with its own branch, not with the
 * whole composition. */
static bool wrapped(octx *X, ac_oas_schema *o, ac_oas_schema *n, dir_t d, cx_t c, const char *where)
{
    bool o_comp = o->none_of || o->nany_of, n_comp = n->none_of || n->nany_of;
    bool wrap = !o_comp && (!n->none_of != !n->nany_of) && !n->typed && !n->nprops;
    bool unwrap = !n_comp && (!o->none_of != !o->nany_of) && !o->typed && !o->nprops;
    if (!wrap && !unwrap) return false;
    ac_oas_schema *plain = wrap ? o : n, *multi = wrap ? n : o;
    bool one = multi->none_of != 0;
    ac_oas_schema **br = one ? multi->one_of : multi->any_of;
    ac_src *bsrc = one ? multi->one_of_src : multi->any_of_src;
    uint32_t nb = one ? multi->none_of : multi->nany_of;
    /* nullable: true beside the oneOf lets null through whichever branch: each branch is read so */
    if (multi->nullable) {
        ac_oas_schema **eff = ac_arena_alloc(X->scratch, (nb ? nb : 1) * sizeof *eff);
        for (uint32_t j = 0; j < nb; j++) {
            eff[j] = br[j];
            ac_oas_schema *b = br[j]->merged ? br[j]->merged : br[j];
            if (b->nullable || b == multi) continue;
            ac_oas_schema *copy = ac_arena_memdup(X->scratch, b, sizeof *b);
            copy->nullable = true;
            copy->merged = NULL;
            copy->id = (wrap ? X->n : X->o)->schema_count++;
            eff[j] = copy;
        }
        br = eff;
    }
    int match = -1;
    /* a branch that is the composition itself (A: oneOf [B], B: anyOf [A, ...]) is no match: the
     * comparison would only meet itself again */
    for (uint32_t j = 0; j < nb && match < 0; j++)
        if (plain->name && br[j]->name && !strcmp(plain->name, br[j]->name) && br[j] != multi && br[j]->merged != multi)
            match = (int)j;
    /* two branches that accept what S did, as close to it as each other: neither is S's own, and
     * comparing S with the first would report what the other branches loosen as if S had changed
     * (a property "became optional" in one of them) */
    bool tie = false;
    if (match < 0 && !X->in_trial && nb <= MAX_TRIAL_PAIRS) {
        trial_cost bc = {0, 0, 0};
        for (uint32_t j = 0; j < nb; j++) {
            if (br[j] == multi || br[j]->merged == multi) continue;
            trial_cost t = wrap ? trial(X, plain, br[j], d, c) : trial(X, br[j], plain, d, c);
            if (t.err || t.warn) continue;
            if (match < 0 || trial_better(t, bc)) {
                match = (int)j;
                bc = t;
                tie = false;
            } else if (!trial_better(bc, t)) {
                tie = true;
            }
        }
        /* else the branch of the plain schema's type that differs from it the least */
        uint8_t pt = value_types(plain->merged ? plain->merged : plain);
        uint32_t least = UINT32_MAX;
        int closest = -1;
        for (uint32_t j = 0; j < nb && match < 0 && pt; j++) {
            const ac_oas_schema *b = br[j]->merged ? br[j]->merged : br[j];
            if (br[j] == multi || br[j]->merged == multi || value_types(b) != pt) continue;
            trial_cost t = wrap ? trial(X, plain, br[j], d, c) : trial(X, br[j], plain, d, c);
            uint32_t all = t.err + t.warn + t.info;
            if (all < least) {
                least = all;
                closest = (int)j;
            }
        }
        if (match < 0) match = closest;
    }
    if (match < 0) return false;
    const char *kw = one ? "oneOf" : "anyOf";
    /* branches of one type each, all different, with no properties (oasdiff's list of types): a type
     * widened (or narrowed) to a list; the branches may still constrain their values, and those
     * changes are compared below, with the branch of the plain schema's type */
    uint8_t all_types = 0;
    bool list = true;
    for (uint32_t j = 0; j < nb && list; j++) {
        const ac_oas_schema *b = br[j]->merged ? br[j]->merged : br[j];
        uint8_t t = value_types(b);
        list = t && !(t & (t - 1)) && !(all_types & t) && !b->nprops && !b->none_of && !b->nany_of && !b->nall_of;
        all_types |= t;
    }
    if (list && value_types(plain->merged ? plain->merged : plain)) {
        ac_oas_schema lt = *multi;
        lt.typed = true;
        lt.types = all_types;
        lt.format = NULL;
        const ac_oas_schema *p = plain->merged ? plain->merged : plain;
        ac_oas_schema pt = *p;
        pt.format = NULL;
        oas_emit_cx(X, d, c, wrap ? CH_LIST_OF_TYPES_WIDENED : CH_LIST_OF_TYPES_NARROWED, n->src, kw, o->src, wrap ? "type" : kw,
                    where, "type of %s changed from \"%s\" to \"%s\"", where, types_str(X, wrap ? &pt : &lt),
                    types_str(X, wrap ? &lt : &pt));
    } else if (wrap && one && oas_emit_cx(X, d, c, CH_WRAPPED_IN_ONE_OF, n->src, "oneOf", o->src, NULL, where, "%s was wrapped in a oneOf%s%s",
                                   where, nb > 1 ? " with " : "", nb > 1 ? other_branches(X, br, nb, match) : "") >= 0) {
        /* one finding names the wrapping and the new alternatives */
    } else {
        /* no wrapping ID here (anyOf, a property, an unwrapping): each other branch, added or removed */
        change_t ch = one ? (wrap ? CH_ONE_OF_ADDED : CH_ONE_OF_REMOVED) : (wrap ? CH_ANY_OF_ADDED : CH_ANY_OF_REMOVED);
        for (uint32_t j = 0; j < nb; j++) {
            if ((int)j == match) continue;
            ac_src bs = bsrc ? bsrc[j] : br[j]->src;
            if (wrap)
                oas_emit_cx(X, d, c, ch, bs, NULL, o->src, NULL, where, "%s gained %s branch %s", where, kw, branch_name(X, br[j], j));
            else
                oas_emit_cx(X, d, c, ch, n->src, NULL, bs, NULL, where, "%s lost %s branch %s", where, kw, branch_name(X, br[j], j));
        }
    }
    if (!tie) oas_cmp_schema(X, wrap ? o : br[match], wrap ? br[match] : n, d, c, where);
    return true;
}

/* A query or cookie parameter, form-style and exploded (their default), that was a scalar (or a list
 * of scalar types) and became an array: `?a=1` is also the array ["1"], so a client that sends one
 * value still sends a valid request when the items accept every value the scalar did (compared as
 * a parameter value, text) and one item is enough (minItems at most 1).  Reported as a type
 * generalized, with the other differences between the scalar and the items; otherwise (an item
 * that rejects an old value) false, and the parameter is compared as it is: a type changed. */
bool oas_param_form_array(octx *X, ac_oas_schema *o, ac_oas_schema *n, const char *where)
{
    if (!o || !n || X->failed) return false;
    ac_oas_schema *O = o->merged ? o->merged : o, *N = n->merged ? n->merged : n;
    uint8_t ot = value_types(O);
    if (!ot || (ot & AC_OT_ARRAY) || value_types(N) != AC_OT_ARRAY || !N->items || N->min_items > 1) return false;
    ac_oas_schema *I = N->items->merged ? N->items->merged : N->items;
    if (!types_contain(value_types(I), ot, true)) return false;
    /* the item against the scalar, all but the type (judged above, as text): the nullability is
     * the array's, the format the item's */
    ac_oas_schema *item = ac_arena_memdup(X->scratch, I, sizeof *I);
    item->typed = O->typed;
    item->types = O->types;
    item->nullable = N->nullable;
    item->merged = NULL;
    item->id = X->n->schema_count++;
    trial_cost t = trial(X, O, item, DREQ, C_PARAM);
    if (t.err || t.warn) return false;
    oas_emit_cx(X, DREQ, C_PARAM, CH_TYPE_GENERALIZED, n->src, "type", o->src, "type", where,
                "type of %s changed from \"%s\" to \"%s of %s\" (form, exploded: one value is a one-element array)", where,
                types_str(X, O), types_str(X, N), types_str(X, I));
    oas_cmp_schema(X, O, item, DREQ, C_PARAM, where);
    return true;
}

/* The JSON Schema 2020-12 sub-schemas present on both sides, compared as what they constrain: the
 * instance itself (if, then, else, dependentSchemas; `not`, with the direction inverted, since what
 * `not` accepts the schema rejects), its items (prefixItems by position, contains, unevaluatedItems)
 * or its property names and values (propertyNames, patternProperties by pattern,
 * unevaluatedProperties), or the decoded content (contentSchema). */
static void cmp_subschemas(octx *X, ac_oas_schema *O, ac_oas_schema *N, dir_t d, cx_t c, cx_t kid, const char *where)
{
    const ac_oas_schema_x *ox = O->x, *nx = N->x;
    if (ox == &ac_oas_schema_x_none || nx == &ac_oas_schema_x_none) return;
    static const struct {
        const char *suffix;
        size_t off;
        bool self, invert;
    } one[] = {
        {"/if", offsetof(ac_oas_schema_x, if_), true, false},
        {"/then", offsetof(ac_oas_schema_x, then_), true, false},
        {"/else", offsetof(ac_oas_schema_x, else_), true, false},
        {"/not", offsetof(ac_oas_schema_x, not_), true, true},
        {"/contains", offsetof(ac_oas_schema_x, contains), false, false},
        {"/propertyNames", offsetof(ac_oas_schema_x, property_names), false, false},
        {"/unevaluatedItems", offsetof(ac_oas_schema_x, unevaluated_items_schema), false, false},
        {"/unevaluatedProperties", offsetof(ac_oas_schema_x, unevaluated_props_schema), false, false},
        {"/contentSchema", offsetof(ac_oas_schema_x, content_schema), false, false},
    };
    for (size_t i = 0; i < sizeof one / sizeof one[0]; i++) {
        ac_oas_schema *os = *(ac_oas_schema *const *)((const char *)ox + one[i].off);
        ac_oas_schema *ns = *(ac_oas_schema *const *)((const char *)nx + one[i].off);
        if (!os || !ns) continue;
        dir_t sd = one[i].invert ? (d == DREQ ? DRESP : DREQ) : d;
        oas_cmp_schema(X, os, ns, sd, one[i].self ? c : kid, child_where(X, where, ns, one[i].suffix));
    }
    for (uint32_t i = 0; i < ox->nprefix && i < nx->nprefix; i++)
        oas_cmp_schema(X, ox->prefix_items[i], nx->prefix_items[i], d, kid,
                       child_where(X, where, nx->prefix_items[i], ac_arena_printf(X->scratch, "/prefixItems/%u", i)));
    /* by key: patternProperties (property values), dependentSchemas (the instance) */
    for (int pass = 0; pass < 2; pass++) {
        const ac_oas_named *a = pass ? ox->dependent_schemas : ox->pattern_props, *b = pass ? nx->dependent_schemas : nx->pattern_props;
        uint32_t na = pass ? ox->ndependent_schemas : ox->npattern_props, nb = pass ? nx->ndependent_schemas : nx->npattern_props;
        for (uint32_t i = 0; i < na; i++)
            for (uint32_t k = 0; k < nb; k++)
                if (!strcmp(a[i].name, b[k].name)) {
                    oas_cmp_schema(X, a[i].schema, b[k].schema, d, pass ? c : kid,
                                   child_where(X, where, b[k].schema,
                                               ac_arena_printf(X->scratch, "/%s[%s]", pass ? "dependentSchemas" : "patternProperties",
                                                               b[k].name)));
                    break;
                }
    }
}

void oas_cmp_schema(octx *X, ac_oas_schema *o, ac_oas_schema *n, dir_t d, cx_t c, const char *where)
{
    if (!o || !n || X->failed) return;
    uint64_t key = ((uint64_t)o->id << 36) | ((uint64_t)(n->id & 0xFFFFFFF) << 8) | ((uint64_t)X->text << 7) |
                   ((uint64_t)d << 4) | (uint64_t)c;
    bool fresh;
    long idx = memo_entry(X, key, &fresh);
    link_entry(X, idx);
    if (!fresh) return; /* compared already (or being compared: a cycle) */
    if (X->depth >= MAX_SCHEMA_DEPTH) {
        X->failed = true;
        ac_loc l;
        X->nc->locate(X->nc, n->src, NULL, &l);
        ac_fail(X->st, l.path, l.line, l.col, "schemas nested more than %d levels deep (through $refs)", MAX_SCHEMA_DEPTH);
        return;
    }
    long saved = X->cur_entry;
    X->cur_entry = idx;
    X->depth++;
    ac_oas_schema *O = o->merged ? o->merged : o, *N = n->merged ? n->merged : n;
    if (wrapped(X, O, N, d, c, where)) {
        X->depth--;
        X->cur_entry = saved;
        return;
    }
    size_t before = X->out->n, refactors_before = X->refactors;
    check_type(X, O, N, d, c, where);
    check_values(X, O, N, d, c, where);
    check_constraints(X, O, N, d, c, where);
    check_param_item_bounds(X, O, N, d, c, where);
    check_structure(X, O, N, d, c, where);
    check_properties(X, O, N, d, c, where);
    /* an allOf member added or removed changes what clients see only when the merged meaning did
     * (a property's own allOf refactored is no change to it) */
    bool merged_changed = X->out->n - before > X->refactors - refactors_before;
    check_composition(X, O, N, d, c, where, merged_changed);
    cx_t kid = (c == C_PARAM || c == C_PARAM_PROP) ? C_PARAM_PROP : (c == C_HPARAM || (c == C_HEADER && d == DREQ)) ? C_HEADER : C_PROP;
    if (O->items && N->items) oas_cmp_schema(X, O->items, N->items, d, kid, child_where(X, where, N->items, "[]"));
    if (O->addl == 3 && N->addl == 3) oas_cmp_schema(X, O->addl_schema, N->addl_schema, d, kid, child_where(X, where, N->addl_schema, "{*}"));
    cmp_subschemas(X, O, N, d, c, kid, where);
    X->depth--;
    X->cur_entry = saved;
}
