// Every check the scorer makes, with the dimension it counts against, its severity, what one finding
// costs (points off that dimension's 100) and how much all findings of the rule may cost together.

import type { QualityIssue } from "../contract.ts";

export type Dimension = QualityIssue["dimension"];

export interface Rule {
  dimension: Dimension;
  severity: QualityIssue["severity"];
  penalty: number;
  cap: number;
}

export const RULES = {
  // completeness
  "empty-output": { dimension: "completeness", severity: "error", penalty: 100, cap: 100 },
  "no-code": { dimension: "completeness", severity: "error", penalty: 60, cap: 60 },
  "missing-entry-point": { dimension: "completeness", severity: "error", penalty: 25, cap: 25 },
  "missing-component": { dimension: "completeness", severity: "error", penalty: 20, cap: 20 },
  "missing-manifest": { dimension: "completeness", severity: "error", penalty: 20, cap: 20 },
  "missing-config": { dimension: "completeness", severity: "warning", penalty: 8, cap: 16 },
  "missing-styles": { dimension: "completeness", severity: "warning", penalty: 8, cap: 8 },
  "unresolved-import": { dimension: "completeness", severity: "error", penalty: 20, cap: 40 },
  "undeclared-package": { dimension: "completeness", severity: "error", penalty: 10, cap: 30 },
  "missing-requirement": { dimension: "completeness", severity: "error", penalty: 20, cap: 60 },
  "too-few-files": { dimension: "completeness", severity: "warning", penalty: 10, cap: 10 },
  "text-too-short": { dimension: "completeness", severity: "error", penalty: 40, cap: 40 },
  "text-off-topic": { dimension: "completeness", severity: "warning", penalty: 20, cap: 20 },
  // code quality
  "syntax-error": { dimension: "codeQuality", severity: "error", penalty: 50, cap: 80 },
  "malformed-file": { dimension: "codeQuality", severity: "error", penalty: 20, cap: 40 },
  "any-type": { dimension: "codeQuality", severity: "warning", penalty: 4, cap: 20 },
  "untyped-export": { dimension: "codeQuality", severity: "warning", penalty: 4, cap: 12 },
  "unused-import": { dimension: "codeQuality", severity: "warning", penalty: 4, cap: 16 },
  "unused-variable": { dimension: "codeQuality", severity: "warning", penalty: 4, cap: 16 },
  "many-components": { dimension: "codeQuality", severity: "info", penalty: 3, cap: 9 },
  "long-file": { dimension: "codeQuality", severity: "warning", penalty: 5, cap: 15 },
  "naming": { dimension: "codeQuality", severity: "warning", penalty: 4, cap: 12 },
  "unreachable-code": { dimension: "codeQuality", severity: "warning", penalty: 8, cap: 16 },
  "console-log": { dimension: "codeQuality", severity: "info", penalty: 2, cap: 8 },
  "text-unstructured": { dimension: "codeQuality", severity: "warning", penalty: 20, cap: 20 },
  // functionality
  "build-broken": { dimension: "functionality", severity: "error", penalty: 40, cap: 40 },
  "nothing-runs": { dimension: "functionality", severity: "error", penalty: 100, cap: 100 },
  "inert-ui": { dimension: "functionality", severity: "error", penalty: 30, cap: 30 },
  "dead-button": { dimension: "functionality", severity: "error", penalty: 15, cap: 45 },
  "dead-handler": { dimension: "functionality", severity: "error", penalty: 15, cap: 30 },
  "form-without-submit": { dimension: "functionality", severity: "error", penalty: 20, cap: 40 },
  "submit-reloads-page": { dimension: "functionality", severity: "warning", penalty: 10, cap: 20 },
  "state-never-updated": { dimension: "functionality", severity: "warning", penalty: 8, cap: 24 },
  "state-never-read": { dimension: "functionality", severity: "warning", penalty: 5, cap: 15 },
  "uncontrolled-value": { dimension: "functionality", severity: "error", penalty: 10, cap: 20 },
  "missing-routes": { dimension: "functionality", severity: "error", penalty: 20, cap: 20 },
  "text-without-examples": { dimension: "functionality", severity: "info", penalty: 10, cap: 10 },
  // performance
  "large-file": { dimension: "performance", severity: "warning", penalty: 10, cap: 30 },
  "no-code-splitting": { dimension: "performance", severity: "info", penalty: 10, cap: 10 },
  "list-without-key": { dimension: "performance", severity: "warning", penalty: 15, cap: 30 },
  "effect-without-deps": { dimension: "performance", severity: "warning", penalty: 15, cap: 30 },
  "render-loop": { dimension: "performance", severity: "error", penalty: 30, cap: 60 },
  "text-too-long": { dimension: "performance", severity: "info", penalty: 10, cap: 10 },
} as const satisfies Record<string, Rule>;

export type RuleId = keyof typeof RULES;

/** A place where a rule was broken. */
export interface Finding {
  rule: RuleId;
  message: string;
  file?: string;
  line?: number;
}
