-- A user writes their own settings the way the README shows, through supabase-js:
--   supabase.from('user_settings').upsert({ user_id, default_tier, prefer_local })
-- PostgREST sends that as an INSERT … ON CONFLICT DO UPDATE setting every column of the payload, run as
-- the authenticated role with the user's claims. Here is that SQL, as that role.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(6);

create function pg_temp.upsert(p_payload json) returns void language sql as $$
  insert into public.user_settings (default_tier, prefer_local, user_id)
  select pgrst_body.default_tier, pgrst_body.prefer_local, pgrst_body.user_id
  from (select p_payload as json_data) as pgrst_payload,
    lateral (select default_tier, prefer_local, user_id
             from json_populate_record(null::public.user_settings, pgrst_payload.json_data)) as pgrst_body
  on conflict (user_id) do update set default_tier = excluded.default_tier,
    prefer_local = excluded.prefer_local, user_id = excluded.user_id
$$;

set local request.jwt.claims = '{"sub":"a1111111-0000-4000-8000-000000000000","role":"authenticated"}';
set local role authenticated;

select lives_ok($$select pg_temp.upsert('{"user_id": "a1111111-0000-4000-8000-000000000000",
  "default_tier": "budget", "prefer_local": true}')$$, 'the first upsert creates the row');
select lives_ok($$select pg_temp.upsert('{"user_id": "a1111111-0000-4000-8000-000000000000",
  "default_tier": "premium", "prefer_local": false}')$$, 'the second updates it, user_id and all');
select results_eq($$select default_tier, prefer_local from public.user_settings$$,
  $$values ('premium'::text, false)$$, 'the user sees their settings as they set them');
select throws_ok($$select pg_temp.upsert('{"user_id": "b2222222-0000-4000-8000-000000000000",
  "default_tier": "budget", "prefer_local": true}')$$, '42501', null, 'nobody writes another user''s row');
select throws_ok($$update public.user_settings set monthly_budget_usd = 1000$$, '42501', null,
  'the budget stays the service side''s');
select throws_ok($$update public.user_settings set user_id = 'b2222222-0000-4000-8000-000000000000'$$, '42501',
  null, 'a user cannot move their row to another user');

select * from finish();
rollback;
