// Feedback on a result, stored by the request's own user: it replaces earlier feedback on the request
// (kept as history) and moves the statistics of the model that won it (public.record_feedback). A
// request's rows are written just after its response, so feedback that arrives first waits for them.

import type { Clock } from "../clock.ts";
import type { FeedbackRequest, FeedbackResponse } from "../contract.ts";
import { Refusal } from "../refusal.ts";

export interface FeedbackStore {
  /** The stored feedback, or null when the request is not the user's (or not recorded yet). */
  recordFeedback(userId: string, feedback: FeedbackRequest): Promise<FeedbackResponse | null>;
}

/** How long feedback waits for its request's rows, and how often it looks. */
export const FEEDBACK_WAIT = { ms: 5_000, everyMs: 200 };

export async function recordFeedback(
  body: FeedbackRequest,
  userId: string,
  deps: { feedback: FeedbackStore; clock: Clock },
  signal: AbortSignal,
): Promise<FeedbackResponse | Refusal> {
  const started = deps.clock.now();
  for (;;) {
    const stored = await deps.feedback.recordFeedback(userId, body);
    if (stored) return stored;
    if (deps.clock.now() - started >= FEEDBACK_WAIT.ms || signal.aborted) {
      // Another user's request answers exactly as one that does not exist.
      return new Refusal(404, "not_found", `no request ${body.requestId} of yours`);
    }
    await deps.clock.sleep(FEEDBACK_WAIT.everyMs, signal).catch(() => {});
  }
}
