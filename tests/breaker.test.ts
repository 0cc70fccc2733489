// Circuit breakers and fallback chains: pure logic over a clock the test moves.

import assert from "node:assert/strict";
import { CircuitBreakers } from "../supabase/functions/_shared/run/breaker.ts";
import { defaultFallbacks } from "../supabase/functions/_shared/plan/catalog.ts";
import { CATALOG, planned } from "./support/planning.ts";
import { reorderForFallback } from "../supabase/functions/_shared/run/runner.ts";

function breakers() {
  let now = 0;
  const b = new CircuitBreakers({ failureThreshold: 3, cooldownMs: 1_000 }, () => now);
  return { b, advance: (ms: number) => (now += ms) };
}

Deno.test("repeated failures open the breaker; after the cooldown one probe goes through", () => {
  const { b, advance } = breakers();
  const key = CircuitBreakers.key("gemini", "gemini-2.5-pro");
  for (let i = 0; i < 2; i++) b.record(key, { success: false, errorClass: "server" });
  assert.equal(b.allow(key), true, "two failures are not enough");
  b.record(key, { success: false, errorClass: "timeout" });
  assert.equal(b.allow(key), false, "three consecutive failures open it");
  assert.deepEqual(b.snapshot(), [{ key, state: "open", failures: 3, retryInMs: 1_000 }]);
  advance(999);
  assert.equal(b.allow(key), false);
  advance(1);
  assert.equal(b.allow(key), true, "the probe");
  assert.equal(b.allow(key), false, "only one probe at a time");
  assert.equal(b.snapshot()[0].state, "half-open");
  b.record(key, { success: true });
  assert.equal(b.allow(key), true, "a successful probe closes it");
  assert.deepEqual(b.snapshot(), []);
});

Deno.test("a failed probe opens the breaker again, each time for longer", () => {
  const { b, advance } = breakers();
  const key = CircuitBreakers.key("gemini", "gemini-2.5-flash");
  for (let i = 0; i < 3; i++) b.record(key, { success: false, errorClass: "rate_limit" });
  advance(1_000);
  assert.equal(b.allow(key), true);
  b.record(key, { success: false, errorClass: "network" });
  assert.equal(b.allow(key), false);
  advance(1_999);
  assert.equal(b.allow(key), false, "the second cooldown is twice the first");
  advance(1);
  assert.equal(b.allow(key), true);
  b.record(key, { success: false, errorClass: "timeout" });
  assert.deepEqual(b.snapshot(), [{ key, state: "open", failures: 5, retryInMs: 4_000 }]);
});

Deno.test("any answer of a probe closes the breaker, whatever the answer was", () => {
  for (const errorClass of ["malformed_output", "safety_block", "invalid_request", "unknown"] as const) {
    const { b, advance } = breakers();
    const key = CircuitBreakers.key("openai", "gpt-4o");
    for (let i = 0; i < 3; i++) b.record(key, { success: false, errorClass: "server" });
    advance(1_000);
    assert.equal(b.allow(key), true, "the probe");
    b.record(key, { success: false, errorClass });
    assert.equal(b.allow(key), true, `a probe answered with ${errorClass} closes it`);
    assert.equal(b.allow(key), true, "for every request, not only the next one");
    assert.deepEqual(b.snapshot(), []);
  }
});

Deno.test("a probe that never reached the model is no probe: the next request probes", () => {
  for (const errorClass of ["budget_exceeded", "cancelled"] as const) {
    const { b, advance } = breakers();
    const key = CircuitBreakers.key("anthropic", "claude");
    for (let i = 0; i < 3; i++) b.record(key, { success: false, errorClass: "server" });
    advance(1_000);
    assert.equal(b.allow(key), true, "one user's request takes the probe");
    b.record(key, { success: false, errorClass });
    assert.equal(b.snapshot()[0].state, "open", `${errorClass} neither closes nor reopens it`);
    assert.equal(b.allow(key), true, "another request may probe at once");
    b.record(key, { success: true });
    assert.deepEqual(b.snapshot(), []);
  }
});

