/* ProtoJSON over the IR's descriptors: what a writer prints for a message (pbval.h), and what a
 * strict parser makes of a text: fields by JSON name or proto name, unknown names and enum value
 * names rejected, 64-bit integers as strings or numbers, bytes in base64, maps as objects.  The
 * well-known types with a JSON form of their own (Timestamp, Duration, FieldMask, Struct, Value,
 * ListValue, the wrappers, an empty Any) are written and read in that form when PV_JSON_WKT is
 * asked for; without it (and for an Any that holds a message) the writer refuses them and the
 * reader says it cannot tell. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat/base/text.h"
#include "proto/pbval.h"
#include "compat/base/map.h"

/* A message type whose JSON form is not its fields'. */
static bool special_json(const ac_pb_msg *t)
{
    static const char *const names[] = {
        "google.protobuf.Any",         "google.protobuf.Duration",    "google.protobuf.FieldMask",
        "google.protobuf.Struct",      "google.protobuf.Value",       "google.protobuf.ListValue",
        "google.protobuf.Timestamp",   "google.protobuf.DoubleValue", "google.protobuf.FloatValue",
        "google.protobuf.Int64Value",  "google.protobuf.UInt64Value", "google.protobuf.Int32Value",
        "google.protobuf.UInt32Value", "google.protobuf.BoolValue",   "google.protobuf.StringValue",
        "google.protobuf.BytesValue",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(t->full_name, names[i])) return true;
    return false;
}

/* ---- writing ------------------------------------------------------------------------------------ */

typedef struct jw {
    ac_text t; /* bounded by PV_MAX_BYTES (with its NUL) */
    bool bad;  /* the message has no JSON form (or the text ran past the bound) */
    int names;
} jw;

static bool failed(const jw *w)
{
    return w->bad || w->t.cut;
}

static void jput(jw *w, const char *s, size_t n)
{
    if (!w->bad) ac_text_put(&w->t, s, n);
}

static void jputs(jw *w, const char *s)
{
    jput(w, s, strlen(s));
}

static void jprintf(jw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void jprintf(jw *w, const char *fmt, ...)
{
    if (w->bad) return;
    va_list ap;
    va_start(ap, fmt);
    ac_text_vprintf(&w->t, fmt, ap);
    va_end(ap);
}

static bool utf8_ok(const uint8_t *s, size_t n)
{
    /* a JSON string carries text: reuse cJSON's view of it through a round trip is not exact, so
     * check the encoding here */
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
        if (!len || n - i < len) return false;
        for (size_t k = 1; k < len; k++)
            if ((s[i + k] & 0xc0) != 0x80) return false;
        if (len == 3 && ((c == 0xe0 && s[i + 1] < 0xa0) || (c == 0xed && s[i + 1] >= 0xa0))) return false;
        if (len == 4 && ((c == 0xf0 && s[i + 1] < 0x90) || (c == 0xf4 && s[i + 1] >= 0x90))) return false;
        if (c == 0) return false;
        i += len;
    }
    return true;
}

static void jstring(jw *w, const uint8_t *s, size_t n)
{
    if (!utf8_ok(s, n)) {
        w->bad = true; /* JSON text cannot carry it */
        return;
    }
    jput(w, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (c == '"') jputs(w, "\\\"");
        else if (c == '\\') jputs(w, "\\\\");
        else if (c < 0x20 || c == 0x7f) jprintf(w, "\\u%04x", c);
        else jput(w, (const char *)&c, 1);
    }
    jput(w, "\"", 1);
}

static void base64(jw *w, const uint8_t *s, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    jput(w, "\"", 1);
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0) | (i + 2 < n ? s[i + 2] : 0);
        char out[4] = {tab[v >> 18], tab[(v >> 12) & 63], i + 1 < n ? tab[(v >> 6) & 63] : '=', i + 2 < n ? tab[v & 63] : '='};
        jput(w, out, 4);
    }
    jput(w, "\"", 1);
}

static void jfloat(jw *w, double d, bool is_float)
{
    if (isnan(d)) {
        jputs(w, "\"NaN\"");
        return;
    }
    if (isinf(d)) {
        jputs(w, d < 0 ? "\"-Infinity\"" : "\"Infinity\"");
        return;
    }
    char buf[PV_FLOAT_CHARS];
    pv_float_digits(buf, d, is_float);
    jputs(w, buf);
}

static void jmsg(jw *w, const pv_msg *m, int depth);

