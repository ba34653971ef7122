#include "compat/base/doc.h"

#include "compat/base/decimal.h"
#include "compat/base/limits.h"
#include "compat/base/map.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* libyaml gives up on an implicit ("simple") key longer than this (YAML 1.2, 7.4.2). */
#define YAML_IMPLICIT_KEY_MAX 1024
#define NUL_MESSAGE "strings containing NUL (\\0) are not supported"

const ac_doc_limits ac_doc_default_limits = {
    .max_depth = AC_LIMIT_DOC_DEPTH,
    .max_nodes = AC_LIMIT_DOC_NODES,
    .max_bytes = AC_LIMIT_DOC_TREE_BYTES,
};

const char *ac_doc_type_name(ac_doc_type t)
{
    switch (t) {
    case AC_DOC_NULL: return "null";
    case AC_DOC_BOOL: return "boolean";
    case AC_DOC_NUMBER: return "number";
    case AC_DOC_STRING: return "string";
    case AC_DOC_SEQ: return "list";
    case AC_DOC_MAP: return "map";
    }
    return "?";
}

int ac_doc_fail_at(ac_status *st, const ac_doc *d, const ac_doc_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = ac_vfail(st, d->path, n ? n->line : 0, n ? n->col : 0, fmt, ap);
    va_end(ap);
    return rc;
}

int ac_doc_expect(ac_status *st, const ac_doc *d, const ac_doc_node *n, ac_doc_type t, const char *what)
{
    if (n->type == t) return AC_OK;
    return ac_doc_fail_at(st, d, n, "%s must be a %s, found a %s", what, ac_doc_type_name(t), ac_doc_type_name(n->type));
}

int ac_doc_check_keys(ac_status *st, const ac_doc *d, const ac_doc_node *map, const char *what,
                      const char *const *keys)
{
    for (size_t i = 0; i < map->n; i++) {
        bool ok = false;
        for (size_t k = 0; keys[k] && !ok; k++) ok = !strcmp(map->pairs[i].key->str, keys[k]);
        if (ok) continue;
        char list[512];
        size_t n = 0;
        list[0] = 0;
        for (size_t k = 0; keys[k] && n < sizeof list; k++)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", k ? ", " : "", keys[k]);
        return ac_doc_fail_at(st, d, map->pairs[i].key, "unknown key \"%s\"%s%s (expected %s)", map->pairs[i].key->str,
                              what ? " in " : "", what ? what : "", list);
    }
    return AC_OK;
}

bool ac_doc_is_scalar(const ac_doc_node *n)
{
    return n && n->type != AC_DOC_SEQ && n->type != AC_DOC_MAP;
}

ac_doc_pair *ac_doc_get_pair(const ac_doc_node *map, const char *key)
{
    if (!map || map->type != AC_DOC_MAP) return NULL;
    size_t kl = strlen(key);
    for (size_t i = 0; i < map->n; i++)
        if (map->pairs[i].key->len == kl && memcmp(map->pairs[i].key->str, key, kl) == 0) return &map->pairs[i];
    return NULL;
}

ac_doc_node *ac_doc_get(const ac_doc_node *map, const char *key)
{
    ac_doc_pair *p = ac_doc_get_pair(map, key);
    return p ? p->value : NULL;
}

/* ---- growable child lists while building ------------------------------------------------------ */

typedef struct frame {
    ac_doc_node *node;
    ac_doc_pair *pairs;
    ac_doc_node **items;
    size_t n, cap;
    ac_doc_node *pending_key; /* maps: key waiting for its value */
    ac_strmap keys;           /* maps: index of the keys so far, once the map is large */
    bool indexed;
    ac_doc_pair *merged;      /* maps: pairs from merge keys ("<<"), added at the end unless overridden */
    size_t nmerged, mcap;
    const char *anchor;
    size_t expanded; /* nodes below, aliases expanded */
} frame;

typedef struct anchor_def {
    const char *name;
    ac_doc_node *node;
    size_t expanded;
} anchor_def;

typedef struct builder {
    ac_arena *a;
    const char *path;
    ac_status *st;
    const ac_doc_limits *lim;
    frame *stack;
    size_t depth, cap;
    anchor_def *anchors;
    size_t nanchors, anchors_cap;
    ac_strmap anchor_at; /* name -> index + 1 in anchors of its latest definition */
    size_t total; /* expanded node count */
    ac_doc_node *root;
    size_t root_expanded;
    ac_strmap strings; /* text of scalars and keys -> its one copy */
    char *pool;        /* where short copies go, packed */
    size_t pool_left;
    ac_doc_node *slab; /* where the next nodes go */
    size_t slab_left;
} builder;

