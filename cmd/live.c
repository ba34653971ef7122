/* The live replay's transport: libcurl's multi interface, bounded (see live.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <dlfcn.h>
#include <zlib.h> /* the types only: zlib is not linked, see load_zlib */

#include "cmd/live.h"
#include "cmd/options.h"
#include "compat/base/arena.h"
#include "compat/base/fs.h"

/* libcurl, loaded when a live replay starts (dlopen), not linked: the libraries it brings (TLS,
 * LDAP, Kerberos, ...) run constructors at load time that every other command would pay for at
 * start, and whose failures (an allocation in GnuTLS's) would print on its stderr. */
static struct {
    bool loaded;
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    CURL * (*easy_init)(void);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    const char * (*easy_strerror)(CURLcode);
    void (*free)(void *);
    void (*global_cleanup)(void);
    CURLcode (*global_init)(long);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_cleanup)(CURLM *);
    CURLMsg * (*multi_info_read)(CURLM *, int *);
    CURLM * (*multi_init)(void);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int, int, int *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
    struct curl_slist * (*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLU * (*url)(void);
    void (*url_cleanup)(CURLU *);
    CURLUcode (*url_get)(const CURLU *, CURLUPart, char **, unsigned int);
    CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
    curl_version_info_data * (*version_info)(CURLversion);
} C;

static int load_curl(ac_status *st)
{
    if (C.loaded) return AC_OK;
    void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h) return ac_fail(st, NULL, 0, 0, "the live replay needs libcurl (libcurl.so.4, Debian's libcurl4): %s", dlerror());
    struct {
        const char *name;
        void **slot;
    } syms[] = {
        {"curl_easy_cleanup", (void **)&C.easy_cleanup},
        {"curl_easy_getinfo", (void **)&C.easy_getinfo},
        {"curl_easy_init", (void **)&C.easy_init},
        {"curl_easy_reset", (void **)&C.easy_reset},
        {"curl_easy_setopt", (void **)&C.easy_setopt},
        {"curl_easy_strerror", (void **)&C.easy_strerror},
        {"curl_free", (void **)&C.free},
        {"curl_global_cleanup", (void **)&C.global_cleanup},
        {"curl_global_init", (void **)&C.global_init},
        {"curl_multi_add_handle", (void **)&C.multi_add_handle},
        {"curl_multi_cleanup", (void **)&C.multi_cleanup},
        {"curl_multi_info_read", (void **)&C.multi_info_read},
        {"curl_multi_init", (void **)&C.multi_init},
        {"curl_multi_perform", (void **)&C.multi_perform},
        {"curl_multi_poll", (void **)&C.multi_poll},
        {"curl_multi_remove_handle", (void **)&C.multi_remove_handle},
        {"curl_multi_setopt", (void **)&C.multi_setopt},
        {"curl_slist_append", (void **)&C.slist_append},
        {"curl_slist_free_all", (void **)&C.slist_free_all},
        {"curl_url", (void **)&C.url},
        {"curl_url_cleanup", (void **)&C.url_cleanup},
        {"curl_url_get", (void **)&C.url_get},
        {"curl_url_set", (void **)&C.url_set},
        {"curl_version_info", (void **)&C.version_info},
    };
    for (size_t i = 0; i < sizeof syms / sizeof *syms; i++) {
        *syms[i].slot = dlsym(h, syms[i].name);
        if (!*syms[i].slot) return ac_fail(st, NULL, 0, 0, "libcurl.so.4 has no %s (libcurl 7.66 or later is needed)", syms[i].name);
    }
    C.loaded = true;
    return AC_OK;
}

/* zlib, for gRPC messages compressed with gzip: libcurl depends on it, so once libcurl is loaded
 * it is there (RTLD_NOLOAD: nothing is loaded that libcurl did not load). */
static struct {
    bool tried, ok;
    int (*inflateInit2_)(z_stream *, int, const char *, int);
    int (*inflate)(z_stream *, int);
    int (*inflateEnd)(z_stream *);
} Z;

