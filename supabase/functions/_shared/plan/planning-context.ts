// What planning a request needs, gathered once: its profile, the catalog (cached per worker), the user's
// settings, budget and strategy ranking for the task type (one round trip to Postgres, under a timeout),
// and the candidate strategies with their cost estimates. Used by orchestration and by estimates.

import type { BudgetSnapshot } from "../budget/ledger.ts";
import type { CachedResult } from "../cache/result-cache.ts";
import type { ApproachOptions } from "../run/approaches.ts";
import type { CatalogModel } from "./catalog.ts";
import {
  type IntentCall,
  type Mode,
  modeOf,
  type OrchestrateRequest,
  type TaskProfile,
  type TaskType,
  type Tier,
} from "../contract.ts";
import { estimateStrategy } from "./cost-model.ts";
import { type Candidate, candidatesFor, type PlanPolicy, type RankingRow } from "./planner.ts";
import { profileTask } from "./profile.ts";
import type { PromptInput } from "../run/prompts.ts";
import { type Clock, withTimeout } from "../clock.ts";
import { Refusal } from "../refusal.ts";

/** What public.planning_context returns for a user and task type. */
export interface PlanningContext {
  settings: {
    defaultTier: Tier;
    preferLocal: boolean;
    refineRounds: number | null;
    verify: boolean;
    /** The user lets the project keep what their requests produce. */
    storeOutputs: boolean;
  } | null;
  budget: BudgetSnapshot;
  ranking: RankingRow[];
}

/** What public.admit_request answers: whether the request is within the user's limits. */
export interface Admission {
  admitted: boolean;
  reason?: "rate_limited" | "too_many_concurrent_requests";
  limit?: number;
  retryAfterSeconds?: number;
}

export interface PlanningSource {
  /** public.planning_context for each task type (at no particular complexity), in one round trip. */
  readPlanningContexts(userId: string, taskTypes: readonly TaskType[]): Promise<PlanningContext[]>;
  /** One request's planning context at its complexity, its ranking of the `models` it may use; with
   * `admit`, the request is also admitted under the user's limits (public.admit_request), and with a
   * `cacheKey`, the result cache is asked for it (public.cached_response), in the same round trip. */
  readRequestContext(
    userId: string,
    requestId: string,
    profile: Pick<TaskProfile, "taskType" | "complexity">,
    models: readonly string[],
    admit: boolean,
    cacheKey?: string,
  ): Promise<{ context: PlanningContext; admission: Admission | null; cached?: CachedResult | null }>;
}

