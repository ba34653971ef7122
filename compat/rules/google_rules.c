/* The HTTP and AIP rules: Google's API annotations (google.api.http, field_behavior, resource,
 * resource_reference, field_info, method_signature, default_host, oauth_scopes, operation_info) and
 * protovalidate's buf.validate.field rules, compared between paired elements.  The loader has read
 * the annotations into the IR (proto/annot.c); these functions only compare.
 *
 * field_behavior follows AIP-203's table: adding REQUIRED, OUTPUT_ONLY (to an input field),
 * INPUT_ONLY (to an output field) or IMMUTABLE, removing OUTPUT_ONLY or IDENTIFIER, and a new
 * REQUIRED field in a request break clients; adding OPTIONAL, REQUIRED -> OPTIONAL, removing
 * REQUIRED, INPUT_ONLY or IMMUTABLE, and OUTPUT_ONLY / IMMUTABLE -> IDENTIFIER do not. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat/rules/check.h"
#include "compat/rules/oas_check.h"

enum {
    FIELD_OPTIONS = 8, MSG_OPTIONS = 7, SERVICE_OPTIONS = 3, METHOD_OPTIONS = 4,
    EXT_HTTP = 72295728, EXT_METHOD_SIGNATURE = 1051, EXT_OPERATION_INFO = 1049, EXT_DEFAULT_HOST = 1049,
    EXT_OAUTH_SCOPES = 1050, EXT_RESOURCE = 1053, EXT_FIELD_BEHAVIOR = 1052, EXT_RESOURCE_REFERENCE = 1055,
    EXT_FIELD_INFO = 291403980, EXT_VALIDATE = 1159,
};

/* The location of an option of an element (its path + {options, extension}), else the element's. */
static ac_where opt_loc(ac_pb_file *f, ac_path p, int32_t opts, int32_t ext)
{
    ac_where w;
    memset(&w, 0, sizeof w);
    if (!f) return w;
    const int32_t suf[2] = {opts, ext};
    if (ac_pb_locate(f, p, suf, 2, &w.loc)) return w;
    return ac_where_elem(f, p);
}



static bool streq(const char *a, const char *b)
{
    return (a ? a : "")[0] == (b ? b : "")[0] && !strcmp(a ? a : "", b ? b : "");
}

static const char *or_none(const char *s)
{
    return s && *s ? s : "(none)";
}

/* ---- how messages are used ---------------------------------------------------------------------- */

static void mark_use(ac_strmap *use, ac_pb_msg *m, unsigned bit, ac_pb_msg ***stack, size_t *n, size_t *cap)
{
    if (!m) return;
    unsigned have = (unsigned)(uintptr_t)ac_strmap_get(use, m->full_name);
    if (have & bit) return;
    ac_strmap_put(use, m->full_name, (void *)(uintptr_t)(have | bit));
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *stack = ac_xrealloc(*stack, *cap * sizeof **stack);
    }
    (*stack)[(*n)++] = m;
}

unsigned ac_msg_use(ac_ctx *ctx, const char *full_name)
{
    if (!ctx->msg_use) {
        ctx->msg_use = ac_arena_alloc(ctx->scratch, sizeof *ctx->msg_use);
        ac_strmap_init(ctx->msg_use);
        ac_contract *c = ctx->new;
        for (unsigned bit = AC_USE_REQUEST; bit <= AC_USE_RESPONSE; bit <<= 1) {
            ac_pb_msg **stack = NULL;
            size_t n = 0, cap = 0;
            for (size_t i = 0; i < c->nfiles; i++)
                for (size_t j = 0; j < c->files[i]->nservices; j++)
                    for (size_t k = 0; k < c->files[i]->services[j]->nmethods; k++) {
                        ac_pb_method *m = c->files[i]->services[j]->methods[k];
                        const char *t = bit == AC_USE_REQUEST ? m->input_type : m->output_type;
                        mark_use(ctx->msg_use, ac_strmap_get(&c->msg_by_name, t), bit, &stack, &n, &cap);
                    }
            while (n) {
                ac_pb_msg *m = stack[--n];
                for (size_t i = 0; i < m->nfields; i++) mark_use(ctx->msg_use, m->fields[i]->msg_type, bit, &stack, &n, &cap);
            }
            free(stack);
        }
    }
    return (unsigned)(uintptr_t)ac_strmap_get(ctx->msg_use, full_name);
}

/* ---- HTTP bindings ------------------------------------------------------------------------------- */

static const char *method_full(ac_ctx *ctx, const ac_pb_method *m)
{
    return ac_arena_printf(ctx->scratch, "%s.%s", m->service->full_name, m->name);
}

