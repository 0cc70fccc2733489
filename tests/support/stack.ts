// The running test stack (npm test exports .local/test.env): clients the way apps make them, tokens
// signed with the stack's key, the database for checking rows, and the model simulator's controls.

import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import type { Result } from "../../shared/mod.ts";
import postgres from "postgres";
import { mintUserToken, readStackKeys } from "../../scripts/stack-keys.ts";
import type { CallRecord, FaultRule } from "../../scripts/model-simulator/server.ts";
import { ROOT } from "./processes.ts";

function required(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set: run the tests with npm test, which starts the stack`);
  return value;
}

export const stack = {
  url: required("SUPABASE_URL"),
  publishableKey: required("SUPABASE_PUBLISHABLE_KEY"),
  secretKey: required("SUPABASE_SECRET_KEY"),
  dbUrl: required("SUPABASE_DB_URL"),
  keysFile: required("STACK_KEYS_FILE"),
  simulatorUrl: required("GEMINI_BASE_URL"),
};

export const functionUrl = `${stack.url}/functions/v1/multi-model-orchestrator`;

/** A user access token signed with the stack's key, as Supabase Auth would issue it. */
export async function userToken(userId: string, ttlSeconds?: number): Promise<string> {
  const keys = await readStackKeys(stack.keysFile);
  return await mintUserToken(keys.privateJwk, userId, `${stack.url}/auth/v1`, ttlSeconds);
}

/** A frontend's client: the publishable key plus a signed-in user's token (on the stack, or another
 * functions router over its database). */
export function userClient(token: string, url = stack.url): SupabaseClient {
  return createClient(url, stack.publishableKey, { accessToken: () => Promise.resolve(token) });
}

/** A backend service's client: the secret key. */
export function serviceClient(): SupabaseClient {
  return createClient(stack.url, stack.secretKey, { auth: { persistSession: false } });
}

export function database(connections = 2) {
  return postgres(stack.dbUrl, { max: connections, onnotice: () => {} });
}

/** Polls until `check` returns a value other than undefined, or throws after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Makes the model simulator fail the next matching calls. */
export async function injectFault(rule: FaultRule): Promise<void> {
  const response = await fetch(`${stack.simulatorUrl}/_simulator/faults`, {
    method: "POST",
    body: JSON.stringify(rule),
  });
  if (!response.ok) throw new Error(`fault not accepted: ${await response.text()}`);
  await response.body?.cancel();
}

/** A marker to put in a request so faults and rows can be tied to one test. */
export function marker(): string {
  return `ref-${crypto.randomUUID().slice(0, 8)}`;
}

/** The model simulator's record of the calls whose request contains `text`. */
export async function simulatorCalls(text: string): Promise<CallRecord[]> {
  const response = await fetch(`${stack.simulatorUrl}/_simulator/calls?match=${encodeURIComponent(text)}`);
  return await response.json();
}

/** Stops or starts the test stack's PostgreSQL, as stack-down and stack-up do. */
export async function controlPostgres(action: "stop" | "start"): Promise<void> {
  const command = action === "stop"
    ? 'as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop'
    : 'as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$STATE_DIR/postgres.log" -w -t 60 start';
  const result = await new Deno.Command("bash", {
    args: ["-c", `source scripts/lib.sh && ${command}`],
    cwd: ROOT,
    env: { STACK_NAME: "test" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (result.code !== 0) {
    throw new Error(`postgres ${action} failed: ${new TextDecoder().decode(result.stderr)}`);
  }
}

/** The function's log lines (the router's log of the test stack), parsed where they are JSON. */
export async function functionLog(): Promise<Array<Record<string, unknown>>> {
  const text = await Deno.readTextFile(`${ROOT}/.local/test/functions.log`);
  return text.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });
}

/** Closes the function worker's circuit breakers, so one test's injected failures do not carry over. */
export async function resetBreakers(): Promise<void> {
  const response = await fetch(`${functionUrl}/metrics/breakers`, {
    method: "DELETE",
    headers: { apikey: stack.secretKey },
  });
  if (!response.ok) throw new Error(`breakers not reset: ${response.status} ${await response.text()}`);
  await response.body?.cancel();
}

export type Sql = ReturnType<typeof database>;

/** A test against the stack, with the breakers closed first and a database connection for checking rows. */
export function stackTest(name: string, fn: (sql: Sql, t: Deno.TestContext) => Promise<void>) {
  Deno.test({
    name,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async (t) => {
      await resetBreakers();
      const sql = database();
      try {
        await fn(sql, t);
      } finally {
        await sql.end();
      }
    },
  });
}

/** A new signed-in user: their id and a frontend's client with their session. */
export async function asUser(userId: string = crypto.randomUUID()) {
  return { userId, client: userClient(await userToken(userId)) };
}

/** The data of a call that must have succeeded (the error, in full, when it did not). */
export function succeeded<T>(result: Result<T>): T {
  if (result.error !== null) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.data!;
}

/** The rows written for a request, once the background write has landed. */
export async function recordedRows(sql: Sql, requestId: string) {
  const selection = await eventually(async () => {
    const [row] = await sql`select * from public.model_selections where request_id = ${requestId}`;
    return row;
  });
  const attempts =
    await sql`select * from public.model_performance where request_id = ${requestId} order by id`;
  return { selection, attempts };
}
