// How long a request waited on models: the wall-clock time during which at least one model call was in
// flight (parallel calls overlap, so it is the union of their intervals). The rest of a request's time is
// the orchestrator's own overhead.

import type { Provider } from "./types.ts";

export class ModelWait {
  private inFlight = 0;
  private since = 0;
  private total = 0;

  constructor(private readonly now: () => number) {}

  /** The provider, with its calls counted. */
  track(provider: Provider): Provider {
    return {
      name: provider.name,
      generate: async (request, signal) => {
        if (this.inFlight++ === 0) this.since = this.now();
        try {
          return await provider.generate(request, signal);
        } finally {
          if (--this.inFlight === 0) this.total += this.now() - this.since;
        }
      },
    };
  }

  get ms(): number {
    return Math.round(this.total + (this.inFlight > 0 ? this.now() - this.since : 0));
  }
}
