// A small notes app the quality-loop tests make the simulated models write: broken (a syntax error and an
// import of a module it does not have) or fixed, a request for it, and how to make a request's first
// answer one of them.

import type { OrchestrateRequest } from "../../shared/mod.ts";
import { injectFault, marker } from "./stack.ts";

const packageJson = {
  path: "package.json",
  content: JSON.stringify({ name: "notes", dependencies: { react: "^18.3.1", "react-dom": "^18.3.1" } }),
};
const main = {
  path: "src/main.tsx",
  content: 'import { createRoot } from "react-dom/client";\nimport App from "./App";\n\n' +
    'createRoot(document.getElementById("root")!).render(<App />);\n',
};

/** A request for the notes app, of one strategy, planned without exploration (so the estimate's plan). */
export const notesRequest = (options: Partial<OrchestrateRequest> = {}) => ({
  request: `Build a notes app with a search box (${marker()})`,
  maxStrategies: 1,
  explore: false,
  ...options,
});

/** The notes app with a syntax error and an import of a module it does not have. */
export const BROKEN_FILES = [
  packageJson,
  main,
  {
    path: "src/App.tsx",
    content: 'import { searchNotes } from "./lib/search";\n\nexport default function App() {\n' +
      "  return <main>{searchNotes(</main>;\n}\n",
  },
];
export const brokenAnswer = JSON.stringify({ files: BROKEN_FILES });

/** The same app fixed: no errors, two warnings (no tsconfig.json, no styles), a score over 90. The
 * simulator's reviewer passes it (no errors and a score of at least 70). */
export const FIXED_FILES = [
  packageJson,
  main,
  {
    path: "src/lib/search.ts",
    content: "export function searchNotes(notes: string[], query: string): string[] {\n" +
      "  const wanted = query.trim().toLowerCase();\n" +
      "  return notes.filter((note) => note.toLowerCase().includes(wanted));\n}\n",
  },
  {
    path: "src/App.tsx",
    content: 'import { useState } from "react";\nimport { searchNotes } from "./lib/search";\n\n' +
      "export default function App() {\n" +
      '  const [notes] = useState<string[]>(["Buy milk", "Call Ada"]);\n' +
      '  const [query, setQuery] = useState("");\n' +
      "  return (\n    <main>\n" +
      '      <input aria-label="Search notes" value={query} onChange={(event) => setQuery(event.target.value)} />\n' +
      "      <ul>\n        {searchNotes(notes, query).map((note) => <li key={note}>{note}</li>)}\n      </ul>\n" +
      "    </main>\n  );\n}\n",
  },
];
export const fixedAnswer = JSON.stringify({ files: FIXED_FILES });

/**
 * Makes the request's first answer, whichever strategy writes it, the given files: one simple call's, or
 * a progressive attempt's, whose plan then names just those files (fewer than a batch holds) and whose one
 * batch answers them. Not tied to a model: which strategy runs first is the plan's to decide, and the rows
 * of earlier tests that land meanwhile can move it. Refinement rounds and reviews are other kinds of call.
 */
export async function answerFirst(body: OrchestrateRequest, text: string) {
  const { files } = JSON.parse(text) as { files: Array<{ path: string }> };
  const plan = JSON.stringify({
    summary: "The notes app",
    files: files.map(({ path }) => ({ path, purpose: `the app's ${path}` })),
  });
  await injectFault({ fault: "answer", text: plan, match: body.request, kind: "plan" });
  for (const kind of ["files", "batch"] as const) {
    await injectFault({ fault: "answer", text, match: body.request, kind });
  }
}

/** Makes the request's first answer the broken notes app. */
export const breakFirstAnswer = (body: OrchestrateRequest) => answerFirst(body, brokenAnswer);
