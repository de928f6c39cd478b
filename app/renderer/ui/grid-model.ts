import type { CoordinateView, JobView } from '../../core/contract';
import type { GraphDocument } from '../../core/document';
import type { Registry } from '../../core/node-def';

// What a Compare Grid shows, without any view: the jobs of the latest run of its task node laid
// out by their coordinates. The first sweep runs along the columns, the second down the rows; each
// further one is a choice of which of its items the grid shows (a slice).

interface AxisValue {
  index: number;
  label: string;
}

export interface GridAxis {
  nodeId: number;
  title: string;
  values: AxisValue[];
}

export interface GridModel {
  axes: GridAxis[];
  /** The job of each combination, by its items' indices joined with ','. */
  cells: Map<string, JobView>;
}

export interface GridSlice {
  columns: AxisValue[];
  rows: AxisValue[];
  /** Row by row; undefined where the run has no job for a combination. */
  cells: (JobView | undefined)[];
}

const cellKey = (indices: readonly number[]): string => indices.join(',');

const sameSweeps = (a: readonly CoordinateView[] | undefined, b: readonly CoordinateView[] | undefined) =>
  (a?.length ?? 0) === (b?.length ?? 0) && (a ?? []).every((c, k) => c.nodeId === b![k]!.nodeId);

/** The jobs of a task node's latest run: those queued with the newest one (a job from before runs had batches is a run of its own). */
export function latestRun(jobs: readonly JobView[]): JobView[] {
  const newest = jobs.reduce<JobView | undefined>((a, j) => (!a || j.createdAt > a.createdAt ? j : a), undefined);
  if (!newest) return [];
  if (newest.batch === undefined) return [newest];
  return jobs.filter((j) => j.batch === newest.batch && sameSweeps(j.coordinates, newest.coordinates));
}

/** The axes (each with the items the run has, in their order) and the job of each combination. */
export function gridModel(run: readonly JobView[]): GridModel {
  const first = run[0]?.coordinates ?? [];
  const axes: GridAxis[] = first.map((c) => ({ nodeId: c.nodeId, title: c.title, values: [] }));
  const cells = new Map<string, JobView>();
  for (const job of run) {
    const coords = job.coordinates ?? [];
    coords.forEach((c, k) => {
      const axis = axes[k]!;
      if (!axis.values.some((v) => v.index === c.index)) axis.values.push({ index: c.index, label: c.label });
    });
    const key = cellKey(coords.map((c) => c.index));
    const had = cells.get(key);
    if (!had || job.createdAt > had.createdAt) cells.set(key, job);
  }
  for (const axis of axes) axis.values.sort((a, b) => a.index - b.index);
  return { axes, cells };
}

/** The cells shown for the items chosen on the axes beyond the second (`fixed[k]` for axis k + 2). */
export function sliceOf(model: GridModel, fixed: readonly number[] = []): GridSlice {
  const [x, y, ...rest] = model.axes;
  const columns = x?.values ?? [{ index: -1, label: '' }];
  const rows = y?.values ?? [{ index: -1, label: '' }];
  const tail = rest.map((axis, k) => fixed[k] ?? axis.values[0]?.index ?? 0);
  const cells: (JobView | undefined)[] = [];
  for (const r of rows) for (const c of columns) cells.push(model.cells.get(cellKey([...(x ? [c.index] : []), ...(y ? [r.index] : []), ...tail])));
  return { columns: x ? columns : [], rows: y ? rows : [], cells };
}

/**
 * What an axis is called: the sweep node's title where the artist named it, else what it feeds
 * ("Seed", "CFG scale & Steps", "Positive prompt"); undefined once the graph no longer has the
 * list feeding anything (its values were used), so a view keeps the name it had.
 */
export function axisName(doc: GraphDocument, registry: Registry, axis: { nodeId: number }): string | undefined {
  const node = doc.nodes.find((n) => n.id === axis.nodeId);
  const def = node && registry.get(node.type);
  if (!node || !def) return undefined;
  if (node.title && node.title !== def.title) return node.title;
  const names: string[] = [];
  for (const l of doc.links) {
    if (l.from.node !== node.id) continue;
    const target = doc.nodes.find((n) => n.id === l.to.node);
    const tdef = target && registry.get(target.type);
    const label = tdef?.inputs[l.to.port]?.label ?? tdef?.params[l.to.port]?.label;
    if (label && !names.includes(label)) names.push(label);
  }
  return names.length ? names.join(' & ') : undefined;
}

/** A label as one line, cut to `max` characters with "…" (the full text goes in a tooltip). */
export function shortLabel(text: string, max = 48): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(one);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : one;
}
