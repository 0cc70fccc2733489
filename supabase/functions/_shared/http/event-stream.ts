// A request answered as server-sent events (Accept: text/event-stream): the progress events as they
// happen, then exactly one `result` (the 200 body) or `error` ({status, error}). Whatever is refused
// before work starts — nothing announced yet — is answered as the plain JSON error instead. A comment
// line every `heartbeatMs` keeps proxies from closing a quiet stream; a client that closes it aborts the
// model calls in flight, and what ran is still recorded.

import type { OrchestrateRequest, ProgressEvent } from "../contract.ts";
import { orchestrate, type OrchestrationResult } from "../orchestrate.ts";
import type { RouteCall } from "./routes.ts";

const encoder = new TextEncoder();

export function wantsEventStream(request: Request): boolean {
  return (request.headers.get("accept") ?? "").split(",")
    .some((part) => part.split(";")[0].trim().toLowerCase() === "text/event-stream");
}

function frame(id: number, type: string, data: unknown): Uint8Array {
  // JSON.stringify writes no line breaks, so each event's data is one line.
  return encoder.encode(`id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
}

export interface StreamedOrchestration {
  call: RouteCall;
  body: OrchestrateRequest;
  userId: string;
  /** What the result becomes: its rows written, its log facts set, and the refusal's details. */
  settle: (result: OrchestrationResult) => OrchestrationResult;
  /** The answer when nothing was announced: the plain response of the result. */
  plain: (result: OrchestrationResult) => Response;
}

export async function streamedOrchestration(
  { call, body, userId, settle, plain }: StreamedOrchestration,
): Promise<Response> {
  const { deps, requestId, facts } = call;
  const closed = new AbortController();
  const announced: ProgressEvent[] = [];
  let send: ((event: ProgressEvent) => void) | null = null;
  let started!: () => void;
  const firstEvent = new Promise<null>((resolve) => started = () => resolve(null));
  const running = orchestrate({
    body,
    userId,
    requestId,
    signal: AbortSignal.any([call.request.signal, closed.signal]),
    progress: (event) => {
      if (send) send(event);
      else announced.push(event);
      started();
    },
  }, deps.orchestrator);
  const early = await Promise.race([firstEvent, running]);
  if (early !== null) return plain(settle(early));

  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let done!: () => void;
  facts.settled = new Promise<void>((resolve) => done = resolve);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let id = 0;
      const write = (bytes: Uint8Array) => {
        try {
          controller.enqueue(bytes);
        } catch {
          // the client closed the stream: the request runs on to its end, aborted, and is recorded
        }
      };
      send = (event) => write(frame(id++, event.type, event));
      announced.forEach(send);
      heartbeat = setInterval(() => write(encoder.encode(": keep-alive\n\n")), deps.heartbeatMs);
      running.then((result) => {
        const settled = settle(result);
        if (settled.ok) write(frame(id++, "result", settled.response));
        else write(frame(id++, "error", settled.refusal.toErrorEvent()));
      }, (error) => {
        facts.code = "internal_error";
        deps.orchestrator.log({ level: "error", msg: "unhandled", requestId, error: String(error) });
        const failure = {
          code: "internal_error",
          message: "the orchestrator failed unexpectedly",
          details: { requestId },
        };
        write(frame(id++, "error", { status: 500, error: failure }));
      }).finally(() => {
        clearInterval(heartbeat);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
        done();
      });
    },
    cancel() {
      clearInterval(heartbeat);
      closed.abort(new DOMException("the client closed the event stream", "AbortError"));
    },
  });
  return new Response(stream, {
    headers: {
      ...call.headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      // nginx-style proxies buffer responses unless told not to
      "x-accel-buffering": "no",
    },
  });
}
