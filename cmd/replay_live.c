/* apicompat replay DIR --server URL [--contract CONTRACT]: the suite's requests sent to a running
 * service, and its answers checked against the contract.
 *
 * OpenAPI suites: each request case (path parameters filled in, query, headers, body per media
 * type, credentials as the contract's security schemes ask) is sent over HTTP; the answer must
 * have a status the operation documents, a documented media type, a body the project's validator
 * accepts for that status and media type, and the required headers.  Protobuf suites: each request
 * case is a unary (or server-streaming) gRPC call over HTTP/2; the answer must end with grpc-status
 * 0 and every message in it must decode as the method's output type.  CONTRACT (default: the
 * suite's own copy) is what the answers are checked against: the nightly job replays the last
 * release's cases against today's contract and today's server.
 *
 * Credentials and metadata come from the environment, or from a credentials file (--credentials
 * FILE: YAML or JSON, private to its owner), and are never printed:
 *   APICOMPAT_BEARER_TOKEN   bearer_token   http bearer, oauth2 and openIdConnect schemes (gRPC: authorization)
 *   APICOMPAT_BASIC_AUTH     basic_auth     user:password for http basic schemes (gRPC: authorization)
 *   APICOMPAT_API_KEY        api_key        apiKey schemes (header, query or cookie, named as the scheme says)
 *   APICOMPAT_API_KEY_<NAME> api_keys.NAME  the key of the scheme NAME (env: upper case, other characters as _)
 *   APICOMPAT_HEADERS        headers        more "Name: value" lines sent with every call (gRPC metadata)
 * A variable that is set wins over the file's entry; a scheme's own key (either) wins over the
 * general one; the file's headers and the variable's lines are all sent.
 * The transport and its limits are in live.c.  Exit 0: every case passed; 1: a case failed;
 * 2: a case could not be checked (the server unreachable, a timeout, a reset), or no run at all. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "cmd/commands.h"
#include "cmd/live.h"
#include "cmd/pipeline.h"
#include "compat/base/doc.h"
#include "compat/base/escape.h"
#include "compat/base/fs.h"
#include "compat/base/limits.h"
#include "compat/validate/validate.h"
#include "proto/pbval.h"

#define CASE_FILE_BYTES ((size_t)16 << 20) /* one request case's file */

enum { R_PASSED = AC_JUDGE_PASSED, R_FAILED = AC_JUDGE_FAILED, R_ERROR = AC_JUDGE_ERROR };
static const char *const result_names[] = {"passed", "failed", "error"};

typedef struct outcome {
    const char *id, *operation;
    int result;
    const char *reason; /* NULL when passed */
} outcome;

/* A growing string (malloc'd). */
typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1) cap *= 2;
        b->p = ac_xrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void sb_char(sbuf *b, char c)
{
    sb_add(b, &c, 1);
}

/* Percent-encodes all but RFC 3986's unreserved characters. */
static void sb_enc(sbuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            sb_char(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            sb_add(b, e, 3);
        }
    }
}

/* ---- the run's state ---------------------------------------------------------------------------- */

typedef struct creds {
    const char *bearer, *basic_b64; /* NULL when not given */
    char **extra;                   /* the file's headers and APICOMPAT_HEADERS lines */
    size_t nextra;
    /* the credentials file's API keys (in the run's arena): the general one, and by scheme name */
    const char *file_key;
    const ac_doc_node *file_keys; /* the api_keys map, or NULL */
} creds;

typedef struct live_run {
    const options *o;
    ac_arena *a;       /* what lives for the run: outcomes and their reasons */
    ac_arena *scratch; /* one case's file and its reading */
    const char *dir;
    const cJSON *cases;
    const cJSON *cur;  /* the next case of the manifest */
    size_t index, ncases;
    outcome *out;      /* by the case's position among the request cases */
    const cJSON **xs;  /* the same: each request case's manifest entry */
    size_t nout;
    bool grpc;
    ac_contract *suite_c, *check_c;
    ac_validator *v;
    ac_strmap methods; /* gRPC: "/pkg.Service/Method" -> ac_pb_method of check_c */
    creds cr;
    long call_ms;
    size_t skipped; /* response cases: nothing to send */
} live_run;

static const char *str_field(const cJSON *x, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(x, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A reason on one line, at most 600 bytes, with what a terminal or log could misread replaced. */
static const char *one_line(ac_arena *a, const char *s)
{
    size_t n = strlen(s);
    if (n > 600) n = 600;
    char *r = ac_arena_strndup(a, s, n);
    for (char *p = r; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = ' ';
    if (strlen(s) > 600) r = ac_arena_printf(a, "%s ...", r);
    return r;
}

static void record(live_run *R, size_t i, const char *id, const char *op, int result, const char *reason)
{
    R->out[i] = (outcome){ac_arena_strdup(R->a, id ? id : "?"), ac_arena_strdup(R->a, op ? op : "?"), result,
                          reason ? one_line(R->a, reason) : NULL};
}

/* ---- credentials ---------------------------------------------------------------------------------- */

static char *base64(const char *s)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(s);
    char *o = ac_xmalloc(4 * ((n + 2) / 3) + 1), *w = o;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)s[i] << 16 | (i + 1 < n ? (unsigned char)s[i + 1] << 8 : 0) | (i + 2 < n ? (unsigned char)s[i + 2] : 0);
        *w++ = t[v >> 18 & 63];
        *w++ = t[v >> 12 & 63];
        *w++ = i + 1 < n ? t[v >> 6 & 63] : '=';
        *w++ = i + 2 < n ? t[v & 63] : '=';
    }
    *w = 0;
    return o;
}

static bool header_value_ok(const char *s)
{
    for (; *s; s++)
        if (*s == '\r' || *s == '\n') return false;
    return true;
}

static bool header_name_ok(const char *s, size_t n)
{
    if (!n) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("!#$%&'*+-.^_`|~", s[i])) return false;
    return true;
}

#define MAX_EXTRA_HEADERS 64

static int add_extra(creds *c, char *line, ac_status *st, const char *from)
{
    if (c->nextra == MAX_EXTRA_HEADERS) {
        free(line);
        return ac_fail(st, NULL, 0, 0, "%s: more than %d headers in all", from, MAX_EXTRA_HEADERS);
    }
    c->extra = ac_xrealloc(c->extra, (c->nextra + 1) * sizeof *c->extra);
    c->extra[c->nextra++] = line;
    return AC_OK;
}

/* A credential's value: a non-empty scalar on one line.  Messages name the key, never the value. */
static int secret_at(const ac_doc *d, const ac_doc_node *n, const char *what, const char **out, ac_status *st)
{
    if (!ac_doc_is_scalar(n) || n->type == AC_DOC_NULL || !n->len)
        return ac_doc_fail_at(st, d, n, "%s must be a non-empty string", what);
    if (!header_value_ok(n->str) || strlen(n->str) != n->len) return ac_doc_fail_at(st, d, n, "%s holds a line break or a NUL", what);
    *out = n->str;
    return AC_OK;
}

/* --credentials FILE: the same credentials as the environment's variables, as a document.
 *   bearer_token: T     basic_auth: USER:PASSWORD (or {user: U, password: P})
 *   api_key: K          api_keys: {SCHEME: K, ...}        headers: {Name: value, ...}
 * The file must not be readable by group or others (as ssh asks of a private key). */
