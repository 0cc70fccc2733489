// npm run catalog:sync (scripts/catalog-sync.ts): the catalog's prices and context windows as
// @pydantic/genai-prices lists them, our own columns from the roster, written as a new migration that
// upserts them; and the migrated catalog holds what the package says.

import assert from "node:assert/strict";
import { calcPrice, findProvider } from "@pydantic/genai-prices";
import { CURRENT, RETIRED, type RosterModel } from "../scripts/catalog-roster.ts";
import { migrationName, migrationSql, syncedCatalog, writeSyncMigration } from "../scripts/catalog-sync.ts";
import { stackTest } from "./support/stack.ts";

const DAY = new Date("2026-12-01T00:00:00Z");
const roster = (id: string) => CURRENT.find((model) => model.id === id)!;

/** What the package says, asked directly: its rate per million tokens below any tier (to the columns' four
 * decimals), its context window. */
function packageSays(providerId: string, modelId: string) {
  const price = (usage: Record<string, number>) =>
    Math.round(calcPrice(usage, modelId, { providerId, timestamp: DAY })!.total_price * 1e7) / 1e4;
  const listed = findProvider({ providerId })!.models.find((model) => model.id === modelId)!;
  return {
    inputPricePerMTok: price({ input_tokens: 1_000 }),
    outputPricePerMTok: price({ output_tokens: 1_000 }),
    contextWindow: listed.context_window,
  };
}

const NAMED = [
  { id: "gemini-3.8-flash", providerId: "google", listedAs: "gemini-3.8-flash" },
  { id: "claude-sonnet-5", providerId: "anthropic", listedAs: "claude-sonnet-5" },
  { id: "gpt-6-sol", providerId: "openai", listedAs: "gpt-6-sol" },
  { id: "qwen3.7-plus", providerId: "openrouter", listedAs: "qwen/qwen3.7-plus" },
];

Deno.test("the sync copies prices and context windows from the package, the rest from the roster", () => {
  const synced = syncedCatalog(CURRENT, DAY);
  for (const { id, providerId, listedAs } of NAMED) {
    const model = synced.find((entry) => entry.id === id)!;
    const says = packageSays(providerId, listedAs);
    assert.ok(says.contextWindow, `${id}: the package lists a context window`);
    assert.deepEqual(
      [model.inputPricePerMTok, model.outputPricePerMTok, model.contextWindow],
      [says.inputPricePerMTok, says.outputPricePerMTok, says.contextWindow],
      id,
    );
    const { maxOutputTokens, speed, qualityPrior, strengths, isLocal } = roster(id);
    assert.deepEqual(
      { maxOutputTokens, speed, qualityPrior, strengths, isLocal },
      {
        maxOutputTokens: model.maxOutputTokens,
        speed: model.speed,
        qualityPrior: model.qualityPrior,
        strengths: model.strengths,
        isLocal: model.isLocal,
      },
    );
  }
  // Tiered: the first tier's rate. No context window in the package: the roster's.
  const pro = synced.find((entry) => entry.id === "gemini-3.1-pro-preview")!;
  assert.deepEqual([pro.inputPricePerMTok, pro.outputPricePerMTok], [2, 12]);
  assert.equal(packageSays("google", "gemini-3.1-pro-preview").contextWindow, undefined);
  assert.equal(pro.contextWindow, roster(pro.id).contextWindow);
  // Local models are free, and ours alone.
  for (const local of synced.filter((entry) => entry.isLocal)) {
    assert.deepEqual([local.inputPricePerMTok, local.outputPricePerMTok, local.listedAs], [0, 0, null]);
  }
});

Deno.test("the sync stops at a cloud model the package does not list, or lists as deprecated", () => {
  const base = roster("gemini-3.8-flash");
  const as = (id: string): RosterModel[] => [{ ...base, id }];
  assert.throws(() => syncedCatalog(as("gemini-9-imaginary"), DAY), /not in @pydantic\/genai-prices/);
  assert.throws(() => syncedCatalog(as("gemini-2.5-flash-preview"), DAY), /deprecated/);
});

