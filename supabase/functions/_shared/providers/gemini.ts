// Gemini through the official SDK (@google/genai), with structured JSON output. Talks to
// Google, or to any server speaking the same REST API (GEMINI_BASE_URL: the local simulator).

import { ApiError, type GenerateContentResponse, GoogleGenAI } from "@google/genai";
import type { ErrorClass } from "../contract.ts";
import { checkedAnswer } from "./answer.ts";
import { DEFAULT_MAX_PROVIDER_BODY_BYTES, limitedFetch } from "./body-limit.ts";
import { classifyStatus } from "./http-call.ts";
import {
  abortClass,
  type GenerateRequest,
  type GenerateResult,
  type Provider,
  ProviderError,
  reportedUsage,
} from "./types.ts";

export interface GeminiOptions {
  apiKey: string;
  /** Another server speaking Gemini's REST API, e.g. the local simulator. */
  baseUrl?: string;
  /** The most of a response body that is read (default 4 MB). */
  maxBodyBytes?: number;
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

/** Google answers a wrong key with 400 INVALID_ARGUMENT; the reason in the body says what it is. */
function classifyApiError(status: number, message: string): ErrorClass {
  return /API_KEY_INVALID|API key not valid/i.test(message) ? "auth" : classifyStatus(status);
}

function normalizeError(error: unknown, signal: AbortSignal): ProviderError {
  if (error instanceof ProviderError) return error;
  if (signal.aborted) return new ProviderError(abortClass(signal), `aborted: ${String(signal.reason)}`);
  if (error instanceof ApiError) {
    // Google puts the wait it asks for in the body: details[].retryDelay, e.g. "2s".
    const retryDelay = error.message.match(/"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/)?.[1];
    return new ProviderError(classifyApiError(error.status, error.message), error.message, {
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
    httpOptions: {
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      fetch: limitedFetch(options.maxBodyBytes ?? DEFAULT_MAX_PROVIDER_BODY_BYTES),
    },
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
    const blockReason = response.promptFeedback?.blockReason;
    const counts = response.usageMetadata;
    const usage = reportedUsage(
      counts?.promptTokenCount,
      // Thinking tokens are billed as output.
      (counts?.candidatesTokenCount ?? 0) + (counts?.thoughtsTokenCount ?? 0),
      counts?.cachedContentTokenCount,
    );
    if (blockReason) throw new ProviderError("safety_block", `prompt blocked: ${blockReason}`, { usage });
    const candidate = response.candidates?.[0];
    if (!candidate) throw new ProviderError("malformed_output", "no candidates in the response", { usage });
    const finishReason = candidate.finishReason ?? "NONE";
    return checkedAnswer(
      {
        text: candidate.content?.parts?.map((part) => part.text ?? "").join("") ?? "",
        usage,
        finishReason,
        modelVersion: response.modelVersion ?? null,
        withheld: BLOCKING_FINISH_REASONS.has(finishReason) ? finishReason : null,
        truncated: finishReason === "MAX_TOKENS",
      },
      Boolean(request.jsonSchema),
      started,
    );
  }

  return { name: "gemini", generate };
}
