-- Statements of the request path that were planned on every call (pg_stat_statements with
-- track_planning, one request at a time): a SQL-language function that cannot be inlined is planned
-- each time it runs, where plpgsql keeps a plan per session. budget_snapshot (in the planning read),
-- cached_response (beside it) and finish_request (in the record): the same statements in plpgsql, some
-- 0.1 ms of planning a call each.
-- Left as they are: roll_up_insights and roll_up_fallbacks, whose custom plans (about 1 ms of planning
-- each) a generic plan would not serve: for lack of the arrays' sizes it joins attempts to selections by
-- a nested loop (quadratic in a batch: bench:scale's fill, retention's deletes) or, on a small table,
-- scans every attempt per request.

create or replace function public.budget_snapshot(p_user_id uuid, p_month date)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
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
  );
end;
$$;

create or replace function public.cached_response(p_user_id uuid, p_cache_key text)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select jsonb_build_object('requestId', c.request_id, 'response', c.response)
    from public.result_cache c
    where c.user_id = p_user_id and c.cache_key = p_cache_key and c.expires_at > now()
  );
end;
$$;

create or replace function public.finish_request(p_request_id uuid)
returns void
language plpgsql
set search_path = ''
as $$
begin
  update public.request_admissions set finished_at = now() where request_id = p_request_id and finished_at is null;
end;
$$;