static const char *binding_label(ac_ctx *ctx, const ac_pb_http *h)
{
    char verb[32];
    size_t i = 0;
    for (; h->verb[i] && i < sizeof verb - 1; i++) verb[i] = (char)(h->verb[i] >= 'a' && h->verb[i] <= 'z' ? h->verb[i] - 32 : h->verb[i]);
    verb[i] = 0;
    return ac_arena_printf(ctx->scratch, "%s %s", verb, h->path);
}

static const char *upper(ac_ctx *ctx, const char *s)
{
    char *u = ac_arena_strdup(ctx->scratch, s);
    for (char *p = u; *p; p++)
        if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 32);
    return u;
}

static bool same_place(const ac_pb_http *a, const ac_pb_http *b)
{
    return !strcasecmp(a->verb, b->verb) && a->match && b->match && !strcmp(a->match, b->match);
}

/* For each old binding, the new binding it pairs with: the one with the same method and matched
 * URLs, else the one at the same position that no old binding has that way (a changed binding);
 * -1 when none.  exact[i]: paired by method and URLs. */
static void pair_bindings(const ac_pb_method *om, const ac_pb_method *nm, int *partner, bool *exact)
{
    bool taken[64 + 1] = {false};
    for (uint32_t i = 0; i < om->nhttp; i++) {
        partner[i] = -1;
        exact[i] = false;
        for (uint32_t k = 0; k < nm->nhttp && k < 64 && partner[i] < 0; k++)
            if (!taken[k] && same_place(&om->http[i], &nm->http[k])) partner[i] = (int)k, exact[i] = true, taken[k] = true;
    }
    for (uint32_t i = 0; i < om->nhttp; i++) {
        if (partner[i] >= 0 || i >= nm->nhttp || i >= 64 || taken[i]) continue;
        bool elsewhere = false; /* the new binding at i pairs exactly with some old one */
        for (uint32_t j = 0; j < om->nhttp && !elsewhere; j++) elsewhere = same_place(&om->http[j], &nm->http[i]);
        if (!elsewhere) partner[i] = (int)i, taken[i] = true;
    }
}

#define MAX_PAIRED 65

static void http_locs(const ac_pb_method *om, const ac_pb_method *nm, ac_where *l, ac_where *ol)
{
    *l = opt_loc(nm->service->file, nm->path, METHOD_OPTIONS, EXT_HTTP);
    *ol = opt_loc(om->service->file, om->path, METHOD_OPTIONS, EXT_HTTP);
}

void ac_pbcheck_http_rule_no_delete(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm)
{
    if (!om->nhttp) return;
    ac_where l, ol;
    http_locs(om, nm, &l, &ol);
    if (!nm->nhttp) {
        l = ac_where_elem(nm->service->file, nm->path);
        ac_emit_about(ctx, &l, &ol, nm->service->file, om->service->file, method_full(ctx, nm),
             "RPC \"%s\" on service \"%s\" lost its HTTP binding \"%s\" (from %u bindings to none)", nm->name,
             nm->service->full_name, binding_label(ctx, &om->http[0]), om->nhttp);
        return;
    }
    int partner[MAX_PAIRED];
    bool exact[MAX_PAIRED];
    if (om->nhttp > 64) return;
    pair_bindings(om, nm, partner, exact);
    if (partner[0] < 0)
        ac_emit_about(ctx, &l, &ol, nm->service->file, om->service->file, method_full(ctx, nm),
             "RPC \"%s\" on service \"%s\" lost its HTTP binding \"%s\" (from \"%s\" to \"%s\")", nm->name,
             nm->service->full_name, binding_label(ctx, &om->http[0]), binding_label(ctx, &om->http[0]),
             binding_label(ctx, &nm->http[0]));
}

void ac_pbcheck_http_additional_binding_no_delete(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm)
{
    if (om->nhttp < 2 || !nm->nhttp || om->nhttp > 64) return;
    int partner[MAX_PAIRED];
    bool exact[MAX_PAIRED];
    pair_bindings(om, nm, partner, exact);
    ac_where l, ol;
    http_locs(om, nm, &l, &ol);
    for (uint32_t i = 1; i < om->nhttp; i++)
        if (partner[i] < 0)
            ac_emit_about(ctx, &l, &ol, nm->service->file, om->service->file, method_full(ctx, nm),
                 "RPC \"%s\" on service \"%s\" lost additional binding \"%s\" (from %u additional bindings to %u)",
                 nm->name, nm->service->full_name, binding_label(ctx, &om->http[i]), om->nhttp - 1, nm->nhttp - 1);
}

