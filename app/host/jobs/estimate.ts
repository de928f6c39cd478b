import { randomUUID } from 'node:crypto';
import { stringifyJson } from '../../core/support/json';
import { fillPlaceholders, placeholdersIn } from '../../core/plan';
import { roundUsd, type RunEstimate, type ShapeEstimate } from '../../core/run-cost';
import { dayOf } from './ledger';
import type { EnqueueInput, JobRunner } from './runner';
import type { JobRecord } from './types';
import { standInFrame } from './stand-in-frame';

// What a run would cost, asked before it is paid for: one place for the command line and the
// editor. Tasks are grouped by payload shape and one task of each shape is dry-run
// (X-Runware-Dry-Run), so a run of 1,000 tasks in 3 shapes costs 3 requests. Tasks whose result
// would be reused (the runner's own rule: the same payload with an explicit seed) are free.
// See docs/decisions/007-frame-images-and-cost.md.

/**
 * Fields that do not change a task's price: its id, its seed and its prompts. Every other field
 * (model, size, length, fps, steps, number of results, frame images, accelerators…) may.
 */
const PRICE_NEUTRAL = ['taskUUID', 'seed', 'positivePrompt', 'negativePrompt'] as const;

/** Tasks of one shape cost the same. */
export function shapeKey(task: Record<string, unknown>): string {
  const rest = { ...task };
  for (const k of PRICE_NEUTRAL) delete rest[k];
  return stringifyJson(rest, 0);
}

function shapeLabel(task: Record<string, unknown>): string {
  const n = typeof task.numberResults === 'number' ? task.numberResults : 1;
  const size = task.width !== undefined && task.height !== undefined ? `${String(task.width)}×${String(task.height)}` : task.resolution;
  const parts = [task.model, size, task.duration !== undefined && `${String(task.duration)} s`, task.fps !== undefined && `${String(task.fps)} fps`, task.steps !== undefined && `${String(task.steps)} steps`, n > 1 && `${n} results`];
  return parts.filter((p) => p !== undefined && p !== false && p !== '').map(String).join(', ');
}

const IN_LABEL = new Set(['model', 'width', 'height', 'resolution', 'duration', 'fps', 'steps', 'numberResults', ...PRICE_NEUTRAL]);

/** For each shape, the other values in which shapes differ ("CFGScale 1.5", "lora.0.weight 0.5"), so no two rows read the same. */
function tellApart(tasks: readonly Record<string, unknown>[]): string[] {
  const leaves = tasks.map((t) => leavesOf(t));
  const paths = new Set(leaves.flatMap((l) => [...l.keys()]).filter((p) => !IN_LABEL.has(p.split('.')[0]!)));
  const differing = [...paths].filter((p) => new Set(leaves.map((l) => l.get(p) ?? '—')).size > 1);
  return leaves.map((l) => differing.map((p) => `${p} ${(l.get(p) ?? '—').slice(0, 40)}`).join(', '));
}

/** A payload's values by path ("lora.0.weight"), each as its JSON text. */
function leavesOf(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) leavesOf(v, path ? `${path}.${k}` : k, out);
  else out.set(path, stringifyJson(value ?? null, 0));
  return out;
}

/** What the runner found when pricing one shape. */
interface Priced {
  unitCost?: number;
  note?: string;
  /** The endpoint ignored the dry run and ran the task: it is a real job now. */
  ranForReal?: JobRecord;
}

/** Dry runs asked at once, once the endpoint has shown that it honours them. */
const AT_ONCE = 4;

export interface RunEstimateOf extends Omit<RunEstimate, 'sandbox'> {
  /** Dry runs the endpoint ran for real (kept like any job), settled. */
  ranForReal: JobRecord[];
}

/**
 * Prices a run of `inputs` on this runner's endpoint. Nothing of the run is sent: each shape's
 * dry run is a copy of one of its tasks under a new taskUUID. An endpoint that ignores dry runs
 * runs that copy for real; it is kept as any job, the shape is priced from its reported cost, and
 * no other shape is asked (each would run too) — now or later, as the journal remembers it.
 */
