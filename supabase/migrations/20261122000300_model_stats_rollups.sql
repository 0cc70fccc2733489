-- Rollups of model_performance, kept current by triggers, so get_best_model_for_task reads a handful of
-- rows instead of aggregating every attempt of a task type: per user (model_stats_by_user) and for
-- everyone (model_stats). Cancelled attempts (hedged mode) are left out, as in the ranking.

create table public.model_stats_by_user (
  user_id uuid not null,
  task_type text not null,
  model_name text not null,
  approach text not null,
  provider text not null,
  attempts bigint not null default 0,
  successes bigint not null default 0,
  -- sum over attempts of quality_score / 100 for successes (0 for failures)
  delivered numeric not null default 0,
  duration_ms_sum numeric not null default 0,
  cost_usd_sum numeric not null default 0,
  primary key (user_id, task_type, model_name, approach)
);

create table public.model_stats (
  task_type text not null,
  model_name text not null,
  approach text not null,
  provider text not null,
  attempts bigint not null default 0,
  successes bigint not null default 0,
  delivered numeric not null default 0,
  duration_ms_sum numeric not null default 0,
  cost_usd_sum numeric not null default 0,
  primary key (task_type, model_name, approach)
);

comment on table public.model_stats_by_user is
  'Per user, task type, model and approach: attempt counts and sums of model_performance (kept by triggers).';
comment on table public.model_stats is
  'Per task type, model and approach: attempt counts and sums of model_performance over all users (kept by triggers).';

alter table public.model_stats_by_user enable row level security;
alter table public.model_stats enable row level security;
create policy "users read their own statistics" on public.model_stats_by_user
  for select to authenticated using ((select auth.uid()) = user_id);
-- model_stats has no policy: only the service side and get_best_model_for_task read it.

revoke all on table public.model_stats_by_user, public.model_stats from public, anon, authenticated;
grant select on table public.model_stats_by_user to authenticated;
grant select on table public.model_stats_by_user, public.model_stats to service_role;

-- Adds (sign 1) or removes (sign -1) a set of attempts to or from both rollups.
create function public.apply_model_stats(p_rows jsonb, p_sign integer)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  with counted as (
    select
      r.user_id, r.task_type, r.model_name, r.approach, max(r.provider) as provider,
      p_sign * count(*) as attempts,
      p_sign * count(*) filter (where r.success) as successes,
      p_sign * coalesce(sum(r.quality_score) filter (where r.success), 0) / 100 as delivered,
      p_sign * sum(r.duration_ms) as duration_ms_sum,
      p_sign * sum(r.cost_usd) as cost_usd_sum
    from jsonb_populate_recordset(null::public.model_performance, p_rows) as r
    where r.error_class is distinct from 'cancelled'
    group by r.user_id, r.task_type, r.model_name, r.approach
  ),
  by_user as (
    insert into public.model_stats_by_user as s
      (user_id, task_type, model_name, approach, provider, attempts, successes, delivered, duration_ms_sum, cost_usd_sum)
    select user_id, task_type, model_name, approach, provider, attempts, successes, delivered, duration_ms_sum, cost_usd_sum
    from counted
    on conflict (user_id, task_type, model_name, approach) do update set
      attempts = s.attempts + excluded.attempts,
      successes = s.successes + excluded.successes,
      delivered = s.delivered + excluded.delivered,
      duration_ms_sum = s.duration_ms_sum + excluded.duration_ms_sum,
      cost_usd_sum = s.cost_usd_sum + excluded.cost_usd_sum
  )
  insert into public.model_stats as s
    (task_type, model_name, approach, provider, attempts, successes, delivered, duration_ms_sum, cost_usd_sum)
  select task_type, model_name, approach, max(provider), sum(attempts), sum(successes), sum(delivered),
    sum(duration_ms_sum), sum(cost_usd_sum)
  from counted
  group by task_type, model_name, approach
  on conflict (task_type, model_name, approach) do update set
    attempts = s.attempts + excluded.attempts,
    successes = s.successes + excluded.successes,
    delivered = s.delivered + excluded.delivered,
    duration_ms_sum = s.duration_ms_sum + excluded.duration_ms_sum,
    cost_usd_sum = s.cost_usd_sum + excluded.cost_usd_sum;
end;
$$;