typedef enum { CMP_VERB, CMP_PATH, CMP_BODY, CMP_RESPONSE_BODY } cmp_what;

static void compare_bindings(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm, cmp_what what)
{
    if (!om->nhttp || !nm->nhttp || om->nhttp > 64) return;
    int partner[MAX_PAIRED];
    bool exact[MAX_PAIRED];
    pair_bindings(om, nm, partner, exact);
    ac_where l, ol;
    http_locs(om, nm, &l, &ol);
    for (uint32_t i = 0; i < om->nhttp; i++) {
        if (partner[i] < 0) continue;
        const ac_pb_http *o = &om->http[i], *n = &nm->http[partner[i]];
        const char *lab = binding_label(ctx, o);
        const char *rpc = method_full(ctx, nm);
        switch (what) {
        case CMP_VERB:
            if (strcasecmp(o->verb, n->verb))
                ac_emit_about(ctx, &l, &ol, nm->service->file, om->service->file, rpc,
                     "HTTP binding \"%s\" of RPC \"%s\" changed method from %s to %s", lab, rpc, upper(ctx, o->verb),
                     upper(ctx, n->verb));
            break;
        case CMP_PATH:
            if (!exact[i] && !streq(o->match, n->match))
                ac_emit_about(ctx, &l, &ol, nm->service->file, om->service->file, rpc,
                     "HTTP binding \"%s\" of RPC \"%s\" changed path template from \"%s\" to \"%s\" (it matches other URLs)",
                     lab, rpc, o->path, n->path);
            break;
        case CMP_BODY:
            if (!streq(o->body, n->body))
                ac_emit_about(ctx, &l, &ol, nm->service->file, om->service->file, rpc,
                     "HTTP binding \"%s\" of RPC \"%s\" changed body from \"%s\" to \"%s\"", lab, rpc, o->body, n->body);
            break;
        case CMP_RESPONSE_BODY:
            if (!streq(o->response_body, n->response_body))
                ac_emit_about(ctx, &l, &ol, nm->service->file, om->service->file, rpc,
                     "HTTP binding \"%s\" of RPC \"%s\" changed response_body from \"%s\" to \"%s\"", lab, rpc,
                     o->response_body, n->response_body);
            break;
        }
    }
}

void ac_pbcheck_http_same_verb(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm)
{
    compare_bindings(ctx, om, nm, CMP_VERB);
}

void ac_pbcheck_http_same_path(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm)
{
    compare_bindings(ctx, om, nm, CMP_PATH);
}

void ac_pbcheck_http_same_body(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm)
{
    compare_bindings(ctx, om, nm, CMP_BODY);
}

void ac_pbcheck_http_same_response_body(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm)
{
    compare_bindings(ctx, om, nm, CMP_RESPONSE_BODY);
}

static bool has_bindings(const ac_contract *c)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        if (c->files[i]->is_import) continue;
        for (size_t j = 0; j < c->files[i]->nservices; j++)
            for (size_t k = 0; k < c->files[i]->services[j]->nmethods; k++)
                if (c->files[i]->services[j]->methods[k]->nhttp) return true;
    }
    return false;
}

/* The package of the file a surface finding is located in (its name as the surface's locations
 * write it: module/name), or NULL. */
static const char *package_at(ac_strmap *by_name, const ac_contract *c, const char *file)
{
    if (!file) return NULL;
    if (!by_name->len && c->nfiles) {
        for (size_t i = 0; i < c->nfiles; i++) {
            const ac_pb_file *f = c->files[i];
            if (f->is_import) continue;
            const char *name = f->module && *f->module ? ac_arena_printf(c->arena, "%s/%s", f->module, f->name) : f->name;
            ac_strmap_add(by_name, name, (void *)f);
        }
    }
    const ac_pb_file *f = ac_strmap_get(by_name, file);
    return f ? f->package : NULL;
}

/* The OpenAPI checks on the two REST surfaces.  The findings keep the OpenAPI check IDs (the policy
 * selects and ignores them as such); their names of operations are copied out of the surfaces,
 * which are freed here, and info.version is not compared (a surface has none). */
