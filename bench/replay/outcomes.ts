// Recorded model outcomes for the replay benchmark: one row per prompt and model, read from CSV with the
// columns prompt_id,task_type,model,quality,cost_usd,latency_ms (quality 0–1), optionally followed by
// expected_quality (the model's true expected quality on the prompt, when the set was generated), seq
// (the order the prompts arrive in) and prompt (the request's text), and what the two yardsticks achieve
// on them: always the model with the best mean quality, and the per-prompt oracle. Pure.

import { TASK_TYPES, type TaskType } from "../../supabase/functions/_shared/contract.ts";

export interface Outcome {
  quality: number;
  costUsd: number;
  latencyMs: number;
  /** The model's true expected quality on the prompt, when the file knows it. */
  expectedQuality?: number;
}

export interface Prompt {
  id: string;
  taskType: TaskType;
  /** Each model's recorded outcome on the prompt. */
  outcomes: Map<string, Outcome>;
  /** When it arrives, when the file says. */
  seq?: number;
  text?: string;
}

export interface Outcomes {
  prompts: Prompt[];
  /** Every model found, sorted. */
  models: string[];
}

const COLUMNS = ["prompt_id", "task_type", "model", "quality", "cost_usd", "latency_ms"];
const OPTIONAL_COLUMNS = ["expected_quality", "seq", "prompt"];

/** Parses the CSV; throws one error listing every bad line (up to 20). The prompt text, when present, is
 * the last column and may hold commas. */
export function parseOutcomes(text: string): Outcomes {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  const header = lines[0]?.split(",").map((cell) => cell.trim());
  const optional = header?.slice(COLUMNS.length) ?? [];
  if (
    !header || header.slice(0, COLUMNS.length).join(",") !== COLUMNS.join(",") ||
    optional.some((column, i) => column !== OPTIONAL_COLUMNS.filter((name) => optional.includes(name))[i])
  ) {
    throw new Error(
      `the first line must be the header ${COLUMNS.join(",")}, then any of ${OPTIONAL_COLUMNS.join(",")} ` +
        `in that order; it is "${lines[0] ?? ""}"`,
    );
  }
  const width = header.length;
  const problems: string[] = [];
  const prompts = new Map<string, Prompt>();
  lines.slice(1).forEach((line, index) => {
    if (line === "") return;
    const at = `line ${index + 2}`;
    const raw = line.split(",");
    const split = raw.map((cell) => cell.trim());
    // the prompt's text, last, keeps its commas
    const cells = optional.includes("prompt")
      ? [...split.slice(0, width - 1), raw.slice(width - 1).join(",").trim()]
      : split;
    if (cells.length !== width) {
      problems.push(`${at}: ${cells.length} columns, expected ${width}`);
      return;
    }
    const [id, taskType, model, quality, cost, latency] = cells;
    const extra = (name: string) =>
      optional.includes(name) ? cells[COLUMNS.length + optional.indexOf(name)] : undefined;
    const numbers: Outcome = { quality: Number(quality), costUsd: Number(cost), latencyMs: Number(latency) };
    const expected = extra("expected_quality");
    if (expected !== undefined) numbers.expectedQuality = Number(expected);
    const seq = extra("seq");
    const wrong = [
      !id && "an empty prompt_id",
      !model && "an empty model",
      !TASK_TYPES.includes(taskType as TaskType) &&
      `task_type "${taskType}" is not one of ${TASK_TYPES.join(", ")}`,
      !(quality !== "" && numbers.quality >= 0 && numbers.quality <= 1) &&
      `quality "${quality}" is not in 0–1`,
      !(cost !== "" && numbers.costUsd >= 0) && `cost_usd "${cost}" is not a number ≥ 0`,
      !(latency !== "" && numbers.latencyMs >= 0) && `latency_ms "${latency}" is not a number ≥ 0`,
      expected !== undefined && !(expected !== "" && Number(expected) >= 0 && Number(expected) <= 1) &&
      `expected_quality "${expected}" is not in 0–1`,
      seq !== undefined && !Number.isInteger(Number(seq)) && `seq "${seq}" is not an integer`,
    ].filter(Boolean);
    if (wrong.length) {
      problems.push(`${at}: ${wrong.join("; ")}`);
      return;
    }
    const prompt: Prompt = prompts.get(id) ?? {
      id,
      taskType: taskType as TaskType,
      outcomes: new Map(),
      ...(seq === undefined ? {} : { seq: Number(seq) }),
      ...(extra("prompt") === undefined ? {} : { text: extra("prompt") }),
    };
    if (prompt.taskType !== taskType) {
      problems.push(`${at}: prompt ${id} was ${prompt.taskType} before, now ${taskType}`);
    } else if (prompt.outcomes.has(model)) {
      problems.push(`${at}: a second row for prompt ${id} and model ${model}`);
    } else {
      prompt.outcomes.set(model, numbers);
      prompts.set(id, prompt);
    }
  });
  if (problems.length) {
    const shown = problems.slice(0, 20).join("\n  ");
    throw new Error(`${problems.length} bad line(s):\n  ${shown}${problems.length > 20 ? "\n  …" : ""}`);
  }
  if (prompts.size === 0) throw new Error("no outcomes: the file has only its header");
  const models = [...new Set([...prompts.values()].flatMap((prompt) => [...prompt.outcomes.keys()]))].sort();
  return { prompts: [...prompts.values()], models };
}

