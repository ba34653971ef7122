/* OpenAPI documents -> contract IR.
 *
 * The pipeline inside: parse (doc.c), then resolve $refs on demand while walking paths, operations
 * and components; schemas are converted once each (keyed by their target node) through a work
 * queue, so $ref cycles and deep reference chains never recurse on the C stack.  Swagger 2.0 is
 * normalised on the way in: body and formData parameters become request bodies, `produces` and
 * `consumes` become media types, definitions become components. */
#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat/base/limits.h"
#include "compat/cases/cases.h"
#include "compat/base/decimal.h"
#include "compat/base/fs.h"
#include "compat/rules/rules.h"
#include "compat/base/map.h"
#include "compat/base/sha256.h"
#include "compat/base/doc.h"
#include "openapi/oas.h"

#define MAX_REF_HOPS AC_LIMIT_REF_HOPS
#define MAX_DOC_BYTES AC_LIMIT_OPENAPI_DOC_BYTES
#define MAX_DOCS AC_LIMIT_OPENAPI_DOCS

typedef struct pending {
    ac_oas_schema *schema;
    const ac_doc *doc;
    ac_doc_node *node;
} pending;

typedef struct oas_state {
    ac_arena *a;
    ac_status *st;
    ac_contract *c;
    char **roots; /* absolute directories external $refs may read from */
    size_t nroots;
    ac_strmap docs;       /* absolute path -> ac_doc* */
    ac_strmap doc_roots;  /* root node pointer -> ac_doc* (for locations) */
    ac_strmap schemas;    /* node pointer -> ac_oas_schema* */
    ac_doc_node *cb_active[8]; /* callbacks being loaded, outermost first: a cycle stops there */
    size_t ncb_active;
    ac_strmap inlines; /* map node pointer -> inline_list* (x-apicompat-ignore) */
    ac_strmap map_index; /* map node pointer -> ac_strmap* of its keys (large maps that $refs point into) */
    pending *queue;
    size_t qlen, qcap;
    int version;
    const ac_doc *main;
    /* a standalone JSON Schema (ac_oas_load_schema): $refs are URIs resolved against $id */
    bool standalone;
    int dialect;
    const ac_oas_opts *opts;
    ac_strmap ids;       /* absolute URI without fragment, or URI#anchor -> ac_doc_node* */
    ac_strmap bases;     /* node pointer -> base URI (nodes holding a $ref) */
    ac_strmap res_of;    /* schema node pointer -> the root node of its resource */
    ac_strmap dyn_nodes; /* "ROOT-POINTER name" -> node of a dynamic anchor */
    ac_strmap dyn;       /* "RESOURCE-SCHEMA-POINTER name" -> ac_oas_schema* (kept for validation) */
    ac_oas_dynamic dynamic;
} oas_state;

/* The document tree's typed readers, with the load's status. */
#define fail_at(S, d, n, ...) ac_doc_fail_at((S)->st, d, n, __VA_ARGS__)
#define expect_type(S, d, n, t, what) ac_doc_expect((S)->st, d, n, t, what)

/* A key that must hold a map or a list but holds null (`responses:` with nothing after it): read as
 * empty, as oasdiff reads it, and noted, so the check warns instead of refusing a real-world spec. */
static bool null_as_empty(oas_state *S, ac_doc_node *v, const char *what)
{
    if (!v || v->type != AC_DOC_NULL) return false;
    ac_oas *oas = S->c->oas;
    ac_doc_node *key = v;
    for (size_t i = 0; v->parent && v->parent->type == AC_DOC_MAP && i < v->parent->n; i++)
        if (v->parent->pairs[i].value == v) key = v->parent->pairs[i].key;
    if (oas->nnulls == oas->cnulls) {
        oas->cnulls = oas->cnulls ? oas->cnulls * 2 : 4;
        ac_oas_null *g = ac_arena_alloc(S->a, oas->cnulls * sizeof *g);
        if (oas->nnulls) memcpy(g, oas->nulls, oas->nnulls * sizeof *g);
        oas->nulls = g;
    }
    oas->nulls[oas->nnulls++] = (ac_oas_null){key, what};
    return true;
}

/* A type name that is not a JSON Schema type (`type: int`): read as a type of its own, so that a
 * real-world spec with one slip can still be checked (a change to or from it is a type change), and
 * noted, so the check warns at the keyword. */
static void note_unknown_type(oas_state *S, ac_doc_node *v, const char *name)
{
    ac_oas *oas = S->c->oas;
    if (oas->nunknown_types == oas->cunknown_types) {
        oas->cunknown_types = oas->cunknown_types ? oas->cunknown_types * 2 : 4;
        ac_oas_null *g = ac_arena_alloc(S->a, oas->cunknown_types * sizeof *g);
        if (oas->nunknown_types) memcpy(g, oas->unknown_types, oas->nunknown_types * sizeof *g);
        oas->unknown_types = g;
    }
    oas->unknown_types[oas->nunknown_types++] = (ac_oas_null){v, name};
}

static const char *str_of(ac_doc_node *n)
{
    return n && ac_doc_is_scalar(n) && n->type != AC_DOC_NULL ? n->str : NULL;
}

/* ---- typed reads: fail closed --------------------------------------------------------------------
 * A keyword the checks use, written with the wrong type, is an error at the value ("deprecated must
 * be a boolean, found a string"): never read as absent, which would hide the change it makes.  Each
 * reader leaves *out alone when the value is absent or null (the keyword's default applies). */

#define COUNT_MAX INT64_MAX /* maxLength, minItems, ...: the IR holds them as int64 */

static bool absent(const ac_doc_node *v)
{
    return !v || v->type == AC_DOC_NULL;
}

static int wrong_type(oas_state *S, const ac_doc *d, ac_doc_node *v, const char *what, const char *expected)
{
    return fail_at(S, d, v, "%s must be %s, found a %s", what, expected, ac_doc_type_name(v->type));
}

static int read_bool(oas_state *S, const ac_doc *d, ac_doc_node *v, const char *what, bool *out)
{
    if (absent(v)) return AC_OK;
    if (v->type != AC_DOC_BOOL) return wrong_type(S, d, v, what, "a boolean");
    *out = v->b;
    return AC_OK;
}

/* Text: any scalar as written (YAML reads `version: 1.0` as a number; it is still the text). */
static int read_text(oas_state *S, const ac_doc *d, ac_doc_node *v, const char *what, const char **out)
{
    if (absent(v)) return AC_OK;
    if (!ac_doc_is_scalar(v)) return wrong_type(S, d, v, what, "a string");
    *out = v->str;
    return AC_OK;
}

/* A string and nothing else (a regular expression, a format). */
static int read_string(oas_state *S, const ac_doc *d, ac_doc_node *v, const char *what, const char **out)
{
    if (absent(v)) return AC_OK;
    if (v->type != AC_DOC_STRING) return wrong_type(S, d, v, what, "a string");
    *out = v->str;
    return AC_OK;
}

static int read_map(oas_state *S, const ac_doc *d, ac_doc_node *v, const char *what, ac_doc_node **out)
{
    *out = NULL;
    if (absent(v)) return AC_OK;
    if (v->type != AC_DOC_MAP) return wrong_type(S, d, v, what, "a map");
    *out = v;
    return AC_OK;
}

/* A number's exact decimal when its double does not hold it (kept with the schema), else NULL. */
static const char *exact_number(oas_state *S, const ac_doc_node *v)
{
    char *exact = ac_decimal_exact(v->str, v->len, v->num);
    if (!exact) return NULL;
    const char *kept = ac_arena_strdup(S->a, exact);
    free(exact);
    return kept;
}

/* A non-negative integer keyword (maxLength, minItems, ...), exactly as written: a value the IR
 * cannot hold is an error, never saturated or rounded. */
static int read_count(oas_state *S, const ac_doc *d, ac_doc_node *v, const char *what, int64_t *out)
{
    if (absent(v)) return AC_OK;
    if (v->type != AC_DOC_NUMBER) return wrong_type(S, d, v, what, "a non-negative integer");
    ac_decimal dec;
    if (ac_decimal_parse(v->str, v->len, &dec)) {
        bool integer = dec.exp >= 0, fits = false;
        uint64_t x = 0;
        if (integer && !dec.neg && dec.ndigits + (size_t)dec.exp <= 19) {
            fits = true;
            for (size_t i = 0; i < dec.ndigits + (size_t)dec.exp; i++)
                x = x * 10 + (uint64_t)(i < dec.ndigits ? dec.digits[i] - '0' : 0);
            fits = x <= (uint64_t)COUNT_MAX;
        }
        free(dec.buf);
        if (!integer || (dec.neg && dec.ndigits))
            return fail_at(S, d, v, "%s must be a non-negative integer, found %s", what, v->str);
        if (!fits)
            return fail_at(S, d, v, "%s %s is out of range (at most %" PRId64 ")", what, v->str, (int64_t)COUNT_MAX);
        *out = (int64_t)x;
        return AC_OK;
    }
    /* 0x1F, 0o17, .inf, .nan: the value the YAML reader gave */
    double x = v->num;
    if (x >= 0x1p63) return fail_at(S, d, v, "%s %s is out of range (at most %" PRId64 ")", what, v->str, (int64_t)COUNT_MAX);
    if (!(x >= 0) || (double)(int64_t)x != x)
        return fail_at(S, d, v, "%s must be a non-negative integer, found %s", what, v->str);
    *out = (int64_t)x;
    return AC_OK;
}

/* ---- documents and $refs ------------------------------------------------------------------------ */

static int load_doc(oas_state *S, const char *display, const char *abs, const ac_doc **out)
{
    const ac_doc *d = ac_strmap_get(&S->docs, abs);
    if (d) {
        *out = d;
        return AC_OK;
    }
    if (S->docs.len >= MAX_DOCS) return ac_fail(S->st, display, 0, 0, "more than %d files reached through $ref", MAX_DOCS);
    /* the tree keeps nothing of the text: it goes as soon as the document is parsed */
    ac_arena *ta = ac_arena_new();
    char *text;
    size_t len;
    if (ac_read_file(ta, abs, &text, &len, MAX_DOC_BYTES, S->st)) {
        ac_arena_free(ta);
        /* name the file as the user would */
        snprintf(S->st->path, sizeof S->st->path, "%s", display);
        return AC_ERROR;
    }
    if (S->c->digest) ac_sha256_part(S->c->digest, text, len);
    ac_doc *nd;
    int rc = ac_doc_parse(&nd, S->a, display, text, len, NULL, S->st);
    ac_arena_free(ta);
    if (rc) return AC_ERROR;
    ac_strmap_add(&S->docs, ac_arena_strdup(S->a, abs), nd);
    ac_strmap_putn(&S->doc_roots, ac_arena_memdup(S->a, &nd->root, sizeof nd->root), sizeof nd->root, nd);
    *out = nd;
    return AC_OK;
}

static const ac_doc *doc_of_node(const ac_contract *c, const ac_doc_node *n)
{
    oas_state *S = c->loader_state;
    while (n->parent) n = n->parent;
    return ac_strmap_getn(&S->doc_roots, (const char *)&n, sizeof n);
}

static bool under_root(oas_state *S, const char *abs)
{
    for (size_t i = 0; i < S->nroots; i++)
        if (ac_path_within(abs, S->roots[i])) return true;
    return false;
}

static bool under_root_cb(const char *abs, void *S)
{
    return under_root(S, abs);
}

/* JSON pointer unescaping: ~1 is '/', ~0 is '~', and %XX percent-escapes (URI fragments). */
static char *unescape_token(ac_arena *a, const char *s, size_t n)
{
    char *out = ac_arena_alloc(a, n + 1), *w = out;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '~' && i + 1 < n && (s[i + 1] == '0' || s[i + 1] == '1')) {
            *w++ = s[i + 1] == '0' ? '~' : '/';
            i++;
        } else if (s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) && isxdigit((unsigned char)s[i + 2])) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            *w++ = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            *w++ = s[i];
        }
    }
    *w = 0;
    return out;
}

/* A key of a map a $ref points into.  A large map (components/schemas of a large API) gets an
 * index on its first lookup: scanning it for every $ref made loading quadratic in its size. */
#define INDEXED_MAP 32

static ac_doc_node *map_get(oas_state *S, ac_doc_node *map, const char *key)
{
    if (map->n < INDEXED_MAP) return ac_doc_get(map, key);
    ac_strmap *ix = ac_strmap_getn(&S->map_index, (const char *)&map, sizeof map);
    if (!ix) {
        ix = ac_arena_alloc(S->a, sizeof *ix);
        ac_strmap_init(ix);
        ac_strmap_reserve(ix, map->n);
        /* the first of equal keys, as ac_doc_get finds */
        for (size_t i = 0; i < map->n; i++) ac_strmap_addn(ix, map->pairs[i].key->str, map->pairs[i].key->len, map->pairs[i].value);
        ac_strmap_putn(&S->map_index, ac_arena_memdup(S->a, &map, sizeof map), sizeof map, ix);
    }
    return ac_strmap_getn(ix, key, strlen(key));
}

static ac_doc_node *walk_pointer(oas_state *S, ac_doc_node *root, const char *ptr)
{
    ac_doc_node *n = root;
    const char *p = ptr;
    if (!*p || !strcmp(p, "/")) return root; /* "#/" has always meant the whole document here */
    if (*p != '/') return NULL;
    p++;
    /* every token, empty ones included: "/$defs//x/" has four (a standalone JSON Schema; OpenAPI
     * documents keep reading a trailing "/" as nothing more) */
    while (n && (*p || S->standalone)) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *tok = unescape_token(S->a, p, len);
        if (n->type == AC_DOC_MAP) {
            n = map_get(S, n, tok);
        } else if (n->type == AC_DOC_SEQ) {
            char *end;
            unsigned long idx = strtoul(tok, &end, 10);
            n = (*tok && !*end && idx < n->n) ? n->items[idx] : NULL;
        } else {
            n = NULL;
        }
        if (!e) break;
        p = e + 1;
    }
    return n;
}

/* The component name a reference points at ("#/components/schemas/Pet" -> "Pet"; a whole external
 * file "schemas/Pet.yaml" -> "Pet"). */
static const char *ref_name(oas_state *S, const char *file, const char *frag)
{
    if (frag && *frag) {
        const char *last = strrchr(frag, '/');
        return last ? unescape_token(S->a, last + 1, strlen(last + 1)) : NULL;
    }
    if (file && *file) {
        const char *base = strrchr(file, '/');
        base = base ? base + 1 : file;
        const char *dot = strrchr(base, '.');
        return ac_arena_strndup(S->a, base, dot ? (size_t)(dot - base) : strlen(base));
    }
    return NULL;
}

static int resolve_standalone(oas_state *S, const ac_doc **doc, ac_doc_node **node);

/* Follows node's $ref (and the $refs it lands on) to a node that is not a reference.  *name gets
 * the component name of the first hop. */
