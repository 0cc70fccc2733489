// Postgres, through postgres.js on the function's own connection (SUPABASE_DB_URL, or a pooler URL): the
// catalog, the planning context of a request (settings, budget, ranking) in one round trip, budget
// reservations, and a request's rows written — and its spend settled — in one round trip.

import postgres from "postgres";
import type { BudgetSnapshot, SpendLedger } from "../budget/ledger.ts";
import type { FeedbackStore } from "../feedback/record.ts";
import type {
  FeedbackResponse,
  Job,
  JobStatus,
  OrchestrationTotals,
  StatsResponse,
  TaskType,
} from "../contract.ts";
import type { CachedResult, ResultCache } from "../cache/result-cache.ts";
import type { ExportFilter, ExportRow, ExportSource } from "../export/rows.ts";
import type { InsightLine } from "../insights/statements.ts";
import type { CreatedJob, JobStore } from "../jobs/job-store.ts";
import type { CatalogModel, CatalogSource, SpeedClass } from "../plan/catalog.ts";
import type { Admission, PlanningContext, PlanningSource } from "../plan/planning-context.ts";
import { DEFAULT_RECORD_BATCH_LIMITS, recordBatcher } from "./record-batches.ts";
import type { OrchestrationRecords } from "./records.ts";

export interface OrchestratorStore
  extends CatalogSource, PlanningSource, SpendLedger, FeedbackStore, JobStore, ResultCache, ExportSource {
  /** Frees a request's place among its user's running requests (it ended without rows to record). */
  finishRequest(requestId: string): Promise<void>;
  /** Writes the request's selection row and its attempt rows atomically and settles its spend; safe to
   * retry. */
  record(records: OrchestrationRecords): Promise<void>;
  /** The statistics of the last `days` days, for a user or (null) for everyone. */
  orchestrationTotals(userId: string | null, days: number): Promise<OrchestrationTotals>;
  /** A user's own monitoring figures over the last `days` days. */
  userStats(userId: string, days: number): Promise<StatsResponse>;
  /** What the data says (insights/statements.ts words it), for a user or (null) everyone. */
  insights(
    userId: string | null,
    taskType: TaskType | null,
  ): Promise<{ lines: InsightLine[]; minSamples: number }>;
  close(): Promise<void>;
}

/** Rows an export reads from Postgres at a time. */
const EXPORT_BATCH_ROWS = 200;

type JobRow = Record<string, unknown> & { id: string; status: JobStatus };
const iso = (value: unknown) =>
  value === null || value === undefined ? null : new Date(value as string).toISOString();

/** A jobs row (from SQL, or from to_jsonb in create_job) as the API shows it. */
function jobOf(row: JobRow): Job {
  return {
    jobId: row.id,
    status: row.status,
    requestId: row.request_id as string,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    finishedAt: iso(row.finished_at),
    events: (row.events ?? []) as Job["events"],
    result: (row.result ?? null) as Job["result"],
    error: (row.error ?? null) as Job["error"],
  };
}

/**
 * A value written into the statement as a literal rather than sent as a parameter, for the statements
 * every request makes: without prepared statements (`prepare: false`, below), postgres.js sends a
 * statement that has parameters in two round trips — one for Postgres to describe the parameters, one
 * to run it — and one that has none in one. An escape string (E'…', every backslash and quote doubled)
 * reads the same whatever standard_conforming_strings says; a NUL, which no Postgres text holds, is
 * refused.
 */
