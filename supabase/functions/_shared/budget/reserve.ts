// Before any model is called, a request reserves the most its plan can cost, under a lock on the
// user's month in Postgres, so concurrent requests never spend past the budget together.

import type { Random } from "../clock.ts";
import { usd } from "../plan/catalog.ts";
import { neededUsd } from "../plan/cost-model.ts";
import { type PlannedStrategy, planStrategies } from "../plan/planner.ts";
import { noModelsRefusal, type Prepared } from "../plan/planning-context.ts";
import { Refusal } from "../refusal.ts";
import {
  type BudgetSnapshot,
  projectLimits,
  type Reservation,
  spendableUsd,
  type SpendLedger,
} from "./ledger.ts";

/** What a request reserves: the most its plan can cost — its strategies and its quality loop's calls
 * (`loopUsd`) — or what is left when that is less (the spend guard then lowers the output caps of its
 * calls to fit). */
export function reservationFor(strategies: PlannedStrategy[], remainingUsd: number, loopUsd = 0): number {
  return usd(Math.min(remainingUsd, loopUsd + strategies.reduce((sum, s) => sum + s.estimate.maxCostUsd, 0)));
}

/** A sum in words: a cost that rounds to nothing at a millionth of a dollar is said to be under one. */
const usdText = (value: number) => usd(value) > 0 ? `${usd(value)} USD` : "under 0.000001 USD";

function budgetRefusal(
  budget: BudgetSnapshot,
  cheapestUsd: number,
  byProject = projectLimits(budget),
): Refusal {
  if (byProject) {
    return new Refusal(
      503,
      "project_budget_exhausted",
      "the project's monthly spend cap leaves too little for this request; it resets at the start of the month",
    );
  }
  return new Refusal(
    402,
    "budget_exceeded",
    `the monthly budget of ${budget.monthlyBudgetUsd} USD has ${budget.remainingUsd} USD left; ` +
      `the cheapest strategy for this request is estimated at ${usdText(cheapestUsd)}`,
    { budget, cheapestEstimateUsd: usd(cheapestUsd) },
  );
}

export interface ReserveDeps {
  spend: SpendLedger;
  log: (entry: Record<string, unknown>) => void;
}

export interface ReservedPlan {
  strategies: PlannedStrategy[];
  explored: boolean;
  /** null when the user has no budget, or it could not be checked. */
  reservation: Reservation | null;
}

/**
 * Plans within what is left of the budget and reserves what the plan may cost. When concurrent requests
 * took the room between reading the budget and reserving, the request is planned once more with what
 * they left. When the planning context could not be read, the budget is unknown: the request reserves
 * anyway, so a slow database never lets it past a budget; only when the reservation fails too (the
 * database is down) does it go ahead unchecked, since an outage must not stop the service.
 */
export async function planAndReserve(
  prepared: Prepared,
  request: {
    userId: string;
    requestId: string;
    maxStrategies: number;
    random: Random | null;
    models?: string[];
    /** The most the plan's quality loop (refinement, verification) can cost. */
    loopUsd: (strategies: PlannedStrategy[]) => number;
  },
  deps: ReserveDeps,
): Promise<ReservedPlan | Refusal> {
  const { userId, requestId } = request;
  let budget = prepared.context?.budget ?? null;
  for (let round = 1;; round++) {
    const remainingUsd = budget && spendableUsd(budget);
    const plan = planStrategies({
      candidates: prepared.candidates,
      policy: prepared.policy,
      maxStrategies: request.maxStrategies,
      remainingUsd,
      random: request.random,
    });
    if (!plan.ok) {
      return plan.reason === "no_models"
        ? noModelsRefusal(request.models)
        : budgetRefusal(budget!, plan.cheapestUsd);
    }
    if (budget !== null && remainingUsd === null) return { ...plan, reservation: null };
    const amountUsd = reservationFor(
      plan.strategies,
      remainingUsd ?? Infinity,
      request.loopUsd(plan.strategies),
    );
    let answer: Awaited<ReturnType<SpendLedger["reserveSpend"]>>;
    try {
      answer = await deps.spend.reserveSpend(userId, requestId, amountUsd);
    } catch (error) {
      deps.log({ level: "error", msg: "reserve_failed", requestId, error: String(error) });
      if (budget === null) return { ...plan, reservation: null };
      return new Refusal(
        503,
        "budget_unavailable",
        "the budget could not be checked; try again shortly",
        undefined,
        30,
      );
    }
    if (answer.reserved) return { ...plan, reservation: { amountUsd, budget: answer.budget } };
    budget = answer.budget;
    if (round === 2) {
      const cheapestUsd = Math.min(...plan.strategies.map((s) => neededUsd(s.estimate)));
      return budgetRefusal(budget, cheapestUsd, answer.limitedBy === "project");
    }
  }
}
