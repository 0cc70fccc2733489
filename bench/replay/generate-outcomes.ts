// Generates an outcome set that looks like what a router meets in production, for bench:replay: eleven
// models from small open ones to a frontier one, their prices spread over 150×, a different leader per
// task type with 3–4 points between the best and the second, pass/fail outcomes (Bernoulli), about a
// thousand prompts per task type, and a drift: half-way through the fix prompts, fix's leader loses 20
// points. Each row carries the model's true expected quality at that point (`expected_quality`), so the
// replay can score its choices against the truth rather than against noisy sample means, and `seq`, the
// order the prompts arrive in. The tiers' hindsight choices stay clear of their thresholds (no model
// sits within 1.5 points of 0.9 × the best, or of the budget floor of 0.6), so the hindsight is not a
// coin toss either.
//
// With `--with-prompts` (or `--topic-effect <e>`, which implies it) each row also carries the request's
// text (`prompt`, the last column): a topic within its task type (bench/replay/prompt-topics.ts) written
// from a template with the topic's words, libraries and file names. The topic effect says how far a
// model's success depends on the topic: 0 (the default) — not at all, as the shipped set assumes, and then
// every other column is exactly what the run without prompts writes; e > 0 — on half the topics of each
// task type a favourite (another model within 15 points of the task type's leader) gains e and the leader
// loses e, so those topics have a different leader once e is over half the gap between the two.
//
//   deno run --allow-write bench/replay/generate-outcomes.ts [--seed 2026] [--prompts 1000] > out.csv
//   deno run bench/replay/generate-outcomes.ts --topic-effect 0.1 > /tmp/prompts.csv

import { seededRandom } from "../../scripts/model-simulator/seeded-random.ts";
import { numberOption } from "../support/stats.ts";
import { promptText, TOPICS } from "./prompt-topics.ts";

/** What a generated set is made of: the models' prices and latencies, their true qualities per task type,
 * and a drift (half-way through one task type's prompts, one model loses `drop`). */
export interface OutcomeSpec {
  models: Record<string, { costUsd: number; latencyMs: number }>;
  quality: Record<string, Record<string, number>>;
  drift?: { taskType: string; model: string; drop: number };
}

export interface GeneratorOptions {
  seed: number;
  promptsPerTaskType: number;
  spec?: OutcomeSpec;
  /** Write each prompt's text, with this topic effect (0: the topic does not matter). */
  prompts?: { topicEffect: number };
}

/** Price per call in USD and typical latency, small open models to frontier ones. */
const MODELS: Record<string, { costUsd: number; latencyMs: number }> = {
  "llama-3.1-8b": { costUsd: 0.0002, latencyMs: 900 },
  "qwen-2.5-7b": { costUsd: 0.00025, latencyMs: 950 },
  "mistral-small": { costUsd: 0.0006, latencyMs: 1_200 },
  "gemma-27b": { costUsd: 0.0008, latencyMs: 1_400 },
  "deepseek-v3": { costUsd: 0.0015, latencyMs: 4_000 },
  "qwen-2.5-72b": { costUsd: 0.002, latencyMs: 2_500 },
  "gpt-mini": { costUsd: 0.0025, latencyMs: 1_800 },
  "gemini-flash": { costUsd: 0.003, latencyMs: 1_600 },
  "claude-sonnet": { costUsd: 0.012, latencyMs: 5_000 },
  "gpt-large": { costUsd: 0.016, latencyMs: 6_000 },
  "frontier-max": { costUsd: 0.03, latencyMs: 9_000 },
};

/** True expected quality per task type and model (pass rate). */
const QUALITY: Record<string, Record<string, number>> = {
  // frontier-max leads generation by 3 over claude-sonnet
  generation: {
    "llama-3.1-8b": 0.3,
    "qwen-2.5-7b": 0.33,
    "mistral-small": 0.42,
    "gemma-27b": 0.5,
    "deepseek-v3": 0.7,
    "qwen-2.5-72b": 0.66,
    "gpt-mini": 0.62,
    "gemini-flash": 0.64,
    "claude-sonnet": 0.8,
    "gpt-large": 0.77,
    "frontier-max": 0.83,
  },
  // claude-sonnet leads fix by 4 over gpt-large; half-way it drops 20 points and gpt-large leads by 4
  fix: {
    "llama-3.1-8b": 0.35,
    "qwen-2.5-7b": 0.38,
    "mistral-small": 0.45,
    "gemma-27b": 0.52,
    "deepseek-v3": 0.66,
    "qwen-2.5-72b": 0.63,
    "gpt-mini": 0.56,
    "gemini-flash": 0.69,
    "claude-sonnet": 0.84,
    "gpt-large": 0.8,
    "frontier-max": 0.76,
  },
  // gemini-flash leads edit by 3 over gpt-large: a cheap model is the best there
  edit: {
    "llama-3.1-8b": 0.5,
    "qwen-2.5-7b": 0.54,
    "mistral-small": 0.64,
    "gemma-27b": 0.67,
    "deepseek-v3": 0.74,
    "qwen-2.5-72b": 0.72,
    "gpt-mini": 0.76,
    "gemini-flash": 0.87,
    "claude-sonnet": 0.82,
    "gpt-large": 0.84,
    "frontier-max": 0.81,
  },
};

