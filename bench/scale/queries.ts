// What bench:scale times: the ranking, the planning context and the monitoring queries of the README, each
// beside the naive query over the raw rows that answers the same question (the views as they were
// defined before the rollups, the ranking as one aggregate over the task type's attempts).

/** The README's monitoring queries, and the same question asked of the raw rows. */
export const VIEW_QUERIES: Record<string, { ours: string; naive: string }> = {
  model_quality_last_7_days: {
    ours: "select * from public.model_quality_last_7_days order by avg_quality desc",
    naive: `
      select p.model_name, p.provider, round(avg(p.quality_score), 2) as avg_quality,
        round(avg(p.duration_ms)) as avg_duration_ms, count(*) as total_uses,
        round(100.0 * count(*) filter (where p.success) / count(*), 2) as success_rate
      from public.model_performance p
      where p.created_at > now() - interval '7 days' and public.is_model_evidence(p.error_class)
      group by p.model_name, p.provider
      order by avg_quality desc`,
  },
  model_selections_last_7_days: {
    ours: "select * from public.model_selections_last_7_days order by selection_count desc",
    naive: `
      select s.selected_model, round(avg(s.quality_score), 2) as avg_quality, count(*) as selection_count
      from public.model_selections s
      where s.created_at > now() - interval '7 days' and s.selected_model is not null
      group by s.selected_model
      order by selection_count desc`,
  },
  approach_success_rates: {
    ours: "select * from public.approach_success_rates",
    naive: `
      select p.approach, count(*) as attempts,
        round(100.0 * count(*) filter (where p.success) / count(*), 2) as success_rate,
        round(avg(p.quality_score) filter (where p.success), 2) as avg_quality
      from public.model_performance p
      where public.is_model_evidence(p.error_class)
      group by p.approach`,
  },
  budget_status: {
    // the README's query, with the month spelled out (spend_month is the service side's)
    ours:
      `select * from public.budget_status where month = date_trunc('month', now() at time zone 'UTC')::date
      order by remaining_usd nulls last`,
    // the month's spend summed from the ledger instead of read from spend_monthly
    naive: `
      select l.user_id, l.month, s.monthly_budget_usd,
        sum(coalesce(l.spent_usd, 0)) filter (where l.status <> 'reserved') as spent_usd,
        coalesce(sum(l.reserved_usd) filter (where l.status = 'reserved'), 0) as reserved_usd,
        case when s.monthly_budget_usd is not null then greatest(s.monthly_budget_usd
          - sum(coalesce(l.spent_usd, 0)) filter (where l.status <> 'reserved')
          - coalesce(sum(l.reserved_usd) filter (where l.status = 'reserved'), 0), 0) end as remaining_usd
      from public.spend_ledger l
      left join public.user_settings s on s.user_id = l.user_id
      where l.month = date_trunc('month', now() at time zone 'UTC')::date
      group by l.user_id, l.month, s.monthly_budget_usd
      order by remaining_usd nulls last`,
  },
  feedback_acceptance: {
    ours: "select * from public.feedback_acceptance order by model_name, score_band",
    naive: `
      select s.selected_model as model_name,
        case when s.quality_score < 50 then 'under 50' when s.quality_score < 70 then '50-69'
          when s.quality_score < 85 then '70-84' else '85-100' end as score_band,
        count(*) as feedbacks, round(100.0 * count(*) filter (where f.accepted) / count(*), 1) as accepted_pct,
        round(avg(f.rating), 2) as avg_rating
      from public.request_feedback f
      join public.model_selections s on s.request_id = f.request_id
      where f.replaced_at is null and s.selected_model is not null
      group by 1, 2
      order by model_name, score_band`,
  },
  confidence_by_model: {
    ours: "select * from public.confidence_by_model order by requests desc",
    naive: `
      select s.selected_model as model_name, s.task_type, count(*) as requests,
        round(avg(s.confidence), 3) as avg_confidence,
        round(percentile_cont(0.5) within group (order by s.confidence)::numeric, 3) as median_confidence,
        count(*) filter (where s.needs_review) as needs_review,
        round(100.0 * count(*) filter (where f.accepted and s.confidence >= 0.5)
          / nullif(count(f.id) filter (where s.confidence >= 0.5), 0), 1) as confident_accepted_pct,
        round(100.0 * count(*) filter (where f.accepted and s.confidence < 0.5)
          / nullif(count(f.id) filter (where s.confidence < 0.5), 0), 1) as unconfident_accepted_pct
      from public.model_selections s
      left join public.request_feedback f on f.request_id = s.request_id and f.replaced_at is null
      where s.selected_model is not null and s.confidence is not null
      group by s.selected_model, s.task_type
      order by requests desc`,
  },
  orchestration_stats: {
    ours: "select * from public.orchestration_stats order by requests desc",
    naive: `
      select s.user_id, count(*) as requests,
        round(100.0 * count(*) filter (where s.selected_model is not null) / count(*), 2) as success_rate,
        round(avg(s.confidence), 3) as avg_confidence,
        coalesce(sum(jsonb_array_length(s.conflicts)), 0) as conflicts_detected,
        count(*) filter (where public.used_fallback(s.request_id, s.selected_model)) as fallbacks_used,
        coalesce(sum(s.refine_rounds), 0) as refinements, count(*) filter (where s.needs_review) as needs_review
      from public.model_selections s
      group by s.user_id
      order by requests desc`,
  },
};