/* Keys and scalars repeat a lot ("type", "string", a shared description): a large API has a few
 * hundred thousand of them and a few tens of thousands distinct.  Each distinct text is stored
 * once, packed (an arena allocation each would round every copy up to 16 bytes).  The table stops
 * growing at STRINGS_MAX entries (about 15 MB), so that a hostile document of millions of distinct
 * keys does not double its cost: later texts are copied without it. */
#define STRINGS_MAX (1u << 18)
#define POOL_BLOCK (64 * 1024)

static const char *intern(builder *b, const char *s, size_t n)
{
    const char *known = ac_strmap_getn(&b->strings, s, n);
    if (known) return known;
    char *q;
    if (n >= POOL_BLOCK / 8) {
        q = ac_arena_alloc(b->a, n + 1);
    } else {
        if (b->pool_left < n + 1) {
            b->pool = ac_arena_alloc(b->a, POOL_BLOCK);
            b->pool_left = POOL_BLOCK;
        }
        q = b->pool;
        b->pool += n + 1;
        b->pool_left -= n + 1;
    }
    memcpy(q, s, n);
    q[n] = 0;
    if (b->strings.len < STRINGS_MAX) ac_strmap_putn(&b->strings, q, n, q);
    return q;
}

static int add_child(builder *b, ac_doc_node *child, size_t expanded, uint32_t line, uint32_t col);

/* Nodes come in slabs: one arena allocation each would round a node up to 48 bytes. */
#define SLAB_NODES 256

static ac_doc_node *new_node(builder *b, ac_doc_type t, uint32_t line, uint32_t col)
{
#ifdef AC_ARENA_MALLOC
    ac_doc_node *n = ac_arena_alloc(b->a, sizeof *n); /* one allocation each, for ASan */
#else
    if (!b->slab_left) {
        b->slab = ac_arena_alloc(b->a, SLAB_NODES * sizeof *b->slab);
        b->slab_left = SLAB_NODES;
    }
    ac_doc_node *n = b->slab++;
    b->slab_left--;
#endif
    n->type = t;
    n->line = line;
    n->col = col;
    return n;
}

static int push_frame(builder *b, ac_doc_node *n, const char *anchor, uint32_t line, uint32_t col)
{
    if (b->depth >= b->lim->max_depth)
        return ac_fail(b->st, b->path, line, col, "nesting deeper than %zu levels", b->lim->max_depth);
    if (b->depth == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 32;
        b->stack = ac_xrealloc(b->stack, b->cap * sizeof *b->stack);
    }
    frame *f = &b->stack[b->depth++];
    memset(f, 0, sizeof *f);
    f->node = n;
    f->anchor = anchor;
    return AC_OK;
}

static void remember_anchor(builder *b, const char *name, ac_doc_node *n, size_t expanded)
{
    if (!name) return;
    if (b->nanchors == b->anchors_cap) {
        b->anchors_cap = b->anchors_cap ? b->anchors_cap * 2 : 16;
        b->anchors = ac_xrealloc(b->anchors, b->anchors_cap * sizeof *b->anchors);
    }
    b->anchors[b->nanchors++] = (anchor_def){name, n, expanded};
    /* a later anchor of the same name overrides an earlier one, as YAML says */
    ac_strmap_put(&b->anchor_at, name, (void *)(uintptr_t)b->nanchors);
}

/* An indexed lookup: a document of 70,000 anchors and 120,000 aliases took 28 s scanning them. */
static anchor_def *find_anchor(builder *b, const char *name)
{
    size_t i = (size_t)(uintptr_t)ac_strmap_get(&b->anchor_at, name);
    return i ? &b->anchors[i - 1] : NULL;
}

/* Merges the pairs of src into the map being built (YAML merge key "<<"); existing keys win. */
/* The index in the frame's pairs of a key, or -1.  Small maps are scanned; large ones indexed. */
static long frame_find(frame *f, const ac_doc_node *key)
{
    if (!f->indexed && f->n >= 16) {
        ac_strmap_init(&f->keys);
        for (size_t j = 0; j < f->n; j++)
            ac_strmap_putn(&f->keys, f->pairs[j].key->str, f->pairs[j].key->len, (void *)(uintptr_t)(j + 1));
        f->indexed = true;
    }
    if (f->indexed) return (long)(uintptr_t)ac_strmap_getn(&f->keys, key->str, key->len) - 1;
    for (size_t j = 0; j < f->n; j++)
        if (f->pairs[j].key->len == key->len && memcmp(f->pairs[j].key->str, key->str, key->len) == 0) return (long)j;
    return -1;
}

