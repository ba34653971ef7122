# Prelude of the e2e tests that run the native compiler's test driver: sourced with the apicompat
# binary as $1; sets bin, nativec, root and a scratch directory tmp (removed on exit).  The
# comparisons are about bytes, so the sanitizer build is skipped: it compiles every fixture
# through apicompat already, and would double CI time.
set -uo pipefail
bin=$(realpath "$1")
nativec=$(dirname "$bin")/nativec
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if grep -q __asan_init "$bin"; then echo "skipped: $bin is built with AddressSanitizer"; exit 0; fi
[ -x "$nativec" ] || { echo "FAIL: $nativec not built (make $(dirname "$bin")/nativec)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
