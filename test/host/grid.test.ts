import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../app/core/contract';
import { stringifyJson } from '../../app/core/support/json';
import { serializeGraph } from '../../app/core/save';
import { exportGrid } from '../../app/host/grid-export';
import { entryFileOf, type Provenance } from '../../app/host/jobs/library';
import type { JournalEntry } from '../../app/host/jobs/types';
import { DEFAULT_FONT_DIR } from '../../app/sandbox/render-video';
import { startSandbox, type SandboxServer } from '../../app/sandbox/server';
import { GraphBuilder } from '../helpers';
import { compileOk, openRunner } from './runner-helpers';
import { harnesses, type Harness } from './service-helpers';

// Sweeps after they run: each job keeps the swept values that made it (record, journal, the editor's
// view, the library entry), a result can be starred in its library entry, and a Compare Grid is
// exported with ffmpeg into one labelled video and a contact sheet, both kept in the library.

const exec = promisify(execFile);

/** Model → Video Inference (small and short) with Values on seed and on CFG scale, and a Compare Grid. */
function sweepGraph(seeds = '1\n2', cfg = '4\n6') {
  const g = new GraphBuilder();
  const m = g.node('Model', { model: 'runware:200@8' });
  const p = g.node('Prompt', { text: 'a paper boat drifting down a rain gutter' });
  const vi = g.node('VideoInference', { width: 128, height: 64, duration: 1, fps: 16, steps: 8 });
  const seed = g.node('Values', { values: seeds });
  const scale = g.node('Values', { values: cfg });
  const grid = g.node('CompareGrid');
  g.link(m, 'model', vi, 'model');
  g.link(p, 'text', vi, 'positive');
  g.link(seed, 'values', vi, 'seed');
  g.link(scale, 'values', vi, 'CFGScale');
  g.link(vi, 'video', grid, 'video');
  g.doc.name = 'boat sweep';
  return { doc: g.doc, vi, seed, scale };
}

const probe = async (file: string) => {
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height:format=duration', '-of', 'json', file]);
  const j = JSON.parse(stdout) as { streams: { width: number; height: number }[]; format: { duration?: string } };
  return { width: j.streams[0]!.width, height: j.streams[0]!.height, duration: Number(j.format.duration ?? 0) };
};

/** A frame as grey bytes (a video's first frame, or a picture). */
async function grey(file: string): Promise<Buffer> {
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { encoding: 'buffer', maxBuffer: 64 << 20 });
  return stdout as unknown as Buffer;
}

/** Mean absolute difference of two grey frames of width w inside a box. */
function difference(a: Buffer, b: Buffer, w: number, [x0, y0, bw, bh]: [number, number, number, number]): number {
  let sum = 0;
  for (let y = y0; y < y0 + bh; y++) for (let x = x0; x < x0 + bw; x++) sum += Math.abs(a[y * w + x]! - b[y * w + x]!);
  return sum / (bw * bh);
}

