// Every check the scorer makes, with the dimension it counts against, its severity, what one finding
// costs (points off that dimension's 100) and how many of its findings cost that much. Each finding after
// those costs less than the one before but never nothing: one more defect of a kind already present
// still lowers the score, and many of a minor kind do not sink it.

import type { QualityIssue } from "../contract.ts";

export type Dimension = QualityIssue["dimension"];

export interface Rule {
  dimension: Dimension;
  severity: QualityIssue["severity"];
  penalty: number;
  /** How many findings of the rule cost the full penalty; those after cost less and less. */
  atFullPenalty: number;
}

export const RULES = {
  // completeness
  "empty-output": { dimension: "completeness", severity: "error", penalty: 100, atFullPenalty: 1 },
  "no-code": { dimension: "completeness", severity: "error", penalty: 60, atFullPenalty: 1 },
  "missing-entry-point": { dimension: "completeness", severity: "error", penalty: 25, atFullPenalty: 1 },
  "missing-component": { dimension: "completeness", severity: "error", penalty: 20, atFullPenalty: 1 },
  "missing-manifest": { dimension: "completeness", severity: "error", penalty: 20, atFullPenalty: 1 },
  "missing-config": { dimension: "completeness", severity: "warning", penalty: 8, atFullPenalty: 2 },
  "missing-styles": { dimension: "completeness", severity: "warning", penalty: 8, atFullPenalty: 1 },
  "unresolved-import": { dimension: "completeness", severity: "error", penalty: 20, atFullPenalty: 2 },
  "undeclared-package": { dimension: "completeness", severity: "error", penalty: 10, atFullPenalty: 3 },
  "missing-requirement": { dimension: "completeness", severity: "error", penalty: 20, atFullPenalty: 3 },
  "too-few-files": { dimension: "completeness", severity: "warning", penalty: 10, atFullPenalty: 1 },
  "text-too-short": { dimension: "completeness", severity: "error", penalty: 40, atFullPenalty: 1 },
  "text-off-topic": { dimension: "completeness", severity: "warning", penalty: 20, atFullPenalty: 1 },
  // code quality
  "syntax-error": { dimension: "codeQuality", severity: "error", penalty: 50, atFullPenalty: 1 },
  "malformed-file": { dimension: "codeQuality", severity: "error", penalty: 20, atFullPenalty: 2 },
  "any-type": { dimension: "codeQuality", severity: "warning", penalty: 4, atFullPenalty: 5 },
  "untyped-export": { dimension: "codeQuality", severity: "warning", penalty: 4, atFullPenalty: 3 },
  "unused-import": { dimension: "codeQuality", severity: "warning", penalty: 4, atFullPenalty: 4 },
  "unused-variable": { dimension: "codeQuality", severity: "warning", penalty: 4, atFullPenalty: 4 },
  "many-components": { dimension: "codeQuality", severity: "info", penalty: 3, atFullPenalty: 3 },
  "long-file": { dimension: "codeQuality", severity: "warning", penalty: 5, atFullPenalty: 3 },
  "naming": { dimension: "codeQuality", severity: "warning", penalty: 4, atFullPenalty: 3 },
  "unreachable-code": { dimension: "codeQuality", severity: "warning", penalty: 8, atFullPenalty: 2 },
  "console-log": { dimension: "codeQuality", severity: "info", penalty: 2, atFullPenalty: 4 },
  "text-unstructured": { dimension: "codeQuality", severity: "warning", penalty: 20, atFullPenalty: 1 },
  // functionality
  "build-broken": { dimension: "functionality", severity: "error", penalty: 40, atFullPenalty: 1 },
  "nothing-runs": { dimension: "functionality", severity: "error", penalty: 100, atFullPenalty: 1 },
  "inert-ui": { dimension: "functionality", severity: "error", penalty: 30, atFullPenalty: 1 },
  "dead-button": { dimension: "functionality", severity: "error", penalty: 15, atFullPenalty: 3 },
  "dead-handler": { dimension: "functionality", severity: "error", penalty: 15, atFullPenalty: 2 },
  "form-without-submit": { dimension: "functionality", severity: "error", penalty: 20, atFullPenalty: 2 },
  "submit-reloads-page": { dimension: "functionality", severity: "warning", penalty: 10, atFullPenalty: 2 },
  "state-never-updated": { dimension: "functionality", severity: "warning", penalty: 8, atFullPenalty: 3 },
  "state-never-read": { dimension: "functionality", severity: "warning", penalty: 5, atFullPenalty: 3 },
  "uncontrolled-value": { dimension: "functionality", severity: "error", penalty: 10, atFullPenalty: 2 },
  "missing-routes": { dimension: "functionality", severity: "error", penalty: 20, atFullPenalty: 1 },
  "text-without-examples": { dimension: "functionality", severity: "info", penalty: 10, atFullPenalty: 1 },
  // performance
  "large-file": { dimension: "performance", severity: "warning", penalty: 10, atFullPenalty: 3 },
  "no-code-splitting": { dimension: "performance", severity: "info", penalty: 10, atFullPenalty: 1 },
  "list-without-key": { dimension: "performance", severity: "warning", penalty: 15, atFullPenalty: 2 },
  "effect-without-deps": { dimension: "performance", severity: "warning", penalty: 15, atFullPenalty: 2 },
  "render-loop": { dimension: "performance", severity: "error", penalty: 30, atFullPenalty: 2 },
  "text-too-long": { dimension: "performance", severity: "info", penalty: 10, atFullPenalty: 1 },
} as const satisfies Record<string, Rule>;

export type RuleId = keyof typeof RULES;

/** What a finding beyond a rule's full-penalty ones costs, as a share of the one before. */
const REPEAT_DECAY = 0.7;

/** What a finding of `rule` costs after `previous` findings of it. */
export function findingCost(rule: Rule, previous: number): number {
  return rule.penalty * REPEAT_DECAY ** Math.max(0, previous + 1 - rule.atFullPenalty);
}

/** A place where a rule was broken. */
export interface Finding {
  rule: RuleId;
  message: string;
  file?: string;
  line?: number;
}
