#!/usr/bin/python3
# An independent check of a protobuf suite written by `apicompat cases`: protobuf's own Python
# runtime (Debian's python3-protobuf) builds a pool from the suite's contract.binpb, reads each
# case's .binpb and parses its ProtoJSON twin with json_format, and the two must be the same
# message (compared by their deterministic serialization, so NaN equals NaN).
# Usage: pbcases-check.py SUITE_DIR [STEP]  (every STEP-th case, default all; exit 0: every case
# checked agrees; prints the count)
import json, sys
from google.protobuf import descriptor_pb2, descriptor_pool, json_format
try:
    from google.protobuf import message_factory
    def message_class(d):
        if hasattr(message_factory, "GetMessageClass"):
            return message_factory.GetMessageClass(d)
        return message_factory.MessageFactory().GetPrototype(d)
except ImportError:
    sys.exit("no message_factory")

suite = sys.argv[1]
step = int(sys.argv[2]) if len(sys.argv) > 2 else 1
fds = descriptor_pb2.FileDescriptorSet()
fds.ParseFromString(open(suite + "/contract.binpb", "rb").read())
pool = descriptor_pool.DescriptorPool()
for f in fds.file:
    pool.Add(f)
man = json.load(open(suite + "/cases.json"))
checked = 0
for c in man["cases"][::step]:
    cls = message_class(pool.FindMessageTypeByName(c["message"]))
    b = cls()
    b.ParseFromString(open(suite + "/" + c["file"], "rb").read())
    if c["json"] is None:
        continue
    j = cls()
    try:
        json_format.Parse(open(suite + "/" + c["json"], encoding="utf-8").read(), j, descriptor_pool=pool)
    except Exception as e:
        print("json_format rejects %s: %s" % (c["json"], e))
        sys.exit(1)
    if b.SerializeToString(deterministic=True) != j.SerializeToString(deterministic=True):
        print("%s: the .binpb and the ProtoJSON twin differ:\n%s\n---\n%s" % (c["id"], b, j))
        sys.exit(1)
    # and what Python writes reads back as the same message
    again = cls()
    json_format.Parse(json_format.MessageToJson(b, descriptor_pool=pool), again, descriptor_pool=pool)
    if again.SerializeToString(deterministic=True) != b.SerializeToString(deterministic=True):
        print("%s: python's own JSON of it does not read back" % c["id"])
        sys.exit(1)
    checked += 1
print("%d cases agree" % checked)
