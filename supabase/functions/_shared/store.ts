// Postgres, through postgres.js on the function's own connection (SUPABASE_DB_URL, or a pooler URL):
// the history read of the planner, and the rows of one request written in one round trip.

import postgres from "postgres";
import type { TaskType } from "./contract.ts";
import type { HistorySource } from "./orchestrate.ts";
import type { OrchestrationRecords } from "./records.ts";
import type { HistoryRow } from "./plan.ts";

export interface OrchestratorStore extends HistorySource {
  /** Writes the request's selection row and its attempt rows atomically; safe to retry. */
  record(records: OrchestrationRecords): Promise<void>;
  close(): Promise<void>;
}

export function createPostgresStore(url: string, poolSize = 10): OrchestratorStore {
  const sql = postgres(url, {
    max: poolSize,
    // Supavisor in transaction mode does not support prepared statements.
    prepare: false,
    idle_timeout: 20,
    connect_timeout: 5,
    onnotice: () => {},
  });

  return {
    async readHistory(userId: string, taskType: TaskType): Promise<HistoryRow[]> {
      const rows = await sql`select * from public.get_best_model_for_task(${userId}, ${taskType})`;
      // bigint and numeric arrive as strings
      return rows.map((row) => ({
        model_name: row.model_name,
        provider: row.provider,
        approach: row.approach,
        samples: Number(row.samples),
        prior_samples: Number(row.prior_samples),
        success_rate: Number(row.success_rate),
        mean_quality: row.mean_quality === null ? null : Number(row.mean_quality),
        quality_lower_bound: Number(row.quality_lower_bound),
        mean_duration_ms: Number(row.mean_duration_ms),
        mean_cost_usd: Number(row.mean_cost_usd),
        rank: Number(row.rank),
      }));
    },

    async record({ selection, attempts }: OrchestrationRecords): Promise<void> {
      // One statement: the attempts are inserted only when the selection row is new, so a retry after
      // a lost acknowledgement writes nothing twice. populate_record leaves absent keys null, so the
      // columns with defaults get them here.
      await sql`
        with selection as (
          insert into public.model_selections (user_id, request_id, task_type, task_profile, selected_model,
            selected_provider, selected_approach, alternative_models, quality_score, mode, was_optimal)
          select user_id, request_id, task_type, task_profile, selected_model, selected_provider,
            selected_approach, coalesce(alternative_models, '{}'), quality_score, mode, was_optimal
          from jsonb_populate_record(null::public.model_selections, ${sql.json(selection)})
          on conflict (request_id) do nothing
          returning request_id
        )
        insert into public.model_performance (user_id, request_id, task_type, request_complexity, model_name,
          provider, approach, quality_score, quality_breakdown, success, error_class, duration_ms, input_tokens,
          output_tokens, cost_usd, file_count, metadata)
        select a.user_id, a.request_id, a.task_type, a.request_complexity, a.model_name, a.provider, a.approach,
          a.quality_score, a.quality_breakdown, a.success, a.error_class, a.duration_ms,
          coalesce(a.input_tokens, 0), coalesce(a.output_tokens, 0), coalesce(a.cost_usd, 0),
          coalesce(a.file_count, 0), coalesce(a.metadata, '{}')
        from selection, jsonb_populate_recordset(null::public.model_performance, ${sql.json(attempts)}) as a`;
    },

    close: () => sql.end({ timeout: 5 }),
  };
}
