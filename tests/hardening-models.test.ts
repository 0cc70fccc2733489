// A hostile or broken model, through the function: answers whose paths leave the project, answers of
// any size, error bodies Postgres cannot store, and a circuit breaker that must never wedge. Each ends
// as a failed attempt with its class, the next strategy answers, and the rows are written.

import assert from "node:assert/strict";
import { estimateOrchestration, invokeOrchestrator, pathProblem } from "../shared/mod.ts";
import {
  asUser,
  functionUrl,
  injectFault,
  marker,
  POOL_OFF,
  recordedRows,
  type Sql,
  stack,
  stackTest,
  succeeded,
  withProjectSettings,
} from "./support/stack.ts";
import type { FaultRule } from "../scripts/model-simulator/server.ts";

/**
 * One request of two strategies (other models first, so the second is another model) whose first
 * strategy's model answers with `rule`: its files (or, `atFirstCall`, its first call, a progressive
 * plan's included). The plan is learnt from an estimate of the same request, without exploration, and
 * from the catalog's priors alone (POOL_OFF): evidence that earlier tests' rows bring in between could
 * move it.
 */
async function hostileRun(sql: Sql, rule: Omit<FaultRule, "match">, atFirstCall = false) {
  const ref = marker();
  const { client } = await asUser();
  const body = {
    request: `Build a notes app (${ref})`,
    maxStrategies: 2,
    qualityThreshold: 10,
    explore: false,
  };
  return await withProjectSettings(sql, POOL_OFF, async () => {
    const [first] = succeeded(await estimateOrchestration(client, body)).plans.balanced.strategies;
    const kind = first.approach === "simple" ? "files" : atFirstCall ? "plan" : "batch";
    await injectFault({ ...rule, match: ref, model: first.model, kind, times: rule.times ?? 20 });
    const data = succeeded(await invokeOrchestrator(client, body));
    assert.equal(data.attempts[0].strategy.model, first.model, "the plan is the estimate's");
    return data;
  });
}

const filesAnswer = (files: Array<{ path: string; content?: string }>) =>
  JSON.stringify({ files: files.map((file) => ({ content: "x", ...file })) });

stackTest(
  "paths that leave the project make an output malformed; the next strategy answers",
  async (sql, t) => {
    const hostile: Array<[string, Array<{ path: string }>]> = [
      ["a line break, then ..", [{ path: "x\n/../../../../tmp/pwned.txt" }]],
      ["a carriage return", [{ path: "x\r/../../etc/passwd" }]],
      ["a line separator", [{ path: "x\u2028/../../../tmp/pwned.txt" }]],
      ["a drive letter", [{ path: "C:/Windows/System32/evil.dll" }]],
      ["a backslash", [{ path: "..\\..\\evil.txt" }]],
      ["an empty segment", [{ path: "src//App.tsx" }]],
      ["a '.' segment", [{ path: "./src/App.tsx" }]],
      ["the same path twice", [{ path: "src/App.tsx" }, { path: "src/App.tsx" }]],
      ["a path over 300 characters", [{ path: `src/${"a".repeat(300)}.ts` }]],
    ];
    for (const [name, files] of hostile) {
      await t.step(name, async () => {
        const data = await hostileRun(sql, { fault: "answer", text: filesAnswer(files) });
        assert.equal(data.attempts[0].success, false);
        assert.equal(
          data.attempts[0].error?.class,
          "malformed_output",
          data.attempts[0].error?.message ?? "",
        );
        assert.equal(data.attempts.at(-1)!.success, true, "the next strategy answers");
        for (const file of data.files) assert.equal(pathProblem(file.path), null, file.path);
        const { attempts } = await recordedRows(sql, data.requestId);
        assert.equal(attempts[0].error_class, "malformed_output");
      });
    }
  },
);

stackTest("outputs past the caps are malformed, and a huge body is not read whole", async (sql, t) => {
  const cases: Array<[string, { count: number; bytesEach: number }, RegExp]> = [
    ["5,002 files", { count: 5_002, bytesEach: 10 }, /5002 files; an output may hold 200/],
    ["2.1 MB of files", { count: 21, bytesEach: 99_000 }, /bytes of files; an output may hold 2000000/],
    ["a 59 MB response", { count: 600, bytesEach: 99_000 }, /larger than 4000000 bytes/],
  ];
  for (const [name, files, reason] of cases) {
    await t.step(name, async () => {
      const data = await hostileRun(sql, { fault: "answer", files });
      assert.equal(data.attempts[0].error?.class, "malformed_output");
      assert.match(data.attempts[0].error!.message, reason);
      assert.equal(data.attempts.at(-1)!.success, true);
      assert.ok(JSON.stringify(data).length < 2_000_000, "the response carries none of it");
      const { attempts } = await recordedRows(sql, data.requestId);
      assert.equal(attempts[0].error_class, "malformed_output");
    });
  }
});

