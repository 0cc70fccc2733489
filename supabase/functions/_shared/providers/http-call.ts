// One JSON POST to a model API over plain fetch, shared by the adapters that speak HTTP themselves: every
// way the call can fail (HTTP status, Retry-After, refused or reset connection, abort, a body that is
// not JSON) becomes a classified ProviderError, whatever the provider.

import type { ErrorClass } from "../contract.ts";
import { limitedFetch } from "./body-limit.ts";
import { abortClass, ProviderError } from "./types.ts";

export function classifyStatus(status: number): ErrorClass {
  if (status === 429) return "rate_limit";
  if (status === 401 || status === 403) return "auth";
  if (status === 408 || status === 504) return "timeout";
  // 5xx, and Anthropic's 529 overloaded
  if (status >= 500) return "server";
  return "invalid_request";
}

/** The wait a Retry-After header asks for: seconds, or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** OpenAI and Anthropic both answer errors with `{ error: { message, type, code? } }`. */
function errorMessage(status: number, body: string): string {
  try {
    const error = (JSON.parse(body) as { error?: { message?: string; type?: string; code?: string } }).error;
    if (error?.message) return `${status} ${error.code ?? error.type ?? "error"}: ${error.message}`;
  } catch {
    // not JSON: a proxy's or load balancer's page
  }
  return `${status} ${body.slice(0, 300)}`;
}

/** POSTs `body` as JSON and returns the parsed JSON answer, reading at most `maxBodyBytes` of it; throws
 * a ProviderError for every failure. */
export async function postJson(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  signal: AbortSignal,
  maxBodyBytes: number,
): Promise<unknown> {
  let response: Response;
  let text: string;
  try {
    response = await limitedFetch(maxBodyBytes)(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal,
    });
    text = await response.text();
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    if (signal.aborted) throw new ProviderError(abortClass(signal), `aborted: ${String(signal.reason)}`);
    // fetch reports refused, reset and broken connections as TypeErrors.
    const errorClass = error instanceof TypeError ? "network" : "unknown";
    throw new ProviderError(errorClass, error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) {
    const wait = retryAfterMs(response.headers.get("retry-after"));
    throw new ProviderError(classifyStatus(response.status), errorMessage(response.status, text), {
      status: response.status,
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProviderError("malformed_output", `response body is not JSON: ${(error as Error).message}`, {
      status: response.status,
    });
  }
}
