-- The rollups of 20261201170000_insight_rollups answer exactly what the raw rows answer: everyone's
-- insights (public.insights(null, …), read from insight_rollup and insight_rollup_hourly) equal
-- public.insights_over(null, …, true) (the raw rows), and confidence_by_model (a histogram per model and task type) equals
-- its raw-row definition, as the service role and as a user — after inserts (requests spread over 20 days,
-- around both trend windows' edges, with requirements and refinement rounds), after updates (requirements,
-- outcomes, times, confidence and feedback changed) and after deletes (a selection with its attempts,
-- attempts alone, feedback, retention). So do one user's insights (20261201210000: the groups k users
-- stand behind from the rollups, the others from the user's own rows) for each of the 8 users and one
-- without rows, in groups below and above k (and at other k), and the users kept behind each group
-- (insight_rollup.users, insight_rollup_by_user) equal their count in the raw rows, and each user's sums
-- per group (20261202010000) their sums there.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(105);

-- few samples make a line here
update public.project_settings set insight_min_samples = 3;

create view pg_temp.naive_confidence with (security_invoker = true) as
select s.selected_model as model_name, s.task_type, count(*) as requests,
  round(avg(s.confidence), 3) as avg_confidence,
  round(percentile_cont(0.5) within group (order by s.confidence)::numeric, 3) as median_confidence,
  count(*) filter (where s.needs_review) as needs_review,
  round(100.0 * count(*) filter (where f.accepted and s.confidence >= 0.5)
    / nullif(count(f.id) filter (where s.confidence >= 0.5), 0), 1) as confident_accepted_pct,
  round(100.0 * count(*) filter (where f.accepted and s.confidence < 0.5)
    / nullif(count(f.id) filter (where s.confidence < 0.5), 0), 1) as unconfident_accepted_pct
from public.model_selections s
left join public.request_feedback f on f.request_id = s.request_id and f.replaced_at is null
where s.selected_model is not null and s.confidence is not null
group by s.selected_model, s.task_type;
grant select on pg_temp.naive_confidence to authenticated, service_role;

-- The attempts of each insight group, as insights_over reads them from the raw rows.
create view pg_temp.group_attempts as
select p.user_id, p.task_type, p.request_complexity as complexity, r.requirement, p.model_name, p.approach,
  case when p.success then coalesce(p.quality_score, 0) / 100 else 0 end as q, p.cost_usd,
  (p.metadata ->> 'liftedOverThreshold')::boolean as lifted, (p.metadata ->> 'improvement')::numeric as improvement
from public.model_performance p
join public.model_selections s on s.request_id = p.request_id
cross join lateral (
  select '*' union all select jsonb_array_elements_text(coalesce(s.task_profile -> 'requirements', '[]'))
) as r (requirement)
where public.is_model_evidence(p.error_class);

-- One user's insights against the raw rows: each of the 8 users and one without rows.
create function pg_temp.match_users(p_when text) returns setof text language plpgsql as $$
declare
  u uuid;
begin
  for u in select ('c0000000-0000-4000-8000-00000000000' || i)::uuid from generate_series(0, 8) i loop
    return next is(public.insights(u, null), public.insights_over(u, null, true),
      'one user''s insights ' || p_when || ' (' || right(u::text, 1) || ')');
  end loop;
  return next is((select array_agg(i order by i) from generate_series(0, 8) i
    where public.insights(('c0000000-0000-4000-8000-00000000000' || i)::uuid, 'edit')
      is distinct from public.insights_over(('c0000000-0000-4000-8000-00000000000' || i)::uuid, 'edit', true)),
    null, 'one user''s insights of one task type ' || p_when);
end;
$$;

