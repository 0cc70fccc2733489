-- The quality loop: refinement rounds (attempts of approach 'refine'), a verifier's verdict per request
-- (public.verifications), consensus mode, and each request's confidence, conflicts and whether it needs a
-- person's review — plus the views that say whether refining pays and how far confidence can be trusted.

alter table public.model_performance drop constraint model_performance_approach_check;
alter table public.model_performance add constraint model_performance_approach_check
  check (approach in ('simple', 'progressive', 'refine'));
alter table public.model_selections drop constraint model_selections_selected_approach_check;
alter table public.model_selections add constraint model_selections_selected_approach_check
  check (selected_approach in ('simple', 'progressive', 'refine'));
alter table public.model_selections drop constraint model_selections_mode_check;
alter table public.model_selections add constraint model_selections_mode_check
  check (mode in ('sequential', 'parallel', 'hedged', 'consensus'));

alter table public.model_selections
  add column confidence numeric(4, 3) check (confidence between 0 and 1),
  add column needs_review boolean,
  -- what the outputs disagreed on: [{aspect, message}]
  add column conflicts jsonb not null default '[]' check (jsonb_typeof(conflicts) = 'array'),
  add column refine_rounds smallint not null default 0 check (refine_rounds between 0 and 3);

comment on column public.model_selections.confidence is
  'How much the result can be trusted, 0-1: from the winner''s score, its margin over the runner-up, the '
  'agreement between outputs and the verifier''s verdict (README, Confidence).';

alter table public.user_settings
  add column refine_rounds smallint check (refine_rounds between 0 and 3),
  add column verify boolean not null default false;

grant insert (refine_rounds, verify), update (refine_rounds, verify) on table public.user_settings to authenticated;

-- One row per verified request: which model reviewed the winner, what it found, and what it cost.
create table public.verifications (
  id bigint generated always as identity primary key,
  request_id uuid not null unique references public.model_selections (request_id) on delete cascade,
  user_id uuid not null,
  model_name text not null,
  provider text not null,
  -- 'unavailable': the verifier failed or ran out of time; the request went on without its verdict
  verdict text not null check (verdict in ('pass', 'fail', 'uncertain', 'unavailable')),
  issues jsonb not null default '[]' check (jsonb_typeof(issues) = 'array'),
  summary text check (length(summary) <= 2000),
  error text check (length(error) <= 500),
  input_tokens integer not null default 0 check (input_tokens >= 0),
  output_tokens integer not null default 0 check (output_tokens >= 0),
  cost_usd numeric(12, 6) not null default 0 check (cost_usd >= 0),
  duration_ms integer not null default 0 check (duration_ms >= 0),
  created_at timestamptz not null default now()
);

comment on table public.verifications is
  'One row per verified request: the verifier model, its verdict (pass, fail, uncertain, unavailable), the '
  'issues it found, its summary and its cost.';

create index verifications_user_created_idx on public.verifications (user_id, created_at desc);

alter table public.verifications enable row level security;
create policy "users read their own verifications" on public.verifications
  for select to authenticated using ((select auth.uid()) = user_id);
revoke all on table public.verifications from public, anon, authenticated;
grant select on table public.verifications to authenticated;
grant select, insert, update, delete on table public.verifications to service_role;
revoke all on sequence public.verifications_id_seq from public, anon, authenticated;
grant usage on sequence public.verifications_id_seq to service_role;

-- Refinement is ranked apart: its attempts build their own rows ('*', 'refine') and (complexity,
-- 'refine'), never the model's own row that planned strategies start from.
create or replace function public.add_strategy_evidence()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  settings public.project_settings := (select s from public.project_settings s);
  decay double precision := settings.evidence_decay;
  slack double precision := settings.drift_slack;
