// What the provider adapter tests share: a generation request as the approaches send it, the error a call
// must fail with, and the steps that inject each fault and check the error it becomes.

import assert from "node:assert/strict";
import { FILES_JSON_SCHEMA, REQUEST_HEADING } from "../../supabase/functions/_shared/run/prompts.ts";
import { type GenerateRequest, ProviderError } from "../../supabase/functions/_shared/providers/types.ts";
import type { FaultRule } from "../../scripts/model-simulator/server.ts";

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

/** A fault the simulator injects, the error class it must become, what the message must say, and (where
 * the adapter reports one) the HTTP status it must carry: undefined for failures inside a 200 answer. */
export type FaultCase = [FaultRule["fault"], string, RegExp, number?];

/** One step per case: the fault injected into the next call, and the error that call fails with. */
export async function stepThroughFaults(
  t: Deno.TestContext,
  inject: (rule: FaultRule) => Promise<void>,
  generate: () => Promise<unknown>,
  cases: FaultCase[],
  options: { checkStatus: boolean },
): Promise<void> {
  for (const [fault, errorClass, message, status] of cases) {
    await t.step(`${fault} → ${errorClass}`, async () => {
      await inject({ fault });
      const error = await failure(generate());
      assert.equal(error.errorClass, errorClass, error.message);
      assert.match(error.message, message);
      if (options.checkStatus) assert.equal(error.details.status, status);
    });
  }
}
