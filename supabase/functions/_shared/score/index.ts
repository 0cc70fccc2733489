// The quality scorer: every TS/TSX/JS/JSX file parsed by TypeScript's parser and judged from its syntax
// tree, data files checked to be well-formed, explanations judged as text. Four dimensions, each 0–100,
// weighted 30/30/25/15 into `overall`, and the issues found, each with its rule, dimension, severity,
// file and line. Pure and deterministic.

import type { GeneratedFile, Quality, QualityIssue, TaskProfile } from "../contract.ts";
import { codeQuality } from "./code-quality.ts";
import { completeness } from "./completeness.ts";
import { functionality } from "./functionality.ts";
import { performance } from "./performance.ts";
import type { FactsCache } from "./facts-cache.ts";
import { buildProject } from "./project.ts";
import { type Dimension, type Finding, RULES } from "./rules.ts";
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
  const spent = new Map<string, number>();
  const lost: Record<Dimension, number> = {
    completeness: 0,
    codeQuality: 0,
    functionality: 0,
    performance: 0,
  };
  for (const finding of findings) {
    const rule = RULES[finding.rule];
    const already = spent.get(finding.rule) ?? 0;
    const cost = Math.min(rule.penalty, rule.cap - already);
    spent.set(finding.rule, already + cost);
    lost[rule.dimension] += cost;
  }
  return {
    completeness: Math.max(0, 100 - lost.completeness),
    codeQuality: Math.max(0, 100 - lost.codeQuality),
    functionality: Math.max(0, 100 - lost.functionality),
    performance: Math.max(0, 100 - lost.performance),
  };
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
  return { overall: Math.round(overall * 10) / 10, ...scores, issues };
}
