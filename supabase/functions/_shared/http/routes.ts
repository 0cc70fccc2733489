// The one route table of the function: every endpoint under /functions/v1/multi-model-orchestrator,
// matched by its exact path and method.

import type { SupabaseContext } from "@supabase/server";
import type { OrchestrationResult } from "../orchestrate.ts";
import { Refusal } from "../refusal.ts";
import {
  estimateEndpoint,
  feedbackEndpoint,
  orchestrateEndpoint,
  recommendationsEndpoint,
} from "./endpoints.ts";
import type { HandlerDeps } from "./handler.ts";
import { metricsEndpoint, resetBreakersEndpoint } from "./operator.ts";

/** What the request's log line says about it beyond its status, filled in by the endpoint. */
export interface LogFacts {
  /** The acting user, as the log shows them (a keyed hash). */
  user: string | null;
  /** The error code answered, when the request was refused. */
  code?: string;
  result?: OrchestrationResult;
}

export interface RouteCall {
  request: Request;
  auth: SupabaseContext;
  requestId: string;
  /** When the handler started on it (performance.now()). */
  started: number;
  /** Headers every answer to this request carries. */
  headers: Record<string, string>;
  deps: HandlerDeps;
  facts: LogFacts;
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  /** After the function's name: "" for the function itself, "/estimate", … */
  path: string;
  /** Only for callers holding a secret key (operators). */
  secretOnly?: boolean;
  handle(call: RouteCall): Promise<Response>;
}

export const ROUTES: readonly Route[] = [
  { method: "POST", path: "", handle: orchestrateEndpoint },
  { method: "POST", path: "/estimate", handle: estimateEndpoint },
  { method: "GET", path: "/recommendations", handle: recommendationsEndpoint },
  { method: "POST", path: "/feedback", handle: feedbackEndpoint },
  { method: "GET", path: "/metrics", secretOnly: true, handle: metricsEndpoint },
  { method: "DELETE", path: "/metrics/breakers", secretOnly: true, handle: resetBreakersEndpoint },
];

/** The route a request is for; 404 for a path no route has, 405 for a method the path does not answer. */
export function routeOf(request: Request): Route {
  const path = new URL(request.url).pathname.replace(/^\/[^/]+/, "").replace(/\/$/, "");
  const routes = ROUTES.filter((route) => route.path === path);
  if (routes.length === 0) {
    const endpoints = ROUTES.map((route) => `${route.method} ${route.path || "/"}`).join(", ");
    throw new Refusal(404, "not_found", `nothing at "${path}": the endpoints are ${endpoints}`);
  }
  const route = routes.find((candidate) => candidate.method === request.method);
  if (!route) {
    const allowed = routes.map((candidate) => candidate.method).join(", ");
    throw new Refusal(405, "method_not_allowed", `${request.method} is not allowed; use ${allowed}`);
  }
  return route;
}
