// The complexity model's weights are the tune half's fit, as scripts/fit-complexity.ts makes it: nothing in
// them was set by hand or fitted on the measured half.

import assert from "node:assert/strict";
import { fitComplexity, WEIGHTS_FILE, weightsModule } from "../scripts/fit-complexity.ts";
import { loadCorpus } from "./support/profile-corpus.ts";

Deno.test("the committed complexity weights are the fit of the tune half", async () => {
  const fitted = weightsModule(fitComplexity(await loadCorpus("tune")));
  assert.equal(await Deno.readTextFile(WEIGHTS_FILE), fitted, "run npm run fit:complexity");
});
