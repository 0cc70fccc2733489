/// <reference lib="dom" />
// The "Generate" view: a request, its mode and tier; the stages as the event stream delivers them; then
// the result (or the error).

import type { SupabaseClient } from "@supabase/supabase-js";
import { MODES, type OrchestrateRequest, streamOrchestration, TIERS } from "../../../shared/mod.ts";
import { h } from "./dom.ts";
import { errorView } from "./errors.ts";
import { resultView } from "./result-view.ts";
import { stageItem } from "./stages.ts";

function choice(name: string, options: Array<[value: string, label: string]>): HTMLSelectElement {
  return h(
    "select",
    { attrs: { name } },
    ...options.map(([value, label]) => h("option", { attrs: { value } }, label)),
  );
}

export function runView(supabase: SupabaseClient): HTMLElement {
  const request = h("textarea", {
    attrs: { name: "request", rows: "3", required: "", maxlength: "20000", "aria-label": "request" },
  });
  request.value = "Build a habit tracker with charts";
  const mode = choice("mode", MODES.map((value) => [value, value]));
  // No tier: the user's default_tier setting decides (else balanced).
  const tier = choice("tier", [
    ["", "my default tier"],
    ...TIERS.map((value): [string, string] => [value, value]),
  ]);
  const verify = h("input", { attrs: { type: "checkbox", name: "verify" } });
  const submit = h("button", { attrs: { type: "submit" } }, "Generate");
  const stop = h("button", { className: "secondary", attrs: { type: "button", disabled: "" } }, "Stop");
  const stages = h("ol", { className: "stages" });
  const outcome = h("div", { className: "outcome" });
  let running: AbortController | null = null;

  const run = async () => {
    const body: OrchestrateRequest = {
      request: request.value,
      mode: mode.value as OrchestrateRequest["mode"],
      ...(tier.value ? { tier: tier.value as OrchestrateRequest["tier"] } : {}),
      ...(verify.checked ? { verify: true } : {}),
    };
    running = new AbortController();
    submit.disabled = true;
    stop.disabled = false;
    stages.replaceChildren();
    outcome.replaceChildren(h("p", { className: "muted" }, "Working…"));
    const { data, error } = await streamOrchestration(supabase, body, {
      onEvent: (event) => stages.append(stageItem(event)),
      signal: running.signal,
    });
    outcome.replaceChildren(
      error
        ? running.signal.aborted
          ? h("p", {}, "Stopped: the model calls in flight were cancelled.")
          : errorView(error)
        : resultView(supabase, data),
    );
    running = null;
    submit.disabled = false;
    stop.disabled = true;
  };
  stop.addEventListener("click", () => running?.abort());

  return h(
    "section",
    { className: "run" },
    h(
      "form",
      {
        className: "request",
        on: {
          submit: (event) => {
            event.preventDefault();
            run();
          },
        },
      },
      request,
      h(
        "div",
        { className: "row" },
        h("label", {}, "Mode ", mode),
        h("label", {}, "Tier ", tier),
        h("label", {}, verify, " ask another model to review it"),
        submit,
        stop,
      ),
    ),
    stages,
    outcome,
  );
}
