// The HTTP edge of the orchestrator: auth (@supabase/server: a user JWT or a secret key) and CORS, then
// the route table, and one log line per request. Every error is JSON `{ error: { code, message,
// details? } }`; nothing is written for a refused request.

import { withSupabase, type WithSupabaseConfig } from "@supabase/server";
import type { OrchestratorDeps } from "../orchestrate.ts";
import { Refusal } from "../refusal.ts";
import type { RunningJobs } from "../jobs/run-job.ts";
import type { PersistOptions } from "../store/persist.ts";
import type { OrchestratorStore } from "../store/postgres.ts";
import { requireUserToken } from "./identity.ts";
import { requestLogEntry } from "./request-log.ts";
import { CORS, errorResponse, refusalResponse } from "./responses.ts";
import { type LogFacts, routeOf } from "./routes.ts";
import { bearerToken, type Caller, VerifiedTokens } from "./verified-tokens.ts";

export interface HandlerDeps {
  orchestrator: OrchestratorDeps;
  store: Omit<OrchestratorStore, "close">;
  /** The jobs this worker runs. */
  running: RunningJobs;
  persist: Omit<PersistOptions, "log">;
  /** Keeps background work alive after the response (EdgeRuntime.waitUntil where it exists). */
  waitUntil: (work: Promise<unknown>) => void;
  newId: () => string;
  /** When this worker started (epoch ms), for its metrics. */
  startedAt: number;
  /** The claims a user's token must carry: Supabase Auth's audience and the project's Auth URL. */
  tokens: { audience: string; issuer?: string };
  /** The user as the log shows them (request-log.ts). */
  userHash: (userId: string) => Promise<string>;
  /** How often a quiet event stream or a running job shows it is alive. */
  heartbeatMs: number;
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

/** A response with the CORS headers @supabase/server gives every answer it passes through. */
function withCors(response: Response): Response {
  try {
    for (const [name, value] of Object.entries(CORS)) response.headers.set(name, value);
    return response;
  } catch {
    // immutable headers: the same answer, anew
    const copy = new Response(response.body, response);
    for (const [name, value] of Object.entries(CORS)) copy.headers.set(name, value);
    return copy;
  }
}

export function createOrchestratorHandler(deps: HandlerDeps): (request: Request) => Promise<Response> {
  const log = deps.orchestrator.log;
  const config: WithSupabaseConfig = { auth: ["user", "secret"], cors: { headers: CORS }, ...deps.tokens };
  const verified = new VerifiedTokens();
  const handle = async (request: Request, auth: Caller): Promise<Response> => {
    const started = performance.now();
    const requestId = deps.newId();
    const headers = { "x-request-id": requestId };
    const facts: LogFacts = { user: null };
    let response: Response;
    try {
      requireUserToken(auth);
      const { route, params } = routeOf(request);
      if (route.secretOnly && auth.authMode !== "secret") {
        throw new Refusal(403, "forbidden", "this endpoint is for callers with a secret key");
      }
      response = await route.handle({ request, auth, requestId, started, headers, deps, facts, params });
    } catch (error) {
      if (error instanceof Refusal) {
        facts.code = error.code;
        response = refusalResponse(error, headers);
      } else {
        facts.code = "internal_error";
        log({
          level: "error",
          msg: "unhandled",
          requestId,
          error: String(error),
          stack: (error as Error)?.stack,
        });
        response = errorResponse(
          500,
          facts.code,
          "the orchestrator failed unexpectedly",
          { requestId },
          headers,
        );
      }
    }
    const logLine = () =>
      log(requestLogEntry({
        requestId,
        ...facts,
        status: facts.status ?? response.status,
        totalMs: performance.now() - started,
      }));
    if (facts.settled) facts.settled.then(logLine);
    else logLine();
    return response;
  };
  const authenticated = withSupabase(config, (request, auth) => {
    verified.remember(bearerToken(request), auth);
    return handle(request, auth);
  });
  return async (request) => {
    // A user's token verified before goes straight to the endpoint (verified-tokens.ts); a preflight,
    // an API key and anything else go through @supabase/server.
    const known = request.method === "OPTIONS" ? null : verified.lookup(bearerToken(request));
    if (known) return withCors(await handle(request, known));
    return normalizeAuthError(await authenticated(request));
  };
}
