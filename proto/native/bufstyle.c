/* What buf writes differently from protoc, for the files of an editions compilation: buf 1.75
 * (protocompile's newer compiler) gives comments to tokens by its own paragraph rules, measures
 * columns as display widths, prints default values as Go's strconv does and orders a file's
 * locations by span.  The parser, the option interpreter and the encoder call these only when
 * the compilation follows buf (nt_file.buf_style); protoc's output never goes through here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nt.h"

static bool is_space_byte(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n'; }
static bool is_word_byte(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* ---- which compilations ---- */

bool nt_is_edition_source(const char *src, size_t len)
{
    size_t i = 0;
    if (len >= 3 && (unsigned char)src[0] == 0xef && (unsigned char)src[1] == 0xbb && (unsigned char)src[2] == 0xbf) i = 3;
    while (i < len) {
        if (is_space_byte((unsigned char)src[i])) {
            i++;
        } else if (src[i] == '/' && i + 1 < len && src[i + 1] == '/') {
            while (i < len && src[i] != '\n') i++;
        } else if (src[i] == '/' && i + 1 < len && src[i + 1] == '*') {
            i += 2;
            while (i < len && !(src[i] == '*' && i + 1 < len && src[i + 1] == '/')) i++;
            i += 2;
        } else {
            break;
        }
    }
    return i + 7 <= len && memcmp(src + i, "edition", 7) == 0 && (i + 7 == len || !is_word_byte((unsigned char)src[i + 7]));
}

/* ---- order ---- */

int nt_go_span_cmp(const int *a, int na, const int *b, int nb)
{
    /* slices.Compare: element by element, then the shorter first (so a one-line span's end column
     * meets a longer span's end line) */
    for (int i = 0; i < na && i < nb; i++)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return (na > nb) - (na < nb);
}
