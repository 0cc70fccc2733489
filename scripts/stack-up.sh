#!/usr/bin/env bash
# Brings the local stack up and returns when every part answers; running it again reuses what runs.
#   PostgreSQL 15 (a cluster under .local/<stack>/pg, pg_cron preloaded, pgTAP available), or the
#   database in SUPABASE_DB_URL when the environment names one; the Supabase base where the database
#   is not a Supabase one; the migrations, applied by the Supabase CLI; the model simulator (Gemini,
#   OpenAI-compatible and Anthropic APIs) for Gemini when GEMINI_API_KEY is not set and for the providers
#   named in SIMULATED_PROVIDERS (comma list, default "gemini"; "all": every provider) whose real key is
#   not set; the functions router; keys, a demo user token, and .local/<stack>.env with everything a
#   client needs.
source "$(dirname "$0")/lib.sh"

bash "$ROOT/scripts/install-deps.sh"
mkdir -p "$STATE_DIR"

# Starts the cluster; on failure shows the end of its log, so a CI run says why.
pg_start() {
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$STATE_DIR/postgres.log" -w -t 60 start >/dev/null ||
    { tail -n 20 "$STATE_DIR/postgres.log" >&2 && return 1; }
}

start_local_postgres() {
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "Creating a PostgreSQL $PG_MAJOR cluster in ${PG_DATA#"$ROOT/"}..."
    rm -rf "$PG_DATA"
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$STATE_DIR/initdb.log" 2>&1 ||
      die "initdb failed, see $STATE_DIR/initdb.log"
    cat >>"$PG_DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $DB_PORT
unix_socket_directories = '$STATE_DIR'
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
fsync = off
EOF
  fi
  if as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    log "PostgreSQL already running on port $DB_PORT"
  else
    port_in_use "$DB_PORT" && die "port $DB_PORT is taken by another process; stop it or set DB_PORT"
    # One retry: a shared machine can refuse a start for a moment (memory, a port just released).
    pg_start || { log "PostgreSQL did not start; trying once more" && sleep 5 && pg_start; } ||
      die "PostgreSQL did not start, see $STATE_DIR/postgres.log"
    log "PostgreSQL $PG_MAJOR started on port $DB_PORT"
  fi
}

db_url=$(external_db_url)
external=$db_url
if [ -n "$db_url" ]; then
  log "Using the database in SUPABASE_DB_URL (no local PostgreSQL started)"
else
  db_url=$LOCAL_DB_URL
  start_local_postgres
fi

is_supabase_db=$(psql "$db_url" -XAtq -c "select exists (select 1 from pg_roles where rolname = 'supabase_admin')") ||
  die "cannot connect to the database"
if [ "$is_supabase_db" = t ]; then
  log "Supabase database detected: the Supabase base is already there"
else
  PGOPTIONS="-c client_min_messages=warning" psql "$db_url" -Xq -v ON_ERROR_STOP=1 -f "$ROOT/scripts/supabase-base.sql" >/dev/null
  log "Supabase base (roles, auth, extensions) applied"
fi

migrate_log="$STATE_DIR/migrations.log"
log "Bringing the schema up to date (supabase migration up)..."
"$SUPABASE" migration up --remote="$db_url" --yes --workdir "$ROOT" >"$migrate_log" 2>&1 ||
  die "supabase migration up failed, see $migrate_log"
grep 'Applying migration' "$migrate_log" >&2 || log "Migrations are up to date"

# The sweeps a hosted project schedules once (README, Deploying): on our own cluster, we schedule them.
if [ -z "$external" ]; then
  sweeps="create extension if not exists pg_cron with schema pg_catalog;
    select cron.schedule('expire-stale-reservations', '*/5 * * * *', 'select public.expire_stale_reservations()');
    select cron.schedule('expire-stale-jobs', '* * * * *', 'select public.expire_stale_jobs()');
    select cron.schedule('purge-old-rows', '*/10 * * * *', 'select public.purge_old_rows()');"
  PGOPTIONS="-c client_min_messages=warning" psql "$db_url" -XAtq -v ON_ERROR_STOP=1 -c "$sweeps" >/dev/null ||
    die "scheduling the sweeps with pg_cron failed"
fi


# Keys are kept across restarts so issued tokens stay valid. On an existing database the project's own
# keys may come from the environment (see scripts/stack-keys.ts).
keys_file="$STATE_DIR/keys.json"
supabase_url="http://127.0.0.1:$API_PORT"
sim_url="http://127.0.0.1:$SIM_PORT"
keys_run() { "$DENO" run --config "$DENO_CONFIG" --allow-read --allow-write --allow-env "$ROOT/scripts/stack-keys.ts" "$@"; }
keys_run init "$keys_file"
# Which providers are simulated (scripts/model-simulator/stack-env.ts): their key `simulated` and a base
# URL on the simulator go into the env file; real keys are never written there, the router inherits them.
stack_env() { "$DENO" run --config "$DENO_CONFIG" --allow-env "$ROOT/scripts/model-simulator/stack-env.ts" "$sim_url" "$@"; }
simulated_env=$(stack_env) || die "cannot tell which providers to simulate (SIMULATED_PROVIDERS)"
{
  echo "SUPABASE_URL='$supabase_url'"
  echo "SUPABASE_DB_URL='$db_url'"
  keys_run env "$keys_file" "$supabase_url" ${external:+--from-env}
  echo "STACK_KEYS_FILE='$keys_file'"
  echo "$simulated_env"
} >"$ENV_FILE"
chmod 600 "$ENV_FILE"
# The router and the simulator read the providers when they start: if they changed (another
# SIMULATED_PROVIDERS, a real key set or unset), those running restart rather than serve the old ones.
providers_file="$STATE_DIR/providers.env"
if [ -f "$providers_file" ] && [ "$(cat "$providers_file")" != "$simulated_env" ]; then
  log "The stack's environment changed: restarting the functions router and the model simulator"
  stop_daemon "Functions router" functions
  stop_daemon "Model simulator" model-simulator
fi
printf '%s' "$simulated_env" >"$providers_file"

if ! grep -q "^SIMULATED_PROVIDERS=''$" "$ENV_FILE"; then
  start_daemon "Model simulator" model-simulator "$SIM_PORT" "$sim_url/_simulator/health" \
    "$DENO" run --config "$DENO_CONFIG" --allow-net --allow-env --allow-read --unstable-no-legacy-abort \
    "$ROOT/scripts/model-simulator/server.ts" "$SIM_PORT"
fi
models=$(stack_env --summary)

start_daemon "Functions router" functions "$API_PORT" "$supabase_url/_internal/health" \
  "$DENO" run --config "$DENO_CONFIG" --allow-net --allow-env --allow-read --allow-sys --unstable-no-legacy-abort \
  "$ROOT/scripts/functions-router.ts" "$ROOT/supabase" "$API_PORT"

stop_command="npm run stack:down"
[ "$STACK_NAME" = stack ] || stop_command="STACK_NAME=$STACK_NAME PORT_BASE=$port_base $stop_command"
cat >&2 <<EOF

Stack '$STACK_NAME' is up:
  Functions  $supabase_url/functions/v1/<name>   (log: ${STATE_DIR#"$ROOT/"}/functions.log)
$(grep '^serving' "$STATE_DIR/functions.log" | sed 's/^serving /             /')
  Models     $models
  Database   $db_url
  Env file   ${ENV_FILE#"$ROOT/"}   (SUPABASE_URL, keys, SUPABASE_JWKS, DEMO_USER_ID, DEMO_USER_JWT)
  Stop with  $stop_command
EOF
