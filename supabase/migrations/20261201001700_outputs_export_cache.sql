-- What a request produced, kept when both the project and the user allow it (request_outputs); an exact
-- result cache per user (result_cache) with a TTL, evicted by a rejection; the rows an export reads; the
-- insights drawn from the data; and retention: raw rows past a project setting deleted in batches, after
-- their daily aggregates are kept.

alter table public.project_settings
  add column cache_ttl_seconds integer not null default 86400 check (cache_ttl_seconds between 0 and 2592000),
  -- raw attempts and selections older than this are deleted by purge_old_rows (pg_cron)
  add column retention_days integer not null default 180 check (retention_days between 1 and 3650),
  -- an insight needs at least this many attempts behind each side of its comparison
  add column insight_min_samples integer not null default 20 check (insight_min_samples >= 2);

alter table public.user_settings
  add column store_outputs boolean not null default false,
  -- how long the user's stored outputs are kept (null: as long as the project keeps raw rows)
  add column outputs_retention_days integer check (outputs_retention_days between 1 and 3650);

grant insert (store_outputs, outputs_retention_days), update (store_outputs, outputs_retention_days)
  on table public.user_settings to authenticated;

-- A selection answered from the cache names the request it repeats.
alter table public.model_selections add column cached_from uuid;

-- What a request produced: its text, its context files' paths and the winning files.
create table public.request_outputs (
  request_id uuid primary key references public.model_selections (request_id) on delete cascade,
  user_id uuid not null,
  request_text text not null,
  context_paths text[] not null default '{}',
  files jsonb not null check (jsonb_typeof(files) = 'array'),
  created_at timestamptz not null default now()
);

comment on table public.request_outputs is
  'What a request produced, stored only when the project (ORCHESTRATOR_STORE_OUTPUTS) and the user '
  '(user_settings.store_outputs) allow it: the request text, its context paths and the winning files.';

create index request_outputs_user_created_idx on public.request_outputs (user_id, created_at desc);

alter table public.request_outputs enable row level security;
create policy "users read their own outputs" on public.request_outputs
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "users delete their own outputs" on public.request_outputs
  for delete to authenticated using ((select auth.uid()) = user_id);
revoke all on table public.request_outputs from public, anon, authenticated;
grant select, delete on table public.request_outputs to authenticated;
grant select, insert, update, delete on table public.request_outputs to service_role;

-- Deleted with the user (no foreign key: rows of users the service side acts for need not be Auth users).
create function public.delete_user_outputs()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from public.request_outputs where user_id = old.id;
  delete from public.result_cache where user_id = old.id;
  return old;
end;
$$;

-- An exact cache of responses, per user: the key hashes everything that changes the output.
create table public.result_cache (
  user_id uuid not null,
  cache_key text not null check (length(cache_key) = 64),
  request_id uuid not null,
  response jsonb not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  primary key (user_id, cache_key)
);

comment on table public.result_cache is
  'Responses kept for exact repeats of a user''s request (same text, context, tier, models, mode and '
  'options), until expires_at; a rejection by feedback evicts its entry. Service side only.';

create index result_cache_request_idx on public.result_cache (request_id);
create index result_cache_expires_idx on public.result_cache (expires_at);

alter table public.result_cache enable row level security;
revoke all on table public.result_cache from public, anon, authenticated;
grant select, insert, update, delete on table public.result_cache to service_role;

create trigger auth_users_delete_outputs after delete on auth.users
  for each row execute function public.delete_user_outputs();

-- The entry a request would be answered from: the user's, unexpired.
create function public.cached_response(p_user_id uuid, p_cache_key text)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object('requestId', c.request_id, 'response', c.response)
  from public.result_cache c
  where c.user_id = p_user_id and c.cache_key = p_cache_key and c.expires_at > now()
$$;

-- A rejected result leaves the cache: its own entry, or the entry it was answered from.
create function public.evict_rejected()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not new.accepted then
    delete from public.result_cache c
    where c.user_id = new.user_id and (c.request_id = new.request_id or c.request_id =
      (select s.cached_from from public.model_selections s where s.request_id = new.request_id));
  end if;
  return new;
end;
$$;

create trigger request_feedback_evict_rejected after insert on public.request_feedback
  for each row execute function public.evict_rejected();

