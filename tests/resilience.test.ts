// The orchestrator on bad days, through supabase-js against the test stack: every fault class of the
// simulated Gemini API, the circuit breaker, hedged mode, the database going away and coming back.
// For each: what the caller sees, and the rows written.
//
// The test stack runs with short timeouts (scripts/test.sh): an attempt 2.5 s (progressive 4 s), a
// retry backoff from 50 ms, a breaker cooldown of 1.5 s.

import assert from "node:assert/strict";
import { invokeOrchestrator, type OrchestrateResponse } from "../shared/mod.ts";
import {
  asUser,
  controlPostgres,
  eventually,
  functionLog,
  functionUrl,
  injectFault,
  marker,
  recordedRows,
  serviceClient,
  simulatorCalls,
  type Sql,
  stack,
  stackState,
  stackTest,
  succeeded,
  userClient,
  userToken,
} from "./support/stack.ts";

async function client() {
  return (await asUser()).client;
}

async function attemptRows(sql: Sql, requestId: string) {
  return (await recordedRows(sql, requestId)).attempts;
}

stackTest("a 429 is retried after the wait it asks for, inside one attempt", async (sql) => {
  const ref = marker();
  await injectFault({ fault: "rate_limit", match: ref, times: 1 });
  const data = succeeded(
    await invokeOrchestrator(await client(), { request: `Build a notes app (${ref})`, maxStrategies: 1 }),
  );
  assert.equal(data.attempts.length, 1);
  assert.equal(data.attempts[0].success, true);
  assert.equal(data.attempts[0].retries, 1);
  assert.equal(data.metrics.retries, 1);
  assert.ok(data.metrics.modelWaitMs >= 2_000, "the retry waited the 2 s the provider asked for");
  const [row] = await attemptRows(sql, data.requestId);
  assert.equal(row.success, true);
  assert.equal(row.metadata.retries, 1);
});

