// How a result is judged after the run, without a model: its confidence from the four parts, what the
// outputs disagree on and how much they agree, and what a refinement round is sent.

import assert from "node:assert/strict";
import type { GeneratedFile, Quality, Verification } from "../supabase/functions/_shared/contract.ts";
import { profileTask } from "../supabase/functions/_shared/plan/profile.ts";
import { REFINE_LIMITS, refinePrompt } from "../supabase/functions/_shared/run/prompts.ts";
import { confidenceOf } from "../supabase/functions/_shared/score/confidence.ts";
import { agreement, conflictsOf, structureOf } from "../supabase/functions/_shared/score/structure.ts";

const verdict = (value: Verification["verdict"], refinedAfter = false): Verification => ({
  model: "m",
  provider: "p",
  verdict: value,
  issues: [],
  summary: "",
  costUsd: 0,
  refinedAfter,
});

Deno.test("confidence: 0.4 score + 0.2 margin + 0.15 agreement + 0.25 verification", () => {
  const alone = confidenceOf({ winnerScore: 80, runnerUpScore: null, agreement: null, verification: null });
  assert.deepEqual(alone.confidenceParts, { score: 0.8, margin: 0.5, agreement: 0.5, verification: 0.5 });
  assert.equal(alone.confidence, 0.62);
  assert.equal(alone.needsReview, false);

  const close = confidenceOf({
    winnerScore: 80,
    runnerUpScore: 78,
    agreement: 0.2,
    verification: verdict("fail"),
  });
  assert.deepEqual(close.confidenceParts, { score: 0.8, margin: 0.1, agreement: 0.2, verification: 0 });
  assert.equal(close.confidence, 0.37);
  assert.equal(close.needsReview, true, "below 0.5 a person should look");

  const parts = (v: Verification) =>
    confidenceOf({ winnerScore: 90, runnerUpScore: 50, agreement: 1, verification: v }).confidenceParts;
  assert.deepEqual(
    [
      parts(verdict("pass")),
      parts(verdict("uncertain")),
      parts(verdict("fail", true)),
      parts(verdict("unavailable")),
    ]
      .map((p) => p.verification),
    [1, 0.5, 0.4, 0.25],
  );
  assert.equal(parts(verdict("pass")).margin, 1, "a lead of 20 points or more is all the margin there is");
  const best = confidenceOf({
    winnerScore: 100,
    runnerUpScore: 0,
    agreement: 1,
    verification: verdict("pass"),
  });
  assert.equal(best.confidence, 1);
});

const quality = (issues: Quality["issues"] = []): Quality => ({
  overall: 80,
  completeness: 80,
  codeQuality: 80,
  functionality: 80,
  performance: 80,
  issues,
});
const manifest = (dependencies: Record<string, string>): GeneratedFile => ({
  path: "package.json",
  content: JSON.stringify({ dependencies }),
});

Deno.test("conflicts: state libraries, requirements, dependencies, routes and layouts that differ", () => {
  const profile = profileTask({ request: "Build a todo app with authentication and dark mode" });
  assert.ok(profile.requirements.includes("auth"), profile.requirements.join());
  const zustand = structureOf(
    "model-a",
    [
      manifest({ react: "1", zustand: "4" }),
      {
        path: "src/store.ts",
        content: 'import { create } from "zustand";\nexport const useStore = create(() => ({}));',
      },
      {
        path: "src/App.tsx",
        content: '<Route path="/login" element={<Login />} />\nexport default function App() {}',
      },
    ],
    profile,
    quality(),
  );
  const redux = structureOf(
    "model-b",
    [
      manifest({ react: "1", "@reduxjs/toolkit": "2" }),
      { path: "app/store.ts", content: 'import { configureStore } from "@reduxjs/toolkit";' },
      { path: "app/main.tsx", content: "export default function Main() {}" },
    ],
    profile,
    quality([{
      rule: "missing-requirement",
      dimension: "completeness",
      severity: "error",
      message: 'requirement "auth" is not implemented',
    }]),
  );
  const conflicts = conflictsOf([zustand, redux]);
  const byAspect = Object.fromEntries(conflicts.map((c) => [c.aspect, c.message]));
  assert.equal(
    byAspect.stateLibrary,
    "outputs disagree on the state library: zustand (model-a) vs redux (model-b)",
  );
  assert.equal(byAspect.requirement, "only one output implements auth (model-a)");
  assert.match(byAspect.dependencies, /model-a: zustand; model-b: @reduxjs\/toolkit/);
  assert.match(byAspect.routes, /model-a: \/login/);
  assert.match(byAspect.files, /model-a 3 files, model-b 3 files, 1 in common/);

  assert.deepEqual(conflictsOf([zustand]), [], "one output disagrees with nobody");
  assert.deepEqual(conflictsOf([zustand, zustand]), []);
  assert.equal(agreement(zustand, zustand), 1);
  assert.ok(agreement(zustand, redux) < 0.5, String(agreement(zustand, redux)));
});

Deno.test("a refinement prompt carries the files, and at most 40 issues of at most 300 characters", () => {
  const input = {
    request: "Fix the app",
    profile: profileTask({ request: "Fix the app" }),
    contextFiles: [],
  };
  const files = [{ path: "src/App.tsx", content: "export default function App( {" }];
  const issues = Array.from({ length: 60 }, (_, i) => ({
    file: "src/App.tsx",
    line: i + 1,
    severity: "error",
    message: `problem ${i} ${"x".repeat(400)}`,
  }));
  const prompt = refinePrompt(input, files, issues);
  assert.ok(prompt.includes("### src/App.tsx\n```\nexport default function App( {\n```"));
  const listed = prompt.split("\n").filter((line) => line.startsWith("- (error) src/App.tsx:"));
  assert.equal(listed.length, REFINE_LIMITS.issues);
  assert.ok(listed.every((line) => line.length <= REFINE_LIMITS.issueChars));
  assert.ok(listed[0].startsWith("- (error) src/App.tsx:1: problem 0"));
});
