// The runner: attempts the planned strategies in one of three modes, each attempt under its own deadline
// inside the request's, skipping models whose circuit breaker is open.
//   sequential: one at a time; stop at the first result whose quality reaches the threshold; after a
//               failure, the failed model's fallback chain decides what comes next.
//   parallel:   all at once; one failure does not sink the others; the best wins.
//   hedged:     start the best; start the next when it fails, falls short, or runs longer than the hedge
//               delay; as soon as one result reaches the threshold, cancel the others.
// Every attempt ends as an outcome, never as an exception, so every attempt can be recorded.

import { type ApproachOptions, runApproach } from "./approaches.ts";
import { CircuitBreakers } from "./breaker.ts";
import { type CatalogModel, costUsd } from "../plan/catalog.ts";
import type { ErrorClass, GeneratedFile, Mode, Quality } from "../contract.ts";
import type { PlannedStrategy } from "../plan/planner.ts";
import type { PromptInput } from "./prompts.ts";
import { type Provider, ProviderError, type TokenUsage } from "../providers/types.ts";
import type { Clock } from "../clock.ts";

export interface AttemptOutcome {
  strategy: PlannedStrategy;
  /** 0 for the planner's first choice. */
  planRank: number;
  success: boolean;
  files: GeneratedFile[];
  quality: Quality | null;
  durationMs: number;
  usage: TokenUsage;
  costUsd: number;
  calls: number;
  retries: number;
  modelVersion: string | null;
  error: { class: ErrorClass; message: string } | null;
}

export interface RunContext {
  providers: ReadonlyMap<string, Provider>;
  catalog: CatalogModel[];
  input: PromptInput;
  score: (files: GeneratedFile[]) => Promise<Quality>;
  approachOptions: ApproachOptions;
  /** Per attempt; the progressive approach makes several calls and gets the longer one. */
  attemptTimeoutMs: { simple: number; progressive: number };
  /** Aborts every attempt: the request's overall deadline or the caller going away. */
  signal: AbortSignal;
  breakers: CircuitBreakers;
  /** Per model, the models to fall back to, best first. */
  fallbacks: Readonly<Record<string, readonly string[]>>;
  hedgeDelayMs: number;
  clock: Clock;
}

export interface RunResult {
  /** In the order the attempts started. */
  outcomes: AttemptOutcome[];
  earlyExit: boolean;
  /** Strategies not attempted because their model's breaker was open. */
  skipped: PlannedStrategy[];
}

const CANCELLED_BY_WINNER = "cancelled: another strategy reached the quality threshold first";

const breakerKey = (strategy: PlannedStrategy) => CircuitBreakers.key(strategy.provider, strategy.model);

async function attempt(
  strategy: PlannedStrategy,
  planRank: number,
  ctx: RunContext,
  cancel?: AbortSignal,
): Promise<AttemptOutcome> {
  const started = ctx.clock.now();
  const model = ctx.catalog.find((entry) => entry.id === strategy.model)!;
  const base = { strategy, planRank, files: [], quality: null, calls: 0, modelVersion: null };
  let outcome: AttemptOutcome;
  try {
    const provider = ctx.providers.get(strategy.provider);
    if (!provider) throw new ProviderError("auth", `provider "${strategy.provider}" is not configured`);
    const signals = [ctx.signal, AbortSignal.timeout(ctx.attemptTimeoutMs[strategy.approach])];
    const signal = AbortSignal.any(cancel ? [...signals, cancel] : signals);
    const result = await runApproach(
      strategy.approach,
      provider,
      strategy.model,
      ctx.input,
      // No call asks for more output than the model allows (the APIs refuse such calls).
      {
        ...ctx.approachOptions,
        maxOutputTokens: Math.min(ctx.approachOptions.maxOutputTokens, model.maxOutputTokens),
      },
      signal,
    );
    outcome = {
      ...base,
      success: true,
      files: result.files,
      quality: await ctx.score(result.files),
      durationMs: Math.round(ctx.clock.now() - started),
      usage: result.usage,
      costUsd: costUsd(model, result.usage.inputTokens, result.usage.outputTokens),
      calls: result.calls,
      retries: result.retries,
      modelVersion: result.modelVersion,
      error: null,
    };
  } catch (error) {
    const failure = error instanceof ProviderError ? error : new ProviderError("unknown", String(error));
    const usage = failure.details.usage ?? { inputTokens: 0, outputTokens: 0 };
    const cancelledByWinner = failure.errorClass === "cancelled" && cancel?.aborted && !ctx.signal.aborted;
    outcome = {
      ...base,
      success: false,
      durationMs: Math.round(ctx.clock.now() - started),
      usage,
      costUsd: costUsd(model, usage.inputTokens, usage.outputTokens),
      calls: failure.details.calls ?? 0,
      retries: failure.details.retries ?? 0,
      error: {
        class: failure.errorClass,
        message: cancelledByWinner ? CANCELLED_BY_WINNER : failure.message,
      },
    };
  }
  ctx.breakers.record(breakerKey(strategy), { success: outcome.success, errorClass: outcome.error?.class });
  return outcome;
}

