#define PCRE2_CODE_UNIT_WIDTH 8
#include "compat/policy/policy.h"
#include "compat/base/limits.h"
#include "compat/base/map.h"

#include <pcre2.h>
#include <time.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "compat/base/escape.h"

/* ---- rule sets ---------------------------------------------------------------------------------- */

const ac_rule_set_info ac_rule_sets[AC_NRULESETS] = {
    [AC_RULESET_BACKWARD] = {"backward-compatible", AC_CAT_FILE | AC_CAT_HTTP | AC_CAT_AIP,
                             "buf's FILE category (buf's default): the binary and JSON encodings and the generated code, "
                             "file by file; and apicompat's HTTP (google.api.http bindings and the REST surface) and AIP "
                             "(field_behavior, resources, client settings, protovalidate)",
                             "every check at its oasdiff level: requests, responses, endpoints, webhooks, security, "
                             "deprecation and sunset, versions, tags and names"},
    [AC_RULESET_PACKAGE] = {"package", AC_CAT_PACKAGE | AC_CAT_HTTP | AC_CAT_AIP,
                            "buf's PACKAGE category: the encodings and the generated code, package by package (a "
                            "type may move to another file of its package); HTTP and AIP",
                            "every check but the tag ones: tags only group operations into generated classes, the "
                            "nearest thing OpenAPI has to files"},
    [AC_RULESET_WIRE_JSON] = {"wire-json-compatible", AC_CAT_WIRE_JSON | AC_CAT_HTTP,
                              "buf's WIRE_JSON category: the binary and JSON encodings (names count, the generated "
                              "code does not); HTTP (the REST surface is JSON on the wire)",
                              "what goes over the wire: requests, responses, endpoints, webhooks and security; not "
                              "deprecation, sunset and stability markers, info.version, tags, operationIds or "
                              "component names"},
    [AC_RULESET_WIRE] = {"wire-compatible", AC_CAT_WIRE,
                         "buf's WIRE category: the binary encoding only (names of fields and values may change)",
                         "as wire-json-compatible: an OpenAPI contract has one encoding on the wire, JSON or text "
                         "by name"},
    [AC_RULESET_STRICT] = {"strict", AC_CAT_FILE | AC_CAT_PACKAGE | AC_CAT_WIRE_JSON | AC_CAT_WIRE | AC_CAT_CSR | AC_CAT_HTTP | AC_CAT_AIP,
                           "every buf category at once (FILE, PACKAGE, WIRE_JSON, WIRE), and HTTP and AIP: each "
                           "guarantee a change breaks is a finding of its own, so an ignore for one leaves the others",
                           "every check, with the renames and versions that oasdiff calls info raised to warning: "
                           "api-operation-id-removed, api-schema-removed, api-tag-removed, api-version-decreased, "
                           "api-version-not-bumped, api-major-version-not-bumped"},
};

/* OpenAPI checks about names that generated clients use rather than what goes over the wire. */
static const char *const oas_naming[] = {"api-operation-id-added", "api-operation-id-removed", "api-schema-removed"};
/* What strict raises to warning: renames and versions, which oasdiff reports at info level. */
static const char *const strict_raised[] = {"api-operation-id-removed", "api-schema-removed", "api-tag-removed",
                                            "api-version-decreased", "api-version-not-bumped",
                                            "api-major-version-not-bumped"};

static bool listed(const char *const *list, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i], id)) return true;
    return false;
}

/* Whether an OpenAPI check is about the traffic: not the document's process markers (deprecation,
 * sunset, stability: kind "lifecycle"), its info.version, its tags, or the names of operations and
 * components. */
static bool oas_wire(const ac_rule *r)
{
    return !ac_rule_is_process(r) && strcmp(r->area, "Tags") && !listed(oas_naming, sizeof oas_naming / sizeof *oas_naming, r->id);
}

int ac_rule_set_find(const char *name)
{
    for (int i = 0; i < AC_NRULESETS; i++)
        if (!strcmp(ac_rule_sets[i].name, name)) return i;
    return -1;
}

bool ac_rule_set_has(ac_rule_set s, const ac_rule *r, ac_buf_version v)
{
    if (r->format == AC_FMT_PROTO)
        return ac_rule_exists(r, v) && !r->replaced_by && (r->cats[v] & ac_rule_sets[s].proto_cats);
    if (r->format != AC_FMT_OPENAPI) return false;
    /* an opt-in check (api-version-not-bumped): only in strict, or when named or given a severity */
    if (ac_rule_opt_in(r) && s != AC_RULESET_STRICT) return false;
    switch (s) {
    case AC_RULESET_PACKAGE: return strcmp(r->area, "Tags") != 0;
    case AC_RULESET_WIRE_JSON:
    case AC_RULESET_WIRE: return oas_wire(r);
    default: return true;
    }
}

