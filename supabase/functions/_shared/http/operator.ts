// The operator endpoints of a function worker, for callers with a secret key:
//   GET    …/metrics            circuit breakers and the rows this worker could not write
//   DELETE …/metrics/breakers   closes every breaker, once an incident is fixed

import type { CircuitBreakers } from "../run/breaker.ts";
import { errorResponse } from "./responses.ts";
import type { UnwrittenCounter } from "../store/persist.ts";

export interface WorkerState {
  breakers: CircuitBreakers;
  unwritten: UnwrittenCounter;
  /** When this worker started (epoch ms). */
  startedAt: number;
}

/** The response to an operator request, or null when the request is not one. */
export function operatorResponse(
  request: Request,
  secretCaller: boolean,
  worker: WorkerState,
): Response | null {
  const path = new URL(request.url).pathname;
  const metrics = request.method === "GET" && path.endsWith("/metrics");
  const reset = request.method === "DELETE" && path.endsWith("/metrics/breakers");
  if (!metrics && !reset) return null;
  if (!secretCaller) return errorResponse(403, "forbidden", "the metrics are for callers with a secret key");
  if (reset) return Response.json({ cleared: worker.breakers.reset() });
  return Response.json({
    startedAt: new Date(worker.startedAt).toISOString(),
    breakers: worker.breakers.snapshot(),
    unwritten: worker.unwritten,
  });
}
