// The model simulator stands in for the catalog's providers: it knows every enabled model of the migrated
// catalog (and no other) on that model's own protocol, and answers any other id — "constructor" included —
// with a 404 in the protocol's own error shape, as the real APIs answer an unknown model.

import assert from "node:assert/strict";
import { providersFromEnv } from "../supabase/functions/_shared/providers/registry.ts";
import { createPostgresStore } from "../supabase/functions/_shared/store/postgres.ts";
import { serveModelSimulator } from "../scripts/model-simulator/server.ts";
import { SIMULATED_MODELS } from "../scripts/model-simulator/models.ts";
import { stackProviders } from "../scripts/model-simulator/stack-env.ts";
import { generationRequest } from "./support/providers.ts";
import { stack } from "./support/stack.ts";

const envOf = (variables: Record<string, string>) => ({ get: (name: string) => variables[name] });

Deno.test("the simulator knows exactly the catalog's enabled models, each on its provider's protocol", async () => {
  const store = createPostgresStore(stack.dbUrl, { requests: 1, records: 1 });
  const catalog = await store.readCatalog().finally(() => store.close());
  assert.deepEqual(Object.keys(SIMULATED_MODELS).sort(), catalog.map((model) => model.id).sort());

  await using simulator = serveModelSimulator({ seed: "catalog-models", timeScale: 0 });
  const providers = providersFromEnv(
    envOf(stackProviders(envOf({ SIMULATED_PROVIDERS: "all" }), simulator.url).variables),
  );
  for (const model of catalog) {
    const result = await providers.get(model.provider)!.generate(
      generationRequest(model.id),
      AbortSignal.timeout(10_000),
    );
    assert.equal(result.modelVersion, `${model.id}-simulated`);
  }
});

Deno.test("an id the simulator does not know: 404 in each protocol's own shape", async () => {
  await using simulator = serveModelSimulator({ seed: "unknown-models", timeScale: 0 });
  const post = (path: string, headers: Record<string, string>, body: unknown) =>
    fetch(`${simulator.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  const messages = [{ role: "user", content: "Build a todo app" }];
  for (const model of ["gemini-2.5-pro", "gpt-4o", "constructor", "__proto__"]) {
    const gemini = await post(`/v1beta/models/${model}:generateContent`, { "x-goog-api-key": "k" }, {
      contents: [{ role: "user", parts: [{ text: "Build a todo app" }] }],
    });
    assert.equal(gemini.status, 404, model);
    assert.equal((await gemini.json()).error.status, "NOT_FOUND", model);

    const openai = await post("/openai/v1/chat/completions", { authorization: "Bearer k" }, {
      model,
      messages,
    });
    assert.equal(openai.status, 404, model);
    const { error } = await openai.json();
    assert.deepEqual([error.type, error.code], ["invalid_request_error", "model_not_found"], model);

    const anthropic = await post("/anthropic/v1/messages", {
      "x-api-key": "k",
      "anthropic-version": "2023-06-01",
    }, {
      model,
      max_tokens: 1_000,
      messages,
    });
    assert.equal(anthropic.status, 404, model);
    const body = await anthropic.json();
    assert.deepEqual([body.type, body.error.type], ["error", "not_found_error"], model);
  }
});
