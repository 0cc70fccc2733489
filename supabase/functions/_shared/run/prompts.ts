// What the approaches ask the models, and the JSON shapes the answers must have. The headings are part
// of the protocol: the local model simulator reads the request and the file list by them.

import * as z from "zod";
import {
  FileSchema,
  type GeneratedFile,
  LIMITS,
  storableText,
  type TaskProfile,
  uniquePaths,
} from "../contract.ts";

export const REQUEST_HEADING = "## Request";
export const FILES_TO_WRITE_HEADING = "## Write exactly these files";

/** JSON Schema (the subset Gemini accepts) of an answer that carries files. */
export const FILES_JSON_SCHEMA = {
  type: "object",
  properties: {
    summary: { type: "string", description: "One or two sentences on what was built or changed." },
    files: {
      type: "array",
      items: {
        type: "object",
        properties: {
          path: { type: "string", description: "Relative path inside the project, e.g. src/App.tsx" },
          content: { type: "string", description: "The complete file content" },
        },
        required: ["path", "content"],
      },
    },
  },
  required: ["files"],
};

/** JSON Schema of a progressive plan: the files to write and what each is for. */
export const PLAN_JSON_SCHEMA = {
  type: "object",
  properties: {
    summary: { type: "string" },
    files: {
      type: "array",
      items: {
        type: "object",
        properties: {
          path: { type: "string" },
          purpose: {
            type: "string",
            description: "What this file contains and how it connects to the others",
          },
        },
        required: ["path", "purpose"],
      },
    },
  },
  required: ["files"],
};

/** The most files a progressive plan may list, and how long each purpose may be: they bound what the
 * batch prompts carry, so the cost model can tell the most a progressive attempt can cost. */
export const PLAN_LIMITS = { files: 60, purposeChars: 300 } as const;

/** Model answers are untrusted: paths are checked like request paths, and held unique. */
export const FilesAnswerSchema = z.object({
  summary: z.string().optional(),
  files: z.array(FileSchema).min(1).superRefine(uniquePaths),
});

export const PlanAnswerSchema = z.object({
  summary: z.string().optional(),
  files: z.array(z.object({ path: FileSchema.shape.path, purpose: z.string().max(PLAN_LIMITS.purposeChars) }))
    .min(1).max(PLAN_LIMITS.files),
});
export type Plan = z.infer<typeof PlanAnswerSchema>;

export interface PromptInput {
  request: string;
  framework?: string;
  contextFiles: GeneratedFile[];
  profile: TaskProfile;
}

export function systemPrompt(input: PromptInput): string {
  const framework = input.framework ?? "React with TypeScript and Vite";
  return [
    `You are a senior software engineer. You write complete, runnable, idiomatic code (${framework} unless the`,
    "request says otherwise) with typed props and state, wired event handlers, keys on list items, effects",
    "with dependency lists, and no placeholder code. Every relative import must resolve to a file you return,",
    "every package you import must be declared in package.json. Answer only with JSON of the requested shape.",
    input.profile.taskType === "explain"
      ? "For an explanation, return one Markdown file, EXPLANATION.md, with headings and code blocks."
      : "Return whole files, not diffs. When existing files are given, return the files you changed or added.",
  ].join(" ");
}

function describe(input: PromptInput): string[] {
  const { profile } = input;
  const lines = [
    REQUEST_HEADING,
    input.request,
    "",
    "## Task",
    `Type: ${profile.taskType}; complexity: ${profile.complexity}; requirements: ${
      profile.requirements.join(", ") || "none named"
    }.`,
  ];
  if (input.contextFiles.length) {
    lines.push("", "## Existing files");
    for (const file of input.contextFiles) lines.push(`### ${file.path}`, "```", file.content, "```");
  }
  return lines;
}

/** The simple approach: one call returns every file. */
export function simplePrompt(input: PromptInput): string {
  return [...describe(input), "", "Return every file of the result."].join("\n");
}

