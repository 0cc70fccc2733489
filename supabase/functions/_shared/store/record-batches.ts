// Answered requests' rows written together. A record that arrives while the isolate's record
// connections are all writing, or sooner than `lingerMs` after the last write began, waits, and the next
// write takes every record waiting (up to a count and a size): a quiet isolate writes each request at
// once, a busy one many in one statement, where the statistics and rollup triggers run once for all of
// them (public.record_orchestrations), for less of the database's time per request. A batch the
// database refuses for what a record holds is written again one record at a time, so one bad record
// fails only itself; any other failure (the database away, a deadlock) fails the batch's records
// together, for their writers to retry. Pure apart from the write it is given.

import type { OrchestrationRecords } from "./records.ts";

export interface RecordBatchLimits {
  /** Writes in flight at once: the record connections. */
  connections: number;
  /** Records in one statement. */
  maxRecords: number;
  /** Characters of JSON in one statement (one record larger than this goes alone). */
  maxChars: number;
  /** The least time between the starts of two writes: records arriving sooner wait and go together. */
  lingerMs: number;
  /** Whether a failed write was refused for what a record holds (and another batch would fare better). */
  refusedForData: (error: unknown) => boolean;
}

export const DEFAULT_RECORD_BATCH_LIMITS: Omit<
  RecordBatchLimits,
  "connections" | "lingerMs" | "refusedForData"
> = {
  maxRecords: 100,
  maxChars: 4_000_000,
};

interface Waiting {
  json: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** `write` receives the records' JSON texts and writes them in one statement. */
export function recordBatcher(
  write: (records: string[]) => Promise<void>,
  limits: RecordBatchLimits,
): (records: OrchestrationRecords) => Promise<void> {
  const waiting: Waiting[] = [];
  let writing = 0;
  let lastStart = -Infinity;
  let lingering = false;

  const takeBatch = (): Waiting[] => {
    const batch = [waiting.shift()!];
    let chars = batch[0].json.length;
    while (
      waiting.length && batch.length < limits.maxRecords && chars + waiting[0].json.length <= limits.maxChars
    ) {
      chars += waiting[0].json.length;
      batch.push(waiting.shift()!);
    }
    return batch;
  };

  const writeBatch = async (batch: Waiting[]) => {
    try {
      await write(batch.map((item) => item.json));
      batch.forEach((item) => item.resolve());
    } catch (error) {
      if (batch.length === 1 || !limits.refusedForData(error)) {
        return batch.forEach((item) => item.reject(error));
      }
      for (const item of batch) {
        await write([item.json]).then(item.resolve, item.reject);
      }
    }
  };

  const pump = () => {
    while (writing < limits.connections && waiting.length) {
      const now = performance.now();
      const linger = lastStart + limits.lingerMs - now;
      if (linger > 0) {
        if (!lingering) {
          lingering = true;
          setTimeout(() => {
            lingering = false;
            pump();
          }, linger);
        }
        return;
      }
      lastStart = now;
      writing++;
      writeBatch(takeBatch()).finally(() => {
        writing--;
        pump();
      });
    }
  };

  return (records) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ json: JSON.stringify(records), resolve, reject });
      pump();
    });
}
