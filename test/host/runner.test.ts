import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGraph } from '../../app/core/load';
import { serializeGraph } from '../../app/core/save';
import { graphFromVideo, type Provenance } from '../../app/host/jobs/library';
import { startSandbox, type SandboxServer } from '../../app/sandbox/server';
import { registry } from '../../nodes';
import { GraphBuilder } from '../helpers';
import { compileOk, openRunner, smallGraph } from './runner-helpers';

let sandbox: SandboxServer;
beforeAll(async () => {
  sandbox = await startSandbox({ generationMs: 150, ffmpegPath: 'ffmpeg' });
});
afterAll(() => sandbox.close());

describe('job runner', () => {
  it('runs a task to videos in the library, with provenance, cost ledger and the graph inside the video', async () => {
    const { doc } = smallGraph(1, { numberResults: 2 }, undefined, { includeCost: true });
    const [compiled] = compileOk(doc);
    const r = await openRunner(sandbox.url);
    try {
      const job = await r.runner.enqueue({ compiled: compiled!, graph: doc, graphName: 'paper boat' });
      await r.runner.idle();
      const done = r.runner.get(job.id)!;
      expect(done.state).toBe('done');
      expect(r.events.map((e) => e.state).filter((s, i, a) => s !== a[i - 1])).toEqual(['queued', 'uploading', 'submitting', 'processing', 'downloading', 'done']);
      expect(done.results).toHaveLength(2);
      expect(new Set(done.results.map((x) => x.seed)).size).toBe(2);
      for (const result of done.results) {
        expect((await stat(result.file!)).size).toBeGreaterThan(1000);
        const provenance = JSON.parse(await readFile(result.file!.replace(/\.mp4$/, '.json'), 'utf8')) as Provenance;
        expect(provenance).toMatchObject({ taskUUID: job.id, seed: result.seed, cost: result.cost, embedded: true, payload: compiled!.task });
        const restored = await graphFromVideo('ffmpeg', result.file!);
        const reloaded = loadGraph(JSON.stringify(restored!.graph), registry);
        expect(reloaded.ok && serializeGraph(reloaded.doc)).toBe(serializeGraph(doc));
      }
      const totals = await r.runner.ledger.totals();
      const paid = done.results.reduce((s, x) => s + x.cost!, 0);
      expect(totals.total).toBeCloseTo(paid, 6);
      expect(totals.byRun[r.runner.runId]).toBeCloseTo(paid, 6);
      expect(totals.byGraph['paper boat']).toBeCloseTo(paid, 6);
    } finally {
      await r.close();
    }
  });

  it('lets a reader see each downloaded video while it is stored; the result is saved once the reader is done, not before', async () => {
    const { doc } = smallGraph(1, { numberResults: 2 });
    const [compiled] = compileOk(doc);
    const r = await openRunner(sandbox.url);
    const seen: Array<{ index: number; frames: number; state: string }> = [];
    let finish = () => {};
    const held = new Promise<void>((resolve) => (finish = resolve));
    const stop = r.runner.readDownloads((job, index, file) => {
      // read at once: the whole video is there, and the job is not done
      const frames = execFileSync('ffprobe', ['-v', 'error', '-count_packets', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', file]).toString().trim();
      seen.push({ index, frames: Number(frames), state: r.runner.get(job.id)!.state });
      return index === 0 ? held.then(async () => expect((await stat(file)).size).toBeGreaterThan(1000)) : undefined;
    });
    try {
      const job = await r.runner.enqueue({ compiled: compiled!, graph: doc });
      // held by the reader: the first result is not yet saved, its download still there
      while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(r.runner.get(job.id)!.state).toBe('downloading');
      expect(r.runner.get(job.id)!.results[0]!.file).toBeUndefined();
      finish();
      await r.runner.idle();
      const done = r.runner.get(job.id)!;
      expect(done.state).toBe('done');
      expect(seen).toEqual([
        { index: 0, frames: 16, state: 'downloading' },
        { index: 1, frames: 16, state: 'downloading' },
      ]);
      for (const result of done.results) expect((await stat(result.file!)).size).toBeGreaterThan(1000);
      // the downloads are gone, the videos stored with their graph
      expect((await readdir(join(r.dataDir, 'library'), { recursive: true })).filter((f) => f.includes('.download'))).toEqual([]);
      expect(JSON.parse(await readFile(done.results[0]!.file!.replace(/\.mp4$/, '.json'), 'utf8'))).toMatchObject({ embedded: true });
    } finally {
      stop();
      await r.close();
    }
  });

  it('never pays twice for the same payload with an explicit seed, unless forced', async () => {
    const { doc } = smallGraph(1, { seed: 777 });
    const r = await openRunner(sandbox.url);
    try {
      const first = await r.runner.enqueue({ compiled: compileOk(doc)[0]!, graph: doc });
      await r.runner.idle();
      const again = await r.runner.enqueue({ compiled: compileOk(doc)[0]!, graph: doc });
      expect(again).toMatchObject({ state: 'done', reusedFrom: first.id });
      expect(again.results[0]!.file).toBe(r.runner.get(first.id)!.results[0]!.file);
      expect(sandbox.service.submissions.get(again.id)).toBeUndefined();
      const forced = await r.runner.enqueue({ compiled: compileOk(doc)[0]!, graph: doc, force: true });
      await r.runner.idle();
      expect(r.runner.get(forced.id)!.state).toBe('done');
      expect(sandbox.service.submissions.get(forced.id)).toBe(1);
    } finally {
      await r.close();
    }
  });

  it('does not reuse a stored video that was damaged since (cut short): it runs the task again', async () => {
    const { doc } = smallGraph(1, { seed: 778 });
    const r = await openRunner(sandbox.url);
    try {
      const first = await r.runner.enqueue({ compiled: compileOk(doc)[0]!, graph: doc });
      await r.runner.idle();
      const file = r.runner.get(first.id)!.results[0]!.file!;
      await truncate(file, 1000);
      const again = await r.runner.enqueue({ compiled: compileOk(doc)[0]!, graph: doc });
      await r.runner.idle();
      expect(again.reusedFrom).toBeUndefined();
      expect(r.runner.get(again.id)!.state).toBe('done');
      expect(sandbox.service.submissions.get(again.id)).toBe(1);
      // the new video, whole, is what a third run reuses
      const third = await r.runner.enqueue({ compiled: compileOk(doc)[0]!, graph: doc });
      expect(third).toMatchObject({ state: 'done', reusedFrom: again.id });
    } finally {
      await r.close();
    }
  });

  it.each([
    ['a paid endpoint', false, 'cancelled — may still be billed'],
    ['the sandbox, which never bills', true, 'cancelled — the sandbox bills nothing'],
  ])('cancel stops following and says whether the task may still be billed: %s', async (_name, free, message) => {
    const slow = await startSandbox({ generationMs: 60_000 });
    const { doc } = smallGraph(1);
    const r = await openRunner(slow.url, { free });
    try {
      const job = await r.runner.enqueue({ compiled: compileOk(doc)[0]!, graph: doc });
      for (let i = 0; i < 100 && r.runner.get(job.id)!.state !== 'processing'; i++) await new Promise((res) => setTimeout(res, 20));
      await r.runner.cancel(job.id);
      await r.runner.idle();
      expect(r.runner.get(job.id)).toMatchObject({ state: 'cancelled', error: { message } });
    } finally {
      await r.close();
      await slow.close();
    }
  });

  it('a task that outlives the overall limit is lost track of, then resumed by the next start', async () => {
    const slow = await startSandbox({ generationMs: 1500 });
    const { doc } = smallGraph(1);
    const first = await openRunner(slow.url, { overallTimeoutMs: 300 });
    try {
      const job = await first.runner.enqueue({ compiled: compileOk(doc)[0]!, graph: doc });
      await first.runner.idle();
      expect(first.runner.get(job.id)).toMatchObject({ state: 'lost', error: { code: 'lostTrack' } });
      await first.close();
      const second = await openRunner(slow.url, { dataDir: first.dataDir });
      expect((await second.runner.resume()).map((j) => j.id)).toEqual([job.id]);
      await second.runner.idle();
      expect(second.runner.get(job.id)!.state).toBe('done');
      expect(slow.service.submissions.get(job.id)).toBe(1);
      await second.close();
    } finally {
      await slow.close();
    }
  });

  it('pins an error the service returns to the node and field it came from', async () => {
    const { doc, vis } = smallGraph(1);
    const compiled = compileOk(doc)[0]!;
    const r = await openRunner(sandbox.url);
    try {
      // what the service refuses although the editor let it through (here: forced past the compiler)
      const job = await r.runner.enqueue({ compiled: { ...compiled, task: { ...compiled.task, numberResults: 9 } }, graph: doc });
      await r.runner.idle();
      expect(r.runner.get(job.id)).toMatchObject({ state: 'failed', error: { code: 'invalidNumberResults', nodeId: vis[0], field: 'numberResults' } });
    } finally {
      await r.close();
    }
  });
});

describe('frame images from local files', () => {
  const png = (source: string) => execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', source, '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', '-']);

  const withFrame = (image: string) => {
    const g = new GraphBuilder();
    const m = g.node('Model', { model: 'runware:200@8' });
    const p = g.node('Prompt', { text: 'waves on a pebble beach' });
    const f = g.node('FrameImage', { image });
    const vi = g.node('VideoInference', { width: 128, height: 64, duration: 1, fps: 16 });
    g.link(m, 'model', vi, 'model');
    g.link(p, 'text', vi, 'positive');
    g.link(f, 'frames', vi, 'frames');
    return { doc: g.doc, vi, f };
  };

  it('inlines a small image, uploads a large one once (cached by content), and passes URLs through', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wan-frames-'));
    await writeFile(join(dir, 'small.png'), png('color=c=blue:s=64x64'));
    await writeFile(join(dir, 'large.png'), png('nullsrc=s=700x700,geq=random(1)*255:128:128'));
    expect((await stat(join(dir, 'large.png'))).size).toBeGreaterThan(256 * 1024);
    const r = await openRunner(sandbox.url);
    try {
      const uploadsBefore = sandbox.service.uploads;
      const small = withFrame('small.png');
      const a = await r.runner.enqueue({ compiled: compileOk(small.doc)[0]!, graph: small.doc, graphFile: join(dir, 'g.wgraph.json') });
      const large = withFrame(join(dir, 'large.png'));
      const b = await r.runner.enqueue({ compiled: compileOk(large.doc)[0]!, graph: large.doc });
      await r.runner.idle();
      const c = await r.runner.enqueue({ compiled: compileOk(large.doc)[0]!, graph: large.doc });
      await r.runner.idle();
      const frame = (id: string) => (r.runner.get(id)!.payload!.inputs as { frameImages: { image: string }[] }).frameImages[0]!.image;
      expect(frame(a.id)).toMatch(/^data:image\/png;base64,/);
      expect(frame(b.id)).toMatch(/^[0-9a-f-]{36}$/);
      expect(frame(c.id)).toBe(frame(b.id));
      expect(sandbox.service.uploads - uploadsBefore).toBe(1);
      for (const id of [a.id, b.id, c.id]) expect(r.runner.get(id)!.state).toBe('done');
    } finally {
      await r.close();
    }
  });

  it('refuses a file that is not an image, judged by its bytes, and names the node', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wan-frames-'));
    await writeFile(join(dir, 'fake.png'), 'GIF? no: a text file with a .png name');
    const { doc, vi } = withFrame(join(dir, 'fake.png'));
    const r = await openRunner(sandbox.url);
    try {
      const job = await r.runner.enqueue({ compiled: compileOk(doc)[0]!, graph: doc });
      await r.runner.idle();
      expect(r.runner.get(job.id)).toMatchObject({ state: 'failed', error: { code: 'invalidFrameImage', nodeId: vi, field: 'frames', message: expect.stringContaining('not a PNG, JPEG, WEBP, GIF or BMP') } });
      expect(sandbox.service.submissions.get(job.id)).toBeUndefined();
    } finally {
      await r.close();
    }
  });
});

