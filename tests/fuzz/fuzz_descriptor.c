/* libFuzzer: the FileDescriptorSet loader (protobuf-c decoding, then the IR, the Google API
 * annotations of proto/annot.c among the options), linked as the CLI links it, then the REST
 * surface its google.api.http rules derive (proto/rest.c: path templates, bodies, query
 * parameters, schemas), checked against itself as the HTTP_REST_SURFACE rule checks two. */
#include <stddef.h>
#include <stdint.h>

#include "compat/compat.h"
#include "compat/ir/ir.h"
#include "compat/base/status.h"
#include "proto/proto.h"
#include "compat/rules/oas_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ac_contract *c = ac_contract_new(AC_FMT_PROTO, "fuzz.binpb");
    ac_status st;
    ac_status_init(&st);
    if (!ac_proto_load_fds(c, data, size, "fuzz.binpb", &st) && !ac_pb_link(c, &st)) {
        ac_contract *rest = NULL;
        (void)ac_proto_rest_bindings(c);
        if (!ac_proto_rest_surface(&rest, c, &st)) {
            ac_findings fs;
            ac_findings_init(&fs);
            ac_oas_check_opts oo = {0, -1, -1, 0, 20000, false};
            ac_oas_check(rest, rest, &oo, &fs, &st);
            ac_findings_free(&fs);
            ac_contract_free(rest);
        }
    }
    ac_contract_free(c);
    return 0;
}
