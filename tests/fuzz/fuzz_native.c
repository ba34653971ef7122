/* libFuzzer: the native .proto compiler, on one source file (written to a private directory, since
 * the compiler reads sources through its import roots) that may import the well-known types. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "compat/base/arena.h"
#include "compat/base/status.h"
#include "proto/compile.h"
#include "proto/native/native.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[64];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/apicompat-fuzz-native-%d", (int)getpid());
        char cmd[128];
        snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
        if (system(cmd) != 0) abort();
    }
    char path[96];
    snprintf(path, sizeof path, "%s/a.proto", dir);
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    fwrite(data, 1, size, f);
    fclose(f);
    const char *roots[] = {dir};
    const char *files[] = {"a.proto"};
    ac_compile_req req = {0};
    req.roots = roots;
    req.roots_display = roots;
    req.nroots = 1;
    req.files = files;
    req.nfiles = 1;
    req.display_root = dir;
    ac_arena *a = ac_arena_new();
    ac_status st;
    ac_status_init(&st);
    uint8_t *out = NULL;
    size_t outlen = 0;
    ac_native_compile(a, &req, &out, &outlen, &st);
    ac_arena_free(a);
    return 0;
}
