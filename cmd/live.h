/* Internal to cmd/: the live replay's transport (libcurl), with every limit of a run in one place.
 *
 * A run sends calls to one service (the scheme, host and port of the URL the user gave, nothing
 * else: no redirects are followed, no proxy from the environment is used, a URL that would leave
 * the target is refused) with a bounded number in flight (curl multi), a timeout per call and for
 * the run, and a cap on each answer's size (the transfer is aborted beyond it).  Calls are asked
 * for one at a time (next) and handed back as they finish (done), so a suite of any size costs
 * only the calls in flight.  gRPC calls go over HTTP/2: prior knowledge (h2c) for http://, ALPN
 * for https://.  Nothing here prints a request's headers (they may hold credentials).
 *
 * https:// always verifies the server's certificate and its host name (libcurl's defaults, set
 * anyway): against the system's CA store, or against the CA bundle given (--cacert).  There is no
 * way to turn verification off; a certificate that cannot be verified ends the run (AC_LIVE_TLS). */
#ifndef AC_LIVE_H
#define AC_LIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "compat/base/arena.h"
#include "compat/base/status.h"

#define AC_LIVE_CALL_TIMEOUT_MS 10000L
#define AC_LIVE_RUN_TIMEOUT_MS 600000L
#define AC_LIVE_MAX_RESPONSE ((size_t)8 << 20)
#define AC_LIVE_MAX_HEADER_BYTES ((size_t)64 << 10) /* all the header lines (and trailers) of an answer */
#define AC_LIVE_MAX_HEADERS 200u
#define AC_LIVE_MAX_INFLATED ((size_t)64 << 20) /* one gzip-compressed gRPC message, once inflated */
#define AC_LIVE_CONCURRENCY 4u
#define AC_LIVE_MAX_CONCURRENCY 64u

typedef struct ac_live_limits {
    long call_ms, run_ms;
    size_t max_bytes;
    unsigned concurrency;
} ac_live_limits;

/* Why a call gave no answer to judge (AC_LIVE_OK: it did). */
typedef enum {
    AC_LIVE_OK = 0,
    AC_LIVE_TIMEOUT,  /* the call's timeout, or the run's */
    AC_LIVE_CONNECT,  /* could not connect (refused, unreachable, name not resolved) */
    AC_LIVE_RESET,    /* the connection was closed or reset before the answer was complete */
    AC_LIVE_TOO_BIG,  /* the answer went past max_bytes (or its headers past the header limit) */
    AC_LIVE_PROTOCOL, /* not HTTP (or not HTTP/2): garbage */
    AC_LIVE_REFUSED,  /* the request would leave the target (never sent) */
    AC_LIVE_TLS,      /* https://: the handshake failed or the server's certificate cannot be verified */
    AC_LIVE_NOT_RUN,  /* not sent: the server is unreachable, or the run's time is up */
    AC_LIVE_OTHER,
} ac_live_err;

typedef struct ac_live_header {
    char *name; /* lower case */
    char *value;
} ac_live_header;

/* One call.  The caller fills the request part in next(); the run fills the answer before done()
 * and frees what it allocated after done() returns (url, body and header lines included). */
typedef struct ac_live_call {
    /* request */
    const char *method; /* "GET", "POST", ... */
    char *path;         /* malloc'd: appended to the target URL ("/pets/1?x=2"; "/pkg.S/M") */
    char **headers;     /* malloc'd "Name: value" lines, nheaders of them */
    size_t nheaders;
    char *body;         /* malloc'd or NULL */
    size_t body_len;
    bool grpc;          /* HTTP/2, the answer's trailers kept */
    size_t index;       /* the caller's */
    /* answer */
    ac_live_err err;
    char reason[256]; /* with err: one line */
    long status;
    char *resp;       /* NUL-terminated, resp_len bytes before the NUL */
    size_t resp_len;
    ac_live_header *h; /* headers, then trailers, in order (the last block's: a 100 Continue is dropped) */
    size_t nh;
} ac_live_call;

