// Circuit breakers per provider and model, shared by the requests a worker serves (per worker, not
// per project: each function instance has its own): after repeated failures that say the model is
// unwell, it is skipped for a cooldown, then one request probes it. Any answer of the model closes the
// breaker — a success, or a failure that is about the answer, not the model's health; a failure that
// trips it opens it again, each time for longer. A probe that never reached the model (refused by its
// request's budget, cancelled) is no probe: the next request may probe instead.

import type { ErrorClass } from "../contract.ts";

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  cooldownMs: number;
}

export const DEFAULT_BREAKER_OPTIONS: BreakerOptions = { failureThreshold: 5, cooldownMs: 30_000 };

/** Failures that say the model or provider is unwell; the others (a refused prompt, a bad answer) do not. */
export const TRIPPING = new Set<ErrorClass>(["rate_limit", "server", "network", "timeout", "auth"]);
/** Outcomes of attempts that never reached the model: they say nothing about it. */
const NOT_REACHED = new Set<ErrorClass>(["cancelled", "budget_exceeded"]);
/** A breaker reopened after failed probes waits at most this many cooldowns. */
const MAX_BACKOFF = 16;

interface Breaker {
  failures: number;
  /** When open: the time it may be probed. */
  openUntil: number | null;
  probing: boolean;
  /** Probes that failed since it first opened: each doubles the next cooldown. */
  failedProbes: number;
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

  /** The breaker of the intent calls to a model (plan/intent.ts), apart from its requests' calls: a model
   * too slow for that call's tight timeout is not kept from the calls that have time. */
  static intentKey(provider: string, model: string): string {
    return `${CircuitBreakers.key(provider, model)} (intent call)`;
  }

  /** Whether this model refuses calls now — open, or half-open with its probe out — taking no probe. */
  refuses(key: string): boolean {
    const breaker = this.breakers.get(key);
    return !!breaker && breaker.openUntil !== null && (this.now() < breaker.openUntil || breaker.probing);
  }

  /** Whether an attempt may go to this model now; while open, one probe is let through after the cooldown. */
  allow(key: string): boolean {
    if (this.refuses(key)) return false;
    const breaker = this.breakers.get(key);
    if (breaker && breaker.openUntil !== null) breaker.probing = true;
    return true;
  }

  /** Records an attempt's end: every outcome ends a probe. */
  record(key: string, outcome: { success: boolean; errorClass?: ErrorClass | null }): void {
    const { errorClass } = outcome;
    if (!outcome.success && errorClass && NOT_REACHED.has(errorClass)) {
      const breaker = this.breakers.get(key);
      if (breaker) breaker.probing = false;
      return;
    }
    if (outcome.success || !errorClass || !TRIPPING.has(errorClass)) {
      this.breakers.delete(key); // the model answered
      return;
    }
    const breaker = this.breakers.get(key) ??
      { failures: 0, openUntil: null, probing: false, failedProbes: 0 };
    breaker.failures++;
    if (breaker.probing) breaker.failedProbes++;
    if (breaker.probing || breaker.failures >= this.options.failureThreshold) {
      const backoff = Math.min(2 ** breaker.failedProbes, MAX_BACKOFF);
      breaker.openUntil = this.now() + this.options.cooldownMs * backoff;
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
