// npm run catalog:sync — writes a new migration that brings public.models to the roster
// (scripts/catalog-roster.ts) at the prices and context windows @pydantic/genai-prices lists (the version
// the import map pins), as they stand at the start of the day (UTC). Migrations are append-only: each
// sync is a new file, sorting after every other; seal it with `npm run migrations:seal` once it lands.
//
// From the package: input_price_per_mtok and output_price_per_mtok (the first tier's rate where a price is
// tiered; the function itself prices every call with the package, tiers and dated prices included) and
// context_window (the roster's where the package lists none). Ours, from the roster: provider,
// display_name, max_output_tokens, speed, quality_prior, strengths, is_local — they seed a new row and an
// operator's later edits of them stay. Local models are ours alone (free); retired models are disabled.
//
//   deno run --allow-read --allow-write scripts/catalog-sync.ts [<migrations folder>]

import { calcPrice, type ModelPrice } from "@pydantic/genai-prices";
import { packageEntry } from "../supabase/functions/_shared/plan/prices.ts";
import denoConfig from "../supabase/functions/deno.json" with { type: "json" };
import { CURRENT, RETIRED, type RosterModel } from "./catalog-roster.ts";

export interface SyncedModel extends RosterModel {
  inputPricePerMTok: number;
  outputPricePerMTok: number;
  contextWindow: number;
  /** Where the package lists it ("provider:model", and how its price varies), or null for a local model. */
  listedAs: string | null;
}

/** The version of the package the import map pins. */
export const PACKAGE_VERSION = denoConfig.imports["@pydantic/genai-prices"].split("@").at(-1)!;

/** The columns hold prices to four decimals. */
const perMTok = (price: ModelPrice[string]) =>
  Math.round((typeof price === "object" ? price.base : price ?? 0) * 1e4) / 1e4;

/** The roster with what the package lists for each model at `at`; a cloud model it does not list, or
 * lists as deprecated, stops the sync. */
export function syncedCatalog(roster: RosterModel[], at: Date): SyncedModel[] {
  return roster.map((model) => {
    if (model.isLocal) {
      if (!model.contextWindow) throw new Error(`${model.id}: a local model needs its context window`);
      return {
        ...model,
        inputPricePerMTok: 0,
        outputPricePerMTok: 0,
        contextWindow: model.contextWindow,
        listedAs: null,
      };
    }
    const entry = packageEntry(model);
    const listed = entry &&
      calcPrice({ input_tokens: 0, output_tokens: 0 }, entry.modelId, {
        provider: entry.provider,
        timestamp: at,
      });
    if (!listed) throw new Error(`${model.id} (${model.provider}) is not in @pydantic/genai-prices`);
    if (listed.model.deprecated) throw new Error(`${model.id} is deprecated in the package: retire it`);
    const contextWindow = listed.model.context_window ?? model.contextWindow;
    if (!contextWindow) throw new Error(`${model.id}: the package lists no context window; give one`);
    const tiers = Object.values(listed.model_price).flatMap((price) =>
      typeof price === "object" ? price.tiers.map((tier) => tier.start) : []
    );
    const varies = [
      ...tiers.length ? [`dearer past ${Math.min(...tiers)} input tokens of a call`] : [],
      ...Array.isArray(listed.model.prices) ? ["its price changes with the date or the hour"] : [],
    ];
    return {
      ...model,
      inputPricePerMTok: perMTok(listed.model_price.input_mtok),
      outputPricePerMTok: perMTok(listed.model_price.output_mtok),
      contextWindow,
      listedAs: `${listed.provider.id}:${listed.model.id}${varies.length ? ` (${varies.join("; ")})` : ""}`,
    };
  });
}

const text = (value: string) => `'${value.replaceAll("'", "''")}'`;

function row(model: SyncedModel): string {
  const { id, provider, displayName, speed } = model;
  const head = [
    text(id),
    text(provider),
    text(displayName),
    model.inputPricePerMTok,
    model.outputPricePerMTok,
  ];
  const limits = [model.contextWindow, model.maxOutputTokens, text(speed), model.qualityPrior];
  return `  (${head.join(", ")},\n   ${limits.join(", ")},\n   ${
    text(JSON.stringify(model.strengths))
  }, ${model.isLocal})`;
}

const COLUMNS = "(model_id, provider, display_name, input_price_per_mtok, output_price_per_mtok,\n" +
  "  context_window, max_output_tokens, speed, quality_prior, strengths, is_local)";

/** The migration: upsert the package's columns of the listed models, insert the local ones when new,
 * disable the retired ones. */
export function migrationSql(models: SyncedModel[], retired: string[], at: Date): string {
  const listed = models.filter((model) => model.listedAs);
  const local = models.filter((model) => !model.listedAs);
  const day = at.toISOString().slice(0, 10);
  return [
    `-- Written by \`npm run catalog:sync\` (scripts/catalog-sync.ts): the catalog of scripts/catalog-roster.ts`,
    `-- at the prices and context windows @pydantic/genai-prices ${PACKAGE_VERSION} lists on ${day} (UTC).`,
    `-- The package's columns (prices, context window) are brought up to date; the roster's (provider,`,
    `-- display_name, max_output_tokens, speed, quality_prior, strengths, is_local) only seed new rows.`,
    "",
    ...listed.map((model) => `-- ${model.id}: ${model.listedAs}`),
    `insert into public.models ${COLUMNS}`,
    "values",
    listed.map(row).join(",\n"),
    "on conflict (model_id) do update set",
    "  input_price_per_mtok = excluded.input_price_per_mtok,",
    "  output_price_per_mtok = excluded.output_price_per_mtok,",
    "  context_window = excluded.context_window;",
    "",
    "-- local models (Ollama): free, and ours alone",
    `insert into public.models ${COLUMNS}`,
    "values",
    local.map(row).join(",\n"),
    "on conflict (model_id) do nothing;",
    "",
    "-- superseded: kept for the history, no longer planned",
    "update public.models set enabled = false where enabled and model_id in (",
    `  ${retired.map(text).join(",\n  ")}`,
    ");",
    "",
  ].join("\n");
}

/** A migration's name for `now`: its UTC timestamp, which must sort after every migration there is. */
export function migrationName(existing: string[], now: Date): string {
  const stamp = now.toISOString().replace(/\D/g, "").slice(0, 14);
  const name = `${stamp}_catalog_sync.sql`;
  const later = existing.filter((other) => other >= name);
  if (later.length > 0) {
    throw new Error(`${name} would not sort last (${later.join(", ")} sorts after it): is the clock right?`);
  }
  return name;
}

/** Writes the migration into `folder` and returns its path. */
export async function writeSyncMigration(folder: string, now: Date): Promise<string> {
  const existing = [...Deno.readDirSync(folder)].map((entry) => entry.name).filter((name) =>
    name.endsWith(".sql")
  );
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const path = `${folder}/${migrationName(existing, now)}`;
  await Deno.writeTextFile(path, migrationSql(syncedCatalog(CURRENT, day), RETIRED, day), {
    createNew: true,
  });
  return path;
}

if (import.meta.main) {
  const folder = Deno.args[0] ?? new URL("../supabase/migrations", import.meta.url).pathname;
  try {
    const path = await writeSyncMigration(folder, new Date());
    console.log(`wrote ${path}; seal it with \`npm run migrations:seal\` once it lands`);
  } catch (error) {
    console.error(`catalog:sync: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
