// What a strategy is expected to cost before any model is called: tokens in from the prompts it would
// send, tokens out from the size of result the task calls for, each call priced as it will be charged
// (costUsd, the one price function). When the history knows what the strategy really cost on this task
// type, that mean is the better guess. Pure.

import { type ApproachOptions } from "../run/approaches.ts";
import { type CatalogModel, costUsd } from "./catalog.ts";
import { type Approach, type Complexity, LIMITS } from "../contract.ts";
import {
  batchPrompt,
  FILES_JSON_SCHEMA,
  PLAN_JSON_SCHEMA,
  PLAN_LIMITS,
  planPrompt,
  type PromptInput,
  REFINE_LIMITS,
  simplePrompt,
  systemPrompt,
  VERDICT_JSON_SCHEMA,
} from "../run/prompts.ts";
import { VERIFY_OUTPUT_TOKENS } from "../run/verify.ts";

/** Below this output cap an answer would be cut off before it is useful: the spend guard makes no call
 * it cannot give this much (budget/spend-guard.ts), so a plan needs room for it. */
export const MIN_OUTPUT_CAP = 2_048;

/** What a strategy needs of the budget to be planned: its expected cost, and at least its first call. */
export const neededUsd = (estimate: CostEstimate) => Math.max(estimate.costUsd, estimate.minCallUsd);

export interface CostEstimate {
  inputTokens: number;
  outputTokens: number;
  /** Model calls the approach makes. */
  calls: number;
  costUsd: number;
  /** "history": the mean real cost of this strategy on the task type; "tokens": the estimate above. */
  basis: "history" | "tokens";
  /** The most it can cost, as the spend guard counts: every call it can make (a progressive plan of the
   * most files there can be) with its prompt's UTF-8 bytes as input tokens (no tokenizer makes more
   * tokens than bytes) and its whole output cap. What a request reserves of a budget, so that the
   * spend guard never needs to cut a call short. */
  maxCostUsd: number;
  /** The least its first call needs of a budget to be made at all: its worst-case input and the smallest
   * useful output cap (MIN_OUTPUT_CAP). A plan whose estimate fits but this does not would fail. */
  minCallUsd: number;
}

/** What the history says a strategy cost (get_best_model_for_task's mean_cost_usd and sample counts). */
export interface CostHistory {
  meanCostUsd: number | null;
  attempts: number;
}

/** Characters per token in the prompts and code these models see (a usual rule of thumb). */
const CHARS_PER_TOKEN = 4;
/** Tokens of a typical generated file. */
const TOKENS_PER_FILE = 500;
/** Files a new project has, by complexity. */
const NEW_PROJECT_FILES: Record<Complexity, number> = { low: 6, medium: 10, high: 18 };
/** Tokens of one file's line in a progressive plan (path and purpose). */
const TOKENS_PER_PLANNED_FILE = 40;
/** Real costs replace the token estimate once a strategy has this many attempts on the task type. */
const HISTORY_ATTEMPTS = 3;
const tokens = (text: string) => Math.ceil(text.length / CHARS_PER_TOKEN);

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text).length;
const FILES_SCHEMA_BYTES = bytes(JSON.stringify(FILES_JSON_SCHEMA));
const PLAN_SCHEMA_BYTES = bytes(JSON.stringify(PLAN_JSON_SCHEMA));
/** The most bytes a plan's file list adds to a batch prompt: its longest paths and purposes, in UTF-8
 * (at most 3 bytes per UTF-16 unit), one line each. */
const MAX_PLAN_LIST_BYTES = PLAN_LIMITS.files * ((LIMITS.pathChars + PLAN_LIMITS.purposeChars) * 3 + 4);

/** Calls alike: how many, and the tokens each one sends and receives. A call is priced on its own (a
 * tiered price depends on that call's input), so calls are kept apart rather than summed before pricing. */
interface Calls {
  count: number;
  input: number;
  output: number;
}

const priced = (model: CatalogModel, calls: Calls[]) =>
  calls.reduce((sum, { count, input, output }) => sum + count * costUsd(model, input, output), 0);

/** The most the calls of a strategy can cost, as the spend guard counts them: every call it can make,
 * its prompt's bytes as input tokens and its whole output cap. */
function worstCaseCalls(
  approach: Approach,
  input: PromptInput,
  options: ApproachOptions,
  outputCap: number,
): Calls[] {
  const system = bytes(systemPrompt(input));
  if (approach === "simple") {
    return [{ count: 1, input: system + bytes(simplePrompt(input)) + FILES_SCHEMA_BYTES, output: outputCap }];
  }
  const batches = Math.ceil(PLAN_LIMITS.files / options.batchSize);
  const batchList = options.batchSize * (LIMITS.pathChars * 3 + 3);
  const batchBytes = system + bytes(batchPrompt(input, { files: [] }, [])) + MAX_PLAN_LIST_BYTES + batchList +
    FILES_SCHEMA_BYTES;
  return [
    { count: 1, input: system + bytes(planPrompt(input)) + PLAN_SCHEMA_BYTES, output: outputCap },
    { count: batches, input: batchBytes, output: outputCap },
  ];
}

