// Parsing: TS/TSX/JS/JSX through TypeScript's own parser (syntax only: no type checking, no JSDoc), and
// well-formedness checks for JSON, CSS and HTML. Syntax errors come back with their line.

import ts from "typescript";

export const SCRIPT_FILE = /\.(tsx?|jsx?|mjs|cjs|mts|cts)$/;

export interface SyntaxProblem {
  line: number;
  message: string;
}

function scriptKind(path: string): ts.ScriptKind {
  if (path.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (path.endsWith(".jsx")) return ts.ScriptKind.JSX;
  if (/\.(js|mjs|cjs)$/.test(path)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

export interface ParsedScript {
  source: ts.SourceFile;
  errors: SyntaxProblem[];
}

export function parseScript(path: string, content: string): ParsedScript {
  const source = ts.createSourceFile(
    path,
    content,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    false,
    scriptKind(path),
  );
  // The parser's own diagnostics: not in the public typings, but what every TypeScript tool reads.
  const diagnostics =
    (source as unknown as { parseDiagnostics: ts.DiagnosticWithLocation[] }).parseDiagnostics;
  const errors = diagnostics.map((diagnostic) => ({
    line: source.getLineAndCharacterOfPosition(diagnostic.start).line + 1,
    message: ts.flattenDiagnosticMessageText(diagnostic.messageText, " "),
  }));
  return { source, errors };
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** tsconfig.json, jsconfig.json and .jsonc files are JSON with comments and trailing commas. */
export function allowsComments(path: string): boolean {
  return /(^|\/)(tsconfig|jsconfig)[\w.-]*\.json$|\.jsonc$/.test(path);
}

/** Blanks out comments and trailing commas, keeping every line break so positions stay on their line. */
function stripJsonComments(content: string): string {
  return content
    .replace(
      /"(?:\\.|[^"\\])*"|\/\/[^\n]*|\/\*[\s\S]*?\*\//g,
      (match) => match.startsWith('"') ? match : match.replace(/[^\n]/g, " "),
    )
    .replace(/,(\s*[}\]])/g, " $1");
}

/** The value of a JSON-with-comments file (a tsconfig), or undefined when it does not parse. */
export function parseJsonWithComments(content: string): unknown {
  try {
    return JSON.parse(stripJsonComments(content));
  } catch {
    return undefined;
  }
}

export function checkJson(content: string, withComments = false): SyntaxProblem | null {
  try {
    JSON.parse(withComments ? stripJsonComments(content) : content);
    return null;
  } catch (error) {
    const position = Number((error as Error).message.match(/position (\d+)/)?.[1] ?? 0);
    return { line: lineAt(content, position), message: (error as Error).message };
  }
}

/** CSS: comments and strings closed, braces balanced. */
export function checkCss(content: string): SyntaxProblem | null {
  let depth = 0;
  for (let i = 0; i < content.length; i++) {
    const char = content[i];
    if (char === "/" && content[i + 1] === "*") {
      const end = content.indexOf("*/", i + 2);
      if (end < 0) return { line: lineAt(content, i), message: "unterminated comment" };
      i = end + 1;
    } else if (char === '"' || char === "'") {
      const end = content.indexOf(char, i + 1);
      const newline = content.indexOf("\n", i + 1);
      if (end < 0 || (newline >= 0 && newline < end)) {
        return { line: lineAt(content, i), message: "unterminated string" };
      }
      i = end;
    } else if (char === "{") {
      depth++;
    } else if (char === "}") {
      if (--depth < 0) return { line: lineAt(content, i), message: "unexpected '}'" };
    }
  }
  return depth === 0 ? null : { line: lineAt(content, content.length), message: `${depth} unclosed '{'` };
}

const VOID_ELEMENTS = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "source",
  "track",
  "wbr",
]);

/** HTML: every non-void element closed in order (script and style bodies skipped). */
export function checkHtml(content: string): SyntaxProblem | null {
  const open: Array<{ tag: string; index: number }> = [];
  const tags = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][\w-]*)([^>]*?)(\/?)>|<!doctype[^>]*>/gi;
  let match: RegExpExecArray | null;
  while ((match = tags.exec(content))) {
    const [, closing, rawTag, , selfClosing] = match;
    if (!rawTag) continue;
    const tag = rawTag.toLowerCase();
    if (closing) {
      const top = open.pop();
      if (!top || top.tag !== tag) {
        return {
          line: lineAt(content, match.index),
          message: `</${tag}> does not close <${top?.tag ?? "nothing"}>`,
        };
      }
    } else if (!selfClosing && !VOID_ELEMENTS.has(tag)) {
      open.push({ tag, index: match.index });
      if (tag === "script" || tag === "style") {
        const end = content.toLowerCase().indexOf(`</${tag}`, tags.lastIndex);
        if (end < 0) return { line: lineAt(content, match.index), message: `<${tag}> is never closed` };
        tags.lastIndex = end;
      }
    }
  }
  if (content.includes("<!--") && content.lastIndexOf("<!--") > content.lastIndexOf("-->")) {
    return { line: lineAt(content, content.lastIndexOf("<!--")), message: "unterminated comment" };
  }
  const unclosed = open.pop();
  return unclosed
    ? { line: lineAt(content, unclosed.index), message: `<${unclosed.tag}> is never closed` }
    : null;
}
