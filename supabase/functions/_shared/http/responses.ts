// The one shape of every error this API answers, { error: { code, message, details? } }, and the CORS
// headers every answer carries.

import { corsHeaders } from "@supabase/supabase-js/cors";
import type { ErrorBody } from "../contract.ts";
import type { Refusal } from "../refusal.ts";

export const CORS = {
  ...corsHeaders,
  // jobs are retried safely with an Idempotency-Key
  "Access-Control-Allow-Headers": `${corsHeaders["Access-Control-Allow-Headers"]}, idempotency-key`,
  "Access-Control-Allow-Methods": "POST, GET, DELETE, OPTIONS",
  "Access-Control-Expose-Headers": "x-request-id, retry-after, server-timing, location",
};

export function errorResponse(
  status: number,
  code: string,
  message: string,
  details?: unknown,
  headers?: HeadersInit,
) {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return Response.json(body, { status, headers });
}

export function refusalResponse(refusal: Refusal, headers: Record<string, string>): Response {
  const retry: Record<string, string> = refusal.retryAfterSeconds === undefined
    ? {}
    : { "retry-after": String(refusal.retryAfterSeconds) };
  return errorResponse(refusal.status, refusal.code, refusal.message, refusal.details, {
    ...headers,
    ...retry,
  });
}
