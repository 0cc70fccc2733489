// `npm run score -- <directory> [--request "<text>"] [--context <directory>]` as users run it.

import assert from "node:assert/strict";
import { ROOT, runScript } from "./support/processes.ts";

const fixtures = `${ROOT}/tests/fixtures/scoring`;
const score = (...args: string[]) => runScript("score.ts", ["--allow-read", "--allow-env"], args);

Deno.test("scores a directory against a request and prints JSON", async () => {
  const request = await Deno.readTextFile(`${fixtures}/sales-dashboard/request.txt`);
  const result = await score(`${fixtures}/sales-dashboard/output`, "--request", request.trim());
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.files, 14);
  assert.deepEqual(report.profile.requirements, ["routing", "charts", "search"]);
  assert.equal(report.quality.overall, 100);
  assert.deepEqual(report.quality.issues, []);
});

Deno.test("judges an explanation against the code it explains", async () => {
  const dir = `${fixtures}/explain-debounce`;
  const request = (await Deno.readTextFile(`${dir}/request.txt`)).trim();
  const result = await score(`${dir}/output`, "--request", request, "--context", `${dir}/context`);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.profile.taskType, "explain");
  assert.equal(report.quality.overall, 100);
});

Deno.test("without a request, an output is judged as a new project of its size", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/src`);
    await Deno.writeTextFile(`${dir}/src/App.tsx`, "export default function App() {\n  return <p>hi</p>\n");
    const result = await score(dir);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.profile.complexity, "low");
    const issue = report.quality.issues.find((i: { rule: string }) => i.rule === "syntax-error");
    assert.equal(issue.file, "src/App.tsx");
    assert.equal(issue.line, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a missing directory or argument is a clear usage error", async () => {
  const missing = await score(`${fixtures}/does-not-exist`);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /usage: npm run score/);
  const noValue = await score(`${fixtures}/sales-dashboard/output`, "--request");
  assert.equal(noValue.code, 2);
  assert.match(noValue.stderr, /--request needs a value/);
});
