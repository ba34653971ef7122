#!/usr/bin/env bash
# apicompat replay DIR --server URL on a protobuf suite: the hand-written suite of
# tests/live/grpc/suite (greeter.proto, .binpb requests made with protoc --encode) sent as gRPC
# calls over h2c to tests/live/grpc_server.py (Debian's python3-grpcio, generic handlers, raw
# bytes) on a free loopback port: a unary and a server-streaming method, then the misbehaviours
# (UNIMPLEMENTED, an error status, bytes that do not decode, a slow answer, gzip-compressed answers
# and one that inflates past the limit), each with its expected
# report in tests/live/expected/grpc-*; --contract against today's contract (a required field
# added, a method gone); metadata from APICOMPAT_HEADERS or a --credentials file reaches the server; a server that is down
# gives exit 2 at once.
set -u
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
. "$root/tests/live/lib.sh"
trap 'stop_server; rm -rf "$tmp"' EXIT
/usr/bin/python3 -c 'import grpc' 2>/dev/null || { echo "python3-grpcio is missing (make deps installs it)"; exit 1; }
start_server "$root/tests/live/grpc_server.py"
s=$root/tests/live/grpc/suite
check grpc-ok ok 0 "$s"
check grpc-ok.json ok 0 "$s" --format json
check grpc-unimplemented unimplemented 1 "$s"
check grpc-error-status error-status 1 "$s" --format junit
# grpc's own UNIMPLEMENTED for a method it does not serve comes before the request is read, and
# libcurl 7.88 may then fail the upload before it hands over the answer: each case is a failure
# naming UNIMPLEMENTED or, in that race, an error naming the reset; never a pass, never a hang
echo unregistered > "$tmp/mode"
timeout 30 "$bin" replay "$s" --server "$server" >"$tmp/out" 2>&1
if [ "$(grep -c -E '^FAIL .*grpc-status 12 UNIMPLEMENTED|^ERROR .*reset' "$tmp/out")" != 3 ]; then
  echo "FAIL unregistered: not every case names UNIMPLEMENTED (or the reset):"; cat "$tmp/out"; fail=1
fi
check grpc-garbage garbage 1 "$s"
# answers compressed with gzip (grpc-encoding): inflated with zlib, then judged; the 200 KB answer
# fits the 64 KB limit only compressed; one that inflates past 64 MB fails, never fills memory
check grpc-gzip gzip 0 "$s" --max-response-size 64K
check grpc-gzip-bomb gzip-bomb 1 "$s"
check grpc-contract-v2 ok 1 "$s" --contract "$root/tests/live/grpc/v2/greeter.proto"
start=$(date +%s)
check grpc-slow slow 2 "$s" --timeout 1
[ $(($(date +%s) - start)) -le 4 ] || { echo "FAIL grpc-slow: took $(($(date +%s) - start)) s"; fail=1; }
# metadata: the server echoes nothing, so a server that requires it stands in (mode "metadata")
APICOMPAT_HEADERS=$'x-tenant: blue\nx-trace: 1' check grpc-metadata metadata 0 "$s"
check grpc-no-metadata metadata 1 "$s"
# the same metadata from a --credentials file (its headers), and both sources together
printf 'headers:\n  x-tenant: blue\n' > "$tmp/cred.yaml"; chmod 600 "$tmp/cred.yaml"
check grpc-metadata metadata 0 "$s" --credentials "$tmp/cred.yaml"
printf 'headers: {x-trace: "1"}\n' > "$tmp/cred.yaml"
check grpc-no-metadata metadata 1 "$s" --credentials "$tmp/cred.yaml"
APICOMPAT_HEADERS='x-tenant: blue' check grpc-metadata metadata 0 "$s" --credentials "$tmp/cred.yaml"
# the whole nightly chain on protobuf: the suite `apicompat cases` generates from the fixture's
# contract (edge values included) replayed against the well-behaved server: every case passes
"$bin" cases "$root/tests/live/grpc/suite/greeter.proto" --out "$tmp/generated" > /dev/null || { echo "FAIL cases"; fail=1; }
check grpc-generated ok 0 "$tmp/generated"
# the server down: exit 2 at once
stop_server
start=$(date +%s.%N)
"$bin" replay "$s" --server "$server" >"$tmp/out" 2>"$tmp/err"; code=$?
took=$(echo "$(date +%s.%N) - $start" | bc)
[ $code = 2 ] || { echo "FAIL down: exit $code, expected 2"; fail=1; }
grep -q 'the server is unreachable' "$tmp/err" || { echo "FAIL down: stderr does not say the server is unreachable:"; cat "$tmp/err"; fail=1; }
[ "$(echo "$took < 2" | bc)" = 1 ] || { echo "FAIL down: took $took s"; fail=1; }
exit $fail
