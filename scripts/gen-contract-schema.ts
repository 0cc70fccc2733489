// Publishes the JSON Schema of the orchestrator's request, response and error bodies, generated from the
// zod contract, into shared/schema/. With --check, exits 1 when the committed files are stale.
//
//   deno run --allow-read --allow-write scripts/gen-contract-schema.ts [--check]

import * as z from "zod";
import {
  ErrorBodySchema,
  EstimateResponseSchema,
  ExportLineSchema,
  ExportQuerySchema,
  FeedbackRequestSchema,
  FeedbackResponseSchema,
  InsightsResponseSchema,
  JobCreatedSchema,
  JobListSchema,
  JobSchema,
  OrchestrateRequestSchema,
  OrchestrateResponseSchema,
  RecommendationsResponseSchema,
  StatsResponseSchema,
  StreamEventSchema,
} from "../supabase/functions/_shared/contract.ts";

const OUT = new URL("../shared/schema/", import.meta.url);

const schemas: Record<string, z.ZodType> = {
  "orchestrate-request.schema.json": OrchestrateRequestSchema,
  "orchestrate-response.schema.json": OrchestrateResponseSchema,
  "estimate-response.schema.json": EstimateResponseSchema,
  "recommendations-response.schema.json": RecommendationsResponseSchema,
  "feedback-request.schema.json": FeedbackRequestSchema,
  "feedback-response.schema.json": FeedbackResponseSchema,
  "error.schema.json": ErrorBodySchema,
  "stream-event.schema.json": StreamEventSchema,
  "job-created.schema.json": JobCreatedSchema,
  "job.schema.json": JobSchema,
  "job-list.schema.json": JobListSchema,
  "stats-response.schema.json": StatsResponseSchema,
  "export-query.schema.json": ExportQuerySchema,
  "export-line.schema.json": ExportLineSchema,
  "insights-response.schema.json": InsightsResponseSchema,
};

const check = Deno.args.includes("--check");
let stale = false;
for (const [name, schema] of Object.entries(schemas)) {
  // The request schema describes what callers send (input); responses what they receive (output).
  const io = name.includes("request") || name.includes("query") ? "input" : "output";
  const text = `${JSON.stringify(z.toJSONSchema(schema, { io, unrepresentable: "any" }), null, 2)}\n`;
  const url = new URL(name, OUT);
  if (check) {
    const current = await Deno.readTextFile(url).catch(() => "");
    if (current !== text) {
      console.error(`shared/schema/${name} is stale: run npm run gen:schema and commit it`);
      stale = true;
    }
  } else {
    await Deno.mkdir(OUT, { recursive: true });
    await Deno.writeTextFile(url, text);
    console.log(`wrote shared/schema/${name}`);
  }
}
if (stale) Deno.exit(1);
