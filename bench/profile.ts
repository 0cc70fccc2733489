// The profiler against its labelled corpus: npm run bench:profile (the measured half) or
// npm run bench:profile -- --tune (the half the rules are tuned on). Prints aggregate figures only, ending
// with one JSON line of the headline figures.

import { COMPLEXITIES, TASK_TYPES } from "../supabase/functions/_shared/contract.ts";
import {
  corpusFigures,
  type CorpusHalf,
  figuresSummary,
  loadCorpus,
  secondLabeller,
} from "../tests/support/profile-corpus.ts";

const half: CorpusHalf = Deno.args.includes("--tune") ? "tune" : "measured";
const items = await loadCorpus(half);
const figures = corpusFigures(items);
// The measured half was labelled twice: the second labeller, scored as the profiler is, shows how far the
// labels themselves can be matched.
const second = half === "measured" ? corpusFigures(items, await secondLabeller()) : null;

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

function matrix(title: string, labels: readonly string[], counts: number[][]): string[] {
  const width = Math.max(...labels.map((label) => label.length), 5) + 1;
  const cell = (text: string | number) => String(text).padStart(width);
  return [
    `${title} (rows: labelled, columns: profiled)`,
    `${"".padEnd(width)}${labels.map(cell).join("")}`,
    ...labels.map((label, row) => `${label.padEnd(width)}${counts[row].map(cell).join("")}`),
  ];
}

const lines = [
  `profiler on the ${half} half: ${figures.items} items`,
  "",
  `task type accuracy: ${percent(figures.taskTypeAccuracy)}`,
  ...matrix("task types", TASK_TYPES, figures.confusion),
  `confidence >= 0.5: ${figures.confident.items} items, ${percent(figures.confident.accuracy)} right; ` +
  `< 0.5: ${figures.doubtful.items} items, ${percent(figures.doubtful.accuracy)} right`,
  "",
  `complexity exact: ${percent(figures.complexityExact)}, within one level: ${
    percent(figures.complexityWithinOne)
  }`,
  ...matrix("complexity", COMPLEXITIES, figures.complexityConfusion),
  "",
  "requirements      precision  recall  (labelled / profiled)" +
  (second ? "   second labeller: precision  recall" : ""),
  ...Object.entries(figures.requirements).map(([name, { precision, recall, labelled, profiled }]) =>
    `${name.padEnd(16)}${percent(precision).padStart(11)}${percent(recall).padStart(8)}  ${
      `(${labelled} / ${profiled})`.padEnd(11)
    }${
      second
        ? `${percent(second.requirements[name].precision).padStart(27)}${
          percent(second.requirements[name].recall).padStart(8)
        }`
        : ""
    }`
  ),
  "",
  ...(second
    ? [
      "a second labeller (blind: the guide and the bare requests), scored against the labels as the profiler is:",
      `task type ${percent(second.taskTypeAccuracy)}, complexity exact ${percent(second.complexityExact)}, ` +
      `within one level ${percent(second.complexityWithinOne)}`,
      "",
    ]
    : []),
  JSON.stringify(figuresSummary(figures)),
];
console.log(lines.join("\n"));
