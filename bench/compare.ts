// Beside Portkey's gateway: what the orchestrator adds to a model call, next to what a gateway adds. One
// stack of our own (".local/compare", ports 54401…, or PORT_BASE…) whose model simulator speaks OpenAI's protocol with a
// fixed latency, and Portkey's gateway (@portkey-ai/gateway on Node, PORT_BASE + 6) proxying to that same
// simulator. Both are driven at the same concurrency with the same number of requests, in alternating
// rounds: Portkey proxying one chat completion, the orchestrator answering a one-strategy request (models
// pinned to one simulated model, explore false, no refinement) with auth, the planning read, scoring and
// the durable write. The same small edit each time ("Change the button color to blue", one context file).
//
// Overhead = the client's time − the simulator's own service time for that call (its record of the call,
// found by the tag in the request text), the same way for both. Ours is reported whole and as routing
// overhead (whole − the `scoring` part of Server-Timing), the part comparable to a gateway. Ends with one
// JSON line; the ratios are our routing overhead over Portkey's.
//
//   npm run bench:compare [-- --concurrency 100 --requests 4000 --latency 1000 --rounds 8]
//
// Target: ratios ≤ 2.0 at p50 and p99 with 0 errors (moonshot ≤ 1.0).

import { FILES_JSON_SCHEMA, simplePrompt, systemPrompt } from "../supabase/functions/_shared/run/prompts.ts";
import { profileTask } from "../supabase/functions/_shared/plan/profile.ts";
import postgres from "postgres";
import { mintUserToken, readStackKeys } from "../scripts/stack-keys.ts";
import { runClients } from "./support/clients.ts";
import { cpuDuring, stackPid } from "./support/cpu.ts";
import { startPortkey } from "./support/portkey.ts";
import { progress } from "./support/progress.ts";
import { type CallRecord, callsByTag, simulatorCalls } from "./support/simulator.ts";
import { ROOT, withBenchStack } from "./support/stack.ts";
import { mean, numberOption, percentile, round } from "./support/stats.ts";

const concurrency = numberOption("concurrency", 100);
// Eight rounds of 500 (about 2.5 minutes): two rounds measured only a run's first rounds, often its
// fastest (docs/BENCHMARKS.md).
const requests = numberOption("requests", 4000);
const latencyMs = numberOption("latency", 1000);
const rounds = numberOption("rounds", 8);
const PORT_BASE = 54401;

const REQUEST = "Change the button color to blue";
const CONTEXT_FILE = {
  path: "src/components/Button.tsx",
  content: [
    "import type { ReactNode } from 'react'",
    "",
    "interface ButtonProps {",
    "  children: ReactNode",
    "  onClick: () => void",
    "}",
    "",
    "export function Button({ children, onClick }: ButtonProps) {",
    "  return (",
    "    <button type=\"button\" style={{ backgroundColor: 'gray', color: 'white' }} onClick={onClick}>",
    "      {children}",
    "    </button>",
    "  )",
    "}",
    "",
  ].join("\n"),
};

/** What one request cost, from the client's side and the simulator's. */
interface Sample {
  ok: boolean;
  totalMs: number;
  /** The simulator's own time for the model call (null: no call found). */
  serviceMs: number | null;
  /** Server-Timing parts (ours only). */
  timing: Record<string, number>;
}

type System = "ours" | "portkey";

function serverTiming(header: string | null): Record<string, number> {
  return Object.fromEntries(
    [...(header ?? "").matchAll(/(\w+);dur=([\d.]+)/g)].map(([, name, ms]) => [name, Number(ms)]),
  );
}