static int read_creds_file(creds *c, ac_arena *a, const char *path, const char **bearer, const char **basic, ac_status *st)
{
    struct stat sb;
    if (stat(path, &sb)) return ac_fail_path(st, path, "cannot read: %s", strerror(errno));
    if (sb.st_mode & (S_IRWXG | S_IRWXO))
        return ac_fail_path(st, path, "the credentials file is open to group or others (mode %03o); chmod 600 it", (unsigned)(sb.st_mode & 0777));
    char *text;
    size_t len;
    ac_doc *d;
    if (ac_read_file(a, path, &text, &len, AC_LIMIT_CONFIG_BYTES, st) || ac_doc_parse(&d, a, path, text, len, NULL, st)) return AC_ERROR;
    ac_doc_node *root = d->root;
    if (ac_doc_expect(st, d, root, AC_DOC_MAP, "the credentials file")) return AC_ERROR;
    static const char *const top[] = {"bearer_token", "basic_auth", "api_key", "api_keys", "headers", NULL};
    if (ac_doc_check_keys(st, d, root, "the credentials file", top)) return AC_ERROR;
    ac_doc_node *n;
    if ((n = ac_doc_get(root, "bearer_token")) && secret_at(d, n, "bearer_token", bearer, st)) return AC_ERROR;
    if ((n = ac_doc_get(root, "basic_auth"))) {
        if (n->type == AC_DOC_MAP) {
            static const char *const keys[] = {"user", "password", NULL};
            const char *u = NULL, *pw = NULL;
            ac_doc_node *un = ac_doc_get(n, "user"), *pn = ac_doc_get(n, "password");
            if (ac_doc_check_keys(st, d, n, "basic_auth", keys)) return AC_ERROR;
            if (!un || !pn) return ac_doc_fail_at(st, d, n, "basic_auth needs user and password");
            if (secret_at(d, un, "basic_auth.user", &u, st) || secret_at(d, pn, "basic_auth.password", &pw, st)) return AC_ERROR;
            if (strchr(u, ':')) return ac_doc_fail_at(st, d, un, "basic_auth.user must not hold a colon");
            *basic = ac_arena_printf(a, "%s:%s", u, pw);
        } else {
            if (secret_at(d, n, "basic_auth", basic, st)) return AC_ERROR;
            if (!strchr(*basic, ':')) return ac_doc_fail_at(st, d, n, "basic_auth must be user:password (or {user, password})");
        }
    }
    if ((n = ac_doc_get(root, "api_key")) && secret_at(d, n, "api_key", &c->file_key, st)) return AC_ERROR;
    if ((n = ac_doc_get(root, "api_keys"))) {
        if (ac_doc_expect(st, d, n, AC_DOC_MAP, "api_keys (scheme name: key)")) return AC_ERROR;
        const char *k;
        for (size_t i = 0; i < n->n; i++)
            if (secret_at(d, n->pairs[i].value, "an api_keys entry", &k, st)) return AC_ERROR;
        c->file_keys = n;
    }
    if ((n = ac_doc_get(root, "headers"))) {
        if (ac_doc_expect(st, d, n, AC_DOC_MAP, "headers (Name: value)")) return AC_ERROR;
        for (size_t i = 0; i < n->n; i++) {
            const ac_doc_node *key = n->pairs[i].key;
            const char *v;
            if (!header_name_ok(key->str, strlen(key->str))) return ac_doc_fail_at(st, d, key, "headers: not a header name (letters, digits and !#$%%&'*+-.^_`|~)");
            if (secret_at(d, n->pairs[i].value, "a header's value", &v, st)) return AC_ERROR;
            char *line;
            if (asprintf(&line, "%s: %s", key->str, v) < 0) abort();
            if (add_extra(c, line, st, path)) return AC_ERROR;
        }
    }
    return AC_OK;
}

/* The environment's variables, over the file's entries (path: --credentials, or NULL). */
static int read_creds(creds *c, ac_arena *a, const char *path, ac_status *st)
{
    memset(c, 0, sizeof *c);
    const char *fb = NULL, *fu = NULL;
    if (path && read_creds_file(c, a, path, &fb, &fu, st)) return AC_ERROR;
    const char *b = getenv("APICOMPAT_BEARER_TOKEN"), *u = getenv("APICOMPAT_BASIC_AUTH"), *h = getenv("APICOMPAT_HEADERS");
    if (b && *b) {
        if (!header_value_ok(b)) return ac_fail(st, NULL, 0, 0, "APICOMPAT_BEARER_TOKEN holds a line break");
        c->bearer = b;
    } else {
        c->bearer = fb;
    }
    if (u && *u) {
        if (!strchr(u, ':')) return ac_fail(st, NULL, 0, 0, "APICOMPAT_BASIC_AUTH must be user:password");
        c->basic_b64 = base64(u);
    } else if (fu) {
        c->basic_b64 = base64(fu);
    }
    for (const char *p = h; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        while (n && (p[n - 1] == '\r' || p[n - 1] == ' ')) n--;
        if (n) {
            const char *colon = memchr(p, ':', n);
            if (!colon || !header_name_ok(p, (size_t)(colon - p)) || memchr(p, '\r', n))
                return ac_fail(st, NULL, 0, 0, "APICOMPAT_HEADERS: line %zu is not \"Name: value\"", c->nextra + 1);
            char *line = ac_xmalloc(n + 1);
            memcpy(line, p, n);
            line[n] = 0;
            if (add_extra(c, line, st, "APICOMPAT_HEADERS")) return AC_ERROR;
        }
        p = e ? e + 1 : p + n;
        if (!e) break;
    }
    return AC_OK;
}

static void free_creds(creds *c)
{
    free((char *)c->basic_b64);
    for (size_t i = 0; i < c->nextra; i++) free(c->extra[i]);
    free(c->extra);
}

int ac_live_check_credentials(const char *path, ac_status *st)
{
    creds c;
    memset(&c, 0, sizeof c);
    ac_arena *a = ac_arena_new();
    const char *bearer = NULL, *basic = NULL;
    int rc = read_creds_file(&c, a, path, &bearer, &basic, st);
    if (!rc && basic) c.basic_b64 = base64(basic);
    free_creds(&c);
    ac_arena_free(a);
    return rc;
}

/* The key of apiKey scheme name: APICOMPAT_API_KEY_<NAME>, the file's api_keys.NAME,
 * APICOMPAT_API_KEY, the file's api_key; NULL when none is given. */
static const char *api_key(const creds *c, const char *name)
{
    char var[128] = "APICOMPAT_API_KEY_";
    size_t w = strlen(var);
    for (const char *p = name; *p && w + 1 < sizeof var; p++) var[w++] = isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_';
    var[w] = 0;
    const char *k = getenv(var);
    if (!k || !*k) {
        const ac_doc_node *f = ac_doc_get(c->file_keys, name);
        k = f ? f->str : NULL;
    }
    if (!k || !*k) k = getenv("APICOMPAT_API_KEY");
    if (!k || !*k) k = c->file_key;
    return k && *k && header_value_ok(k) ? k : NULL;
}

static const ac_oas_scheme *find_scheme(const ac_oas *oas, const char *name)
{
    for (uint32_t i = 0; i < oas->nschemes; i++)
        if (!strcmp(oas->schemes[i].name, name)) return &oas->schemes[i];
    return NULL;
}

/* What one scheme needs: 'b' bearer, 'B' basic, 'k' an API key; 0 when it cannot be given. */
static char scheme_kind(const ac_oas_scheme *s)
{
    if (!s || !s->type) return 0;
    if (!strcmp(s->type, "http") && s->scheme) {
        if (!strcasecmp(s->scheme, "bearer")) return 'b';
        if (!strcasecmp(s->scheme, "basic")) return 'B';
        return 0;
    }
    if (!strcmp(s->type, "basic")) return 'B';
    if (!strcmp(s->type, "oauth2") || !strcmp(s->type, "openIdConnect")) return 'b';
    if (!strcmp(s->type, "apiKey") && s->in && s->key) return 'k';
    return 0;
}

