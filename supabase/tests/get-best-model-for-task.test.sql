-- get_best_model_for_task: every enabled catalog model ranked by a confidence bound on the catalog prior
-- pooled with the global and the user's own evidence, and who may ask about whom.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
-- Start from empty tables and a catalog of test models whatever ran before; the rollback restores them.
delete from public.model_selections;
delete from public.models;
insert into public.models (model_id, provider, display_name, input_price_per_mtok, output_price_per_mtok,
  context_window, max_output_tokens, speed, quality_prior, strengths)
select name, 'gemini', name, 1, 1, 100000, 8192, 'medium', 5, '{}'
from unnest(array['lucky-model', 'steady-model', 'flaky-model', 'niche-model']) as name;
insert into public.models (model_id, provider, display_name, input_price_per_mtok, output_price_per_mtok,
  context_window, max_output_tokens, speed, quality_prior, strengths, enabled)
values
  ('untried-model', 'gemini', 'Untried', 1, 1, 100000, 8192, 'fast', 5, '{"generation": 0.7}', true),
  ('retired-model', 'gemini', 'Retired', 1, 1, 100000, 8192, 'fast', 9, '{}', false);

select plan(26);

-- Records p_n attempts of one model on one request; the first p_failures of them fail.
create function pg_temp.add_attempts(
  p_user uuid, p_task text, p_model text, p_n int, p_quality numeric, p_failures int default 0
) returns void language sql as $$
  with request as (
    insert into public.model_selections (user_id, request_id, task_type, task_profile, mode)
    values (p_user, gen_random_uuid(), p_task, '{}', 'sequential')
    returning request_id
  )
  insert into public.model_performance (user_id, request_id, task_type, request_complexity, model_name,
    provider, approach, quality_score, success, error_class, duration_ms, cost_usd)
  select p_user, request.request_id, p_task, 'medium', p_model, 'gemini', 'simple',
    case when i > p_failures then p_quality end, i > p_failures,
    case when i <= p_failures then 'server' end, 1000, 0.002
  from request, generate_series(1, p_n) as i
$$;

-- Everyone else's history for 'generation': two lucky perfect attempts against two hundred good ones
-- (spread over four users), and a model that fails half the time but scores 95 when it works.
select pg_temp.add_attempts('11111111-0000-4000-8000-000000000000', 'generation', 'lucky-model', 2, 100);
select pg_temp.add_attempts(('2222222' || i || '-0000-4000-8000-000000000000')::uuid, 'generation',
  'steady-model', 50, 85)
from generate_series(1, 4) as i;
select pg_temp.add_attempts('33333333-0000-4000-8000-000000000000', 'generation', 'flaky-model', 100, 95, 50);
-- Attempts cancelled because another strategy won (hedged mode) say nothing about the model.
insert into public.model_selections (user_id, request_id, task_type, task_profile, mode)
values ('66666666-0000-4000-8000-000000000000', '66666666-0000-4000-8000-0000000000aa', 'generation', '{}', 'hedged');
insert into public.model_performance (user_id, request_id, task_type, request_complexity, model_name, provider,
  approach, success, error_class, duration_ms)
select '66666666-0000-4000-8000-000000000000', '66666666-0000-4000-8000-0000000000aa', 'generation', 'high',
  'steady-model', 'gemini', 'simple', false, 'cancelled', 50
from generate_series(1, 100);
-- Another task type must not leak into 'generation'; a retired model's history does not rank it.
select pg_temp.add_attempts('33333333-0000-4000-8000-000000000000', 'explain', 'steady-model', 100, 99);
select pg_temp.add_attempts('33333333-0000-4000-8000-000000000000', 'generation', 'retired-model', 100, 99);

create temp table ranking_all as
select * from public.get_best_model_for_task('99999999-0000-4000-8000-000000000000', 'generation');
-- the test attempts are all with the simple approach
create temp view ranking_new_user as select * from ranking_all where approach = 'simple';

select is((select model_name from ranking_new_user where rank = 1), 'steady-model',
  'two hundred good attempts outrank two lucky perfect ones');
select ok((select mean_quality from ranking_new_user where model_name = 'lucky-model')
  > (select mean_quality from ranking_new_user where model_name = 'steady-model'),
  'the lucky model has the higher raw mean, yet ranks lower');
select ok((select quality_lower_bound from ranking_new_user where model_name = 'lucky-model')
  < (select quality_lower_bound from ranking_new_user where model_name = 'steady-model'),
  'the lucky model''s lower bound is below the steady model''s');
select ok((select rank from ranking_new_user where model_name = 'flaky-model')
  > (select rank from ranking_new_user where model_name = 'steady-model'),
  'a model failing half of its attempts ranks below the steady one despite scoring 95 when it works');
