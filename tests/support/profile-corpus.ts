// The profiler's labelled corpus (tests/fixtures/profile/) and the figures it is judged by, shared by
// bench/profile.ts (which prints them) and tests/profile-corpus.test.ts (which pins them). Only aggregate
// figures leave this module: the measured half is never inspected item by item.

import {
  COMPLEXITIES,
  type Complexity,
  type GeneratedFile,
  TASK_TYPES,
  type TaskType,
} from "../../supabase/functions/_shared/contract.ts";
import { profileTask } from "../../supabase/functions/_shared/plan/profile.ts";

export type CorpusHalf = "tune" | "measured";

export interface CorpusItem {
  id: string;
  request: string;
  context?: { files?: GeneratedFile[]; framework?: string };
  taskType: TaskType;
  complexity: Complexity;
  requirements: string[];
}

/** The requirements the labelling guide defines, in its order. */
export const REQUIREMENTS = [
  "auth",
  "persistence",
  "routing",
  "charts",
  "forms",
  "realtime",
  "search",
  "api",
  "payments",
  "uploads",
  "i18n",
  "responsive",
  "theming",
] as const;

const CORPUS_DIR = new URL("../fixtures/profile/", import.meta.url);

export async function loadCorpus(half: CorpusHalf): Promise<CorpusItem[]> {
  const text = await Deno.readTextFile(new URL(`${half}.jsonl`, CORPUS_DIR));
  return text.split("\n").filter((line) => line.trim()).map((line) => JSON.parse(line) as CorpusItem);
}

export interface PrecisionRecall {
  precision: number;
  recall: number;
  /** Items labelled with the requirement, and items the profiler named it for. */
  labelled: number;
  profiled: number;
}

export interface CorpusFigures {
  items: number;
  taskTypeAccuracy: number;
  /** confusion[labelled][profiled]: item counts, in TASK_TYPES order both ways. */
  confusion: number[][];
  complexityExact: number;
  complexityWithinOne: number;
  /** complexityConfusion[labelled][profiled], in COMPLEXITIES order. */
  complexityConfusion: number[][];
  requirements: Record<string, PrecisionRecall>;
  /** Task-type accuracy of the items the profiler was sure of (confidence ≥ 0.5) and of the rest. */
  confident: { items: number; accuracy: number };
  doubtful: { items: number; accuracy: number };
}

const fraction = (part: number, whole: number) => (whole === 0 ? 1 : part / whole);

/** What a reader (the profiler, or a second labeller) reads from an item. */
export interface Reading {
  taskType: TaskType;
  complexity: Complexity;
  requirements: string[];
  taskTypeConfidence: number;
}

const profilerReading = (item: CorpusItem): Reading =>
  profileTask({ request: item.request, contextFiles: item.context?.files ?? [] });

/** The labels of a second labeller (tests/fixtures/profile/measured-relabelled.jsonl: one object per line,
 * {id, taskType, complexity, requirements}), read as if a profiler had read them, sure of each. */
export async function secondLabeller(): Promise<(item: CorpusItem) => Reading> {
  const text = await Deno.readTextFile(new URL("measured-relabelled.jsonl", CORPUS_DIR));
  const labels = new Map(
    text.split("\n").filter((line) => line.trim()).map((line) => {
      const label = JSON.parse(line) as Omit<Reading, "taskTypeConfidence"> & { id: string };
      return [label.id, { ...label, taskTypeConfidence: 1 }];
    }),
  );
  return (item) => {
    const label = labels.get(item.id);
    if (!label) throw new Error(`no second label for ${item.id}`);
    return label;
  };
}

export function corpusFigures(items: CorpusItem[], read = profilerReading): CorpusFigures {
  const square = (n: number) => Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const confusion = square(TASK_TYPES.length);
  const complexityConfusion = square(COMPLEXITIES.length);
  const counts = Object.fromEntries(REQUIREMENTS.map((name) => [name, { hit: 0, labelled: 0, profiled: 0 }]));
  let typeRight = 0, exact = 0, withinOne = 0;
  const confidence = { confident: [0, 0], doubtful: [0, 0] };
  for (const item of items) {
    const profile = read(item);
    const right = profile.taskType === item.taskType;
    confusion[TASK_TYPES.indexOf(item.taskType)][TASK_TYPES.indexOf(profile.taskType)]++;
    if (right) typeRight++;
    const bucket = confidence[profile.taskTypeConfidence >= 0.5 ? "confident" : "doubtful"];
    bucket[0]++;
    if (right) bucket[1]++;
    const levelGap = Math.abs(
      COMPLEXITIES.indexOf(item.complexity) - COMPLEXITIES.indexOf(profile.complexity),
    );
    complexityConfusion[COMPLEXITIES.indexOf(item.complexity)][COMPLEXITIES.indexOf(profile.complexity)]++;
    if (levelGap === 0) exact++;
    if (levelGap <= 1) withinOne++;
    for (const name of REQUIREMENTS) {
      const labelled = item.requirements.includes(name);
      const profiled = profile.requirements.includes(name);
      if (labelled) counts[name].labelled++;
      if (profiled) counts[name].profiled++;
      if (labelled && profiled) counts[name].hit++;
    }
  }
  const requirements = Object.fromEntries(
    Object.entries(counts).map(([name, { hit, labelled, profiled }]) => [name, {
      // Naming a requirement for no item makes no false claim: precision 1.
      precision: fraction(hit, profiled),
      recall: fraction(hit, labelled),
      labelled,
      profiled,
    }]),
  );
  return {
    items: items.length,
    taskTypeAccuracy: fraction(typeRight, items.length),
    confusion,
    complexityExact: fraction(exact, items.length),
    complexityWithinOne: fraction(withinOne, items.length),
    complexityConfusion,
    requirements,
    confident: {
      items: confidence.confident[0],
      accuracy: fraction(confidence.confident[1], confidence.confident[0]),
    },
    doubtful: {
      items: confidence.doubtful[0],
      accuracy: fraction(confidence.doubtful[1], confidence.doubtful[0]),
    },
  };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** The one-line summary bench/profile.ts ends with: fractions 0–1, 3 decimals. */
export function figuresSummary(figures: CorpusFigures) {
  return {
    taskTypeAccuracy: round3(figures.taskTypeAccuracy),
    complexityExact: round3(figures.complexityExact),
    complexityWithinOne: round3(figures.complexityWithinOne),
    requirements: Object.fromEntries(
      Object.entries(figures.requirements).map(([name, { precision, recall }]) => [
        name,
        { precision: round3(precision), recall: round3(recall) },
      ]),
    ),
  };
}
