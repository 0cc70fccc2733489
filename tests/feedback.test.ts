// Feedback through the function: stored, replaced (history kept), 404 for a request that is not the
// caller's, refused when malformed, read back only by its own user (RLS), waiting for rows still being
// written, and moving the ranking: rejections make the model that won them rank lower.

import assert from "node:assert/strict";
import { invokeOrchestrator, sendFeedback } from "../shared/mod.ts";
import {
  asAuthenticated,
  asUser,
  functionUrl,
  recordedRows,
  serviceClient,
  type Sql,
  stackTest,
  succeeded,
  userToken,
} from "./support/stack.ts";

/** The expected quality of a strategy for a user on generation, as the planner reads it. */
async function expectedQuality(sql: Sql, userId: string, model: string, approach: string) {
  const [row] = await sql`select expected_quality::float8 as q
    from public.get_best_model_for_task(${userId}, 'generation') where model_name = ${model} and approach = ${approach}`;
  return row.q as number;
}

stackTest(
  "feedback is stored, replaced with its history kept, and only for the request's own user",
  async (sql) => {
    const { userId, client } = await asUser();
    const data = succeeded(
      await invokeOrchestrator(client, { request: "Build a notes app", maxStrategies: 1 }),
    );

    // Sent at once: the request's rows may still be on their way; feedback waits for them.
    const first = succeeded(
      await sendFeedback(client, { requestId: data.requestId, accepted: true, rating: 4 }),
    );
    assert.deepEqual(
      { accepted: first.accepted, rating: first.rating, replaced: first.replaced },
      { accepted: true, rating: 4, replaced: false },
    );
    const second = succeeded(
      await sendFeedback(client, {
        requestId: data.requestId,
        accepted: false,
        comment: "the login page is missing",
      }),
    );
    assert.equal(second.replaced, true);
    const rows = await sql`select accepted, rating, comment, replaced_at is not null as replaced
    from public.request_feedback where request_id = ${data.requestId} order by id`;
    assert.deepEqual(rows.map((row) => ({ ...row })), [
      { accepted: true, rating: 4, comment: null, replaced: true },
      { accepted: false, rating: null, comment: "the login page is missing", replaced: false },
    ]);

    // Another user's request is answered exactly like one that does not exist.
    const other = await asUser();
    const theirs = await sendFeedback(other.client, { requestId: data.requestId, accepted: false });
    const nobody = await sendFeedback(other.client, { requestId: crypto.randomUUID(), accepted: false });
    assert.equal(theirs.error?.status, 404);
    assert.deepEqual({ ...theirs.error, requestId: null, message: "" }, {
      ...nobody.error,
      requestId: null,
      message: "",
    });
    assert.equal(
      (await sql`select count(*)::int as n from public.request_feedback where request_id = ${data.requestId}`)[
        0
      ].n,
      2,
      "nothing written for the other user",
    );

    // A backend names the user; a user cannot name another.
    const admin = succeeded(
      await sendFeedback(serviceClient(), { requestId: data.requestId, accepted: true, userId }),
    );
    assert.equal(admin.replaced, true);
    const impostor = await fetch(`${functionUrl}/feedback`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await userToken(other.userId)}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ requestId: data.requestId, accepted: true, userId }),
    });
    assert.equal(impostor.status, 403);
    await impostor.body?.cancel();

    // RLS: a user reads their own feedback only.
    const visible = await asAuthenticated(
      sql,
      other.userId,
      (tx) => tx`select count(*)::int as n from public.request_feedback where request_id = ${data.requestId}`,
    );
    assert.equal(visible[0].n, 0);
  },
);

stackTest("malformed feedback is refused with the one error shape", async (sql, t) => {
  const { client } = await asUser();
  const cases: Array<[string, unknown]> = [
    ["no requestId", { accepted: true }],
    ["a requestId that is no uuid", { requestId: "r-1", accepted: true }],
    ["a rating of 6", { requestId: crypto.randomUUID(), accepted: true, rating: 6 }],
    ["a comment over 2,000 characters", {
      requestId: crypto.randomUUID(),
      accepted: true,
      comment: "x".repeat(2_001),
    }],
    ["a comment with a NUL", { requestId: crypto.randomUUID(), accepted: true, comment: "a\u0000b" }],
    ["a comment with a lone surrogate", {
      requestId: crypto.randomUUID(),
      accepted: true,
      comment: "a\ud800b",
    }],
    ["an unknown field", { requestId: crypto.randomUUID(), accepted: true, stars: 5 }],
  ];
  const token = await userToken((await asUser()).userId);
  for (const [name, body] of cases) {
    await t.step(name, async () => {
      const response = await fetch(`${functionUrl}/feedback`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const answer = await response.json();
      assert.equal(response.status, 400, JSON.stringify(answer));
      assert.equal(answer.error.code, "invalid_request");
    });
  }
  await t.step(
    "a comment Postgres cannot store, on the user's own request: refused, nothing written",
    async () => {
      const { userId, client: owner } = await asUser();
      const data = succeeded(
        await invokeOrchestrator(owner, { request: "Build a notes app", maxStrategies: 1 }),
      );
      await recordedRows(sql, data.requestId);
      const ownToken = await userToken(userId);
      for (const comment of ["a\u0000b", "a\ud800b", "\udc00", "b\ud83d"]) {
        const response = await fetch(`${functionUrl}/feedback`, {
          method: "POST",
          headers: { authorization: `Bearer ${ownToken}`, "content-type": "application/json" },
          body: JSON.stringify({ requestId: data.requestId, accepted: true, comment }),
        });
        assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
        const answer = await response.json();
        assert.equal(response.status, 400, `${JSON.stringify(comment)}: ${JSON.stringify(answer)}`);
        assert.equal(answer.error.code, "invalid_request");
        assert.deepEqual(answer.error.details.problems.map((p: { path: string }) => p.path), ["comment"]);
      }
      const [{ n }] =
        await sql`select count(*)::int as n from public.request_feedback where request_id = ${data.requestId}`;
      assert.equal(n, 0, "no feedback row was written");
    },
  );
  await t.step("the typed client refuses it before sending, in the same shape", async () => {
    const refused = await sendFeedback(client, { requestId: "r-1", accepted: true });
    assert.equal(refused.error?.status, 400);
    assert.equal(refused.error?.code, "invalid_request");
    assert.deepEqual(Object.keys((refused.error?.details as { problems: object[] }).problems[0]), [
      "path",
      "message",
    ]);
  });
});

stackTest("rejections count as failures: the model that won them ranks lower", async (sql) => {
  const { userId, client } = await asUser();
  const model = "gemini-3.8-flash";
  const won = [];
  for (let i = 0; i < 6; i++) {
    const data = succeeded(
      await invokeOrchestrator(client, {
        request: "Build a notes app",
        models: [model],
        maxStrategies: 1,
        explore: false,
        cache: false, // each run a real attempt to rank
      }),
    );
    await recordedRows(sql, data.requestId);
    won.push(data);
  }
  const approach = won[0].strategy.approach;
  assert.ok(won.every((data) => data.strategy.approach === approach), "one strategy won them all");
  const before = await expectedQuality(sql, userId, model, approach);
  for (const { requestId } of won) succeeded(await sendFeedback(client, { requestId, accepted: false }));
  const after = await expectedQuality(sql, userId, model, approach);
  assert.ok(after < before - 10, `expected quality ${before} → ${after}`);

  const [{ feedbacks }] = await sql`select coalesce(sum(feedbacks), 0)::int as feedbacks
    from public.feedback_acceptance where model_name = ${model}`;
  assert.ok(feedbacks >= 6, "the acceptance view counts them");
});
