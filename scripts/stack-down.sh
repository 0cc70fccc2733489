#!/usr/bin/env bash
# Stops what `npm run stack:up` started (the functions router, the model simulator and the local
# PostgreSQL) and checks that their ports are free. Data stays in .local/<stack>/ for the next start;
# running it again is fine.
source "$(dirname "$0")/lib.sh"

stop_daemon "Functions router" functions
stop_daemon "Model simulator" model-simulator

if [ -f "$PG_DATA/PG_VERSION" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
  log "PostgreSQL stopped"
fi

for port in "$API_PORT" "$DB_PORT" "$SIM_PORT"; do
  wait_for 50 port_free "$port" || die "port $port is still in use after stopping stack '$STACK_NAME'"
done
log "Stack '$STACK_NAME' is down"
