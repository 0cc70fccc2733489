// A small catalog and planned strategies for tests of the planner, the runner and the winner: the three
// Gemini models of the roster, priced as the catalog sync's migration has them, a free local model and a cheap cloud one.

import type { CatalogModel } from "../../supabase/functions/_shared/plan/catalog.ts";
import type { Approach } from "../../supabase/functions/_shared/contract.ts";
import type { PlannedStrategy } from "../../supabase/functions/_shared/plan/planner.ts";
import { CURRENT } from "../../scripts/catalog-roster.ts";

/** A model of the roster (scripts/catalog-roster.ts) with the prices and window the sync gave it. */
function rosterModel(id: string, prices: Pick<CatalogModel, "inputPricePerMTok" | "outputPricePerMTok">) {
  const model = CURRENT.find((entry) => entry.id === id)!;
  return { ...model, ...prices, contextWindow: model.contextWindow ?? 1_000_000 };
}

export const CATALOG: CatalogModel[] = [
  rosterModel("gemini-3.1-pro-preview", { inputPricePerMTok: 2, outputPricePerMTok: 12 }),
  rosterModel("gemini-3.8-flash", { inputPricePerMTok: 0.75, outputPricePerMTok: 3.75 }),
  rosterModel("gemini-3.5-flash-lite", { inputPricePerMTok: 0.3, outputPricePerMTok: 2.5 }),
  {
    id: "local-coder",
    provider: "ollama",
    displayName: "A local model",
    inputPricePerMTok: 0,
    outputPricePerMTok: 0,
    contextWindow: 32_768,
    maxOutputTokens: 8_192,
    speed: "medium",
    qualityPrior: 6.2,
    strengths: { generation: 0.5, style: 0.8 },
    isLocal: true,
  },
  {
    id: "small-cloud",
    provider: "openai",
    displayName: "A small cloud model",
    inputPricePerMTok: 0.15,
    outputPricePerMTok: 0.6,
    contextWindow: 8_000,
    maxOutputTokens: 4_096,
    speed: "fast",
    qualityPrior: 7,
    strengths: {},
    isLocal: false,
  },
];

/** A planned strategy with a nominal expectation and estimate. */
export function planned(model: string, approach: Approach = "simple"): PlannedStrategy {
  return {
    model,
    provider: CATALOG.find((entry) => entry.id === model)?.provider ?? "gemini",
    approach,
    expectedQuality: 0.8,
    evidence: 5,
    isLocal: false,
    estimate: {
      inputTokens: 1_000,
      outputTokens: 4_000,
      calls: 1,
      costUsd: 0.01,
      basis: "tokens",
      maxCostUsd: 0.1,
      minCallUsd: 0.02,
    },
  };
}
