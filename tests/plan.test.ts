// The planner: quality tiers, local preference, the budget, the history, and bounded exploration.

import assert from "node:assert/strict";
import { DEFAULT_APPROACH_OPTIONS } from "../supabase/functions/_shared/run/approaches.ts";
import type { Tier } from "../supabase/functions/_shared/contract.ts";
import {
  DEFAULT_POLICY,
  type PlanOutcome,
  type PlanPolicy,
  planStrategies,
  type RankingRow,
} from "../supabase/functions/_shared/plan/planner.ts";
import { candidatesOf } from "../supabase/functions/_shared/plan/planning-context.ts";
import { profileTask } from "../supabase/functions/_shared/plan/profile.ts";
import { seededRandom } from "../scripts/model-simulator/seeded-random.ts";
import { CATALOG } from "./support/planning.ts";

const ALL_PROVIDERS = new Set(["gemini", "ollama", "openai"]);
const GEMINI_ONLY = new Set(["gemini"]);

interface PlanOptions {
  tier?: Tier;
  policy?: Partial<PlanPolicy>;
  providers?: Set<string>;
  ranking?: RankingRow[];
  contextFiles?: Array<{ path: string; content: string }>;
  remainingUsd?: number | null;
  maxStrategies?: number;
  explore?: boolean;
  random?: () => number;
}

function plan(request: string, options: PlanOptions = {}): PlanOutcome {
  const contextFiles = options.contextFiles ?? [];
  const profile = profileTask({ request, contextFiles });
  const candidates = candidatesOf({ request, contextFiles, profile }, CATALOG, options.ranking ?? [], {
    configuredProviders: options.providers ?? ALL_PROVIDERS,
    approachOptions: DEFAULT_APPROACH_OPTIONS,
  });
  return planStrategies({
    candidates,
    policy: { ...DEFAULT_POLICY, tier: options.tier ?? "balanced", preferLocal: false, ...options.policy },
    maxStrategies: options.maxStrategies ?? 3,
    remainingUsd: options.remainingUsd ?? null,
    random: options.explore ? (options.random ?? seededRandom(1)) : null,
  });
}

function strategies(outcome: PlanOutcome) {
  assert.ok(outcome.ok, `expected a plan, got ${JSON.stringify(outcome)}`);
  return outcome.strategies;
}

const first = (outcome: PlanOutcome) => strategies(outcome)[0].model;

const NEW_APP = "Build a todo app with authentication";
const RESTYLE = "Change the button color to blue";
const EDIT = "Update the header component to show the user's name";
const HEADER = [{
  path: "src/Header.tsx",
  content: "export function Header() {\n  return <header>Hello</header>;\n}\n",
}];

function row(model: string, approach: string, expected: number, evidence: number): RankingRow {
  return {
    model_name: model,
    provider: CATALOG.find((m) => m.id === model)!.provider,
    approach,
    samples: evidence - 5,
    prior_samples: 0,
    success_rate: 1,
    mean_quality: expected,
    expected_quality: expected,
    evidence,
    quality_lower_bound: expected - 5,
    mean_duration_ms: 1000,
    mean_cost_usd: 0.004,
    cost_samples: evidence - 5,
    rank: 1,
  };
}

Deno.test("premium: the highest expected quality for the task type, the cheaper of equals", () => {
  assert.equal(first(plan(NEW_APP, { tier: "premium" })), "gemini-3.1-pro-preview");
  // Flash and Flash-Lite are equally strong at styling; Flash-Lite costs less.
  assert.equal(first(plan(RESTYLE, { tier: "premium" })), "gemini-3.5-flash-lite");
});

Deno.test("balanced: the cheapest within 10% of the best — not the cheapest per point of quality", () => {
  const edit = { contextFiles: HEADER };
  assert.equal(first(plan(EDIT, { ...edit, tier: "premium" })), "gemini-3.8-flash");
  // Flash-Lite (0.8) is within 10% of Flash (0.85) for edits, and cheaper.
  assert.equal(first(plan(EDIT, { ...edit, tier: "balanced" })), "gemini-3.5-flash-lite");
  // For a new app nothing comes within 10% of Pro; quality ÷ cost would have picked the free local model.
  assert.equal(first(plan(NEW_APP, { tier: "balanced" })), "gemini-3.1-pro-preview");
});

Deno.test("budget: the cheapest that clears the floor; the best there is when none does", () => {
  // Pro, Flash and the small cloud model clear 0.6 for a new app; the small cloud model is cheapest.
  assert.equal(first(plan(NEW_APP, { tier: "budget" })), "small-cloud");
  // The free local model styles well enough.
  assert.equal(first(plan(RESTYLE, { tier: "budget" })), "local-coder");
  assert.equal(first(plan(NEW_APP, { tier: "budget", policy: { floor: 0.99 } })), "gemini-3.1-pro-preview");
});

