// One more functions router on a stack's database: a second edge worker, as a hosted project runs as many
// as traffic needs. It gets the stack's env file, so it shares the database, the keys and the simulator.

import { ROOT } from "./stack.ts";

export interface Router {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startRouter(port: number, env: Record<string, string>): Promise<Router> {
  const child = new Deno.Command(`${ROOT}/node_modules/.bin/deno`, {
    args: [
      "run",
      "--config",
      `${ROOT}/supabase/functions/deno.json`,
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-sys",
      "--unstable-no-legacy-abort",
      `${ROOT}/scripts/functions-router.ts`,
      `${ROOT}/supabase`,
      String(port),
    ],
    env: { PATH: Deno.env.get("PATH")!, HOME: Deno.env.get("HOME") ?? "/root", ...env },
    clearEnv: true,
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0;; tries++) {
    try {
      const response = await fetch(`${url}/_internal/health`);
      await response.body?.cancel();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (tries > 300) {
      child.kill();
      throw new Error(`the router on ${url} did not answer`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}
