// Scores the files under a directory as the orchestrator scores model outputs, and prints the result
// as JSON: npm run score -- <directory> [--request "<text>"] [--context <directory>]
//
// Paths are relative to the directory. With --request, the output is judged against that request's
// profile (task type, complexity, requirements); without, as a new project of its size. --context names
// the existing project the output changes (imports may resolve to it; explanations are about it).

import { join, relative } from "node:path";
import type { GeneratedFile, TaskProfile } from "../supabase/functions/_shared/contract.ts";
import { profileTask, typicalProfile } from "../supabase/functions/_shared/plan/profile.ts";
import { scoreOutput } from "../supabase/functions/_shared/score/index.ts";

const SKIPPED = new Set(["node_modules", ".git", "dist", "build", ".next"]);

/** Every text file under `root`, with its path relative to it. Binary files are left out. */
export async function readOutput(root: string): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  async function walk(dir: string) {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory && !SKIPPED.has(entry.name)) await walk(path);
      if (!entry.isFile) continue;
      const bytes = await Deno.readFile(path);
      if (bytes.includes(0)) continue;
      files.push({ path: relative(root, path), content: new TextDecoder().decode(bytes) });
    }
  }
  await walk(root);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** The profile to judge by when no request is given: a new project, as complex as it is large. */
export function profileWithoutRequest(files: GeneratedFile[]): TaskProfile {
  const complexity = files.length <= 3 ? "low" : files.length <= 10 ? "medium" : "high";
  return {
    ...typicalProfile("generation"),
    complexity,
    complexityScore: { low: 0.2, medium: 0.4, high: 0.6 }[complexity],
  };
}

function takeOption(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const [, value] = args.splice(at, 2);
  if (!value) throw new Error(`${name} needs a value`);
  return value;
}

if (import.meta.main) {
  const args = [...Deno.args];
  try {
    const request = takeOption(args, "--request");
    const contextDir = takeOption(args, "--context");
    const [directory, extra] = args;
    if (!directory || extra) throw new Error("one output directory is needed");
    const files = await readOutput(directory);
    const contextFiles = contextDir ? await readOutput(contextDir) : [];
    const profile = request ? profileTask({ request, contextFiles }) : profileWithoutRequest(files);
    const quality = scoreOutput({ files, profile, request: request ?? "", contextFiles });
    console.log(JSON.stringify({ directory, files: files.length, profile, quality }, null, 2));
  } catch (error) {
    console.error(
      `${
        (error as Error).message
      }\nusage: npm run score -- <directory> [--request "<text>"] [--context <directory>]`,
    );
    Deno.exit(2);
  }
}
