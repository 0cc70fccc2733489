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

/** Runs `query` `runs` times (after one untimed run that warms the cache and the plan), or fewer once
 * `budgetMs` is spent (at least once): a naive query over ten million rows takes minutes a run. */
export async function timeQuery(
  runs: number,
  query: (i: number) => Promise<Record<string, unknown>[]>,
  budgetMs = Infinity,
): Promise<Timed> {
  const began = performance.now();
  let rows = await query(-1);
  const warmUpMs = performance.now() - began;
  // a run longer than the budget is its own warm-up (its plan is made, its pages read): it is the one run
  if (warmUpMs > budgetMs) return { p50Ms: warmUpMs, p99Ms: warmUpMs, runs: 1, rows };
  const times: number[] = [];
  for (let i = 0; i < runs && (i === 0 || performance.now() - began < budgetMs); i++) {
    const started = performance.now();
    rows = await query(i);
    times.push(performance.now() - started);
  }
  return { p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99), runs: times.length, rows };
}
