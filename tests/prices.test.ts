// One price function (plan/prices.ts, behind costUsd) for every figure of money: @pydantic/genai-prices'
// calcPrice for the models it lists — tiered prices and dated ones included — the catalog's price
// otherwise; and the estimate, the spend guard (the hold of a call and the count after it) and what an
// attempt is charged all come out of it, call by call, even past a tier's threshold.

import assert from "node:assert/strict";
import { calcPrice } from "@pydantic/genai-prices";
import {
  CachedCatalog,
  type CatalogModel,
  costOfUsage,
  costUsd,
  usd,
} from "../supabase/functions/_shared/plan/catalog.ts";
import { estimateStrategy } from "../supabase/functions/_shared/plan/cost-model.ts";
import { profileTask } from "../supabase/functions/_shared/plan/profile.ts";
import { SpendAllowance, withinAllowance } from "../supabase/functions/_shared/budget/spend-guard.ts";
import { DEFAULT_APPROACH_OPTIONS, runApproach } from "../supabase/functions/_shared/run/approaches.ts";
import { attempt } from "../supabase/functions/_shared/run/attempt.ts";
import { CircuitBreakers, DEFAULT_BREAKER_OPTIONS } from "../supabase/functions/_shared/run/breaker.ts";
import {
  FILES_JSON_SCHEMA,
  PLAN_JSON_SCHEMA,
  type PromptInput,
  simplePrompt,
  systemPrompt,
} from "../supabase/functions/_shared/run/prompts.ts";
import type { Approach, Quality } from "../supabase/functions/_shared/contract.ts";
import type { GenerateRequest, Provider, TokenUsage } from "../supabase/functions/_shared/providers/types.ts";
import { CATALOG } from "./support/planning.ts";

const AT = new Date("2026-12-01T12:00:00Z");
const model = (id: string): CatalogModel => ({ ...CATALOG.find((entry) => entry.id === id)!, pricedAt: AT });
// Gemini 3.1 Pro: $2 / $12 per million tokens, $4 / $18 for every token of a call past 200,000 input tokens.
const pro = model("gemini-3.1-pro-preview");
const THRESHOLD = 200_000;

/** What the package itself says a call of the catalog's Gemini Pro costs. */
const listed = (inputTokens: number, outputTokens: number) =>
  calcPrice({ input_tokens: inputTokens, output_tokens: outputTokens }, pro.id, {
    providerId: "google",
    timestamp: AT,
  })!.total_price;

Deno.test("calcPrice for the models the package lists, the catalog's price for the rest", () => {
  assert.equal(costUsd(pro, 100_000, 2_000), usd(listed(100_000, 2_000)));
  assert.equal(costUsd(pro, 100_000, 2_000), usd((100_000 * 2 + 2_000 * 12) / 1e6), "below the threshold");
  // One token past it, every token of the call costs the dearer rate.
  assert.equal(costUsd(pro, THRESHOLD + 1, 2_000), usd(((THRESHOLD + 1) * 4 + 2_000 * 18) / 1e6));
  assert.equal(costUsd(pro, THRESHOLD + 1, 2_000), usd(listed(THRESHOLD + 1, 2_000)));

  // Gemini 3.8 Flash's introductory price ends with 2026.
  const flash = model("gemini-3.8-flash");
  assert.equal(costUsd({ ...flash, pricedAt: new Date("2026-12-31T23:59:59Z") }, 1e6, 1e6), 0.75 + 3.75);
  assert.equal(costUsd({ ...flash, pricedAt: new Date("2027-01-01T00:00:00Z") }, 1e6, 1e6), 1.5 + 7.5);

  // A model the package does not list is priced by the catalog; a local one is free whatever its name.
  const unlisted = model("small-cloud");
  assert.equal(costUsd(unlisted, 1e6, 1e6), unlisted.inputPricePerMTok + unlisted.outputPricePerMTok);
  const local = { ...model("local-coder"), id: "gpt-6-sol" };
  assert.equal(costUsd(local, 1e6, 1e6), 0);
});

Deno.test("input read from the provider's prompt cache costs the cache-read price; the catalog's is flat", () => {
  const flash = { ...model("gemini-3.8-flash"), pricedAt: AT };
  const cached = { inputTokens: 10_000, outputTokens: 500, cachedInputTokens: 8_192 };
  const expected =
    calcPrice({ input_tokens: 10_000, output_tokens: 500, cache_read_tokens: 8_192 }, flash.id, {
      providerId: "google",
      timestamp: AT,
    })!.total_price;
  assert.equal(costOfUsage(flash, cached), usd(expected));
  assert.ok(costOfUsage(flash, cached) < costUsd(flash, 10_000, 500), "cache reads are cheaper");
  assert.equal(costOfUsage(flash, { inputTokens: 10_000, outputTokens: 500 }), costUsd(flash, 10_000, 500));
  const unlisted = model("small-cloud");
  assert.equal(
    costOfUsage(unlisted, cached),
    costUsd(unlisted, 10_000, 500),
    "no cache price in the catalog",
  );
});

Deno.test("a request's catalog copy is priced at the moment it asked, the read itself cached", async () => {
  let reads = 0;
  let wall = new Date("2026-12-31T23:59:00Z");
  const source = { readCatalog: () => (reads++, Promise.resolve([model("gemini-3.8-flash")])) };
  const catalog = new CachedCatalog(source, 60_000, () => 0, () => wall);
  const [before] = await catalog.get();
  wall = new Date("2027-01-01T00:01:00Z");
  const [after] = await catalog.get();
  assert.equal(reads, 1);
  assert.deepEqual([before.pricedAt, after.pricedAt], [new Date("2026-12-31T23:59:00Z"), wall]);
  assert.deepEqual([costUsd(before, 1e6, 0), costUsd(after, 1e6, 0)], [0.75, 1.5]);
});

