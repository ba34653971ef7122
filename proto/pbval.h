/* Protobuf messages as values over the contract IR's descriptors: built, written to the wire
 * format or to ProtoJSON, read back under a descriptor (the same contract's or another version's),
 * printed as protobuf text format and compared.  What the counterexamples of proof.c are made of.
 *
 * A reader here behaves as protobuf's C++ runtime does (what `protoc --decode` runs): a field whose
 * wire type does not match is kept as an unknown field, a closed enum's unknown number too, the
 * last value of a singular field wins, a singular message given twice is merged, setting a member
 * of a oneof clears the others, a map keeps the last entry of a key, and invalid UTF-8 in a string
 * that validates it or a missing required field fails the parse.  Everything is allocated in one
 * arena and every walk is bounded (PV_MAX_DEPTH, PV_MAX_BYTES). */
#ifndef AC_PROTO_PBVAL_H
#define AC_PROTO_PBVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compat/base/map.h"
#include "compat/ir/ir.h"

#define PV_MAX_DEPTH 32              /* nested messages a reader follows */
#define PV_MAX_BYTES ((size_t)1 << 20) /* what a writer produces */

enum { PV_WT_VARINT = 0, PV_WT_I64 = 1, PV_WT_LEN = 2, PV_WT_SGROUP = 3, PV_WT_EGROUP = 4, PV_WT_I32 = 5 };

typedef struct pv_msg pv_msg;

/* One value.  The member that holds it follows the field's kind: i for int32, int64, sint32,
 * sint64, sfixed32, sfixed64 and enums; u for uint32, uint64, fixed32, fixed64 and bool (0 or 1);
 * d for float and double; s and n for string and bytes; m for messages and groups.  An unknown
 * field keeps its varint or fixed bits in u, a length-delimited payload or a group's bytes in s. */
typedef struct pv_value {
    int64_t i;
    uint64_t u;
    double d;
    const uint8_t *s;
    size_t n;
    pv_msg *m;
} pv_value;

/* A field as it occurs: a known field (f), or an unknown one (f NULL: its number and wire type). */
typedef struct pv_entry {
    const ac_pb_field *f;
    int32_t number;
    uint8_t wt;
    pv_value v;
} pv_entry;

/* A message: its occurrences in order (a repeated field has one entry per element). */
struct pv_msg {
    const ac_pb_msg *type;
    pv_entry *e;
    size_t n, cap;
};

/* Why a reader rejected its input, and which field of the top-level message it was in (0: none). */
typedef struct pv_error {
    char msg[256];
    int32_t number;
} pv_error;

/* A growing byte buffer (malloc'd; pv_buf_free releases it). */
typedef struct pv_buf {
    uint8_t *p;
    size_t n, cap;
    bool overflow; /* past PV_MAX_BYTES: the writer stopped */
} pv_buf;

void pv_buf_free(pv_buf *b);

pv_msg *pv_msg_new(ac_arena *a, const ac_pb_msg *type);
/* Appends an occurrence of f (a copy of v; strings and messages are shared). */
pv_entry *pv_add(ac_arena *a, pv_msg *m, const ac_pb_field *f, const pv_value *v);
/* Drops every occurrence of field number. */
void pv_remove(pv_msg *m, int32_t number);
bool pv_has(const pv_msg *m, int32_t number);
/* Whether a value is its kind's zero (0, false, "", no bytes). */
bool pv_is_zero(const ac_pb_field *f, const pv_value *v);
/* Whether a field's singular zero value is not written at all (implicit presence). */
bool pv_implicit(const ac_pb_field *f);
/* Whether a field must be set (proto2 required, editions LEGACY_REQUIRED). */
bool pv_required(const ac_pb_field *f);
/* The fields a message declares by number (extensions are not looked up). */
const ac_pb_field *pv_field(const ac_pb_msg *type, int32_t number);

/* A finite float or double in the fewest of %.6g / %.9g (floats) or %.15g / %.17g (doubles) digits
 * that read back the same, as protobuf prints them (text format and ProtoJSON). */
#define PV_FLOAT_CHARS 64
void pv_float_digits(char buf[PV_FLOAT_CHARS], double d, bool is_float);

/* The wire format of m as a protobuf runtime writes it (packed repeated scalars in one record,
 * implicit zeros left out).  False when it went past PV_MAX_BYTES. */
bool pv_encode(const pv_msg *m, pv_buf *out);
/* Reads bytes as a message of type.  NULL (and err) when the runtime would reject them. */
pv_msg *pv_decode(ac_arena *a, const ac_pb_msg *type, const uint8_t *p, size_t n, pv_error *err);

/* Protobuf text format on one line, as `protoc --decode` prints it with its line breaks and
 * indentation collapsed to single spaces: known fields by number, then unknown ones; a message
 * without fields is "".  Cut with " ..." past max bytes. */
const char *pv_text(ac_arena *a, const pv_msg *m, size_t max);
/* One value of a known field as text format prints it (a string quoted and escaped, an enum's name). */
const char *pv_value_text(ac_arena *a, const ac_pb_field *f, const pv_value *v);

/* How far what two readers make of the same input differ in the fields given (all when nfocus
 * is 0): PV_SAME; PV_KIND when only the type of a value changed and not what it holds (a message
 * read as bytes); PV_DIFFERENT when a value, the number of values, or the field itself (unknown to
 * one side, or absent) differ. */
enum { PV_SAME = 0, PV_KIND = 1, PV_DIFFERENT = 2 };
int pv_compare(const pv_msg *a, const pv_msg *b, const int32_t *focus, size_t nfocus);
/* The numbers whose values differ (pv_compare of each alone gives PV_DIFFERENT), put in out (values
 * non-NULL); one pass, however many numbers. */
void pv_differing(const pv_msg *a, const pv_msg *b, ac_intmap *out);
/* The same for what two readers of one JSON text hold: fields matched by the names a JSON key
 * reaches (JSON name or proto name), not by number; focus holds numbers of a's fields. */
int pv_compare_json(const pv_msg *a, const pv_msg *b, const int32_t *focus, size_t nfocus);

/* ---- ProtoJSON (pbjson.c) ---- */

/* Field names a JSON writer uses: the JSON name (the default), or the proto name (a writer told to
 * preserve field names).  PV_JSON_WKT, or'ed in: the well-known types in their own JSON forms
 * (Timestamp as an RFC 3339 string, a wrapper as its value, Struct as an object ...; an Any only
 * when empty); without it they are not covered. */
enum { PV_JSON_NAMES = 0, PV_PROTO_NAMES = 1, PV_JSON_WKT = 2 };
/* m as ProtoJSON, compact.  NULL when it holds what the writer here does not cover (a
 * well-known type with a JSON form of its own unless PV_JSON_WKT, an extension, a value JSON
 * cannot carry). */
const char *pv_json_write(ac_arena *a, const pv_msg *m, int names);
/* Reads ProtoJSON as a message of type, as a strict parser does (unknown fields and enum names
 * rejected).  NULL and err when rejected; NULL with err->number -1 when the text holds what this
 * reader does not cover (then nothing is known about it). */
pv_msg *pv_json_read(ac_arena *a, const ac_pb_msg *type, const char *json, pv_error *err);
/* The same; flags PV_JSON_WKT reads the well-known types' own JSON forms. */
pv_msg *pv_json_read_flags(ac_arena *a, const ac_pb_msg *type, const char *json, int flags, pv_error *err);

#endif
