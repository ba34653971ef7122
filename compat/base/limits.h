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

/* ---- depths ---- */
#define AC_LIMIT_DOC_DEPTH 512             /* YAML/JSON nesting */
#define AC_LIMIT_REF_HOPS 64               /* $ref -> $ref -> ... before the chain is called a loop */
#define AC_LIMIT_SOURCE_NESTING 100        /* messages in messages, in sources and descriptors */

#endif
