/* libFuzzer: the files a suite brings to `apicompat replay`, and the credentials file of
 * `replay --server`.
 *
 * Byte 0 even: the rest is a suite's manifest, cases.json, written into a private copy of two
 * suites (fixtures/replay/proto-self/suite: contract.binpb and its .binpb/.json cases;
 * fixtures/replay/self/suite: pets.yaml and its cases), read by ac_suite_read (cmd/replay.c); a
 * manifest it accepts is replayed statically (ac_cmd_replay) against the contract it names, its
 * result written to /dev/null.  Byte 0 odd: the rest is a --credentials file (mode 600), read by
 * ac_live_check_credentials.  Run from the repository's root (tests/fuzz/run.sh is). */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cmd/commands.h"
#include "cmd/live.h"
#include "cmd/options.h"
#include "compat/base/arena.h"
#include "compat/base/status.h"

static char dir[128], manifest[192], creds[192];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/tmp/apicompat-fuzz-suite-%d", (int)getpid());
    snprintf(manifest, sizeof manifest, "%s/cases.json", dir);
    snprintf(creds, sizeof creds, "%s.creds", dir);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s && cp -R fixtures/replay/proto-self/suite/. fixtures/replay/self/suite/. %s/", dir,
             dir, dir);
    if (system(cmd)) {
        fprintf(stderr, "fuzz_suite: cannot copy the fixture suites (run from the repository's root)\n");
        abort();
    }
    /* the replay's report goes nowhere; libFuzzer writes to stderr */
    if (!freopen("/dev/null", "w", stdout)) abort();
    return 0;
}

static void write_file(const char *path, const uint8_t *p, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) abort();
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) abort();
        p += w;
        n -= (size_t)w;
    }
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    ac_status st;
    ac_status_init(&st);
    if (data[0] & 1) {
        write_file(creds, data + 1, size - 1);
        ac_live_check_credentials(creds, &st);
        return 0;
    }
    write_file(manifest, data + 1, size - 1);
    ac_arena *a = ac_arena_new();
    cJSON *man = NULL;
    const char *copy = NULL;
    int rc = ac_suite_read(a, dir, &man, &copy, &st);
    cJSON_Delete(man);
    if (!rc) {
        /* the suite replayed against its own contract copy */
        char cpath[400];
        snprintf(cpath, sizeof cpath, "%s/%s", dir, copy);
        options o;
        ac_options_init(&o);
        const char *pos[2] = {dir, cpath};
        o.positional = pos;
        o.npositional = 2;
        ac_status_init(&st);
        ac_cmd_replay(&o, &st);
    }
    ac_arena_free(a);
    return 0;
}
