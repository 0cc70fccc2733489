// Portkey's open-source AI gateway (@portkey-ai/gateway, a pinned devDependency), started on Node as
// users run it, proxying OpenAI's protocol to a custom host.

import { ROOT } from "./stack.ts";

const ENTRY = `${ROOT}/node_modules/@portkey-ai/gateway/build/start-server.js`;

export interface Gateway {
  url: string;
  pid: number;
  /** The headers that route a call through it to an OpenAI-compatible host. */
  headersFor(host: string, apiKey: string): Record<string, string>;
  stop(): Promise<void>;
}

export async function startPortkey(port: number): Promise<Gateway> {
  const taken = await Deno.connect({ hostname: "127.0.0.1", port }).then(
    (conn) => (conn.close(), true),
    () => false,
  );
  if (taken) throw new Error(`port ${port} is taken: stop what listens there (a gateway of an earlier run?)`);
  const child = new Deno.Command("node", {
    args: [ENTRY, `--port=${port}`, "--headless"],
    env: { NODE_ENV: "production" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Its last words, should it die during a run.
  let stderr = "";
  const reading = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (chunk) => void (stderr = (stderr + chunk).slice(-4000)) }),
  ).catch(() => {});
  // (an object, so that TypeScript sees the callback may have set it)
  const ended: { status: Deno.CommandStatus | null } = { status: null };
  child.status.then((status) => (ended.status = status));
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0;; tries++) {
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (ended.status) throw new Error(`Portkey's gateway exited (${ended.status.code}):\n${stderr}`);
    if (tries > 100) {
      child.kill();
      throw new Error(`Portkey's gateway did not answer on ${url}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid,
    headersFor: (host, apiKey) => ({
      "x-portkey-provider": "openai",
      "x-portkey-custom-host": host,
      authorization: `Bearer ${apiKey}`,
    }),
    async stop() {
      if (ended.status) {
        console.error(`Portkey's gateway had exited (${ended.status.code}) during the run:\n${stderr}`);
      }
      if (!ended.status) child.kill("SIGTERM");
      await child.status;
      await reading;
    },
  };
}
