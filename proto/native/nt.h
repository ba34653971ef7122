/* Internal to proto/native/: the native .proto front end (lexer, parser, builder, encoder).
 * The shapes follow protoc's: a parser that fills descriptor-like structs with uninterpreted
 * options and a source-location list, then a builder that resolves names, validates, interprets
 * options and writes the FileDescriptorSet wire format. */
#ifndef AC_NT_H
#define AC_NT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "compat/base/arena.h"
#include "compat/base/map.h"

/* ---- growable arrays in an arena (old storage is left to the arena) ---- */
#define NT_VEC(T) struct { T *v; int n, cap; }
void nt_grow(ac_arena *a, void **v, int *cap, size_t elem);
#define NT_PUSH(a, vec)                                                                            \
    (((vec).n == (vec).cap ? nt_grow((a), (void **)&(vec).v, &(vec).cap, sizeof *(vec).v) : (void)0), \
     &(vec).v[(vec).n++])
/* The same on the heap (realloc: no old copies left behind), for the few arrays that grow large,
 * such as a file's source locations; the owner frees vec.v. */
void nt_grow_heap(void **v, int *cap, size_t elem);
#define NT_PUSH_HEAP(vec)                                                                          \
    (((vec).n == (vec).cap ? nt_grow_heap((void **)&(vec).v, &(vec).cap, sizeof *(vec).v) : (void)0), \
     &(vec).v[(vec).n++])

/* ---- a byte buffer on the heap ---- */
typedef struct nt_buf {
    uint8_t *p;
    size_t n, cap;
    ac_arena *a; /* when set, the bytes live in this arena (nt_buf_free leaves them) */
} nt_buf;
/* Makes room for `more` bytes after b->n. */
void nt_buf_reserve(nt_buf *b, size_t more);
static inline void nt_buf_put(nt_buf *b, const void *p, size_t n)
{
    if (b->cap - b->n < n) nt_buf_reserve(b, n);
    if (n) memcpy(b->p + b->n, p, n);
    b->n += n;
}
static inline void nt_buf_byte(nt_buf *b, uint8_t c)
{
    if (b->cap == b->n) nt_buf_reserve(b, 1);
    b->p[b->n++] = c;
}
void nt_buf_free(nt_buf *b);

/* ---- errors: every error of the compilation, in order ---- */
typedef struct nt_err {
    const char *file; /* import path */
    int line, col;    /* 0-based; line < 0: no position */
    const char *msg;
} nt_err;
typedef NT_VEC(nt_err) nt_errs;

/* ---- tokens ---- */
typedef enum { NT_T_START, NT_T_END, NT_T_IDENT, NT_T_INT, NT_T_FLOAT, NT_T_STRING, NT_T_SYMBOL } nt_toktype;

typedef struct nt_tok {
    nt_toktype type;
    const char *text;
    int len;
    int line, col, end_col;
} nt_tok;

typedef struct nt_lexer {
    ac_arena *a;
    const char *buf;
    size_t len, pos;
    int ch; /* current char (unsigned), 0 at end */
    bool eof;
    int line, col;
    nt_tok cur, prev;
    nt_errs *errs;
    const char *file;
    nt_buf scratch[2]; /* comment text being collected, kept between tokens (nt_lex_free) */
    ac_arena *ca;      /* where comment text goes (a unless set) */
} nt_lexer;

