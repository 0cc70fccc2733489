// The spend guard holds a request's model calls to its reservation: through the real Gemini adapter
// against the simulated Gemini API, which cuts answers off at the output cap they ask for, as real
// models do.

import assert from "node:assert/strict";
import { costUsd } from "../supabase/functions/_shared/plan/catalog.ts";
import { FILES_JSON_SCHEMA, REQUEST_HEADING } from "../supabase/functions/_shared/run/prompts.ts";
import { createGeminiProvider } from "../supabase/functions/_shared/providers/gemini.ts";
import { createOpenAICompatibleProvider } from "../supabase/functions/_shared/providers/openai-compatible.ts";
import { type GenerateRequest, ProviderError } from "../supabase/functions/_shared/providers/types.ts";
import { SpendAllowance, withinAllowance } from "../supabase/functions/_shared/budget/spend-guard.ts";
import { MIN_OUTPUT_CAP } from "../supabase/functions/_shared/plan/cost-model.ts";
import { serveModelSimulator } from "../scripts/model-simulator/server.ts";
import { CATALOG } from "./support/planning.ts";

const pro = CATALOG.find((model) => model.id === "gemini-3.1-pro-preview")!;

function request(ref: string, overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    model: pro.id,
    system: "You write code.",
    prompt: `${REQUEST_HEADING}\nBuild a complete todo app with authentication (${ref})\n\n## Task\n` +
      "Type: generation; complexity: high; requirements: auth.",
    jsonSchema: FILES_JSON_SCHEMA,
    maxOutputTokens: 32_768,
    ...overrides,
  };
}

