// What the simulated models do, whatever protocol they are asked in: the answer (answers.ts), how long it
// takes, the faults injected on request, the record of every call, and the control endpoints. The
// protocol modules (gemini.ts, openai.ts, anthropic.ts) only read requests and shape responses.

import type { ProviderKind } from "../../supabase/functions/_shared/providers/registry.ts";
import {
  type Answer,
  createAnswerWriter,
  type Kind,
  type ModelCall,
  type SimulatorOptions,
} from "./answers.ts";
import { abortableSleep } from "../../supabase/functions/_shared/clock.ts";
import { latencyFromEnv } from "./latency.ts";

export type { SimulatorOptions } from "./answers.ts";

export const FAULTS = [
  "rate_limit",
  "server",
  "unavailable",
  "timeout",
  "slow_stream",
  "malformed",
  "truncated",
  "empty",
  "safety",
  "bad_key",
  "reset",
  /** A hostile model: answers with the rule's `text`, or with generated `files`, instead of its own. */
  "answer",
] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultRule {
  fault: Fault;
  /** Applies only to calls whose request text contains this. */
  match?: string;
  model?: string;
  /** Applies only to calls asking for this kind of answer (a progressive plan, a batch of its files, …). */
  kind?: Kind;
  /** How many calls it applies to (default 1). */
  times?: number;
  /** timeout: how long to hang; slow_stream: pause between chunks; rate_limit: the wait asked for (2 s). */
  delayMs?: number;
  /** answer: the answer's text, verbatim (with `status`, the body of an error response of that status). */
  text?: string;
  status?: number;
  /** answer: an answer of this many generated files (src/f<i>.ts), each of this many bytes. */
  files?: { count: number; bytesEach: number };
}

/** The text a hostile answer rule makes the model write. */
function hostileText(rule: FaultRule): string {
  if (rule.text !== undefined) return rule.text;
  const { count, bytesEach } = rule.files ?? { count: 1, bytesEach: 1 };
  const content = "x".repeat(bytesEach);
  return JSON.stringify({
    files: Array.from({ length: count }, (_, i) => ({ path: `src/f${i}.ts`, content })),
  });
}

export interface CallRecord {
  protocol: ProviderKind;
  model: string;
  kind: Kind;
  request: string;
  fault: Fault | null;
  /** The output cap the request named; null when it named none. */
  maxOutputTokens: number | null;
  startedAt: number;
  durationMs: number | null;
  aborted: boolean;
  /** The whole answer's tokens, as billed had it been sent to the end (benchmarks bill cancelled calls). */
  inputTokens: number;
  outputTokens: number;
  /** From the call's arrival (its answer being written) to its response: the simulator's own time. */
  serviceMs: number | null;
}

/** One call in progress: what the model writes, the fault injected into it, and its record. */
export interface Turn {
  model: string;
  kind: Kind;
  answer: Answer;
  rule: FaultRule | null;
  finish(aborted?: boolean): void;
}

/** How a protocol shapes the outcome of a call. */
export interface ProtocolReplies {
  /** The protocol's error response for a fault that fails the call outright; null for the others. */
  failure(rule: FaultRule): Response | null;
  /** The body of a 200 answer, shaped by the turn's fault (malformed, truncated, empty, safety). */
  success(turn: Turn): string;
}

/** The text of a message's content: a string, or a list of parts or blocks with `text`. */
export function plainText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => typeof part?.text === "string" ? part.text : "").join("");
}

/** The answer's text as a malformed or truncated answer carries it: cut off halfway. */
export function textWithFault(turn: Turn): string {
  const { text } = turn.answer;
  return turn.rule?.fault === "malformed" || turn.rule?.fault === "truncated"
    ? text.slice(0, Math.floor(text.length / 2))
    : text;
}

/** The wait a rate limit asks for, in whole seconds (Retry-After). */
export function retryAfterSeconds(rule: FaultRule): number {
  return Math.max(1, Math.round((rule.delayMs ?? 2_000) / 1000));
}

/** How a slow stream trickles: small chunks, each after a pause. */
export const SLOW_CHUNK_CHARS = 400;

export const sleep = abortableSleep;

/** The answer to a client that went away: nobody reads it. */
function clientGone(): Response {
  return new Response(null, { status: 499 });
}

/** A 200 whose connection breaks halfway through the body. */
function resetResponse(body: string): Response {
  const encoder = new TextEncoder();
  return new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(encoder.encode(body.slice(0, body.length >> 1)));
        controller.error(new Error("connection reset by simulator"));
      },
    }),
    { headers: { "content-type": "application/json" } },
  );
}

export type Simulation = ReturnType<typeof createSimulation>;

