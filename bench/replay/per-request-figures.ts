// bench:replay's figures for the per-request router (bench/replay/per-request.ts) and its per-task-type
// baseline, both routed offline over the replay's sequence: per task type, the realised true quality and
// cost over the later half against the per-task-type hindsight choice, and the regret against it (negative:
// the router beat it) and against the per-prompt hindsight (the tier's rule on each prompt's own truth).

import type { Tier } from "../../supabase/functions/_shared/contract.ts";
import { regretOf, taskTypeRegretOf } from "./hindsight.ts";
import type { Outcomes } from "./outcomes.ts";
import { routeOffline } from "./per-request.ts";

const round = (value: number) => Math.round(value * 10_000) / 10_000;

function judged(
  outcomes: Outcomes,
  tier: Tier,
  seed: number,
  router: "task-type" | "per-request",
) {
  const started = performance.now();
  const choices = routeOffline({ outcomes, tier, seed, router });
  const byId = new Map(outcomes.prompts.map((prompt) => [prompt.id, prompt]));
  const vsTaskType = taskTypeRegretOf(outcomes, tier, choices);
  return {
    meanQuality: round(
      choices.reduce(
        (sum, choice) => sum + byId.get(choice.promptId)!.outcomes.get(choice.model)!.quality,
        0,
      ) /
        choices.length,
    ),
    regret: round(vsTaskType.regret),
    costVsHindsight: round(vsTaskType.costVsHindsight),
    regretVsPrompt: round(regretOf(outcomes, tier, choices).regret),
    perTaskType: vsTaskType.perTaskType,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Both routers for one tier and seed. */
export function perRequestFigures(
  outcomes: Outcomes,
  tier: Tier,
  seed: number,
) {
  return {
    tier,
    seed,
    taskType: judged(outcomes, tier, seed, "task-type"),
    perRequest: judged(outcomes, tier, seed, "per-request"),
  };
}

export function printPerRequest(
  entry: ReturnType<typeof perRequestFigures>,
): void {
  const { tier, seed, taskType, perRequest } = entry;
  console.log(
    `\n${tier} (seed ${seed}), routed offline — per request (kNN over prompts, ${
      perRequest.seconds.toFixed(1)
    } s): regret ${perRequest.regret.toFixed(4)} vs the per-task-type hindsight, ${
      perRequest.regretVsPrompt.toFixed(4)
    } vs the per-prompt one, cost ${perRequest.costVsHindsight.toFixed(3)} × hindsight's; per task type ` +
      `(the same sampling without the vote): regret ${taskType.regret.toFixed(4)}, ${
        taskType.regretVsPrompt.toFixed(4)
      }, cost ${taskType.costVsHindsight.toFixed(3)} ×`,
  );
  for (const entry of perRequest.perTaskType) {
    const baseline = taskType.perTaskType.find((other) => other.taskType === entry.taskType)!;
    console.log(
      `  ${entry.taskType.padEnd(10)} later half: per request quality ${entry.quality.toFixed(3)}, cost ${
        (entry.costUsd / entry.hindsightCostUsd).toFixed(3)
      } ×, regret ${entry.regret.toFixed(4)}; per task type ${baseline.quality.toFixed(3)}, ${
        (baseline.costUsd / baseline.hindsightCostUsd).toFixed(3)
      } ×, ${baseline.regret.toFixed(4)}; hindsight ${entry.hindsight} ${entry.hindsightQuality.toFixed(3)}`,
    );
  }
}

/** The `perRequest` object of a tier's JSON line: the mean over the seeds. */
export function perRequestLine(entries: ReturnType<typeof perRequestFigures>[]) {
  const mean = (value: (entry: (typeof entries)[number]) => number) =>
    round(entries.reduce((sum, entry) => sum + value(entry), 0) / entries.length);
  return {
    regretVsTaskTypeHindsight: mean((e) => e.perRequest.regret),
    regretVsPromptHindsight: mean((e) => e.perRequest.regretVsPrompt),
    meanQuality: mean((e) => e.perRequest.meanQuality),
    costVsTaskTypeHindsight: mean((e) => e.perRequest.costVsHindsight),
    ...(entries.length > 1 ? { regrets: entries.map((e) => e.perRequest.regret) } : {}),
    taskTypeRouter: {
      regretVsTaskTypeHindsight: mean((e) => e.taskType.regret),
      regretVsPromptHindsight: mean((e) => e.taskType.regretVsPrompt),
      meanQuality: mean((e) => e.taskType.meanQuality),
      costVsTaskTypeHindsight: mean((e) => e.taskType.costVsHindsight),
    },
  };
}
