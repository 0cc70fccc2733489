// Refinement: when the best output so far falls short (of the threshold, or of the verifier's review), it
// goes back to the model that wrote it with what was found wrong, and the corrected whole is scored. Each
// round is an attempt of approach "refine". Rounds stop at the threshold, at the first round that does
// not improve, when the rounds are used up, or when too little of the request's time is left for one.

import { type ApproachOptions, runRefinement } from "./approaches.ts";
import { attempt, type AttemptContext, type AttemptOutcome } from "./attempt.ts";
import { type FoundIssue, type PromptInput, REFINE_LIMITS } from "./prompts.ts";

export interface RefineContext extends AttemptContext {
  input: PromptInput;
  approachOptions: ApproachOptions;
  /** How long one round may take. */
  roundTimeoutMs: number;
  /** What is left of the request's time. */
  remainingMs: () => number;
}

const encoder = new TextEncoder();

/** Whether an output is small enough to send back whole (bigger ones are not refined). */
export function refinable(outcome: AttemptOutcome): boolean {
  return outcome.files.reduce((sum, file) => sum + encoder.encode(file.content).length, 0) <=
    REFINE_LIMITS.filesBytes;
}

/** The scorer's errors and warnings of an output, as a refinement prompt lists them. */
function scorerIssues(outcome: AttemptOutcome): FoundIssue[] {
  return (outcome.quality?.issues ?? []).filter((issue) => issue.severity !== "info");
}

/**
 * Runs up to `rounds` rounds from `from`; `findings` (the verifier's) go with the first. Returns the
 * rounds' outcomes, in order; the best of them, if any improved, is the last successful one.
 */
export async function refine(
  from: AttemptOutcome,
  rounds: number,
  threshold: number,
  ctx: RefineContext,
  findings: FoundIssue[] = [],
): Promise<AttemptOutcome[]> {
  const done: AttemptOutcome[] = [];
  let best = from;
  for (let round = 1; round <= rounds; round++) {
    const aimed = round === 1 && findings.length > 0;
    if ((!aimed && best.quality!.overall >= threshold) || !refinable(best)) break;
    if (ctx.remainingMs() < ctx.roundTimeoutMs) break;
    const issues = [...(round === 1 ? findings : []), ...scorerIssues(best)];
    const { model, provider } = best.strategy;
    const outcome = await attempt(
      { model, provider, approach: "refine" },
      best.planRank,
      ctx,
      (client, entry, signal) =>
        runRefinement(client, entry, ctx.input, { files: best.files, issues }, {
          ...ctx.approachOptions,
          maxOutputTokens: Math.min(ctx.approachOptions.maxOutputTokens, entry.maxOutputTokens),
        }, signal),
      { timeoutMs: ctx.roundTimeoutMs },
    );
    outcome.refinement = { round, fromScore: best.quality!.overall };
    done.push(outcome);
    const improved = outcome.success && outcome.quality!.overall > best.quality!.overall;
    ctx.progress({
      type: "refine",
      round,
      model,
      fromScore: best.quality!.overall,
      qualityScore: outcome.quality?.overall ?? null,
      improved,
    });
    if (!improved) break;
    best = outcome;
  }
  return done;
}
