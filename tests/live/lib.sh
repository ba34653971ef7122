# Shared by tests/e2e/replay-live-*.sh: a fixture server on 127.0.0.1 started and stopped by the
# test, and a check of one replay's report against tests/live/expected/NAME (UPDATE=1 rewrites it).
# The caller sets bin, root, tmp and calls start_server SCRIPT; stop_server runs from its EXIT trap.
srv_pid=
start_server() { # script.py [CERT KEY]: with a certificate and its key, the server speaks TLS
  rm -f "$tmp/port"
  /usr/bin/python3 "$1" "$tmp/port" "$tmp/mode" "${@:2}" 2>"$tmp/server.log" &
  srv_pid=$!
  for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
  [ -s "$tmp/port" ] || { echo "the fixture server $1 did not start:"; head -20 "$tmp/server.log"; exit 1; }
  port=$(cat "$tmp/port")
  if [ $# -gt 1 ]; then server=https://127.0.0.1:$port; else server=http://127.0.0.1:$port; fi
}
stop_server() {
  if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null; wait "$srv_pid" 2>/dev/null; fi
  srv_pid=
}
fail=0
# check NAME MODE EXIT SUITE [replay options...]: the report (stdout, then stderr after a "--"
# line; the server's port as SERVER) must equal tests/live/expected/NAME and the exit code EXIT.
check() {
  local name=$1 mode=$2 want=$3 suite=$4
  shift 4
  echo "$mode" > "$tmp/mode"
  timeout 60 "$bin" replay "$suite" --server "$server" "$@" >"$tmp/out" 2>"$tmp/err"
  local code=$?
  { cat "$tmp/out"; echo "--"; cat "$tmp/err"; } | sed "s|127\.0\.0\.1:$port|SERVER|g" > "$tmp/got"
  local exp=$root/tests/live/expected/$name
  if [ "${UPDATE:-}" = 1 ] && { ! cmp -s "$tmp/got" "$exp" 2>/dev/null || [ "$code" != "$want" ]; }; then
    cp "$tmp/got" "$exp"
    echo "updated $exp (exit $code, expected $want)"
  fi
  if ! cmp -s "$tmp/got" "$exp" 2>/dev/null; then
    echo "FAIL $name: the report differs from tests/live/expected/$name"
    diff "$exp" "$tmp/got" | head -20
    fail=1
  fi
  if [ "$code" != "$want" ]; then
    echo "FAIL $name: exit code $code, expected $want"
    fail=1
  fi
}
