// Estimates and recommendations as apps meet them, through supabase-js against the test stack: what each
// tier would plan and what it would cost, within the user's budget, without calling a model or writing a
// row; and per task type, the ranking and each tier's first choice. The estimate is what the request
// then does when exploration is off.

import assert from "node:assert/strict";
import {
  estimateOrchestration,
  getRecommendations,
  invokeOrchestrator,
  TASK_TYPES,
  type TierPlan,
} from "../shared/mod.ts";
import {
  asUser,
  marker,
  serviceClient,
  simulatorCalls,
  type Sql,
  stackTest,
  succeeded,
} from "./support/stack.ts";

const NEW_APP = "Build a todo app with authentication";

async function rowsOf(sql: Sql, userId: string) {
  const [counts] = await sql`select
    (select count(*)::int from public.model_selections where user_id = ${userId}) as selections,
    (select count(*)::int from public.model_performance where user_id = ${userId}) as attempts,
    (select count(*)::int from public.spend_ledger where user_id = ${userId}) as ledger`;
  return counts;
}

const first = (plan: TierPlan) => plan.strategies[0];

stackTest("an estimate plans every tier without calling a model or writing a row", async (sql) => {
  const { userId, client } = await asUser();
  const ref = marker();
  const data = succeeded(
    await estimateOrchestration(client, { request: `${NEW_APP} ${ref}`, explore: false }),
  );

  assert.equal(data.profile.taskType, "generation");
  assert.equal(data.tier, "balanced", "the default tier without a setting");
  assert.equal(data.mode, "sequential");
  assert.equal(data.budget, null, "no budget set");
  assert.equal(data.intentCall, null, "no intent call: it is off");
  for (const [tier, plan] of Object.entries(data.plans)) {
    assert.ok(plan.fits, tier);
    assert.equal(plan.strategies.length, 3, `${tier}: the sequential default of three strategies`);
    assert.equal(plan.reservationUsd, null, `${tier}: nothing to reserve without a budget`);
    assert.equal(plan.expectedCostUsd, first(plan).estimatedCostUsd);
    for (const strategy of plan.strategies) {
      assert.equal(strategy.provider, "gemini", "only configured providers are planned");
      assert.ok(strategy.estimatedTokens.input > 0 && strategy.estimatedTokens.output > 0);
      assert.ok(strategy.calls >= 1);
      assert.ok(strategy.estimatedCostUsd > 0);
      assert.ok(strategy.maxCostUsd >= strategy.estimatedCostUsd, "the worst case covers the estimate");
    }
  }
  const { premium, balanced, budget } = data.plans;
  assert.ok(first(premium).expectedQuality >= first(balanced).expectedQuality, "premium: the best expected");
  assert.ok(
    first(balanced).expectedQuality >= 0.9 * first(premium).expectedQuality,
    "balanced: within 10% of the best",
  );
  assert.ok(
    first(balanced).estimatedCostUsd <= first(premium).estimatedCostUsd,
    "balanced: no dearer than premium",
  );
  assert.ok(first(budget).expectedQuality >= 60, "budget: above the floor of 6 of 10");
  assert.ok(first(budget).estimatedCostUsd <= first(balanced).estimatedCostUsd, "budget: the cheapest");

  assert.deepEqual(await simulatorCalls(ref), [], "no model was called");
  assert.deepEqual(await rowsOf(sql, userId), { selections: 0, attempts: 0, ledger: 0 });
});

