// What the simulated models write: a React + TypeScript + Vite project for a request, with the
// requirements it names, and with defects injected in inverse proportion to the model's quality, so the
// quality scorer has real differences to find. Deterministic for a given random source.

const LABEL = "Simulated output: written by the local model simulator, not by a real model.";

export type Defect =
  | "missing_manifest"
  | "missing_requirement"
  | "unresolved_import"
  | "undeclared_package"
  | "any_types"
  | "unused_import"
  | "console_log"
  | "unkeyed_list"
  | "effect_without_deps"
  | "dead_button"
  | "form_without_submit"
  | "syntax_error";

/** In the order a weaker model tends to commit them: the first are the most common. */
export const DEFECTS: Defect[] = [
  "console_log",
  "any_types",
  "unused_import",
  "unkeyed_list",
  "effect_without_deps",
  "dead_button",
  "missing_requirement",
  "undeclared_package",
  "form_without_submit",
  "unresolved_import",
  "missing_manifest",
  "syntax_error",
];

export interface File {
  path: string;
  content: string;
}

export interface GenerationSpec {
  request: string;
  requirements: string[];
  defects: ReadonlySet<Defect>;
}

/** Picks defects for a quality in [0, 1]: the lower the quality, the more and the worse. */
export function pickDefects(quality: number, random: () => number): Set<Defect> {
  const count = Math.max(0, Math.round((1 - quality) * 12 + (random() - 0.5) * 2));
  const picked = new Set<Defect>();
  for (const defect of DEFECTS) {
    if (picked.size >= count) break;
    // Mostly in order, sometimes skipping one, so outputs of the same model vary between requests.
    if (random() < 0.8) picked.add(defect);
  }
  return picked;
}

function subjectOf(request: string): { singular: string; plural: string; Type: string } {
  const text = request.toLowerCase();
  const known = text.match(
    /\b(todo|task|note|expense|product|post|contact|event|book|recipe|habit|order|invoice|message|project|ticket|movie|song)s?\b/,
  );
  const named = text.match(/\b(?:an?|the)\s+([a-z]+)\s+(?:app|application|tracker|manager|list|dashboard)\b/);
  const singular = known?.[1] ?? named?.[1] ?? "item";
  const Type = singular[0].toUpperCase() + singular.slice(1);
  return { singular, plural: `${singular}s`, Type };
}

function manifest(spec: GenerationSpec): File {
  const dependencies: Record<string, string> = { react: "^18.3.1", "react-dom": "^18.3.1" };
  if (spec.requirements.includes("auth")) dependencies["@supabase/supabase-js"] = "^2.45.0";
  if (spec.requirements.includes("routing")) dependencies["react-router-dom"] = "^6.26.0";
  if (spec.requirements.includes("charts")) dependencies.recharts = "^2.12.7";
  return {
    path: "package.json",
    content: JSON.stringify(
      {
        name: "generated-app",
        description: LABEL,
        private: true,
        type: "module",
        scripts: { dev: "vite", build: "tsc -b && vite build", preview: "vite preview" },
        dependencies,
        devDependencies: {
          "@types/react": "^18.3.3",
          "@types/react-dom": "^18.3.0",
          "@vitejs/plugin-react": "^4.3.1",
          typescript: "^5.5.4",
          vite: "^5.4.2",
        },
      },
      null,
      2,
    ),
  };
}

function ts(path: string, lines: string[]): File {
  return { path, content: [`// ${LABEL}`, ...lines, ""].join("\n") };
}