/** Files the answer is expected to hold: a project for generation, one document for an explanation,
 * otherwise the existing files it touches (at least one). */
function expectedFiles(input: PromptInput): number {
  const { taskType, complexity } = input.profile;
  if (taskType === "explain") return 1;
  if (taskType === "generation" && input.contextFiles.length === 0) return NEW_PROJECT_FILES[complexity];
  return Math.max(1, Math.min(input.contextFiles.length, NEW_PROJECT_FILES[complexity] / 2));
}

/** Output tokens: whole files are returned, so an edit costs about the size of the files it rewrites. */
function expectedOutputTokens(input: PromptInput, files: number): number {
  if (input.profile.taskType === "generation" && input.contextFiles.length === 0) {
    return files * TOKENS_PER_FILE;
  }
  const contextTokens = input.contextFiles.reduce((sum, file) => sum + tokens(file.content), 0);
  const touched = input.contextFiles.length > 0 ? (contextTokens * files) / input.contextFiles.length : 0;
  return Math.round(Math.max(files * TOKENS_PER_FILE, touched));
}

/**
 * The most a refinement round or a review can cost on `model`, as the spend guard counts: the request,
 * the output sent back (at most REFINE_LIMITS.filesBytes of content, in at most maxOutputFiles files),
 * the issues listed, the JSON Schema, and the whole output cap.
 */
export function loopCallWorstCaseUsd(
  model: CatalogModel,
  kind: "refine" | "verify",
  input: PromptInput,
  options: ApproachOptions,
): number {
  const files = REFINE_LIMITS.filesBytes + options.maxOutputFiles * (LIMITS.pathChars * 3 + 12);
  const issues = kind === "refine" ? REFINE_LIMITS.issues * (REFINE_LIMITS.issueChars * 3 + 1) : 0;
  const schema = bytes(JSON.stringify(kind === "refine" ? FILES_JSON_SCHEMA : VERDICT_JSON_SCHEMA));
  const promptBytes = bytes(systemPrompt(input)) + bytes(simplePrompt(input)) + files + issues + schema +
    1_000;
  const cap = kind === "refine" ? options.maxOutputTokens : VERIFY_OUTPUT_TOKENS;
  return costUsd(model, promptBytes, Math.min(cap, model.maxOutputTokens));
}

export function estimateStrategy(
  model: CatalogModel,
  approach: Approach,
  input: PromptInput,
  options: ApproachOptions,
  history?: CostHistory,
): CostEstimate {
  const system = tokens(systemPrompt(input));
  const files = expectedFiles(input);
  const output = expectedOutputTokens(input, files);
  // No call writes more than its output cap, however much the task calls for.
  const outputCap = Math.min(options.maxOutputTokens, model.maxOutputTokens);
  // A progressive attempt makes a plan call, then batches that each carry the request and the whole plan.
  const batches = Math.ceil(files / options.batchSize);
  const planned = files * TOKENS_PER_PLANNED_FILE;
  const calls: Calls[] = approach === "simple"
    ? [{ count: 1, input: system + tokens(simplePrompt(input)), output: Math.min(output, outputCap) }]
    : [
      { count: 1, input: system + tokens(planPrompt(input)), output: Math.min(planned, outputCap) },
      {
        count: batches,
        input: system + tokens(simplePrompt(input)) + planned,
        output: Math.min(output, batches * outputCap) / batches,
      },
    ];
  const total = (of: (call: Calls) => number) => calls.reduce((sum, call) => sum + call.count * of(call), 0);
  const known = history && history.meanCostUsd !== null && history.attempts >= HISTORY_ATTEMPTS;
  return {
    inputTokens: total((call) => call.input),
    // (a batch's share of the output need not be a whole number of tokens; their sum is)
    outputTokens: Math.round(total((call) => call.output)),
    calls: total(() => 1),
    costUsd: known ? history.meanCostUsd! : priced(model, calls),
    basis: known ? "history" : "tokens",
    maxCostUsd: priced(model, worstCaseCalls(approach, input, options, outputCap)),
    minCallUsd: priced(model, [{
      ...worstCaseCalls(approach, input, options, outputCap)[0],
      count: 1,
      output: Math.min(MIN_OUTPUT_CAP, outputCap),
    }]),
  };
}
