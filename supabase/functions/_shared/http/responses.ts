// The one shape of every error this API answers: { error: { code, message, details? } }.

import type { ErrorBody } from "../contract.ts";

export function errorResponse(
  status: number,
  code: string,
  message: string,
  details?: unknown,
  headers?: HeadersInit,
) {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return Response.json(body, { status, headers });
}
