// The phrases that reveal a task type, each with a weight, read from the lower-cased prose of a request
// (profile-text.ts). How they are weighed together is profile-task-type.ts.

import type { TaskType } from "../contract.ts";

export type Cue = [RegExp, number];

const PRODUCT =
  "app|application|mock-?up|wireframe|one-?pager|microsite|website|site|web ?app|page|game|tool|clone|platform|dashboard|widget|portfolio|calculator|tracker|board|server|api|backend|service|starter|store|shop|blog|extension|bot|cli|generator|previewer|timer|editor|wizard|explorer|compressor|quiz|marketplace|helpdesk|mvp|prototype|system|template|(blog|wordpress|hugo|jekyll|ghost|shopify) theme|saas|component|r[eé]sum[eé]|gallery|slideshow|carousel|email template|newsletter|invitation|clock|countdown|simulator|visuali[sz]er|converter|chatbot|script|library|package|plugin|sdk|microservice|form";

/** Words of a product's name before its noun ("a little pokedex app"), never a preposition or possessive. */
const NAME_WORD = "(?!(for|in|on|to|of|with|my|our|your|their|from)\\b(?!-))[\\w'\"&+./-]+\\s+";

/** A product asked to be built: "build me a small web app", "I want a booking platform". */
export const PRODUCT_ASKED = new RegExp(
  `\\b(build|create|scaffold|generate|develop|make|write|code|set up|spin up|want|need|love|like|idea for|looking for)[:\\s]+(me\\s+|us\\s+)?(a|an|some|new)\\s+(${NAME_WORD}){0,5}?(${PRODUCT})\\b`,
);
/** A product named without a verb, opening the request: "todo app please", "Kanban board with three columns". */
export const PRODUCT_OPENING = new RegExp(
  `^(?!(the|each|every|my|our|this|that|these|those|all|in|on|when|after|if|it|i|we|how|why|what|which|where|is|are|does|do)\\b|(react|vue|next(\\.js)?|angular|svelte|node|express|flask|django|rails|ios|android|flutter) (app|project|site)\\s*:)(a |an )?(${NAME_WORD}){0,5}?(${PRODUCT})(?=\\s+(for|with|in|using|like|that|where|which|as|please|to|on|(i|we) (can|could|want|need))\\b|\\s*[:,(]|\\s+-|\\s*$)`,
);

/** Verbs a symptom negates: "doesn't close", "aren't being applied", "never fires". */
const SYMPTOM_VERB =
  "work|show|chang|clos|open|fir|load|render|updat|appear|sav|submit|connect|match|reload|display|redirect|trigger|run|start|compil|build|persist|scroll|respond|exist|resolv|happen|appl(y|ie)|send|sent|call|pick|recogni[sz]|find|import|stick|stay|clear|reset|refresh|fetch|return|sync|play|print|log|regist|stop|go|com|receiv|resiz|mov|fit|wrap";

