// The phrases that reveal a task type, each with a weight, read from the lower-cased prose of a request
// (profile-text.ts): the fix and refactor cues, the largest, have modules of their own. How they are weighed
// together is profile-task-type.ts.

import type { TaskType } from "../contract.ts";
import { FIX_CUES } from "./profile-fix-cues.ts";
import { PRODUCT_ASKED, PRODUCT_ASKED_BARE, PRODUCT_OPENING } from "./profile-project-cues.ts";
import { REFACTOR_CUES } from "./profile-refactor-cues.ts";

/** A phrase and how much it weighs for a task type. */
export type Cue = [RegExp, number];

/** Cues read anywhere in the prose. */
export const PROSE_CUES: Record<TaskType, Cue[]> = {
  generation: [
    [PRODUCT_ASKED, 4],
    [PRODUCT_ASKED_BARE, 4],
    [
      /\b(build|make|create|code) (it|this|that)( for me)?\?|\bfrom scratch\b|\bnew (app|project|site|website|product|repo)\b|\bportfolio project\b/,
      2,
    ],
    [
      /\bi('m| am) an? \w+|\bfor (my|our) (\w+ ){0,2}(company|business|clinic|bakery|shelter|wedding|class|studio)/,
      1,
    ],
  ],
  edit: [
    // The verbs, not the nouns ("the delete button", "no behaviour change").
    [
      /\b(?<!(\b(no|any|without|behaviou?r|ui|visual|code|functionality|not|never|the|a|an|this|that|i|we|they|he|she)|n't) )(add|change|update|modify|rename|remove|delete|hook (\w+ ){0,3}up|wire (\w+ ){0,3}up|integrate|let (users|people|me|the user|visitors|customers|clients)|now make it)\b/,
      1,
    ],
    [
      /\bmake (it|them|this|the \w+) (save|remember|persist|work|show|use|load|sync|follow|support|accept|send|open|close|redirect|sort|filter|update|collapsible|clickable|editable|draggable|sortable)\b/,
      3,
    ],
    [
      /\b(can'?t|cannot) currently\b|\bcurrently (can'?t|cannot|doesn'?t|don'?t)\b|\bthere'?s no (way|option|button) to\b/,
      3,
    ],
    [
      /\b(we|i) need an? (new )?(\w+ )?(screen|page|button|option|field|setting|component|view|tab)\b|\b(its|their) own (url|route|address|path)\b|\bso (i|we|you|they|people|users) can (link|share|bookmark)\b|\bshould (now |also )?(be able|show|have|pick|open|close|redirect|land|save|display|appear|include|get)\b/,
      1,
    ],
  ],
  fix: FIX_CUES,
  refactor: REFACTOR_CUES,
  style: [
    [/\b(\w+ )?style (like|similar to)\b/, 2],
    // "Match the Figma for the profile page: avatar overlapping the cover": a design to reproduce, not a bug.
    [/\b(match|matching) (the |our )?(figma|mockups?|design file|designs?|sketch|comps?)\b/, 3],
    // The states and media of an element's looks: "hover and focus styles", "a print stylesheet".
    [
      /\b(hover|focus|active|disabled|pressed) (states?|styles?|effects?|rings?|outlines?)\b|\bprint (stylesheet|styles|css)\b/,
      3,
    ],
    [
      /\b(restyle\w*|style (the|it|this|these|them|my|our|all|\w+ (page|form|buttons?|components?))|styling|look(s)? (nicer|better|more|modern|cheap|dated|ugly|good|right|deliberate|like|completely|terrible|cramped|off|bland)|nicer looking|premium feel|redesign|prett(y|ier)|polish|moderni[sz]e (it|them|the (look|design|ui))|facelift|makeover|revamp|make (it|them|the \w+) pop|glassmorphism|(don'?t|do not) like (how|the way) (\w+ ){0,3}looks?|look (more )?professional)\b/,
      3,
    ],
  ],
  explain: [
    [
      /\bhow (do|does) ([\w(),.'-]+ ){1,8}(work|differ|fit|map|relate|interact|talk)\b|\bhow (\w+ ){1,4}works\b|\bwhat (does|do) ([\w'"`.-]+ ){1,5}(do|mean)\b/,
      3,
    ],
    [
      /\bwhy (does|do|is|are|did)\b|\bvs\.?\s|\bversus\b|\bwould (\w+ ){1,3}make sense\b|\bwhat'?s the point\b/,
      2,
    ],
    [
      /\bis there a reason\b|\bwhat do people\b|\bin practice\b|\bbest practices?\b|\bwhat would you (pick|choose|use|recommend)\b/,
      2,
    ],
    [/\?\s*$/, 1],
    // A yes/no question about the user's own setup: "does my sqlite file survive deploys?", "do I need the cli".
    [
      /(^|[.?!]\s+)(or )?(do|does|did|is|are|will|should) (i|we|my|our|it|this|that)\b|(?<!\b(why|how|what|where|when|which) )\b(does|do|did|will) (my|our|it|i|we) [^.?!\n]{0,60}\?|\bwhat happened\b/,
      2,
    ],
    // "REST or GraphQL for a small mobile app backend?": a choice to weigh.
    [/^\s*([\w.+#-]+ ){0,2}[\w.+#-]+ or ([\w.+#-]+ ){0,2}[\w.+#-]+( for [^?]{0,80})?\?/, 3],
  ],
  test: [
    [
      /\b(unit|integration|e2e|end-to-end|regression|snapshot|interaction|component|visual|smoke|contract|load|accessibility|a11y|property[- ]based|mutation) (tests?|suites?)\b|\btests? (for|that|covering|suite|cases?|factor(y|ies)|fixtures?|stack|runner|file)\b|\be2e\b|\bcoverage\b|\bspecs? for\b|\b(write|add|need|want|set up|update|make)\s+(\w+\s+){0,3}?(tests?|specs?)\b|\btest (it|this|my|the|that)\b|\bwith (some )?tests\b|\bsnapshots\b|\b(is|are) covered\b|\bcover (the )?(\w+ )?(cases|edge cases|paths|branches)\b|\bflaky\b|\b(the|our|my|test) suite (covers?|tests?)\b|\b(in|to|into) (the|my|our) (\w+ )?tests\b|\b(playwright|cypress|jest|vitest|pytest|mocha) (checks?|cases?|scenarios?|suites?)\b/,
      5,
    ],
    [
      /\b(jest|vitest|playwright|cypress|pytest|mocha|supertest|testing[- ]library|test utils|storybook|testcontainers|msw)\b/,
      3,
    ],
    [
      /\b(tests?|testing|mock(s|ed)?)\b(?<!\b(speed|typing|a\/b|iq|personality|driving|easier to) \w+)(?! (cards?|mode|keys?|data|accounts?|environment|game))/,
      1,
    ],
  ],
};

/** Cues read in the opening clause: the intent usually comes first. */
export const OPENING_CUES: Record<TaskType, Cue[]> = {
  generation: [
    [
      /^((build|create|scaffold|generate|develop|code|design|write) (me |us )?(a|an|my|our|some)|make (me |us )?(a|an|some))\b(?! (\w+ )?(tests?|specs?|unit|e2e|function|script|query|regex|readme|docs?)\b)/,
      3,
    ],
    [PRODUCT_OPENING, 3],
  ],
  edit: [[
    /^(in (my|our|the) |add|change|update|modify|rename|replace|move|remove|delete|hook|wire|connect|integrate|let|allow|show|hide|display|persist|remember|put|turn|include|insert|swap|enable|disable|support|limit|close|implement|extend|stop|prevent|redirect|store|save|cache|sync|sort|debounce|internationali[sz]e|locali[sz]e|make (the|it|each|every|all|evry|them))\b/,
    2,
  ]],
  fix: [
    // Not a fix of the looks ("fix the padding on the cards"), as in FIX_CUES.
    [
      /^(fix(?! (all |the |my |our |this )*([\w-]+ )?(contrast|spacing|layouts?|alignment|colou?rs?|padding|margins?|fonts?|typography|look|styling|design)\b)|debug)\b/,
      3,
    ],
    // "login returns 401", "why is my API returning 500?"
    [
      /\b(returns?|returning|gives?|giving|getting|get|got|throws?|throwing|answers?|answering|responds?|comes? back|with an?) (http )?[45]\d\d\b(?! (with|when|if|for)\b)/,
      3,
    ],
  ],
  refactor: [[
    /^(refactor|clean|tidy(?! up the (look|styl\w*|design|ui|visuals?|css|spacing))|convert|migrate|extract|split(?! (each|every|the) (\w+ )?(expense|bill|cost|payment|amount|check|total)s?\b)(?! [^.]{0,40}\binto (two|three|four|five|\d+|several|multiple|separate) (steps|pages|screens|tabs|views|sections|routes)\b)|simplify|restructure|(remove|delete|get rid of) (the |all )?(dead|unused|duplicated?))\b/,
    3,
  ]],
  style: [[/^(style|restyle|make (it|the (\w+ ){0,2}?\w+|them) (look|prettier|nicer))\b/, 3]],
  explain: [
    [
      /^(why|what(?! (i|we) (want|need))|which|when (should|do|does|is|are|would|to)|where|is it|is there|are there|is (a|an|this|that|using) [^?]{0,60}(good|bad|better|worse|ok|okay|fine|right|wise|overkill)\b|should (i|we)|does|would|how (does|is|are|come|should|would)|explain|walk (me|us) through|tell me|help me understand|describe)\b/,
      3,
    ],
    [/\b(vs\.?|versus)\s/, 2],
    // "how do I route traffic to Vercel?", "REST or GraphQL for a small backend?": a question to answer.
    [/^how (do|can|should) (i|we|you)\b/, 2],
  ],
  test: [[/^(test|tests|mock|(write|add) (\w+ )?(tests|specs)|cover (the|our|this|these|my) )\b/, 3]],
};
