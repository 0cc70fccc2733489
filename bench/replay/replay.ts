// Replays recorded outcomes through the real planner with the real statistics in Postgres: the models of
// the file are registered in the catalog with a neutral quality prior and a price from their mean cost;
// then, prompt by prompt in the order they arrive, the request's planning context is read
// (public.planning_context → get_best_model_for_task), the tier plans one strategy — a model and one of
// its two approaches, as in the product; a file records no approach, so either gets the model's recorded
// outcome — with its posterior draws, and the outcome is written back with public.record_orchestration as
// that request's result. What the planner learns is all it has: one strategy per prompt, no cascade
// judged by perfect scores.

import type postgres from "postgres";
import {
  type CatalogModel,
  type CatalogSource,
  costUsd,
} from "../../supabase/functions/_shared/plan/catalog.ts";
import type { Tier } from "../../supabase/functions/_shared/contract.ts";
import {
  candidatesFor,
  DEFAULT_POLICY,
  planStrategies,
} from "../../supabase/functions/_shared/plan/planner.ts";
import type { PlanningSource } from "../../supabase/functions/_shared/plan/planning-context.ts";
import type { OrchestrationRecords } from "../../supabase/functions/_shared/store/records.ts";
import { typicalProfile } from "../../supabase/functions/_shared/plan/profile.ts";
import { seededRandom } from "../../scripts/model-simulator/seeded-random.ts";
import { type Achieved, arrivalOrder, meanCost, type Outcomes } from "./outcomes.ts";

/** The catalog provider of replayed models: no deployment configures it, so apps never plan them. */
export const REPLAY_PROVIDER = "replay";
/** Output tokens a replayed call is priced at: the catalog price is set so that this costs the mean. */
const NOMINAL_OUTPUT_TOKENS = 1_000;
/** A neutral prior: 5 of 10, no strengths, so the planner knows nothing about a model before it tries it. */
const NEUTRAL_PRIOR = 5;

type Sql = ReturnType<typeof postgres>;

export interface ReplayStore extends CatalogSource, Pick<PlanningSource, "readRequestContext"> {
  record(records: OrchestrationRecords): Promise<void>;
}

/** Registers the file's models as `<namespace>/<model>`; one namespace per replay keeps their statistics
 * apart. */
export async function registerModels(sql: Sql, outcomes: Outcomes, namespace: string): Promise<void> {
  const rows = outcomes.models.map((model) => ({
    model_id: `${namespace}/${model}`,
    provider: REPLAY_PROVIDER,
    display_name: model,
    input_price_per_mtok: 0,
    output_price_per_mtok: (meanCost(outcomes, model) * 1_000_000) / NOMINAL_OUTPUT_TOKENS,
    context_window: 1_000_000,
    max_output_tokens: NOMINAL_OUTPUT_TOKENS,
    speed: "medium",
    quality_prior: NEUTRAL_PRIOR,
  }));
  await sql`insert into public.models ${sql(rows)}`;
}

/** Removes a namespace's models and the rows of the users that replayed them. */
export async function removeReplay(sql: Sql, namespace: string, userIds: string[]): Promise<void> {
  await sql`delete from public.model_selections where user_id in ${sql(userIds)}`;
  await sql`delete from public.models where model_id like ${namespace + "/%"}`;
}

/** The catalog's entries of a namespace, read as the function reads the catalog. */
export async function replayCatalog(store: CatalogSource, namespace: string): Promise<CatalogModel[]> {
  return (await store.readCatalog()).filter((model) => model.id.startsWith(`${namespace}/`));
}

export interface Choice {
  promptId: string;
  taskType: string;
  model: string;
  approach: string;
  explored: boolean;
}

export interface TierReplay extends Achieved {
  tier: Tier;
  /** What the planner chose, prompt by prompt, in replay order. */
  picks: Choice[];
}

