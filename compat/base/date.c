/* Calendar dates as days since 1970-01-01: sunset dates, ignores' until dates, today. */
#include "compat/base/date.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Days since 1970-01-01 of "YYYY-MM-DD" (or an RFC 3339 date-time); -1 when it does not parse. */
long ac_parse_date(const char *s)
{
    if (!s || strlen(s) < 10) return -1;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i])) return -1;
    if (s[10] && s[10] != 'T' && s[10] != 't' && s[10] != ' ') return -1;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap)) return -1;
    /* days from civil (Howard Hinnant's algorithm) */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

/* Today, for ignores' until dates and sunsets: $APICOMPAT_TODAY (YYYY-MM-DD) when set, else the clock. */
long ac_today(void)
{
    const char *e = getenv("APICOMPAT_TODAY");
    long d = e ? ac_parse_date(e) : -1;
    return d >= 0 ? d : (long)(time(NULL) / 86400);
}
