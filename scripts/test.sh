#!/usr/bin/env bash
# npm test: installs what is missing, brings up a fresh stack of its own ("test": ports 54331/54332,
# .local/test/), runs every check, brings the stack down whatever happened, and ends with one line
# "N passed, N failed". Static checks, the types check and the advisors count as one test each; Deno
# and pgTAP tests are counted by scripts/test-counts.ts.
export STACK_NAME=test
# Simulated models answer at 2% of their realistic latency: the tests check behaviour, not speed.
export MODEL_SIM_TIME_SCALE=${MODEL_SIM_TIME_SCALE:-0.02}
# Short retry backoff, attempt timeouts and breaker cooldown keep the fault-injection tests quick; the
# simulated models answer well within them.
export ORCHESTRATOR_RETRY_BASE_DELAY_MS=${ORCHESTRATOR_RETRY_BASE_DELAY_MS:-50}
export ORCHESTRATOR_ATTEMPT_TIMEOUT_MS=${ORCHESTRATOR_ATTEMPT_TIMEOUT_MS:-2500}
export ORCHESTRATOR_PROGRESSIVE_TIMEOUT_MS=${ORCHESTRATOR_PROGRESSIVE_TIMEOUT_MS:-4000}
export ORCHESTRATOR_VERIFY_TIMEOUT_MS=${ORCHESTRATOR_VERIFY_TIMEOUT_MS:-2000}
# Event streams and jobs show they are alive every 300 ms (15 s otherwise), so the tests see it happen.
export ORCHESTRATOR_HEARTBEAT_MS=${ORCHESTRATOR_HEARTBEAT_MS:-300}
# The project keeps outputs (for the users who allow it), so the export tests have outputs to export.
export ORCHESTRATOR_STORE_OUTPUTS=${ORCHESTRATOR_STORE_OUTPUTS:-true}
export ORCHESTRATOR_BREAKER_COOLDOWN_MS=${ORCHESTRATOR_BREAKER_COOLDOWN_MS:-1500}
# A body still arriving after 3 s is cut off, and a connection that sends no request head within 3 s is
# closed (150 s and 30 s otherwise): the slow-client tests need not wait long.
export ROUTER_BODY_TIMEOUT_MS=${ROUTER_BODY_TIMEOUT_MS:-3000} ROUTER_HEADERS_TIMEOUT_MS=${ROUTER_HEADERS_TIMEOUT_MS:-3000}
# Tests never reach real model providers, whatever the shell holds: these are the variables that
# configure one (supabase/functions/_shared/providers/registry.ts).
unset GEMINI_API_KEY OPENAI_API_KEY ANTHROPIC_API_KEY DEEPSEEK_API_KEY DASHSCOPE_API_KEY OPENROUTER_API_KEY \
  OLLAMA_BASE_URL VLLM_BASE_URL
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/install-deps.sh

