// The operator endpoints of a function worker (secret key only):
//   GET    …/metrics            circuit breakers and the rows this worker could not write
//   DELETE …/metrics/breakers   closes every breaker, once an incident is fixed

import type { RouteCall } from "./routes.ts";

export function metricsEndpoint({ deps, headers }: RouteCall): Promise<Response> {
  return Promise.resolve(Response.json({
    startedAt: new Date(deps.startedAt).toISOString(),
    breakers: deps.orchestrator.breakers.snapshot(),
    unwritten: deps.persist.unwritten,
  }, { headers }));
}

export function resetBreakersEndpoint({ deps, headers }: RouteCall): Promise<Response> {
  return Promise.resolve(Response.json({ cleared: deps.orchestrator.breakers.reset() }, { headers }));
}
