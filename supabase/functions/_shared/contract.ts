// The request/response contract of the multi-model-orchestrator endpoint: the one source of truth, used
// by the function to validate, by shared/ for frontend types and by scripts/gen-contract-schema.ts for
// the published JSON Schema.

import * as z from "zod";

export const TASK_TYPES = ["generation", "edit", "fix", "refactor", "style", "explain", "test"] as const;
export const COMPLEXITIES = ["low", "medium", "high"] as const;
/** The approaches a plan may hold; an attempt may also be a refinement round of an earlier output. */
export const APPROACHES = ["simple", "progressive"] as const;
export const ATTEMPT_APPROACHES = [...APPROACHES, "refine"] as const;
export const MODES = ["sequential", "parallel", "hedged", "consensus"] as const;
export const VERDICTS = ["pass", "fail", "uncertain", "unavailable"] as const;
/** premium: the highest expected quality; balanced: the cheapest within a tolerance of the best;
 * budget: the cheapest that clears a quality floor. */
export const TIERS = ["premium", "balanced", "budget"] as const;
export const ERROR_CLASSES = [
  "rate_limit",
  "timeout",
  "server",
  "network",
  "safety_block",
  "malformed_output",
  "auth",
  "invalid_request",
  "cancelled",
  /** The call could not fit in what the request reserved of the user's budget. */
  "budget_exceeded",
  "unknown",
] as const;

export type TaskType = (typeof TASK_TYPES)[number];
export type Complexity = (typeof COMPLEXITIES)[number];
export type Approach = (typeof APPROACHES)[number];
export type AttemptApproach = (typeof ATTEMPT_APPROACHES)[number];
export type Mode = (typeof MODES)[number];
export type Verdict = (typeof VERDICTS)[number];
export type Tier = (typeof TIERS)[number];
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** Lengths count Unicode code points, as JSON Schema's maxLength does. */
export const LIMITS = {
  /** Request body, in bytes, before JSON parsing. */
  bodyBytes: 1_000_000,
  requestChars: 20_000,
  conversationIdChars: 200,
  frameworkChars: 50,
  contextFiles: 50,
  fileChars: 100_000,
  /** All context files together. */
  contextChars: 400_000,
  pathChars: 300,
  modelIdChars: 200,
} as const;

export const DEFAULT_QUALITY_THRESHOLD = 70;

/** Text from outside the contract (a provider's error message or model version) made storable on its way
 * into Postgres: NUL and unpaired surrogates become U+FFFD. */
export function storableText(value: string): string {
  return value.replaceAll("\u0000", "\uFFFD").toWellFormed();
}

/** Strings of the contract: only what Postgres can store, so an accepted request can always be recorded.
 * Written as patterns so that the published JSON Schema says the same (validators read patterns with
 * Unicode semantics: a surrogate pair is one code point, outside the range an unpaired one falls in). */
const text = () =>
  // deno-lint-ignore no-control-regex -- the NUL is what the pattern is about
  z.string().regex(/^[^\u0000]*$/, "must not contain NUL characters").regex(
    /^[^\uD800-\uDFFF]*$/u,
    "must be well-formed Unicode (no unpaired surrogates)",
  );

/** A relative POSIX path inside the project: each rule a pattern (for the JSON Schema) and its message. */
const PATH_RULES: Array<[RegExp, string]> = [
  // deno-lint-ignore no-control-regex -- control characters are what the pattern is about
  [/^[^\u0000-\u001f\u007f\u2028\u2029]*$/, "must not contain control or line-break characters"],
  [/^[^\\]*$/, "must use / between folders, not \\"],
  [/^(?!\/)/, "must be relative (no leading /)"],
  [/^(?![A-Za-z]:)/, "must not start with a drive letter"],
  [/^(?!(?:.*\/)?\.{0,2}(?:\/|$))/, "must not have empty, '.' or '..' segments"],
];

