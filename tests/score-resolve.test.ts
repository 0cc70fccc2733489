// Import resolution as Vite and TypeScript do it: which file, if any, an import of an output leads to.

import assert from "node:assert/strict";
import type { GeneratedFile } from "../supabase/functions/_shared/contract.ts";
import { profileTask } from "../supabase/functions/_shared/plan/profile.ts";
import { scoreOutput } from "../supabase/functions/_shared/score/index.ts";
import { importResolver, type ImportTarget } from "../supabase/functions/_shared/score/resolve.ts";

/** An output of these paths (with these contents where given), and where each import from src/App.tsx leads. */
function resolverOf(paths: string[], contents: Record<string, string> = {}) {
  const files: GeneratedFile[] = paths.map((path) => ({ path, content: contents[path] ?? "x" }));
  const resolve = importResolver(files, new Set(paths));
  return (source: string, typeOnly = false): ImportTarget => resolve("src/App.tsx", source, typeOnly);
}

Deno.test("an extensionless import finds a script, never a stylesheet or JSON file of the same name", () => {
  const resolve = resolverOf(["src/Button.css", "src/data.json", "src/theme.module.css", "src/Card.tsx"]);
  assert.equal(resolve("./Button"), "missing");
  assert.equal(resolve("./data"), "missing");
  assert.equal(resolve("./theme"), "missing");
  assert.equal(resolve("./Card"), "file");
  assert.equal(resolve("./Button.css"), "file");
  assert.equal(resolve("./data.json"), "file");
  assert.equal(resolve("./theme.module.css"), "file");
  for (const extension of [".ts", ".tsx", ".js", ".jsx", ".mjs", ".mts", ".cjs", ".cts"]) {
    assert.equal(resolverOf([`src/util${extension}`])("./util"), "file", extension);
  }
});

Deno.test("a directory resolves to its index script, not to an index stylesheet", () => {
  assert.equal(resolverOf(["src/components/index.ts"])("./components"), "file");
  assert.equal(resolverOf(["src/components/index.jsx"])("./components/"), "file");
  assert.equal(resolverOf(["src/components/index.css"])("./components"), "missing");
  assert.equal(resolverOf(["src/index.tsx"])("."), "file");
  assert.equal(resolverOf(["src/lib/api.ts"])("../src/lib/api"), "file");
});

Deno.test("a .js specifier finds the TypeScript it compiles from; declarations serve type imports only", () => {
  const resolve = resolverOf(["src/api.ts", "src/View.tsx", "src/worker.mts", "src/legacy.d.ts"]);
  assert.equal(resolve("./api.js"), "file");
  assert.equal(resolve("./View.js"), "file");
  assert.equal(resolve("./View.jsx"), "file");
  assert.equal(resolve("./worker.mjs"), "file");
  assert.equal(resolve("./api.cjs"), "missing");
  assert.equal(resolve("./legacy", true), "file");
  assert.equal(resolve("./legacy.js", true), "file");
  assert.equal(resolve("./legacy"), "missing");
});

Deno.test("Vite's query suffixes and root-relative paths", () => {
  const resolve = resolverOf(["src/logo.svg", "src/worker.ts", "src/main.tsx"]);
  assert.equal(resolve("./logo.svg?react"), "file");
  assert.equal(resolve("./worker?worker"), "file");
  assert.equal(resolve("/src/main.tsx"), "file");
  assert.equal(resolve("/src/gone"), "missing");
});

Deno.test("tsconfig paths and baseUrl map bare specifiers; other bare specifiers are packages", () => {
  const tsconfig = JSON.stringify({
    compilerOptions: { baseUrl: ".", paths: { "@/*": ["./src/*"], "#ui/*": ["src/components/ui/*"] } },
  });
  const resolve = resolverOf(["tsconfig.json", "src/lib/api.ts", "src/components/ui/Button.tsx"], {
    "tsconfig.json": tsconfig,
  });
  assert.equal(resolve("@/lib/api"), "file");
  assert.equal(resolve("#ui/Button"), "file");
  assert.equal(resolve("#ui/Dialog"), "missing");
  assert.equal(resolve("@/lib/gone"), "missing");
  assert.equal(resolve("src/lib/api"), "file", "through baseUrl");
  assert.equal(resolve("react"), "package");
  assert.equal(resolve("@tanstack/react-query"), "package");
});

Deno.test("paths are read from tsconfig.app.json and the configs a tsconfig references, from their directory", () => {
  const present = resolverOf(["web/tsconfig.app.json", "web/src/lib/api.ts"], {
    "web/tsconfig.app.json":
      '{\n  // Vite\'s app config\n  "compilerOptions": { "paths": { "@/*": ["./src/*"], }, },\n}',
  });
  assert.equal(present("@/lib/api"), "file");
  assert.equal(present("@/lib/gone"), "missing");
  const referenced = resolverOf(["web/tsconfig.json", "web/config/tsconfig.web.json", "web/src/lib/api.ts"], {
    "web/tsconfig.json": '{ "files": [], "references": [{ "path": "./config/tsconfig.web.json" }] }',
    "web/config/tsconfig.web.json":
      '{ "compilerOptions": { "baseUrl": "..", "paths": { "@app/*": ["src/*"] } } }',
  });
  assert.equal(referenced("@app/lib/api"), "file");
  assert.equal(referenced("@app/lib/gone"), "missing");
});

Deno.test("the @/ and ~/ guesses hold only when no paths are configured", () => {
  const unconfigured = resolverOf(["src/lib/api.ts", "lib/db.ts"]);
  assert.equal(unconfigured("@/lib/api"), "file");
  assert.equal(unconfigured("~/lib/db"), "file");
  assert.equal(unconfigured("@/lib/gone"), "missing");
  const configured = resolverOf(["tsconfig.json", "src/lib/api.ts"], {
    "tsconfig.json": '{ "compilerOptions": { "paths": { "@lib/*": ["src/lib/*"] } } }',
  });
  assert.equal(configured("@lib/api"), "file");
  assert.equal(configured("@/lib/api"), "missing", "no @/* mapping: Vite would not find it either");
});

Deno.test("a catch-all * mapping falls back to packages", () => {
  const resolve = resolverOf(["tsconfig.json", "src/types/models.ts"], {
    "tsconfig.json": '{ "compilerOptions": { "baseUrl": "src", "paths": { "*": ["types/*"] } } }',
  });
  assert.equal(resolve("models"), "file");
  assert.equal(resolve("react"), "package");
});

Deno.test("the scorer resolves a type-only import to a declaration file, a value import not", () => {
  const request = "Build a counter";
  const files = (importLine: string): GeneratedFile[] => [
    { path: "src/types.d.ts", content: "export interface Count {\n  value: number;\n}\n" },
    {
      path: "src/App.tsx",
      content: `${importLine}\n\nexport default function App({ count }: { count: Count }) {\n` +
        "  return <p>{count.value}</p>;\n}\n",
    },
  ];
  const unresolved = (importLine: string) =>
    scoreOutput({ files: files(importLine), profile: profileTask({ request }), request }).issues
      .filter((issue) => issue.rule === "unresolved-import").length;
  assert.equal(unresolved('import type { Count } from "./types";'), 0);
  assert.equal(unresolved('import { type Count } from "./types";'), 0);
  assert.equal(unresolved('import { Count } from "./types";'), 1);
});
