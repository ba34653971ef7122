/* The parser: protoc 3.21's compiler::Parser, statement for statement, because the SourceCodeInfo
 * it records (which locations, in which order, with which spans and comments) is part of the
 * output we must reproduce.  Options stay uninterpreted here; the builder interprets them. */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/native/nt.h"

#define DO(x)                    \
    do {                         \
        if (!(x)) return false;  \
    } while (0)

#define MAX_NESTING 32 /* protoc's builder refuses deeper messages; we stop parsing well before stack trouble */
#define PARSE_DEPTH_LIMIT 64

typedef NT_VEC(nt_loc) locv;

typedef struct LR {
    locv *list;
    int i;
} LR;

typedef struct P {
    ac_arena *a;
    nt_lexer lx;
    ac_arena *la; /* locations' paths and comments (f->la, else a) */
    nt_file *f;
    nt_errs *errs;
    bool had_errors;
    bool abort;
    char *upcoming_doc;
    nt_strv upcoming_detached;
    int syntax; /* 2, 3, 2023 */
    int depth;
    /* buf style (f->buf_style): comments by token, and the last column worked out */
    bool buf;
    nt_cmts cmts;
    int cc_off, cc_col;
} P;

static const struct {
    const char *name;
    int type;
} type_names[] = {
    {"double", TY_DOUBLE}, {"float", TY_FLOAT},   {"uint64", TY_UINT64},     {"fixed64", TY_FIXED64},
    {"fixed32", TY_FIXED32}, {"bool", TY_BOOL},   {"string", TY_STRING},     {"group", TY_GROUP},
    {"bytes", TY_BYTES},   {"uint32", TY_UINT32}, {"sfixed32", TY_SFIXED32}, {"sfixed64", TY_SFIXED64},
    {"int32", TY_INT32},   {"int64", TY_INT64},   {"sint32", TY_SINT32},     {"sint64", TY_SINT64},
};

/* ---- token helpers ---- */

static bool looking_at(P *p, const char *text)
{
    size_t n = strlen(text);
    return (size_t)p->lx.cur.len == n && memcmp(p->lx.cur.text, text, n) == 0;
}

static bool looking_type(P *p, nt_toktype t) { return p->lx.cur.type == t; }
static bool at_end(P *p) { return p->lx.cur.type == NT_T_END; }
static void next(P *p) { nt_lex_next(&p->lx); }

static void add_error_at(P *p, int line, int col, const char *msg)
{
    nt_error(p->a, p->errs, p->f->name, line, col, "%s", msg);
    p->had_errors = true;
}

static void add_error(P *p, const char *msg) { add_error_at(p, p->lx.cur.line, p->lx.cur.col, msg); }

static bool try_consume(P *p, const char *text)
{
    if (looking_at(p, text)) {
        next(p);
        return true;
    }
    return false;
}

static bool consume_msg(P *p, const char *text, const char *error)
{
    if (try_consume(p, text)) return true;
    add_error(p, error);
    return false;
}

static bool consume(P *p, const char *text)
{
    if (try_consume(p, text)) return true;
    char m[128];
    snprintf(m, sizeof m, "Expected \"%s\".", text);
    add_error(p, m);
    return false;
}

static char *tok_str(P *p) { return ac_arena_strndup(p->a, p->lx.cur.text, (size_t)p->lx.cur.len); }

static bool consume_ident(P *p, char **out, const char *error)
{
    if (looking_type(p, NT_T_IDENT)) {
        *out = tok_str(p);
        next(p);
        return true;
    }
    add_error(p, error);
    return false;
}

static bool consume_integer(P *p, int *out, const char *error)
{
    if (looking_type(p, NT_T_INT)) {
        uint64_t v = 0;
        if (!nt_parse_uint(p->lx.cur.text, p->lx.cur.len, INT32_MAX, &v)) add_error(p, "Integer out of range.");
        *out = (int)v;
        next(p);
        return true;
    }
    add_error(p, error);
    return false;
}

static bool consume_integer64(P *p, uint64_t max, uint64_t *out, const char *error)
{
    if (looking_type(p, NT_T_INT)) {
        if (!nt_parse_uint(p->lx.cur.text, p->lx.cur.len, max, out)) {
            add_error(p, "Integer out of range.");
            *out = 0;
        }
        next(p);
        return true;
    }
    add_error(p, error);
    return false;
}

static bool consume_signed_integer(P *p, int *out, const char *error)
{
    bool neg = false;
    uint64_t max = INT32_MAX;
    if (try_consume(p, "-")) {
        neg = true;
        max++;
    }
    uint64_t v = 0;
    DO(consume_integer64(p, max, &v, error));
    if (neg) v = (uint64_t)0 - v;
    *out = (int)(int64_t)v;
    return true;
}

static bool consume_number(P *p, double *out, const char *error)
{
    if (looking_type(p, NT_T_FLOAT)) {
        *out = nt_parse_float(p->lx.cur.text, p->lx.cur.len);
        next(p);
        return true;
    }
    if (looking_type(p, NT_T_INT)) {
        uint64_t v = 0;
        if (!nt_parse_uint(p->lx.cur.text, p->lx.cur.len, UINT64_MAX, &v)) add_error(p, "Integer out of range.");
        *out = (double)v;
        next(p);
        return true;
    }
    if (looking_at(p, "inf")) {
        *out = INFINITY;
        next(p);
        return true;
    }
    if (looking_at(p, "nan")) {
        *out = NAN;
        next(p);
        return true;
    }
    add_error(p, error);
    return false;
}

/* Adjacent string literals concatenate, as in C. */
static bool consume_string(P *p, char **out, size_t *outlen, const char *error)
{
    if (!looking_type(p, NT_T_STRING)) {
        add_error(p, error);
        return false;
    }
    nt_buf b = {0};
    while (looking_type(p, NT_T_STRING)) {
        nt_unescape(p->lx.cur.text, p->lx.cur.len, &b);
        next(p);
    }
    *out = ac_arena_strndup(p->a, b.p ? (const char *)b.p : "", b.n);
    if (outlen) *outlen = b.n;
    nt_buf_free(&b);
    return true;
}

/* ---- locations (LocationRecorder) ---- */

static int off_of(P *p, const nt_tok *t)
{
    if (t->text >= p->lx.buf && t->text <= p->lx.buf + p->lx.len) return (int)(t->text - p->lx.buf);
    return (int)p->lx.len;
}

/* buf's column of a byte offset (buf style), from the last one worked out when on its line */
static int bcol(P *p, int off)
{
    const char *s = p->lx.buf;
    int from = off, col = 0;
    if (p->cc_off >= 0 && p->cc_off <= off && !memchr(s + p->cc_off, '\n', (size_t)(off - p->cc_off))) {
        from = p->cc_off;
        col = p->cc_col;
    } else {
        while (from > 0 && s[from - 1] != '\n') from--;
    }
    col = nt_bufcol_adv(s, from, col, off);
    p->cc_off = off;
    p->cc_col = col;
    return col;
}

static int start_col(P *p, const nt_tok *t, int off) { return p->buf ? bcol(p, off) : t->col; }

static LR loc_new_in(P *p, locv *list, const LR *parent, int n, int c1, int c2)
{
    /* the file's list is on the heap; a temporary one (extension range options) in the arena */
    nt_loc *l = list == (locv *)&p->f->locs ? NT_PUSH_HEAP(*list) : NT_PUSH(p->a, *list);
    memset(l, 0, sizeof *l);
    int base = 0;
    const nt_loc *pl = parent ? &parent->list->v[parent->i] : NULL;
    if (pl) base = pl->npath;
    l = &list->v[list->n - 1];
    l->path = ac_arena_alloc(p->la, (size_t)(base + n + 2) * sizeof(int));
    if (pl && base) memcpy(l->path, parent->list->v[parent->i].path, (size_t)base * sizeof(int));
    l->npath = base;
    if (n > 0) l->path[l->npath++] = c1;
    if (n > 1) l->path[l->npath++] = c2;
    l->off = off_of(p, &p->lx.cur);
    l->span[0] = p->lx.cur.line;
    l->span[1] = start_col(p, &p->lx.cur, l->off);
    l->nspan = 2;
    return (LR){list, list->n - 1};
}

