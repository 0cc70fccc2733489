// The scorer's calibration set: hand-written outputs under tests/fixtures/scoring/<name>/ (output/,
// request.txt, optionally context/), damages — one defect of one kind each — applied to them, and
// repeats, which add the same kind of defect once more at each step.

import type { GeneratedFile } from "../../supabase/functions/_shared/contract.ts";
import type { RuleId } from "../../supabase/functions/_shared/score/rules.ts";
import { readOutput } from "../../scripts/score.ts";
import { ROOT } from "./processes.ts";

export interface Fixture {
  name: string;
  request: string;
  files: GeneratedFile[];
  contextFiles: GeneratedFile[];
}

export async function loadFixture(name: string): Promise<Fixture> {
  const dir = `${ROOT}/tests/fixtures/scoring/${name}`;
  const contextFiles = await readOutput(`${dir}/context`).catch(() => []);
  return {
    name,
    request: (await Deno.readTextFile(`${dir}/request.txt`)).trim(),
    files: await readOutput(`${dir}/output`),
    contextFiles,
  };
}

type Edit = (files: GeneratedFile[]) => GeneratedFile[];

export interface Damage {
  /** What was broken, e.g. "a list rendered without keys". */
  name: string;
  /** The rule that must find it, and where. */
  rule: RuleId;
  file?: string;
  edits: Edit[];
  /** The damage already present, for one more defect of its kind: the copy with it must rank above. */
  onTopOf?: Edit[];
}

/** Replaces exactly one occurrence of `from` in `path`; a fixture that drifted fails loudly. */
export function replace(path: string, from: string, to: string): Edit {
  return (files) =>
    files.map((file) => {
      if (file.path !== path) return file;
      const at = file.content.indexOf(from);
      if (at < 0 || file.content.indexOf(from, at + 1) >= 0) {
        throw new Error(`${path} must contain exactly one ${JSON.stringify(from)}`);
      }
      return { path, content: file.content.slice(0, at) + to + file.content.slice(at + from.length) };
    });
}

export function remove(path: string): Edit {
  return (files) => {
    if (!files.some((file) => file.path === path)) throw new Error(`no ${path} to remove`);
    return files.filter((file) => file.path !== path);
  };
}

export function add(path: string, content: string): Edit {
  return (files) => [...files, { path, content }];
}

/** Puts files in the output, in place of any of the same path. */
export function put(added: GeneratedFile[]): Edit {
  return (files) => [...files.filter((file) => !added.some((other) => other.path === file.path)), ...added];
}

export function damaged(fixture: Fixture, damage: Pick<Damage, "edits">): GeneratedFile[] {
  return damage.edits.reduce((files, edit) => edit(files), fixture.files);
}

/** A defect that can be repeated: `files(count)` adds `count` instances of it, each at a place of its own. */
export interface Repeat {
  name: string;
  rule: RuleId;
  file: string;
  files: (count: number) => GeneratedFile[];
}

/** The app fixtures, to which every repeat applies. */
export const APP_FIXTURES = ["todo-auth", "sales-dashboard"];

const numbered = <T>(count: number, item: (k: number) => T) =>
  Array.from({ length: count }, (_, i) => item(i + 1));
const lines = (count: number, line: (k: number) => string) => numbered(count, line).join("");
const UNDECLARED = ["dayjs", "nanoid", "zustand", "immer", "clsx"];

