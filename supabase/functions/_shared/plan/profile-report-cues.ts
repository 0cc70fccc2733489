// Reports, errors and questions: what makes a request a bug report, a test task or a wish to understand,
// whatever its verbs. Read by profile-task-type.ts.

/** An error message, stack trace or failing log, read with the code (logs are often fenced). */
export const ERROR_EVIDENCE =
  /\b[A-Z]\w*(Error|Exception)\b(?!\()|\b(Uncaught|Unhandled)\b|\b(Error|ERROR|Warning|FATAL ERROR)\b:|\berror TS\d+|\[\w+ warn\]|Traceback|\bat \S+ \([^()\n]*:\d+:\d+\)|\b[45]\d\d \((Not Found|Forbidden|Unauthorized|Bad Request)\)|HTTP\/[\d.]+" [45]\d\d|blocked by CORS|\bFailed to (resolve|compile|fetch|load)\b|\bnpm ERR!|\b(Module not found|Cannot find module|Can't resolve|Could not resolve|command not found|Permission denied|Segmentation fault|Too many re-renders|Maximum update depth|Hydration failed|EADDRINUSE|port \d+ (is )?already in use|Invalid hook call|E(NOENT|CONNREFUSED|ACCES|TIMEDOUT)|Cannot (GET|POST|PUT|DELETE) \/|\b(may|can) (only )?be used only\b|\bmust be destroyed before\b|\bis already in use\b|\bERR_[A-Z_]{4,}\b|\bis not a function\b|\b[Cc]annot read propert(y|ies) of\b)/;

/** A report of the current state opens with its subject: "the list …", "our nav links …", "users get …",
 * "going from the list into a product and back puts me at the top", "formatPrice(0.3) shows 0.30000000000000004". */
export const REPORT_OPENING =
  /^(the|my|our|this|these|those|it|its|i|we|they|users?|people|customers|visitors|everything|nothing|some|sometimes|(when|whenever) (i|we|you|users?|someone|people|the user)|after|since|every|each|all|pagination|[a-z]+ing\b|[\w.]+\([^)]{0,40}\) (shows|returns|gives|prints|outputs|logs|is)\b)\b/;
/** A state reported anywhere ("first React app here, the counter goes up by two"): with nothing asked, a bug. */
export const REPORT_ANYWHERE =
  /\b(the|my|our|this|it|its)( \w+)? (goes|go|shows|show|is|are|does|keeps|gets|returns|stays|says|prints|renders|displays|jumps|opens|closes|counts|adds|skips|loads|freezes|breaks)\b/;

/** Wrong behaviour described in words of its own ("my own messages appear twice", "photos show rotated 90°",
 * "the sidebar is still on the left"): with nothing asked, a bug. */
export const SYMPTOM =
  /\b(twice|(the )?wrong (way|place|order|format|one|page|language|user|time|date|size)|still (on the|shows?|there|visible|appears?)|0 results|no results|nothing happens|rotated|upside down|clears? itself|resets? itself|(jumps?|goes) back to|raw keys|(hours|minutes|days) after)\b/;

/** Words that ask for something, and real questions ("when I deploy, does my sqlite file survive?", not "Probably
 * floating point?"): a report without them asks, implicitly, for the bug to go away. */
export const ASKING =
  /(^|[.?!]\s+)(or )?(do|does|did|is|are|will|should|can|could|would|how|what|why|when|where|which|who)\b[^.?!]*\?|\b(should|shall|needs?|needed|want|wants|would like|'d like|wish|must|has to|have to|please|pls|let'?s|can (you|i|we)|could (you|i|we)|would you|i'?d love|time to|how (do|can|to))\b|(^|[.!?:;,]\s+|\n\s*)(translate|locali[sz]e|internationali[sz]e|format|hook|wire|connect|integrate|moderni[sz]e|redesign|restyle|tidy|clean|organi[sz]e|mock|swap|upgrade|add|change|update|make|turn|use|move|remove|replace|put|show|hide|let|give|set|switch|rename|create|build|implement|convert|refactor|write|fix|style|center|align|increase|reduce|improve|allow|support|animate|round|tighten|bump|stack|display|explain|test|redirect|send|take|navigate|go|stop|prevent|keep|lift|pull|extract|split|merge|wrap|break|factor|rewrite|migrate|upgrade|port|group|drive|pass|read|sort|give|cover|tone|line|limit|debounce|disable|enable|slide|alternate|get rid of|subscribe|send|post|notify|email|sync|track|log|record|cache|store|save|load|fetch|import|export)\b|(?<!\b(i|we|they|he|she|to) )\b(add|change|update|make|turn|use|move|remove|replace|put|give|switch|rename|create|build|convert|style|improve|animate|display) (a|an|the|each|every|all|it|them|this|these|my|our)\b/;

/** The tests themselves are the subject: the failure described is theirs. */
export const TEST_SUBJECT =
  /\b(tests?|specs?|suite)\b (\w+ )?(is|are|fails?|failing|pass(es|ing)?|keeps|breaks?|broke|times? out|flaky)\b|\bfix (the |my |our |this )?(\w+ )?tests?\b/;

/** Failing tests named anywhere: making them pass is test work. */
export const FAILING_TESTS = /\b(failing|broken|flaky) (\w+ )?tests?\b/;
/** "The LazyImage tests all crash": test work, unless it is one item of a list of failures (an upgrade broke
 * the app, and the tests with it). */
export const TESTS_FAIL = /\btests (\w+ ){0,2}(fail|crash|break|time out|timing out|error)\w*/;

/** The user asks, in so many words, to understand rather than change: explain even beside an error. */
export const EXPLAIN_EXPLICIT =
  /\b(explain|explaining|what (is|are) (an? )?(?!(wrong|happening|going)\b)[\w.-]+ and (why|how)|(first|just|fully) understand|walk (me|us) through|help me (understand|think)|(want|need|trying) to understand|understand (what|how|why)|tell me (in plain|what|how|why)|an overview of|(give|write) (me |us )?an? (written |short |quick )?overview\b|break (it|this|that) down for|what'?s the (actual |real )?difference|difference between|trade-?offs?|pros and cons|no code(?! chang\w*)|not asking|don'?t want (any )?changes|just explain|before i touch|i'?m confused|which one (do|should) i|what (this|that|the) (\w+ ){0,3}means|what (usually|typically|generally) causes|explanation|a good (choice|idea|fit|approach)|(your|honest) opinion|when would (i|you|we) use|confus(es|ed|ing) me|common causes|in general|bad practice|good practice|i don'?t get (what|how|why))\b/;

/** "What does this mean?": beside a pasted error, a wish to have it gone (a fix); otherwise to understand. */
export const WHAT_IT_MEANS = /\bwhat does (this|that|the|my) (\w+ ){0,2}mean\b/;

/** "Why does my chart show dates in the wrong order?": a why about the user's own code beside a symptom asks for
 * the fix, not a lesson. */
export const WHY_MINE = /^why (is|does|do|are|did|would|won'?t|doesn'?t|isn'?t) (my|our|the|this)\b/;

/** The answer asked to be the change: "how do I add a search bar? can you add it". */
export const DO_IT =
  /^(can|could) (we|i) (get|have|add)\b|^how (can|do|would|should) (i|we) (add|implement|build|create|set up) (an? |the )?([\w'-]+ ){0,4}(to|in|into|on) (my|our|the)\b|\b(can|could|would) you (just )?(add|do|implement|build|make|change|write|wire|set up|fix) (it|that|this|them|one)( for me)?\b|\b(and|then|just) (add|implement|do|build) it\b/;