static LR loc_new(P *p, const LR *parent, int n, int c1, int c2)
{
    return loc_new_in(p, parent ? parent->list : (locv *)&p->f->locs, parent, n, c1, c2);
}

static nt_loc *L(LR r) { return &r.list->v[r.i]; }
static void loc_add_path(LR r, int c) { nt_loc *l = L(r); l->path[l->npath++] = c; }
static void loc_start_tok(P *p, LR r, const nt_tok *t)
{
    L(r)->off = off_of(p, t);
    L(r)->span[0] = t->line;
    L(r)->span[1] = start_col(p, t, L(r)->off);
}

static void loc_start_loc(LR r, LR o)
{
    L(r)->off = L(o)->off;
    L(r)->span[0] = L(o)->span[0];
    L(r)->span[1] = L(o)->span[1];
}

static void loc_end_tok(P *p, LR r, const nt_tok *t)
{
    nt_loc *l = L(r);
    if (t->line != l->span[0]) l->span[l->nspan++] = t->line;
    l->span[l->nspan++] = p->buf ? bcol(p, off_of(p, t) + t->len) : t->end_col;
}

static void loc_done(P *p, LR r)
{
    if (L(r)->nspan <= 2) loc_end_tok(p, r, &p->lx.prev);
}

/* buf style: a location buf does not write */
static void loc_drop(P *p, LR r)
{
    if (p->buf) L(r)->nspan = 0;
}

/* buf style: the leading and detached comments of the location's first token, the trailing ones
 * of the token that ends it */
static void buf_attach(P *p, LR r, int end_off)
{
    nt_loc *l = L(r);
    const nt_cmt *c = nt_bufcmt_find(&p->cmts, l->off), *e = nt_bufcmt_find(&p->cmts, end_off);
    if (c && c->lead && *c->lead) l->lead = c->lead;
    if (c && c->ndet) {
        l->detached = c->det;
        l->ndetached = c->ndet;
    }
    if (e && e->trail && *e->trail) l->trail = e->trail;
}

static void loc_attach(P *p, LR r, char *lead, char *trail, nt_strv *detached)
{
    nt_loc *l = L(r);
    if (lead && *lead) l->lead = lead;
    if (trail && *trail) l->trail = trail;
    if (detached && detached->n) {
        l->detached = ac_arena_alloc(p->la, (size_t)detached->n * sizeof(char *));
        memcpy(l->detached, detached->v, (size_t)detached->n * sizeof(char *));
        l->ndetached = detached->n;
    }
    if (detached) detached->n = 0;
}

static bool try_end_decl(P *p, const char *text, const LR *loc)
{
    if (!looking_at(p, text)) return false;
    int end_off = off_of(p, &p->lx.cur);
    char *leading = NULL, *trailing = NULL;
    nt_strv detached = {0};
    nt_lex_next_comments(&p->lx, &trailing, &detached, &leading);
    char *tmp = p->upcoming_doc;
    p->upcoming_doc = leading;
    leading = tmp;
    if (loc) {
        nt_strv t = p->upcoming_detached;
        p->upcoming_detached = detached;
        if (p->buf) buf_attach(p, *loc, end_off);
        else loc_attach(p, *loc, leading, trailing, &t);
    } else if (strcmp(text, "}") == 0) {
        p->upcoming_detached = detached;
    } else {
        for (int i = 0; i < detached.n; i++) *NT_PUSH(p->a, p->upcoming_detached) = detached.v[i];
    }
    return true;
}

static bool end_decl(P *p, const char *text, const LR *loc)
{
    if (try_end_decl(p, text, loc)) return true;
    char m[128];
    snprintf(m, sizeof m, "Expected \"%s\".", text);
    add_error(p, m);
    return false;
}

/* ---- recovery ---- */

static void skip_rest_of_block(P *p)
{
    int depth = 1;
    while (!at_end(p)) {
        if (looking_type(p, NT_T_SYMBOL)) {
            if (try_end_decl(p, "}", NULL)) {
                if (--depth == 0) return;
                continue;
            } else if (try_consume(p, "{")) {
                depth++;
                continue;
            }
        }
        next(p);
    }
}

static void skip_statement(P *p)
{
    for (;;) {
        if (at_end(p)) return;
        if (looking_type(p, NT_T_SYMBOL)) {
            if (try_end_decl(p, ";", NULL)) return;
            if (try_consume(p, "{")) {
                skip_rest_of_block(p);
                return;
            }
            if (looking_at(p, "}")) return;
        }
        next(p);
    }
}

/* ---- options ---- */

static void opts_touch(nt_opts *o) { o->present = true; }

typedef NT_VEC(nt_namepart) namepartv;

static bool parse_option_name_part(P *p, nt_uopt *u, LR part_loc, void *parts_vec)
{
    namepartv *parts = parts_vec;
    nt_namepart *np = NT_PUSH(p->a, *parts);
    np->part = NULL;
    np->ext = false;
    if (looking_at(p, "(")) {
        DO(consume(p, "("));
        nt_buf b = {0};
        {
            LR loc = loc_new(p, &part_loc, 1, 1, 0);
            char *id;
            if (looking_type(p, NT_T_IDENT)) {
                if (!consume_ident(p, &id, "Expected identifier.")) goto fail;
                nt_buf_put(&b, id, strlen(id));
            }
            while (looking_at(p, ".")) {
                if (!consume(p, ".")) goto fail;
                nt_buf_byte(&b, '.');
                if (!consume_ident(p, &id, "Expected identifier.")) goto fail;
                nt_buf_put(&b, id, strlen(id));
            }
            loc_done(p, loc);
        }
        np = &parts->v[parts->n - 1];
        np->part = ac_arena_strndup(p->a, b.p ? (char *)b.p : "", b.n);
        nt_buf_free(&b);
        DO(consume(p, ")"));
        np->ext = true;
        return true;
    fail:
        nt_buf_free(&b);
        return false;
    }
    LR loc = loc_new(p, &part_loc, 1, 1, 0);
    char *id;
    DO(consume_ident(p, &id, "Expected identifier."));
    parts->v[parts->n - 1].part = id;
    loc_done(p, loc);
    (void)u;
    return true;
}

static bool parse_uninterpreted_block(P *p, nt_uopt *u)
{
    char **value = &u->agg;
    DO(consume(p, "{"));
    nt_buf b = {0};
    NT_VEC(nt_aggtok) toks = {0};
    int depth = 1;
    while (!at_end(p)) {
        if (looking_at(p, "{")) {
            depth++;
        } else if (looking_at(p, "}")) {
            if (--depth == 0) {
                next(p);
                *value = ac_arena_strndup(p->a, b.p ? (char *)b.p : "", b.n);
                nt_buf_free(&b);
                u->aggtok = toks.v;
                u->naggtok = toks.n;
                return true;
            }
        }
        if (b.n) nt_buf_byte(&b, ' ');
        if (p->buf) { /* where each token came from, for the locations of the fields it sets */
            int off = off_of(p, &p->lx.cur);
            *NT_PUSH(p->a, toks) = (nt_aggtok){(int)b.n, p->lx.cur.line, bcol(p, off), bcol(p, off + p->lx.cur.len)};
        }
        nt_buf_put(&b, p->lx.cur.text, (size_t)p->lx.cur.len);
        next(p);
    }
    nt_buf_free(&b);
    add_error(p, "Unexpected end of stream while parsing aggregate value.");
    return false;
}

enum { OPTION_ASSIGNMENT, OPTION_STATEMENT };

