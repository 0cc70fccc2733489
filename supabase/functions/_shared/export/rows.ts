// What an export reads: one row per attempt (a cached request: one row without an attempt), in request
// order, with its request's outcome, feedback and stored output — in batches, so that an export of any
// size is read and written in constant memory. Implemented by store/postgres.ts (export_rows).

import { type ExportQuery, type GeneratedFile, type TaskProfile, TaskProfileSchema } from "../contract.ts";

export interface ExportRow {
  request_id: string;
  user_id: string;
  created_at: Date;
  task_type: string;
  /** As stored: the function writes a whole profile; a row written by other means may hold any object. */
  task_profile: unknown;
  selected_model: string | null;
  selected_approach: string | null;
  request_quality: string | null;
  confidence: string | null;
  mode: string;
  tier: string | null;
  cached_from: string | null;
  feedback: "accepted" | "rejected" | "none";
  rating: number | null;
  model_name: string | null;
  provider: string | null;
  approach: string | null;
  success: boolean | null;
  error_class: string | null;
  quality_score: string | null;
  duration_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: string | null;
  is_winner: boolean;
  /** Set only when the request's output was stored. */
  request_text: string | null;
  context_paths: string[] | null;
  files: GeneratedFile[] | null;
}

/** Whose rows: one user's, or (null) everyone's. */
export type ExportFilter = Omit<ExportQuery, "format" | "userId"> & { userId: string | null };

export interface ExportSource {
  exportRows(filter: ExportFilter): AsyncIterable<ExportRow[]>;
}

/** The row's profile when it is one the function wrote; null otherwise. */
export function profileOf(row: ExportRow): TaskProfile | null {
  const parsed = TaskProfileSchema.safeParse(row.task_profile);
  return parsed.success ? parsed.data : null;
}