Deno.test("a sync migration is named for its moment and must sort after every migration", () => {
  const now = new Date("2026-12-01T11:10:36Z");
  assert.equal(migrationName(["20261201004000_x.sql"], now), "20261201111036_catalog_sync.sql");
  assert.throws(() => migrationName(["20261201120000_later.sql"], now), /would not sort last/);
});

stackTest("the migration the sync writes upserts what the package says", async (sql) => {
  const folder = await Deno.makeTempDir();
  try {
    const path = await writeSyncMigration(folder, new Date("2026-12-01T11:10:36Z"));
    const migration = await Deno.readTextFile(path);
    await sql.begin(async (tx) => {
      // A catalog gone stale: wrong prices and context windows, an operator's own prior, a retired model on.
      await tx`update public.models set input_price_per_mtok = 99, output_price_per_mtok = 99,
        context_window = 1, quality_prior = 1 where model_id = ${"gpt-6-sol"}`;
      await tx`update public.models set enabled = true where model_id = ${RETIRED[0]}`;
      await tx`delete from public.models where model_id = ${"claude-sonnet-5"}`;
      await tx.unsafe(migration);
      const synced = syncedCatalog(CURRENT, DAY);
      for (const { id } of NAMED) {
        const [row] = await tx`select * from public.models where model_id = ${id}`;
        const want = synced.find((model) => model.id === id)!;
        assert.deepEqual(
          [
            Number(row.input_price_per_mtok),
            Number(row.output_price_per_mtok),
            row.context_window,
            row.enabled,
          ],
          [want.inputPricePerMTok, want.outputPricePerMTok, want.contextWindow, true],
          id,
        );
      }
      const [solPrior] = await tx`select quality_prior from public.models where model_id = ${"gpt-6-sol"}`;
      assert.equal(Number(solPrior.quality_prior), 1, "an existing row keeps our columns as they were");
      const [sonnet] =
        await tx`select quality_prior, strengths from public.models where model_id = ${"claude-sonnet-5"}`;
      assert.deepEqual(
        [Number(sonnet.quality_prior), sonnet.strengths],
        [roster("claude-sonnet-5").qualityPrior, roster("claude-sonnet-5").strengths],
        "a new row takes the roster's",
      );
      const [retired] = await tx`select enabled from public.models where model_id = ${RETIRED[0]}`;
      assert.equal(retired.enabled, false);
      throw new Rollback();
    }).catch((error) => {
      if (!(error instanceof Rollback)) throw error;
    });
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

class Rollback extends Error {}

Deno.test("the latest sync migration is what the sync writes from the roster and the package", async () => {
  const folder = new URL("../supabase/migrations/", import.meta.url);
  const latest = [...Deno.readDirSync(folder)].map((entry) => entry.name)
    .filter((name) => name.endsWith("_catalog_sync.sql")).sort().at(-1)!;
  const stamp = latest.slice(0, 8);
  const day = new Date(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T00:00:00Z`);
  assert.equal(
    await Deno.readTextFile(new URL(latest, folder)),
    migrationSql(syncedCatalog(CURRENT, day), RETIRED, day),
    "the roster or the package changed: run npm run catalog:sync",
  );
});

stackTest("the migrated catalog holds what the package says", async (sql) => {
  const synced = syncedCatalog(CURRENT, DAY);
  const rows = await sql`select model_id, input_price_per_mtok, output_price_per_mtok, context_window
    from public.models where enabled order by model_id`;
  assert.deepEqual(rows.map((row) => row.model_id), synced.map((model) => model.id).sort());
  for (const row of rows) {
    const want = synced.find((model) => model.id === row.model_id)!;
    assert.deepEqual(
      [Number(row.input_price_per_mtok), Number(row.output_price_per_mtok), row.context_window],
      [want.inputPricePerMTok, want.outputPricePerMTok, want.contextWindow],
      row.model_id,
    );
  }
});
