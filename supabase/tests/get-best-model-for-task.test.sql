-- get_best_model_for_task: every enabled catalog strategy ranked by a confidence bound on a posterior
-- built from the catalog prior, the strategy's parent levels and its own evidence; other users pooled in
-- only under the k-user rule, each counting for a bounded weight; and who may ask about whom.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
-- Start from empty tables and a catalog of test models whatever ran before; the rollback restores them.
delete from public.model_selections;
delete from public.strategy_stats_by_user;
delete from public.models;
insert into public.models (model_id, provider, display_name, input_price_per_mtok, output_price_per_mtok,
  context_window, max_output_tokens, speed, quality_prior, strengths)
select name, 'gemini', name, 1, 1, 100000, 8192, 'medium', 5, '{}'
from unnest(array['lucky-model', 'steady-model', 'flaky-model', 'niche-model', 'pooled-model',
  'capped-model']) as name;
insert into public.models (model_id, provider, display_name, input_price_per_mtok, output_price_per_mtok,
  context_window, max_output_tokens, speed, quality_prior, strengths, enabled)
values
  ('untried-model', 'gemini', 'Untried', 1, 1, 100000, 8192, 'fast', 5, '{"generation": 0.7}', true),
  ('retired-model', 'gemini', 'Retired', 1, 1, 100000, 8192, 'fast', 9, '{}', false);
-- No decay and no change test here unless a test asks for it: the sums are then plain counts.
update public.project_settings set evidence_decay = 1, min_pool_users = 5, evidence_per_user = 5,
  parent_evidence = 10, drift_threshold = 1e9;

select plan(34);

-- Records p_n attempts of one strategy on one request; the first p_failures of them fail with p_error.
create function pg_temp.add_attempts(
  p_user uuid, p_task text, p_model text, p_n int, p_quality numeric, p_failures int default 0,
  p_complexity text default 'medium', p_approach text default 'simple', p_error text default 'server',
  p_tokens int default 100
) returns void language sql as $$
  with request as (
    insert into public.model_selections (user_id, request_id, task_type, task_profile, mode)
    values (p_user, gen_random_uuid(), p_task, '{}', 'sequential')
    returning request_id
  )
  insert into public.model_performance (user_id, request_id, task_type, request_complexity, model_name,
    provider, approach, quality_score, success, error_class, duration_ms, cost_usd, input_tokens,
    output_tokens)
  select p_user, request.request_id, p_task, p_complexity, p_model, 'gemini', p_approach,
    case when i > p_failures then p_quality end, i > p_failures,
    case when i <= p_failures then p_error end, 1000, case when p_tokens > 0 then 0.002 else 0 end,
    p_tokens, p_tokens
  from request, generate_series(1, p_n) as i
$$;

create function pg_temp.ranking(p_user uuid, p_complexity text default null)
returns setof record language sql as $$
  select model_name, approach, samples, prior_samples, expected_quality, evidence from
  public.get_best_model_for_task(p_user, 'generation', p_complexity)
$$;

-- One user's own history: two lucky perfect attempts against two hundred good ones, a model that fails
-- half the time but scores 95 when it works, and attempts that never reached a model.
select pg_temp.add_attempts('11111111-0000-4000-8000-000000000000', 'generation', 'lucky-model', 2, 100);
select pg_temp.add_attempts('11111111-0000-4000-8000-000000000000', 'generation', 'steady-model', 200, 85);
select pg_temp.add_attempts('11111111-0000-4000-8000-000000000000', 'generation', 'flaky-model', 100, 95, 50);
select pg_temp.add_attempts('11111111-0000-4000-8000-000000000000', 'generation', 'steady-model', 30, null, 30,
  p_error => 'cancelled');
select pg_temp.add_attempts('11111111-0000-4000-8000-000000000000', 'generation', 'steady-model', 30, null, 30,
  p_error => 'budget_exceeded', p_tokens => 0);
select pg_temp.add_attempts('11111111-0000-4000-8000-000000000000', 'generation', 'steady-model', 30, null, 30,
  p_error => 'auth', p_tokens => 0);
-- Another task type must not leak into 'generation'; a retired model's history does not rank it.
select pg_temp.add_attempts('11111111-0000-4000-8000-000000000000', 'explain', 'lucky-model', 100, 99);
select pg_temp.add_attempts('11111111-0000-4000-8000-000000000000', 'generation', 'retired-model', 100, 99);

create temp table own as
select * from public.get_best_model_for_task('11111111-0000-4000-8000-000000000000', 'generation')
where approach = 'simple';

select is((select model_name from own order by rank limit 1), 'steady-model',
  'two hundred good attempts outrank two lucky perfect ones');
