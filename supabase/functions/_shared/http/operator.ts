// The operator endpoints of a function worker (secret key only):
//   GET    …/metrics            circuit breakers, the rows this worker could not write, and the last 7
//                               days' statistics of every user's requests
//   DELETE …/metrics/breakers   closes every breaker, once an incident is fixed

import { withTimeout } from "../clock.ts";
import type { RouteCall } from "./routes.ts";

/** The statistics come from Postgres; a database that does not answer in time leaves them null. */
const STATS_TIMEOUT_MS = 3_000;

export async function metricsEndpoint({ deps, headers }: RouteCall): Promise<Response> {
  const stats = await withTimeout(deps.store.orchestrationTotals(null, 7), STATS_TIMEOUT_MS);
  if (stats instanceof Error) {
    deps.orchestrator.log({ level: "warn", msg: "stats_failed", error: String(stats) });
  }
  return Response.json({
    startedAt: new Date(deps.startedAt).toISOString(),
    breakers: deps.orchestrator.breakers.snapshot(),
    unwritten: deps.persist.unwritten,
    stats: stats instanceof Error ? null : stats,
  }, { headers });
}

export function resetBreakersEndpoint({ deps, headers }: RouteCall): Promise<Response> {
  return Promise.resolve(Response.json({ cleared: deps.orchestrator.breakers.reset() }, { headers }));
}
