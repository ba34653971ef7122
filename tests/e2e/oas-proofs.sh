#!/usr/bin/env bash
# OpenAPI counterexamples (issue #16), each checked against both contracts by `apicompat validate`
# (the validator alone, not the rules that made the finding): a request witness must be valid for
# OLD and invalid for NEW, a response witness valid for NEW and invalid for OLD; a request to a
# removed operation valid for OLD, and NEW must have no such operation.  Every fixture under
# fixtures/openapi/proofs must have all its error findings proven.  Also: a witness made wrong on
# purpose is caught, so the check can fail.
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 checked=0

# witnesses REPORT DIR: writes DIR/N.json (the instance) and DIR/N.args (validate's arguments and the
# side that must accept it) for each proven counterexample; prints "unproven RULE" for error findings
# without one
witnesses() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
rep, out = json.load(open(sys.argv[1])), sys.argv[2]
n = 0
for f in rep["findings"]:
    c = f.get("counterexample")
    if f["severity"] == "error" and f.get("proof") != "proven":
        print("unproven", f["rule"])
    if not c:
        continue
    if c["kind"] == "operation":
        inst, args = c["value"], ["--request", "--message"]
    elif c["kind"] == "parameter":
        part = {"path": "path_params", "query": "query", "header": "headers"}[c["parameter"]["in"]]
        inst, args = {part: {c["parameter"]["name"]: c["value"]}}, ["--request", "--message"]
    elif c["direction"] == "request":
        inst, args = c["value"], ["--request", "--media-type", c["media_type"]]
    else:
        inst, args = c["value"], ["--response", c["status"], "--media-type", c["media_type"]]
    accepts = "old" if c["direction"] == "request" else "new"
    if c.get("new_reading", "").startswith("rejected: NEW has no operation"):
        accepts = "gone"
    json.dump(inst, open(f"{out}/{n}.json", "w"))
    open(f"{out}/{n}.args", "w").write("\n".join([accepts, f["rule"], c["operation"]] + args) + "\n")
    n += 1
PY
}

# check CASE_DIR WITNESS_DIR: 0 when every witness holds
check() {
  local d=$1 w=$2 bad=0
  for a in "$w"/*.args; do
    [ -f "$a" ] || continue
    mapfile -t x < "$a"
    local accepts=${x[0]} rule=${x[1]} op=${x[2]} rest=("${x[@]:3}") old_rc new_rc
    (cd "$d" && "$bin" validate old.yaml "${a%.args}.json" --operation "$op" "${rest[@]}" >/dev/null 2>"$tmp/err"); old_rc=$?
    (cd "$d" && "$bin" validate new.yaml "${a%.args}.json" --operation "$op" "${rest[@]}" >/dev/null 2>>"$tmp/err"); new_rc=$?
    local want_old=0 want_new=1
    [ "$accepts" = new ] && want_old=1 want_new=0
    # a removed operation: NEW has none to validate against (exit 2, naming it)
    [ "$accepts" = gone ] && want_old=0 want_new=2 && ! grep -q "no operation" "$tmp/err" && new_rc=x
    checked=$((checked + 1))
    if [ "$old_rc" != "$want_old" ] || [ "$new_rc" != "$want_new" ]; then
      echo "  $rule: OLD exit $old_rc (want $want_old), NEW exit $new_rc (want $want_new) $(head -1 "$tmp/err")"
      bad=1
    fi
  done
  return $bad
}

for d in "$root"/fixtures/openapi/proofs/*/; do
  name=$(basename "$d")
  w="$tmp/$name"
  mkdir -p "$w"
  (cd "$d" && "$bin" breaking old.yaml new.yaml --format json > "$w/report.json" 2>/dev/null)
  [ $? -le 1 ] || { echo "FAIL $name: apicompat failed"; fail=1; continue; }
  unproven=$(witnesses "$w/report.json" "$w")
  [ -z "$unproven" ] || { echo "FAIL $name: $unproven"; fail=1; }
  if check "$d" "$w"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
done

# the check can fail: a response witness that OLD accepts is not one
d="$root/fixtures/openapi/proofs/response-max-length-increased"
mkdir -p "$tmp/wrong"
printf '"abc"' > "$tmp/wrong/0.json"
printf 'new\nresponse-body-max-length-increased\nGET /name\n--response\n200\n--media-type\napplication/json\n' > "$tmp/wrong/0.args"
if check "$d" "$tmp/wrong" > /dev/null; then echo "FAIL: a wrong witness passed the check"; fail=1; fi

# bounded: 5,000 removed operations, of which the first AC_LIMIT_PROOF_OPS (1,024) are searched
/usr/bin/python3 - "$tmp" <<'PY'
import json, sys
def doc(n):
    paths = {f"/r{i}": {"delete": {"responses": {"204": {"description": "gone"}}}} for i in range(n)}
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}
json.dump(doc(5000), open(sys.argv[1] + "/many-old.json", "w"))
json.dump(doc(0), open(sys.argv[1] + "/many-new.json", "w"))
PY
(cd "$tmp" && "$bin" breaking many-old.json many-new.json --format json > many.json)
n=$(grep -c '"proof":	"proven"' "$tmp/many.json")
none=$(grep -c '"proof":	"none"' "$tmp/many.json")
if [ "$n" = 1024 ] && [ "$none" = 3976 ]; then echo "ok   5,000 removed operations: 1,024 searched and proven, 3,976 none"
else echo "FAIL: 5,000 removed operations: $n proven, $none none (want 1024 and 3976)"; fail=1; fi

[ "$checked" -ge 8 ] || { echo "FAIL: only $checked witnesses checked"; fail=1; }
echo "$checked witnesses checked"
exit $fail
