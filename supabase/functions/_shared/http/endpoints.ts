// The endpoints that act for a user: orchestrate (generate), estimate and recommendations. Each reads
// its input, resolves the acting user, makes one typed call to the core and answers its result.

import {
  FeedbackRequestSchema,
  LIMITS,
  OrchestrateRequestSchema,
  RecommendationsQuerySchema,
  StatsQuerySchema,
} from "../contract.ts";
import { recordFeedback } from "../feedback/record.ts";
import { orchestrate, type OrchestrationResult } from "../orchestrate.ts";
import { estimate, recommendations } from "../plan/advice.ts";
import { Refusal } from "../refusal.ts";
import { persistRecords } from "../store/persist.ts";
import { streamedOrchestration, wantsEventStream } from "./event-stream.ts";
import { actingUser } from "./identity.ts";
import { jsonBody, queryOf } from "./request-input.ts";
import { refusalResponse } from "./responses.ts";
import type { RouteCall } from "./routes.ts";

function refuse({ facts, headers }: RouteCall, refusal: Refusal): Response {
  facts.code = refusal.code;
  return refusalResponse(refusal, headers);
}

/** The answer of an advice call: its JSON, or its refusal. */
function answer(call: RouteCall, result: unknown): Response {
  return result instanceof Refusal ? refuse(call, result) : Response.json(result, { headers: call.headers });
}

/** A request's result as every way of running one leaves it: its rows written in the background, its
 * log facts set, a refusal's details naming the request and its attempts. */
function settled(call: RouteCall, result: OrchestrationResult): OrchestrationResult {
  const { deps, requestId, facts } = call;
  facts.result = result;
  if (result.records) {
    deps.waitUntil(
      persistRecords(deps.store, result.records, { ...deps.persist, log: deps.orchestrator.log }),
    );
  }
  if (result.ok) return result;
  facts.code = result.refusal.code;
  facts.status = result.refusal.status;
  return { ...result, refusal: result.refusal.withDetails({ requestId, attempts: result.attempts }) };
}

function plainAnswer(call: RouteCall, result: OrchestrationResult): Response {
  if (!result.ok) return refuse(call, result.refusal);
  const { historyMs, scoringMs, modelWaitMs } = result.timings;
  return Response.json(result.response, {
    headers: {
      ...call.headers,
      // Where the time went, for browser dev tools and load tests (W3C Server-Timing).
      "server-timing": `history;dur=${historyMs}, model;dur=${modelWaitMs}, scoring;dur=${scoringMs}, ` +
        `total;dur=${Math.round(performance.now() - call.started)}`,
    },
  });
}

export async function orchestrateEndpoint(call: RouteCall): Promise<Response> {
  const { request, deps, requestId } = call;
  const body = await jsonBody(request, OrchestrateRequestSchema, LIMITS.bodyBytes);
  const userId = await actingUser(call, body.userId);
  const settle = (result: OrchestrationResult) => settled(call, result);
  const plain = (result: OrchestrationResult) => plainAnswer(call, result);
  if (wantsEventStream(request)) return await streamedOrchestration({ call, body, userId, settle, plain });
  const result = await orchestrate({ body, userId, requestId, signal: request.signal }, deps.orchestrator);
  return plain(settle(result));
}

export async function estimateEndpoint(call: RouteCall): Promise<Response> {
  const body = await jsonBody(call.request, OrchestrateRequestSchema, LIMITS.bodyBytes);
  const userId = await actingUser(call, body.userId);
  return answer(call, await estimate(body, userId, call.requestId, call.deps.orchestrator));
}

export async function recommendationsEndpoint(call: RouteCall): Promise<Response> {
  const query = queryOf(call.request, RecommendationsQuerySchema);
  const userId = await actingUser(call, query.userId);
  return answer(call, await recommendations(userId, query.taskType, call.deps.orchestrator));
}

export async function statsEndpoint(call: RouteCall): Promise<Response> {
  const { userId, days } = queryOf(call.request, StatsQuerySchema);
  const acting = await actingUser(call, userId);
  return Response.json(await call.deps.store.userStats(acting, days), { headers: call.headers });
}

export async function feedbackEndpoint(call: RouteCall): Promise<Response> {
  const body = await jsonBody(call.request, FeedbackRequestSchema, LIMITS.bodyBytes);
  const userId = await actingUser(call, body.userId);
  const { store, orchestrator } = call.deps;
  const stored = await recordFeedback(
    body,
    userId,
    { feedback: store, clock: orchestrator.clock },
    call.request.signal,
  );
  if (stored instanceof Refusal) return refuse(call, stored);
  return Response.json(stored, { status: 201, headers: call.headers });
}
