/* SHA-256 (FIPS 180-4): a content hash for what a contract is built from, so that two versions of a
 * contract with the same content are recognised without comparing them (apicompat history). */
#ifndef AC_SHA256_H
#define AC_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct ac_sha256 {
    uint32_t h[8];
    uint64_t bytes;        /* message length so far */
    unsigned char buf[64]; /* a block being filled */
    size_t nbuf;
} ac_sha256;

void ac_sha256_init(ac_sha256 *s);
void ac_sha256_update(ac_sha256 *s, const void *data, size_t len);
/* One framed part: its length first, so that ("ab", "c") and ("a", "bc") hash differently. */
void ac_sha256_part(ac_sha256 *s, const void *data, size_t len);
void ac_sha256_final(ac_sha256 *s, unsigned char out[32]);
/* "sha256:" and 64 lower-case hex digits, into out[72]. */
void ac_sha256_hex(const unsigned char digest[32], char out[72]);

#endif
