// Fits the profiler's complexity model on the tune half of the corpus and writes its weights:
// npm run fit:complexity. An ordinal logistic regression (one linear predictor, two thresholds: P(level ≤ k)
// = σ(threshold_k − predictor)), L2-regularised, by full-batch Adam from zero: deterministic, so the same
// corpus always gives the same weights (tests/profile-complexity-fit.test.ts holds the file to that). The
// measured half is never read here.

import { COMPLEXITIES } from "../supabase/functions/_shared/contract.ts";
import {
  complexityFeatures,
  complexityLevel,
  type ComplexityModel,
  complexityScore,
} from "../supabase/functions/_shared/plan/profile-complexity.ts";
import { readTask } from "../supabase/functions/_shared/plan/profile.ts";
import { type CorpusItem, loadCorpus } from "../tests/support/profile-corpus.ts";

/** Chosen by leave-one-batch-out cross-validation on the tune half (each batch is another writer's voice):
 * words in fewer requests than this say more about one writer than about the work. */
const SETTINGS = { minWordRequests: 5, l2: 0.001 };
const EPOCHS = 300;
const LEARNING_RATE = 0.05;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function fitComplexity(items: CorpusItem[], settings = SETTINGS): ComplexityModel {
  const rows = items.map((item) =>
    complexityFeatures(readTask({ request: item.request, contextFiles: item.context?.files ?? [] }).sizing)
  );
  const requests = new Map<string, number>();
  for (const row of rows) for (const name of row.keys()) requests.set(name, (requests.get(name) ?? 0) + 1);
  const names = [...requests.keys()]
    .filter((name) => !name.startsWith("word:") || requests.get(name)! >= settings.minWordRequests)
    .sort();
  const index = new Map(names.map((name, i) => [name, i]));
  const encoded = rows.map((row) => {
    const kept = [...row].filter(([name]) => index.has(name));
    return { at: kept.map(([name]) => index.get(name)!), values: kept.map(([, value]) => value) };
  });
  const levels = items.map((item) => COMPLEXITIES.indexOf(item.complexity));

  // The feature weights, then the two thresholds.
  const size = names.length + 2;
  const params = new Float64Array(size);
  params[size - 2] = -0.5;
  params[size - 1] = 0.5;
  const moment = new Float64Array(size), square = new Float64Array(size), gradient = new Float64Array(size);
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    gradient.fill(0);
    encoded.forEach(({ at, values }, n) => {
      let predictor = 0;
      for (let j = 0; j < at.length; j++) predictor += params[at[j]] * values[j];
      const low = sigmoid(params[size - 2] - predictor), upTo = sigmoid(params[size - 1] - predictor);
      // d(−log P(level)) by the predictor and each threshold
      let byPredictor: number, byMedium = 0, byHigh = 0;
      if (levels[n] === 0) {
        byPredictor = 1 - low;
        byMedium = -(1 - low);
      } else if (levels[n] === 2) {
        byPredictor = -upTo;
        byHigh = upTo;
      } else {
        const p = upTo - low + 1e-12, dLow = low * (1 - low), dUpTo = upTo * (1 - upTo);
        byPredictor = (dUpTo - dLow) / p;
        byMedium = dLow / p;
        byHigh = -dUpTo / p;
      }
      for (let j = 0; j < at.length; j++) gradient[at[j]] += byPredictor * values[j];
      gradient[size - 2] += byMedium;
      gradient[size - 1] += byHigh;
    });
    for (let i = 0; i < size; i++) {
      const g = gradient[i] / items.length + (i < size - 2 ? settings.l2 * params[i] : 0);
      moment[i] = 0.9 * moment[i] + 0.1 * g;
      square[i] = 0.999 * square[i] + 0.001 * g * g;
      params[i] -= (LEARNING_RATE * (moment[i] / (1 - 0.9 ** epoch))) /
        (Math.sqrt(square[i] / (1 - 0.999 ** epoch)) + 1e-8);
    }
  }
  const weights: Record<string, number> = {};
  names.forEach((name, i) => {
    if (round3(params[i]) !== 0) weights[name] = round3(params[i]);
  });
  return { weights, thresholds: { medium: round3(params[size - 2]), high: round3(params[size - 1]) } };
}

