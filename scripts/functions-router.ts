// Serves every function folder under supabase/functions/ at /functions/v1/<name>, as the Supabase edge
// runtime's main worker does for `supabase functions serve`: `verify_jwt` from config.toml is enforced
// (default true) except on CORS preflight requests, which reach the function unauthenticated; the
// function sees the path without the /functions/v1 prefix; `EdgeRuntime.waitUntil` keeps background
// work alive after the response, and shutdown waits for it.
//
//   deno run --config supabase/functions/deno.json -A scripts/functions-router.ts <supabase-dir> <port>
//
// Functions are loaded into this process (a warm worker each), so their module state lives as long as
// the router, as it does in a warm edge worker.
//
// It is served with the timeouts a hosted edge has (router-server.ts): a request with no response after
// ROUTER_IDLE_TIMEOUT_MS (150 s, the hosted request idle timeout) gets 504; a body still arriving after
// ROUTER_BODY_TIMEOUT_MS (150 s) is cut off and its connection closed; a connection that sends no request
// head within ROUTER_HEADERS_TIMEOUT_MS (30 s), or idles between requests for ROUTER_KEEPALIVE_MS (5 s),
// is closed — so clients that never finish sending cannot hold connections open.

import { parse as parseToml } from "smol-toml";
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from "jose";
import { serveWithTimeouts } from "./router-server.ts";

export interface FunctionSpec {
  name: string;
  entrypoint: string;
  verifyJwt: boolean;
}

type Handler = (request: Request) => Response | Promise<Response>;

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "authorization, x-client-info, apikey, content-type",
};

function errorResponse(status: number, code: string, message: string): Response {
  return Response.json({ code, message }, { status, headers: CORS_HEADERS });
}

/** The function folders (not `_shared` or other `_`/`.` folders) with their config.toml settings. */
export async function readFunctionSpecs(supabaseDir: string): Promise<FunctionSpec[]> {
  const config = parseToml(await Deno.readTextFile(`${supabaseDir}/config.toml`));
  const sections = (config.functions ?? {}) as Record<
    string,
    { verify_jwt?: boolean; entrypoint?: string; enabled?: boolean }
  >;
  const specs: FunctionSpec[] = [];
  for await (const entry of Deno.readDir(`${supabaseDir}/functions`)) {
    if (!entry.isDirectory || entry.name.startsWith("_") || entry.name.startsWith(".")) continue;
    const section = sections[entry.name] ?? {};
    if (section.enabled === false) continue;
    const entrypoint = section.entrypoint
      ? new URL(section.entrypoint, `file://${supabaseDir}/`).pathname
      : `${supabaseDir}/functions/${entry.name}/index.ts`;
    specs.push({ name: entry.name, entrypoint, verifyJwt: section.verify_jwt ?? true });
  }
  return specs.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Imports a function module and returns its request handler: the one it passes to `Deno.serve`, or
 * its `export default { fetch }`. Loads must not overlap, since `Deno.serve` is swapped while one runs.
 */
export async function loadHandler(entrypoint: string): Promise<Handler> {
  let served: Handler | undefined;
  const realServe = Deno.serve;
  const captureServe = (...args: unknown[]) => {
    const handler = args.find((arg) => typeof arg === "function") ??
      (args[0] as { handler?: Handler } | undefined)?.handler;
    if (typeof handler !== "function") throw new TypeError("Deno.serve was called without a handler");
    served = handler as Handler;
    return { finished: new Promise<void>(() => {}), shutdown: () => Promise.resolve(), ref() {}, unref() {} };
  };
  Object.defineProperty(Deno, "serve", { value: captureServe, configurable: true, writable: true });
  try {
    const module = await import(new URL(`file://${entrypoint}`).href);
    const exported = module.default?.fetch;
    if (typeof exported === "function") return (request) => exported.call(module.default, request);
  } finally {
    Object.defineProperty(Deno, "serve", { value: realServe, configurable: true, writable: true });
  }
  if (!served) throw new Error(`${entrypoint} neither calls Deno.serve nor exports default { fetch }`);
  return served;
}

async function verifyJwt(
  request: Request,
  jwks: ReturnType<typeof createLocalJWKSet>,
): Promise<Response | null> {
  const header = request.headers.get("authorization");
  if (!header) return errorResponse(401, "UNAUTHORIZED_NO_AUTH_HEADER", "Missing authorization header");
  const [scheme, token] = header.split(" ");
  if (scheme !== "Bearer" || !token) {
    return errorResponse(401, "UNAUTHORIZED_INVALID_JWT_FORMAT", "Auth header is not 'Bearer {token}'");
  }
  try {
    await jwtVerify(token, jwks);
    return null;
  } catch (error) {
    return errorResponse(401, "UNAUTHORIZED_INVALID_JWT", `Invalid JWT: ${(error as Error).message}`);
  }
}

export interface Router {
  handle: Handler;
  specs: FunctionSpec[];
}

/** Builds the router over the given functions; each function's handler is loaded once, in order. */
export async function createRouter(specs: FunctionSpec[], jwksJson: JSONWebKeySet): Promise<Router> {
  const jwks = createLocalJWKSet(jwksJson);
  const handlers = new Map<string, Handler | Error>();
  for (const spec of specs) {
    try {
      handlers.set(spec.name, await loadHandler(spec.entrypoint));
    } catch (error) {
      console.error(`function ${spec.name} failed to boot:`, error);
      handlers.set(spec.name, error as Error);
    }
  }
  const byName = new Map(specs.map((spec) => [spec.name, spec]));

  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname === "/_internal/health") return Response.json({ message: "ok" });
    const match = url.pathname.match(/^\/functions\/v1\/([^/]+)(\/.*)?$/);
    const spec = match ? byName.get(match[1]) : undefined;
    if (!match || !spec) return errorResponse(404, "NOT_FOUND", "Requested function was not found");

    if (request.method !== "OPTIONS" && spec.verifyJwt) {
      const refusal = await verifyJwt(request, jwks);
      if (refusal) return refusal;
    }
    const handler = handlers.get(spec.name)!;
    if (handler instanceof Error) {
      return errorResponse(503, "BOOT_ERROR", "Worker failed to boot (please check logs)");
    }
    url.pathname = `/${spec.name}${match[2] ?? ""}`;
    try {
      return await handler(new Request(url, request));
    } catch (error) {
      console.error(`function ${spec.name} threw:`, error);
      return errorResponse(500, "WORKER_ERROR", "Function exited due to an error (please check logs)");
    }
  };
  return { handle, specs };
}

