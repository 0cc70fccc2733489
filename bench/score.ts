// Scoring time for generated apps of 10, 50 and 200 files (about 4 KB of TSX each): median and max over
// repeated runs in a warm isolate, as a function instance scores outputs. Ends with one JSON line for
// the 50-file case. Target on the development machine: ≤ 20 ms median for 50 files / 200 KB, and time
// growing no faster than linearly with size.
//
//   npm run bench:score

import type { GeneratedFile } from "../supabase/functions/_shared/contract.ts";
import { profileTask } from "../supabase/functions/_shared/plan/profile.ts";
import { scoreOutput } from "../supabase/functions/_shared/score/index.ts";

/** A component file of about 4 KB: typed props, state, an effect, handlers, a form and a keyed list. */
function widget(i: number): GeneratedFile {
  const name = `Widget${i}`;
  const rows = Array.from(
    { length: 26 },
    (_, r) =>
      `        <tr key="row-${r}"><td>{entry.label} ${r}</td><td>{(entry.value * ${
        r + 1
      }).toFixed(2)}</td></tr>`,
  ).join("\n");
  return {
    path: `src/components/${name}.tsx`,
    content: `import { type FormEvent, useEffect, useMemo, useState } from "react";
import { fetchEntries, type Entry } from "../lib/api";

interface Props {
  title: string;
  limit: number;
  onSelect: (entry: Entry) => void;
}

export default function ${name}({ title, limit, onSelect }: Props) {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [query, setQuery] = useState("");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    fetchEntries(limit)
      .then((loaded) => {
        if (!cancelled) setEntries(loaded);
      })
      .catch((reason: Error) => setError(reason.message));
    return () => {
      cancelled = true;
    };
  }, [limit]);

  const shown = useMemo(
    () => entries.filter((entry) => entry.label.toLowerCase().includes(query.trim().toLowerCase())),
    [entries, query],
  );

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const [first] = shown;
    if (first) onSelect(first);
  };

  if (error) return <p role="alert">{error}</p>;
  return (
    <section className="widget">
      <h2>{title}</h2>
      <form onSubmit={handleSubmit}>
        <input value={query} onChange={(event) => setQuery(event.target.value)} placeholder="Filter" />
        <button type="submit">Pick first</button>
      </form>
      <ul>
        {shown.map((entry) => (
          <li key={entry.id}>
            <button onClick={() => onSelect(entry)}>{entry.label}</button>
            <span className="value">{entry.value}</span>
          </li>
        ))}
      </ul>
      <table>
        <tbody>
        {shown.slice(0, 1).map((entry) => (
          <tr key={entry.id}><td colSpan={2}>
      <table>
        <tbody>
${rows}
        </tbody>
      </table>
          </td></tr>
        ))}
        </tbody>
      </table>
    </section>
  );
}
`,
  };
}

function app(size: number): GeneratedFile[] {
  const widgets = Array.from({ length: size - 6 }, (_, i) => widget(i));
  const names = widgets.map((_, i) => `Widget${i}`);
  return [
    {
      path: "package.json",
      content: JSON.stringify({ name: "bench", dependencies: { react: "^18.3.1", "react-dom": "^18.3.1" } }),
    },
    { path: "index.html", content: '<!doctype html><html><body><div id="root"></div></body></html>\n' },
    { path: "tsconfig.json", content: '{ "compilerOptions": { "jsx": "react-jsx", "strict": true } }\n' },
    {
      path: "src/main.tsx",
      content:
        'import { createRoot } from "react-dom/client";\nimport App from "./App";\n\ncreateRoot(document.getElementById("root")!).render(<App />);\n',
    },
    {
      path: "src/lib/api.ts",
      content:
        "export interface Entry {\n  id: string;\n  label: string;\n  value: number;\n}\n\nexport async function fetchEntries(limit: number): Promise<Entry[]> {\n  const response = await fetch(`/api/entries?limit=${limit}`);\n  return await response.json();\n}\n",
    },
    {
      path: "src/App.tsx",
      content: [
        'import { lazy, Suspense } from "react";',
        ...names.map((name) => `const ${name} = lazy(() => import("./components/${name}"));`),
        "",
        "export default function App() {",
        "  return (",
        "    <Suspense fallback={<p>Loading</p>}>",
        ...names.map((name) =>
          `      <${name} title="${name}" limit={10} onSelect={(entry) => alert(entry.label)} />`
        ),
        "    </Suspense>",
        "  );",
        "}",
        "",
      ].join("\n"),
    },
    ...widgets,
  ];
}

const profile = profileTask({ request: "Build a dashboard of widgets that fetch entries, with search" });
const results: Array<{ files: number; bytes: number; medianMs: number; maxMs: number }> = [];
for (const size of [10, 50, 200]) {
  const files = app(size);
  const bytes = files.reduce((sum, file) => sum + file.content.length, 0);
  const run = () => scoreOutput({ files, profile, request: "Build a dashboard" });
  for (let i = 0; i < 150; i++) run(); // warm the isolate, as a serving function is
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const medianMs = Math.round(times[times.length >> 1] * 10) / 10;
  const maxMs = Math.round(times[times.length - 1] * 10) / 10;
  results.push({ files: size, bytes, medianMs, maxMs });
  console.log(
    `${String(size).padStart(3)} files ${
      String(Math.round(bytes / 1000)).padStart(4)
    } KB  median ${medianMs} ms  max ${maxMs} ms  (${(medianMs / (bytes / 1000)).toFixed(3)} ms/KB)`,
  );
}
const fifty = results.find((result) => result.files === 50)!;
console.log(JSON.stringify({ files: fifty.files, bytes: fifty.bytes, medianMs: fifty.medianMs }));
