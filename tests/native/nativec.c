/* Test driver for the native .proto compiler: nativec [-I DIR]... [--no-source-info] [--buf-style] -o OUT FILE...
 * Writes the FileDescriptorSet like `protoc --include_source_info --include_imports -o OUT`; on
 * errors prints every error ("file:line:col: message", as protoc) and exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/native/native.h"

int main(int argc, char **argv)
{
    const char *out = NULL;
    bool source_info = true, buf_style = false;
    int reps = 1;
    const char **roots = calloc((size_t)argc, sizeof *roots);
    const char **files = calloc((size_t)argc, sizeof *files);
    size_t nroots = 0, nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") && i + 1 < argc) out = argv[++i];
        else if (!strncmp(a, "-o", 2)) out = a + 2;
        else if (!strncmp(a, "--descriptor_set_out=", 21)) out = a + 21;
        else if (!strcmp(a, "-I") && i + 1 < argc) roots[nroots++] = argv[++i];
        else if (!strncmp(a, "-I", 2)) roots[nroots++] = a + 2;
        else if (!strncmp(a, "--proto_path=", 13)) roots[nroots++] = a + 13;
        else if (!strcmp(a, "--no-source-info")) source_info = false;
        else if (!strcmp(a, "--buf-style")) buf_style = true; /* as in an editions compilation */
        else if (!strcmp(a, "--include_source_info") || !strcmp(a, "--include_imports")) continue;
        else if (!strncmp(a, "--repeat=", 9)) reps = atoi(a + 9);
        else if (a[0] == '-') {
            fprintf(stderr, "nativec: unknown option %s\n", a);
            return 2;
        } else files[nfiles++] = a;
    }
    if (!nroots) roots[nroots++] = ".";
    ac_compile_req req = {0};
    req.roots = roots;
    req.roots_display = roots;
    req.nroots = nroots;
    req.files = files;
    req.nfiles = nfiles;
    req.display_root = nfiles ? files[0] : ".";
    int rc = 0;
    for (int r = 0; r < reps; r++) {
        ac_arena *a = ac_arena_new();
        ac_status st;
        ac_status_init(&st);
        uint8_t *buf = NULL;
        size_t len = 0;
        char *errors = NULL;
        ac_native_opts o = {.source_info = source_info, .errors = &errors, .buf_style = buf_style};
        if (ac_native_compile_ex(a, &req, &o, &buf, &len, &st) != AC_OK) {
            fputs(errors ? errors : "", stderr);
            rc = 1;
        } else if (out && r == reps - 1) {
            FILE *fp = fopen(out, "wb");
            if (!fp || fwrite(buf, 1, len, fp) != len || fclose(fp) != 0) {
                perror(out);
                rc = 2;
            }
        }
        ac_arena_free(a);
    }
    free(roots);
    free(files);
    return rc;
}
