// The intent call (ORCHESTRATOR_INTENT_CALL=on): where the profiler's rules are unsure of the task type,
// the cheapest configured model is asked; its answer decides, its failure leaves the rules' reading, and its
// cost is charged with the request. Off by default. Tested for its mechanics against the simulator (the
// simulated model reads intent as the rules do; fault rules make it answer otherwise, fail or stall).

import assert from "node:assert/strict";
import { estimateOrchestration, invokeOrchestrator } from "../shared/mod.ts";
import { ROOT, startRouter } from "./support/processes.ts";
import {
  asUser,
  eventually,
  injectFault,
  marker,
  recordedRows,
  simulatorCalls,
  type Sql,
  stack,
  stackTest,
  succeeded,
  userClient,
  userToken,
} from "./support/stack.ts";

/** An edit the rules read as one, unsure (a spec is asked for too): taskTypeConfidence 0.22. */
const unsure = () => ({
  request: `Add a spec for the cart reducer and make the total update when an item is removed (${marker()})`,
  context: { files: [{ path: "src/cart.ts", content: "export const total = (items: number[]) => 0;\n" }] },
  models: ["gemini-3.8-flash"],
  explore: false,
  refine: { maxRounds: 0 },
});

type Invoke = (userId: string, body: ReturnType<typeof unsure>) => ReturnType<typeof invokeOrchestrator>;

/** A worker with the intent call on (a 1 s timeout), a way to ask it as a user, and its own base URL. */
async function withIntentWorker(
  fn: (invoke: Invoke, base: string) => Promise<void>,
  env: Record<string, string> = {},
) {
  const worker = await startRouter(`${ROOT}/supabase`, {
    ORCHESTRATOR_INTENT_CALL: "on",
    ORCHESTRATOR_INTENT_TIMEOUT_MS: "1000",
    ...env,
  });
  const invokeAs: Invoke = async (userId, body) =>
    invokeOrchestrator(userClient(await userToken(userId), worker.base), body);
  try {
    await fn(invokeAs, worker.base);
  } finally {
    await worker.stop();
  }
}
const intentCalls = async (request: string) =>
  (await simulatorCalls(request)).filter((call) => call.kind === "intent");

async function settledSpent(sql: Sql, requestId: string): Promise<number> {
  const entry = await eventually(async () => {
    const [row] = await sql`select * from public.spend_ledger where request_id = ${requestId}`;
    return row?.status === "settled" ? row : undefined;
  }, 30_000);
  return Number(entry.spent_usd);
}

stackTest("off by default: an unsure request is profiled by the rules alone", async (sql) => {
  const { client } = await asUser();
  const body = unsure();
  const data = succeeded(await invokeOrchestrator(client, body));
  assert.ok(data.profile.taskTypeConfidence < 0.5, "the rules are unsure of it");
  assert.equal(data.profile.taskType, "edit");
  assert.equal(data.profile.intent, undefined);
  assert.deepEqual(await intentCalls(body.request), []);
  const { selection } = await recordedRows(sql, data.requestId);
  assert.equal(selection.task_profile.intent, undefined);
});

stackTest("on: the model's answer decides the task type, planned, recorded and charged", async (sql) => {
  await withIntentWorker(async (invoke) => {
    const { userId } = await asUser();
    await sql`insert into public.user_settings (user_id, monthly_budget_usd) values (${userId}, 1)`;
    const body = unsure();
    await injectFault({ fault: "answer", kind: "intent", text: '{"taskType":"test"}', match: body.request });
    const data = succeeded(await invoke(userId, body));

    const [call] = await intentCalls(body.request);
    assert.ok(call, "the intent call was made");
    assert.equal(data.profile.taskType, "test");
    assert.equal(data.profile.intent?.outcome, "decided");
    assert.equal(data.profile.intent?.rulesTaskType, "edit");
    assert.equal(data.profile.intent?.answeredTaskType, "test");
    assert.equal(data.profile.intent?.model, call.model);
    assert.ok(data.profile.intent!.costUsd > 0);
    // The strategies were asked to write tests, and the evidence is filed under `test`.
    const attemptCalls = (await simulatorCalls(body.request)).filter((c) => c.kind !== "intent");
    assert.ok(attemptCalls.length > 0);
    const { selection, attempts } = await recordedRows(sql, data.requestId);
    assert.equal(selection.task_type, "test");
    assert.deepEqual(attempts.map((row) => row.task_type), attempts.map(() => "test"));
    assert.equal(selection.task_profile.intent.outcome, "decided");
    assert.equal(Number(selection.task_profile.intent.costUsd), data.profile.intent!.costUsd);

    // Charged with the attempts, in the response's total and in the ledger.
    const attemptsUsd = data.attempts.reduce((sum, attempt) => sum + attempt.costUsd, 0);
    const total = attemptsUsd + data.profile.intent!.costUsd;
    assert.ok(Math.abs(data.metrics.totalCostUsd - total) < 2e-6);
    assert.ok(Math.abs((await settledSpent(sql, data.requestId)) - total) < 2e-6);
  });
});

stackTest("on: a sure request makes no call; one the model agrees with keeps its plan", async (sql) => {
  await withIntentWorker(async (invoke) => {
    const { userId } = await asUser();
    const sure = {
      ...unsure(),
      request: `Change the button color to blue (${marker()})`,
    };
    const plain = succeeded(await invoke(userId, sure));
    assert.ok(plain.profile.taskTypeConfidence >= 0.5);
    assert.equal(plain.profile.intent, undefined);
    assert.deepEqual(await intentCalls(sure.request), []);

    const body = unsure();
    const agreed = succeeded(await invoke(userId, body));
    assert.equal(agreed.profile.intent?.outcome, "agreed");
    assert.equal(agreed.profile.taskType, "edit");
    const { selection } = await recordedRows(sql, agreed.requestId);
    assert.equal(selection.task_type, "edit");
    assert.ok(Math.abs((await settledSpent(sql, agreed.requestId)) - agreed.metrics.totalCostUsd) < 2e-6);
  });
});

