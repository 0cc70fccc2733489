// Every ts, sh and sql example of the README, run against the test stack as a reader would run it:
//   ts: as a module with supabase-js as a signed-in user (type-checked), and the rows it made checked;
//   supabase.from(...) (PostgREST, not part of the local stack): the SQL PostgREST sends, as the user;
//   supabase.channel(...) (Realtime, not part of the local stack): what Realtime reads, as the user;
//   sh: with the stack's env and its placeholders filled in, and what it wrote checked;
//   sql: as the service side, inside a transaction rolled back;
//   the deploy steps: each command and flag against the pinned CLI's --help;
//   the quick start's two commands are what runs these tests, and are left out.

import assert from "node:assert/strict";
import * as orchestrator from "../shared/mod.ts";
import { DENO, DENO_CONFIG, ROOT, run } from "./support/processes.ts";
import { type Example, exampleModule, readmeExamples } from "./support/readme.ts";
import {
  asAuthenticated,
  asUser,
  eventually,
  type Sql,
  stack,
  stackTest,
  succeeded,
  userToken,
} from "./support/stack.ts";

const SUPABASE = `${ROOT}/node_modules/.bin/supabase`;
const examples = await readmeExamples(["ts", "sh", "sql"]);
const where = (example: Example) => `README.md:${example.line} (${example.section})`;

const isQuickStart = (example: Example) => example.section === "Quick start";
const isDeploy = (example: Example) => example.code.includes("npx supabase ");
const isPostgrest = (example: Example) => example.code.includes("supabase.from(");
const isRealtime = (example: Example) => example.code.includes("supabase.channel(");

Deno.test("the README's examples are all of a kind these tests run", () => {
  assert.equal(examples.filter(isQuickStart).length, 1);
  assert.ok(examples.filter((e) => e.lang === "ts").length >= 8, "the ts examples are found");
  assert.ok(examples.filter((e) => e.lang === "sql").length >= 5, "the sql examples are found");
  assert.ok(examples.filter((e) => e.lang === "sh").length >= 4, "the sh examples are found");
});

