import { z } from 'zod';

// What a run would cost, before it is paid for: the host's estimate (host/jobs/estimate.ts), the
// budgets the artist set, and how both are said. The command line and the editor read the same
// estimate and apply the same budget rule. An unknown cost is said as "unknown", never as $0.

/** Tasks of one payload shape (the payload without the fields that do not change the price). */
export const ShapeEstimate = z.object({
  /** Its model, size, length… in words. */
  label: z.string(),
  /** The task nodes its tasks come from. */
  nodeIds: z.array(z.number()),
  /** Tasks of this shape the run pays for (reused ones are not counted). */
  tasks: z.number().int().min(0),
  /** What one of them costs (USD); absent when it is not known. */
  unitCost: z.number().optional(),
  /** Why the cost is unknown, or where it came from when not from a dry run. */
  note: z.string().optional(),
});
export type ShapeEstimate = z.infer<typeof ShapeEstimate>;

export const RunEstimate = z.object({
  /** Every task of the run. */
  tasks: z.number().int().min(0),
  /** Tasks whose result is reused (the same payload with an explicit seed): free. */
  reused: z.number().int().min(0),
  shapes: z.array(ShapeEstimate),
  /** The sum over the shapes whose cost is known. */
  known: z.number(),
  /** The whole run; absent when the cost of any shape is unknown. */
  total: z.number().optional(),
  /** Spent today (UTC, as the ledger counts days) at this endpoint, and results paid today whose cost was not reported. */
  today: z.object({ day: z.string(), spent: z.number(), unreported: z.number().int().min(0) }),
  /** Priced by the local sandbox: nothing is billed. */
  sandbox: z.boolean(),
});
export type RunEstimate = z.infer<typeof RunEstimate>;

/** USD, non-negative; absent means no limit. */
export const BudgetUsd = z.number().min(0, 'a budget is an amount in USD, 0 or more (leave it empty for no limit)').max(1_000_000, 'a budget is at most $1,000,000');

export interface Budgets {
  perRun?: number | undefined;
  perDay?: number | undefined;
}

export const usd = (n: number): string => `$${n.toFixed(4)}`;

/** Sums of costs, to a millionth of a dollar as the ledger keeps them (0.1 + 0.2 is 0.3 here). */
export const roundUsd = (n: number): number => Math.round(n * 1e6) / 1e6;

/** Tasks whose cost is not known. */
const unknownTasks = (e: RunEstimate): number => e.shapes.filter((s) => s.unitCost === undefined).reduce((n, s) => n + s.tasks, 0);

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The run's total in words: a figure, or "unknown" with the part that is known. */
export function totalText(e: RunEstimate): string {
  if (e.total !== undefined) return usd(e.total);
  const missing = unknownTasks(e);
  return `unknown (${e.known > 0 ? `${usd(e.known)} known, ` : ''}${plural(missing, 'task')} of unknown cost)`;
}

/** The run in one line: how many tasks, how many reused for free, and the total. */
export function estimateLine(e: RunEstimate): string {
  const reused = e.reused ? ` (${e.reused} reused, free)` : '';
  return `${plural(e.tasks, 'task')}${reused}, estimated ${totalText(e)}${e.sandbox ? ' at sandbox prices (nothing billed)' : ''}`;
}

/**
 * Why the run goes beyond the budgets, one reason each; none when it stays within them. An
 * unknown cost is beyond any budget that is set: it cannot be shown to stay within it.
 */
export function overBudget(e: RunEstimate, budgets: Budgets): string[] {
  const reasons: string[] = [];
  const { perRun, perDay } = budgets;
  if (perRun !== undefined) {
    if (e.total === undefined) reasons.push(`the cost is unknown, and the budget per run is ${usd(perRun)}`);
    else if (e.total > perRun) reasons.push(`${usd(e.total)} is above the budget per run of ${usd(perRun)}`);
  }
  if (perDay !== undefined) {
    if (e.total === undefined) reasons.push(`the cost is unknown, and the budget per day is ${usd(perDay)} (${usd(e.today.spent)} spent today)`);
    else if (roundUsd(e.today.spent + e.total) > perDay) reasons.push(`${usd(e.today.spent)} spent today and ${usd(e.total)} more is above the budget per day of ${usd(perDay)}`);
  }
  return reasons;
}
