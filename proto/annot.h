/* Internal to proto/: Google's API annotations and protovalidate rules, decoded from the unknown
 * fields (extensions) of a descriptor's options into the IR.  Each fills only what is present. */
#ifndef AC_PROTO_ANNOT_H
#define AC_PROTO_ANNOT_H

#include <protobuf-c/protobuf-c.h>

#include "compat/ir/ir.h"

/* google.api.http, google.api.method_signature, google.longrunning.operation_info */
void ac_proto_annot_method(ac_arena *a, ac_pb_method *m, const ProtobufCMessage *opts);
/* google.api.default_host, google.api.oauth_scopes */
void ac_proto_annot_service(ac_arena *a, ac_pb_service *s, const ProtobufCMessage *opts);
/* google.api.resource */
void ac_proto_annot_message(ac_arena *a, ac_pb_msg *m, const ProtobufCMessage *opts);
/* google.api.field_behavior, resource_reference, field_info; buf.validate.field */
void ac_proto_annot_field(ac_arena *a, ac_pb_field *f, const ProtobufCMessage *opts);

#endif
