// The profiler's view of a request: its prose (what the user asks, in their words) apart from the code and
// logs they pasted, read through a bounded window so that profiling stays well under a millisecond.

export interface RequestText {
  /** The prose, lower-cased, fenced code replaced by a marker: where intent and requirements are read. */
  prose: string;
  /** The prose's opening clause, without greetings and politeness ("hey! could you …"). */
  opening: string;
  /** The window with its code, original case: error messages and stack traces are often fenced. */
  raw: string;
  /** Words of the whole prose, and its enumerated lines (bullets, numbered steps). */
  words: number;
  enumerated: number;
}

/** Keyword signals read the start and the end of long requests; the length signal sees all the prose. */
const WINDOW = { head: 1_600, tail: 400 };

const FENCED_CODE = /```[\s\S]*?(```|$)/g;
const ENUMERATED_LINE = /^[ \t]*([-*•]|\d+[.)]|task \d+:)[ \t]+\S/gim;
/** Lead-ins that carry no intent: greetings, "Task 3:", "can you", "please", "I'd like you to". */
const LEAD_IN =
  /^(\s*(hey|hi|hello|ok(ay)?|so|now|also|task \d+|step \d+|quick one|question)\b[\s!,.:-]*|\s*(can|could|would|will) (you|someone|u)( please)?( help me)?\s+|\s*(please|pls|plz|kindly)\s+|\s*i('d| would) like (you )?to\s+|\s*i (want|need) (you )?to\s+|\s*help me\s+)+/;

function windowOf(text: string): string {
  const { head, tail } = WINDOW;
  return text.length <= head + tail ? text : `${text.slice(0, head)}\n${text.slice(-tail)}`;
}

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

export function readRequest(request: string): RequestText {
  const raw = windowOf(request);
  const fullProse = request.length <= WINDOW.head + WINDOW.tail
    ? raw.replace(FENCED_CODE, " [code] ")
    : request.replace(FENCED_CODE, " [code] ");
  const prose = windowOf(fullProse).toLowerCase();
  const opening = prose.trimStart().replace(LEAD_IN, "").split(/[.!?]\s|\n/, 1)[0];
  return {
    prose,
    opening: opening.slice(0, 120),
    raw,
    words: countWords(fullProse),
    enumerated: prose.match(ENUMERATED_LINE)?.length ?? 0,
  };
}
