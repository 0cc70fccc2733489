-- The pair locks of 20261201200100 under one key function that both triggers lock by: the lock's key was
-- spelled out in the attempts' trigger beside a lock helper that computed it again. The same keys, so
-- the same global order; lock_strategy_pair goes.

-- The transaction lock of a (task type, model) pair, by the key every writer takes it under.
create function public.strategy_pair_key(p_task_type text, p_model_name text)
returns bigint
language sql
immutable
set search_path = ''
as $$
  select hashtextextended('strategy-pair:' || p_task_type || ':' || p_model_name, 0)
$$;

create or replace function public.lock_strategy_pairs_of_attempts()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  pair_key bigint;
begin
  for pair_key in
    select distinct public.strategy_pair_key(r.task_type, r.model_name) from new_rows r order by 1
  loop
    perform pg_advisory_xact_lock(pair_key);
  end loop;
  return null;
end;
$$;

create or replace function public.lock_strategy_pair_of_row()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  row_of public.strategy_stats_by_user := coalesce(new, old);
begin
  perform pg_advisory_xact_lock(public.strategy_pair_key(row_of.task_type, row_of.model_name));
  return coalesce(new, old);
end;
$$;

drop function public.lock_strategy_pair(text, text);

revoke all on function public.strategy_pair_key(text, text) from public, anon, authenticated;