static bool satisfiable(const live_run *R, const ac_oas *oas, const ac_oas_secreq *req)
{
    for (uint32_t i = 0; i < req->n; i++) {
        const ac_oas_scheme *s = find_scheme(oas, req->schemes[i]);
        char k = scheme_kind(s);
        if (!k || (k == 'b' && !R->cr.bearer) || (k == 'B' && !R->cr.basic_b64) || (k == 'k' && !api_key(&R->cr, s->name))) return false;
    }
    return true;
}

/* Adds what the operation's security asks for: the first alternative with credentials for all of
 * its schemes (an empty one, "no credentials", only when no other can be met). */
static void add_security(const live_run *R, const ac_oas *oas, const ac_oas_op *op, ac_live_call *c, sbuf *query, sbuf *cookie)
{
    const ac_oas_security *sec = op->security.set ? &op->security : &oas->security;
    const ac_oas_secreq *pick = NULL;
    for (uint32_t i = 0; i < sec->n && !pick; i++)
        if (sec->alts[i].n && satisfiable(R, oas, &sec->alts[i])) pick = &sec->alts[i];
    if (!pick) return;
    for (uint32_t i = 0; i < pick->n; i++) {
        const ac_oas_scheme *s = find_scheme(oas, pick->schemes[i]);
        char k = scheme_kind(s);
        char *line = NULL;
        if (k == 'b') {
            if (asprintf(&line, "Authorization: Bearer %s", R->cr.bearer) < 0) line = NULL;
        } else if (k == 'B') {
            if (asprintf(&line, "Authorization: Basic %s", R->cr.basic_b64) < 0) line = NULL;
        } else if (!strcmp(s->in, "header") && header_name_ok(s->key, strlen(s->key))) {
            if (asprintf(&line, "%s: %s", s->key, api_key(&R->cr, s->name)) < 0) line = NULL;
        } else if (!strcmp(s->in, "query")) {
            sb_char(query, query->n ? '&' : '?');
            sb_enc(query, s->key, strlen(s->key));
            sb_char(query, '=');
            sb_enc(query, api_key(&R->cr, s->name), strlen(api_key(&R->cr, s->name)));
        } else if (!strcmp(s->in, "cookie")) {
            if (cookie->n) sb_puts(cookie, "; ");
            sb_enc(cookie, s->key, strlen(s->key));
            sb_char(cookie, '=');
            sb_enc(cookie, api_key(&R->cr, s->name), strlen(api_key(&R->cr, s->name)));
        }
        if (line) {
            c->headers = ac_xrealloc(c->headers, (c->nheaders + 1) * sizeof *c->headers);
            c->headers[c->nheaders++] = line;
        }
    }
}

static void add_header(ac_live_call *c, const char *name, const char *value)
{
    char *line;
    if (asprintf(&line, "%s: %s", name, value) < 0) abort();
    c->headers = ac_xrealloc(c->headers, (c->nheaders + 1) * sizeof *c->headers);
    c->headers[c->nheaders++] = line;
}

/* ---- HTTP requests from the case files ------------------------------------------------------------ */

/* A JSON value as compact text, numbers as written. */
static void json_of(sbuf *b, const ac_doc_node *n)
{
    switch (n->type) {
    case AC_DOC_NULL: sb_puts(b, "null"); break;
    case AC_DOC_BOOL: sb_puts(b, n->b ? "true" : "false"); break;
    case AC_DOC_NUMBER: sb_add(b, n->str, n->len); break;
    case AC_DOC_STRING:
        sb_char(b, '"');
        for (uint32_t i = 0; i < n->len; i++) {
            unsigned char c = (unsigned char)n->str[i];
            char e[8];
            if (c == '"' || c == '\\') {
                e[0] = '\\', e[1] = (char)c;
                sb_add(b, e, 2);
            } else if (c < 0x20) {
                snprintf(e, sizeof e, "\\u%04x", c);
                sb_puts(b, e);
            } else {
                sb_char(b, (char)c);
            }
        }
        sb_char(b, '"');
        break;
    case AC_DOC_SEQ:
        sb_char(b, '[');
        for (uint32_t i = 0; i < n->n; i++) {
            if (i) sb_char(b, ',');
            json_of(b, n->items[i]);
        }
        sb_char(b, ']');
        break;
    case AC_DOC_MAP:
        sb_char(b, '{');
        for (uint32_t i = 0; i < n->n; i++) {
            if (i) sb_char(b, ',');
            ac_doc_node k = *n->pairs[i].key;
            k.type = AC_DOC_STRING; /* a key is a string, whatever it looks like */
            json_of(b, &k);
            sb_char(b, ':');
            json_of(b, n->pairs[i].value);
        }
        sb_char(b, '}');
        break;
    }
}

/* A scalar's text as sent on the wire (a string as it is, null as nothing); other values as JSON. */
static void text_of(sbuf *b, const ac_doc_node *n)
{
    if (n->type == AC_DOC_STRING || n->type == AC_DOC_NUMBER) sb_add(b, n->str, n->len);
    else if (n->type == AC_DOC_BOOL) sb_puts(b, n->b ? "true" : "false");
    else if (n->type != AC_DOC_NULL) json_of(b, n);
}

/* A value's text, percent-encoded when enc. */
static void put_value(sbuf *b, const ac_doc_node *n, bool enc)
{
    if (!enc) {
        text_of(b, n);
        return;
    }
    sbuf t = {0};
    text_of(&t, n);
    sb_enc(b, t.p ? t.p : "", t.n);
    free(t.p);
}

static const ac_oas_param *find_param(const ac_oas_op *op, const char *in, const char *name)
{
    for (uint32_t i = 0; op && i < op->nparams; i++)
        if (!strcmp(op->params[i].in, in) && (!strcmp(in, "header") ? !strcasecmp(op->params[i].name, name) : !strcmp(op->params[i].name, name)))
            return &op->params[i];
    return NULL;
}

/* A path parameter (styles simple, label, matrix) or a header (simple, not encoded). */
static void simple_value(sbuf *b, const ac_oas_param *p, const char *name, const ac_doc_node *v, bool enc)
{
    const char *style = p && p->style ? p->style : "simple";
    bool explode = p && p->explode == 1;
    char sep = ',';
    if (!strcmp(style, "label")) {
        sb_char(b, '.');
        if (explode) sep = '.';
    } else if (!strcmp(style, "matrix")) {
        if (v->type != AC_DOC_MAP || !explode) {
            sb_char(b, ';');
            sb_enc(b, name, strlen(name));
            sb_char(b, '=');
        }
        if (explode) sep = ';';
    }
    if (v->type == AC_DOC_SEQ) {
        for (uint32_t i = 0; i < v->n; i++) {
            if (i) {
                sb_char(b, sep);
                if (sep == ';') {
                    sb_enc(b, name, strlen(name));
                    sb_char(b, '=');
                }
            }
            put_value(b, v->items[i], enc);
        }
    } else if (v->type == AC_DOC_MAP) {
        for (uint32_t i = 0; i < v->n; i++) {
            if (i || (sep == ';' && explode)) sb_char(b, i ? sep : ';');
            put_value(b, v->pairs[i].key, enc);
            sb_char(b, explode ? '=' : ',');
            put_value(b, v->pairs[i].value, enc);
        }
    } else {
        put_value(b, v, enc);
    }
}

