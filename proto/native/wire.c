/* The protobuf wire format, written: what the encoder and the option interpreter share. */
#include "proto/native/nt.h"

#include <string.h>

void nt_put_varint(nt_buf *b, uint64_t v)
{
    uint8_t t[10];
    int n = 0;
    do {
        t[n] = (uint8_t)(v & 0x7f);
        v >>= 7;
        if (v) t[n] |= 0x80;
        n++;
    } while (v);
    nt_buf_put(b, t, (size_t)n);
}

void nt_put_tag(nt_buf *b, int field, int wt) { nt_put_varint(b, ((uint64_t)(uint32_t)field << 3) | (uint64_t)wt); }

void nt_put_bytes(nt_buf *b, int field, const void *p, size_t n)
{
    nt_put_tag(b, field, WT_LEN);
    nt_put_varint(b, n);
    nt_buf_put(b, p, n);
}

void nt_put_str(nt_buf *b, int field, const char *s) { nt_put_bytes(b, field, s, strlen(s)); }

void nt_put_int(nt_buf *b, int field, int64_t v)
{
    nt_put_tag(b, field, WT_VARINT);
    nt_put_varint(b, (uint64_t)v);
}
