/* libFuzzer: the whole two-input OpenAPI pipeline (load both, compare, apply the default policy,
 * render).  The input is split at the first "\n----\n" into the old and the new document. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat/compat.h"
#include "tests/fuzz/fuzz_common.h"
#include "openapi/oas.h"

static char dir[64];

static int write_file(const char *name, const uint8_t *data, size_t size, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", dir, name);
    FILE *f = fopen(out, "wb");
    if (!f) return -1;
    fwrite(data, 1, size, f);
    return fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/apicompat-fuzz-%d", (int)getpid());
        mkdir(dir, 0700);
    }
    const uint8_t *sep = NULL;
    for (size_t i = 0; i + 6 <= size && !sep; i++)
        if (!memcmp(data + i, "\n----\n", 6)) sep = data + i;
    size_t n1 = sep ? (size_t)(sep - data) : size / 2;
    const uint8_t *second = sep ? sep + 6 : data + size / 2;
    size_t n2 = size - (size_t)(second - data);
    char p1[128], p2[128];
    if (write_file("old.yaml", data, n1, p1, sizeof p1) || write_file("new.yaml", second, n2, p2, sizeof p2)) return 0;
    ac_status st;
    ac_status_init(&st);
    ac_contract *o = NULL, *n = NULL;
    ac_oas_opts opts = {.allow_dirs = NULL};
    if (!ac_oas_load_path(&o, p1, &opts, &st) && !ac_oas_load_path(&n, p2, &opts, &st)) {
        fuzz_compare_and_render(o, n, &st);
    }
    ac_contract_free(o);
    ac_contract_free(n);
    return 0;
}