/* One query parameter, "&name=value" pieces appended to q (which starts with '?'). */
static void query_value(sbuf *q, const ac_oas_param *p, const char *name, const ac_doc_node *v)
{
    const char *style = p && p->style ? p->style : "form";
    bool explode = p ? p->explode != 0 : true; /* form explodes by default */
    if (p && p->explode < 0 && strcmp(style, "form")) explode = false;
    size_t nl = strlen(name);
#define START()                                   \
    do {                                          \
        sb_char(q, q->n ? '&' : '?');             \
    } while (0)
    if (v->type == AC_DOC_MAP && !strcmp(style, "deepObject")) {
        for (uint32_t i = 0; i < v->n; i++) {
            START();
            sb_enc(q, name, nl);
            sb_puts(q, "%5B");
            put_value(q, v->pairs[i].key, true);
            sb_puts(q, "%5D=");
            put_value(q, v->pairs[i].value, true);
        }
    } else if (v->type == AC_DOC_MAP && explode) {
        for (uint32_t i = 0; i < v->n; i++) {
            START();
            put_value(q, v->pairs[i].key, true);
            sb_char(q, '=');
            put_value(q, v->pairs[i].value, true);
        }
    } else if (v->type == AC_DOC_SEQ && explode && !strcmp(style, "form")) {
        for (uint32_t i = 0; i < v->n; i++) {
            START();
            sb_enc(q, name, nl);
            sb_char(q, '=');
            put_value(q, v->items[i], true);
        }
    } else {
        START();
        sb_enc(q, name, nl);
        sb_char(q, '=');
        const char *sep = !strcmp(style, "spaceDelimited") ? "%20" : !strcmp(style, "pipeDelimited") ? "%7C" : "%2C";
        if (v->type == AC_DOC_SEQ) {
            for (uint32_t i = 0; i < v->n; i++) {
                if (i) sb_puts(q, sep);
                put_value(q, v->items[i], true);
            }
        } else if (v->type == AC_DOC_MAP) {
            for (uint32_t i = 0; i < v->n; i++) {
                if (i) sb_puts(q, "%2C");
                put_value(q, v->pairs[i].key, true);
                sb_puts(q, "%2C");
                put_value(q, v->pairs[i].value, true);
            }
        } else {
            put_value(q, v, true);
        }
    }
#undef START
}

static bool json_media(const char *m)
{
    size_t n = strcspn(m, ";");
    while (n && m[n - 1] == ' ') n--;
    return (n >= 5 && !strncasecmp(m + n - 5, "/json", 5)) || (n >= 5 && !strncasecmp(m + n - 5, "+json", 5));
}

/* The body of a request case as its media type sends it; its Content-Type into ctype. */
static void body_of(sbuf *b, const char *media, const ac_doc_node *body, sbuf *ctype)
{
    if (!strncasecmp(media, "application/x-www-form-urlencoded", 33) && body->type == AC_DOC_MAP) {
        for (uint32_t i = 0; i < body->n; i++) {
            if (i) sb_char(b, '&');
            put_value(b, body->pairs[i].key, true);
            sb_char(b, '=');
            put_value(b, body->pairs[i].value, true);
        }
        sb_puts(ctype, media);
    } else if (!strncasecmp(media, "multipart/form-data", 19) && body->type == AC_DOC_MAP) {
        static const char boundary[] = "apicompat-7f3a9c1e5b";
        for (uint32_t i = 0; i < body->n; i++) {
            const ac_doc_node *k = body->pairs[i].key, *v = body->pairs[i].value;
            sb_puts(b, "--");
            sb_puts(b, boundary);
            sb_puts(b, "\r\nContent-Disposition: form-data; name=\"");
            for (uint32_t j = 0; j < k->len; j++) sb_char(b, k->str[j] == '"' || k->str[j] == '\r' || k->str[j] == '\n' ? '_' : k->str[j]);
            sb_puts(b, v->type == AC_DOC_MAP || v->type == AC_DOC_SEQ ? "\"\r\nContent-Type: application/json\r\n\r\n" : "\"\r\n\r\n");
            text_of(b, v);
            sb_puts(b, "\r\n");
        }
        sb_puts(b, "--");
        sb_puts(b, boundary);
        sb_puts(b, "--\r\n");
        sb_puts(ctype, "multipart/form-data; boundary=");
        sb_puts(ctype, boundary);
    } else if (json_media(media) || (body->type != AC_DOC_STRING && !strchr(media, '*'))) {
        json_of(b, body);
        sb_puts(ctype, strchr(media, '*') ? "application/json" : media);
    } else {
        text_of(b, body);
        sb_puts(ctype, strchr(media, '*') ? (body->type == AC_DOC_STRING ? "application/octet-stream" : "application/json") : media);
    }
}

/* Reads a case's file into the scratch arena; NULL with *why when it cannot be used. */
static const char *case_text(live_run *R, const char *file, size_t *len, const char **why)
{
    if (!file || strstr(file, "..") || file[0] == '/') {
        *why = "the manifest names no file inside the suite for this case";
        return NULL;
    }
    const char *path = ac_path_join(R->scratch, R->dir, file);
    char *text;
    ac_status st;
    ac_status_init(&st);
    if (ac_read_file(R->scratch, path, &text, len, CASE_FILE_BYTES, &st)) {
        *why = ac_arena_printf(R->a, "cannot read the case: %s", st.msg);
        return NULL;
    }
    return text;
}

