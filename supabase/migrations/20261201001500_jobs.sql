-- Durable jobs: a request that runs in the background and whose progress and result outlive the client.
-- A job row holds the request, its progress events, its result or error, and a heartbeat its worker
-- writes; expire_stale_jobs (pg_cron) fails a job whose worker stopped beating and charges its reservation
-- in full, as stale reservations are charged. Plus user_stats, a user's own monitoring figures.

alter table public.project_settings
  -- a running job whose worker has not beaten for this long is failed by expire_stale_jobs
  add column job_stale_seconds integer not null default 60 check (job_stale_seconds between 1 and 3600);

create table public.jobs (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  -- the orchestration's request id: its rows and its reservation carry it
  request_id uuid not null unique,
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  request jsonb not null check (jsonb_typeof(request) = 'object'),
  -- a digest of the request, so that a retry with the same Idempotency-Key and another body is refused
  request_hash text not null,
  idempotency_key text check (length(idempotency_key) between 1 and 200),
  events jsonb not null default '[]' check (jsonb_typeof(events) = 'array'),
  result jsonb,
  -- {status, error: {code, message, details?}}, as the function answers a refused request
  error jsonb,
  heartbeat_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);

comment on table public.jobs is
  'Background requests: status (queued, running, succeeded, failed, cancelled), the progress events, the '
  'result or error, and the worker''s heartbeat. A user reads their own.';

create unique index jobs_idempotency_idx on public.jobs (user_id, idempotency_key) where idempotency_key is not null;
create index jobs_user_created_idx on public.jobs (user_id, created_at desc);
create index jobs_unfinished_idx on public.jobs (heartbeat_at) where status in ('queued', 'running');

alter table public.jobs enable row level security;
create policy "users read their own jobs" on public.jobs
  for select to authenticated using ((select auth.uid()) = user_id);
revoke all on table public.jobs from public, anon, authenticated;
grant select on table public.jobs to authenticated;
grant select, insert, update, delete on table public.jobs to service_role;

-- Realtime on a hosted project: a client may subscribe to its own job's row (RLS applies).
do $$
begin
  if exists (select from pg_publication where pubname = 'supabase_realtime') then
    alter publication supabase_realtime add table public.jobs;
  end if;
end;
$$;

-- Creates a job, or with an idempotency key returns the one created for the same key and user within
-- 24 h: {job, created} — or {conflict: true} when that job was created for another body.
create function public.create_job(
  p_user_id uuid, p_request_id uuid, p_request jsonb, p_request_hash text, p_idempotency_key text default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  existing public.jobs;
  created public.jobs;
begin
  if p_idempotency_key is not null then
    -- a key is good for 24 h: an older job gives its key up
    update public.jobs set idempotency_key = null
    where user_id = p_user_id and idempotency_key = p_idempotency_key and created_at < now() - interval '24 hours';
  end if;
  insert into public.jobs (user_id, request_id, request, request_hash, idempotency_key)
  values (p_user_id, p_request_id, p_request, p_request_hash, p_idempotency_key)
  on conflict (user_id, idempotency_key) where idempotency_key is not null do nothing
  returning * into created;
  if created.id is not null then
    return jsonb_build_object('job', to_jsonb(created), 'created', true);
  end if;
  select * into existing from public.jobs where user_id = p_user_id and idempotency_key = p_idempotency_key;
  if existing.request_hash <> p_request_hash then
    return jsonb_build_object('conflict', true, 'jobId', existing.id);
  end if;
  return jsonb_build_object('job', to_jsonb(existing), 'created', false);
end;
$$;

-- The worker's report: new events appended, the heartbeat written, a queued job marked running. Returns
-- the job's status, so that a worker learns when its job was cancelled.
create function public.job_progress(p_job_id uuid, p_events jsonb default '[]')
returns text
language sql
set search_path = ''
as $$
  update public.jobs
  set events = events || p_events, heartbeat_at = now(), updated_at = now(),
    status = case when status = 'queued' then 'running' else status end
  where id = p_job_id
  returning status
$$;

-- The job's end: its last events and its result or error. A job that already ended (cancelled, or failed
-- by the sweep) keeps its status; false then.
create function public.finish_job(p_job_id uuid, p_status text, p_events jsonb, p_result jsonb, p_error jsonb)
returns boolean
language plpgsql
set search_path = ''
as $$
begin
  if p_status not in ('succeeded', 'failed') then
    raise exception 'a job finishes succeeded or failed, not %', p_status using errcode = '22023';
  end if;
  update public.jobs
  set status = p_status, events = events || p_events, result = p_result, error = p_error,
    heartbeat_at = now(), updated_at = now(), finished_at = now()
  where id = p_job_id and status in ('queued', 'running');
  return found;
end;
$$;

-- Cancels the user's job: 'cancelled', 'finished' (it had already ended) or 'not_found' (none of theirs).
create function public.cancel_job(p_user_id uuid, p_job_id uuid)
returns text
language plpgsql
set search_path = ''
as $$
declare
  job public.jobs;
