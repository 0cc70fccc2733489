-- Many requests' rows in one statement (public.record_orchestrations, 20261202000300): each request
-- written as record_orchestration writes it alone — its place freed, selection, attempts, review, cache
-- entry and settled spend — a request named twice written once, one already recorded adding nothing,
-- two cache entries under one user's key leaving the later, the statistics the same as from one request
-- at a time, and a batch with a record the database refuses leaving nothing of the batch.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(15);

-- A request's record: two attempts (a failed first choice, then the winner), a review when asked.
create function pg_temp.rec(p_request text, p_user text, p_cache_key text default null, p_review boolean default false)
returns jsonb language sql as $$
  select jsonb_build_object(
    'selection', jsonb_build_object('user_id', p_user, 'request_id', p_request, 'task_type', 'fix',
      'task_profile', '{"requirements": ["api"]}'::jsonb, 'selected_model', 'model-b', 'selected_provider', 'openai',
      'selected_approach', 'simple', 'quality_score', 80, 'mode', 'sequential', 'tier', 'balanced',
      'confidence', 0.7),
    'attempts', jsonb_build_array(
      jsonb_build_object('user_id', p_user, 'request_id', p_request, 'task_type', 'fix',
        'request_complexity', 'low', 'model_name', 'model-a', 'provider', 'openai', 'approach', 'simple',
        'success', false, 'error_class', 'server', 'duration_ms', 500, 'cost_usd', 0.001,
        'metadata', '{"planRank": 0}'::jsonb),
      jsonb_build_object('user_id', p_user, 'request_id', p_request, 'task_type', 'fix',
        'request_complexity', 'low', 'model_name', 'model-b', 'provider', 'openai', 'approach', 'simple',
        'quality_score', 80, 'success', true, 'duration_ms', 1000, 'cost_usd', 0.01,
        'metadata', '{"planRank": 1}'::jsonb)),
    'verification', case when p_review then jsonb_build_object('model_name', 'model-a', 'provider', 'openai',
      'verdict', 'pass', 'cost_usd', 0.002, 'duration_ms', 300) end,
    'cache', case when p_cache_key is not null
      then jsonb_build_object('cache_key', p_cache_key, 'response', jsonb_build_object('requestId', p_request)) end)
$$;

-- Users 1 and 2: four records in one batch (request 1 twice, requests 1 and 2 under one cache key).
select public.admit_request('b0000000-0000-4000-8000-000000000001', ('b1000000-0000-4000-8000-00000000000' || i)::uuid)
from generate_series(1, 3) i;
select public.record_orchestrations(jsonb_build_array(
  pg_temp.rec('b1000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', repeat('k', 64), true),
  pg_temp.rec('b1000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000001', repeat('k', 64)),
  pg_temp.rec('b1000000-0000-4000-8000-000000000003', 'b0000000-0000-4000-8000-000000000002'),
  pg_temp.rec('b1000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', repeat('j', 64))));

select is((select count(*) from public.model_selections where request_id::text like 'b1000000-%'), 3::bigint,
  'a selection per request, the repeated one once');
select is((select count(*) from public.model_performance where request_id::text like 'b1000000-%'), 6::bigint,
  'each request''s attempts once');
select is((select array_agg(user_id::text order by request_id) from public.model_performance
  where request_id::text like 'b1000000-%' and model_name = 'model-b'),
  array['b0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001',
    'b0000000-0000-4000-8000-000000000002'], 'under the user of their selection');
select is((select count(*) from public.verifications where request_id::text like 'b1000000-%'), 1::bigint,
  'the review that was given');
select is((select array_agg(request_id::text order by cache_key) from public.result_cache
  where user_id = 'b0000000-0000-4000-8000-000000000001'),
  array['b1000000-0000-4000-8000-000000000002'], 'one cache entry per key, the later record''s (the repeat''s key not written)');