int ac_rule_set_level(ac_rule_set s, const ac_rule *r)
{
    if (s == AC_RULESET_STRICT && r->severity < AC_SEV_WARN &&
        listed(strict_raised, sizeof strict_raised / sizeof *strict_raised, r->id))
        return AC_SEV_WARN;
    return r->severity;
}

unsigned ac_mode_parse(const char *s)
{
    return !strcmp(s, "backward") ? AC_MODE_BACKWARD : !strcmp(s, "forward") ? AC_MODE_FORWARD : !strcmp(s, "full") ? AC_MODE_FULL : 0;
}

/* ---- the policy ------------------------------------------------------------------------------------ */

void ac_policy_init(ac_policy *p)
{
    memset(p, 0, sizeof *p);
    p->arena = ac_arena_new();
    p->version = AC_BUF_V1;
    p->rule_set = AC_RULESET_BACKWARD;
    p->mode = AC_MODE_BACKWARD;
    p->fail_on = AC_SEV_ERROR;
    p->today = -1;
    p->deprecation_days_beta = p->deprecation_days_stable = -1;
    p->stability_from = 2;
    p->stability_cap[AC_STAB_ALPHA] = AC_SEV_INFO;
    p->stability_cap[AC_STAB_BETA] = AC_SEV_WARN;
    p->severity = ac_arena_alloc(p->arena, ac_nrules);
    memset(p->severity, AC_SEV_UNSET, ac_nrules);
    ac_policy_add_module(p, "");
}

ac_ignore *ac_policy_add_ignore(ac_policy *p)
{
    p->ignores = ac_xrealloc(p->ignores, (p->nignores + 1) * sizeof *p->ignores);
    ac_ignore *g = &p->ignores[p->nignores++];
    memset(g, 0, sizeof *g);
    g->until = -1;
    return g;
}

void ac_policy_free(ac_policy *p)
{
    for (size_t i = 0; i < p->nignores; i++) {
        pcre2_code_free(p->ignores[i].element_re);
        pcre2_code_free(p->ignores[i].operation_re);
    }
    free(p->ignores);
    for (size_t k = 0; k < p->nmodules; k++) free(p->modules[k].only);
    free(p->modules);
    ac_arena_free(p->arena);
    memset(p, 0, sizeof *p);
}

ac_policy_module *ac_policy_add_module(ac_policy *p, const char *dir)
{
    p->modules = ac_xrealloc(p->modules, (p->nmodules + 1) * sizeof *p->modules);
    ac_policy_module *m = &p->modules[p->nmodules++];
    memset(m, 0, sizeof *m);
    m->dir = ac_arena_strdup(p->arena, dir);
    m->enabled = ac_arena_alloc(p->arena, ac_nrules);
    ac_policy_reset(p, m, AC_FMT_PROTO | AC_FMT_OPENAPI);
    return m;
}

void ac_policy_reset(ac_policy *p, ac_policy_module *m, unsigned formats)
{
    for (size_t i = 0; i < ac_nrules; i++)
        if (ac_rules[i].format & formats) m->enabled[i] = ac_rule_set_has(p->rule_set, &ac_rules[i], p->version);
}

/* The format names usable as categories: every rule of that format. */
static unsigned format_category(const char *id)
{
    return !strcasecmp(id, "protobuf") ? AC_FMT_PROTO : !strcasecmp(id, "openapi") ? AC_FMT_OPENAPI : 0;
}

unsigned ac_policy_formats_named(const ac_policy *p, const char *id)
{
    int cat = ac_proto_category(id);
    if (cat) return cat == AC_CAT_CSR && p->version != AC_BUF_V2 ? 0 : AC_FMT_PROTO;
    unsigned f = format_category(id);
    if (f) return f;
    if (ac_oas_category(id)) return AC_FMT_OPENAPI;
    int r = ac_rule_find(id);
    if (r < 0) return 0;
    const ac_rule *rule = &ac_rules[r];
    if (rule->format == AC_FMT_PROTO && !ac_rule_exists(rule, p->version)) return 0;
    return rule->format;
}

