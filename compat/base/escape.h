/* Escaping text that came from an input (paths, pair names, git specs, element names, messages)
 * for the output it is written to.  A name in a pull request may hold a newline followed by
 * "::warning ..." (a workflow command), an escape sequence that repaints a terminal or a log, or
 * Markdown that links, mentions or hides.  Every writer of such text goes through one of these.
 *
 * "Unsafe" everywhere: C0 controls (U+0000-U+001F), DEL, C1 controls (U+0080-U+009F), the
 * bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069), the line and paragraph
 * separators (U+2028, U+2029), U+FFFE and U+FFFF, and bytes that are not UTF-8.  Each is shown
 * visibly (\n, \r, \t, else \xNN per byte) unless the output has its own rule for it. */
#ifndef AC_ESCAPE_H
#define AC_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One line of a terminal, a log or stderr: unsafe characters as \n, \r, \t, \xNN. */
void ac_esc_line(FILE *f, const char *s);

/* A GitHub Actions workflow command, by GitHub's rules: in the data (after "::") % CR LF become
 * %25 %0D %0A; in a property value (file=, title=) also ':' and ',' become %3A %2C.  Other unsafe
 * characters as \xNN, so no escape sequence reaches the log. */
void ac_esc_github(FILE *f, const char *s, bool property);

/* Markdown text (a table cell, a heading): one line, nothing that renders as a link, image,
 * autolink, mention, HTML, emphasis, code, math or a table column.  Markdown punctuation is
 * backslash-escaped, '<' and '>' become entities, "@" is followed by a zero-width space (no mention
 * or mail link), "://" and "www." are broken by a backslash (no autolink), '|' is "\|". */
void ac_esc_markdown(FILE *f, const char *s);
/* A Markdown code span holding s (delimited by more backticks than s holds in a row), one line,
 * with '|' as "\|" for a table cell. */
void ac_esc_markdown_code(FILE *f, const char *s);

/* XML 1.0 attribute values and text: & < > " as entities; unsafe characters (most are not even
 * allowed in XML 1.0) as \xNN, newline and tab as the character references &#10; and &#9;. */
void ac_esc_xml(FILE *f, const char *s);

/* A printed JSON document made safe in place of being written raw: cJSON escapes C0 controls but
 * writes DEL, C1 controls and bytes that are not UTF-8 as they are.  Writes json to f with DEL, C1
 * and the other unsafe code points as \u escapes, and invalid bytes as \ufffd (they only occur
 * inside strings). */
void ac_esc_json_write(FILE *f, const char *json);

#endif
