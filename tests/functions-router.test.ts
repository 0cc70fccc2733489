// The local functions router, started as `npm run stack:up` starts it, over a fixture project with one
// function per behaviour: JWT verification per config.toml, CORS preflight, both handler styles,
// boot and runtime failures, disabled and shared folders, and background work that outlives a response.

import assert from "node:assert/strict";
import { ROOT, startRouter } from "./support/processes.ts";
import { createStackKeys, mintUserToken } from "../scripts/stack-keys.ts";

const PROJECT = `${ROOT}/tests/fixtures/router-project`;

Deno.test("functions router", async (t) => {
  const keys = await createStackKeys();
  const otherKeys = await createStackKeys();
  const marker = await Deno.makeTempFile({ suffix: ".marker" });
  await Deno.remove(marker);
  const router = await startRouter(PROJECT, {
    SUPABASE_JWKS: JSON.stringify(keys.jwks),
    BACKGROUND_MARKER: marker,
  });
  const issuer = `${router.base}/auth/v1`;
  const call = (path: string, init?: RequestInit) => fetch(`${router.base}/functions/v1/${path}`, init);

  try {
    await t.step("verify_jwt (default true) refuses a request without Authorization", async () => {
      const response = await call("hello", { method: "POST" });
      assert.deepEqual(response.status, 401);
      assert.deepEqual((await response.json()).code, "UNAUTHORIZED_NO_AUTH_HEADER");
      assert.deepEqual(response.headers.get("access-control-allow-origin"), "*");
    });

    await t.step("refuses a non-Bearer Authorization header", async () => {
      const response = await call("hello", { headers: { authorization: "Basic dXNlcjpwYXNz" } });
      assert.deepEqual(response.status, 401);
      assert.deepEqual((await response.json()).code, "UNAUTHORIZED_INVALID_JWT_FORMAT");
    });

    await t.step("refuses a token signed by another key", async () => {
      const forged = await mintUserToken(otherKeys.privateJwk, keys.demoUserId, issuer);
      const response = await call("hello", { headers: { authorization: `Bearer ${forged}` } });
      assert.deepEqual(response.status, 401);
      assert.deepEqual((await response.json()).code, "UNAUTHORIZED_INVALID_JWT");
    });

    await t.step("refuses an expired token", async () => {
      const expired = await mintUserToken(keys.privateJwk, keys.demoUserId, issuer, -60);
      const response = await call("hello", { headers: { authorization: `Bearer ${expired}` } });
      assert.deepEqual(response.status, 401);
      assert.match((await response.json()).message, /exp/);
    });

    await t.step("passes a valid token through, with the path the function expects", async () => {
      const token = await mintUserToken(keys.privateJwk, keys.demoUserId, issuer);
      const response = await call("hello/sub/path?x=1", {
        method: "PUT",
        headers: { authorization: `Bearer ${token}` },
      });
      assert.deepEqual(response.status, 200);
      assert.deepEqual(await response.json(), {
        path: "/hello/sub/path",
        query: "?x=1",
        method: "PUT",
        authorization: `Bearer ${token}`,
      });
    });

    await t.step("lets a CORS preflight reach the function without a token", async () => {
      const response = await call("hello", {
        method: "OPTIONS",
        headers: { origin: "https://app.example", "access-control-request-method": "POST" },
      });
      assert.deepEqual(response.status, 200);
      assert.deepEqual(await response.text(), "ok");
      assert.deepEqual(response.headers.get("access-control-allow-origin"), "*");
    });

    await t.step("serves verify_jwt = false functions without a token, default-export style", async () => {
      const response = await call("open/x");
      assert.deepEqual(response.status, 200);
      assert.deepEqual(await response.json(), { style: "default-export", path: "/open/x" });
    });

    await t.step("answers 404 for unknown, disabled and shared folders", async () => {
      for (const name of ["nope", "disabled", "_shared"]) {
        const response = await call(name, { method: "POST" });
        assert.deepEqual(response.status, 404, name);
        assert.deepEqual((await response.json()).code, "NOT_FOUND");
      }
      const outside = await fetch(`${router.base}/elsewhere`);
      assert.deepEqual(outside.status, 404);
      await outside.body?.cancel();
    });

    await t.step("answers 503 for a function that failed to boot", async () => {
      const response = await call("broken", { headers: { authorization: "Bearer x" } });
      assert.deepEqual(response.status, 401, "JWT is still checked first");
      await response.body?.cancel();
      const token = await mintUserToken(keys.privateJwk, keys.demoUserId, issuer);
      const booted = await call("broken", { headers: { authorization: `Bearer ${token}` } });
      assert.deepEqual(booted.status, 503);
      assert.deepEqual((await booted.json()).code, "BOOT_ERROR");
    });

    await t.step("answers 500 when a handler throws, and keeps serving", async () => {
      const token = await mintUserToken(keys.privateJwk, keys.demoUserId, issuer);
      const response = await call("crash", { headers: { authorization: `Bearer ${token}` } });
      assert.deepEqual(response.status, 500);
      assert.deepEqual((await response.json()).code, "WORKER_ERROR");
      const next = await call("open");
      assert.deepEqual(next.status, 200);
      await next.body?.cancel();
    });

    await t.step("runs EdgeRuntime.waitUntil work after the response; shutdown waits for it", async () => {
      const response = await call("background", { method: "POST" });
      assert.deepEqual(await response.json(), { accepted: true });
      const existsEarly = await Deno.stat(marker).then(() => true, () => false);
      assert(!existsEarly, "the background work must not delay the response");
    });
  } finally {
    const { status, log } = await router.stop();
    assert.deepEqual(status.code, 0, log);
    assert.match(log, /POST \/functions\/v1\/background 200/);
  }
  assert.deepEqual(
    await Deno.readTextFile(marker),
    "done",
    "background work finished before the router exited",
  );
  await Deno.remove(marker);
});
