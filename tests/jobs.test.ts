// Jobs through the function: the lifecycle with polling, the caller's list, cancelling (the calls in flight
// aborted), an idempotent retry, another user's job, secret-key callers, a worker killed mid-job (failed by
// the sweep, its reservation charged and freed), and the user's own statistics.

import assert from "node:assert/strict";
import {
  cancelJob,
  createJob,
  getJob,
  getStats,
  invokeOrchestrator,
  JobSchema,
  listJobs,
  StatsResponseSchema,
  waitForJob,
} from "../shared/mod.ts";
import { ROOT, startRouter } from "./support/processes.ts";
import {
  asUser,
  eventually,
  functionUrl,
  injectFault,
  marker,
  recordedRows,
  serviceClient,
  simulatorCalls,
  stackTest,
  succeeded,
  userClient,
  userToken,
  withProjectSettings,
} from "./support/stack.ts";

stackTest(
  "a job runs in the background: 202 and a Location, then polling until it has its result",
  async (sql) => {
    const { userId } = await asUser();
    const token = await userToken(userId);
    const body = { request: `Build a todo app with filters (${marker()})`, maxStrategies: 2 };
    const response = await fetch(`${functionUrl}/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 202);
    const created = await response.json();
    assert.equal(created.status, "queued");
    const location = new URL(response.headers.get("location")!, `${functionUrl}/jobs`).href;
    assert.equal(location, `${functionUrl}/jobs/${created.jobId}`);

    const client = userClient(token);
    const seen: string[] = [];
    const job = succeeded(
      await waitForJob(client, created.jobId, { intervalMs: 100, onEvent: (e) => seen.push(e.type) }),
    );
    JobSchema.parse(job);
    assert.equal(job.status, "succeeded");
    assert.deepEqual(job.events.map((e) => e.type), seen, "every event seen once, in order");
    assert.deepEqual(seen.slice(0, 2), ["profile", "plan"]);
    assert.ok(seen.includes("attempt.finished"));
    assert.equal(job.error, null);
    assert.equal(job.result!.requestId, job.requestId);
    assert.ok(job.finishedAt && job.finishedAt >= job.createdAt);

    // The rows are written before the job says it has ended.
    const [selection] = await sql`select * from public.model_selections where request_id = ${job.requestId}`;
    assert.equal(selection.selected_model, job.result!.strategy.model);
    const [row] = await sql`select status, user_id, heartbeat_at from public.jobs where id = ${job.jobId}`;
    assert.deepEqual([row.status, row.user_id], ["succeeded", userId]);
    assert.ok(row.heartbeat_at);

    const listed = succeeded(await listJobs(client));
    assert.deepEqual(listed.jobs.map((j) => j.jobId), [job.jobId]);
    assert.equal(succeeded(await listJobs(client, { status: "running" })).jobs.length, 0);
    const invalid = await listJobs(client, { limit: 500 });
    assert.equal(invalid.error?.status, 400);
  },
);

stackTest("a job ends failed with the function's error when its request fails", async () => {
  const { client } = await asUser();
  const request = `Build a todo app (${marker()})`;
  await injectFault({ fault: "server", match: request, times: 50 });
  const { jobId } = succeeded(await createJob(client, { request, maxStrategies: 1 }));
  const job = succeeded(await waitForJob(client, jobId, { intervalMs: 100 }));
  assert.equal(job.status, "failed");
  assert.equal(job.error?.status, 502);
  assert.equal(job.error?.error.code, "all_strategies_failed");
  assert.equal(job.result, null);
});

stackTest(
  "cancelling a job aborts its calls in flight; a job that has ended cannot be cancelled",
  async (sql) => {
    const { client } = await asUser();
    const request = `Build a todo app (${marker()})`;
    await injectFault({ fault: "timeout", match: request, delayMs: 20_000, times: 5 });
    const { jobId } = succeeded(await createJob(client, { request, maxStrategies: 1 }));
    await eventually(async () => (await simulatorCalls(request)).length > 0 || undefined);

    const cancelled = succeeded(await cancelJob(client, jobId));
    assert.equal(cancelled.status, "cancelled");
    const [call] = await eventually(async () => {
      const calls = await simulatorCalls(request);
      return calls.length && calls.every((c) => c.aborted) ? calls : undefined;
    }, 5_000);
    assert.ok((call.durationMs ?? 0) < 2_000, "aborted at once, not at the attempt's timeout");
    const { attempts } = await recordedRows(sql, cancelled.requestId);
    assert.equal(attempts[0].error_class, "cancelled", "what ran is recorded");
    const job = succeeded(await getJob(client, jobId));
    assert.equal(job.status, "cancelled", "and the job stays cancelled");
    assert.equal(job.error?.error.code, "cancelled");

    const again = await cancelJob(client, jobId);
    assert.equal(again.error?.status, 409);
    assert.equal(again.error?.code, "job_finished");
  },
);

stackTest(
  "an Idempotency-Key returns the same job for the same body, and refuses another body",
  async (sql) => {
    const { userId, client } = await asUser();
    const request = `Build a todo app (${marker()})`;
    const key = `retry-${crypto.randomUUID()}`;
    const first = succeeded(await createJob(client, { request, maxStrategies: 1 }, { idempotencyKey: key }));
    const retried = succeeded(
      await createJob(client, { request, maxStrategies: 1 }, { idempotencyKey: key }),
    );
    assert.equal(retried.jobId, first.jobId);
    const job = succeeded(await waitForJob(client, first.jobId, { intervalMs: 100 }));
    assert.equal(job.status, "succeeded");
    const [runs] = await sql`select count(*)::int as jobs, (select count(*)::int from public.model_selections
      where user_id = ${userId}) as requests from public.jobs where user_id = ${userId}`;
    assert.deepEqual({ ...runs }, { jobs: 1, requests: 1 }, "one job, run once");

    const other = await createJob(client, { request: `${request}, with tags`, maxStrategies: 1 }, {
      idempotencyKey: key,
    });
    assert.equal(other.error?.status, 409);
    assert.equal(other.error?.code, "idempotency_conflict");
    // Keys are the user's own: another user may use the same one.
    const stranger = await asUser();
    const theirs = succeeded(
      await createJob(stranger.client, { request, maxStrategies: 1 }, { idempotencyKey: key }),
    );
    assert.notEqual(theirs.jobId, first.jobId);

    const bad = await createJob(client, { request }, { idempotencyKey: "has spaces" });
    assert.equal(bad.error?.code, "invalid_idempotency_key");
  },
);

stackTest("another user's job is not found; a secret-key caller names the user", async () => {
  const [owner, other] = [await asUser(), await asUser()];
  const { jobId } = succeeded(
    await createJob(owner.client, { request: `Build a todo app (${marker()})`, maxStrategies: 1 }),
  );
  for (const result of [await getJob(other.client, jobId), await cancelJob(other.client, jobId)]) {
    assert.equal(result.error?.status, 404);
    assert.equal(result.error?.code, "job_not_found");
  }
  assert.equal(succeeded(await listJobs(other.client)).jobs.length, 0);
  assert.equal((await getJob(owner.client, "not-a-uuid")).error?.status, 404);

  const service = serviceClient();
  assert.equal((await getJob(service, jobId)).error?.code, "user_id_required");
  assert.equal(succeeded(await getJob(service, jobId, { userId: owner.userId })).jobId, jobId);
  assert.equal((await getJob(service, jobId, { userId: other.userId })).error?.status, 404);
  const started = succeeded(
    await createJob(service, {
      request: `Build a notes app (${marker()})`,
      maxStrategies: 1,
      userId: owner.userId,
    }),
  );
  assert.equal(succeeded(await getJob(owner.client, started.jobId)).jobId, started.jobId);
});

stackTest(
  "a job whose worker dies is failed by the sweep; its reservation is charged and freed",
  async (sql) => {
    const { userId } = await asUser();
    await sql`insert into public.user_settings (user_id, monthly_budget_usd) values (${userId}, 5)`;
    const request = `Build a todo app (${marker()})`;
    await injectFault({ fault: "timeout", match: request, delayMs: 20_000, times: 5 });
    // A second worker, on its own port, over the same database and models.
    const worker = await startRouter(`${ROOT}/supabase`, {});
    try {
      const response = await fetch(`${worker.base}/functions/v1/multi-model-orchestrator/jobs`, {
        method: "POST",
        headers: { authorization: `Bearer ${await userToken(userId)}`, "content-type": "application/json" },
        body: JSON.stringify({ request, maxStrategies: 1 }),
      });
      assert.equal(response.status, 202, await response.clone().text());
      const { jobId } = await response.json();
      await eventually(async () => (await simulatorCalls(request)).length > 0 || undefined);
      const [{ request_id: requestId }] = await sql`select request_id from public.jobs where id = ${jobId}`;
      const [reserved] = await sql`select * from public.spend_ledger where request_id = ${requestId}`;
      assert.equal(reserved.status, "reserved");

      await worker.stop("SIGKILL");
      await withProjectSettings(sql, { job_stale_seconds: 1 }, async () => {
        // The sweep, as pg_cron runs it, once the worker has missed its beats.
        const failed = await eventually(async () => {
          const [{ n }] = await sql`select public.expire_stale_jobs() as n`;
          const [job] = await sql`select * from public.jobs where id = ${jobId}`;
          return job.status === "failed" ? { n, job } : undefined;
        }, 10_000);
        assert.equal(failed.job.error.error.code, "worker_lost");
      });
      const [charged] = await sql`select * from public.spend_ledger where request_id = ${requestId}`;
      assert.equal(charged.status, "expired");
      assert.equal(Number(charged.spent_usd), Number(reserved.reserved_usd), "charged in full");
      const [month] = await sql`select reserved_usd from public.spend_monthly where user_id = ${userId}`;
      assert.equal(Number(month.reserved_usd), 0, "nothing stays reserved");
      const [admission] =
        await sql`select finished_at from public.request_admissions where request_id = ${requestId}`;
      assert.ok(admission.finished_at, "its place among the user's running requests is free");
    } finally {
      await worker.stop("SIGKILL").catch(() => {});
    }
  },
);

stackTest("GET /stats: the caller's own figures, as the monitoring views compute them", async (sql) => {
  const [user, other] = [await asUser(), await asUser()];
  const data = succeeded(
    await invokeOrchestrator(user.client, { request: `Build a todo app (${marker()})`, maxStrategies: 1 }),
  );
  await recordedRows(sql, data.requestId); // written after the response
  const stats = StatsResponseSchema.parse(succeeded(await getStats(user.client, { days: 7 })));
  assert.equal(stats.totals.days, 7);
  assert.equal(stats.totals.requests, 1);
  assert.ok(stats.qualityByModel.some((row) => row.model === data.strategy.model));
  const spent = data.attempts.reduce((sum, attempt) => sum + attempt.costUsd, 0);
  assert.ok(Math.abs(stats.costPerDay.reduce((sum, day) => sum + day.costUsd, 0) - spent) < 1e-6);
  assert.deepEqual(
    stats.approaches.map((row) => row.approach),
    [...new Set(data.attempts.map((a) => a.strategy.approach))].sort(),
  );

  const theirs = succeeded(await getStats(other.client));
  assert.equal(theirs.totals.requests, 0);
  assert.deepEqual([theirs.qualityByModel, theirs.costPerDay], [[], []]);
  assert.equal((await getStats(serviceClient())).error?.code, "user_id_required");
  assert.equal(succeeded(await getStats(serviceClient(), { userId: user.userId })).totals.requests, 1);
  assert.equal((await getStats(user.client, { days: 0 })).error?.status, 400);
});

stackTest("CORS lets a browser send an Idempotency-Key and read the Location", async () => {
  const preflight = await fetch(`${functionUrl}/jobs`, {
    method: "OPTIONS",
    headers: {
      origin: "http://localhost:5173",
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type, idempotency-key",
    },
  });
  await preflight.body?.cancel();
  assert.ok(preflight.ok);
  assert.match(preflight.headers.get("access-control-allow-headers")!, /idempotency-key/);
  const { client } = await asUser();
  const { data, response } = await client.functions.invoke("multi-model-orchestrator/jobs", {
    body: { request: `Build a todo app (${marker()})`, maxStrategies: 1 },
  }) as unknown as { data: { jobId: string }; response: Response };
  assert.ok(data.jobId);
  assert.match(response.headers.get("access-control-expose-headers")!, /location/);
});
