// The exact result cache: a request answered before — by the same user, with the same text (trimmed, its
// whitespace runs collapsed), context, tier, models, mode and every option that changes the output — is
// answered again from Postgres without calling a model, until its entry expires
// (project_settings.cache_ttl_seconds) or a rejection evicts it. Never across users, and never "similar":
// similar requests often need different code.

import type { Mode, OrchestrateRequest, OrchestrateResponse } from "../contract.ts";
import { sha256Hex } from "../digest.ts";
import type { PlanPolicy } from "../plan/planner.ts";
import type { QualityLoop } from "../plan/planning-context.ts";

export interface CachedResult {
  /** The request whose result it is. */
  requestId: string;
  response: OrchestrateResponse;
}

export interface ResultCache {
  cachedResponse(userId: string, cacheKey: string): Promise<CachedResult | null>;
}

/** What makes two requests the same request, as the cache sees them. */
export interface CacheKeyInput {
  userId: string;
  body: OrchestrateRequest;
  mode: Mode;
  threshold: number;
  maxStrategies: number;
  policy: Pick<PlanPolicy, "tier" | "preferLocal">;
  loop: QualityLoop;
}

/** The SHA-256 (hex) of everything that changes a request's output. */
export async function cacheKeyOf(
  { userId, body, mode, threshold, maxStrategies, policy, loop }: CacheKeyInput,
) {
  const identity = JSON.stringify([
    userId,
    body.request.trim().replace(/\s+/g, " "),
    body.context?.framework ?? null,
    (body.context?.files ?? []).map((file) => [file.path, file.content]),
    policy.tier,
    policy.preferLocal,
    body.models ? [...body.models].sort() : null,
    mode,
    threshold,
    maxStrategies,
    body.hedgeDelayMs ?? null,
    body.explore ?? true,
    loop.refineRounds,
    loop.verify,
  ]);
  return await sha256Hex(identity);
}
