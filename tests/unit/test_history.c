/* Unit tests for what apicompat history stands on: SHA-256 (the content hash that recognises
 * unchanged versions) and the semantic-version order of release tags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compat/base/semver.h"
#include "compat/base/sha256.h"

static void expect_sha(const void *data, size_t len, size_t chunk, const char *hex)
{
    ac_sha256 s;
    ac_sha256_init(&s);
    const unsigned char *p = data;
    for (size_t off = 0; off < len; off += chunk) ac_sha256_update(&s, p + off, len - off < chunk ? len - off : chunk);
    unsigned char d[32];
    ac_sha256_final(&s, d);
    char out[72];
    ac_sha256_hex(d, out);
    assert_string_equal(out + 7, hex);
    assert_memory_equal(out, "sha256:", 7);
}

/* FIPS 180-4's examples (and NIST's long message), fed whole and in awkward pieces */
static void sha256_matches_the_standard_vectors(void **state)
{
    (void)state;
    for (size_t chunk = 1; chunk <= 65; chunk += 63) {
        expect_sha("", 0, chunk, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        expect_sha("abc", 3, chunk, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        expect_sha(two, strlen(two), chunk, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }
    size_t n = 1000000;
    char *a = malloc(n);
    assert_non_null(a);
    memset(a, 'a', n);
    expect_sha(a, n, 4096, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    expect_sha(a, 55, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"); /* padding edge */
    expect_sha(a, 64, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
    free(a);
}

static void sha256_parts_are_framed(void **state)
{
    (void)state;
    unsigned char d1[32], d2[32];
    ac_sha256 s;
    ac_sha256_init(&s);
    ac_sha256_part(&s, "ab", 2);
    ac_sha256_part(&s, "c", 1);
    ac_sha256_final(&s, d1);
    ac_sha256_init(&s);
    ac_sha256_part(&s, "a", 1);
    ac_sha256_part(&s, "bc", 2);
    ac_sha256_final(&s, d2);
    assert_true(memcmp(d1, d2, 32) != 0);
}

static int order(const char *a, const char *b)
{
    ac_semver x, y;
    assert_true(ac_semver_parse(a, &x));
    assert_true(ac_semver_parse(b, &y));
    return ac_semver_cmp(&x, &y);
}

static void semver_reads_release_tags(void **state)
{
    (void)state;
    static const char *const good[] = {"1.2.3", "v1.2.3", "V0.0.0", "v1.2.3-rc.1", "1.0.0-alpha+001", "1.0.0+20130313144700",
                                       "api/v2.0.0", "a/b/1.0.0-x-y.7", "v99999999999999999999999.0.0"};
    static const char *const bad[] = {"", "v", "1", "1.2", "1.2.3.4", "v1.2.x", "1.2.3-", "1.2.3-rc..1", "1.2.3+",
                                      "1.2.3-rc_1", "latest", "v1.2.3 ", "-1.2.3", "1..3", "api/"};
    ac_semver v;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) assert_true(ac_semver_parse(good[i], &v));
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) assert_false(ac_semver_parse(bad[i], &v));
}

/* semver.org 2.0.0, section 11, and numbers compared as numbers however long */
static void semver_orders_by_precedence(void **state)
{
    (void)state;
    static const char *const chain[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                                        "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.9.0", "1.10.0", "2.0.0-rc.1",
                                        "v2.0.0", "10.0.0", "99999999999999999999.0.0", "100000000000000000000.0.0"};
    for (size_t i = 0; i + 1 < sizeof chain / sizeof *chain; i++) {
        assert_true(order(chain[i], chain[i + 1]) < 0);
        assert_true(order(chain[i + 1], chain[i]) > 0);
    }
    assert_int_equal(order("v1.2.3", "1.2.3"), 0);
    assert_int_equal(order("1.2.3+build.1", "1.2.3+build.2"), 0);
    assert_int_equal(order("01.2.3", "1.2.3"), 0);
    assert_int_equal(order("1.0.0-rc.01", "1.0.0-rc.1"), 0);
}

int ac_test_history(void)
{
    const struct CMUnitTest history[] = {
        cmocka_unit_test(sha256_matches_the_standard_vectors),
        cmocka_unit_test(sha256_parts_are_framed),
        cmocka_unit_test(semver_reads_release_tags),
        cmocka_unit_test(semver_orders_by_precedence),
    };
    return cmocka_run_group_tests_name("history", history, NULL, NULL);
}
