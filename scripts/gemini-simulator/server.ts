// A simulated Gemini API for the local stack and the tests, where the real service is out of reach. It
// speaks the REST protocol the official SDK uses (POST /v1|v1beta/models/{model}:generateContent and
// :streamGenerateContent?alt=sse, x-goog-api-key, Google's error bodies), answers structured-output
// requests with generated projects whose quality, speed and token counts differ per model and task type
// (deterministic from a seed), labels everything it writes as simulated, and injects faults on request.
//
//   deno run --allow-net --allow-env scripts/gemini-simulator/server.ts <port>
//   env: GEMINI_SIM_SEED (default "local"), GEMINI_SIM_TIME_SCALE (default 0.25: latencies × 0.25),
//        GEMINI_SIM_FIXED_LATENCY_MS (every call takes exactly this long: load tests)
//
// Control endpoints (tests, benchmarks):
//   POST   /_simulator/faults  {fault, match?, model?, times?, delayMs?}  the next `times` matching calls fail
//   DELETE /_simulator/faults                                             clear all fault rules
//   GET    /_simulator/calls?match=text                                   calls whose request contains text

import { profileTask } from "../../supabase/functions/_shared/profile.ts";
import { FILES_TO_WRITE_HEADING, REQUEST_HEADING } from "../../supabase/functions/_shared/prompts.ts";
import {
  editFiles,
  explanation,
  type File,
  generateProject,
  type GenerationSpec,
  pickDefects,
  purposeOf,
} from "./app-generator.ts";
import { SIMULATED_MODELS } from "./models.ts";

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
] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultRule {
  fault: Fault;
  /** Applies only to calls whose request text contains this. */
  match?: string;
  model?: string;
  /** How many calls it applies to (default 1). */
  times?: number;
  /** timeout: how long to hang; slow_stream: pause between chunks. */
  delayMs?: number;
}

export interface CallRecord {
  model: string;
  kind: "files" | "plan" | "batch" | "text";
  request: string;
  fault: Fault | null;
  startedAt: number;
  durationMs: number | null;
  aborted: boolean;
}

export interface SimulatorOptions {
  seed: string;
  /** Multiplies every simulated latency: 1 is realistic, 0 answers at once. */
  timeScale: number;
  /** When set, every call takes exactly this long, whatever the model and the output (load tests). */
  fixedLatencyMs?: number;
}

type Kind = CallRecord["kind"];

interface GeminiRequestBody {
  contents?: Array<{ parts?: Array<{ text?: string }> }>;
  systemInstruction?: { parts?: Array<{ text?: string }> };
  generationConfig?: {
    responseJsonSchema?: { properties?: { files?: { items?: { properties?: object } } } };
  };
}

const textOf = (parts?: Array<{ text?: string }>) => (parts ?? []).map((part) => part.text ?? "").join("");

