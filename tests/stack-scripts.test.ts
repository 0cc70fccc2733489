// `npm run stack:up` / `stack:down` / `token`, run as a developer runs them, on a stack of their own
// (ports 54341/54342) so the test stack that runs this file is not touched: idempotent up and down,
// migrations that change nothing when applied again, tokens the router accepts, no process or port left
// behind, and a stack on an existing database (SUPABASE_DB_URL) that starts no PostgreSQL of its own.

import assert from "node:assert/strict";
import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { portInUse, ROOT, run } from "./support/processes.ts";

function stackScript(script: string, stack: string, portBase: number, extra: Record<string, string> = {}) {
  return (...args: string[]) =>
    run("bash", [`${ROOT}/scripts/${script}.sh`, ...args], {
      STACK_NAME: stack,
      PORT_BASE: String(portBase),
      ...extra,
    });
}

function readEnvFile(text: string): Record<string, string> {
  return Object.fromEntries(
    text.trim().split("\n").map((line) => {
      const [, name, value] = line.match(/^(\w+)='(.*)'$/)!;
      return [name, value];
    }),
  );
}

async function schemaDump(dbUrl: string): Promise<string> {
  const dump = await run("pg_dump", ["--schema-only", "--schema=public", "--schema=auth", dbUrl]);
  assert.equal(dump.code, 0, dump.stderr);
  // pg_dump fences its output with a random \restrict key per run
  return dump.stdout.replace(/^\\(un)?restrict .*$/gm, "");
}

Deno.test({
  name: "stack scripts on a local cluster",
  // the spawned router and postgres outlive single steps by design
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    const stack = "scripts-test";
    const [apiPort, dbPort] = [54341, 54342];
    const up = stackScript("stack-up", stack, 54341);
    const down = stackScript("stack-down", stack, 54341);
    const token = stackScript("token", stack, 54341);
    await Deno.remove(`${ROOT}/.local/${stack}`, { recursive: true }).catch(() => {});
    assert(!(await portInUse(apiPort)) && !(await portInUse(dbPort)), "ports 54341/54342 must be free");

    try {
      let env: Record<string, string> = {};
      let firstDump = "";

      await t.step("stack:up starts PostgreSQL, migrations, router, and writes the env file", async () => {
        const result = await up();
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stderr, /PostgreSQL 15 started on port 54342/);
        assert.match(result.stderr, /Applying migration/);
        // what takes long says so before it starts, not only once it is done
        for (
          const step of [
            "Bringing the schema up to date",
            "Starting the functions router",
            "Starting the model simulator",
          ]
        ) assert.ok(result.stderr.includes(`${step}`), `announced: ${step}\n${result.stderr}`);
        assert.ok(
          result.stderr.indexOf("Starting the functions router...") <
            result.stderr.indexOf("Functions router started"),
        );
        assert.match(
          result.stderr,
          /Stop with {2}STACK_NAME=scripts-test PORT_BASE=54341 npm run stack:down$/m,
        );
        env = readEnvFile(await Deno.readTextFile(`${ROOT}/.local/${stack}.env`));
        for (
          const name of [
            "SUPABASE_URL",
            "SUPABASE_PUBLISHABLE_KEY",
            "SUPABASE_SECRET_KEY",
            "SUPABASE_DB_URL",
            "SUPABASE_JWKS",
            "DEMO_USER_JWT",
            "DEMO_USER_ID",
          ]
        ) assert.ok(env[name], `${name} is set`);
        assert.equal(env.SUPABASE_URL, `http://127.0.0.1:${apiPort}`);
        assert.match(env.SUPABASE_PUBLISHABLE_KEY, /^sb_publishable_/);
        assert.match(env.SUPABASE_SECRET_KEY, /^sb_secret_/);
        const health = await fetch(`${env.SUPABASE_URL}/_internal/health`);
        assert.deepEqual(await health.json(), { message: "ok" });
        firstDump = await schemaDump(env.SUPABASE_DB_URL);
        assert.match(firstDump, /CREATE TABLE public\.model_performance/);
      });

      await t.step("the demo token verifies against SUPABASE_JWKS and names DEMO_USER_ID", async () => {
        const jwks = createLocalJWKSet(JSON.parse(env.SUPABASE_JWKS));
        const { payload } = await jwtVerify(env.DEMO_USER_JWT, jwks, { audience: "authenticated" });
        assert.equal(payload.sub, env.DEMO_USER_ID);
        assert.equal(payload.role, "authenticated");
      });

      await t.step("stack:up again reuses what runs and changes nothing in the schema", async () => {
        const result = await up();
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stderr, /PostgreSQL already running/);
        assert.match(result.stderr, /Functions router already running/);
        assert.doesNotMatch(result.stderr, /Applying migration/);
        assert.equal(await schemaDump(env.SUPABASE_DB_URL), firstDump);
        const again = readEnvFile(await Deno.readTextFile(`${ROOT}/.local/${stack}.env`));
        assert.equal(again.SUPABASE_SECRET_KEY, env.SUPABASE_SECRET_KEY, "keys survive a restart");
      });

      await t.step("npm run token prints a verifiable token for any user", async () => {
        const userId = crypto.randomUUID();
        const result = await token(userId);
        assert.equal(result.code, 0, result.stderr);
        const jwt = result.stdout.trim();
        await jwtVerify(jwt, createLocalJWKSet(JSON.parse(env.SUPABASE_JWKS)));
        assert.equal(decodeJwt(jwt).sub, userId);
        const refused = await token("not-a-uuid");
        assert.notEqual(refused.code, 0);
        assert.match(refused.stderr, /not a user id/);
        assert.equal(refused.stderr.trim().split("\n").length, 1, `one line: ${refused.stderr}`);
      });

      await t.step("stack:up with other simulated providers restarts what read the old ones", async () => {
        const pid = () => Deno.readTextFile(`${ROOT}/.local/${stack}/functions.pid`);
        const before = await pid();
        const changed = await stackScript("stack-up", stack, 54341, { SIMULATED_PROVIDERS: "all" })();
        assert.equal(changed.code, 0, changed.stderr);
        assert.match(changed.stderr, /environment changed: restarting the functions router/);
        assert.notEqual(await pid(), before, "a new router");
        assert.match(changed.stderr, /SIMULATED .*openai/, "serving the providers asked for");
        const back = await up();
        assert.match(back.stderr, /environment changed/);
        const same = await up();
        assert.doesNotMatch(same.stderr, /environment changed/, "nothing changed: nothing restarts");
      });

      await t.step("stack:down stops everything and frees the ports; again is a no-op", async () => {
        const pid = Number(await Deno.readTextFile(`${ROOT}/.local/${stack}/functions.pid`));
        const first = await down();
        assert.equal(first.code, 0, first.stderr);
        assert.equal(await portInUse(apiPort), false);
        assert.equal(await portInUse(dbPort), false);
        assert.equal((await run("kill", ["-0", String(pid)])).code, 1, "the router process is gone");
        const second = await down();
        assert.equal(second.code, 0, second.stderr);
        assert.match(second.stderr, /is down/);
      });
    } finally {
      await down();
      await Deno.remove(`${ROOT}/.local/${stack}`, { recursive: true }).catch(() => {});
      await Deno.remove(`${ROOT}/.local/${stack}.env`).catch(() => {});
    }
  },
});