select ok((select mean_quality from own where model_name = 'lucky-model')
  > (select mean_quality from own where model_name = 'steady-model'),
  'the lucky model has the higher raw mean, yet ranks lower');
select ok((select quality_lower_bound from own where model_name = 'lucky-model')
  < (select quality_lower_bound from own where model_name = 'steady-model'),
  'the lucky model''s lower bound is below the steady model''s');
select ok((select rank from own where model_name = 'flaky-model')
  > (select rank from own where model_name = 'steady-model'),
  'a model failing half of its attempts ranks below the steady one despite scoring 95 when it works');
select is((select success_rate from own where model_name = 'flaky-model'), 0.5000, 'success rate counts failures');
select is((select mean_quality from own where model_name = 'flaky-model'), 95.00,
  'mean quality is over successful attempts');
select results_eq($$select samples, success_rate, cost_samples from own where model_name = 'steady-model'$$,
  $$values (200::bigint, 1.0000::numeric, 200::bigint)$$,
  'cancelled, budget-refused and credential-refused attempts are no evidence: not samples, not failures');
select is((select mean_cost_usd from own where model_name = 'steady-model'), 0.002000,
  'mean cost is of attempts a provider billed');
select is((select mean_duration_ms from own where model_name = 'steady-model'), 1000.0, 'mean duration is reported');
select results_eq($$select expected_quality, evidence from own where model_name = 'steady-model'$$,
  $$values (84.15::numeric, 205.00::numeric)$$,
  'the posterior pools the catalog prior (5 x 0.5) with the user''s own 200 attempts at 0.85');
select is((select count(*) from public.get_best_model_for_task('11111111-0000-4000-8000-000000000000',
  'generation')), 14::bigint, 'every enabled catalog model is ranked with both approaches, tried or not');
select ok(not exists (select 1 from public.get_best_model_for_task('11111111-0000-4000-8000-000000000000',
  'generation') where model_name = 'retired-model'), 'a disabled model is not ranked, whatever its history');
select results_eq(
  $$select samples, prior_samples, success_rate, mean_quality, expected_quality, evidence, mean_cost_usd
    from own where model_name = 'untried-model'$$,
  $$values (0::bigint, 0::bigint, null::numeric, null::numeric, 70.00::numeric, 5.00::numeric, null::numeric)$$,
  'a model nobody tried is listed with its catalog prior for the task type, worth 5 attempts');
select is(array(select rank from public.get_best_model_for_task('11111111-0000-4000-8000-000000000000',
  'generation') order by rank), array(select generate_series(1, 14)::bigint), 'ranks are consecutive from 1');

-- Sharing between the levels: the other approach, and the other complexities.
select results_eq(
  $$select expected_quality, evidence from public.get_best_model_for_task('11111111-0000-4000-8000-000000000000',
    'generation') where model_name = 'steady-model' and approach = 'progressive'$$,
  $$values (84.15::numeric, 10.00::numeric)$$,
  'an untried approach starts from what the model''s other approach learned, worth 10 attempts');
select results_eq(
  $$select expected_quality, evidence, samples from public.get_best_model_for_task(
    '11111111-0000-4000-8000-000000000000', 'generation', 'high')
    where model_name = 'steady-model' and approach = 'simple'$$,
  $$values (84.15::numeric, 10.00::numeric, 0::bigint)$$,
  'a complexity the strategy never met starts from its other complexities, worth 10 attempts');
select results_eq(
  $$select samples, evidence from public.get_best_model_for_task('11111111-0000-4000-8000-000000000000',
    'generation', 'medium') where model_name = 'steady-model' and approach = 'simple'$$,
  $$values (200::bigint, 205.00::numeric)$$,
  'at the complexity it was tried at, the strategy''s own evidence counts in full');
select throws_ok($$select * from public.get_best_model_for_task(gen_random_uuid(), 'generation', 'huge')$$,
  '22023', null, 'complexity is low, medium or high');

-- The k-user rule: other users are pooled in only when at least five of them are behind a row.
select pg_temp.add_attempts(('2222222' || i || '-0000-4000-8000-000000000000')::uuid, 'generation',
  'pooled-model', 10, 90)
from generate_series(1, 4) as i;
select results_eq(
  $$select prior_samples, expected_quality, evidence from public.get_best_model_for_task(
    '99999999-0000-4000-8000-000000000000', 'generation') where model_name = 'pooled-model' and approach = 'simple'$$,
  $$values (0::bigint, 50.00::numeric, 5.00::numeric)$$,
  'four other users: nothing of theirs shows, the row holds the catalog prior alone');
select is((select prior_samples from public.get_best_model_for_task('22222221-0000-4000-8000-000000000000',
  'generation') where model_name = 'pooled-model' and approach = 'simple'), 0::bigint,
  'nor to one of them: the other three are below the rule too');
