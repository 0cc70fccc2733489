#!/usr/bin/env bash
# Installs what the local stack needs when it is missing: the npm devDependencies (Deno, the Supabase
# CLI, and esbuild with the packages the example app bundles) and, from Debian's packages, PostgreSQL 15
# with pg_cron, pgTAP and pg_prove, and Chromium for the browser test.
source "$(dirname "$0")/lib.sh"

# package-lock.json is written by npm 11.15 or newer. Older npm rewrites it on install (npm 10 and
# 11.0-11.14 drop its "libc" fields; 11.10-11.14 also add placeholders for optional packages the
# registry lacks), which would leave a fresh clone modified. scripts/check-lockfile.sh (in npm test)
# keeps the committed lockfile what a fresh install writes.
NPM_MIN_VERSION=11.15.0
if [ ! -x "$DENO" ] || [ ! -x "$SUPABASE" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
  npm_version=$(npm --version)
  [ "$(printf '%s\n' "$NPM_MIN_VERSION" "$npm_version" | sort -V | head -n 1)" = "$NPM_MIN_VERSION" ] ||
    die "npm $npm_version would rewrite package-lock.json; use npm $NPM_MIN_VERSION or newer (npm install -g npm@11)"
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
