-- The rollup-backed monitoring views (20261201140000_monitoring_rollups) answer exactly what their raw-row
-- definitions answer: after inserts through record_orchestration and record_feedback, after updates (rows
-- moved in time, a winner and its score changed, a first choice failing, feedback replaced) and after
-- deletes (retention's purge_old_rows, rows deleted by hand) — as the service role, and as each of two
-- users, who see only their own rows. The raw-row definitions are the views as they were before the rollups.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(55);

-- The raw-row definitions (security_invoker like the views, so a user's RLS applies to them too).
create view pg_temp.naive_model_quality with (security_invoker = true) as
select p.model_name, p.provider, round(avg(p.quality_score), 2) as avg_quality,
  round(avg(p.duration_ms)) as avg_duration_ms, count(*) as total_uses,
  round(100.0 * count(*) filter (where p.success) / count(*), 2) as success_rate
from public.model_performance p
where p.created_at > now() - interval '7 days' and public.is_model_evidence(p.error_class)
group by p.model_name, p.provider;

create view pg_temp.naive_model_selections with (security_invoker = true) as
select s.selected_model, round(avg(s.quality_score), 2) as avg_quality, count(*) as selection_count
from public.model_selections s
where s.created_at > now() - interval '7 days' and s.selected_model is not null
group by s.selected_model;

create view pg_temp.naive_approaches with (security_invoker = true) as
select p.approach, count(*) as attempts,
  round(100.0 * count(*) filter (where p.success) / count(*), 2) as success_rate,
  round(avg(p.quality_score) filter (where p.success), 2) as avg_quality
from public.model_performance p
where public.is_model_evidence(p.error_class)
group by p.approach;

create view pg_temp.naive_feedback with (security_invoker = true) as
select s.selected_model as model_name,
  case when s.quality_score < 50 then 'under 50' when s.quality_score < 70 then '50-69'
    when s.quality_score < 85 then '70-84' else '85-100' end as score_band,
  count(*) as feedbacks, round(100.0 * count(*) filter (where f.accepted) / count(*), 1) as accepted_pct,
  round(avg(f.rating), 2) as avg_rating
from public.request_feedback f
join public.model_selections s on s.request_id = f.request_id
where f.replaced_at is null and s.selected_model is not null
group by 1, 2;

create view pg_temp.naive_orchestration_stats with (security_invoker = true) as
select s.user_id, count(*) as requests,
  round(100.0 * count(*) filter (where s.selected_model is not null) / count(*), 2) as success_rate,
  round(avg(s.confidence), 3) as avg_confidence,
  coalesce(sum(jsonb_array_length(s.conflicts)), 0) as conflicts_detected,
  count(*) filter (where public.used_fallback(s.request_id, s.selected_model)) as fallbacks_used,
  coalesce(sum(s.refine_rounds), 0) as refinements,
  count(*) filter (where s.needs_review) as needs_review
from public.model_selections s
group by s.user_id;

grant select on pg_temp.naive_model_quality, pg_temp.naive_model_selections, pg_temp.naive_approaches,
  pg_temp.naive_feedback, pg_temp.naive_orchestration_stats to authenticated, service_role;

-- The five views beside their definitions, as whoever is calling.
create function pg_temp.views_match(p_when text) returns setof text language plpgsql as $$
begin
  return next bag_eq('select * from public.model_quality_last_7_days', 'select * from pg_temp.naive_model_quality',
    'model_quality_last_7_days ' || p_when);
  return next bag_eq('select * from public.model_selections_last_7_days',
    'select * from pg_temp.naive_model_selections', 'model_selections_last_7_days ' || p_when);
  return next bag_eq('select * from public.approach_success_rates', 'select * from pg_temp.naive_approaches',
    'approach_success_rates ' || p_when);
  return next bag_eq('select * from public.feedback_acceptance', 'select * from pg_temp.naive_feedback',
    'feedback_acceptance ' || p_when);
  return next bag_eq('select * from public.orchestration_stats', 'select * from pg_temp.naive_orchestration_stats',
    'orchestration_stats ' || p_when);
end;
$$;
grant execute on function pg_temp.views_match(text) to authenticated, service_role;

-- A request of user a… or b…: its attempts in plan order (model, approach, score or null for a failure,
-- error class), the winner the best scored, created p_age ago; confidence, conflicts, refinement rounds
-- and review grow with the number of attempts.
create function pg_temp.request(p_user text, p_request text, p_age interval, p_attempts jsonb)
returns void language plpgsql as $$
declare
  winner jsonb := (select a from jsonb_array_elements(p_attempts) a where a ->> 2 is not null
    order by (a ->> 2)::numeric desc limit 1);
begin
  perform public.record_orchestration(
    jsonb_build_object('user_id', p_user, 'request_id', p_request, 'task_type', 'edit', 'task_profile', '{}'::jsonb,
      'selected_model', winner ->> 0, 'selected_provider', 'openai', 'selected_approach', winner ->> 1,
      'quality_score', (winner ->> 2)::numeric, 'mode', 'sequential', 'tier', 'balanced',
      'confidence', 0.9 - 0.15 * jsonb_array_length(p_attempts), 'needs_review', jsonb_array_length(p_attempts) > 1,
      'refine_rounds', jsonb_array_length(p_attempts) - 1, 'conflicts', case when jsonb_array_length(p_attempts) > 1
        then '[{"aspect": "files", "message": "the outputs differ"}]'::jsonb else '[]'::jsonb end),
    (select jsonb_agg(jsonb_build_object('user_id', p_user, 'request_id', p_request, 'task_type', 'edit',
      'request_complexity', 'low', 'model_name', a ->> 0, 'provider', 'openai', 'approach', a ->> 1,
      'quality_score', (a ->> 2)::numeric, 'success', a ->> 2 is not null, 'error_class', a ->> 3,
      'duration_ms', 1000 + 100 * n, 'cost_usd', 0.001, 'metadata', jsonb_build_object('planRank', n - 1)))
      from jsonb_array_elements(p_attempts) with ordinality as t (a, n)));
  update public.model_selections set created_at = now() - p_age where request_id = p_request::uuid;
  update public.model_performance set created_at = now() - p_age where request_id = p_request::uuid;
end;
$$;

-- User a: recent requests, one in the window's first part-hour, one just outside it, one long ago.
select pg_temp.request('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000001', '1 hour',
  '[["m-a", "simple", 82], ["m-b", "simple", 64]]');
select pg_temp.request('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000002', '3 days',
  '[["m-a", "progressive", null, "timeout"], ["m-b", "simple", 91]]');
select pg_temp.request('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000003',
  '7 days' - interval '10 minutes', '[["m-a", "simple", 45], ["m-c", "simple", null, "cancelled"]]');
select pg_temp.request('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000004', '8 days',
  '[["m-a", "simple", 77]]');
select pg_temp.request('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000005', '200 days',
  '[["m-b", "progressive", 58]]');
-- User b: their own models and a failure only they had.
select pg_temp.request('b0000000-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000001', '2 hours',
  '[["m-b", "simple", 70], ["m-only-b", "progressive", 88]]');
select pg_temp.request('b0000000-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000002', '2 days',
  '[["m-only-b", "simple", null, "server"], ["m-a", "simple", 66]]');

-- Feedback, one of it replaced by a second verdict.
select public.record_feedback('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000001',
  true, 5::smallint, null);
select public.record_feedback('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000002',
  true, null, null);
select public.record_feedback('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000002',
  false, 2::smallint, 'on second thought');
select public.record_feedback('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000005',
  true, 3::smallint, null);
select public.record_feedback('b0000000-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000001',
  true, 4::smallint, null);

-- Not vacuous: the views hold what the rows say.
select results_eq($$select total_uses from public.model_quality_last_7_days where model_name = 'm-a'$$,
  $$values (4::bigint)$$, 'm-a: four uses in the window (the part-hour one in, the cancelled one and older out)');
select results_eq($$select feedbacks, accepted_pct from public.feedback_acceptance where model_name = 'm-b'
  and score_band = '85-100'$$, $$values (1::bigint, 0.0)$$, 'the replaced verdict counts no more');

-- (the database may hold other tests' rows: the figures of these two users)
select results_eq($$select user_id::text, requests, fallbacks_used from public.orchestration_stats
    where user_id in ('a0000000-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000000') order by 1$$,
  $$values ('a0000000-0000-4000-8000-000000000000', 5::bigint, 1::bigint),
    ('b0000000-0000-4000-8000-000000000000', 2::bigint, 1::bigint)$$,
  'orchestration_stats: each user''s requests, and the one of each whose first choice failed');

select * from pg_temp.views_match('as the service role, after inserts and updates');
set local request.jwt.claims = '{"sub":"a0000000-0000-4000-8000-000000000000","role":"authenticated"}';
set local role authenticated;
select * from pg_temp.views_match('as user a, after inserts and updates');
reset role;
set local request.jwt.claims = '{"sub":"b0000000-0000-4000-8000-000000000000","role":"authenticated"}';
set local role authenticated;
select * from pg_temp.views_match('as user b, after inserts and updates');
select is((select count(*) from public.model_quality_last_7_days where model_name = 'm-c'), 0::bigint,
  'user b never sees a model only user a used');
select is((select sum(attempts) from public.approach_success_rates), 4::numeric,
  'user b counts only their own attempts');
reset role;
set local request.jwt.claims = '{"role":"service_role"}';

-- A winner and its score changed (its feedback moves band), a request moved out of the window.
update public.model_selections set selected_model = 'm-c', quality_score = 48
  where request_id = 'a0000000-0000-4000-8000-000000000001';
update public.model_performance set quality_score = 48, model_name = 'm-c'
  where request_id = 'a0000000-0000-4000-8000-000000000001' and model_name = 'm-a';
-- (and the new first choice of that request fails: it becomes a fallback)
update public.model_performance set success = false, error_class = 'server', quality_score = null
  where request_id = 'a0000000-0000-4000-8000-000000000001' and model_name = 'm-c';
update public.model_selections set created_at = now() - interval '9 days'
  where request_id = 'b0000000-0000-4000-8000-000000000002';
update public.model_performance set created_at = now() - interval '9 days'
  where request_id = 'b0000000-0000-4000-8000-000000000002';

select * from pg_temp.views_match('as the service role, after winners changed');
set local request.jwt.claims = '{"sub":"a0000000-0000-4000-8000-000000000000","role":"authenticated"}';
set local role authenticated;
select * from pg_temp.views_match('as user a, after winners changed');
reset role;
set local request.jwt.claims = '{"sub":"b0000000-0000-4000-8000-000000000000","role":"authenticated"}';
set local role authenticated;
select * from pg_temp.views_match('as user b, after winners changed');
reset role;
set local request.jwt.claims = '{"role":"service_role"}';

-- Retention of one day: everything older goes (with its attempts and feedback); then rows by hand (the
-- failed first choice among them: its request is no fallback any more).
update public.project_settings set retention_days = 1;
select public.purge_old_rows();
select results_eq($$select request_id::text from public.model_selections
    where user_id in ('a0000000-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000000') order by 1$$,
  $$values ('a0000000-0000-4000-8000-000000000001'), ('b0000000-0000-4000-8000-000000000001')$$,
  'retention deletes the five requests older than a day');
delete from public.request_feedback where request_id = 'b0000000-0000-4000-8000-000000000001';
delete from public.model_performance where request_id = 'a0000000-0000-4000-8000-000000000001';

select * from pg_temp.views_match('as the service role, after retention and deletes');
set local request.jwt.claims = '{"sub":"a0000000-0000-4000-8000-000000000000","role":"authenticated"}';
set local role authenticated;
select * from pg_temp.views_match('as user a, after retention and deletes');
reset role;
set local request.jwt.claims = '{"sub":"b0000000-0000-4000-8000-000000000000","role":"authenticated"}';
set local role authenticated;
select * from pg_temp.views_match('as user b, after retention and deletes');
select results_eq($$select approach, attempts from public.approach_success_rates order by 1$$,
  $$values ('progressive', 1::bigint), ('simple', 1::bigint)$$, 'all-time counts follow the deletes');
reset role;

-- No rollup row is readable by a user, and none went negative.
set local request.jwt.claims = '{"sub":"a0000000-0000-4000-8000-000000000000","role":"authenticated"}';
set local role authenticated;
select is((select count(*) from public.attempt_rollup_hourly) + (select count(*) from public.feedback_rollup),
  0::bigint, 'a user reads no rollup row (they are everyone''s)');
select results_eq('select user_id::text from public.selection_rollup_by_user',
  $$values ('a0000000-0000-4000-8000-000000000000')$$, 'of the per-user rollup, a user reads only their own row');
reset role;
select is((select count(*) from public.attempt_rollup_hourly where uses < 0 or successes < 0)
  + (select count(*) from public.feedback_rollup where feedbacks < 0)
  + (select count(*) from public.selection_rollup_by_user where requests < 0 or fallbacks < 0), 0::bigint,
  'no rollup count is negative');

select * from finish();
rollback;