export const REPEATS: Repeat[] = [
  {
    name: "an extensionless import whose script is gone but a same-named stylesheet stays",
    rule: "unresolved-import",
    file: "src/setup.ts",
    files: (count) => [
      { path: "src/setup.ts", content: lines(count, (k) => `import "./setup/step${k}";\n`) },
      ...numbered(
        count,
        (k) => ({ path: `src/setup/step${k}.css`, content: `.step-${k} {\n  margin: 0;\n}\n` }),
      ),
    ],
  },
  {
    name: "an undeclared package",
    rule: "undeclared-package",
    file: "src/vendor.ts",
    files: (count) => [{
      path: "src/vendor.ts",
      content: lines(count, (k) => `import "${UNDECLARED[k - 1]}";\n`),
    }],
  },
  {
    name: "a malformed data file",
    rule: "malformed-file",
    file: "src/data/extra-1.json",
    files: (count) =>
      numbered(count, (k) => ({ path: `src/data/extra-${k}.json`, content: `{ "id": ${k},, }\n` })),
  },
  {
    name: "`any` types",
    rule: "any-type",
    file: "src/lib/format.ts",
    files: (count) => [{
      path: "src/lib/format.ts",
      content: lines(
        count,
        (k) => `export function format${k}(value: any): string {\n  return String(value);\n}\n`,
      ),
    }],
  },
  {
    name: "an unused variable",
    rule: "unused-variable",
    file: "src/lib/totals.ts",
    files: (count) => [{
      path: "src/lib/totals.ts",
      content: lines(
        count,
        (k) =>
          `export function total${k}(values: number[]): number {\n  const count${k} = values.length;\n` +
          "  return values.reduce((sum, value) => sum + value, 0);\n}\n",
      ),
    }],
  },
  {
    name: "console.log left in",
    rule: "console-log",
    file: "src/lib/trace.ts",
    files: (count) => [{
      path: "src/lib/trace.ts",
      content: lines(
        count,
        (k) => `export function trace${k}(step: string): void {\n  console.log("${k}", step);\n}\n`,
      ),
    }],
  },
  {
    name: "a button without a click handler",
    rule: "dead-button",
    file: "src/components/Toolbar.tsx",
    files: (count) => [{
      path: "src/components/Toolbar.tsx",
      content: `export default function Toolbar() {\n  return (\n    <nav>\n${
        lines(count, (k) => `      <button>Tool ${k}</button>\n`)
      }    </nav>\n  );\n}\n`,
    }],
  },
  {
    name: "a list rendered without keys",
    rule: "list-without-key",
    file: "src/components/Groups.tsx",
    files: (count) => [{
      path: "src/components/Groups.tsx",
      content:
        `export default function Groups({ groups }: { groups: string[][] }) {\n  return (\n    <div>\n${
          lines(count, (k) => `      <ul>{groups[${k - 1}].map((item) => <li>{item}</li>)}</ul>\n`)
        }    </div>\n  );\n}\n`,
    }],
  },
];

/** "One more defect of a kind already present": a second instance, to rank below the copy with one. */
function oneMore(repeat: Repeat): Damage {
  return {
    name: `one more defect of a kind already present: ${repeat.name}`,
    rule: repeat.rule,
    file: repeat.file,
    edits: [put(repeat.files(2))],
    onTopOf: [put(repeat.files(1))],
  };
}