static void frame_append(frame *f, ac_doc_pair p)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 8;
        f->pairs = ac_xrealloc(f->pairs, f->cap * sizeof *f->pairs);
    }
    f->pairs[f->n++] = p;
    if (f->indexed) ac_strmap_putn(&f->keys, p.key->str, p.key->len, (void *)(uintptr_t)f->n);
}

static void frame_release(frame *f)
{
    free(f->pairs);
    free(f->items);
    free(f->merged);
    if (f->indexed) ac_strmap_free(&f->keys);
}

/* Remembers the pairs of src for the map being built (YAML merge key "<<"); the map's own keys
 * win over merged ones whatever their order, and earlier merges win over later ones. */
static void merge_into(frame *f, const ac_doc_node *src)
{
    if (f->nmerged + src->n > f->mcap) { /* grown geometrically: many merges into one map stay linear */
        f->mcap = f->mcap * 2 > f->nmerged + src->n ? f->mcap * 2 : f->nmerged + src->n + 8;
        f->merged = ac_xrealloc(f->merged, f->mcap * sizeof *f->merged);
    }
    for (size_t i = 0; i < src->n; i++) f->merged[f->nmerged++] = src->pairs[i];
}

static void apply_merges(frame *f)
{
    for (size_t i = 0; i < f->nmerged; i++)
        if (frame_find(f, f->merged[i].key) < 0) frame_append(f, f->merged[i]);
}

static int add_child(builder *b, ac_doc_node *child, size_t expanded, uint32_t line, uint32_t col)
{
    b->total += expanded;
    if (b->total > b->lim->max_nodes)
        return ac_fail(b->st, b->path, line, col,
                       "document expands to more than %zu nodes (YAML aliases expand; is this an alias bomb?)",
                       b->lim->max_nodes);
    if (!b->depth) {
        b->root = child;
        b->root_expanded = expanded;
        return AC_OK;
    }
    frame *f = &b->stack[b->depth - 1];
    f->expanded += expanded;
    if (f->node->type == AC_DOC_SEQ) {
        if (f->n == f->cap) {
            f->cap = f->cap ? f->cap * 2 : 8;
            f->items = ac_xrealloc(f->items, f->cap * sizeof *f->items);
        }
        f->items[f->n++] = child;
        return AC_OK;
    }
    if (!f->pending_key) {
        if (!ac_doc_is_scalar(child))
            return ac_fail(b->st, b->path, line, col, "a map key must be a scalar, found a %s", ac_doc_type_name(child->type));
        if (child->type == AC_DOC_NULL && !child->len) child->str = "";
        f->pending_key = child;
        return AC_OK;
    }
    ac_doc_node *key = f->pending_key;
    f->pending_key = NULL;
    if (key->len == 2 && memcmp(key->str, "<<", 2) == 0 && key->type == AC_DOC_STRING) {
        if (child->type == AC_DOC_MAP) {
            merge_into(f, child);
            return AC_OK;
        }
        if (child->type == AC_DOC_SEQ) {
            for (size_t i = 0; i < child->n; i++)
                if (child->items[i]->type == AC_DOC_MAP) merge_into(f, child->items[i]);
            return AC_OK;
        }
    }
    long j = frame_find(f, key);
    if (j >= 0)
        return ac_fail(b->st, b->path, key->line, key->col, "duplicate key \"%.*s\" (first at line %u)",
                       (int)(key->len > 200 ? 200 : key->len), key->str, f->pairs[j].key->line);
    frame_append(f, (ac_doc_pair){key, child});
    return AC_OK;
}

static int pop_frame(builder *b, uint32_t line, uint32_t col)
{
    if (b->stack[b->depth - 1].nmerged) apply_merges(&b->stack[b->depth - 1]);
    frame f = b->stack[--b->depth];
    ac_doc_node *n = f.node;
    n->n = f.n;
    if (n->type == AC_DOC_MAP) {
        n->pairs = ac_arena_memdup(b->a, f.pairs ? (void *)f.pairs : "", f.n * sizeof *f.pairs);
        for (size_t i = 0; i < f.n; i++) {
            if (!f.pairs[i].value->parent) f.pairs[i].value->parent = n;
            f.pairs[i].key->parent = n;
        }
    } else {
        n->items = ac_arena_memdup(b->a, f.items ? (void *)f.items : "", f.n * sizeof *f.items);
        for (size_t i = 0; i < f.n; i++)
            if (!f.items[i]->parent) f.items[i]->parent = n;
    }
    frame_release(&f);
    size_t expanded = f.expanded + 1;
    remember_anchor(b, f.anchor, n, expanded);
    /* the node's own count was not added yet; its children were added as they came */
    b->total -= f.expanded;
    return add_child(b, n, expanded, line, col);
}

