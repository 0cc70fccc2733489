// The approaches a strategy can take with a model. Both return files.
//   simple:      one call returns every file.
//   progressive: a plan call lists the files, batches of them are written in parallel against the
//                plan, and the batches are assembled in plan order.

import type { Approach, GeneratedFile } from "../contract.ts";
import { type CatalogModel, costOfUsage, usd } from "../plan/catalog.ts";
import {
  batchPrompt,
  FILES_JSON_SCHEMA,
  FilesAnswerSchema,
  type FoundIssue,
  PLAN_JSON_SCHEMA,
  PlanAnswerSchema,
  planPrompt,
  type PromptInput,
  refinePrompt,
  simplePrompt,
  systemPrompt,
} from "./prompts.ts";
import { type GenerateResult, type Provider, ProviderError, type TokenUsage } from "../providers/types.ts";

export interface ApproachResult {
  files: GeneratedFile[];
  usage: TokenUsage;
  /** What the calls cost, each priced on its own (costUsd). */
  costUsd: number;
  /** Provider calls made, and how many of them were retried. */
  calls: number;
  retries: number;
  modelVersion: string | null;
}

export interface ApproachOptions {
  maxOutputTokens: number;
  /** An output holding more files, or more bytes of content in all, is malformed (a hostile model). */
  maxOutputFiles: number;
  maxOutputBytes: number;
  /** Progressive: files per batch call, and batch calls in flight at once. */
  batchSize: number;
  batchConcurrency: number;
  /** Progressive: how long the plan call, and each batch call, may take. */
  planTimeoutMs: number;
  batchTimeoutMs: number;
}

export const DEFAULT_APPROACH_OPTIONS: ApproachOptions = {
  maxOutputTokens: 32_768,
  maxOutputFiles: 200,
  maxOutputBytes: 2_000_000,
  batchSize: 4,
  batchConcurrency: 3,
  planTimeoutMs: 30_000,
  batchTimeoutMs: 75_000,
};

/** Adds up the usage, cost and retries of the calls of one approach, failed calls included. Each call is
 * priced as it comes: a tiered price depends on one call's input, so the summed usage would be priced
 * wrong — and the spend guard counts call by call too. */
class UsageMeter {
  usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  costUsd = 0;
  calls = 0;
  retries = 0;
  modelVersion: string | null = null;

  constructor(private readonly model: CatalogModel) {}

  async call<T>(run: () => Promise<GenerateResult>, parse: (result: GenerateResult) => T): Promise<T> {
    this.calls++;
    let result: GenerateResult;
    try {
      result = await run();
    } catch (error) {
      if (error instanceof ProviderError) {
        if (error.details.usage) this.add(error.details.usage);
        this.retries += error.details.retries ?? 0;
      }
      throw this.withTotals(error);
    }
    this.add(result.usage);
    this.retries += result.retries ?? 0;
    this.modelVersion = result.modelVersion;
    try {
      return parse(result);
    } catch (error) {
      throw this.withTotals(
        new ProviderError("malformed_output", `answer does not match the shape: ${error}`),
      );
    }
  }

  private add(usage: TokenUsage) {
    this.usage = {
      inputTokens: this.usage.inputTokens + usage.inputTokens,
      outputTokens: this.usage.outputTokens + usage.outputTokens,
    };
    this.costUsd = usd(this.costUsd + costOfUsage(this.model, usage));
  }

  result(files: GeneratedFile[]): ApproachResult {
    return {
      files,
      usage: this.usage,
      costUsd: this.costUsd,
      calls: this.calls,
      retries: this.retries,
      modelVersion: this.modelVersion,
    };
  }

  /** The error with the whole approach's calls and usage so far, so a failed attempt is recorded in full. */
  withTotals(error: unknown): ProviderError {
    const base = error instanceof ProviderError ? error : new ProviderError("unknown", String(error));
    return new ProviderError(base.errorClass, base.message, {
      ...base.details,
      usage: this.usage,
      costUsd: this.costUsd,
      calls: this.calls,
      retries: this.retries,
    });
  }
}

const encoder = new TextEncoder();

/** Holds an output to the caps: past them it is malformed, whatever else is right with it. */
function withinLimits(files: GeneratedFile[], options: ApproachOptions): GeneratedFile[] {
  if (files.length > options.maxOutputFiles) {
    throw new ProviderError(
      "malformed_output",
      `${files.length} files; an output may hold ${options.maxOutputFiles}`,
    );
  }
  const bytes = files.reduce((sum, file) => sum + encoder.encode(file.content).length, 0);
  if (bytes > options.maxOutputBytes) {
    throw new ProviderError(
      "malformed_output",
      `${bytes} bytes of files; an output may hold ${options.maxOutputBytes}`,
    );
  }
  return files;
}

