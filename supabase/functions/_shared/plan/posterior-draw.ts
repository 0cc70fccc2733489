// Draws from a strategy's Beta posterior of delivered quality, for Thompson sampling. Pure: the uniform
// source comes in.

import type { Random } from "../clock.ts";

/** A standard normal draw (Box–Muller). */
function normal(random: Random): number {
  const u = 1 - random(); // in (0, 1]: the logarithm stays finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A Gamma(shape, 1) draw (Marsaglia and Tsang; shapes below 1 boosted by one and scaled back). */
function gamma(shape: number, random: Random): number {
  if (shape < 1) return gamma(shape + 1, random) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A draw from the Beta posterior with this mean (0–1) and weight in attempts. */
export function drawQuality(mean: number, evidence: number, random: Random): number {
  // Parameters stay positive: a mean of exactly 0 or 1 still leaves room to be wrong.
  const alpha = Math.max(mean * evidence, 1e-3);
  const beta = Math.max((1 - mean) * evidence, 1e-3);
  const x = gamma(alpha, random);
  return x / (x + gamma(beta, random));
}