/** Why a path is not a relative POSIX path inside the project, or null when it is one. */
export function pathProblem(path: string): string | null {
  return PATH_RULES.find(([rule]) => !rule.test(path))?.[1] ?? null;
}

const projectPath = PATH_RULES.reduce(
  (schema, [rule, message]) => schema.regex(rule, message),
  text().min(1).max(LIMITS.pathChars),
);

/** A file as models return it: extra keys are dropped. */
export const FileSchema = z.object({
  path: projectPath,
  content: text().max(LIMITS.fileChars),
});

/** Lists of files hold each path once. */
export function uniquePaths(files: Array<{ path: string }>, ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  files.forEach((file, index) => {
    if (seen.has(file.path)) {
      ctx.addIssue({
        code: "custom",
        path: [index, "path"],
        message: `"${file.path}" appears more than once`,
      });
    }
    seen.add(file.path);
  });
}

const codePoints = (value: string) => {
  let count = 0;
  for (const _ of value) count++;
  return count;
};

export const OrchestrateRequestSchema = z
  .strictObject({
    request: text().min(1).max(LIMITS.requestChars).regex(/\S/, "must not be blank"),
    conversationId: text().min(1).max(LIMITS.conversationIdChars).optional(),
    context: z
      .strictObject({
        files: z.array(FileSchema.strict()).max(LIMITS.contextFiles).superRefine(uniquePaths).optional()
          .describe(
            `Each path once; ${LIMITS.contextChars} characters of content at most, all files together.`,
          ),
        framework: text().min(1).max(LIMITS.frameworkChars).optional(),
      })
      .optional(),
    /** The seed's name for `mode: "parallel"`. */
    parallelExecution: z.boolean().optional().describe(
      'Must agree with mode when both are sent (true: "parallel").',
    ),
    mode: z.enum(MODES).optional(),
    /** Hedged mode: how long the leading strategy runs alone before the next starts. */
    hedgeDelayMs: z.number().int().min(0).max(60_000).optional().describe('Only with mode "hedged".'),
    qualityThreshold: z.number().min(0).max(100).optional(),
    maxStrategies: z.number().int().min(1).max(5).optional().describe('At least 2 with mode "consensus".'),
    /** The quality tier to plan for; default: the user's setting, else "balanced". */
    tier: z.enum(TIERS).optional(),
    /** Favour free local models when their expected quality is close; default: the user's setting. */
    preferLocal: z.boolean().optional(),
    /** false: plan from expected qualities only, never from an exploration draw. Default true. */
    explore: z.boolean().optional(),
    /** Refinement: how many rounds may send the best output back with its issues (default 1 in sequential
     * and hedged mode, 0 otherwise, or the user's setting). */
    refine: z.strictObject({ maxRounds: z.number().int().min(0).max(3) }).optional(),
    /** Have another model review the winner (default: the user's setting, else false). */
    verify: z.boolean().optional(),
    /** false: never answer from the result cache (nor fill it). Default true. */
    cache: z.boolean().optional(),
    /** Only these catalog models (model ids) are candidates; the tier still orders them. */
    models: z.array(text().min(1).max(LIMITS.modelIdChars)).min(1).max(20).optional(),
    /** Honoured only for callers holding a secret key; a user's identity comes from their JWT. */
    userId: z.uuid().optional(),
  })
  .superRefine((body, ctx) => {
    if (
      body.mode && body.parallelExecution !== undefined &&
      (body.mode === "parallel") !== body.parallelExecution
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["parallelExecution"],
        message: `contradicts mode "${body.mode}"; send one of them`,
      });
    }
    if (body.hedgeDelayMs !== undefined && body.mode !== "hedged") {
      ctx.addIssue({ code: "custom", path: ["hedgeDelayMs"], message: 'applies only to mode "hedged"' });
    }
    if (body.mode === "consensus" && body.maxStrategies === 1) {
      ctx.addIssue({ code: "custom", path: ["maxStrategies"], message: "consensus compares 2 to 5 outputs" });
    }
    const contextChars = (body.context?.files ?? []).reduce((sum, file) => sum + codePoints(file.content), 0);
    if (contextChars > LIMITS.contextChars) {
      ctx.addIssue({
        code: "custom",
        path: ["context", "files"],
        message: `context files total ${contextChars} characters; the limit is ${LIMITS.contextChars}`,
      });
    }
  });

