// The runner: attempts strategies in sequence (stopping at the first result whose quality reaches the
// threshold, moving on after a failure) or in parallel (all at once; one failure does not sink the
// others). Every attempt has its own deadline inside the request's, and ends as an outcome, never as
// an exception, so every attempt can be recorded.

import { type ApproachOptions, runApproach } from "./approaches.ts";
import { type CatalogModel, costUsd } from "./catalog.ts";
import type { ErrorClass, GeneratedFile, Mode, Quality } from "./contract.ts";
import type { PlannedStrategy } from "./plan.ts";
import type { PromptInput } from "./prompts.ts";
import { type Provider, ProviderError, type TokenUsage } from "./providers/types.ts";

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
  now: () => number;
}

export interface RunResult {
  outcomes: AttemptOutcome[];
  earlyExit: boolean;
}

async function attempt(
  strategy: PlannedStrategy,
  planRank: number,
  ctx: RunContext,
): Promise<AttemptOutcome> {
  const started = ctx.now();
  const model = ctx.catalog.find((entry) => entry.id === strategy.model)!;
  const base = { strategy, planRank, files: [], quality: null, calls: 0, modelVersion: null };
  try {
    const provider = ctx.providers.get(strategy.provider);
    if (!provider) throw new ProviderError("auth", `provider "${strategy.provider}" is not configured`);
    const signal = AbortSignal.any([
      ctx.signal,
      AbortSignal.timeout(ctx.attemptTimeoutMs[strategy.approach]),
    ]);
    const result = await runApproach(
      strategy.approach,
      provider,
      strategy.model,
      ctx.input,
      ctx.approachOptions,
      signal,
    );
    return {
      ...base,
      success: true,
      files: result.files,
      quality: await ctx.score(result.files),
      durationMs: Math.round(ctx.now() - started),
      usage: result.usage,
      costUsd: costUsd(model, result.usage.inputTokens, result.usage.outputTokens),
      calls: result.calls,
      modelVersion: result.modelVersion,
      error: null,
    };
  } catch (error) {
    const failure = error instanceof ProviderError ? error : new ProviderError("unknown", String(error));
    const usage = failure.details.usage ?? { inputTokens: 0, outputTokens: 0 };
    return {
      ...base,
      success: false,
      durationMs: Math.round(ctx.now() - started),
      usage,
      costUsd: costUsd(model, usage.inputTokens, usage.outputTokens),
      error: { class: failure.errorClass, message: failure.message },
    };
  }
}

export async function runStrategies(
  strategies: PlannedStrategy[],
  mode: Mode,
  threshold: number,
  ctx: RunContext,
): Promise<RunResult> {
  if (mode === "parallel") {
    return {
      outcomes: await Promise.all(strategies.map((strategy, rank) => attempt(strategy, rank, ctx))),
      earlyExit: false,
    };
  }
  const outcomes: AttemptOutcome[] = [];
  for (const [rank, strategy] of strategies.entries()) {
    if (ctx.signal.aborted) break;
    const outcome = await attempt(strategy, rank, ctx);
    outcomes.push(outcome);
    if (outcome.success && outcome.quality!.overall >= threshold) {
      return { outcomes, earlyExit: rank < strategies.length - 1 };
    }
  }
  return { outcomes, earlyExit: false };
}