/** The ranking without rollups: the task type's attempts aggregated per strategy, the user's and
 * everyone's, with the catalog prior (5 attempts) and the 95% Wilson lower bound. $1 user, $2 task type. */
export const NAIVE_RANKING = `
  with attempts as (
    select p.model_name, p.approach, p.user_id = $1::uuid as own,
      public.delivered_quality(p.success, p.quality_score) as delivered, p.success, p.quality_score,
      p.duration_ms, p.cost_usd, p.input_tokens + p.output_tokens > 0 as costed
    from public.model_performance p
    where p.task_type = $2 and public.is_model_evidence(p.error_class)
  ),
  observed as (
    select model_name, approach, count(*) filter (where own) as samples, count(*) as n, sum(delivered) as d,
      avg(case when success then 1.0 else 0 end) as success_rate,
      avg(quality_score) filter (where success) as mean_quality, avg(duration_ms) as mean_duration_ms,
      avg(cost_usd) filter (where costed) as mean_cost_usd
    from attempts group by 1, 2
  ),
  posterior as (
    select m.model_id, m.provider, a.approach, coalesce(o.samples, 0) as samples, o.success_rate,
      o.mean_quality, o.mean_duration_ms, o.mean_cost_usd,
      (5 * coalesce((m.strengths ->> $2)::float8, m.quality_prior::float8 / 10) + coalesce(o.d, 0))
        / (5 + coalesce(o.n, 0)) as p,
      5 + coalesce(o.n, 0) as n
    from public.models m
    cross join (values ('simple'), ('progressive')) as a (approach)
    left join observed o on o.model_name = m.model_id and o.approach = a.approach
    where m.enabled
  )
  select model_id, provider, approach, samples, success_rate, mean_quality, mean_duration_ms, mean_cost_usd,
    round((100 * p)::numeric, 2) as expected_quality,
    round((100 * (p + 1.645 ^ 2 / (2 * n) - 1.645 * sqrt(p * (1 - p) / n + 1.645 ^ 2 / (4 * n * n)))
      / (1 + 1.645 ^ 2 / n))::numeric, 2) as quality_lower_bound,
    row_number() over (order by p desc) as rank
  from posterior
  order by rank`;

/** planning_context without rollups: settings, the month's spend from the ledger, the naive ranking. */
export const NAIVE_PLANNING_CONTEXT = `
  select jsonb_build_object(
    'settings', (select jsonb_build_object('defaultTier', s.default_tier, 'preferLocal', s.prefer_local)
      from public.user_settings s where s.user_id = $1::uuid),
    'budget', (select jsonb_build_object('spentUsd', coalesce(sum(l.spent_usd), 0),
        'reservedUsd', coalesce(sum(l.reserved_usd) filter (where l.status = 'reserved'), 0))
      from public.spend_ledger l where l.user_id = $1::uuid and l.month = public.spend_month(now())),
    'ranking', (select jsonb_agg(to_jsonb(r) order by r.rank) from (${NAIVE_RANKING}) r)
  ) as context`;
