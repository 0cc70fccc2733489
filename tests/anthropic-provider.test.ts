// The Anthropic adapter (plain fetch, Messages API) against the model simulator's Anthropic protocol:
// JSON through a forced tool call, text, token usage, stop reason, latency and model version, every
// failure normalised into its class (529 overloaded included), Retry-After, and aborts that reach the
// HTTP call.

import assert from "node:assert/strict";
import { PLAN_JSON_SCHEMA, REQUEST_HEADING } from "../supabase/functions/_shared/run/prompts.ts";
import { createAnthropicProvider } from "../supabase/functions/_shared/providers/anthropic.ts";
import type { GenerateRequest } from "../supabase/functions/_shared/providers/types.ts";
import { serveModelSimulator } from "../scripts/model-simulator/server.ts";
import { freePort } from "./support/processes.ts";
import { failure, type FaultCase, generationRequest, stepThroughFaults } from "./support/providers.ts";

const MODEL = "claude-sonnet-5";

const request = (overrides: Partial<GenerateRequest> = {}) => generationRequest(MODEL, overrides);

function provider(baseUrl: string, apiKey = "test-key") {
  return createAnthropicProvider({ apiKey, baseUrl: `${baseUrl}/anthropic` });
}

Deno.test("Anthropic adapter: tool input as answer, usage, stop reason, latency, version", async () => {
  await using simulator = serveModelSimulator({ seed: "anthropic-test", timeScale: 0, fixedLatencyMs: 150 });
  const claude = provider(simulator.url);
  const result = await claude.generate(request(), AbortSignal.timeout(10_000));
  const answer = result.json as { files: Array<{ path: string; content: string }> };
  assert.ok(answer.files.some((file) => file.path === "src/App.tsx"));
  assert.equal(result.text, JSON.stringify(answer));
  assert.equal(result.finishReason, "tool_use");
  assert.equal(result.modelVersion, `${MODEL}-simulated`);
  assert.ok(result.usage.inputTokens > 0);
  assert.equal(result.usage.outputTokens, Math.ceil(result.text.length / 4));
  assert.ok(result.latencyMs >= 150 && result.latencyMs < 5_000, `${result.latencyMs} ms`);

  const plan = await claude.generate(request({ jsonSchema: PLAN_JSON_SCHEMA }), AbortSignal.timeout(10_000));
  assert.ok((plan.json as { files: Array<{ purpose: string }> }).files.every((file) => file.purpose));
  // The tool's input schema told the simulator what was wanted.
  const calls = await simulator.calls();
  assert.deepEqual(calls.map((call) => [call.protocol, call.kind]), [["anthropic", "files"], [
    "anthropic",
    "plan",
  ]]);
});

Deno.test("Anthropic adapter: plain text when no schema is asked for", async () => {
  await using simulator = serveModelSimulator({ seed: "anthropic-test", timeScale: 0 });
  const result = await provider(simulator.url).generate(
    request({ jsonSchema: undefined }),
    AbortSignal.timeout(10_000),
  );
  assert.equal(result.json, undefined);
  assert.match(result.text, /Simulated output/);
  assert.equal(result.finishReason, "end_turn");
  assert.equal((await simulator.calls())[0].kind, "text");
});

Deno.test("Anthropic adapter: every failure is normalised into its error class", async (t) => {
  await using simulator = serveModelSimulator({ seed: "anthropic-test", timeScale: 0 });
  const claude = provider(simulator.url);
  const cases: FaultCase[] = [
    ["rate_limit", "rate_limit", /429 rate_limit_error: This request would exceed the rate limit/, 429],
    ["server", "server", /500 api_error: Internal server error/, 500],
    ["unavailable", "server", /529 overloaded_error: Overloaded/, 529],
    ["bad_key", "auth", /401 authentication_error: invalid x-api-key/, 401],
    ["malformed", "malformed_output", /response body is not JSON/, 200],
    ["truncated", "malformed_output", /token limit/],
    ["empty", "malformed_output", /empty output/],
    ["safety", "safety_block", /refusal/],
    ["reset", "network", /./],
  ];
  await stepThroughFaults(
    t,
    (rule) => simulator.injectFault(rule),
    () => claude.generate(request(), AbortSignal.timeout(10_000)),
    cases,
    { checkStatus: true },
  );

  await t.step("a truncated answer keeps its token usage", async () => {
    await simulator.injectFault({ fault: "truncated" });
    const error = await failure(claude.generate(request(), AbortSignal.timeout(10_000)));
    assert.ok((error.details.usage?.inputTokens ?? 0) > 0);
    assert.ok((error.details.usage?.outputTokens ?? 0) > 0);
  });

  await t.step("Retry-After becomes retryAfterMs", async () => {
    await simulator.injectFault({ fault: "rate_limit", delayMs: 4_000 });
    const error = await failure(claude.generate(request(), AbortSignal.timeout(10_000)));
    assert.equal(error.details.retryAfterMs, 4_000);
  });

  await t.step("no key → auth", async () => {
    const error = await failure(provider(simulator.url, "").generate(request(), AbortSignal.timeout(10_000)));
    assert.equal(error.errorClass, "auth");
    assert.match(error.message, /x-api-key header is required/);
  });

  await t.step("an unknown model → invalid_request", async () => {
    const error = await failure(claude.generate(request({ model: "claude-0" }), AbortSignal.timeout(10_000)));
    assert.equal(error.errorClass, "invalid_request");
    assert.equal(error.details.status, 404);
    assert.match(error.message, /not_found_error/);
  });

  await t.step(
    "the attempt's deadline passing mid-call → timeout, and the simulator sees it aborted",
    async () => {
      const ref = `ref-${crypto.randomUUID().slice(0, 8)}`;
      await simulator.injectFault({ fault: "timeout", match: ref, delayMs: 5_000 });
      const started = Date.now();
      const error = await failure(
        claude.generate(
          request({ prompt: `${REQUEST_HEADING}\nBuild a todo app (${ref})` }),
          AbortSignal.timeout(200),
        ),
      );
      assert.equal(error.errorClass, "timeout");
      assert.ok(Date.now() - started < 2_000, "the deadline cut the call short");
      let [call] = await simulator.calls(ref);
      for (let tries = 0; call.durationMs === null && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        [call] = await simulator.calls(ref);
      }
      assert.equal(call.aborted, true, "the HTTP call was cancelled");
      assert.ok(call.durationMs! < 2_000, `the simulator stopped after ${call.durationMs} ms, not 5 s`);
    },
  );

  await t.step("the caller going away → cancelled", async () => {
    await simulator.injectFault({ fault: "slow_stream", delayMs: 100 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("client disconnected")), 100);
    const error = await failure(claude.generate(request(), controller.signal));
    assert.equal(error.errorClass, "cancelled");
  });

  await t.step("nothing listening → network", async () => {
    const error = await failure(
      provider(`http://127.0.0.1:${freePort()}`).generate(request(), AbortSignal.timeout(5_000)),
    );
    assert.equal(error.errorClass, "network");
  });
});