/** The project's files, in the order a plan would list them. */
export function generateProject(spec: GenerationSpec): File[] {
  const { singular, plural, Type } = subjectOf(spec.request);
  const d = spec.defects;
  const has = (requirement: string) =>
    spec.requirements.includes(requirement) &&
    !(d.has("missing_requirement") && requirement === spec.requirements[0]);
  const List = `${Type}List`;
  const Form = `${Type}Form`;
  const hook = `use${Type}s`;
  const idType = d.has("any_types") ? "any" : "string";
  const files: File[] = [];

  if (!d.has("missing_manifest")) files.push(manifest(spec));
  files.push({
    path: "index.html",
    content: [
      "<!doctype html>",
      `<!-- ${LABEL} -->`,
      '<html lang="en">',
      '  <head><meta charset="UTF-8" /><title>Generated app</title></head>',
      '  <body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body>',
      "</html>",
      "",
    ].join("\n"),
  });
  files.push({
    path: "tsconfig.json",
    // tsconfig is JSON with comments, so it can carry the label too.
    content: `// ${LABEL}\n` + JSON.stringify(
      {
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2022", "DOM"],
          module: "ESNext",
          moduleResolution: "bundler",
          jsx: "react-jsx",
          strict: true,
          noEmit: true,
        },
        include: ["src"],
      },
      null,
      2,
    ),
  });
  files.push(ts("vite.config.ts", [
    'import { defineConfig } from "vite";',
    'import react from "@vitejs/plugin-react";',
    "",
    "export default defineConfig({ plugins: [react()] });",
  ]));
  files.push(ts(
    "src/main.tsx",
    [
      'import { StrictMode } from "react";',
      'import { createRoot } from "react-dom/client";',
      has("routing") ? 'import { BrowserRouter } from "react-router-dom";' : "",
      'import App from "./App";',
      'import "./index.css";',
      "",
      'createRoot(document.getElementById("root")!).render(',
      "  <StrictMode>",
      has("routing") ? "    <BrowserRouter><App /></BrowserRouter>" : "    <App />",
      "  </StrictMode>,",
      ");",
    ].filter((line) => line !== ""),
  ));
  files.push(ts("src/types.ts", [
    `export interface ${Type} {`,
    `  id: ${idType};`,
    "  title: string;",
    "  done: boolean;",
    "  createdAt: string;",
    "}",
  ]));

  const storageKey = `generated-app.${plural}`;
  files.push(ts(`src/hooks/${hook}.ts`, [
    'import { useEffect, useState } from "react";',
    `import type { ${Type} } from "../types";`,
    "",
    `export function ${hook}() {`,
    `  const [${plural}, set${Type}s] = useState<${Type}[]>(() => {`,
    has("persistence") || spec.requirements.length === 0
      ? `    const saved = localStorage.getItem("${storageKey}");`
      : "    const saved = null;",
    "    return saved ? JSON.parse(saved) : [];",
    "  });",
    "",
    "  useEffect(() => {",
    has("persistence") || spec.requirements.length === 0
      ? `    localStorage.setItem("${storageKey}", JSON.stringify(${plural}));`
      : `    document.title = \`\${${plural}.length} ${plural}\`;`,
    d.has("effect_without_deps") ? "  });" : `  }, [${plural}]);`,
    "",
    `  const add = (title: string) =>`,
    `    set${Type}s((current) => [...current, { id: crypto.randomUUID(), title, done: false, createdAt: new Date().toISOString() }]);`,
    `  const toggle = (id: ${idType}) =>`,
    `    set${Type}s((current) => current.map((entry) => (entry.id === id ? { ...entry, done: !entry.done } : entry)));`,
    `  const remove = (id: ${idType}) => set${Type}s((current) => current.filter((entry) => entry.id !== id));`,
    "",
    `  return { ${plural}, add, toggle, remove };`,
    "}",
  ]));

  const listItem = d.has("unkeyed_list") ? "<li>" : `<li key={${singular}.id}>`;
  files.push(ts(
    `src/components/${List}.tsx`,
    [
      d.has("unused_import") ? 'import { useMemo } from "react";' : "",
      has("search") ? 'import { useState } from "react";' : "",
      `import type { ${Type} } from "../types";`,
      "",
      "interface Props {",
      `  ${plural}: ${Type}[];`,
      `  onToggle: (id: ${idType}) => void;`,
      `  onRemove: (id: ${idType}) => void;`,
      "}",
      "",
      `export default function ${List}({ ${plural}, onToggle, onRemove }: Props) {`,
      has("search") ? '  const [query, setQuery] = useState("");' : "",
      has("search")
        ? `  const shown = ${plural}.filter((${singular}) => ${singular}.title.toLowerCase().includes(query.toLowerCase()));`
        : `  const shown = ${plural};`,
      d.has("console_log") ? `  console.log("rendering", shown.length);` : "",
      `  if (${plural}.length === 0) return <p className="empty">No ${plural} yet.</p>;`,
      "  return (",
      "    <section>",
      has("search")
        ? '      <input placeholder="Search" value={query} onChange={(event) => setQuery(event.target.value)} />'
        : "",
      "      <ul>",
      `        {shown.map((${singular}) => (`,
      `          ${listItem}`,
      `            <label className={${singular}.done ? "done" : ""}>`,
      `              <input type="checkbox" checked={${singular}.done} onChange={() => onToggle(${singular}.id)} />`,
      `              {${singular}.title}`,
      "            </label>",
      d.has("dead_button")
        ? `            <button aria-label="Delete">×</button>`
        : `            <button aria-label="Delete" onClick={() => onRemove(${singular}.id)}>×</button>`,
      "          </li>",
      "        ))}",
      "      </ul>",
      "    </section>",
      "  );",
      "}",
    ].filter((line) => line !== ""),
  ));

  files.push(ts(`src/components/${Form}.tsx`, [
    d.has("any_types")
      ? 'import { useState } from "react";'
      : 'import { type FormEvent, useState } from "react";',
    "",
    `export default function ${Form}({ onAdd }: { onAdd: (title: string) => void }) {`,
    '  const [title, setTitle] = useState("");',
    d.has("any_types") ? "  const submit = (event: any) => {" : "  const submit = (event: FormEvent) => {",
    "    event.preventDefault();",
    "    if (!title.trim()) return;",
    "    onAdd(title.trim());",
    '    setTitle("");',
    "  };",
    "  return (",
    d.has("form_without_submit")
      ? '    <form className="add-form">'
      : '    <form className="add-form" onSubmit={submit}>',
    `      <input value={title} onChange={(event) => setTitle(event.target.value)} placeholder="New ${singular}" />`,
    '      <button type="submit">Add</button>',
    "    </form>",
    "  );",
    "}",
  ]));

  if (has("auth")) {
    files.push(ts("src/lib/supabase.ts", [
      'import { createClient } from "@supabase/supabase-js";',
      "",
      "export const supabase = createClient(import.meta.env.VITE_SUPABASE_URL, import.meta.env.VITE_SUPABASE_PUBLISHABLE_KEY);",
    ]));
    files.push(ts("src/hooks/useAuth.ts", [
      'import { useEffect, useState } from "react";',
      'import type { Session } from "@supabase/supabase-js";',
      'import { supabase } from "../lib/supabase";',
      "",
      "export function useAuth() {",
      "  const [session, setSession] = useState<Session | null>(null);",
      "  useEffect(() => {",
      "    supabase.auth.getSession().then(({ data }) => setSession(data.session));",
      "    const { data } = supabase.auth.onAuthStateChange((_event, next) => setSession(next));",
      "    return () => data.subscription.unsubscribe();",
      "  }, []);",
      "  const signIn = (email: string, password: string) => supabase.auth.signInWithPassword({ email, password });",
      "  const signOut = () => supabase.auth.signOut();",
      "  return { session, signIn, signOut };",
      "}",
    ]));
    files.push(ts("src/components/LoginForm.tsx", [
      'import { type FormEvent, useState } from "react";',
      "",
      "interface Props {",
      "  onSignIn: (email: string, password: string) => Promise<{ error: { message: string } | null }>;",
      "}",
      "",
      "export default function LoginForm({ onSignIn }: Props) {",
      '  const [email, setEmail] = useState("");',
      '  const [password, setPassword] = useState("");',
      "  const [error, setError] = useState<string | null>(null);",
      "  const submit = async (event: FormEvent) => {",
      "    event.preventDefault();",
      "    const result = await onSignIn(email, password);",
      "    setError(result.error?.message ?? null);",
      "  };",
      "  return (",
      '    <form className="login" onSubmit={submit}>',
      '      <input type="email" value={email} onChange={(event) => setEmail(event.target.value)} placeholder="Email" />',
      '      <input type="password" value={password} onChange={(event) => setPassword(event.target.value)} placeholder="Password" />',
      '      {error && <p role="alert">{error}</p>}',
      '      <button type="submit">Sign in</button>',
      "    </form>",
      "  );",
      "}",
    ]));
  }

  if (has("charts")) {
    files.push(ts("src/components/StatsChart.tsx", [
      'import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";',
      `import type { ${Type} } from "../types";`,
      "",
      `export default function StatsChart({ ${plural} }: { ${plural}: ${Type}[] }) {`,
      "  const data = [",
      `    { name: "Open", count: ${plural}.filter((entry) => !entry.done).length },`,
      `    { name: "Done", count: ${plural}.filter((entry) => entry.done).length },`,
      "  ];",
      "  return (",
      '    <ResponsiveContainer width="100%" height={240}>',
      "      <BarChart data={data}>",
      '        <XAxis dataKey="name" />',
      "        <YAxis allowDecimals={false} />",
      "        <Tooltip />",
      '        <Bar dataKey="count" fill="#4f46e5" />',
      "      </BarChart>",
      "    </ResponsiveContainer>",
      "  );",
      "}",
    ]));
  }

  if (has("routing")) {
    files.push(ts("src/pages/AboutPage.tsx", [
      "export default function AboutPage() {",
      `  return <p>This app keeps your ${plural} in one place.</p>;`,
      "}",
    ]));
  }

  const appImports = [
    has("routing") ? 'import { Link, Route, Routes } from "react-router-dom";' : "",
    d.has("undeclared_package") ? 'import clsx from "clsx";' : "",
    `import { ${hook} } from "./hooks/${hook}";`,
    `import ${List} from "./components/${List}";`,
    `import ${Form} from "./components/${Form}";`,
    has("auth") ? 'import LoginForm from "./components/LoginForm";' : "",
    has("auth") ? 'import { useAuth } from "./hooks/useAuth";' : "",
    has("charts") ? 'import StatsChart from "./components/StatsChart";' : "",
    has("routing") ? 'import AboutPage from "./pages/AboutPage";' : "",
    d.has("unresolved_import") ? 'import Footer from "./components/Footer";' : "",
  ];
  const main = [
    `      <${Form} onAdd={add} />`,
    `      <${List} ${plural}={${plural}} onToggle={toggle} onRemove={remove} />`,
    has("charts") ? `      <StatsChart ${plural}={${plural}} />` : "",
  ];
  files.push(ts(
    "src/App.tsx",
    [
      ...appImports,
      has("theming") ? 'import { useState } from "react";' : "",
      "",
      "export default function App() {",
      `  const { ${plural}, add, toggle, remove } = ${hook}();`,
      has("auth") ? "  const { session, signIn, signOut } = useAuth();" : "",
      has("theming") ? "  const [dark, setDark] = useState(false);" : "",
      has("auth") ? "  if (!session) return <LoginForm onSignIn={signIn} />;" : "",
      "  return (",
      d.has("undeclared_package")
        ? '    <main className={clsx("app", { dark: false })}>'
        : has("theming")
        ? '    <main className={dark ? "app dark" : "app"}>'
        : '    <main className="app">',
      "      <header>",
      `        <h1>${Type}s</h1>`,
      has("routing") ? '        <nav><Link to="/">Home</Link> <Link to="/about">About</Link></nav>' : "",
      has("theming")
        ? '        <button onClick={() => setDark(!dark)}>{dark ? "Light" : "Dark"} mode</button>'
        : "",
      has("auth") ? "        <button onClick={signOut}>Sign out</button>" : "",
      "      </header>",
      ...(has("routing")
        ? [
          "      <Routes>",
          '        <Route path="/" element={<>',
          ...main.map((line) => `  ${line}`),
          "        </>} />",
          '        <Route path="/about" element={<AboutPage />} />',
          "      </Routes>",
        ]
        : main),
      d.has("unresolved_import") ? "      <Footer />" : "",
      "    </main>",
      "  );",
      d.has("syntax_error") ? "" : "}",
    ].filter((line) => line !== ""),
  ));

  files.push({
    path: "src/index.css",
    content: [
      `/* ${LABEL} */`,
      ":root { font-family: system-ui, sans-serif; color: #1f2937; }",
      ".app { max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }",
      ".app.dark { background: #111827; color: #f9fafb; }",
      "header { display: flex; gap: 1rem; align-items: center; justify-content: space-between; }",
      ".done { text-decoration: line-through; opacity: 0.6; }",
      ".add-form { display: flex; gap: 0.5rem; margin: 1rem 0; }",
      "@media (max-width: 480px) { header { flex-direction: column; } }",
      "",
    ].join("\n"),
  });
  return files;
}