static bool parse_option(P *p, nt_opts *opts, LR opts_loc, int style)
{
    opts_touch(opts);
    LR loc = loc_new(p, &opts_loc, 2, 999, opts->u.n);
    if (style == OPTION_STATEMENT) DO(consume(p, "option"));
    nt_uopt *u = ac_arena_alloc(p->a, sizeof *u);
    *NT_PUSH(p->a, opts->u) = u;
    namepartv parts = {0};
    {
        LR name_loc = loc_new(p, &loc, 1, 2, 0);
        u->name_pos = (nt_pos){p->lx.cur.line, p->lx.cur.col};
        {
            LR part_loc = loc_new(p, &name_loc, 1, parts.n, 0);
            DO(parse_option_name_part(p, u, part_loc, (void *)&parts));
            loc_done(p, part_loc);
        }
        while (looking_at(p, ".")) {
            DO(consume(p, "."));
            LR part_loc = loc_new(p, &name_loc, 1, parts.n, 0);
            DO(parse_option_name_part(p, u, part_loc, (void *)&parts));
            loc_done(p, part_loc);
        }
        loc_done(p, name_loc);
    }
    u->names = parts.v;
    u->nnames = parts.n;
    DO(consume(p, "="));
    {
        LR vloc = loc_new(p, &loc, 0, 0, 0);
        u->value_pos = (nt_pos){p->lx.cur.line, p->lx.cur.col};
        bool neg = try_consume(p, "-");
        switch (p->lx.cur.type) {
        case NT_T_START:
        case NT_T_END: add_error(p, "Unexpected end of stream while parsing option value."); return false;
        case NT_T_IDENT:
            loc_add_path(vloc, 3);
            if (neg) {
                add_error(p, "Invalid '-' symbol before identifier.");
                return false;
            }
            DO(consume_ident(p, &u->ident, "Expected identifier."));
            u->kind = NT_V_IDENT;
            break;
        case NT_T_INT: {
            uint64_t v, max = neg ? (uint64_t)INT64_MAX + 1 : UINT64_MAX;
            DO(consume_integer64(p, max, &v, "Expected integer."));
            if (neg) {
                loc_add_path(vloc, 5);
                u->kind = NT_V_NEG;
                u->i = (int64_t)((uint64_t)0 - v);
            } else {
                loc_add_path(vloc, 4);
                u->kind = NT_V_POS;
                u->u = v;
            }
            break;
        }
        case NT_T_FLOAT: {
            loc_add_path(vloc, 6);
            double v;
            DO(consume_number(p, &v, "Expected number."));
            u->kind = NT_V_DOUBLE;
            u->d = neg ? -v : v;
            break;
        }
        case NT_T_STRING:
            loc_add_path(vloc, 7);
            if (neg) {
                add_error(p, "Invalid '-' symbol before string.");
                return false;
            }
            DO(consume_string(p, &u->str, &u->strlen, "Expected string."));
            u->kind = NT_V_STRING;
            break;
        case NT_T_SYMBOL:
            if (looking_at(p, "{")) {
                loc_add_path(vloc, 8);
                DO(parse_uninterpreted_block(p, u));
                u->kind = NT_V_AGG;
            } else {
                add_error(p, "Expected option value.");
                return false;
            }
            break;
        }
        loc_done(p, vloc);
    }
    if (style == OPTION_STATEMENT) DO(end_decl(p, ";", &loc));
    loc_done(p, loc);
    return true;
}

/* ---- messages ---- */

static bool parse_message_block(P *p, nt_msg *m, LR mloc);
static bool parse_enum_definition(P *p, nt_enum *e, LR eloc);

static nt_msg *new_msg(P *p)
{
    nt_msg *m = ac_arena_alloc(p->a, sizeof *m);
    m->file = p->f;
    m->pos_name.line = -1;
    return m;
}

static nt_field *new_field(P *p)
{
    nt_field *f = ac_arena_alloc(p->a, sizeof *f);
    f->pos_name.line = f->pos_type.line = f->pos_number.line = f->pos_default.line = f->pos_extendee.line =
        f->pos_json.line = -1;
    f->file = p->f;
    return f;
}

static bool parse_message_definition(P *p, nt_msg *m, LR mloc)
{
    DO(consume(p, "message"));
    {
        LR loc = loc_new(p, &mloc, 1, 1, 0);
        m->pos_name = (nt_pos){p->lx.cur.line, p->lx.cur.col};
        DO(consume_ident(p, &m->name, "Expected message name."));
        loc_done(p, loc);
    }
    DO(parse_message_block(p, m, mloc));
    if (p->syntax == 3) {
        ac_strmap names;
        ac_strmap_init(&names);
        /* after a syntax error a field or oneof may have no name yet */
        for (int i = 0; i < m->fields.n; i++)
            if (m->fields.v[i]->name) ac_strmap_put(&names, m->fields.v[i]->name, m);
        for (int i = 0; i < m->oneofs.n; i++)
            if (m->oneofs.v[i]->name) ac_strmap_put(&names, m->oneofs.v[i]->name, m);
        for (int i = 0; i < m->fields.n; i++) {
            nt_field *f = m->fields.v[i];
            if (!f->proto3_optional || !f->name) continue;
            char *name = f->name;
            if (!name[0] || name[0] != '_') name = ac_arena_printf(p->a, "_%s", name);
            while (ac_strmap_get(&names, name)) name = ac_arena_printf(p->a, "X%s", name);
            ac_strmap_put(&names, name, m);
            f->has_oneof = true;
            f->oneof_index = m->oneofs.n;
            nt_oneof *o = ac_arena_alloc(p->a, sizeof *o);
            o->name = name;
            o->pos_name.line = -1;
            *NT_PUSH(p->a, m->oneofs) = o;
        }
        ac_strmap_free(&names);
    }
    return true;
}

static bool is_message_set(nt_msg *m)
{
    for (int i = 0; i < m->opts.u.n; i++) {
        nt_uopt *u = m->opts.u.v[i];
        if (u->nnames == 1 && strcmp(u->names[0].part, "message_set_wire_format") == 0 && u->kind == NT_V_IDENT &&
            strcmp(u->ident, "true") == 0)
            return true;
    }
    return false;
}

static bool parse_message_statement(P *p, nt_msg *m, LR mloc);

static bool parse_message_block(P *p, nt_msg *m, LR mloc)
{
    DO(end_decl(p, "{", &mloc));
    if (++p->depth > PARSE_DEPTH_LIMIT) {
        nt_error(p->a, p->errs, p->f->name, -1, 0, "Reached maximum recursion limit for nested messages.");
        p->had_errors = true;
        p->abort = true;
        return false;
    }
    while (!try_end_decl(p, "}", NULL)) {
        if (p->abort) return false;
        if (at_end(p)) {
            add_error(p, "Reached end of input in message definition (missing '}').");
            return false;
        }
        if (!parse_message_statement(p, m, mloc)) {
            if (p->abort) return false;
            skip_statement(p);
        }
    }
    p->depth--;
    int max = is_message_set(m) ? INT32_MAX : 536870912;
    for (int i = 0; i < m->ext_ranges.n; i++)
        if (m->ext_ranges.v[i]->end == -1) m->ext_ranges.v[i]->end = max;
    for (int i = 0; i < m->reserved.n; i++)
        if (m->reserved.v[i].end == -1) m->reserved.v[i].end = max;
    return true;
}

static bool parse_field_options(P *p, nt_field *f, LR floc);
static bool parse_extensions(P *p, nt_msg *m, LR eloc);
static bool parse_reserved_msg(P *p, nt_msg *m, LR mloc);
static bool parse_extend(P *p, void *exts_vec, void *msgs_vec, LR parent, int nested_num, LR extend_loc,
                         const char *scope_hint);
static bool parse_oneof(P *p, nt_oneof *o, nt_msg *m, int index, LR oloc, LR mloc);
static bool parse_message_field(P *p, nt_field *f, void *msgs_vec, LR parent, int nested_num, LR floc);
static bool parse_option_stmt(P *p, nt_opts *o, LR parent, int optnum);

typedef NT_VEC(nt_field *) fieldv;
typedef NT_VEC(nt_msg *) msgv;

