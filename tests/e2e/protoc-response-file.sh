#!/usr/bin/env bash
# protoc reads an argument "@NAME" as a file of more arguments (NAME relative to the working
# directory).  A pull request that adds a source "@evil.proto" beside a file "evil.proto" in the
# working directory holding "--plugin=protoc-gen-x=<its own script>" and "--x_out=..." must not get
# that script run by `apicompat breaking ... --protoc protoc`: "@evil.proto" is compiled as the
# source it is, and the script never runs.  Inputs: a directory, and the file itself.
set -euo pipefail
bin=$(realpath "$1")
command -v protoc >/dev/null || { echo "protoc not installed: skipped"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
mkdir old new
printf 'syntax = "proto3";\npackage p;\nmessage M { int32 a = 1; }\n' > old/a.proto
cp old/a.proto new/a.proto
printf 'syntax = "proto3";\npackage q;\n' > new/@evil.proto
cat > evil.sh <<SH
#!/bin/sh
touch "$tmp/pwned"
exit 1
SH
chmod +x evil.sh
printf -- '--plugin=protoc-gen-x=%s/evil.sh\n--x_out=%s\n' "$tmp" "$tmp" > evil.proto
fail=0
check() { # what, then the command
  local what=$1 rc
  shift
  set +e
  "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  set -e
  if [ -e "$tmp/pwned" ]; then echo "FAIL $what: the pull request's plugin ran"; fail=1; rm -f "$tmp/pwned"; fi
  # "@evil.proto" is a new file: no breaking change
  if [ $rc -ne 0 ] || [ -s "$tmp/err" ]; then echo "FAIL $what: exit $rc, stderr: $(cat "$tmp/err")"; fail=1; fi
}
check "a directory" "$bin" breaking old new --protoc protoc
cp new/@evil.proto @evil.proto
check "the file itself" "$bin" breaking @evil.proto @evil.proto --protoc protoc
[ $fail -eq 0 ] && echo "ok: protoc never read @evil.proto as arguments"
exit $fail
