// The orchestrator as apps call it: a real supabase-js client, functions.invoke, a JWT signed with the
// stack's key, the simulated Gemini API behind the real SDK, and the rows in the real Postgres.

import assert from "node:assert/strict";
import { invokeOrchestrator } from "../shared/mod.ts";
import {
  asUser,
  injectFault,
  marker,
  recordedRows,
  serviceClient,
  stackTest,
  succeeded,
} from "./support/stack.ts";

stackTest(
  "a signed-in user gets files, a score with its breakdown, the strategy and metrics",
  async (sql) => {
    const { userId, client } = await asUser();
    const conversationId = crypto.randomUUID();
    const data = succeeded(
      await invokeOrchestrator(client, { request: "Build a todo app with authentication", conversationId }),
    );

    assert.match(data.requestId, /^[0-9a-f-]{36}$/);
    assert.ok(data.files.length >= 5, "a whole project");
    assert.ok(data.files.some((file) => file.path === "package.json"));
    assert.ok(
      data.files.every((file) => file.content.includes("Simulated output")),
      "simulated output is labelled",
    );
    assert.equal(data.profile.taskType, "generation");
    // the accounts of a new app are kept somewhere: auth implies persistence there
    assert.deepEqual(data.profile.requirements, ["auth", "persistence"]);
    assert.equal(data.qualityScore, data.quality.overall);
    const { completeness, codeQuality, functionality, performance } = data.quality;
    const weighted = 0.3 * completeness + 0.3 * codeQuality + 0.25 * functionality + 0.15 * performance;
    assert.ok(Math.abs(weighted - data.quality.overall) < 0.1, "overall is the 30/30/25/15 weighting");
    assert.equal(data.strategy.provider, "gemini");
    assert.equal(data.metrics.mode, "sequential");
    assert.equal(data.metrics.strategiesTried, data.attempts.length);
    assert.equal(data.metrics.historyUsed, true);
    for (const attempt of data.attempts) {
      assert.match(attempt.modelVersion ?? "", /-simulated$/);
      if (attempt.success) {
        assert.ok(attempt.tokens.input > 0 && attempt.tokens.output > 0 && attempt.costUsd > 0);
      }
    }

    const { selection, attempts } = await recordedRows(sql, data.requestId);
    assert.equal(selection.user_id, userId);
    assert.equal(attempts[0].metadata.conversationId, conversationId);
  },
);

stackTest("sequential mode stops at the first result that reaches the threshold", async (sql) => {
  const { client } = await asUser();
  const data = succeeded(
    await invokeOrchestrator(client, {
      request: "Build a notes app",
      qualityThreshold: 10,
      maxStrategies: 3,
    }),
  );
  assert.equal(data.attempts.length, 1);
  assert.equal(data.metrics.strategiesTried, 1);
  assert.equal(data.metrics.earlyExit, true);
  assert.ok(data.qualityScore >= 10);

  const { selection, attempts } = await recordedRows(sql, data.requestId);
  assert.equal(attempts.length, 1, "one row per attempt");
  assert.equal(selection.mode, "sequential");
  assert.equal(selection.was_optimal, true, "the planner's first choice won");
});

stackTest("sequential mode moves on until a result reaches the threshold, and returns the best", async () => {
  const { client } = await asUser();
  const data = succeeded(
    await invokeOrchestrator(client, {
      request: "Build an expense tracker",
      qualityThreshold: 100,
      maxStrategies: 3,
    }),
  );
  const firstReaching = data.attempts.findIndex((attempt) => (attempt.qualityScore ?? 0) >= 100);
  assert.equal(data.attempts.length, firstReaching === -1 ? 3 : firstReaching + 1);
  const best = Math.max(...data.attempts.map((attempt) => attempt.qualityScore ?? 0));
  assert.equal(data.qualityScore, best, "the best of the attempts is returned");
});