/* The HTTP call of a request case; false with *why (the case's error) when it cannot be made. */
static bool http_call(live_run *R, const cJSON *x, ac_live_call *c, const char **why, int *result)
{
    const char *opname = str_field(x, "operation"), *media = str_field(x, "media_type");
    *result = R_ERROR;
    const char *sp = opname ? strchr(opname, ' ') : NULL;
    if (!sp || sp[1] != '/') {
        *why = "the manifest's operation is not \"METHOD /path\"";
        return false;
    }
    static const char *const methods[] = {"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"};
    const char *method = NULL;
    for (size_t i = 0; i < sizeof methods / sizeof *methods && !method; i++)
        if ((size_t)(sp - opname) == strlen(methods[i]) && !strncasecmp(opname, methods[i], strlen(methods[i]))) method = methods[i];
    if (!method) {
        *why = "the manifest's operation has no HTTP method that can be sent";
        return false;
    }
    const ac_oas_op *sop = ac_val_find_op(R->suite_c->oas, opname), *cop = ac_val_find_op(R->check_c->oas, opname);
    if (!cop) {
        *result = R_FAILED;
        *why = "the operation is not in the contract";
        return false;
    }
    size_t len;
    const char *text = case_text(R, str_field(x, "file"), &len, why);
    if (!text) return false;
    ac_doc *d;
    ac_status st;
    ac_status_init(&st);
    if (ac_doc_parse(&d, R->scratch, str_field(x, "file"), text, len, NULL, &st) || d->root->type != AC_DOC_MAP) {
        *why = st.code ? ac_arena_printf(R->a, "cannot read the case: %s", st.msg) : "a request case must be a map of path_params, query, headers and body";
        return false;
    }
    const ac_doc_node *pp = ac_doc_get(d->root, "path_params"), *q = ac_doc_get(d->root, "query"), *h = ac_doc_get(d->root, "headers"),
                      *body = ac_doc_get(d->root, "body");
    sbuf path = {0}, query = {0}, cookie = {0};
    bool ok = true;
    /* the path as the suite's operation writes it, its parameters filled in */
    for (const char *p = sp + 1; *p && ok;) {
        if (*p != '{') {
            size_t n = strcspn(p, "{");
            sb_add(&path, p, n);
            p += n;
            continue;
        }
        const char *end = strchr(p, '}');
        if (!end) {
            ok = false;
            *why = "the operation's path has an unclosed {";
            break;
        }
        char *name = ac_arena_strndup(R->scratch, p + 1, (size_t)(end - p - 1));
        const ac_doc_node *v = ac_doc_get(pp, name);
        if (!v) {
            ok = false;
            *why = ac_arena_printf(R->a, "the case gives no value for the path parameter \"%s\"", name);
            break;
        }
        simple_value(&path, find_param(sop, "path", name), name, v, true);
        p = end + 1;
    }
    for (uint32_t i = 0; ok && q && q->type == AC_DOC_MAP && i < q->n; i++)
        query_value(&query, find_param(sop, "query", q->pairs[i].key->str), q->pairs[i].key->str, q->pairs[i].value);
    for (uint32_t i = 0; ok && h && h->type == AC_DOC_MAP && i < h->n; i++) {
        const char *name = h->pairs[i].key->str;
        sbuf v = {0};
        simple_value(&v, find_param(sop, "header", name), name, h->pairs[i].value, false);
        if (!header_name_ok(name, strlen(name)) || (v.p && (!header_value_ok(v.p) || strlen(v.p) != v.n))) {
            ok = false;
            *why = ac_arena_printf(R->a, "the header \"%s\" cannot be sent (a bad name, or a line break in its value)", one_line(R->scratch, name));
        } else {
            add_header(c, name, v.p ? v.p : "");
        }
        free(v.p);
    }
    if (ok) {
        add_security(R, R->check_c->oas, cop, c, &query, &cookie);
        if (cookie.n) add_header(c, "Cookie", cookie.p);
        for (size_t i = 0; i < R->cr.nextra; i++) {
            c->headers = ac_xrealloc(c->headers, (c->nheaders + 1) * sizeof *c->headers);
            c->headers[c->nheaders++] = ac_xstrdup(R->cr.extra[i]);
        }
        if (body && body->type != AC_DOC_NULL && media) {
            sbuf b = {0}, ct = {0};
            body_of(&b, media, body, &ct);
            if (!header_value_ok(ct.p)) {
                ok = false;
                *why = "the case's media type holds a line break";
            } else {
                add_header(c, "Content-Type", ct.p);
            }
            c->body = b.p ? b.p : ac_xstrdup("");
            c->body_len = b.n;
            free(ct.p);
        }
    }
    if (ok) {
        sb_add(&path, query.p ? query.p : "", query.n);
        c->method = method;
        c->path = path.p ? path.p : ac_xstrdup("/");
        path.p = NULL;
    }
    free(path.p);
    free(query.p);
    free(cookie.p);
    return ok;
}

/* ---- judging HTTP answers ------------------------------------------------------------------------- */

/* "/body/items/0/id" as "$.items[0].id"; "/headers/X-Rate" as "header X-Rate". */
static const char *where(ac_arena *a, const char *ptr)
{
    if (!strncmp(ptr, "/headers/", 9)) return ac_arena_printf(a, "header %s", ptr + 9);
    if (strncmp(ptr, "/body", 5) || (ptr[5] && ptr[5] != '/')) return *ptr ? ptr : "/";
    sbuf b = {0};
    sb_char(&b, '$');
    for (const char *p = ptr + 5; *p == '/';) {
        p++;
        size_t n = strcspn(p, "/");
        bool digits = n > 0;
        for (size_t i = 0; i < n; i++) digits = digits && isdigit((unsigned char)p[i]);
        if (digits) {
            sb_char(&b, '[');
            sb_add(&b, p, n);
            sb_char(&b, ']');
        } else {
            sb_char(&b, '.');
            for (size_t i = 0; i < n; i++) {
                /* JSON pointer escapes */
                if (p[i] == '~' && i + 1 < n && (p[i + 1] == '0' || p[i + 1] == '1')) {
                    sb_char(&b, p[i + 1] == '0' ? '~' : '/');
                    i++;
                } else {
                    sb_char(&b, p[i]);
                }
            }
        }
        p += n;
    }
    const char *r = ac_arena_strdup(a, b.p);
    free(b.p);
    return r;
}

static const char *why_invalid(ac_arena *a, const ac_val_result *res)
{
    const char *s = "";
    for (size_t i = 0; i < res->n && i < 3; i++)
        s = !strcmp(res->v[i].instance, "/headers") ? ac_arena_printf(a, "%s%s%s", s, i ? "; " : "", res->v[i].reason)
                                                    : ac_arena_printf(a, "%s%s%s at %s", s, i ? "; " : "", res->v[i].reason, where(a, res->v[i].instance));
    if (res->n > 3 || res->truncated) s = ac_arena_printf(a, "%s; and more", s);
    return s;
}

static const char *documented_codes(ac_arena *a, const ac_oas_op *op)
{
    const char *s = "";
    for (uint32_t i = 0; i < op->nresponses; i++) s = ac_arena_printf(a, "%s%s%s", s, i ? ", " : "", op->responses[i].code);
    return *s ? s : "none";
}

static const char *documented_media(ac_arena *a, const ac_oas_response *r)
{
    const char *s = "";
    for (uint32_t i = 0; i < r->nmedia; i++) s = ac_arena_printf(a, "%s%s%s", s, i ? ", " : "", r->media[i].type);
    return s;
}

/* The answer's headers as a map for the validator (the last value of a name wins). */
static ac_doc_node *headers_map(ac_arena *a, const ac_live_call *c)
{
    ac_doc_node *m = ac_arena_alloc(a, sizeof *m);
    memset(m, 0, sizeof *m);
    m->type = AC_DOC_MAP;
    m->pairs = ac_arena_alloc(a, (c->nh ? c->nh : 1) * sizeof *m->pairs);
    for (size_t i = 0; i < c->nh; i++) {
        bool later = false;
        for (size_t k = i + 1; k < c->nh && !later; k++) later = !strcmp(c->h[k].name, c->h[i].name);
        if (later) continue;
        ac_doc_node *k = ac_arena_alloc(a, sizeof *k), *v = ac_arena_alloc(a, sizeof *v);
        memset(k, 0, sizeof *k);
        memset(v, 0, sizeof *v);
        k->type = v->type = AC_DOC_STRING;
        k->str = ac_arena_strdup(a, c->h[i].name);
        k->len = (uint32_t)strlen(k->str);
        v->str = ac_arena_strdup(a, c->h[i].value);
        v->len = (uint32_t)strlen(v->str);
        k->parent = v->parent = m;
        m->pairs[m->n].key = k;
        m->pairs[m->n].value = v;
        m->n++;
    }
    return m;
}

