/* compat/cases: counterexamples for OpenAPI findings (issue #16, see ac_oas_prove in cases.h).
 *
 * The search is the static replay restricted to the operations a finding affects: the old
 * operation's request cases (each one valid for OLD, since the generator keeps only those) are
 * validated against the new operation, and the new operation's response cases against the old one.
 * A case the other side rejects is a witness of OLD ∧ ¬NEW (requests) or NEW ∧ ¬OLD (responses); it
 * is tied to a finding only when the rejection happens at or under the schema the finding is about,
 * so that one break in an operation does not "prove" another.  Each operation is searched once and
 * its witnesses shared by every finding about it. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "compat/base/limits.h"
#include "compat/base/map.h"
#include "compat/cases/cases.h"
#include "compat/rules/finding.h"
#include "compat/rules/rules.h"
#include "compat/validate/validate.h"

/* One error of the other side's validator on a case. */
typedef struct rejection {
    const char *at;   /* the failing keyword's schema pointer, without '#' */
    const char *why;  /* the validator's message */
    const char *inst; /* the instance pointer it failed at */
    const char *file; /* the file that schema is in */
} rejection;

/* One rejected case and every error the other side gave it. */
typedef struct witness {
    const ac_case *k;
    bool request;
    rejection *e;
    size_t n;
} witness;

typedef struct op_proof {
    ac_case_list cases;
    witness *w;
    size_t nw;
} op_proof;

typedef struct prover {
    const ac_contract *old, *new;
    ac_validator *vo, *vn, *go, *gn; /* checking (all errors) and generating, per side */
    ac_strmap ops;                   /* label -> op_proof */
    ac_intmap old_ops;               /* an old operation's src -> the operation */
    ac_arena *a;
    size_t searched; /* operations searched (at most AC_LIMIT_PROOF_OPS) */
} prover;

static const char *unhash(const char *p)
{
    return p && *p == '#' ? p + 1 : p;
}

static void record(prover *P, op_proof *r, const ac_case *k, const ac_val_result *res)
{
    const ac_contract *judge = k->request ? P->new : P->old; /* the side that rejected it */
    r->w = ac_xrealloc(r->w, (r->nw + 1) * sizeof *r->w);
    witness *w = &r->w[r->nw++];
    w->k = k;
    w->request = k->request;
    w->n = res->n;
    w->e = ac_arena_alloc(P->a, (res->n + 1) * sizeof *w->e);
    for (size_t i = 0; i < res->n; i++) {
        char buf[512];
        rejection *e = &w->e[i];
        e->at = res->v[i].schema ? ac_arena_strdup(P->a, unhash(res->v[i].schema)) : NULL;
        e->why = ac_arena_strdup(P->a, ac_val_error_text(&res->v[i], buf, sizeof buf));
        e->inst = ac_arena_strdup(P->a, res->v[i].instance ? res->v[i].instance : "");
        ac_loc l = {0};
        if (res->v[i].schema_src) judge->locate(judge, res->v[i].schema_src, NULL, &l);
        e->file = l.file ? ac_arena_strdup(P->a, l.file) : NULL;
    }
}

/* Validates each case of `from` (one side's operation) against the other side's operation. */
static void search(prover *P, op_proof *r, const ac_oas_op *oop, const ac_oas_op *nop)
{
    ac_status st;
    ac_status_init(&st);
    ac_case_opts req = {.requests = true}, resp = {.responses = true};
    if (ac_cases_generate_op(P->old, oop, &req, P->go, &r->cases, &st) ||
        ac_cases_generate_op(P->new, nop, &resp, P->gn, &r->cases, &st)) {
        ac_status_init(&st);
        return;
    }
    for (size_t i = 0; i < r->cases.n; i++) {
        const ac_case *k = &r->cases.v[i];
        ac_arena *a = ac_arena_new();
        ac_doc *d = NULL;
        ac_val_result res;
        memset(&res, 0, sizeof res);
        int rc = ac_doc_parse(&d, a, "(case)", k->text, strlen(k->text), NULL, &st);
        if (!rc && k->request)
            rc = ac_validate_request(P->vn, nop, k->media, d->root, &res, &st);
        else if (!rc)
            rc = ac_validate_response(P->vo, oop, k->status, k->media, NULL, k->has_body ? d->root : NULL, &res, &st);
        if (rc == AC_BREAKING && res.n) record(P, r, k, &res);
        ac_val_result_free(&res);
        ac_status_init(&st);
        ac_arena_free(a);
    }
}

