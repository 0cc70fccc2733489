// The pipeline: plan (profile, catalog, the user's settings, budget and history) → reserve what the plan
// and its quality loop may cost → run the strategies → choose (by score, or by consensus) → refine,
// verify → compare the outputs, judge the confidence → the response and the rows to record. Side effects
// come in through `OrchestratorDeps`; progress is announced through the call's `progress`.

import { budgetAfter, type SpendLedger } from "./budget/ledger.ts";
import { answeredFromCache } from "./cache/answer.ts";
import { cacheKeyOf, type ResultCache } from "./cache/result-cache.ts";
import { planAndReserve } from "./budget/reserve.ts";
import { SpendAllowance } from "./budget/spend-guard.ts";
import { type Random, withTimeout } from "./clock.ts";
import {
  type Attempt,
  DEFAULT_QUALITY_THRESHOLD,
  modeOf,
  type OrchestrateRequest,
  type OrchestrateResponse,
  type ProgressEvent,
} from "./contract.ts";
import { defaultFallbacks, usd } from "./plan/catalog.ts";
import { DEFAULT_MAX_STRATEGIES, type PlanPolicy, type RankingRow } from "./plan/planner.ts";
import {
  type PlanningDeps,
  type Prepared,
  preparePlanning,
  type QualityLoop,
} from "./plan/planning-context.ts";
import { type IntentOptions, withIntent } from "./plan/intent.ts";
import { loopWorstCaseUsd } from "./plan/quality-loop.ts";
import { pickVerifier } from "./plan/verifier.ts";
import { decorateProviders } from "./providers/decorate.ts";
import { ModelWait } from "./providers/model-wait.ts";
import type { RetryPolicy } from "./providers/retry.ts";
import type { Provider } from "./providers/types.ts";
import { Refusal } from "./refusal.ts";
import type { AttemptOutcome } from "./run/attempt.ts";
import type { CircuitBreakers } from "./run/breaker.ts";
import { chooseByConsensus, chooseWinner } from "./run/choose.ts";
import { runQualityLoop } from "./run/quality-loop.ts";
import { runStrategies } from "./run/runner.ts";
import { confidenceOf } from "./score/confidence.ts";
import type { FactsCache } from "./score/facts-cache.ts";
import { agreement, conflictsOf, structureOf } from "./score/structure.ts";
import { type OrchestrationRecords, toRecords } from "./store/records.ts";

export interface OrchestratorDeps extends PlanningDeps {
  /** The result cache (Postgres). */
  cache: ResultCache;
  /** The project keeps what requests produced, for the users who allow it (ORCHESTRATOR_STORE_OUTPUTS). */
  storeOutputs: boolean;
  /** The configured providers by name, undecorated: each request wraps them (providers/decorate.ts). */
  providers: ReadonlyMap<string, Provider>;
  retryPolicy: RetryPolicy;
  /** Jitter of retries and the planner's posterior draws. */
  random: Random;
  spend: SpendLedger;
  admissions: { finishRequest(requestId: string): Promise<void> };
  attemptTimeoutMs: { simple: number; progressive: number };
  /** How long the verifier may take. */
  verifyTimeoutMs: number;
  /** The whole request's budget, below the platform's wall-clock limit. */
  deadlineMs: number;
  breakers: CircuitBreakers;
  /** Configured fallback chains; a model without one falls back to the models closest in quality prior. */
  fallbacks: Readonly<Record<string, readonly string[]>>;
  /** Hedged mode without a hedgeDelayMs and without history: how long the leader runs alone. */
  defaultHedgeDelayMs: number;
  /** The facts of files scored before, shared by the requests of a worker. */
  scoreCache: FactsCache;
  /** The intent call where the rules are unsure of the task type; null: off (ORCHESTRATOR_INTENT_CALL). */
  intent: IntentOptions | null;
}

/** One request to orchestrate: what was asked, for whom, and who follows its progress. */
export interface OrchestrationCall {
  body: OrchestrateRequest;
  userId: string;
  requestId: string;
  /** The caller going away (a closed stream, a cancelled job) aborts the request's model calls. */
  signal: AbortSignal;
  progress?: (event: ProgressEvent) => void;
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
  call: OrchestrationCall,
  deps: OrchestratorDeps,
): Promise<OrchestrationResult> {
  const result = await admittedOrchestration(call, deps);
  // A request with rows frees its place when they are recorded; one without, now.
  if (result.records === null && !(!result.ok && NOT_ADMITTED.has(result.refusal.code))) {
    await deps.admissions.finishRequest(call.requestId).catch((error) =>
      deps.log({ level: "warn", msg: "finish_failed", requestId: call.requestId, error: String(error) })
    );
  }
  return result;
}

