/* libFuzzer: the YAML and JSON document loader (openapi/doc.c).  Built twice: FUZZ_JSON=1 feeds
 * the bytes as JSON (a leading '{' or '['), else as they come (YAML unless they look like JSON).
 * As JSON, each text is also read by cJSON alone: the strict reader must give the same tree (texts,
 * numbers, positions) or the same error, and anything else aborts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../compat/arena.h"
#include "../../compat/status.h"
#include "../../openapi/doc.h"

#ifdef FUZZ_JSON
static int differs(const ac_doc_node *x, const ac_doc_node *y)
{
    if (x->type != y->type || (!x->str != !y->str) || (x->str && strcmp(x->str, y->str)) || x->len != y->len ||
        x->line != y->line || x->col != y->col || x->b != y->b || (!x->parent != !y->parent))
        return 1;
    if (x->type == AC_DOC_NUMBER && memcmp(&x->num, &y->num, sizeof x->num)) return 1;
    if (x->type != AC_DOC_MAP && x->type != AC_DOC_SEQ) return 0;
    if (x->n != y->n) return 1;
    for (uint32_t i = 0; i < x->n; i++)
        if (x->type == AC_DOC_SEQ ? differs(x->items[i], y->items[i])
                                  : differs(x->pairs[i].key, y->pairs[i].key) || differs(x->pairs[i].value, y->pairs[i].value))
            return 1;
    return 0;
}
#endif

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
    int rc = ac_doc_parse(&d, a, "fuzz", text, off + size, NULL, &st);
#ifdef FUZZ_JSON
    ac_arena *b = ac_arena_new();
    ac_status st2;
    ac_status_init(&st2);
    ac_doc *d2 = NULL;
    ac_doc_strict_json = false;
    int rc2 = ac_doc_parse(&d2, b, "fuzz", text, off + size, NULL, &st2);
    ac_doc_strict_json = true;
    if (rc != rc2) abort();
    if (rc && (strcmp(st.msg, st2.msg) || st.line != st2.line || st.col != st2.col)) abort();
    if (!rc && differs(d->root, d2->root)) abort();
    ac_arena_free(b);
#else
    (void)rc;
#endif
    ac_arena_free(a);
    return 0;
}
