// Completeness: the files the request needs are there, every local import resolves to one of them (as
// resolve.ts resolves it), every imported package is declared, and each requirement of the profile is
// implemented in the code.

import { allCalls, allImports, allJsx, type Project } from "./project.ts";
import { importResolver } from "./resolve.ts";
import type { Finding } from "./rules.ts";

const ENTRY_POINT =
  /^(src\/)?(main|index)\.(tsx?|jsx?|mjs)$|^index\.html$|^(src\/)?(app|pages)\/(_app|layout|page|index)\.(tsx|jsx)$|^(src\/)?server\.(ts|js)$/;
const CONFIG_OF_VITE = /^vite\.config\.(ts|js|mjs)$/;
const NODE_BUILTINS = new Set([
  "assert",
  "buffer",
  "child_process",
  "crypto",
  "events",
  "fs",
  "http",
  "https",
  "os",
  "path",
  "process",
  "stream",
  "url",
  "util",
  "zlib",
]);
const MINIMUM_FILES = { low: 1, medium: 3, high: 5 } as const;

export function packageName(source: string): string {
  const parts = source.split("/");
  return source.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Code that shows a requirement is implemented, read from calls, imports, JSX and styles. */
const EVIDENCE: Record<string, (p: Project) => boolean> = {
  auth: (p) =>
    allCalls(p).some((c) =>
      /(^|\.)auth\.(signIn\w*|signUp|signOut|getSession|getUser|onAuthStateChange)$|(^|\.)(signIn|signUp|logIn|login|authenticate)\w*$/
        .test(c)
    ) ||
    allJsx(p).some((e) => e.tag === "input" && e.attributes.get("type") === "password"),
  persistence: (p) =>
    allCalls(p).some((c) =>
      /^(localStorage|sessionStorage)\.(setItem|getItem)$|^indexedDB\.open$|\.from\(\)\.(insert|upsert|update|select|delete)$|^fetch$|^axios(\.|$)/
        .test(c)
    ) ||
    allImports(p).some((s) => /^(idb|dexie|localforage|firebase\/firestore)/.test(s)),
  routing: (p) =>
    allJsx(p).some((e) => /^(Route|Routes|Link|NavLink|Switch)$/.test(e.tag)) ||
    allCalls(p).some((c) =>
      /^(createBrowserRouter|createHashRouter|createMemoryRouter|useNavigate|useRouter)$/.test(c)
    ),
  charts: (p) =>
    allImports(p).some((s) =>
      /^(recharts|chart\.js|react-chartjs-2|victory|@nivo\/|d3|apexcharts|react-apexcharts|echarts|@visx\/)/
        .test(s)
    ) ||
    allJsx(p).some((e) => /(Chart|^svg)$/.test(e.tag)),
  forms: (p) =>
    allJsx(p).some((e) => e.tag === "form" && (e.attributes.has("onSubmit") || e.attributes.has("action"))),
  realtime: (p) =>
    allCalls(p).some((c) => /\.channel$|\.subscribe$|^new (WebSocket|EventSource)$|^io$/.test(c)) ||
    allImports(p).some((s) => /^socket\.io-client|^pusher-js|^ably/.test(s)),
  search: (p) =>
    allCalls(p).some((c) => /\.filter$/.test(c)) &&
    allJsx(p).some((e) => e.tag === "input" && e.attributes.has("onChange")),
  api: (p) => allCalls(p).some((c) => /^fetch$|^axios(\.|$)|^ky(\.|$)|^useQuery$|^useSWR$/.test(c)),
  payments: (p) =>
    allImports(p).some((s) => /^(stripe|@stripe\/)/.test(s)) ||
    allCalls(p).some((c) => /redirectToCheckout|confirmPayment|checkout\.sessions\.create/.test(c)),
  uploads: (p) =>
    allJsx(p).some((e) => e.tag === "input" && e.attributes.get("type") === "file") ||
    allCalls(p).some((c) => /^new FormData$|\.upload$/.test(c)),
  i18n: (p) =>
    allImports(p).some((s) => /^(i18next|react-i18next|react-intl|next-intl)/.test(s)) ||
    allCalls(p).some((c) => /^useTranslation$|^new Intl\./.test(c)),
  responsive: (p) =>
    /@media/.test(p.css) ||
    allJsx(p).some((e) => /\b(sm|md|lg|xl):/.test(e.attributes.get("className") ?? "")) ||
    allCalls(p).some((c) => /matchMedia$/.test(c)),
  theming: (p) =>
    /prefers-color-scheme|\.dark\b|\[data-theme/.test(p.css) ||
    p.scripts.some((s) => s.states.some((state) => /dark|theme/i.test(state.value ?? ""))),
};

function requiredFiles(project: Project, importsPackages: boolean): Finding[] {
  const findings: Finding[] = [];
  const { files, scripts, profile } = project;
  if (!files.some((file) => ENTRY_POINT.test(file.path))) {
    findings.push({ rule: "missing-entry-point", message: "no entry point (src/main.tsx, index.html, …)" });
  }
  if (
    project.isUi &&
    !scripts.some((script) =>
      script.functions.some((fn) => fn.name && /^[A-Z]/.test(fn.name) && fn.rendersJsx)
    )
  ) {
    findings.push({ rule: "missing-component", message: "no component: nothing renders the UI" });
  }
  if (importsPackages && !project.declaredPackages) {
    findings.push({
      rule: "missing-manifest",
      message: "packages are imported but there is no package.json",
    });
  }
  const usesVite = project.declaredPackages?.has("vite") || files.some((file) => file.path === "index.html");
  if (usesVite && !files.some((file) => CONFIG_OF_VITE.test(file.path))) {
    findings.push({ rule: "missing-config", message: "a Vite project without vite.config" });
  }
  if (
    scripts.some((script) => script.typescript) &&
    !files.some((file) => /(^|\/)tsconfig(\.\w+)?\.json$/.test(file.path))
  ) {
    findings.push({ rule: "missing-config", message: "TypeScript without tsconfig.json" });
  }
  const styled = project.css.length > 0 ||
    scripts.some((script) =>
      script.jsx.some((e) => e.attributes.has("className") || e.attributes.has("style"))
    );
  if (project.isUi && !styled) findings.push({ rule: "missing-styles", message: "the UI has no styles" });
  if (files.length < MINIMUM_FILES[profile.complexity]) {
    findings.push({
      rule: "too-few-files",
      message: `${files.length} file(s) for a ${profile.complexity}-complexity project; expected at least ${
        MINIMUM_FILES[profile.complexity]
      }`,
    });
  }
  return findings;
}

export function completeness(project: Project): Finding[] {
  const resolve = importResolver([...project.files, ...project.contextFiles], project.paths);
  const imports = project.scripts.flatMap((script) =>
    script.imports.map((entry) => ({
      script,
      entry,
      target: resolve(script.path, entry.source, entry.typeOnly),
    }))
  );
  const importsPackages = imports.some(({ entry, target }) =>
    target === "package" && !entry.source.startsWith("node:")
  );
  const findings = project.isNewProject ? requiredFiles(project, importsPackages) : [];
  for (const { script, entry: { source, at }, target } of imports) {
    if (target === "missing") {
      findings.push({
        rule: "unresolved-import",
        message: `import "${source}" does not resolve to a file of the output`,
        file: script.path,
        line: script.lineOf(at),
      });
    } else if (
      target === "package" && project.declaredPackages && !source.startsWith("node:") &&
      !NODE_BUILTINS.has(source)
    ) {
      const name = packageName(source);
      if (!project.declaredPackages.has(name)) {
        findings.push({
          rule: "undeclared-package",
          message: `package "${name}" is imported but not declared in package.json`,
          file: script.path,
          line: script.lineOf(at),
        });
      }
    }
  }
  for (const requirement of project.profile.requirements) {
    if (EVIDENCE[requirement] && !EVIDENCE[requirement](project)) {
      findings.push({
        rule: "missing-requirement",
        message: `requirement "${requirement}" is not implemented`,
      });
    }
  }
  return findings;
}
