// The OpenAI-compatible adapter (plain fetch, Chat Completions) against the model simulator's
// OpenAI protocol: json_schema and json_object structured output, text, token usage, finish reason,
// latency and model version, every failure normalised into its class, Retry-After, aborts that reach the
// HTTP call; and the provider registry: which environment configures which provider, with what defaults.

import assert from "node:assert/strict";
import { PLAN_JSON_SCHEMA, REQUEST_HEADING } from "../supabase/functions/_shared/run/prompts.ts";
import { retryAfterMs } from "../supabase/functions/_shared/providers/http-call.ts";
import {
  createOpenAICompatibleProvider,
  type JsonMode,
} from "../supabase/functions/_shared/providers/openai-compatible.ts";
import {
  PROVIDER_SETUPS,
  providerSettings,
  providersFromEnv,
} from "../supabase/functions/_shared/providers/registry.ts";
import { type GenerateRequest, reportedUsage } from "../supabase/functions/_shared/providers/types.ts";
import { serveModelSimulator } from "../scripts/model-simulator/server.ts";
import { stackProviders } from "../scripts/model-simulator/stack-env.ts";
import { freePort } from "./support/processes.ts";
import { failure, type FaultCase, generationRequest, stepThroughFaults } from "./support/providers.ts";

const request = (overrides: Partial<GenerateRequest> = {}) => generationRequest("gpt-6-sol", overrides);

function provider(
  baseUrl: string,
  jsonMode: JsonMode = "json_schema",
  apiKey: string | undefined = "test-key",
) {
  return createOpenAICompatibleProvider({
    name: "openai",
    baseUrl: `${baseUrl}/openai/v1`,
    apiKey,
    jsonMode,
  });
}

function envOf(variables: Record<string, string>) {
  return { get: (name: string) => variables[name] };
}

Deno.test("OpenAI adapter: structured output, usage, finish reason, latency, model version", async () => {
  await using simulator = serveModelSimulator({ seed: "openai-test", timeScale: 0, fixedLatencyMs: 150 });
  const result = await provider(simulator.url).generate(request(), AbortSignal.timeout(10_000));
  const answer = result.json as { files: Array<{ path: string; content: string }> };
  assert.ok(answer.files.some((file) => file.path === "src/App.tsx"));
  assert.equal(result.text, JSON.stringify(answer));
  assert.equal(result.finishReason, "stop");
  assert.equal(result.modelVersion, "gpt-6-sol-simulated");
  assert.ok(result.usage.inputTokens > 0);
  assert.equal(result.usage.outputTokens, Math.ceil(result.text.length / 4));
  assert.ok(result.latencyMs >= 150 && result.latencyMs < 5_000, `${result.latencyMs} ms`);
  const [call] = await simulator.calls();
  assert.deepEqual(
    [call.protocol, call.model, call.kind, call.fault, call.aborted],
    ["openai-compatible", "gpt-6-sol", "files", null, false],
  );
});

Deno.test("OpenAI adapter: json_object mode carries the schema in the system prompt", async () => {
  await using simulator = serveModelSimulator({ seed: "openai-test", timeScale: 0 });
  const deepseek = provider(simulator.url, "json_object");
  const result = await deepseek.generate(
    request({ model: "deepseek-v4-flash", jsonSchema: PLAN_JSON_SCHEMA }),
    AbortSignal.timeout(10_000),
  );
  const plan = result.json as { files: Array<{ path: string; purpose: string }> };
  assert.ok(plan.files.length > 0 && plan.files.every((file) => file.purpose.length > 0));
  assert.equal(result.modelVersion, "deepseek-v4-flash-simulated");
  // Only the system prompt told the simulator that a plan was wanted.
  assert.equal((await simulator.calls())[0].kind, "plan");
});

