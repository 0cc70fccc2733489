#!/usr/bin/env bash
# Runs Deno $HOSTED_DENO_VERSION (lib.sh), the Deno hosted Supabase Edge Functions are compatible with,
# with the functions' config: scripts/hosted-deno.sh <subcommand> [args...].
# It is installed from npm into .local/ on first use rather than as a second devDependency: the `deno`
# package of every version links node_modules/.bin/deno, and whichever was linked last would win.
# Deno 2.1 cannot read deno.lock version 5, so it gets a version 4 copy (scripts/lockfile-v4.ts) in
# .local/: it resolves the npm versions the committed lockfile pins (add --frozen to refuse any other),
# and the committed lockfile is never touched.
source "$(dirname "$0")/lib.sh"
[ $# -ge 1 ] || die "usage: scripts/hosted-deno.sh <subcommand> [args...]"

dir="$ROOT/.local/deno-$HOSTED_DENO_VERSION"
hosted_deno="$dir/node_modules/deno/deno"
if [ ! -x "$hosted_deno" ]; then
  log "Installing Deno $HOSTED_DENO_VERSION (the hosted Edge Runtime's) into ${dir#"$ROOT/"}..."
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "deno@$HOSTED_DENO_VERSION" >&2
fi
[ -x "$DENO" ] || bash "$ROOT/scripts/install-deps.sh" >&2
"$DENO" run --allow-read="$ROOT/supabase/functions" --allow-write="$dir" "$ROOT/scripts/lockfile-v4.ts" \
  "$ROOT/supabase/functions/deno.lock" "$dir/deno.lock"

# Deno 2.1 trusts only its bundled CAs unless told otherwise; the system's store holds this machine's.
export DENO_TLS_CA_STORE=${DENO_TLS_CA_STORE:-system}
exec "$hosted_deno" "$1" --config "$DENO_CONFIG" --lock="$dir/deno.lock" "${@:2}"
