// Load on the local function: concurrent clients against simulated models of a fixed latency, on a stack
// of its own (".local/bench", ports 54361…, or PORT_BASE…). Prints throughput, the p50 and p99 of the orchestration
// overhead (a request's total time minus the time it spent waiting on models, as the function reports in
// metrics.modelWaitMs), errors, and the function's peak memory; ends with one JSON line.
//
//   npm run bench:load [-- --concurrency 100 --requests 500 --latency 5000]
//   npm run bench:load -- --workers 2 [--budget 0.05]
//
// Target on the development machine: no errors and overhead p99 ≤ 25 ms at 100 concurrent requests.
//
// With --workers N, N routers serve the function on the one database (N edge workers), and every user
// sends through all of them at once (four clients a user, spread over the workers) under a monthly budget
// of --budget USD; once every row is written it checks that budgets and statistics stayed exact.

import postgres from "postgres";
import { mintUserToken, readStackKeys } from "../scripts/stack-keys.ts";
import { checkExactness, setBudgets, waitForRows } from "./load/exactness.ts";
import { startRouter } from "../tests/support/processes.ts";
import { progress } from "./support/progress.ts";
import { ROOT, withBenchStack } from "./support/stack.ts";
import { numberOption, percentile } from "./support/stats.ts";

const concurrency = numberOption("concurrency", 100);
const total = numberOption("requests", 500);
const latencyMs = numberOption("latency", 5_000);
const workers = numberOption("workers", 1);
const budgetUsd = numberOption("budget", 0.05);
// Settings of the function to try under load (ORCHESTRATOR_*) pass through.
const functionSettings = Object.fromEntries(
  Object.entries(Deno.env.toObject()).filter(([name]) => name.startsWith("ORCHESTRATOR_")),
);

const REQUESTS = [
  "Build a todo app with authentication",
  "Create a dashboard with charts and search",
  "Build a notes app that saves locally",
  "Build a habit tracker with routing",
];

interface Sample {
  status: number;
  /** The request's rows are written (it ran: answered, or every strategy failed). */
  recorded: boolean;
  totalMs: number;
  overheadMs: number;
  /** The part of the overhead outside the function's handler: HTTP, auth, queueing for the worker. */
  transportMs: number;
}

/** CPU time the hypervisor gave to others (steal), in clock ticks of 10 ms, summed over all CPUs. */
async function stealTicks(): Promise<number> {
  const cpu = (await Deno.readTextFile("/proc/stat")).split("\n")[0].trim().split(/\s+/);
  return Number(cpu[8]);
}

/**
 * A thread that does nothing but wake every 10 ms and note how late it woke. On a quiet machine it is
 * never late by much; when it is, every process was stalled, and the request percentiles include that.
 */
function startStallProbe(): { stop: () => Promise<number[]> } {
  const source = `
    const lags = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      lags.push(now - last - 10);
      last = now;
    }, 10);
    self.onmessage = () => { clearInterval(timer); self.postMessage(lags); };`;
  const worker = new Worker(`data:application/javascript,${encodeURIComponent(source)}`, { type: "module" });
  return {
    stop: () =>
      new Promise((resolve) => {
        worker.onmessage = (event) => {
          worker.terminate();
          resolve(event.data);
        };
        worker.postMessage("stop");
      }),
  };
}

