#!/usr/bin/env bash
# apicompat validate against an independent validator (Debian's python3-jsonschema) on the
# validate fixtures' payloads and mutations of them: every verdict must agree.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
/usr/bin/python3 -c 'import jsonschema, yaml' 2>/dev/null || { echo "python3-jsonschema or python3-yaml missing: run make deps"; exit 1; }
/usr/bin/python3 "$root/tests/tools/crosscheck_jsonschema.py" "$1"
