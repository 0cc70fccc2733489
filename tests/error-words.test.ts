// A failure of the database is answered in words and logged in full: no SQL text, relation or column
// name reaches the caller. A fresh worker (no copy of the catalog cached) finds the catalog table gone.

import assert from "node:assert/strict";
import { ROOT, startRouter } from "./support/processes.ts";
import { stackTest, userToken } from "./support/stack.ts";

stackTest(
  "a missing catalog table is answered in words, and the log has the database's own message",
  async (sql) => {
    const worker = await startRouter(`${ROOT}/supabase`, {});
    let log = "";
    await sql`alter table public.models rename to models_away`;
    try {
      const token = await userToken(crypto.randomUUID());
      const call = (path: string, init: RequestInit = {}) =>
        fetch(`${worker.base}/functions/v1/multi-model-orchestrator${path}`, {
          ...init,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        });
      const answers = [
        await call("", { method: "POST", body: JSON.stringify({ request: "Build a todo app" }) }),
        await call("/recommendations"),
        await call("/estimate", { method: "POST", body: JSON.stringify({ request: "Build a todo app" }) }),
      ];
      for (const answer of answers) {
        const body = await answer.json();
        assert.equal(answer.status, 503, JSON.stringify(body));
        assert.equal(body.error.code, "catalog_unavailable");
        assert.doesNotMatch(JSON.stringify(body), /relation|models_away|public\.|select|does not exist/i);
      }
    } finally {
      await sql`alter table public.models_away rename to models`;
      log = (await worker.stop()).log;
    }
    assert.match(log, /catalog_unavailable/);
    // (the log lines are JSON: the quotes come escaped)
    assert.match(log, /relation \\"public\.models\\" does not exist/, "the log keeps what the database said");
  },
);
