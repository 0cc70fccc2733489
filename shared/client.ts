// A typed client over supabase-js for apps calling the orchestrator: bodies are checked against the
// contract before they leave, and errors come back as one shape whatever went wrong.
//   invokeOrchestrator     POST /multi-model-orchestrator               generate
//   estimateOrchestration  POST /multi-model-orchestrator/estimate      plans and costs, no model called
//   getRecommendations     GET  /multi-model-orchestrator/recommendations
//   sendFeedback           POST /multi-model-orchestrator/feedback       accept or reject a result

import { FunctionsFetchError, FunctionsHttpError, type SupabaseClient } from "@supabase/supabase-js";
import type { z } from "zod";
import {
  type ErrorBody,
  type EstimateResponse,
  type FeedbackRequest,
  FeedbackRequestSchema,
  type FeedbackResponse,
  type OrchestrateRequest,
  OrchestrateRequestSchema,
  type OrchestrateResponse,
  problemsOf,
  type RecommendationsResponse,
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

async function call<T>(
  supabase: SupabaseClient,
  path: string,
  options: { method: "GET" } | { method: "POST"; body: unknown; schema: z.ZodType },
): Promise<Result<T>> {
  if (options.method === "POST") {
    const checked = options.schema.safeParse(options.body);
    if (!checked.success) {
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
  }
  const { data, error } = await supabase.functions.invoke<T>(
    `${FUNCTION_NAME}${path}`,
    options.method === "POST" ? { method: "POST", body: options.body as Record<string, unknown> } : options,
  );
  if (!error) return { data: data!, error: null };
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

/** Calls the orchestrator with the client's session (or key) and returns its answer or its error. */
export function invokeOrchestrator(
  supabase: SupabaseClient,
  body: OrchestrateRequest,
): Promise<OrchestratorResult> {
  return call(supabase, "", { method: "POST", body, schema: OrchestrateRequestSchema });
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
  const search = new URLSearchParams(Object.entries(query).filter(([, value]) => value !== undefined));
  return call(supabase, `/recommendations${search.size ? `?${search}` : ""}`, { method: "GET" });
}

/** Accepts or rejects a result (its requestId), with an optional 1–5 rating and comment; a second call
 * replaces the first. A rejection counts as a failure of the model that produced it. */
export function sendFeedback(
  supabase: SupabaseClient,
  body: FeedbackRequest,
): Promise<Result<FeedbackResponse>> {
  return call(supabase, "/feedback", { method: "POST", body, schema: FeedbackRequestSchema });
}
