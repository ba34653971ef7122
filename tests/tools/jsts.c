/* jsts: runs the official JSON Schema Test Suite against apicompat's validator.
 *
 *   jsts [-v] [--check FILE | --write FILE] SUITE_DIR DRAFT...
 *
 * SUITE_DIR holds tests/DRAFT/... and remotes/ (Debian's json-schema-test-suite installs it under
 * /usr/share/json-schema-test-suite; a checkout of the upstream repository has the same layout).
 * Each group's schema is loaded as a standalone JSON Schema of the draft (ac_oas_load_schema, with
 * http://localhost:1234/ read from remotes/), each test's data validated, and the verdict compared
 * with the test's.  `format` asserts in optional/format only (elsewhere it annotates, as the
 * drafts say).  Groups apicompat does not take on by design are skipped, each named with why.
 *
 * Prints per draft and section (required, optional, format) the tests passed out of those run.
 * --check FILE compares those counts with FILE (lines "DRAFT SECTION PASSED TOTAL") and exits 1 on
 * any difference, so a regression (or an improvement not yet recorded) fails the test suite;
 * --write FILE records them. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat/base/arena.h"
#include "compat/base/doc.h"
#include "compat/base/fs.h"
#include "compat/base/text.h"
#include "compat/base/limits.h"
#include "compat/validate/validate.h"
#include "openapi/oas.h"

static const struct {
    const char *name;
    int dialect;
} drafts[] = {{"draft4", AC_JS_DRAFT4}, {"draft6", AC_JS_DRAFT6}, {"draft7", AC_JS_DRAFT7},
              {"draft2019-09", AC_JS_2019}, {"draft2020-12", AC_JS_2020}};

/* Groups left out by design: a file (or "file:group description" prefix) and why. */
static const struct {
    const char *file, *group, *why;
} skips[] = {
    {"vocabulary.json", NULL, "custom meta-schemas ($vocabulary) are not read: apicompat validates against the draft's vocabulary"},
    {"optional/cross-draft.json", NULL, "a $ref into a schema of another draft: one dialect per contract"},
    {"optional/format-assertion.json", NULL, "format-assertion vocabulary via a custom meta-schema ($vocabulary is not read)"},
    {"optional/format/idn-hostname.json", NULL, "IDNA2008 (RFC 5890) tables are not carried: idn-hostname is not checked"},
};

typedef struct counts {
    int pass, total, skipped_groups, skipped_tests;
} counts;

static int verbose;

/* ---- JSON text of a document node (numbers as written, so bignums survive) ---- */

static void put_str(ac_text *b, const char *s, size_t n)
{
    ac_text_put(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char tmp[8];
        if (c == '"' || c == '\\') {
            tmp[0] = '\\', tmp[1] = (char)c;
            ac_text_put(b, tmp, 2);
        } else if (c < 0x20) {
            snprintf(tmp, sizeof tmp, "\\u%04x", c);
            ac_text_put(b, tmp, 6);
        } else {
            ac_text_put(b, (const char *)&s[i], 1);
        }
    }
    ac_text_put(b, "\"", 1);
}

static void emit(ac_text *b, const ac_doc_node *n)
{
    switch ((ac_doc_type)n->type) {
    case AC_DOC_NULL: ac_text_put(b, "null", 4); break;
    case AC_DOC_BOOL: ac_text_put(b, n->b ? "true" : "false", n->b ? 4 : 5); break;
    case AC_DOC_NUMBER: ac_text_put(b, n->str, n->len); break;
    case AC_DOC_STRING: put_str(b, n->str, n->len); break;
    case AC_DOC_SEQ:
        ac_text_put(b, "[", 1);
        for (size_t i = 0; i < n->n; i++) {
            if (i) ac_text_put(b, ",", 1);
            emit(b, n->items[i]);
        }
        ac_text_put(b, "]", 1);
        break;
    case AC_DOC_MAP:
        ac_text_put(b, "{", 1);
        for (size_t i = 0; i < n->n; i++) {
            if (i) ac_text_put(b, ",", 1);
            put_str(b, n->pairs[i].key->str, n->pairs[i].key->len);
            ac_text_put(b, ":", 1);
            emit(b, n->pairs[i].value);
        }
        ac_text_put(b, "}", 1);
        break;
    }
}