void nt_lex_init(nt_lexer *lx, ac_arena *a, const char *file, const char *buf, size_t len, nt_errs *errs);
bool nt_lex_next(nt_lexer *lx);
void nt_lex_free(nt_lexer *lx);
/* Like protoc's Tokenizer::NextWithComments; any out-pointer may be NULL. */
typedef NT_VEC(char *) nt_strv;
bool nt_lex_next_comments(nt_lexer *lx, char **prev_trailing, nt_strv *detached, char **next_leading);
void nt_error(ac_arena *a, nt_errs *errs, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
bool nt_parse_uint(const char *text, int len, uint64_t max, uint64_t *out);
double nt_parse_float(const char *text, int len);
/* Appends the unescaped value of a string token (with its quotes) to b. */
void nt_unescape(const char *text, int len, nt_buf *b);

/* ---- the parsed tree (descriptor-shaped) ---- */
typedef struct nt_pos {
    int line, col; /* 0-based; line < 0 unknown */
} nt_pos;

enum { NT_V_NONE, NT_V_IDENT, NT_V_POS, NT_V_NEG, NT_V_DOUBLE, NT_V_STRING, NT_V_AGG };

typedef struct nt_namepart {
    char *part;
    bool ext;
} nt_namepart;

typedef struct nt_uopt {
    nt_namepart *names;
    int nnames;
    int kind;
    char *ident;
    uint64_t u;
    int64_t i;
    double d;
    char *str;
    size_t strlen;
    char *agg;
    nt_pos name_pos, value_pos;
    int *path; /* source path of the uninterpreted_option location */
    int npath;
    /* buf style, an aggregate value: per token of agg, its byte offset in agg and its source
     * line, column and end column (nt_aggtok), for the locations of the fields it sets */
    struct nt_aggtok *aggtok;
    int naggtok;
} nt_uopt;

typedef struct nt_aggtok {
    int off, line, col, end_col;
} nt_aggtok;

/* one field of an interpreted options message, encoded with its tag */
typedef struct nt_optent {
    int number;
    bool known; /* a field protoc's own descriptor.proto knows: serialized first, by number */
    uint8_t *bytes;
    size_t len;
} nt_optent;

typedef struct nt_opts {
    bool present;
    NT_VEC(nt_uopt *) u;
    bool map_entry;
    NT_VEC(nt_optent) ents;
} nt_opts;

struct nt_msg;
struct nt_enum;
struct nt_file;

typedef struct nt_field {
    char *name;
    int number;
    int label; /* 0 unset */
    int type;  /* 0 unset */
    char *type_name, *extendee, *default_value, *json_name;
    bool has_default, has_json, has_oneof, proto3_optional;
    int oneof_index;
    nt_opts opts;
    nt_pos pos_name, pos_type, pos_number, pos_default, pos_extendee, pos_json;
    /* resolved */
    char *full_name;
    struct nt_msg *parent; /* containing message (or scope for extensions) */
    char *scope;           /* full name of the enclosing scope (message or package) */
    struct nt_msg *rmsg;   /* message type */
    struct nt_enum *renum; /* enum type */
    struct nt_msg *rext;   /* extendee */
    struct nt_file *file;
    bool is_ext;
    bool packed_opt, has_packed_opt;
} nt_field;

typedef struct nt_range {
    int start, end;
    nt_opts opts;
    nt_pos pos;
} nt_range;

typedef struct nt_oneof {
    char *name;
    nt_opts opts;
    nt_pos pos_name;
} nt_oneof;

typedef struct nt_msg {
    char *name, *full_name;
    NT_VEC(nt_field *) fields;
    NT_VEC(nt_field *) exts;
    NT_VEC(struct nt_msg *) nested;
    NT_VEC(struct nt_enum *) enums;
    NT_VEC(nt_range *) ext_ranges;
    NT_VEC(nt_oneof *) oneofs;
    NT_VEC(nt_range) reserved;
    NT_VEC(char *) reserved_names;
    nt_opts opts;
    nt_pos pos_name;
    struct nt_file *file;
    struct nt_msg *parent;
    bool built;
    int syntax; /* of its file: 2, 3, or 2023 for editions */
} nt_msg;

typedef struct nt_enumval {
    char *name, *full_name;
    int number;
    nt_opts opts;
    nt_pos pos_name, pos_number;
    struct nt_enum *parent;
} nt_enumval;

typedef struct nt_enum {
    char *name, *full_name;
    NT_VEC(nt_enumval *) values;
    nt_opts opts;
    NT_VEC(nt_range) reserved;
    NT_VEC(char *) reserved_names;
    nt_pos pos_name;
    struct nt_file *file;
    struct nt_msg *parent;
} nt_enum;

typedef struct nt_method {
    char *name, *full_name, *in, *out;
    bool cs, ss;
    nt_opts opts;
    nt_pos pos_name, pos_in, pos_out;
    struct nt_msg *rin, *rout;
} nt_method;

typedef struct nt_service {
    char *name, *full_name;
    NT_VEC(nt_method *) methods;
    nt_opts opts;
    nt_pos pos_name;
} nt_service;

typedef struct nt_loc {
    int *path;
    int npath;
    int span[4];
    int nspan;
    char *lead, *trail;
    char **detached;
    int ndetached;
    int off; /* buf style: byte offset of the first token, whose comments are the location's */
} nt_loc;
/* A location buf does not write (buf style); kept in the list so that indexes stay valid. */
#define NT_LOC_DROPPED(l) ((l)->nspan == 0)

typedef struct nt_file {
    char *name;
    char *package;
    bool has_package;
    char *syntax; /* as written; NULL when absent */
    int edition;  /* 0, or e.g. 1000 for "2023" */
    int syn;      /* 2, 3, or 2023 */
    bool buf_style; /* compiled as buf does (an editions compilation): see bufstyle.c */
    bool *dep_used; /* buf style: per import, whether a name was found through it (NULL: none) */
    NT_VEC(char *) deps;
    NT_VEC(nt_pos) dep_pos;
    NT_VEC(int) pub, weak;
    NT_VEC(nt_msg *) msgs;
    NT_VEC(nt_enum *) enums;
    NT_VEC(nt_service *) services;
    NT_VEC(nt_field *) exts;
    nt_opts opts;
    NT_VEC(nt_loc) locs; /* on the heap (NT_PUSH_HEAP), freed with the pool */
    /* When the pool encodes source info as each file is built: the locations' paths and comments
     * live in la, and once the file is built its SourceCodeInfo is encoded into srcinfo and the
     * locations are released (a large compilation never holds all of them at once). */
    ac_arena *la;
    const uint8_t *srcinfo;
    size_t srcinfo_len;
    bool srcinfo_ready;
    bool parse_ok;
    /* builder state */
    int state; /* 0 new, 1 building, 2 built, 3 failed */
    NT_VEC(struct nt_file *) depf; /* resolved direct dependencies (NULL when missing) */
    ac_strmap visible;             /* files whose symbols may be used (self, deps, public closure) */
    bool visible_init;
} nt_file;

/* ---- buf style (bufstyle.c) ---- */
typedef struct nt_cmt {
    int off; /* of the token the comments belong to */
    char *lead, *trail;
    char **det;
    int ndet;
} nt_cmt;
typedef struct nt_cmts {
    nt_cmt *v; /* by offset */
    int n;
} nt_cmts;
/* Attributes every comment of src to a token as buf does; the strings go to a. */
void nt_bufcmt_scan(ac_arena *a, const char *src, size_t len, nt_cmts *out);
const nt_cmt *nt_bufcmt_find(const nt_cmts *c, int off);
/* buf's column of byte offset `to`, counting from byte offset `from` at column col on one line
 * (tabs to multiples of 4, display widths for the rest). */
int nt_bufcol_adv(const char *src, int from, int col, int to);
/* Go's strconv.FormatFloat(v, 'g', -1, 64), as buf prints float and double defaults. */
void nt_go_gfmt(double v, char *buf, size_t n);
/* Go's slices.Compare on two spans. */
int nt_go_span_cmp(const int *a, int na, const int *b, int nb);
/* True when the first token of src is "edition". */
bool nt_is_edition_source(const char *src, size_t len);

/* Parses one file (buf's way when f->buf_style); errors go to errs.  Returns false when the file
 * had errors. */
bool nt_parse(ac_arena *a, nt_file *f, const char *src, size_t len, nt_errs *errs);

/* ---- the embedded well-known types ---- */
typedef struct nt_embedded {
    const char *name;
    const char *text;
    size_t len;
} nt_embedded;
extern const nt_embedded nt_wkt[];
extern const size_t nt_nwkt;
/* The embedded file named key ("google/protobuf/any.proto", "editions/google/protobuf/..."). */
bool nt_wkt_find(const char *key, const char **text, size_t *len);

/* ---- wire format ---- */
/* descriptor.proto's numbers, defined once for the compiler's files */
enum { /* FieldDescriptorProto.Type */
    TY_DOUBLE = 1, TY_FLOAT, TY_INT64, TY_UINT64, TY_INT32, TY_FIXED64, TY_FIXED32, TY_BOOL, TY_STRING, TY_GROUP,
    TY_MESSAGE, TY_BYTES, TY_UINT32, TY_ENUM, TY_SFIXED32, TY_SFIXED64, TY_SINT32, TY_SINT64
};
enum { LB_OPTIONAL = 1, LB_REQUIRED = 2, LB_REPEATED = 3 }; /* FieldDescriptorProto.Label */
enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2, WT_SGROUP = 3, WT_EGROUP = 4, WT_I32 = 5 }; /* wire types */

