import { createInterface } from 'node:readline/promises';
import { join } from 'node:path';
import { isatty } from 'node:tty';
import { estimateLine, overBudget, plural, totalText, usd, type Budgets, type RunEstimate } from '../core/run-cost';
import { estimateRun } from '../host/jobs/estimate';
import type { EnqueueInput, JobRunner } from '../host/jobs/runner';
import type { JobRecord } from '../host/jobs/types';
import { readSettings } from '../host/service/settings-store';
import { EXIT, type Io } from './io';
import { describeJob } from './progress';

// Pricing a run before paying for it: `--dry-run` prints the estimate, `--max-cost` refuses a
// run estimated above it (or of unknown cost), and the budgets in Settings ask first — on a
// terminal — for a run of more than one task on a paid endpoint; `--yes` does not ask.

export interface GuardOptions {
  dataDir: string;
  maxCost?: number;
  yes?: boolean;
  /** The run goes to the built-in sandbox, which bills nothing. */
  sandbox: boolean;
}

type Estimate = RunEstimate & { ranForReal: JobRecord[] };

const estimate = async (runner: JobRunner, inputs: readonly EnqueueInput[], sandbox: boolean): Promise<Estimate> => ({ ...(await estimateRun(runner, inputs)), sandbox });

/** The estimate as a table: one row per payload shape, then what is free, the total and today's spend. */
function writeTable(e: Estimate, io: Io) {
  const cells = e.shapes.map((s) => [String(s.tasks), s.unitCost === undefined ? 'unknown' : usd(s.unitCost), s.unitCost === undefined ? 'unknown' : usd(s.unitCost * s.tasks), `${s.label} (node${s.nodeIds.length === 1 ? '' : 's'} ${s.nodeIds.map((n) => `#${n}`).join(', ')})${s.note ? ` — ${s.note}` : ''}`]);
  const rows = [['tasks', 'unit cost', 'subtotal', 'shape'], ...cells];
  const width = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) io.stdout.write(`${r.slice(0, 3).map((cell, c) => cell.padStart(width[c]!)).join('  ')}  ${r[3]}\n`);
  io.stdout.write(`${plural(e.reused, 'reused result')} (same payload and explicit seed), free\n`);
  io.stdout.write(`total for ${plural(e.tasks, 'task')}: ${totalText(e)}${e.sandbox ? ' at sandbox prices (nothing billed)' : ''}\n`);
  io.stdout.write(`spent today (${e.today.day}, UTC): ${usd(e.today.spent)}${e.today.unreported ? ` and ${plural(e.today.unreported, 'result')} whose cost was not reported` : ''}${e.sandbox ? ' on the sandbox (simulated)' : ''}\n`);
}

async function writeRanForReal(runner: JobRunner, e: Estimate, io: Io) {
  for (const job of e.ranForReal) io.stdout.write(`ran for real (the endpoint ignored the dry run): ${describeJob(runner.get(job.id) ?? job)}\n`);
}

/** `--dry-run`: prints the estimate; exit 0 when the whole cost is known. */
export async function dryRun(runner: JobRunner, inputs: readonly EnqueueInput[], sandbox: boolean, io: Io): Promise<number> {
  const e = await estimate(runner, inputs, sandbox);
  writeTable(e, io);
  await writeRanForReal(runner, e, io);
  return e.total !== undefined ? EXIT.ok : EXIT.invalid;
}

async function askOnTerminal(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

/**
 * Before a run: undefined to go ahead, or the exit code of a refusal (said in one line on
 * stderr). Prices the run only when a limit applies: `--max-cost`, or the budgets in Settings for
 * a run of more than one task on a paid endpoint without `--yes`.
 */
export async function costGuard(runner: JobRunner, inputs: readonly EnqueueInput[], opts: GuardOptions, io: Io): Promise<number | undefined> {
  let budgets: Budgets;
  if (opts.maxCost !== undefined) budgets = { perRun: opts.maxCost };
  else {
    if (opts.yes || opts.sandbox || inputs.length <= 1) return undefined;
    const settings = await readSettings(join(opts.dataDir, 'settings.json'));
    budgets = { perRun: settings?.budgetPerRun, perDay: settings?.budgetPerDay };
    if (budgets.perRun === undefined && budgets.perDay === undefined) return undefined;
  }
  const e = await estimate(runner, inputs, opts.sandbox);
  await writeRanForReal(runner, e, io);
  const over = overBudget(e, budgets);
  if (!over.length) {
    io.stdout.write(`${estimateLine(e)}\n`);
    return undefined;
  }
  if (opts.maxCost !== undefined) {
    const why = e.total === undefined ? `its cost is ${totalText(e)}, and --max-cost needs a known estimate` : `estimated ${usd(e.total)}, above --max-cost ${usd(opts.maxCost)}`;
    io.stderr.write(`wan-graph: not run: ${plural(e.tasks, 'task')}, ${why}\n`);
    return EXIT.usage;
  }
  const inSettings = `(budgets in Settings)`;
  if (!(io.stdin?.isTTY ?? isatty(0))) {
    io.stderr.write(`wan-graph: not run: ${estimateLine(e)}: ${over.join('; ')} ${inSettings}; pass --yes to run it anyway, or --max-cost USD to set this run's limit\n`);
    return EXIT.usage;
  }
  writeTable(e, io);
  io.stderr.write(`Above your budget: ${over.join('; ')} ${inSettings}.\n`);
  const answer = await (io.ask ?? askOnTerminal)(`Run ${plural(e.tasks, 'task')} for ${totalText(e)}? [y/N] `);
  if (/^\s*y(es)?\s*$/i.test(answer)) return undefined;
  io.stderr.write('wan-graph: not run\n');
  return EXIT.usage;
}
