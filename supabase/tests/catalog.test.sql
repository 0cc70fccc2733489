-- The model catalog: its seed, its checks, who may read and write it, and that adding a model is one insert
-- that the ranking picks up.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(18);

select has_table('public', 'models', 'models exists');
select is((select relrowsecurity from pg_class where oid = 'public.models'::regclass), true, 'RLS is on for models');
select policies_are('public', 'models', array['signed-in users read the catalog']);

select set_eq(
  'select model_id from public.models where enabled',
  array['gemini-3.1-pro-preview', 'gemini-3.8-flash', 'gemini-3.5-flash-lite', 'llama3.2', 'ministral-3:8b',
    'qwen3.5:9b', 'deepseek-v4-flash', 'qwen3.7-plus', 'qwen3.6-flash', 'gpt-6-luna', 'gpt-6-sol',
    'claude-haiku-4-5', 'claude-sonnet-5', 'claude-opus-5-5'],
  'the current Gemini models, and seed 000''s roles with current models');
select set_eq(
  'select model_id from public.models where not enabled',
  array['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'mistral', 'deepseek-chat', 'qwen-plus',
    'qwen-turbo', 'gpt-4o-mini', 'gpt-4o', 'claude-3-5-sonnet-20241022'],
  'superseded models stay, disabled, so the history keeps their names');
select set_eq(
  'select model_id from public.models where is_local and enabled',
  array['llama3.2', 'ministral-3:8b', 'qwen3.5:9b'],
  'Llama, Ministral and Qwen run locally (Ollama), for free');
select is((select sum(input_price_per_mtok + output_price_per_mtok) from public.models where is_local), 0::numeric,
  'local models cost nothing');

-- checks
prepare add_model(text, numeric, jsonb, text) as
  insert into public.models (model_id, provider, display_name, input_price_per_mtok, output_price_per_mtok,
    context_window, max_output_tokens, speed, quality_prior, strengths)
  values ($1, 'openai', $1, 0.5, 1.5, 128000, 8192, $4, $2, $3);
select throws_ok($$execute add_model('too-good', 11, '{}', 'fast')$$, '23514', null,
  'a quality prior is on a 0-10 scale');
select throws_ok($$execute add_model('strong', 8, '{"generation": 1.2}', 'fast')$$, '23514', null,
  'strengths are 0-1');
select throws_ok($$execute add_model('wordy', 8, '{"generation": "high"}', 'fast')$$, '23514', null,
  'strengths are numbers');
select throws_ok($$execute add_model('quick', 8, '{}', 'instant')$$, '23514', null,
  'speed is fast, medium or slow');

-- adding a model is one insert, and the ranking lists it for every task type with its prior
select lives_ok($$insert into public.models (model_id, provider, display_name, input_price_per_mtok,
    output_price_per_mtok, context_window, max_output_tokens, speed, quality_prior)
  values ('new-model', 'openrouter', 'New model', 0.2, 0.8, 64000, 8192, 'fast', 7.5)$$,
  'adding a model is one insert');
select results_eq(
  $$select expected_quality, samples from public.get_best_model_for_task(gen_random_uuid(), 'refactor')
    where model_name = 'new-model' and approach = 'simple'$$,
  $$values (75.00::numeric, 0::bigint)$$,
  'the ranking lists the new model with its prior (quality_prior / 10)');
update public.models set enabled = false where model_id = 'new-model';
select ok(not exists (select 1 from public.get_best_model_for_task(gen_random_uuid(), 'refactor')
  where model_name = 'new-model'), 'a disabled model leaves the ranking');
update public.models set display_name = 'GPT-4o (2024-08-06)' where model_id = 'gpt-4o';
select ok((select updated_at = now() and updated_at > created_at from public.models where model_id = 'gpt-4o'),
  'updated_at follows changes');

-- who may read and write
set local role anon;
select throws_ok('select * from public.models', '42501', null, 'anon may not read it');
reset role;
set local request.jwt.claims = '{"sub":"44444444-0000-4000-8000-000000000000","role":"authenticated"}';
set local role authenticated;
select is((select count(*) from public.models where enabled), 14::bigint, 'a signed-in user reads the catalog');
select throws_ok($$update public.models set input_price_per_mtok = 0$$, '42501', null,
  'a signed-in user cannot change it');
reset role;

select * from finish();
rollback;
