// The quality loop through the function: refinement rounds that fix what the scorer found and stop when
// a round does not help, a verifier's review (pass, fail and a round on its findings, unavailable when it
// fails, stalls or answers out of shape), the conflicts between parallel outputs, consensus mode, the
// confidence of every result, the user's defaults, and the rows and the spend each leaves.

import assert from "node:assert/strict";
import { estimateOrchestration, invokeOrchestrator } from "../shared/mod.ts";
import {
  asAuthenticated,
  asUser,
  eventually,
  functionUrl,
  injectFault,
  marker,
  POOL_OFF,
  recordedRows,
  simulatorCalls,
  type Sql,
  stack,
  stackTest,
  succeeded,
  withProjectSettings,
} from "./support/stack.ts";
import type { FaultRule } from "../scripts/model-simulator/server.ts";
import { scoreOutput } from "../supabase/functions/_shared/score/index.ts";
import {
  answerFirst,
  breakFirstAnswer,
  BROKEN_FILES,
  brokenAnswer,
  FIXED_FILES,
  fixedAnswer,
  notesRequest,
} from "./support/notes-app.ts";

/** One strategy whose output passes at once, then a review: what a verifier's faults are tried on. */
const reviewedRequest = () => ({
  request: `Build a todo app (${marker()})`,
  maxStrategies: 1,
  verify: true,
  qualityThreshold: 10,
});

const verificationRow = async (sql: Sql, requestId: string) =>
  (await sql`select * from public.verifications where request_id = ${requestId}`)[0];

stackTest("a refinement round fixes what the scorer found, and is recorded as one", async (sql) => {
  const { client } = await asUser();
  const body = notesRequest({
    mode: "sequential" as const,
    qualityThreshold: 95,
    refine: { maxRounds: 2 },
  });
  await breakFirstAnswer(body);
  const data = succeeded(await invokeOrchestrator(client, body));

  const [written, round] = data.attempts;
  assert.ok(written.qualityScore! < 60, `the broken project scores low (${written.qualityScore})`);
  const { model, provider } = written.strategy;
  assert.deepEqual(round.strategy, { model, provider, approach: "refine" }, "its own model refines it");
  assert.ok(round.success && round.qualityScore! > written.qualityScore!, "the round improved it");
  assert.equal(data.strategy.approach, "refine");
  assert.equal(data.qualityScore, Math.max(...data.attempts.map((a) => a.qualityScore ?? 0)));
  const rules = (issues: Array<{ rule: string }>) => new Set(issues.map((issue) => issue.rule));
  const broken = rules(
    scoreOutput({ files: BROKEN_FILES, profile: data.profile, request: body.request }).issues,
  );
  assert.ok(broken.has("syntax-error") && broken.has("unresolved-import"), "what the round was sent to fix");
  const fixed = rules(data.quality.issues);
  assert.ok(!fixed.has("syntax-error") && !fixed.has("unresolved-import"), [...fixed].join());
  assert.ok(data.metrics.refined);
  assert.equal(data.metrics.refineRounds, data.attempts.length - 1);
  assert.ok(data.metrics.refineRounds <= 2);
  assert.equal(data.metrics.strategiesTried, 1, "refinement rounds are no planned strategies");

  const { selection, attempts } = await recordedRows(sql, data.requestId);
  assert.equal(selection.selected_approach, "refine");
  assert.equal(selection.refine_rounds, data.metrics.refineRounds);
  assert.equal(attempts[1].approach, "refine");
  assert.equal(attempts[1].metadata.round, 1);
  assert.equal(attempts[1].metadata.fromScore, written.qualityScore);
  assert.ok(
    Math.abs(attempts[1].metadata.improvement - (round.qualityScore! - written.qualityScore!)) < 0.01,
  );
  assert.equal(attempts[1].metadata.liftedOverThreshold, round.qualityScore! >= 95);
});

