// Every model call of a request goes through the same wrappers, composed here and nowhere else,
// innermost first:
//   retry      repeats a call after rate limits, server and network errors (retry.ts);
//   model wait counts the time the request spends waiting on models (model-wait.ts);
//   allowance  holds each call to what the request reserved of the budget (../budget/spend-guard.ts),
//              so a retry is held to it as well.

import { type SpendAllowance, withinAllowance } from "../budget/spend-guard.ts";
import type { Clock, Random } from "../clock.ts";
import type { CatalogModel } from "../plan/catalog.ts";
import type { ModelWait } from "./model-wait.ts";
import { retrying, type RetryPolicy } from "./retry.ts";
import type { Provider } from "./types.ts";

export interface CallWrappers {
  retry: RetryPolicy;
  clock: Clock;
  random: Random;
  wait: ModelWait;
  /** null: the user has no budget (or it could not be checked). */
  allowance: SpendAllowance | null;
  catalog: CatalogModel[];
}

export function decorateProviders(
  providers: ReadonlyMap<string, Provider>,
  wrappers: CallWrappers,
): Map<string, Provider> {
  const { retry, clock, random, wait, allowance, catalog } = wrappers;
  return new Map([...providers].map(([name, provider]) => {
    const waited = wait.track(retrying(provider, retry, clock, random));
    return [name, allowance ? withinAllowance(waited, allowance, catalog) : waited];
  }));
}
