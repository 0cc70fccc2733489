-- Retention, the result cache and stored outputs in SQL: old raw rows deleted in batches after their daily
-- aggregates are kept (the evidence rollups untouched), a user's own output retention, the cache's TTL and
-- eviction, and who may read or delete what.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(18);

select is((select array_agg(relrowsecurity order by relname) from pg_class where oid in
  ('public.request_outputs'::regclass, 'public.result_cache'::regclass, 'public.attempts_daily'::regclass)),
  array[true, true, true], 'RLS is on for outputs, the cache and the daily aggregates');

-- Three old requests (200 days) and one recent, each with an attempt and a stored output.
create function pg_temp.request(p_request text, p_days integer, p_user text default 'a0000000-0000-4000-8000-000000000000')
returns void language sql as $$
  select public.record_orchestration(
    jsonb_build_object('user_id', p_user, 'request_id', p_request, 'task_type', 'fix', 'task_profile', '{}'::jsonb,
      'selected_model', 'model-a', 'selected_provider', 'openai', 'selected_approach', 'simple',
      'quality_score', 80, 'mode', 'sequential', 'tier', 'balanced'),
    jsonb_build_array(jsonb_build_object('user_id', p_user, 'request_id', p_request, 'task_type', 'fix',
      'request_complexity', 'low', 'model_name', 'model-a', 'provider', 'openai', 'approach', 'simple',
      'quality_score', 80, 'success', true, 'duration_ms', 1000, 'cost_usd', 0.01)),
    null,
    jsonb_build_object('request_text', 'Fix it', 'files', '[{"path": "a.ts", "content": "x"}]'::jsonb),
    jsonb_build_object('cache_key', repeat('a', 63) || right(p_request, 1), 'response', '{"requestId": "x"}'::jsonb));
  update public.model_selections set created_at = now() - make_interval(days => p_days) where request_id = p_request::uuid;
  update public.model_performance set created_at = now() - make_interval(days => p_days) where request_id = p_request::uuid;
  update public.request_outputs set created_at = now() - make_interval(days => p_days) where request_id = p_request::uuid;
$$;
select pg_temp.request('a0000000-0000-4000-8000-000000000001', 200);
select pg_temp.request('a0000000-0000-4000-8000-000000000002', 200);
select pg_temp.request('a0000000-0000-4000-8000-000000000003', 201);
select pg_temp.request('a0000000-0000-4000-8000-000000000004', 10);

select is((select count(*) from public.request_outputs where user_id = 'a0000000-0000-4000-8000-000000000000'),
  4::bigint, 'record_orchestration keeps the outputs it is given');
select is((select count(*) from public.result_cache where user_id = 'a0000000-0000-4000-8000-000000000000'),
  4::bigint, 'and the cache entries');

create temporary table evidence_before as
  select attempts, evidence from public.strategy_stats_by_user
  where user_id = 'a0000000-0000-4000-8000-000000000000' and model_name = 'model-a';

select is(public.purge_old_rows(2), 2, 'a batch deletes at most its size, the oldest first');
select is((select count(*) from public.model_selections where request_id = 'a0000000-0000-4000-8000-000000000003'),
  0::bigint, 'the oldest went first');
select is(public.purge_old_rows(), 1, 'the next batch takes the rest');
select is(public.purge_old_rows(), 0, 'and then there is nothing left to purge');
select is((select count(*) from public.model_performance where user_id = 'a0000000-0000-4000-8000-000000000000'),
  1::bigint, 'the old attempts went with their requests');
select is((select count(*) from public.request_outputs where user_id = 'a0000000-0000-4000-8000-000000000000'),
  1::bigint, 'and their outputs');
select results_eq(
  $$select sum(attempts)::int, sum(successes)::int, sum(quality_sum), sum(cost_usd_sum) from public.attempts_daily
    where model_name = 'model-a' and task_type = 'fix'$$,
  $$values (3, 3, 240.00::numeric, 0.030000::numeric)$$, 'their daily aggregates are kept');
select results_eq(
  $$select attempts, evidence from public.strategy_stats_by_user
    where user_id = 'a0000000-0000-4000-8000-000000000000' and model_name = 'model-a'$$,
  $$select * from evidence_before$$, 'the evidence rollups are untouched');

-- A user's own output retention is shorter than the project's.
insert into public.user_settings (user_id, outputs_retention_days) values ('a0000000-0000-4000-8000-000000000000', 7);
select public.purge_old_rows();
select is((select count(*) from public.request_outputs where user_id = 'a0000000-0000-4000-8000-000000000000'),
  0::bigint, 'outputs past the user''s retention go');
select is((select count(*) from public.model_selections where request_id = 'a0000000-0000-4000-8000-000000000004'),
  1::bigint, 'while the request itself stays');

-- The cache: a rejection evicts; a TTL of 0 stores nothing.
select public.record_feedback('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000004',
  false, null, null);
select is((select count(*) from public.result_cache where request_id = 'a0000000-0000-4000-8000-000000000004'),
  0::bigint, 'a rejected result leaves the cache');
update public.project_settings set cache_ttl_seconds = 0;
select pg_temp.request('a0000000-0000-4000-8000-000000000005', 0);
select is((select count(*) from public.result_cache where request_id = 'a0000000-0000-4000-8000-000000000005'),
  0::bigint, 'with a TTL of 0 nothing is cached');

-- A fallback: the first planned strategy failed and another won; a first choice outscored is none.
insert into public.model_selections (user_id, request_id, task_type, task_profile, selected_model, selected_provider,
  selected_approach, mode)
values ('a0000000-0000-4000-8000-000000000000', 'f0000000-0000-4000-8000-000000000001', 'fix', '{}', 'model-b', 'p',
    'simple', 'sequential'),
  ('a0000000-0000-4000-8000-000000000000', 'f0000000-0000-4000-8000-000000000002', 'fix', '{}', 'model-b', 'p',
    'simple', 'parallel');
insert into public.model_performance (user_id, request_id, task_type, request_complexity, model_name, provider,
  approach, quality_score, success, error_class, duration_ms, metadata)
values ('a0000000-0000-4000-8000-000000000000', 'f0000000-0000-4000-8000-000000000001', 'fix', 'low', 'model-a', 'p',
    'simple', null, false, 'timeout', 1, '{"planRank": 0}'),
  ('a0000000-0000-4000-8000-000000000000', 'f0000000-0000-4000-8000-000000000001', 'fix', 'low', 'model-b', 'p',
    'simple', 80, true, null, 1, '{"planRank": 1}'),
  ('a0000000-0000-4000-8000-000000000000', 'f0000000-0000-4000-8000-000000000002', 'fix', 'low', 'model-a', 'p',
    'simple', 70, true, null, 1, '{"planRank": 0}'),
  ('a0000000-0000-4000-8000-000000000000', 'f0000000-0000-4000-8000-000000000002', 'fix', 'low', 'model-b', 'p',
    'simple', 80, true, null, 1, '{"planRank": 1}');
select is(public.used_fallback('f0000000-0000-4000-8000-000000000001', 'model-b'), true,
  'a fallback: the first choice failed, another won');
select is(public.used_fallback('f0000000-0000-4000-8000-000000000002', 'model-b'), false,
  'no fallback: the first choice answered and was outscored');

select set_config('request.jwt.claims', '{"sub": "a0000000-0000-4000-8000-000000000000", "role": "authenticated"}', true);
set local role authenticated;
select throws_ok('select * from public.result_cache', '42501', null, 'users cannot read the cache');

select * from finish();
rollback;
