// The multi-model-orchestrator Edge Function: the HTTP edge only; the pipeline lives in ../_shared.
import { dependenciesFromEnv } from "../_shared/config.ts";
import { createOrchestratorHandler } from "../_shared/http.ts";

Deno.serve(createOrchestratorHandler(dependenciesFromEnv()));
