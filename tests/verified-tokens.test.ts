// The worker's verified user tokens (http/verified-tokens.ts): trusted again until their exp or a minute,
// whichever comes first; only users' tokens; at most `capacity`, the oldest forgotten first.

import assert from "node:assert/strict";
import {
  bearerToken,
  type Caller,
  VerifiedTokens,
} from "../supabase/functions/_shared/http/verified-tokens.ts";

const user = (exp: number): Caller => ({
  authMode: "user",
  userClaims: { id: crypto.randomUUID(), role: "authenticated" },
  jwtClaims: { sub: "x", role: "authenticated", exp },
  authKeyName: undefined,
});

Deno.test("a verified user's token is trusted until its exp, or for a minute at most", () => {
  let now = 1_000_000_000_000;
  const tokens = new VerifiedTokens(10, () => now);
  const soon = user(now / 1000 + 30);
  tokens.remember("a", soon);
  tokens.remember("b", user(now / 1000 + 3600));
  assert.deepEqual(tokens.lookup("a"), soon);
  now += 29_999;
  assert.ok(tokens.lookup("a"));
  now += 1; // the second of its exp: jose refuses it from here
  assert.equal(tokens.lookup("a"), null);
  assert.ok(tokens.lookup("b"));
  now += 30_000; // a minute after it was verified: verified again
  assert.equal(tokens.lookup("b"), null);
  assert.equal(tokens.lookup(null), null);
});

Deno.test("only users' tokens with an exp are kept, at most `capacity`, the oldest forgotten first", () => {
  const now = 1_000_000_000_000;
  const tokens = new VerifiedTokens(2, () => now);
  tokens.remember("secret", {
    authMode: "secret",
    userClaims: null,
    jwtClaims: null,
    authKeyName: "default",
  });
  tokens.remember("no-exp", { ...user(0), jwtClaims: { sub: "x", role: "authenticated" } });
  tokens.remember("expired", user(now / 1000));
  tokens.remember(null, user(now / 1000 + 60));
  assert.equal(tokens.lookup("secret"), null);
  assert.equal(tokens.lookup("no-exp"), null);
  assert.equal(tokens.lookup("expired"), null);
  for (const token of ["1", "2", "3"]) tokens.remember(token, user(now / 1000 + 60));
  assert.deepEqual(["1", "2", "3"].map((token) => tokens.lookup(token) !== null), [false, true, true]);
});

Deno.test("the bearer token is read as @supabase/server reads it", () => {
  const request = (authorization?: string) =>
    new Request("http://x/", { headers: authorization ? { authorization } : {} });
  assert.equal(bearerToken(request("Bearer abc")), "abc");
  assert.equal(bearerToken(request("Bearer ")), null);
  assert.equal(bearerToken(request("bearer abc")), null);
  assert.equal(bearerToken(request()), null);
});
