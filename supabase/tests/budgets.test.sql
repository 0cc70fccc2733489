-- Settings and budgets: who may change what, reserve-then-settle, expiry of reservations that never
-- settled, month rollover, and recording a request's outcome with its spend. (Concurrency is tested
-- from tests/budgets.test.ts, with real concurrent connections.)
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(33);

select has_table('public', 'user_settings', 'user_settings exists');
select has_table('public', 'spend_monthly', 'spend_monthly exists');
select has_table('public', 'spend_ledger', 'spend_ledger exists');
select is((select bool_and(relrowsecurity) from pg_class where oid in ('public.user_settings'::regclass,
  'public.spend_monthly'::regclass, 'public.spend_ledger'::regclass)), true, 'RLS is on for settings and spend');
select is((select reloptions from pg_class where oid = 'public.budget_status'::regclass),
  array['security_invoker=true'], 'budget_status is security_invoker');
select ok((select bool_and(proconfig @> array['search_path=""']) from pg_proc
  where pronamespace = 'public'::regnamespace and proname in ('reserve_spend', 'settle_spend', 'release_spend',
    'record_orchestration', 'planning_context', 'expire_stale_reservations', 'lock_spend_month',
    'expire_reservations', 'budget_snapshot', 'spend_month', 'touch_updated_at')),
  'the budget functions pin search_path to empty');

-- A user with a budget of 1 USD a month, and one without a budget.
insert into public.user_settings (user_id, monthly_budget_usd)
values ('a0000000-0000-4000-8000-000000000000', 1.00);

create function pg_temp.reserve(p_request text, p_amount numeric) returns jsonb language sql as $$
  select public.reserve_spend('a0000000-0000-4000-8000-000000000000', p_request::uuid, p_amount)
$$;

select is((pg_temp.reserve('00000000-0000-4000-8000-000000000001', 0.40) ->> 'reserved')::boolean, true,
  'a reservation within the budget is granted');
select is((pg_temp.reserve('00000000-0000-4000-8000-000000000002', 0.70) ->> 'reserved')::boolean, false,
  'a reservation beyond what is left is refused');
select is(pg_temp.reserve('00000000-0000-4000-8000-000000000003', 0.60) - 'month',
  '{"reserved": true, "monthlyBudgetUsd": 1.000000, "spentUsd": 0.000000, "reservedUsd": 1.000000,
    "remainingUsd": 0.000000, "projectRemainingUsd": null}'::jsonb, 'exactly what is left can be reserved');
select is((select count(*) from public.spend_ledger where request_id = '00000000-0000-4000-8000-000000000002'),
  0::bigint, 'a refused reservation leaves no trace');

select public.settle_spend('a0000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000001', 0.10);
select results_eq(
  $$select spent_usd, reserved_usd from public.spend_monthly where user_id = 'a0000000-0000-4000-8000-000000000000'$$,
  $$values (0.100000::numeric, 0.600000::numeric)$$,
  'settling replaces the reservation with the real cost');
select public.settle_spend('a0000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000001', 0.10);
select results_eq(
  $$select spent_usd, reserved_usd from public.spend_monthly where user_id = 'a0000000-0000-4000-8000-000000000000'$$,
  $$values (0.100000::numeric, 0.600000::numeric)$$,
  'a request settles once');
select public.release_spend('a0000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000003');
select is((select remaining_usd from public.budget_status where user_id = 'a0000000-0000-4000-8000-000000000000'),
  0.900000::numeric, 'a released reservation is given back');

-- A reservation whose request died is charged in full after 15 minutes, until the request settles.
select pg_temp.reserve('00000000-0000-4000-8000-000000000004', 0.30);
update public.spend_ledger set created_at = now() - interval '16 minutes'
where request_id = '00000000-0000-4000-8000-000000000004';
select is((pg_temp.reserve('00000000-0000-4000-8000-000000000005', 0.60) ->> 'reserved')::boolean, true,
  'the next reservation expires the stale one first');
select results_eq(
  $$select status, spent_usd from public.spend_ledger where request_id = '00000000-0000-4000-8000-000000000004'$$,
  $$values ('expired'::text, 0.300000::numeric)$$,
  'an expired reservation is charged in full');
select is((pg_temp.reserve('00000000-0000-4000-8000-000000000006', 0.01) ->> 'reserved')::boolean, false,
  'and counts against the budget');
select public.settle_spend('a0000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000004', 0.05);
select results_eq(
  $$select spent_usd, reserved_usd from public.spend_monthly where user_id = 'a0000000-0000-4000-8000-000000000000'$$,
  $$values (0.150000::numeric, 0.600000::numeric)$$,
  'a late settlement charges the real cost instead');

-- Months roll over: last month's spend does not count against this month's budget.
insert into public.user_settings (user_id, monthly_budget_usd) values ('b0000000-0000-4000-8000-000000000000', 1);
insert into public.spend_monthly (user_id, month, spent_usd)
values ('b0000000-0000-4000-8000-000000000000', public.spend_month(now() - interval '1 month'), 5);
select results_eq(
  $$select (r ->> 'reserved')::boolean, (r ->> 'spentUsd')::numeric, r ->> 'month'
    from public.reserve_spend('b0000000-0000-4000-8000-000000000000', gen_random_uuid(), 0.5) as r$$,
  $$values (true, 0::numeric, date_trunc('month', now() at time zone 'UTC')::date::text)$$,
  'a new month starts from nothing');
