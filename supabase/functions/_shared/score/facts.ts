// One walk over a file's syntax tree, collecting the facts the checks need: imports, calls, JSX elements
// with their attributes, functions (and which render JSX or call hooks), state hooks, effects, list
// renders, declarations and how often each name is used, `any` types, untyped exports and unreachable
// statements. Facts keep the position (`at`) of their node, not the node: the syntax tree becomes
// garbage as soon as the walk ends, which keeps parsing many files cheap on memory and GC. `lineOf`
// turns a position into a line only when a check reports it.

import ts from "typescript";
import type { SyntaxProblem } from "./parse.ts";

export interface ImportFact {
  source: string;
  names: string[];
  /** `import type …` or only `type` bindings: nothing of it is left at run time. */
  typeOnly: boolean;
  at: number;
}

/** A named or anonymous function; `calls` holds the callee paths called directly inside it. */
export interface FunctionFact {
  name: string | null;
  at: number;
  topLevel: boolean;
  exported: boolean;
  rendersJsx: boolean;
  callsHooks: boolean;
  emptyBody: boolean;
  calls: Set<string>;
}

/** An event handler: the function itself when inline, or the name it refers to. */
export type HandlerFact = FunctionFact | string;

export interface JsxFact {
  tag: string;
  at: number;
  /** Attribute name → string literal value, "{}" for an expression, "" for a bare attribute. */
  attributes: Map<string, string>;
  onClick?: HandlerFact;
  onSubmit?: HandlerFact;
  insideForm: boolean;
}

export interface CallFact {
  callee: string;
  at: number;
  /** The innermost function the call is made in (null at module level). */
  within: FunctionFact | null;
}

export interface StateFact {
  value: string | null;
  setter: string | null;
  at: number;
}

export interface EffectFact {
  hook: string;
  at: number;
  hasDeps: boolean;
  callback: FunctionFact | null;
}

export interface FileFacts {
  path: string;
  typescript: boolean;
  lines: number;
  bytes: number;
  syntaxErrors: SyntaxProblem[];
  imports: ImportFact[];
  dynamicImports: number;
  calls: CallFact[];
  jsx: JsxFact[];
  functions: FunctionFact[];
  states: StateFact[];
  effects: EffectFact[];
  /** `.map(…)` callbacks that return JSX: whether the returned element has a key. */
  listRenders: Array<{ at: number; keyed: boolean }>;
  anyTypes: number[];
  untypedExports: Array<{ name: string; at: number }>;
  declarations: Array<{ name: string; at: number; kind: "import" | "variable" | "function" }>;
  identifierCounts: Map<string, number>;
  unreachable: number[];
  /** Property names of object literals (`path:` entries are route definitions). */
  propertyNames: Map<string, number>;
  /** The line (1-based) of a position, after the comments and white space that precede a node. */
  lineOf(at: number): number;
}

const HOOK_NAME = /^use[A-Z0-9]/;
const EFFECT_HOOKS = new Set(["useEffect", "useLayoutEffect", "useMemo", "useCallback"]);
const STATE_HOOK = /^(React\.)?use(State|Reducer)$/;
const TERMINAL = new Set([
  ts.SyntaxKind.ReturnStatement,
  ts.SyntaxKind.ThrowStatement,
  ts.SyntaxKind.BreakStatement,
  ts.SyntaxKind.ContinueStatement,
]);

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === kind);
}

/** `a.b.c` for an identifier or property chain; calls in the chain become `()`: `db.from().insert`. */
export function calleePath(expression: ts.Expression): string | null {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) {
    const left = calleePath(expression.expression);
    return `${left ?? "?"}.${expression.name.text}`;
  }
  if (ts.isCallExpression(expression)) {
    const inner = calleePath(expression.expression);
    return inner ? `${inner}()` : null;
  }
  if (ts.isParenthesizedExpression(expression) || ts.isNonNullExpression(expression)) {
    return calleePath(expression.expression);
  }
  if (expression.kind === ts.SyntaxKind.ThisKeyword) return "this";
  return null;
}

function unwrap(expression: ts.Expression): ts.Expression {
  return ts.isParenthesizedExpression(expression) ? unwrap(expression.expression) : expression;
}