begin
  with observed as (
    select r.user_id, r.task_type, level.complexity, r.model_name, level.approach, r.provider,
      public.delivered_quality(r.success, r.quality_score) as delivered, r.success, r.quality_score,
      r.duration_ms, r.cost_usd, r.input_tokens + r.output_tokens > 0 as costed
    from new_rows r
    cross join lateral (
      values (r.request_complexity, r.approach), ('*', r.approach), ('*', '*')
    ) as level (complexity, approach)
    where public.is_model_evidence(r.error_class) and not (r.approach = 'refine' and level.approach = '*')
  ),
  counted as (
    select user_id, task_type, complexity, model_name, approach, max(provider) as provider,
      count(*) as attempts, sum(delivered) as delivered,
      count(*) filter (where success) as successes,
      coalesce(sum(quality_score) filter (where success), 0)::double precision / 100 as quality_sum,
      sum(duration_ms) as duration_ms_sum,
      count(*) filter (where costed) as costed,
      coalesce(sum(cost_usd) filter (where costed), 0) as cost_usd_sum
    from observed
    group by user_id, task_type, complexity, model_name, approach
  )
  insert into public.strategy_stats_by_user as s (user_id, task_type, complexity, model_name, approach,
    provider, evidence, delivered, recent_evidence, recent_delivered, attempts, successes, quality_sum,
    duration_ms_sum, costed, cost_usd_sum)
  select user_id, task_type, complexity, model_name, approach, provider, attempts, delivered, attempts,
    delivered, attempts, successes, quality_sum, duration_ms_sum, costed, cost_usd_sum
  from counted
  on conflict (user_id, task_type, model_name, approach, complexity) do update set
    evidence = s.evidence * power(decay, excluded.attempts) + excluded.evidence,
    delivered = s.delivered * power(decay, excluded.attempts) + excluded.delivered,
    recent_evidence = s.recent_evidence * power(0.9, excluded.attempts) + excluded.evidence,
    recent_delivered = s.recent_delivered * power(0.9, excluded.attempts) + excluded.delivered,
    drift_down = case when s.evidence >= 10 then greatest(0, s.drift_down
      + excluded.attempts * (s.delivered / s.evidence - slack) - excluded.delivered) else 0 end,
    drift_up = case when s.evidence >= 10 then greatest(0, s.drift_up
      + excluded.delivered - excluded.attempts * (s.delivered / s.evidence + slack)) else 0 end,
    attempts = s.attempts + excluded.attempts,
    successes = s.successes + excluded.successes,
    quality_sum = s.quality_sum + excluded.quality_sum,
    duration_ms_sum = s.duration_ms_sum + excluded.duration_ms_sum,
    costed = s.costed + excluded.costed,
    cost_usd_sum = s.cost_usd_sum + excluded.cost_usd_sum;

  with changed_models as (
    select s.user_id, s.task_type, s.model_name from public.strategy_stats_by_user s
    where s.complexity = '*' and s.approach = '*' and greatest(s.drift_down, s.drift_up) > settings.drift_threshold
      and (s.user_id, s.task_type, s.model_name) in (select r.user_id, r.task_type, r.model_name from new_rows r)
  ),
  voided as (
    update public.strategy_stats_by_user s
    set evidence = 0, delivered = 0, recent_evidence = 0, recent_delivered = 0, drift_down = 0, drift_up = 0
    from changed_models c
    where s.user_id = c.user_id and s.task_type = c.task_type and s.model_name = c.model_name
      and not (s.complexity = '*' and s.approach = '*')
  )
  update public.strategy_stats_by_user s
  set evidence = s.recent_evidence, delivered = s.recent_delivered, drift_down = 0, drift_up = 0
  where greatest(s.drift_down, s.drift_up) > settings.drift_threshold
    and (s.user_id, s.task_type, s.model_name) in (select r.user_id, r.task_type, r.model_name from new_rows r)
    and not exists (
      select from changed_models c where c.user_id = s.user_id and c.task_type = s.task_type
        and c.model_name = s.model_name and not (s.complexity = '*' and s.approach = '*')
    );
  return null;
end;
$$;

-- A request's outcome, atomically and idempotently: its selection row (with confidence, conflicts and
-- refinement), one row per attempt (refinement rounds included), its verification when there was one,
-- and the settlement of its spend (every attempt's cost and the verifier's).
drop function public.record_orchestration(jsonb, jsonb);
create function public.record_orchestration(p_selection jsonb, p_attempts jsonb, p_verification jsonb default null)
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
    confidence, needs_review, conflicts, refine_rounds)
  select user_id, request_id, task_type, task_profile, selected_model, selected_provider, selected_approach,
    coalesce(alternative_models, '{}'), quality_score, mode, tier, coalesce(explored, false), was_optimal,
    confidence, needs_review, coalesce(conflicts, '[]'), coalesce(refine_rounds, 0)
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

  select coalesce(sum(a.cost_usd), 0) + coalesce((p_verification ->> 'cost_usd')::numeric, 0) into spent
  from jsonb_populate_recordset(null::public.model_performance, p_attempts) as a;
  perform public.settle_spend(requester, recorded, spent);
end;
$$;

revoke all on function public.record_orchestration(jsonb, jsonb, jsonb) from public, anon, authenticated;
grant execute on function public.record_orchestration(jsonb, jsonb, jsonb) to service_role;

