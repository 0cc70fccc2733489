// The one shape of a refused request, wherever it is refused (the HTTP edge, planning, the budget, the
// run): a status, a code and a message in words, with optional details. The HTTP edge turns every
// refusal into `{ error: { code, message, details? } }`; core functions return it, the edge throws it.

import type { ErrorEvent } from "./contract.ts";

export type RefusalStatus = 400 | 401 | 402 | 403 | 404 | 405 | 408 | 409 | 413 | 415 | 429 | 500 | 502 | 503;

export class Refusal extends Error {
  constructor(
    readonly status: RefusalStatus,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Seconds a client should wait before trying again; only where waiting can help. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "Refusal";
  }

  /** The same refusal with more details (e.g. the request id and the attempts made). */
  withDetails(details: Record<string, unknown>): Refusal {
    return new Refusal(
      this.status,
      this.code,
      this.message,
      { ...this.details, ...details },
      this.retryAfterSeconds,
    );
  }

  /** As a stream's `error` event and a job's error say it: `{ status, error: { code, message, details? } }`. */
  toErrorEvent(): ErrorEvent {
    const { status, code, message, details } = this;
    return { status, error: { code, message, ...(details === undefined ? {} : { details }) } };
  }
}
