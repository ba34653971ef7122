/* The builder: protoc 3.21's DescriptorBuilder for what reaches a FileDescriptorSet.  Files are
 * built after their imports; symbols go into one pool; names resolve with protobuf's scoping rules
 * (innermost scope outward, and a partially matched compound name never falls back outward);
 * errors carry the position the parser recorded for the element, as protoc's do. */
#include <inttypes.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/native/nt.h"

#define MAX_IMPORT_DEPTH 200
#define MAX_MESSAGE_NESTING 32

typedef struct ctx {
    nt_pool *pool;
    ac_arena *a;
    nt_file *f;
    int nerr0;
} ctx;

static void err_at(ctx *c, nt_pos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void err_at(ctx *c, nt_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nt_err *e = NT_PUSH(c->a, *c->pool->errs);
    e->file = c->f->name;
    e->line = pos.line;
    e->col = pos.line >= 0 ? pos.col : 0;
    e->msg = ac_arena_vprintf(c->a, fmt, ap);
    va_end(ap);
}

static bool had_errors(ctx *c) { return c->pool->errs->n > c->nerr0; }

static const nt_pos NOPOS = {-1, 0};

void nt_pool_init(nt_pool *pool, ac_arena *a, nt_errs *errs, nt_source_fn source, void *sctx)
{
    memset(pool, 0, sizeof *pool);
    pool->a = a;
    pool->errs = errs;
    pool->source = source;
    pool->source_ctx = sctx;
    ac_strmap_init(&pool->files);
    ac_strmap_init(&pool->syms);
    ac_strmap_init(&pool->ext_by_num);
}

/* A built file's locations are encoded now and released, so that they are never all held at once. */
/* Frees a file's array of source locations (their paths and comments live in f->la). */
static void drop_locations(nt_file *f)
{
    free(f->locs.v);
    f->locs.v = NULL;
    f->locs.n = f->locs.cap = 0;
}

static void release_locations(nt_pool *pool, nt_file *f)
{
    if (pool->eager_out && !pool->buf_style) {
        nt_encode_file_keep_srcinfo(pool->eager_out, f);
    } else {
        pool->scratch.n = 0;
        nt_encode_srcinfo(&pool->scratch, f);
        f->srcinfo = ac_arena_memdup(pool->a, pool->scratch.p ? pool->scratch.p : (uint8_t *)"", pool->scratch.n);
        f->srcinfo_len = pool->scratch.n;
        f->srcinfo_ready = true;
    }
    drop_locations(f);
    ac_arena_reset(f->la);
    *NT_PUSH(pool->a, pool->spare_la) = f->la;
    f->la = NULL;
}

static void free_file_maps(nt_pool *pool)
{
    for (size_t i = 0; i < pool->files.cap; i++) {
        if (!pool->files.e[i].key || !pool->files.e[i].val) continue;
        nt_file *f = pool->files.e[i].val;
        if (f->visible_init) ac_strmap_free(&f->visible);
        f->visible_init = false;
        drop_locations(f);
        ac_arena_free(f->la);
        f->la = NULL;
    }
}

void nt_pool_free(nt_pool *pool)
{
    if (pool->builtin) {
        nt_pool_free(pool->builtin);
        free(pool->builtin);
        pool->builtin = NULL;
    }
    if (pool->builtin_ed) {
        nt_pool_free(pool->builtin_ed);
        free(pool->builtin_ed);
        pool->builtin_ed = NULL;
    }
    free_file_maps(pool);
    nt_buf_free(&pool->scratch);
    for (int i = 0; i < pool->spare_la.n; i++) ac_arena_free(pool->spare_la.v[i]);
    pool->spare_la.n = 0;
    ac_strmap_free(&pool->files);
    ac_strmap_free(&pool->syms);
    ac_strmap_free(&pool->ext_by_num);
}

nt_sym *nt_pool_find(nt_pool *pool, const char *full_name) { return ac_strmap_get(&pool->syms, full_name); }

char *nt_json_name(ac_arena *a, const char *name)
{
    size_t n = strlen(name);
    char *out = ac_arena_alloc(a, n + 1), *o = out;
    bool cap = false;
    for (const char *s = name; *s; s++) {
        if (*s == '_') {
            cap = true;
        } else if (cap) {
            *o++ = (*s >= 'a' && *s <= 'z') ? (char)(*s - 'a' + 'A') : *s;
            cap = false;
        } else {
            *o++ = *s;
        }
    }
    *o = 0;
    return out;
}

static char *join(ac_arena *a, const char *scope, const char *name)
{
    if (!scope || !*scope) return ac_arena_strdup(a, name);
    size_t ns = strlen(scope), nn = strlen(name);
    char *s = ac_arena_alloc(a, ns + nn + 2);
    memcpy(s, scope, ns);
    s[ns] = '.';
    memcpy(s + ns + 1, name, nn + 1);
    return s;
}

/* ---- visibility: the file itself, its imports, and what they import publicly ---- */

static void add_visible(ac_arena *a, nt_file *f, nt_file *dep, int depth)
{
    if (!dep || depth > MAX_IMPORT_DEPTH) return;
    if (!ac_strmap_add(&f->visible, dep->name, dep)) return;
    for (int i = 0; i < dep->pub.n; i++) {
        int k = dep->pub.v[i];
        if (k >= 0 && k < dep->depf.n) add_visible(a, f, dep->depf.v[k], depth + 1);
    }
}

static void init_visible(ac_arena *a, nt_file *f)
{
    if (f->visible_init) return;
    ac_strmap_init(&f->visible);
    f->visible_init = true;
    ac_strmap_add(&f->visible, f->name, f);
    for (int i = 0; i < f->depf.n; i++) {
        nt_file *d = f->depf.v[i];
        if (!d) continue;
        ac_strmap_add(&f->visible, d->name, d);
        for (int j = 0; j < d->pub.n; j++) {
            int k = d->pub.v[j];
            if (k >= 0 && k < d->depf.n) add_visible(a, f, d->depf.v[k], 1);
        }
    }
}

static bool in_package(const nt_file *f, const char *pkg)
{
    if (!f || !f->package) return false;
    size_t n = strlen(pkg);
    return strncmp(f->package, pkg, n) == 0 && (f->package[n] == 0 || f->package[n] == '.');
}

/* FindSymbol with dependency enforcement */
static nt_sym *find_symbol(nt_pool *pool, nt_file *from, const char *name, nt_file **undeclared)
{
    nt_sym *s = ac_strmap_get(&pool->syms, name);
    if (!s || !from) return s;
    init_visible(pool->a, from);
    if (ac_strmap_get(&from->visible, s->file->name)) return s;
    if (s->kind == NT_S_PACKAGE) {
        if (in_package(from, name)) return s;
        for (int i = 0; i < from->depf.n; i++)
            if (in_package(from->depf.v[i], name)) return s;
    }
    if (undeclared) *undeclared = s->file;
    pool->und_name = ac_arena_strdup(pool->a, name);
    return NULL;
}

static bool is_aggregate(int kind)
{
    return kind == NT_S_MESSAGE || kind == NT_S_PACKAGE || kind == NT_S_ENUM || kind == NT_S_SERVICE;
}

static nt_sym *lookup(nt_pool *pool, nt_file *from, const char *name, const char *relative_to, bool types_only,
                      char **undefined_resolved, nt_file **undeclared_dep)
{
    ac_arena *a = pool->a;
    if (undefined_resolved) *undefined_resolved = NULL;
    if (name[0] == '.') return find_symbol(pool, from, name + 1, undeclared_dep);
    const char *dot = strchr(name, '.');
    size_t first_len = dot ? (size_t)(dot - name) : strlen(name);
    size_t rlen = strlen(relative_to), need = rlen + strlen(name) + 2;
    char small[512]; /* the candidate names are only looked up, never kept */
    char *scope = need <= sizeof small ? small : ac_arena_alloc(a, need);
    memcpy(scope, relative_to, rlen + 1);
    for (;;) {
        char *d = strrchr(scope, '.');
        if (!d) return find_symbol(pool, from, name, undeclared_dep);
        *d = 0;
        size_t old = (size_t)(d - scope);
        scope[old] = '.';
        memcpy(scope + old + 1, name, first_len);
        scope[old + 1 + first_len] = 0;
        nt_sym *r = find_symbol(pool, from, scope, undeclared_dep);
        if (r) {
            if (first_len < strlen(name)) {
                if (is_aggregate(r->kind)) {
                    strcpy(scope + old + 1 + first_len, name + first_len);
                    r = find_symbol(pool, from, scope, undeclared_dep);
                    if (!r && undefined_resolved) *undefined_resolved = ac_arena_strdup(a, scope);
                    return r;
                }
            } else if (!types_only || r->kind == NT_S_MESSAGE || r->kind == NT_S_ENUM) {
                return r;
            }
        }
        scope[old] = 0;
    }
}

static bool reaches_publicly(const nt_file *d, const nt_file *target, int depth)
{
    for (int j = 0; d && depth < MAX_IMPORT_DEPTH && j < d->pub.n; j++) {
        int k = d->pub.v[j];
        const nt_file *x = k >= 0 && k < d->depf.n ? d->depf.v[k] : NULL;
        if (x && (x == target || reaches_publicly(x, target, depth + 1))) return true;
    }
    return false;
}

nt_sym *nt_lookup(nt_pool *pool, nt_file *from, const char *name, const char *relative_to, bool types_only,
                  char **undefined_resolved, nt_file **undeclared_dep)
{
    nt_sym *s = lookup(pool, from, name, relative_to, types_only, undefined_resolved, undeclared_dep);
    /* buf style: the imports a name was found through are used (buf lists the others) */
    if (s && from && from->buf_style && s->kind != NT_S_PACKAGE && s->file != from && from->deps.n) {
        if (!from->dep_used) from->dep_used = ac_arena_alloc(pool->a, (size_t)from->deps.n * sizeof *from->dep_used);
        for (int i = 0; i < from->depf.n && i < from->deps.n; i++) {
            const nt_file *d = from->depf.v[i];
            if (d && (d == s->file || reaches_publicly(d, s->file, 0))) from->dep_used[i] = true;
        }
    }
    return s;
}

/* ---- loading ---- */

static void build_file(nt_pool *pool, nt_file *f);

static nt_file *load(nt_pool *pool, const char *name, int depth, int importer_syn)
{
    nt_file *f = ac_strmap_get(&pool->files, name);
    if (f) {
        if (f->state == 1) {
            /* a cycle: report it in the re-imported file, at its import of the next file */
            int from = 0;
            while (from < pool->stack.n && strcmp(pool->stack.v[from]->name, name) != 0) from++;
            nt_buf b = {0};
            nt_buf_put(&b, "File recursively imports itself: ", 33);
            for (int i = from; i < pool->stack.n; i++) {
                nt_buf_put(&b, pool->stack.v[i]->name, strlen(pool->stack.v[i]->name));
                nt_buf_put(&b, " -> ", 4);
            }
            nt_buf_put(&b, name, strlen(name));
            nt_pos pos = NOPOS;
            {
                /* the file's import of the next one in the cycle (of itself, for a self-import) */
                const char *next = from + 1 < pool->stack.n ? pool->stack.v[from + 1]->name : name;
                for (int i = 0; i < f->deps.n; i++)
                    if (strcmp(f->deps.v[i], next) == 0) pos = f->dep_pos.v[i];
            }
            nt_error(pool->a, pool->errs, f->name, pos.line, pos.line >= 0 ? pos.col : 0, "%.*s", (int)b.n, (char *)b.p);
            nt_buf_free(&b);
            return NULL;
        }
        return f->state == 2 ? f : NULL;
    }
    f = ac_arena_alloc(pool->a, sizeof *f);
    f->name = ac_arena_strdup(pool->a, name);
    ac_strmap_put(&pool->files, f->name, f);
    const char *text;
    size_t len;
    if (!pool->source(pool->source_ctx, name, importer_syn, &text, &len)) {
        nt_error(pool->a, pool->errs, f->name, -1, 0, "File not found.");
        f->state = 3;
        return NULL;
    }
    if (depth > MAX_IMPORT_DEPTH) {
        nt_error(pool->a, pool->errs, f->name, -1, 0, "Import depth limit (%d) exceeded.", MAX_IMPORT_DEPTH);
        f->state = 3;
        return NULL;
    }
    f->state = 1;
    /* an editions file makes the whole compilation follow buf; files already parsed protoc's way
     * then mean compiling again (see ac_native_compile_ex) */
    if (!pool->buf_style && nt_is_edition_source(text, len)) {
        pool->buf_style = true;
        if (pool->nparsed) pool->buf_restart = true;
    }
    f->buf_style = pool->buf_style;
    pool->nparsed++;
    if (pool->eager_srcinfo) f->la = pool->spare_la.n ? pool->spare_la.v[--pool->spare_la.n] : ac_arena_new();
    if (!nt_parse(pool->a, f, text, len, pool->errs)) {
        f->state = 3;
        return NULL;
    }
    *NT_PUSH(pool->a, pool->stack) = f;
    /* the editions feature files need a descriptor.proto that knows FeatureSet, and so does every
     * file of an editions compilation (buf has only that one) */
    int syn = pool->buf_style ? 2023 : f->syn;
    if (strncmp(f->name, "google/protobuf/", 16) == 0 && strstr(f->name, "_features.proto")) syn = 2023;
    for (int i = 0; i < f->deps.n; i++) {
        nt_file *d = load(pool, f->deps.v[i], depth + 1, syn);
        *NT_PUSH(pool->a, f->depf) = d;
    }
    pool->stack.n--;
    build_file(pool, f);
    if (f->state == 2 && f->la) release_locations(pool, f);
    return f->state == 2 ? f : NULL;
}

nt_file *nt_pool_load(nt_pool *pool, const char *name) { return load(pool, name, 0, 0); }

/* ---- symbols ---- */

static bool add_symbol(ctx *c, const char *full_name, int kind, void *p, nt_pos pos, const char *enum_note_scope)
{
    bool added;
    void **slot = ac_strmap_slot_of(&c->pool->syms, full_name, strlen(full_name), &added);
    nt_sym *s = *slot;
    if (added) {
        s = ac_arena_alloc(c->a, sizeof *s);
        s->kind = kind;
        s->file = c->f;
        s->p = p;
        *slot = s;
        return true;
    }
    (void)enum_note_scope;
    if (s->file == c->f) {
        const char *dot = strrchr(full_name, '.');
        if (!dot)
            err_at(c, pos, "\"%s\" is already defined.", full_name);
        else
            err_at(c, pos, "\"%s\" is already defined in \"%.*s\".", dot + 1, (int)(dot - full_name), full_name);
    } else {
        err_at(c, pos, "\"%s\" is already defined in file \"%s\".", full_name, s->file->name);
    }
    return false;
}

static void add_package(ctx *c, const char *pkg)
{
    if (!pkg || !*pkg) return;
    size_t n = strlen(pkg);
    for (size_t i = 0; i <= n; i++) {
        if (i < n && pkg[i] != '.') continue;
        char *name = ac_arena_strndup(c->a, pkg, i);
        nt_sym *s = ac_strmap_get(&c->pool->syms, name);
        if (!s) {
            s = ac_arena_alloc(c->a, sizeof *s);
            s->kind = NT_S_PACKAGE;
            s->file = c->f;
            ac_strmap_put(&c->pool->syms, name, s);
        } else if (s->kind != NT_S_PACKAGE) {
            err_at(c, NOPOS, "\"%s\" is already defined (as something other than a package) in file \"%s\".", name,
                   s->file->name);
            return;
        }
    }
}

static void build_enum(ctx *c, nt_enum *e, const char *scope, nt_msg *parent)
{
    e->full_name = join(c->a, scope, e->name);
    e->parent = parent;
    e->file = c->f;
    add_symbol(c, e->full_name, NT_S_ENUM, e, e->pos_name, NULL);
    if (e->values.n == 0) err_at(c, e->pos_name, "Enums must contain at least one value.");
    ac_strmap inner;
    ac_strmap_init(&inner);
    for (int i = 0; i < e->values.n; i++) {
        nt_enumval *v = e->values.v[i];
        v->parent = e;
        v->full_name = join(c->a, scope, v->name);
        bool outer = add_symbol(c, v->full_name, NT_S_ENUMVAL, v, v->pos_name, NULL);
        bool inner_ok = ac_strmap_add(&inner, v->name, v);
        if (inner_ok && !outer) {
            const char *os = scope && *scope ? ac_arena_printf(c->a, "\"%s\"", scope) : "the global scope";
            err_at(c, v->pos_name,
                   "Note that enum values use C++ scoping rules, meaning that enum values are siblings of their type, "
                   "not children of it.  Therefore, \"%s\" must be unique within %s, not just within \"%s\".",
                   v->name, os, e->name);
        }
    }
    ac_strmap_free(&inner);
    for (int j = 0; j < e->reserved.n; j++) {
        nt_range *r = &e->reserved.v[j];
        if (r->end < r->start) err_at(c, r->pos, "Reserved range end number must be greater than start number.");
    }
    for (int i = 0; i < e->values.n; i++) {
        nt_enumval *v = e->values.v[i];
        for (int j = 0; j < e->reserved.n; j++) {
            nt_range *r = &e->reserved.v[j];
            if (r->start <= v->number && v->number <= r->end)
                err_at(c, r->pos, "Enum value \"%s\" uses reserved number %d.", v->name, v->number);
        }
        for (int j = 0; j < e->reserved_names.n; j++)
            if (strcmp(e->reserved_names.v[j], v->name) == 0) err_at(c, v->pos_name, "Enum value \"%s\" is reserved.", v->name);
    }
}

static void build_field(ctx *c, nt_field *f, const char *scope, nt_msg *parent, bool is_ext)
{
    f->full_name = join(c->a, scope, f->name);
    f->scope = (char *)scope;
    f->parent = parent;
    f->file = c->f;
    f->is_ext = is_ext;
    if (!f->has_json) f->json_name = nt_json_name(c->a, f->name);
    if (f->has_json && is_ext) err_at(c, f->pos_json, "option json_name is not allowed on extension fields.");
    if (f->number <= 0)
        err_at(c, f->pos_number, "Field numbers must be positive integers.");
    else if (!is_ext && f->number > 536870911)
        err_at(c, f->pos_number, "Field numbers cannot be greater than 536870911.");
    else if (f->number >= 19000 && f->number <= 19999)
        err_at(c, f->pos_number,
               "Field numbers 19000 through 19999 are reserved for the protocol buffer library implementation.");
    add_symbol(c, f->full_name, NT_S_FIELD, f, f->pos_name, NULL);
    for (int i = 0; i < f->opts.u.n; i++) {
        nt_uopt *u = f->opts.u.v[i];
        if (u->nnames == 1 && !u->names[0].ext && strcmp(u->names[0].part, "packed") == 0 && u->kind == NT_V_IDENT) {
            f->has_packed_opt = true;
            f->packed_opt = strcmp(u->ident, "true") == 0;
        }
    }
}

static void build_message(ctx *c, nt_msg *m, const char *scope, nt_msg *parent, int depth)
{
    m->full_name = join(c->a, scope, m->name);
    m->parent = parent;
    m->file = c->f;
    m->syntax = c->f->syn;
    add_symbol(c, m->full_name, NT_S_MESSAGE, m, m->pos_name, NULL);
    for (int i = 0; i < m->oneofs.n; i++) {
        nt_oneof *o = m->oneofs.v[i];
        add_symbol(c, join(c->a, m->full_name, o->name), NT_S_ONEOF, o, o->pos_name, NULL);
    }
    for (int i = 0; i < m->fields.n; i++) build_field(c, m->fields.v[i], m->full_name, m, false);
    if (depth >= MAX_MESSAGE_NESTING) {
        nt_error(c->a, c->pool->errs, c->f->name, -1, 0, "Reached maximum recursion limit for nested messages.");
        m->nested.n = 0;
    }
    for (int i = 0; i < m->nested.n; i++) build_message(c, m->nested.v[i], m->full_name, m, depth + 1);
    for (int i = 0; i < m->enums.n; i++) build_enum(c, m->enums.v[i], m->full_name, m);
    for (int i = 0; i < m->ext_ranges.n; i++) {
        nt_range *r = m->ext_ranges.v[i];
        if (r->start <= 0) err_at(c, r->pos, "Extension numbers must be positive integers.");
        if (r->end <= r->start) err_at(c, r->pos, "Extension range end number must be greater than start number.");
    }
    for (int i = 0; i < m->exts.n; i++) build_field(c, m->exts.v[i], m->full_name, m, true);
    for (int i = 0; i < m->reserved.n; i++) {
        nt_range *r = &m->reserved.v[i];
        if (r->start <= 0) err_at(c, r->pos, "Reserved numbers must be positive integers.");
        if (r->end <= r->start) err_at(c, r->pos, "Reserved range end number must be greater than start number.");
    }
    for (int i = 0; i < m->fields.n; i++) {
        nt_field *f = m->fields.v[i];
        for (int j = 0; j < m->ext_ranges.n; j++) {
            nt_range *r = m->ext_ranges.v[j];
            if (r->start <= f->number && f->number < r->end)
                err_at(c, r->pos, "Extension range %d to %d includes field \"%s\" (%d).", r->start, r->end - 1, f->name,
                       f->number);
        }
        for (int j = 0; j < m->reserved.n; j++) {
            nt_range *r = &m->reserved.v[j];
            if (r->start <= f->number && f->number < r->end)
                err_at(c, r->pos, "Field \"%s\" uses reserved number %d.", f->name, f->number);
        }
        for (int j = 0; j < m->reserved_names.n; j++)
            if (strcmp(m->reserved_names.v[j], f->name) == 0) err_at(c, f->pos_name, "Field name \"%s\" is reserved.", f->name);
    }
    for (int i = 0; i < m->ext_ranges.n; i++) {
        nt_range *r1 = m->ext_ranges.v[i];
        for (int j = 0; j < m->reserved.n; j++) {
            nt_range *r2 = &m->reserved.v[j];
            if (r1->end > r2->start && r2->end > r1->start)
                err_at(c, r1->pos, "Extension range %d to %d overlaps with reserved range %d to %d.", r1->start,
                       r1->end - 1, r2->start, r2->end - 1);
        }
        for (int j = i + 1; j < m->ext_ranges.n; j++) {
            nt_range *r2 = m->ext_ranges.v[j];
            if (r1->end > r2->start && r2->end > r1->start)
                err_at(c, r1->pos, "Extension range %d to %d overlaps with already-defined range %d to %d.", r2->start,
                       r2->end - 1, r1->start, r1->end - 1);
        }
    }
    for (int i = 0; i < m->reserved.n; i++) {
        nt_range *r1 = &m->reserved.v[i];
        for (int j = i + 1; j < m->reserved.n; j++) {
            nt_range *r2 = &m->reserved.v[j];
            if (r1->end > r2->start && r2->end > r1->start)
                err_at(c, r1->pos, "Reserved range %d to %d overlaps with already-defined range %d to %d.", r2->start,
                       r2->end - 1, r1->start, r1->end - 1);
        }
    }
}

/* ---- cross-linking ---- */

static void not_defined(ctx *c, nt_pos pos, const char *name, char *resolved, nt_file *undeclared,
                        const char *undeclared_name)
{
    if (!undeclared && !resolved) {
        err_at(c, pos, "\"%s\" is not defined.", name);
        return;
    }
    if (undeclared)
        err_at(c, pos,
               "\"%s\" seems to be defined in \"%s\", which is not imported by \"%s\".  To use it here, please add the "
               "necessary import.",
               undeclared_name, undeclared->name, c->f->name);
    if (resolved)
        err_at(c, pos,
               "\"%s\" is resolved to \"%s\", which is not defined. The innermost scope is searched first in name "
               "resolution. Consider using a leading '.'(i.e., \".%s\") to start from the outermost scope.",
               name, resolved, name);
}

static nt_sym *lookup_or_report(ctx *c, const char *name, const char *rel, bool types_only, nt_pos pos)
{
    char *resolved = NULL;
    nt_file *und = NULL;
    c->pool->und_name = NULL;
    nt_sym *s = nt_lookup(c->pool, c->f, name, rel, types_only, &resolved, &und);
    if (!s) not_defined(c, pos, name, resolved, und, und ? c->pool->und_name : NULL);
    return s;
}

static nt_range *find_ext_range(nt_msg *m, int number)
{
    for (int i = 0; i < m->ext_ranges.n; i++)
        if (m->ext_ranges.v[i]->start <= number && number < m->ext_ranges.v[i]->end) return m->ext_ranges.v[i];
    return NULL;
}

static bool is_identifier(const char *s)
{
    if (!*s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_')) return false;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' || (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

static void crosslink_field(ctx *c, nt_field *f, ac_intmap *numbers, ac_strmap *file_exts)
{
    if (f->extendee) {
        nt_sym *s = lookup_or_report(c, f->extendee, f->full_name, false, f->pos_extendee);
        if (!s) return;
        if (s->kind != NT_S_MESSAGE) {
            err_at(c, f->pos_extendee, "\"%s\" is not a message type.", f->extendee);
            return;
        }
        f->rext = s->p;
        if (!find_ext_range(f->rext, f->number))
            err_at(c, f->pos_number, "\"%s\" does not declare %d as an extension number.", f->rext->full_name, f->number);
    }
    if (f->type_name) {
        nt_sym *s = lookup_or_report(c, f->type_name, f->full_name, true, f->pos_type);
        if (!s) return;
        if (!f->type) {
            if (s->kind == NT_S_MESSAGE) f->type = TY_MESSAGE;
            else if (s->kind == NT_S_ENUM) f->type = TY_ENUM;
            else {
                err_at(c, f->pos_type, "\"%s\" is not a type.", f->type_name);
                return;
            }
        }
        if (f->type == TY_MESSAGE || f->type == TY_GROUP) {
            if (s->kind != NT_S_MESSAGE) {
                err_at(c, f->pos_type, "\"%s\" is not a message type.", f->type_name);
                return;
            }
            f->rmsg = s->p;
            if (f->has_default) err_at(c, f->pos_default, "Messages can't have default values.");
        } else if (f->type == TY_ENUM) {
            if (s->kind != NT_S_ENUM) {
                err_at(c, f->pos_type, "\"%s\" is not an enum type.", f->type_name);
                return;
            }
            f->renum = s->p;
            if (f->has_default) {
                if (!is_identifier(f->default_value)) {
                    err_at(c, f->pos_default, "Default value for an enum field must be an identifier.");
                } else {
                    nt_sym *v = nt_lookup(c->pool, c->f, f->default_value, f->renum->full_name, false, NULL, NULL);
                    if (!v || v->kind != NT_S_ENUMVAL || ((nt_enumval *)v->p)->parent != f->renum)
                        err_at(c, f->pos_default, "Enum type \"%s\" has no value named \"%s\".", f->renum->full_name,
                               f->default_value);
                }
            }
        } else {
            err_at(c, f->pos_type, "Field with primitive type has type_name.");
        }
    } else if (f->type == TY_MESSAGE || f->type == TY_ENUM) {
        err_at(c, f->pos_type, "Field with message or enum type missing type_name.");
    }
    if (!f->is_ext) {
        nt_field *other = ac_intmap_get(numbers, f->number);
        if (other)
            err_at(c, f->pos_number, "Field number %d has already been used in \"%s\" by field \"%s\".", f->number,
                   f->parent ? f->parent->full_name : "unknown", other->name);
        else
            ac_intmap_put(numbers, f->number, f);
    } else if (f->rext) {
        char *key = ac_arena_printf(c->a, "%s#%d", f->rext->full_name, f->number);
        nt_field *other = ac_strmap_get(file_exts, key);
        if (other)
            err_at(c, f->pos_number, "Extension number %d has already been used in \"%s\" by extension \"%s\".",
                   f->number, f->rext->full_name, other->full_name);
        else {
            ac_strmap_put(file_exts, key, f);
            ac_strmap_add(&c->pool->ext_by_num, key, f);
        }
    }
}

static void crosslink_message(ctx *c, nt_msg *m, ac_strmap *file_exts)
{
    ac_intmap numbers;
    ac_intmap_init(&numbers);
    for (int i = 0; i < m->fields.n; i++) crosslink_field(c, m->fields.v[i], &numbers, file_exts);
    ac_intmap_free(&numbers);
    for (int i = 0; i < m->oneofs.n; i++) {
        bool any = false;
        for (int j = 0; j < m->fields.n; j++)
            if (m->fields.v[j]->has_oneof && m->fields.v[j]->oneof_index == i) any = true;
        if (!any) err_at(c, m->oneofs.v[i]->pos_name, "Oneof must have at least one field.");
    }
    for (int i = 0; i < m->nested.n; i++) crosslink_message(c, m->nested.v[i], file_exts);
    for (int i = 0; i < m->exts.n; i++) crosslink_field(c, m->exts.v[i], NULL, file_exts);
}

/* ---- validation (after options) ---- */

static bool uopt_true(const nt_opts *o, const char *name)
{
    for (int i = 0; i < o->u.n; i++) {
        nt_uopt *u = o->u.v[i];
        if (u->nnames == 1 && !u->names[0].ext && strcmp(u->names[0].part, name) == 0 && u->kind == NT_V_IDENT &&
            strcmp(u->ident, "true") == 0)
            return true;
    }
    return false;
}

static void validate_enum(ctx *c, nt_enum *e)
{
    if (uopt_true(&e->opts, "allow_alias")) return;
    ac_intmap seen;
    ac_intmap_init(&seen);
    for (int i = 0; i < e->values.n; i++) {
        nt_enumval *v = e->values.v[i];
        nt_enumval *o = ac_intmap_get(&seen, v->number);
        if (o)
            err_at(c, v->pos_number,
                   "\"%s\" uses the same enum value as \"%s\". If this is intended, set 'option allow_alias = true;' to "
                   "the enum definition.",
                   v->full_name, o->name);
        else
            ac_intmap_put(&seen, v->number, v);
    }
    ac_intmap_free(&seen);
}

static char *lower_no_underscore(ac_arena *a, const char *s)
{
    char *o = ac_arena_alloc(a, strlen(s) + 1), *p = o;
    for (; *s; s++)
        if (*s != '_') *p++ = (*s >= 'A' && *s <= 'Z') ? (char)(*s - 'A' + 'a') : *s;
    *p = 0;
    return o;
}

static void validate_proto3_field(ctx *c, nt_field *f)
{
    if (f->is_ext && f->rext) {
        const char *n = f->rext->full_name;
        if (strncmp(n, "google.protobuf.", 16) != 0 || !strstr(n, "Options"))
            err_at(c, f->pos_extendee, "Extensions in proto3 are only allowed for defining options.");
    }
    if (f->label == LB_REQUIRED) err_at(c, f->pos_type, "Required fields are not allowed in proto3.");
    if (f->has_default) err_at(c, f->pos_default, "Explicit default values are not allowed in proto3.");
    if (f->type == TY_ENUM && f->renum && f->renum->file->syn != 3)
        err_at(c, f->pos_type,
               "Enum type \"%s\" is not a proto3 enum, but is used in \"%s\" which is a proto3 message type.",
               f->renum->full_name, f->parent ? f->parent->full_name : "");
    if (f->type == TY_GROUP) err_at(c, f->pos_type, "Groups are not supported in proto3 syntax.");
}

static void validate_proto3_enum(ctx *c, nt_enum *e)
{
    if (e->values.n > 0 && e->values.v[0]->number != 0)
        err_at(c, e->values.v[0]->pos_number, "The first enum value must be zero in proto3.");
}

static void validate_message(ctx *c, nt_msg *m, bool p3)
{
    for (int i = 0; i < m->nested.n; i++) validate_message(c, m->nested.v[i], p3);
    for (int i = 0; i < m->enums.n; i++) validate_enum(c, m->enums.v[i]);
    bool mset = uopt_true(&m->opts, "message_set_wire_format");
    int64_t max = mset ? INT32_MAX : 536870911;
    for (int i = 0; i < m->ext_ranges.n; i++)
        if ((int64_t)m->ext_ranges.v[i]->end > max + 1)
            err_at(c, m->ext_ranges.v[i]->pos, "Extension numbers cannot be greater than %" PRId64 ".", max);
    if (!p3) return;
    for (int i = 0; i < m->nested.n; i++) (void)0;
    for (int i = 0; i < m->enums.n; i++) validate_proto3_enum(c, m->enums.v[i]);
    for (int i = 0; i < m->fields.n; i++) validate_proto3_field(c, m->fields.v[i]);
    for (int i = 0; i < m->exts.n; i++) validate_proto3_field(c, m->exts.v[i]);
    for (int i = 0; i < m->ext_ranges.n; i++)
        err_at(c, m->ext_ranges.v[i]->pos, "Extension ranges are not allowed in proto3.");
    if (mset) err_at(c, m->pos_name, "MessageSet is not supported in proto3.");
    ac_strmap names;
    ac_strmap_init(&names);
    for (int i = 0; i < m->fields.n; i++) {
        nt_field *f = m->fields.v[i];
        char *k = lower_no_underscore(c->a, f->name);
        nt_field *o = ac_strmap_get(&names, k);
        if (o)
            err_at(c, f->pos_name,
                   "The JSON camel-case name of field \"%s\" conflicts with field \"%s\". This is not allowed in proto3.",
                   f->name, o->name);
        else
            ac_strmap_put(&names, k, f);
    }
    ac_strmap_free(&names);
}

static void validate_file(ctx *c)
{
    nt_file *f = c->f;
    bool p3 = f->syn == 3;
    for (int i = 0; i < f->msgs.n; i++) validate_message(c, f->msgs.v[i], p3);
    for (int i = 0; i < f->enums.n; i++) {
        validate_enum(c, f->enums.v[i]);
        if (p3) validate_proto3_enum(c, f->enums.v[i]);
    }
    if (p3)
        for (int i = 0; i < f->exts.n; i++) validate_proto3_field(c, f->exts.v[i]);
}

/* ---- a file ---- */

static void build_file(nt_pool *pool, nt_file *f)
{
    ctx cc = {pool, pool->a, f, pool->errs->n}, *c = &cc;
    ac_strmap seen;
    ac_strmap_init(&seen);
    for (int i = 0; i < f->deps.n; i++) {
        if (!ac_strmap_add(&seen, f->deps.v[i], f))
            err_at(c, f->dep_pos.v[i], "Import \"%s\" was listed twice.", f->deps.v[i]);
        else if (!f->depf.v[i] && strcmp(f->deps.v[i], f->name) != 0) /* a self-import: already said */
            err_at(c, f->dep_pos.v[i], "Import \"%s\" was not found or had errors.", f->deps.v[i]);
    }
    ac_strmap_free(&seen);
    const char *pkg = f->package ? f->package : "";
    add_package(c, pkg);
    for (int i = 0; i < f->msgs.n; i++) build_message(c, f->msgs.v[i], pkg, NULL, 1);
    for (int i = 0; i < f->enums.n; i++) build_enum(c, f->enums.v[i], pkg, NULL);
    for (int i = 0; i < f->services.n; i++) {
        nt_service *s = f->services.v[i];
        s->full_name = join(c->a, pkg, s->name);
        add_symbol(c, s->full_name, NT_S_SERVICE, s, s->pos_name, NULL);
        for (int j = 0; j < s->methods.n; j++) {
            nt_method *m = s->methods.v[j];
            m->full_name = join(c->a, s->full_name, m->name);
            add_symbol(c, m->full_name, NT_S_METHOD, m, m->pos_name, NULL);
        }
    }
    for (int i = 0; i < f->exts.n; i++) build_field(c, f->exts.v[i], pkg, NULL, true);

    ac_strmap file_exts;
    ac_strmap_init(&file_exts);
    for (int i = 0; i < f->msgs.n; i++) crosslink_message(c, f->msgs.v[i], &file_exts);
    for (int i = 0; i < f->exts.n; i++) crosslink_field(c, f->exts.v[i], NULL, &file_exts);
    ac_strmap_free(&file_exts);
    for (int i = 0; i < f->services.n; i++) {
        nt_service *s = f->services.v[i];
        for (int j = 0; j < s->methods.n; j++) {
            nt_method *m = s->methods.v[j];
            nt_sym *in = lookup_or_report(c, m->in, m->full_name, false, m->pos_in);
            if (in && in->kind != NT_S_MESSAGE) err_at(c, m->pos_in, "\"%s\" is not a message type.", m->in);
            else if (in) m->rin = in->p;
            nt_sym *out = lookup_or_report(c, m->out, m->full_name, false, m->pos_out);
            if (out && out->kind != NT_S_MESSAGE) err_at(c, m->pos_out, "\"%s\" is not a message type.", m->out);
            else if (out) m->rout = out->p;
        }
    }
    if (!had_errors(c) && pool->resolved) pool->resolved(pool, f);
    if (!had_errors(c)) validate_file(c);
    f->state = had_errors(c) ? 3 : 2;
}