-- A request's outcome, now with what it produced (p_output) and its cache entry (p_cache), atomically.
drop function public.record_orchestration(jsonb, jsonb, jsonb);
create function public.record_orchestration(
  p_selection jsonb, p_attempts jsonb, p_verification jsonb default null, p_output jsonb default null,
  p_cache jsonb default null
)
returns void
language plpgsql
set search_path = ''
as $$
declare
  recorded uuid;
  requester uuid;
  spent numeric;
begin
  perform public.finish_request((p_selection ->> 'request_id')::uuid);
  insert into public.model_selections (user_id, request_id, task_type, task_profile, selected_model,
    selected_provider, selected_approach, alternative_models, quality_score, mode, tier, explored, was_optimal,
    confidence, needs_review, conflicts, refine_rounds, cached_from)
  select user_id, request_id, task_type, task_profile, selected_model, selected_provider, selected_approach,
    coalesce(alternative_models, '{}'), quality_score, mode, tier, coalesce(explored, false), was_optimal,
    confidence, needs_review, coalesce(conflicts, '[]'), coalesce(refine_rounds, 0), cached_from
  from jsonb_populate_record(null::public.model_selections, p_selection)
  on conflict (request_id) do nothing
  returning request_id, user_id into recorded, requester;
  if recorded is null then
    return;
  end if;

  insert into public.model_performance (user_id, request_id, task_type, request_complexity, model_name,
    provider, approach, quality_score, quality_breakdown, success, error_class, duration_ms, input_tokens,
    output_tokens, cost_usd, file_count, metadata)
  select requester, recorded, a.task_type, a.request_complexity, a.model_name, a.provider, a.approach,
    a.quality_score, a.quality_breakdown, a.success, a.error_class, a.duration_ms,
    coalesce(a.input_tokens, 0), coalesce(a.output_tokens, 0), coalesce(a.cost_usd, 0),
    coalesce(a.file_count, 0), coalesce(a.metadata, '{}')
  from jsonb_populate_recordset(null::public.model_performance, p_attempts) as a;

  if p_verification is not null then
    insert into public.verifications (request_id, user_id, model_name, provider, verdict, issues, summary,
      error, input_tokens, output_tokens, cost_usd, duration_ms)
    select recorded, requester, v.model_name, v.provider, v.verdict, coalesce(v.issues, '[]'), v.summary, v.error,
      coalesce(v.input_tokens, 0), coalesce(v.output_tokens, 0), coalesce(v.cost_usd, 0),
      coalesce(v.duration_ms, 0)
    from jsonb_populate_record(null::public.verifications, p_verification) as v;
  end if;

  if p_output is not null then
    insert into public.request_outputs (request_id, user_id, request_text, context_paths, files)
    select recorded, requester, o.request_text, coalesce(o.context_paths, '{}'), o.files
    from jsonb_populate_record(null::public.request_outputs, p_output) as o;
  end if;

  -- a TTL of 0 turns the cache off
  if p_cache is not null and (select cache_ttl_seconds from public.project_settings) > 0 then
    insert into public.result_cache (user_id, cache_key, request_id, response, expires_at)
    values (requester, p_cache ->> 'cache_key', recorded, p_cache -> 'response',
      now() + make_interval(secs => (select cache_ttl_seconds from public.project_settings)))
    on conflict (user_id, cache_key) do update set request_id = excluded.request_id,
      response = excluded.response, created_at = now(), expires_at = excluded.expires_at;
  end if;

  select coalesce(sum(a.cost_usd), 0) + coalesce((p_verification ->> 'cost_usd')::numeric, 0) into spent
  from jsonb_populate_recordset(null::public.model_performance, p_attempts) as a;
  perform public.settle_spend(requester, recorded, spent);
end;
$$;

revoke all on function public.record_orchestration(jsonb, jsonb, jsonb, jsonb, jsonb) from public, anon, authenticated;
grant execute on function public.record_orchestration(jsonb, jsonb, jsonb, jsonb, jsonb) to service_role;

