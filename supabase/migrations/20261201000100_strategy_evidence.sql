-- What the planner learns from, kept so that it converges, forgets what is no longer true, and never lets
-- one user read back — or move — what others see.
--
-- A strategy is a model and an approach. Evidence about it is kept per task type at three levels, each a
-- row keyed by (complexity, approach), '*' meaning "all":
--   ('*', '*')                 the model on the task type, whatever the approach and complexity;
--   ('*', approach)            the strategy on the task type, whatever the complexity;
--   (complexity, approach)     the strategy on the task type at one complexity.
-- A new strategy (another approach of a known model, a known strategy at a complexity it has not met)
-- starts from what its parent level knows instead of from nothing.
--
-- Each attempt that reached a model (public.is_model_evidence) adds its delivered quality — its score / 100
-- when it succeeded, 0 when it failed — to the rows of its user (strategy_stats_by_user). Every new
-- observation of a row first multiplies the row's earlier evidence by project_settings.evidence_decay
-- (attempts recorded together count alike). A model that changes is noticed by a CUSUM test per row:
-- outcomes further than drift_slack below (or above) the row's mean add up, and past drift_threshold the
-- row's evidence restarts from its recent attempts (a window decayed by 0.9 per attempt, about the last
-- ten); when the model's own row changes, its strategies' rows start over from it. The raw counts and sums (attempts, successes, durations, costs) are kept beside it, undecayed,
-- for display.
--
-- strategy_stats pools every user's rows, each user counting for at most evidence_per_user attempts, with
-- the number of distinct users behind each row; get_best_model_for_task pools other users into a row only
-- when at least min_pool_users of them are behind it (the k-user rule).
--
-- Deleting attempt rows (retention) leaves the statistics as they are; deleting a user's rows of
-- strategy_stats_by_user takes them out of the pooled statistics as well.

drop trigger model_performance_rollup_insert on public.model_performance;
drop trigger model_performance_rollup_update on public.model_performance;
drop trigger model_performance_rollup_delete on public.model_performance;
drop function public.model_performance_rollup();
drop function public.apply_model_stats(jsonb, integer);
drop function public.planning_context(uuid, text);
drop function public.get_best_model_for_task(uuid, text);
drop table public.model_stats;
drop table public.model_stats_by_user;

create table public.strategy_stats_by_user (
  user_id uuid not null,
  task_type text not null,
  complexity text not null check (complexity in ('low', 'medium', 'high', '*')),
  model_name text not null,
  approach text not null,
  provider text not null,
  -- decayed: what the ranking learns from
  evidence double precision not null default 0,
  delivered double precision not null default 0,
  -- the last few attempts (decayed by 0.9 each), and the CUSUM sums of the change test
  recent_evidence double precision not null default 0,
  recent_delivered double precision not null default 0,
  drift_down double precision not null default 0,
  drift_up double precision not null default 0,
  -- raw: what is shown
  attempts bigint not null default 0,
  successes bigint not null default 0,
  -- sum over successful attempts of quality_score / 100
  quality_sum double precision not null default 0,
  duration_ms_sum bigint not null default 0,
  -- attempts whose cost was measured from a provider's token usage, and their cost
  costed bigint not null default 0,
  cost_usd_sum numeric not null default 0,
  primary key (user_id, task_type, model_name, approach, complexity)
);

create table public.strategy_stats (
  task_type text not null,
  complexity text not null check (complexity in ('low', 'medium', 'high', '*')),
  model_name text not null,
  approach text not null,
  provider text not null,
  -- distinct users with attempts behind the row
  users bigint not null default 0,
  -- the sums of every user's row, each scaled to count for at most evidence_per_user attempts
  evidence double precision not null default 0,
  delivered double precision not null default 0,
  attempts double precision not null default 0,
  successes double precision not null default 0,
  quality_sum double precision not null default 0,
  duration_ms_sum double precision not null default 0,
  costed double precision not null default 0,
  cost_usd_sum double precision not null default 0,
  primary key (task_type, model_name, approach, complexity)
);

comment on table public.strategy_stats_by_user is
  'Per user, task type and strategy at three levels (complexity and approach, or ''*'' for all): decayed '
  'evidence and delivered quality (what the ranking learns from) and raw attempt counts and sums.';
comment on table public.strategy_stats is
  'strategy_stats_by_user pooled over users, each user counting for at most '
  'project_settings.evidence_per_user attempts, with the number of distinct users behind each row.';

alter table public.strategy_stats_by_user enable row level security;
alter table public.strategy_stats enable row level security;
create policy "users read their own statistics" on public.strategy_stats_by_user
  for select to authenticated using ((select auth.uid()) = user_id);
-- strategy_stats has no policy: only the service side and get_best_model_for_task read it.

