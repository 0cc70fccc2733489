// The fill of bench:scale: requests spread over users, task types, the catalog and a time range, written
// with the inserts record_orchestration makes — the selection row, one row per attempt, a settled ledger
// row and the month's spend — so every trigger (evidence, pooling, rollups), constraint and index of the
// real write runs. Two differences, both needed to fill history: rows carry a created_at in the past
// (record_orchestration stamps now()), and a batch of requests goes in per statement (the statement-level
// triggers see the batch at once, as they see one request's attempts at once).

import type postgres from "postgres";

export const TASK_TYPES = ["generation", "edit", "fix", "refactor", "style", "explain", "test"] as const;

/** The user of index i: a fixed uuid, so a run can name "user 42" again. */
export const userId = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;

// Staging tables for one batch, then the writes. Random draws use the session's seed (setseed).
const SETUP = `
create temp table fill_requests (
  n integer primary key, request_id uuid not null, user_id uuid not null, task_type text not null,
  complexity text not null, mode text not null, tier text not null, explored boolean not null,
  attempts integer not null, created_at timestamptz not null);
create temp table fill_attempts (
  n integer not null, rank integer not null, model_name text not null, provider text not null,
  approach text not null, success boolean not null, error_class text, quality_score numeric(5, 2),
  duration_ms integer not null, input_tokens integer not null, output_tokens integer not null,
  cost_usd numeric(12, 6) not null, file_count integer not null, primary key (n, rank));
create temp table fill_models as
  select row_number() over (order by model_id) - 1 as i, model_id, provider, input_price_per_mtok,
    output_price_per_mtok from public.models where enabled;

-- Users of the batch's slice (index ≡ p_user_slice mod p_user_slices of p_users), task types and
-- complexities weighted as traffic is, 1-3 attempts per request. p_task_types: this worker's task types,
-- each as often as traffic has it; p_shards: the rollup shards its request ids fall in. Workers writing at
-- once never share a statistics, rollup or user row, so they never wait for each other.
create function pg_temp.fill_batch(p_requests integer, p_users integer, p_user_slice integer,
  p_user_slices integer, p_from timestamptz, p_to timestamptz, p_task_types text[], p_shards integer[])
returns integer language plpgsql as $fill$
declare
  models integer := (select count(*) from fill_models);
  written integer;
begin
  truncate fill_requests, fill_attempts;
  insert into fill_requests
  select row_number() over (), c.id,
    ('00000000-0000-4000-8000-' || lpad(to_hex(p_user_slice + p_user_slices * floor(random() * (p_users / p_user_slices))::integer),
      12, '0'))::uuid,
    p_task_types[1 + floor(random() * cardinality(p_task_types))::integer],
    (array['low','low','low','medium','medium','medium','medium','medium','high','high'])[1 + floor(random() * 10)::integer],
    (array['sequential','sequential','sequential','sequential','sequential','sequential','sequential',
      'parallel','parallel','hedged'])[1 + floor(random() * 10)::integer],
    (array['balanced','balanced','balanced','premium','budget'])[1 + floor(random() * 5)::integer],
    random() < 0.1, 1 + floor(random() * 3)::integer,
    p_from + random() * (p_to - p_from)
  from (
    select g.id from (select gen_random_uuid() as id from generate_series(1, p_requests * 16)) g
    where public.rollup_shard(g.id) = any (p_shards) limit p_requests
  ) c;

  insert into fill_attempts
  select x.n, x.k, m.model_id, m.provider, case when x.u_approach < 0.75 then 'simple' else 'progressive' end,
    x.failure is null, x.failure,
    case when x.failure is null then round((45 + x.u_quality * 55)::numeric, 2) end,
    (800 + x.u_duration * 20000)::integer, x.input_tokens, x.output_tokens,
    round((x.input_tokens * m.input_price_per_mtok + x.output_tokens * m.output_price_per_mtok) / 1e6, 6),
    case when x.failure is null then 1 + floor(x.u_files * 20)::integer else 0 end
  from (
    select y.*,
      -- what a provider billed: answers, and malformed ones
      case when y.failure is null or y.failure = 'malformed_output' then 400 + floor(y.u_in * 3000)::integer else 0 end
        as input_tokens,
      case when y.failure is null or y.failure = 'malformed_output' then 800 + floor(y.u_out * 8000)::integer else 0 end
        as output_tokens
    from (
      select r.n, k, floor(random() * models)::integer as model_index, random() as u_approach,
        case when random() < 0.92 then null else
          (array['timeout','server','rate_limit','malformed_output','cancelled','cancelled'])[1 + floor(random() * 6)::integer]
        end as failure,
        random() as u_quality, random() as u_duration, random() as u_files, random() as u_in, random() as u_out
      from fill_requests r
      cross join lateral generate_series(1, r.attempts) k
    ) y
  ) x
  join fill_models m on m.i = x.model_index;

  insert into public.model_selections (user_id, request_id, task_type, task_profile, selected_model,
    selected_provider, selected_approach, alternative_models, quality_score, mode, tier, explored, was_optimal,
    confidence, needs_review, created_at)
  select r.user_id, r.request_id, r.task_type,
    jsonb_build_object('taskType', r.task_type, 'complexity', r.complexity, 'complexityScore', round(random()::numeric, 2),
      'requirements', jsonb_build_array('routing', 'persistence'), 'taskScores',
      jsonb_build_object(r.task_type, 0.8, 'edit', 0.1), 'taskTypeConfidence', 0.9, 'contextFileCount', 0),
    w.model_name, w.provider, w.approach,
    coalesce((select array_agg(distinct a.model_name) from fill_attempts a
      where a.n = r.n and a.rank is distinct from w.rank), '{}'),
    w.quality_score, r.mode, r.tier, r.explored, case when w.rank is not null then w.rank = 1 end,
    c.confidence, c.confidence < 0.5, r.created_at
  from fill_requests r
  -- a winner's confidence: mostly sure, sometimes not
  cross join lateral (select r.n, round((0.3 + 0.7 * random())::numeric, 3) as confidence) c
  left join lateral (
    select a.rank, a.model_name, a.provider, a.approach, a.quality_score from fill_attempts a
    where a.n = r.n and a.success order by a.quality_score desc, a.rank limit 1
  ) w on true
  order by r.created_at;

  insert into public.model_performance (user_id, request_id, task_type, request_complexity, model_name,
    provider, approach, quality_score, quality_breakdown, success, error_class, duration_ms, input_tokens,
    output_tokens, cost_usd, file_count, metadata, created_at)
  select r.user_id, r.request_id, r.task_type, r.complexity, a.model_name, a.provider, a.approach,
    a.quality_score,
    case when a.success then jsonb_build_object('completeness', a.quality_score, 'codeQuality', a.quality_score,
      'functionality', a.quality_score, 'performance', 100, 'issueCount', floor(random() * 8)::integer) end,
    a.success, a.error_class, a.duration_ms, a.input_tokens, a.output_tokens, a.cost_usd, a.file_count,
    jsonb_build_object('planRank', a.rank - 1, 'expectedQuality', 80, 'estimatedCostUsd', a.cost_usd,
      'calls', 1, 'retries', 0, 'modelVersion', a.model_name || '-001')
      || case when a.success then '{}'::jsonb else jsonb_build_object('error', 'simulated ' || a.error_class) end,
    r.created_at
  from fill_attempts a join fill_requests r using (n)
  order by r.created_at, a.rank;
  get diagnostics written = row_count;

  -- settle_spend for a request that reserved nothing: a settled ledger row, and the month's spend
  insert into public.spend_ledger (user_id, request_id, month, spent_usd, status, settled_at, created_at)
  select r.user_id, r.request_id, public.spend_month(r.created_at), s.spent, 'settled', r.created_at, r.created_at
  from fill_requests r
  cross join lateral (select coalesce(sum(a.cost_usd), 0) as spent from fill_attempts a where a.n = r.n) s;

  insert into public.spend_monthly as m (user_id, month, spent_usd)
  select r.user_id, public.spend_month(r.created_at), sum(a.cost_usd)
  from fill_requests r join fill_attempts a using (n)
  group by 1, 2 order by 1, 2
  on conflict (user_id, month) do update set spent_usd = m.spent_usd + excluded.spent_usd;
  return written;
end;
$fill$;`;

