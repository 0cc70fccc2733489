// Where an import leads, resolved as Vite and TypeScript (moduleResolution "bundler") resolve it, against
// the paths of the output and its context. An extensionless specifier finds a script or a directory's
// index script, never a stylesheet or JSON file of the same name: those are found only when the specifier
// names their extension. tsconfig `paths` and `baseUrl` map bare specifiers to files.

import type { GeneratedFile } from "../contract.ts";
import { parseJsonWithComments } from "./parse.ts";

/** A file of the output or context, no file (a local import that is broken), or a package. */
export type ImportTarget = "file" | "missing" | "package";

export type ImportResolver = (fromPath: string, source: string, typeOnly: boolean) => ImportTarget;

const SCRIPT_EXTENSIONS = [".ts", ".tsx", ".js", ".jsx", ".mjs", ".mts", ".cjs", ".cts"];
const TYPE_EXTENSIONS = [...SCRIPT_EXTENSIONS, ".d.ts"];
/** TypeScript's ESM rule: a specifier names the JavaScript its source compiles to. */
const SOURCES_OF: Record<string, string[]> = {
  ".js": [".ts", ".tsx"],
  ".jsx": [".tsx"],
  ".mjs": [".mts"],
  ".cjs": [".cts"],
};
const DECLARATION_OF: Record<string, string> = { ".js": ".d.ts", ".mjs": ".d.mts", ".cjs": ".d.cts" };
const EMITTED_EXTENSION = /\.(js|jsx|mjs|cjs)$/;
/** The configs read for `paths`; the ones they reference are followed whatever their name. */
const CONFIG_FILE = /(^|\/)(tsconfig|tsconfig\.app|jsconfig)\.json$/;

interface PathMapping {
  pattern: string;
  /** Relative to the output's root, each with the pattern's "*" still in it. */
  targets: string[];
}

/** `relative` joined to the directory `dir` ("" is the root), "." and ".." folded. */
function join(dir: string, relative: string): string {
  const parts = dir ? dir.split("/") : [];
  for (const segment of relative.split("/")) {
    if (segment === "..") parts.pop();
    else if (segment !== "." && segment !== "") parts.push(segment);
  }
  return parts.join("/");
}

function dirOf(path: string): string {
  return path.slice(0, Math.max(0, path.lastIndexOf("/")));
}

function exists(base: string, typeOnly: boolean, paths: Set<string>): boolean {
  if (paths.has(base)) return true;
  const emitted = base.match(EMITTED_EXTENSION)?.[0];
  if (emitted) {
    const stem = base.slice(0, -emitted.length);
    if (SOURCES_OF[emitted].some((extension) => paths.has(stem + extension))) return true;
    if (typeOnly && DECLARATION_OF[emitted] && paths.has(stem + DECLARATION_OF[emitted])) return true;
  }
  const index = base ? `${base}/index` : "index";
  return (typeOnly ? TYPE_EXTENSIONS : SCRIPT_EXTENSIONS).some((extension) =>
    paths.has(base + extension) || paths.has(index + extension)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The `paths` and `baseUrl` of every tsconfig, and of the configs they reference. */
function readConfigs(files: GeneratedFile[]): { mappings: PathMapping[]; baseUrls: string[] } {
  const mappings: PathMapping[] = [];
  const baseUrls: string[] = [];
  const queue = files.filter((file) => CONFIG_FILE.test(file.path)).map((file) => file.path);
  const seen = new Set<string>();
  for (const path of queue) {
    if (seen.has(path)) continue;
    seen.add(path);
    const config = parseJsonWithComments(files.find((file) => file.path === path)?.content ?? "");
    if (!isRecord(config)) continue;
    const dir = dirOf(path);
    const options = isRecord(config.compilerOptions) ? config.compilerOptions : {};
    const baseUrl = typeof options.baseUrl === "string" ? join(dir, options.baseUrl) : null;
    if (baseUrl !== null) baseUrls.push(baseUrl);
    for (const [pattern, targets] of Object.entries(isRecord(options.paths) ? options.paths : {})) {
      if (!Array.isArray(targets)) continue;
      const strings = targets.filter((target): target is string => typeof target === "string");
      mappings.push({ pattern, targets: strings.map((target) => join(baseUrl ?? dir, target)) });
    }
    for (const reference of Array.isArray(config.references) ? config.references : []) {
      if (!isRecord(reference) || typeof reference.path !== "string") continue;
      const target = join(dir, reference.path);
      queue.push(target.endsWith(".json") ? target : join(target, "tsconfig.json"));
    }
  }
  return { mappings, baseUrls };
}

/** What the pattern's "*" matched in the specifier ("" for an exact pattern), or null. */
function capture(pattern: string, specifier: string): string | null {
  const star = pattern.indexOf("*");
  if (star < 0) return pattern === specifier ? "" : null;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return specifier.length >= prefix.length + suffix.length && specifier.startsWith(prefix) &&
      specifier.endsWith(suffix)
    ? specifier.slice(prefix.length, specifier.length - suffix.length)
    : null;
}

/** A resolver for the imports of an output; `files` are the output's and its context's. */
export function importResolver(files: GeneratedFile[], paths: Set<string>): ImportResolver {
  const { mappings, baseUrls } = readConfigs(files);
  return (fromPath, source, typeOnly) => {
    const specifier = source.replace(/\?.*$/, ""); // Vite's ?raw, ?url, ?worker… name the same file
    if (specifier.startsWith(".") || specifier.startsWith("/")) {
      // "/src/x": Vite's path from the project's root.
      const dir = specifier.startsWith("/") ? "" : dirOf(fromPath);
      return exists(join(dir, specifier), typeOnly, paths) ? "file" : "missing";
    }
    const mapped = mappings.flatMap(({ pattern, targets }) => {
      const star = capture(pattern, specifier);
      return star === null ? [] : targets.map((target) => join("", target.replace("*", star)));
    });
    // "@/x" and "~/x" cannot be packages; without `paths`, the usual aliases of the root or src/.
    const alias = /^[@~]\//.test(specifier);
    const guessed = alias && mappings.length === 0 ? [`src/${specifier.slice(2)}`, specifier.slice(2)] : [];
    const bases = [...mapped, ...baseUrls.map((baseUrl) => join(baseUrl, specifier)), ...guessed];
    if (bases.some((base) => exists(base, typeOnly, paths))) return "file";
    // A catch-all "*" mapping falls back to packages, as TypeScript falls back to node_modules.
    const local = alias ||
      mappings.some(({ pattern }) => pattern !== "*" && capture(pattern, specifier) !== null);
    return local ? "missing" : "package";
  };
}