export type OrchestrateRequest = z.infer<typeof OrchestrateRequestSchema>;

/** The mode a request runs in: `mode`, else the seed's `parallelExecution`, else sequential. */
export function modeOf(body: Pick<OrchestrateRequest, "mode" | "parallelExecution">): Mode {
  return body.mode ?? (body.parallelExecution ? "parallel" : "sequential");
}

/** A validation problem as every error body lists it: where, and what is wrong there. */
export interface Problem {
  path: string;
  message: string;
}

/** zod's issues as problems; `where` names the whole input (the body, the query). */
export function problemsOf(error: z.ZodError, where = "(body)"): Problem[] {
  return error.issues.map((issue) => ({ path: issue.path.join(".") || where, message: issue.message }));
}
export type GeneratedFile = z.infer<typeof FileSchema>;

export const StrategySchema = z.object({
  model: z.string(),
  provider: z.string(),
  approach: z.enum(APPROACHES),
});
export type Strategy = z.infer<typeof StrategySchema>;

/** The strategy behind an attempt: a planned one, or a refinement round (approach "refine"). */
export const AttemptStrategySchema = StrategySchema.extend({ approach: z.enum(ATTEMPT_APPROACHES) });
export type AttemptStrategy = z.infer<typeof AttemptStrategySchema>;

export const QualityIssueSchema = z.object({
  /** The scorer's rule that found it, e.g. "unresolved-import". */
  rule: z.string(),
  dimension: z.enum(["completeness", "codeQuality", "functionality", "performance"]),
  severity: z.enum(["error", "warning", "info"]),
  file: z.string().optional(),
  line: z.number().int().optional(),
  message: z.string(),
});
export type QualityIssue = z.infer<typeof QualityIssueSchema>;

export const QualitySchema = z.object({
  overall: z.number().min(0).max(100),
  completeness: z.number().min(0).max(100),
  codeQuality: z.number().min(0).max(100),
  functionality: z.number().min(0).max(100),
  performance: z.number().min(0).max(100),
  issues: z.array(QualityIssueSchema),
});
export type Quality = z.infer<typeof QualitySchema>;

/** The intent call: where the rules were unsure of the task type, the cheapest configured model was asked
 * (ORCHESTRATOR_INTENT_CALL). `decided`: its answer is the task type; `agreed`: it named the rules' type;
 * `failed`: no usable answer (timeout, error, out of shape), the rules' type stands. */
export const IntentCallSchema = z.object({
  model: z.string(),
  provider: z.string(),
  outcome: z.enum(["decided", "agreed", "failed"]),
  /** What the rules read. */
  rulesTaskType: z.enum(TASK_TYPES),
  /** What the model answered; null when it failed. */
  answeredTaskType: z.enum(TASK_TYPES).nullable(),
  costUsd: z.number().min(0),
  durationMs: z.number().int().min(0),
  error: z.string().optional(),
});
export type IntentCall = z.infer<typeof IntentCallSchema>;

export const TaskProfileSchema = z.object({
  taskType: z.enum(TASK_TYPES),
  complexity: z.enum(COMPLEXITIES),
  /** 0–1; the complexity level is read off this score. */
  complexityScore: z.number().min(0).max(1),
  requirements: z.array(z.string()),
  /** How strongly each task type matched, for transparency. */
  taskScores: z.record(z.string(), z.number()),
  /** How sure the profiler is of the task type, 0-1: (top - second) / top of the task scores. */
  taskTypeConfidence: z.number().min(0).max(1),
  contextFileCount: z.number().int().min(0),
  /** Present when the intent call was made for this request. */
  intent: IntentCallSchema.optional(),
});
export type TaskProfile = z.infer<typeof TaskProfileSchema>;

