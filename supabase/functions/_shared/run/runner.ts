// The runner: attempts the planned strategies in one of three modes, each attempt under its own deadline
// inside the request's, skipping models whose circuit breaker is open.
//   sequential: one at a time; stop at the first result whose quality reaches the threshold; after a
//               failure, the failed model's fallback chain decides what comes next.
//   parallel:   all at once; one failure does not sink the others; the best wins.
//   hedged:     start the best; start the next when it fails, falls short, or runs longer than the hedge
//               delay; as soon as one result reaches the threshold, cancel the others.
// Every attempt ends as an outcome, never as an exception, so every attempt can be recorded.

import { type ApproachOptions, runApproach } from "./approaches.ts";
import { attempt as attemptWith, type AttemptContext, type AttemptOutcome, breakerKey } from "./attempt.ts";
import type { Mode } from "../contract.ts";
import type { PlannedStrategy } from "../plan/planner.ts";
import type { PromptInput } from "./prompts.ts";

export interface RunContext extends AttemptContext {
  input: PromptInput;
  approachOptions: ApproachOptions;
  /** Per attempt; the progressive approach makes several calls and gets the longer one. */
  attemptTimeoutMs: { simple: number; progressive: number };
  /** Per model, the models to fall back to, best first. */
  fallbacks: Readonly<Record<string, readonly string[]>>;
  hedgeDelayMs: number;
}

export interface RunResult {
  /** In the order the attempts started. */
  outcomes: AttemptOutcome[];
  earlyExit: boolean;
  /** Strategies not attempted because their model's breaker was open. */
  skipped: PlannedStrategy[];
}

const CANCELLED_BY_WINNER = "cancelled: another strategy reached the quality threshold first";

function attempt(
  strategy: PlannedStrategy,
  planRank: number,
  ctx: RunContext,
  cancel?: AbortSignal,
): Promise<AttemptOutcome> {
  const { model, provider, approach } = strategy;
  return attemptWith({ model, provider, approach }, planRank, ctx, (client, entry, signal) =>
    runApproach(
      approach,
      client,
      entry,
      ctx.input,
      // No call asks for more output than the model allows (the APIs refuse such calls).
      {
        ...ctx.approachOptions,
        maxOutputTokens: Math.min(ctx.approachOptions.maxOutputTokens, entry.maxOutputTokens),
      },
      signal,
    ), { timeoutMs: ctx.attemptTimeoutMs[approach], cancel, cancelledMessage: CANCELLED_BY_WINNER });
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

/** All at once (parallel and consensus modes). */
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
  if (mode === "parallel" || mode === "consensus") return parallel(strategies, ctx);
  if (mode === "hedged") return hedged(strategies, threshold, ctx);
  return sequential(strategies, threshold, ctx);
}
