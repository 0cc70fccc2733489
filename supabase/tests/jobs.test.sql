-- Jobs in SQL: idempotent creation (24 h per key and user, another body refused), progress that beats and
-- marks a job running, an end that never overwrites a cancel, cancelling, the sweep of jobs whose worker
-- stopped (failed, reservation charged in full, admission freed), RLS, and a user's own statistics.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(22);

select has_table('public', 'jobs', 'jobs exists');
select is((select relrowsecurity from pg_class where oid = 'public.jobs'::regclass), true, 'RLS is on for jobs');

create function pg_temp.create(p_request text, p_hash text, p_key text) returns jsonb language sql as $$
  select public.create_job('a0000000-0000-4000-8000-000000000000', p_request::uuid, '{"request": "x"}', p_hash, p_key)
$$;

select is((pg_temp.create('a0000000-0000-4000-8000-000000000001', 'h1', 'key-1') ->> 'created')::boolean, true,
  'a new key creates a job');
select is(pg_temp.create('a0000000-0000-4000-8000-000000000002', 'h1', 'key-1') #>> '{job,request_id}',
  'a0000000-0000-4000-8000-000000000001', 'the same key and body return the first job');
select is((pg_temp.create('a0000000-0000-4000-8000-000000000003', 'h2', 'key-1') ->> 'conflict')::boolean, true,
  'the same key with another body is a conflict');
select is((public.create_job('b0000000-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000001',
  '{}', 'h2', 'key-1') ->> 'created')::boolean, true, 'keys are per user');
update public.jobs set created_at = now() - interval '25 hours' where request_id = 'a0000000-0000-4000-8000-000000000001';
select is((pg_temp.create('a0000000-0000-4000-8000-000000000004', 'h2', 'key-1') ->> 'created')::boolean, true,
  'after 24 h a key may be used again');
select is((pg_temp.create('a0000000-0000-4000-8000-000000000005', 'h3', null) ->> 'created')::boolean, true,
  'a job without a key');

create function pg_temp.job(p_request text) returns uuid language sql as $$
  select id from public.jobs where request_id = p_request::uuid
$$;

select is(public.job_progress(pg_temp.job('a0000000-0000-4000-8000-000000000004'), '[{"type": "profile"}]'),
  'running', 'progress marks a queued job running');
select public.job_progress(pg_temp.job('a0000000-0000-4000-8000-000000000004'), '[{"type": "plan"}]');
select results_eq(
  $$select jsonb_path_query_array(events, '$[*].type'), heartbeat_at is not null from public.jobs
    where request_id = 'a0000000-0000-4000-8000-000000000004'$$,
  $$values ('["profile", "plan"]'::jsonb, true)$$, 'events are appended in order, with a heartbeat');
select is(public.finish_job(pg_temp.job('a0000000-0000-4000-8000-000000000004'), 'succeeded',
  '[{"type": "attempt.finished"}]', '{"qualityScore": 90}', null), true, 'a running job finishes');
select results_eq(
  $$select status, jsonb_array_length(events), result ->> 'qualityScore', finished_at is not null
    from public.jobs where request_id = 'a0000000-0000-4000-8000-000000000004'$$,
  $$values ('succeeded'::text, 3, '90'::text, true)$$, 'with its last events and its result');
select throws_ok($$select public.finish_job(pg_temp.job('a0000000-0000-4000-8000-000000000005'), 'running',
  '[]', null, null)$$, '22023', null, 'a job finishes succeeded or failed');

select is(public.cancel_job('a0000000-0000-4000-8000-000000000000', pg_temp.job('a0000000-0000-4000-8000-000000000005')),
  'cancelled', 'a user cancels their queued job');
select is(public.finish_job(pg_temp.job('a0000000-0000-4000-8000-000000000005'), 'failed', '[]', null, '{}'), false,
  'the worker''s end does not overwrite a cancel');
select is(public.cancel_job('a0000000-0000-4000-8000-000000000000', pg_temp.job('a0000000-0000-4000-8000-000000000004')),
  'finished', 'a finished job cannot be cancelled');
select is(public.cancel_job('b0000000-0000-4000-8000-000000000000', pg_temp.job('a0000000-0000-4000-8000-000000000001')),
  'not_found', 'nor another user''s');

-- A job whose worker stopped beating: failed by the sweep, its reservation charged, its admission freed.
insert into public.user_settings (user_id, monthly_budget_usd) values ('c0000000-0000-4000-8000-000000000000', 10);
select public.admit_request('c0000000-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-000000000001');
select public.reserve_spend('c0000000-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-000000000001', 0.5);
select public.create_job('c0000000-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-000000000001', '{}', 'h', null);
select public.job_progress(pg_temp.job('c0000000-0000-4000-8000-000000000001'));
update public.jobs set heartbeat_at = now() - interval '61 seconds'
where request_id = 'c0000000-0000-4000-8000-000000000001';
select is(public.expire_stale_jobs(), 2, 'the sweep fails the jobs whose worker stopped: one never started, one stopped beating');
select results_eq(
  $$select j.status, j.error #>> '{error,code}', l.status, l.spent_usd, m.reserved_usd, a.finished_at is not null
    from public.jobs j
    join public.spend_ledger l on l.request_id = j.request_id
    join public.spend_monthly m on m.user_id = j.user_id and m.month = l.month
    join public.request_admissions a on a.request_id = j.request_id
    where j.request_id = 'c0000000-0000-4000-8000-000000000001'$$,
  $$values ('failed'::text, 'worker_lost'::text, 'expired'::text, 0.500000::numeric, 0.000000::numeric, true)$$,
  'failed, its reservation charged in full, nothing left reserved, its place freed');
select is(public.expire_stale_jobs(), 0, 'a job is swept once');

select set_config('request.jwt.claims', '{"sub": "a0000000-0000-4000-8000-000000000000", "role": "authenticated"}', true);
set local role authenticated;
select is((select count(*) from public.jobs), 3::bigint, 'a user reads their own jobs only');
select throws_ok($$select public.create_job('a0000000-0000-4000-8000-000000000000', gen_random_uuid(), '{}', 'h', null)$$,
  '42501', null, 'users do not create jobs in SQL');

select * from finish();
rollback;