static void load_zlib(void)
{
    if (Z.tried) return;
    Z.tried = true;
    void *h = dlopen("libz.so.1", RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
    if (!h) return;
    *(void **)&Z.inflateInit2_ = dlsym(h, "inflateInit2_");
    *(void **)&Z.inflate = dlsym(h, "inflate");
    *(void **)&Z.inflateEnd = dlsym(h, "inflateEnd");
    Z.ok = Z.inflateInit2_ && Z.inflate && Z.inflateEnd;
}

bool ac_live_gzip(void)
{
    if (!C.loaded) return false;
    load_zlib();
    return Z.ok;
}

bool ac_live_gunzip(ac_arena *a, const unsigned char *in, size_t len, size_t max, unsigned char **out, size_t *outlen, char *why,
                    size_t whylen)
{
    if (!ac_live_gzip()) {
        snprintf(why, whylen, "zlib is not available");
        return false;
    }
    z_stream z;
    memset(&z, 0, sizeof z);
    if (Z.inflateInit2_(&z, 16 + MAX_WBITS, ZLIB_VERSION, (int)sizeof z) != Z_OK) { /* 16: gzip only */
        snprintf(why, whylen, "zlib cannot start");
        return false;
    }
    size_t cap = len * 4 + 64 < max ? len * 4 + 64 : max, n = 0;
    unsigned char *buf = ac_xmalloc(cap + 1);
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)len; /* a message is at most 4 GiB and the answer far less (max_bytes) */
    int zr = Z_OK;
    bool ok = false;
    for (;;) {
        if (n == cap) {
            if (cap == max) {
                snprintf(why, whylen, "it inflates past the limit of %zu bytes", max);
                break;
            }
            cap = cap * 2 < max ? cap * 2 : max;
            buf = ac_xrealloc(buf, cap + 1);
        }
        z.next_out = buf + n;
        z.avail_out = (uInt)(cap - n);
        zr = Z.inflate(&z, Z_NO_FLUSH);
        n = cap - z.avail_out;
        if (zr == Z_STREAM_END) {
            ok = z.avail_in == 0;
            if (!ok) snprintf(why, whylen, "bytes after the end of the gzip stream");
            break;
        }
        if (zr != Z_OK && zr != Z_BUF_ERROR) {
            snprintf(why, whylen, "not valid gzip: %s", z.msg ? z.msg : "inflate failed");
            break;
        }
        if (zr == Z_BUF_ERROR && z.avail_out) { /* no progress with room to spare: the input ended */
            snprintf(why, whylen, "the gzip stream is cut short");
            break;
        }
    }
    Z.inflateEnd(&z);
    if (ok) {
        *out = ac_arena_alloc(a, n + 1);
        memcpy(*out, buf, n);
        *outlen = n;
    }
    free(buf);
    return ok;
}

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        fprintf(stderr, "apicompat: out of memory\n");
        abort();
    }
    return s;
}

static char *xstrndup(const char *p, size_t n)
{
    char *s = ac_xmalloc(n + 1);
    memcpy(s, p, n);
    s[n] = 0;
    return s;
}

struct ac_live_target {
    char *scheme, *host, *port; /* as libcurl reads them (port always set) */
    char *base;                 /* scheme://host:port/base-path, no trailing slash */
    char *origin;               /* scheme://host:port */
    char *cacert;               /* --cacert, or NULL: the system's CA store */
    bool https;
};

static char *url_part(CURLU *u, CURLUPart what, unsigned flags)
{
    char *p = NULL;
    if (C.url_get(u, what, &p, flags) != CURLUE_OK) return NULL;
    char *r = ac_xstrdup(p);
    C.free(p);
    return r;
}

void ac_live_target_free(ac_live_target *t)
{
    if (!t) return;
    free(t->scheme);
    free(t->host);
    free(t->port);
    free(t->base);
    free(t->origin);
    free(t->cacert);
    free(t);
}

