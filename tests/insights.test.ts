// Insights on seeded data, through the function: the winning strategy per task type × complexity ×
// requirement with its margin and sample sizes, a week-over-week trend, where refinement and review paid,
// nothing below the minimum sample, and the k-user rule deciding whose rows a user's insights pool.

import assert from "node:assert/strict";
import { getInsights, type Insight, InsightsResponseSchema } from "../shared/mod.ts";
import { asUser, serviceClient, type Sql, stackTest, succeeded } from "./support/stack.ts";

interface Seeded {
  userId: string;
  model: string;
  approach?: "simple" | "refine";
  quality: number;
  count: number;
  daysAgo?: number;
  metadata?: Record<string, string | number | boolean>;
  selectedApproach?: string;
}

/** Attempts as the function records them: one request each, a fix of medium complexity requiring auth. */
async function seed(
  sql: Sql,
  { userId, model, approach = "simple", quality, count, daysAgo = 1, metadata = {}, selectedApproach }:
    Seeded,
) {
  const profile = {
    taskType: "fix",
    complexity: "medium",
    complexityScore: 0.5,
    requirements: ["auth"],
    taskScores: {},
    taskTypeConfidence: 1,
    contextFileCount: 1,
  };
  const ids = await sql`
    insert into public.model_selections (user_id, request_id, task_type, task_profile, selected_model,
      selected_provider, selected_approach, quality_score, mode, tier, created_at)
    select ${userId}, gen_random_uuid(), 'fix', ${sql.json(profile)}, ${model}, 'openai',
      ${selectedApproach ?? approach}, ${quality}, 'sequential', 'balanced',
      now() - make_interval(days => ${daysAgo}) from generate_series(1, ${count})
    returning request_id`;
  await sql`
    insert into public.model_performance (user_id, request_id, task_type, request_complexity, model_name, provider,
      approach, quality_score, success, duration_ms, cost_usd, metadata, created_at)
    select ${userId}, r.request_id, 'fix', 'medium', ${model}, 'openai', ${approach},
      ${quality} + (row_number() over () % 5) - 2, true, 1000, ${approach === "refine" ? 0.002 : 0.01},
      ${sql.json(metadata)}, now() - make_interval(days => ${daysAgo})
    from unnest(${ids.map((row) => row.request_id)}::uuid[]) as r (request_id)`;
  return ids.map((row) => row.request_id as string);
}

const ofModels = (insights: Insight[], models: string[]) =>
  insights.filter((line) =>
    "strategy" in line
      ? models.includes(line.strategy.model)
      : "model" in line
      ? models.includes(line.model)
      : false
  );

stackTest(
  "insights: winners with their margin and samples, a trend, refinement and review payoff",
  async (sql) => {
    const { userId, client } = await asUser();
    const [a, b, c] = ["a", "b", "c"].map((name) => `insight-${name}-${crypto.randomUUID().slice(0, 8)}`);
    await seed(sql, { userId, model: a, quality: 80, count: 20, daysAgo: 10 });
    await seed(sql, { userId, model: a, quality: 90, count: 20, daysAgo: 1 });
    await seed(sql, { userId, model: b, quality: 70, count: 30, daysAgo: 2 });
    await seed(sql, { userId, model: c, quality: 97, count: 5 }); // too few to claim anything
    await seed(sql, {
      userId,
      model: a,
      approach: "refine",
      quality: 88,
      count: 15,
      metadata: { liftedOverThreshold: true, improvement: 12 },
    });
    await seed(sql, {
      userId,
      model: a,
      approach: "refine",
      quality: 60,
      count: 5,
      metadata: { liftedOverThreshold: false, improvement: 0 },
    });
    const reviewed = await seed(sql, {
      userId,
      model: b,
      quality: 70,
      count: 20,
      selectedApproach: "simple",
      daysAgo: 3,
    });
    await sql`insert into public.verifications (request_id, user_id, model_name, provider, verdict)
    select request_id, ${userId}, 'reviewer', 'gemini', case when n <= 10 then 'fail' else 'pass' end
    from unnest(${reviewed}::uuid[]) with ordinality as r (request_id, n)`;
    await sql`update public.model_selections set selected_approach = 'refine'
    where request_id = any(${reviewed.slice(0, 5)}::uuid[])`;

    const response = InsightsResponseSchema.parse(succeeded(await getInsights(client, { taskType: "fix" })));
    assert.equal(response.scope, "own");
    assert.equal(response.minSamples, 20);
    const mine = ofModels(response.insights, [a, b, c]);

    const winners = mine.filter((line) => line.kind === "winner");
    assert.deepEqual(
      winners.map((line) => line.requirement).sort(),
      ["*", "auth"],
      "for any request, and for auth",
    );
    for (const line of winners) {
      assert.equal(line.strategy.model, a);
      assert.equal(line.alternative.model, b, `${c} has too few attempts to be compared`);
      assert.deepEqual([line.samples, line.alternativeSamples], [40, 50]);
      assert.ok(Math.abs(line.difference - 15) < 1.5, `${line.difference}`);
      assert.ok(
        line.interval[0] > 0 && line.interval[0] < line.difference && line.interval[1] > line.difference,
      );
      assert.equal(line.costRatio, 1);
      assert.match(line.statement, /For fix requests of medium complexity/);
      assert.match(line.statement, /40 and 50 attempts/);
    }

    const trends = mine.filter((line) => line.kind === "trend");
    assert.equal(trends.length, 2);
    for (const line of trends) {
      assert.ok(Math.abs(line.change - 10) < 1.5, `${line.change}`);
      assert.deepEqual([line.samples, line.previousSamples], [20, 20]);
    }

    const [refinement] = mine.filter((line) => line.kind === "refinement");
    assert.ok(refinement && refinement.kind === "refinement");
    assert.deepEqual([refinement.samples, refinement.liftedPct], [20, 75]);
    assert.ok(refinement.liftedLowerBoundPct > 50 && refinement.liftedLowerBoundPct < 75);

    const verification = response.insights.find((line) => line.kind === "verification");
    assert.ok(verification && verification.kind === "verification");
    assert.deepEqual([verification.samples, verification.failedPct, verification.fixedByRefinementPct], [
      20,
      50,
      50,
    ]);

    assert.ok(
      !mine.some((line) => "strategy" in line && line.strategy.model === c),
      "nothing rests on 5 attempts",
    );
  },
);

