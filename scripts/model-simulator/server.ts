// A simulated model API for the local stack and the tests, where the real services are out of reach. One
// server speaks three wire protocols, with the same simulated models behind them (simulation.ts):
//   Gemini             /v1beta/models/{model}:generateContent   base URL http://127.0.0.1:<port>
//   OpenAI-compatible  /openai/v1/chat/completions              base URL http://127.0.0.1:<port>/openai/v1
//   Anthropic          /anthropic/v1/messages                   base URL http://127.0.0.1:<port>/anthropic
// It answers with generated projects whose quality, speed and token counts differ per model and task type
// (deterministic from a seed), labels everything it writes as simulated, and injects faults on request,
// each in the protocol's own error shapes and headers.
//
//   deno run --allow-net --allow-env --allow-read scripts/model-simulator/server.ts <port>
//   env: MODEL_SIM_SEED (default "local"), MODEL_SIM_TIME_SCALE (default 0.25: latencies × 0.25),
//        MODEL_SIM_FIXED_LATENCY_MS (every call takes exactly this long: load tests)
//
// Control endpoints (tests, benchmarks):
//   POST   /_simulator/faults  {fault, match?, model?, times?, delayMs?}  the next `times` matching calls fail
//   DELETE /_simulator/faults                                             clear all fault rules
//   GET    /_simulator/calls?match=text                                   calls whose request contains text

import type { ProviderKind } from "../../supabase/functions/_shared/providers/registry.ts";
import { handleAnthropic } from "./anthropic.ts";
import { handleGemini } from "./gemini.ts";
import { handleOpenAI } from "./openai.ts";
import { type CallRecord, createSimulation, type FaultRule, type SimulatorOptions } from "./simulation.ts";

export type { CallRecord, Fault, FaultRule, SimulatorOptions } from "./simulation.ts";
export { FAULTS } from "./simulation.ts";

/** Where each protocol lives on the simulator: a provider's base URL is the simulator's URL plus this. */
export const BASE_PATHS: Record<ProviderKind, string> = {
  gemini: "",
  "openai-compatible": "/openai/v1",
  anthropic: "/anthropic",
};

export function createModelSimulator(options: SimulatorOptions): (request: Request) => Promise<Response> {
  const simulation = createSimulation(options);
  return async (request) => {
    const path = new URL(request.url).pathname;
    if (path.startsWith("/_simulator/")) return await simulation.control(request, path);
    if (path.startsWith("/openai/")) return await handleOpenAI(request, path, simulation);
    if (path.startsWith("/anthropic/")) return await handleAnthropic(request, path, simulation);
    return await handleGemini(request, path, simulation);
  };
}

/** The simulator served in this process on a free port (tests): its URL and its control endpoints. */
export function serveModelSimulator(options: SimulatorOptions) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    createModelSimulator(options),
  );
  const url = `http://127.0.0.1:${server.addr.port}`;
  return {
    url,
    async injectFault(rule: FaultRule): Promise<void> {
      const response = await fetch(`${url}/_simulator/faults`, {
        method: "POST",
        body: JSON.stringify(rule),
      });
      if (!response.ok) throw new Error(`fault not accepted: ${await response.text()}`);
      await response.body?.cancel();
    },
    async calls(match = ""): Promise<CallRecord[]> {
      return await (await fetch(`${url}/_simulator/calls?match=${encodeURIComponent(match)}`)).json();
    },
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

if (import.meta.main) {
  const port = Number(Deno.args[0] ?? 54329);
  const fixedLatency = Deno.env.get("MODEL_SIM_FIXED_LATENCY_MS");
  const handle = createModelSimulator({
    seed: Deno.env.get("MODEL_SIM_SEED") ?? "local",
    timeScale: Number(Deno.env.get("MODEL_SIM_TIME_SCALE") ?? 0.25),
    fixedLatencyMs: fixedLatency ? Number(fixedLatency) : undefined,
  });
  Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => console.log(`simulated model APIs on :${port}`) },
    handle,
  );
}