Deno.test("spend guard: calls are capped to what is left, refused below a useful cap, never overspend", async (t) => {
  await using simulator = serveModelSimulator({ seed: "spend-guard", timeScale: 0 });
  const gemini = createGeminiProvider({ apiKey: "test-key", baseUrl: simulator.url });

  await t.step("with room to spare, a call goes out with the cap it asked for", async () => {
    const allowance = new SpendAllowance(10);
    const result = await withinAllowance(gemini, allowance, CATALOG).generate(
      request("roomy"),
      AbortSignal.timeout(10_000),
    );
    const [call] = await simulator.calls("roomy");
    assert.equal(call.maxOutputTokens, 32_768);
    assert.equal(allowance.spentUsd, costUsd(pro, result.usage.inputTokens, result.usage.outputTokens));
    assert.equal(allowance.heldUsd, 0, "nothing stays held once the call is over");
  });

  await t.step(
    "with little left, the cap is lowered to what the money buys, and the answer stops there",
    async () => {
      // How long the answer is when nothing holds it back.
      const full = await gemini.generate(request("tight"), AbortSignal.timeout(10_000));
      assert.ok(full.usage.outputTokens > MIN_OUTPUT_CAP + 500, `${full.usage.outputTokens} output tokens`);
      // Money for the prompt's worst case (its bytes) and an output cap halfway to the full answer.
      const cap = Math.round((full.usage.outputTokens + MIN_OUTPUT_CAP) / 2);
      const { system, prompt, jsonSchema } = request("tight");
      const promptBytes = new TextEncoder().encode(system + prompt + JSON.stringify(jsonSchema)).length;
      const limit = (promptBytes * pro.inputPricePerMTok + cap * pro.outputPricePerMTok) / 1e6;
      const allowance = new SpendAllowance(limit);
      const failure = await withinAllowance(gemini, allowance, CATALOG)
        .generate(request("tight"), AbortSignal.timeout(10_000))
        .then(() => null, (error) => error);
      const calls = await simulator.calls("tight");
      // (give or take the rounding of dollars into whole tokens)
      assert.ok(
        Math.abs(calls[1].maxOutputTokens! - cap) <= 1,
        `asked for ${calls[1].maxOutputTokens}, not ${cap}`,
      );
      // Cut off at the cap, and billed up to it.
      assert.ok(failure instanceof ProviderError && failure.errorClass === "malformed_output", `${failure}`);
      assert.ok(
        allowance.spentUsd > 0 && allowance.spentUsd <= limit,
        `spent ${allowance.spentUsd} of ${limit}`,
      );
    },
  );

  await t.step("below a useful cap the call is not made at all", async () => {
    const allowance = new SpendAllowance(0.005);
    const failure = await withinAllowance(gemini, allowance, CATALOG)
      .generate(request("starved"), AbortSignal.timeout(10_000))
      .then(() => null, (error) => error);
    assert.ok(failure instanceof ProviderError);
    assert.equal(failure.errorClass, "budget_exceeded");
    assert.match(failure.message, /not enough for a call to gemini-3\.1-pro-preview/);
    assert.deepEqual(await simulator.calls("starved"), [], "the provider never saw it");
    assert.equal(allowance.spentUsd, 0);
  });

  await t.step("parallel calls hold their worst case: together they stay within the allowance", async () => {
    const limit = 0.2;
    const allowance = new SpendAllowance(limit);
    const guarded = withinAllowance(gemini, allowance, CATALOG);
    const outcomes = await Promise.all(
      Array.from(
        { length: 12 },
        (_, i) =>
          guarded.generate(request(`parallel-${i}-`), AbortSignal.timeout(10_000)).then(
            () => "answered",
            (error: ProviderError) => error.errorClass,
          ),
      ),
    );
    assert.ok(outcomes.includes("budget_exceeded"), "some calls found nothing left");
    assert.ok(outcomes.some((outcome) => outcome !== "budget_exceeded"), "some calls went out");
    assert.ok(allowance.spentUsd <= limit, `spent ${allowance.spentUsd} of ${limit}`);
    assert.equal(allowance.heldUsd, 0);
  });

  await t.step(
    "a call that does not fit while another holds the money waits for it, then goes out",
    async () => {
      const { system, prompt, jsonSchema } = request("queued-0-");
      const promptBytes = new TextEncoder().encode(system + prompt + JSON.stringify(jsonSchema)).length;
      // Room for one call's worst case and 3% of another's (below a useful cap): at once, the second would
      // be refused.
      const worstCase = (promptBytes * pro.inputPricePerMTok + 32_768 * pro.outputPricePerMTok) / 1e6;
      const limit = worstCase * 1.03;
      const allowance = new SpendAllowance(limit);
      const guarded = withinAllowance(gemini, allowance, CATALOG);
      const [first, second] = await Promise.all(
        [0, 1].map((i) => guarded.generate(request(`queued-${i}-`), AbortSignal.timeout(10_000))),
      );
      assert.ok(first.usage.outputTokens > 0 && second.usage.outputTokens > 0, "both answered");
      const [one] = await simulator.calls("queued-0-");
      const [two] = await simulator.calls("queued-1-");
      assert.ok(two.startedAt >= one.startedAt, "the second went out after the first");
      assert.ok(
        two.maxOutputTokens! > 0.5 * 32_768,
        `with the first's unused hold back: ${two.maxOutputTokens}`,
      );
      assert.ok(allowance.spentUsd <= limit, `spent ${allowance.spentUsd} of ${limit}`);
      assert.equal(allowance.heldUsd, 0);
    },
  );

  await t.step("a call waiting for the money is cancelled with its request", async () => {
    const allowance = new SpendAllowance(0.4);
    allowance.hold(0.399);
    const waiting = withinAllowance(gemini, allowance, CATALOG)
      .generate(request("cancelled-wait"), AbortSignal.timeout(200))
      .then(() => null, (error) => error);
    const failure = await waiting;
    assert.ok(failure instanceof ProviderError && failure.errorClass === "cancelled", `${failure}`);
    assert.deepEqual(await simulator.calls("cancelled-wait"), []);
  });

  await t.step("free local models are never held back", async () => {
    // Ministral on a local OpenAI-compatible server (Ollama), priced at nothing.
    const ministral = { ...CATALOG.find((model) => model.isLocal)!, id: "ministral-3:8b" };
    const ollama = createOpenAICompatibleProvider({
      name: "ollama",
      baseUrl: `${simulator.url}/openai/v1`,
      jsonMode: "json_schema",
    });
    const allowance = new SpendAllowance(0);
    const result = await withinAllowance(ollama, allowance, [ministral])
      .generate(
        request("local", { model: "ministral-3:8b", maxOutputTokens: 8_192 }),
        AbortSignal.timeout(10_000),
      );
    assert.ok(result.usage.outputTokens > 0);
    assert.equal((await simulator.calls("local"))[0].maxOutputTokens, 8_192);
    assert.equal(allowance.spentUsd, 0);
  });
});
