#!/usr/bin/env bash
# The native .proto compiler against protoc on every protobuf fixture side with sources: each side's
# files compiled together (with imports and source info) by both must give byte-identical
# FileDescriptorSets; where protoc rejects a side, the native compiler must reject it too with the
# same first positioned error.  Editions sides are left to tests/native/fixtures.sh --buf (buf is
# not installed here; Debian's protoc predates editions) and to fixtures/proto/frontend.
. "$(dirname "$0")/../lib/nativec.sh" "$1"
same=0 bothfail=0 bad=0
while IFS=$'\t' read -r side roots files; do
  case "$side" in
    */editions/*|*/frontend/editions-*) continue ;;
    # a file named "-a.proto": protoc takes it for an option; the native compiler reads it
    */hostile/proto/source/dash-file-name*/*) continue ;;
  esac
  # editions files: Debian's protoc predates them (see above)
  if grep -rqs --include='*.proto' '^edition' "$side"; then continue; fi
  iargs=()
  for r in $roots; do iargs+=(-I "$r"); done
  # shellcheck disable=SC2086
  protoc "${iargs[@]}" --include_imports --include_source_info -o "$tmp/p.binpb" $files 2>"$tmp/p.err"
  prc=$?
  # shellcheck disable=SC2086
  "$nativec" "${iargs[@]}" -o "$tmp/n.binpb" $files 2>"$tmp/n.err"
  nrc=$?
  rel=${side#"$root"/}
  if [ $prc -ne 0 ] || [ $nrc -ne 0 ]; then
    p1=$(grep -v -i 'warning' "$tmp/p.err" | grep -m1 -E '^[^:]+:[0-9]+:[0-9]+:')
    n1=$(grep -m1 -E '^[^:]+:[0-9]+:[0-9]+:' "$tmp/n.err")
    if [ $prc -ne 0 ] && [ $nrc -ne 0 ] && [ "$p1" = "$n1" ]; then bothfail=$((bothfail + 1))
    else bad=$((bad + 1)); echo "FAIL $rel: protoc exit $prc ($p1), native exit $nrc ($n1)"; fi
  elif cmp -s "$tmp/p.binpb" "$tmp/n.binpb"; then same=$((same + 1))
  else bad=$((bad + 1)); echo "FAIL $rel: descriptor sets differ"; fi
done < <(python3 "$root/tests/native/sides.py" "$root/fixtures/proto" "$root/fixtures/hostile/proto")
echo "native vs protoc: $same sides identical, $bothfail rejected by both with the same first error, $bad different"
[ $bad -eq 0 ] && [ $same -gt 100 ]