int ac_live_judge_http(ac_arena *a, ac_validator *v, const ac_oas_op *op, const ac_live_call *c, const char **why)
{
    char status[16];
    snprintf(status, sizeof status, "%ld", c->status);
    const ac_oas_response *r = ac_val_find_response(op, status);
    if (!r) {
        *why = ac_arena_printf(a, "status %s is not documented for %s (documented: %s)", status, op->label, documented_codes(a, op));
        return R_FAILED;
    }
    const char *ct = ac_live_header_get(c, "content-type");
    char *media = NULL;
    if (ct) {
        size_t n = strcspn(ct, ";");
        while (n && ct[n - 1] == ' ') n--;
        media = ac_arena_strndup(a, ct, n);
        for (char *p = media; *p; p++) *p = (char)tolower((unsigned char)*p);
    }
    bool head = !strcmp(c->method, "HEAD"), body = c->resp_len > 0 && !head;
    const ac_oas_media *mt = NULL;
    if (r->nmedia && !head && c->status != 204 && c->status != 304) {
        if (!body && !ct) {
            *why = ac_arena_printf(a, "the %s answer has no body (documented: %s)", status, documented_media(a, r));
            return R_FAILED;
        }
        mt = ac_val_find_media(r->media, r->nmedia, media ? media : (r->nmedia == 1 ? r->media[0].type : NULL));
        if (!mt) {
            *why = media ? ac_arena_printf(a, "media type %s is not documented for status %s (documented: %s)", media, status, documented_media(a, r))
                         : ac_arena_printf(a, "the %s answer has no Content-Type (documented: %s)", status, documented_media(a, r));
            return R_FAILED;
        }
    }
    const ac_doc_node *bnode = NULL;
    if (mt && mt->schema && json_media(media ? media : mt->type)) {
        if (!body) {
            *why = ac_arena_printf(a, "the %s answer's body is empty, not JSON", status);
            return R_FAILED;
        }
        cJSON *j = cJSON_ParseWithLength(c->resp, c->resp_len);
        if (!j) {
            const char *e = cJSON_GetErrorPtr();
            size_t off = e && e >= c->resp && e <= c->resp + c->resp_len ? (size_t)(e - c->resp) : 0;
            *why = ac_arena_printf(a, "the %s answer's body is not valid JSON (at byte %zu)", status, off);
            return R_FAILED;
        }
        cJSON_Delete(j);
        ac_doc *d;
        ac_status st;
        ac_status_init(&st);
        if (ac_doc_parse(&d, a, "(answer)", c->resp, c->resp_len, NULL, &st)) {
            *why = ac_arena_printf(a, "the %s answer's body cannot be read: %s", status, st.msg);
            return R_ERROR;
        }
        bnode = d->root;
    }
    ac_val_result res;
    memset(&res, 0, sizeof res);
    ac_status st;
    ac_status_init(&st);
    int rc = ac_validate_response(v, op, status, mt ? mt->type : NULL, headers_map(a, c), bnode, &res, &st);
    int result = R_PASSED;
    if (rc == AC_BREAKING) {
        *why = ac_arena_printf(a, "the %s answer does not match the contract: %s", status, why_invalid(a, &res));
        result = R_FAILED;
    } else if (rc == AC_ERROR) {
        *why = ac_arena_printf(a, "could not check the %s answer: %s", status, st.msg);
        result = R_ERROR;
    }
    ac_val_result_free(&res);
    return result;
}

static int judge_http(live_run *R, const cJSON *x, const ac_live_call *c, const char **why)
{
    /* http_call sent it: the operation is in the contract */
    return ac_live_judge_http(R->scratch, R->v, ac_val_find_op(R->check_c->oas, str_field(x, "operation")), c, why);
}

/* ---- gRPC ------------------------------------------------------------------------------------------- */