export const AttemptSchema = z.object({
  strategy: AttemptStrategySchema,
  success: z.boolean(),
  qualityScore: z.number().min(0).max(100).nullable(),
  durationMs: z.number().int().min(0),
  tokens: z.object({ input: z.number().int().min(0), output: z.number().int().min(0) }),
  costUsd: z.number().min(0),
  /** The model version that answered, as the provider reported it (e.g. "gemini-2.5-flash-simulated"). */
  modelVersion: z.string().nullable(),
  /** Calls repeated after a rate limit, server or network error. */
  retries: z.number().int().min(0),
  error: z.object({ class: z.enum(ERROR_CLASSES), message: z.string() }).nullable(),
});
export type Attempt = z.infer<typeof AttemptSchema>;

export const BudgetSchema = z.object({
  month: z.string(),
  monthlyBudgetUsd: z.number().min(0),
  spentUsd: z.number().min(0),
  /** Held by requests still running. */
  reservedUsd: z.number().min(0),
  remainingUsd: z.number().min(0),
});
export type Budget = z.infer<typeof BudgetSchema>;

/** A finding of the verifier about the winning files. */
export const VerifierIssueSchema = z.object({
  file: z.string().optional(),
  line: z.number().int().optional(),
  severity: z.enum(["error", "warning", "info"]),
  message: z.string(),
});
export type VerifierIssue = z.infer<typeof VerifierIssueSchema>;

export const VerificationSchema = z.object({
  model: z.string(),
  provider: z.string(),
  /** "unavailable": the verifier failed or ran out of time; `error` says why. */
  verdict: z.enum(VERDICTS),
  issues: z.array(VerifierIssueSchema),
  summary: z.string(),
  costUsd: z.number().min(0),
  error: z.string().optional(),
  /** The output was refined after this verdict, on its findings. */
  refinedAfter: z.boolean(),
});
export type Verification = z.infer<typeof VerificationSchema>;

/** Something the successful outputs disagree on. */
export const ConflictSchema = z.object({
  aspect: z.enum(["stateLibrary", "dataLibrary", "requirement", "dependencies", "routes", "files"]),
  message: z.string(),
});
export type Conflict = z.infer<typeof ConflictSchema>;

/** What a request announces while it runs (the event stream, a job's events), in order. */
export const ProgressEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("profile"), profile: TaskProfileSchema }),
  z.object({
    type: z.literal("plan"),
    tier: z.enum(TIERS),
    mode: z.enum(MODES),
    explored: z.boolean(),
    strategies: z.array(StrategySchema.extend({
      expectedQuality: z.number().min(0).max(100),
      estimatedCostUsd: z.number().min(0),
    })),
    refineRounds: z.number().int().min(0).max(3),
    verify: z.boolean(),
  }),
  z.object({
    type: z.literal("attempt.started"),
    index: z.number().int().min(0),
    strategy: AttemptStrategySchema,
  }),
  z.object({
    type: z.literal("attempt.finished"),
    index: z.number().int().min(0),
    strategy: AttemptStrategySchema,
    success: z.boolean(),
    qualityScore: z.number().min(0).max(100).nullable(),
    costUsd: z.number().min(0),
    durationMs: z.number().int().min(0),
    errorClass: z.enum(ERROR_CLASSES).nullable(),
  }),
  z.object({
    type: z.literal("refine"),
    round: z.number().int().min(1).max(3),
    model: z.string(),
    fromScore: z.number().min(0).max(100),
    qualityScore: z.number().min(0).max(100).nullable(),
    improved: z.boolean(),
  }),
  z.object({ type: z.literal("verify"), model: z.string(), provider: z.string(), verdict: z.enum(VERDICTS) }),
]);
export type ProgressEvent = z.infer<typeof ProgressEventSchema>;

