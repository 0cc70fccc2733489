// The seam where model providers plug in: one call in, text or JSON out, with token usage, finish
// reason and latency; every failure normalised into an ErrorClass.

import type { ErrorClass } from "../contract.ts";

export interface GenerateRequest {
  model: string;
  system: string;
  prompt: string;
  /** When given, the output must be JSON following this schema; it is parsed into `json`. */
  jsonSchema?: Record<string, unknown>;
  maxOutputTokens?: number;
  temperature?: number;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface GenerateResult {
  text: string;
  json?: unknown;
  usage: TokenUsage;
  finishReason: string;
  latencyMs: number;
  /** The model version that answered, as the provider reports it. */
  modelVersion: string | null;
}

export interface Provider {
  readonly name: string;
  generate(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult>;
}

/** A failed call, classified. `usage` is what the call consumed anyway (a truncated answer is billed). */
export class ProviderError extends Error {
  constructor(
    readonly errorClass: ErrorClass,
    message: string,
    readonly details: { status?: number; usage?: TokenUsage } = {},
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

/** The class of an abort: the attempt's deadline passed, or the caller gave up. */
export function abortClass(signal: AbortSignal): ErrorClass {
  return (signal.reason as Error | undefined)?.name === "TimeoutError" ? "timeout" : "cancelled";
}
