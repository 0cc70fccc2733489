// An output as the checks see it: every script parsed into facts once, the paths that imports may
// resolve to (the output's and the caller's existing files), the declared packages, and helpers for
// the questions several checks ask.

import type { GeneratedFile, TaskProfile } from "../contract.ts";
import { collectFacts, type FileFacts, type FunctionFact } from "./facts.ts";
import type { FactsCache } from "./facts-cache.ts";
import { parseScript, SCRIPT_FILE } from "./parse.ts";
import type { Finding, RuleId } from "./rules.ts";

export interface Project {
  profile: TaskProfile;
  files: GeneratedFile[];
  contextFiles: GeneratedFile[];
  scripts: FileFacts[];
  /** Paths an import may resolve to. */
  paths: Set<string>;
  /** Packages declared in a package.json of the output or the context; null when there is none. */
  declaredPackages: Set<string> | null;
  /** A new project (generation without existing files), which must bring everything it needs. */
  isNewProject: boolean;
  /** A UI project: it renders JSX. */
  isUi: boolean;
  css: string;
}

function manifestPackages(files: GeneratedFile[]): Set<string> | null {
  const manifest = files.find((file) => file.path === "package.json" || file.path.endsWith("/package.json"));
  if (!manifest) return null;
  try {
    const json = JSON.parse(manifest.content);
    return new Set(Object.keys({ ...json.dependencies, ...json.devDependencies, ...json.peerDependencies }));
  } catch {
    return new Set();
  }
}

function readScript(path: string, content: string): FileFacts {
  const { source, errors } = parseScript(path, content);
  return collectFacts(path, source, errors);
}

export function buildProject(
  files: GeneratedFile[],
  profile: TaskProfile,
  contextFiles: GeneratedFile[],
  cache?: FactsCache,
): Project {
  const scripts = files
    .filter((file) => SCRIPT_FILE.test(file.path))
    .map((file) =>
      cache
        ? cache.get(file.path, file.content, () => readScript(file.path, file.content))
        : readScript(file.path, file.content)
    );
  return {
    profile,
    files,
    contextFiles,
    scripts,
    paths: new Set([...files, ...contextFiles].map((file) => file.path)),
    declaredPackages: manifestPackages([...files, ...contextFiles]),
    isNewProject: profile.taskType === "generation" && contextFiles.length === 0,
    isUi: scripts.some((script) => script.jsx.length > 0),
    css: files.filter((file) => /\.(css|scss|sass|less)$/.test(file.path)).map((file) => file.content).join(
      "\n",
    ),
  };
}

/** A component: a named function that renders JSX. */
export function isComponent(fn: FunctionFact): boolean {
  return fn.name !== null && /^[A-Z]/.test(fn.name) && fn.rendersJsx;
}

export function allCalls(project: Project): string[] {
  return project.scripts.flatMap((script) => script.calls.map((call) => call.callee));
}

export function allImports(project: Project): string[] {
  return project.scripts.flatMap((script) => script.imports.map((entry) => entry.source));
}

export function allJsx(project: Project) {
  return project.scripts.flatMap((script) => script.jsx);
}

/** Whether a name is used anywhere but its own declaration in the file. */
export function isUsed(script: FileFacts, name: string | null): boolean {
  return name !== null && (script.identifierCounts.get(name) ?? 0) > 1;
}

/** A finding in a script, at a position of it. */
export function foundIn(script: FileFacts, rule: RuleId, message: string, at: number): Finding {
  return { rule, message, file: script.path, line: script.lineOf(at) };
}
