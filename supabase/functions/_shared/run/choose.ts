// Picks the winning attempt: the highest score, then fewer issues, lower cost, lower latency, and
// finally the planner's order. In consensus mode, among the outputs within CONSENSUS_POINTS of the best,
// the one the others agree with most. Pure.

import type { AttemptOutcome } from "./attempt.ts";

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

/** Consensus mode considers the outputs within this many points of the best score. */
export const CONSENSUS_POINTS = 5;

/** The consensus winner: of the outputs close to the best, the one with the highest mean agreement with
 * every other successful output (`agreement(a, b)`), then the usual order. */
export function chooseByConsensus(
  outcomes: AttemptOutcome[],
  agreement: (a: AttemptOutcome, b: AttemptOutcome) => number,
): AttemptOutcome | null {
  const best = chooseWinner(outcomes);
  if (!best) return null;
  const scored = outcomes.filter((outcome) => outcome.success && outcome.quality);
  const meanAgreement = (candidate: AttemptOutcome) => {
    const others = scored.filter((other) => other !== candidate);
    return others.length
      ? others.reduce((sum, other) => sum + agreement(candidate, other), 0) / others.length
      : 0;
  };
  const close = scored.filter((outcome) =>
    outcome.quality!.overall >= best.quality!.overall - CONSENSUS_POINTS
  );
  return close.reduce((winner, candidate) => {
    const lead = meanAgreement(candidate) - meanAgreement(winner);
    return lead > 1e-9 || (Math.abs(lead) <= 1e-9 && compare(candidate, winner) < 0) ? candidate : winner;
  });
}
