// Server-sent events through the function: the progress in order and a result equal to the plain body,
// the refine and verify events where they happen, heartbeats while a model thinks, an error event, plain
// JSON for what is refused before work starts, and a client that goes away mid-run — its model calls
// aborted, what ran recorded and settled.

import assert from "node:assert/strict";
import {
  invokeOrchestrator,
  type OrchestrateRequest,
  type OrchestrateResponse,
  OrchestrateResponseSchema,
  type ProgressEvent,
  ProgressEventSchema,
  readEventStream,
  type ServerSentEvent,
  streamOrchestration,
} from "../shared/mod.ts";
import {
  asUser,
  eventually,
  functionUrl,
  injectFault,
  marker,
  POOL_OFF,
  recordedRows,
  simulatorCalls,
  stackTest,
  succeeded,
  userToken,
  withProjectSettings,
} from "./support/stack.ts";
import { breakFirstAnswer, fixedAnswer, notesRequest } from "./support/notes-app.ts";

/** POSTs a body to the function asking for an event stream, as a browser's fetch would. */
async function openStream(token: string, body: unknown, signal?: AbortSignal) {
  return await fetch(functionUrl, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      accept: "text/event-stream",
    },
    body: JSON.stringify(body),
    signal,
  });
}

async function allEvents(response: Response): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readEventStream(response.body!)) events.push(event);
  return events;
}

/**
 * What differs between two runs of the same request, and only that: the request's id and how long things
 * took (the whole request, its time waiting on models, each attempt). Paths into the response body; `*`
 * is every element of an array.
 */
const PER_REQUEST = [
  "requestId",
  "metrics.totalDurationMs",
  "metrics.modelWaitMs",
  "attempts.*.durationMs",
];

/** A response body without the PER_REQUEST fields (each of which must be there). */
function withoutPerRequest(body: unknown): unknown {
  const copy = structuredClone(body);
  const strip = (value: unknown, [name, ...rest]: string[], path: string): void => {
    assert.ok(value !== null && typeof value === "object", `${path} is an object or an array`);
    const record = value as Record<string, unknown>;
    if (name === "*") {
      assert.ok(Array.isArray(value), `${path} is an array`);
      value.forEach((item, i) => strip(item, rest, `${path}[${i}]`));
    } else if (rest.length > 0) {
      strip(record[name], rest, `${path}.${name}`);
    } else {
      assert.ok(name in record, `${path}.${name} is in the body`);
      delete record[name];
    }
  };
  for (const path of PER_REQUEST) strip(copy, path.split("."), "body");
  return copy;
}

stackTest("the events arrive in order, then one result: the plain response's body", (sql) =>
  // Planned from the catalog alone: the stream's own rows, pooled in, must not change the plain request's plan.
  withProjectSettings(sql, POOL_OFF, async () => {
    const { userId } = await asUser();
    const body = {
      request: `Build a todo app with filters (${marker()})`,
      maxStrategies: 2,
      explore: false,
      mode: "parallel" as const,
    };
    const response = await openStream(await userToken(userId), body);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
    assert.ok(response.headers.get("x-request-id"));
    const events = await allEvents(response);

    const names = events.map((event) => event.event);
    assert.deepEqual(names.slice(0, 2), ["profile", "plan"]);
    assert.equal(names.at(-1), "result");
    assert.equal(names.filter((name) => name === "result" || name === "error").length, 1, "exactly one end");
    for (const event of events.slice(0, -1)) {
      assert.ok(ProgressEventSchema.safeParse(event.data).success, JSON.stringify(event.data));
      assert.equal((event.data as { type: string }).type, event.event);
    }
    const started = events.filter((event) => event.event === "attempt.started").map((e) =>
      (e.data as { index: number }).index
    );
    const finished = events.filter((event) => event.event === "attempt.finished").map((e) =>
      (e.data as { index: number }).index
    );
    assert.deepEqual(started.toSorted(), [0, 1]);
    assert.deepEqual(finished.toSorted(), [0, 1]);
    const at = (name: string, index: number) =>
      events.findIndex((e) => e.event === name && (e.data as { index: number }).index === index);
    for (const index of finished) {
      assert.ok(at("attempt.started", index) < at("attempt.finished", index), `attempt ${index}`);
    }

    const result = OrchestrateResponseSchema.parse(events.at(-1)!.data);
    assert.equal(result.requestId, response.headers.get("x-request-id"));
    // The same request, not streamed, by another user with no history of their own: the plan is the same
    // (no exploration, nobody's evidence pooled) and the simulator deterministic, so the bodies are equal
    // but for what differs between any two runs of a request. (The costs too: the prompts are shorter than
    // the 1,024 tokens from which a simulated provider bills a prompt sent again as read from its cache.)
    const plain = succeeded(await invokeOrchestrator((await asUser()).client, body));
    assert.notEqual(plain.requestId, result.requestId);
    assert.deepEqual(withoutPerRequest(events.at(-1)!.data), withoutPerRequest(plain));

    const { selection, attempts } = await recordedRows(sql, result.requestId);
    assert.equal(selection.selected_model, result.strategy.model);
    assert.equal(attempts.length, result.attempts.length);
  }));

