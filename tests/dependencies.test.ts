// The function's npm dependencies as Deno resolves them. Deno never runs npm install scripts here
// (nodeModulesDir "none"), and says so in a warning box on every fresh cache unless the package is named
// in allowScripts: each package the lockfile marks as having scripts is denied them by name, after a
// look at what its script does (protobufjs's postinstall only warns when the package depending on it
// writes its version range in another scheme).

import assert from "node:assert/strict";
import { DENO_CONFIG } from "./support/processes.ts";

Deno.test("every npm package with install scripts is denied them by name in deno.json", async () => {
  const lock = JSON.parse(await Deno.readTextFile(DENO_CONFIG.replace(/deno\.json$/, "deno.lock")));
  const withScripts = Object.entries(lock.npm as Record<string, { scripts?: boolean }>)
    .filter(([, entry]) => entry.scripts).map(([key]) => `npm:${key.replace(/(.)@.*/, "$1")}`);
  assert.ok(withScripts.length > 0, "the lockfile marks packages with scripts (protobufjs among them)");
  const config = JSON.parse(await Deno.readTextFile(DENO_CONFIG));
  assert.deepEqual(withScripts.filter((name) => !config.allowScripts?.deny?.includes(name)), []);
});
