#!/usr/bin/env bash
# Prints a user access token (JWT) signed with the running stack's key: npm run token -- <user-uuid>
source "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: npm run -s token -- <user-uuid>"
[[ "$1" =~ ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ ]] ||
  die "not a user id: '$1' (a uuid, such as 3f0c1d2e-0000-4000-8000-000000000000)"
[ -f "$STATE_DIR/keys.json" ] || die "no keys for stack '$STACK_NAME': run npm run stack:up first"
"$DENO" run --config "$DENO_CONFIG" --allow-read "$ROOT/scripts/stack-keys.ts" \
  token "$STATE_DIR/keys.json" "$1" "http://127.0.0.1:$API_PORT/auth/v1"