/* The CA bundle is read once here, so that a file that is not one is named at once rather than as
 * every call's TLS error. */
static int check_cacert(const char *path, ac_status *st)
{
    char *text = NULL;
    size_t len = 0;
    if (ac_read_file_buf(path, &text, &len, (size_t)16 << 20, st)) return AC_ERROR;
    bool pem = len && memmem(text, len, "-----BEGIN CERTIFICATE-----", 27);
    free(text);
    if (!pem) return ac_fail_path(st, path, "not a PEM file of CA certificates (given to --cacert; expected -----BEGIN CERTIFICATE-----)");
    return AC_OK;
}

int ac_live_target_new(ac_live_target **out, const char *url, const char *cacert, ac_status *st)
{
    if (load_curl(st)) return AC_ERROR;
    if (cacert && strncmp(url, "https://", 8))
        return ac_fail(st, NULL, 0, 0, "--cacert is for an https:// server, not \"%s\"", url);
    if (cacert && check_cacert(cacert, st)) return AC_ERROR;
    CURLU *u = C.url();
    if (!u) return ac_fail(st, NULL, 0, 0, "out of memory");
    ac_live_target *t = ac_xcalloc(1, sizeof *t);
    int rc = AC_OK;
    char *path = NULL, *user = NULL, *query = NULL, *frag = NULL;
    if (C.url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
        rc = ac_fail(st, NULL, 0, 0, "--server: not a URL: \"%s\"", url);
        goto done;
    }
    t->scheme = url_part(u, CURLUPART_SCHEME, 0);
    t->host = url_part(u, CURLUPART_HOST, 0);
    t->port = url_part(u, CURLUPART_PORT, CURLU_DEFAULT_PORT);
    path = url_part(u, CURLUPART_PATH, 0);
    user = url_part(u, CURLUPART_USER, 0);
    query = url_part(u, CURLUPART_QUERY, 0);
    frag = url_part(u, CURLUPART_FRAGMENT, 0);
    if (!t->scheme || (strcmp(t->scheme, "http") && strcmp(t->scheme, "https")) || !t->host || !t->port) {
        rc = ac_fail(st, NULL, 0, 0, "--server: only http:// and https:// URLs with a host, found \"%s\"", url);
    } else if (user || query || frag) {
        rc = ac_fail(st, NULL, 0, 0, "--server: the URL must not hold %s (credentials come from the environment)",
                     user ? "user information" : query ? "a query" : "a fragment");
    } else {
        t->https = !strcmp(t->scheme, "https");
        size_t pl = path ? strlen(path) : 0;
        while (pl && path[pl - 1] == '/') pl--;
        bool v6 = strchr(t->host, ':') && t->host[0] != '[';
        t->origin = xasprintf("%s://%s%s%s:%s", t->scheme, v6 ? "[" : "", t->host, v6 ? "]" : "", t->port);
        t->base = xasprintf("%s%.*s", t->origin, (int)pl, path ? path : "");
        t->cacert = cacert ? ac_xstrdup(cacert) : NULL;
    }
done:
    free(path);
    free(user);
    free(query);
    free(frag);
    C.url_cleanup(u);
    if (rc) {
        ac_live_target_free(t);
        return rc;
    }
    *out = t;
    return AC_OK;
}

const char *ac_live_target_origin(const ac_live_target *t)
{
    return t->origin;
}

