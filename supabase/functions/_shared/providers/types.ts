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
  /** Of the input, the tokens the provider read from its prompt cache (billed at the cache-read price). */
  cachedInputTokens?: number;
}

/** A count as a provider reported it, made one to bill and store: a non-negative whole number (0 when the
 * provider sent none, or something else than a count). */
function tokenCount(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0
    ? Math.min(Math.floor(value), 2 ** 31 - 1)
    : 0;
}

/** The usage a provider reported, whatever it sent: counts, and no more cached input than input. */
export function reportedUsage(input: unknown, output: unknown, cachedInput: unknown = 0): TokenUsage {
  const inputTokens = tokenCount(input);
  const cached = Math.min(tokenCount(cachedInput), inputTokens);
  return { inputTokens, outputTokens: tokenCount(output), ...(cached ? { cachedInputTokens: cached } : {}) };
}

export interface GenerateResult {
  text: string;
  json?: unknown;
  usage: TokenUsage;
  finishReason: string;
  latencyMs: number;
  /** The model version that answered, as the provider reports it. */
  modelVersion: string | null;
  /** Tries repeated before this answer (set by the retry wrapper). */
  retries?: number;
}

export interface Provider {
  readonly name: string;
  generate(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult>;
}

export interface ProviderErrorDetails {
  status?: number;
  /** What the call consumed anyway (a truncated answer is billed). */
  usage?: TokenUsage;
  /** What the approach's calls cost, each priced on its own (set where they are metered). */
  costUsd?: number;
  /** How long the provider asked to wait before trying again. */
  retryAfterMs?: number;
  /** Tries repeated before giving up. */
  retries?: number;
  /** Calls the attempt had made when it failed (an approach may make several). */
  calls?: number;
}

/** A failed call, classified. */
export class ProviderError extends Error {
  constructor(
    readonly errorClass: ErrorClass,
    message: string,
    readonly details: ProviderErrorDetails = {},
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

/** The class of an abort: the attempt's deadline passed, or the caller gave up. */
export function abortClass(signal: AbortSignal): ErrorClass {
  return (signal.reason as Error | undefined)?.name === "TimeoutError" ? "timeout" : "cancelled";
}
