/// <reference lib="dom" />
// The result's files: a tree of their paths and the code of the one picked. The code is a model's
// output, shown as text in a <pre>: never run, never parsed as HTML.

import type { GeneratedFile } from "../../../shared/mod.ts";
import { h } from "./dom.ts";

interface Folder {
  folders: Map<string, Folder>;
  files: GeneratedFile[];
}

function treeOf(files: GeneratedFile[]): Folder {
  const root: Folder = { folders: new Map(), files: [] };
  for (const file of files) {
    const segments = file.path.split("/");
    let folder = root;
    for (const name of segments.slice(0, -1)) {
      if (!folder.folders.has(name)) folder.folders.set(name, { folders: new Map(), files: [] });
      folder = folder.folders.get(name)!;
    }
    folder.files.push(file);
  }
  return root;
}

export function filesPanel(files: GeneratedFile[]): HTMLElement {
  const heading = h("div", { className: "code-heading" });
  const code = h("code", {});
  const buttons = new Map<string, HTMLButtonElement>();

  const show = (file: GeneratedFile) => {
    for (const [path, button] of buttons) button.toggleAttribute("aria-current", path === file.path);
    const lines = file.content.split("\n").length;
    heading.replaceChildren(h("strong", {}, file.path), ` — ${lines} lines`);
    code.textContent = file.content;
  };

  const list = (folder: Folder): HTMLUListElement =>
    h(
      "ul",
      {},
      ...[...folder.folders].sort(([a], [b]) => a.localeCompare(b)).map(([name, child]) =>
        h("li", { className: "folder" }, h("span", {}, `${name}/`), list(child))
      ),
      ...folder.files.map((file) => {
        const button = h(
          "button",
          { attrs: { type: "button" }, data: { path: file.path }, on: { click: () => show(file) } },
          file.path.split("/").at(-1)!,
        );
        buttons.set(file.path, button);
        return h("li", { className: "file" }, button);
      }),
    );

  const panel = h(
    "section",
    { className: "files", data: { section: "files" } },
    h("h3", {}, `Files (${files.length})`),
    h(
      "div",
      { className: "files-body" },
      h("nav", { className: "tree", attrs: { "aria-label": "files" } }, list(treeOf(files))),
      h("div", { className: "code" }, heading, h("pre", {}, code)),
    ),
  );
  if (files[0]) show(files[0]);
  return panel;
}
