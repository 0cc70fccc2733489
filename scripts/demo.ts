// The sample orchestration `npm start` runs: one request through supabase-js as the demo user, a
// readable summary of what happened, and the ranking the database now holds for the task type.
//
//   deno run -A scripts/demo.ts [request]     (with the stack's env file loaded)

import { createClient } from "@supabase/supabase-js";
import postgres from "postgres";
import { getRecommendations, invokeOrchestrator } from "../shared/mod.ts";

const env = (name: string) => {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set: load .local/stack.env first`);
  return value;
};

const request = Deno.args[0] ?? "Build a todo app with authentication";
// The stack's env file lists the providers it simulates (scripts/model-simulator/stack-env.ts).
const simulated = (Deno.env.get("SIMULATED_PROVIDERS") ?? "").split(",").filter(Boolean);
const userId = env("DEMO_USER_ID");
const supabase = createClient(env("SUPABASE_URL"), env("SUPABASE_PUBLISHABLE_KEY"), {
  accessToken: () => Promise.resolve(env("DEMO_USER_JWT")),
});

/** Rows as columns two spaces apart, each as wide as its widest cell (model names vary in length). */
function table(header: string[], rows: unknown[][]): string {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  return cells.map((row) =>
    `  ${row.map((cell, column) => cell.padEnd(widths[column])).join("  ")}`.trimEnd()
  )
    .join("\n");
}
const money = (usd: number) => `$${usd.toFixed(6)}`;
const ms = (value: number) => `${value.toLocaleString("en-US")} ms`;

console.log(
  simulated.length
    ? `\nModels: SIMULATED ${
      simulated.join(", ")
    } (no real key set for them). Outputs are labelled simulated.`
    : "\nModels: the real provider APIs whose keys are set.",
);
console.log(`Request: "${request}" as the demo user ${userId}\n`);

const { data, error } = await invokeOrchestrator(supabase, { request });
if (error) {
  console.error(`The orchestrator answered ${error.status} ${error.code}: ${error.message}`);
  Deno.exit(1);
}

const { profile, metrics, quality } = data;
console.log(
  `Profile: ${profile.taskType}, ${profile.complexity} complexity (${profile.complexityScore}), requirements: ${
    profile.requirements.join(", ") || "none"
  }`,
);
console.log(`Mode: ${metrics.mode}, quality threshold ${metrics.qualityThreshold}\n`);
console.log(table(
  ["#", "model", "approach", "result", "score", "duration", "cost"],
  data.attempts.map((attempt, i) => [
    i + 1,
    attempt.strategy.model,
    attempt.strategy.approach,
    attempt.success ? "ok" : `failed: ${attempt.error?.class}`,
    attempt.qualityScore ?? "-",
    ms(attempt.durationMs),
    money(attempt.costUsd),
  ]),
));
console.log(
  `\nWinner: ${data.strategy.model} / ${data.strategy.approach}, score ${data.qualityScore} ` +
    `(completeness ${quality.completeness}, code quality ${quality.codeQuality}, ` +
    `functionality ${quality.functionality}, performance ${quality.performance}; ${quality.issues.length} issues)`,
);
console.log(`Files (${data.files.length}): ${data.files.map((file) => file.path).join(", ")}`);
console.log(
  `Total: ${metrics.strategiesTried} ${metrics.strategiesTried === 1 ? "strategy" : "strategies"} tried, ${
    ms(metrics.totalDurationMs)
  }, ${money(metrics.totalCostUsd)}` +
    (metrics.earlyExit ? ", stopped early at the threshold" : ""),
);

// The rows are written in the background after the response; wait for them, then show the ranking the
// function now serves (GET …/recommendations: get_best_model_for_task, configured providers only).
const sql = postgres(env("SUPABASE_DB_URL"), { max: 1, onnotice: () => {} });
try {
  const deadline = Date.now() + 10_000;
  while (
    (await sql`select 1 from public.model_selections where request_id = ${data.requestId}`).length === 0
  ) {
    if (Date.now() > deadline) {
      throw new Error("the request's rows did not appear in the database within 10 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
} finally {
  await sql.end();
}
const advice = await getRecommendations(supabase, { taskType: profile.taskType });
if (advice.error) {
  console.error(
    `The recommendations answered ${advice.error.status} ${advice.error.code}: ${advice.error.message}`,
  );
  Deno.exit(1);
}
console.log(`\nBest strategies for "${profile.taskType}" now (GET …/recommendations, configured providers):`);
console.log(table(
  ["rank", "model", "approach", "yours", "others", "success", "quality", "bound"],
  advice.data.recommendations[0].ranking.slice(0, 5).map((row, i) => [
    i + 1,
    row.model,
    row.approach,
    row.samples,
    row.priorSamples,
    row.successRate === null ? "-" : `${Math.round(row.successRate * 100)}%`,
    row.meanQuality ?? "-",
    row.qualityLowerBound,
  ]),
));
