// The request set of bench:modes: small edits, fixes and restyles of a given file, and small new apps,
// each with a tag ([r<n>]) that finds its model calls in the simulator's record.

const FILE = {
  path: "src/components/TodoList.tsx",
  content: [
    "import { useState } from 'react'",
    "",
    "export interface Todo {",
    "  id: string",
    "  title: string",
    "  done: boolean",
    "}",
    "",
    "export function TodoList({ initial }: { initial: Todo[] }) {",
    "  const [todos, setTodos] = useState(initial)",
    "  const toggle = (id: string) =>",
    "    setTodos((all) => all.map((todo) => (todo.id === id ? { ...todo, done: !todo.done } : todo)))",
    "  return (",
    "    <ul>",
    "      {todos.map((todo) => (",
    "        <li key={todo.id} onClick={() => toggle(todo.id)}>",
    "          {todo.done ? '✓ ' : ''}{todo.title}",
    "        </li>",
    "      ))}",
    "    </ul>",
    "  )",
    "}",
    "",
  ].join("\n"),
};

const EDITS = [
  "Add a button that clears the finished todos",
  "Show how many todos are left below the list",
  "Rename the title field to label everywhere",
  "Add a text input to filter the todos by title",
];
const FIXES = [
  "Fix the bug where clicking a todo twice quickly toggles it only once",
  "Fix the list so that an empty list shows a friendly message",
];
const STYLES = [
  "Make the finished todos grey and struck through",
  "Give the list a card style with rounded corners and padding",
];
const APPS = [
  "Build a small counter app with increment and reset buttons",
  "Build a tip calculator with a bill amount and a tip percentage",
];

export interface ModeRequest {
  tag: string;
  body: { request: string; context?: { files: Array<{ path: string; content: string }> } };
}

/** `count` requests, the same every run: three in four change the given file, one in four is a new app;
 * tagged `<prefix><n>`. */
export function modeRequests(count: number, prefix = "r"): ModeRequest[] {
  return Array.from({ length: count }, (_, n) => {
    const tag = `${prefix}${n}`;
    const kind = n % 4;
    if (kind === 3) return { tag, body: { request: `${APPS[n % APPS.length]} [${tag}]` } };
    const pool = kind === 0 ? EDITS : kind === 1 ? FIXES : STYLES;
    return { tag, body: { request: `${pool[n % pool.length]} [${tag}]`, context: { files: [FILE] } } };
  });
}
