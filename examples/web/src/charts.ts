/// <reference lib="dom" />
// Two small SVG charts, enough for the monitoring view without a chart library: horizontal bars for
// categories (models, approaches) and columns for days. Each bar carries its label and value as data-*
// attributes and a <title> (the tooltip, and what a screen reader says).

import { svg } from "./dom.ts";

export interface Datum {
  label: string;
  value: number;
  /** The value as the chart writes it beside the bar. */
  text: string;
}

const LABEL_WIDTH = 200;
const BAR_WIDTH = 300;
const ROW_HEIGHT = 26;

/** One row per datum: its label, a bar as long as value / max, and its text. */
export function barChart(name: string, data: Datum[], max: number): SVGSVGElement {
  const width = LABEL_WIDTH + BAR_WIDTH + 220;
  const height = data.length * ROW_HEIGHT + 8;
  return svg(
    "svg",
    {
      class: "chart",
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: "img",
      "aria-label": name,
      "data-chart": name,
    },
    ...data.map((datum, index) => {
      const length = max > 0 ? Math.max(0, Math.min(1, datum.value / max)) * BAR_WIDTH : 0;
      return svg(
        "g",
        {
          class: "bar",
          transform: `translate(0 ${index * ROW_HEIGHT + 4})`,
          "data-label": datum.label,
          "data-value": datum.value,
        },
        svg("title", {}, `${datum.label}: ${datum.text}`),
        svg("text", { x: LABEL_WIDTH - 8, y: 16, "text-anchor": "end" }, datum.label),
        svg("rect", { x: LABEL_WIDTH, y: 3, width: length, height: ROW_HEIGHT - 8, rx: 3 }),
        svg("text", { x: LABEL_WIDTH + length + 6, y: 16 }, datum.text),
      );
    }),
  );
}

/** One column per datum, in order (days), with the largest value marked on the axis. */
export function columnChart(name: string, data: Datum[], maxText: string): SVGSVGElement {
  const plot = { left: 80, top: 10, height: 150 };
  const step = Math.max(8, Math.min(40, 640 / Math.max(data.length, 1)));
  const width = plot.left + data.length * step + 10;
  const max = Math.max(0, ...data.map((datum) => datum.value));
  // Every label would overlap on narrow columns: about one in six.
  const labelEvery = Math.ceil(48 / step);
  const bottom = plot.top + plot.height;
  return svg(
    "svg",
    {
      class: "chart",
      viewBox: `0 0 ${width} ${bottom + 24}`,
      width,
      height: bottom + 24,
      role: "img",
      "aria-label": name,
      "data-chart": name,
    },
    svg("text", { x: plot.left - 6, y: plot.top + 10, "text-anchor": "end" }, maxText),
    svg("text", { x: plot.left - 6, y: bottom, "text-anchor": "end" }, "0"),
    svg("line", { x1: plot.left, y1: bottom, x2: width - 10, y2: bottom, class: "axis" }),
    ...data.map((datum, index) => {
      const height = max > 0 ? (datum.value / max) * plot.height : 0;
      const x = plot.left + index * step;
      return svg(
        "g",
        { class: "bar", "data-label": datum.label, "data-value": datum.value },
        svg("title", {}, `${datum.label}: ${datum.text}`),
        svg("rect", { x: x + 1, y: bottom - height, width: step - 2, height, rx: 2 }),
        index % labelEvery === 0
          ? svg("text", { x: x + step / 2, y: bottom + 16, "text-anchor": "middle" }, datum.label.slice(5))
          : null,
      );
    }),
  );
}
