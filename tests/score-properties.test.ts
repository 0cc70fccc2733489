// Properties of the scorer that no defect slips past: every damage of the calibration set scores below
// the intact output, and each further instance of a defect lowers overall by at least 0.1 — the 2nd to
// the 5th of every kind, until its dimension has nothing left to lose.

import assert from "node:assert/strict";
import { profileTask } from "../supabase/functions/_shared/plan/profile.ts";
import { scoreOutput, WEIGHTS } from "../supabase/functions/_shared/score/index.ts";
import { findingCost, RULES } from "../supabase/functions/_shared/score/rules.ts";
import {
  APP_FIXTURES,
  damaged,
  DAMAGES,
  type Fixture,
  loadFixture,
  put,
  REPEATS,
} from "./support/scoring-fixtures.ts";

const FIXTURES = await Promise.all(Object.keys(DAMAGES).map(loadFixture));
const STEP = 0.1;
/** Overall is rounded to one decimal: 99.9 - 99.8 is 0.0999… in floating point. */
const FLOAT_SLACK = 1e-9;

function score(fixture: Fixture, files = fixture.files) {
  const profile = profileTask({ request: fixture.request, contextFiles: fixture.contextFiles });
  return scoreOutput({ files, profile, request: fixture.request, contextFiles: fixture.contextFiles });
}

for (const fixture of FIXTURES) {
  Deno.test(`${fixture.name}: every damage scores below the intact output`, () => {
    const intact = score(fixture).overall;
    for (const damage of DAMAGES[fixture.name]) {
      const overall = score(fixture, damaged(fixture, damage)).overall;
      assert.ok(overall < intact, `${damage.name}: ${overall} < ${intact}`);
    }
  });
}

Deno.test("the 2nd to the 5th finding of every rule cost at least 0.1 of overall", () => {
  for (const [id, rule] of Object.entries(RULES)) {
    for (let previous = 1; previous <= 4; previous++) {
      const cost = WEIGHTS[rule.dimension] * findingCost(rule, previous);
      assert.ok(cost >= STEP, `${id}, finding ${previous + 1}: ${cost}`);
      assert.ok(findingCost(rule, previous) <= findingCost(rule, previous - 1), `${id} never costs more`);
    }
  }
});

for (const name of APP_FIXTURES) {
  for (const repeat of REPEATS) {
    Deno.test(`${name}: each of five instances of ${repeat.name} lowers overall by 0.1 or more`, () => {
      const fixture = FIXTURES.find((f) => f.name === name)!;
      const { dimension } = RULES[repeat.rule];
      let before = score(fixture);
      for (let count = 1; count <= 5; count++) {
        const quality = score(fixture, damaged(fixture, { edits: [put(repeat.files(count))] }));
        const found = quality.issues.filter((issue) => issue.rule === repeat.rule);
        assert.equal(found.length, count, `${count} × ${repeat.rule}; got ${JSON.stringify(quality.issues)}`);
        if (before[dimension] > 0) {
          const drop = before.overall - quality.overall;
          assert.ok(drop >= STEP - FLOAT_SLACK, `instance ${count}: ${before.overall} → ${quality.overall}`);
        }
        before = quality;
      }
    });
  }
}
