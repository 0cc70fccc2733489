-- The rollups stay equal to aggregates of model_performance through inserts, updates and deletes, and
-- leave cancelled attempts out.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
-- Start from empty tables whatever ran before; the rollback at the end restores them.
delete from public.model_selections;

select plan(8);

create function pg_temp.rollup_matches() returns boolean language sql as $$
  select not exists (
    (select user_id, task_type, model_name, approach, attempts, successes, round(delivered, 6),
       duration_ms_sum, cost_usd_sum
     from public.model_stats_by_user where attempts <> 0)
    except
    (select user_id, task_type, model_name, approach, count(*), count(*) filter (where success),
       round(coalesce(sum(quality_score) filter (where success), 0) / 100, 6), sum(duration_ms), sum(cost_usd)
     from public.model_performance where error_class is distinct from 'cancelled'
     group by user_id, task_type, model_name, approach)
  ) and not exists (
    (select task_type, model_name, approach, count(*), count(*) filter (where success)
     from public.model_performance where error_class is distinct from 'cancelled'
     group by task_type, model_name, approach)
    except
    (select task_type, model_name, approach, attempts, successes from public.model_stats where attempts <> 0)
  )
$$;

insert into public.model_selections (user_id, request_id, task_type, task_profile, mode) values
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000001', 'generation', '{}', 'hedged'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000001', 'generation', '{}', 'sequential');
insert into public.model_performance (user_id, request_id, task_type, request_complexity, model_name, provider,
  approach, quality_score, success, error_class, duration_ms, cost_usd) values
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000001', 'generation', 'high',
   'gemini-2.5-pro', 'gemini', 'simple', 90, true, null, 1000, 0.01),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000001', 'generation', 'high',
   'gemini-2.5-flash', 'gemini', 'simple', null, false, 'cancelled', 300, 0.001),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000001', 'generation', 'high',
   'gemini-2.5-flash', 'gemini', 'simple', null, false, 'server', 200, 0),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000001', 'generation', 'low',
   'gemini-2.5-pro', 'gemini', 'simple', 70, true, null, 800, 0.02);

select ok(pg_temp.rollup_matches(), 'inserts: the rollups match the attempts');
select is((select attempts from public.model_stats where task_type = 'generation' and model_name = 'gemini-2.5-pro' and approach = 'simple'), 2::bigint,
  'everyone''s rollup counts both users');
select is((select delivered from public.model_stats where task_type = 'generation' and model_name = 'gemini-2.5-pro' and approach = 'simple'), 1.6,
  'delivered quality adds up (0.9 + 0.7)');
select is((select attempts from public.model_stats where task_type = 'generation' and model_name = 'gemini-2.5-flash' and approach = 'simple'), 1::bigint,
  'the cancelled attempt is left out, the failed one counts');

update public.model_performance set quality_score = 50 where model_name = 'gemini-2.5-pro'
  and user_id = 'bbbbbbbb-0000-4000-8000-000000000000';
select ok(pg_temp.rollup_matches(), 'updates: the rollups follow');

delete from public.model_selections where user_id = 'aaaaaaaa-0000-4000-8000-000000000000';
select ok(pg_temp.rollup_matches(), 'deletes (cascading from the request): the rollups follow');
select is((select attempts from public.model_stats_by_user where user_id = 'aaaaaaaa-0000-4000-8000-000000000000'
  and task_type = 'generation' and model_name = 'gemini-2.5-pro' and approach = 'simple'), 0::bigint, 'a deleted user''s rollup is back to zero');
select is((select model_name from public.get_best_model_for_task('bbbbbbbb-0000-4000-8000-000000000000', 'generation') where rank = 1),
  'gemini-2.5-pro', 'the ranking reads what is left');

select * from finish();
rollback;