export const OrchestrateResponseSchema = z.object({
  requestId: z.uuid(),
  files: z.array(FileSchema),
  qualityScore: z.number().min(0).max(100),
  quality: QualitySchema,
  strategy: AttemptStrategySchema,
  profile: TaskProfileSchema,
  attempts: z.array(AttemptSchema),
  /** How much the result can be trusted, 0–1 (README, Confidence), and whether a person should look. */
  confidence: z.number().min(0).max(1),
  needsReview: z.boolean(),
  /** The parts confidence is made of, each 0–1. */
  confidenceParts: z.object({
    score: z.number().min(0).max(1),
    margin: z.number().min(0).max(1),
    agreement: z.number().min(0).max(1),
    verification: z.number().min(0).max(1),
  }),
  /** The verifier's review of the winner; null when the request did not ask for one. */
  verification: VerificationSchema.nullable(),
  conflicts: z.array(ConflictSchema),
  metrics: z.object({
    /** 0 for an answer from the cache. */
    strategiesTried: z.number().int().min(0),
    mode: z.enum(MODES),
    totalDurationMs: z.number().int().min(0),
    totalCostUsd: z.number().min(0),
    earlyExit: z.boolean(),
    qualityThreshold: z.number().min(0).max(100),
    /** False when the performance history could not be read and the plan used the catalog alone. */
    historyUsed: z.boolean(),
    /** Wall-clock time with at least one model call in flight; the rest is the orchestrator's own. */
    modelWaitMs: z.number().int().min(0),
    retries: z.number().int().min(0),
    /** Attempts stopped because another reached the threshold first (hedged mode) or the deadline passed. */
    cancelled: z.number().int().min(0),
    tier: z.enum(TIERS),
    /** Whether the posterior draws chose another first strategy than the posterior means would have. */
    explored: z.boolean(),
    /** Refinement rounds run, and whether one of them gave the winner. */
    refineRounds: z.number().int().min(0).max(3),
    refined: z.boolean(),
    /** The user's budget this month after this request; null when they have none (or it could not be read). */
    budget: BudgetSchema.nullable(),
    /** Planned strategies not attempted because their model's circuit breaker was open. */
    skipped: z.array(
      z.object({ model: z.string(), provider: z.string(), reason: z.literal("circuit_open") }),
    ),
    /** hit: answered from the cache, no model called; miss: run (and cached when it succeeded); off: the
     * request asked for no cache. */
    cache: z.enum(["hit", "miss", "off"]),
    /** On a hit, the request whose result this repeats. */
    cachedFrom: z.uuid().nullable(),
  }),
});
export type OrchestrateResponse = z.infer<typeof OrchestrateResponseSchema>;

/** A strategy as an estimate shows it: what is expected of it and what it should cost. */
export const StrategyEstimateSchema = StrategySchema.extend({
  /** Expected quality 0–100: the catalog prior pooled with the history. */
  expectedQuality: z.number().min(0).max(100),
  /** How much evidence that expectation rests on, in attempts (the catalog prior counts 5). */
  evidence: z.number().min(0),
  isLocal: z.boolean(),
  estimatedTokens: z.object({ input: z.number().int().min(0), output: z.number().int().min(0) }),
  calls: z.number().int().min(1),
  estimatedCostUsd: z.number().min(0),
  /** "history": the mean real cost of the strategy on this task type; "tokens": priced token estimate. */
  costBasis: z.enum(["history", "tokens"]),
  /** The most it can cost: each call's whole output cap. A budget is held to this while it runs. */
  maxCostUsd: z.number().min(0),
});
export type StrategyEstimate = z.infer<typeof StrategyEstimateSchema>;

export const TierPlanSchema = z.object({
  /** False when nothing fits in what is left of the budget (the request would get 402). */
  fits: z.boolean(),
  /** The strategies in the order they would be tried; the first is what usually runs. */
  strategies: z.array(StrategyEstimateSchema),
  /** The first strategy's estimate: the usual cost of the request. */
  expectedCostUsd: z.number().min(0).nullable(),
  /** What the request would hold of the budget while it runs (its plan's most, at most what is left);
   * null without a budget. */
  reservationUsd: z.number().min(0).nullable(),
  /** When nothing fits: the cheapest strategy's estimate. */
  cheapestEstimateUsd: z.number().min(0).nullable(),
});
export type TierPlan = z.infer<typeof TierPlanSchema>;

