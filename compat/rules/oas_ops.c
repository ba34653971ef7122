/* The OpenAPI check: comparing two operations: parameters, bodies, responses, headers, security, lifecycle. */
#include "compat/rules/oas_internal.h"

/* ---- operations ----------------------------------------------------------------------------------- */

/* The minimum deprecation period for an element of this stability (NULL: stable). */
int oas_deprecation_days(const octx *X, const char *stability)
{
    int days = X->opts->deprecation_days, rank = oas_stability_rank(stability);
    if (rank == 2 && X->opts->deprecation_days_beta >= 0) days = X->opts->deprecation_days_beta;
    if (rank == 3 && X->opts->deprecation_days_stable >= 0) days = X->opts->deprecation_days_stable;
    return days;
}

static int deprecation_days(const octx *X, const ac_oas_op *op)
{
    return oas_deprecation_days(X, op->stability);
}

/* JSON is typed: a number is not a string there, nor an object a string.  XML, form fields, query
 * strings and plain text are not: every value travels as text, and a change of type that such a
 * client cannot see is "compatible".  A wildcard may be JSON, so it is typed. */
static bool json_or_xml(const char *mt)
{
    size_t n = strcspn(mt, ";");
    while (n && mt[n - 1] == ' ') n--;
    return (n == 16 && !strncmp(mt, "application/json", 16)) || (n >= 5 && !strncmp(mt + n - 5, "+json", 5)) ||
           !strncmp(mt, "*/*", 3) || !strncmp(mt, "application/*", 13);
}

static bool success_code(const char *code)
{
    return code[0] == '2';
}

static const ac_oas_media *find_media(const ac_oas_media *m, uint32_t n, const char *type)
{
    for (uint32_t i = 0; i < n; i++)
        if (!strcmp(m[i].type, type)) return &m[i];
    /* "application/json; charset=utf-8" is "application/json" */
    size_t tl = strcspn(type, ";");
    for (uint32_t i = 0; i < n; i++)
        if (strcspn(m[i].type, ";") == tl && !strncmp(m[i].type, type, tl)) return &m[i];
    return NULL;
}

/* "application/(any)" covers "application/json"; "(any)/(any)" covers everything. */
static bool media_covers(const char *pattern, const char *type)
{
    if (!strcmp(pattern, "*/*")) return strcmp(type, "*/*") != 0;
    size_t pl = strcspn(pattern, "/");
    return !strcmp(pattern + pl, "/*") && strncmp(type, pattern, pl + 1) == 0 && strcmp(type + pl, "/*") != 0;
}

/* Whether a new media type took the place of an old one by wildcard (reported as generalized or
 * specialized, not as added). */
static bool covers_any(const char *type, const ac_oas_response *old)
{
    for (uint32_t i = 0; i < old->nmedia; i++)
        if (!find_media(old->media, old->nmedia, type) && (media_covers(type, old->media[i].type) || media_covers(old->media[i].type, type)))
            return true;
    return false;
}