select is((select count(*) from public.request_admissions where request_id::text like 'b1000000-%' and finished_at is null),
  0::bigint, 'the requests'' places freed');
select is((select array_agg(spent_usd order by request_id) from public.spend_ledger where request_id::text like 'b1000000-%'),
  array[0.013, 0.011, 0.011]::numeric[], 'each request''s spend settled: its attempts and its review');
select is((select spent_usd from public.spend_monthly where user_id = 'b0000000-0000-4000-8000-000000000001'
  and month = public.spend_month(now())), 0.024::numeric, 'into its user''s month');

-- A batch with a request already recorded (other attempts this time) and a new one.
select public.record_orchestrations(jsonb_build_array(
  pg_temp.rec('b1000000-0000-4000-8000-000000000003', 'b0000000-0000-4000-8000-000000000002', null, true),
  pg_temp.rec('b1000000-0000-4000-8000-000000000004', 'b0000000-0000-4000-8000-000000000002')));
select is((select count(*) from public.model_performance where request_id::text like 'b1000000-%'), 8::bigint,
  'a request already recorded adds nothing, the new one its attempts');
select is((select spent_usd from public.spend_monthly where user_id = 'b0000000-0000-4000-8000-000000000002'
  and month = public.spend_month(now())), 0.022::numeric, 'nor spend');

-- The same requests for user 3 in one batch and for user 4 one at a time: the same statistics.
select public.record_orchestrations((select jsonb_agg(pg_temp.rec('b3000000-0000-4000-8000-00000000000' || i,
  'b0000000-0000-4000-8000-000000000003', null, i = 2)) from generate_series(1, 5) i));
select public.record_orchestration(r -> 'selection', r -> 'attempts', r -> 'verification', r -> 'output', r -> 'cache')
from (select pg_temp.rec('b4000000-0000-4000-8000-00000000000' || i, 'b0000000-0000-4000-8000-000000000004', null, i = 2) as r
  from generate_series(1, 5) i) as x;
select bag_eq(
  $$select task_type, complexity, model_name, approach, attempts, successes, quality_sum, duration_ms_sum,
      costed, cost_usd_sum from public.strategy_stats_by_user where user_id = 'b0000000-0000-4000-8000-000000000003'$$,
  $$select task_type, complexity, model_name, approach, attempts, successes, quality_sum, duration_ms_sum,
      costed, cost_usd_sum from public.strategy_stats_by_user where user_id = 'b0000000-0000-4000-8000-000000000004'$$,
  'a batch''s statistics are those of its requests one at a time');
-- The decayed evidence counts one statement's attempts as simultaneous: none decays another.
select is((select array_agg(round(evidence::numeric, 4) order by complexity, model_name, approach)
  from public.strategy_stats_by_user where user_id = 'b0000000-0000-4000-8000-000000000003'),
  (select array_agg(round(attempts::numeric, 4) order by complexity, model_name, approach)
  from public.strategy_stats_by_user where user_id = 'b0000000-0000-4000-8000-000000000003'),
  'a batch''s evidence: its attempts, undecayed');
select is(
  (select row(requests, successes, fallbacks, confidence_sum) from public.selection_rollup_by_user
    where user_id = 'b0000000-0000-4000-8000-000000000003')::text,
  (select row(requests, successes, fallbacks, confidence_sum) from public.selection_rollup_by_user
    where user_id = 'b0000000-0000-4000-8000-000000000004')::text,
  'and so are its rollups (requests, fallbacks, confidence)');

-- A record the database refuses (a selection without a task type) refuses its whole batch.
select throws_ok($$select public.record_orchestrations(jsonb_build_array(
  pg_temp.rec('b5000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000005'),
  pg_temp.rec('b5000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000005') #- '{selection,task_type}'))$$,
  '23502', null, 'a record the database refuses refuses the batch');
select is((select count(*) from public.model_selections where request_id::text like 'b5000000-%'), 0::bigint,
  'and leaves nothing of it');

select * from finish();
rollback;
