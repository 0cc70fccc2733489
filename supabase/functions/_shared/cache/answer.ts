// A request answered from the cache: the cached result under the request's own id, with metrics that say
// so (no strategy tried, nothing spent, the request it repeats), and the selection row that records it.

import { limitedBudget } from "../budget/ledger.ts";
import type { OrchestrateResponse } from "../contract.ts";
import type { OrchestrationCall, OrchestrationResult } from "../orchestrate.ts";
import type { Prepared } from "../plan/planning-context.ts";
import { cachedRecords } from "../store/records.ts";
import type { CachedResult } from "./result-cache.ts";

export function answeredFromCache(
  cached: CachedResult,
  { call, prepared, totalDurationMs }: {
    call: OrchestrationCall;
    prepared: Prepared;
    totalDurationMs: number;
  },
): OrchestrationResult {
  const { requestId, userId } = call;
  const response: OrchestrateResponse = {
    ...cached.response,
    requestId,
    profile: prepared.profile,
    attempts: [],
    metrics: {
      ...cached.response.metrics,
      strategiesTried: 0,
      totalDurationMs,
      totalCostUsd: 0,
      earlyExit: false,
      historyUsed: true,
      modelWaitMs: 0,
      retries: 0,
      cancelled: 0,
      explored: false,
      refineRounds: 0,
      refined: false,
      budget: limitedBudget(prepared.context?.budget),
      skipped: [],
      cache: "hit",
      cachedFrom: cached.requestId,
    },
  };
  return {
    ok: true,
    response,
    records: cachedRecords({ userId, requestId, response }),
    timings: { historyMs: Math.round(prepared.historyMs), scoringMs: 0, modelWaitMs: 0 },
  };
}
