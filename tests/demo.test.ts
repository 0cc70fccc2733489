// The sample orchestration `npm start` prints: its ranking lists only models of configured providers
// (the test stack simulates gemini alone, while the catalog holds others), says "-" where the database
// has no rate yet, and keeps every column apart however long a model's name.

import assert from "node:assert/strict";
import { runScript } from "./support/processes.ts";
import { asUser, stack, stackTest, userToken } from "./support/stack.ts";

stackTest("the demo's tables: configured providers only, '-' for no data, columns apart", async (sql) => {
  const { userId } = await asUser();
  const result = await runScript("demo.ts", ["--allow-net", "--allow-env", "--allow-read"], [
    "Build a todo app with authentication",
  ], {
    SUPABASE_URL: stack.url,
    SUPABASE_PUBLISHABLE_KEY: stack.publishableKey,
    SUPABASE_DB_URL: stack.dbUrl,
    SIMULATED_PROVIDERS: Deno.env.get("SIMULATED_PROVIDERS") ?? "",
    DEMO_USER_ID: userId,
    DEMO_USER_JWT: await userToken(userId),
  });
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.split("\n");
  const header = lines.findIndex((line) => line.trim().startsWith("rank"));
  assert.ok(header > 0, result.stdout);
  const rows = lines.slice(header + 1).filter((line) => /^\s+\d/.test(line)).map((line) =>
    line.trim().split(/ {2,}/)
  );
  assert.equal(rows.length, 5);
  const providers = new Map(
    (await sql`select model_id, provider from public.models`).map((row) => [row.model_id, row.provider]),
  );
  assert.ok(new Set(providers.values()).size > 1, "the catalog holds more than the configured provider");
  for (const [rank, model, approach, yours, others, success, quality, bound] of rows) {
    assert.ok(Number(rank) >= 1 && approach.length > 0 && Number(bound) >= 0, rows.join("\n"));
    assert.equal(providers.get(model), "gemini", `${model} is not of a configured provider`);
    const samples = Number(yours) + Number(others);
    if (samples === 0) assert.deepEqual([success, quality], ["-", "-"]);
    else assert.match(success, /^\d+%$/);
  }
  // the attempts table: the winner's row, its columns apart
  const attempt = lines.find((line) => /^\s+1\s{2,}gemini/.test(line));
  assert.ok(attempt, result.stdout);
  assert.equal(attempt.trim().split(/ {2,}/).length, 7);
});
