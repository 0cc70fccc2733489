// The weighted quality scorer, first version: completeness 30%, code quality 30%, functionality 25%,
// performance 15%, each 0–100, with the issues found. It reads the files as text with patterns; the
// syntax-tree scorer replaces these checks (issue "A quality scorer that reads the code"). Pure.

import type { GeneratedFile, Quality, QualityIssue, TaskProfile } from "./contract.ts";

export const WEIGHTS = {
  completeness: 0.3,
  codeQuality: 0.3,
  functionality: 0.25,
  performance: 0.15,
} as const;

type Dimension = QualityIssue["dimension"];

const CODE_FILE = /\.(tsx?|jsx?|mjs|cjs)$/;
const UI_FILE = /\.(tsx|jsx)$/;
const ENTRY_POINTS =
  /(^|\/)(main|index)\.(tsx?|jsx?)$|^index\.html$|(^|\/)app\.(py|rb)$|^src\/App\.(tsx|jsx)$/;
const NODE_BUILTINS = new Set([
  "fs",
  "path",
  "os",
  "url",
  "crypto",
  "http",
  "https",
  "stream",
  "events",
  "util",
]);

/** Code that shows a requirement is implemented, not merely mentioned. */
const REQUIREMENT_EVIDENCE: Record<string, RegExp> = {
  auth: /signIn|signUp|signInWith|login\s*\(|onAuthStateChange|getSession|auth\.|useAuth/,
  persistence: /localStorage|sessionStorage|indexedDB|supabase\s*\.\s*from|\.insert\(|\.upsert\(|fetch\(/,
  routing: /<Route\b|createBrowserRouter|useNavigate|<Link\b|RouterProvider|router\./,
  charts: /recharts|chart\.js|<(Line|Bar|Pie|Area)Chart\b|new Chart\(|<svg\b/,
  forms: /<form\b|onSubmit=/,
  realtime: /\.subscribe\(|\.channel\(|new WebSocket\(|EventSource/,
  search: /\.filter\(|search|query/i,
  api: /fetch\(|axios|\.get\(|\.post\(/,
  payments: /stripe|checkout|payment/i,
  uploads: /type=["']file["']|FormData|\.upload\(/,
  i18n: /i18n|t\(["']|useTranslation|Intl\./,
  responsive: /@media|sm:|md:|lg:|matchMedia/,
  theming: /dark|theme/i,
};

interface Finding {
  dimension: Dimension;
  severity: QualityIssue["severity"];
  penalty: number;
  message: string;
  file?: string;
  line?: number;
}

function lineOf(content: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (content.charCodeAt(i) === 10) line++;
  return line;
}

/** Each match of `pattern` in each file becomes a finding, the total penalty capped at `cap`. */
function findEach(
  files: GeneratedFile[],
  pattern: RegExp,
  finding: Omit<Finding, "file" | "line" | "message"> & { message: string; cap: number },
): Finding[] {
  const found: Finding[] = [];
  for (const file of files) {
    for (const match of file.content.matchAll(pattern)) {
      found.push({ ...finding, file: file.path, line: lineOf(file.content, match.index ?? 0) });
    }
  }
  return capPenalties(found, finding.cap);
}

function capPenalties(findings: Finding[], cap: number): Finding[] {
  let left = cap;
  return findings.map((finding) => {
    const penalty = Math.min(finding.penalty, left);
    left -= penalty;
    return { ...finding, penalty };
  });
}

/** Strips comments and string literals, so braces and names inside them do not count. */
function codeOnly(content: string): string {
  return content.replace(
    /\/\*[\s\S]*?\*\/|\/\/[^\n]*|`(?:\\.|[^`\\])*`|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g,
    '""',
  );
}

function balanced(content: string): boolean {
  const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
  const stack: string[] = [];
  for (const char of codeOnly(content)) {
    if (char === "(" || char === "[" || char === "{") stack.push(char);
    else if (char in pairs && stack.pop() !== pairs[char]) return false;
  }
  return stack.length === 0;
}

function importsOf(content: string): Array<{ source: string; names: string[]; index: number }> {
  const imports = [];
  const pattern = /import\s+(?:type\s+)?([\w*\s{},]*?)\s*from\s*["']([^"']+)["']|import\s*["']([^"']+)["']/g;
  for (const match of content.matchAll(pattern)) {
    const clause = match[1] ?? "";
    const names = clause
      .replace(/[{}]/g, ",")
      .split(",")
      .map((part) => part.trim().split(/\s+as\s+/).pop()!.replace(/^\*\s*as\s+/, "").replace(/^type\s+/, ""))
      .filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
    imports.push({ source: match[2] ?? match[3], names, index: match.index ?? 0 });
  }
  return imports;
}

function resolves(fromPath: string, source: string, paths: Set<string>): boolean {
  const parts = fromPath.split("/").slice(0, -1);
  for (const segment of source.split("/")) {
    if (segment === "..") parts.pop();
    else if (segment !== ".") parts.push(segment);
  }
  const base = parts.join("/");
  const candidates = [
    "",
    ".ts",
    ".tsx",
    ".js",
    ".jsx",
    ".css",
    ".json",
    "/index.ts",
    "/index.tsx",
    "/index.js",
  ];
  return candidates.some((suffix) => paths.has(base + suffix));
}

function packageName(source: string): string {
  const parts = source.split("/");
  return source.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function declaredPackages(files: GeneratedFile[]): Set<string> | null {
  const manifest = files.find((file) => file.path === "package.json" || file.path.endsWith("/package.json"));
  if (!manifest) return null;
  try {
    const json = JSON.parse(manifest.content);
    return new Set(Object.keys({ ...json.dependencies, ...json.devDependencies, ...json.peerDependencies }));
  } catch {
    return new Set();
  }
}

function completeness(
  files: GeneratedFile[],
  profile: TaskProfile,
  contextFiles: GeneratedFile[],
): Finding[] {
  const findings: Finding[] = [];
  const code = files.filter((file) => CODE_FILE.test(file.path));
  const all = new Set([...files, ...contextFiles].map((file) => file.path));
  const isNewProject = profile.taskType === "generation" && contextFiles.length === 0;

  if (profile.taskType === "explain") {
    const text = files.map((file) => file.content).join("\n");
    if (text.length < 300) {
      findings.push({
        dimension: "completeness",
        severity: "error",
        penalty: 40,
        message: "explanation is too short",
      });
    }
    return findings;
  }
  if (isNewProject && !files.some((file) => ENTRY_POINTS.test(file.path))) {
    findings.push({ dimension: "completeness", severity: "error", penalty: 25, message: "no entry point" });
  }
  const minimumFiles = { low: 1, medium: 3, high: 5 }[profile.complexity];
  if (isNewProject && files.length < minimumFiles) {
    findings.push({
      dimension: "completeness",
      severity: "warning",
      penalty: 10,
      message:
        `${files.length} file(s) for a ${profile.complexity}-complexity project; expected at least ${minimumFiles}`,
    });
  }

  const declared = declaredPackages([...files, ...contextFiles]);
  const unresolved: Finding[] = [];
  const undeclared: Finding[] = [];
  let usesPackages = false;
  for (const file of code) {
    for (const { source, index } of importsOf(file.content)) {
      const line = lineOf(file.content, index);
      if (source.startsWith(".")) {
        if (!resolves(file.path, source, all)) {
          unresolved.push({
            dimension: "completeness",
            severity: "error",
            penalty: 20,
            message: `import "${source}" does not resolve to a file of the output`,
            file: file.path,
            line,
          });
        }
      } else if (!source.startsWith("node:") && !NODE_BUILTINS.has(source)) {
        usesPackages = true;
        if (declared && !declared.has(packageName(source))) {
          undeclared.push({
            dimension: "completeness",
            severity: "error",
            penalty: 10,
            message: `package "${packageName(source)}" is imported but not declared in package.json`,
            file: file.path,
            line,
          });
        }
      }
    }
  }
  findings.push(...capPenalties(unresolved, 40), ...capPenalties(undeclared, 30));
  if (isNewProject && usesPackages && !declared) {
    findings.push({ dimension: "completeness", severity: "error", penalty: 20, message: "no package.json" });
  }

  const source = code.map((file) => file.content).join("\n");
  for (const requirement of profile.requirements) {
    const evidence = REQUIREMENT_EVIDENCE[requirement];
    if (evidence && !evidence.test(source)) {
      findings.push({
        dimension: "completeness",
        severity: "error",
        penalty: 20,
        message: `requirement "${requirement}" is not implemented`,
      });
    }
  }
  return findings;
}

function codeQuality(files: GeneratedFile[]): Finding[] {
  const code = files.filter((file) => CODE_FILE.test(file.path));
  const findings: Finding[] = [
    ...findEach(code, /:\s*any\b|\bas any\b|<any>/g, {
      dimension: "codeQuality",
      severity: "warning",
      penalty: 4,
      cap: 20,
      message: "`any` type",
    }),
    ...findEach(code, /console\.log\(/g, {
      dimension: "codeQuality",
      severity: "info",
      penalty: 2,
      cap: 10,
      message: "console.log left in",
    }),
    ...findEach(code, /\/\/\s*(TODO|FIXME)\b|\bimplement (this|me)\b|\/\/ \.\.\./gi, {
      dimension: "codeQuality",
      severity: "warning",
      penalty: 4,
      cap: 16,
      message: "placeholder or TODO",
    }),
  ];
  const unused: Finding[] = [];
  for (const file of code) {
    if (!balanced(file.content)) {
      findings.push({
        dimension: "codeQuality",
        severity: "error",
        penalty: 50,
        message: "unbalanced brackets: the file does not parse",
        file: file.path,
      });
    }
    const body = codeOnly(file.content.replace(/^\s*import[^;]*;?$/gm, ""));
    for (const { names, index } of importsOf(file.content)) {
      for (const name of names) {
        if (name !== "React" && !new RegExp(`\\b${name.replace(/\$/g, "\\$")}\\b`).test(body)) {
          unused.push({
            dimension: "codeQuality",
            severity: "warning",
            penalty: 4,
            message: `unused import "${name}"`,
            file: file.path,
            line: lineOf(file.content, index),
          });
        }
      }
    }
    const lines = file.content.split("\n").length;
    if (lines > 400) {
      findings.push({
        dimension: "codeQuality",
        severity: "warning",
        penalty: 5,
        message: `${lines} lines: split the file`,
        file: file.path,
      });
    }
    if (UI_FILE.test(file.path)) {
      const components = file.content.match(/^(export\s+(default\s+)?)?function\s+[A-Z]\w*\s*\(/gm)?.length ??
        0;
      if (components > 2) {
        findings.push({
          dimension: "codeQuality",
          severity: "info",
          penalty: 3,
          message: `${components} components in one file`,
          file: file.path,
        });
      }
    }
  }
  for (const file of files.filter((file) => file.path.endsWith(".json"))) {
    try {
      JSON.parse(file.content);
    } catch {
      findings.push({
        dimension: "codeQuality",
        severity: "error",
        penalty: 20,
        message: "invalid JSON",
        file: file.path,
      });
    }
  }
  return [...findings, ...capPenalties(unused, 16)];
}

function functionality(files: GeneratedFile[], profile: TaskProfile): Finding[] {
  const ui = files.filter((file) => UI_FILE.test(file.path));
  if (profile.taskType === "explain" || ui.length === 0) return [];
  const findings: Finding[] = [];
  const deadButtons: Finding[] = [];
  for (const file of ui) {
    for (const match of file.content.matchAll(/<button\b([^>]*)>/g)) {
      if (!/onClick=|type=["']submit["']/.test(match[1])) {
        deadButtons.push({
          dimension: "functionality",
          severity: "error",
          penalty: 15,
          message: "button without a click handler",
          file: file.path,
          line: lineOf(file.content, match.index ?? 0),
        });
      }
    }
    for (const match of file.content.matchAll(/<form\b([^>]*)>/g)) {
      if (!/onSubmit=|action=/.test(match[1])) {
        findings.push({
          dimension: "functionality",
          severity: "error",
          penalty: 20,
          message: "form without a submit handler",
          file: file.path,
          line: lineOf(file.content, match.index ?? 0),
        });
      }
    }
    for (const match of file.content.matchAll(/const\s+\[\s*(\w+)\s*,\s*(set\w+)\s*\]\s*=\s*useState/g)) {
      const setter = match[2];
      if ((file.content.match(new RegExp(`\\b${setter}\\b`, "g"))?.length ?? 0) < 2) {
        findings.push({
          dimension: "functionality",
          severity: "warning",
          penalty: 5,
          message: `state "${match[1]}" is never updated`,
          file: file.path,
          line: lineOf(file.content, match.index ?? 0),
        });
      }
    }
  }
  findings.push(...capPenalties(deadButtons, 45));
  const source = ui.map((file) => file.content).join("\n");
  const interactive = /useState|useReducer|useContext|use[A-Z]\w+\(/.test(source);
  const handlers = /on[A-Z]\w*=\{/.test(source);
  if (profile.taskType === "generation" && !interactive && !handlers) {
    findings.push({
      dimension: "functionality",
      severity: "error",
      penalty: 30,
      message: "no state and no event handlers: the UI does nothing",
    });
  }
  return findings;
}

function performance(files: GeneratedFile[]): Finding[] {
  const code = files.filter((file) => CODE_FILE.test(file.path));
  const findings: Finding[] = [];
  const unkeyed: Finding[] = [];
  for (const file of code) {
    if (file.content.length > 30_000) {
      findings.push({
        dimension: "performance",
        severity: "warning",
        penalty: 10,
        message: `${Math.round(file.content.length / 1000)} KB file`,
        file: file.path,
      });
    }
    for (const match of file.content.matchAll(/\.map\(\s*\(?[^)]*\)?\s*=>\s*\(?\s*<(\w+)([^>]*)>/g)) {
      if (!/\bkey=/.test(match[2])) {
        unkeyed.push({
          dimension: "performance",
          severity: "warning",
          penalty: 15,
          message: "list items rendered without a key",
          file: file.path,
          line: lineOf(file.content, match.index ?? 0),
        });
      }
    }
  }
  findings.push(...capPenalties(unkeyed, 30));
  findings.push(...findEach(code, /useEffect\(\s*(async\s*)?\(\)\s*=>\s*\{(?:[^{}]|\{[^{}]*\})*\}\s*\)/g, {
    dimension: "performance",
    severity: "warning",
    penalty: 15,
    cap: 30,
    message: "effect without a dependency array runs after every render",
  }));
  const totalBytes = code.reduce((sum, file) => sum + file.content.length, 0);
  if (
    (code.length > 15 || totalBytes > 100_000) &&
    !code.some((file) => /React\.lazy|\blazy\(|import\(/.test(file.content))
  ) {
    findings.push({
      dimension: "performance",
      severity: "info",
      penalty: 10,
      message: "a large app without lazy loading or code splitting",
    });
  }
  return findings;
}

function dimensionScore(findings: Finding[], dimension: Dimension): number {
  const penalty = findings.filter((finding) => finding.dimension === dimension)
    .reduce((sum, finding) => sum + finding.penalty, 0);
  return Math.max(0, 100 - penalty);
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Scores generated files against the task profile. `contextFiles` are the caller's existing files. */
export function scoreOutput(
  files: GeneratedFile[],
  profile: TaskProfile,
  contextFiles: GeneratedFile[] = [],
): Quality {
  if (files.length === 0 || files.every((file) => !file.content.trim())) {
    return {
      overall: 0,
      completeness: 0,
      codeQuality: 0,
      functionality: 0,
      performance: 0,
      issues: [{ dimension: "completeness", severity: "error", message: "no output" }],
    };
  }
  const findings = [
    ...completeness(files, profile, contextFiles),
    ...codeQuality(files),
    ...functionality(files, profile),
    ...performance(files),
  ];
  const scores = {
    completeness: dimensionScore(findings, "completeness"),
    codeQuality: dimensionScore(findings, "codeQuality"),
    functionality: dimensionScore(findings, "functionality"),
    performance: dimensionScore(findings, "performance"),
  };
  const overall = (Object.keys(WEIGHTS) as Array<keyof typeof WEIGHTS>)
    .reduce((sum, key) => sum + WEIGHTS[key] * scores[key], 0);
  return {
    overall: round1(overall),
    ...scores,
    issues: findings.map(({ penalty: _penalty, ...issue }) => issue),
  };
}
