#!/usr/bin/env bash
# Allocation failure: for fixtures of each kind, fail the Nth allocation of the process for every
# N (tests/tools/failmalloc.c, LD_PRELOAD).  Each run must either end with exit 2 and one line on
# stderr, or, when the failure was absorbed (glibc falls back to an unbuffered stdout, say), print
# exactly what the run without a failure prints.  A crash, a hang or a partial report fails.
set -euo pipefail
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
# a sanitizer build has its own allocator: the shim cannot sit in front of it (make asan, make tsan)
if grep -q __asan_init "$bin"; then echo "skipped: $bin is built with AddressSanitizer"; exit 0; fi
if grep -q __tsan_init "$bin"; then echo "skipped: $bin is built with ThreadSanitizer"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -shared -fPIC -o "$tmp/failmalloc.so" "$root/tests/tools/failmalloc.c"
cases=(
  "fixtures/openapi/ops/response-ref-media-type-removed|breaking old.yaml new.yaml"
  "fixtures/proto/editions/java-utf8-proto2-migration-fires|breaking old.binpb new.binpb --format json"
  "fixtures/policy/ignore/operation-openapi-shared-component|breaking old.yaml new.yaml --show-suppressed --format sarif"
)
bad=0
for c in "${cases[@]}"; do
  dir=$root/${c%%|*}
  read -r -a args <<< "${c#*|}"
  cd "$dir"
  set +e
  env APICOMPAT_TODAY=2026-06-01 "$bin" "${args[@]}" > "$tmp/want" 2>/dev/null
  want_rc=$?
  env APICOMPAT_TODAY=2026-06-01 FAILMALLOC_COUNT="$tmp/count" LD_PRELOAD="$tmp/failmalloc.so" "$bin" "${args[@]}" >/dev/null 2>&1
  set -e
  total=$(cat "$tmp/count")
  exit2=0 absorbed=0
  for ((n = 1; n <= total; n++)); do
    set +e
    env APICOMPAT_TODAY=2026-06-01 FAILMALLOC_AT=$n LD_PRELOAD="$tmp/failmalloc.so" timeout 20 "$bin" "${args[@]}" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    set -e
    if [ $rc -eq 2 ] && [ "$(wc -l < "$tmp/err")" -eq 1 ]; then
      exit2=$((exit2 + 1))
    elif [ $rc -eq $want_rc ] && cmp -s "$tmp/out" "$tmp/want" && [ ! -s "$tmp/err" ]; then
      absorbed=$((absorbed + 1))
    else
      bad=$((bad + 1))
      echo "FAIL ${c%%|*}: allocation $n of $total: exit $rc, stderr: $(head -c 200 "$tmp/err")"
    fi
  done
  echo "${c%%|*}: $total allocations; $exit2 failed cleanly (exit 2), $absorbed absorbed with the full result"
done
[ $bad -eq 0 ]
