import { appendFile, readFile } from 'node:fs/promises';
import { parseJson, stringifyJson } from '../../core/support/json';

// The cost ledger: one line per paid result, so totals per run, per graph and per day can be
// told at any time. Costs are as the service reported them (USD); a result whose task did not ask
// for its cost (`includeCost`) is counted apart, as paid with a cost not reported.

export interface CostEntry {
  at: number;
  day: string;
  runId: string;
  jobId: string;
  videoUUID: string;
  graph: string;
  /** Null when the task did not ask the service for its cost. */
  cost: number | null;
}

export interface CostTotals {
  total: number;
  /** Results paid for whose cost the service did not report. */
  unreported: number;
  byRun: Record<string, number>;
  byGraph: Record<string, number>;
  byDay: Record<string, number>;
  /** Results paid for on each day whose cost the service did not report. */
  unreportedByDay: Record<string, number>;
}

/** The day a cost counts for: the UTC date, as the ledger writes it. */
export const dayOf = (at: number): string => new Date(at).toISOString().slice(0, 10);

export class Ledger {
  constructor(readonly path: string) {}

  async record(entry: Omit<CostEntry, 'day'>): Promise<void> {
    const line: CostEntry = { ...entry, day: dayOf(entry.at) };
    await appendFile(this.path, stringifyJson(line, 0) + '\n');
  }

  async entries(): Promise<CostEntry[]> {
    const text = await readFile(this.path, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((l) => l.trim())
      .flatMap((l) => {
        try {
          return [parseJson(l) as unknown as CostEntry];
        } catch {
          return [];
        }
      });
  }

  async totals(): Promise<CostTotals> {
    const t: CostTotals = { total: 0, unreported: 0, byRun: {}, byGraph: {}, byDay: {}, unreportedByDay: {} };
    const seen = new Set<string>();
    for (const e of await this.entries()) {
      if (seen.has(e.videoUUID)) continue; // a result is paid once, whatever was written twice
      seen.add(e.videoUUID);
      const cost = e.cost;
      if (typeof cost !== 'number') {
        t.unreported++;
        t.unreportedByDay[e.day] = (t.unreportedByDay[e.day] ?? 0) + 1;
        continue;
      }
      const add = (m: Record<string, number>, k: string) => (m[k] = round((m[k] ?? 0) + cost));
      t.total = round(t.total + cost);
      add(t.byRun, e.runId);
      add(t.byGraph, e.graph);
      add(t.byDay, e.day);
    }
    return t;
  }
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
