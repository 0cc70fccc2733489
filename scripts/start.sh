#!/usr/bin/env bash
# npm start: brings the local stack up, runs one sample orchestration through supabase-js and prints
# what happened, then serves until Ctrl-C with one line per request; Ctrl-C brings the stack down.
source "$(dirname "$0")/lib.sh"

bash "$ROOT/scripts/stack-up.sh"
tail_pid=""
stop() {
  [ -z "$tail_pid" ] || kill "$tail_pid" 2>/dev/null || true
  echo
  bash "$ROOT/scripts/stack-down.sh"
}
trap stop EXIT
trap 'exit 0' INT TERM

(
  set -a
  source "$ENV_FILE"
  set +a
  "$DENO" run --config "$DENO_CONFIG" --allow-net --allow-env --allow-read "$ROOT/scripts/demo.ts" "$@"
)

echo
echo "Serving until Ctrl-C (clients: see ${ENV_FILE#"$ROOT/"}); one line per request:"
tail -n 0 -F "$STATE_DIR/functions.log" &
tail_pid=$!
wait "$tail_pid"
