// The local edge's HTTP server: a response body that fails part way must not reach the client as a whole
// one (an export cut short by an error would otherwise be saved as if complete).

import assert from "node:assert/strict";
import { serveWithTimeouts } from "../scripts/router-server.ts";

const timeouts = { headersMs: 2_000, bodyMs: 2_000, idleMs: 5_000, keepAliveMs: 2_000 };

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
