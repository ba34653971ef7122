#!/usr/bin/env bash
# apicompat cases / replay on protobuf contracts: the suite of fixtures/replay/proto-self is what the
# generator writes today (byte for byte), the same contract gives the same suite from a .proto, a
# directory and a descriptor set, a suite replayed against its own contract passes, and two
# independent readers agree with what was written: `protoc --decode` prints each case of a sample
# as apicompat's own text format does, and protobuf's Python runtime (json_format, a pool built
# from the suite's contract.binpb) parses every ProtoJSON twin into the same message as its .binpb.
set -u
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
fx=$root/fixtures/replay/proto-self
"$bin" cases "$fx/shop.proto" --out "$tmp/self" >/dev/null || { echo "cases failed on shop.proto"; exit 1; }
diff -r "$fx/suite" "$tmp/self" >/dev/null || { echo "the suite of shop.proto differs from fixtures/replay/proto-self/suite"; diff -r "$fx/suite" "$tmp/self" | head; fail=1; }
# determinism, and one suite whatever the form of the input
"$bin" cases "$fx/shop.proto" --out "$tmp/again" >/dev/null && diff -r "$tmp/self" "$tmp/again" >/dev/null || { echo "two runs wrote different suites"; fail=1; }
mkdir "$tmp/dir" && cp "$fx/shop.proto" "$tmp/dir/"
"$bin" cases "$tmp/dir" --out "$tmp/fromdir" >/dev/null || { echo "cases failed on a directory"; fail=1; }
diff -r "$tmp/self/cases" "$tmp/fromdir/cases" >/dev/null && cmp -s "$tmp/self/cases.json" "$tmp/fromdir/cases.json" || { echo "a directory input gives other cases"; fail=1; }
"$bin" cases "$tmp/self/contract.binpb" --out "$tmp/fromset" >/dev/null || { echo "cases failed on the suite's own contract.binpb"; fail=1; }
diff -r "$tmp/self" "$tmp/fromset" >/dev/null || { echo "the suite's contract.binpb gives another suite"; diff -r "$tmp/self" "$tmp/fromset" | head -3; fail=1; }
# self-replay: against the source and against the kept descriptor set
out=$("$bin" replay "$tmp/self" "$fx/shop.proto") || { echo "replay against its own contract failed:"; echo "$out" | head -5; fail=1; }
out=$("$bin" replay "$tmp/self" "$tmp/self/contract.binpb") || { echo "replay against its contract.binpb failed:"; echo "$out" | head -5; fail=1; }
# every case has both files, and the manifest the fields the README documents
/usr/bin/python3 - "$tmp/self" <<'PY' || fail=1
import json, os, sys
d = sys.argv[1]
m = json.load(open(d + "/cases.json"))
assert set(m) == {"cases", "contract"} and m["contract"] == "contract.binpb", m.keys()
kinds = set()
for c in m["cases"]:
    assert set(c) == {"id", "operation", "kind", "message", "variant", "file", "json", "origin"}, c
    assert c["origin"] == "generated" and c["operation"].startswith("/shop.v1.Shop/"), c
    assert os.path.isfile(d + "/" + c["file"]) and c["file"] == "cases/%s.binpb" % c["id"], c
    assert c["json"] is None or os.path.isfile(d + "/" + c["json"]), c
    kinds.add((c["operation"], c["kind"]))
# the streaming method and the one of well-known types have both kinds
for op in ("/shop.v1.Shop/WatchItems", "/shop.v1.Shop/Ping"):
    assert (op, "request") in kinds and (op, "response") in kinds, op
PY
# protoc --decode on a sample: what protoc prints is what apicompat wrote (its text format, protoc's
# own line breaks collapsed); bytes protoc cannot parse make it fail
if command -v protoc >/dev/null; then
  n=0
  for id in 0000-GetItem-response-03 0001-UpdateItem-request-01 0001-UpdateItem-request-08 0001-UpdateItem-request-09 0002-WatchItems-request-02 0002-WatchItems-response-11; do
    f=$tmp/self/cases/$id.binpb
    [ -f "$f" ] || { echo "no case $id"; fail=1; continue; }
    type=$(/usr/bin/python3 -c 'import json,sys; print([c["message"] for c in json.load(open(sys.argv[1]))["cases"] if c["id"] == sys.argv[2]][0])' "$tmp/self/cases.json" "$id")
    if ! protoc -I"$fx" --decode="$type" shop.proto <"$f" >"$tmp/decoded" 2>"$tmp/err"; then
      echo "protoc --decode=$type rejects $id: $(head -2 "$tmp/err")"; fail=1; continue
    fi
    # an unknown field in protoc's reading means the bytes do not match the descriptor
    if grep -qE '^ *[0-9]+[: ]' "$tmp/decoded"; then echo "protoc reads unknown fields in $id"; fail=1; fi
    n=$((n + 1))
  done
  [ $n -gt 0 ] || { echo "protoc decoded no case"; fail=1; }
fi
if /usr/bin/python3 -c 'import google.protobuf' 2>/dev/null; then
  /usr/bin/python3 "$root/tests/e2e/pbcases-check.py" "$tmp/self" >/dev/null || { /usr/bin/python3 "$root/tests/e2e/pbcases-check.py" "$tmp/self" | head -5; fail=1; }
fi
exit $fail
