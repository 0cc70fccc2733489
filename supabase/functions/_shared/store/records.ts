// The rows one request leaves in Postgres: a selection row for the request, a performance row per
// attempt (refinement rounds included) and its verification, typed by the generated database types. Pure.

import {
  type Conflict,
  type Mode,
  type OrchestrateResponse,
  storableText,
  type TaskProfile,
  type Tier,
} from "../contract.ts";
import type { Database } from "../database.types.ts";
import type { PlannedStrategy } from "../plan/planner.ts";
import type { AttemptOutcome } from "../run/attempt.ts";
import type { VerificationRun } from "../run/verify.ts";
import type { confidenceOf } from "../score/confidence.ts";

export type SelectionRow = Database["public"]["Tables"]["model_selections"]["Insert"];
export type PerformanceRow = Database["public"]["Tables"]["model_performance"]["Insert"];
export type VerificationRow = Omit<
  Database["public"]["Tables"]["verifications"]["Insert"],
  "request_id" | "user_id"
>;

export type OutputRow = Omit<
  Database["public"]["Tables"]["request_outputs"]["Insert"],
  "request_id" | "user_id"
>;

export interface OrchestrationRecords {
  selection: SelectionRow;
  attempts: PerformanceRow[];
  /** The verifier's review, when the request asked for one. */
  verification?: VerificationRow | null;
  /** What the request produced, when the project and the user keep outputs. */
  output?: OutputRow | null;
  /** The response to answer repeats of the request with (cache/result-cache.ts). */
  cache?: { cache_key: string; response: OrchestrateResponse } | null;
}

/** What the request concluded about its result: its confidence, and what the outputs disagreed on. */
export type Judgement = ReturnType<typeof confidenceOf> & { conflicts: Conflict[] };

export interface RecordsInput {
  userId: string;
  requestId: string;
  conversationId?: string;
  profile: TaskProfile;
  mode: Mode;
  tier: Tier;
  explored: boolean;
  strategies: PlannedStrategy[];
  outcomes: AttemptOutcome[];
  winner: AttemptOutcome | null;
  threshold: number;
  judged: Judgement | null;
  verification: VerificationRun | null;
}

/** A refinement round's metadata: which round, from what score, what it added, whether it crossed. */
function refinementOf(outcome: AttemptOutcome, threshold: number) {
  if (!outcome.refinement) return {};
  const { round, fromScore } = outcome.refinement;
  const score = outcome.quality?.overall ?? null;
  return {
    round,
    fromScore,
    improvement: score === null ? 0 : Math.round((score - fromScore) * 100) / 100,
    liftedOverThreshold: score !== null && fromScore < threshold && score >= threshold,
  };
}

function verificationRow(run: VerificationRun): VerificationRow {
  const { verification } = run;
  return {
    model_name: verification.model,
    provider: verification.provider,
    verdict: verification.verdict,
    issues: verification.issues,
    summary: verification.summary.slice(0, 2000),
    error: verification.error ?? null,
    input_tokens: run.inputTokens,
    output_tokens: run.outputTokens,
    cost_usd: verification.costUsd,
    duration_ms: run.durationMs,
  };
}

/** What every selection row begins with: who asked, what the request was, and which strategy won (none
 * when every attempt failed). */
function selectionOf(
  userId: string,
  requestId: string,
  profile: TaskProfile,
  winner: { model: string; provider: string; approach: string } | undefined,
) {
  return {
    user_id: userId,
    request_id: requestId,
    task_type: profile.taskType,
    task_profile: profile,
    selected_model: winner?.model ?? null,
    selected_provider: winner?.provider ?? null,
    selected_approach: winner?.approach ?? null,
  };
}

export function toRecords(input: RecordsInput): OrchestrationRecords {
  const { userId, requestId, profile, winner, judged } = input;
  const others = input.outcomes.filter((outcome) => outcome !== winner).map((outcome) =>
    outcome.strategy.model
  );
  return {
    selection: {
      ...selectionOf(userId, requestId, profile, winner?.strategy),
      alternative_models: [...new Set(others)],
      quality_score: winner?.quality?.overall ?? null,
      mode: input.mode,
      tier: input.tier,
      explored: input.explored,
      was_optimal: winner ? winner.planRank === 0 : null,
      confidence: judged?.confidence ?? null,
      needs_review: judged?.needsReview ?? null,
      conflicts: judged?.conflicts ?? [],
      refine_rounds: input.outcomes.filter((outcome) => outcome.refinement).length,
    },
    attempts: input.outcomes.map((outcome) => ({
      user_id: userId,
      request_id: requestId,
      task_type: profile.taskType,
      request_complexity: profile.complexity,
      model_name: outcome.strategy.model,
      provider: outcome.strategy.provider,
      approach: outcome.strategy.approach,
      quality_score: outcome.quality?.overall ?? null,
      quality_breakdown: outcome.quality
        ? {
          completeness: outcome.quality.completeness,
          codeQuality: outcome.quality.codeQuality,
          functionality: outcome.quality.functionality,
          performance: outcome.quality.performance,
          issueCount: outcome.quality.issues.length,
        }
        : null,
      success: outcome.success,
      error_class: outcome.error?.class ?? null,
      duration_ms: outcome.durationMs,
      input_tokens: outcome.usage.inputTokens,
      output_tokens: outcome.usage.outputTokens,
      cost_usd: outcome.costUsd,
      file_count: outcome.files.length,
      metadata: {
        planRank: outcome.planRank,
        expectedQuality: input.strategies[outcome.planRank].expectedQuality,
        estimatedCostUsd: input.strategies[outcome.planRank].estimate.costUsd,
        calls: outcome.calls,
        retries: outcome.retries,
        modelVersion: outcome.modelVersion && storableText(outcome.modelVersion),
        ...refinementOf(outcome, input.threshold),
        ...(input.conversationId ? { conversationId: input.conversationId } : {}),
        ...(outcome.error ? { error: storableText(outcome.error.message.slice(0, 500)) } : {}),
      },
    })),
    verification: input.verification && verificationRow(input.verification),
  };
}

/** The rows of a request answered from the cache: its selection alone, naming the request it repeats
 * (no model was called, so there is no attempt to learn from). */
export function cachedRecords(
  { userId, requestId, response }: { userId: string; requestId: string; response: OrchestrateResponse },
): OrchestrationRecords {
  const { strategy, profile, metrics } = response;
  return {
    selection: {
      ...selectionOf(userId, requestId, profile, strategy),
      alternative_models: [],
      quality_score: response.qualityScore,
      mode: metrics.mode,
      tier: metrics.tier,
      explored: false,
      was_optimal: null,
      confidence: response.confidence,
      needs_review: response.needsReview,
      conflicts: response.conflicts,
      refine_rounds: 0,
      cached_from: metrics.cachedFrom,
    },
    attempts: [],
  };
}
