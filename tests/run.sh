#!/usr/bin/env bash
# The one test runner: unit tests (cmocka), then every fixture case under fixtures/.
#
# A case is a directory with a file named `expected` (the exact stdout).  Optional files:
#   cmd              arguments after `apicompat`, one per line (default: breaking, old, new)
#   exit             the expected exit code (default 0 when `expected` is empty, else 1)
#   expected-stderr  the exact stderr (default: stderr must be empty when the exit code is 0 or 1)
#   env              NAME=value lines set for the command (e.g. APICOMPAT_TODAY=2020-01-01)
#   setup            a bash script run first in a scratch copy of the case (e.g. to build a git
#                    repository with tests/lib/git.sh, available as $TESTLIB); cmd then runs there
#   cwd              the directory, relative to the case (or its scratch copy), to run cmd in
# Then every tests/e2e/*.sh runs with the binary as its argument; exit 0 is a pass.
# The command runs inside the case directory, so paths in the output are relative to it.
# Usage: tests/run.sh APICOMPAT_BINARY UNIT_TEST_BINARY [CASE_DIR_FILTER]
# With UPDATE=1, a failing case's `expected` (and `expected-stderr`, `exit`) are rewritten from what
# the binary printed: review the diff before committing it.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
unit=$2
filter=${3:-}
root=$(cd "$(dirname "$0")/.." && pwd)
passed=0
failed=0
failures=()

if [ -z "$filter" ]; then
  # cmocka prints "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)..." per group
  out=$("$unit" 2>&1)
  ucode=$?
  up=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
  uf=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
  passed=$((passed + up))
  failed=$((failed + uf))
  if [ "$ucode" -ne 0 ] && [ "$uf" -eq 0 ]; then failed=$((failed + 1)); fi
  if [ "$ucode" -ne 0 ]; then printf '%s\n' "$out" | grep -E 'FAILED|ERROR|Failure|error:' | head -40; failures+=("unit tests"); fi
  echo "unit tests: $up passed, $uf failed"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Setups and e2e scripts run python3 often: take Debian's directly (a version manager's shim on
# PATH costs several processes per call, and Debian's modules import only under /usr/bin/python3).
if [ -x /usr/bin/python3 ]; then
  mkdir -p "$tmp/bin" && ln -s /usr/bin/python3 "$tmp/bin/python3" && export PATH="$tmp/bin:$PATH"
fi

