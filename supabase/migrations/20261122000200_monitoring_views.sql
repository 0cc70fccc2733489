-- The monitoring queries of the design (seed 002) as views for SQL dashboards. security_invoker makes
-- them obey the caller's RLS: a signed-in user sees aggregates of their own rows, the service side
-- sees everything.

create view public.model_quality_last_7_days with (security_invoker = true) as
select
  p.model_name,
  p.provider,
  round(avg(p.quality_score), 2) as avg_quality,
  round(avg(p.duration_ms)) as avg_duration_ms,
  count(*) as total_uses,
  round(100.0 * count(*) filter (where p.success) / count(*), 2) as success_rate
from public.model_performance p
where p.created_at > now() - interval '7 days'
group by p.model_name, p.provider;

comment on view public.model_quality_last_7_days is
  'Average quality (of scored attempts), duration and use count per model over the last 7 days.';

create view public.model_selections_last_7_days with (security_invoker = true) as
select
  s.selected_model,
  round(avg(s.quality_score), 2) as avg_quality,
  count(*) as selection_count
from public.model_selections s
where s.created_at > now() - interval '7 days'
  and s.selected_model is not null
group by s.selected_model;

comment on view public.model_selections_last_7_days is
  'How often each model won a request over the last 7 days, with the average winning quality.';

create view public.approach_success_rates with (security_invoker = true) as
select
  p.approach,
  count(*) as attempts,
  round(100.0 * count(*) filter (where p.success) / count(*), 2) as success_rate,
  round(avg(p.quality_score) filter (where p.success), 2) as avg_quality
from public.model_performance p
where p.error_class is distinct from 'cancelled'
group by p.approach;

comment on view public.approach_success_rates is
  'Success rate (percent) and average quality of successful attempts per approach, all time; attempts '
  'cancelled because another strategy won are left out.';

revoke all on table public.model_quality_last_7_days, public.model_selections_last_7_days,
  public.approach_success_rates from public, anon, authenticated;
grant select on table public.model_quality_last_7_days, public.model_selections_last_7_days,
  public.approach_success_rates to authenticated, service_role;
