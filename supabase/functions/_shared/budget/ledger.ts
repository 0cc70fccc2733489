// A user's monthly budget as the core sees it: the snapshot Postgres returns, the ledger operations
// (reserve, release; settling happens with the request's rows, store/postgres.ts), and the budget as
// the API shows it.

import type { Budget } from "../contract.ts";
import { usd } from "../plan/catalog.ts";

/** A user's budget in a month; monthlyBudgetUsd and remainingUsd are null without a limit, and
 * projectRemainingUsd without a project-wide cap. */
export interface BudgetSnapshot {
  month: string;
  monthlyBudgetUsd: number | null;
  spentUsd: number;
  reservedUsd: number;
  remainingUsd: number | null;
  projectRemainingUsd: number | null;
}

/** What a request may spend at most: the smaller of what is left of the user's budget and of the
 * project's cap; null when neither is set. */
export function spendableUsd(budget: BudgetSnapshot): number | null {
  const limits = [budget.remainingUsd, budget.projectRemainingUsd].filter((left) => left !== null);
  return limits.length === 0 ? null : Math.min(...limits);
}

/** Whether the project's cap, rather than the user's budget, is what leaves too little. */
export function projectLimits(budget: BudgetSnapshot): boolean {
  return budget.projectRemainingUsd !== null &&
    (budget.remainingUsd === null || budget.projectRemainingUsd < budget.remainingUsd);
}

export interface SpendLedger {
  /** Reserves an amount of the user's budget this month for a request, if the budget has room for it. */
  reserveSpend(
    userId: string,
    requestId: string,
    amountUsd: number,
  ): Promise<{ reserved: boolean; limitedBy?: "user" | "project"; budget: BudgetSnapshot }>;
  /** Gives a reservation back (the request called no model). */
  releaseSpend(userId: string, requestId: string): Promise<void>;
}

/** The budget as the API shows it: only when there is one. */
export function limitedBudget(snapshot: BudgetSnapshot | undefined): Budget | null {
  if (!snapshot || snapshot.monthlyBudgetUsd === null) return null;
  const { month, spentUsd, reservedUsd } = snapshot;
  return {
    month,
    monthlyBudgetUsd: snapshot.monthlyBudgetUsd,
    spentUsd,
    reservedUsd,
    remainingUsd: snapshot.remainingUsd!,
  };
}

/** What a request holds of the budget while it runs, and the budget with it held. */
export interface Reservation {
  amountUsd: number;
  budget: BudgetSnapshot;
}

/** The budget as it stands once this request settles (other requests aside). */
export function budgetAfter(reservation: Reservation, spentUsd: number): Budget {
  const { budget, amountUsd } = reservation;
  return {
    month: budget.month,
    monthlyBudgetUsd: budget.monthlyBudgetUsd!,
    spentUsd: usd(budget.spentUsd + spentUsd),
    reservedUsd: usd(Math.max(0, budget.reservedUsd - amountUsd)),
    remainingUsd: usd(Math.max(0, budget.remainingUsd! + amountUsd - spentUsd)),
  };
}
