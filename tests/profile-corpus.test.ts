// The profiler against its corpus (tests/fixtures/profile/): the measured half (written before the rules were
// tuned, never tuned on) and the tune half; their figures may not silently regress. Aggregates only.

import assert from "node:assert/strict";
import { COMPLEXITIES, TASK_TYPES } from "../supabase/functions/_shared/contract.ts";
import { corpusFigures, loadCorpus, REQUIREMENTS, secondLabeller } from "./support/profile-corpus.ts";

/** The targets (fractions of the measured half). */
const TARGET = { taskTypeAccuracy: 0.95, complexityExact: 0.85, complexityWithinOne: 0.98, requirement: 0.9 };

interface Floors {
  taskTypeAccuracy?: number;
  complexityExact?: number;
  complexityWithinOne?: number;
  requirements: Record<string, { precision?: number; recall?: number }>;
}

/** Figures the rules do not reach the target for yet on the measured half, pinned at what they achieve
 * (floored to 2 decimals). Raise them as the rules improve; never lower them to make a change pass. Two
 * tuning rounds on blind writers' requests each traded, and reported it: the second (400 requests) lowered
 * complexity and the precision of auth, routing, forms and api here while raising the task type and most
 * recalls; the third (400 more, with traps) raised the task type (93.6 → 94.8%), complexity (70.8 →
 * 73.6%), forms (75/83 → 87/87), persistence, payments and api's precision, and lowered routing's precision
 * (71 → 67.6%), uploads' (89 → 86.7%) and api's recall (88 → 84%); the fourth (300 more, with traps, and a
 * complexity refit judged by cross-validation on the tune half) raised auth (88.9/93.0 → 89.1/95.3%),
 * uploads' precision (86.7 → 89.7%) and api (89.4/84.0 → 89.6/86.0%) and lowered complexity (73.6 → 72.8%:
 * two requests of 250); the fifth round (on the fifth and sixth batches: a few cues, and
 * a restyle's sign-in page is not a sign-in to build) raised auth's precision (89.1 → 91.1%)
 * and routing's (67.6 → 69.4%), and the task type to the target (94.8 → 95.2%); complexity read by a model
 * fitted with the prose's words (scripts/fit-complexity.ts) raised complexity (72.8 → 74.8%), and fitted
 * again with 900 more tune requests of three new voices, to 76.8% (and with 900 more, 76.0%); the sixth
 * round of rules, on those six voices, raised the task type (95.2 → 95.6%) and routing's precision (69.4 →
 * 71.4%); complexity without the count of files sent as a signal reads 76.4%. */
const SHORT_OF_TARGET: Floors = {
  complexityExact: 0.76,
  requirements: {
    persistence: { precision: 0.83 },
    routing: { precision: 0.71 },
    charts: { precision: 0.89 },
    forms: { precision: 0.86, recall: 0.86 },
    api: { precision: 0.89, recall: 0.86 },
    payments: { precision: 0.89 },
    uploads: { precision: 0.89 },
  },
};

/** The tune half, pinned where it stands below the targets (floored to 2 decimals), so that a change
 * tuned for some requests cannot quietly undo what the others taught. (Each batch added moves these: the
 * fourth, 300 requests the rules read worse than the rest, brought complexity from 81.8 to 80.8% and forms
 * and routing's precision below 90%; the fifth and sixth batches, 600 requests of two more voices, complexity
 * to 79.3% and persistence, routing, forms and api below 90%. Complexity is fitted on this half, so its
 * 91% here is the fit's, not a reading of new voices: leave-one-batch-out, it reads 81.3%. The seventh to
 * twelfth batches, 1,800 requests of six more voices read blind at 80–89% of their task types, brought the
 * task type to 92.8% and auth, persistence, routing, forms, api, payments and responsive lower.) */
