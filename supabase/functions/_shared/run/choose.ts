// Picks the winning attempt: the highest score, then fewer issues, lower cost, lower latency, and
// finally the planner's order. Pure.

import type { AttemptOutcome } from "./runner.ts";

export function chooseWinner(outcomes: AttemptOutcome[]): AttemptOutcome | null {
  const scored = outcomes.filter((outcome) => outcome.success && outcome.quality);
  if (scored.length === 0) return null;
  return scored.reduce((best, candidate) => (compare(candidate, best) < 0 ? candidate : best));
}

/** Negative when `a` beats `b`. */
function compare(a: AttemptOutcome, b: AttemptOutcome): number {
  return (b.quality!.overall - a.quality!.overall) ||
    (a.quality!.issues.length - b.quality!.issues.length) ||
    (a.costUsd - b.costUsd) ||
    (a.durationMs - b.durationMs) ||
    (a.planRank - b.planRank);
}