static const char *const grpc_codes[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
                                         "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
                                         "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};

static void index_methods(live_run *R)
{
    ac_strmap_init(&R->methods);
    for (size_t f = 0; f < R->check_c->nfiles; f++) {
        const ac_pb_file *file = R->check_c->files[f];
        for (size_t s = 0; s < file->nservices; s++)
            for (size_t m = 0; m < file->services[s]->nmethods; m++) {
                const ac_pb_method *me = file->services[s]->methods[m];
                ac_strmap_add(&R->methods, ac_arena_printf(R->a, "/%s/%s", file->services[s]->full_name, me->name), (void *)me);
            }
    }
}

static bool grpc_call(live_run *R, const cJSON *x, ac_live_call *c, const char **why, int *result)
{
    const char *opname = str_field(x, "operation");
    *result = R_ERROR;
    const ac_pb_method *m = opname ? ac_strmap_get(&R->methods, opname) : NULL;
    if (!m) {
        *result = R_FAILED;
        *why = "the method is not in the contract";
        return false;
    }
    const ac_pb_msg *in = ac_strmap_get(&R->check_c->msg_by_name, m->input_type);
    size_t len;
    const char *text = case_text(R, str_field(x, "file"), &len, why);
    if (!text) return false;
    pv_error e;
    memset(&e, 0, sizeof e);
    if (!in || !pv_decode(R->scratch, in, (const uint8_t *)text, len, &e)) {
        *result = R_FAILED;
        *why = ac_arena_printf(R->a, "the request does not decode as %s: %s", m->input_type, in ? e.msg : "the type is not in the contract");
        return false;
    }
    if (len > 0xffffffffu) return false;
    c->body = ac_xmalloc(len + 5);
    c->body[0] = 0;
    c->body[1] = (char)(len >> 24), c->body[2] = (char)(len >> 16), c->body[3] = (char)(len >> 8), c->body[4] = (char)len;
    memcpy(c->body + 5, text, len);
    c->body_len = len + 5;
    c->method = "POST";
    c->path = ac_xstrdup(opname);
    c->grpc = true;
    add_header(c, "Content-Type", "application/grpc");
    add_header(c, "TE", "trailers");
    if (ac_live_gzip()) add_header(c, "grpc-accept-encoding", "gzip");
    char t[32];
    /* the server's deadline a little after ours: a call that is too slow ends here, as a timeout */
    snprintf(t, sizeof t, "%ldm", R->call_ms + 1000);
    add_header(c, "grpc-timeout", t);
    if (R->cr.bearer) {
        char *l;
        if (asprintf(&l, "authorization: Bearer %s", R->cr.bearer) < 0) abort();
        c->headers = ac_xrealloc(c->headers, (c->nheaders + 1) * sizeof *c->headers);
        c->headers[c->nheaders++] = l;
    } else if (R->cr.basic_b64) {
        add_header(c, "authorization", "Basic");
        free(c->headers[c->nheaders - 1]);
        if (asprintf(&c->headers[c->nheaders - 1], "authorization: Basic %s", R->cr.basic_b64) < 0) abort();
    }
    for (size_t i = 0; i < R->cr.nextra; i++) {
        c->headers = ac_xrealloc(c->headers, (c->nheaders + 1) * sizeof *c->headers);
        c->headers[c->nheaders++] = ac_xstrdup(R->cr.extra[i]);
    }
    return true;
}

/* grpc-message is percent-encoded (gRPC's spec) */
static const char *pct_decode(ac_arena *a, const char *s)
{
    char *r = ac_arena_strdup(a, s), *w = r;
    for (const char *p = s; *p; p++) {
        if (*p == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
            char h[3] = {p[1], p[2], 0};
            *w++ = (char)strtol(h, NULL, 16);
            p += 2;
        } else {
            *w++ = *p;
        }
    }
    *w = 0;
    return r;
}

int ac_live_judge_grpc(ac_arena *a, const ac_contract *pb, const ac_pb_method *m, const ac_live_call *c, const char **why)
{
    const char *ct = ac_live_header_get(c, "content-type"), *gs = ac_live_header_get(c, "grpc-status");
    if (c->status != 200) {
        *why = ac_arena_printf(a, "HTTP status %ld, not a gRPC answer", c->status);
        return R_FAILED;
    }
    if (!ct || strncmp(ct, "application/grpc", 16) || (ct[16] && ct[16] != '+' && ct[16] != ';')) {
        *why = ac_arena_printf(a, "content-type \"%s\" is not application/grpc", ct ? ct : "");
        return R_FAILED;
    }
    if (!gs) {
        *why = "the answer ended without a grpc-status";
        return R_FAILED;
    }
    char *end;
    long code = strtol(gs, &end, 10);
    if (*end || end == gs || code < 0) {
        *why = ac_arena_printf(a, "grpc-status \"%s\" is not a number", gs);
        return R_FAILED;
    }
    if (code) {
        const char *msg = ac_live_header_get(c, "grpc-message");
        *why = ac_arena_printf(a, "grpc-status %ld %s%s%s", code, code < 17 ? grpc_codes[code] : "(unknown code)", msg && *msg ? ": " : "",
                               msg && *msg ? pct_decode(a, msg) : "");
        return R_FAILED;
    }
    const ac_pb_msg *out = ac_strmap_get(&pb->msg_by_name, m->output_type);
    size_t n = 0, off = 0;
    const uint8_t *p = (const uint8_t *)c->resp;
    while (off < c->resp_len) {
        if (c->resp_len - off < 5) {
            *why = ac_arena_printf(a, "a truncated gRPC frame: %zu bytes after message %zu", c->resp_len - off, n);
            return R_FAILED;
        }
        size_t len = (size_t)p[off + 1] << 24 | (size_t)p[off + 2] << 16 | (size_t)p[off + 3] << 8 | p[off + 4];
        if (len > c->resp_len - off - 5) {
            *why = ac_arena_printf(a, "a truncated gRPC frame: message %zu announces %zu bytes, %zu came", n + 1, len, c->resp_len - off - 5);
            return R_FAILED;
        }
        const unsigned char *msg = p + off + 5;
        size_t msg_len = len;
        if (p[off] == 1) { /* compressed with the answer's grpc-encoding: gzip is the one asked for */
            const char *enc = ac_live_header_get(c, "grpc-encoding");
            char zwhy[160];
            unsigned char *plain = NULL;
            if (!enc || strcmp(enc, "gzip") || !ac_live_gzip()) {
                *why = ac_arena_printf(a, "message %zu is compressed (grpc-encoding \"%s\"), which was not asked for", n + 1, enc ? enc : "");
                return R_FAILED;
            }
            if (!ac_live_gunzip(a, msg, len, AC_LIVE_MAX_INFLATED, &plain, &msg_len, zwhy, sizeof zwhy)) {
                *why = ac_arena_printf(a, "message %zu does not inflate (grpc-encoding gzip): %s", n + 1, zwhy);
                return R_FAILED;
            }
            msg = plain;
        } else if (p[off] != 0) {
            *why = ac_arena_printf(a, "message %zu is flagged %u, which gRPC does not define", n + 1, p[off]);
            return R_FAILED;
        }
        pv_error e;
        memset(&e, 0, sizeof e);
        if (!out || !pv_decode(a, out, msg, msg_len, &e)) {
            *why = ac_arena_printf(a, "message %zu does not decode as %s: %s", n + 1, m->output_type, out ? e.msg : "the type is not in the contract");
            return R_FAILED;
        }
        n++;
        off += 5 + len;
    }
    if (!m->server_streaming && n != 1) {
        *why = ac_arena_printf(a, "%zu messages in the answer of a unary method (one expected)", n);
        return R_FAILED;
    }
    return R_PASSED;
}

static int judge_grpc(live_run *R, const cJSON *x, const ac_live_call *c, const char **why)
{
    /* grpc_call sent it: the method is in the contract */
    return ac_live_judge_grpc(R->scratch, R->check_c, ac_strmap_get(&R->methods, str_field(x, "operation")), c, why);
}

/* ---- the run's callbacks --------------------------------------------------------------------------- */

static bool next_call(void *ctx, ac_live_call *c)
{
    live_run *R = ctx;
    for (; R->cur; R->cur = R->cur->next) {
        const cJSON *x = R->cur;
        if (strcmp(str_field(x, "kind"), "request")) {
            R->skipped++;
            continue;
        }
        ac_arena_reset(R->scratch);
        size_t i = R->nout++;
        const char *why = NULL;
        int result = R_ERROR;
        memset(c, 0, sizeof *c);
        bool ok = R->grpc ? grpc_call(R, x, c, &why, &result) : http_call(R, x, c, &why, &result);
        R->xs[i] = x;
        if (ok) {
            c->index = i;
            R->cur = R->cur->next;
            return true;
        }
        for (size_t k = 0; k < c->nheaders; k++) free(c->headers[k]);
        free(c->headers);
        free(c->body);
        free(c->path);
        memset(c, 0, sizeof *c);
        record(R, i, str_field(x, "id"), str_field(x, "operation"), result, why ? why : "the case cannot be sent");
    }
    return false;
}

static void call_done(void *ctx, const ac_live_call *c)
{
    live_run *R = ctx;
    const cJSON *x = R->xs[c->index];
    ac_arena_reset(R->scratch);
    const char *why = NULL;
    int result;
    if (c->err) {
        result = R_ERROR;
        why = c->reason;
    } else {
        result = R->grpc ? judge_grpc(R, x, c, &why) : judge_http(R, x, c, &why);
    }
    record(R, c->index, str_field(x, "id"), str_field(x, "operation"), result, result == R_PASSED ? NULL : why);
}

/* ---- reports ------------------------------------------------------------------------------------ */

typedef struct tally {
    size_t n[3], total;
} tally;

static void print_text(const live_run *R, const char *origin, const tally *t)
{
    for (size_t i = 0; i < R->nout; i++) {
        const outcome *o = &R->out[i];
        if (o->result == R_PASSED) continue;
        printf("%s ", o->result == R_FAILED ? "FAIL" : "ERROR");
        char line[8192];
        snprintf(line, sizeof line, "%s (%s): %s", o->id, o->operation, o->reason);
        ac_esc_line(stdout, line);
        printf("\n");
    }
    printf("replay against %s: %zu request cases, %zu passed, %zu failed, %zu could not be checked\n", origin, t->total, t->n[R_PASSED],
           t->n[R_FAILED], t->n[R_ERROR]);
}

static void print_json(const live_run *R, const char *origin, const tally *t)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "server", origin);
    cJSON *arr = cJSON_AddArrayToObject(j, "cases");
    for (size_t i = 0; i < R->nout; i++) {
        const outcome *o = &R->out[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "id", o->id);
        cJSON_AddStringToObject(x, "operation", o->operation);
        cJSON_AddStringToObject(x, "result", result_names[o->result]);
        if (o->reason) cJSON_AddStringToObject(x, "reason", o->reason);
        else cJSON_AddNullToObject(x, "reason");
        cJSON_AddItemToArray(arr, x);
    }
    cJSON *s = cJSON_AddObjectToObject(j, "summary");
    cJSON_AddNumberToObject(s, "cases", (double)t->total);
    cJSON_AddNumberToObject(s, "passed", (double)t->n[R_PASSED]);
    cJSON_AddNumberToObject(s, "failed", (double)t->n[R_FAILED]);
    cJSON_AddNumberToObject(s, "error", (double)t->n[R_ERROR]);
    cJSON_AddNumberToObject(s, "skipped_responses", (double)R->skipped);
    char *p = cJSON_Print(j);
    ac_esc_json_write(stdout, p);
    fputc('\n', stdout);
    free(p);
    cJSON_Delete(j);
}

