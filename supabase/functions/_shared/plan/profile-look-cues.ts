// Looks against features: the words of appearance, what works differently, and what must stay the same.
// Read by profile-task-type.ts, which decides `style` only when nothing but appearance is asked.

/** Appearance words: the request asks about how something looks. */
export const APPEARANCE =
  /#[0-9a-f]{3,8}\b|\b\d+px\b|\b(colou?rs?|colou?r scheme|palette|font|typography|type scale|heading sizes?|line height|serif|spacing|whitespace|padding|margin|radius|rounded|border|shadow|gradient|hover|animat\w*|fade|(?<!(next|previous|prev|first|last|each|every|current|new|per) )slide(?! ?(show|deck))|transition|glass\w*|blur|contrast|dark (mode|theme|variant|palette)|light mode|themes?|css|tailwind|layout|grid|columns?|cent(er|re)\w*|align\w*|sticky|full[- ]width|max[- ]width|breakpoints?|mobile[- ]friendly|mobile(?! (app|team|developers?|devs?|sdk|client))|phones?|tablets?|responsive|icons?|bold|struck|greyed|brand|teal|green|grey|gray|purple|blue|red|orange\w*|brown\w*|warm\w*|stack(ed|s)?|horizontal\w*|unreadable|corners|gridlines|cramped|bigger|smaller|wider|zebra|striped|figma|softer|bolder|underlined?|(same|equal) (height|width|size)|too (big|small|large|tiny|wide|narrow|tall|close|far apart|bright|faint|thin|thick|bold)|less space|more space|overlay|parallax|look(s)? (different|inconsistent|weird|odd|off)\b|less (tall|wide|bold|bright|dark|cramped|busy|cluttered)|narrower|taller|space (between|around)|(touch|touches|touching) the edges?|object-fit|aspect[- ]ratio|larger|darker|lighter|brighter|thicker|thinner|transparent|white|black|solid|yellow|pink|indigo|navy|breathing room|round(er|ed)?\b(?! (up|down|off)\b)(?![^.]{0,30}\bnearest\b)|gaps?|close together|dark setting|highlight\w*|(hover|glow|ripple|shine|shimmer|3d) effects?|stay (at (the )?)?top|stays? on top|stick\w* (to the )?top|(to|on) the (left|right) side|(left|right)-aligned|on (focus|hover)|expand\w* on|visual(ly)?|desktop[- ]only|density|compact|perfect circle|rtl|right-to-left|the look|look of|shadcn(\/ui)?|purely layout)\b/g;