function isJsx(node: ts.Node): node is ts.JsxElement | ts.JsxSelfClosingElement | ts.JsxFragment {
  return ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node) || ts.isJsxFragment(node);
}

function isFunctionValue(node: ts.Node | null | undefined): node is ts.ArrowFunction | ts.FunctionExpression {
  return !!node && (ts.isArrowFunction(node) || ts.isFunctionExpression(node));
}

function openingOf(node: ts.JsxElement | ts.JsxSelfClosingElement): ts.JsxOpeningLikeElement {
  return ts.isJsxElement(node) ? node.openingElement : node;
}

function attributeName(attribute: ts.JsxAttribute): string {
  return ts.isIdentifier(attribute.name)
    ? attribute.name.text
    : `${attribute.name.namespace.text}:${attribute.name.name.text}`;
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => ts.isBindingElement(element) ? bindingNames(element.name) : []);
}

/** The JSX a `.map` callback returns: its expression body, or its block's own return statements. */
function returnedJsx(callback: ts.ArrowFunction | ts.FunctionExpression): ts.Node[] {
  if (!ts.isBlock(callback.body)) {
    const body = unwrap(callback.body);
    return isJsx(body) ? [body] : [];
  }
  return callback.body.statements.flatMap((statement) =>
    ts.isReturnStatement(statement) && statement.expression && isJsx(unwrap(statement.expression))
      ? [unwrap(statement.expression)]
      : []
  );
}

function hasKey(node: ts.Node): boolean {
  if (ts.isJsxFragment(node)) return false;
  return openingOf(node as ts.JsxElement | ts.JsxSelfClosingElement).attributes.properties.some((attribute) =>
    ts.isJsxAttribute(attribute) && attributeName(attribute) === "key"
  );
}

/** Maps a node's position (which includes the trivia before it) to the line its first token is on. */
function lineFinder(text: string, lineStarts: readonly number[]): (at: number) => number {
  return (at) => {
    let i = at;
    while (i < text.length) {
      const char = text.charCodeAt(i);
      if (char === 32 || char === 9 || char === 10 || char === 13) i++;
      else if (char === 47 && text.charCodeAt(i + 1) === 47) {
        i = text.indexOf("\n", i) < 0 ? text.length : text.indexOf("\n", i);
      } else if (char === 47 && text.charCodeAt(i + 1) === 42) {
        i = text.indexOf("*/", i + 2) < 0 ? text.length : text.indexOf("*/", i + 2) + 2;
      } else break;
    }
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle] <= i) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