static int resolve(oas_state *S, const ac_doc **doc, ac_doc_node **node, const char **name, const char **refstr)
{
    if (name) *name = NULL;
    if (refstr) *refstr = NULL;
    if (S->standalone) return resolve_standalone(S, doc, node);
    for (int hop = 0;; hop++) {
        ac_doc_node *n = *node;
        ac_doc_node *r = n->type == AC_DOC_MAP ? ac_doc_get(n, "$ref") : NULL;
        if (!r) return AC_OK;
        const ac_doc *d = *doc;
        if (hop >= MAX_REF_HOPS)
            return fail_at(S, d, r, "$ref chain longer than %d hops (a reference cycle?)", MAX_REF_HOPS);
        if (r->type != AC_DOC_STRING) return fail_at(S, d, r, "$ref must be a string, found a %s", ac_doc_type_name(r->type));
        const char *ref = r->str;
        const char *hash = strchr(ref, '#');
        size_t flen = hash ? (size_t)(hash - ref) : strlen(ref);
        char *file = ac_arena_strndup(S->a, ref, flen);
        const char *frag = hash ? hash + 1 : "";
        if (strstr(file, "://") || !strncasecmp(file, "http:", 5) || !strncasecmp(file, "https:", 6) ||
            !strncasecmp(file, "file:", 5))
            return fail_at(S, d, r, "$ref \"%s\" points at a URL; apicompat reads only local files and never fetches", ref);
        const ac_doc *target = d;
        if (*file) {
            if (file[0] == '/')
                return fail_at(S, d, r, "$ref \"%s\" is an absolute path; use a path relative to the document", ref);
            const char *slash = strrchr(d->path, '/');
            char *dir = slash ? ac_arena_strndup(S->a, d->path, (size_t)(slash - d->path)) : ".";
            char *display = ac_path_tidy(S->a, ac_path_join(S->a, dir, file));
            char *abs = display ? realpath(display, NULL) : NULL;
            /* a target that is not there is "not found" only inside: outside, the one message
             * whether or not it exists */
            if (!abs) {
                if (!display || !ac_fs_judge(display, under_root_cb, S))
                    return fail_at(S, d, r, "$ref \"%s\" leaves the directories apicompat may read", ref);
                return fail_at(S, d, r, "$ref \"%s\": file \"%s\" not found", ref, display);
            }
            bool ok = under_root(S, abs);
            const char *why = ok && !ac_strmap_get(&S->docs, abs) ? ac_file_problem(abs) : NULL;
            if (why) {
                free(abs);
                return fail_at(S, d, r, "$ref \"%s\": \"%s\" %s%s", ref, display, strncmp(why, "not ", 4) ? "" : "is ",
                               !strncmp(why, "is ", 3) || !strncmp(why, "not ", 4) ? why : "cannot be read");
            }
            int rc = ok ? load_doc(S, display, abs, &target) : AC_OK;
            free(abs);
            if (!ok) return fail_at(S, d, r, "$ref \"%s\" leaves the directories apicompat may read", ref);
            if (rc) return rc;
        }
        ac_doc_node *t = *frag ? walk_pointer(S, target->root, frag) : target->root;
        if (!t) return fail_at(S, d, r, "$ref \"%s\": no such target in \"%s\"", ref, target->path);
        if (hop == 0) {
            if (name) *name = ref_name(S, file, frag);
            if (refstr) *refstr = ref;
        }
        *doc = target;
        *node = t;
    }
}

/* ---- standalone JSON Schemas: $id, $anchor and URI references -------------------------------------
 * A JSON Schema document names its parts with URIs: each $id starts a resource whose base URI
 * relative references resolve against (RFC 3986), $anchor names a schema inside one.  Nothing is
 * fetched: a URI that no loaded document declares is read from a local file (file: URIs inside the
 * allowed directories) or from a directory the caller maps a URI prefix to, else it is an error. */

typedef struct uri_parts {
    const char *s;
    size_t scheme_n; /* without ':'; 0 when none */
    bool has_auth, has_query, has_frag;
    size_t auth_at, auth_n, path_at, path_n, query_at, query_n, frag_at, frag_n;
} uri_parts;

static void uri_parse(const char *s, uri_parts *u)
{
    memset(u, 0, sizeof *u);
    u->s = s;
    size_t i = 0, n = strlen(s);
    if (isalpha((unsigned char)s[0])) {
        size_t k = 1;
        while (isalnum((unsigned char)s[k]) || s[k] == '+' || s[k] == '-' || s[k] == '.') k++;
        if (s[k] == ':') {
            u->scheme_n = k;
            i = k + 1;
        }
    }
    if (s[i] == '/' && s[i + 1] == '/') {
        u->has_auth = true;
        u->auth_at = i + 2;
        u->auth_n = strcspn(s + i + 2, "/?#");
        i = u->auth_at + u->auth_n;
    }
    u->path_at = i;
    u->path_n = strcspn(s + i, "?#");
    i += u->path_n;
    if (s[i] == '?') {
        u->has_query = true;
        u->query_at = i + 1;
        u->query_n = strcspn(s + i + 1, "#");
        i = u->query_at + u->query_n;
    }
    if (s[i] == '#') {
        u->has_frag = true;
        u->frag_at = i + 1;
        u->frag_n = n - (i + 1);
    }
}

/* RFC 3986 5.2.4, in place on a NUL-terminated path. */
static void remove_dots(char *path)
{
    size_t n = strlen(path), w = 0;
    char *out = ac_xmalloc(n + 1);
    const char *r = path;
    while (*r) {
        if (!strncmp(r, "../", 3)) r += 3;
        else if (!strncmp(r, "./", 2)) r += 2;
        else if (!strncmp(r, "/./", 3)) r += 2;
        else if (!strcmp(r, "/.")) r = "/";
        else if (!strncmp(r, "/../", 4) || !strcmp(r, "/..")) {
            r = r[3] ? r + 3 : "/";
            while (w > 0 && out[w - 1] != '/') w--;
            if (w > 0) w--;
        } else if (!strcmp(r, ".") || !strcmp(r, "..")) {
            break;
        } else {
            size_t k = *r == '/' ? 1 : 0;
            while (r[k] && r[k] != '/') k++;
            memcpy(out + w, r, k);
            w += k;
            r += k;
        }
    }
    memcpy(path, out, w);
    path[w] = 0;
    free(out);
}

/* ref resolved against base (RFC 3986 5.2.2), in a. */
static char *uri_resolve(ac_arena *a, const char *base, const char *ref)
{
    uri_parts b, r;
    uri_parse(base, &b);
    uri_parse(ref, &r);
    size_t cap = strlen(base) + strlen(ref) + 8;
    char *out = ac_arena_alloc(a, cap), *path = ac_arena_alloc(a, cap);
    const char *scheme, *auth = NULL, *query = NULL;
    size_t scheme_n, auth_n = 0, query_n = 0;
    bool has_auth, has_query;
    if (r.scheme_n) {
        scheme = ref, scheme_n = r.scheme_n;
        has_auth = r.has_auth, auth = ref + r.auth_at, auth_n = r.auth_n;
        snprintf(path, cap, "%.*s", (int)r.path_n, ref + r.path_at);
        remove_dots(path);
        has_query = r.has_query, query = ref + r.query_at, query_n = r.query_n;
    } else {
        scheme = base, scheme_n = b.scheme_n;
        if (r.has_auth) {
            has_auth = true, auth = ref + r.auth_at, auth_n = r.auth_n;
            snprintf(path, cap, "%.*s", (int)r.path_n, ref + r.path_at);
            remove_dots(path);
            has_query = r.has_query, query = ref + r.query_at, query_n = r.query_n;
        } else {
            has_auth = b.has_auth, auth = base + b.auth_at, auth_n = b.auth_n;
            if (!r.path_n) {
                snprintf(path, cap, "%.*s", (int)b.path_n, base + b.path_at);
                if (r.has_query) has_query = true, query = ref + r.query_at, query_n = r.query_n;
                else has_query = b.has_query, query = base + b.query_at, query_n = b.query_n;
            } else {
                if (ref[r.path_at] == '/') {
                    snprintf(path, cap, "%.*s", (int)r.path_n, ref + r.path_at);
                } else if (b.has_auth && !b.path_n) {
                    snprintf(path, cap, "/%.*s", (int)r.path_n, ref + r.path_at);
                } else {
                    const char *bp = base + b.path_at;
                    size_t keep = b.path_n;
                    while (keep && bp[keep - 1] != '/') keep--;
                    snprintf(path, cap, "%.*s%.*s", (int)keep, bp, (int)r.path_n, ref + r.path_at);
                }
                remove_dots(path);
                has_query = r.has_query, query = ref + r.query_at, query_n = r.query_n;
            }
        }
    }
    size_t w = 0;
    if (scheme_n) w += (size_t)snprintf(out + w, cap - w, "%.*s:", (int)scheme_n, scheme);
    if (has_auth) w += (size_t)snprintf(out + w, cap - w, "//%.*s", (int)auth_n, auth);
    w += (size_t)snprintf(out + w, cap - w, "%s", path);
    if (has_query) w += (size_t)snprintf(out + w, cap - w, "?%.*s", (int)query_n, query);
    if (r.has_frag && r.frag_n) snprintf(out + w, cap - w, "#%s", ref + r.frag_at);
    return out;
}

static const char *str_of(ac_doc_node *n);

/* Keywords whose values are schemas, lists of schemas or maps of schemas, in any draft: where
 * $id and $anchor count (an "$id" inside an enum value or an unknown keyword names nothing). */
typedef enum { SUB_ONE, SUB_LIST, SUB_MAP, SUB_ONE_OR_LIST, SUB_DEPENDENCIES } sub_kind;
static const struct {
    const char *name;
    sub_kind kind;
} sub_keywords[] = {
    {"additionalItems", SUB_ONE}, {"additionalProperties", SUB_ONE}, {"contains", SUB_ONE}, {"not", SUB_ONE},
    {"if", SUB_ONE}, {"then", SUB_ONE}, {"else", SUB_ONE}, {"propertyNames", SUB_ONE},
    {"unevaluatedItems", SUB_ONE}, {"unevaluatedProperties", SUB_ONE}, {"contentSchema", SUB_ONE},
    {"items", SUB_ONE_OR_LIST}, {"allOf", SUB_LIST}, {"anyOf", SUB_LIST}, {"oneOf", SUB_LIST},
    {"prefixItems", SUB_LIST}, {"properties", SUB_MAP}, {"patternProperties", SUB_MAP}, {"$defs", SUB_MAP},
    {"definitions", SUB_MAP}, {"dependentSchemas", SUB_MAP}, {"dependencies", SUB_DEPENDENCIES},
};

static char *uri_strip_fragment(ac_arena *a, const char *u)
{
    const char *h = strchr(u, '#');
    return h ? ac_arena_strndup(a, u, (size_t)(h - u)) : (char *)u;
}

static void scan_resource(oas_state *S, ac_doc_node *n, const char *base, ac_doc_node *root, int depth);

static void scan_sub(oas_state *S, ac_doc_node *v, const char *base, ac_doc_node *root, int depth)
{
    if (v && (v->type == AC_DOC_MAP || v->type == AC_DOC_BOOL)) scan_resource(S, v, base, root, depth + 1);
}

/* Registers the identifiers of a schema and of its subschemas: base is the base URI the schema's
 * own $id resolves against, root the root node of the resource it is in. */
static void scan_resource(oas_state *S, ac_doc_node *n, const char *base, ac_doc_node *root, int depth)
{
    if (depth > AC_LIMIT_DOC_DEPTH) return;
    if (n->type != AC_DOC_MAP) {
        ac_strmap_putn(&S->res_of, ac_arena_memdup(S->a, &n, sizeof n), sizeof n, root);
        return;
    }
    bool has_ref = ac_doc_get(n, "$ref") != NULL;
    const char *id = str_of(ac_doc_get(n, S->dialect == AC_JS_DRAFT4 ? "id" : "$id"));
    /* before 2019-09, $ref replaces its schema: an $id beside it names nothing */
    if (id && (S->dialect >= AC_JS_2019 || !has_ref)) {
        char *abs = uri_resolve(S->a, base, id);
        const char *hash = strchr(abs, '#');
        if (hash && hash[1] && S->dialect < AC_JS_2019) {
            /* draft 4-7: "#foo" is a location-independent name of the schema */
            ac_strmap_add(&S->ids, abs, n);
            base = uri_strip_fragment(S->a, abs);
        } else if (!hash || !hash[1]) {
            base = uri_strip_fragment(S->a, abs);
            ac_strmap_add(&S->ids, base, n);
            root = n;
        }
    }
    ac_strmap_putn(&S->res_of, ac_arena_memdup(S->a, &n, sizeof n), sizeof n, root);
    ac_strmap_putn(&S->bases, ac_arena_memdup(S->a, &n, sizeof n), sizeof n, (void *)base);
    if (S->dialect >= AC_JS_2019) {
        const char *anchor = str_of(ac_doc_get(n, "$anchor"));
        if (anchor) ac_strmap_add(&S->ids, ac_arena_printf(S->a, "%s#%s", base, anchor), n);
        const char *dyn = S->dialect >= AC_JS_2020 ? str_of(ac_doc_get(n, "$dynamicAnchor")) : NULL;
        if (dyn) {
            ac_strmap_add(&S->ids, ac_arena_printf(S->a, "%s#%s", base, dyn), n);
            char *key = ac_arena_printf(S->a, "%p %s", (void *)root, dyn);
            ac_strmap_add(&S->dyn_nodes, key, n);
        }
        ac_doc_node *ra = ac_doc_get(n, "$recursiveAnchor");
        if (S->dialect == AC_JS_2019 && ra && ra->type == AC_DOC_BOOL && ra->b && n == root)
            ac_strmap_add(&S->dyn_nodes, ac_arena_printf(S->a, "%p ", (void *)root), n);
    }
    for (size_t k = 0; k < sizeof sub_keywords / sizeof *sub_keywords; k++) {
        ac_doc_node *v = ac_doc_get(n, sub_keywords[k].name);
        if (!v) continue;
        switch (sub_keywords[k].kind) {
        case SUB_ONE: scan_sub(S, v, base, root, depth); break;
        case SUB_ONE_OR_LIST:
            if (v->type != AC_DOC_SEQ) {
                scan_sub(S, v, base, root, depth);
                break;
            }
            /* fall through */
        case SUB_LIST:
            for (size_t i = 0; v->type == AC_DOC_SEQ && i < v->n; i++) scan_sub(S, v->items[i], base, root, depth);
            break;
        case SUB_MAP:
        case SUB_DEPENDENCIES:
            for (size_t i = 0; v->type == AC_DOC_MAP && i < v->n; i++) scan_sub(S, v->pairs[i].value, base, root, depth);
            break;
        }
    }
}

/* A document reached through a URI: its resources are registered under that URI. */
static int load_uri_doc(oas_state *S, const char *display, const char *abs, const char *uri, ac_doc_node **out)
{
    const ac_doc *d;
    bool fresh = !ac_strmap_get(&S->docs, abs);
    if (load_doc(S, display, abs, &d)) return AC_ERROR;
    if (fresh || !ac_strmap_get(&S->ids, uri)) {
        ac_strmap_add(&S->ids, uri, d->root);
        ac_strmap_putn(&S->bases, ac_arena_memdup(S->a, &d->root, sizeof d->root), sizeof d->root, (void *)uri);
        scan_resource(S, d->root, uri, d->root, 0);
    }
    *out = d->root;
    return AC_OK;
}

