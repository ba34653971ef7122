#!/usr/bin/env bash
# make bench: apicompat against its peers on real APIs, side by side in one run.
#
#   protobuf  google-proto-files 5.0.0 -> 6.0.1, the google/cloud tree and its imports:
#             buf images (buf build -o) compared by buf and by apicompat; the same trees as
#             directories of sources (each compiles with its own front end; apicompat also with
#             --protoc, for comparison);
#             and the floor: decoding both images with protobuf-c alone is not separable from our
#             loader, so the floor shown is reading them (cat).
#   OpenAPI   GitHub Enterprise Server 3.17 -> 3.19 (@octokit/openapi): apicompat against the
#             parse-only floor (cJSON parsing both files: bench/parse_floor.c).  oasdiff is not
#             installable here (Go; npm's "oasdiff" is a placeholder), so the ratio is to the floor.
#   scaling   the GHES pair replicated 1x, 2x, 4x, 8x (paths and component schemas copied under
#             new names): the exponent of time in size.
#
# Runs alternate between the tools; medians of wall time and peak RSS over BENCH_RUNS (default
# 5).  It also checks that buf and apicompat report the same protobuf findings.  A benchmark
# never fails for being slow: the exit code is 0 unless something could not run or the findings
# disagree.  BENCH_QUICK=1: one run, no directory or scaling pairs (for CI, to keep it working).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=$(realpath "${1:-$root/build/apicompat}")
floor=$root/build/parse_floor
runs=${BENCH_RUNS:-5}
quick=${BENCH_QUICK:-0}
[ "$quick" = 1 ] && runs=1
cache=${APICOMPAT_CACHE:-$HOME/.cache/apicompat}
"$here/fetch.sh" >/dev/null
buf=$cache/buf/node_modules/@bufbuild/buf-linux-x64/bin/buf
gh=$cache/octokit/node_modules/@octokit/openapi/generated
work=$cache/bench
mkdir -p "$work"
# a copy: a rebuild during the run must not mix two binaries into one table
cp "$bin" "$work/apicompat-under-test"
bin=$work/apicompat-under-test
cc -O2 -o "$floor" "$here/parse_floor.c" -lcjson -lyaml

# inputs
trees=$cache/gpf-cloud
[ -d "$trees/old" ] || python3 "$here/gpf-tree.py" "$cache/gpf5/node_modules/google-proto-files" google/cloud "$trees/old"
[ -d "$trees/new" ] || python3 "$here/gpf-tree.py" "$cache/gpf6/node_modules/google-proto-files" google/cloud "$trees/new"
rm -f "$trees/old/buf.yaml" "$trees/new/buf.yaml"
[ -f "$work/old.binpb" ] || "$buf" build "$trees/old" -o "$work/old.binpb"
[ -f "$work/new.binpb" ] || "$buf" build "$trees/new" -o "$work/new.binpb"
if [ "$quick" != 1 ]; then
  for k in 1 2 4 8; do
    [ -f "$work/ghes-x$k-old.json" ] || python3 "$here/scale-openapi.py" "$gh/ghes-3.17.json" "$k" "$work/ghes-x$k-old.json"
    [ -f "$work/ghes-x$k-new.json" ] || python3 "$here/scale-openapi.py" "$gh/ghes-3.19.json" "$k" "$work/ghes-x$k-new.json"
  done
fi

# one measurement: "seconds kilobytes" of a command (its exit code 0 or 1 is fine)
measure() {
  local t
  t=$(mktemp "$work/time.XXXXXX") # one per measurement: the previous one's rm may still be running
  /usr/bin/time -f "%e %M %U" -o "$t" "$@" > /dev/null 2>"$work/stderr.$$" || true
  tail -1 "$t"
  rm -f "$t"
}

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

declare -A T M U
record() { # name seconds kb user-seconds
  T[$1]+="$2"$'\n'
  M[$1]+="$3"$'\n'
  U[$1]+="$4"$'\n'
}

