-- Row level security and grants: a user reads only their own rows, anon reads nothing, only the service
-- side writes. Roles are switched the way PostgREST does it: SET ROLE plus request.jwt.claims.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
-- Start from empty tables whatever ran before; the rollback at the end restores them.
delete from public.model_selections;

select plan(24);

-- user A has two attempts on one request, user B one attempt
insert into public.model_selections
  (user_id, request_id, task_type, task_profile, selected_model, selected_provider, selected_approach, mode, quality_score)
values
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000001', 'generation', '{}',
   'gemini-2.5-pro', 'gemini', 'progressive', 'sequential', 91),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000001', 'fix', '{}',
   'gemini-2.5-flash', 'gemini', 'simple', 'parallel', 75);
insert into public.model_performance
  (user_id, request_id, task_type, request_complexity, model_name, provider, approach, quality_score, success,
   error_class, duration_ms)
values
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000001', 'generation', 'high',
   'gemini-2.5-flash', 'gemini', 'progressive', null, false, 'timeout', 30000),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000001', 'generation', 'high',
   'gemini-2.5-pro', 'gemini', 'progressive', 91, true, null, 9000),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000001', 'fix', 'low',
   'gemini-2.5-flash', 'gemini', 'simple', 75, true, null, 1200);

-- as user A
set local request.jwt.claims = '{"sub":"aaaaaaaa-0000-4000-8000-000000000000","role":"authenticated"}';
set local role authenticated;

select results_eq('select distinct user_id from public.model_performance',
  $$values ('aaaaaaaa-0000-4000-8000-000000000000'::uuid)$$, 'user A sees only their own attempts');
select is((select count(*) from public.model_performance), 2::bigint, 'user A sees both of their attempts');
select results_eq('select request_id from public.model_selections',
  $$values ('a0000000-0000-4000-8000-000000000001'::uuid)$$, 'user A sees only their own selection');
select is((select sum(total_uses) from public.model_quality_last_7_days), 2::numeric,
  'the quality view aggregates only user A''s attempts');
select is((select sum(selection_count) from public.model_selections_last_7_days), 1::numeric,
  'the selections view counts only user A''s requests');
select results_eq('select approach, attempts, success_rate from public.approach_success_rates',
  $$values ('progressive'::text, 2::bigint, 50.00::numeric)$$, 'the approach view covers only user A''s attempts');

select throws_ok($$insert into public.model_performance (user_id, request_id, task_type, request_complexity,
    model_name, provider, approach, quality_score, success, duration_ms)
  values ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000001', 'generation', 'low',
    'x', 'y', 'simple', 100, true, 1)$$, '42501', null, 'a user cannot insert attempts');
select throws_ok($$insert into public.model_selections (user_id, request_id, task_type, task_profile, mode)
  values ('aaaaaaaa-0000-4000-8000-000000000000', gen_random_uuid(), 'generation', '{}', 'sequential')$$,
  '42501', null, 'a user cannot insert selections');
select throws_ok('update public.model_performance set quality_score = 100', '42501', null,
  'a user cannot update attempts');
select throws_ok('update public.model_selections set was_optimal = true', '42501', null,
  'a user cannot update selections');
select throws_ok('delete from public.model_performance', '42501', null, 'a user cannot delete attempts');
select throws_ok('delete from public.model_selections', '42501', null, 'a user cannot delete selections');

-- as user B
reset role;
set local request.jwt.claims = '{"sub":"bbbbbbbb-0000-4000-8000-000000000000","role":"authenticated"}';
set local role authenticated;

select results_eq('select model_name from public.model_performance', $$values ('gemini-2.5-flash'::text)$$,
  'user B sees only their own attempt');
select is((select count(*) from public.model_selections where user_id = 'aaaaaaaa-0000-4000-8000-000000000000'),
  0::bigint, 'user B cannot read user A''s selections even when asking for them');

-- as anon (publishable key, no session)
reset role;
set local request.jwt.claims = '{"role":"anon"}';
set local role anon;

select throws_ok('select * from public.model_performance', '42501', null, 'anon cannot read attempts');
select throws_ok('select * from public.model_selections', '42501', null, 'anon cannot read selections');
select throws_ok('select * from public.model_quality_last_7_days', '42501', null, 'anon cannot read the quality view');
select throws_ok('select * from public.model_selections_last_7_days', '42501', null,
  'anon cannot read the selections view');
select throws_ok('select * from public.approach_success_rates', '42501', null, 'anon cannot read the approach view');
select throws_ok($$select * from public.get_best_model_for_task('aaaaaaaa-0000-4000-8000-000000000000', 'generation')$$,
  '42501', null, 'anon cannot rank models');

-- as the service role (secret key)
reset role;
set local request.jwt.claims = '{"role":"service_role"}';
set local role service_role;

select is((select count(*) from public.model_performance), 3::bigint, 'the service role reads every attempt');
select lives_ok($$insert into public.model_selections (user_id, request_id, task_type, task_profile, mode)
  values ('cccccccc-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-000000000001', 'edit', '{}', 'sequential')$$,
  'the service role writes selections');
select lives_ok($$insert into public.model_performance (user_id, request_id, task_type, request_complexity,
    model_name, provider, approach, quality_score, success, duration_ms)
  values ('cccccccc-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-000000000001', 'edit', 'low',
    'gemini-2.5-flash-lite', 'gemini', 'simple', 88, true, 300)$$, 'the service role writes attempts');
select lives_ok($$delete from public.model_selections where user_id = 'cccccccc-0000-4000-8000-000000000000'$$,
  'the service role deletes a request with its attempts');

select * from finish();
rollback;
