// The multi-model-orchestrator Edge Function: the HTTP edge only; the pipeline lives in ../_shared.
import { dependenciesFromEnv } from "../_shared/dependencies.ts";
import { createOrchestratorHandler } from "../_shared/http/handler.ts";

Deno.serve(createOrchestratorHandler(await dependenciesFromEnv()));
