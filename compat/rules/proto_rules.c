/* The protobuf rules' check functions: one per row of rules_proto.def.
 *
 * Each receives a pair of elements with the same identity (see diff.c) and reports through
 * ac_emit.  Semantics and locations follow `buf breaking`, so teams can switch without surprises;
 * messages are our own and always say what changed from what to what. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat/rules/check.h"
#include "compat/base/fs.h"

#define SUF(...) (const int32_t[]){__VA_ARGS__}, (uint32_t)(sizeof((int32_t[]){__VA_ARGS__}) / sizeof(int32_t))
#define NOSUF NULL, 0

/* descriptor.proto field numbers used in source paths */
enum {
    FILE_PACKAGE = 2, FILE_OPTIONS = 8, FILE_SYNTAX = 12, FILE_EDITION = 14,
    MSG_OPTIONS = 7, MSG_FEATURES = 12, MSGOPT_NO_STD_ACCESSOR = 2,
    FIELD_NAME = 1, FIELD_TYPE = 5, FIELD_TYPE_NAME = 6, FIELD_DEFAULT = 7, FIELD_OPTIONS = 8, FIELD_JSON_NAME = 10,
    FIELDOPT_CTYPE = 1, FIELDOPT_JSTYPE = 6, FIELDOPT_FEATURES = 21,
    ENUM_OPTIONS = 3, ENUM_FEATURES = 7, ENUMVAL_NUMBER = 2,
    METHOD_INPUT = 2, METHOD_OUTPUT = 3, METHOD_OPTIONS = 4, METHODOPT_IDEMPOTENCY = 34,
    FEAT_ENUM_TYPE = 2, FEAT_UTF8 = 4, FEAT_JSON_FORMAT = 6, FEAT_CPP = 1000, FEAT_JAVA = 1001,
    FILEOPT_FEATURES = 50, FILEOPT_JAVA_STRING_CHECK_UTF8 = 27,
};

#define MESSAGE_MAX_TAG 536870911
#define MESSAGE_SET_MAX_TAG 2147483646
#define ENUM_MAX_TAG 2147483647

/* ---- helpers ------------------------------------------------------------------------------ */

/* Located now: the element's path plus a suffix (an option, its name, ...); false when the file
 * has no location for it. */
static bool loc(ac_pb_file *f, ac_path p, const int32_t *suf, uint32_t n, ac_where *out)
{
    out->src.file = NULL;
    return f && ac_pb_locate(f, p, suf, n, &out->loc);
}

/* The whole file (1:1). */
static ac_where file_loc(const ac_pb_file *f)
{
    ac_where w;
    memset(&w, 0, sizeof w);
    ac_pb_file_loc(f, &w.loc);
    return w;
}

static ac_where no_loc(void)
{
    ac_where w;
    memset(&w, 0, sizeof w);
    return w;
}


/* emit, naming the elements the finding is about when they are not the pair the rule was handed
 * (a deleted field and the message that lost it, ...): what its prover starts from. */
static void emit_ev(ac_ctx *ctx, ac_elem_ref ev_old, ac_elem_ref ev_new, const ac_where *l, const ac_where *ol,
                    const ac_pb_file *nf, const ac_pb_file *of, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));
static void emit_ev(ac_ctx *ctx, ac_elem_ref ev_old, ac_elem_ref ev_new, const ac_where *l, const ac_where *ol,
                    const ac_pb_file *nf, const ac_pb_file *of, const char *name, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ac_subject s = {nf, of, name, ev_old, ev_new};
    ac_emit(ctx, l, ol, &s, "%s", msg);
}

static ac_elem_ref ev(const void *p, int kind)
{
    return (ac_elem_ref){p, kind};
}

static const ac_elem_ref NO_EV = {NULL, AC_EL_NONE};

/* An enum value's full name as protobuf defines it: a sibling of its enum ("pkg.VALUE" for
 * "pkg.Enum"), as in descriptors and buf's messages. */
static const char *enum_value_name(ac_ctx *ctx, const ac_pb_enum *e, const char *value)
{
    const char *dot = strrchr(e->full_name, '.');
    return dot ? ac_arena_printf(ctx->scratch, "%.*s.%s", (int)(dot - e->full_name), e->full_name, value) : value;
}

/* An RPC's element name: "pkg.Service.Method" */
static const char *method_name(ac_ctx *ctx, const ac_pb_method *m)
{
    return ac_arena_printf(ctx->scratch, "%s.%s", m->service->full_name, m->name);
}

/* "field 2 \"name\" on message \"pkg.Msg\"" or "extension 100 \"pkg.ext\" on message \"pkg.Msg\"" */
static const char *field_desc(ac_ctx *ctx, const ac_pb_field *f)
{
    if (f->extendee)
        return ac_arena_printf(ctx->scratch, "extension %d \"%s\" of message \"%s\"", f->number, f->full_name,
                               f->extendee);
    return ac_arena_printf(ctx->scratch, "field %d \"%s\" on message \"%s\"", f->number, f->name,
                           f->parent ? f->parent->full_name : "?");
}

static const char *q(ac_ctx *ctx, const char *s)
{
    return ac_arena_printf(ctx->scratch, "\"%s\"", s ? s : "");
}

/* Nearest enclosing message of a deleted element that still exists in the new file. */
static ac_pb_msg *surviving_parent(ac_strmap *nested_msgs, const char *nested_name)
{
    size_t len = strlen(nested_name);
    while (len > 0) {
        while (len > 0 && nested_name[len - 1] != '.') len--;
        if (len == 0) break;
        len--; /* drop the dot */
        ac_pb_msg *m = ac_strmap_getn(nested_msgs, nested_name, len);
        if (m) return m;
    }
    return NULL;
}

/* Where to report an element of the old file that the new file lost: its nearest surviving
 * enclosing message, else the whole new file. */
static ac_where deleted_loc(ac_pb_file *nf, ac_strmap *nested_msgs, const char *nested_name)
{
    ac_pb_msg *p = surviving_parent(nested_msgs, nested_name);
    return p ? ac_where_elem(nf, p->path) : file_loc(nf);
}

static const char *ext_nested_name(ac_ctx *ctx, const ac_pb_field *x)
{
    if (x->parent) return ac_arena_printf(ctx->scratch, "%s.%s", x->parent->nested_name, x->name);
    return x->name;
}

/* ---- deletions within a file ---------------------------------------------------------------- */

void ac_pbcheck_enum_no_delete(ac_ctx *ctx, ac_pb_file *of, ac_pb_file *nf)
{
    ac_strmap have, *msgs = ac_nested_msgs(ctx, nf);
    ac_strmap_init(&have);
    for (size_t i = 0; i < nf->nenums; i++) ac_strmap_add(&have, nf->enums[i]->nested_name, nf->enums[i]);
    for (size_t i = 0; i < of->nenums; i++) {
        ac_pb_enum *e = of->enums[i];
        if (ac_strmap_get(&have, e->nested_name)) continue;
        ac_where l = deleted_loc(nf, msgs, e->nested_name), ol = ac_where_elem(of, e->path);
        ac_emit_about(ctx, &l, &ol, nf, of, e->full_name, "enum \"%s\" was deleted from file \"%s\"", e->full_name, nf->name);
    }
    ac_strmap_free(&have);
}

void ac_pbcheck_message_no_delete(ac_ctx *ctx, ac_pb_file *of, ac_pb_file *nf)
{
    ac_strmap *msgs = ac_nested_msgs(ctx, nf);
    for (size_t i = 0; i < of->nmsgs; i++) {
        ac_pb_msg *m = of->msgs[i];
        if (ac_strmap_get(msgs, m->nested_name)) continue;
        ac_where l = deleted_loc(nf, msgs, m->nested_name), ol = ac_where_elem(of, m->path);
        ac_emit_about(ctx, &l, &ol, nf, of, m->full_name, "message \"%s\" was deleted from file \"%s\"", m->full_name,
             nf->name);
    }
}

void ac_pbcheck_extension_no_delete(ac_ctx *ctx, ac_pb_file *of, ac_pb_file *nf)
{
    ac_strmap have, *msgs = ac_nested_msgs(ctx, nf);
    ac_strmap_init(&have);
    for (size_t i = 0; i < nf->nexts; i++) ac_strmap_add(&have, ext_nested_name(ctx, nf->exts[i]), nf->exts[i]);
    for (size_t i = 0; i < of->nexts; i++) {
        ac_pb_field *x = of->exts[i];
        const char *nn = ext_nested_name(ctx, x);
        if (ac_strmap_get(&have, nn)) continue;
        ac_where l = deleted_loc(nf, msgs, nn), ol = ac_where_elem(of, x->path);
        ac_emit_about(ctx, &l, &ol, nf, of, x->full_name, "extension \"%s\" was deleted from file \"%s\"", x->full_name,
             nf->name);
    }
    ac_strmap_free(&have);
}

void ac_pbcheck_service_no_delete(ac_ctx *ctx, ac_pb_file *of, ac_pb_file *nf)
{
    ac_strmap have;
    ac_strmap_init(&have);
    for (size_t i = 0; i < nf->nservices; i++) ac_strmap_add(&have, nf->services[i]->name, nf->services[i]);
    for (size_t i = 0; i < of->nservices; i++) {
        ac_pb_service *s = of->services[i];
        if (ac_strmap_get(&have, s->name)) continue;
        ac_where l = file_loc(nf), ol = ac_where_elem(of, s->path);
        emit_ev(ctx, ev(s, AC_EL_PB_SERVICE), NO_EV, &l, &ol, nf, of, s->full_name,
                "service \"%s\" was deleted from file \"%s\"", s->full_name, nf->name);
    }
    ac_strmap_free(&have);
}

