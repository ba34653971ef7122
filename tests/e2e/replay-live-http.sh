#!/usr/bin/env bash
# apicompat replay DIR --server URL on an OpenAPI suite: the suite of tests/live/api.yaml sent to
# tests/live/http_server.py on a free loopback port, well-behaved and then misbehaving in each way
# the live replay must name (a wrong status, a missing property, a type mismatch, a missing
# header, invalid JSON, a wrong media type, a redirect to another host, an oversized answer, a slow
# answer, a reset, garbage), each with its expected report in tests/live/expected/http-*.  Also:
# the credentials go where the security schemes say and are never printed (from the environment
# or a --credentials file, the environment winning; a file open to others refused), --contract checks
# against today's contract, the run timeout holds, and a server that is down gives exit 2 at once.
set -u
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
. "$root/tests/live/lib.sh"
trap 'stop_server; rm -rf "$tmp"' EXIT
"$bin" cases "$root/tests/live/api.yaml" --out "$tmp/suite" >/dev/null || { echo "cases failed on tests/live/api.yaml"; exit 1; }
start_server "$root/tests/live/http_server.py"
export APICOMPAT_API_KEY=k3y APICOMPAT_BEARER_TOKEN=t0ken
s=$tmp/suite
check http-ok ok 0 "$s"
check http-ok.json ok 0 "$s" --format json
check http-wrong-status wrong-status 1 "$s"
check http-missing-property missing-property 1 "$s" --format json
check http-type-mismatch type-mismatch 1 "$s"
check http-missing-header missing-header 1 "$s"
check http-invalid-json invalid-json 1 "$s"
check http-wrong-media wrong-media 1 "$s"
check http-redirect redirect 1 "$s"
check http-oversized oversized 2 "$s" --max-response-size 1M
check http-reset reset 2 "$s"
check http-garbage garbage 2 "$s"
check http-wrong-status.junit wrong-status 1 "$s" --format junit
check http-wrong-status.md wrong-status 1 "$s" --format markdown
check http-wrong-status.github wrong-status 1 "$s" --format github
# today's contract: Item gained a required property the server does not send
check http-contract-v2 ok 1 "$s" --contract "$root/tests/live/api-v2.yaml"
# slow: each call ends at its timeout (9 calls, 4 at a time: about 3 s), never later
start=$(date +%s)
check http-slow slow 2 "$s" --timeout 1
[ $(($(date +%s) - start)) -le 6 ] || { echo "FAIL http-slow: took $(($(date +%s) - start)) s"; fail=1; }
# the run's own timeout stops everything in flight and sends nothing more
start=$(date +%s)
check http-run-timeout slow 2 "$s" --timeout 5 --run-timeout 1 --concurrency 2
[ $(($(date +%s) - start)) -le 3 ] || { echo "FAIL http-run-timeout: took $(($(date +%s) - start)) s"; fail=1; }
# no credentials: the server answers 401, which the contract does not document
APICOMPAT_API_KEY= APICOMPAT_BEARER_TOKEN= check http-no-credentials ok 1 "$s"
# the credentials are never printed, in any format
for f in text json junit markdown github; do
  echo type-mismatch > "$tmp/mode"
  "$bin" replay "$s" --server "$server" --format $f >"$tmp/o" 2>&1
  if grep -q 'k3y\|t0ken' "$tmp/o"; then echo "FAIL: a credential is printed in the $f report"; fail=1; fi
