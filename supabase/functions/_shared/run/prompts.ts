// What the approaches ask the models, and the JSON shapes the answers must have. The headings are part
// of the protocol: the local model simulator reads the request and the file list by them.

import { z } from "zod";
import { FileSchema, type GeneratedFile, type TaskProfile, uniquePaths } from "../contract.ts";

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