static void cmp_params(octx *X, const ac_oas_op *oo, const ac_oas_op *no)
{
    for (uint32_t i = 0; i < oo->nparams; i++) {
        const ac_oas_param *op = &oo->params[i], *np = NULL;
        for (uint32_t k = 0; k < no->nparams && !np; k++)
            if (!strcmp(no->params[k].key, op->key)) np = &no->params[k];
        const char *pw = ac_arena_printf(X->scratch, "%s parameter \"%s\"", op->in, op->name);
        if (!np) {
            long sunset = oas_parse_date(op->sunset);
            if (op->deprecated && op->sunset && sunset < 0)
                oas_emit(X, AC_OAS_REQUEST_PARAMETER_SUNSET_PARSE, no->src, "parameters", op->src, "x-sunset", pw,
                     "deprecated %s was removed; its x-sunset is not a date: \"%s\"", pw, op->sunset);
            else if (op->deprecated && sunset >= 0 && sunset > X->today)
                oas_emit(X, AC_OAS_REQUEST_PARAMETER_REMOVED_BEFORE_SUNSET, no->src, "parameters", op->src, NULL, pw,
                     "%s was removed before its sunset date %s", pw, op->sunset);
            else if (op->deprecated)
                oas_emit(X, AC_OAS_REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION, no->src, "parameters", op->src, NULL, pw,
                     "deprecated %s was removed", pw);
            else
                oas_emit(X, AC_OAS_REQUEST_PARAMETER_REMOVED, no->src, "parameters", op->src, NULL, pw, "%s was removed", pw);
            continue;
        }
        if (!op->required && np->required)
            oas_emit(X, AC_OAS_REQUEST_PARAMETER_BECAME_REQUIRED, np->src, "required", op->src, "required", pw, "%s became required", pw);
        else if (op->required && !np->required)
            oas_emit(X, AC_OAS_REQUEST_PARAMETER_BECAME_OPTIONAL, np->src, "required", op->src, "required", pw, "%s became optional", pw);
        /* a sunset that is not a date: the deprecation cannot be judged, and that is the finding */
        bool obad = op->sunset && oas_parse_date(op->sunset) < 0, nbad = np->sunset && oas_parse_date(np->sunset) < 0;
        if (!op->deprecated && np->deprecated && nbad) {
            oas_emit(X, AC_OAS_REQUEST_PARAMETER_SUNSET_PARSE, np->src, "x-sunset", op->src, NULL, pw,
                     "%s was deprecated with an x-sunset that is not a date: \"%s\"", pw, np->sunset);
        } else if (!op->deprecated && np->deprecated) {
            oas_emit(X, AC_OAS_REQUEST_PARAMETER_DEPRECATED, np->src, "deprecated", op->src, NULL, pw, "%s was deprecated", pw);
            int days = deprecation_days(X, no);
            long sunset = oas_parse_date(np->sunset);
            if (days > 0 && !np->sunset)
                oas_emit(X, AC_OAS_REQUEST_PARAMETER_DEPRECATED_SUNSET_MISSING, np->src, "deprecated", op->src, NULL, pw,
                     "%s was deprecated without an x-sunset date (at least %d days away)", pw, days);
            else if (days > 0 && sunset >= 0 && sunset < X->today + days)
                oas_emit(X, AC_OAS_REQUEST_PARAMETER_SUNSET_DATE_TOO_SMALL, np->src, "x-sunset", op->src, NULL, pw,
                     "%s has sunset %s, less than %d days away", pw, np->sunset, days);
        }
        if (op->sunset && np->sunset && oas_parse_date(op->sunset) >= 0 && oas_parse_date(np->sunset) >= 0 &&
            oas_parse_date(np->sunset) < oas_parse_date(op->sunset) && oas_parse_date(np->sunset) < X->today + deprecation_days(X, no))
            oas_emit(X, AC_OAS_REQUEST_PARAMETER_SUNSET_DATE_CHANGED_TOO_SMALL, np->src, "x-sunset", op->src, "x-sunset", pw,
                 "sunset date of %s moved earlier, from %s to %s", pw, op->sunset, np->sunset);
        else if (op->deprecated && !np->deprecated)
            oas_emit(X, AC_OAS_REQUEST_PARAMETER_REACTIVATED, np->src, NULL, op->src, "deprecated", pw, "%s is no longer deprecated", pw);
        if (op->sunset && np->deprecated && !np->sunset)
            oas_emit(X, AC_OAS_REQUEST_PARAMETER_SUNSET_DELETED, np->src, NULL, op->src, "x-sunset", pw, "%s lost its x-sunset date", pw);
        if (op->deprecated && np->deprecated && np->sunset && !oas_streq(op->sunset, np->sunset) && (nbad || obad))
            oas_emit(X, AC_OAS_REQUEST_PARAMETER_SUNSET_PARSE, np->src, "x-sunset", op->src, "x-sunset", pw,
                     "x-sunset of %s changed from %s%s%s to \"%s\", %s not a date", pw, op->sunset ? "\"" : "",
                     op->sunset ? op->sunset : "none", op->sunset ? "\"" : "", np->sunset, nbad ? "which is" : "and the old one was");
        bool saved_text = X->text;
        X->text = !np->media || !json_or_xml(np->media);
        const char *sw = np->schema && np->schema->name ? np->schema->name : pw;
        bool form = (!strcmp(np->in, "query") || !strcmp(np->in, "cookie")) && !np->media &&
                    (!np->style || !strcmp(np->style, "form")) && np->explode != 0;
        if (!form || !oas_param_form_array(X, op->schema, np->schema, sw))
            oas_cmp_schema(X, op->schema, np->schema, DREQ, strcmp(np->in, "header") ? C_PARAM : C_HPARAM, sw);
        X->text = saved_text;
    }
    for (uint32_t k = 0; k < no->nparams; k++) {
        const ac_oas_param *np = &no->params[k];
        bool found = false;
        for (uint32_t i = 0; i < oo->nparams && !found; i++) found = !strcmp(oo->params[i].key, np->key);
        if (found) continue;
        const char *pw = ac_arena_printf(X->scratch, "%s parameter \"%s\"", np->in, np->name);
        if (!strcmp(np->in, "path"))
            oas_emit(X, AC_OAS_NEW_REQUEST_PATH_PARAMETER, np->src, NULL, oo->src, "parameters", pw, "%s was added", pw);
        else if (np->path_level)
            oas_emit(X, np->required ? AC_OAS_NEW_REQUIRED_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH
                                 : AC_OAS_NEW_OPTIONAL_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH,
                 np->src, NULL, oo->src, "parameters", pw, "%s %s was added to the path", np->required ? "required" : "optional", pw);
        else if (np->required)
            oas_emit(X, AC_OAS_NEW_REQUIRED_REQUEST_PARAMETER, np->src, NULL, oo->src, "parameters", pw, "required %s was added", pw);
        else
            oas_emit(X, AC_OAS_NEW_OPTIONAL_REQUEST_PARAMETER, np->src, NULL, oo->src, "parameters", pw, "optional %s was added", pw);
    }
}

