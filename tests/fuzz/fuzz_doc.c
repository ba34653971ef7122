/* libFuzzer: the YAML and JSON document loader (openapi/doc.c).  Built twice: FUZZ_JSON=1 feeds
 * the bytes as JSON (a leading '{' or '['), else as they come (YAML unless they look like JSON). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "compat/base/arena.h"
#include "compat/base/status.h"
#include "compat/base/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ac_arena *a = ac_arena_new();
    char *text = ac_arena_alloc(a, size + 2);
    size_t off = 0;
#ifdef FUZZ_JSON
    text[off++] = '{';
#endif
    memcpy(text + off, data, size);
    text[off + size] = 0;
    ac_status st;
    ac_status_init(&st);
    ac_doc *d = NULL;
    ac_doc_parse(&d, a, "fuzz", text, off + size, NULL, &st);
    ac_arena_free(a);
    return 0;
}
