// One structured log line per request: what was asked for (the profile, never the prompt), what was
// tried and how it ended. No prompt text, file contents or keys; the user appears as a keyed hash.

import { createHmac } from "node:crypto";
import type { OrchestrationResult } from "../orchestrate.ts";

/**
 * A stable stand-in for user ids in logs: an HMAC-SHA-256 under a secret of the project's, so whoever
 * holds user ids (and not the secret) cannot link log lines to users. node:crypto's, computed on the spot
 * (WebCrypto's sign goes to another thread and back, which under load costs more than the MAC).
 */
export function userHasher(secret: string): Promise<(userId: string) => Promise<string>> {
  return Promise.resolve((userId) =>
    Promise.resolve(createHmac("sha256", secret).update(userId).digest("hex").slice(0, 16))
  );
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