/* The whole URL of a call, or NULL when it would not go to the target's scheme, host and port. */
static char *call_url(const ac_live_target *t, const char *path)
{
    if (path[0] != '/') return NULL;
    for (const char *p = path; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '#' || *p == '\\' || (unsigned char)*p >= 0x7f) return NULL;
    char *url = xasprintf("%s%s", t->base, path);
    CURLU *u = C.url();
    bool ok = u && C.url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK;
    char *s = ok ? url_part(u, CURLUPART_SCHEME, 0) : NULL, *h = ok ? url_part(u, CURLUPART_HOST, 0) : NULL,
         *p = ok ? url_part(u, CURLUPART_PORT, CURLU_DEFAULT_PORT) : NULL, *usr = ok ? url_part(u, CURLUPART_USER, 0) : NULL;
    ok = ok && s && h && p && !usr && !strcmp(s, t->scheme) && !strcmp(h, t->host) && !strcmp(p, t->port);
    free(s);
    free(h);
    free(p);
    free(usr);
    C.url_cleanup(u);
    if (!ok) {
        free(url);
        return NULL;
    }
    return url;
}

/* ---- one call in flight ----------------------------------------------------------------------- */

typedef struct slot {
    CURL *e;
    bool busy;
    ac_live_call c;
    struct curl_slist *hl;
    char *url;
    size_t cap, header_bytes, hcap;
    size_t max_bytes;
    bool too_big, headers_too_big;
    char errbuf[CURL_ERROR_SIZE];
} slot;

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    slot *s = ud;
    size_t len = size * n;
    if (s->c.resp_len + len > s->max_bytes) {
        s->too_big = true;
        return 0; /* aborts the transfer */
    }
    if (s->c.resp_len + len + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->c.resp_len + len + 1) cap *= 2;
        s->c.resp = ac_xrealloc(s->c.resp, cap);
        s->cap = cap;
    }
    memcpy(s->c.resp + s->c.resp_len, p, len);
    s->c.resp_len += len;
    s->c.resp[s->c.resp_len] = 0;
    return len;
}

static void drop_headers(ac_live_call *c)
{
    for (size_t i = 0; i < c->nh; i++) {
        free(c->h[i].name);
        free(c->h[i].value);
    }
    c->nh = 0;
}

bool ac_live_header_line(ac_live_call *c, size_t *cap, const char *p, size_t len)
{
    if (len >= 5 && !memcmp(p, "HTTP/", 5)) { /* a new block: a 1xx answer's headers are not the answer's */
        drop_headers(c);
        return true;
    }
    const char *colon = memchr(p, ':', len);
    if (!colon || colon == p) return true;
    if (c->nh >= AC_LIVE_MAX_HEADERS) return false;
    const char *v = colon + 1, *end = p + len;
    while (v < end && (*v == ' ' || *v == '\t')) v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t')) end--;
    if (c->nh == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        c->h = ac_xrealloc(c->h, *cap * sizeof *c->h);
    }
    ac_live_header *h = &c->h[c->nh++];
    h->name = xstrndup(p, (size_t)(colon - p));
    for (char *q = h->name; *q; q++) *q = (char)tolower((unsigned char)*q);
    h->value = xstrndup(v, (size_t)(end - v));
    return true;
}

void ac_live_headers_free(ac_live_call *c)
{
    drop_headers(c);
    free(c->h);
    c->h = NULL;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    slot *s = ud;
    size_t len = size * n;
    s->header_bytes += len;
    if (s->header_bytes > AC_LIVE_MAX_HEADER_BYTES || !ac_live_header_line(&s->c, &s->hcap, p, len)) {
        s->headers_too_big = true;
        return 0;
    }
    return len;
}

const char *ac_live_header_get(const ac_live_call *c, const char *name)
{
    for (size_t i = c->nh; i-- > 0;)
        if (!strcmp(c->h[i].name, name)) return c->h[i].value;
    return NULL;
}

static void release(slot *s)
{
    ac_live_headers_free(&s->c);
    free(s->c.resp);
    free(s->c.path);
    free(s->c.body);
    for (size_t i = 0; i < s->c.nheaders; i++) free(s->c.headers[i]);
    free(s->c.headers);
    C.slist_free_all(s->hl);
    free(s->url);
    s->hl = NULL;
    s->url = NULL;
    s->cap = s->hcap = s->header_bytes = 0;
    s->too_big = s->headers_too_big = false;
    memset(&s->c, 0, sizeof s->c);
    s->busy = false;
}

