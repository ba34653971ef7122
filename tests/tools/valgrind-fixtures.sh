#!/usr/bin/env bash
# make valgrind: runs fixture cases under valgrind (memcheck, full leak check) and reports any
# error or leak.  Every Nth case (VALGRIND_EVERY, default 1 = all); cases that need protoc run it
# under valgrind too (children are not traced).
set -uo pipefail
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
every=${VALGRIND_EVERY:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0 ran=0 bad=0
while IFS= read -r exp; do
  i=$((i + 1))
  [ $((i % every)) -eq 0 ] || continue
  dir=$(dirname "$exp")
  [ -f "$dir/setup" ] && continue # needs a scratch copy (git cases): covered by ASan in make asan
  args=(breaking old new)
  [ -f "$dir/cmd" ] && mapfile -t args < "$dir/cmd"
  envs=()
  [ -f "$dir/env" ] && mapfile -t envs < "$dir/env"
  (cd "$dir" && env "${envs[@]}" valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
     --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 "$bin" "${args[@]}" >/dev/null 2>"$tmp/err")
  rc=$?
  ran=$((ran + 1))
  if [ $rc -eq 99 ] || grep -q "==[0-9]*==" "$tmp/err"; then
    bad=$((bad + 1))
    echo "VALGRIND ${dir#"$root"/}"
    grep "==[0-9]*==" "$tmp/err" | head -15
  fi
done < <(find "$root/fixtures" -name expected -type f | sort)
echo "valgrind: $ran cases, $bad with errors or leaks"
[ $bad -eq 0 ]
