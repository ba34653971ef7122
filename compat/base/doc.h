/* One document tree for YAML and JSON, with a 1-based line:column on every node.
 *
 * YAML is read with libyaml, JSON with cJSON (positions from one pass over the text right after).
 * The tree lives in the caller's arena; the third-party trees are released before the parse
 * function returns.  Limits on depth, node count and alias expansion make hostile documents end
 * with an error, never a crash or a hang. */
#ifndef AC_DOC_H
#define AC_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compat/base/arena.h"
#include "compat/base/status.h"

typedef enum { AC_DOC_NULL, AC_DOC_BOOL, AC_DOC_NUMBER, AC_DOC_STRING, AC_DOC_SEQ, AC_DOC_MAP } ac_doc_type;

typedef struct ac_doc_node ac_doc_node;
typedef struct ac_doc_pair {
    ac_doc_node *key; /* a scalar; key->str is its text */
    ac_doc_node *value;
} ac_doc_pair;

/* 40 bytes: a large API has a million of them (keys are nodes too). */
struct ac_doc_node {
    const char *str; /* scalars: the text as written (numbers and booleans too) */
    union {
        double num;          /* numbers */
        ac_doc_pair *pairs;  /* maps */
        ac_doc_node **items; /* sequences */
    };
    ac_doc_node *parent;
    uint32_t line, col; /* 1-based */
    uint32_t len;       /* of str */
    uint32_t n : 28;    /* pairs or items (the node limit keeps it far below 2^28) */
    uint32_t type : 3;  /* ac_doc_type */
    bool b : 1;
};

typedef struct ac_doc_limits {
    size_t max_depth;   /* nesting */
    size_t max_nodes;   /* nodes after alias expansion */
    size_t max_bytes;   /* input size */
} ac_doc_limits;

typedef struct ac_doc {
    const char *path;  /* as shown in messages */
    ac_doc_node *root;
} ac_doc;

extern const ac_doc_limits ac_doc_default_limits;

/* Parses YAML or JSON (detected from the content).  The document keeps nothing of the text: the
 * caller may free it once this returns.  On error *out is unset and st says where and what. */
int ac_doc_parse(ac_doc **out, ac_arena *a, const char *path, const char *text, size_t len, const ac_doc_limits *lim,
                 ac_status *st);

/* Map lookup by key text; NULL when absent or when node is not a map. */
ac_doc_node *ac_doc_get(const ac_doc_node *map, const char *key);
ac_doc_pair *ac_doc_get_pair(const ac_doc_node *map, const char *key);
const char *ac_doc_type_name(ac_doc_type t);

/* Typed readers for documents read as configuration (apicompat.yaml, buf.yaml, manifests) and
 * for OpenAPI's own keywords: each fails at the node, naming what was expected. */
int ac_doc_fail_at(ac_status *st, const ac_doc *d, const ac_doc_node *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* AC_OK when n has type t; else "WHAT must be a T, found a U" at n. */
int ac_doc_expect(ac_status *st, const ac_doc *d, const ac_doc_node *n, ac_doc_type t, const char *what);
/* AC_OK when every key of map is in keys (NULL-terminated); else "unknown key "K" in WHAT
 * (expected A, B, ...)" at the key ("in WHAT" left out when what is NULL). */
int ac_doc_check_keys(ac_status *st, const ac_doc *d, const ac_doc_node *map, const char *what,
                      const char *const *keys);
bool ac_doc_is_scalar(const ac_doc_node *n);

#endif