static void set_err(ac_live_call *c, ac_live_err e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(ac_live_call *c, ac_live_err e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    c->err = e;
    vsnprintf(c->reason, sizeof c->reason, fmt, ap);
    va_end(ap);
}

/* Configures s->e for s->c; false (with c.err set) when the call is refused. */
static bool configure(const ac_live_target *t, const ac_live_limits *l, slot *s)
{
    CURL *e = s->e;
    ac_live_call *c = &s->c;
    s->url = call_url(t, c->path);
    if (!s->url) {
        set_err(c, AC_LIVE_REFUSED, "refused: the request would leave %s", t->origin);
        return false;
    }
    C.easy_reset(e);
    C.easy_setopt(e, CURLOPT_URL, s->url);
    C.easy_setopt(e, CURLOPT_PRIVATE, s);
    C.easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    C.easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    C.easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    C.easy_setopt(e, CURLOPT_NOPROXY, "*");
    C.easy_setopt(e, CURLOPT_TIMEOUT_MS, l->call_ms);
    C.easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, l->call_ms);
    C.easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)l->max_bytes);
    C.easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    C.easy_setopt(e, CURLOPT_WRITEDATA, s);
    C.easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    C.easy_setopt(e, CURLOPT_HEADERDATA, s);
    C.easy_setopt(e, CURLOPT_ERRORBUFFER, s->errbuf);
    C.easy_setopt(e, CURLOPT_USERAGENT, "apicompat/" APICOMPAT_VERSION);
    if (t->https) {
        /* libcurl's defaults, stated: the certificate chain and the host name are checked */
        C.easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
        C.easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
        if (t->cacert) C.easy_setopt(e, CURLOPT_CAINFO, t->cacert);
    }
    /* HTTP/2 over TLS: wait for the connection in progress and share it (over HTTP/1.1 waiting
     * would hold every call until the first answer's headers) */
    if (c->grpc && t->https) C.easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    if (c->grpc) C.easy_setopt(e, CURLOPT_HTTP_VERSION, t->https ? (long)CURL_HTTP_VERSION_2TLS : (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
    /* libcurl before 8.0 fails every call that reuses a prior-knowledge h2c connection ("Error in
     * the HTTP2 framing layer", curl issue #10634): there each call gets a connection of its own */
    if (c->grpc && !t->https && C.version_info(CURLVERSION_NOW)->version_num < 0x080000) {
        C.easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
        C.easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
    }
    s->errbuf[0] = 0;
    s->max_bytes = l->max_bytes;
    s->hl = C.slist_append(NULL, "Expect:");
    for (size_t i = 0; i < c->nheaders; i++) s->hl = C.slist_append(s->hl, c->headers[i]);
    C.easy_setopt(e, CURLOPT_HTTPHEADER, s->hl);
    bool get = !strcmp(c->method, "GET"), head = !strcmp(c->method, "HEAD");
    if (head) {
        C.easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else if (c->body || !get) {
        C.easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)c->body_len);
        C.easy_setopt(e, CURLOPT_POSTFIELDS, c->body ? c->body : "");
        if (strcmp(c->method, "POST")) C.easy_setopt(e, CURLOPT_CUSTOMREQUEST, c->method);
    }
    return true;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What a finished transfer's code means for the call. */
static void classify(slot *s, CURLcode rc, const ac_live_limits *l, bool *reached)
{
    ac_live_call *c = &s->c;
    C.easy_getinfo(s->e, CURLINFO_RESPONSE_CODE, &c->status);
    /* a request that went out had a connection (a reused one reports no connect time) */
    curl_off_t connect_us = 0;
    long sent = 0;
    C.easy_getinfo(s->e, CURLINFO_CONNECT_TIME_T, &connect_us);
    C.easy_getinfo(s->e, CURLINFO_REQUEST_SIZE, &sent);
    if (sent > 0 && connect_us <= 0) connect_us = 1;
    const char *why = s->errbuf[0] ? s->errbuf : C.easy_strerror(rc);
    double secs = (double)l->call_ms / 1000;
    *reached = connect_us > 0 || rc == CURLE_OK;
    /* a gRPC server that answers before it has read the request (UNIMPLEMENTED, trailers only) may
     * reset the stream after its answer, as HTTP/2 allows (RFC 9113 8.1); libcurl reports the
     * reset, but the answer, grpc-status included, is complete */
    if (rc == CURLE_HTTP2_STREAM && c->grpc && ac_live_header_get(c, "grpc-status")) rc = CURLE_OK;
    switch (rc) {
    case CURLE_OK: c->err = AC_LIVE_OK; break;
    case CURLE_OPERATION_TIMEDOUT:
        if (connect_us > 0) set_err(c, AC_LIVE_TIMEOUT, "timeout: no complete answer within %gs", secs);
        else set_err(c, AC_LIVE_CONNECT, "cannot connect: no connection within %gs", secs);
        break;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
        set_err(c, AC_LIVE_CONNECT, "cannot connect: %s", why);
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
        set_err(c, AC_LIVE_TLS, "TLS: the server's certificate cannot be verified: %s", why);
        break;
    case CURLE_SSL_CACERT_BADFILE:
        set_err(c, AC_LIVE_TLS, "TLS: the CA certificates cannot be read (--cacert): %s", why);
        break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
        set_err(c, AC_LIVE_TLS, "TLS: the handshake with the server failed: %s", why);
        break;
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
        if (s->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
            set_err(c, AC_LIVE_TOO_BIG, "the answer is larger than the limit of %zu bytes (--max-response-size)", l->max_bytes);
        } else {
            set_err(c, AC_LIVE_OTHER, "%s", why);
        }
        break;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2_STREAM:
        set_err(c, AC_LIVE_RESET, "connection closed or reset before the answer was complete: %s", why);
        break;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_HTTP2:
        set_err(c, AC_LIVE_PROTOCOL, "not a valid HTTP answer: %s", why);
        break;
    default:
        if (s->headers_too_big) set_err(c, AC_LIVE_TOO_BIG, "the answer's headers are larger than the limit of %zu bytes", AC_LIVE_MAX_HEADER_BYTES);
        else set_err(c, AC_LIVE_OTHER, "%s", why);
        break;
    }
    if (rc != CURLE_OK && s->headers_too_big) set_err(c, AC_LIVE_TOO_BIG, "the answer's headers are larger than the limit of %zu bytes", AC_LIVE_MAX_HEADER_BYTES);
    if (c->err != AC_LIVE_OK) {
        /* no partial answer is judged */
        drop_headers(c);
        c->resp_len = 0;
        c->status = 0;
    }
}

int ac_live_run(const ac_live_target *t, const ac_live_limits *lim, ac_live_next_fn next, ac_live_done_fn done, void *ctx,
                ac_live_stats *stats, ac_status *st)
{
    ac_live_limits l = *lim;
    if (l.call_ms <= 0) l.call_ms = AC_LIVE_CALL_TIMEOUT_MS;
    if (l.run_ms <= 0) l.run_ms = AC_LIVE_RUN_TIMEOUT_MS;
    if (!l.max_bytes) l.max_bytes = AC_LIVE_MAX_RESPONSE;
    if (!l.concurrency) l.concurrency = AC_LIVE_CONCURRENCY;
    if (l.concurrency > AC_LIVE_MAX_CONCURRENCY) l.concurrency = AC_LIVE_MAX_CONCURRENCY;
    memset(stats, 0, sizeof *stats);
    if (load_curl(st)) return AC_ERROR;
    if (C.global_init(CURL_GLOBAL_DEFAULT)) return ac_fail(st, NULL, 0, 0, "libcurl cannot start");
    CURLM *m = C.multi_init();
    slot *slots = ac_xcalloc(l.concurrency, sizeof *slots);
    bool ok = m != NULL;
    for (unsigned i = 0; ok && i < l.concurrency; i++) ok = (slots[i].e = C.easy_init()) != NULL;
    if (!ok) {
        for (unsigned i = 0; i < l.concurrency; i++) C.easy_cleanup(slots[i].e);
        free(slots);
        C.multi_cleanup(m);
        C.global_cleanup();
        return ac_fail(st, NULL, 0, 0, "libcurl cannot start");
    }
    C.multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)l.concurrency);
    C.multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)l.concurrency);
    double start = now_s(), deadline = start + (double)l.run_ms / 1000;
    bool more = true, reached = false;
    const char *stop = NULL; /* why no more calls are sent */
    unsigned active = 0;
    for (;;) {
        /* fill the free slots; once stopped, every remaining call ends unsent */
        for (unsigned i = 0; more && i < l.concurrency; i++) {
            slot *s = &slots[i];
            if (s->busy) continue;
            memset(&s->c, 0, sizeof s->c);
            if (!next(ctx, &s->c)) {
                more = false;
                memset(&s->c, 0, sizeof s->c);
                break;
            }
            s->busy = true;
            if (stop) {
                set_err(&s->c, AC_LIVE_NOT_RUN, "not sent: %s", stop);
            } else if (configure(t, &l, s)) {
                C.multi_add_handle(m, s->e);
                active++;
                stats->sent++;
                continue;
            }
            stats->errors++;
            done(ctx, &s->c);
            release(s);
            i--; /* the slot is free again */
        }
        if (!active && !more) break;
        int running = 0;
        C.multi_perform(m, &running);
        CURLMsg *msg;
        int left;
        while ((msg = C.multi_info_read(m, &left))) {
            if (msg->msg != CURLMSG_DONE) continue;
            slot *s = NULL;
            C.easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
            CURLcode rc = msg->data.result;
            C.multi_remove_handle(m, s->e);
            active--;
            bool r = false;
            classify(s, rc, &l, &r);
            reached = reached || r;
            if (s->c.err == AC_LIVE_CONNECT && !reached && !stop) {
                stats->unreachable = true;
                stop = "the server is unreachable";
            }
            /* every call would meet the same certificate: one that cannot be verified ends the run */
            if (s->c.err == AC_LIVE_TLS && !stop) {
                stats->untrusted = true;
                snprintf(stats->tls_reason, sizeof stats->tls_reason, "%s", s->c.reason);
                stop = "the TLS handshake with the server failed";
            }
            if (s->c.err) stats->errors++;
            else stats->answered++;
            done(ctx, &s->c);
            release(s);
        }
        double now = now_s();
        if (now >= deadline && (active || more)) {
            if (!stop) {
                stop = "the run timeout was reached (--run-timeout)";
                stats->run_timed_out = true;
            }
            for (unsigned i = 0; i < l.concurrency; i++) {
                slot *s = &slots[i];
                if (!s->busy) continue;
                C.multi_remove_handle(m, s->e);
                active--;
                drop_headers(&s->c);
                s->c.resp_len = 0;
                s->c.status = 0;
                set_err(&s->c, AC_LIVE_TIMEOUT, "timeout: the run timeout was reached (--run-timeout)");
                stats->errors++;
                done(ctx, &s->c);
                release(s);
            }
            continue;
        }
        if (active) {
            double wait = (deadline - now) * 1000;
            C.multi_poll(m, NULL, 0, wait < 100 ? (int)wait + 1 : 100, NULL);
        }
    }
    stats->seconds = now_s() - start;
    for (unsigned i = 0; i < l.concurrency; i++) C.easy_cleanup(slots[i].e);
    free(slots);
    C.multi_cleanup(m);
    C.global_cleanup();
    return AC_OK;
}