# name:command pairs, run alternately
cd "$work"
cmds=(
  "buf-images|$buf breaking $work/new.binpb --against $work/old.binpb"
  "apicompat-images|$bin breaking $work/old.binpb $work/new.binpb"
  "apicompat-images-buf-rules|$bin breaking $work/old.binpb $work/new.binpb --except HTTP,AIP"
  "apicompat-images-proofs|$bin breaking $work/old.binpb $work/new.binpb --format json"
  "apicompat-images-no-proofs|$bin breaking $work/old.binpb $work/new.binpb --format json --no-proofs"
  "read-images|cat $work/old.binpb $work/new.binpb"
  "apicompat-ghes|$bin breaking $gh/ghes-3.17.json $gh/ghes-3.19.json"
  "apicompat-ghec-proofs|$bin breaking $gh/ghes-3.19.json $gh/ghec.json --format json"
  "apicompat-ghec-no-proofs|$bin breaking $gh/ghes-3.19.json $gh/ghec.json --format json --no-proofs"
  "floor-ghes|$floor $gh/ghes-3.17.json $gh/ghes-3.19.json"
)
if [ "$quick" != 1 ]; then
  cmds+=("buf-dirs|$buf breaking $trees/new --against $trees/old" "apicompat-dirs|$bin breaking $trees/old $trees/new"
         "apicompat-dirs-buf-rules|$bin breaking $trees/old $trees/new --except HTTP,AIP"
         "apicompat-dirs-protoc|$bin breaking $trees/old $trees/new --protoc protoc")
  for k in 1 2 4 8; do cmds+=("scale-x$k|$bin breaking $work/ghes-x$k-old.json $work/ghes-x$k-new.json"); done
fi
for ((r = 1; r <= runs; r++)); do
  for c in "${cmds[@]}"; do
    name=${c%%|*}
    read -r -a argv <<< "${c#*|}"
    read -r s kb us < <(measure "${argv[@]}")
    record "$name" "$s" "$kb" "$us"
  done
done

med_t() { printf '%s' "${T[$1]}" | median; }
med_m() { printf '%s' "${M[$1]}" | median; }
med_u() { printf '%s' "${U[$1]}" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }

echo "apicompat benchmark: $(nproc) cores, $(uname -srm); buf $("$buf" --version), median of $runs runs"
echo
printf '| %-34s | %10s | %12s | %s |\n' "pair" "seconds" "peak MB" "ratio"
printf '|%s|%s|%s|%s|\n' "------------------------------------" "------------" "--------------" "-------------------------------"
row() { # label name ratio-text
  printf '| %-34s | %10s | %12s | %s |\n' "$1" "$(med_t "$2")" "$(awk -v k="$(med_m "$2")" 'BEGIN{printf "%.0f", k/1024}')" "$3"
}
bt=$(med_t buf-images) at=$(med_t apicompat-images) bm=$(med_m buf-images) am=$(med_m apicompat-images)
row "protobuf images: buf" buf-images ""
row "protobuf images: apicompat" apicompat-images "$(ratio "$bt" "$at")x faster, $(ratio "$bm" "$am")x less memory"
# what buf checks and nothing more: apicompat's default adds the HTTP and AIP rules (the REST surface)
at=$(med_t apicompat-images-buf-rules) am=$(med_m apicompat-images-buf-rules)
row "protobuf images: apicompat, buf's rules" apicompat-images-buf-rules "$(ratio "$bt" "$at")x faster, $(ratio "$bm" "$am")x less memory"
row "protobuf images: reading both (cat)" read-images ""
# the counterexample search (issue #16): a JSON report with proofs against one without
pt=$(med_t apicompat-images-proofs) nt=$(med_t apicompat-images-no-proofs)
pu=$(med_u apicompat-images-proofs) nu=$(med_u apicompat-images-no-proofs)
row "protobuf images: json, no proofs" apicompat-images-no-proofs ""
row "protobuf images: json with proofs" apicompat-images-proofs "$(ratio "$pt" "$nt")x the time without (user CPU $(ratio "$pu" "$nu")x)"
pt=$(med_t apicompat-ghec-proofs) nt=$(med_t apicompat-ghec-no-proofs)
pu=$(med_u apicompat-ghec-proofs) nu=$(med_u apicompat-ghec-no-proofs)
row "GHES 3.19 -> GHEC: json, no proofs" apicompat-ghec-no-proofs ""
row "GHES 3.19 -> GHEC: json with proofs" apicompat-ghec-proofs "$(ratio "$pt" "$nt")x the time without (user CPU $(ratio "$pu" "$nu")x)"
if [ "$quick" != 1 ]; then
  bt=$(med_t buf-dirs) at=$(med_t apicompat-dirs) bm=$(med_m buf-dirs) am=$(med_m apicompat-dirs)
  row "protobuf sources: buf" buf-dirs ""
  row "protobuf sources: apicompat" apicompat-dirs "$(ratio "$bt" "$at")x faster, $(ratio "$bm" "$am")x less memory"
  at=$(med_t apicompat-dirs-buf-rules) am=$(med_m apicompat-dirs-buf-rules)
  row "protobuf sources: apicompat, buf's rules" apicompat-dirs-buf-rules "$(ratio "$bt" "$at")x faster, $(ratio "$bm" "$am")x less memory"
  pt=$(med_t apicompat-dirs-protoc) pm=$(med_m apicompat-dirs-protoc)
  row "protobuf sources: apicompat --protoc" apicompat-dirs-protoc "$(ratio "$bt" "$pt")x faster, $(ratio "$bm" "$pm")x less memory"
