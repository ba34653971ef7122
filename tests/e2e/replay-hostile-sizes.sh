#!/usr/bin/env bash
# apicompat replay on a suite whose request cases are a few MB of hostile protobuf: a singular
# message given 400,000 times (each piece merged into the ones before), 200,000 unknown fields of
# distinct numbers (each compared with what the other version read), and a ProtoJSON twin with two
# repeated fields of 200,000 values each.  Each case reads in linear time: the replay ends within
# the timeout and under the memory limit (before, the first took minutes and gigabytes at a tenth of
# the size, the others grew as the square of their size).
set -u
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
case_file=cases/0001-UpdateItem-request-00
# ThreadSanitizer's run is for races (and many times slower); under AddressSanitizer, which reserves
# terabytes of address space, there is no memory limit and five times the time
if grep -q __tsan_init "$bin"; then echo "skipped: $bin is built with ThreadSanitizer"; exit 0; fi
limit_kb=3000000 max_s=20
grep -q __asan_init "$bin" && limit_kb=unlimited max_s=100
run() { # name
  local start code
  start=$(date +%s)
  (ulimit -v $limit_kb; timeout $((max_s + 10)) "$bin" replay "$tmp/s" "$tmp/s/contract.binpb" >"$tmp/out" 2>"$tmp/err"); code=$?
  if [ $code -gt 1 ]; then echo "FAIL $1: exit $code after $(($(date +%s) - start)) s"; head -3 "$tmp/err"; fail=1; fi
  if [ $(($(date +%s) - start)) -gt $max_s ]; then echo "FAIL $1: took $(($(date +%s) - start)) s"; fail=1; fi
}
fresh() { rm -rf "$tmp/s"; cp -R "$root/fixtures/replay/proto-self/suite" "$tmp/s"; }
fresh
/usr/bin/python3 -c 'import sys; sys.stdout.buffer.write(bytes([0x0a, 4, 0x0a, 2, 0x61, 0x62]) * 400000)' > "$tmp/s/$case_file.binpb"
run merged-pieces
fresh
/usr/bin/python3 - "$tmp/s/$case_file.binpb" <<'PY'
import sys
def varint(v):
    o = bytearray()
    while True:
        b, v = v & 0x7f, v >> 7
        o.append(b | 0x80 if v else b)
        if not v:
            return bytes(o)
open(sys.argv[1], 'wb').write(b''.join(varint((1000 + i) << 3) + b'\x01' for i in range(200000)))
PY
run distinct-unknown-fields
fresh
/usr/bin/python3 -c 'import json, sys; json.dump({"item": {"tags": ["a"] * 200000, "weights": [1.5] * 200000}}, sys.stdout)' > "$tmp/s/$case_file.json"
run json-repeated-fields
exit $fail
