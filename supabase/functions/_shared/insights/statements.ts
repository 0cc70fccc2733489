// The insights as people read them: each finding of public.insights, with its numbers, said in a sentence
// that carries its sample sizes (the numbers stay beside it for machines).

import type { Insight } from "../contract.ts";

/** A finding as Postgres returns it: an insight without its statement. */
export type InsightLine = Insight extends infer I ? I extends Insight ? Omit<I, "statement"> : never : never;

const where = (line: { taskType: string; complexity: string; requirement: string }) =>
  `${line.taskType} requests of ${line.complexity} complexity${
    line.requirement === "*" ? "" : ` that require ${line.requirement}`
  }`;
const named = (strategy: { model: string; approach: string }) => `${strategy.model} (${strategy.approach})`;

export function statementOf(line: InsightLine): string {
  switch (line.kind) {
    case "winner": {
      const cost = line.costRatio === null ? "" : `, at ${line.costRatio}× its cost`;
      return `For ${where(line)}, ${named(line.strategy)} delivers ${line.quality} against ${
        named(line.alternative)
      }'s ${line.alternativeQuality}: ${line.difference} points better (95% interval ${line.interval[0]} to ${
        line.interval[1]
      })${cost}; ${line.samples} and ${line.alternativeSamples} attempts.`;
    }
    case "trend":
      return `For ${where(line)}, ${
        named(line.strategy)
      } delivered ${line.quality} in the last 7 days against ${line.previousQuality} the week before (${
        line.change > 0 ? "+" : ""
      }${line.change}); ${line.samples} and ${line.previousSamples} attempts.`;
    case "refinement":
      return `Refining ${line.model}'s ${line.taskType} outputs lifted ${line.liftedPct}% of them over their threshold (at least ${line.liftedLowerBoundPct}% with 95% confidence), by ${
        line.meanGain ?? 0
      } points on average, at ${line.meanCostUsd} USD a round; ${line.samples} rounds.`;
    case "verification":
      return `Reviews failed ${line.failedPct}% of ${line.taskType} results${
        line.fixedByRefinementPct === null
          ? ""
          : `; a refinement round then won ${line.fixedByRefinementPct}% of those`
      }; ${line.samples} reviews, ${line.failedSamples} failed.`;
  }
}
