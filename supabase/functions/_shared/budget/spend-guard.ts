// Holds one request's model calls to what it reserved of the user's budget. Before a call, its worst case
// is set aside: the prompt's bytes as input tokens (no tokenizer makes more tokens than bytes) plus its
// output cap; the cap is lowered to what is left, and a call that cannot get a useful cap is not made.
// After it, the real cost is counted. So the calls of a request never cost more than its reservation,
// whatever runs in parallel. A call that does not fit while others are in flight waits for them (their
// unused holds come back) and is refused only when nothing is held any more.

import { type CatalogModel, costOfUsage, costUsd } from "../plan/catalog.ts";
import { type Provider, ProviderError, type TokenUsage } from "../providers/types.ts";
import { MIN_OUTPUT_CAP } from "../plan/cost-model.ts";

export class SpendAllowance {
  /** Spent by finished calls. */
  spentUsd = 0;
  /** Set aside for calls in flight. */
  heldUsd = 0;

  #waiting: Array<() => void> = [];

  constructor(readonly limitUsd: number) {}

  get leftUsd(): number {
    return this.limitUsd - this.spentUsd - this.heldUsd;
  }

  hold(usd: number): void {
    this.heldUsd += usd;
  }

  /** Gives a hold back, and wakes the calls waiting for room. */
  release(usd: number): void {
    this.heldUsd -= usd;
    for (const wake of this.#waiting.splice(0)) wake();
  }

  /** Resolves when a hold is given back, or rejects when the signal aborts first. */
  released(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      });
    });
  }
}

const encoder = new TextEncoder();

/** The provider, with every call held to the allowance. */
export function withinAllowance(
  provider: Provider,
  allowance: SpendAllowance,
  catalog: CatalogModel[],
): Provider {
  return {
    name: provider.name,
    async generate(request, signal) {
      const model = catalog.find((entry) => entry.id === request.model);
      if (!model) throw new ProviderError("invalid_request", `${request.model} is not in the catalog`);
      const promptBytes = encoder.encode(
        request.system + request.prompt + (request.jsonSchema ? JSON.stringify(request.jsonSchema) : ""),
      ).length;
      // Priced as the call is charged (costUsd). A tiered price depends on the call's input alone, so at
      // this input each output token adds the same: what a million more would add, over a million.
      const inputUsd = costUsd(model, promptBytes, 0);
      const outputUsdPerToken = (costUsd(model, promptBytes, 1e6) - inputUsd) / 1e6;
      const capNow = () =>
        Math.min(
          request.maxOutputTokens ?? model.maxOutputTokens,
          outputUsdPerToken === 0
            ? Infinity
            // less a millionth of a dollar, what rounding the hold to the millionth may add
            : Math.floor((allowance.leftUsd - inputUsd - 1e-6) / outputUsdPerToken),
        );
      const fits = () => inputUsd <= allowance.leftUsd && capNow() >= MIN_OUTPUT_CAP;
      while (!fits() && allowance.heldUsd > 0) {
        try {
          await allowance.released(signal);
        } catch {
          throw new ProviderError("cancelled", "the call was cancelled while it waited for the budget");
        }
      }
      const cap = capNow();
      if (!fits()) {
        throw new ProviderError(
          "budget_exceeded",
          `${allowance.leftUsd.toFixed(6)} USD is left of this request's reservation of ` +
            `${allowance.limitUsd.toFixed(6)} USD: not enough for a call to ${model.id}`,
        );
      }
      const held = costUsd(model, promptBytes, cap);
      allowance.hold(held);
      const count = (usage?: TokenUsage) => {
        if (usage) allowance.spentUsd += costOfUsage(model, usage);
      };
      try {
        const result = await provider.generate({ ...request, maxOutputTokens: cap }, signal);
        count(result.usage);
        return result;
      } catch (error) {
        count(error instanceof ProviderError ? error.details.usage : undefined);
        throw error;
      } finally {
        allowance.release(held);
      }
    },
  };
}
