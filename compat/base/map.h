/* Open-addressing hash maps used for pairing elements by identity: string keys and integer keys.
 * Keys are borrowed (not copied); values are opaque pointers.  Lookups are O(1) expected, so
 * pairing old and new contracts is linear in their size. */
#ifndef AC_MAP_H
#define AC_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One slot: the key (NULL when empty), its value, hash and length together, so that a probe
 * touches one cache line. */
typedef struct {
    const char *key;
    void *val;
    uint32_t hash;
    uint32_t len;
} ac_strmap_slot;

typedef struct {
    ac_strmap_slot *e; /* cap slots; iterate with e[i].key != NULL */
    size_t cap, len;
} ac_strmap;

typedef struct {
    int64_t *keys;
    void **vals;
    unsigned char *used;
    size_t cap, len;
} ac_intmap;

uint32_t ac_hash_bytes(const void *p, size_t n);

void ac_strmap_init(ac_strmap *m);
void ac_strmap_free(ac_strmap *m);
/* Frees a map whose values are maps (ac_strmap *, the structs themselves owned elsewhere): the
 * table of each value, then its own. */
void ac_strmap_free_nested(ac_strmap *m);
/* Makes room for n keys in all, so that filling the map does not grow it step by step. */
void ac_strmap_reserve(ac_strmap *m, size_t n);
/* The value slot of key, inserted (with a NULL value) when absent, which *inserted says: one
 * probe for "find, else add".  The slot is valid until the next insertion. */
void **ac_strmap_slot_of(ac_strmap *m, const char *key, size_t keylen, bool *inserted);
/* Inserts only when absent (keylen bytes of key); returns true when inserted. */
bool ac_strmap_addn(ac_strmap *m, const char *key, size_t keylen, void *val);
/* Inserts or replaces; returns the previous value or NULL. */
void *ac_strmap_put(ac_strmap *m, const char *key, void *val);
void *ac_strmap_putn(ac_strmap *m, const char *key, size_t keylen, void *val);
/* Inserts only when absent; returns true when inserted, false if the key was present. */
bool ac_strmap_add(ac_strmap *m, const char *key, void *val);
void *ac_strmap_get(const ac_strmap *m, const char *key);
void *ac_strmap_getn(const ac_strmap *m, const char *key, size_t keylen);

void ac_intmap_init(ac_intmap *m);
void ac_intmap_free(ac_intmap *m);
void *ac_intmap_put(ac_intmap *m, int64_t key, void *val);
void *ac_intmap_get(const ac_intmap *m, int64_t key);
bool ac_intmap_has(const ac_intmap *m, int64_t key);

#endif