-- The user's settings as planning reads them, now with whether their outputs may be kept.
create or replace function public.planning_context(p_user_id uuid, p_task_type text, p_complexity text default null)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'settings', (
      select jsonb_build_object('defaultTier', s.default_tier, 'preferLocal', s.prefer_local,
        'refineRounds', s.refine_rounds, 'verify', s.verify, 'storeOutputs', s.store_outputs)
      from public.user_settings s where s.user_id = p_user_id
    ),
    'budget', public.budget_snapshot(p_user_id, public.spend_month(now())),
    'ranking', coalesce(
      (select jsonb_agg(to_jsonb(r) order by r.rank)
       from public.get_best_model_for_task(p_user_id, p_task_type, p_complexity) r),
      '[]'
    )
  )
$$;

-- The rows an export reads: one per attempt, with its request's outcome, feedback and stored output (if
-- any). For one user, or (null) for everyone.
create function public.export_rows(
  p_user_id uuid, p_from timestamptz, p_to timestamptz, p_task_type text, p_min_quality numeric,
  p_feedback text, p_model text
)
returns table (
  request_id uuid, user_id uuid, created_at timestamptz, task_type text, task_profile jsonb, selected_model text, selected_approach text, request_quality numeric, confidence numeric,
  mode text, tier text, cached_from uuid, feedback text, rating smallint,
  model_name text, provider text, approach text, success boolean, error_class text, quality_score numeric,
  duration_ms integer, input_tokens integer, output_tokens integer, cost_usd numeric,
  is_winner boolean, request_text text, context_paths text[], files jsonb
)
language sql
stable
set search_path = ''
as $$
  select s.request_id, s.user_id, s.created_at, s.task_type, s.task_profile, s.selected_model, s.selected_approach, s.quality_score,
    s.confidence, s.mode, s.tier, s.cached_from,
    case when f.id is null then 'none' when f.accepted then 'accepted' else 'rejected' end, f.rating,
    p.model_name, p.provider, p.approach, p.success, p.error_class, p.quality_score, p.duration_ms,
    p.input_tokens, p.output_tokens, p.cost_usd,
    p.id is not null and p.model_name = s.selected_model and p.approach = s.selected_approach
      and p.quality_score = s.quality_score,
    o.request_text, o.context_paths, o.files
  from public.model_selections s
  left join public.model_performance p on p.request_id = s.request_id
  left join public.request_feedback f on f.request_id = s.request_id and f.replaced_at is null
  left join public.request_outputs o on o.request_id = s.request_id
  where (p_user_id is null or s.user_id = p_user_id)
    and (p_from is null or s.created_at >= p_from) and (p_to is null or s.created_at < p_to)
    and (p_task_type is null or s.task_type = p_task_type)
    and (p_min_quality is null or s.quality_score >= p_min_quality)
    and (p_feedback is null or p_feedback = 'any'
      or p_feedback = case when f.id is null then 'none' when f.accepted then 'accepted' else 'rejected' end)
    and (p_model is null or s.selected_model = p_model or p.model_name = p_model)
  order by s.created_at, s.request_id, p.id
$$;

-- Daily aggregates of raw attempts, kept when retention deletes the rows.
create table public.attempts_daily (
  day date not null,
  task_type text not null,
  model_name text not null,
  approach text not null,
  attempts bigint not null default 0,
  successes bigint not null default 0,
  quality_sum numeric not null default 0,
  cost_usd_sum numeric not null default 0,
  duration_ms_sum bigint not null default 0,
  primary key (day, task_type, model_name, approach)
);

comment on table public.attempts_daily is
  'Per UTC day, task type, model and approach: the attempts retention deleted (counts and sums), so the '
  'history outlives its raw rows. Service side only.';

alter table public.attempts_daily enable row level security;
revoke all on table public.attempts_daily from public, anon, authenticated;
grant select, insert, update, delete on table public.attempts_daily to service_role;

-- For a scheduled job (pg_cron, daily): deletes raw selections (with their attempts, verifications,
-- feedback and outputs) older than project_settings.retention_days, at most p_batch per call and in
-- creation order, after adding their attempts to attempts_daily; the evidence rollups are kept as they are.
-- Stored outputs also go once past their user's outputs_retention_days. Returns the selections deleted.
create function public.purge_old_rows(p_batch integer default 5000)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  cutoff timestamptz := now() - make_interval(days => (select retention_days from public.project_settings));
  purged integer;