export function escapedLiteral(value: string | number): string {
  const text = String(value);
  if (text.includes("\0")) throw new Error("a value for Postgres holds a NUL character");
  return `E'${text.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

/** Connections per isolate: for the request path, and for the rows a response leaves to write. */
export interface PoolSizes {
  requests: number;
  records: number;
  /** The least time between two record writes' starts (RecordBatchLimits.lingerMs; none by default,
   * for callers that wait for each record, as replays do). */
  recordLingerMs?: number;
}

export function createPostgresStore(
  url: string,
  pools: PoolSizes = { requests: 10, records: 3 },
): OrchestratorStore {
  const connect = (max: number) =>
    postgres(url, {
      max,
      // Supavisor in transaction mode does not support prepared statements.
      prepare: false,
      idle_timeout: 20,
      connect_timeout: 5,
      onnotice: () => {},
    });
  const sql = connect(pools.requests);
  // The records of answered requests on connections of their own: requests on one strategy's pooled
  // statistics take turns (its row lock, held to commit), and a record waiting its turn on a shared
  // pool kept the next request's planning read waiting for a connection (bench:compare). Those that
  // arrive while every record connection is busy are written together.
  const records = connect(pools.records);
  const recordTogether = recordBatcher(async (texts) => {
    await records.unsafe(
      `select public.record_orchestrations(${escapedLiteral(`[${texts.join(",")}]`)}::jsonb)`,
    );
  }, {
    ...DEFAULT_RECORD_BATCH_LIMITS,
    connections: pools.records,
    lingerMs: pools.recordLingerMs ?? 0,
    // data exceptions and integrity violations (a value a column refuses): classes 22 and 23
    refusedForData: (error) => error instanceof postgres.PostgresError && /^2[23]/.test(error.code),
  });
  /** A value for a jsonb parameter (what the contract's schemas produce is JSON). */
  const json = (value: unknown) => sql.json(value as postgres.JSONValue);
  const literal = (value: string | number) => sql.unsafe(escapedLiteral(value));

  return {
    async readCatalog(): Promise<CatalogModel[]> {
      const rows = await sql`
        select model_id, provider, display_name, input_price_per_mtok, output_price_per_mtok, context_window,
          max_output_tokens, speed, quality_prior, strengths, is_local
        from public.models where enabled order by model_id`;
      // numeric arrives as a string
      return rows.map((row) => ({
        id: row.model_id,
        provider: row.provider,
        displayName: row.display_name,
        inputPricePerMTok: Number(row.input_price_per_mtok),
        outputPricePerMTok: Number(row.output_price_per_mtok),
        contextWindow: row.context_window,
        maxOutputTokens: row.max_output_tokens,
        speed: row.speed as SpeedClass,
        qualityPrior: Number(row.quality_prior),
        strengths: row.strengths,
        isLocal: row.is_local,
      }));
    },

    async readPlanningContexts(userId: string, taskTypes: readonly TaskType[]): Promise<PlanningContext[]> {
      const rows = await sql`
        select public.planning_context(${userId}, t.task_type) as context
        from jsonb_array_elements_text(${
        JSON.stringify(taskTypes)
      }::text::jsonb) with ordinality as t (task_type, position)
        order by t.position`;
      return rows.map((row) => row.context as PlanningContext);
    },

    async readRequestContext(userId, requestId, { taskType, complexity }, models, admit, cacheKey) {
      const user = sql`${literal(userId)}::uuid`;
      // admit_request runs first: the context then holds the request's own admission
      const [row] = await sql`select
        ${admit ? sql`public.admit_request(${user}, ${literal(requestId)}::uuid)` : sql`null`} as admission,
        public.planning_context(${user}, ${literal(taskType)}, ${literal(complexity)},
          array(select jsonb_array_elements_text(${literal(JSON.stringify(models))}::jsonb))) as context,
        ${cacheKey ? sql`public.cached_response(${user}, ${literal(cacheKey)})` : sql`null`} as cached`;
      return {
        context: row.context as PlanningContext,
        admission: row.admission as Admission | null,
        cached: (row.cached ?? null) as CachedResult | null,
      };
    },

    async recordFeedback(userId, { requestId, accepted, rating, comment }) {
      const [row] = await sql`select public.record_feedback(${userId}, ${requestId}, ${accepted},
        ${rating ?? null}, ${comment ?? null}) as feedback`;
      return row.feedback as FeedbackResponse | null;
    },

    async finishRequest(requestId: string): Promise<void> {
      await sql`select public.finish_request(${literal(requestId)}::uuid)`;
    },

    async reserveSpend(userId: string, requestId: string, amountUsd: number) {
      const [row] = await sql`select public.reserve_spend(${literal(userId)}::uuid, ${
        literal(requestId)
      }::uuid, ${literal(amountUsd)}::numeric) as answer`;
      const { reserved, ...budget } = row.answer as BudgetSnapshot & { reserved: boolean };
      return { reserved, budget };
    },

    async releaseSpend(userId: string, requestId: string): Promise<void> {
      await sql`select public.release_spend(${userId}, ${requestId})`;
    },

    record: recordTogether,

    async cachedResponse(userId: string, cacheKey: string): Promise<CachedResult | null> {
      const [row] = await sql`select public.cached_response(${literal(userId)}::uuid, ${
        literal(cacheKey)
      }) as cached`;
      return (row?.cached ?? null) as CachedResult | null;
    },

    async orchestrationTotals(userId: string | null, days: number): Promise<OrchestrationTotals> {
      const [row] = await sql`select public.orchestration_totals(${userId}, ${days}) as totals`;
      // numeric arrives as a string inside jsonb only when it is one; counts and rounds are numbers
      return row.totals as OrchestrationTotals;
    },

    exportRows(filter: ExportFilter): AsyncIterable<ExportRow[]> {
      const day = (value: string | undefined) => value ?? null;
      return sql`select * from public.export_rows(${filter.userId}, ${day(filter.from)}, ${day(filter.to)},
        ${filter.taskType ?? null}, ${filter.minQuality ?? null}, ${filter.feedback}, ${
        filter.model ?? null
      })`
        .cursor(EXPORT_BATCH_ROWS) as unknown as AsyncIterable<ExportRow[]>;
    },

    async insights(userId: string | null, taskType: TaskType | null) {
      const [row] = await sql`select public.insights(${userId}, ${taskType}) as lines,
        (select insight_min_samples from public.project_settings) as min_samples`;
      return { lines: row.lines as InsightLine[], minSamples: row.min_samples as number };
    },

    async userStats(userId: string, days: number): Promise<StatsResponse> {
      const [row] = await sql`select public.user_stats(${userId}, ${days}) as stats`;
      return row.stats as StatsResponse;
    },

    async createJob(job): Promise<CreatedJob> {
      const [row] = await sql`select public.create_job(${job.userId}, ${job.requestId}, ${
        json(job.request)
      }, ${job.requestHash}, ${job.idempotencyKey}) as answer`;
      const answer = row.answer as { conflict?: boolean; jobId?: string; job?: JobRow; created?: boolean };
      return answer.conflict
        ? { conflict: true, jobId: answer.jobId! }
        : { conflict: false, job: jobOf(answer.job!), created: answer.created! };
    },

    async jobProgress(jobId, events) {
      const [row] = await sql`select public.job_progress(${jobId}, ${json(events)}) as status`;
      return (row?.status ?? null) as JobStatus | null;
    },

    async finishJob(jobId, { status, events, result, error }) {
      const [row] = await sql`select public.finish_job(${jobId}, ${status}, ${json(events)}, ${
        result === null ? null : json(result)
      }, ${error === null ? null : json(error)}) as finished`;
      return row.finished as boolean;
    },

    async cancelJob(userId, jobId) {
      const [row] = await sql`select public.cancel_job(${userId}, ${jobId}) as outcome`;
      return row.outcome as "cancelled" | "finished" | "not_found";
    },

    async readJob(userId, jobId) {
      const [row] = await sql`select * from public.jobs where id = ${jobId} and user_id = ${userId}`;
      return row ? jobOf(row as JobRow) : null;
    },

    async listJobs(userId, { status, limit }) {
      const rows = await sql`
        select id, status, request_id, created_at, updated_at, finished_at from public.jobs
        where user_id = ${userId} ${status ? sql`and status = ${status}` : sql``}
        order by created_at desc, id limit ${limit}`;
      return {
        jobs: rows.map((row) => {
          const { events: _events, result: _result, error: _error, ...summary } = jobOf(row as JobRow);
          return summary;
        }),
      };
    },

    close: async () => {
      await Promise.all([sql.end({ timeout: 5 }), records.end({ timeout: 5 })]);
    },
  };
}