Deno.test("preferLocal: a free local model first when its quality is close to the tier's choice", () => {
  assert.equal(first(plan(RESTYLE, { tier: "premium" })), "gemini-3.5-flash-lite");
  assert.equal(first(plan(RESTYLE, { tier: "premium", policy: { preferLocal: true } })), "local-coder");
  // Not when it is far behind.
  assert.equal(
    first(plan(NEW_APP, { tier: "premium", policy: { preferLocal: true } })),
    "gemini-3.1-pro-preview",
  );
});

Deno.test("the budget: planned down to what fits, refused when nothing does", () => {
  const pro = strategies(plan(NEW_APP, { tier: "premium" }))[0];
  const tight = plan(NEW_APP, { tier: "premium", remainingUsd: pro.estimate.costUsd * 0.9 });
  assert.notEqual(first(tight), "gemini-3.1-pro-preview");
  for (const strategy of strategies(tight)) assert.ok(strategy.estimate.costUsd < pro.estimate.costUsd);
  // The fallbacks fit too: the planned strategies together stay within what is left.
  const left = pro.estimate.costUsd * 1.5;
  const total = strategies(plan(NEW_APP, { tier: "premium", remainingUsd: left }))
    .reduce((sum, s) => sum + s.estimate.costUsd, 0);
  assert.ok(total <= left);
  // Nothing is left: only the free local model can run.
  const free = strategies(plan(NEW_APP, { remainingUsd: 0 }));
  assert.deepEqual(free.map((s) => [s.model, s.estimate.costUsd]), [["local-coder", 0], ["local-coder", 0]]);
  const refused = plan(NEW_APP, { remainingUsd: 0, providers: GEMINI_ONLY });
  assert.equal(refused.ok, false);
  assert.ok(!refused.ok && refused.reason === "budget" && refused.cheapestUsd > 0);
});

Deno.test("a strategy is planned only when its first call fits: room for its input and a useful answer", () => {
  const fix = "Fix the typo in the footer";
  const [lite] = strategies(plan(fix, { tier: "budget", providers: GEMINI_ONLY, remainingUsd: 1 }));
  const { costUsd, minCallUsd } = lite.estimate;
  assert.ok(
    minCallUsd > costUsd,
    `a short fix is expected to cost ${costUsd}, its first call needs ${minCallUsd}`,
  );
  // Its expected cost fits, its first call does not: the spend guard would refuse that call, so the
  // request is refused up front (402, saying what it needs) instead of failing every strategy (502).
  const between = (costUsd + minCallUsd) / 2;
  const refused = plan(fix, { tier: "budget", providers: GEMINI_ONLY, remainingUsd: between });
  assert.ok(!refused.ok && refused.reason === "budget", JSON.stringify(refused));
  assert.ok(!refused.ok && refused.cheapestUsd >= minCallUsd);
  assert.equal(
    first(plan(fix, { tier: "budget", providers: GEMINI_ONLY, remainingUsd: minCallUsd })),
    lite.model,
  );
});

Deno.test("fallbacks prefer other models, and the plan is capped at maxStrategies", () => {
  const planned = strategies(plan(NEW_APP, { tier: "premium", maxStrategies: 3, providers: GEMINI_ONLY }));
  assert.deepEqual(planned.map((s) => s.model), [
    "gemini-3.1-pro-preview",
    "gemini-3.8-flash",
    "gemini-3.5-flash-lite",
  ]);
  assert.equal(strategies(plan(NEW_APP, { maxStrategies: 1 })).length, 1);
  // With more strategies than models, a model's other approach comes last.
  const six = strategies(plan(NEW_APP, { tier: "premium", maxStrategies: 5, providers: GEMINI_ONLY }));
  assert.deepEqual(six.slice(0, 3).map((s) => s.model), planned.map((s) => s.model));
  assert.equal(six[3].model, "gemini-3.1-pro-preview");
});

Deno.test("candidates: only configured providers, and only models whose context window holds the request", () => {
  assert.ok(
    strategies(plan(NEW_APP, { providers: GEMINI_ONLY, maxStrategies: 5 }))
      .every((s) => s.provider === "gemini"),
  );
  const none = plan(NEW_APP, { providers: new Set(["anthropic"]) });
  assert.deepEqual(none, { ok: false, reason: "no_models" });
  // About 10k tokens of context: beyond the small cloud model's 8k window.
  const big = [{ path: "src/Big.tsx", content: "export const big = 1;\n".repeat(2_000) }];
  const planned = strategies(plan(EDIT, { contextFiles: big, tier: "budget", maxStrategies: 5 }));
  assert.ok(planned.length > 0);
  assert.ok(planned.every((s) => s.model !== "small-cloud"));
  assert.ok(
    strategies(plan(EDIT, { contextFiles: HEADER, tier: "budget", maxStrategies: 5 }))
      .some((s) => s.model === "small-cloud"),
  );
});

