// Exports what the orchestrator recorded, streamed to stdout (or --out <file>) as the endpoint streams it:
//   npm run export -- --format jsonl|csv [--from 2026-11-01] [--to 2026-12-01] [--task-type fix]
//                     [--min-quality 80] [--feedback accepted|rejected|none|any] [--model <id>] [--user-id <uuid>]
// It calls GET …/export with the project's secret key: SUPABASE_URL and SUPABASE_SECRET_KEY from the
// environment, else from the local stack's .local/stack.env. Without --user-id it exports every user's rows.

import { parseArgs } from "node:util";
import { ExportQuerySchema, problemsOf } from "../supabase/functions/_shared/contract.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    format: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    "task-type": { type: "string" },
    "min-quality": { type: "string" },
    feedback: { type: "string" },
    model: { type: "string" },
    "user-id": { type: "string" },
    out: { type: "string" },
  },
});

function fail(message: string): never {
  console.error(`export: ${message}`);
  Deno.exit(2);
}

async function stackEnv(): Promise<Record<string, string>> {
  const text = await Deno.readTextFile(new URL("../.local/stack.env", import.meta.url)).catch(() => "");
  return Object.fromEntries([...text.matchAll(/^(\w+)='(.*)'$/gm)].map((m) => [m[1], m[2]]));
}

const query = {
  format: values.format,
  from: values.from,
  to: values.to,
  taskType: values["task-type"],
  minQuality: values["min-quality"],
  feedback: values.feedback,
  model: values.model,
  userId: values["user-id"],
};
const parsed = ExportQuerySchema.safeParse(
  Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)),
);
if (!parsed.success) fail(problemsOf(parsed.error).map((p) => `${p.path}: ${p.message}`).join("; "));

const local = await stackEnv();
const url = Deno.env.get("SUPABASE_URL") ?? local.SUPABASE_URL;
const key = Deno.env.get("SUPABASE_SECRET_KEY") ?? local.SUPABASE_SECRET_KEY;
if (!url || !key) fail("set SUPABASE_URL and SUPABASE_SECRET_KEY (or run npm run stack:up)");

const search = new URLSearchParams(
  Object.entries(query).flatMap(([name, value]) => value === undefined ? [] : [[name, value]]),
);
const response = await fetch(`${url}/functions/v1/multi-model-orchestrator/export?${search}`, {
  headers: { apikey: key },
}).catch((error) => fail(`${url} did not answer: ${error.message}`));
if (!response.ok) fail(`${response.status}: ${await response.text()}`);
const sink = values.out
  ? await Deno.open(values.out, { write: true, create: true, truncate: true })
  : Deno.stdout;
await response.body!.pipeTo(sink.writable);
