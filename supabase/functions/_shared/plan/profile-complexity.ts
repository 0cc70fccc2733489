// Complexity: the size of the work the answer needs, as a weighted sum of saturating signals (length of
// the prose, enumerated items, the named requirements, files sent, scope words), read off as low/medium/high.
// The weights were fitted on the tune half of the corpus (tests/fixtures/profile/); the floors are the
// labelling guide's definitions.

import type { Complexity, TaskType } from "../contract.ts";
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

/** Restructuring and tests are rarely trivial; a small edit or restyle often is. */
export const TASK_BIAS: Record<TaskType, number> = {
  generation: 0.1,
  edit: 0,
  fix: -0.05,
  refactor: 0.07,
  style: 0,
  explain: 0.01,
  test: 0.05,
};

/** What a test, an explanation or a refactor is about is not built: its capabilities weigh less. */
const NOT_BUILT: ReadonlySet<TaskType> = new Set(["test", "explain", "refactor"]);
/** A bug in a subsystem (live updates, payments, uploads, an API) has a cause to find across files. */
const SUBSYSTEMS = ["realtime", "payments", "uploads", "api"];

/** Where the levels begin on the score. */
export const MEDIUM = 0.25;
export const HIGH = 0.45;

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

export function floorOf(taskType: TaskType, requirements: string[]): number {
  if (requirements.filter((name) => SUBSTANTIAL.has(name)).length >= 3) return HIGH;
  const medium =
    (taskType === "generation" && requirements.some((name) => SUBSTANTIAL.has(name) && name !== "api")) ||
    (taskType === "edit" && requirements.some((name) => SUBSTANTIAL_IN_A_CHANGE.has(name)));
  return medium ? MEDIUM : 0;
}

/** A capability only touched ("a checkbox on the login form") weighs this much of one added. */
export const TOUCHED = 0.3;

const saturate = (value: number, scale: number) => 1 - Math.exp(-value / scale);
const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

/** The signals, each a value in 0–1 (named so that the weights below read as a table). */
export function complexitySignals(
  text: RequestText,
  taskType: TaskType,
  requirements: string[],
  touched: string[],
  contextFileCount: number,
): Record<keyof typeof WEIGHTS, number> {
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
    contextFiles: Math.min(contextFileCount, 3) / 3,
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

/** How much each signal moves the score (fitted on the tune half, all four voices; a signal kept only where a
 * refit scores better in 5-fold cross-validation). */
export const WEIGHTS = {
  length: 0.35,
  enumerated: 0.08,
  requirements: 0.2,
  requirementsNotBuilt: -0.05,
  contextFiles: 0.12,
  wideScope: 0.19,
  wideRefactor: 0.1,
  wideRestyle: 0.17,
  wideEdit: -0.08,
  productClone: 0.32,
  multiPageProduct: 0.1,
  subsystemBug: 0.08,
  testCases: 0.04,
  spansLayers: 0.05,
  smallScope: -0.12,
  oneThing: -0.04,
};

export function complexityScore(
  text: RequestText,
  taskType: TaskType,
  requirements: string[],
  touched: string[],
  contextFileCount: number,
): number {
  const signals = complexitySignals(text, taskType, requirements, touched, contextFileCount);
  let score = (Object.keys(WEIGHTS) as Array<keyof typeof WEIGHTS>).reduce(
    (sum, name) => sum + WEIGHTS[name] * signals[name],
    TASK_BIAS[taskType],
  );
  score = Math.max(score, floorOf(taskType, requirements.filter((name) => !touched.includes(name))));
  return Math.min(1, Math.max(0, Math.round(score * 1000) / 1000));
}

export function complexityLevel(score: number): Complexity {
  if (score >= HIGH) return "high";
  if (score >= MEDIUM) return "medium";
  return "low";
}
