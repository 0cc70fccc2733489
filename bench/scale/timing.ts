// Timing single queries on an idle database, one connection, as a role: the service role, or a signed-in
// user (role authenticated with the user's claims, as PostgREST sets them).

import type postgres from "postgres";
import { percentile } from "../support/stats.ts";

export type Caller = { role: "service_role" } | { role: "authenticated"; userId: string };

export async function actAs(conn: postgres.ReservedSql, caller: Caller): Promise<void> {
  await conn`reset role`;
  const claims = caller.role === "authenticated"
    ? { sub: caller.userId, role: "authenticated", aud: "authenticated" }
    : { role: "service_role" };
  await conn`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, false)`;
  await conn.unsafe(`set role ${caller.role}`);
}

export interface Timed {
  p50Ms: number;
  p99Ms: number;
  runs: number;
  /** The rows of the last run, to compare answers. */
  rows: Record<string, unknown>[];
}

/** Runs `query` `runs` times (after one untimed run that warms the cache and the plan). */
export async function timeQuery(
  runs: number,
  query: (i: number) => Promise<Record<string, unknown>[]>,
): Promise<Timed> {
  let rows = await query(-1);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    rows = await query(i);
    times.push(performance.now() - started);
  }
  return { p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99), runs, rows };
}
