// The running test stack (npm test exports .local/test.env): clients the way apps make them, tokens
// signed with the stack's key, the database for checking rows, and the simulated Gemini API's controls.

import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import postgres from "postgres";
import { mintUserToken, readStackKeys } from "../../scripts/stack-keys.ts";
import type { FaultRule } from "../../scripts/gemini-simulator/server.ts";

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

/** A frontend's client: the publishable key plus a signed-in user's token. */
export function userClient(token: string): SupabaseClient {
  return createClient(stack.url, stack.publishableKey, { accessToken: () => Promise.resolve(token) });
}

/** A backend service's client: the secret key. */
export function serviceClient(): SupabaseClient {
  return createClient(stack.url, stack.secretKey, { auth: { persistSession: false } });
}

export function database() {
  return postgres(stack.dbUrl, { max: 2, onnotice: () => {} });
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

/** Makes the simulated Gemini API fail the next matching calls. */
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
