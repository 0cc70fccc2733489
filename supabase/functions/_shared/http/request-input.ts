// What a request brings, read and validated: a JSON body of bounded size, or a query string, against
// the contract's schemas. Every problem is a Refusal (400, 413, 415), listed as { path, message }.

import type { z } from "zod";
import { problemsOf } from "../contract.ts";
import { Refusal } from "../refusal.ts";

function invalid(problems: Array<{ path: string; message: string }>): Refusal {
  return new Refusal(
    400,
    "invalid_request",
    `the request is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
    { problems },
  );
}

/** Reads the body, refusing more than `limit` bytes without buffering them; a body that stops arriving
 * (the client went away, a mis-framed chunk, the edge's read deadline) is the client's problem: 4xx. */
async function readBody(request: Request, limit: number): Promise<string> {
  const tooLarge = () => new Refusal(413, "payload_too_large", `the body is limited to ${limit} bytes`);
  if (Number(request.headers.get("content-length") ?? "0") > limit) throw tooLarge();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  try {
    for await (const chunk of request.body ?? new ReadableStream<Uint8Array>()) {
      size += chunk.byteLength;
      if (size > limit) throw tooLarge();
      text += decoder.decode(chunk, { stream: true });
    }
  } catch (error) {
    if (error instanceof Refusal) throw error;
    if ((error as Error)?.name === "TimeoutError") {
      throw new Refusal(408, "request_timeout", "the body did not arrive in time");
    }
    throw new Refusal(
      400,
      "body_unreadable",
      "the body could not be read: the connection broke or it was mis-framed",
    );
  }
  return text + decoder.decode();
}

/** The JSON body, validated by `schema`. */
export async function jsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  limit: number,
): Promise<z.infer<S>> {
  const mediaType = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (mediaType !== "application/json") {
    throw new Refusal(415, "unsupported_media_type", "send the body as application/json", {
      received: mediaType ?? null,
    });
  }
  const text = await readBody(request, limit);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Refusal(400, "invalid_json", `the body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw invalid(problemsOf(parsed.error));
  return parsed.data;
}

/** The query string's parameters, validated by `schema`. */
export function queryOf<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw invalid(problemsOf(parsed.error, "(query)"));
  return parsed.data;
}