static bool parse_message_statement(P *p, nt_msg *m, LR mloc)
{
    if (try_end_decl(p, ";", NULL)) return true;
    if (looking_at(p, "message")) {
        LR loc = loc_new(p, &mloc, 2, 3, m->nested.n);
        nt_msg *n = new_msg(p);
        *NT_PUSH(p->a, m->nested) = n;
        bool ok = parse_message_definition(p, n, loc);
        if (ok) loc_done(p, loc);
        return ok;
    }
    if (looking_at(p, "enum")) {
        LR loc = loc_new(p, &mloc, 2, 4, m->enums.n);
        nt_enum *e = ac_arena_alloc(p->a, sizeof *e);
        e->file = p->f;
        *NT_PUSH(p->a, m->enums) = e;
        bool ok = parse_enum_definition(p, e, loc);
        if (ok) loc_done(p, loc);
        return ok;
    }
    if (looking_at(p, "extensions")) {
        LR loc = loc_new(p, &mloc, 1, 5, 0);
        int old = m->ext_ranges.n;
        bool ok = parse_extensions(p, m, loc);
        if (ok) loc_done(p, loc);
        /* buf writes the statement's location once per range */
        for (int i = old + 1; ok && p->buf && i < m->ext_ranges.n; i++) {
            nt_loc *d = NT_PUSH_HEAP(p->f->locs);
            *d = *L(loc);
        }
        return ok;
    }
    if (looking_at(p, "reserved")) return parse_reserved_msg(p, m, mloc);
    if (looking_at(p, "extend")) {
        LR loc = loc_new(p, &mloc, 1, 6, 0);
        bool ok = parse_extend(p, &m->exts, &m->nested, mloc, 3, loc, NULL);
        if (ok) loc_done(p, loc);
        return ok;
    }
    if (looking_at(p, "option")) return parse_option_stmt(p, &m->opts, mloc, 7);
    if (looking_at(p, "oneof")) {
        int idx = m->oneofs.n;
        LR loc = loc_new(p, &mloc, 2, 8, idx);
        nt_oneof *o = ac_arena_alloc(p->a, sizeof *o);
        *NT_PUSH(p->a, m->oneofs) = o;
        bool ok = parse_oneof(p, o, m, idx, loc, mloc);
        if (ok) loc_done(p, loc);
        return ok;
    }
    LR loc = loc_new(p, &mloc, 2, 2, m->fields.n);
    nt_field *f = new_field(p);
    *NT_PUSH(p->a, m->fields) = f;
    bool ok = parse_message_field(p, f, &m->nested, mloc, 3, loc);
    if (ok) loc_done(p, loc);
    return ok;
}

static bool parse_option_stmt(P *p, nt_opts *o, LR parent, int optnum)
{
    LR loc = loc_new(p, &parent, 1, optnum, 0);
    bool ok = parse_option(p, o, loc, OPTION_STATEMENT);
    if (ok) loc_done(p, loc);
    return ok;
}

static bool parse_label(P *p, int *label, LR floc)
{
    if (!looking_at(p, "optional") && !looking_at(p, "repeated") && !looking_at(p, "required")) return false;
    LR loc = loc_new(p, &floc, 1, 4, 0);
    if (try_consume(p, "optional"))
        *label = LB_OPTIONAL;
    else if (try_consume(p, "repeated"))
        *label = LB_REPEATED;
    else {
        consume(p, "required");
        *label = LB_REQUIRED;
    }
    loc_done(p, loc);
    return true;
}

static int lookup_type(P *p)
{
    for (size_t i = 0; i < sizeof type_names / sizeof *type_names; i++)
        if (looking_at(p, type_names[i].name)) return type_names[i].type;
    return 0;
}

static bool parse_user_type(P *p, char **out)
{
    if (lookup_type(p)) {
        add_error(p, "Expected message type.");
        *out = tok_str(p);
        next(p);
        return true;
    }
    nt_buf b = {0};
    if (try_consume(p, ".")) nt_buf_byte(&b, '.');
    char *id;
    if (!consume_ident(p, &id, "Expected type name.")) goto fail;
    nt_buf_put(&b, id, strlen(id));
    while (try_consume(p, ".")) {
        nt_buf_byte(&b, '.');
        if (!consume_ident(p, &id, "Expected identifier.")) goto fail;
        nt_buf_put(&b, id, strlen(id));
    }
    *out = ac_arena_strndup(p->a, (char *)b.p, b.n);
    nt_buf_free(&b);
    return true;
fail:
    nt_buf_free(&b);
    return false;
}

static bool parse_type(P *p, int *type, char **type_name)
{
    int t = lookup_type(p);
    if (t) {
        *type = t;
        next(p);
        return true;
    }
    return parse_user_type(p, type_name);
}

static char *map_entry_name(P *p, const char *field)
{
    nt_buf b = {0};
    bool cap = true;
    for (const char *s = field; *s; s++) {
        if (*s == '_') {
            cap = true;
        } else if (cap) {
            nt_buf_byte(&b, (uint8_t)((*s >= 'a' && *s <= 'z') ? *s - 'a' + 'A' : *s));
            cap = false;
        } else {
            nt_buf_byte(&b, (uint8_t)*s);
        }
    }
    nt_buf_put(&b, "Entry", 5);
    char *r = ac_arena_strndup(p->a, (char *)b.p, b.n);
    nt_buf_free(&b);
    return r;
}

static bool parse_field_no_label(P *p, nt_field *f, void *msgs_vec, LR parent, int nested_num, LR floc)
{
    msgv *msgs = msgs_vec;
    bool is_map = false;
    int key_type = 0, value_type = 0;
    char *key_name = NULL, *value_name = NULL;
    {
        LR loc = loc_new(p, &floc, 0, 0, 0);
        f->pos_type = (nt_pos){p->lx.cur.line, p->lx.cur.col};
        bool type_parsed = false;
        int type = TY_INT32;
        char *type_name = NULL;
        if (try_consume(p, "map")) {
            if (looking_at(p, "<")) {
                is_map = true;
            } else {
                type_parsed = true;
                type_name = "map";
            }
        }
        if (is_map) {
            if (f->has_oneof) {
                add_error(p, "Map fields are not allowed in oneofs.");
                return false;
            }
            if (f->label) {
                add_error(p, "Field labels (required/optional/repeated) are not allowed on map fields.");
                return false;
            }
            if (f->extendee) {
                add_error(p, "Map fields are not allowed to be extensions.");
                return false;
            }
            f->label = LB_REPEATED;
            DO(consume(p, "<"));
            DO(parse_type(p, &key_type, &key_name));
            DO(consume(p, ","));
            DO(parse_type(p, &value_type, &value_name));
            DO(consume(p, ">"));
            loc_add_path(loc, 6);
        } else {
            if (!f->label && p->syntax != 2) f->label = LB_OPTIONAL;
            if (!f->label) {
                add_error(p, "Expected \"required\", \"optional\", or \"repeated\".");
                f->label = LB_OPTIONAL;
            }
            if (!type_parsed) DO(parse_type(p, &type, &type_name));
            if (!type_name) {
                loc_add_path(loc, p->buf && type == TY_GROUP ? 6 : 5); /* buf: "group" is the type name */
                f->type = type;
            } else {
                loc_add_path(loc, 6);
                f->type_name = type_name;
            }
        }
        loc_done(p, loc);
    }
    nt_tok name_tok = p->lx.cur;
    {
        LR loc = loc_new(p, &floc, 1, 1, 0);
        f->pos_name = (nt_pos){p->lx.cur.line, p->lx.cur.col};
        DO(consume_ident(p, &f->name, "Expected field name."));
        loc_done(p, loc);
    }
    DO(consume_msg(p, "=", "Missing field number."));
    {
        LR loc = loc_new(p, &floc, 1, 3, 0);
        f->pos_number = (nt_pos){p->lx.cur.line, p->lx.cur.col};
        int number;
        DO(consume_integer(p, &number, "Expected field number."));
        f->number = number;
        loc_done(p, loc);
    }
    DO(parse_field_options(p, f, floc));
    if (f->type == TY_GROUP) {
        LR gloc = loc_new(p, &parent, 0, 0, 0);
        loc_start_loc(gloc, floc);
        loc_add_path(gloc, nested_num);
        loc_add_path(gloc, msgs->n);
        nt_msg *g = new_msg(p);
        *NT_PUSH(p->a, *msgs) = g;
        g->name = f->name;
        {
            LR loc = loc_new(p, &gloc, 1, 1, 0);
            loc_start_tok(p, loc, &name_tok);
            loc_end_tok(p, loc, &name_tok);
            g->pos_name = (nt_pos){name_tok.line, name_tok.col};
        }
        {
            LR loc = loc_new(p, &floc, 1, 6, 0);
            loc_start_tok(p, loc, &name_tok);
            loc_end_tok(p, loc, &name_tok);
            loc_drop(p, loc);
        }
        if (g->name[0] < 'A' || g->name[0] > 'Z')
            add_error_at(p, name_tok.line, name_tok.col, "Group names must start with a capital letter.");
        char *lower = ac_arena_strdup(p->a, f->name);
        for (char *s = lower; *s; s++)
            if (*s >= 'A' && *s <= 'Z') *s = (char)(*s - 'A' + 'a');
        f->name = lower;
        f->type_name = g->name;
        if (looking_at(p, "{")) {
            DO(parse_message_block(p, g, gloc));
        } else {
            add_error(p, "Missing group body.");
            return false;
        }
        loc_done(p, gloc);
    } else {
        DO(end_decl(p, ";", &floc));
    }
    if (is_map) {
        nt_msg *e = new_msg(p);
        *NT_PUSH(p->a, *msgs) = e;
        e->name = map_entry_name(p, f->name);
        f->type_name = e->name;
        e->opts.present = true;
        e->opts.map_entry = true;
        nt_field *k = new_field(p), *v = new_field(p);
        k->name = "key";
        k->label = LB_OPTIONAL;
        k->number = 1;
        if (key_name) k->type_name = key_name;
        else k->type = key_type;
        v->name = "value";
        v->label = LB_OPTIONAL;
        v->number = 2;
        if (value_name) v->type_name = value_name;
        else v->type = value_type;
        *NT_PUSH(p->a, e->fields) = k;
        *NT_PUSH(p->a, e->fields) = v;
        for (int i = 0; i < f->opts.u.n; i++) {
            nt_uopt *u = f->opts.u.v[i];
            if (u->nnames == 1 && !u->names[0].ext && strcmp(u->names[0].part, "enforce_utf8") == 0) {
                if (k->type == TY_STRING) {
                    k->opts.present = true;
                    *NT_PUSH(p->a, k->opts.u) = u;
                }
                if (v->type == TY_STRING) {
                    v->opts.present = true;
                    *NT_PUSH(p->a, v->opts.u) = u;
                }
            }
            /* features set on a map field (features.utf8_validation, features.(pb.java).utf8_validation)
             * apply to the entry's key and value, whatever their types, as protoc's parser has them */
            if (u->nnames >= 1 && !u->names[0].ext && strcmp(u->names[0].part, "features") == 0) {
                k->opts.present = v->opts.present = true;
                *NT_PUSH(p->a, k->opts.u) = u;
                *NT_PUSH(p->a, v->opts.u) = u;
            }
        }
    }
    return true;
}

