// Anthropic's Messages API over plain fetch. JSON output uses the documented tool-use pattern: one tool
// whose input schema is the answer's shape, and the model made to call it; the tool's input is the answer.

import { checkedAnswer } from "./answer.ts";
import { DEFAULT_MAX_PROVIDER_BODY_BYTES } from "./body-limit.ts";
import { postJson } from "./http-call.ts";
import { type GenerateRequest, type GenerateResult, type Provider, reportedUsage } from "./types.ts";

export interface AnthropicOptions {
  apiKey: string;
  /** Default https://api.anthropic.com; another server speaking the same API, e.g. the local simulator. */
  baseUrl?: string;
  /** The most of a response body that is read (default 4 MB). */
  maxBodyBytes?: number;
}

const API_VERSION = "2023-06-01";
/** max_tokens is required; 8192 is the output limit of Claude 3.5 models and below that of newer ones. */
const DEFAULT_MAX_TOKENS = 8192;
const ANSWER_TOOL = "answer";

interface Message {
  model?: string;
  content?: Array<{ type: string; text?: string; name?: string; input?: unknown }>;
  stop_reason?: string | null;
  usage?: { input_tokens?: number; output_tokens?: number };
}

function messagesBody(request: GenerateRequest) {
  return {
    model: request.model,
    max_tokens: request.maxOutputTokens ?? DEFAULT_MAX_TOKENS,
    system: request.system,
    messages: [{ role: "user", content: request.prompt }],
    temperature: request.temperature,
    ...(request.jsonSchema
      ? {
        tools: [{
          name: ANSWER_TOOL,
          description: "Give the answer. Its input is the complete answer, in the requested shape.",
          input_schema: request.jsonSchema,
        }],
        tool_choice: { type: "tool", name: ANSWER_TOOL },
      }
      : {}),
  };
}

export function createAnthropicProvider(options: AnthropicOptions): Provider {
  const url = `${(options.baseUrl ?? "https://api.anthropic.com").replace(/\/+$/, "")}/v1/messages`;
  const headers = { "x-api-key": options.apiKey, "anthropic-version": API_VERSION };
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_PROVIDER_BODY_BYTES;

  async function generate(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    const started = performance.now();
    const message = await postJson(url, headers, messagesBody(request), signal, maxBodyBytes) as Message;
    const blocks = message.content ?? [];
    const toolInput = blocks.find((block) => block.type === "tool_use" && block.name === ANSWER_TOOL)?.input;
    const finishReason = message.stop_reason ?? "unknown";
    return checkedAnswer(
      {
        text: request.jsonSchema
          ? (toolInput === undefined ? "" : JSON.stringify(toolInput))
          : blocks.map((block) => block.type === "text" ? block.text ?? "" : "").join(""),
        json: toolInput,
        // no cache_control is sent, so Anthropic caches nothing: input_tokens is all the input
        usage: reportedUsage(message.usage?.input_tokens, message.usage?.output_tokens),
        finishReason,
        modelVersion: message.model ?? null,
        withheld: finishReason === "refusal" ? finishReason : null,
        truncated: finishReason === "max_tokens",
      },
      Boolean(request.jsonSchema),
      started,
    );
  }

  return { name: "anthropic", generate };
}
