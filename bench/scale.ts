// Ten million rows: a stack of its own (".local/scale", ports 54441…, or PORT_BASE…) filled with `--rows` attempt rows
// (default 10 M) and their selections over `--users` users (10,000), the 7 task types, the catalog and 90
// days, through the real write path's SQL (bench/scale/fill.ts), and 2% of the requests given feedback
// through record_feedback. Then, on the idle database, it times get_best_model_for_task, planning_context
// and the README's monitoring queries — as the service role and as one user — beside the naive query over
// the raw rows (checking both give the same answer), and one user's insights against their raw-row
// definition, measures record_orchestration's throughput, and prints table and index sizes per million
// rows; it ends with one JSON line.
//
//   npm run bench:scale [-- --rows 10000000 --users 10000 --workers 2 --batch 10000] [-- --resume]
//
// --resume keeps the stack an earlier run left (its migrations brought up to date) and fills only the rows
// it lacks of --rows: a fill of ten million rows takes well over an hour here, and may be stopped and resumed.
//
// Targets: get_best_model_for_task and planning_context ≤ 2 ms p50 and ≥ 100 × faster than naive; every
// monitoring view ≤ 100 ms.

import postgres from "postgres";
import { fillBatch, fillWorkers, prepareFill, TASK_TYPES, userId } from "./scale/fill.ts";
import { NAIVE_PLANNING_CONTEXT, NAIVE_RANKING, VIEW_QUERIES } from "./scale/queries.ts";
import { measureThroughput } from "./scale/throughput.ts";
import { actAs, type Caller, type Timed, timeQuery } from "./scale/timing.ts";
import { progress } from "./support/progress.ts";
import { withBenchStack } from "./support/stack.ts";
import { escapedLiteral } from "../supabase/functions/_shared/store/postgres.ts";
import { numberOption, round } from "./support/stats.ts";

const targetRows = numberOption("rows", 10_000_000);
const users = numberOption("users", 10_000);
const workers = numberOption("workers", 2);
const batchRequests = numberOption("batch", 10_000);
const resume = Deno.args.includes("--resume");
const DAYS = 90;
const DAY_MS = 86_400_000;
const COMPLEXITIES = ["low", "medium", "high"] as const;

const ms = (value: number) => `${value.toFixed(2)} ms`;
/** Arguments written into the statement, as the function sends its planning read: one round trip, where
 * postgres.js sends a statement with parameters in two (to have them described) when it prepares none. */
const literals = (...values: string[]) => values.map(escapedLiteral).join(", ");
/** Time for each naive query's runs: fewer runs, not fewer queries, once the raw rows make them slow. */
const NAIVE_BUDGET_MS = 60_000;

/** The attempt rows a stack lacks, with their selections: user settings, then batches in time order. */
async function fillRows(sql: postgres.Sql, missingRows: number): Promise<void> {
  // Settings of 30% of the users (a tier, a preference), a budget for a third of those.
  await sql`
    insert into public.user_settings (user_id, default_tier, prefer_local, monthly_budget_usd)
    select ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
      (array['balanced', 'premium', 'budget'])[1 + i % 3], i % 7 = 0, case when i % 3 = 0 then 50 end
    from generate_series(0, ${users - 1}) i where i % 10 < 3
    on conflict (user_id) do nothing`;
  // Two attempts per request on average: batches of requests, in time order, until the rows are there.
  const batches = Math.max(1, Math.ceil(missingRows / 2 / batchRequests));
  const end = Date.now();
  const start = end - DAYS * DAY_MS;
  const plan = fillWorkers(workers);
  progress(
    `filling ${missingRows} attempt rows (of ${targetRows}) over ${users} users with ${workers} writers`,
  );
  let written = 0;
  let reported = 0;
  const started = performance.now();
  const conns = await Promise.all(plan.map(() => sql.reserve()));
  try {
    await Promise.all(conns.map((conn, w) => prepareFill(conn, (w + 1) / (plan.length + 1))));
    // The writers go batch by batch together, each on its own slice of the users, the slices turning
    // with the batch: a user row (their rollup, their month's spend) has one writer at a time, and over
    // the batches every user gets every task type.
    const slices = plan.length;
    for (let b = 0; b < batches; b++) {
      const from = new Date(start + (b / batches) * (end - start));
      const to = new Date(start + ((b + 1) / batches) * (end - start));
      const rows = await Promise.all(plan.map((worker, w) => {
        const slice = { users, slice: (w + b) % slices, slices };
        return fillBatch(conns[w], worker, Math.round(batchRequests * worker.share), slice, from, to);
      }));
      written += rows.reduce((sum, n) => sum + n, 0);
      if (written - reported >= missingRows / 20) {
        reported = written;
        const seconds = (performance.now() - started) / 1000;
        progress(
          `${(written / 1e6).toFixed(2)} M rows in ${seconds.toFixed(0)} s (${
            (written / seconds).toFixed(0)
          } rows/s)`,
        );
      }
    }
  } finally {
    for (const conn of conns) conn.release();
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `filled ${written} attempt rows in ${(seconds / 60).toFixed(1)} min (${
      (written / seconds).toFixed(0)
    } rows/s, ${workers} writers)`,
  );
}