/* A $ref to a draft's meta-schema: apicompat does not bundle them. */
static bool refs_metaschema(const ac_doc_node *n)
{
    if (n->type == AC_DOC_MAP) {
        for (size_t i = 0; i < n->n; i++) {
            const char *k = n->pairs[i].key->str;
            const ac_doc_node *v = n->pairs[i].value;
            if ((!strcmp(k, "$ref") || !strcmp(k, "$dynamicRef") || !strcmp(k, "$recursiveRef")) && v->type == AC_DOC_STRING &&
                (strstr(v->str, "json-schema.org/") && !strstr(v->str, "localhost")))
                return true;
            if (refs_metaschema(v)) return true;
        }
    } else if (n->type == AC_DOC_SEQ) {
        for (size_t i = 0; i < n->n; i++)
            if (refs_metaschema(n->items[i])) return true;
    }
    return false;
}

static const char *skip_reason(const char *rel, const ac_doc_node *group, const ac_doc_node *schema)
{
    const ac_doc_node *d = ac_doc_get(group, "description");
    const char *desc = d && d->type == AC_DOC_STRING ? d->str : "";
    for (size_t i = 0; i < sizeof skips / sizeof *skips; i++)
        if (!strcmp(rel, skips[i].file) && (!skips[i].group || !strncmp(desc, skips[i].group, strlen(skips[i].group)))) return skips[i].why;
    if (schema && refs_metaschema(schema)) return "refers to a draft's meta-schema, which apicompat does not bundle (it never fetches)";
    return NULL;
}

/* The stand-in for NUL (U+E000, put in place of "\u0000" before parsing) anywhere in a value. */
#define NUL_WHY "a string with NUL (\\u0000): the document tree cannot hold one"
static bool has_nul(const ac_doc_node *n)
{
    ac_text b = {0};
    emit(&b, n);
    bool r = b.p && strstr(b.p, "\xee\x80\x80");
    ac_text_free(&b);
    return r;
}

/* ---- one file ---- */