void ac_pbcheck_http_rest_surface(ac_ctx *ctx)
{
    ac_contract *o = ctx->old, *n = ctx->new;
    if (!o->derive_rest || !n->derive_rest || !ctx->oas_opts || (!has_bindings(o) && !has_bindings(n))) return;
    ac_contract *os = NULL, *ns = NULL;
    ac_status st;
    ac_status_init(&st);
    if (o->derive_rest(&os, o, &st) || n->derive_rest(&ns, n, &st)) {
        if (os) ac_contract_free(os);
        return;
    }
    size_t first = ctx->out->n;
    ac_oas_check(os, ns, ctx->oas_opts, ctx->out, &st);
    size_t w = first;
    ac_strmap onames, nnames;
    ac_strmap_init(&onames);
    ac_strmap_init(&nnames);
    for (size_t i = first; i < ctx->out->n; i++) {
        ac_finding *f = &ctx->out->v[i];
        if (f->rule->area && !strcmp(f->rule->area, "Info")) continue;
        for (size_t k = 0; k < f->nops; k++) f->ops[k] = ac_arena_strdup(ctx->out->arena, f->ops[k]);
        /* the packages of the RPCs, for buf's ignore_unstable_packages and AIP-181's levels; a
         * removal is located at what is left of its path in NEW, whose package is not the RPC's */
        f->old_pkg = f->old_loc.line ? package_at(&onames, o, f->old_loc.file) : NULL;
        f->pkg = f->loc.line && !ac_rule_is_removal(f->rule) ? package_at(&nnames, n, f->loc.file) : NULL;
        ctx->out->v[w++] = *f;
    }
    ac_strmap_free(&onames);
    ac_strmap_free(&nnames);
    ctx->out->n = w;
    ac_contract_free(os);
    ac_contract_free(ns);
}

/* ---- field_behavior (AIP-203) ------------------------------------------------------------------- */

static const char *behaviors(ac_ctx *ctx, uint32_t bits)
{
    const char *s = "";
    for (uint32_t b = 1; b <= AC_FB_IDENTIFIER; b <<= 1)
        if (bits & b) s = ac_arena_printf(ctx->scratch, "%s%s%s", s, *s ? ", " : "", ac_pb_behavior_name(b));
    return ac_arena_printf(ctx->scratch, "[%s]", s);
}

static void behavior_finding(ac_ctx *ctx, ac_pb_field *o, ac_pb_field *n, const char *what)
{
    ac_where l = opt_loc(n->file, n->path, FIELD_OPTIONS, EXT_FIELD_BEHAVIOR);
    ac_where ol = opt_loc(o->file, o->path, FIELD_OPTIONS, EXT_FIELD_BEHAVIOR);
    ac_emit_about(ctx, &l, &ol, n->file, o->file, n->full_name, "field \"%s\" %s: field_behavior changed from %s to %s",
         n->full_name, what, behaviors(ctx, o->behavior), behaviors(ctx, n->behavior));
}

void ac_pbcheck_field_behavior_required_no_add(ac_ctx *ctx, ac_pb_field *o, ac_pb_field *n)
{
    if (!(o->behavior & AC_FB_REQUIRED) && (n->behavior & AC_FB_REQUIRED)) behavior_finding(ctx, o, n, "became REQUIRED");
}

void ac_pbcheck_field_behavior_output_only_no_add(ac_ctx *ctx, ac_pb_field *o, ac_pb_field *n)
{
    if (!(o->behavior & AC_FB_OUTPUT_ONLY) && (n->behavior & AC_FB_OUTPUT_ONLY))
        behavior_finding(ctx, o, n, "became OUTPUT_ONLY (clients that set it are refused or ignored)");
}

void ac_pbcheck_field_behavior_input_only_no_add(ac_ctx *ctx, ac_pb_field *o, ac_pb_field *n)
{
    if (!(o->behavior & AC_FB_INPUT_ONLY) && (n->behavior & AC_FB_INPUT_ONLY))
        behavior_finding(ctx, o, n, "became INPUT_ONLY (clients that read it no longer get it)");
}

void ac_pbcheck_field_behavior_immutable_no_add(ac_ctx *ctx, ac_pb_field *o, ac_pb_field *n)
{
    if (!(o->behavior & AC_FB_IMMUTABLE) && (n->behavior & AC_FB_IMMUTABLE) && !(o->behavior & AC_FB_OUTPUT_ONLY))
        behavior_finding(ctx, o, n, "became IMMUTABLE (updates that change it are refused)");
}

void ac_pbcheck_field_behavior_output_only_no_delete(ac_ctx *ctx, ac_pb_field *o, ac_pb_field *n)
{
    if ((o->behavior & AC_FB_OUTPUT_ONLY) && !(n->behavior & (AC_FB_OUTPUT_ONLY | AC_FB_IDENTIFIER)))
        behavior_finding(ctx, o, n, "is no longer OUTPUT_ONLY (clients that send it back now set it)");
}

