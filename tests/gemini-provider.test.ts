// The Gemini adapter (the official @google/genai SDK underneath) against the simulated Gemini REST API:
// structured output, token usage, finish reason and latency, and each failure normalised into its class.

import assert from "node:assert/strict";
import { createGeminiProvider } from "../supabase/functions/_shared/providers/gemini.ts";
import type { GenerateRequest } from "../supabase/functions/_shared/providers/types.ts";
import { type FaultRule, serveModelSimulator } from "../scripts/model-simulator/server.ts";
import { freePort } from "./support/processes.ts";
import { failure, type FaultCase, generationRequest, stepThroughFaults } from "./support/providers.ts";

const request = (overrides: Partial<GenerateRequest> = {}) =>
  generationRequest("gemini-3.8-flash", overrides);

async function withSimulator(
  fn: (baseUrl: string, inject: (rule: FaultRule) => Promise<void>) => Promise<void>,
) {
  await using simulator = serveModelSimulator({ seed: "provider-test", timeScale: 0 });
  await fn(simulator.url, (rule) => simulator.injectFault(rule));
}

Deno.test("Gemini adapter: structured output with usage, finish reason, latency and model version", async () => {
  await withSimulator(async (baseUrl) => {
    const gemini = createGeminiProvider({ apiKey: "test-key", baseUrl });
    const result = await gemini.generate(request(), AbortSignal.timeout(10_000));
    const answer = result.json as { files: Array<{ path: string; content: string }> };
    assert.ok(answer.files.some((file) => file.path === "src/App.tsx"));
    assert.equal(result.text, JSON.stringify(answer));
    assert.equal(result.finishReason, "STOP");
    assert.equal(result.modelVersion, "gemini-3.8-flash-simulated");
    assert.ok(result.usage.inputTokens > 0);
    assert.equal(result.usage.outputTokens, Math.ceil(result.text.length / 4));
    assert.ok(result.latencyMs >= 0);

    const pro = await gemini.generate(
      request({ model: "gemini-3.1-pro-preview" }),
      AbortSignal.timeout(10_000),
    );
    const visible = Math.ceil(pro.text.length / 4);
    assert.equal(
      pro.usage.outputTokens,
      visible + Math.round(visible * 0.3),
      "thinking tokens are billed as output",
    );
  });
});

Deno.test("Gemini adapter: plain text output when no schema is asked for", async () => {
  await withSimulator(async (baseUrl) => {
    const gemini = createGeminiProvider({ apiKey: "test-key", baseUrl });
    const result = await gemini.generate(request({ jsonSchema: undefined }), AbortSignal.timeout(10_000));
    assert.equal(result.json, undefined);
    assert.match(result.text, /Simulated output/);
  });
});

Deno.test("Gemini adapter: every failure is normalised into its error class", async (t) => {
  await withSimulator(async (baseUrl, inject) => {
    const gemini = createGeminiProvider({ apiKey: "test-key", baseUrl });
    const cases: FaultCase[] = [
      ["rate_limit", "rate_limit", /RESOURCE_EXHAUSTED/],
      ["server", "server", /INTERNAL/],
      ["unavailable", "server", /overloaded/],
      ["bad_key", "auth", /API key not valid/],
      ["malformed", "malformed_output", /not valid JSON/],
      ["truncated", "malformed_output", /token limit/],
      ["empty", "malformed_output", /no candidates/],
      ["safety", "safety_block", /SAFETY/],
      ["reset", "network", /./],
    ];
    await stepThroughFaults(
      t,
      inject,
      () => gemini.generate(request(), AbortSignal.timeout(10_000)),
      cases,
      { checkStatus: false },
    );

    await t.step("a billed failure keeps its token usage", async () => {
      await inject({ fault: "truncated" });
      const error = await failure(gemini.generate(request(), AbortSignal.timeout(10_000)));
      assert.ok((error.details.usage?.outputTokens ?? 0) > 0);
    });

    await t.step("an unknown model → invalid_request", async () => {
      const error = await failure(
        gemini.generate(request({ model: "gemini-0-nope" }), AbortSignal.timeout(10_000)),
      );
      assert.equal(error.errorClass, "invalid_request");
      assert.equal(error.details.status, 404);
    });

    await t.step("the attempt's deadline passing mid-call → timeout, and the call is aborted", async () => {
      // The simulator may not notice the client leave before it answers; keep its hang short.
      await inject({ fault: "timeout", delayMs: 3_000 });
      const started = Date.now();
      const error = await failure(gemini.generate(request(), AbortSignal.timeout(200)));
      assert.equal(error.errorClass, "timeout");
      assert.ok(Date.now() - started < 2_000, "the deadline cut the call short");
    });

    await t.step("a stream that stalls past the deadline → timeout", async () => {
      await inject({ fault: "slow_stream", delayMs: 100 });
      const longAnswer = request({
        model: "gemini-3.1-pro-preview",
        prompt: `${request().prompt}\nwith auth, charts, routing`,
      });
      const error = await failure(gemini.generate(longAnswer, AbortSignal.timeout(300)));
      assert.equal(error.errorClass, "timeout");
    });

    await t.step("the caller going away → cancelled", async () => {
      await inject({ fault: "timeout", delayMs: 3_000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error("client disconnected")), 100);
      const error = await failure(gemini.generate(request(), controller.signal));
      assert.equal(error.errorClass, "cancelled");
    });
  });

  await t.step("nothing listening → network", async () => {
    const gemini = createGeminiProvider({ apiKey: "test-key", baseUrl: `http://127.0.0.1:${freePort()}` });
    const error = await failure(gemini.generate(request(), AbortSignal.timeout(5_000)));
    assert.equal(error.errorClass, "network");
  });
});

Deno.test("Gemini adapter: a prompt sent again is read from the cache, and its usage says so", async () => {
  await withSimulator(async (baseUrl) => {
    const gemini = createGeminiProvider({ apiKey: "test-key", baseUrl });
    const long = request({ system: "You write code.\n".repeat(400) }); // over the 1,024 tokens caching needs
    const first = await gemini.generate(long, AbortSignal.timeout(10_000));
    assert.equal(first.usage.cachedInputTokens, undefined);
    const again = await gemini.generate(long, AbortSignal.timeout(10_000));
    assert.equal(again.usage.inputTokens, first.usage.inputTokens);
    assert.equal(again.usage.cachedInputTokens, Math.floor(first.usage.inputTokens / 128) * 128);
    const short = request();
    await gemini.generate(short, AbortSignal.timeout(10_000));
    assert.equal(
      (await gemini.generate(short, AbortSignal.timeout(10_000))).usage.cachedInputTokens,
      undefined,
    );
  });
});
