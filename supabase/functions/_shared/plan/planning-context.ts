// What planning a request needs, gathered once: its profile, the catalog (cached per worker), the user's
// settings, budget and strategy ranking for the task type (one round trip to Postgres, under a timeout),
// and the candidate strategies with their cost estimates. Used by orchestration and by estimates.

import type { ApproachOptions } from "../run/approaches.ts";
import type { CatalogModel } from "./catalog.ts";
import type { OrchestrateRequest, TaskProfile, TaskType, Tier } from "../contract.ts";
import { estimateStrategy } from "./cost-model.ts";
import { type Candidate, candidatesFor, type PlanPolicy, type RankingRow } from "./planner.ts";
import { profileTask } from "./profile.ts";
import type { PromptInput } from "../run/prompts.ts";
import type { Clock } from "../providers/retry.ts";

/** A user's budget in a month; monthlyBudgetUsd and remainingUsd are null without a limit. */
export interface BudgetSnapshot {
  month: string;
  monthlyBudgetUsd: number | null;
  spentUsd: number;
  reservedUsd: number;
  remainingUsd: number | null;
}

/** What public.planning_context returns for a user and task type. */
export interface PlanningContext {
  settings: { defaultTier: Tier; preferLocal: boolean } | null;
  budget: BudgetSnapshot;
  ranking: RankingRow[];
}

export interface PlanningSource {
  /** public.planning_context for each task type, in one round trip. */
  readPlanningContexts(userId: string, taskTypes: readonly TaskType[]): Promise<PlanningContext[]>;
}

export interface PlanningDeps {
  /** Providers with credentials: only their models are candidates. */
  providers: ReadonlyMap<string, unknown>;
  catalog: { get(): Promise<CatalogModel[]> };
  planning: PlanningSource;
  /** How long the planning context may take before the plan goes ahead on the catalog alone. */
  historyTimeoutMs: number;
  approachOptions: ApproachOptions;
  /** Tolerance, floor and exploration share; tier and preferLocal come per request. */
  policy: Omit<PlanPolicy, "tier" | "preferLocal">;
  clock: Clock;
  log: (entry: Record<string, unknown>) => void;
}

export interface Prepared {
  profile: TaskProfile;
  input: PromptInput;
  catalog: CatalogModel[];
  /** null when it could not be read: no history, settings or budget for this request. */
  context: PlanningContext | null;
  candidates: Candidate[];
  policy: PlanPolicy;
  historyMs: number;
}

/** Why a request cannot be planned, as the API answers it. */
export interface PlanningRefusal {
  ok: false;
  status: 400 | 503;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export type Preparation = { ok: true; prepared: Prepared } | PlanningRefusal;

/** No model the request may use has a configured provider. */
export function noModelsRefusal(named?: readonly string[]): PlanningRefusal {
  return {
    ok: false,
    status: 503,
    code: "no_models_available",
    message: named
      ? `no provider of ${named.join(", ")} is configured (set its key or base URL, see the README)`
      : "no provider of a catalog model is configured (set GEMINI_API_KEY or another provider's key)",
  };
}

/** The catalog models a request may use: those it names (all of which must be enabled), else all. */
function allowedModels(
  catalog: CatalogModel[],
  named: readonly string[] | undefined,
): CatalogModel[] | PlanningRefusal {
  if (!named) return catalog;
  const unknown = named.filter((id) => !catalog.some((model) => model.id === id));
  if (unknown.length) {
    return {
      ok: false,
      status: 400,
      code: "unknown_model",
      message: `not enabled in the model catalog: ${unknown.join(", ")}`,
      details: { unknown, enabled: catalog.map((model) => model.id) },
    };
  }
  return catalog.filter((model) => named.includes(model.id));
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | Error> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
  }
}

/** The candidates of an input, priced for it. */
export function candidatesOf(
  input: PromptInput,
  catalog: CatalogModel[],
  ranking: RankingRow[],
  deps: Pick<PlanningDeps, "providers" | "approachOptions">,
): Candidate[] {
  return candidatesFor(
    input.profile,
    catalog,
    ranking,
    new Set(deps.providers.keys()),
    (model, approach, history) => estimateStrategy(model, approach, input, deps.approachOptions, history),
  );
}

/** The tier and local preference of a request: what it asks for, else the user's settings, else the defaults. */
export function policyOf(
  body: Pick<OrchestrateRequest, "tier" | "preferLocal">,
  context: PlanningContext | null,
  deps: Pick<PlanningDeps, "policy">,
): PlanPolicy {
  return {
    ...deps.policy,
    tier: body.tier ?? context?.settings?.defaultTier ?? "balanced",
    preferLocal: body.preferLocal ?? context?.settings?.preferLocal ?? false,
  };
}

export async function preparePlanning(
  body: OrchestrateRequest,
  userId: string,
  requestId: string,
  deps: PlanningDeps,
): Promise<Preparation> {
  const contextFiles = body.context?.files ?? [];
  const profile = profileTask({ request: body.request, contextFiles });
  const input = { request: body.request, framework: body.context?.framework, contextFiles, profile };

  const started = deps.clock.now();
  // The catalog usually comes from the worker's copy; the context is read while it is checked.
  const [catalog, read] = await Promise.all([
    deps.catalog.get().catch((error: Error) => error),
    withTimeout(deps.planning.readPlanningContexts(userId, [profile.taskType]), deps.historyTimeoutMs),
  ]);
  const historyMs = deps.clock.now() - started;
  if (catalog instanceof Error) {
    deps.log({ level: "error", msg: "catalog_unavailable", requestId, error: catalog.message });
    return {
      ok: false,
      status: 503,
      code: "catalog_unavailable",
      message: `the model catalog could not be read: ${catalog.message}`,
    };
  }
  const allowed = allowedModels(catalog, body.models);
  if (!Array.isArray(allowed)) return allowed;
  // Without the context the plan rests on the catalog's priors, and the budget goes unchecked: a
  // database outage degrades planning, it does not stop the service.
  const context = read instanceof Error ? null : read[0];
  if (read instanceof Error) {
    deps.log({ level: "warn", msg: "history_unavailable", requestId, error: read.message });
  }
  const candidates = candidatesOf(input, allowed, context?.ranking ?? [], deps);
  if (candidates.length === 0) return noModelsRefusal(body.models);
  return {
    ok: true,
    prepared: {
      profile,
      input,
      catalog,
      context,
      candidates,
      policy: policyOf(body, context, deps),
      historyMs,
    },
  };
}
