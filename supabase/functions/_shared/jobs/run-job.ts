// Runs a job in the background of the worker that took it: the request is orchestrated as any other,
// its progress events are written to the job as they happen (in order, one write at a time), a heartbeat
// shows the worker is alive, and the rows are recorded before the job says it has ended. A job cancelled
// elsewhere is noticed at the next write or beat and its model calls are aborted; one cancelled on this
// worker is aborted at once (`RunningJobs`).

import type { OrchestrateRequest, ProgressEvent } from "../contract.ts";
import { orchestrate, type OrchestratorDeps } from "../orchestrate.ts";
import { type PersistOptions, persistRecords } from "../store/persist.ts";
import type { OrchestratorStore } from "../store/postgres.ts";
import type { JobStore } from "./job-store.ts";

/** The jobs this worker is running, by id: what aborts one. */
export class RunningJobs {
  #running = new Map<string, AbortController>();

  start(jobId: string): AbortSignal {
    const controller = new AbortController();
    this.#running.set(jobId, controller);
    return controller.signal;
  }

  /** Aborts the job's model calls, if it runs here. */
  cancel(jobId: string): void {
    this.#running.get(jobId)?.abort(new DOMException("the job was cancelled", "AbortError"));
  }

  end(jobId: string): void {
    this.#running.delete(jobId);
  }
}

export interface JobRunDeps {
  orchestrator: OrchestratorDeps;
  jobs: JobStore;
  store: Pick<OrchestratorStore, "record">;
  persist: Omit<PersistOptions, "log">;
  running: RunningJobs;
  heartbeatMs: number;
}

export interface JobToRun {
  jobId: string;
  requestId: string;
  userId: string;
  body: OrchestrateRequest;
}

/** Writes a job's events in order, one write at a time; each write is also a heartbeat. */
class JobReporter {
  #pending: ProgressEvent[] = [];
  #writes: Promise<void> = Promise.resolve();

  constructor(readonly jobId: string, readonly deps: JobRunDeps, readonly onCancelled: () => void) {}

  report(event: ProgressEvent): void {
    this.#pending.push(event);
    this.flush();
  }

  /** Writes what is pending (or only beats, with nothing pending). */
  flush(): Promise<void> {
    this.#writes = this.#writes.then(async () => {
      const events = this.#pending.splice(0);
      try {
        const status = await this.deps.jobs.jobProgress(this.jobId, events);
        if (status === "cancelled") this.onCancelled();
      } catch (error) {
        // A missed beat is no failure; the events go with the next write.
        this.#pending.unshift(...events);
        this.deps.orchestrator.log({
          level: "warn",
          msg: "job_progress_failed",
          jobId: this.jobId,
          error: String(error),
        });
      }
    });
    return this.#writes;
  }

  /** Waits for the writes in flight; returns what is still unwritten. */
  async settled(): Promise<ProgressEvent[]> {
    await this.#writes;
    return this.#pending.splice(0);
  }
}

export async function runJob(job: JobToRun, deps: JobRunDeps): Promise<void> {
  const { orchestrator } = deps;
  const signal = deps.running.start(job.jobId);
  const reporter = new JobReporter(job.jobId, deps, () => deps.running.cancel(job.jobId));
  const heartbeat = setInterval(() => reporter.flush(), deps.heartbeatMs);
  try {
    await reporter.flush();
    const result = await orchestrate({
      body: job.body,
      userId: job.userId,
      requestId: job.requestId,
      signal,
      progress: (event) => reporter.report(event),
    }, orchestrator);
    if (result.records) {
      await persistRecords(deps.store, result.records, { ...deps.persist, log: orchestrator.log });
    }
    const events = await reporter.settled();
    await deps.jobs.finishJob(
      job.jobId,
      result.ok ? { status: "succeeded", events, result: result.response, error: null } : {
        status: "failed",
        events,
        result: null,
        error: result.refusal.withDetails({ requestId: job.requestId, attempts: result.attempts })
          .toErrorEvent(),
      },
    );
  } catch (error) {
    orchestrator.log({ level: "error", msg: "job_failed", jobId: job.jobId, error: String(error) });
    const failure = {
      code: "internal_error",
      message: "the orchestrator failed unexpectedly",
      details: { requestId: job.requestId },
    };
    await deps.jobs.finishJob(job.jobId, {
      status: "failed",
      events: [],
      result: null,
      error: { status: 500, error: failure },
    })
      .catch(() => {});
  } finally {
    clearInterval(heartbeat);
    deps.running.end(job.jobId);
  }
}
