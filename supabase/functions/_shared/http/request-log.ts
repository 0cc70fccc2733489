// One structured log line per request: what was asked for (the profile, never the prompt), what was
// tried and how it ended. No prompt text, file contents or keys; the user appears as a keyed hash.

import type { OrchestrationResult } from "../orchestrate.ts";

const encoder = new TextEncoder();

/** User hashes a worker keeps, the oldest forgotten first: a user's next request needs no new MAC. */
const KEPT_USER_HASHES = 10_000;

/**
 * A stable stand-in for user ids in logs: an HMAC-SHA-256 under a secret of the project's, so whoever
 * holds user ids (and not the secret) cannot link log lines to users. Kept per user id: WebCrypto's sign
 * hands the work to another thread and back, which under load costs more than the MAC itself.
 */
export async function userHasher(secret: string): Promise<(userId: string) => Promise<string>> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [
      "sign",
    ],
  );
  const kept = new Map<string, string>();
  return async (userId) => {
    const known = kept.get(userId);
    if (known) return known;
    const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(userId));
    const hash = [...new Uint8Array(mac).slice(0, 8)].map((byte) => byte.toString(16).padStart(2, "0")).join(
      "",
    );
    if (kept.size >= KEPT_USER_HASHES) kept.delete(kept.keys().next().value!);
    kept.set(userId, hash);
    return hash;
  };
}

export interface RequestLogInput {
  requestId: string;
  user: string | null;
  status: number;
  code?: string;
  result?: OrchestrationResult;
  totalMs: number;
}

export function requestLogEntry({ requestId, user, status, code, result, totalMs }: RequestLogInput) {
  const response = result?.ok ? result.response : null;
  const attempts = response?.attempts ?? (result && !result.ok ? result.attempts : []);
  return {
    level: status >= 500 ? "error" : status >= 400 ? "warn" : "info",
    msg: "request",
    requestId,
    user,
    status,
    ...(code ? { code } : {}),
    totalMs: Math.round(totalMs),
    ...(result?.timings ? { timings: result.timings } : {}),
    ...(response
      ? {
        profile: {
          taskType: response.profile.taskType,
          complexity: response.profile.complexity,
          requirements: response.profile.requirements,
        },
        mode: response.metrics.mode,
        winner: `${response.strategy.model}/${response.strategy.approach}`,
        qualityScore: response.qualityScore,
        confidence: response.confidence,
        ...(response.verification ? { verdict: response.verification.verdict } : {}),
        costUsd: response.metrics.totalCostUsd,
        modelWaitMs: response.metrics.modelWaitMs,
        skipped: response.metrics.skipped.map((s) => s.model),
      }
      : {}),
    attempts: attempts.map((attempt) => ({
      model: attempt.strategy.model,
      approach: attempt.strategy.approach,
      success: attempt.success,
      qualityScore: attempt.qualityScore,
      durationMs: attempt.durationMs,
      retries: attempt.retries,
      ...(attempt.error ? { error: attempt.error.class } : {}),
    })),
  };
}
