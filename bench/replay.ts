// Replay benchmark: recorded outcomes (CSV: prompt_id,task_type,model,quality,cost_usd,latency_ms; quality
// 0–1; one row per prompt and model; optionally expected_quality, seq, prompt — bench/replay/outcomes.ts)
// streamed through the real planner with the real statistics in Postgres, on a stack of its own
// (".local/replay", ports 54381…), once per tier. Prints per tier the mean quality and total cost, also as
// ratios to "always the model with the best mean quality" and to the per-prompt oracle; per task type,
// where the choice settled against the tier's hindsight choice (its own rule on the true qualities), the
// regret, and after a drift how many prompts the switch took; ends with one JSON line per tier.
//
// When the file carries a `prompt` column, each tier is also routed offline, in this process, by a
// per-request router (a kNN vote over hashed n-gram vectors of past prompts: bench/replay/per-request.ts)
// and, as a like-for-like baseline, by the same Thompson sampling per task type without the vote; both are
// judged against the per-task-type hindsight choice (one model per task type, knowing the true means): a
// negative regret there means the router beat it. The JSON lines then carry a `perRequest` object, and
// `--offline` skips the stack and prints only those.
//
//   npm run bench:replay -- <outcomes.csv> [--seeds 42,7,99] [--settings evidence_decay=0.998,…] [--offline]
//   npm run bench:replay -- bench/data/realistic-outcomes.csv

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
import { regretOf, taskTypeRegretOf } from "./replay/hindsight.ts";
import { perRequestFigures, perRequestLine, printPerRequest } from "./replay/per-request-figures.ts";
import { lateChoices, registerModels, replayCatalog, replayTier, tierFigures } from "./replay/replay.ts";
import { withBenchStack } from "./support/stack.ts";

const FLAGS = ["--offline"];
const [file] = Deno.args.filter((arg, i) =>
  !arg.startsWith("--") && !(Deno.args[i - 1]?.startsWith("--") && !FLAGS.includes(Deno.args[i - 1]))
);
const offline = Deno.args.includes("--offline");

// --seeds 42,7,99: replay once per seed (the arrival order of unordered files, and the planner's draws)
// and report the mean: one run of a learning router is luck as much as policy
const seedsAt = Deno.args.indexOf("--seeds");
const seeds = (seedsAt >= 0 ? Deno.args[seedsAt + 1] : "42").split(",").map(Number);
// --settings name=value,…: project_settings to learn with (e.g. evidence_decay=0.998), to compare them
const settingsAt = Deno.args.indexOf("--settings");
const settings = settingsAt >= 0
  ? Object.fromEntries(
    Deno.args[settingsAt + 1].split(",").map((pair) => pair.split("=")).map(([k, v]) => [k, Number(v)]),
  )
  : {};
if (!file || !seeds.every(Number.isInteger)) {
  console.error(
    "usage: npm run bench:replay -- <outcomes.csv> [--seeds 42,7,…] [--settings name=value,…] [--offline]",
  );
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
  `${file}: ${outcomes.prompts.length} prompts, models ${outcomes.models.join(", ")}; seeds ${seeds}\n` +
    `  always ${best} (best mean quality): quality ${bestAchieved.meanQuality.toFixed(3)}, ` +
    `cost ${usd(bestAchieved.totalCostUsd)}\n` +
    `  per-prompt oracle:  quality ${oracle.meanQuality.toFixed(3)}, cost ${usd(oracle.totalCostUsd)}\n` +
    `  best per task type: ${[...bestByTaskType].map(([type, model]) => `${type} ${model}`).join(", ")}`,
);

const withPrompts = outcomes.prompts.some((prompt) => prompt.text);
if (offline && !withPrompts) {
  console.error(`${file}: --offline evaluates the per-request router, which needs a prompt column`);
  Deno.exit(2);
}
const perRequest = withPrompts
  ? seeds.flatMap((seed) => TIERS.map((tier) => perRequestFigures(outcomes, tier, seed)))
  : [];
perRequest.forEach(printPerRequest);