/* The target: scheme://host[:port][/base path], nothing else (no user, query or fragment).
 * cacert: a PEM file of the CA certificates to trust instead of the system's (https:// only), or
 * NULL. */
typedef struct ac_live_target ac_live_target;
int ac_live_target_new(ac_live_target **out, const char *url, const char *cacert, ac_status *st);
void ac_live_target_free(ac_live_target *t);
/* scheme://host:port, as shown in reports */
const char *ac_live_target_origin(const ac_live_target *t);

/* Returns true with *c filled, or false when there are no more calls. */
typedef bool (*ac_live_next_fn)(void *ctx, ac_live_call *c);
typedef void (*ac_live_done_fn)(void *ctx, const ac_live_call *c);

typedef struct ac_live_stats {
    size_t sent, answered, errors;
    bool unreachable;   /* no call ever connected, and one failed to */
    bool untrusted;     /* https://: the TLS handshake failed (no call sent after); tls_reason says why */
    char tls_reason[256];
    bool run_timed_out;
    double seconds;
} ac_live_stats;

/* Runs every call next() gives, done() seeing each.  Each call ends with an answer or an err; the
 * run never waits past the run timeout.  AC_ERROR only when libcurl itself cannot start. */
int ac_live_run(const ac_live_target *t, const ac_live_limits *l, ac_live_next_fn next, ac_live_done_fn done, void *ctx,
                ac_live_stats *stats, ac_status *st);

/* gRPC compression.  True when gzip-compressed messages can be read: zlib, which libcurl depends on,
 * is loaded with it (looked up, never loaded on its own); the calls then say grpc-accept-encoding. */
bool ac_live_gzip(void);
/* Inflates one gzip-compressed message (RFC 1952) into memory of a; false with a one-line why when
 * it is not gzip, is cut short, or inflates past max bytes. */
bool ac_live_gunzip(ac_arena *a, const unsigned char *in, size_t len, size_t max, unsigned char **out, size_t *outlen, char *why,
                    size_t whylen);

/* The value of header name (lower case) in c's answer, the last one given; NULL when absent. */
const char *ac_live_header_get(const ac_live_call *c, const char *name);

/* One header line of an answer as libcurl hands it over ("Name: value\r\n"; a status line starts
 * a new block and drops the headers before it) added to c->h, whose capacity is *cap.  False when
 * the answer has AC_LIVE_MAX_HEADERS already (the transport then ends the call).  The caller bounds
 * the bytes (AC_LIVE_MAX_HEADER_BYTES).  ac_live_headers_free releases c->h. */
bool ac_live_header_line(ac_live_call *c, size_t *cap, const char *p, size_t len);
void ac_live_headers_free(ac_live_call *c);

/* ---- judging an answer (replay_live.c): bytes in, a verdict out, no network ---- */

enum { AC_JUDGE_PASSED, AC_JUDGE_FAILED, AC_JUDGE_ERROR };

struct ac_contract;
struct ac_pb_method;
struct ac_oas_op;
struct ac_validator;
/* A gRPC answer (c's status, headers and trailers, and body: length-prefixed messages, gzip ones
 * inflated) to method m of contract pb: AC_JUDGE_PASSED, or AC_JUDGE_FAILED with *why (one line,
 * in a).  Each message must decode as m's output type; a unary method answers exactly one. */
int ac_live_judge_grpc(ac_arena *a, const struct ac_contract *pb, const struct ac_pb_method *m, const ac_live_call *c, const char **why);
/* An HTTP answer to op, validated by v (a response validator of op's contract): its status
 * documented, its media type, its JSON body and its headers.  AC_JUDGE_ERROR (with *why) when the
 * answer cannot be checked. */
int ac_live_judge_http(ac_arena *a, struct ac_validator *v, const struct ac_oas_op *op, const ac_live_call *c, const char **why);

/* Reads a --credentials FILE as a live replay does (the keys, the values on one line, the file
 * private to its owner), then forgets it: AC_OK when a run would accept it, else AC_ERROR and st. */
int ac_live_check_credentials(const char *path, ac_status *st);

#endif
