/* libFuzzer: the whole two-input protobuf pipeline from descriptor sets: decode both, compare under
 * the default policy, render.  The input is split at the first "----" into old and new. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../compat/compat.h"
#include "../../proto/proto.h"

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
    if (!ac_proto_load_fds(o, data, n1, "old.binpb", &st) && !ac_proto_load_fds(n, second, n2, "new.binpb", &st)) {
        ac_policy p;
        ac_policy_init(&p);
        ac_findings fs;
        ac_findings_init(&fs);
        if (!ac_compat_check(o, n, &p, &fs, &st)) {
            FILE *null = fopen("/dev/null", "w");
            ac_report_opts ro = {0};
            ro.fail_on = AC_SEV_ERROR;
            ac_report_text(null, &fs, &ro);
            fclose(null);
        }
        ac_findings_free(&fs);
        ac_policy_free(&p);
    }
    ac_contract_free(o);
    ac_contract_free(n);
    return 0;
}
