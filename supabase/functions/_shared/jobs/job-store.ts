// What jobs need of Postgres (implemented in store/postgres.ts): create one (idempotently), report its
// progress and heartbeat, finish it, cancel it, and read a user's own.

import type { ErrorEvent, Job, JobList, JobStatus, OrchestrateRequest, ProgressEvent } from "../contract.ts";

export interface NewJob {
  userId: string;
  requestId: string;
  request: OrchestrateRequest;
  requestHash: string;
  idempotencyKey: string | null;
}

export type CreatedJob =
  | { conflict: false; job: Job; created: boolean }
  /** The key was used for another body within 24 h. */
  | { conflict: true; jobId: string };

export interface JobStore {
  createJob(job: NewJob): Promise<CreatedJob>;
  /** Appends events and beats; returns the job's status (so a worker learns of a cancel), null if gone. */
  jobProgress(jobId: string, events: ProgressEvent[]): Promise<JobStatus | null>;
  /** False when the job had already ended (cancelled, or failed by the sweep). */
  finishJob(
    jobId: string,
    outcome: {
      status: "succeeded" | "failed";
      events: ProgressEvent[];
      result: unknown;
      error: ErrorEvent | null;
    },
  ): Promise<boolean>;
  cancelJob(userId: string, jobId: string): Promise<"cancelled" | "finished" | "not_found">;
  /** The user's job; null when there is none of theirs. */
  readJob(userId: string, jobId: string): Promise<Job | null>;
  listJobs(userId: string, query: { status?: JobStatus; limit: number }): Promise<JobList>;
}