static bool parse_message_field(P *p, nt_field *f, void *msgs_vec, LR parent, int nested_num, LR floc)
{
    int label;
    if (parse_label(p, &label, floc)) {
        f->label = label;
        if (label == LB_OPTIONAL && p->syntax == 3) f->proto3_optional = true;
    }
    return parse_field_no_label(p, f, msgs_vec, parent, nested_num, floc);
}

static bool parse_default(P *p, nt_field *f, LR floc)
{
    if (f->has_default) {
        add_error(p, "Already set option \"default\".");
        f->has_default = false;
    }
    nt_tok name = p->lx.cur;
    DO(consume(p, "default"));
    DO(consume(p, "="));
    LR loc = loc_new(p, &floc, 1, 7, 0);
    if (p->buf) loc_start_tok(p, loc, &name); /* buf: from "default" to the value */
    f->pos_default = (nt_pos){p->lx.cur.line, p->lx.cur.col};
    f->has_default = true;
    if (!f->type) {
        f->default_value = tok_str(p);
        next(p);
        loc_done(p, loc);
        return true;
    }
    char buf[64];
    switch (f->type) {
    case TY_INT32:
    case TY_INT64:
    case TY_SINT32:
    case TY_SINT64:
    case TY_SFIXED32:
    case TY_SFIXED64: {
        uint64_t max = INT64_MAX;
        if (f->type == TY_INT32 || f->type == TY_SINT32 || f->type == TY_SFIXED32) max = INT32_MAX;
        bool neg = false;
        if (try_consume(p, "-")) {
            neg = true;
            max++;
        }
        uint64_t v;
        DO(consume_integer64(p, max, &v, "Expected integer for field default value."));
        snprintf(buf, sizeof buf, "%s%" PRIu64, neg ? "-" : "", v);
        f->default_value = ac_arena_strdup(p->a, buf);
        break;
    }
    case TY_UINT32:
    case TY_UINT64:
    case TY_FIXED32:
    case TY_FIXED64: {
        uint64_t max = (f->type == TY_UINT32 || f->type == TY_FIXED32) ? UINT32_MAX : UINT64_MAX;
        if (try_consume(p, "-")) add_error(p, "Unsigned field can't have negative default value.");
        uint64_t v;
        DO(consume_integer64(p, max, &v, "Expected integer for field default value."));
        snprintf(buf, sizeof buf, "%" PRIu64, v);
        f->default_value = ac_arena_strdup(p->a, buf);
        break;
    }
    case TY_FLOAT:
    case TY_DOUBLE: {
        bool neg = try_consume(p, "-");
        double v;
        DO(consume_number(p, &v, "Expected number."));
        /* protoc prints with %.15g/%.17g here; the builder re-reads and re-prints, so keep precision */
        if (isinf(v)) snprintf(buf, sizeof buf, "%sinf", neg ? "-" : "");
        else if (isnan(v)) snprintf(buf, sizeof buf, "%snan", neg ? "-" : "");
        else snprintf(buf, sizeof buf, "%s%.17g", neg ? "-" : "", v);
        f->default_value = ac_arena_strdup(p->a, buf);
        break;
    }
    case TY_BOOL:
        if (try_consume(p, "true")) f->default_value = "true";
        else if (try_consume(p, "false")) f->default_value = "false";
        else {
            add_error(p, "Expected \"true\" or \"false\".");
            return false;
        }
        break;
    case TY_STRING: DO(consume_string(p, &f->default_value, NULL, "Expected string for field default value.")); break;
    case TY_BYTES: {
        char *raw;
        size_t n;
        DO(consume_string(p, &raw, &n, "Expected string."));
        /* CEscape */
        nt_buf b = {0};
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)raw[i];
            switch (c) {
            case '\n': nt_buf_put(&b, "\\n", 2); break;
            case '\r': nt_buf_put(&b, "\\r", 2); break;
            case '\t': nt_buf_put(&b, "\\t", 2); break;
            case '"': nt_buf_put(&b, "\\\"", 2); break;
            case '\'': nt_buf_put(&b, "\\'", 2); break;
            case '\\': nt_buf_put(&b, "\\\\", 2); break;
            default:
                if (c < 0x20 || c >= 0x7f) {
                    char o[8];
                    snprintf(o, sizeof o, "\\%03o", c);
                    nt_buf_put(&b, o, 4);
                } else {
                    nt_buf_byte(&b, c);
                }
            }
        }
        f->default_value = ac_arena_strndup(p->a, b.p ? (char *)b.p : "", b.n);
        nt_buf_free(&b);
        break;
    }
    case TY_ENUM: DO(consume_ident(p, &f->default_value, "Expected enum identifier for field default value.")); break;
    case TY_MESSAGE:
    case TY_GROUP: add_error(p, "Messages can't have default values."); return false;
    }
    loc_done(p, loc);
    return true;
}

static bool parse_json_name(P *p, nt_field *f, LR floc)
{
    if (f->has_json) {
        add_error(p, "Already set option \"json_name\".");
        f->has_json = false;
    }
    LR loc = loc_new(p, &floc, 1, 10, 0);
    f->pos_json = (nt_pos){p->lx.cur.line, p->lx.cur.col};
    DO(consume(p, "json_name"));
    DO(consume(p, "="));
    LR vloc = loc_new(p, &loc, 0, 0, 0);
    DO(consume_string(p, &f->json_name, NULL, "Expected string for JSON name."));
    f->has_json = true;
    loc_done(p, vloc);
    loc_drop(p, vloc); /* buf has the one from "json_name" to the value */
    loc_done(p, loc);
    return true;
}

