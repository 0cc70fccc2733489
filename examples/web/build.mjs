// Builds the example app into a folder: index.html, style.css, app.js (src/main.ts bundled with esbuild;
// supabase-js, zod and ../../shared come from the project's node_modules) and config.json, which says
// where the project is. With --serve it then serves that folder, rebuilding app.js on each request.
//
//   node examples/web/build.mjs [--out <dir>] [--serve <port>]
//
// config.json is written from SUPABASE_URL and SUPABASE_PUBLISHABLE_KEY, and DEMO_USER_JWT when it is set
// (the local stack, which has no Supabase Auth to sign in with). Node, not Deno: esbuild and the packages
// it bundles are npm packages in node_modules, as in any frontend project this page would be copied into.

import * as esbuild from "esbuild";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import process from "node:process";

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: { out: { type: "string", default: path.join(here, "dist") }, serve: { type: "string" } },
});
const out = path.resolve(values.out);

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(
      `${name} is not set: the page needs the project's URL and publishable key (see the README)`,
    );
    process.exit(1);
  }
  return value;
};
const config = {
  supabaseUrl: env("SUPABASE_URL"),
  publishableKey: env("SUPABASE_PUBLISHABLE_KEY"),
  ...(process.env.DEMO_USER_JWT ? { demoUserJwt: process.env.DEMO_USER_JWT } : {}),
};

await mkdir(out, { recursive: true });
await writeFile(path.join(out, "config.json"), JSON.stringify(config, null, 2));
const page = await readFile(path.join(here, "index.html"), "utf8");
await writeFile(
  path.join(out, "index.html"),
  page.replace("%SUPABASE_ORIGIN%", new URL(config.supabaseUrl).origin),
);
await copyFile(path.join(here, "style.css"), path.join(out, "style.css"));

const context = await esbuild.context({
  entryPoints: [path.join(here, "src/main.ts")],
  outfile: path.join(out, "app.js"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  sourcemap: true,
  logLevel: "warning",
});
await context.rebuild();
if (values.serve === undefined) {
  await context.dispose();
  console.log(`Example app built in ${path.relative(process.cwd(), out) || "."}`);
} else {
  const { port } = await context.serve({ servedir: out, host: "127.0.0.1", port: Number(values.serve) });
  console.log(`Example app: http://127.0.0.1:${port}/`);
}
