// The intent call (off unless ORCHESTRATOR_INTENT_CALL=on): where the rules are unsure of a request's task
// type, the cheapest configured model is asked which of the seven it is, as JSON under a schema and a tight
// timeout. Its answer decides; anything else (a timeout, an error, an answer out of shape) leaves the rules'
// reading. Its cost is held within the budget before it is made and charged with the request. A model whose
// circuit breaker is open is not asked, and the intent calls keep breakers of their own, so a model that
// fails them or stalls past their timeout stops costing unsure requests the wait.

import { spendableUsd } from "../budget/ledger.ts";
import type { Clock } from "../clock.ts";
import {
  type IntentCall,
  type OrchestrateRequest,
  storableText,
  TASK_TYPES,
  type TaskType,
} from "../contract.ts";
import type { Provider } from "../providers/types.ts";
import { ProviderError } from "../providers/types.ts";
import { CircuitBreakers } from "../run/breaker.ts";
import { type CatalogModel, costOfUsage, costUsd } from "./catalog.ts";
import { neededUsd } from "./cost-model.ts";
import { candidateModels, type PlanningDeps, type Prepared, retypedPlanning } from "./planning-context.ts";

export interface IntentOptions {
  /** Below this task-type confidence the rules are unsure (the measured half: 88% right there, 98% above). */
  belowConfidence: number;
  timeoutMs: number;
}

export const DEFAULT_INTENT_OPTIONS: IntentOptions = { belowConfidence: 0.5, timeoutMs: 2_000 };

/** The request as the model reads it: enough to tell its intent, never the whole of a long one. */
const REQUEST_CHARS = 4_000;
const PATHS = 20;
/** One word of JSON; room for a model that thinks before it answers. */
const OUTPUT_TOKENS = 256;

export const INTENT_JSON_SCHEMA = {
  type: "object",
  properties: { taskType: { type: "string", enum: [...TASK_TYPES] } },
  required: ["taskType"],
  additionalProperties: false,
};

const SYSTEM = [
  "You classify requests sent to a code-generation service. Answer only with JSON of the requested shape:",
  "the one task type the user wants done, whatever verb they start with. generation: a new app or project",
  "from nothing; edit: a change or addition inside an existing project; fix: something is broken (an error,",
  "wrong behaviour); refactor: restructure without changing behaviour; style: only appearance; explain: an",
  "answer in words about code or a concept; test: tests, specs, coverage, fixtures or mocks.",
].join(" ");

export function intentPrompt(request: string, contextPaths: string[]): string {
  const files = contextPaths.length
    ? `The user sent these files of their project: ${contextPaths.slice(0, PATHS).join(", ")}.`
    : "The user sent no files.";
  return `${files}\n\n## Request\n${request.slice(0, REQUEST_CHARS)}`;
}

/** The cheapest model to ask: of those configured, the least for a short call. */
export function intentModel(catalog: CatalogModel[], configured: ReadonlySet<string>): CatalogModel | null {
  const cost = (model: CatalogModel) => costUsd(model, 1_000, OUTPUT_TOKENS);
  return catalog
    .filter((model) => configured.has(model.provider))
    .sort((a, b) => cost(a) - cost(b) || a.id.localeCompare(b.id))[0] ?? null;
}

/** The most the call can cost: every byte of its prompt a token, and its whole output cap. */
export function intentWorstCaseUsd(model: CatalogModel, request: string, contextPaths: string[]): number {
  const bytes = new TextEncoder().encode(SYSTEM + intentPrompt(request, contextPaths)).length +
    JSON.stringify(INTENT_JSON_SCHEMA).length;
  return costUsd(model, bytes, OUTPUT_TOKENS);
}

export interface IntentDeps {
  providers: ReadonlyMap<string, Provider>;
  breakers: CircuitBreakers;
  clock: Clock;
  signal: AbortSignal;
}

/** The intent call a request would make: where the rules are unsure (and its statistics were read), to
 * the cheapest model it may use (its candidates': naming models also says where its text may go) whose
 * breaker is closed, for the requests' calls and for these, and only where the budget is known and leaves
 * room for the call's worst case and for the request's cheapest strategy, so a request is not refused for
 * want of budget after paying for it. Null: no call. */
