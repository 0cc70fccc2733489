// The pipeline: plan (profile, catalog, the user's settings, budget and history) → reserve what the plan
// may cost → run → score → choose, returning the response and the rows to record. Side effects come in
// through `OrchestratorDeps`.

import { budgetAfter, type SpendLedger } from "./budget/ledger.ts";
import { planAndReserve } from "./budget/reserve.ts";
import { SpendAllowance } from "./budget/spend-guard.ts";
import type { Random } from "./clock.ts";
import {
  type Attempt,
  DEFAULT_QUALITY_THRESHOLD,
  modeOf,
  type OrchestrateRequest,
  type OrchestrateResponse,
} from "./contract.ts";
import { defaultFallbacks, usd } from "./plan/catalog.ts";
import { DEFAULT_MAX_STRATEGIES, type RankingRow } from "./plan/planner.ts";
import { type PlanningDeps, preparePlanning } from "./plan/planning-context.ts";
import { decorateProviders } from "./providers/decorate.ts";
import { ModelWait } from "./providers/model-wait.ts";
import type { RetryPolicy } from "./providers/retry.ts";
import type { Provider } from "./providers/types.ts";
import { Refusal } from "./refusal.ts";
import type { CircuitBreakers } from "./run/breaker.ts";
import { chooseWinner } from "./run/choose.ts";
import { type AttemptOutcome, runStrategies } from "./run/runner.ts";
import type { FactsCache } from "./score/facts-cache.ts";
import { type OrchestrationRecords, toRecords } from "./store/records.ts";

export interface OrchestratorDeps extends PlanningDeps {
  /** The configured providers by name, undecorated: each request wraps them (providers/decorate.ts). */
  providers: ReadonlyMap<string, Provider>;
  retryPolicy: RetryPolicy;
  /** Jitter of retries and exploration draws. */
  random: Random;
  spend: SpendLedger;
  admissions: { finishRequest(requestId: string): Promise<void> };
  attemptTimeoutMs: { simple: number; progressive: number };
  /** The whole request's budget, below the platform's wall-clock limit. */
  deadlineMs: number;
  breakers: CircuitBreakers;
  /** Configured fallback chains; a model without one falls back to the models closest in quality prior. */
  fallbacks: Readonly<Record<string, readonly string[]>>;
  /** Hedged mode without a hedgeDelayMs and without history: how long the leader runs alone. */
  defaultHedgeDelayMs: number;
  /** The facts of files scored before, shared by the requests of a worker. */
  scoreCache: FactsCache;
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
    refusal: Refusal;
    attempts: Attempt[];
    /** The rows to write even so: a request whose every attempt failed is still recorded. */
    records: OrchestrationRecords | null;
    timings?: Timings;
  };

/** The scorer brings TypeScript's parser (about 9 MB): loaded on the first output to score, not at boot,
 * so a cold function answers rejected requests without paying for it. */
const loadScorer = () => import("./score/index.ts");

const refused = (refusal: Refusal): OrchestrationResult => ({
  ok: false,
  refusal,
  attempts: [],
  records: null,
});

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

/** The leader runs alone for about one and a half of its usual durations, when the history knows them. */
function hedgeDelay(body: OrchestrateRequest, ranking: RankingRow[], leader: string, deps: OrchestratorDeps) {
  if (body.hedgeDelayMs !== undefined) return body.hedgeDelayMs;
  const usual = ranking.find((row) => row.model_name === leader)?.mean_duration_ms;
  return usual ? Math.min(15_000, Math.max(250, Math.round(usual * 1.5))) : deps.defaultHedgeDelayMs;
}

/** Refusals that come before the request holds a place among its user's running requests. */
const NOT_ADMITTED = new Set(["rate_limited", "too_many_concurrent_requests", "catalog_unavailable"]);

export async function orchestrate(
  body: OrchestrateRequest,
  userId: string,
  requestId: string,
  deps: OrchestratorDeps,
  callerSignal: AbortSignal,
): Promise<OrchestrationResult> {
  const result = await admittedOrchestration(body, userId, requestId, deps, callerSignal);
  // A request with rows frees its place when they are recorded; one without, now.
  if (result.records === null && !(!result.ok && NOT_ADMITTED.has(result.refusal.code))) {
    await deps.admissions.finishRequest(requestId).catch((error) =>
      deps.log({ level: "warn", msg: "finish_failed", requestId, error: String(error) })
    );
  }
  return result;
}

