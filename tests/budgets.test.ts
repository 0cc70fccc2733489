// Tiers, settings and budgets as apps meet them, through supabase-js against the test stack: the user's
// default tier and a request's own, the spend reserved and settled with the real cost, 402 when nothing
// fits, fifty concurrent requests against one budget, and a new month. Settings and budgets are set the
// way an operator sets them (SQL on the service side); who may change what is tested in pgTAP.

import assert from "node:assert/strict";
import { estimateOrchestration, invokeOrchestrator } from "../shared/mod.ts";
import {
  asUser,
  database,
  eventually,
  functionLog,
  POOL_OFF,
  recordedRows,
  type Sql,
  stackTest,
  succeeded,
  withProjectSettings,
} from "./support/stack.ts";

const NEW_APP = "Build a todo app with authentication";

async function setBudget(
  sql: Sql,
  userId: string,
  monthlyBudgetUsd: number | null,
  defaultTier = "balanced",
) {
  await sql`insert into public.user_settings (user_id, monthly_budget_usd, default_tier)
    values (${userId}, ${monthlyBudgetUsd}, ${defaultTier})
    on conflict (user_id) do update set monthly_budget_usd = excluded.monthly_budget_usd,
      default_tier = excluded.default_tier`;
}

/** The user's ledger once no request of theirs holds a reservation any more. */
async function settledLedger(sql: Sql, userId: string) {
  return await eventually(async () => {
    const rows = await sql`select * from public.spend_ledger where user_id = ${userId} order by id`;
    return rows.every((row) => row.status === "settled") ? rows : undefined;
  }, 30_000);
}

stackTest("the user's default tier plans a request; a request's own tier overrides it", async (sql) => {
  const { userId, client } = await asUser();
  await setBudget(sql, userId, null, "budget");
  const request = { request: NEW_APP, maxStrategies: 1, explore: false };

  // Planned from the catalog's priors alone: the evidence earlier tests pooled could make the cheapest
  // good model the best one too, and the two tiers' first strategies one.
  await withProjectSettings(sql, POOL_OFF, async () => {
    const planned = succeeded(await estimateOrchestration(client, request));
    assert.equal(planned.tier, "budget");
    const byDefault = succeeded(await invokeOrchestrator(client, request));
    assert.equal(byDefault.metrics.tier, "budget");
    assert.equal(byDefault.attempts[0].strategy.model, planned.plans.budget.strategies[0].model);

    const premium = succeeded(await invokeOrchestrator(client, { ...request, tier: "premium" }));
    assert.equal(premium.metrics.tier, "premium");
    assert.equal(premium.attempts[0].strategy.model, planned.plans.premium.strategies[0].model);
    assert.notEqual(planned.plans.premium.strategies[0].model, planned.plans.budget.strategies[0].model);

    const { selection } = await recordedRows(sql, premium.requestId);
    assert.deepEqual([selection.tier, selection.explored], ["premium", false]);
  });
});

stackTest(
  "a budget: the request's spend is reserved, then settled with what its attempts really cost",
  async (sql) => {
    const { userId, client } = await asUser();
    await setBudget(sql, userId, 1);
    const data = succeeded(await invokeOrchestrator(client, { request: NEW_APP, maxStrategies: 2 }));

    const spent = data.attempts.reduce((sum, attempt) => sum + attempt.costUsd, 0);
    assert.ok(spent > 0);
    assert.equal(data.metrics.budget?.monthlyBudgetUsd, 1);
    assert.ok(Math.abs(data.metrics.budget!.spentUsd - spent) < 1e-6);
    assert.ok(Math.abs(data.metrics.budget!.remainingUsd - (1 - spent)) < 1e-6);

    const [entry] = await settledLedger(sql, userId);
    assert.equal(entry.request_id, data.requestId);
    assert.ok(Number(entry.reserved_usd) >= spent, "the reservation covered the real cost");
    assert.ok(Math.abs(Number(entry.spent_usd) - spent) < 1e-6);
    const [month] = await sql`select * from public.spend_monthly where user_id = ${userId}`;
    assert.deepEqual([Number(month.reserved_usd), Math.abs(Number(month.spent_usd) - spent) < 1e-6], [
      0,
      true,
    ]);
    const [{ recorded }] = await sql`select sum(cost_usd) as recorded from public.model_performance
    where user_id = ${userId}`;
    assert.ok(Math.abs(Number(recorded) - spent) < 1e-6, "the ledger and the attempt rows agree");
  },
);

stackTest(
  "nothing fits in what is left: 402 with the budget and the cheapest estimate, nothing written",
  async (sql) => {
    const { userId, client } = await asUser();
    await setBudget(sql, userId, 0.000001);
    const result = await invokeOrchestrator(client, { request: NEW_APP });
    assert.equal(result.data, null);
    assert.equal(result.error?.status, 402);
    assert.equal(result.error?.code, "budget_exceeded");
    assert.match(result.error!.message, /monthly budget of 0\.000001 USD has 0\.000001 USD left/);
    const details = result.error!.details as {
      budget: { remainingUsd: number };
      cheapestEstimateUsd: number;
    };
    assert.equal(details.budget.remainingUsd, 0.000001);
    assert.ok(details.cheapestEstimateUsd > details.budget.remainingUsd);

    const requestId = result.error!.requestId!;
    assert.equal(
      (await sql`select 1 from public.model_selections where request_id = ${requestId}`).length,
      0,
    );
    assert.equal((await sql`select 1 from public.spend_ledger where user_id = ${userId}`).length, 0);
  },
);

