#include "compat/base/map.h"

#include <stdlib.h>
#include <string.h>

#include "compat/base/arena.h"

uint32_t ac_hash_bytes(const void *p, size_t n)
{
    /* Eight bytes at a time (keys are mostly long dotted names), then a final mix so that the
     * low bits are usable as a table index. */
    const unsigned char *s = p;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 29;
        s += 8;
        n -= 8;
    }
    uint64_t w = 0;
    if (n) memcpy(&w, s, n); /* s may be NULL when n is 0 */
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 32;
    h *= 0x7feb352dU;
    h ^= h >> 15;
    return (uint32_t)h;
}

void ac_strmap_init(ac_strmap *m)
{
    memset(m, 0, sizeof *m);
}

void ac_strmap_free(ac_strmap *m)
{
    ac_big_free(m->e, m->cap * sizeof *m->e);
    memset(m, 0, sizeof *m);
}

void ac_strmap_free_nested(ac_strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->e[i].key) ac_strmap_free(m->e[i].val);
    ac_strmap_free(m);
}

static size_t str_slot(const ac_strmap *m, const char *key, size_t len, uint32_t h)
{
    size_t mask = m->cap - 1, i = h & mask;
    while (m->e[i].key) {
        const ac_strmap_slot *e = &m->e[i];
        if (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0) return i;
        i = (i + 1) & mask;
    }
    return i;
}

static void str_resize(ac_strmap *m, size_t cap)
{
    ac_strmap old = *m;
    m->cap = cap;
    if (cap > SIZE_MAX / sizeof *m->e) ac_oom();
    m->e = ac_big_calloc(m->cap * sizeof *m->e);
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.e[i].key) continue;
        size_t mask = m->cap - 1, j = old.e[i].hash & mask;
        while (m->e[j].key) j = (j + 1) & mask;
        m->e[j] = old.e[i];
    }
    ac_big_free(old.e, old.cap * sizeof *old.e);
}

static void str_grow(ac_strmap *m)
{
    str_resize(m, m->cap ? m->cap * 2 : 16);
}

void **ac_strmap_slot_of(ac_strmap *m, const char *key, size_t keylen, bool *inserted)
{
    if (keylen > UINT32_MAX) ac_oom();
    if ((m->len + 1) * 4 >= m->cap * 3) str_grow(m);
    uint32_t h = ac_hash_bytes(key, keylen);
    ac_strmap_slot *e = &m->e[str_slot(m, key, keylen, h)];
    *inserted = e->key == NULL;
    if (*inserted) {
        e->key = key;
        e->len = (uint32_t)keylen;
        e->val = NULL;
        e->hash = h;
        m->len++;
    }
    return &e->val;
}

void ac_strmap_reserve(ac_strmap *m, size_t n)
{
    size_t cap = 16;
    while (cap * 3 <= (n + 1) * 4) cap *= 2;
    if (m->cap < cap) str_resize(m, cap);
}

static void *str_insert(ac_strmap *m, const char *key, size_t len, void *val, bool replace, bool *inserted)
{
    void **slot = ac_strmap_slot_of(m, key, len, inserted);
    void *prev = *inserted ? NULL : *slot;
    if (*inserted || replace) *slot = val;
    return prev;
}

void *ac_strmap_putn(ac_strmap *m, const char *key, size_t keylen, void *val)
{
    bool ins;
    return str_insert(m, key, keylen, val, true, &ins);
}

void *ac_strmap_put(ac_strmap *m, const char *key, void *val)
{
    return ac_strmap_putn(m, key, strlen(key), val);
}

bool ac_strmap_add(ac_strmap *m, const char *key, void *val)
{
    return ac_strmap_addn(m, key, strlen(key), val);
}

bool ac_strmap_addn(ac_strmap *m, const char *key, size_t keylen, void *val)
{
    bool ins;
    str_insert(m, key, keylen, val, false, &ins);
    return ins;
}

void *ac_strmap_getn(const ac_strmap *m, const char *key, size_t keylen)
{
    if (!m->len) return NULL;
    if (keylen > UINT32_MAX) return NULL;
    size_t i = str_slot(m, key, keylen, ac_hash_bytes(key, keylen));
    return m->e[i].key ? m->e[i].val : NULL;
}

void *ac_strmap_get(const ac_strmap *m, const char *key)
{
    return ac_strmap_getn(m, key, strlen(key));
}

void ac_intmap_init(ac_intmap *m)
{
    memset(m, 0, sizeof *m);
}

void ac_intmap_free(ac_intmap *m)
{
    free(m->keys);
    free(m->vals);
    free(m->used);
    memset(m, 0, sizeof *m);
}

static size_t int_slot(const ac_intmap *m, int64_t key)
{
    size_t mask = m->cap - 1;
    uint64_t x = (uint64_t)key * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(x >> 32) & mask;
    while (m->used[i] && m->keys[i] != key) i = (i + 1) & mask;
    return i;
}

static void int_grow(ac_intmap *m)
{
    ac_intmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 16;
    m->keys = ac_xcalloc(m->cap, sizeof *m->keys);
    m->vals = ac_xcalloc(m->cap, sizeof *m->vals);
    m->used = ac_xcalloc(m->cap, 1);
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.used[i]) continue;
        size_t j = int_slot(m, old.keys[i]);
        m->keys[j] = old.keys[i];
        m->vals[j] = old.vals[i];
        m->used[j] = 1;
    }
    free(old.keys);
    free(old.vals);
    free(old.used);
}

void *ac_intmap_put(ac_intmap *m, int64_t key, void *val)
{
    if ((m->len + 1) * 4 >= m->cap * 3) int_grow(m);
    size_t i = int_slot(m, key);
    void *prev = NULL;
    if (m->used[i]) prev = m->vals[i];
    else m->len++;
    m->used[i] = 1;
    m->keys[i] = key;
    m->vals[i] = val;
    return prev;
}

void *ac_intmap_get(const ac_intmap *m, int64_t key)
{
    if (!m->len) return NULL;
    size_t i = int_slot(m, key);
    return m->used[i] ? m->vals[i] : NULL;
}

bool ac_intmap_has(const ac_intmap *m, int64_t key)
{
    if (!m->len) return false;
    return m->used[int_slot(m, key)] != 0;
}
