// The phrases of a bug report, each with a weight: failures named, symptoms described, what happens against
// what should. Read from the lower-cased prose (profile-text.ts), summed into the `fix` score.

import type { Cue } from "./profile-task-cues.ts";

/** Verbs a symptom negates: "doesn't close", "aren't being applied", "never fires". */
const SYMPTOM_VERB =
  "work|show|chang|clos|open|fir|load|render|updat|appear|sav|submit|connect|match|reload|display|redirect|trigger|run|start|compil|build|persist|scroll|respond|exist|resolv|happen|appl(y|ie)|send|sent|call|pick|recogni[sz]|find|import|stick|stay|clear|reset|refresh|fetch|return|sync|play|print|log|regist|stop|go|com|receiv|resiz|mov|fit|wrap|switch|toggl";

/** Symptoms by name: "renders twice", "a blank page", "NaN", "off by one". */
const SYMPTOM_WORDS =
  "twice|three times|multiple times|forever|redirect loop|infinite (loop|redirect|re-?render)s?|flash(es|ing)?|flicker\\w*|jumps? back|blank (page|screen)|white (page|screen|strip)|goes white|renders nothing|nothing (happens|shows|logs|renders)|not defined|undefined|nan|404s?(?! (page|screen|route|view))|invalid date|refuses? to|leak\\w*|out of memory|unusable|freez\\w+|hangs|laggy|off by one|one day (earlier|later|off)";

