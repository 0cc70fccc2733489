// Gemini's REST protocol, as the official SDK speaks it: POST /v1|v1beta/models/{model}:generateContent
// and :streamGenerateContent?alt=sse, the key in x-goog-api-key (or ?key=), the JSON Schema of the
// answer in generationConfig.responseJsonSchema, Google's error bodies.

import { kindOf } from "./answers.ts";
import { simulatedModel } from "./models.ts";
import {
  type FaultRule,
  plainText,
  retryAfterSeconds,
  type Simulation,
  sleep,
  SLOW_CHUNK_CHARS,
  textWithFault,
  type Turn,
} from "./simulation.ts";

interface GenerateContentRequest {
  contents?: Array<{ parts?: Array<{ text?: string }> }>;
  systemInstruction?: { parts?: Array<{ text?: string }> };
  generationConfig?: { responseMimeType?: string; responseJsonSchema?: unknown; maxOutputTokens?: number };
}

const PATH = /^\/(v1|v1beta)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

function googleError(status: number, code: string, message: string, details: unknown[] = [], headers = {}) {
  const error = { code: status, message, status: code, ...(details.length ? { details } : {}) };
  return Response.json({ error }, { status, headers });
}

function failure(rule: FaultRule): Response | null {
  switch (rule.fault) {
    case "bad_key":
      return googleError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
        { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID" },
      ]);
    case "rate_limit": {
      const seconds = retryAfterSeconds(rule);
      return googleError(
        429,
        "RESOURCE_EXHAUSTED",
        "Resource has been exhausted (e.g. check quota).",
        [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${seconds}s` }],
        { "retry-after": String(seconds) },
      );
    }
    case "server":
      return googleError(500, "INTERNAL", "An internal error has occurred. Please retry.");
    case "unavailable":
      return googleError(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
    default:
      return null;
  }
}

/**
 * The response objects of a turn: one per chunk of text (one in all without `chunkChars`), the last with
 * the finish reason and usage.
 */
function responses(turn: Turn, chunkChars?: number): object[] {
  const { answer, rule } = turn;
  const modelVersion = `${turn.model}-simulated`;
  const responseId = `sim-${crypto.randomUUID()}`;
  const usageMetadata = {
    promptTokenCount: answer.inputTokens,
    ...(answer.cachedTokens ? { cachedContentTokenCount: answer.cachedTokens } : {}),
    candidatesTokenCount: answer.outputTokens,
    ...(answer.thoughtsTokens ? { thoughtsTokenCount: answer.thoughtsTokens } : {}),
    totalTokenCount: answer.inputTokens + answer.outputTokens + answer.thoughtsTokens,
  };
  if (rule?.fault === "empty") return [{ candidates: [], usageMetadata, modelVersion, responseId }];
  if (rule?.fault === "safety") {
    return [{
      promptFeedback: {
        blockReason: "SAFETY",
        safetyRatings: [{ category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "HIGH" }],
      },
      usageMetadata: { promptTokenCount: answer.inputTokens, totalTokenCount: answer.inputTokens },
      modelVersion,
      responseId,
    }];
  }
  const text = textWithFault(turn);
  const finishReason = rule?.fault === "truncated" ? "MAX_TOKENS" : "STOP";
  const size = chunkChars ?? Math.max(1, text.length);
  const count = Math.max(1, Math.ceil(text.length / size));
  return Array.from({ length: count }, (_, i) => {
    const last = i === count - 1;
    return {
      candidates: [{
        content: { parts: [{ text: text.slice(i * size, (i + 1) * size) }], role: "model" },
        index: 0,
        ...(last ? { finishReason } : {}),
      }],
      ...(last ? { usageMetadata } : {}),
      modelVersion,
      responseId,
    };
  });
}

/** Server-sent events, paced like the model writes: first token, then chunk by chunk. */
function stream(turn: Turn, signal: AbortSignal): Response {
  const { rule, answer } = turn;
  const chunks = responses(turn, rule?.fault === "slow_stream" ? SLOW_CHUNK_CHARS : 4000);
  const interval = rule?.fault === "slow_stream"
    ? rule.delayMs ?? 5_000
    : Math.max(0, answer.durationMs - answer.ttftMs) / chunks.length;
  const encoder = new TextEncoder();
  const event = (payload: unknown) => encoder.encode(`data: ${JSON.stringify(payload)}\r\n\r\n`);
  // The client may stop reading (an aborted call) before the connection itself closes.
  const readerGone = new AbortController();
  const streamSignal = AbortSignal.any([signal, readerGone.signal]);
  const body = new ReadableStream<Uint8Array>({
    cancel: () => readerGone.abort(),
    async start(controller) {
      // Long pauses send SSE comments (which clients ignore), so a client that went away is noticed.
      const pause = async (ms: number) => {
        for (let left = ms; left > 0; left -= 500) {
          await sleep(Math.min(500, left), streamSignal);
          if (left > 500) controller.enqueue(encoder.encode(": keepalive\r\n\r\n"));
        }
      };
      try {
        await pause(answer.ttftMs);
        for (const [i, chunk] of chunks.entries()) {
          if (rule?.fault === "reset" && i === Math.floor(chunks.length / 2)) {
            turn.finish();
            controller.error(new Error("connection reset by simulator"));
            return;
          }
          if (i > 0 || rule?.fault === "slow_stream") await pause(interval);
          controller.enqueue(event(chunk));
        }
        turn.finish();
        controller.close();
      } catch {
        turn.finish(true);
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      }
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

export async function handleGemini(
  request: Request,
  path: string,
  simulation: Simulation,
): Promise<Response> {
  const route = path.match(PATH);
  if (!route || request.method !== "POST") return googleError(404, "NOT_FOUND", `${path} is not found.`);
  const [, , model, method] = route;
  const key = request.headers.get("x-goog-api-key") ?? new URL(request.url).searchParams.get("key");
  if (!key) return googleError(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers.");
  if (!simulatedModel(model)) {
    return googleError(404, "NOT_FOUND", `models/${model} is not found for API version v1beta.`);
  }
  let body: GenerateContentRequest;
  try {
    body = await request.json();
  } catch {
    return googleError(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
  }
  const prompt = (body.contents ?? []).map((content) => plainText(content.parts)).join("\n");
  const system = plainText(body.systemInstruction?.parts);
  const config = body.generationConfig;
  const kind = kindOf(config?.responseJsonSchema, prompt, config?.responseMimeType === "application/json");
  const turn = simulation.begin({
    protocol: "gemini",
    model,
    kind,
    system,
    prompt,
    maxOutputTokens: config?.maxOutputTokens,
  });

  if (method === "generateContent") {
    return await simulation.reply(turn, request.signal, {
      failure,
      success: (turn) => JSON.stringify(responses(turn)[0]),
    });
  }
  return (await simulation.failOrHang(turn, request.signal, failure)) ??
    stream(turn, request.signal);
}