stackTest("a round that does not improve, or fails, ends the refinement", async (sql, t) => {
  const cases: Array<[string, Omit<FaultRule, "match" | "model">, boolean]> = [
    ["the same broken files again", { fault: "answer", text: brokenAnswer, kind: "refine", times: 5 }, true],
    ["an answer that is no JSON", { fault: "answer", text: "I fixed it!", kind: "refine", times: 5 }, false],
  ];
  for (const [name, rule, succeeds] of cases) {
    await t.step(name, async () => {
      const { client } = await asUser();
      const body = notesRequest({
        qualityThreshold: 95,
        refine: { maxRounds: 3 },
      });
      await breakFirstAnswer(body);
      await injectFault({ ...rule, match: body.request });
      const data = succeeded(await invokeOrchestrator(client, body));
      assert.equal(data.attempts.length, 2, "one round, then no more");
      assert.equal(data.attempts[1].strategy.approach, "refine");
      assert.equal(data.attempts[1].success, succeeds);
      if (!succeeds) assert.equal(data.attempts[1].error?.class, "malformed_output");
      assert.equal(
        data.strategy.approach,
        data.attempts[0].strategy.approach,
        "the original output stays the winner",
      );
      assert.equal(data.metrics.refined, false);
      const { selection, attempts } = await recordedRows(sql, data.requestId);
      assert.equal(selection.refine_rounds, 1);
      assert.equal(attempts[1].metadata.improvement, 0);
      assert.equal(attempts[1].metadata.liftedOverThreshold, false);
    });
  }
});

stackTest(
  "a verifier reviews the winner; its verdict, issues and cost are recorded and settled with the request",
  async (sql) => {
    const { userId, client } = await asUser();
    await sql`insert into public.user_settings (user_id, monthly_budget_usd) values (${userId}, 5)`;
    const body = {
      request: `Build a todo app (${marker()})`,
      maxStrategies: 1,
      verify: true,
      qualityThreshold: 10,
    };
    const data = succeeded(await invokeOrchestrator(client, body));

    const verification = data.verification!;
    assert.ok(verification, "a verification");
    assert.notEqual(verification.model, data.strategy.model, "another model reviews");
    assert.ok(["pass", "fail", "uncertain"].includes(verification.verdict), verification.verdict);
    assert.ok(verification.summary.length > 0);
    assert.ok(verification.costUsd > 0);
    const spent = data.attempts.reduce((sum, attempt) => sum + attempt.costUsd, 0) + verification.costUsd;
    assert.ok(Math.abs(data.metrics.totalCostUsd - spent) < 1e-6, "the total includes the review");

    const row = await eventually(() => verificationRow(sql, data.requestId));
    assert.deepEqual(
      [row.user_id, row.model_name, row.verdict, row.summary, Number(row.cost_usd)],
      [userId, verification.model, verification.verdict, verification.summary, verification.costUsd],
    );
    assert.deepEqual(row.issues, verification.issues);
    assert.ok(row.input_tokens > 0 && row.output_tokens > 0);
    const ledger = await eventually(async () => {
      const [entry] = await sql`select * from public.spend_ledger where request_id = ${data.requestId}`;
      return entry?.status === "settled" ? entry : undefined;
    });
    assert.ok(Math.abs(Number(ledger.spent_usd) - spent) < 1e-6, "the verifier's cost is settled too");
    assert.ok(Number(ledger.reserved_usd) >= spent, "and was reserved");
  },
);