/** The chat completion the orchestrator's OpenAI adapter sends for a simple attempt at this request. */
function chatCompletion(model: string, tag: string) {
  const request = `${REQUEST} [${tag}]`;
  const contextFiles = [CONTEXT_FILE];
  const input = { request, contextFiles, profile: profileTask({ request, contextFiles }) };
  return {
    model,
    messages: [{ role: "system", content: systemPrompt(input) }, {
      role: "user",
      content: simplePrompt(input),
    }],
    max_tokens: 16_384,
    temperature: 0.2,
    response_format: {
      type: "json_schema",
      json_schema: { name: "answer", schema: FILES_JSON_SCHEMA, strict: false },
    },
  };
}

async function drive(
  system: System,
  count: number,
  label: string,
  send: (client: number, tag: string) => Promise<Response>,
): Promise<Map<string, Omit<Sample, "serviceMs">>> {
  const tags = Array.from({ length: count }, (_, n) => `${system}-${label}-${n}`);
  const results = await runClients(concurrency, tags, latencyMs, async (tag, client) => {
    const started = performance.now();
    try {
      const response = await send(client, tag);
      await response.arrayBuffer();
      return {
        ok: response.status === 200,
        totalMs: performance.now() - started,
        timing: serverTiming(response.headers.get("server-timing")),
      };
    } catch {
      return { ok: false, totalMs: performance.now() - started, timing: {} };
    }
  });
  return new Map(tags.map((tag, i) => [tag, results[i]]));
}

/** Joins the client's samples with the simulator's records of their calls. */
function withService(samples: Map<string, Omit<Sample, "serviceMs">>, calls: Map<string, CallRecord[]>) {
  return [...samples].map(([tag, sample]): Sample => {
    const served = calls.get(tag) ?? [];
    return {
      ...sample,
      // one call per request; more would mean the plan did not hold one simple strategy
      ok: sample.ok && served.length === 1,
      serviceMs: served.length === 1 ? served[0].serviceMs : null,
    };
  });
}

const p = (values: number[], q: number) => round(percentile(values, q), 1);

function describe(label: string, values: number[]): string {
  return `${label} p50 ${p(values, 0.5)} ms, p99 ${p(values, 0.99)} ms`;
}