void ac_pbcheck_field_behavior_identifier_no_delete(ac_ctx *ctx, ac_pb_field *o, ac_pb_field *n)
{
    if ((o->behavior & AC_FB_IDENTIFIER) && !(n->behavior & AC_FB_IDENTIFIER))
        behavior_finding(ctx, o, n, "is no longer an IDENTIFIER");
}

void ac_pbcheck_field_behavior_new_required_field(ac_ctx *ctx, ac_pb_msg *om, ac_pb_msg *nm)
{
    for (size_t i = 0; i < nm->nfields; i++) {
        ac_pb_field *f = nm->fields[i];
        if (!(f->behavior & AC_FB_REQUIRED)) continue;
        bool old = false;
        for (size_t k = 0; k < om->nfields && !old; k++) old = om->fields[k]->number == f->number;
        if (old || !(ac_msg_use(ctx, nm->full_name) & AC_USE_REQUEST)) continue;
        ac_where l = opt_loc(f->file, f->path, FIELD_OPTIONS, EXT_FIELD_BEHAVIOR);
        ac_where ol = ac_where_elem(om->file, om->path);
        ac_emit_about(ctx, &l, &ol, f->file, om->file, f->full_name,
             "REQUIRED field \"%s\" was added to request message \"%s\" (from no field %d to a required one)", f->name,
             nm->full_name, f->number);
    }
}

/* ---- resources and client settings ---------------------------------------------------------------- */

void ac_pbcheck_resource_same_type(ac_ctx *ctx, ac_pb_msg *o, ac_pb_msg *n)
{
    if (!o->resource_type || streq(o->resource_type, n->resource_type)) return;
    ac_where l = opt_loc(n->file, n->path, MSG_OPTIONS, EXT_RESOURCE), ol = opt_loc(o->file, o->path, MSG_OPTIONS, EXT_RESOURCE);
    ac_emit_about(ctx, &l, &ol, n->file, o->file, n->full_name, "resource \"%s\" changed type from \"%s\" to \"%s\"", n->full_name,
         o->resource_type, or_none(n->resource_type));
}

static int index_of(const char **v, uint32_t n, const char *s)
{
    for (uint32_t i = 0; i < n; i++)
        if (!strcmp(v[i], s)) return (int)i;
    return -1;
}

void ac_pbcheck_resource_pattern_no_delete(ac_ctx *ctx, ac_pb_msg *o, ac_pb_msg *n)
{
    ac_where l = opt_loc(n->file, n->path, MSG_OPTIONS, EXT_RESOURCE), ol = opt_loc(o->file, o->path, MSG_OPTIONS, EXT_RESOURCE);
    for (uint32_t i = 0; i < o->nresource_patterns; i++)
        if (index_of(n->resource_patterns, n->nresource_patterns, o->resource_patterns[i]) < 0)
            ac_emit_about(ctx, &l, &ol, n->file, o->file, n->full_name, "resource \"%s\" lost pattern \"%s\" (from %u patterns to %u)",
                 n->full_name, o->resource_patterns[i], o->nresource_patterns, n->nresource_patterns);
}

void ac_pbcheck_resource_pattern_same_order(ac_ctx *ctx, ac_pb_msg *o, ac_pb_msg *n)
{
    int last = -1;
    for (uint32_t i = 0; i < o->nresource_patterns; i++) {
        int k = index_of(n->resource_patterns, n->nresource_patterns, o->resource_patterns[i]);
        if (k < 0) continue;
        if (k < last) {
            ac_where l = opt_loc(n->file, n->path, MSG_OPTIONS, EXT_RESOURCE), ol = opt_loc(o->file, o->path, MSG_OPTIONS, EXT_RESOURCE);
            ac_emit_about(ctx, &l, &ol, n->file, o->file, n->full_name,
                 "resource \"%s\" reordered its patterns (pattern \"%s\" moved from position %u to %d)", n->full_name,
                 o->resource_patterns[i], i + 1, k + 1);
            return;
        }
        last = k;
    }
}

static const char *ref_text(ac_ctx *ctx, const ac_pb_field *f)
{
    return f->ref_type ? ac_arena_printf(ctx->scratch, "type \"%s\"", f->ref_type)
                       : ac_arena_printf(ctx->scratch, "child_type \"%s\"", f->ref_child_type);
}

void ac_pbcheck_resource_reference_no_delete(ac_ctx *ctx, ac_pb_field *o, ac_pb_field *n)
{
    if ((!o->ref_type && !o->ref_child_type) || n->ref_type || n->ref_child_type) return;
    ac_where l = opt_loc(n->file, n->path, FIELD_OPTIONS, EXT_RESOURCE_REFERENCE);
    ac_where ol = opt_loc(o->file, o->path, FIELD_OPTIONS, EXT_RESOURCE_REFERENCE);
    ac_emit_about(ctx, &l, &ol, n->file, o->file, n->full_name, "field \"%s\" lost its resource_reference (from %s to none)",
         n->full_name, ref_text(ctx, o));
}

