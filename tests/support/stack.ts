// The running test stack (npm test exports .local/test.env): clients the way apps make them, tokens
// signed with the stack's key, the database for checking rows, and the model simulator's controls.

import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import type { Result } from "../../shared/mod.ts";
import postgres, { type TransactionSql } from "postgres";
import { importJWK, SignJWT } from "jose";
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

/** The stack's name (npm test's is "test"; another stack's when a run names one, as STACK_NAME). */
const STACK_NAME = Deno.env.get("STACK_NAME") || "test";
/** The stack's state folder (its logs, its database). */
export const stackState = `${ROOT}/.local/${STACK_NAME}`;

export const functionUrl = `${stack.url}/functions/v1/multi-model-orchestrator`;

/** A user access token signed with the stack's key, as Supabase Auth would issue it. */
export async function userToken(userId: string, ttlSeconds?: number): Promise<string> {
  const keys = await readStackKeys(stack.keysFile);
  return await mintUserToken(keys.privateJwk, userId, `${stack.url}/auth/v1`, ttlSeconds);
}

/** A token signed with the stack's key carrying exactly `claims` (tests of what the function refuses). */
export async function signedToken(claims: Record<string, unknown>): Promise<string> {
  const { privateJwk } = await readStackKeys(stack.keysFile);
  return await new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", kid: privateJwk.kid, typ: "JWT" })
    .sign(await importJWK(privateJwk, "ES256"));
}

/** Sends raw bytes to the functions router and returns what comes back until the server closes the
 * connection (or `waitMs` passes): for clients no HTTP library would let a test be. */
export async function rawExchange(
  bytes: string,
  waitMs = 10_000,
): Promise<{ text: string; closed: boolean }> {
  const { port } = new URL(stack.url);
  const connection = await Deno.connect({ hostname: "127.0.0.1", port: Number(port) });
  await connection.write(new TextEncoder().encode(bytes));
  const chunks: Uint8Array[] = [];
  const deadline = setTimeout(() => connection.close(), waitMs);
  let closed = true;
  try {
    const buffer = new Uint8Array(16_384);
    while (true) {
      const read = await connection.read(buffer);
      if (read === null) break;
      chunks.push(buffer.slice(0, read));
    }
  } catch {
    closed = false; // our deadline closed it
  } finally {
    clearTimeout(deadline);
    try {
      connection.close();
    } catch {
      // already closed
    }
  }
  return { text: new TextDecoder().decode(new Uint8Array(chunks.flatMap((chunk) => [...chunk]))), closed };
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
    env: { STACK_NAME },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (result.code !== 0) {
    throw new Error(`postgres ${action} failed: ${new TextDecoder().decode(result.stderr)}`);
  }
}

/** The function's log lines (the router's log of the test stack), parsed where they are JSON. */
export async function functionLog(): Promise<Array<Record<string, unknown>>> {
  const text = await Deno.readTextFile(`${stackState}/functions.log`);
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

/** Project settings under which no one's evidence is pooled (no group reaches a million users): plans
 * come from the catalog's priors and the user's own history, whatever earlier tests recorded. */
export const POOL_OFF = { min_pool_users: 1_000_000 };

/** Runs `work` with some project settings changed (public.project_settings), and puts them back. */
export async function withProjectSettings<T>(
  sql: Sql,
  settings: Record<string, number | null>,
  work: () => Promise<T>,
): Promise<T> {
  const [before] = await sql`select * from public.project_settings`;
  await sql`update public.project_settings set ${sql(settings)}`;
  try {
    return await work();
  } finally {
    const restore = Object.fromEntries(Object.keys(settings).map((name) => [name, before[name]]));
    await sql`update public.project_settings set ${sql(restore)}`;
  }
}

/** SQL run as a signed-in user, as PostgREST runs a user's request: role authenticated and the user's
 * claims in request.jwt.claims (RLS and auth.uid() see them), in one transaction. */
export function asAuthenticated<T>(sql: Sql, userId: string, work: (tx: TransactionSql) => Promise<T>) {
  return sql.begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${
      JSON.stringify({ sub: userId, role: "authenticated" })
    }, true)`;
    await tx`set local role authenticated`;
    return await work(tx);
  });
}

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