stackTest("what a provider says that Postgres cannot store is stored all the same", async (sql, t) => {
  await t.step("an error body with NUL and an unpaired surrogate", async () => {
    const data = await hostileRun(
      sql,
      { fault: "answer", status: 500, text: "bad\u0000 news \ud800 here" },
      true,
    );
    assert.equal(data.attempts[0].error?.class, "server");
    const { selection, attempts } = await recordedRows(sql, data.requestId);
    assert.ok(selection, "the request is recorded");
    assert.equal(attempts[0].error_class, "server");
    assert.ok(!attempts[0].metadata.error.includes("\u0000"));
    assert.ok(attempts[0].metadata.error.isWellFormed());
  });
  await t.step("a file with a NUL in it is a malformed output", async () => {
    const data = await hostileRun(sql, {
      fault: "answer",
      text: filesAnswer([{ path: "src/App.tsx", content: "export const a = '\u0000';" }]),
    });
    assert.equal(data.attempts[0].error?.class, "malformed_output");
    assert.ok(data.files.every((file) => !file.content.includes("\u0000")));
    assert.ok(await recordedRows(sql, data.requestId));
  });
});

stackTest("a failed progressive attempt records every call it made", async (sql) => {
  const ref = marker();
  await injectFault({ fault: "malformed", match: ref, kind: "batch", times: 20 });
  const { client } = await asUser();
  // Parallel: both approaches of the model run, whatever the simple one scores.
  const data = succeeded(
    await invokeOrchestrator(client, {
      request: `Build a budgeting app with charts and a login page (${ref})`,
      models: ["gemini-3.8-flash"],
      mode: "parallel",
      maxStrategies: 2,
    }),
  );
  const failed = data.attempts.find((attempt) => attempt.strategy.approach === "progressive");
  assert.equal(failed?.success, false, "the progressive attempt's batches failed");
  const { attempts } = await recordedRows(sql, data.requestId);
  const row = attempts.find((attempt) => attempt.approach === "progressive")!;
  assert.ok(row.metadata.calls >= 2, `a plan call and at least one batch: ${row.metadata.calls}`);
});

async function breakerState(model: string) {
  const metrics = await (await fetch(`${functionUrl}/metrics`, { headers: { apikey: stack.secretKey } }))
    .json();
  return metrics.breakers.find((entry: { key: string }) => entry.key === `gemini/${model}`)?.state ??
    "closed";
}

stackTest(
  "a probe that gets a bad answer closes the breaker; a request refused by a tiny budget takes no probe",
  async (
    sql,
  ) => {
    const model = "gemini-3.5-flash-lite";
    const ref = marker();
    const pinned = { models: [model], maxStrategies: 1, explore: false };
    const request = `Change the button color to blue (${ref})`;
    const context = {
      files: [{ path: "src/Button.tsx", content: "export const Button = () => <button />;\n" }],
    };
    const { client } = await asUser();
    await injectFault({ fault: "server", match: ref, times: 15 });
    for (let i = 0; i < 5; i++) await invokeOrchestrator(client, { request, context, ...pinned });
    assert.equal(await breakerState(model), "open");
    await fetch(`${stack.simulatorUrl}/_simulator/faults`, { method: "DELETE" }).then((r) =>
      r.body?.cancel()
    );
    await new Promise((resolve) => setTimeout(resolve, 1_600));

    // A user whose budget cannot pay for a call is refused before any call: the probe is left for others.
    const tiny = await asUser();
    await sql`insert into public.user_settings (user_id, monthly_budget_usd) values (${tiny.userId}, 0.003)`;
    const refused = await invokeOrchestrator(tiny.client, { request, context, ...pinned });
    assert.equal(refused.error?.status, 402, JSON.stringify(refused.error));
    assert.equal(await breakerState(model), "open", "no probe happened: still open, not half-open for ever");

    // The next probe gets a malformed answer: the model answered, the breaker closes for everyone.
    await injectFault({ fault: "malformed", match: ref, times: 1 });
    const probe = await invokeOrchestrator(client, { request, context, ...pinned });
    assert.equal(probe.error?.code, "all_strategies_failed");
    assert.equal(await breakerState(model), "closed");
    const after = await invokeOrchestrator((await asUser()).client, { request, context, ...pinned });
    assert.equal(after.error, null, JSON.stringify(after.error));

    // The budget-refused attempts are not evidence about the model: no statistics of the tiny user.
    const [{ count }] = await sql`select count(*)::int from public.strategy_stats_by_user
    where user_id = ${tiny.userId}`;
    assert.equal(count, 0);
  },
);
