// The README's code examples, read from the README itself so that the tests of them cannot drift from it.

import { ROOT } from "./processes.ts";

export interface Example {
  lang: string;
  /** The `## ` section it is in. */
  section: string;
  /** Its first line in the README (1-based), for messages. */
  line: number;
  code: string;
}

/** Every fenced block of the README with one of the languages. */
export async function readmeExamples(langs: string[]): Promise<Example[]> {
  const lines = (await Deno.readTextFile(`${ROOT}/README.md`)).split("\n");
  const examples: Example[] = [];
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith("## ")) section = lines[i].slice(3).trim();
    const fence = lines[i].match(/^```(\w+)$/);
    if (!fence) continue;
    const start = i + 1;
    while (i + 1 < lines.length && lines[i + 1] !== "```") i++;
    if (langs.includes(fence[1])) {
      examples.push({ lang: fence[1], section, line: start, code: lines.slice(start, i + 1).join("\n") });
    }
    i++;
  }
  return examples;
}

/** The values a ts example's free names stand for, and the module a ts example runs as. */
export function exampleModule(code: string, exports: string[]): string {
  const imported = new Set(
    [...code.matchAll(/import\s*\{([^}]*)\}\s*from\s*'\.\/shared\/mod\.ts'/g)]
      .flatMap((match) => match[1].split(",").map((name) => name.trim())),
  );
  // the README's examples name the typed helpers without importing them once one example has
  const used = exports.filter((name) => !imported.has(name) && new RegExp(`\\b${name}\\(`).test(code));
  const body = code.replaceAll("'./shared/mod.ts'", `'${ROOT}/shared/mod.ts'`);
  // what an example must have produced: no error, and the data it names
  const checks = [
    ...[...code.matchAll(/const \{ data(?:: (\w+))?(, error)? \}/g)].flatMap((match) => [
      `if (!${match[1] ?? "data"}) throw new Error("no data: ${match[1] ?? "data"}");`,
      ...(match[2] ? ["if (error) throw new Error(`error: ${JSON.stringify(error)}`);"] : []),
    ]),
  ];
  return [
    `import { createClient } from "@supabase/supabase-js";`,
    used.length ? `import { ${used.join(", ")} } from "${ROOT}/shared/mod.ts";` : "",
    `const env = (name: string) => Deno.env.get(name)!;`,
    `const SUPABASE_URL = env("SUPABASE_URL");`,
    `const SUPABASE_SECRET_KEY = env("SUPABASE_SECRET_KEY");`,
    `const user = { id: env("EXAMPLE_USER_ID") };`,
    `const userId = user.id;`,
    `const supabase = createClient(SUPABASE_URL, env("SUPABASE_PUBLISHABLE_KEY"), {`,
    `  accessToken: () => Promise.resolve(env("EXAMPLE_USER_JWT")),`,
    `});`,
    `const request = "Build a todo app with filters";`,
    `const conversationId = crypto.randomUUID();`,
    body,
    ...checks,
  ].join("\n");
}