/** `EdgeRuntime.waitUntil` as the edge runtime offers it: background work that outlives the response. */
function installEdgeRuntime(): Set<Promise<unknown>> {
  const pending = new Set<Promise<unknown>>();
  const waitUntil = (promise: Promise<unknown>) => {
    const tracked = Promise.resolve(promise)
      .catch((error) => console.error("EdgeRuntime.waitUntil task failed:", error))
      .finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  Object.assign(globalThis, { EdgeRuntime: { waitUntil } });
  return pending;
}

if (import.meta.main) {
  const [supabaseDir, port] = Deno.args;
  if (!supabaseDir || !port) {
    console.error("usage: functions-router.ts <supabase-dir> <port>");
    Deno.exit(2);
  }
  const jwks = JSON.parse(Deno.env.get("SUPABASE_JWKS") ?? '{"keys":[]}');
  const pending = installEdgeRuntime();
  const router = await createRouter(await readFunctionSpecs(supabaseDir), jwks);
  const timeout = (name: string, fallback: number) => Number(Deno.env.get(name) ?? fallback);
  const timeouts = {
    idleMs: timeout("ROUTER_IDLE_TIMEOUT_MS", 150_000),
    bodyMs: timeout("ROUTER_BODY_TIMEOUT_MS", 150_000),
    headersMs: timeout("ROUTER_HEADERS_TIMEOUT_MS", 30_000),
    keepAliveMs: timeout("ROUTER_KEEPALIVE_MS", 5_000),
    lingerMs: timeout("ROUTER_LINGER_MS", 2_000),
  };

  const server = serveWithTimeouts({
    hostname: "127.0.0.1",
    port: Number(port),
    timeouts,
    onListen: (port) => {
      for (const spec of router.specs) {
        console.log(
          `serving http://127.0.0.1:${port}/functions/v1/${spec.name} (verify_jwt=${spec.verifyJwt})`,
        );
      }
    },
  }, async (request) => {
    const started = performance.now();
    const response = await router.handle(request);
    const path = new URL(request.url).pathname;
    // One line per request: a request the function answered (it sets x-request-id) has the function's own
    // JSON line; the others (unknown functions, auth refusals, preflights, timeouts) get this access line.
    if (path !== "/_internal/health" && !response.headers.has("x-request-id")) {
      const ms = (performance.now() - started).toFixed(0);
      console.log(`${new Date().toISOString()} ${request.method} ${path} ${response.status} ${ms}ms`);
    }
    return response;
  });

  const within = (ms: number, work: Promise<unknown>) =>
    Promise.race([work, new Promise((resolve) => setTimeout(resolve, ms))]);
  const stop = async () => {
    // In-flight requests get a moment to finish, background writes a grace period, as on the platform;
    // then the process ends regardless.
    await within(5_000, server.shutdown());
    await within(10_000, Promise.all(pending));
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
}
