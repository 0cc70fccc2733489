// The CSV export: one row per attempt, for analysis (a request answered from the cache: one row without
// an attempt). RFC 4180 quoting; a field that a spreadsheet would run as a formula is prefixed with '.

import { type ExportRow, profileOf } from "./rows.ts";

export const CSV_COLUMNS = [
  "request_id",
  "created_at",
  "task_type",
  "complexity",
  "requirements",
  "mode",
  "tier",
  "selected_model",
  "selected_approach",
  "request_quality",
  "confidence",
  "feedback",
  "rating",
  "cached_from",
  "model",
  "provider",
  "approach",
  "success",
  "error_class",
  "quality_score",
  "duration_ms",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "is_winner",
  "request_text",
] as const;

function field(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvHeader = () => `${CSV_COLUMNS.join(",")}\r\n`;

export function csvLine(row: ExportRow): string {
  const profile = profileOf(row);
  const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    request_id: row.request_id,
    created_at: row.created_at,
    task_type: row.task_type,
    complexity: profile?.complexity,
    requirements: profile?.requirements.join(" "),
    mode: row.mode,
    tier: row.tier,
    selected_model: row.selected_model,
    selected_approach: row.selected_approach,
    request_quality: row.request_quality,
    confidence: row.confidence,
    feedback: row.feedback,
    rating: row.rating,
    cached_from: row.cached_from,
    model: row.model_name,
    provider: row.provider,
    approach: row.approach,
    success: row.success,
    error_class: row.error_class,
    quality_score: row.quality_score,
    duration_ms: row.duration_ms,
    input_tokens: row.input_tokens,
    output_tokens: row.output_tokens,
    cost_usd: row.cost_usd,
    is_winner: row.is_winner,
    request_text: row.request_text,
  };
  return `${CSV_COLUMNS.map((column) => field(values[column])).join(",")}\r\n`;
}
