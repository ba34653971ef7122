#!/usr/bin/env bash
# The named rule sets: `apicompat rules` documents each in both formats, README.md does too, and the
# selection each makes keeps to buf's categories (protobuf) and to the documented OpenAPI meaning.
set -euo pipefail
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
sets="backward-compatible package wire-json-compatible wire-compatible strict"
text=$("$bin" rules)
for s in $sets; do
  # the set's heading, then its protobuf and its OpenAPI line
  printf '%s\n' "$text" | grep -A2 -E "^$s( \(default\))?\$" | grep '^  protobuf: ' > /dev/null || { echo "rules: no protobuf line for $s"; exit 1; }
  printf '%s\n' "$text" | grep -A2 -E "^$s( \(default\))?\$" | grep '^  OpenAPI: ' > /dev/null || { echo "rules: no OpenAPI line for $s"; exit 1; }
  grep -qE "^\| \`$s\`" "$root/README.md" || { echo "README.md: no row for rule set $s"; exit 1; }
done
"$bin" rules --format json | python3 -c '
import json, sys
rules = json.load(sys.stdin)
def has(r, s): return s in r.get("rule_sets", [])
for r in rules:
    if r["format"] == "protobuf":
        cats = r.get("categories", {}).get("v1")
        if cats is None or r.get("replaced_by") is not None:
            assert not r.get("rule_sets"), r["id"]
            continue
        # buf's category, and apicompat's HTTP and AIP (Google API annotations) where documented
        want = {"backward-compatible": ("FILE", "HTTP", "AIP"), "package": ("PACKAGE", "HTTP", "AIP"),
                "wire-json-compatible": ("WIRE_JSON", "HTTP"), "wire-compatible": ("WIRE",)}
        for s, c in want.items():
            assert has(r, s) == any(x in cats for x in c), (r["id"], s)
        assert has(r, "strict") == bool(cats), r["id"]
    elif r["format"] == "openapi":
        assert has(r, "strict"), r["id"]
        if r["id"] == "api-version-not-bumped":  # opt-in (as oasdiff runs it): strict only
            assert r.get("rule_sets") == ["strict"], r.get("rule_sets")
            continue
        assert has(r, "backward-compatible"), r["id"]
        assert has(r, "package") == (r["area"] != "Tags"), r["id"]
        assert has(r, "wire-compatible") == has(r, "wire-json-compatible"), r["id"]
        if has(r, "wire-compatible"):
            assert r["kind"] != "lifecycle" and r["area"] not in ("Info", "Tags"), r["id"]
        if "strict_severity" in r:
            assert r["severity"] == "info" and r["strict_severity"] == "warning", r["id"]
    else:
        assert "rule_sets" not in r, r["id"]
'
echo ok
