# Shared settings of the local stack scripts. Sourced, not run.
#
# A stack is named (STACK_NAME, default "stack"); its state lives in .local/<name>/ and its variables
# in .local/<name>.env. `npm test` uses its own stack, "test", on its own ports, so it never disturbs
# a running `npm start`.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK_NAME=${STACK_NAME:-stack}
STATE_DIR="$ROOT/.local/$STACK_NAME"
ENV_FILE="$ROOT/.local/$STACK_NAME.env"

case "$STACK_NAME" in
  stack) port_base=54321 ;;
  test) port_base=54331 ;;
  *) port_base=${PORT_BASE:?"set PORT_BASE for stack '$STACK_NAME'"} ;;
esac
API_PORT=${API_PORT:-$port_base}
DB_PORT=${DB_PORT:-$((port_base + 1))}
SIM_PORT=${SIM_PORT:-$((port_base + 8))}

PG_MAJOR=15
PG_BIN="/usr/lib/postgresql/$PG_MAJOR/bin"
PG_DATA="$STATE_DIR/pg"
LOCAL_DB_URL="postgresql://postgres@127.0.0.1:$DB_PORT/postgres?sslmode=disable"

DENO="$ROOT/node_modules/.bin/deno"
# The Deno hosted Supabase Edge Functions are compatible with; scripts/hosted-deno.sh runs it.
HOSTED_DENO_VERSION=2.1.10
SUPABASE="$ROOT/node_modules/.bin/supabase"
DENO_CONFIG="$ROOT/supabase/functions/deno.json"
export DENO_NO_UPDATE_CHECK=1 NO_COLOR=1

log() { printf '%s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# PostgreSQL refuses to run as root. As root, run its binaries as the `postgres` user inside a user
# namespace: the files stay owned by root on disk, so the cluster works wherever the checkout lives,
# even under a directory only root may enter (a fresh `mktemp -d` clone).
as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    unshare --user --map-user=postgres --map-group=postgres "$@"
  else
    "$@"
  fi
}

# Waits until a command succeeds, up to $1 tenths of a second.
wait_for() {
  local tries=$1
  shift
  while ! "$@" >/dev/null 2>&1; do
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || return 1
    sleep 0.1
  done
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_free() { ! port_in_use "$1"; }
process_gone() { ! kill -0 "$1" 2>/dev/null; }

# The database the stack uses: SUPABASE_DB_URL from the caller's environment (an existing Supabase or
# PostgreSQL) when it is not this stack's own local cluster, otherwise the local cluster.
external_db_url() {
  local url=${SUPABASE_DB_URL:-}
  if [ -n "$url" ] && [ "$url" != "$LOCAL_DB_URL" ]; then printf '%s' "$url"; fi
}

# start_daemon <label> <name> <port> <health url> <command...>: starts a background part of the stack in
# a session of its own (so stop_daemon can stop its whole process group), with the stack's env file
# loaded, logging to .local/<stack>/<name>.log; returns when the health URL answers. A part that is
# already running is left alone.
start_daemon() {
  local label=$1 name=$2 port=$3 health=$4
  shift 4
  local pid_file="$STATE_DIR/$name.pid"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    log "$label already running on port $port"
    return
  fi
  port_in_use "$port" && die "port $port is taken by another process; stop it or choose other ports"
  (
    set -a
    source "$ENV_FILE"
    set +a
    exec setsid "$@"
  ) >"$STATE_DIR/$name.log" 2>&1 &
  echo $! >"$pid_file"
  # the first start fetches the npm packages it imports, which can take a minute
  log "Starting the ${label,}..."
  wait_for 600 curl -fsS "$health" || die "$label did not answer, see $STATE_DIR/$name.log"
  log "$label started on port $port"
}

# stop_daemon <label> <name>: stops what start_daemon started; killed after 15 s if it will not stop.
stop_daemon() {
  local label=$1 pid_file="$STATE_DIR/$2.pid"
  [ -f "$pid_file" ] || return 0
  local pid
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    wait_for 150 process_gone "$pid" || kill -KILL -- "-$pid" 2>/dev/null || true
    log "$label stopped"
  fi
  rm -f "$pid_file"
}
