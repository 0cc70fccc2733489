// Builds the orchestrator's dependencies from the environment: the place where the real world (env,
// clock, randomness, database, model providers, the edge runtime) is plugged into the pure core.

import { DEFAULT_APPROACH_OPTIONS } from "./approaches.ts";
import { GEMINI_MODELS } from "./catalog.ts";
import type { HandlerDeps } from "./http.ts";
import { DEFAULT_PERSIST_OPTIONS } from "./persist.ts";
import { createGeminiProvider } from "./providers/gemini.ts";
import type { Provider } from "./providers/types.ts";
import { createPostgresStore } from "./store.ts";

declare const EdgeRuntime: { waitUntil(promise: Promise<unknown>): void } | undefined;

function numberFrom(env: Deno.Env, name: string, fallback: number): number {
  const raw = env.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  }
  return value;
}

export function logJson(entry: Record<string, unknown>): void {
  const line = JSON.stringify({ time: new Date().toISOString(), fn: "multi-model-orchestrator", ...entry });
  if (entry.level === "error") console.error(line);
  else console.log(line);
}

export function dependenciesFromEnv(env: Deno.Env = Deno.env): HandlerDeps {
  const dbUrl = env.get("ORCHESTRATOR_DB_URL") ?? env.get("SUPABASE_DB_URL");
  if (!dbUrl) throw new Error("SUPABASE_DB_URL (or ORCHESTRATOR_DB_URL) is not set");

  const providers = new Map<string, Provider>();
  const geminiKey = env.get("GEMINI_API_KEY");
  if (geminiKey) {
    providers.set("gemini", createGeminiProvider({ apiKey: geminiKey, baseUrl: env.get("GEMINI_BASE_URL") }));
  }

  const store = createPostgresStore(dbUrl);
  return {
    orchestrator: {
      providers,
      catalog: GEMINI_MODELS,
      history: store,
      approachOptions: DEFAULT_APPROACH_OPTIONS,
      attemptTimeoutMs: {
        simple: numberFrom(env, "ORCHESTRATOR_ATTEMPT_TIMEOUT_MS", 60_000),
        progressive: numberFrom(env, "ORCHESTRATOR_PROGRESSIVE_TIMEOUT_MS", 110_000),
      },
      // Free plans end a request at 150 s of wall clock; leave room to answer.
      deadlineMs: numberFrom(env, "ORCHESTRATOR_DEADLINE_MS", 140_000),
      now: () => performance.now(),
      log: logJson,
    },
    store,
    persist: DEFAULT_PERSIST_OPTIONS,
    waitUntil: typeof EdgeRuntime !== "undefined"
      ? (work) => EdgeRuntime.waitUntil(work)
      : (work) =>
        void work.catch((error) =>
          logJson({ level: "error", msg: "background_failed", error: String(error) })
        ),
    newId: () => crypto.randomUUID(),
  };
}