Deno.test("OpenAI adapter: plain text when no schema is asked for, with or without a key", async () => {
  await using simulator = serveModelSimulator({ seed: "openai-test", timeScale: 0 });
  const result = await provider(simulator.url).generate(
    request({ jsonSchema: undefined }),
    AbortSignal.timeout(10_000),
  );
  assert.equal(result.json, undefined);
  assert.match(result.text, /Simulated output/);
  assert.equal(result.finishReason, "stop");

  // Ollama and vLLM without --api-key take no key.
  const keyless = provider(simulator.url, "json_schema", undefined);
  const local = await keyless.generate(request({ model: "llama3.2" }), AbortSignal.timeout(10_000));
  assert.equal(local.modelVersion, "llama3.2-simulated");
  assert.deepEqual((await simulator.calls()).map((call) => call.kind), ["text", "files"]);
});

Deno.test("OpenAI adapter: every failure is normalised into its error class", async (t) => {
  await using simulator = serveModelSimulator({ seed: "openai-test", timeScale: 0 });
  const openai = provider(simulator.url);
  const cases: FaultCase[] = [
    ["rate_limit", "rate_limit", /429 rate_limit_exceeded: Rate limit reached/, 429],
    ["server", "server", /500 server_error/, 500],
    ["unavailable", "server", /overloaded/, 503],
    ["bad_key", "auth", /401 invalid_api_key: Incorrect API key/, 401],
    ["malformed", "malformed_output", /not valid JSON/],
    ["truncated", "malformed_output", /token limit/],
    ["empty", "malformed_output", /no choices/],
    ["safety", "safety_block", /refusal: I'm sorry/],
    ["reset", "network", /./],
  ];
  await stepThroughFaults(
    t,
    (rule) => simulator.injectFault(rule),
    () => openai.generate(request(), AbortSignal.timeout(10_000)),
    cases,
    { checkStatus: true },
  );

  await t.step("a content filter (no Structured Outputs) → safety_block", async () => {
    await simulator.injectFault({ fault: "safety" });
    const error = await failure(
      provider(simulator.url, "json_object").generate(request(), AbortSignal.timeout(10_000)),
    );
    assert.equal(error.errorClass, "safety_block");
    assert.match(error.message, /content_filter/);
  });

  await t.step("a truncated answer keeps its token usage", async () => {
    await simulator.injectFault({ fault: "truncated" });
    const error = await failure(openai.generate(request(), AbortSignal.timeout(10_000)));
    assert.ok((error.details.usage?.inputTokens ?? 0) > 0);
    assert.ok((error.details.usage?.outputTokens ?? 0) > 0);
  });

  await t.step("Retry-After becomes retryAfterMs", async () => {
    await simulator.injectFault({ fault: "rate_limit", delayMs: 3_000 });
    const error = await failure(openai.generate(request(), AbortSignal.timeout(10_000)));
    assert.equal(error.details.retryAfterMs, 3_000);
  });

  await t.step("an unknown model → invalid_request", async () => {
    const error = await failure(openai.generate(request({ model: "gpt-0" }), AbortSignal.timeout(10_000)));
    assert.equal(error.errorClass, "invalid_request");
    assert.equal(error.details.status, 404);
    assert.match(error.message, /model_not_found/);
  });

  await t.step("the attempt's deadline passing mid-call → timeout", async () => {
    await simulator.injectFault({ fault: "timeout", delayMs: 3_000 });
    const started = Date.now();
    const error = await failure(openai.generate(request(), AbortSignal.timeout(200)));
    assert.equal(error.errorClass, "timeout");
    assert.ok(Date.now() - started < 2_000, "the deadline cut the call short");
  });

  await t.step("a slow answer past the deadline → timeout", async () => {
    await simulator.injectFault({ fault: "slow_stream", delayMs: 100 });
    const error = await failure(openai.generate(request(), AbortSignal.timeout(300)));
    assert.equal(error.errorClass, "timeout");
  });

  await t.step("the caller going away → cancelled, and the simulator sees the call aborted", async () => {
    const ref = `ref-${crypto.randomUUID().slice(0, 8)}`;
    await simulator.injectFault({ fault: "timeout", match: ref, delayMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("client disconnected")), 100);
    const error = await failure(
      openai.generate(
        request({ prompt: `${REQUEST_HEADING}\nBuild a todo app (${ref})` }),
        controller.signal,
      ),
    );
    assert.equal(error.errorClass, "cancelled");
    let [call] = await simulator.calls(ref);
    for (let tries = 0; call.durationMs === null && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      [call] = await simulator.calls(ref);
    }
    assert.equal(call.aborted, true, "the HTTP call was cancelled");
    assert.ok(call.durationMs! < 2_000, `the simulator stopped after ${call.durationMs} ms, not 5 s`);
  });

  await t.step("nothing listening → network", async () => {
    const error = await failure(
      provider(`http://127.0.0.1:${freePort()}`).generate(request(), AbortSignal.timeout(5_000)),
    );
    assert.equal(error.errorClass, "network");
  });
});

Deno.test("Retry-After: seconds or an HTTP date", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  assert.equal(retryAfterMs("3", now), 3_000);
  assert.equal(retryAfterMs("1.5", now), 1_500);
  assert.equal(retryAfterMs("Wed, 01 Jan 2025 00:00:05 GMT", now), 5_000);
  assert.equal(retryAfterMs("Tue, 31 Dec 2024 23:59:00 GMT", now), 0, "a date passed means now");
  assert.equal(retryAfterMs("soon", now), undefined);
  assert.equal(retryAfterMs(null, now), undefined);
});