export function createSimulation(options: SimulatorOptions) {
  let rules: Array<FaultRule & { left: number }> = [];
  const calls: CallRecord[] = [];
  const answer = createAnswerWriter(options);
  // MODEL_SIM_LATENCY / MODEL_SIM_FAILURE_RATE (latency.ts): heavy-tailed latencies and random failures
  const luck = latencyFromEnv(options.seed);

  function takeFault(model: string, kind: Kind, request: string): FaultRule | null {
    const rule = rules.find((r) =>
      r.left > 0 && (!r.model || r.model === model) && (!r.kind || r.kind === kind) &&
      (!r.match || request.includes(r.match))
    );
    if (!rule) return null;
    rule.left--;
    return rule;
  }

  /** An answer longer than the request's output cap stops there: truncated, and billed up to the cap. */
  function capped(written: Answer, cap: number | undefined): { answer: Answer; overLimit: boolean } {
    if (cap === undefined || written.outputTokens + written.thoughtsTokens <= cap) {
      return { answer: written, overLimit: false };
    }
    const thoughtsTokens = Math.min(written.thoughtsTokens, cap);
    return { answer: { ...written, thoughtsTokens, outputTokens: cap - thoughtsTokens }, overLimit: true };
  }

  /** Starts a call: writes the answer, takes a matching fault rule, and records the call. */
  function begin(modelCall: ModelCall): Turn {
    const arrived = performance.now();
    const written = capped(answer(modelCall), modelCall.maxOutputTokens);
    const drawn = luck?.draw(modelCall.model, modelCall.kind, written.answer.request);
    const rule = takeFault(modelCall.model, modelCall.kind, written.answer.request) ??
      (drawn?.fails ? { fault: "server" as const } : null) ??
      (written.overLimit ? { fault: "truncated" as const } : null);
    const timed = drawn ? { ...written.answer, durationMs: drawn.latencyMs } : written.answer;
    const result = rule?.fault === "answer" ? { ...timed, text: hostileText(rule) } : timed;
    const call: CallRecord = {
      protocol: modelCall.protocol,
      model: modelCall.model,
      kind: modelCall.kind,
      request: result.request.slice(0, 2000),
      fault: rule?.fault ?? null,
      maxOutputTokens: modelCall.maxOutputTokens ?? null,
      startedAt: Date.now(),
      durationMs: null,
      aborted: false,
      inputTokens: result.inputTokens,
      outputTokens: result.outputTokens + result.thoughtsTokens,
      serviceMs: null,
    };
    calls.push(call);
    if (calls.length > 10_000) calls.shift();
    return {
      model: modelCall.model,
      kind: modelCall.kind,
      answer: result,
      rule,
      finish(aborted = false) {
        call.durationMs = Date.now() - call.startedAt;
        call.serviceMs = performance.now() - arrived;
        call.aborted = aborted;
      },
    };
  }

  /**
   * The start every answer shares: a fault that fails the call outright, or a hang. Returns the response
   * that ends the call there, or null to go on answering.
   */
  async function failOrHang(
    turn: Turn,
    signal: AbortSignal,
    failure: ProtocolReplies["failure"],
  ): Promise<Response | null> {
    const { rule } = turn;
    const failed = rule?.fault === "answer" && rule.status
      ? new Response(rule.text ?? "", { status: rule.status })
      : rule && failure(rule);
    if (failed) {
      turn.finish();
      return failed;
    }
    if (rule?.fault !== "timeout") return null;
    try {
      await sleep(rule.delayMs ?? 120_000, signal);
      return null;
    } catch {
      turn.finish(true);
      return clientGone();
    }
  }

  /** Answers a call in one response (no streaming), after the answer's latency. */
  async function reply(turn: Turn, signal: AbortSignal, replies: ProtocolReplies): Promise<Response> {
    const early = await failOrHang(turn, signal, replies.failure);
    if (early) return early;
    const { rule } = turn;
    // A slow stream, asked for all at once, arrives as late as its last chunk would have.
    const wait = rule?.fault === "slow_stream"
      ? (rule.delayMs ?? 5_000) * Math.max(1, Math.ceil(turn.answer.text.length / SLOW_CHUNK_CHARS))
      : turn.answer.durationMs;
    try {
      await sleep(wait, signal);
    } catch {
      turn.finish(true);
      return clientGone();
    }
    turn.finish();
    const body = replies.success(turn);
    if (rule?.fault === "reset") return resetResponse(body);
    return new Response(body, { headers: { "content-type": "application/json" } });
  }

  async function control(request: Request, path: string): Promise<Response> {
    if (path === "/_simulator/health") return Response.json({ ok: true, simulated: true });
    if (path === "/_simulator/faults" && request.method === "POST") {
      const rule = await request.json() as FaultRule;
      if (!FAULTS.includes(rule.fault)) {
        return Response.json({ error: `fault must be one of ${FAULTS.join(", ")}` }, { status: 400 });
      }
      rules.push({ ...rule, left: rule.times ?? 1 });
      return Response.json({ ok: true, rules: rules.length });
    }
    if (path === "/_simulator/faults" && request.method === "DELETE") {
      rules = [];
      luck?.reset();
      return Response.json({ ok: true });
    }
    if (path === "/_simulator/calls" && request.method === "GET") {
      const match = new URL(request.url).searchParams.get("match");
      return Response.json(match ? calls.filter((call) => call.request.includes(match)) : calls);
    }
    return Response.json({ error: "unknown control endpoint" }, { status: 404 });
  }

  return { begin, failOrHang, reply, control };
}
