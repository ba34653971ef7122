/* apicompat breaking | changelog: breaking shows what breaks clients (errors and warnings),
 * changelog every change, info included.  OLD NEW and --against REF PATH... (each PATH against
 * itself at REF, reported together) go through libapicompat (lib/apicompat.h), as any program
 * would.  --against-tags GLOB PATH... is another command (ac_breaking_against_tags): each path
 * against each release tag matching GLOB, a report per tag. */
#include "cmd/commands.h"
#include "lib/apicompat.h"

/* --old and --new are the named form of OLD NEW; a positional input fills the side they leave open,
 * so `--old A --new B`, `--old A B` and `A B` are one command, and anything else is refused. */
static int named_inputs(options *o, const char *name, ac_status *st)
{
    if (!o->old_input && !o->new_input) return AC_OK;
    if (o->against)
        return ac_fail(st, NULL, 0, 0, "%s: --%s cannot be used with --against (the old side is each PATH at %s)", name,
                       o->old_input ? "old" : "new", o->against);
    const char *oldp = o->old_input, *newp = o->new_input;
    size_t k = 0;
    if (!oldp && k < o->npositional) oldp = o->positional[k++];
    if (!newp && k < o->npositional) newp = o->positional[k++];
    if (k < o->npositional)
        return ac_fail(st, NULL, 0, 0, "%s: \"%s\" is a third input besides --old %s and --new %s (it compares two: OLD NEW, "
                       "or --old OLD --new NEW)", name, o->positional[k], oldp, newp);
    if (!oldp || !newp)
        return ac_fail(st, NULL, 0, 0, "%s needs two inputs: --old OLD --new NEW (or OLD NEW); --%s is missing", name,
                       oldp ? "new" : "old");
    o->positional[0] = oldp; /* room for both: --old and --new took two arguments each */
    o->positional[1] = newp;
    o->npositional = 2;
    return AC_OK;
}

/* A status of the library as the command line's own, so that it prints the same. */
static int from_library(const apicompat_status *ps, ac_status *st)
{
    if (!ps->path[0]) return ac_fail(st, NULL, 0, 0, "%s", ps->message);
    if (!ps->line) return ac_fail_path(st, ps->path, "%s", ps->message);
    return ac_fail(st, ps->path, ps->line, ps->column, "%s", ps->message);
}

/* OLD NEW, or --against REF PATH...: the options as given, passed on by name; the library compares
 * and writes the report. */
static int compare_lib(const options *o, bool changelog, ac_status *st)
{
    apicompat_status ps;
    apicompat_options *opts;
    apicompat_result *r;
    if (apicompat_options_new(&opts, changelog ? "changelog" : "breaking", &ps)) return from_library(&ps, st);
    int rc = APICOMPAT_OK;
    for (size_t i = 0; i < o->ngiven && !rc; i++) rc = apicompat_options_set(opts, o->given[i].name, o->given[i].value, &ps);
    const char *const *paths = (const char *const *)o->positional;
    if (!rc)
        rc = o->against ? apicompat_compare_against(&r, o->against, paths, o->npositional, opts, &ps)
                        : apicompat_compare_with(&r, paths[0], paths[1], opts, &ps);
    apicompat_options_free(opts);
    if (rc) return from_library(&ps, st);
    fputs(apicompat_result_notes(r), stderr);
    int exit_code = apicompat_result_write(r, stdout, &ps) ? from_library(&ps, st)
                    : changelog                             ? 0
                                                            : apicompat_result_exit_code(r);
    apicompat_result_free(r);
    return exit_code;
}

static int compare(options *o, bool changelog, ac_status *st)
{
    const char *name = changelog ? "changelog" : "breaking";
    if (o->against_tags && changelog)
        return ac_fail(st, NULL, 0, 0, "--against-tags applies to breaking (release notes are against one revision: --against REF)");
    if (o->against_tags) return ac_breaking_against_tags(o, st);
    if (o->shard_n) return ac_fail(st, NULL, 0, 0, "--shard applies to batch only");
    if (named_inputs(o, name, st)) return AC_ERROR;
    if (o->against && !o->npositional)
        return ac_fail(st, NULL, 0, 0, "%s --against %s needs the paths to compare (e.g. proto or openapi.yaml)", name, o->against);
    if (!o->against && o->npositional != 2)
        return ac_fail(st, NULL, 0, 0, "%s needs two inputs: OLD NEW (or --against REF PATH...)", name);
    return compare_lib(o, changelog, st);
}

int ac_cmd_breaking(options *o, ac_status *st)
{
    return compare(o, false, st);
}

int ac_cmd_changelog(options *o, ac_status *st)
{
    return compare(o, true, st);
}