async function fill(sql: postgres.Sql): Promise<void> {
  const [{ existing }] = await sql`select count(*)::bigint as existing from public.model_performance`;
  const missingRows = targetRows - Number(existing);
  if (missingRows > 0) await fillRows(sql, missingRows);
  // Feedback on 2% of the requests through record_feedback, a tenth of it given twice (replaced).
  progress("feedback on 2% of the requests");
  const feedbackStarted = performance.now();
  const [{ maxId }] = await sql`select max(id) as "maxId" from public.model_selections`;
  for (let from = 0; from < Number(maxId); from += 100_000) {
    await sql`
      select count(public.record_feedback(s.user_id, s.request_id, random() < 0.8,
        case when random() < 0.6 then (1 + floor(random() * 5))::smallint end, null))
      from public.model_selections s, generate_series(1, case when s.id % 500 = 0 then 2 else 1 end)
      where s.id % 50 = 0 and s.id > ${from} and s.id <= ${from + 100_000}
        and not exists (select 1 from public.request_feedback f where f.request_id = s.request_id)`;
  }
  console.log(`feedback written in ${((performance.now() - feedbackStarted) / 1000).toFixed(0)} s`);
  // What autovacuum does to a settled table, so plans and index-only scans are what production sees.
  progress("vacuum analyze");
  const vacuumStarted = performance.now();
  await sql`vacuum analyze`;
  console.log(`vacuum analyze in ${((performance.now() - vacuumStarted) / 1000).toFixed(0)} s`);
}

/** The same rows, whatever their order. */
function sameAnswer(a: Record<string, unknown>[], b: Record<string, unknown>[]): boolean {
  // numeric arrives as text, with the scale of its expression ("0" and "0.000000" are one answer)
  const value = (v: unknown) =>
    v === null ? null : typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? String(Number(v)) : String(v);
  const canonical = (rows: Record<string, unknown>[]) =>
    rows.map((row) => JSON.stringify(Object.values(row).map(value))).sort().join("\n");
  return canonical(a) === canonical(b);
}

/** A query that says whether ours equals the raw-row definition, run once (the latter takes minutes). */
async function comparedOnce(
  query: () => Promise<Record<string, unknown>[]>,
): Promise<{ same: boolean; ms: number }> {
  const started = performance.now();
  const [{ same }] = await query();
  return { same: same === true, ms: performance.now() - started };
}

interface Compared {
  ours: Timed;
  naive: Timed;
}

async function main(sql: postgres.Sql) {
  const [{ rows }] = await sql`select count(*)::bigint as rows from public.model_performance`;
  const rowCount = Number(rows);
  const conn = await sql.reserve();
  try {
    return await measure(sql, conn, rowCount);
  } finally {
    await conn`reset role`.catch(() => {});
    conn.release();
  }
}