stackTest(
  "on: a model that stalls, errs or answers out of shape leaves the rules' task type",
  async (sql, t) => {
    await withIntentWorker(async (invoke) => {
      const cases: Array<[string, Parameters<typeof injectFault>[0], RegExp]> = [
        ["no answer within the timeout", { fault: "timeout", kind: "intent", delayMs: 10_000 }, /timeout/],
        ["a server error", { fault: "server", kind: "intent" }, /^server: /],
        ["a task type that is none of the seven", {
          fault: "answer",
          kind: "intent",
          text: '{"taskType":"poem\\u0000"}',
        }, /names no task type/],
      ];
      for (const [name, rule, reason] of cases) {
        await t.step(name, async () => {
          const { userId } = await asUser();
          const body = unsure();
          await injectFault({ ...rule, match: body.request });
          const started = performance.now();
          const data = succeeded(await invoke(userId, body));
          assert.ok(performance.now() - started < 9_000, "the request did not wait for the stalled call");
          assert.equal(data.profile.taskType, "edit");
          assert.equal(data.profile.intent?.outcome, "failed");
          assert.equal(data.profile.intent?.answeredTaskType, null);
          assert.match(data.profile.intent!.error!, reason);
          const { selection } = await recordedRows(sql, data.requestId);
          assert.equal(selection.task_type, "edit");
          assert.equal(selection.task_profile.intent.outcome, "failed");
        });
      }
    });
  },
);

stackTest("on: no call is paid for a request the budget cannot take", async (sql) => {
  await withIntentWorker(async (invoke) => {
    const { userId } = await asUser();
    await sql`insert into public.user_settings (user_id, monthly_budget_usd) values (${userId}, 0.000001)`;
    const body = unsure();
    const result = await invoke(userId, body);
    assert.equal(result.error?.code, "budget_exceeded");
    assert.deepEqual(await intentCalls(body.request), [], "the intent call was not made");
  });
});

stackTest(
  "on: intent calls that keep failing open their own breaker; the model still serves the request",
  async (sql) => {
    await withIntentWorker(async (invoke, base) => {
      const { userId } = await asUser();
      const series = marker();
      const request = (n: number) => ({ ...unsure(), request: `${unsure().request} (${series}-${n})` });
      await injectFault({ fault: "server", kind: "intent", match: series, times: 2 });
      for (const n of [1, 2]) {
        const data = succeeded(await invoke(userId, request(n)));
        assert.equal(data.profile.intent?.outcome, "failed");
        assert.match(data.profile.intent!.error!, /^server: /);
      }
      const metrics = await (await fetch(`${base}/functions/v1/multi-model-orchestrator/metrics`, {
        headers: { apikey: stack.secretKey },
      })).json();
      const model = "gemini-3.8-flash";
      assert.deepEqual(
        metrics.breakers.map((entry: { key: string; state: string }) => [entry.key, entry.state]),
        [[`gemini/${model} (intent call)`, "open"]],
        "the intent calls' breaker opened; the model's own did not",
      );

      // While it is open the rules' reading stands without a call, and the request is answered by the model.
      const third = request(3);
      const data = succeeded(await invoke(userId, third));
      assert.equal(data.profile.intent, undefined, "no intent call was made");
      assert.equal(data.profile.taskType, "edit");
      const calls = await simulatorCalls(third.request);
      assert.deepEqual(calls.filter((call) => call.kind === "intent"), []);
      assert.ok(calls.some((call) => call.model === model), "the request's own call went to the model");
      const { selection } = await recordedRows(sql, data.requestId);
      assert.equal(selection.task_type, "edit");
      assert.equal(selection.task_profile.intent, undefined, "its record names no intent call");
    }, { ORCHESTRATOR_BREAKER_FAILURES: "2", ORCHESTRATOR_BREAKER_COOLDOWN_MS: "60000" });
  },
);

stackTest(
  "on: an estimate names the intent call an unsure request would make and reserves for it, calling no model",
  async (sql) => {
    await withIntentWorker(async (_invoke, base) => {
      const { userId, client } = await asUser();
      await sql`insert into public.user_settings (user_id, monthly_budget_usd) values (${userId}, 100)`;
      const body = unsure();
      const withCall = succeeded(
        await estimateOrchestration(userClient(await userToken(userId), base), body),
      );
      const withoutCall = succeeded(await estimateOrchestration(client, body)); // the stack's worker: intent off
      assert.equal(withoutCall.intentCall, null);
      assert.equal(withCall.intentCall?.model, "gemini-3.8-flash", "a model the request may use");
      const intentUsd = withCall.intentCall!.worstCaseUsd;
      assert.ok(intentUsd > 0);
      for (const tier of ["premium", "balanced", "budget"] as const) {
        const held = withCall.plans[tier].reservationUsd! - withoutCall.plans[tier].reservationUsd!;
        assert.ok(
          Math.abs(held - intentUsd) < 2e-6,
          `${tier}: the reservation holds the call's worst case (${held} against ${intentUsd})`,
        );
      }
      assert.deepEqual(await simulatorCalls(body.request), [], "an estimate calls no model");

      const sure = { ...unsure(), request: `Change the button color to blue (${marker()})` };
      const plain = succeeded(await estimateOrchestration(userClient(await userToken(userId), base), sure));
      assert.equal(plain.intentCall, null, "the rules are sure: no call");
    });
  },
);