static void jvalue(jw *w, const ac_pb_field *f, const pv_value *v, int depth)
{
    switch (f->kind) {
    case AC_PB_INT32: case AC_PB_SINT32: case AC_PB_SFIXED32: jprintf(w, "%" PRId64, v->i); break;
    case AC_PB_UINT32: case AC_PB_FIXED32: jprintf(w, "%" PRIu64, v->u); break;
    case AC_PB_INT64: case AC_PB_SINT64: case AC_PB_SFIXED64: jprintf(w, "\"%" PRId64 "\"", v->i); break;
    case AC_PB_UINT64: case AC_PB_FIXED64: jprintf(w, "\"%" PRIu64 "\"", v->u); break;
    case AC_PB_BOOL: jputs(w, v->u ? "true" : "false"); break;
    case AC_PB_FLOAT: jfloat(w, v->d, true); break;
    case AC_PB_DOUBLE: jfloat(w, v->d, false); break;
    case AC_PB_STRING: jstring(w, v->s, v->n); break;
    case AC_PB_BYTES: base64(w, v->s, v->n); break;
    case AC_PB_ENUM: {
        const ac_pb_enum *e = f->enum_type;
        if (e && !strcmp(e->full_name, "google.protobuf.NullValue")) {
            if (w->names & PV_JSON_WKT) jputs(w, "null");
            else w->bad = true;
            return;
        }
        for (size_t i = 0; e && i < e->nvalues; i++)
            if (e->values[i]->number == v->i) {
                jput(w, "\"", 1);
                jputs(w, e->values[i]->name);
                jput(w, "\"", 1);
                return;
            }
        jprintf(w, "%" PRId64, v->i);
        break;
    }
    default:
        if (!v->m) w->bad = true;
        else jmsg(w, v->m, depth + 1);
    }
}

/* A map key as JSON writes it: the key's text, quoted. */
static void jkey(jw *w, const pv_msg *entry)
{
    const pv_entry *k = NULL;
    for (size_t i = 0; i < entry->n; i++)
        if (entry->e[i].number == 1 && entry->e[i].f) k = &entry->e[i];
    const ac_pb_field *kf = k ? k->f : pv_field(entry->type, 1);
    pv_value zero = {0};
    const pv_value *v = k ? &k->v : &zero;
    if (!kf) {
        w->bad = true;
        return;
    }
    switch (kf->kind) {
    case AC_PB_STRING: jstring(w, v->s ? v->s : (const uint8_t *)"", v->n); return;
    case AC_PB_BOOL: jputs(w, v->u ? "\"true\"" : "\"false\""); return;
    case AC_PB_UINT32: case AC_PB_UINT64: case AC_PB_FIXED32: case AC_PB_FIXED64: jprintf(w, "\"%" PRIu64 "\"", v->u); return;
    default: jprintf(w, "\"%" PRId64 "\"", v->i);
    }
}

static void jwkt(jw *w, const pv_msg *m, int depth);

static void jmsg(jw *w, const pv_msg *m, int depth)
{
    if (depth > PV_MAX_DEPTH || !m->type) {
        w->bad = true;
        return;
    }
    if (special_json(m->type)) {
        if (w->names & PV_JSON_WKT) jwkt(w, m, depth);
        else w->bad = true;
        return;
    }
    jput(w, "{", 1);
    bool first = true;
    ac_intmap written; /* the fields written (a field's values all go with its first) */
    ac_intmap_init(&written);
    for (size_t i = 0; i < m->n && !failed(w); i++) {
        const pv_entry *e = &m->e[i];
        if (!e->f) continue; /* JSON has no unknown fields */
        if (e->f->extendee) {
            w->bad = true;
            break;
        }
        if (ac_intmap_has(&written, (int64_t)(intptr_t)e->f)) continue;
        ac_intmap_put(&written, (int64_t)(intptr_t)e->f, (void *)1);
        if (!first) jput(w, ",", 1);
        first = false;
        const char *key = (w->names & PV_PROTO_NAMES) ? e->f->name : e->f->json_name;
        jstring(w, (const uint8_t *)key, strlen(key));
        jput(w, ":", 1);
        if (e->f->cardinality == AC_CARD_MAP) {
            jput(w, "{", 1);
            bool f1 = true;
            for (size_t k = i; k < m->n; k++) {
                if (m->e[k].f != e->f || !m->e[k].v.m) continue;
                const pv_msg *entry = m->e[k].v.m;
                if (!f1) jput(w, ",", 1);
                f1 = false;
                jkey(w, entry);
                jput(w, ":", 1);
                const ac_pb_field *vf = pv_field(entry->type, 2);
                const pv_entry *ve = NULL;
                for (size_t j = 0; j < entry->n; j++)
                    if (entry->e[j].number == 2 && entry->e[j].f) ve = &entry->e[j];
                pv_value zero = {0};
                if (!vf) w->bad = true;
                else if (ve) jvalue(w, vf, &ve->v, depth);
                else if (vf->kind == AC_PB_MESSAGE) jputs(w, "{}");
                else jvalue(w, vf, &zero, depth);
            }
            jput(w, "}", 1);
        } else if (e->f->label == AC_PB_LABEL_REPEATED) {
            jput(w, "[", 1);
            bool f1 = true;
            for (size_t k = i; k < m->n; k++) {
                if (m->e[k].f != e->f) continue;
                if (!f1) jput(w, ",", 1);
                f1 = false;
                jvalue(w, e->f, &m->e[k].v, depth);
            }
            jput(w, "]", 1);
        } else {
            jvalue(w, e->f, &e->v, depth);
        }
    }
    ac_intmap_free(&written);
    jput(w, "}", 1);
}