/* Sets (on=1) or clears (on=0) the rules an ID or category names.  Returns 0, or -1 if unknown. */
static int mark(const ac_policy *p, uint8_t *set, const char *id, int on)
{
    if (!ac_policy_formats_named(p, id)) return -1; /* CSR outside v2, a rule the version lacks, a typo */
    int cat = ac_proto_category(id);
    unsigned fmt = format_category(id);
    if (cat || fmt == AC_FMT_PROTO) {
        for (size_t i = 0; i < ac_nrules; i++)
            if (ac_rule_exists(&ac_rules[i], p->version) && !ac_rules[i].replaced_by &&
                (fmt || (ac_rules[i].cats[p->version] & cat)))
                set[i] = (uint8_t)on;
        return 0;
    }
    if (fmt || ac_oas_category(id)) {
        for (size_t i = 0; i < ac_nrules; i++)
            if (ac_rules[i].format == AC_FMT_OPENAPI && (fmt || ac_oas_category_has(id, &ac_rules[i]))) set[i] = (uint8_t)on;
        return 0;
    }
    int r = ac_rule_find(id);
    const ac_rule *rule = &ac_rules[r];
    if (rule->replaced_by) {
        const char *repl = rule->replaced_by;
        while (*repl) {
            const char *comma = strchr(repl, ',');
            size_t n = comma ? (size_t)(comma - repl) : strlen(repl);
            char buf[128];
            snprintf(buf, sizeof buf, "%.*s", (int)n, repl);
            int k = ac_rule_find(buf);
            if (k >= 0) set[k] = (uint8_t)on;
            repl += n + (comma ? 1 : 0);
        }
        return 0;
    }
    set[r] = (uint8_t)on;
    return 0;
}

int ac_policy_rules_named(const ac_policy *p, uint8_t *set, const char *id)
{
    return mark(p, set, id, 1);
}

static const char *version_name(ac_buf_version v)
{
    return v == AC_BUF_V1BETA1 ? "v1beta1" : v == AC_BUF_V1 ? "v1" : "v2";
}

/* An ID that names nothing under this configuration's rule set; CSR exists only in buf's v2 sets. */
static int unknown_id(const ac_policy *p, const ac_cfg_str *id, ac_status *st)
{
    if (!strcmp(id->s, "CSR") && p->version != AC_BUF_V2)
        return ac_fail(st, id->path, id->line, id->col,
                       "category \"CSR\" exists only in buf's v2 rule sets (apicompat.yaml: rules.buf_version: v2; buf.yaml: "
                       "version: v2)");
    return ac_fail(st, id->path, id->line, id->col,
                   "unknown rule or category \"%s\": neither a protobuf rule or category (buf %s) nor an OpenAPI check or "
                   "category (see `apicompat rules`)",
                   id->s, version_name(p->version));
}

int ac_policy_select(ac_policy *p, ac_policy_module *m, const ac_cfg_str *use, size_t nuse, const ac_cfg_str *except,
                     size_t nexcept, ac_status *st)
{
    /* each format `use` names is exactly what it names there (opt-in checks aside); the others keep
     * their rule set's rules */
    unsigned named = 0;
    for (size_t i = 0; i < nuse; i++) {
        unsigned f = ac_policy_formats_named(p, use[i].s);
        if (!f) return unknown_id(p, &use[i], st);
        /* naming an opt-in check (api-version-not-bumped) adds it to its format's rules */
        int r = ac_rule_find(use[i].s);
        if (r >= 0 && ac_rule_opt_in(&ac_rules[r])) continue;
        named |= f;
    }
    for (size_t i = 0; i < ac_nrules; i++)
        if (ac_rules[i].format & named) m->enabled[i] = 0;
    for (size_t i = 0; i < nuse; i++) mark(p, m->enabled, use[i].s, 1);
    return ac_policy_except(p, m, except, nexcept, st);
}

int ac_policy_except(ac_policy *p, ac_policy_module *m, const ac_cfg_str *except, size_t nexcept, ac_status *st)
{
    for (size_t i = 0; i < nexcept; i++)
        if (mark(p, m->enabled, except[i].s, 0)) return unknown_id(p, &except[i], st);
    return AC_OK;
}

int ac_policy_ignore_only(ac_policy *p, ac_policy_module *m, const ac_cfg_str *id, const char *path, ac_status *st)
{
    uint8_t *set = ac_arena_alloc(p->arena, ac_nrules);
    if (mark(p, set, id->s, 1))
        return ac_fail(st, id->path, id->line, id->col, "unknown rule or category \"%s\" in ignore_only", id->s);
    for (size_t i = 0; i < ac_nrules; i++) {
        if (!set[i]) continue;
        m->only = ac_xrealloc(m->only, (m->nonly + 1) * sizeof *m->only);
        m->only[m->nonly++] = (ac_ignore_only){(int)i, ac_arena_strdup(p->arena, path)};
    }
    return AC_OK;
}

/* An opt-in rule that the configuration gave a severity (other than off) was asked for. */
static bool opt_in_asked(const ac_policy *p, size_t i)
{
    return ac_rule_opt_in(&ac_rules[i]) && p->severity[i] != AC_SEV_UNSET && p->severity[i] != AC_SEV_OFF;
}

bool ac_policy_rule_wanted(const ac_policy *p, size_t i)
{
    if (opt_in_asked(p, i)) return true;
    for (size_t k = 0; k < p->nmodules; k++)
        if (p->modules[k].enabled[i]) return true;
    return false;
}

int ac_policy_level(const ac_policy *p, size_t i)
{
    return p->severity[i] != AC_SEV_UNSET ? p->severity[i] : ac_rule_set_level(p->rule_set, &ac_rules[i]);
}

