#!/usr/bin/env bash
# npm start: brings the local stack up and serves until Ctrl-C, printing one line per request; Ctrl-C
# brings the stack down again.
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

echo
echo "Serving until Ctrl-C; one line per request:"
tail -n 0 -F "$STATE_DIR/functions.log" &
tail_pid=$!
wait "$tail_pid"
