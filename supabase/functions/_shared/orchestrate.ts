// The pipeline: plan (profile, catalog, the user's settings, budget and history) → reserve what the plan
// may cost → run → score → choose, returning the response and the rows to record. Side effects come in
// through `OrchestratorDeps`.

import type { CircuitBreakers } from "./run/breaker.ts";
import { defaultFallbacks } from "./plan/catalog.ts";
import { chooseWinner } from "./run/choose.ts";
import {
  type Attempt,
  type Budget,
  DEFAULT_QUALITY_THRESHOLD,
  type Mode,
  type OrchestrateRequest,
  type OrchestrateResponse,
} from "./contract.ts";
import { ModelWait } from "./providers/model-wait.ts";
import { type PlannedStrategy, planStrategies, type RankingRow } from "./plan/planner.ts";
import {
  type BudgetSnapshot,
  noModelsRefusal,
  type PlanningDeps,
  type Prepared,
  preparePlanning,
} from "./plan/planning-context.ts";
import type { Provider } from "./providers/types.ts";
import { type OrchestrationRecords, toRecords } from "./store/records.ts";
import type { FactsCache } from "./score/facts-cache.ts";
import { type AttemptOutcome, runStrategies } from "./run/runner.ts";
import { SpendAllowance, withinAllowance } from "./budget/spend-guard.ts";

export interface SpendLedger {
  /** Reserves an amount of the user's budget this month for a request, if the budget has room for it. */
  reserveSpend(
    userId: string,
    requestId: string,
    amountUsd: number,
  ): Promise<{ reserved: boolean; budget: BudgetSnapshot }>;
  /** Gives a reservation back (the request called no model). */
  releaseSpend(userId: string, requestId: string): Promise<void>;
}

