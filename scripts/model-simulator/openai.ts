// OpenAI's Chat Completions protocol, as OpenAI, DeepSeek, DashScope, Ollama, OpenRouter and vLLM speak
// it: POST /openai/v1/chat/completions, a Bearer key, response_format json_schema (the schema in the
// request) or json_object (the schema only in the prompt), OpenAI's error bodies. A call without any
// Authorization header is accepted, as keyless local servers (Ollama, vLLM) accept it.

import { kindOf } from "./answers.ts";
import { simulatedModel } from "./models.ts";
import {
  type FaultRule,
  plainText,
  retryAfterSeconds,
  type Simulation,
  textWithFault,
  type Turn,
} from "./simulation.ts";

interface ChatCompletionRequest {
  model?: string;
  messages?: Array<{ role?: string; content?: unknown }>;
  response_format?: { type?: string; json_schema?: { schema?: unknown } };
  max_tokens?: number;
  max_completion_tokens?: number;
}

function openaiError(status: number, type: string, code: string | null, message: string, headers = {}) {
  return Response.json({ error: { message, type, param: null, code } }, { status, headers });
}

function failure(rule: FaultRule): Response | null {
  switch (rule.fault) {
    case "bad_key":
      return openaiError(
        401,
        "invalid_request_error",
        "invalid_api_key",
        "Incorrect API key provided: simu****. " +
          "You can find your API key at https://platform.openai.com/account/api-keys.",
      );
    case "rate_limit": {
      const seconds = retryAfterSeconds(rule);
      return openaiError(
        429,
        "requests",
        "rate_limit_exceeded",
        "Rate limit reached for requests per min (RPM): Limit 500, Used 500, Requested 1. " +
          `Please try again in ${seconds}s.`,
        { "retry-after": String(seconds) },
      );
    }
    case "server":
      return openaiError(
        500,
        "server_error",
        null,
        "The server had an error while processing your request. Sorry about that!",
      );
    case "unavailable":
      return openaiError(
        503,
        "server_error",
        null,
        "The engine is currently overloaded, please try again later",
      );
    default:
      return null;
  }
}

/** json_object mode carries the answer's JSON Schema in the prompt: the last line that is a JSON object. */
function schemaInPrompt(text: string): unknown {
  for (const line of text.split("\n").reverse()) {
    if (!line.startsWith("{")) continue;
    try {
      return JSON.parse(line);
    } catch {
      // a line that only looks like JSON
    }
  }
  return undefined;
}

/** A chat completion, shaped by the turn's fault. */
function completion(turn: Turn, structured: boolean): string {
  const { answer, rule } = turn;
  const fault = rule?.fault;
  let message: Record<string, unknown> = { role: "assistant", content: textWithFault(turn), refusal: null };
  let finishReason = fault === "truncated" ? "length" : "stop";
  if (fault === "safety") {
    // Structured Outputs refuse in `refusal`; otherwise a content filter stops the answer.
    message = structured
      ? { role: "assistant", content: null, refusal: "I'm sorry, I can't assist with that request." }
      : { role: "assistant", content: null, refusal: null };
    finishReason = structured ? "stop" : "content_filter";
  }
  const completionTokens = fault === "safety" ? 0 : answer.outputTokens + answer.thoughtsTokens;
  return JSON.stringify({
    id: `chatcmpl-sim-${crypto.randomUUID()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: `${turn.model}-simulated`,
    system_fingerprint: "fp_simulated",
    choices: fault === "empty" ? [] : [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage: {
      prompt_tokens: answer.inputTokens,
      completion_tokens: completionTokens,
      total_tokens: answer.inputTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: answer.cachedTokens },
    },
  });
}

export async function handleOpenAI(
  request: Request,
  path: string,
  simulation: Simulation,
): Promise<Response> {
  if (path !== "/openai/v1/chat/completions" || request.method !== "POST") {
    return openaiError(
      404,
      "invalid_request_error",
      "unknown_url",
      `Unknown request URL: ${request.method} ${path}.`,
    );
  }
  const authorization = request.headers.get("authorization");
  if (authorization !== null && !/^Bearer \S+$/.test(authorization)) {
    return openaiError(
      401,
      "invalid_request_error",
      "invalid_api_key",
      "You didn't provide a valid API key.",
    );
  }
  let body: ChatCompletionRequest;
  try {
    body = await request.json();
  } catch {
    return openaiError(
      400,
      "invalid_request_error",
      null,
      "We could not parse the JSON body of your request.",
    );
  }
  const model = body.model ?? "";
  if (!simulatedModel(model)) {
    return openaiError(
      404,
      "invalid_request_error",
      "model_not_found",
      `The model \`${model}\` does not exist or you do not have access to it.`,
    );
  }
  const messages = body.messages ?? [];
  const said = (role: string) =>
    messages.filter((message) => message.role === role).map((message) => plainText(message.content)).join(
      "\n",
    );
  const system = said("system");
  const prompt = said("user");
  const format = body.response_format?.type;
  if (format === "json_object" && !/json/i.test(system + prompt)) {
    return openaiError(
      400,
      "invalid_request_error",
      null,
      "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
    );
  }
  const schema = format === "json_schema"
    ? body.response_format?.json_schema?.schema
    : format === "json_object"
    ? schemaInPrompt(system)
    : undefined;
  const kind = kindOf(schema, prompt, format === "json_schema" || format === "json_object");

  const turn = simulation.begin({
    protocol: "openai-compatible",
    model,
    kind,
    system,
    prompt,
    maxOutputTokens: body.max_completion_tokens ?? body.max_tokens,
  });
  return await simulation.reply(turn, request.signal, {
    failure,
    success: (turn) => completion(turn, format === "json_schema"),
  });
}
