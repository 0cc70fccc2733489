-- The quality loop's rows: a request recorded with a refinement round and a verification (atomically, once,
-- its spend settled with the verifier's cost), refinement ranked apart from the model's own row, who may
-- read and write verifications, the user's loop settings, and the views that judge refining and confidence.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(24);

select has_table('public', 'verifications', 'verifications exists');
select is((select relrowsecurity from pg_class where oid = 'public.verifications'::regclass), true,
  'RLS is on for verifications');
select is((select array_agg(reloptions[1] order by relname) from pg_class where oid in
  ('public.refinement_payoff'::regclass, 'public.confidence_by_model'::regclass,
   'public.orchestration_stats'::regclass)), array['security_invoker=true', 'security_invoker=true',
   'security_invoker=true'], 'the quality views are security_invoker');

create function pg_temp.record(p_request text, p_verification jsonb) returns void language sql as $$
  select public.record_orchestration(
    jsonb_build_object('user_id', 'a0000000-0000-4000-8000-000000000000', 'request_id', p_request,
      'task_type', 'fix', 'task_profile', '{}'::jsonb, 'selected_model', 'model-a', 'selected_provider', 'openai',
      'selected_approach', 'refine', 'quality_score', 88, 'mode', 'sequential', 'tier', 'balanced',
      'was_optimal', true, 'confidence', 0.71, 'needs_review', false, 'refine_rounds', 1,
      'conflicts', '[{"aspect": "stateLibrary", "message": "zustand (model-a) vs redux (model-b)"}]'::jsonb),
    jsonb_build_array(
      jsonb_build_object('user_id', 'a0000000-0000-4000-8000-000000000000', 'request_id', p_request,
        'task_type', 'fix', 'request_complexity', 'low', 'model_name', 'model-a', 'provider', 'openai',
        'approach', 'simple', 'quality_score', 60, 'success', true, 'duration_ms', 900, 'cost_usd', 0.02,
        'input_tokens', 100, 'output_tokens', 100),
      jsonb_build_object('user_id', 'a0000000-0000-4000-8000-000000000000', 'request_id', p_request,
        'task_type', 'fix', 'request_complexity', 'low', 'model_name', 'model-a', 'provider', 'openai',
        'approach', 'refine', 'quality_score', 88, 'success', true, 'duration_ms', 800, 'cost_usd', 0.03,
        'input_tokens', 100, 'output_tokens', 100, 'metadata',
        '{"round": 1, "fromScore": 60, "improvement": 28, "liftedOverThreshold": true}'::jsonb)),
    p_verification)
$$;

insert into public.user_settings (user_id, monthly_budget_usd) values ('a0000000-0000-4000-8000-000000000000', 10);
select (public.reserve_spend('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000001', 1)
  ->> 'reserved');
select pg_temp.record('a0000000-0000-4000-8000-000000000001',
  '{"model_name": "model-b", "provider": "anthropic", "verdict": "fail", "summary": "one error",
    "issues": [{"severity": "error", "message": "x"}], "input_tokens": 50, "output_tokens": 20,
    "cost_usd": 0.005, "duration_ms": 300}');

select results_eq(
  $$select user_id::text, model_name, verdict, jsonb_array_length(issues), cost_usd from public.verifications
    where request_id = 'a0000000-0000-4000-8000-000000000001'$$,
  $$values ('a0000000-0000-4000-8000-000000000000', 'model-b', 'fail', 1, 0.005000::numeric)$$,
  'the verification is recorded for the requester');
select results_eq(
  $$select confidence, needs_review, refine_rounds, conflicts -> 0 ->> 'aspect' from public.model_selections
    where request_id = 'a0000000-0000-4000-8000-000000000001'$$,
  $$values (0.710::numeric, false, 1::smallint, 'stateLibrary'::text)$$,
  'the selection keeps confidence, review, rounds and conflicts');
select results_eq(
  $$select status, spent_usd from public.spend_ledger where request_id = 'a0000000-0000-4000-8000-000000000001'$$,
  $$values ('settled'::text, 0.055000::numeric)$$, 'the spend settled is the attempts'' and the verifier''s');
select pg_temp.record('a0000000-0000-4000-8000-000000000001',
  '{"model_name": "model-b", "provider": "anthropic", "verdict": "pass", "cost_usd": 0.005}');
select is((select count(*) from public.verifications where request_id = 'a0000000-0000-4000-8000-000000000001'),
  1::bigint, 'recording again writes no second verification');
select pg_temp.record('a0000000-0000-4000-8000-000000000002', null);
select is((select count(*) from public.verifications where request_id = 'a0000000-0000-4000-8000-000000000002'),
  0::bigint, 'a request without a review has no verification');