/** Where each of the tune half's batches after the first begins (t-1054…): each was written by another
 * voice (tests/fixtures/profile/README.md). */
const BATCH_STARTS = [1054, 1454, 1854, 2154, 2454, 2754, 3054, 3354, 3654, 3954, 4254];

/** The batch of a tune item's id: 0 for t-001…t-1053, 1 for t-1054…t-1453, and so on. */
export function batchOf(id: string): number {
  const number = Number(id.slice(2));
  return BATCH_STARTS.filter((start) => number >= start).length;
}

export interface HeldOut {
  exact: number;
  withinOne: number;
  /** Rows: labelled, columns: read (low, medium, high). */
  confusion: number[][];
  /** Each batch's exact agreement, read by the model fitted on the others. */
  byBatch: number[];
}

/** Leave one batch out: how the model reads a voice it was not fitted on. */
export function crossValidate(items: CorpusItem[], settings = SETTINGS): HeldOut {
  const confusion = COMPLEXITIES.map(() => COMPLEXITIES.map(() => 0));
  const batches = [...new Set(items.map((item) => batchOf(item.id)))].sort((a, b) => a - b);
  const byBatch = batches.map((batch) => {
    const fit = fitComplexity(items.filter((item) => batchOf(item.id) !== batch), settings);
    const held = items.filter((item) => batchOf(item.id) === batch);
    let right = 0;
    for (const item of held) {
      const { sizing } = readTask({ request: item.request, contextFiles: item.context?.files ?? [] });
      const read = COMPLEXITIES.indexOf(complexityLevel(complexityScore(sizing, fit)));
      const labelled = COMPLEXITIES.indexOf(item.complexity);
      confusion[labelled][read]++;
      if (read === labelled) right++;
    }
    return right / held.length;
  });
  const cell = (row: number, column: number) => confusion[row][column];
  return {
    exact: (cell(0, 0) + cell(1, 1) + cell(2, 2)) / items.length,
    withinOne: 1 - (cell(0, 2) + cell(2, 0)) / items.length,
    confusion,
    byBatch,
  };
}

export function weightsModule({ weights, thresholds }: ComplexityModel): string {
  return [
    "// The profiler's complexity model, fitted on tests/fixtures/profile/tune.jsonl by",
    "// scripts/fit-complexity.ts (npm run fit:complexity): generated, not edited by hand.",
    "",
    `export const COMPLEXITY_THRESHOLDS = { medium: ${thresholds.medium}, high: ${thresholds.high} };`,
    "",
    "export const COMPLEXITY_WEIGHTS: Record<string, number> = {",
    ...Object.entries(weights).map(([name, weight]) => `  ${JSON.stringify(name)}: ${weight},`),
    "};",
    "",
  ].join("\n");
}

export const WEIGHTS_FILE = new URL(
  "../supabase/functions/_shared/plan/profile-complexity-weights.ts",
  import.meta.url,
);

if (import.meta.main && Deno.args.includes("--cross-validate")) {
  const heldOut = crossValidate(await loadCorpus("tune"));
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  console.log(
    `each batch left out in turn: ${percent(heldOut.exact)} exact, ${percent(heldOut.withinOne)} within one`,
  );
  console.log(`by batch: ${heldOut.byBatch.map(percent).join(", ")}`);
  console.log(`rows labelled, columns read (low, medium, high): ${JSON.stringify(heldOut.confusion)}`);
} else if (import.meta.main) {
  const fit = fitComplexity(await loadCorpus("tune"));
  await Deno.writeTextFile(WEIGHTS_FILE, weightsModule(fit));
  console.log(`${Object.keys(fit.weights).length} weights written to ${WEIGHTS_FILE.pathname}`);
}
