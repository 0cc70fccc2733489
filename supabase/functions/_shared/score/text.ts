// Text outputs (explain-type tasks): an explanation of fitting length, with structure, about the code
// or subject asked about, with examples, and with code blocks that parse.

import { parseScript } from "./parse.ts";
import type { Project } from "./project.ts";
import type { Finding } from "./rules.ts";

const LENGTH = { low: [250, 6_000], medium: [500, 12_000], high: [900, 20_000] } as const;
const CODE_BLOCK = /^```(tsx?|jsx?|typescript|javascript)\s*\n([\s\S]*?)^```/gm;
const STOPWORDS = new Set([
  "explain",
  "what",
  "does",
  "this",
  "that",
  "with",
  "from",
  "into",
  "about",
  "there",
  "their",
  "where",
  "which",
  "when",
  "work",
  "works",
  "code",
  "file",
  "please",
]);

/** Names the explanation should mention: identifiers declared in the context, words of the request. */
function topics(project: Project, request: string): string[] {
  const fromContext = project.contextFiles.flatMap((file) =>
    [...file.content.matchAll(/(?:function|const|class|interface|type)\s+([A-Za-z_$][\w$]{2,})/g)].map((m) =>
      m[1]
    )
  );
  const fromRequest =
    request.toLowerCase().match(/[a-z][a-z0-9]{3,}/g)?.filter((word) => !STOPWORDS.has(word)) ?? [];
  return [...new Set([...fromContext, ...fromRequest])];
}

export function textChecks(project: Project, request: string): Finding[] {
  const documents = project.files.filter((file) => /\.(md|markdown|txt)$/i.test(file.path));
  const text = documents.map((file) => file.content).join("\n\n");
  const findings: Finding[] = [];
  const [min, max] = LENGTH[project.profile.complexity];
  if (text.trim().length < min) {
    findings.push({
      rule: "text-too-short",
      message: `the explanation has ${text.trim().length} characters; at least ${min} expected`,
    });
  } else if (text.length > max) {
    findings.push({
      rule: "text-too-long",
      message: `the explanation has ${text.length} characters; at most ${max} expected`,
    });
  }
  const headings = text.match(/^#{1,6} \S/gm)?.length ?? 0;
  const paragraphs = text.split(/\n\s*\n/).filter((block) => block.trim().length > 40).length;
  if (text.trim() && headings === 0 && paragraphs < 2) {
    findings.push({ rule: "text-unstructured", message: "no headings and fewer than two paragraphs" });
  }
  const wanted = topics(project, request);
  const lower = text.toLowerCase();
  if (text.trim() && wanted.length > 0 && !wanted.some((topic) => lower.includes(topic.toLowerCase()))) {
    findings.push({
      rule: "text-off-topic",
      message: "the explanation mentions nothing the request or its code names",
    });
  }
  const blocks = documents.flatMap((file) =>
    [...file.content.matchAll(CODE_BLOCK)].map((match) => ({ file, match }))
  );
  if (text.trim() && (project.contextFiles.length > 0) && blocks.length === 0 && !/`[^`\n]+`/.test(text)) {
    findings.push({ rule: "text-without-examples", message: "no code examples or code references" });
  }
  for (const { file, match } of blocks) {
    const startLine = file.content.slice(0, match.index).split("\n").length + 1;
    const tsx = /tsx|jsx/.test(match[1]) ? "block.tsx" : "block.ts";
    const [error] = parseScript(tsx, match[2]).errors;
    if (error) {
      findings.push({
        rule: "syntax-error",
        message: `code block does not parse: ${error.message}`,
        file: file.path,
        line: startLine + error.line - 1,
      });
    }
  }
  return findings;
}
