// Code quality: the code parses, data files are well-formed, no `any` and no untyped exports, no unused
// imports or variables, one component per file, files of a readable length, names that follow React's
// rules, no unreachable statements, no console.log left in.

import { allowsComments, checkCss, checkHtml, checkJson } from "./parse.ts";
import { foundIn, isComponent, isUsed, type Project } from "./project.ts";
import type { Finding } from "./rules.ts";

const HANDLER_NAME = /^(handle|on)[A-Z]/;
const LONG_FILE_LINES = 300;

function wellFormed(project: Project): Finding[] {
  const findings: Finding[] = [];
  for (const file of project.files) {
    const check = /\.jsonc?$/.test(file.path)
      ? (content: string) => checkJson(content, allowsComments(file.path))
      : /\.(css|scss|less)$/.test(file.path)
      ? checkCss
      : /\.html?$/.test(file.path)
      ? checkHtml
      : null;
    const problem = check?.(file.content);
    if (problem) {
      findings.push({
        rule: "malformed-file",
        message: problem.message,
        file: file.path,
        line: problem.line,
      });
    }
  }
  return findings;
}

export function codeQuality(project: Project): Finding[] {
  const findings = wellFormed(project);
  for (const script of project.scripts) {
    const file = script.path;
    const [first] = script.syntaxErrors;
    if (first) {
      const more = script.syntaxErrors.length > 1 ? ` (and ${script.syntaxErrors.length - 1} more)` : "";
      findings.push({
        rule: "syntax-error",
        message: `syntax error: ${first.message}${more}`,
        file,
        line: first.line,
      });
    }
    for (const at of script.anyTypes) {
      findings.push(foundIn(script, "any-type", "`any` type", at));
    }
    for (const { name, at } of script.untypedExports) {
      findings.push(foundIn(script, "untyped-export", `exported "${name}" has untyped parameters`, at));
    }
    for (const { name, at, kind } of script.declarations) {
      if (isUsed(script, name) || name.startsWith("_") || (kind === "import" && name === "React")) continue;
      if (kind !== "import" && HANDLER_NAME.test(name)) continue; // a dead handler: functionality's concern
      const rule = kind === "import" ? "unused-import" : "unused-variable";
      findings.push(
        foundIn(
          script,
          rule,
          `"${name}" is ${kind === "import" ? "imported" : "declared"} but never used`,
          at,
        ),
      );
    }
    const components = script.functions.filter((fn) => fn.topLevel && isComponent(fn));
    const exported = components.filter((fn) => fn.exported);
    if (exported.length > 1 || components.length > 3) {
      findings.push({
        rule: "many-components",
        message: `${components.length} components in one file (${exported.length} exported)`,
        file,
      });
    }
    if (script.lines > LONG_FILE_LINES) {
      findings.push({ rule: "long-file", message: `${script.lines} lines: split the file`, file });
    }
    for (const fn of script.functions.filter((fn) => fn.topLevel && fn.name)) {
      const name = fn.name!;
      if (fn.callsHooks && !/^use[A-Z0-9]/.test(name) && !/^[A-Z]/.test(name)) {
        findings.push(
          foundIn(
            script,
            "naming",
            `"${name}" calls hooks but is neither a component (Capitalized) nor a hook (use…)`,
            fn.at,
          ),
        );
      } else if (fn.exported && fn.rendersJsx && /^[a-z]/.test(name) && !/^use[A-Z0-9]/.test(name)) {
        findings.push(foundIn(script, "naming", `component "${name}" must start with a capital`, fn.at));
      }
    }
    for (const at of script.unreachable) {
      findings.push(foundIn(script, "unreachable-code", "unreachable statement", at));
    }
    for (const call of script.calls.filter((call) => /^console\.(log|debug|info)$/.test(call.callee))) {
      findings.push(foundIn(script, "console-log", `${call.callee} left in`, call.at));
    }
  }
  return findings;
}
