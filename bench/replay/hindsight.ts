// What each tier should have chosen, knowing the truth, and how far the replay's choices fell short of
// it. The hindsight choice is the tier's own rule applied to the models' true expected qualities on a
// prompt (the file's expected_quality; else each model's mean quality on the task type) at their mean
// cost on the task type — so where the truth changes half-way (a drift), the hindsight choice changes with
// it. Pure.
//
// Regret is the mean, over the later half of each task type's prompts, of (the hindsight choice's true
// quality − the chosen model's true quality); cost is compared on the same prompts.

import type { TaskType, Tier } from "../../supabase/functions/_shared/contract.ts";
import { DEFAULT_POLICY } from "../../supabase/functions/_shared/plan/planner.ts";
import type { Outcomes, Prompt } from "./outcomes.ts";
import type { Choice } from "./replay.ts";

/** What regret needs of a choice. */
export type Routed = Pick<Choice, "promptId" | "taskType" | "model">;

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** The tier's rule on true qualities, as the planner applies it to its estimates (plan/planner.ts). */
export function tierChoice(tier: Tier, quality: Map<string, number>, cost: Map<string, number>): string {
  const models = [...quality.keys()];
  const byQuality = (a: string, b: string) =>
    quality.get(b)! - quality.get(a)! || cost.get(a)! - cost.get(b)!;
  const byCost = (a: string, b: string) => cost.get(a)! - cost.get(b)! || byQuality(a, b);
  const best = Math.max(...quality.values());
  const eligible = tier === "premium" ? [] : models.filter((model) =>
    quality.get(model)! >=
      (tier === "balanced" ? best * (1 - DEFAULT_POLICY.tolerance) : DEFAULT_POLICY.floor)
  );
  return eligible.length ? eligible.sort(byCost)[0] : models.sort(byQuality)[0];
}

/** The truth the hindsight is judged by: per prompt and model, and mean costs per task type and model. */
export function truthOf(outcomes: Outcomes) {
  const typed = (taskType: TaskType) => outcomes.prompts.filter((prompt) => prompt.taskType === taskType);
  const meanOf = (taskType: TaskType, field: "costUsd" | "quality") =>
    new Map(outcomes.models.map((model) => [
      model,
      mean(typed(taskType).flatMap((prompt) => prompt.outcomes.get(model)?.[field] ?? [])),
    ]));
  const costs = new Map<string, Map<string, number>>();
  const means = new Map<string, Map<string, number>>();
  for (const taskType of new Set(outcomes.prompts.map((prompt) => prompt.taskType))) {
    costs.set(taskType, meanOf(taskType, "costUsd"));
    means.set(taskType, meanOf(taskType, "quality"));
  }
  return {
    quality: (prompt: Prompt, model: string) =>
      prompt.outcomes.get(model)?.expectedQuality ?? means.get(prompt.taskType)!.get(model)!,
    costs: (taskType: string) => costs.get(taskType)!,
  };
}

export interface TaskTypeRegret {
  taskType: string;
  /** Later-half prompts the figures are over. */
  prompts: number;
  quality: number;
  hindsightQuality: number;
  regret: number;
  costUsd: number;
  hindsightCostUsd: number;
  /** The hindsight choice in the later half (the last one, where it changed). */
  hindsight: string;
  /** Where the hindsight choice changed: prompts of the task type from the change until the replay
   * chose the new one on most of the next 20; null when it never did. */
  switchedAfter?: number | null;
}