stackTest("a failing model falls back to the next strategy, and both attempts are recorded", async (sql) => {
  const { client } = await asUser();
  const ref = marker();
  // Three 500s in a row: the first call and both of its retries.
  await injectFault({ fault: "server", match: ref, times: 3 });
  const data = succeeded(
    await invokeOrchestrator(client, {
      request: `Build a contact list app (${ref})`,
      qualityThreshold: 10,
    }),
  );
  assert.equal(data.attempts.length, 2);
  assert.equal(data.attempts[0].success, false);
  assert.deepEqual(data.attempts[0].error?.class, "server");
  assert.equal(data.attempts[0].retries, 2, "a server error is retried before the attempt gives up");
  assert.equal(data.attempts[0].qualityScore, null);
  assert.equal(data.attempts[1].success, true);
  assert.deepEqual(data.strategy, data.attempts[1].strategy);
  assert.notEqual(
    data.attempts[0].strategy.model,
    data.attempts[1].strategy.model,
    "the fallback is another model",
  );

  const { selection, attempts } = await recordedRows(sql, data.requestId);
  assert.equal(attempts.length, 2);
  assert.equal(attempts[0].success, false);
  assert.equal(attempts[0].error_class, "server");
  assert.equal(attempts[0].quality_score, null);
  assert.equal(selection.was_optimal, false, "the planner's first choice did not win");
  assert.deepEqual(selection.alternative_models, [data.attempts[0].strategy.model]);
});

stackTest("parallel mode runs the top strategies at once and returns the best", async (sql) => {
  const { client } = await asUser();
  const ref = marker();
  // One of the three fails: the others still count.
  await injectFault({ fault: "rate_limit", match: ref, model: "gemini-3.8-flash", times: 5 });
  const data = succeeded(
    await invokeOrchestrator(client, {
      request: `Create a dashboard with charts and search (${ref})`,
      mode: "parallel",
      maxStrategies: 3,
    }),
  );
  assert.equal(data.metrics.mode, "parallel");
  assert.equal(data.attempts.length, 3);
  const successes = data.attempts.filter((attempt) => attempt.success);
  assert.ok(successes.length >= 1);
  for (const failed of data.attempts.filter((attempt) => !attempt.success)) {
    assert.equal(failed.error?.class, "rate_limit");
  }
  const best = Math.max(...successes.map((attempt) => attempt.qualityScore!));
  assert.equal(data.qualityScore, best);
  assert.ok(successes.some((a) => a.qualityScore === best && a.strategy.model === data.strategy.model));

  const { selection, attempts } = await recordedRows(sql, data.requestId);
  assert.equal(selection.mode, "parallel");
  assert.equal(attempts.length, 3);
});

stackTest("parallelExecution: true (the seed's name) means parallel mode", async () => {
  const { client } = await asUser();
  const data = succeeded(
    await invokeOrchestrator(client, { request: "Build a habit tracker", parallelExecution: true }),
  );
  assert.equal(data.metrics.mode, "parallel");
  assert.equal(data.attempts.length, 2, "parallel runs the top 2 by default");
});

stackTest("the rows written match the response", async (sql) => {
  const { userId, client } = await asUser();
  const ref = marker();
  await injectFault({ fault: "malformed", match: ref, times: 1 });
  const data = succeeded(
    await invokeOrchestrator(client, {
      request: `Build a recipe book with search (${ref})`,
      maxStrategies: 3,
    }),
  );
  const { selection, attempts } = await recordedRows(sql, data.requestId);

  assert.equal(selection.user_id, userId);
  assert.equal(selection.task_type, data.profile.taskType);
  assert.deepEqual(selection.task_profile, data.profile);
  assert.equal(selection.selected_model, data.strategy.model);
  assert.equal(selection.selected_provider, data.strategy.provider);
  assert.equal(selection.selected_approach, data.strategy.approach);
  assert.equal(Number(selection.quality_score), data.qualityScore);
  assert.equal(attempts.length, data.attempts.length);
  data.attempts.forEach((attempt, i) => {
    const row = attempts[i];
    assert.equal(row.user_id, userId);
    assert.equal(row.model_name, attempt.strategy.model);
    assert.equal(row.approach, attempt.strategy.approach);
    assert.equal(row.success, attempt.success);
    assert.equal(row.error_class, attempt.error?.class ?? null);
    assert.equal(row.quality_score === null ? null : Number(row.quality_score), attempt.qualityScore);
    assert.equal(row.duration_ms, attempt.durationMs);
    assert.equal(row.input_tokens, attempt.tokens.input);
    assert.equal(row.output_tokens, attempt.tokens.output);
    assert.equal(Number(row.cost_usd), attempt.costUsd);
    assert.equal(row.request_complexity, data.profile.complexity);
  });
  assert.equal(attempts[0].error_class, "malformed_output");
  assert.ok(attempts[0].input_tokens > 0, "a malformed answer's tokens are still counted");
  const winner = attempts.find((row) => row.success && Number(row.quality_score) === data.qualityScore)!;
  assert.equal(winner.file_count, data.files.length);
  assert.equal(Number(winner.quality_breakdown.completeness), data.quality.completeness);
});

