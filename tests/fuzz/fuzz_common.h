/* Shared by the pipeline fuzz targets: compare two loaded contracts under the default policy and
 * render the findings, as the CLI would. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdio.h>

#include "compat/compat.h"

static void fuzz_compare_and_render(ac_contract *o, ac_contract *n, ac_status *st)
{
    ac_policy p;
    ac_policy_init(&p);
    ac_findings fs;
    ac_findings_init(&fs);
    if (!ac_compat_check(o, n, &p, &fs, st)) {
        FILE *null = fopen("/dev/null", "w");
        ac_report_opts ro = {0};
        ro.fail_on = AC_SEV_ERROR;
        if (null) {
            ac_report_text(null, &fs, &ro);
            ac_report_json(null, &fs, &ro);
            ac_report_sarif(null, &fs, &ro);
            fclose(null);
        }
    }
    ac_findings_free(&fs);
    ac_policy_free(&p);
}

#endif
