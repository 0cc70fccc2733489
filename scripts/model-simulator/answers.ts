// What a simulated model writes for a request, and how long it takes: a generated project (or its plan,
// a batch of its files, or text) whose quality differs per model and task type, deterministic from a seed;
// a refinement of its own project that fixes most of what was wrong; or a reviewer's verdict, which the
// simulator reaches by scoring the files under review with the orchestrator's own scorer.

import { profileTask } from "../../supabase/functions/_shared/plan/profile.ts";
import {
  CURRENT_FILES_HEADING,
  FILES_TO_WRITE_HEADING,
  ISSUES_HEADING,
  REQUEST_HEADING,
  REVIEW_HEADING,
} from "../../supabase/functions/_shared/run/prompts.ts";
import { scoreOutput } from "../../supabase/functions/_shared/score/index.ts";
import type { ProviderKind } from "../../supabase/functions/_shared/providers/registry.ts";
import {
  editFiles,
  explanation,
  type File,
  generateProject,
  type GenerationSpec,
  pickDefects,
  purposeOf,
} from "./app-generator.ts";
import { SIMULATED_MODELS } from "./models.ts";
import { seededRandom } from "./seeded-random.ts";

/** What the caller wants back: a progressive plan, a batch of its files, all files at once, a refinement
 * of files it sent, a reviewer's verdict, a request's task type (the intent call), or text. */
export type Kind = "files" | "plan" | "batch" | "refine" | "verdict" | "intent" | "text";

export interface SimulatorOptions {
  seed: string;
  /** Multiplies every simulated latency: 1 is realistic, 0 answers at once. */
  timeScale: number;
  /** When set, every call takes exactly this long, whatever the model and the output (load tests). */
  fixedLatencyMs?: number;
}

/** What a protocol module read from a request. */
export interface ModelCall {
  protocol: ProviderKind;
  model: string;
  kind: Kind;
  system: string;
  prompt: string;
  /** The output cap the request names, if any: a longer answer is cut off there, as real models do. */
  maxOutputTokens?: number;
}

export interface Answer {
  text: string;
  /** The request part of the prompt, which fault rules match against. */
  request: string;
  inputTokens: number;
  /** Of the input, the tokens read from the prompt cache (a prompt this model was sent before). */
  cachedTokens: number;
  outputTokens: number;
  /** Thinking, billed as output. */
  thoughtsTokens: number;
  ttftMs: number;
  durationMs: number;
}

/**
 * What kind of answer a request asks for, from the answer's JSON Schema (if any) and whether JSON is
 * wanted at all; JSON of a shape the simulator does not know gets files, the most common shape.
 */
