// Performance: file sizes, code splitting in large apps, keys on list items, effects with dependency
// arrays, and render loops (state set while rendering, or by an effect that runs after every render).

import { foundIn, isComponent, type Project } from "./project.ts";
import type { Finding } from "./rules.ts";

const LARGE_FILE_BYTES = 30_000;
const LARGE_APP = { scripts: 15, bytes: 100_000 };

export function performance(project: Project): Finding[] {
  const findings: Finding[] = [];
  for (const script of project.scripts) {
    const file = script.path;
    if (script.bytes > LARGE_FILE_BYTES) {
      findings.push({
        rule: "large-file",
        message: `${Math.round(script.bytes / 1000)} KB in one file`,
        file,
      });
    }
    for (const render of script.listRenders.filter((render) => !render.keyed)) {
      findings.push(foundIn(script, "list-without-key", "list items rendered without a key", render.at));
    }
    const setters = new Set(script.states.map((state) => state.setter).filter((setter) => setter !== null));
    for (const effect of script.effects.filter((effect) => !effect.hasDeps)) {
      const setsState = [...(effect.callback?.calls ?? [])].some((callee) => setters.has(callee));
      findings.push({
        rule: setsState ? "render-loop" : "effect-without-deps",
        message: setsState
          ? `${effect.hook} without a dependency array sets state: it re-renders forever`
          : `${effect.hook} without a dependency array runs after every render`,
        file,
        line: script.lineOf(effect.at),
      });
    }
    for (const call of script.calls) {
      if (setters.has(call.callee) && call.within && isComponent(call.within)) {
        findings.push(foundIn(script, "render-loop", `${call.callee} called while rendering`, call.at));
      }
    }
  }
  const bytes = project.scripts.reduce((sum, script) => sum + script.bytes, 0);
  const splits = project.scripts.some((script) =>
    script.dynamicImports > 0 || script.calls.some((call) => /^(React\.)?lazy$/.test(call.callee))
  );
  if (project.isUi && (project.scripts.length > LARGE_APP.scripts || bytes > LARGE_APP.bytes) && !splits) {
    findings.push({
      rule: "no-code-splitting",
      message: `${project.scripts.length} scripts, ${
        Math.round(bytes / 1000)
      } KB, and no lazy loading or code splitting`,
    });
  }
  return findings;
}
