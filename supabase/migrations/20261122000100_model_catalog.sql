-- The model catalog: what the planner may choose from. Editing it is SQL: adding a model is one insert,
-- retiring one is `update public.models set enabled = false`. The function reads it through a short
-- cache, so a change reaches the planner within a minute; a model is a candidate only when the function
-- has its provider configured (a key or a base URL).

create table public.models (
  model_id text primary key check (model_id <> '' and length(model_id) <= 200),
  -- the adapter that serves it: gemini, openai, anthropic, deepseek, qwen, ollama, openrouter, vllm, …
  provider text not null check (provider ~ '^[a-z][a-z0-9_-]{0,39}$'),
  display_name text not null check (display_name <> ''),
  input_price_per_mtok numeric(12, 4) not null check (input_price_per_mtok >= 0),
  output_price_per_mtok numeric(12, 4) not null check (output_price_per_mtok >= 0),
  context_window integer not null check (context_window > 0),
  -- the most output tokens one call may ask for (thinking included, where a model thinks)
  max_output_tokens integer not null check (max_output_tokens > 0),
  speed text not null check (speed in ('fast', 'medium', 'slow')),
  -- expected quality on a 0-10 scale before any history is known
  quality_prior numeric(4, 2) not null check (quality_prior between 0 and 10),
  -- expected quality 0-1 per task type where it differs from quality_prior / 10
  strengths jsonb not null default '{}' check (
    jsonb_typeof(strengths) = 'object'
    and not jsonb_path_exists(strengths, '$.* ? (@.type() != "number" || @ < 0 || @ > 1)')
  ),
  -- runs on the caller's own hardware (Ollama, vLLM): free, private
  is_local boolean not null default false,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Keeps updated_at true on every update (the catalog here, the user settings later).
create function public.touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

revoke all on function public.touch_updated_at() from public, anon, authenticated;

create trigger models_touch_updated_at before update on public.models
  for each row execute function public.touch_updated_at();

comment on table public.models is
  'The model catalog the planner chooses from: prices (USD per million tokens), context window, output '
  'limit per call, speed, a quality prior (0-10), per-task-type strengths (0-1), local or cloud, enabled.';

alter table public.models enable row level security;
-- Apps may show the catalog (names, prices) to signed-in users; only the service side edits it.
create policy "signed-in users read the catalog" on public.models for select to authenticated using (true);

revoke all on table public.models from public, anon, authenticated;
grant select on table public.models to authenticated;
grant select, insert, update, delete on table public.models to service_role;

-- Prices are the providers' list prices in USD per million tokens (Gemini: paid tier, prompts up to
-- 200k tokens; DeepSeek: cache misses). Priors and strengths are starting beliefs; the history
-- corrects them.
insert into public.models (model_id, provider, display_name, input_price_per_mtok, output_price_per_mtok,
  context_window, max_output_tokens, speed, quality_prior, strengths, is_local)
values
  ('gemini-2.5-pro', 'gemini', 'Gemini 2.5 Pro', 1.25, 10, 1048576, 65536, 'slow', 9.2,
   '{"generation": 0.95, "refactor": 0.9, "fix": 0.9, "explain": 0.9, "test": 0.85, "edit": 0.75, "style": 0.7}',
   false),
  ('gemini-2.5-flash', 'gemini', 'Gemini 2.5 Flash', 0.30, 2.50, 1048576, 65536, 'medium', 8,
   '{"generation": 0.8, "edit": 0.85, "fix": 0.8, "style": 0.85, "refactor": 0.75, "explain": 0.8, "test": 0.8}',
   false),
  ('gemini-2.5-flash-lite', 'gemini', 'Gemini 2.5 Flash-Lite', 0.10, 0.40, 1048576, 65536, 'fast', 6.5,
   '{"generation": 0.55, "edit": 0.8, "fix": 0.6, "style": 0.85, "refactor": 0.5, "explain": 0.7, "test": 0.6}',
   false),
  ('mistral', 'ollama', 'Mistral 7B (local)', 0, 0, 32768, 8192, 'medium', 6.2,
   '{"generation": 0.5, "edit": 0.62, "fix": 0.5, "refactor": 0.48, "style": 0.66, "explain": 0.62, "test": 0.5}',
   true),
  ('llama3.2', 'ollama', 'Llama 3.2 3B (local)', 0, 0, 131072, 8192, 'fast', 6,
   '{"generation": 0.42, "edit": 0.58, "fix": 0.45, "refactor": 0.42, "style": 0.6, "explain": 0.6, "test": 0.45}',
   true),
  ('deepseek-chat', 'deepseek', 'DeepSeek Chat', 0.28, 0.42, 131072, 8192, 'slow', 8.2,
   '{"generation": 0.84, "edit": 0.8, "fix": 0.85, "refactor": 0.84, "style": 0.74, "explain": 0.84, "test": 0.82}',
   false),
  ('qwen-plus', 'qwen', 'Qwen Plus', 0.40, 1.20, 131072, 8192, 'medium', 7.6,
   '{"generation": 0.75, "edit": 0.78, "fix": 0.74, "refactor": 0.74, "style": 0.76, "explain": 0.8, "test": 0.74}',
   false),
  ('qwen-turbo', 'qwen', 'Qwen Turbo', 0.05, 0.20, 1000000, 8192, 'fast', 6.4,
   '{"generation": 0.58, "edit": 0.7, "fix": 0.6, "refactor": 0.58, "style": 0.74, "explain": 0.7, "test": 0.6}',
   false),
  ('gpt-4o-mini', 'openai', 'GPT-4o mini', 0.15, 0.60, 128000, 16384, 'fast', 7.2,
   '{"generation": 0.7, "edit": 0.8, "fix": 0.72, "refactor": 0.7, "style": 0.8, "explain": 0.8, "test": 0.72}',
   false),
  ('claude-3-5-sonnet-20241022', 'anthropic', 'Claude 3.5 Sonnet', 3, 15, 200000, 8192, 'medium', 9,
   '{"generation": 0.93, "edit": 0.9, "fix": 0.91, "refactor": 0.92, "style": 0.86, "explain": 0.9, "test": 0.9}',
   false),
  ('gpt-4o', 'openai', 'GPT-4o', 2.50, 10, 128000, 16384, 'medium', 8.8,
   '{"generation": 0.88, "edit": 0.86, "fix": 0.86, "refactor": 0.86, "style": 0.84, "explain": 0.9, "test": 0.86}',
   false);