/* "a/b" covers "a/b" and "a/b/c.proto" but not "a/bc.proto"; "." covers everything. */
static bool path_covers(const char *prefix, const char *path)
{
    if (!path) return false;
    if (!strcmp(prefix, ".") || !*prefix) return true;
    size_t n = strlen(prefix);
    while (n > 1 && prefix[n - 1] == '/') n--;
    return strncmp(prefix, path, n) == 0 && (path[n] == 0 || path[n] == '/');
}

static const ac_policy_module *module_for(const ac_policy *p, const char *module)
{
    if (module)
        for (size_t k = 1; k < p->nmodules; k++)
            if (!strcmp(p->modules[k].dir, module)) return &p->modules[k];
    return &p->modules[0];
}

ac_stability ac_package_stability(const char *pkg)
{
    if (!pkg) return AC_STAB_STABLE;
    const char *last = strrchr(pkg, '.');
    last = last ? last + 1 : pkg;
    /* v<N>test..., v<N>(alpha|beta)<M>?, v<N>p<M>(alpha|beta)<K>? */
    if (*last++ != 'v' || !isdigit((unsigned char)*last)) return AC_STAB_STABLE;
    while (isdigit((unsigned char)*last)) last++;
    if (!strncmp(last, "test", 4)) return AC_STAB_ALPHA;
    if (*last == 'p' && isdigit((unsigned char)last[1])) {
        last++;
        while (isdigit((unsigned char)*last)) last++;
    }
    ac_stability s;
    if (!strncmp(last, "alpha", 5)) last += 5, s = AC_STAB_ALPHA;
    else if (!strncmp(last, "beta", 4)) last += 4, s = AC_STAB_BETA;
    else return AC_STAB_STABLE;
    while (isdigit((unsigned char)*last)) last++;
    return *last == 0 ? s : AC_STAB_STABLE;
}

bool ac_package_unstable(const char *pkg)
{
    return ac_package_stability(pkg) != AC_STAB_STABLE;
}

/* AIP-181: a finding about an element of an alpha or beta package keeps its place in the report at
 * no more than the level the configuration gives that stability, and says so.  The package is the
 * element's in the new contract, or in the old one when the element is gone. */
static void stability_cap(const ac_policy *p, ac_findings *fs, ac_finding *f)
{
    if (!f->pkg && !f->old_pkg) return; /* OpenAPI: x-stability-level and stability.check_from */
    const char *pkg = f->loc.line && f->pkg ? f->pkg : f->old_pkg ? f->old_pkg : f->pkg;
    ac_stability s = ac_package_stability(pkg);
    if (s == AC_STAB_STABLE || f->severity <= p->stability_cap[s]) return;
    f->message = ac_arena_printf(fs->arena, "%s (%s package \"%s\": %s lowered to %s, AIP-181)", f->message,
                                 s == AC_STAB_ALPHA ? "alpha" : "beta", pkg, ac_severity_name(f->severity),
                                 ac_severity_name(p->stability_cap[s]));
    f->severity = p->stability_cap[s];
}

/* ---- globs --------------------------------------------------------------------------------------- */

/* Glob matching by backtracking, with every (pattern position, path position) that failed once
 * remembered: a pattern of many stars ("*a*a*a...", "**" forty times) costs at most
 * |pattern| x |path| steps instead of exponentially many. */
typedef struct {
    const char *p0, *s0;
    size_t slen;
    unsigned char *failed; /* bit per (pattern offset, path offset) */
} glob_ctx;

static bool glob_at(glob_ctx *g, const char *p, const char *s)
{
    size_t bit = (size_t)(p - g->p0) * (g->slen + 1) + (size_t)(s - g->s0);
    if (g->failed[bit >> 3] & (1u << (bit & 7))) return false;
    bool ok;
    for (;;) {
        if (!*p) {
            ok = !*s;
            break;
        }
        if (p[0] == '*' && p[1] == '*') {
            p += 2;
            if (*p == '/') p++; /* "**" + "/" also matches zero directories */
            for (const char *t = s;; t++) {
                if (glob_at(g, p, t)) return true;
                if (!*t) break;
            }
            ok = false;
            break;
        }
        if (*p == '*') {
            p++;
            for (const char *t = s;; t++) {
                if (glob_at(g, p, t)) return true;
                if (!*t || *t == '/') break;
            }
            ok = false;
            break;
        }
        if (!*s || (*p != '?' && *p != *s) || (*p == '?' && *s == '/')) {
            ok = false;
            break;
        }
        p++;
        s++;
    }
    if (!ok) g->failed[bit >> 3] |= (unsigned char)(1u << (bit & 7));
    return ok;
}

