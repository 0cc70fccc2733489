// The model catalog: what the planner may choose from, with prices (USD per million tokens), speed, a
// quality prior and per-task strengths. It lives in Postgres (public.models), where operators edit it
// with SQL and `npm run catalog:sync` brings prices and context windows from @pydantic/genai-prices; a
// worker keeps a copy for a short while and serves the last good copy when a refresh fails.

import type { TaskType } from "../contract.ts";
import type { TokenUsage } from "../providers/types.ts";
import { priceUsd } from "./prices.ts";

export type SpeedClass = "fast" | "medium" | "slow";

export interface CatalogModel {
  id: string;
  provider: string;
  displayName: string;
  inputPricePerMTok: number;
  outputPricePerMTok: number;
  contextWindow: number;
  /** The most output tokens one call may ask for. */
  maxOutputTokens: number;
  speed: SpeedClass;
  /** Expected quality on a 0–10 scale before any history is known. */
  qualityPrior: number;
  /** Expected quality 0–1 per task type, where it differs from qualityPrior / 10. */
  strengths: Partial<Record<TaskType, number>>;
  /** Runs on the caller's own hardware: free and private. */
  isLocal: boolean;
  /** The moment whose prices this copy's calls are charged at: when the request using it asked for the
   * catalog (CachedCatalog.get), so that its estimates, its holds and its charges agree even when a price
   * changes while it runs (DeepSeek's peak hours, a dated price change). Unset: the moment of pricing. */
  pricedAt?: Date;
}

/** Expected quality 0–1 of a model on a task type before any history: as get_best_model_for_task has it. */
export function priorQuality(model: CatalogModel, taskType: TaskType): number {
  return model.strengths[taskType] ?? model.qualityPrior / 10;
}

/** An amount of money as it is stored and shown: USD to the millionth (numeric(12, 6) in Postgres). */
export function usd(amount: number): number {
  return Math.round(amount * 1e6) / 1e6;
}

/** Cost in USD of one call, from the tokens it sent and received: the one price function (prices.ts), to
 * the millionth. A call is priced on its own — a tiered price depends on the input of that call — so the
 * calls of an attempt are priced one by one and added up, never priced on their summed usage. */
export function costUsd(model: CatalogModel, inputTokens: number, outputTokens: number): number {
  return usd(priceUsd(model, inputTokens, outputTokens));
}

/** Cost in USD of one call as the provider reported its usage (its cached input priced as such). */
export function costOfUsage(model: CatalogModel, usage: TokenUsage): number {
  return usd(priceUsd(model, usage.inputTokens, usage.outputTokens, usage.cachedInputTokens));
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

export interface CatalogSource {
  /** The enabled models. */
  readCatalog(): Promise<CatalogModel[]>;
}

/** The catalog as a worker sees it: re-read when older than `ttlMs`, one read at a time. A stale copy
 * is served at once while it is re-read, and kept for another `ttlMs` when the read fails, so a slow
 * or unreachable database delays no request; only a worker that never read the catalog waits for it
 * (and sees the failure). Each get() is one request's copy, priced at the moment it asked. */
export class CachedCatalog {
  private models: CatalogModel[] | null = null;
  private readAt = -Infinity;
  private reading: Promise<CatalogModel[]> | null = null;

  constructor(
    private readonly source: CatalogSource,
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly wallClock: () => Date = () => new Date(),
  ) {}

  async get(): Promise<CatalogModel[]> {
    const pricedAt = this.wallClock();
    return (await this.current()).map((model) => ({ ...model, pricedAt }));
  }

  private current(): Promise<CatalogModel[]> {
    if (this.models && this.now() - this.readAt < this.ttlMs) return Promise.resolve(this.models);
    this.reading ??= this.source.readCatalog()
      .then((models) => (this.models = models))
      .finally(() => {
        this.readAt = this.now();
        this.reading = null;
      });
    if (!this.models) return this.reading;
    this.reading.catch(() => {}); // the stale copy serves until the next try
    return Promise.resolve(this.models);
  }
}
