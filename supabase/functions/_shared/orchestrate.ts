// The pipeline: profile → plan (with the history, read once) → run → score → choose, returning the
// response and the rows to record. Side effects come in through `OrchestratorDeps`.

import type { ApproachOptions } from "./approaches.ts";
import type { CircuitBreakers } from "./breaker.ts";
import type { CatalogModel } from "./catalog.ts";
import { chooseWinner } from "./choose.ts";
import {
  type Attempt,
  DEFAULT_QUALITY_THRESHOLD,
  type Mode,
  type OrchestrateRequest,
  type OrchestrateResponse,
  type TaskType,
} from "./contract.ts";
import { ModelWait } from "./model-wait.ts";
import { type HistoryRow, planStrategies } from "./plan.ts";
import { profileTask } from "./profile.ts";
import type { Provider } from "./providers/types.ts";
import { type OrchestrationRecords, toRecords } from "./records.ts";
import type { Clock } from "./retry.ts";
import type { FactsCache } from "./score/facts-cache.ts";
import { type AttemptOutcome, runStrategies } from "./run.ts";

export interface HistorySource {
  /** The ranking of get_best_model_for_task for this user and task type. */
  readHistory(userId: string, taskType: TaskType): Promise<HistoryRow[]>;
}

export interface OrchestratorDeps {
  /** Providers by name, each already retrying its calls. */
  providers: ReadonlyMap<string, Provider>;
  catalog: CatalogModel[];
  history: HistorySource;
  /** How long the history read may take before the plan goes ahead without it. */
  historyTimeoutMs: number;
  approachOptions: ApproachOptions;
  attemptTimeoutMs: { simple: number; progressive: number };
  /** The whole request's budget, below the platform's wall-clock limit. */
  deadlineMs: number;
  breakers: CircuitBreakers;
  fallbacks: Readonly<Record<string, readonly string[]>>;
  /** Hedged mode without a hedgeDelayMs and without history: how long the leader runs alone. */
  defaultHedgeDelayMs: number;
  /** The facts of files scored before, shared by the requests of a worker. */
  scoreCache: FactsCache;
  clock: Clock;
  log: (entry: Record<string, unknown>) => void;
}

/** Where a request's time went, for the request log. */
export interface Timings {
  historyMs: number;
  scoringMs: number;
  modelWaitMs: number;
}

export type OrchestrationResult =
  | { ok: true; response: OrchestrateResponse; records: OrchestrationRecords; timings: Timings }
  | {
    ok: false;
    status: 502 | 503;
    code: string;
    message: string;
    attempts: Attempt[];
    records: OrchestrationRecords | null;
    timings?: Timings;
  };

export const DEFAULT_MAX_STRATEGIES: Record<Mode, number> = { sequential: 3, parallel: 2, hedged: 3 };

/** The scorer brings TypeScript's parser (about 9 MB): loaded on the first output to score, not at boot,
 * so a cold function answers rejected requests without paying for it. */
const loadScorer = () => import("./score/index.ts");

function toAttempt(outcome: AttemptOutcome): Attempt {
  const { model, provider, approach } = outcome.strategy;
  return {
    strategy: { model, provider, approach },
    success: outcome.success,
    qualityScore: outcome.quality?.overall ?? null,
    durationMs: outcome.durationMs,
    tokens: { input: outcome.usage.inputTokens, output: outcome.usage.outputTokens },
    costUsd: outcome.costUsd,
    modelVersion: outcome.modelVersion,
    retries: outcome.retries,
    error: outcome.error,
  };
}

