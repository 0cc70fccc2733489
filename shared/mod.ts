// What frontend apps and backend services import: the orchestrator's contract (the same zod schemas the
// function validates with), the database types, and a typed client over supabase-js.

export * from "../supabase/functions/_shared/contract.ts";
export type { Database, Json } from "../supabase/functions/_shared/database.types.ts";
export {
  cancelJob,
  createJob,
  estimateOrchestration,
  exportData,
  FUNCTION_NAME,
  getInsights,
  getJob,
  getRecommendations,
  getStats,
  invokeOrchestrator,
  listJobs,
  type OrchestratorError,
  type OrchestratorResult,
  readEventStream,
  type Result,
  sendFeedback,
  type ServerSentEvent,
  type StreamOptions,
  streamOrchestration,
  waitForJob,
} from "./client.ts";
