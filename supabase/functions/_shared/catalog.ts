// The model catalog: what the planner may choose from, with prices (USD per million tokens, Google's
// paid-tier list prices for prompts up to 200k tokens), speed, a quality prior and per-task strengths.

import type { TaskType } from "./contract.ts";

export type SpeedClass = "fast" | "medium" | "slow";

export interface CatalogModel {
  id: string;
  provider: string;
  displayName: string;
  inputPricePerMTok: number;
  outputPricePerMTok: number;
  contextWindow: number;
  speed: SpeedClass;
  /** Expected quality on a 0–10 scale before any history is known. */
  qualityPrior: number;
  /** 0–1 per task type; a missing task type counts as 0.5. */
  strengths: Partial<Record<TaskType, number>>;
}

export const GEMINI_MODELS: CatalogModel[] = [
  {
    id: "gemini-2.5-pro",
    provider: "gemini",
    displayName: "Gemini 2.5 Pro",
    inputPricePerMTok: 1.25,
    outputPricePerMTok: 10,
    contextWindow: 1_048_576,
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
  },
  {
    id: "gemini-2.5-flash",
    provider: "gemini",
    displayName: "Gemini 2.5 Flash",
    inputPricePerMTok: 0.3,
    outputPricePerMTok: 2.5,
    contextWindow: 1_048_576,
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
  },
  {
    id: "gemini-2.5-flash-lite",
    provider: "gemini",
    displayName: "Gemini 2.5 Flash-Lite",
    inputPricePerMTok: 0.1,
    outputPricePerMTok: 0.4,
    contextWindow: 1_048_576,
    speed: "fast",
    qualityPrior: 6.5,
    strengths: { generation: 0.55, edit: 0.8, fix: 0.6, style: 0.85, refactor: 0.5, explain: 0.7, test: 0.6 },
  },
];

/** Cost in USD of a call, from the tokens the provider reported. */
export function costUsd(model: CatalogModel, inputTokens: number, outputTokens: number): number {
  const cost = (inputTokens * model.inputPricePerMTok + outputTokens * model.outputPricePerMTok) / 1_000_000;
  return Math.round(cost * 1e6) / 1e6;
}

/** For each model, the others of the catalog closest in expected quality first: where to go when it fails. */
export function defaultFallbacks(catalog: CatalogModel[]): Record<string, string[]> {
  return Object.fromEntries(catalog.map((model) => [
    model.id,
    catalog
      .filter((other) => other.id !== model.id)
      .sort((a, b) =>
        Math.abs(a.qualityPrior - model.qualityPrior) - Math.abs(b.qualityPrior - model.qualityPrior)
      )
      .map((other) => other.id),
  ]));
}
