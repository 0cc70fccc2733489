// The complexity model's weights are the tune half's fit, as scripts/fit-complexity.ts makes it: nothing in
// them was set by hand or fitted on the measured half.

import assert from "node:assert/strict";
import {
  batchOf,
  crossValidate,
  fitComplexity,
  WEIGHTS_FILE,
  weightsModule,
} from "../scripts/fit-complexity.ts";
import { loadCorpus } from "./support/profile-corpus.ts";

Deno.test("the committed complexity weights are the fit of the tune half", async () => {
  const fitted = weightsModule(fitComplexity(await loadCorpus("tune")));
  assert.equal(await Deno.readTextFile(WEIGHTS_FILE), fitted, "run npm run fit:complexity");
});

Deno.test("cross-validation reads each batch with a model fitted on the others", async () => {
  assert.deepEqual(["t-001", "t-1053", "t-1054", "t-4253", "t-4254", "t-4553"].map(batchOf), [
    0,
    0,
    1,
    10,
    11,
    11,
  ]);
  const tune = await loadCorpus("tune");
  // two voices, sixty items each: every item is read once, by the model fitted on the other voice
  const items = [
    ...tune.filter((item) => batchOf(item.id) === 0).slice(0, 60),
    ...tune.filter((item) => batchOf(item.id) === 5).slice(0, 60),
  ];
  const heldOut = crossValidate(items);
  assert.equal(heldOut.confusion.flat().reduce((sum, n) => sum + n, 0), 120);
  assert.equal(heldOut.byBatch.length, 2);
  const right = heldOut.confusion[0][0] + heldOut.confusion[1][1] + heldOut.confusion[2][2];
  assert.equal(heldOut.exact, right / 120);
  assert.equal(Math.round(heldOut.byBatch[0] * 60 + heldOut.byBatch[1] * 60), right);
});