revoke all on table public.strategy_stats_by_user, public.strategy_stats from public, anon, authenticated;
grant select on table public.strategy_stats_by_user to authenticated;
grant select, delete on table public.strategy_stats_by_user to service_role;
grant select on table public.strategy_stats to service_role;

-- What one attempt delivered, 0-1: its score when it succeeded, nothing when it failed.
create function public.delivered_quality(p_success boolean, p_quality_score numeric)
returns double precision
language sql
immutable
set search_path = ''
as $$ select case when p_success then coalesce(p_quality_score, 0)::double precision / 100 else 0 end $$;

-- Adds new attempts (a transition table of model_performance rows) to their users' statistics.
create function public.add_strategy_evidence()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  settings public.project_settings := (select s from public.project_settings s);
  decay double precision := settings.evidence_decay;
  slack double precision := settings.drift_slack;
begin
  with observed as (
    select r.user_id, r.task_type, level.complexity, r.model_name, level.approach, r.provider,
      public.delivered_quality(r.success, r.quality_score) as delivered, r.success, r.quality_score,
      r.duration_ms, r.cost_usd, r.input_tokens + r.output_tokens > 0 as costed
    from new_rows r
    cross join lateral (
      values (r.request_complexity, r.approach), ('*', r.approach), ('*', '*')
    ) as level (complexity, approach)
    where public.is_model_evidence(r.error_class)
  ),
  counted as (
    select user_id, task_type, complexity, model_name, approach, max(provider) as provider,
      count(*) as attempts, sum(delivered) as delivered,
      count(*) filter (where success) as successes,
      coalesce(sum(quality_score) filter (where success), 0)::double precision / 100 as quality_sum,
      sum(duration_ms) as duration_ms_sum,
      count(*) filter (where costed) as costed,
      coalesce(sum(cost_usd) filter (where costed), 0) as cost_usd_sum
    from observed
    group by user_id, task_type, complexity, model_name, approach
  )
  insert into public.strategy_stats_by_user as s (user_id, task_type, complexity, model_name, approach,
    provider, evidence, delivered, recent_evidence, recent_delivered, attempts, successes, quality_sum,
    duration_ms_sum, costed, cost_usd_sum)
  select user_id, task_type, complexity, model_name, approach, provider, attempts, delivered, attempts,
    delivered, attempts, successes, quality_sum, duration_ms_sum, costed, cost_usd_sum
  from counted
  on conflict (user_id, task_type, model_name, approach, complexity) do update set
    evidence = s.evidence * power(decay, excluded.attempts) + excluded.evidence,
    delivered = s.delivered * power(decay, excluded.attempts) + excluded.delivered,
    recent_evidence = s.recent_evidence * power(0.9, excluded.attempts) + excluded.evidence,
    recent_delivered = s.recent_delivered * power(0.9, excluded.attempts) + excluded.delivered,
    -- the change test, against the mean before these attempts (once there are ten to go by)
    drift_down = case when s.evidence >= 10 then greatest(0, s.drift_down
      + excluded.attempts * (s.delivered / s.evidence - slack) - excluded.delivered) else 0 end,
    drift_up = case when s.evidence >= 10 then greatest(0, s.drift_up
      + excluded.delivered - excluded.attempts * (s.delivered / s.evidence + slack)) else 0 end,
    attempts = s.attempts + excluded.attempts,
    successes = s.successes + excluded.successes,
    quality_sum = s.quality_sum + excluded.quality_sum,
    duration_ms_sum = s.duration_ms_sum + excluded.duration_ms_sum,
    costed = s.costed + excluded.costed,
    cost_usd_sum = s.cost_usd_sum + excluded.cost_usd_sum;

  -- A row whose test passed its threshold has changed: its evidence restarts from its recent attempts.
  -- When it is the model's own row (all approaches and complexities), the model has changed: what its
  -- strategies knew is void too, and they restart from the model's recent attempts (their parent).
  with changed_models as (
    select s.user_id, s.task_type, s.model_name from public.strategy_stats_by_user s
    where s.complexity = '*' and s.approach = '*' and greatest(s.drift_down, s.drift_up) > settings.drift_threshold
      and (s.user_id, s.task_type, s.model_name) in (select r.user_id, r.task_type, r.model_name from new_rows r)
  ),
  voided as (
    update public.strategy_stats_by_user s
    set evidence = 0, delivered = 0, recent_evidence = 0, recent_delivered = 0, drift_down = 0, drift_up = 0
    from changed_models c
    where s.user_id = c.user_id and s.task_type = c.task_type and s.model_name = c.model_name
      and not (s.complexity = '*' and s.approach = '*')
  )
  update public.strategy_stats_by_user s
  set evidence = s.recent_evidence, delivered = s.recent_delivered, drift_down = 0, drift_up = 0
  where greatest(s.drift_down, s.drift_up) > settings.drift_threshold
    and (s.user_id, s.task_type, s.model_name) in (select r.user_id, r.task_type, r.model_name from new_rows r)
    and not exists (
      select from changed_models c where c.user_id = s.user_id and c.task_type = s.task_type
        and c.model_name = s.model_name and not (s.complexity = '*' and s.approach = '*')
    );
  return null;