/* ---- the well-known types' own JSON forms ---- */

/* The last value of field number in m (NULL: not set). */
static const pv_entry *get(const pv_msg *m, int32_t number)
{
    const pv_entry *e = NULL;
    for (size_t i = 0; i < m->n; i++)
        if (m->e[i].number == number && m->e[i].f) e = &m->e[i];
    return e;
}

/* Days since 1970-01-01 of a date of the proleptic Gregorian calendar, and back. */
static int64_t days_from_civil(int64_t y, int64_t mo, int64_t d)
{
    y -= mo <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int64_t *mo, int64_t *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *mo = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*mo <= 2);
}

#define TS_MIN INT64_C(-62135596800) /* 0001-01-01T00:00:00Z */
#define TS_MAX INT64_C(253402300799) /* 9999-12-31T23:59:59Z */
#define DUR_MAX INT64_C(315576000000)

/* nanos as protobuf prints them: none, 3, 6 or 9 digits */
static void jnanos(jw *w, int64_t nanos)
{
    if (!nanos) return;
    if (nanos % 1000000 == 0) jprintf(w, ".%03" PRId64, nanos / 1000000);
    else if (nanos % 1000 == 0) jprintf(w, ".%06" PRId64, nanos / 1000);
    else jprintf(w, ".%09" PRId64, nanos);
}

static void jtimestamp(jw *w, const pv_msg *m)
{
    const pv_entry *s = get(m, 1), *n = get(m, 2);
    int64_t secs = s ? s->v.i : 0, nanos = n ? n->v.i : 0;
    if (secs < TS_MIN || secs > TS_MAX || nanos < 0 || nanos > 999999999) {
        w->bad = true;
        return;
    }
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400), rem = secs - days * 86400, y, mo, d;
    civil_from_days(days, &y, &mo, &d);
    jprintf(w, "\"%04" PRId64 "-%02" PRId64 "-%02" PRId64 "T%02" PRId64 ":%02" PRId64 ":%02" PRId64, y, mo, d, rem / 3600,
            rem / 60 % 60, rem % 60);
    jnanos(w, nanos);
    jputs(w, "Z\"");
}

static void jduration(jw *w, const pv_msg *m)
{
    const pv_entry *s = get(m, 1), *n = get(m, 2);
    int64_t secs = s ? s->v.i : 0, nanos = n ? n->v.i : 0;
    if (secs < -DUR_MAX || secs > DUR_MAX || nanos < -999999999 || nanos > 999999999 || (secs > 0 && nanos < 0) ||
        (secs < 0 && nanos > 0)) {
        w->bad = true;
        return;
    }
    jprintf(w, "\"%s%" PRId64, secs < 0 || nanos < 0 ? "-" : "", secs < 0 ? -secs : secs);
    jnanos(w, nanos < 0 ? -nanos : nanos);
    jputs(w, "s\"");
}

/* A FieldMask path in lowerCamelCase; false when it would not read back (an upper-case letter, or
 * an underscore not followed by a lower-case letter). */
static bool camel_path(const uint8_t *s, size_t n, jw *out)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= 'A' && s[i] <= 'Z') return false;
        if (s[i] == '_') {
            if (i + 1 >= n || s[i + 1] < 'a' || s[i + 1] > 'z') return false;
            char up = (char)(s[++i] - 'a' + 'A');
            jput(out, &up, 1);
        } else {
            jput(out, (const char *)&s[i], 1);
        }
    }
    return true;
}

static void jfieldmask(jw *w, const pv_msg *m)
{
    jw tmp = {.t = {.max = PV_MAX_BYTES - 1}};
    bool first = true;
    for (size_t i = 0; i < m->n && !w->bad; i++) {
        if (m->e[i].number != 1 || !m->e[i].f) continue;
        if (!first) jput(&tmp, ",", 1);
        first = false;
        if (!camel_path(m->e[i].v.s, m->e[i].v.n, &tmp)) w->bad = true;
    }
    if (!w->bad && !failed(&tmp)) jstring(w, (const uint8_t *)(tmp.t.p ? tmp.t.p : ""), tmp.t.n);
    if (failed(&tmp)) w->bad = true;
    ac_text_free(&tmp.t);
}