function googleError(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  const { headers, ...details } = extra as { headers?: HeadersInit };
  return Response.json({ error: { code: status, message, status: code, ...details } }, { status, headers });
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** mulberry32: a small seeded generator, so every answer is reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function section(prompt: string, heading: string): string {
  const start = prompt.indexOf(`${heading}\n`);
  if (start < 0) return "";
  const rest = prompt.slice(start + heading.length + 1);
  const end = rest.search(/^## /m);
  return (end < 0 ? rest : rest.slice(0, end)).trim();
}

function contextFilesOf(prompt: string): File[] {
  const existing = section(prompt, "## Existing files");
  return [...existing.matchAll(/^### (.+)\n```\n([\s\S]*?)\n```$/gm)].map((m) => ({
    path: m[1],
    content: m[2],
  }));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

export function createGeminiSimulator(options: SimulatorOptions) {
  let rules: Array<FaultRule & { left: number }> = [];
  const calls: CallRecord[] = [];
  const projects = new Map<string, File[]>();

  function remembered(key: string, generate: () => File[]): File[] {
    let files = projects.get(key);
    if (!files) {
      files = generate();
      projects.set(key, files);
      if (projects.size > 500) projects.delete(projects.keys().next().value!);
    }
    return files;
  }

  function takeFault(model: string, request: string): FaultRule | null {
    const rule = rules.find((r) =>
      r.left > 0 && (!r.model || r.model === model) && (!r.match || request.includes(r.match))
    );
    if (!rule) return null;
    rule.left--;
    return rule;
  }

  /** What the model writes for this call, and how long it takes to write it. */
  function answer(model: string, kind: Kind, prompt: string, system: string) {
    const profile = SIMULATED_MODELS[model];
    const request = section(prompt, REQUEST_HEADING) || prompt;
    const contextFiles = contextFilesOf(prompt);
    const told = prompt.match(/^Type: (\w+); complexity: \w+; requirements: (.*)\.$/m);
    const understood = profileTask({ request, contextFiles });
    const taskType = told?.[1] ?? understood.taskType;
    const requirements = told && told[2] !== "none named" ? told[2].split(", ") : understood.requirements;
    const approach = kind === "plan" || kind === "batch" ? "progressive" : "simple";
    const seedKey = `${options.seed}|${model}|${approach}|${request}`;
    // A progressive attempt asks for the same project several times (the plan, then each batch).
    const files = remembered(`${seedKey}|${hash(prompt.slice(prompt.indexOf("## Existing files")))}`, () => {
      const random = seededRandom(hash(seedKey));
      // Writing in focused batches against a plan costs time but slips less.
      const quality = Math.min(
        1,
        (profile.quality[taskType] ?? 0.75) + (random() - 0.5) * 0.1 +
          (approach === "progressive" ? 0.06 : 0),
      );
      const spec: GenerationSpec = { request, requirements, defects: pickDefects(quality, random) };
      return taskType === "explain"
        ? [explanation(spec, quality)]
        : contextFiles.length > 0 && taskType !== "generation"
        ? editFiles(spec, contextFiles)
        : generateProject(spec);
    });

    let text: string;
    if (kind === "plan") {
      text = JSON.stringify({
        summary: `Simulated plan for: ${request.slice(0, 80)}`,
        files: files.map((file) => ({ path: file.path, purpose: purposeOf(file.path) })),
      });
    } else if (kind === "batch") {
      const wanted = section(prompt, FILES_TO_WRITE_HEADING).split("\n").filter((line) =>
        line.startsWith("- ")
      )
        .map((line) => line.slice(2).trim());
      const byPath = new Map(files.map((file) => [file.path, file]));
      text = JSON.stringify({
        files: wanted.map((path) =>
          byPath.get(path) ?? { path, content: "// Simulated output.\nexport {};\n" }
        ),
      });
    } else if (kind === "files") {
      text = JSON.stringify({ summary: `Simulated answer for: ${request.slice(0, 80)}`, files });
    } else {
      text = files.map((file) => file.content).join("\n");
    }
    const inputTokens = Math.ceil((prompt.length + system.length) / 4);
    const outputTokens = Math.ceil(text.length / 4);
    // Pro thinks before answering; thinking is billed as output.
    const thoughtsTokens = model.includes("pro") ? Math.round(outputTokens * 0.3) : 0;
    const durationMs = options.fixedLatencyMs ??
      (profile.ttftMs + ((outputTokens + thoughtsTokens) / profile.tokensPerSecond) * 1000) *
        options.timeScale;
    return { text, request, inputTokens, outputTokens, thoughtsTokens, durationMs };
  }

  async function generate(request: Request, model: string, streaming: boolean): Promise<Response> {
    const url = new URL(request.url);
    const key = request.headers.get("x-goog-api-key") ?? url.searchParams.get("key");
    if (!key) return googleError(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers.");
    if (!SIMULATED_MODELS[model]) {
      return googleError(404, "NOT_FOUND", `models/${model} is not found for API version v1beta.`);
    }
    let body: GeminiRequestBody;
    try {
      body = await request.json();
    } catch {
      return googleError(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
    }
    const prompt = (body.contents ?? []).map((content) => textOf(content.parts)).join("\n");
    const system = textOf(body.systemInstruction?.parts);
    const itemShape = body.generationConfig?.responseJsonSchema?.properties?.files?.items?.properties ?? {};
    const kind: Kind = "purpose" in itemShape
      ? "plan"
      : "content" in itemShape
      ? (prompt.includes(FILES_TO_WRITE_HEADING) ? "batch" : "files")
      : "text";

    const result = answer(model, kind, prompt, system);
    const rule = takeFault(model, result.request);
    const call: CallRecord = {
      model,
      kind,
      request: result.request.slice(0, 2000),
      fault: rule?.fault ?? null,
      startedAt: Date.now(),
      durationMs: null,
      aborted: false,
    };
    calls.push(call);
    if (calls.length > 10_000) calls.shift();
    const signal = request.signal;
    const done = (aborted = false) => {
      call.durationMs = Date.now() - call.startedAt;
      call.aborted = aborted;
    };

    const retryInfo = { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "2s" };
    switch (rule?.fault) {
      case "bad_key":
        done();
        return googleError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", {
          details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID" }],
        });
      case "rate_limit":
        done();
        return googleError(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", {
          details: [retryInfo],
          headers: { "retry-after": "2" },
        });
      case "server":
        done();
        return googleError(500, "INTERNAL", "An internal error has occurred. Please retry.");
      case "unavailable":
        done();
        return googleError(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
      case "timeout":
        try {
          await sleep(rule.delayMs ?? 120_000, signal);
        } catch {
          done(true);
          return new Response(null, { status: 499 });
        }
    }

    const responseId = `sim-${crypto.randomUUID()}`;
    const modelVersion = `${model}-simulated`;
    const usageMetadata = {
      promptTokenCount: result.inputTokens,
      candidatesTokenCount: result.outputTokens,
      ...(result.thoughtsTokens ? { thoughtsTokenCount: result.thoughtsTokens } : {}),
      totalTokenCount: result.inputTokens + result.outputTokens + result.thoughtsTokens,
    };
    let text = result.text;
    let finishReason = "STOP";
    let final: Record<string, unknown> | null = null;
    if (rule?.fault === "malformed") text = text.slice(0, Math.floor(text.length / 2));
    if (rule?.fault === "truncated") {
      text = text.slice(0, Math.floor(text.length / 2));
      finishReason = "MAX_TOKENS";
    }
    if (rule?.fault === "empty") final = { candidates: [], usageMetadata, modelVersion, responseId };
    if (rule?.fault === "safety") {
      final = {
        promptFeedback: {
          blockReason: "SAFETY",
          safetyRatings: [{ category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "HIGH" }],
        },
        usageMetadata: { promptTokenCount: result.inputTokens, totalTokenCount: result.inputTokens },
        modelVersion,
        responseId,
      };
    }

    // A slow stream trickles: small chunks, each after a pause.
    const chunkSize = rule?.fault === "slow_stream" ? 400 : 4000;
    const pieces = final
      ? []
      : Array.from({ length: Math.max(1, Math.ceil(text.length / chunkSize)) }, (_, i) =>
        text.slice(i * chunkSize, (i + 1) * chunkSize));
    const chunkOf = (piece: string, last: boolean) => ({
      candidates: [{
        content: { parts: [{ text: piece }], role: "model" },
        index: 0,
        ...(last ? { finishReason } : {}),
      }],
      ...(last ? { usageMetadata } : {}),
      modelVersion,
      responseId,
    });
    const ttft = options.fixedLatencyMs ?? SIMULATED_MODELS[model].ttftMs * options.timeScale;
    const interval = rule?.fault === "slow_stream"
      ? rule.delayMs ?? 5_000
      : Math.max(0, result.durationMs - ttft) / Math.max(1, pieces.length);

    if (!streaming) {
      // A slow stream, asked for all at once, arrives as late as its last chunk would have.
      const wait = rule?.fault === "slow_stream"
        ? (rule.delayMs ?? 5_000) * pieces.length
        : result.durationMs;
      try {
        await sleep(wait, signal);
      } catch {
        done(true);
        return new Response(null, { status: 499 });
      }
      done();
      const body = JSON.stringify(final ?? chunkOf(text, true));
      if (rule?.fault !== "reset") {
        return new Response(body, { headers: { "content-type": "application/json" } });
      }
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

    const encoder = new TextEncoder();
    const event = (payload: unknown) => encoder.encode(`data: ${JSON.stringify(payload)}\r\n\r\n`);
    // The client may stop reading (an aborted call) before the connection itself closes.
    const readerGone = new AbortController();
    const streamSignal = AbortSignal.any([signal, readerGone.signal]);
    const stream = new ReadableStream<Uint8Array>({
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
          await pause(ttft);
          if (final) controller.enqueue(event(final));
          for (const [i, piece] of pieces.entries()) {
            if (rule?.fault === "reset" && i === Math.floor(pieces.length / 2)) {
              done();
              controller.error(new Error("connection reset by simulator"));
              return;
            }
            if (i > 0 || rule?.fault === "slow_stream") await pause(interval);
            controller.enqueue(event(chunkOf(piece, i === pieces.length - 1)));
          }
          done();
          controller.close();
        } catch {
          done(true);
          try {
            controller.close();
          } catch {
            // already closed by the client going away
          }
        }
      },
    });
    return new Response(stream, { headers: { "content-type": "text/event-stream" } });
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
      return Response.json({ ok: true });
    }
    if (path === "/_simulator/calls" && request.method === "GET") {
      const match = new URL(request.url).searchParams.get("match");
      return Response.json(match ? calls.filter((call) => call.request.includes(match)) : calls);
    }
    return Response.json({ error: "unknown control endpoint" }, { status: 404 });
  }

  return async function handle(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path.startsWith("/_simulator/")) return await control(request, path);
    const match = path.match(/^\/(v1|v1beta)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/);
    if (!match || request.method !== "POST") return googleError(404, "NOT_FOUND", `${path} is not found.`);
    return await generate(request, match[2], match[3] === "streamGenerateContent");
  };
}

if (import.meta.main) {
  const port = Number(Deno.args[0] ?? 54329);
  const handle = createGeminiSimulator({
    seed: Deno.env.get("GEMINI_SIM_SEED") ?? "local",
    timeScale: Number(Deno.env.get("GEMINI_SIM_TIME_SCALE") ?? 0.25),
    fixedLatencyMs: Deno.env.get("GEMINI_SIM_FIXED_LATENCY_MS")
      ? Number(Deno.env.get("GEMINI_SIM_FIXED_LATENCY_MS"))
      : undefined,
  });
  Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => console.log(`simulated Gemini API on :${port}`) },
    handle,
  );
}
