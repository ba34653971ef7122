/* Numbers as written in a contract, compared exactly: a YAML or JSON number may say more than a
 * double holds (2^53 + 1, 1e400), and two different bounds must never compare equal. */
#ifndef AC_DECIMAL_H
#define AC_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>

/* Decimal text as digits * 10^exp, digits without leading or trailing zeros ("" for zero). */
typedef struct ac_decimal {
    bool neg;
    const char *digits; /* into buf */
    size_t ndigits;
    long exp;
    char *buf; /* the caller frees it */
} ac_decimal;

/* false when the text is not a decimal number (0x1F, .inf); then nothing is left to free. */
bool ac_decimal_parse(const char *s, size_t len, ac_decimal *out);
bool ac_decimal_equal(const ac_decimal *a, const ac_decimal *b);
/* -1, 0 or 1 as a is less than, equal to or greater than b. */
int ac_decimal_cmp(const ac_decimal *a, const ac_decimal *b);
/* The shortest text of a decimal: 12000, 1.25, 1e400, -3e-7.  The caller frees it. */
char *ac_decimal_text(const ac_decimal *x);

/* The shortest text that reads back as v ("%g" style: 0.1, 1e+100, inf) into buf. */
#define AC_DOUBLE_TEXT 32
const char *ac_double_text(double v, char buf[AC_DOUBLE_TEXT]);
/* The exact decimal of a number written as text whose double v does not hold it (2^53 + 1,
 * 1e400), malloc'd; NULL when v says the same as the text, or the text is not decimal (0x1F). */
char *ac_decimal_exact(const char *text, size_t len, double v);
/* Two numbers compared exactly: each is its exact text when it has one, else its double. */
int ac_number_cmp(double a, const char *a_exact, double b, const char *b_exact);

#endif
