// The task profiler: task type, complexity and requirements of a request, from several weighted signals
// (as LiteLLM's complexity router weighs its dimensions) rather than one keyword list. Pure; well under a
// millisecond (bench/profile.bench.ts).

import type { Complexity, GeneratedFile, TaskProfile, TaskType } from "../contract.ts";

export interface ProfileInput {
  request: string;
  contextFiles?: GeneratedFile[];
}

/** Phrases that signal a task type, each with a weight. Matched on word boundaries, case-insensitively. */
const TASK_SIGNALS: Record<TaskType, Array<[RegExp, number]>> = {
  generation: [
    [/\b(build|create|generate|scaffold|make|implement|develop|write)\b/, 2],
    [/\b(new|from scratch|app|application|website|site|page|dashboard|component|landing|project)\b/, 1],
  ],
  edit: [
    [/\b(change|update|modify|rename|replace|move|add|remove|delete|adjust|tweak|set)\b/, 2],
    [/\b(instead|existing|current|this (button|page|component|file))\b/, 1],
  ],
  fix: [
    [/\b(fix|bug|broken|error|crash(es|ing)?|fails?|failing|exception|doesn'?t work|not working|issue)\b/, 3],
    [/\b(TypeError|ReferenceError|SyntaxError|undefined is not|cannot read|stack ?trace)\b/i, 3],
  ],
  refactor: [
    [
      /\b(refactor|clean ?up|restructure|reorgani[sz]e|extract|split|simplify|decouple|dedupe|modulari[sz]e)\b/,
      3,
    ],
    [/\b(readab(le|ility)|maintainab(le|ility)|duplication|tech(nical)? debt)\b/, 1],
  ],
  style: [
    [
      /\b(colou?rs?|css|style|styling|font|theme|dark mode|light mode|tailwind|padding|margin|spacing|background)\b/,
      2,
    ],
    [
      /\b(layout|responsive|look|design|animation|hover|gradient|border|shadow|align(ment)?|bold|italic)\b/,
      1,
    ],
    [/\b(red|blue|green|yellow|purple|orange|pink|gr[ae]y|black|white)\b/, 1],
  ],
  explain: [
    [/\b(explain|what (does|is)|how (does|do)|why (does|is|do)|walk me through|describe|understand)\b/, 3],
    [/\?\s*$/, 1],
  ],
  test: [
    [
      /\b(unit tests?|integration tests?|e2e|end-to-end|test cases?|test suite|coverage|vitest|jest|playwright)\b/,
      3,
    ],
    [/\b(tests?|spec)\b/, 1],
  ],
};

/** Requirements a request can name, the phrases that reveal them, and how much each adds to the work. */
const REQUIREMENT_SIGNALS: Array<[string, RegExp, number]> = [
  [
    "auth",
    /\b(auth(entication|enticated)?|log ?in|sign ?(in|up)|signup|password|oauth|session|users? accounts?)\b/,
    1.5,
  ],
  [
    "persistence",
    /\b(database|persist(ent|ence)?|save[sd]?|stor(e|age)|local ?storage|supabase|postgres|crud|sync)\b/,
    1,
  ],
  ["routing", /\b(rout(e|es|ing|er)|pages|navigation|navbar|multi-?page|links? between)\b/, 0.8],
  ["charts", /\b(charts?|graphs?|plot|visuali[sz]ation|analytics|statistics|metrics)\b/, 1],
  ["forms", /\b(forms?|inputs?|validation|submit|fields?|checkout)\b/, 0.6],
  ["realtime", /\b(real-?time|live|websockets?|chat|collaborat(e|ive|ion)|presence|notifications?)\b/, 1.5],
  ["search", /\b(search|filter(s|ing)?|sort(ing)?|pagination|paginate)\b/, 0.6],
  ["api", /\b(api|fetch(es|ing)?|endpoints?|rest|graphql|webhooks?|third-party)\b/, 0.8],
  ["payments", /\b(payments?|stripe|checkout|billing|subscriptions?|invoices?)\b/, 1.5],
  ["uploads", /\b(uploads?|file picker|images? upload|attachments?|drag and drop)\b/, 0.8],
  ["i18n", /\b(i18n|translations?|locali[sz](e|ation)|multi-?lingual|languages)\b/, 0.6],
  ["responsive", /\b(responsive|mobile|tablet|breakpoints?)\b/, 0.4],
  ["theming", /\b(dark mode|light mode|themes?|theming)\b/, 0.4],
];

/** Words that widen the scope: a whole product (heavier) or a whole app. */
const WIDE_SCOPE =
  /\b(full|complete|production|enterprise|platform|dashboard|multi-?(user|tenant|step)|admin panel|end-to-end|scalable|architecture|microservices?|e-?commerce|marketplace)\b/g;
const APP_SCOPE = /\b(app|application|website|site|system|portal|saas)\b/g;
const LOW_COMPLEXITY = /\b(simple|small|tiny|just|only|quick|minor|single|one-line|basic|little)\b/g;
const ENUMERATION = /(^\s*([-*•]|\d+[.)])\s+)|,|;|\band\b|\bwith\b/gm;

function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = text.charCodeAt(i) <= 32;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

function countMatches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

function scoreTaskTypes(text: string, hasContext: boolean): Record<TaskType, number> {
  const scores = {} as Record<TaskType, number>;
  // The opening words carry the intent ("Explain why … cleanup" asks for an explanation, not a clean-up).
  const opening = text.slice(0, 30);
  for (
    const [taskType, signals] of Object.entries(TASK_SIGNALS) as Array<[TaskType, Array<[RegExp, number]>]>
  ) {
    const leading = signals[0][0].test(opening) ? 2 : 0;
    scores[taskType] = leading +
      signals.reduce((sum, [pattern, weight]) => sum + (pattern.test(text) ? weight : 0), 0);
  }
  // Code to work on makes changes likelier than new work, and vice versa.
  if (hasContext) {
    scores.generation -= 1;
    scores.edit += 1;
    scores.fix += 0.5;
    scores.refactor += 0.5;
  } else {
    scores.generation += 1;
  }
  return scores;
}

/** Picks the task type; ties go to the order of preference below (more specific intents first). */
const TIE_ORDER: TaskType[] = ["fix", "explain", "test", "refactor", "style", "edit", "generation"];

function pickTaskType(scores: Record<TaskType, number>): TaskType {
  return TIE_ORDER.reduce(
    (best, taskType) => (scores[taskType] > scores[best] ? taskType : best),
    TIE_ORDER[0],
  );
}

/**
 * Complexity in [0, 1] as a weighted sum of saturating signals: length, enumerated features, the weight
 * of the named requirements, code in the context, and scope words; words like "simple" lower it.
 */
function complexityScore(
  text: string,
  words: number,
  taskType: TaskType,
  requirementWeight: number,
  contextFiles: GeneratedFile[],
): number {
  const contextChars = contextFiles.reduce((sum, file) => sum + file.content.length, 0);
  const scope = 1.5 * countMatches(text, WIDE_SCOPE) + 1.2 * countMatches(text, APP_SCOPE);
  const saturate = (value: number, scale: number) => 1 - Math.exp(-value / scale);
  const signals = [
    [0.15, saturate(words, 40)],
    [0.15, saturate(countMatches(text, ENUMERATION), 5)],
    [0.35, saturate(requirementWeight, 1.5)],
    [0.1, saturate(contextFiles.length + contextChars / 20_000, 4)],
    [0.2, saturate(scope, 1)],
  ] as const;
  let score = signals.reduce((sum, [weight, value]) => sum + weight * value, 0);
  score -= 0.1 * Math.min(countMatches(text, LOW_COMPLEXITY), 3);
  // Small, local intents rarely need a deep model; new work and restructuring rarely are trivial.
  const taskBias: Record<TaskType, number> = {
    generation: 0.1,
    refactor: 0.05,
    fix: 0,
    test: 0,
    explain: -0.05,
    edit: -0.1,
    style: -0.1,
  };
  score += taskBias[taskType];
  return Math.min(1, Math.max(0, Math.round(score * 1000) / 1000));
}

function complexityLevel(score: number): Complexity {
  if (score >= 0.45) return "high";
  if (score >= 0.25) return "medium";
  return "low";
}

/** Keyword signals are read from the start and the end of long requests, which keeps profiling well under
 * a millisecond at the 20,000-character limit; the length signal still sees the whole request. */
const SIGNAL_WINDOW = { head: 3_000, tail: 1_000 };

function signalText(request: string): string {
  const { head, tail } = SIGNAL_WINDOW;
  const text = request.length <= head + tail ? request : `${request.slice(0, head)}\n${request.slice(-tail)}`;
  return text.toLowerCase();
}

export function profileTask({ request, contextFiles = [] }: ProfileInput): TaskProfile {
  const text = signalText(request);
  const taskScores = scoreTaskTypes(text, contextFiles.length > 0);
  const taskType = pickTaskType(taskScores);
  const named = REQUIREMENT_SIGNALS.filter(([, pattern]) => pattern.test(text));
  const requirementWeight = named.reduce((sum, [, , weight]) => sum + weight, 0);
  const score = complexityScore(text, countWords(request), taskType, requirementWeight, contextFiles);
  return {
    taskType,
    complexity: complexityLevel(score),
    complexityScore: score,
    requirements: named.map(([name]) => name),
    taskScores,
    contextFileCount: contextFiles.length,
  };
}

/** A typical request of a task type, where there is no request to profile (recommendations, replays):
 * medium complexity, no requirements, no context. */
export function typicalProfile(taskType: TaskType): TaskProfile {
  return {
    taskType,
    complexity: "medium",
    complexityScore: 0.5,
    requirements: [],
    taskScores: {},
    contextFileCount: 0,
  };
}