/** Replays every prompt once for one tier, as `userId`; the statistics it builds stay in Postgres. */
export async function replayTier(options: {
  store: ReplayStore;
  catalog: CatalogModel[];
  outcomes: Outcomes;
  tier: Tier;
  userId: string;
  seed: number;
}): Promise<TierReplay> {
  const { store, catalog, outcomes, tier, userId } = options;
  const random = seededRandom(options.seed);
  const picks: Choice[] = [];
  let quality = 0;
  let totalCostUsd = 0;
  for (const prompt of arrivalOrder(outcomes.prompts, random)) {
    const profile = typicalProfile(prompt.taskType);
    const { context } = await store.readRequestContext(
      userId,
      crypto.randomUUID(),
      profile,
      catalog.map((model) => model.id),
      false,
    );
    // A replayed model's display name is its name in the file (registerModels).
    const recorded = catalog.filter((model) => prompt.outcomes.has(model.displayName));
    const candidates = candidatesFor(
      profile,
      recorded,
      context.ranking,
      new Set([REPLAY_PROVIDER]),
      (model) => {
        const cost = costUsd(model, 0, NOMINAL_OUTPUT_TOKENS);
        return {
          inputTokens: 0,
          outputTokens: NOMINAL_OUTPUT_TOKENS,
          calls: 1,
          costUsd: cost,
          basis: "tokens",
          maxCostUsd: cost,
          minCallUsd: cost,
        };
      },
    );
    const plan = planStrategies({
      candidates,
      policy: { ...DEFAULT_POLICY, tier, preferLocal: false },
      maxStrategies: 1,
      remainingUsd: null,
      random,
    });
    if (!plan.ok) throw new Error(`prompt ${prompt.id}: nothing to plan (${plan.reason})`);
    const [strategy] = plan.strategies;
    const model = recorded.find((entry) => entry.id === strategy.model)!.displayName;
    const outcome = prompt.outcomes.get(model)!;
    quality += outcome.quality;
    totalCostUsd += outcome.costUsd;
    picks.push({
      promptId: prompt.id,
      taskType: prompt.taskType,
      model,
      approach: strategy.approach,
      explored: plan.explored,
    });

    const requestId = crypto.randomUUID();
    const score = Math.round(outcome.quality * 10_000) / 100;
    await store.record({
      selection: {
        user_id: userId,
        request_id: requestId,
        task_type: prompt.taskType,
        task_profile: profile,
        selected_model: strategy.model,
        selected_provider: REPLAY_PROVIDER,
        selected_approach: strategy.approach,
        alternative_models: [],
        quality_score: score,
        mode: "sequential",
        tier,
        explored: plan.explored,
        was_optimal: true,
      },
      attempts: [{
        user_id: userId,
        request_id: requestId,
        task_type: prompt.taskType,
        request_complexity: profile.complexity,
        model_name: strategy.model,
        provider: REPLAY_PROVIDER,
        approach: strategy.approach,
        quality_score: score,
        quality_breakdown: null,
        success: true,
        error_class: null,
        duration_ms: Math.round(outcome.latencyMs),
        // billed as the catalog prices it, so its cost is evidence too
        input_tokens: 0,
        output_tokens: NOMINAL_OUTPUT_TOKENS,
        cost_usd: outcome.costUsd,
        file_count: 0,
        metadata: { replayedPrompt: prompt.id },
      }],
    });
  }
  return { tier, picks, meanQuality: quality / outcomes.prompts.length, totalCostUsd };
}

/** A tier's figures against the two yardsticks. */
export function tierFigures(outcomes: Outcomes, replay: TierReplay, best: Achieved, oracle: Achieved) {
  const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;
  return {
    tier: replay.tier,
    meanQuality: round(replay.meanQuality),
    totalCost: round(replay.totalCostUsd, 6),
    qualityVsBest: round(replay.meanQuality / best.meanQuality),
    costVsBest: round(replay.totalCostUsd / best.totalCostUsd),
    qualityVsOracle: round(replay.meanQuality / oracle.meanQuality),
    costVsOracle: round(replay.totalCostUsd / oracle.totalCostUsd),
    exploredShare: round(replay.picks.filter((pick) => pick.explored).length / outcomes.prompts.length),
  };
}

/** Per task type, how often each model was chosen in the later half of that task type's prompts: where
 * the learning settled. */
export function lateChoices(picks: Choice[]): Map<string, Map<string, number>> {
  const byTaskType = Map.groupBy(picks, (pick) => pick.taskType);
  return new Map([...byTaskType].map(([taskType, typePicks]) => {
    const late = typePicks.slice(Math.floor(typePicks.length / 2));
    const counts = Map.groupBy(late, (pick) => pick.model);
    return [taskType, new Map([...counts].map(([model, chosen]) => [model, chosen.length / late.length]))];
  }));
}
