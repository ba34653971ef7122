#!/usr/bin/env bash
# batch --shard K/N and report merge: the shards of a batch, each checked alone and their JSON
# reports merged, give the report of the whole batch (its pairs, their statuses and findings, its
# exit code), in JSON and in every other format that reads them.
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root/fixtures/batch/mixed/text" || exit 1
fail=0
"$bin" batch ../manifest.yaml --format json > "$tmp/all.json" 2>/dev/null
whole=$?
for k in 1 2 3; do "$bin" batch ../manifest.yaml --shard $k/3 --format json > "$tmp/s$k.json" 2>/dev/null; done
"$bin" report merge "$tmp/s1.json" "$tmp/s2.json" "$tmp/s3.json" --format json > "$tmp/merged.json"
merged=$?
[ "$whole" = "$merged" ] || { echo "FAIL: exit code $merged after merging, $whole for the whole batch"; fail=1; }
python3 - "$tmp/all.json" "$tmp/merged.json" <<'PY' || fail=1
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
key = lambda p: p["name"]
pa, pb = sorted(a["pairs"], key=key), sorted(b["pairs"], key=key)
if [p["name"] for p in pa] != [p["name"] for p in pb] or len(pa) != 3:
    sys.exit(f"FAIL: pairs {[p['name'] for p in pa]} vs {[p['name'] for p in pb]}")
for x, y in zip(pa, pb):
    if x != y:
        sys.exit(f"FAIL: pair {x['name']} differs after merging:\n{x}\n{y}")
fk = lambda f: json.dumps(f, sort_keys=True)
if sorted(map(fk, a["findings"])) != sorted(map(fk, b["findings"])) or a["summary"] != b["summary"]:
    sys.exit("FAIL: the merged findings or summary differ")
PY
for f in text junit markdown sarif gitlab github; do
  "$bin" report merge "$tmp/s1.json" "$tmp/s2.json" "$tmp/s3.json" --format $f > "$tmp/m.$f"
  rc=$?
  [ $rc = "$whole" ] || { echo "FAIL: report merge --format $f exits $rc"; fail=1; }
  grep -q gone "$tmp/m.$f" || { echo "FAIL: --format $f lost the pair that could not be checked"; fail=1; }
done
"$bin" report merge "$root/fixtures/batch/manifest.yaml" > /dev/null 2>&1
[ $? = 2 ] || { echo "FAIL: merging a file that is not a JSON report is not an error"; fail=1; }
"$bin" report merge "$tmp/s1.json" "$tmp/s1.json" > /dev/null 2>&1
[ $? = 2 ] || { echo "FAIL: a pair in two reports is not an error"; fail=1; }
# a shard whose report is missing (its job failed before writing it) makes the merge fail, not pass
"$bin" report merge "$tmp/s1.json" "$tmp/s3.json" > /dev/null 2> "$tmp/err"
[ $? = 2 ] && grep -q "shard 2/3 is missing" "$tmp/err" || { echo "FAIL: merging shards 1 and 3 of 3 is not an error naming shard 2"; fail=1; }
"$bin" report merge "$tmp/s1.json" "$tmp/s2.json" "$tmp/s3.json" "$tmp/all.json" > /dev/null 2>&1
[ $? = 2 ] || { echo "FAIL: shards mixed with a whole batch's report is not an error"; fail=1; }
[ $fail = 0 ] && echo "ok: shards merged give the whole batch"
exit $fail