Deno.test("the deploy steps: each command and flag is the pinned CLI's, and each targets the project", async () => {
  const [deploy] = examples.filter(isDeploy);
  const commands = deploy.code.split("\n").map((line) => line.replace(/#.*/, "").trim()).filter(Boolean);
  assert.ok(commands.length >= 4, deploy.code);
  for (const command of commands) {
    const words = command.replace(/^npx supabase /, "").split(/\s+/);
    // the command is the longest run of its first words (two at most) whose help names it in USAGE
    const helps = await Promise.all([2, 1].map(async (length) => {
      const path = words.slice(0, length);
      const help = await run(SUPABASE, [...path, "--help"]);
      const named = help.code === 0 && new RegExp(`USAGE\\s+supabase ${path.join(" ")} `).test(help.stdout);
      return named ? help : null;
    }));
    const help = helps.find((found) => found !== null);
    assert.ok(help, `${command}: not a command of the pinned CLI`);
    for (const flag of command.match(/--[a-z-]+/g) ?? []) {
      assert.ok(help.stdout.includes(flag), `${command}: ${flag}`);
    }
    // a command whose target is the local database by default must be told to use the linked project
    if (/TARGET\s+Local by default/.test(help.stdout)) assert.match(command, /--remote\b/, command);
    else if (/TARGET/.test(help.stdout)) assert.match(help.stdout, /TARGET\s+Remote only/, command);
  }
});

/** Model selections of a user, once they are written (the rows go in after the response). */
const selectionsOf = (sql: Sql, userId: string) =>
  eventually(async () => {
    const rows = await sql`select request_id from public.model_selections where user_id = ${userId}`;
    return rows.length ? rows : undefined;
  });

stackTest("the README's ts examples run as written, and leave their rows", async (sql, t) => {
  const names = Object.keys(orchestrator);
  const folder = `${ROOT}/.local/test/readme`;
  await Deno.mkdir(folder, { recursive: true });
  const runnable = examples.filter((e) => e.lang === "ts" && !isPostgrest(e) && !isRealtime(e));
  assert.ok(runnable.length >= 6);
  for (const example of runnable) {
    await t.step(where(example), async () => {
      const { userId } = await asUser();
      const file = `${folder}/example-${example.line}.ts`;
      await Deno.writeTextFile(file, exampleModule(example.code, names));
      const result = await run(DENO, ["run", "--check", "--config", DENO_CONFIG, "--allow-all", file], {
        SUPABASE_URL: stack.url,
        SUPABASE_PUBLISHABLE_KEY: stack.publishableKey,
        SUPABASE_SECRET_KEY: stack.secretKey,
        EXAMPLE_USER_ID: userId,
        EXAMPLE_USER_JWT: await userToken(userId),
      });
      assert.equal(result.code, 0, `${where(example)}\n${result.stderr}`);
      if (/\b(invoke|invokeOrchestrator|streamOrchestration|createJob)\(/.test(example.code)) {
        assert.ok((await selectionsOf(sql, userId)).length >= 1, "the request's rows are in the database");
      }
    });
  }
});

stackTest("the README's supabase.from examples, as the SQL PostgREST sends for them", async (sql, t) => {
  for (const example of examples.filter(isPostgrest)) {
    await t.step(where(example), async () => {
      const call = example.code.match(/supabase\.from\('(\w+)'\)\.upsert\((\{[^}]*\})\)/);
      assert.ok(call, `an upsert: ${example.code}`);
      const [, table, literal] = call;
      const { userId } = await asUser();
      const row = new Function("user", `return (${literal})`)({ id: userId }) as Record<string, unknown>;
      // POST /rest/v1/<table> with Prefer: resolution=merge-duplicates, on the primary key
      const key = (await sql`select a.attname from pg_index i join pg_attribute a
        on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indrelid = ${`public.${table}`}::regclass and i.indisprimary`).map((r) => r.attname);
      const columns = Object.keys(row).map((column) => `"${column}"`).join(", ");
      const updates = Object.keys(row).filter((column) => !key.includes(column))
        .map((column) => `"${column}" = excluded."${column}"`).join(", ");
      await asAuthenticated(sql, userId, (tx) =>
        tx.unsafe(
          `insert into public."${table}" (${columns}) select ${columns}
           from json_populate_recordset(null::public."${table}", $1::text::json) _
           on conflict (${key.map((k) => `"${k}"`).join(", ")}) do update set ${updates}`,
          [JSON.stringify([row])],
        ));
      const [stored] = await sql.unsafe(`select * from public."${table}" where user_id = $1`, [userId]);
      for (const [column, value] of Object.entries(row)) assert.deepEqual(stored[column], value, column);
    });
  }
});

stackTest("the README's Realtime example: the row it watches is the user's alone to read", async (sql) => {
  const [example] = examples.filter(isRealtime);
  const [, table] = example.code.match(/table: '(\w+)'/)!;
  const columns = [...example.code.matchAll(/job\.(\w+)/g)].map((match) => match[1]);
  assert.deepEqual(columns, ["status", "events", "result"]);
  const owner = await asUser();
  const job = succeeded(await orchestrator.createJob(owner.client, { request: "Build a notes app" }));
  /** What Realtime reads for a subscriber before it sends a change: the row, as the subscriber. */
  const readAs = (userId: string) =>
    asAuthenticated(
      sql,
      userId,
      (tx) => tx.unsafe(`select ${columns.join(", ")} from public."${table}" where id = $1`, [job.jobId]),
    );
  assert.equal((await readAs(owner.userId)).length, 1);
  assert.equal((await readAs(crypto.randomUUID())).length, 0);
  await orchestrator.waitForJob(owner.client, job.jobId);
});

stackTest("the README's sh examples run with the stack's env, and write what they say", async (sql, t) => {
  // what the export examples select: a stored, accepted fix of quality ≥ 80
  const { userId, client } = await asUser();
  await sql`insert into public.user_settings (user_id, store_outputs) values (${userId}, true)`;
  const fix = succeeded(
    await orchestrator.invokeOrchestrator(client, {
      request: "Fix the crash when the list is empty",
      context: { files: [{ path: "src/list.ts", content: "export const first = (xs) => xs[0].name;\n" }] },
      cache: false,
    }),
  );
  assert.equal(fix.profile.taskType, "fix");
  assert.ok(fix.qualityScore >= 80, `${fix.qualityScore}`);
  await selectionsOf(sql, userId);
  succeeded(await orchestrator.sendFeedback(client, { requestId: fix.requestId, accepted: true }));

  const out = await Deno.makeTempDir();
  const fixtures = `${ROOT}/tests/fixtures/scoring`;
  const placeholders: Array<[string, string]> = [
    ["path/to/output", `${fixtures}/todo-auth/output`],
    ["path/to/explanation", `${fixtures}/explain-debounce/output`],
    ["path/to/project", `${fixtures}/explain-debounce/context`],
    ["accepted.jsonl", `${out}/accepted.jsonl`],
    ["fixes.csv", `${out}/fixes.csv`],
    ["--out dist", `--out ${out}/dist`],
    ["<project-ref>", "abcdefghijklmnopqrst"],
    ["sb_publishable_…", "sb_publishable_example"],
  ];
  const env = {
    SUPABASE_URL: stack.url,
    SUPABASE_SECRET_KEY: stack.secretKey,
    DEMO_USER_JWT: await userToken(userId),
    DENO_NO_UPDATE_CHECK: "1",
  };
  const shells = examples.filter((e) => e.lang === "sh" && !isQuickStart(e) && !isDeploy(e));
  for (const example of shells) {
    await t.step(where(example), async () => {
      const script = placeholders.reduce((code, [from, to]) => code.replaceAll(from, to), example.code);
      assert.ok(!/<[a-z -]+>|…/.test(script), `a placeholder left: ${script}`);
      const result = await run("bash", ["-euo", "pipefail", "-c", script], env);
      assert.equal(result.code, 0, `${where(example)}\n${result.stdout}\n${result.stderr}`);
      if (script.includes("npm run score")) assert.match(result.stdout, /\d/);
      if (script.includes("curl ")) {
        const answer = JSON.parse(result.stdout);
        assert.ok(answer.requestId && answer.files.length > 0, result.stdout.slice(0, 300));
      }
    });
  }
  const accepted = (await Deno.readTextFile(`${out}/accepted.jsonl`)).trim().split("\n").map((l) =>
    JSON.parse(l)
  );
  assert.ok(accepted.some((line) => line.metadata.requestId === fix.requestId));
  const fixes = (await Deno.readTextFile(`${out}/fixes.csv`)).trim().split("\r\n");
  assert.ok(fixes[0].startsWith("request_id,") && fixes.some((row) => row.startsWith(fix.requestId)));
  assert.ok((await Deno.stat(`${out}/dist/index.html`)).isFile);
  await Deno.remove(out, { recursive: true });
});

stackTest("the README's sql examples run as the service side (rolled back)", async (_sql, t) => {
  for (const example of examples.filter((e) => e.lang === "sql")) {
    await t.step(where(example), async () => {
      const script = example.code.replaceAll("<user uuid>", crypto.randomUUID());
      const result = await run("psql", [
        stack.dbUrl,
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        "begin",
        "-c",
        script,
        "-c",
        "rollback",
      ]);
      assert.equal(result.code, 0, `${where(example)}\n${result.stderr}`);
    });
  }
});
