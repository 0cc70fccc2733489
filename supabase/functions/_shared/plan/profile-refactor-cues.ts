// The phrases of a restructuring, each with a weight: the code's shape named, constructs traded or regrouped,
// duplication, conversions and migrations. Summed into the `refactor` score.

import type { Cue } from "./profile-task-cues.ts";

/** Libraries, tools and idioms a migration trades one for another. */
const LIBRARY =
  "axios|(native |plain )?fetch|useeffect ?\\+ ?fetch|moment(\\.js)?|date-fns|dayjs|luxon|redux( toolkit)?|zustand|mobx|recoil|jotai|jquery|lodash|underscore|enzyme( tests)?|(react )?testing library|webpack|vite|parcel|rollup|esbuild|cra|create[- ]react[- ]app|styled-components|tailwind( css)?|bootstrap|emotion|css modules|sass|scss|express|fastify|koa|hono|mongoose|prisma|sequelize|knex|typeorm|drizzle|swr|react query|tanstack query|formik|react-hook-form|yup|zod|joi|npm|yarn|pnpm|jest|vitest|mocha|karma|jasmine|class components?|hooks|proptypes|typescript|javascript|commonjs|require|esm|es modules|callbacks?|promises|async\\/await|eslint|tslint|prettier|biome|options api|composition api|vue ?[23]|angularjs|pages router|app router|react router( v?\\d)?|v\\d+";