static void cmp_body(octx *X, const ac_oas_op *oo, const ac_oas_op *no)
{
    const char *bw = "request body";
    if (!oo->has_body && no->has_body) {
        oas_emit(X, no->body_required ? AC_OAS_REQUEST_BODY_ADDED_REQUIRED : AC_OAS_REQUEST_BODY_ADDED_OPTIONAL, no->body_src, NULL,
             oo->src, NULL, bw, "%s %s was added", no->body_required ? "a required" : "an optional", bw);
        return;
    }
    if (oo->has_body && !no->has_body) {
        oas_emit(X, AC_OAS_REQUEST_BODY_REMOVED, no->src, NULL, oo->body_src, NULL, bw, "%s was removed", bw);
        return;
    }
    if (!oo->has_body) return;
    if (!oo->body_required && no->body_required)
        oas_emit(X, AC_OAS_REQUEST_BODY_BECAME_REQUIRED, no->body_src, "required", oo->body_src, "required", bw, "%s became required", bw);
    else if (oo->body_required && !no->body_required)
        oas_emit(X, AC_OAS_REQUEST_BODY_BECAME_OPTIONAL, no->body_src, "required", oo->body_src, "required", bw, "%s became optional", bw);
    for (uint32_t i = 0; i < oo->nbody; i++) {
        const ac_oas_media *om = &oo->body[i], *nm = find_media(no->body, no->nbody, om->type);
        if (!nm) {
            oas_emit(X, AC_OAS_REQUEST_BODY_MEDIA_TYPE_REMOVED, no->body_src, "content", om->src, NULL, bw,
                 "%s no longer accepts media type \"%s\"", bw, om->type);
            continue;
        }
        if (!om->schema && nm->schema)
            oas_emit(X, AC_OAS_REQUEST_BODY_MEDIA_TYPE_SCHEMA_ADDED, nm->src, NULL, om->src, NULL, bw, "%s (%s) gained a schema", bw, om->type);
        else if (om->schema && !nm->schema)
            oas_emit(X, AC_OAS_REQUEST_BODY_MEDIA_TYPE_SCHEMA_REMOVED, nm->src, NULL, om->src, NULL, bw, "%s (%s) lost its schema", bw, om->type);
        else {
            X->text = !json_or_xml(nm->type);
            oas_cmp_schema(X, om->schema, nm->schema, DREQ, C_BODY, nm->schema && nm->schema->name ? nm->schema->name : bw);
            X->text = false;
        }
    }
    for (uint32_t k = 0; k < no->nbody; k++)
        if (!find_media(oo->body, oo->nbody, no->body[k].type))
            oas_emit(X, AC_OAS_REQUEST_BODY_MEDIA_TYPE_ADDED, no->body[k].src, NULL, oo->body_src, "content", bw,
                 "%s now also accepts media type \"%s\"", bw, no->body[k].type);
}