begin
  -- One statement: the aggregates are taken from the very rows it deletes.
  with purged_requests as (
    select s.request_id from public.model_selections s
    where s.created_at < cutoff order by s.created_at limit greatest(p_batch, 1)
  ),
  aggregated as (
    insert into public.attempts_daily as d (day, task_type, model_name, approach, attempts, successes,
      quality_sum, cost_usd_sum, duration_ms_sum)
    select (p.created_at at time zone 'utc')::date, p.task_type, p.model_name, p.approach, count(*),
      count(*) filter (where p.success), coalesce(sum(p.quality_score) filter (where p.success), 0),
      sum(p.cost_usd), sum(p.duration_ms)
    from public.model_performance p
    where p.request_id in (select request_id from purged_requests)
    group by 1, 2, 3, 4
    on conflict (day, task_type, model_name, approach) do update set
      attempts = d.attempts + excluded.attempts, successes = d.successes + excluded.successes,
      quality_sum = d.quality_sum + excluded.quality_sum, cost_usd_sum = d.cost_usd_sum + excluded.cost_usd_sum,
      duration_ms_sum = d.duration_ms_sum + excluded.duration_ms_sum
  ),
  deleted as (
    delete from public.model_selections where request_id in (select request_id from purged_requests)
    returning 1
  )
  select count(*) into purged from deleted;

  delete from public.request_outputs o
  using public.user_settings u
  where u.user_id = o.user_id and u.outputs_retention_days is not null
    and o.created_at < now() - make_interval(days => u.outputs_retention_days);
  delete from public.result_cache where expires_at < now();
  return purged;
end;
$$;

revoke all on function public.cached_response(uuid, text), public.export_rows(uuid, timestamptz, timestamptz,
  text, numeric, text, text), public.purge_old_rows(integer) from public, anon, authenticated;
grant execute on function public.cached_response(uuid, text), public.export_rows(uuid, timestamptz, timestamptz,
  text, numeric, text, text), public.purge_old_rows(integer) to service_role;
revoke all on function public.delete_user_outputs(), public.evict_rejected() from public, anon, authenticated;