export async function estimateRun(runner: JobRunner, asked: readonly EnqueueInput[], now: () => number = Date.now): Promise<RunEstimateOf> {
  const inputs = asked.map(withStandIns);
  const shapes = new Map<string, { row: ShapeEstimate; input: EnqueueInput }>();
  const group = async () => {
    shapes.clear();
    // a chain's task with a frame still to take is never reused: its payload is not known yet
    const free = (await runner.wouldReuse(inputs)).map((f, i) => f && inputs[i] === asked[i]);
    inputs.forEach((input, i) => {
      const key = shapeKey(input.compiled.task);
      const shape = shapes.get(key) ?? { row: { label: shapeLabel(input.compiled.task), nodeIds: [], tasks: 0 }, input };
      shapes.set(key, shape);
      if (!shape.row.nodeIds.includes(input.compiled.nodeId)) shape.row.nodeIds.push(input.compiled.nodeId);
      if (!free[i]) shape.row.tasks++;
    });
    return free.filter(Boolean).length;
  };
  let reused = await group();
  const toPrice = [...shapes.values()].filter((s) => s.row.tasks > 0);
  const priced = new Map<EnqueueInput, Priced>();
  let ignored = ignoresDryRuns(runner);
  const price = async (input: EnqueueInput) => {
    const p: Priced = ignored ? { note: 'this endpoint ignores dry runs (it ran one for real before): not asked' } : await priceOne(runner, input);
    if (p.ranForReal) ignored = true;
    priced.set(input, p);
  };
  // the first alone: an endpoint that ignores dry runs runs it, and is asked nothing more
  if (toPrice.length) await price(toPrice[0]!.input);
  for (let i = 1; i < toPrice.length; i += AT_ONCE) await Promise.all(toPrice.slice(i, i + AT_ONCE).map((s) => price(s.input)));
  const ranForReal = [...priced.values()].flatMap((p) => (p.ranForReal ? [p.ranForReal] : []));
  // a task run for real with an explicit seed is one a run of the same payload reuses
  if (ranForReal.length) reused = await group();

  const told = tellApart([...shapes.values()].map((s) => s.input.compiled.task));
  const rows = [...shapes.values()].map(({ row, input }, i) => {
    const p = priced.get(input);
    const label = told[i] ? `${row.label}, ${told[i]}` : row.label;
    return { ...row, label, ...(p?.unitCost !== undefined && { unitCost: p.unitCost }), ...(p?.note !== undefined && { note: p.note }) };
  });
  const paid = rows.filter((r) => r.tasks > 0);
  const known = roundUsd(paid.reduce((sum, r) => sum + (r.unitCost ?? 0) * r.tasks, 0));
  const totals = await runner.ledger.totals();
  const day = dayOf(now());
  return {
    tasks: inputs.length,
    reused,
    // a shape whose every task is reused costs nothing and needs no row
    shapes: paid,
    known,
    ...(paid.every((r) => r.unitCost !== undefined) && { total: known }),
    today: { day, spent: totals.byDay[day] ?? 0, unreported: totals.unreportedByDay[day] ?? 0 },
    ranForReal,
  };
}

/**
 * A chain's task, priced before its frame is taken: a grey frame of its size stands in (the price
 * depends on there being a frame, not on what it shows). Such a task is never counted as reused:
 * its payload is known only once the frame is.
 */
function withStandIns(input: EnqueueInput): EnqueueInput {
  const task = input.compiled.task;
  if (!placeholdersIn(task).length) return input;
  const size = (v: unknown, fallback: number) => (typeof v === 'number' && v > 0 ? v : fallback);
  const frame = standInFrame(size(task.width, 832), size(task.height, 480));
  return { ...input, compiled: { ...input.compiled, task: fillPlaceholders(task, () => frame), needs: [] } };
}

/** The journal holds a dry run this endpoint ran for real. */
function ignoresDryRuns(runner: JobRunner): boolean {
  const here = runner.opts.client.baseUrl;
  return runner.jobs().some((j) => j.dryRun && j.endpoint === here && j.estimate?.available === false && j.submittedAt !== undefined);
}

async function priceOne(runner: JobRunner, input: EnqueueInput): Promise<Priced> {
  const copy: EnqueueInput = { ...input, compiled: { ...input.compiled, task: { ...input.compiled.task, taskUUID: randomUUID() } } };
  let job: JobRecord;
  try {
    job = await runner.estimate(copy);
  } catch (e) {
    return { note: `not priced: ${(e as Error).message}` };
  }
  if (job.state === 'estimated') return job.estimate?.available && job.estimate.cost !== undefined ? { unitCost: job.estimate.cost } : { note: 'the endpoint gave no cost' };
  if (job.state === 'failed') return { note: `the endpoint refused it: ${job.error?.message ?? 'no reason given'}` };
  // the endpoint ignored the dry run and is running the task: its result, when in, says the price
  const ran = (await runner.settled(job.id)) ?? job;
  const made = ran.results.filter((r) => !r.error);
  const said = 'the endpoint ignored the dry run and ran one task (its result is kept)';
  if (made.length && made.every((r) => r.cost !== undefined)) {
    // the dry run's price is per task; a task of n results reports n costs
    const each = made.reduce((s, r) => s + r.cost!, 0) / made.length;
    const n = typeof ran.payload?.numberResults === 'number' ? ran.payload.numberResults : 1;
    return { unitCost: roundUsd(each * n), note: `${said}; priced from its reported cost`, ranForReal: ran };
  }
  return { note: made.length ? `${said}; its cost was not reported (no Include cost)` : `${said}; it gave no result to price it by`, ranForReal: ran };
}