static void jwkt(jw *w, const pv_msg *m, int depth)
{
    const char *t = m->type->full_name + strlen("google.protobuf.");
    if (!strcmp(t, "Timestamp")) {
        jtimestamp(w, m);
    } else if (!strcmp(t, "Duration")) {
        jduration(w, m);
    } else if (!strcmp(t, "FieldMask")) {
        jfieldmask(w, m);
    } else if (!strcmp(t, "Struct")) {
        jput(w, "{", 1);
        bool first = true;
        for (size_t i = 0; i < m->n && !w->bad; i++) {
            const pv_entry *e = &m->e[i];
            if (e->number != 1 || !e->f || !e->v.m) continue;
            if (!first) jput(w, ",", 1);
            first = false;
            jkey(w, e->v.m);
            jput(w, ":", 1);
            const pv_entry *v = get(e->v.m, 2);
            if (!v || !v->v.m) w->bad = true; /* a Value that is not set has no JSON form */
            else jmsg(w, v->v.m, depth + 1);
        }
        jput(w, "}", 1);
    } else if (!strcmp(t, "ListValue")) {
        jput(w, "[", 1);
        bool first = true;
        for (size_t i = 0; i < m->n && !w->bad; i++) {
            if (m->e[i].number != 1 || !m->e[i].f || !m->e[i].v.m) continue;
            if (!first) jput(w, ",", 1);
            first = false;
            jmsg(w, m->e[i].v.m, depth + 1);
        }
        jput(w, "]", 1);
    } else if (!strcmp(t, "Value")) {
        const pv_entry *k = NULL;
        for (size_t i = 0; i < m->n; i++)
            if (m->e[i].f && m->e[i].number >= 1 && m->e[i].number <= 6) k = &m->e[i];
        if (!k) w->bad = true;
        else if (k->number == 1) jputs(w, "null");
        else if (k->number == 2 && !isfinite(k->v.d)) w->bad = true; /* JSON has no NaN or infinity as a number */
        else jvalue(w, k->f, &k->v, depth);
    } else if (!strcmp(t, "Any")) {
        if (m->n) w->bad = true; /* an Any that holds a message: its type is not looked up here */
        else jputs(w, "{}");
    } else { /* the wrappers: the value itself */
        const ac_pb_field *f = pv_field(m->type, 1);
        const pv_entry *e = get(m, 1);
        pv_value zero = {0};
        if (!f) w->bad = true;
        else jvalue(w, f, e ? &e->v : &zero, depth);
    }
}

const char *pv_json_write(ac_arena *a, const pv_msg *m, int names)
{
    jw w = {.t = {.max = PV_MAX_BYTES - 1}, .names = names};
    jmsg(&w, m, 0);
    const char *s = failed(&w) || !w.t.p ? NULL : ac_arena_strdup(a, w.t.p);
    ac_text_free(&w.t);
    return s;
}

/* ---- reading ------------------------------------------------------------------------------------ */

typedef struct jr {
    ac_arena *a;
    pv_error *err;
    bool failed;
    int32_t top; /* the top-level field being read */
    int flags;   /* PV_JSON_WKT */
} jr;

static void *reject(jr *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void *reject(jr *r, const char *fmt, ...)
{
    if (!r->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->err->msg, sizeof r->err->msg, fmt, ap);
        va_end(ap);
        r->err->number = r->top;
        r->failed = true;
    }
    return NULL;
}

static void *unsupported(jr *r)
{
    if (!r->failed) {
        snprintf(r->err->msg, sizeof r->err->msg, "a JSON form this reader does not cover");
        r->err->number = -1;
        r->failed = true;
    }
    return NULL;
}

/* A whole number in [lo, hi] from a JSON number or a string of digits. */
static bool get_int(const cJSON *v, long double lo, long double hi, int64_t *si, uint64_t *ui)
{
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (!isfinite(d) || floor(d) != d || d < lo || d > hi) return false;
        if (d < 0) *si = (int64_t)d, *ui = (uint64_t)*si;
        else *ui = (uint64_t)d, *si = (int64_t)*ui;
        return true;
    }
    if (!cJSON_IsString(v) || !v->valuestring[0]) return false;
    const char *s = v->valuestring;
    char *end;
    errno = 0;
    if (s[0] == '-') {
        long long x = strtoll(s, &end, 10);
        if (*end || errno || s[1] < '0' || s[1] > '9' || x < lo) return false;
        *si = x;
        *ui = (uint64_t)x;
        return true;
    }
    if (s[0] < '0' || s[0] > '9') return false;
    unsigned long long x = strtoull(s, &end, 10);
    if (*end || errno || (long double)x > hi) return false;
    *ui = x;
    *si = (int64_t)x;
    return true;
}

static int b64val(int c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
}

static bool unbase64(jr *r, const char *s, pv_value *out)
{
    size_t n = strlen(s);
    while (n && s[n - 1] == '=') n--;
    uint8_t *p = ac_arena_alloc(r->a, n + 1);
    size_t w = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64val((unsigned char)s[i]);
        if (v < 0) return false;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            p[w++] = (uint8_t)(acc >> bits);
        }
    }
    if (n % 4 == 1) return false;
    out->s = p;
    out->n = w;
    return true;
}

static pv_msg *read_msg(jr *r, const ac_pb_msg *type, const cJSON *obj, int depth);

