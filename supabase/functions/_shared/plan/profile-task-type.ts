// The task type: the cues of each type (profile-task-cues.ts and the cue modules it gathers) summed, then
// the rules that read them together, as the labelling guide (tests/fixtures/profile/README.md) defines them.

import type { TaskType } from "../contract.ts";
import {
  APPEARANCE,
  BEHAVIOUR_KEPT,
  CONTROL_OPENING,
  CSS_CODE,
  DESIGN_JUDGEMENT,
  FEATURE,
  LAYOUT_BREAKS,
  LOOKS_KEPT,
  NEW_CONTROL,
  SMALL_SCREEN,
  THEME_SWITCH,
} from "./profile-look-cues.ts";
import {
  EXISTING_HINT,
  EXISTING_INSIDE,
  EXISTING_PROJECT,
  PRODUCT_ASKED,
  PRODUCT_ASKED_BARE,
  PRODUCT_OPENING,
  USER_STORY,
} from "./profile-project-cues.ts";
import {
  ASKING,
  DO_IT,
  ERROR_EVIDENCE,
  EXPLAIN_EXPLICIT,
  FAILING_TESTS,
  REPORT_ANYWHERE,
  REPORT_OPENING,
  SYMPTOM,
  TEST_SUBJECT,
  TESTS_FAIL,
  WHAT_IT_MEANS,
  WHY_MINE,
} from "./profile-report-cues.ts";
import { type Cue, OPENING_CUES, PROSE_CUES } from "./profile-task-cues.ts";
import type { RequestText } from "./profile-text.ts";

type Scores = Record<TaskType, number>;

const TASK_TYPES = Object.keys(PROSE_CUES) as TaskType[];

/** Every type starts here, so one weak cue is not certainty: confidence grows with the evidence. */
const PRIOR = 2;

function cueScore(text: string, cues: Cue[]): number {
  return cues.reduce((sum, [pattern, weight]) => sum + (pattern.test(text) ? weight : 0), 0);
}

/** Errors, failing tests and questions, which the verbs alone misread. */
function weighErrorsAndQuestions(text: RequestText, scores: Scores, opening: Scores): void {
  // An error message or a described symptom asks for a fix, even phrased as a question ("why is my API
  // returning 500?"), unless the user says they only want to understand.
  const errorPasted = ERROR_EVIDENCE.test(text.raw);
  if (errorPasted) scores.fix += 4;
  // "The Counter test is flaky, fix it", "my test fails with TypeError": tests, whatever the verb.
  const testsFail = FAILING_TESTS.test(text.prose) || (TESTS_FAIL.test(text.prose) && text.enumerated === 0);
  if (TEST_SUBJECT.test(text.opening) || testsFail) {
    scores.test += scores.fix;
    scores.fix *= 0.3;
  }
  if (EXPLAIN_EXPLICIT.test(text.prose) || (WHAT_IT_MEANS.test(text.prose) && !errorPasted)) {
    scores.explain += 5;
  } else {
    if (scores.fix > 0) scores.explain *= 0.5;
    // "Why does my chart show dates in the wrong order?" reports a bug in the user's own code.
    if (scores.fix >= 2 && WHY_MINE.test(text.opening) && EXPECTED.test(text.prose)) scores.explain *= 0.5;
    // "How do I add a search bar …? Can you add it": the question asks for the change.
    if (DO_IT.test(text.prose)) scores.explain *= 0.3;
  }
  // "Build X … and explain the schema briefly", "I'd love an admin dashboard … explain anything I need to set
  // up": an explanation beside another opening intent, or beside a product asked for, is an aside.
  const otherOpening = TASK_TYPES.some((taskType) => taskType !== "explain" && opening[taskType] > 0);
  if ((otherOpening || productAsked(text)) && opening.explain === 0) scores.explain *= 0.5;
}

/** A product asked to be built: "build me a small web app", "todo app please", "i want make app for my shop". */
const productAsked = (text: RequestText) =>
  PRODUCT_ASKED.test(text.prose) || PRODUCT_ASKED_BARE.test(text.prose) || PRODUCT_OPENING.test(text.opening);

/** Whether the work happens inside a project that exists. With its files sent, or the project named, it
 * does; a product named to be built ("a landing page for our app") is new work beside the project, while
 * anything else for "my site" ("a dark theme for my site") is inside it, and one changes or moves what
 * exists ("Change button color to blue"). */
function insideAProject(text: RequestText, hasContext: boolean, opening: Scores): boolean {
  if (hasContext || EXISTING_INSIDE.test(text.prose)) return true;
  if (productAsked(text)) return false;
  const ownProject = EXISTING_PROJECT.test(text.prose) && !USER_STORY.test(text.opening);
  return ownProject || EXISTING_HINT.test(text.prose) || opening.edit > 0;
}

/** The design as it is, described for a change to it. */
const CURRENT_DESIGN = /\b(currently|right now|at the moment)\b/;

/** A topic before the report: "i18n: some pages show german", "File drop zone: dropping a file opens it". */
const TOPIC = /^[\w .\/+-]{1,30}:\s+/;

/** What should happen, said beside a why: the why reports a bug. */
const EXPECTED = /\b(should (be|show|go|come|appear|stay|open|list|sort)|supposed to|expected)\b/;

const HOW_TO = /^how (do|can|would|should) (i|we|you)\b|^how to\b/;

/** A product described rather than a state reported: "a reading log: I type a title, it goes into a list". */
const describesAProduct = (text: RequestText) => productAsked(text) || /^(a|an)\s/.test(text.opening);

/** Appearance decides `style` only when nothing but appearance is asked: a feature that mentions how it
 * looks is the feature, a visual symptom a fix, a restructuring that must look the same a refactor. */
