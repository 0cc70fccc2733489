-- Limits counted in Postgres, so every function instance sees them: a user's requests a minute and at
-- once (admit_request, finish_request, record_orchestration), and the project's monthly spend cap
-- (reserve_spend, budget_snapshot).
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
delete from public.request_admissions;
update public.project_settings set requests_per_minute = 3, concurrent_requests = 2, monthly_budget_usd = null;

select plan(16);

create function pg_temp.admit(p_user text, p_request text) returns jsonb language sql as $$
  select public.admit_request(p_user::uuid, p_request::uuid)
$$;

-- Concurrency: two at once; a finished request frees its place.
select is(pg_temp.admit('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000001'),
  '{"admitted": true}'::jsonb, 'a first request is admitted');
select is(pg_temp.admit('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000002')
  ->> 'admitted', 'true', 'a second one too');
select is(pg_temp.admit('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000003')
  - 'retryAfterSeconds', '{"admitted": false, "reason": "too_many_concurrent_requests", "limit": 2}'::jsonb,
  'a third while two run is refused');
select is(pg_temp.admit('b0000000-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000001')
  ->> 'admitted', 'true', 'another user is not held by the first one''s requests');
select from public.finish_request('a0000000-0000-4000-8000-000000000001');
select is(pg_temp.admit('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000004')
  ->> 'admitted', 'true', 'once one finished, the next is admitted');

-- Rate: three a minute, refused ones not counted; the wait is until the oldest leaves the minute.
select from public.finish_request('a0000000-0000-4000-8000-000000000002');
select from public.finish_request('a0000000-0000-4000-8000-000000000004');
select results_eq(
  $$select p ->> 'reason', (p ->> 'retryAfterSeconds')::int between 1 and 60
    from pg_temp.admit('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000005') as p$$,
  $$values ('rate_limited', true)$$, 'a fourth request within the minute is rate limited, with a wait');
update public.request_admissions set admitted_at = now() - interval '61 seconds'
where request_id = 'a0000000-0000-4000-8000-000000000001';
select is(pg_temp.admit('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000006')
  ->> 'admitted', 'true', 'when the oldest leaves the minute, there is room');

-- A request that died without finishing stops counting after the stale age.
update public.project_settings set requests_per_minute = null;
update public.request_admissions set admitted_at = now() - interval '11 minutes', finished_at = null
where user_id = 'a0000000-0000-4000-8000-000000000000';
select is(pg_temp.admit('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000007')
  ->> 'admitted', 'true', 'requests older than the stale age no longer hold a place');

-- Recording a request's rows frees its place.
update public.project_settings set concurrent_requests = 1;
select is(pg_temp.admit('b0000000-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000002')
  ->> 'admitted', 'false', 'one at a time: the second is refused');
select from public.record_orchestration(
  '{"user_id": "b0000000-0000-4000-8000-000000000000", "request_id": "b0000000-0000-4000-8000-000000000001",
    "task_type": "generation", "task_profile": {}, "mode": "sequential"}', '[]');
select is(pg_temp.admit('b0000000-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000003')
  ->> 'admitted', 'true', 'record_orchestration frees the place');
update public.request_admissions set admitted_at = now() - interval '2 hours'
where request_id = 'a0000000-0000-4000-8000-000000000007';
select from pg_temp.admit('a0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000008');
select is((select count(*)::int from public.request_admissions
  where request_id = 'a0000000-0000-4000-8000-000000000007'), 0, 'admissions older than an hour are cleared');

-- The project's cap holds across users, with the same reserve-and-settle: 1 USD more than the project
-- has spent this month so far (other tests' rows stay in this database).
update public.project_settings set monthly_budget_usd = public.project_spend(public.spend_month(now())) + 1,
  concurrent_requests = 10;
select is((public.reserve_spend('c0000000-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-000000000001', 0.6)
  ->> 'reserved')::boolean, true, 'a first user reserves 0.6 of the project''s 1 USD');
select results_eq(
  $$select p ->> 'reserved', p ->> 'limitedBy', (p ->> 'projectRemainingUsd')::numeric
    from public.reserve_spend('d0000000-0000-4000-8000-000000000000', 'd0000000-0000-4000-8000-000000000001', 0.5) p$$,
  $$values ('false', 'project', 0.4::numeric)$$,
  'another user without a budget of their own is held to what the project has left');
select from public.settle_spend('c0000000-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-000000000001', 0.1);
select is((public.reserve_spend('d0000000-0000-4000-8000-000000000000', 'd0000000-0000-4000-8000-000000000002', 0.5)
  ->> 'reserved')::boolean, true, 'settling for less frees the rest of the reservation for everyone');
select is((public.budget_snapshot('e0000000-0000-4000-8000-000000000000', public.spend_month(now()))
  ->> 'projectRemainingUsd')::numeric, 0.4::numeric, 'every user''s snapshot shows what the project has left');
update public.project_settings set monthly_budget_usd = null;
select is(public.budget_snapshot('e0000000-0000-4000-8000-000000000000', public.spend_month(now()))
  -> 'projectRemainingUsd', 'null'::jsonb, 'without a cap, nothing is said of the project');

select * from finish();
rollback;
