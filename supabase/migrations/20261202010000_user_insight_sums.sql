-- One user's insights at ten million attempts took 605 ms p50 (bench:scale; target 100 ms): in the groups
-- fewer than k users stand behind, insights_over read every raw attempt the user ever made, and its
-- selection, to sum them (a thousand heap pages, cold for a random user). insight_rollup_by_user now keeps
-- the group's sums per user, as insight_rollup keeps everyone's, and its primary key carries them (an
-- index-only scan of the user's rows); the user's raw rows are read only for a trend of a winner of the
-- user's own (14 days of them, and only when there is such a winner). roll_up_insights keeps the sums
-- (the same statement-level triggers); the raw-row branch and everyone's are as they were, and
-- insight-rollups.test.sql compares one user's insights with the raw rows. The rollups of a record are
-- now planned once per session (below).

-- No attempt or selection is written while the sums are filled in (see 20261201210000 for the DO block).
do $$ begin lock table public.model_performance, public.model_selections in share mode; end $$;

alter table public.insight_rollup_by_user
  add column quality_sum numeric not null default 0,
  add column quality_square_sum numeric not null default 0,
  add column cost_usd_sum numeric not null default 0,
  add column lifted bigint not null default 0,
  add column improvement_sum numeric not null default 0,
  add column improvements bigint not null default 0;

comment on table public.insight_rollup_by_user is
  'Per user and insight group (task type, complexity, requirement, model, approach), all time: the '
  'attempts counted in insight_rollup and their sums (as there); kept by triggers on model_performance and '
  'model_selections (the users behind each group for the k-user rule of public.insights, and a user''s '
  'own insights where fewer than k users are).';

-- What is already there.
update public.insight_rollup_by_user b set quality_sum = g.quality_sum, quality_square_sum = g.quality_square_sum,
  cost_usd_sum = g.cost_usd_sum, lifted = g.lifted, improvement_sum = g.improvement_sum,
  improvements = g.improvements
from (
  select p.user_id, p.task_type, p.request_complexity as complexity, r.requirement, p.model_name, p.approach,
    sum(q.q) as quality_sum, sum(q.q * q.q) as quality_square_sum, sum(p.cost_usd) as cost_usd_sum,
    count(*) filter (where (p.metadata ->> 'liftedOverThreshold')::boolean) as lifted,
    coalesce(sum((p.metadata ->> 'improvement')::numeric), 0) as improvement_sum,
    count((p.metadata ->> 'improvement')::numeric) as improvements
  from public.model_performance p
  join public.model_selections s on s.request_id = p.request_id
  cross join lateral (
    select '*' union all select jsonb_array_elements_text(coalesce(s.task_profile -> 'requirements', '[]'))
  ) as r (requirement)
  cross join lateral (select case when p.success then coalesce(p.quality_score, 0) / 100 else 0 end as q) as q
  where public.is_model_evidence(p.error_class)
  group by 1, 2, 3, 4, 5, 6
) as g
where (g.user_id, g.task_type, g.complexity, g.requirement, g.model_name, g.approach)
  = (b.user_id, b.task_type, b.complexity, b.requirement, b.model_name, b.approach);

-- The key carries what a user's insights read, so the user's rows come off the index.
create unique index insight_rollup_by_user_key on public.insight_rollup_by_user
  (user_id, task_type, complexity, requirement, model_name, approach)
  include (attempts, quality_sum, quality_square_sum, cost_usd_sum, lifted, improvement_sum, improvements);
alter table public.insight_rollup_by_user
  drop constraint insight_rollup_by_user_pkey,
  add constraint insight_rollup_by_user_pkey primary key using index insight_rollup_by_user_key;

-- The two rollups of every record were planned again on every call (a custom plan: 1.6 and 1.2 ms of a
-- lone request's 6.5 ms in record_orchestrations, pg_stat_statements). A plan for any arrays (generic,
-- made once per session and remade when the tables' statistics change) serves the arrays of a request or a
-- batch of records (up to 100 of them, some 300 attempts) as well or better; for roll_up_insights it is
-- quadratic in a statement's thousands of rows (30,000 attempts: 19 s, where a plan for them takes
-- 0.9 s), so a call with more than 500 rows (a bulk statement's trigger, retention) is still planned for
-- its rows. roll_up_fallbacks' generic plan stays linear (30,000 attempts: 0.8 s, custom 0.5 s).
alter function public.roll_up_fallbacks(public.model_performance[], public.model_performance[])
  set plan_cache_mode = force_generic_plan;

-- roll_up_insights of 20261201210000, with the sums in insight_rollup_by_user, planned once.
create or replace function public.roll_up_insights(p_rows public.model_performance[],
  p_selections public.model_selections[], p_sign integer)
returns void
language plpgsql
set search_path = ''
-- a requirement list's 100-row default estimate makes a batch look like millions of rows, and compiling
-- the statement (JIT) then costs seconds, far more than running it
set jit = off
set plan_cache_mode = force_generic_plan
as $$
begin
  -- a bulk statement's rows: planned for them (the setting is this function's, restored when it returns)
  if cardinality(p_rows) > 500 then
    perform set_config('plan_cache_mode', 'force_custom_plan', true);
  end if;
  with changes as materialized (
    select p.user_id, p.task_type, p.request_complexity as complexity, r.requirement, p.model_name, p.approach,
      date_trunc('hour', p.created_at, 'UTC') as hour,
      case when p.success then coalesce(p.quality_score, 0) / 100 else 0 end as q, p.cost_usd,
      (p.metadata ->> 'liftedOverThreshold')::boolean as lifted, (p.metadata ->> 'improvement')::numeric as improvement
    from unnest(p_rows) as p
    join (
      select s.request_id, s.task_profile from unnest(p_selections) as s
      union all
      select s.request_id, s.task_profile from public.model_selections s
      where p_selections is null and s.request_id in (select x.request_id from unnest(p_rows) as x)
    ) as s on s.request_id = p.request_id
    cross join lateral (
      select '*' union all select jsonb_array_elements_text(coalesce(s.task_profile -> 'requirements', '[]'))
    ) as r (requirement)
    where public.is_model_evidence(p.error_class)
  ),
  by_user as materialized (
    select c.user_id, c.task_type, c.complexity, c.requirement, c.model_name, c.approach, p_sign * count(*) as attempts,
      p_sign * sum(c.q) as quality_sum, p_sign * sum(c.q * c.q) as quality_square_sum,
      p_sign * sum(c.cost_usd) as cost_usd_sum, p_sign * count(*) filter (where c.lifted) as lifted,
      p_sign * coalesce(sum(c.improvement), 0) as improvement_sum, p_sign * count(c.improvement) as improvements
    from changes c
    group by 1, 2, 3, 4, 5, 6
  ),
  user_rows as (
    insert into public.insight_rollup_by_user as t (user_id, task_type, complexity, requirement, model_name,
      approach, attempts, quality_sum, quality_square_sum, cost_usd_sum, lifted, improvement_sum, improvements)
    select b.user_id, b.task_type, b.complexity, b.requirement, b.model_name, b.approach, b.attempts,
      b.quality_sum, b.quality_square_sum, b.cost_usd_sum, b.lifted, b.improvement_sum, b.improvements
    from by_user b
    order by 1, 2, 3, 4, 5, 6
    on conflict (user_id, task_type, complexity, requirement, model_name, approach) do update set
      attempts = t.attempts + excluded.attempts,
      quality_sum = t.quality_sum + excluded.quality_sum,
      quality_square_sum = t.quality_square_sum + excluded.quality_square_sum,
      cost_usd_sum = t.cost_usd_sum + excluded.cost_usd_sum,
      lifted = t.lifted + excluded.lifted,
      improvement_sum = t.improvement_sum + excluded.improvement_sum,
      improvements = t.improvements + excluded.improvements
    returning t.user_id, t.task_type, t.complexity, t.requirement, t.model_name, t.approach, t.attempts
  ),
  -- users whose row went from 0 to positive, less those whose row went back to 0
  users_moved as (
    select u.task_type, u.complexity, u.requirement, u.model_name, u.approach,
      sum((u.attempts > 0)::int - (u.attempts - b.attempts > 0)::int) as users
    from user_rows u
    join by_user b using (user_id, task_type, complexity, requirement, model_name, approach)
    group by 1, 2, 3, 4, 5
  ),
  totals as (
    insert into public.insight_rollup as t (task_type, complexity, requirement, model_name, approach,
      attempts, quality_sum, quality_square_sum, cost_usd_sum, lifted, improvement_sum, improvements, users)
    select g.task_type, g.complexity, g.requirement, g.model_name, g.approach, g.attempts, g.quality_sum,
      g.quality_square_sum, g.cost_usd_sum, g.lifted, g.improvement_sum, g.improvements, coalesce(m.users, 0)
    from (
      select c.task_type, c.complexity, c.requirement, c.model_name, c.approach, p_sign * count(*) as attempts,
        p_sign * sum(c.q) as quality_sum, p_sign * sum(c.q * c.q) as quality_square_sum,
        p_sign * sum(c.cost_usd) as cost_usd_sum, p_sign * count(*) filter (where c.lifted) as lifted,
        p_sign * coalesce(sum(c.improvement), 0) as improvement_sum, p_sign * count(c.improvement) as improvements
      from changes c
      group by 1, 2, 3, 4, 5
    ) as g
    left join users_moved m using (task_type, complexity, requirement, model_name, approach)
    order by 1, 2, 3, 4, 5
    on conflict (task_type, complexity, requirement, model_name, approach) do update set
      attempts = t.attempts + excluded.attempts,
      quality_sum = t.quality_sum + excluded.quality_sum,
      quality_square_sum = t.quality_square_sum + excluded.quality_square_sum,
      cost_usd_sum = t.cost_usd_sum + excluded.cost_usd_sum,
      lifted = t.lifted + excluded.lifted,
      improvement_sum = t.improvement_sum + excluded.improvement_sum,
      improvements = t.improvements + excluded.improvements,
      users = t.users + excluded.users
    returning 1
  )
  insert into public.insight_rollup_hourly as t (task_type, complexity, requirement, model_name, approach, hour,
    attempts, quality_sum)
  select c.task_type, c.complexity, c.requirement, c.model_name, c.approach, c.hour, p_sign * count(*),
    p_sign * sum(c.q)
  from changes c
  where c.approach <> 'refine'
  group by 1, 2, 3, 4, 5, 6
  order by 1, 2, 3, 4, 5, 6
  on conflict (task_type, complexity, requirement, model_name, approach, hour) do update set
    attempts = t.attempts + excluded.attempts,
    quality_sum = t.quality_sum + excluded.quality_sum;
end;
$$;

-- insights_over of 20261202000000, with a user's own groups from insight_rollup_by_user.
create or replace function public.insights_over(p_user_id uuid, p_task_type text, p_from_rows boolean)
returns jsonb
language plpgsql
stable
set search_path = ''
-- the raw-row branch's estimates (millions of rows) would have every call compiled (JIT), for seconds
set jit = off
-- planned for its arguments on every call: a plan for any arguments (which a session switches to once it
-- has planned a few calls, sooner after an expensive raw-row call) cannot know which branch runs, so it
-- reads the user's rows with a scan of every attempt and selection (bench:scale at 400 k attempts, after
-- its raw-row calls: 693 ms p50, and 90 ms planned per call)
set plan_cache_mode = force_custom_plan
as $$
begin
  -- plpgsql, so a session parses this once
  return (
  with settings as (
    select min_pool_users as k, insight_min_samples as m from public.project_settings
  ),
  -- the raw rows (p_from_rows): everyone's
  attempts as (
    select p.user_id, p.task_type, p.request_complexity as complexity, r.requirement, p.model_name, p.approach,
      -- public.delivered_quality, in numeric
      case when p.success then coalesce(p.quality_score, 0) / 100 else 0 end as q, p.cost_usd, p.created_at,
      p.metadata
    from public.model_performance p
    join public.model_selections s on s.request_id = p.request_id
    cross join lateral (
      select '*' union all select jsonb_array_elements_text(coalesce(s.task_profile -> 'requirements', '[]'))
    ) as r (requirement)
    where p_from_rows and public.is_model_evidence(p.error_class)
      and (p_task_type is null or p.task_type = p_task_type)
  ),
  -- who may be counted in each group of the raw rows: everyone under the k-user rule, else the user alone
  visible as (
    select a.* from attempts a
    join (
      select task_type, complexity, requirement, model_name, approach, count(distinct user_id) as users
      from attempts group by 1, 2, 3, 4, 5
    ) g using (task_type, complexity, requirement, model_name, approach)
    where p_user_id is null or a.user_id = p_user_id or g.users >= (select k from settings)
  ),
  -- from the rollups: every group for everyone, the groups at least k users stand behind for one user
  -- (pooled), and the user's own sums in the groups fewer than k users stand behind
  totals as (
    select r.task_type, r.complexity, r.requirement, r.model_name, r.approach, sum(r.attempts)::bigint as n,
      sum(r.quality_sum) as q_sum, sum(r.quality_square_sum) as q_square_sum, sum(r.cost_usd_sum) as cost_sum,
      sum(r.lifted)::bigint as lifted, sum(r.improvement_sum) as improvement_sum,
      sum(r.improvements) as improvements
    from public.insight_rollup r
    where not p_from_rows and (p_task_type is null or r.task_type = p_task_type)
      and (p_user_id is null or r.users >= (select k from settings))
    group by 1, 2, 3, 4, 5
    having sum(r.attempts) > 0
  ),
  own as (
    select b.task_type, b.complexity, b.requirement, b.model_name, b.approach, b.attempts as n,
      b.quality_sum as q_sum, b.quality_square_sum as q_square_sum, b.cost_usd_sum as cost_sum, b.lifted,
      b.improvement_sum, b.improvements
    from public.insight_rollup_by_user b
    join public.insight_rollup r using (task_type, complexity, requirement, model_name, approach)
    where not p_from_rows and b.user_id = p_user_id and b.attempts > 0
      and (p_task_type is null or b.task_type = p_task_type) and r.users < (select k from settings)
  ),
  sums as (
    select t.*, true as pooled from totals t
    union all
    select o.*, false from own o
  ),
  strategies as (
    select x.*, row_number() over (partition by x.task_type, x.complexity, x.requirement
      order by x.mean desc, x.cost, x.model_name, x.approach)
      as place
    from (
      select task_type, complexity, requirement, model_name, approach, false as pooled, count(*) as n,
        avg(q) as mean, coalesce(var_samp(q), 0) as variance, avg(cost_usd) as cost
      from visible where approach <> 'refine'
      group by 1, 2, 3, 4, 5
      union all
      select t.task_type, t.complexity, t.requirement, t.model_name, t.approach, t.pooled, t.n, t.q_sum / t.n,
        -- var_samp's own formula for numeric
        case when t.n > 1 and t.n * t.q_square_sum - t.q_sum * t.q_sum > 0
          then (t.n * t.q_square_sum - t.q_sum * t.q_sum) / (t.n * (t.n - 1)) else 0 end,
        t.cost_sum / t.n
      from sums t where t.approach <> 'refine'
    ) as x
    where x.n >= (select m from settings)
  ),
  winners as (
    select w.task_type, w.complexity, w.requirement, w.model_name, w.approach, w.pooled, w.n, w.mean, w.cost,
      r.model_name as alt_model, r.approach as alt_approach, r.n as alt_n, r.mean as alt_mean, r.cost as alt_cost,
      w.mean - r.mean as diff, 1.96 * sqrt(w.variance / w.n + r.variance / r.n) as margin
    from strategies w join strategies r using (task_type, complexity, requirement)
    where w.place = 1 and r.place = 2
  ),
  -- the winners' last 14 days: 'now' the last 7, 'before' the 7 before; a winner of the raw rows from its
  -- visible rows, a user's own (not pooled) from the user's raw rows of those 14 days, read only when there
  -- is one, and a pooled one from the hours and the edges' raw rows
  recent as (
    select v.task_type, v.complexity, v.requirement, v.model_name, v.approach, false as pooled,
      case when v.created_at > now() - interval '7 days' then 'now' else 'before' end as side, 1 as attempts,
      v.q as quality_sum
    from visible v
    where v.created_at > now() - interval '14 days'
    union all
    select p.task_type, p.request_complexity, r.requirement, p.model_name, p.approach, false,
      case when p.created_at > now() - interval '7 days' then 'now' else 'before' end, 1,
      case when p.success then coalesce(p.quality_score, 0) / 100 else 0 end
    from public.model_performance p
    join public.model_selections s on s.request_id = p.request_id
    cross join lateral (
      select '*' union all select jsonb_array_elements_text(coalesce(s.task_profile -> 'requirements', '[]'))
    ) as r (requirement)
    where not p_from_rows and p.user_id = p_user_id and p.created_at > now() - interval '14 days'
      and public.is_model_evidence(p.error_class) and p.approach <> 'refine'
      and (p_task_type is null or p.task_type = p_task_type)
      and exists (select 1 from winners where not pooled)
      and (p.task_type, p.model_name, p.approach) in (select task_type, model_name, approach from winners where not pooled)
    union all
    select h.task_type, h.complexity, h.requirement, h.model_name, h.approach, true,
      case when h.hour > date_trunc('hour', now() - interval '7 days', 'UTC') then 'now' else 'before' end,
      h.attempts, h.quality_sum
    from winners w
    join public.insight_rollup_hourly h using (task_type, complexity, requirement, model_name, approach)
    -- the window's bounds as expressions of now(), so they bound the scan of each winner's hours
    where not p_from_rows and w.pooled and h.hour > date_trunc('hour', now() - interval '14 days', 'UTC')
      and h.hour <> date_trunc('hour', now() - interval '7 days', 'UTC')
    union all
    select p.task_type, p.request_complexity, r.requirement, p.model_name, p.approach, true,
      case when p.created_at > now() - interval '7 days' then 'now' else 'before' end, 1,
      case when p.success then coalesce(p.quality_score, 0) / 100 else 0 end
    from public.model_performance p
    join public.model_selections s on s.request_id = p.request_id
    cross join lateral (
      select '*' union all select jsonb_array_elements_text(coalesce(s.task_profile -> 'requirements', '[]'))
    ) as r (requirement)
    -- the edges' bounds as expressions of now(), not columns of settings, so they bound a scan of
    -- model_performance_created_idx (two ranges, an hour each)
    where not p_from_rows
      and ((p.created_at >= date_trunc('hour', now() - interval '7 days', 'UTC')
          and p.created_at < date_trunc('hour', now() - interval '7 days', 'UTC') + interval '1 hour')
        or (p.created_at > now() - interval '14 days'
          and p.created_at < date_trunc('hour', now() - interval '14 days', 'UTC') + interval '1 hour'))
      and public.is_model_evidence(p.error_class) and p.approach <> 'refine'
      and (p_task_type is null or p.task_type = p_task_type)
      -- only the pooled winners' attempts are wanted (trends joins them), so their selections alone are read
      and (p.task_type, p.model_name, p.approach) in (select task_type, model_name, approach from winners where pooled)
  ),
  -- the window's sums per group and side, once: joined to the winners row by row (the planner expects one
  -- winner), recent itself was computed again for each of them (63 winners, 2.3 s at 10 M attempts)
  recent_sums as materialized (
    select task_type, complexity, requirement, model_name, approach, pooled, side, sum(attempts) as attempts,
      sum(quality_sum) as quality_sum
    from recent
    group by 1, 2, 3, 4, 5, 6, 7
  ),
  trends as (
    select w.task_type, w.complexity, w.requirement, w.model_name, w.approach,
      sum(v.attempts) filter (where v.side = 'now') as n_now,
      sum(v.quality_sum) filter (where v.side = 'now')
        / nullif(sum(v.attempts) filter (where v.side = 'now'), 0) as mean_now,
      sum(v.attempts) filter (where v.side = 'before') as n_before,
      sum(v.quality_sum) filter (where v.side = 'before')
        / nullif(sum(v.attempts) filter (where v.side = 'before'), 0) as mean_before
    from winners w
    join recent_sums v using (task_type, complexity, requirement, model_name, approach, pooled)
    group by 1, 2, 3, 4, 5
  ),
  refinements as (
    select x.task_type, x.model_name, sum(x.n)::bigint as n, sum(x.lifted)::bigint as lifted,
      sum(x.improvement_sum) / nullif(sum(x.improvements), 0) as gain, sum(x.cost_sum) / sum(x.n) as cost
    from (
      select v.task_type, v.model_name, 1 as n, ((v.metadata ->> 'liftedOverThreshold')::boolean is true)::int as lifted,
        (v.metadata ->> 'improvement')::numeric as improvement_sum, (v.metadata ->> 'improvement' is not null)::int
          as improvements, v.cost_usd as cost_sum
      from visible v where v.approach = 'refine' and v.requirement = '*'
      union all
      select t.task_type, t.model_name, t.n, t.lifted, t.improvement_sum, t.improvements, t.cost_sum
      from sums t where t.approach = 'refine' and t.requirement = '*'
    ) as x
    group by 1, 2
    having sum(x.n) >= (select m from settings)
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
  );
end;
$$;
