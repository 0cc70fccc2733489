-- The ranking of the models a request may use, not of the whole catalog. The planning read ranked every
-- enabled model's strategies (14 models, 28 strategies, 84 statistics probes) for a request that may use
-- a few: those of the providers the project has keys for, or the models it names. The ranking is most of
-- the planning read's time in PostgreSQL, and each strategy's row is computed from its own statistics
-- alone, so ranking fewer gives the same rows for them (ranked among themselves). get_best_model_for_task
-- and planning_context take the models to rank (`p_models`, null: every enabled model).

drop function public.planning_context(uuid, text, text);
drop function public.get_best_model_for_task(uuid, text, text);

-- get_best_model_for_task of 20261201220000, its strategies those of p_models' models where it is given.
create function public.get_best_model_for_task(
  p_user_id uuid,
  p_task_type text,
  p_complexity text default null,
  p_models text[] default null
)
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
  cost_samples bigint,
  rank bigint
)
language plpgsql
stable
security definer
set search_path = ''
-- The parameters only pick rows by key, so one generic plan serves every call.
set plan_cache_mode = force_generic_plan
as $$
declare
  catalog_weight constant double precision := 5;
  others_weight constant double precision := 20;
  z constant double precision := 1.645;
  caller_role text := coalesce(auth.role(), nullif(current_setting('role', true), 'none'));
  settings public.project_settings := (select s from public.project_settings s);
  parent_weight double precision := settings.parent_evidence;
