// Heavy-tailed latencies and random failures, for benchmarks of what each mode buys (bench:modes):
//   MODEL_SIM_LATENCY=lognormal:<p50 ms>:<p99 ms>  every call takes a draw from a lognormal distribution with
//                                                 these percentiles (instead of the model's own speed)
//   MODEL_SIM_FAILURE_RATE=<0–1>                  that share of calls fails at once with a server error
// A draw depends only on MODEL_SIM_SEED, the model, the kind of call, its request and how many times the
// same call came before (since the last reset), so the same requests meet the same latencies and
// failures whichever mode sends them — the modes are compared on identical luck.

import { seededRandom } from "./seeded-random.ts";

export interface CallLuck {
  latencyMs: number;
  fails: boolean;
}

export interface LatencyModel {
  draw(model: string, kind: string, request: string): CallLuck;
  /** Starts every call's count over (the simulator's fault reset). */
  reset(): void;
}

/** The z-score of the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function lognormalLatency(
  seed: string,
  p50Ms: number,
  p99Ms: number,
  failureRate: number,
): LatencyModel {
  if (!(p50Ms > 0 && p99Ms >= p50Ms && failureRate >= 0 && failureRate < 1)) {
    throw new Error("MODEL_SIM_LATENCY needs 0 < p50 ≤ p99, MODEL_SIM_FAILURE_RATE 0 ≤ rate < 1");
  }
  const mu = Math.log(p50Ms);
  const sigma = Math.log(p99Ms / p50Ms) / Z99;
  const seen = new Map<string, number>();
  return {
    draw(model, kind, request) {
      const key = `${model}|${kind}|${request}`;
      const occurrence = seen.get(key) ?? 0;
      seen.set(key, occurrence + 1);
      const random = seededRandom(hash(`${seed}|${key}|${occurrence}`));
      // Box–Muller: a standard normal draw from two uniform ones
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      return { latencyMs: Math.round(Math.exp(mu + sigma * z)), fails: random() < failureRate };
    },
    reset: () => seen.clear(),
  };
}

/** The model the environment asks for, or null (the models keep their own speeds). */
export function latencyFromEnv(seed: string): LatencyModel | null {
  let spec: string | undefined;
  let rate: string | undefined;
  try {
    spec = Deno.env.get("MODEL_SIM_LATENCY");
    rate = Deno.env.get("MODEL_SIM_FAILURE_RATE");
  } catch {
    return null; // no permission to read the environment: an in-process simulator of a test
  }
  if (!spec && !rate) return null;
  const [shape, p50, p99] = (spec ?? "").split(":");
  if (spec && shape !== "lognormal") throw new Error(`MODEL_SIM_LATENCY: unknown shape "${shape}"`);
  if (!spec) throw new Error("MODEL_SIM_FAILURE_RATE needs MODEL_SIM_LATENCY");
  return lognormalLatency(seed, Number(p50), Number(p99), Number(rate ?? 0));
}