Deno.test({
  name: "stack scripts on an existing database (SUPABASE_DB_URL)",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const existingDb = Deno.env.get("SUPABASE_DB_URL");
    assert.ok(existingDb, "runs inside npm test, whose stack provides SUPABASE_DB_URL");
    const stack = "external-test";
    const options = { SUPABASE_DB_URL: existingDb };
    const up = stackScript("stack-up", stack, 54351, options);
    const down = stackScript("stack-down", stack, 54351, options);
    try {
      const result = await up();
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /Using the database in SUPABASE_DB_URL/);
      assert.match(result.stderr, /up to date/);
      const env = readEnvFile(await Deno.readTextFile(`${ROOT}/.local/${stack}.env`));
      assert.equal(env.SUPABASE_DB_URL, existingDb);
      const noCluster = await Deno.stat(`${ROOT}/.local/${stack}/pg`).then(() => false, () => true);
      assert.ok(noCluster, "no PostgreSQL cluster was created");
      assert.equal(await portInUse(54352), false, "no PostgreSQL listens on the stack's own port");
      const health = await fetch(`${env.SUPABASE_URL}/_internal/health`);
      assert.equal(health.status, 200);
      await health.body?.cancel();
    } finally {
      const stopped = await down();
      assert.equal(stopped.code, 0, stopped.stderr);
      await Deno.remove(`${ROOT}/.local/${stack}`, { recursive: true }).catch(() => {});
      await Deno.remove(`${ROOT}/.local/${stack}.env`).catch(() => {});
    }
    assert.equal(await portInUse(54351), false);
    const stillThere = await run("psql", [existingDb!, "-XAtc", "select 1"]);
    assert.equal(stillThere.stdout.trim(), "1", "stack:down leaves an existing database running");
  },
});
