#!/usr/bin/python3
"""Checks the counterexamples of an apicompat JSON report against both contracts, with tools that
are not apicompat's: protoc --decode for the bytes, Python's protobuf runtime (json_format) for
the ProtoJSON text, the descriptors themselves for calls and enum names.

Usage: check_witness.py REPORT OLD NEW
  REPORT   apicompat breaking ... --format json output
  OLD NEW  the two contracts: a .proto file or a directory of them (the import root)

Every finding with "proof": "proven" is checked: what each side reads is decoded again and must be
what the report says (old_reading / new_reading), and the two must differ.  Exits 1 on a mismatch,
printing what differs; prints one line per checked counterexample.  Needs Debian's python3-protobuf.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory, text_format


def protos(root):
    if os.path.isfile(root):
        return os.path.dirname(root) or ".", [os.path.basename(root)]
    found = []
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith(".proto"):
                found.append(os.path.relpath(os.path.join(d, f), root))
    return root, sorted(found)


class Side:
    def __init__(self, name, root, tmp):
        self.name = name
        self.include, self.files = protos(root)
        self.fds_path = os.path.join(tmp, name + ".pb")
        subprocess.run(["protoc", "--include_imports", "-o", self.fds_path, "-I", self.include] + self.files, check=True)
        fds = descriptor_pb2.FileDescriptorSet()
        with open(self.fds_path, "rb") as f:
            fds.ParseFromString(f.read())
        self.pool = descriptor_pool.DescriptorPool()
        for fd in fds.file:
            self.pool.Add(fd)

    def message_class(self, name):
        d = self.pool.FindMessageTypeByName(name)
        try:
            return message_factory.GetMessageClass(d)
        except AttributeError:
            return message_factory.MessageFactory(self.pool).GetPrototype(d)

    def has_message(self, name):
        try:
            self.pool.FindMessageTypeByName(name)
            return True
        except KeyError:
            return False

    def method(self, path):
        svc, _, name = path.lstrip("/").rpartition("/")
        try:
            s = self.pool.FindServiceByName(svc)
        except KeyError:
            return None
        return s.methods_by_name.get(name)

    def decode(self, msg, data):
        """protoc --decode: (ok, one-line text, stderr)"""
        p = subprocess.run(["protoc", "--decode=" + msg, "--descriptor_set_in=" + self.fds_path] + self.files,
                           input=data, capture_output=True, cwd=self.include)
        text = " ".join(line.strip() for line in p.stdout.decode("utf-8", "replace").splitlines() if line.strip())
        return p.returncode == 0, text, p.stderr.decode("utf-8", "replace")


DEFAULT = re.compile(r"(?:^| )(\w+): ((?:(?! \w+: ).)*) \(default\)$")


def check_binary(x, c, sides, rule):
    data = bytes.fromhex(c["binary"])
    problems = []
    for side in sides:
        want = c[side.name + "_reading"]
        msg = reader_type(c, side, rule)
        ok, text, err = side.decode(msg, data)
        dm = DEFAULT.search(want)
        if dm:  # FIELD_SAME_DEFAULT: what protoc prints, then the field's value read through its accessor
            want = want[: dm.start()]
            m = side.message_class(msg)()
            m.ParseFromString(data)
            if m.HasField(dm.group(1)):
                problems.append("%s: %s is on the wire" % (side.name, dm.group(1)))
            probe = side.message_class(msg)()
            setattr(probe, dm.group(1), getattr(m, dm.group(1)))
            got = text_format.MessageToString(probe, as_one_line=True).strip()
            if got != "%s: %s" % (dm.group(1), dm.group(2)):
                problems.append("%s: default reads %r, report says %r" % (side.name, got, dm.group(2)))
        if want.startswith("parse error: missing required field"):
            if "missing required fields" not in err:
                problems.append("%s: protoc did not find a missing required field (%s)" % (side.name, err.strip()))
        elif want.startswith("parse error:"):
            if ok:
                problems.append("%s: protoc parsed it: %r" % (side.name, text))
        elif not ok:
            problems.append("%s: protoc failed: %s" % (side.name, err.strip()))
        elif text != want:
            problems.append("%s: protoc reads %r, report says %r" % (side.name, text, want))
    if c["old_reading"] == c["new_reading"]:
        problems.append("both sides read the same")
    return problems


def check_json(x, c, sides, rule):
    value = json.dumps(c["value"])
    problems = []
    for side in sides:
        want = c[side.name + "_reading"]
        if not side.has_message(c["message"]) and not c.get("operation"):
            # an enum's value on its own: the name is there or not
            enum = side.pool.FindEnumTypeByName(c["message"])
            v = enum.values_by_name.get(c["value"])
            got = "%s (%d)" % (v.name, v.number) if v else "rejected"
            if not (want == got or (not v and want.startswith("rejected"))):
                problems.append("%s: enum reads %r, report says %r" % (side.name, got, want))
            continue
        msg = reader_type(c, side, rule)
        m = side.message_class(msg)()
        try:
            json_format.Parse(value, m)
            got = text_format.MessageToString(m, as_one_line=True).strip()
            if got != want:
                problems.append("%s: json_format reads %r, report says %r" % (side.name, got, want))
        except json_format.ParseError as e:
            if not want.startswith("rejected"):
                problems.append("%s: json_format rejects it (%s), report says %r" % (side.name, e, want))
    if c["old_reading"] == c["new_reading"]:
        problems.append("both sides read the same")
    return problems


def reader_type(c, side, rule):
    """The message type a side reads: the counterexample's, or the RPC's request/response type."""
    if c.get("operation") and rule in ("RPC_SAME_REQUEST_TYPE", "RPC_SAME_RESPONSE_TYPE"):
        m = side.method(c["operation"])
        return (m.input_type if rule == "RPC_SAME_REQUEST_TYPE" else m.output_type).full_name
    return c["message"]


def check_operation(x, c, sides, rule):
    old, new = sides
    problems = []
    if not old.method(c["operation"]):
        problems.append("old has no method %s" % c["operation"])
    if new.method(c["operation"]):
        problems.append("new still has method %s" % c["operation"])
    return problems


def main():
    report, old_root, new_root = sys.argv[1:4]
    with open(report) as f:
        doc = json.load(f)
    bad = 0
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        sides = [Side("old", old_root, tmp), Side("new", new_root, tmp)]
        for x in doc["findings"]:
            if x.get("proof") != "proven":
                continue
            c = x["counterexample"]
            kind = c["kind"]
            check = {"binary": check_binary, "json": check_json, "operation": check_operation}.get(kind)
            if not check:
                print("unknown counterexample kind %r" % kind)
                bad += 1
                continue
            problems = check(x, c, sides, x["rule"])
            checked += 1
            where = "%s %s:%d" % (x["rule"], x["path"], x["line"])
            if problems:
                bad += 1
                print("MISMATCH %s (%s): %s" % (where, kind, "; ".join(problems)))
            else:
                print("ok %s (%s, %s)" % (where, kind, c.get("direction")))
    print("%d counterexamples checked, %d mismatches" % (checked, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