/* The node a URI (absolute, fragment included) names. */
static int lookup_uri(oas_state *S, const ac_doc *d, ac_doc_node *at, const char *ref, const char *abs, ac_doc_node **out)
{
    char *res = uri_strip_fragment(S->a, abs);
    const char *hash = strchr(abs, '#');
    const char *frag = hash ? hash + 1 : "";
    ac_doc_node *t = ac_strmap_get(&S->ids, res);
    if (!t && !strncmp(res, "file://", 7)) {
        char *path = unescape_token(S->a, res + 7, strlen(res + 7));
        char *real = realpath(path, NULL);
        if (!real) return fail_at(S, d, at, "$ref \"%s\": file \"%s\" not found", ref, path);
        bool ok = under_root(S, real);
        const char *why = ok ? ac_file_problem(real) : NULL;
        int rc = !ok ? fail_at(S, d, at, "$ref \"%s\" leaves the directories apicompat may read", ref)
                 : why ? fail_at(S, d, at, "$ref \"%s\": \"%s\" %s", ref, path, why)
                       : load_uri_doc(S, path, real, res, &t);
        free(real);
        if (rc) return rc;
    }
    for (size_t i = 0; !t && S->opts && i < S->opts->nuri_map; i++) {
        size_t pn = strlen(S->opts->uri_prefixes[i]);
        if (strncmp(res, S->opts->uri_prefixes[i], pn)) continue;
        const char *rest = res + pn;
        char *path = ac_path_join(S->a, S->opts->uri_dirs[i], rest);
        char *real = realpath(path, NULL), *dir = realpath(S->opts->uri_dirs[i], NULL);
        size_t dn = dir ? strlen(dir) : 0;
        int rc = AC_OK;
        if (!real || !dir || strncmp(real, dir, dn) || (real[dn] != '/' && real[dn]))
            rc = fail_at(S, d, at, "$ref \"%s\": no file for \"%s\" under \"%s\"", ref, res, S->opts->uri_dirs[i]);
        else
            rc = load_uri_doc(S, path, real, res, &t);
        free(real);
        free(dir);
        if (rc) return rc;
    }
    if (!t) {
        if (strstr(res, "://") || !strncmp(res, "urn:", 4))
            return fail_at(S, d, at, "$ref \"%s\": no schema has the URI \"%s\" (apicompat never fetches)", ref, res);
        return fail_at(S, d, at, "$ref \"%s\": no schema has the URI \"%s\"", ref, res);
    }
    if (*frag == '/' ) {
        ac_doc_node *p = walk_pointer(S, t, frag);
        if (!p) return fail_at(S, d, at, "$ref \"%s\": no such target", ref);
        t = p;
    } else if (*frag) {
        ac_doc_node *p = ac_strmap_get(&S->ids, abs);
        if (!p) return fail_at(S, d, at, "$ref \"%s\": no schema has the anchor \"%s\"", ref, frag);
        t = p;
    }
    *out = t;
    return AC_OK;
}

/* One hop: the node that the reference `key` ($ref, $dynamicRef, $recursiveRef) of map n names. */
static int ref_hop(oas_state *S, const ac_doc *d, ac_doc_node *n, const char *key, ac_doc_node **out, const char **uri)
{
    ac_doc_node *r = ac_doc_get(n, key);
    if (r->type != AC_DOC_STRING) return fail_at(S, d, r, "%s must be a string, found a %s", key, ac_doc_type_name(r->type));
    /* the base URI of the nearest schema the scan saw (a $ref inside an unknown keyword has none) */
    const char *base = NULL;
    for (const ac_doc_node *p = n; p && !base; p = p->parent) base = ac_strmap_getn(&S->bases, (const char *)&p, sizeof p);
    const char *abs = uri_resolve(S->a, base ? base : "", r->str);
    if (uri) *uri = abs;
    return lookup_uri(S, d, r, r->str, abs, out);
}

static int resolve_standalone(oas_state *S, const ac_doc **doc, ac_doc_node **node)
{
    for (int hop = 0;; hop++) {
        ac_doc_node *n = *node;
        if (n->type != AC_DOC_MAP || !ac_doc_get(n, "$ref")) return AC_OK;
        const ac_doc *d = doc_of_node(S->c, n);
        if (!d) d = *doc;
        if (hop >= MAX_REF_HOPS)
            return fail_at(S, d, ac_doc_get(n, "$ref"), "$ref chain longer than %d hops (a reference cycle?)", MAX_REF_HOPS);
        ac_doc_node *t;
        if (ref_hop(S, d, n, "$ref", &t, NULL)) return AC_ERROR;
        const ac_doc *td = doc_of_node(S->c, t);
        *doc = td ? td : d;
        *node = t;
    }
}

/* ---- values ------------------------------------------------------------------------------------- */

/* Keywords that only annotate: they do not change what a schema accepts. */
static bool annotation_key(const ac_doc_node *k)
{
    static const char *const keys[] = {"description", "summary", "title", "example", "examples", "externalDocs",
                                       "$comment", "xml"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (k->len == strlen(keys[i]) && !memcmp(k->str, keys[i], k->len)) return true;
    return false;
}

static void canon_into(ac_doc_node *n, char **buf, size_t *len, size_t *cap, int depth, bool skip_annotations)
{
#define PUT(s, l)                                                    \
    do {                                                             \
        size_t _l = (l);                                             \
        if (*len + _l + 1 > *cap) {                                  \
            *cap = (*len + _l + 1) * 2;                              \
            *buf = ac_xrealloc(*buf, *cap);                          \
        }                                                            \
        memcpy(*buf + *len, (s), _l);                                \
        *len += _l;                                                  \
    } while (0)
    if (depth > 64) {
        PUT("…", strlen("…"));
        return;
    }
    switch (n->type) {
    case AC_DOC_NULL: PUT("null", 4); break;
    case AC_DOC_BOOL: PUT(n->b ? "true" : "false", n->b ? 4 : 5); break;
    case AC_DOC_NUMBER: {
        /* a value the double does not hold exactly (1e400, 2^53 + 1) is its exact decimal, so
         * two different numbers never compare equal */
        char tmp[AC_DOUBLE_TEXT];
        char *exact = ac_decimal_exact(n->str, n->len, n->num);
        const char *t = exact ? exact : ac_double_text(n->num, tmp);
        PUT(t, strlen(t));
        free(exact);
        break;
    }
    case AC_DOC_STRING:
        PUT("\"", 1);
        for (size_t i = 0; i < n->len; i++) {
            char c = n->str[i];
            if (c == '"' || c == '\\') {
                PUT("\\", 1);
                PUT(&c, 1);
            } else if ((unsigned char)c < 0x20) {
                char tmp[8];
                snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned char)c);
                PUT(tmp, 6);
            } else {
                PUT(&c, 1);
            }
        }
        PUT("\"", 1);
        break;
    case AC_DOC_SEQ:
        PUT("[", 1);
        for (size_t i = 0; i < n->n; i++) {
            if (i) PUT(",", 1);
            canon_into(n->items[i], buf, len, cap, depth + 1, skip_annotations);
        }
        PUT("]", 1);
        break;
    case AC_DOC_MAP:
        PUT("{", 1);
        for (size_t i = 0, w = 0; i < n->n; i++) {
            if (skip_annotations && annotation_key(n->pairs[i].key)) continue;
            if (w++) PUT(",", 1);
            ac_doc_node k = *n->pairs[i].key;
            k.type = AC_DOC_STRING;
            canon_into(&k, buf, len, cap, depth + 1, skip_annotations);
            PUT(":", 1);
            canon_into(n->pairs[i].value, buf, len, cap, depth + 1, skip_annotations);
        }
        PUT("}", 1);
        break;
    }
#undef PUT
}

/* The value as compact JSON, numbers in their shortest exact form: equal values compare equal. */
static const char *canon_opt(oas_state *S, ac_doc_node *n, bool skip_annotations)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    canon_into(n, &buf, &len, &cap, 0, skip_annotations);
    const char *out = ac_arena_strndup(S->a, buf ? buf : "", len);
    free(buf);
    return out;
}

static const char *canon(oas_state *S, ac_doc_node *n)
{
    return canon_opt(S, n, false);
}

/* A list of strings (scalars as written); absent or null is the empty list. */
static int string_list(oas_state *S, const ac_doc *d, ac_doc_node *n, const char *what, ac_oas_strlist *out)
{
    ac_oas_strlist l = {0};
    if (absent(n)) {
        *out = l;
        return AC_OK;
    }
    if (n->type != AC_DOC_SEQ) return wrong_type(S, d, n, what, "a list");
    l.v = ac_arena_alloc(S->a, (n->n ? n->n : 1) * sizeof *l.v);
    for (size_t i = 0; i < n->n; i++) {
        ac_doc_node *e = n->items[i];
        if (!ac_doc_is_scalar(e) || e->type == AC_DOC_NULL)
            return fail_at(S, d, e, "%s entries must be strings, found a %s", what, ac_doc_type_name(e->type));
        l.v[l.n++] = e->str;
    }
    *out = l;
    return AC_OK;
}

static ac_oas_strlist value_list(oas_state *S, ac_doc_node *n)
{
    ac_oas_strlist l = {0};
    if (!n || n->type != AC_DOC_SEQ) return l;
    l.v = ac_arena_alloc(S->a, (n->n ? n->n : 1) * sizeof *l.v);
    for (size_t i = 0; i < n->n; i++) l.v[l.n++] = canon(S, n->items[i]);
    return l;
}

/* ---- schemas ------------------------------------------------------------------------------------ */

static ac_oas_schema *new_schema(oas_state *S, const ac_doc *doc, ac_doc_node *node)
{
    ac_oas_schema *s = ac_arena_alloc(S->a, sizeof *s);
    s->id = S->c->oas->schema_count++;
    s->src = node;
    s->min_len = s->max_len = s->min_items = s->max_items = -1;
    s->x = &ac_oas_schema_x_none;
    ac_strmap_putn(&S->schemas, (const char *)&s->src, sizeof s->src, s); /* the key: the node pointer, kept in s */
    if (S->qlen == S->qcap) {
        S->qcap = S->qcap ? S->qcap * 2 : 256;
        S->queue = ac_xrealloc(S->queue, S->qcap * sizeof *S->queue);
    }
    S->queue[S->qlen++] = (pending){s, doc, node};
    return s;
}

/* The IR schema of a schema node: resolves $refs, converts each target once.  NULL (with the status
 * set) on error. */
static ac_oas_schema *schema_of(oas_state *S, const ac_doc *doc, ac_doc_node *node, const char *what)
{
    const char *name = NULL, *ref = NULL;
    /* 2019-09 and later: a $ref is one keyword of its schema (kw_ref), not a replacement */
    bool ref_is_keyword = S->standalone && S->dialect >= AC_JS_2019;
    if (!ref_is_keyword && resolve(S, &doc, &node, &name, &ref)) return NULL;
    if (node->type != AC_DOC_MAP && node->type != AC_DOC_BOOL) {
        fail_at(S, doc, node, "%s must be a schema (a map), found a %s", what, ac_doc_type_name(node->type));
        return NULL;
    }
    ac_oas_schema *s = ac_strmap_getn(&S->schemas, (const char *)&node, sizeof node);
    if (!s) s = new_schema(S, doc, node);
    if (name && !s->name) s->name = name;
    if (ref && !s->ref) s->ref = ref;
    return s;
}

static uint8_t type_bit(const char *t)
{
    static const struct {
        const char *name;
        uint8_t bit;
    } types[] = {{"null", AC_OT_NULL},     {"boolean", AC_OT_BOOLEAN}, {"object", AC_OT_OBJECT}, {"array", AC_OT_ARRAY},
                 {"number", AC_OT_NUMBER}, {"string", AC_OT_STRING},   {"integer", AC_OT_INTEGER}, {"file", AC_OT_STRING}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(t, types[i].name)) return types[i].bit;
    return 0;
}

static int schema_list(oas_state *S, const ac_doc *doc, ac_doc_node *n, const char *what, ac_oas_schema ***out,
                       uint32_t *nout)
{
    if (n->type != AC_DOC_SEQ) return fail_at(S, doc, n, "%s must be a list of schemas, found a %s", what, ac_doc_type_name(n->type));
    *out = ac_arena_alloc(S->a, (n->n ? n->n : 1) * sizeof **out);
    *nout = (uint32_t)n->n;
    for (size_t i = 0; i < n->n; i++)
        if (!((*out)[i] = schema_of(S, doc, n->items[i], what))) return AC_ERROR;
    return AC_OK;
}

static int schema_map(oas_state *S, const ac_doc *doc, ac_doc_node *n, const char *what, ac_oas_named **out,
                      uint32_t *nout)
{
    if (null_as_empty(S, n, what)) return AC_OK;
    if (n->type != AC_DOC_MAP) return fail_at(S, doc, n, "%s must be a map of schemas, found a %s", what, ac_doc_type_name(n->type));
    *out = ac_arena_alloc(S->a, (n->n ? n->n : 1) * sizeof **out);
    *nout = (uint32_t)n->n;
    for (size_t i = 0; i < n->n; i++) {
        (*out)[i].name = n->pairs[i].key->str;
        (*out)[i].src = n->pairs[i].key;
        if (!((*out)[i].schema = schema_of(S, doc, n->pairs[i].value, what))) return AC_ERROR;
    }
    return AC_OK;
}

/* true / false as schemas (3.1), or a schema */
static int bool_or_schema(oas_state *S, const ac_doc *doc, ac_doc_node *n, const char *what, int *flag, ac_oas_schema **out)
{
    if (n->type == AC_DOC_BOOL) {
        *flag = n->b ? 2 : 1;
        return AC_OK;
    }
    *flag = 3;
    return (*out = schema_of(S, doc, n, what)) ? AC_OK : AC_ERROR;
}

/* Each branch as written: where findings about it point (the `- $ref: ...` entry). */
static ac_src *branch_srcs(oas_state *S, ac_doc_node *list)
{
    ac_src *v = ac_arena_alloc(S->a, (list->n ? list->n : 1) * sizeof *v);
    for (size_t i = 0; i < list->n; i++) v[i] = list->items[i];
    return v;
}

/* A hash of each branch's content (a $ref'd branch hashed as its target, annotations left out), to
 * pair branches that accept the same values even when a component was renamed. */
static uint64_t *digests(oas_state *S, const ac_doc *doc, ac_doc_node *list)
{
    uint64_t *d = ac_arena_alloc(S->a, (list->n ? list->n : 1) * sizeof *d);
    for (size_t i = 0; i < list->n; i++) {
        const ac_doc *td = doc;
        ac_doc_node *t = list->items[i];
        if (resolve(S, &td, &t, NULL, NULL)) t = list->items[i]; /* the error is reported when the branch is read */
        const char *c = canon_opt(S, t, true);
        uint64_t h = 1469598103934665603ull;
        for (const unsigned char *p = (const unsigned char *)c; *p; p++) h = (h ^ *p) * 1099511628211ull;
        d[i] = h;
    }
    return d;
}

/* The schema's own copy of its rarely used keywords, made on the first one written. */
static ac_oas_schema_x *own_x(oas_state *S, ac_oas_schema *s, ac_oas_schema_x **w)
{
    if (!*w) {
        *w = ac_arena_memdup(S->a, s->x, sizeof **w);
        s->x = *w;
    }
    return *w;
}

/* ---- schema keywords: one row each ------------------------------------------------------------- */

/* What a keyword handler is given: the schema being filled and, copied on first write, its rarely
 * used part. */
typedef struct kwctx {
    oas_state *S;
    ac_oas_schema *s;
    ac_oas_schema_x *w;
    const ac_doc *doc;
    ac_doc_node *node; /* the schema's map */
} kwctx;

static ac_oas_schema_x *rare(kwctx *c)
{
    return own_x(c->S, c->s, &c->w);
}

static int kw_type(kwctx *c, ac_doc_node *v, const char *key)
{
    oas_state *S = c->S;
    ac_oas_schema *s = c->s;
    s->typed = true;
    if (v->type == AC_DOC_STRING) {
        uint8_t b = type_bit(v->str);
        if (!b) {
            b = AC_OT_UNKNOWN;
            if (!s->x->unknown_type) rare(c)->unknown_type = v->str;
            note_unknown_type(S, v, v->str);
        }
        s->types |= b;
        /* Swagger 2.0 `type: file` is what OpenAPI 3 writes as a binary string */
        if (!strcmp(v->str, "file") && !s->format) s->format = "binary";
    } else if (v->type == AC_DOC_SEQ) {
        for (size_t j = 0; j < v->n; j++) {
            const char *t = str_of(v->items[j]);
            if (!t || v->items[j]->type != AC_DOC_STRING)
                return fail_at(S, c->doc, v->items[j], "unknown schema type in the type list");
            uint8_t b = type_bit(t);
            if (!b) {
                b = AC_OT_UNKNOWN;
                if (!s->x->unknown_type) rare(c)->unknown_type = t;
                note_unknown_type(S, v->items[j], t);
            }
            s->types |= b;
        }
    } else {
        return fail_at(S, c->doc, v, "type must be a string or a list of strings, found a %s", ac_doc_type_name(v->type));
    }
    if (s->types & AC_OT_NULL) s->nullable = true;
    return AC_OK;
}