Deno.test("the history: what did well on this task type moves up, and its real cost replaces the estimate", () => {
  const ranking = [
    row("gemini-3.5-flash-lite", "simple", 96, 200),
    row("gemini-3.1-pro-preview", "simple", 70, 200),
    row("gemini-3.8-flash", "simple", 72, 200),
  ];
  assert.equal(first(plan(NEW_APP, { tier: "premium" })), "gemini-3.1-pro-preview");
  const planned = strategies(plan(NEW_APP, { tier: "premium", ranking }))[0];
  assert.equal(planned.model, "gemini-3.5-flash-lite");
  assert.equal(planned.expectedQuality, 0.96);
  assert.deepEqual([planned.estimate.costUsd, planned.estimate.basis], [0.004, "history"]);
});

Deno.test("exploration: posterior draws try the little-known now and then, less as evidence grows", () => {
  // Pro is known to be good (200 attempts at 93); the others have only their catalog priors.
  const known = [
    row("gemini-3.1-pro-preview", "simple", 93, 200),
    row("gemini-3.1-pro-preview", "progressive", 93, 200),
  ];
  const options = { tier: "premium" as const, ranking: known, providers: new Set(["gemini", "openai"]) };
  assert.equal(first(plan(NEW_APP, options)), "gemini-3.1-pro-preview");

  const random = seededRandom(7);
  const departures = (ranking: RankingRow[]) => {
    let differed = 0;
    for (let i = 0; i < 2_000; i++) {
      const outcome = plan(NEW_APP, { ...options, ranking, explore: true, random });
      assert.ok(outcome.ok);
      const departed = outcome.strategies[0].model !== "gemini-3.1-pro-preview";
      if (departed) {
        assert.ok(outcome.explored, "only a draw departs from what the means choose");
        differed++;
      }
    }
    return differed / 2_000;
  };
  // Plain Thompson sampling: six strategies that each hold only the catalog's prior (5 attempts' worth)
  // together draw above the known one's 93 on most plans (about 0.6) — but not on every one.
  const uncertain = departures(known);
  assert.ok(uncertain > 0 && uncertain < 0.75, `the little-known models were tried on ${uncertain} of plans`);
  const settled = departures([
    ...known,
    ...["gemini-3.8-flash", "gemini-3.5-flash-lite", "small-cloud"].flatMap((model) => [
      row(model, "simple", 80, 200),
      row(model, "progressive", 80, 200),
    ]),
  ]);
  assert.ok(settled < 0.01, `once they are known to be worse, they are hardly tried: ${settled}`);

  for (let i = 0; i < 500; i++) {
    const outcome = plan(NEW_APP, { ...options, explore: false, random });
    assert.ok(outcome.ok && !outcome.explored && outcome.strategies[0].model === "gemini-3.1-pro-preview");
  }
});

Deno.test("balanced: a cheaper strategy must clear the bar on a sharper draw, so a doubtful one is tried less", () => {
  // Pro is known at 90 (the bar: 0.9 × the best draw, about 81); flash-lite is known to be far under it.
  const costing = (entry: RankingRow, usd: number) => ({ ...entry, mean_cost_usd: usd, cost_samples: 100 });
  const known = (flash: number, evidence: number) =>
    ["simple", "progressive"].flatMap((approach) => [
      costing(row("gemini-3.1-pro-preview", approach, 90, 200), 0.01),
      costing(row("gemini-3.5-flash-lite", approach, 50, 200), 0.0005),
      costing(row("gemini-3.8-flash", approach, flash, evidence), 0.002),
    ]);
  const random = seededRandom(3);
  const flashShare = (ranking: RankingRow[], clearSharpness: number) => {
    let chosen = 0;
    for (let i = 0; i < 2_000; i++) {
      const outcome = plan(NEW_APP, {
        tier: "balanced",
        ranking,
        providers: GEMINI_ONLY,
        explore: true,
        random,
        policy: { clearSharpness },
      });
      if (first(outcome) === "gemini-3.8-flash") chosen++;
    }
    return chosen / 2_000;
  };
  // Flash has 12 attempts at 76: maybe good enough, probably not (its two approaches, two chances).
  const plain = flashShare(known(76, 12), 1);
  const sharper = flashShare(known(76, 12), DEFAULT_POLICY.clearSharpness);
  assert.ok(
    sharper > 0 && sharper < plain * 0.75,
    `a doubtful flash first on ${sharper} of plans (plain ${plain})`,
  );
  // Known to clear the bar, it is the balanced choice nearly always.
  const good = flashShare(known(86, 200), DEFAULT_POLICY.clearSharpness);
  assert.ok(good > 0.95, `a flash known to be good enough first on ${good} of plans`);
});