static bool read_value(jr *r, const ac_pb_field *f, const cJSON *v, pv_value *out, int depth)
{
    memset(out, 0, sizeof *out);
    int64_t si;
    uint64_t ui;
    switch (f->kind) {
    case AC_PB_INT32: case AC_PB_SINT32: case AC_PB_SFIXED32:
        if (!get_int(v, INT32_MIN, INT32_MAX, &si, &ui)) return reject(r, "field \"%s\" takes a 32-bit integer", f->name), false;
        out->i = si;
        return true;
    case AC_PB_UINT32: case AC_PB_FIXED32:
        if (!get_int(v, 0, UINT32_MAX, &si, &ui)) return reject(r, "field \"%s\" takes an unsigned 32-bit integer", f->name), false;
        out->u = ui;
        return true;
    case AC_PB_INT64: case AC_PB_SINT64: case AC_PB_SFIXED64:
        if (!get_int(v, -9223372036854775808.0L, 9223372036854775807.0L, &si, &ui))
            return reject(r, "field \"%s\" takes a 64-bit integer", f->name), false;
        out->i = si;
        return true;
    case AC_PB_UINT64: case AC_PB_FIXED64:
        if (!get_int(v, 0, 18446744073709551615.0L, &si, &ui))
            return reject(r, "field \"%s\" takes an unsigned 64-bit integer", f->name), false;
        out->u = ui;
        return true;
    case AC_PB_BOOL:
        if (!cJSON_IsBool(v)) return reject(r, "field \"%s\" takes true or false", f->name), false;
        out->u = cJSON_IsTrue(v);
        return true;
    case AC_PB_FLOAT: case AC_PB_DOUBLE: {
        double d;
        if (cJSON_IsNumber(v)) d = v->valuedouble;
        else if (cJSON_IsString(v) && !strcmp(v->valuestring, "NaN")) d = NAN;
        else if (cJSON_IsString(v) && !strcmp(v->valuestring, "Infinity")) d = INFINITY;
        else if (cJSON_IsString(v) && !strcmp(v->valuestring, "-Infinity")) d = -INFINITY;
        else return reject(r, "field \"%s\" takes a number", f->name), false;
        if (f->kind == AC_PB_FLOAT && isfinite(d) && fabs(d) > FLT_MAX)
            return reject(r, "field \"%s\" takes a float, %g is out of its range", f->name, d), false;
        out->d = f->kind == AC_PB_FLOAT ? (double)(float)d : d;
        return true;
    }
    case AC_PB_STRING:
        if (!cJSON_IsString(v)) return reject(r, "field \"%s\" takes a string", f->name), false;
        out->s = (const uint8_t *)ac_arena_strdup(r->a, v->valuestring);
        out->n = strlen(v->valuestring);
        return true;
    case AC_PB_BYTES:
        if (!cJSON_IsString(v) || !unbase64(r, v->valuestring, out))
            return reject(r, "field \"%s\" takes base64 bytes", f->name), false;
        return true;
    case AC_PB_ENUM: {
        const ac_pb_enum *e = f->enum_type;
        if (e && !strcmp(e->full_name, "google.protobuf.NullValue") && (r->flags & PV_JSON_WKT)) {
            if (!cJSON_IsNull(v)) return reject(r, "field \"%s\" takes null", f->name), false;
            out->i = 0;
            return true;
        }
        if (!e || !strcmp(e->full_name, "google.protobuf.NullValue")) return unsupported(r), false;
        if (cJSON_IsString(v)) {
            for (size_t i = 0; i < e->nvalues; i++)
                if (!strcmp(e->values[i]->name, v->valuestring)) {
                    out->i = e->values[i]->number;
                    return true;
                }
            return reject(r, "enum \"%s\" has no value named \"%s\"", e->full_name, v->valuestring), false;
        }
        if (!get_int(v, INT32_MIN, INT32_MAX, &si, &ui) || cJSON_IsString(v))
            return reject(r, "field \"%s\" takes a value of enum \"%s\"", f->name, e->full_name), false;
        bool known = false;
        for (size_t i = 0; i < e->nvalues && !known; i++) known = e->values[i]->number == si;
        if (!known && e->closed) return reject(r, "closed enum \"%s\" has no value %" PRId64, e->full_name, si), false;
        out->i = si;
        return true;
    }
    default:
        out->m = read_msg(r, f->msg_type, v, depth + 1);
        return out->m != NULL;
    }
}

/* A map key from its JSON text. */
static bool read_key(jr *r, const ac_pb_field *kf, const char *s, pv_value *out)
{
    memset(out, 0, sizeof *out);
    if (kf->kind == AC_PB_STRING) {
        out->s = (const uint8_t *)ac_arena_strdup(r->a, s);
        out->n = strlen(s);
        return true;
    }
    if (kf->kind == AC_PB_BOOL) {
        if (strcmp(s, "true") && strcmp(s, "false")) return false;
        out->u = !strcmp(s, "true");
        return true;
    }
    cJSON tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.type = cJSON_String;
    tmp.valuestring = (char *)s;
    return read_value(r, kf, &tmp, out, 0);
}