static int kw_nullable(kwctx *c, ac_doc_node *v, const char *key)
{
    bool b = false;
    if (read_bool(c->S, c->doc, v, key, &b)) return AC_ERROR;
    if (b) c->s->nullable = true;
    return AC_OK;
}

static int kw_title(kwctx *c, ac_doc_node *v, const char *key)
{
    c->s->title = str_of(v);
    return AC_OK;
}

static int kw_enum(kwctx *c, ac_doc_node *v, const char *key)
{
    if (v->type != AC_DOC_SEQ) return expect_type(c->S, c->doc, v, AC_DOC_SEQ, "enum");
    c->s->has_enum = true;
    c->s->enums = value_list(c->S, v);
    return AC_OK;
}

static int kw_xenum(kwctx *c, ac_doc_node *v, const char *key)
{
    if (v->type == AC_DOC_SEQ) {
        rare(c)->has_xenum = true;
        rare(c)->xenums = value_list(c->S, v);
    }
    return AC_OK;
}

static int kw_const(kwctx *c, ac_doc_node *v, const char *key)
{
    rare(c)->konst = canon(c->S, v);
    return AC_OK;
}

static int kw_default(kwctx *c, ac_doc_node *v, const char *key)
{
    c->s->dflt = canon(c->S, v);
    return AC_OK;
}

static int kw_bound(kwctx *c, ac_doc_node *v, const char *key)
{
    ac_oas_bound *b = key[1] == 'i' ? &c->s->min : &c->s->max; /* m_i_nimum / m_a_ximum */
    if (v->type != AC_DOC_NUMBER) return expect_type(c->S, c->doc, v, AC_DOC_NUMBER, key);
    b->set = true;
    b->v = v->num;
    b->exact = exact_number(c->S, v);
    return AC_OK;
}

static int kw_exclusive_bound(kwctx *c, ac_doc_node *v, const char *key)
{
    bool is_min = key[10] == 'i'; /* exclusiveM_i_nimum / exclusiveM_a_ximum */
    ac_oas_bound *b = is_min ? &c->s->min : &c->s->max;
    if (v->type == AC_DOC_BOOL) {
        b->exclusive = v->b; /* 3.0: applies to minimum / maximum */
    } else if (v->type == AC_DOC_NUMBER) {
        /* 3.1: the bound itself; the tighter of the two bounds wins */
        const char *exact = exact_number(c->S, v);
        int cmp = b->set ? ac_number_cmp(v->num, exact, b->v, b->exact) : 0;
        if (!b->set || (is_min ? cmp >= 0 : cmp <= 0)) {
            b->set = true;
            b->exclusive = true;
            b->v = v->num;
            b->exact = exact;
        }
    } else {
        return fail_at(c->S, c->doc, v, "%s must be a number or a boolean", key);
    }
    return AC_OK;
}

/* An empty pattern matches every string: it is no constraint, as if absent. */
static int kw_pattern(kwctx *c, ac_doc_node *v, const char *key)
{
    const char *p = NULL;
    if (read_string(c->S, c->doc, v, key, &p)) return AC_ERROR;
    c->s->pattern = p && *p ? p : NULL;
    return AC_OK;
}

static int kw_multiple_of(kwctx *c, ac_doc_node *v, const char *key)
{
    if (absent(v)) return AC_OK;
    if (v->type != AC_DOC_NUMBER) return wrong_type(c->S, c->doc, v, key, "a number");
    /* judged as written: 1e-400 is positive although the double underflows to 0 */
    ac_decimal dec;
    bool positive = v->num > 0;
    if (ac_decimal_parse(v->str, v->len, &dec)) {
        positive = !dec.neg && dec.ndigits;
        free(dec.buf);
    }
    if (!positive) return fail_at(c->S, c->doc, v, "multipleOf must be greater than 0, found %s", v->str);
    rare(c)->has_multiple_of = true;
    rare(c)->multiple_of = v->num;
    rare(c)->multiple_of_text = v->str;
    return AC_OK;
}

/* OpenAPI 3.0 and 3.1 (JSON Schema 2020-12) both say `items` is a schema; a tuple is prefixItems */
static int kw_prefix_items(kwctx *c, ac_doc_node *v, const char *key)
{
    if (c->S->standalone && c->S->dialect < AC_JS_2020) return AC_OK; /* not a keyword before 2020-12 */
    return schema_list(c->S, c->doc, v, "prefixItems", &rare(c)->prefix_items, &rare(c)->nprefix);
}

/* Standalone schemas before 2020-12 write a tuple as a list of `items`, and the schema of the
 * items after it as additionalItems: the IR holds them as 2020-12 does (prefixItems, items). */
static bool tuple_items(kwctx *c)
{
    ac_doc_node *it = ac_doc_get(c->node, "items");
    return c->S->standalone && c->S->dialect < AC_JS_2020 && it && it->type == AC_DOC_SEQ;
}

static int kw_items(kwctx *c, ac_doc_node *v, const char *key)
{
    if (tuple_items(c)) return schema_list(c->S, c->doc, v, "items", &rare(c)->prefix_items, &rare(c)->nprefix);
    return (c->s->items = schema_of(c->S, c->doc, v, key)) ? AC_OK : AC_ERROR;
}

static int kw_additional_items(kwctx *c, ac_doc_node *v, const char *key)
{
    if (!tuple_items(c)) return AC_OK;
    return (c->s->items = schema_of(c->S, c->doc, v, key)) ? AC_OK : AC_ERROR;
}

/* $ref beside other keywords (standalone, 2019-09 and later); elsewhere resolve() replaced the
 * schema by its target before it was read. */
static int kw_ref(kwctx *c, ac_doc_node *v, const char *key)
{
    oas_state *S = c->S;
    if (!S->standalone || S->dialect < AC_JS_2019) return AC_OK;
    if ((!strcmp(key, "$dynamicRef") && S->dialect < AC_JS_2020) || (!strcmp(key, "$recursiveRef") && S->dialect != AC_JS_2019))
        return AC_OK;
    ac_doc_node *t;
    if (ref_hop(S, c->doc, c->node, key, &t, NULL)) return AC_ERROR;
    const ac_doc *td = doc_of_node(S->c, t);
    ac_oas_schema *target = schema_of(S, td ? td : c->doc, t, key);
    if (!target) return AC_ERROR;
    ac_oas_schema_x *x = rare(c);
    if (!strcmp(key, "$ref")) {
        x->ref_target = target;
        return AC_OK;
    }
    x->dynamic_ref = target;
    /* dynamic only when the static target declares the anchor itself ($dynamicAnchor of the same
     * name; $recursiveAnchor: true) */
    if (!strcmp(key, "$recursiveRef")) {
        ac_doc_node *ra = t->type == AC_DOC_MAP ? ac_doc_get(t, "$recursiveAnchor") : NULL;
        if (S->dialect == AC_JS_2019 && ra && ra->type == AC_DOC_BOOL && ra->b) x->dynamic_name = "";
    } else if (S->dialect >= AC_JS_2020) {
        const char *hash = strchr(v->str, '#');
        const char *da = t->type == AC_DOC_MAP ? str_of(ac_doc_get(t, "$dynamicAnchor")) : NULL;
        if (hash && hash[1] && hash[1] != '/' && da && !strcmp(da, hash + 1)) x->dynamic_name = da;
    }
    return AC_OK;
}

/* draft 4-7 `dependencies`: a list is dependentRequired, a schema dependentSchemas (added to
 * those of dependentRequired / dependentSchemas when both are written) */
static int kw_dependencies(kwctx *c, ac_doc_node *v, const char *key)
{
    oas_state *S = c->S;
    /* 2019-09 split it in two; implementations keep reading it, as the suite's optional tests ask */
    if (!S->standalone) return AC_OK;
    if (v->type != AC_DOC_MAP) return expect_type(S, c->doc, v, AC_DOC_MAP, "dependencies");
    ac_oas_schema_x *x = rare(c);
    size_t nr = x->ndependent_required, ns = x->ndependent_schemas;
    ac_oas_named *dr = ac_arena_alloc(S->a, (v->n + nr + 1) * sizeof *dr), *ds = ac_arena_alloc(S->a, (v->n + ns + 1) * sizeof *ds);
    ac_oas_strlist *dl = ac_arena_alloc(S->a, (v->n + nr + 1) * sizeof *dl);
    if (nr) memcpy(dr, x->dependent_required, nr * sizeof *dr), memcpy(dl, x->dep_lists, nr * sizeof *dl);
    if (ns) memcpy(ds, x->dependent_schemas, ns * sizeof *ds);
    x->dependent_required = dr, x->dep_lists = dl, x->dependent_schemas = ds;
    for (size_t j = 0; j < v->n; j++) {
        ac_doc_node *dv = v->pairs[j].value;
        if (dv->type == AC_DOC_SEQ) {
            uint32_t k = x->ndependent_required++;
            x->dependent_required[k].name = v->pairs[j].key->str;
            x->dependent_required[k].src = v->pairs[j].key;
            if (string_list(S, c->doc, dv, "dependencies", &x->dep_lists[k])) return AC_ERROR;
        } else {
            uint32_t k = x->ndependent_schemas++;
            x->dependent_schemas[k].name = v->pairs[j].key->str;
            x->dependent_schemas[k].src = v->pairs[j].key;
            if (!(x->dependent_schemas[k].schema = schema_of(S, c->doc, dv, "dependencies"))) return AC_ERROR;
        }
    }
    return AC_OK;
}

static int kw_properties(kwctx *c, ac_doc_node *v, const char *key)
{
    return schema_map(c->S, c->doc, v, "properties", &c->s->props, &c->s->nprops);
}

static int kw_pattern_properties(kwctx *c, ac_doc_node *v, const char *key)
{
    return schema_map(c->S, c->doc, v, "patternProperties", &rare(c)->pattern_props, &rare(c)->npattern_props);
}

static int kw_dependent_schemas(kwctx *c, ac_doc_node *v, const char *key)
{
    return schema_map(c->S, c->doc, v, "dependentSchemas", &rare(c)->dependent_schemas, &rare(c)->ndependent_schemas);
}

static int kw_required(kwctx *c, ac_doc_node *v, const char *key)
{
    /* a Swagger 2.0 parameter is its own schema: its boolean `required` is the parameter's */
    if (v->type == AC_DOC_BOOL) return AC_OK;
    if (v->type != AC_DOC_SEQ) return expect_type(c->S, c->doc, v, AC_DOC_SEQ, "required");
    return string_list(c->S, c->doc, v, "required", &c->s->required);
}

static int kw_additional_properties(kwctx *c, ac_doc_node *v, const char *key)
{
    return bool_or_schema(c->S, c->doc, v, "additionalProperties", &c->s->addl, &c->s->addl_schema);
}

static int kw_unevaluated(kwctx *c, ac_doc_node *v, const char *key)
{
    ac_oas_schema *sch = NULL;
    int flag;
    int rc = bool_or_schema(c->S, c->doc, v, key, &flag, &sch);
    if (!strcmp(key, "unevaluatedProperties")) {
        rare(c)->unevaluated_props = flag == 1 ? 1 : 2;
        rare(c)->unevaluated_props_schema = sch;
    } else {
        rare(c)->unevaluated_items = flag == 1 ? 1 : 2;
        rare(c)->unevaluated_items_schema = sch;
    }
    return rc;
}

static int kw_all_of(kwctx *c, ac_doc_node *v, const char *key)
{
    ac_oas_schema *s = c->s;
    int rc = schema_list(c->S, c->doc, v, "allOf", &s->all_of, &s->nall_of);
    if (!rc) {
        s->all_of_digest = digests(c->S, c->doc, v);
        s->all_of_src = branch_srcs(c->S, v);
    }
    return rc;
}

static int kw_one_of(kwctx *c, ac_doc_node *v, const char *key)
{
    ac_oas_schema *s = c->s;
    int rc = schema_list(c->S, c->doc, v, "oneOf", &s->one_of, &s->none_of);
    if (!rc) {
        s->one_of_digest = digests(c->S, c->doc, v);
        s->one_of_src = branch_srcs(c->S, v);
    }
    return rc;
}

static int kw_any_of(kwctx *c, ac_doc_node *v, const char *key)
{
    ac_oas_schema *s = c->s;
    int rc = schema_list(c->S, c->doc, v, "anyOf", &s->any_of, &s->nany_of);
    if (!rc) {
        s->any_of_digest = digests(c->S, c->doc, v);
        s->any_of_src = branch_srcs(c->S, v);
    }
    return rc;
}

static int kw_dependent_required(kwctx *c, ac_doc_node *v, const char *key)
{
    oas_state *S = c->S;
    if (v->type != AC_DOC_MAP) return expect_type(S, c->doc, v, AC_DOC_MAP, "dependentRequired");
    ac_oas_schema_x *x = rare(c);
    x->ndependent_required = (uint32_t)v->n;
    x->dependent_required = ac_arena_alloc(S->a, (v->n ? v->n : 1) * sizeof *x->dependent_required);
    x->dep_lists = ac_arena_alloc(S->a, (v->n ? v->n : 1) * sizeof *x->dep_lists);
    for (size_t j = 0; j < v->n; j++) {
        x->dependent_required[j].name = v->pairs[j].key->str;
        x->dependent_required[j].src = v->pairs[j].key;
        if (string_list(S, c->doc, v->pairs[j].value, "dependentRequired", &x->dep_lists[j])) return AC_ERROR;
    }
    return AC_OK;
}

static int kw_discriminator(kwctx *c, ac_doc_node *v, const char *key)
{
    oas_state *S = c->S;
    const ac_doc *doc = c->doc;
    if (v->type == AC_DOC_MAP) {
        ac_oas_schema_x *x = rare(c);
        x->has_discriminator = true;
        ac_doc_node *m;
        if (read_text(S, doc, ac_doc_get(v, "propertyName"), "discriminator.propertyName", &x->discriminator) ||
            read_map(S, doc, ac_doc_get(v, "mapping"), "discriminator.mapping", &m))
            return AC_ERROR;
        if (m) {
            x->mapping_keys.v = ac_arena_alloc(S->a, (m->n ? m->n : 1) * sizeof(char *));
            x->mapping_vals.v = ac_arena_alloc(S->a, (m->n ? m->n : 1) * sizeof(char *));
            for (size_t j = 0; j < m->n; j++) {
                const char *target = "";
                if (read_text(S, doc, m->pairs[j].value, "a discriminator mapping", &target)) return AC_ERROR;
                x->mapping_keys.v[x->mapping_keys.n++] = m->pairs[j].key->str;
                x->mapping_vals.v[x->mapping_vals.n++] = target;
            }
        }
    } else if (v->type == AC_DOC_STRING && S->version == 20) { /* Swagger 2.0: the property name */
        rare(c)->has_discriminator = true;
        rare(c)->discriminator = v->str;
    } else if (!absent(v)) {
        return wrong_type(S, doc, v, key, S->version == 20 ? "a property name" : "a map");
    }
    return AC_OK;
}

