// The topics generated prompts are about, and the templates they are written from: each topic has its
// own things to build, libraries and file names, so that a prompt's n-grams carry its topic, while the
// templates (per task type) and the filler sentences are shared by all topics — the noise a router must
// see through. Pure: the uniform source comes in.

export interface Topic {
  name: string;
  things: string[];
  libraries: string[];
  files: string[];
}

export const TOPICS: Topic[] = [
  {
    name: "auth",
    things: [
      "login form",
      "sign-up page",
      "password reset flow",
      "session refresh",
      "magic link sign-in",
    ],
    libraries: ["supabase auth", "next-auth", "clerk", "oauth pkce"],
    files: [
      "src/auth/LoginForm.tsx",
      "src/lib/session.ts",
      "src/pages/signup.tsx",
      "src/auth/useUser.ts",
    ],
  },
  {
    name: "charts",
    things: [
      "sales dashboard",
      "revenue line chart",
      "stacked bar chart",
      "kpi tiles",
      "pie chart legend",
    ],
    libraries: ["recharts", "chart.js", "d3 scales", "visx"],
    files: [
      "src/charts/RevenueChart.tsx",
      "src/pages/dashboard.tsx",
      "src/hooks/useMetrics.ts",
    ],
  },
  {
    name: "forms",
    things: [
      "checkout form",
      "multi-step wizard",
      "field validation",
      "address autocomplete",
      "file upload",
    ],
    libraries: ["react-hook-form", "zod schemas", "formik", "yup"],
    files: [
      "src/forms/CheckoutForm.tsx",
      "src/forms/schema.ts",
      "src/components/Wizard.tsx",
    ],
  },
  {
    name: "state",
    things: [
      "shopping cart store",
      "undo history",
      "optimistic updates",
      "global settings store",
    ],
    libraries: ["zustand", "redux toolkit", "jotai atoms", "mobx"],
    files: ["src/store/cart.ts", "src/store/index.ts", "src/state/history.ts"],
  },
  {
    name: "data",
    things: [
      "paginated table",
      "infinite scroll feed",
      "search with debounce",
      "cache invalidation",
    ],
    libraries: [
      "tanstack query",
      "swr",
      "axios interceptors",
      "graphql codegen",
    ],
    files: [
      "src/api/client.ts",
      "src/components/DataTable.tsx",
      "src/hooks/useFeed.ts",
    ],
  },
  {
    name: "styling",
    things: [
      "dark mode toggle",
      "responsive navbar",
      "card grid layout",
      "theme tokens",
      "hover animations",
    ],
    libraries: [
      "tailwind css",
      "styled-components",
      "css modules",
      "framer motion",
    ],
    files: [
      "src/styles/theme.css",
      "src/components/Navbar.tsx",
      "tailwind.config.js",
    ],
  },
  {
    name: "routing",
    things: [
      "nested routes",
      "not-found page",
      "protected route guard",
      "breadcrumb trail",
      "query params",
    ],
    libraries: ["react-router", "tanstack router", "next app router", "wouter"],
    files: ["src/routes.tsx", "src/app/layout.tsx", "src/router/guards.ts"],
  },
  {
    name: "realtime",
    things: [
      "chat room",
      "live notifications",
      "presence indicator",
      "websocket reconnect",
      "typing status",
    ],
    libraries: [
      "socket.io",
      "supabase realtime",
      "pusher channels",
      "server-sent events",
    ],
    files: [
      "src/realtime/socket.ts",
      "src/components/ChatRoom.tsx",
      "src/hooks/usePresence.ts",
    ],
  },
];

/** Per task type, how a request is put; {thing}, {library}, {file} are the topic's. */
const TEMPLATES: Record<string, string[]> = {
  generation: [
    "Build a {thing} with {library}; the main component goes in {file}.",
    "Create a new React app that has a {thing} using {library}.",
    "Generate a {thing} page in TypeScript with {library}, starting from {file}.",
    "I need a {thing} for my side project, built on {library}.",
  ],
  fix: [
    "The {thing} is broken: {library} throws an error from {file}. Fix it.",
    "Fix the bug in {file} where the {thing} stops working with {library}.",
    "After upgrading {library} the {thing} fails; the stack trace points at {file}.",
    "Something is wrong with the {thing} in {file}, it crashes when {library} loads.",
  ],
  edit: [
    "In {file}, change the {thing} so that it uses {library}.",
    "Update the {thing} in {file}: move it to {library} and keep the props.",
    "Edit {file} to add a {thing} with {library}.",
    "Rework the {thing} in {file} to follow the {library} docs.",
  ],
};
const FALLBACK_TEMPLATES = [
  "{thing} with {library} in {file}",
  "please look at the {thing} in {file} ({library})",
];

/** Sentences any prompt may end with, whatever its topic. */
const FILLERS = [
  "",
  "",
  " Keep it in TypeScript.",
  " Please keep the code short.",
  " Add a few comments.",
  " It should work on mobile too.",
  " Thanks!",
  " We deploy on Vercel.",
];

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)];

/** One prompt of the task type about the topic. No line breaks and no double quotes: it is a CSV cell. */
export function promptText(
  taskType: string,
  topic: Topic,
  random: () => number,
): string {
  const template = pick(TEMPLATES[taskType] ?? FALLBACK_TEMPLATES, random);
  return template
    .replace("{thing}", pick(topic.things, random))
    .replace("{library}", pick(topic.libraries, random))
    .replace("{file}", pick(topic.files, random)) + pick(FILLERS, random);
}