/* YAML 1.2 core schema for plain scalars. */
static void type_scalar(ac_doc_node *n, bool plain)
{
    n->type = AC_DOC_STRING;
    if (!plain) return;
    const char *s = n->str;
    size_t l = n->len;
#define IS(lit) (l == sizeof(lit) - 1 && memcmp(s, lit, l) == 0)
    if (l == 0 || IS("~") || IS("null") || IS("Null") || IS("NULL")) {
        n->type = AC_DOC_NULL;
        return;
    }
    if (IS("true") || IS("True") || IS("TRUE")) {
        n->type = AC_DOC_BOOL;
        n->b = true;
        return;
    }
    if (IS("false") || IS("False") || IS("FALSE")) {
        n->type = AC_DOC_BOOL;
        return;
    }
    if (IS(".inf") || IS(".Inf") || IS(".INF") || IS("+.inf")) {
        n->type = AC_DOC_NUMBER;
        n->num = 1e308 * 10;
        return;
    }
    if (IS("-.inf") || IS("-.Inf") || IS("-.INF")) {
        n->type = AC_DOC_NUMBER;
        n->num = -1e308 * 10;
        return;
    }
#undef IS
    /* [-+]? digits [. digits] [e[-+]digits], or 0x / 0o integers */
    size_t i = 0;
    if (s[i] == '-' || s[i] == '+') i++;
    if (i + 1 < l && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'o')) {
        size_t j = i + 2;
        int base = s[i + 1] == 'x' ? 16 : 8;
        if (j == l) return;
        for (; j < l; j++) {
            char c = s[j];
            bool ok = base == 16 ? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
                                 : (c >= '0' && c <= '7');
            if (!ok) return;
        }
        char buf[64];
        if (l >= sizeof buf) return;
        memcpy(buf, s + i + 2, l - i - 2);
        buf[l - i - 2] = 0;
        n->type = AC_DOC_NUMBER;
        n->num = (double)strtoull(buf, NULL, base) * (s[0] == '-' ? -1 : 1);
        return;
    }
    size_t digits = 0;
    while (i < l && s[i] >= '0' && s[i] <= '9') i++, digits++;
    if (i < l && s[i] == '.') {
        i++;
        while (i < l && s[i] >= '0' && s[i] <= '9') i++, digits++;
    }
    if (!digits) return;
    if (i < l && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < l && (s[i] == '-' || s[i] == '+')) i++;
        size_t ed = 0;
        while (i < l && s[i] >= '0' && s[i] <= '9') i++, ed++;
        if (!ed) return;
    }
    if (i != l) return;
    n->type = AC_DOC_NUMBER;
    n->num = strtod(s, NULL); /* s is the node's own NUL-terminated copy */
}

static const char *yaml_problem(const yaml_parser_t *p)
{
    return p->problem ? p->problem : "invalid YAML";
}

