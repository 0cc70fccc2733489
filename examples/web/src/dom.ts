/// <reference lib="dom" />
// Building the page from data. Everything goes in as text nodes (textContent), never as HTML: what a
// model wrote — file paths, code, issue messages, a verifier's summary — is hostile input, and a file
// named `<img src=x onerror=alert(1)>` must show as exactly those characters.

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  className?: string;
  /** Plain attributes, set with setAttribute (never event handlers: use `on`). */
  attrs?: Record<string, string>;
  /** data-* attributes: what the browser test reads back. */
  data?: Record<string, string>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

function append(parent: Element, children: Child[]) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function setAttributes(element: Element, attrs: Record<string, string>) {
  for (const [name, value] of Object.entries(attrs)) {
    // An inline handler would run text as code; the page only ever attaches functions.
    if (name.toLowerCase().startsWith("on")) throw new Error(`refusing the attribute ${name}`);
    element.setAttribute(name, value);
  }
}

/** An HTML element with its props and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  setAttributes(element, props.attrs ?? {});
  for (const [name, value] of Object.entries(props.data ?? {})) element.dataset[name] = value;
  for (const [type, listener] of Object.entries(props.on ?? {})) {
    element.addEventListener(type, listener as EventListener);
  }
  append(element, children);
  return element;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element (charts) with its attributes and children. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  setAttributes(
    element,
    Object.fromEntries(Object.entries(attrs).map(([name, value]) => [name, String(value)])),
  );
  append(element, children);
  return element;
}