# The fixture cases run in $jobs shards at once (one per core): shard k takes every jobs-th case
# from the k-th, in its own scratch directory, and writes its counts and messages there.
run_shard() { # shard-dir k jobs
  local tmp=$1 k=$2 jobs=$3 i=0 passed=0 failed=0
  mkdir -p "$tmp"
  while IFS= read -r exp; do
    i=$((i + 1))
    [ $(((i - 1) % jobs)) -eq "$k" ] || continue
    case_dir=$(dirname "$exp")
    rel=${case_dir#"$root"/}
    if [ -n "$filter" ] && [[ "$rel" != *"$filter"* ]]; then continue; fi
    args=()
    if [ -f "$case_dir/cmd" ]; then
      while IFS= read -r line || [ -n "$line" ]; do [ -n "$line" ] && args+=("$line"); done < "$case_dir/cmd"
    else
      args=(breaking old new)
    fi
    envs=()
    if [ -f "$case_dir/env" ]; then
      while IFS= read -r line || [ -n "$line" ]; do [ -n "$line" ] && envs+=("$line"); done < "$case_dir/env"
    fi
    run_dir=$case_dir
    if [ -f "$case_dir/setup" ]; then
      # a case that needs more than files (a git repository): setup builds it in a scratch copy
      rm -rf "$tmp/work" && mkdir "$tmp/work" && cp -r "$case_dir/." "$tmp/work/"
      if ! (cd "$tmp/work" && TESTLIB="$root/tests/lib" bash ./setup >"$tmp/setup.log" 2>&1); then
        failed=$((failed + 1)); failures+=("$rel"); echo "FAIL $rel: setup failed"; head -5 "$tmp/setup.log"; continue
      fi
      run_dir=$tmp/work
    fi
    [ -f "$case_dir/cwd" ] && run_dir=$run_dir/$(tr -d '\n' < "$case_dir/cwd")
    (cd "$run_dir" && env "${envs[@]}" timeout 60 "$bin" "${args[@]}" >"$tmp/out" 2>"$tmp/err")
    code=$?
    if [ -f "$case_dir/exit" ]; then want=$(tr -d ' \n' < "$case_dir/exit"); elif [ -s "$exp" ]; then want=1; else want=0; fi
    ok=1
    why=""
    if [ "$code" != "$want" ]; then ok=0; why="exit code $code, expected $want"; fi
    if ! cmp -s "$exp" "$tmp/out"; then ok=0; why="${why:+$why; }stdout differs"; fi
    if [ -f "$case_dir/expected-stderr" ]; then
      if ! cmp -s "$case_dir/expected-stderr" "$tmp/err"; then ok=0; why="${why:+$why; }stderr differs"; fi
    elif [ "$code" -le 1 ] && [ -s "$tmp/err" ]; then
      ok=0; why="${why:+$why; }unexpected stderr"
    fi
    if [ $ok = 0 ] && [ "${UPDATE:-}" = 1 ]; then
      cp "$tmp/out" "$exp"
      if [ "$code" -ge 2 ] || [ -s "$tmp/err" ]; then cp "$tmp/err" "$case_dir/expected-stderr"; else rm -f "$case_dir/expected-stderr"; fi
      if [ "$code" != "$([ -s "$exp" ] && echo 1 || echo 0)" ]; then echo "$code" > "$case_dir/exit"; else rm -f "$case_dir/exit"; fi
      echo "UPDATED $rel"
      ok=1
    fi
    if [ $ok = 1 ]; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1))
      failures+=("$rel")
      echo "FAIL $rel: $why"
      diff -u "$exp" "$tmp/out" | head -20
      [ -f "$case_dir/expected-stderr" ] && diff -u "$case_dir/expected-stderr" "$tmp/err" | head -10
      [ ! -f "$case_dir/expected-stderr" ] && head -5 "$tmp/err"
    fi
  done < <(find "$root/fixtures" -name expected -type f | sort)
  echo "$passed $failed" > "$tmp/counts"
}

jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
for ((k = 0; k < jobs; k++)); do
  run_shard "$tmp/shard$k" "$k" "$jobs" > "$tmp/shard$k.log" 2>&1 &
done
wait
for ((k = 0; k < jobs; k++)); do
  cat "$tmp/shard$k.log"
  if [ -f "$tmp/shard$k/counts" ]; then
    read -r sp sf < "$tmp/shard$k/counts"
    passed=$((passed + sp))
    failed=$((failed + sf))
  else
    failed=$((failed + 1)); echo "FAIL: test shard $k did not finish"
  fi
done

# end-to-end scripts (the GitHub Action, schema validation of the CI formats): each exits 0 on
# success.  They run $jobs at once, each with its own log; results are read in the scripts' order.
run_e2e() { # script log
  if timeout 300 bash "$1" "$bin" >"$2" 2>&1; then echo 0 > "$2.rc"; else echo 1 > "$2.rc"; fi
}
e2e=()
for script in "$root"/tests/e2e/*.sh; do
  [ -f "$script" ] || continue
  rel=${script#"$root"/}
  if [ -n "$filter" ] && [[ "$rel" != *"$filter"* ]]; then continue; fi
  e2e+=("$script")
done
mkdir -p "$tmp/e2e"
running=0
for i in "${!e2e[@]}"; do
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
  run_e2e "${e2e[$i]}" "$tmp/e2e/$i.log" &
  running=$((running + 1))
done
wait
for i in "${!e2e[@]}"; do
  rel=${e2e[$i]#"$root"/}
  if [ "$(cat "$tmp/e2e/$i.log.rc" 2>/dev/null)" = 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); failures+=("$rel"); echo "FAIL $rel"; tail -20 "$tmp/e2e/$i.log"
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