static void run_file(const char *suite, const char *draft, int dialect, const char *rel, counts *c)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/%s/%s", suite, draft, rel);
    ac_arena *a = ac_arena_new();
    ac_status st;
    ac_status_init(&st);
    char *text;
    size_t len;
    ac_doc *doc;
    bool nul = false;
    if (!ac_read_file(a, path, &text, &len, AC_LIMIT_CONFIG_BYTES, &st)) {
        /* the document tree holds no NUL in strings: such groups are named and skipped, the rest run */
        for (char *p = text; (p = strstr(p, "\\u0000")); p += 6) {
            memcpy(p, "\\ue000", 6);
            nul = true;
        }
    }
    if (st.code || ac_doc_parse(&doc, a, path, text, len, NULL, &st) || doc->root->type != AC_DOC_SEQ) {
        fprintf(stderr, "%s: cannot read: %s\n", path, st.msg);
        c->total++;
        ac_arena_free(a);
        return;
    }
    char remotes[4096];
    snprintf(remotes, sizeof remotes, "%s/remotes", suite);
    const char *prefixes[] = {"http://localhost:1234/"}, *dirs[] = {remotes};
    ac_oas_opts opts = {.uri_prefixes = prefixes, .uri_dirs = dirs, .nuri_map = 1};
    bool formats = strstr(rel, "optional/format") != NULL;
    for (size_t g = 0; g < doc->root->n; g++) {
        const ac_doc_node *group = doc->root->items[g];
        const ac_doc_node *schema = ac_doc_get(group, "schema"), *tests = ac_doc_get(group, "tests");
        const ac_doc_node *gd = ac_doc_get(group, "description");
        if (!schema || !tests || tests->type != AC_DOC_SEQ) continue;
        const char *why = skip_reason(rel, group, schema);
        if (!why && nul && has_nul(schema)) why = NUL_WHY;
        if (why) {
            c->skipped_groups++;
            c->skipped_tests += (int)tests->n;
            printf("  skipped %s/%s \"%s\" (%u tests): %s\n", draft, rel, gd ? gd->str : "", (unsigned)tests->n, why);
            continue;
        }
        ac_text b = {0};
        emit(&b, schema);
        char name[4200];
        snprintf(name, sizeof name, "%s/%s#%zu", draft, rel, g);
        ac_contract *ct = NULL;
        ac_status ls;
        ac_status_init(&ls);
        int rc = ac_oas_load_schema(&ct, name, b.p, b.n, dialect, &opts, &ls);
        ac_text_free(&b);
        ac_val_opts vo = {.direction = AC_VAL_ANY, .formats = formats};
        ac_validator *v = rc ? NULL : ac_validator_new(ct, &vo);
        for (size_t t = 0; t < tests->n; t++) {
            const ac_doc_node *test = tests->items[t], *data = ac_doc_get(test, "data"), *valid = ac_doc_get(test, "valid");
            const ac_doc_node *td = ac_doc_get(test, "description");
            if (!data || !valid) continue;
            if (nul && has_nul(data)) {
                c->skipped_tests++;
                printf("  skipped %s/%s \"%s\" / \"%s\": %s\n", draft, rel, gd ? gd->str : "", td ? td->str : "", NUL_WHY);
                continue;
            }
            c->total++;
            int got = -1;
            ac_status vs;
            ac_status_init(&vs);
            if (v) got = ac_validate(v, ct->oas->schemas[0].schema, data, NULL, &vs);
            bool want = valid->b;
            bool ok = got == (want ? AC_OK : AC_BREAKING);
            if (ok) c->pass++;
            else if (verbose)
                printf("  FAIL %s/%s \"%s\" / \"%s\": expected %s, got %s%s%s\n", draft, rel, gd ? gd->str : "", td ? td->str : "",
                       want ? "valid" : "invalid", got == AC_OK ? "valid" : got == AC_BREAKING ? "invalid" : "could not check: ",
                       got == AC_ERROR ? vs.msg : got == -1 ? "" : "", got == -1 ? ls.msg : "");
        }
        ac_validator_free(v);
        ac_contract_free(ct);
    }
    ac_arena_free(a);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .json files of a directory (relative to the draft's directory), sorted. */
static size_t list_json(const char *dir, const char *prefix, char ***out)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    *out = NULL;
    if (!d) return 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json")) continue;
        *out = ac_xrealloc(*out, (n + 1) * sizeof **out);
        size_t need = strlen(prefix) + l + 1;
        (*out)[n] = ac_xmalloc(need);
        snprintf((*out)[n++], need, "%s%s", prefix, e->d_name);
    }
    closedir(d);
    qsort(*out, n, sizeof **out, name_cmp);
    return n;
}

typedef struct row {
    char draft[32], section[32];
    int pass, total;
} row;