export function collectFacts(path: string, source: ts.SourceFile, syntaxErrors: SyntaxProblem[]): FileFacts {
  const facts: FileFacts = {
    path,
    typescript: /\.(tsx?|mts|cts)$/.test(path),
    lines: source.getLineStarts().length,
    bytes: source.text.length,
    syntaxErrors,
    imports: [],
    dynamicImports: 0,
    calls: [],
    jsx: [],
    functions: [],
    states: [],
    effects: [],
    listRenders: [],
    anyTypes: [],
    untypedExports: [],
    declarations: [],
    identifierCounts: new Map(),
    unreachable: [],
    propertyNames: new Map(),
    lineOf: lineFinder(source.text, source.getLineStarts()),
  };
  const counts = facts.identifierCounts;
  /** Functions pre-registered by their parent (named consts, effect callbacks, inline handlers). */
  const frameOf = new Map<ts.Node, FunctionFact>();
  // The walk's state: the functions it is inside, and whether it is inside a <form>.
  const stack: FunctionFact[] = [];
  let insideForm = false;

  function openFunction(node: ts.Node, name: string | null): FunctionFact {
    const body = (node as ts.FunctionLikeDeclaration).body;
    const frame: FunctionFact = {
      name,
      at: node.pos,
      topLevel: stack.length === 0,
      exported: hasModifier(node, ts.SyntaxKind.ExportKeyword),
      rendersJsx: false,
      callsHooks: false,
      emptyBody: !!body && ts.isBlock(body) && body.statements.length === 0,
      calls: new Set(),
    };
    facts.functions.push(frame);
    frameOf.set(node, frame);
    return frame;
  }

  function inside(frame: FunctionFact, node: ts.Node) {
    stack.push(frame);
    ts.forEachChild(node, visit);
    stack.pop();
  }

  function checkUntypedExport(name: string, fn: ts.SignatureDeclaration) {
    if (facts.typescript && fn.parameters.some((parameter) => !parameter.type)) {
      facts.untypedExports.push({ name, at: fn.pos });
    }
  }

  function recordStatements(statements: ts.NodeArray<ts.Statement>) {
    for (let i = 0; i < statements.length - 1; i++) {
      if (!TERMINAL.has(statements[i].kind)) continue;
      const next = statements.slice(i + 1).find((s) =>
        !ts.isFunctionDeclaration(s) && !ts.isEmptyStatement(s)
      );
      if (next) facts.unreachable.push(next.pos);
      return;
    }
  }

  function recordCall(node: ts.CallExpression, frame: FunctionFact | null) {
    if (node.expression.kind === ts.SyntaxKind.ImportKeyword) facts.dynamicImports++;
    const callee = calleePath(node.expression);
    if (!callee) return;
    facts.calls.push({ callee, at: node.pos, within: frame });
    frame?.calls.add(callee);
    const bare = callee.startsWith("React.") ? callee.slice(6) : callee;
    if (frame && HOOK_NAME.test(bare)) frame.callsHooks = true;
    const callback = node.arguments[0] && unwrap(node.arguments[0]);
    if (EFFECT_HOOKS.has(bare)) {
      facts.effects.push({
        hook: bare,
        at: node.pos,
        hasDeps: node.arguments.length >= 2,
        callback: isFunctionValue(callback) ? openFunction(callback, null) : null,
      });
    }
    if (callee.endsWith(".map") && isFunctionValue(callback)) {
      for (const element of returnedJsx(callback)) {
        facts.listRenders.push({ at: element.pos, keyed: hasKey(element) });
      }
    }
  }

  function recordVariables(node: ts.VariableStatement) {
    const exported = hasModifier(node, ts.SyntaxKind.ExportKeyword);
    for (const declaration of node.declarationList.declarations) {
      const init = declaration.initializer && unwrap(declaration.initializer);
      if (isFunctionValue(init) && ts.isIdentifier(declaration.name)) {
        const fn = openFunction(init, declaration.name.text);
        fn.exported = exported;
        if (exported && !declaration.type) checkUntypedExport(declaration.name.text, init);
      }
      const isState = init && ts.isCallExpression(init) && STATE_HOOK.test(calleePath(init.expression) ?? "");
      if (isState && ts.isArrayBindingPattern(declaration.name)) {
        const [value, setter] = declaration.name.elements.map((element) =>
          ts.isBindingElement(element) && ts.isIdentifier(element.name) ? element.name.text : null
        );
        facts.states.push({ value, setter, at: declaration.pos });
      } else if (!exported) {
        for (const name of bindingNames(declaration.name)) {
          facts.declarations.push({ name, at: declaration.pos, kind: "variable" });
        }
      }
    }
  }

  function recordJsx(node: ts.JsxElement | ts.JsxSelfClosingElement) {
    const opening = openingOf(node);
    const fact: JsxFact = {
      tag: calleePath(opening.tagName as ts.Expression) ?? "",
      at: node.pos,
      attributes: new Map(),
      insideForm,
    };
    for (const attribute of opening.attributes.properties) {
      if (!ts.isJsxAttribute(attribute)) continue;
      const name = attributeName(attribute);
      const init = attribute.initializer;
      if (!init) fact.attributes.set(name, "");
      else if (ts.isStringLiteral(init)) fact.attributes.set(name, init.text);
      else {
        fact.attributes.set(name, "{}");
        if (name !== "onClick" && name !== "onSubmit") continue;
        const value = ts.isJsxExpression(init) && init.expression ? unwrap(init.expression) : null;
        if (isFunctionValue(value)) fact[name] = openFunction(value, null);
        else if (value && ts.isIdentifier(value)) fact[name] = value.text;
      }
    }
    facts.jsx.push(fact);
    return fact;
  }

  const current = () => (stack.length ? stack[stack.length - 1] : null);
  function marksJsx(): boolean {
    for (const open of stack) open.rendersJsx = true;
    return false;
  }

  // What to record for each kind of node. A handler returns true when it walked the children itself.
  // One small function per kind keeps each property access monomorphic, which matters for speed.
  const handlers: Array<((node: ts.Node) => boolean) | undefined> = [];
  const on = (kinds: ts.SyntaxKind[], handler: (node: ts.Node) => boolean) => {
    for (const kind of kinds) handlers[kind] = handler;
  };
  on([ts.SyntaxKind.Identifier], (node) => {
    const name = (node as ts.Identifier).escapedText as string;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    return true;
  });
  on([ts.SyntaxKind.AnyKeyword], (node) => {
    facts.anyTypes.push(node.pos);
    return true;
  });
  on([ts.SyntaxKind.ImportDeclaration], (node) => {
    const declaration = node as ts.ImportDeclaration;
    const clause = declaration.importClause;
    const names: string[] = [];
    if (clause?.name) names.push(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((e) => e.name.text));
    const onlyTypeBindings = !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 &&
      bindings.elements.every((element) => element.isTypeOnly);
    const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && onlyTypeBindings));
    facts.imports.push({
      source: (declaration.moduleSpecifier as ts.StringLiteral).text,
      names,
      typeOnly,
      at: node.pos,
    });
    for (const name of names) facts.declarations.push({ name, at: node.pos, kind: "import" });
    return false;
  });
  on(
    [ts.SyntaxKind.Block, ts.SyntaxKind.SourceFile, ts.SyntaxKind.CaseClause, ts.SyntaxKind.DefaultClause],
    (node) => {
      recordStatements((node as ts.Block).statements);
      return false;
    },
  );
  on([ts.SyntaxKind.PropertyAssignment], (node) => {
    const name = (node as ts.PropertyAssignment).name;
    if (ts.isIdentifier(name) || ts.isStringLiteral(name)) {
      facts.propertyNames.set(name.text, (facts.propertyNames.get(name.text) ?? 0) + 1);
    }
    return false;
  });
  on([ts.SyntaxKind.FunctionDeclaration, ts.SyntaxKind.MethodDeclaration], (node) => {
    const fn = node as ts.FunctionDeclaration;
    const name = fn.name && ts.isIdentifier(fn.name) ? fn.name.text : null;
    const opened = openFunction(node, name);
    if (ts.isFunctionDeclaration(node) && opened.topLevel) {
      if (opened.exported) checkUntypedExport(name ?? "default", fn);
      else if (name) facts.declarations.push({ name, at: node.pos, kind: "function" });
    }
    inside(opened, node);
    return true;
  });
  on([ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.FunctionExpression], (node) => {
    inside(frameOf.get(node) ?? openFunction(node, null), node);
    return true;
  });
  on([ts.SyntaxKind.VariableStatement], (node) => {
    recordVariables(node as ts.VariableStatement);
    return false;
  });
  on([ts.SyntaxKind.CallExpression], (node) => {
    recordCall(node as ts.CallExpression, current());
    return false;
  });
  on([ts.SyntaxKind.NewExpression], (node) => {
    const callee = calleePath((node as ts.NewExpression).expression);
    const frame = current();
    if (callee) {
      facts.calls.push({ callee: `new ${callee}`, at: node.pos, within: frame });
      frame?.calls.add(`new ${callee}`);
    }
    return false;
  });
  on([ts.SyntaxKind.JsxFragment], marksJsx);
  on([ts.SyntaxKind.JsxElement, ts.SyntaxKind.JsxSelfClosingElement], (node) => {
    marksJsx();
    const element = recordJsx(node as ts.JsxElement);
    if (element.tag !== "form" || insideForm) return false;
    insideForm = true;
    ts.forEachChild(node, visit);
    insideForm = false;
    return true;
  });

  function visit(node: ts.Node): undefined {
    const handle = handlers[node.kind];
    if (handle === undefined || !handle(node)) ts.forEachChild(node, visit);
  }

  visit(source);
  return facts;
}
