// The profiler reads task type, complexity and requirements from several signals.

import assert from "node:assert/strict";
import { profileTask } from "../supabase/functions/_shared/plan/profile.ts";

Deno.test("task types from what the request asks for", () => {
  const cases: Array<[string, string]> = [
    ["Build a todo app with authentication", "generation"],
    ["Fix the TypeError: cannot read properties of undefined in the login form", "fix"],
    ["Explain how the useEffect in this hook works", "explain"],
    ["Refactor the API layer to remove duplication", "refactor"],
    ["Write unit tests for the cart reducer", "test"],
    ["Make the header background dark blue with more padding", "style"],
    ["Rename the submit button to Save and move it to the right", "edit"],
  ];
  for (const [request, taskType] of cases) assert.equal(profileTask({ request }).taskType, taskType, request);
});

Deno.test("existing code makes a change likelier than new work", () => {
  const request = "Add a delete button to each row";
  const files = [{ path: "src/List.tsx", content: "export function List() { return null; }" }];
  assert.equal(profileTask({ request, contextFiles: files }).taskType, "edit");
  assert.equal(profileTask({ request, contextFiles: files }).contextFileCount, 1);
});

Deno.test("complexity rises with scope, named requirements and enumerated features", () => {
  const low = profileTask({ request: "Change button color to blue" });
  const medium = profileTask({ request: "Build a todo app" });
  const high = profileTask({ request: "Build a todo app with authentication" });
  const highest = profileTask({
    request:
      "Build a complete e-commerce platform with user accounts, product search, a cart, Stripe payments, " +
      "order history, an admin dashboard with sales charts, dark mode and a responsive layout",
  });
  assert.equal(low.complexity, "low");
  assert.equal(medium.complexity, "medium");
  assert.equal(high.complexity, "high");
  assert.equal(highest.complexity, "high");
  assert.ok(low.complexityScore < medium.complexityScore);
  assert.ok(medium.complexityScore < high.complexityScore);
  assert.ok(high.complexityScore < highest.complexityScore);
  assert.deepEqual(highest.requirements, ["auth", "charts", "search", "payments", "responsive", "theming"]);
});

Deno.test("words like 'simple' lower the complexity", () => {
  const plain = profileTask({ request: "Build a notes app with tags" });
  const simple = profileTask({ request: "Build a simple, small notes app with tags" });
  assert.ok(simple.complexityScore < plain.complexityScore);
});

Deno.test("requirements are read from the request", () => {
  const profile = profileTask({
    request: "Create a dashboard with charts, routing between pages and a login page",
  });
  assert.deepEqual(profile.requirements, ["auth", "routing", "charts"]);
  assert.deepEqual(profileTask({ request: "Change the title" }).requirements, []);
});
