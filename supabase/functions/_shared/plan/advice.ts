// Estimates and recommendations, without calling any model and without writing anything:
//   estimate:        what each tier would plan for a request, with tokens and cost, within the budget;
//   recommendations: per task type, the best-ranked strategies (history pooled with the catalog) and
//                    each tier's first choice for a typical request of that type.

import { limitedBudget, spendableUsd } from "../budget/ledger.ts";
import { reservationFor } from "../budget/reserve.ts";
import {
  type EstimateResponse,
  modeOf,
  type OrchestrateRequest,
  type RankedStrategy,
  type RecommendationsResponse,
  type StrategyEstimate,
  TASK_TYPES,
  type TaskType,
  type TierPlan,
  TIERS,
} from "../contract.ts";
import { Refusal } from "../refusal.ts";
import { type CatalogModel, usd } from "./catalog.ts";
import { type IntentDeps, type IntentOptions, plannedIntentCall } from "./intent.ts";
import { typicalProfile } from "./profile.ts";
import { loopWorstCaseUsd } from "./quality-loop.ts";
import {
  type Candidate,
  DEFAULT_MAX_STRATEGIES,
  type PlannedStrategy,
  type PlanOutcome,
  planStrategies,
  type RankingRow,
} from "./planner.ts";
import { candidatesOf, catalogUnavailable, type PlanningDeps, preparePlanning } from "./planning-context.ts";

/** How many ranked strategies a recommendation lists. */
const RANKING_LENGTH = 5;

function strategyEstimate(strategy: PlannedStrategy): StrategyEstimate {
  return {
    model: strategy.model,
    provider: strategy.provider,
    approach: strategy.approach,
    expectedQuality: Math.round(strategy.expectedQuality * 1000) / 10,
    evidence: strategy.evidence,
    isLocal: strategy.isLocal,
    estimatedTokens: { input: strategy.estimate.inputTokens, output: strategy.estimate.outputTokens },
    calls: strategy.estimate.calls,
    estimatedCostUsd: usd(strategy.estimate.costUsd),
    costBasis: strategy.estimate.basis,
    maxCostUsd: usd(strategy.estimate.maxCostUsd),
  };
}

/** A tier's plan; its reservation holds the plan's worst case and its quality loop's (`loopUsd`). */
function tierPlan(
  outcome: PlanOutcome,
  remainingUsd: number | null,
  loopUsd: (strategies: PlannedStrategy[]) => number,
): TierPlan {
  if (!outcome.ok) {
    return {
      fits: false,
      strategies: [],
      expectedCostUsd: null,
      reservationUsd: null,
      cheapestEstimateUsd: outcome.reason === "budget" ? usd(outcome.cheapestUsd) : null,
    };
  }
  const strategies = outcome.strategies.map(strategyEstimate);
  return {
    fits: true,
    strategies,
    expectedCostUsd: strategies[0].estimatedCostUsd,
    reservationUsd: remainingUsd === null
      ? null
      : reservationFor(outcome.strategies, remainingUsd, loopUsd(outcome.strategies)),
    cheapestEstimateUsd: null,
  };
}

/** Each tier's plan for the candidates, deterministic (no exploration). */
function plansByTier(
  candidates: Candidate[],
  policy: PlanningDeps["policy"] & { preferLocal: boolean },
  maxStrategies: number,
  remainingUsd: number | null,
) {
  return Object.fromEntries(TIERS.map((tier) => [
    tier,
    planStrategies({ candidates, policy: { ...policy, tier }, maxStrategies, remainingUsd, random: null }),
  ])) as Record<(typeof TIERS)[number], PlanOutcome>;
}

export async function estimate(
  body: OrchestrateRequest,
  userId: string,
  requestId: string,
  deps: PlanningDeps & Pick<IntentDeps, "breakers"> & { intent: IntentOptions | null },
): Promise<EstimateResponse | Refusal> {
  const prepared = await preparePlanning(body, userId, requestId, deps);
  if (prepared instanceof Refusal) return prepared;
  const { profile, candidates, context, policy } = prepared;
  const intent = deps.intent && plannedIntentCall(prepared, body.request, deps.intent, deps);
  const intentUsd = intent?.worstCaseUsd ?? 0;
  const mode = modeOf(body);
  const budget = limitedBudget(context?.budget);
  const remainingUsd = context ? spendableUsd(context.budget) : null;
  const plans = plansByTier(
    candidates,
    policy,
    body.maxStrategies ?? DEFAULT_MAX_STRATEGIES[mode],
    remainingUsd,
  );
  // as the request reserves: its plan's loop, and the intent call it would make first
  const loopUsd = (strategies: PlannedStrategy[]) =>
    loopWorstCaseUsd(strategies, prepared, deps.approachOptions) + intentUsd;
  return {
    profile,
    tier: policy.tier,
    mode,
    budget,
    plans: {
      premium: tierPlan(plans.premium, remainingUsd, loopUsd),
      balanced: tierPlan(plans.balanced, remainingUsd, loopUsd),
      budget: tierPlan(plans.budget, remainingUsd, loopUsd),
    },
    intentCall: intent
      ? { model: intent.model.id, provider: intent.model.provider, worstCaseUsd: intent.worstCaseUsd }
      : null,
  };
}

function rankedStrategy(row: RankingRow): RankedStrategy {
  return {
    model: row.model_name,
    provider: row.provider,
    approach: row.approach as RankedStrategy["approach"],
    expectedQuality: row.expected_quality,
    qualityLowerBound: row.quality_lower_bound,
    samples: row.samples,
    priorSamples: row.prior_samples,
    successRate: row.success_rate,
    meanQuality: row.mean_quality,
    meanCostUsd: row.mean_cost_usd,
    meanDurationMs: row.mean_duration_ms,
  };
}

export async function recommendations(
  userId: string,
  taskType: TaskType | undefined,
  deps: PlanningDeps,
): Promise<RecommendationsResponse | Refusal> {
  const taskTypes = taskType ? [taskType] : [...TASK_TYPES];
  let catalog: CatalogModel[];
  let contexts;
  try {
    [catalog, contexts] = await Promise.all([
      deps.catalog.get(),
      deps.planning.readPlanningContexts(userId, taskTypes),
    ]);
  } catch (error) {
    deps.log({ level: "error", msg: "catalog_unavailable", error: String(error) });
    return catalogUnavailable();
  }
  const policy = { ...deps.policy, preferLocal: contexts[0]?.settings?.preferLocal ?? false };
  return {
    recommendations: taskTypes.map((type, i) => {
      const ranking = contexts[i].ranking;
      const profile = typicalProfile(type);
      const input = { request: `A typical ${type} request`, contextFiles: [], profile };
      const plans = plansByTier(candidatesOf(input, catalog, ranking, deps), policy, 1, null);
      const first = (outcome: PlanOutcome) => outcome.ok ? strategyEstimate(outcome.strategies[0]) : null;
      return {
        taskType: type,
        byTier: {
          premium: first(plans.premium),
          balanced: first(plans.balanced),
          budget: first(plans.budget),
        },
        ranking: ranking.filter((row) => deps.configuredProviders.has(row.provider)).slice(0, RANKING_LENGTH)
          .map(rankedStrategy),
      };
    }),
  };
}