create function pg_temp.match(p_when text) returns setof text language plpgsql as $$
begin
  return next is(public.insights(null, null), public.insights_over(null, null, true), 'insights ' || p_when);
  return next is(public.insights(null, 'edit'), public.insights_over(null, 'edit', true),
    'insights of one task type ' || p_when);
  return next is((
    select count(*) from public.insight_rollup r
    full join (select task_type, complexity, requirement, model_name, approach, count(distinct user_id) as users
      from pg_temp.group_attempts group by 1, 2, 3, 4, 5) g
      using (task_type, complexity, requirement, model_name, approach)
    where coalesce(r.users, 0) <> coalesce(g.users, 0)), 0::bigint, 'the users behind each group ' || p_when);
  return next is((
    select count(*) from (select * from public.insight_rollup_by_user where attempts <> 0) r
    full join (select user_id, task_type, complexity, requirement, model_name, approach, count(*) as attempts,
        sum(q) as quality_sum, sum(q * q) as quality_square_sum, sum(cost_usd) as cost_usd_sum,
        count(*) filter (where lifted) as lifted, coalesce(sum(improvement), 0) as improvement_sum,
        count(improvement) as improvements
      from pg_temp.group_attempts group by 1, 2, 3, 4, 5, 6) g
      using (user_id, task_type, complexity, requirement, model_name, approach)
    where (r.attempts, r.quality_sum, r.quality_square_sum, r.cost_usd_sum, r.lifted, r.improvement_sum,
      r.improvements) is distinct from (g.attempts, g.quality_sum, g.quality_square_sum, g.cost_usd_sum,
      g.lifted, g.improvement_sum, g.improvements)), 0::bigint, 'each user''s attempts and sums per group ' || p_when);
  return query select * from pg_temp.match_users(p_when);
  return next bag_eq('select * from public.confidence_by_model', 'select * from pg_temp.naive_confidence',
    'confidence_by_model as the service role ' || p_when);
  set local request.jwt.claims = '{"sub":"c0000000-0000-4000-8000-000000000003","role":"authenticated"}';
  set local role authenticated;
  return next bag_eq('select * from public.confidence_by_model', 'select * from pg_temp.naive_confidence',
    'confidence_by_model as a user ' || p_when);
  reset role;
  set local request.jwt.claims = '{"role":"service_role"}';
end;
$$;

-- 600 requests of 8 users over 20 days (a few every hour around 7 and 14 days ago), 1-3 attempts each.
insert into public.model_selections (user_id, request_id, task_type, task_profile, selected_model,
  selected_provider, selected_approach, quality_score, mode, tier, confidence, needs_review, created_at)