/* wire.c: protobuf wire format, written into a buffer */
void nt_put_varint(nt_buf *b, uint64_t v);
void nt_put_tag(nt_buf *b, int field, int wt);
void nt_put_bytes(nt_buf *b, int field, const void *p, size_t n);
void nt_put_str(nt_buf *b, int field, const char *s);
void nt_put_int(nt_buf *b, int field, int64_t v);

/* Serializes one built file as a FileDescriptorProto. */
void nt_encode_file(nt_buf *out, const nt_file *f, bool source_info, bool buf_style);
/* A built file's SourceCodeInfo message body (what nt_encode_file writes as field 9). */
void nt_encode_srcinfo(nt_buf *out, const nt_file *f);
/* nt_encode_file with source info, protoc's way; f->srcinfo is then set to the SourceCodeInfo
 * bytes inside out (out must be arena-backed: its earlier copies stay valid when it grows). */
void nt_encode_file_keep_srcinfo(nt_buf *out, nt_file *f);

/* ---- the pool (builder) ---- */
enum { NT_S_PACKAGE = 1, NT_S_MESSAGE, NT_S_ENUM, NT_S_ENUMVAL, NT_S_FIELD, NT_S_ONEOF, NT_S_SERVICE, NT_S_METHOD };

typedef struct nt_sym {
    int kind;
    nt_file *file;
    void *p;
} nt_sym;

