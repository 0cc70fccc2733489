// Anthropic's Messages protocol: POST /anthropic/v1/messages with x-api-key and anthropic-version, JSON
// answers through a forced tool call (the answer's JSON Schema is the tool's input_schema), stop_reason,
// Anthropic's error bodies (529 overloaded_error). A malformed answer is a body broken off halfway: the
// tool's input arrives parsed, so a broken body is how malformed JSON reaches an Anthropic client.

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

interface MessagesRequest {
  model?: string;
  max_tokens?: number;
  system?: unknown;
  messages?: Array<{ role?: string; content?: unknown }>;
  tools?: Array<{ name?: string; input_schema?: unknown }>;
  tool_choice?: { type?: string; name?: string };
}

function anthropicError(status: number, type: string, message: string, headers = {}) {
  return Response.json({ type: "error", error: { type, message } }, { status, headers });
}

function failure(rule: FaultRule): Response | null {
  switch (rule.fault) {
    case "bad_key":
      return anthropicError(401, "authentication_error", "invalid x-api-key");
    case "rate_limit":
      return anthropicError(
        429,
        "rate_limit_error",
        "This request would exceed the rate limit for your organization of 50 requests per minute.",
        { "retry-after": String(retryAfterSeconds(rule)) },
      );
    case "server":
      return anthropicError(500, "api_error", "Internal server error");
    case "unavailable":
      return anthropicError(529, "overloaded_error", "Overloaded");
    default:
      return null;
  }
}

/** A message, shaped by the turn's fault; `tool` is the tool the answer must go through, if any. */
function message(turn: Turn, tool: string | null): string {
  const { answer, rule } = turn;
  const fault = rule?.fault;
  const content = fault === "empty" || fault === "safety"
    ? []
    : !tool
    ? [{ type: "text", text: textWithFault(turn) }]
    // Cut off at the token limit, the tool's input is incomplete: what arrives is what was parsed.
    : [{
      type: "tool_use",
      id: `toolu_sim_${crypto.randomUUID().replaceAll("-", "")}`,
      name: tool,
      input: fault === "truncated" ? {} : JSON.parse(answer.text),
    }];
  const stopReason = fault === "truncated"
    ? "max_tokens"
    : fault === "safety"
    ? "refusal"
    : tool && content.length
    ? "tool_use"
    : "end_turn";
  const body = JSON.stringify({
    id: `msg_sim_${crypto.randomUUID().replaceAll("-", "")}`,
    type: "message",
    role: "assistant",
    model: `${turn.model}-simulated`,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {
      input_tokens: answer.inputTokens,
      output_tokens: fault === "safety" ? 0 : answer.outputTokens + answer.thoughtsTokens,
    },
  });
  return fault === "malformed" && tool ? body.slice(0, body.length >> 1) : body;
}

export async function handleAnthropic(
  request: Request,
  path: string,
  simulation: Simulation,
): Promise<Response> {
  if (path !== "/anthropic/v1/messages" || request.method !== "POST") {
    return anthropicError(404, "not_found_error", "Not found");
  }
  if (!request.headers.get("x-api-key")) {
    return anthropicError(401, "authentication_error", "x-api-key header is required");
  }
  if (!request.headers.get("anthropic-version")) {
    return anthropicError(400, "invalid_request_error", "anthropic-version: header is required");
  }
  let body: MessagesRequest;
  try {
    body = await request.json();
  } catch {
    return anthropicError(400, "invalid_request_error", "There was an issue with your request body.");
  }
  if (typeof body.max_tokens !== "number") {
    return anthropicError(400, "invalid_request_error", "max_tokens: Field required");
  }
  const model = body.model ?? "";
  if (!simulatedModel(model)) return anthropicError(404, "not_found_error", `model: ${model}`);
  const system = plainText(body.system);
  const prompt = (body.messages ?? []).filter((m) => m.role === "user").map((m) => plainText(m.content))
    .join("\n");
  const forced = body.tool_choice?.type === "tool"
    ? body.tools?.find((tool) => tool.name === body.tool_choice?.name)
    : undefined;
  const kind = kindOf(forced?.input_schema, prompt, forced !== undefined);
  const turn = simulation.begin({
    protocol: "anthropic",
    model,
    kind,
    system,
    prompt,
    maxOutputTokens: body.max_tokens,
  });
  return await simulation.reply(turn, request.signal, {
    failure,
    success: (turn) => message(turn, forced?.name ?? null),
  });
}