passed=0
failed=0
failures=()
record() { # record <name> <exit status>
  if [ "$2" -eq 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$1")
  fi
}
finish() {
  bash scripts/stack-down.sh >/dev/null 2>&1 || log "warning: stack-down failed, see npm run stack:down"
  echo
  [ ${#failures[@]} -eq 0 ] || printf 'failed: %s\n' "${failures[@]}"
  echo "$passed passed, $failed failed"
}
trap finish EXIT
trap 'exit 130' INT TERM

# A fresh database each run: earlier runs' rows must not decide this run's outcome.
bash scripts/stack-down.sh >/dev/null 2>&1 || true
rm -rf "$STATE_DIR"
if ! bash scripts/stack-up.sh; then
  record "stack-up" 1
  exit 1
fi
set -a
source "$ENV_FILE"
set +a

step() { # step <name> <command...>: runs a check that counts as one test
  local name=$1
  shift
  echo "── $name"
  local status=0
  "$@" || status=$?
  record "$name" "$status"
}

code_dirs=()
for dir in supabase/functions scripts tests bench shared; do [ -d "$dir" ] && code_dirs+=("$dir"); done
# The example app is formatted and linted whole; of it only the page (src/) is type-checked: build.mjs
# runs on Node, with esbuild from node_modules, which Deno does not resolve.
step "deno fmt --check" "$DENO" fmt --config "$DENO_CONFIG" --check "${code_dirs[@]}" examples
step "deno lint" "$DENO" lint --config "$DENO_CONFIG" "${code_dirs[@]}" examples
step "deno check" "$DENO" check --config "$DENO_CONFIG" "${code_dirs[@]}" examples/web/src
step "landed migrations are unchanged" "$DENO" run --allow-read scripts/check-migrations.ts
step "generated types are current" bash scripts/gen-types.sh --check
step "published JSON Schema is current" "$DENO" run --config "$DENO_CONFIG" --allow-read scripts/gen-contract-schema.ts --check
step "supabase db advisors" "$SUPABASE" db advisors --remote="$SUPABASE_DB_URL" --workdir "$ROOT" --level warn --fail-on warn
step "a fresh npm install leaves package-lock.json unchanged" bash scripts/check-lockfile.sh

# What deploys runs on the hosted Edge Runtime's older Deno: the function type-checks there, with exactly
# the npm versions deno.lock pins (--frozen), and the README names both Deno versions tested.
step "deno check on Deno $HOSTED_DENO_VERSION" bash scripts/hosted-deno.sh check --frozen \
  supabase/functions/multi-model-orchestrator/index.ts
readme_names_deno_versions() {
  local pinned
  pinned=$(node -p 'require("./package.json").devDependencies.deno')
  grep -qF "Deno $pinned" README.md && grep -qF "Deno $HOSTED_DENO_VERSION" README.md ||
    { log "README.md does not name Deno $pinned and Deno $HOSTED_DENO_VERSION"; return 1; }
}
step "README names the Deno versions tested" readme_names_deno_versions

add_counts() { # add_counts <label> <format> <file>: adds a report's counts to the totals
  local counts p f
  counts=$("$DENO" run --allow-read "$ROOT/scripts/test-counts.ts" "$2" "$3")
  read -r p f <<<"$counts"
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$f" -eq 0 ] || failures+=("$1: $f")
}

# A test run that hangs is stopped and counted as failed, so the suite still ends with its count (and
# within CI's limit) rather than being killed with nothing said.
TEST_RUN_TIME_LIMIT=${TEST_RUN_TIME_LIMIT:-40m}

junit_counts() { # junit_counts <label> <report> <command...>: runs a test command, then counts its report
  local label=$1 report=$2
  shift 2
  local status=0
  timeout --kill-after=30s "$TEST_RUN_TIME_LIMIT" "$@" || status=$?
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    rm -f "$report" # what a stopped run left is not its count
    log "$label: stopped after $TEST_RUN_TIME_LIMIT"
  fi
  if [ -f "$report" ]; then
    add_counts "$label" junit "$report"
  else
    record "$label (no JUnit report)" 1
  fi
}

echo "── deno test"
junit="$STATE_DIR/deno-junit.xml"
junit_counts "deno test" "$junit" \
  "$DENO" test --config "$DENO_CONFIG" --allow-all --unstable-no-legacy-abort --junit-path="$junit" tests/

# The tests of the function's code that need no stack (stack tests import tests/support/stack.ts), again
# on the hosted Deno. Not frozen: Deno 2.1 adds to its copy of the lockfile the @types/node it checks
# node: imports with. The local router's and the scripts' tests stay on the pinned Deno: they never
# deploy, and the Deno processes they start would read the version 5 lockfile.
echo "── deno test on Deno $HOSTED_DENO_VERSION"
hosted_junit="$STATE_DIR/deno-hosted-junit.xml"
mapfile -t hosted_tests < <(grep -l 'from "\.\./supabase/functions/' tests/*.test.ts | xargs grep -L 'support/stack\.ts')
junit_counts "deno test on Deno $HOSTED_DENO_VERSION" "$hosted_junit" \
  bash scripts/hosted-deno.sh test --frozen=false --allow-all --junit-path="$hosted_junit" "${hosted_tests[@]}"

echo "── pgTAP"
for file in supabase/tests/*.test.sql; do
  tap="$STATE_DIR/$(basename "$file").tap"
  pg_prove --verbose -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres "$file" >"$tap" 2>&1 || true
  cat "$tap"
  add_counts "$file" tap "$tap"
done

[ "$failed" -eq 0 ]
