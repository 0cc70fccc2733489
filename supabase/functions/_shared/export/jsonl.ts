// The JSONL export, for fine-tuning: one line per request whose output was stored, in the chat shape —
// the system prompt and the request as the model was asked (without the context files' contents, which
// are not kept), and the assistant's answer as the {"files": [...]} JSON it returned — with the request's
// metadata. A request without a stored output is left out (the CSV has its metadata).

import type { ExportLine } from "../contract.ts";
import { simplePrompt, systemPrompt } from "../run/prompts.ts";
import { type ExportRow, profileOf } from "./rows.ts";

const numberOrNull = (value: string | null) => value === null ? null : Number(value);

/** The line of a request (all its rows, the winner's among them); null when it stored no output. */
export function jsonlLine(rows: ExportRow[]): string | null {
  const [first] = rows;
  const profile = profileOf(first);
  if (!first.files || first.request_text === null || !first.selected_model || !profile) return null;
  const input = { request: first.request_text, contextFiles: [], profile };
  const paths = first.context_paths ?? [];
  const asked = paths.length
    ? `${simplePrompt(input)}\n\nExisting files (not included here): ${paths.join(", ")}`
    : simplePrompt(input);
  const line: ExportLine = {
    messages: [
      { role: "system", content: systemPrompt(input) },
      { role: "user", content: asked },
      { role: "assistant", content: JSON.stringify({ files: first.files }) },
    ],
    metadata: {
      requestId: first.request_id,
      createdAt: first.created_at.toISOString(),
      taskType: profile.taskType,
      complexity: profile.complexity,
      requirements: profile.requirements,
      model: first.selected_model,
      approach: first.selected_approach as ExportLine["metadata"]["approach"],
      quality: numberOrNull(first.request_quality),
      confidence: numberOrNull(first.confidence),
      feedback: first.feedback,
      rating: first.rating,
      contextPaths: paths,
    },
  };
  return `${JSON.stringify(line)}\n`;
}
