// Persistence against the real database: one request's rows in one statement, a retry that writes
// nothing twice, a connection that fails and then comes back, and a database that stays away.

import assert from "node:assert/strict";
import type { OrchestrationRecords } from "../supabase/functions/_shared/store/records.ts";
import { persistRecords } from "../supabase/functions/_shared/store/persist.ts";
import { createPostgresStore } from "../supabase/functions/_shared/store/postgres.ts";
import { freePort } from "./support/processes.ts";
import { database, stack } from "./support/stack.ts";

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, fn, sanitizeOps: false, sanitizeResources: false });

function records(): OrchestrationRecords {
  const userId = crypto.randomUUID();
  const requestId = crypto.randomUUID();
  const attempt = {
    user_id: userId,
    request_id: requestId,
    task_type: "generation",
    request_complexity: "medium",
    provider: "gemini",
    approach: "simple",
    duration_ms: 1200,
    input_tokens: 100,
    output_tokens: 900,
  };
  return {
    selection: {
      user_id: userId,
      request_id: requestId,
      task_type: "generation",
      task_profile: { taskType: "generation" },
      selected_model: "gemini-2.5-flash",
      selected_provider: "gemini",
      selected_approach: "simple",
      alternative_models: ["gemini-2.5-pro"],
      quality_score: 88.5,
      mode: "sequential",
      was_optimal: false,
    },
    attempts: [
      {
        ...attempt,
        model_name: "gemini-2.5-pro",
        success: false,
        error_class: "timeout",
        quality_score: null,
        cost_usd: 0.0091,
        metadata: { planRank: 0 },
      },
      {
        ...attempt,
        model_name: "gemini-2.5-flash",
        success: true,
        quality_score: 88.5,
        quality_breakdown: { completeness: 90 },
        cost_usd: 0.00228,
        file_count: 7,
        metadata: { planRank: 1 },
      },
    ],
  };
}

/** A TCP proxy to the test database, to have a real connection that first fails and then works. */
function proxyTo(listenPort: number, targetPort: number): Deno.Listener {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: listenPort });
  (async () => {
    for await (const client of listener) {
      const server = await Deno.connect({ hostname: "127.0.0.1", port: targetPort });
      client.readable.pipeTo(server.writable).catch(() => {});
      server.readable.pipeTo(client.writable).catch(() => {});
    }
  })().catch(() => {});
  return listener;
}

test("a request's rows are written in one statement, and writing them again adds nothing", async () => {
  const store = createPostgresStore(stack.dbUrl);
  const sql = database();
  try {
    const written = records();
    await store.record(written);
    await store.record(written);
    const requestId = written.selection.request_id;
    const selections = await sql`select * from public.model_selections where request_id = ${requestId}`;
    const attempts =
      await sql`select * from public.model_performance where request_id = ${requestId} order by id`;
    assert.equal(selections.length, 1);
    assert.deepEqual(selections[0].alternative_models, ["gemini-2.5-pro"]);
    assert.equal(attempts.length, 2);
    assert.deepEqual(attempts.map((row) => [row.model_name, row.success, row.error_class]), [
      ["gemini-2.5-pro", false, "timeout"],
      ["gemini-2.5-flash", true, null],
    ]);
    assert.equal(Number(attempts[1].cost_usd), 0.00228);
    assert.deepEqual(attempts[1].quality_breakdown, { completeness: 90 });
    assert.deepEqual(attempts[0].metadata, { planRank: 0 });
  } finally {
    await Promise.all([store.close(), sql.end()]);
  }
});

test("what a request writes reaches Postgres as it was, whatever its text holds", async () => {
  // The request path writes its values into the statement as escape-string literals (store/postgres.ts):
  // quotes, backslashes, escapes that look like SQL's own, dollar quotes and non-ASCII text survive.
  const store = createPostgresStore(stack.dbUrl);
  const sql = database();
  try {
    const written = records();
    const tricky = `it's \\ a "test" \\' ); drop table x; -- $$ \\n \\x41 ü 🚀\nline two\t`;
    written.selection.task_profile = { taskType: "generation", note: tricky };
    await store.record(written);
    const [row] = await sql`select task_profile from public.model_selections
      where request_id = ${written.selection.request_id}`;
    assert.equal(row.task_profile.note, tricky);
    const context = await store.readRequestContext(
      written.selection.user_id,
      crypto.randomUUID(),
      {
        taskType: "generation",
        complexity: "medium",
      },
      [tricky],
      false,
      tricky,
    );
    assert.equal(context.cached, null);
    // the models to rank arrive as the strings they are: no model has that name
    assert.deepEqual(context.context.ranking, []);
  } finally {
    await store.close();
    await sql.end();
  }
});

