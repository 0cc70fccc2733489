-- The schema: tables, columns, constraints, indexes, RLS switched on, function and view settings.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(46);

select has_table('public', 'model_performance', 'model_performance exists');
select has_table('public', 'model_selections', 'model_selections exists');

select columns_are('public', 'model_performance', array[
  'id', 'user_id', 'request_id', 'task_type', 'request_complexity', 'model_name', 'provider', 'approach',
  'quality_score', 'quality_breakdown', 'success', 'error_class', 'duration_ms', 'input_tokens',
  'output_tokens', 'cost_usd', 'file_count', 'metadata', 'created_at'
], 'model_performance has exactly the attempt columns');
select columns_are('public', 'model_selections', array[
  'id', 'user_id', 'request_id', 'task_type', 'task_profile', 'selected_model', 'selected_provider',
  'selected_approach', 'alternative_models', 'quality_score', 'mode', 'tier', 'explored', 'was_optimal',
  'created_at', 'confidence', 'needs_review', 'conflicts', 'refine_rounds', 'cached_from'
], 'model_selections has exactly the request columns');

select col_not_null('public', 'model_performance', 'user_id', 'an attempt always has a user');
select col_not_null('public', 'model_selections', 'user_id', 'a selection always has a user');
select col_type_is('public', 'model_performance', 'quality_breakdown', 'jsonb', 'breakdown is jsonb');
select col_type_is('public', 'model_performance', 'cost_usd', 'numeric(12,6)', 'cost keeps micro-dollars');
select col_type_is('public', 'model_selections', 'alternative_models', 'text[]', 'alternatives are text[]');
select col_is_unique('public', 'model_selections', 'request_id', 'one selection per request');
select fk_ok('public', 'model_performance', 'request_id', 'public', 'model_selections', 'request_id',
  'each attempt belongs to a recorded request');

-- constraints, exercised
insert into public.model_selections (user_id, request_id, task_type, task_profile, mode)
values ('00000000-0000-4000-8000-00000000000a', '10000000-0000-4000-8000-000000000001', 'generation', '{}', 'sequential');

prepare attempt_with(numeric, boolean, text) as
  insert into public.model_performance
    (user_id, request_id, task_type, request_complexity, model_name, provider, approach, quality_score,
     success, error_class, duration_ms)
  values ('00000000-0000-4000-8000-00000000000a', '10000000-0000-4000-8000-000000000001', 'generation',
          'low', 'gemini-2.5-flash', 'gemini', 'simple', $1, $2, $3, 10);

select lives_ok('execute attempt_with(100, true, null)', 'a quality of 100 is accepted');
select throws_ok('execute attempt_with(100.5, true, null)', '23514', null, 'a quality above 100 is refused');
select throws_ok('execute attempt_with(-1, true, null)', '23514', null, 'a negative quality is refused');
select throws_ok('execute attempt_with(null, true, null)', '23514', null, 'a success needs a quality score');
select throws_ok('execute attempt_with(null, false, null)', '23514', null, 'a failure needs an error class');
select throws_ok('execute attempt_with(null, false, ''weird'')', '23514', null, 'error classes are a known set');
select lives_ok('execute attempt_with(null, false, ''timeout'')', 'a failure with an error class is accepted');
select throws_ok(
  $$insert into public.model_performance (user_id, request_id, task_type, request_complexity, model_name,
      provider, approach, quality_score, success, duration_ms)
    values ('00000000-0000-4000-8000-00000000000a', '10000000-0000-4000-8000-0000000000ff', 'generation',
      'low', 'm', 'p', 'simple', 50, true, 1)$$,
  '23503', null, 'an attempt of an unrecorded request is refused');
select throws_ok(
  $$insert into public.model_selections (user_id, request_id, task_type, task_profile, mode, selected_model)
    values ('00000000-0000-4000-8000-00000000000a', gen_random_uuid(), 'generation', '{}', 'sequential', 'm')$$,
  '23514', null, 'a selected model comes with its provider and approach');

