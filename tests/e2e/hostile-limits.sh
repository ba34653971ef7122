#!/usr/bin/env bash
# Inputs of a few hundred kilobytes that used to take gigabytes or minutes (issue #21): each is
# generated at test time (fixtures/hostile/lib/gen_limits.py), run under /usr/bin/time, and must
# end with its expected exit code within a CPU-time and memory bound about ten times what the linear
# code needs (with a floor, since the machine is shared).  Limits that fail closed are checked for
# their one-line message at the right place.
set -uo pipefail
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
gen="$root/fixtures/hostile/lib/gen_limits.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# A quadratic build would take gigabytes: stop it well before it hurts the machine (not under
# ASan, which reserves a huge address space up front).
# (grep, not `nm | grep -q`: under pipefail nm's SIGPIPE would read as "not found")
# ThreadSanitizer's run is for races and is many times slower: the limits are proven by the plain
# and the ASan runs.
if grep -q __tsan_init "$bin"; then echo "skipped: $bin is built with ThreadSanitizer"; exit 0; fi
asan=0
grep -q __asan_init "$bin" && asan=1

# run CASE EXIT MAX_SECONDS MAX_MB [STDERR_PATTERN]
run() {
  local case=$1 want=$2 max_s=$3 max_mb=$4 pattern=${5:-}
  # a sanitizer build runs several times slower: the bound is still far below a quadratic run
  [ $asan = 1 ] && max_s=$((max_s * 5))
  # the wall-clock guard only stops a hang: never tighter than the CPU bound it stands behind
  local guard=$((max_s * 2 > 30 ? max_s * 2 : 30))
  local d="$tmp/$case"
  python3 "$gen" "$case" "$d" 1 || { echo "FAIL $case: generator"; fail=1; return; }
  local args=(old.yaml new.yaml)
  [ -d "$d/old" ] && args=(old new)
  (
    cd "$d" || exit 99
    [ $asan = 1 ] || ulimit -v 2097152
    exec /usr/bin/time -f '%U %S %M' -o "$d/time" timeout "$guard" "$bin" breaking "${args[@]}" > "$d/out" 2> "$d/err"
  )
  local rc=$?
  # CPU seconds (user + system), not wall time: the bound is about the work the input causes,
  # and other jobs on a shared machine must not make it fail
  local usr sys kb secs
  read -r usr sys kb < <(tail -1 "$d/time")
  secs=$(awk -v u="${usr:-999}" -v s="${sys:-0}" 'BEGIN { printf "%.2f", u + s }')
  local mb=$(( ${kb:-0} / 1024 ))
  local ok=1
  [ "$rc" = "$want" ] || ok=0
  awk -v s="${secs:-999}" -v m="$max_s" 'BEGIN { exit !(s <= m) }' || ok=0
  [ $asan = 1 ] || [ "$mb" -le "$max_mb" ] || ok=0
  if [ -n "$pattern" ]; then
    [ "$(wc -l < "$d/err")" -eq 1 ] && grep -Eq "$pattern" "$d/err" || ok=0
  fi
  if [ $ok = 1 ]; then
    echo "ok   $case: exit $rc, ${secs}s (max ${max_s}s), ${mb} MB (max ${max_mb} MB)"
  else
    echo "FAIL $case: exit $rc (want $want), ${secs}s (max ${max_s}s), ${mb} MB (max ${max_mb} MB)"
    head -3 "$d/err"
    fail=1
  fi
}

# an enum growing from 1 value to 20,000: was 3.1 GB (each number's group sized for every value)
run enum 0 3 200
# 60,000 deleted enum values, each reserved: each was looked up by a scan of the reservations
run enum-reserved 0 3 300
# an allOf of 16,000 members: was 3 GB (the property union copied at each step)
run allof 1 3 300
# 80,000 component schemas and 30 x 2,000 scopes in reverse order: was 11 s (names paired pairwise)
run components 0 3 300
# 70,000 anchors and 120,000 aliases: was 28 s (each alias looked up by a scan)
run anchors 0 3 200
# merge keys over a 2,000-key map repeated 4,900 times: 9.8 million merged pairs, under the limit
run merge 0 8 800
# 10,000 findings against 5,000 path ignores: was 96 s and 1.6 GB (a realpath and a copy each)
run path-ignores 1 3 300
# 15,000 findings against 7,000 element ignores: findings x ignores comparisons, bounded
run element-ignores 2 20 300 '^apicompat\.yaml:[0-9]+:5: comparing the findings with the ignores took more than 100000000 comparisons'
# four `(a+)+$` ignores against 50 crafted names: was 33 s under PCRE2's default limits
run regex 2 3 100 '^apicompat\.yaml:3:5: the regular expression failed on "Pet\.a+b0!": match limit exceeded$'
# the same with matches each under the limit of one match: the total budget stops them
run regex-budget 2 8 100 '^apicompat\.yaml:[0-9]+:5: the regular expressions of the ignores ran over their budget'

# A regular expression that fails ends the run through the status, so the temporary checkout of
# a git revision is removed (it used to _exit(2) from the library and leave it behind).
d="$tmp/regex-git"
python3 "$gen" regex-over "$d" 1
mkdir -p "$d/tmpdir"
(
  cd "$d" && git init -q . && cp old.yaml openapi.yaml && git add openapi.yaml apicompat.yaml &&
    git -c user.name=t -c user.email=t@t commit -qm old && cp new.yaml openapi.yaml
) || { echo "FAIL regex-git: setup"; fail=1; }
(cd "$d" && TMPDIR="$d/tmpdir" timeout 60 "$bin" breaking --against HEAD openapi.yaml > /dev/null 2> "$d/err")
rc=$?
left=$(ls -A "$d/tmpdir")
if [ $rc = 2 ] && [ -z "$left" ] && grep -q "match limit exceeded" "$d/err"; then
  echo "ok   regex-git: exit 2, temporary directory removed"
else
  echo "FAIL regex-git: exit $rc, left in TMPDIR: ${left:-nothing}; $(head -1 "$d/err")"
  fail=1
fi

[ $fail = 0 ] && echo "hostile limits: ok"
exit $fail
