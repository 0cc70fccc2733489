// A per-request router, evaluated offline beside the per-task-type policy (bench:replay, when the replay's
// file carries a `prompt` column); nothing here is on the product's request path. Online over the
// replay's own sequence: at each prompt only the prompts before it are known, each with the outcome of
// the one model it was routed to.
//
// Each model's quality on a prompt is a Beta posterior. Per task type (the `task-type` router: Thompson
// sampling as the product does it, without its pooling): every outcome of the model on the task type so
// far, from a flat Beta(1, 1). Per request (the `per-request` router): the task type's posterior, its
// weight capped at `concentration` attempts (how far a topic may pull a model from its task type's mean),
// plus a k-nearest-neighbour vote — the `k` past prompts of the task type most like this one (the cosine
// of hashed n-gram vectors weighted by the inverse document frequency over the earlier prompts of the task
// type, at least `minSimilarity`) that went to the model, each counting as one attempt with its recorded
// outcome: the vote moves the mean, and (`keepEvidence`, the default) the draw is never wider than the
// task type's alone, so a well-known model is not made doubtful by a few neighbours. With no such
// neighbours the posterior is the task type's. One draw per model, then the tier's rule on the draws (the
// plain rule: not the planner's sharper second draw for balanced). Pure.

import type { TaskType, Tier } from "../../supabase/functions/_shared/contract.ts";
import { drawQuality } from "../../supabase/functions/_shared/plan/posterior-draw.ts";
import { seededRandom } from "../../scripts/model-simulator/seeded-random.ts";
import { tierChoice } from "./hindsight.ts";
import { arrivalOrder, meanCost, type Outcomes } from "./outcomes.ts";
import {
  cosine,
  DocumentFrequencies,
  gramCounts,
  type PromptVector,
  promptVector,
} from "./prompt-vectors.ts";

export interface PerRequestOptions {
  /** Neighbours per model. */
  k: number;
  /** A past prompt less similar than this is no neighbour. */
  minSimilarity: number;
  /** The most attempts the task type's posterior counts for beside a vote. */
  concentration: number;
  /** Keep the task type's weight of evidence when a vote moves the mean (draws no wider than without it). */
  keepEvidence?: boolean;
}

/** Chosen on seeds 42, 7 and 99 of the generated sets with topic effects 0 and 0.2 (among concentrations
 * 10, 20 and 50, k 20 and 40, thresholds 0.15 and 0.2, with and without keeping the evidence; all within
 * about a point of regret of each other, keeping the evidence a little better). */
export const PER_REQUEST_DEFAULTS: PerRequestOptions = {
  k: 20,
  minSimilarity: 0.2,
  concentration: 20,
  keepEvidence: true,
};

/** A past prompt as the router remembers it: its vector, the model it went to, and how that did. */
export interface Neighbour {
  vector: PromptVector;
  model: string;
  quality: number;
}

/** Per model, its neighbours' evidence: how many (at most k) and their mean recorded quality. */
export interface Vote {
  count: number;
  quality: number;
}

/** The kNN vote: per model, the `k` past prompts most similar to `query` (cosine ≥ `minSimilarity`) that
 * went to it. */
export function neighbourVote(
  query: PromptVector,
  past: readonly Neighbour[],
  k: number,
  minSimilarity: number,
): Map<string, Vote> {
  const near = past.map((entry) => ({ entry, similarity: cosine(query, entry.vector) }))
    .filter(({ similarity }) => similarity >= minSimilarity)
    .sort((a, b) => b.similarity - a.similarity);
  const votes = new Map<string, { count: number; sum: number }>();
  for (const { entry } of near) {
    const vote = votes.get(entry.model) ?? { count: 0, sum: 0 };
    if (vote.count >= k) continue;
    vote.count++;
    vote.sum += entry.quality;
    votes.set(entry.model, vote);
  }
  return new Map([...votes].map(([model, { count, sum }]) => [model, { count, quality: sum / count }]));
}

/** A model's posterior on a prompt, as a mean and a weight in attempts: the task type's (`successes` of
 * `attempts`, from Beta(1, 1)) — capped at `concentration` attempts when there is a vote — plus the vote. */
export function posterior(
  successes: number,
  attempts: number,
  vote: Vote | undefined,
  concentration: number,
  keepEvidence = false,
): { mean: number; evidence: number } {
  const mean = (1 + successes) / (2 + attempts);
  if (!vote) return { mean, evidence: 2 + attempts };
  const prior = Math.min(2 + attempts, concentration);
  return {
    mean: (mean * prior + vote.quality * vote.count) / (prior + vote.count),
    evidence: keepEvidence ? Math.max(2 + attempts, prior + vote.count) : prior + vote.count,
  };
}

export interface RoutedChoice {
  promptId: string;
  taskType: TaskType;
  model: string;
}

/** What the router knows of a task type so far. */
interface TaskTypeMemory {
  totals: Map<string, { successes: number; attempts: number }>;
  past: Neighbour[];
  frequencies: DocumentFrequencies;
}

/** Routes every prompt once, in arrival order, with the `task-type` or the `per-request` router. */
export function routeOffline(options: {
  outcomes: Outcomes;
  tier: Tier;
  seed: number;
  router: "task-type" | "per-request";
  settings?: PerRequestOptions;
}): RoutedChoice[] {
  const { outcomes, tier, router } = options;
  const settings = options.settings ?? PER_REQUEST_DEFAULTS;
  // The same arrival order as the product's replay with this seed; the draws from a stream of their own.
  const order = arrivalOrder(outcomes.prompts, seededRandom(options.seed));
  const random = seededRandom(options.seed * 7919 + (router === "task-type" ? 1 : 2));
  const costs = new Map(outcomes.models.map((model) => [model, meanCost(outcomes, model)]));
  const memories = new Map<TaskType, TaskTypeMemory>();
  const choices: RoutedChoice[] = [];
  for (const prompt of order) {
    const memory: TaskTypeMemory = memories.get(prompt.taskType) ??
      { totals: new Map(), past: [], frequencies: new DocumentFrequencies() };
    memories.set(prompt.taskType, memory);
    const counts = router === "per-request" ? gramCounts(prompt.text ?? "") : undefined;
    // weighted by what the earlier prompts of the task type say, and kept as it was then
    const vector = counts && promptVector(counts, memory.frequencies.idf);
    if (counts) memory.frequencies.add(counts);
    const votes = vector ? neighbourVote(vector, memory.past, settings.k, settings.minSimilarity) : undefined;
    const draws = new Map<string, number>();
    for (const model of prompt.outcomes.keys()) {
      const seen = memory.totals.get(model) ?? { successes: 0, attempts: 0 };
      const belief = posterior(
        seen.successes,
        seen.attempts,
        votes?.get(model),
        settings.concentration,
        settings.keepEvidence,
      );
      draws.set(model, drawQuality(belief.mean, belief.evidence, random));
    }
    const model = tierChoice(tier, draws, costs);
    const quality = prompt.outcomes.get(model)!.quality;
    const seen = memory.totals.get(model) ?? { successes: 0, attempts: 0 };
    memory.totals.set(model, { successes: seen.successes + quality, attempts: seen.attempts + 1 });
    if (vector) memory.past.push({ vector, model, quality });
    choices.push({ promptId: prompt.id, taskType: prompt.taskType, model });
  }
  return choices;
}
