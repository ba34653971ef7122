#!/usr/bin/env bash
# The complete apicompat.yaml example in README.md is a valid configuration.
set -euo pipefail
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$root/README.md" "$tmp/apicompat.yaml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"## Configuration: apicompat.yaml.*?```yaml\n(.*?)```", text, re.S)
if not m:
    sys.exit("README.md has no apicompat.yaml example")
open(sys.argv[2], "w").write(m.group(1))
PY
cd "$tmp"
mkdir -p proto && printf 'version: v1\n' > proto/buf.yaml
: > .oasdiff-levels.txt; : > .oasdiff-err-ignore.txt; : > .oasdiff-warn-ignore.txt
out=$("$bin" config check apicompat.yaml)
echo "$out"
case "$out" in *": ok ("*"3 ignores, fail on error)") ;; *) echo "unexpected: $out"; exit 1 ;; esac