/** A model answering every call with `usage`, recording the output cap each call asked for. */
function fakeModel(usage: (request: GenerateRequest) => TokenUsage) {
  const caps: number[] = [];
  const provider: Provider = {
    name: "gemini",
    generate(request) {
      caps.push(request.maxOutputTokens!);
      const json = request.jsonSchema === PLAN_JSON_SCHEMA
        ? { files: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ path: `src/f${n}.ts`, purpose: "a module" })) }
        : { files: [{ path: "src/f1.ts", content: "export const one = 1;\n" }] };
      return Promise.resolve({
        text: JSON.stringify(json),
        json,
        usage: usage(request),
        finishReason: "STOP",
        latencyMs: 1,
        modelVersion: `${request.model}-fake`,
      });
    },
  };
  return { provider, caps };
}

const QUALITY: Quality = {
  overall: 90,
  completeness: 90,
  codeQuality: 90,
  functionality: 90,
  performance: 90,
  issues: [],
};

/** An attempt as the runner makes it: through the spend guard, charged as attempt.ts charges it. */
function guardedAttempt(
  provider: Provider,
  allowance: SpendAllowance,
  approach: Approach,
  input: PromptInput,
) {
  const guarded = withinAllowance(provider, allowance, [pro]);
  return attempt(
    { model: pro.id, provider: pro.provider, approach },
    0,
    {
      providers: new Map([[pro.provider, guarded]]),
      catalog: [pro],
      score: () => Promise.resolve(QUALITY),
      signal: AbortSignal.timeout(10_000),
      breakers: new CircuitBreakers(DEFAULT_BREAKER_OPTIONS, () => 0),
      clock: { now: () => 0, sleep: () => Promise.resolve() },
      progress: () => {},
      nextIndex: () => 0,
    },
    (client, entry, signal) => runApproach(approach, client, entry, input, DEFAULT_APPROACH_OPTIONS, signal),
    {
      timeoutMs: 10_000,
    },
  );
}

// A request whose existing code is long enough to take one call past the threshold (at 4 characters a
// token the estimate counts 250,000 tokens of it).
const BIG: PromptInput = {
  request: "Fix the failing build",
  contextFiles: [{ path: "src/big.ts", content: `export const data = "${"x".repeat(1_000_000)}";\n` }],
  profile: profileTask({
    request: "Fix the failing build",
    contextFiles: [{ path: "src/big.ts", content: "" }],
  }),
};

Deno.test("past the tier's threshold, the estimate, the guard's hold and count, and the charge agree", async () => {
  const estimate = estimateStrategy(pro, "simple", BIG, DEFAULT_APPROACH_OPTIONS);
  assert.ok(estimate.inputTokens > THRESHOLD, `${estimate.inputTokens} input tokens`);
  assert.equal(estimate.costUsd, usd(listed(estimate.inputTokens, estimate.outputTokens)));
  const promptBytes = new TextEncoder().encode(
    systemPrompt(BIG) + simplePrompt(BIG) + JSON.stringify(FILES_JSON_SCHEMA),
  ).length;
  assert.equal(estimate.maxCostUsd, usd(listed(promptBytes, 32_768)), "the worst case, at the dearer rate");

  // The guard holds the call at the dearer rate: with money for 3,000 output tokens at $18 a million (which
  // would buy 4,500 at the first tier's $12), it asks for 3,000.
  const real = { inputTokens: 250_000, outputTokens: 2_500 };
  const { provider, caps } = fakeModel(() => real);
  const allowance = new SpendAllowance(costUsd(pro, promptBytes, 3_000) + 2e-6);
  const outcome = await guardedAttempt(provider, allowance, "simple", BIG);
  assert.ok(outcome.success, JSON.stringify(outcome.error));
  assert.ok(Math.abs(caps[0] - 3_000) <= 1, `asked for ${caps[0]} output tokens`);

  // What the guard counted is what the attempt is charged, and it is the package's tiered price.
  assert.equal(outcome.costUsd, usd(listed(250_000, 2_500)));
  assert.equal(outcome.costUsd, usd((250_000 * 4 + 2_500 * 18) / 1e6));
  assert.equal(allowance.spentUsd, outcome.costUsd);
  assert.equal(allowance.heldUsd, 0);
});

Deno.test("a progressive attempt is charged call by call: calls under the threshold add up past it", async () => {
  // A plan call and two batches of 120,000 input tokens each: 360,000 together, none past 200,000.
  const { provider } = fakeModel((request) => ({
    inputTokens: 120_000,
    outputTokens: request.jsonSchema === PLAN_JSON_SCHEMA ? 400 : 3_000,
  }));
  const allowance = new SpendAllowance(100);
  const input = { ...BIG, contextFiles: [] };
  const outcome = await guardedAttempt(provider, allowance, "progressive", input);
  assert.ok(outcome.success, JSON.stringify(outcome.error));
  assert.equal(outcome.calls, 3);
  assert.deepEqual(outcome.usage, { inputTokens: 360_000, outputTokens: 6_400 });
  const perCall = usd(listed(120_000, 400)) + 2 * usd(listed(120_000, 3_000));
  assert.equal(outcome.costUsd, usd(perCall));
  assert.ok(outcome.costUsd < costUsd(pro, 360_000, 6_400), "not the summed usage at the dearer rate");
  assert.equal(usd(allowance.spentUsd), outcome.costUsd, "the guard counted the same calls the same way");
});
