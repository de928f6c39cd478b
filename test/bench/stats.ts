// Summaries of timing samples, shared by the benchmarks.

const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);
/** The value below which `p` of the samples fall (nearest rank). */
export const percentile = (xs: readonly number[], p: number) => {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
};
export const median = (xs: readonly number[]) => {
  const s = sorted(xs);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
export const round = (n: number, digits = 2) => Number(n.toFixed(digits));

/** Samples per in-process measurement, after warm-up runs that are not kept. */
export const WARMUP = 5;
export const RUNS = 21;

/** What `fn` gives, and how long it took (ms). */
export function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}
