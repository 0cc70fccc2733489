// Complexity: the size of the work the answer needs, read by an ordinal logistic model: a weighted sum of
// saturating signals (length of the prose, enumerated items, the named requirements, scope words), the
// task type, each requirement, the labelling guide's floors and the words of the prose, cut at
// two thresholds into low/medium/high. The weights are fitted on the tune half of the corpus
// (scripts/fit-complexity.ts writes profile-complexity-weights.ts): the words carry what the signals miss.
// How many files were sent is not a signal: it is the client's habit (an app may send the whole project
// with every request), not the work's size, and left out, a held-out voice's complexity reads the same.

import type { Complexity, TaskType } from "../contract.ts";
import { COMPLEXITY_THRESHOLDS, COMPLEXITY_WEIGHTS } from "./profile-complexity-weights.ts";
import { MULTI_PAGE_PRODUCT } from "./profile-requirements.ts";
import type { RequestText } from "./profile-text.ts";

/** How much each requirement adds: a sign-in or a database is substantial, a dark-mode toggle is not. */
const REQUIREMENT_WEIGHT: Record<string, number> = {
  auth: 1,
  persistence: 1,
  realtime: 1,
  payments: 1,
  routing: 1,
  charts: 0.8,
  uploads: 0.8,
  i18n: 0.8,
  api: 0.7,
  search: 0.6,
  forms: 0.5,
  responsive: 0.3,
  theming: 0.3,
};

/** A clone of a whole product ("an Airbnb clone", "Trello-lite"): a multi-page product. */
const PRODUCT_CLONE =
  /\b(clone|[\w-]+-lite|like (airbnb|trello|slack|notion|spotify|uber|twitter|instagram|netflix|jira|discord))\b/;
/** Work across a whole codebase: "every page", "~25 files", a migration. */
const WIDE_SCOPE =
  /\b(whole|entire|every (page|screen|route|component|file|endpoint)|all (the |our )?(\d+ |\w+ )?(pages|screens|routes|components|files|endpoints)|across (the (app|codebase|project)|all)|codebase|monorepo|~?\d{2,}\+? (pages|files|components|endpoints|routes|modules|places|screens|reducers|stores|forms|call sites|usages|tables|queries|services|hooks|views|templates)|migrat\w+|upgrade)\b/g;
/** The parts a request lists in running prose ("filters for date range, region and product; three charts"): each
 * separator is one more thing to do, where bullets are counted as enumerated lines. */
const LISTED = /, |; | \+ | (and|&) (?!then\b)|: (?=\S)/g;
/** Work across layers or subsystems: "end to end", "across the stack", "all levels". */
const SPANS_LAYERS =
  /\b(end[- ]to[- ]end|across the (stack|app|product|codebase|repo)|all levels|every layer|everywhere)\b/;
const SMALL_SCOPE = /\b(simple|small|tiny|just|quick|minor|single|one-line|little|a bit)\b/g;
/** One local thing named: "this function", "this regex". */
const ONE_THING =
  /\bthis (function|component|snippet|regex|line|file|error|hook|button|reducer|code|class|query|warning)\b/;

/** What a test, an explanation or a refactor is about is not built: its capabilities weigh less. */
const NOT_BUILT: ReadonlySet<TaskType> = new Set(["test", "explain", "refactor"]);
/** A bug in a subsystem (live updates, payments, uploads, an API) has a cause to find across files. */
const SUBSYSTEMS = ["realtime", "payments", "uploads", "api"];

/** The guide's floors: three or more substantial requirements make the work high; one makes a feature
 * medium (sign-in, payments or live updates anywhere; for new work also a database, pages, charts, uploads
 * or languages). */
const SUBSTANTIAL = new Set([
  "auth",
  "persistence",
  "realtime",
  "payments",
  "routing",
  "charts",
  "uploads",
  "i18n",
  "api",
]);
const SUBSTANTIAL_IN_A_CHANGE = new Set(["auth", "payments", "realtime", "charts"]);

function floorOf(taskType: TaskType, requirements: string[]): Complexity {
  if (requirements.filter((name) => SUBSTANTIAL.has(name)).length >= 3) return "high";
  const medium =
    (taskType === "generation" && requirements.some((name) => SUBSTANTIAL.has(name) && name !== "api")) ||
    (taskType === "edit" && requirements.some((name) => SUBSTANTIAL_IN_A_CHANGE.has(name)));
  return medium ? "medium" : "low";
}

/** A capability only touched ("a checkbox on the login form") weighs this much of one added. */
const TOUCHED = 0.3;

const saturate = (value: number, scale: number) => 1 - Math.exp(-value / scale);
const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

