/* apicompat config check [FILE]: validates a configuration without comparing anything. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "compat/base/escape.h"
#include "cmd/commands.h"
#include "cmd/config.h"
#include "cmd/pipeline.h"
#include "proto/proto.h"

int ac_cmd_config(options *o, ac_status *st)
{
    if (o->npositional < 1 || strcmp(o->positional[0], "check"))
        return ac_fail(st, NULL, 0, 0, "usage: apicompat config check [FILE]");
    ac_policy p;
    ac_policy_init(&p);
    const char *file = o->npositional > 1 ? o->positional[1] : o->config ? o->config : ac_config_find(p.arena);
    int rc = AC_OK;
    if (!file) rc = ac_fail(st, NULL, 0, 0, "no apicompat.yaml here or in a parent directory (give one: apicompat config check FILE)");
    else if (access(file, R_OK) != 0) rc = ac_fail(st, file, 0, 0, "cannot read the configuration: %s", strerror(errno));
    else if (ac_is_buf_config(file)) {
        ac_buf_config *bc;
        rc = ac_buf_config_read_file(p.arena, file, &bc, st);
        if (!rc) rc = ac_buf_config_policy(bc, &p, st);
    } else {
        rc = ac_config_read(&p, file, st);
    }
    if (!rc) {
        size_t sev = 0, on = 0;
        for (size_t i = 0; i < ac_nrules; i++) {
            if (p.severity[i] != AC_SEV_UNSET) sev++;
            if (p.modules[0].enabled[i]) on++;
        }
        ac_esc_line(stdout, file);
        printf(": ok (%zu rules on, %zu severity overrides, %zu ignores, fail on %s", on, sev, p.nignores,
               ac_severity_name(p.fail_on));
        if (p.rule_set != AC_RULESET_BACKWARD) printf(", rule set %s", ac_rule_sets[p.rule_set].name);
        if (p.mode != AC_MODE_BACKWARD) printf(", mode %s", ac_mode_name(p.mode));
        printf(")\n");
        rc = ac_stdout_done(0, "the result", st);
    }
    ac_policy_free(&p);
    return rc ? AC_ERROR : 0;
}
