// The pipeline: profile → plan (with the history, read once) → run → score → choose, returning the
// response and the rows to record. Side effects come in through `OrchestratorDeps`.

import type { ApproachOptions } from "./approaches.ts";
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
import type { Database } from "./database.types.ts";
import { type HistoryRow, type PlannedStrategy, planStrategies } from "./plan.ts";
import { profileTask } from "./profile.ts";
import type { Provider } from "./providers/types.ts";
import { type AttemptOutcome, runStrategies } from "./run.ts";

export type SelectionRow = Database["public"]["Tables"]["model_selections"]["Insert"];
export type PerformanceRow = Database["public"]["Tables"]["model_performance"]["Insert"];

export interface OrchestrationRecords {
  selection: SelectionRow;
  attempts: PerformanceRow[];
}

export interface HistorySource {
  /** The ranking of get_best_model_for_task for this user and task type. */
  readHistory(userId: string, taskType: TaskType): Promise<HistoryRow[]>;
}

export interface OrchestratorDeps {
  providers: ReadonlyMap<string, Provider>;
  catalog: CatalogModel[];
  history: HistorySource;
  approachOptions: ApproachOptions;
  attemptTimeoutMs: { simple: number; progressive: number };
  /** The whole request's budget, below the platform's wall-clock limit. */
  deadlineMs: number;
  now: () => number;
  log: (entry: Record<string, unknown>) => void;
}

export type OrchestrationResult =
  | { ok: true; response: OrchestrateResponse; records: OrchestrationRecords }
  | {
    ok: false;
    status: 502 | 503;
    code: string;
    message: string;
    attempts: Attempt[];
    records: OrchestrationRecords | null;
  };

export const DEFAULT_MAX_STRATEGIES: Record<Mode, number> = { sequential: 3, parallel: 2 };

/** The scorer brings TypeScript's parser (about 9 MB): loaded on the first output to score, not at boot,
 * so a cold function answers rejected requests without paying for it. */
const loadScorer = () => import("./score/index.ts");

function toAttempt(outcome: AttemptOutcome): Attempt {
  return {
    strategy: {
      model: outcome.strategy.model,
      provider: outcome.strategy.provider,
      approach: outcome.strategy.approach,
    },
    success: outcome.success,
    qualityScore: outcome.quality?.overall ?? null,
    durationMs: outcome.durationMs,
    tokens: { input: outcome.usage.inputTokens, output: outcome.usage.outputTokens },
    costUsd: outcome.costUsd,
    modelVersion: outcome.modelVersion,
    error: outcome.error,
  };
}

export async function orchestrate(
  body: OrchestrateRequest,
  userId: string,
  requestId: string,
  deps: OrchestratorDeps,
  callerSignal: AbortSignal,
): Promise<OrchestrationResult> {
  const started = deps.now();
  const contextFiles = body.context?.files ?? [];
  const profile = profileTask({ request: body.request, contextFiles });
  const mode: Mode = body.mode ?? (body.parallelExecution ? "parallel" : "sequential");
  const threshold = body.qualityThreshold ?? DEFAULT_QUALITY_THRESHOLD;

  // A history outage degrades the plan to the catalog's priors; it does not fail the request.
  let history: HistoryRow[] = [];
  let historyUsed = true;
  try {
    history = await deps.history.readHistory(userId, profile.taskType);
  } catch (error) {
    historyUsed = false;
    deps.log({ level: "warn", msg: "history_unavailable", requestId, error: String(error) });
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

  const input = { request: body.request, framework: body.context?.framework, contextFiles, profile };
  const { outcomes, earlyExit } = await runStrategies(strategies, mode, threshold, {
    providers: deps.providers,
    catalog: deps.catalog,
    input,
    score: async (files) =>
      (await loadScorer()).scoreOutput({ files, profile, request: body.request, contextFiles }),
    approachOptions: deps.approachOptions,
    attemptTimeoutMs: deps.attemptTimeoutMs,
    signal: AbortSignal.any([callerSignal, AbortSignal.timeout(deps.deadlineMs)]),
    now: deps.now,
  });
  const winner = chooseWinner(outcomes);
  const records = toRecords(body, userId, requestId, profile, mode, strategies, outcomes, winner);
  const attempts = outcomes.map(toAttempt);

  if (!winner) {
    return {
      ok: false,
      status: 502,
      code: "all_strategies_failed",
      message: `every strategy failed (${
        outcomes.map((o) => `${o.strategy.model}/${o.strategy.approach}: ${o.error?.class}`).join(", ")
      })`,
      attempts,
      records,
    };
  }
  return {
    ok: true,
    records,
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
        totalDurationMs: Math.round(deps.now() - started),
        totalCostUsd: Math.round(outcomes.reduce((sum, o) => sum + o.costUsd, 0) * 1e6) / 1e6,
        earlyExit,
        qualityThreshold: threshold,
        historyUsed,
      },
    },
  };
}

function toRecords(
  body: OrchestrateRequest,
  userId: string,
  requestId: string,
  profile: ReturnType<typeof profileTask>,
  mode: Mode,
  strategies: PlannedStrategy[],
  outcomes: AttemptOutcome[],
  winner: AttemptOutcome | null,
): OrchestrationRecords {
  const others = outcomes.filter((outcome) => outcome !== winner).map((outcome) => outcome.strategy.model);
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
      mode,
      was_optimal: winner ? winner.planRank === 0 : null,
    },
    attempts: outcomes.map((outcome) => ({
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
        plannedScore: strategies[outcome.planRank].score,
        calls: outcome.calls,
        modelVersion: outcome.modelVersion,
        ...(body.conversationId ? { conversationId: body.conversationId } : {}),
        ...(outcome.error ? { error: outcome.error.message.slice(0, 500) } : {}),
      },
    })),
  };
}