-- The user's settings as planning reads them, now with the quality loop's defaults.
create or replace function public.planning_context(p_user_id uuid, p_task_type text, p_complexity text default null)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'settings', (
      select jsonb_build_object('defaultTier', s.default_tier, 'preferLocal', s.prefer_local,
        'refineRounds', s.refine_rounds, 'verify', s.verify)
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

-- Whether refining pays: per model and task type, how often a round lifted an output over the threshold,
-- how much it added, and what it cost.
create view public.refinement_payoff with (security_invoker = true) as
select
  p.model_name,
  p.task_type,
  count(*) as rounds,
  round(100.0 * count(*) filter (where (p.metadata ->> 'liftedOverThreshold')::boolean) / count(*), 1)
    as lifted_pct,
  round(avg((p.metadata ->> 'improvement')::numeric), 2) as avg_improvement,
  round(avg(p.cost_usd), 6) as avg_cost_usd
from public.model_performance p
where p.approach = 'refine' and public.is_model_evidence(p.error_class)
group by p.model_name, p.task_type;

comment on view public.refinement_payoff is
  'Per model and task type: refinement rounds, the share that lifted an output over its threshold, the '
  'mean score gained and the mean cost of a round.';

-- How far confidence can be trusted: per winning model and task type, the confidence distribution, how
-- many results were sent for review, and how often confident and unconfident results were accepted.
create view public.confidence_by_model with (security_invoker = true) as
select
  s.selected_model as model_name,
  s.task_type,
  count(*) as requests,
  round(avg(s.confidence), 3) as avg_confidence,
  round(percentile_cont(0.5) within group (order by s.confidence)::numeric, 3) as median_confidence,
  count(*) filter (where s.needs_review) as needs_review,
  round(100.0 * count(*) filter (where f.accepted and s.confidence >= 0.5)
    / nullif(count(f.id) filter (where s.confidence >= 0.5), 0), 1) as confident_accepted_pct,
  round(100.0 * count(*) filter (where f.accepted and s.confidence < 0.5)
    / nullif(count(f.id) filter (where s.confidence < 0.5), 0), 1) as unconfident_accepted_pct
from public.model_selections s
left join public.request_feedback f on f.request_id = s.request_id and f.replaced_at is null
where s.selected_model is not null and s.confidence is not null
group by s.selected_model, s.task_type;

comment on view public.confidence_by_model is
  'Per winning model and task type: requests, mean and median confidence, how many needed review, and the '
  'share of confident (>= 0.5) and unconfident results that users accepted.';

-- Seed 003's statistics, per user (RLS) or for everyone (the service side): requests, success rate,
-- average confidence, conflicts detected, fallbacks and refinements triggered, results needing review.
create view public.orchestration_stats with (security_invoker = true) as
select
  s.user_id,
  count(*) as requests,
  round(100.0 * count(*) filter (where s.selected_model is not null) / count(*), 2) as success_rate,
  round(avg(s.confidence), 3) as avg_confidence,
  coalesce(sum(jsonb_array_length(s.conflicts)), 0) as conflicts_detected,
  count(*) filter (where s.was_optimal is false) as fallbacks_used,
  coalesce(sum(s.refine_rounds), 0) as refinements,
  count(*) filter (where s.needs_review) as needs_review
from public.model_selections s
group by s.user_id;

comment on view public.orchestration_stats is
  'Per user: requests, success rate (percent), mean confidence, conflicts detected, requests won by a '
  'fallback rather than the first choice, refinement rounds and results that needed review.';

revoke all on table public.refinement_payoff, public.confidence_by_model, public.orchestration_stats
  from public, anon, authenticated;
grant select on table public.refinement_payoff, public.confidence_by_model, public.orchestration_stats
  to authenticated, service_role;

-- The same statistics over a window, for one user or (null) for everyone, with the models' usage: what the
-- operator metrics endpoint reports. Reads the window's rows through the created_at indexes.
create function public.orchestration_totals(p_user_id uuid default null, p_days integer default 7)
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
    'fallbacksUsed', (select count(*) filter (where was_optimal is false) from window_rows),
    'refinements', (select coalesce(sum(refine_rounds), 0) from window_rows),
    'needsReview', (select count(*) filter (where needs_review) from window_rows),
    'verified', (select count(*) from public.verifications v
      where v.request_id in (select request_id from window_rows)),
    'modelUsage', coalesce((select jsonb_agg(jsonb_build_object('model', u.model, 'requests', u.requests,
      'avgQuality', u.avg_quality) order by u.requests desc, u.model) from usage u), '[]')
  )
$$;

revoke all on function public.orchestration_totals(uuid, integer) from public, anon, authenticated;
grant execute on function public.orchestration_totals(uuid, integer) to service_role;
