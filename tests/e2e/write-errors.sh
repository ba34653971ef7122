#!/usr/bin/env bash
# A report that cannot be written is an error, never a truncated report presented as complete:
# a full disk (/dev/full) ends with exit 2 and one line on stderr, in every format.  A closed pipe
# is the reader's choice (`apicompat breaking ... | head -1`): it ends quietly, and the exit code
# still says what was found (1 here).
set -euo pipefail
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root/fixtures/openapi/ops/response-ref-media-type-removed"
fail=0
for fmt in text json github sarif junit markdown gitlab; do
  set +e
  "$bin" breaking old.yaml new.yaml --format "$fmt" > /dev/full 2> /tmp/apicompat-werr.$$
  rc=$?
  set -e
  if [ $rc -ne 2 ] || [ "$(wc -l < /tmp/apicompat-werr.$$)" -ne 1 ] || ! grep -q "cannot write" /tmp/apicompat-werr.$$; then
    echo "FAIL /dev/full --format $fmt: exit $rc: $(cat /tmp/apicompat-werr.$$)"; fail=1
  fi
done
rm -f /tmp/apicompat-werr.$$
# a closed pipe: the reading end is closed before apicompat writes
python3 - "$bin" <<'PY' || fail=1
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run([sys.argv[1], "breaking", "old.yaml", "new.yaml"], stdout=w, stderr=subprocess.PIPE, text=True)
os.close(w)
lines = p.stderr.strip().splitlines()
ok = p.returncode == 1 and not lines
print(("ok" if ok else "FAIL") + f" closed pipe: exit {p.returncode}, stderr {p.stderr.strip()!r}")
sys.exit(0 if ok else 1)
PY
# an unreadable input (skipped as root, who reads everything)
if [ "$(id -u)" != 0 ]; then
  tmp=$(mktemp -d); cp old.yaml "$tmp/old.yaml"; chmod 000 "$tmp/old.yaml"
  set +e; "$bin" breaking "$tmp/old.yaml" new.yaml > /dev/null 2> "$tmp/err"; rc=$?; set -e
  [ $rc -eq 2 ] || { echo "FAIL unreadable input: exit $rc"; fail=1; }
  rm -rf "$tmp"
fi
[ $fail -eq 0 ] && echo "write errors: ok"
exit $fail
