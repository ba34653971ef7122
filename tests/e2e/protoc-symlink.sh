#!/usr/bin/env bash
# protoc opens imports by itself and follows symbolic links: a pull request that adds a link
# "ext -> /" beside its sources and `import "ext/etc/passwd"` must not get protoc to read outside
# (nor the file's first line into the error).  With --protoc, a link leading outside any import root
# is refused before protoc runs, with the same message whether its target exists or not; a link
# that stays inside is fine.
set -euo pipefail
bin=$(realpath "$1")
command -v protoc >/dev/null || { echo "protoc not installed: skipped"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
mkdir -p repo/old repo/new
printf 'syntax = "proto3";\npackage p;\nmessage M { int32 a = 1; }\n' > repo/old/a.proto
printf 'syntax = "proto3";\npackage p;\nimport "ext/etc/passwd";\nmessage M { int32 a = 1; }\n' > repo/new/a.proto
fail=0
expect_refused() { # what
  set +e
  (cd repo && "$bin" breaking old new --protoc protoc) >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  set -e
  if [ $rc -ne 2 ] || ! grep -q "^new/ext:.*symbolic link does not resolve inside" "$tmp/err" || grep -q "root:" "$tmp/err"; then
    echo "FAIL $1: exit $rc, stderr: $(head -2 "$tmp/err")"
    fail=1
  fi
}
ln -s / repo/new/ext
expect_refused "a link to /"
cp "$tmp/err" "$tmp/err-existing"
rm repo/new/ext && ln -s /nonexistent-apicompat-target repo/new/ext
expect_refused "a link to nothing"
if ! cmp -s "$tmp/err-existing" "$tmp/err"; then echo "FAIL: the message tells whether the target exists"; fail=1; fi
# a link that stays inside the repository is followed as usual
rm repo/new/ext && mkdir -p repo/shared && printf 'syntax = "proto3";\npackage s;\n' > repo/shared/s.proto
ln -s ../shared repo/new/ext
printf 'syntax = "proto3";\npackage p;\nimport "ext/s.proto";\nmessage M { int32 a = 1; }\n' > repo/new/a.proto
git -C repo init -q .
set +e
(cd repo && "$bin" breaking old new --protoc protoc) >"$tmp/out" 2>"$tmp/err"
rc=$?
set -e
if [ $rc -ne 0 ]; then echo "FAIL a link inside: exit $rc, $(head -2 "$tmp/err")"; fail=1; fi
[ $fail -eq 0 ] && echo "ok: protoc is never given a directory with a link leading outside"
exit $fail
