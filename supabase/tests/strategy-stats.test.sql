-- The evidence rollups: three level rows per attempt that reached a model, raw sums equal to aggregates
-- of model_performance, decayed evidence, costs only where a provider billed, statistics kept when raw
-- rows are deleted (retention), and the pooled rows equal to the capped sum of every user's.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
-- Start from empty tables whatever ran before; the rollback at the end restores them.
delete from public.model_selections;
delete from public.strategy_stats_by_user;
update public.project_settings set evidence_decay = 1, evidence_per_user = 5, drift_threshold = 1e9;

select plan(17);

-- The pooled rows, rebuilt from scratch from the user rows: what the triggers must keep them equal to.
create function pg_temp.pooled_matches() returns boolean language sql as $$
  with fresh as (
    select share.task_type, share.complexity, share.model_name, share.approach, sum(share.users) as users,
      round(sum(share.evidence)::numeric, 6) as evidence, round(sum(share.delivered)::numeric, 6) as delivered,
      round(sum(share.attempts)::numeric, 6) as attempts, round(sum(share.cost_usd_sum)::numeric, 6) as cost
    from public.strategy_stats_by_user u
    cross join lateral public.pooled_share(u, (select evidence_per_user from public.project_settings)) as share
    group by 1, 2, 3, 4
  ), kept as (
    select task_type, complexity, model_name, approach, users, round(evidence::numeric, 6),
      round(delivered::numeric, 6), round(attempts::numeric, 6), round(cost_usd_sum::numeric, 6)
    from public.strategy_stats where users > 0
  )
  select not exists (select * from fresh except select * from kept)
    and not exists (select * from kept except select * from fresh)
$$;

insert into public.model_selections (user_id, request_id, task_type, task_profile, mode) values
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000001', 'generation', '{}', 'hedged'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000001', 'generation', '{}', 'sequential');
insert into public.model_performance (user_id, request_id, task_type, request_complexity, model_name, provider,
  approach, quality_score, success, error_class, duration_ms, cost_usd, input_tokens, output_tokens) values
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000001', 'generation', 'high',
   'gemini-2.5-pro', 'gemini', 'simple', 90, true, null, 1000, 0.01, 500, 900),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000001', 'generation', 'high',
   'gemini-2.5-flash', 'gemini', 'simple', null, false, 'cancelled', 300, 0.001, 10, 10),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000001', 'generation', 'high',
   'gemini-2.5-flash', 'gemini', 'progressive', null, false, 'server', 200, 0, 0, 0),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000001', 'generation', 'high',
   'gemini-2.5-flash', 'gemini', 'simple', null, false, 'budget_exceeded', 0, 0, 0, 0),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000001', 'generation', 'low',
   'gemini-2.5-pro', 'gemini', 'simple', 70, true, null, 800, 0.02, 400, 800);

select results_eq(
  $$select complexity, approach, attempts, successes, evidence, delivered from public.strategy_stats_by_user
    where user_id = 'aaaaaaaa-0000-4000-8000-000000000000' and model_name = 'gemini-2.5-pro'
    order by complexity, approach$$,
  $$values ('*', '*', 1::bigint, 1::bigint, 1::float8, 0.9::float8), ('*', 'simple', 1, 1, 1, 0.9),
    ('high', 'simple', 1, 1, 1, 0.9)$$,
  'an attempt adds to three levels: the model, the strategy, the strategy at its complexity');
select is((select attempts from public.strategy_stats_by_user where user_id = 'aaaaaaaa-0000-4000-8000-000000000000'
  and model_name = 'gemini-2.5-flash' and complexity = '*' and approach = '*'), 1::bigint,
  'the cancelled and the budget-refused attempts are left out, the failed one counts');
select results_eq(
  $$select costed, cost_usd_sum from public.strategy_stats_by_user
    where user_id = 'aaaaaaaa-0000-4000-8000-000000000000' and model_name = 'gemini-2.5-flash' and approach = '*'$$,
  $$values (0::bigint, 0::numeric)$$,
  'a failure the provider did not bill is no cost evidence');
select results_eq(
  $$select users, round(attempts::numeric, 9), round(delivered::numeric, 9) from public.strategy_stats
    where task_type = 'generation' and model_name = 'gemini-2.5-pro' and complexity = '*' and approach = 'simple'$$,
  $$values (2::bigint, 2::numeric, 1.6::numeric)$$,
  'everyone''s row counts both users and adds their delivered quality (0.9 + 0.7)');
select ok(pg_temp.pooled_matches(), 'the pooled rows are the sum of the users'' shares');

-- Raw sums equal the aggregates of the attempts that reached a model.
select ok(not exists (
  (select user_id, task_type, model_name, approach, attempts, successes, duration_ms_sum
   from public.strategy_stats_by_user where complexity = '*' and approach <> '*')
  except
  (select user_id, task_type, model_name, approach, count(*), count(*) filter (where success), sum(duration_ms)
   from public.model_performance where public.is_model_evidence(error_class)
   group by user_id, task_type, model_name, approach)
), 'raw counts and sums match model_performance');

-- Decay: each new observation of a row multiplies its earlier evidence.
update public.project_settings set evidence_decay = 0.5;
insert into public.model_selections (user_id, request_id, task_type, task_profile, mode)
select 'aaaaaaaa-0000-4000-8000-000000000000', ('c000000' || i || '-0000-4000-8000-000000000000')::uuid,
  'generation', '{}', 'sequential'