void ac_pbcheck_resource_reference_same_type(ac_ctx *ctx, ac_pb_field *o, ac_pb_field *n)
{
    if ((!o->ref_type && !o->ref_child_type) || (!n->ref_type && !n->ref_child_type)) return;
    if (streq(o->ref_type, n->ref_type) && streq(o->ref_child_type, n->ref_child_type)) return;
    ac_where l = opt_loc(n->file, n->path, FIELD_OPTIONS, EXT_RESOURCE_REFERENCE);
    ac_where ol = opt_loc(o->file, o->path, FIELD_OPTIONS, EXT_RESOURCE_REFERENCE);
    ac_emit_about(ctx, &l, &ol, n->file, o->file, n->full_name, "field \"%s\" changed its resource_reference from %s to %s",
         n->full_name, ref_text(ctx, o), ref_text(ctx, n));
}

static const char *format_name(int32_t f)
{
    static const char *const names[] = {"FORMAT_UNSPECIFIED", "UUID4", "IPV4", "IPV6", "IPV4_OR_IPV6"};
    return f >= 0 && f < 5 ? names[f] : "?";
}

void ac_pbcheck_field_info_same_format(ac_ctx *ctx, ac_pb_field *o, ac_pb_field *n)
{
    if (o->info_format == n->info_format || !n->info_format) return;
    ac_where l = opt_loc(n->file, n->path, FIELD_OPTIONS, EXT_FIELD_INFO), ol = opt_loc(o->file, o->path, FIELD_OPTIONS, EXT_FIELD_INFO);
    ac_emit_about(ctx, &l, &ol, n->file, o->file, n->full_name, "field \"%s\" changed field_info.format from %s to %s",
         n->full_name, format_name(o->info_format), format_name(n->info_format));
}

/* A method signature with its spaces removed, and the same with its fields sorted (to tell a
 * reordered signature from a removed one). */
static const char *sig_norm(ac_ctx *ctx, const char *s, bool sorted)
{
    char *t = ac_arena_alloc(ctx->scratch, strlen(s) + 1);
    size_t w = 0;
    for (const char *p = s; *p; p++)
        if (*p != ' ') t[w++] = *p;
    t[w] = 0;
    if (!sorted) return t;
    const char *parts[64];
    size_t n = 0;
    for (char *p = t; *p && n < 64;) {
        parts[n++] = p;
        char *c = strchr(p, ',');
        if (!c) break;
        *c = 0;
        p = c + 1;
    }
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && strcmp(parts[k - 1], parts[k]) > 0; k--) {
            const char *x = parts[k];
            parts[k] = parts[k - 1];
            parts[k - 1] = x;
        }
    const char *out = "";
    for (size_t i = 0; i < n; i++) out = ac_arena_printf(ctx->scratch, "%s%s%s", out, i ? "," : "", parts[i]);
    return out;
}

static void signatures(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm, bool reorder)
{
    for (uint32_t i = 0; i < om->nsignatures; i++) {
        const char *os = sig_norm(ctx, om->signatures[i], false);
        bool same = false, perm = false;
        for (uint32_t k = 0; k < nm->nsignatures && !same; k++) same = !strcmp(os, sig_norm(ctx, nm->signatures[k], false));
        if (same) continue;
        const char *osorted = sig_norm(ctx, om->signatures[i], true);
        const char *match = NULL;
        for (uint32_t k = 0; k < nm->nsignatures && !perm; k++)
            if ((perm = !strcmp(osorted, sig_norm(ctx, nm->signatures[k], true)))) match = nm->signatures[k];
        if (perm != reorder) continue;
        ac_where l = opt_loc(nm->service->file, nm->path, METHOD_OPTIONS, EXT_METHOD_SIGNATURE);
        ac_where ol = opt_loc(om->service->file, om->path, METHOD_OPTIONS, EXT_METHOD_SIGNATURE);
        if (reorder)
            ac_emit_about(ctx, &l, &ol, nm->service->file, om->service->file, method_full(ctx, nm),
                 "RPC \"%s\" reordered method signature from \"%s\" to \"%s\"", method_full(ctx, nm), om->signatures[i], match);
        else
            ac_emit_about(ctx, &l, &ol, nm->service->file, om->service->file, method_full(ctx, nm),
                 "RPC \"%s\" lost method signature \"%s\" (from %u signatures to %u)", method_full(ctx, nm),
                 om->signatures[i], om->nsignatures, nm->nsignatures);
    }
}

