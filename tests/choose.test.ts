// The winner: highest score, then fewer issues, lower cost, lower latency, and the planner's order.

import assert from "node:assert/strict";
import { chooseWinner } from "../supabase/functions/_shared/run/choose.ts";
import type { AttemptOutcome } from "../supabase/functions/_shared/run/runner.ts";
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