// How often each task type comes, in twentieths.
const TASK_TYPE_WEIGHTS: Record<(typeof TASK_TYPES)[number], number> = {
  generation: 6,
  edit: 4,
  fix: 3,
  refactor: 2,
  style: 2,
  explain: 2,
  test: 1,
};

export interface FillWorker {
  taskTypes: string[];
  shards: number[];
  /** The share of all requests this worker writes (its task types' share of traffic). */
  share: number;
}

/** Splits the task types (and the rollup shards) between workers, as evenly as their traffic allows. */
export function fillWorkers(count: number): FillWorker[] {
  const workers: FillWorker[] = Array.from({ length: count }, (_, w) => ({
    taskTypes: [],
    shards: Array.from({ length: 8 }, (_, s) => s).filter((s) => s % count === w),
    share: 0,
  }));
  for (const type of [...TASK_TYPES].sort((a, b) => TASK_TYPE_WEIGHTS[b] - TASK_TYPE_WEIGHTS[a])) {
    const lightest = workers.reduce((a, b) => (b.share < a.share ? b : a));
    lightest.taskTypes.push(...Array(TASK_TYPE_WEIGHTS[type]).fill(type));
    lightest.share += TASK_TYPE_WEIGHTS[type] / 20;
  }
  return workers;
}

export async function prepareFill(sql: postgres.ReservedSql, seed: number): Promise<void> {
  await sql.unsafe(SETUP);
  await sql`select setseed(${seed})`;
}

/** Which users a batch writes: those whose index is `slice` modulo `slices`. */
export interface UserSlice {
  users: number;
  slice: number;
  slices: number;
}

/** One batch of the worker's requests created in [from, to), for a slice of the users: the attempt rows written. */
export async function fillBatch(
  sql: postgres.ReservedSql,
  worker: FillWorker,
  requests: number,
  users: UserSlice,
  from: Date,
  to: Date,
): Promise<number> {
  const [row] = await sql`select pg_temp.fill_batch(${requests}, ${users.users}, ${users.slice},
    ${users.slices}, ${from}, ${to}, ${worker.taskTypes}::text[], ${worker.shards}::integer[]) as written`;
  return row.written;
}
