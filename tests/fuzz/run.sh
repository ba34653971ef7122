#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets (clang, ASan+UBSan), seeds each from the fixtures and
# from its own corpus in tests/fuzz/corpus/<target>/, runs each for FUZZ_TIME seconds (default 60),
# and prints executions, coverage (libFuzzer's cov and ft) and time per target.  A crash leaves its
# input in build-fuzz/crashes/<target>/: turn it into a fixture or a unit test.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/build-fuzz
time=${FUZZ_TIME:-60}
targets=${FUZZ_TARGETS:-"yaml json descriptor config pipeline proto_pipeline native pbval live suite"}
mkdir -p "$out/corpus" "$out/crashes"
cd "$root"
# seeds
seed() { # target, files...
  local d=$out/corpus/$1; shift
  mkdir -p "$d"
  for f in "$@"; do [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 200000 ] && cp "$f" "$d/$(echo "$f" | tr '/' '_')"; done
  return 0
}
mapfile -t yamls < <(find fixtures -name '*.yaml' -o -name '*.yml')
mapfile -t jsons < <(find fixtures -name '*.json')
mapfile -t sets < <(find fixtures -name '*.binpb' -o -name '*.pb' -o -name '*.desc')
mapfile -t configs < <(find fixtures -name 'apicompat.yaml' -o -name 'buf.yaml' -o -name 'buf.work.yaml')
seed yaml "${yamls[@]}"
seed json "${jsons[@]}"
seed descriptor "${sets[@]}"
seed config "${configs[@]}"
mapfile -t protos < <(find fixtures -name '*.proto' | head -2000)
seed native "${protos[@]}"
mkdir -p "$out/corpus/pipeline" "$out/corpus/proto_pipeline"
for d in $(find fixtures/openapi -name old.yaml -printf '%h\n' | head -400); do
  [ -f "$d/new.yaml" ] && { cat "$d/old.yaml"; printf '\n----\n'; cat "$d/new.yaml"; } > "$out/corpus/pipeline/$(echo "$d" | tr '/' '_')"
done
for d in $(find fixtures/proto -name 'old.binpb' -printf '%h\n'); do
  [ -f "$d/new.binpb" ] && { cat "$d/old.binpb"; printf -- '----'; cat "$d/new.binpb"; } > "$out/corpus/proto_pipeline/$(echo "$d" | tr '/' '_')"
done
# each target's own seeds (inputs written for it: its framing, annotated descriptor sets, ...)
for t in $targets; do
  [ -d "tests/fuzz/corpus/$t" ] || continue
  mkdir -p "$out/corpus/$t"
  cp tests/fuzz/corpus/"$t"/* "$out/corpus/$t/"
done
printf '%-16s %12s %8s %8s %8s %s\n' target executions cov ft seconds result
for t in $targets; do
  mkdir -p "$out/crashes/$t"
  log=$out/$t.log
  set +e
  "$out/fuzz_$t" -max_total_time="$time" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$out/crashes/$t/" "$out/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  printf '%-16s %12s %8s %8s %8s %s\n' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$time" \
    "$([ $rc = 0 ] && echo ok || echo "CRASH: see $log and $out/crashes/$t/")"
done
