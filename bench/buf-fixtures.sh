#!/usr/bin/env bash
# Differential check on the protobuf fixtures: runs buf on every case it can read (directory pairs
# and descriptor-set pairs) and compares its findings with apicompat's as (rule, path, line,
# column).  Cases with a NOTE.md are deliberate differences and are listed apart.
# usage: bench/buf-fixtures.sh [APICOMPAT_BINARY]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$(dirname "${1:-$here/../build/apicompat}")" && pwd)/$(basename "${1:-apicompat}")
cache=${APICOMPAT_CACHE:-$HOME/.cache/apicompat}
"$here/fetch.sh" >/dev/null
buf=$cache/buf/node_modules/@bufbuild/buf-linux-x64/bin/buf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cases=0 agree=0 differ=0 deliberate=0 findings=0
while IFS= read -r exp; do
  dir=$(dirname "$exp")
  case "$dir" in */errors/*|*/errors) continue ;; esac
  args=(breaking old new)
  [ -f "$dir/cmd" ] && mapfile -t args < "$dir/cmd"
  [ "${#args[@]}" -ge 3 ] || continue
  old=${args[1]} new=${args[2]} use=""
  for ((i = 3; i < ${#args[@]}; i++)); do [ "${args[i]}" = --use ] && use=${args[i+1]}; done
  bufargs=()
  [ -n "$use" ] && bufargs=(--config "{\"version\":\"v2\",\"breaking\":{\"use\":[\"$use\"]}}")
  (cd "$dir" && "$buf" breaking "$new" --against "$old" --error-format json "${bufargs[@]}" > "$tmp/buf.json" 2>"$tmp/buf.err")
  [ -s "$tmp/buf.err" ] && grep -q Failure "$tmp/buf.err" && continue
  (cd "$dir" && "$bin" "${args[@]}" --format json > "$tmp/ours.json" 2>/dev/null)
  cases=$((cases + 1))
  n=$(grep -c . "$tmp/buf.json" || true)
  findings=$((findings + n))
  if python3 "$here/buf-compare.py" "$tmp/buf.json" "$tmp/ours.json" > "$tmp/cmp" 2>&1; then
    agree=$((agree + 1))
  elif [ -f "$dir/NOTE.md" ]; then
    deliberate=$((deliberate + 1))
    echo "deliberate difference: ${dir#"$here/../"}"
  else
    differ=$((differ + 1))
    echo "DIFFERS: ${dir#"$here/../"}"
    grep -E '^only' "$tmp/cmp"
  fi
done < <(find "$here/../fixtures/proto" -name expected | sort)
echo "protobuf fixtures run through buf: $cases cases ($findings buf findings); $agree agree, $deliberate deliberate differences, $differ differ"
[ "$differ" -eq 0 ]
