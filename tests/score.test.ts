// The first-version scorer: weighted 30/30/25/15, and each kind of damage lowers the dimension it
// belongs to. Projects come from the simulator's generator, intact and with one defect each.

import assert from "node:assert/strict";
import { profileTask } from "../supabase/functions/_shared/profile.ts";
import { scoreOutput } from "../supabase/functions/_shared/score.ts";
import { type Defect, DEFECTS, generateProject } from "../scripts/gemini-simulator/app-generator.ts";

const request = "Build a todo app with authentication, search and dark mode";
const profile = profileTask({ request });
const project = (defects: Defect[] = []) =>
  generateProject({ request, requirements: profile.requirements, defects: new Set(defects) });

const DIMENSION_OF: Record<Defect, "completeness" | "codeQuality" | "functionality" | "performance"> = {
  missing_manifest: "completeness",
  missing_requirement: "completeness",
  unresolved_import: "completeness",
  undeclared_package: "completeness",
  any_types: "codeQuality",
  unused_import: "codeQuality",
  console_log: "codeQuality",
  syntax_error: "codeQuality",
  unkeyed_list: "performance",
  effect_without_deps: "performance",
  dead_button: "functionality",
  form_without_submit: "functionality",
};

Deno.test("an intact project scores full marks with no issues", () => {
  const quality = scoreOutput(project(), profile);
  assert.deepEqual(quality.issues, []);
  assert.equal(quality.overall, 100);
});

Deno.test("each kind of damage lowers its own dimension and the overall score", () => {
  const intact = scoreOutput(project(), profile);
  for (const defect of DEFECTS) {
    const damaged = scoreOutput(project([defect]), profile);
    const dimension = DIMENSION_OF[defect];
    assert.ok(damaged[dimension] < intact[dimension], `${defect} lowers ${dimension}`);
    assert.ok(damaged.overall < intact.overall, `${defect} lowers the overall score`);
    assert.ok(damaged.issues.some((issue) => issue.dimension === dimension), `${defect} is reported`);
  }
});

Deno.test("overall is the 30/30/25/15 weighting of the dimensions", () => {
  const q = scoreOutput(project(["any_types", "dead_button", "unkeyed_list", "missing_manifest"]), profile);
  const expected = 0.3 * q.completeness + 0.3 * q.codeQuality + 0.25 * q.functionality + 0.15 * q.performance;
  assert.ok(Math.abs(q.overall - expected) < 0.05);
});

Deno.test("issues name the file and line", () => {
  const q = scoreOutput(project(["unresolved_import"]), profile);
  const issue = q.issues.find((i) => i.message.includes("./components/Footer"))!;
  assert.equal(issue.file, "src/App.tsx");
  assert.equal(issue.severity, "error");
  assert.ok(issue.line! > 1);
});

Deno.test("more damage, lower score", () => {
  const few = scoreOutput(project(["console_log", "any_types"]), profile).overall;
  const many = scoreOutput(project(DEFECTS), profile).overall;
  assert.ok(many < few && few < 100);
});

Deno.test("empty output scores zero", () => {
  assert.equal(scoreOutput([], profile).overall, 0);
  assert.equal(scoreOutput([{ path: "a.ts", content: "  " }], profile).overall, 0);
});