-- row level security and policies
select is((select relrowsecurity from pg_class where oid = 'public.model_performance'::regclass), true,
  'RLS is on for model_performance');
select is((select relrowsecurity from pg_class where oid = 'public.model_selections'::regclass), true,
  'RLS is on for model_selections');
select policies_are('public', 'model_performance', array['users read their own attempts']);
select policies_are('public', 'model_selections', array['users read their own selections']);
select policy_cmd_is('public', 'model_performance', 'users read their own attempts', 'select',
  'the attempts policy only grants reading');
select policy_roles_are('public', 'model_performance', 'users read their own attempts', array['authenticated']);
select ok(
  not exists (
    select 1 from pg_policies p, unnest(array[p.qual, p.with_check]) as expression
    where p.schemaname = 'public' and expression like '%auth.uid()%' and expression not like '%SELECT auth.uid()%'
  ) and exists (select 1 from pg_policies where schemaname = 'public' and qual like '%SELECT auth.uid()%'),
  'policies call auth.uid() through a subselect (evaluated once per query)');

-- the ranking function
select is((select prosecdef from pg_proc where oid = 'public.get_best_model_for_task(uuid, text, text, text[])'::regprocedure),
  true, 'get_best_model_for_task is security definer (the prior reads other users'' rows)');
select ok((select proconfig from pg_proc where oid = 'public.get_best_model_for_task(uuid, text, text, text[])'::regprocedure)
  @> array['search_path=""'], 'get_best_model_for_task pins search_path to empty');

-- dashboard views obey the caller's RLS
select is((select reloptions from pg_class where oid = 'public.model_quality_last_7_days'::regclass),
  array['security_invoker=true'], 'model_quality_last_7_days is security_invoker');
select is((select reloptions from pg_class where oid = 'public.model_selections_last_7_days'::regclass),
  array['security_invoker=true'], 'model_selections_last_7_days is security_invoker');
select is((select reloptions from pg_class where oid = 'public.approach_success_rates'::regclass),
  array['security_invoker=true'], 'approach_success_rates is security_invoker');

-- indexes behind the ranking, RLS and dashboards
select hasnt_index('public', 'model_performance', 'model_performance_task_model_idx',
  'the ranking reads the rollups, not an index over every attempt');
select has_index('public', 'model_performance', 'model_performance_user_created_idx', 'per-user index');
select has_index('public', 'model_performance', 'model_performance_created_idx', 'time window index');
select has_index('public', 'model_selections', 'model_selections_created_idx', 'selections time window index');

-- evidence rollups and project settings
select has_table('public', 'strategy_stats', 'strategy_stats exists');
select has_table('public', 'strategy_stats_by_user', 'strategy_stats_by_user exists');
select hasnt_table('public', 'model_stats', 'the rollups before levels and decay are gone');
select is((select bool_and(relrowsecurity) from pg_class
  where oid in ('public.strategy_stats'::regclass, 'public.strategy_stats_by_user'::regclass,
    'public.project_settings'::regclass, 'public.request_admissions'::regclass)), true,
  'RLS is on for the rollups, the project settings and the admissions');
select policies_are('public', 'strategy_stats_by_user', array['users read their own statistics']);
select policies_are('public', 'project_settings', array[]::name[]);
select trigger_is('public', 'model_performance', 'model_performance_add_evidence', 'public',
  'add_strategy_evidence', 'inserts add to the statistics');
select is((select array_agg(tgname::text) from pg_trigger where tgrelid = 'public.model_performance'::regclass
  and not tgisinternal and tgtype & 8 = 8), array['model_performance_roll_up_delete'],
  'on deletes only the monitoring rollups follow: retention keeps the statistics');
select is((select count(*)::int from public.project_settings), 1, 'one row of project settings');
select throws_ok($$insert into public.project_settings (id) values (false)$$, '23514', null,
  'the project settings stay one row');
select * from finish();
rollback;