/** POST …/estimate: what each tier would plan for a request, without calling any model. */
export const EstimateResponseSchema = z.object({
  profile: TaskProfileSchema,
  /** The tier the request would use (what it asks for, else the user's default). */
  tier: z.enum(TIERS),
  mode: z.enum(MODES),
  /** The user's budget this month; null when they have none (or it could not be read). */
  budget: BudgetSchema.nullable(),
  plans: z.object({ premium: TierPlanSchema, balanced: TierPlanSchema, budget: TierPlanSchema }),
  /** The intent call the request would make before its plan (ORCHESTRATOR_INTENT_CALL on, the rules
   * unsure of its task type): the model it would ask and the most the call can cost, which each plan's
   * reservation holds too. Null: no call. Its answer could plan the request under another task type. */
  intentCall: StrategySchema.omit({ approach: true }).extend({ worstCaseUsd: z.number().min(0) }).nullable(),
});
export type EstimateResponse = z.infer<typeof EstimateResponseSchema>;

export const RankedStrategySchema = StrategySchema.extend({
  expectedQuality: z.number().min(0).max(100),
  /** One-sided 95% lower bound on the expected quality: the ranking's key. */
  qualityLowerBound: z.number().min(0).max(100),
  /** The user's own attempts, and everyone else's. */
  samples: z.number().int().min(0),
  priorSamples: z.number().int().min(0),
  successRate: z.number().min(0).max(1).nullable(),
  meanQuality: z.number().min(0).max(100).nullable(),
  meanCostUsd: z.number().min(0).nullable(),
  meanDurationMs: z.number().min(0).nullable(),
});
export type RankedStrategy = z.infer<typeof RankedStrategySchema>;

export const RecommendationsQuerySchema = z.strictObject({
  taskType: z.enum(TASK_TYPES).optional(),
  /** Honoured only for callers holding a secret key. */
  userId: z.uuid().optional(),
});

/** GET …/recommendations[?taskType=…]: per task type, what the history and the catalog recommend. */
export const RecommendationsResponseSchema = z.object({
  recommendations: z.array(z.object({
    taskType: z.enum(TASK_TYPES),
    /** Each tier's first choice for a typical request of the task type. */
    byTier: z.object({
      premium: StrategyEstimateSchema.nullable(),
      balanced: StrategyEstimateSchema.nullable(),
      budget: StrategyEstimateSchema.nullable(),
    }),
    /** The best-ranked strategies of configured providers, best first. */
    ranking: z.array(RankedStrategySchema),
  })),
});
export type RecommendationsResponse = z.infer<typeof RecommendationsResponseSchema>;

/** POST …/feedback: what the user thought of a result. */
export const FeedbackRequestSchema = z.strictObject({
  requestId: z.uuid(),
  /** false: the result was rejected, and counts as a failure of the model that produced it. */
  accepted: z.boolean(),
  rating: z.number().int().min(1).max(5).optional(),
  comment: text().max(2_000).optional(),
  /** Honoured only for callers holding a secret key. */
  userId: z.uuid().optional(),
});
export type FeedbackRequest = z.infer<typeof FeedbackRequestSchema>;

export const FeedbackResponseSchema = z.object({
  requestId: z.uuid(),
  accepted: z.boolean(),
  rating: z.number().int().min(1).max(5).nullable(),
  comment: z.string().nullable(),
  createdAt: z.string(),
  /** Whether it replaced earlier feedback on the request (which is kept, as history). */
  replaced: z.boolean(),
});
export type FeedbackResponse = z.infer<typeof FeedbackResponseSchema>;

