#!/usr/bin/env bash
# Fails when a fresh clone's install (`npm install` as install-deps.sh runs it) would change
# package-lock.json: installs the project's package files into an empty folder and compares the
# lockfile npm leaves there with the committed one, byte for byte. Needs only the npm registry.
source "$(dirname "$0")/lib.sh"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp "$ROOT/package.json" "$ROOT/package-lock.json" "$ROOT/.npmrc" "$scratch/"
(cd "$scratch" && npm install --no-audit --no-fund --loglevel=error >/dev/null) || die "npm install failed"
if ! cmp -s "$ROOT/package-lock.json" "$scratch/package-lock.json"; then
  diff -u "$ROOT/package-lock.json" "$scratch/package-lock.json" | head -40 >&2
  die "a fresh install with npm $(npm --version) changes package-lock.json (above): commit the lockfile it writes"
fi
echo "a fresh install with npm $(npm --version) leaves package-lock.json unchanged"