stackTest("fifty concurrent reservations against one budget: exactly what fits is granted", async (sql) => {
  const userId = crypto.randomUUID();
  await setBudget(sql, userId, 1);
  // Fifty connections reserving 0.1 USD each at the same moment.
  const pool = database(50);
  try {
    const answers = await Promise.all(Array.from({ length: 50 }, async () => {
      const [row] = await pool`select public.reserve_spend(${userId}, ${crypto.randomUUID()}, 0.1) as answer`;
      return row.answer.reserved as boolean;
    }));
    assert.equal(answers.filter(Boolean).length, 10);
  } finally {
    await pool.end();
  }
  const [month] = await sql`select * from public.spend_monthly where user_id = ${userId}`;
  assert.equal(Number(month.reserved_usd), 1);
});

stackTest("fifty concurrent requests cannot overspend the budget", async (sql) => {
  const { userId, client } = await asUser();
  const budget = 0.3;
  await setBudget(sql, userId, budget);
  // The per-user request limits would refuse most of them (429) before the budget is asked.
  const unlimited = { concurrent_requests: null, requests_per_minute: null };
  const results = await withProjectSettings(sql, unlimited, () =>
    Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        invokeOrchestrator(client, {
          request: `${NEW_APP} (concurrent ${i})`,
          tier: "premium",
          maxStrategies: 1,
          explore: false,
        })),
    ));
  const answered = results.filter((result) => result.error === null);
  const refused = results.filter((result) => result.error?.status === 402);
  assert.equal(answered.length + refused.length, 50, "every request was answered or refused for the budget");
  assert.ok(answered.length >= 1, "some fit");
  assert.ok(refused.length >= 1, "the rest were refused");

  const ledger = await settledLedger(sql, userId);
  assert.equal(ledger.length, answered.length, "only answered requests reserved and spent");
  const spent = ledger.reduce((sum, row) => sum + Number(row.spent_usd), 0);
  assert.ok(spent <= budget, `spent ${spent} of ${budget}`);
  const [{ recorded }] = await sql`select coalesce(sum(cost_usd), 0) as recorded from public.model_performance
    where user_id = ${userId}`;
  assert.ok(Math.abs(Number(recorded) - spent) < 1e-6, "every attempt's cost is in the ledger");
  const [month] = await sql`select * from public.spend_monthly where user_id = ${userId}`;
  assert.equal(Number(month.reserved_usd), 0, "no reservation outlives its request");
});

stackTest("months roll over: last month's spend does not count against this month", async (sql) => {
  const { userId, client } = await asUser();
  await setBudget(sql, userId, 0.5);
  await sql`insert into public.spend_monthly (user_id, month, spent_usd)
    values (${userId}, date_trunc('month', now() at time zone 'UTC' - interval '1 month')::date, 0.5)`;
  const data = succeeded(await invokeOrchestrator(client, { request: NEW_APP, maxStrategies: 1 }));
  const [{ thisMonth }] = await sql`select public.spend_month(now())::text as "thisMonth"`;
  assert.equal(data.metrics.budget?.month, thisMonth);
  assert.ok(data.metrics.budget!.remainingUsd > 0);

  // This month spent in full: refused (a repeat the cache answers costs nothing, and is not).
  await settledLedger(sql, userId);
  await sql`update public.spend_monthly set spent_usd = 0.5
    where user_id = ${userId} and month = public.spend_month(now())`;
  const refused = await invokeOrchestrator(client, { request: NEW_APP, maxStrategies: 1, cache: false });
  assert.equal(refused.error?.status, 402);
  const repeat = succeeded(await invokeOrchestrator(client, { request: NEW_APP, maxStrategies: 1 }));
  assert.deepEqual([repeat.metrics.cache, repeat.metrics.totalCostUsd], ["hit", 0]);
});

stackTest(
  "a slow database never lets a request past its budget: it reserves without the planning context",
  async (sql) => {
    const { userId, client } = await asUser();
    await setBudget(sql, userId, 0.000001);
    // The settings table held locked for longer than the planning context may take (1.5 s): the request
    // plans without history or budget, then waits in reserve_spend for the lock, and is refused there.
    let pending: Promise<Awaited<ReturnType<typeof invokeOrchestrator>>> | undefined;
    await sql.begin(async (tx) => {
      await tx`lock table public.user_settings in access exclusive mode`;
      pending = invokeOrchestrator(client, { request: NEW_APP, maxStrategies: 1 });
      await new Promise((resolve) => setTimeout(resolve, 2_500));
    });
    const refused = await pending!;
    assert.equal(refused.error?.status, 402, JSON.stringify(refused.error));
    assert.equal(refused.error?.code, "budget_exceeded");
    const log = await functionLog();
    assert.ok(
      log.some((entry) =>
        entry.msg === "history_unavailable" && entry.requestId === refused.error!.requestId
      ),
      "the planning context was not read in time",
    );
    assert.equal((await sql`select 1 from public.spend_ledger where user_id = ${userId}`).length, 0);
    assert.equal((await sql`select 1 from public.model_selections where user_id = ${userId}`).length, 0);
  },
);