/** Moves the failed model's fallbacks to the front of the queue, in chain order; the rest keep theirs. */
export function reorderForFallback(
  queue: PlannedStrategy[],
  chain: readonly string[] = [],
): PlannedStrategy[] {
  const rank = (strategy: PlannedStrategy) => {
    const at = chain.indexOf(strategy.model);
    return at < 0 ? chain.length : at;
  };
  return queue.map((strategy, index) => ({ strategy, index }))
    .sort((a, b) => rank(a.strategy) - rank(b.strategy) || a.index - b.index)
    .map(({ strategy }) => strategy);
}

function reaches(outcome: AttemptOutcome, threshold: number): boolean {
  return outcome.success && outcome.quality!.overall >= threshold;
}

async function sequential(
  strategies: PlannedStrategy[],
  threshold: number,
  ctx: RunContext,
): Promise<RunResult> {
  let queue = [...strategies];
  const outcomes: AttemptOutcome[] = [];
  const skipped: PlannedStrategy[] = [];
  while (queue.length > 0 && !ctx.signal.aborted) {
    const strategy = queue.shift()!;
    if (!ctx.breakers.allow(breakerKey(strategy))) {
      skipped.push(strategy);
      continue;
    }
    const outcome = await attempt(strategy, strategies.indexOf(strategy), ctx);
    outcomes.push(outcome);
    if (reaches(outcome, threshold)) return { outcomes, earlyExit: queue.length > 0, skipped };
    if (!outcome.success) queue = reorderForFallback(queue, ctx.fallbacks[strategy.model]);
  }
  return { outcomes, earlyExit: false, skipped };
}

async function parallel(strategies: PlannedStrategy[], ctx: RunContext): Promise<RunResult> {
  const allowed = strategies.filter((strategy) => ctx.breakers.allow(breakerKey(strategy)));
  const outcomes = await Promise.all(
    allowed.map((strategy) => attempt(strategy, strategies.indexOf(strategy), ctx)),
  );
  return {
    outcomes,
    earlyExit: false,
    skipped: strategies.filter((strategy) => !allowed.includes(strategy)),
  };
}

async function hedged(strategies: PlannedStrategy[], threshold: number, ctx: RunContext): Promise<RunResult> {
  const pending = [...strategies];
  const skipped: PlannedStrategy[] = [];
  const started: Array<{ outcome: Promise<AttemptOutcome>; cancel: AbortController }> = [];
  const running = new Set<Promise<AttemptOutcome>>();
  let won = false;

  const launchNext = () => {
    while (pending.length > 0 && !ctx.signal.aborted) {
      const strategy = pending.shift()!;
      if (!ctx.breakers.allow(breakerKey(strategy))) {
        skipped.push(strategy);
        continue;
      }
      const cancel = new AbortController();
      const outcome = attempt(strategy, strategies.indexOf(strategy), ctx, cancel.signal);
      started.push({ outcome, cancel });
      running.add(outcome);
      return;
    }
  };

  launchNext();
  while (running.size > 0) {
    const hedge = new AbortController();
    const timer = pending.length > 0 && !won
      ? ctx.clock.sleep(ctx.hedgeDelayMs, hedge.signal).then(() => null, () => null)
      : new Promise<null>(() => {});
    const settled = await Promise.race([
      timer,
      ...[...running].map((outcome) => outcome.then(() => ({ outcome }))),
    ]);
    hedge.abort();
    if (settled === null) {
      launchNext(); // the leaders are slow: hedge with the next strategy
      continue;
    }
    running.delete(settled.outcome);
    const outcome = await settled.outcome;
    if (!won && reaches(outcome, threshold)) {
      won = true;
      for (const { outcome: other, cancel } of started) if (running.has(other)) cancel.abort();
    } else if (!won) {
      launchNext(); // a failure or a result below the threshold: try the next at once
    }
  }
  const outcomes = await Promise.all(started.map(({ outcome }) => outcome));
  return {
    outcomes,
    earlyExit: won && (pending.length > 0 || outcomes.some((o) => o.error?.message === CANCELLED_BY_WINNER)),
    skipped,
  };
}

export function runStrategies(
  strategies: PlannedStrategy[],
  mode: Mode,
  threshold: number,
  ctx: RunContext,
): Promise<RunResult> {
  if (mode === "parallel") return parallel(strategies, ctx);
  if (mode === "hedged") return hedged(strategies, threshold, ctx);
  return sequential(strategies, threshold, ctx);
}
