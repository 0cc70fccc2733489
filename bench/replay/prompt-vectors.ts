// Prompts as vectors, for the replay's per-request router: hashed word unigrams and bigrams and character
// trigrams of each word (the hashing trick, FNV-1a into a fixed number of dimensions), counted, optionally
// weighted by an inverse document frequency, and scaled to unit length, so that the cosine of two prompts
// is their dot product. Pure.

/** A unit-length sparse vector: dimensions in ascending order, with their values. */
export interface PromptVector {
  indices: Int32Array;
  values: Float32Array;
}

/** Hashed dimensions: enough that the n-grams of a few thousand prompts seldom collide. */
export const DIMENSIONS = 4_096;

/** FNV-1a, 32 bits, of a string's UTF-16 code units. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The n-grams a prompt is made of: words (lower case, letters and digits), word bigrams, and the
 * character trigrams of each word padded with a space on either side (so "auth" and "oauth" share some). */
export function promptGrams(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const grams: string[] = [];
  words.forEach((word, i) => {
    grams.push(`w:${word}`);
    if (i > 0) grams.push(`b:${words[i - 1]} ${word}`);
    const padded = ` ${word} `;
    for (let at = 0; at + 3 <= padded.length; at++) grams.push(`c:${padded.slice(at, at + 3)}`);
  });
  return grams;
}

/** The prompt's hashed n-gram counts, by dimension. */
export function gramCounts(text: string, dimensions = DIMENSIONS): Map<number, number> {
  const counts = new Map<number, number>();
  for (const gram of promptGrams(text)) {
    const index = fnv1a(gram) % dimensions;
    counts.set(index, (counts.get(index) ?? 0) + 1);
  }
  return counts;
}

/** The unit-length vector of the counts, each times its dimension's weight (1 unless given, e.g. an
 * inverse document frequency); all zero for a prompt with no words. */
export function promptVector(
  counts: Map<number, number>,
  weight: (index: number) => number = () => 1,
): PromptVector {
  const indices = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
  const values = Float32Array.from(indices, (index) => counts.get(index)! * weight(index));
  const norm = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0)) || 1;
  return { indices, values: values.map((value) => value / norm) };
}

/** How many of the prompts seen so far hold each dimension, as a smoothed inverse document frequency,
 * log((1 + prompts) / (1 + holding)) + 1: it damps what most prompts say (a template's words). */
export class DocumentFrequencies {
  #holding = new Map<number, number>();
  #prompts = 0;

  add(counts: Map<number, number>): void {
    this.#prompts++;
    for (const index of counts.keys()) this.#holding.set(index, (this.#holding.get(index) ?? 0) + 1);
  }

  idf = (index: number): number => Math.log((1 + this.#prompts) / (1 + (this.#holding.get(index) ?? 0))) + 1;
}

/** The cosine of two unit-length vectors: their dot product, merging the sorted dimensions. */
export function cosine(a: PromptVector, b: PromptVector): number {
  let sum = 0;
  for (let i = 0, j = 0; i < a.indices.length && j < b.indices.length;) {
    if (a.indices[i] === b.indices[j]) sum += a.values[i++] * b.values[j++];
    else if (a.indices[i] < b.indices[j]) i++;
    else j++;
  }
  return sum;
}