stackTest(
  "a refinement round is announced after its attempt, and the review after the winner is known or before the round it asks for",
  async (sql, t) => {
    const { userId } = await asUser();
    const token = await userToken(userId);
    /** The event names, and the data of each of a kind. */
    const run = async (body: OrchestrateRequest) => {
      const events = await allEvents(await openStream(token, body));
      const of = <T>(name: string) => events.filter((e) => e.event === name).map((e) => e.data as T);
      for (const event of events.slice(0, -1)) ProgressEventSchema.parse(event.data);
      return { names: events.map((e) => e.event), of, result: of<OrchestrateResponse>("result")[0] };
    };
    type Finished = Extract<ProgressEvent, { type: "attempt.finished" }>;
    type Refined = Extract<ProgressEvent, { type: "refine" }>;
    type Verified = Extract<ProgressEvent, { type: "verify" }>;

    await t.step("refined on the scorer's findings, then reviewed", async () => {
      // The broken app scores under the threshold; its round answers the fixed app, over it; the
      // reviewer passes that.
      const body = notesRequest({ qualityThreshold: 90, refine: { maxRounds: 2 }, verify: true });
      await breakFirstAnswer(body);
      await injectFault({ fault: "answer", text: fixedAnswer, match: body.request, kind: "refine" });
      const { names, of, result } = await run(body);
      assert.deepEqual(names, [
        "profile",
        "plan",
        "attempt.started",
        "attempt.finished",
        "attempt.started",
        "attempt.finished",
        "refine",
        "verify",
        "result",
      ]);
      const [written, round] = of<Finished>("attempt.finished");
      assert.deepEqual([written.index, written.strategy.approach === "refine"], [0, false]);
      assert.deepEqual([round.index, round.strategy.approach], [1, "refine"]);
      assert.deepEqual(of<Refined>("refine"), [{
        type: "refine",
        round: 1,
        model: written.strategy.model,
        fromScore: written.qualityScore,
        qualityScore: round.qualityScore,
        improved: true,
      }]);
      const { model, provider, verdict } = result.verification!;
      assert.deepEqual(of<Verified>("verify"), [{ type: "verify", model, provider, verdict }]);
      assert.equal(verdict, "pass");
      assert.deepEqual(result.attempts.map((a) => a.qualityScore), [
        written.qualityScore,
        round.qualityScore,
      ]);

      const { selection, attempts } = await recordedRows(sql, result.requestId);
      assert.equal(selection.refine_rounds, 1);
      assert.deepEqual(attempts.map((row) => row.approach === "refine"), [false, true]);
      const [review] =
        await sql`select verdict from public.verifications where request_id = ${result.requestId}`;
      assert.equal(review.verdict, "pass");
    });

    await t.step("reviewed, then refined on the verifier's findings", async () => {
      // Over the threshold at once, so only the reviewer's failing verdict sends it back.
      const body = notesRequest({ qualityThreshold: 1, refine: { maxRounds: 1 }, verify: true });
      await breakFirstAnswer(body);
      await injectFault({ fault: "answer", text: fixedAnswer, match: body.request, kind: "refine" });
      const { names, of, result } = await run(body);
      assert.deepEqual(names, [
        "profile",
        "plan",
        "attempt.started",
        "attempt.finished",
        "verify",
        "attempt.started",
        "attempt.finished",
        "refine",
        "result",
      ]);
      const [written, round] = of<Finished>("attempt.finished");
      assert.deepEqual(of<Verified>("verify").map((e) => e.verdict), ["fail"]);
      assert.equal(result.verification!.verdict, "fail");
      assert.equal(result.verification!.refinedAfter, true);
      assert.deepEqual(of<Refined>("refine").map((e) => [e.round, e.fromScore, e.qualityScore, e.improved]), [
        [1, written.qualityScore, round.qualityScore, true],
      ]);
      assert.equal(result.strategy.approach, "refine");
    });
  },
);