static void cmp_headers(octx *X, const ac_oas_response *or, const ac_oas_response *nr, const char *rw)
{
    for (uint32_t i = 0; i < or->nheaders; i++) {
        const ac_oas_header *oh = &or->headers[i], *nh = NULL;
        for (uint32_t k = 0; k < nr->nheaders && !nh; k++)
            if (!strcasecmp(nr->headers[k].name, oh->name)) nh = &nr->headers[k];
        const char *hw = ac_arena_printf(X->scratch, "header \"%s\" of %s", oh->name, rw);
        if (!nh) {
            oas_emit(X, oh->required ? AC_OAS_REQUIRED_RESPONSE_HEADER_REMOVED : AC_OAS_OPTIONAL_RESPONSE_HEADER_REMOVED, nr->src, NULL,
                 oh->src, NULL, hw, "%s %s was removed", oh->required ? "required" : "optional", hw);
            continue;
        }
        if (oh->required && !nh->required)
            oas_emit(X, AC_OAS_RESPONSE_HEADER_BECAME_OPTIONAL, nh->src, "required", oh->src, "required", hw, "%s became optional", hw);
        X->text = true; /* header values are text */
        oas_cmp_schema(X, oh->schema, nh->schema, DRESP, C_HEADER, hw);
        X->text = false;
    }
    for (uint32_t k = 0; k < nr->nheaders; k++) {
        bool found = false;
        for (uint32_t i = 0; i < or->nheaders && !found; i++) found = !strcasecmp(or->headers[i].name, nr->headers[k].name);
        if (!found)
            oas_emit(X, AC_OAS_RESPONSE_HEADER_ADDED, nr->headers[k].src, NULL, or->src, NULL, rw, "header \"%s\" was added to %s",
                 nr->headers[k].name, rw);
    }
}

static void cmp_responses(octx *X, const ac_oas_op *oo, const ac_oas_op *no)
{
    for (uint32_t i = 0; i < oo->nresponses; i++) {
        const ac_oas_response *or = &oo->responses[i], *nr = NULL;
        for (uint32_t k = 0; k < no->nresponses && !nr; k++)
            if (!strcasecmp(no->responses[k].code, or->code)) nr = &no->responses[k];
        const char *rw = ac_arena_printf(X->scratch, "response %s", or->code);
        if (!nr) {
            oas_emit(X, success_code(or->code) ? AC_OAS_RESPONSE_SUCCESS_STATUS_REMOVED : AC_OAS_RESPONSE_NON_SUCCESS_STATUS_REMOVED,
                 no->src, "responses", or->src, NULL, rw, "%s was removed", rw);
            continue;
        }
        for (uint32_t m = 0; m < or->nmedia; m++) {
            const ac_oas_media *om = &or->media[m], *nm = find_media(nr->media, nr->nmedia, om->type);
            if (!nm) {
                /* application/json -> application/(any): generalized; the reverse: specialized */
                for (uint32_t k = 0; k < nr->nmedia && !nm; k++) {
                    if (find_media(or->media, or->nmedia, nr->media[k].type)) continue;
                    if (media_covers(nr->media[k].type, om->type)) {
                        nm = &nr->media[k];
                        oas_emit(X, AC_OAS_RESPONSE_MEDIA_TYPE_NAME_GENERALIZED, nm->src, NULL, om->src, NULL, rw,
                             "%s returns \"%s\" where it returned \"%s\"", rw, nm->type, om->type);
                    } else if (media_covers(om->type, nr->media[k].type)) {
                        nm = &nr->media[k];
                        oas_emit(X, AC_OAS_RESPONSE_MEDIA_TYPE_NAME_SPECIALIZED, nm->src, NULL, om->src, NULL, rw,
                             "%s returns \"%s\" where it returned \"%s\"", rw, nm->type, om->type);
                    }
                }
            }
            if (!nm) {
                oas_emit(X, AC_OAS_RESPONSE_MEDIA_TYPE_REMOVED, nr->resolved ? nr->resolved : nr->src, "content|schema", om->src, NULL, rw,
                     "%s no longer returns media type \"%s\"", rw, om->type);
                continue;
            }
            if (strcmp(nm->type, om->type) && strcspn(nm->type, ";") == strcspn(om->type, ";"))
                /* the same media type with other parameters: "application/json; charset=utf-8" */
                oas_emit(X, AC_OAS_RESPONSE_MEDIA_TYPE_NAME_CHANGED, nm->src, NULL, om->src, NULL, rw, "%s returns \"%s\" where it returned \"%s\"",
                     rw, nm->type, om->type);
            if (!om->schema && nm->schema)
                oas_emit(X, AC_OAS_RESPONSE_BODY_MEDIA_TYPE_SCHEMA_ADDED, nm->src, NULL, om->src, NULL, rw, "%s (%s) gained a schema", rw,
                     om->type);
            else if (om->schema && !nm->schema)
                oas_emit(X, AC_OAS_RESPONSE_BODY_MEDIA_TYPE_SCHEMA_REMOVED, nm->src, NULL, om->src, NULL, rw, "%s (%s) lost its schema",
                     rw, om->type);
            else {
                X->text = !json_or_xml(nm->type);
                oas_cmp_schema(X, om->schema, nm->schema, DRESP, C_BODY,
                           nm->schema && nm->schema->name ? nm->schema->name : ac_arena_printf(X->scratch, "%s body", rw));
                X->text = false;
            }
        }
        for (uint32_t m = 0; m < nr->nmedia; m++)
            if (!find_media(or->media, or->nmedia, nr->media[m].type) && !covers_any(nr->media[m].type, or))
                oas_emit(X, AC_OAS_RESPONSE_MEDIA_TYPE_ADDED, nr->media[m].src, NULL, or->src, NULL, rw, "%s now also returns media type \"%s\"",
                     rw, nr->media[m].type);
        cmp_headers(X, or, nr, rw);
    }
    for (uint32_t k = 0; k < no->nresponses; k++) {
        bool found = false;
        for (uint32_t i = 0; i < oo->nresponses && !found; i++) found = !strcasecmp(oo->responses[i].code, no->responses[k].code);
        if (!found)
            oas_emit(X, success_code(no->responses[k].code) ? AC_OAS_RESPONSE_SUCCESS_STATUS_ADDED : AC_OAS_RESPONSE_NON_SUCCESS_STATUS_ADDED,
                 no->responses[k].src, NULL, oo->src, "responses", no->label, "response %s was added",
                 no->responses[k].code);
    }
}

