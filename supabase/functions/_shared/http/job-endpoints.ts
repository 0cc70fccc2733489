// The job endpoints: start a request in the background (idempotently, with an Idempotency-Key), read one
// job or the caller's list, cancel one. A job of another user is 404, as a missing one is.

import { JobListQuerySchema, LIMITS, OrchestrateRequestSchema } from "../contract.ts";
import { sha256Hex } from "../digest.ts";
import { runJob } from "../jobs/run-job.ts";
import { Refusal } from "../refusal.ts";
import { actingUser } from "./identity.ts";
import { jsonBody, queryOf } from "./request-input.ts";
import type { RouteCall } from "./routes.ts";
import * as z from "zod";

const UserQuerySchema = z.strictObject({ userId: z.uuid().optional() });

/** The Idempotency-Key header: printable ASCII, 1–200 characters. */
function idempotencyKeyOf(request: Request): string | null {
  const key = request.headers.get("idempotency-key");
  if (key === null) return null;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new Refusal(
      400,
      "invalid_idempotency_key",
      "Idempotency-Key must be 1-200 printable ASCII characters",
    );
  }
  return key;
}

function jobIdOf(call: RouteCall): string {
  const id = call.params.id;
  if (!z.uuid().safeParse(id).success) throw notFound(id);
  return id.toLowerCase();
}

const notFound = (id: string) => new Refusal(404, "job_not_found", `no job ${id} of yours`);

export async function createJobEndpoint(call: RouteCall): Promise<Response> {
  const { request, deps } = call;
  const idempotencyKey = idempotencyKeyOf(request);
  const body = await jsonBody(request, OrchestrateRequestSchema, LIMITS.bodyBytes);
  const userId = await actingUser(call, body.userId);
  const created = await deps.store.createJob({
    userId,
    requestId: deps.newId(),
    request: body,
    requestHash: await sha256Hex(JSON.stringify(body)),
    idempotencyKey,
  });
  if (created.conflict) {
    throw new Refusal(
      409,
      "idempotency_conflict",
      "this Idempotency-Key was used for another request in the last 24 hours",
      { jobId: created.jobId },
    );
  }
  const { job } = created;
  if (created.created) {
    const run = { jobId: job.jobId, requestId: job.requestId, userId, body };
    deps.waitUntil(runJob(run, { ...deps, jobs: deps.store }));
  }
  // Relative to this URL, so it holds behind any prefix the platform puts before the function's name.
  const location = new URL(request.url).pathname.endsWith("/") ? job.jobId : `jobs/${job.jobId}`;
  return Response.json({ jobId: job.jobId, status: job.status }, {
    status: 202,
    headers: { ...call.headers, location },
  });
}

/** The job a call names, and the user it acts for (`?userId=` for secret-key callers). */
async function namedJob(call: RouteCall): Promise<{ acting: string; jobId: string }> {
  const { userId } = queryOf(call.request, UserQuerySchema);
  return { acting: await actingUser(call, userId), jobId: jobIdOf(call) };
}

export async function jobEndpoint(call: RouteCall): Promise<Response> {
  const { acting, jobId } = await namedJob(call);
  const job = await call.deps.store.readJob(acting, jobId);
  if (!job) throw notFound(jobId);
  return Response.json(job, { headers: call.headers });
}

export async function listJobsEndpoint(call: RouteCall): Promise<Response> {
  const { userId, ...query } = queryOf(call.request, JobListQuerySchema);
  const acting = await actingUser(call, userId);
  return Response.json(await call.deps.store.listJobs(acting, query), { headers: call.headers });
}

export async function cancelJobEndpoint(call: RouteCall): Promise<Response> {
  const { acting, jobId } = await namedJob(call);
  const outcome = await call.deps.store.cancelJob(acting, jobId);
  if (outcome === "not_found") throw notFound(jobId);
  if (outcome === "finished") throw new Refusal(409, "job_finished", `job ${jobId} has already ended`);
  call.deps.running.cancel(jobId);
  return Response.json(await call.deps.store.readJob(acting, jobId), { headers: call.headers });
}