static const ac_pb_field *field_by_key(const ac_pb_msg *type, const char *key)
{
    for (size_t i = 0; i < type->nfields; i++)
        if (!strcmp(type->fields[i]->json_name, key)) return type->fields[i];
    for (size_t i = 0; i < type->nfields; i++)
        if (!strcmp(type->fields[i]->name, key)) return type->fields[i];
    return NULL;
}

static pv_msg *read_wkt(jr *r, const ac_pb_msg *type, const cJSON *v, int depth);

/* Whether a JSON null given for field f is a value (a google.protobuf.Value, or the NullValue enum)
 * rather than the field left out. */
static bool null_is_value(const jr *r, const ac_pb_field *f)
{
    if (!(r->flags & PV_JSON_WKT)) return false;
    if (f->msg_type && !strcmp(f->msg_type->full_name, "google.protobuf.Value")) return true;
    return f->enum_type && !strcmp(f->enum_type->full_name, "google.protobuf.NullValue");
}

static pv_msg *read_msg(jr *r, const ac_pb_msg *type, const cJSON *obj, int depth)
{
    if (r->failed) return NULL;
    if (type && depth <= PV_MAX_DEPTH && special_json(type) && (r->flags & PV_JSON_WKT)) return read_wkt(r, type, obj, depth);
    if (!type || depth > PV_MAX_DEPTH || special_json(type)) return unsupported(r);
    if (!cJSON_IsObject(obj)) return reject(r, "message \"%s\" takes an object", type->full_name);
    pv_msg *m = pv_msg_new(r->a, type);
    const cJSON *c;
    cJSON_ArrayForEach(c, obj)
    {
        if (r->failed) return NULL;
        const ac_pb_field *f = field_by_key(type, c->string);
        if (depth == 0 && f) r->top = f->number;
        if (!f) return reject(r, "message \"%s\" has no field \"%s\"", type->full_name, c->string);
        if (pv_has(m, f->number)) return reject(r, "field \"%s\" of \"%s\" is given twice", f->name, type->full_name);
        if (cJSON_IsNull(c) && !null_is_value(r, f)) continue;
        if (f->oneof && !f->oneof->synthetic)
            for (size_t i = 0; i < m->n; i++)
                if (m->e[i].f && m->e[i].f->oneof == f->oneof)
                    return reject(r, "oneof \"%s\" of \"%s\" is given two members, \"%s\" and \"%s\"", f->oneof->name,
                                  type->full_name, m->e[i].f->name, f->name);
        if (f->cardinality == AC_CARD_MAP) {
            if (!cJSON_IsObject(c)) return reject(r, "map field \"%s\" takes an object", f->name);
            const ac_pb_field *kf = pv_field(f->msg_type, 1), *vf = pv_field(f->msg_type, 2);
            if (!kf || !vf) return unsupported(r);
            const cJSON *item;
            cJSON_ArrayForEach(item, c)
            {
                pv_msg *entry = pv_msg_new(r->a, f->msg_type);
                pv_value k, v;
                if (!read_key(r, kf, item->string, &k))
                    return reject(r, "map field \"%s\" has a key \"%s\" that is not a %s", f->name, item->string,
                                  ac_pb_kind_name(kf->kind));
                if ((cJSON_IsNull(item) && !null_is_value(r, vf)) || !read_value(r, vf, item, &v, depth)) return r->failed ? NULL : reject(r, "map field \"%s\" has a null value", f->name);
                pv_add(r->a, entry, kf, &k);
                pv_add(r->a, entry, vf, &v);
                pv_value ev = {0};
                ev.m = entry;
                pv_add(r->a, m, f, &ev);
            }
            continue;
        }
        if (f->label == AC_PB_LABEL_REPEATED) {
            if (!cJSON_IsArray(c)) return reject(r, "repeated field \"%s\" takes an array", f->name);
            const cJSON *item;
            cJSON_ArrayForEach(item, c)
            {
                pv_value v;
                if (cJSON_IsNull(item) && !null_is_value(r, f)) return reject(r, "repeated field \"%s\" holds a null", f->name);
                if (!read_value(r, f, item, &v, depth)) return NULL;
                pv_add(r->a, m, f, &v);
            }
            continue;
        }
        pv_value v;
        if (!read_value(r, f, c, &v, depth)) return NULL;
        if (pv_implicit(f) && pv_is_zero(f, &v)) continue; /* set to its zero: not present */
        pv_add(r->a, m, f, &v);
    }
    for (size_t i = 0; i < type->nfields; i++)
        if (pv_required(type->fields[i]) && !pv_has(m, type->fields[i]->number)) {
            r->top = depth == 0 ? type->fields[i]->number : r->top;
            return reject(r, "missing required field \"%s\"", type->fields[i]->full_name);
        }
    return m;
}

/* ---- reading the well-known types' own JSON forms ---- */