stackTest("insights pool other users' rows only where the k-user rule allows", async (sql) => {
  const { userId, client } = await asUser();
  const [mineModel, theirs] = ["own", "pooled"].map((name) =>
    `insight-${name}-${crypto.randomUUID().slice(0, 8)}`
  );
  await seed(sql, { userId, model: mineModel, quality: 70, count: 25 });
  const others = await Promise.all(Array.from({ length: 5 }, () => asUser()));
  await seed(sql, { userId: others[0].userId, model: theirs, quality: 95, count: 25 });

  const service = serviceClient();
  /** What a caller is told about the two strategies (for one named user, with `forUser`). */
  const viewOf = async (asking: typeof client, forUser?: string) => {
    const response = succeeded(await getInsights(asking, { taskType: "fix", userId: forUser }));
    return { scope: response.scope, lines: ofModels(response.insights, [mineModel, theirs]) };
  };
  const winnerOf = async (asking: typeof client, forUser?: string) =>
    (await viewOf(asking, forUser)).lines.filter((line) =>
      line.kind === "winner" && line.requirement === "*"
    );
  assert.deepEqual(await winnerOf(client), [], "one other user's rows are not pooled: nothing to compare");
  const everyone = await winnerOf(service);
  assert.equal(everyone.length, 1, "a secret key sees everyone's");
  assert.ok(everyone[0].kind === "winner" && everyone[0].strategy.model === theirs);
  // Naming a user, a secret key sees what that user sees, under the same rule: not everyone's.
  assert.deepEqual(await viewOf(service, userId), await viewOf(client));
  assert.deepEqual(await winnerOf(service, userId), []);

  // Five users behind the other strategy: now it may be pooled.
  for (const other of others.slice(1)) {
    await seed(sql, { userId: other.userId, model: theirs, quality: 95, count: 5 });
  }
  const pooled = await winnerOf(client);
  assert.equal(pooled.length, 1);
  assert.ok(pooled[0].kind === "winner" && pooled[0].strategy.model === theirs && pooled[0].samples === 45);
  const named = await viewOf(service, userId);
  assert.equal(named.scope, "own");
  assert.deepEqual(named, await viewOf(client), "a secret key naming the user sees exactly their view");
  // Another user's view is theirs alone: the strategy only this user ran is no one else's to see.
  const theirView = await viewOf(service, others[0].userId);
  assert.deepEqual(theirView, await viewOf(others[0].client));
  assert.notDeepEqual(theirView, named);
  assert.ok(!JSON.stringify(theirView).includes(mineModel), JSON.stringify(theirView));

  // A user naming another user is refused, as the errors table says.
  const refused = await getInsights(client, { userId: others[0].userId });
  assert.deepEqual([refused.data, refused.error?.status, refused.error?.code], [
    null,
    403,
    "user_id_not_allowed",
  ]);
});
