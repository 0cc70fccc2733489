-- Settings of the whole project that the SQL itself reads: how other users' evidence is pooled, how fast
-- old evidence fades, the per-user request limits, and an optional project-wide monthly spend cap. One
-- row; operators change it with SQL (service side only).

create table public.project_settings (
  id boolean primary key default true check (id),
  -- the k-user rule: other users' statistics are pooled into a row only when at least this many distinct
  -- users are behind it, so no one can read back another's single request
  min_pool_users integer not null default 5 check (min_pool_users >= 2),
  -- in pooled evidence each other user counts for at most this many attempts, so one account cannot
  -- move the shared prior
  evidence_per_user numeric not null default 5 check (evidence_per_user > 0),
  -- each new observation of a strategy multiplies its earlier evidence by this factor (1: never forget;
  -- 0.999 weighs an attempt a thousand attempts old at about a third)
  evidence_decay numeric not null default 0.999 check (evidence_decay > 0 and evidence_decay <= 1),
  -- a strategy that changes is noticed by a CUSUM test on its outcomes: each outcome further than
  -- drift_slack below (or above) the strategy's mean adds the difference, and once the sum passes
  -- drift_threshold the strategy's evidence restarts from its recent attempts
  drift_slack numeric not null default 0.08 check (drift_slack >= 0),
  drift_threshold numeric not null default 5 check (drift_threshold > 0),
  -- the most attempts a parent level's evidence counts for in a child's prior (a new approach of a known
  -- model, a known strategy at a new complexity), so the child can still tell itself apart
  parent_evidence numeric not null default 50 check (parent_evidence > 0),
  -- per user; null: no limit
  requests_per_minute integer default 60 check (requests_per_minute > 0),
  concurrent_requests integer default 10 check (concurrent_requests > 0),
  -- the whole project's monthly spend cap in USD, across all users; null: none
  monthly_budget_usd numeric(14, 6) check (monthly_budget_usd >= 0),
  updated_at timestamptz not null default now()
);

insert into public.project_settings default values;

comment on table public.project_settings is
  'The project''s own settings, one row: min_pool_users (k of the k-user rule), evidence_per_user (the '
  'most one other user counts for in pooled evidence), evidence_decay (how fast old evidence fades), '
  'drift_slack and drift_threshold (when a strategy is found to have changed), '
  'parent_evidence (the most a parent level counts for in a new strategy''s prior), '
  'requests_per_minute and concurrent_requests per user (null: no limit), monthly_budget_usd (the '
  'project-wide monthly spend cap, null: none).';

create trigger project_settings_touch_updated_at before update on public.project_settings
  for each row execute function public.touch_updated_at();

alter table public.project_settings enable row level security;
-- no policy: only the service side reads and writes it
revoke all on table public.project_settings from public, anon, authenticated;
grant select, update on table public.project_settings to service_role;

-- One definition of "an attempt that says something about the model" (a use), for the statistics, the
-- ranking, the cost estimates and the views alike: attempts that never reached a model are not evidence
-- about it — refused by the request's budget, cancelled (before or during the call, because another
-- strategy won or the caller left), or refused for the project's credentials.
create function public.is_model_evidence(p_error_class text)
returns boolean
language sql
immutable
set search_path = ''
as $$ select p_error_class is null or p_error_class not in ('cancelled', 'budget_exceeded', 'auth') $$;

comment on function public.is_model_evidence(text) is
  'Whether an attempt with this error class says something about the model: every success and failure '
  'except cancelled, budget_exceeded and auth (those never reached a model).';

revoke all on function public.is_model_evidence(text) from public, anon;
grant execute on function public.is_model_evidence(text) to authenticated, service_role;
