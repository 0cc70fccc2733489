// The intent call's pure parts: which model is asked (the cheapest configured one), what its worst case
// is (never below what a call of the longest request can be charged), and the prompt it is sent.

import assert from "node:assert/strict";
import { costUsd } from "../supabase/functions/_shared/plan/catalog.ts";
import { intentModel, intentPrompt, intentWorstCaseUsd } from "../supabase/functions/_shared/plan/intent.ts";
import { CATALOG } from "./support/planning.ts";

const shortCall = (id: string) => costUsd(CATALOG.find((model) => model.id === id)!, 1_000, 256);

Deno.test("the intent call asks the cheapest model of a configured provider", () => {
  const providers = [...new Set(CATALOG.map((model) => model.provider))];
  for (const provider of providers) {
    const chosen = intentModel(CATALOG, new Set([provider]))!;
    assert.equal(chosen.provider, provider);
    for (const other of CATALOG.filter((model) => model.provider === provider)) {
      assert.ok(shortCall(chosen.id) <= shortCall(other.id), `${chosen.id} is no dearer than ${other.id}`);
    }
  }
  assert.equal(intentModel(CATALOG, new Set()), null, "no configured provider, no call");
});

Deno.test("the intent call's worst case covers its whole prompt at a token a byte, and its output cap", () => {
  const model = intentModel(CATALOG, new Set(["gemini"]))!;
  const request = "é".repeat(20_000);
  const bytes = new TextEncoder().encode(intentPrompt(request, [])).length;
  assert.ok(intentWorstCaseUsd(model, request, []) >= costUsd(model, bytes, 256));
  // The request is cut to its first 4,000 characters and 20 file names.
  const paths = Array.from({ length: 50 }, (_, i) => `src/f${i}.ts`);
  const prompt = intentPrompt(request, paths);
  assert.ok(prompt.includes("src/f19.ts") && !prompt.includes("src/f20.ts"));
  assert.equal(prompt.split("## Request\n")[1].length, 4_000);
});
