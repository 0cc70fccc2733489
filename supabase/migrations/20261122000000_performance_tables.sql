-- One row per model attempt (model_performance) and one row per orchestrated request
-- (model_selections). Only the service side writes; a signed-in user reads their own rows.

create table public.model_selections (
  id bigint generated always as identity primary key,
  user_id uuid not null,
  request_id uuid not null unique,
  task_type text not null check (task_type ~ '^[a-z][a-z_]{0,31}$'),
  task_profile jsonb not null check (jsonb_typeof(task_profile) = 'object'),
  -- null when every strategy failed: the request is still recorded, with its failed attempts.
  selected_model text,
  selected_provider text,
  selected_approach text check (selected_approach in ('simple', 'progressive')),
  alternative_models text[] not null default '{}',
  quality_score numeric(5, 2) check (quality_score between 0 and 100),
  mode text not null check (mode in ('sequential', 'parallel', 'hedged')),
  -- the quality tier the request was planned for; null for requests recorded without one
  tier text check (tier in ('premium', 'balanced', 'budget')),
  -- whether the plan was an exploration draw (a posterior sample) rather than the expected best
  explored boolean not null default false,
  was_optimal boolean,
  created_at timestamptz not null default now(),
  check ((selected_model is null) = (selected_approach is null)),
  check ((selected_model is null) = (selected_provider is null))
);

comment on table public.model_selections is
  'One row per orchestrated request: the task profile, the winning strategy and the alternatives tried.';
comment on column public.model_selections.was_optimal is
  'Whether the winner was the planner''s first choice (the plan predicted well); null when every strategy failed.';

create table public.model_performance (
  id bigint generated always as identity primary key,
  user_id uuid not null,
  request_id uuid not null references public.model_selections (request_id) on delete cascade,
  task_type text not null check (task_type ~ '^[a-z][a-z_]{0,31}$'),
  request_complexity text not null check (request_complexity in ('low', 'medium', 'high')),
  model_name text not null check (model_name <> ''),
  provider text not null check (provider <> ''),
  approach text not null check (approach in ('simple', 'progressive')),
  -- null when the attempt produced nothing to score.
  quality_score numeric(5, 2) check (quality_score between 0 and 100),
  quality_breakdown jsonb check (jsonb_typeof(quality_breakdown) = 'object'),
  success boolean not null,
  error_class text check (
    error_class in (
      'rate_limit', 'timeout', 'server', 'network', 'safety_block', 'malformed_output',
      'auth', 'invalid_request', 'cancelled', 'budget_exceeded', 'unknown'
    )
  ),
  duration_ms integer not null check (duration_ms >= 0),
  input_tokens integer not null default 0 check (input_tokens >= 0),
  output_tokens integer not null default 0 check (output_tokens >= 0),
  cost_usd numeric(12, 6) not null default 0 check (cost_usd >= 0),
  file_count integer not null default 0 check (file_count >= 0),
  metadata jsonb not null default '{}' check (jsonb_typeof(metadata) = 'object'),
  created_at timestamptz not null default now(),
  check (success = (error_class is null)),
  check (not success or quality_score is not null)
);

comment on table public.model_performance is
  'One row per model attempt: the strategy, its quality score and breakdown, outcome, latency, tokens and cost.';
comment on column public.model_performance.quality_score is
  'Weighted quality score 0-100 of the attempt''s output; null when the attempt produced no output.';

-- A user's own rows (RLS), newest first.
create index model_performance_user_created_idx on public.model_performance (user_id, created_at desc);
-- The 7-day dashboard window.
create index model_performance_created_idx on public.model_performance
  (created_at) include (model_name, provider, quality_score, duration_ms, success);
-- Success rate by approach.
create index model_performance_approach_idx on public.model_performance
  (approach) include (success, quality_score);
-- The foreign key to model_selections.
create index model_performance_request_idx on public.model_performance (request_id);

create index model_selections_created_idx on public.model_selections
  (created_at) include (selected_model, quality_score);
create index model_selections_user_created_idx on public.model_selections (user_id, created_at desc);

alter table public.model_performance enable row level security;
alter table public.model_selections enable row level security;

create policy "users read their own attempts" on public.model_performance
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "users read their own selections" on public.model_selections
  for select to authenticated using ((select auth.uid()) = user_id);

-- A hosted project grants everything in `public` to the API roles by default: take it back, then
-- grant exactly what each role needs. Writes come only from the service side (service_role or the
-- function's own database connection).
revoke all on table public.model_performance, public.model_selections from public, anon, authenticated;
grant select on table public.model_performance, public.model_selections to authenticated;
grant select, insert, update, delete on table public.model_performance, public.model_selections
  to service_role;
revoke all on sequence public.model_performance_id_seq, public.model_selections_id_seq
  from public, anon, authenticated;
grant usage on sequence public.model_performance_id_seq, public.model_selections_id_seq to service_role;
