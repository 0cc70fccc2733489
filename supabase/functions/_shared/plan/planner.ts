// The planner: orders the (model, approach) strategies for a request by the caller's quality tier, within
// what is left of their budget, from the posterior of each strategy's delivered quality on this task type
// — the catalog's prior pooled with the history (get_best_model_for_task, read once per request). The
// first is tried first; the rest, other models first, are the fallback chain. The tiers' rules:
//
//   premium:  the highest quality.
//   balanced: the cheapest whose quality is at least (1 - `tolerance`) = 0.9 × the best's.
//   budget:   the cheapest whose quality clears `floor` (0.6, "6 of 10"); when none does, the best.
//   preferLocal: a free local model goes first when its quality is within `tolerance` of the choice's.
//
// Learning is Thompson sampling: every request draws one quality for each strategy from its posterior
// and applies the tier's rule to the draws. A strategy with little evidence draws widely, so it is tried
// while it might be the best (or, for balanced, the cheapest good enough) and less and less once the
// evidence says it is not; a well-known one draws close to its mean. Balanced draws twice: the bar is 0.9
// × the best plain draw, and the strategy with that draw is always eligible (so whatever might be the best
// gets its chance), but a cheaper one takes the request only if a sharper draw of it (its evidence
// counting `clearSharpness` times) clears the bar — a strategy under the bar costs the request quality,
// so being possibly good enough is not enough. No share of requests is set aside for experiments, and no
// request is planned without regard to what is known. A request that may not explore (`explore: false`,
// estimates) applies the rule to the posterior means. `explored` says the draws chose another first
// strategy than the means would have. Pure: randomness comes in as a function.

import type { Random } from "../clock.ts";
import {
  type Approach,
  APPROACHES,
  type Mode,
  type Strategy,
  type TaskProfile,
  type Tier,
} from "../contract.ts";
import { type CatalogModel, priorQuality, type SpeedClass } from "./catalog.ts";
import { drawQuality } from "./posterior-draw.ts";
import { type CostEstimate, type CostHistory, neededUsd } from "./cost-model.ts";

/** One row of get_best_model_for_task (qualities on 0–100). */
export interface RankingRow {
  model_name: string;
  provider: string;
  approach: string;
  samples: number;
  prior_samples: number;
  success_rate: number | null;
  mean_quality: number | null;
  expected_quality: number;
  evidence: number;
  quality_lower_bound: number;
  mean_duration_ms: number | null;
  mean_cost_usd: number | null;
  /** The attempts whose cost a provider measured, behind mean_cost_usd. */
  cost_samples: number;
  rank: number;
}

export interface PlanPolicy {
  tier: Tier;
  preferLocal: boolean;
  /** Relative quality tolerance of balanced and preferLocal: 0.1 is "within 10% of the best". */
  tolerance: number;
  /** Budget tier: the quality (0–1) a strategy must clear. */
  floor: number;
  /** Draws come from the posterior with its evidence multiplied by this (1: plain Thompson sampling;
   * above 1, the draws explore less than the posterior says). */
  drawSharpness: number;
  /** Balanced: a strategy other than the best draw clears the bar on a draw with its evidence multiplied
   * by this as well. */
  clearSharpness: number;
}

/** How many strategies a plan holds unless the request says. */
export const DEFAULT_MAX_STRATEGIES: Record<Mode, number> = {
  sequential: 3,
  parallel: 2,
  hedged: 3,
  consensus: 3,
};

export const DEFAULT_POLICY: Omit<PlanPolicy, "tier" | "preferLocal"> = {
  tolerance: 0.1,
  floor: 0.6,
  drawSharpness: 1,
  clearSharpness: 4,
};

/** A strategy the planner may choose, with what is expected of it. */
export interface Candidate {
  model: CatalogModel;
  approach: Approach;
  /** Posterior mean of delivered quality, 0–1. */
  expectedQuality: number;
  /** The posterior's weight, in attempts (the catalog prior counts as CATALOG_WEIGHT). */
  evidence: number;
  estimate: CostEstimate;
}

export interface PlannedStrategy extends Strategy {
  expectedQuality: number;
  evidence: number;
  isLocal: boolean;
  estimate: CostEstimate;
}

export type PlanOutcome =
  | { ok: true; strategies: PlannedStrategy[]; explored: boolean }
  /** No configured provider serves a model of the catalog. */
  | { ok: false; reason: "no_models" }
  /** Candidates exist, but none fits in what is left of the budget. */
  | { ok: false; reason: "budget"; cheapestUsd: number };

/** get_best_model_for_task's catalog_weight: what the prior counts for when there is no ranking. */
const CATALOG_WEIGHT = 5;

const SPEED_ORDER: Record<SpeedClass, number> = { fast: 0, medium: 1, slow: 2 };

/**
 * The strategies a request may use: models whose provider is configured and whose context window holds
 * the request, with the ranking's expectations (the catalog prior alone when the ranking has no row,
 * e.g. when it could not be read).
 */
export function candidatesFor(
  profile: TaskProfile,
  catalog: CatalogModel[],
  ranking: RankingRow[],
  providers: ReadonlySet<string>,
  estimate: (model: CatalogModel, approach: Approach, history?: CostHistory) => CostEstimate,
): Candidate[] {
  return catalog.filter((model) => providers.has(model.provider)).flatMap((model) =>
    APPROACHES.flatMap((approach) => {
      const row = ranking.find((r) => r.model_name === model.id && r.approach === approach);
      const cost = estimate(
        model,
        approach,
        row && { meanCostUsd: row.mean_cost_usd, attempts: row.cost_samples },
      );
      if (cost.inputTokens / cost.calls + cost.outputTokens / cost.calls > model.contextWindow) return [];
      return [{
        model,
        approach,
        expectedQuality: row ? row.expected_quality / 100 : priorQuality(model, profile.taskType),
        evidence: row ? row.evidence : CATALOG_WEIGHT,
        estimate: cost,
      }];
    })
  );
}