/* Sets field number of m to v, unless it is an implicit zero. */
static void set_field(jr *r, pv_msg *m, int32_t number, const pv_value *v)
{
    const ac_pb_field *f = pv_field(m->type, number);
    if (!f) {
        unsupported(r);
        return;
    }
    if (pv_implicit(f) && pv_is_zero(f, v)) return;
    pv_add(r->a, m, f, v);
}

static bool digits(const char *s, int n, int64_t *out)
{
    int64_t v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* ".123" (1 to 9 digits) at *pp as nanoseconds; none is 0. */
static bool read_frac(const char **pp, int64_t *nanos)
{
    const char *p = *pp;
    *nanos = 0;
    if (*p != '.') return true;
    p++;
    int n = 0;
    int64_t v = 0;
    while (p[n] >= '0' && p[n] <= '9' && n < 10) v = v * 10 + (p[n++] - '0');
    if (n == 0 || n > 9) return false;
    for (int i = n; i < 9; i++) v *= 10;
    *nanos = v;
    *pp = p + n;
    return true;
}

static pv_msg *read_timestamp(jr *r, const ac_pb_msg *type, const cJSON *v)
{
    const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
    int64_t y, mo, d, h, mi, se, nanos, off = 0;
    if (!s || strlen(s) < 20 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d) ||
        (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
        !digits(s + 17, 2, &se))
        return reject(r, "a Timestamp takes an RFC 3339 date and time, as a string");
    const char *p = s + 19;
    if (!read_frac(&p, &nanos)) return reject(r, "a Timestamp takes 1 to 9 digits of fractional seconds");
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int64_t oh, om;
        if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om)) return reject(r, "a Timestamp has a bad time zone offset");
        off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return reject(r, "a Timestamp needs a time zone (Z or an offset)");
    }
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (*p || y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || se > 59 ||
        (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
        return reject(r, "\"%s\" is not a valid Timestamp", s);
    int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
    if (secs < TS_MIN || secs > TS_MAX) return reject(r, "Timestamp \"%s\" is out of range", s);
    pv_msg *m = pv_msg_new(r->a, type);
    pv_value a = {0}, b = {0};
    a.i = secs;
    b.i = nanos;
    set_field(r, m, 1, &a);
    set_field(r, m, 2, &b);
    return r->failed ? NULL : m;
}

static pv_msg *read_duration(jr *r, const ac_pb_msg *type, const cJSON *v)
{
    const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
    if (!s) return reject(r, "a Duration takes a string such as \"1.5s\"");
    const char *p = s;
    bool neg = *p == '-';
    if (neg) p++;
    int n = 0;
    int64_t secs = 0, nanos;
    while (p[n] >= '0' && p[n] <= '9' && n < 13) secs = secs * 10 + (p[n++] - '0');
    p += n;
    if (!n || n > 12 || !read_frac(&p, &nanos) || strcmp(p, "s")) return reject(r, "\"%s\" is not a valid Duration", s);
    if (secs > DUR_MAX) return reject(r, "Duration \"%s\" is out of range", s);
    pv_msg *m = pv_msg_new(r->a, type);
    pv_value a = {0}, b = {0};
    a.i = neg ? -secs : secs;
    b.i = neg ? -nanos : nanos;
    set_field(r, m, 1, &a);
    set_field(r, m, 2, &b);
    return r->failed ? NULL : m;
}

static pv_msg *read_fieldmask(jr *r, const ac_pb_msg *type, const cJSON *v)
{
    if (!cJSON_IsString(v)) return reject(r, "a FieldMask takes a string of comma-separated paths");
    pv_msg *m = pv_msg_new(r->a, type);
    const ac_pb_field *f = pv_field(type, 1);
    if (!f) return unsupported(r);
    const char *s = v->valuestring;
    while (*s) {
        const char *end = strchr(s, ',');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        char *path = ac_arena_alloc(r->a, 2 * n + 1);
        size_t w = 0;
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '_') return reject(r, "FieldMask path \"%.*s\" is not in lowerCamelCase", (int)n, s);
            if (s[i] >= 'A' && s[i] <= 'Z') {
                path[w++] = '_';
                path[w++] = (char)(s[i] - 'A' + 'a');
            } else {
                path[w++] = s[i];
            }
        }
        path[w] = 0;
        pv_value pv = {0};
        pv.s = (const uint8_t *)path;
        pv.n = w;
        pv_add(r->a, m, f, &pv);
        s += n;
        if (*s == ',') s++;
    }
    return m;
}

static pv_msg *read_value_wkt(jr *r, const ac_pb_msg *type, const cJSON *v, int depth);