stackTest(
  "a passing verdict sends nothing back: no round, the review's full part of the confidence, and its rows",
  (sql) =>
    // Planned from the catalog's priors alone (a simple strategy): its one answer is the fixed app, whole.
    withProjectSettings(sql, POOL_OFF, async () => {
      const { userId, client } = await asUser();
      // As the failing verdict's test below asks: the scorer alone sends nothing back, a round is left,
      // and only the verdict could spend it.
      const body = notesRequest({ qualityThreshold: 1, refine: { maxRounds: 1 }, verify: true });
      await answerFirst(body, fixedAnswer);
      const data = succeeded(await invokeOrchestrator(client, body));
      assert.deepEqual(data.files, FIXED_FILES, "the fixed app is what was reviewed");

      // The simulator's reviewer passes files with no errors and a score of at least 70.
      const verification = data.verification!;
      assert.equal(verification.verdict, "pass");
      assert.notEqual(verification.model, data.strategy.model, "another model reviews");
      assert.ok(
        verification.issues.length > 0 && verification.issues.every((issue) => issue.severity === "warning"),
        `a pass with warnings only: ${JSON.stringify(verification.issues)}`,
      );
      assert.equal(verification.refinedAfter, false);
      assert.deepEqual(data.attempts.map((attempt) => attempt.strategy.approach), ["simple"], "no round");
      assert.equal(data.strategy.approach, "simple");
      assert.deepEqual([data.metrics.refineRounds, data.metrics.refined], [0, false]);
      const kinds = (await simulatorCalls(body.request)).map((call) => call.kind);
      assert.deepEqual(kinds, ["files", "verdict"], "one answer and its review: no refinement was asked for");

      // One output (margin and agreement 0.5 each) and a pass (1): 0.4 × score + 0.1 + 0.075 + 0.25.
      const { overall } = scoreOutput({ files: FIXED_FILES, profile: data.profile, request: body.request });
      assert.equal(data.qualityScore, overall);
      const score = Math.round(overall * 10) / 1000;
      assert.deepEqual(data.confidenceParts, { score, margin: 0.5, agreement: 0.5, verification: 1 });
      assert.equal(data.confidence, Math.round((0.4 * score + 0.425) * 1000) / 1000);
      assert.ok(data.confidence > 0.8, `${data.confidence}`);
      assert.equal(data.needsReview, false);

      const row = await eventually(() => verificationRow(sql, data.requestId));
      assert.deepEqual(
        [row.user_id, row.model_name, row.provider, row.verdict, row.summary, row.error],
        [userId, verification.model, verification.provider, "pass", verification.summary, null],
      );
      assert.deepEqual(row.issues, verification.issues);
      assert.equal(Number(row.cost_usd), verification.costUsd);
      assert.ok(row.input_tokens > 0 && row.output_tokens > 0);
      const { selection, attempts } = await recordedRows(sql, data.requestId);
      assert.deepEqual(
        [
          selection.selected_approach,
          selection.refine_rounds,
          Number(selection.confidence),
          selection.needs_review,
        ],
        ["simple", 0, data.confidence, false],
      );
      assert.deepEqual(attempts.map((attempt) => attempt.approach), ["simple"], "one attempt row, no round");
      assert.equal(Number(attempts[0].quality_score), overall);
    }),
);

stackTest("a failing verdict sends the output back once, with the verifier's findings", async (sql) => {
  const { client } = await asUser();
  const body = notesRequest({
    // Low enough that the scorer alone sends nothing back: only the verifier's findings do.
    qualityThreshold: 1,
    refine: { maxRounds: 1 },
    verify: true,
  });
  await breakFirstAnswer(body);
  const data = succeeded(await invokeOrchestrator(client, body));

  const verification = data.verification!;
  assert.equal(verification.verdict, "fail");
  assert.ok(
    verification.issues.some((issue) => issue.severity === "error"),
    JSON.stringify(verification.issues),
  );
  assert.equal(data.attempts.length, 2);
  assert.equal(data.attempts[1].strategy.approach, "refine");
  assert.equal(verification.refinedAfter, true);
  assert.equal(data.strategy.approach, "refine");
  assert.equal(data.confidenceParts.verification, 0.4, "a failed review, acted upon");

  const row = await eventually(() => verificationRow(sql, data.requestId));
  assert.equal(row.verdict, "fail");
  assert.ok(row.issues.length > 0);
  const { selection } = await recordedRows(sql, data.requestId);
  assert.equal(selection.refine_rounds, 1);
});

