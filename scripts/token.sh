#!/usr/bin/env bash
# Prints a user access token (JWT) signed with the running stack's key: npm run token -- <user-uuid>
source "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: npm run token -- <user-uuid>"
[ -f "$STATE_DIR/keys.json" ] || die "no keys for stack '$STACK_NAME': run npm run stack:up first"
"$DENO" run --config "$DENO_CONFIG" --allow-read "$ROOT/scripts/stack-keys.ts" \
  token "$STATE_DIR/keys.json" "$1" "http://127.0.0.1:$API_PORT/auth/v1"
