// A small catalog and planned strategies for tests of the planner, the runner and the winner: the three
// Gemini models as the migration seeds them, a free local model and a cheap cloud one.

import type { CatalogModel } from "../../supabase/functions/_shared/plan/catalog.ts";
import type { Approach } from "../../supabase/functions/_shared/contract.ts";
import type { PlannedStrategy } from "../../supabase/functions/_shared/plan/planner.ts";

export const CATALOG: CatalogModel[] = [
  {
    id: "gemini-2.5-pro",
    provider: "gemini",
    displayName: "Gemini 2.5 Pro",
    inputPricePerMTok: 1.25,
    outputPricePerMTok: 10,
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    speed: "slow",
    qualityPrior: 9.2,
    strengths: {
      generation: 0.95,
      refactor: 0.9,
      fix: 0.9,
      explain: 0.9,
      test: 0.85,
      edit: 0.75,
      style: 0.7,
    },
    isLocal: false,
  },
  {
    id: "gemini-2.5-flash",
    provider: "gemini",
    displayName: "Gemini 2.5 Flash",
    inputPricePerMTok: 0.3,
    outputPricePerMTok: 2.5,
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    speed: "medium",
    qualityPrior: 8,
    strengths: {
      generation: 0.8,
      edit: 0.85,
      fix: 0.8,
      style: 0.85,
      refactor: 0.75,
      explain: 0.8,
      test: 0.8,
    },
    isLocal: false,
  },
  {
    id: "gemini-2.5-flash-lite",
    provider: "gemini",
    displayName: "Gemini 2.5 Flash-Lite",
    inputPricePerMTok: 0.1,
    outputPricePerMTok: 0.4,
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    speed: "fast",
    qualityPrior: 6.5,
    strengths: { generation: 0.55, edit: 0.8, fix: 0.6, style: 0.85, refactor: 0.5, explain: 0.7, test: 0.6 },
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
