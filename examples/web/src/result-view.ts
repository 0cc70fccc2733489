/// <reference lib="dom" />
// The result of a request: the winner, its files, the quality breakdown with its issues, how far it can be
// trusted (confidence, the review, conflicts), every attempt, and the accept/reject buttons.

import type { SupabaseClient } from "@supabase/supabase-js";
import type { Attempt, OrchestrateResponse, Quality } from "../../../shared/mod.ts";
import { h } from "./dom.ts";
import { feedbackPanel } from "./feedback.ts";
import { filesPanel } from "./files-panel.ts";
import { duration, money, score } from "./format.ts";

function summary(result: OrchestrateResponse): HTMLElement {
  const { strategy, metrics } = result;
  return h(
    "section",
    { className: "summary" },
    h("h2", {}, `${strategy.model} (${strategy.approach}) won with ${score(result.qualityScore)}`),
    h(
      "p",
      {},
      `${metrics.mode}, ${metrics.tier} tier: ${metrics.strategiesTried} tried` +
        `${metrics.refineRounds ? `, ${metrics.refineRounds} refinement rounds` : ""}` +
        `${metrics.earlyExit ? ", stopped early at the threshold" : ""}; ` +
        `${duration(metrics.totalDurationMs)}, ${money(metrics.totalCostUsd)} in all.`,
    ),
    h("p", { className: "muted" }, "Request ", h("code", {}, result.requestId)),
  );
}

const DIMENSIONS = [
  ["completeness", "Completeness (30%)"],
  ["codeQuality", "Code quality (30%)"],
  ["functionality", "Functionality (25%)"],
  ["performance", "Performance (15%)"],
] as const;

function qualityPanel(quality: Quality): HTMLElement {
  return h(
    "section",
    { className: "quality", data: { section: "quality" } },
    h("h3", {}, `Quality ${score(quality.overall)}`),
    h(
      "dl",
      { className: "meters" },
      ...DIMENSIONS.flatMap(([key, label]) => [
        h("dt", {}, label),
        h(
          "dd",
          { data: { dimension: key } },
          h("meter", { attrs: { min: "0", max: "100", value: String(quality[key]) } }),
          ` ${score(quality[key])}`,
        ),
      ]),
    ),
    quality.issues.length
      ? h(
        "table",
        { className: "issues" },
        h(
          "thead",
          {},
          h("tr", {}, ...["severity", "dimension", "rule", "where", "issue"].map((c) => h("th", {}, c))),
        ),
        h(
          "tbody",
          {},
          ...quality.issues.map((issue) =>
            h(
              "tr",
              { className: issue.severity },
              h("td", {}, issue.severity),
              h("td", {}, issue.dimension),
              h("td", {}, issue.rule),
              h("td", {}, issue.file ? `${issue.file}${issue.line ? `:${issue.line}` : ""}` : ""),
              h("td", {}, issue.message),
            )
          ),
        ),
      )
      : h("p", {}, "The scorer found no issues."),
  );
}

function trustPanel(result: OrchestrateResponse): HTMLElement {
  const { confidenceParts: parts, verification, conflicts } = result;
  return h(
    "section",
    { className: "trust", data: { section: "confidence" } },
    h(
      "h3",
      {},
      `Confidence ${result.confidence.toFixed(2)}`,
      result.needsReview ? h("span", { className: "badge warn" }, "needs review") : null,
    ),
    h(
      "p",
      { className: "muted" },
      `score ${parts.score.toFixed(2)}, margin ${parts.margin.toFixed(2)}, agreement ${
        parts.agreement.toFixed(2)
      }, ` +
        `review ${parts.verification.toFixed(2)}`,
    ),
    verification
      ? h(
        "div",
        { data: { section: "verification" } },
        h("h4", {}, `Review by ${verification.model}: ${verification.verdict}`),
        h("p", {}, verification.summary),
        verification.error ? h("p", { className: "muted" }, verification.error) : null,
        verification.issues.length
          ? h(
            "ul",
            {},
            ...verification.issues.map((issue) =>
              h(
                "li",
                {},
                `${issue.severity}: ${
                  issue.file ? `${issue.file}${issue.line ? `:${issue.line}` : ""} ` : ""
                }`,
                issue.message,
              )
            ),
          )
          : null,
        verification.refinedAfter ? h("p", {}, "Its findings were sent back for a refinement round.") : null,
      )
      : null,
    conflicts.length
      ? h(
        "div",
        { data: { section: "conflicts" } },
        h("h4", {}, "The outputs disagree"),
        h("ul", {}, ...conflicts.map((conflict) => h("li", {}, `${conflict.aspect}: ${conflict.message}`))),
      )
      : null,
  );
}

function attemptRow(attempt: Attempt, index: number): HTMLTableRowElement {
  return h(
    "tr",
    { className: attempt.success ? "" : "failed" },
    h("td", {}, String(index + 1)),
    h("td", {}, attempt.strategy.model),
    h("td", {}, attempt.strategy.approach),
    h("td", {}, attempt.success ? "ok" : `failed: ${attempt.error?.class ?? "unknown"}`),
    h("td", { className: "number" }, score(attempt.qualityScore)),
    h("td", { className: "number" }, duration(attempt.durationMs)),
    h("td", { className: "number" }, money(attempt.costUsd)),
    h("td", { className: "number" }, `${attempt.tokens.input} / ${attempt.tokens.output}`),
    h("td", { className: "muted" }, attempt.modelVersion ?? ""),
  );
}

function attemptsPanel(attempts: Attempt[]): HTMLElement {
  const columns = ["#", "model", "approach", "result", "score", "time", "cost", "tokens in / out", "version"];
  return h(
    "section",
    { className: "attempts", data: { section: "attempts" } },
    h("h3", {}, `Attempts (${attempts.length})`),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, ...columns.map((column) => h("th", {}, column)))),
      h("tbody", {}, ...attempts.map(attemptRow)),
    ),
  );
}

export function resultView(supabase: SupabaseClient, result: OrchestrateResponse): HTMLElement {
  return h(
    "article",
    { className: "result", data: { result: result.requestId } },
    summary(result),
    filesPanel(result.files),
    h("div", { className: "columns" }, qualityPanel(result.quality), trustPanel(result)),
    attemptsPanel(result.attempts),
    feedbackPanel(supabase, result.requestId),
  );
}
