#!/usr/bin/env bash
# Stops what `npm run stack:up` started (the functions router and the local PostgreSQL) and checks
# that their ports are free. Data stays in .local/<stack>/ for the next start; running it again is fine.
source "$(dirname "$0")/lib.sh"

router_pid_file="$STATE_DIR/functions.pid"
if [ -f "$router_pid_file" ]; then
  pid=$(cat "$router_pid_file")
  if kill -0 "$pid" 2>/dev/null; then
    # The router is a session leader (setsid): signal its whole process group.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    wait_for 150 process_gone "$pid" || kill -KILL -- "-$pid" 2>/dev/null || true
    log "Functions router stopped"
  fi
  rm -f "$router_pid_file"
fi

if [ -f "$PG_DATA/PG_VERSION" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
  log "PostgreSQL stopped"
fi

for port in "$API_PORT" "$DB_PORT"; do
  wait_for 50 port_free "$port" ||
    die "port $port is still in use after stopping stack '$STACK_NAME'"
done
log "Stack '$STACK_NAME' is down"