stackTest("rate limits on every strategy: 503 with Retry-After, every attempt recorded", async (sql) => {
  const ref = marker();
  await injectFault({ fault: "rate_limit", match: ref, times: 50 });
  const response = await fetch(functionUrl, {
    method: "POST",
    headers: {
      authorization: `Bearer ${await userToken(crypto.randomUUID())}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({ request: `Build a notes app (${ref})`, maxStrategies: 2 }),
  });
  const body = await response.json();
  assert.equal(response.status, 503);
  assert.equal(body.error.code, "models_unavailable");
  assert.equal(response.headers.get("retry-after"), "30");
  assert.equal(body.error.details.attempts.length, 2);
  assert.ok(
    body.error.details.attempts.every((a: { error: { class: string } }) => a.error.class === "rate_limit"),
  );
  const rows = await attemptRows(sql, body.error.details.requestId);
  assert.deepEqual(rows.map((row) => row.error_class), ["rate_limit", "rate_limit"]);
  const [selection] =
    await sql`select * from public.model_selections where request_id = ${body.error.details.requestId}`;
  assert.equal(selection.selected_model, null, "the request is recorded without a winner");
});

stackTest(
  "no provider configured for the models asked: 503 no_models_available without Retry-After, nothing written",
  async (sql) => {
    // The test stack configures Gemini alone: Claude is in the catalog, enabled, and has no provider here.
    const userId = crypto.randomUUID();
    const ref = marker();
    const body = { request: `Build a notes app (${ref})`, models: ["claude-sonnet-5"] };
    const headers = {
      authorization: `Bearer ${await userToken(userId)}`,
      "content-type": "application/json",
    };
    for (const accept of ["application/json", "text/event-stream"]) {
      const response = await fetch(functionUrl, {
        method: "POST",
        headers: { ...headers, accept },
        body: JSON.stringify(body),
      });
      const answer = await response.json();
      assert.equal(response.status, 503, JSON.stringify(answer));
      assert.equal(answer.error.code, "no_models_available");
      assert.match(answer.error.message, /claude-sonnet-5/);
      // A configuration problem: waiting does not help, so nothing says when to try again (the 503
      // models_unavailable above, a passing rate limit, says 30 s).
      assert.equal(response.headers.get("retry-after"), null, `${accept}: no Retry-After`);
    }
    assert.deepEqual(await simulatorCalls(ref), [], "no model was called");
    const [{ n }] =
      await sql`select count(*)::int as n from public.model_selections where user_id = ${userId}`;
    assert.equal(n, 0, "nothing was written");
  },
);

stackTest(
  "each failure class ends the attempt with its class, and the next strategy answers",
  async (sql, t) => {
    const cases: Array<[string, string, number?]> = [
      ["server", "server"],
      ["unavailable", "server"],
      ["reset", "network"],
      ["malformed", "malformed_output"],
      ["truncated", "malformed_output"],
      ["empty", "malformed_output"],
      ["safety", "safety_block"],
      ["timeout", "timeout", 30_000],
      ["slow_stream", "timeout", 30_000],
    ];
    for (const [fault, errorClass, delayMs] of cases) {
      await t.step(`${fault} → ${errorClass}`, async () => {
        const ref = marker();
        // Enough faults to outlast the retries of whatever the first strategy is.
        await injectFault({
          fault: fault as "server",
          match: ref,
          times: ["server", "unavailable", "reset"].includes(fault) ? 3 : 1,
          delayMs,
        });
        const data = succeeded(
          await invokeOrchestrator(await client(), {
            request: `Build a recipe book app (${ref})`,
            qualityThreshold: 10,
          }),
        );
        assert.equal(data.attempts[0].success, false);
        assert.equal(
          data.attempts[0].error?.class,
          errorClass,
          data.attempts[0].error?.message ?? "no error",
        );
        const retried = ["server", "network"].includes(errorClass);
        assert.equal(data.attempts[0].retries, retried ? 2 : 0, "retried only when it may help");
        assert.equal(data.attempts.at(-1)!.success, true);
        if (errorClass === "timeout") {
          assert.ok(
            data.attempts[0].durationMs >= 2_000 && data.attempts[0].durationMs < 8_000,
            `${data.attempts[0].durationMs} ms`,
          );
        }
        const rows = await attemptRows(sql, data.requestId);
        assert.equal(rows[0].error_class, errorClass);
        assert.equal(rows[0].quality_score, null);
        assert.equal(rows[rows.length - 1].success, true);
      });
    }
  },
);

stackTest("a timed-out attempt is aborted: the provider sees the call go away", async () => {
  const ref = marker();
  await injectFault({ fault: "timeout", match: ref, times: 1, delayMs: 20_000 });
  const data = succeeded(
    await invokeOrchestrator(await client(), { request: `Build a notes app (${ref})`, qualityThreshold: 10 }),
  );
  assert.equal(data.attempts[0].error?.class, "timeout");
  const calls = await eventually(async () => {
    const seen = await simulatorCalls(ref);
    const hung = seen.find((call) => call.fault === "timeout");
    return hung?.durationMs !== null && hung?.durationMs !== undefined ? seen : undefined;
  }, 15_000);
  const hung = calls.find((call) => call.fault === "timeout")!;
  assert.equal(hung.aborted, true, "the HTTP call to the model was cancelled");
  assert.ok(hung.durationMs! < 10_000, `the provider stopped after ${hung.durationMs} ms, not after 20 s`);
});

stackTest(
  "when every strategy fails: 502 listing what was tried and why, never a 200 without files",
  async (sql) => {
    const ref = marker();
    await injectFault({ fault: "safety", match: ref, times: 50 });
    const result = await invokeOrchestrator(await client(), {
      request: `Build a notes app (${ref})`,
      maxStrategies: 3,
    });
    assert.equal(result.data, null);
    assert.equal(result.error?.status, 502);
    assert.equal(result.error?.code, "all_strategies_failed");
    const details = result.error?.details as {
      requestId: string;
      attempts: Array<{ error: { class: string } }>;
    };
    assert.equal(details.attempts.length, 3);
    assert.ok(details.attempts.every((attempt) => attempt.error.class === "safety_block"));
    assert.match(result.error!.message, /safety_block/);
    const rows = await attemptRows(sql, details.requestId);
    assert.equal(rows.length, 3);
  },
);

stackTest(
  "the circuit breaker skips a failing model, shows it, and probes it again after the cooldown",
  async () => {
    const ref = marker();
    const failing = "gemini-3.5-flash-lite";
    await injectFault({ fault: "server", match: ref, model: failing, times: 1_000 });
    const request = {
      request: `Build a habit tracker (${ref})`,
      mode: "parallel" as const,
      maxStrategies: 3,
      cache: false, // every request calls the models
    };
    const secret = serviceClient();
    const userId = crypto.randomUUID();
    let skipped: OrchestrateResponse | null = null;
    for (let i = 0; i < 8 && !skipped; i++) {
      const data = succeeded(await invokeOrchestrator(secret, { ...request, userId }));
      if (data.metrics.skipped.some((entry) => entry.model === failing)) skipped = data;
    }
    assert.ok(skipped, "after repeated failures the model is skipped");
    assert.ok(skipped.attempts.every((attempt) => attempt.strategy.model !== failing));
    const metrics = await (await fetch(`${functionUrl}/metrics`, { headers: { apikey: stack.secretKey } }))
      .json();
    const breaker = metrics.breakers.find((entry: { key: string }) => entry.key === `gemini/${failing}`);
    assert.equal(breaker.state, "open");
    const forbidden = await fetch(`${functionUrl}/metrics`, {
      headers: { authorization: `Bearer ${await userToken(userId)}` },
    });
    assert.equal(forbidden.status, 403, "metrics are for secret-key callers");
    await forbidden.body?.cancel();

    // The model recovers; after the cooldown one request probes it and closes the breaker.
    await fetch(`${stack.simulatorUrl}/_simulator/faults`, { method: "DELETE" }).then((r) =>
      r.body?.cancel()
    );
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const probe = succeeded(await invokeOrchestrator(secret, { ...request, userId }));
    const probed = probe.attempts.find((attempt) => attempt.strategy.model === failing);
    assert.equal(probed?.success, true, "the probe went through and succeeded");
    const after = await (await fetch(`${functionUrl}/metrics`, { headers: { apikey: stack.secretKey } }))
      .json();
    assert.equal(after.breakers.some((entry: { key: string }) => entry.key === `gemini/${failing}`), false);
  },
);

stackTest(
  "hedged mode starts the next strategy when the leader is slow, and cancels the rest once one wins",
  async (sql) => {
    const ref = marker();
    // The leader's first call hangs; the hedge's calls are served normally.
    await injectFault({ fault: "timeout", match: ref, times: 1, delayMs: 20_000 });
    const started = Date.now();
    const data = succeeded(
      await invokeOrchestrator(await client(), {
        request: `Build a contact list app (${ref})`,
        mode: "hedged",
        hedgeDelayMs: 300,
        qualityThreshold: 10,
        maxStrategies: 3,
      }),
    );
    assert.ok(Date.now() - started < 2_500, "did not wait for the hung leader");
    assert.equal(data.metrics.mode, "hedged");
    assert.equal(data.attempts[0].success, false);
    assert.equal(data.attempts[0].error?.class, "cancelled");
    assert.match(data.attempts[0].error!.message, /another strategy reached the quality threshold/);
    assert.deepEqual(data.strategy, data.attempts[1].strategy);
    assert.equal(data.metrics.cancelled, 1);
    assert.equal(data.metrics.earlyExit, true);
    assert.equal(data.attempts.length, 2, "the third strategy never had to start");
    const rows = await attemptRows(sql, data.requestId);
    assert.deepEqual(rows.map((row) => row.error_class), ["cancelled", null]);
    const [selection] =
      await sql`select mode from public.model_selections where request_id = ${data.requestId}`;
    assert.equal(selection.mode, "hedged");
  },
);

stackTest(
  "the database going away: requests are still answered, rows wait and land, or are counted as lost",
  async (sql) => {
    const before = await (await fetch(`${functionUrl}/metrics`, { headers: { apikey: stack.secretKey } }))
      .json();
    await controlPostgres("stop");
    let restarted = false;
    try {
      // Down briefly: answered without history; the background write retries until the database is back.
      const brief = succeeded(
        await invokeOrchestrator(await client(), { request: "Build a notes app", qualityThreshold: 10 }),
      );
      assert.equal(brief.metrics.historyUsed, false);
      assert.ok(brief.files.length > 0);
      await controlPostgres("start");
      restarted = true;
      const rows = await attemptRows(sql, brief.requestId);
      assert.equal(rows.length, brief.attempts.length, "written once the database came back");

      // Down for longer than the write's retries: the response still goes out; the loss is logged and counted.
      await controlPostgres("stop");
      restarted = false;
      const lost = succeeded(
        await invokeOrchestrator(await client(), { request: "Build a notes app", qualityThreshold: 10 }),
      );
      const failure = await eventually(
        async () =>
          (await functionLog()).find((entry) =>
            entry.msg === "persist_failed" && entry.requestId === lost.requestId
          ),
        30_000,
      );
      assert.equal(failure.level, "error");
      assert.equal(failure.rows, 1 + lost.attempts.length);
      await controlPostgres("start");
      restarted = true;
      const after = await (await fetch(`${functionUrl}/metrics`, { headers: { apikey: stack.secretKey } }))
        .json();
      assert.equal(after.unwritten.requests, before.unwritten.requests + 1);
      assert.equal(after.unwritten.rows, before.unwritten.rows + 1 + lost.attempts.length);

      // Back without a restart of the function: history and writes work again.
      const back = succeeded(
        await invokeOrchestrator(await client(), { request: "Build a notes app", qualityThreshold: 10 }),
      );
      assert.equal(back.metrics.historyUsed, true);
      assert.equal((await attemptRows(sql, back.requestId)).length, back.attempts.length);
    } finally {
      if (!restarted) await controlPostgres("start");
    }
  },
);

stackTest(
  "one structured log line per request: ids, a hash of the user, profile, attempts; no prompt or code",
  async () => {
    const since = new Date().toISOString();
    const userId = crypto.randomUUID();
    const secretWords = "zebra-quokka-secret-phrase";
    const data = succeeded(
      await invokeOrchestrator(userClient(await userToken(userId)), {
        request: `Build a notes app ${secretWords}`,
      }),
    );
    const line = await eventually(async () =>
      (await functionLog()).find((entry) => entry.msg === "request" && entry.requestId === data.requestId)
    );
    assert.equal(line.status, 200);
    assert.equal(line.level, "info");
    assert.match(String(line.user), /^[0-9a-f]{16}$/);
    assert.deepEqual(line.profile, {
      taskType: data.profile.taskType,
      complexity: data.profile.complexity,
      requirements: data.profile.requirements,
    });
    assert.equal((line.attempts as unknown[]).length, data.attempts.length);
    const raw = JSON.stringify(line);
    assert.ok(!raw.includes(userId), "no raw user id");
    assert.ok(!raw.includes(secretWords), "no prompt text");
    assert.ok(!raw.includes(data.files[0].content.slice(0, 40)), "no file contents");
    assert.ok(!raw.includes(stack.secretKey) && !raw.includes(stack.publishableKey), "no keys");

    const rejected = await fetch(functionUrl, {
      method: "POST",
      headers: { authorization: `Bearer ${await userToken(userId)}`, "content-type": "application/json" },
      body: JSON.stringify({ request: "" }),
    });
    const requestId = rejected.headers.get("x-request-id");
    await rejected.body?.cancel();
    const rejectedLine = await eventually(async () =>
      (await functionLog()).find((entry) => entry.msg === "request" && entry.requestId === requestId)
    );
    assert.equal(rejectedLine.status, 400);
    assert.equal(rejectedLine.code, "invalid_request");

    // The function's line is the request's only line; a request it never answers gets the router's.
    const missing = `/functions/v1/no-such-function-${crypto.randomUUID()}`;
    await (await fetch(`${stack.url}${missing}`, { method: "POST" })).body?.cancel();
    const logText = () => Deno.readTextFile(`${stackState}/functions.log`);
    await eventually(async () => (await logText()).includes(`POST ${missing} 404`) || undefined);
    const accessLines = (await logText()).split("\n").filter((text) =>
      / \/functions\/v1\/\S+ \d{3} \d+ms$/.test(text)
    );
    const ours = accessLines.filter((text) =>
      text.slice(0, 24) >= since && text.includes("/multi-model-orchestrator")
    );
    assert.deepEqual(ours, [], "the function's requests have no second line");
  },
);