select pg_temp.add_attempts('22222225-0000-4000-8000-000000000000', 'generation', 'pooled-model', 10, 90);
select results_eq(
  $$select prior_samples, expected_quality, evidence from public.get_best_model_for_task(
    '99999999-0000-4000-8000-000000000000', 'generation') where model_name = 'pooled-model' and approach = 'simple'$$,
  $$values (25::bigint, 82.00::numeric, 25.00::numeric)$$,
  'five other users: each counts for at most 5 attempts (25 of their 50), at most 20 in all');
select is((select samples from public.get_best_model_for_task('99999999-0000-4000-8000-000000000000',
  'generation') where model_name = 'pooled-model' and approach = 'simple'), 0::bigint,
  'samples are the user''s own: none');

-- One account cannot move the shared prior: a thousand bad attempts count as five.
select pg_temp.add_attempts(('3333333' || i || '-0000-4000-8000-000000000000')::uuid, 'generation',
  'capped-model', 5, 90)
from generate_series(1, 4) as i;
select pg_temp.add_attempts('33333339-0000-4000-8000-000000000000', 'generation', 'capped-model', 1000, 0, 1000);
select results_eq(
  $$select prior_samples, expected_quality from public.get_best_model_for_task(
    '99999999-0000-4000-8000-000000000000', 'generation') where model_name = 'capped-model' and approach = 'simple'$$,
  $$values (25::bigint, 67.60::numeric)$$,
  'the heavy user''s share is 5 attempts: (5 x 0.5 + (20 x 0.9 + 5 x 0) x 20/25) / 25');

-- Own evidence outweighs what others say.
select pg_temp.add_attempts(('5555555' || i || '-0000-4000-8000-000000000000')::uuid, 'generation',
  'niche-model', 10, 60)
from generate_series(1, 5) as i;
select pg_temp.add_attempts('44444444-0000-4000-8000-000000000000', 'generation', 'niche-model', 60, 97);
select is((select model_name from public.get_best_model_for_task('44444444-0000-4000-8000-000000000000',
  'generation') where rank = 1), 'niche-model', 'a user''s own evidence outweighs the pooled prior');
select is((select samples from public.get_best_model_for_task('44444444-0000-4000-8000-000000000000',
  'generation') where model_name = 'niche-model' and approach = 'simple'), 60::bigint,
  'samples counts the user''s own attempts');

-- The ranking of some models (p_models: those a request may use) is theirs in the whole ranking, ranked
-- among themselves; a model not in the catalog adds nothing.
select results_eq(
  $$select model_name, approach, samples, prior_samples, expected_quality, evidence, quality_lower_bound,
      mean_duration_ms, mean_cost_usd, row_number() over (order by rank)
    from public.get_best_model_for_task('44444444-0000-4000-8000-000000000000', 'generation', 'medium')
    where model_name in ('niche-model', 'capped-model') order by rank$$,
  $$select model_name, approach, samples, prior_samples, expected_quality, evidence, quality_lower_bound,
      mean_duration_ms, mean_cost_usd, rank
    from public.get_best_model_for_task('44444444-0000-4000-8000-000000000000', 'generation', 'medium',
      array['niche-model', 'capped-model', 'no-such-model']) order by rank$$,
  'the ranking of two models is their rows of the whole ranking, ranked 1 to 4');
select is((select count(*) from public.get_best_model_for_task('44444444-0000-4000-8000-000000000000',
  'generation', null, array[]::text[])), 0::bigint, 'no models to rank, no rows');

-- Old evidence fades: with a decay of 0.5, twenty old failures weigh less than ten new successes.
update public.project_settings set evidence_decay = 0.5;
select pg_temp.add_attempts('66666666-0000-4000-8000-000000000000', 'generation', 'flaky-model', 20, null, 20);
select pg_temp.add_attempts('66666666-0000-4000-8000-000000000000', 'generation', 'flaky-model', 10, 90);
select ok((select expected_quality from public.get_best_model_for_task('66666666-0000-4000-8000-000000000000',
  'generation') where model_name = 'flaky-model' and approach = 'simple') > 70,
  'a strategy that got better is believed within a few attempts');
select is((select samples from public.get_best_model_for_task('66666666-0000-4000-8000-000000000000',
  'generation') where model_name = 'flaky-model' and approach = 'simple'), 30::bigint,
  'samples still count every attempt');

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
select is((select model_name from public.get_best_model_for_task('11111111-0000-4000-8000-000000000000',
  'explain') where rank = 1), 'lucky-model', 'a privileged SQL session (dashboards, cron) may rank for anyone');

select * from finish();
rollback;
