#!/usr/bin/env bash
# make install into a scratch DESTDIR, then every installed file is checked: the binary runs, the
# man pages render without a warning, the completions parse in their shells and offer the commands
# and the formats, the library has its soname, and the README's C example compiles against the
# installed library through pkg-config and runs, and so do its second and third examples, whose
# reports are the command line's byte for byte (OLD NEW, and --against REF PATH... in a scratch git
# repository).  make uninstall leaves nothing behind.
set -euo pipefail
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath --relative-to="$root" "$(dirname "$bin")")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
fail=0
no() { echo "FAIL $*"; fail=1; }
skip() { echo "SKIP $*"; }

version=$(cat "$root/VERSION")
# what make test built is installed as it is (-o: never rebuilt here, so a sanitized build
# directory is not relinked with the plain command line's flags); built first only if missing
built=("$build/apicompat" "$build/libapicompat.so.$version" "$build/share/man1/apicompat.1")
for f in "${built[@]}"; do
  [ -e "$root/$f" ] || make -s -C "$root" BUILD="$build" "$f" > "$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; exit 1; }
done
make -s -C "$root" BUILD="$build" ${built[@]/#/-o } PREFIX=/usr DESTDIR="$dest" install > "$tmp/make.log" 2>&1 ||
  { cat "$tmp/make.log"; exit 1; }
for f in bin/apicompat share/man/man1/apicompat.1 share/man/man5/apicompat.yaml.5 \
  share/bash-completion/completions/apicompat share/zsh/site-functions/_apicompat \
  share/fish/vendor_completions.d/apicompat.fish include/apicompat.h lib/libapicompat.so.$version \
  lib/libapicompat.so.0 lib/libapicompat.so lib/pkgconfig/apicompat.pc; do
  [ -e "$dest/usr/$f" ] || no "not installed: /usr/$f"
done
# nothing else, and nothing outside PREFIX
extra=$(cd "$dest" && find . -type f -o -type l | sed 's|^\./|/|' | grep -v -x -F "$(printf '/usr/%s\n' bin/apicompat \
  share/man/man1/apicompat.1 share/man/man5/apicompat.yaml.5 share/bash-completion/completions/apicompat \
  share/zsh/site-functions/_apicompat share/fish/vendor_completions.d/apicompat.fish include/apicompat.h \
  lib/libapicompat.so.$version lib/libapicompat.so.0 lib/libapicompat.so lib/pkgconfig/apicompat.pc)" || true)
[ -z "$extra" ] || no "installed besides: $extra"

# the binary
[ -x "$dest/usr/bin/apicompat" ] && "$dest/usr/bin/apicompat" --version | grep "^apicompat $version" > /dev/null ||
  no "the installed binary does not print its version"

# the man pages: rendered by man(1) without a warning
if command -v man >/dev/null && command -v groff >/dev/null; then
  for page in man1/apicompat.1 man5/apicompat.yaml.5; do
    MANWIDTH=80 man --warnings -l "$dest/usr/share/man/$page" > "$tmp/page" 2> "$tmp/warn" || no "man -l $page failed"
    [ -s "$tmp/warn" ] && no "man -l $page warns: $(head -3 "$tmp/warn")"
    [ "$(wc -l < "$tmp/page")" -gt 40 ] || no "man -l $page renders $(wc -l < "$tmp/page") lines"
  done
  MANWIDTH=80 man -l "$dest/usr/share/man/man1/apicompat.1" 2>/dev/null | grep -- '--severity-levels FILE' > /dev/null ||
    no "apicompat(1) does not document --severity-levels"
  # the configuration page names every top-level key the configuration reader accepts
  for key in version fail_on mode rules severity ignore deprecation stability buf oasdiff ref_root; do
    grep -q "$key" "$dest/usr/share/man/man5/apicompat.yaml.5" || no "apicompat.yaml(5) does not name $key"
  done
else
  skip "man pages not rendered: man-db or groff is not installed (make deps installs them)"
fi

# the completions parse in their shells
bash -n "$dest/usr/share/bash-completion/completions/apicompat" || no "bash -n: the bash completion"
if command -v zsh >/dev/null; then zsh -n "$dest/usr/share/zsh/site-functions/_apicompat" || no "zsh -n: the zsh completion"
else skip "zsh -n: zsh is not installed (make deps installs it)"; fi
if command -v fish >/dev/null; then
  fish -n "$dest/usr/share/fish/vendor_completions.d/apicompat.fish" || no "fish -n: the fish completion"
  got=$(fish --no-config -c "source $dest/usr/share/fish/vendor_completions.d/apicompat.fish; complete -C 'apicompat rules --format '" | cut -f1 | sort | tr '\n' ' ')
  [ "$got" = "json markdown text " ] || no "fish offers '$got' for rules --format"
else
  skip "fish -n: fish is not installed (make deps installs it)"
fi
# the bash completion offers the commands, each command's formats and options, files for files
complete_bash() { # words...; prints COMPREPLY
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _apicompat; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$dest/usr/share/bash-completion/completions/apicompat" "$@" | sort | tr '\n' ' '
}
got=$(complete_bash apicompat '')
for c in breaking changelog batch history rules config report validate cases replay --version; do
  [[ " $got" == *" $c "* ]] || no "bash completion of 'apicompat ' lacks $c: $got"
done
[ "$(complete_bash apicompat br)" = "breaking " ] || no "bash completion of 'apicompat br': $(complete_bash apicompat br)"
[ "$(complete_bash apicompat rules --format '')" = "json markdown text " ] || no "bash: rules --format: $(complete_bash apicompat rules --format '')"
got=$(complete_bash apicompat breaking old.yaml -f '')
[ "$got" = "github gitlab json junit markdown sarif text " ] || no "bash: breaking -f: $got"
[ "$(complete_bash apicompat breaking --fail-on '')" = "error info off warning " ] || no "bash: --fail-on"
got=$(complete_bash apicompat validate --di)
[ "$got" = "--dialect --direction " ] || no "bash: validate --di: $got"
[[ " $(complete_bash apicompat rules --)" != *" --shard "* ]] || no "bash offers --shard to rules"
mkdir -p "$tmp/cwd/somedir" && touch "$tmp/cwd/somefile"
got=$(cd "$tmp/cwd" && complete_bash apicompat breaking -I some)
[ "$got" = "somedir " ] || no "bash: -I completes directories: $got"

# the library: soname, exported names, the README's example through pkg-config
so=$dest/usr/lib/libapicompat.so.$version
readelf -d "$so" | grep 'SONAME.*\[libapicompat\.so\.0\]' > /dev/null || no "the library's soname is not libapicompat.so.0"
exported=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^apicompat_' || true)
[ -z "$exported" ] || no "the library exports more than apicompat_*: $(echo $exported | head -c 200)"
flags=$(PKG_CONFIG_SYSROOT_DIR="$dest" PKG_CONFIG_PATH="$dest/usr/lib/pkgconfig" PKG_CONFIG_LIBDIR=/nonexistent \
  pkg-config --cflags --libs apicompat)
[[ "$flags" == *"-I$dest/usr/include"* && "$flags" == *"-lapicompat"* ]] || no "pkg-config gives '$flags'"
# a sanitized build (make asan, make tsan) makes a sanitized library: the program needs the runtime
san=
if nm -D "$so" | grep ' U __asan_init' > /dev/null; then san=-fsanitize=address,undefined
elif nm -D "$so" | grep ' U __tsan_init' > /dev/null; then san=-fsanitize=thread; fi
# example NAME CALL: the README's C program marked <!-- example: NAME --> (it must use CALL),
# compiled against the installed library into $tmp/NAME; fails the test when it does not compile
example() {
  awk -v mark="<!-- example: $1 -->" '$0 == mark {on = 1; next} on && /^```c$/ {inside = 1; next} inside && /^```$/ {exit} inside' \
    "$root/README.md" > "$tmp/$1.c"
  grep -q "$2" "$tmp/$1.c" || { no "no $1 example in the README (one that calls $2)"; return 1; }
  cc -std=c11 -Wall -Wextra -Werror $san "$tmp/$1.c" $flags -o "$tmp/$1" 2> "$tmp/cc.log" && return 0
  no "the README's $1 example does not compile: $(head -5 "$tmp/cc.log")"
  return 1
}
# like_cli WHAT: the program's run ($lrc, lib.out, lib.err) is the command line's ($crc, cli.out,
# cli.err): the same exit code, output and, unless it could not check, stderr
like_cli() {
  [ $lrc -eq $crc ] || no "$*: exit $lrc, the command line $crc: $(head -c 300 "$tmp/lib.err")"
  cmp -s "$tmp/lib.out" "$tmp/cli.out" || no "$*: not the command line's output: $(diff "$tmp/cli.out" "$tmp/lib.out" | head -5)"
  [ $crc -eq 2 ] || [ -s "$tmp/cli.out" ] || no "$*: the command line printed nothing to compare"
  [ $crc -eq 2 ] || cmp -s "$tmp/lib.err" "$tmp/cli.err" || no "$*: stderr '$(cat "$tmp/lib.err")', the command line's '$(cat "$tmp/cli.err")'"
}
if example libapicompat apicompat_compare; then
  ldd_out=$(LD_LIBRARY_PATH="$dest/usr/lib" ldd "$tmp/libapicompat")
  grep -q "libapicompat.so.0 => $dest/usr/lib/libapicompat.so.0" <<<"$ldd_out" || no "the example is not linked to the installed library: $ldd_out"
  cd "$root/fixtures/openapi/ops/response-ref-media-type-removed"
  set +e
  LD_LIBRARY_PATH="$dest/usr/lib" "$tmp/libapicompat" old.yaml new.yaml > "$tmp/out" 2> "$tmp/err"; rc=$?
  set -e
  [ $rc -eq 1 ] || no "the example exits $rc on a breaking pair: $(cat "$tmp/err")"
  # the same findings as the command line, error and warning ones
  want=$({ "$bin" breaking old.yaml new.yaml --format json || true; } | python3 -c 'import json,sys; print("\n".join(sorted("%s %s" % (f["rule"], f["severity"]) for f in json.load(sys.stdin)["findings"])))')
  got=$(awk '{sub(/:$/, "", $3); print $3, $2}' "$tmp/out" | sort)
  [ -n "$want" ] && [ "$got" = "$want" ] || no "the example found '$got', the command line '$want'"
  set +e
  LD_LIBRARY_PATH="$dest/usr/lib" "$tmp/libapicompat" old.yaml nosuch.yaml > /dev/null 2> "$tmp/err"; rc=$?
  set -e
  [ $rc -eq 2 ] && grep -q "nosuch.yaml: no such file" "$tmp/err" || no "the example on a missing file: exit $rc: $(cat "$tmp/err")"
  cd "$root"
fi

# the README's second example: apicompat breaking written on the library's options and report, byte
# for byte the command line's output (and exit code) in every format, and its refusals
if example libapicompat-report apicompat_result_write; then
  same() { # dir old new args...: the example with NAME=VALUE against apicompat breaking --NAME VALUE
    local dir=$1 old=$2 new=$3; shift 3
    local cli=() a
    for a in "$@"; do if [[ $a == *=* ]]; then cli+=("--${a%%=*}" "${a#*=}"); else cli+=("--$a"); fi; done
    set +e
    (cd "$dir" && LD_LIBRARY_PATH="$dest/usr/lib" "$tmp/libapicompat-report" "$old" "$new" "$@" > "$tmp/lib.out" 2> "$tmp/lib.err"); lrc=$?
    (cd "$dir" && "$bin" breaking "$old" "$new" "${cli[@]}" > "$tmp/cli.out" 2> "$tmp/cli.err"); crc=$?
    set -e
    like_cli "report $* in $dir"
  }
  oas=$root/fixtures/openapi/ops/response-ref-media-type-removed
  pb=$root/fixtures/proto/rules/field_wire_compatible_type-enum-missing-value-fires
  for fmt in text json sarif github markdown junit gitlab; do
    same "$oas" old.yaml new.yaml format=$fmt
    same "$pb" old new format=$fmt
  done
  same "$oas" old.yaml new.yaml fail-on=warning format=json explain
  same "$pb" old new format=text explain
  same "$pb" old new fail-on=info no-proofs format=markdown
  same "$pb" old new fail-on=off
  same "$pb" old new use=FIELD_SAME_NAME format=json
  same "$oas" old.yaml new.yaml use=FIELD_SAME_NAME # a note on stderr: OpenAPI keeps its rules
  grep -q '^note: --use names no OpenAPI rule' "$tmp/lib.err" || no "the report example printed no note: $(cat "$tmp/lib.err")"
  # refused: the command line's message, exit 2
  set +e
  (cd "$oas" && LD_LIBRARY_PATH="$dest/usr/lib" "$tmp/libapicompat-report" old.yaml new.yaml fail-on=sometimes > /dev/null 2> "$tmp/err"); rc=$?
  set -e
  [ $rc -eq 2 ] && grep -q 'unknown level "sometimes" for --fail-on (expected error, warning, info or off)' "$tmp/err" ||
    no "the report example with fail-on=sometimes: exit $rc: $(cat "$tmp/err")"
fi

# the README's third example: apicompat breaking --against written on apicompat_compare_against, in
# a scratch repository (two OpenAPI documents and a proto file at tag base, then changed, with an
# apicompat.yaml whose ignore only one pair uses and which loosens its copy at base): byte for byte
# the command line's output, stderr and exit code
if example libapicompat-against apicompat_compare_against; then
  repo=$tmp/repo
  mkdir -p "$repo/proto"
  openapi() { # file path...: a GET on each path
    { printf 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n'
      for p in "${@:2}"; do printf '  /%s:\n    get:\n      responses:\n        "200": {description: ok}\n' "$p"; done; } > "$repo/$1"
  }
  ignore_d='ignore:\n  - rule: api-path-removed-without-deprecation\n    path: b.yaml\n    reason: d is gone\n'
  git() { GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t.invalid GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t.invalid \
    GIT_CONFIG_NOSYSTEM=1 command git -C "$repo" "$@"; }
  openapi a.yaml a b
  openapi b.yaml c d
  printf 'syntax = "proto3";\npackage p.v1;\nmessage M {\n  string x = 1;\n  string y = 2;\n}\n' > "$repo/proto/m.proto"
  printf "version: 1\n$ignore_d" > "$repo/apicompat.yaml"
  git init -q -b main . && git add -A && git commit -qm base && git tag base
  openapi a.yaml a
  openapi b.yaml c
  printf 'syntax = "proto3";\npackage p.v1;\nmessage M {\n  string x = 1;\n}\n' > "$repo/proto/m.proto"
  printf "version: 1\nfail_on: off\n$ignore_d" > "$repo/apicompat.yaml"
  against() { # REF PATH... [--NAME=VALUE]...: the example against apicompat breaking --against
    set +e
    (cd "$repo" && LD_LIBRARY_PATH="$dest/usr/lib" "$tmp/libapicompat-against" "$@" > "$tmp/lib.out" 2> "$tmp/lib.err"); lrc=$?
    (cd "$repo" && "$bin" breaking --against "$@" > "$tmp/cli.out" 2> "$tmp/cli.err"); crc=$?
    set -e
    like_cli "against $*"
  }
  for fmt in text json sarif github markdown junit gitlab; do against base a.yaml b.yaml proto --format=$fmt; done
  grep -q 'apicompat-config-loosened' "$tmp/cli.out" || no "against: the configuration's loosening is not reported: $(head -5 "$tmp/cli.out")"
  against base a.yaml b.yaml
  grep -q 'ignore-unused' "$tmp/cli.out" && no "against a.yaml b.yaml: the ignore b.yaml's pair uses is reported unused"
  against base a.yaml # alone: its ignore is unused
  grep -q 'apicompat-ignore-unused' "$tmp/cli.out" || no "against a.yaml: the unused ignore is not reported: $(cat "$tmp/cli.out")"
  against base a.yaml b.yaml --fail-on=warning --explain
  [ $crc -eq 1 ] || no "against --fail-on=warning exits $crc"
  against base proto a.yaml --use=FIELD_SAME_NAME --format=json # a note on stderr: OpenAPI keeps its rules
  grep -q '^note: --use names no OpenAPI rule' "$tmp/lib.err" || no "the --against example printed no note: $(cat "$tmp/lib.err")"
  # what cannot be compared: exit 2 from both, the same message
  against nosuch a.yaml b.yaml
  [ $crc -eq 2 ] && grep -q 'git:nosuch:a.yaml: unknown revision "nosuch"' "$tmp/lib.err" ||
    no "the --against example on an unknown revision: exit $lrc: $(cat "$tmp/lib.err")"
fi

# make uninstall removes every file
make -s -C "$root" BUILD="$build" ${built[@]/#/-o } PREFIX=/usr DESTDIR="$dest" uninstall > "$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; no "make uninstall failed"; }
left=$(find "$dest" -type f -o -type l)
[ -z "$left" ] || no "left after make uninstall: $left"

[ $fail -eq 0 ] && echo "install: ok"
exit $fail
