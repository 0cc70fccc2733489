// The rows one request leaves in Postgres: a selection row for the request and a performance row per
// attempt, typed by the generated database types. Pure.

import { type Mode, storableText, type TaskProfile, type Tier } from "../contract.ts";
import type { Database } from "../database.types.ts";
import type { PlannedStrategy } from "../plan/planner.ts";
import type { AttemptOutcome } from "../run/runner.ts";

export type SelectionRow = Database["public"]["Tables"]["model_selections"]["Insert"];
export type PerformanceRow = Database["public"]["Tables"]["model_performance"]["Insert"];

export interface OrchestrationRecords {
  selection: SelectionRow;
  attempts: PerformanceRow[];
}

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
}

export function toRecords(input: RecordsInput): OrchestrationRecords {
  const { userId, requestId, profile, winner } = input;
  const others = input.outcomes.filter((outcome) => outcome !== winner).map((outcome) =>
    outcome.strategy.model
  );
  return {
    selection: {
      user_id: userId,
      request_id: requestId,
      task_type: profile.taskType,
      task_profile: profile,
      selected_model: winner?.strategy.model ?? null,
      selected_provider: winner?.strategy.provider ?? null,
      selected_approach: winner?.strategy.approach ?? null,
      alternative_models: [...new Set(others)],
      quality_score: winner?.quality?.overall ?? null,
      mode: input.mode,
      tier: input.tier,
      explored: input.explored,
      was_optimal: winner ? winner.planRank === 0 : null,
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
        ...(input.conversationId ? { conversationId: input.conversationId } : {}),
        ...(outcome.error ? { error: storableText(outcome.error.message.slice(0, 500)) } : {}),
      },
    })),
  };
}
