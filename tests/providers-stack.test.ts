// The catalog's other providers end to end: a second functions router over the test stack's database,
// with every provider of the registry simulated (Anthropic's Messages API; OpenAI-compatible chat
// completions for OpenAI, DeepSeek, Qwen and a local Ollama), called the way apps call it. Each named
// model answers through its own wire protocol, and its attempt is recorded with its provider and cost.

import assert from "node:assert/strict";
import { estimateOrchestration, invokeOrchestrator } from "../shared/mod.ts";
import { stackProviders } from "../scripts/model-simulator/stack-env.ts";
import { ROOT, startRouter } from "./support/processes.ts";
import {
  database,
  marker,
  recordedRows,
  simulatorCalls,
  stack,
  succeeded,
  userClient,
  userToken,
} from "./support/stack.ts";

const SIMULATOR_URL = new URL(stack.simulatorUrl).origin;

/** Each provider's model, the protocol the simulator must have been spoken to in, and its price. */
const CASES = [
  { model: "claude-sonnet-5", provider: "anthropic", protocol: "anthropic", free: false },
  { model: "gpt-6-luna", provider: "openai", protocol: "openai-compatible", free: false },
  { model: "deepseek-v4-flash", provider: "deepseek", protocol: "openai-compatible", free: false },
  { model: "qwen3.6-flash", provider: "qwen", protocol: "openai-compatible", free: false },
  { model: "llama3.2", provider: "ollama", protocol: "openai-compatible", free: true },
] as const;

Deno.test({
  name: "every provider of the catalog, simulated, through the deployed function",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const providers = stackProviders(
      { get: (name) => name === "SIMULATED_PROVIDERS" ? "all" : undefined },
      SIMULATOR_URL,
    );
    const router = await startRouter(`${ROOT}/supabase`, providers.variables);
    const sql = database();
    const userId = crypto.randomUUID();
    const client = userClient(await userToken(userId), router.base);
    try {
      await t.step(
        "estimates plan across providers; a free local model leads where it clears the floor",
        async () => {
          const data = succeeded(
            await estimateOrchestration(client, {
              request: "Restyle the header: a dark theme, larger fonts and more spacing",
              tier: "budget",
              explore: false,
            }),
          );
          assert.equal(data.profile.taskType, "style");
          const planned = new Set(
            Object.values(data.plans).flatMap((plan) => plan.strategies.map((s) => s.provider)),
          );
          assert.ok(planned.size >= 3, `several providers planned: ${[...planned]}`);
          const cheapest = data.plans.budget.strategies[0];
          assert.equal(cheapest.isLocal, true, JSON.stringify(cheapest));
          assert.equal(cheapest.estimatedCostUsd, 0);
          assert.ok(cheapest.expectedQuality >= 60);
          for (const strategy of Object.values(data.plans).flatMap((plan) => plan.strategies)) {
            assert.ok(strategy.estimatedCostUsd <= strategy.maxCostUsd, JSON.stringify(strategy));
          }
        },
      );

      for (const c of CASES) {
        await t.step(`${c.provider}: ${c.model}`, async () => {
          const ref = marker();
          const data = succeeded(
            await invokeOrchestrator(client, {
              request: `Build a counter app with a reset button (${ref})`,
              models: [c.model],
              maxStrategies: 1,
              qualityThreshold: 0,
            }),
          );
          assert.deepEqual([data.strategy.model, data.strategy.provider], [c.model, c.provider]);
          assert.ok(data.files.length > 0);
          assert.ok(data.attempts[0].tokens.output > 0, "usage comes back through the protocol");
          assert.equal(data.attempts[0].costUsd === 0, c.free, "priced from the catalog");

          const calls = await simulatorCalls(ref);
          assert.ok(calls.length >= 1);
          assert.ok(calls.every((call) => call.protocol === c.protocol && call.model === c.model));
          assert.ok(
            calls.every((call) => call.maxOutputTokens !== null),
            "every call names its output cap",
          );

          const { selection, attempts } = await recordedRows(sql, data.requestId);
          assert.equal(selection.selected_model, c.model);
          assert.deepEqual(
            attempts.map((row) => [row.model_name, row.provider, Number(row.cost_usd)]),
            [[c.model, c.provider, data.attempts[0].costUsd]],
          );
        });
      }
    } finally {
      await sql.end();
      await router.stop();
    }
  },
});