static op_proof *op_for(prover *P, const char *label)
{
    bool added;
    void **slot = ac_strmap_slot_of(&P->ops, label, strlen(label), &added);
    if (!added) return *slot;
    op_proof *r = ac_xcalloc(1, sizeof *r);
    *slot = r;
    const ac_oas_op *nop = ac_val_find_op(P->new->oas, label), *oop = ac_val_find_op(P->old->oas, label);
    if (nop && oop && P->searched < AC_LIMIT_PROOF_OPS) {
        P->searched++;
        search(P, r, oop, nop);
    }
    return r;
}

/* Is schema pointer p at or under q? */
static bool under(const char *p, const char *q)
{
    size_t n = strlen(q);
    return p && !strncmp(p, q, n) && (p[n] == '\0' || p[n] == '/');
}

/* Does a rejection at keyword pointer err show the change at want?  When err is at or under want;
 * or when want is a property of the schema whose keyword failed (a property that became required,
 * or was removed where no others are allowed, fails at its parent's `required` or
 * `additionalProperties`). */
static bool about(const char *err, const char *want)
{
    if (!err) return false;
    if (under(err, want)) return true;
    const char *slash = strrchr(err, '/');
    if (!slash) return false;
    size_t n = (size_t)(slash - err);
    if (strncmp(want, err, n) || strncmp(want + n, "/properties/", 12)) return false;
    return !strchr(want + n + 12, '/');
}

static const char *compact(prover *P, const cJSON *j)
{
    char *t = j ? cJSON_PrintUnformatted(j) : NULL;
    const char *r = t ? ac_arena_strdup(P->a, t) : "null";
    free(t);
    return r;
}

/* What a witness shows, from where the other side rejected it (inst, a pointer into the case): a
 * response body; a request's parameter value ("/query/limit"), its body ("/body/..."), or the whole
 * request when the rejection is about the request as such (a parameter or body that is missing). */
static void part_of(prover *P, const witness *w, const char *inst, ac_counterexample *c)
{
    c->kind = "body";
    c->value = w->k->text;
    cJSON *j = cJSON_Parse(w->k->text);
    if (!j) return;
    if (!w->request) {
        /* A response case is the body itself, stored pretty-printed: shown on one line like a
         * request's (text and Markdown print the value as it is). */
        c->value = compact(P, j);
        cJSON_Delete(j);
        return;
    }
    c->kind = "operation";
    c->value = compact(P, j);
    static const struct { const char *part, *in; } parts[] = {{"path_params", "path"}, {"query", "query"}, {"headers", "header"}};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        size_t n = strlen(parts[i].part);
        if (inst[0] != '/' || strncmp(inst + 1, parts[i].part, n) || inst[1 + n] != '/') continue;
        const char *name = inst + 2 + n;
        char nb[256];
        snprintf(nb, sizeof nb, "%.*s", (int)strcspn(name, "/"), name);
        cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, parts[i].part), nb);
        if (v) {
            c->kind = "parameter";
            c->param_in = parts[i].in;
            c->param_name = ac_arena_strdup(P->a, nb);
            c->value = compact(P, v);
        }
    }
    cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "body");
    if (b && (!strcmp(inst, "/body") || !strncmp(inst, "/body/", 6))) {
        c->kind = "body";
        c->value = compact(P, b);
    }
    cJSON_Delete(j);
}

/* A removed operation: the old operation's first request case, which NEW has no operation for. */
static bool prove_removed(prover *P, ac_findings *fs, ac_finding *f)
{
    const ac_oas_op *oop = ac_intmap_get(&P->old_ops, (int64_t)(intptr_t)f->ev_old.p);
    if (!oop || oop->webhook || ac_val_find_op(P->new->oas, oop->label) || P->searched >= AC_LIMIT_PROOF_OPS) return false;
    P->searched++;
    ac_case_list l;
    memset(&l, 0, sizeof l);
    ac_case_opts req = {.requests = true};
    ac_status st;
    ac_status_init(&st);
    bool ok = !ac_cases_generate_op(P->old, oop, &req, P->go, &l, &st) && l.n;
    if (ok) {
        cJSON *j = cJSON_Parse(l.v[0].text);
        ac_counterexample c = {.kind = "operation", .direction = "request", .operation = oop->label, .media_type = l.v[0].media,
                               .value = compact(P, j), .old_reading = "accepted",
                               .new_reading = ac_arena_printf(P->a, "rejected: NEW has no operation %s", oop->label)};
        cJSON_Delete(j);
        f->cex = ac_counterexample_copy(fs->arena, &c);
        f->proof = AC_PROOF_PROVEN;
    }
    ac_case_list_free(&l);
    return ok;
}

