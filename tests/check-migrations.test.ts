// Landed migrations are append-only: the manifest check (scripts/check-migrations.ts, a step of npm test)
// passes on the tree as committed and fails on each way of breaking the rule.

import assert from "node:assert/strict";
import { ROOT } from "./support/processes.ts";

async function check(folder: string, ...flags: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", `${ROOT}/scripts/check-migrations.ts`, ...flags, folder],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: output.code,
    text: new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr),
  };
}

/** A copy of supabase/migrations and the manifest, to break. */
async function copy(): Promise<string> {
  const folder = await Deno.makeTempDir();
  await Deno.mkdir(`${folder}/migrations`);
  await Deno.copyFile(`${ROOT}/supabase/migrations.sha256`, `${folder}/migrations.sha256`);
  for (const entry of Deno.readDirSync(`${ROOT}/supabase/migrations`)) {
    await Deno.copyFile(`${ROOT}/supabase/migrations/${entry.name}`, `${folder}/migrations/${entry.name}`);
  }
  return folder;
}

const listedNames = async (folder: string) =>
  (await Deno.readTextFile(`${folder}/migrations.sha256`)).trim().split("\n").map((line) =>
    line.split("migrations/")[1]
  );

Deno.test("the committed migrations match their manifest", async () => {
  const { code, text } = await check(`${ROOT}/supabase`);
  assert.equal(code, 0, text);
});

Deno.test("an edited, removed or back-dated migration fails the check; a new one is sealed", async (t) => {
  await t.step("edited", async () => {
    const folder = await copy();
    const [first] = await listedNames(folder);
    await Deno.writeTextFile(`${folder}/migrations/${first}`, "\n-- an edit\n", { append: true });
    const { code, text } = await check(folder);
    assert.equal(code, 1);
    assert.match(text, new RegExp(`${first} changed after it landed`));
  });
  await t.step("removed", async () => {
    const folder = await copy();
    const [first] = await listedNames(folder);
    await Deno.remove(`${folder}/migrations/${first}`);
    assert.match((await check(folder)).text, /is listed but gone/);
  });
  await t.step("new, sorting before the last landed one", async () => {
    const folder = await copy();
    await Deno.writeTextFile(`${folder}/migrations/20200101000000_late_arrival.sql`, "select 1;\n");
    const { code, text } = await check(folder);
    assert.equal(code, 1);
    assert.match(text, /20200101000000_late_arrival.sql sorts before the last landed migration/);
  });
  await t.step("new, after the last: passes, and --seal lists it", async () => {
    const folder = await copy();
    await Deno.writeTextFile(`${folder}/migrations/29991231000000_next.sql`, "select 1;\n");
    assert.equal((await check(folder)).code, 0);
    assert.equal((await check(folder, "--seal")).code, 0);
    assert.ok((await listedNames(folder)).includes("29991231000000_next.sql"));
    await Deno.writeTextFile(`${folder}/migrations/29991231000000_next.sql`, "select 2;\n");
    assert.equal((await check(folder)).code, 1, "once sealed, it may not change either");
  });
});
