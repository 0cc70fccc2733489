// A small catalog and planned strategies for tests of the planner, the runner and the winner: the three
// Gemini models as the catalog sync's migration has them, a free local model and a cheap cloud one.

import type { CatalogModel } from "../../supabase/functions/_shared/plan/catalog.ts";
import type { Approach } from "../../supabase/functions/_shared/contract.ts";
import type { PlannedStrategy } from "../../supabase/functions/_shared/plan/planner.ts";

export const CATALOG: CatalogModel[] = [
  {
    id: "gemini-3.1-pro-preview",
    provider: "gemini",
    displayName: "Gemini 3.1 Pro (preview)",
    inputPricePerMTok: 2,
    outputPricePerMTok: 12,
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    speed: "slow",
    qualityPrior: 9.4,
    strengths: {
      generation: 0.96,
      refactor: 0.92,
      fix: 0.92,
      explain: 0.92,
      test: 0.88,
      edit: 0.78,
      style: 0.72,
    },
    isLocal: false,
  },
  {
    id: "gemini-3.8-flash",
    provider: "gemini",
    displayName: "Gemini 3.8 Flash",
    inputPricePerMTok: 0.75,
    outputPricePerMTok: 3.75,
    contextWindow: 1_000_000,
    maxOutputTokens: 65_536,
    speed: "medium",
    qualityPrior: 8.5,
    strengths: {
      generation: 0.84,
      edit: 0.88,
      fix: 0.84,
      style: 0.88,
      refactor: 0.8,
      explain: 0.84,
      test: 0.84,
    },
    isLocal: false,
  },
  {
    id: "gemini-3.5-flash-lite",
    provider: "gemini",
    displayName: "Gemini 3.5 Flash-Lite",
    inputPricePerMTok: 0.3,
    outputPricePerMTok: 2.5,
    contextWindow: 1_000_000,
    maxOutputTokens: 65_536,
    speed: "fast",
    qualityPrior: 7,
    strengths: {
      generation: 0.6,
      edit: 0.84,
      fix: 0.66,
      style: 0.88,
      refactor: 0.56,
      explain: 0.74,
      test: 0.66,
    },
    isLocal: false,
  },
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
    },
  };
}