export const FIX_CUES: Cue[] = [
  // "Fix the contrast in dark", "fix all the mobile layouts": a fix of the looks is a restyle.
  [
    /\b((?<!will )fix(?! (all |the |my |our |this )*([\w-]+ )?(contrast|spacing|layouts?|alignment|colou?rs?|padding|margins?|fonts?|typography|look|styling|design)\b)|fixing|debug|bugs?(?! (tracker|reports?|bount\w+))|broken(?! (links?|by|down|into|up)\b)|(?<!(shouldn'?t|should not|won'?t|doesn'?t|not|never|without) )(?<!\b(if|when|in case|unless) ([\w-]+ ){0,2})crash\w*(?! report\w*)|(?<!\b(if|when|unless) ([\w-]+ ){0,3})(fails?|failed(?! (payments?|logins?|(log-?in |sign-?in )?attempts?|charges?|jobs?|requests?|deliver(y|ies)|uploads?|transactions?)\b))|failing|doesn'?t work|does not work|not working|isn'?t working|stopped \w+ing|is a mess|went wrong|what'?s wrong|(?<!\b(if|when|unless) ([\w'-]+ ){0,3})(is|are|looks?|comes? out) wrong|(comes? out|shows? up|ends? up) (rotated|blank|empty|garbled|broken|upside down|sideways|blurry|black|corrupt\w*))\b/,
    3,
  ],
  [
    new RegExp(
      `\\b(doesn'?t|does not|didn'?t|don'?t|won'?t|isn'?t|aren'?t|can'?t|cannot|never|no longer|not)(?<!\\b(so( that)?|when|if|whenever|unless|once) ([\\w']+ ){0,4}[\\w']+)\\s+(\\w+\\s+){0,2}?(${SYMPTOM_VERB})(e|es|s|ed|d|ing|ies|ied)?\\b(?!\\s+(\\w+\\s+){0,2}yet\\b)`,
    ),
    2,
  ],
  [
    /\b(always|still|only ever|keeps?|kept)\s+(\w+\s+){0,2}?(empty|undefined|null|blank|submits?|returns?|shows?|showing|getting|failing|crashing|answering|growing|climbing|reloading|jumping|behind|the same|stays|logs?|prints?|says|gives?|outputs?)\b(?! once\b)|(?<!\bso (that )?([\w'-]+ ){0,3})\bkeeps? (?!track)\w+ing\b/,
    2,
  ],
  // The symptom wished away is no report: "no flash", "avoid the white flash", "instead of the blank page".
  [
    new RegExp(
      `\\b(?=(${SYMPTOM_WORDS})\\b)(?<!\\b(no|without|avoid(ing)?|prevent(ing)?|instead of|rather than) (an? |the |any )?(\\w+ )?)`,
    ),
    2,
  ],
  [
    /\b(works?|worked|was) (fine|ok|okay|perfectly|correctly)\b|\bis (fine|ok|okay) (until|but|in|on|locally)\b|\bworks? (locally|in dev|in chrome|on my machine)|\bworks? (fine |perfectly )?(in|on|with|from) [\w.-]+ but\b|\b\w+s? (fine|ok|okay|correctly) but\b|\bworks but\b|\bworks? (the first time|once|at first|initially)\b|\bbut (\w+ ){0,4}actually\b|\b(was|were) working\b|\bused to work\b|\bever since\b|\bsince (i|we) (changed|updated|upgraded|moved|added|switched|deployed|merged)\b|\bi thought (\w+ ){0,4}(would|was|were|should|saves?|handles?|works?|did)\b|\bafter (upgrading|updating|bumping|deploying)\b|\bwhat'?s going on\b|\bwhat am i (doing|missing)\b|\bget rid of (it|this|the (error|warning))\b|\bdig into\b|\btrack (it|this) down\b/,
    2,
  ],
  [
    /\b(actually|properly) (keeps?|works?|saves?|shows?|updates?|loads?)\b|\beven (with|when|though|after|for)\b/,
    2,
  ],
  // "I'm trying to build a login page but signIn keeps throwing": the build is the context, the bug the ask.
  [/\btrying to [^.]{0,80}\bbut\b/, 3],
  // A visual symptom is a bug: "the modal is invisible after the update".
  [
    /\b(hidden behind(?! (a|the|an) (\w+ )?(menu|hamburger|burger|toggle|button|icon|dropdown|drawer|more|disclosure))|invisible|can only see|stretched|squished|cut off|overlap\w*|misaligned|blurry|pixelated|disappear\w*|vanish\w*|not visible|can'?t see)\b/,
    2,
  ],
  [
    /\bafter the (last |latest |recent )?(update|upgrade|deploy\w*|merge|release|migration)\b|\bafter (i |we )?(deploy|deployed|upgrade|upgraded|update|updated)\b/,
    2,
  ],
  [/\b(i|we)('ve| have)? noticed\b|\bscroll(s|ing)? sideways\b|\bwider than the screen\b/, 2],
  // What happens against what should: "goes to the wrong page", "not the one I just typed".
  [
    /\b(go|goes|went|points?|links?|navigates?|redirects?|sends?) to the wrong\b|\b(in|on) the wrong (order|place|page|day)\b|\bthe wrong (order|page|value|total|result|data|user|date|time|currency|language)s?\b|\bnot the one (i|we|you)\b|\b(get|gets|getting) (logged|signed|kicked) out\b/,
    2,
  ],
  [
    /\bcan'?t (get|seem to|figure out)\b|\b(getting|get|got|throws?|throwing|raises?|raising|seeing) (an? |this |the |a weird |the same )?(error|exception|warning)s?\b|\berrors? (when|while|on|after) |\b(does|do|did) nothing\b|\b(getting|get|got|says|shows|throws) ['"]/,
    3,
  ],
  [
    /\b(for some reason|randomly|intermittent\w*|sometimes|no idea why|stops \w+ing|drops)\b|(?<!\b(if|when|while|once) ([\w-]+ ){0,4})\b(is|are) (empty|blank|missing|gone)\b/,
    2,
  ],
  [
    /\bbut (after|when|on|in|now|then)\b|\b(shows?|returns?|gives?) (exactly |always |still )?the same\b|\b(only )?(in|on) production\b|\bonce deployed\b|\bexpected (\w+ )?but\b|\bthan (what|the one) (i|we) (picked|selected|entered|typed|chose|expected|set)\b/,
    2,
  ],
  [
    /\b(is|it'?s|are|got|gets|feels) (so |really |very |too |super |painfully )?slow\b|\bcan you (find|figure out|track down) (where|why|what)\b/,
    2,
  ],
  // Behaviour that should not happen: "lets me submit with an empty password", "only show up after I send one".
  [
    /\blets? (me|you|users?|people|anyone) \w+ (\w+ )?(with|without) (an? )?(empty|blank|invalid|wrong|no)\b|\bonly (shows?|showed|appears?|appeared|works?|worked|loads?|loaded) (up )?after (i|we|you) \w+/,
    3,
  ],
  // A result that is wrong beside a request that succeeded: "returns null right after …", "the POST succeeds (201)".
  [
    /(?<!\b(when|if|whenever|once|unless) ([\w.-]+ ){0,3})\b(returns?|gives?|comes? back( as)?) (null|undefined|nan|an empty \w+)\b|\b(request|response|api|server|endpoint|post|delete|put|patch|call) (says|returns|gives|succeeds|is|comes back) \(?(\d{3}|ok|fine|success)\b/,
    2,
  ],
  [
    /\b(?=(returns?|gives?|shows?|prints?|logs?|displays?|renders?|opens|reloads|submits|downloads|navigates|redirects|goes|sends|refreshes|clears|resets|closes|scrolls|jumps|fires|saves|loads|fetches|creates|adds|puts|takes|brings)\b)(?<!\b(should|must|to|could|can|will|would|please|and|then|it|they) (also |now |just |only )?)(?<!\bso (that )?([\w'-]+ ){0,3})(returns?|gives?|shows?|prints?|logs?(?! (in|out)\b)|displays?|renders?|opens|reloads|submits|downloads|navigates|redirects|goes|sends|refreshes|clears|resets|closes|scrolls|jumps|fires|saves|loads|fetches|creates|adds|puts|takes|brings) (\S+ ){1,6}instead of (my|the|what|an?|\w+ing|where (i|we|you))\b/,
    2,
  ],
  // "Pagination shows page 2 with the same items as page 1", "user is null after refresh", "flashes the
  // dashboard for a moment before redirecting", "'transport close' in the logs", "but the colours stay light".
  [
    /\b(shows?|returns?|gives?|has|have|lists?|displays?) (\w+ ){0,4}the same (\w+ ){0,2}as\b|(?<!\b(nothing|never|not|so|isn'?t|aren'?t) )\b(is|are|gets?) (null|undefined|lost|reset|wiped|cleared) (every time|after (every|each|a|the)|on (every|each)|whenever)\b|\b(for a (moment|second|split second|sec)|briefly) before (redirecting|going|showing|loading|rendering|switching|it|the)\b|\bin the (logs?|console)\b|\bbut (the |its |their |it |they |nothing )?(\w+ ){0,8}(stays?|remains?|still|stuck)\b/,
    2,
  ],
  // Only one browser misbehaves: "look inverted on safari only, chrome and firefox fine".
  [
    /\b(on|in) (safari|firefox|chrome|edge|ie(11)?|ios|android)( \w+)? only\b|\bonly (on|in) (safari|firefox|chrome|edge|ie(11)?)\b|\b(chrome|firefox|safari|edge)( and \w+)? (is |are )?fine\b/,
    3,
  ],
  // A state that should have ended: "the menu stays open after you tap a link, you have to close it manually".
  [
    /(?<!\b(should|must|to|will|would|and|can|could) )\bstays? (open|visible|stuck|on screen|disabled|checked|selected|highlighted)\b|\b(have|has) to (\w+ ){0,3}manually\b/,
    2,
  ],
  // A correction after the state: "the modal closes when I click inside it, it should only close on the backdrop".
  [/[,.;—-]\s*(but )?(it|they|this) (should|is supposed to) (only|just|not|never|instead)\b/, 2],
  // A wrong output beside what it should be: "dates come out as 03/14/2024 — should be 14/03/2024".
  [
    /\b(come|comes|came|show|shows|display|displays|appear|appears) (up |out )?as [^\n]{1,60}?(—|-|,|;|but)\s*(it |they )?should (be|say|show|read)\b/,
    3,
  ],
  [/\bnot asking (you )?(for a fix|to fix)\b/, -3],
];