static int parse_yaml(builder *b, const char *text, size_t len)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    if (!yaml_parser_initialize(&parser)) ac_oom();
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int rc = AC_OK, docs = 0;
    bool done = false;
    while (!done && rc == AC_OK) {
        if (!yaml_parser_parse(&parser, &ev)) {
            if (parser.error == YAML_MEMORY_ERROR) ac_oom();
            yaml_mark_t m = parser.problem_mark, cm = parser.context_mark;
            char ctx[200] = "";
            if (parser.context && (cm.line != m.line || cm.column != m.column))
                snprintf(ctx, sizeof ctx, " %s (started at line %zu, column %zu)", parser.context, cm.line + 1,
                         cm.column + 1);
            else if (parser.context)
                snprintf(ctx, sizeof ctx, " %s", parser.context);
            if (parser.context && !strcmp(parser.context, "while scanning a simple key") &&
                m.index > cm.index + YAML_IMPLICIT_KEY_MAX)
                rc = ac_fail(b->st, b->path, (unsigned)cm.line + 1, (unsigned)cm.column + 1,
                             "invalid YAML: a key longer than %d characters (YAML's limit for implicit keys); "
                             "write it as an explicit key with \"? \"",
                             YAML_IMPLICIT_KEY_MAX);
            else
                rc = ac_fail(b->st, b->path, (unsigned)m.line + 1, (unsigned)m.column + 1, "invalid YAML: %s%s",
                             yaml_problem(&parser), ctx);
            break;
        }
        uint32_t line = (uint32_t)ev.start_mark.line + 1, col = (uint32_t)ev.start_mark.column + 1;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT: done = true; break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) rc = ac_fail(b->st, b->path, line, col, "expected one YAML document, found a second one");
            break;
        case YAML_SCALAR_EVENT: {
            if (memchr(ev.data.scalar.value, 0, ev.data.scalar.length)) {
                rc = ac_fail(b->st, b->path, line, col, NUL_MESSAGE);
                break;
            }
            ac_doc_node *n = new_node(b, AC_DOC_STRING, line, col);
            n->str = intern(b, (const char *)ev.data.scalar.value, ev.data.scalar.length);
            n->len = ev.data.scalar.length;
            bool plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
            if (ev.data.scalar.tag && strcmp((const char *)ev.data.scalar.tag, "tag:yaml.org,2002:str") == 0) plain = false;
            type_scalar(n, plain);
            if (n->type == AC_DOC_STRING && n->len == 2 && memcmp(n->str, "<<", 2) == 0 && !plain) n->str = "<< ";
            if (ev.data.scalar.anchor) remember_anchor(b, ac_arena_strdup(b->a, (const char *)ev.data.scalar.anchor), n, 1);
            rc = add_child(b, n, 1, line, col);
            break;
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            bool map = ev.type == YAML_MAPPING_START_EVENT;
            ac_doc_node *n = new_node(b, map ? AC_DOC_MAP : AC_DOC_SEQ, line, col);
            const unsigned char *anchor = map ? ev.data.mapping_start.anchor : ev.data.sequence_start.anchor;
            rc = push_frame(b, n, anchor ? ac_arena_strdup(b->a, (const char *)anchor) : NULL, line, col);
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: rc = pop_frame(b, line, col); break;
        case YAML_ALIAS_EVENT: {
            anchor_def *d = find_anchor(b, (const char *)ev.data.alias.anchor);
            if (!d) {
                rc = ac_fail(b->st, b->path, line, col, "alias \"*%s\" refers to no anchor", ev.data.alias.anchor);
                break;
            }
            /* a scalar is copied (O(1)) so that an error about the value points where it is used;
             * a map or list stays shared: it is one schema, one component, whatever its uses */
            ac_doc_node *n = d->node;
            if (ac_doc_is_scalar(n)) {
                n = new_node(b, AC_DOC_NULL, line, col);
                *n = *d->node;
                n->line = line;
                n->col = col;
                n->parent = NULL;
            }
            rc = add_child(b, n, d->expanded, line, col);
            break;
        }
        default: break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    for (size_t i = 0; i < b->depth; i++) frame_release(&b->stack[i]);
    return rc;
}

/* ---- JSON --------------------------------------------------------------------------------------- */

static void offset_to_pos(const char *text, size_t off, uint32_t *line, uint32_t *col)
{
    uint32_t l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* Offset of the first byte that is not valid UTF-8, or len. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
        if (!n || i + n > len) return i;
        for (size_t k = 1; k < n; k++)
            if ((s[i + k] & 0xC0) != 0x80) return i;
        if (n == 3 && ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] >= 0xA0))) return i;
        if (n == 4 && ((c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] >= 0x90))) return i;
        i += n;
    }
    return len;
}

/* Deepest nesting reached before offset stop (strings skipped). */
static size_t json_depth_at(const char *t, size_t len, size_t stop, size_t *where)
{
    size_t depth = 0, max = 0;
    bool in_str = false;
    for (size_t i = 0; i < len && i <= stop; i++) {
        char c = t[i];
        if (in_str) {
            if (c == '\\') i++;
            else if (c == '"') in_str = false;
            continue;
        }
        if (c == '"') in_str = true;
        else if (c == '{' || c == '[') {
            if (++depth > max) {
                max = depth;
                *where = i;
            }
        } else if (c == '}' || c == ']') {
            if (depth) depth--;
        }
    }
    return max;
}

typedef struct jconv {
    builder *b;
    size_t nodes;
    bool lossy; /* a number the double may not hold exactly: keep its text as written */
} jconv;

/* Beyond 2^53 a double no longer holds every integer. */
#define DOUBLE_EXACT_INT 9007199254740992.0

/* The shortest text that reads back as the same double ("%.17g" when none does), interned. */
static const char *number_text(builder *b, double v)
{
    char buf[AC_DOUBLE_TEXT];
    const char *t = ac_double_text(v, buf);
    return intern(b, t, strlen(t));
}

/* Converts a cJSON tree without recursion on the C stack beyond the document's own depth, which
 * cJSON already bounded. */
