// The summary line of `npm test` must count honestly: leaves of step trees, failures, skips, and TAP
// files that died before finishing their plan.

import assert from "node:assert/strict";
import { countJUnit, countTap } from "../scripts/test-counts.ts";

Deno.test("JUnit: a test with steps counts as its steps; failures and skips are failed", () => {
  const xml = `<testsuites><testsuite name="a">
    <testcase name="router" classname="a"><failure message="x">boom</failure></testcase>
    <testcase name="router &gt; step one" classname="a"></testcase>
    <testcase name="router &gt; step two" classname="a"><failure message="x">boom</failure></testcase>
    <testcase name="plain" classname="a"/>
    <testcase name="ignored" classname="a"><skipped/></testcase>
  </testsuite></testsuites>`;
  assert.deepEqual(countJUnit(xml), { passed: 2, failed: 2 });
});

Deno.test("TAP: tests missing from the plan, 'not ok' and skips are failed", () => {
  const tap = "file.sql .. \n1..5\nok 1 - a\nnot ok 2 - b\nok 3 - c # SKIP no reason\nok 4 - d\n";
  assert.deepEqual(countTap(tap), { passed: 2, failed: 3 });
});

Deno.test("TAP: a file that died before its plan counts as one failure", () => {
  assert.deepEqual(countTap("psql: error: connection refused\n"), { passed: 0, failed: 1 });
});
