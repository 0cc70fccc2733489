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

Deno.test("the rules read the request with its context", () => {
  const contextFiles = [{ path: "src/List.tsx", content: "export function List() { return null; }" }];
  const cases: Array<[string, string]> = [
    // Building something inside the project is an edit; appearance alone a restyle, a feature that
    // mentions its looks the feature.
    ["Create a settings page", "edit"],
    ["Make the cards rounder with a softer shadow", "style"],
    ["Add a favourites button to each card, styled like the share button", "edit"],
    // A described symptom or a pasted stack trace is a fix; tests are tests whatever the verb.
    ["the save button does nothing when I click it", "fix"],
    ["TypeError: Cannot read properties of undefined (reading 'map')\n    at List (List.tsx:12:5)", "fix"],
    ["Fix the flaky checkout test", "test"],
    // A question asks for an explanation unless it asks for a change.
    ["Can you explain what this reducer does?", "explain"],
    ["Can you add a reset action to this reducer?", "edit"],
    ["Extract the price formatting into a helper", "refactor"],
    ["Convert these class components to hooks", "refactor"],
  ];
  for (const [request, taskType] of cases) {
    assert.equal(profileTask({ request, contextFiles }).taskType, taskType, request);
  }
});

Deno.test("requirements come from the request, not from the context files alone", () => {
  const contextFiles = [{
    path: "src/Cart.tsx",
    content: "localStorage.setItem('cart', JSON.stringify(cart));",
  }];
  assert.deepEqual(profileTask({ request: "Add a footer", contextFiles }).requirements, []);
  assert.deepEqual(profileTask({ request: "Build a chat app, no login and no saving needed" }).requirements, [
    "realtime",
  ]);
});

Deno.test("confidence is high where one type has the evidence, low where two compete", () => {
  assert.ok(profileTask({ request: "Write unit tests for the cart reducer" }).taskTypeConfidence >= 0.5);
  assert.ok(profileTask({ request: "Why does this hook run twice?" }).taskTypeConfidence < 0.5);
});

Deno.test("complexity rises with scope, named requirements and enumerated features", () => {
  const restyle = profileTask({ request: "Change button color to blue" });
  // A bare small app is low (the corpus labels "todo app please" low); one substantial requirement makes it
  // medium and three or more high, as the labelling guide defines them.
  const smallApp = profileTask({ request: "Build a todo app" });
  const appWithSignIn = profileTask({ request: "Build a todo app with authentication" });
  const product = profileTask({
    request:
      "Build a complete e-commerce platform with user accounts, product search, a cart, Stripe payments, " +
      "order history, an admin dashboard with sales charts, dark mode and a responsive layout",
  });
  assert.equal(restyle.complexity, "low");
  assert.equal(smallApp.complexity, "low");
  assert.equal(appWithSignIn.complexity, "medium");
  assert.equal(product.complexity, "high");
  assert.ok(restyle.complexityScore < smallApp.complexityScore);
  assert.ok(smallApp.complexityScore < appWithSignIn.complexityScore);
  assert.ok(appWithSignIn.complexityScore < product.complexityScore);
  assert.deepEqual(product.requirements, [
    "auth",
    "persistence",
    "routing",
    "charts",
    "search",
    "payments",
    "responsive",
    "theming",
  ]);
});

Deno.test("the size of the work does not grow with the files a client sends", () => {
  // An app may send its whole project with every request: a one-line change stays one.
  const file = (n: number) => ({
    path: `src/components/Part${n}.tsx`,
    content: `export const Part${n} = 1;`,
  });
  for (const request of ["Change the button color to blue", "Fix the typo in the footer"]) {
    const one = profileTask({ request, contextFiles: [file(1)] });
    const twelve = profileTask({ request, contextFiles: Array.from({ length: 12 }, (_, n) => file(n)) });
    assert.equal(twelve.complexityScore, one.complexityScore, request);
    assert.equal(twelve.complexity, "low", request);
    assert.equal(twelve.contextFileCount, 12);
  }
});

Deno.test("words like 'simple' lower the complexity", () => {
  const plain = profileTask({ request: "Build a notes app with tags" });
  const simple = profileTask({ request: "Build a simple, small notes app with tags" });
  assert.ok(simple.complexityScore < plain.complexityScore);
});

Deno.test("requirements are read from the request", () => {
  const profile = profileTask({
    request: "Add charts, routing between pages and a login page to my dashboard",
  });
  assert.deepEqual(profile.requirements, ["auth", "routing", "charts"]);
  assert.deepEqual(profileTask({ request: "Change the title" }).requirements, []);
});

Deno.test("requirements a request implies: accounts keep data, a multi-page product has pages", () => {
  const requirementsOf = (request: string) => profileTask({ request }).requirements;
  assert.deepEqual(requirementsOf("Build a recipe app with user accounts"), ["auth", "persistence"]);
  // The sign-in page itself stores nothing of its own.
  assert.deepEqual(requirementsOf("create a login page with email and password"), ["auth", "forms"]);
  assert.ok(requirementsOf("Build an online shop for handmade candles").includes("routing"));
  assert.ok(requirementsOf("Add a reports page with revenue by month to the admin").includes("routing"));
  // A session lost on reload is the sign-in's; an upload to Supabase Storage alone is an upload.
  assert.deepEqual(requirementsOf("Session is lost every time I reload, user is null after refresh"), [
    "auth",
  ]);
  assert.deepEqual(requirementsOf("upload the avatar to supabase storage"), ["uploads"]);
});

Deno.test("readings of the fourth round: a design to match, one source of truth, a wrong output beside the right one", () => {
  const contextFiles = [{ path: "src/App.tsx", content: "export default function App() { return null; }" }];
  const cases: Array<[string, string]> = [
    // An overlap described in a design to reproduce is not a visual bug.
    [
      "match the mockup for the settings page: the avatar overlapping the banner, the name centered under it",
      "style",
    ],
    ["the tax helper exists in two places and they drift apart. make one source of truth", "refactor"],
    ["on the german shop prices come out as 1,234.50 € — should be 1.234,50 €", "fix"],
    // A question that asks for the change.
    ["can we get a sort dropdown above the orders table?", "edit"],
  ];
  for (const [request, taskType] of cases) {
    assert.equal(profileTask({ request, contextFiles }).taskType, taskType, request);
  }
  const requirements = (request: string) => profileTask({ request, contextFiles }).requirements;
  assert.ok(requirements("wrap the admin route handlers in a withAuth helper").includes("auth"));
  assert.ok(requirements("people on the same canvas should see each other's cursors").includes("realtime"));
  assert.deepEqual(requirements("format the amounts for en-US and de-DE"), ["i18n"]);
  // Cards dragged between lanes are no file upload.
  assert.deepEqual(
    requirements("a kanban board where you drag and drop cards between lanes, in memory is fine"),
    [],
  );
});
