/// <reference lib="dom" />
// The "Monitoring" view: the signed-in user's own figures from GET …/stats — their totals, quality by
// model, cost per day and success rate by approach, as charts.

import type { SupabaseClient } from "@supabase/supabase-js";
import { getStats, type StatsResponse } from "../../../shared/mod.ts";
import { barChart, columnChart, type Datum } from "./charts.ts";
import { h } from "./dom.ts";
import { errorView } from "./errors.ts";
import { money, percent, score } from "./format.ts";

const DAY_MS = 86_400_000;

/** Every UTC day of the window, so that days without attempts show as empty columns, not as no days. */
function costPerDay(stats: StatsResponse, days: number): Datum[] {
  const costs = new Map(stats.costPerDay.map((day) => [day.day, day]));
  const today = Date.now();
  return Array.from({ length: days + 1 }, (_, index) => {
    const day = new Date(today - (days - index) * DAY_MS).toISOString().slice(0, 10);
    const figures = costs.get(day);
    return {
      label: day,
      value: figures?.costUsd ?? 0,
      text: figures ? `${money(figures.costUsd)}, ${figures.attempts} attempts` : "no attempts",
    };
  });
}

function totals(stats: StatsResponse): HTMLElement {
  const { totals } = stats;
  const cards: Array<[string, string]> = [
    ["requests", String(totals.requests)],
    ["succeeded", totals.successRate === null ? "–" : percent(totals.successRate)],
    ["mean confidence", totals.avgConfidence === null ? "–" : totals.avgConfidence.toFixed(2)],
    ["needed review", String(totals.needsReview)],
    ["won by a fallback", String(totals.fallbacksUsed)],
    ["refined", String(totals.refinements)],
    ["reviewed", String(totals.verified)],
    ["with conflicts", String(totals.conflictsDetected)],
  ];
  return h(
    "dl",
    { className: "cards" },
    ...cards.map(([label, value]) =>
      h("div", {}, h("dt", {}, label), h("dd", { data: { total: label } }, value))
    ),
  );
}

function figures(stats: StatsResponse, days: number): HTMLElement {
  if (stats.totals.requests === 0 && stats.qualityByModel.length === 0) {
    return h("p", {}, `No requests in the last ${days} days yet: generate something first.`);
  }
  const costs = costPerDay(stats, days);
  const spent = stats.costPerDay.reduce((sum, day) => sum + day.costUsd, 0);
  return h(
    "div",
    {},
    totals(stats),
    h("h3", {}, "Quality by model"),
    h(
      "p",
      { className: "muted" },
      "Mean score of each model's successful attempts; uses counts every attempt.",
    ),
    barChart(
      "quality by model",
      stats.qualityByModel.map((model) => ({
        label: model.model,
        value: model.avgQuality ?? 0,
        text: `${score(model.avgQuality)} · ${model.uses} ${model.uses === 1 ? "use" : "uses"} · ${
          percent(model.successRate)
        } ok`,
      })),
      100,
    ),
    h("h3", {}, `Cost per day (${money(spent)} in ${days} days)`),
    columnChart("cost per day", costs, money(Math.max(...costs.map((day) => day.value)))),
    h("h3", {}, "Success rate by approach"),
    barChart(
      "success rate by approach",
      stats.approaches.map((approach) => ({
        label: approach.approach,
        value: approach.successRate,
        text: `${percent(approach.successRate)} of ${approach.attempts} · quality ${
          score(approach.avgQuality)
        }`,
      })),
      100,
    ),
  );
}

export function statsView(supabase: SupabaseClient): { element: HTMLElement; refresh: () => Promise<void> } {
  const days = h(
    "select",
    { attrs: { name: "days" } },
    ...[7, 30, 90].map((value) => h("option", { attrs: { value: String(value) } }, `last ${value} days`)),
  );
  days.value = "30";
  const body = h("div", {});

  const refresh = async () => {
    const span = Number(days.value);
    body.dataset.stats = "loading";
    body.replaceChildren(h("p", { className: "muted" }, "Loading…"));
    const { data, error } = await getStats(supabase, { days: span });
    body.replaceChildren(error ? errorView(error) : figures(data, span));
    body.dataset.stats = error ? "error" : "loaded";
  };
  days.addEventListener("change", refresh);

  const element = h(
    "section",
    { className: "monitoring" },
    h(
      "div",
      { className: "row" },
      h("h2", {}, "Your requests"),
      days,
      h("button", { className: "secondary", attrs: { type: "button" }, on: { click: refresh } }, "Refresh"),
    ),
    body,
  );
  return { element, refresh };
}
