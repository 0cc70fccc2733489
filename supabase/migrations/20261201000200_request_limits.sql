-- Limits that hold across every function instance, because they are counted here: per user, how many
-- requests a minute and how many at once (project_settings.requests_per_minute, concurrent_requests);
-- for the whole project, an optional monthly spend cap (project_settings.monthly_budget_usd), held with
-- the same reserve-and-settle as user budgets.

create table public.request_admissions (
  request_id uuid primary key,
  user_id uuid not null,
  admitted_at timestamptz not null default now(),
  -- set when the request's rows are recorded (or it ended without any)
  finished_at timestamptz
);

comment on table public.request_admissions is
  'One row per admitted request of the last hour: when it was admitted and when it finished; the per-user '
  'rate and concurrency limits count these.';

create index request_admissions_user_idx on public.request_admissions (user_id, admitted_at desc);

alter table public.request_admissions enable row level security;
-- no policy: only the service side reads and writes it
revoke all on table public.request_admissions from public, anon, authenticated;
grant select, insert, update, delete on table public.request_admissions to service_role;

-- A request running longer than this has died without finishing (the platform ends one within 400 s).
create function public.stale_request_age()
returns interval
language sql
immutable
set search_path = ''
as $$ select interval '10 minutes' $$;

-- Admits a request of a user, or says why not: {"admitted": true}, or {"admitted": false, "reason":
-- "rate_limited" | "too_many_concurrent_requests", "limit": n, "retryAfterSeconds": s}. One user's
-- admissions are serialized, so concurrent requests cannot slip past a limit together.
create function public.admit_request(p_user_id uuid, p_request_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  settings public.project_settings := (select s from public.project_settings s);
  recent integer;
  oldest timestamptz;
  running integer;
begin
  perform pg_advisory_xact_lock(hashtextextended('admission:' || p_user_id::text, 0));
  delete from public.request_admissions where user_id = p_user_id and admitted_at < now() - interval '1 hour';
  if settings.requests_per_minute is not null then
    select count(*), min(r.admitted_at) into recent, oldest
    from (
      select a.admitted_at from public.request_admissions a
      where a.user_id = p_user_id and a.admitted_at > now() - interval '1 minute'
      order by a.admitted_at desc
      limit settings.requests_per_minute
    ) as r;
    if recent >= settings.requests_per_minute then
      return jsonb_build_object('admitted', false, 'reason', 'rate_limited',
        'limit', settings.requests_per_minute,
        'retryAfterSeconds', greatest(1, ceil(extract(epoch from oldest + interval '1 minute' - now()))));
    end if;
  end if;
  if settings.concurrent_requests is not null then
    select count(*) into running from public.request_admissions a
    where a.user_id = p_user_id and a.finished_at is null
      and a.admitted_at > now() - public.stale_request_age();
    if running >= settings.concurrent_requests then
      return jsonb_build_object('admitted', false, 'reason', 'too_many_concurrent_requests',
        'limit', settings.concurrent_requests, 'retryAfterSeconds', 5);
    end if;
  end if;
  insert into public.request_admissions (request_id, user_id) values (p_request_id, p_user_id)
  on conflict (request_id) do nothing;
  return jsonb_build_object('admitted', true);
end;
$$;

-- Frees a request's place among the user's running requests.
create function public.finish_request(p_request_id uuid)
returns void
language sql
set search_path = ''
as $$
  update public.request_admissions set finished_at = now() where request_id = p_request_id and finished_at is null
$$;

revoke all on function public.stale_request_age(), public.admit_request(uuid, uuid), public.finish_request(uuid)
  from public, anon, authenticated;
grant execute on function public.stale_request_age(), public.admit_request(uuid, uuid), public.finish_request(uuid)
  to service_role;

-- The project's spend this month, across users: what is spent and what running requests hold. Read only
-- when a project cap is set.
create index spend_monthly_month_idx on public.spend_monthly (month) include (spent_usd, reserved_usd);

create function public.project_spend(p_month date)
returns numeric
language sql
stable
set search_path = ''
as $$
  select coalesce(sum(m.spent_usd + m.reserved_usd), 0) from public.spend_monthly m where m.month = p_month
$$;

-- The user's budget this month as JSON: {month, monthlyBudgetUsd, spentUsd, reservedUsd, remainingUsd,
-- projectRemainingUsd}; null budget and remaining fields mean no limit.
create or replace function public.budget_snapshot(p_user_id uuid, p_month date)
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
      then greatest(s.monthly_budget_usd - coalesce(m.spent_usd, 0) - coalesce(m.reserved_usd, 0), 0) end,
    'projectRemainingUsd', case when p.monthly_budget_usd is not null
      then greatest(p.monthly_budget_usd - public.project_spend(p_month), 0) end
  )
  from public.project_settings p
  left join public.user_settings s on s.user_id = p_user_id
  left join public.spend_monthly m on m.user_id = p_user_id and m.month = p_month