await withBenchStack("compare", PORT_BASE, {
  MODEL_SIM_FIXED_LATENCY_MS: String(latencyMs),
  SIMULATED_PROVIDERS: "openai",
  ...Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([name]) => name.startsWith("ORCHESTRATOR_")),
  ),
}, async (env, portBase) => {
  const sql = postgres(env.SUPABASE_DB_URL, { max: 1, onnotice: () => {} });
  // Many clients, one user each: high per-user limits, so admission still runs but refuses no one.
  await sql`update public.project_settings set requests_per_minute = 100000, concurrent_requests = 1000`;
  // The catalog's cheapest model of OpenAI's: the one both are pointed at.
  const [{ model }] = await sql`select model_id as model from public.models
    where enabled and provider = 'openai' order by input_price_per_mtok + output_price_per_mtok limit 1`;
  await sql.end();
  const simulatorUrl = env.OPENAI_BASE_URL.replace(/\/openai\/v1$/, "");
  const gateway = await startPortkey(portBase + 6);
  try {
    const keys = await readStackKeys(`${ROOT}/.local/compare/keys.json`);
    const tokens = await Promise.all(Array.from(
      { length: concurrency },
      () => mintUserToken(keys.privateJwk, crypto.randomUUID(), `${env.SUPABASE_URL}/auth/v1`),
    ));
    const functionUrl = `${env.SUPABASE_URL}/functions/v1/multi-model-orchestrator`;
    const portkeyHeaders = {
      ...gateway.headersFor(env.OPENAI_BASE_URL, env.OPENAI_API_KEY),
      "content-type": "application/json",
    };
    const senders: Record<System, (client: number, tag: string) => Promise<Response>> = {
      portkey: (_client, tag) =>
        fetch(`${gateway.url}/v1/chat/completions`, {
          method: "POST",
          headers: portkeyHeaders,
          body: JSON.stringify(chatCompletion(model, tag)),
        }),
      ours: (client, tag) =>
        fetch(functionUrl, {
          method: "POST",
          headers: { authorization: `Bearer ${tokens[client]}`, "content-type": "application/json" },
          body: JSON.stringify({
            request: `${REQUEST} [${tag}]`,
            context: { files: [CONTEXT_FILE] },
            models: [model],
            explore: false,
            refine: { maxRounds: 0 },
            maxStrategies: 1,
          }),
        }),
    };

    // Warm both (our scorer loads on first use; Node and Deno compile their hot paths).
    progress(`warming up both at concurrency ${concurrency}`);
    for (const system of ["portkey", "ours"] as const) {
      await drive(system, 2 * concurrency, "warm", senders[system]);
    }

    const samples: Record<System, Sample[]> = { ours: [], portkey: [] };
    // CPU per request, by process: what a machine shared with other work moves least.
    const stackDir = `${ROOT}/.local/compare`;
    const processes = {
      function: stackPid(`${stackDir}/functions.pid`),
      postgres: stackPid(`${stackDir}/pg/postmaster.pid`),
      simulator: stackPid(`${stackDir}/model-simulator.pid`),
      gateway: gateway.pid,
    };
    const cpu: Record<System, Record<string, number>> = { ours: {}, portkey: {} };
    // A round that follows the other system's starts with a pass of one request per client, outside the
    // ratios, so they compare steady states: after 7-15 s without requests the first wave is slower, for
    // both (ours not for database connections, none are opened then, nor for HTTP keep-alive: 60 s changed
    // nothing). Those passes are shown apart, as `afterIdle`.
    const afterIdle: Record<System, Sample[]> = { ours: [], portkey: [] };
    const overheads = (list: Sample[]) => list.filter((s) => s.ok).map((s) => s.totalMs - s.serviceMs!);
    // Each round's p50, in order: whether a system drifts over a run (tables growing, a process warming).
    const roundP50s: Record<System, number[]> = { ours: [], portkey: [] };
    let last: System | null = null;
    for (let r = 0; r < rounds; r++) {
      for (const system of (r % 2 === 0 ? ["portkey", "ours"] : ["ours", "portkey"]) as System[]) {
        const count = Math.round(requests / rounds);
        progress(`round ${r + 1} of ${rounds}: ${count} requests through ${system}`);
        const warm = last === system ? null : await drive(system, concurrency, `warm${r}`, senders[system]);
        last = system;
        const { result: results, cpuMs } = await cpuDuring(processes, async () => {
          const results = await drive(system, count, `${r}`, senders[system]);
          // the rows a response leaves to write in the background land in the round that caused them
          await new Promise((resolve) => setTimeout(resolve, 1500));
          return results;
        });
        for (const [name, ms] of Object.entries(cpuMs)) cpu[system][name] = (cpu[system][name] ?? 0) + ms;
        const calls = callsByTag(await simulatorCalls(simulatorUrl, `[${system}-${r}-`));
        const roundSamples = withService(results, calls);
        samples[system].push(...roundSamples);
        roundP50s[system].push(p(overheads(roundSamples), 0.5));
        if (warm) {
          const warmCalls = callsByTag(await simulatorCalls(simulatorUrl, `[${system}-warm${r}-`));
          afterIdle[system].push(...withService(warm, warmCalls));
        }
      }
    }
    const cpuPerRequest = (system: System, names: string[]) =>
      Object.fromEntries(names.map((name) => [name, round(cpu[system][name] / samples[system].length, 2)]));

    const ours = samples.ours.filter((s) => s.ok);
    const oursOverhead = overheads(samples.ours);
    const routing = ours.map((s) => s.totalMs - s.serviceMs! - (s.timing.scoring ?? 0));
    const portkeyOverhead = overheads(samples.portkey);
    const errors = (list: Sample[]) => list.filter((s) => !s.ok).length;

    console.log(
      `${concurrency} concurrent clients, ${samples.ours.length} requests each, the simulated ${model} ` +
        `answering in ${latencyMs} ms; overhead = client time − the simulator's service time`,
    );
    console.log(
      describe("Portkey gateway overhead:       ", portkeyOverhead) + `, errors ${errors(samples.portkey)}`,
    );
    console.log(
      describe("orchestrator overhead, whole:   ", oursOverhead) + `, errors ${errors(samples.ours)}`,
    );
    console.log(describe("orchestrator routing overhead:  ", routing) + " (whole − scoring)");
    // Where our time goes: Server-Timing's parts, and what lies outside the handler.
    const part = (f: (s: Sample) => number) => ours.map(f);
    console.log("where the orchestrator's overhead goes (p50 / p99 of each part, ms):");
    const parts: Array<[string, number[]]> = [
      ["planning read (history)", part((s) => s.timing.history ?? 0)],
      ["model call beyond the simulator", part((s) => (s.timing.model ?? 0) - s.serviceMs!)],
      ["scoring", part((s) => s.timing.scoring ?? 0)],
      [
        "rest of the handler (auth, validation, plan, choose)",
        part((s) =>
          s.timing.total - (s.timing.history ?? 0) - (s.timing.model ?? 0) - (s.timing.scoring ?? 0)
        ),
      ],
      ["outside the handler (HTTP, router, queueing)", part((s) => s.totalMs - s.timing.total)],
    ];
    for (const [name, values] of parts) {
      console.log(
        `  ${name.padEnd(54)} ${p(values, 0.5)} / ${p(values, 0.99)}  (mean ${round(mean(values), 1)})`,
      );
    }
    const cpuMs = {
      ours: cpuPerRequest("ours", ["function", "postgres", "simulator"]),
      portkey: cpuPerRequest("portkey", ["gateway", "postgres", "simulator"]),
    };
    console.log(
      `CPU per request (ms): ours — function ${cpuMs.ours.function}, PostgreSQL ${cpuMs.ours.postgres}, ` +
        `simulator ${cpuMs.ours.simulator}; Portkey — gateway ${cpuMs.portkey.gateway}, simulator ` +
        `${cpuMs.portkey.simulator} (PostgreSQL idle beside it: ${cpuMs.portkey.postgres})`,
    );
    console.log(
      `each round's p50 (ms), in order: Portkey ${roundP50s.portkey.join(", ")}; ours ${
        roundP50s.ours.join(", ")
      }`,
    );
    const idleOverheads = { ours: overheads(afterIdle.ours), portkey: overheads(afterIdle.portkey) };
    console.log(
      describe("first pass after the other's round: Portkey", idleOverheads.portkey) + "; " +
        describe("ours", idleOverheads.ours) + " (not in the ratios)",
    );
    const summary = {
      concurrency,
      requests: samples.ours.length,
      latencyMs,
      ours: {
        p50Ms: p(oursOverhead, 0.5),
        p99Ms: p(oursOverhead, 0.99),
        routingP50Ms: p(routing, 0.5),
        routingP99Ms: p(routing, 0.99),
        errors: errors(samples.ours),
      },
      portkey: {
        p50Ms: p(portkeyOverhead, 0.5),
        p99Ms: p(portkeyOverhead, 0.99),
        errors: errors(samples.portkey),
      },
      ratioP50: round(percentile(routing, 0.5) / percentile(portkeyOverhead, 0.5), 2),
      ratioP99: round(percentile(routing, 0.99) / percentile(portkeyOverhead, 0.99), 2),
      cpuMsPerRequest: cpuMs,
      roundP50Ms: roundP50s,
      afterIdle: Object.fromEntries(
        (["ours", "portkey"] as const).map((system) => [system, {
          p50Ms: p(idleOverheads[system], 0.5),
          p99Ms: p(idleOverheads[system], 0.99),
        }]),
      ),
    };
    console.log(JSON.stringify(summary));
  } finally {
    await gateway.stop();
  }
});