static bool parse_field_options(P *p, nt_field *f, LR floc)
{
    if (!looking_at(p, "[")) return true;
    LR loc = loc_new(p, &floc, 1, 8, 0);
    int nopts = f->opts.u.n;
    DO(consume(p, "["));
    do {
        if (looking_at(p, "default")) {
            DO(parse_default(p, f, floc));
        } else if (looking_at(p, "json_name")) {
            DO(parse_json_name(p, f, floc));
        } else {
            DO(parse_option(p, &f->opts, loc, OPTION_ASSIGNMENT));
        }
    } while (try_consume(p, ","));
    DO(consume(p, "]"));
    loc_done(p, loc);
    if (f->opts.u.n == nopts) loc_drop(p, loc); /* buf: no options, only default or json_name */
    return true;
}

static bool parse_extensions(P *p, nt_msg *m, LR eloc)
{
    DO(consume(p, "extensions"));
    int old = m->ext_ranges.n;
    do {
        LR loc = loc_new(p, &eloc, 1, m->ext_ranges.n, 0);
        nt_range *r = ac_arena_alloc(p->a, sizeof *r);
        *NT_PUSH(p->a, m->ext_ranges) = r;
        r->pos = (nt_pos){p->lx.cur.line, p->lx.cur.col};
        int start, end;
        nt_tok start_tok;
        {
            LR sl = loc_new(p, &loc, 1, 1, 0);
            start_tok = p->lx.cur;
            DO(consume_integer(p, &start, "Expected field number range."));
            loc_done(p, sl);
        }
        if (try_consume(p, "to")) {
            LR el = loc_new(p, &loc, 1, 2, 0);
            if (try_consume(p, "max")) end = -2;
            else DO(consume_integer(p, &end, "Expected integer."));
            loc_done(p, el);
        } else {
            LR el = loc_new(p, &loc, 1, 2, 0);
            loc_start_tok(p, el, &start_tok);
            loc_end_tok(p, el, &start_tok);
            end = start;
        }
        end++;
        r->start = start;
        r->end = end;
        loc_done(p, loc);
    } while (try_consume(p, ","));
    if (looking_at(p, "[")) {
        int idx_pos = L(eloc)->npath;
        locv info = {0};
        nt_opts *opts = &m->ext_ranges.v[old]->opts;
        {
            LR il = loc_new_in(p, &info, &eloc, 1, 0, 0);
            LR ol = loc_new(p, &il, 1, 3, 0);
            DO(consume(p, "["));
            do DO(parse_option(p, opts, ol, OPTION_ASSIGNMENT));
            while (try_consume(p, ","));
            DO(consume(p, "]"));
            loc_done(p, ol);
            loc_done(p, il);
        }
        for (int i = old + 1; i < m->ext_ranges.n; i++) m->ext_ranges.v[i]->opts = *opts;
        for (int i = old; i < m->ext_ranges.n; i++) {
            for (int j = 0; j < info.n; j++) {
                if (info.v[j].npath == idx_pos + 1) continue;
                nt_loc *d = NT_PUSH_HEAP(p->f->locs);
                *d = info.v[j];
                d->path = ac_arena_memdup(p->la, info.v[j].path, (size_t)info.v[j].npath * sizeof(int));
                d->path[idx_pos] = i;
            }
        }
    }
    DO(end_decl(p, ";", &eloc));
    return true;
}

static bool parse_reserved_names(P *p, void *names_vec, LR ploc, const char *err)
{
    nt_strv *names = names_vec;
    do {
        LR loc = loc_new(p, &ploc, 1, names->n, 0);
        char *s;
        if (p->syntax == 2023) DO(consume_ident(p, &s, err)); /* editions: identifiers, not strings */
        else DO(consume_string(p, &s, NULL, err));
        *NT_PUSH(p->a, *names) = s;
        loc_done(p, loc);
    } while (try_consume(p, ","));
    DO(end_decl(p, ";", &ploc));
    return true;
}

static bool parse_reserved_numbers(P *p, void *ranges_vec, LR ploc, bool is_enum)
{
    NT_VEC(nt_range) *ranges = ranges_vec;
    bool first = true;
    do {
        LR loc = loc_new(p, &ploc, 1, ranges->n, 0);
        nt_range *r = NT_PUSH(p->a, *ranges);
        memset(r, 0, sizeof *r);
        r->pos = (nt_pos){p->lx.cur.line, p->lx.cur.col};
        int ri = ranges->n - 1;
        int start, end;
        nt_tok start_tok;
        {
            LR sl = loc_new(p, &loc, 1, 1, 0);
            start_tok = p->lx.cur;
            if (is_enum)
                DO(consume_signed_integer(p, &start, first ? "Expected enum value or number range." : "Expected enum number range."));
            else
                DO(consume_integer(p, &start, first ? "Expected field name or number range." : "Expected field number range."));
            loc_done(p, sl);
        }
        if (try_consume(p, "to")) {
            LR el = loc_new(p, &loc, 1, 2, 0);
            if (try_consume(p, "max")) end = is_enum ? INT32_MAX : -2;
            else if (is_enum) DO(consume_signed_integer(p, &end, "Expected integer."));
            else DO(consume_integer(p, &end, "Expected integer."));
            loc_done(p, el);
        } else {
            LR el = loc_new(p, &loc, 1, 2, 0);
            loc_start_tok(p, el, &start_tok);
            loc_end_tok(p, el, &start_tok);
            end = start;
        }
        if (!is_enum) end++;
        ranges->v[ri].start = start;
        ranges->v[ri].end = end;
        first = false;
        loc_done(p, loc);
    } while (try_consume(p, ","));
    DO(end_decl(p, ";", &ploc));
    return true;
}

/* "reserved" in a message (name field 10, range field 9) or an enum (5, 4): names (identifiers in
 * editions, strings before) or number ranges. */
static bool parse_reserved(P *p, void *names, void *ranges, LR parent, bool is_enum)
{
    nt_tok start = p->lx.cur;
    DO(consume(p, "reserved"));
    bool ok;
    /* buf writes the statement's location (and comments) only for the first reserved statement of
     * each kind in a message or enum */
    if (looking_type(p, p->syntax == 2023 ? NT_T_IDENT : NT_T_STRING)) {
        LR loc = loc_new(p, &parent, 1, is_enum ? 5 : 10, 0);
        bool later = ((nt_strv *)names)->n > 0;
        loc_start_tok(p, loc, &start);
        ok = parse_reserved_names(p, names, loc, is_enum ? "Expected enum value." : "Expected field name.");
        if (ok) loc_done(p, loc);
        if (ok && later) loc_drop(p, loc);
    } else {
        LR loc = loc_new(p, &parent, 1, is_enum ? 4 : 9, 0);
        bool later = ((NT_VEC(nt_range) *)ranges)->n > 0;
        loc_start_tok(p, loc, &start);
        ok = parse_reserved_numbers(p, ranges, loc, is_enum);
        if (ok) loc_done(p, loc);
        if (ok && later) loc_drop(p, loc);
    }
    return ok;
}

static bool parse_reserved_msg(P *p, nt_msg *m, LR mloc)
{
    return parse_reserved(p, (void *)&m->reserved_names, &m->reserved, mloc, false);
}

static bool parse_reserved_enum(P *p, nt_enum *e, LR eloc)
{
    return parse_reserved(p, (void *)&e->reserved_names, &e->reserved, eloc, true);
}

static bool parse_extend(P *p, void *exts_vec, void *msgs_vec, LR parent, int nested_num, LR extend_loc,
                         const char *scope_hint)
{
    fieldv *exts = exts_vec;
    (void)scope_hint;
    DO(consume(p, "extend"));
    nt_tok ext_start = p->lx.cur;
    nt_pos ext_pos = {p->lx.cur.line, p->lx.cur.col};
    char *extendee;
    DO(parse_user_type(p, &extendee));
    nt_tok ext_end = p->lx.prev;
    DO(end_decl(p, "{", &extend_loc));
    bool first = true;
    do {
        if (at_end(p)) {
            add_error(p, "Reached end of input in extend definition (missing '}').");
            return false;
        }
        LR loc = loc_new(p, &extend_loc, 1, exts->n, 0);
        nt_field *f = new_field(p);
        *NT_PUSH(p->a, *exts) = f;
        {
            LR el = loc_new(p, &loc, 1, 2, 0);
            loc_start_tok(p, el, &ext_start);
            loc_end_tok(p, el, &ext_end);
            if (first) {
                f->pos_extendee = ext_pos;
                first = false;
            }
        }
        f->extendee = extendee;
        f->is_ext = true;
        if (f->pos_extendee.line < 0) f->pos_extendee = ext_pos;
        if (!parse_message_field(p, f, msgs_vec, parent, nested_num, loc)) {
            if (p->abort) return false;
            skip_statement(p);
        } else {
            loc_done(p, loc);
        }
    } while (!try_end_decl(p, "}", NULL));
    return true;
}