$$;

-- Reserves p_amount_usd for a request if the user's budget and the project's cap this month have room for
-- it. Returns the budget snapshot with "reserved": true or false, and, when refused, "limitedBy": "user"
-- or "project". With a project cap, reservations are serialized project-wide (settling runs freely: it
-- only frees room).
create or replace function public.reserve_spend(p_user_id uuid, p_request_id uuid, p_amount_usd numeric)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  this_month date := public.spend_month(now());
  locked public.spend_monthly;
  budget numeric;
  project_cap numeric := (select monthly_budget_usd from public.project_settings);
begin
  if p_amount_usd is null or p_amount_usd < 0 then
    raise exception 'reserve_spend: the amount must be ≥ 0' using errcode = '22023';
  end if;
  perform public.lock_spend_month(p_user_id, this_month);
  perform public.expire_reservations(p_user_id, this_month);
  select * into locked from public.spend_monthly where user_id = p_user_id and month = this_month;
  select monthly_budget_usd into budget from public.user_settings where user_id = p_user_id;
  if budget is not null and locked.spent_usd + locked.reserved_usd + p_amount_usd > budget then
    return public.budget_snapshot(p_user_id, this_month) || '{"reserved": false, "limitedBy": "user"}';
  end if;
  if project_cap is not null then
    perform pg_advisory_xact_lock(hashtextextended('project-spend', 0));
    if public.project_spend(this_month) + p_amount_usd > project_cap then
      return public.budget_snapshot(p_user_id, this_month) || '{"reserved": false, "limitedBy": "project"}';
    end if;
  end if;
  insert into public.spend_ledger (user_id, request_id, month, reserved_usd, status)
  values (p_user_id, p_request_id, this_month, p_amount_usd, 'reserved');
  update public.spend_monthly set reserved_usd = reserved_usd + p_amount_usd
  where user_id = p_user_id and month = this_month;
  return public.budget_snapshot(p_user_id, this_month) || '{"reserved": true}';
end;
$$;

-- As before (20261122000500), and the request's place among the user's running requests is freed.
create or replace function public.record_orchestration(p_selection jsonb, p_attempts jsonb)
returns void
language plpgsql
set search_path = ''
as $$
declare
  recorded uuid;
  requester uuid;
  spent numeric;
begin
  perform public.finish_request((p_selection ->> 'request_id')::uuid);
  insert into public.model_selections (user_id, request_id, task_type, task_profile, selected_model,
    selected_provider, selected_approach, alternative_models, quality_score, mode, tier, explored, was_optimal)
  select user_id, request_id, task_type, task_profile, selected_model, selected_provider, selected_approach,
    coalesce(alternative_models, '{}'), quality_score, mode, tier, coalesce(explored, false), was_optimal
  -- populate_record leaves absent keys null, so the columns with defaults get them here
  from jsonb_populate_record(null::public.model_selections, p_selection)
  on conflict (request_id) do nothing
  returning request_id, user_id into recorded, requester;
  if recorded is null then
    return;
  end if;

  insert into public.model_performance (user_id, request_id, task_type, request_complexity, model_name,
    provider, approach, quality_score, quality_breakdown, success, error_class, duration_ms, input_tokens,
    output_tokens, cost_usd, file_count, metadata)
  select requester, recorded, a.task_type, a.request_complexity, a.model_name, a.provider, a.approach,
    a.quality_score, a.quality_breakdown, a.success, a.error_class, a.duration_ms,
    coalesce(a.input_tokens, 0), coalesce(a.output_tokens, 0), coalesce(a.cost_usd, 0),
    coalesce(a.file_count, 0), coalesce(a.metadata, '{}')
  from jsonb_populate_recordset(null::public.model_performance, p_attempts) as a;

  select coalesce(sum(a.cost_usd), 0) into spent
  from jsonb_populate_recordset(null::public.model_performance, p_attempts) as a;
  perform public.settle_spend(requester, recorded, spent);
end;
$$;

revoke all on function public.project_spend(date) from public, anon, authenticated;
grant execute on function public.project_spend(date) to service_role;