begin
  select * into job from public.jobs where id = p_job_id and user_id = p_user_id for update;
  if not found then
    return 'not_found';
  elsif job.status not in ('queued', 'running') then
    return 'finished';
  end if;
  update public.jobs
  set status = 'cancelled', updated_at = now(), finished_at = now(),
    error = jsonb_build_object('status', 499, 'error',
      jsonb_build_object('code', 'cancelled', 'message', 'the job was cancelled'))
  where id = p_job_id;
  return 'cancelled';
end;
$$;

-- Charges a request's open reservation in full, as a stale reservation is charged (its calls may have been
-- paid for); a later settlement with the real cost replaces the charge.
create function public.expire_reservation(p_request_id uuid)
returns void
language plpgsql
set search_path = ''
as $$
declare
  entry public.spend_ledger;
begin
  select * into entry from public.spend_ledger where request_id = p_request_id;
  if not found or entry.status <> 'reserved' then
    return;
  end if;
  perform public.lock_spend_month(entry.user_id, entry.month);
  update public.spend_ledger set status = 'expired', spent_usd = reserved_usd, settled_at = now()
  where id = entry.id and status = 'reserved';
  if found then
    update public.spend_monthly
    set reserved_usd = reserved_usd - entry.reserved_usd, spent_usd = spent_usd + entry.reserved_usd
    where user_id = entry.user_id and month = entry.month;
  end if;
end;
$$;

-- For a scheduled job (pg_cron, every minute): fails the jobs whose worker stopped beating, charges their
-- reservations, frees their places among their users' running requests. Returns how many it failed.
create function public.expire_stale_jobs()
returns integer
language plpgsql
set search_path = ''
as $$
declare
  stale public.jobs;
  failed integer := 0;
  age interval := make_interval(secs => (select job_stale_seconds from public.project_settings));
begin
  for stale in
    update public.jobs
    set status = 'failed', updated_at = now(), finished_at = now(),
      error = jsonb_build_object('status', 503, 'error', jsonb_build_object('code', 'worker_lost',
        'message', 'the worker running the job stopped; its reservation was charged in full'))
    where status in ('queued', 'running') and coalesce(heartbeat_at, created_at) < now() - age
    returning *
  loop
    perform public.expire_reservation(stale.request_id);
    perform public.finish_request(stale.request_id);
    failed := failed + 1;
  end loop;
  return failed;
end;
$$;

-- A user's own monitoring figures over the last p_days days (the monitoring views' figures, for the caller):
-- the totals, quality by model, cost per day and success by approach.
create function public.user_stats(p_user_id uuid, p_days integer default 30)
returns jsonb
language sql
stable
set search_path = ''
as $$
  with attempts as (
    select p.* from public.model_performance p
    where p.user_id = p_user_id and p.created_at > now() - make_interval(days => least(greatest(p_days, 1), 366))
  )
  select jsonb_build_object(
    'totals', public.orchestration_totals(p_user_id, p_days),
    'qualityByModel', coalesce((
      select jsonb_agg(jsonb_build_object('model', m.model_name, 'uses', m.uses, 'successRate', m.success_rate,
        'avgQuality', m.avg_quality, 'avgDurationMs', m.avg_duration_ms) order by m.avg_quality desc nulls last, m.model_name)
      from (
        select model_name, count(*) as uses,
          round(100.0 * count(*) filter (where success) / count(*), 2) as success_rate,
          round(avg(quality_score) filter (where success), 2) as avg_quality,
          round(avg(duration_ms))::bigint as avg_duration_ms
        from attempts where public.is_model_evidence(error_class) group by model_name
      ) m), '[]'),
    'costPerDay', coalesce((
      select jsonb_agg(jsonb_build_object('day', d.day, 'costUsd', d.cost_usd, 'attempts', d.attempts) order by d.day)
      from (
        select (created_at at time zone 'utc')::date as day, round(sum(cost_usd), 6) as cost_usd, count(*) as attempts
        from attempts group by 1
      ) d), '[]'),
    'approaches', coalesce((
      select jsonb_agg(jsonb_build_object('approach', a.approach, 'attempts', a.attempts,
        'successRate', a.success_rate, 'avgQuality', a.avg_quality) order by a.approach)
      from (
        select approach, count(*) as attempts,
          round(100.0 * count(*) filter (where success) / count(*), 2) as success_rate,
          round(avg(quality_score) filter (where success), 2) as avg_quality
        from attempts where public.is_model_evidence(error_class) group by approach
      ) a), '[]')
  )
$$;

revoke all on function public.create_job(uuid, uuid, jsonb, text, text), public.job_progress(uuid, jsonb),
  public.finish_job(uuid, text, jsonb, jsonb, jsonb), public.cancel_job(uuid, uuid),
  public.expire_reservation(uuid), public.expire_stale_jobs(), public.user_stats(uuid, integer)
  from public, anon, authenticated;
grant execute on function public.create_job(uuid, uuid, jsonb, text, text), public.job_progress(uuid, jsonb),
  public.finish_job(uuid, text, jsonb, jsonb, jsonb), public.cancel_job(uuid, uuid),
  public.expire_reservation(uuid), public.expire_stale_jobs(), public.user_stats(uuid, integer)
  to service_role;