await withBenchStack("bench", 54361, {
  ...functionSettings,
  MODEL_SIM_FIXED_LATENCY_MS: String(latencyMs),
}, async (env, portBase) => {
  const keys = await readStackKeys(`${ROOT}/.local/bench/keys.json`);
  const sql = postgres(env.SUPABASE_DB_URL, { max: 2, onnotice: () => {} });
  // Many clients a user at times: per-user limits high enough that admission refuses no one.
  await sql`update public.project_settings set requests_per_minute = 100000, concurrent_requests = 1000`;
  // One user per client; with several workers, four clients per user, spread over the workers.
  const userIds = Array.from(
    { length: workers > 1 ? Math.ceil(concurrency / 4) : concurrency },
    () => crypto.randomUUID(),
  );
  const tokens = await Promise.all(
    userIds.map((id) => mintUserToken(keys.privateJwk, id, `${env.SUPABASE_URL}/auth/v1`)),
  );
  const routers: Array<Awaited<ReturnType<typeof startRouter>>> = [];
  try {
    for (let w = 1; w < workers; w++) {
      const worker = { port: portBase + 1 + w, quiet: true, onlyEnv: true };
      routers.push(await startRouter(`${ROOT}/supabase`, { ...env, ...functionSettings }, worker));
    }
    if (workers > 1) await setBudgets(sql, userIds, budgetUsd);
    const bases = [env.SUPABASE_URL, ...routers.map((router) => router.base)];
    const urlOf = (client: number) => `${bases[client % bases.length]}/functions/v1/multi-model-orchestrator`;

    const call = async (client: number, n: number): Promise<Sample> => {
      const started = performance.now();
      const response = await fetch(urlOf(client), {
        method: "POST",
        headers: {
          authorization: `Bearer ${tokens[client % tokens.length]}`,
          "content-type": "application/json",
        },
        // One strategy per request, so every request waits on the models for about the same time.
        body: JSON.stringify({
          request: `${REQUESTS[n % REQUESTS.length]} (#${client}-${n})`,
          maxStrategies: 1,
        }),
      });
      const body = await response.json();
      const totalMs = performance.now() - started;
      const serverMs = Number(
        response.headers.get("server-timing")?.match(/total;dur=(\d+)/)?.[1] ?? totalMs,
      );
      return {
        status: response.status,
        recorded: response.status === 200 || body.error?.code === "all_strategies_failed",
        totalMs,
        overheadMs: totalMs - (body.metrics?.modelWaitMs ?? 0),
        transportMs: totalMs - serverMs,
      };
    };

    // Warm the function (the scorer loads on first use) before measuring, every worker.
    const warm = await Promise.all(Array.from({ length: 10 * workers }, (_, i) => call(i, -1 - i)));

    const pid = Number(await Deno.readTextFile(`${ROOT}/.local/bench/functions.pid`));
    const pids = [pid, ...routers.map((router) => router.pid)];
    const cpuMs = async () => {
      let total = 0;
      for (const worker of pids) {
        // utime and stime, in clock ticks of 10 ms
        const fields = (await Deno.readTextFile(`/proc/${worker}/stat`)).split(") ")[1].split(" ");
        total += (Number(fields[11]) + Number(fields[12])) * 10;
      }
      return total;
    };
    const cpuBefore = await cpuMs();
    const stealBefore = await stealTicks();
    const probe = startStallProbe();
    progress(`${total} requests from ${concurrency} clients over ${workers} router(s)`);
    const samples: Sample[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async (_, client) => {
      // Clients arrive over one model latency, as users do, rather than all in the same millisecond.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * latencyMs));
      while (next < total) samples.push(await call(client, next++));
    }));
    const seconds = (performance.now() - started) / 1000;
    const cpuPerRequestMs = (await cpuMs() - cpuBefore) / samples.length;
    const stealPercent = ((await stealTicks() - stealBefore) * 10) /
      (seconds * 1000 * navigator.hardwareConcurrency) *
      100;
    const lags = (await probe.stop()).sort((a, b) => a - b);

    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const rssMb = Math.round(Number(status.match(/VmHWM:\s+(\d+) kB/)![1]) / 1024);

    // With budgets, a refusal for the budget (402) is the budget working, not an error.
    const refused = samples.filter((sample) => workers > 1 && sample.status === 402).length;
    const ok = samples.filter((sample) => sample.status === 200);
    const overhead = ok.map((sample) => sample.overheadMs).sort((a, b) => a - b);
    const totals = ok.map((sample) => sample.totalMs).sort((a, b) => a - b);
    const result = {
      concurrency,
      requests: samples.length,
      errors: samples.length - ok.length - refused,
      workers,
      throughputRps: Math.round((samples.length / seconds) * 10) / 10,
      overheadP50Ms: Math.round(percentile(overhead, 0.5) * 10) / 10,
      overheadP99Ms: Math.round(percentile(overhead, 0.99) * 10) / 10,
      rssMb,
    };
    console.log(
      `${concurrency} concurrent clients, ${samples.length} requests, models answering in ${latencyMs} ms`,
    );
    console.log(
      `throughput ${result.throughputRps} requests/s over ${seconds.toFixed(1)} s, errors ${result.errors}`,
    );
    console.log(
      `total time p50 ${percentile(totals, 0.5).toFixed(0)} ms, p99 ${
        percentile(totals, 0.99).toFixed(0)
      } ms; ` +
        `overhead (total − model wait) p50 ${result.overheadP50Ms} ms, p99 ${result.overheadP99Ms} ms`,
    );
    const transport = ok.map((sample) => sample.transportMs).sort((a, b) => a - b);
    console.log(
      `  of which outside the handler (HTTP, auth, waiting for the worker): p50 ${
        percentile(transport, 0.5).toFixed(1)
      } ms, ` +
        `p99 ${percentile(transport, 0.99).toFixed(1)} ms`,
    );
    console.log(
      `machine: CPU steal ${stealPercent.toFixed(1)}%; an idle thread woke late by > 20 ms ${
        lags.filter((lag) => lag > 20).length
      } times, p99 ${percentile(lags, 0.99).toFixed(1)} ms, max ${lags[lags.length - 1].toFixed(0)} ms`,
    );
    console.log(`function peak memory (RSS) ${rssMb} MB, CPU ${cpuPerRequestMs.toFixed(1)} ms per request`);
    let exact = {};
    if (workers > 1) {
      // The warm-up's requests count too: they were recorded on the same users.
      const expected = samples.filter((sample) => sample.recorded).length +
        warm.filter((s) => s.recorded).length;
      const recorded = await waitForRows(sql, expected);
      const check = await checkExactness(sql, userIds);
      const holds = recorded === expected && check.overspent === 0 && check.stillReserved === 0 &&
        check.spendMismatch === 0 && check.statisticsMismatch === 0 && check.pooledMismatch === 0;
      const spent = `spent $${check.spentUsd.toFixed(4)} of $${check.budgetUsd.toFixed(2)}`;
      console.log([
        `${workers} workers on one database, ${userIds.length} users with a $${budgetUsd} monthly budget each,`,
        `${refused} requests refused for the budget: ${recorded} of ${expected} requests recorded;`,
        `users over budget ${check.overspent}, with reservations left ${check.stillReserved},`,
        `whose spend differs from their attempts' cost ${check.spendMismatch} (${spent});`,
        `statistics rows off ${check.statisticsMismatch}, pooled rows off ${check.pooledMismatch}:`,
        holds ? "exact" : "NOT exact",
      ].join(" "));
      exact = { refusedForBudget: refused, exact: holds, ...check };
    }
    console.log(JSON.stringify({ ...result, ...exact }));
  } finally {
    for (const router of routers) await router.stop();
    await sql.end();
  }
});
