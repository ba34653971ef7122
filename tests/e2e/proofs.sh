#!/usr/bin/env bash
# Counterexamples (issue #16), checked with tools that are not apicompat's: every proven finding of
# the protobuf fixtures under fixtures/proto/proofs and fixtures/proto/rules/*-fires is decoded
# again by protoc --decode (bytes) and Python's protobuf runtime (ProtoJSON), under the OLD and the
# NEW contract, and must read as the report says (tests/tools/check_witness.py).  Also: the check
# catches a counterexample that is wrong, and report merge keeps proofs.
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
py=/usr/bin/python3
[ -x "$py" ] || py=python3
if ! "$py" -c 'import google.protobuf' 2>/dev/null; then
  echo "FAIL: $py cannot import google.protobuf (Debian: python3-protobuf; make deps installs it)"
  exit 1
fi
check="$root/tests/tools/check_witness.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 cases=0 proven=0
for d in "$root"/fixtures/proto/proofs/* "$root"/fixtures/proto/rules/*-fires; do
  [ -d "$d/old" ] && [ -d "$d/new" ] || continue
  grep -rqs '^edition' "$d/old" "$d/new" && continue # protoc 3.21 reads no editions
  (cd "$d" && "$bin" breaking old new --format json > "$tmp/r.json" 2>/dev/null)
  [ $? -le 1 ] || { echo "FAIL: $d: apicompat failed"; fail=1; continue; }
  grep -q '"proven"' "$tmp/r.json" || continue
  cases=$((cases + 1))
  if ! "$py" "$check" "$tmp/r.json" "$d/old" "$d/new" > "$tmp/out" 2>&1; then
    echo "FAIL: $d"; grep -v '^ok' "$tmp/out" | head -5; fail=1
  fi
  proven=$((proven + $(grep -c '^ok' "$tmp/out")))
done
echo "$proven counterexamples of $cases fixture pairs agree with protoc and json_format"
[ "$cases" -ge 40 ] || { echo "FAIL: only $cases fixture pairs with counterexamples"; fail=1; }

# a wrong counterexample is caught: another byte, another reading, another JSON key
d=$root/fixtures/proto/proofs/type
(cd "$d" && "$bin" breaking old new --use FIELD_SAME_TYPE --format json > "$tmp/r.json")
"$py" - "$tmp/r.json" "$tmp/bad.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
done = set()
for x in d["findings"]:
    c = x.get("counterexample")
    if not c:
        continue
    if c["kind"] == "binary" and "bin" not in done:
        c["binary"] = c["binary"][:-2] + ("00" if c["binary"][-2:] != "00" else "01"); done.add("bin")
    elif c["kind"] == "binary" and "read" not in done:
        c["new_reading"] += " 1: 1"; done.add("read")
    elif c["kind"] == "json" and "json" not in done:
        c["value"] = {k + "x": v for k, v in c["value"].items()}; done.add("json")
json.dump(d, open(sys.argv[2], "w"))
sys.exit(0 if len(done) == 3 else 1)
PY
[ $? = 0 ] || { echo "FAIL: could not build the wrong counterexamples"; fail=1; }
"$py" "$check" "$tmp/bad.json" "$d/old" "$d/new" > "$tmp/out" 2>&1
n=$(grep -c '^MISMATCH' "$tmp/out")
[ "$n" = 3 ] || { echo "FAIL: $n of 3 wrong counterexamples caught"; cat "$tmp/out"; fail=1; }

# report merge reads proofs back as batch wrote them
cd "$root/fixtures/batch/json" || exit 1
"$bin" batch ../manifest.yaml --format json > "$tmp/all.json" 2>/dev/null
"$bin" report merge "$tmp/all.json" --format json > "$tmp/merged.json" 2>/dev/null
"$py" - "$tmp/all.json" "$tmp/merged.json" <<'PY' || fail=1
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
if not any(x.get("proof") == "proven" for x in a["findings"]):
    sys.exit("FAIL: the batch has no proven finding")
if a["findings"] != b["findings"]:
    sys.exit("FAIL: report merge changed the findings' proofs")
PY
exit $fail
