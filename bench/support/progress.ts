// What a benchmark is doing while it does it, on stderr (stdout keeps the figures and the JSON line), with
// the seconds since it began.

const began = performance.now();

export function progress(line: string): void {
  console.error(`[${((performance.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}`);
}