/** Who wrote an output, as conflicts name it: the model, and the approach when one model wrote two. */
function authorOf(outcome: AttemptOutcome, outcomes: AttemptOutcome[]): string {
  const { model, approach } = outcome.strategy;
  return outcomes.filter((other) => other.strategy.model === model).length > 1
    ? `${model}/${approach}`
    : model;
}

/** The comparison of the planned strategies' successful outputs: their conflicts, and agreement. */
function compareOutputs(planned: AttemptOutcome[], prepared: Prepared) {
  const successful = planned.filter((outcome) => outcome.success);
  const structures = new Map(successful.map((outcome) => [
    outcome,
    structureOf(authorOf(outcome, successful), outcome.files, prepared.profile, outcome.quality!),
  ]));
  const agreeing = (a: AttemptOutcome, b: AttemptOutcome) => {
    const [sa, sb] = [structures.get(a), structures.get(b)];
    return sa && sb ? agreement(sa, sb) : 0;
  };
  return { successful, conflicts: conflictsOf([...structures.values()]), agreeing };
}

async function admittedOrchestration(
  call: OrchestrationCall,
  deps: OrchestratorDeps,
): Promise<OrchestrationResult> {
  const { body, userId, requestId } = call;
  const progress = call.progress ?? (() => {});
  const started = deps.clock.now();
  const mode = modeOf(body);
  const threshold = body.qualityThreshold ?? DEFAULT_QUALITY_THRESHOLD;

  const maxStrategies = body.maxStrategies ?? DEFAULT_MAX_STRATEGIES[mode];
  const keyOf = (policy: PlanPolicy, loop: QualityLoop) =>
    cacheKeyOf({ userId, body, mode, threshold, maxStrategies, policy, loop });
  const planning = await preparePlanning(
    body,
    userId,
    requestId,
    deps,
    true,
    body.cache === false ? undefined : keyOf,
  );
  if (planning instanceof Refusal) return refused(planning);
  // Without the history (the database did not answer in time) the cache is not asked either.
  const cacheKey = body.cache === false || planning.context === null
    ? null
    : await keyOf(planning.policy, planning.loop);
  if (cacheKey) {
    // Asked with the planning read, unless the user's settings gave the request another key.
    const cached = cacheKey === planning.cache?.key
      ? planning.cache.entry
      : await withTimeout(deps.cache.cachedResponse(userId, cacheKey), deps.historyTimeoutMs);
    if (cached && !(cached instanceof Error)) {
      return answeredFromCache(cached, {
        call,
        prepared: planning,
        totalDurationMs: Math.round(deps.clock.now() - started),
      });
    }
  }
  // Where the rules are unsure of the task type, the intent call may decide it (off unless configured).
  const prepared = deps.intent
    ? await withIntent(planning, call, deps.intent, { ...deps, signal: call.signal })
    : planning;
  const { profile, input, catalog, context, loop } = prepared;
  const planned = await planAndReserve(prepared, {
    userId,
    requestId,
    maxStrategies,
    random: body.explore === false ? null : deps.random,
    models: body.models,
    // (the intent call, made already, is held with the plan)
    loopUsd: (strategies) =>
      loopWorstCaseUsd(strategies, prepared, deps.approachOptions) + (profile.intent?.costUsd ?? 0),
  }, deps);
  if (planned instanceof Refusal) return refused(planned);
  const { strategies, explored, reservation } = planned;
  // The first event: whatever is refused is refused before it (and answered as a plain error).
  progress({ type: "profile", profile });
  progress({
    type: "plan",
    tier: prepared.policy.tier,
    mode,
    explored,
    strategies: strategies.map((s) => ({
      model: s.model,
      provider: s.provider,
      approach: s.approach,
      expectedQuality: Math.round(s.expectedQuality * 1000) / 10,
      estimatedCostUsd: usd(s.estimate.costUsd),
    })),
    refineRounds: loop.refineRounds,
    verify: loop.verify,
  });

  const wait = new ModelWait(() => deps.clock.now());
  let scoringMs = 0;
  let attempted = 0;
  const deadline = AbortSignal.timeout(deps.deadlineMs);
  const ctx = {
    providers: decorateProviders(deps.providers, {
      retry: deps.retryPolicy,
      clock: deps.clock,
      random: deps.random,
      wait,
      allowance: reservation ? new SpendAllowance(reservation.amountUsd) : null,
      catalog,
    }),
    catalog,
    input,
    score: async (files: OrchestrateResponse["files"]) => {
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
    signal: AbortSignal.any([call.signal, deadline]),
    breakers: deps.breakers,
    fallbacks: { ...defaultFallbacks(catalog), ...deps.fallbacks },
    hedgeDelayMs: hedgeDelay(body, context?.ranking ?? [], strategies[0].model, deps),
    clock: deps.clock,
    progress,
    nextIndex: () => attempted++,
  };
  const run = await runStrategies(strategies, mode, threshold, ctx);
  if (reservation && run.outcomes.length === 0) {
    await deps.spend.releaseSpend(userId, requestId).catch((error) =>
      deps.log({ level: "warn", msg: "release_failed", requestId, error: String(error) })
    );
  }
  const compared = compareOutputs(run.outcomes, prepared);
  const chosen = mode === "consensus"
    ? chooseByConsensus(run.outcomes, compared.agreeing)
    : chooseWinner(run.outcomes);
  const looped = chosen
    ? await runQualityLoop(chosen, loop, {
      ...ctx,
      threshold,
      roundTimeoutMs: deps.attemptTimeoutMs.simple,
      remainingMs: () => deps.deadlineMs - (deps.clock.now() - started),
      verifyTimeoutMs: deps.verifyTimeoutMs,
      verifierFor: (winner) => pickVerifier(prepared.candidates, winner.strategy, prepared.policy),
    })
    : null;
  const outcomes = [...run.outcomes, ...(looped?.rounds ?? [])];
  const winner = looped?.winner ?? null;
  const verification = looped?.verification?.verification ?? null;
  const timings = {
    historyMs: Math.round(prepared.historyMs),
    scoringMs: Math.round(scoringMs),
    modelWaitMs: wait.ms,
  };
  const attempts = outcomes.map(toAttempt);
  const others = compared.successful.filter((outcome) => outcome !== chosen);
  const judged = winner && confidenceOf({
    winnerScore: winner.quality!.overall,
    runnerUpScore: others.length ? Math.max(...others.map((outcome) => outcome.quality!.overall)) : null,
    agreement: others.length && chosen
      ? others.reduce((sum, other) => sum + compared.agreeing(chosen, other), 0) / others.length
      : null,
    verification,
  });
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
      threshold,
      judged: judged ? { ...judged, conflicts: compared.conflicts } : null,
      verification: looped?.verification ?? null,
    })
    : null;

  if (!winner || !judged) {
    const unavailable = outcomes.every((outcome) => outcome.error?.class === "rate_limit");
    const tried = outcomes.map((o) => `${o.strategy.model}/${o.strategy.approach}: ${o.error?.class}`);
    const open = run.skipped.map((s) => `${s.model}/${s.approach}: circuit open`);
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
  const totalCostUsd = usd(
    outcomes.reduce((sum, o) => sum + o.costUsd, 0) + (verification?.costUsd ?? 0) +
      (profile.intent?.costUsd ?? 0),
  );
  const response: OrchestrateResponse = {
    requestId,
    files: winner.files,
    qualityScore: winner.quality!.overall,
    quality: winner.quality!,
    strategy: attempts[outcomes.indexOf(winner)].strategy,
    profile,
    attempts,
    ...judged,
    verification,
    conflicts: compared.conflicts,
    metrics: {
      strategiesTried: run.outcomes.length,
      mode,
      totalDurationMs: Math.round(deps.clock.now() - started),
      totalCostUsd,
      earlyExit: run.earlyExit,
      qualityThreshold: threshold,
      historyUsed: context !== null,
      modelWaitMs: wait.ms,
      retries: outcomes.reduce((sum, o) => sum + o.retries, 0),
      cancelled: outcomes.filter((o) => o.error?.class === "cancelled").length,
      tier: prepared.policy.tier,
      explored,
      refineRounds: looped?.rounds.length ?? 0,
      refined: winner.strategy.approach === "refine",
      budget: reservation?.budget.monthlyBudgetUsd != null ? budgetAfter(reservation, totalCostUsd) : null,
      skipped: run.skipped.map((s) => ({
        model: s.model,
        provider: s.provider,
        reason: "circuit_open" as const,
      })),
      cache: cacheKey ? "miss" : "off",
      cachedFrom: null,
    },
  };
  const output = deps.storeOutputs && context?.settings?.storeOutputs
    ? {
      request_text: body.request,
      context_paths: input.contextFiles.map((file) => file.path),
      files: winner.files,
    }
    : null;
  return {
    ok: true,
    timings,
    response,
    records: { ...records!, output, cache: cacheKey ? { cache_key: cacheKey, response } : null },
  };
}
