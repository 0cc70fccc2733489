// Randomness for exploration: Beta draws from a given uniform source, and a seeded source, so that
// exploration is reproducible wherever the source is seeded (tests, the replay benchmark).

/** A standard normal draw (Box–Muller). */
function normal(random: () => number): number {
  const u = 1 - random(); // in (0, 1]: log(0) is not a number
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A Gamma(shape, 1) draw: Marsaglia and Tsang's method, with the usual boost for shapes below 1. */
function gamma(shape: number, random: () => number): number {
  if (shape < 1) return gamma(shape + 1, random) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  while (true) {
    const x = normal(random);
    const v = Math.pow(1 + c * x, 3);
    if (v <= 0) continue;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A Beta(alpha, beta) draw, alpha and beta > 0. */
export function sampleBeta(alpha: number, beta: number, random: () => number): number {
  const x = gamma(alpha, random);
  const y = gamma(beta, random);
  return x / (x + y);
}

/** mulberry32: a small, fast seeded uniform source in [0, 1), for reproducible runs. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