stackTest("an estimate fits the plans in what is left of the budget, and reserves nothing", async (sql) => {
  const { userId, client } = await asUser();
  await sql`insert into public.user_settings (user_id, monthly_budget_usd, default_tier)
    values (${userId}, 0.05, 'premium')`;
  const data = succeeded(await estimateOrchestration(client, { request: NEW_APP, explore: false }));
  assert.equal(data.tier, "premium", "the user's default tier");
  assert.equal(data.budget?.monthlyBudgetUsd, 0.05);
  assert.equal(data.budget?.remainingUsd, 0.05);
  for (const [tier, plan] of Object.entries(data.plans)) {
    assert.ok(plan.fits, tier);
    for (const strategy of plan.strategies) {
      assert.ok(strategy.estimatedCostUsd <= 0.05, `${tier}: ${strategy.model} fits`);
    }
    assert.ok(
      plan.reservationUsd! > 0 && plan.reservationUsd! <= 0.05,
      `${tier}: reserves within the budget`,
    );
  }

  await sql`update public.user_settings set monthly_budget_usd = 0.000001 where user_id = ${userId}`;
  const broke = succeeded(await estimateOrchestration(client, { request: NEW_APP, explore: false }));
  for (const [tier, plan] of Object.entries(broke.plans)) {
    assert.equal(plan.fits, false, tier);
    assert.deepEqual(plan.strategies, []);
    assert.ok(plan.cheapestEstimateUsd! > 0.000001, `${tier}: says what the cheapest would cost`);
  }
  assert.deepEqual(await rowsOf(sql, userId), { selections: 0, attempts: 0, ledger: 0 });
  const [month] = await sql`select coalesce(sum(reserved_usd), 0)::float as reserved
    from public.spend_monthly where user_id = ${userId}`;
  assert.equal(month.reserved, 0);
});

stackTest("without exploration, a request runs what its estimate planned", async () => {
  const { client } = await asUser();
  for (const tier of ["premium", "budget"] as const) {
    const body = { request: NEW_APP, tier, explore: false, maxStrategies: 1, qualityThreshold: 0 };
    const planned = first(succeeded(await estimateOrchestration(client, body)).plans[tier]);
    const data = succeeded(await invokeOrchestrator(client, body));
    assert.equal(data.metrics.tier, tier);
    assert.equal(data.metrics.explored, false);
    assert.deepEqual(
      { model: data.strategy.model, approach: data.strategy.approach },
      { model: planned.model, approach: planned.approach },
      tier,
    );
  }
});

stackTest("an estimate limited to named models plans only those", async () => {
  const { client } = await asUser();
  const models = ["gemini-3.5-flash-lite"];
  const data = succeeded(await estimateOrchestration(client, { request: NEW_APP, models, explore: false }));
  for (const plan of Object.values(data.plans)) {
    assert.deepEqual([...new Set(plan.strategies.map((s) => s.model))], models);
  }
});

stackTest("recommendations: every task type, or one, with each tier's first choice", async () => {
  const { client } = await asUser();
  const all = succeeded(await getRecommendations(client));
  assert.deepEqual(all.recommendations.map((r) => r.taskType), [...TASK_TYPES]);
  for (const recommendation of all.recommendations) {
    const { premium, balanced, budget } = recommendation.byTier;
    assert.ok(premium && balanced && budget, recommendation.taskType);
    assert.ok(premium.expectedQuality >= balanced.expectedQuality);
    assert.ok(budget.estimatedCostUsd <= balanced.estimatedCostUsd);
    assert.ok(recommendation.ranking.length > 0 && recommendation.ranking.length <= 5);
    assert.ok(recommendation.ranking.every((row) => row.provider === "gemini"), "configured providers only");
    const qualities = recommendation.ranking.map((row) => row.expectedQuality);
    assert.ok(qualities.every((q) => q >= 0 && q <= 100));
  }

  const fix = succeeded(await getRecommendations(client, { taskType: "fix" }));
  assert.deepEqual(fix.recommendations.map((r) => r.taskType), ["fix"]);
});

stackTest("recommendations for a secret-key caller name the user; without one, a clear 400", async () => {
  const service = serviceClient();
  const missing = await getRecommendations(service, { taskType: "edit" });
  assert.equal(missing.error?.status, 400);
  assert.equal(missing.error?.code, "user_id_required");

  const named = succeeded(
    await getRecommendations(service, { taskType: "edit", userId: crypto.randomUUID() }),
  );
  assert.deepEqual(named.recommendations.map((r) => r.taskType), ["edit"]);
});
