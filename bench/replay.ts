// Replay benchmark: recorded outcomes (CSV: prompt_id,task_type,model,quality,cost_usd,latency_ms; quality
// 0–1; one row per prompt and model) streamed through the real planner with the real statistics in
// Postgres, on a stack of its own (".local/replay", ports 54381…), once per tier. Prints per tier the mean
// quality and total cost, also as ratios to "always the model with the best mean quality" and to the
// per-prompt oracle, and where the choice settled per task type; ends with one JSON line per tier.
//
//   npm run bench:replay -- <outcomes.csv> [--seed 42]
//   npm run bench:replay -- bench/data/synthetic-outcomes.csv

import postgres from "postgres";
import { TIERS } from "../supabase/functions/_shared/contract.ts";
import { createPostgresStore } from "../supabase/functions/_shared/store/postgres.ts";
import {
  achieved,
  bestMeanModel,
  bestModelByTaskType,
  oraclePick,
  parseOutcomes,
} from "./replay/outcomes.ts";
import { lateChoices, registerModels, replayCatalog, replayTier, tierFigures } from "./replay/replay.ts";
import { withBenchStack } from "./support/stack.ts";

const [file] = Deno.args.filter((arg, i) => !arg.startsWith("--") && !Deno.args[i - 1]?.startsWith("--"));
const seedAt = Deno.args.indexOf("--seed");
const seed = seedAt >= 0 ? Number(Deno.args[seedAt + 1]) : 42;
if (!file || !Number.isInteger(seed)) {
  console.error("usage: npm run bench:replay -- <outcomes.csv> [--seed <integer>]");
  Deno.exit(2);
}

let outcomes;
try {
  outcomes = parseOutcomes(await Deno.readTextFile(file));
} catch (error) {
  console.error(`${file}: ${(error as Error).message}`);
  Deno.exit(2);
}

const best = bestMeanModel(outcomes);
const bestAchieved = achieved(outcomes, () => best);
const oracle = achieved(outcomes, oraclePick);
const bestByTaskType = bestModelByTaskType(outcomes);
const usd = (amount: number) => `$${amount.toFixed(4)}`;

console.log(
  `${file}: ${outcomes.prompts.length} prompts, models ${outcomes.models.join(", ")}; seed ${seed}\n` +
    `  always ${best} (best mean quality): quality ${bestAchieved.meanQuality.toFixed(3)}, ` +
    `cost ${usd(bestAchieved.totalCostUsd)}\n` +
    `  per-prompt oracle:  quality ${oracle.meanQuality.toFixed(3)}, cost ${usd(oracle.totalCostUsd)}\n` +
    `  best per task type: ${[...bestByTaskType].map(([type, model]) => `${type} ${model}`).join(", ")}`,
);

const figures = await withBenchStack("replay", 54381, {}, async (env) => {
  const sql = postgres(env.SUPABASE_DB_URL, { max: 1, onnotice: () => {} });
  const store = createPostgresStore(env.SUPABASE_DB_URL, 2);
  try {
    const results = [];
    for (const tier of TIERS) {
      // Each tier learns on its own: its own copy of the models, so no tier inherits another's statistics.
      const namespace = `replay-${tier}`;
      await registerModels(sql, outcomes, namespace);
      const started = performance.now();
      const replay = await replayTier({
        store,
        catalog: await replayCatalog(store, namespace),
        outcomes,
        tier,
        userId: crypto.randomUUID(),
        seed,
      });
      const seconds = (performance.now() - started) / 1000;
      const result = tierFigures(outcomes, replay, bestAchieved, oracle);
      results.push(result);
      console.log(
        `\n${tier}: quality ${result.meanQuality.toFixed(3)} (${result.qualityVsBest.toFixed(3)} of best, ` +
          `${result.qualityVsOracle.toFixed(3)} of oracle), cost ${usd(result.totalCost)} ` +
          `(${result.costVsBest.toFixed(3)} of best, ${result.costVsOracle.toFixed(3)} of oracle), ` +
          `explored ${(result.exploredShare * 100).toFixed(1)}% of prompts; ` +
          `${(outcomes.prompts.length / seconds).toFixed(0)} prompts/s`,
      );
      for (const [taskType, shares] of lateChoices(replay.picks)) {
        const settled = [...shares].sort((a, b) => b[1] - a[1])
          .map(([model, share]) => `${model} ${(share * 100).toFixed(0)}%`).join(", ");
        console.log(
          `  ${taskType.padEnd(10)} later half: ${settled}   (best: ${
            bestByTaskType.get(taskType as never)
          })`,
        );
      }
    }
    return results;
  } finally {
    await store.close();
    await sql.end();
  }
});

console.log("");
for (const result of figures) {
  const { tier, meanQuality, totalCost, qualityVsBest, costVsBest } = result;
  console.log(JSON.stringify({ tier, meanQuality, totalCost, qualityVsBest, costVsBest }));
}
