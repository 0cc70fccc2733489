// Who verifies the winner: another model than the one that wrote it — of another provider when one is
// configured, since a model tends to overlook its own kind of mistakes — and, among those, the tier's
// choice by expected quality and cost (premium the best, balanced and budget the cheapest good enough).

import type { CatalogModel } from "./catalog.ts";
import { type Candidate, orderByMeans, type PlanPolicy } from "./planner.ts";

export function pickVerifier(
  candidates: Candidate[],
  author: { model: string; provider: string },
  policy: PlanPolicy,
): CatalogModel | null {
  // A review is one call: a model's simple strategy stands for it.
  const others = candidates.filter((c) => c.approach === "simple" && c.model.id !== author.model);
  const elsewhere = others.filter((c) => c.model.provider !== author.provider);
  return orderByMeans(elsewhere.length ? elsewhere : others, policy)[0]?.model ?? null;
}