Deno.test("a success resets the count; bad answers and cancellations do not trip it", () => {
  const { b } = breakers();
  const key = CircuitBreakers.key("gemini", "gemini-2.5-flash-lite");
  b.record(key, { success: false, errorClass: "server" });
  b.record(key, { success: false, errorClass: "server" });
  b.record(key, { success: true });
  b.record(key, { success: false, errorClass: "server" });
  b.record(key, { success: false, errorClass: "server" });
  assert.equal(b.allow(key), true);
  for (let i = 0; i < 5; i++) {
    b.record(key, { success: false, errorClass: "safety_block" });
    b.record(key, { success: false, errorClass: "malformed_output" });
    b.record(key, { success: false, errorClass: "cancelled" });
  }
  assert.equal(b.allow(key), true);
});

Deno.test("breakers are per provider and model", () => {
  const { b } = breakers();
  for (let i = 0; i < 3; i++) {
    b.record(CircuitBreakers.key("gemini", "gemini-2.5-pro"), { success: false, errorClass: "server" });
  }
  assert.equal(b.allow(CircuitBreakers.key("gemini", "gemini-2.5-pro")), false);
  assert.equal(b.allow(CircuitBreakers.key("gemini", "gemini-2.5-flash")), true);
  assert.equal(b.allow(CircuitBreakers.key("openai", "gemini-2.5-pro")), true);
});

Deno.test("default fallback chains go to the closest model first", () => {
  const gemini = CATALOG.filter((model) => model.provider === "gemini");
  assert.deepEqual(defaultFallbacks(gemini), {
    "gemini-3.1-pro-preview": ["gemini-3.8-flash", "gemini-3.5-flash-lite"],
    "gemini-3.8-flash": ["gemini-3.1-pro-preview", "gemini-3.5-flash-lite"],
    "gemini-3.5-flash-lite": ["gemini-3.8-flash", "gemini-3.1-pro-preview"],
  });
});

Deno.test("after a failure, the failed model's fallbacks move to the front in chain order", () => {
  const s = planned;
  const queue = [
    s("gemini-2.5-pro", "simple"),
    s("gemini-2.5-flash-lite", "simple"),
    s("gemini-2.5-flash", "progressive"),
  ];
  const reordered = reorderForFallback(queue, ["gemini-2.5-flash", "gemini-2.5-flash-lite"]);
  assert.deepEqual(reordered.map((x) => x.model), [
    "gemini-2.5-flash",
    "gemini-2.5-flash-lite",
    "gemini-2.5-pro",
  ]);
  assert.deepEqual(
    reorderForFallback(queue).map((x) => x.model),
    queue.map((x) => x.model),
    "no chain: plan order",
  );
});

Deno.test("refuses tells an open breaker without taking its probe; intent calls have breakers of their own", () => {
  const { b, advance } = breakers();
  const key = CircuitBreakers.key("gemini", "gemini-2.5-flash");
  const intent = CircuitBreakers.intentKey("gemini", "gemini-2.5-flash");
  assert.notEqual(intent, key);
  assert.equal(b.refuses(key), false, "closed");
  for (let i = 0; i < 3; i++) b.record(intent, { success: false, errorClass: "timeout" });
  assert.equal(b.refuses(intent), true, "open");
  assert.equal(b.refuses(key), false, "the intent calls' failures leave the model's own breaker closed");
  advance(1_000);
  assert.equal(b.refuses(intent), false, "probe-able");
  assert.equal(b.refuses(intent), false, "asking took no probe");
  assert.equal(b.allow(intent), true, "the probe");
  assert.equal(b.refuses(intent), true, "its probe is out");
  b.record(intent, { success: true });
  assert.equal(b.refuses(intent), false);
});