fi
ft=$(med_t floor-ghes) ot=$(med_t apicompat-ghes)
row "OpenAPI GHES 3.17->3.19: parse floor" floor-ghes ""
row "OpenAPI GHES 3.17->3.19: apicompat" apicompat-ghes "$(ratio "$ot" "$ft")x the parse floor"
if [ "$quick" != 1 ]; then
  for k in 1 2 4 8; do row "OpenAPI GHES scaled x$k" scale-x$k ""; done
  # wall time, and apart from it user CPU time and peak memory: on a virtual machine the kernel's
  # zeroing of fresh pages (system time) can bend the wall-time curve on its own
  python3 - "$(med_t scale-x1)" "$(med_t scale-x2)" "$(med_t scale-x4)" "$(med_t scale-x8)" \
    "$(med_u scale-x1)" "$(med_u scale-x2)" "$(med_u scale-x4)" "$(med_u scale-x8)" \
    "$(med_m scale-x1)" "$(med_m scale-x2)" "$(med_m scale-x4)" "$(med_m scale-x8)" <<'PY'
import math, sys
v = [max(float(x), 1e-3) for x in sys.argv[1:]]
def slope(t):
    xs = [math.log(k) for k in (1, 2, 4, 8)]
    ys = [math.log(x) for x in t]
    n = len(xs); mx = sum(xs) / n; my = sum(ys) / n
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
print(f"\nscaling over 1x-8x (1.00 is linear): wall time ~ size^{slope(v[0:4]):.2f}, "
      f"user CPU time ~ size^{slope(v[4:8]):.2f} ({' / '.join(f'{x:.2f}' for x in v[4:8])} s), "
      f"peak memory ~ size^{slope(v[8:12]):.2f}")
PY
fi

# the same protobuf findings
"$buf" breaking "$work/new.binpb" --against "$work/old.binpb" --error-format json > "$work/buf.json" 2>/dev/null || true
# buf's rules only: the HTTP and AIP rules are apicompat's own (buf has no such findings to agree with)
"$bin" breaking "$work/old.binpb" "$work/new.binpb" --format json --except HTTP,AIP > "$work/ours.json" || true
echo
python3 "$here/buf-compare.py" "$work/buf.json" "$work/ours.json" --show 5
# the share of error findings proven by a counterexample
python3 - "$work/ours.json" <<'PY'
import collections, json, sys
fs = [x for x in json.load(open(sys.argv[1]))["findings"] if x["severity"] == "error"]
proven = collections.Counter(x["rule"] for x in fs if x.get("proof") == "proven")
none = collections.Counter(x["rule"] for x in fs if x.get("proof") == "none")
n = sum(proven.values())
print(f"proofs: {n} of {len(fs)} errors proven ({100 * n / max(len(fs), 1):.0f}%); proven: "
      + ", ".join(f"{k} {v}" for k, v in sorted(proven.items())) + "; none: "
      + ", ".join(f"{k} {v}" for k, v in sorted(none.items())))
PY