/** Progressive, step 1: the file plan. */
export function planPrompt(input: PromptInput): string {
  return [
    ...describe(input),
    "",
    "Plan the result before writing it: list every file to return (path and purpose), entry point and",
    "configuration included. Do not write the files yet.",
  ].join("\n");
}

/** Progressive, step 2: one batch of the planned files, written against the whole plan. */
export function batchPrompt(input: PromptInput, plan: Plan, batch: string[]): string {
  return [
    ...describe(input),
    "",
    "## Plan",
    ...plan.files.map((file) => `- ${file.path}: ${file.purpose}`),
    "",
    FILES_TO_WRITE_HEADING,
    ...batch.map((path) => `- ${path}`),
    "",
    "Write only these files, complete, consistent with the plan's other files.",
  ].join("\n");
}

export const CURRENT_FILES_HEADING = "## Current files";
export const ISSUES_HEADING = "## Fix these issues";
export const REVIEW_HEADING = "## Files to review";
/** The most issues a refinement prompt lists, the most characters of each, and the most bytes of files a
 * refinement or a review is sent (bigger outputs are not refined or reviewed): they bound their cost. */
export const REFINE_LIMITS = { issues: 40, issueChars: 300, filesBytes: 256_000 } as const;

/** A problem found in an output, by the scorer or the verifier, as a refinement prompt lists it. */
export interface FoundIssue {
  file?: string;
  line?: number;
  severity: string;
  message: string;
}

function fileBlocks(files: GeneratedFile[]): string[] {
  return files.flatMap((file) => [`### ${file.path}`, "```", file.content, "```"]);
}

/** A refinement round: the output so far and what is wrong with it, for the corrected whole. */
export function refinePrompt(input: PromptInput, files: GeneratedFile[], issues: FoundIssue[]): string {
  const listed = issues.slice(0, REFINE_LIMITS.issues).map((issue) => {
    const where = issue.file ? `${issue.file}${issue.line ? `:${issue.line}` : ""}: ` : "";
    return `- (${issue.severity}) ${where}${issue.message}`.slice(0, REFINE_LIMITS.issueChars);
  });
  return [
    ...describe(input),
    "",
    CURRENT_FILES_HEADING,
    ...fileBlocks(files),
    "",
    ISSUES_HEADING,
    ...listed,
    "",
    "Correct every issue above and return the corrected, complete set of files (all of them, also those",
    "that needed no change).",
  ].join("\n");
}

/** JSON Schema of a verifier's answer. */
export const VERDICT_JSON_SCHEMA = {
  type: "object",
  properties: {
    verdict: { type: "string", enum: ["pass", "fail", "uncertain"] },
    issues: {
      type: "array",
      items: {
        type: "object",
        properties: {
          file: { type: "string" },
          line: { type: "integer" },
          severity: { type: "string", enum: ["error", "warning", "info"] },
          message: { type: "string" },
        },
        required: ["severity", "message"],
      },
    },
    summary: { type: "string", description: "One or two sentences on whether the files do what was asked." },
  },
  required: ["verdict", "issues", "summary"],
};

/** A verifier's text, as stored: whatever a model writes, NULs and lone surrogates included. */
const verdictText = (max: number) => z.string().max(max).transform(storableText);

export const VerdictAnswerSchema = z.object({
  verdict: z.enum(["pass", "fail", "uncertain"]),
  issues: z.array(z.object({
    file: verdictText(LIMITS.pathChars).optional(),
    line: z.number().int().min(0).max(10_000_000).optional(),
    severity: z.enum(["error", "warning", "info"]),
    message: verdictText(2_000),
  })).max(100),
  summary: verdictText(2_000),
});

/** A verifier's review: does the output do what was asked, and what is wrong with it. */
export function verifyPrompt(input: PromptInput, files: GeneratedFile[]): string {
  return [
    ...describe(input),
    "",
    REVIEW_HEADING,
    ...fileBlocks(files),
    "",
    "Review these files as a strict senior engineer: do they do what the request asks, completely and",
    "correctly? Answer with a verdict (pass: ready to use; fail: errors that must be fixed; uncertain), the",
    "issues you found (file, line, severity, message) and a short summary.",
  ].join("\n");
}
