// After the planned strategies: refine the winner while it falls short of the threshold, have another
// model verify it, and when the verifier finds errors, give the model one more round with its findings.
// Returns the rounds run (each an attempt to record), the final winner, and the verification.

import type { CatalogModel } from "../plan/catalog.ts";
import type { QualityLoop } from "../plan/planning-context.ts";
import type { AttemptOutcome } from "./attempt.ts";
import { refine, type RefineContext } from "./refine.ts";
import { type VerificationRun, verifyOutput } from "./verify.ts";

export interface QualityLoopContext extends RefineContext {
  threshold: number;
  verifyTimeoutMs: number;
  /** Who verifies the given winner (null: nobody can). */
  verifierFor: (winner: AttemptOutcome) => CatalogModel | null;
}

export interface QualityLoopResult {
  rounds: AttemptOutcome[];
  winner: AttemptOutcome;
  verification: VerificationRun | null;
}

/** The better of the winner and the rounds that refined it. */
function bestOf(winner: AttemptOutcome, rounds: AttemptOutcome[]): AttemptOutcome {
  return rounds.reduce(
    (best, round) => round.success && round.quality!.overall > best.quality!.overall ? round : best,
    winner,
  );
}

export async function runQualityLoop(
  first: AttemptOutcome,
  loop: QualityLoop,
  ctx: QualityLoopContext,
): Promise<QualityLoopResult> {
  const rounds = first.quality!.overall < ctx.threshold && loop.refineRounds > 0
    ? await refine(first, loop.refineRounds, ctx.threshold, ctx)
    : [];
  let winner = bestOf(first, rounds);
  const verifier = loop.verify ? ctx.verifierFor(winner) : null;
  if (!verifier) return { rounds, winner, verification: null };

  const verification = await verifyOutput(winner.files, verifier, { ...ctx, timeoutMs: ctx.verifyTimeoutMs });
  ctx.progress({
    type: "verify",
    model: verifier.id,
    provider: verifier.provider,
    verdict: verification.verification.verdict,
  });
  const errors = verification.verification.issues.filter((issue) => issue.severity === "error");
  const left = loop.refineRounds - rounds.length;
  const outOfBudget = rounds.some((round) => round.error?.class === "budget_exceeded");
  if (verification.verification.verdict === "fail" && errors.length > 0 && left > 0 && !outOfBudget) {
    const aimed = await refine(winner, 1, ctx.threshold, ctx, verification.verification.issues);
    rounds.push(...aimed);
    const refined = bestOf(winner, aimed);
    if (refined !== winner) {
      winner = refined;
      verification.verification.refinedAfter = true;
    }
  }
  return { rounds, winner, verification };
}
