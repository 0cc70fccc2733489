// The scorer against its calibration set: each intact output scores full marks; each damaged copy ranks
// below it (and one more defect of a kind below the copy with one), loses points in the dimension the
// damage belongs to, and the damage is reported by its rule where it is; garbage ranks below everything;
// more damage scores lower.

import assert from "node:assert/strict";
import { profileTask } from "../supabase/functions/_shared/plan/profile.ts";
import { scoreOutput } from "../supabase/functions/_shared/score/index.ts";
import { RULES } from "../supabase/functions/_shared/score/rules.ts";
import { damaged, DAMAGES, type Fixture, GARBAGE, loadFixture } from "./support/scoring-fixtures.ts";

const FIXTURES = await Promise.all(Object.keys(DAMAGES).map(loadFixture));

function score(fixture: Fixture, files = fixture.files) {
  const profile = profileTask({ request: fixture.request, contextFiles: fixture.contextFiles });
  return scoreOutput({ files, profile, request: fixture.request, contextFiles: fixture.contextFiles });
}

Deno.test("the calibration set has at least 30 outputs", () => {
  const outputs = FIXTURES.length + Object.values(DAMAGES).flat().length + GARBAGE.length;
  assert.ok(outputs >= 30, `${outputs} outputs`);
});

for (const fixture of FIXTURES) {
  Deno.test(`${fixture.name}: the intact output scores full marks with no issues`, () => {
    const quality = score(fixture);
    assert.deepEqual(quality.issues, []);
    assert.equal(quality.overall, 100);
  });

  Deno.test(`${fixture.name}: every damage ranks below the intact output, in its own dimension`, async (t) => {
    const intact = score(fixture);
    for (const damage of DAMAGES[fixture.name]) {
      await t.step(damage.name, () => {
        const quality = score(fixture, damaged(fixture, damage));
        const { dimension } = RULES[damage.rule];
        assert.ok(quality.overall < intact.overall, `overall ${quality.overall} < ${intact.overall}`);
        assert.ok(
          quality[dimension] < intact[dimension],
          `${dimension} ${quality[dimension]} < ${intact[dimension]}`,
        );
        if (damage.onTopOf) {
          const before = score(fixture, damaged(fixture, { edits: damage.onTopOf }));
          assert.ok(
            quality.overall < before.overall,
            `one more: overall ${quality.overall} < ${before.overall}`,
          );
          assert.ok(
            quality[dimension] < before[dimension],
            `one more: ${dimension} below ${before[dimension]}`,
          );
        }
        const found = quality.issues.filter((issue) => issue.rule === damage.rule);
        assert.ok(found.length > 0, `${damage.rule} reported; got ${JSON.stringify(quality.issues)}`);
        assert.ok(found.every((issue) => issue.dimension === dimension && issue.message.length > 0));
        if (damage.file) {
          const here = found.find((issue) => issue.file === damage.file);
          assert.ok(here, `${damage.rule} reported in ${damage.file}; got ${JSON.stringify(found)}`);
          if (damage.rule !== "large-file" && damage.rule !== "many-components") {
            assert.ok((here.line ?? 0) >= 1, "with its line");
          }
        }
      });
    }
  });
}

Deno.test("a syntax error is reported with file and line, and weighs heavily", () => {
  const fixture = FIXTURES.find((f) => f.name === "todo-auth")!;
  const broken = DAMAGES["todo-auth"].find((d) => d.rule === "syntax-error")!;
  const files = damaged(fixture, broken);
  const quality = score(fixture, files);
  const issue = quality.issues.find((i) => i.rule === "syntax-error")!;
  assert.equal(issue.file, "src/components/TodoList.tsx");
  assert.equal(issue.severity, "error");
  const list = files.find((file) => file.path === "src/components/TodoList.tsx")!;
  assert.equal(
    issue.line,
    list.content.split("\n").length,
    "the end of the file, where the missing } was due",
  );
  assert.match(issue.message, /'}' expected/);
  assert.ok(
    quality.issues.some((i) => i.rule === "build-broken"),
    "a file that does not parse breaks the build",
  );
  const worstOther = Math.min(
    ...DAMAGES["todo-auth"].filter((d) => d !== broken).map((d) =>
      score(fixture, damaged(fixture, d)).overall
    ),
  );
  assert.ok(
    quality.overall < worstOther,
    `syntax error ${quality.overall} ranks below every other single damage (${worstOther})`,
  );
});

Deno.test("more damage scores lower", () => {
  const fixture = FIXTURES.find((f) => f.name === "todo-auth")!;
  const [a, b, c] = ["list-without-key", "any-type", "dead-button"].map((rule) =>
    DAMAGES["todo-auth"].find((d) => d.rule === rule)!
  );
  const one = score(fixture, damaged(fixture, a)).overall;
  const three = score(fixture, damaged(fixture, { edits: [...a.edits, ...b.edits, ...c.edits] })).overall;
  assert.ok(three < one, `${three} < ${one}`);
});

Deno.test("garbage and empty outputs rank below every damaged output", () => {
  const fixture = FIXTURES.find((f) => f.name === "todo-auth")!;
  const profile = profileTask({ request: fixture.request });
  const worstDamaged = Math.min(
    ...DAMAGES["todo-auth"].map((d) => score(fixture, damaged(fixture, d)).overall),
  );
  for (const garbage of GARBAGE) {
    const quality = scoreOutput({ files: garbage.files, profile, request: fixture.request });
    assert.ok(quality.overall < worstDamaged, `${garbage.name}: ${quality.overall} < ${worstDamaged}`);
    assert.ok(quality.issues.some((issue) => issue.severity === "error"), `${garbage.name} has an error`);
  }
  assert.equal(scoreOutput({ files: [], profile, request: fixture.request }).overall, 0);
});

Deno.test("JSON, CSS and HTML are checked to be well-formed", () => {
  const fixture = FIXTURES.find((f) => f.name === "todo-auth")!;
  const breakFile = (path: string, from: string, to: string) =>
    fixture.files.map((file) =>
      file.path === path ? { ...file, content: file.content.replace(from, to) } : file
    );
  const cases: Array<[string, ReturnType<typeof breakFile>]> = [
    ["package.json", breakFile("package.json", '"private": true,', '"private": true,,')],
    ["src/index.css", breakFile("src/index.css", ".done {", ".done {{")],
    ["index.html", breakFile("index.html", "</body>", "")],
  ];
  for (const [path, files] of cases) {
    const issue = score(fixture, files).issues.find((i) => i.rule === "malformed-file" && i.file === path);
    assert.ok(issue, `${path} reported as malformed`);
    assert.ok((issue.line ?? 0) >= 1);
  }
});