const figures = offline ? [] : await withBenchStack("replay", 54381, {}, async (env) => {
  const sql = postgres(env.SUPABASE_DB_URL, { max: 1, onnotice: () => {} });
  const store = createPostgresStore(env.SUPABASE_DB_URL, { requests: 2, records: 1 });
  if (Object.keys(settings).length) await sql`update public.project_settings set ${sql(settings)}`;
  try {
    const results = [];
    for (const seed of seeds) {
      for (const tier of TIERS) {
        // Each tier learns on its own, once per seed: its own copy of the models, so no run inherits
        // another's statistics.
        const namespace = `replay-${tier}-${seed}`;
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
        const hindsight = regretOf(outcomes, tier, replay.picks);
        const drift = hindsight.perTaskType.find((entry) => entry.switchedAfter !== undefined);
        const vsTaskType = taskTypeRegretOf(outcomes, tier, replay.picks);
        const result = {
          seed,
          ...tierFigures(outcomes, replay, bestAchieved, oracle),
          regret: Math.round(hindsight.regret * 10_000) / 10_000,
          costVsHindsight: Math.round(hindsight.costVsHindsight * 10_000) / 10_000,
          ...(drift ? { switchedAfter: drift.switchedAfter } : {}),
          regretVsTaskTypeHindsight: Math.round(vsTaskType.regret * 10_000) / 10_000,
        };
        results.push(result);
        console.log(
          `\n${tier} (seed ${seed}): quality ${result.meanQuality.toFixed(3)} (${
            result.qualityVsBest.toFixed(3)
          } of best, ` +
            `${result.qualityVsOracle.toFixed(3)} of oracle), cost ${usd(result.totalCost)} ` +
            `(${result.costVsBest.toFixed(3)} of best, ${result.costVsOracle.toFixed(3)} of oracle), ` +
            `explored ${(result.exploredShare * 100).toFixed(1)}% of prompts; ` +
            `${(outcomes.prompts.length / seconds).toFixed(0)} prompts/s`,
        );
        const late = lateChoices(replay.picks);
        for (const entry of hindsight.perTaskType) {
          const settled = [...late.get(entry.taskType)!].sort((a, b) => b[1] - a[1]).slice(0, 3)
            .map(([model, share]) => `${model} ${(share * 100).toFixed(0)}%`).join(", ");
          const switched = entry.switchedAfter === undefined
            ? ""
            : `; after the drift, switched in ${entry.switchedAfter ?? "never"} prompts`;
          console.log(
            `  ${entry.taskType.padEnd(10)} later half: ${settled} (hindsight ${entry.hindsight}); quality ` +
              `${entry.quality.toFixed(3)} vs ${entry.hindsightQuality.toFixed(3)}, regret ${
                entry.regret.toFixed(4)
              }, ` +
              `cost ${(entry.costUsd / entry.hindsightCostUsd).toFixed(3)} × hindsight's${switched}`,
          );
        }
        console.log(
          `  in all: regret ${result.regret.toFixed(4)}, cost ${
            result.costVsHindsight.toFixed(3)
          } × hindsight's`,
        );
      }
    }
    return results;
  } finally {
    await store.close();
    await sql.end();
  }
});

// One JSON line per tier: the mean over the seeds (and each seed's figure where there are several).
console.log("");
for (const tier of TIERS) {
  const runs = figures.filter((result) => result.tier === tier);
  const mean = (value: (result: (typeof runs)[number]) => number) =>
    Math.round(runs.reduce((sum, result) => sum + value(result), 0) / runs.length * 10_000) / 10_000;
  const routed = perRequest.filter((entry) => entry.tier === tier);
  const product = runs.length
    ? { productRegretVsTaskTypeHindsight: mean((r) => r.regretVsTaskTypeHindsight) }
    : {};
  const extra = routed.length ? { perRequest: { ...perRequestLine(routed), ...product } } : {};
  if (!runs.length) {
    console.log(JSON.stringify({ tier, ...extra }));
    continue;
  }
  console.log(JSON.stringify({
    tier,
    meanQuality: mean((r) => r.meanQuality),
    totalCost: mean((r) => r.totalCost),
    qualityVsBest: mean((r) => r.qualityVsBest),
    costVsBest: mean((r) => r.costVsBest),
    regret: mean((r) => r.regret),
    costVsHindsight: mean((r) => r.costVsHindsight),
    ...(runs.length > 1 ? { seeds, regrets: runs.map((r) => r.regret) } : {}),
    ...(runs.some((r) => "switchedAfter" in r)
      ? { switchedAfter: runs.map((r) => r.switchedAfter ?? null) }
      : {}),
    ...extra,
  }));
}
