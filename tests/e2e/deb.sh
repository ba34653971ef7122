#!/usr/bin/env bash
# make deb builds the Debian packages with dpkg-buildpackage (debian/), lintian finds no error or
# warning in them (make deb fails otherwise), and the packages, unpacked into a scratch root with
# dpkg -x, hold a binary that runs and checks a pair, man pages that render, and a library the
# README's example compiles and runs against through pkg-config.
# About 30-60 s (the sources are compiled once more, without optimisation: DEB_BUILD_OPTIONS=noopt);
# APICOMPAT_SKIP_DEB=1 skips it.
set -euo pipefail
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -n "${APICOMPAT_SKIP_DEB:-}" ]; then echo "SKIP deb: APICOMPAT_SKIP_DEB is set"; exit 0; fi
# the package is built from the sources with Debian's flags, not from the binary under test: the
# plain run of the suite checks it, the sanitizer runs (make asan, make tsan) need not build it again
if grep -q -e __asan_init -e __tsan_init "$bin"; then echo "skipped: $bin is a sanitizer build"; exit 0; fi
# nothing of the make that runs the suite (make asan: SANITIZE=1 CFLAGS=...) reaches the package's build
unset MAKEFLAGS MFLAGS MAKELEVEL
for tool in dpkg-buildpackage dh dpkg-deb; do
  command -v $tool >/dev/null || { echo "SKIP deb: $tool is not installed (make deps installs debhelper and lintian)"; exit 0; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
no() { echo "FAIL $*"; fail=1; }

version=$(cat "$root/VERSION")
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
if ! DEB_BUILD_OPTIONS="noopt nocheck" make -s -C "$root" BUILD="$tmp/b" deb > "$tmp/deb.log" 2>&1; then
  tail -30 "$tmp/deb.log"; echo "FAIL make deb"; exit 1
fi
command -v lintian >/dev/null || echo "SKIP lintian: not installed (make deps installs it)"
deb=$tmp/b/deb/apicompat_${version}_$arch.deb
[ -f "$deb" ] || { ls "$tmp/b/deb"; echo "FAIL no $deb"; exit 1; }
# the dependencies come from the libraries the binary links (shlibs)
deps=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libprotobuf-c1 libyaml-0-2 libcjson1 libpcre2-8-0; do
  [[ "$deps" == *"$lib"* ]] || no "apicompat's Depends lacks $lib: $deps"
done
[ "$(dpkg-deb -f "$tmp/b/deb/libapicompat-dev_${version}_$arch.deb" Depends)" = "libapicompat0 (= $version)" ] ||
  no "libapicompat-dev does not depend on libapicompat0 (= $version)"

for p in apicompat libapicompat0 libapicompat-dev; do dpkg -x "$tmp/b/deb/${p}_${version}_$arch.deb" "$tmp/root"; done
r=$tmp/root
"$r/usr/bin/apicompat" --version | grep "^apicompat $version" > /dev/null || no "the packaged binary does not print its version"
cd "$root/fixtures/openapi/ops/response-ref-media-type-removed"
set +e
"$r/usr/bin/apicompat" breaking old.yaml new.yaml > "$tmp/got" 2>&1; rc=$?
"$bin" breaking old.yaml new.yaml > "$tmp/want" 2>&1
set -e
[ $rc -eq 1 ] && cmp -s "$tmp/got" "$tmp/want" || no "the packaged binary: exit $rc, $(diff "$tmp/want" "$tmp/got" | head -5)"
cd "$root"
for page in man1/apicompat.1.gz man5/apicompat.yaml.5.gz; do
  [ -f "$r/usr/share/man/$page" ] || { no "not packaged: $page"; continue; }
  if command -v man >/dev/null; then
    MANWIDTH=80 man --warnings -l "$r/usr/share/man/$page" > /dev/null 2> "$tmp/warn"
    [ -s "$tmp/warn" ] && no "man -l $page warns: $(head -3 "$tmp/warn")"
  fi
done
for f in usr/share/bash-completion/completions/apicompat usr/share/zsh/vendor-completions/_apicompat \
  usr/share/fish/vendor_completions.d/apicompat.fish usr/include/apicompat.h usr/lib/$multiarch/libapicompat.so.0 \
  usr/share/doc/apicompat/copyright; do
  [ -e "$r/$f" ] || no "not packaged: /$f"
done
# the library from the packages, through pkg-config, with the README's program
awk '/<!-- example: libapicompat -->/ {on = 1; next} on && /^```c$/ {inside = 1; next} inside && /^```$/ {exit} inside' \
  "$root/README.md" > "$tmp/example.c"
flags=$(PKG_CONFIG_SYSROOT_DIR="$r" PKG_CONFIG_PATH="$r/usr/lib/$multiarch/pkgconfig" pkg-config --cflags --libs apicompat)
if cc -std=c11 "$tmp/example.c" $flags -o "$tmp/example" 2> "$tmp/cc.log"; then
  cd "$root/fixtures/openapi/ops/response-ref-media-type-removed"
  set +e; LD_LIBRARY_PATH="$r/usr/lib/$multiarch" "$tmp/example" old.yaml new.yaml > "$tmp/out" 2>&1; rc=$?; set -e
  [ $rc -eq 1 ] && grep -q "response-media-type-removed" "$tmp/out" || no "the example against the packaged library: exit $rc: $(head -3 "$tmp/out")"
else
  no "the README's example does not compile against the packages: $(head -5 "$tmp/cc.log")"
fi
[ $fail -eq 0 ] && echo "deb: ok"
exit $fail
