-- One definition of a use in every monitoring view: an attempt that reached a model
-- (public.is_model_evidence); cancelled, budget-refused and credential-refused attempts are left out
-- everywhere, not only in some views.

create or replace view public.model_quality_last_7_days with (security_invoker = true) as
select
  p.model_name,
  p.provider,
  round(avg(p.quality_score), 2) as avg_quality,
  round(avg(p.duration_ms)) as avg_duration_ms,
  count(*) as total_uses,
  round(100.0 * count(*) filter (where p.success) / count(*), 2) as success_rate
from public.model_performance p
where p.created_at > now() - interval '7 days'
  and public.is_model_evidence(p.error_class)
group by p.model_name, p.provider;

comment on view public.model_quality_last_7_days is
  'Per model over the last 7 days: average quality of scored attempts, average duration, uses (attempts '
  'that reached the model) and their success rate (percent).';

create or replace view public.approach_success_rates with (security_invoker = true) as
select
  p.approach,
  count(*) as attempts,
  round(100.0 * count(*) filter (where p.success) / count(*), 2) as success_rate,
  round(avg(p.quality_score) filter (where p.success), 2) as avg_quality
from public.model_performance p
where public.is_model_evidence(p.error_class)
group by p.approach;

comment on view public.approach_success_rates is
  'Per approach, all time: uses (attempts that reached a model), their success rate (percent) and the '
  'average quality of the successful ones.';

-- A user's settings are written by an upsert from the app (supabase.from('user_settings').upsert(...)):
-- PostgREST's upsert sets every column of the payload on conflict, user_id included, so the user may
-- write their own user_id (the policies hold it to theirs); the budget stays the service side's.
grant update (user_id) on table public.user_settings to authenticated;
