// Circuit breakers per provider and model, shared by the requests a worker serves: after repeated
// failures a model is skipped for a cooldown, then one request probes it; a success closes the breaker,
// a failure opens it again.

import type { ErrorClass } from "../contract.ts";

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  cooldownMs: number;
}

export const DEFAULT_BREAKER_OPTIONS: BreakerOptions = { failureThreshold: 5, cooldownMs: 30_000 };

/** Failures that say the model or provider is unwell; the others (a refused prompt, a bad answer) do not. */
const TRIPPING = new Set<ErrorClass>(["rate_limit", "server", "network", "timeout", "auth"]);

interface Breaker {
  failures: number;
  /** When open: the time it may be probed. */
  openUntil: number | null;
  probing: boolean;
}

export interface BreakerState {
  key: string;
  state: "closed" | "open" | "half-open";
  failures: number;
  /** Until a probe is allowed; 0 when it already is. */
  retryInMs: number;
}

export class CircuitBreakers {
  private readonly breakers = new Map<string, Breaker>();

  constructor(private readonly options: BreakerOptions, private readonly now: () => number) {}

  static key(provider: string, model: string): string {
    return `${provider}/${model}`;
  }

  /** Whether an attempt may go to this model now; while open, one probe is let through after the cooldown. */
  allow(key: string): boolean {
    const breaker = this.breakers.get(key);
    if (!breaker || breaker.openUntil === null) return true;
    if (this.now() < breaker.openUntil || breaker.probing) return false;
    breaker.probing = true;
    return true;
  }

  /** Records an attempt's end; cancelled attempts say nothing about the model and are not recorded. */
  record(key: string, outcome: { success: boolean; errorClass?: ErrorClass | null }): void {
    if (outcome.errorClass === "cancelled") {
      const breaker = this.breakers.get(key);
      if (breaker) breaker.probing = false;
      return;
    }
    if (outcome.success || !outcome.errorClass || !TRIPPING.has(outcome.errorClass)) {
      if (outcome.success) this.breakers.delete(key);
      return;
    }
    const breaker = this.breakers.get(key) ?? { failures: 0, openUntil: null, probing: false };
    breaker.failures++;
    if (breaker.probing || breaker.failures >= this.options.failureThreshold) {
      breaker.openUntil = this.now() + this.options.cooldownMs;
    }
    breaker.probing = false;
    this.breakers.set(key, breaker);
  }

  /** Closes every breaker: an operator's "it is fixed" after an incident. Returns how many there were. */
  reset(): number {
    const count = this.breakers.size;
    this.breakers.clear();
    return count;
  }

  snapshot(): BreakerState[] {
    const now = this.now();
    return [...this.breakers].map(([key, breaker]) => ({
      key,
      state: breaker.openUntil === null ? "closed" : breaker.probing ? "half-open" : "open",
      failures: breaker.failures,
      retryInMs: breaker.openUntil === null ? 0 : Math.max(0, Math.round(breaker.openUntil - now)),
    }));
  }
}
