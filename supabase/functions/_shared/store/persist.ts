// Writing a request's rows after the response: retried with backoff and jitter; a write that never
// succeeds is logged as a structured error with the request id and counted, never dropped silently.

import type { OrchestrationRecords } from "./records.ts";
import type { OrchestratorStore } from "./postgres.ts";

/** What a worker could not write, for its metrics. */
export interface UnwrittenCounter {
  requests: number;
  rows: number;
}

export interface PersistOptions {
  attempts: number;
  baseDelayMs: number;
  log: (entry: Record<string, unknown>) => void;
  unwritten: UnwrittenCounter;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_PERSIST_OPTIONS = { attempts: 4, baseDelayMs: 250 };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves true once written, false when every attempt failed (and that was logged). */
export async function persistRecords(
  store: Pick<OrchestratorStore, "record">,
  records: OrchestrationRecords,
  options: PersistOptions,
): Promise<boolean> {
  const sleep = options.sleep ?? defaultSleep;
  const requestId = records.selection.request_id;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      await store.record(records);
      return true;
    } catch (error) {
      const last = attempt === options.attempts;
      if (last) {
        options.unwritten.requests++;
        options.unwritten.rows += 1 + records.attempts.length;
      }
      options.log({
        level: last ? "error" : "warn",
        msg: last ? "persist_failed" : "persist_retry",
        requestId,
        attempt,
        rows: 1 + records.attempts.length,
        ...(last ? { unwrittenRowsTotal: options.unwritten.rows } : {}),
        error: String(error),
      });
      if (last) return false;
      const backoff = options.baseDelayMs * 4 ** (attempt - 1);
      await sleep(backoff / 2 + Math.random() * backoff / 2);
    }
  }
  return false;
}