/** One-line purposes for a progressive plan. */
export function purposeOf(path: string): string {
  if (path === "package.json") return "dependencies and scripts";
  if (path.endsWith(".css")) return "styles";
  if (path.includes("/hooks/")) return "state and persistence logic";
  if (path.includes("/components/")) return "a UI component";
  if (path.includes("/pages/")) return "a routed page";
  if (path.endsWith("main.tsx")) return "entry point that mounts the app";
  if (path.endsWith("App.tsx")) return "root component wiring the features together";
  return "configuration";
}

/** An edit of existing files: each comes back changed for the request, with the same defects model. */
export function editFiles(spec: GenerationSpec, existing: File[]): File[] {
  const d = spec.defects;
  return existing.slice(0, 6).map((file) => {
    if (file.path.endsWith(".css")) {
      return {
        path: file.path,
        content: `${file.content.trimEnd()}\n\n/* ${LABEL} */\n.updated { outline: none; }\n`,
      };
    }
    if (!/\.(tsx?|jsx?)$/.test(file.path)) return file;
    const lines = [
      `// ${LABEL}`,
      `// Changed for: ${spec.request.slice(0, 80).replace(/\n/g, " ")}`,
      file.content.trimEnd(),
    ];
    if (d.has("console_log")) lines.push('console.log("updated");');
    if (d.has("any_types")) lines.push("export const updatedAt: any = new Date();");
    if (d.has("syntax_error")) lines.push("export function broken() {");
    return { path: file.path, content: `${lines.join("\n")}\n` };
  });
}

/** An explanation: longer and better structured the better the model. */
export function explanation(spec: GenerationSpec, quality: number): File {
  const sections = [
    `<!-- ${LABEL} -->`,
    "# Explanation",
    "",
    `You asked: ${spec.request.slice(0, 200)}`,
    "",
    "## What it does",
    "The code keeps its state in a hook, renders it with small components and updates it through handlers.",
  ];
  if (quality > 0.6) {
    sections.push(
      "",
      "## How it works",
      "State lives in `useState`; an effect with a dependency list persists it whenever it changes.",
      "",
      "```ts",
      "useEffect(() => save(items), [items]);",
      "```",
    );
  }
  if (quality > 0.8) {
    sections.push(
      "",
      "## Pitfalls",
      "- An effect without a dependency list runs after every render.",
      "- List items need a stable `key` so React can reconcile them.",
    );
  }
  return { path: "EXPLANATION.md", content: `${sections.join("\n")}\n` };
}
