// A benchmark's own local stack (".local/<name>", its own ports), fresh for each run: whatever an earlier
// run left is stopped and removed (unless `fresh` is false: then it is reused, its migrations brought up to
// date), the stack is started with `env`, and stopped again (its data kept) once `work` is done,
// whatever happens. `work` gets the stack's env file as variables, and the port base it ran on:
// `portBase`, or PORT_BASE from the environment when set (to keep clear of other stacks on the machine);
// STACK_NAME from the environment, when set, names the stack instead of `name`.

import { progress } from "./progress.ts";

export const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

async function script(name: string, env: Record<string, string>): Promise<void> {
  const { code, stderr } = await new Deno.Command("bash", {
    args: [`${ROOT}/scripts/${name}.sh`],
    env: { PATH: Deno.env.get("PATH")!, HOME: Deno.env.get("HOME") ?? "/root", ...env },
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) throw new Error(`${name} failed:\n${new TextDecoder().decode(stderr)}`);
}

function readEnv(text: string): Record<string, string> {
  return Object.fromEntries(
    text.trim().split("\n").map((line) => {
      const [, name, value] = line.match(/^(\w+)='(.*)'$/)!;
      return [name, value];
    }),
  );
}

export async function withBenchStack<T>(
  name: string,
  portBase: number,
  env: Record<string, string>,
  work: (stackEnv: Record<string, string>, portBase: number) => Promise<T>,
  { fresh = true } = {},
): Promise<T> {
  const base = Number(Deno.env.get("PORT_BASE") ?? portBase);
  const stack = Deno.env.get("STACK_NAME") ?? name;
  const settings = { ...env, STACK_NAME: stack, PORT_BASE: String(base) };
  progress(
    `starting ${
      fresh ? "a fresh" : "the kept"
    } stack "${stack}" (ports ${base}…): PostgreSQL, the migrations, the simulator, the router`,
  );
  await script("stack-down", settings);
  if (fresh) await Deno.remove(`${ROOT}/.local/${stack}`, { recursive: true }).catch(() => {});
  await script("stack-up", settings);
  progress(`stack "${stack}" is up`);
  try {
    return await work(readEnv(await Deno.readTextFile(`${ROOT}/.local/${stack}.env`)), base);
  } finally {
    progress(`stopping stack "${stack}"`);
    await script("stack-down", settings);
  }
}
