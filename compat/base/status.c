#include "compat/base/status.h"

#include <string.h>
#include <unistd.h>

void ac_status_init(ac_status *st)
{
    memset(st, 0, sizeof *st);
}

int ac_vfail(ac_status *st, const char *path, unsigned line, unsigned col, const char *fmt, va_list ap)
{
    if (st->code != AC_OK) return AC_ERROR;
    st->code = AC_ERROR;
    snprintf(st->path, sizeof st->path, "%s", path ? path : "");
    st->line = line;
    st->col = col;
    vsnprintf(st->msg, sizeof st->msg, fmt, ap);
    /* one line, always */
    for (char *p = st->msg; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    return AC_ERROR;
}

int ac_fail(ac_status *st, const char *path, unsigned line, unsigned col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = ac_vfail(st, path, line, col, fmt, ap);
    va_end(ap);
    return r;
}

void ac_status_print(const ac_status *st, FILE *f)
{
    if (st->path[0])
        fprintf(f, "%s:%u:%u: %s\n", st->path, st->line ? st->line : 1, st->col ? st->col : 1, st->msg);
    else
        fprintf(f, "apicompat: %s\n", st->msg);
}

void ac_status_print_github(const ac_status *st, FILE *f)
{
    /* workflow command escaping: % CR LF in the message; also : and , in properties */
    fputs("::error ", f);
    if (st->path[0] && access(st->path, F_OK) == 0) {
        fputs("file=", f);
        for (const char *p = st->path; *p; p++) {
            if (*p == '%') fputs("%25", f);
            else if (*p == ':') fputs("%3A", f);
            else if (*p == ',') fputs("%2C", f);
            else fputc(*p, f);
        }
        fprintf(f, ",line=%u,col=%u,", st->line ? st->line : 1, st->col ? st->col : 1);
    }
    fputs("title=apicompat could not check::", f);
    if (st->path[0] && access(st->path, F_OK) != 0) fprintf(f, "%s: ", st->path);
    for (const char *p = st->msg; *p; p++) {
        if (*p == '%') fputs("%25", f);
        else if (*p == '\n') fputs("%0A", f);
        else if (*p == '\r') fputs("%0D", f);
        else fputc(*p, f);
    }
    fputc('\n', f);
}
