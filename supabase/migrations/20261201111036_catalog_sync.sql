-- Written by `npm run catalog:sync` (scripts/catalog-sync.ts): the catalog of scripts/catalog-roster.ts
-- at the prices and context windows @pydantic/genai-prices 0.1.8 lists on 2026-12-01 (UTC).
-- The package's columns (prices, context window) are brought up to date; the roster's (provider,
-- display_name, max_output_tokens, speed, quality_prior, strengths, is_local) only seed new rows.

-- gemini-3.1-pro-preview: google:gemini-3.1-pro-preview (dearer past 200000 input tokens of a call)
-- gemini-3.8-flash: google:gemini-3.8-flash (its price changes with the date or the hour)
-- gemini-3.5-flash-lite: google:gemini-3.5-flash-lite
-- deepseek-v4-flash: deepseek:deepseek-v4-flash (its price changes with the date or the hour)
-- qwen3.7-plus: openrouter:qwen/qwen3.7-plus
-- qwen3.6-flash: openrouter:qwen/qwen3.6-flash
-- gpt-6-luna: openai:gpt-6-luna (dearer past 272000 input tokens of a call)
-- gpt-6-sol: openai:gpt-6-sol (dearer past 272000 input tokens of a call)
-- claude-haiku-4-5: anthropic:claude-haiku-4-5
-- claude-sonnet-5: anthropic:claude-sonnet-5
-- claude-opus-5-5: anthropic:claude-opus-5-5
insert into public.models (model_id, provider, display_name, input_price_per_mtok, output_price_per_mtok,
  context_window, max_output_tokens, speed, quality_prior, strengths, is_local)
values
  ('gemini-3.1-pro-preview', 'gemini', 'Gemini 3.1 Pro (preview)', 2, 12,
   1048576, 65536, 'slow', 9.4,
   '{"generation":0.96,"refactor":0.92,"fix":0.92,"explain":0.92,"test":0.88,"edit":0.78,"style":0.72}', false),
  ('gemini-3.8-flash', 'gemini', 'Gemini 3.8 Flash', 0.75, 3.75,
   1000000, 65536, 'medium', 8.5,
   '{"generation":0.84,"edit":0.88,"fix":0.84,"style":0.88,"refactor":0.8,"explain":0.84,"test":0.84}', false),
  ('gemini-3.5-flash-lite', 'gemini', 'Gemini 3.5 Flash-Lite', 0.3, 2.5,
   1000000, 65536, 'fast', 7,
   '{"generation":0.6,"edit":0.84,"fix":0.66,"style":0.88,"refactor":0.56,"explain":0.74,"test":0.66}', false),
  ('deepseek-v4-flash', 'deepseek', 'DeepSeek V4 Flash', 0.22, 0.66,
   1000000, 393216, 'medium', 8.4,
   '{"generation":0.85,"edit":0.82,"fix":0.86,"refactor":0.85,"style":0.76,"explain":0.84,"test":0.83}', false),
  ('qwen3.7-plus', 'qwen', 'Qwen3.7 Plus', 0.4, 1.6,
   1000000, 65536, 'medium', 8,
   '{"generation":0.8,"edit":0.8,"fix":0.79,"refactor":0.78,"style":0.78,"explain":0.82,"test":0.78}', false),
  ('qwen3.6-flash', 'qwen', 'Qwen3.6 Flash', 0.1875, 1.125,
   1000000, 65536, 'fast', 7,
   '{"generation":0.64,"edit":0.74,"fix":0.66,"refactor":0.63,"style":0.76,"explain":0.72,"test":0.65}', false),
  ('gpt-6-luna', 'openai', 'GPT-6 Luna', 0.1, 0.5,
   1050000, 128000, 'fast', 7.6,
   '{"generation":0.72,"edit":0.82,"fix":0.75,"refactor":0.72,"style":0.82,"explain":0.8,"test":0.74}', false),
  ('gpt-6-sol', 'openai', 'GPT-6 Sol', 2, 10,
   1050000, 128000, 'medium', 9.3,
   '{"generation":0.93,"edit":0.9,"fix":0.93,"refactor":0.92,"style":0.85,"explain":0.92,"test":0.91}', false),
  ('claude-haiku-4-5', 'anthropic', 'Claude Haiku 4.5', 1, 5,
   200000, 64000, 'fast', 8,
   '{"generation":0.78,"edit":0.86,"fix":0.8,"refactor":0.78,"style":0.85,"explain":0.84,"test":0.8}', false),
  ('claude-sonnet-5', 'anthropic', 'Claude Sonnet 5', 2, 10,
   1000000, 64000, 'medium', 9.3,
   '{"generation":0.94,"edit":0.92,"fix":0.93,"refactor":0.94,"style":0.87,"explain":0.91,"test":0.92}', false),
  ('claude-opus-5-5', 'anthropic', 'Claude Opus 5.5', 4, 20,
   1000000, 128000, 'slow', 9.6,
   '{"generation":0.96,"edit":0.93,"fix":0.95,"refactor":0.96,"style":0.88,"explain":0.93,"test":0.94}', false)
on conflict (model_id) do update set
  input_price_per_mtok = excluded.input_price_per_mtok,
  output_price_per_mtok = excluded.output_price_per_mtok,
  context_window = excluded.context_window;

-- local models (Ollama): free, and ours alone
insert into public.models (model_id, provider, display_name, input_price_per_mtok, output_price_per_mtok,
  context_window, max_output_tokens, speed, quality_prior, strengths, is_local)
values
  ('llama3.2', 'ollama', 'Llama 3.2 3B (local)', 0, 0,
   131072, 8192, 'fast', 6,
   '{"generation":0.42,"edit":0.58,"fix":0.45,"refactor":0.42,"style":0.6,"explain":0.6,"test":0.45}', true),
  ('ministral-3:8b', 'ollama', 'Ministral 3 8B (local)', 0, 0,
   262144, 8192, 'medium', 6.6,
   '{"generation":0.54,"edit":0.66,"fix":0.55,"refactor":0.52,"style":0.7,"explain":0.66,"test":0.54}', true),
  ('qwen3.5:9b', 'ollama', 'Qwen3.5 9B (local)', 0, 0,
   262144, 8192, 'medium', 6.9,
   '{"generation":0.6,"edit":0.7,"fix":0.62,"refactor":0.58,"style":0.72,"explain":0.7,"test":0.6}', true)
on conflict (model_id) do nothing;

-- superseded: kept for the history, no longer planned
update public.models set enabled = false where enabled and model_id in (
  'gemini-2.5-pro',
  'gemini-2.5-flash',
  'gemini-2.5-flash-lite',
  'mistral',
  'deepseek-chat',
  'qwen-plus',
  'qwen-turbo',
  'gpt-4o-mini',
  'gpt-4o',
  'claude-3-5-sonnet-20241022'
);