test("a failed write is retried with backoff and lands once the database answers", async () => {
  const port = freePort();
  const store = createPostgresStore(`postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`);
  const sql = database();
  const dbPort = Number(new URL(stack.dbUrl).port);
  const delays: number[] = [];
  const logged: Array<Record<string, unknown>> = [];
  let proxy: Deno.Listener | undefined;
  try {
    const written = records();
    const unwritten = { requests: 0, rows: 0 };
    const ok = await persistRecords(store, written, {
      attempts: 4,
      baseDelayMs: 100,
      unwritten,
      log: (entry) => logged.push(entry),
      sleep: (ms) => {
        delays.push(ms);
        proxy ??= proxyTo(port, dbPort); // the database "comes back" during the first backoff
        return Promise.resolve();
      },
    });
    assert.equal(ok, true);
    assert.equal(delays.length, 1);
    assert.ok(delays[0] >= 50 && delays[0] <= 100, `backoff with jitter: ${delays[0]}`);
    assert.deepEqual(logged.map((entry) => entry.msg), ["persist_retry"]);
    assert.deepEqual(unwritten, { requests: 0, rows: 0 }, "a write that landed is not counted as lost");
    assert.equal(logged[0].requestId, written.selection.request_id);
    const rows = await sql`select count(*)::int as n from public.model_performance
      where request_id = ${written.selection.request_id}`;
    assert.equal(rows[0].n, 2);
  } finally {
    proxy?.close();
    await Promise.all([store.close(), sql.end()]);
  }
});

test("a database that stays away: every attempt is logged, the last as an error naming the request", async () => {
  const store = createPostgresStore(`postgresql://postgres@127.0.0.1:${freePort()}/postgres?sslmode=disable`);
  const delays: number[] = [];
  const logged: Array<Record<string, unknown>> = [];
  try {
    const written = records();
    const unwritten = { requests: 5, rows: 40 };
    const ok = await persistRecords(store, written, {
      attempts: 3,
      baseDelayMs: 100,
      unwritten,
      log: (entry) => logged.push(entry),
      sleep: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
    });
    assert.equal(ok, false);
    assert.equal(delays.length, 2);
    assert.ok(delays[1] > delays[0] / 2 && delays[1] <= 400, "exponential backoff");
    assert.deepEqual(logged.map((entry) => [entry.level, entry.msg]), [
      ["warn", "persist_retry"],
      ["warn", "persist_retry"],
      ["error", "persist_failed"],
    ]);
    assert.equal(logged[2].requestId, written.selection.request_id);
    assert.equal(logged[2].rows, 3);
    assert.deepEqual(unwritten, { requests: 6, rows: 43 }, "the lost rows are counted");
    assert.equal(logged[2].unwrittenRowsTotal, 43);
  } finally {
    await store.close();
  }
});

