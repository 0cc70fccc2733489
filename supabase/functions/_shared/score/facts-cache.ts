// A bounded memo of per-file facts, keyed by path and content: model outputs repeat files (package.json,
// configs, entry points, whole files when a model is asked twice), and a file already read need not be
// parsed again. Facts hold positions, not syntax nodes, so an entry is small. Kept by whoever scores
// repeatedly (a function worker); least recently used entries go first.

import type { FileFacts } from "./facts.ts";

/** cyrb53: a fast 53-bit string hash; with the length in the key, collisions are not a practical concern. */
function hash(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ char, 2654435761);
    h2 = Math.imul(h2 ^ char, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export class FactsCache {
  private readonly entries = new Map<string, FileFacts>();
  hits = 0;
  misses = 0;

  constructor(private readonly capacity: number) {}

  /** The facts of this file: remembered, or collected now by `collect`. */
  get(path: string, content: string, collect: () => FileFacts): FileFacts {
    const key = `${path}\0${content.length}\0${hash(content)}`;
    const cached = this.entries.get(key);
    if (cached) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    this.misses++;
    const facts = collect();
    this.entries.set(key, facts);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return facts;
  }
}
