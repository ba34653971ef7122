#!/usr/bin/env bash
# apicompat rest: the REST surface of fixtures/rest/surface/library.proto.  The text listing is the
# stored one; the OpenAPI 3.1 document loads with apicompat's own OpenAPI loader (a document compared
# with itself is compatible) and passes a structural check written here with python3-jsonschema
# (the OpenAPI 3.1 meta-schema is not in Debian).  An OpenAPI contract given to rest is an error.
set -u
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/fixtures/rest/surface
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
(cd "$dir" && "$bin" rest library.proto) > "$tmp/text" || { echo "rest (text) failed"; exit 1; }
diff "$dir/expected-text.txt" "$tmp/text" || { echo "rest text output differs from expected-text.txt"; fail=1; }
"$bin" rest "$dir/library.proto" --format openapi > "$tmp/surface.json" || { echo "rest --format openapi failed"; exit 1; }
out=$("$bin" breaking "$tmp/surface.json" "$tmp/surface.json" 2>&1) || { echo "apicompat's loader rejects the surface: $out"; fail=1; }
n=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(len(v) for v in d["paths"].values()))' "$tmp/surface.json")
[ "$n" = 6 ] || { echo "expected 6 operations in the document, got $n"; fail=1; }
# each operation names its service's google.api.default_host as its server
hosts=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sorted({s["url"] for p in d["paths"].values() for o in p.values() for s in o.get("servers", [])}), sum("servers" not in o for p in d["paths"].values() for o in p.values()))' "$tmp/surface.json")
[ "$hosts" = "['https://library.example.com'] 0" ] || { echo "expected every operation served from https://library.example.com, got $hosts"; fail=1; }
if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
  /usr/bin/python3 - "$tmp/surface.json" <<'PY' || fail=1
import json, sys, jsonschema
doc = json.load(open(sys.argv[1]))
ref = {"type": "object", "required": ["$ref"], "properties": {"$ref": {"type": "string", "pattern": "^#/components/schemas/"}}}
schema_or_ref = {"type": "object"}
param = {"type": "object", "required": ["name", "in", "schema"],
         "properties": {"name": {"type": "string", "minLength": 1}, "in": {"enum": ["path", "query", "header", "cookie"]},
                        "required": {"type": "boolean"}, "schema": schema_or_ref}}
media = {"type": "object", "additionalProperties": {"type": "object", "properties": {"schema": schema_or_ref}}}
op = {"type": "object", "required": ["responses"],
      "properties": {"operationId": {"type": "string"}, "parameters": {"type": "array", "items": param},
                     "requestBody": {"type": "object", "required": ["content"], "properties": {"content": media}},
                     "responses": {"type": "object", "minProperties": 1, "additionalProperties": {
                         "type": "object", "required": ["description"], "properties": {"content": media}}}}}
meta = {"type": "object", "required": ["openapi", "info", "paths"],
        "properties": {"openapi": {"type": "string", "pattern": "^3\\.1\\.\\d+$"},
                       "info": {"type": "object", "required": ["title", "version"]},
                       "paths": {"type": "object", "propertyNames": {"pattern": "^/"}, "additionalProperties": {
                           "type": "object", "propertyNames": {"enum": ["get", "put", "post", "delete", "patch", "options", "head", "trace"]},
                           "additionalProperties": op}},
                       "components": {"type": "object", "properties": {"schemas": {"type": "object", "additionalProperties": schema_or_ref}}}}}
jsonschema.Draft202012Validator(meta).validate(doc)
# every $ref resolves, and every path parameter is named in its template
names = set(doc.get("components", {}).get("schemas", {}))
def walk(x):
    if isinstance(x, dict):
        r = x.get("$ref")
        if isinstance(r, str) and r.split("/")[-1] not in names:
            raise SystemExit("dangling $ref " + r)
        for v in x.values(): walk(v)
    elif isinstance(x, list):
        for v in x: walk(v)
walk(doc)
for path, item in doc["paths"].items():
    for m, o in item.items():
        for p in o.get("parameters", []):
            if p["in"] == "path" and "{" + p["name"] not in path:
                raise SystemExit("path parameter %s not in %s" % (p["name"], path))
PY
fi
# hostile: 30,000 message types, each the type of a field of the one before; the surface stops
# nesting schemas at a bound (without it the conversion recursed once per type)
/usr/bin/python3 - "$tmp/deep.proto" <<'PY'
import sys
n = 30000
out = ['syntax = "proto3";', 'package deep;', 'import "google/api/annotations.proto";',
       'service S { rpc Get(M0) returns (M0) { option (google.api.http) = { post: "/v1/x" body: "*" }; } }']
out += ['message M%d { M%d next = 1; }' % (i, i + 1) for i in range(n)] + ['message M%d { string s = 1; }' % n]
open(sys.argv[1], 'w').write('\n'.join(out) + '\n')
PY
timeout 60 "$bin" rest "$tmp/deep.proto" --format openapi > "$tmp/deep.json" || { echo "rest on a 30,000-type chain failed"; fail=1; }
k=$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["components"]["schemas"]))' "$tmp/deep.json" 2>/dev/null)
[ -n "$k" ] && [ "$k" -le 300 ] || { echo "a 30,000-type chain gave ${k:-no} components (bound: 256 nested)"; fail=1; }
# an OpenAPI contract has no REST surface to derive
"$bin" rest "$tmp/surface.json" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 2 ] || { echo "rest on an OpenAPI document: exit $rc, expected 2"; fail=1; }
exit $fail
