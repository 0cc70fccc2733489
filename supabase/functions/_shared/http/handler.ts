// The HTTP edge of the orchestrator: auth (@supabase/server: a user JWT or a secret key), CORS, method,
// media type, body size and validation, then one typed call and back. Every error is JSON
// `{ error: { code, message, details? } }`; nothing is written for a rejected request.

import { type SupabaseContext, withSupabase } from "@supabase/server";
import { corsHeaders } from "@supabase/supabase-js/cors";
import {
  LIMITS,
  type OrchestrateRequest,
  OrchestrateRequestSchema,
  RecommendationsQuerySchema,
  type TaskType,
} from "../contract.ts";
import { type AdviceResult, estimate, recommendations } from "../plan/advice.ts";
import {
  orchestrate,
  type OrchestrationFailure,
  type OrchestrationResult,
  type OrchestratorDeps,
} from "../orchestrate.ts";
import { type PersistOptions, persistRecords } from "../store/persist.ts";
import { operatorResponse } from "./operator.ts";
import { errorResponse } from "./responses.ts";
import { requestLogEntry, userHash } from "./request-log.ts";
import type { OrchestratorStore } from "../store/postgres.ts";

export interface HandlerDeps {
  orchestrator: OrchestratorDeps;
  store: Pick<OrchestratorStore, "record">;
  persist: Omit<PersistOptions, "log">;
  /** Keeps background work alive after the response (EdgeRuntime.waitUntil where it exists). */
  waitUntil: (work: Promise<unknown>) => void;
  newId: () => string;
  /** When this worker started (epoch ms), for its metrics. */
  startedAt: number;
}

const CORS = {
  ...corsHeaders,
  "Access-Control-Allow-Methods": "POST, GET, DELETE, OPTIONS",
  "Access-Control-Expose-Headers": "x-request-id, retry-after, server-timing",
};

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

