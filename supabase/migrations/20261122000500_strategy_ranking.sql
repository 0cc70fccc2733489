-- What the planner learns from, and how a request's outcome is written back.
--
-- get_best_model_for_task ranks every (model, approach) strategy of the enabled catalog for one user and
-- task type. Each attempt counts as a "delivered quality" in [0, 1]: quality_score / 100 when it
-- succeeded, 0 when it failed; attempts cancelled because another strategy won (hedged mode) do not
-- count. Three sources of evidence are pooled, each as pseudo-attempts:
--   the catalog's prior for the task type (strengths, else quality_prior / 10), worth 5 attempts;
--   everyone else's attempts, worth at most 20: users differ, so no amount of other people's evidence
--     makes us more certain about this user than that;
--   the user's own attempts, at full weight.
-- expected_quality is the pooled mean (the posterior mean of a Beta model, on 0-100) and evidence its
-- weight in attempts, from which the planner draws exploration samples. Strategies are ranked by the
-- one-sided 95% Wilson lower bound on the pooled mean, so two lucky attempts never outrank two hundred
-- good ones, and a model nobody has tried yet is listed (with the catalog's prior) but ranked by how
-- little is known about it.
--
-- Security definer because the pooled evidence reads other users' rows; it returns only aggregates, and
-- a caller acting as a user (a user JWT, or the anon/authenticated role) may only ask about themselves.
create function public.get_best_model_for_task(p_user_id uuid, p_task_type text)
returns table (
  model_name text,
  provider text,
  approach text,
  samples bigint,
  prior_samples bigint,
  success_rate numeric,
  mean_quality numeric,
  expected_quality numeric,
  evidence numeric,
  quality_lower_bound numeric,
  mean_duration_ms numeric,
  mean_cost_usd numeric,
  rank bigint
)
language plpgsql
stable
security definer
set search_path = ''
-- The parameters only pick rows by key, so one generic plan serves every call; a custom plan would be
-- planned again on every call, which costs more than running it.
set plan_cache_mode = force_generic_plan
as $$
declare
  catalog_weight constant numeric := 5;
  others_weight constant numeric := 20;
  z constant numeric := 1.645;
  caller_role text := coalesce(auth.role(), nullif(current_setting('role', true), 'none'));
begin
  if caller_role in ('anon', 'authenticated') and p_user_id is distinct from (select auth.uid()) then
    raise exception 'get_best_model_for_task: a user may only ask about their own user id'
      using errcode = '42501';
  end if;

  return query
  with observed as materialized (
    -- everyone's totals include this user's: the others are the difference
    select
      m.model_id,
      m.provider,
      a.approach,
      coalesce((m.strengths ->> p_task_type)::numeric, m.quality_prior / 10) as prior_quality,
      coalesce(o.attempts, 0)::numeric as own_n,
      coalesce(g.attempts - coalesce(o.attempts, 0), 0)::numeric as other_n,
      coalesce(o.successes, 0)::numeric as own_successes,
      coalesce(g.successes - coalesce(o.successes, 0), 0)::numeric as other_successes,
      coalesce(o.delivered, 0) as own_delivered,
      coalesce(g.delivered - coalesce(o.delivered, 0), 0) as other_delivered,
      coalesce(o.duration_ms_sum, 0) as own_duration,
      coalesce(g.duration_ms_sum - coalesce(o.duration_ms_sum, 0), 0) as other_duration,
      coalesce(o.cost_usd_sum, 0) as own_cost,
      coalesce(g.cost_usd_sum - coalesce(o.cost_usd_sum, 0), 0) as other_cost
    from public.models m
    cross join (values ('simple'), ('progressive')) as a (approach)
    left join public.model_stats g
      on g.task_type = p_task_type and g.model_name = m.model_id and g.approach = a.approach
    left join public.model_stats_by_user o
      on o.user_id = p_user_id and o.task_type = p_task_type and o.model_name = m.model_id
      and o.approach = a.approach
    where m.enabled
  ),
  -- materialized: inlined, every later use of n and delivered would repeat the weighting expressions,
  -- and planning that tree took several times longer than the query
  pooled as materialized (
    select
      ob.*,
      ob.own_n + ob.other_n * w.w as data_n,
      ob.own_successes + ob.other_successes * w.w as data_successes,
      ob.own_delivered + ob.other_delivered * w.w as data_delivered,
      ob.own_duration + ob.other_duration * w.w as data_duration,
      ob.own_cost + ob.other_cost * w.w as data_cost,
      catalog_weight + ob.own_n + ob.other_n * w.w as n,
      catalog_weight * ob.prior_quality + ob.own_delivered + ob.other_delivered * w.w as delivered
    from observed ob
    -- w scales the others' sums down to at most others_weight attempts
    cross join lateral (
      select case when ob.other_n = 0 then 0 else least(ob.other_n, others_weight) / ob.other_n end as w
    ) as w
  ),
  bounded as (
    select
      po.*,
      po.delivered / po.n as p,
      -- Wilson score lower bound for a mean of outcomes in [0, 1]
      (
        po.delivered / po.n + z * z / (2 * po.n)
        - z * sqrt(greatest(po.delivered / po.n * (1 - po.delivered / po.n), 0) / po.n + z * z / (4 * po.n * po.n))
      ) / (1 + z * z / po.n) as lower_bound
    from pooled po
  )
  select
    b.model_id,
    b.provider,
    b.approach,
    b.own_n::bigint,
    b.other_n::bigint,
    case when b.data_n > 0 then round(b.data_successes / b.data_n, 4) end,
    case when b.data_successes > 0 then round(100 * b.data_delivered / b.data_successes, 2) end,
    round(100 * b.p, 2),
    round(b.n, 2),
    round(100 * greatest(b.lower_bound, 0), 2),
    case when b.data_n > 0 then round(b.data_duration / b.data_n, 1) end,
    case when b.data_n > 0 then round(b.data_cost / b.data_n, 6) end,
    row_number() over (order by b.lower_bound desc, b.p desc, b.n desc, b.model_id, b.approach)
  from bounded b
  order by 13;
end;
$$;

comment on function public.get_best_model_for_task(uuid, text) is
  'Ranked strategies (model, approach) of the enabled catalog for a user and task type: samples (the '
  'user''s own), prior_samples (other users'', weighted as at most 20), success rate and mean quality of '
  'the observed attempts, expected_quality (catalog prior, others and own pooled, 0-100) with its evidence '
  '(in attempts), a one-sided 95% lower bound on it, mean duration and cost; ranked by the bound.';

revoke all on function public.get_best_model_for_task(uuid, text) from public, anon;
grant execute on function public.get_best_model_for_task(uuid, text) to authenticated, service_role;

-- Everything the function needs to plan one request, in one round trip: the user's settings, their
-- budget this month, and the ranking for the task type.
create function public.planning_context(p_user_id uuid, p_task_type text)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'settings', (
      select jsonb_build_object('defaultTier', s.default_tier, 'preferLocal', s.prefer_local)
      from public.user_settings s where s.user_id = p_user_id
    ),
    'budget', public.budget_snapshot(p_user_id, public.spend_month(now())),
    'ranking', coalesce(
      (select jsonb_agg(to_jsonb(r) order by r.rank)
       from public.get_best_model_for_task(p_user_id, p_task_type) r),
      '[]'
    )
  )