export const DAMAGES: Record<string, Damage[]> = {
  "todo-auth": [
    {
      name: "a syntax error",
      rule: "syntax-error",
      file: "src/components/TodoList.tsx",
      edits: [replace("src/components/TodoList.tsx", "    </ul>\n  );\n}", "    </ul>\n  );\n")],
    },
    {
      name: "a missing file",
      rule: "unresolved-import",
      file: "src/App.tsx",
      edits: [remove("src/components/TodoForm.tsx")],
    },
    {
      name: "an extensionless import whose script is gone but a same-named stylesheet stays",
      rule: "unresolved-import",
      file: "src/App.tsx",
      edits: [remove("src/components/TodoList.tsx")],
    },
    {
      name: "an import of a file that was never written",
      rule: "unresolved-import",
      file: "src/App.tsx",
      edits: [
        replace(
          "src/App.tsx",
          'import TodoList from "./components/TodoList";',
          'import TodoList from "./components/TodoList";\nimport Footer from "./components/Footer";',
        ),
        replace("src/App.tsx", "      </footer>", "      </footer>\n      <Footer />"),
      ],
    },
    {
      name: "an undeclared package",
      rule: "undeclared-package",
      file: "src/components/TodoList.tsx",
      edits: [
        replace(
          "src/components/TodoList.tsx",
          'import type { Todo } from "../types";',
          'import clsx from "clsx";\nimport type { Todo } from "../types";',
        ),
        replace(
          "src/components/TodoList.tsx",
          'className={todo.done ? "done" : ""}',
          "className={clsx({ done: todo.done })}",
        ),
      ],
    },
    {
      name: "a missing requirement (the todos are not saved)",
      rule: "missing-requirement",
      edits: [
        replace(
          "src/hooks/useTodos.ts",
          "  const saved = localStorage.getItem(STORAGE_KEY);\n  return saved ? JSON.parse(saved) : [];",
          "  return [];",
        ),
        replace(
          "src/hooks/useTodos.ts",
          "  useEffect(() => {\n    localStorage.setItem(STORAGE_KEY, JSON.stringify(todos));\n  }, [todos]);\n\n",
          "",
        ),
        replace(
          "src/hooks/useTodos.ts",
          'import { useEffect, useState } from "react";',
          'import { useState } from "react";',
        ),
        replace("src/hooks/useTodos.ts", 'const STORAGE_KEY = "todos";\n\n', ""),
      ],
    },
    {
      name: "the package manifest left out",
      rule: "missing-manifest",
      edits: [remove("package.json")],
    },
    {
      name: "a handler that is never wired",
      rule: "dead-handler",
      file: "src/App.tsx",
      edits: [replace("src/App.tsx", "<button onClick={handleClearDone}>", "<button>")],
    },
    {
      name: "a button without a click handler",
      rule: "dead-button",
      file: "src/components/TodoList.tsx",
      edits: [replace("src/components/TodoList.tsx", " onClick={() => onRemove(todo.id)}", "")],
    },
    {
      name: "a form without a submit handler",
      rule: "form-without-submit",
      file: "src/components/LoginForm.tsx",
      edits: [replace("src/components/LoginForm.tsx", " onSubmit={handleSubmit}", "")],
    },
    {
      name: "a submit handler that lets the page reload",
      rule: "submit-reloads-page",
      file: "src/components/TodoForm.tsx",
      edits: [replace("src/components/TodoForm.tsx", "    event.preventDefault();\n", "")],
    },
    {
      name: "an input bound to state that cannot change",
      rule: "uncontrolled-value",
      file: "src/components/TodoForm.tsx",
      edits: [
        replace("src/components/TodoForm.tsx", " onChange={(event) => setTitle(event.target.value)}", ""),
      ],
    },
    {
      name: "a list rendered without keys",
      rule: "list-without-key",
      file: "src/components/TodoList.tsx",
      edits: [replace("src/components/TodoList.tsx", "<li key={todo.id} ", "<li ")],
    },
    {
      name: "an effect without a dependency array",
      rule: "effect-without-deps",
      file: "src/hooks/useTodos.ts",
      edits: [replace("src/hooks/useTodos.ts", "  }, [todos]);", "  });")],
    },
    {
      name: "state set while rendering",
      rule: "render-loop",
      file: "src/components/TodoForm.tsx",
      edits: [
        replace(
          "src/components/TodoForm.tsx",
          '  const [title, setTitle] = useState("");\n',
          '  const [title, setTitle] = useState("");\n  setTitle(title.trim());\n',
        ),
      ],
    },
    {
      name: "`any` types",
      rule: "any-type",
      file: "src/hooks/useTodos.ts",
      edits: [replace("src/hooks/useTodos.ts", "const toggle = (id: string)", "const toggle = (id: any)")],
    },
    {
      name: "an unused import",
      rule: "unused-import",
      file: "src/components/TodoForm.tsx",
      edits: [
        replace(
          "src/components/TodoForm.tsx",
          "import { type FormEvent, useState }",
          "import { type FormEvent, useEffect, useState }",
        ),
      ],
    },
    {
      name: "unreachable code",
      rule: "unreachable-code",
      file: "src/hooks/useTodos.ts",
      edits: [
        replace(
          "src/hooks/useTodos.ts",
          "  return saved ? JSON.parse(saved) : [];",
          "  return saved ? JSON.parse(saved) : [];\n  localStorage.clear();",
        ),
      ],
    },
    {
      name: "console.log left in",
      rule: "console-log",
      file: "src/App.tsx",
      edits: [
        replace(
          "src/App.tsx",
          "  const handleClearDone",
          '  console.log("todos", todos.length);\n  const handleClearDone',
        ),
      ],
    },
    ...REPEATS.map(oneMore),
  ],
  "sales-dashboard": [
    {
      name: "a syntax error",
      rule: "syntax-error",
      file: "src/pages/DashboardPage.tsx",
      edits: [
        replace(
          "src/pages/DashboardPage.tsx",
          "useMemo(() => totalsByMonth(ORDERS), []);",
          "useMemo(() => totalsByMonth(ORDERS), [];",
        ),
      ],
    },
    {
      name: "a missing file",
      rule: "unresolved-import",
      file: "src/pages/DashboardPage.tsx",
      edits: [remove("src/components/SalesChart.tsx")],
    },
    {
      name: "an extensionless import whose script is gone but a same-named stylesheet stays",
      rule: "unresolved-import",
      file: "src/pages/OrdersPage.tsx",
      edits: [remove("src/components/OrdersTable.tsx")],
    },
    {
      name: "a missing requirement (no chart)",
      rule: "missing-requirement",
      edits: [
        remove("src/components/SalesChart.tsx"),
        replace("src/pages/DashboardPage.tsx", 'import SalesChart from "../components/SalesChart";\n', ""),
        replace("src/pages/DashboardPage.tsx", "      <SalesChart data={data} />\n", ""),
      ],
    },
    {
      name: "a missing requirement (no search)",
      rule: "missing-requirement",
      edits: [
        replace(
          "src/pages/OrdersPage.tsx",
          '        <input value={query} onChange={(event) => setQuery(event.target.value)} placeholder="Search orders" />\n',
          "",
        ),
      ],
    },
    {
      name: "routing asked for, one route defined",
      rule: "missing-routes",
      edits: [replace("src/App.tsx", '          <Route path="/orders" element={<OrdersPage />} />\n', "")],
    },
    {
      name: "an undeclared package",
      rule: "undeclared-package",
      file: "src/components/SalesChart.tsx",
      edits: [
        replace(
          "package.json",
          '"react-router-dom": "^6.26.0",\n    "recharts": "^2.12.7"\n',
          '"react-router-dom": "^6.26.0"\n',
        ),
      ],
    },
    {
      name: "table rows rendered without keys",
      rule: "list-without-key",
      file: "src/components/OrdersTable.tsx",
      edits: [replace("src/components/OrdersTable.tsx", "<tr key={order.id}>", "<tr>")],
    },
    {
      name: "a memo without a dependency array",
      rule: "effect-without-deps",
      file: "src/pages/DashboardPage.tsx",
      edits: [
        replace(
          "src/pages/DashboardPage.tsx",
          "useMemo(() => totalsByMonth(ORDERS), [])",
          "useMemo(() => totalsByMonth(ORDERS))",
        ),
      ],
    },
    {
      name: "an untyped export",
      rule: "untyped-export",
      file: "src/data/orders.ts",
      edits: [
        replace(
          "src/data/orders.ts",
          "export function totalsByMonth(orders: Order[])",
          "export function totalsByMonth(orders)",
        ),
      ],
    },
    {
      name: "several components in one file",
      rule: "many-components",
      file: "src/components/NavBar.tsx",
      edits: [
        replace(
          "src/components/NavBar.tsx",
          "export default function NavBar() {",
          "export function Logo() {\n  return <strong>Sales</strong>;\n}\n\nexport default function NavBar() {",
        ),
      ],
    },
    {
      name: "a component named like a function",
      rule: "naming",
      file: "src/components/NavBar.tsx",
      edits: [
        replace(
          "src/components/NavBar.tsx",
          "export default function NavBar()",
          "export default function navBar()",
        ),
      ],
    },
    {
      name: "an unused variable",
      rule: "unused-variable",
      file: "src/pages/OrdersPage.tsx",
      edits: [
        replace(
          "src/pages/OrdersPage.tsx",
          "  const handleReset",
          "  const pageSize = 20;\n  const handleReset",
        ),
      ],
    },
    {
      name: "a very large file",
      rule: "large-file",
      file: "src/data/orders.ts",
      edits: [
        replace(
          "src/data/orders.ts",
          '  { id: "A-1005", customer: "Acme", month: "Mar", total: 2210 },\n',
          '  { id: "A-1005", customer: "Acme", month: "Mar", total: 2210 },\n' +
            Array.from(
              { length: 600 },
              (_, i) => `  { id: "B-${i}", customer: "Customer ${i}", month: "Apr", total: ${i} },\n`,
            ).join(""),
        ),
      ],
    },
    {
      name: "a hook called outside a component or hook",
      rule: "naming",
      file: "src/pages/OrdersPage.tsx",
      edits: [
        replace(
          "src/pages/OrdersPage.tsx",
          "export default function OrdersPage() {",
          'function searchState() {\n  return useState("");\n}\n\nexport default function OrdersPage() {\n  searchState();',
        ),
      ],
    },
    ...REPEATS.map(oneMore),
  ],
  "explain-debounce": [
    {
      name: "an explanation that is too short",
      rule: "text-too-short",
      edits: [
        (files) => files.map((file) => ({ ...file, content: "# useDebounce\n\nIt debounces the value.\n" })),
      ],
    },
    {
      name: "a wall of text without structure",
      rule: "text-unstructured",
      edits: [(files) =>
        files.map((file) => ({
          ...file,
          content: file.content.replace(/^#+ .*$/gm, "").replace(/```[\s\S]*?```/g, "").replace(/\n+/g, " "),
        }))],
    },
    {
      name: "an explanation of something else",
      rule: "text-off-topic",
      edits: [(files) =>
        files.map((file) => ({
          ...file,
          content:
            "# Sorting\n\nQuicksort picks a pivot, partitions the array around it and recurses into both halves. " +
            "Its average running time is n log n; a bad pivot choice makes it quadratic.\n\n" +
            "Merge sort splits the array in halves, sorts each and merges them; it is stable and always n log n.\n",
        }))],
    },
    {
      name: "a code block that does not parse",
      rule: "syntax-error",
      file: "EXPLANATION.md",
      edits: [replace("EXPLANATION.md", "  if (query) search(query);\n", "  if (query search(query);\n")],
    },
    {
      name: "no examples and no code references",
      rule: "text-without-examples",
      edits: [(files) =>
        files.map((file) => ({
          ...file,
          content: file.content.replace(/```[\s\S]*?```\n/g, "").replace(/`([^`\n]+)`/g, "$1"),
        }))],
    },
  ],
};

/** Outputs with nothing to salvage. */
export const GARBAGE: Array<{ name: string; files: GeneratedFile[] }> = [
  { name: "no files", files: [] },
  {
    name: "blank files",
    files: [{ path: "src/App.tsx", content: "  \n" }, { path: "package.json", content: "" }],
  },
  {
    name: "prose where code should be",
    files: [{
      path: "src/App.tsx",
      content:
        "Sure! Here is a todo app with authentication. First, create a React project, then add a login form " +
        "and a list of todos that is stored in the database.",
    }],
  },
  {
    name: "an error message as the output",
    files: [{ path: "output.json", content: '{"error": "quota exceeded"}' }],
  },
  {
    name: "an answer cut off halfway",
    files: [{
      path: "src/App.tsx",
      content:
        'import { useState } from "react";\n\nexport default function App() {\n  const [todos, setTodos] = useState(',
    }],
  },
];