select is((select success_rate from ranking_new_user where model_name = 'flaky-model'), 0.5000,
  'success rate counts failures');
select is((select mean_quality from ranking_new_user where model_name = 'flaky-model'), 95.00,
  'mean quality is over successful attempts');
select is((select count(*) from ranking_all), 10::bigint,
  'every enabled catalog model is ranked with both approaches, tried or not');
select ok(not exists (select 1 from ranking_all where model_name = 'retired-model'),
  'a disabled model is not ranked, whatever its history');
select results_eq(
  $$select samples, prior_samples, success_rate, mean_quality, expected_quality, evidence, mean_cost_usd
    from ranking_new_user where model_name = 'untried-model'$$,
  $$values (0::bigint, 0::bigint, null::numeric, null::numeric, 70.00::numeric, 5.00::numeric, null::numeric)$$,
  'a model nobody tried is listed with its catalog prior for the task type, worth 5 attempts');
select ok((select rank from ranking_new_user where model_name = 'untried-model')
  > (select rank from ranking_new_user where model_name = 'steady-model'),
  'an untried model with a good prior ranks below one proven on 200 attempts');
select results_eq(
  $$select expected_quality, evidence from ranking_new_user where model_name = 'steady-model'$$,
  $$values (78.00::numeric, 25.00::numeric)$$,
  'the expectation pools the prior (5 x 0.5) with everyone''s evidence (capped at 20 x 0.85)');
select is((select sum(samples) from ranking_new_user), 0::numeric, 'a new user has no samples of their own');
select is((select prior_samples from ranking_new_user where model_name = 'steady-model'), 200::bigint,
  'a new user''s ranking rests on the global statistics');
select is((select mean_duration_ms from ranking_new_user where model_name = 'steady-model'), 1000.0,
  'mean duration is reported');
select is((select mean_cost_usd from ranking_new_user where model_name = 'steady-model'), 0.002000,
  'mean cost is reported');
select is((select success_rate from ranking_new_user where model_name = 'steady-model'), 1.0000,
  'cancelled attempts do not count as failures');
select is(array(select rank from ranking_all order by rank), array(select generate_series(1, 10)::bigint),
  'ranks are consecutive from 1');

-- A model that is mediocre for everyone (40 attempts at 60) but excellent in one user's own 30 attempts.
select pg_temp.add_attempts('55555555-0000-4000-8000-000000000000', 'generation', 'niche-model', 40, 60);
select pg_temp.add_attempts('44444444-0000-4000-8000-000000000000', 'generation', 'niche-model', 30, 97);
create temp table ranking_own_user as
select * from public.get_best_model_for_task('44444444-0000-4000-8000-000000000000', 'generation')
where approach = 'simple';

select is((select model_name from ranking_own_user where rank = 1), 'niche-model',
  'a user''s own evidence outweighs the global prior');
select is((select samples from ranking_own_user where model_name = 'niche-model'), 30::bigint,
  'samples counts the user''s own attempts');
select is((select model_name from public.get_best_model_for_task('99999999-0000-4000-8000-000000000000',
  'generation') where rank = 1), 'steady-model', 'one user''s evidence is only part of the prior for others');
select is((select samples from ranking_own_user where model_name = 'steady-model'), 0::bigint,
  'samples are the user''s own: none of steady-model''s');

-- Who may ask: a user about themselves only; the service role about anyone.
set local request.jwt.claims = '{"sub":"44444444-0000-4000-8000-000000000000","role":"authenticated"}';
set local role authenticated;

select lives_ok($$select * from public.get_best_model_for_task('44444444-0000-4000-8000-000000000000',
  'generation')$$, 'a user may rank models for themselves');
select throws_ok($$select * from public.get_best_model_for_task('11111111-0000-4000-8000-000000000000',
  'generation')$$, '42501', null, 'a user may not read another user''s ranking');
select throws_ok($$select * from public.get_best_model_for_task(null, 'generation')$$, '42501', null,
  'a user may not ask about nobody');

reset role;
set local request.jwt.claims = '{"role":"service_role"}';
set local role service_role;

select is((select model_name from public.get_best_model_for_task('44444444-0000-4000-8000-000000000000',
  'generation') where rank = 1), 'niche-model', 'the service role may rank models for any user');

reset role;
set local request.jwt.claims = '';
select is((select model_name from public.get_best_model_for_task('99999999-0000-4000-8000-000000000000',
  'explain') where rank = 1), 'steady-model', 'a privileged SQL session (dashboards, cron) may rank for anyone');

select * from finish();
rollback;