bool ac_glob_match(const char *pattern, const char *path)
{
    if (!path) return false;
    if (!strpbrk(pattern, "*?")) return path_covers(pattern, path);
    glob_ctx g = {pattern, path, strlen(path), NULL};
    size_t bits = (strlen(pattern) + 1) * (g.slen + 1);
    g.failed = ac_xcalloc(bits / 8 + 1, 1);
    bool ok = glob_at(&g, pattern, path);
    free(g.failed);
    return ok;
}

/* ---- applying the policy ------------------------------------------------------------------------ */

/* The state of one ac_policy_apply: caches that make each ignore's path resolved and matched once
 * per distinct path, and the regular expressions' match context and budget. */
typedef struct apply_ctx {
    ac_policy *p;
    ac_status *st;
    long today;
    ac_strmap rel;         /* path -> the path relative to the configuration's directory */
    ac_strmap cands;       /* a finding's paths (encoded) -> cand_list of the ignores they pass */
    size_t ncached;        /* ignore indexes held by cands */
    pcre2_match_context *mctx;
    pcre2_match_data *md;
    size_t re_spent;       /* steps charged to AC_LIMIT_REGEX_BUDGET */
    size_t tests;          /* finding x ignore comparisons, bounded by AC_LIMIT_IGNORE_TESTS */
} apply_ctx;

typedef struct cand_list {
    uint32_t *v; /* indexes into p->ignores, ascending */
    size_t n;
} cand_list;

/* Frees the cached candidate lists and their keys, and the map's table. */
static void free_cands(apply_ctx *X)
{
    for (size_t i = 0; i < X->cands.cap; i++)
        if (X->cands.e[i].key) {
            cand_list *c = X->cands.e[i].val;
            free((void *)X->cands.e[i].key);
            free(c->v);
            free(c);
        }
    ac_strmap_free(&X->cands);
}

/* A regular expression of an ignore against a name: 1 match, 0 no match, or -1 with the status
 * set.  "No match" is the only failure that means no: out of memory or a limit
 * (catastrophic backtracking) ends the run at the ignore, since treating it as "no match" would
 * report as unused, or not suppress, what the configuration says.  A match runs under
 * AC_LIMIT_REGEX_FREE_STEPS first; one that needs more is run again under larger limits and charged the
 * limit it finished under, so the total stays within AC_LIMIT_REGEX_BUDGET. */
static int re_match(apply_ctx *X, const ac_ignore *g, void *re, const char *s)
{
    if (!re || !s) return 0;
    static const uint32_t tiers[] = {AC_LIMIT_REGEX_FREE_STEPS, AC_LIMIT_REGEX_STEPS / 10, AC_LIMIT_REGEX_STEPS};
    int rc = PCRE2_ERROR_MATCHLIMIT;
    bool over_budget = false;
    for (size_t t = 0; t < sizeof tiers / sizeof *tiers && rc == PCRE2_ERROR_MATCHLIMIT; t++) {
        uint32_t limit = tiers[t];
        if (t) {
            size_t left = AC_LIMIT_REGEX_BUDGET - X->re_spent;
            if (!left) {
                over_budget = true;
                break;
            }
            if (limit > left) limit = (uint32_t)left;
        }
        pcre2_set_match_limit(X->mctx, limit);
        rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, X->md, X->mctx);
        if (t) X->re_spent += limit;
        if (rc == PCRE2_ERROR_MATCHLIMIT && limit < tiers[t]) over_budget = true;
    }
    if (rc == PCRE2_ERROR_NOMEMORY) ac_oom();
    if (over_budget)
        return ac_fail(X->st, g->file, g->line, g->col,
                       "the regular expressions of the ignores ran over their budget of %u backtracking steps in all, "
                       "here on \"%.200s\"; simplify the expression",
                       AC_LIMIT_REGEX_BUDGET, s), -1;
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(rc, msg, sizeof msg);
        ac_fail(X->st, g->file, g->line, g->col, "the regular expression failed on \"%.200s\": %s", s, (const char *)msg);
        return -1;
    }
    return rc >= 0;
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *h = hay; *h; h++)
        if (!strncasecmp(h, needle, n)) return true;
    return false;
}

/* The operation "GET /pets" written in a line, as a whole: not the prefix of "GET /pets/{id}". */
static bool contains_op(const char *line, const char *op)
{
    size_t n = strlen(op);
    for (const char *h = line; *h; h++)
        if (!strncasecmp(h, op, n) && (h[n] == 0 || h[n] == ' ' || h[n] == '\t' || h[n] == ',')) return true;
    return false;
}

static bool status_code_like(const char *t)
{
    return strlen(t) == 3 && (t[0] >= '1' && t[0] <= '5') &&
           ((isdigit((unsigned char)t[1]) && isdigit((unsigned char)t[2])) || ((t[1] == 'X' || t[1] == 'x') && (t[2] == 'X' || t[2] == 'x')));
}