export function plannedIntentCall(
  prepared: Prepared,
  request: string,
  options: IntentOptions,
  deps: Pick<IntentDeps, "breakers"> & Pick<PlanningDeps, "configuredProviders">,
): { model: CatalogModel; worstCaseUsd: number } | null {
  const { profile, context, candidates, input } = prepared;
  if (profile.taskTypeConfidence >= options.belowConfidence || context === null) return null;
  const healthy = candidateModels(prepared).filter((model) =>
    !deps.breakers.refuses(CircuitBreakers.key(model.provider, model.id)) &&
    !deps.breakers.refuses(CircuitBreakers.intentKey(model.provider, model.id))
  );
  const model = intentModel(healthy, deps.configuredProviders);
  if (!model) return null;
  const worstCaseUsd = intentWorstCaseUsd(model, request, input.contextFiles.map((file) => file.path));
  const spendable = spendableUsd(context.budget);
  const cheapest = Math.min(...candidates.map((candidate) => neededUsd(candidate.estimate)));
  return spendable !== null && spendable < worstCaseUsd + cheapest ? null : { model, worstCaseUsd };
}

/**
 * The request's planning, with the intent call's answer where the rules were unsure: planned again for the
 * task type the model named (its statistics read anew), or as it was. Its cost is the profile's
 * `intent.costUsd`, reserved with the plan and charged with the request.
 */
export async function withIntent(
  prepared: Prepared,
  call: { body: OrchestrateRequest; userId: string; requestId: string },
  options: IntentOptions,
  deps: IntentDeps & PlanningDeps,
): Promise<Prepared> {
  const planned = plannedIntentCall(prepared, call.body.request, options, deps);
  if (!planned) return prepared;
  const { profile, input } = prepared;
  const intent = await askIntent(
    planned.model,
    profile.taskType,
    { text: call.body.request, contextPaths: input.contextFiles.map((file) => file.path) },
    options,
    deps,
  );
  deps.log({ level: "info", msg: "intent_call", requestId: call.requestId, ...intent });
  if (intent.outcome !== "decided") {
    const kept = { ...profile, intent };
    return { ...prepared, profile: kept, input: { ...input, profile: kept } };
  }
  return retypedPlanning(prepared, intent.answeredTaskType!, intent, call, deps);
}

export async function askIntent(
  model: CatalogModel,
  rulesTaskType: TaskType,
  request: { text: string; contextPaths: string[] },
  options: IntentOptions,
  deps: IntentDeps,
): Promise<IntentCall> {
  const started = deps.clock.now();
  const call = { model: model.id, provider: model.provider, rulesTaskType };
  const elapsed = () => Math.round(deps.clock.now() - started);
  const failed = (error: string, usage = { inputTokens: 0, outputTokens: 0 }): IntentCall => ({
    ...call,
    outcome: "failed",
    answeredTaskType: null,
    costUsd: costOfUsage(model, usage),
    durationMs: elapsed(),
    error: storableText(error.slice(0, 300)),
  });
  const provider = deps.providers.get(model.provider);
  if (!provider) return failed(`provider "${model.provider}" is not configured`);
  const breaker = CircuitBreakers.intentKey(model.provider, model.id);
  // plannedIntentCall chose a model its breaker does not refuse: this takes the probe when it is half-open
  deps.breakers.allow(breaker);
  try {
    const result = await provider.generate({
      model: model.id,
      system: SYSTEM,
      prompt: intentPrompt(request.text, request.contextPaths),
      jsonSchema: INTENT_JSON_SCHEMA,
      maxOutputTokens: Math.min(OUTPUT_TOKENS, model.maxOutputTokens),
      temperature: 0,
    }, AbortSignal.any([deps.signal, AbortSignal.timeout(options.timeoutMs)]));
    // an answer, even one out of shape, says the model is well
    deps.breakers.record(breaker, { success: true });
    const answered = (result.json as { taskType?: unknown } | undefined)?.taskType;
    if (!TASK_TYPES.includes(answered as TaskType)) {
      return failed("the answer names no task type", result.usage);
    }
    return {
      ...call,
      outcome: answered === rulesTaskType ? "agreed" : "decided",
      answeredTaskType: answered as TaskType,
      costUsd: costOfUsage(model, result.usage),
      durationMs: elapsed(),
    };
  } catch (error) {
    const failure = error instanceof ProviderError ? error : new ProviderError("unknown", String(error));
    deps.breakers.record(breaker, { success: false, errorClass: failure.errorClass });
    return failed(`${failure.errorClass}: ${failure.message}`, failure.details.usage);
  }
}
