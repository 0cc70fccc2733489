// One attempt of a strategy — a planned one, or a refinement round — as every stage runs it: under its
// own deadline inside the request's, its cost priced from the usage the provider reported, its output
// scored, its outcome recorded by the circuit breaker, and announced to whoever follows the request.
// Every attempt ends as an outcome, never as an exception, so every attempt can be recorded.

import type { Clock } from "../clock.ts";
import type { AttemptStrategy, ErrorClass, GeneratedFile, ProgressEvent, Quality } from "../contract.ts";
import { type CatalogModel, costOfUsage } from "../plan/catalog.ts";
import { type Provider, ProviderError, type TokenUsage } from "../providers/types.ts";
import type { ApproachResult } from "./approaches.ts";
import { CircuitBreakers } from "./breaker.ts";

export interface AttemptOutcome {
  strategy: AttemptStrategy;
  /** 0 for the planner's first choice; a refinement round has the rank of the output it refined. */
  planRank: number;
  /** A refinement round: which, and the score of the output it started from. */
  refinement?: { round: number; fromScore: number };
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

export interface AttemptContext {
  providers: ReadonlyMap<string, Provider>;
  catalog: CatalogModel[];
  score: (files: GeneratedFile[]) => Promise<Quality>;
  /** Aborts every attempt: the request's overall deadline or the caller going away. */
  signal: AbortSignal;
  breakers: CircuitBreakers;
  clock: Clock;
  /** Announces the request's progress (streamed, or kept with a job); attempts are numbered from 0. */
  progress: (event: ProgressEvent) => void;
  /** The number of the next attempt. */
  nextIndex: () => number;
}

export const breakerKey = (strategy: AttemptStrategy) =>
  CircuitBreakers.key(strategy.provider, strategy.model);

/** What makes the attempt's calls: the approach, given the provider, the model and the attempt's signal. */
export type AttemptRun = (
  provider: Provider,
  model: CatalogModel,
  signal: AbortSignal,
) => Promise<ApproachResult>;

export async function attempt(
  strategy: AttemptStrategy,
  planRank: number,
  ctx: AttemptContext,
  run: AttemptRun,
  options: { timeoutMs: number; cancel?: AbortSignal; cancelledMessage?: string },
): Promise<AttemptOutcome> {
  const index = ctx.nextIndex();
  ctx.progress({ type: "attempt.started", index, strategy });
  const started = ctx.clock.now();
  const model = ctx.catalog.find((entry) => entry.id === strategy.model)!;
  const base = { strategy, planRank, files: [], quality: null, calls: 0, modelVersion: null };
  let outcome: AttemptOutcome;
  try {
    const provider = ctx.providers.get(strategy.provider);
    if (!provider) throw new ProviderError("auth", `provider "${strategy.provider}" is not configured`);
    const signals = [ctx.signal, AbortSignal.timeout(options.timeoutMs)];
    const result = await run(
      provider,
      model,
      AbortSignal.any(options.cancel ? [...signals, options.cancel] : signals),
    );
    outcome = {
      ...base,
      success: true,
      files: result.files,
      quality: await ctx.score(result.files),
      durationMs: Math.round(ctx.clock.now() - started),
      usage: result.usage,
      costUsd: result.costUsd,
      calls: result.calls,
      retries: result.retries,
      modelVersion: result.modelVersion,
      error: null,
    };
  } catch (error) {
    const failure = error instanceof ProviderError ? error : new ProviderError("unknown", String(error));
    const usage = failure.details.usage ?? { inputTokens: 0, outputTokens: 0 };
    const cancelledByOther = failure.errorClass === "cancelled" && options.cancel?.aborted &&
      !ctx.signal.aborted;
    outcome = {
      ...base,
      success: false,
      durationMs: Math.round(ctx.clock.now() - started),
      usage,
      // priced call by call where the approach metered it; otherwise it is one call's usage at most
      costUsd: failure.details.costUsd ?? costOfUsage(model, usage),
      calls: failure.details.calls ?? 0,
      retries: failure.details.retries ?? 0,
      error: {
        class: failure.errorClass,
        message: cancelledByOther && options.cancelledMessage ? options.cancelledMessage : failure.message,
      },
    };
  }
  ctx.breakers.record(breakerKey(strategy), { success: outcome.success, errorClass: outcome.error?.class });
  ctx.progress({
    type: "attempt.finished",
    index,
    strategy,
    success: outcome.success,
    qualityScore: outcome.quality?.overall ?? null,
    costUsd: outcome.costUsd,
    durationMs: outcome.durationMs,
    errorClass: outcome.error?.class ?? null,
  });
  return outcome;
}