export interface OrchestratorDeps extends PlanningDeps {
  /** Providers by name, each already retrying its calls. */
  providers: ReadonlyMap<string, Provider>;
  spend: SpendLedger;
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

export type OrchestrationFailure = {
  ok: false;
  status: 400 | 402 | 502 | 503;
  code: string;
  message: string;
  details?: Record<string, unknown>;
  attempts: Attempt[];
  records: OrchestrationRecords | null;
  timings?: Timings;
};

export type OrchestrationResult =
  | { ok: true; response: OrchestrateResponse; records: OrchestrationRecords; timings: Timings }
  | OrchestrationFailure;

export const DEFAULT_MAX_STRATEGIES: Record<Mode, number> = { sequential: 3, parallel: 2, hedged: 3 };

/** The scorer brings TypeScript's parser (about 9 MB): loaded on the first output to score, not at boot,
 * so a cold function answers rejected requests without paying for it. */
const loadScorer = () => import("./score/index.ts");

const usd = (amount: number) => Math.round(amount * 1e6) / 1e6;

function failure(
  status: OrchestrationFailure["status"],
  code: string,
  message: string,
  details?: Record<string, unknown>,
): OrchestrationFailure {
  return { ok: false, status, code, message, details, attempts: [], records: null };
}

function budgetRefusal(budget: BudgetSnapshot, cheapestUsd: number): OrchestrationFailure {
  return failure(
    402,
    "budget_exceeded",
    `the monthly budget of ${budget.monthlyBudgetUsd} USD has ${budget.remainingUsd} USD left; ` +
      `the cheapest strategy for this request is estimated at ${usd(cheapestUsd)} USD`,
    { budget, cheapestEstimateUsd: usd(cheapestUsd) },
  );
}

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

/** What a request reserves: the most its plan can cost, or what is left when that is less (the spend
 * guard then lowers the output caps of its calls to fit). */
export function reservationFor(strategies: PlannedStrategy[], remainingUsd: number): number {
  return usd(Math.min(remainingUsd, strategies.reduce((sum, s) => sum + s.estimate.maxCostUsd, 0)));
}

interface Reservation {
  amountUsd: number;
  /** The budget with this reservation held. */
  budget: BudgetSnapshot;
}

type Planned =
  | { ok: true; strategies: PlannedStrategy[]; explored: boolean; reservation: Reservation | null }
  | OrchestrationFailure;

/**
 * Plans within what is left of the budget and reserves what the plan may cost. When concurrent requests
 * took the room between reading the budget and reserving, the request is planned once more with what
 * they left. When the planning context could not be read, the budget is unknown: the request reserves
 * anyway, so a slow database never lets it past a budget; only when the reservation fails too (the
 * database is down) does it go ahead unchecked, since an outage must not stop the service.
 */
async function planAndReserve(
  prepared: Prepared,
  body: OrchestrateRequest,
  userId: string,
  requestId: string,
  mode: Mode,
  deps: OrchestratorDeps,
): Promise<Planned> {
  let budget = prepared.context?.budget ?? null;
  for (let round = 1;; round++) {
    const remainingUsd = budget?.remainingUsd ?? null;
    const plan = planStrategies({
      candidates: prepared.candidates,
      policy: prepared.policy,
      maxStrategies: body.maxStrategies ?? DEFAULT_MAX_STRATEGIES[mode],
      remainingUsd,
      explore: body.explore ?? true,
      random: deps.clock.random,
    });
    if (!plan.ok) {
      return plan.reason === "no_models"
        ? { ...noModelsRefusal(body.models), attempts: [], records: null }
        : budgetRefusal(budget!, plan.cheapestUsd);
    }
    if (budget !== null && remainingUsd === null) return { ...plan, reservation: null };
    const amountUsd = reservationFor(plan.strategies, remainingUsd ?? Infinity);
    let answer: { reserved: boolean; budget: BudgetSnapshot };
    try {
      answer = await deps.spend.reserveSpend(userId, requestId, amountUsd);
    } catch (error) {
      deps.log({ level: "error", msg: "reserve_failed", requestId, error: String(error) });
      if (budget === null) return { ...plan, reservation: null };
      return failure(503, "budget_unavailable", "the budget could not be checked; try again shortly");
    }
    if (answer.reserved) return { ...plan, reservation: { amountUsd, budget: answer.budget } };
    budget = answer.budget;
    if (round === 2) {
      return budgetRefusal(budget, Math.min(...plan.strategies.map((s) => s.estimate.costUsd)));
    }
  }
}

/** The budget as it stands once this request settles (other requests aside). */
function budgetAfter(reservation: Reservation, spentUsd: number): Budget {
  const { budget, amountUsd } = reservation;
  return {
    month: budget.month,
    monthlyBudgetUsd: budget.monthlyBudgetUsd!,
    spentUsd: usd(budget.spentUsd + spentUsd),
    reservedUsd: usd(Math.max(0, budget.reservedUsd - amountUsd)),
    remainingUsd: usd(Math.max(0, budget.remainingUsd! + amountUsd - spentUsd)),
  };
}

export async function orchestrate(
  body: OrchestrateRequest,
  userId: string,
  requestId: string,
  deps: OrchestratorDeps,
  callerSignal: AbortSignal,
): Promise<OrchestrationResult> {
  const started = deps.clock.now();
  const mode: Mode = body.mode ?? (body.parallelExecution ? "parallel" : "sequential");
  const threshold = body.qualityThreshold ?? DEFAULT_QUALITY_THRESHOLD;

  const preparation = await preparePlanning(body, userId, requestId, deps);
  if (!preparation.ok) return { ...preparation, attempts: [], records: null };
  const { prepared } = preparation;
  const { profile, input, catalog, context } = prepared;
  const planned = await planAndReserve(prepared, body, userId, requestId, mode, deps);
  if (!planned.ok) return planned;
  const { strategies, explored, reservation } = planned;

  const wait = new ModelWait(() => deps.clock.now());
  const allowance = reservation ? new SpendAllowance(reservation.amountUsd) : null;
  const providers = new Map([...deps.providers].map(([name, provider]) => {
    const tracked = wait.track(provider);
    return [name, allowance ? withinAllowance(tracked, allowance, catalog) : tracked];
  }));
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