done
# --credentials FILE instead of the environment: the same run passes, a scheme's own key works, the
# environment's variable wins over the file's entry, the secrets are never printed (reports, stderr,
# the file's own errors), a file open to group or others and unknown keys are refused
cred=$tmp/cred.yaml
printf 'bearer_token: t0ken\napi_key: k3y\n' > "$cred"; chmod 600 "$cred"
APICOMPAT_API_KEY= APICOMPAT_BEARER_TOKEN= check http-ok ok 0 "$s" --credentials "$cred"
printf '{"bearer_token": "t0ken", "api_keys": {"key": "k3y"}, "api_key": "wr0ng"}\n' > "$cred"
APICOMPAT_API_KEY= APICOMPAT_BEARER_TOKEN= check http-ok ok 0 "$s" --credentials "$cred"
printf 'bearer_token: t0ken\napi_key: k3y\n' > "$cred"
APICOMPAT_API_KEY=wr0ng APICOMPAT_BEARER_TOKEN= check http-no-key ok 1 "$s" --credentials "$cred"
for f in text json junit markdown github; do
  echo type-mismatch > "$tmp/mode"
  APICOMPAT_API_KEY= APICOMPAT_BEARER_TOKEN= "$bin" replay "$s" --server "$server" --format $f --credentials "$cred" >"$tmp/o" 2>&1
  grep -q '^replay against\|"summary"\|<testsuite\|request cases' "$tmp/o" || { echo "FAIL credentials file: no $f report:"; cat "$tmp/o"; fail=1; }
  if grep -q 'k3y\|t0ken' "$tmp/o"; then echo "FAIL: a credential from the file is printed in the $f report"; fail=1; fi
done
# file:line:col: message, the value never shown; mode 644 refused
bad() { # WHAT EXPECTED-STDERR-PATTERN FILE-CONTENT
  printf '%s' "$3" > "$cred"; chmod 600 "$cred"
  "$bin" replay "$s" --server "$server" --credentials "$cred" >"$tmp/o" 2>"$tmp/e"; local code=$?
  if [ $code != 2 ] || [ "$(wc -l < "$tmp/e")" != 1 ] || ! grep -q -- "$2" "$tmp/e" || grep -q 'k3y\|t0ken' "$tmp/e" "$tmp/o"; then
    echo "FAIL credentials file, $1: exit $code, stderr:"; cat "$tmp/e"; fail=1
  fi
}
bad "unknown key" "cred.yaml:2:1: unknown key \"bearer\" in the credentials file" $'api_key: k3y\nbearer: t0ken\n'
bad "a line break" "cred.yaml:1:15: bearer_token holds a line break" $'bearer_token: "t0ken\\nX-Evil: 1"\n'
bad "basic_auth without a colon" "cred.yaml:1:13: basic_auth must be user:password" $'basic_auth: t0ken\n'
bad "a list of headers" "cred.yaml:1:10: headers (Name: value) must be a map" $'headers: ["Authorization: Bearer t0ken"]\n'
bad "a bad header name" "cred.yaml:1:11: headers: not a header name" $'headers: {"Bearer t0ken": x}\n'
bad "not YAML" "cred.yaml:2:1: invalid YAML" $'bearer_token: [t0ken\n'
printf 'bearer_token: t0ken\n' > "$cred"; chmod 644 "$cred"
"$bin" replay "$s" --server "$server" --credentials "$cred" >/dev/null 2>"$tmp/e"; code=$?
[ $code = 2 ] && grep -q 'open to group or others (mode 644); chmod 600' "$tmp/e" || { echo "FAIL credentials file 644: exit $code:"; cat "$tmp/e"; fail=1; }
# only http:// and https:// URLs, no user information, no query
for u in "ftp://127.0.0.1:$port" "http://user:pw@127.0.0.1:$port" "$server/?x=1" "file:///etc/passwd"; do
  "$bin" replay "$s" --server "$u" >/dev/null 2>"$tmp/e"; code=$?
  [ $code = 2 ] && [ "$(wc -l < "$tmp/e")" = 1 ] || { echo "FAIL: --server $u gave exit $code:"; cat "$tmp/e"; fail=1; }
done
# the server down: exit 2 at once, every case named
stop_server
start=$(date +%s.%N)
"$bin" replay "$s" --server "$server" --timeout 5 >"$tmp/out" 2>"$tmp/err"; code=$?
took=$(echo "$(date +%s.%N) - $start" | bc)
[ $code = 2 ] || { echo "FAIL down: exit $code, expected 2"; fail=1; }
grep -q 'the server is unreachable' "$tmp/err" || { echo "FAIL down: stderr does not say the server is unreachable:"; cat "$tmp/err"; fail=1; }
[ "$(grep -c '^ERROR ' "$tmp/out")" = 9 ] || { echo "FAIL down: not every case is an error:"; cat "$tmp/out"; fail=1; }
[ "$(echo "$took < 2" | bc)" = 1 ] || { echo "FAIL down: took $took s"; fail=1; }
exit $fail