/** What the requests of a window came to (seed 003's statistics): for a user, or for everyone. */
export const OrchestrationTotalsSchema = z.object({
  days: z.number().int(),
  requests: z.number().int(),
  /** Percent of requests that returned an output; null without requests. */
  successRate: z.number().nullable(),
  avgConfidence: z.number().nullable(),
  conflictsDetected: z.number().int(),
  /** Requests whose first planned strategy failed and another won. */
  fallbacksUsed: z.number().int(),
  refinements: z.number().int(),
  needsReview: z.number().int(),
  verified: z.number().int(),
  modelUsage: z.array(
    z.object({ model: z.string(), requests: z.number().int(), avgQuality: z.number().nullable() }),
  ),
});
export type OrchestrationTotals = z.infer<typeof OrchestrationTotalsSchema>;

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** How a refused request ends when it cannot be a plain response: a stream's `error` event, a job's error. */
export const ErrorEventSchema = z.object({ status: z.number().int(), error: ErrorBodySchema.shape.error });
export type ErrorEvent = z.infer<typeof ErrorEventSchema>;

/** The events of `Accept: text/event-stream`, each as `event: <type>` and `data: <JSON>`: the progress
 * events, then exactly one `result` (the 200 body) or `error`. */
export const StreamEventSchema = z.union([
  ProgressEventSchema,
  z.object({ type: z.literal("result"), data: OrchestrateResponseSchema }),
  z.object({ type: z.literal("error"), data: ErrorEventSchema }),
]);
export type StreamEvent = z.infer<typeof StreamEventSchema>;

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** 202 of POST …/jobs. */
export const JobCreatedSchema = z.object({ jobId: z.uuid(), status: z.enum(JOB_STATUSES) });
export type JobCreated = z.infer<typeof JobCreatedSchema>;

