#!/usr/bin/env bash
# apicompat cases / replay on the fixture contracts: the suite of fixtures/replay/self is what the
# generator writes today (byte for byte: a change to the generator shows here), every suite is the
# same when generated twice, and every suite replayed against its own contract passes.  Each
# response case of the OpenAPI 3.1 contract is also checked by Debian's python3-jsonschema.
set -u
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
"$bin" cases "$root/fixtures/replay/self/pets.yaml" --out "$tmp/self" >/dev/null || { echo "cases failed on pets.yaml"; exit 1; }
diff -r "$root/fixtures/replay/self/suite" "$tmp/self" >/dev/null || { echo "the suite of pets.yaml differs from fixtures/replay/self/suite"; diff -r "$root/fixtures/replay/self/suite" "$tmp/self" | head; fail=1; }
for c in "$root"/fixtures/validate/contracts/*.yaml "$root/fixtures/replay/self/pets.yaml"; do
  n=$(basename "$c")
  "$bin" cases "$c" --out "$tmp/a-$n" >/dev/null && "$bin" cases "$c" --out "$tmp/b-$n" >/dev/null || { echo "cases failed on $n"; fail=1; continue; }
  diff -r "$tmp/a-$n" "$tmp/b-$n" >/dev/null || { echo "$n: two runs wrote different suites"; fail=1; }
  [ "$(ls "$tmp/a-$n/cases" | wc -l)" -gt 0 ] || { echo "$n: an empty suite"; fail=1; }
  out=$("$bin" replay "$tmp/a-$n" "$c") || { echo "$n: replay against its own contract failed:"; echo "$out" | head -5; fail=1; }
done
# an independent validator on the response bodies of the 3.1 contract (its schemas are JSON Schema 2020-12)
if /usr/bin/python3 -c 'import jsonschema, yaml' 2>/dev/null; then
  /usr/bin/python3 - "$tmp/a-shop-3.1.yaml" "$root/fixtures/validate/contracts/shop-3.1.yaml" <<'PY' || fail=1
import json, sys, yaml, jsonschema
suite, contract = sys.argv[1:]
doc = yaml.safe_load(open(contract))
man = json.load(open(suite + "/cases.json"))
checked = 0
for c in man["cases"]:
    if c["kind"] != "response" or c["media_type"] != "application/json":
        continue
    method, path = c["operation"].split(" ", 1)
    resp = doc["paths"][path][method.lower()]["responses"][c["status"]]
    schema = dict(resp["content"][c["media_type"]]["schema"])
    schema["components"] = doc.get("components", {})
    body = json.load(open(suite + "/" + c["file"]))
    v = jsonschema.Draft202012Validator(schema, format_checker=None)
    errs = list(v.iter_errors(body))
    if errs:
        print("python3-jsonschema rejects %s: %s" % (c["id"], errs[0].message))
        sys.exit(1)
    checked += 1
if not checked:
    print("no response case of shop-3.1.yaml was checked")
    sys.exit(1)
PY
fi
exit $fail
