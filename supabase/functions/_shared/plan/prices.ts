// The one price function behind every figure of money: the estimates, the spend guard's holds and counts,
// and what is charged. A model that @pydantic/genai-prices lists is priced by the package's calcPrice, from
// the data bundled with it (nothing here updates that data, so no price is ever fetched at run time): with
// tiered prices — past a threshold of one call's input tokens every token of that call costs the dearer
// rate — and prices that change on a date or by the hour. Local models, and models the package does not
// list, cost the catalog's prices per million tokens.

import { calcPrice, type Provider } from "@pydantic/genai-prices";
import type { CatalogModel } from "./catalog.ts";

/** Where the package lists a catalog provider's models: its provider id, and the prefix model ids carry
 * there. Providers missing here (ollama, vllm, …) are priced by the catalog alone. */
const PRICE_SOURCES: Readonly<Record<string, { providerId: string; prefix: string }>> = {
  gemini: { providerId: "google", prefix: "" },
  openai: { providerId: "openai", prefix: "" },
  anthropic: { providerId: "anthropic", prefix: "" },
  deepseek: { providerId: "deepseek", prefix: "" },
  // The package has no DashScope; OpenRouter lists Alibaba's Qwen models at Alibaba's own prices.
  qwen: { providerId: "openrouter", prefix: "qwen/" },
  openrouter: { providerId: "openrouter", prefix: "" },
};

type Listed = Pick<CatalogModel, "id" | "provider" | "isLocal">;
export type PricedModel =
  & Listed
  & Pick<CatalogModel, "inputPricePerMTok" | "outputPricePerMTok" | "pricedAt">;

/** A model's entry in the package: the id it is looked up by, and its provider narrowed to that one model
 * (matching an id against a provider's hundreds of patterns is most of calcPrice's time). */
export interface PackageEntry {
  modelId: string;
  provider: Provider;
}

/** Lookups made, per worker: the bundled data never changes, so neither does an answer. */
const entries = new Map<string, PackageEntry | null>();

/** Where the package lists a catalog model, or null: it does not, or the model is local (free). */
export function packageEntry(model: Listed): PackageEntry | null {
  const source = PRICE_SOURCES[model.provider];
  if (!source || model.isLocal) return null;
  const modelId = source.prefix + model.id;
  const key = `${source.providerId}:${modelId}`;
  if (!entries.has(key)) {
    const found = calcPrice({ input_tokens: 0, output_tokens: 0 }, modelId, {
      providerId: source.providerId,
    });
    entries.set(key, found && { modelId, provider: { ...found.provider, models: [found.model] } });
  }
  return entries.get(key)!;
}

/** USD of one call of `model`: the package's price when it lists the model (at the model's `pricedAt`,
 * else now), with the input read from the provider's prompt cache (`cachedInputTokens`, part of
 * `inputTokens`) at its cache-read price; the catalog's otherwise, which has no cache price and bills all
 * input alike. Unrounded; costUsd in catalog.ts rounds it as money is stored. */
export function priceUsd(
  model: PricedModel,
  inputTokens: number,
  outputTokens: number,
  cachedInputTokens = 0,
): number {
  const entry = packageEntry(model);
  const usage = {
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    cache_read_tokens: cachedInputTokens,
  };
  const priced = entry &&
    calcPrice(usage, entry.modelId, {
      provider: entry.provider,
      timestamp: model.pricedAt,
    });
  return priced
    ? priced.total_price
    : (inputTokens * model.inputPricePerMTok + outputTokens * model.outputPricePerMTok) / 1_000_000;
}