stackTest("a quiet stream carries heartbeats while a model thinks", async () => {
  const { userId } = await asUser();
  const request = `Build a todo app (${marker()})`;
  // The model answers after a second of silence (within the attempt's timeout).
  await injectFault({ fault: "timeout", match: request, delayMs: 1_000 });
  const response = await openStream(await userToken(userId), {
    request,
    maxStrategies: 1,
    qualityThreshold: 10,
  });
  const text = await response.text();
  assert.match(text, /^: keep-alive$/m, "a comment line while nothing else happened");
  assert.match(text, /^event: result$/m);
});

stackTest("streamOrchestration hands over each event, and returns the result", async () => {
  const { client } = await asUser();
  const seen: string[] = [];
  const result = await streamOrchestration(client, {
    request: `Build a notes app (${marker()})`,
    maxStrategies: 1,
  }, {
    onEvent: (event) => seen.push(event.type),
  });
  const data = succeeded(result);
  assert.deepEqual(seen.slice(0, 2), ["profile", "plan"]);
  assert.ok(seen.includes("attempt.finished"));
  assert.equal(data.attempts.length, seen.filter((type) => type === "attempt.finished").length);
});

stackTest(
  "when every strategy fails, the stream ends with one error event; the attempts are recorded",
  async (sql) => {
    const { userId, client } = await asUser();
    const request = `Build a todo app (${marker()})`;
    await injectFault({ fault: "server", match: request, times: 50 });
    const events = await allEvents(await openStream(await userToken(userId), { request, maxStrategies: 2 }));
    const last = events.at(-1)!;
    assert.equal(last.event, "error");
    const { status, error } = last.data as {
      status: number;
      error: { code: string; details: { requestId: string } };
    };
    assert.equal(status, 502);
    assert.equal(error.code, "all_strategies_failed");
    assert.ok(events.some((event) => event.event === "attempt.finished"));
    const { attempts } = await recordedRows(sql, error.details.requestId);
    assert.ok(attempts.length >= 2 && attempts.every((row) => row.error_class === "server"));

    // The typed helper returns it as an error, with the function's code.
    await injectFault({ fault: "server", match: `${request}!`, times: 50 });
    const helped = await streamOrchestration(client, { request: `${request}!`, maxStrategies: 2 });
    assert.equal(helped.error?.status, 502);
    assert.equal(helped.error?.code, "all_strategies_failed");
  },
);

stackTest("what is refused before work starts is a plain JSON error, stream or not", async (sql) => {
  const { userId } = await asUser();
  const token = await userToken(userId);
  const invalid = await openStream(token, { request: "" });
  assert.equal(invalid.status, 400);
  assert.match(invalid.headers.get("content-type")!, /^application\/json/);
  assert.equal((await invalid.json()).error.code, "invalid_request");

  await sql`insert into public.user_settings (user_id, monthly_budget_usd) values (${userId}, 0.000001)`;
  const broke = await openStream(token, { request: "Build a todo app" });
  assert.equal(broke.status, 402);
  assert.equal((await broke.json()).error.code, "budget_exceeded");
});

stackTest(
  "a client that goes away aborts the calls in flight; what ran is recorded and settled",
  async (sql) => {
    const { userId } = await asUser();
    await sql`insert into public.user_settings (user_id, monthly_budget_usd) values (${userId}, 5)`;
    const request = `Build a todo app (${marker()})`;
    // The model stalls: the client will not wait for it.
    await injectFault({ fault: "timeout", match: request, delayMs: 20_000, times: 5 });
    const leaving = new AbortController();
    const response = await openStream(await userToken(userId), { request, maxStrategies: 1 }, leaving.signal);
    const requestId = response.headers.get("x-request-id")!;
    for await (const event of readEventStream(response.body!)) {
      if (event.event === "attempt.started") break;
    }
    await eventually(async () => (await simulatorCalls(request)).length > 0 || undefined);
    leaving.abort();

    const [call] = await eventually(async () => {
      const calls = await simulatorCalls(request);
      return calls.every((c) => c.aborted) ? calls : undefined;
    }, 5_000);
    assert.ok(call.aborted, "the model call was aborted");
    assert.ok((call.durationMs ?? 0) < 2_000, "at once, not at the attempt's own timeout");
    const { selection, attempts } = await recordedRows(sql, requestId);
    assert.equal(selection.selected_model, null);
    assert.equal(attempts[0].error_class, "cancelled");
    const ledger = await eventually(async () => {
      const [entry] = await sql`select * from public.spend_ledger where request_id = ${requestId}`;
      return entry?.status === "settled" ? entry : undefined;
    });
    assert.equal(Number(ledger.spent_usd), 0, "nothing was billed for the aborted call");
  },
);
