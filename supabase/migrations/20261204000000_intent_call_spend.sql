-- The intent call (ORCHESTRATOR_INTENT_CALL): where the profiler's rules are unsure of a request's task
-- type, the cheapest configured model is asked which it is. The call is recorded in the selection's
-- task_profile (its `intent`: model, outcome, the rules' and the model's task types, cost, duration) and
-- its cost is charged with the request's attempts and review: record_orchestrations as
-- 20261202000300_record_batches.sql wrote it, with the settlement adding task_profile.intent.costUsd.

create or replace function public.record_orchestrations(p_records jsonb)
returns void
language plpgsql
set search_path = ''
as $$
declare
  -- one record per request (the first of repeats), in the order they came
  requests jsonb := (
    select coalesce(jsonb_agg(x.r order by x.n), '[]')
    from (
      select distinct on (e.r -> 'selection' ->> 'request_id') e.r, e.n
      from jsonb_array_elements(p_records) with ordinality as e (r, n)
      order by e.r -> 'selection' ->> 'request_id', e.n
    ) as x
  );
  recorded uuid[];
  ttl integer := (select cache_ttl_seconds from public.project_settings);
  settlement record;
begin
  update public.request_admissions set finished_at = now()
  where request_id in (select (e.r -> 'selection' ->> 'request_id')::uuid from jsonb_array_elements(requests) as e (r))
    and finished_at is null;

  with inserted as (
    insert into public.model_selections (user_id, request_id, task_type, task_profile, selected_model,
      selected_provider, selected_approach, alternative_models, quality_score, mode, tier, explored, was_optimal,
      confidence, needs_review, conflicts, refine_rounds, cached_from)
    select s.user_id, s.request_id, s.task_type, s.task_profile, s.selected_model, s.selected_provider,
      s.selected_approach, coalesce(s.alternative_models, '{}'), s.quality_score, s.mode, s.tier,
      coalesce(s.explored, false), s.was_optimal, s.confidence, s.needs_review, coalesce(s.conflicts, '[]'),
      coalesce(s.refine_rounds, 0), s.cached_from
    from jsonb_array_elements(requests) with ordinality as e (r, n)
    cross join lateral jsonb_populate_record(null::public.model_selections, e.r -> 'selection') as s
    order by e.n
    on conflict (request_id) do nothing
    returning request_id
  )
  select coalesce(array_agg(request_id), '{}') into recorded from inserted;
  if cardinality(recorded) = 0 then
    return;
  end if;

  -- the rows of the requests recorded now, each with the user of its selection
  insert into public.model_performance (user_id, request_id, task_type, request_complexity, model_name,
    provider, approach, quality_score, quality_breakdown, success, error_class, duration_ms, input_tokens,
    output_tokens, cost_usd, file_count, metadata)
  select s.user_id, s.request_id, a.task_type, a.request_complexity, a.model_name, a.provider, a.approach,
    a.quality_score, a.quality_breakdown, a.success, a.error_class, a.duration_ms,
    coalesce(a.input_tokens, 0), coalesce(a.output_tokens, 0), coalesce(a.cost_usd, 0),
    coalesce(a.file_count, 0), coalesce(a.metadata, '{}')
  from jsonb_array_elements(requests) with ordinality as e (r, n)
  cross join lateral jsonb_populate_record(null::public.model_selections, e.r -> 'selection') as s
  cross join lateral jsonb_populate_recordset(null::public.model_performance,
    case when jsonb_typeof(e.r -> 'attempts') = 'array' then e.r -> 'attempts' else '[]' end)
    with ordinality as a
  where s.request_id = any (recorded)
  order by e.n, a.ordinality;

  insert into public.verifications (request_id, user_id, model_name, provider, verdict, issues, summary,
    error, input_tokens, output_tokens, cost_usd, duration_ms)
  select s.request_id, s.user_id, v.model_name, v.provider, v.verdict, coalesce(v.issues, '[]'), v.summary,
    v.error, coalesce(v.input_tokens, 0), coalesce(v.output_tokens, 0), coalesce(v.cost_usd, 0),
    coalesce(v.duration_ms, 0)
  from jsonb_array_elements(requests) as e (r)
  cross join lateral jsonb_populate_record(null::public.model_selections, e.r -> 'selection') as s
  cross join lateral jsonb_populate_record(null::public.verifications, e.r -> 'verification') as v
  where s.request_id = any (recorded) and jsonb_typeof(e.r -> 'verification') = 'object';

  insert into public.request_outputs (request_id, user_id, request_text, context_paths, files)
  select s.request_id, s.user_id, o.request_text, coalesce(o.context_paths, '{}'), o.files
  from jsonb_array_elements(requests) as e (r)
  cross join lateral jsonb_populate_record(null::public.model_selections, e.r -> 'selection') as s
  cross join lateral jsonb_populate_record(null::public.request_outputs, e.r -> 'output') as o
  where s.request_id = any (recorded) and jsonb_typeof(e.r -> 'output') = 'object';

  -- a TTL of 0 turns the cache off; one entry per user and key (the later record's), in key order
  if ttl > 0 then
    insert into public.result_cache (user_id, cache_key, request_id, response, expires_at)
    select distinct on (s.user_id, e.r -> 'cache' ->> 'cache_key') s.user_id, e.r -> 'cache' ->> 'cache_key',
      s.request_id, e.r -> 'cache' -> 'response', now() + make_interval(secs => ttl)
    from jsonb_array_elements(requests) with ordinality as e (r, n)
    cross join lateral jsonb_populate_record(null::public.model_selections, e.r -> 'selection') as s
    where s.request_id = any (recorded) and jsonb_typeof(e.r -> 'cache') = 'object'
    order by s.user_id, e.r -> 'cache' ->> 'cache_key', e.n desc
    on conflict (user_id, cache_key) do update set request_id = excluded.request_id,
      response = excluded.response, created_at = now(), expires_at = excluded.expires_at;
  end if;

  -- each user's months in user order, as every writer takes them
  for settlement in
    select s.user_id, s.request_id,
      coalesce((select sum(a.cost_usd) from jsonb_populate_recordset(null::public.model_performance,
        case when jsonb_typeof(e.r -> 'attempts') = 'array' then e.r -> 'attempts' else '[]' end) as a), 0)
        + coalesce((e.r -> 'verification' ->> 'cost_usd')::numeric, 0)
        + coalesce((e.r -> 'selection' -> 'task_profile' -> 'intent' ->> 'costUsd')::numeric, 0) as spent
    from jsonb_array_elements(requests) as e (r)
    cross join lateral jsonb_populate_record(null::public.model_selections, e.r -> 'selection') as s
    where s.request_id = any (recorded)
    order by s.user_id, s.request_id
  loop
    perform public.settle_spend(settlement.user_id, settlement.request_id, settlement.spent);
  end loop;
end;
$$;
