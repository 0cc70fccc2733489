// The published JSON Schema (shared/schema/, what other languages validate with) and the server agree:
// each body of a corpus at the contract's edges (lengths in code points, blank and padded strings, NUL and
// unpaired surrogates, unknown fields, paths) is valid under the schema exactly when the server accepts
// it. Rules JSON Schema cannot say (unique paths, the context's total size, fields that contradict each
// other) are in the schema's descriptions; their bodies are listed apart, refused by the server.

import assert from "node:assert/strict";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { ROOT } from "./support/processes.ts";
import { functionUrl, stackTest, userToken } from "./support/stack.ts";

const schema = JSON.parse(await Deno.readTextFile(`${ROOT}/shared/schema/orchestrate-request.schema.json`));
const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

const file = (path: string, content = "x") => ({ path, content });
const withContext = (context: unknown) => ({ request: "Fix the bug", context });
const emoji = "\u{1F600}";

/** Bodies at the edges of the contract, each named. */
const corpus: Record<string, unknown> = {
  "a plain request": { request: "Build a todo app" },
  "a padded request": { request: "  Build a todo app  " },
  "a blank request": { request: "   \n\t " },
  "an empty request": { request: "" },
  "20,000 characters": { request: "a".repeat(20_000) },
  "20,001 characters": { request: "a".repeat(20_001) },
  "20,000 emoji (40,000 UTF-16 units)": { request: emoji.repeat(20_000) },
  "20,001 emoji": { request: emoji.repeat(20_001) },
  "a NUL character": { request: "Build\u0000 it" },
  "an unpaired surrogate": { request: "Build \uD800 it" },
  "a paired surrogate": { request: `Build ${emoji} it` },
  "an unknown field": { request: "Build it", temperature: 0.2 },
  "a blank framework": withContext({ framework: "   " }),
  "an empty framework": withContext({ framework: "" }),
  "a 50-character framework": withContext({ framework: "f".repeat(50) }),
  "a 51-character framework": withContext({ framework: "f".repeat(51) }),
  "a 200-character conversation id": { request: "Build it", conversationId: "c".repeat(200) },
  "a 201-character conversation id": { request: "Build it", conversationId: "c".repeat(201) },
  "a 300-character path": withContext({ files: [file("p".repeat(300))] }),
  "a 301-character path": withContext({ files: [file("p".repeat(301))] }),
  "a nested path": withContext({ files: [file("src/components/App.tsx")] }),
  "a dotfile": withContext({ files: [file(".env.example")] }),
  "an absolute path": withContext({ files: [file("/etc/passwd")] }),
  "a parent segment": withContext({ files: [file("src/../../etc/passwd")] }),
  "a dot segment": withContext({ files: [file("src/./App.tsx")] }),
  "an empty segment": withContext({ files: [file("src//App.tsx")] }),
  "a trailing slash": withContext({ files: [file("src/")] }),
  "a backslash": withContext({ files: [file("src\\App.tsx")] }),
  "a drive letter": withContext({ files: [file("C:/App.tsx")] }),
  "a line break in a path": withContext({ files: [file("src/App\n.tsx")] }),
  "a control character in a path": withContext({ files: [file("src/\u0007App.tsx")] }),
  "a line separator in a path": withContext({ files: [file("src/\u2028App.tsx")] }),
  "an extra field in a file": withContext({ files: [{ path: "a.ts", content: "", mode: "0644" }] }),
  "50 files": withContext({ files: Array.from({ length: 50 }, (_, i) => file(`f${i}.ts`)) }),
  "51 files": withContext({ files: Array.from({ length: 51 }, (_, i) => file(`f${i}.ts`)) }),
  "a 200-character model id": { request: "Build it", models: ["m".repeat(200)] },
  "a 201-character model id": { request: "Build it", models: ["m".repeat(201)] },
  "an empty model list": { request: "Build it", models: [] },
  "a user id that is no uuid": { request: "Build it", userId: "not-a-uuid" },
  "a threshold over 100": { request: "Build it", qualityThreshold: 101 },
  "a fractional strategy count": { request: "Build it", maxStrategies: 1.5 },
  "an unknown mode": { request: "Build it", mode: "race" },
  "four refinement rounds": { request: "Build it", refine: { maxRounds: 4 } },
};

/** What JSON Schema cannot say: valid under the schema, refused by the server. */
const serverOnly: Record<string, unknown> = {
  "a path twice": withContext({ files: [file("a.ts"), file("a.ts")] }),
  "over 400,000 characters of context": withContext({
    files: Array.from({ length: 5 }, (_, i) => file(`f${i}.ts`, "x".repeat(90_000))),
  }),
  "parallelExecution against mode": { request: "Build it", mode: "sequential", parallelExecution: true },
  "a hedge delay outside hedged mode": { request: "Build it", hedgeDelayMs: 100 },
  "consensus of one": { request: "Build it", mode: "consensus", maxStrategies: 1 },
};

/** Whether the server accepts the body: POST …/estimate reads it as the orchestrator does. */
async function serverAccepts(body: unknown, token: string): Promise<boolean> {
  const response = await fetch(`${functionUrl}/estimate`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  // unknown_model: the body passed the contract, and then named no model of the catalog
  if (response.status === 400 && answer.error.code === "unknown_model") return true;
  if (response.status === 400) assert.equal(answer.error.code, "invalid_request", JSON.stringify(answer));
  else assert.equal(response.status, 200, JSON.stringify(answer));
  return response.status === 200;
}

stackTest("the published request schema accepts exactly what the server accepts", async () => {
  const token = await userToken(crypto.randomUUID());
  const disagreements: string[] = [];
  for (const [name, body] of Object.entries(corpus)) {
    const bySchema = validate(body);
    const byServer = await serverAccepts(body, token);
    if (bySchema !== byServer) disagreements.push(`${name}: schema ${bySchema}, server ${byServer}`);
  }
  assert.deepEqual(disagreements, []);
  const accepted = Object.keys(corpus).filter((name) => validate(corpus[name]));
  assert.ok(accepted.length >= 10 && accepted.length < Object.keys(corpus).length - 10, `${accepted}`);
  const { properties } = schema;
  for (
    const field of [
      properties.context.properties.files,
      properties.parallelExecution,
      properties.hedgeDelayMs,
    ]
  ) {
    assert.match(field.description ?? "", /\w/, "the schema says the rule it cannot check");
  }
  assert.match(properties.maxStrategies.description ?? "", /consensus/);
  for (const [name, body] of Object.entries(serverOnly)) {
    assert.ok(validate(body), `${name}: the schema accepts it`);
    assert.equal(await serverAccepts(body, token), false, `${name}: the server refuses it`);
  }
});
