// record_orchestration's throughput: concurrent connections each writing requests as the function does
// (one call per request: its selection, its attempts, the settlement of its spend), for a fixed time; or
// with `batch` above 1, that many requests a statement through record_orchestrations, as a busy isolate
// writes the records that arrive while its record connections are busy.

import type postgres from "postgres";
import { TASK_TYPES, userId } from "./fill.ts";
import { percentile } from "../support/stats.ts";

/** The enabled catalog's models and providers, to write attempts of. */
export async function catalogModels(sql: postgres.Sql): Promise<Array<[string, string]>> {
  const rows = await sql`select model_id, provider from public.models where enabled order by model_id`;
  return rows.map((row) => [row.model_id, row.provider]);
}

/** One request's records, shaped as store/records.ts shapes them: two attempts, the second one won. */
export function requestRecords(models: Array<[string, string]>, users: number, n: number) {
  const user = userId(Math.floor(Math.random() * users));
  const requestId = crypto.randomUUID();
  const taskType = TASK_TYPES[n % TASK_TYPES.length];
  const [first, second] = [models[n % models.length], models[(n + 1) % models.length]];
  const attempt = ([model, provider]: readonly [string, string], rank: number, score: number | null) => ({
    user_id: user,
    request_id: requestId,
    task_type: taskType,
    request_complexity: "medium",
    model_name: model,
    provider,
    approach: "simple",
    quality_score: score,
    quality_breakdown: score === null
      ? null
      : { completeness: score, codeQuality: score, functionality: score, performance: 100, issueCount: 2 },
    success: score !== null,
    error_class: score === null ? "timeout" : null,
    duration_ms: 4000 + rank * 1000,
    input_tokens: score === null ? 0 : 1800,
    output_tokens: score === null ? 0 : 5200,
    cost_usd: score === null ? 0 : 0.0042,
    file_count: score === null ? 0 : 12,
    metadata: { planRank: rank, expectedQuality: 82, estimatedCostUsd: 0.005, calls: 1, retries: 0 },
  });
  return {
    selection: {
      user_id: user,
      request_id: requestId,
      task_type: taskType,
      task_profile: { taskType, complexity: "medium", requirements: ["routing"], contextFileCount: 0 },
      selected_model: second[0],
      selected_provider: second[1],
      selected_approach: "simple",
      alternative_models: [first[0]],
      quality_score: 84.5,
      mode: "sequential",
      tier: "balanced",
      explored: false,
      was_optimal: false,
    },
    attempts: [attempt(first, 0, null), attempt(second, 1, 84.5)],
  };
}

/** Where the write-ahead log is, in bytes. */
async function walPosition(sql: postgres.Sql): Promise<number> {
  const [{ lsn }] = await sql`select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 as lsn`;
  return lsn;
}

export interface Throughput {
  /** Write-ahead log written per request (what a replica and a backup carry). */
  walBytesPerRequest: number;
  connections: number;
  seconds: number;
  requests: number;
  rowsPerSecond: number;
  requestsPerSecond: number;
  p50Ms: number;
  errors: number;
}

/** Rows are the selection and attempt rows (what the function writes per request). With `withPlanning`,
 * each request first sends the function's other statement — its admission and planning read — so the
 * figure is what the database holds of whole requests. */
export async function measureThroughput(
  sql: postgres.Sql,
  connections: number,
  seconds: number,
  users: number,
  { withPlanning = false, batch = 1 } = {},
): Promise<Throughput> {
  const models = await catalogModels(sql);
  const walBefore = await walPosition(sql);
  let requests = 0;
  let rows = 0;
  let errors = 0;
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    const conn = await sql.reserve();
    try {
      while (performance.now() < until) {
        const written = Array.from({ length: batch }, (_, i) => requestRecords(models, users, requests + i));
        const { selection, attempts } = written[0];
        const t = performance.now();
        try {
          if (withPlanning) {
            await conn`select public.admit_request(${selection.user_id}, ${selection.request_id}) as admission,
              public.planning_context(${selection.user_id}, ${selection.task_type}, 'medium') as context`;
          }
          if (batch === 1) {
            await conn`select public.record_orchestration(${conn.json(selection)}, ${conn.json(attempts)})`;
          } else {
            await conn`select public.record_orchestrations(${conn.json(written)})`;
          }
          latencies.push(performance.now() - t);
          requests += batch;
          rows += written.reduce((sum, one) => sum + 1 + one.attempts.length, 0);
        } catch (error) {
          errors++;
          if (errors === 1) console.error(`  a record failed: ${(error as Error).message}`);
        }
      }
    } finally {
      conn.release();
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  const walBytes = await walPosition(sql) - walBefore;
  return {
    walBytesPerRequest: walBytes / Math.max(1, requests),
    connections,
    seconds: elapsed,
    requests,
    rowsPerSecond: rows / elapsed,
    requestsPerSecond: requests / elapsed,
    p50Ms: percentile(latencies, 0.5),
    errors,
  };
}
