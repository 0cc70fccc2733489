// The planner: scores every (model, approach) strategy for a task profile on expected quality against
// what the task needs, task-specific strength, speed and cost, with the performance history read once
// per request; returns the best first and the rest as the fallback chain, preferring other models for
// the fallbacks so one model's outage does not sink the whole chain. Pure.

import type { CatalogModel, SpeedClass } from "./catalog.ts";
import type { Approach, Complexity, Strategy, TaskProfile } from "./contract.ts";
import { APPROACHES } from "./contract.ts";

/** One row of get_best_model_for_task. */
export interface HistoryRow {
  model_name: string;
  provider: string;
  approach: string;
  samples: number;
  prior_samples: number;
  success_rate: number;
  mean_quality: number | null;
  quality_lower_bound: number;
  mean_duration_ms: number;
  mean_cost_usd: number;
  rank: number;
}

export interface PlannedStrategy extends Strategy {
  /** The planner's score (after the same-model penalty): strategies are tried in descending order. */
  score: number;
  /** Expected quality 0–1, from the catalog prior and the history. */
  expectedQuality: number;
}

export interface PlanOptions {
  maxStrategies: number;
  /** Providers with credentials; models of other providers are not candidates. */
  providers: ReadonlySet<string>;
}

/** The quality a task needs, and how the criteria weigh, by complexity. */
const NEEDS: Record<
  Complexity,
  { quality: number; weights: Record<"quality" | "strength" | "speed" | "cost", number> }
> = {
  low: { quality: 0.55, weights: { quality: 0.35, strength: 0.15, speed: 0.25, cost: 0.25 } },
  medium: { quality: 0.7, weights: { quality: 0.45, strength: 0.2, speed: 0.15, cost: 0.2 } },
  high: { quality: 0.85, weights: { quality: 0.6, strength: 0.2, speed: 0.05, cost: 0.15 } },
};

const SPEED: Record<SpeedClass, number> = { fast: 1, medium: 0.7, slow: 0.35 };

/** Pseudo-samples of the catalog prior when blending it with history. */
const PRIOR_WEIGHT = 10;
/** How much a strategy loses for each better-ranked strategy already planned with the same model. */
const SAME_MODEL_PENALTY = 0.1;

/** Progressive planning pays off on large tasks and costs calls and time on small ones. */
function approachQualityBonus(approach: Approach, complexity: Complexity): number {
  if (approach === "simple") return 0;
  return { low: -0.05, medium: 0, high: 0.05 }[complexity];
}

/** Price of a typical call (output-heavy), for comparing models. */
function blendedPrice(model: CatalogModel): number {
  return model.inputPricePerMTok + 4 * model.outputPricePerMTok;
}

export function expectedQuality(
  model: CatalogModel,
  approach: Approach,
  profile: TaskProfile,
  history: HistoryRow | undefined,
): number {
  const prior = Math.min(
    1,
    Math.max(0, model.qualityPrior / 10 + approachQualityBonus(approach, profile.complexity)),
  );
  if (!history) return prior;
  const evidence = history.samples + history.prior_samples;
  const weight = evidence / (evidence + PRIOR_WEIGHT);
  return weight * (history.quality_lower_bound / 100) + (1 - weight) * prior;
}

export function planStrategies(
  profile: TaskProfile,
  catalog: CatalogModel[],
  history: HistoryRow[],
  options: PlanOptions,
): PlannedStrategy[] {
  const models = catalog.filter((model) => options.providers.has(model.provider));
  if (models.length === 0) return [];
  const prices = models.map(blendedPrice);
  const [cheapest, dearest] = [Math.min(...prices), Math.max(...prices)];
  const { quality: need, weights } = NEEDS[profile.complexity];

  const candidates = models.flatMap((model) =>
    APPROACHES.map((approach) => {
      const row = history.find((h) => h.model_name === model.id && h.approach === approach);
      const quality = expectedQuality(model, approach, profile, row);
      // Falling short of what the task needs counts double; exceeding it counts as is.
      const qualityFit = quality >= need ? quality : quality - (need - quality);
      const strength = model.strengths[profile.taskType] ?? 0.5;
      const speed = SPEED[model.speed] * (approach === "progressive" ? 0.8 : 1);
      const cost = dearest === cheapest
        ? 1
        : 1 - Math.log(blendedPrice(model) / cheapest) / Math.log(dearest / cheapest);
      const score = weights.quality * qualityFit + weights.strength * strength + weights.speed * speed +
        weights.cost * cost;
      return { model: model.id, provider: model.provider, approach, score, expectedQuality: quality };
    })
  );

  // Greedy: take the best, then penalise the remaining strategies of the same model.
  const planned: PlannedStrategy[] = [];
  const remaining = [...candidates];
  while (planned.length < options.maxStrategies && remaining.length > 0) {
    const adjusted = remaining.map((candidate) => ({
      candidate,
      score: candidate.score -
        SAME_MODEL_PENALTY * planned.filter((chosen) => chosen.model === candidate.model).length,
    }));
    adjusted.sort((a, b) => b.score - a.score || a.candidate.model.localeCompare(b.candidate.model));
    const { candidate: best, score } = adjusted[0];
    planned.push({ ...best, score: Math.round(score * 1000) / 1000 });
    remaining.splice(remaining.indexOf(best), 1);
  }
  return planned;
}
