// What the provider adapter tests share: a generation request as the approaches send it, and the error a
// call must fail with.

import assert from "node:assert/strict";
import { FILES_JSON_SCHEMA, REQUEST_HEADING } from "../../supabase/functions/_shared/prompts.ts";
import { type GenerateRequest, ProviderError } from "../../supabase/functions/_shared/providers/types.ts";

/** A simple approach's request for a new todo app, to `model`. */
export function generationRequest(model: string, overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    model,
    system: "You write code.",
    prompt: `${REQUEST_HEADING}\nBuild a todo app\n\n## Task\n` +
      "Type: generation; complexity: medium; requirements: none named.",
    jsonSchema: FILES_JSON_SCHEMA,
    ...overrides,
  };
}

/** The ProviderError a call fails with (and a test failure when it does not fail, or fails otherwise). */
export async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${error}`);
    return error;
  }
  throw new Error("expected the call to fail");
}