/* How a keyword is read: into a field of the schema (or of its rarely used part) by type, or by a
 * handler. */
typedef enum { KW_FN, KW_COUNT, KW_BOOL, KW_TEXT, KW_STRING, KW_SCHEMA } kw_kind;

typedef struct keyword {
    const char *name;
    kw_kind kind;
    bool rare;  /* the field is in ac_oas_schema_x */
    size_t off; /* the field's offset */
    int (*read)(kwctx *c, ac_doc_node *v, const char *key);
} keyword;

/* offsetof, checked against the field's type */
#define AT(T, type, f) (offsetof(T, f) + 0 * sizeof((type *)0 == &((T *)0)->f))
#define FN(name, fn) {name, KW_FN, false, 0, fn}
#define FIELD(name, kind, type, f) {name, kind, false, AT(ac_oas_schema, type, f), NULL}
#define RARE_FIELD(name, kind, type, f) {name, kind, true, AT(ac_oas_schema_x, type, f), NULL}

static const keyword keywords[] = {
    FN("type", kw_type),
    FN("nullable", kw_nullable),
    FN("x-nullable", kw_nullable),
    FIELD("format", KW_TEXT, const char *, format),
    FN("title", kw_title),
    FN("enum", kw_enum),
    FN("x-extensible-enum", kw_xenum),
    FN("const", kw_const),
    FN("default", kw_default),
    FN("minimum", kw_bound),
    FN("maximum", kw_bound),
    FN("exclusiveMinimum", kw_exclusive_bound),
    FN("exclusiveMaximum", kw_exclusive_bound),
    FN("multipleOf", kw_multiple_of),
    FIELD("minLength", KW_COUNT, int64_t, min_len),
    FIELD("maxLength", KW_COUNT, int64_t, max_len),
    FIELD("minItems", KW_COUNT, int64_t, min_items),
    FIELD("maxItems", KW_COUNT, int64_t, max_items),
    RARE_FIELD("minProperties", KW_COUNT, int64_t, min_props),
    RARE_FIELD("maxProperties", KW_COUNT, int64_t, max_props),
    RARE_FIELD("minContains", KW_COUNT, int64_t, min_contains),
    RARE_FIELD("maxContains", KW_COUNT, int64_t, max_contains),
    FIELD("uniqueItems", KW_BOOL, bool, unique_items),
    FN("pattern", kw_pattern),
    FIELD("readOnly", KW_BOOL, bool, read_only),
    FIELD("writeOnly", KW_BOOL, bool, write_only),
    FIELD("deprecated", KW_BOOL, bool, deprecated),
    FIELD("x-sunset", KW_TEXT, const char *, sunset),
    FIELD("x-stability-level", KW_TEXT, const char *, stability),
    RARE_FIELD("contentEncoding", KW_TEXT, const char *, content_encoding),
    RARE_FIELD("contentMediaType", KW_TEXT, const char *, content_media_type),
    FN("items", kw_items),
    FN("additionalItems", kw_additional_items),
    FN("$ref", kw_ref),
    FN("$dynamicRef", kw_ref),
    FN("$recursiveRef", kw_ref),
    FN("dependencies", kw_dependencies),
    FN("prefixItems", kw_prefix_items),
    FN("properties", kw_properties),
    FN("patternProperties", kw_pattern_properties),
    FN("dependentSchemas", kw_dependent_schemas),
    FN("required", kw_required),
    FN("additionalProperties", kw_additional_properties),
    FN("unevaluatedProperties", kw_unevaluated),
    FN("unevaluatedItems", kw_unevaluated),
    FN("allOf", kw_all_of),
    FN("oneOf", kw_one_of),
    FN("anyOf", kw_any_of),
    RARE_FIELD("not", KW_SCHEMA, ac_oas_schema *, not_),
    RARE_FIELD("if", KW_SCHEMA, ac_oas_schema *, if_),
    RARE_FIELD("then", KW_SCHEMA, ac_oas_schema *, then_),
    RARE_FIELD("else", KW_SCHEMA, ac_oas_schema *, else_),
    RARE_FIELD("contains", KW_SCHEMA, ac_oas_schema *, contains),
    RARE_FIELD("propertyNames", KW_SCHEMA, ac_oas_schema *, property_names),
    RARE_FIELD("contentSchema", KW_SCHEMA, ac_oas_schema *, content_schema),
    FN("dependentRequired", kw_dependent_required),
    FN("discriminator", kw_discriminator),
};

#undef AT
#undef FN
#undef FIELD
#undef RARE_FIELD

/* Reads one keyword of a schema; unknown keywords are ignored. */
static int read_keyword(kwctx *c, const char *key, ac_doc_node *v)
{
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++) {
        const keyword *kw = &keywords[i];
        if (strcmp(key, kw->name)) continue;
        if (kw->kind == KW_FN) return kw->read(c, v, key);
        char *base = kw->rare ? (char *)rare(c) : (char *)c->s;
        void *field = base + kw->off;
        switch (kw->kind) {
        case KW_COUNT: return read_count(c->S, c->doc, v, key, field);
        case KW_BOOL: return read_bool(c->S, c->doc, v, key, field);
        case KW_TEXT: return read_text(c->S, c->doc, v, key, field);
        case KW_STRING: return read_string(c->S, c->doc, v, key, field);
        case KW_SCHEMA: return (*(ac_oas_schema **)field = schema_of(c->S, c->doc, v, key)) ? AC_OK : AC_ERROR;
        case KW_FN: break;
        }
        return AC_OK;
    }
    return AC_OK;
}

static int fill_schema(oas_state *S, ac_oas_schema *s, const ac_doc *doc, ac_doc_node *n)
{
    if (n->type == AC_DOC_BOOL) {
        if (!n->b) { /* false: nothing validates */
            s->has_enum = true;
            s->enums.n = 0;
        }
        return AC_OK;
    }
    kwctx c = {S, s, NULL, doc, n};
    for (size_t i = 0; i < n->n; i++) {
        int rc = read_keyword(&c, n->pairs[i].key->str, n->pairs[i].value);
        if (rc) return rc;
    }
    return AC_OK;
}

static int drain_queue(oas_state *S)
{
    for (size_t i = 0; i < S->qlen; i++) {
        pending p = S->queue[i];
        if (fill_schema(S, p.schema, p.doc, p.node)) return AC_ERROR;
    }
    S->qlen = 0;
    return AC_OK;
}

/* ---- operations --------------------------------------------------------------------------------- */

static const char *const methods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

/* "/pets/{petId}/toys" -> "/pets/{}/toys": path parameter names do not take part in identity. */
static const char *normalise_path(ac_arena *a, const char *p)
{
    size_t n = strlen(p);
    char *out = ac_arena_alloc(a, n + 1), *w = out;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '{') {
            const char *close = strchr(p + i, '}');
            if (close) {
                *w++ = '{';
                *w++ = '}';
                i = (size_t)(close - p);
                continue;
            }
        }
        *w++ = p[i];
    }
    *w = 0;
    return out;
}

static int path_param_index(const char *path, const char *name)
{
    int idx = 0;
    size_t nl = strlen(name);
    for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{'), idx++) {
        const char *close = strchr(p, '}');
        if (close && (size_t)(close - p - 1) == nl && !strncmp(p + 1, name, nl)) return idx;
    }
    return -1;
}

static char *lower(ac_arena *a, const char *s)
{
    char *out = ac_arena_strdup(a, s);
    for (char *p = out; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    return out;
}

/* Swagger 2.0 parameters and headers carry their schema inline: type, format, items, enum, ... */
static ac_oas_schema *inline_schema(oas_state *S, const ac_doc *doc, ac_doc_node *node)
{
    ac_oas_schema *s = ac_strmap_getn(&S->schemas, (const char *)&node, sizeof node);
    return s ? s : new_schema(S, doc, node);
}

static int media_map(oas_state *S, const ac_doc *doc, ac_doc_node *content, ac_oas_media **out, uint32_t *n)
{
    *out = NULL; /* none, also when `content` holds null (read as empty) */
    *n = 0;
    if (null_as_empty(S, content, "content")) return AC_OK;
    if (content->type != AC_DOC_MAP) return expect_type(S, doc, content, AC_DOC_MAP, "content");
    *out = ac_arena_alloc(S->a, (content->n ? content->n : 1) * sizeof **out);
    *n = (uint32_t)content->n;
    for (size_t i = 0; i < content->n; i++) {
        ac_oas_media *m = &(*out)[i];
        m->type = lower(S->a, content->pairs[i].key->str);
        m->src = content->pairs[i].key;
        const ac_doc *d = doc;
        ac_doc_node *mt = content->pairs[i].value;
        if (resolve(S, &d, &mt, NULL, NULL)) return AC_ERROR;
        if (null_as_empty(S, mt, "a media type object")) continue;
        if (mt->type != AC_DOC_MAP) return expect_type(S, d, mt, AC_DOC_MAP, "a media type object");
        ac_doc_node *sch = ac_doc_get(mt, "schema");
        if (sch && !(m->schema = schema_of(S, d, sch, "schema"))) return AC_ERROR;
    }
    return AC_OK;
}

static int load_param(oas_state *S, const ac_doc *doc, ac_doc_node *node, const char *path, ac_oas_param *p,
                      ac_doc_node **body_param, ac_doc_node **form_params, size_t *nform, ac_doc_node **form_doc_nodes)
{
    (void)form_doc_nodes;
    const ac_doc *d = doc;
    if (resolve(S, &d, &node, NULL, NULL)) return AC_ERROR;
    if (node->type != AC_DOC_MAP) return expect_type(S, d, node, AC_DOC_MAP, "a parameter");
    const char *name = NULL, *in = NULL;
    if (read_text(S, d, ac_doc_get(node, "name"), "name", &name) || read_text(S, d, ac_doc_get(node, "in"), "in", &in))
        return AC_ERROR;
    if (!name || !in) return fail_at(S, d, node, "a parameter needs \"name\" and \"in\"");
    if (!strcmp(in, "body")) {
        *body_param = node;
        return 1; /* not a parameter */
    }
    if (!strcmp(in, "formData")) {
        form_params[(*nform)++] = node;
        return 1;
    }
    if (strcmp(in, "query") && strcmp(in, "header") && strcmp(in, "path") && strcmp(in, "cookie"))
        return fail_at(S, d, ac_doc_get(node, "in"), "unknown parameter location \"%s\" (expected query, header, path or cookie)", in);
    p->name = name;
    p->in = in;
    p->src = node;
    if (!strcmp(in, "header")) p->key = ac_arena_printf(S->a, "header:%s", lower(S->a, name));
    else if (!strcmp(in, "path")) {
        int idx = path_param_index(path, name);
        p->key = idx >= 0 ? ac_arena_printf(S->a, "path:#%d", idx) : ac_arena_printf(S->a, "path:%s", name);
    } else p->key = ac_arena_printf(S->a, "%s:%s", in, name);
    bool explode = false;
    ac_doc_node *ex = ac_doc_get(node, "explode");
    if (read_bool(S, d, ac_doc_get(node, "required"), "required", &p->required) ||
        read_bool(S, d, ac_doc_get(node, "deprecated"), "deprecated", &p->deprecated) ||
        read_text(S, d, ac_doc_get(node, "x-sunset"), "x-sunset", &p->sunset) ||
        read_text(S, d, ac_doc_get(node, "x-stability-level"), "x-stability-level", &p->stability) ||
        read_text(S, d, ac_doc_get(node, "style"), "style", &p->style) || read_bool(S, d, ex, "explode", &explode))
        return AC_ERROR;
    if (!strcmp(in, "path")) p->required = true;
    p->explode = absent(ex) ? -1 : explode;
    ac_doc_node *sch = ac_doc_get(node, "schema"), *content = ac_doc_get(node, "content");
    if (sch) {
        if (!(p->schema = schema_of(S, d, sch, "schema"))) return AC_ERROR;
    } else if (content) {
        ac_oas_media *m;
        uint32_t n;
        if (media_map(S, d, content, &m, &n)) return AC_ERROR;
        if (n) {
            p->schema = m[0].schema;
            p->media = m[0].type;
        }
    } else if (ac_doc_get(node, "type")) {
        p->schema = inline_schema(S, d, node); /* Swagger 2.0 */
    }
    return AC_OK;
}

/* Swagger 2.0: the media types of an operation (its own, else the document's). */
static int media_types(oas_state *S, const ac_doc *d, ac_doc_node *op, const char *key, const char *fallback,
                       ac_oas_strlist *out)
{
    ac_oas_strlist l;
    if (string_list(S, d, ac_doc_get(op, key), key, &l)) return AC_ERROR;
    if (!l.n && string_list(S, S->main, ac_doc_get(S->main->root, key), key, &l)) return AC_ERROR;
    if (!l.n && fallback) {
        l.v = ac_arena_alloc(S->a, sizeof *l.v);
        l.v[l.n++] = fallback;
    }
    *out = l;
    return AC_OK;
}

static int load_header(oas_state *S, const ac_doc *doc, const char *name, ac_doc_node *node, ac_oas_header *h)
{
    const ac_doc *d = doc;
    if (resolve(S, &d, &node, NULL, NULL)) return AC_ERROR;
    if (node->type != AC_DOC_MAP) return expect_type(S, d, node, AC_DOC_MAP, "a header");
    h->name = name; /* matched case-insensitively, shown as written */
    h->src = node;
    if (read_bool(S, d, ac_doc_get(node, "required"), "required", &h->required) ||
        read_bool(S, d, ac_doc_get(node, "deprecated"), "deprecated", &h->deprecated))
        return AC_ERROR;
    ac_doc_node *sch = ac_doc_get(node, "schema");
    if (sch) return (h->schema = schema_of(S, d, sch, "schema")) ? AC_OK : AC_ERROR;
    ac_doc_node *content = ac_doc_get(node, "content");
    if (content) {
        ac_oas_media *m;
        uint32_t n;
        if (media_map(S, d, content, &m, &n)) return AC_ERROR;
        if (n) h->schema = m[0].schema;
    } else if (ac_doc_get(node, "type")) {
        h->schema = inline_schema(S, d, node);
    }
    return AC_OK;
}

static int load_responses(oas_state *S, const ac_doc *doc, ac_doc_node *opnode, ac_doc_node *rs, ac_oas_op *op)
{
    if (null_as_empty(S, rs, "responses")) return AC_OK;
    if (rs->type != AC_DOC_MAP) return expect_type(S, doc, rs, AC_DOC_MAP, "responses");
    op->responses = ac_arena_alloc(S->a, (rs->n ? rs->n : 1) * sizeof *op->responses);
    for (size_t i = 0; i < rs->n; i++) {
        const char *code = rs->pairs[i].key->str;
        if (!strncmp(code, "x-", 2)) continue;
        ac_oas_response *r = &op->responses[op->nresponses++];
        r->code = code;
        r->src = rs->pairs[i].key;
        const ac_doc *d = doc;
        ac_doc_node *rn = rs->pairs[i].value;
        if (resolve(S, &d, &rn, NULL, NULL)) return AC_ERROR;
        if (null_as_empty(S, rn, "a response")) continue;
        if (rn->type != AC_DOC_MAP) return expect_type(S, d, rn, AC_DOC_MAP, "a response");
        r->resolved = rn;
        ac_doc_node *content = ac_doc_get(rn, "content");
        if (content) {
            if (media_map(S, d, content, &r->media, &r->nmedia)) return AC_ERROR;
        } else if (S->version == 20 && ac_doc_get(rn, "schema")) {
            ac_oas_schema *sch = schema_of(S, d, ac_doc_get(rn, "schema"), "schema");
            if (!sch) return AC_ERROR;
            ac_oas_strlist mts;
            if (media_types(S, doc, opnode, "produces", "application/json", &mts)) return AC_ERROR;
            r->media = ac_arena_alloc(S->a, mts.n * sizeof *r->media);
            for (uint32_t k = 0; k < mts.n; k++) r->media[r->nmedia++] = (ac_oas_media){lower(S->a, mts.v[k]), sch, ac_doc_get(rn, "schema")};
        }
        ac_doc_node *hs = ac_doc_get(rn, "headers");
        if (hs && hs->type == AC_DOC_MAP) {
            r->headers = ac_arena_alloc(S->a, (hs->n ? hs->n : 1) * sizeof *r->headers);
            for (size_t k = 0; k < hs->n; k++)
                if (load_header(S, d, hs->pairs[k].key->str, hs->pairs[k].value, &r->headers[r->nheaders++])) return AC_ERROR;
        } else if (hs && !null_as_empty(S, hs, "headers")) {
            return expect_type(S, d, hs, AC_DOC_MAP, "headers");
        }
    }
    return AC_OK;
}

static int load_security(oas_state *S, const ac_doc *doc, ac_doc_node *n, ac_oas_security *sec)
{
    if (!n) return AC_OK;
    if (n->type != AC_DOC_SEQ) return expect_type(S, doc, n, AC_DOC_SEQ, "security");
    sec->set = true;
    sec->src = n;
    sec->alts = ac_arena_alloc(S->a, (n->n ? n->n : 1) * sizeof *sec->alts);
    for (size_t i = 0; i < n->n; i++) {
        ac_doc_node *req = n->items[i];
        if (req->type != AC_DOC_MAP) return expect_type(S, doc, req, AC_DOC_MAP, "a security requirement");
        ac_oas_secreq *r = &sec->alts[sec->n++];
        r->schemes = ac_arena_alloc(S->a, (req->n ? req->n : 1) * sizeof *r->schemes);
        r->scopes = ac_arena_alloc(S->a, (req->n ? req->n : 1) * sizeof *r->scopes);
        for (size_t k = 0; k < req->n; k++) {
            r->schemes[r->n] = req->pairs[k].key->str;
            if (string_list(S, doc, req->pairs[k].value, "scopes", &r->scopes[r->n++])) return AC_ERROR;
        }
    }
    return AC_OK;
}

typedef struct oplist {
    ac_oas_op *v;
    size_t n, cap;
} oplist;

static ac_oas_op *push_op(oplist *l)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = ac_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    ac_oas_op *op = &l->v[l->n++];
    memset(op, 0, sizeof *op);
    return op;
}

