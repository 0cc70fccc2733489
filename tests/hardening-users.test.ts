// A hostile or careless user, through the function: tokens that verify but are no user's, bodies that
// never finish, limits per user and for the project, statistics that one account must not be able to
// poison, and the log that must not link lines to users. (Malformed bodies: orchestrator-input.test.ts.)

import assert from "node:assert/strict";
import { estimateOrchestration, invokeOrchestrator } from "../shared/mod.ts";
import {
  asUser,
  eventually,
  functionLog,
  functionUrl,
  injectFault,
  marker,
  POOL_OFF,
  rawExchange,
  recordedRows,
  signedToken,
  simulatorCalls,
  type Sql,
  stack,
  stackTest,
  succeeded,
  userToken,
  withProjectSettings,
} from "./support/stack.ts";

const issuer = `${stack.url}/auth/v1`;

function post(body: unknown, headers: Record<string, string>) {
  return fetch(functionUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

stackTest(
  "a token that verifies but is no signed-in user's is refused before any model is called",
  async (_, t) => {
    const now = Math.floor(Date.now() / 1000);
    const user = { sub: crypto.randomUUID(), role: "authenticated", aud: "authenticated", iss: issuer };
    const times = { iat: now, exp: now + 600 };
    const cases: Array<[string, Record<string, unknown>]> = [
      ["another audience", { ...user, aud: "some-other-app" }],
      ["no audience", { ...user, aud: undefined }],
      ["a foreign issuer", { ...user, iss: "https://evil.example/auth/v1" }],
      ["the anon role", { ...user, role: "anon" }],
      ["a sub that is no uuid", { ...user, sub: "alice" }],
    ];
    for (const [name, claims] of cases) {
      await t.step(name, async () => {
        const ref = marker();
        const token = await signedToken({ ...claims, ...times });
        const response = await post({ request: `Build a notes app (${ref})` }, {
          authorization: `Bearer ${token}`,
        });
        const body = await response.json();
        assert.equal(response.status, 401, JSON.stringify(body));
        assert.equal(typeof body.error.code, "string");
        assert.deepEqual(await simulatorCalls(ref), [], "no model was called");
      });
    }
    await t.step("a user's own id in upper case is still theirs", async () => {
      const userId = crypto.randomUUID();
      const response = await post(
        { request: "Build a notes app", userId: userId.toUpperCase(), maxStrategies: 1 },
        { authorization: `Bearer ${await userToken(userId)}` },
      );
      assert.equal(response.status, 200, await response.clone().text());
      await response.body?.cancel();
    });
  },
);

stackTest(
  "clients that never finish sending: 408 once the edge's deadline passes, the connection closed",
  async () => {
    const token = await userToken(crypto.randomUUID());
    const head = `POST /functions/v1/multi-model-orchestrator HTTP/1.1\r\nhost: 127.0.0.1\r\n` +
      `authorization: Bearer ${token}\r\ncontent-type: application/json\r\n`;
    const started = Date.now();
    // Twenty clients each that send half a body, half a head, or nothing, and wait (the test stack's
    // deadlines are 3 s).
    const many = (bytes: string) => Promise.all(Array.from({ length: 20 }, () => rawExchange(bytes, 15_000)));
    const [halfBodies, halfHeads, silent] = await Promise.all([
      many(`${head}content-length: 1000\r\n\r\n{"request"`),
      many(head),
      many(""),
    ]);
    for (const { text, closed } of halfBodies) {
      assert.match(text, /^HTTP\/1\.1 408/, text.slice(0, 200));
      assert.match(text, /request_timeout/);
      assert.ok(closed, "the server closed the connection");
    }
    for (const { text, closed } of [...halfHeads, ...silent]) {
      assert.equal(text, "", "no answer to a request that never came");
      assert.ok(closed, "the server closed the connection");
    }
    assert.ok(Date.now() - started < 12_000, "within the deadlines, not never");

    // A mis-framed chunked body is the client's error: the edge answers 400.
    const misframed = await rawExchange(`${head}transfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`);
    assert.match(misframed.text, /^HTTP\/1\.1 400/, misframed.text.slice(0, 200));

    // A client gone mid-body: the function's read fails, and it says so in one warning line.
    const since = new Date().toISOString();
    await rawExchange(`${head}content-length: 1000\r\n\r\n{"request"`, 200);
    const line = await eventually(async () =>
      (await functionLog()).find((entry) => entry.msg === "request" && String(entry.time) >= since)
    );
    assert.deepEqual([line.level, line.status, line.code], ["warn", 400, "body_unreadable"]);
    assert.ok(
      !(await functionLog()).some((entry) => entry.msg === "unhandled"),
      "no unhandled error, no stack",
    );
  },
);

stackTest("the log names users by a keyed hash only", async () => {
  const { userId, client } = await asUser();
  const data = succeeded(
    await invokeOrchestrator(client, { request: "Build a notes app", maxStrategies: 1 }),
  );
  const line = await eventually(async () =>
    (await functionLog()).find((entry) => entry.requestId === data.requestId && entry.msg === "request")
  );
  const encoder = new TextEncoder();
  const hex = (bytes: ArrayBuffer) =>
    [...new Uint8Array(bytes).slice(0, 8)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  const unkeyed = hex(await crypto.subtle.digest("SHA-256", encoder.encode(userId)));
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(stack.secretKey),
    {
      name: "HMAC",
      hash: "SHA-256",
    },
    false,
    ["sign"],
  );
  assert.notEqual(line.user, unkeyed, "not a plain hash anyone holding user ids can recompute");
  assert.equal(line.user, hex(await crypto.subtle.sign("HMAC", key, encoder.encode(userId))));
  assert.ok(!JSON.stringify(line).includes(userId));
});

stackTest(
  "per-user limits hold across requests: 429 with Retry-After, counted in Postgres",
  async (sql, t) => {
    await t.step("requests a minute", async () => {
      const { userId, client } = await asUser();
      await withProjectSettings(sql, { requests_per_minute: 3 }, async () => {
        for (let i = 0; i < 3; i++) {
          succeeded(await invokeOrchestrator(client, { request: "Build a notes app", maxStrategies: 1 }));
        }
        const response = await post({ request: "Build a notes app" }, {
          authorization: `Bearer ${await userToken(userId)}`,
        });
        const body = await response.json();
        assert.equal(response.status, 429);
        assert.equal(body.error.code, "rate_limited");
        assert.ok(Number(response.headers.get("retry-after")) >= 1);
      });
      const [{ count }] =
        await sql`select count(*)::int from public.request_admissions where user_id = ${userId}`;
      assert.equal(count, 3, "the refused request was not admitted");
    });
    await t.step("requests at once", async () => {
      const { userId } = await asUser();
      const authorization = `Bearer ${await userToken(userId)}`;
      const ref = marker();
      await injectFault({ fault: "timeout", match: ref, delayMs: 1_500, times: 3 });
      const results = await withProjectSettings(
        sql,
        { concurrent_requests: 2 },
        () =>
          Promise.all(
            Array.from({ length: 3 }, async () => {
              const response = await post({ request: `Build a notes app (${ref})`, maxStrategies: 1 }, {
                authorization,
              });
              const body = await response.json();
              return {
                status: response.status,
                code: body.error?.code,
                retryAfter: response.headers.get("retry-after"),
              };
            }),
          ),
      );
      const refused = results.filter((result) => result.code === "too_many_concurrent_requests");
      assert.equal(refused.length, 1, JSON.stringify(results));
      assert.deepEqual(
        [refused[0].status, refused[0].retryAfter],
        [429, "5"],
        "Retry-After: 5, as documented",
      );
    });
    await t.step("the project's monthly cap", async () => {
      const { client } = await asUser();
      const [{ spent }] = await sql`select public.project_spend(public.spend_month(now()))::float8 as spent`;
      const result = await withProjectSettings(
        sql,
        { monthly_budget_usd: spent + 0.000001 },
        () => invokeOrchestrator(client, { request: "Build a notes app", maxStrategies: 1 }),
      );
      assert.equal(result.error?.status, 503);
      assert.equal(result.error?.code, "project_budget_exhausted");
    });
  },
);

stackTest("attempts that never reached a model are no evidence, and no cost estimate", async (sql) => {
  // Other users' evidence aside (the rule's k out of reach), the user's own history is all there is.
  await withProjectSettings(sql, POOL_OFF, () => ownHistoryOnly(sql));
});

async function ownHistoryOnly(sql: Sql) {
  const { userId, client } = await asUser();
  const model = "gemini-3.1-pro-preview";
  const ref = marker();
  // Three requests whose calls are refused for the credentials: $0 each.
  await injectFault({ fault: "bad_key", match: ref, model, times: 3 });
  for (let i = 0; i < 3; i++) {
    const failed = await invokeOrchestrator(client, {
      request: `Build a todo app (${ref})`,
      models: [model],
      maxStrategies: 1,
      explore: false,
    });
    assert.equal(failed.error?.code, "all_strategies_failed");
  }
  // the attempts are recorded (after their responses)
  await eventually(async () => {
    const [{ rows }] = await sql`select count(*)::int as rows from public.model_performance
      where user_id = ${userId} and error_class = 'auth'`;
    return rows === 3 || undefined;
  });
  const { data: estimate } = await estimateOrchestration(client, {
    request: "Build a todo app",
    models: [model],
    explore: false,
  });
  const planned = estimate!.plans.premium.strategies[0];
  assert.equal(planned.costBasis, "tokens", "$0 failures do not make the model look free");
  assert.ok(planned.estimatedCostUsd > 0);

  // With 0.0001 USD left, the request is refused as the README says (402), not run into a 502.
  await sql`insert into public.user_settings (user_id, monthly_budget_usd) values (${userId}, 0.0001)`;
  const refused = await invokeOrchestrator(client, { request: "Build a todo app", models: [model] });
  assert.equal(refused.error?.status, 402, JSON.stringify(refused.error));
  assert.ok(!/ 0 USD/.test(refused.error!.message), refused.error!.message);
}

stackTest("a progressive estimate's worst case covers a plan of the most files there can be", async () => {
  const { client } = await asUser();
  const { data } = await estimateOrchestration(client, {
    request: "Build a project management app with teams, boards, charts and notifications",
    models: ["gemini-3.8-flash"],
    tier: "premium",
    maxStrategies: 2,
  });
  const progressive = data!.plans.premium.strategies.find((strategy) => strategy.approach === "progressive")!;
  // A plan call and one batch call per 4 of 60 files, each with its whole output cap (32,768 tokens at
  // 2.50 USD per million) at least.
  const calls = 1 + Math.ceil(60 / 4);
  assert.ok(progressive.maxCostUsd >= calls * 32_768 * 2.5e-6, `${progressive.maxCostUsd}`);
});

stackTest("a secret-key caller's requests are held to the limits of the user they act for", async (sql) => {
  const userId = crypto.randomUUID();
  await withProjectSettings(sql, { requests_per_minute: 1 }, async () => {
    const first = await fetch(functionUrl, {
      method: "POST",
      headers: { apikey: stack.secretKey, "content-type": "application/json" },
      body: JSON.stringify({ request: "Build a notes app", userId, maxStrategies: 1 }),
    });
    assert.equal(first.status, 200);
    const { requestId } = await first.json();
    await recordedRows(sql, requestId);
    const second = await fetch(functionUrl, {
      method: "POST",
      headers: { apikey: stack.secretKey, "content-type": "application/json" },
      body: JSON.stringify({ request: "Build a notes app", userId, maxStrategies: 1 }),
    });
    assert.equal(second.status, 429);
    await second.body?.cancel();
  });
});
