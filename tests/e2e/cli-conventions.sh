#!/usr/bin/env bash
# The conventions of a Unix tool that fixtures cannot state (fixtures/cli holds the rest):
# --version names the build, `help`/--help/-h on every command print its own usage on stdout
# with exit 0, and a closed pipe ends quietly, with the command's exit code.
set -euo pipefail
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
fail=0
no() { echo "FAIL $*"; fail=1; }

# --version: the release number from VERSION, and the build from `git describe` when built in git
v=$("$bin" --version)
want=$(cat "$root/VERSION")
[[ "$v" == "apicompat $want"* ]] || no "--version printed '$v', expected 'apicompat $want...'"
[ "$("$bin" version)" = "$v" ] || no "'version' and '--version' differ"
# outside git the Makefile falls back to the VERSION file
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$root/Makefile" "$root/VERSION" "$tmp/"
got=$(cd "$tmp" && GIT_CEILING_DIRECTORIES="$tmp" env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory version)
[ "$got" = "$want $want" ] || no "outside git, make version printed '$got', expected '$want $want'"
rm "$tmp/VERSION"
got=$(cd "$tmp" && GIT_CEILING_DIRECTORIES="$tmp" env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory version)
[ "$got" = "unknown unknown" ] || no "without VERSION, make version printed '$got', expected 'unknown unknown'"

# every command's own help, three ways, whatever else is on the line
cmds=$("$bin" --dump-options | awk -F'\t' '$1 == "command" {print $2}')
[ "$(echo "$cmds" | wc -l)" -ge 10 ] || no "--dump-options lists $(echo "$cmds" | wc -l) commands"
for c in $cmds; do
  for form in "$c --help" "$c -h" "help $c" "$c --format nonsense extra --help"; do
    set +e
    out=$("$bin" $form 2>"$tmp/err"); rc=$?
    set -e
    [ $rc -eq 0 ] || no "'apicompat $form': exit $rc: $(cat "$tmp/err")"
    [ -s "$tmp/err" ] && no "'apicompat $form' wrote to stderr: $(cat "$tmp/err")"
    [[ "$out" == "usage: apicompat $c "* ]] || no "'apicompat $form' printed: $(echo "$out" | head -1)"
    grep -q -- "-h, --help" <<<"$out" || no "'apicompat $form' does not list --help"
  done
done
# after "--", --help is an operand
set +e; "$bin" rules -- --help >/dev/null 2>"$tmp/err"; rc=$?; set -e
[ $rc -eq 2 ] && grep -q 'unexpected argument "--help"' "$tmp/err" || no "rules -- --help: exit $rc: $(cat "$tmp/err")"

# a closed pipe: quiet, and the exit code of the command (0 for the rule list)
set +e
"$bin" rules 2>"$tmp/err" | head -1 >/dev/null; rc=${PIPESTATUS[0]}
set -e
[ $rc -eq 0 ] || no "rules | head -1: exit $rc"
[ -s "$tmp/err" ] && no "rules | head -1 wrote: $(cat "$tmp/err")"
for fmt in json markdown; do
  set +e; "$bin" rules --format $fmt 2>"$tmp/err" | head -c 10 >/dev/null; rc=${PIPESTATUS[0]}; set -e
  [ $rc -eq 0 ] && [ ! -s "$tmp/err" ] || no "rules --format $fmt | head: exit $rc: $(cat "$tmp/err")"
done
# the verdict survives the closed pipe: a breaking change is still exit 1
cd "$root/fixtures/openapi/ops/response-ref-media-type-removed"
set +e; "$bin" breaking old.yaml new.yaml --format json 2>"$tmp/err" | head -c 1 >/dev/null; rc=${PIPESTATUS[0]}; set -e
[ $rc -eq 1 ] && [ ! -s "$tmp/err" ] || no "breaking | head -c 1: exit $rc: $(cat "$tmp/err")"

[ $fail -eq 0 ] && echo "cli conventions: ok"
exit $fail
