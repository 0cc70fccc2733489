-- What a record and one user's insights cost, cut further (bench:compare and bench:scale, pg_stat_statements).
--
-- roll_up_fallbacks ran its lookups for every record (1.2 ms of a lone request's record); it now returns at
-- once when none of the rows it is given is a failed first choice: then no request's fallback changes.
-- Its plan is made per call again (this definition has no SET clause, so the generic plan of
-- 20261202010000 is dropped): that plan hashed every attempt of a small table for each record, 656,000
-- calls of failed_first_choice for 500 records, 11 ms a call in bench:compare at 100 clients.
--
-- insights_over: a trend's two windows are whole UTC hours (the current hour and the 167 before it,
-- against the 168 before those), in the raw-row definition as in the rollups. The part-hours at the
-- windows' edges were read from the raw rows, some 1,500 random heap pages at 2 M attempts (90 of a cold
-- call's 240 ms); now nothing raw is read for a pooled winner. Each group's runner-up comes from lead(),
-- where a join of the strategies to themselves was a nested loop over every pair of groups (26 ms of a
-- user's 90). insight-rollups.test.sql compares everyone's and one user's insights with the raw rows.

create or replace function public.roll_up_fallbacks(p_old public.model_performance[],
  p_new public.model_performance[])
returns void
language plpgsql
set search_path = ''
as $$
begin
  if not exists (
    select from unnest(p_new) as n where public.failed_first_choice(n)
    union all
    select from unnest(p_old) as o where public.failed_first_choice(o)
  ) then
    return;
  end if;
  insert into public.selection_rollup_by_user as t (user_id, fallbacks)
  select s.user_id, sum(c.now - c.before)
  from (
    select r.request_id,
      exists (select from public.model_performance p
        where p.request_id = r.request_id and public.failed_first_choice(p))::int as now,
      (exists (select from public.model_performance p
          where p.request_id = r.request_id and public.failed_first_choice(p)
            and p.id not in (select n.id from unnest(p_new) as n))
        or exists (select from unnest(p_old) as o
          where o.request_id = r.request_id and public.failed_first_choice(o)))::int as before
    from (
      select distinct x.request_id from (
        select n.request_id from unnest(p_new) as n union all select o.request_id from unnest(p_old) as o
      ) as x
    ) as r
  ) as c
  join public.model_selections s on s.request_id = c.request_id and s.selected_model is not null
  where c.now <> c.before
  group by 1
  order by 1
  on conflict (user_id) do update set fallbacks = t.fallbacks + excluded.fallbacks;
end;
$$;


-- insights_over of 20261202010000, trends in whole hours and the runner-up by lead().
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
  -- each group's strategies in order, the runner-up beside each (lead): the winners are the first of their
  -- group with a runner-up (a join of the strategies to themselves was a nested loop over every pair of
  -- groups, 26 ms of a user's 90)
  strategies as (
    select x.*, row_number() over ordered as place, lead(x.model_name) over ordered as alt_model,
      lead(x.approach) over ordered as alt_approach, lead(x.n) over ordered as alt_n,
      lead(x.mean) over ordered as alt_mean, lead(x.variance) over ordered as alt_variance,
      lead(x.cost) over ordered as alt_cost
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
    window ordered as (partition by x.task_type, x.complexity, x.requirement
      order by x.mean desc, x.cost, x.model_name, x.approach)
  ),
  winners as (
    select w.task_type, w.complexity, w.requirement, w.model_name, w.approach, w.pooled, w.n, w.mean, w.cost,
      w.alt_model, w.alt_approach, w.alt_n, w.alt_mean, w.alt_cost, w.mean - w.alt_mean as diff,
      1.96 * sqrt(w.variance / w.n + w.alt_variance / w.alt_n) as margin
    from strategies w
    where w.place = 1 and w.alt_model is not null
  ),
  -- the winners' last 14 days in whole UTC hours: 'now' the current hour and the 167 before it, 'before' the
  -- 168 before those; a winner of the raw rows from its visible rows, a user's own (not pooled) from the
  -- user's raw rows of those hours, read only when there is one, and a pooled one from its hours alone
  -- (the windows' bounds are expressions of now(), so they bound the scans)
  recent as (
    select v.task_type, v.complexity, v.requirement, v.model_name, v.approach, false as pooled,
      case when v.created_at >= date_trunc('hour', now() - interval '7 days', 'UTC') + interval '1 hour'
        then 'now' else 'before' end as side, 1 as attempts, v.q as quality_sum
    from visible v
    where v.created_at >= date_trunc('hour', now() - interval '14 days', 'UTC') + interval '1 hour'
    union all
    select p.task_type, p.request_complexity, r.requirement, p.model_name, p.approach, false,
      case when p.created_at >= date_trunc('hour', now() - interval '7 days', 'UTC') + interval '1 hour'
        then 'now' else 'before' end, 1,
      case when p.success then coalesce(p.quality_score, 0) / 100 else 0 end
    from public.model_performance p
    join public.model_selections s on s.request_id = p.request_id
    cross join lateral (
      select '*' union all select jsonb_array_elements_text(coalesce(s.task_profile -> 'requirements', '[]'))
    ) as r (requirement)
    where not p_from_rows and p.user_id = p_user_id
      and p.created_at >= date_trunc('hour', now() - interval '14 days', 'UTC') + interval '1 hour'
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
    where not p_from_rows and w.pooled and h.hour > date_trunc('hour', now() - interval '14 days', 'UTC')
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

