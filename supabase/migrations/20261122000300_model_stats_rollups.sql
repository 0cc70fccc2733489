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
