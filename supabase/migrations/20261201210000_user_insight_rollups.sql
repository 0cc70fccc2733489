-- One user's insights from the rollups too. public.insights(user, …) counted a user's own attempts plus
-- everyone's in each group (task type, complexity, requirement, model, approach) that at least
-- project_settings.min_pool_users distinct users stand behind (the k-user rule), and it decided that per
-- group over every raw row (public.insights_over(user, …, true)): 44 s at 2 M attempts. Now the number
-- of distinct users behind a group is kept, exactly, next to its sums:
--   insight_rollup_by_user  per user and group, all time: the attempts that count in insight_rollup;
--   insight_rollup.users    the users whose row there is positive, moved when one goes 0 <-> positive.
-- Both are kept by roll_up_insights, so by the same statement-level triggers on every insert, update and
-- delete of model_performance and model_selections (retention's deletes too). A user's insights read the
-- pooled groups (users >= k) from insight_rollup and insight_rollup_hourly as everyone's do, and the
-- other groups from the user's own raw rows (model_performance_user_created_idx); the raw-row branch
-- (p_from_rows) is the definition as it was, and insight-rollups.test.sql compares the two.

-- No attempt or selection is written while the triggers change and the backfill reads (so none is missed
-- or counted twice) until the migration commits. (In a DO block: the CLI sends a migration as one
-- implicit transaction, where a LOCK statement of its own is refused.)
do $$ begin lock table public.model_performance, public.model_selections in share mode; end $$;

create table public.insight_rollup_by_user (
  user_id uuid not null,
  task_type text not null,
  complexity text not null,
  requirement text not null,
  model_name text not null,
  approach text not null,
  attempts bigint not null default 0,
  primary key (user_id, task_type, complexity, requirement, model_name, approach)
);

comment on table public.insight_rollup_by_user is
  'Per user and insight group (task type, complexity, requirement, model, approach), all time: the '
  'attempts counted in insight_rollup; kept by triggers on model_performance and model_selections (the '
  'users behind each group, for the k-user rule of public.insights).';

alter table public.insight_rollup_by_user enable row level security;
-- No policy: the service side's, like the other insight rollups.
revoke all on table public.insight_rollup_by_user from public, anon, authenticated;
grant select on table public.insight_rollup_by_user to service_role;

alter table public.insight_rollup add column users bigint not null default 0;
comment on column public.insight_rollup.users is
  'The distinct users with attempts in the group (insight_rollup_by_user rows above 0): the k-user rule.';

-- Attempts counted in or out of the insight rollups, as in 20261201170000, and in or out of their user's
-- row of insight_rollup_by_user; a user row that goes from 0 to positive (or back) adds (or takes) one
-- user to (from) its group. Every upsert is in key order and every writer runs this one statement (so
-- the tables in one order), and a request's attempts come in under their (task type, model) pairs' locks
-- (lock_strategy_pairs_of_attempts; every group's key holds its pair), so concurrent requests wait for
-- one another rather than deadlock.
create or replace function public.roll_up_insights(p_rows public.model_performance[],
  p_selections public.model_selections[], p_sign integer)
returns void
language plpgsql
set search_path = ''
-- a requirement list's 100-row default estimate makes a batch look like millions of rows, and compiling
-- the statement (JIT) then costs seconds, far more than running it
set jit = off
as $$
begin
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
    select c.user_id, c.task_type, c.complexity, c.requirement, c.model_name, c.approach, p_sign * count(*) as attempts
    from changes c
    group by 1, 2, 3, 4, 5, 6
  ),
  user_rows as (
    insert into public.insight_rollup_by_user as t (user_id, task_type, complexity, requirement, model_name,
      approach, attempts)
    select b.user_id, b.task_type, b.complexity, b.requirement, b.model_name, b.approach, b.attempts
    from by_user b
    order by 1, 2, 3, 4, 5, 6
    on conflict (user_id, task_type, complexity, requirement, model_name, approach) do update set
      attempts = t.attempts + excluded.attempts
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

-- insights_over of 20261201190000, with one user's branch from the rollups (p_from_rows false): totals
-- are the groups at least k users stand behind (insight_rollup.users), the raw rows the user's own in the
-- other groups; a winner's trend comes from where the winner came from (pooled: the hours and the edges'
-- raw rows, else the user's rows). The raw-row branch and everyone's branch are as they were.
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
    select min_pool_users as k, insight_min_samples as m,
      date_trunc('hour', now() - interval '7 days', 'UTC') as week_hour,
      date_trunc('hour', now() - interval '14 days', 'UTC') as fortnight_hour
    from public.project_settings
  ),
  -- from the raw rows: everyone's, or from the rollups the user's own
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
    where (p_from_rows or p.user_id = p_user_id) and public.is_model_evidence(p.error_class)
      and (p_task_type is null or p.task_type = p_task_type)
  ),
  -- who may be counted in each group: everyone under the k-user rule, else the user alone. The users
  -- behind a group are counted in the raw rows, or kept in insight_rollup; from the rollups, the raw rows
  -- are the user's own in the groups fewer than k users stand behind (the others are in totals).
  visible as (
    select a.* from attempts a
    join (
      select task_type, complexity, requirement, model_name, approach, count(distinct user_id) as users
      from attempts where p_from_rows group by 1, 2, 3, 4, 5
      union all
      select r.task_type, r.complexity, r.requirement, r.model_name, r.approach, r.users
      from public.insight_rollup r
      where not p_from_rows and p_user_id is not null and (p_task_type is null or r.task_type = p_task_type)
    ) g using (task_type, complexity, requirement, model_name, approach)
    where (p_from_rows and (p_user_id is null or a.user_id = p_user_id or g.users >= (select k from settings)))
      or (not p_from_rows and g.users < (select k from settings))
  ),
  -- from the rollups: every group for everyone, the groups at least k users stand behind for one user
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
      select t.task_type, t.complexity, t.requirement, t.model_name, t.approach, true, t.n, t.q_sum / t.n,
        -- var_samp's own formula for numeric
        case when t.n > 1 and t.n * t.q_square_sum - t.q_sum * t.q_sum > 0
          then (t.n * t.q_square_sum - t.q_sum * t.q_sum) / (t.n * (t.n - 1)) else 0 end,
        t.cost_sum / t.n
      from totals t where t.approach <> 'refine'
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
  -- the winners' last 14 days: 'now' the last 7, 'before' the 7 before; a winner read from the rollups
  -- (pooled) from the hours and the edges' raw rows, any other from its visible rows
  recent as (
    select v.task_type, v.complexity, v.requirement, v.model_name, v.approach, false as pooled,
      case when v.created_at > now() - interval '7 days' then 'now' else 'before' end as side, 1 as attempts,
      v.q as quality_sum
    from visible v
    where v.created_at > now() - interval '14 days'
    union all
    select h.task_type, h.complexity, h.requirement, h.model_name, h.approach, true,
      case when h.hour > st.week_hour then 'now' else 'before' end, h.attempts, h.quality_sum
    from winners w
    join public.insight_rollup_hourly h using (task_type, complexity, requirement, model_name, approach)
    cross join settings st
    where not p_from_rows and w.pooled and h.hour > st.fortnight_hour and h.hour <> st.week_hour
    union all
    select p.task_type, p.request_complexity, r.requirement, p.model_name, p.approach, true,
      case when p.created_at > now() - interval '7 days' then 'now' else 'before' end, 1,
      case when p.success then coalesce(p.quality_score, 0) / 100 else 0 end
    from public.model_performance p
    cross join settings st
    join public.model_selections s on s.request_id = p.request_id
    cross join lateral (
      select '*' union all select jsonb_array_elements_text(coalesce(s.task_profile -> 'requirements', '[]'))
    ) as r (requirement)
    where not p_from_rows
      and ((p.created_at >= st.week_hour and p.created_at < st.week_hour + interval '1 hour')
        or (p.created_at > now() - interval '14 days' and p.created_at < st.fortnight_hour + interval '1 hour'))
      and public.is_model_evidence(p.error_class) and p.approach <> 'refine'
      and (p_task_type is null or p.task_type = p_task_type)
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
    join recent v using (task_type, complexity, requirement, model_name, approach, pooled)
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
      from totals t where t.approach = 'refine' and t.requirement = '*'
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

create or replace function public.insights(p_user_id uuid default null, p_task_type text default null)
returns jsonb
language sql
stable
set search_path = ''
as $$ select public.insights_over(p_user_id, p_task_type, false) $$;

-- What is already there.
insert into public.insight_rollup_by_user (user_id, task_type, complexity, requirement, model_name, approach,
  attempts)
select p.user_id, p.task_type, p.request_complexity, r.requirement, p.model_name, p.approach, count(*)
from public.model_performance p
join public.model_selections s on s.request_id = p.request_id
cross join lateral (
  select '*' union all select jsonb_array_elements_text(coalesce(s.task_profile -> 'requirements', '[]'))
) as r (requirement)
where public.is_model_evidence(p.error_class)
group by 1, 2, 3, 4, 5, 6;

update public.insight_rollup r set users = u.users
from (
  select task_type, complexity, requirement, model_name, approach, count(*) as users
  from public.insight_rollup_by_user
  where attempts > 0
  group by 1, 2, 3, 4, 5
) as u
where (u.task_type, u.complexity, u.requirement, u.model_name, u.approach)
  = (r.task_type, r.complexity, r.requirement, r.model_name, r.approach);