select ('c0000000-0000-4000-8000-00000000000' || (i % 8))::uuid,
  ('d0000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid,
  (array['edit', 'fix', 'generation'])[1 + i % 3],
  jsonb_build_object('requirements', (array['[]', '["auth"]', '["auth", "routing"]', '["charts"]'])[1 + i % 4]::jsonb),
  case when i % 11 <> 0 then (array['m-x', 'm-y', 'm-z'])[1 + (i / 3) % 3] end,
  case when i % 11 <> 0 then 'openai' end, case when i % 11 <> 0 then 'simple' end,
  case when i % 11 <> 0 then 40 + (i * 37) % 60 end, 'sequential', 'balanced',
  case when i % 13 <> 0 then ((i * 7919) % 1000) / 1000.0 end, i % 5 = 0,
  case when i < 200 then now() - interval '7 days' + (i - 100) * interval '2 minutes'
    when i < 300 then now() - interval '14 days' + (i - 250) * interval '2 minutes'
    else now() - (i % 20) * interval '1 day' - (i % 24) * interval '1 hour' end
from generate_series(0, 599) i;

select setseed(0.42);
insert into public.model_performance (user_id, request_id, task_type, request_complexity, model_name, provider,
  approach, quality_score, success, error_class, duration_ms, cost_usd, metadata, created_at)
select a.user_id, a.request_id, a.task_type, (array['low', 'medium', 'high'])[1 + floor(a.u1 * 3)::int],
  (array['m-x', 'm-y', 'm-z'])[1 + floor(a.u2 * 3)::int], 'openai',
  (array['simple', 'progressive', 'refine'])[1 + floor(a.u3 * 3)::int],
  case when a.u4 >= 0.15 then 40 + floor(a.u2 * 30 + a.u5 * 30) end, a.u4 >= 0.15,
  case when a.u4 < 0.15 then (array['timeout', 'cancelled', 'server'])[1 + floor(a.u4 * 20)::int] end,
  1000 + a.k, 0.001 * (1 + floor(a.u5 * 5)),
  jsonb_build_object('planRank', a.k - 1, 'liftedOverThreshold', a.u5 > 0.4)
    || case when a.u1 < 0.5 then jsonb_build_object('improvement', floor(a.u5 * 9) - 2) else '{}' end,
  a.created_at
from (
  select s.*, k, random() as u1, random() as u2, random() as u3, random() as u4, random() as u5
  from public.model_selections s
  cross join lateral generate_series(1, 1 + s.id::int % 3) k
  where s.request_id::text like 'd0000000%'
) a;

-- Feedback on every fourth request, some of it replaced.
select count(public.record_feedback(s.user_id, s.request_id, s.id % 3 <> 0, null, null))
from public.model_selections s where s.request_id::text like 'd0000000%' and s.id % 4 = 0;
select count(public.record_feedback(s.user_id, s.request_id, s.id % 2 = 0, 4::smallint, null))
from public.model_selections s where s.request_id::text like 'd0000000%' and s.id % 12 = 0;

-- Not vacuous: every kind of line the rollups make is there.
select ok((select count(*) from jsonb_array_elements(public.insights(null, null)) l where l ->> 'kind' = 'winner') > 10,
  'winners');
select ok((select count(*) from jsonb_array_elements(public.insights(null, null)) l where l ->> 'kind' = 'trend') > 0,
  'trends');
select ok((select count(*) from jsonb_array_elements(public.insights(null, null)) l
  where l ->> 'kind' = 'refinement' and l ? 'meanGain') > 0, 'refinements');
select ok((select count(*) from public.confidence_by_model where confident_accepted_pct is not null) > 0,
  'confidence_by_model has feedback');

-- One user's insights in both kinds of group: 'auth' has 4 users (1, 2, 5, 6) behind it, '*' all 8.
select ok((select count(*) from public.insight_rollup where users < 5 and attempts > 0) > 0
  and (select count(*) from public.insight_rollup where users >= 5 and attempts > 0) > 0, 'groups below and above k');
select ok(exists (select 1 from jsonb_array_elements(public.insights('c0000000-0000-4000-8000-000000000001', null)) l
  where l ->> 'kind' = 'winner' and l ->> 'requirement' = 'auth'), 'a user''s winners where fewer than k users are');
select ok(exists (select 1 from jsonb_array_elements(public.insights('c0000000-0000-4000-8000-000000000001', null)) l
  where l ->> 'kind' = 'winner' and l ->> 'requirement' = '*'), 'a user''s winners where k users are');

select * from pg_temp.match('after inserts');

-- Requirements, outcomes, times, confidence and winners changed; feedback replaced.
update public.model_selections set task_profile = '{"requirements": ["routing"]}'
  where request_id::text like 'd0000000%' and id % 5 = 1;
update public.model_selections set confidence = 0.5, selected_model = 'm-z'
  where request_id::text like 'd0000000%' and id % 7 = 2 and selected_model is not null;
update public.model_performance set success = false, error_class = 'server', quality_score = null
  where request_id::text like 'd0000000%' and id % 6 = 1;
update public.model_performance set created_at = created_at - interval '7 days'
  where request_id::text like 'd0000000%' and id % 9 = 4;
-- attempts moved to another user: user 3 joins groups (the 'auth' ones pass k), others leave some
update public.model_performance set user_id = 'c0000000-0000-4000-8000-000000000003'
  where request_id::text like 'd0000000%' and id % 4 = 1;
select count(public.record_feedback(s.user_id, s.request_id, s.id % 5 = 0, null, 'again'))
from public.model_selections s where s.request_id::text like 'd0000000%' and s.id % 8 = 0;

select * from pg_temp.match('after updates');

-- Selections deleted with their attempts, attempts and feedback deleted alone, then retention of 10 days.
delete from public.model_selections where request_id::text like 'd0000000%' and id % 10 = 3;
delete from public.model_performance where request_id::text like 'd0000000%' and id % 10 = 6;
delete from public.request_feedback where request_id::text like 'd0000000%' and id % 3 = 0;

select * from pg_temp.match('after deletes');

update public.project_settings set retention_days = 10;
select public.purge_old_rows();

select * from pg_temp.match('after retention');

-- Other thresholds: more groups pooled, and fewer.
update public.project_settings set min_pool_users = 2;
select * from pg_temp.match_users('with k = 2');
update public.project_settings set min_pool_users = 4;
select * from pg_temp.match_users('with k = 4');
update public.project_settings set min_pool_users = 8;
select * from pg_temp.match_users('with k = 8');

select is((select count(*) from public.insight_rollup where attempts < 0 or users < 0)
  + (select count(*) from public.insight_rollup_by_user where attempts < 0)
  + (select count(*) from public.insight_rollup_hourly where attempts < 0)
  + (select count(*) from public.confidence_rollup where requests < 0 or feedbacks < 0)
  + (select count(*) from public.confidence_histogram where requests < 0), 0::bigint,
  'no rollup count is negative');
set local request.jwt.claims = '{"sub":"c0000000-0000-4000-8000-000000000003","role":"authenticated"}';
set local role authenticated;
select is((select count(*) from public.confidence_rollup) + (select count(*) from public.confidence_histogram), 0::bigint,
  'a user reads no confidence rollup row');
select throws_ok('select count(*) from public.insight_rollup', '42501', null,
  'users may not read the insight rollups');
select throws_ok('select count(*) from public.insight_rollup_by_user', '42501', null,
  'users may not read who is behind the insight groups');
reset role;

select * from finish();
rollback;
