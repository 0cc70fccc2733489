// What an output is built of, for comparing outputs with each other: its files, exported components,
// routes, dependencies, state and data libraries, and the requirements it implements. From them: the
// conflicts between outputs (what they disagree on), and how much two outputs agree. Pure.

import type { Conflict, GeneratedFile, Quality, TaskProfile } from "../contract.ts";

export interface Structure {
  /** Who wrote it (a model id), for the conflicts' messages. */
  author: string;
  files: Set<string>;
  components: Set<string>;
  routes: Set<string>;
  dependencies: Set<string>;
  stateLibraries: Set<string>;
  dataLibraries: Set<string>;
  requirements: Set<string>;
}

/** Packages that hold an app's state, and that fetch and cache its data, by the name users know. */
const STATE_LIBRARIES: Record<string, string> = {
  zustand: "zustand",
  redux: "redux",
  "@reduxjs/toolkit": "redux",
  "react-redux": "redux",
  jotai: "jotai",
  mobx: "mobx",
  recoil: "recoil",
  valtio: "valtio",
  xstate: "xstate",
  pinia: "pinia",
  vuex: "vuex",
};
const DATA_LIBRARIES: Record<string, string> = {
  "@tanstack/react-query": "react-query",
  "react-query": "react-query",
  swr: "swr",
  "@apollo/client": "apollo",
  urql: "urql",
  "@trpc/client": "trpc",
};

const IMPORTED =
  /\bfrom\s+["']([^"'./][^"']*)["']|\bimport\s+["']([^"'./][^"']*)["']|\brequire\(\s*["']([^"'./][^"']*)["']\s*\)/g;
const EXPORTED_COMPONENT = /export\s+(?:default\s+)?(?:function|const|class)\s+([A-Z]\w*)/g;
const ROUTE_PATH = /<Route\b[^>]*\bpath\s*=\s*["'{`]+([^"'}`]+)|\bpath\s*:\s*["'`]([^"'`]+)["'`]/g;

function packageOf(source: string): string {
  const parts = source.split("/");
  return source.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function manifestDependencies(files: GeneratedFile[]): Set<string> {
  const manifest = files.find((file) => file.path === "package.json" || file.path.endsWith("/package.json"));
  try {
    const json = manifest ? JSON.parse(manifest.content) : {};
    return new Set(Object.keys({ ...json.dependencies }));
  } catch {
    return new Set();
  }
}

export function structureOf(
  author: string,
  files: GeneratedFile[],
  profile: TaskProfile,
  quality: Quality,
): Structure {
  const imported = new Set<string>();
  const components = new Set<string>();
  const routes = new Set<string>();
  for (const file of files) {
    for (const match of file.content.matchAll(IMPORTED)) {
      imported.add(packageOf(match[1] ?? match[2] ?? match[3]));
    }
    for (const match of file.content.matchAll(EXPORTED_COMPONENT)) components.add(match[1]);
    if (/\.(tsx?|jsx?)$/.test(file.path)) {
      for (const match of file.content.matchAll(ROUTE_PATH)) routes.add(match[1] ?? match[2]);
    }
  }
  const libraries = (table: Record<string, string>) =>
    new Set([...imported].flatMap((name) => table[name] ? [table[name]] : []));
  const missing = new Set(
    quality.issues.filter((issue) => issue.rule === "missing-requirement")
      .map((issue) => issue.message.match(/requirement "([^"]+)"/)?.[1]),
  );
  return {
    author,
    files: new Set(files.map((file) => file.path)),
    components,
    routes,
    dependencies: manifestDependencies(files),
    stateLibraries: libraries(STATE_LIBRARIES),
    dataLibraries: libraries(DATA_LIBRARIES),
    requirements: new Set(profile.requirements.filter((requirement) => !missing.has(requirement))),
  };
}

const list = (items: Iterable<string>) => [...items].sort().join(", ");

function jaccard(a: Set<string>, b: Set<string>): number {
  const union = new Set([...a, ...b]);
  if (union.size === 0) return 1;
  return [...a].filter((item) => b.has(item)).length / union.size;
}

/** How much two outputs agree on what they are built of, 0–1. */
export function agreement(a: Structure, b: Structure): number {
  const tagged = (s: Structure) =>
    new Set([
      ...[...s.dependencies].map((name) => `dep:${name}`),
      ...[...s.stateLibraries, ...s.dataLibraries].map((name) => `lib:${name}`),
      ...[...s.routes].map((route) => `route:${route}`),
      ...[...s.components].map((name) => `component:${name}`),
      ...[...s.requirements].map((name) => `requirement:${name}`),
      ...[...s.files].map((path) => `file:${path.split("/").at(-1)}`),
    ]);
  return jaccard(tagged(a), tagged(b));
}

/** What the outputs disagree on: libraries, requirements implemented, dependencies, routes, layout. */
export function conflictsOf(outputs: Structure[]): Conflict[] {
  if (outputs.length < 2) return [];
  const conflicts: Conflict[] = [];
  const libraryConflict = (
    aspect: "stateLibrary" | "dataLibrary",
    name: string,
    pick: (s: Structure) => Set<string>,
  ) => {
    const choices = outputs.filter((s) => pick(s).size > 0);
    const distinct = new Set(choices.map((s) => list(pick(s))));
    if (distinct.size > 1) {
      conflicts.push({
        aspect,
        message: `outputs disagree on the ${name}: ${
          choices.map((s) => `${list(pick(s))} (${s.author})`).join(" vs ")
        }`,
      });
    }
  };
  libraryConflict("stateLibrary", "state library", (s) => s.stateLibraries);
  libraryConflict("dataLibrary", "data library", (s) => s.dataLibraries);
  const requirements = new Set(outputs.flatMap((s) => [...s.requirements]));
  for (const requirement of [...requirements].sort()) {
    const having = outputs.filter((s) => s.requirements.has(requirement));
    if (having.length < outputs.length) {
      conflicts.push({
        aspect: "requirement",
        message: having.length === 1
          ? `only one output implements ${requirement} (${having[0].author})`
          : `${requirement} is implemented by ${having.map((s) => s.author).join(", ")} only`,
      });
    }
  }
  const shared = <T>(pick: (s: Structure) => Set<T>) =>
    [...pick(outputs[0])].filter((item) => outputs.every((s) => pick(s).has(item)));
  const onlyIn = (pick: (s: Structure) => Set<string>) =>
    outputs.flatMap((s) => {
      const own = [...pick(s)].filter((item) => !shared(pick).includes(item));
      return own.length ? [`${s.author}: ${own.slice(0, 5).join(", ")}${own.length > 5 ? ", …" : ""}`] : [];
    });
  const extraDependencies = onlyIn((s) => s.dependencies);
  if (extraDependencies.length) {
    conflicts.push({
      aspect: "dependencies",
      message: `dependencies only some outputs use — ${extraDependencies.join("; ")}`,
    });
  }
  const extraRoutes = onlyIn((s) => s.routes);
  if (extraRoutes.length) {
    conflicts.push({ aspect: "routes", message: `routes differ — ${extraRoutes.join("; ")}` });
  }
  const [first, ...rest] = outputs;
  if (rest.some((s) => jaccard(first.files, s.files) < 0.5)) {
    conflicts.push({
      aspect: "files",
      message: `the outputs are laid out differently: ${
        outputs.map((s) => `${s.author} ${s.files.size} files`).join(", ")
      }, ${shared((s) => s.files).length} in common`,
    });
  }
  return conflicts;
}