const TUNE_SHORT_OF_TARGET: Floors = {
  taskTypeAccuracy: 0.92,
  requirements: {
    auth: { precision: 0.89 },
    persistence: { precision: 0.83, recall: 0.83 },
    routing: { precision: 0.73, recall: 0.86 },
    forms: { precision: 0.81, recall: 0.85 },
    api: { precision: 0.83, recall: 0.87 },
    payments: { precision: 0.85 },
    responsive: { recall: 0.87 },
  },
};

const [tune, measured] = await Promise.all([loadCorpus("tune"), loadCorpus("measured")]);
const figures = corpusFigures(measured);
const tuneFigures = corpusFigures(tune);

function assertFloors(half: string, halfFigures: typeof figures, pinned: Floors): void {
  const floors = {
    taskTypeAccuracy: pinned.taskTypeAccuracy ?? TARGET.taskTypeAccuracy,
    complexityExact: pinned.complexityExact ?? TARGET.complexityExact,
    complexityWithinOne: pinned.complexityWithinOne ?? TARGET.complexityWithinOne,
  };
  for (const [figure, floor] of Object.entries(floors) as Array<[keyof typeof floors, number]>) {
    assert.ok(
      halfFigures[figure] >= floor,
      `${half}: ${figure} ${halfFigures[figure].toFixed(3)} >= ${floor}`,
    );
  }
  for (const name of REQUIREMENTS) {
    const { precision, recall } = halfFigures.requirements[name];
    const requirement = pinned.requirements[name] ?? {};
    const least = {
      precision: requirement.precision ?? TARGET.requirement,
      recall: requirement.recall ?? TARGET.requirement,
    };
    assert.ok(
      precision >= least.precision,
      `${half}: ${name} precision ${precision.toFixed(3)} >= ${least.precision}`,
    );
    assert.ok(recall >= least.recall, `${half}: ${name} recall ${recall.toFixed(3)} >= ${least.recall}`);
  }
}

Deno.test("the two halves are well-formed and apart", () => {
  const ids = [...tune, ...measured].map((item) => item.id);
  assert.equal(new Set(ids).size, ids.length, "ids are unique across both halves");
  assert.ok(
    tune.every((item) => item.id.startsWith("t-")) && measured.every((item) => item.id.startsWith("m-")),
  );
  for (const item of [...tune, ...measured]) {
    assert.ok(TASK_TYPES.includes(item.taskType), `${item.id}: task type ${item.taskType}`);
    assert.ok(COMPLEXITIES.includes(item.complexity), `${item.id}: complexity ${item.complexity}`);
    for (const name of item.requirements) {
      assert.ok((REQUIREMENTS as readonly string[]).includes(name), `${item.id}: requirement ${name}`);
    }
  }
});

Deno.test("the second labelling covers the measured half with the guide's values", async () => {
  const read = await secondLabeller();
  for (const item of measured) {
    const label = read(item);
    assert.ok(TASK_TYPES.includes(label.taskType), `${item.id}: task type ${label.taskType}`);
    assert.ok(COMPLEXITIES.includes(label.complexity), `${item.id}: complexity ${label.complexity}`);
    for (const name of label.requirements) {
      assert.ok((REQUIREMENTS as readonly string[]).includes(name), `${item.id}: requirement ${name}`);
    }
  }
});

Deno.test("task type, complexity and each requirement on the measured half", () => {
  assertFloors("measured", figures, SHORT_OF_TARGET);
});

Deno.test("task type, complexity and each requirement on the tune half", () => {
  assertFloors("tune", tuneFigures, TUNE_SHORT_OF_TARGET);
});

// (Judged by error rates, not by a gap in accuracy: the doubtful requests read better as the rules improve,
// and what the intent call needs is that they are where the errors are.)
Deno.test("low task-type confidence marks the doubtful requests: three times the errors or more", () => {
  assert.ok(
    1 - figures.doubtful.accuracy >= 3 * (1 - figures.confident.accuracy),
    `confidence >= 0.5: ${figures.confident.accuracy.toFixed(3)}, < 0.5: ${
      figures.doubtful.accuracy.toFixed(3)
    }`,
  );
});