async function readHistory(
  deps: OrchestratorDeps,
  userId: string,
  taskType: TaskType,
): Promise<HistoryRow[] | Error> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${deps.historyTimeoutMs} ms`)),
      deps.historyTimeoutMs,
    );
  });
  try {
    return await Promise.race([deps.history.readHistory(userId, taskType), timeout]);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
  }
}

/** The leader runs alone for about one and a half of its usual durations, when the history knows them. */
function hedgeDelay(body: OrchestrateRequest, history: HistoryRow[], leader: string, deps: OrchestratorDeps) {
  if (body.hedgeDelayMs !== undefined) return body.hedgeDelayMs;
  const usual = history.find((row) => row.model_name === leader)?.mean_duration_ms;
  return usual ? Math.min(15_000, Math.max(250, Math.round(usual * 1.5))) : deps.defaultHedgeDelayMs;
}

export async function orchestrate(
  body: OrchestrateRequest,
  userId: string,
  requestId: string,
  deps: OrchestratorDeps,
  callerSignal: AbortSignal,
): Promise<OrchestrationResult> {
  const started = deps.clock.now();
  const contextFiles = body.context?.files ?? [];
  const profile = profileTask({ request: body.request, contextFiles });
  const mode: Mode = body.mode ?? (body.parallelExecution ? "parallel" : "sequential");
  const threshold = body.qualityThreshold ?? DEFAULT_QUALITY_THRESHOLD;

  // A history outage degrades the plan to the catalog's priors; it does not fail or stall the request.
  const historyStarted = deps.clock.now();
  const read = await readHistory(deps, userId, profile.taskType);
  const historyMs = deps.clock.now() - historyStarted;
  const historyUsed = !(read instanceof Error);
  const history = read instanceof Error ? [] : read;
  if (read instanceof Error) {
    deps.log({ level: "warn", msg: "history_unavailable", requestId, error: read.message });
  }

  const strategies = planStrategies(profile, deps.catalog, history, {
    maxStrategies: body.maxStrategies ?? DEFAULT_MAX_STRATEGIES[mode],
    providers: new Set(deps.providers.keys()),
  });
  if (strategies.length === 0) {
    return {
      ok: false,
      status: 503,
      code: "no_models_available",
      message: "no model provider is configured (set GEMINI_API_KEY)",
      attempts: [],
      records: null,
    };
  }

  const wait = new ModelWait(() => deps.clock.now());
  let scoringMs = 0;
  const providers = new Map([...deps.providers].map(([name, provider]) => [name, wait.track(provider)]));
  const { outcomes, earlyExit, skipped } = await runStrategies(strategies, mode, threshold, {
    providers,
    catalog: deps.catalog,
    input: { request: body.request, framework: body.context?.framework, contextFiles, profile },
    score: async (files) => {
      const { scoreOutput } = await loadScorer();
      const scoringStarted = deps.clock.now();
      const quality = scoreOutput({
        files,
        profile,
        request: body.request,
        contextFiles,
        cache: deps.scoreCache,
      });
      scoringMs += deps.clock.now() - scoringStarted;
      return quality;
    },
    approachOptions: deps.approachOptions,
    attemptTimeoutMs: deps.attemptTimeoutMs,
    signal: AbortSignal.any([callerSignal, AbortSignal.timeout(deps.deadlineMs)]),
    breakers: deps.breakers,
    fallbacks: deps.fallbacks,
    hedgeDelayMs: hedgeDelay(body, history, strategies[0].model, deps),
    clock: deps.clock,
  });
  const winner = chooseWinner(outcomes);
  const timings = {
    historyMs: Math.round(historyMs),
    scoringMs: Math.round(scoringMs),
    modelWaitMs: wait.ms,
  };
  const attempts = outcomes.map(toAttempt);
  const records = outcomes.length > 0
    ? toRecords({
      userId,
      requestId,
      conversationId: body.conversationId,
      profile,
      mode,
      strategies,
      outcomes,
      winner,
    })
    : null;

  if (!winner) {
    const unavailable = outcomes.every((outcome) => outcome.error?.class === "rate_limit");
    const tried = outcomes.map((o) => `${o.strategy.model}/${o.strategy.approach}: ${o.error?.class}`);
    const open = skipped.map((s) => `${s.model}/${s.approach}: circuit open`);
    return {
      ok: false,
      status: unavailable ? 503 : 502,
      code: unavailable ? "models_unavailable" : "all_strategies_failed",
      message: `no strategy produced an output (${[...tried, ...open].join(", ")})`,
      attempts,
      records,
      timings,
    };
  }
  return {
    ok: true,
    records: records!,
    timings,
    response: {
      requestId,
      files: winner.files,
      qualityScore: winner.quality!.overall,
      quality: winner.quality!,
      strategy: attempts[outcomes.indexOf(winner)].strategy,
      profile,
      attempts,
      metrics: {
        strategiesTried: outcomes.length,
        mode,
        totalDurationMs: Math.round(deps.clock.now() - started),
        totalCostUsd: Math.round(outcomes.reduce((sum, o) => sum + o.costUsd, 0) * 1e6) / 1e6,
        earlyExit,
        qualityThreshold: threshold,
        historyUsed,
        modelWaitMs: wait.ms,
        retries: outcomes.reduce((sum, o) => sum + o.retries, 0),
        cancelled: outcomes.filter((o) => o.error?.class === "cancelled").length,
        skipped: skipped.map((s) => ({
          model: s.model,
          provider: s.provider,
          reason: "circuit_open" as const,
        })),
      },
    },
  };
}