export interface PlanningDeps {
  /** The names of the providers with credentials: only their models are candidates. */
  configuredProviders: ReadonlySet<string>;
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

/** What a request's quality loop may do after its strategies ran. */
export interface QualityLoop {
  refineRounds: number;
  verify: boolean;
}

export interface Prepared {
  profile: TaskProfile;
  input: PromptInput;
  catalog: CatalogModel[];
  /** null when it could not be read: no history, settings or budget for this request. */
  context: PlanningContext | null;
  candidates: Candidate[];
  policy: PlanPolicy;
  loop: QualityLoop;
  historyMs: number;
  /** What the planning read found in the result cache, under the key the request has when its user's
   * settings change nothing of it (orchestrate compares it with the request's own key); null when not
   * asked. */
  cache: { key: string; entry: CachedResult | null } | null;
}

/** No model the request may use has a configured provider: a configuration problem, so no Retry-After. */
export function noModelsRefusal(named?: readonly string[]): Refusal {
  return new Refusal(
    503,
    "no_models_available",
    named
      ? `no provider of ${named.join(", ")} is configured (set its key or base URL, see the README)`
      : "no provider of a catalog model is configured (set GEMINI_API_KEY or another provider's key)",
  );
}

/** The catalog models a request may use: those it names (all of which must be enabled), else all. */
function allowedModels(
  catalog: CatalogModel[],
  named: readonly string[] | undefined,
): CatalogModel[] | Refusal {
  if (!named) return catalog;
  const unknown = named.filter((id) => !catalog.some((model) => model.id === id));
  if (unknown.length) {
    return new Refusal(400, "unknown_model", `not enabled in the model catalog: ${unknown.join(", ")}`, {
      unknown,
      enabled: catalog.map((model) => model.id),
    });
  }
  return catalog.filter((model) => named.includes(model.id));
}

/** The catalog (or the history with it) could not be read; the cause goes to the log, not to the caller. */
export function catalogUnavailable(): Refusal {
  return new Refusal(
    503,
    "catalog_unavailable",
    "the model catalog could not be read; try again shortly",
    undefined,
    30,
  );
}

/** The candidates of an input, priced for it. */
export function candidatesOf(
  input: PromptInput,
  catalog: CatalogModel[],
  ranking: RankingRow[],
  deps: Pick<PlanningDeps, "configuredProviders" | "approachOptions">,
): Candidate[] {
  return candidatesFor(
    input.profile,
    catalog,
    ranking,
    deps.configuredProviders,
    (model, approach, history) => estimateStrategy(model, approach, input, deps.approachOptions, history),
  );
}

/** Refinement rounds and verification: what the request asks for, else the user's settings, else one
 * round in sequential and hedged mode (which stop early) and none where every strategy already ran. */
export function qualityLoopOf(
  body: Pick<OrchestrateRequest, "refine" | "verify">,
  context: PlanningContext | null,
  mode: Mode,
): QualityLoop {
  return {
    refineRounds: body.refine?.maxRounds ?? context?.settings?.refineRounds ??
      (mode === "sequential" || mode === "hedged" ? 1 : 0),
    verify: body.verify ?? context?.settings?.verify ?? false,
  };
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

function limitRefusal(admission: Admission): Refusal {
  const message = admission.reason === "rate_limited"
    ? `more than ${admission.limit} requests in a minute; try again in ${admission.retryAfterSeconds} s`
    : `${admission.limit} requests are already running for this user; try again when one has finished`;
  return new Refusal(
    429,
    admission.reason ?? "rate_limited",
    message,
    { limit: admission.limit },
    admission.retryAfterSeconds,
  );
}

/** Gathers what a request is planned with. With `admit` (a request that will call models), it is first
 * held to the user's request limits. With `cacheKeyOf`, the result cache is asked in the same round trip
 * for the key the request has under the defaults (most users change none of them in their settings). */
export async function preparePlanning(
  body: OrchestrateRequest,
  userId: string,
  requestId: string,
  deps: PlanningDeps,
  admit = false,
  cacheKeyOf?: (policy: PlanPolicy, loop: QualityLoop) => Promise<string>,
): Promise<Prepared | Refusal> {
  const contextFiles = body.context?.files ?? [];
  const profile = profileTask({ request: body.request, contextFiles });
  const input = { request: body.request, framework: body.context?.framework, contextFiles, profile };

  // The catalog comes from the worker's copy (read from the database only by a worker's first request):
  // the history is read for the models the request may use, those with a configured provider.
  const catalog = await deps.catalog.get().catch((error: Error) => error);
  if (catalog instanceof Error) {
    deps.log({ level: "error", msg: "catalog_unavailable", requestId, error: catalog.message });
    return catalogUnavailable();
  }
  const allowed = allowedModels(catalog, body.models);
  if (allowed instanceof Refusal) return allowed;
  const usable = allowed.filter((model) => deps.configuredProviders.has(model.provider));
  if (usable.length === 0) return noModelsRefusal(body.models);

  const started = deps.clock.now();
  const cacheKey = cacheKeyOf &&
    await cacheKeyOf(policyOf(body, null, deps), qualityLoopOf(body, null, modeOf(body)));
  const read = await withTimeout(
    deps.planning.readRequestContext(
      userId,
      requestId,
      profile,
      usable.map((model) => model.id),
      admit,
      cacheKey,
    ),
    deps.historyTimeoutMs,
  );
  const historyMs = deps.clock.now() - started;
  if (!(read instanceof Error) && read.admission?.admitted === false) return limitRefusal(read.admission);
  // Without the context the plan rests on the catalog's priors, the limits go unchecked and the budget is
  // checked only by reserving: a database outage degrades planning, it does not stop the service.
  const context = read instanceof Error ? null : read.context;
  if (read instanceof Error) {
    deps.log({ level: "warn", msg: "history_unavailable", requestId, error: read.message });
  }
  const candidates = candidatesOf(input, allowed, context?.ranking ?? [], deps);
  if (candidates.length === 0) return noModelsRefusal(body.models);
  return {
    profile,
    input,
    catalog,
    context,
    candidates,
    policy: policyOf(body, context, deps),
    loop: qualityLoopOf(body, context, modeOf(body)),
    historyMs,
    // (a source that did not ask, `cached` undefined, leaves the lookup to orchestrate)
    cache: cacheKey && !(read instanceof Error) && read.cached !== undefined
      ? { key: cacheKey, entry: read.cached }
      : null,
  };
}

/** The models a request may use with a configured provider: those of its candidates. */
export function candidateModels(prepared: Prepared): CatalogModel[] {
  return [...new Set(prepared.candidates.map((candidate) => candidate.model))];
}

/** A request's planning for another task type than the rules read (the intent call's): its profile read
 * for that type, and that type's statistics, settings and budget read anew (without admitting the request
 * again). Should that read fail, the first one's settings and budget stand, without a ranking. */
export async function retypedPlanning(
  prepared: Prepared,
  taskType: TaskType,
  intent: IntentCall,
  call: { body: OrchestrateRequest; userId: string; requestId: string },
  deps: PlanningDeps,
): Promise<Prepared> {
  const { body, userId, requestId } = call;
  const contextFiles = prepared.input.contextFiles;
  const profile = { ...profileTask({ request: body.request, contextFiles, taskType }), intent };
  const input = { ...prepared.input, profile };
  const started = deps.clock.now();
  const read = await withTimeout(
    deps.planning.readRequestContext(
      userId,
      requestId,
      profile,
      candidateModels(prepared).map((model) => model.id),
      false,
    ),
    deps.historyTimeoutMs,
  );
  const context = read instanceof Error ? { ...prepared.context!, ranking: [] } : read.context;
  if (read instanceof Error) {
    deps.log({ level: "warn", msg: "history_unavailable", requestId, error: read.message });
  }
  return {
    ...prepared,
    profile,
    input,
    context,
    candidates: candidatesOf(input, candidateModels(prepared), context.ranking, deps),
    policy: policyOf(body, context, deps),
    loop: qualityLoopOf(body, context, modeOf(body)),
    historyMs: prepared.historyMs + (deps.clock.now() - started),
  };
}