/* Reads the source of an import path; returns false when no root, include or embedded file has it. */
typedef bool (*nt_source_fn)(void *ctx, const char *name, int importer_syntax, const char **text, size_t *len);

struct nt_pool;
/* Runs on each file once its names are resolved (options interpretation, opts.c): injected by
 * whoever creates the pool, so that the builder does not call back into the options code. */
typedef void (*nt_file_hook)(struct nt_pool *pool, nt_file *f);

typedef struct nt_pool {
    ac_arena *a;
    nt_file_hook resolved; /* NULL: options are left uninterpreted */
    nt_errs *errs;
    nt_source_fn source;
    void *source_ctx;
    ac_strmap files; /* import path -> nt_file */
    ac_strmap syms;  /* full name -> nt_sym */
    ac_strmap ext_by_num; /* "extendee#number" -> nt_field */
    struct nt_pool *builtin;    /* protoc's compiled-in descriptor.proto, for options when the pool has none */
    struct nt_pool *builtin_ed; /* the same for edition files (a descriptor.proto that knows features) */
    NT_VEC(nt_file *) stack;
    int nested_limit_hit;
    bool eager_srcinfo; /* encode each file's source info once it is built (see nt_file.la) */
    /* When set (with eager_srcinfo, protoc's way): each file is written here whole as soon as it
     * is built, which is the order of the set (dependencies first), so the set needs no second
     * copy.  An editions compilation (buf_style) writes the set at the end instead. */
    nt_buf *eager_out;
    nt_buf scratch;     /* for that encoding */
    NT_VEC(ac_arena *) spare_la; /* location arenas of released files, for the next ones */
    char *und_name; /* the last name found in a file that is not imported */
    bool buf_style;   /* files are parsed and written as buf does (set for an editions compilation) */
    bool buf_restart; /* an editions file came after files parsed protoc's way: compile again */
    int nparsed;      /* files read so far */
} nt_pool;

void nt_pool_init(nt_pool *pool, ac_arena *a, nt_errs *errs, nt_source_fn source, void *ctx);
void nt_pool_free(nt_pool *pool);
/* Loads, parses and builds a file and its imports; NULL when it or an import failed. */
nt_file *nt_pool_load(nt_pool *pool, const char *name);
nt_sym *nt_pool_find(nt_pool *pool, const char *full_name);
/* The options message type google.protobuf.<name> (from the pool, or the built-in descriptor.proto). */
nt_msg *nt_pool_options_type(nt_pool *pool, const char *name, int syntax);
/* Scoped lookup as protoc's LookupSymbol; types_only skips non-type symbols for the last component. */
nt_sym *nt_lookup(nt_pool *pool, nt_file *from, const char *name, const char *relative_to, bool types_only,
                  char **undefined_resolved, nt_file **undeclared_dep);
void nt_interpret_file_options(nt_pool *pool, nt_file *f);
char *nt_json_name(ac_arena *a, const char *name);

#endif