begin
  if caller_role in ('anon', 'authenticated') and p_user_id is distinct from (select auth.uid()) then
    raise exception 'get_best_model_for_task: a user may only ask about their own user id'
      using errcode = '42501';
  end if;
  if p_complexity is not null and p_complexity not in ('low', 'medium', 'high') then
    raise exception 'get_best_model_for_task: complexity is low, medium or high' using errcode = '22023';
  end if;

  return query
  with strategy as materialized (
    select m.model_id, m.provider, a.approach,
      coalesce((m.strengths ->> p_task_type)::double precision, m.quality_prior::double precision / 10)
        as prior_quality
    from public.models m
    cross join (values ('simple'), ('progressive')) as a (approach)
    where m.enabled and (p_models is null or m.model_id = any(p_models))
  ),
  -- each strategy's three levels, with the user's own row and everyone's
  levels as materialized (
    select st.model_id, st.approach, lv.level,
      coalesce(o.evidence, 0) as own_n, coalesce(o.delivered, 0) as own_d,
      -- everyone's share minus the user's own is the others' (shares are per user)
      g.users - (case when coalesce(o.attempts, 0) > 0 then 1 else 0 end) as other_users,
      g.evidence - coalesce(own.evidence, 0) as other_n, g.delivered - coalesce(own.delivered, 0) as other_d,
      coalesce(o.attempts, 0) as own_a, g.attempts - coalesce(own.attempts, 0) as other_a,
      coalesce(o.successes, 0) as own_s, g.successes - coalesce(own.successes, 0) as other_s,
      coalesce(o.quality_sum, 0) as own_q, g.quality_sum - coalesce(own.quality_sum, 0) as other_q,
      coalesce(o.duration_ms_sum, 0) as own_t, g.duration_ms_sum - coalesce(own.duration_ms_sum, 0) as other_t,
      coalesce(o.costed, 0) as own_c, g.costed - coalesce(own.costed, 0) as other_c,
      coalesce(o.cost_usd_sum, 0) as own_u, g.cost_usd_sum - coalesce(own.cost_usd_sum, 0) as other_u
    from strategy st
    cross join lateral (
      values (1, '*', '*'), (2, '*', st.approach), (3, coalesce(p_complexity, '*'), st.approach)
    ) as lv (level, complexity, approach)
    left join public.strategy_stats_by_user o
      on o.user_id = p_user_id and o.task_type = p_task_type and o.model_name = st.model_id
      and o.approach = lv.approach and o.complexity = lv.complexity
    left join public.strategy_stats g
      on g.task_type = p_task_type and g.model_name = st.model_id and g.approach = lv.approach
      and g.complexity = lv.complexity
    -- the user's own share of the pooled row, as public.pooled_share computes it (spelled out: a call
    -- per row cost about as much as the rest of the ranking)
    left join lateral (
      select least(o.evidence, w.cap) as evidence, o.delivered * w.evidence as delivered,
        least(o.attempts, w.cap) as attempts, o.successes * w.attempts as successes,
        o.quality_sum * w.attempts as quality_sum, o.duration_ms_sum * w.attempts as duration_ms_sum,
        least(o.costed, w.cap) as costed, o.cost_usd_sum::double precision * w.costed as cost_usd_sum
      from (
        select c.cap, case when o.evidence > c.cap then c.cap / o.evidence else 1 end as evidence,
          case when o.attempts > c.cap then c.cap / o.attempts else 1 end as attempts,
          case when o.costed > c.cap then c.cap / o.costed else 1 end as costed
        from (select settings.evidence_per_user::double precision as cap) as c
      ) as w
    ) as own on o.user_id is not null
    where lv.level < 3 or p_complexity is not null
  ),
  -- each level's data: the user's own in full, the others' only under the k-user rule and weighted to
  -- count for at most others_weight attempts
  pooled as (
    select l.*, l.own_n + l.other_n * w.w as n, l.own_d + l.other_d * w.w as d, w.w as other_w
    from (
      select lv.model_id, lv.approach, lv.level,
        coalesce(lv.own_n, 0) as own_n, coalesce(lv.own_d, 0) as own_d,
        case when coalesce(lv.other_users, 0) >= settings.min_pool_users then lv.other_n else 0 end as other_n,
        case when coalesce(lv.other_users, 0) >= settings.min_pool_users then lv.other_d else 0 end as other_d,
        lv.own_a, lv.own_s, lv.own_q, lv.own_t, lv.own_c, lv.own_u,
        case when coalesce(lv.other_users, 0) >= settings.min_pool_users then lv.other_a else 0 end as other_a,
        case when coalesce(lv.other_users, 0) >= settings.min_pool_users then lv.other_s else 0 end as other_s,
        case when coalesce(lv.other_users, 0) >= settings.min_pool_users then lv.other_q else 0 end as other_q,
        case when coalesce(lv.other_users, 0) >= settings.min_pool_users then lv.other_t else 0 end as other_t,
        case when coalesce(lv.other_users, 0) >= settings.min_pool_users then lv.other_c else 0 end as other_c,
        case when coalesce(lv.other_users, 0) >= settings.min_pool_users then lv.other_u else 0 end as other_u
      from levels lv
    ) as l
    cross join lateral (
      select case when l.other_n > others_weight then others_weight / l.other_n else 1 end as w
    ) as w
  ),
  -- a strategy's levels side by side in one row (one pass over the levels, where joining them to
  -- themselves scanned them once per strategy); its own level is level 3 when a complexity is given
  side_by_side as (
    select p.model_id, p.approach,
      max(p.n) filter (where p.level = 1) as n1, max(p.d) filter (where p.level = 1) as d1,
      max(p.n) filter (where p.level = 2) as n2, max(p.d) filter (where p.level = 2) as d2,
      coalesce(max(p.n) filter (where p.level = 3), 0) as n3, coalesce(max(p.d) filter (where p.level = 3), 0) as d3,
      max(p.own_a) filter (where p.level = arm.level) as own_a, max(p.other_a) filter (where p.level = arm.level) as other_a,
      max(p.other_w) filter (where p.level = arm.level) as other_w,
      max(p.own_s) filter (where p.level = arm.level) as own_s, max(p.other_s) filter (where p.level = arm.level) as other_s,
      max(p.own_q) filter (where p.level = arm.level) as own_q, max(p.other_q) filter (where p.level = arm.level) as other_q,
      max(p.own_t) filter (where p.level = arm.level) as own_t, max(p.other_t) filter (where p.level = arm.level) as other_t,
      max(p.own_c) filter (where p.level = arm.level) as own_c, max(p.other_c) filter (where p.level = arm.level) as other_c,
      max(p.own_u) filter (where p.level = arm.level) as own_u, max(p.other_u) filter (where p.level = arm.level) as other_u
    from pooled p
    cross join (select case when p_complexity is null then 2 else 3 end as level) as arm
    group by p.model_id, p.approach
  ),
  -- down the levels: a child's prior is its parent's posterior built without the child's own data (from
  -- its siblings), counting for at most parent_weight attempts; level 2's prior is the catalog's and the
  -- model's other approach, level 3's is level 2 built on the strategy's other complexities
  posterior as (
    select st.model_id, st.provider, st.approach, s.own_a, s.other_a, s.other_w, s.own_s, s.other_s, s.own_q,
      s.other_q, s.own_t, s.other_t, s.own_c, s.other_c, s.own_u, s.other_u,
      case when p_complexity is null then two.mean * two.weight + s.d2 else three.mean * three.weight + s.d3 end
        as alpha,
      case when p_complexity is null then two.weight + s.n2 else three.weight + s.n3 end as n
    from strategy st
    join side_by_side s on s.model_id = st.model_id and s.approach = st.approach
    cross join lateral (
      select (catalog_weight * st.prior_quality + greatest(s.d1 - s.d2, 0))
          / (catalog_weight + greatest(s.n1 - s.n2, 0)) as mean,
        least(catalog_weight + greatest(s.n1 - s.n2, 0), parent_weight) as weight
    ) as two
    cross join lateral (
      select (two.mean * two.weight + greatest(s.d2 - s.d3, 0)) / (two.weight + greatest(s.n2 - s.n3, 0)) as mean,
        least(two.weight + greatest(s.n2 - s.n3, 0), parent_weight) as weight
    ) as three
  ),
  bounded as (
    select po.model_id, po.provider, po.approach, po.own_a, po.other_a, po.alpha / po.n as p, po.n,
      (po.alpha / po.n + z * z / (2 * po.n)
        - z * sqrt(greatest(po.alpha / po.n * (1 - po.alpha / po.n), 0) / po.n + z * z / (4 * po.n * po.n))
      ) / (1 + z * z / po.n) as lower_bound,
      po.own_a + po.other_a * po.other_w as seen,
      po.own_s + po.other_s * po.other_w as successes,
      po.own_q + po.other_q * po.other_w as quality,
      po.own_t + po.other_t * po.other_w as duration,
      po.own_c + po.other_c * po.other_w as costed,
      po.own_u + po.other_u * po.other_w as cost
    from posterior po
  )
  select
    b.model_id,
    b.provider,
    b.approach,
    b.own_a::bigint,
    round(b.other_a)::bigint,
    case when b.seen > 0 then round((b.successes / b.seen)::numeric, 4) end,
    case when b.successes > 0 then round((100 * b.quality / b.successes)::numeric, 2) end,
    round((100 * b.p)::numeric, 2),
    round(b.n::numeric, 2),
    round((100 * greatest(b.lower_bound, 0))::numeric, 2),
    case when b.seen > 0 then round((b.duration / b.seen)::numeric, 1) end,
    case when b.costed > 0 then round((b.cost / b.costed)::numeric, 6) end,
    round(b.costed)::bigint,
    row_number() over (order by b.lower_bound desc, b.p desc, b.n desc, b.model_id, b.approach)
  from bounded b
  order by 14;