end;
$$;

create trigger model_performance_add_evidence after insert on public.model_performance
  referencing new table as new_rows for each statement execute function public.add_strategy_evidence();

-- A user row's share of the pooled statistics, each part scaled to count for at most p_cap attempts.
create function public.pooled_share(p public.strategy_stats_by_user, p_cap double precision)
returns public.strategy_stats
language sql
immutable
set search_path = ''
as $$
  select row(p.task_type, p.complexity, p.model_name, p.approach, p.provider,
    case when p.attempts > 0 then 1 else 0 end,
    least(p.evidence, p_cap), p.delivered * e.w, least(p.attempts, p_cap), p.successes * a.w,
    p.quality_sum * a.w, p.duration_ms_sum * a.w, least(p.costed, p_cap), p.cost_usd_sum::double precision * c.w
  )::public.strategy_stats
  from (select case when p.evidence > p_cap then p_cap / p.evidence else 1 end as w) as e,
    (select case when p.attempts > p_cap then p_cap / p.attempts else 1 end as w) as a,
    (select case when p.costed > p_cap then p_cap / p.costed else 1 end as w) as c
$$;

-- Keeps strategy_stats the pooled sum of strategy_stats_by_user: each changed user row takes its old share
-- out and puts its new one in. Row by row, so concurrent writers of one user row cannot lose an update.
create function public.pool_strategy_stats()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  cap double precision := (select evidence_per_user from public.project_settings);
  gone public.strategy_stats;
  came public.strategy_stats;
  key public.strategy_stats_by_user := coalesce(new, old);
begin
  if tg_op in ('UPDATE', 'DELETE') then
    gone := public.pooled_share(old, cap);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    came := public.pooled_share(new, cap);
  end if;
  insert into public.strategy_stats as s (task_type, complexity, model_name, approach, provider, users,
    evidence, delivered, attempts, successes, quality_sum, duration_ms_sum, costed, cost_usd_sum)
  values (key.task_type, key.complexity, key.model_name, key.approach, key.provider,
    coalesce(came.users, 0) - coalesce(gone.users, 0),
    coalesce(came.evidence, 0) - coalesce(gone.evidence, 0),
    coalesce(came.delivered, 0) - coalesce(gone.delivered, 0),
    coalesce(came.attempts, 0) - coalesce(gone.attempts, 0),
    coalesce(came.successes, 0) - coalesce(gone.successes, 0),
    coalesce(came.quality_sum, 0) - coalesce(gone.quality_sum, 0),
    coalesce(came.duration_ms_sum, 0) - coalesce(gone.duration_ms_sum, 0),
    coalesce(came.costed, 0) - coalesce(gone.costed, 0),
    coalesce(came.cost_usd_sum, 0) - coalesce(gone.cost_usd_sum, 0))
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
  return null;
end;
$$;

create trigger strategy_stats_by_user_pool after insert or update or delete on public.strategy_stats_by_user
  for each row execute function public.pool_strategy_stats();

-- Rebuilds strategy_stats from the user rows: after evidence_per_user changes.
create function public.rebuild_strategy_stats()
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  cap double precision := (select evidence_per_user from public.project_settings);
begin
  delete from public.strategy_stats;
  insert into public.strategy_stats
  select share.task_type, share.complexity, share.model_name, share.approach, max(share.provider),
    sum(share.users), sum(share.evidence), sum(share.delivered), sum(share.attempts), sum(share.successes),
    sum(share.quality_sum), sum(share.duration_ms_sum), sum(share.costed), sum(share.cost_usd_sum)
  from public.strategy_stats_by_user u
  cross join lateral public.pooled_share(u, cap) as share
  group by share.task_type, share.complexity, share.model_name, share.approach;
end;
$$;

create function public.project_settings_pooling_changed()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform public.rebuild_strategy_stats();
  return null;
end;
$$;

create trigger project_settings_pooling_changed after update of evidence_per_user on public.project_settings
  for each row when (old.evidence_per_user is distinct from new.evidence_per_user)
  execute function public.project_settings_pooling_changed();

revoke all on function public.delivered_quality(boolean, numeric), public.add_strategy_evidence(),
  public.pooled_share(public.strategy_stats_by_user, double precision), public.pool_strategy_stats(),
  public.rebuild_strategy_stats(), public.project_settings_pooling_changed()
  from public, anon, authenticated;
grant execute on function public.delivered_quality(boolean, numeric), public.rebuild_strategy_stats()
  to service_role;

