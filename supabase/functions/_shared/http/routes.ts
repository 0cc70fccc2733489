// The one route table of the function: every endpoint under /functions/v1/multi-model-orchestrator,
// matched by its path (exact, but for `:name` segments, which match one segment each) and method.

import type { Caller } from "./verified-tokens.ts";
import type { OrchestrationResult } from "../orchestrate.ts";
import { Refusal } from "../refusal.ts";
import {
  estimateEndpoint,
  feedbackEndpoint,
  orchestrateEndpoint,
  recommendationsEndpoint,
  statsEndpoint,
} from "./endpoints.ts";
import { cancelJobEndpoint, createJobEndpoint, jobEndpoint, listJobsEndpoint } from "./job-endpoints.ts";
import { exportEndpoint, insightsEndpoint } from "./data-endpoints.ts";
import type { HandlerDeps } from "./handler.ts";
import { metricsEndpoint, resetBreakersEndpoint } from "./operator.ts";

/** What the request's log line says about it beyond its status, filled in by the endpoint. */
export interface LogFacts {
  /** The acting user, as the log shows them (a keyed hash). */
  user: string | null;
  /** The error code answered, when the request was refused. */
  code?: string;
  /** The status that ended it, when not the response's (a stream's error event). */
  status?: number;
  result?: OrchestrationResult;
  /** When the answer is a stream: resolves once it has ended, and the facts are complete. */
  settled?: Promise<void>;
}

export interface RouteCall {
  request: Request;
  auth: Caller;
  requestId: string;
  /** When the handler started on it (performance.now()). */
  started: number;
  /** Headers every answer to this request carries. */
  headers: Record<string, string>;
  deps: HandlerDeps;
  facts: LogFacts;
  /** The path's `:name` segments. */
  params: Record<string, string>;
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  /** After the function's name: "" for the function itself, "/estimate", "/jobs/:id", … */
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
  { method: "POST", path: "/jobs", handle: createJobEndpoint },
  { method: "GET", path: "/jobs", handle: listJobsEndpoint },
  { method: "GET", path: "/jobs/:id", handle: jobEndpoint },
  { method: "DELETE", path: "/jobs/:id", handle: cancelJobEndpoint },
  { method: "GET", path: "/stats", handle: statsEndpoint },
  { method: "GET", path: "/export", handle: exportEndpoint },
  { method: "GET", path: "/insights", handle: insightsEndpoint },
];

/** The `:name` segments of `path` when it matches the route's pattern; null when it does not. */
function match(pattern: string, path: string): Record<string, string> | null {
  const [want, have] = [pattern.split("/"), path.split("/")];
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    if (segment.startsWith(":") && have[i] !== "") params[segment.slice(1)] = decodeURIComponent(have[i]);
    else if (segment !== have[i]) return null;
  }
  return params;
}

/** The route a request is for, with its path's parameters; 404 for a path no route has, 405 for a method
 * the path does not answer. */
export function routeOf(request: Request): { route: Route; params: Record<string, string> } {
  const path = new URL(request.url).pathname.replace(/^\/[^/]+/, "").replace(/\/$/, "");
  const routes = ROUTES.filter((route) => match(route.path, path) !== null);
  if (routes.length === 0) {
    const endpoints = ROUTES.map((route) => `${route.method} ${route.path || "/"}`).join(", ");
    throw new Refusal(404, "not_found", `nothing at "${path}": the endpoints are ${endpoints}`);
  }
  const route = routes.find((candidate) => candidate.method === request.method);
  if (!route) {
    const allowed = routes.map((candidate) => candidate.method).join(", ");
    throw new Refusal(405, "method_not_allowed", `${request.method} is not allowed; use ${allowed}`);
  }
  return { route, params: match(route.path, path)! };
}