stackTest(
  "a verifier that fails, stalls or answers out of shape leaves the verdict unavailable",
  async (sql, t) => {
    const cases: Array<[string, Omit<FaultRule, "match">, RegExp]> = [
      ["a server error, every time", { fault: "server", kind: "verdict", times: 10 }, /^server: /],
      [
        "no answer within the verify timeout",
        { fault: "timeout", kind: "verdict", delayMs: 10_000 },
        /timeout/,
      ],
      ["a verdict out of shape", {
        fault: "answer",
        kind: "verdict",
        text: JSON.stringify({ verdict: "maybe", issues: [], summary: "" }),
      }, /not a verdict/],
    ];
    for (const [name, rule, reason] of cases) {
      await t.step(name, async () => {
        const { client } = await asUser();
        const body = reviewedRequest();
        await injectFault({ ...rule, match: body.request });
        const started = performance.now();
        const data = succeeded(await invokeOrchestrator(client, body));
        assert.ok(performance.now() - started < 9_000, "the request did not wait for the stalled verifier");
        assert.equal(data.verification?.verdict, "unavailable");
        assert.match(data.verification!.error!, reason);
        assert.equal(data.confidenceParts.verification, 0.25);
        const row = await eventually(() => verificationRow(sql, data.requestId));
        assert.equal(row.verdict, "unavailable");
        assert.match(row.error, reason);
      });
    }
    await t.step("a verdict with a NUL and a lone surrogate is stored all the same", async () => {
      const { client } = await asUser();
      const body = reviewedRequest();
      const text = JSON.stringify({
        verdict: "fail",
        issues: [{ file: "src/App.tsx", severity: "warning", message: "bad\u0000 \ud800 news" }],
        summary: "nul\u0000here",
      });
      await injectFault({ fault: "answer", kind: "verdict", text, match: body.request });
      const data = succeeded(await invokeOrchestrator(client, body));
      assert.equal(data.verification?.verdict, "fail");
      const row = await eventually(() => verificationRow(sql, data.requestId));
      assert.ok(row.summary.isWellFormed() && !row.summary.includes("\u0000"));
      assert.ok(!row.issues[0].message.includes("\u0000") && row.issues[0].message.isWellFormed());
    });
  },
);

/** A project that keeps its state with the given library. */
const projectWith = (library: "zustand" | "@reduxjs/toolkit") =>
  JSON.stringify({
    files: [
      {
        path: "package.json",
        content: JSON.stringify({ name: "todo", dependencies: { react: "^18.3.1", [library]: "^1" } }),
      },
      {
        path: "src/store.ts",
        content: library === "zustand"
          ? 'import { create } from "zustand";\n\nexport const useTodos = create(() => ({ todos: [] as string[] }));\n'
          : 'import { configureStore } from "@reduxjs/toolkit";\n\nexport const store = configureStore({ reducer: {} });\n',
      },
    ],
  });

stackTest("outputs that disagree are reported as conflicts, in the response and in the row", async (sql) => {
  const { client } = await asUser();
  const body = {
    request: `Build a todo app (${marker()})`,
    mode: "parallel" as const,
    maxStrategies: 2,
    explore: false,
    refine: { maxRounds: 0 },
  };
  const [a, b] = succeeded(await estimateOrchestration(client, body)).plans.balanced.strategies;
  assert.notEqual(a.model, b.model, "two models (the plan's first two)");
  for (const [strategy, library] of [[a, "zustand"], [b, "@reduxjs/toolkit"]] as const) {
    await injectFault({
      fault: "answer",
      text: projectWith(library),
      match: body.request,
      model: strategy.model,
      kind: strategy.approach === "simple" ? "files" : "batch",
    });
  }
  const data = succeeded(await invokeOrchestrator(client, body));
  const conflict = data.conflicts.find((c) => c.aspect === "stateLibrary");
  assert.ok(conflict, JSON.stringify(data.conflicts));
  assert.match(conflict.message, new RegExp(`zustand \\(${a.model}\\) vs redux \\(${b.model}\\)`));
  assert.ok(data.confidenceParts.agreement < 1, "they do not fully agree");

  const { selection } = await recordedRows(sql, data.requestId);
  assert.deepEqual(selection.conflicts, data.conflicts);
});

