/* apicompat rest CONTRACT [--format text|openapi]: the REST surface of a protobuf contract, the HTTP
 * operations its google.api.http rules (and their additional_bindings) serve, as `breaking`
 * compares them.  text: one line per operation (method, path, RPC, where the binding is written);
 * openapi: an OpenAPI 3.1 document in JSON.  Exit 0: printed; 2: could not. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/pipeline.h"
#include "openapi/oas.h"

int ac_cmd_rest(options *o, ac_status *st)
{
    if (o->npositional != 1) return ac_fail(st, NULL, 0, 0, "rest needs one protobuf contract: rest CONTRACT [--format text|openapi]");
    if (o->format != FMT_TEXT && o->format != FMT_OPENAPI) return ac_fail(st, NULL, 0, 0, "rest writes text or openapi only");
    const char *path = o->positional[0];
    ac_allow_user_paths(o, &path, 1);
    ac_arena *a = ac_arena_new();
    ac_contract *c = NULL, *d = NULL;
    int rc = ac_load_contract(o, path, a, &c, st);
    if (!rc && !c->derive_rest)
        rc = ac_fail(st, path, 0, 0, "rest derives the HTTP surface of a protobuf contract (google.api.http); this is an OpenAPI contract");
    if (!rc) rc = c->derive_rest(&d, c, st);
    if (!rc && o->format == FMT_OPENAPI) {
        char *text = ac_oas_write_json(d->oas, path, "");
        if (!text || printf("%s\n", text) < 0) rc = ac_fail(st, NULL, 0, 0, "cannot write the document: %s", strerror(errno ? errno : EIO));
        free(text);
    } else if (!rc) {
        for (uint32_t i = 0; i < d->oas->nops; i++) {
            const ac_oas_op *op = &d->oas->ops[i];
            ac_loc l;
            d->locate(d, op->src, NULL, &l);
            printf("%s:%u:%u: %s (%s)\n", l.path ? l.path : "", l.line, l.col, op->label, op->operation_id);
        }
        printf("%u operations\n", d->oas->nops);
    }
    if (!rc && (fflush(stdout) || ferror(stdout))) rc = ac_fail(st, NULL, 0, 0, "cannot write: %s", strerror(errno ? errno : EIO));
    if (d) ac_contract_free(d);
    if (c) ac_contract_free(c);
    ac_arena_free(a);
    return rc;
}
