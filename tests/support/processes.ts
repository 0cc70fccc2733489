// Starting and stopping the processes a test needs, on ports nobody else uses.

export const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
export const DENO = Deno.execPath();
export const DENO_CONFIG = `${ROOT}/supabase/functions/deno.json`;

/** A TCP port that was free a moment ago. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Polls a URL until it answers 2xx, or throws after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion and returns its exit code and output. Its environment is PATH and HOME
 * plus `env`: nothing leaks in from the test run's own stack.
 */
export async function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<CommandResult> {
  const output = await new Deno.Command(command, {
    args,
    env: { PATH: Deno.env.get("PATH")!, HOME: Deno.env.get("HOME") ?? "/root", ...env },
    clearEnv: true,
    cwd: ROOT,
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

/** One of the project's scripts as npm runs it: the project's Deno and config, with these permissions. */
export function runScript(
  script: string,
  permissions: string[],
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<CommandResult> {
  return run(
    DENO,
    ["run", "--config", DENO_CONFIG, ...permissions, `${ROOT}/scripts/${script}`, ...args],
    env,
  );
}

/** Whether something accepts TCP connections on the port. */
export async function portInUse(port: number): Promise<boolean> {
  try {
    const connection = await Deno.connect({ hostname: "127.0.0.1", port });
    connection.close();
    return true;
  } catch {
    return false;
  }
}

/**
 * The functions router over a project's functions (a folder with config.toml and functions/), on a port
 * of its own, as `npm run stack:up` starts it; it inherits this process's environment plus `env`.
 * `quiet`: its output is dropped, not kept for `stop` (a router under load writes more than a pipe holds);
 * `onlyEnv`: it gets `env` alone (a second edge worker of a bench stack, given the stack's env file);
 * `v8Flags`: for its V8 (e.g. `--max-old-space-size=64`: a heap too small to hold what must be streamed).
 */
export async function startRouter(
  project: string,
  env: Record<string, string>,
  { port = freePort(), quiet = false, onlyEnv = false, v8Flags = [] as string[] } = {},
) {
  const output = quiet ? "null" : "piped";
  const child = new Deno.Command(DENO, {
    args: [
      "run",
      "--config",
      DENO_CONFIG,
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-write",
      "--allow-sys",
      "--unstable-no-legacy-abort",
      ...(v8Flags.length ? [`--v8-flags=${v8Flags.join(",")}`] : []),
      `${ROOT}/scripts/functions-router.ts`,
      project,
      String(port),
    ],
    env: onlyEnv ? { PATH: Deno.env.get("PATH")!, HOME: Deno.env.get("HOME") ?? "/root", ...env } : env,
    clearEnv: onlyEnv,
    stdout: output,
    stderr: output,
  }).spawn();
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/_internal/health`);
  /** Stops it (SIGKILL: as a worker dies, without finishing anything) and returns its exit and log (also
   * of a router that has already exited). */
  const stop = async (signal: Deno.Signal = "SIGTERM") => {
    try {
      child.kill(signal);
    } catch {
      // it has already exited (it crashed): its status and log say how
    }
    const [status, stdout, stderr] = await Promise.all([
      child.status,
      quiet ? "" : new Response(child.stdout).text(),
      quiet ? "" : new Response(child.stderr).text(),
    ]);
    return { status, log: stdout + stderr };
  };
  return { base, stop, pid: child.pid };
}