static bool parse_oneof(P *p, nt_oneof *o, nt_msg *m, int index, LR oloc, LR mloc)
{
    DO(consume(p, "oneof"));
    {
        LR loc = loc_new(p, &oloc, 1, 1, 0);
        o->pos_name = (nt_pos){p->lx.cur.line, p->lx.cur.col};
        DO(consume_ident(p, &o->name, "Expected oneof name."));
        loc_done(p, loc);
    }
    DO(end_decl(p, "{", &oloc));
    do {
        if (at_end(p)) {
            add_error(p, "Reached end of input in oneof definition (missing '}').");
            return false;
        }
        if (looking_at(p, "option")) {
            if (!parse_option_stmt(p, &o->opts, oloc, 2)) return false;
            continue;
        }
        if (looking_at(p, "required") || looking_at(p, "optional") || looking_at(p, "repeated")) {
            add_error(p, "Fields in oneofs must not have labels (required / optional / repeated).");
            next(p);
        }
        LR floc = loc_new(p, &mloc, 2, 2, m->fields.n);
        nt_field *f = new_field(p);
        *NT_PUSH(p->a, m->fields) = f;
        f->label = LB_OPTIONAL;
        f->has_oneof = true;
        f->oneof_index = index;
        if (!parse_field_no_label(p, f, &m->nested, mloc, 3, floc)) {
            if (p->abort) return false;
            skip_statement(p);
        } else {
            loc_done(p, floc);
        }
    } while (!try_end_decl(p, "}", NULL));
    return true;
}

/* ---- enums ---- */

static bool parse_enum_statement(P *p, nt_enum *e, LR eloc);

static bool validate_enum(P *p, nt_enum *e)
{
    bool has_allow = false, allow = false;
    for (int i = 0; i < e->opts.u.n; i++) {
        nt_uopt *u = e->opts.u.v[i];
        if (!u || u->nnames != 1 || !u->names[0].part) continue; /* also a half-parsed option */
        if (!u->names[0].ext && strcmp(u->names[0].part, "allow_alias") == 0) {
            has_allow = true;
            if (u->kind == NT_V_IDENT && strcmp(u->ident, "true") == 0) allow = true;
            break;
        }
    }
    if (has_allow && !allow) {
        char *m = ac_arena_printf(p->a,
                                  "\"%s\" declares 'option allow_alias = false;' which has no effect. Please remove the "
                                  "declaration.",
                                  e->name);
        add_error(p, m);
        return false;
    }
    if (allow) {
        ac_intmap used;
        ac_intmap_init(&used);
        bool dup = false;
        for (int i = 0; i < e->values.n && !dup; i++) {
            if (ac_intmap_has(&used, e->values.v[i]->number)) dup = true;
            ac_intmap_put(&used, e->values.v[i]->number, e);
        }
        ac_intmap_free(&used);
        if (!dup) {
            char *m = ac_arena_printf(p->a,
                                      "\"%s\" declares support for enum aliases but no enum values share field numbers. "
                                      "Please remove the unnecessary 'option allow_alias = true;' declaration.",
                                      e->name);
            add_error(p, m);
            return false;
        }
    }
    return true;
}

static bool parse_enum_definition(P *p, nt_enum *e, LR eloc)
{
    DO(consume(p, "enum"));
    {
        LR loc = loc_new(p, &eloc, 1, 1, 0);
        e->pos_name = (nt_pos){p->lx.cur.line, p->lx.cur.col};
        DO(consume_ident(p, &e->name, "Expected enum name."));
        loc_done(p, loc);
    }
    DO(end_decl(p, "{", &eloc));
    while (!try_end_decl(p, "}", NULL)) {
        if (at_end(p)) {
            add_error(p, "Reached end of input in enum definition (missing '}').");
            return false;
        }
        if (!parse_enum_statement(p, e, eloc)) skip_statement(p);
    }
    DO(validate_enum(p, e));
    return true;
}

static bool parse_enum_constant(P *p, nt_enumval *v, LR vloc)
{
    {
        LR loc = loc_new(p, &vloc, 1, 1, 0);
        v->pos_name = (nt_pos){p->lx.cur.line, p->lx.cur.col};
        DO(consume_ident(p, &v->name, "Expected enum constant name."));
        loc_done(p, loc);
    }
    DO(consume_msg(p, "=", "Missing numeric value for enum constant."));
    {
        LR loc = loc_new(p, &vloc, 1, 2, 0);
        v->pos_number = (nt_pos){p->lx.cur.line, p->lx.cur.col};
        DO(consume_signed_integer(p, &v->number, "Expected integer."));
        loc_done(p, loc);
    }
    if (looking_at(p, "[")) {
        LR loc = loc_new(p, &vloc, 1, 3, 0);
        DO(consume(p, "["));
        do DO(parse_option(p, &v->opts, loc, OPTION_ASSIGNMENT));
        while (try_consume(p, ","));
        DO(consume(p, "]"));
        loc_done(p, loc);
    }
    DO(end_decl(p, ";", &vloc));
    return true;
}

static bool parse_enum_statement(P *p, nt_enum *e, LR eloc)
{
    if (try_end_decl(p, ";", NULL)) return true;
    if (looking_at(p, "option")) return parse_option_stmt(p, &e->opts, eloc, 3);
    if (looking_at(p, "reserved")) return parse_reserved_enum(p, e, eloc);
    LR loc = loc_new(p, &eloc, 2, 2, e->values.n);
    nt_enumval *v = ac_arena_alloc(p->a, sizeof *v);
    *NT_PUSH(p->a, e->values) = v;
    bool ok = parse_enum_constant(p, v, loc);
    if (ok) loc_done(p, loc);
    return ok;
}

/* ---- services ---- */

static bool parse_method(P *p, nt_method *m, LR mloc)
{
    DO(consume(p, "rpc"));
    {
        LR loc = loc_new(p, &mloc, 1, 1, 0);
        m->pos_name = (nt_pos){p->lx.cur.line, p->lx.cur.col};
        DO(consume_ident(p, &m->name, "Expected method name."));
        loc_done(p, loc);
    }
    DO(consume(p, "("));
    {
        if (looking_at(p, "stream")) {
            LR loc = loc_new(p, &mloc, 1, 5, 0);
            m->cs = true;
            DO(consume(p, "stream"));
            loc_done(p, loc);
        }
        LR loc = loc_new(p, &mloc, 1, 2, 0);
        m->pos_in = (nt_pos){p->lx.cur.line, p->lx.cur.col};
        DO(parse_user_type(p, &m->in));
        loc_done(p, loc);
    }
    DO(consume(p, ")"));
    DO(consume(p, "returns"));
    DO(consume(p, "("));
    {
        if (looking_at(p, "stream")) {
            LR loc = loc_new(p, &mloc, 1, 6, 0);
            DO(consume(p, "stream"));
            m->ss = true;
            loc_done(p, loc);
        }
        LR loc = loc_new(p, &mloc, 1, 3, 0);
        m->pos_out = (nt_pos){p->lx.cur.line, p->lx.cur.col};
        DO(parse_user_type(p, &m->out));
        loc_done(p, loc);
    }
    DO(consume(p, ")"));
    if (looking_at(p, "{")) {
        m->opts.present = true; /* protoc's mutable_options(): an empty block still has options */
        end_decl(p, "{", &mloc);
        while (!try_end_decl(p, "}", NULL)) {
            if (at_end(p)) {
                add_error(p, "Reached end of input in method options (missing '}').");
                return false;
            }
            if (try_end_decl(p, ";", NULL)) continue;
            if (!parse_option_stmt(p, &m->opts, mloc, 4)) skip_statement(p);
        }
    } else {
        DO(end_decl(p, ";", &mloc));
    }
    return true;
}

