// The sample orchestration `npm start` runs: one request through supabase-js as the demo user, a
// readable summary of what happened, and the ranking the database now holds for the task type.
//
//   deno run -A scripts/demo.ts [request]     (with the stack's env file loaded)

import { createClient } from "@supabase/supabase-js";
import postgres from "postgres";
import { invokeOrchestrator } from "../shared/mod.ts";

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

const pad = (value: unknown, width: number) => String(value).padEnd(width);
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
console.log(
  `  #  ${pad("model", 23)}${pad("approach", 13)}${pad("result", 20)}${pad("score", 8)}${
    pad("duration", 11)
  }cost`,
);
data.attempts.forEach((attempt, i) => {
  const result = attempt.success ? "ok" : `failed: ${attempt.error?.class}`;
  console.log(
    `  ${i + 1}  ${pad(attempt.strategy.model, 23)}${pad(attempt.strategy.approach, 13)}${pad(result, 20)}${
      pad(attempt.qualityScore ?? "-", 8)
    }${pad(ms(attempt.durationMs), 11)}${money(attempt.costUsd)}`,
  );
});
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

// The rows are written in the background after the response; wait for them, then show the ranking.
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
  const ranking =
    await sql`select * from public.get_best_model_for_task(${userId}, ${profile.taskType}) limit 5`;
  console.log(`\nBest strategies for "${profile.taskType}" now (get_best_model_for_task):`);
  console.log(
    `  ${pad("rank", 6)}${pad("model", 23)}${pad("approach", 13)}${pad("yours", 7)}${pad("others", 8)}` +
      `${pad("success", 9)}${pad("quality", 9)}${pad("bound", 7)}`,
  );
  for (const row of ranking) {
    console.log(
      `  ${pad(row.rank, 6)}${pad(row.model_name, 23)}${pad(row.approach, 13)}${pad(row.samples, 7)}${
        pad(row.prior_samples, 8)
      }${pad(`${Math.round(Number(row.success_rate) * 100)}%`, 9)}${pad(row.mean_quality ?? "-", 9)}${
        pad(row.quality_lower_bound, 7)
      }`,
    );
  }
} finally {
  await sql.end();
}
