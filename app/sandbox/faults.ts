// Fault injection for tests: what share of requests fail and how. Decisions come from a seeded
// generator, so a failing test run can be repeated exactly.

export interface Faults {
  /** Added to every API request before it is answered. */
  latencyMs: number;
  /** Shares (0–1) of API requests answered with 429, with 500/503, dropped before any answer,
   *  left hanging (the client times out), or carried out with their answer lost. */
  rate429: number;
  rate5xx: number;
  dropRate: number;
  timeoutRate: number;
  lostAckRate: number;
  /** How many times each result video answers 422 ("still processing") before it is served. */
  download422: number;
  /** Share of result downloads answered 502. */
  download502Rate: number;
  /** Act like an endpoint that does not know X-Runware-Dry-Run: run the task for real. */
  ignoreDryRun: boolean;
}

export const NO_FAULTS: Faults = { latencyMs: 0, rate429: 0, rate5xx: 0, dropRate: 0, timeoutRate: 0, lostAckRate: 0, download422: 0, download502Rate: 0, ignoreDryRun: false };

export type RequestFault = 'none' | '429' | '5xx' | 'drop' | 'timeout' | 'lostAck';

/** mulberry32: small, fast, good enough to spread faults. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pickRequestFault(f: Faults, random: () => number): RequestFault {
  let r = random();
  for (const [fault, rate] of [['429', f.rate429], ['5xx', f.rate5xx], ['drop', f.dropRate], ['timeout', f.timeoutRate], ['lostAck', f.lostAckRate]] as const) {
    if (r < rate) return fault;
    r -= rate;
  }
  return 'none';
}
