// Every way a request can be wrong gets a 4xx with a JSON body saying what was wrong, and nothing is
// written for it. Requests go over plain HTTP here, since the typed client refuses bad bodies itself.

import assert from "node:assert/strict";
import { createStackKeys, mintUserToken } from "../scripts/stack-keys.ts";
import { database, eventually, functionUrl, stack, userToken } from "./support/stack.ts";

interface Case {
  name: string;
  status: number;
  code: string;
  init: RequestInit;
  /** The endpoint under the function: "" (generate, the default), "/estimate", "/recommendations?…". */
  path?: string;
  /** A part of the message or of the problem list that must be there. */
  mentions?: string[];
}

function jsonBody(body: unknown): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

const file = (path: string, content = "x") => ({ path, content });

/** Every string field of the contract, given a value Postgres cannot store. */
function unstorable(value: string): Array<[string, unknown]> {
  return [
    ["request", { request: `Build ${value}` }],
    ["conversationId", { request: "x", conversationId: `c${value}` }],
    ["context.files.0.path", { request: "x", context: { files: [file(`src/${value}.ts`)] } }],
    ["context.files.0.content", { request: "x", context: { files: [file("a.ts", `a${value}`)] } }],
    ["context.framework", { request: "x", context: { framework: `react${value}` } }],
    ["models.0", { request: "x", models: [`gemini${value}`] }],
  ];
}

const UNSTORABLE: Case[] = [["a NUL", "\u0000"], ["an unpaired surrogate", "\ud800"]].flatMap((
  [what, value],
) =>
  unstorable(value).map(([field, body]) => ({
    name: `${field} with ${what}`,
    status: 400,
    code: "invalid_request",
    init: jsonBody(body),
    mentions: [field],
  }))
);

const BAD_PATHS: Case[] = [
  ["a line break before ..", "x\n/../../../../tmp/pwned.txt"],
  ["a carriage return", "x\r/../../tmp/pwned.txt"],
  ["a line separator", "x\u2028/../../tmp/pwned.txt"],
  ["a drive letter", "C:/Windows/System32/evil.dll"],
  ["a backslash", "src\\App.tsx"],
  ["an empty segment", "src//App.tsx"],
  ["a '.' segment", "src/./App.tsx"],
  ["a trailing slash", "src/"],
].map(([what, path]) => ({
  name: `a context path with ${what}`,
  status: 400,
  code: "invalid_request",
  init: jsonBody({ request: "x", context: { files: [file(path)] } }),
  mentions: ["context.files.0.path"],
}));

