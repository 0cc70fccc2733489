// The learning loop, replayed: a small generated outcome set streamed through the real planner with the
// real statistics in the test stack's Postgres (bench/replay), as `npm run bench:replay` does on a stack
// of its own. Gaps of at least 10 points, so that the test is not a coin toss (the shipped harder set,
// bench/data/realistic-outcomes.csv, is for the benchmark). Every tier must settle on its hindsight
// choice — its own rule on the true qualities — in each task type, share evidence between a model's two
// approaches, and move on when a model gets worse half-way. The replay's models and rows are removed
// afterwards, so the global statistics of other tests stay as they were.

import assert from "node:assert/strict";
import { TIERS } from "../supabase/functions/_shared/contract.ts";
import { generateOutcomes } from "../bench/replay/generate-outcomes.ts";
import { regretOf } from "../bench/replay/hindsight.ts";
import { oraclePick, parseOutcomes } from "../bench/replay/outcomes.ts";
import { registerModels, removeReplay, replayCatalog, replayTier } from "../bench/replay/replay.ts";
import { createPostgresStore } from "../supabase/functions/_shared/store/postgres.ts";
import { run } from "./support/processes.ts";
import { database, stack } from "./support/stack.ts";

/** Two task types; half-way through generation, its leader `dear` loses 40 points and `mid` leads. No
 * strategy is within 10 points of a tier's threshold (0.9 × the best for balanced, 0.6 for budget). */
const SPEC = {
  models: {
    small: { costUsd: 0.0005, latencyMs: 500 },
    cheap: { costUsd: 0.001, latencyMs: 800 },
    mid: { costUsd: 0.005, latencyMs: 2_000 },
    dear: { costUsd: 0.02, latencyMs: 5_000 },
  },
  quality: {
    generation: { small: 0.3, cheap: 0.5, mid: 0.7, dear: 0.9 },
    fix: { small: 0.4, cheap: 0.72, mid: 0.92, dear: 0.74 },
  },
  drift: { taskType: "generation", model: "dear", drop: 0.4 },
};

Deno.test({
  name: "replayed outcomes: every tier settles on its hindsight choice, shares evidence, follows a drift",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const outcomes = parseOutcomes(generateOutcomes({ seed: 11, promptsPerTaskType: 600, spec: SPEC }));
    const sql = database();
    const store = createPostgresStore(stack.dbUrl, { requests: 2, records: 1 });
    const namespace = `replay-test-${crypto.randomUUID().slice(0, 8)}`;
    const users = Object.fromEntries(TIERS.map((tier) => [tier, crypto.randomUUID()]));
    try {
      await registerModels(sql, outcomes, namespace);
      const catalog = await replayCatalog(store, namespace);
      for (const tier of TIERS) {
        await t.step(tier, async () => {
          const replay = await replayTier({ store, catalog, outcomes, tier, userId: users[tier], seed: 42 });
          const { perTaskType } = regretOf(outcomes, tier, replay.picks);
          // fix: its later half; generation, whose truth changes half-way: its last 100 prompts
          for (const entry of perTaskType) {
            const typed = replay.picks.filter((pick) => pick.taskType === entry.taskType);
            const late = entry.taskType === "fix" ? typed.slice(typed.length / 2) : typed.slice(-100);
            const share = late.filter((pick) => pick.model === entry.hindsight).length / late.length;
            assert.ok(
              share >= 0.8,
              `${tier}, ${entry.taskType}: ${entry.hindsight} on ${share} of its later prompts`,
            );
            if (entry.switchedAfter !== undefined) {
              assert.ok(
                entry.switchedAfter !== null && entry.switchedAfter <= 100,
                `${tier}: switched after the drift in ${entry.switchedAfter} prompts`,
              );
            }
          }
        });
      }

      await t.step("what a strategy learnt is shared with its other approach and complexities", async () => {
        const ranking = async (complexity: "medium" | "high") =>
          (await store.readRequestContext(
            users.premium,
            crypto.randomUUID(),
            {
              taskType: "fix",
              complexity,
            },
            [`${namespace}/mid`],
            false,
          )).context.ranking;
        // The replay asks at medium complexity only: at high, the strategies start from what medium knows.
        const [medium, high] = [await ranking("medium"), await ranking("high")];
        for (const row of high) {
          const known = medium.find((entry) => entry.approach === row.approach)!;
          assert.ok(known.samples > 50 && row.samples === 0);
          assert.ok(
            Math.abs(row.expected_quality - known.expected_quality) < 5 && row.expected_quality > 80,
            `${row.approach} at high: ${row.expected_quality}, at medium: ${known.expected_quality} — not a neutral 50`,
          );
        }
        const [a, b] = medium;
        assert.ok(Math.abs(a.expected_quality - b.expected_quality) < 5, "the two approaches agree");
      });
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
  const extended = parseOutcomes(
    `${header},expected_quality,seq,prompt\np2,fix,a,1,0.01,100,0.8,7,Fix the login, please\n`,
  );
  assert.equal(extended.prompts[0].outcomes.get("a")!.expectedQuality, 0.8);
  assert.equal(extended.prompts[0].seq, 7);
  assert.equal(extended.prompts[0].text, "Fix the login, please", "the prompt keeps its commas");
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
