/* libFuzzer: the FileDescriptorSet loader (protobuf-c decoding, then the IR). */
#include <stddef.h>
#include <stdint.h>

#include "compat/ir/ir.h"
#include "compat/base/status.h"
#include "proto/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ac_contract *c = ac_contract_new(AC_FMT_PROTO, "fuzz.binpb");
    ac_status st;
    ac_status_init(&st);
    ac_proto_load_fds(c, data, size, "fuzz.binpb", &st);
    ac_contract_free(c);
    return 0;
}