/* Security: the operation's own requirements, else the document's. */
static const ac_oas_security *effective_security(const ac_oas *oas, const ac_oas_op *op)
{
    return op->security.set ? &op->security : &oas->security;
}

static bool same_req(const ac_oas_secreq *a, const ac_oas_secreq *b)
{
    if (a->n != b->n) return false;
    for (uint32_t i = 0; i < a->n; i++) {
        bool found = false;
        for (uint32_t k = 0; k < b->n && !found; k++) found = !strcmp(a->schemes[i], b->schemes[k]);
        if (!found) return false;
    }
    return true;
}

static const char *req_str(octx *X, const ac_oas_secreq *r)
{
    return r->n ? oas_join_values(X, r->schemes, r->n) : "(none)";
}

void oas_cmp_security(octx *X, const ac_oas_security *os, const ac_oas_security *ns, ac_src nsrc, ac_src osrc,
                         bool global, const char *what)
{
    /* [global]: removed, scope removed, scope added, added */
    static const ac_oas_rule ids[2][4] = {
        {AC_OAS_API_SECURITY_REMOVED, AC_OAS_API_SECURITY_SCOPE_REMOVED, AC_OAS_API_SECURITY_SCOPE_ADDED,
         AC_OAS_API_SECURITY_ADDED},
        {AC_OAS_API_GLOBAL_SECURITY_REMOVED, AC_OAS_API_GLOBAL_SECURITY_SCOPE_REMOVED,
         AC_OAS_API_GLOBAL_SECURITY_SCOPE_ADDED, AC_OAS_API_GLOBAL_SECURITY_ADDED}};
    for (uint32_t i = 0; i < os->n; i++) {
        const ac_oas_secreq *match = NULL;
        for (uint32_t k = 0; k < ns->n && !match; k++)
            if (same_req(&os->alts[i], &ns->alts[k])) match = &ns->alts[k];
        if (!match) {
            oas_emit(X, ids[global][0], ns->src ? ns->src : nsrc, NULL, os->src ? os->src : osrc, NULL, what,
                 "security requirement %s was removed from %s", req_str(X, &os->alts[i]), what);
            continue;
        }
        for (uint32_t s = 0; s < os->alts[i].n; s++) {
            uint32_t k;
            for (k = 0; k < match->n && strcmp(match->schemes[k], os->alts[i].schemes[s]); k++) {
            }
            const ac_oas_strlist *oscopes = &os->alts[i].scopes[s], *nscopes = &match->scopes[k];
            for (uint32_t q = 0; q < oscopes->n; q++)
                if (!oas_list_has(nscopes, oscopes->v[q])) {
                    oas_emit(X, ids[global][1], ns->src ? ns->src : nsrc, NULL, os->src ? os->src : osrc, NULL, what,
                         "scope \"%s\" of security scheme \"%s\" was removed from %s", oscopes->v[q], os->alts[i].schemes[s], what);
                }
            for (uint32_t q = 0; q < nscopes->n; q++)
                if (!oas_list_has(oscopes, nscopes->v[q])) {
                    oas_emit(X, ids[global][2], ns->src ? ns->src : nsrc, NULL, os->src ? os->src : osrc, NULL, what,
                         "scope \"%s\" of security scheme \"%s\" was added to %s", nscopes->v[q], os->alts[i].schemes[s], what);
                }
        }
    }
    for (uint32_t k = 0; k < ns->n; k++) {
        bool found = false;
        for (uint32_t i = 0; i < os->n && !found; i++) found = same_req(&os->alts[i], &ns->alts[k]);
        if (!found) {
            oas_emit(X, ids[global][3], ns->src ? ns->src : nsrc, NULL, os->src ? os->src : osrc, NULL, what,
                 "security requirement %s was added to %s", req_str(X, &ns->alts[k]), what);
        }
    }
}