stackTest("consensus mode runs several strategies at once and records the mode", async (sql) => {
  const { client } = await asUser();
  const body = { request: `Build a todo app with filters (${marker()})`, mode: "consensus" as const };
  const data = succeeded(await invokeOrchestrator(client, body));
  assert.equal(data.metrics.mode, "consensus");
  assert.equal(data.metrics.strategiesTried, 3, "three strategies by default");
  assert.equal(data.metrics.earlyExit, false, "every one is heard");
  const { selection } = await recordedRows(sql, data.requestId);
  assert.equal(selection.mode, "consensus");

  const refused = await invokeOrchestrator(client, { ...body, maxStrategies: 1 });
  assert.equal(refused.error?.status, 400);
  assert.match(refused.error!.message, /consensus compares 2 to 5 outputs/);
});

stackTest("every result carries its confidence, from the parts the README names", async (sql) => {
  const { client } = await asUser();
  const data = succeeded(
    await invokeOrchestrator(client, {
      request: `Build a todo app (${marker()})`,
      mode: "parallel",
      maxStrategies: 2,
    }),
  );
  const { score, margin, agreement, verification } = data.confidenceParts;
  assert.equal(score, Math.round(data.qualityScore * 10) / 1000);
  assert.equal(verification, 0.5, "no review asked for");
  const expected = Math.round((0.4 * score + 0.2 * margin + 0.15 * agreement + 0.25 * verification) * 1000) /
    1000;
  assert.equal(data.confidence, expected);
  assert.equal(data.needsReview, data.confidence < 0.5);
  const { selection } = await recordedRows(sql, data.requestId);
  assert.deepEqual([Number(selection.confidence), selection.needs_review], [
    data.confidence,
    data.needsReview,
  ]);
});

stackTest("the user's settings make refinement and verification the default", async (sql) => {
  const { userId, client } = await asUser();
  await sql`insert into public.user_settings (user_id, refine_rounds, verify) values (${userId}, 0, true)`;
  const body = notesRequest();
  await breakFirstAnswer({ ...body, qualityThreshold: 95 });
  const data = succeeded(await invokeOrchestrator(client, { ...body, qualityThreshold: 95 }));
  assert.ok(data.verification, "verified by default");
  assert.equal(data.attempts.length, 1, "no refinement rounds by default");

  const asked = succeeded(
    await invokeOrchestrator(client, { ...body, verify: false, request: `${body.request}!` }),
  );
  assert.equal(asked.verification, null, "a request's own choice wins");
});

stackTest("an estimate's reservation holds the quality loop's worst case", async (sql) => {
  const { userId, client } = await asUser();
  await sql`insert into public.user_settings (user_id, monthly_budget_usd) values (${userId}, 50)`;
  const request = { request: "Build a todo app with authentication", maxStrategies: 1, explore: false };
  // Planned from the catalog's priors alone, whatever earlier test files pooled: a plan learned there may
  // be a progressive strategy, whose batches can outweigh three rounds.
  const [bare, looped] = await withProjectSettings(sql, POOL_OFF, async () => [
    succeeded(await estimateOrchestration(client, { ...request, refine: { maxRounds: 0 }, verify: false })),
    succeeded(await estimateOrchestration(client, { ...request, refine: { maxRounds: 3 }, verify: true })),
  ]);
  const [plain, full] = [bare.plans.balanced, looped.plans.balanced];
  assert.deepEqual(full.strategies, plain.strategies, "the same plan");
  assert.ok(
    full.reservationUsd! > 3 * plain.reservationUsd!,
    `${full.reservationUsd} vs ${plain.reservationUsd}`,
  );
});