static int load_path_item(oas_state *S, const ac_doc *doc, const char *path, ac_doc_node *item, ac_doc_node *key_node,
                          const char *prefix, bool webhook, oplist *ops, int depth);

static int load_operation(oas_state *S, const ac_doc *doc, const char *path, const char *method, ac_doc_node *opnode,
                          ac_doc_node *path_params, ac_doc_node *item, const char *prefix, bool webhook, oplist *ops,
                          int depth)
{
    if (opnode->type != AC_DOC_MAP) return expect_type(S, doc, opnode, AC_DOC_MAP, "an operation");
    ac_oas_op *op = push_op(ops);
    size_t opidx = ops->n - 1;
    op->method = method;
    op->path = path;
    op->webhook = webhook;
    char *upper = ac_arena_strdup(S->a, method);
    for (char *p = upper; *p; p++) *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    op->key = ac_arena_printf(S->a, "%s%s %s", prefix, upper, webhook ? path : normalise_path(S->a, path));
    op->label = ac_arena_printf(S->a, "%s%s %s", prefix, upper, path);
    op->src = opnode;
    op->path_src = item;
    op->parent = -1;
    if (read_text(S, doc, ac_doc_get(opnode, "operationId"), "operationId", &op->operation_id) ||
        string_list(S, doc, ac_doc_get(opnode, "tags"), "tags", &op->tags) ||
        read_bool(S, doc, ac_doc_get(opnode, "deprecated"), "deprecated", &op->deprecated) ||
        read_text(S, doc, ac_doc_get(opnode, "x-sunset"), "x-sunset", &op->sunset) ||
        read_text(S, doc, ac_doc_get(opnode, "x-stability-level"), "x-stability-level", &op->stability) ||
        (item && read_text(S, doc, ac_doc_get(item, "x-sunset"), "x-sunset", &op->path_sunset)))
        return AC_ERROR;

    /* parameters: the path item's, overridden by the operation's with the same name and location */
    ac_doc_node *oparams = ac_doc_get(opnode, "parameters");
    size_t cap = (path_params && path_params->type == AC_DOC_SEQ ? path_params->n : 0) +
                 (oparams && oparams->type == AC_DOC_SEQ ? oparams->n : 0);
    if (path_params && path_params->type == AC_DOC_NULL) path_params = NULL; /* noted with the path item */
    if (oparams && null_as_empty(S, oparams, "parameters")) oparams = NULL;
    if (path_params && path_params->type != AC_DOC_SEQ) return expect_type(S, doc, path_params, AC_DOC_SEQ, "parameters");
    if (oparams && oparams->type != AC_DOC_SEQ) return expect_type(S, doc, oparams, AC_DOC_SEQ, "parameters");
    ac_oas_param *params = ac_arena_alloc(S->a, (cap ? cap : 1) * sizeof *params);
    uint32_t np = 0;
    ac_doc_node *body_param = NULL, **form = ac_arena_alloc(S->a, (cap ? cap : 1) * sizeof *form);
    size_t nform = 0;
    for (int level = 0; level < 2; level++) {
        ac_doc_node *list = level == 0 ? path_params : oparams;
        for (size_t i = 0; list && i < list->n; i++) {
            ac_oas_param p;
            memset(&p, 0, sizeof p);
            int rc = load_param(S, doc, list->items[i], path, &p, &body_param, form, &nform, NULL);
            if (rc == AC_ERROR) return AC_ERROR;
            if (rc == 1) continue;
            p.path_level = level == 0;
            uint32_t k;
            for (k = 0; k < np && strcmp(params[k].key, p.key); k++) {
            }
            params[k] = p; /* same key: the operation's parameter replaces the path item's */
            if (k == np) np++;
        }
    }
    op = &ops->v[opidx];
    op->params = params;
    op->nparams = np;

    ac_doc_node *rb = ac_doc_get(opnode, "requestBody");
    if (null_as_empty(S, rb, "requestBody")) rb = NULL;
    if (rb) {
        const ac_doc *d = doc;
        if (resolve(S, &d, &rb, NULL, NULL)) return AC_ERROR;
        if (rb->type != AC_DOC_MAP) return expect_type(S, d, rb, AC_DOC_MAP, "requestBody");
        op->has_body = true;
        if (read_bool(S, d, ac_doc_get(rb, "required"), "required", &op->body_required)) return AC_ERROR;
        op->body_src = rb;
        ac_doc_node *content = ac_doc_get(rb, "content");
        if (content && media_map(S, d, content, &op->body, &op->nbody)) return AC_ERROR;
    } else if (body_param) { /* Swagger 2.0 */
        op->has_body = true;
        if (read_bool(S, doc, ac_doc_get(body_param, "required"), "required", &op->body_required)) return AC_ERROR;
        op->body_src = body_param;
        ac_doc_node *sch = ac_doc_get(body_param, "schema");
        ac_oas_schema *s = sch ? schema_of(S, doc, sch, "schema") : NULL;
        if (sch && !s) return AC_ERROR;
        ac_oas_strlist mts;
        if (media_types(S, doc, opnode, "consumes", "application/json", &mts)) return AC_ERROR;
        op->body = ac_arena_alloc(S->a, mts.n * sizeof *op->body);
        for (uint32_t k = 0; k < mts.n; k++) op->body[op->nbody++] = (ac_oas_media){lower(S->a, mts.v[k]), s, sch};
    } else if (nform) { /* Swagger 2.0 formData: an object schema of the form fields */
        ac_oas_schema *s = new_schema(S, doc, form[0]->parent);
        S->qlen--; /* built here, not from a node */
        s->typed = true;
        s->types = AC_OT_OBJECT;
        s->props = ac_arena_alloc(S->a, nform * sizeof *s->props);
        s->required.v = ac_arena_alloc(S->a, nform * sizeof(char *));
        bool required = false;
        for (size_t k = 0; k < nform; k++) {
            const char *fname = ac_doc_get(form[k], "name")->str; /* load_param checked it */
            bool freq = false;
            if (read_bool(S, doc, ac_doc_get(form[k], "required"), "required", &freq)) return AC_ERROR;
            s->props[s->nprops++] = (ac_oas_named){fname, inline_schema(S, doc, form[k]), form[k]};
            if (freq) {
                s->required.v[s->required.n++] = fname;
                required = true;
            }
        }
        op->has_body = true;
        op->body_required = required;
        op->body_src = form[0];
        ac_oas_strlist mts;
        if (media_types(S, doc, opnode, "consumes", "application/x-www-form-urlencoded", &mts)) return AC_ERROR;
        op->body = ac_arena_alloc(S->a, mts.n * sizeof *op->body);
        for (uint32_t k = 0; k < mts.n; k++) op->body[op->nbody++] = (ac_oas_media){lower(S->a, mts.v[k]), s, form[0]};
    }
    ac_doc_node *rs = ac_doc_get(opnode, "responses");
    if (rs && load_responses(S, doc, opnode, rs, &ops->v[opidx])) return AC_ERROR;
    if (load_security(S, doc, ac_doc_get(opnode, "security"), &ops->v[opidx].security)) return AC_ERROR;

    /* callbacks: their operations are compared too; a callback is not re-entered inside itself */
    ac_doc_node *cbs;
    if (read_map(S, doc, ac_doc_get(opnode, "callbacks"), "callbacks", &cbs)) return AC_ERROR;
    if (cbs && depth < 8) {
        const char *opkey = ops->v[opidx].key;
        for (size_t i = 0; i < cbs->n; i++) {
            const ac_doc *d = doc;
            ac_doc_node *cb = cbs->pairs[i].value;
            if (resolve(S, &d, &cb, NULL, NULL)) return AC_ERROR;
            if (cb->type != AC_DOC_MAP) return expect_type(S, d, cb, AC_DOC_MAP, "a callback");
            bool active = false;
            for (size_t k = 0; k < S->ncb_active && !active; k++) active = S->cb_active[k] == cb;
            if (active || S->ncb_active == sizeof S->cb_active / sizeof S->cb_active[0]) continue;
            S->cb_active[S->ncb_active++] = cb;
            size_t first = ops->n;
            for (size_t k = 0; k < cb->n; k++) {
                const char *cprefix = ac_arena_printf(S->a, "%sCALLBACK %s %s ", prefix, opkey, cbs->pairs[i].key->str);
                if (load_path_item(S, d, cb->pairs[k].key->str, cb->pairs[k].value, cb->pairs[k].key, cprefix, true, ops,
                                   depth + 1))
                    return AC_ERROR;
            }
            S->ncb_active--;
            for (size_t k = first; k < ops->n; k++)
                if (ops->v[k].parent < 0) ops->v[k].parent = (int)opidx;
        }
    }
    (void)item;
    return AC_OK;
}

static int load_path_item(oas_state *S, const ac_doc *doc, const char *path, ac_doc_node *item, ac_doc_node *key_node,
                          const char *prefix, bool webhook, oplist *ops, int depth)
{
    const ac_doc *d = doc;
    if (resolve(S, &d, &item, NULL, NULL)) return AC_ERROR;
    if (null_as_empty(S, item, "a path item")) return AC_OK;
    if (item->type != AC_DOC_MAP) return expect_type(S, d, item, AC_DOC_MAP, "a path item");
    ac_doc_node *pparams = ac_doc_get(item, "parameters");
    null_as_empty(S, pparams, "parameters");
    for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++) {
        ac_doc_node *opnode = ac_doc_get(item, methods[m]);
        if (null_as_empty(S, opnode, "an operation")) continue;
        size_t at = ops->n;
        if (opnode && load_operation(S, d, path, methods[m], opnode, pparams, item, prefix, webhook, ops, depth))
            return AC_ERROR;
        if (opnode) ops->v[at].path_key = key_node;
    }
    return AC_OK;
}

/* ---- inline suppressions: x-apicompat-ignore --------------------------------------------------------- */

typedef struct inline_list {
    const char **rules, **reasons;
    size_t n;
} inline_list;

/* "RULE_ID reason" */
static int parse_inline_string(oas_state *S, const ac_doc *d, ac_doc_node *v, inline_list *l)
{
    size_t rl = strcspn(v->str, " \t");
    const char *r = v->str + rl;
    while (*r == ' ' || *r == '\t') r++;
    char *rule = ac_arena_strndup(S->a, v->str, rl);
    if (!rl) return fail_at(S, d, v, "x-apicompat-ignore needs a check ID and a reason: \"CHECK_ID reason\"");
    if (ac_rule_find(rule) < 0)
        return fail_at(S, d, v, "x-apicompat-ignore names \"%s\", which is not a check (see `apicompat rules`)", rule);
    if (!*r) return fail_at(S, d, v, "x-apicompat-ignore %s needs a reason after the check ID", rule);
    l->rules[l->n] = rule;
    l->reasons[l->n++] = r;
    return AC_OK;
}

/* {rule: CHECK_ID, reason: text} */
static int parse_inline_map(oas_state *S, const ac_doc *d, ac_doc_node *e, inline_list *l)
{
    for (size_t k = 0; k < e->n; k++)
        if (strcmp(e->pairs[k].key->str, "rule") && strcmp(e->pairs[k].key->str, "reason"))
            return fail_at(S, d, e->pairs[k].key, "unknown key \"%s\" in x-apicompat-ignore (expected rule, reason)",
                           e->pairs[k].key->str);
    ac_doc_node *rn = ac_doc_get(e, "rule"), *why = ac_doc_get(e, "reason");
    const char *rule = str_of(rn), *reason = str_of(why);
    if (!rn) return fail_at(S, d, e, "x-apicompat-ignore entry needs \"rule\": a check ID (see `apicompat rules`)");
    if (!rule || !*rule) return fail_at(S, d, rn, "x-apicompat-ignore rule must be a check ID");
    if (ac_rule_find(rule) < 0)
        return fail_at(S, d, rn, "x-apicompat-ignore names \"%s\", which is not a check (see `apicompat rules`)", rule);
    if (!reason || !*reason) return fail_at(S, d, why ? why : e, "x-apicompat-ignore %s needs a \"reason\"", rule);
    l->rules[l->n] = rule;
    l->reasons[l->n++] = reason;
    return AC_OK;
}

static int parse_inline(oas_state *S, const ac_doc *d, ac_doc_node *map, ac_doc_node *v)
{
    inline_list *l = ac_arena_alloc(S->a, sizeof *l);
    size_t cap = v->type == AC_DOC_SEQ ? v->n : 1;
    l->rules = ac_arena_alloc(S->a, (cap ? cap : 1) * sizeof *l->rules);
    l->reasons = ac_arena_alloc(S->a, (cap ? cap : 1) * sizeof *l->reasons);
    if (v->type == AC_DOC_STRING) {
        if (parse_inline_string(S, d, v, l)) return AC_ERROR;
    } else if (v->type == AC_DOC_MAP) { /* one entry needs no list */
        if (parse_inline_map(S, d, v, l)) return AC_ERROR;
    } else if (v->type == AC_DOC_SEQ) {
        for (size_t i = 0; i < v->n; i++) {
            ac_doc_node *e = v->items[i];
            if (e->type == AC_DOC_STRING) {
                if (parse_inline_string(S, d, e, l)) return AC_ERROR;
            } else if (e->type == AC_DOC_MAP) {
                if (parse_inline_map(S, d, e, l)) return AC_ERROR;
            } else {
                return fail_at(S, d, e, "x-apicompat-ignore entries are \"CHECK_ID reason\" strings or {rule, reason} maps");
            }
        }
    } else {
        return fail_at(S, d, v, "x-apicompat-ignore must be a \"CHECK_ID reason\" string, a {rule, reason} map, or a list of them");
    }
    ac_strmap_putn(&S->inlines, ac_arena_memdup(S->a, &map, sizeof map), sizeof map, l);
    return AC_OK;
}