void ac_pbcheck_method_signature_no_delete(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm)
{
    signatures(ctx, om, nm, false);
}

void ac_pbcheck_method_signature_same_order(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm)
{
    signatures(ctx, om, nm, true);
}

void ac_pbcheck_lro_same_types(ac_ctx *ctx, ac_pb_method *om, ac_pb_method *nm)
{
    if (!om->lro_response && !om->lro_metadata) return;
    ac_where l = opt_loc(nm->service->file, nm->path, METHOD_OPTIONS, EXT_OPERATION_INFO);
    ac_where ol = opt_loc(om->service->file, om->path, METHOD_OPTIONS, EXT_OPERATION_INFO);
    if (!streq(om->lro_response, nm->lro_response))
        ac_emit_about(ctx, &l, &ol, nm->service->file, om->service->file, method_full(ctx, nm),
             "long-running RPC \"%s\" changed operation_info.response_type from \"%s\" to \"%s\"", method_full(ctx, nm),
             or_none(om->lro_response), or_none(nm->lro_response));
    if (!streq(om->lro_metadata, nm->lro_metadata))
        ac_emit_about(ctx, &l, &ol, nm->service->file, om->service->file, method_full(ctx, nm),
             "long-running RPC \"%s\" changed operation_info.metadata_type from \"%s\" to \"%s\"", method_full(ctx, nm),
             or_none(om->lro_metadata), or_none(nm->lro_metadata));
}

void ac_pbcheck_service_same_default_host(ac_ctx *ctx, ac_pb_service *o, ac_pb_service *n)
{
    if (!o->default_host || streq(o->default_host, n->default_host)) return;
    ac_where l = opt_loc(n->file, n->path, SERVICE_OPTIONS, EXT_DEFAULT_HOST), ol = opt_loc(o->file, o->path, SERVICE_OPTIONS, EXT_DEFAULT_HOST);
    ac_emit_about(ctx, &l, &ol, n->file, o->file, n->full_name, "service \"%s\" changed default_host from \"%s\" to \"%s\"",
         n->full_name, o->default_host, or_none(n->default_host));
}

static bool scope_in(const char *list, const char *scope, size_t len)
{
    for (const char *p = list ? list : ""; *p;) {
        while (*p == ',' || *p == ' ') p++;
        size_t n = strcspn(p, ", ");
        if (n == len && !strncmp(p, scope, len)) return true;
        p += n;
    }
    return false;
}

void ac_pbcheck_service_oauth_scope_no_delete(ac_ctx *ctx, ac_pb_service *o, ac_pb_service *n)
{
    for (const char *p = o->oauth_scopes ? o->oauth_scopes : ""; *p;) {
        while (*p == ',' || *p == ' ') p++;
        size_t len = strcspn(p, ", ");
        if (len && !scope_in(n->oauth_scopes, p, len)) {
            ac_where l = opt_loc(n->file, n->path, SERVICE_OPTIONS, EXT_OAUTH_SCOPES);
            ac_where ol = opt_loc(o->file, o->path, SERVICE_OPTIONS, EXT_OAUTH_SCOPES);
            ac_emit_about(ctx, &l, &ol, n->file, o->file, n->full_name, "service \"%s\" lost OAuth scope \"%.*s\" (from \"%s\" to \"%s\")",
                 n->full_name, (int)len, p, o->oauth_scopes, or_none(n->oauth_scopes));
        }
        p += len;
    }
}

/* ---- protovalidate -------------------------------------------------------------------------------- */

static const char *num(ac_ctx *ctx, bool set, double v)
{
    return set ? ac_arena_printf(ctx->scratch, "%.17g", v) : "(none)";
}

static const char *count(ac_ctx *ctx, int64_t v)
{
    return v >= 0 ? ac_arena_printf(ctx->scratch, "%lld", (long long)v) : "(none)";
}

static const char *in_list(ac_ctx *ctx, const ac_pb_validate *v)
{
    if (!v->has_in) return "(none)";
    const char *s = "";
    for (uint32_t i = 0; i < v->nin; i++) s = ac_arena_printf(ctx->scratch, "%s%s%s", s, i ? ", " : "", v->in[i]);
    return ac_arena_printf(ctx->scratch, "[%s]", s);
}

/* Whether list a holds every value of b. */
static bool in_covers(const ac_pb_validate *a, const ac_pb_validate *b)
{
    if (!a->has_in) return true;
    if (!b->has_in) return false;
    for (uint32_t i = 0; i < b->nin; i++)
        if (index_of(a->in, a->nin, b->in[i]) < 0) return false;
    return true;
}

