// An export as a stream: rows are read batch by batch and written as they come, so memory stays the same
// whatever the size of the export; a client that stops reading stops the reading.

import type { ExportQuery } from "../contract.ts";
import { csvHeader, csvLine } from "./csv.ts";
import { jsonlLine } from "./jsonl.ts";
import type { ExportRow } from "./rows.ts";

const encoder = new TextEncoder();

/** The export's text, batch by batch; JSONL groups each request's rows (they arrive together). */
async function* exportText(format: ExportQuery["format"], batches: AsyncIterable<ExportRow[]>) {
  if (format === "csv") {
    yield csvHeader();
    for await (const batch of batches) yield batch.map(csvLine).join("");
    return;
  }
  let request: ExportRow[] = [];
  for await (const batch of batches) {
    let text = "";
    for (const row of batch) {
      if (request.length && request[0].request_id !== row.request_id) {
        text += jsonlLine(request) ?? "";
        request = [];
      }
      request.push(row);
    }
    yield text;
  }
  if (request.length) yield jsonlLine(request) ?? "";
}

export function exportStream(format: ExportQuery["format"], batches: AsyncIterable<ExportRow[]>) {
  const text = exportText(format, batches);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // A pull that enqueues nothing is not called again: read on until there is text, or the end.
      while (true) {
        const next = await text.next();
        if (next.done) return controller.close();
        if (next.value) return controller.enqueue(encoder.encode(next.value));
      }
    },
    async cancel() {
      await text.return(undefined);
    },
  });
}