static ac_doc_node *from_cjson(jconv *jc, const cJSON *j, int depth)
{
    builder *b = jc->b;
    if (++jc->nodes > b->lim->max_nodes) return NULL;
    ac_doc_node *n = new_node(b, AC_DOC_NULL, 0, 0);
    if (cJSON_IsBool(j)) {
        n->type = AC_DOC_BOOL;
        n->b = cJSON_IsTrue(j);
        n->str = n->b ? "true" : "false";
        n->len = strlen(n->str);
    } else if (cJSON_IsNumber(j)) {
        n->type = AC_DOC_NUMBER;
        n->num = j->valuedouble;
        if (!(n->num > -DOUBLE_EXACT_INT && n->num < DOUBLE_EXACT_INT)) jc->lossy = true; /* NaN too */
        n->str = number_text(b, n->num);
        n->len = strlen(n->str);
    } else if (cJSON_IsString(j)) {
        n->type = AC_DOC_STRING;
        n->len = strlen(j->valuestring);
        n->str = intern(b, j->valuestring, n->len);
    } else if (cJSON_IsArray(j)) {
        n->type = AC_DOC_SEQ;
        n->n = (size_t)cJSON_GetArraySize(j);
        n->items = ac_arena_alloc(b->a, (n->n ? n->n : 1) * sizeof *n->items);
        size_t i = 0;
        for (const cJSON *c = j->child; c; c = c->next, i++) {
            if (!(n->items[i] = from_cjson(jc, c, depth + 1))) return NULL;
            n->items[i]->parent = n;
        }
    } else if (cJSON_IsObject(j)) {
        n->type = AC_DOC_MAP;
        n->n = (size_t)cJSON_GetArraySize(j);
        n->pairs = ac_arena_alloc(b->a, (n->n ? n->n : 1) * sizeof *n->pairs);
        size_t i = 0;
        for (const cJSON *c = j->child; c; c = c->next, i++) {
            ac_doc_node *k = new_node(b, AC_DOC_STRING, 0, 0);
            k->len = c->string ? strlen(c->string) : 0;
            k->str = intern(b, c->string ? c->string : "", k->len);
            k->parent = n;
            ac_doc_node *v = from_cjson(jc, c, depth + 1);
            if (!v) return NULL;
            v->parent = n;
            n->pairs[i] = (ac_doc_pair){k, v};
        }
    }
    return n;
}

/* Finds duplicate keys in maps; returns the second occurrence's key node, or NULL. */
static ac_doc_node *find_duplicate(ac_doc_node *n, ac_doc_node **first)
{
    if (n->type == AC_DOC_SEQ) {
        for (size_t i = 0; i < n->n; i++) {
            ac_doc_node *d = find_duplicate(n->items[i], first);
            if (d) return d;
        }
    } else if (n->type == AC_DOC_MAP) {
        if (n->n > 1) {
            ac_strmap seen;
            ac_strmap_init(&seen);
            for (size_t i = 0; i < n->n; i++) {
                ac_doc_node *k = n->pairs[i].key;
                ac_doc_node *prev = ac_strmap_getn(&seen, k->str, k->len);
                if (prev) {
                    ac_strmap_free(&seen);
                    *first = prev;
                    return k;
                }
                ac_strmap_putn(&seen, k->str, k->len, k);
            }
            ac_strmap_free(&seen);
        }
        for (size_t i = 0; i < n->n; i++) {
            ac_doc_node *d = find_duplicate(n->pairs[i].value, first);
            if (d) return d;
        }
    }
    return NULL;
}

static void json_fill_positions(const char *t, size_t len, ac_doc_node *root, ac_arena *texts);

/* Offset of the first "\u0000" escape in JSON text, or len: cJSON would cut the string there. */
static size_t json_nul_escape_at(const char *t, size_t len)
{
    for (const char *p = t; (p = memchr(p, '\\', len - (size_t)(p - t)));) {
        if ((size_t)(t + len - p) >= 6 && !memcmp(p + 1, "u0000", 5)) return (size_t)(p - t);
        p += 2; /* the escaped character, whatever it is */
        if (p >= t + len) break;
    }
    return len;
}

/* cJSON allocates through process-wide hooks and records its last error in a process-wide
 * variable.  The hooks are installed once and send a parse's nodes to the arena of the thread that
 * parses (anything else, such as the reporters' trees, to the heap); the parse itself holds a lock,
 * since two loaders may read JSON at once and cJSON's error position is shared. */
static _Thread_local ac_arena *json_arena;
static pthread_once_t json_hooks_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t json_parse_lock = PTHREAD_MUTEX_INITIALIZER;

static void *json_alloc(size_t n)
{
    return json_arena ? ac_arena_alloc(json_arena, n) : ac_xmalloc(n);
}

static void json_free(void *p)
{
    if (!json_arena) free(p); /* an arena goes at once */
}

static void install_json_hooks(void)
{
    cJSON_Hooks h = {json_alloc, json_free};
    cJSON_InitHooks(&h);
}

