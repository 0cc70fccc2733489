// A typed client over supabase-js for apps calling the orchestrator: the body is checked against the
// contract before it leaves, and errors come back as one shape whatever went wrong.

import { FunctionsFetchError, FunctionsHttpError, type SupabaseClient } from "@supabase/supabase-js";
import {
  type ErrorBody,
  type OrchestrateRequest,
  OrchestrateRequestSchema,
  type OrchestrateResponse,
} from "../supabase/functions/_shared/contract.ts";

export const FUNCTION_NAME = "multi-model-orchestrator";

export interface OrchestratorError {
  /** HTTP status; 0 when the request never got an answer. */
  status: number;
  code: string;
  message: string;
  details?: unknown;
  requestId: string | null;
}

export type OrchestratorResult =
  | { data: OrchestrateResponse; error: null }
  | { data: null; error: OrchestratorError };

/** Calls the orchestrator with the client's session (or key) and returns its answer or its error. */
export async function invokeOrchestrator(
  supabase: SupabaseClient,
  body: OrchestrateRequest,
): Promise<OrchestratorResult> {
  const checked = OrchestrateRequestSchema.safeParse(body);
  if (!checked.success) {
    return {
      data: null,
      error: {
        status: 0,
        code: "invalid_request",
        message: checked.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
        details: { problems: checked.error.issues },
        requestId: null,
      },
    };
  }
  const { data, error } = await supabase.functions.invoke<OrchestrateResponse>(FUNCTION_NAME, { body });
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
