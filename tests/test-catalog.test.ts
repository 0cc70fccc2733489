// The planner's tests use a copy of the seeded catalog (tests/support/planning.ts): the models it shares
// with the migrations must be exactly as the migrated database has them.

import assert from "node:assert/strict";
import { createPostgresStore } from "../supabase/functions/_shared/store/postgres.ts";
import { CATALOG } from "./support/planning.ts";
import { stack } from "./support/stack.ts";

Deno.test("the tests' catalog copy matches the migrated catalog", async () => {
  const store = createPostgresStore(stack.dbUrl, { requests: 1, records: 1 });
  try {
    const migrated = await store.readCatalog();
    const shared = CATALOG.filter((model) => migrated.some((entry) => entry.id === model.id));
    assert.ok(shared.length >= 3, "the copy holds the seeded Gemini models");
    for (const model of shared) assert.deepEqual(model, migrated.find((entry) => entry.id === model.id));
  } finally {
    await store.close();
  }
});
