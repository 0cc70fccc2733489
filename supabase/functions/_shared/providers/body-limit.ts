// What is read from a model provider is capped: a hostile or broken server could send a body of any
// size, and it is stopped as soon as it passes the cap, not read whole and then refused.

import { ProviderError } from "./types.ts";

export const DEFAULT_MAX_PROVIDER_BODY_BYTES = 4_000_000;

function tooLarge(limit: number): ProviderError {
  return new ProviderError("malformed_output", `the provider's response is larger than ${limit} bytes`);
}

/** The body, cut off with an error once it passes `limit` bytes. */
function capped(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  let size = 0;
  return body.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > limit) controller.error(tooLarge(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/** fetch whose responses carry at most `limit` bytes of body (for SDKs that take a fetch). */
export function limitedFetch(limit: number): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (Number(response.headers.get("content-length") ?? 0) > limit) {
      await response.body?.cancel();
      throw tooLarge(limit);
    }
    if (!response.body) return response;
    // A declared length is all the body there is, unless it is compressed (fetch inflates it)
    if (response.headers.has("content-length") && !response.headers.has("content-encoding")) return response;
    return new Response(capped(response.body, limit), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