void ac_pbcheck_file_no_delete(ac_ctx *ctx)
{
    for (size_t i = 0; i < ctx->old->nfiles; i++) {
        ac_pb_file *of = ctx->old->files[i];
        if (of->is_import || ac_strmap_get(&ctx->new_files, of->name)) continue;
        ac_where l = no_loc(), ol = file_loc(of);
        emit_ev(ctx, ev(of, AC_EL_PB_FILE), NO_EV, &l, &ol, NULL, of, of->name, "file \"%s\" was deleted", of->name);
    }
}

/* ---- deletions within a package ------------------------------------------------------------- */

static void packages_of(ac_contract *c, ac_strmap *pkgs)
{
    ac_strmap_init(pkgs);
    for (size_t i = 0; i < c->nfiles; i++)
        if (!c->files[i]->is_import) ac_strmap_add(pkgs, c->files[i]->package, c->files[i]);
}

void ac_pbcheck_package_no_delete(ac_ctx *ctx)
{
    ac_strmap newp, seen;
    packages_of(ctx->new, &newp);
    ac_strmap_init(&seen);
    /* report each deleted package once, at its alphabetically first old file */
    for (size_t i = 0; i < ctx->old->nfiles; i++) {
        ac_pb_file *of = ctx->old->files[i];
        if (of->is_import || ac_strmap_get(&newp, of->package)) continue;
        ac_pb_file *first = ac_strmap_get(&seen, of->package);
        if (!first || strcmp(of->name, first->name) < 0) ac_strmap_put(&seen, of->package, of);
    }
    for (size_t i = 0; i < seen.cap; i++) {
        if (!seen.e[i].key) continue;
        ac_pb_file *of = seen.e[i].val;
        ac_where l = no_loc(), ol = file_loc(of);
        emit_ev(ctx, ev(of, AC_EL_PB_PACKAGE), NO_EV, &l, &ol, NULL, of, of->package, "package \"%s\" was deleted",
                of->package);
    }
    ac_strmap_free(&newp);
    ac_strmap_free(&seen);
}

/* The nearest message enclosing a nested element (by full name) that the new side still has, in
 * whichever of its files it now lives; NULL when none survives. */
static ac_pb_msg *surviving_ancestor(ac_ctx *ctx, const char *full, const char *package)
{
    size_t plen = package ? strlen(package) : 0, len = strlen(full);
    char *name = ac_arena_strdup(ctx->scratch, full);
    while (len > plen) {
        while (len > plen && name[len - 1] != '.') len--;
        if (len <= plen + 1) break;
        name[--len] = 0; /* drop the dot and what follows */
        ac_pb_msg *m = ac_new_msg(ctx, name);
        if (m) return m;
    }
    return NULL;
}

/* Shared by the PACKAGE_*_NO_DELETE rules: an element of a surviving package is gone from it.  A
 * nested message is reported at its nearest enclosing message that survives, in whichever file of
 * the package that message moved to; other elements in the file of the old one's name (as buf
 * reports them). */
static void package_deleted(ac_ctx *ctx, ac_pb_file *of, const char *kind, const char *full, const char *nested,
                            ac_path old_path, bool file_level_only, ac_elem_ref what)
{
    ac_pb_file *nf = ac_strmap_get(&ctx->new_files, of->name);
    ac_where l = no_loc(), ol = ac_where_elem(of, old_path);
    ac_pb_msg *anc = !file_level_only && !strcmp(kind, "message") ? surviving_ancestor(ctx, full, of->package) : NULL;
    if (anc && (!nf || anc->file != nf || !ac_strmap_get(ac_nested_msgs(ctx, nf), anc->nested_name))) {
        nf = anc->file;
        l = ac_where_elem(nf, anc->path);
    } else if (nf) {
        if (file_level_only) {
            l = file_loc(nf);
        } else {
            l = deleted_loc(nf, ac_nested_msgs(ctx, nf), nested);
        }
    }
    emit_ev(ctx, what, NO_EV, &l, &ol, nf, of, full, "%s \"%s\" was deleted from package \"%s\"", kind, full, of->package);
}

void ac_pbcheck_package_message_no_delete(ac_ctx *ctx)
{
    ac_strmap newp;
    packages_of(ctx->new, &newp);
    for (size_t i = 0; i < ctx->old->nfiles; i++) {
        ac_pb_file *of = ctx->old->files[i];
        if (of->is_import || !ac_strmap_get(&newp, of->package)) continue;
        for (size_t j = 0; j < of->nmsgs; j++) {
            ac_pb_msg *m = of->msgs[j];
            if (ac_new_msg(ctx, m->full_name)) continue;
            package_deleted(ctx, of, "message", m->full_name, m->nested_name, m->path, false, ev(m, AC_EL_PB_MSG));
        }
    }
    ac_strmap_free(&newp);
}

void ac_pbcheck_package_enum_no_delete(ac_ctx *ctx)
{
    ac_strmap newp;
    packages_of(ctx->new, &newp);
    for (size_t i = 0; i < ctx->old->nfiles; i++) {
        ac_pb_file *of = ctx->old->files[i];
        if (of->is_import || !ac_strmap_get(&newp, of->package)) continue;
        for (size_t j = 0; j < of->nenums; j++) {
            ac_pb_enum *e = of->enums[j];
            if (ac_new_enum(ctx, e->full_name)) continue;
            package_deleted(ctx, of, "enum", e->full_name, e->nested_name, e->path, false, ev(e, AC_EL_PB_ENUM));
        }
    }
    ac_strmap_free(&newp);
}

void ac_pbcheck_package_service_no_delete(ac_ctx *ctx)
{
    ac_strmap newp;
    packages_of(ctx->new, &newp);
    for (size_t i = 0; i < ctx->old->nfiles; i++) {
        ac_pb_file *of = ctx->old->files[i];
        if (of->is_import || !ac_strmap_get(&newp, of->package)) continue;
        for (size_t j = 0; j < of->nservices; j++) {
            ac_pb_service *s = of->services[j];
            if (ac_strmap_get(&ctx->new_services, s->full_name)) continue;
            package_deleted(ctx, of, "service", s->full_name, s->name, s->path, true, ev(s, AC_EL_PB_SERVICE));
        }
    }
    ac_strmap_free(&newp);
}

void ac_pbcheck_package_extension_no_delete(ac_ctx *ctx)
{
    ac_strmap newp, newx;
    packages_of(ctx->new, &newp);
    ac_strmap_init(&newx);
    for (size_t i = 0; i < ctx->new->nfiles; i++) {
        ac_pb_file *nf = ctx->new->files[i];
        if (nf->is_import) continue;
        for (size_t j = 0; j < nf->nexts; j++) ac_strmap_add(&newx, nf->exts[j]->full_name, nf->exts[j]);
    }
    for (size_t i = 0; i < ctx->old->nfiles; i++) {
        ac_pb_file *of = ctx->old->files[i];
        if (of->is_import || !ac_strmap_get(&newp, of->package)) continue;
        for (size_t j = 0; j < of->nexts; j++) {
            ac_pb_field *x = of->exts[j];
            if (ac_strmap_get(&newx, x->full_name)) continue;
            package_deleted(ctx, of, "extension", x->full_name, ext_nested_name(ctx, x), x->path, false, ev(x, AC_EL_PB_FIELD));
        }
    }
    ac_strmap_free(&newp);
    ac_strmap_free(&newx);
}

/* ---- file options ------------------------------------------------------------------------------ */

static void file_same(ac_ctx *ctx, ac_pb_file *of, ac_pb_file *nf, const char *what, const char *ov, const char *nv,
                      const int32_t *suf, uint32_t nsuf)
{
    if (strcmp(ov ? ov : "", nv ? nv : "") == 0) return;
    ac_where l, ol;
    if (!loc(nf, (ac_path){0}, suf, nsuf, &l)) l = file_loc(nf);
    if (!loc(of, (ac_path){0}, suf, nsuf, &ol)) ol = file_loc(of);
    ac_emit_about(ctx, &l, &ol, nf, of, nf->name, "file \"%s\" changed %s from \"%s\" to \"%s\"", nf->name, what, ov ? ov : "",
         nv ? nv : "");
}