select throws_ok($$select pg_temp.record('a0000000-0000-4000-8000-000000000003',
  '{"model_name": "m", "provider": "p", "verdict": "maybe"}')$$, '23514', null,
  'a verdict is pass, fail, uncertain or unavailable');
select is((select count(*) from public.model_selections where request_id = 'a0000000-0000-4000-8000-000000000003'),
  0::bigint, 'and a request whose verification cannot be stored is not half recorded');

-- Refinement is ranked apart: its rows feed ('*', 'refine'), never the model's own ('*', '*').
select results_eq(
  $$select complexity, approach, attempts::int from public.strategy_stats_by_user
    where user_id = 'a0000000-0000-4000-8000-000000000000' and model_name = 'model-a' order by complexity, approach$$,
  $$values ('*'::text, '*'::text, 2), ('*', 'refine', 2), ('*', 'simple', 2), ('low', 'refine', 2), ('low', 'simple', 2)$$,
  'the refinement rounds count under refine only');
select is((select count(*) from public.get_best_model_for_task('a0000000-0000-4000-8000-000000000000', 'fix')
  where approach = 'refine'), 0::bigint, 'a refinement is never planned as a first strategy');

select throws_ok($$insert into public.model_performance (user_id, request_id, task_type, request_complexity,
  model_name, provider, approach, success, duration_ms) values ('a0000000-0000-4000-8000-000000000000',
  'a0000000-0000-4000-8000-000000000001', 'fix', 'low', 'm', 'p', 'refinement', true, 1)$$, '23514', null,
  'an attempt''s approach is simple, progressive or refine');
select throws_ok($$update public.model_selections set refine_rounds = 4
  where request_id = 'a0000000-0000-4000-8000-000000000001'$$, '23514', null, 'at most three rounds');

-- The views, on the service side and as users.
select results_eq(
  $$select rounds::int, lifted_pct, avg_improvement, avg_cost_usd from public.refinement_payoff
    where model_name = 'model-a' and task_type = 'fix'$$,
  $$values (2, 100.0::numeric, 28.00::numeric, 0.030000::numeric)$$, 'refinement_payoff: rounds, lifts, gain, cost');
select results_eq(
  $$select requests::int, avg_confidence, conflicts_detected::int, refinements::int, needs_review::int
    from public.orchestration_stats where user_id = 'a0000000-0000-4000-8000-000000000000'$$,
  $$values (2, 0.710::numeric, 2, 2, 0)$$, 'orchestration_stats counts the user''s requests');
select is(public.orchestration_totals('a0000000-0000-4000-8000-000000000000', 7),
  '{"days": 7, "requests": 2, "successRate": 100.00, "avgConfidence": 0.710, "conflictsDetected": 2,
    "fallbacksUsed": 0, "refinements": 2, "needsReview": 0, "verified": 1,
    "modelUsage": [{"model": "model-a", "requests": 2, "avgQuality": 88.00}]}'::jsonb,
  'orchestration_totals: the same statistics over a window, with the models'' usage');

select set_config('request.jwt.claims', '{"sub": "a0000000-0000-4000-8000-000000000000", "role": "authenticated"}', true);
set local role authenticated;
select is((select count(*) from public.verifications), 1::bigint, 'a user reads their own verifications');
select throws_ok($$insert into public.verifications (request_id, user_id, model_name, provider, verdict)
  values ('a0000000-0000-4000-8000-000000000002', 'a0000000-0000-4000-8000-000000000000', 'm', 'p', 'pass')$$,
  '42501', null, 'users do not write verifications');
select lives_ok($$update public.user_settings set refine_rounds = 2, verify = true
  where user_id = 'a0000000-0000-4000-8000-000000000000'$$, 'a user sets their refinement rounds and review');
select results_eq($$select refine_rounds, verify from public.user_settings$$, $$values (2::smallint, true)$$,
  'and they are set');
select throws_ok($$update public.user_settings set refine_rounds = 9$$, '23514', null, 'not more than three');
reset role;
select is((public.planning_context('a0000000-0000-4000-8000-000000000000', 'fix')::jsonb -> 'settings')
  - 'defaultTier' - 'preferLocal' - 'storeOutputs', '{"refineRounds": 2, "verify": true}'::jsonb, 'planning reads them');

select set_config('request.jwt.claims', '{"sub": "b0000000-0000-4000-8000-000000000000", "role": "authenticated"}', true);
set local role authenticated;
select is((select count(*) from public.orchestration_stats) + (select count(*) from public.verifications)
  + (select count(*) from public.refinement_payoff) + (select count(*) from public.confidence_by_model),
  0::bigint, 'another user sees none of it');

select * from finish();
rollback;