describe('jobs carry the coordinates of their sweep', () => {
  let sandbox: SandboxServer;
  beforeAll(async () => {
    sandbox = await startSandbox({ generationMs: 50, ffmpegPath: 'ffmpeg' });
  });
  afterAll(() => sandbox.close());

  it('in the job record, the journal (read back by a new runner) and the library entry; one run shares a batch', async () => {
    const { doc, seed, scale } = sweepGraph();
    const tasks = compileOk(doc);
    expect(tasks).toHaveLength(4);
    const r = await openRunner(sandbox.url);
    let ids: string[];
    try {
      const jobs = await r.runner.enqueueAll(tasks.map((compiled) => ({ compiled, graph: doc, graphName: 'boat sweep' })));
      ids = jobs.map((j) => j.id);
      await r.runner.idle();
      expect(jobs.map((j) => j.coordinates)).toEqual(tasks.map((t) => t.coordinates));
      expect(jobs[3]!.coordinates).toEqual([
        { nodeId: seed, title: `Values ${seed}`, index: 1, label: '2' },
        { nodeId: scale, title: `Values ${scale}`, index: 1, label: '6' },
      ]);
      expect(new Set(jobs.map((j) => j.batch)).size).toBe(1);
      for (const id of ids) {
        const job = r.runner.get(id)!;
        expect(job.state).toBe('done');
        const entry = JSON.parse(await readFile(entryFileOf(job.results[0]!.file!), 'utf8')) as Provenance;
        expect(entry.coordinates).toEqual(job.coordinates);
      }
      // a later run is a batch of its own
      const again = await r.runner.enqueueAll([{ compiled: compileOk(doc)[0]!, graph: doc }]);
      expect(again[0]!.batch).not.toBe(jobs[0]!.batch);
      await r.runner.idle();
    } finally {
      await r.close();
    }
    const lines = (await readFile(join(r.dataDir, 'journal.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as JournalEntry);
    const written = lines.filter((e): e is Extract<JournalEntry, { type: 'job' }> => e.type === 'job' && ids.includes(e.job.id));
    expect(written.map((e) => e.job.coordinates)).toEqual(tasks.map((t) => t.coordinates));

    const reopened = await openRunner(sandbox.url, { dataDir: r.dataDir });
    try {
      expect(ids.map((id) => reopened.runner.get(id)!.coordinates)).toEqual(tasks.map((t) => t.coordinates));
    } finally {
      await reopened.close();
    }
  });

  it('a journal written before jobs had coordinates still loads: its jobs have none', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wan-old-journal-'));
    const { doc } = sweepGraph('1');
    const old = { id: '00000000-0000-4000-8000-0000000000aa', runId: 'old', endpoint: sandbox.url, createdAt: 1, graph: doc, nodeId: 3, task: { taskUUID: '00000000-0000-4000-8000-0000000000aa' }, state: 'done', results: [{ index: 0, videoUUID: 'v', seed: '1', file: '/nowhere/old.mp4' }] };
    await writeFile(join(dataDir, 'journal.jsonl'), stringifyJson({ type: 'job', job: old }, 0) + '\n');
    await appendFile(join(dataDir, 'journal.jsonl'), stringifyJson({ type: 'update', id: old.id, at: 2, patch: { finishedAt: 2 } }, 0) + '\n');
    const r = await openRunner(sandbox.url, { dataDir });
    try {
      const job = r.runner.get(old.id)!;
      expect(job).toMatchObject({ state: 'done', finishedAt: 2 });
      expect(job.coordinates).toBeUndefined();
      expect(job.batch).toBeUndefined();
    } finally {
      await r.close();
    }
  });
});

describe('the editor: coordinates in job views, favourites, grid export', () => {
  const open = harnesses();
  const runSweep = async (h: Harness, doc = sweepGraph().doc): Promise<JobView[]> => {
    const run = await h.call('jobs.run', { text: serializeGraph(doc) });
    if (!run.ok) throw new Error(JSON.stringify(run.diagnostics));
    return Promise.all(run.jobs.map(async (j) => (await h.waitFor(j.id)).job));
  };

  it('shows each job with its coordinates and batch; a plain task has none', async () => {
    const h = await open();
    const { doc, seed, scale } = sweepGraph();
    const jobs = await runSweep(h, doc);
    expect(jobs.map((j) => j.coordinates!.map((c) => `${c.nodeId}:${c.index}:${c.label}`).join(' '))).toEqual([
      `${seed}:0:1 ${scale}:0:4`,
      `${seed}:0:1 ${scale}:1:6`,
      `${seed}:1:2 ${scale}:0:4`,
      `${seed}:1:2 ${scale}:1:6`,
    ]);
    expect(new Set(jobs.map((j) => j.batch)).size).toBe(1);
    const listed = (await h.call('jobs.list', {})).jobs.filter((j) => jobs.some((x) => x.id === j.id));
    expect(listed.every((j) => j.coordinates?.length === 2)).toBe(true);

    const plain = await runSweep(h, sweepGraph('5', '4').doc); // one value each: still a sweep of one
    expect(plain[0]!.coordinates).toHaveLength(2);
    const { g } = GraphBuilder.minimal('runware:200@8', { width: 128, height: 64, duration: 1, fps: 16, steps: 8 });
    const single = await runSweep(h, g.doc);
    expect(single[0]!.coordinates).toBeUndefined();
  }, 90_000);

  it('stars a result in its library entry, lists the starred ones, and refuses files outside the library', async () => {
    const h = await open();
    const jobs = await runSweep(h);
    const files = jobs.map((j) => j.results[0]!.file!);
    await h.call('library.favourite', { path: files[2]!, favourite: true });
    expect(await h.call('library.favourites', { paths: files })).toEqual({ favourites: [files[2]] });
    const entry = JSON.parse(await readFile(entryFileOf(files[2]!), 'utf8')) as Provenance;
    expect(entry).toMatchObject({ favourite: true, format: 'wan-graph-result', coordinates: jobs[2]!.coordinates });

    // two quick clicks keep both; unstarring removes the mark, the rest of the entry stays
    await Promise.all([h.call('library.favourite', { path: files[0]!, favourite: true }), h.call('library.favourite', { path: files[1]!, favourite: true })]);
    await h.call('library.favourite', { path: files[2]!, favourite: false });
    expect((await h.call('library.favourites', { paths: files })).favourites).toEqual([files[0], files[1]]);
    const after = JSON.parse(await readFile(entryFileOf(files[2]!), 'utf8')) as Provenance;
    expect(after.favourite).toBeUndefined();
    expect(after.coordinates).toEqual(jobs[2]!.coordinates);

    const outside = join(h.dataDir, 'elsewhere.mp4');
    await writeFile(outside, 'not in the library');
    expect(await h.failure('library.favourite', { path: outside, favourite: true })).toMatchObject({ code: 'refused' });
    expect(await h.call('library.favourites', { paths: [outside] })).toEqual({ favourites: [] });
  }, 90_000);

  it('exports the grid as one labelled video and a contact sheet, both in the library with their jobs and coordinates', async () => {
    const h = await open();
    const jobs = await runSweep(h);
    const clip = await probe(jobs[0]!.results[0]!.file!);
    const input = { cells: jobs.map((j) => j.id), columns: 2, columnLabels: ['CFG scale 4', 'CFG scale 6'], rowLabels: ['Seed 1', 'Seed 2'], axes: ['CFG scale', 'Seed'] };
    const out = await h.call('grid.export', input);
    expect(out.video).toMatch(/boat-sweep-grid-[0-9a-f]{8}\.mp4$/);
    expect(out.image).toMatch(/boat-sweep-grid-[0-9a-f]{8}-sheet\.png$/);
    expect(out.video.startsWith(join(h.dataDir, 'sandbox', 'library'))).toBe(true);

    // it plays: as long as a cell, two cells wide and two high (small cells are scaled up to 240 px high)
    const video = await probe(out.video);
    const cellHeight = 240;
    const cellWidth = 2 * Math.round((clip.width * (cellHeight / clip.height)) / 2);
    expect(video).toMatchObject({ width: 2 * cellWidth, height: 2 * cellHeight });
    expect(video.duration).toBeCloseTo(clip.duration, 1);
    const sheet = await probe(out.image);
    expect(sheet).toMatchObject({ width: 2 * cellWidth, height: 2 * cellHeight });

    // the entries name each cell's job and coordinates
    for (const [file, kind] of [[out.video, 'video'], [out.image, 'contact-sheet']] as const) {
      const entry = JSON.parse(await readFile(entryFileOf(file), 'utf8')) as { format: string; kind: string; columns: number; rows: number; cells: { jobId: string; coordinates: unknown; file: string }[]; columnLabels: string[]; rowLabels: string[] };
      expect(entry).toMatchObject({ format: 'wan-graph-grid', kind, columns: 2, rows: 2, columnLabels: input.columnLabels, rowLabels: input.rowLabels });
      expect(entry.cells.map((c) => c.jobId)).toEqual(input.cells);
      expect(entry.cells.map((c) => c.coordinates)).toEqual(jobs.map((j) => j.coordinates));
    }
    // and both can be starred like any library file
    await h.call('library.favourite', { path: out.image, favourite: true });
    expect((await h.call('library.favourites', { paths: [out.video, out.image] })).favourites).toEqual([out.image]);

    // a cell without a job is an empty cell; an unknown job is refused, naming the cell
    const gap = await h.call('grid.export', { ...input, cells: [jobs[0]!.id, null, jobs[2]!.id] });
    expect(await probe(gap.video)).toMatchObject({ width: 2 * cellWidth, height: 2 * cellHeight });
    expect(await h.failure('grid.export', { ...input, cells: [jobs[0]!.id, 'no-such-job', null] })).toMatchObject({ code: 'not-found', message: 'cell 2: there is no job no-such-job' });
    expect(await h.failure('grid.export', { ...input, columnLabels: ['a', 'b', 'c'] })).toMatchObject({ code: 'bad-input' });
  }, 120_000);
});

describe('grid export with ffmpeg', () => {
  it('draws the labels: the labelled top row and left column differ from an unlabelled render there, the rest does not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wan-grid-test-'));
    const clips = await Promise.all(
      ['red', 'green', 'blue', 'yellow'].map(async (c) => {
        const file = join(dir, `${c}.mp4`);
        await exec('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `color=c=${c}:s=320x240:r=16:d=1`, '-pix_fmt', 'yuv420p', file]);
        return file;
      }),
    );
    const common = { ffmpegPath: 'ffmpeg', fontFile: join(DEFAULT_FONT_DIR, 'DejaVuSansMono-Bold.ttf'), cells: clips, columns: 2 };
    const labelled = await exportGrid({ ...common, columnLabels: ['Seed 1', 'Seed 2'], rowLabels: ['CFG 4', 'CFG 6'], outVideo: join(dir, 'l.mp4'), outImage: join(dir, 'l.png') });
    await exportGrid({ ...common, columnLabels: [], rowLabels: [], outVideo: join(dir, 'u.mp4'), outImage: join(dir, 'u.png') });
    expect(labelled).toMatchObject({ columns: 2, rows: 2, cellWidth: 320, cellHeight: 240, fps: 16, duration: 1 });
    expect((await stat(join(dir, 'l.png'))).size).toBeGreaterThan(1000);

    const W = 640;
    for (const [a, b] of [['l.mp4', 'u.mp4'], ['l.png', 'u.png']] as const) {
      const [lab, plain] = await Promise.all([grey(join(dir, a)), grey(join(dir, b))]);
      // column labels: the top strip of each top cell
      expect(difference(lab, plain, W, [100, 4, 120, 24])).toBeGreaterThan(10);
      expect(difference(lab, plain, W, [420, 4, 120, 24])).toBeGreaterThan(10);
      // row labels: the left of each left cell, half way down
      expect(difference(lab, plain, W, [6, 108, 70, 24])).toBeGreaterThan(10);
      expect(difference(lab, plain, W, [6, 348, 70, 24])).toBeGreaterThan(10);
      // no label in the middle of the bottom right cell
      expect(difference(lab, plain, W, [420, 320, 120, 60])).toBeLessThan(2);
    }
  }, 60_000);
});
