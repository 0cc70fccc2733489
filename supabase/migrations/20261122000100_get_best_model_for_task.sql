-- Ranks (model, approach) strategies for one user and task type.
--
-- Each attempt counts as a "delivered quality" in [0, 1]: quality_score / 100 when it succeeded, 0
-- when it failed; attempts cancelled because another strategy won (hedged mode) do not count. The user's own attempts are the data; everyone else's attempts for the task type are
-- the prior, so a user without history gets the global statistics and a user with history moves away
-- from them as their own evidence grows. The prior counts as at most 20 attempts: users differ, so no
-- amount of other people's evidence makes us more certain about this user than that. Strategies are
-- ranked by the one-sided 95% Wilson lower bound on delivered quality, so two lucky attempts never
-- outrank two hundred good ones.
--
-- Security definer because the prior reads other users' rows; it returns only aggregates, and a caller
-- acting as a user (a user JWT, or the anon/authenticated role) may only ask about themselves.
create function public.get_best_model_for_task(p_user_id uuid, p_task_type text)
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
  with per_source as (
    select
      p.model_name,
      max(p.provider) as provider,
      p.approach,
      (p.user_id = p_user_id) as own,
      count(*)::numeric as attempts,
      count(*) filter (where p.success)::numeric as successes,
      coalesce(sum(p.quality_score) filter (where p.success), 0) / 100 as delivered,
      sum(p.duration_ms)::numeric as duration,
      sum(p.cost_usd) as cost
    from public.model_performance p
    -- an attempt cancelled because another strategy won says nothing about its model
    where p.task_type = p_task_type and p.error_class is distinct from 'cancelled'
    group by p.model_name, p.approach, (p.user_id = p_user_id)
  ),
  combined as (
    select
      s.model_name,
      max(s.provider) as provider,
      s.approach,
      coalesce(sum(s.attempts) filter (where s.own), 0) as own_n,
      coalesce(sum(s.attempts) filter (where not s.own), 0) as other_n,
      coalesce(sum(s.successes) filter (where s.own), 0) as own_successes,
      coalesce(sum(s.successes) filter (where not s.own), 0) as other_successes,
      coalesce(sum(s.delivered) filter (where s.own), 0) as own_delivered,
      coalesce(sum(s.delivered) filter (where not s.own), 0) as other_delivered,
      coalesce(sum(s.duration) filter (where s.own), 0) as own_duration,
      coalesce(sum(s.duration) filter (where not s.own), 0) as other_duration,
      coalesce(sum(s.cost) filter (where s.own), 0) as own_cost,
      coalesce(sum(s.cost) filter (where not s.own), 0) as other_cost
    from per_source s
    group by s.model_name, s.approach
  ),
  weighted as (
    -- w scales the others' sums down to at most prior_weight attempts
    select
      c.*,
      case when c.other_n = 0 then 0 else least(c.other_n, prior_weight) / c.other_n end as w
    from combined c
  ),
  posterior as (
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

comment on function public.get_best_model_for_task(uuid, text) is
  'Ranked strategies (model, approach) for a user and task type: samples (the user''s own), prior_samples '
  '(other users'', weighted as at most 20), success rate, mean quality of successful attempts, a one-sided '
  '95% lower bound on delivered quality (failed attempts count 0), mean duration and cost; ranked by the bound.';

revoke all on function public.get_best_model_for_task(uuid, text) from public, anon;
grant execute on function public.get_best_model_for_task(uuid, text) to authenticated, service_role;