/* Finds and validates every x-apicompat-ignore in the loaded documents. */
static int scan_inlines(oas_state *S)
{
    ac_doc_node **stack = NULL;
    size_t n = 0, cap = 0;
    int rc = AC_OK;
    for (size_t di = 0; di < S->docs.cap && !rc; di++) {
        if (!S->docs.e[di].key) continue;
        const ac_doc *d = S->docs.e[di].val;
        n = 0;
        if (cap == 0) {
            cap = 256;
            stack = ac_xmalloc(cap * sizeof *stack);
        }
        stack[n++] = d->root;
        while (n && !rc) {
            ac_doc_node *x = stack[--n];
            size_t kids = x->type == AC_DOC_MAP || x->type == AC_DOC_SEQ ? x->n : 0;
            if (n + kids > cap) {
                while (n + kids > cap) cap *= 2;
                stack = ac_xrealloc(stack, cap * sizeof *stack);
            }
            for (size_t i = 0; i < kids; i++) {
                ac_doc_node *c = x->type == AC_DOC_MAP ? x->pairs[i].value : x->items[i];
                /* aliases share nodes: only descend from the node's own parent */
                if (c->parent == x) stack[n++] = c;
                if (x->type == AC_DOC_MAP && !strcmp(x->pairs[i].key->str, "x-apicompat-ignore"))
                    rc = parse_inline(S, d, x, x->pairs[i].value);
                if (rc) break;
            }
        }
    }
    free(stack);
    return rc;
}

static const char *oas_inline(const ac_contract *c, ac_src src, const ac_loc *loc, const char *rule)
{
    (void)loc;
    oas_state *S = c->loader_state;
    if (!S || !S->inlines.len) return NULL;
    const ac_doc_node *start = src;
    /* a finding at a key ("tag:" of a removed property) also sees the suppressions in its value */
    const ac_doc_node *par = start ? start->parent : NULL;
    for (size_t i = 0; par && par->type == AC_DOC_MAP && i < par->n; i++)
        if (par->pairs[i].key == start) {
            const ac_doc_node *v = par->pairs[i].value;
            inline_list *l = ac_strmap_getn(&S->inlines, (const char *)&v, sizeof v);
            for (size_t k = 0; l && k < l->n; k++)
                if (!strcmp(l->rules[k], rule)) return l->reasons[k];
            break;
        }
    for (const ac_doc_node *n = start; n; n = n->parent) {
        inline_list *l = ac_strmap_getn(&S->inlines, (const char *)&n, sizeof n);
        for (size_t i = 0; l && i < l->n; i++)
            if (!strcmp(l->rules[i], rule)) return l->reasons[i];
    }
    return NULL;
}

/* ---- locations ----------------------------------------------------------------------------------- */

static void oas_locate(const ac_contract *c, ac_src src, const char *key, ac_loc *out)
{
    memset(out, 0, sizeof *out);
    ac_doc_node *n = (ac_doc_node *)src;
    if (!n) return;
    const ac_doc *d = doc_of_node(c, n);
    if (!d) return;
    ac_doc_node *target = n;
    /* key may be a path of keys, "components/securitySchemes": the deepest one written */
    for (const char *slash; key && (slash = strchr(key, '/')) && n->type == AC_DOC_MAP;) {
        char one[64];
        snprintf(one, sizeof one, "%.*s", (int)(slash - key), key);
        ac_doc_pair *p = ac_doc_get_pair(n, one);
        if (!p) {
            key = NULL;
            break;
        }
        target = p->key;
        n = p->value;
        key = slash + 1;
        if (n->type != AC_DOC_MAP) key = NULL;
    }
    /* key may list alternatives: "nullable|x-nullable|type" points at the first that is written */
    for (bool found = false; key && *key && n->type == AC_DOC_MAP && !found;) {
        size_t kl = strcspn(key, "|");
        char one[64];
        snprintf(one, sizeof one, "%.*s", (int)kl, key);
        ac_doc_pair *p = ac_doc_get_pair(n, one);
        if (p) {
            target = p->key;
            found = true;
        }
        key += kl + (key[kl] == '|');
    }
    out->path = d->path;
    out->file = d->path;
    out->line = target->line;
    out->col = target->col;
    out->end_line = target->line;
    out->end_col = target->col;
    if (target->str && target->line) out->end_col = target->col + (uint32_t)target->len;
}

/* ---- JSON pointers of elements (for the validator's schema locations) ------------------------------ */

static const char *oas_pointer(const ac_contract *c, ac_src src, ac_arena *a)
{
    const ac_doc_node *n = src;
    if (!n) return NULL;
    size_t depth = 0;
    for (const ac_doc_node *p = n; p->parent; p = p->parent) depth++;
    const ac_doc_node **chain = ac_xmalloc((depth + 1) * sizeof *chain);
    size_t k = 0;
    for (const ac_doc_node *p = n; p->parent; p = p->parent) chain[k++] = p;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (size_t i = k; i-- > 0;) {
        const ac_doc_node *child = chain[i], *par = child->parent;
        char tmp[32];
        const char *seg = "";
        size_t seglen = 0;
        if (par->type == AC_DOC_MAP) {
            for (size_t j = 0; j < par->n; j++)
                if (par->pairs[j].value == child || par->pairs[j].key == child) {
                    seg = par->pairs[j].key->str;
                    seglen = par->pairs[j].key->len;
                    break;
                }
        } else if (par->type == AC_DOC_SEQ) {
            for (size_t j = 0; j < par->n; j++)
                if (par->items[j] == child) {
                    seglen = (size_t)snprintf(tmp, sizeof tmp, "%zu", j);
                    seg = tmp;
                    break;
                }
        }
        if (len + 2 * seglen + 2 > cap) {
            cap = (len + 2 * seglen + 2) * 2;
            buf = ac_xrealloc(buf, cap);
        }
        buf[len++] = '/';
        for (size_t j = 0; j < seglen; j++) {
            if (seg[j] == '~') buf[len++] = '~', buf[len++] = '0';
            else if (seg[j] == '/') buf[len++] = '~', buf[len++] = '1';
            else buf[len++] = seg[j];
        }
    }
    const char *out = ac_arena_strndup(a, buf ? buf : "", len);
    free(buf);
    free(chain);
    return out;
}

static ac_src oas_src_at(const ac_contract *c, const char *ptr)
{
    oas_state *S = c->loader_state;
    if (!S || !S->main) return NULL;
    if (*ptr == '#') ptr++;
    ac_doc_node *n = S->main->root;
    if (*ptr && *ptr != '/') return NULL;
    while (n && *ptr == '/') {
        ptr++;
        size_t len = strcspn(ptr, "/");
        char *tok = ac_xmalloc(len + 1), *w = tok;
        for (size_t i = 0; i < len; i++) {
            if (ptr[i] == '~' && i + 1 < len && (ptr[i + 1] == '0' || ptr[i + 1] == '1')) *w++ = ptr[++i] == '0' ? '~' : '/';
            else *w++ = ptr[i];
        }
        *w = 0;
        if (n->type == AC_DOC_MAP) n = ac_doc_get(n, tok);
        else if (n->type == AC_DOC_SEQ) {
            char *end;
            unsigned long idx = strtoul(tok, &end, 10);
            n = *tok && !*end && idx < n->n ? n->items[idx] : NULL;
        } else n = NULL;
        free(tok);
        ptr += len;
    }
    return n;
}

static void free_state(void *p)
{
    oas_state *S = p;
    if (!S) return;
    ac_strmap_free(&S->ids);
    ac_strmap_free(&S->bases);
    ac_strmap_free(&S->res_of);
    ac_strmap_free(&S->dyn_nodes);
    ac_strmap_free(&S->dyn);
    ac_strmap_free(&S->docs);
    ac_strmap_free(&S->doc_roots);
    ac_strmap_free(&S->schemas);
    ac_strmap_free(&S->inlines);
    ac_strmap_free_nested(&S->map_index);
    for (size_t i = 0; i < S->nroots; i++) free(S->roots[i]);
    free(S->roots);
    free(S->queue);
    free(S);
}

/* ---- the document --------------------------------------------------------------------------------- */

static int detect_version(oas_state *S, const ac_doc *d)
{
    ac_doc_node *root = d->root;
    if (root->type != AC_DOC_MAP)
        return fail_at(S, d, root, "not an OpenAPI document: expected a map at the top, found a %s", ac_doc_type_name(root->type));
    ac_doc_node *v = ac_doc_get(root, "openapi");
    if (v) {
        if (!ac_doc_is_scalar(v))
            return fail_at(S, d, v, "openapi must be a version string such as \"3.0.3\", found a %s", ac_doc_type_name(v->type));
        const char *s = str_of(v);
        if (s && !strncmp(s, "3.0", 3)) return 30;
        if (s && !strncmp(s, "3.1", 3)) return 31;
        if (s && !strncmp(s, "3.2", 3)) return 31;
        return fail_at(S, d, v, "unsupported OpenAPI version \"%s\" (expected 3.0.x or 3.1.x)", s ? s : "");
    }
    v = ac_doc_get(root, "swagger");
    if (v) {
        if (!ac_doc_is_scalar(v))
            return fail_at(S, d, v, "swagger must be the version string \"2.0\", found a %s", ac_doc_type_name(v->type));
        const char *s = str_of(v);
        if (s && !strcmp(s, "2.0")) return 20;
        return fail_at(S, d, v, "unsupported Swagger version \"%s\" (expected 2.0)", s ? s : "");
    }
    return fail_at(S, d, root, "not an OpenAPI document: no \"openapi\" or \"swagger\" field at the top");
}

static int load_document(oas_state *S, const ac_doc *d)
{
    ac_oas *oas = S->c->oas;
    ac_doc_node *root = d->root;
    oas->root = root;
    oas->version = S->version;
    ac_doc_node *info, *hooks, *comps = root;
    if (read_map(S, d, ac_doc_get(root, "info"), "info", &info) ||
        (info && read_text(S, d, ac_doc_get(info, "version"), "info.version", &oas->info_version)) ||
        read_map(S, d, ac_doc_get(root, "webhooks"), "webhooks", &hooks) ||
        (S->version != 20 && read_map(S, d, ac_doc_get(root, "components"), "components", &comps)))
        return AC_ERROR;
    oplist ops = {0};
    int rc = AC_OK;
    ac_doc_node *paths = ac_doc_get(root, "paths");
    if (null_as_empty(S, paths, "paths")) paths = NULL;
    if (paths && paths->type != AC_DOC_MAP) rc = expect_type(S, d, paths, AC_DOC_MAP, "paths");
    for (size_t i = 0; !rc && paths && paths->type == AC_DOC_MAP && i < paths->n; i++) {
        const char *p = paths->pairs[i].key->str;
        if (!strncmp(p, "x-", 2)) continue;
        rc = load_path_item(S, d, p, paths->pairs[i].value, paths->pairs[i].key, "", false, &ops, 0);
    }
    for (size_t i = 0; !rc && hooks && i < hooks->n; i++)
        rc = load_path_item(S, d, hooks->pairs[i].key->str, hooks->pairs[i].value, hooks->pairs[i].key, "WEBHOOK ", true,
                            &ops, 0);
    /* components (Swagger 2.0: at the top) */
    ac_doc_node *schemas = comps ? ac_doc_get(comps, S->version == 20 ? "definitions" : "schemas") : NULL;
    if (!rc && schemas && !null_as_empty(S, schemas, "schemas")) {
        if (schemas->type != AC_DOC_MAP) rc = expect_type(S, d, schemas, AC_DOC_MAP, "schemas");
        else {
            oas->schemas = ac_arena_alloc(S->a, (schemas->n ? schemas->n : 1) * sizeof *oas->schemas);
            for (size_t i = 0; !rc && i < schemas->n; i++) {
                ac_oas_schema *s = schema_of(S, d, schemas->pairs[i].value, "a component schema");
                if (!s) rc = AC_ERROR;
                else {
                    if (!s->name) s->name = schemas->pairs[i].key->str;
                    oas->schemas[oas->nschemas++] = (ac_oas_named){schemas->pairs[i].key->str, s, schemas->pairs[i].key};
                }
            }
        }
    }
    const char *schemes_key = S->version == 20 ? "securityDefinitions" : "securitySchemes";
    ac_doc_node *schemes = NULL;
    if (!rc && comps) rc = read_map(S, d, ac_doc_get(comps, schemes_key), schemes_key, &schemes);
    if (!rc && schemes) {
        oas->schemes = ac_arena_alloc(S->a, (schemes->n ? schemes->n : 1) * sizeof *oas->schemes);
        for (size_t i = 0; !rc && i < schemes->n; i++) {
            const ac_doc *sd = d;
            ac_doc_node *sn = schemes->pairs[i].value;
            if ((rc = resolve(S, &sd, &sn, NULL, NULL))) break;
            if (sn->type != AC_DOC_MAP) {
                rc = wrong_type(S, sd, sn, "a security scheme", "a map");
                break;
            }
            ac_oas_scheme *sc = &oas->schemes[oas->nschemes++];
            sc->name = schemes->pairs[i].key->str;
            sc->src = schemes->pairs[i].key;
            /* scopes: 2.0 has them on the scheme, 3.x on each flow */
            ac_doc_node *scopes, *flows;
            if ((rc = read_text(S, sd, ac_doc_get(sn, "type"), "type", &sc->type)) ||
                (rc = read_map(S, sd, ac_doc_get(sn, "scopes"), "scopes", &scopes)) ||
                (rc = read_map(S, sd, ac_doc_get(sn, "flows"), "flows", &flows)))
                break;
            size_t total = scopes ? scopes->n : 0;
            char auth[1024] = "", token[1024] = "";
            size_t al = 0, tl = 0;
            for (size_t f = 0; flows && f < flows->n; f++) {
                ac_doc_node *fl, *fs;
                if ((rc = read_map(S, sd, flows->pairs[f].value, "an OAuth flow", &fl))) break;
                if ((rc = read_map(S, sd, ac_doc_get(fl, "scopes"), "scopes", &fs))) break;
                if (fs) total += fs->n;
                const char *fname = flows->pairs[f].key->str, *u;
                if ((u = str_of(ac_doc_get(fl, "authorizationUrl"))) && al < sizeof auth)
                    al += (size_t)snprintf(auth + al, sizeof auth - al, "%s%s %s", al ? ", " : "", fname, u);
                if ((u = str_of(ac_doc_get(fl, "refreshUrl"))) && al < sizeof auth)
                    al += (size_t)snprintf(auth + al, sizeof auth - al, "%s%s refresh %s", al ? ", " : "", fname, u);
                if ((u = str_of(ac_doc_get(fl, "tokenUrl"))) && tl < sizeof token)
                    tl += (size_t)snprintf(token + tl, sizeof token - tl, "%s%s %s", tl ? ", " : "", fname, u);
            }
            if (rc) break;
            const char *u;
            if ((u = str_of(ac_doc_get(sn, "authorizationUrl")))) snprintf(auth + al, sizeof auth - al, "%s", u);
            if ((u = str_of(ac_doc_get(sn, "tokenUrl")))) snprintf(token + tl, sizeof token - tl, "%s", u);
            sc->scheme = str_of(ac_doc_get(sn, "scheme"));
            sc->in = str_of(ac_doc_get(sn, "in"));
            sc->key = str_of(ac_doc_get(sn, "name"));
            sc->auth_urls = ac_arena_strdup(S->a, auth);
            sc->token_urls = ac_arena_strdup(S->a, token);
            sc->scopes.v = ac_arena_alloc(S->a, (total ? total : 1) * sizeof(char *));
            sc->scope_descriptions.v = ac_arena_alloc(S->a, (total ? total : 1) * sizeof(char *));
            for (size_t k = 0; scopes && scopes->type == AC_DOC_MAP && k < scopes->n; k++) {
                sc->scopes.v[sc->scopes.n++] = scopes->pairs[k].key->str;
                sc->scope_descriptions.v[sc->scope_descriptions.n++] = str_of(scopes->pairs[k].value) ? scopes->pairs[k].value->str : "";
            }
            for (size_t f = 0; flows && flows->type == AC_DOC_MAP && f < flows->n; f++) {
                ac_doc_node *fs = ac_doc_get(flows->pairs[f].value, "scopes");
                for (size_t k = 0; fs && fs->type == AC_DOC_MAP && k < fs->n; k++) {
                    sc->scopes.v[sc->scopes.n++] = fs->pairs[k].key->str;
                    sc->scope_descriptions.v[sc->scope_descriptions.n++] = str_of(fs->pairs[k].value) ? fs->pairs[k].value->str : "";
                }
            }
        }
    }
    if (!rc) rc = load_security(S, d, ac_doc_get(root, "security"), &oas->security);
    ac_doc_node *tags = ac_doc_get(root, "tags");
    if (!rc && tags && tags->type == AC_DOC_SEQ) {
        oas->tags.v = ac_arena_alloc(S->a, (tags->n ? tags->n : 1) * sizeof(char *));
        for (size_t i = 0; i < tags->n; i++) {
            const char *t = str_of(ac_doc_get(tags->items[i], "name"));
            if (t) oas->tags.v[oas->tags.n++] = t;
        }
    }
    if (!rc) rc = drain_queue(S);
    if (!rc) {
        oas->ops = ac_arena_memdup(S->a, ops.v ? (void *)ops.v : "", ops.n * sizeof *ops.v);
        oas->nops = (uint32_t)ops.n;
    }
    free(ops.v);
    return rc;
}

