// Whether a request asks for new work or for a change inside a project that exists: the product named to be
// built against the user's app and its parts referred to. Read by profile-task-type.ts.

const PRODUCT =
  "app|application|mock-?up|wireframe|one-?pager|microsite|website|site|web ?app|page|game|tool|clone|platform|dashboard|widget|portfolio|calculator|tracker|board|server|api|backend|service|starter|store|shop|blog|extension|bot|cli|generator|previewer|timer|editor|wizard|explorer|compressor|quiz|marketplace|helpdesk|mvp|prototype|system|template|(blog|wordpress|hugo|jekyll|ghost|shopify) theme|saas|component|r[eé]sum[eé]|gallery|slideshow|carousel|email template|newsletter|invitation|clock|countdown|simulator|visuali[sz]er|converter|chatbot|script|library|package|plugin|sdk|microservice|form|forum|kit";

/** Words of a product's name before its noun ("a little pokedex app"), never a preposition or possessive. */
const NAME_WORD =
  "(?!(for|in|on|to|of|with|my|our|your|their|from|the|this|that|these|those|us|me|it)\\b(?!-))[\\w'\"&+./-]+\\s+";

/** A product asked to be built: "build me a small web app", "I want a booking platform". */
export const PRODUCT_ASKED = new RegExp(
  `\\b(build|create|scaffold|generate|develop|make|write|code|set up|spin up|wants?|needs?|love|like|idea for|looking for)[:\\s]+(me\\s+|us\\s+)?(a|an|some|new)\\s+(${NAME_WORD}){0,5}?(${PRODUCT})\\b`,
);
/** A product asked for without its article: "i want make app for my shop". */
export const PRODUCT_ASKED_BARE =
  /\b(i|we) (want|need) (to )?(make|build|create) (?!(my|our|the|this|your|their)\b)(\w+ ){0,2}(app|website|site|game|shop|store)\b/;
/** A product named without a verb, opening the request: "todo app please", "Kanban board with three columns". */
export const PRODUCT_OPENING = new RegExp(
  `^(?!(the|each|every|my|our|this|that|these|those|all|in|on|when|after|if|it|i|we|how|why|what|which|where|is|are|does|do)\\b|(react|vue|next(\\.js)?|angular|svelte|node|express|flask|django|rails|ios|android|flutter) (app|project|site)\\s*:)(a |an )?(${NAME_WORD}){0,5}?(${PRODUCT})(?=\\s+(for|with|in|using|like|that|where|which|as|please|to|on|(i|we) (can|could|want|need))\\b|\\s*[:,(]|\\s+-|\\s*$)`,
);

/** A project exists already: the user refers to their app or its parts ("my website's loading indicator"). */
export const EXISTING_PROJECT =
  /\b(my|our|the existing|existing)\s+([\w.'-]+\s+){0,2}?(app|site|website|project|codebase|repo|component|page|form|frontend|portal|admin|guestbook|header|navbar|sidebar|modal|button|list|table|board|schema|hooks?|code|loading indicator)\b|\bin (my|our) \w+|\bin the (\w+ )?(app|project|codebase|site|repo)\b|\bhere'?s (the|my)\b/;
/** Building inside a project that exists: "add a route in my Next.js app", "Socket.IO is already installed",
 * "my react app needs a 404 page". */
export const EXISTING_INSIDE =
  /\b(my|our|the) ([\w.'-]+ ){0,2}?(app|site|website|project|codebase|repo|frontend|backend|panel|portal|dashboard|product|platform|saas|store|shop|chat) needs\b|\b(next|this|the current) sprint\b|\b(is|are) already (installed|set up|in place|configured|wired)\b|\b(in|into|inside|to) (my|our|the existing) ([\w.'-]+ ){0,2}?(app|site|website|project|codebase|repo|frontend|backend|portal|admin)\b/;
/** Hints of a project that a request to build something new outweighs ("we currently use a spreadsheet",
 * "docs site needs live search"). */
export const EXISTING_HINT =
  /^((?!(i|we|you|they|it)\b)[\w'-]+ ){1,3}needs (?!to\b)|\bthe (whole |entire )?(app|site|website|game|store|shop|dashboard|frontend|backend|codebase|project)\b|\b(currently|right now|already (installed|there|in place|computed)|everywhere)\b|\bthe (navbar|header|footer|sidebar|hero|modal|buttons?|cards?|table|form|landing page|home ?page|login page|menu|logo|nav)\b/;

/** User stories ("As a buyer I want my tickets in my account"): their possessives are the persona's, not the
 * user's project. */
export const USER_STORY = /^as an? [\w -]{1,40},? i (want|need|can|should)\b/;
