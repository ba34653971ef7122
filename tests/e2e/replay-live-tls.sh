#!/usr/bin/env bash
# apicompat replay DIR --server https://...: TLS for both protocols, with the certificate always
# verified.  A throwaway CA and certificates are made here with openssl (into the test's temp dir):
# one for 127.0.0.1, one for another host name, and a second CA that signed nothing the servers
# show.  tests/live/http_server.py and grpc_server.py serve TLS with the first; then:
# --cacert CA: every case passes; no --cacert (the system's store), or the wrong CA: the run
# fails closed (exit 2, one line naming the certificate, no call sent after the first failure);
# the certificate for another name: exit 2, the host name named; a plain server behind https://:
# exit 2, the handshake named; --cacert that is no PEM file, or with an http:// URL: exit 2.
set -u
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
. "$root/tests/live/lib.sh"
trap 'stop_server; rm -rf "$tmp"' EXIT
command -v openssl >/dev/null || { echo "openssl is missing (make deps installs it)"; exit 1; }
/usr/bin/python3 -c 'import grpc' 2>/dev/null || { echo "python3-grpcio is missing (make deps installs it)"; exit 1; }

# a CA (basicConstraints CA:TRUE), and leaf certificates signed by it for the names given
mkca() { # NAME
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=apicompat test $1" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -keyout "$tmp/$1.key" -out "$tmp/$1.pem" 2>/dev/null
}
mkleaf() { # NAME CA SAN
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$1" \
    -keyout "$tmp/$1.key" -out "$tmp/$1.csr" 2>/dev/null &&
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$3" > "$tmp/$1.ext" &&
  openssl x509 -req -in "$tmp/$1.csr" -CA "$tmp/$2.pem" -CAkey "$tmp/$2.key" -CAcreateserial -days 2 \
    -extfile "$tmp/$1.ext" -out "$tmp/$1.pem" 2>/dev/null
}
mkca ca && mkca otherca && mkleaf localhost ca IP:127.0.0.1 && mkleaf elsewhere ca DNS:elsewhere.example ||
  { echo "openssl could not make the test certificates"; exit 1; }

# expect_tls NAME WORD [replay options...]: exit 2, a one-line stderr naming WORD, every case an
# error, the first call's TLS failure and the rest not sent
expect_tls() {
  local name=$1 word=$2 suite=$3
  shift 3
  echo ok > "$tmp/mode"
  timeout 60 "$bin" replay "$suite" --server "$server" "$@" >"$tmp/out" 2>"$tmp/err"
  local code=$?
  [ -n "${SHOW:-}" ] && { echo "== $name"; cat "$tmp/err" "$tmp/out"; }
  if [ $code != 2 ] || [ "$(wc -l < "$tmp/err")" != 1 ] || ! grep -q "$word" "$tmp/err"; then
    echo "FAIL $name: exit $code (expected 2) and stderr (one line naming \"$word\" expected):"; cat "$tmp/err"; fail=1
  fi
  if grep -qv '^ERROR \|^replay against' "$tmp/out" || ! grep -q '^ERROR .*TLS: ' "$tmp/out"; then
    echo "FAIL $name: not every case is an error, or none names TLS:"; cat "$tmp/out"; fail=1
  fi
}

"$bin" cases "$root/tests/live/api.yaml" --out "$tmp/suite" >/dev/null || { echo "cases failed on tests/live/api.yaml"; exit 1; }
export APICOMPAT_API_KEY=k3y APICOMPAT_BEARER_TOKEN=t0ken
http=$tmp/suite grpc=$root/tests/live/grpc/suite

for proto in http grpc; do
  suite=${!proto}
  start_server "$root/tests/live/${proto}_server.py" "$tmp/localhost.pem" "$tmp/localhost.key"
  check tls-$proto-ok ok 0 "$suite" --cacert "$tmp/ca.pem"
  check tls-$proto-ok.json ok 0 "$suite" --cacert "$tmp/ca.pem" --format json --concurrency 1
  expect_tls "$proto: the system's CA store" certificate "$suite"
  expect_tls "$proto: another CA" certificate "$suite" --cacert "$tmp/otherca.pem"
  stop_server
  start_server "$root/tests/live/${proto}_server.py" "$tmp/elsewhere.pem" "$tmp/elsewhere.key"
  expect_tls "$proto: a certificate for another host" "certificate subject name.*127.0.0.1" "$suite" --cacert "$tmp/ca.pem"
  stop_server
  # a server without TLS behind an https:// URL
  start_server "$root/tests/live/${proto}_server.py"
  server=https://127.0.0.1:$port
  expect_tls "$proto: no TLS on the server" "handshake" "$suite" --cacert "$tmp/ca.pem"
  stop_server
done

# the CA file is read before any call: not PEM, a directory, missing; and it is for https:// only
echo 'not a certificate' > "$tmp/junk.pem"
for args in "--cacert $tmp/junk.pem" "--cacert $tmp" "--cacert $tmp/none.pem" "--server http://127.0.0.1:9 --cacert $tmp/ca.pem"; do
  # shellcheck disable=SC2086
  "$bin" replay "$http" --server https://127.0.0.1:9 $args >"$tmp/out" 2>"$tmp/err"; code=$?
  if [ $code != 2 ] || [ "$(wc -l < "$tmp/err")" != 1 ] || [ -s "$tmp/out" ]; then
    echo "FAIL replay $args: exit $code (expected 2, one line on stderr, nothing on stdout):"; cat "$tmp/err" "$tmp/out"; fail=1
  fi
done
grep -q 'not a PEM file' <("$bin" replay "$http" --server https://127.0.0.1:9 --cacert "$tmp/junk.pem" 2>&1) ||
  { echo "FAIL: a --cacert that is no PEM file is not named as such"; fail=1; }
exit $fail
