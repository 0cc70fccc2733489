// The winner: highest score, then fewer issues, lower cost, lower latency, and the planner's order; in
// consensus mode, the close output the others agree with most.

import assert from "node:assert/strict";
import { chooseByConsensus, chooseWinner } from "../supabase/functions/_shared/run/choose.ts";
import type { AttemptOutcome } from "../supabase/functions/_shared/run/attempt.ts";
import { planned } from "./support/planning.ts";

function outcome(
  planRank: number,
  overall: number | null,
  extra: Partial<AttemptOutcome> = {},
): AttemptOutcome {
  return {
    strategy: planned(`m${planRank}`),
    planRank,
    success: overall !== null,
    files: [],
    quality: overall === null ? null : {
      overall,
      completeness: overall,
      codeQuality: overall,
      functionality: overall,
      performance: overall,
      issues: [],
    },
    durationMs: 1000,
    usage: { inputTokens: 1, outputTokens: 1 },
    costUsd: 0.01,
    calls: 1,
    retries: 0,
    modelVersion: null,
    error: overall === null ? { class: "server", message: "down" } : null,
    ...extra,
  };
}

const issue = { dimension: "codeQuality" as const, severity: "warning" as const, message: "x" };
const withIssues = (o: AttemptOutcome, n: number) => ({
  ...o,
  quality: { ...o.quality!, issues: Array(n).fill(issue) },
});

Deno.test("the highest score wins; failures never do", () => {
  assert.equal(chooseWinner([outcome(0, 80), outcome(1, 90), outcome(2, null)])?.planRank, 1);
  assert.equal(chooseWinner([outcome(0, null), outcome(1, null)]), null);
  assert.equal(chooseWinner([]), null);
});

Deno.test("ties break on fewer issues, then cost, then latency, then plan order", () => {
  assert.equal(chooseWinner([withIssues(outcome(0, 90), 3), withIssues(outcome(1, 90), 1)])?.planRank, 1);
  assert.equal(
    chooseWinner([outcome(0, 90, { costUsd: 0.02 }), outcome(1, 90, { costUsd: 0.01 })])?.planRank,
    1,
  );
  assert.equal(
    chooseWinner([outcome(0, 90, { durationMs: 900 }), outcome(1, 90, { durationMs: 800 })])?.planRank,
    1,
  );
  assert.equal(chooseWinner([outcome(1, 90), outcome(0, 90)])?.planRank, 0);
});

Deno.test("consensus: of the outputs close to the best, the one the others agree with most", () => {
  const [a, b, c] = [outcome(0, 90), outcome(1, 87), outcome(2, 86)];
  // b and c agree with each other; a stands apart.
  const agreeing = new Map([[`${a.planRank}${b.planRank}`, 0.1], [`${a.planRank}${c.planRank}`, 0.1], [
    "12",
    0.9,
  ]]);
  const agreement = (x: AttemptOutcome, y: AttemptOutcome) =>
    agreeing.get([x.planRank, y.planRank].sort().join("")) ?? 0;
  assert.equal(chooseByConsensus([a, b, c], agreement)?.planRank, 1, "b: within 5 points, most agreed with");
  const far = outcome(1, 80);
  assert.equal(chooseByConsensus([a, far, c], agreement)?.planRank, 2, "an output 10 points behind is out");
  assert.equal(chooseByConsensus([a, outcome(1, null)], agreement)?.planRank, 0, "alone, the best wins");
  assert.equal(chooseByConsensus([outcome(0, null)], agreement), null);
  assert.equal(
    chooseByConsensus([outcome(0, 90), outcome(1, 90)], () => 0.5)?.planRank,
    0,
    "a tie: the usual order",
  );
});