end;
$$;

comment on function public.get_best_model_for_task(uuid, text, text, text[]) is
  'Ranked strategies (model, approach) of the enabled catalog (or of the models in p_models) for a user and '
  'task type (and optionally a complexity): expected_quality (0-100) and evidence (in attempts) of a Beta '
  'posterior built from the catalog prior, the strategy''s parent levels and its own row, pooling other '
  'users only under the k-user rule; a one-sided 95% lower bound on it (the rank); samples (the user''s '
  'own), prior_samples (others'' pooled in), success rate, mean quality, duration and cost of the attempts '
  'behind them.';

revoke all on function public.get_best_model_for_task(uuid, text, text, text[]) from public, anon;
grant execute on function public.get_best_model_for_task(uuid, text, text, text[]) to authenticated, service_role;

-- planning_context of 20261202000100, passing p_models on to the ranking.
create function public.planning_context(
  p_user_id uuid,
  p_task_type text,
  p_complexity text default null,
  p_models text[] default null
)
returns json
language plpgsql
stable
set search_path = ''
as $$
begin
  return json_build_object(
    'settings', (
      select json_build_object('defaultTier', s.default_tier, 'preferLocal', s.prefer_local,
        'refineRounds', s.refine_rounds, 'verify', s.verify, 'storeOutputs', s.store_outputs)
      from public.user_settings s where s.user_id = p_user_id
    ),
    'budget', public.budget_snapshot(p_user_id, public.spend_month(now())),
    'ranking', coalesce(
      (select json_agg(r order by r.rank)
       from public.get_best_model_for_task(p_user_id, p_task_type, p_complexity, p_models) r),
      '[]'
    )
  );
end;
$$;

revoke all on function public.planning_context(uuid, text, text, text[]) from public, anon, authenticated;
grant execute on function public.planning_context(uuid, text, text, text[]) to service_role;
