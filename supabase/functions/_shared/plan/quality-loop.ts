// What a plan's quality loop — refinement rounds and verification — may cost at most, so that it is
// reserved with the plan: every round on the dearest planned model (a round goes back to the winner's
// model, which may be any of them), and the review by the dearest verifier any of them would get.

import type { ApproachOptions } from "../run/approaches.ts";
import { loopCallWorstCaseUsd } from "./cost-model.ts";
import type { PlannedStrategy } from "./planner.ts";
import type { Prepared } from "./planning-context.ts";
import { pickVerifier } from "./verifier.ts";

export function loopWorstCaseUsd(
  strategies: PlannedStrategy[],
  prepared: Prepared,
  options: ApproachOptions,
): number {
  const { loop, input, catalog, candidates, policy } = prepared;
  const authors = [...new Map(strategies.map((s) => [s.model, s])).values()];
  const modelOf = (id: string) => catalog.find((model) => model.id === id)!;
  const worst = (values: number[]) => values.length ? Math.max(...values) : 0;
  const refine = loop.refineRounds *
    worst(authors.map((s) => loopCallWorstCaseUsd(modelOf(s.model), "refine", input, options)));
  const verify = !loop.verify ? 0 : worst(authors.flatMap((s) => {
    const verifier = pickVerifier(candidates, s, policy);
    return verifier ? [loopCallWorstCaseUsd(verifier, "verify", input, options)] : [];
  }));
  return refine + verify;
}