export const REFACTOR_CUES: Cue[] = [
  [
    /\b(refactor\w*|(?<!\b(the|effect|useeffect|its) )clean(ing)? ?up(?! (function|callback|phase))|tidy (\w+ )?up(?! the (look|styl\w*|design|ui|visuals?|css|spacing))|restructure|reorgani[sz]e|decouple|dedupe|deduplicate|modulari[sz]e|simplify|dry (it |this |them )?up|consolidate|more (pythonic|idiomatic|readable)|feature folders|dead code|unused (imports|code|variables|functions|files)|lazy[- ]?load\w*|code[- ]split\w*|bundle size)\b/,
    5,
  ],
  [
    /\b(extract(?! (all |the |every )*(ui |hard-?coded |user-facing |visible )?(strings|texts?|copy|labels)\b)|split (\w+ )?(up|into)\b(?! (two|three|four|five|\d+|several|multiple|separate) (steps|pages|screens|tabs|views|sections|routes)\b)(?! [^.]{0,100}\b(its|their) own (url|route|address|path)\b)|split (\w+ ){0,2}apart|broken (up )?into|unify|standardi[sz]e|organi[sz]e (the )?(\w+ )?(code|files|folders|imports|components|project|structure|css|styles|stylesheets)|abstract (\w+ ){0,3}(into|behind)|behind an? ([`\w.]+ )?(interface|abstraction|adapter|facade)|decompose|break (\w+ ){0,3}(up|apart|into)|(pull|move)(?! (all |the |every )*(ui |hard-?coded |user-facing |visible )?(strings|texts?|copy|labels)\b) ([\w+&/.()-]+ ){0,9}(out )?into|merge (\w+ ){0,3}into (one|a single)|out of (every|each|all|the) (\w+ ){0,3}into|into (one|a single) (\w+ ){0,2}(client|module|function|hook|component|place|file|service|middleware|helper|instance)|inline (the|this|that) (\w+ ){0,2}(helper|function|hook|variable|constant|component|util\w*)|copy[- ]?pasted|(?<!\b(were|was|are|is|get|gets|got|getting|being|been) )duplicated?(?! (orders?|rows?|records?|entries|items?|products?|ids?|emails?|charges?|payments?|messages?|notifications?|requests?|events?|keys?|accounts?|bookings?|submissions?)\b)|duplication|(nearly|almost|basically|mostly) (identical|the same)|the same (\w+ ){0,4}(code|logic)|shared (\w+ )?(hooks?|components?|modules?|helpers?|clients?)|reusable (\w+ )?(hooks?|components?)|prop drilling|does (way )?too much|hard to (follow|maintain)|(code|function|file|component|this) is hard to read|mix(es)? (\w+, )*\w+ and \w+|a mix of|named exports|default exports|getting (big|long|messy|out of hand))\b/,
    4,
  ],
  [
    /\bconvert(ing|ed)? (\w+ ){0,5}(to|into)\b|\bmigrat\w+ (\w+ ){0,6}(from|to)\b|\b(move|moving) from [\w.-]+ to\b|\bupgrade ([\w.-]+ ){0,3}(from|to) ([\w.-]+ ){1,3}v?\d|\bmov(e|ing) (\w+ ){0,3}(off|away from)\b|\b(rewrite|port) (\w+ ){0,4}(in|to|with|using) (typescript|ts|hooks|async|the composition api)|\b(to|into) (typescript|hooks|async\/await|the composition api|composition api|<script setup>|function components?|redux toolkit|react query)\b|\buse async\/await\b|\bturn (these |this |the |all )?(\w+ ){0,2}(callbacks?|class(es)?|promises?|functions?) into\b/,
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
    /\b(replace|swap|switch|convert|turn|rewrite|change|move) ([\w+.-]+ ){0,4}(if\/else|if-else|nested ifs?|switch statements?|ternar\w+|usestates?|usestate calls|callbacks?|\.then|var|class components?|proptypes|require\(?\)?|loops?|mutation|globals?|magic \w+|inline styles|try\/catch)\b/,
    4,
  ],
  [
    /\b(repeats? the same|mov(e|ing) (\w+ ){0,4}(to|into) (a |an |its own |their own |the )?(separate |shared |new |single )?(file|module|folder|config|hook|util\w*|helper|service|constants?|package)s?\b|(replace|swap) (the |all the |our )?(inline|duplicated|repeated|raw|manual|hand-?written|custom) |the same (\w+ ){0,4}(pattern|boilerplate|try\/catch|checks?|error handling)|wrap (them|each|all|every|these) (\w+ ){0,3}in an? (higher-order|helper|hook|function|hoc|wrapper)|higher-order (function|component)|separat\w+ (of )?(those |these |the )?concerns|(remove|strip|delete|get rid of|clean up|all (the|those|these)|stray) (\w+ ){0,3}console\.logs?|console\.logs? (everywhere|all over|scattered)|(single|one) source of truth|commented[- ]out code|improve the (structure|organi[sz]ation|readability|architecture|design|code quality) of|grown organically|hard to navigate|flatten|generics|instead of duplicating|scattered (across|all over|throughout|in)|more (efficient|performant)|(code|this|it|function|component|logic) (a bit |much )?cleaner|cleaner (code|implementation|logic|structure)|less (verbose|nested|repetitive|complex)|more (functional|concise|declarative|modular|generic|reusable|maintainable|testable|type-?safe)|nested ifs|lookup table|separate (the )?(\w+ ){0,3}from|separation of concerns|presentational|introduce an? (\w+ )?(layer|abstraction|interface|service|repository)|(repository|service|adapter|strategy|factory) (layer|pattern)|centrali[sz]e|make one (\w+ )?(component|hook|function|module) and use it|easier to (test|read|maintain|understand|extend|reuse)|add (proper |strict |explicit )?(typescript )?types (to|for)|`any`|use (it|them|this|that) everywhere|lift (\w+ ){0,4}(up|into|out)|inject\w* (the )?\w+ instead of|dependency injection|(lot of|so much|too much) repetition|repetitive|factor (\w+ )?out|optimi[sz]e (this|the) (function|code|query|loop|component|algorithm)|moderni[sz]e (this|the|our) (old |legacy )?\w+ (setup|code|config|syntax|store)|(old|legacy|outdated|deprecated) (\w+ )?(code|setup|syntax|patterns?)|make (the |this |it )?(\w+ ){0,3}(generic|reusable|configurable|type-?safe|testable|composable)|copy[- ]?paste\w*|es modules?|esm)\b/,
    4,
  ],
  // The code's own shape named: "make this pure, it mutates the array", "get rid of the nested ternaries",
  // "rename `data` to something that means something", "move every API call to the new client".
  [
    /\bmake (it|this|them|the \w+|this \w+) pure\b|\bmutat(es|ing) (the |its |their |an? )?\w+ (that'?s |that is )?passed in\b|\b(pull|move|extract|lift)\w* [^.]{0,100}\bout of [\w.]+ into\b|\bpure functions?\b|\bmutates? (the |its |their |an? )?(\w+ )?(array|object|input|argument|arguments|param\w*|props?)\b|\bnested (ternar\w+|ifs?|if\/else|callbacks|conditionals|promises|loops)\b|\b(something|names?) (that means? something|more (meaningful|descriptive)|meaningful|descriptive)\b|\b(move|migrate|switch|port|convert) (every|all( of)?( the| our)?|each) (\w+ ){0,3}(calls?|usages?|imports?|components?|files?|pages?|endpoints?|queries|requests) (\w+ ){0,4}(to|over to|onto)\b/,
    4,
  ],
  // Types and idioms of the code itself: "get rid of the anys", "make useFetch generic", "inline the hook",
  // "no runtime change".
  [
    /\b(get rid of|remove|replace|kill) (the |all (the )?|every )?`?any`?s?\b(?= |$|[,.;—-])(?! (way|more|longer|other|\w+ing)\b)|\bmake [`\w.]+ generic\b|\binline (the |this |that )?[`\w]+ (hook|function|helper|component|util\w*|constant|variable)\b|\binline (it|them) (in|into)\b|\bno (runtime|behaviou?r(al)?|logic|functional) changes?\b/,
    4,
  ],
  [
    /\b(awkward|clunky|confusing|messy) (api|interface|props|signature)\b|\b(api|interface|props|signature) is (awkward|clunky|confusing|messy)\b/,
    4,
  ],
  // The code's own constructs traded or regrouped: "use a reducer instead of the seven useState calls",
  // "pull the routes into their own files", "drive them from an array".
  [
    /\binstead of (the |our |a |an |all |those |these )?([\w-]+ ){0,3}(checks|validations|validators|schemas|implementations|calls?|constants?|imports?|importing|classes|class|callbacks?|loops?|globals?|global one|props?|usestate\w*|hooks?|functions?|copies|jsx|markup|if\w*|switch\w*|variables?|mutations?)\b|\b(into|in) (their|its) own (files?|modules?|folders?|components?|hooks?|functions?|classes)\b|\b(give|make) (them|it|these|those) (one|a shared|a single|a common) (helper|function|hook|module|component|util\w*)\b|\binto (\w+, )*\w+,? (and|&) \w+ (modules|files|folders|components|hooks|services|classes)\b|\bimmutab\w+|\b(mutat|modif|push|sort|chang|updat)\w* (\w+ ){0,3}in place\b|\bdrive (them|it|this|these) from\b|\bpass (the |a )?\w+ in as an? (parameter|argument|prop)\b|\bgroup (\w+ ){0,4}into (a single|one) \w+|\bwrite (it|this|them) as an? (function|hook|class|component)s?\b|\bclass components?\b|\b(are|is) the same (\w+ )?(component|function|hook|code|page|class|module)s? with (different|small|minor)\b|\bmerge (them|these|those|both|the two)\b|\bturn (this|it|that|them|these) into (a |an )?(custom |reusable |shared |generic )?(hook|component|function|module|class|helper|util\w*)s?\b|\bso (the )?(two|both|all|other) \w+ can (share|reuse)\b|\b(variables?|functions?) (better |clearer |proper |meaningful )?names\b|\b(wrap|put|gather|collect) (all )?(our |the |these )?(\w+ ){0,2}in(to)? (one|a single) (client|module|function|hook|service|helper|place|file|wrapper)\b|\bdumping ground\b|\bdoes everything\b|\bgather (\w+ ){0,3}into (one|a single)\b|\bspread (over|across) (\w+ ){0,2}files\b|\bonce and (pass|reuse|share)\b|\b(pass|hand) the \w+ (around|down|through)\b/,
    4,
  ],
  // Duplication: the thing to make ("make a Field component") is the extraction.
  [
    /\b(repeats? the same|copy[- ]?pasted|(?<!\b(were|was|are|is|get|gets|got|getting|being|been) )duplicated?(?! (orders?|rows?|records?|entries|items?|products?|ids?|emails?|charges?|payments?|messages?|notifications?|requests?|events?|keys?|accounts?|bookings?|submissions?)\b)|duplication|(nearly|almost|basically) identical|the same (\w+ ){0,4}(code|logic|markup|options|config|boilerplate)|(written|repeated|copied) (\w+ ){0,2}(times|twice)|\d+% the same|named (tokens|constants|variables))\b/,
    3,
  ],
  [
    /\b(replace|swap|switch) ([\w.-]+ ){1,8}(with|to)\b|\brewrite (this|it|the (\w+ )?(function|component|code|module|class|file|hook)) (in|as|with|using|to)\b/,
    2,
  ],
  // One library or version traded for another across the code: "replace moment.js with date-fns everywhere",
  // "Upgrade React Router v5 → v6", "class components → hooks".
  [
    new RegExp(
      `\\b(replace|swap|switch|migrat\\w*|mov(e|ing)|port|convert|go)\\w* (\\w+ ){0,4}(from |off )?(${LIBRARY})( \\w+)? (with|to|for|by|→|->|over to) (\\w+ ){0,2}(${LIBRARY})\\b|\\b(${LIBRARY}) ?(→|->) ?(${LIBRARY})(?![\\w/])`,
    ),
    5,
  ],
  [
    /\btoo many (usestates?|use ?states|states|props|hooks|ifs|params|parameters|arguments|effects|useeffects?)\b|\b(be )?written (better|cleaner|more cleanly)\b|\bmoderni[sz]e (the |this |our )?(whole |entire )?(codebase|code ?base|project|code)\b/,
    4,
  ],
];