int main(int argc, char **argv)
{
    const char *check = NULL, *write = NULL, *suite = NULL;
    const char *want[8];
    size_t nwant = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v")) verbose = 1;
        else if (!strcmp(argv[i], "--check") && i + 1 < argc) check = argv[++i];
        else if (!strcmp(argv[i], "--write") && i + 1 < argc) write = argv[++i];
        else if (!suite) suite = argv[i];
        else if (nwant < 8) want[nwant++] = argv[i];
    }
    if (!suite || !nwant) {
        fprintf(stderr, "usage: jsts [-v] [--check FILE | --write FILE] SUITE_DIR DRAFT...\n");
        return 2;
    }
    row rows[64];
    size_t nrows = 0;
    for (size_t w = 0; w < nwant; w++) {
        int dialect = 0;
        for (size_t k = 0; k < sizeof drafts / sizeof *drafts; k++)
            if (!strcmp(want[w], drafts[k].name)) dialect = drafts[k].dialect;
        if (!dialect) {
            fprintf(stderr, "jsts: unknown draft \"%s\"\n", want[w]);
            return 2;
        }
        static const char *const sections[] = {"required", "optional", "format"};
        for (size_t s = 0; s < 3; s++) {
            char dir[4096];
            char **files = NULL, **more = NULL;
            size_t nf = 0, nm = 0;
            if (s == 0) {
                snprintf(dir, sizeof dir, "%s/tests/%s", suite, want[w]);
                nf = list_json(dir, "", &files);
            } else {
                snprintf(dir, sizeof dir, "%s/tests/%s/optional", suite, want[w]);
                nf = list_json(dir, "optional/", &files);
                if (s == 2) {
                    snprintf(dir, sizeof dir, "%s/tests/%s/optional/format", suite, want[w]);
                    nm = list_json(dir, "optional/format/", &more);
                }
            }
            counts c = {0};
            for (size_t f = 0; f < nf; f++) {
                /* the old layout keeps the format tests in optional/format.json */
                bool is_format = !strcmp(files[f], "optional/format.json");
                if (s == 0 || (s == 1 && !is_format) || (s == 2 && is_format)) run_file(suite, want[w], dialect, files[f], &c);
                free(files[f]);
            }
            for (size_t f = 0; f < nm; f++) {
                run_file(suite, want[w], dialect, more[f], &c);
                free(more[f]);
            }
            free(more);
            free(files);
            if (!c.total && !c.skipped_tests) continue;
            printf("%s %s: %d/%d passed", want[w], sections[s], c.pass, c.total);
            if (c.skipped_tests) printf(", %d tests skipped (%d whole groups)", c.skipped_tests, c.skipped_groups);
            printf("\n");
            if (nrows < 64) {
                row *r = &rows[nrows++];
                snprintf(r->draft, sizeof r->draft, "%s", want[w]);
                snprintf(r->section, sizeof r->section, "%s", sections[s]);
                r->pass = c.pass, r->total = c.total;
            }
        }
    }
    if (write) {
        FILE *f = fopen(write, "w");
        if (!f) return 2;
        fprintf(f, "# jsts counts: DRAFT SECTION PASSED TOTAL (tests/tools/jsts.c --write)\n");
        for (size_t i = 0; i < nrows; i++) fprintf(f, "%s %s %d %d\n", rows[i].draft, rows[i].section, rows[i].pass, rows[i].total);
        fclose(f);
    }
    int rc = 0;
    if (check) {
        FILE *f = fopen(check, "r");
        if (!f) {
            fprintf(stderr, "jsts: cannot read %s\n", check);
            return 2;
        }
        char line[256];
        size_t seen = 0;
        while (fgets(line, sizeof line, f)) {
            row e;
            if (line[0] == '#' || sscanf(line, "%31s %31s %d %d", e.draft, e.section, &e.pass, &e.total) != 4) continue;
            bool found = false;
            for (size_t i = 0; i < nrows; i++)
                if (!strcmp(rows[i].draft, e.draft) && !strcmp(rows[i].section, e.section)) {
                    found = true;
                    seen++;
                    if (rows[i].pass != e.pass || rows[i].total != e.total) {
                        printf("jsts: %s %s: %d/%d passed, expected %d/%d%s\n", e.draft, e.section, rows[i].pass, rows[i].total, e.pass,
                               e.total, rows[i].pass < e.pass ? " (a regression)" : " (better: record it with --write)");
                        rc = 1;
                    }
                }
            if (!found) {
                printf("jsts: %s %s expected but not run\n", e.draft, e.section);
                rc = 1;
            }
        }
        fclose(f);
        if (seen != nrows) {
            printf("jsts: %zu sections run that %s does not list\n", nrows - seen, check);
            rc = 1;
        }
    }
    return rc;
}