export function kindOf(schema: unknown, prompt: string, jsonWanted: boolean): Kind {
  const properties = (schema as {
    properties?: { verdict?: unknown; taskType?: unknown; files?: { items?: { properties?: object } } };
  })?.properties;
  const items = properties?.files?.items?.properties ?? {};
  if (properties?.verdict) return "verdict";
  if (properties?.taskType) return "intent";
  if ("purpose" in items) return "plan";
  if (!("content" in items || jsonWanted)) return "text";
  if (prompt.includes(FILES_TO_WRITE_HEADING)) return "batch";
  return prompt.includes(ISSUES_HEADING) ? "refine" : "files";
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function section(prompt: string, heading: string): string {
  const start = prompt.indexOf(`${heading}\n`);
  if (start < 0) return "";
  const rest = prompt.slice(start + heading.length + 1);
  const end = rest.search(/^## /m);
  return (end < 0 ? rest : rest.slice(0, end)).trim();
}

/** The files a prompt lists under a heading, as `### path` and a fenced block each, one after another
 * (read in turn, so a file's own headings do not end the list). */
function filesUnder(prompt: string, heading: string): File[] {
  const start = prompt.indexOf(`${heading}\n`);
  if (start < 0) return [];
  let rest = prompt.slice(start + heading.length + 1);
  const files: File[] = [];
  for (let block; (block = rest.match(/^### (.+)\n```\n([\s\S]*?)\n```(?:\n|$)/));) {
    files.push({ path: block[1], content: block[2] });
    rest = rest.slice(block[0].length);
  }
  return files;
}

/** A reviewer's verdict on files: errors fail them, a weak score leaves it uncertain. */
function verdictOn(files: File[], request: string): string {
  const profile = profileTask({ request });
  const quality = scoreOutput({ files, profile, request });
  const issues = quality.issues.filter((issue) => issue.severity !== "info").slice(0, 20).map((issue) => ({
    ...(issue.file ? { file: issue.file } : {}),
    severity: issue.severity,
    message: issue.message,
  }));
  const verdict = issues.some((issue) => issue.severity === "error")
    ? "fail"
    : quality.overall >= 70
    ? "pass"
    : "uncertain";
  return JSON.stringify({
    verdict,
    issues,
    summary: `Simulated review: ${verdict}, ${issues.length} issue(s), ${files.length} file(s) reviewed.`,
  });
}

export function createAnswerWriter(options: SimulatorOptions): (call: ModelCall) => Answer {
  const projects = new Map<string, File[]>();
  const prompts = new Set<string>();

  /** Prompt caching as Gemini (implicit) and OpenAI (automatic) do it: a prompt of at least 1,024 tokens
   * sent again to the same model is read from the cache, in whole blocks of 128 tokens. */
  function cachedTokensOf(model: string, text: string, inputTokens: number): number {
    const key = `${model}\n${text}`;
    const seen = prompts.has(key);
    prompts.add(key);
    if (prompts.size > 2_000) prompts.delete(prompts.values().next().value!);
    return seen && inputTokens >= 1_024 ? Math.floor(inputTokens / 128) * 128 : 0;
  }

  function remembered(key: string, generate: () => File[]): File[] {
    let files = projects.get(key);
    if (!files) {
      files = generate();
      projects.set(key, files);
      if (projects.size > 500) projects.delete(projects.keys().next().value!);
    }
    return files;
  }

  /** What the model writes for this call, and how long it takes to write it. */
  function answer({ model, kind, prompt, system }: ModelCall): Answer {
    const profile = SIMULATED_MODELS[model];
    const request = section(prompt, REQUEST_HEADING) || prompt;
    // The intent call names the project's files without their contents.
    const contextFiles = kind === "intent"
      ? (prompt.match(/^The user sent these files of their project: (.+)\.$/m)?.[1].split(", ") ?? [])
        .map((path) => ({ path, content: "" }))
      : filesUnder(prompt, "## Existing files");
    const told = prompt.match(/^Type: (\w+); complexity: \w+; requirements: (.*)\.$/m);
    const understood = profileTask({ request, contextFiles });
    const taskType = told?.[1] ?? understood.taskType;
    const requirements = told && told[2] !== "none named" ? told[2].split(", ") : understood.requirements;
    const approach = kind === "plan" || kind === "batch"
      ? "progressive"
      : kind === "refine"
      ? "refine"
      : "simple";
    const seedKey = `${options.seed}|${model}|${approach}|${request}`;
    // A progressive attempt asks for the same project several times (the plan, then each batch); a
    // refinement of the same files is the same refinement.
    const asked = kind === "refine"
      ? JSON.stringify(filesUnder(prompt, CURRENT_FILES_HEADING))
      : prompt.slice(prompt.indexOf("## Existing files"));
    const files = kind === "verdict" || kind === "intent"
      ? []
      : remembered(`${seedKey}|${hash(asked)}`, () => {
        const random = seededRandom(hash(seedKey));
        const written = Math.min(1, (profile.quality[taskType] ?? 0.75) + (random() - 0.5) * 0.1);
        // Writing in focused batches against a plan costs time but slips less; told what is wrong, a model
        // fixes most of it.
        const quality = approach === "progressive"
          ? Math.min(1, written + 0.06)
          : approach === "refine"
          ? written + (1 - written) * 0.7
          : written;
        const spec: GenerationSpec = { request, requirements, defects: pickDefects(quality, random) };
        return taskType === "explain"
          ? [explanation(spec, quality)]
          : contextFiles.length > 0 && taskType !== "generation"
          ? editFiles(spec, contextFiles)
          : generateProject(spec);
      });

    let text: string;
    if (kind === "plan") {
      text = JSON.stringify({
        summary: `Simulated plan for: ${request.slice(0, 80)}`,
        files: files.map((file) => ({ path: file.path, purpose: purposeOf(file.path) })),
      });
    } else if (kind === "batch") {
      const wanted = section(prompt, FILES_TO_WRITE_HEADING).split("\n")
        .filter((line) => line.startsWith("- "))
        .map((line) => line.slice(2).trim());
      const byPath = new Map(files.map((file) => [file.path, file]));
      text = JSON.stringify({
        files: wanted.map((path) =>
          byPath.get(path) ?? { path, content: "// Simulated output.\nexport {};\n" }
        ),
      });
    } else if (kind === "files" || kind === "refine") {
      text = JSON.stringify({ summary: `Simulated answer for: ${request.slice(0, 80)}`, files });
    } else if (kind === "verdict") {
      text = verdictOn(filesUnder(prompt, REVIEW_HEADING), request);
    } else if (kind === "intent") {
      // The simulated model reads the intent as the profiler's rules do; tests steer it with fault rules.
      text = JSON.stringify({ taskType: understood.taskType });
    } else {
      text = files.map((file) => file.content).join("\n");
    }
    const inputTokens = Math.ceil((prompt.length + system.length) / 4);
    const cachedTokens = cachedTokensOf(model, system + prompt, inputTokens);
    const outputTokens = Math.ceil(text.length / 4);
    // Pro thinks before answering; thinking is billed as output.
    const thoughtsTokens = model.includes("pro") ? Math.round(outputTokens * 0.3) : 0;
    const ttftMs = options.fixedLatencyMs ?? profile.ttftMs * options.timeScale;
    const durationMs = options.fixedLatencyMs ??
      (profile.ttftMs + ((outputTokens + thoughtsTokens) / profile.tokensPerSecond) * 1000) *
        options.timeScale;
    return { text, request, inputTokens, cachedTokens, outputTokens, thoughtsTokens, ttftMs, durationMs };
  }

  return answer;
}