static bool prove_one(prover *P, ac_findings *fs, ac_finding *f)
{
    if (f->rule->removal && f->ev_old.p && prove_removed(P, fs, f)) return true;
    const char *nptr = f->ev_new.p ? unhash(P->new->pointer(P->new, f->ev_new.p, P->a)) : NULL;
    const char *optr = f->ev_old.p ? unhash(P->old->pointer(P->old, f->ev_old.p, P->a)) : NULL;
    for (size_t o = 0; o < f->nops && o < AC_LIMIT_PROOF_OPS_PER_FINDING; o++) {
        op_proof *r = op_for(P, f->ops[o]);
        for (size_t i = 0; i < r->nw; i++) {
            const witness *w = &r->w[i];
            /* requests fail on NEW's schema, responses on OLD's */
            const char *want = w->request ? nptr : optr;
            const char *wfile = w->request ? f->loc.file : f->old_loc.file;
            if (!want || !wfile) continue;
            for (size_t k = 0; k < w->n; k++) {
                const rejection *e = &w->e[k];
                /* the same schema document, at or under the schema the finding is about */
                if (!e->file || strcmp(e->file, wfile) || !about(e->at, want)) continue;
                ac_counterexample c = {0};
                c.direction = w->request ? "request" : "response";
                c.operation = f->ops[o];
                c.media_type = w->k->media;
                c.status = w->k->request ? NULL : w->k->status;
                part_of(P, w, e->inst, &c);
                const char *why = ac_arena_printf(P->a, "rejected: %s", e->why);
                c.old_reading = w->request ? "accepted" : why;
                c.new_reading = w->request ? why : "valid";
                f->cex = ac_counterexample_copy(fs->arena, &c);
                f->proof = AC_PROOF_PROVEN;
                return true;
            }
        }
    }
    return false;
}

void ac_oas_prove(const ac_contract *old, const ac_contract *new, ac_findings *fs)
{
    if (!old || !new || !old->oas || !new->oas || !old->pointer || !new->pointer) return;
    prover P = {.old = old, .new = new, .a = ac_arena_new()};
    ac_val_opts check = {.formats = true, .max_errors = 0}, gen = {.formats = true, .max_errors = 1};
    P.vo = ac_validator_new(old, &check);
    P.vn = ac_validator_new(new, &check);
    P.go = ac_validator_new(old, &gen);
    P.gn = ac_validator_new(new, &gen);
    ac_strmap_init(&P.ops);
    ac_intmap_init(&P.old_ops);
    for (uint32_t i = 0; i < old->oas->nops; i++) ac_intmap_put(&P.old_ops, (int64_t)(intptr_t)old->oas->ops[i].src, (void *)&old->oas->ops[i]);
    for (size_t i = 0; i < fs->n; i++) {
        ac_finding *f = &fs->v[i];
        if (f->proof || f->severity < AC_SEV_WARN || f->suppressed_by) continue;
        /* a forward-mode finding compared the contracts the other way round: its elements belong
         * to the other side */
        if (f->mode && !(f->mode & AC_MODE_BACKWARD)) continue;
        if (!prove_one(&P, fs, f)) f->proof = AC_PROOF_NONE;
    }
    for (size_t i = 0; i < P.ops.cap; i++) {
        op_proof *r = P.ops.e[i].key ? P.ops.e[i].val : NULL;
        if (!r) continue;
        ac_case_list_free(&r->cases);
        free(r->w);
        free(r);
    }
    ac_strmap_free(&P.ops);
    ac_intmap_free(&P.old_ops);
    ac_validator_free(P.vo);
    ac_validator_free(P.vn);
    ac_validator_free(P.go);
    ac_validator_free(P.gn);
    ac_arena_free(P.a);
}
