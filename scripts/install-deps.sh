#!/usr/bin/env bash
# Installs what the local stack needs when it is missing: the npm devDependencies (Deno, the Supabase
# CLI, and esbuild with the packages the example app bundles) and, from Debian's packages, PostgreSQL 15
# with pg_cron, pgTAP and pg_prove, and Chromium for the browser test.
source "$(dirname "$0")/lib.sh"

if [ ! -x "$DENO" ] || [ ! -x "$SUPABASE" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
  log "Installing npm dependencies (deno, supabase CLI, esbuild, supabase-js)..."
  (cd "$ROOT" && npm install --no-audit --no-fund --loglevel=error)
fi

missing=()
[ -x "$PG_BIN/postgres" ] || missing+=("postgresql-$PG_MAJOR")
[ -f "/usr/share/postgresql/$PG_MAJOR/extension/pg_cron.control" ] || missing+=("postgresql-$PG_MAJOR-cron")
[ -f "/usr/share/postgresql/$PG_MAJOR/extension/pgtap.control" ] || missing+=("postgresql-$PG_MAJOR-pgtap")
command -v pg_prove >/dev/null || missing+=("libtap-parser-sourcehandler-pgtap-perl")
command -v psql >/dev/null || missing+=("postgresql-client-$PG_MAJOR")
[ -x /usr/bin/chromium ] || missing+=("chromium")

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "Installing ${missing[*]} with apt-get..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null; } ||
      die "apt-get could not install: ${missing[*]}"
  else
    die "missing system packages: ${missing[*]} (Debian: sudo apt-get install ${missing[*]})"
  fi
fi