async function admittedOrchestration(
  body: OrchestrateRequest,
  userId: string,
  requestId: string,
  deps: OrchestratorDeps,
  callerSignal: AbortSignal,
): Promise<OrchestrationResult> {
  const started = deps.clock.now();
  const mode = modeOf(body);
  const threshold = body.qualityThreshold ?? DEFAULT_QUALITY_THRESHOLD;

  const prepared = await preparePlanning(body, userId, requestId, deps, true);
  if (prepared instanceof Refusal) return refused(prepared);
  const { profile, input, catalog, context } = prepared;
  const planned = await planAndReserve(prepared, {
    userId,
    requestId,
    maxStrategies: body.maxStrategies ?? DEFAULT_MAX_STRATEGIES[mode],
    random: body.explore === false ? null : deps.random,
    models: body.models,
  }, deps);
  if (planned instanceof Refusal) return refused(planned);
  const { strategies, explored, reservation } = planned;

  const wait = new ModelWait(() => deps.clock.now());
  const providers = decorateProviders(deps.providers, {
    retry: deps.retryPolicy,
    clock: deps.clock,
    random: deps.random,
    wait,
    allowance: reservation ? new SpendAllowance(reservation.amountUsd) : null,
    catalog,
  });
  let scoringMs = 0;
  const { outcomes, earlyExit, skipped } = await runStrategies(strategies, mode, threshold, {
    providers,
    catalog,
    input,
    score: async (files) => {
      const { scoreOutput } = await loadScorer();
      const scoringStarted = deps.clock.now();
      const quality = scoreOutput({
        files,
        profile,
        request: body.request,
        contextFiles: input.contextFiles,
        cache: deps.scoreCache,
      });
      scoringMs += deps.clock.now() - scoringStarted;
      return quality;
    },
    approachOptions: deps.approachOptions,
    attemptTimeoutMs: deps.attemptTimeoutMs,
    signal: AbortSignal.any([callerSignal, AbortSignal.timeout(deps.deadlineMs)]),
    breakers: deps.breakers,
    fallbacks: { ...defaultFallbacks(catalog), ...deps.fallbacks },
    hedgeDelayMs: hedgeDelay(body, context?.ranking ?? [], strategies[0].model, deps),
    clock: deps.clock,
  });
  if (reservation && outcomes.length === 0) {
    await deps.spend.releaseSpend(userId, requestId).catch((error) =>
      deps.log({ level: "warn", msg: "release_failed", requestId, error: String(error) })
    );
  }
  const winner = chooseWinner(outcomes);
  const timings = {
    historyMs: Math.round(prepared.historyMs),
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
      tier: prepared.policy.tier,
      explored,
      strategies,
      outcomes,
      winner,
    })
    : null;

  if (!winner) {
    const unavailable = outcomes.every((outcome) => outcome.error?.class === "rate_limit");
    const tried = outcomes.map((o) => `${o.strategy.model}/${o.strategy.approach}: ${o.error?.class}`);
    const open = skipped.map((s) => `${s.model}/${s.approach}: circuit open`);
    const message = `no strategy produced an output (${[...tried, ...open].join(", ")})`;
    return {
      ok: false,
      refusal: unavailable
        ? new Refusal(503, "models_unavailable", message, undefined, 30)
        : new Refusal(502, "all_strategies_failed", message),
      attempts,
      records,
      timings,
    };
  }
  const totalCostUsd = usd(outcomes.reduce((sum, o) => sum + o.costUsd, 0));
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
        totalCostUsd,
        earlyExit,
        qualityThreshold: threshold,
        historyUsed: context !== null,
        modelWaitMs: wait.ms,
        retries: outcomes.reduce((sum, o) => sum + o.retries, 0),
        cancelled: outcomes.filter((o) => o.error?.class === "cancelled").length,
        tier: prepared.policy.tier,
        explored,
        budget: reservation?.budget.monthlyBudgetUsd != null ? budgetAfter(reservation, totalCostUsd) : null,
        skipped: skipped.map((s) => ({
          model: s.model,
          provider: s.provider,
          reason: "circuit_open" as const,
        })),
      },
    },
  };
}
