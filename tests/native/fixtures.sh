#!/usr/bin/env bash
# Runs diff.sh over every fixture side (old/, new/, src*/...) under fixtures/proto that has .proto
# sources, with the import roots its buf.yaml / buf.work.yaml names (else the side directory).
# A side with an edition file is compared against buf, the native compiler's reference for an
# editions compilation; the rest against protoc (also the proto2/proto3 sides of
# fixtures/proto/editions, which the native compiler compiles protoc's way).
#   tests/native/fixtures.sh [--no-source-info]
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
extra=("$@")
out=/tmp/apicompat-native-fixtures
rm -rf "$out" && mkdir -p "$out"
python3 "$here/sides.py" "$repo/fixtures/proto" >"$out/groups.txt"
tot_same=0 tot_diff=0 tot_bf=0 tot_bfs=0 tot_op=0 tot_on=0 n=0
while IFS=$'\t' read -r side roots files; do
    n=$((n + 1))
    iargs=()
    for r in $roots; do iargs+=(-I "$r"); done
    mode=()
    # shellcheck disable=SC2086
    if grep -rqs --include='*.proto' '^edition' $roots; then mode=(--buf); fi
    "$here/diff.sh" "${extra[@]}" "${mode[@]}" -j 2 -o "$out/$n" "${iargs[@]}" $files >/dev/null
    r=$out/$n/results.txt
    tot_same=$((tot_same + $(grep -c '^same ' "$r")))
    tot_diff=$((tot_diff + $(grep -c '^diff ' "$r")))
    tot_bf=$((tot_bf + $(grep -c '^bothfail' "$r")))
    tot_bfs=$((tot_bfs + $(grep -c '^bothfail-same ' "$r")))
    tot_op=$((tot_op + $(grep -c '^onlyprotoc ' "$r")))
    tot_on=$((tot_on + $(grep -c '^onlynative ' "$r")))
    grep -v '^same ' "$r" | sed "s|^|$side: |"
done <"$out/groups.txt"
echo "fixture sides $n: identical $tot_same, different $tot_diff, both-failed $tot_bf (same first error $tot_bfs), only-protoc-failed $tot_op, only-native-failed $tot_on"