/** The signals, each a value in 0–1. */
function complexitySignals(
  text: RequestText,
  taskType: TaskType,
  requirements: string[],
  touched: string[],
): Record<string, number> {
  const requirementWeight = requirements.reduce(
    (sum, name) => sum + (REQUIREMENT_WEIGHT[name] ?? 0.5) * (touched.includes(name) ? TOUCHED : 1),
    0,
  );
  const requirementSignal = saturate(requirementWeight, 2.5);
  const wideScope = saturate(count(text.prose, WIDE_SCOPE), 1);
  const added = (name: string) => requirements.includes(name) && !touched.includes(name);
  return {
    length: saturate(text.words, 40),
    enumerated: saturate(text.enumerated, 3),
    requirements: requirementSignal,
    requirementsNotBuilt: NOT_BUILT.has(taskType) ? requirementSignal : 0,
    wideScope,
    // A refactor or restyle of the whole codebase is large; "on every page" in an edit is often one shared
    // component.
    wideRefactor: taskType === "refactor" ? wideScope : 0,
    wideRestyle: taskType === "style" ? wideScope : 0,
    wideEdit: taskType === "edit" ? wideScope : 0,
    productClone: PRODUCT_CLONE.test(text.prose) ? 1 : 0,
    multiPageProduct: MULTI_PAGE_PRODUCT.test(text.prose) ? 1 : 0,
    subsystemBug: taskType === "fix" && SUBSYSTEMS.some(added) ? 1 : 0,
    // A test request that lists its cases ("add, remove, clear, and the edge cases") tests a module's states.
    testCases: taskType === "test" ? saturate(count(text.prose, LISTED), 4) : 0,
    spansLayers: SPANS_LAYERS.test(text.prose) ? 1 : 0,
    smallScope: Math.min(count(text.prose, SMALL_SCOPE), 2) / 2,
    oneThing: ONE_THING.test(text.prose) ? 1 : 0,
  };
}

/** What the answer's size is read from. */
export interface ComplexityInput {
  text: RequestText;
  taskType: TaskType;
  /** The requirements named, those only touched, and what a restyle restyles (part of its scope). */
  requirements: string[];
  touched: string[];
  restyled: string[];
}

const WORD = /[a-z0-9]+(?:['-][a-z0-9]+)*/g;

/** The model's features by name: the signals, the task type, each requirement (added or only touched), the
 * guide's floor, and each distinct word of the prose. */
export function complexityFeatures(input: ComplexityInput): Map<string, number> {
  const { text, taskType, touched, restyled } = input;
  const scope = [...input.requirements, ...restyled];
  const features = new Map<string, number>();
  const signals = complexitySignals(text, taskType, scope, touched);
  for (const [name, value] of Object.entries(signals)) features.set(`signal:${name}`, value);
  features.set(`task:${taskType}`, 1);
  for (const name of input.requirements) {
    features.set(`${touched.includes(name) ? "touched" : "requires"}:${name}`, 1);
  }
  for (const name of restyled) features.set(`restyled:${name}`, 1);
  const added = input.requirements.filter((name) => !touched.includes(name));
  features.set(`floor:${floorOf(taskType, added)}`, 1);
  for (const word of text.prose.match(WORD) ?? []) features.set(`word:${word}`, 1);
  return features;
}

/** A fitted model: the weights of its linear predictor and where the levels begin on it. */
export interface ComplexityModel {
  weights: Record<string, number>;
  thresholds: { medium: number; high: number };
}

/** The committed fit (another, in cross-validation: scripts/fit-complexity.ts). */
const FITTED: ComplexityModel = { weights: COMPLEXITY_WEIGHTS, thresholds: COMPLEXITY_THRESHOLDS };

/** The model's linear predictor: below `medium` low, below `high` medium, else high. */
function complexityPredictor(features: Map<string, number>, weights: Record<string, number>): number {
  let sum = 0;
  for (const [name, value] of features) sum += (weights[name] ?? 0) * value;
  return sum;
}

/** Where the levels begin on the 0–1 score (as the profile has always reported it). */
const LEVEL_AT = { medium: 0.25, high: 0.45 };

/** The predictor on 0–1, its thresholds at LEVEL_AT. */
export function complexityScore(input: ComplexityInput, model = FITTED): number {
  const predictor = complexityPredictor(complexityFeatures(input), model.weights);
  const { medium, high } = model.thresholds;
  const score = predictor < medium
    ? LEVEL_AT.medium * Math.exp(predictor - medium)
    : predictor < high
    ? LEVEL_AT.medium + ((LEVEL_AT.high - LEVEL_AT.medium) * (predictor - medium)) / (high - medium)
    : 1 - (1 - LEVEL_AT.high) * Math.exp(high - predictor);
  return Math.round(score * 1000) / 1000;
}

export function complexityLevel(score: number): Complexity {
  if (score >= LEVEL_AT.high) return "high";
  if (score >= LEVEL_AT.medium) return "medium";
  return "low";
}
