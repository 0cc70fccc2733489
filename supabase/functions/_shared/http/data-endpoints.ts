// The endpoints that read the data back: an export (JSONL for fine-tuning, CSV for analysis), streamed,
// and the insights drawn from it. A user reads their own rows (insights: plus the pooled rows the k-user
// rule allows); a secret key reads everyone's, or one userId's.

import { ExportQuerySchema, InsightsQuerySchema } from "../contract.ts";
import { exportStream } from "../export/stream.ts";
import { statementOf } from "../insights/statements.ts";
import { actingUser } from "./identity.ts";
import { queryOf } from "./request-input.ts";
import type { RouteCall } from "./routes.ts";

/** Whose rows a call reads: a user's own; for a secret key, the userId named, else everyone's (null). */
async function scopeOf(call: RouteCall, requested: string | undefined): Promise<string | null> {
  if (call.auth.authMode === "secret" && requested === undefined) return null;
  return await actingUser(call, requested);
}

const MEDIA_TYPES = { jsonl: "application/x-ndjson", csv: "text/csv; charset=utf-8" } as const;

export async function exportEndpoint(call: RouteCall): Promise<Response> {
  const { format, userId, ...filter } = queryOf(call.request, ExportQuerySchema);
  const scope = await scopeOf(call, userId);
  const rows = call.deps.store.exportRows({ ...filter, userId: scope });
  return new Response(exportStream(format, rows), {
    headers: {
      ...call.headers,
      "content-type": MEDIA_TYPES[format],
      "content-disposition": `attachment; filename="orchestrator-export.${format}"`,
    },
  });
}

export async function insightsEndpoint(call: RouteCall): Promise<Response> {
  const { taskType, userId } = queryOf(call.request, InsightsQuerySchema);
  const scope = await scopeOf(call, userId);
  const { lines, minSamples } = await call.deps.store.insights(scope, taskType ?? null);
  return Response.json({
    scope: scope === null ? "everyone" : "own",
    minSamples,
    insights: lines.map((line) => ({ ...line, statement: statementOf(line) })),
  }, { headers: call.headers });
}
