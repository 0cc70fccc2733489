// Functionality, read from the syntax tree: state that is read and updated, event handlers wired to
// elements, buttons that do something, forms that handle submit without reloading the page, controlled
// inputs that can change, routes when routing is asked for — and code that builds at all.

import type { FileFacts, FunctionFact, HandlerFact } from "./facts.ts";
import { foundIn, isUsed, type Project } from "./project.ts";
import type { Finding } from "./rules.ts";

const HANDLER_NAME = /^(handle|on)[A-Z]/;
const INPUTS = new Set(["input", "textarea", "select"]);

/** The function a handler attribute runs: inline, or declared in the file under the name it gives. */
function handlerOf(script: FileFacts, handler: HandlerFact | undefined): FunctionFact | undefined {
  return typeof handler === "string" ? script.functions.find((fn) => fn.name === handler) : handler;
}

function elementChecks(script: FileFacts): Finding[] {
  const findings: Finding[] = [];
  const file = script.path;
  for (const element of script.jsx) {
    const { tag, attributes } = element;
    const line = script.lineOf(element.at);
    if (tag === "button") {
      const onClick = handlerOf(script, element.onClick);
      const submits = attributes.get("type") === "submit" || (element.insideForm && !attributes.has("type"));
      if (onClick?.emptyBody || (!attributes.has("onClick") && !submits)) {
        findings.push({ rule: "dead-button", message: "button that does nothing when clicked", file, line });
      }
    }
    if (tag === "form") {
      if (!attributes.has("onSubmit") && !attributes.has("action")) {
        findings.push({ rule: "form-without-submit", message: "form without a submit handler", file, line });
      } else {
        const onSubmit = handlerOf(script, element.onSubmit);
        if (onSubmit && ![...onSubmit.calls].some((callee) => callee.endsWith(".preventDefault"))) {
          findings.push({
            rule: "submit-reloads-page",
            message: "the submit handler does not call preventDefault: the page reloads",
            file,
            line,
          });
        }
      }
    }
    const bound = attributes.has("value") || attributes.has("checked");
    const changeable = attributes.has("onChange") || attributes.has("onInput") ||
      attributes.has("readOnly") ||
      attributes.has("disabled");
    if (INPUTS.has(tag) && bound && !changeable) {
      findings.push({
        rule: "uncontrolled-value",
        message: `<${tag}> has a value but no onChange: it cannot change`,
        file,
        line,
      });
    }
  }
  return findings;
}

export function functionality(project: Project): Finding[] {
  const findings: Finding[] = [];
  const broken = project.scripts.filter((script) => script.syntaxErrors.length > 0);
  if (broken.length > 0) {
    findings.push({
      rule: "build-broken",
      message: `${broken.map((script) => script.path).join(", ")} do${
        broken.length === 1 ? "es" : ""
      } not parse: the app does not build`,
    });
  }
  for (const script of project.scripts) {
    findings.push(...elementChecks(script));
    for (const state of script.states) {
      if (state.setter && !isUsed(script, state.setter)) {
        findings.push(
          foundIn(script, "state-never-updated", `state "${state.value}" is never updated`, state.at),
        );
      }
      if (state.value && !isUsed(script, state.value)) {
        findings.push(foundIn(script, "state-never-read", `state "${state.value}" is never read`, state.at));
      }
    }
    for (const { name, at, kind } of script.declarations) {
      if (kind !== "import" && HANDLER_NAME.test(name) && !isUsed(script, name)) {
        findings.push(foundIn(script, "dead-handler", `handler "${name}" is never wired to an element`, at));
      }
    }
  }
  const interactive = project.scripts.some((script) =>
    script.states.length > 0 || script.functions.some((fn) => fn.callsHooks) ||
    script.jsx.some((element) => [...element.attributes.keys()].some((name) => /^on[A-Z]/.test(name)))
  );
  if (project.isNewProject && project.isUi && !interactive) {
    findings.push({
      rule: "inert-ui",
      message: "no state, no hooks and no event handlers: the UI does nothing",
    });
  }
  if (project.profile.requirements.includes("routing")) {
    const routes = project.scripts.reduce(
      (sum, script) =>
        sum + script.jsx.filter((element) => element.tag === "Route").length +
        (script.propertyNames.get("path") ?? 0),
      0,
    );
    if (routes < 2) {
      findings.push({
        rule: "missing-routes",
        message: `routing was asked for, but ${routes} route(s) are defined`,
      });
    }
  }
  return findings;
}
