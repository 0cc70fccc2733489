// The exact result cache through the function: a repeat is answered without calling a model, for nothing,
// under its own request id; whitespace does not make another request, a changed option does; the entry
// expires after its TTL; cache:false skips it; one user never gets another's; a rejection evicts it.

import assert from "node:assert/strict";
import { invokeOrchestrator, sendFeedback } from "../shared/mod.ts";
import {
  asUser,
  marker,
  recordedRows,
  simulatorCalls,
  type Sql,
  stackTest,
  succeeded,
  withProjectSettings,
} from "./support/stack.ts";

/** A request, its answer (recorded), and how many model calls it made. */
async function ask(
  sql: Sql,
  client: Awaited<ReturnType<typeof asUser>>["client"],
  body: Parameters<typeof invokeOrchestrator>[1],
) {
  const before = (await simulatorCalls(body.request)).length;
  const data = succeeded(await invokeOrchestrator(client, body));
  await recordedRows(sql, data.requestId);
  return { data, calls: (await simulatorCalls(body.request)).length - before };
}

stackTest("a repeat is answered from the cache: no model call, no cost, its own request id", async (sql) => {
  const { userId, client } = await asUser();
  await sql`insert into public.user_settings (user_id, monthly_budget_usd) values (${userId}, 5)`;
  const request = `Build a todo app (${marker()})`;
  const first = await ask(sql, client, { request, maxStrategies: 1 });
  assert.equal(first.data.metrics.cache, "miss");
  assert.ok(first.calls > 0);

  const repeat = await ask(sql, client, { request: `  ${request.replace(" ", "   ")}\n`, maxStrategies: 1 });
  assert.equal(repeat.calls, 0, "no model was called");
  const { data } = repeat;
  assert.equal(data.metrics.cache, "hit");
  assert.equal(data.metrics.cachedFrom, first.data.requestId);
  assert.notEqual(data.requestId, first.data.requestId);
  assert.deepEqual(data.files, first.data.files);
  assert.deepEqual([data.attempts, data.metrics.strategiesTried, data.metrics.totalCostUsd], [[], 0, 0]);
  assert.ok(data.metrics.totalDurationMs < first.data.metrics.totalDurationMs);

  const { selection, attempts } = await recordedRows(sql, data.requestId);
  assert.equal(selection.cached_from, first.data.requestId);
  assert.equal(selection.selected_model, first.data.strategy.model);
  assert.equal(attempts.length, 0, "a hit is no attempt to learn from");
  const [ledger] = await sql`select * from public.spend_ledger where request_id = ${data.requestId}`;
  assert.equal(Number(ledger?.spent_usd ?? 0), 0, "and costs nothing");

  const changed = await ask(sql, client, { request, maxStrategies: 1, tier: "premium" });
  assert.equal(changed.data.metrics.cache, "miss", "another tier is another request");
  const context = await ask(sql, client, {
    request,
    maxStrategies: 1,
    context: { files: [{ path: "src/App.tsx", content: "export {};" }] },
  });
  assert.equal(context.data.metrics.cache, "miss", "so is another context");
});

stackTest(
  "settings that change a request change its entry: a repeat still hits, the defaults' miss",
  async (sql) => {
    // The planning read asks the cache under the key of the defaults; a user whose settings give another
    // tier and refinement has it asked again under theirs.
    const { userId, client } = await asUser();
    await sql`insert into public.user_settings (user_id, default_tier, refine_rounds)
    values (${userId}, 'budget', 0)`;
    const request = `Build a notes app (${marker()})`;
    const first = await ask(sql, client, { request, maxStrategies: 1 });
    assert.deepEqual([first.data.metrics.cache, first.data.metrics.tier], ["miss", "budget"]);
    const repeat = await ask(sql, client, { request, maxStrategies: 1 });
    assert.deepEqual([repeat.data.metrics.cache, repeat.calls], ["hit", 0]);
    assert.equal(repeat.data.metrics.cachedFrom, first.data.requestId);
    const defaults = await ask(sql, client, {
      request,
      maxStrategies: 1,
      tier: "balanced",
      refine: { maxRounds: 1 },
    });
    assert.equal(defaults.data.metrics.cache, "miss", "what the defaults would give is another request");
  },
);

stackTest("an entry expires after its TTL; cache:false neither reads nor fills it", async (sql) => {
  const { client } = await asUser();
  const request = `Build a notes app (${marker()})`;
  await withProjectSettings(sql, { cache_ttl_seconds: 1 }, async () => {
    await ask(sql, client, { request, maxStrategies: 1 });
    assert.equal((await ask(sql, client, { request, maxStrategies: 1 })).data.metrics.cache, "hit");
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const expired = await ask(sql, client, { request, maxStrategies: 1 });
    assert.equal(expired.data.metrics.cache, "miss");
    assert.ok(expired.calls > 0);
  });

  const skipped = await ask(sql, client, { request, maxStrategies: 1, cache: false });
  assert.equal(skipped.data.metrics.cache, "off");
  assert.ok(skipped.calls > 0, "the models were asked although an entry exists");
  const [entry] =
    await sql`select request_id from public.result_cache where request_id = ${skipped.data.requestId}`;
  assert.equal(entry, undefined, "and the cache was not filled");

  await withProjectSettings(sql, { cache_ttl_seconds: 0 }, async () => {
    const other = `${request} with tags`;
    await ask(sql, client, { request: other, maxStrategies: 1 });
    assert.equal(
      (await ask(sql, client, { request: other, maxStrategies: 1 })).data.metrics.cache,
      "miss",
      "TTL 0: off",
    );
  });
});

stackTest("one user never gets another's cached result", async (sql) => {
  const [one, other] = [await asUser(), await asUser()];
  const request = `Build a todo app (${marker()})`;
  await ask(sql, one.client, { request, maxStrategies: 1 });
  const theirs = await ask(sql, other.client, { request, maxStrategies: 1 });
  assert.equal(theirs.data.metrics.cache, "miss");
  assert.ok(theirs.calls > 0);
});

stackTest("a rejection evicts the entry, whether of the original or of a repeat", async (sql) => {
  const { client } = await asUser();
  for (const rejectRepeat of [false, true]) {
    const request = `Build a todo app (${marker()})`;
    const first = await ask(sql, client, { request, maxStrategies: 1 });
    const repeat = await ask(sql, client, { request, maxStrategies: 1 });
    assert.equal(repeat.data.metrics.cache, "hit");
    const rejected = rejectRepeat ? repeat.data.requestId : first.data.requestId;
    succeeded(await sendFeedback(client, { requestId: rejected, accepted: false }));
    const after = await ask(sql, client, { request, maxStrategies: 1 });
    assert.equal(after.data.metrics.cache, "miss", `rejected the ${rejectRepeat ? "repeat" : "original"}`);
    assert.ok(after.calls > 0);
  }
});