async function measure(sql: postgres.Sql, conn: postgres.ReservedSql, rowCount: number) {
  const service: Caller = { role: "service_role" };
  const oneUser: Caller = { role: "authenticated", userId: userId(42) };
  const random = (n: number) => Math.floor(Math.random() * n);
  const pick = () => ({
    user: userId(random(users)),
    taskType: TASK_TYPES[random(TASK_TYPES.length)],
    complexity: COMPLEXITIES[random(COMPLEXITIES.length)],
  });
  console.log(`\n${rowCount} attempt rows; timings on one connection, p50 (p99) over the runs shown`);

  // The ranking and the planning context: ours on random users, task types and complexities.
  progress("timing the ranking and the planning read, then their naive twins (up to a minute each)");
  await actAs(conn, service);
  const ranking = await timeQuery(300, () => {
    const { user, taskType, complexity } = pick();
    return conn.unsafe(
      `select * from public.get_best_model_for_task(${literals(user, taskType, complexity)})`,
    );
  });
  const context = await timeQuery(300, () => {
    const { user, taskType, complexity } = pick();
    return conn.unsafe(`select public.planning_context(${literals(user, taskType, complexity)}) as context`);
  });
  const naiveRanking = await timeQuery(5, () => {
    const { user, taskType } = pick();
    return conn.unsafe(NAIVE_RANKING, [user, taskType]);
  }, NAIVE_BUDGET_MS);
  const naiveContext = await timeQuery(5, () => {
    const { user, taskType } = pick();
    return conn.unsafe(NAIVE_PLANNING_CONTEXT, [user, taskType]);
  }, NAIVE_BUDGET_MS);
  await actAs(conn, oneUser);
  const userRanking = await timeQuery(300, () => {
    const { taskType, complexity } = pick();
    return conn.unsafe(
      `select * from public.get_best_model_for_task(${literals(userId(42), taskType, complexity)})`,
    );
  });
  const line = (name: string, ours: Timed, naive: Timed, user?: Timed) =>
    console.log(
      `${name.padEnd(30)} ${ms(ours.p50Ms)} (${ms(ours.p99Ms)})${
        user ? `, as a user ${ms(user.p50Ms)}` : ""
      }; ` +
        `naive ${ms(naive.p50Ms)}: ${(naive.p50Ms / ours.p50Ms).toFixed(0)} × faster`,
    );
  line("get_best_model_for_task", ranking, naiveRanking, userRanking);
  line("planning_context", context, naiveContext);

  // The monitoring queries, each as the service role and as one user, beside the naive query.
  const views: Record<string, { service: Compared; user: Compared }> = {};
  progress("timing the monitoring views beside their naive twins (up to a minute each)");
  let allSame = true;
  for (const [name, { ours, naive }] of Object.entries(VIEW_QUERIES)) {
    const compared = {} as { service: Compared; user: Compared };
    for (const [label, caller] of [["service", service], ["user", oneUser]] as const) {
      await actAs(conn, caller);
      // Both timed on one snapshot and at one instant (now() is the transaction's start), so the last runs'
      // answers can be compared: a sliding window loses a row or so a second at this size.
      await conn.unsafe("begin isolation level repeatable read read only");
      const timedOurs = await timeQuery(20, () => conn.unsafe(ours));
      const timedNaive = await timeQuery(3, () => conn.unsafe(naive), NAIVE_BUDGET_MS);
      await conn.unsafe("commit");
      compared[label] = { ours: timedOurs, naive: timedNaive };
      if (!sameAnswer(timedOurs.rows, timedNaive.rows)) {
        allSame = false;
        console.log(`  ${name} as ${label}: the view and the naive query disagree`);
      }
    }
    views[name] = compared;
    console.log(
      `${name.padEnd(30)} service role ${ms(compared.service.ours.p50Ms)} (naive ${
        ms(compared.service.naive.p50Ms)
      }, ${compared.service.ours.rows.length} rows); user ${ms(compared.user.ours.p50Ms)} (naive ${
        ms(compared.user.naive.p50Ms)
      })`,
    );
  }
  // The other views of the project (no naive twin here): timed ten times as the service role, and three
  // times as a user where users may read them.
  await actAs(conn, service);
  const known = Object.keys(VIEW_QUERIES);
  const others = (await conn`select table_name as name,
      has_table_privilege('authenticated', format('public.%I', table_name), 'select') as "forUsers"
    from information_schema.views where table_schema = 'public' order by 1`)
    .filter((row) => !known.includes(row.name));
  const otherViews: Record<string, { service: Timed; user: Timed | null }> = {};
  for (const { name, forUsers } of others) {
    const service = await timeQuery(10, () => conn.unsafe(`select * from public.${name}`));
    let user: Timed | null = null;
    if (forUsers) {
      await actAs(conn, oneUser);
      user = await timeQuery(3, () => conn.unsafe(`select * from public.${name}`));
      await actAs(conn, { role: "service_role" });
    }
    otherViews[name] = { service, user };
    console.log(
      `${name.padEnd(30)} service role ${ms(service.p50Ms)}; user ${
        user ? ms(user.p50Ms) : "(service side only)"
      }`,
    );
  }
  // Everyone's insights from the rollups against the raw-row definition, once (the latter takes minutes).
  progress("everyone's insights from the raw rows, once (minutes at ten million rows)");
  const { same: insightsSame, ms: insightsFromRowsMs } = await comparedOnce(() =>
    conn`select public.insights(null, null) = public.insights_over(null, null, true) as same`
  );
  if (!insightsSame) allSame = false;
  console.log(
    `strategy_insights from the rollups and from the raw rows (insights_over(null, null, true), ${
      (insightsFromRowsMs / 1000).toFixed(0)
    } s) agree: ${insightsSame ? "yes" : "NO"}`,
  );
  // One user's insights (the groups k users stand behind from the rollups, the rest from the user's rows)
  // on random users, and one user's against the raw-row definition once.
  await actAs(conn, service);
  const userInsights = await timeQuery(
    20,
    () => conn.unsafe(`select public.insights(${literals(pick().user)}, null) as insights`),
  );
  const { same: userInsightsSame, ms: userInsightsFromRowsMs } = await comparedOnce(() =>
    conn`select public.insights(${userId(42)}, null) = public.insights_over(${
      userId(42)
    }, null, true) as same`
  );
  if (!userInsightsSame) allSame = false;
  const fromRows = `insights_over(user, null, true), ${(userInsightsFromRowsMs / 1000).toFixed(1)} s`;
  console.log(
    `${"insights (one user)".padEnd(30)} ${ms(userInsights.p50Ms)} (${ms(userInsights.p99Ms)}); ` +
      `from the raw rows (${fromRows}) they agree: ${userInsightsSame ? "yes" : "NO"}`,
  );
  console.log(`the views and the naive queries give the same answers: ${allSame ? "yes" : "NO"}`);
  const [pooled] = await conn`
    with rebuilt as (
      select share.task_type, share.complexity, share.model_name, share.approach, sum(share.evidence) as evidence,
        sum(share.users) as users
      from public.strategy_stats_by_user u
      cross join lateral public.pooled_share(u, (select evidence_per_user from public.project_settings)) share
      group by 1, 2, 3, 4)
    select count(*) filter (where s.task_type is null or r.task_type is null or s.users <> r.users
      or abs(s.evidence - r.evidence) > 1e-6) as differing
    from rebuilt r full join public.strategy_stats s using (task_type, complexity, model_name, approach)`;
  console.log(
    `the pooled statistics equal their rebuild from the user rows: ${
      pooled.differing === "0" ? "yes" : "NO"
    }`,
  );

  // Sizes per million rows.
  console.log("\ntable (rows): table and indexes, MB per million rows");
  const sizes = await sql`
    select c.relname as name, c.reltuples::bigint as rows, pg_table_size(c.oid) as table_bytes,
      pg_indexes_size(c.oid) as index_bytes
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and c.reltuples > 0
    order by pg_total_relation_size(c.oid) desc`;
  for (const size of sizes) {
    const millions = Number(size.rows) / 1e6;
    const mb = (bytes: number) => bytes / 1024 / 1024;
    console.log(
      `  ${`${size.name} (${size.rows})`.padEnd(44)} ${
        (mb(Number(size.table_bytes)) / millions).toFixed(0).padStart(6)
      } + ${(mb(Number(size.index_bytes)) / millions).toFixed(0).padStart(5)}  (${
        mb(Number(size.table_bytes) + Number(size.index_bytes)).toFixed(0)
      } MB in all)`,
    );
  }

  // Throughput last: its rows land now, after every view was read.
  progress(
    "record_orchestration's throughput, 15 s on 1 and on 8 connections, then batched, then whole requests",
  );
  console.log("");
  const throughputs = [];
  for (const connections of [1, 8]) {
    const measured = await measureThroughput(sql, connections, 15, users);
    throughputs.push(measured);
    console.log(
      `record_orchestration, ${connections} connection(s): ${
        measured.requestsPerSecond.toFixed(0)
      } requests/s, ` +
        `${measured.rowsPerSecond.toFixed(0)} rows/s, p50 ${ms(measured.p50Ms)}, errors ${measured.errors}`,
    );
  }
  const best = throughputs.reduce((a, b) => (b.rowsPerSecond > a.rowsPerSecond ? b : a));
  console.log(`  write-ahead log ${(best.walBytesPerRequest / 1024).toFixed(1)} KB per request`);
  // As a busy isolate writes: ten requests a statement on its three record connections.
  const batched = await measureThroughput(sql, 3, 15, users, { batch: 10 });
  console.log(
    `record_orchestrations, 10 requests a statement, 3 connections: ${
      batched.requestsPerSecond.toFixed(0)
    } ` +
      `requests/s, ${batched.rowsPerSecond.toFixed(0)} rows/s (${
        (batched.rowsPerSecond / best.rowsPerSecond).toFixed(2)
      } × one at a time), write-ahead log ${
        (batched.walBytesPerRequest / 1024).toFixed(1)
      } KB per request, ` +
      `errors ${batched.errors}`,
  );
  // What the database holds of whole requests: the admission and planning read, then the record.
  const whole = await measureThroughput(sql, 8, 15, users, { withPlanning: true });
  console.log(
    `a whole request's SQL (admission + planning read, then the record), 8 connections: ` +
      `${whole.requestsPerSecond.toFixed(0)} requests/s, p50 ${ms(whole.p50Ms)}, errors ${whole.errors}, ` +
      `write-ahead log ${(whole.walBytesPerRequest / 1024).toFixed(1)} KB per request`,
  );

  const viewFigures = Object.fromEntries([
    ...Object.entries(views).map(([name, { service, user }]) => [name, {
      p50Ms: round(service.ours.p50Ms, 2),
      userP50Ms: round(user.ours.p50Ms, 2),
      naiveP50Ms: round(service.naive.p50Ms, 1),
      speedup: round(service.naive.p50Ms / service.ours.p50Ms, 0),
    }]),
    ...Object.entries(otherViews).map(([name, { service, user }]) => [name, {
      p50Ms: round(service.p50Ms, 2),
      userP50Ms: user ? round(user.p50Ms, 2) : null,
      ...(name === "strategy_insights" ? { naiveP50Ms: round(insightsFromRowsMs, 0) } : {}),
    }]),
    ["insights (one user)", {
      p50Ms: round(userInsights.p50Ms, 2),
      p99Ms: round(userInsights.p99Ms, 2),
      naiveP50Ms: round(userInsightsFromRowsMs, 0),
      speedup: round(userInsightsFromRowsMs / userInsights.p50Ms, 0),
    }],
  ]);
  const figures = (ours: Timed, naive: Timed) => ({
    p50Ms: round(ours.p50Ms, 2),
    p99Ms: round(ours.p99Ms, 2),
    naiveP50Ms: round(naive.p50Ms, 1),
    speedup: round(naive.p50Ms / ours.p50Ms, 0),
  });
  console.log(JSON.stringify({
    rows: rowCount,
    get_best_model_for_task: { ...figures(ranking, naiveRanking), userP50Ms: round(userRanking.p50Ms, 2) },
    planning_context: figures(context, naiveContext),
    views: viewFigures,
    sameAnswers: allSame,
    recordOrchestration: {
      rowsPerSecond: Math.round(best.rowsPerSecond),
      requestsPerSecond: Math.round(best.requestsPerSecond),
      connections: best.connections,
      walKbPerRequest: round(best.walBytesPerRequest / 1024, 1),
      batchedRowsPerSecond: Math.round(batched.rowsPerSecond),
      batchedWalKbPerRequest: round(batched.walBytesPerRequest / 1024, 1),
    },
    wholeRequests: { requestsPerSecond: Math.round(whole.requestsPerSecond), connections: 8 },
  }));
}

await withBenchStack("scale", 54441, {}, async (env) => {
  // prepare: false, as the function connects (Supavisor in transaction mode takes no prepared statements)
  const sql = postgres(env.SUPABASE_DB_URL, {
    max: Math.max(workers, 8) + 2,
    prepare: false,
    onnotice: () => {},
  });
  try {
    await fill(sql);
    await main(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}, { fresh: !resume });