/** Reads the body, refusing more than `limit` bytes without buffering them. */
async function readBody(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) {
    throw new HttpError(413, "payload_too_large", `the body is limited to ${limit} bytes`);
  }
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for await (const chunk of request.body ?? new ReadableStream<Uint8Array>()) {
    size += chunk.byteLength;
    if (size > limit) throw new HttpError(413, "payload_too_large", `the body is limited to ${limit} bytes`);
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/** The endpoints under the function's path, and the method each answers. */
const ENDPOINTS: Record<string, string> = { "": "POST", "/estimate": "POST", "/recommendations": "GET" };

/** The part of the path after the function's name: "", "/estimate", "/recommendations", … */
function endpointOf(request: Request): string {
  const path = new URL(request.url).pathname.replace(/^\/[^/]+/, "").replace(/\/$/, "");
  const method = ENDPOINTS[path];
  if (method === undefined) {
    throw new HttpError(
      404,
      "not_found",
      `nothing at "${path}": the endpoints are ${
        Object.entries(ENDPOINTS).map(([endpoint, verb]) => `${verb} ${endpoint || "/"}`).join(", ")
      }`,
    );
  }
  if (request.method !== method) {
    throw new HttpError(405, "method_not_allowed", `${request.method} is not allowed; use ${method}`);
  }
  return path;
}

function invalid(problems: Array<{ path: string; message: string }>): HttpError {
  return new HttpError(
    400,
    "invalid_request",
    `the request is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
    { problems },
  );
}

async function parseRequest(request: Request): Promise<OrchestrateRequest> {
  const mediaType = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (mediaType !== "application/json") {
    throw new HttpError(415, "unsupported_media_type", "send the body as application/json", {
      received: mediaType ?? null,
    });
  }
  const text = await readBody(request, LIMITS.bodyBytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, "invalid_json", `the body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = OrchestrateRequestSchema.safeParse(json);
  if (!parsed.success) {
    throw invalid(parsed.error.issues.map((issue) => ({
      path: issue.path.join(".") || "(body)",
      message: issue.message,
    })));
  }
  return parsed.data;
}

/** GET …/recommendations: ?taskType= one of the task types (default: all), ?userId= for secret callers. */
function parseRecommendationsQuery(request: Request): { taskType?: TaskType; userId?: string } {
  const parsed = RecommendationsQuerySchema.safeParse(
    Object.fromEntries(new URL(request.url).searchParams),
  );
  if (!parsed.success) {
    throw invalid(parsed.error.issues.map((issue) => ({
      path: issue.path.join(".") || "(query)",
      message: issue.message,
    })));
  }
  return parsed.data;
}

/** Identity comes from the verified JWT; a userId in the request is honoured only for secret-key callers. */
function resolveUserId(requested: string | undefined, ctx: SupabaseContext): string {
  if (ctx.authMode === "secret") {
    if (!requested) {
      throw new HttpError(
        400,
        "user_id_required",
        "a caller with a secret key must name the userId to act for",
      );
    }
    return requested;
  }
  const userId = ctx.userClaims!.id;
  if (requested && requested !== userId) {
    throw new HttpError(403, "user_id_not_allowed", "a signed-in user cannot act for another userId");
  }
  return userId;
}

/** @supabase/server answers auth failures itself; give them this API's error shape. */
async function normalizeAuthError(response: Response): Promise<Response> {
  if (!response.headers.has("x-supabase-server-error")) return response;
  const { code, message, hint } = await response.json();
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return errorResponse(
    response.status,
    String(code).toLowerCase(),
    String(message).replace(/^\[@supabase\/server\]\s*/, ""),
    hint ? { hint } : undefined,
    headers,
  );
}

/** A refusal after validation: 400 (a model the catalog lacks), 402 (budget), 502, or 503 with Retry-After. */
function refusalResponse(
  refusal: { status: number; code: string; message: string },
  details: unknown,
  headers: Record<string, string>,
): Response {
  const retry: Record<string, string> = refusal.status === 503 ? { "retry-after": "30" } : {};
  return errorResponse(refusal.status, refusal.code, refusal.message, details, { ...headers, ...retry });
}

function failureResponse(result: OrchestrationFailure, requestId: string, headers: Record<string, string>) {
  return refusalResponse(result, { requestId, ...result.details, attempts: result.attempts }, headers);
}

function adviceResponse<T>(result: AdviceResult<T>, headers: Record<string, string>): Response {
  return result.ok
    ? Response.json(result.response, { headers })
    : refusalResponse(result, result.details, headers);
}

export function createOrchestratorHandler(deps: HandlerDeps): (request: Request) => Promise<Response> {
  const log = deps.orchestrator.log;
  const authenticated = withSupabase({ auth: ["user", "secret"], cors: CORS }, async (request, ctx) => {
    const started = performance.now();
    const requestId = deps.newId();
    const headers = { "x-request-id": requestId };
    let user: string | null = null;
    let result: OrchestrationResult | undefined;
    let code: string | undefined;
    let response: Response;
    try {
      const operator = operatorResponse(request, ctx.authMode === "secret", {
        breakers: deps.orchestrator.breakers,
        unwritten: deps.persist.unwritten,
        startedAt: deps.startedAt,
      });
      if (operator) return operator;
      const endpoint = endpointOf(request);
      const query = endpoint === "/recommendations" ? parseRecommendationsQuery(request) : null;
      const body = query ? null : await parseRequest(request);
      const userId = resolveUserId(query ? query.userId : body!.userId, ctx);
      user = await userHash(userId);
      if (endpoint !== "") {
        const advice: AdviceResult<unknown> = query
          ? await recommendations(userId, query.taskType, deps.orchestrator)
          : await estimate(body!, userId, requestId, deps.orchestrator);
        if (!advice.ok) code = advice.code;
        response = adviceResponse(advice, headers);
      } else {
        result = await orchestrate(body!, userId, requestId, deps.orchestrator, request.signal);
        if (result.records) {
          deps.waitUntil(persistRecords(deps.store, result.records, { ...deps.persist, log }));
        }
        if (result.ok) {
          const { historyMs, scoringMs, modelWaitMs } = result.timings;
          response = Response.json(result.response, {
            headers: {
              ...headers,
              // Where the time went, for browser dev tools and load tests (W3C Server-Timing).
              "server-timing":
                `history;dur=${historyMs}, model;dur=${modelWaitMs}, scoring;dur=${scoringMs}, ` +
                `total;dur=${Math.round(performance.now() - started)}`,
            },
          });
        } else {
          code = result.code;
          response = failureResponse(result, requestId, headers);
        }
      }
    } catch (error) {
      if (error instanceof HttpError) {
        code = error.code;
        response = errorResponse(error.status, error.code, error.message, error.details, headers);
      } else {
        code = "internal_error";
        log({
          level: "error",
          msg: "unhandled",
          requestId,
          error: String(error),
          stack: (error as Error)?.stack,
        });
        response = errorResponse(500, code, "the orchestrator failed unexpectedly", { requestId }, headers);
      }
    }
    log(
      requestLogEntry({
        requestId,
        user,
        status: response.status,
        code,
        result,
        totalMs: performance.now() - started,
      }),
    );
    return response;
  });
  return async (request) => normalizeAuthError(await authenticated(request));
}
