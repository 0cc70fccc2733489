// The checks every adapter makes on a model's answer, in the same order whatever the wire format:
// withheld by a filter or refused, cut off at the token limit, empty, not the JSON that was asked for.

import { type GenerateResult, ProviderError, type TokenUsage } from "./types.ts";

export interface RawAnswer {
  text: string;
  /** The answer already parsed by the provider (Anthropic's tool input); otherwise `text` is parsed. */
  json?: unknown;
  usage: TokenUsage;
  finishReason: string;
  modelVersion: string | null;
  /** Why the content was withheld (a safety filter, a refusal), or null when it was not. */
  withheld: string | null;
  truncated: boolean;
}

export function checkedAnswer(answer: RawAnswer, wantsJson: boolean, startedAt: number): GenerateResult {
  const { text, usage, finishReason } = answer;
  // Blocked and truncated answers are billed: the usage goes with the error.
  if (answer.withheld) {
    throw new ProviderError("safety_block", `response withheld: ${answer.withheld}`, { usage });
  }
  if (answer.truncated) {
    throw new ProviderError("malformed_output", "output truncated at the token limit", { usage });
  }
  if (!text.trim()) throw new ProviderError("malformed_output", "empty output", { usage });

  let json = answer.json;
  if (wantsJson && json === undefined) {
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ProviderError("malformed_output", `output is not valid JSON: ${(error as Error).message}`, {
        usage,
      });
    }
  }
  return {
    text,
    json: wantsJson ? json : undefined,
    usage,
    finishReason,
    latencyMs: Math.round(performance.now() - startedAt),
    modelVersion: answer.modelVersion,
  };
}