/* An oasdiff err-ignore / warn-ignore line ("GET /pets removed the property 'name'"): the operation
 * must be in it, and the rest must fit the finding: every quoted name in the line appears in the
 * message (a quoted status code fits any response finding, since a shared schema has no single
 * status), and the line uses a distinctive word of the check ID.  oasdiff matches its own message
 * text, which apicompat's wording does not reproduce; this is the closest faithful reading. */
static bool oasdiff_line_matches(const ac_ignore *g, const ac_finding *f)
{
    if (f->severity != g->oasdiff_level) return false;
    bool op = false;
    for (size_t i = 0; i < f->nops && !op; i++) op = contains_op(g->oasdiff_line, f->ops[i]);
    if (!op) return false;
    for (const char *q = g->oasdiff_line; (q = strpbrk(q, "'\"")); q++) {
        const char *e = strchr(q + 1, *q);
        if (!e) break;
        char tok[256];
        snprintf(tok, sizeof tok, "%.*s", (int)(e - q - 1), q + 1);
        bool fits = !*tok || contains_ci(f->message, tok) || (f->subject && contains_ci(f->subject, tok)) ||
                    (status_code_like(tok) && !strncmp(f->rule->id, "response-", 9));
        if (!fits) return false;
        q = e;
    }
    static const char *const generic[] = {"request", "response", "property", "body", "parameter", "api", "with", "became", "new", NULL};
    char word[64];
    const char *id = f->rule->id;
    while (*id) {
        size_t n = strcspn(id, "-");
        snprintf(word, sizeof word, "%.*s", (int)n, id);
        bool skip = false;
        for (size_t k = 0; generic[k] && !skip; k++) skip = !strcmp(word, generic[k]);
        if (!skip && n > 2 && contains_ci(g->oasdiff_line, word)) return true;
        id += n + (id[n] == '-');
    }
    return false;
}

/* A path as the configuration sees it: relative to the configuration file's directory when the
 * file is below it (so an ignore means the same from every working directory).  Resolved once
 * per distinct path, however many findings and ignores ask. */
static const char *config_relative(apply_ctx *X, const char *path)
{
    ac_policy *p = X->p;
    if (!path || !p->root_abs) return path;
    const char *known = ac_strmap_get(&X->rel, path);
    if (known) return known;
    const char *rel = path;
    char *abs = realpath(path, NULL);
    if (abs) {
        size_t n = strlen(p->root_abs);
        if (!strncmp(abs, p->root_abs, n) && abs[n] == '/') rel = ac_arena_strdup(p->arena, abs + n + 1);
        free(abs);
    }
    ac_strmap_put(&X->rel, path, (void *)rel);
    return rel;
}

static bool glob_any(const char *glob, const char *const *paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (paths[i] && ac_glob_match(glob, paths[i])) return true;
    return false;
}

static bool live(const ac_ignore *g, long today)
{
    return !(g->until >= 0 && g->until < today);
}

/* The live ignores whose path selector (if any) accepts one of the finding's paths, in order:
 * computed once per distinct set of paths, so that n findings against m `path:` ignores cost
 * m glob matches per file, not n x m realpath calls and copies. */
static const cand_list *candidates(apply_ctx *X, const ac_finding *f)
{
    ac_policy *p = X->p;
    const char *paths[6] = {f->cfg_path, f->loc.path, f->old_cfg_path, f->old_loc.path,
                            config_relative(X, f->loc.line ? f->loc.path : NULL), config_relative(X, f->old_loc.path)};
    /* the key: each path as its length and bytes, so that no two sets of paths share one */
    size_t klen = 0;
    for (int i = 0; i < 6; i++) klen += 24 + (paths[i] ? strlen(paths[i]) : 0);
    char *key = ac_xmalloc(klen + 1), *k = key;
    for (int i = 0; i < 6; i++)
        k += paths[i] ? sprintf(k, "%zu:%s", strlen(paths[i]), paths[i]) : sprintf(k, "-");
    cand_list *c = ac_strmap_getn(&X->cands, key, (size_t)(k - key));
    if (c) {
        free(key);
        return c;
    }
    if (X->ncached > AC_LIMIT_IGNORE_CACHE) { /* start over: memory stays bounded */
        free_cands(X);
        ac_strmap_init(&X->cands);
        X->ncached = 0;
    }
    c = ac_xcalloc(1, sizeof *c);
    for (size_t i = 0; i < p->nignores; i++) {
        const ac_ignore *g = &p->ignores[i];
        if (!live(g, X->today) || (g->path_glob && !glob_any(g->path_glob, paths, 6))) continue;
        if (!(c->n & (c->n - 1)) || !c->n) c->v = ac_xrealloc(c->v, (c->n ? c->n * 2 : 4) * sizeof *c->v);
        c->v[c->n++] = (uint32_t)i;
    }
    X->ncached += c->n + 1;
    ac_strmap_putn(&X->cands, key, (size_t)(k - key), c);
    return c;
}

