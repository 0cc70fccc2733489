// The quality scorer: every TS/TSX/JS/JSX file parsed by TypeScript's parser and judged from its syntax
// tree, data files checked to be well-formed, explanations judged as text. Four dimensions, each 0–100,
// weighted 30/30/25/15 into `overall`, and the issues found, each with its rule, dimension, severity,
// file and line. Every finding counts; repeats of a rule, less and less (rules.ts). Pure and deterministic.

import type { GeneratedFile, Quality, QualityIssue, TaskProfile } from "../contract.ts";
import { codeQuality } from "./code-quality.ts";
import { completeness } from "./completeness.ts";
import { functionality } from "./functionality.ts";
import { performance } from "./performance.ts";
import type { FactsCache } from "./facts-cache.ts";
import { buildProject } from "./project.ts";
import { type Dimension, type Finding, findingCost, type RuleId, RULES } from "./rules.ts";
import { textChecks } from "./text.ts";

export const WEIGHTS: Record<Dimension, number> = {
  completeness: 0.3,
  codeQuality: 0.3,
  functionality: 0.25,
  performance: 0.15,
};

export interface ScoreInput {
  files: GeneratedFile[];
  profile: TaskProfile;
  /** The request's text: explanations are judged on whether they address it. */
  request: string;
  /** The caller's existing files: imports may resolve to them. */
  contextFiles?: GeneratedFile[];
  /** Remembers the facts of files read before (a scoring worker keeps one). */
  cache?: FactsCache;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;
const CODE_FILE =
  /\.(tsx?|jsx?|mjs|cjs|mts|cts|css|scss|sass|less|html?|vue|svelte|py|go|rs|java|rb|php|sql|sh)$/;

function dimensionScores(findings: Finding[]): Record<Dimension, number> {
  const counted = new Map<RuleId, number>();
  const lost: Record<Dimension, number> = {
    completeness: 0,
    codeQuality: 0,
    functionality: 0,
    performance: 0,
  };
  for (const finding of findings) {
    const rule = RULES[finding.rule];
    const previous = counted.get(finding.rule) ?? 0;
    counted.set(finding.rule, previous + 1);
    lost[rule.dimension] += findingCost(rule, previous);
  }
  return {
    completeness: Math.max(0, 100 - lost.completeness),
    codeQuality: Math.max(0, 100 - lost.codeQuality),
    functionality: Math.max(0, 100 - lost.functionality),
    performance: Math.max(0, 100 - lost.performance),
  };
}

/**
 * Overall is reported to one decimal: each of a rule's first five findings takes more than 0.1 off it
 * (tests/score-properties.test.ts holds every rule to that), so rounding hides none of them. Dimensions
 * keep two decimals, so overall stays their weighting to within 0.06.
 */
function rounded(score: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(score * scale) / scale;
}

function toIssue(finding: Finding): QualityIssue {
  const rule = RULES[finding.rule];
  return {
    rule: finding.rule,
    dimension: rule.dimension,
    severity: rule.severity,
    ...(finding.file ? { file: finding.file } : {}),
    ...(finding.line ? { line: finding.line } : {}),
    message: finding.message,
  };
}

export function scoreOutput({ files, profile, request, contextFiles = [], cache }: ScoreInput): Quality {
  const nonEmpty = files.filter((file) => file.content.trim().length > 0);
  const findings: Finding[] = [];
  if (nonEmpty.length === 0) {
    findings.push({ rule: "empty-output", message: "the output has no content" });
  } else {
    const project = buildProject(nonEmpty, profile, contextFiles, cache);
    findings.push(...codeQuality(project), ...functionality(project), ...performance(project));
    if (profile.taskType === "explain") {
      findings.push(...textChecks(project, request));
    } else {
      findings.push(...completeness(project));
      if (!nonEmpty.some((file) => CODE_FILE.test(file.path))) {
        findings.push(
          { rule: "no-code", message: "the output holds no code (no script, style or markup file)" },
          { rule: "nothing-runs", message: "there is nothing to run" },
        );
      }
    }
  }
  const scores = dimensionScores(findings);
  if (nonEmpty.length === 0) Object.assign(scores, { codeQuality: 0, functionality: 0, performance: 0 });
  const overall = (Object.keys(WEIGHTS) as Dimension[]).reduce(
    (sum, key) => sum + WEIGHTS[key] * scores[key],
    0,
  );
  const issues = findings.map(toIssue).sort((a, b) =>
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.file ?? "").localeCompare(b.file ?? "") ||
    (a.line ?? 0) - (b.line ?? 0)
  );
  return {
    overall: rounded(overall, 1),
    completeness: rounded(scores.completeness, 2),
    codeQuality: rounded(scores.codeQuality, 2),
    functionality: rounded(scores.functionality, 2),
    performance: rounded(scores.performance, 2),
    issues,
  };
}
