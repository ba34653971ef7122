/* libFuzzer: the whole two-input protobuf pipeline from descriptor sets: decode and link both, as
 * the CLI does, compare under the default policy (the REST surfaces of their google.api.http rules
 * included), render.  The input is split at the first "----" into old and new. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "compat/compat.h"
#include "tests/fuzz/fuzz_common.h"
#include "proto/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *sep = NULL;
    for (size_t i = 0; i + 4 <= size && !sep; i++)
        if (!memcmp(data + i, "----", 4)) sep = data + i;
    size_t n1 = sep ? (size_t)(sep - data) : size / 2;
    const uint8_t *second = sep ? sep + 4 : data + size / 2;
    size_t n2 = size - (size_t)(second - data);
    ac_status st;
    ac_status_init(&st);
    ac_contract *o = ac_contract_new(AC_FMT_PROTO, "old.binpb"), *n = ac_contract_new(AC_FMT_PROTO, "new.binpb");
    o->derive_rest = n->derive_rest = ac_proto_rest_surface;
    if (!ac_proto_load_fds(o, data, n1, "old.binpb", &st) && !ac_proto_load_fds(n, second, n2, "new.binpb", &st) &&
        !ac_pb_link(o, &st) && !ac_pb_link(n, &st)) {
        fuzz_compare_and_render(o, n, &st);
    }
    ac_contract_free(o);
    ac_contract_free(n);
    return 0;
}
