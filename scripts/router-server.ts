// The HTTP server in front of the functions router, with the timeouts a hosted edge has. Deno.serve cannot
// close a connection whose client stops sending (it has no header or body read timeout), so this serves
// with node:http, where the socket is ours to close, and hands each request to a fetch-style handler:
//   a connection that sends no complete request head within `headersMs` is closed;
//   a body still arriving after `bodyMs` is cut off (the handler's read fails; the answer, whatever it
//     is, closes the connection, since the rest of the request will never be read);
//   a request with no response after `idleMs` gets 504, as the hosted edge answers;
//   an idle keep-alive connection is closed after `keepAliveMs`.
// A client that goes away aborts its request's signal, as Deno.serve does.
// A response body that fails part way cuts the connection, as Deno.serve does, so no client takes what
// arrived for the whole of it.

import http from "node:http";
import type { Socket } from "node:net";

export interface ServerTimeouts {
  headersMs: number;
  bodyMs: number;
  idleMs: number;
  keepAliveMs: number;
  /** How long a connection whose request was not read to its end is drained before it is closed. */
  lingerMs: number;
}

type Handler = (request: Request) => Response | Promise<Response>;

function timeoutAnswer(ms: number): Response {
  return Response.json(
    { code: "WORKER_TIMEOUT", message: `No response within ${ms / 1000} s` },
    { status: 504, headers: { "access-control-allow-origin": "*" } },
  );
}

/** The handler's response, or 504 when there is none within `ms`. */
async function withinIdleTimeout(work: Promise<Response>, ms: number): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Response>((resolve) => {
    timer = setTimeout(() => resolve(timeoutAnswer(ms)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The incoming request as a fetch Request whose body is cut off after `bodyMs`. */
function fetchRequest(req: http.IncomingMessage, origin: string, bodyMs: number, signal: AbortSignal) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const each of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      headers.append(name, each);
    }
  }
  const method = req.method ?? "GET";
  if (method === "GET" || method === "HEAD") {
    return {
      request: new Request(new URL(req.url ?? "/", origin), { method, headers, signal }),
      cutOff: () => false,
      discard: () => void req.resume(),
    };
  }
  // The body as a stream fed by the socket's chunks, with backpressure (the socket pauses while the handler
  // is not reading); cut off with a TimeoutError after `bodyMs` (what a read of a fetch body past its
  // signal's deadline fails with), and failed when the client goes away mid-body.
  let arrived = false;
  let cut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let discard = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const fail = (error: Error) => {
        clearTimeout(timer);
        if (arrived) return;
        arrived = true; // nothing more will come
        controller.error(error);
      };
      timer = setTimeout(() => {
        cut = true;
        fail(new DOMException("the body did not arrive in time", "TimeoutError"));
        req.pause();
      }, bodyMs);
      req.on("data", (chunk: Buffer) => {
        if (arrived) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) req.pause();
      });
      req.on("end", () => {
        clearTimeout(timer);
        if (arrived) return;
        arrived = true;
        controller.close();
      });
      req.on("close", () => {
        if (!req.complete) fail(new Error("the client went away before the body arrived"));
      });
      // once answered: what is left is read and dropped, not queued for a reader that will not come
      discard = () => {
        fail(new Error("the request was answered before its body was read"));
        req.resume();
      };
    },
    pull: () => void req.resume(),
    cancel: () => {
      clearTimeout(timer);
      arrived = true;
      req.resume(); // what is left is read and dropped
    },
  }, { highWaterMark: 4 });
  return {
    request: new Request(new URL(req.url ?? "/", origin), { method, headers, body, signal }),
    cutOff: () => cut,
    discard: () => discard(),
  };
}

async function writeResponse(res: http.ServerResponse, response: Response, signal: AbortSignal) {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return res.end();
  const reader = response.body.getReader();
  signal.addEventListener("abort", () => reader.cancel().catch(() => {}), { once: true });
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise((resolve) => res.once("drain", resolve));
    }
  } catch {
    // The client went away, or the body failed. Ending the response would close its chunked body cleanly,
    // and a client would take a cut-off body for a whole one; as Deno.serve does, the connection is cut.
    return void res.destroy();
  }
  res.end();
}

/** A connection whose request was not read to its end is closed once its response is sent, but not at once:
 * a socket closed with unread bytes is reset, and a client still sending its body then loses the response
 * it was sent (a 413 for a body refused by its length, before any of it is read). As nginx's lingering close
 * does, the response ends with our side's half-close, and what still arrives is read and dropped until the
 * client closes, for at most `ms`. */
function closeLingering(res: http.ServerResponse, socket: Socket, discard: () => void, ms: number) {
  socket.destroySoon = () => socket.end(); // what node:http calls when a "connection: close" response ends
  res.once("close", () => {
    if (socket.readableEnded) return void socket.destroy();
    const timer = setTimeout(() => socket.destroy(), ms);
    socket.once("end", () => socket.destroy());
    socket.once("close", () => clearTimeout(timer));
  });
  discard();
}

export function serveWithTimeouts(
  options: { hostname: string; port: number; timeouts: ServerTimeouts; onListen?: (port: number) => void },
  handler: Handler,
) {
  const { timeouts } = options;
  const server = http.createServer();
  const origin = `http://${options.hostname}:${options.port}`;
  // One timeout listener per connection; each request sets the deadline it is under (a listener added per
  // request would pile up on a kept-alive connection).
  server.on("connection", (socket) => {
    socket.on("timeout", () => socket.destroy());
    socket.setTimeout(timeouts.headersMs);
  });
  // A request the HTTP parser refuses (a mis-framed chunk, a broken head) gets the edge's 400.
  server.on("clientError", (_error, socket) => {
    const body = JSON.stringify({ code: "BAD_REQUEST", message: "The request is not valid HTTP" });
    if (socket.writable) {
      socket.end(
        `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n` +
          `connection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  });
  server.on("request", async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    socket.setTimeout(0); // while a request is handled, its own deadlines hold
    const gone = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) gone.abort(new DOMException("the client went away", "AbortError"));
    });
    req.on("error", () => {});
    const { request, cutOff, discard } = fetchRequest(req, origin, timeouts.bodyMs, gone.signal);
    const answered = Promise.resolve().then(() => handler(request));
    const response = await withinIdleTimeout(answered, timeouts.idleMs);
    // A body left unread (cut off, or refused before the end) leaves the connection unusable.
    const unread = cutOff() || !req.complete;
    if (unread) {
      res.setHeader("connection", "close");
      closeLingering(res, socket, discard, timeouts.lingerMs);
    }
    await writeResponse(res, response, gone.signal);
    if (!unread) socket.setTimeout(timeouts.keepAliveMs);
  });
  server.listen(options.port, options.hostname, () => options.onListen?.(options.port));
  return {
    shutdown: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
