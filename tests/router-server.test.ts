// The local edge's HTTP server: a response body that fails part way must not reach the client as a whole
// one (an export cut short by an error would otherwise be saved as if complete), and an answer sent before
// the request's body was read must reach the client (a 413 for a body refused by its length).

import assert from "node:assert/strict";
import { serveWithTimeouts } from "../scripts/router-server.ts";

const timeouts = { headersMs: 2_000, bodyMs: 2_000, idleMs: 5_000, keepAliveMs: 2_000, lingerMs: 2_000 };

Deno.test("a body that fails part way cuts the connection; a whole one ends cleanly", async () => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const server = serveWithTimeouts({ hostname: "127.0.0.1", port, timeouts }, (request) => {
    let sent = 0;
    const fails = new URL(request.url).pathname === "/fails";
    return new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ === 3) {
            return fails ? controller.error(new Error("the rows ran out")) : controller.close();
          }
          controller.enqueue(new TextEncoder().encode("line\n"));
        },
      }),
    );
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const whole = await fetch(`http://127.0.0.1:${port}/whole`);
    assert.equal(await whole.text(), "line\n".repeat(3));
    // the head may have gone out with the first lines, or not yet: either way the client sees a failure
    await assert.rejects(fetch(`http://127.0.0.1:${port}/fails`).then((cut) => cut.text()));
  } finally {
    await server.shutdown();
  }
});

Deno.test("a body refused before it is read still gets its answer to the client, however large", async () => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  // Refused by its length, as the function refuses a body over 1 MB: nothing of it is read.
  const server = serveWithTimeouts(
    { hostname: "127.0.0.1", port, timeouts },
    (request) =>
      Number(request.headers.get("content-length")) > 1_000_000
        ? Response.json({ error: { code: "payload_too_large" } }, { status: 413 })
        : new Response("read"),
  );
  try {
    await new Promise((resolve) => setTimeout(resolve, 100));
    // 8 MB is more than the sockets' buffers hold: closed at once, the connection was reset before the
    // client read the answer (every time, where 1.1 MB lost it only now and then)
    const body = "y".repeat(8_000_000);
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body });
      assert.equal(response.status, 413);
      assert.equal(response.headers.get("connection"), "close");
      assert.deepEqual(await response.json(), { error: { code: "payload_too_large" } });
    }
    const small = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "small" });
    assert.equal(await small.text(), "read");
  } finally {
    await server.shutdown();
  }
});