/* Whether an ignore whose path already fits accepts the finding: 1, 0, or -1 on an error. */
static int ignore_matches(apply_ctx *X, const ac_ignore *g, const ac_finding *f)
{
    if (g->rules && !g->rules[f->rule - ac_rules]) return 0;
    if (g->oasdiff_line) return oasdiff_line_matches(g, f);
    if (g->element_re) {
        int r = re_match(X, g, g->element_re, f->subject);
        if (r <= 0) return r;
    }
    if (g->operation_re) {
        int any = 0;
        for (size_t i = 0; i < f->nops && !any; i++)
            if ((any = re_match(X, g, g->operation_re, f->ops[i])) < 0) return -1;
        if (!any) return 0;
    }
    return 1;
}

/* The first live ignore that accepts the finding, or -1; the later ones that would also accept
 * it are counted as shadowed.  -2 on an error (the status says which). */
static long first_ignore(apply_ctx *X, const cand_list *c, const ac_finding *f)
{
    long first = -1;
    for (size_t j = 0; j < c->n; j++) {
        ac_ignore *g = &X->p->ignores[c->v[j]];
        if (++X->tests > AC_LIMIT_IGNORE_TESTS) {
            ac_fail(X->st, g->file, g->line, g->col,
                    "comparing the findings with the ignores took more than %u comparisons; use fewer ignores or give "
                    "them a path or rule",
                    AC_LIMIT_IGNORE_TESTS);
            return -2;
        }
        int r = ignore_matches(X, g, f);
        if (r < 0) return -2;
        if (!r) continue;
        if (first < 0) {
            first = (long)c->v[j];
            g->hits++;
        } else {
            g->shadowed++;
        }
    }
    return first;
}

static bool op_scoped(const ac_policy *p)
{
    for (size_t k = 0; k < p->nignores; k++)
        if (p->ignores[k].operation_re || p->ignores[k].oasdiff_line) return true;
    return false;
}

static const char *because(ac_policy *p, ac_findings *fs, long k)
{
    const ac_ignore *g = &p->ignores[k];
    return ac_arena_printf(fs->arena, "%s:%u: %s", g->file, g->line, g->reason);
}

static void apply_end(apply_ctx *X)
{
    free_cands(X);
    ac_strmap_free(&X->rel);
    pcre2_match_data_free(X->md);
    pcre2_match_context_free(X->mctx);
}