select is(public.spend_month('2026-12-31 23:59:59+00'), '2026-12-01'::date, 'months are UTC calendar months');
select is(public.spend_month('2027-01-01 00:00:00+00'), '2027-01-01'::date, 'the next month begins at midnight UTC');

-- Without a budget every reservation is granted and nothing is "remaining".
select results_eq(
  $$select (r ->> 'reserved')::boolean, r -> 'remainingUsd', r -> 'monthlyBudgetUsd'
    from public.reserve_spend('c0000000-0000-4000-8000-000000000000', gen_random_uuid(), 1000) as r$$,
  $$values (true, 'null'::jsonb, 'null'::jsonb)$$,
  'a user without a budget is never refused');

-- Recording a request: its rows and its spend, once.
create function pg_temp.record() returns void language sql as $$
  select public.record_orchestration(
    '{"user_id": "a0000000-0000-4000-8000-000000000000", "request_id": "00000000-0000-4000-8000-000000000005",
      "task_type": "generation", "task_profile": {}, "selected_model": "gemini-2.5-flash",
      "selected_provider": "gemini", "selected_approach": "simple", "quality_score": 80, "mode": "sequential",
      "tier": "balanced", "explored": true, "was_optimal": true}',
    '[{"user_id": "a0000000-0000-4000-8000-000000000000", "request_id": "00000000-0000-4000-8000-000000000005",
       "task_type": "generation", "request_complexity": "low", "model_name": "gemini-2.5-flash",
       "provider": "gemini", "approach": "simple", "quality_score": 80, "success": true, "duration_ms": 900,
       "cost_usd": 0.02},
      {"user_id": "a0000000-0000-4000-8000-000000000000", "request_id": "00000000-0000-4000-8000-000000000005",
       "task_type": "generation", "request_complexity": "low", "model_name": "gemini-2.5-pro",
       "provider": "gemini", "approach": "simple", "success": false, "error_class": "timeout",
       "duration_ms": 5000, "cost_usd": 0.01}]')
$$;
select pg_temp.record();
select results_eq(
  $$select tier, explored from public.model_selections where request_id = '00000000-0000-4000-8000-000000000005'$$,
  $$values ('balanced'::text, true)$$, 'the selection row records the tier and the exploration');
select is((select count(*) from public.model_performance where request_id = '00000000-0000-4000-8000-000000000005'),
  2::bigint, 'one row per attempt');
select results_eq(
  $$select status, spent_usd from public.spend_ledger where request_id = '00000000-0000-4000-8000-000000000005'$$,
  $$values ('settled'::text, 0.030000::numeric)$$, 'its reservation is settled with the attempts'' costs');
select pg_temp.record();
select is((select count(*) from public.model_performance where request_id = '00000000-0000-4000-8000-000000000005'),
  2::bigint, 'recording again writes nothing twice');
select results_eq(
  $$select spent_usd, reserved_usd from public.spend_monthly where user_id = 'a0000000-0000-4000-8000-000000000000'
    and month = public.spend_month(now())$$,
  $$values (0.180000::numeric, 0.000000::numeric)$$, 'and settles nothing twice');

-- The scheduled expiry handles every user and month.
select public.reserve_spend('d0000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000009', 0.25);
update public.spend_ledger set created_at = now() - interval '1 hour'
where request_id = '00000000-0000-4000-8000-000000000009';
select is(public.expire_stale_reservations(), 1, 'expire_stale_reservations finds the stale month');
select is((select status from public.spend_ledger where request_id = '00000000-0000-4000-8000-000000000009'),
  'expired', 'and expires its reservation');

-- Who may change what: a user sets their tier and local preference, never their budget.
set local request.jwt.claims = '{"sub":"a0000000-0000-4000-8000-000000000000","role":"authenticated"}';
set local role authenticated;
select lives_ok($$update public.user_settings set default_tier = 'premium', prefer_local = true
  where user_id = 'a0000000-0000-4000-8000-000000000000'$$, 'a user changes their tier and local preference');
select throws_ok($$update public.user_settings set monthly_budget_usd = 1000
  where user_id = 'a0000000-0000-4000-8000-000000000000'$$, '42501', null, 'but not their budget');
select throws_ok($$insert into public.user_settings (user_id, default_tier)
  values ('e0000000-0000-4000-8000-000000000000', 'budget')$$, '42501', null,
  'nor anyone else''s settings');
select is((select count(*) from public.spend_ledger), 4::bigint, 'a user reads only their own ledger');
select throws_ok($$select public.reserve_spend('a0000000-0000-4000-8000-000000000000', gen_random_uuid(), 0)$$,
  '42501', null, 'a user cannot reserve spend directly');
reset role;

select * from finish();
rollback;