/** What a way of choosing achieved over the prompts: mean quality and total cost. */
export interface Achieved {
  meanQuality: number;
  totalCostUsd: number;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** A model's mean recorded cost, the price the replay registers it with. */
export function meanCost(outcomes: Outcomes, model: string): number {
  return mean(outcomes.prompts.flatMap((prompt) => prompt.outcomes.get(model)?.costUsd ?? []));
}

/** The model with the best mean quality over the prompts it was recorded on. */
export function bestMeanModel(outcomes: Outcomes): string {
  const quality = (model: string) =>
    mean(outcomes.prompts.flatMap((prompt) => prompt.outcomes.get(model)?.quality ?? []));
  return outcomes.models.reduce((best, model) => quality(model) > quality(best) ? model : best);
}

/** Per task type, the model with the best mean quality there. */
export function bestModelByTaskType(outcomes: Outcomes): Map<TaskType, string> {
  const taskTypes = [...new Set(outcomes.prompts.map((prompt) => prompt.taskType))];
  return new Map(taskTypes.map((taskType) => [
    taskType,
    bestMeanModel({
      ...outcomes,
      prompts: outcomes.prompts.filter((prompt) => prompt.taskType === taskType),
    }),
  ]));
}

/** What choosing `pick(prompt)` on every prompt achieves; a prompt the model lacks a row for counts as
 * quality 0 at no cost. */
export function achieved(outcomes: Outcomes, pick: (prompt: Prompt) => string): Achieved {
  const chosen = outcomes.prompts.map((prompt) => prompt.outcomes.get(pick(prompt)));
  return {
    meanQuality: mean(chosen.map((outcome) => outcome?.quality ?? 0)),
    totalCostUsd: chosen.reduce((sum, outcome) => sum + (outcome?.costUsd ?? 0), 0),
  };
}

/** The per-prompt oracle: the best quality on each prompt, the cheaper on a tie. */
export function oraclePick(prompt: Prompt): string {
  const entries = [...prompt.outcomes.entries()];
  return entries.reduce((best, entry) =>
    entry[1].quality > best[1].quality ||
      (entry[1].quality === best[1].quality && entry[1].costUsd < best[1].costUsd)
      ? entry
      : best
  )[0];
}

/** The prompts in the order they arrive: by `seq` where the file gives it, else in a seeded random order
 * (Fisher–Yates). */
export function arrivalOrder(prompts: readonly Prompt[], random: () => number): Prompt[] {
  const order = [...prompts];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
}