$$;

-- One request's outcome, atomically and idempotently: its selection row, one row per attempt, and the
-- settlement of its spend (the sum of the attempts' costs). A retry after a lost acknowledgement finds
-- the selection row and writes nothing twice.
create function public.record_orchestration(p_selection jsonb, p_attempts jsonb)
returns void
language plpgsql
set search_path = ''
as $$
declare
  recorded uuid;
  requester uuid;
  spent numeric;
begin
  insert into public.model_selections (user_id, request_id, task_type, task_profile, selected_model,
    selected_provider, selected_approach, alternative_models, quality_score, mode, tier, explored, was_optimal)
  select user_id, request_id, task_type, task_profile, selected_model, selected_provider, selected_approach,
    coalesce(alternative_models, '{}'), quality_score, mode, tier, coalesce(explored, false), was_optimal
  -- populate_record leaves absent keys null, so the columns with defaults get them here
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

  select coalesce(sum(a.cost_usd), 0) into spent
  from jsonb_populate_recordset(null::public.model_performance, p_attempts) as a;
  perform public.settle_spend(requester, recorded, spent);
end;
$$;

revoke all on function public.planning_context(uuid, text), public.record_orchestration(jsonb, jsonb)
  from public, anon, authenticated;
grant execute on function public.planning_context(uuid, text), public.record_orchestration(jsonb, jsonb)
  to service_role;
