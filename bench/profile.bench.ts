// The profiler's cost per request (the design asks for well under a millisecond): npm run bench
import { profileTask } from "../supabase/functions/_shared/plan/profile.ts";

const short = "Change button color to blue";
const typical =
  "Build a todo app with authentication, search, dark mode and a chart of completed tasks per week";
const long = `${typical}. `.repeat(40);
const longest = `${typical}. `.repeat(200).slice(0, 20_000);
const pastedLog = `The build fails, see the log:\n\`\`\`\n${
  "error TS2307: Cannot find module 'x'.\n".repeat(250)
}\`\`\`\n`;
const contextFiles = Array.from({ length: 20 }, (_, i) => ({
  path: `src/components/Component${i}.tsx`,
  content: "export function C() { return <div />; }\n".repeat(50),
}));

Deno.bench("profile: short edit request", () => {
  profileTask({ request: short });
});
Deno.bench("profile: typical app request", () => {
  profileTask({ request: typical });
});
Deno.bench("profile: 4,000-character request", () => {
  profileTask({ request: long });
});
Deno.bench("profile: 20,000-character request (the limit)", () => {
  profileTask({ request: longest });
});
Deno.bench("profile: bug report with a 10,000-character pasted log", () => {
  profileTask({ request: pastedLog });
});
Deno.bench("profile: request with 20 context files", () => {
  profileTask({ request: "Fix the crash when saving", contextFiles });
});