/* The end of a load: what only loading needed is freed before the comparison; on an error the
 * contract goes too. */
static int finish_load(oas_state *S, ac_contract *c, int rc, ac_contract **out)
{
    ac_strmap_free(&S->schemas);
    ac_strmap_free_nested(&S->map_index);
    ac_strmap_free(&S->dyn_nodes);
    free(S->queue);
    S->queue = NULL;
    S->qlen = S->qcap = 0;
    if (rc) {
        ac_contract_free(c);
        return rc;
    }
    *out = c;
    return AC_OK;
}

int ac_oas_load_path(ac_contract **out, const char *path, const ac_oas_opts *opts, ac_status *st)
{
    ac_contract *c = ac_contract_new(AC_FMT_OPENAPI, path);
    oas_state *S = ac_xcalloc(1, sizeof *S);
    S->a = c->arena;
    S->st = st;
    S->c = c;
    c->digest = opts ? opts->digest : NULL;
    c->loader_state = S;
    c->loader_free = free_state;
    c->locate = oas_locate;
    c->pointer = oas_pointer;
    c->prove = ac_oas_prove;
    c->src_at = oas_src_at;
    c->oas = ac_arena_alloc(c->arena, sizeof *c->oas);
    ac_strmap_init(&S->docs);
    ac_strmap_init(&S->doc_roots);
    ac_strmap_init(&S->schemas);
    ac_strmap_init(&S->inlines);
    ac_strmap_init(&S->map_index);
    c->inline_ignore = oas_inline;

    int rc = AC_OK;
    char *abs = realpath(path, NULL);
    if (!abs) rc = ac_fail(st, path, 0, 0, "cannot read: no such file");
    if (!rc) {
        /* external $refs may read below the document's directory and any allowed directory */
        char *slash = strrchr(abs, '/');
        S->roots = ac_xcalloc(1 + (opts ? opts->nallow_dirs : 0), sizeof *S->roots);
        S->roots[S->nroots++] = slash == abs ? ac_xstrdup("/") : strndup(abs, (size_t)(slash - abs));
        for (size_t i = 0; opts && i < opts->nallow_dirs; i++) {
            char *r = realpath(opts->allow_dirs[i], NULL);
            if (!r) {
                rc = ac_fail(st, opts->allow_dirs[i], 0, 0, "allowed directory does not exist");
                break;
            }
            S->roots[S->nroots++] = r;
        }
    }
    const ac_doc *d = NULL;
    if (!rc) rc = load_doc(S, path, abs, &d);
    free(abs);
    if (!rc) {
        S->main = d;
        S->version = detect_version(S, d);
        if (S->version == AC_ERROR) rc = AC_ERROR;
    }
    if (!rc) rc = load_document(S, d);
    if (!rc) rc = scan_inlines(S);
    if (!rc) c->oas->dialect = S->version == 31 ? AC_JS_2020 : AC_JS_DRAFT4;
    return finish_load(S, c, rc, out);
}

int ac_oas_sniff(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return strstr(buf, "openapi") || strstr(buf, "swagger") ? 1 : 0;
}

/* ---- standalone JSON Schemas ---------------------------------------------------------------------- */

static int dialect_of(const char *schema_uri, int fallback)
{
    static const struct {
        const char *needle;
        int dialect;
    } drafts[] = {{"draft-04", AC_JS_DRAFT4}, {"draft-06", AC_JS_DRAFT6}, {"draft-07", AC_JS_DRAFT7},
                  {"2019-09", AC_JS_2019},   {"2020-12", AC_JS_2020}};
    for (size_t i = 0; schema_uri && i < sizeof drafts / sizeof *drafts; i++)
        if (strstr(schema_uri, drafts[i].needle)) return drafts[i].dialect;
    return fallback;
}

static const ac_oas_schema *dynamic_find(const ac_oas_dynamic *d, const ac_oas_schema *resource, const char *name)
{
    oas_state *S = d->state;
    char key[sizeof(void *) + 256];
    size_t nl = strlen(name);
    if (nl > 255) return NULL;
    memcpy(key, &resource, sizeof resource);
    memcpy(key + sizeof resource, name, nl);
    return ac_strmap_getn(&S->dyn, key, sizeof resource + nl);
}

/* Dynamic scopes: the resource of every schema, and the dynamic anchors of each resource. */
static int build_dynamic(oas_state *S)
{
    if (!S->dyn_nodes.len) return AC_OK;
    /* every resource root and anchor becomes a schema first */
    for (size_t i = 0; i < S->dyn_nodes.cap; i++) {
        if (!S->dyn_nodes.e[i].key) continue;
        ac_doc_node *n = S->dyn_nodes.e[i].val, *root = ac_strmap_getn(&S->res_of, (const char *)&n, sizeof n);
        const ac_doc *d = doc_of_node(S->c, n);
        if (!schema_of(S, d, n, "a schema") || (root && !schema_of(S, d, root, "a schema"))) return AC_ERROR;
    }
    for (size_t i = 0; i < S->res_of.cap; i++) {
        if (!S->res_of.e[i].key) continue;
        ac_doc_node *root = S->res_of.e[i].val;
        if (!ac_strmap_getn(&S->schemas, (const char *)&root, sizeof root) && !schema_of(S, doc_of_node(S->c, root), root, "a schema"))
            return AC_ERROR;
    }
    if (drain_queue(S)) return AC_ERROR;
    ac_oas *oas = S->c->oas;
    S->dynamic.nschemas = oas->schema_count;
    S->dynamic.resource_of = ac_arena_alloc(S->a, (oas->schema_count + 1) * sizeof *S->dynamic.resource_of);
    for (size_t i = 0; i < S->schemas.cap; i++) {
        if (!S->schemas.e[i].key) continue;
        ac_oas_schema *s = S->schemas.e[i].val;
        ac_doc_node *n = (ac_doc_node *)s->src, *root = ac_strmap_getn(&S->res_of, (const char *)&n, sizeof n);
        ac_oas_schema *rs = root ? ac_strmap_getn(&S->schemas, (const char *)&root, sizeof root) : NULL;
        if (s->id < oas->schema_count) S->dynamic.resource_of[s->id] = rs;
    }
    for (size_t i = 0; i < S->dyn_nodes.cap; i++) {
        if (!S->dyn_nodes.e[i].key) continue;
        const char *k = S->dyn_nodes.e[i].key, *name = strchr(k, ' ') + 1;
        ac_doc_node *n = S->dyn_nodes.e[i].val, *root = ac_strmap_getn(&S->res_of, (const char *)&n, sizeof n);
        ac_oas_schema *rs = root ? ac_strmap_getn(&S->schemas, (const char *)&root, sizeof root) : NULL;
        ac_oas_schema *as = ac_strmap_getn(&S->schemas, (const char *)&n, sizeof n);
        if (!rs || !as || strlen(name) > 255) continue;
        size_t nl = strlen(name);
        char *key = ac_arena_alloc(S->a, sizeof rs + nl);
        memcpy(key, &rs, sizeof rs);
        memcpy(key + sizeof rs, name, nl);
        ac_strmap_addn(&S->dyn, key, sizeof rs + nl, as);
    }
    S->dynamic.find = dynamic_find;
    S->dynamic.state = S;
    oas->dynamic = &S->dynamic;
    return AC_OK;
}

int ac_oas_load_schema(ac_contract **out, const char *path, const char *text, size_t len, int dialect,
                       const ac_oas_opts *opts, ac_status *st)
{
    ac_contract *c = ac_contract_new(AC_FMT_OPENAPI, path);
    oas_state *S = ac_xcalloc(1, sizeof *S);
    S->a = c->arena;
    S->st = st;
    S->c = c;
    S->standalone = true;
    S->opts = opts;
    c->loader_state = S;
    c->loader_free = free_state;
    c->locate = oas_locate;
    c->pointer = oas_pointer;
    c->src_at = oas_src_at;
    c->oas = ac_arena_alloc(c->arena, sizeof *c->oas);

    int rc = AC_OK;
    char *abs = realpath(path, NULL);
    if (!abs && !text) rc = ac_fail(st, path, 0, 0, "cannot read: no such file");
    S->roots = ac_xcalloc(1 + (opts ? opts->nallow_dirs : 0), sizeof *S->roots);
    if (abs) {
        char *slash = strrchr(abs, '/');
        S->roots[S->nroots++] = slash == abs ? ac_xstrdup("/") : strndup(abs, (size_t)(slash - abs));
    }
    for (size_t i = 0; !rc && opts && i < opts->nallow_dirs; i++) {
        char *r = realpath(opts->allow_dirs[i], NULL);
        if (!r) rc = ac_fail(st, opts->allow_dirs[i], 0, 0, "allowed directory does not exist");
        else S->roots[S->nroots++] = r;
    }
    const ac_doc *d = NULL;
    if (!rc && text) {
        ac_doc *nd;
        rc = ac_doc_parse(&nd, S->a, path, text, len, NULL, st);
        if (!rc) {
            ac_strmap_add(&S->docs, ac_arena_printf(S->a, "\x01%s", abs ? abs : path), nd);
            ac_strmap_putn(&S->doc_roots, ac_arena_memdup(S->a, &nd->root, sizeof nd->root), sizeof nd->root, nd);
            d = nd;
        }
    } else if (!rc) {
        rc = load_doc(S, path, abs, &d);
    }
    const char *base = abs ? ac_arena_printf(S->a, "file://%s", abs) : ac_arena_printf(S->a, "urn:apicompat:%s", path);
    base = uri_strip_fragment(S->a, base);
    free(abs);
    if (!rc) {
        S->main = d;
        ac_doc_node *root = d->root;
        if (root->type != AC_DOC_MAP && root->type != AC_DOC_BOOL)
            rc = fail_at(S, d, root, "a JSON Schema must be a map or a boolean, found a %s", ac_doc_type_name(root->type));
        if (!rc) {
            S->dialect = dialect_of(root->type == AC_DOC_MAP ? str_of(ac_doc_get(root, "$schema")) : NULL, dialect ? dialect : AC_JS_2020);
            ac_strmap_add(&S->ids, base, root);
            ac_strmap_putn(&S->bases, ac_arena_memdup(S->a, &root, sizeof root), sizeof root, (void *)base);
            scan_resource(S, root, base, root, 0);
            ac_oas *oas = c->oas;
            oas->root = root;
            oas->dialect = S->dialect;
            ac_oas_schema *s = schema_of(S, d, root, "the schema");
            if (!s) rc = AC_ERROR;
            if (!rc) rc = drain_queue(S);
            if (!rc) rc = build_dynamic(S);
            /* the root, then its $defs / definitions by name (so that each can be asked for) */
            ac_doc_node *defs = root->type == AC_DOC_MAP ? ac_doc_get(root, S->dialect >= AC_JS_2019 ? "$defs" : "definitions") : NULL;
            size_t ndefs = defs && defs->type == AC_DOC_MAP ? defs->n : 0;
            if (!rc) {
                oas->schemas = ac_arena_alloc(S->a, (1 + ndefs) * sizeof *oas->schemas);
                oas->schemas[oas->nschemas++] = (ac_oas_named){"", s, root};
            }
            for (size_t i = 0; !rc && i < ndefs; i++) {
                ac_doc_node *dn = defs->pairs[i].value;
                if (dn->type != AC_DOC_MAP && dn->type != AC_DOC_BOOL) continue;
                ac_oas_schema *ds = schema_of(S, d, dn, "a definition");
                if (!ds) rc = AC_ERROR;
                else oas->schemas[oas->nschemas++] = (ac_oas_named){defs->pairs[i].key->str, ds, defs->pairs[i].key};
            }
            if (!rc) rc = drain_queue(S);
        }
    }
    return finish_load(S, c, rc, out);
}

size_t ac_oas_media_examples(ac_src media, const ac_doc_node **out, size_t max)
{
    const ac_doc_node *key = media, *map = key ? key->parent : NULL, *mt = NULL;
    size_t n = 0;
    if (!map || map->type != AC_DOC_MAP) return 0;
    for (size_t i = 0; i < map->n && !mt; i++)
        if (map->pairs[i].key == key) mt = map->pairs[i].value;
    if (!mt || mt->type != AC_DOC_MAP) return 0;
    const ac_doc_node *ex = ac_doc_get(mt, "example"), *exs = ac_doc_get(mt, "examples"), *sch = ac_doc_get(mt, "schema");
    if (ex && n < max) out[n++] = ex;
    for (size_t i = 0; exs && exs->type == AC_DOC_MAP && i < exs->n && n < max; i++) {
        const ac_doc_node *e = exs->pairs[i].value, *v = ac_doc_get(e, "value");
        if (v && !ac_doc_get(e, "$ref")) out[n++] = v;
    }
    if (sch && sch->type == AC_DOC_MAP && !ac_doc_get(sch, "$ref") && (ex = ac_doc_get(sch, "example")) && n < max) out[n++] = ex;
    return n;
}

const ac_doc_node *ac_oas_schema_example(ac_src schema)
{
    const ac_doc_node *n = schema, *ex;
    if (!n || n->type != AC_DOC_MAP) return NULL;
    if ((ex = ac_doc_get(n, "example"))) return ex;
    ex = ac_doc_get(n, "examples");
    return ex && ex->type == AC_DOC_SEQ && ex->n ? ex->items[0] : NULL;
}
