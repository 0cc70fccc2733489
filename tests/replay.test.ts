// The learning loop, replayed: the shipped synthetic outcomes streamed through the real planner with the
// real statistics in the test stack's Postgres (bench/replay), as `npm run bench:replay` does on a stack
// of its own. Learning must settle on the clearly better model per task type, beat always using the
// best-on-average model, and explore only a bounded share of requests. The replay's models and rows are
// removed afterwards, so the global statistics of other tests stay as they were.

import assert from "node:assert/strict";
import {
  achieved,
  bestMeanModel,
  bestModelByTaskType,
  oraclePick,
  type Outcomes,
  parseOutcomes,
} from "../bench/replay/outcomes.ts";
import {
  lateChoices,
  registerModels,
  removeReplay,
  replayCatalog,
  replayTier,
  tierFigures,
} from "../bench/replay/replay.ts";
import { createPostgresStore } from "../supabase/functions/_shared/store/postgres.ts";
import { ROOT, run } from "./support/processes.ts";
import { database, stack } from "./support/stack.ts";

const SYNTHETIC = `${ROOT}/bench/data/synthetic-outcomes.csv`;

/** Task types whose best model beats every other by at least 0.05 of mean quality. */
function clearlyBest(outcomes: Outcomes): Map<string, string> {
  const meanOf = (taskType: string, model: string) => {
    const values = outcomes.prompts.filter((prompt) => prompt.taskType === taskType)
      .map((prompt) => prompt.outcomes.get(model)!.quality);
    return values.reduce((sum, value) => sum + value, 0) / values.length;
  };
  return new Map(
    [...bestModelByTaskType(outcomes)].filter(([taskType, best]) =>
      outcomes.models.every((model) =>
        model === best || meanOf(taskType, best) - meanOf(taskType, model) >= 0.05
      )
    ),
  );
}

Deno.test({
  name: "replayed outcomes: learning settles on the better model per task type, exploring a bounded share",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const outcomes = parseOutcomes(await Deno.readTextFile(SYNTHETIC));
    const sql = database();
    const store = createPostgresStore(stack.dbUrl, 2);
    const namespace = `replay-test-${crypto.randomUUID().slice(0, 8)}`;
    const users = { premium: crypto.randomUUID(), budget: crypto.randomUUID() };
    try {
      await registerModels(sql, outcomes, namespace);
      const catalog = await replayCatalog(store, namespace);
      const best = achieved(outcomes, () => bestMeanModel(outcomes));
      const oracle = achieved(outcomes, oraclePick);

      const premium = await replayTier({
        store,
        catalog,
        outcomes,
        tier: "premium",
        userId: users.premium,
        seed: 42,
      });
      const settled = lateChoices(premium.picks);
      const targets = clearlyBest(outcomes);
      assert.deepEqual([...targets.keys()].sort(), ["fix", "generation"], "the file has two clear cases");
      for (const [taskType, model] of targets) {
        const share = settled.get(taskType)!.get(model) ?? 0;
        assert.ok(share >= 0.8, `${taskType}: ${model} chosen for ${share} of the later half`);
      }
      const figures = tierFigures(outcomes, premium, best, oracle);
      assert.ok(figures.qualityVsBest > 1, `premium beats always-the-best-model: ${figures.qualityVsBest}`);
      assert.ok(figures.qualityVsOracle <= 1);
      assert.ok(
        figures.exploredShare > 0 && figures.exploredShare <= 0.2,
        `explored ${figures.exploredShare}`,
      );

      // What the planner learnt is in Postgres: the user's ranking for generation leads with the model.
      const [context] = await store.readPlanningContexts(users.premium, ["generation"]);
      const ours = context.ranking.filter((row) => row.model_name.startsWith(`${namespace}/`));
      assert.equal(ours[0].model_name, `${namespace}/${targets.get("generation")}`);
      assert.ok(ours[0].samples >= 50);

      // Budget learns too, toward the cheapest model that clears its floor: far cheaper than premium.
      const budget = await replayTier({
        store,
        catalog,
        outcomes,
        tier: "budget",
        userId: users.budget,
        seed: 42,
      });
      const budgetFigures = tierFigures(outcomes, budget, best, oracle);
      assert.ok(budgetFigures.totalCost < figures.totalCost / 3, JSON.stringify(budgetFigures));
      assert.ok(budgetFigures.meanQuality >= 0.6, "above the floor on average");
    } finally {
      await removeReplay(sql, namespace, Object.values(users));
      await store.close();
      await sql.end();
    }
  },
});

Deno.test("replay outcomes: a malformed file is refused line by line", () => {
  const header = "prompt_id,task_type,model,quality,cost_usd,latency_ms";
  assert.throws(() => parseOutcomes("prompt,model\n"), /header prompt_id,task_type,model/);
  assert.throws(() => parseOutcomes(`${header}\n`), /only its header/);
  assert.throws(
    () =>
      parseOutcomes(
        [
          header,
          "p1,generation,a,0.8,0.01,100",
          "p1,generation,a,0.7,0.01,100",
          "p2,poetry,a,0.8,0.01,100",
          "p3,fix,a,1.5,-1,100",
          "p4,fix,a,0.5",
          "p1,fix,b,0.5,0.01,100",
        ].join("\n"),
      ),
    (error: Error) => {
      for (
        const expected of [
          "5 bad line(s)",
          "line 3: a second row for prompt p1 and model a",
          'line 4: task_type "poetry"',
          'line 5: quality "1.5" is not in 0–1; cost_usd "-1"',
          "line 6: 4 columns",
          "line 7: prompt p1 was generation before, now fix",
        ]
      ) {
        assert.ok(error.message.includes(expected), `${expected} in ${error.message}`);
      }
      return true;
    },
  );
  const parsed = parseOutcomes(`${header}\r\np1,fix,b,0.5,0.01,100\r\np1,fix,a,0.9,0.02,80\r\n`);
  assert.deepEqual(parsed.models, ["a", "b"]);
  assert.equal(oraclePick(parsed.prompts[0]), "a");
});

Deno.test("npm run bench:replay refuses a missing or malformed file with a clear message", async () => {
  const missing = await run("npm", ["run", "--silent", "bench:replay"]);
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /usage: npm run bench:replay -- <outcomes.csv>/);

  const file = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    await Deno.writeTextFile(file, "prompt_id,task_type,model,quality,cost_usd,latency_ms\np1,fix,a,2,0,1\n");
    const bad = await run("npm", ["run", "--silent", "bench:replay", "--", file]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /line 2: quality "2" is not in 0–1/);
  } finally {
    await Deno.remove(file);
  }
});
