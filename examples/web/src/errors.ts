/// <reference lib="dom" />
// An error of the API as the page shows it: status, code and message, and what to do where there is
// something to do.

import type { OrchestratorError } from "../../../shared/mod.ts";
import { h } from "./dom.ts";

function hint(error: OrchestratorError): string | null {
  if (error.status === 401) {
    return "The session is no longer valid: sign in again (the local stack's demo token lasts an hour; " +
      "restarting npm start makes a new one).";
  }
  if (error.status === 429 || error.status === 503) return "Try again in a little while.";
  if (error.status === 0) return "The function could not be reached.";
  return null;
}

export function errorView(error: OrchestratorError): HTMLElement {
  const problems = (error.details as { problems?: Array<{ path: string; message: string }> } | undefined)
    ?.problems;
  return h(
    "div",
    { className: "error", attrs: { role: "alert" } },
    h("strong", {}, `${error.status || "no answer"} ${error.code}`),
    `: ${error.message}`,
    problems?.length ? h("ul", {}, ...problems.map((p) => h("li", {}, `${p.path}: ${p.message}`))) : null,
    hint(error) ? h("p", {}, hint(error)) : null,
  );
}
