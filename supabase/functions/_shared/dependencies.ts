// Builds the orchestrator's dependencies from the environment: the place where the real world (env,
// clock, randomness, database, model providers, the edge runtime) is plugged into the pure core.

import { realClock } from "./clock.ts";
import type { HandlerDeps } from "./http/handler.ts";
import { userHasher } from "./http/request-log.ts";
import { RunningJobs } from "./jobs/run-job.ts";
import { CachedCatalog } from "./plan/catalog.ts";
import { DEFAULT_INTENT_OPTIONS } from "./plan/intent.ts";
import { DEFAULT_POLICY } from "./plan/planner.ts";
import { DEFAULT_MAX_PROVIDER_BODY_BYTES } from "./providers/body-limit.ts";
import { providersFromEnv } from "./providers/registry.ts";
import { DEFAULT_RETRY_POLICY } from "./providers/retry.ts";
import { DEFAULT_APPROACH_OPTIONS } from "./run/approaches.ts";
import { CircuitBreakers, DEFAULT_BREAKER_OPTIONS } from "./run/breaker.ts";
import { FactsCache } from "./score/facts-cache.ts";
import { DEFAULT_PERSIST_OPTIONS } from "./store/persist.ts";
import { createPostgresStore } from "./store/postgres.ts";

declare const EdgeRuntime: { waitUntil(promise: Promise<unknown>): void } | undefined;

