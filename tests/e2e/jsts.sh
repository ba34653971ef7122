#!/usr/bin/env bash
# The JSON Schema Test Suite against the validator: the pass counts per draft and section must be
# those recorded in tests/jsts/ (a regression fails; so does an improvement not yet recorded:
# rerun with --write).  Debian's json-schema-test-suite (make deps) has drafts 4, 6 and 7; with
# JSTS_DIR naming a checkout of the upstream repository at the recorded commit, 2019-09 and
# 2020-12 are checked too.
set -u
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
jsts=$(dirname "$bin")/jsts
suite=/usr/share/json-schema-test-suite
[ -x "$jsts" ] || { echo "no $jsts: build it with make"; exit 1; }
[ -d "$suite/tests/draft4" ] || { echo "no $suite: run make deps (package json-schema-test-suite)"; exit 1; }
"$jsts" --check "$root/tests/jsts/expected-debian.txt" "$suite" draft4 draft6 draft7 || exit 1
if [ -n "${JSTS_DIR:-}" ]; then
  "$jsts" --check "$root/tests/jsts/expected-upstream.txt" "$JSTS_DIR" draft4 draft6 draft7 draft2019-09 draft2020-12 || exit 1
fi