-- The history so far, decayed in the order it happened: the newest attempt of a row counts fully, the
-- one before it decay times, and so on.
with observed as (
  select r.user_id, r.task_type, level.complexity, r.model_name, level.approach, r.provider,
    public.delivered_quality(r.success, r.quality_score) as delivered, r.success, r.quality_score,
    r.duration_ms, r.cost_usd, r.input_tokens + r.output_tokens > 0 as costed,
    row_number() over (
      partition by r.user_id, r.task_type, level.complexity, r.model_name, level.approach
      order by r.created_at desc, r.id desc
    ) - 1 as age
  from public.model_performance r
  cross join lateral (values (r.request_complexity, r.approach), ('*', r.approach), ('*', '*'))
    as level (complexity, approach)
  where public.is_model_evidence(r.error_class)
)
insert into public.strategy_stats_by_user (user_id, task_type, complexity, model_name, approach, provider,
  evidence, delivered, recent_evidence, recent_delivered, attempts, successes, quality_sum, duration_ms_sum,
  costed, cost_usd_sum)
select o.user_id, o.task_type, o.complexity, o.model_name, o.approach, max(o.provider),
  sum(power(s.evidence_decay::double precision, o.age)),
  sum(o.delivered * power(s.evidence_decay::double precision, o.age)),
  sum(power(0.9::double precision, o.age)), sum(o.delivered * power(0.9::double precision, o.age)), count(*),
  count(*) filter (where o.success),
  coalesce(sum(o.quality_score) filter (where o.success), 0)::double precision / 100,
  sum(o.duration_ms), count(*) filter (where o.costed), coalesce(sum(o.cost_usd) filter (where o.costed), 0)
from observed o
cross join public.project_settings s
group by o.user_id, o.task_type, o.complexity, o.model_name, o.approach;

-- get_best_model_for_task ranks every (model, approach) strategy of the enabled catalog for one user and
-- task type, optionally at one complexity. Per strategy, a Beta posterior of delivered quality is built
-- down the levels, each level starting from what the one above knows:
--   the catalog's prior for the task type (strengths, else quality_prior / 10), worth 5 attempts;
--   the model's other approach on the task type, then (with a complexity) the strategy's other
--   complexities — each parent counting for at most project_settings.parent_evidence attempts, so a
--   child can tell itself apart;
--   the strategy's own row.
-- In each row, the user's own evidence counts in full; other users' counts only when at least
-- min_pool_users of them are behind it, each for at most evidence_per_user attempts and all of them for
-- at most 20 (users differ: others' evidence cannot make us surer about this user than that).
-- expected_quality is the posterior mean (0-100) and evidence its weight in attempts: the planner draws
-- from Beta(expected x evidence, (1 - expected) x evidence). The ranking orders by the one-sided 95%
-- Wilson lower bound, so two lucky attempts never outrank two hundred good ones.
-- samples are the user's own attempts at the strategy's level; prior_samples the other users' pooled in
-- (0 below the k-user rule); success_rate, mean_quality, mean_duration_ms and mean_cost_usd describe the
-- attempts behind both, pooled the same way; mean_cost_usd only those whose cost a provider measured
-- (cost_samples of them).
--
-- Security definer because pooling reads other users' statistics; it returns only aggregates under the
-- k-user rule, and a caller acting as a user may only ask about themselves.
create function public.get_best_model_for_task(p_user_id uuid, p_task_type text, p_complexity text default null)
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
    left join lateral public.pooled_share(o, settings.evidence_per_user) as own on o is not null
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

comment on function public.get_best_model_for_task(uuid, text, text) is
  'Ranked strategies (model, approach) of the enabled catalog for a user and task type (and optionally a '
  'complexity): expected_quality (0-100) and evidence (in attempts) of a Beta posterior built from the '
  'catalog prior, the strategy''s parent levels and its own row, pooling other users only under the '
  'k-user rule; a one-sided 95% lower bound on it (the rank); samples (the user''s own), prior_samples '
  '(others'' pooled in), success rate, mean quality, duration and cost of the attempts behind them.';

revoke all on function public.get_best_model_for_task(uuid, text, text) from public, anon;
grant execute on function public.get_best_model_for_task(uuid, text, text) to authenticated, service_role;

-- Everything the function needs to plan one request, in one round trip: the user's settings, their
-- budget this month, and the ranking for the task type (at the request's complexity).
create function public.planning_context(p_user_id uuid, p_task_type text, p_complexity text default null)
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
       from public.get_best_model_for_task(p_user_id, p_task_type, p_complexity) r),
      '[]'
    )
  )
$$;

revoke all on function public.planning_context(uuid, text, text) from public, anon, authenticated;
grant execute on function public.planning_context(uuid, text, text) to service_role;