describe('cost estimates (dry run)', () => {
  it('asks the endpoint for the cost without running anything', async () => {
    const { doc } = smallGraph(1, { numberResults: 2 });
    const r = await openRunner(sandbox.url);
    try {
      const job = await r.runner.estimate({ compiled: compileOk(doc)[0]!, graph: doc });
      expect(job).toMatchObject({ state: 'estimated', estimate: { available: true, cost: expect.any(Number) } });
      expect(job.estimate!.cost).toBeGreaterThan(0);
      expect(sandbox.service.submissions.get(job.id)).toBeUndefined();
    } finally {
      await r.close();
    }
  });

  it('says "not available" when the endpoint ignores the dry run, and keeps the result it ran anyway', async () => {
    const ignoring = await startSandbox({ generationMs: 100, faults: { ignoreDryRun: true } });
    const { doc } = smallGraph(1);
    const r = await openRunner(ignoring.url);
    try {
      const job = await r.runner.estimate({ compiled: compileOk(doc)[0]!, graph: doc });
      expect(job.estimate).toEqual({ available: false });
      await r.runner.idle();
      const ran = r.runner.get(job.id)!;
      expect(ran.state).toBe('done');
      await stat(ran.results[0]!.file!);
      expect(ignoring.service.submissions.get(job.id)).toBe(1);
    } finally {
      await r.close();
      await ignoring.close();
    }
  });
});
