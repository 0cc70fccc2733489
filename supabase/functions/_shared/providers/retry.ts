// Retries of one model call: on rate limits, server and network errors only (never on invalid
// requests, safety blocks, malformed output or timeouts), with exponential backoff and jitter, honouring
// the provider's Retry-After, capped in count and in time, and cut short by the caller's signal.

import type { Clock, Random } from "../clock.ts";
import type { ErrorClass } from "../contract.ts";
import { abortClass, type Provider, ProviderError } from "./types.ts";

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts once this long has passed since the first try. */
  maxElapsedMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  baseDelayMs: 400,
  maxDelayMs: 5_000,
  maxElapsedMs: 15_000,
};

const RETRYABLE = new Set<ErrorClass>(["rate_limit", "server", "network"]);

/** The delay before retry number `retry` (0-based): exponential, half fixed and half random. */
export function backoffMs(policy: RetryPolicy, retry: number, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + random * ceiling / 2);
}

function withRetries(error: ProviderError, retries: number): ProviderError {
  return new ProviderError(error.errorClass, error.message, { ...error.details, retries });
}

export function retrying(provider: Provider, policy: RetryPolicy, clock: Clock, random: Random): Provider {
  return {
    name: provider.name,
    async generate(request, signal) {
      const started = clock.now();
      for (let retries = 0;; retries++) {
        try {
          return { ...(await provider.generate(request, signal)), retries };
        } catch (caught) {
          const error = caught instanceof ProviderError
            ? caught
            : new ProviderError("unknown", String(caught));
          if (!RETRYABLE.has(error.errorClass) || retries >= policy.maxRetries || signal.aborted) {
            throw withRetries(error, retries);
          }
          const delay = Math.max(backoffMs(policy, retries, random()), error.details.retryAfterMs ?? 0);
          // A provider asking for a longer pause than the policy allows is not retried now.
          if (delay > policy.maxDelayMs || clock.now() - started + delay > policy.maxElapsedMs) {
            throw withRetries(error, retries);
          }
          try {
            await clock.sleep(delay, signal);
          } catch {
            // The deadline came before the retry: the call failed for the reason it failed for.
            if (abortClass(signal) === "timeout") throw withRetries(error, retries);
            throw withRetries(
              new ProviderError("cancelled", `cancelled while waiting to retry: ${error.message}`),
              retries,
            );
          }
        }
      }
    },
  };
}
