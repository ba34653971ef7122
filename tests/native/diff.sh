#!/usr/bin/env bash
# Differential test: the native compiler against protoc (or buf for editions), file by file.
#   tests/native/diff.sh [--no-source-info] [--buf [--buf-style]] [-j N] [-o OUTDIR] [-I ROOT]... FILE...
#   tests/native/diff.sh ... -l LISTFILE          (import paths, one a line)
# Each FILE (an import path under the roots) is compiled alone, with its imports, by
#   protoc --include_source_info --include_imports -o P.binpb      (or buf build --as-file-descriptor-set)
#   nativec -o N.binpb
# and both sets are decoded with `protoc --decode=google.protobuf.FileDescriptorSet` and diffed.
# When protoc rejects a file, the native compiler must reject it too (first error lines compared).
# --buf-style makes the native compiler follow buf for proto2/proto3 files too, as it does in an
# editions compilation (nativec --buf-style): a large proto2/proto3 tree checks that way.
# Prints "identical N, different N, both-failed N (same first error N), only-protoc-failed N,
# only-native-failed N"; the diffs are kept in OUTDIR (default /tmp/apicompat-native-diff).
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
NATIVEC=${NATIVEC:-$repo/build/nativec}
BUF=${BUF:-$HOME/.cache/apicompat/buf/node_modules/@bufbuild/buf-linux-x64/bin/buf}
jobs=2 outdir=/tmp/apicompat-native-diff srcinfo=1 usebuf=0 bufstyle=0 list=
roots=() files=()
while [ $# -gt 0 ]; do
    case "$1" in
    --no-source-info) srcinfo=0 ;;
    --buf) usebuf=1 ;;
    --buf-style) bufstyle=1 ;;
    -j) jobs=$2; shift ;;
    -o) outdir=$2; shift ;;
    -l) list=$2; shift ;;
    -I) roots+=("$2"); shift ;;
    -I*) roots+=("${1#-I}") ;;
    *) files+=("$1") ;;
    esac
    shift
done
make -s -C "$repo" build/nativec >/dev/null || exit 2
[ ${#roots[@]} -gt 0 ] || roots=(.)
if [ -n "$list" ]; then mapfile -t more <"$list"; files+=("${more[@]}"); fi
rm -rf "$outdir" && mkdir -p "$outdir/res"
export NATIVEC BUF srcinfo usebuf bufstyle outdir
export ROOTS="${roots[*]}"

one() {
    f=$1
    key=$(printf '%s' "$f" | tr '/' '_')
    d=$outdir/work/$key
    mkdir -p "$d"
    iargs=()
    for r in $ROOTS; do iargs+=("-I$r"); done
    pargs=(--include_imports)
    nargs=()
    [ "$srcinfo" = 1 ] && pargs+=(--include_source_info) || nargs+=(--no-source-info)
    [ "$bufstyle" = 1 ] && nargs+=(--buf-style)
    if [ "$usebuf" = 1 ]; then
        # buf builds the module in the first root; --path limits the image to the file and its imports
        bargs=(--as-file-descriptor-set --path "$f")
        [ "$srcinfo" = 1 ] || bargs+=(--exclude-source-info)
        (cd "${ROOTS%% *}" && "$BUF" build . "${bargs[@]}" -o "$d/p.binpb") 2>"$d/p.err"
        prc=$?
    else
        protoc "${iargs[@]}" "${pargs[@]}" -o "$d/p.binpb" "$f" 2>"$d/p.err"
        prc=$?
    fi
    "$NATIVEC" "${iargs[@]}" "${nargs[@]}" -o "$d/n.binpb" "$f" 2>"$d/n.err"
    nrc=$?
    if [ $prc -ne 0 ] && [ $nrc -ne 0 ]; then
        p1=$(grep -v -i 'warning' "$d/p.err" | head -1)
        n1=$(head -1 "$d/n.err")
        if [ "$p1" = "$n1" ]; then echo "bothfail-same $f"; else echo "bothfail $f"; fi
    elif [ $prc -ne 0 ]; then
        echo "onlyprotoc $f"
    elif [ $nrc -ne 0 ]; then
        echo "onlynative $f"
    else
        dec="protoc --decode=google.protobuf.FileDescriptorSet -I/usr/include /usr/include/google/protobuf/descriptor.proto"
        $dec <"$d/p.binpb" >"$d/p.txt" 2>&1
        $dec <"$d/n.binpb" >"$d/n.txt" 2>&1
        if cmp -s "$d/p.txt" "$d/n.txt"; then
            echo "same $f"
            rm -rf "$d"
            return
        fi
        diff "$d/p.txt" "$d/n.txt" >"$d/diff.txt"
        echo "diff $f"
        return
    fi
}
export -f one
printf '%s\n' "${files[@]}" | xargs -P "$jobs" -I{} bash -c 'one "$@"' _ {} >"$outdir/results.txt"
same=$(grep -c '^same ' "$outdir/results.txt")
diffn=$(grep -c '^diff ' "$outdir/results.txt")
bf=$(grep -c '^bothfail' "$outdir/results.txt")
bfs=$(grep -c '^bothfail-same ' "$outdir/results.txt")
op=$(grep -c '^onlyprotoc ' "$outdir/results.txt")
on=$(grep -c '^onlynative ' "$outdir/results.txt")
echo "identical $same, different $diffn, both-failed $bf (same first error $bfs), only-protoc-failed $op, only-native-failed $on"
[ "$diffn" = 0 ] && [ "$op" = 0 ] && [ "$on" = 0 ]