/** How a tier's replay fared against its hindsight, per task type and in all. */
export function regretOf(outcomes: Outcomes, tier: Tier, choices: Routed[]) {
  const truth = truthOf(outcomes);
  const byId = new Map(outcomes.prompts.map((prompt) => [prompt.id, prompt]));
  const byTaskType = Map.groupBy(choices, (choice) => choice.taskType);
  const perTaskType: TaskTypeRegret[] = [...byTaskType].map(([taskType, typed]) => {
    const rows = typed.map((choice) => {
      const prompt = byId.get(choice.promptId)!;
      const quality = new Map(outcomes.models.map((model) => [model, truth.quality(prompt, model)]));
      const hindsight = tierChoice(tier, quality, truth.costs(taskType));
      return { choice, prompt, hindsight, quality };
    });
    const late = rows.slice(Math.floor(rows.length / 2));
    const changedAt = rows.findIndex((row) => row.hindsight !== rows[0].hindsight);
    const result: TaskTypeRegret = {
      taskType,
      prompts: late.length,
      quality: mean(late.map((row) => row.quality.get(row.choice.model)!)),
      hindsightQuality: mean(late.map((row) => row.quality.get(row.hindsight)!)),
      regret: mean(late.map((row) => row.quality.get(row.hindsight)! - row.quality.get(row.choice.model)!)),
      costUsd: late.reduce((sum, row) => sum + row.prompt.outcomes.get(row.choice.model)!.costUsd, 0),
      hindsightCostUsd: late.reduce((sum, row) => sum + row.prompt.outcomes.get(row.hindsight)!.costUsd, 0),
      hindsight: late.at(-1)!.hindsight,
    };
    if (changedAt > 0) {
      const next = rows[changedAt].hindsight;
      const settled = rows.findIndex((_, i) =>
        i >= changedAt && rows.slice(i, i + 20).filter((row) => row.choice.model === next).length > 10
      );
      result.switchedAfter = settled < 0 ? null : settled - changedAt;
    }
    return result;
  });
  const prompts = perTaskType.reduce((sum, entry) => sum + entry.prompts, 0);
  const weighted = (value: (entry: TaskTypeRegret) => number) =>
    perTaskType.reduce((sum, entry) => sum + value(entry) * entry.prompts, 0) / prompts;
  const costUsd = perTaskType.reduce((sum, entry) => sum + entry.costUsd, 0);
  const hindsightCostUsd = perTaskType.reduce((sum, entry) => sum + entry.hindsightCostUsd, 0);
  return {
    perTaskType,
    regret: weighted((entry) => entry.regret),
    costVsHindsight: costUsd / hindsightCostUsd,
  };
}

/** How choices fared against the per-task-type hindsight choice: per task type, the tier's rule on each
 * model's mean true quality over the later half of the task type's prompts (after a drift, since the
 * shipped drift is half-way) — one model for all of them, however their topics differ. Where the truth
 * does not vary between a task type's prompts this is regretOf's hindsight; where it does, a router that
 * tells prompts apart can beat it (a negative regret). */
export function taskTypeRegretOf(outcomes: Outcomes, tier: Tier, choices: Routed[]) {
  const truth = truthOf(outcomes);
  const byId = new Map(outcomes.prompts.map((prompt) => [prompt.id, prompt]));
  const perTaskType = [...Map.groupBy(choices, (choice) => choice.taskType)].map(([taskType, typed]) => {
    const late = typed.slice(Math.floor(typed.length / 2)).map((choice) => ({
      choice,
      prompt: byId.get(choice.promptId)!,
    }));
    const quality = new Map(
      outcomes.models.map((model) => [model, mean(late.map((row) => truth.quality(row.prompt, model)))]),
    );
    const hindsight = tierChoice(tier, quality, truth.costs(taskType));
    const chosen = mean(late.map((row) => truth.quality(row.prompt, row.choice.model)));
    const cost = (model: (row: (typeof late)[number]) => string) =>
      late.reduce((sum, row) => sum + row.prompt.outcomes.get(model(row))!.costUsd, 0);
    return {
      taskType,
      prompts: late.length,
      hindsight,
      quality: chosen,
      hindsightQuality: quality.get(hindsight)!,
      regret: quality.get(hindsight)! - chosen,
      costUsd: cost((row) => row.choice.model),
      hindsightCostUsd: cost(() => hindsight),
    };
  });
  const prompts = perTaskType.reduce((sum, entry) => sum + entry.prompts, 0);
  const total = (value: (entry: (typeof perTaskType)[number]) => number) =>
    perTaskType.reduce((sum, entry) => sum + value(entry), 0);
  return {
    perTaskType,
    regret: total((entry) => entry.regret * entry.prompts) / prompts,
    costVsHindsight: total((entry) => entry.costUsd) / total((entry) => entry.hindsightCostUsd),
  };
}