function weighAppearance(text: RequestText, scores: Scores, existing: boolean): void {
  const lookWords = new Set(text.prose.replace(/`[^`\n]*`/g, "code").match(APPEARANCE) ?? []).size +
    (CSS_CODE.test(text.raw) ? 1 : 0);
  // "Same behaviour" makes a restructuring a refactor, and a restyle that keeps the functionality a restyle.
  if (BEHAVIOUR_KEPT.test(text.prose)) {
    if (scores.refactor < 2 && lookWords >= 2 && !LOOKS_KEPT.test(text.prose)) scores.style += 3;
    else scores.refactor += 5;
  }
  // Something that works differently: a feature, or a control added. A theme switcher, even remembered, is
  // built like a feature but changes only the looks.
  const feature = FEATURE.test(text.prose.replace(THEME_SWITCH, "theme")) || NEW_CONTROL.test(text.prose) ||
    CONTROL_OPENING.test(text.opening);
  // "The table overflows on narrow screens, let it scroll inside its card below 640px": a layout that breaks on
  // small screens, with the layout asked for, is responsiveness work rather than a bug.
  const responsive = !feature && SMALL_SCREEN.test(text.prose) && LAYOUT_BREAKS.test(text.prose) &&
    ASKING.test(text.prose) && !ERROR_EVIDENCE.test(text.raw);
  if (responsive) {
    scores.style += scores.fix;
    scores.fix = 0;
  }
  const appearance = Math.min(5, lookWords + (scores.style > 0 ? 1 : 0));
  // One look word suffices in a short request, not in a long one.
  const onlyLooks = appearance >= 2 || (appearance === 1 && text.words <= 20);
  // "How do I center a div with flexbox?": a how-to about looks asks for the styling.
  const lookHowTo = HOW_TO.test(text.opening) && (appearance >= 2 || (appearance === 1 && text.words <= 15));
  const otherIntent = scores.fix >= 2 || (scores.explain >= 3 && !lookHowTo) || scores.test >= 3 ||
    scores.refactor >= 3;
  if (!feature && !otherIntent && (existing || lookHowTo) && onlyLooks) {
    // The change verbs ("add a fade", "change the colour") ask for a restyle.
    scores.style += 2 * appearance + scores.edit;
    scores.edit *= 0.3;
    // The how-to asks for the styling, not a lesson.
    if (lookHowTo) scores.explain *= 0.5;
  } else {
    // Beside a feature, or with nothing yet to restyle, look words describe the thing built; beside a symptom,
    // the thing broken ("in dark mode our logos disappear").
    scores.style += (feature ? 0.3 : scores.fix >= 2 ? 0.5 : existing ? 1 : 0.6) * appearance;
  }
}

export function scoreTaskTypes(text: RequestText, hasContext: boolean): Scores {
  const opening = {} as Scores;
  const scores = {} as Scores;
  for (const taskType of TASK_TYPES) {
    opening[taskType] = cueScore(text.opening, OPENING_CUES[taskType]);
    scores[taskType] = cueScore(text.prose, PROSE_CUES[taskType]) + opening[taskType];
  }
  weighErrorsAndQuestions(text, scores, opening);

  // Building something inside the project is an edit, not generation.
  const existing = insideAProject(text, hasContext, opening);
  if (existing) {
    scores.edit += scores.generation + 1;
    scores.generation = 0;
  } else {
    scores.generation += 1;
  }
  // A state reported, nothing asked for: "our nav links go to the wrong pages" reports a bug; "the icons are
  // too big next to the temperature", with no symptom, a judgement of the looks (weighed as appearance).
  const judgedLooks = scores.fix === 0 && DESIGN_JUDGEMENT.test(text.prose);
  if (!ASKING.test(text.prose) && !judgedLooks) {
    // After a topic ("socket.io: the client connects and disconnects …"), the report's own opening.
    const afterTopic = text.opening.replace(TOPIC, "");
    if (REPORT_OPENING.test(text.opening) || (REPORT_OPENING.test(afterTopic) && !describesAProduct(text))) {
      scores.fix += 2.5;
    } else if (
      (REPORT_ANYWHERE.test(text.prose) || SYMPTOM.test(text.prose)) && !describesAProduct(text)
    ) scores.fix += 1.5;
  }
  // "The welcome email currently says 'Dear user' … it should say 'Hi Anna'": the current design, described
  // for a change to it, not a bug (which users date: "now", "since the update").
  if (CURRENT_DESIGN.test(text.prose) && !ERROR_EVIDENCE.test(text.raw)) scores.fix *= 0.5;
  weighAppearance(text, scores, existing);

  for (const taskType of TASK_TYPES) scores[taskType] = Math.round((scores[taskType] + PRIOR) * 10) / 10;
  return scores;
}

/** Ties go to the more specific intent. */
const TIE_ORDER: TaskType[] = ["fix", "explain", "test", "refactor", "style", "edit", "generation"];

export function pickTaskType(scores: Scores): TaskType {
  return TIE_ORDER.reduce(
    (best, taskType) => (scores[taskType] > scores[best] ? taskType : best),
    TIE_ORDER[0],
  );
}

/** (top - second) / top of the task scores: 0 when two types tie, near 1 when one type has all the evidence
 * (the prior keeps a single weak cue well below 1). */
export function confidenceOf(scores: Scores, top: TaskType): number {
  const best = scores[top];
  if (best <= 0) return 0;
  const others = Object.entries(scores).filter(([type]) => type !== top).map(([, score]) => score);
  return Math.round(Math.min(1, (best - Math.max(0, ...others)) / best) * 1000) / 1000;
}
