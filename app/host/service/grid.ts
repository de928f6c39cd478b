import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HostFailure, type OpInput, type OpOutput } from '../../core/contract';
import { stringifyJson } from '../../core/support/json';
import { shareable } from '../../core/support/shareable';
import { writeFileAtomic } from '../file-io';
import { exportGrid } from '../grid-export';
import { entryFileOf, gridPlace } from '../jobs/library';
import type { JobRecord } from '../jobs/types';
import type { ListedJob } from './targets';

// A Compare Grid exported into the library: its labelled video and contact sheet, each with an
// entry beside it saying which jobs made which cell, with their swept values.

export interface GridExportDeps {
  ffmpegPath: string | undefined;
  /** The folder of the shipped DejaVu fonts. */
  fontDir: string | undefined;
  job(id: string): ListedJob | undefined;
  /** The library a job's results are kept in (the sandbox's for sandbox jobs). */
  libraryOf(listed: ListedJob): string;
  now?: () => number;
}

const FONT = 'DejaVuSansMono-Bold.ttf';

export async function exportGridToLibrary(input: OpInput<'grid.export'>, deps: GridExportDeps): Promise<OpOutput<'grid.export'>> {
  const { cells, columns, columnLabels, rowLabels } = input;
  if (!deps.ffmpegPath) throw new HostFailure('no-ffmpeg', 'exporting a grid needs ffmpeg: install it, or set FFMPEG_PATH to it');
  if (!deps.fontDir) throw new HostFailure('no-font', "exporting a grid needs the DejaVu fonts (the dejavu-fonts-ttf package) for its labels; they were not found");
  const rows = Math.ceil(cells.length / columns);
  if (columnLabels.length > columns) throw new HostFailure('bad-input', `columnLabels: ${columnLabels.length} labels for ${columns} columns`);
  if (rowLabels.length > rows) throw new HostFailure('bad-input', `rowLabels: ${rowLabels.length} labels for ${rows} rows`);
  const found = cells.map((id, k) => {
    if (id === null) return undefined;
    const listed = deps.job(id);
    if (!listed) throw new HostFailure('not-found', `cell ${k + 1}: there is no job ${id}`);
    const file = listed.job.results.find((r) => r.file)?.file;
    if (!file) throw new HostFailure('bad-input', `cell ${k + 1}: job ${id} has no video in the library yet (${listed.job.state})`);
    return { listed, file };
  });
  const first = found.find((f) => f !== undefined);
  if (!first) throw new HostFailure('bad-input', 'cells: the grid has no video to export');
  const at = (deps.now ?? Date.now)();
  const base = gridPlace(deps.libraryOf(first.listed), first.listed.job.graphName, at, randomUUID());
  const video = `${base}.mp4`;
  const image = `${base}-sheet.png`;
  await mkdir(dirname(base), { recursive: true });
  const made = await exportGrid({
    ffmpegPath: deps.ffmpegPath,
    fontFile: join(deps.fontDir, FONT),
    cells: found.map((f) => f?.file),
    columns,
    columnLabels,
    rowLabels,
    outVideo: video,
    outImage: image,
  }).catch((e: unknown) => {
    throw new HostFailure('export-failed', `the grid could not be exported: ${(e as Error).message}`);
  });
  const job = (j: JobRecord) => ({ jobId: j.id, nodeId: j.nodeId, ...(j.coordinates?.length && { coordinates: j.coordinates }) });
  const entry = (kind: 'video' | 'contact-sheet') =>
    shareable({
      format: 'wan-graph-grid',
      kind,
      ...(first.listed.job.graphName && { graphName: first.listed.job.graphName }),
      ...(first.listed.job.graphFile && { graphFile: first.listed.job.graphFile }),
      createdAt: at,
      columns: made.columns,
      rows: made.rows,
      cellSize: [made.cellWidth, made.cellHeight],
      ...(kind === 'video' && { fps: made.fps, duration: made.duration }),
      ...(input.axes && { axes: input.axes }),
      columnLabels,
      rowLabels,
      cells: found.map((f) => (f ? { ...job(f.listed.job), file: f.file } : null)),
    });
  await writeFileAtomic(entryFileOf(video), stringifyJson(entry('video')));
  await writeFileAtomic(entryFileOf(image), stringifyJson(entry('contact-sheet')));
  return { video, image };
}