-- What the data says, for one user (their own rows, plus everyone's where at least min_pool_users users are
-- behind a group: the k-user rule) or (null) for everyone, optionally for one task type. Lines of four
-- kinds, each with its sample sizes; none is made from fewer than insight_min_samples attempts a side:
--   winner        per task type x complexity x requirement ('*': any), the best strategy by delivered
--                 quality against the runner-up: the difference with a 95% interval, the cost ratio;
--   trend         the winner's delivered quality in the last 7 days against the 7 before;
--   refinement    per task type and model: how often a round lifted an output over its threshold (with a
--                 95% Wilson lower bound), the mean gain and cost;
--   verification  per task type: how often a review failed the winner, and how often a round then won.
create function public.insights(p_user_id uuid default null, p_task_type text default null)
returns jsonb
language sql
stable
set search_path = ''
as $$
  with settings as (
    select min_pool_users as k, insight_min_samples as m from public.project_settings
  ),
  attempts as (
    select p.user_id, p.task_type, p.request_complexity as complexity, r.requirement, p.model_name, p.approach,
      public.delivered_quality(p.success, p.quality_score) as q, p.cost_usd, p.created_at, p.metadata
    from public.model_performance p
    join public.model_selections s on s.request_id = p.request_id
    cross join lateral (
      select '*' union all select jsonb_array_elements_text(coalesce(s.task_profile -> 'requirements', '[]'))
    ) as r (requirement)
    where public.is_model_evidence(p.error_class) and (p_task_type is null or p.task_type = p_task_type)
  ),
  -- who may be counted in each group: everyone under the k-user rule, else the user alone
  visible as (
    select a.* from attempts a
    join (
      select task_type, complexity, requirement, model_name, approach, count(distinct user_id) as users
      from attempts group by 1, 2, 3, 4, 5
    ) g using (task_type, complexity, requirement, model_name, approach)
    where p_user_id is null or a.user_id = p_user_id or g.users >= (select k from settings)
  ),
  strategies as (
    select task_type, complexity, requirement, model_name, approach, count(*) as n, avg(q) as mean,
      coalesce(var_samp(q), 0) as variance, avg(cost_usd) as cost,
      row_number() over (partition by task_type, complexity, requirement order by avg(q) desc, avg(cost_usd))
        as place
    from visible where approach <> 'refine'
    group by 1, 2, 3, 4, 5
    having count(*) >= (select m from settings)
  ),
  winners as (
    select w.task_type, w.complexity, w.requirement, w.model_name, w.approach, w.n, w.mean, w.cost,
      r.model_name as alt_model, r.approach as alt_approach, r.n as alt_n, r.mean as alt_mean, r.cost as alt_cost,
      w.mean - r.mean as diff, 1.96 * sqrt(w.variance / w.n + r.variance / r.n) as margin
    from strategies w join strategies r using (task_type, complexity, requirement)
    where w.place = 1 and r.place = 2
  ),
  trends as (
    select w.task_type, w.complexity, w.requirement, w.model_name, w.approach,
      count(*) filter (where v.created_at > now() - interval '7 days') as n_now,
      avg(v.q) filter (where v.created_at > now() - interval '7 days') as mean_now,
      count(*) filter (where v.created_at <= now() - interval '7 days' and v.created_at > now() - interval '14 days')
        as n_before,
      avg(v.q) filter (where v.created_at <= now() - interval '7 days' and v.created_at > now() - interval '14 days')
        as mean_before
    from winners w
    join visible v using (task_type, complexity, requirement, model_name, approach)
    group by 1, 2, 3, 4, 5
  ),
  refinements as (
    select task_type, model_name, count(*) as n,
      count(*) filter (where (metadata ->> 'liftedOverThreshold')::boolean) as lifted,
      avg((metadata ->> 'improvement')::numeric) as gain, avg(cost_usd) as cost
    from visible where approach = 'refine' and requirement = '*'
    group by 1, 2
    having count(*) >= (select m from settings)
  ),
  reviews as (
    select s.task_type, count(*) as n, count(*) filter (where v.verdict = 'fail') as failed,
      count(*) filter (where v.verdict = 'fail' and s.selected_approach = 'refine') as fixed
    from public.verifications v
    join public.model_selections s on s.request_id = v.request_id
    where (p_task_type is null or s.task_type = p_task_type) and v.verdict <> 'unavailable'
      and (p_user_id is null or s.user_id = p_user_id)
    group by 1
    having count(*) >= (select m from settings)
  ),
  lines as (
    select 1 as kind_order, jsonb_build_object('kind', 'winner', 'taskType', task_type, 'complexity', complexity,
      'requirement', requirement, 'strategy', jsonb_build_object('model', model_name, 'approach', approach),
      'alternative', jsonb_build_object('model', alt_model, 'approach', alt_approach),
      'quality', round((100 * mean)::numeric, 1), 'alternativeQuality', round((100 * alt_mean)::numeric, 1),
      'difference', round((100 * diff)::numeric, 1),
      'interval', jsonb_build_array(round((100 * (diff - margin))::numeric, 1), round((100 * (diff + margin))::numeric, 1)),
      'costRatio', case when alt_cost > 0 then round((cost / alt_cost)::numeric, 2) end,
      'samples', n, 'alternativeSamples', alt_n) as line
    from winners
    union all
    select 2, jsonb_build_object('kind', 'trend', 'taskType', task_type, 'complexity', complexity,
      'requirement', requirement, 'strategy', jsonb_build_object('model', model_name, 'approach', approach),
      'quality', round((100 * mean_now)::numeric, 1), 'previousQuality', round((100 * mean_before)::numeric, 1),
      'change', round((100 * (mean_now - mean_before))::numeric, 1), 'samples', n_now, 'previousSamples', n_before)
    from trends
    where n_now >= (select m from settings) and n_before >= (select m from settings)
    union all
    select 3, jsonb_build_object('kind', 'refinement', 'taskType', task_type, 'model', model_name,
      'liftedPct', round(100.0 * lifted / n, 1),
      'liftedLowerBoundPct', round((100 * (lifted::double precision / n + 1.9208 / n
        - 1.96 * sqrt(lifted::double precision / n * (1 - lifted::double precision / n) / n + 0.9604 / n ^ 2))
        / (1 + 3.8416 / n))::numeric, 1),
      'meanGain', round(gain, 2), 'meanCostUsd', round(cost, 6), 'samples', n)
    from refinements
    union all
    select 4, jsonb_build_object('kind', 'verification', 'taskType', task_type, 'failedPct', round(100.0 * failed / n, 1),
      'fixedByRefinementPct', case when failed > 0 then round(100.0 * fixed / failed, 1) end,
      'samples', n, 'failedSamples', failed)
    from reviews
  )
  select coalesce(jsonb_agg(line order by kind_order, line ->> 'taskType', line ->> 'complexity',
    line ->> 'requirement', line ->> 'model'), '[]')
  from lines