static bool parse_service(P *p, nt_service *s, LR sloc)
{
    DO(consume(p, "service"));
    {
        LR loc = loc_new(p, &sloc, 1, 1, 0);
        s->pos_name = (nt_pos){p->lx.cur.line, p->lx.cur.col};
        DO(consume_ident(p, &s->name, "Expected service name."));
        loc_done(p, loc);
    }
    DO(end_decl(p, "{", &sloc));
    while (!try_end_decl(p, "}", NULL)) {
        if (at_end(p)) {
            add_error(p, "Reached end of input in service definition (missing '}').");
            return false;
        }
        bool ok;
        if (try_end_decl(p, ";", NULL)) {
            ok = true;
        } else if (looking_at(p, "option")) {
            ok = parse_option_stmt(p, &s->opts, sloc, 3);
        } else {
            LR loc = loc_new(p, &sloc, 2, 2, s->methods.n);
            nt_method *m = ac_arena_alloc(p->a, sizeof *m);
            *NT_PUSH(p->a, s->methods) = m;
            ok = parse_method(p, m, loc);
            if (ok) loc_done(p, loc);
        }
        if (!ok) skip_statement(p);
    }
    return true;
}

/* ---- file ---- */

static bool parse_syntax(P *p, LR root)
{
    bool edition = looking_at(p, "edition");
    LR loc = loc_new(p, &root, 1, 12, 0);
    if (edition) {
        DO(consume(p, "edition"));
    } else {
        DO(consume_msg(p, "syntax", "File must begin with a syntax statement, e.g. 'syntax = \"proto2\";'."));
    }
    DO(consume(p, "="));
    nt_tok tok = p->lx.cur;
    char *syntax;
    DO(consume_string(p, &syntax, NULL, edition ? "Expected edition string." : "Expected syntax identifier."));
    DO(end_decl(p, ";", &loc));
    loc_done(p, loc);
    if (edition) {
        if (strcmp(syntax, "2023") != 0) {
            add_error_at(p, tok.line, tok.col,
                         ac_arena_printf(p->a, "Unknown edition \"%s\".", syntax));
            return false;
        }
        p->f->syntax = "editions";
        p->f->edition = 1000;
        p->syntax = 2023;
        return true;
    }
    p->f->syntax = syntax;
    if (strcmp(syntax, "proto2") == 0) p->syntax = 2;
    else if (strcmp(syntax, "proto3") == 0) p->syntax = 3;
    else {
        add_error_at(p, tok.line, tok.col,
                     ac_arena_printf(p->a,
                                     "Unrecognized syntax identifier \"%s\".  This parser only recognizes \"proto2\" "
                                     "and \"proto3\".",
                                     syntax));
        return false;
    }
    return true;
}

static bool parse_import(P *p, LR root)
{
    nt_file *f = p->f;
    LR loc = loc_new(p, &root, 2, 3, f->deps.n);
    nt_pos pos = {p->lx.cur.line, p->lx.cur.col};
    DO(consume(p, "import"));
    if (looking_at(p, "public")) {
        LR pl = loc_new(p, &root, 2, 10, f->pub.n);
        DO(consume(p, "public"));
        loc_done(p, pl);
        *NT_PUSH(p->a, f->pub) = f->deps.n;
    } else if (looking_at(p, "weak")) {
        LR wl = loc_new(p, &root, 2, 11, f->weak.n);
        DO(consume(p, "weak"));
        loc_done(p, wl);
        *NT_PUSH(p->a, f->weak) = f->deps.n;
    }
    char *name;
    DO(consume_string(p, &name, NULL, "Expected a string naming the file to import."));
    *NT_PUSH(p->a, f->deps) = name;
    *NT_PUSH(p->a, f->dep_pos) = pos;
    DO(end_decl(p, ";", &loc));
    loc_done(p, loc);
    return true;
}

static bool parse_package(P *p, LR root)
{
    nt_file *f = p->f;
    if (f->has_package) {
        add_error(p, "Multiple package definitions.");
        f->has_package = false;
    }
    LR loc = loc_new(p, &root, 1, 2, 0);
    DO(consume(p, "package"));
    nt_buf b = {0};
    for (;;) {
        char *id;
        if (!consume_ident(p, &id, "Expected identifier.")) {
            nt_buf_free(&b);
            return false;
        }
        nt_buf_put(&b, id, strlen(id));
        if (!try_consume(p, ".")) break;
        nt_buf_byte(&b, '.');
    }
    f->package = ac_arena_strndup(p->a, (char *)b.p, b.n);
    f->has_package = true;
    nt_buf_free(&b);
    DO(end_decl(p, ";", &loc));
    loc_done(p, loc);
    return true;
}

static bool parse_top_level(P *p, LR root)
{
    nt_file *f = p->f;
    if (try_end_decl(p, ";", NULL)) return true;
    if (looking_at(p, "message")) {
        LR loc = loc_new(p, &root, 2, 4, f->msgs.n);
        nt_msg *m = new_msg(p);
        *NT_PUSH(p->a, f->msgs) = m;
        bool ok = parse_message_definition(p, m, loc);
        if (ok) loc_done(p, loc);
        return ok;
    }
    if (looking_at(p, "enum")) {
        LR loc = loc_new(p, &root, 2, 5, f->enums.n);
        nt_enum *e = ac_arena_alloc(p->a, sizeof *e);
        e->file = f;
        *NT_PUSH(p->a, f->enums) = e;
        bool ok = parse_enum_definition(p, e, loc);
        if (ok) loc_done(p, loc);
        return ok;
    }
    if (looking_at(p, "service")) {
        LR loc = loc_new(p, &root, 2, 6, f->services.n);
        nt_service *s = ac_arena_alloc(p->a, sizeof *s);
        *NT_PUSH(p->a, f->services) = s;
        bool ok = parse_service(p, s, loc);
        if (ok) loc_done(p, loc);
        return ok;
    }
    if (looking_at(p, "extend")) {
        LR loc = loc_new(p, &root, 1, 7, 0);
        bool ok = parse_extend(p, &f->exts, &f->msgs, root, 4, loc, NULL);
        if (ok) loc_done(p, loc);
        return ok;
    }
    if (looking_at(p, "import")) return parse_import(p, root);
    if (looking_at(p, "package")) return parse_package(p, root);
    if (looking_at(p, "option")) return parse_option_stmt(p, &f->opts, root, 8);
    add_error(p, "Expected top-level statement (e.g. \"message\").");
    return false;
}

static bool parse_file(P *p, nt_file *f, nt_errs *errs)
{
    int nerr0 = errs->n;
    if (p->lx.cur.type == NT_T_START) nt_lex_next_comments(&p->lx, NULL, &p->upcoming_detached, &p->upcoming_doc);
    {
        LR root = loc_new(p, NULL, 0, 0, 0);
        if (looking_at(p, "syntax") || looking_at(p, "edition")) {
            if (!parse_syntax(p, root)) {
                f->parse_ok = false;
                return false;
            }
        }
        f->syn = p->syntax;
        while (!at_end(p) && !p->abort) {
            if (!parse_top_level(p, root)) {
                if (p->abort) break;
                skip_statement(p);
                if (looking_at(p, "}")) {
                    add_error(p, "Unmatched \"}\".");
                    nt_lex_next_comments(&p->lx, NULL, &p->upcoming_detached, &p->upcoming_doc);
                }
            }
        }
        loc_done(p, root);
    }
    f->syn = p->syntax;
    f->parse_ok = !p->had_errors && errs->n == nerr0;
    return f->parse_ok;
}

bool nt_parse(ac_arena *a, nt_file *f, const char *src, size_t len, nt_errs *errs)
{
    P pp = {0}, *p = &pp;
    p->a = a;
    p->f = f;
    p->errs = errs;
    p->syntax = 2;
    p->la = f->la ? f->la : a;
    nt_lex_init(&p->lx, a, f->name, src, len, errs);
    p->lx.ca = p->la;
    p->buf = f->buf_style;
    p->cc_off = -1;
    if (p->buf) nt_bufcmt_scan(p->la, src, len, &p->cmts);
    bool ok = parse_file(p, f, errs);
    nt_lex_free(&p->lx);
    return ok;
}
