#include "compat/base/status.h"

#include "compat/base/escape.h"

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

int ac_fail_path(ac_status *st, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool first = st->code == AC_OK;
    int r = ac_vfail(st, path, 0, 0, fmt, ap);
    va_end(ap);
    if (first) st->whole = true;
    return r;
}

void ac_status_print(const ac_status *st, FILE *f)
{
    /* the path and the message may quote an input: one line, no escape sequences */
    if (st->path[0]) {
        ac_esc_line(f, st->path);
        if (st->whole) fputs(": ", f);
        else fprintf(f, ":%u:%u: ", st->line ? st->line : 1, st->col ? st->col : 1);
    } else {
        fputs("apicompat: ", f);
    }
    ac_esc_line(f, st->msg);
    fputc('\n', f);
}

void ac_status_print_github(const ac_status *st, FILE *f)
{
    fputs("::error ", f);
    bool exists = st->path[0] && access(st->path, F_OK) == 0;
    if (exists) {
        fputs("file=", f);
        ac_esc_github(f, st->path, true);
        fprintf(f, ",line=%u,col=%u,", st->line ? st->line : 1, st->col ? st->col : 1);
    }
    fputs("title=apicompat could not check::", f);
    if (st->path[0] && !exists) {
        ac_esc_github(f, st->path, false);
        fputs(": ", f);
    }
    ac_esc_github(f, st->msg, false);
    fputc('\n', f);
}
