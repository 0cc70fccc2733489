// Counts passed and failed tests for the summary line of `npm test`, printed as "<passed> <failed>".
//
//   test-counts.ts junit <report.xml>   Deno's JUnit report: leaf test cases (a test with steps counts
//                                        as its steps); failures, errors and skips count as failed.
//   test-counts.ts tap <output.txt>     one pg_prove --verbose run: the plan is the number of tests; those
//                                        not reported "ok" (missing, "not ok" or "# SKIP") are failed.

export interface Counts {
  passed: number;
  failed: number;
}

function unescapeXml(text: string): string {
  return text.replaceAll("&gt;", ">").replaceAll("&lt;", "<").replaceAll("&quot;", '"').replaceAll(
    "&amp;",
    "&",
  );
}

export function countJUnit(xml: string): Counts {
  const cases = [...xml.matchAll(/<testcase name="([^"]*)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)].map((
    m,
  ) => ({
    name: unescapeXml(m[1]),
    bad: /<(failure|error|skipped)\b/.test(m[3] ?? ""),
  }));
  const leaves = cases.filter((c) => !cases.some((other) => other.name.startsWith(`${c.name} > `)));
  const failed = leaves.filter((c) => c.bad).length;
  return { passed: leaves.length - failed, failed };
}

export function countTap(tap: string): Counts {
  const plan = Number(tap.match(/^\s*1\.\.(\d+)/m)?.[1] ?? 0);
  const ok = tap.split("\n").filter((line) => /^\s*ok \d+/.test(line) && !/#\s*SKIP/i.test(line)).length;
  // A file that never printed its plan died before its first test: count it as one failure.
  if (plan === 0) return { passed: 0, failed: 1 };
  return { passed: Math.min(ok, plan), failed: Math.max(plan - ok, 0) };
}

if (import.meta.main) {
  const [format, path] = Deno.args;
  const text = await Deno.readTextFile(path);
  const counts = format === "junit" ? countJUnit(text) : countTap(text);
  console.log(`${counts.passed} ${counts.failed}`);
}