test("requests written at once over the same models never deadlock, and the pooled statistics stay exact", async () => {
  // Two users, each with history on one of two models, then both at once on both: each request's
  // statistics upsert inserts the rows of the model it has not used and updates those of the one it has,
  // in two passes, which before the pair locks (migration 20261201200100) could each hold what the other
  // request's next pass wanted.
  const store = createPostgresStore(stack.dbUrl, { requests: 1, records: 16 });
  const sql = database();
  const models = ["gemini-2.5-pro", "gemini-2.5-flash"];
  const request = (userId: string, order: string[]) => {
    const written = records();
    const requestId = crypto.randomUUID();
    written.selection = { ...written.selection, user_id: userId, request_id: requestId, task_type: "test" };
    written.attempts = order.map((model, rank) => ({
      ...written.attempts[1],
      user_id: userId,
      request_id: requestId,
      task_type: "test",
      model_name: model,
      metadata: { planRank: rank },
    }));
    written.selection.selected_model = order.at(-1)!;
    return written;
  };
  try {
    const pairs = Array.from({ length: 40 }, () => [crypto.randomUUID(), crypto.randomUUID()]);
    for (const [first, second] of pairs) {
      await store.record(request(first, [models[0]]));
      await store.record(request(second, [models[1]]));
    }
    const outcomes = await Promise.allSettled(pairs.flatMap(([first, second]) => [
      store.record(request(first, models)),
      store.record(request(second, [...models].reverse())),
    ]));
    const failures = outcomes.filter((outcome) => outcome.status === "rejected");
    assert.deepEqual(failures.map((failure) => String((failure as PromiseRejectedResult).reason)), []);
    const users = pairs.flat();
    const [{ attempts }] = await sql`select count(*)::int as attempts from public.model_performance
      where user_id in ${sql(users)}`;
    assert.equal(attempts, 40 * 2 + 40 * 2 * 2);
    // strategy_stats is the pooled sum of the user rows, row for row
    const [{ differing }] = await sql`
      with rebuilt as (
        select share.task_type, share.complexity, share.model_name, share.approach, sum(share.users) as users,
          sum(share.attempts) as attempts
        from public.strategy_stats_by_user u
        cross join lateral public.pooled_share(u, (select evidence_per_user from public.project_settings)) share
        where u.task_type = 'test' and u.model_name in ${sql(models)}
        group by 1, 2, 3, 4)
      select count(*)::int as differing
      from rebuilt r
      full join (select * from public.strategy_stats where task_type = 'test' and model_name in ${
      sql(models)
    }) s
        using (task_type, complexity, model_name, approach)
      where s.users is distinct from r.users or abs(s.attempts - r.attempts) > 1e-6 or r.users is null`;
    assert.equal(differing, 0);
    // and the insight groups count the users behind them (migration 20261201210000) as the raw rows do
    const [{ insightGroupsDiffering }] = await sql`
      select count(*)::int as "insightGroupsDiffering"
      from (select * from public.insight_rollup where task_type = 'test' and attempts > 0) r
      full join (
        select p.task_type, p.request_complexity as complexity, q.requirement, p.model_name, p.approach,
          count(distinct p.user_id) as users
        from public.model_performance p
        join public.model_selections s on s.request_id = p.request_id
        cross join lateral (
          select '*' union all select jsonb_array_elements_text(coalesce(s.task_profile -> 'requirements', '[]'))
        ) as q (requirement)
        where p.task_type = 'test' and public.is_model_evidence(p.error_class)
        group by 1, 2, 3, 4, 5) g
        using (task_type, complexity, requirement, model_name, approach)
      where r.users is distinct from g.users`;
    assert.equal(insightGroupsDiffering, 0);
  } finally {
    await Promise.all([store.close(), sql.end()]);
  }
});

test("records arriving while the record connection writes go in together, and a bad one fails alone", async () => {
  const store = createPostgresStore(stack.dbUrl, { requests: 1, records: 1 });
  const sql = database();
  const rowsOf = (requestIds: string[]) =>
    sql`select s.request_id::text, s.xmin::text as transaction, count(p.id)::int as attempts
      from public.model_selections s join public.model_performance p using (request_id)
      where s.request_id in ${sql(requestIds)} group by 1, 2`;
  try {
    const together = Array.from({ length: 30 }, () => records());
    await Promise.all(together.map((one) => store.record(one)));
    const rows = await rowsOf(together.map((one) => one.selection.request_id));
    assert.equal(rows.length, 30);
    assert.ok(rows.every((row) => row.attempts === 2), "each with its two attempts");
    // rows written in one statement share its transaction: the first record went alone, the rest together
    const transactions = new Set(rows.map((row) => row.transaction));
    assert.ok(transactions.size < 10, `${transactions.size} transactions for 30 requests`);

    const withBad = Array.from({ length: 10 }, () => records());
    // the check constraint on error_class refuses this one, and with it the batch it arrives in
    withBad[7].attempts[0].error_class = "not-a-class" as never;
    const outcomes = await Promise.allSettled(withBad.map((one) => store.record(one)));
    assert.deepEqual(
      outcomes.map((outcome) => outcome.status),
      withBad.map((_, i) => i === 7 ? "rejected" : "fulfilled"),
    );
    const requestIds = withBad.map((one) => one.selection.request_id);
    assert.deepEqual(
      (await rowsOf(requestIds)).map((row) => row.request_id).sort(),
      requestIds.filter((_, i) => i !== 7).sort(),
    );
    const [{ settled }] = await sql`select count(*)::int as settled from public.spend_ledger
      where request_id in ${sql([...together, ...withBad].map((one) => one.selection.request_id))}
        and status = 'settled'`;
    assert.equal(settled, 39, "and every written request's spend settled");
  } finally {
    await Promise.all([store.close(), sql.end()]);
  }
});
