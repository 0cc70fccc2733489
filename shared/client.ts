// A typed client over supabase-js for apps calling the orchestrator: bodies are checked against the
// contract before they leave, and errors come back as one shape whatever went wrong.
//   invokeOrchestrator     POST   /multi-model-orchestrator               generate
//   streamOrchestration    POST   /multi-model-orchestrator (event stream) generate, with its progress
//   estimateOrchestration  POST   /multi-model-orchestrator/estimate      plans and costs, no model called
//   getRecommendations     GET    /multi-model-orchestrator/recommendations
//   sendFeedback           POST   /multi-model-orchestrator/feedback      accept or reject a result
//   createJob              POST   /multi-model-orchestrator/jobs          generate in the background
//   getJob, waitForJob     GET    /multi-model-orchestrator/jobs/{id}
//   listJobs               GET    /multi-model-orchestrator/jobs
//   cancelJob              DELETE /multi-model-orchestrator/jobs/{id}
//   getStats               GET    /multi-model-orchestrator/stats         the caller's own figures
//   exportData             GET    /multi-model-orchestrator/export        JSONL or CSV (npm run export streams)
//   getInsights            GET    /multi-model-orchestrator/insights      what the data says

import { FunctionsFetchError, FunctionsHttpError, type SupabaseClient } from "@supabase/supabase-js";
import type { z } from "zod";
import {
  type ErrorBody,
  type ErrorEvent,
  type EstimateResponse,
  type ExportQuery,
  type FeedbackRequest,
  FeedbackRequestSchema,
  type FeedbackResponse,
  type InsightsResponse,
  type Job,
  type JobCreated,
  type JobList,
  type JobStatus,
  type OrchestrateRequest,
  OrchestrateRequestSchema,
  type OrchestrateResponse,
  problemsOf,
  type ProgressEvent,
  type RecommendationsResponse,
  type StatsResponse,
  type TaskType,
} from "../supabase/functions/_shared/contract.ts";

export const FUNCTION_NAME = "multi-model-orchestrator";

export interface OrchestratorError {
  /** HTTP status; 0 when the request never got an answer (400 when the body was refused before it was
   * sent, with the same code and details the function would have answered). */
  status: number;
  code: string;
  message: string;
  details?: unknown;
  requestId: string | null;
}

export type Result<T> = { data: T; error: null } | { data: null; error: OrchestratorError };
export type OrchestratorResult = Result<OrchestrateResponse>;

type Query = Record<string, string | number | undefined>;