export const CSS_CODE = /```(css|scss|sass|less)\b/;

/** What works differently: a feature that mentions how it looks is the feature, not a restyle. */
export const FEATURE =
  /\b(so (that )?(users|people|visitors|customers|admins|they|you|i|we) can|wishlist|favou?rites|bookmarks|local ?storage|indexeddb|infinite scroll|load (more|\d+ at a time)|\/api\/|(writ|sav|stor|sync)\w* (\w+ ){0,4}(to|on|in) (the |their |the user'?s )?(server|backend|database|db|account)|sav(e|es|ing) (the|to|it|in|them|their|each)|persist (the|it|them)|stor(e|ed) (it |them )?in|fetch(es|ing)? (the |data|from)|(call|calls|calling|hits?) (the |an? |our )?([\w-]+ )?api|(add|with|implement|require\w*) (\w+ )?(log ?in|sign[- ]?(in|up)|auth\w*)|signed[- ]in|logged[- ]in|multiplayer|collaborat\w*|real-?time|websockets?|live (updates?|sync|cursors?)|upload(s|ing)? (a|an|the|files?|images?|photos?|to)|search (by|for|over|through)|(?<!(blur|css|image|photo|colou?r|grayscale|sepia) )filter(s|ing)? (by|on)|sort(s|ing|able|ed)? (by|on)|surviv\w* (a |the )?(reload|refresh|restart)|remember(s|ing)? (the|my|their|your|which|what|where|them|it)\b|persist (the|it|them|their|each|every)|(separate|new|dedicated|own) (screen|page|view|route|tab|section)|let (the )?(users?|people|customers|visitors|them|me|admins?) (pick|choose|select|set|change|switch)\b|i18n|i18next|translat(ions?|ed|e (the|all|it|them|every|into|to))\b|locali[sz]\w+|language (switch\w*|picker|selector|toggle)|(several|multiple|more|new|other) languages|locales?|aria-\w+|screen[- ]readers?|alt (text|attributes?)|keyboard (navigation|accessible|shortcuts?|support)|focus trap|tab order|sortable|filterable|searchable|paginat(e|ed|ing)\b|add (\w+ )?pagination|(the )?(number|count) of (items|unread|new|people|users|messages|likes|results)|as (they|it) (happens?|arrives?|comes? in)|push (new )?(notifications|updates|messages)|validat(e|es|ing|ion) (the|of|on|for)|send(s|ing)? (an? )?(email|notification|message)s?|clicking (it|the|a|on)|when (i|you|the user|someone) (click|press|tap)\w*|(stop|prevent) (\w+ ){0,4}from|auto-?play\w*|new (page|field|component|feature|endpoint|column)|((create|add|build|implement)|(i|we) (want|need|'d like|would like)) (a|an|the)? ?(new )?([\w'-]+ ){0,3}(component|section|page|chart|button|field|column|(?<!(blur|css|image|photo|colou?r|grayscale|sepia) )filter|tab|step|counter|form|list|table|endpoint|route|tooltip|badge|dropdown|modal|menu|pagination|search|sorting|webhook|notifications?|spinner|loader|loading (state|indicator)|skeleton|empty state|progress bar|banner|alert|toast|popup|dialog|drawer|carousel|slider|accordion|breadcrumbs?|link|shortcut|option|setting|checkbox|select|input|picker|toggle|switch|selector))\b/;

/** Controls that work: one added ("show a spinner while loading", "character counter under the bio") is a
 * feature, however it is to look; "the dropdown" or "look like a proper stepper" may be a restyle. */
const CONTROL =
  "dropdown|spinner|loader|counter|lightbox|gallery|modal|dialog|popup|tooltip|toast|popover|carousel|accordion|progress bar|date picker|autocomplete|search (bar|box|field)|skeleton|countdown|checkbox|textarea";
export const NEW_CONTROL = new RegExp(`(?<!\\blook like )\\b(an?|new) ([\\w'-]+ ){0,2}(${CONTROL})\\b`);
/** A control named to open the request, with where it goes: "sort dropdown on the product grid". */
export const CONTROL_OPENING = new RegExp(
  `^((?!(the|my|our|this|that|these|those|its|their|your)\\b)[\\w'-]+ ){0,2}(${CONTROL})(?=\\s+(on|under|in|for|below|above|next to|beside|inside|at|with|to)\\b|\\s*[:,(—-])`,
);

/** How something looks, judged: reported, it asks for a restyle, not a fix. */
export const DESIGN_JUDGEMENT =
  /\btoo (big|small|large|tiny|wide|narrow|tall|close|far apart|bright|faint|thin|thick|bold|dark|light|busy|plain)\b|\b(looks?|feels?) (cramped|cluttered|dated|bland|busy|plain|heavy|ugly|cheap)\b|\bcramped\b/;

/** Small screens, and a layout that breaks on them: responsiveness, which is appearance. */
export const SMALL_SCREEN =
  /\b(on|below|under) (mobile|(small |narrow |phone |tablet )?(phones?|screens|tablets?|viewports?))\b|\bphone screens\b|\bmobile (view|layout|screens?)\b/;
export const LAYOUT_BREAKS =
  /\b(unusable|squished|squashed|overflow\w*|scroll(s|ing)? sideways|horizontal scroll\w*|cut off|wider than the screen|too (wide|narrow|small|big|tiny)|cramped|overlap\w*|unreadable|off-?screen)\b/;

/** Behaviour kept: the change is to the code's shape (or, beside look words, to the looks alone). */
export const BEHAVIOUR_KEPT =
  /\b(no|without( any)?) (behaviou?r|functional(ity)?|ui|visual|functionality) changes?\b|\bwithout changing\b|\bsame ([\w-]+ ){0,3}(and|&) (the )?behaviou?r\b|\b(functionality|behaviou?r|everything|output|the api|the ui) (stays|remains|will stay|must stay|should stay) (the same|unchanged|identical|as it is)\b|\b(same|identical) (behaviou?r|output|props|events|requests|screens|text|strings|urls|routes|endpoints|results|responses|json|state shape|public api)|\b(must|should|to) (not change|stay (the same|identical)|look (exactly |pixel[- ]?)?(the same|identical)|behave exactly|show the same)|\bshouldn'?t change\b|\bbyte-for-byte\b|\bnothing (else )?should (behave|change)\b|\b(look|behave|work) (or \w+ )?differently\b|\bkeep(ing)? (the )?same\b|\b(keep|keeping) (every|all) (url|endpoint|route)s?\b|\bas they are\b|\bsame as before\b|\b(should|must|has to|needs to|will) (still )?(be|look|behave|work|stay|remain) (exactly )?(the same|identical|unchanged|as before)\b(?! (height|width|size|colou?r|font|spacing|length|style))|\bunchanged\b|\b(no|without) (visible|user-facing|functional|behaviou?ral) changes?\b|\b(keep|preserve|maintain) (the )?(existing |current )?(behaviou?r|public api|output|functionality|interface|signatures?)\b|\busers? (shouldn'?t|should not|won'?t) notice\b|\bnothing (should|must|will|may) look different\b/;

/** The looks kept: a change that must look the same is a refactor even beside look words. */
export const LOOKS_KEPT =
  /\blooks? (exactly |pixel[- ]?)?(the same|identical)\b|\bno (ui|visual) changes?\b|\bwithout changing how (anything|it) looks\b|\bnothing (should|must|will|may) look different\b/;

/** A theme switcher ("a dark mode toggle", "a theme picker with 4 accents", remembered or not) changes the looks:
 * a restyle, though it is built like a feature. */
export const THEME_SWITCH =
  /\b((dark|light|night)( mode| theme)?|theme|colou?r scheme|accent)( ?\/ ?(dark|light))?( mode)? (toggle|switch(er)?|picker|selector|setting|option)s?( button)?\b|\bremember(s|ed|ing)? (it|that|the (choice|theme|mode|setting|preference))\b|\band remembered\b/g;
