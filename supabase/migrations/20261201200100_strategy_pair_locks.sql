-- One order for the locks of the pooled statistics. A request's attempts move strategy_stats in several
-- passes (the statistics upsert fires an insert and an update pass, a drift reset one more), each sorted in
-- itself but not with the others, so two requests on the same pairs could each hold a row the other's next
-- pass wanted: bench:scale saw 4 deadlocks in about 5,500 requests at 8 connections (the writes landed on
-- retry). Every row of strategy_stats belongs to one (task type, model) pair, and only the writers of that
-- pair's user rows move it: each writer now takes the pair's transaction lock before it touches them, and
-- a request's attempts take all their pairs first, in one global order.

create function public.lock_strategy_pair(p_task_type text, p_model_name text)
returns void
language sql
set search_path = ''
as $$
  select pg_advisory_xact_lock(hashtextextended('strategy-pair:' || p_task_type || ':' || p_model_name, 0))
$$;

-- Fires before model_performance_add_evidence: triggers of one event fire in the order of their names.
create function public.lock_strategy_pairs_of_attempts()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  pair record;
begin
  for pair in
    select distinct r.task_type, r.model_name,
      hashtextextended('strategy-pair:' || r.task_type || ':' || r.model_name, 0) as key
    from new_rows r
    order by key
  loop
    perform public.lock_strategy_pair(pair.task_type, pair.model_name);
  end loop;
  return null;
end;
$$;

create trigger model_performance_0_lock_strategy_pairs after insert on public.model_performance
  referencing new table as new_rows for each statement execute function public.lock_strategy_pairs_of_attempts();

-- Any other writer of a user's statistics (feedback, a deletion) takes its pair's lock as it goes; for a
-- request's attempts it is already held.
create function public.lock_strategy_pair_of_row()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  row_of public.strategy_stats_by_user := coalesce(new, old);
begin
  perform public.lock_strategy_pair(row_of.task_type, row_of.model_name);
  return coalesce(new, old);
end;
$$;

create trigger strategy_stats_by_user_lock_pair before insert or update or delete on public.strategy_stats_by_user
  for each row execute function public.lock_strategy_pair_of_row();

revoke all on function public.lock_strategy_pair(text, text), public.lock_strategy_pairs_of_attempts(),
  public.lock_strategy_pair_of_row() from public, anon, authenticated;
