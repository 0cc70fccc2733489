// How figures read on the page.

/** Model calls cost fractions of a cent: six decimals, as the API reports them. */
export const money = (usd: number) => `$${usd.toFixed(6)}`;

export const duration = (ms: number) => ms < 1_000 ? `${ms} ms` : `${(ms / 1_000).toFixed(1)} s`;

export const percent = (value: number) => `${Math.round(value * 10) / 10}%`;

/** A 0–100 score, or a dash where there is none (a failed attempt). */
export const score = (value: number | null) =>
  value === null ? "–" : (Math.round(value * 10) / 10).toString();
