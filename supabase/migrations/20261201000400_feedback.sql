-- What users thought of a result: the signal a scorer cannot give. One current row per request (a second
-- call replaces it; the replaced rows stay, as history), and learning uses it: the winning attempt's
-- delivered quality becomes a blend of its score and the feedback —
--   rejected:               0 (a rejection counts as a failure);
--   accepted with a rating: (score / 100 + (rating - 1) / 4) / 2;
--   accepted without one:   (score / 100 + 1) / 2 —
-- so rejections move get_best_model_for_task and the next plans.

create table public.request_feedback (
  id bigint generated always as identity primary key,
  request_id uuid not null references public.model_selections (request_id) on delete cascade,
  user_id uuid not null,
  accepted boolean not null,
  rating smallint check (rating between 1 and 5),
  comment text check (length(comment) <= 2000),
  created_at timestamptz not null default now(),
  -- set when a later call replaced it
  replaced_at timestamptz
);

comment on table public.request_feedback is
  'Users'' verdicts on results: accepted, a 1-5 rating and a comment per request; the row without '
  'replaced_at is the current one, the others its history.';

create unique index request_feedback_current_idx on public.request_feedback (request_id) where replaced_at is null;
create index request_feedback_user_idx on public.request_feedback (user_id, created_at desc);

alter table public.request_feedback enable row level security;
create policy "users read their own feedback" on public.request_feedback
  for select to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.request_feedback from public, anon, authenticated;
grant select on table public.request_feedback to authenticated;
grant select, insert, update, delete on table public.request_feedback to service_role;
revoke all on sequence public.request_feedback_id_seq from public, anon, authenticated;
grant usage on sequence public.request_feedback_id_seq to service_role;

-- What a winning attempt delivered, given its score and the feedback on it (null: none).
create function public.delivered_with_feedback(p_quality_score numeric, p_accepted boolean, p_rating smallint)
returns double precision
language sql
immutable
set search_path = ''
as $$
  select case
    when p_accepted is null then coalesce(p_quality_score, 0)::double precision / 100
    when not p_accepted then 0
    else (coalesce(p_quality_score, 0)::double precision / 100
      + coalesce((p_rating - 1)::double precision / 4, 1)) / 2
  end
$$;

-- Stores a user's feedback on their own request, replacing the current one, and moves the statistics of
-- the request's winning attempt by the change in what it delivered. Returns the stored feedback, or null
-- when the request is not the user's (or not recorded yet).
create function public.record_feedback(p_user_id uuid, p_request_id uuid, p_accepted boolean,
  p_rating smallint, p_comment text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  request public.model_selections;
  winner public.model_performance;
  previous public.request_feedback;
  stored public.request_feedback;
  change double precision;
begin
  select * into request from public.model_selections where request_id = p_request_id and user_id = p_user_id
  for update;
  if not found then
    return null;
  end if;
  update public.request_feedback set replaced_at = now()
  where request_id = p_request_id and replaced_at is null
  returning * into previous;
  insert into public.request_feedback (request_id, user_id, accepted, rating, comment)
  values (p_request_id, p_user_id, p_accepted, p_rating, p_comment)
  returning * into stored;

  select * into winner from public.model_performance p
  where p.request_id = p_request_id and p.success and p.model_name = request.selected_model
    and p.approach = request.selected_approach
  order by p.quality_score desc limit 1;
  if found then
    change := public.delivered_with_feedback(winner.quality_score, p_accepted, p_rating)
      - public.delivered_with_feedback(winner.quality_score, previous.accepted, previous.rating);
    update public.strategy_stats_by_user s set delivered = s.delivered + change
    where s.user_id = p_user_id and s.task_type = winner.task_type and s.model_name = winner.model_name
      and (s.approach, s.complexity) in ((winner.approach, winner.request_complexity), (winner.approach, '*'),
        ('*', '*'));
  end if;
  return jsonb_build_object('requestId', stored.request_id, 'accepted', stored.accepted, 'rating',
    stored.rating, 'comment', stored.comment, 'createdAt', stored.created_at,
    'replaced', previous.id is not null);
end;
$$;

revoke all on function public.delivered_with_feedback(numeric, boolean, smallint),
  public.record_feedback(uuid, uuid, boolean, smallint, text) from public, anon, authenticated;
grant execute on function public.delivered_with_feedback(numeric, boolean, smallint),
  public.record_feedback(uuid, uuid, boolean, smallint, text) to service_role;

-- How far the scorer can be trusted: per model and score band, how often users accepted the result.
create view public.feedback_acceptance with (security_invoker = true) as
select
  s.selected_model as model_name,
  case
    when s.quality_score < 50 then 'under 50'
    when s.quality_score < 70 then '50-69'
    when s.quality_score < 85 then '70-84'
    else '85-100'
  end as score_band,
  count(*) as feedbacks,
  round(100.0 * count(*) filter (where f.accepted) / count(*), 1) as accepted_pct,
  round(avg(f.rating), 2) as avg_rating
from public.request_feedback f
join public.model_selections s on s.request_id = f.request_id
where f.replaced_at is null and s.selected_model is not null
group by 1, 2;

comment on view public.feedback_acceptance is
  'Per model and band of the winner''s score: how many results got feedback, the share accepted and the '
  'mean rating — how well the scorer predicts what users accept.';

revoke all on table public.feedback_acceptance from public, anon, authenticated;
grant select on table public.feedback_acceptance to authenticated, service_role;
