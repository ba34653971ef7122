/* libFuzzer: apicompat.yaml (cmd/config.c), written to a file because the reader takes a path. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "cmd/config.h"
#include "compat/policy/policy.h"

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0]) snprintf(path, sizeof path, "/tmp/apicompat-fuzz-config-%d.yaml", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    ac_policy p;
    ac_policy_init(&p);
    ac_status st;
    ac_status_init(&st);
    ac_config_read(&p, path, &st);
    ac_policy_free(&p);
    return 0;
}