const jobFields = {
  jobId: z.uuid(),
  status: z.enum(JOB_STATUSES),
  /** The orchestration's request id: the rows in Postgres carry it. */
  requestId: z.uuid(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
};

/** GET …/jobs/{id}. */
export const JobSchema = z.object({
  ...jobFields,
  events: z.array(ProgressEventSchema),
  result: OrchestrateResponseSchema.nullable(),
  error: ErrorEventSchema.nullable(),
});
export type Job = z.infer<typeof JobSchema>;

export const JobListQuerySchema = z.strictObject({
  status: z.enum(JOB_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Honoured only for callers holding a secret key. */
  userId: z.uuid().optional(),
});

/** GET …/jobs: the caller's jobs, newest first, without their events and results. */
export const JobListSchema = z.object({ jobs: z.array(z.object(jobFields)) });
export type JobList = z.infer<typeof JobListSchema>;

export const StatsQuerySchema = z.strictObject({
  days: z.coerce.number().int().min(1).max(366).default(30),
  /** Honoured only for callers holding a secret key. */
  userId: z.uuid().optional(),
});

/** GET …/stats: the caller's own monitoring figures over the last `days` days. */
export const StatsResponseSchema = z.object({
  totals: OrchestrationTotalsSchema,
  qualityByModel: z.array(z.object({
    model: z.string(),
    uses: z.number().int(),
    /** Percent. */
    successRate: z.number(),
    avgQuality: z.number().nullable(),
    avgDurationMs: z.number().nullable(),
  })),
  costPerDay: z.array(z.object({ day: z.string(), costUsd: z.number(), attempts: z.number().int() })),
  approaches: z.array(z.object({
    approach: z.enum(ATTEMPT_APPROACHES),
    attempts: z.number().int(),
    successRate: z.number(),
    avgQuality: z.number().nullable(),
  })),
});
export type StatsResponse = z.infer<typeof StatsResponseSchema>;

export const FEEDBACK_FILTERS = ["accepted", "rejected", "none", "any"] as const;

/** GET …/export: what a user (their own), or a secret key (everyone's, or one userId's), exports. */
export const ExportQuerySchema = z.strictObject({
  format: z.enum(["jsonl", "csv"]),
  /** ISO dates or timestamps; `to` is exclusive. */
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  taskType: z.enum(TASK_TYPES).optional(),
  minQuality: z.coerce.number().min(0).max(100).optional(),
  feedback: z.enum(FEEDBACK_FILTERS).default("any"),
  model: text().min(1).max(LIMITS.modelIdChars).optional(),
  userId: z.uuid().optional(),
});
export type ExportQuery = z.infer<typeof ExportQuerySchema>;

/** One line of a JSONL export: a request in the chat fine-tuning shape, with its metadata. */
export const ExportLineSchema = z.object({
  messages: z.tuple([
    z.object({ role: z.literal("system"), content: z.string() }),
    z.object({ role: z.literal("user"), content: z.string() }),
    /** The winning files as the model returned them: {"files": [{path, content}]}. */
    z.object({ role: z.literal("assistant"), content: z.string() }),
  ]),
  metadata: z.object({
    requestId: z.uuid(),
    createdAt: z.string(),
    taskType: z.enum(TASK_TYPES),
    complexity: z.enum(COMPLEXITIES),
    requirements: z.array(z.string()),
    model: z.string(),
    approach: z.enum(ATTEMPT_APPROACHES),
    quality: z.number().nullable(),
    confidence: z.number().nullable(),
    feedback: z.enum(["accepted", "rejected", "none"]),
    rating: z.number().int().nullable(),
    contextPaths: z.array(z.string()),
  }),
});
export type ExportLine = z.infer<typeof ExportLineSchema>;

export const InsightsQuerySchema = z.strictObject({
  taskType: z.enum(TASK_TYPES).optional(),
  /** Honoured only for callers holding a secret key (without it, a secret key sees everyone's). */
  userId: z.uuid().optional(),
});

const insightStrategy = z.object({ model: z.string(), approach: z.string() });

/** One finding, with the sample sizes behind it; `statement` says it in words. */
export const InsightSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("winner"),
    taskType: z.enum(TASK_TYPES),
    complexity: z.enum(COMPLEXITIES),
    /** "*": whatever the request requires. */
    requirement: z.string(),
    strategy: insightStrategy,
    alternative: insightStrategy,
    quality: z.number(),
    alternativeQuality: z.number(),
    /** Points of delivered quality (0–100), with its 95% interval. */
    difference: z.number(),
    interval: z.tuple([z.number(), z.number()]),
    /** The winner's mean cost over the alternative's; null when the alternative cost nothing. */
    costRatio: z.number().nullable(),
    samples: z.number().int(),
    alternativeSamples: z.number().int(),
    statement: z.string(),
  }),
  z.object({
    kind: z.literal("trend"),
    taskType: z.enum(TASK_TYPES),
    complexity: z.enum(COMPLEXITIES),
    requirement: z.string(),
    strategy: insightStrategy,
    quality: z.number(),
    previousQuality: z.number(),
    change: z.number(),
    samples: z.number().int(),
    previousSamples: z.number().int(),
    statement: z.string(),
  }),
  z.object({
    kind: z.literal("refinement"),
    taskType: z.enum(TASK_TYPES),
    model: z.string(),
    liftedPct: z.number(),
    liftedLowerBoundPct: z.number(),
    meanGain: z.number().nullable(),
    meanCostUsd: z.number(),
    samples: z.number().int(),
    statement: z.string(),
  }),
  z.object({
    kind: z.literal("verification"),
    taskType: z.enum(TASK_TYPES),
    failedPct: z.number(),
    fixedByRefinementPct: z.number().nullable(),
    samples: z.number().int(),
    failedSamples: z.number().int(),
    statement: z.string(),
  }),
]);
export type Insight = z.infer<typeof InsightSchema>;

/** GET …/insights. */
export const InsightsResponseSchema = z.object({
  /** own: the user's rows, plus everyone's where the k-user rule allows; everyone: all users' rows. */
  scope: z.enum(["own", "everyone"]),
  /** No finding rests on fewer attempts a side. */
  minSamples: z.number().int(),
  insights: z.array(InsightSchema),
});
export type InsightsResponse = z.infer<typeof InsightsResponseSchema>;