$$;

-- For dashboards on the service side: everyone's insights, one line per row.
create view public.strategy_insights with (security_invoker = true) as
select line ->> 'kind' as kind, line ->> 'taskType' as task_type, line
from jsonb_array_elements(public.insights(null, null)) as line;

comment on view public.strategy_insights is
  'Everyone''s insights (public.insights): winners with their margin, trends, refinement and verification '
  'payoff, each with its sample sizes. Service side only.';

revoke all on function public.insights(uuid, text) from public, anon, authenticated;
grant execute on function public.insights(uuid, text) to service_role;
revoke all on table public.strategy_insights from public, anon, authenticated;
grant select on table public.strategy_insights to service_role;

-- A fallback is a request whose first planned strategy failed and another one won — not merely one whose
-- first choice was outscored (parallel and consensus runs compare every output by design).
create function public.used_fallback(p_request_id uuid, p_selected_model text)
returns boolean
language sql
stable
set search_path = ''
as $$
  select p_selected_model is not null and exists (
    select from public.model_performance p
    where p.request_id = p_request_id and p.approach <> 'refine' and not p.success
      and (p.metadata ->> 'planRank')::int = 0
  )
$$;

create or replace view public.orchestration_stats with (security_invoker = true) as
select
  s.user_id,
  count(*) as requests,
  round(100.0 * count(*) filter (where s.selected_model is not null) / count(*), 2) as success_rate,
  round(avg(s.confidence), 3) as avg_confidence,
  coalesce(sum(jsonb_array_length(s.conflicts)), 0) as conflicts_detected,
  count(*) filter (where public.used_fallback(s.request_id, s.selected_model)) as fallbacks_used,
  coalesce(sum(s.refine_rounds), 0) as refinements,
  count(*) filter (where s.needs_review) as needs_review
from public.model_selections s
group by s.user_id;

create or replace function public.orchestration_totals(p_user_id uuid default null, p_days integer default 7)
returns jsonb
language sql
stable
set search_path = ''
as $$
  with window_rows as (
    select s.* from public.model_selections s
    where s.created_at > now() - make_interval(days => least(greatest(p_days, 1), 366))
      and (p_user_id is null or s.user_id = p_user_id)
  ),
  usage as (
    select s.selected_model as model, count(*) as requests, round(avg(s.quality_score), 2) as avg_quality
    from window_rows s where s.selected_model is not null group by s.selected_model
  )
  select jsonb_build_object(
    'days', least(greatest(p_days, 1), 366),
    'requests', (select count(*) from window_rows),
    'successRate', (select round(100.0 * count(*) filter (where selected_model is not null) / nullif(count(*), 0), 2)
      from window_rows),
    'avgConfidence', (select round(avg(confidence), 3) from window_rows),
    'conflictsDetected', (select coalesce(sum(jsonb_array_length(conflicts)), 0) from window_rows),
    'fallbacksUsed', (select count(*) filter (where public.used_fallback(request_id, selected_model)) from window_rows),
    'refinements', (select coalesce(sum(refine_rounds), 0) from window_rows),
    'needsReview', (select count(*) filter (where needs_review) from window_rows),
    'verified', (select count(*) from public.verifications v
      where v.request_id in (select request_id from window_rows)),
    'modelUsage', coalesce((select jsonb_agg(jsonb_build_object('model', u.model, 'requests', u.requests,
      'avgQuality', u.avg_quality) order by u.requests desc, u.model) from usage u), '[]')
  )
$$;

revoke all on function public.used_fallback(uuid, text) from public, anon;
grant execute on function public.used_fallback(uuid, text) to authenticated, service_role;