/** Cues read anywhere in the prose. */
export const PROSE_CUES: Record<TaskType, Cue[]> = {
  generation: [
    [PRODUCT_ASKED, 4],
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
      /\b(we|i) need an? (new )?(\w+ )?(screen|page|button|option|field|setting|component|view|tab)\b|\bshould (now |also )?(be able|show|have|pick|open|close|redirect|land|save|display|appear|include|get)\b/,
      1,
    ],
  ],
  fix: [
    [
      /\b((?<!will )fix|fixing|debug|bugs?(?! (tracker|reports?|bount\w+))|broken(?! links?)|(?<!(shouldn'?t|should not|won'?t|doesn'?t|not|never|without) )(?<!\b(if|when|in case|unless) ([\w-]+ ){0,2})crash\w*(?! report\w*)|(?<!\b(if|when|unless) ([\w-]+ ){0,2})(fails?|failed)|failing|doesn'?t work|does not work|not working|isn'?t working|stopped \w+ing|is a mess|went wrong|what'?s wrong|(?<!\b(if|when|unless) ([\w'-]+ ){0,3})(is|are|looks?|comes? out) wrong|comes? out (rotated|blank|empty|garbled|broken|upside down|sideways|blurry|black|corrupt\w*))\b/,
      3,
    ],
    [
      new RegExp(
        `\\b(doesn'?t|does not|didn'?t|don'?t|won'?t|isn'?t|aren'?t|can'?t|cannot|never|no longer|not)(?<!\\b(so( that)?|when|if|whenever|unless|once) ([\\w']+ ){0,4}[\\w']+)\\s+(\\w+\\s+){0,2}?(${SYMPTOM_VERB})(e|es|s|ed|d|ing|ies|ied)?\\b`,
      ),
      2,
    ],
    [
      /\b(always|still|only ever|keeps?|kept)\s+(\w+\s+){0,2}?(empty|undefined|null|blank|submits?|returns?|shows?|showing|getting|failing|crashing|answering|growing|climbing|reloading|jumping|behind|the same|stays|logs?|prints?|says|gives?|outputs?)\b|(?<!\bso (that )?([\w'-]+ ){0,3})\bkeeps? (?!track)\w+ing\b/,
      2,
    ],
    [
      /\b(twice|three times|multiple times|forever|redirect loop|infinite loop|flash(es|ing)?|flicker\w*|jumps? back|blank (page|screen)|white (page|screen|strip)|goes white|renders nothing|nothing (happens|shows|logs|renders)|not defined|undefined|nan|404s?(?! (page|screen|route|view))|invalid date|refuses? to|leak\w*|out of memory|unusable|freez\w+|hangs|laggy|off by one|one day (earlier|later|off))\b/,
      2,
    ],
    [
      /\b(works?|worked|is|was) (fine|ok|okay|perfectly|correctly)\b|\bworks? (locally|in dev|in chrome|on my machine)|\bworks? (fine |perfectly )?(in|on|with|from) [\w.-]+ but\b|\b\w+s? (fine|ok|okay|correctly) but\b|\bworks but\b|\b(was|were) working\b|\bused to work\b|\bever since\b|\bafter (upgrading|updating|bumping|deploying)\b|\bwhat'?s going on\b|\bwhat am i (doing|missing)\b|\bget rid of (it|this|the (error|warning))\b|\bdig into\b|\btrack (it|this) down\b/,
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
      /\b(hidden behind|invisible|can only see|stretched|squished|cut off|overlap\w*|misaligned|blurry|pixelated|disappear\w*|vanish\w*|not visible|can'?t see)\b/,
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
      /(?<!\b(should|must|to|could|can|will|would|please|and|then|it|they) (also |now |just |only )?)\b(returns?|gives?|shows?|prints?|logs?(?! (in|out)\b)|displays?|renders?) (\S+ ){1,6}instead of (my|the|what|an?)\b/,
      2,
    ],
    [/\bnot asking (you )?(for a fix|to fix)\b/, -3],
  ],
  refactor: [
    [
      /\b(refactor\w*|clean(ing)? ?up|tidy (\w+ )?up|restructure|reorgani[sz]e|decouple|dedupe|deduplicate|modulari[sz]e|simplify|dry (it |this |them )?up|consolidate|more (pythonic|idiomatic|readable)|feature folders|dead code|unused (imports|code|variables|functions|files)|lazy[- ]?load\w*|code[- ]split\w*|bundle size)\b/,
      5,
    ],
    [
      /\b(extract|split (\w+ )?(up|into)\b(?! (two|three|four|five|\d+|several|multiple|separate) (steps|pages|screens|tabs|views|sections|routes)\b)|split (\w+ ){0,2}apart|broken (up )?into|unify|standardi[sz]e|organi[sz]e (the )?(\w+ )?(code|files|folders|imports|components|project|structure)|abstract (\w+ ){0,3}(into|behind)|behind an? (\w+ )?(interface|abstraction|adapter|facade)|decompose|break (\w+ ){0,3}(up|apart|into)|(pull|move) ([\w+&/.()-]+ ){0,9}(out )?into|merge (\w+ ){0,3}into (one|a single)|out of (every|each|all|the) (\w+ ){0,3}into|into (one|a single) (\w+ ){0,2}(client|module|function|hook|component|place|file|service|middleware|helper|instance)|inline (the|this|that) (\w+ ){0,2}(helper|function|hook|variable|constant|component|util\w*)|copy-?pasted|duplicated?|duplication|(nearly|almost|basically|mostly) (identical|the same)|the same (\w+ ){0,4}(code|logic)|shared (\w+ )?(hooks?|components?|modules?|helpers?|clients?)|reusable (\w+ )?(hooks?|components?)|prop drilling|does (way )?too much|hard to (follow|maintain)|(code|function|file|component|this) is hard to read|mix(es)? (\w+, )*\w+ and \w+|a mix of|named exports|default exports|getting (big|long|messy|out of hand))\b/,
      4,
    ],
    [
      /\bconvert(ing|ed)? (\w+ ){0,5}(to|into)\b|\bmigrat\w+ (\w+ ){0,6}(from|to)\b|\b(move|moving) from [\w.-]+ to\b|\bupgrade (\w+ ){0,3}(from|to) ([\w.-]+ ){1,3}v?\d|\bmov(e|ing) (off|away from)\b|\b(rewrite|port) (\w+ ){0,4}(in|to|with|using) (typescript|ts|hooks|async|the composition api)|\b(to|into) (typescript|hooks|async\/await|the composition api|composition api|<script setup>|function components?|redux toolkit|react query)\b|\buse async\/await\b|\bturn (these |this |the |all )?(\w+ ){0,2}(callbacks?|class(es)?|promises?|functions?) into\b/,
      4,
    ],
    [
      /\brenam\w* ([\w`'".-]+ ){0,6}(everywhere|across|throughout|in all)\b|\brename (the |this |that )?(\S+ )?(function|variable|method|file|class|component|hook|prop|type|module|folder|helper|util)s?\b|\b(name|naming) is (misleading|confusing|unclear)\b|\b(update|fix) (all|every) (the )?(imports|references|usages|call ?sites|callers)\b/,
      5,
    ],
    [
      /\b(variable names|naming|template literals|const\/let|arrow functions|early returns|magic numbers|(code|function|logic|file|component|module|it)( is| more)? readab\w+|readability of|maintainab\w+|code smells?|tech(nical)? debt|boilerplate|spaghetti)\b/,
      3,
    ],
    // Code constructs traded for others: "replace the if/else chain with a lookup table".
    [
      /\b(replace|swap|switch|convert|turn|rewrite|change|move) (\w+ ){0,4}(if\/else|if-else|nested ifs?|switch statements?|ternar\w+|callbacks?|\.then|var|class components?|proptypes|require\(?\)?|loops?|mutation|globals?|magic \w+|inline styles|try\/catch)\b/,
      4,
    ],
    [
      /\b(repeats? the same|mov(e|ing) (\w+ ){0,4}(to|into) (a |an |its own |their own |the )?(separate |shared |new |single )?(file|module|folder|config|hook|util\w*|helper|service|constants?|package)s?\b|(replace|swap) (the |all the |our )?(inline|duplicated|repeated|raw|manual|hand-?written|custom) |the same (\w+ ){0,4}(pattern|boilerplate|try\/catch|checks?|error handling)|wrap (them|each|all|every|these) (\w+ ){0,3}in an? (higher-order|helper|hook|function|hoc|wrapper)|higher-order (function|component)|separat\w+ (of )?(those |these |the )?concerns|console\.logs?|commented[- ]out code|improve the (structure|organi[sz]ation|readability|architecture|design|code quality) of|grown organically|hard to navigate|flatten|generics|instead of duplicating|scattered (across|all over|throughout|in)|more (efficient|performant)|(code|this|it|function|component|logic) (a bit |much )?cleaner|cleaner (code|implementation|logic|structure)|less (verbose|nested|repetitive|complex)|more (functional|concise|declarative|modular|generic|reusable|maintainable|testable|type-?safe)|nested ifs|lookup table|separate (the )?(\w+ ){0,3}from|separation of concerns|presentational|introduce an? (\w+ )?(layer|abstraction|interface|service|repository)|(repository|service|adapter|strategy|factory) (layer|pattern)|centrali[sz]e|make one (\w+ )?(component|hook|function|module) and use it|easier to (test|read|maintain|understand|extend|reuse)|add (proper |strict |explicit )?(typescript )?types (to|for)|`any`|use (it|them|this|that) everywhere|lift (\w+ ){0,4}(up|into|out)|inject\w* (the )?\w+ instead of|dependency injection|(lot of|so much|too much) repetition|repetitive|factor (\w+ )?out|optimi[sz]e (this|the) (function|code|query|loop|component|algorithm)|moderni[sz]e (this|the|our) (old |legacy )?\w+ (setup|code|config|syntax|store)|(old|legacy|outdated|deprecated) (\w+ )?(code|setup|syntax|patterns?)|make (the |this |it )?(\w+ ){0,3}(generic|reusable|configurable|type-?safe|testable|composable)|copy-?paste\w*|es modules?|esm)\b/,
      4,
    ],
    [
      /\b(awkward|clunky|confusing|messy) (api|interface|props|signature)\b|\b(api|interface|props|signature) is (awkward|clunky|confusing|messy)\b/,
      4,
    ],
    // The code's own constructs traded or regrouped: "use a reducer instead of the seven useState calls",
    // "pull the routes into their own files", "drive them from an array".
    [
      /\binstead of (the |our |a |an |all |those |these )?(\w+ ){0,3}(calls?|constants?|imports?|importing|classes|class|callbacks?|loops?|globals?|global one|props?|usestate\w*|hooks?|functions?|copies|jsx|markup|if\w*|switch\w*|variables?|mutations?)\b|\b(into|in) (their|its) own (files?|modules?|folders?|components?|hooks?|functions?|classes)\b|\b(give|make) (them|it|these|those) (one|a shared|a single|a common) (helper|function|hook|module|component|util\w*)\b|\binto (\w+, )*\w+,? (and|&) \w+ (modules|files|folders|components|hooks|services|classes)\b|\bimmutab\w+|\b(mutat|modif|push|sort|chang|updat)\w* (\w+ ){0,3}in place\b|\bdrive (them|it|this|these) from\b|\bpass (the |a )?\w+ in as an? (parameter|argument|prop)\b|\bgroup (\w+ ){0,4}into (a single|one) \w+|\bwrite (it|this|them) as an? (function|hook|class|component)s?\b|\bclass components?\b|\b(are|is) the same (\w+ )?(component|function|hook|code|page|class|module)s? with (different|small|minor)\b|\bmerge (them|these|those|both|the two)\b|\bturn (this|it|that|them|these) into (a |an )?(custom |reusable |shared |generic )?(hook|component|function|module|class|helper|util\w*)s?\b|\bso (the )?(two|both|all|other) \w+ can (share|reuse)\b|\b(variables?|functions?) (better |clearer |proper |meaningful )?names\b|\b(wrap|put|gather|collect) (all )?(our |the |these )?(\w+ ){0,2}in(to)? (one|a single) (client|module|function|hook|service|helper|place|file|wrapper)\b|\bdumping ground\b|\bdoes everything\b|\bgather (\w+ ){0,3}into (one|a single)\b|\bspread (over|across) (\w+ ){0,2}files\b|\bonce and (pass|reuse|share)\b|\b(pass|hand) the \w+ (around|down|through)\b/,
      4,
    ],
    // Duplication: the thing to make ("make a Field component") is the extraction.
    [
      /\b(repeats? the same|copy-?pasted|duplicated?|duplication|(nearly|almost|basically) identical|the same (\w+ ){0,4}(code|logic|markup|options|config|boilerplate)|(written|repeated|copied) (\w+ ){0,2}(times|twice)|\d+% the same|named (tokens|constants|variables))\b/,
      3,
    ],
    [
      /\b(replace|swap|switch) ([\w.-]+ ){1,8}(with|to)\b|\brewrite (this|it|the (\w+ )?(function|component|code|module|class|file|hook)) (in|as|with|using|to)\b/,
      2,
    ],
  ],
  style: [
    [/\b(\w+ )?style (like|similar to)\b/, 2],
    [
      /\b(restyle\w*|style (the|it|this|these|them|my|our|all|\w+ (page|form|buttons?|components?))|styling|look(s)? (nicer|better|more|modern|cheap|dated|ugly|good|right|deliberate|like|completely|terrible|cramped|off|bland)|nicer looking|premium feel|redesign|prett(y|ier)|polish|moderni[sz]e (it|them|the (look|design|ui))|facelift|makeover|revamp|make (it|them|the \w+) pop|glassmorphism|(don'?t|do not) like (how|the way) (\w+ ){0,3}looks?|look (more )?professional)\b/,
      3,
    ],
  ],
  explain: [
    [
      /\bhow (do|does) (\w+ ){1,6}(work|differ|fit)\b|\bhow (\w+ ){1,4}works\b|\bwhat (does|do) (\w+ ){1,5}(do|mean)\b/,
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
    // "REST or GraphQL for a small mobile app backend?": a choice to weigh.
    [/^\s*([\w.+#-]+ ){0,2}[\w.+#-]+ or ([\w.+#-]+ ){0,2}[\w.+#-]+( for [^?]{0,80})?\?/, 3],
  ],
  test: [
    [
      /\b(unit|integration|e2e|end-to-end|regression|snapshot|interaction|component|visual|smoke) tests?\b|\btests? (for|that|covering|suite|cases?|factor(y|ies)|fixtures?|stack|runner|file)\b|\be2e\b|\bcoverage\b|\bspecs? for\b|\b(write|add|need|want|set up|update|make)\s+(\w+\s+){0,3}?(tests?|specs?)\b|\btest (it|this|my|the|that)\b|\bwith (some )?tests\b|\bsnapshots\b|\b(is|are) covered\b|\bcover (the )?(\w+ )?(cases|edge cases|paths|branches)\b|\bflaky\b|\b(in|to|into) (the|my|our) (\w+ )?tests\b|\b(playwright|cypress|jest|vitest|pytest|mocha) (checks?|cases?|scenarios?)\b/,
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

/** A report of the current state opens with its subject: "the list …", "our nav links …", "users get …". */
export const REPORT_OPENING =
  /^(the|my|our|this|these|those|it|its|i|we|they|users?|people|customers|visitors|everything|nothing|some|sometimes|(when|whenever) (i|we|you|users?|someone|people|the user)|after|since|every|each|all|(clicking|tapping|pressing|typing|scrolling|opening|submitting|saving|refreshing|reloading|switching|logging|signing|adding|deleting|removing|editing|changing|selecting|closing|resizing|entering|pasting|uploading|running|building|deploying)\b)\b/;
/** A state reported anywhere ("first React app here, the counter goes up by two"): with nothing asked, a bug. */
export const REPORT_ANYWHERE =
  /\b(the|my|our|this|it|its)( \w+)? (goes|go|shows|show|is|are|does|keeps|gets|returns|stays|says|prints|renders|displays|jumps|opens|closes|counts|adds|skips|loads|freezes|breaks)\b/;

/** Words that ask for something: a report without them asks, implicitly, for the bug to go away. */
export const ASKING =
  /\b(should|shall|needs?|needed|want|wants|would like|'d like|wish|must|has to|have to|please|pls|let'?s|can (you|i|we)|could (you|i|we)|would you|i'?d love|time to|how (do|can|to))\b|(^|[.!?:;,]\s+|\n\s*)(add|change|update|make|turn|use|move|remove|replace|put|show|hide|let|give|set|switch|rename|create|build|implement|convert|refactor|write|fix|style|center|align|increase|reduce|improve|allow|support|animate|round|tighten|bump|stack|display|explain|test|redirect|send|take|navigate|go|stop|prevent|keep|lift|pull|extract|split|merge|wrap|break|factor|rewrite|migrate|upgrade|port|group|drive|pass|read|sort|give|cover|tone|line|limit|debounce|disable|enable|slide|alternate|get rid of|subscribe|send|post|notify|email|sync|track|log|record|cache|store|save|load|fetch|import|export)\b|(?<!\b(i|we|they|he|she|to) )\b(add|change|update|make|turn|use|move|remove|replace|put|give|switch|rename|create|build|convert|style|improve|animate|display) (a|an|the|each|every|all|it|them|this|these|my|our)\b/;

/** Behaviour kept: the change is to the code's shape (or, beside look words, to the looks alone). */
export const BEHAVIOUR_KEPT =
  /\b(no|without( any)?) (behaviou?r|functional(ity)?|ui|visual|functionality) changes?\b|\bwithout changing\b|\b(same|identical) (behaviou?r|output|props|events|requests|screens|text|strings|urls|routes|endpoints|results|responses|json|state shape|public api)|\b(must|should|to) (not change|stay (the same|identical)|look (exactly )?(the same|identical)|behave exactly|show the same)|\bshouldn'?t change\b|\bbyte-for-byte\b|\bnothing (else )?should (behave|change)\b|\b(look|behave|work) (or \w+ )?differently\b|\bkeep(ing)? (the )?same\b|\b(keep|keeping) (every|all) (url|endpoint|route)s?\b|\bas they are\b|\bsame as before\b|\b(should|must|has to|needs to|will) (still )?(be|look|behave|work|stay|remain) (exactly )?(the same|identical|unchanged|as before)\b(?! (height|width|size|colou?r|font|spacing|length|style))|\bunchanged\b|\b(no|without) (visible|user-facing|functional|behaviou?ral) changes?\b|\b(keep|preserve|maintain) (the )?(existing |current )?(behaviou?r|public api|output|functionality|interface|signatures?)\b|\busers? (shouldn'?t|should not|won'?t) notice\b/;

/** The looks kept: a change that must look the same is a refactor even beside look words. */
export const LOOKS_KEPT =
  /\blooks? (exactly )?(the same|identical)\b|\bno (ui|visual) changes?\b|\bwithout changing how (anything|it) looks\b/;

/** The tests themselves are the subject: the failure described is theirs. */
export const TEST_SUBJECT =
  /\b(tests?|specs?|suite)\b (\w+ )?(is|are|fails?|failing|pass(es|ing)?|keeps|breaks?|broke|times? out|flaky)\b|\bfix (the |my |our |this )?(\w+ )?tests?\b/;

/** Failing tests named anywhere: making them pass is test work. */
export const FAILING_TESTS = /\b(failing|broken|flaky) (\w+ )?tests?\b/;

/** The user asks, in so many words, to understand rather than change: explain even beside an error. */
export const EXPLAIN_EXPLICIT =
  /\b(explain|explaining|walk (me|us) through|help me (understand|think)|(want|need|trying) to understand|understand (what|how|why)|tell me (in plain|what|how|why)|an overview of|break (it|this|that) down for|what'?s the (actual |real )?difference|difference between|trade-?offs?|pros and cons|no code|not asking|don'?t want (any )?changes|just explain|before i touch|i'?m confused|which one (do|should) i|what (this|that|the) (\w+ ){0,3}means|what does (this|that|the|my) (\w+ ){0,2}mean|what (usually|typically|generally) causes|explanation|a good (choice|idea|fit|approach)|(your|honest) opinion|when would (i|you|we) use|confus(es|ed|ing) me|common causes|in general|bad practice|good practice|i don'?t get (what|how|why))\b/;

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
    /^(in (my|our|the) |add|change|update|modify|rename|replace|move|remove|delete|hook|wire|connect|integrate|let|allow|show|hide|display|persist|remember|put|turn|include|insert|swap|enable|disable|support|limit|close|implement|extend|stop|prevent|redirect|make (the|it|each|every|all|evry|them))\b/,
    2,
  ]],
  fix: [
    [/^(fix|debug)\b/, 3],
    // "login returns 401", "why is my API returning 500?"
    [
      /\b(returns?|returning|gives?|giving|getting|get|got|throws?|throwing|answers?|answering|responds?|comes? back|with an?) (http )?[45]\d\d\b(?! (with|when|if|for)\b)/,
      3,
    ],
  ],
  refactor: [[
    /^(refactor|clean|tidy|convert|migrate|extract|split(?! (each|every|the) (\w+ )?(expense|bill|cost|payment|amount|check|total)s?\b)(?! [^.]{0,40}\binto (two|three|four|five|\d+|several|multiple|separate) (steps|pages|screens|tabs|views|sections|routes)\b)|simplify|restructure|(remove|delete|get rid of) (the |all )?(dead|unused|duplicated?))\b/,
    3,
  ]],
  style: [[/^(style|restyle|make (it|the \w+|them) (look|prettier|nicer))\b/, 3]],
  explain: [
    [
      /^(why|what(?! (i|we) (want|need))|which|when (should|do|does|is|are|would|to)|where|is it|is there|are there|is (a|an|this|that|using) [^?]{0,60}(good|bad|better|worse|ok|okay|fine|right|wise|overkill)\b|should (i|we)|does|would|how (does|is|are|come|should|would)|explain|walk (me|us) through|tell me|help me understand|describe)\b/,
      3,
    ],
    [/\b(vs\.?|versus)\s/, 2],
    // "how do I route traffic to Vercel?", "REST or GraphQL for a small backend?": a question to answer.
    [/^how (do|can|should) (i|we|you)\b/, 2],
  ],
  test: [[/^(test|tests|write tests|add tests|cover (the|our|this|these|my) )\b/, 3]],
};

/** An error message, stack trace or failing log, read with the code (logs are often fenced). */
export const ERROR_EVIDENCE =
  /\b[A-Z]\w*(Error|Exception)\b(?!\()|\b(Uncaught|Unhandled)\b|\b(Error|ERROR|Warning|FATAL ERROR)\b:|\berror TS\d+|\[\w+ warn\]|Traceback|\bat \S+ \([^()\n]*:\d+:\d+\)|\b[45]\d\d \((Not Found|Forbidden|Unauthorized|Bad Request)\)|HTTP\/[\d.]+" [45]\d\d|blocked by CORS|\bFailed to (resolve|compile|fetch|load)\b|\bnpm ERR!|\b(Module not found|Cannot find module|Can't resolve|Could not resolve|command not found|Permission denied|Segmentation fault|Too many re-renders|Maximum update depth|Hydration failed|EADDRINUSE|port \d+ (is )?already in use|Invalid hook call|E(NOENT|CONNREFUSED|ACCES|TIMEDOUT)|Cannot (GET|POST|PUT|DELETE) \/)/;

/** Appearance words: the request asks about how something looks. */
export const APPEARANCE =
  /#[0-9a-f]{3,8}\b|\b\d+px\b|\b(colou?rs?|colou?r scheme|palette|font|typography|type scale|heading sizes?|line height|serif|spacing|whitespace|padding|margin|radius|rounded|border|shadow|gradient|hover|animat\w*|fade|(?<!(next|previous|prev|first|last|each|every|current|new|per) )slide(?! ?(show|deck))|transition|glass\w*|blur|contrast|dark (mode|theme|variant|palette)|light mode|themes?|css|tailwind|layout|grid|columns?|cent(er|re)\w*|align\w*|sticky|full[- ]width|max[- ]width|breakpoints?|mobile[- ]friendly|mobile(?! (app|team|developers?|devs?|sdk|client))|phones?|tablets?|responsive|icons?|bold|struck|greyed|brand|teal|green|grey|gray|purple|blue|red|orange\w*|brown\w*|warm\w*|stack(ed|s)?|horizontal\w*|unreadable|corners|gridlines|cramped|bigger|smaller|wider|zebra|striped|figma|softer|bolder|underlined?|(same|equal) (height|width|size)|too (big|small|large|tiny|wide|narrow|tall|close|far apart|bright|faint|thin|thick|bold)|less space|more space|overlay|parallax|look(s)? (different|inconsistent|weird|odd|off)\b|less (tall|wide|bold|bright|dark|cramped|busy|cluttered)|narrower|taller|space (between|around)|(touch|touches|touching) the edges?|object-fit|aspect[- ]ratio|larger|darker|lighter|brighter|thicker|thinner|transparent|white|black|solid|yellow|pink|indigo|navy|breathing room|round(er|ed)?\b(?! (up|down|off)\b)(?![^.]{0,30}\bnearest\b)|gaps?|close together|dark setting|highlight\w*|(hover|glow|ripple|shine|shimmer|3d) effects?)\b/g;
export const CSS_CODE = /```(css|scss|sass|less)\b/;

/** What works differently: a feature that mentions how it looks is the feature, not a restyle. */
export const FEATURE =
  /\b(so (that )?(users|people|visitors|customers|admins|they|you|i|we) can|(writ|sav|stor|sync)\w* (\w+ ){0,4}(to|on|in) (the |their |the user'?s )?(server|backend|database|db|account)|sav(e|es|ing) (the|to|it|in|them|their|each)|persist (the|it|them)|stor(e|ed) (it |them )?in|fetch(es|ing)? (the |data|from)|(call|calls|calling|hits?) (the |an? |our )?([\w-]+ )?api|(add|with|implement|require\w*) (\w+ )?(log ?in|sign[- ]?(in|up)|auth\w*)|signed[- ]in|logged[- ]in|multiplayer|collaborat\w*|real-?time|websockets?|live (updates?|sync|cursors?)|upload(s|ing)? (a|an|the|files?|images?|photos?|to)|search (by|for|over|through)|filter(s|ing)? (by|on)|sort(s|ing|able|ed)? (by|on)|surviv\w* (a |the )?(reload|refresh|restart)|remember(s|ing)? (the|my|their|your|which|what|where|them|it)\b|persist (the|it|them|their|each|every)|(separate|new|dedicated|own) (screen|page|view|route|tab|section)|let (users|people|customers|visitors|them) (pick|choose|select|set|change|switch)\b|sortable|filterable|searchable|paginat(e|ed|ing)\b|add (\w+ )?pagination|(the )?(number|count) of (items|unread|new|people|users|messages|likes|results)|as (they|it) (happens?|arrives?|comes? in)|push (new )?(notifications|updates|messages)|validat(e|es|ing|ion) (the|of|on|for)|send(s|ing)? (an? )?(email|notification|message)s?|clicking (it|the|a|on)|when (i|you|the user|someone) (click|press|tap)\w*|(stop|prevent) (\w+ ){0,4}from|auto-?play\w*|new (page|field|component|feature|endpoint|column)|(create|add|build|implement) (a|an|the)? ?(new )?([\w'-]+ ){0,3}(component|section|page|chart|button|field|column|filter|tab|step|counter|form|list|table|endpoint|route|tooltip|badge|dropdown|modal|menu|pagination|search|sorting|webhook|notifications?|spinner|loader|loading (state|indicator)|skeleton|empty state|progress bar|banner|alert|toast|popup|dialog|drawer|carousel|slider|accordion|breadcrumbs?|link|shortcut|option|setting|checkbox|select|input|picker|toggle|switch|selector))\b/;

/** A project exists already: the user refers to their app or its parts ("my website's loading indicator"). */
export const EXISTING_PROJECT =
  /\b(my|our|the existing|existing)\s+([\w.'-]+\s+){0,2}?(app|site|website|project|codebase|repo|component|page|form|frontend|portal|admin|guestbook|header|navbar|sidebar|modal|button|list|table|board|schema|hooks?|code|loading indicator)\b|\bin (my|our) \w+|\bin the (\w+ )?(app|project|codebase|site|repo)\b|\bhere'?s (the|my)\b/;
/** Building inside a project that exists: "add a route in my Next.js app". */
export const EXISTING_INSIDE =
  /\b(in|into|inside|to) (my|our|the existing) ([\w.'-]+ ){0,2}?(app|site|website|project|codebase|repo|frontend|backend|portal|admin)\b/;
/** Hints of a project that a request to build something new outweighs ("we currently use a spreadsheet"). */
export const EXISTING_HINT =
  /\b(currently|right now|already (installed|there|in place|computed)|everywhere)\b|\bthe (navbar|header|footer|sidebar|hero|modal|buttons?|cards?|table|form|landing page|home ?page|login page|menu|logo|nav)\b/;
