// Gemini through the official SDK (@google/genai), with structured JSON output. Talks to
// Google, or to any server speaking the same REST API (GEMINI_BASE_URL: the local simulator).

import { ApiError, type GenerateContentResponse, GoogleGenAI } from "@google/genai";
import type { ErrorClass } from "../contract.ts";
import {
  abortClass,
  type GenerateRequest,
  type GenerateResult,
  type Provider,
  ProviderError,
} from "./types.ts";

export interface GeminiOptions {
  apiKey: string;
  /** Another server speaking Gemini's REST API, e.g. the local simulator. */
  baseUrl?: string;
}

/** Finish reasons that mean the content was withheld rather than completed. */
const BLOCKING_FINISH_REASONS = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
  "IMAGE_PROHIBITED_CONTENT",
  "LANGUAGE",
]);

function classifyStatus(status: number, message: string): ErrorClass {
  if (status === 429) return "rate_limit";
  if (status === 401 || status === 403 || /API_KEY_INVALID|API key not valid/i.test(message)) return "auth";
  if (status === 408 || status === 504) return "timeout";
  if (status >= 500) return "server";
  return "invalid_request";
}

function normalizeError(error: unknown, signal: AbortSignal): ProviderError {
  if (error instanceof ProviderError) return error;
  if (signal.aborted) return new ProviderError(abortClass(signal), `aborted: ${String(signal.reason)}`);
  if (error instanceof ApiError) {
    // Google puts the wait it asks for in the body: details[].retryDelay, e.g. "2s".
    const retryDelay = error.message.match(/"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/)?.[1];
    return new ProviderError(classifyStatus(error.status, error.message), error.message, {
      status: error.status,
      ...(retryDelay ? { retryAfterMs: Math.round(Number(retryDelay) * 1000) } : {}),
    });
  }
  if (error instanceof TypeError || (error as Error)?.name === "ConnectionError") {
    return new ProviderError("network", (error as Error).message);
  }
  if (error instanceof SyntaxError) return new ProviderError("malformed_output", error.message);
  return new ProviderError("unknown", error instanceof Error ? error.message : String(error));
}

export function createGeminiProvider(options: GeminiOptions): Provider {
  const client = new GoogleGenAI({
    apiKey: options.apiKey,
    httpOptions: options.baseUrl ? { baseUrl: options.baseUrl } : undefined,
  });

  async function generate(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    const started = performance.now();
    let response: GenerateContentResponse;
    try {
      // One response rather than a stream: the SDK's per-chunk work costs a worker more CPU than the
      // stream saves; deadlines and hedging deal with slow answers.
      response = await client.models.generateContent({
        model: request.model,
        contents: [{ role: "user", parts: [{ text: request.prompt }] }],
        config: {
          systemInstruction: request.system,
          responseMimeType: request.jsonSchema ? "application/json" : "text/plain",
          responseJsonSchema: request.jsonSchema,
          maxOutputTokens: request.maxOutputTokens,
          temperature: request.temperature,
          abortSignal: signal,
        },
      });
    } catch (error) {
      throw normalizeError(error, signal);
    }
    const last = response;
    const blockReason = response.promptFeedback?.blockReason;
    const text = response.candidates?.[0]?.content?.parts?.map((part) => part.text ?? "").join("") ?? "";

    const usage = {
      inputTokens: last?.usageMetadata?.promptTokenCount ?? 0,
      // Thinking tokens are billed as output.
      outputTokens: (last?.usageMetadata?.candidatesTokenCount ?? 0) +
        (last?.usageMetadata?.thoughtsTokenCount ?? 0),
    };
    const finishReason = last?.candidates?.[0]?.finishReason ?? (blockReason ? "BLOCKED" : "NONE");
    if (blockReason) throw new ProviderError("safety_block", `prompt blocked: ${blockReason}`, { usage });
    if (BLOCKING_FINISH_REASONS.has(finishReason)) {
      throw new ProviderError("safety_block", `response withheld: ${finishReason}`, { usage });
    }
    if (!last?.candidates?.length) {
      throw new ProviderError("malformed_output", "no candidates in the response", { usage });
    }
    if (finishReason === "MAX_TOKENS") {
      throw new ProviderError("malformed_output", "output truncated at the token limit", { usage });
    }
    if (!text.trim()) throw new ProviderError("malformed_output", "empty output", { usage });

    let json: unknown;
    if (request.jsonSchema) {
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
      json,
      usage,
      finishReason,
      latencyMs: Math.round(performance.now() - started),
      modelVersion: last.modelVersion ?? null,
    };
  }

  return { name: "gemini", generate };
}
