// How much a result can be trusted, 0–1, and whether a person should look at it:
//   confidence = 0.40 × score + 0.20 × margin + 0.15 × agreement + 0.25 × verification, where
//   score        the winner's overall score / 100;
//   margin       its lead over the runner-up, in points / 20 (capped at 1); 0.5 with no runner-up;
//   agreement    its mean agreement with the other successful outputs (score/structure.ts); 0.5 alone;
//   verification pass 1, uncertain 0.5, fail 0 (0.4 when refined on the verifier's findings since),
//                unavailable 0.25 (asked for, not given), 0.5 when none was asked for.
// A result below REVIEW_BELOW (0.5) needs review. Pure.

import type { Verification } from "../contract.ts";

export const REVIEW_BELOW = 0.5;

export interface ConfidenceInput {
  winnerScore: number;
  /** The best score among the other successful outputs; null when there are none. */
  runnerUpScore: number | null;
  /** The winner's mean agreement with the other successful outputs; null when there are none. */
  agreement: number | null;
  verification: Verification | null;
}

const clamp = (value: number) => Math.min(1, Math.max(0, value));
const round3 = (value: number) => Math.round(value * 1000) / 1000;

function verificationPart(verification: Verification | null): number {
  if (!verification) return 0.5;
  if (verification.verdict === "pass") return 1;
  if (verification.verdict === "uncertain") return 0.5;
  if (verification.verdict === "fail") return verification.refinedAfter ? 0.4 : 0;
  return 0.25;
}

export function confidenceOf(input: ConfidenceInput) {
  const parts = {
    score: round3(clamp(input.winnerScore / 100)),
    margin: round3(
      input.runnerUpScore === null ? 0.5 : clamp((input.winnerScore - input.runnerUpScore) / 20),
    ),
    agreement: round3(input.agreement === null ? 0.5 : clamp(input.agreement)),
    verification: verificationPart(input.verification),
  };
  const confidence = round3(
    0.4 * parts.score + 0.2 * parts.margin + 0.15 * parts.agreement + 0.25 * parts.verification,
  );
  return { confidence, needsReview: confidence < REVIEW_BELOW, confidenceParts: parts };
}