/** The refusal the function would answer for a body that breaks the contract; null when it is valid. */
function refusedLocally(body: unknown, schema: z.ZodType): { data: null; error: OrchestratorError } | null {
  const checked = schema.safeParse(body);
  if (checked.success) return null;
  const problems = problemsOf(checked.error);
  return {
    data: null,
    error: {
      status: 400,
      code: "invalid_request",
      message: `the request is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
      details: { problems },
      requestId: null,
    },
  };
}

/** supabase-js's error of a call, in the one shape. */
async function errorOf(error: Error): Promise<{ data: null; error: OrchestratorError }> {
  if (error instanceof FunctionsHttpError) {
    const response = error.context as Response;
    const requestId = response.headers.get("x-request-id");
    try {
      const payload = await response.json() as ErrorBody;
      return { data: null, error: { status: response.status, ...payload.error, requestId } };
    } catch {
      return {
        data: null,
        error: { status: response.status, code: "http_error", message: error.message, requestId },
      };
    }
  }
  const code = error instanceof FunctionsFetchError ? "network_error" : "relay_error";
  return { data: null, error: { status: 0, code, message: error.message, requestId: null } };
}

const withQuery = (path: string, query: Query = {}) => {
  const search = new URLSearchParams(
    Object.entries(query).flatMap(([name, value]) => value === undefined ? [] : [[name, String(value)]]),
  );
  return `${path}${search.size ? `?${search}` : ""}`;
};

async function call<T>(
  supabase: SupabaseClient,
  path: string,
  options:
    | { method: "GET" | "DELETE" }
    | { method: "POST"; body: unknown; schema: z.ZodType; headers?: Record<string, string> },
): Promise<Result<T>> {
  if (options.method === "POST") {
    const refused = refusedLocally(options.body, options.schema);
    if (refused) return refused;
  }
  const { data, error } = await supabase.functions.invoke<T>(
    `${FUNCTION_NAME}${path}`,
    options.method === "POST"
      ? { method: "POST", body: options.body as Record<string, unknown>, headers: options.headers }
      : { method: options.method },
  );
  return error ? await errorOf(error) : { data: data!, error: null };
}

/** Calls the orchestrator with the client's session (or key) and returns its answer or its error. */
export function invokeOrchestrator(
  supabase: SupabaseClient,
  body: OrchestrateRequest,
): Promise<OrchestratorResult> {
  return call(supabase, "", { method: "POST", body, schema: OrchestrateRequestSchema });
}

/** One server-sent event: its `event` name and its parsed `data`. */
export interface ServerSentEvent {
  event: string;
  data: unknown;
}

/** Reads a `text/event-stream` body event by event (comment lines, the heartbeats, are skipped). With a
 * reader, not `for await`, which some browsers' streams do not support. */
export async function* readEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffered = "";
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      buffered += decoder.decode(read.value, { stream: true }).replaceAll("\r\n", "\n");
      let end;
      while ((end = buffered.indexOf("\n\n")) >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        let event = "message";
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        if (data.length) yield { event, data: JSON.parse(data.join("\n")) };
      }
    }
  } finally {
    reader.releaseLock();
  }
}

export interface StreamOptions {
  /** Called with each progress event as it arrives: profile, plan, attempt.started, attempt.finished, … */
  onEvent?: (event: ProgressEvent) => void;
  /** Aborting it closes the stream, and the function aborts the model calls in flight. */
  signal?: AbortSignal;
}

/**
 * Calls the orchestrator as an event stream: `onEvent` sees the request's progress as it happens, and the
 * result (or error) is returned as `invokeOrchestrator` returns it.
 */
export async function streamOrchestration(
  supabase: SupabaseClient,
  body: OrchestrateRequest,
  options: StreamOptions = {},
): Promise<OrchestratorResult> {
  const refused = refusedLocally(body, OrchestrateRequestSchema);
  if (refused) return refused;
  const { data, error, response } = await supabase.functions.invoke<OrchestrateResponse | Response>(
    FUNCTION_NAME,
    {
      method: "POST",
      body: body as Record<string, unknown>,
      headers: { accept: "text/event-stream" },
      signal: options.signal,
    },
  );
  if (error) return await errorOf(error);
  // A request refused before work started is answered as plain JSON; so is a proxy that ignored Accept.
  if (!(data instanceof Response)) return { data: data!, error: null };
  const requestId = response?.headers.get("x-request-id") ?? null;
  try {
    for await (const { event, data: payload } of readEventStream(data.body!)) {
      if (event === "result") return { data: payload as OrchestrateResponse, error: null };
      if (event === "error") {
        const { status, error: failure } = payload as ErrorEvent;
        return { data: null, error: { status, ...failure, requestId } };
      }
      options.onEvent?.(payload as ProgressEvent);
    }
  } catch (failure) {
    return { data: null, error: { status: 0, code: "network_error", message: String(failure), requestId } };
  }
  return {
    data: null,
    error: { status: 0, code: "network_error", message: "the stream ended early", requestId },
  };
}

/** What each quality tier would plan for a request, with tokens and cost; no model is called. */
export function estimateOrchestration(
  supabase: SupabaseClient,
  body: OrchestrateRequest,
): Promise<Result<EstimateResponse>> {
  return call(supabase, "/estimate", { method: "POST", body, schema: OrchestrateRequestSchema });
}

/** Per task type (all, or one), the best-ranked strategies and each tier's first choice. A caller with a
 * secret key names the user. */
export function getRecommendations(
  supabase: SupabaseClient,
  query: { taskType?: TaskType; userId?: string } = {},
): Promise<Result<RecommendationsResponse>> {
  return call(supabase, withQuery("/recommendations", query), { method: "GET" });
}

/** Accepts or rejects a result (its requestId), with an optional 1–5 rating and comment; a second call
 * replaces the first. A rejection counts as a failure of the model that produced it. */
export function sendFeedback(
  supabase: SupabaseClient,
  body: FeedbackRequest,
): Promise<Result<FeedbackResponse>> {
  return call(supabase, "/feedback", { method: "POST", body, schema: FeedbackRequestSchema });
}

/** Starts a request in the background: 202 with the job's id. With an `idempotencyKey`, a retry within
 * 24 h returns the same job instead of running it twice. */
export function createJob(
  supabase: SupabaseClient,
  body: OrchestrateRequest,
  options: { idempotencyKey?: string } = {},
): Promise<Result<JobCreated>> {
  const headers = options.idempotencyKey ? { "idempotency-key": options.idempotencyKey } : undefined;
  return call(supabase, "/jobs", { method: "POST", body, schema: OrchestrateRequestSchema, headers });
}

/** A job: its status, its progress events, and its result or error once it has ended. */
export function getJob(supabase: SupabaseClient, jobId: string, query: { userId?: string } = {}) {
  return call<Job>(supabase, withQuery(`/jobs/${encodeURIComponent(jobId)}`, query), { method: "GET" });
}

/** The caller's jobs, newest first (at most `limit`, default 20), optionally of one status. */
export function listJobs(
  supabase: SupabaseClient,
  query: { status?: JobStatus; limit?: number; userId?: string } = {},
): Promise<Result<JobList>> {
  return call(supabase, withQuery("/jobs", query), { method: "GET" });
}

/** Cancels a job that has not ended (its model calls in flight are aborted); 409 job_finished once it has. */
export function cancelJob(supabase: SupabaseClient, jobId: string, query: { userId?: string } = {}) {
  return call<Job>(supabase, withQuery(`/jobs/${encodeURIComponent(jobId)}`, query), { method: "DELETE" });
}

const FINISHED: readonly JobStatus[] = ["succeeded", "failed", "cancelled"];

/** Polls a job until it has ended; `onEvent` sees each new progress event once. */
export async function waitForJob(
  supabase: SupabaseClient,
  jobId: string,
  options: { intervalMs?: number; signal?: AbortSignal; onEvent?: (event: ProgressEvent) => void } = {},
): Promise<Result<Job>> {
  let seen = 0;
  while (true) {
    const polled = await getJob(supabase, jobId);
    if (polled.error) return polled;
    for (const event of polled.data.events.slice(seen)) options.onEvent?.(event);
    seen = polled.data.events.length;
    if (FINISHED.includes(polled.data.status)) return polled;
    if (options.signal?.aborted) {
      return {
        data: null,
        error: { status: 0, code: "aborted", message: "stopped waiting", requestId: null },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1_000));
  }
}

/** The caller's own monitoring figures over the last `days` (default 30): totals, quality by model, cost
 * per day, success by approach. */
export function getStats(
  supabase: SupabaseClient,
  query: { days?: number; userId?: string } = {},
): Promise<Result<StatsResponse>> {
  return call(supabase, withQuery("/stats", query), { method: "GET" });
}

/** An export as text: JSONL (one request a line, for fine-tuning) or CSV (one attempt a row). For large
 * exports read the endpoint as a stream instead (`npm run export` does). */
export function exportData(
  supabase: SupabaseClient,
  query: { format: ExportQuery["format"] } & Partial<Omit<ExportQuery, "format">>,
): Promise<Result<string>> {
  return call(supabase, withQuery("/export", query), { method: "GET" });
}

/** What the data says — winning strategies, trends, where refinement and review paid — each with its
 * sample sizes; a user's own rows plus what the k-user rule pools. */
export function getInsights(
  supabase: SupabaseClient,
  query: { taskType?: TaskType; userId?: string } = {},
): Promise<Result<InsightsResponse>> {
  return call(supabase, withQuery("/insights", query), { method: "GET" });
}