const CASES: Case[] = [
  ...UNSTORABLE,
  ...BAD_PATHS,
  {
    name: "the same context path twice",
    status: 400,
    code: "invalid_request",
    init: jsonBody({ request: "x", context: { files: [file("a.ts"), file("a.ts")] } }),
    mentions: ["context.files.1.path"],
  },
  {
    name: "an unknown field in a context file",
    status: 400,
    code: "invalid_request",
    init: jsonBody({ request: "x", context: { files: [{ path: "a.ts", content: "x", mode: "755" }] } }),
    mentions: ["mode"],
  },
  {
    name: "__proto__ in a context file",
    status: 400,
    code: "invalid_request",
    init: {
      method: "POST",
      headers: { "content-type": "application/json" },
      body:
        '{"request": "x", "context": {"files": [{"path": "a.ts", "content": "x", "__proto__": {"admin": true}}]}}',
    },
    mentions: ["__proto__"],
  },
  { name: "GET", status: 405, code: "method_not_allowed", init: { method: "GET" } },
  {
    name: "PUT",
    status: 405,
    code: "method_not_allowed",
    init: { ...jsonBody({ request: "x" }), method: "PUT" },
  },
  {
    name: "text/plain body",
    status: 415,
    code: "unsupported_media_type",
    init: { method: "POST", headers: { "content-type": "text/plain" }, body: "Build a todo app" },
  },
  {
    name: "no content type",
    status: 415,
    code: "unsupported_media_type",
    init: { method: "POST", body: new Blob(['{"request":"x"}']) },
  },
  {
    name: "a body over 1 MB",
    status: 413,
    code: "payload_too_large",
    init: jsonBody({ request: "x", padding: "y".repeat(1_100_000) }),
  },
  {
    name: "invalid JSON",
    status: 400,
    code: "invalid_json",
    init: { method: "POST", headers: { "content-type": "application/json" }, body: '{"request": ' },
  },
  { name: "a JSON array", status: 400, code: "invalid_request", init: jsonBody(["Build a todo app"]) },
  { name: "no request", status: 400, code: "invalid_request", init: jsonBody({}), mentions: ["request"] },
  { name: "a blank request", status: 400, code: "invalid_request", init: jsonBody({ request: "   " }) },
  {
    name: "a request over 20,000 characters",
    status: 400,
    code: "invalid_request",
    init: jsonBody({ request: "a".repeat(20_001) }),
  },
  {
    name: "an unknown field",
    status: 400,
    code: "invalid_request",
    init: jsonBody({ request: "x", qualityTreshold: 80 }),
    mentions: ["qualityTreshold"],
  },
  {
    name: "several problems at once",
    status: 400,
    code: "invalid_request",
    init: jsonBody({ request: "x", qualityThreshold: 101, maxStrategies: 9, mode: "turbo" }),
    mentions: ["qualityThreshold", "maxStrategies", "mode"],
  },
  {
    name: "maxStrategies 0",
    status: 400,
    code: "invalid_request",
    init: jsonBody({ request: "x", maxStrategies: 0 }),
  },
  {
    name: "a fractional maxStrategies",
    status: 400,
    code: "invalid_request",
    init: jsonBody({ request: "x", maxStrategies: 2.5 }),
  },
  {
    name: "a negative qualityThreshold",
    status: 400,
    code: "invalid_request",
    init: jsonBody({ request: "x", qualityThreshold: -1 }),
  },
  {
    name: "mode and parallelExecution disagree",
    status: 400,
    code: "invalid_request",
    init: jsonBody({ request: "x", mode: "sequential", parallelExecution: true }),
    mentions: ["parallelExecution"],
  },
  {
    name: "a context path escaping the project",
    status: 400,
    code: "invalid_request",
    init: jsonBody({ request: "x", context: { files: [file("../etc/passwd")] } }),
    mentions: ["context.files.0.path"],
  },
  {
    name: "an absolute context path",
    status: 400,
    code: "invalid_request",
    init: jsonBody({ request: "x", context: { files: [file("/etc/passwd")] } }),
  },
  {
    name: "too many context files",
    status: 400,
    code: "invalid_request",
    init: jsonBody({
      request: "x",
      context: { files: Array.from({ length: 51 }, (_, i) => file(`f${i}.ts`)) },
    }),
  },
  {
    name: "a context file over 100,000 characters",
    status: 400,
    code: "invalid_request",
    init: jsonBody({ request: "x", context: { files: [file("big.ts", "a".repeat(100_001))] } }),
  },
  {
    name: "context files over 400,000 characters together",
    status: 400,
    code: "invalid_request",
    init: jsonBody({
      request: "x",
      context: { files: Array.from({ length: 5 }, (_, i) => file(`f${i}.ts`, "a".repeat(90_000))) },
    }),
    mentions: ["context.files"],
  },
  {
    name: "a userId that is not a uuid",
    status: 400,
    code: "invalid_request",
    init: jsonBody({ request: "x", userId: "alice" }),
  },
  {
    name: "an unknown tier",
    status: 400,
    code: "invalid_request",
    init: jsonBody({ request: "x", tier: "gold" }),
    mentions: ["tier"],
  },
  {
    name: "an empty list of models",
    status: 400,
    code: "invalid_request",
    init: jsonBody({ request: "x", models: [] }),
    mentions: ["models"],
  },
  {
    name: "a model the catalog does not have",
    status: 400,
    code: "unknown_model",
    init: jsonBody({ request: "x", models: ["gemini-3.8-flash", "gpt-17-ultra"] }),
    mentions: ["gpt-17-ultra", "gemini-3.1-pro-preview"],
  },
  {
    name: "an estimate of an invalid request",
    path: "/estimate",
    status: 400,
    code: "invalid_request",
    init: jsonBody({ request: "", maxStrategies: 7 }),
    mentions: ["request", "maxStrategies"],
  },
  {
    name: "an estimate with a model the catalog does not have",
    path: "/estimate",
    status: 400,
    code: "unknown_model",
    init: jsonBody({ request: "x", models: ["gpt-17-ultra"] }),
    mentions: ["gpt-17-ultra"],
  },
  {
    name: "GET of estimates",
    path: "/estimate",
    status: 405,
    code: "method_not_allowed",
    init: { method: "GET" },
  },
  {
    name: "POST of recommendations",
    path: "/recommendations",
    status: 405,
    code: "method_not_allowed",
    init: jsonBody({ request: "x" }),
  },
  {
    name: "recommendations for an unknown task type",
    path: "/recommendations?taskType=poetry",
    status: 400,
    code: "invalid_request",
    init: { method: "GET" },
    mentions: ["taskType"],
  },
  {
    name: "recommendations with an unknown parameter",
    path: "/recommendations?tasktype=fix",
    status: 400,
    code: "invalid_request",
    init: { method: "GET" },
    mentions: ["tasktype"],
  },
  {
    name: "a user asking for another user's recommendations",
    path: `/recommendations?userId=${crypto.randomUUID()}`,
    status: 403,
    code: "user_id_not_allowed",
    init: { method: "GET" },
  },
  {
    name: "a path that is no endpoint",
    path: "/estimates",
    status: 404,
    code: "not_found",
    init: jsonBody({ request: "x" }),
    mentions: ["/estimate", "/recommendations"],
  },
  {
    name: "a path that only ends like an operator endpoint",
    path: "/estimate/metrics",
    status: 404,
    code: "not_found",
    init: { method: "GET" },
  },
  {
    name: "the operator metrics as a signed-in user",
    path: "/metrics",
    status: 403,
    code: "forbidden",
    init: { method: "GET" },
  },
];

