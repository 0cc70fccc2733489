// Any server speaking OpenAI's Chat Completions API over plain fetch: OpenAI itself, DeepSeek, Qwen
// (DashScope's compatible mode), Ollama, OpenRouter, vLLM. They differ in how they take a JSON shape:
// `json_schema` (Structured Outputs) or only `json_object`, where the shape goes into the prompt.

import { checkedAnswer } from "./answer.ts";
import { DEFAULT_MAX_PROVIDER_BODY_BYTES } from "./body-limit.ts";
import { postJson } from "./http-call.ts";
import {
  type GenerateRequest,
  type GenerateResult,
  type Provider,
  ProviderError,
  reportedUsage,
} from "./types.ts";

export type JsonMode = "json_schema" | "json_object";

export interface OpenAICompatibleOptions {
  /** The provider's name in the model catalog, e.g. "openai", "deepseek". */
  name: string;
  /** Up to and including the version, e.g. https://api.openai.com/v1 */
  baseUrl: string;
  /** Sent as a Bearer token; local servers (Ollama, vLLM without --api-key) take none. */
  apiKey?: string;
  jsonMode: JsonMode;
  /** The most of a response body that is read (default 4 MB). */
  maxBodyBytes?: number;
}

interface ChatCompletion {
  model?: string;
  choices?: Array<{
    message?: { content?: string | null; refusal?: string | null };
    finish_reason?: string | null;
  }>;
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    prompt_tokens_details?: { cached_tokens?: number };
  };
}

/** json_object mode guarantees JSON, not its shape: the model is told the shape. */
function schemaInstruction(schema: Record<string, unknown>): string {
  return `Answer with one JSON object that follows this JSON Schema:\n${JSON.stringify(schema)}`;
}

function chatCompletionBody(request: GenerateRequest, jsonMode: JsonMode) {
  const schema = request.jsonSchema;
  const system = schema && jsonMode === "json_object"
    ? `${request.system}\n\n${schemaInstruction(schema)}`
    : request.system;
  return {
    model: request.model,
    messages: [{ role: "system", content: system }, { role: "user", content: request.prompt }],
    max_tokens: request.maxOutputTokens,
    temperature: request.temperature,
    response_format: !schema
      ? undefined
      : jsonMode === "json_schema"
      ? { type: "json_schema", json_schema: { name: "answer", schema, strict: false } }
      : { type: "json_object" },
  };
}

export function createOpenAICompatibleProvider(options: OpenAICompatibleOptions): Provider {
  const url = `${options.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  const headers: Record<string, string> = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};

  async function generate(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    const started = performance.now();
    const completion = await postJson(
      url,
      headers,
      chatCompletionBody(request, options.jsonMode),
      signal,
      options.maxBodyBytes ?? DEFAULT_MAX_PROVIDER_BODY_BYTES,
    ) as ChatCompletion;
    const usage = reportedUsage(
      completion.usage?.prompt_tokens,
      completion.usage?.completion_tokens,
      completion.usage?.prompt_tokens_details?.cached_tokens,
    );
    const choice = completion.choices?.[0];
    if (!choice) throw new ProviderError("malformed_output", "no choices in the response", { usage });
    const finishReason = choice.finish_reason ?? "unknown";
    // A refusal comes as `message.refusal` (Structured Outputs), a filtered answer as content_filter.
    const refusal = choice.message?.refusal;
    return checkedAnswer(
      {
        text: choice.message?.content ?? "",
        usage,
        finishReason,
        modelVersion: completion.model ?? null,
        withheld: refusal ? `refusal: ${refusal}` : finishReason === "content_filter" ? finishReason : null,
        truncated: finishReason === "length",
      },
      Boolean(request.jsonSchema),
      started,
    );
  }

  return { name: options.name, generate };
}