void oas_cmp_op(octx *X, const ac_oas_op *oo, const ac_oas_op *no)
{
    const char *w = no->label;
    /* lifecycle */
    bool obad = oo->sunset && oas_parse_date(oo->sunset) < 0, nbad = no->sunset && oas_parse_date(no->sunset) < 0;
    if (!oo->deprecated && no->deprecated && nbad) {
        /* a sunset that is not a date: the deprecation cannot be judged, and that is the finding */
        oas_emit(X, AC_OAS_API_DEPRECATED_SUNSET_PARSE, no->src, "x-sunset", oo->src, NULL, w,
                 "%s was deprecated with an x-sunset that is not a date: \"%s\"", w, no->sunset);
    } else if (!oo->deprecated && no->deprecated) {
        oas_emit(X, no->sunset ? AC_OAS_ENDPOINT_DEPRECATED_WITH_SUNSET : AC_OAS_ENDPOINT_DEPRECATED, no->src, "deprecated", oo->src, NULL, w,
             "%s was deprecated%s%s", w, no->sunset ? ", sunset " : "", no->sunset ? no->sunset : "");
        int days = deprecation_days(X, no);
        if (days > 0) {
            long sunset = oas_parse_date(no->sunset);
            if (!no->sunset)
                oas_emit(X, AC_OAS_API_DEPRECATED_SUNSET_MISSING, no->src, "deprecated", oo->src, NULL, w,
                     "%s was deprecated without an x-sunset date (at least %d days away)", w, days);
            else if (sunset >= 0 && sunset < X->today + days)
                oas_emit(X, AC_OAS_API_SUNSET_DATE_TOO_SMALL, no->src, "x-sunset", oo->src, NULL, w,
                     "%s has sunset %s, less than %d days away", w, no->sunset, days);
        }
    } else if (oo->deprecated && !no->deprecated) {
        oas_emit(X, AC_OAS_ENDPOINT_REACTIVATED, no->src, NULL, oo->src, "deprecated", w, "%s is no longer deprecated", w);
    }
    if (no->path_sunset && oas_parse_date(no->path_sunset) < 0 && !oas_streq(oo->path_sunset, no->path_sunset))
        oas_emit(X, AC_OAS_API_PATH_SUNSET_PARSE, no->path_src, "x-sunset", oo->path_src, NULL, w,
             "the path of %s has an x-sunset that is not a date: \"%s\"", w, no->path_sunset);
    if (oo->deprecated && no->deprecated && no->sunset && !oo->sunset && nbad)
        oas_emit(X, AC_OAS_API_DEPRECATED_SUNSET_PARSE, no->src, "x-sunset", oo->src, NULL, w, "%s has an x-sunset that is not a date: \"%s\"",
             w, no->sunset);
    else if (oo->deprecated && no->deprecated && oo->sunset && no->sunset && strcmp(oo->sunset, no->sunset) && (nbad || obad))
        /* a sunset date moved, from or to something that is not a date: whether it moved earlier cannot be told */
        oas_emit(X, AC_OAS_API_PATH_SUNSET_PARSE, no->src, "x-sunset", oo->src, "x-sunset", w,
                 "x-sunset of %s changed from \"%s\" to \"%s\", %s not a date", w, oo->sunset, no->sunset,
                 nbad ? "which is" : "and the old one was");
    if (oo->sunset && no->deprecated && !no->sunset)
        oas_emit(X, AC_OAS_SUNSET_DELETED, no->src, NULL, oo->src, "x-sunset", w, "%s lost its x-sunset date %s", w, oo->sunset);
    else if (oo->sunset && no->sunset && oas_parse_date(no->sunset) >= 0 && oas_parse_date(oo->sunset) >= 0 &&
             oas_parse_date(no->sunset) < oas_parse_date(oo->sunset) && oas_parse_date(no->sunset) < X->today + deprecation_days(X, no))
        oas_emit(X, AC_OAS_API_SUNSET_DATE_CHANGED_TOO_SMALL, no->src, "x-sunset", oo->src, "x-sunset", w,
             "sunset date of %s moved earlier, from %s to %s", w, oo->sunset, no->sunset);
    int os = oas_stability_rank(oo->stability), ns = oas_stability_rank(no->stability);
    if (ns < 0)
        oas_emit(X, AC_OAS_API_INVALID_STABILITY_LEVEL, no->src, "x-stability-level", oo->src, NULL, w,
             "%s has x-stability-level \"%s\" (expected draft, alpha, beta or stable)", w, no->stability);
    else if (os < 0)
        oas_emit(X, AC_OAS_API_INVALID_STABILITY_LEVEL, no->src, "x-stability-level", oo->src, "x-stability-level", w,
             "%s had x-stability-level \"%s\" in the old version (expected draft, alpha, beta or stable)", w, oo->stability);
    else if (ns != os && os >= X->opts->stability_from)
        /* judged by the level the operation leaves: one below stability.check_from was not held to
         * compatibility, so neither its demotion (alpha to draft) nor its promotion is a change to
         * what was promised (oasdiff's reading); its own changes are checked once it is in scope */
        oas_emit(X, ns < os ? AC_OAS_API_STABILITY_DECREASED : AC_OAS_API_STABILITY_INCREASED, no->src, "x-stability-level", oo->src,
             "x-stability-level", w, "stability of %s changed from %s to %s", w, oo->stability ? oo->stability : "stable",
             no->stability ? no->stability : "stable");
    if (!oas_streq(oo->operation_id, no->operation_id)) {
        if (oo->operation_id)
            oas_emit(X, AC_OAS_API_OPERATION_ID_REMOVED, no->src, "operationId", oo->src, "operationId", w,
                 "operationId of %s changed from \"%s\" to %s%s%s", w, oo->operation_id, no->operation_id ? "\"" : "",
                 no->operation_id ? no->operation_id : "none", no->operation_id ? "\"" : "");
        else
            oas_emit(X, AC_OAS_API_OPERATION_ID_ADDED, no->src, "operationId", oo->src, NULL, w, "%s gained operationId \"%s\"", w,
                 no->operation_id);
    }
    for (uint32_t i = 0; i < oo->tags.n; i++)
        if (!oas_list_has(&no->tags, oo->tags.v[i]))
            oas_emit(X, AC_OAS_API_TAG_REMOVED, no->src, "tags", oo->src, "tags", w, "%s lost tag \"%s\"", w, oo->tags.v[i]);
    for (uint32_t i = 0; i < no->tags.n; i++)
        if (!oas_list_has(&oo->tags, no->tags.v[i]))
            oas_emit(X, AC_OAS_API_TAG_ADDED, no->src, "tags", oo->src, "tags", w, "%s gained tag \"%s\"", w, no->tags.v[i]);
    if (no->webhook) {
        /* a webhook or callback is a request the API sends: its payload is judged as a response
         * (the receiver must cope with what arrives); what the receiver replies is its own business */
        for (uint32_t i = 0; i < oo->nbody; i++) {
            const ac_oas_media *om = &oo->body[i], *nm = find_media(no->body, no->nbody, om->type);
            if (!nm || !om->schema || !nm->schema) continue;
            X->text = !json_or_xml(nm->type);
            oas_cmp_schema(X, om->schema, nm->schema, DRESP, C_BODY, nm->schema->name ? nm->schema->name : "payload");
            X->text = false;
        }
        return;
    }
    cmp_params(X, oo, no);
    cmp_body(X, oo, no);
    cmp_responses(X, oo, no);
    if (oo->security.set || no->security.set)
        oas_cmp_security(X, effective_security(X->o, oo), effective_security(X->n, no), no->src, oo->src, false, w);
}