static void print_junit(const live_run *R, const tally *t)
{
    printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"apicompat replay --server\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
           t->total, t->n[R_FAILED], t->n[R_ERROR]);
    for (size_t i = 0; i < R->nout; i++) {
        const outcome *o = &R->out[i];
        printf("  <testcase classname=\"");
        ac_esc_xml(stdout, o->operation);
        printf("\" name=\"");
        ac_esc_xml(stdout, o->id);
        printf("\"");
        if (o->result == R_PASSED) {
            printf("/>\n");
            continue;
        }
        printf(">\n    <%s message=\"", o->result == R_FAILED ? "failure" : "error");
        ac_esc_xml(stdout, o->reason);
        printf("\"/>\n  </testcase>\n");
    }
    printf("</testsuite>\n");
}

static void print_markdown(const live_run *R, const char *origin, const tally *t)
{
    printf("## apicompat replay against ");
    ac_esc_markdown_code(stdout, origin);
    printf("\n\n%zu request cases: %zu passed, %zu failed, %zu could not be checked.\n", t->total, t->n[R_PASSED], t->n[R_FAILED], t->n[R_ERROR]);
    if (t->n[R_FAILED] + t->n[R_ERROR] == 0) return;
    printf("\n| result | case | operation | why |\n|---|---|---|---|\n");
    for (size_t i = 0; i < R->nout; i++) {
        const outcome *o = &R->out[i];
        if (o->result == R_PASSED) continue;
        printf("| %s | ", result_names[o->result]);
        ac_esc_markdown_code(stdout, o->id);
        printf(" | ");
        ac_esc_markdown_code(stdout, o->operation);
        printf(" | ");
        ac_esc_markdown(stdout, o->reason);
        printf(" |\n");
    }
}

static void print_github(const live_run *R, const char *origin, const tally *t)
{
    for (size_t i = 0; i < R->nout; i++) {
        const outcome *o = &R->out[i];
        if (o->result == R_PASSED) continue;
        printf("::error title=");
        ac_esc_github(stdout, o->result == R_FAILED ? "apicompat replay failed" : "apicompat replay could not check", true);
        printf("::");
        ac_esc_github(stdout, o->id, false);
        ac_esc_github(stdout, " (", false);
        ac_esc_github(stdout, o->operation, false);
        ac_esc_github(stdout, "): ", false);
        ac_esc_github(stdout, o->reason, false);
        printf("\n");
    }
    printf("replay against ");
    ac_esc_github(stdout, origin, false);
    printf(": %zu request cases, %zu passed, %zu failed, %zu could not be checked\n", t->total, t->n[R_PASSED], t->n[R_FAILED], t->n[R_ERROR]);
}

/* ---- the command ------------------------------------------------------------------------------------- */

int ac_replay_live(options *o, ac_status *st)
{
    if (o->npositional != 1) return ac_fail(st, NULL, 0, 0, "replay --server needs one suite: replay DIR --server URL [--contract CONTRACT]");
    if (o->format == FMT_SARIF || o->format == FMT_GITLAB) return ac_fail(st, NULL, 0, 0, "replay writes text, json, junit, markdown or github");
    const char *dir = o->positional[0];
    if (!ac_is_dir(dir)) return ac_fail_path(st, dir, "not a directory (expected a suite written by apicompat cases)");
    const char *user_paths[2] = {dir, o->contract};
    ac_allow_user_paths(o, user_paths, o->contract ? 2 : 1);
    live_run R;
    memset(&R, 0, sizeof R);
    R.o = o;
    R.a = ac_arena_new();
    R.scratch = ac_arena_new();
    R.dir = dir;
    R.call_ms = o->call_timeout_ms ? o->call_timeout_ms : AC_LIVE_CALL_TIMEOUT_MS;
    cJSON *man = NULL;
    const char *copy = NULL;
    ac_live_target *target = NULL;
    bool methods = false;
    int rc = ac_suite_read(R.a, dir, &man, &copy, st);
    if (!rc) rc = ac_live_target_new(&target, o->server, o->cacert, st);
    if (!rc) rc = read_creds(&R.cr, R.a, o->credentials, st);
    if (!rc) rc = ac_load_contract(o, ac_path_join(R.a, dir, copy), R.a, &R.suite_c, st);
    if (!rc && o->contract) rc = ac_load_contract(o, o->contract, R.a, &R.check_c, st);
    if (!rc && !o->contract) R.check_c = R.suite_c;
    if (!rc && (!R.suite_c->oas) != (!R.check_c->oas))
        rc = ac_fail(st, o->contract, 0, 0, "the suite's contract is %s, this one is not", R.suite_c->oas ? "OpenAPI" : "protobuf");
    if (!rc) {
        R.grpc = !R.check_c->oas;
        if (R.grpc) {
            index_methods(&R);
            methods = true;
        } else {
            ac_val_opts vo = {.direction = AC_VAL_RESPONSE, .formats = true, .max_errors = 4};
            R.v = ac_validator_new(R.check_c, &vo);
        }
        R.cases = cJSON_GetObjectItemCaseSensitive(man, "cases");
        R.cur = R.cases->child;
        size_t n = 0;
        for (const cJSON *x = R.cur; x; x = x->next) n += !strcmp(str_field(x, "kind"), "request");
        R.ncases = n;
        R.out = ac_xcalloc(n ? n : 1, sizeof *R.out);
        R.xs = ac_xcalloc(n ? n : 1, sizeof *R.xs);
    }
    ac_live_stats stats;
    memset(&stats, 0, sizeof stats);
    if (!rc) {
        ac_live_limits lim = {o->call_timeout_ms, o->run_timeout_ms, o->max_response, o->concurrency};
        rc = ac_live_run(target, &lim, next_call, call_done, &R, &stats, st);
    }
    if (!rc) {
        tally t = {{0}, R.nout};
        for (size_t i = 0; i < R.nout; i++) t.n[R.out[i].result]++;
        const char *origin = ac_live_target_origin(target);
        switch (o->format) {
        case FMT_JSON: print_json(&R, origin, &t); break;
        case FMT_JUNIT: print_junit(&R, &t); break;
        case FMT_MARKDOWN: print_markdown(&R, origin, &t); break;
        case FMT_GITHUB: print_github(&R, origin, &t); break;
        default: print_text(&R, origin, &t); break;
        }
        if (fflush(stdout) || ferror(stdout)) {
            rc = ac_fail(st, NULL, 0, 0, "cannot write the result: %s", strerror(errno ? errno : EIO));
        } else if (t.n[R_FAILED]) {
            rc = AC_BREAKING;
        } else if (t.n[R_ERROR]) {
            const char *first = "";
            for (size_t i = 0; i < R.nout && !*first; i++)
                if (R.out[i].result == R_ERROR) first = R.out[i].reason;
            rc = ac_fail(st, NULL, 0, 0, "replay against %s: %zu of %zu cases could not be checked (%s)", origin, t.n[R_ERROR], t.total,
                         stats.unreachable ? "the server is unreachable" : stats.untrusted ? stats.tls_reason : stats.run_timed_out ? "the run timeout was reached" : first);
        } else if (!t.total) {
            rc = ac_fail(st, dir, 0, 0, "the suite has no request cases to send");
        }
    }
    if (methods) ac_strmap_free(&R.methods);
    free(R.out);
    free(R.xs);
    free_creds(&R.cr);
    ac_validator_free(R.v);
    if (R.check_c != R.suite_c) ac_contract_free(R.check_c);
    ac_contract_free(R.suite_c);
    ac_live_target_free(target);
    cJSON_Delete(man);
    ac_arena_free(R.scratch);
    ac_arena_free(R.a);
    return rc;
}