#define FILE_STRING_OPTION(fn, field, num)                                                                   \
    void ac_pbcheck_##fn(ac_ctx *ctx, ac_pb_file *of, ac_pb_file *nf)                                       \
    {                                                                                                        \
        file_same(ctx, of, nf, "option \"" #field "\"", of->opt.field, nf->opt.field, SUF(FILE_OPTIONS, num)); \
    }
#define FILE_BOOL_OPTION(fn, field, num)                                                                     \
    void ac_pbcheck_##fn(ac_ctx *ctx, ac_pb_file *of, ac_pb_file *nf)                                       \
    {                                                                                                        \
        file_same(ctx, of, nf, "option \"" #field "\"", of->opt.field ? "true" : "false",                   \
                  nf->opt.field ? "true" : "false", SUF(FILE_OPTIONS, num));                                 \
    }

FILE_STRING_OPTION(file_same_csharp_namespace, csharp_namespace, 37)
FILE_STRING_OPTION(file_same_go_package, go_package, 11)
FILE_STRING_OPTION(file_same_java_outer_classname, java_outer_classname, 8)
FILE_STRING_OPTION(file_same_java_package, java_package, 1)
FILE_STRING_OPTION(file_same_objc_class_prefix, objc_class_prefix, 36)
FILE_STRING_OPTION(file_same_php_class_prefix, php_class_prefix, 40)
FILE_STRING_OPTION(file_same_php_metadata_namespace, php_metadata_namespace, 44)
FILE_STRING_OPTION(file_same_php_namespace, php_namespace, 41)
FILE_STRING_OPTION(file_same_ruby_package, ruby_package, 45)
FILE_STRING_OPTION(file_same_swift_prefix, swift_prefix, 39)
FILE_BOOL_OPTION(file_same_cc_enable_arenas, cc_enable_arenas, 31)
FILE_BOOL_OPTION(file_same_cc_generic_services, cc_generic_services, 16)
FILE_BOOL_OPTION(file_same_java_generic_services, java_generic_services, 17)
FILE_BOOL_OPTION(file_same_java_multiple_files, java_multiple_files, 10)
FILE_BOOL_OPTION(file_same_py_generic_services, py_generic_services, 18)

static const char *optimize_name(ac_pb_optimize v)
{
    switch (v) {
    case AC_PB_CODE_SIZE: return "CODE_SIZE";
    case AC_PB_LITE_RUNTIME: return "LITE_RUNTIME";
    default: return "SPEED";
    }
}

void ac_pbcheck_file_same_optimize_for(ac_ctx *ctx, ac_pb_file *of, ac_pb_file *nf)
{
    file_same(ctx, of, nf, "option \"optimize_for\"", optimize_name(of->opt.optimize_for),
              optimize_name(nf->opt.optimize_for), SUF(FILE_OPTIONS, 9));
}

void ac_pbcheck_file_same_package(ac_ctx *ctx, ac_pb_file *of, ac_pb_file *nf)
{
    file_same(ctx, of, nf, "package", of->package, nf->package, SUF(FILE_PACKAGE));
}

static const char *syntax_name(ac_pb_syntax s)
{
    return s == AC_SYNTAX_PROTO3 ? "proto3" : s == AC_SYNTAX_EDITIONS ? "editions" : "proto2";
}

void ac_pbcheck_file_same_syntax(ac_ctx *ctx, ac_pb_file *of, ac_pb_file *nf)
{
    if (of->syntax == nf->syntax) return;
    ac_where l, ol;
    if (!loc(nf, (ac_path){0}, SUF(FILE_SYNTAX), &l) && !loc(nf, (ac_path){0}, SUF(FILE_EDITION), &l))
        l = file_loc(nf);
    if (!loc(of, (ac_path){0}, SUF(FILE_SYNTAX), &ol) && !loc(of, (ac_path){0}, SUF(FILE_EDITION), &ol))
        ol = file_loc(of);
    ac_emit_about(ctx, &l, &ol, nf, of, nf->name, "file \"%s\" changed syntax from \"%s\" to \"%s\"", nf->name,
         syntax_name(of->syntax), syntax_name(nf->syntax));
}

/* ---- messages ----------------------------------------------------------------------------------- */

static int cmp_range(const void *a, const void *b);

/* Ranges sorted by start with overlapping and adjacent ones joined (in scratch): disjoint, with
 * ascending ends, so that a number is looked up by binary search. */
static ac_range *joined_ranges(ac_arena *scratch, const ac_range *r, size_t nr, size_t *nout)
{
    ac_range *c = ac_arena_alloc(scratch, (nr ? nr : 1) * sizeof *c);
    size_t n = 0;
    if (nr) {
        memcpy(c, r, nr * sizeof *c);
        qsort(c, nr, sizeof *c, cmp_range);
        n = 1;
        for (size_t i = 1; i < nr; i++) {
            if (c[i].start <= c[n - 1].end + 1) {
                if (c[i].end > c[n - 1].end) c[n - 1].end = c[i].end;
            } else {
                c[n++] = c[i];
            }
        }
    }
    *nout = n;
    return c;
}

/* The first joined range that ends at or after v (n when none does). */
static size_t first_reaching(const ac_range *c, size_t n, int64_t v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c[mid].end < v) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* A lookup set of an element's reserved numbers and names, indexed once per element pair so that
 * n deleted values against m reserved entries cost n + m, not n x m. */
typedef struct reserved_set {
    ac_range *ranges;
    size_t nranges;
    const char **names;
    size_t nnames;
    ac_strmap by_name; /* when nnames > 16 */
} reserved_set;

static void reserved_begin(ac_ctx *ctx, reserved_set *rs, const ac_range *r, size_t nr, const char **names, size_t nn)
{
    rs->ranges = joined_ranges(ctx->scratch, r, nr, &rs->nranges);
    rs->names = names;
    rs->nnames = nn;
    ac_strmap_init(&rs->by_name);
    if (nn > 16)
        for (size_t i = 0; i < nn; i++) ac_strmap_add(&rs->by_name, names[i], (void *)1);
}

static void reserved_end(reserved_set *rs)
{
    ac_strmap_free(&rs->by_name);
}

static bool in_ranges(const reserved_set *rs, int64_t v)
{
    size_t j = first_reaching(rs->ranges, rs->nranges, v);
    return j < rs->nranges && rs->ranges[j].start <= v;
}

static bool in_names(const reserved_set *rs, const char *s)
{
    if (rs->nnames > 16) return ac_strmap_get(&rs->by_name, s) != NULL;
    for (size_t i = 0; i < rs->nnames; i++)
        if (strcmp(rs->names[i], s) == 0) return true;
    return false;
}

/* Does the message have a field with this number?  (A map only for large messages: most have a
 * handful of fields, and this runs for every message pair.) */
static bool has_number(const ac_pb_msg *m, const ac_intmap *have, int32_t number)
{
    if (m->nfields > 16) return ac_intmap_has(have, number);
    for (size_t i = 0; i < m->nfields; i++)
        if (m->fields[i]->number == number) return true;
    return false;
}

static void field_deleted(ac_ctx *ctx, ac_pb_msg *om, ac_pb_msg *nm, int unless)
{
    ac_intmap have;
    ac_intmap_init(&have);
    if (nm->nfields > 16)
        for (size_t i = 0; i < nm->nfields; i++) ac_intmap_put(&have, nm->fields[i]->number, nm->fields[i]);
    reserved_set rs;
    reserved_begin(ctx, &rs, nm->reserved, nm->nreserved, nm->reserved_names, nm->nreserved_names);
    for (size_t i = 0; i < om->nfields; i++) {
        ac_pb_field *f = om->fields[i];
        if (has_number(nm, &have, f->number)) continue;
        if (unless == 1 && in_ranges(&rs, f->number)) continue;
        if (unless == 2 && in_names(&rs, f->name)) continue;
        ac_where l = ac_where_elem(nm->file, nm->path), ol = ac_where_elem(om->file, f->path);
        const char *why = unless == 1 ? ac_arena_printf(ctx->scratch, " without reserving number %d", f->number)
                          : unless == 2 ? ac_arena_printf(ctx->scratch, " without reserving name \"%s\"", f->name)
                                        : "";
        emit_ev(ctx, ev(f, AC_EL_PB_FIELD), ev(nm, AC_EL_PB_MSG), &l, &ol, nm->file, om->file, f->full_name,
                "%s was deleted%s", field_desc(ctx, f), why);
    }
    reserved_end(&rs);
    ac_intmap_free(&have);
}

void ac_pbcheck_field_no_delete(ac_ctx *ctx, ac_pb_msg *om, ac_pb_msg *nm)
{
    field_deleted(ctx, om, nm, 0);
}

void ac_pbcheck_field_no_delete_unless_number_reserved(ac_ctx *ctx, ac_pb_msg *om, ac_pb_msg *nm)
{
    field_deleted(ctx, om, nm, 1);
}

void ac_pbcheck_field_no_delete_unless_name_reserved(ac_ctx *ctx, ac_pb_msg *om, ac_pb_msg *nm)
{
    field_deleted(ctx, om, nm, 2);
}

static int cmp_range(const void *a, const void *b)
{
    const ac_range *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

static const char *range_str(ac_ctx *ctx, int64_t start, int64_t end, int64_t max)
{
    if (start == end) return ac_arena_printf(ctx->scratch, "%lld", (long long)start);
    if (end == max) return ac_arena_printf(ctx->scratch, "%lld to max", (long long)start);
    return ac_arena_printf(ctx->scratch, "%lld to %lld", (long long)start, (long long)end);
}

/* Reports each old range that the new ranges do not fully cover, with the numbers it lost. */
static void check_ranges(ac_ctx *ctx, const char *kind, const char *owner_kind, const char *owner, const ac_range *old,
                         size_t nold, const ac_range *cur, size_t ncur, int64_t max, const ac_where *l, const ac_where *ol,
                         const ac_pb_file *nf, const ac_pb_file *of)
{
    if (!nold) return;
    size_t n;
    ac_range *c = joined_ranges(ctx->scratch, cur, ncur, &n);
    for (size_t i = 0; i < nold; i++) {
        int64_t s = old[i].start, e = old[i].end;
        size_t j = first_reaching(c, n, s);
        if (j < n && c[j].start <= s && c[j].end >= e) continue; /* covered by one joined range */
        char missing[1024];
        size_t mlen = 0;
        missing[0] = 0;
        int64_t pos = s;
        /* the gaps, until the message is full: bounded whatever the number of ranges */
        for (; j < n && pos <= e && mlen < sizeof missing; j++) {
            if (c[j].start > e) break;
            if (c[j].start > pos) {
                const char *r = range_str(ctx, pos, c[j].start - 1, max);
                mlen += (size_t)snprintf(missing + mlen, sizeof missing - mlen, "%s%s", mlen ? ", " : "", r);
            }
            pos = c[j].end + 1;
        }
        if (pos <= e && mlen < sizeof missing) {
            const char *r = range_str(ctx, pos, e, max);
            mlen += (size_t)snprintf(missing + mlen, mlen < sizeof missing ? sizeof missing - mlen : 0, "%s%s",
                                     mlen ? ", " : "", r);
        }
        if (!mlen) continue;
        ac_emit_about(ctx, l, ol, nf, of, owner, "%s range %s on %s \"%s\" lost %s", kind, range_str(ctx, s, e, max),
             owner_kind, owner, missing);
    }
}

static int64_t msg_max(const ac_pb_msg *m)
{
    return m->message_set_wire_format ? MESSAGE_SET_MAX_TAG : MESSAGE_MAX_TAG;
}

void ac_pbcheck_extension_message_no_delete(ac_ctx *ctx, ac_pb_msg *om, ac_pb_msg *nm)
{
    ac_where l = ac_where_elem(nm->file, nm->path), ol = ac_where_elem(om->file, om->path);
    check_ranges(ctx, "extension", "message", nm->full_name, om->ext_ranges, om->next_ranges, nm->ext_ranges,
                 nm->next_ranges, msg_max(nm), &l, &ol, nm->file, om->file);
}

void ac_pbcheck_reserved_message_no_delete(ac_ctx *ctx, ac_pb_msg *om, ac_pb_msg *nm)
{
    ac_where l = ac_where_elem(nm->file, nm->path), ol = ac_where_elem(om->file, om->path);
    check_ranges(ctx, "reserved", "message", nm->full_name, om->reserved, om->nreserved, nm->reserved, nm->nreserved,
                 msg_max(nm), &l, &ol, nm->file, om->file);
    reserved_set rs;
    reserved_begin(ctx, &rs, NULL, 0, nm->reserved_names, nm->nreserved_names);
    for (size_t i = 0; i < om->nreserved_names; i++) {
        if (in_names(&rs, om->reserved_names[i])) continue;
        ac_emit_about(ctx, &l, &ol, nm->file, om->file, nm->full_name, "reserved name \"%s\" was deleted from message \"%s\"",
             om->reserved_names[i], nm->full_name);
    }
    reserved_end(&rs);
}

void ac_pbcheck_message_no_remove_standard_descriptor_accessor(ac_ctx *ctx, ac_pb_msg *om, ac_pb_msg *nm)
{
    if (om->no_standard_descriptor_accessor || !nm->no_standard_descriptor_accessor) return;
    ac_where l, ol;
    if (!loc(nm->file, nm->path, SUF(MSG_OPTIONS, MSGOPT_NO_STD_ACCESSOR), &l)) l = ac_where_elem(nm->file, nm->path);
    if (!loc(om->file, om->path, SUF(MSG_OPTIONS, MSGOPT_NO_STD_ACCESSOR), &ol)) ol = ac_where_elem(om->file, om->path);
    ac_emit_about(ctx, &l, &ol, nm->file, om->file, nm->full_name,
         "message \"%s\" changed option \"no_standard_descriptor_accessor\" from \"false\" to \"true\"", nm->full_name);
}

static const char *json_format_name(int v)
{
    return v == 1 ? "ALLOW" : v == 2 ? "LEGACY_BEST_EFFORT" : "UNKNOWN";
}

void ac_pbcheck_message_same_json_format(ac_ctx *ctx, ac_pb_msg *om, ac_pb_msg *nm)
{
    if (om->features.json_format != 1 || nm->features.json_format == 1) return;
    ac_where l, ol;
    if (!loc(nm->file, nm->path, SUF(MSG_OPTIONS, MSG_FEATURES, FEAT_JSON_FORMAT), &l)) l = ac_where_elem(nm->file, nm->path);
    if (!loc(om->file, om->path, SUF(MSG_OPTIONS, MSG_FEATURES, FEAT_JSON_FORMAT), &ol))
        ol = ac_where_elem(om->file, om->path);
    ac_emit_about(ctx, &l, &ol, nm->file, om->file, nm->full_name, "message \"%s\" changed JSON format from %s to %s",
         nm->full_name, json_format_name(om->features.json_format), json_format_name(nm->features.json_format));
}

void ac_pbcheck_message_same_required_fields(ac_ctx *ctx, ac_pb_msg *om, ac_pb_msg *nm)
{
    ac_intmap oreq, nreq;
    ac_intmap_init(&oreq);
    ac_intmap_init(&nreq);
    for (size_t i = 0; i < om->nfields; i++)
        if (om->fields[i]->label == AC_PB_LABEL_REQUIRED) ac_intmap_put(&oreq, om->fields[i]->number, om->fields[i]);
    for (size_t i = 0; i < nm->nfields; i++)
        if (nm->fields[i]->label == AC_PB_LABEL_REQUIRED) ac_intmap_put(&nreq, nm->fields[i]->number, nm->fields[i]);
    for (size_t i = 0; i < om->nfields; i++) {
        ac_pb_field *f = om->fields[i];
        if (f->label != AC_PB_LABEL_REQUIRED || ac_intmap_has(&nreq, f->number)) continue;
        ac_where l = ac_where_elem(nm->file, nm->path), ol = ac_where_elem(om->file, f->path);
        emit_ev(ctx, ev(f, AC_EL_PB_FIELD), ev(nm, AC_EL_PB_MSG), &l, &ol, nm->file, om->file, nm->full_name,
                "message \"%s\" lost required field %d \"%s\"; peers that still require it reject new messages",
                nm->full_name, f->number, f->name);
    }
    for (size_t i = 0; i < nm->nfields; i++) {
        ac_pb_field *f = nm->fields[i];
        if (f->label != AC_PB_LABEL_REQUIRED || ac_intmap_has(&oreq, f->number)) continue;
        ac_where l = ac_where_elem(nm->file, f->path);
        emit_ev(ctx, ev(om, AC_EL_PB_MSG), ev(f, AC_EL_PB_FIELD), &l, NULL, nm->file, NULL, nm->full_name,
                "message \"%s\" gained required field %d \"%s\"; old peers never send it", nm->full_name, f->number,
                f->name);
    }
    ac_intmap_free(&oreq);
    ac_intmap_free(&nreq);
}

void ac_pbcheck_oneof_no_delete(ac_ctx *ctx, ac_pb_msg *om, ac_pb_msg *nm)
{
    for (size_t i = 0; i < om->noneofs; i++) {
        ac_pb_oneof *o = om->oneofs[i];
        if (o->synthetic) continue;
        bool found = false;
        for (size_t j = 0; j < nm->noneofs && !found; j++) found = strcmp(nm->oneofs[j]->name, o->name) == 0;
        if (found) continue;
        ac_where l = ac_where_elem(nm->file, nm->path), ol = ac_where_elem(om->file, o->path);
        emit_ev(ctx, ev(o, AC_EL_PB_ONEOF), ev(nm, AC_EL_PB_MSG), &l, &ol, nm->file, om->file, nm->full_name,
                "oneof \"%s\" was deleted from message \"%s\"", o->name, nm->full_name);
    }
}

/* ---- fields -------------------------------------------------------------------------------------- */

static bool both_map_entries(const ac_pb_field *of, const ac_pb_field *nf)
{
    return of->parent && nf->parent && of->parent->map_entry && nf->parent->map_entry && !of->extendee;
}

static void cardinality_check(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf, const int *groups)
{
    if (both_map_entries(of, nf)) return;
    ac_pb_cardinality oc = of->cardinality, nc = nf->cardinality;
    if (groups ? groups[oc] == groups[nc] : oc == nc) return;
    ac_where l = ac_where_elem(nf->file, nf->path), ol = ac_where_elem(of->file, of->path);
    ac_emit_about(ctx, &l, &ol, nf->file, of->file, nf->full_name, "%s changed cardinality from \"%s\" to \"%s\"",
         field_desc(ctx, nf), ac_pb_cardinality_name(oc), ac_pb_cardinality_name(nc));
}

void ac_pbcheck_field_same_cardinality(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf)
{
    cardinality_check(ctx, of, nf, NULL);
}

void ac_pbcheck_field_wire_compatible_cardinality(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf)
{
    static const int groups[] = {[AC_CARD_OPTIONAL_EXPLICIT] = 1, [AC_CARD_OPTIONAL_IMPLICIT] = 1,
                                 [AC_CARD_REQUIRED] = 2, [AC_CARD_REPEATED] = 3, [AC_CARD_MAP] = 3};
    cardinality_check(ctx, of, nf, groups);
}

void ac_pbcheck_field_wire_json_compatible_cardinality(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf)
{
    static const int groups[] = {[AC_CARD_OPTIONAL_EXPLICIT] = 1, [AC_CARD_OPTIONAL_IMPLICIT] = 1,
                                 [AC_CARD_REQUIRED] = 2, [AC_CARD_REPEATED] = 3, [AC_CARD_MAP] = 4};
    cardinality_check(ctx, of, nf, groups);
}

/* C++ string type: the ctype option when set, else the pb.cpp string_type feature. */
static void cpp_string_type(const ac_pb_field *f, int *type, bool *piece)
{
    *piece = false;
    if (f->has_ctype && f->file->edition < 1001) {
        switch (f->ctype) {
        case 1: *type = 2; return;                /* CORD */
        case 2: *type = 3; *piece = true; return; /* STRING_PIECE */
        default: *type = 3; return;               /* STRING */
        }
    }
    *type = f->features.cpp_string_type;
}

static const char *cpp_type_name(int t, bool piece)
{
    if (piece) return "STRING_PIECE";
    return t == 1 ? "VIEW" : t == 2 ? "CORD" : t == 3 ? "STRING" : "UNKNOWN";
}

void ac_pbcheck_field_same_cpp_string_type(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf)
{
    if (both_map_entries(of, nf)) return;
    if ((of->kind != AC_PB_STRING && of->kind != AC_PB_BYTES) || (nf->kind != AC_PB_STRING && nf->kind != AC_PB_BYTES))
        return;
    int ot, nt;
    bool op, np;
    cpp_string_type(of, &ot, &op);
    cpp_string_type(nf, &nt, &np);
    if (ot == nt && op == np) return;
    if (op && nt == 3) return; /* string_piece to string is safe */
    ac_where l, ol;
    if (!loc(nf->file, nf->path, SUF(FIELD_OPTIONS, FIELDOPT_CTYPE), &l) &&
        !loc(nf->file, nf->path, SUF(FIELD_OPTIONS, FIELDOPT_FEATURES, FEAT_CPP, 2), &l))
        l = ac_where_elem(nf->file, nf->path);
    if (!loc(of->file, of->path, SUF(FIELD_OPTIONS, FIELDOPT_CTYPE), &ol) &&
        !loc(of->file, of->path, SUF(FIELD_OPTIONS, FIELDOPT_FEATURES, FEAT_CPP, 2), &ol))
        ol = ac_where_elem(of->file, of->path);
    ac_emit_about(ctx, &l, &ol, nf->file, of->file, nf->full_name, "%s changed C++ string type from %s to %s",
         field_desc(ctx, nf), cpp_type_name(ot, op), cpp_type_name(nt, np));
}

/* Java UTF-8 validation: java_string_check_utf8 outside editions (or when set), else the
 * pb.java utf8_validation feature; either way VERIFY wins over the field's own validation. */
static int java_utf8(const ac_pb_field *f)
{
    int base = f->features.utf8_validation;
    if (f->file->syntax != AC_SYNTAX_EDITIONS || f->file->opt.has_java_string_check_utf8)
        return f->file->opt.java_string_check_utf8 ? 2 : base;
    return f->features.java_utf8 == 2 ? 2 : base;
}

static const char *utf8_name(int v)
{
    return v == 2 ? "VERIFY" : v == 3 ? "NONE" : "UNKNOWN";
}

void ac_pbcheck_field_same_java_utf8_validation(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf)
{
    if (of->kind != AC_PB_STRING || nf->kind != AC_PB_STRING) return;
    int ov = java_utf8(of), nv = java_utf8(nf);
    if (ov == nv) return;
    ac_where l, ol;
    if (!loc(nf->file, (ac_path){0}, SUF(FILE_OPTIONS, FILEOPT_JAVA_STRING_CHECK_UTF8), &l) &&
        !loc(nf->file, nf->path, SUF(FIELD_OPTIONS, FIELDOPT_FEATURES, FEAT_JAVA, 2), &l))
        l = ac_where_elem(nf->file, nf->path);
    if (!loc(of->file, (ac_path){0}, SUF(FILE_OPTIONS, FILEOPT_JAVA_STRING_CHECK_UTF8), &ol) &&
        !loc(of->file, of->path, SUF(FIELD_OPTIONS, FIELDOPT_FEATURES, FEAT_JAVA, 2), &ol))
        ol = ac_where_elem(of->file, of->path);
    ac_emit_about(ctx, &l, &ol, nf->file, of->file, nf->full_name, "%s changed Java UTF-8 validation from %s to %s",
         field_desc(ctx, nf), utf8_name(ov), utf8_name(nv));
}

void ac_pbcheck_field_same_utf8_validation(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf)
{
    if (of->kind != AC_PB_STRING || nf->kind != AC_PB_STRING) return;
    if (of->features.utf8_validation == nf->features.utf8_validation) return;
    ac_where l, ol;
    if (!loc(nf->file, nf->path, SUF(FIELD_OPTIONS, FIELDOPT_FEATURES, FEAT_UTF8), &l)) l = ac_where_elem(nf->file, nf->path);
    if (!loc(of->file, of->path, SUF(FIELD_OPTIONS, FIELDOPT_FEATURES, FEAT_UTF8), &ol))
        ol = ac_where_elem(of->file, of->path);
    ac_emit_about(ctx, &l, &ol, nf->file, of->file, nf->full_name, "%s changed UTF-8 validation from %s to %s",
         field_desc(ctx, nf), utf8_name(of->features.utf8_validation), utf8_name(nf->features.utf8_validation));
}

void ac_pbcheck_field_same_json_name(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf)
{
    if (of->extendee) return; /* extensions cannot set json_name */
    if (strcmp(of->json_name, nf->json_name) == 0) return;
    ac_where l, ol;
    if (!loc(nf->file, nf->path, SUF(FIELD_JSON_NAME), &l)) l = ac_where_elem(nf->file, nf->path);
    if (!loc(of->file, of->path, SUF(FIELD_JSON_NAME), &ol)) ol = ac_where_elem(of->file, of->path);
    ac_emit_about(ctx, &l, &ol, nf->file, of->file, nf->full_name, "%s changed JSON name from \"%s\" to \"%s\"",
         field_desc(ctx, nf), of->json_name, nf->json_name);
}

static bool is_64bit_int(int t)
{
    return t == AC_PB_INT64 || t == AC_PB_SINT64 || t == AC_PB_UINT64 || t == AC_PB_FIXED64 || t == AC_PB_SFIXED64;
}

static const char *jstype_name(int v)
{
    return v == 1 ? "JS_STRING" : v == 2 ? "JS_NUMBER" : "JS_NORMAL";
}

void ac_pbcheck_field_same_jstype(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf)
{
    if (!is_64bit_int(of->type) || !is_64bit_int(nf->type) || of->jstype == nf->jstype) return;
    ac_where l, ol;
    if (!loc(nf->file, nf->path, SUF(FIELD_OPTIONS, FIELDOPT_JSTYPE), &l)) l = ac_where_elem(nf->file, nf->path);
    if (!loc(of->file, of->path, SUF(FIELD_OPTIONS, FIELDOPT_JSTYPE), &ol)) ol = ac_where_elem(of->file, of->path);
    ac_emit_about(ctx, &l, &ol, nf->file, of->file, nf->full_name, "%s changed option \"jstype\" from %s to %s",
         field_desc(ctx, nf), jstype_name(of->jstype), jstype_name(nf->jstype));
}

void ac_pbcheck_field_same_name(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf)
{
    const char *on = of->extendee ? of->full_name : of->name, *nn = nf->extendee ? nf->full_name : nf->name;
    if (strcmp(on, nn) == 0) return;
    ac_where l, ol;
    if (!loc(nf->file, nf->path, SUF(FIELD_NAME), &l)) l = ac_where_elem(nf->file, nf->path);
    if (!loc(of->file, of->path, SUF(FIELD_NAME), &ol)) ol = ac_where_elem(of->file, of->path);
    if (nf->extendee)
        ac_emit_about(ctx, &l, &ol, nf->file, of->file, nf->full_name, "extension %d of message \"%s\" changed name from \"%s\" to \"%s\"",
             nf->number, nf->extendee, on, nn);
    else
        ac_emit_about(ctx, &l, &ol, nf->file, of->file, nf->full_name, "field %d on message \"%s\" changed name from \"%s\" to \"%s\"",
             nf->number, nf->parent->full_name, on, nn);
}

void ac_pbcheck_field_same_oneof(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf)
{
    if (of->extendee) return;
    const ac_pb_oneof *oo = of->oneof && !of->oneof->synthetic ? of->oneof : NULL;
    const ac_pb_oneof *no = nf->oneof && !nf->oneof->synthetic ? nf->oneof : NULL;
    if (!oo && !no) return;
    if (oo && no && strcmp(oo->name, no->name) == 0) return;
    ac_where l = ac_where_elem(nf->file, nf->path), ol = ac_where_elem(of->file, of->path);
    if (oo && no)
        ac_emit_about(ctx, &l, &ol, nf->file, of->file, nf->full_name, "%s moved from oneof \"%s\" to oneof \"%s\"",
             field_desc(ctx, nf), oo->name, no->name);
    else if (oo)
        ac_emit_about(ctx, &l, &ol, nf->file, of->file, nf->full_name, "%s moved out of oneof \"%s\"", field_desc(ctx, nf),
             oo->name);
    else
        ac_emit_about(ctx, &l, &ol, nf->file, of->file, nf->full_name, "%s moved into oneof \"%s\"", field_desc(ctx, nf),
             no->name);
}

static const char *kind_desc(const ac_pb_field *f)
{
    if (f->kind == AC_PB_GROUP && f->file->syntax != AC_SYNTAX_PROTO2) return "message (delimited encoding)";
    return ac_pb_kind_name(f->kind);
}

static bool kind_has_type_name(int k)
{
    return k == AC_PB_MESSAGE || k == AC_PB_ENUM || k == AC_PB_GROUP;
}

/* The span of a field's type.  A proto2 group's type is its `group` keyword (where buf's compiler
 * puts it; protoc records the type name at the group's name). */
static int32_t type_suffix(const ac_pb_field *f, bool by_kind)
{
    if (f->type == AC_PB_GROUP && f->file->syntax == AC_SYNTAX_PROTO2) return FIELD_TYPE;
    return !by_kind || kind_has_type_name(f->kind) ? FIELD_TYPE_NAME : FIELD_TYPE;
}

static void type_locs(ac_pb_field *of, ac_pb_field *nf, bool by_kind, ac_where *l, ac_where *ol)
{
    int32_t nsuf = type_suffix(nf, by_kind), osuf = type_suffix(of, by_kind);
    if (!loc(nf->file, nf->path, &nsuf, 1, l)) *l = ac_where_elem(nf->file, nf->path);
    if (!loc(of->file, of->path, &osuf, 1, ol)) *ol = ac_where_elem(of->file, of->path);
}

static void changed_kind(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf, const char *extra)
{
    ac_where l, ol;
    type_locs(of, nf, true, &l, &ol);
    ac_emit_about(ctx, &l, &ol, nf->file, of->file, nf->full_name, "%s changed type from \"%s\" to \"%s\"%s", field_desc(ctx, nf),
         kind_desc(of), kind_desc(nf), extra ? extra : "");
}

static void changed_type_name(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf)
{
    ac_where l, ol;
    type_locs(of, nf, false, &l, &ol);
    ac_emit_about(ctx, &l, &ol, nf->file, of->file, nf->full_name, "%s changed type from \"%s\" to \"%s\"", field_desc(ctx, nf),
         of->type_name ? of->type_name : "", nf->type_name ? nf->type_name : "");
}

void ac_pbcheck_field_same_type(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf)
{
    if (of->kind != nf->kind) {
        changed_kind(ctx, of, nf, NULL);
        return;
    }
    if (kind_has_type_name(nf->type) && strcmp(of->type_name ? of->type_name : "", nf->type_name ? nf->type_name : ""))
        changed_type_name(ctx, of, nf);
}

/* An enum may replace another when it has the same short name and keeps every old value. */
static void enum_compatible(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf)
{
    ac_pb_enum *oe = of->enum_type, *ne = nf->enum_type;
    bool ok = oe && ne && strcmp(oe->name, ne->name) == 0;
    if (ok) {
        ac_strmap by_name;
        ac_strmap_init(&by_name);
        for (size_t j = 0; j < ne->nvalues; j++) ac_strmap_add(&by_name, ne->values[j]->name, ne->values[j]);
        for (size_t i = 0; ok && i < oe->nvalues; i++) {
            const ac_pb_enum_value *v = ac_strmap_get(&by_name, oe->values[i]->name);
            ok = v && v->number == oe->values[i]->number;
        }
        ac_strmap_free(&by_name);
    }
    if (!ok) changed_type_name(ctx, of, nf);
}

static void wire_type_check(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf, const int *groups, bool json)
{
    if (groups[of->kind] != groups[nf->kind]) {
        if (!json && of->kind == AC_PB_STRING && nf->kind == AC_PB_BYTES) return;
        const char *extra = NULL;
        if (!json && of->kind == AC_PB_BYTES && nf->kind == AC_PB_STRING)
            extra = "; old bytes that are not valid UTF-8 fail to parse as string";
        changed_kind(ctx, of, nf, extra);
        return;
    }
    if (nf->kind == AC_PB_ENUM && strcmp(of->type_name, nf->type_name)) {
        enum_compatible(ctx, of, nf);
    } else if ((nf->kind == AC_PB_MESSAGE || nf->kind == AC_PB_GROUP) && strcmp(of->type_name, nf->type_name)) {
        changed_type_name(ctx, of, nf);
    }
}

void ac_pbcheck_field_wire_compatible_type(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf)
{
    static const int groups[] = {
        [AC_PB_INT32] = 1,   [AC_PB_INT64] = 1,    [AC_PB_UINT32] = 1,   [AC_PB_UINT64] = 1,  [AC_PB_BOOL] = 1,
        [AC_PB_SINT32] = 2,  [AC_PB_SINT64] = 2,   [AC_PB_STRING] = 3,   [AC_PB_BYTES] = 4,   [AC_PB_FIXED32] = 5,
        [AC_PB_SFIXED32] = 5, [AC_PB_FIXED64] = 6, [AC_PB_SFIXED64] = 6, [AC_PB_DOUBLE] = 7,  [AC_PB_FLOAT] = 8,
        [AC_PB_GROUP] = 9,   [AC_PB_MESSAGE] = 10, [AC_PB_ENUM] = 11,
    };
    wire_type_check(ctx, of, nf, groups, false);
}

void ac_pbcheck_field_wire_json_compatible_type(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf)
{
    static const int groups[] = {
        [AC_PB_INT32] = 1,    [AC_PB_UINT32] = 1,   [AC_PB_INT64] = 2,   [AC_PB_UINT64] = 2,   [AC_PB_FIXED32] = 3,
        [AC_PB_SFIXED32] = 3, [AC_PB_FIXED64] = 4,  [AC_PB_SFIXED64] = 4, [AC_PB_BOOL] = 5,    [AC_PB_SINT32] = 6,
        [AC_PB_SINT64] = 7,   [AC_PB_STRING] = 8,   [AC_PB_BYTES] = 9,   [AC_PB_DOUBLE] = 10, [AC_PB_FLOAT] = 11,
        [AC_PB_GROUP] = 12,   [AC_PB_MESSAGE] = 13, [AC_PB_ENUM] = 14,
    };
    wire_type_check(ctx, of, nf, groups, true);
}

/* ---- default values ------------------------------------------------------------------------------ */

typedef struct defval {
    bool is_string, is_nan, is_float32;
    const char *str; /* strings and bytes: the value as written */
    long double num;
    const char *printable;
} defval;

static defval field_default(ac_ctx *ctx, const ac_pb_field *f)
{
    defval d;
    memset(&d, 0, sizeof d);
    const char *v = f->has_default ? f->default_value : NULL;
    if (f->kind == AC_PB_STRING || f->kind == AC_PB_BYTES) {
        d.is_string = true;
        d.str = v ? v : "";
        d.printable = q(ctx, d.str);
        return d;
    }
    if (f->kind == AC_PB_ENUM) {
        const ac_pb_enum *e = f->enum_type;
        const ac_pb_enum_value *ev = NULL;
        if (e && v) {
            for (size_t i = 0; i < e->nvalues && !ev; i++)
                if (strcmp(e->values[i]->name, v) == 0) ev = e->values[i];
        } else if (e && e->nvalues) {
            ev = e->values[0];
        }
        d.num = ev ? ev->number : 0;
        d.printable = ev ? ac_arena_printf(ctx->scratch, "%s.%s", e->name, ev->name) : "0";
        return d;
    }
    d.printable = v ? v : (f->kind == AC_PB_BOOL ? "false" : "0");
    d.is_float32 = f->kind == AC_PB_FLOAT;
    if (!v) return d;
    if (f->kind == AC_PB_BOOL) {
        d.num = strcmp(v, "true") == 0;
    } else if (!strcmp(v, "nan") || !strcmp(v, "-nan")) {
        d.is_nan = true;
    } else if (!strcmp(v, "inf") || !strcmp(v, "-inf")) {
        d.num = v[0] == '-' ? -INFINITY : INFINITY;
    } else if (f->kind == AC_PB_FLOAT) {
        d.num = strtof(v, NULL);
    } else if (f->kind == AC_PB_DOUBLE) {
        d.num = strtod(v, NULL);
    } else if (v[0] == '-') {
        d.num = (long double)strtoll(v, NULL, 0);
    } else {
        d.num = (long double)strtoull(v, NULL, 0);
    }
    return d;
}

static bool default_is_zero(const defval *d)
{
    return d->is_string ? d->str[0] == 0 : (!d->is_nan && d->num == 0);
}

static bool defaults_equal(const defval *a, const defval *b)
{
    if (a->is_string || b->is_string) return a->is_string && b->is_string && strcmp(a->str, b->str) == 0;
    if (a->is_nan || b->is_nan) return a->is_nan && b->is_nan;
    if (a->is_float32 != b->is_float32) return (float)a->num == (float)b->num;
    return a->num == b->num;
}

void ac_pbcheck_field_same_default(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf)
{
    if (of->label == AC_PB_LABEL_REPEATED || nf->label == AC_PB_LABEL_REPEATED) return;
    if (of->kind == AC_PB_MESSAGE || of->kind == AC_PB_GROUP || nf->kind == AC_PB_MESSAGE || nf->kind == AC_PB_GROUP)
        return;
    defval od = field_default(ctx, of), nd = field_default(ctx, nf);
    if (default_is_zero(&od) && default_is_zero(&nd)) return;
    if (defaults_equal(&od, &nd)) return;
    ac_where l, ol;
    if (!loc(nf->file, nf->path, SUF(FIELD_DEFAULT), &l)) l = ac_where_elem(nf->file, nf->path);
    if (!loc(of->file, of->path, SUF(FIELD_DEFAULT), &ol)) ol = ac_where_elem(of->file, of->path);
    ac_emit_about(ctx, &l, &ol, nf->file, of->file, nf->full_name, "%s changed default value from %s to %s", field_desc(ctx, nf),
         od.printable, nd.printable);
}

/* ---- enums --------------------------------------------------------------------------------------- */

void ac_pbcheck_enum_same_type(ac_ctx *ctx, ac_pb_enum *oe, ac_pb_enum *ne)
{
    if (oe->closed == ne->closed) return;
    ac_where l, ol;
    if (!loc(ne->file, ne->path, SUF(ENUM_OPTIONS, ENUM_FEATURES, FEAT_ENUM_TYPE), &l)) l = ac_where_elem(ne->file, ne->path);
    if (!loc(oe->file, oe->path, SUF(ENUM_OPTIONS, ENUM_FEATURES, FEAT_ENUM_TYPE), &ol)) ol = ac_where_elem(oe->file, oe->path);
    ac_emit_about(ctx, &l, &ol, ne->file, oe->file, ne->full_name, "enum \"%s\" changed from %s to %s", ne->full_name,
         oe->closed ? "closed" : "open", ne->closed ? "closed" : "open");
}

void ac_pbcheck_enum_same_json_format(ac_ctx *ctx, ac_pb_enum *oe, ac_pb_enum *ne)
{
    if (oe->features.json_format != 1 || ne->features.json_format == 1) return;
    ac_where l, ol;
    if (!loc(ne->file, ne->path, SUF(ENUM_OPTIONS, ENUM_FEATURES, FEAT_JSON_FORMAT), &l)) l = ac_where_elem(ne->file, ne->path);
    if (!loc(oe->file, oe->path, SUF(ENUM_OPTIONS, ENUM_FEATURES, FEAT_JSON_FORMAT), &ol))
        ol = ac_where_elem(oe->file, oe->path);
    ac_emit_about(ctx, &l, &ol, ne->file, oe->file, ne->full_name, "enum \"%s\" changed JSON format from %s to %s",
         ne->full_name, json_format_name(oe->features.json_format), json_format_name(ne->features.json_format));
}

static void enum_value_deleted(ac_ctx *ctx, ac_pb_enum *oe, ac_pb_enum *ne, int unless)
{
    ac_intmap have, first;
    ac_intmap_init(&have);
    ac_intmap_init(&first);
    for (size_t i = 0; i < ne->nvalues; i++) ac_intmap_put(&have, ne->values[i]->number, ne->values[i]);
    /* chain the old values that share a number (aliases), first to last */
    size_t *next = ac_arena_alloc(ctx->scratch, (oe->nvalues ? oe->nvalues : 1) * sizeof *next);
    for (size_t i = oe->nvalues; i-- > 0;) {
        next[i] = (size_t)(uintptr_t)ac_intmap_get(&first, oe->values[i]->number);
        ac_intmap_put(&first, oe->values[i]->number, (void *)(uintptr_t)(i + 1));
    }
    reserved_set rs;
    reserved_begin(ctx, &rs, ne->reserved, ne->nreserved, ne->reserved_names, ne->nreserved_names);
    for (size_t i = 0; i < oe->nvalues; i++) {
        ac_pb_enum_value *v = oe->values[i];
        if (ac_intmap_has(&have, v->number) || (size_t)(uintptr_t)ac_intmap_get(&first, v->number) != i + 1) continue;
        char names[1024];
        size_t nlen = 0;
        bool all_reserved = true;
        names[0] = 0;
        for (size_t j = i + 1; j; j = next[j - 1]) {
            const ac_pb_enum_value *a = oe->values[j - 1];
            if (!in_names(&rs, a->name)) all_reserved = false;
            nlen += (size_t)snprintf(names + nlen, nlen < sizeof names ? sizeof names - nlen : 0, "%s\"%s\"",
                                     nlen ? ", " : "", a->name);
        }
        if (unless == 1 && in_ranges(&rs, v->number)) continue;
        if (unless == 2 && all_reserved) continue;
        ac_where l = ac_where_elem(ne->file, ne->path), ol = ac_where_elem(oe->file, v->path);
        const char *why = unless == 1 ? ac_arena_printf(ctx->scratch, " without reserving number %d", v->number)
                          : unless == 2 ? ac_arena_printf(ctx->scratch, " without reserving its name")
                                        : "";
        /* the element is the value itself, so an ignore can name one value */
        emit_ev(ctx, ev(v, AC_EL_PB_ENUM_VALUE), ev(ne, AC_EL_PB_ENUM), &l, &ol, ne->file, oe->file,
                enum_value_name(ctx, ne, v->name), "enum value %d (%s) was deleted from enum \"%s\"%s", v->number, names,
                ne->full_name, why);
    }
    reserved_end(&rs);
    ac_intmap_free(&have);
    ac_intmap_free(&first);
}

void ac_pbcheck_enum_value_no_delete(ac_ctx *ctx, ac_pb_enum *oe, ac_pb_enum *ne)
{
    enum_value_deleted(ctx, oe, ne, 0);
}

void ac_pbcheck_enum_value_no_delete_unless_number_reserved(ac_ctx *ctx, ac_pb_enum *oe, ac_pb_enum *ne)
{
    enum_value_deleted(ctx, oe, ne, 1);
}

void ac_pbcheck_enum_value_no_delete_unless_name_reserved(ac_ctx *ctx, ac_pb_enum *oe, ac_pb_enum *ne)
{
    enum_value_deleted(ctx, oe, ne, 2);
}

void ac_pbcheck_reserved_enum_no_delete(ac_ctx *ctx, ac_pb_enum *oe, ac_pb_enum *ne)
{
    ac_where l = ac_where_elem(ne->file, ne->path), ol = ac_where_elem(oe->file, oe->path);
    check_ranges(ctx, "reserved", "enum", ne->full_name, oe->reserved, oe->nreserved, ne->reserved, ne->nreserved,
                 ENUM_MAX_TAG, &l, &ol, ne->file, oe->file);
    reserved_set rs;
    reserved_begin(ctx, &rs, NULL, 0, ne->reserved_names, ne->nreserved_names);
    for (size_t i = 0; i < oe->nreserved_names; i++) {
        if (in_names(&rs, oe->reserved_names[i])) continue;
        ac_emit_about(ctx, &l, &ol, ne->file, oe->file, ne->full_name, "reserved name \"%s\" was deleted from enum \"%s\"",
             oe->reserved_names[i], ne->full_name);
    }
    reserved_end(&rs);
}

static const char *names_list(ac_ctx *ctx, const ac_enum_group *g)
{
    char buf[1024];
    size_t n = 0;
    buf[0] = 0;
    for (size_t i = 0; i < g->n && n < sizeof buf; i++) /* the list is cut at the buffer's size */
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\"%s\"", i ? ", " : "", g->values[i]->name);
    return ac_arena_strdup(ctx->scratch, buf);
}

void ac_pbcheck_enum_value_same_name(ac_ctx *ctx, const ac_enum_group *og, const ac_enum_group *ng)
{
    /* every old name must still have this number: aliases may be added, not removed or renamed */
    /* both groups are sorted by name: one walk over the two, whatever the number of aliases */
    bool contained = true;
    for (size_t i = 0, j = 0; i < og->n && contained; i++) {
        while (j < ng->n && strcmp(ng->values[j]->name, og->values[i]->name) < 0) j++;
        contained = j < ng->n && strcmp(ng->values[j]->name, og->values[i]->name) == 0;
    }
    if (contained) return;
    const char *on = names_list(ctx, og), *nn = names_list(ctx, ng);
    ac_pb_enum *ne = ng->parent, *oe = og->parent;
    /* for the prover: an old name the new number no longer has */
    const ac_pb_enum_value *gone = NULL;
    for (size_t i = 0, j = 0; i < og->n && !gone; i++) {
        while (j < ng->n && strcmp(ng->values[j]->name, og->values[i]->name) < 0) j++;
        if (!(j < ng->n && strcmp(ng->values[j]->name, og->values[i]->name) == 0)) gone = og->values[i];
    }
    for (size_t i = 0, j = 0; i < ng->n; i++) {
        ac_pb_enum_value *v = ng->values[i];
        ac_where l, ol = {0};
        if (!loc(ne->file, v->path, SUF(ENUMVAL_NUMBER), &l)) l = ac_where_elem(ne->file, v->path);
        bool have_old = false;
        while (j < og->n && strcmp(og->values[j]->name, v->name) < 0) j++;
        if (j < og->n && strcmp(og->values[j]->name, v->name) == 0)
            have_old = loc(oe->file, og->values[j]->path, SUF(ENUMVAL_NUMBER), &ol);
        if (!have_old && og->n) ol = ac_where_elem(oe->file, og->values[0]->path);
        emit_ev(ctx, ev(gone, AC_EL_PB_ENUM_VALUE), ev(v, AC_EL_PB_ENUM_VALUE), &l, &ol, ne->file, oe->file,
                enum_value_name(ctx, ne, v->name), "enum value %d on enum \"%s\" changed name from %s to %s", v->number,
                ne->full_name, on, nn);
    }
}

/* ---- services ------------------------------------------------------------------------------------ */

void ac_pbcheck_rpc_no_delete(ac_ctx *ctx, ac_pb_service *os, ac_pb_service *ns)
{
    for (size_t i = 0; i < os->nmethods; i++) {
        bool found = false;
        for (size_t j = 0; j < ns->nmethods && !found; j++) found = strcmp(ns->methods[j]->name, os->methods[i]->name) == 0;
        if (found) continue;
        ac_where l = ac_where_elem(ns->file, ns->path), ol = ac_where_elem(os->file, os->methods[i]->path);
        emit_ev(ctx, ev(os->methods[i], AC_EL_PB_METHOD), ev(ns, AC_EL_PB_SERVICE), &l, &ol, ns->file, os->file,
                ac_arena_printf(ctx->scratch, "%s.%s", ns->full_name, os->methods[i]->name),
                "RPC \"%s\" was deleted from service \"%s\"", os->methods[i]->name, ns->full_name);
    }
}

static void streaming(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm, bool ov, bool nv, const char *side)
{
    if (ov == nv) return;
    ac_where l = ac_where_elem(nm->service->file, nm->path), ol = ac_where_elem(om->service->file, om->path);
    ac_emit_about(ctx, &l, &ol, nm->service->file, om->service->file, method_name(ctx, nm),
         "RPC \"%s\" on service \"%s\" changed from %s %s to %s %s", nm->name, nm->service->full_name, side,
         ov ? "streaming" : "unary", side, nv ? "streaming" : "unary");
}

void ac_pbcheck_rpc_same_client_streaming(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm)
{
    streaming(ctx, om, nm, om->client_streaming, nm->client_streaming, "client");
}

void ac_pbcheck_rpc_same_server_streaming(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm)
{
    streaming(ctx, om, nm, om->server_streaming, nm->server_streaming, "server");
}

static const char *idempotency_name(ac_pb_idempotency v)
{
    switch (v) {
    case AC_PB_NO_SIDE_EFFECTS: return "NO_SIDE_EFFECTS";
    case AC_PB_IDEMPOTENT: return "IDEMPOTENT";
    default: return "IDEMPOTENCY_UNKNOWN";
    }
}

void ac_pbcheck_rpc_same_idempotency_level(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm)
{
    if (om->idempotency == nm->idempotency) return;
    ac_pb_file *nf = nm->service->file, *of = om->service->file;
    ac_where l, ol;
    if (!loc(nf, nm->path, SUF(METHOD_OPTIONS, METHODOPT_IDEMPOTENCY), &l)) l = file_loc(nf);
    if (!loc(of, om->path, SUF(METHOD_OPTIONS, METHODOPT_IDEMPOTENCY), &ol)) ol = file_loc(of);
    ac_emit_about(ctx, &l, &ol, nf, of, method_name(ctx, nm),
         "RPC \"%s\" on service \"%s\" changed option \"idempotency_level\" from %s to %s", nm->name,
         nm->service->full_name, idempotency_name(om->idempotency), idempotency_name(nm->idempotency));
}

static void rpc_type(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm, const char *ot, const char *nt, int32_t num,
                     const char *what)
{
    if (strcmp(ot, nt) == 0) return;
    ac_pb_file *nf = nm->service->file, *of = om->service->file;
    ac_where l, ol;
    if (!loc(nf, nm->path, &num, 1, &l)) l = ac_where_elem(nf, nm->path);
    if (!loc(of, om->path, &num, 1, &ol)) ol = ac_where_elem(of, om->path);
    ac_emit_about(ctx, &l, &ol, nf, of, method_name(ctx, nm), "RPC \"%s\" on service \"%s\" changed %s type from \"%s\" to \"%s\"",
         nm->name, nm->service->full_name, what, ot, nt);
}

void ac_pbcheck_rpc_same_request_type(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm)
{
    rpc_type(ctx, om, nm, om->input_type, nm->input_type, METHOD_INPUT, "request");
}

void ac_pbcheck_rpc_same_response_type(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm)
{
    rpc_type(ctx, om, nm, om->output_type, nm->output_type, METHOD_OUTPUT, "response");
}

/* ---- additions (info level: what `changelog` lists) ------------------------------------------ */

static bool old_has_file(const ac_ctx *ctx, const char *name)
{
    for (size_t i = 0; i < ctx->old->nfiles; i++)
        if (!ctx->old->files[i]->is_import && !strcmp(ctx->old->files[i]->name, name)) return true;
    return false;
}

void ac_pbcheck_file_added(ac_ctx *ctx)
{
    for (size_t i = 0; i < ctx->new->nfiles; i++) {
        ac_pb_file *nf = ctx->new->files[i];
        if (nf->is_import || old_has_file(ctx, nf->name)) continue;
        ac_where l, ol = no_loc();
        l = file_loc(nf);
        ac_emit_about(ctx, &l, &ol, nf, NULL, nf->name, "file \"%s\" was added", nf->name);
    }
}

void ac_pbcheck_package_added(ac_ctx *ctx)
{
    ac_strmap oldp, seen;
    packages_of(ctx->old, &oldp);
    ac_strmap_init(&seen);
    for (size_t i = 0; i < ctx->new->nfiles; i++) {
        ac_pb_file *nf = ctx->new->files[i];
        if (nf->is_import || ac_strmap_get(&oldp, nf->package)) continue;
        ac_pb_file *first = ac_strmap_get(&seen, nf->package);
        if (!first || strcmp(nf->name, first->name) < 0) ac_strmap_put(&seen, nf->package, nf);
    }
    for (size_t i = 0; i < seen.cap; i++) {
        if (!seen.e[i].key) continue;
        ac_pb_file *nf = seen.e[i].val;
        ac_where l, ol = no_loc();
        l = file_loc(nf);
        ac_emit_about(ctx, &l, &ol, nf, NULL, nf->package, "package \"%s\" was added", nf->package);
    }
    ac_strmap_free(&oldp);
    ac_strmap_free(&seen);
}

void ac_pbcheck_service_added(ac_ctx *ctx)
{
    ac_strmap olds;
    ac_strmap_init(&olds);
    for (size_t i = 0; i < ctx->old->nfiles; i++)
        if (!ctx->old->files[i]->is_import)
            for (size_t j = 0; j < ctx->old->files[i]->nservices; j++)
                ac_strmap_put(&olds, ctx->old->files[i]->services[j]->full_name, ctx->old->files[i]->services[j]);
    for (size_t i = 0; i < ctx->new->nfiles; i++) {
        ac_pb_file *nf = ctx->new->files[i];
        if (nf->is_import) continue;
        for (size_t j = 0; j < nf->nservices; j++) {
            ac_pb_service *s = nf->services[j];
            if (ac_strmap_get(&olds, s->full_name)) continue;
            ac_where l = ac_where_elem(nf, s->path), ol = no_loc();
            ac_emit_about(ctx, &l, &ol, nf, NULL, s->full_name, "service \"%s\" was added", s->full_name);
        }
    }
    ac_strmap_free(&olds);
}

void ac_pbcheck_rpc_added(ac_ctx *ctx, ac_pb_service *os, ac_pb_service *ns)
{
    ac_strmap had;
    ac_strmap_init(&had);
    for (size_t k = 0; k < os->nmethods; k++) ac_strmap_put(&had, os->methods[k]->name, os->methods[k]);
    for (size_t i = 0; i < ns->nmethods; i++) {
        ac_pb_method *m = ns->methods[i];
        if (ac_strmap_get(&had, m->name)) continue;
        ac_where l = ac_where_elem(ns->file, m->path), ol = no_loc();
        ac_emit_about(ctx, &l, &ol, ns->file, os->file, method_name(ctx, m), "RPC \"%s\" was added to service \"%s\"", m->name,
             ns->full_name);
    }
    ac_strmap_free(&had);
}

void ac_pbcheck_message_added(ac_ctx *ctx)
{
    for (size_t i = 0; i < ctx->new->nfiles; i++) {
        ac_pb_file *nf = ctx->new->files[i];
        if (nf->is_import) continue;
        for (size_t j = 0; j < nf->nmsgs; j++) {
            ac_pb_msg *m = nf->msgs[j];
            if (m->map_entry || ac_strmap_get(&ctx->old->msg_by_name, m->full_name)) continue;
            ac_where l = ac_where_elem(nf, m->path), ol = no_loc();
            ac_emit_about(ctx, &l, &ol, nf, NULL, m->full_name, "message \"%s\" was added", m->full_name);
        }
    }
}

void ac_pbcheck_field_added(ac_ctx *ctx, ac_pb_msg *om, ac_pb_msg *nm)
{
    if (nm->map_entry) return;
    ac_intmap had;
    ac_intmap_init(&had);
    for (size_t k = 0; k < om->nfields; k++) ac_intmap_put(&had, om->fields[k]->number, om->fields[k]);
    for (size_t i = 0; i < nm->nfields; i++) {
        ac_pb_field *f = nm->fields[i];
        if (ac_intmap_has(&had, f->number)) continue;
        ac_where l = ac_where_elem(nm->file, f->path), ol = no_loc();
        ac_emit_about(ctx, &l, &ol, nm->file, om->file, f->full_name, "field %d \"%s\" was added to message \"%s\"", (int)f->number,
             f->name, nm->full_name);
    }
    ac_intmap_free(&had);
}

void ac_pbcheck_enum_added(ac_ctx *ctx)
{
    for (size_t i = 0; i < ctx->new->nfiles; i++) {
        ac_pb_file *nf = ctx->new->files[i];
        if (nf->is_import) continue;
        for (size_t j = 0; j < nf->nenums; j++) {
            ac_pb_enum *e = nf->enums[j];
            if (ac_strmap_get(&ctx->old->enum_by_name, e->full_name)) continue;
            ac_where l = ac_where_elem(nf, e->path), ol = no_loc();
            ac_emit_about(ctx, &l, &ol, nf, NULL, e->full_name, "enum \"%s\" was added", e->full_name);
        }
    }
}

void ac_pbcheck_enum_value_added(ac_ctx *ctx, ac_pb_enum *oe, ac_pb_enum *ne)
{
    ac_intmap had;
    ac_intmap_init(&had);
    for (size_t k = 0; k < oe->nvalues; k++) ac_intmap_put(&had, oe->values[k]->number, oe->values[k]);
    for (size_t i = 0; i < ne->nvalues; i++) {
        ac_pb_enum_value *v = ne->values[i];
        if (ac_intmap_has(&had, v->number)) continue;
        ac_where l = ac_where_elem(ne->file, v->path), ol = no_loc();
        ac_emit_about(ctx, &l, &ol, ne->file, oe->file, enum_value_name(ctx, ne, v->name), "enum value %d \"%s\" was added to enum \"%s\"",
             (int)v->number, v->name, ne->full_name);
    }
    ac_intmap_free(&had);
}

/* ---- deprecations (info level) --------------------------------------------------------------- */

void ac_pbcheck_service_deprecated(ac_ctx *ctx, ac_pb_service *os, ac_pb_service *ns)
{
    if (os->deprecated || !ns->deprecated) return;
    ac_where l = ac_where_elem(ns->file, ns->path), ol = ac_where_elem(os->file, os->path);
    ac_emit_about(ctx, &l, &ol, ns->file, os->file, ns->full_name, "service \"%s\" became deprecated", ns->full_name);
}

void ac_pbcheck_rpc_deprecated(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm)
{
    if (om->deprecated || !nm->deprecated) return;
    ac_where l = ac_where_elem(nm->service->file, nm->path), ol = ac_where_elem(om->service->file, om->path);
    ac_emit_about(ctx, &l, &ol, nm->service->file, om->service->file, method_name(ctx, nm),
         "RPC \"%s\" on service \"%s\" became deprecated", nm->name, nm->service->full_name);
}

void ac_pbcheck_message_deprecated(ac_ctx *ctx, ac_pb_msg *om, ac_pb_msg *nm)
{
    if (om->deprecated || !nm->deprecated) return;
    ac_where l = ac_where_elem(nm->file, nm->path), ol = ac_where_elem(om->file, om->path);
    ac_emit_about(ctx, &l, &ol, nm->file, om->file, nm->full_name, "message \"%s\" became deprecated", nm->full_name);
}

void ac_pbcheck_field_deprecated(ac_ctx *ctx, ac_pb_field *of, ac_pb_field *nf)
{
    if (of->deprecated || !nf->deprecated) return;
    ac_where l = ac_where_elem(nf->file, nf->path), ol = ac_where_elem(of->file, of->path);
    ac_emit_about(ctx, &l, &ol, nf->file, of->file, nf->full_name, "%s became deprecated", field_desc(ctx, nf));
}

void ac_pbcheck_enum_deprecated(ac_ctx *ctx, ac_pb_enum *oe, ac_pb_enum *ne)
{
    if (oe->deprecated || !ne->deprecated) return;
    ac_where l = ac_where_elem(ne->file, ne->path), ol = ac_where_elem(oe->file, oe->path);
    ac_emit_about(ctx, &l, &ol, ne->file, oe->file, ne->full_name, "enum \"%s\" became deprecated", ne->full_name);
}

void ac_pbcheck_enum_value_deprecated(ac_ctx *ctx, ac_pb_enum *oe, ac_pb_enum *ne)
{
    ac_strmap old;
    ac_strmap_init(&old);
    for (size_t k = 0; k < oe->nvalues; k++) ac_strmap_put(&old, oe->values[k]->name, oe->values[k]);
    for (size_t i = 0; i < ne->nvalues; i++) {
        ac_pb_enum_value *v = ne->values[i], *ov = ac_strmap_get(&old, v->name);
        if (!ov || ov->deprecated || !v->deprecated) continue;
        ac_where l = ac_where_elem(ne->file, v->path), ol = ac_where_elem(oe->file, ov->path);
        ac_emit_about(ctx, &l, &ol, ne->file, oe->file, enum_value_name(ctx, ne, v->name),
             "enum value \"%s\" of enum \"%s\" became deprecated", v->name, ne->full_name);
    }
    ac_strmap_free(&old);
}
