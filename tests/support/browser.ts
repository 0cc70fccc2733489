// The example app (examples/web) built and served as `npm start` serves it, and Debian's Chromium driven
// by playwright-core, for tests of the page in a real browser.

import { type Browser, chromium, type Page } from "playwright-core";
import { withTimeout } from "../../supabase/functions/_shared/clock.ts";
import { freePort, ROOT, waitForHttp } from "./processes.ts";

export type { Page };

/** Debian's `chromium` package, which scripts/install-deps.sh installs. */
const CHROMIUM = "/usr/bin/chromium";

/** How long closing may take before the browser is killed instead. */
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * Chromium, and `close()`, which never hangs. Playwright's close waits until the browser's stdout and
 * stderr are closed, and Chromium's crash handler, which runs detached, holds both (a CI run once waited
 * there for over half an hour; Chromium does not load pages with the handler switched off). So past
 * CLOSE_TIMEOUT_MS every process holding those pipes is killed, and the wait ends with them.
 */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  // A switch Chromium ignores, to find this browser's process by its command line.
  const marker = `--orchestrator-test-browser=${crypto.randomUUID()}`;
  // Chromium's sandbox refuses to run as root; as root, the machine itself is the sandbox.
  const args = [marker, ...(Deno.uid() === 0 ? ["--no-sandbox"] : [])];
  const browser = await chromium.launch({ executablePath: CHROMIUM, args });
  const output = await outputPipes(marker);
  const close = async () => {
    const closing = browser.close();
    if (!(await withTimeout(closing, CLOSE_TIMEOUT_MS) instanceof Error)) return;
    const holders = await pipeHolders(output);
    for (const pid of holders) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // it ended meanwhile
      }
    }
    console.error(`Chromium did not close in ${CLOSE_TIMEOUT_MS} ms: killed ${holders} (holding its output)`);
    await withTimeout(closing, CLOSE_TIMEOUT_MS);
  };
  return { browser, close };
}

/** The processes running now, with their command lines. */
async function processes() {
  const found: Array<{ pid: number; commandLine: string[] }> = [];
  for await (const entry of Deno.readDir("/proc")) {
    const pid = Number(entry.name);
    if (!Number.isInteger(pid)) continue;
    const commandLine = await Deno.readTextFile(`/proc/${pid}/cmdline`).catch(() => null);
    if (commandLine !== null) found.push({ pid, commandLine: commandLine.split("\0") });
  }
  return found;
}

/** What the stdout and stderr of a process are (`pipe:[inode]`), or nothing once it is gone. */
const outputOf = (pid: number) =>
  [1, 2].map((fd) => {
    try {
      return Deno.readLinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      return "";
    }
  }).filter(Boolean);

/** The pipes Playwright reads the output of the browser started with `marker` from. */
async function outputPipes(marker: string): Promise<Set<string>> {
  const browser = (await processes()).find((process) => process.commandLine.includes(marker));
  return new Set(browser ? outputOf(browser.pid).filter((link) => link.startsWith("pipe:")) : []);
}

/** Every process whose stdout or stderr is one of `pipes`. */
async function pipeHolders(pipes: Set<string>): Promise<number[]> {
  return (await processes()).filter(({ pid }) => outputOf(pid).some((link) => pipes.has(link)))
    .map(({ pid }) => pid);
}

/**
 * Builds the page into a folder of its own and serves it with `node examples/web/build.mjs --serve`, as
 * npm start does; `env` is the page's config (SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY, DEMO_USER_JWT).
 */
export async function serveExampleApp(env: Record<string, string>) {
  const out = await Deno.makeTempDir({ prefix: "example-app-" });
  const port = freePort();
  const child = new Deno.Command("node", {
    args: [`${ROOT}/examples/web/build.mjs`, "--out", out, "--serve", String(port)],
    env: { PATH: Deno.env.get("PATH")!, HOME: Deno.env.get("HOME") ?? "/root", ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
  const stop = async () => {
    signal(child, "SIGTERM");
    // esbuild's service, a child of the server, shares its pipes; SIGKILL if it is not gone in 5 s.
    const stuck = setTimeout(() => signal(child, "SIGKILL"), 5_000);
    await child.status;
    clearTimeout(stuck);
    await Deno.remove(out, { recursive: true });
    const logged = await withTimeout(output, 5_000);
    return logged instanceof Error ? "(its output pipes stayed open)" : logged.join("");
  };
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHttp(url);
  } catch (failure) {
    throw new Error(`the example app was not served: ${failure}\n${await stop()}`);
  }
  return { url, stop };
}

function signal(child: Deno.ChildProcess, name: Deno.Signal) {
  try {
    child.kill(name);
  } catch {
    // it already ended
  }
}

const fromBase64 = (data: string) => Uint8Array.from(atob(data), (char) => char.charCodeAt(0));

/**
 * Keeps the body of every event stream the page receives, as the network delivered it, through
 * Chromium's DevTools protocol (the browser keeps no streamed body for Playwright to read afterwards).
 * `last()` waits for the latest stream to end and returns its text.
 */
export async function recordEventStreams(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const open = new Map<string, { chunks: Uint8Array<ArrayBuffer>[]; ended: PromiseWithResolvers<void> }>();
  const bodies: Array<Promise<string>> = [];
  cdp.on("Network.responseReceived", ({ requestId, response }) => {
    if (response.mimeType !== "text/event-stream") return;
    const stream = { chunks: [] as Uint8Array<ArrayBuffer>[], ended: Promise.withResolvers<void>() };
    open.set(requestId, stream);
    const body = (async () => {
      // What arrived before streaming was switched on; every later chunk comes with its dataReceived.
      const { bufferedData } = await cdp.send("Network.streamResourceContent", { requestId });
      stream.chunks.unshift(fromBase64(bufferedData));
      await stream.ended.promise;
      return await new Blob(stream.chunks).text();
    })();
    body.catch(() => {}); // reported by last(), to the test that asks for the stream
    bodies.push(body);
  });
  cdp.on("Network.dataReceived", ({ requestId, data }) => {
    if (data) open.get(requestId)?.chunks.push(fromBase64(data));
  });
  // A stream also ends when the page stops reading it: streamOrchestration cancels the body once the
  // result has come (net::ERR_ABORTED if the server had not closed it yet). What arrived is kept either
  // way; the test reads whether it holds the result.
  for (const end of ["Network.loadingFinished", "Network.loadingFailed"] as const) {
    cdp.on(end, ({ requestId }) => open.get(requestId)?.ended.resolve());
  }
  return {
    last: async () => {
      if (!bodies.length) throw new Error("the page received no event stream");
      return await bodies.at(-1)!;
    },
  };
}

/** An element that entered the page: a stage (its event type) or the result, and when. */
export interface Appearance {
  what: string;
  /** The number of the MutationObserver callback that saw it: one per turn of the page's event loop in
   * which it changed the DOM. Things shown in the same turn were shown together. */
  turn: number;
}

/** A script for `page.addInitScript`: records in `window.__appearances` every stage (`[data-stage]`) and
 * result (`[data-result]`) that enters the DOM, in order, so a test can tell what was on the page before
 * what — however quickly the stream went by. */
export const APPEARANCE_RECORDER = `
  window.__appearances = [];
  let turn = 0;
  new MutationObserver((records) => {
    turn += 1;
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        for (const element of [node, ...node.querySelectorAll("[data-stage], [data-result]")]) {
          const what = element.dataset.stage ?? (element.dataset.result ? "result" : null);
          if (what) window.__appearances.push({ what, turn });
        }
      }
    }
  }).observe(document, { childList: true, subtree: true });
`;
