// Retries of one model call, through the real Gemini adapter against the simulated Gemini API: which
// failures are retried, how long the waits are, and when retrying stops.

import assert from "node:assert/strict";
import { createGeminiProvider } from "../supabase/functions/_shared/providers/gemini.ts";
import { ProviderError } from "../supabase/functions/_shared/providers/types.ts";
import { realClock } from "../supabase/functions/_shared/clock.ts";
import { backoffMs, retrying, type RetryPolicy } from "../supabase/functions/_shared/providers/retry.ts";
import { FILES_JSON_SCHEMA, REQUEST_HEADING } from "../supabase/functions/_shared/run/prompts.ts";
import { type CallRecord, createModelSimulator, type FaultRule } from "../scripts/model-simulator/server.ts";
import { freePort } from "./support/processes.ts";

const request = {
  model: "gemini-3.5-flash-lite",
  system: "You write code.",
  prompt: `${REQUEST_HEADING}\nBuild a notes app`,
  jsonSchema: FILES_JSON_SCHEMA,
};
const fast: RetryPolicy = { maxRetries: 2, baseDelayMs: 20, maxDelayMs: 3_000, maxElapsedMs: 10_000 };

async function withSimulator(
  fn: (ctx: {
    baseUrl: string;
    inject: (rule: FaultRule) => Promise<void>;
    calls: () => Promise<CallRecord[]>;
  }) => Promise<void>,
) {
  const port = freePort();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => {} },
    createModelSimulator({ seed: "retry", timeScale: 0 }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await fn({
      baseUrl,
      inject: async (rule) =>
        void await (await fetch(`${baseUrl}/_simulator/faults`, {
          method: "POST",
          body: JSON.stringify(rule),
        })).text(),
      calls: async () => await (await fetch(`${baseUrl}/_simulator/calls`)).json(),
    });
  } finally {
    await server.shutdown();
  }
}

Deno.test("backoff doubles per retry, half of it random, within the ceiling", () => {
  const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1_000, maxElapsedMs: 60_000 };
  assert.equal(backoffMs(policy, 0, 0), 50);
  assert.equal(backoffMs(policy, 0, 1), 100);
  assert.equal(backoffMs(policy, 2, 0), 200);
  assert.equal(backoffMs(policy, 2, 1), 400);
  assert.equal(backoffMs(policy, 10, 1), 1_000, "capped at maxDelayMs");
});

Deno.test("rate limits, server and network errors are retried until the call succeeds", async (t) => {
  await withSimulator(async ({ baseUrl, inject, calls }) => {
    const gemini = retrying(createGeminiProvider({ apiKey: "k", baseUrl }), fast, realClock, Math.random);
    for (const fault of ["server", "unavailable", "reset"] as const) {
      await t.step(fault, async () => {
        const before = (await calls()).length;
        await inject({ fault, times: 2 });
        const result = await gemini.generate(request, AbortSignal.timeout(10_000));
        assert.equal(result.retries, 2);
        assert.ok(result.json, "the third call answered");
        assert.equal((await calls()).length - before, 3, "three calls reached the provider");
      });
    }
  });
});

Deno.test("validation, safety and malformed answers are never retried", async (t) => {
  await withSimulator(async ({ baseUrl, inject, calls }) => {
    const gemini = retrying(createGeminiProvider({ apiKey: "k", baseUrl }), fast, realClock, Math.random);
    for (
      const [fault, errorClass] of [["safety", "safety_block"], ["malformed", "malformed_output"], [
        "bad_key",
        "auth",
      ]] as const
    ) {
      await t.step(fault, async () => {
        const before = (await calls()).length;
        await inject({ fault });
        await assert.rejects(
          gemini.generate(request, AbortSignal.timeout(10_000)),
          (error: ProviderError) => {
            assert.equal(error.errorClass, errorClass);
            assert.equal(error.details.retries, 0);
            return true;
          },
        );
        assert.equal((await calls()).length - before, 1, "one call only");
      });
    }
    await t.step("an unknown model (invalid request)", async () => {
      await assert.rejects(
        gemini.generate({ ...request, model: "gemini-0-nope" }, AbortSignal.timeout(10_000)),
        (error: ProviderError) => error.errorClass === "invalid_request" && error.details.retries === 0,
      );
    });
  });
});

Deno.test("Retry-After is honoured: no retry sooner than the provider asks, none when it asks too much", async () => {
  await withSimulator(async ({ baseUrl, inject }) => {
    // The simulator asks for 2 s (RetryInfo.retryDelay), like Gemini's quota errors.
    const patient = retrying(createGeminiProvider({ apiKey: "k", baseUrl }), fast, realClock, Math.random);
    await inject({ fault: "rate_limit", times: 1 });
    const started = Date.now();
    const result = await patient.generate(request, AbortSignal.timeout(10_000));
    assert.equal(result.retries, 1);
    assert.ok(Date.now() - started >= 2_000, `waited ${Date.now() - started} ms`);

    const hurried = retrying(
      createGeminiProvider({ apiKey: "k", baseUrl }),
      { ...fast, maxDelayMs: 1_000 },
      realClock,
      Math.random,
    );
    await inject({ fault: "rate_limit", times: 1 });
    await assert.rejects(hurried.generate(request, AbortSignal.timeout(10_000)), (error: ProviderError) => {
      assert.equal(error.errorClass, "rate_limit");
      assert.equal(
        error.details.retries,
        0,
        "2 s is more than this policy waits: fail now, let a fallback run",
      );
      assert.equal(error.details.retryAfterMs, 2_000);
      return true;
    });
  });
});

Deno.test("retries stop at the cap in count and in time, and when the caller aborts", async () => {
  await withSimulator(async ({ baseUrl, inject }) => {
    const gemini = retrying(createGeminiProvider({ apiKey: "k", baseUrl }), fast, realClock, Math.random);
    await inject({ fault: "server", times: 5 });
    await assert.rejects(
      gemini.generate(request, AbortSignal.timeout(10_000)),
      (error: ProviderError) => error.errorClass === "server" && error.details.retries === 2,
    );

    const short = retrying(
      createGeminiProvider({ apiKey: "k", baseUrl }),
      {
        ...fast,
        baseDelayMs: 400,
        maxElapsedMs: 150,
      },
      realClock,
      Math.random,
    );
    await inject({ fault: "server", times: 5 });
    await assert.rejects(
      short.generate(request, AbortSignal.timeout(10_000)),
      (error: ProviderError) => error.details.retries === 0,
    );

    const slow = retrying(
      createGeminiProvider({ apiKey: "k", baseUrl }),
      { ...fast, baseDelayMs: 2_000 },
      realClock,
      Math.random,
    );
    await inject({ fault: "server", times: 5 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("client went away")), 200);
    await assert.rejects(
      slow.generate(request, controller.signal),
      (error: ProviderError) => error.errorClass === "cancelled",
    );
  });
});
