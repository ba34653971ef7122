#!/usr/bin/env bash
# Differential check against buf on real data: google-proto-files 5.0.0 -> 6.0.1, the google/cloud
# tree with everything it imports, under buf's categories (v1 FILE, PACKAGE, WIRE_JSON, WIRE; v2
# FILE).  Prints, per configuration, how many findings agree as (rule, path, line, column).
# usage: bench/buf-diff.sh [APICOMPAT_BINARY]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$(dirname "${1:-$here/../build/apicompat}")" && pwd)/$(basename "${1:-apicompat}")
cache=${APICOMPAT_CACHE:-$HOME/.cache/apicompat}
"$here/fetch.sh" >/dev/null
buf=$cache/buf/node_modules/@bufbuild/buf-linux-x64/bin/buf
work=$cache/gpf-cloud
mkdir -p "$work"
[ -d "$work/old" ] || python3 "$here/gpf-tree.py" "$cache/gpf5/node_modules/google-proto-files" google/cloud "$work/old"
[ -d "$work/new" ] || python3 "$here/gpf-tree.py" "$cache/gpf6/node_modules/google-proto-files" google/cloud "$work/new"
cd "$work"
status=0
# Each configuration is written as buf.yaml into both trees, where both tools find it.
trap 'rm -f "$work/old/buf.yaml" "$work/new/buf.yaml"' EXIT
for conf in v1:FILE v1:PACKAGE v1:WIRE_JSON v1:WIRE v2:FILE v2:PACKAGE v2:WIRE_JSON v2:WIRE; do
  v=${conf%%:*} cat=${conf#*:}
  printf 'version: %s\nbreaking:\n  use: [%s]\n' "$v" "$cat" | tee old/buf.yaml > new/buf.yaml
  /usr/bin/time -f "%e %M" -o time-buf "$buf" breaking new --against old --error-format json > buf-$v-$cat.json 2>buf.err || true
  /usr/bin/time -f "%e %M" -o time-ours "$bin" breaking old new --format json > ours-$v-$cat.json || true
  read -r bt bm < <(tail -1 time-buf)
  read -r ot om < <(tail -1 time-ours)
  echo "== $v $cat (buf ${bt}s ${bm}KB, apicompat ${ot}s ${om}KB)"
  python3 "$here/buf-compare.py" buf-$v-$cat.json ours-$v-$cat.json --show 20 || status=1
done
exit $status