int ac_policy_apply(ac_policy *p, ac_findings *fs, ac_status *st)
{
    long today = p->today >= 0 ? p->today : ac_today();
    bool per_op = op_scoped(p);
    apply_ctx X = {.p = p, .st = st, .today = today};
    X.mctx = pcre2_match_context_create(NULL);
    X.md = pcre2_match_data_create(1, NULL); /* only whether it matched is asked */
    if (!X.mctx || !X.md) ac_oom();
    pcre2_set_depth_limit(X.mctx, AC_LIMIT_REGEX_DEPTH);
    pcre2_set_heap_limit(X.mctx, AC_LIMIT_REGEX_HEAP_KIB);
    int rc = AC_OK;
    size_t w = 0, n = fs->n;
    ac_finding *split = NULL; /* suppressed parts of findings an ignore accepted for some operations */
    size_t nsplit = 0;
    for (size_t i = 0; i < n; i++) {
        ac_finding *f = &fs->v[i];
        size_t rule = (size_t)(f->rule - ac_rules);
        const ac_policy_module *m = module_for(p, f->loc.line || !f->old_module ? f->module : f->old_module);
        /* a rule that is off for this finding's module did not run there: drop, not suppress (an
         * opt-in rule given a severity was asked for) */
        if (!m->enabled[rule] && !opt_in_asked(p, rule)) continue;
        if (p->severity[rule] != AC_SEV_UNSET) {
            if (p->severity[rule] == AC_SEV_OFF) continue;
            f->severity = p->severity[rule];
        } else if (f->severity == f->rule->severity) {
            f->severity = ac_rule_set_level(p->rule_set, f->rule); /* strict raises some info checks */
        }
        fs->v[w++] = *f;
        f = &fs->v[w - 1];
        if (f->suppressed_by) continue;
        for (size_t k = 0; k < m->nignore && !f->suppressed_by; k++)
            if (path_covers(m->ignore[k], f->cfg_path) || path_covers(m->ignore[k], f->old_cfg_path))
                f->suppressed_by = ac_arena_printf(fs->arena, "ignore \"%s\"", m->ignore[k]);
        for (size_t k = 0; k < m->nonly && !f->suppressed_by; k++)
            if (m->only[k].rule == (int)rule &&
                (path_covers(m->only[k].path, f->cfg_path) || path_covers(m->only[k].path, f->old_cfg_path)))
                f->suppressed_by = ac_arena_printf(fs->arena, "ignore_only %s \"%s\"", f->rule->id, m->only[k].path);
        if (!f->suppressed_by && m->ignore_unstable_packages &&
            (ac_package_unstable(f->pkg) || ac_package_unstable(f->old_pkg)))
            f->suppressed_by = "ignore_unstable_packages";
        if (f->suppressed_by || !p->nignores) continue;
        const cand_list *c = candidates(&X, f);
        if (!c->n) continue;
        if (!per_op || f->nops < 2) {
            long k = first_ignore(&X, c, f);
            if (k == -2) {
                rc = AC_ERROR;
                break;
            }
            if (k >= 0) f->suppressed_by = because(p, fs, k);
            continue;
        }
        /* a change shared by several operations: an ignore naming some of them takes only those */
        const char **kept = ac_arena_alloc(fs->arena, f->nops * sizeof *kept);
        const char **gone = ac_arena_alloc(fs->arena, f->nops * sizeof *gone);
        size_t nkept = 0, ngone = 0;
        long by = -1;
        for (size_t o = 0; o < f->nops; o++) {
            ac_finding one = *f;
            one.ops = &f->ops[o];
            one.nops = 1;
            long k = first_ignore(&X, c, &one);
            if (k == -2) {
                rc = AC_ERROR;
                break;
            }
            if (k < 0) kept[nkept++] = f->ops[o];
            else {
                gone[ngone++] = f->ops[o];
                if (by < 0) by = k;
            }
        }
        if (rc) break;
        if (!ngone) continue;
        if (!nkept) {
            f->suppressed_by = because(p, fs, by);
            continue;
        }
        split = ac_xrealloc(split, (nsplit + 1) * sizeof *split);
        split[nsplit] = *f;
        split[nsplit].ops = gone;
        split[nsplit].nops = ngone;
        split[nsplit].suppressed_by = because(p, fs, by);
        nsplit++;
        f->ops = kept;
        f->nops = nkept;
    }
    apply_end(&X);
    if (rc) {
        free(split);
        return rc;
    }
    fs->n = w;
    for (size_t i = 0; i < w; i++) /* a suppressed finding keeps its level: it is counted as it was */
        if (!fs->v[i].suppressed_by) stability_cap(p, fs, &fs->v[i]);
    for (size_t i = 0; i < nsplit; i++) *ac_findings_push(fs) = split[i];
    free(split);
    if (!p->defer_meta) ac_policy_meta(p, fs);
    return AC_OK;
}

static void meta_finding(ac_policy *p, ac_findings *fs, const char *id, const ac_ignore *g, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void meta_finding(ac_policy *p, ac_findings *fs, const char *id, const ac_ignore *g, const char *fmt, ...)
{
    int r = ac_rule_find(id);
    int sev = ac_policy_level(p, (size_t)r);
    /* the report of a loosened configuration is about that configuration: what it says of this
     * rule cannot lower it (a pull request would set it to off or info with the rest) */
    if (!strcmp(id, "apicompat-config-loosened") && sev < (int)ac_rules[r].severity) sev = ac_rules[r].severity;
    if (sev == AC_SEV_OFF) return; /* the configuration turned this report off */
    ac_finding *f = ac_findings_push(fs);
    f->rule = &ac_rules[r];
    f->severity = sev;
    va_list ap;
    va_start(ap, fmt);
    f->message = ac_arena_vprintf(fs->arena, fmt, ap);
    va_end(ap);
    f->loc.path = f->loc.file = g->file;
    f->loc.line = f->loc.end_line = g->line ? g->line : 1;
    f->loc.col = f->loc.end_col = g->col ? g->col : 1;
    f->cfg_path = g->file;
}

void ac_policy_meta(ac_policy *p, ac_findings *fs)
{
    long today = p->today >= 0 ? p->today : ac_today();
    if (p->loosened) {
        ac_ignore at = {0};
        at.file = p->loosened_file;
        at.line = p->loosened_line;
        at.col = p->loosened_col;
        meta_finding(p, fs, "apicompat-config-loosened", &at,
                     "this change loosens the base revision's policy: %s", p->loosened);
    }
    for (size_t k = 0; k < p->nignores; k++) {
        const ac_ignore *g = &p->ignores[k];
        if (!live(g, today))
            meta_finding(p, fs, "apicompat-ignore-expired", g, "ignore \"%s\" expired on its until date; it no longer applies",
                         g->reason);
        else if (!g->hits && g->shadowed)
            meta_finding(p, fs, "apicompat-ignore-unused", g,
                         "ignore \"%s\" only matches findings an earlier ignore already suppresses; remove one of them",
                         g->reason);
        else if (!g->hits)
            meta_finding(p, fs, "apicompat-ignore-unused", g, "ignore \"%s\" matched no finding; remove it or fix its selectors",
                         g->reason);
    }
}
