-- The last two monitoring views at tens of millions of rows (issue 16: every view within 100 ms).
-- confidence_by_model took seconds (a median per winning model and task type over every selection) and
-- strategy_insights minutes (public.insights compared strategies over every attempt joined with its
-- selection). Both now read rollups kept exactly by the triggers of 20261201140000, which call the new
-- roll-ups next to theirs:
--   confidence_rollup      per winning model, task type and confidence band (0.05 wide): requests, their
--                          confidence sum, reviews needed, current feedback and accepted;
--   confidence_histogram   per winning model, task type and confidence value (numeric(4, 3): at most 1,001
--                          values): requests — so the median is exact (percentile_cont's own interpolation);
--   insight_rollup         per task type, complexity, requirement ('*': any), model and approach, all
--                          time: attempts that reached the model, the sum and the sum of squares of their
--                          delivered quality (numeric, so exact), cost, and a refinement round's lift and gain;
--   insight_rollup_hourly  the same per UTC hour without refinement rounds: the last 14 days' trends, whole
--                          hours from it and the part-hours at each window's edge from the raw rows.
-- Like the other rollups they follow the raw rows: an attempt counts while its selection is there (as the
-- join of insights had it), and updates and deletes (retention's too) take rows out again.
--
-- public.insights(null, …), everyone's (the service side: strategy_insights, GET …/insights without a
-- user, the operator), reads the rollups. For one user (the k-user rule decides per group whose rows count)
-- it still reads the raw rows (public.insights_over(…, true)).
-- confidence_by_model for a signed-in user reads their own raw rows, as the other views do.

create table public.confidence_rollup (
  model_name text not null,
  task_type text not null,
  -- 0.05 wide: floor(confidence * 20), 0-20 (so 0.5, where confident starts, opens band 10)
  band smallint not null check (band between 0 and 20),
  requests bigint not null default 0,
  confidence_sum numeric not null default 0,
  needs_review bigint not null default 0,
  -- current feedback (request_feedback with replaced_at null) and how much of it accepted
  feedbacks bigint not null default 0,
  accepted bigint not null default 0,
  primary key (model_name, task_type, band)
);

-- The histogram itself, for the median: requests per confidence value.
create table public.confidence_histogram (
  model_name text not null,
  task_type text not null,
  confidence numeric(4, 3) not null,
  requests bigint not null default 0,
  primary key (model_name, task_type, confidence)
);

create table public.insight_rollup (
  task_type text not null,
  complexity text not null,
  requirement text not null,
  model_name text not null,
  approach text not null,
  attempts bigint not null default 0,
  -- public.delivered_quality, as numeric: the sum and the sum of squares (the variance, exactly)
  quality_sum numeric not null default 0,
  quality_square_sum numeric not null default 0,
  cost_usd_sum numeric not null default 0,
  -- refinement rounds: lifted over their threshold, and the improvement where one was recorded
  lifted bigint not null default 0,
  improvement_sum numeric not null default 0,
  improvements bigint not null default 0,
  -- not split into shards: the view reads every row, and its writers already take turns on the pooled
  -- statistics row of the same strategy (strategy_stats)
  primary key (task_type, complexity, requirement, model_name, approach)
);

create table public.insight_rollup_hourly (
  task_type text not null,
  complexity text not null,
  requirement text not null,
  model_name text not null,
  approach text not null,
  hour timestamptz not null,
  attempts bigint not null default 0,
  quality_sum numeric not null default 0,
  -- a strategy's hours together: the trends read 14 days of a few strategies
  primary key (task_type, complexity, requirement, model_name, approach, hour)
);

comment on table public.confidence_rollup is
  'Per winning model, task type and confidence band (0.05 wide): requests, their confidence sum, reviews '
  'needed, current feedback and accepted; kept by triggers on model_selections and request_feedback '
  '(confidence_by_model).';
comment on table public.confidence_histogram is
  'Per winning model, task type and confidence value: requests; kept by triggers on model_selections (the '
  'median of confidence_by_model).';
comment on table public.insight_rollup is
  'Per task type, complexity, requirement, model and approach, all time: attempts that reached the '
  'model, sums of delivered quality and its square, cost, refinement lift and gain; kept by triggers on '
  'model_performance and model_selections (public.insights).';
comment on table public.insight_rollup_hourly is
  'Per strategy group and UTC hour, without refinement rounds: attempts and their delivered quality; kept '
  'by triggers on model_performance and model_selections (the trends of public.insights).';

alter table public.confidence_rollup enable row level security;
alter table public.confidence_histogram enable row level security;
alter table public.insight_rollup enable row level security;
alter table public.insight_rollup_hourly enable row level security;
-- No policy: everyone's rows. Users are granted select on the confidence rollups only because the
-- security_invoker view names them (their branch reads their raw rows); the insight rollups are the
-- service side's.
revoke all on table public.confidence_rollup, public.confidence_histogram, public.insight_rollup,
  public.insight_rollup_hourly from public, anon, authenticated;
grant select on table public.confidence_rollup, public.confidence_histogram to authenticated, service_role;
grant select on table public.insight_rollup, public.insight_rollup_hourly to service_role;

-- Selections counted in (1) or out (-1) of their confidence bucket.
create function public.roll_up_confidence(p_rows public.model_selections[], p_sign integer)
returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into public.confidence_rollup as t (model_name, task_type, band, requests, confidence_sum, needs_review)
  select s.selected_model, s.task_type, floor(s.confidence * 20), p_sign * count(*), p_sign * sum(s.confidence),
    p_sign * count(*) filter (where s.needs_review)
  from unnest(p_rows) as s
  where s.selected_model is not null and s.confidence is not null
  group by 1, 2, 3
  order by 1, 2, 3
  on conflict (model_name, task_type, band) do update set
    requests = t.requests + excluded.requests,
    confidence_sum = t.confidence_sum + excluded.confidence_sum,
    needs_review = t.needs_review + excluded.needs_review;

  insert into public.confidence_histogram as t (model_name, task_type, confidence, requests)
  select s.selected_model, s.task_type, s.confidence, p_sign * count(*)
  from unnest(p_rows) as s
  where s.selected_model is not null and s.confidence is not null
  group by 1, 2, 3
  order by 1, 2, 3
  on conflict (model_name, task_type, confidence) do update set requests = t.requests + excluded.requests;
end;
$$;

-- Current feedback counted in or out of its selection's confidence bucket: p_feedback the feedback rows
-- (joined to their selections), or null and p_selections the selections (joined to their feedback).
create function public.roll_up_confidence_feedback(p_feedback public.request_feedback[],
  p_selections public.model_selections[], p_sign integer)
returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into public.confidence_rollup as t (model_name, task_type, band, feedbacks, accepted)
  select s.selected_model, s.task_type, floor(s.confidence * 20), p_sign * count(*),
    p_sign * count(*) filter (where f.accepted)
  from (
    select f.request_id, f.accepted, f.replaced_at from unnest(p_feedback) as f
    union all
    select f.request_id, f.accepted, f.replaced_at from public.request_feedback f
    where p_feedback is null and f.request_id in (select x.request_id from unnest(p_selections) as x)
      and f.replaced_at is null
  ) as f
  join (
    select s.request_id, s.selected_model, s.task_type, s.confidence from unnest(p_selections) as s
    union all
    select s.request_id, s.selected_model, s.task_type, s.confidence from public.model_selections s
    where p_selections is null and s.request_id in (select x.request_id from unnest(p_feedback) as x)
  ) as s on s.request_id = f.request_id
  where f.replaced_at is null and s.selected_model is not null and s.confidence is not null
  group by 1, 2, 3
  order by 1, 2, 3
  on conflict (model_name, task_type, band) do update set
    feedbacks = t.feedbacks + excluded.feedbacks,
    accepted = t.accepted + excluded.accepted;
end;
$$;

-- Attempts counted in or out of the insight rollups, under their selection's requirements: p_selections
-- the selections as they were or will be, or null for the selections in the table now (an attempt whose
-- selection is not there counts nowhere, as the join of insights had it).
create function public.roll_up_insights(p_rows public.model_performance[], p_selections public.model_selections[],
  p_sign integer)
returns void
language plpgsql
set search_path = ''
-- a requirement list's 100-row default estimate makes a batch look like millions of rows, and compiling
-- the statement (JIT) then costs seconds, far more than running it
set jit = off
as $$
begin
  -- one statement: the changes once, added to both rollups (each in key order)
  with changes as materialized (
    select p.task_type, p.request_complexity as complexity, r.requirement, p.model_name, p.approach,
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
  totals as (
    insert into public.insight_rollup as t (task_type, complexity, requirement, model_name, approach,
      attempts, quality_sum, quality_square_sum, cost_usd_sum, lifted, improvement_sum, improvements)
    select c.task_type, c.complexity, c.requirement, c.model_name, c.approach, p_sign * count(*),
      p_sign * sum(c.q), p_sign * sum(c.q * c.q), p_sign * sum(c.cost_usd), p_sign * count(*) filter (where c.lifted),
      p_sign * coalesce(sum(c.improvement), 0), p_sign * count(c.improvement)
    from changes c
    group by 1, 2, 3, 4, 5
    order by 1, 2, 3, 4, 5
    on conflict (task_type, complexity, requirement, model_name, approach) do update set
      attempts = t.attempts + excluded.attempts,
      quality_sum = t.quality_sum + excluded.quality_sum,
      quality_square_sum = t.quality_square_sum + excluded.quality_square_sum,
      cost_usd_sum = t.cost_usd_sum + excluded.cost_usd_sum,
      lifted = t.lifted + excluded.lifted,
      improvement_sum = t.improvement_sum + excluded.improvement_sum,
      improvements = t.improvements + excluded.improvements
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

-- The triggers of 20261201140000, now feeding the new rollups too.
create or replace function public.model_performance_roll_up()
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
    perform public.roll_up_insights(gone, null, -1);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    select array_agg(row(n.*)::public.model_performance) into came from new_rows n;
    perform public.roll_up_attempts(came, 1);
    perform public.roll_up_insights(came, null, 1);
  end if;
  perform public.roll_up_fallbacks(gone, came);
  return null;
end;
$$;

create or replace function public.model_selections_roll_up()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  gone public.model_selections[];
  came public.model_selections[];
  before_change public.model_selections[];
  after_change public.model_selections[];
  attempts public.model_performance[];
begin
  if tg_op in ('UPDATE', 'DELETE') then
    select array_agg(row(o.*)::public.model_selections) into gone from old_rows o;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    select array_agg(row(n.*)::public.model_selections) into came from new_rows n;
  end if;
  if tg_op = 'UPDATE' then
    -- a changed winner, score or confidence moves the request's feedback to another band
    perform public.roll_up_feedback_of(gone, -1);
    perform public.roll_up_feedback_of(came, 1);
    perform public.roll_up_confidence_feedback(null, gone, -1);
    perform public.roll_up_confidence_feedback(null, came, 1);
    -- changed requirements move the request's attempts to other insight groups
    select array_agg(row(o.*)::public.model_selections), array_agg(row(n.*)::public.model_selections)
      into before_change, after_change
    from old_rows o join new_rows n on n.id = o.id
    where o.task_profile -> 'requirements' is distinct from n.task_profile -> 'requirements';
    if after_change is not null then
      select array_agg(p) into attempts from public.model_performance p
      where p.request_id in (select c.request_id from unnest(after_change) as c);
      perform public.roll_up_insights(attempts, before_change, -1);
      perform public.roll_up_insights(attempts, after_change, 1);
    end if;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    perform public.roll_up_selections(gone, -1);
    perform public.roll_up_confidence(gone, -1);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform public.roll_up_selections(came, 1);
    perform public.roll_up_confidence(came, 1);
  end if;
  -- (a deleted selection left its user's row before it went: model_selections_leave)
  if tg_op = 'UPDATE' then
    perform public.roll_up_user_selections(gone, -1);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform public.roll_up_user_selections(came, 1);
  end if;
  return null;
end;
$$;

create or replace function public.request_feedback_roll_up()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  gone public.request_feedback[];
  came public.request_feedback[];
begin
  if tg_op in ('UPDATE', 'DELETE') then
    select array_agg(row(o.*)::public.request_feedback) into gone from old_rows o;
    perform public.roll_up_feedback(gone, -1);
    perform public.roll_up_confidence_feedback(gone, null, -1);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    select array_agg(row(n.*)::public.request_feedback) into came from new_rows n;
    perform public.roll_up_feedback(came, 1);
    perform public.roll_up_confidence_feedback(came, null, 1);
  end if;
  return null;
end;
$$;

-- A deleted selection also takes its feedback out of its confidence band and its attempts out of the
-- insight rollups before they go (once the delete cascades, their triggers find no selection and count
-- nothing out).
create or replace function public.model_selections_leave()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform public.roll_up_user_selections(array[old], -1);
  perform public.roll_up_feedback_of(array[old], -1);
  perform public.roll_up_confidence_feedback(null, array[old], -1);
  perform public.roll_up_insights(
    (select array_agg(p) from public.model_performance p where p.request_id = old.request_id), array[old], -1);
  return old;
end;
$$;

-- confidence_by_model on the service side from the bands, and the median from the histogram: the bands
-- (about 20 per model and task type) say in which band the two middle places fall and how many requests
-- come before it; only those bands' values are read. The median is percentile_cont's: the values at the
-- two middle places (one when the count is odd), interpolated in double precision as it does. A
-- signed-in user's branch is the view as it was, over their own selections.
create or replace view public.confidence_by_model with (security_invoker = true) as
with bands as (
  select b.model_name, b.task_type, b.band, b.requests, b.confidence_sum, b.needs_review, b.feedbacks, b.accepted,
    sum(b.requests) over (w order by b.band) as up_to, sum(b.requests) over w as total
  from public.confidence_rollup b
  where b.requests > 0 and (select auth.uid()) is null
  window w as (partition by b.model_name, b.task_type)
),
groups as (
  select b.model_name, b.task_type, sum(b.requests) as requests, sum(b.confidence_sum) as confidence_sum,
    sum(b.needs_review) as needs_review,
    sum(b.accepted) filter (where b.band >= 10) as confident_accepted,
    sum(b.feedbacks) filter (where b.band >= 10) as confident_feedbacks,
    sum(b.accepted) filter (where b.band < 10) as unconfident_accepted,
    sum(b.feedbacks) filter (where b.band < 10) as unconfident_feedbacks,
    -- the 0-based places of the two middle values, the bands they fall in and the requests before those
    floor((max(b.total) - 1) / 2.0) as low_place, ceil((max(b.total) - 1) / 2.0) as high_place,
    min(b.band) filter (where b.up_to > floor((b.total - 1) / 2.0)) as low_band,
    min(b.up_to - b.requests) filter (where b.up_to > floor((b.total - 1) / 2.0)) as low_before,
    min(b.band) filter (where b.up_to > ceil((b.total - 1) / 2.0)) as high_band,
    min(b.up_to - b.requests) filter (where b.up_to > ceil((b.total - 1) / 2.0)) as high_before
  from bands b
  group by b.model_name, b.task_type
),
middle as (
  select g.*, low.confidence as low, high.confidence as high
  from groups g
  cross join lateral (
    select h.confidence from (
      select h.confidence, g.low_before + sum(h.requests) over (order by h.confidence) as up_to
      from public.confidence_histogram h
      where h.model_name = g.model_name and h.task_type = g.task_type and h.requests > 0
        and h.confidence >= g.low_band / 20.0 and h.confidence < (g.low_band + 1) / 20.0
    ) h
    where h.up_to > g.low_place order by h.confidence limit 1
  ) as low
  cross join lateral (
    select h.confidence from (
      select h.confidence, g.high_before + sum(h.requests) over (order by h.confidence) as up_to
      from public.confidence_histogram h
      where h.model_name = g.model_name and h.task_type = g.task_type and h.requests > 0
        and h.confidence >= g.high_band / 20.0 and h.confidence < (g.high_band + 1) / 20.0
    ) h
    where h.up_to > g.high_place order by h.confidence limit 1
  ) as high
)
select
  m.model_name,
  m.task_type,
  m.requests::bigint as requests,
  round(m.confidence_sum / m.requests, 3) as avg_confidence,
  round((m.low::double precision + (m.high::double precision - m.low::double precision)
    * (0.5 * (m.requests - 1) - floor(0.5 * (m.requests - 1)))::double precision)::numeric, 3) as median_confidence,
  m.needs_review::bigint as needs_review,
  round(100.0 * m.confident_accepted / nullif(m.confident_feedbacks, 0), 1) as confident_accepted_pct,
  round(100.0 * m.unconfident_accepted / nullif(m.unconfident_feedbacks, 0), 1) as unconfident_accepted_pct
from middle m
union all
select
  s.selected_model,
  s.task_type,
  count(*),
  round(avg(s.confidence), 3),
  round(percentile_cont(0.5) within group (order by s.confidence)::numeric, 3),
  count(*) filter (where s.needs_review),
  round(100.0 * count(*) filter (where f.accepted and s.confidence >= 0.5)
    / nullif(count(f.id) filter (where s.confidence >= 0.5), 0), 1),
  round(100.0 * count(*) filter (where f.accepted and s.confidence < 0.5)
    / nullif(count(f.id) filter (where s.confidence < 0.5), 0), 1)
from public.model_selections s
left join public.request_feedback f on f.request_id = s.request_id and f.replaced_at is null
where s.user_id = (select auth.uid()) and s.selected_model is not null and s.confidence is not null
group by s.selected_model, s.task_type;

-- insights (20261201001700) from the rollups or from the raw rows: everyone's (p_user_id null, the
-- service side) from insight_rollup, and for the trends insight_rollup_hourly's whole hours plus the
-- part-hours at each window's edge from the raw rows; one user's from the raw rows, where the k-user rule
-- decides per group whose attempts count. Delivered quality is summed in numeric, so means and variances
-- are exact and both sources give the same lines (insight-rollups.test.sql compares them).
create function public.insights_over(p_user_id uuid, p_task_type text, p_from_rows boolean)
returns jsonb
language plpgsql
stable
set search_path = ''
-- the raw-row branch's estimates (millions of rows) would have every call compiled (JIT), for seconds
set jit = off
as $$
begin
  -- plpgsql, so a session plans this once
  return (
  with settings as (
    select min_pool_users as k, insight_min_samples as m,
      date_trunc('hour', now() - interval '7 days', 'UTC') as week_hour,
      date_trunc('hour', now() - interval '14 days', 'UTC') as fortnight_hour
    from public.project_settings
  ),
  -- from the raw rows
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
    where p_from_rows and public.is_model_evidence(p.error_class) and (p_task_type is null or p.task_type = p_task_type)
  ),
  -- who may be counted in each group: everyone under the k-user rule, else the user alone
  visible as (
    select a.* from attempts a
    join (
      select task_type, complexity, requirement, model_name, approach, count(distinct user_id) as users
      from attempts group by 1, 2, 3, 4, 5
    ) g using (task_type, complexity, requirement, model_name, approach)
    where p_user_id is null or a.user_id = p_user_id or g.users >= (select k from settings)
  ),
  -- from the rollups
  totals as (
    select r.task_type, r.complexity, r.requirement, r.model_name, r.approach, sum(r.attempts)::bigint as n,
      sum(r.quality_sum) as q_sum, sum(r.quality_square_sum) as q_square_sum, sum(r.cost_usd_sum) as cost_sum,
      sum(r.lifted)::bigint as lifted, sum(r.improvement_sum) as improvement_sum,
      sum(r.improvements) as improvements
    from public.insight_rollup r
    where not p_from_rows and (p_task_type is null or r.task_type = p_task_type)
    group by 1, 2, 3, 4, 5
    having sum(r.attempts) > 0
  ),
  strategies as (
    select x.*, row_number() over (partition by x.task_type, x.complexity, x.requirement order by x.mean desc, x.cost)
      as place
    from (
      select task_type, complexity, requirement, model_name, approach, count(*) as n, avg(q) as mean,
        coalesce(var_samp(q), 0) as variance, avg(cost_usd) as cost
      from visible where approach <> 'refine'
      group by 1, 2, 3, 4, 5
      union all
      select t.task_type, t.complexity, t.requirement, t.model_name, t.approach, t.n, t.q_sum / t.n,
        -- var_samp's own formula for numeric
        case when t.n > 1 and t.n * t.q_square_sum - t.q_sum * t.q_sum > 0
          then (t.n * t.q_square_sum - t.q_sum * t.q_sum) / (t.n * (t.n - 1)) else 0 end,
        t.cost_sum / t.n
      from totals t where t.approach <> 'refine'
    ) as x
    where x.n >= (select m from settings)
  ),
  winners as (
    select w.task_type, w.complexity, w.requirement, w.model_name, w.approach, w.n, w.mean, w.cost,
      r.model_name as alt_model, r.approach as alt_approach, r.n as alt_n, r.mean as alt_mean, r.cost as alt_cost,
      w.mean - r.mean as diff, 1.96 * sqrt(w.variance / w.n + r.variance / r.n) as margin
    from strategies w join strategies r using (task_type, complexity, requirement)
    where w.place = 1 and r.place = 2
  ),
  -- the winners' last 14 days: 'now' the last 7, 'before' the 7 before
  recent as (
    select v.task_type, v.complexity, v.requirement, v.model_name, v.approach,
      case when v.created_at > now() - interval '7 days' then 'now' else 'before' end as side, 1 as attempts,
      v.q as quality_sum
    from visible v
    where v.created_at > now() - interval '14 days'
    union all
    select h.task_type, h.complexity, h.requirement, h.model_name, h.approach,
      case when h.hour > st.week_hour then 'now' else 'before' end, h.attempts, h.quality_sum
    from winners w
    join public.insight_rollup_hourly h using (task_type, complexity, requirement, model_name, approach)
    cross join settings st
    where not p_from_rows and h.hour > st.fortnight_hour and h.hour <> st.week_hour
    union all
    select p.task_type, p.request_complexity, r.requirement, p.model_name, p.approach,
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
    join recent v using (task_type, complexity, requirement, model_name, approach)
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
as $$ select public.insights_over(p_user_id, p_task_type, p_user_id is not null) $$;

revoke all on function public.roll_up_confidence(public.model_selections[], integer),
  public.roll_up_confidence_feedback(public.request_feedback[], public.model_selections[], integer),
  public.roll_up_insights(public.model_performance[], public.model_selections[], integer),
  public.insights_over(uuid, text, boolean)
  from public, anon, authenticated;
grant execute on function public.insights_over(uuid, text, boolean) to service_role;

-- What is already there (the triggers are replaced within this migration's transaction, so nothing is
-- missed or counted twice).
insert into public.confidence_rollup (model_name, task_type, band, requests, confidence_sum, needs_review,
  feedbacks, accepted)
select s.selected_model, s.task_type, floor(s.confidence * 20), count(*), sum(s.confidence),
  count(*) filter (where s.needs_review), count(f.id), count(*) filter (where f.accepted)
from public.model_selections s
left join public.request_feedback f on f.request_id = s.request_id and f.replaced_at is null
where s.selected_model is not null and s.confidence is not null
group by 1, 2, 3;

insert into public.confidence_histogram (model_name, task_type, confidence, requests)
select s.selected_model, s.task_type, s.confidence, count(*)
from public.model_selections s
where s.selected_model is not null and s.confidence is not null
group by 1, 2, 3;

insert into public.insight_rollup (task_type, complexity, requirement, model_name, approach, attempts,
  quality_sum, quality_square_sum, cost_usd_sum, lifted, improvement_sum, improvements)
select p.task_type, p.request_complexity, r.requirement, p.model_name, p.approach, count(*), sum(q.q), sum(q.q * q.q), sum(p.cost_usd),
  count(*) filter (where (p.metadata ->> 'liftedOverThreshold')::boolean),
  coalesce(sum((p.metadata ->> 'improvement')::numeric), 0), count((p.metadata ->> 'improvement')::numeric)
from public.model_performance p
join public.model_selections s on s.request_id = p.request_id
cross join lateral (
  select '*' union all select jsonb_array_elements_text(coalesce(s.task_profile -> 'requirements', '[]'))
) as r (requirement)
cross join lateral (select case when p.success then coalesce(p.quality_score, 0) / 100 else 0 end as q) as q
where public.is_model_evidence(p.error_class)
group by 1, 2, 3, 4, 5;

insert into public.insight_rollup_hourly (task_type, complexity, requirement, model_name, approach, hour,
  attempts, quality_sum)
select p.task_type, p.request_complexity, r.requirement, p.model_name, p.approach,
  date_trunc('hour', p.created_at, 'UTC'), count(*),
  sum(case when p.success then coalesce(p.quality_score, 0) / 100 else 0 end)
from public.model_performance p
join public.model_selections s on s.request_id = p.request_id
cross join lateral (
  select '*' union all select jsonb_array_elements_text(coalesce(s.task_profile -> 'requirements', '[]'))
) as r (requirement)
where public.is_model_evidence(p.error_class) and p.approach <> 'refine'
group by 1, 2, 3, 4, 5, 6;