/* Struct from an object, ListValue from an array. */
static pv_msg *read_struct(jr *r, const ac_pb_msg *type, const cJSON *v, int depth)
{
    if (!cJSON_IsObject(v)) return reject(r, "a Struct takes an object");
    const ac_pb_field *f = pv_field(type, 1);
    const ac_pb_field *kf = f && f->msg_type ? pv_field(f->msg_type, 1) : NULL, *vf = f && f->msg_type ? pv_field(f->msg_type, 2) : NULL;
    if (!kf || !vf || !vf->msg_type) return unsupported(r);
    pv_msg *m = pv_msg_new(r->a, type);
    const cJSON *c;
    cJSON_ArrayForEach(c, v)
    {
        pv_msg *entry = pv_msg_new(r->a, f->msg_type);
        pv_value k = {0}, val = {0}, ev = {0};
        k.s = (const uint8_t *)ac_arena_strdup(r->a, c->string);
        k.n = strlen(c->string);
        if (!(val.m = read_value_wkt(r, vf->msg_type, c, depth + 1))) return NULL;
        pv_add(r->a, entry, kf, &k);
        pv_add(r->a, entry, vf, &val);
        ev.m = entry;
        pv_add(r->a, m, f, &ev);
    }
    return m;
}

static pv_msg *read_list(jr *r, const ac_pb_msg *type, const cJSON *v, int depth)
{
    if (!cJSON_IsArray(v)) return reject(r, "a ListValue takes an array");
    const ac_pb_field *f = pv_field(type, 1);
    if (!f || !f->msg_type) return unsupported(r);
    pv_msg *m = pv_msg_new(r->a, type);
    const cJSON *c;
    cJSON_ArrayForEach(c, v)
    {
        pv_value val = {0};
        if (!(val.m = read_value_wkt(r, f->msg_type, c, depth + 1))) return NULL;
        pv_add(r->a, m, f, &val);
    }
    return m;
}

static pv_msg *read_value_wkt(jr *r, const ac_pb_msg *type, const cJSON *v, int depth)
{
    if (depth > PV_MAX_DEPTH) return unsupported(r);
    pv_msg *m = pv_msg_new(r->a, type);
    pv_value val = {0};
    int32_t num;
    if (cJSON_IsNull(v)) {
        num = 1;
    } else if (cJSON_IsNumber(v)) {
        num = 2;
        val.d = v->valuedouble;
    } else if (cJSON_IsString(v)) {
        num = 3;
        val.s = (const uint8_t *)ac_arena_strdup(r->a, v->valuestring);
        val.n = strlen(v->valuestring);
    } else if (cJSON_IsBool(v)) {
        num = 4;
        val.u = cJSON_IsTrue(v);
    } else {
        const ac_pb_field *f = pv_field(type, cJSON_IsObject(v) ? 5 : 6);
        if (!f || !f->msg_type) return unsupported(r);
        num = f->number;
        val.m = cJSON_IsObject(v) ? read_struct(r, f->msg_type, v, depth + 1) : read_list(r, f->msg_type, v, depth + 1);
        if (!val.m) return NULL;
    }
    const ac_pb_field *f = pv_field(type, num);
    if (!f) return unsupported(r);
    pv_add(r->a, m, f, &val); /* a member of the kind oneof: present even when zero */
    return m;
}

static pv_msg *read_wkt(jr *r, const ac_pb_msg *type, const cJSON *v, int depth)
{
    const char *t = type->full_name + strlen("google.protobuf.");
    if (!strcmp(t, "Timestamp")) return read_timestamp(r, type, v);
    if (!strcmp(t, "Duration")) return read_duration(r, type, v);
    if (!strcmp(t, "FieldMask")) return read_fieldmask(r, type, v);
    if (!strcmp(t, "Struct")) return read_struct(r, type, v, depth);
    if (!strcmp(t, "ListValue")) return read_list(r, type, v, depth);
    if (!strcmp(t, "Value")) return read_value_wkt(r, type, v, depth);
    if (!strcmp(t, "Any")) {
        if (cJSON_IsObject(v) && !v->child) return pv_msg_new(r->a, type);
        return unsupported(r); /* an Any that holds a message: its type is not looked up here */
    }
    /* the wrappers: the value itself */
    const ac_pb_field *f = pv_field(type, 1);
    if (!f) return unsupported(r);
    if (cJSON_IsNull(v)) return reject(r, "a %s takes a value, not null", t);
    pv_value val;
    if (!read_value(r, f, v, &val, depth)) return NULL;
    pv_msg *m = pv_msg_new(r->a, type);
    set_field(r, m, 1, &val);
    return r->failed ? NULL : m;
}

pv_msg *pv_json_read(ac_arena *a, const ac_pb_msg *type, const char *json, pv_error *err)
{
    return pv_json_read_flags(a, type, json, 0, err);
}

pv_msg *pv_json_read_flags(ac_arena *a, const ac_pb_msg *type, const char *json, int flags, pv_error *err)
{
    memset(err, 0, sizeof *err);
    cJSON *root = cJSON_Parse(json);
    jr r = {a, err, false, 0, flags};
    if (!root) return reject(&r, "not JSON");
    pv_msg *m = read_msg(&r, type, root, 0);
    cJSON_Delete(root);
    return r.failed ? NULL : m;
}
