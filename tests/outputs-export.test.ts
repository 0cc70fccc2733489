// What a request produced, kept only when the project and the user allow it, and read back: the export in
// JSONL (fine-tuning) and CSV (analysis) with each filter, a user's own rows only, the secret key's scope,
// `npm run export`, and an export of 10,000 requests streamed in constant memory.

import assert from "node:assert/strict";
import { exportData, ExportLineSchema, invokeOrchestrator, sendFeedback } from "../shared/mod.ts";
import { ROOT, runScript, startRouter } from "./support/processes.ts";
import {
  asAuthenticated,
  asUser,
  marker,
  recordedRows,
  serviceClient,
  type Sql,
  stack,
  stackTest,
  succeeded,
  userToken,
} from "./support/stack.ts";

async function allowOutputs(sql: Sql, userId: string, allowed = true) {
  await sql`insert into public.user_settings (user_id, store_outputs) values (${userId}, ${allowed})
    on conflict (user_id) do update set store_outputs = excluded.store_outputs`;
}

const storedOutput = async (sql: Sql, requestId: string) =>
  (await sql`select * from public.request_outputs where request_id = ${requestId}`)[0];

stackTest("outputs are kept only when the project and the user both allow it", async (sql) => {
  const { userId, client } = await asUser();
  const request = `Build a todo app (${marker()})`;
  const body = {
    request,
    maxStrategies: 1,
    cache: false,
    context: { files: [{ path: "src/old.ts", content: "x" }] },
  };

  const unasked = succeeded(await invokeOrchestrator(client, body));
  await recordedRows(sql, unasked.requestId);
  assert.equal(await storedOutput(sql, unasked.requestId), undefined, "the user did not allow it");

  await allowOutputs(sql, userId);
  const allowed = succeeded(await invokeOrchestrator(client, body));
  await recordedRows(sql, allowed.requestId);
  const kept = await storedOutput(sql, allowed.requestId);
  assert.equal(kept.request_text, request);
  assert.deepEqual(kept.context_paths, ["src/old.ts"]);
  assert.deepEqual(kept.files, allowed.files);

  // A worker of a project that keeps no outputs (ORCHESTRATOR_STORE_OUTPUTS unset) keeps none.
  const worker = await startRouter(`${ROOT}/supabase`, { ORCHESTRATOR_STORE_OUTPUTS: "false" });
  try {
    const response = await fetch(`${worker.base}/functions/v1/multi-model-orchestrator`, {
      method: "POST",
      headers: { authorization: `Bearer ${await userToken(userId)}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const { requestId } = await response.json();
    await recordedRows(sql, requestId);
    assert.equal(await storedOutput(sql, requestId), undefined, "the project did not allow it");
  } finally {
    await worker.stop();
  }

  // The user may delete their own, and only their own; deleting the user deletes them.
  const asUserSql = (id: string, query: string) => asAuthenticated(sql, id, (tx) => tx.unsafe(query));
  const other = await asUser();
  await asUserSql(
    other.userId,
    `delete from public.request_outputs where request_id = '${allowed.requestId}'`,
  );
  assert.ok(await storedOutput(sql, allowed.requestId), "another user cannot delete it");
  await asUserSql(userId, `delete from public.request_outputs where request_id = '${allowed.requestId}'`);
  assert.equal(await storedOutput(sql, allowed.requestId), undefined, "its user can");

  const again = succeeded(await invokeOrchestrator(client, { ...body, request: `${request}!` }));
  await recordedRows(sql, again.requestId);
  await sql`insert into auth.users (id) values (${userId})`;
  await sql`delete from auth.users where id = ${userId}`;
  assert.equal(await storedOutput(sql, again.requestId), undefined, "deleted with the user");
});

/** Three requests of one user: a fix (rejected), a generation (accepted) and another generation. */
async function seedRequests(sql: Sql) {
  const user = await asUser();
  await allowOutputs(sql, user.userId);
  const ref = marker();
  const run = async (request: string) => {
    const data = succeeded(
      await invokeOrchestrator(user.client, { request, maxStrategies: 2, mode: "parallel" }),
    );
    await recordedRows(sql, data.requestId);
    return data;
  };
  const fix = await run(`Fix the crash in src/App.tsx when the list is empty (${ref})`);
  const todo = await run(`Build a todo app (${ref})`);
  const notes = await run(`Build a notes app with search (${ref})`);
  succeeded(await sendFeedback(user.client, { requestId: fix.requestId, accepted: false }));
  succeeded(await sendFeedback(user.client, { requestId: todo.requestId, accepted: true, rating: 5 }));
  return { user, fix, todo, notes };
}

const jsonl = (text: string) =>
  text.trim().split("\n").filter(Boolean).map((line) => ExportLineSchema.parse(JSON.parse(line)));
const csvRequests = (text: string) =>
  new Set(text.trim().split("\r\n").slice(1).map((line) => line.split(",")[0]));

stackTest("export: JSONL for fine-tuning, CSV for analysis, each filter, own rows only", async (sql, t) => {
  const { user, fix, todo, notes } = await seedRequests(sql);
  const ids = (lines: ReturnType<typeof jsonl>) => lines.map((line) => line.metadata.requestId).sort();

  await t.step("JSONL: one chat line per request, with its metadata", async () => {
    const lines = jsonl(succeeded(await exportData(user.client, { format: "jsonl" })));
    assert.deepEqual(ids(lines), [fix.requestId, todo.requestId, notes.requestId].sort());
    const line = lines.find((l) => l.metadata.requestId === todo.requestId)!;
    assert.deepEqual(line.messages.map((m) => m.role), ["system", "user", "assistant"]);
    assert.ok(line.messages[1].content.includes(`Build a todo app`));
    assert.deepEqual(JSON.parse(line.messages[2].content), { files: todo.files });
    assert.deepEqual(
      [
        line.metadata.model,
        line.metadata.quality,
        line.metadata.confidence,
        line.metadata.feedback,
        line.metadata.rating,
      ],
      [todo.strategy.model, todo.qualityScore, todo.confidence, "accepted", 5],
    );
  });

  await t.step("CSV: one row per attempt", async () => {
    const text = succeeded(await exportData(user.client, { format: "csv" }));
    const rows = text.trim().split("\r\n");
    assert.ok(rows[0].startsWith("request_id,created_at,task_type,complexity"));
    const attempts = fix.attempts.length + todo.attempts.length + notes.attempts.length;
    assert.equal(rows.length - 1, attempts);
  });

  await t.step("each filter", async () => {
    const only = async (query: Record<string, string | number>) =>
      ids(jsonl(succeeded(await exportData(user.client, { format: "jsonl", ...query }))));
    assert.deepEqual(await only({ taskType: "fix" }), [fix.requestId]);
    assert.deepEqual(await only({ feedback: "rejected" }), [fix.requestId]);
    assert.deepEqual(await only({ feedback: "accepted" }), [todo.requestId]);
    assert.deepEqual(await only({ feedback: "none" }), [notes.requestId]);
    assert.deepEqual(
      await only({ feedback: "any" }),
      [fix.requestId, todo.requestId, notes.requestId].sort(),
      "any: with feedback either way and without",
    );
    const top = Math.max(fix.qualityScore, todo.qualityScore, notes.qualityScore);
    const best = [fix, todo, notes].filter((d) => d.qualityScore >= top).map((d) => d.requestId).sort();
    assert.deepEqual(await only({ minQuality: top }), best);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    assert.deepEqual(await only({ from: tomorrow }), []);
    assert.equal((await only({ to: tomorrow })).length, 3);
    assert.equal((await only({ model: "no-such-model" })).length, 0);
    assert.ok((await only({ model: todo.strategy.model })).includes(todo.requestId));
    const bad = await exportData(user.client, { format: "jsonl", from: "yesterday" });
    assert.equal(bad.error?.status, 400);
  });

  await t.step("a user exports only their own rows; a secret key everyone's, or one user's", async () => {
    const stranger = await asUser();
    assert.equal(succeeded(await exportData(stranger.client, { format: "jsonl" })).trim(), "");
    const named = await exportData(stranger.client, { format: "jsonl", userId: user.userId });
    assert.equal(named.error?.status, 403);
    const service = serviceClient();
    const theirs = jsonl(succeeded(await exportData(service, { format: "jsonl", userId: user.userId })));
    assert.equal(theirs.length, 3);
    const everyone = csvRequests(succeeded(await exportData(service, { format: "csv" })));
    for (const data of [fix, todo, notes]) assert.ok(everyone.has(data.requestId));
  });

  await t.step("a row written by another tool, with a bare profile, exports as what it holds", async () => {
    const other = await asUser();
    const requestId = crypto.randomUUID();
    await sql`insert into public.model_selections (user_id, request_id, task_type, task_profile, mode)
      values (${other.userId}, ${requestId}, 'generation', '{}', 'sequential')`;
    await sql`insert into public.model_performance (user_id, request_id, task_type, request_complexity,
      model_name, provider, approach, success, error_class, duration_ms)
      values (${other.userId}, ${requestId}, 'generation', 'low', 'some-model', 'p', 'simple', false, 'timeout', 5)`;
    const csv = succeeded(await exportData(serviceClient(), { format: "csv", userId: other.userId }));
    const [row] = csv.trim().split("\r\n").slice(1);
    assert.match(row, new RegExp(`^${requestId},[^,]+,generation,,,sequential,`));
    const everyone = csvRequests(succeeded(await exportData(serviceClient(), { format: "csv" })));
    for (const id of [fix.requestId, requestId]) assert.ok(everyone.has(id));
    assert.equal(succeeded(await exportData(other.client, { format: "jsonl" })).trim(), "");
  });

  await t.step("npm run export streams the same to a file", async () => {
    const out = await Deno.makeTempFile({ suffix: ".jsonl" });
    const env = { SUPABASE_URL: stack.url, SUPABASE_SECRET_KEY: stack.secretKey };
    const result = await runScript("export.ts", [
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-write",
    ], [
      "--format",
      "jsonl",
      "--user-id",
      user.userId,
      "--out",
      out,
    ], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(jsonl(await Deno.readTextFile(out)).length, 3);
    const refused = await runScript("export.ts", ["--allow-all"], ["--format", "xml"], env);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /format/);
  });
});

/** The resident memory of a process, in bytes. */
async function residentBytes(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(status.match(/^VmRSS:\s+(\d+) kB$/m)![1]) * 1024;
}

/** `count` requests of a user with a stored output of about 5 KB each (some 6 KB of JSONL a request),
 * made `daysAgo` days ago. */
async function seedExport(sql: Sql, userId: string, count: number, daysAgo: number) {
  const content = "export const line = 'x';\n".repeat(200);
  const ids = await sql`insert into public.model_selections (user_id, request_id, task_type, task_profile,
      selected_model, selected_provider, selected_approach, quality_score, mode, tier, created_at)
    select ${userId}, gen_random_uuid(), 'generation', ${
    sql.json({
      taskType: "generation",
      complexity: "low",
      complexityScore: 0.1,
      requirements: [],
      taskScores: {},
      taskTypeConfidence: 1,
      contextFileCount: 0,
    })
  }, 'gemini-2.5-flash', 'gemini', 'simple', 80, 'sequential', 'balanced',
      now() - make_interval(days => ${daysAgo})
    from generate_series(1, ${count}) returning request_id`;
  await sql`insert into public.request_outputs (request_id, user_id, request_text, files)
    select request_id, ${userId}, 'Build a todo app', ${sql.json([{ path: "src/App.tsx", content }])}
    from unnest(${ids.map((row) => row.request_id)}::uuid[]) as r (request_id)`;
}

const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

stackTest(
  "an export of 10,000 requests streams in constant memory: twice as many take no more",
  async (sql) => {
    // 10,000 requests of two days ago and 10,000 of today: an export from yesterday on is 10,000 lines
    // (some 65 MB of JSONL), one without a filter 20,000 (some 130 MB).
    const { userId } = await asUser();
    await seedExport(sql, userId, 10_000, 2);
    await seedExport(sql, userId, 10_000, 0);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

    // The worker's V8 heap is capped (an old generation of 64 MB, less than either export's text, let alone
    // its rows as read; a young one of a few MB): held whole, an export cannot finish (the worker dies out
    // of memory). The cap also keeps the collector from letting garbage pile up as far as it likes, which
    // would show as growth that holds nothing (uncapped: 170 MB for the first export, 45 MB more for the
    // second, streamed as it is).
    const worker = await startRouter(`${ROOT}/supabase`, {}, {
      v8Flags: ["--max-old-space-size=64", "--max-semi-space-size=2"],
    });
    try {
      const token = await userToken(userId);
      /** Exports, reading the worker's resident memory as it goes: the lines, the bytes, the highest reading. */
      const exportOnce = async (query: string) => {
        const response = await fetch(
          `${worker.base}/functions/v1/multi-model-orchestrator/export?format=jsonl${query}`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        assert.equal(response.status, 200);
        let [bytes, lines, chunks, peak] = [0, 0, 0, 0];
        for await (const chunk of response.body!) {
          bytes += chunk.byteLength;
          for (const byte of chunk) if (byte === 10) lines++;
          if (chunks++ % 10 === 0) peak = Math.max(peak, await residentBytes(worker.pid));
        }
        return { bytes, lines, peak: Math.max(peak, await residentBytes(worker.pid)) };
      };
      // Warm: the worker has loaded everything an export needs, and its heap has grown as far as it does.
      assert.equal((await exportOnce(`&from=${yesterday}`)).lines, 10_000);
      const before = await residentBytes(worker.pid);
      const some = await exportOnce(`&from=${yesterday}`);
      const all = await exportOnce("");
      assert.deepEqual([some.lines, all.lines], [10_000, 20_000]);
      assert.ok(some.bytes > 60_000_000, `${some.bytes} bytes exported`);
      const [first, second] = [some.peak - before, all.peak - before];
      const figures = `exported ${MB(some.bytes)}, then ${MB(all.bytes)}: the worker's memory grew by ${
        MB(first)
      }, then by ${MB(second)} (from ${MB(before)})`;
      console.log(figures);
      // Held whole, an export grows the worker by more than its size; streamed, by a few batches and what the
      // collector has not yet taken back, whatever the size (seen: 7 to 20 MB for either).
      assert.ok(Math.max(first, second) < some.bytes / 2, `both well under the bytes exported: ${figures}`);
      assert.ok(
        second - first < (all.bytes - some.bytes) / 4,
        `twice the rows take no more memory: ${figures}`,
      );
    } catch (error) {
      const { status, log } = await worker.stop();
      throw new Error(`${error}; the worker: ${JSON.stringify(status)} ${log.slice(-800)}`);
    }
    await worker.stop();
  },
);
