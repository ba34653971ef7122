/* Calendar dates as days since 1970-01-01. */
#ifndef AC_DATE_H
#define AC_DATE_H

/* Days since 1970-01-01 of "YYYY-MM-DD" (or an RFC 3339 date-time); -1 when it does not parse. */
long ac_parse_date(const char *s);
/* Today: $APICOMPAT_TODAY (YYYY-MM-DD) when set, else the clock. */
long ac_today(void);

#endif