from generate_series(1, 3) as i;
insert into public.model_performance (user_id, request_id, task_type, request_complexity, model_name, provider,
  approach, quality_score, success, duration_ms, cost_usd, input_tokens, output_tokens)
select 'aaaaaaaa-0000-4000-8000-000000000000', ('c000000' || i || '-0000-4000-8000-000000000000')::uuid,
  'generation', 'high', 'gemini-2.5-pro', 'gemini', 'simple', 50, true, 100, 0.01, 10, 10
from generate_series(1, 3) as i;
-- three requests recorded one after the other, as record_orchestration does
select results_eq(
  $$select attempts, evidence, delivered from public.strategy_stats_by_user
    where user_id = 'aaaaaaaa-0000-4000-8000-000000000000' and model_name = 'gemini-2.5-pro'
    and complexity = 'high' and approach = 'simple'$$,
  $$values (4::bigint, 1 * 0.125 + 3::float8, 0.9 * 0.125 + 1.5::float8)$$,
  'a batch of new attempts multiplies the earlier evidence by decay per attempt');
select ok(pg_temp.pooled_matches(), 'the pooled rows follow the decay');

-- Retention deletes raw rows; the statistics stay.
delete from public.model_selections where user_id = 'bbbbbbbb-0000-4000-8000-000000000000';
select is((select attempts from public.strategy_stats_by_user where user_id = 'bbbbbbbb-0000-4000-8000-000000000000'
  and model_name = 'gemini-2.5-pro' and complexity = '*' and approach = '*'), 1::bigint,
  'deleting attempt rows leaves the statistics they fed');

-- Forgetting a user takes their share out of everyone's.
delete from public.strategy_stats_by_user where user_id = 'bbbbbbbb-0000-4000-8000-000000000000';
select is((select users from public.strategy_stats where task_type = 'generation' and model_name = 'gemini-2.5-pro'
  and complexity = '*' and approach = 'simple'), 1::bigint, 'a user''s deleted rows leave the pooled statistics');
select ok(pg_temp.pooled_matches(), 'and the rest still adds up');

-- Each user counts for at most evidence_per_user attempts; changing it rebuilds the pooled rows.
insert into public.model_selections (user_id, request_id, task_type, task_profile, mode)
values ('dddddddd-0000-4000-8000-000000000000', 'd0000000-0000-4000-8000-000000000001', 'fix', '{}', 'sequential');
update public.project_settings set evidence_decay = 1;
insert into public.model_performance (user_id, request_id, task_type, request_complexity, model_name, provider,
  approach, quality_score, success, duration_ms, input_tokens, output_tokens)
select 'dddddddd-0000-4000-8000-000000000000', 'd0000000-0000-4000-8000-000000000001', 'fix', 'low',
  'gemini-2.5-flash', 'gemini', 'simple', 80, true, 100, 1, 1
from generate_series(1, 40);
select results_eq(
  $$select attempts, evidence, round(delivered::numeric, 9) from public.strategy_stats
    where task_type = 'fix' and model_name = 'gemini-2.5-flash' and complexity = '*' and approach = '*'$$,
  $$values (5::float8, 5::float8, 4::numeric)$$,
  'forty attempts of one user count as five in the pooled row, at their mean');
update public.project_settings set evidence_per_user = 10;
select results_eq(
  $$select attempts, round(delivered::numeric, 9) from public.strategy_stats
    where task_type = 'fix' and model_name = 'gemini-2.5-flash' and complexity = '*' and approach = '*'$$,
  $$values (10::float8, 8::numeric)$$,
  'a new evidence_per_user rebuilds the pooled rows');
select ok(pg_temp.pooled_matches(), 'the rebuilt rows are the sum of the users'' shares at the new cap');

-- A strategy that changes: forty good attempts one by one, then bad ones; the change test notices and
-- the evidence restarts from the recent attempts.
update public.project_settings set drift_slack = 0.08, drift_threshold = 5;
create function pg_temp.attempt_of(p_quality numeric) returns void language sql as $$
  with request as (
    insert into public.model_selections (user_id, request_id, task_type, task_profile, mode)
    values ('eeeeeeee-0000-4000-8000-000000000000', gen_random_uuid(), 'edit', '{}', 'sequential')
    returning request_id
  )
  insert into public.model_performance (user_id, request_id, task_type, request_complexity, model_name,
    provider, approach, quality_score, success, error_class, duration_ms)
  select 'eeeeeeee-0000-4000-8000-000000000000', request_id, 'edit', 'low', 'gemini-2.5-pro', 'gemini',
    'simple', p_quality, p_quality is not null, case when p_quality is null then 'server' end, 100
  from request
$$;
select pg_temp.attempt_of(90) from generate_series(1, 40);
select is((select round(evidence::numeric) from public.strategy_stats_by_user
  where user_id = 'eeeeeeee-0000-4000-8000-000000000000' and complexity = '*' and approach = '*'), 40::numeric,
  'forty steady attempts are forty attempts of evidence');
select pg_temp.attempt_of(null) from generate_series(1, 8);
select ok((select evidence < 15 and delivered / evidence < 0.6 from public.strategy_stats_by_user
  where user_id = 'eeeeeeee-0000-4000-8000-000000000000' and complexity = '*' and approach = '*'),
  'eight failures in a row: the change is noticed, the old evidence is dropped');
select results_eq($$select attempts from public.strategy_stats_by_user
  where user_id = 'eeeeeeee-0000-4000-8000-000000000000' and complexity = '*' and approach = '*'$$,
  $$values (48::bigint)$$, 'the raw counts keep every attempt');

select * from finish();
rollback;