function numberFrom(env: Deno.Env, name: string, fallback: number): number {
  const raw = env.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, got "${raw}"`);
  return value;
}

/** Fallback chains the operator configured; other models fall back to those closest in quality prior. */
function fallbacksFrom(env: Deno.Env): Record<string, string[]> {
  const raw = env.get("ORCHESTRATOR_FALLBACKS");
  if (!raw) return {};
  const configured = JSON.parse(raw) as Record<string, unknown>;
  for (const [model, chain] of Object.entries(configured)) {
    if (!Array.isArray(chain) || chain.some((entry) => typeof entry !== "string")) {
      throw new Error(`ORCHESTRATOR_FALLBACKS["${model}"] must be a list of model ids`);
    }
  }
  return configured as Record<string, string[]>;
}

export function logJson(entry: Record<string, unknown>): void {
  const line = JSON.stringify({ time: new Date().toISOString(), fn: "multi-model-orchestrator", ...entry });
  if (entry.level === "error") console.error(line);
  else console.log(line);
}

/** The secret the log's user hashes are keyed with: ORCHESTRATOR_LOG_KEY, else the project's secret API
 * key (hosted projects inject it), else one made for this worker (its lines then link only to each other). */
function logKey(env: Deno.Env): string {
  const configured = env.get("ORCHESTRATOR_LOG_KEY") ?? env.get("SUPABASE_SECRET_KEY");
  if (configured) return configured;
  const keys = env.get("SUPABASE_SECRET_KEYS");
  if (keys) return Object.values(JSON.parse(keys) as Record<string, string>)[0] ?? "";
  return crypto.randomUUID();
}

export async function dependenciesFromEnv(env: Deno.Env = Deno.env): Promise<HandlerDeps> {
  const dbUrl = env.get("ORCHESTRATOR_DB_URL") ?? env.get("SUPABASE_DB_URL");
  if (!dbUrl) throw new Error("SUPABASE_DB_URL (or ORCHESTRATOR_DB_URL) is not set");

  const providers = providersFromEnv(
    env,
    numberFrom(env, "MAX_PROVIDER_BODY_BYTES", DEFAULT_MAX_PROVIDER_BODY_BYTES),
  );

  const store = createPostgresStore(dbUrl, {
    requests: numberFrom(env, "ORCHESTRATOR_DB_POOL", 10),
    records: numberFrom(env, "ORCHESTRATOR_DB_RECORD_POOL", 3),
    recordLingerMs: numberFrom(env, "ORCHESTRATOR_RECORD_LINGER_MS", 50),
  });
  return {
    orchestrator: {
      providers,
      configuredProviders: new Set(providers.keys()),
      retryPolicy: {
        ...DEFAULT_RETRY_POLICY,
        maxRetries: numberFrom(env, "ORCHESTRATOR_MAX_RETRIES", DEFAULT_RETRY_POLICY.maxRetries),
        baseDelayMs: numberFrom(env, "ORCHESTRATOR_RETRY_BASE_DELAY_MS", DEFAULT_RETRY_POLICY.baseDelayMs),
      },
      random: Math.random,
      catalog: new CachedCatalog(
        store,
        numberFrom(env, "ORCHESTRATOR_CATALOG_TTL_MS", 30_000),
        realClock.now,
      ),
      planning: store,
      spend: store,
      admissions: store,
      policy: {
        tolerance: numberFrom(env, "ORCHESTRATOR_BALANCED_TOLERANCE", DEFAULT_POLICY.tolerance),
        floor: numberFrom(env, "ORCHESTRATOR_BUDGET_FLOOR", DEFAULT_POLICY.floor),
        drawSharpness: numberFrom(env, "ORCHESTRATOR_DRAW_SHARPNESS", DEFAULT_POLICY.drawSharpness),
        clearSharpness: numberFrom(env, "ORCHESTRATOR_CLEAR_SHARPNESS", DEFAULT_POLICY.clearSharpness),
      },
      historyTimeoutMs: numberFrom(env, "ORCHESTRATOR_HISTORY_TIMEOUT_MS", 1_500),
      approachOptions: {
        ...DEFAULT_APPROACH_OPTIONS,
        maxOutputFiles: numberFrom(env, "MAX_OUTPUT_FILES", DEFAULT_APPROACH_OPTIONS.maxOutputFiles),
        maxOutputBytes: numberFrom(env, "MAX_OUTPUT_BYTES", DEFAULT_APPROACH_OPTIONS.maxOutputBytes),
      },
      attemptTimeoutMs: {
        simple: numberFrom(env, "ORCHESTRATOR_ATTEMPT_TIMEOUT_MS", 60_000),
        progressive: numberFrom(env, "ORCHESTRATOR_PROGRESSIVE_TIMEOUT_MS", 110_000),
      },
      verifyTimeoutMs: numberFrom(env, "ORCHESTRATOR_VERIFY_TIMEOUT_MS", 30_000),
      cache: store,
      // Off unless the project turns it on; each user must also allow it (user_settings.store_outputs).
      storeOutputs: env.get("ORCHESTRATOR_STORE_OUTPUTS") === "true",
      // Free plans end a request at 150 s of wall clock (paid: 400 s); leave room to answer.
      deadlineMs: numberFrom(env, "ORCHESTRATOR_DEADLINE_MS", 140_000),
      // Shared by every request this worker serves.
      breakers: new CircuitBreakers({
        failureThreshold: numberFrom(
          env,
          "ORCHESTRATOR_BREAKER_FAILURES",
          DEFAULT_BREAKER_OPTIONS.failureThreshold,
        ),
        cooldownMs: numberFrom(env, "ORCHESTRATOR_BREAKER_COOLDOWN_MS", DEFAULT_BREAKER_OPTIONS.cooldownMs),
      }, realClock.now),
      fallbacks: fallbacksFrom(env),
      defaultHedgeDelayMs: numberFrom(env, "ORCHESTRATOR_HEDGE_DELAY_MS", 3_000),
      scoreCache: new FactsCache(2_000),
      intent: env.get("ORCHESTRATOR_INTENT_CALL") === "on"
        ? {
          belowConfidence: numberFrom(
            env,
            "ORCHESTRATOR_INTENT_BELOW",
            DEFAULT_INTENT_OPTIONS.belowConfidence,
          ),
          timeoutMs: numberFrom(env, "ORCHESTRATOR_INTENT_TIMEOUT_MS", DEFAULT_INTENT_OPTIONS.timeoutMs),
        }
        : null,
      clock: realClock,
      log: logJson,
    },
    store,
    persist: { ...DEFAULT_PERSIST_OPTIONS, unwritten: { requests: 0, rows: 0 } },
    waitUntil: typeof EdgeRuntime !== "undefined"
      ? (work) => EdgeRuntime.waitUntil(work)
      : (work) =>
        void work.catch((error) =>
          logJson({ level: "error", msg: "background_failed", error: String(error) })
        ),
    newId: () => crypto.randomUUID(),
    startedAt: Date.now(),
    tokens: {
      audience: "authenticated",
      // Supabase Auth signs user tokens with the project's Auth URL as issuer.
      issuer: env.get("ORCHESTRATOR_JWT_ISSUER") ??
        (env.get("SUPABASE_URL") ? `${env.get("SUPABASE_URL")!.replace(/\/+$/, "")}/auth/v1` : undefined),
    },
    userHash: await userHasher(logKey(env)),
    heartbeatMs: numberFrom(env, "ORCHESTRATOR_HEARTBEAT_MS", 15_000),
    running: new RunningJobs(),
  };
}
