-- Per-user settings (default quality tier, preferring local models, a monthly budget) and the spend
-- they are held to. Spending is reserve-then-settle: before any model is called, the request reserves
-- what it may cost at most, under a lock on the user's month, so concurrent requests cannot together
-- exceed the budget; after it, the real cost replaces the reservation. Months are calendar months in UTC.

create table public.user_settings (
  user_id uuid primary key,
  default_tier text not null default 'balanced' check (default_tier in ('premium', 'balanced', 'budget')),
  prefer_local boolean not null default false,
  -- null: no limit
  monthly_budget_usd numeric(12, 6) check (monthly_budget_usd >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.user_settings is
  'Per user: the default quality tier, whether to prefer local models, and the monthly budget in USD '
  '(null: no limit). Users edit their tier and prefer_local; only the service side sets budgets.';

create trigger user_settings_touch_updated_at before update on public.user_settings
  for each row execute function public.touch_updated_at();

-- One row per user and month: what was spent (settled) and what running requests hold (reserved).
create table public.spend_monthly (
  user_id uuid not null,
  month date not null check (month = date_trunc('month', month)::date),
  spent_usd numeric(14, 6) not null default 0 check (spent_usd >= 0),
  reserved_usd numeric(14, 6) not null default 0 check (reserved_usd >= 0),
  primary key (user_id, month)
);

comment on table public.spend_monthly is
  'Per user and calendar month (UTC): settled spend and the reservations of requests still running.';

-- One row per request that spent or reserved: the audit trail behind spend_monthly.
create table public.spend_ledger (
  id bigint generated always as identity primary key,
  user_id uuid not null,
  request_id uuid not null unique,
  month date not null,
  reserved_usd numeric(14, 6) not null default 0 check (reserved_usd >= 0),
  -- the real cost once settled; an expired reservation is charged in full until its request settles
  spent_usd numeric(14, 6) check (spent_usd >= 0),
  status text not null check (status in ('reserved', 'settled', 'expired')),
  created_at timestamptz not null default now(),
  settled_at timestamptz,
  check ((status = 'reserved') = (spent_usd is null))
);

comment on table public.spend_ledger is
  'One row per request that reserved or spent: reserved (running), settled (real cost), or expired (a '
  'request that never settled, charged its whole reservation).';

create index spend_ledger_user_month_idx on public.spend_ledger (user_id, month, status);
-- Expiring stale reservations.
create index spend_ledger_reserved_idx on public.spend_ledger (created_at) where status = 'reserved';

alter table public.user_settings enable row level security;
alter table public.spend_monthly enable row level security;
alter table public.spend_ledger enable row level security;

create policy "users read their own settings" on public.user_settings
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "users create their own settings" on public.user_settings
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "users change their own settings" on public.user_settings
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "users read their own monthly spend" on public.spend_monthly
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "users read their own ledger" on public.spend_ledger
  for select to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.user_settings, public.spend_monthly, public.spend_ledger
  from public, anon, authenticated;
-- A user chooses their tier and local preference; the budget column is not theirs to write.
grant select on table public.user_settings, public.spend_monthly, public.spend_ledger to authenticated;
grant insert (user_id, default_tier, prefer_local), update (default_tier, prefer_local)
  on table public.user_settings to authenticated;
grant select, insert, update, delete on table public.user_settings, public.spend_monthly, public.spend_ledger
  to service_role;
revoke all on sequence public.spend_ledger_id_seq from public, anon, authenticated;
grant usage on sequence public.spend_ledger_id_seq to service_role;

create view public.budget_status with (security_invoker = true) as
select
  m.user_id,
  m.month,
  s.monthly_budget_usd,
  m.spent_usd,
  m.reserved_usd,
  -- greatest() skips nulls: without a budget, nothing is "remaining", there is no limit
  case when s.monthly_budget_usd is not null
    then greatest(s.monthly_budget_usd - m.spent_usd - m.reserved_usd, 0) end as remaining_usd
from public.spend_monthly m
left join public.user_settings s on s.user_id = m.user_id;

comment on view public.budget_status is
  'Per user and month: the budget, settled spend, running reservations and what is left (null: no limit).';

revoke all on table public.budget_status from public, anon, authenticated;
grant select on table public.budget_status to authenticated, service_role;

-- The month a moment belongs to.
create function public.spend_month(p_at timestamptz)
returns date
language sql
immutable
set search_path = ''
as $$ select date_trunc('month', p_at at time zone 'UTC')::date $$;

-- The user's row for a month, created if missing and locked until the transaction ends: every change
-- to a user's spend goes through this lock, month row before ledger rows, so they never deadlock.
create function public.lock_spend_month(p_user_id uuid, p_month date)
returns public.spend_monthly
language plpgsql
set search_path = ''
as $$
declare
  locked public.spend_monthly;
begin
  insert into public.spend_monthly (user_id, month) values (p_user_id, p_month) on conflict do nothing;
  select * into locked from public.spend_monthly where user_id = p_user_id and month = p_month for update;
  return locked;
end;
$$;

-- A reservation older than this belongs to a request that died before settling (the platform ends a
-- request within 400 s; writes are retried for about a minute after).
create function public.stale_reservation_age()
returns interval
language sql
immutable
set search_path = ''
as $$ select interval '15 minutes' $$;

-- Charges stale reservations of one user and month in full (the request may have spent all of it).
-- Call with the month row locked.
create function public.expire_reservations(p_user_id uuid, p_month date)
returns void
language plpgsql
set search_path = ''
as $$
declare
  charged numeric;
begin
  with expired as (
    update public.spend_ledger
    set status = 'expired', spent_usd = reserved_usd, settled_at = now()
    where user_id = p_user_id and month = p_month and status = 'reserved'
      and created_at < now() - public.stale_reservation_age()
    returning reserved_usd
  )
  select coalesce(sum(reserved_usd), 0) into charged from expired;
  if charged > 0 then
    update public.spend_monthly
    set reserved_usd = reserved_usd - charged, spent_usd = spent_usd + charged
    where user_id = p_user_id and month = p_month;
  end if;
end;
$$;

-- For a scheduled job (pg_cron): expires stale reservations of every user and month.
create function public.expire_stale_reservations()
returns integer
language plpgsql
set search_path = ''
as $$
declare
  stale record;
  months integer := 0;
begin
  for stale in
    select distinct user_id, month from public.spend_ledger
    where status = 'reserved' and created_at < now() - public.stale_reservation_age()
    order by user_id, month
  loop
    perform public.lock_spend_month(stale.user_id, stale.month);
    perform public.expire_reservations(stale.user_id, stale.month);
    months := months + 1;
  end loop;
  return months;
end;
$$;

-- The user's budget this month as JSON: {month, monthlyBudgetUsd, spentUsd, reservedUsd, remainingUsd};
-- null fields in budget and remaining mean no limit.
create function public.budget_snapshot(p_user_id uuid, p_month date)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'month', p_month,
    'monthlyBudgetUsd', s.monthly_budget_usd,
    'spentUsd', coalesce(m.spent_usd, 0),
    'reservedUsd', coalesce(m.reserved_usd, 0),
    'remainingUsd', case when s.monthly_budget_usd is not null
      then greatest(s.monthly_budget_usd - coalesce(m.spent_usd, 0) - coalesce(m.reserved_usd, 0), 0) end
  )
  from (select 1) as one
  left join public.user_settings s on s.user_id = p_user_id
  left join public.spend_monthly m on m.user_id = p_user_id and m.month = p_month
$$;

-- Reserves p_amount_usd for a request if the user's budget this month has room for it. Returns the
-- budget snapshot with "reserved": true or false. A user without a budget always gets the reservation.
create function public.reserve_spend(p_user_id uuid, p_request_id uuid, p_amount_usd numeric)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  this_month date := public.spend_month(now());
  locked public.spend_monthly;
  budget numeric;
begin
  if p_amount_usd is null or p_amount_usd < 0 then
    raise exception 'reserve_spend: the amount must be ≥ 0' using errcode = '22023';
  end if;
  perform public.lock_spend_month(p_user_id, this_month);
  perform public.expire_reservations(p_user_id, this_month);
  select * into locked from public.spend_monthly where user_id = p_user_id and month = this_month;
  select monthly_budget_usd into budget from public.user_settings where user_id = p_user_id;
  if budget is not null and locked.spent_usd + locked.reserved_usd + p_amount_usd > budget then
    return public.budget_snapshot(p_user_id, this_month) || '{"reserved": false}';
  end if;
  insert into public.spend_ledger (user_id, request_id, month, reserved_usd, status)
  values (p_user_id, p_request_id, this_month, p_amount_usd, 'reserved');
  update public.spend_monthly set reserved_usd = reserved_usd + p_amount_usd
  where user_id = p_user_id and month = this_month;
  return public.budget_snapshot(p_user_id, this_month) || '{"reserved": true}';
end;
$$;

-- Replaces a request's reservation with its real cost, or records the spend of a request that reserved
-- nothing. Idempotent: a request settles once.
create function public.settle_spend(p_user_id uuid, p_request_id uuid, p_spent_usd numeric)
returns void
language plpgsql
set search_path = ''
as $$
declare
  entry public.spend_ledger;
  entry_month date;
begin
  select month into entry_month from public.spend_ledger where request_id = p_request_id;
  perform public.lock_spend_month(p_user_id, coalesce(entry_month, public.spend_month(now())));
  select * into entry from public.spend_ledger where request_id = p_request_id for update;
  if not found then
    insert into public.spend_ledger (user_id, request_id, month, spent_usd, status, settled_at)
    values (p_user_id, p_request_id, public.spend_month(now()), p_spent_usd, 'settled', now());
    update public.spend_monthly set spent_usd = spent_usd + p_spent_usd
    where user_id = p_user_id and month = public.spend_month(now());
  elsif entry.status = 'reserved' then
    update public.spend_ledger set status = 'settled', spent_usd = p_spent_usd, settled_at = now()
    where id = entry.id;
    update public.spend_monthly
    set reserved_usd = reserved_usd - entry.reserved_usd, spent_usd = spent_usd + p_spent_usd
    where user_id = entry.user_id and month = entry.month;
  elsif entry.status = 'expired' then
    -- the expiry charged the whole reservation: charge the real cost instead
    update public.spend_ledger set status = 'settled', spent_usd = p_spent_usd, settled_at = now()
    where id = entry.id;
    update public.spend_monthly set spent_usd = spent_usd - entry.spent_usd + p_spent_usd
    where user_id = entry.user_id and month = entry.month;
  end if;
end;
$$;

-- Gives a reservation back when its request ended before calling any model.
create function public.release_spend(p_user_id uuid, p_request_id uuid)
returns void
language sql
set search_path = ''
as $$ select public.settle_spend(p_user_id, p_request_id, 0) $$;

revoke all on function public.spend_month(timestamptz), public.lock_spend_month(uuid, date),
  public.stale_reservation_age(), public.expire_reservations(uuid, date), public.expire_stale_reservations(),
  public.budget_snapshot(uuid, date), public.reserve_spend(uuid, uuid, numeric),
  public.settle_spend(uuid, uuid, numeric), public.release_spend(uuid, uuid)
  from public, anon, authenticated;
-- The outer functions run with the caller's rights, so the service side needs the inner ones too.
grant execute on function public.spend_month(timestamptz), public.lock_spend_month(uuid, date),
  public.stale_reservation_age(), public.expire_reservations(uuid, date), public.expire_stale_reservations(),
  public.budget_snapshot(uuid, date), public.reserve_spend(uuid, uuid, numeric),
  public.settle_spend(uuid, uuid, numeric), public.release_spend(uuid, uuid)
  to service_role;
