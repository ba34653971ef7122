/* Internal to compat/validate: what validate.c and format.c share. */
#ifndef AC_VALIDATE_INTERNAL_H
#define AC_VALIDATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "compat/base/doc.h"

/* A number whose value is a whole number (1, 1.0, 1e400), judged on the text as written. */
bool ac_val_is_integer(const ac_doc_node *x);
/* -1, 0, 1 as the number x is below, equal to or above the decimal text t. */
int ac_val_num_cmp_text(const ac_doc_node *x, const char *t);
/* NULL when x fits format (or format is not checked), else the reason (static, or written to buf). */
const char *ac_val_check_format(const char *format, const ac_doc_node *x, char *buf, size_t n);

#endif