/* cJSON's reading of the text.  On success *out is the converted tree, without positions. */
static int parse_cjson(builder *b, const char *text, size_t len, bool *lossy, ac_doc_node **out)
{
    const char *end = NULL;
    /* cJSON's nodes and strings come from an arena for the parse: converted, then dropped at once */
    ac_arena *pa = ac_arena_new();
    pthread_once(&json_hooks_once, install_json_hooks);
    pthread_mutex_lock(&json_parse_lock);
    json_arena = pa;
    cJSON *j = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    const char *ep = j ? NULL : cJSON_GetErrorPtr();
    json_arena = NULL;
    pthread_mutex_unlock(&json_parse_lock);
    if (j && end) {
        /* only whitespace may follow the value */
        const char *p = end;
        while (p < text + len && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
        if (p < text + len) {
            ac_arena_free(pa);
            uint32_t l, c;
            offset_to_pos(text, (size_t)(p - text), &l, &c);
            return ac_fail(b->st, b->path, l, c, "invalid JSON: unexpected text after the document");
        }
    }
    if (!j) {
        ac_arena_free(pa);
        size_t off = end && end >= text ? (size_t)(end - text) : 0;
        if (ep && ep >= text && ep <= text + len) off = (size_t)(ep - text);
        /* a trailing comma: cJSON stops one past the bracket that should have been a value */
        if (off >= 2 && off <= len && (text[off - 1] == '}' || text[off - 1] == ']')) {
            size_t r = off - 2;
            while (r > 0 && (text[r] == ' ' || text[r] == '\t' || text[r] == '\r' || text[r] == '\n')) r--;
            if (text[r] == ',') off--;
        }
        size_t where = 0, depth = json_depth_at(text, len, off, &where);
        uint32_t l, c;
        if (depth >= CJSON_NESTING_LIMIT) {
            offset_to_pos(text, where, &l, &c);
            return ac_fail(b->st, b->path, l, c, "nesting deeper than %d levels", CJSON_NESTING_LIMIT);
        }
        offset_to_pos(text, off, &l, &c);
        return ac_fail(b->st, b->path, l, c, "invalid JSON%s", off >= len ? ": unexpected end of input" : "");
    }
    jconv jc = {b, 0, false};
    ac_doc_node *root = from_cjson(&jc, j, 0);
    ac_arena_free(pa);
    if (!root) return ac_fail(b->st, b->path, 1, 1, "document has more than %zu nodes", b->lim->max_nodes);
    *lossy = jc.lossy;
    *out = root;
    return AC_OK;
}

static int parse_json(builder *b, ac_doc *d, const char *text, size_t len)
{
    size_t bad = utf8_invalid_at((const unsigned char *)text, len);
    if (bad < len) {
        uint32_t l, c;
        offset_to_pos(text, bad, &l, &c);
        return ac_fail(b->st, b->path, l, c, "invalid UTF-8 in JSON text");
    }
    size_t nul = json_nul_escape_at(text, len);
    if (nul < len) {
        uint32_t l, c;
        offset_to_pos(text, nul, &l, &c);
        return ac_fail(b->st, b->path, l, c, NUL_MESSAGE);
    }
    ac_doc_node *root = NULL;
    bool lossy = false;
    int rc = parse_cjson(b, text, len, &lossy, &root);
    if (rc) return rc;
    b->root = root;
    d->root = root;
    /* numbers beyond what a double holds exactly keep their text as written (rare) */
    json_fill_positions(text, len, root, lossy ? b->a : NULL);
    ac_doc_node *first = NULL, *dup = find_duplicate(root, &first);
    if (dup)
        return ac_fail(b->st, b->path, dup->line, dup->col, "duplicate key \"%.*s\" (first at line %u)",
                       (int)(dup->len > 200 ? 200 : dup->len), dup->str, first->line);
    return AC_OK;
}

/* Walks the JSON text in document order alongside the tree, giving every node its position: for
 * the trees cJSON read.  With texts, numbers also get their text as written (from that arena), as
 * YAML numbers have. */
static void json_fill_positions(const char *t, size_t len, ac_doc_node *root, ac_arena *texts)
{
    size_t i = 0;
    uint32_t line = 1, col = 1;
    typedef struct {
        ac_doc_node *n;
        size_t next;
    } pos_frame;
    pos_frame *stack = NULL;
    size_t depth = 0, cap = 0;
    ac_doc_node *expect = root; /* the node whose value starts next */
#define ADV()                                                                              \
    do {                                                                                   \
        if (t[i] == '\n') {                                                                \
            line++;                                                                        \
            col = 1;                                                                       \
        } else if (((unsigned char)t[i] & 0xC0) != 0x80) {                                 \
            col++;                                                                         \
        }                                                                                  \
        i++;                                                                               \
    } while (0)
    while (i < len) {
        char c = t[i];
        ac_doc_node *number = NULL; /* the value whose token starts here */
        /* cJSON skips every control character as white space; so does this walk */
        if ((unsigned char)c <= ' ' || c == ',' || c == ':') {
            ADV();
            continue;
        }
        if (c == '}' || c == ']') {
            if (depth) depth--;
            ADV();
            expect = NULL;
            if (depth) {
                pos_frame *f = &stack[depth - 1];
                if (f->n->type == AC_DOC_SEQ && f->next < f->n->n) expect = f->n->items[f->next++];
            }
            continue;
        }
        /* a key inside a map? */
        if (depth && stack[depth - 1].n->type == AC_DOC_MAP && !expect) {
            pos_frame *f = &stack[depth - 1];
            if (c == '"' && f->next < f->n->n) {
                ac_doc_pair *p = &f->n->pairs[f->next++];
                p->key->line = line;
                p->key->col = col;
                expect = p->value;
            }
        } else if (expect) {
            expect->line = line;
            expect->col = col;
            ac_doc_node *cur = expect;
            number = cur;
            expect = NULL;
            if (c == '{' || c == '[') {
                if (depth == cap) {
                    cap = cap ? cap * 2 : 64;
                    stack = ac_xrealloc(stack, cap * sizeof *stack);
                }
                stack[depth++] = (pos_frame){cur, 0};
                ADV();
                if (cur->type == AC_DOC_SEQ && cur->n) expect = cur->items[stack[depth - 1].next++];
                continue;
            }
        }
        /* skip a scalar token */
        if (c == '"') {
            ADV();
            while (i < len && t[i] != '"') {
                if (t[i] == '\\' && i + 1 < len) ADV();
                ADV();
            }
            if (i < len) ADV();
        } else {
            size_t start = i;
            while (i < len && (unsigned char)t[i] > ' ' && !strchr(",:}]", t[i])) ADV();
            if (i == start) ADV(); /* always move on */
            else if (texts && number && number->type == AC_DOC_NUMBER) {
                number->str = ac_arena_strndup(texts, t + start, i - start);
                number->len = (uint32_t)(i - start);
            }
        }
        if (depth && !expect) {
            pos_frame *f = &stack[depth - 1];
            if (f->n->type == AC_DOC_SEQ && f->next < f->n->n) expect = f->n->items[f->next++];
        }
    }
#undef ADV
    free(stack);
}

int ac_doc_parse(ac_doc **out, ac_arena *a, const char *path, const char *text, size_t len, const ac_doc_limits *lim,
                 ac_status *st)
{
    if (!lim) lim = &ac_doc_default_limits;
    if (len > lim->max_bytes) return ac_fail(st, path, 0, 0, "file is larger than %zu bytes", lim->max_bytes);
    builder b;
    memset(&b, 0, sizeof b);
    b.a = a;
    b.path = path;
    b.st = st;
    b.lim = lim;
    ac_doc *d = ac_arena_alloc(a, sizeof *d);
    d->path = ac_arena_strdup(a, path);
    /* a UTF-8 byte order mark is not part of the document */
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        len -= 3;
    }
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) i++;
    int rc;
    const char *bom = len >= 4 && (!memcmp(text, "\xFF\xFE\0\0", 4) || !memcmp(text, "\0\0\xFE\xFF", 4)) ? "UTF-32"
                    : len >= 2 && (!memcmp(text, "\xFF\xFE", 2) || !memcmp(text, "\xFE\xFF", 2))       ? "UTF-16"
                                                                                                     : NULL;
    if (bom) {
        rc = ac_fail(st, path, 1, 1, "not a UTF-8 text document (a %s byte order mark); save it as UTF-8", bom);
    } else if (memchr(text, 0, len)) {
        uint32_t l, c;
        offset_to_pos(text, (size_t)((const char *)memchr(text, 0, len) - text), &l, &c);
        rc = ac_fail(st, path, l, c, "unexpected NUL byte: not a UTF-8 text document");
    } else if (i < len && (text[i] == '{' || text[i] == '[')) {
        rc = parse_json(&b, d, text, len);
    } else {
        rc = parse_yaml(&b, text, len);
        d->root = b.root;
    }
    free(b.stack);
    free(b.anchors);
    ac_strmap_free(&b.anchor_at);
    ac_strmap_free(&b.strings);
    if (rc) return rc;
    if (!d->root) return ac_fail(st, path, 1, 1, "empty document");
    *out = d;
    return AC_OK;
}