/** The shipped set (bench/data/realistic-outcomes.csv). */
export const REALISTIC: OutcomeSpec = {
  models: MODELS,
  quality: QUALITY,
  drift: { taskType: "fix", model: "claude-sonnet", drop: 0.2 },
};

export function generateOutcomes(options: GeneratorOptions): string {
  const { models, quality, drift } = options.spec ?? REALISTIC;
  const random = seededRandom(options.seed);
  const taskTypes = Object.keys(quality);
  // The prompts of all task types, interleaved at random: the order they arrive in.
  const arrivals = taskTypes.flatMap((taskType) =>
    Array.from({ length: options.promptsPerTaskType }, () => taskType)
  );
  for (let i = arrivals.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [arrivals[i], arrivals[j]] = [arrivals[j], arrivals[i]];
  }
  // The prompts' texts and topics come from a stream of their own, so the outcomes' draws stay the same.
  const words = seededRandom(options.seed ^ 0x5bd1e995);
  const favourites = options.prompts ? topicFavourites(quality, words) : undefined;
  const effect = options.prompts?.topicEffect ?? 0;
  const seen = new Map<string, number>();
  const header = "prompt_id,task_type,model,quality,cost_usd,latency_ms,expected_quality,seq";
  const lines = [options.prompts ? `${header},prompt` : header];
  arrivals.forEach((taskType, seq) => {
    const index = seen.get(taskType) ?? 0;
    seen.set(taskType, index + 1);
    const drifted = taskType === drift?.taskType && index >= options.promptsPerTaskType / 2;
    const id = `${taskType}-${String(index + 1).padStart(4, "0")}`;
    const topic = favourites ? Math.floor(words() * TOPICS.length) : -1;
    const text = favourites ? `,${promptText(taskType, TOPICS[topic], words)}` : "";
    const favourite = favourites?.get(taskType)?.[topic];
    for (const [model, { costUsd, latencyMs }] of Object.entries(models)) {
      const shift = model === favourite?.model ? effect : model === favourite?.leader ? -effect : 0;
      const expected = Math.min(0.99, Math.max(0.01, quality[taskType][model] + shift)) -
        (drifted && model === drift!.model ? drift!.drop : 0);
      const passed = random() < expected ? 1 : 0;
      const cost = costUsd * (0.8 + 0.4 * random());
      const latency = latencyMs * (0.6 + 0.8 * random());
      lines.push(
        `${id},${taskType},${model},${passed},${cost.toFixed(6)},${Math.round(latency)},${
          expected.toFixed(3)
        },${seq}${text}`,
      );
    }
  });
  return `${lines.join("\n")}\n`;
}

/** Per task type, for each topic: none (the task type's leader leads there too) or, on every other
 * topic, its favourite — a model within 15 points of the leader, drawn at random — and the leader. */
function topicFavourites(quality: OutcomeSpec["quality"], random: () => number) {
  return new Map(
    Object.entries(quality).map(([taskType, byModel]) => {
      const ranked = Object.entries(byModel).sort((a, b) => b[1] - a[1]);
      const [leader, best] = ranked[0];
      const near = ranked.slice(1).filter(([, value]) => value >= best - 0.15).map(([model]) => model);
      const favourite = (topic: number) =>
        topic % 2 === 1 && near.length
          ? { model: near[Math.floor(random() * near.length)], leader }
          : undefined;
      return [taskType, TOPICS.map((_, topic) => favourite(topic))];
    }),
  );
}

if (import.meta.main) {
  const topicEffect = numberOption("topic-effect", Deno.args.includes("--with-prompts") ? 0 : NaN);
  Deno.stdout.writeSync(
    new TextEncoder().encode(
      generateOutcomes({
        seed: numberOption("seed", 2026),
        promptsPerTaskType: numberOption("prompts", 1_000),
        ...(Number.isNaN(topicEffect) ? {} : { prompts: { topicEffect } }),
      }),
    ),
  );
}
