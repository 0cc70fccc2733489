#!/usr/bin/env bash
# Runs the project's Deno with the functions' config: scripts/deno.sh <subcommand> [args...]
source "$(dirname "$0")/lib.sh"
[ $# -ge 1 ] || die "usage: scripts/deno.sh <subcommand> [args...]"
[ -x "$DENO" ] || bash "$ROOT/scripts/install-deps.sh" >&2
exec "$DENO" "$1" --config "$DENO_CONFIG" "${@:2}"
