// What frontend apps and backend services import: the orchestrator's contract (the same zod schemas the
// function validates with), the database types, and a typed client over supabase-js.

export * from "../supabase/functions/_shared/contract.ts";
export type { Database, Json } from "../supabase/functions/_shared/database.types.ts";
export {
  estimateOrchestration,
  FUNCTION_NAME,
  getRecommendations,
  invokeOrchestrator,
  type OrchestratorError,
  type OrchestratorResult,
  type Result,
  sendFeedback,
} from "./client.ts";
