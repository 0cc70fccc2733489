-- The monitoring views at tens of millions of rows. Scanning the raw rows costs seconds once a project
-- holds millions of attempts, so the service side's totals come from rollups kept by triggers on every
-- insert and update of the raw rows (exact, not sampled):
--   attempt_rollup_hourly       per UTC hour and model: the uses behind model_quality_last_7_days;
--   attempt_rollup_by_approach  per approach, all time: approach_success_rates;
--   selection_rollup_hourly     per UTC hour and winning model: model_selections_last_7_days;
--   feedback_rollup             per winning model and score band, current feedback: feedback_acceptance;
--   selection_rollup_by_user    per user, all time: orchestration_stats (its fallbacks follow the attempts).
-- A 7-day window is whole hours from the rollup plus the part-hour at its start from the raw rows (read
-- through the created_at indexes), so it is the same sliding window as before. Each rollup row is split
-- over 8 shards by request id, so concurrent writers rarely wait on one row; the views add the shards.
-- Unlike the statistics (evidence outlives its raw rows), the rollups follow the raw rows: a delete —
-- retention's purge_old_rows, a removed user — takes its rows out again, so each view answers exactly
-- what its raw-row definition answers over the rows that are there.
--
-- The views keep their columns and security_invoker. A caller without a user in the JWT (the service
-- role, the function's own connection, dashboards) reads the rollups; a signed-in user reads their own
-- raw rows through the per-user indexes (the rollups hold everyone's rows, so RLS shows users none of
-- them); orchestration_stats is per user, so its rollup has a policy of its own and users read their row.
-- budget_status reads one row per user and month and needs nothing.
--
-- The write path gets cheaper too: strategy_stats, the pooled statistics, was kept by a row-level trigger
-- on strategy_stats_by_user (two function calls and an upsert per changed user row, about 60% of what
-- recording a request cost). It is now kept by statement-level triggers that add up the change of every
-- user row a statement touched and upsert each pooled row once, in key order (so concurrent writers can
-- no longer deadlock on it). The pooled sums are the same.

create table public.attempt_rollup_hourly (
  hour timestamptz not null,
  model_name text not null,
  provider text not null,
  shard smallint not null check (shard between 0 and 7),
  -- attempts that reached the model (public.is_model_evidence), the successful ones, the scored ones
  uses bigint not null default 0,
  successes bigint not null default 0,
  scored bigint not null default 0,
  quality_sum numeric not null default 0,
  duration_ms_sum bigint not null default 0,
  primary key (hour, model_name, provider, shard)
);

create table public.attempt_rollup_by_approach (
  approach text not null,
  shard smallint not null check (shard between 0 and 7),
  uses bigint not null default 0,
  successes bigint not null default 0,
  -- of the successful attempts
  success_quality_sum numeric not null default 0,
  primary key (approach, shard)
);

create table public.selection_rollup_hourly (
  hour timestamptz not null,
  selected_model text not null,
  shard smallint not null check (shard between 0 and 7),
  selections bigint not null default 0,
  scored bigint not null default 0,
  quality_sum numeric not null default 0,
  primary key (hour, selected_model, shard)
);

create table public.feedback_rollup (
  model_name text not null,
  score_band text not null,
  shard smallint not null check (shard between 0 and 7),
  feedbacks bigint not null default 0,
  accepted bigint not null default 0,
  rated bigint not null default 0,
  rating_sum bigint not null default 0,
  primary key (model_name, score_band, shard)
);

create table public.selection_rollup_by_user (
  user_id uuid primary key,
  requests bigint not null default 0,
  -- requests with a winner
  successes bigint not null default 0,
  confidence_sum numeric not null default 0,
  confidence_count bigint not null default 0,
  conflicts bigint not null default 0,
  -- requests won by a fallback (public.used_fallback)
  fallbacks bigint not null default 0,
  refinements bigint not null default 0,
  needs_review bigint not null default 0
);

comment on table public.attempt_rollup_hourly is
  'Per UTC hour, model and shard: uses (attempts that reached the model), successes, scored attempts and '
  'the sums of their quality and duration; kept by triggers on model_performance.';
comment on table public.attempt_rollup_by_approach is
  'Per approach and shard, all time: uses, successes and the quality sum of the successful ones; kept by '
  'triggers on model_performance.';
comment on table public.selection_rollup_hourly is
  'Per UTC hour, winning model and shard: requests won and the sum of their scores; kept by triggers on '
  'model_selections.';
comment on table public.feedback_rollup is
  'Per winning model, score band and shard: current feedback, accepted, rated and the sum of ratings; kept '
  'by triggers on request_feedback and model_selections.';

alter table public.attempt_rollup_hourly enable row level security;
alter table public.attempt_rollup_by_approach enable row level security;
alter table public.selection_rollup_hourly enable row level security;
alter table public.feedback_rollup enable row level security;
alter table public.selection_rollup_by_user enable row level security;
comment on table public.selection_rollup_by_user is
  'Per user, all time: requests, those with a winner, confidence, conflicts, fallbacks, refinement rounds and '
  'results needing review; kept by triggers on model_selections and model_performance. A user reads their own.';
create policy "users read their own figures" on public.selection_rollup_by_user
  for select to authenticated using ((select auth.uid()) = user_id);
revoke all on table public.selection_rollup_by_user from public, anon, authenticated;
grant select on table public.selection_rollup_by_user to authenticated, service_role;
-- No policy: a signed-in user sees none of these rows (they are everyone's). Users are granted select
-- only because the security_invoker views name the tables; their branch of each view reads raw rows.
revoke all on table public.attempt_rollup_hourly, public.attempt_rollup_by_approach,
  public.selection_rollup_hourly, public.feedback_rollup from public, anon, authenticated;
grant select on table public.attempt_rollup_hourly, public.attempt_rollup_by_approach,
  public.selection_rollup_hourly, public.feedback_rollup to authenticated, service_role;

-- The shard of a request's rollup rows.
create function public.rollup_shard(p_request_id uuid)
returns smallint
language sql
immutable
set search_path = ''
as $$ select (hashtext(p_request_id::text) & 7)::smallint $$;

-- The score bands of feedback_acceptance (a null score falls in the last band, as it always did).
create function public.score_band(p_quality_score numeric)
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when p_quality_score < 50 then 'under 50'
    when p_quality_score < 70 then '50-69'
    when p_quality_score < 85 then '70-84'
    else '85-100'
  end
$$;

-- Adds (p_sign 1) or takes out (-1) attempt rows (an update takes the old row out, puts the new one in).
-- Rows are locked in key order, so concurrent writers never deadlock on them. The helpers are plpgsql so
-- that a session plans their statements once (a SQL function is planned again at every call).
create function public.roll_up_attempts(p_rows public.model_performance[], p_sign integer)
returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into public.attempt_rollup_hourly as t (hour, model_name, provider, shard, uses, successes, scored,
    quality_sum, duration_ms_sum)
  select date_trunc('hour', r.created_at, 'UTC'), r.model_name, r.provider, public.rollup_shard(r.request_id),
    p_sign * count(*), p_sign * count(*) filter (where r.success), p_sign * count(r.quality_score),
    p_sign * coalesce(sum(r.quality_score), 0), p_sign * sum(r.duration_ms)
  from unnest(p_rows) as r
  where public.is_model_evidence(r.error_class)
  group by 1, 2, 3, 4
  order by 1, 2, 3, 4
  on conflict (hour, model_name, provider, shard) do update set
    uses = t.uses + excluded.uses,
    successes = t.successes + excluded.successes,
    scored = t.scored + excluded.scored,
    quality_sum = t.quality_sum + excluded.quality_sum,
    duration_ms_sum = t.duration_ms_sum + excluded.duration_ms_sum;

  insert into public.attempt_rollup_by_approach as t (approach, shard, uses, successes, success_quality_sum)
  select r.approach, public.rollup_shard(r.request_id), p_sign * count(*), p_sign * count(*) filter (where r.success),
    p_sign * coalesce(sum(r.quality_score) filter (where r.success), 0)
  from unnest(p_rows) as r
  where public.is_model_evidence(r.error_class)
  group by 1, 2
  order by 1, 2
  on conflict (approach, shard) do update set
    uses = t.uses + excluded.uses,
    successes = t.successes + excluded.successes,
    success_quality_sum = t.success_quality_sum + excluded.success_quality_sum;
end;
$$;

create function public.roll_up_selections(p_rows public.model_selections[], p_sign integer)
returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into public.selection_rollup_hourly as t (hour, selected_model, shard, selections, scored, quality_sum)
  select date_trunc('hour', s.created_at, 'UTC'), s.selected_model, public.rollup_shard(s.request_id),
    p_sign * count(*), p_sign * count(s.quality_score), p_sign * coalesce(sum(s.quality_score), 0)
  from unnest(p_rows) as s
  where s.selected_model is not null
  group by 1, 2, 3
  order by 1, 2, 3
  on conflict (hour, selected_model, shard) do update set
    selections = t.selections + excluded.selections,
    scored = t.scored + excluded.scored,
    quality_sum = t.quality_sum + excluded.quality_sum;
end;
$$;

-- Feedback counts where feedback_acceptance counted it: the current row of a request whose selection has a
-- winner, in the band of the selection's score.
create function public.roll_up_feedback(p_rows public.request_feedback[], p_sign integer)
returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into public.feedback_rollup as t (model_name, score_band, shard, feedbacks, accepted, rated, rating_sum)
  select s.selected_model, public.score_band(s.quality_score), public.rollup_shard(f.request_id),
    p_sign * count(*), p_sign * count(*) filter (where f.accepted), p_sign * count(f.rating),
    p_sign * coalesce(sum(f.rating), 0)
  from unnest(p_rows) as f
  join public.model_selections s on s.request_id = f.request_id
  where f.replaced_at is null and s.selected_model is not null
  group by 1, 2, 3
  order by 1, 2, 3
  on conflict (model_name, score_band, shard) do update set
    feedbacks = t.feedbacks + excluded.feedbacks,
    accepted = t.accepted + excluded.accepted,
    rated = t.rated + excluded.rated,
    rating_sum = t.rating_sum + excluded.rating_sum;
end;
$$;

-- The current feedback of these selections, counted in (p_sign 1) or out (-1) of their band.
create function public.roll_up_feedback_of(p_selections public.model_selections[], p_sign integer)
returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into public.feedback_rollup as t (model_name, score_band, shard, feedbacks, accepted, rated, rating_sum)
  select s.selected_model, public.score_band(s.quality_score), public.rollup_shard(f.request_id),
    p_sign * count(*), p_sign * count(*) filter (where f.accepted), p_sign * count(f.rating),
    p_sign * coalesce(sum(f.rating), 0)
  from unnest(p_selections) as s
  join public.request_feedback f on f.request_id = s.request_id and f.replaced_at is null
  where s.selected_model is not null
  group by 1, 2, 3
  order by 1, 2, 3
  on conflict (model_name, score_band, shard) do update set
    feedbacks = t.feedbacks + excluded.feedbacks,
    accepted = t.accepted + excluded.accepted,
    rated = t.rated + excluded.rated,
    rating_sum = t.rating_sum + excluded.rating_sum;
end;
$$;

-- What makes a request a fallback (public.used_fallback): its first planned strategy failed.
create function public.failed_first_choice(p public.model_performance)
returns boolean
language sql
immutable
set search_path = ''
as $$ select p.approach <> 'refine' and not p.success and (p.metadata ->> 'planRank')::int = 0 $$;

create or replace function public.used_fallback(p_request_id uuid, p_selected_model text)
returns boolean
language sql
stable
set search_path = ''
as $$
  select p_selected_model is not null and exists (
    select from public.model_performance p where p.request_id = p_request_id and public.failed_first_choice(p)
  )
$$;

-- Selections counted in (p_sign 1) or out (-1) of their users' rows, each with its fallback as its
-- attempts have it now.
create function public.roll_up_user_selections(p_rows public.model_selections[], p_sign integer)
returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into public.selection_rollup_by_user as t (user_id, requests, successes, confidence_sum,
    confidence_count, conflicts, fallbacks, refinements, needs_review)
  select s.user_id, p_sign * count(*), p_sign * count(s.selected_model), p_sign * coalesce(sum(s.confidence), 0),
    p_sign * count(s.confidence), p_sign * coalesce(sum(jsonb_array_length(s.conflicts)), 0),
    p_sign * count(*) filter (where public.used_fallback(s.request_id, s.selected_model)),
    p_sign * coalesce(sum(s.refine_rounds), 0), p_sign * count(*) filter (where s.needs_review)
  from unnest(p_rows) as s
  group by 1
  order by 1
  on conflict (user_id) do update set
    requests = t.requests + excluded.requests,
    successes = t.successes + excluded.successes,
    confidence_sum = t.confidence_sum + excluded.confidence_sum,
    confidence_count = t.confidence_count + excluded.confidence_count,
    conflicts = t.conflicts + excluded.conflicts,
    fallbacks = t.fallbacks + excluded.fallbacks,
    refinements = t.refinements + excluded.refinements,
    needs_review = t.needs_review + excluded.needs_review;
end;
$$;

-- Attempts that came, changed or went can make their request a fallback or no longer one: each request
-- they belong to is compared as its attempts were (the rows now, without the statement's new ones, with
-- its old ones) and as they are.
create function public.roll_up_fallbacks(p_old public.model_performance[], p_new public.model_performance[])
returns void
language plpgsql
set search_path = ''
as $$
begin
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

-- The triggers: one statement-level trigger per event, each passing its transition tables on (an update
-- takes the old rows out and puts the new ones in; a delete takes them out).
create function public.model_performance_roll_up()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  gone public.model_performance[];
  came public.model_performance[];
begin
  if tg_op in ('UPDATE', 'DELETE') then
    select array_agg(row(o.*)::public.model_performance) into gone from old_rows o;
    perform public.roll_up_attempts(gone, -1);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    select array_agg(row(n.*)::public.model_performance) into came from new_rows n;
    perform public.roll_up_attempts(came, 1);
  end if;
  perform public.roll_up_fallbacks(gone, came);
  return null;
end;
$$;

create function public.model_selections_roll_up()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    -- a changed winner or score moves the request's feedback to another band
    perform public.roll_up_feedback_of((select array_agg(row(o.*)::public.model_selections) from old_rows o), -1);
    perform public.roll_up_feedback_of((select array_agg(row(n.*)::public.model_selections) from new_rows n), 1);
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    perform public.roll_up_selections((select array_agg(row(o.*)::public.model_selections) from old_rows o), -1);
  end if;
  if tg_op = 'INSERT' or tg_op = 'UPDATE' then
    perform public.roll_up_selections((select array_agg(row(n.*)::public.model_selections) from new_rows n), 1);
  end if;
  -- (a deleted selection left its user's row before it went: model_selections_leave)
  if tg_op = 'UPDATE' then
    perform public.roll_up_user_selections((select array_agg(row(o.*)::public.model_selections) from old_rows o), -1);
  end if;
  if tg_op = 'INSERT' or tg_op = 'UPDATE' then
    perform public.roll_up_user_selections((select array_agg(row(n.*)::public.model_selections) from new_rows n), 1);
  end if;
  return null;
end;
$$;

create function public.request_feedback_roll_up()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform public.roll_up_feedback((select array_agg(row(o.*)::public.request_feedback) from old_rows o), -1);
  end if;
  if tg_op = 'INSERT' or tg_op = 'UPDATE' then
    perform public.roll_up_feedback((select array_agg(row(n.*)::public.request_feedback) from new_rows n), 1);
  end if;
  return null;
end;
$$;

create trigger model_performance_roll_up_insert after insert on public.model_performance
  referencing new table as new_rows for each statement execute function public.model_performance_roll_up();
create trigger model_performance_roll_up_update after update on public.model_performance
  referencing old table as old_rows new table as new_rows
  for each statement execute function public.model_performance_roll_up();

create trigger model_selections_roll_up_insert after insert on public.model_selections
  referencing new table as new_rows for each statement execute function public.model_selections_roll_up();
create trigger model_selections_roll_up_update after update on public.model_selections
  referencing old table as old_rows new table as new_rows
  for each statement execute function public.model_selections_roll_up();

create trigger request_feedback_roll_up_insert after insert on public.request_feedback
  referencing new table as new_rows for each statement execute function public.request_feedback_roll_up();
create trigger request_feedback_roll_up_update after update on public.request_feedback
  referencing old table as old_rows new table as new_rows
  for each statement execute function public.request_feedback_roll_up();

create trigger model_performance_roll_up_delete after delete on public.model_performance
  referencing old table as old_rows for each statement execute function public.model_performance_roll_up();
create trigger model_selections_roll_up_delete after delete on public.model_selections
  referencing old table as old_rows for each statement execute function public.model_selections_roll_up();
create trigger request_feedback_roll_up_delete after delete on public.request_feedback
  referencing old table as old_rows for each statement execute function public.request_feedback_roll_up();

-- A deleted selection leaves its user's row and takes its feedback out of its band before the rows go,
-- while its attempts and feedback are still there: once the delete cascades, no trigger sees the other
-- table's rows (the attempts' and the feedback's deletes then find no selection, so nothing is counted
-- out twice).
create function public.model_selections_leave()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform public.roll_up_user_selections(array[old], -1);
  perform public.roll_up_feedback_of(array[old], -1);
  return old;
end;
$$;

create trigger model_selections_leave before delete on public.model_selections
  for each row execute function public.model_selections_leave();

-- strategy_stats as the pooled sum of strategy_stats_by_user: the rows a statement changed take their old
-- shares out and put their new ones in, summed per pooled row.
create function public.pool_strategy_changes(p_old public.strategy_stats_by_user[],
  p_new public.strategy_stats_by_user[])
returns void
language plpgsql
set search_path = ''
as $$
declare
  cap double precision := (select evidence_per_user from public.project_settings);
begin
  insert into public.strategy_stats as s (task_type, complexity, model_name, approach, provider, users,
    evidence, delivered, attempts, successes, quality_sum, duration_ms_sum, costed, cost_usd_sum)
  select c.task_type, c.complexity, c.model_name, c.approach, max(c.provider), sum(c.sign * c.users),
    sum(c.sign * c.evidence), sum(c.sign * c.delivered), sum(c.sign * c.attempts), sum(c.sign * c.successes),
    sum(c.sign * c.quality_sum), sum(c.sign * c.duration_ms_sum), sum(c.sign * c.costed),
    sum(c.sign * c.cost_usd_sum)
  from (
    -- each row's share as public.pooled_share computes it, spelled out so the planner inlines it
    select u.sign, u.task_type, u.complexity, u.model_name, u.approach, u.provider,
      case when u.attempts > 0 then 1 else 0 end as users,
      least(u.evidence, cap) as evidence,
      u.delivered * case when u.evidence > cap then cap / u.evidence else 1 end as delivered,
      least(u.attempts, cap) as attempts,
      u.successes * case when u.attempts > cap then cap / u.attempts else 1 end as successes,
      u.quality_sum * case when u.attempts > cap then cap / u.attempts else 1 end as quality_sum,
      u.duration_ms_sum * case when u.attempts > cap then cap / u.attempts else 1 end as duration_ms_sum,
      least(u.costed, cap) as costed,
      u.cost_usd_sum::double precision * case when u.costed > cap then cap / u.costed else 1 end as cost_usd_sum
    from (
      select 1 as sign, n.* from unnest(p_new) as n
      union all
      select -1, o.* from unnest(p_old) as o
    ) as u
  ) as c
  group by c.task_type, c.model_name, c.approach, c.complexity
  order by c.task_type, c.model_name, c.approach, c.complexity
  on conflict (task_type, model_name, approach, complexity) do update set
    users = s.users + excluded.users,
    evidence = s.evidence + excluded.evidence,
    delivered = s.delivered + excluded.delivered,
    attempts = s.attempts + excluded.attempts,
    successes = s.successes + excluded.successes,
    quality_sum = s.quality_sum + excluded.quality_sum,
    duration_ms_sum = s.duration_ms_sum + excluded.duration_ms_sum,
    costed = s.costed + excluded.costed,
    cost_usd_sum = s.cost_usd_sum + excluded.cost_usd_sum;
end;
$$;

create function public.strategy_stats_by_user_pool()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  gone public.strategy_stats_by_user[];
  came public.strategy_stats_by_user[];
begin
  if tg_op in ('UPDATE', 'DELETE') then
    select array_agg(row(o.*)::public.strategy_stats_by_user) into gone from old_rows o;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    select array_agg(row(n.*)::public.strategy_stats_by_user) into came from new_rows n;
  end if;
  perform public.pool_strategy_changes(gone, came);
  return null;
end;
$$;

drop trigger strategy_stats_by_user_pool on public.strategy_stats_by_user;
drop function public.pool_strategy_stats();
create trigger strategy_stats_by_user_pool_insert after insert on public.strategy_stats_by_user
  referencing new table as new_rows for each statement execute function public.strategy_stats_by_user_pool();
create trigger strategy_stats_by_user_pool_update after update on public.strategy_stats_by_user
  referencing old table as old_rows new table as new_rows
  for each statement execute function public.strategy_stats_by_user_pool();
create trigger strategy_stats_by_user_pool_delete after delete on public.strategy_stats_by_user
  referencing old table as old_rows for each statement execute function public.strategy_stats_by_user_pool();

revoke all on function public.rollup_shard(uuid), public.score_band(numeric),
  public.roll_up_attempts(public.model_performance[], integer),
  public.roll_up_selections(public.model_selections[], integer),
  public.roll_up_feedback(public.request_feedback[], integer),
  public.roll_up_feedback_of(public.model_selections[], integer),
  public.model_performance_roll_up(), public.model_selections_roll_up(),
  public.request_feedback_roll_up(), public.model_selections_leave(),
  public.failed_first_choice(public.model_performance),
  public.roll_up_user_selections(public.model_selections[], integer),
  public.roll_up_fallbacks(public.model_performance[], public.model_performance[]),
  public.pool_strategy_changes(public.strategy_stats_by_user[], public.strategy_stats_by_user[]),
  public.strategy_stats_by_user_pool()
  from public, anon, authenticated;
-- The users' branch of feedback_acceptance calls the one, public.used_fallback (theirs too) the other.
grant execute on function public.score_band(numeric), public.failed_first_choice(public.model_performance)
  to authenticated, service_role;

-- What is already there (creating the triggers locked the tables until this migration commits, so nothing
-- is missed or counted twice).
insert into public.attempt_rollup_hourly (hour, model_name, provider, shard, uses, successes, scored,
  quality_sum, duration_ms_sum)
select date_trunc('hour', p.created_at, 'UTC'), p.model_name, p.provider, public.rollup_shard(p.request_id),
  count(*), count(*) filter (where p.success), count(p.quality_score), coalesce(sum(p.quality_score), 0),
  sum(p.duration_ms)
from public.model_performance p
where public.is_model_evidence(p.error_class)
group by 1, 2, 3, 4;

insert into public.attempt_rollup_by_approach (approach, shard, uses, successes, success_quality_sum)
select p.approach, public.rollup_shard(p.request_id), count(*), count(*) filter (where p.success),
  coalesce(sum(p.quality_score) filter (where p.success), 0)
from public.model_performance p
where public.is_model_evidence(p.error_class)
group by 1, 2;

insert into public.selection_rollup_hourly (hour, selected_model, shard, selections, scored, quality_sum)
select date_trunc('hour', s.created_at, 'UTC'), s.selected_model, public.rollup_shard(s.request_id), count(*),
  count(s.quality_score), coalesce(sum(s.quality_score), 0)
from public.model_selections s
where s.selected_model is not null
group by 1, 2, 3;

insert into public.selection_rollup_by_user (user_id, requests, successes, confidence_sum, confidence_count,
  conflicts, fallbacks, refinements, needs_review)
select s.user_id, count(*), count(s.selected_model), coalesce(sum(s.confidence), 0), count(s.confidence),
  coalesce(sum(jsonb_array_length(s.conflicts)), 0),
  count(*) filter (where public.used_fallback(s.request_id, s.selected_model)), coalesce(sum(s.refine_rounds), 0),
  count(*) filter (where s.needs_review)
from public.model_selections s
group by 1;

insert into public.feedback_rollup (model_name, score_band, shard, feedbacks, accepted, rated, rating_sum)
select s.selected_model, public.score_band(s.quality_score), public.rollup_shard(f.request_id), count(*),
  count(*) filter (where f.accepted), count(f.rating), coalesce(sum(f.rating), 0)
from public.request_feedback f
join public.model_selections s on s.request_id = f.request_id
where f.replaced_at is null and s.selected_model is not null
group by 1, 2, 3;

-- get_best_model_for_task as 20261201000100 defined it, with the user's own share of a pooled row computed
-- inline rather than by a call of public.pooled_share per row (which cost about as much as the rest of
-- the ranking); the same answers, in about half the time.
create or replace function public.get_best_model_for_task(p_user_id uuid, p_task_type text, p_complexity text default null)
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
    where m.enabled
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
    ) as own on o is not null
    where lv.level < 3 or p_complexity is not null
  ),
  -- each level's data: the user's own in full, the others' only under the k-user rule and weighted to
  -- count for at most others_weight attempts
  pooled as materialized (
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
  -- down the levels: a child's prior is its parent's posterior built without the child's own data (from
  -- its siblings), counting for at most parent_weight attempts
  chained as materialized (
    select st.model_id, st.provider, st.approach, arm.*, two.mean as mean2, two.weight as weight2,
      l2.n as n2, l2.d as d2, coalesce(l3.n, 0) as n3, coalesce(l3.d, 0) as d3
    from strategy st
    join pooled l1 on l1.model_id = st.model_id and l1.approach = st.approach and l1.level = 1
    join pooled l2 on l2.model_id = st.model_id and l2.approach = st.approach and l2.level = 2
    left join pooled l3 on l3.model_id = st.model_id and l3.approach = st.approach and l3.level = 3
    -- the strategy's own level: at the complexity when one is given
    join lateral (
      select p.own_a, p.other_a, p.other_w, p.own_s, p.other_s, p.own_q, p.other_q, p.own_t, p.other_t,
        p.own_c, p.other_c, p.own_u, p.other_u
      from pooled p
      where p.model_id = st.model_id and p.approach = st.approach
        and p.level = case when p_complexity is null then 2 else 3 end
    ) as arm on true
    -- level 2's prior: the catalog's, and the model's other approach
    cross join lateral (
      select (catalog_weight * st.prior_quality + greatest(l1.d - l2.d, 0))
          / (catalog_weight + greatest(l1.n - l2.n, 0)) as mean,
        least(catalog_weight + greatest(l1.n - l2.n, 0), parent_weight) as weight
    ) as two
  ),
  posterior as materialized (
    select c.*,
      case when p_complexity is null then c.mean2 * c.weight2 + c.d2 else three.mean * three.weight + c.d3 end
        as alpha,
      case when p_complexity is null then c.weight2 + c.n2 else three.weight + c.n3 end as n
    from chained c
    -- level 3's prior: level 2 built on the strategy's other complexities
    cross join lateral (
      select (c.mean2 * c.weight2 + greatest(c.d2 - c.d3, 0)) / (c.weight2 + greatest(c.n2 - c.n3, 0)) as mean,
        least(c.weight2 + greatest(c.n2 - c.n3, 0), parent_weight) as weight
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

-- The views. `(select auth.uid()) is null` picks the branch once per query (an init plan), so each caller
-- reads only its own branch. The window's bounds are written out in each branch (not a CTE) so that the
-- planner estimates the few rows of the part-hour, not a week of them.
create or replace view public.model_quality_last_7_days with (security_invoker = true) as
with uses as (
  -- the service side: whole hours from the rollup...
  select r.model_name, r.provider, r.uses, r.successes, r.scored, r.quality_sum, r.duration_ms_sum
  from public.attempt_rollup_hourly r
  where r.hour >= date_trunc('hour', now() - interval '7 days', 'UTC') + interval '1 hour'
    and (select auth.uid()) is null
  union all
  -- ...and the part-hour at the window's start from the raw rows
  select p.model_name, p.provider, 1, p.success::int, (p.quality_score is not null)::int,
    coalesce(p.quality_score, 0), p.duration_ms
  from public.model_performance p
  where p.created_at > now() - interval '7 days'
    and p.created_at < date_trunc('hour', now() - interval '7 days', 'UTC') + interval '1 hour'
    and public.is_model_evidence(p.error_class) and (select auth.uid()) is null
  union all
  -- a signed-in user: their own rows
  select p.model_name, p.provider, 1, p.success::int, (p.quality_score is not null)::int,
    coalesce(p.quality_score, 0), p.duration_ms
  from public.model_performance p
  where p.user_id = (select auth.uid()) and p.created_at > now() - interval '7 days'
    and public.is_model_evidence(p.error_class)
)
select
  u.model_name,
  u.provider,
  round(sum(u.quality_sum) / nullif(sum(u.scored), 0), 2) as avg_quality,
  round(sum(u.duration_ms_sum)::numeric / sum(u.uses)) as avg_duration_ms,
  sum(u.uses)::bigint as total_uses,
  round(100.0 * sum(u.successes) / sum(u.uses), 2) as success_rate
from uses u
group by u.model_name, u.provider
having sum(u.uses) > 0;

create or replace view public.model_selections_last_7_days with (security_invoker = true) as
with wins as (
  select r.selected_model, r.selections, r.scored, r.quality_sum
  from public.selection_rollup_hourly r
  where r.hour >= date_trunc('hour', now() - interval '7 days', 'UTC') + interval '1 hour'
    and (select auth.uid()) is null
  union all
  select s.selected_model, 1, (s.quality_score is not null)::int, coalesce(s.quality_score, 0)
  from public.model_selections s
  where s.created_at > now() - interval '7 days'
    and s.created_at < date_trunc('hour', now() - interval '7 days', 'UTC') + interval '1 hour'
    and s.selected_model is not null and (select auth.uid()) is null
  union all
  select s.selected_model, 1, (s.quality_score is not null)::int, coalesce(s.quality_score, 0)
  from public.model_selections s
  where s.user_id = (select auth.uid()) and s.created_at > now() - interval '7 days' and s.selected_model is not null
)
select
  w.selected_model,
  round(sum(w.quality_sum) / nullif(sum(w.scored), 0), 2) as avg_quality,
  sum(w.selections)::bigint as selection_count
from wins w
group by w.selected_model
having sum(w.selections) > 0;

create or replace view public.approach_success_rates with (security_invoker = true) as
with uses as (
  select r.approach, r.uses, r.successes, r.success_quality_sum
  from public.attempt_rollup_by_approach r
  where (select auth.uid()) is null
  union all
  select p.approach, 1, p.success::int, case when p.success then p.quality_score else 0 end
  from public.model_performance p
  where p.user_id = (select auth.uid()) and public.is_model_evidence(p.error_class)
)
select
  u.approach,
  sum(u.uses)::bigint as attempts,
  round(100.0 * sum(u.successes) / sum(u.uses), 2) as success_rate,
  round(sum(u.success_quality_sum) / nullif(sum(u.successes), 0), 2) as avg_quality
from uses u
group by u.approach
having sum(u.uses) > 0;

create or replace view public.feedback_acceptance with (security_invoker = true) as
with verdicts as (
  select r.model_name, r.score_band, r.feedbacks, r.accepted, r.rated, r.rating_sum
  from public.feedback_rollup r
  where (select auth.uid()) is null
  union all
  select s.selected_model, public.score_band(s.quality_score), 1, f.accepted::int, (f.rating is not null)::int,
    coalesce(f.rating, 0)
  from public.request_feedback f
  join public.model_selections s on s.request_id = f.request_id
  where f.user_id = (select auth.uid()) and f.replaced_at is null and s.selected_model is not null
)
select
  v.model_name,
  v.score_band,
  sum(v.feedbacks)::bigint as feedbacks,
  round(100.0 * sum(v.accepted) / sum(v.feedbacks), 1) as accepted_pct,
  round(sum(v.rating_sum)::numeric / nullif(sum(v.rated), 0), 2) as avg_rating
from verdicts v
group by v.model_name, v.score_band
having sum(v.feedbacks) > 0;

-- Seed 003's statistics per user (20261201001700), from the per-user rollup: a user's RLS shows them their
-- own row, the service role every user's.
create or replace view public.orchestration_stats with (security_invoker = true) as
select
  r.user_id,
  r.requests,
  round(100.0 * r.successes / r.requests, 2) as success_rate,
  round(r.confidence_sum / nullif(r.confidence_count, 0), 3) as avg_confidence,
  r.conflicts as conflicts_detected,
  r.fallbacks as fallbacks_used,
  r.refinements,
  r.needs_review
from public.selection_rollup_by_user r
where r.requests > 0;
