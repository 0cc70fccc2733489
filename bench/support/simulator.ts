// What the model simulator recorded of the calls it served (scripts/model-simulator/simulation.ts).

import type { CallRecord } from "../../scripts/model-simulator/simulation.ts";

export type { CallRecord };

/** Every call the simulator still holds (its last 10,000) whose request contains `match`. */
export async function simulatorCalls(simulatorUrl: string, match = ""): Promise<CallRecord[]> {
  const response = await fetch(`${simulatorUrl}/_simulator/calls?match=${encodeURIComponent(match)}`);
  return await response.json();
}

/** Clears fault rules, and starts the simulator's latency draws over (the same luck for the next run). */
export async function resetSimulator(simulatorUrl: string): Promise<void> {
  const response = await fetch(`${simulatorUrl}/_simulator/faults`, { method: "DELETE" });
  await response.body?.cancel();
}

/** The calls by the `[tag]` their request text carries (bench requests carry one each). */
export function callsByTag(calls: CallRecord[]): Map<string, CallRecord[]> {
  const byTag = new Map<string, CallRecord[]>();
  for (const call of calls) {
    const tag = call.request.match(/\[(\w[\w-]*)\]/)?.[1];
    if (!tag) continue;
    byTag.set(tag, [...(byTag.get(tag) ?? []), call]);
  }
  return byTag;
}