interface Scored {
  candidate: Candidate;
  /** The quality the tier's rule compares: a draw from the posterior, or its mean. */
  quality: number;
  /** Balanced: the quality judged against the bar — a sharper draw, or the mean. */
  clears: number;
}

const cost = (s: Scored) => s.candidate.estimate.costUsd;
const room = (s: Scored) => neededUsd(s.candidate.estimate);
const byQuality = (a: Scored, b: Scored) =>
  b.quality - a.quality || cost(a) - cost(b) ||
  SPEED_ORDER[a.candidate.model.speed] - SPEED_ORDER[b.candidate.model.speed] ||
  a.candidate.model.id.localeCompare(b.candidate.model.id) ||
  a.candidate.approach.localeCompare(b.candidate.approach);
const byCost = (a: Scored, b: Scored) => cost(a) - cost(b) || byQuality(a, b);

/** The tier's order: the eligible strategies in the tier's preference, then the rest by quality. */
function tierOrder(scored: Scored[], policy: PlanPolicy): Scored[] {
  if (policy.tier === "premium") return [...scored].sort(byQuality);
  const top = scored.reduce((best, s) => byQuality(s, best) < 0 ? s : best);
  const eligible = (s: Scored) =>
    policy.tier === "balanced"
      ? s === top || s.clears >= top.quality * (1 - policy.tolerance)
      : s.quality >= policy.floor;
  return [
    ...scored.filter(eligible).sort(byCost),
    ...scored.filter((s) => !eligible(s)).sort(byQuality),
  ];
}

/** Moves the best local strategy first when its quality is close to the first choice's. */
function favourLocal(order: Scored[], tolerance: number): Scored[] {
  const local = order.find((s) => s.candidate.model.isLocal);
  if (!local || local === order[0] || local.quality < order[0].quality * (1 - tolerance)) return order;
  return [local, ...order.filter((s) => s !== local)];
}

/** Takes strategies in order, preferring a model not yet planned, while their estimates fit the money. */
function pick(order: Scored[], maxStrategies: number, remainingUsd: number | null): Scored[] {
  const picked: Scored[] = [];
  let planned = 0;
  const left = [...order];
  while (picked.length < maxStrategies && left.length > 0) {
    const fits = left.filter((s) => remainingUsd === null || planned + room(s) <= remainingUsd);
    if (fits.length === 0) break;
    const next = fits.find((s) => !picked.some((p) => p.candidate.model.id === s.candidate.model.id)) ??
      fits[0];
    picked.push(next);
    planned += cost(next);
    left.splice(left.indexOf(next), 1);
  }
  return picked;
}

export interface PlanRequest {
  candidates: Candidate[];
  policy: PlanPolicy;
  maxStrategies: number;
  /** What is left of the user's budget; null without a budget. */
  remainingUsd: number | null;
  /** The source of the posterior draws; null: plan from the means (the caller said no, or an estimate). */
  random: Random | null;
}

/** The tier's order of the strategies, given the quality each is judged by. */
function ordered(scored: Scored[], policy: PlanPolicy): Scored[] {
  const order = tierOrder(scored, policy);
  return policy.preferLocal ? favourLocal(order, policy.tolerance) : order;
}

/** The candidates in the tier's order of their posterior means (where a model is picked, not planned). */
export function orderByMeans(candidates: Candidate[], policy: PlanPolicy): Candidate[] {
  return tierOrder(candidates.map(atMean), policy).map((scored) => scored.candidate);
}

/** A strategy judged by its posterior mean. */
const atMean = (candidate: Candidate): Scored => ({
  candidate,
  quality: candidate.expectedQuality,
  clears: candidate.expectedQuality,
});

/** A strategy judged by draws from its posterior (the second, sharper one only where balanced needs it). */
function drawn(candidate: Candidate, policy: PlanPolicy, random: Random): Scored {
  const evidence = candidate.evidence * policy.drawSharpness;
  const quality = drawQuality(candidate.expectedQuality, evidence, random);
  return {
    candidate,
    quality,
    clears: policy.tier === "balanced"
      ? drawQuality(candidate.expectedQuality, evidence * policy.clearSharpness, random)
      : quality,
  };
}

export function planStrategies(request: PlanRequest): PlanOutcome {
  const { candidates, policy, remainingUsd, random } = request;
  if (candidates.length === 0) return { ok: false, reason: "no_models" };
  const byMeans = ordered(candidates.map(atMean), policy);
  const order = random === null
    ? byMeans
    : ordered(candidates.map((candidate) => drawn(candidate, policy, random)), policy);
  const picked = pick(order, request.maxStrategies, remainingUsd);
  if (picked.length === 0) {
    return {
      ok: false,
      reason: "budget",
      cheapestUsd: Math.min(...candidates.map((c) => neededUsd(c.estimate))),
    };
  }
  const meansFirst = pick(byMeans, 1, remainingUsd)[0]?.candidate;
  return {
    ok: true,
    explored: picked[0].candidate !== meansFirst,
    strategies: picked.map(({ candidate }) => ({
      model: candidate.model.id,
      provider: candidate.model.provider,
      approach: candidate.approach,
      expectedQuality: Math.round(candidate.expectedQuality * 1000) / 1000,
      evidence: candidate.evidence,
      isLocal: candidate.model.isLocal,
      estimate: candidate.estimate,
    })),
  };
}