/* Reports each rule of protovalidate that accepts fewer values in `to` than in `from` (tighter).
 * For a request field, from = OLD; for a response field, from = NEW (a loosening). */
static void tighter(ac_ctx *ctx, ac_pb_field *o, ac_pb_field *n, bool response)
{
    static const ac_pb_validate none = {false, -1, -1, -1, -1, NULL, false, false, false, false, 0, 0, 0, 0, NULL, 0, false, false};
    const ac_pb_validate *ov = o->validate ? o->validate : &none, *nv = n->validate ? n->validate : &none;
    const ac_pb_validate *a = response ? nv : ov, *b = response ? ov : nv; /* b accepts fewer values than a: reported */
    const char *dir = response ? "response" : "request";
    ac_where l = opt_loc(n->file, n->path, FIELD_OPTIONS, EXT_VALIDATE), ol = opt_loc(o->file, o->path, FIELD_OPTIONS, EXT_VALIDATE);
    const char *verb = response ? "loosened" : "tightened";
#define REPORT(what, from, to) \
    ac_emit_about(ctx, &l, &ol, n->file, o->file, n->full_name, "%s field \"%s\" %s %s from %s to %s", dir, n->full_name, verb, what, from, to)
    if (b->required && !a->required) REPORT("required", ov->required ? "true" : "false", nv->required ? "true" : "false");
    if (b->min_len > (a->min_len < 0 ? 0 : a->min_len)) REPORT("min_len", count(ctx, ov->min_len), count(ctx, nv->min_len));
    if (b->max_len >= 0 && (a->max_len < 0 || b->max_len < a->max_len))
        REPORT("max_len", count(ctx, ov->max_len), count(ctx, nv->max_len));
    if (b->pattern && !streq(a->pattern, b->pattern))
        REPORT("pattern", ov->pattern ? ac_arena_printf(ctx->scratch, "\"%s\"", ov->pattern) : "(none)",
               nv->pattern ? ac_arena_printf(ctx->scratch, "\"%s\"", nv->pattern) : "(none)");
    double alo = a->has_gt ? a->gt : a->gte, blo = b->has_gt ? b->gt : b->gte;
    bool alo_set = a->has_gt || a->has_gte, blo_set = b->has_gt || b->has_gte;
    if (blo_set && (!alo_set || blo > alo || (blo == alo && b->has_gt && !a->has_gt)))
        REPORT("lower bound", num(ctx, ov->has_gt || ov->has_gte, ov->has_gt ? ov->gt : ov->gte),
               num(ctx, nv->has_gt || nv->has_gte, nv->has_gt ? nv->gt : nv->gte));
    double ahi = a->has_lt ? a->lt : a->lte, bhi = b->has_lt ? b->lt : b->lte;
    bool ahi_set = a->has_lt || a->has_lte, bhi_set = b->has_lt || b->has_lte;
    if (bhi_set && (!ahi_set || bhi < ahi || (bhi == ahi && b->has_lt && !a->has_lt)))
        REPORT("upper bound", num(ctx, ov->has_lt || ov->has_lte, ov->has_lt ? ov->lt : ov->lte),
               num(ctx, nv->has_lt || nv->has_lte, nv->has_lt ? nv->lt : nv->lte));
    if (b->min_items > (a->min_items < 0 ? 0 : a->min_items)) REPORT("min_items", count(ctx, ov->min_items), count(ctx, nv->min_items));
    if (b->max_items >= 0 && (a->max_items < 0 || b->max_items < a->max_items))
        REPORT("max_items", count(ctx, ov->max_items), count(ctx, nv->max_items));
    if (!in_covers(b, a)) REPORT("in", in_list(ctx, ov), in_list(ctx, nv));
    if (b->defined_only && !a->defined_only) REPORT("enum.defined_only", ov->defined_only ? "true" : "false", nv->defined_only ? "true" : "false");
#undef REPORT
}

void ac_pbcheck_validate_request_not_tightened(ac_ctx *ctx, ac_pb_field *o, ac_pb_field *n)
{
    if ((o->validate || n->validate) && n->parent && (ac_msg_use(ctx, n->parent->full_name) & AC_USE_REQUEST))
        tighter(ctx, o, n, false);
}

void ac_pbcheck_validate_response_not_loosened(ac_ctx *ctx, ac_pb_field *o, ac_pb_field *n)
{
    if ((o->validate || n->validate) && n->parent && (ac_msg_use(ctx, n->parent->full_name) & AC_USE_RESPONSE))
        tighter(ctx, o, n, true);
}