Deno.test({
  name: "bad input gets a clear 4xx and writes nothing",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = database();
    const userId = crypto.randomUUID();
    const token = await userToken(userId);
    const authHeaders = { authorization: `Bearer ${token}`, apikey: stack.publishableKey };
    try {
      for (const c of CASES) {
        await t.step(`${c.name} → ${c.status} ${c.code}`, async () => {
          const response = await fetch(`${functionUrl}${c.path ?? ""}`, {
            ...c.init,
            headers: { ...authHeaders, ...(c.init.headers as Record<string, string> | undefined) },
          });
          const body = await response.json();
          assert.equal(response.status, c.status, JSON.stringify(body));
          assert.equal(body.error.code, c.code);
          assert.equal(typeof body.error.message, "string");
          assert.ok(body.error.message.length > 10, "the message says what was wrong");
          assert.ok(response.headers.get("x-request-id"), "errors carry a request id too");
          assert.equal(
            response.headers.get("access-control-allow-origin"),
            "*",
            "browsers can read the error",
          );
          const text = JSON.stringify(body);
          for (const mention of c.mentions ?? []) {
            assert.ok(text.includes(mention), `mentions ${mention}: ${text}`);
          }
        });
      }

      await t.step("authentication failures are 401 in the same shape", async () => {
        const other = await createStackKeys();
        const forged = await mintUserToken(other.privateJwk, userId, `${stack.url}/auth/v1`);
        const expired = await userToken(userId, -60);
        const attempts: Array<[string, Record<string, string>]> = [
          ["no credentials", {}],
          ["only the publishable key (no session)", {
            apikey: stack.publishableKey,
            authorization: `Bearer ${stack.publishableKey}`,
          }],
          ["a token signed by another key", { authorization: `Bearer ${forged}` }],
          ["an expired token", { authorization: `Bearer ${expired}` }],
          ["a wrong secret key", { apikey: "sb_secret_wrong" }],
        ];
        for (const [label, headers] of attempts) {
          const response = await fetch(functionUrl, {
            ...jsonBody({ request: "Build a todo app" }),
            headers: { ...headers, "content-type": "application/json" },
          });
          const body = await response.json();
          assert.equal(response.status, 401, `${label}: ${JSON.stringify(body)}`);
          assert.equal(typeof body.error.code, "string", label);
          assert.ok(body.error.message, label);
        }
      });

      await t.step("CORS preflight is answered without credentials", async () => {
        const response = await fetch(functionUrl, {
          method: "OPTIONS",
          headers: { origin: "https://app.example", "access-control-request-method": "POST" },
        });
        await response.body?.cancel();
        assert.ok(response.status === 200 || response.status === 204);
        assert.equal(response.headers.get("access-control-allow-origin"), "*");
        assert.match(response.headers.get("access-control-allow-headers") ?? "", /authorization/);
        assert.match(response.headers.get("access-control-expose-headers") ?? "", /x-request-id/);
      });

      await t.step("nothing was written for any of them", async () => {
        // A valid request of the same user, then its rows: any row of a rejected request would be
        // older, so exactly one selection for the user proves none was written.
        const ok = await fetch(functionUrl, {
          ...jsonBody({ request: "Build a todo app" }),
          headers: { ...authHeaders, "content-type": "application/json" },
        });
        assert.equal(ok.status, 200);
        const { requestId } = await ok.json();
        await eventually(async () => {
          const [row] = await sql`select 1 from public.model_selections where request_id = ${requestId}`;
          return row;
        });
        const [{ count }] =
          await sql`select count(*)::int as count from public.model_selections where user_id = ${userId}`;
        assert.equal(count, 1);
      });
    } finally {
      await sql.end();
    }
  },
});
