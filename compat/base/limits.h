/* Every limit on what an input may make apicompat do, in one place.
 *
 * Inputs may be hostile (a pull request from a fork writes the contracts, the config and the
 * manifest), so each limit ends the check with exit 2 and a message naming the input, never a
 * crash, a hang or a silent pass.  The numbers sit far above any real API (googleapis, GitHub's
 * REST description, Stripe's spec) and far below what the machine can take. */
#ifndef AC_LIMITS_H
#define AC_LIMITS_H

#include <stddef.h>

/* ---- sizes of what is read ---- */
#define AC_LIMIT_CONFIG_BYTES ((size_t)16 << 20)       /* apicompat.yaml, buf.yaml, buf.work.yaml, manifests, ignore files */
#define AC_LIMIT_OPENAPI_DOC_BYTES ((size_t)256 << 20) /* one OpenAPI document (or a file it $refs) */
#define AC_LIMIT_DOC_TREE_BYTES ((size_t)512 << 20)    /* the YAML/JSON reader's own bound on its input */
#define AC_LIMIT_DESCRIPTOR_BYTES ((size_t)2 << 30)    /* a FileDescriptorSet or buf image */
#define AC_LIMIT_PROTO_SOURCE_BYTES (64u << 20)        /* one .proto source file */
#define AC_LIMIT_GIT_TREE_BYTES (512u << 20)           /* what one git revision may write to disk */
#define AC_LIMIT_GIT_OUTPUT_BYTES (16u << 20)          /* stdout kept from a git command other than archive */

/* ---- counts ---- */
#define AC_LIMIT_PROTO_FILES 200000        /* .proto files in one input */
#define AC_LIMIT_OPENAPI_DOCS 4096         /* documents reached through $refs */
#define AC_LIMIT_DOC_NODES (20u * 1000 * 1000) /* YAML/JSON nodes after alias expansion */
#define AC_LIMIT_HISTORY_VERSIONS 4096     /* versions one history checks against (tags, operands) */

/* ---- depths ---- */
#define AC_LIMIT_DOC_DEPTH 512             /* YAML/JSON nesting */
#define AC_LIMIT_REF_HOPS 64               /* $ref -> $ref -> ... before the chain is called a loop */
#define AC_LIMIT_SOURCE_NESTING 100        /* messages in messages, in sources and descriptors */

/* ---- regular expressions of ignores (PCRE2, compat/policy) -------------------------------------- */

/* Backtracking steps (PCRE2's match limit) a match may take without being charged to the budget
 * below.  A regular expression on an element or operation name, a few dozen characters, needs a
 * few hundred; ten thousand leaves room for any reasonable one. */
#define AC_LIMIT_REGEX_FREE_STEPS 10000u

/* Steps one match may take in all (PCRE2's default is 10,000,000, about a quarter of a second:
 * four `(a+)+$` ignores against fifty crafted names took 33 s).  Exceeding it is an error at the
 * ignore. */
#define AC_LIMIT_REGEX_STEPS 1000000u

/* PCRE2's depth limit (nested backtracking frames) and heap limit (KiB) for one match. */
#define AC_LIMIT_REGEX_DEPTH 100000u
#define AC_LIMIT_REGEX_HEAP_KIB 16384u

/* Steps that matches above AC_LIMIT_REGEX_FREE_STEPS may take together over a run (each is charged the
 * limit it finished under: 100,000 or AC_LIMIT_REGEX_STEPS), about a second of matching.  Beyond
 * it the run stops at the ignore that was matching. */
#define AC_LIMIT_REGEX_BUDGET 50000000u

/* ---- validating instances against schemas (compat/validate) ------------------------------------- */

/* Schemas applied to instance values in one validation (each keyword that applies a subschema is
 * a step): oneOf in oneOf in oneOf over a large array grows fast, and a hostile contract can make it
 * grow without end.  Ten million is a few seconds of work; a real payload needs thousands. */
#define AC_LIMIT_VALIDATE_STEPS 10000000u
/* Schemas applied within one another at once ($ref to allOf to $ref ...), instance levels included. */
#define AC_LIMIT_VALIDATE_DEPTH 1000u
/* Errors one validation collects; the rest are counted as "more". */
#define AC_LIMIT_VALIDATE_ERRORS 1000u

/* ---- regression cases (compat/cases) ----------------------------------------------------------- */

/* Cases kept per operation (requests and responses together); the rest are left out and counted. */
#define AC_LIMIT_CASES_PER_OP 64u
/* Variants tried per body (each enum value / oneOf branch in turn, bounds): identical ones merge. */
#define AC_LIMIT_CASES_VARIANTS 16u
/* Object and array levels a generated instance nests; below it only required properties, then nothing. */
#define AC_LIMIT_CASES_DEPTH 8u
/* The longest generated string and the most items of a generated array (a maxLength of a million
 * is tested at this length, and dropped if the bound makes that invalid). */
#define AC_LIMIT_CASES_STRING 4096u
#define AC_LIMIT_CASES_ITEMS 8u
/* Examples read per media type. */
#define AC_LIMIT_CASES_EXAMPLES 8u
/* Values (fields set, repeated and map entries) one generated protobuf message holds; past it only
 * required fields are set.  Deep, wide messages (googleapis' resources) reach it at a few levels. */
#define AC_LIMIT_CASES_PB_VALUES 512u
/* Cases in a suite that replay reads. */
#define AC_LIMIT_CASES_SUITE 1000000u
/* OpenAPI proofs: operations whose cases one run generates and replays (a change in a component
 * shared by 10,000 operations must not replay them all), and operations tried per finding. */
#define AC_LIMIT_PROOF_OPS 1024u
#define AC_LIMIT_PROOF_OPS_PER_FINDING 8u

/* ---- ignore matching (compat/policy) ---------------------------------------------------------- */

/* Ignores whose path glob accepts a finding's paths are found once per distinct set of paths and
 * kept in a cache; past this many cached ignore indexes the cache starts over (so memory stays
 * bounded whatever the number of files times ignores). */
#define AC_LIMIT_IGNORE_CACHE (16u << 20)

/* Comparisons of a finding with an ignore whose path (if any) accepts it.  An ignore with only an
 * element or operation expression is compared with every finding: 15,000 findings against 5,000
 * of them is 75 million comparisons, about two seconds.  A hundred million stops a run that would
 * take minutes, far above real configurations (hundreds of ignores, thousands of findings). */
#define AC_LIMIT_IGNORE_TESTS 100000000u

#endif