/** One approach run: which model, through which provider, on what input. */
interface ApproachCall {
  provider: Provider;
  model: CatalogModel;
  input: PromptInput;
  options: ApproachOptions;
  signal: AbortSignal;
}

/** A call whose answer is files, following FILES_JSON_SCHEMA. */
function filesCall(
  { provider, model, options }: ApproachCall,
  system: string,
  prompt: string,
  signal: AbortSignal,
) {
  return () =>
    provider.generate({
      model: model.id,
      system,
      prompt,
      jsonSchema: FILES_JSON_SCHEMA,
      maxOutputTokens: options.maxOutputTokens,
    }, signal);
}

/** One call whose answer is the whole set of files. */
async function runOneCall(call: ApproachCall, prompt: string): Promise<ApproachResult> {
  const meter = new UsageMeter(call.model);
  const answer = await meter.call(
    filesCall(call, systemPrompt(call.input), prompt, call.signal),
    (result) => FilesAnswerSchema.parse(result.json),
  );
  try {
    return meter.result(withinLimits(answer.files, call.options));
  } catch (error) {
    throw meter.withTotals(error);
  }
}

/** A refinement round: the output so far and its issues, for the corrected whole, in one call. */
export function runRefinement(
  provider: Provider,
  model: CatalogModel,
  input: PromptInput,
  refining: { files: GeneratedFile[]; issues: FoundIssue[] },
  options: ApproachOptions,
  signal: AbortSignal,
): Promise<ApproachResult> {
  const call = { provider, model, input, options, signal };
  return runOneCall(call, refinePrompt(input, refining.files, refining.issues));
}

/** Runs tasks with at most `limit` in flight; rejects with the first failure. */
async function mapConcurrent<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function runProgressive(call: ApproachCall): Promise<ApproachResult> {
  const { provider, model, input, options, signal } = call;
  const meter = new UsageMeter(model);
  const system = systemPrompt(input);
  const planSignal = AbortSignal.any([signal, AbortSignal.timeout(options.planTimeoutMs)]);
  const plan = await meter.call(
    () =>
      provider.generate(
        {
          model: model.id,
          system,
          prompt: planPrompt(input),
          jsonSchema: PLAN_JSON_SCHEMA,
          maxOutputTokens: options.maxOutputTokens,
        },
        planSignal,
      ),
    (result) => PlanAnswerSchema.parse(result.json),
  );
  const planned = [...new Set(plan.files.map((file) => file.path))];
  const batches: string[][] = [];
  for (let i = 0; i < planned.length; i += options.batchSize) {
    batches.push(planned.slice(i, i + options.batchSize));
  }

  // One failed batch fails the attempt: the others are aborted rather than paid for.
  const batchAbort = new AbortController();
  const batchSignal = AbortSignal.any([signal, batchAbort.signal]);
  let written: GeneratedFile[][];
  try {
    written = await mapConcurrent(batches, options.batchConcurrency, (batch) =>
      meter.call(
        filesCall(
          call,
          system,
          batchPrompt(input, plan, batch),
          AbortSignal.any([batchSignal, AbortSignal.timeout(options.batchTimeoutMs)]),
        ),
        (result) => FilesAnswerSchema.parse(result.json).files,
      ));
  } catch (error) {
    batchAbort.abort(error);
    throw meter.withTotals(error);
  }

  // Assemble in plan order; a file written twice keeps its last version.
  const byPath = new Map<string, GeneratedFile>();
  for (const file of written.flat()) byPath.set(file.path, file);
  const ordered = [
    ...planned.flatMap((path) => byPath.get(path) ?? []),
    ...[...byPath.values()].filter((file) => !planned.includes(file.path)),
  ];
  try {
    return meter.result(withinLimits(ordered, options));
  } catch (error) {
    throw meter.withTotals(error);
  }
}

export function runApproach(
  approach: Approach,
  provider: Provider,
  model: CatalogModel,
  input: PromptInput,
  options: ApproachOptions,
  signal: AbortSignal,
): Promise<ApproachResult> {
  const call = { provider, model, input, options, signal };
  return approach === "simple" ? runOneCall(call, simplePrompt(input)) : runProgressive(call);
}
