/// <reference lib="dom" />
// One line per progress event of the stream, as it arrives: profile, plan, each attempt's start and
// end, refinement rounds and the review.

import type { ProgressEvent } from "../../../shared/mod.ts";
import { type Child, h } from "./dom.ts";
import { duration, money, score } from "./format.ts";

const strategyOf = (strategy: { model: string; approach: string }) =>
  `${strategy.model} (${strategy.approach})`;

function describe(event: ProgressEvent): { title: string; detail: Child; failed?: boolean } {
  switch (event.type) {
    case "profile": {
      const { taskType, complexity, requirements } = event.profile;
      return {
        title: "Profile",
        detail: `${taskType}, ${complexity} complexity; requirements: ${requirements.join(", ") || "none"}`,
      };
    }
    case "plan":
      return {
        title: "Plan",
        detail: h(
          "span",
          {},
          `${event.tier} tier, ${event.mode}${event.explored ? ", exploring" : ""}` +
            `${event.refineRounds ? `, up to ${event.refineRounds} refinement rounds` : ""}` +
            `${event.verify ? ", with a review" : ""}:`,
          h(
            "ol",
            {},
            ...event.strategies.map((strategy) =>
              h(
                "li",
                {},
                `${strategyOf(strategy)}: expected ${score(strategy.expectedQuality)}, ` +
                  `about ${money(strategy.estimatedCostUsd)}`,
              )
            ),
          ),
        ),
      };
    case "attempt.started":
      return { title: `Attempt ${event.index + 1} started`, detail: strategyOf(event.strategy) };
    case "attempt.finished":
      return {
        title: `Attempt ${event.index + 1} finished`,
        detail: `${strategyOf(event.strategy)}: ${
          event.success ? `score ${score(event.qualityScore)}` : `failed (${event.errorClass})`
        }, ${duration(event.durationMs)}, ${money(event.costUsd)}`,
        failed: !event.success,
      };
    case "refine":
      return {
        title: `Refinement round ${event.round}`,
        detail: `${event.model}: ${score(event.fromScore)} → ${score(event.qualityScore)}${
          event.improved ? " (improved)" : " (no better)"
        }`,
      };
    case "verify":
      return {
        title: "Review",
        detail: `${event.model}: ${event.verdict}`,
        failed: event.verdict === "fail",
      };
  }
}

export function stageItem(event: ProgressEvent): HTMLLIElement {
  const { title, detail, failed } = describe(event);
  return h(
    "li",
    { className: failed ? "stage failed" : "stage", data: { stage: event.type } },
    h("strong", {}, title),
    " ",
    detail,
  );
}
