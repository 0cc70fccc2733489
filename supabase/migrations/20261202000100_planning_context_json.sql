-- planning_context at 10 M attempts (bench:scale) took 2.53 ms p50, where the target is 2 ms: of it some
-- 0.45 ms went to turning the ranking's rows (28 strategies and more) into jsonb, value by value
-- (to_jsonb, jsonb_agg), for a document the function only hands back as text. It now returns json,
-- built as text (json_agg, json_build_object), which costs next to nothing; the function's postgres.js
-- client parses json as it parsed jsonb, and the document reads the same.

drop function public.planning_context(uuid, text, text);

create function public.planning_context(p_user_id uuid, p_task_type text, p_complexity text default null)
returns json
language plpgsql
stable
set search_path = ''
as $$
begin
  return json_build_object(
    'settings', (
      select json_build_object('defaultTier', s.default_tier, 'preferLocal', s.prefer_local,
        'refineRounds', s.refine_rounds, 'verify', s.verify, 'storeOutputs', s.store_outputs)
      from public.user_settings s where s.user_id = p_user_id
    ),
    'budget', public.budget_snapshot(p_user_id, public.spend_month(now())),
    'ranking', coalesce(
      (select json_agg(r order by r.rank)
       from public.get_best_model_for_task(p_user_id, p_task_type, p_complexity) r),
      '[]'
    )
  );
end;
$$;

revoke all on function public.planning_context(uuid, text, text) from public, anon, authenticated;
grant execute on function public.planning_context(uuid, text, text) to service_role;
