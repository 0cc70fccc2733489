// Requirements: capabilities the result must contain, named or clearly implied by the request's prose
// (never by the context files alone, nor by pasted code or identifiers in backticks). A capability the user
// rules out ("no login, no saving needed", "search is later") is not required.

import type { TaskType } from "../contract.ts";
import type { RequestText } from "./profile-text.ts";

const LANGUAGE_NAMES =
  /\b(english|german|french|spanish|italian|portuguese|polish|dutch|catalan|japanese|chinese|korean|arabic|hebrew|russian|ukrainian|turkish|swedish|danish|norwegian|finnish|greek|czech|hindi|deutsch)\b/g;

/** Each requirement with the phrases that reveal it, in the labelling guide's order. */
const REQUIREMENT_CUES: Array<[string, RegExp]> = [
  [
    "auth",
    /\b(sessions? (is |are |gets |get |was )?(lost|gone|dropped|cleared|reset|expir\w*)|los(e|es|ing) (the|my|their|your) session|logg(ing|ed) (in|out)|(team|member|user|employer|student|teacher|vendor|seller|buyer|player|patient|parent|tenant|landlord|organi[sz]er|editor|author) accounts?|users (can )?register|(with|need|have|has) an account|accounts\b(?<!\b(bank|express|stripe|email|social|ad|no|vercel|aws|cloud|connected) accounts)(?! (payable|receivable))|(in|into|on) (my|their|your|his|her) account\b|ban (a |the )?users?|api keys?|row[- ]level security|rls|multi-?tenan\w*|invite (members|users|teammates|people)|auth(?! (header|token))|authentication|authenticat\w+|log ?in\w*(?! (to|into|on) (the |my |our |your )?(vercel|netlify|aws|github|gitlab|stripe|supabase|firebase|heroku|cloudflare|render|railway|azure|gcp|google cloud)\b)|logged[- ](in|out)|log ?out|logs? (in|out)(?<!\b(webhook|server|error|console|build|deploy|access|audit|function|request|the|our|my) logs? \w+)|(?<!(plus|newsletter|waitlist|email) )sign[- ]?(in|up|ed[- ]in|ed up|out)(?! (funnel|rate|conversions?|counts?|box|(page |form )?for (the|our|a|an) (\w+ )?(newsletter|waitlist|webinar|event|workshop|conference|meetup|class|course|beta|talk)s?\b))|(?<!(newsletter|waitlist|email) )signup(?! (funnel|rate|box|(page |form )?for (the|our|a|an) (\w+ )?(newsletter|waitlist|webinar|event|workshop|conference|meetup|class|course|beta|talk)s?\b))|signin|password\w*|oauth|(user|customer|member|staff) accounts?|user sessions?|create an account|registration|register ?\/|jwt|magic link|protected (routes?|pages?)|roles?|only (admins?|staff)|let admins|next-auth|2fa|two-factor|verification (code|email|screen)|(expired|access|refresh|bearer|valid|invalid|missing) tokens?|(with|use|require)auth\w*|auth(context|provider|guard)\w*|currentuser|onlogout|impersonat\w*|(anonymous|unauthenticated|logged-out|signed-out) (users?|visitors)|(edit|delete|remove)\w* (only )?(your|their|his|her) own|only (the )?(authors?|owners?|creators?|members?) can|sso|single sign-?on|token (is )?expired|express-session|session (cookie|token|expir\w+))\b/g,
  ],
  [
    "persistence",
    /\b((progress|stats|scores) (tracking|per user)|track\w* (\w+ )?progress|keep (your|their|my|the) (stats|scores|progress|history)|(upload|order|purchase|watch|reading|booking|listening|match) history|order tracking|remember(s|ed)? it|and remembered|(is|are) (kept|remembered) after|(vanish|disappear|gone|lost|reset|forget|forgot)\w* (\w+ ){0,2}(whenever|when|after|on|every time) (i |we |you )?(restart|reload|refresh|redeploy)\w*|(stay|remain|persist|still there|kept)\w* (\w+ ){0,2}after (i |you |we |they |the user )?(refresh|reload|restart|clos)\w*|come back (later|to it)|offline (changes|edits|data)|unique constraint|constraint failed|(get|post|put|patch)(,| and| \/) (\w+(,| and| \/) )*delete|pick up where (they|you|i|we) left off|resume (where|from where)|keeps? (everything|all of it|it all|them all)(?! (working|as (it is|is|before)|the same|intact))|restor\w+ (on|when|after|next)|sync\w* (\w+ ){0,3}with the (server|backend|cloud|database|db)|in a cookie|track (which|what|when|how (much|many|often))|should still (have|show|contain|be there|remember)|(in|at|during) (my|their|your|the) next (session|visit)|next session|record (every|each|all) \w+|audit (them|it|log)|sessionstorage|show up on (my|the|their|another) (other )?(laptop|phone|desktop|computer|device|tablet)|database|(?<!(services|controllers|routes|models|handlers|utils), )db(?! (module|layer|folder|file|helpers?|utils?))|(write|sav|stor|insert|put)\w* (\w+ ){0,3}(to|into) the \w+ table|persist\w*|sav(e|ed|es|ing) (it |them |everything |\w+ )?(in|to|on)|sav(e|es|ed|ing) (the |their |your |my |all |every )?(\w+ )?(todos?|notes?|items?|data|entries|posts?|recipes?|records?|progress|settings|preferences?|choices?|results?|scores?|drafts?|list|cart|orders?|messages?|history|everything|them|it)\b|redis|dynamodb|stor(e|ed|es|ing) (\w+ )?(in|to) (the )?(db|database|local ?storage|indexeddb|postgres|supabase(?! (bucket|storage))|firestore|firebase|sqlite|mongo\w*|the server|the backend)|local ?storage(?<!\b(jwts?|tokens?|sessions?) (in|into|to|from) local ?storage)|indexeddb|dexie|uselocalstorage|row[- ]level security|rls|(only ever|only) shows? (up )?once|(don'?t|never) show (it |this |that )?again|everything we store|(profile|user|their|db|database) rows?|on the \w+ row|\w+s table (\+|and|with) (rest |api )?endpoints|supabase client|(in|replac\w*( it| them)?|from) (a |the |our )?spreadsheets?|(subscri\w*|listen\w*) to (the )?[\w-]+ table|(records?|quer(y|ies)|data|rows?) (are |is )?scoped to|(server-side|database|supabase|db|all the|existing) quer(y|ies)|(add|create|new) an? \w+ model\b|belongs to an? \w+|remembers? (my|their|your|the) \w+|(every|each) \w+ (should|must) be (logged|recorded)|postgres(?!_changes| change)\w*|firestore|supabase (table|database|db|postgres|quer(y|ie))s?|(in|to|from|into) supabase\b(?! (auth|storage|realtime))(?<!\b(log ?in|sign ?in|sign ?up|auth\w*) (\w+ ){0,3}in supabase)|firebase(?! auth)(?<!\b(log ?in|sign ?in|sign ?up|auth\w*) (\w+ ){0,2}(with|using|via) firebase)|saved? locally|stored locally|sav(e|es|ed|ing) (their|your|my|the user'?s) |favou?rites|bookmarks\b(?<!\b(old|browser|existing|their|users'?|people'?s) bookmarks)(?! (\w+ )?(still |keep |keeps |continue to )?(work|working|break|broke|resolve))|bookmark (button|feature|list|icon)s?|bookmarked|wishlist|(data|progress|scores?|settings|state|history|entries|drafts?|choices?|preferences?|results?|answers?|records?) (is |are |should be |gets? )?(saved|stored|persisted|kept)(?! in (memory|state))|(saved|stored|kept) (per|for each|for every) (\w+)|remember\w* (the |my |their |your |its )?(last |previous )?(\w+ )?(choice|selection|setting|preference|position|tab|page|filter|sort|theme|language|state|values?)s?|auto-?sav\w*|(nothing|no \w+) (is |gets )?lost|(is|are|gets?) lost (if|when|on|after)|\w+ table \([\w, ]*_(id|at)\b|[a-z]+\.[a-z]+_(id|at)\b|connection pool\w*|(sql|db|database|slow|this|all|n\+1) quer(y|ies)(?! (string|param\w*|selector|key))|(composite|b-?tree|unique|partial|missing|(?<!from )an) index(es)?\b(?![./-])(?! (page|route|file))|json file|sqlite|prisma|drizzle|mysql|crud|remember (the |my |their |your )?\w+ (between|across|after)|between visits|across (reloads|sessions|devices|visits)|(?<!\bwithout (a |the )?(page )?)(?<!\b(session|token) )(reload|refresh)\w*(?=,)|(reload|refresh)\w* and (it|the|everything|they|all)|(still|be) (there|saved|kept|around) (next time|tomorrow|later|when|after)|next time (i|you|they|we|the user|someone) (open|visit|come|log|start|load)\w*|clos(e|es|ing) (the )?(tab|browser)|keep (them|it|the \w+) around|(navigat\w*|go\w*) away and (come|comes|coming) back|(is|are) gone (after|when|once|on|next)|(kept|stored|saved|keep|store|save)\w* (\w+ ){0,2}on (the |this |their |my )?(device|disk|computer|machine)|(not |never )?lost (each|every|when|after|on) |(sav|stor|writ|sync|keep|kept)\w* (\w+ ){0,4}(to|on|in) (the user'?s|their|my|your|our) (account|profile)|(writ|sync)\w* (\w+ ){0,3}(to|on|in) (the )?(server|backend|database|db)|(into|from|in) the \w+ table|[a-z]+_(id|at) column|column [a-z]+_(id|at)\b|soft[- ]delet\w*|keeps? (a )?(history|log|record) of|(saved|starred|pinned|favou?rited) (items|articles|posts|recipes|products|jobs|searches|list|views|filters)|sav(e|es|ing) (a|the|their|your) (search|filter|view)s?\b|for later|bookmark (\w+ )?(articles|posts|items|recipes|products|jobs|pages)|tables? in (postgres|mysql|sqlite|the db|the database)|psql|sql(?! injection)|sqlalchemy|mongo(db)?|mongoose|sequelize|typeorm|knex|orm|surviv\w* (a |the )?(page )?(reload|refresh)|stays after closing|offline[- ](first|support|mode|capable|use|sync)|(works?|usable|available|use it|using it) offline|(new|sql|database|db) (\w+ )?tables?)\b/g,
  ],
  [
    "routing",
    /\b(lands? on (the )?(dashboard|home ?page|profile|login page)|(sign ?up|log ?in|sign ?in|register) link|link (it|them) (in|from|to) the (nav\w*|menu|header|sidebar|footer)|locali[sz]ed (urls?|routes?|paths?)|(the )?url (doesn'?t|does not|never|won'?t) (update|change)|back button (is |was )?broken|query params?|still on the [\w-]+ page|no redirect|(separate|dedicated) (page|screen|route) for (?!(mobile|desktop|tablets?|phones?|small screens)\b)|back (link|to the (list|overview|results))|(typ\w*|enter\w*|past\w*|go\w*) (\w+ ){0,3}in(to)? the (address|url) bar|(straight|directly) to \/[a-z][\w/-]*|alias\w* (of|for|from|to) \/|lands? on (the|a|their) (\w+ ){0,2}(screen|page|view)|\blink (component|and an? a tag)|next\/link|(section|page|screen) (you'?re|you are|the user is) (currently )?(in|on)\b|active (link|route|menu (item|entry))|(its|their) own (address|url|link|page|path)|go (back )?to (wherever|where) (the user|you|they|we|i) came from|(forward|redirect)\w* (\w+ ){0,3}to \/[a-z][\w/-]*|dynamic (segments?|routes?)|\[\w+\](?= )|(reachable|accessible) from (a|an) (\w+ )?(menu|nav\w*|sidebar|header)|routing|\w*router\b(?<!\bapp router)(?! (per|cache))|(?<!(map|api|express|server|backend|webhook|get|post|put|patch|delete|rest|http|fastapi|flask|endpoint|todos|shortest|fastest|quickest|delivery|bus|train|driving|walking|cycling|hiking|running|flight|shipping) )routes?\b(?! (handlers?|files?|cache|planner|planning|optimi[sz]\w*|that return|returning|in (src|server)|on (the|a) map|between (them|(the )?(warehouse|stops|points|cities))|traffic|requests|calls|messages|emails|events))(?! (\w+ )?(to|through) (a |an |the |our |my )?(vercel|netlify|cloudflare|nginx|load balancer|deployment|domain|server|backend|queue))|pages? for (each|every)|a page (per|for each)|one page per|nav ?bar (with )?links?|links? (in|from) the (nav|navbar|sidebar|menu|header)|sidebar (navigation|nav|links?)|(private|guarded) routes?|route guards?|privateroute|dynamic routes?|nested routes?|\[slug\]|url (params?|parameters?)|deep links?|hash router|client[- ]side (routing|navigation)|react-router|vue-router|next\/router|(migrat|mov|switch|port|convert|upgrad)\w*\b[^;\n]{0,60}\bapp router|multi-?page|links? between|(its|their) own page|(separate|different|multiple|several|other) (pages|routes|screens|views)|navigat(e|es|ed|ing|ion)\b(?<!(keyboard|(hard|easy|easier|harder) to) navigat\w+)(?<!\b(when|after|if|while|once|whenever) (i|you|we|they|the user|users|people) (\w+ )?navigat\w+)(?! (bar|menu|drawer|away))|(move|switch|go|jump) between (them|the pages|pages|screens|views)|(its|their) own (url|route|screen)|(into|in) (two|three|four|five|\d|several|separate|multiple) (pages|screens|views)|next\/previous links|(browser'?s? |the browser )back button|back button (of|in) the browser|detail pages? (for|per)|(list|index) (and|\+|with) (an? )?detail|(new|another|separate|extra|second) (pages?|screens?|views?|routes?)\b(?<!\b(to|the) (new|another|separate|extra|second) (pages?|screens?|views?|routes?))|(?!(one|first|last|next|prev|previous|each|every|this|that|same|whole|single|per|a|the)\b)\w+ (pages?|screens?|views?)(,|,? and| ?\+| ?&) (an? |the )?(?!(one|first|last|next|prev|previous|each|every|this|that|same|whole|single|per)\b)\w+ (pages?|screens?|views?)|(open|opens|go to|goes to|click through to|lands? on) (a |the |its |their )?(?!(page|the|a|its|their|this|that)\b)\w+ page\b|(change|changes|update|in|reflect\w*|shar\w*|bookmark\w*|own|page|the browser'?s?|clean|pretty|normal|readable) urls?\b|urls? (change|look|path|structure|for each|per)|own (path|url|link)|paths? (for|per) each|link straight to|(share|send) (someone )?a link (to|straight)|(two|three|four|five|\d) (pages|views|screens)(?<!\b(than|over|of|to|the|these|those|both) (two|three|four|five|\d) (pages|views|screens))|go from one to (another|the other)|(back|link\w*|take\w*|go\w*|send\w*|redirect\w*|bring\w*) (you |them |users |people |the user )?(back )?to (the |their |my |your )?(home ?page|dashboard|login page|sign-?in page|previous page|start page|landing page)|lazy[- ]?load\w* (each |every |the )?(page|route|screen)s?|(page|route|screen) components?|code[- ]split\w* (by|per) (route|page)|unknown (paths?|urls?)|sub-?pages?|nested pages|child pages|breadcrumbs?|(pages?|screens?) (that )?links? to (each other|one another)|\w+,? (and|&|\+) \w+ (pages|screens)|(sign ?up|log ?in|signup|login)( \+| and| \/)? (log ?in |sign ?up )?pages|\w+ pages? (and|,) (an? |the )?\w+ pages?|pages:|pages? (at|under) \/|(redirect\w*|sent|send\w*|take\w*|land\w*( back)? on|links?|goes|url is) (them |users |people |the user |you )?(to |on )?\/[a-z][\w/:<>-]*|(go|goes|link|links|point) to (the )?(wrong |right |other |different )?pages|which route|no route matches|each (tab|link|item) goes to its (own )?page|unknown routes?|404 (page|screen)|(reachable|accessible|linked|opened) from (the )?(\w+ )?(menu|nav\w*|sidebar|header|footer|drawer)|links? (\w+ ){0,4}to (the |its |their |a |that )(\w+'s )?(own )?(page|screen|profile)|(send|take|redirect|bring|move|navigate)\w* (the user|users|them|people|you|me|someone|visitors|customers) (back )?to (the|a|an|their|its|his|her) (\w+ )?(page|screen|view)|(refresh\w*|reload\w*|open\w*|visit\w*|land\w*) (on |at )?\/[a-z][\w-]*(?![\w/.-])|detail (pages?|screens?|views?)|(every|each|all) (pages?|screens?) (from|in|of) the (nav\w*|menu|sidebar|header)|(landing|home|pricing|about|contact|marketing|dashboard|settings|profile|admin|faq|blog|account|checkout|cart)( page)? (\+|&|and|,) (an? |the )?(landing|home|pricing|about|contact|dashboard|settings|profile|admin|faq|blog|account|checkout|cart) pages?|(open|opens|go to|goes to|take\w* (them|you|me) to) (their|his|her|the user'?s|a user'?s) profile\b|(press|hit|click)\w* (the )?back\b)(?!\w)/g,
  ],
  [
    "charts",
    /(as an? (curve|line graph|bar graph)|curves? of|trend lines?|(?<!\b(flow|org|size|seating) ?)charts?|\bgraphs?|\bpies? (of|chart|showing)\b|\bplot(s|ted|ting)?|\bvisuali[sz]ation|\brecharts|\bd3|\bheatmap|\bsparklines?|\bhistogram)\b/g,
  ],
  [
    "forms",
    /\b((with|and) an? (send|submit|save) button|forms?(?<!\b(what|which|rounded|round|square|circular|pill|shape|normal|standard|canonical|written|final|same|end of) forms?)(?<!\b(when|after|once|whenever|until) (the|a) forms?)(?![- ](data|heavy|factor))(?! (of|does|do|one|part|should (it|the \w+) take)\b)|inputs? (and|with|\+) an? (submit|send|save|subscribe|sign ?up|join|register) button|leave (their|your|his|her|a|an) (name|message|comment|review|email|note)|(name|email|phone|message|password)(,| and| \+| \/) (an? |their |your )?(email|message|phone|password|subject|address|checkbox|consent|name)\b|(add|create|post)( ?\/ ?| and | or )edit|(add|create|enter|log)\w* (\w+ ){0,3}with (a |an |their |the )?(title|name|description|amount|price|due date|date|email)\b|(a|the|new|an?|form|input|text|required|optional|phone|email|password|name|cv|date) fields?(?<!\bon (a|the) fields?)(?! errors)|validation(?<!\b(upload|file|image|server|backend|api|service|does) validation)(?<!\(validation)(?! utils)|validat(e|es|ing) (the )?(form|input|fields?|email|phone)|submit(s|ted|ting)?(?<!\b(form|it) (is|was|gets) (submitted|sent))|submission|react-hook-form|formik|wizard|email ?(\+|and|\/|&) ?password(?<!\b(signed (up|in)|logged in|auth) (with )?\(?email ?(\+|and|\/|&) ?password)|(sign[- ]?up|register) ?(\/|\+|and|&) ?(log|sign) ?in|(enter|fill (in|out)) (their|your|his|her|a|an|the)|create an account|sign[- ]?up (pages?|screens?|flow)|(checkout|booking|order|registration|contact|feedback|survey) forms?|questionnaire|required (fields?|questions|inputs)|(un)?controlled (and |vs\.? |or )?(an? )?(un)?controlled (inputs?|components?|fields?)|(un)?controlled inputs?|(email|phone|password|form|input) validators?|(signup|sign-up|login|registration|checkout|form|validation) schemas?|errors? (for|on) (\w+ )?fields|remember me|(checkbox\w*|dropdowns?|toggles?|coupon code|promo code|discount code) (\w+ )?(on|to|in|at) (the )?(\w+ )?(log ?in|sign ?up|sign ?in|settings|profile|registration|checkout|account)\b|inputs? for (the |an? )?\w+|fill(?<!-fill) (in|out) (the |their |your )?\w+|save (and|\/|or) cancel|edit (\w+ ){0,4}inline|inline edit\w*|errors? (shown |displayed )?(next to|under|below|beside) (each|the|every) (input|field))\b/g,
  ],
  [
    "realtime",
    /\b(real[- ]?time|live(?! (music|bands?|gigs?|concerts?|shows?|events?|demo|site|server|url|version|environment|reload|mode|keys?|payments?(?<!\b(monthly|loan|mortgage) payments?)|traffic|in|on|under|inside|at|with|next to|together|alongside|outside|elsewhere|there|here|for (a while|some time|ages|years|months|weeks)|since|preview|search)\b)(?<!\b(switch|go|goes|going|went|gone) live)|websockets?|socket\.io|chat|presence|collaborat\w*|multiplayer|is typing|typing indicator|liveblocks|pusher|without (a )?(page )?(refresh|reload)\w*|automatically (update|refresh)\w*|auto-?refresh\w*|(updates?|appears?|shows? up) (instantly|immediately|in real time)|sync(s|ed|ing)? (across|between) (devices|tabs|users)|streaming|broadcast\w*|sockets?|subscribe to(?! (our |the |a |my )?(newsletter|mailing list|plan|podcast|updates by email))|onsnapshot|use\w*(socket|presence|realtime|live)\w*|(supabase|realtime|pusher|ably|phoenix) channels?|listen(s|ing)? for (changes|updates|events)|long polling|polling|sse|online (status|users|indicator)|as they arrive|see each other'?s? (\w+ )?(cursors?|typing|changes|edits)|each other typing|(appear|appears|show up|shows up) (live |instantly )?for everyone|(show|shows|showing|appear|appears) up live|live progress|(two|several|multiple) (people|users) (edit|editing|work\w*) (on )?the same|server-sent events|(live|real-?time|push|in-app|new) notifications|subscri(be|ption)s? to changes)\b/g,
  ],
  [
    "search",
    /\b(find (an? |the )?\w+ by (typing|name|title|keyword)|order (the )?\w+ by (\w+ )?(date|name|price|title|popularity|rating|size|most|newest|oldest|last|release|plays?|views?)\b|search\w*(?! engines?)(?! (the |our |through the |in the )?(codebase|code ?base|repo|repository|project|code|files|logs)\b)|(?<!(image|photo|instagram|css|blur|white|sepia|grayscale|greyscale|vintage|spam|noise|audio|colou?r|low-pass|high-pass|kalman) )filter\w*|(?<!\b(bubble|merge|quick|insertion|heap|radix|topological|selection) |\.)sort(s|ed|ing|able)?(?! of)(?! (\w+ )?into\b)(?!\()|paginat\w*|page (\d+|number)|\?page=|autocomplete|typeahead|infinite scroll|load more|(next|prev(ious)?)\/(next|prev(ious)?)|per page|ordered by)\b/g,
  ],
  [
    "api",
    /\b(sync\w* (\w+ ){0,3}with the (server|backend|cloud)|(from|via|using|with) (an? |the )?(free |public |third-party |external |online )?(\w+ )?(rates? |weather |geocoding |maps? )?(service(?! workers?)|feed)\b|(from|via|using) (?!socket\.io)[a-z0-9-]+\.(com|io|org|dev|net|ceo|app)\b|(sends?|posts?|submits?) to (formspree|netlify|zapier|make\.com|a webhook)|(serv|expos|return)\w* (\w+ ){0,3}as json|json (api|endpoint)|(service|server|backend|api) (responds|returns|answers) (with )?\d{3}|apis?(?<!\b(old|new|deprecated|legacy) apis?)(?<!\bproxy (to|for) (the )?apis?)(?!'?s? (memory|cpu|process|container|heap)\b)(?! (types|typings|responses? types))(?<!\b(type|types for) (the )?apis?)(?<!(options|composition|appearance|public|context|web|canvas) api)(?<!(component|hook|library|class|module|function|prop|components|hooks)'?s? apis?)|(put|patch|get|post|delete) (vs\.?|versus|or|and) (put|patch|get|post|delete)\b|rest(?<!\bthe rest)(?! of)|graphql\w*|apollo( client| server)?|integrations?(?<!\b(ci|test) integrations?)(?! (tests?|testing|suites?|specs?))|plaid|convertkit|algolia|cannot set headers|err_http_headers_sent|fetch\w*(?! cache)|endpoints?|webhooks?|axios|react query|swr|route handlers?|(get|post|put|patch|delete) \/(?!public\/)(?![\w/-]*\.[a-z]{2,4}\b)|\/api\/|third-party|openapi|cors|supertest|middleware(?<!\b(locale|i18n|intl|next-intl|auth|language)\b[^.\n]{0,40}middleware)(?<!\b(the|this) middleware)|presigned|abortcontroller|express (routes?|api|backend)|express (app|server)(?=[^\n]{0,60}\b(rout|endpoint))|status codes?|response bod(y|ies)|unprocessable entity|posts? to (it|the|my|our|an?)|the post (succeeds|fails)|http requests?|api calls?|(from|to) (the|our|a) (server|backend)(?<!\b(message|messages|error|errors|\d{3}) (coming )?(back )?(from|to) (the|our|a) (server|backend))|mailchimp|sendgrid|openweather\w*|(slack|discord|telegram) (bot|webhook|message|api|channel|notification)s?|post (a )?messages? to (slack|discord|#)|(pull|get|grab|load|fetch) (\w+ ){0,5}from (an? |the |our )?(\w+ )?(api|service|endpoint|backend|server)|twilio|zendesk|postmark|mailgun|(netlify|vercel|lambda) functions?|tanstack( query)?|use(fetch|query|mutation|swr)\b|pokeapi|coingecko|open-meteo|weather (app|widget|forecast))\b/g,
  ],
  [
    "payments",
    /\b((update|change)\w* (their|the|your) (credit )?card|card (we|they) charge|payment (method|details)|(buy|purchas|order)\w* (\w+ ){0,4}(with|by|using) (their |a |my |your )?(credit |debit )?card|send (me|us|them) money|tip jar|(free|paid|pro|premium) (plan|tier)|paid one|purchas\w+|payments?|pay(?! (nothing|attention|in (the )?(shop|store|person|cash)|at the (counter|door|desk)))|paying|(marks?|marked) (the order |it |as )?paid|paid (status|invoices?|plans?|orders?|subscriptions?)|stripe|(?<!git )checkout(?! (form|page|flow|step|views?|components?|screens?|fields?)s?\b)|(?<!\/)billing(?! (section|tab|page|screen)s?\b)|(?<!(realtime|supabase|channel|newsletter|email) )subscriptions?(?! (fires|fired|callback|handler|listener)s?\b)|invoic\w*|paypal|(get|gets|got|getting|be|being|been|was|were|is|are) charged|charg(e|es|ed|ing) (the |their |a |my |our )?(cards?|customers?|users?)|(cancel|upgrade|downgrade)\w* (their|my|the|your|a|our) (plan|membership)|refunds?|donat\w*|mrr)\b/g,
  ],
  [
    "uploads",
    /\b(file (storage|sharing)|\w+upload\b|drop (a bunch of |some |multiple |several |a few )?(\w+ )?(pngs|jpe?gs|images|files|photos|pdfs|csvs?)|(file|csv|pdf|image|photo)s? (i|you|the user|they|users) (choose|chose|select|pick)\w*|(post|share|list|report)\w* (\w+ ){1,3}with an? (photo|picture|image)|storage\.(from|upload|getpublicurl)|accept \.?(xlsx|csv|pdf|png|jpe?g|docx?|zip|heic|webp)\b|import (dialog|modal|wizard|screen)|(add|adds|adding|share|shares|sharing|post|posts|send|sends|submit|submits) (us |in )?(up to \d+ |some |their |your |a few |more |new |several |multiple |\w+ with )?(own )?(photos|pictures|images|videos|files|documents|cvs?|résumés?|resumes?)\b|as an? (word|pdf|csv|excel|zip|image) files?|upload\w*(?! (the )?(\w+ ){0,3}(report|artifacts?))(?! (\w+ ){0,4}(to|on) (github pages|netlify|vercel|heroku|cloudflare|firebase hosting|npm|pypi|docker hub|the app store|the play store)\b)|(with|and) (up to \d+ |some |multiple |several |a few )?(photos|images|pictures|screenshots?)\b|multipart|formdata|drop ?zones?|(import|choose|select|pick|attach|drop) (an? |the |their |your )?(\w+ )?(files?|images?|photos?|pictures?|csv|pdfs?|documents?|videos?|cvs?|résumés?|resumes?)|profile (picture|photo)|cover (image|photo)|file picker|pick (an? )?(image|file|photo)|attachments?|attach(es|ing)? (an? |the )?'?(receipt|invoice|cv|résumé|resume|logo|screenshot)s?|buckets?(?<!\b(same|deploy\w*|static|hosting|website) (s3 )?buckets?)|attach (files?|images?|screenshots?|a file|photos?|documents?)|drag (&|and|n) drop(?! (\w+ )?(cards?|tasks?|items?|rows?|columns?|widgets?|blocks?|sections?|todos?|tiles?|lists?|to reorder))|drag (an? |the |your |some )?(\w+ )?(files?|pdfs?|images?|photos?|csv|documents?)\b|drop (images?|files?)|dropzone|multer|storage bucket|avatar (upload|image|picture|photo)s?|file input|image file)\b/g,
  ],
  [
    "i18n",
    /\b(i18n|i18next|next-intl|rtl(?<!(jest|vitest|\+|,) rtl)(?! (for |(\w+ )?tests?\b|\+|,))|(en|de|fr|es|it|pt|nl|pl|ja)\.json|(switch|pick|choose|select)\w* (the |their |a |your )?(preferred )?language\b|right-to-left|chang\w* (the )?language|language (files?|detector|dropdown|menu|resets?)|(arabic|hebrew|german|french|spanish|italian|japanese|chinese|korean|portuguese|polish|dutch) (version|site|pages?|locale|users|speakers)|(site|app|page|ui|interface|text|emails?) (is |are )?in (arabic|hebrew|german|french|spanish|italian|japanese|chinese|korean|portuguese|polish|dutch)|(en|de|fr|es|pt|nl|ja)(\/|, ?)(en|de|fr|es|pt|nl|ja)\b|(en|de|fr|es|it|pt|nl|ja|zh)-[a-z]{2}\b|(translation|i18n|raw) keys|html lang|lang attribute|language ?(switcher|picker|selector)|translat\w*(?! ?(x|y|z|3d)?\(?(up|down|left|right|by|-?\d))(?! (this |the |my |our )?(\w+ ){0,2}(script|code|function|snippet|program|query|regex|class|component)s?\b)|locali[sz]\w*|locales?|multi-?lingual|language (switcher|picker|dropdown|toggle|selector)|languages? support|\d+ languages|(several|multiple|other|all) languages|browser language|(add|adding|support|supporting) (\w+ )?(arabic|german|french|spanish|italian|japanese|hebrew))\b/g,
  ],
  [
    "responsive",
    /\b(responsive(?<!\b(button|input|click|ui|app|page|form) (isn't|is not|not|feels|is) responsive)|breakpoints?|srcset|(below|above|under|from) (sm|md|lg|xl)\b|(small|narrow|smaller|narrower) (screens?|viewports?|widths?)|screen (sizes?|widths?)|media quer\w*|(below|under|above|from|down to) \d{3,4} ?px|\d{3,4}px and (up|below|down|narrower)|mobile[- ](first|friendly|layout|view|screens?|widths?|breakpoints?|version)|on mobile(?! (safari|chrome|browsers?|devices?)))\b/g,
  ],
  [
    "theming",
    /\b((night|sepia|reading|dim|high-contrast) (mode|theme)s?|(dark|light) (and|or) (dark|light)|dark (mode|theme|variant|palette|version)|light (mode|theme)|light\/dark|dark\/light|theme (switch\w*|toggle|picker|system|selector|support)|(switch|toggle|change) (the )?themes?|themes? that follow|theming|high-contrast|night mode|dark (and|or|\/) light|light (and|or|\/) dark|(is|in|goes|going|switch\w* to|turns?) dark\b|colou?r scheme|prefers-color-scheme|(system|os|operating system|device)'?s? (dark|light|theme|appearance|colou?r) (setting|preference|mode)s?|usetheme|themeprovider|darkmode\w*|theme(toggle|switch\w*|picker)|(pick|choose|select|set)\w* (an? |their |the |a |your )?(own )?(accent|brand|primary) colou?r(?! (of|for) (their|the|a|his|her|its|each) ))\b/g,
  ],
];

/** A device named ("on my phone", "tablets") asks for a layout that adapts only beside words of layout:
 * "on my phone the login button does nothing" is a bug on a phone, not a responsive layout. */
const DEVICE =
  /\b(mobile(?! (app|team|developers?|devs?|sdk))|phones?(?! number)|tablets?|iphone|android|ipad)\b/g;
const LAYOUT =
  /\b(layouts?|fits?|width|wide|wider|narrow\w*|stack\w*|columns?|overflow\w*|sideways|horizontal\w*|squish\w*|squeez\w*|cramped|looks?|(the|small|smaller|whole|their) screens?|usable|readable|sized?|fonts?|works? (well |nicely |fine |great )?on|design\w*|grid|sidebar|collaps\w*|friendly|tap targets?|resiz\w*|desktop|overlap\w*|off[- ]screen)\b/;
/** A new product whose people have parts of their own (hosts and guests, teachers and students, a task's
 * assignee, progress per user, profiles) has accounts to tell them apart. */
const ACCOUNTS_IMPLIED =
  /\b(hosts|sellers|vendors|teachers?|coach(es)?|employers|landlords|organi[sz]ers|agents|doctors|artists|instructors|tutors|trainers|coordinators|assignees?|profiles|mod tools|moderators|(per|for each|each|every) user)\b/;
/** "After a reload" is about kept data only beside what is kept or lost ("the list is empty after a reload"),
 * not beside a flicker or a random language after one. */
const AFTER_RELOAD =
  /\b((after|on) (a |the |every |each )?(page )?(reload|refresh|restart)\w*|after reloading)\b/;
const KEPT_OR_LOST =
  /\b(gone|lost|empty|reset|back to|forg[eo]t\w*|disappear\w*|vanish\w*|los[et]\w*|still|keep\w*|kept|remember\w*|persist\w*|sav\w+|stor\w+|database|db|local ?storage|comes? back|blank|again|logged out|listed)\b/;
/** Storage ruled out in so many words: "no database", "nothing saved". */
const NO_STORAGE =
  /\b(no|without( a)?|don'?t need( a)?) (database|db|backend|saving|storage|persistence)\b|\bnothing (is )?(saved|stored)\b/;
/** A demo, mockup or static page shows the flow without keeping anything. */
const SHOWCASE = /\b(demo|mock-?up|static)\b/;
const AUTH_PAGE_BUILT =
  /^\W*((create|build|make|code|write)( me| us)? )?(an? )?(simple )?((sign ?up|sign-up|log ?in|log-in|sign ?in|auth\w*)( and | \/ |\/| & | \+ )?){1,2} ?(pages?|forms?|screens?|flows?)\b/;
/** Content users post in a new product: "employers post jobs", "people can post lost pets". */
const USERS_POST =
  /\b(users|people|employers|members|customers|visitors|admins|teachers|students|players|others|respondents|authors|vendors) (can )?(post|create|add|publish|submit|share|upload|leave|write|fill)\b/;
/** Storage chosen to be in memory ("an in-memory array for storage", "an in-memory sqlite db for the tests") is
 * not kept; moving away from it ("instead of the in-memory array") is. */
const IN_MEMORY_STORE = /\bin-memory (array|store|storage|sqlite|db|database|list|map)\b/;
const AWAY_FROM_MEMORY = /\b(instead of|rather than|replac\w*|from) (the |an? |our )?in[- ]memory\b/;
const SESSION = /\b(sessions?|logged in|log in again|signed in|sign in again|tokens?)\b/;
/** Storage named in so many words, beside which a reload is about the data. */
const STORAGE =
  /\b(database|db|local ?storage|session ?storage|indexeddb|postgres\w*|mysql|sqlite|mongo\w*|firestore|prisma|quer(y|ies)|schemas?|supabase (table|database|db)|sav(e|ed|es|ing)|stor(e|ed|es|ing)|persist\w*|cookies?)\b/;
/** A path ("/signup", "/api/login") names a page or an endpoint, not a capability. */
const PATH_BEFORE = /(^|[\s("'])(\/[\w:.-]+)*\/$/;
/** A server route ("GET /users/:id", "an Express router") is an endpoint, not a page to navigate to, unless
 * the request also talks of pages, screens or links. */
const SERVER_ROUTE =
  /\b(get|post|put|patch|delete) \/|\b(express|route handlers?|handlers|endpoints?|api|middleware|multer|controllers?|(per|each) resource|flask|fastapi|django|rails|koa|nest(js)?|server (file|code)|server\.(js|ts)|(routes?|routers?) (that )?returns?|health ?check)\b|\/api\//;
/** A page's path ("/orders/42", "/blog/[slug]", "the /account section") or the router's own words in the prose
 * (`useParams`, `<Link>`): pages to navigate between. */
const PAGE_PATH =
  /(^|[\s(])(\/[a-z][\w-]*\/(:\w+|\[\w+\]|\d+)(?![\w/-])|\/[a-z][\w-]* (section|page|route|screen|area|view)\b)|\bbetween \/[a-z][\w-]* and \/[a-z]|#\/|\b(useparams|uselocation|usenavigate|userouter|router\.push|history\.push|routerlink|\+page\.svelte)\b|<(link|route|navlink)\b/;
/** Pages implied rather than named: "tag pages", "a history page", an admin area, a product that has several
 * pages by nature (the labelling guide's multi-page products: a shop, a marketplace, a SaaS). */
const PAGES_IMPLIED =
  /\b((?!(all|every|the|our|my|other|both|two|three|several|multiple|many|some|these|those|landing|static|web|github|gh|cloudflare|numbered|result|search|top|from|to|into|in|on|of|\d+)\b)[a-z]+ pages(?!\/)(?<!\b(the|our|my|these|those) [a-z]+ pages)|(a|an|with|and|plus) (?!(the|this|that|our|my|your|its|their|valid|same|current|existing|each|every|landing|single|one|home|web|status|rsvp|signup|sign-up|newsletter|simple|static|new|blank|error|whole|entire|little|small|tiny|basic|quick|big|large|long|login|log-in|sign-in|signin|register|registration)\b)([\w'-]+ ){1,2}page(?! (title|load|speed|size|number|views?|count|refresh|reload|transitions?))|[\w'-]+ page listing|admin (area|section|panel|pages|screens))\b/;
/** A new product with a dashboard or admin page for one of its people (hosts, agents, staff) has that area
 * apart from what the others see: pages to move between. */
const DASHBOARD = /\b(dashboards?|admin (page|panel|area))\b/;
const ROLES_WITH_AN_AREA =
  /\b(hosts|sellers|vendors|teachers?|coach(es)?|employers|landlords|organi[sz]ers|agents|doctors|artists|instructors|tutors|trainers|coordinators|staff|admins?)\b/;
/** Something shown on each record of a new product ("a contact form on each listing", "a Pay link on each
 * invoice") gives every record a view of its own. */
const EACH_RECORD_VIEW =
  /\b(on|for|of) (each|every) (listing|invoice|product|post|item|recipe|event|course|article|job|property|restaurant)\b/;
export const MULTI_PAGE_PRODUCT =
  /\b(admin (dashboard|area|section|panel)|online (shop|store)|e-?shop|web ?shop|marketplace|platform|saas|crm|portal|e-?learning|storefronts?)\b/;
/** A language's own pages: "add a /es version", "/de/produkte". */
/** A page's path that does not resolve: "/dashboard gives a 404", "→ /de/dashboard 404s". */
const PAGE_NOT_FOUND = /(^|[\s(])\/(?!api\/|static\b)[a-z][\w/-]* (\w+ ){0,4}404/;
const LOCALE_PATH =
  /(^|\s|\()\/(en|de|fr|es|it|pt|nl|pl|ja|zh|ko|ar|he|ru|sv|da|nb|no|fi|tr|cs|uk|el)(\/|…|\s+(or|and|version|pages?|site)\b|[,.]?$)|\b(under|at|on) \/(en|de|fr|es|it|pt|nl|pl|ja|zh|ko|ar|he|ru)\b(?![\w/.-])/m;
/** The page that is itself the product ("a tip jar page for my stream"): one page, nothing to navigate. */
const THE_PAGE_BUILT =
  /^\W*((build|create|make|design|code|write|give|i want|i need|need|want)( me| us)? )?(a|an) ([\w'-]+ ){0,3}page\b/;
/** A sign-in page's path ("redirect to /login"), not an endpoint's ("rate-limit the /login endpoint"). */
const SIGN_IN_PATH =
  /(^|[\s(])\/(login|log-in|sign-?in|logout)\b(?<!\blink(s|ing)? to \/[\w-]+)(?![\/.])(?! (endpoint|route handler|handler|api|request)s?\b)/;
/** An endpoint's path: "mocking /api/products", "load 12 at a time from /api/products?page=". */
const API_PATH = /(^|[\s(`'"])\/api\/[a-z]/;
/** A form component named in PascalCase: LoginForm, CheckoutForm. */
const FORM_COMPONENT = /\b[A-Z][a-z]+Form\b/;
/** HTTP verbs in capitals ("POST a long url, redirect on GET") are requests to an endpoint, unless they are SQL's
 * (INSERT, UPDATE or DELETE on a table) or a browser's log of the files it loads ("GET https://…/app.js 404"). */
const HTTP_VERB = /\b(GET|POST|PUT|PATCH|DELETE)\b(?! (it|them|this)\b)(?! https?:)/;
const SQL_VERB = /\b(INSERT|UPDATE|SELECT)\b/;
const ONE_PAGE = /\b(landing|single|one)[- ]?page\b|\bone-?pager\b/;
const PAGE_WORDS = /\b(pages?(?!\/)|screens?|views?|navbar|nav bar|navigation|links?|browser|front-?end)\b/;
/** Requirements a restyle mentions without needing: the sign-in, navigation, form, search, checkout or storage it
 * restyles exists already. (Not an API call: beside look words that is more often a feature than a restyle.) */
const EXISTING_IN_A_RESTYLE = new Set(["auth", "routing", "search", "payments", "persistence"]);

const REMEMBERED = /\bremember\w*|\b(saved|kept|persist\w*) (across|between|after)\b/;

/** "no login", "without saving": the words just before a cue that rule it out; "search is later" after. */
const RULED_OUT_BEFORE =
  /\b(no|without|not|never|nor)\s+(\w+\s+)?$|\bnothing\s+(\w+\s+){0,2}$|\b(don'?t|doesn'?t|won'?t) (call|hit|use|need|touch) (\w+\s+){0,2}$/;
const RULED_OUT_AFTER =
  /^[^.;,\n]{0,20}\b(is|comes|can come|are) (for )?later\b|^\w* later\b|^ (isn'?t|is not|aren'?t|are not) (important|needed|necessary|required)\b/;
/** A folder ("features/auth", "apps/api", "routes/") names code, not a capability. */
/** What a translation translates ("translate the navbar links", "the new screens to German") exists already. */
const TRANSLATED_BEFORE = /\b(translat\w*|locali[sz]\w*)\s+(the\s+|our\s+|all\s+)?([\w'-]+\s+)?$/;
/** A cue that is a file's name ("checkout.js", "auth.ts") names code. */
const FILE_EXTENSION_AFTER = /^\.(jsx?|tsx?|vue|svelte|py|rb|css|json)\b/;
/** Inside a link's address ("https://…/docs/routing/middleware") words are a path, not a capability. */
const URL_BEFORE = /https?:\/\/\S*$/;
const FOLDER_BEFORE = /\b(src|features?|apps?|packages|lib|components|modules)\/$/;
/** A capability listed among the code's parts ("four slices (auth, cart, ui)", "routers (notes, users, auth)",
 * "one file per feature (auth, billing, …)") names a module, not something to build. */
const MODULE_LIST_BEFORE =
  /\b(slices|namespaces|routers|modules|folders|files|stores|packages|controllers|services|providers|directories|per (feature|resource|domain))\s*\((\s*[\w.-]+\s*,)*\s*$|\b(slices|stores|reducers|namespaces) (for|like) (\s*[\w.-]+\s*,)*\s*$/;

/** A capability the request only touches, as the place of the change: "a checkbox on the login form", "the
 * password field", "to the checkout page". The work is the change, not the capability. */
const THE_BEFORE = /\b(the|our|my|this|that|their|your|its)\s+([\w'-]+\s+)?$/;
const PART_AFTER =
  /^[\w'-]*\s*([\w'-]+\s+)?(forms?|pages?|screens?|buttons?|fields?|modals?|dialogs?|components?|flows?|links?|box(es)?|inputs?|sections?|tabs?|cards?|menus?|handlers?|views?|steps?|errors?|messages?|widgets?|emails?|pdfs?|bars?|icons?|labels?|tests?|specs?)\b/;

type Mention = "new" | "touched" | null;

function mentionOf(prose: string, pattern: RegExp): Mention {
  let mention: Mention = null;
  for (const match of prose.matchAll(pattern)) {
    const before = prose.slice(Math.max(0, match.index - 24), match.index);
    const after = prose.slice(match.index + match[0].length, match.index + match[0].length + 30);
    if (FOLDER_BEFORE.test(before) || PATH_BEFORE.test(before) || after.startsWith("/")) continue;
    const wider = prose.slice(Math.max(0, match.index - 80), match.index);
    if (MODULE_LIST_BEFORE.test(wider) || URL_BEFORE.test(wider)) continue;
    // (Chart.js and an api.ts client are the capability's own library and module.)
    if (FILE_EXTENSION_AFTER.test(after) && !/^(chart|api|express|upload)/.test(match[0])) continue;
    if (TRANSLATED_BEFORE.test(before)) continue;
    // "without a valid token → 401" is the request the sign-in refuses, not sign-in ruled out.
    const refused = /tokens?$/.test(match[0]);
    if (!refused && (RULED_OUT_BEFORE.test(before) || RULED_OUT_AFTER.test(after))) continue;
    if (!(THE_BEFORE.test(before) && PART_AFTER.test(after))) return "new";
    mention = "touched";
  }
  return mention;
}

const named = (prose: string, pattern: RegExp) => mentionOf(prose, pattern) !== null;

export interface Requirements {
  /** Every capability the result must contain. */
  names: string[];
  /** Those of them the request only touches, as the place of the change ("the login form"). */
  touched: string[];
  /** Capabilities a restyle names without needing them (the form or search it restyles exists): not required,
   * but part of the work's scope. */
  restyled: string[];
}

/** The old and new names of a rename ("rename getuserdata to fetchcurrentuser") are identifiers, not
 * capabilities. */
const RENAMED_NAMES =
  /\b(renam\w* (?:(?:the|this|our|a) )?(?:(?:function|variable|method|hook|component|prop|file|class|helper) )?)[\w.'"]+ (?:to|into|as) [\w.'"]+/g;

export function readRequirements(text: RequestText, taskType: TaskType): Requirements {
  // Identifiers in backticks (`fetchOrders`, `useTheme`) are code, not capabilities.
  // (So are quoted dotted keys: 'checkout.title'.)
  const prose = text.prose.replace(/`[^`\n]*`|'[\w-]+(\.[\w-]+)+'/g, "code").replace(
    RENAMED_NAMES,
    "$1code to code",
  );
  const languages = new Set(prose.match(LANGUAGE_NAMES) ?? []).size;
  const serverRoutesOnly = SERVER_ROUTE.test(prose) && !PAGE_WORDS.test(prose);
  const namedBesides: Record<string, () => boolean> = {
    persistence: () => AFTER_RELOAD.test(prose) && KEPT_OR_LOST.test(prose),
    auth: () => (taskType === "generation" && ACCOUNTS_IMPLIED.test(prose)) || SIGN_IN_PATH.test(prose),
    i18n: () => languages >= 2,
    responsive: () => LAYOUT.test(prose) && named(prose, DEVICE),
    forms: () => FORM_COMPONENT.test(text.raw),
    // A server's routes (beside handlers, a server file, a resource) are its endpoints.
    api: () =>
      (serverRoutesOnly && /\b(routes?|routers?)\b/.test(prose)) || API_PATH.test(prose) ||
      (HTTP_VERB.test(text.raw) && !SQL_VERB.test(text.raw)),
    routing: () =>
      (!serverRoutesOnly && (PAGE_PATH.test(prose) || PAGE_NOT_FOUND.test(prose))) ||
      LOCALE_PATH.test(prose) ||
      (taskType !== "style" && taskType !== "refactor" &&
        PAGES_IMPLIED.test(prose.replace(THE_PAGE_BUILT, ""))) ||
      (taskType === "generation" && !ONE_PAGE.test(prose) &&
        (MULTI_PAGE_PRODUCT.test(prose) || EACH_RECORD_VIEW.test(prose) ||
          (DASHBOARD.test(prose) && ROLES_WITH_AN_AREA.test(prose)))),
  };
  const names: string[] = [];
  const touched: string[] = [];
  const restyled: string[] = [];
  for (const [name, pattern] of REQUIREMENT_CUES) {
    // Beside endpoints only, a route is a server's (pages implied still count), and fields and their
    // validation are a request body's, not a form's.
    const serversOnly = serverRoutesOnly &&
      (name === "routing" || (name === "forms" && !/\b(forms?|inputs?|fields?(?! errors))\b/.test(prose)));
    const cued = serversOnly ? null : mentionOf(prose, pattern);
    const mention = cued ?? (namedBesides[name]?.() ? "new" : null);
    if (!mention) continue;
    // What a restyle names exists already, but a choice it adds may be remembered ("a theme toggle, remembered");
    // a restyled form is tagged where the form itself is named, not for its submit button.
    const restyledOnly =
      (EXISTING_IN_A_RESTYLE.has(name) && !(name === "persistence" && REMEMBERED.test(prose))) ||
      (name === "forms" && !/\bforms?\b/.test(prose));
    if (taskType === "style" && restyledOnly) {
      restyled.push(name);
      continue;
    }
    names.push(name);
    if (mention === "touched") touched.push(name);
  }
  // Accounts in a new product hold the users' data (the guide's "auth + database" products), unless the
  // product is the sign-in page itself; what users post in a new product is kept.
  const stored = names.includes("persistence");
  const inMemory = IN_MEMORY_STORE.test(prose) && !AWAY_FROM_MEMORY.test(prose);
  if (
    taskType === "generation" && !stored && !inMemory && !NO_STORAGE.test(prose) && !SHOWCASE.test(prose) &&
    ((names.includes("auth") && !AUTH_PAGE_BUILT.test(prose)) || USERS_POST.test(prose))
  ) names.push("persistence");
  // A session lost on reload is the sign-in's, not storage ("user is null after refresh").
  const sessionLost = names.includes("auth") && SESSION.test(prose) && !STORAGE.test(prose);
  if (stored && (inMemory || sessionLost)) names.splice(names.indexOf("persistence"), 1);
  return { names, touched, restyled };
}
