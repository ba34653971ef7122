#!/usr/bin/env bash
# The native .proto compiler against stored `buf build --as-file-descriptor-set` output, for what
# only buf can compile or only buf decides (buf is not installed where the tests run): each case
# under fixtures/proto/native-buf holds src/ (the .proto files, compiled together) and buf.binpb,
# and the native compiler must write the same bytes.
#   To refresh a case: (cd CASE/src && buf build --as-file-descriptor-set -o ../buf.binpb)
. "$(dirname "$0")/../lib/nativec.sh" "$1"
same=0 bad=0
for case in "$root"/fixtures/proto/native-buf/*/; do
  files=$(cd "$case/src" && find . -name '*.proto' | sed 's|^\./||' | sort)
  # shellcheck disable=SC2086
  if (cd "$case/src" && "$nativec" -o "$tmp/n.binpb" $files) && cmp -s "$case/buf.binpb" "$tmp/n.binpb"; then
    same=$((same + 1))
  else
    echo "FAIL: ${case#"$root"/}: the native compiler's set differs from buf's"
    bad=$((bad + 1))
  fi
done
echo "native vs buf: $same cases identical, $bad different"
[ "$bad" -eq 0 ] && [ "$same" -gt 0 ]
