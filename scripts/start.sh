#!/usr/bin/env bash
# npm start: brings the local stack up, runs one sample orchestration through supabase-js and prints
# what happened, serves the example app (examples/web), then serves until Ctrl-C with one line per
# request; Ctrl-C brings the stack down.
source "$(dirname "$0")/lib.sh"

bash "$ROOT/scripts/stack-up.sh"
tail_pid=""
web_pid=""
stop() {
  [ -z "$tail_pid" ] || kill "$tail_pid" 2>/dev/null || true
  [ -z "$web_pid" ] || kill "$web_pid" 2>/dev/null || true
  echo
  bash "$ROOT/scripts/stack-down.sh"
}
trap stop EXIT
trap 'exit 0' INT TERM

# The example app, built into .local/<stack>/web with the stack's URL, publishable key and demo token,
# and served beside the stack (the API port + 2: 54323 for npm start); it builds while the demo runs.
WEB_PORT=${WEB_PORT:-$((API_PORT + 2))}
web_url="http://127.0.0.1:$WEB_PORT/"
port_in_use "$WEB_PORT" && die "port $WEB_PORT is taken by another process; stop it or set WEB_PORT"
(
  set -a
  source "$ENV_FILE"
  set +a
  exec node "$ROOT/examples/web/build.mjs" --out "$STATE_DIR/web" --serve "$WEB_PORT"
) >"$STATE_DIR/web.log" 2>&1 &
web_pid=$!

(
  set -a
  source "$ENV_FILE"
  set +a
  "$DENO" run --config "$DENO_CONFIG" --allow-net --allow-env --allow-read "$ROOT/scripts/demo.ts" "$@"
)

wait_for 300 curl -fsS "$web_url" || die "the example app did not start, see ${STATE_DIR#"$ROOT/"}/web.log"
echo
echo "Example app: $web_url (sign in as the demo user; its token lasts an hour, restart for a new one)"
echo
echo "Serving until Ctrl-C (clients: see ${ENV_FILE#"$ROOT/"}); one line per request:"
tail -n 0 -F "$STATE_DIR/functions.log" &
tail_pid=$!
wait "$tail_pid"