stackTest("the quality views show a user their own requests only", async (sql) => {
  const [one, other] = [await asUser(), await asUser()];
  const body = notesRequest({
    qualityThreshold: 95,
  });
  await breakFirstAnswer(body);
  const data = succeeded(await invokeOrchestrator(one.client, { ...body, refine: { maxRounds: 1 } }));
  await recordedRows(sql, data.requestId);

  /** A quality view as the user reads it (the role and claims PostgREST would set). */
  const viewAs = (
    userId: string,
    view: "orchestration_stats" | "refinement_payoff" | "confidence_by_model",
  ) => asAuthenticated(sql, userId, (tx) => tx.unsafe(`select * from public.${view}`));
  const [stats] = await viewAs(one.userId, "orchestration_stats");
  assert.deepEqual([Number(stats.requests), Number(stats.refinements)], [1, 1]);
  const payoff = await viewAs(one.userId, "refinement_payoff");
  assert.deepEqual(payoff.map((row) => Number(row.rounds)), [1]);
  assert.equal((await viewAs(one.userId, "confidence_by_model")).length, 1);
  for (const view of ["orchestration_stats", "refinement_payoff", "confidence_by_model"] as const) {
    assert.equal((await viewAs(other.userId, view)).length, 0, `another user sees nothing of ${view}`);
  }

  // The operator sees everyone's, through the metrics endpoint.
  const response = await fetch(`${functionUrl}/metrics`, { headers: { apikey: stack.secretKey } });
  assert.equal(response.status, 200);
  const everyone = (await response.json()).stats;
  assert.equal(everyone.days, 7);
  assert.ok(everyone.requests >= 1 && everyone.refinements >= 1, JSON.stringify(everyone));
  assert.ok(everyone.modelUsage.some((usage: { model: string }) => usage.model === data.strategy.model));
});

stackTest("a budget holds with refinement and review: the loop spends no more than is left", async (sql) => {
  const { userId, client } = await asUser();
  const body = notesRequest({ qualityThreshold: 99, verify: true, refine: { maxRounds: 3 } });
  // A third of what the plan could cost at worst, loop included (every round on the dearest model, at its
  // whole output cap): room for what the plan is expected to cost, far from room for all it might.
  await sql`insert into public.user_settings (user_id, monthly_budget_usd) values (${userId}, 50)`;
  const worstCase = succeeded(await estimateOrchestration(client, body)).plans.balanced.reservationUsd!;
  const budget = Math.round((worstCase / 3) * 1e6) / 1e6;
  const planned = succeeded(await estimateOrchestration(client, body)).plans.balanced;
  assert.ok(planned.expectedCostUsd! < budget / 2, `expected ${planned.expectedCostUsd} of ${budget}`);
  await sql`update public.user_settings set monthly_budget_usd = ${budget} where user_id = ${userId}`;
  await breakFirstAnswer(body);
  const data = succeeded(await invokeOrchestrator(client, body));

  assert.ok(data.metrics.totalCostUsd <= budget + 1e-6, `${data.metrics.totalCostUsd} of ${budget}`);
  assert.ok(data.attempts.some((attempt) => attempt.strategy.approach === "refine"), "the loop ran");
  assert.ok(data.metrics.budget!.remainingUsd >= 0);
  const ledger = await eventually(async () => {
    const [entry] = await sql`select * from public.spend_ledger where request_id = ${data.requestId}`;
    return entry?.status === "settled" ? entry : undefined;
  });
  assert.ok(Number(ledger.reserved_usd) <= budget + 1e-6, "no more was reserved than was left");
  assert.ok(Number(ledger.spent_usd) <= budget + 1e-6, "nor spent");
  const { attempts } = await recordedRows(sql, data.requestId);
  const verification = await verificationRow(sql, data.requestId);
  const recorded = attempts.reduce((sum, row) => sum + Number(row.cost_usd), 0) +
    Number(verification?.cost_usd ?? 0);
  assert.ok(Math.abs(recorded - Number(ledger.spent_usd)) < 1e-6, "the rows and the ledger agree");
  const [month] = await sql`select spent_usd from public.spend_monthly where user_id = ${userId}`;
  assert.ok(Number(month.spent_usd) <= budget + 1e-6);
});