create function public.model_performance_rollup()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op in ('DELETE', 'UPDATE') then
    perform public.apply_model_stats((select coalesce(jsonb_agg(to_jsonb(o)), '[]') from old_rows o), -1);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform public.apply_model_stats((select coalesce(jsonb_agg(to_jsonb(n)), '[]') from new_rows n), 1);
  end if;
  return null;
end;
$$;

revoke all on function public.apply_model_stats(jsonb, integer), public.model_performance_rollup()
  from public, anon, authenticated, service_role;

create trigger model_performance_rollup_insert after insert on public.model_performance
  referencing new table as new_rows for each statement execute function public.model_performance_rollup();
create trigger model_performance_rollup_update after update on public.model_performance
  referencing old table as old_rows new table as new_rows
  for each statement execute function public.model_performance_rollup();
create trigger model_performance_rollup_delete after delete on public.model_performance
  referencing old table as old_rows for each statement execute function public.model_performance_rollup();

-- The ranking no longer scans attempts by task type.
drop index public.model_performance_task_model_idx;

-- The attempts recorded before the rollups existed.
select public.apply_model_stats(coalesce(jsonb_agg(to_jsonb(p)), '[]'), 1) from public.model_performance p;

-- get_best_model_for_task, same contract, reading the rollups.
create or replace function public.get_best_model_for_task(p_user_id uuid, p_task_type text)
returns table (
  model_name text,
  provider text,
  approach text,
  samples bigint,
  prior_samples bigint,
  success_rate numeric,
  mean_quality numeric,
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
  prior_weight constant numeric := 20;
  z constant numeric := 1.645;
  caller_role text := coalesce(auth.role(), nullif(current_setting('role', true), 'none'));
begin
  if caller_role in ('anon', 'authenticated') and p_user_id is distinct from (select auth.uid()) then
    raise exception 'get_best_model_for_task: a user may only ask about their own user id'
      using errcode = '42501';
  end if;

  return query
  with combined as (
    -- everyone's totals include this user's: the others are the difference
    select
      g.model_name,
      g.provider,
      g.approach,
      coalesce(o.attempts, 0)::numeric as own_n,
      (g.attempts - coalesce(o.attempts, 0))::numeric as other_n,
      coalesce(o.successes, 0)::numeric as own_successes,
      (g.successes - coalesce(o.successes, 0))::numeric as other_successes,
      coalesce(o.delivered, 0) as own_delivered,
      g.delivered - coalesce(o.delivered, 0) as other_delivered,
      coalesce(o.duration_ms_sum, 0) as own_duration,
      g.duration_ms_sum - coalesce(o.duration_ms_sum, 0) as other_duration,
      coalesce(o.cost_usd_sum, 0) as own_cost,
      g.cost_usd_sum - coalesce(o.cost_usd_sum, 0) as other_cost
    from public.model_stats g
    left join public.model_stats_by_user o
      on o.user_id = p_user_id and o.task_type = g.task_type and o.model_name = g.model_name
      and o.approach = g.approach
    where g.task_type = p_task_type and g.attempts > 0
  ),
  weighted as (
    -- w scales the others' sums down to at most prior_weight attempts
    select
      c.*,
      case when c.other_n = 0 then 0 else least(c.other_n, prior_weight) / c.other_n end as w
    from combined c
  ),
  -- materialized: inlined, every later use of n and delivered would repeat the weighting expressions,
  -- and planning that tree took several times longer than the query
  posterior as materialized (
    select
      wt.model_name,
      wt.provider,
      wt.approach,
      wt.own_n,
      wt.other_n,
      wt.own_n + wt.other_n * wt.w as n,
      (wt.own_successes + wt.other_successes * wt.w) as successes,
      (wt.own_delivered + wt.other_delivered * wt.w) as delivered,
      (wt.own_duration + wt.other_duration * wt.w) as duration,
      (wt.own_cost + wt.other_cost * wt.w) as cost
    from weighted wt
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
    from posterior po
    where po.n > 0
  )
  select
    b.model_name,
    b.provider,
    b.approach,
    b.own_n::bigint,
    b.other_n::bigint,
    round(b.successes / b.n, 4),
    case when b.successes > 0 then round(100 * b.delivered / b.successes, 2) end,
    round(100 * greatest(b.lower_bound, 0), 2),
    round(b.duration / b.n, 1),
    round(b.cost / b.n, 6),
    row_number() over (order by b.lower_bound desc, b.p desc, b.n desc, b.model_name, b.approach)
  from bounded b
  order by 11;
end;
$$;