stackTest(
  "history changes the next plan: the model recorded as best for a task type is tried first",
  async (sql) => {
    const { userId, client } = await asUser();
    const request = "Build a todo app with authentication";
    // No exploration draws: this test is about what the history makes the expected best.
    const before = succeeded(await invokeOrchestrator(client, { request, maxStrategies: 1, explore: false }));
    const firstChoice = before.attempts[0].strategy.model;

    // Recorded outcomes: for this user, another model excelled at generation and the others did poorly.
    const models = ["gemini-3.5-flash-lite", "gemini-3.8-flash", "gemini-3.1-pro-preview"];
    const best = models.find((model) => model !== firstChoice)!;
    for (const model of models) {
      for (const approach of ["simple", "progressive"]) {
        const requestId = crypto.randomUUID();
        await sql`insert into public.model_selections (user_id, request_id, task_type, task_profile, mode)
        values (${userId}, ${requestId}, 'generation', '{}', 'sequential')`;
        await sql`insert into public.model_performance (user_id, request_id, task_type, request_complexity,
          model_name, provider, approach, quality_score, success, duration_ms)
        select ${userId}, ${requestId}, 'generation', 'high', ${model}, 'gemini', ${approach},
          ${model === best ? 98 : 30}, true, 1000
        from generate_series(1, 40)`;
      }
    }
    // Without the cache, which would answer the repeat with the first result.
    const after = succeeded(
      await invokeOrchestrator(client, { request, maxStrategies: 1, explore: false, cache: false }),
    );
    assert.equal(after.attempts[0].strategy.model, best);
    assert.equal(after.profile.taskType, "generation");
    assert.equal(after.metrics.explored, false);
  },
);

stackTest(
  "identity comes from the JWT; a body userId is honoured only for secret-key callers",
  async (sql, t) => {
    await t.step("a user naming another userId is refused and nothing is written", async () => {
      const { userId, client } = await asUser();
      const other = crypto.randomUUID();
      const result = await invokeOrchestrator(client, { request: "Build a todo app", userId: other });
      assert.equal(result.error?.status, 403);
      assert.equal(result.error?.code, "user_id_not_allowed");
      const [{ count }] = await sql`select count(*)::int as count from public.model_selections
      where user_id in (${userId}, ${other})`;
      assert.equal(count, 0);
    });

    await t.step("a user naming themselves is served as themselves", async () => {
      const { userId, client } = await asUser();
      const data = succeeded(await invokeOrchestrator(client, { request: "Build a todo app", userId }));
      const { selection } = await recordedRows(sql, data.requestId);
      assert.equal(selection.user_id, userId);
    });

    await t.step("a secret-key caller acts for the userId it names", async () => {
      const userId = crypto.randomUUID();
      const data = succeeded(
        await invokeOrchestrator(serviceClient(), { request: "Build a todo app", userId }),
      );
      const { selection, attempts } = await recordedRows(sql, data.requestId);
      assert.equal(selection.user_id, userId);
      assert.ok(attempts.every((row) => row.user_id === userId));
    });

    await t.step("a secret-key caller must name the userId", async () => {
      const result = await invokeOrchestrator(serviceClient(), { request: "Build a todo app" });
      assert.equal(result.error?.status, 400);
      assert.equal(result.error?.code, "user_id_required");
    });
  },
);
