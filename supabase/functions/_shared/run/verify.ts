// Verification: once the winner is chosen, another model reviews the request and the winning files and
// answers with a verdict, the issues it found and a summary. A verifier that fails, times out or answers
// out of shape costs the request nothing but its verdict: "unavailable", with the reason.

import type { GeneratedFile, Verification } from "../contract.ts";
import { type CatalogModel, costOfUsage } from "../plan/catalog.ts";
import { ProviderError } from "../providers/types.ts";
import type { AttemptContext } from "./attempt.ts";
import { breakerKey } from "./attempt.ts";
import {
  type PromptInput,
  REFINE_LIMITS,
  systemPrompt,
  VERDICT_JSON_SCHEMA,
  VerdictAnswerSchema,
  verifyPrompt,
} from "./prompts.ts";

/** A verifier answers briefly: its verdict, issues and summary fit in this many tokens. */
export const VERIFY_OUTPUT_TOKENS = 4_096;

export interface VerifyContext extends AttemptContext {
  input: PromptInput;
  timeoutMs: number;
}

/** The verification, and what its call used (for the rows). */
export interface VerificationRun {
  verification: Verification;
  inputTokens: number;
  outputTokens: number;
  durationMs: number;
}

const encoder = new TextEncoder();

export async function verifyOutput(
  files: GeneratedFile[],
  verifier: CatalogModel,
  ctx: VerifyContext,
): Promise<VerificationRun> {
  const started = ctx.clock.now();
  const base = { model: verifier.id, provider: verifier.provider, refinedAfter: false };
  const unavailable = (error: string, usage = { inputTokens: 0, outputTokens: 0 }): VerificationRun => ({
    verification: {
      ...base,
      verdict: "unavailable",
      issues: [],
      summary: "",
      costUsd: costOfUsage(verifier, usage),
      error: error.slice(0, 500),
    },
    ...usage,
    durationMs: Math.round(ctx.clock.now() - started),
  });
  const size = files.reduce((sum, file) => sum + encoder.encode(file.content).length, 0);
  if (size > REFINE_LIMITS.filesBytes) {
    return unavailable(`the output is too large to review (${size} bytes)`);
  }
  const provider = ctx.providers.get(verifier.provider);
  if (!provider) return unavailable(`provider "${verifier.provider}" is not configured`);
  try {
    const result = await provider.generate({
      model: verifier.id,
      system: systemPrompt(ctx.input),
      prompt: verifyPrompt(ctx.input, files),
      jsonSchema: VERDICT_JSON_SCHEMA,
      maxOutputTokens: Math.min(VERIFY_OUTPUT_TOKENS, verifier.maxOutputTokens),
    }, AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]));
    ctx.breakers.record(breakerKey({ ...base, approach: "simple" }), { success: true });
    const parsed = VerdictAnswerSchema.safeParse(result.json);
    if (!parsed.success) return unavailable("the verifier's answer is not a verdict", result.usage);
    return {
      verification: {
        ...base,
        ...parsed.data,
        costUsd: costOfUsage(verifier, result.usage),
      },
      ...result.usage,
      durationMs: Math.round(ctx.clock.now() - started),
    };
  } catch (error) {
    const failure = error instanceof ProviderError ? error : new ProviderError("unknown", String(error));
    ctx.breakers.record(breakerKey({ ...base, approach: "simple" }), {
      success: false,
      errorClass: failure.errorClass,
    });
    return unavailable(`${failure.errorClass}: ${failure.message}`, failure.details.usage);
  }
}
