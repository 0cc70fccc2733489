// The planner orders (model, approach) strategies from the catalog, the task profile and the history.

import assert from "node:assert/strict";
import { GEMINI_MODELS } from "../supabase/functions/_shared/catalog.ts";
import { type HistoryRow, planStrategies } from "../supabase/functions/_shared/plan.ts";
import { profileTask } from "../supabase/functions/_shared/profile.ts";

const gemini = new Set(["gemini"]);
const plan = (request: string, history: HistoryRow[] = [], maxStrategies = 6) =>
  planStrategies(profileTask({ request }), GEMINI_MODELS, history, { maxStrategies, providers: gemini });

function row(model: string, approach: string, lowerBound: number, samples = 50): HistoryRow {
  return {
    model_name: model,
    provider: "gemini",
    approach,
    samples,
    prior_samples: 0,
    success_rate: 1,
    mean_quality: lowerBound + 5,
    quality_lower_bound: lowerBound,
    mean_duration_ms: 1000,
    mean_cost_usd: 0.01,
    rank: 1,
  };
}

Deno.test("a complex new app gets the strongest model first; a small style change the fast, cheap one", () => {
  assert.equal(
    plan("Build a complete project management platform with auth, charts and realtime")[0].model,
    "gemini-2.5-pro",
  );
  assert.equal(plan("Change button color to blue")[0].model, "gemini-2.5-flash-lite");
});

Deno.test("the plan is ordered by score and capped at maxStrategies", () => {
  const strategies = plan("Build a todo app with authentication", [], 4);
  assert.equal(strategies.length, 4);
  for (let i = 1; i < strategies.length; i++) assert.ok(strategies[i - 1].score >= strategies[i].score);
  assert.equal(plan("Build a todo app", [], 1).length, 1);
});

Deno.test("fallbacks prefer another model over another approach of the same model", () => {
  const [first, second] = plan("Build a todo app with authentication");
  assert.notEqual(first.model, second.model);
});

Deno.test("history outweighs the catalog prior once there is enough of it", () => {
  const request = "Build a todo app with authentication";
  const history = [
    row("gemini-2.5-flash-lite", "simple", 95),
    row("gemini-2.5-flash-lite", "progressive", 94),
    row("gemini-2.5-pro", "simple", 30),
    row("gemini-2.5-pro", "progressive", 30),
    row("gemini-2.5-flash", "simple", 35),
    row("gemini-2.5-flash", "progressive", 35),
  ];
  assert.notEqual(plan(request)[0].model, "gemini-2.5-flash-lite");
  assert.equal(plan(request, history)[0].model, "gemini-2.5-flash-lite");
  // Two samples are not enough to overturn the prior.
  const thin = history.map((h) => ({ ...h, samples: 2 }));
  assert.notEqual(plan(request, thin)[0].model, "gemini-2.5-flash-lite");
});

Deno.test("only models of configured providers are candidates", () => {
  const none = planStrategies(profileTask({ request: "Build a todo app" }), GEMINI_MODELS, [], {
    maxStrategies: 3,
    providers: new Set(["openai"]),
  });
  assert.deepEqual(none, []);
});