/* The operation of the new document that is on the same path (or webhook, or callback) as op, in
 * its scope (a derived surface's host).  A key is PREFIX METHOD PATH, and PATH has no spaces. */
static const ac_oas_op *sibling(const ac_oas *oas, const ac_oas_op *op)
{
    const char *sp = strrchr(op->key, ' ');
    if (!sp) return NULL;
    size_t plen = (size_t)(sp - op->key) - strlen(op->method);
    for (uint32_t i = 0; i < oas->nops; i++) {
        const ac_oas_op *o2 = &oas->ops[i];
        const char *s2 = strrchr(o2->key, ' ');
        if (s2 && !strcmp(sp, s2) && (size_t)(s2 - o2->key) - strlen(o2->method) == plen && !strncmp(o2->key, op->key, plen) &&
            (o2->scope == op->scope || (o2->scope && op->scope && !strcmp(o2->scope, op->scope))))
            return o2;
    }
    return NULL;
}

void oas_removed_op(octx *X, const ac_oas_op *oo)
{
    const char *w = oo->label;
    int rank = oas_stability_rank(oo->stability);
    if (rank < 0)
        oas_emit(X, AC_OAS_API_INVALID_STABILITY_LEVEL, X->n->root, "paths", oo->src, "x-stability-level", w,
             "removed %s had x-stability-level \"%s\" (expected draft, alpha, beta or stable)", w, oo->stability);
    if (rank >= 0 && rank < X->opts->stability_from) return; /* draft / alpha: not held to compatibility */
    /* located at what still exists: the path (webhook, callback) key, else the enclosing map */
    const ac_oas_op *sib = sibling(X->n, oo);
    if (oo->webhook) {
        /* webhooks and callbacks: requests the API sends, no longer sent */
        ac_src where = X->n->root;
        const char *key = "webhooks";
        if (sib) {
            where = sib->path_key;
            key = NULL;
        } else if (oo->parent >= 0) {
            /* a callback: at its operation's `callbacks`; gone with its operation, it is that removal */
            const char *pk = X->o->ops[oo->parent].key;
            uint32_t i;
            for (i = 0; i < X->n->nops && strcmp(X->n->ops[i].key, pk); i++) {
            }
            if (i == X->n->nops) return;
            where = X->n->ops[i].src;
            key = "callbacks";
        }
        oas_emit(X, AC_OAS_WEBHOOK_REMOVED, where, key, oo->src, NULL, w, "%s was removed", w);
        return;
    }
    bool whole_path = !sib;
    long sunset = oas_parse_date(oo->sunset);
    ac_oas_rule id;
    if (oo->deprecated && oo->sunset && sunset < 0)
        id = AC_OAS_API_PATH_SUNSET_PARSE;
    else if (oo->deprecated && sunset >= 0 && sunset > X->today)
        id = whole_path ? AC_OAS_API_PATH_REMOVED_BEFORE_SUNSET : AC_OAS_API_REMOVED_BEFORE_SUNSET;
    else if (oo->deprecated)
        id = whole_path ? AC_OAS_API_PATH_REMOVED_WITH_DEPRECATION : AC_OAS_API_REMOVED_WITH_DEPRECATION;
    else
        id = whole_path ? AC_OAS_API_PATH_REMOVED_WITHOUT_DEPRECATION : AC_OAS_API_REMOVED_WITHOUT_DEPRECATION;
    ac_src where = sib ? sib->path_key : X->n->root;
    const char *key = sib ? NULL : "paths";
    if (id == AC_OAS_API_PATH_SUNSET_PARSE)
        oas_emit(X, id, where, key, oo->src, "x-sunset", w, "deprecated %s was removed; its x-sunset is not a date: \"%s\"", w,
             oo->sunset);
    else
        oas_emit(X, id, where, key, oo->src, NULL, w, "%s was removed%s", w,
             oo->deprecated ? (sunset > X->today ? " before its sunset date" : " after deprecation") : " without deprecation");
}