Deno.test("registry: a provider is configured by its key, or a local server by its base URL", () => {
  assert.deepEqual(providerSettings(envOf({})), []);
  assert.equal(providersFromEnv(envOf({})).size, 0);

  const defaults = Object.fromEntries(
    providerSettings(envOf({
      GEMINI_API_KEY: "g",
      OPENAI_API_KEY: "o",
      ANTHROPIC_API_KEY: "a",
      DEEPSEEK_API_KEY: "d",
      DASHSCOPE_API_KEY: "q",
      OPENROUTER_API_KEY: "r",
    })).map(({ setup, apiKey, baseUrl }) => [setup.name, [apiKey, baseUrl, setup.jsonMode]]),
  );
  assert.deepEqual(defaults, {
    gemini: ["g", "https://generativelanguage.googleapis.com", undefined],
    openai: ["o", "https://api.openai.com/v1", "json_schema"],
    anthropic: ["a", "https://api.anthropic.com", undefined],
    deepseek: ["d", "https://api.deepseek.com", "json_object"],
    qwen: ["q", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", "json_object"],
    openrouter: ["r", "https://openrouter.ai/api/v1", "json_schema"],
  });

  const names = (variables: Record<string, string>) => [...providersFromEnv(envOf(variables)).keys()];
  assert.deepEqual(
    names({ OPENAI_BASE_URL: "http://proxy/v1", VLLM_API_KEY: "v" }),
    [],
    "no key, no provider",
  );
  assert.deepEqual(names({ GEMINI_API_KEY: "" }), [], "an empty key is no key");
  assert.deepEqual(names({ OLLAMA_BASE_URL: "http://localhost:11434/v1" }), ["ollama"]);
  assert.deepEqual(names({ VLLM_BASE_URL: "http://gpu:8000/v1", ANTHROPIC_API_KEY: "a" }), [
    "anthropic",
    "vllm",
  ]);

  const [local, vllm] = providerSettings(envOf({
    OLLAMA_BASE_URL: "http://localhost:11434/v1",
    VLLM_BASE_URL: "http://gpu:8000/v1",
    VLLM_API_KEY: "v",
  }));
  assert.deepEqual([local.apiKey, local.baseUrl], [undefined, "http://localhost:11434/v1"]);
  assert.deepEqual([vllm.apiKey, vllm.baseUrl], ["v", "http://gpu:8000/v1"]);
  const openai = providerSettings(envOf({ OPENAI_API_KEY: "o", OPENAI_BASE_URL: "http://proxy/v1" }))[0];
  assert.equal(openai.baseUrl, "http://proxy/v1", "a base URL overrides the default");

  for (
    const [name, provider] of providersFromEnv(envOf({ OPENROUTER_API_KEY: "r", DASHSCOPE_API_KEY: "q" }))
  ) {
    assert.equal(provider.name, name, "providers carry the catalog's name");
  }
});

Deno.test("registry: each provider, simulated by the stack's settings, answers", async () => {
  await using simulator = serveModelSimulator({ seed: "registry-test", timeScale: 0 });
  const env = { SIMULATED_PROVIDERS: "all", OPENAI_API_KEY: "sk-real" };
  const stack = stackProviders(envOf(env), simulator.url);
  assert.deepEqual(stack.real, ["openai"], "a real key is never replaced by a simulated one");
  assert.deepEqual(
    stack.simulated,
    PROVIDER_SETUPS.map((setup) => setup.name).filter((name) => name !== "openai"),
  );
  assert.equal(stack.variables.OPENAI_API_KEY, undefined, "real keys are not written");
  assert.equal(stack.variables.ANTHROPIC_BASE_URL, `${simulator.url}/anthropic`);
  assert.equal(stack.variables.OLLAMA_BASE_URL, `${simulator.url}/openai/v1`);
  assert.equal(stack.variables.DEEPSEEK_API_KEY, "simulated");
  assert.equal(stack.variables.SIMULATED_PROVIDERS, stack.simulated.join(","));
  assert.deepEqual(
    stackProviders(envOf({}), simulator.url).variables,
    { GEMINI_API_KEY: "simulated", GEMINI_BASE_URL: simulator.url, SIMULATED_PROVIDERS: "gemini" },
    "by default only Gemini is simulated",
  );
  assert.throws(() => stackProviders(envOf({ SIMULATED_PROVIDERS: "gemini,grok" }), simulator.url), /grok/);

  // The router inherits the environment and loads the env file over it. The real OpenAI is out of
  // reach here: point it at the simulator too.
  const providers = providersFromEnv(
    envOf({ ...env, ...stack.variables, OPENAI_BASE_URL: `${simulator.url}/openai/v1` }),
  );
  const models: Record<string, string> = {
    gemini: "gemini-3.8-flash",
    openai: "gpt-6-luna",
    anthropic: "claude-sonnet-5",
    deepseek: "deepseek-v4-flash",
    qwen: "qwen3.6-flash",
    ollama: "llama3.2",
    openrouter: "gpt-6-sol",
    vllm: "ministral-3:8b",
  };
  assert.deepEqual([...providers.keys()].sort(), Object.keys(models).sort());
  for (const [name, provider] of providers) {
    const result = await provider.generate(request({ model: models[name] }), AbortSignal.timeout(10_000));
    assert.ok((result.json as { files: unknown[] }).files.length > 0, name);
    assert.equal(result.modelVersion, `${models[name]}-simulated`);
  }
  const protocols = (await simulator.calls()).map((call) => `${call.model} ${call.protocol} ${call.kind}`);
  assert.deepEqual(
    protocols,
    [...providers.keys()].map((name) => {
      const kind = PROVIDER_SETUPS.find((setup) => setup.name === name)!.kind;
      return `${models[name]} ${kind} files`;
    }),
  );
});

Deno.test("OpenAI adapter: cached prompt tokens are read from prompt_tokens_details", async () => {
  await using simulator = serveModelSimulator({ seed: "provider-test", timeScale: 0 });
  const openai = provider(simulator.url);
  const long = request({ system: "You write code.\n".repeat(400) });
  const first = await openai.generate(long, AbortSignal.timeout(10_000));
  const again = await openai.generate(long, AbortSignal.timeout(10_000));
  assert.equal(first.usage.cachedInputTokens, undefined);
  assert.equal(again.usage.cachedInputTokens, Math.floor(first.usage.inputTokens / 128) * 128);
});

Deno.test("usage a provider sends is made counts: negative, fractional, huge, strings, more cached than input", () => {
  assert.deepEqual(reportedUsage(1_000, 50, 512), {
    inputTokens: 1_000,
    outputTokens: 50,
    cachedInputTokens: 512,
  });
  assert.deepEqual(reportedUsage(-5, "12", undefined), { inputTokens: 0, outputTokens: 0 });
  assert.deepEqual(reportedUsage(10.7, Number.NaN, 99), {
    inputTokens: 10,
    outputTokens: 0,
    cachedInputTokens: 10,
  });
  assert.deepEqual(reportedUsage(1e300, Infinity, null), { inputTokens: 2 ** 31 - 1, outputTokens: 0 });
});
