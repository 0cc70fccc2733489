// The pure parts of bench:replay's per-request router (bench/replay/per-request.ts): hashed n-gram vectors
// and their cosine, the inverse document frequency, the kNN vote, the posterior it feeds, and the
// generator's prompts (seeded; with a topic effect of 0 every other column is the shipped set's).

import assert from "node:assert/strict";
import { generateOutcomes } from "../bench/replay/generate-outcomes.ts";
import { parseOutcomes } from "../bench/replay/outcomes.ts";
import { neighbourVote, posterior, routeOffline } from "../bench/replay/per-request.ts";
import {
  cosine,
  DocumentFrequencies,
  gramCounts,
  promptGrams,
  promptVector,
} from "../bench/replay/prompt-vectors.ts";

const vector = (text: string) => promptVector(gramCounts(text));

Deno.test("prompt vectors: unit length, cosine 1 with itself, closer for a shared topic", () => {
  assert.deepEqual(promptGrams("Fix auth"), [
    "w:fix",
    "c: fi",
    "c:fix",
    "c:ix ",
    "w:auth",
    "b:fix auth",
    "c: au",
    "c:aut",
    "c:uth",
    "c:th ",
  ]);
  const login = vector("Fix the login form in src/auth/LoginForm.tsx with supabase auth");
  assert.ok(Math.abs(cosine(login, login) - 1) < 1e-6);
  const signup = vector("The sign-up page breaks: supabase auth throws in src/auth/useUser.ts");
  const chart = vector("The revenue chart breaks: recharts throws in src/charts/RevenueChart.tsx");
  assert.ok(cosine(login, signup) > cosine(login, chart), "the auth prompts are nearer each other");
  assert.equal(cosine(vector(""), login), 0, "a prompt with no words is like nothing");
});

Deno.test("inverse document frequency damps what every prompt says", () => {
  const frequencies = new DocumentFrequencies();
  const texts = ["please fix the login form", "please fix the revenue chart", "please fix the cart store"];
  for (const text of texts) frequencies.add(gramCounts(text));
  const [login, chart] = texts.map((text) => promptVector(gramCounts(text), frequencies.idf));
  const [plainLogin, plainChart] = texts.map((text) => promptVector(gramCounts(text)));
  assert.ok(cosine(login, chart) < cosine(plainLogin, plainChart));
});

Deno.test("kNN vote: per model its k most similar past prompts above the threshold; posterior blends", () => {
  const query = vector("fix the login form with supabase auth");
  const past = [
    { vector: vector("fix the login form with clerk"), model: "a", quality: 1 },
    { vector: vector("the login form with supabase auth is broken"), model: "a", quality: 0 },
    { vector: vector("fix the login form with supabase auth please"), model: "a", quality: 1 },
    { vector: vector("a revenue chart in recharts"), model: "b", quality: 1 },
    { vector: vector("login form with supabase auth fails"), model: "b", quality: 0 },
  ];
  const votes = neighbourVote(query, past, 2, 0.3);
  assert.deepEqual(votes.get("a"), { count: 2, quality: 0.5 }, "the two nearest of a's three");
  assert.deepEqual(votes.get("b"), { count: 1, quality: 0 }, "the chart prompt is no neighbour");
  // no vote: the task type's Beta(1 + 8, 1 + 2); a vote: that capped at 4 attempts, plus the vote
  assert.deepEqual(posterior(8, 10, undefined, 4), { mean: 0.75, evidence: 12 });
  assert.deepEqual(posterior(8, 10, { count: 4, quality: 0 }, 4), { mean: 0.375, evidence: 8 });
});

Deno.test("generated prompts: seeded, on every row, and the outcomes unchanged at topic effect 0", () => {
  const plain = generateOutcomes({ seed: 5, promptsPerTaskType: 30 });
  const withPrompts = generateOutcomes({ seed: 5, promptsPerTaskType: 30, prompts: { topicEffect: 0 } });
  assert.equal(
    withPrompts,
    generateOutcomes({ seed: 5, promptsPerTaskType: 30, prompts: { topicEffect: 0 } }),
  );
  const lines = withPrompts.trim().split("\n");
  assert.equal(lines[0], `${plain.split("\n")[0]},prompt`);
  assert.deepEqual(lines.map((line) => line.split(",").slice(0, 8).join(",")), plain.trim().split("\n"));
  const parsed = parseOutcomes(withPrompts);
  assert.ok(parsed.prompts.every((prompt) => (prompt.text ?? "").length > 20));
  assert.ok(new Set(parsed.prompts.map((prompt) => prompt.text)).size > 60, "prompts vary");
  const shifted = parseOutcomes(
    generateOutcomes({ seed: 5, promptsPerTaskType: 30, prompts: { topicEffect: 0.2 } }),
  );
  const truths = (outcomes: typeof parsed) =>
    new Set(
      outcomes.prompts.filter((p) => p.taskType === "edit").map((p) =>
        p.outcomes.get("gemini-flash")!.expectedQuality
      ),
    );
  assert.equal(truths(parsed).size, 1, "without an effect the leader's truth is one number");
  assert.ok(truths(shifted).size > 1, "with one, it depends on the topic");
  const routed = routeOffline({ outcomes: parsed, tier: "premium", seed: 1, router: "per-request" });
  assert.equal(routed.length, parsed.prompts.length);
});
