import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../app/core/compile';
import { PlanRunner } from '../../app/host/jobs/plan-runner';
import { startSandbox, type SandboxServer } from '../../app/sandbox/server';
import { registry } from '../../nodes';
import { GraphBuilder } from '../helpers';
import { openRunner } from './runner-helpers';

// A chain run end to end against the sandbox: each shot after the last frame of the one before,
// the frames taken and the clips joined here, every task sent once, and what follows a failure
// never sent.

const hasFfmpeg = (() => {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let sandbox: SandboxServer;
beforeAll(async () => {
  if (hasFfmpeg) sandbox = await startSandbox({ generationMs: 100, ffmpegPath: 'ffmpeg' });
});
afterAll(() => sandbox?.close());

/** Small shots in a row, joined with a cross-fade; `first` replaces shot 1 by a video file. */
function chainGraph(shots: number, opts: { crossfade?: number; first?: string } = {}) {
  const g = new GraphBuilder();
  g.doc.name = 'chain test';
  const m = g.node('Model', { model: 'runware:200@8' });
  const vis: number[] = [];
  let previous: number | undefined;
  let seq: number | undefined;
  if (opts.first) {
    previous = g.node('LoadVideo', { file: opts.first });
    seq = g.node('Sequence', {});
    g.link(previous, 'video', seq, 'video');
  }
  for (let k = 0; k < shots; k++) {
    const p = g.node('Prompt', { text: `shot ${k + 1}: a paper boat drifts down a gutter` });
    const vi = g.node('VideoInference', { width: 128, height: 64, duration: 1, fps: 16, steps: 8, seed: 500 + k });
    g.link(m, 'model', vi, 'model');
    g.link(p, 'text', vi, 'positive');
    if (previous !== undefined) {
      const f = g.node('FrameFromVideo', { take: 'last', frame: 'first' });
      g.link(previous, 'video', f, 'video');
      g.link(f, 'frames', vi, 'frames');
    }
    const s = g.node('Sequence', { crossfade: opts.crossfade ?? 0 });
    if (seq !== undefined) g.link(seq, 'parts', s, 'parts');
    g.link(vi, 'video', s, 'video');
    seq = s;
    previous = vi;
    vis.push(vi);
  }
  const r = compileGraph(g.doc, registry, { uuid: randomUUID });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return { doc: g.doc, compiled: r, vis };
}

const frameCount = (file: string) => Number(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]).toString().trim());

describe.skipIf(!hasFfmpeg)('a plan of dependent steps (needs ffmpeg)', () => {
  it('runs a three-shot chain: every task once, each after the last frame of the one before, joined into one clip', async () => {
    const { doc, compiled } = chainGraph(3, { crossfade: 4 });
    const r = await openRunner(sandbox.url);
    try {
      const plans = await PlanRunner.open({ runner: r.runner, dataDir: r.dataDir, ffmpeg: 'ffmpeg' });
      const plan = await plans.start(randomUUID(), { compiled, graph: doc, graphName: 'chain test' });
      const states = await plans.settled(plan.id);
      expect([...states.values()].map((s) => s.state)).toEqual(Array(6).fill('done'));
      // each task reached the service once, shots 2 and 3 with the frame taken from the one before
      for (const t of compiled.tasks) expect(sandbox.service.submissions.get(t.task.taskUUID as string)).toBe(1);
      const frames = compiled.steps.filter((s) => s.kind === 'frame');
      for (const f of frames) expect((await stat(states.get(f.id)!.output!)).size).toBeGreaterThan(100);
      const second = r.runner.get(compiled.tasks[1]!.task.taskUUID as string)!;
      expect(JSON.stringify(second.payload)).not.toContain('$step');
      // 3 clips of 16 frames, two cross-fades of 4
      const film = states.get(compiled.steps.find((s) => s.kind === 'join')!.id)!.output!;
      expect(frameCount(film)).toBe(3 * 16 - 2 * 4);
      const entry = JSON.parse(await readFile(film.replace(/\.mp4$/, '.json'), 'utf8')) as { format: string; parts: string[] };
      expect(entry.format).toBe('wan-graph-sequence');
      expect(entry.parts).toEqual(compiled.tasks.map((t) => r.runner.get(t.task.taskUUID as string)!.results[0]!.file));
    } finally {
      await r.close();
    }
  }, 120_000);

  it('sends nothing that waits for a failed step, and says which node blocked it', async () => {
    const { doc, compiled, vis } = chainGraph(2, { first: '/nowhere/opening.mp4' });
    const r = await openRunner(sandbox.url);
    try {
      const plans = await PlanRunner.open({ runner: r.runner, dataDir: r.dataDir, ffmpeg: 'ffmpeg' });
      const plan = await plans.start(randomUUID(), { compiled, graph: doc });
      const states = await plans.settled(plan.id);
      const frameOfFile = compiled.steps.find((s) => s.kind === 'frame' && 'file' in s.video)!;
      expect(states.get(frameOfFile.id)).toMatchObject({ state: 'failed', reason: expect.stringContaining('/nowhere/opening.mp4') });
      for (const t of compiled.tasks) {
        expect(states.get(t.step)).toMatchObject({ state: 'blocked', reason: expect.stringMatching(/^blocked by node \d+: /) });
        expect(sandbox.service.submissions.get(t.task.taskUUID as string)).toBeUndefined();
      }
      expect(states.get(`task:${vis[1]}`)!.reason).toContain(`blocked by node ${frameOfFile.nodeId}`);
    } finally {
      await r.close();
    }
  }, 60_000);

  it('started again after it stopped, goes on from where it was and sends nothing twice', async () => {
    const { doc, compiled } = chainGraph(2);
    const first = await openRunner(sandbox.url);
    const id = randomUUID();
    const plans = await PlanRunner.open({ runner: first.runner, dataDir: first.dataDir, ffmpeg: 'ffmpeg' });
    await plans.start(id, { compiled, graph: doc });
    // stopped once shot 1 is done, before or while its frame is taken or shot 2 runs
    await expect.poll(() => plans.states(id).get(compiled.tasks[0]!.step)?.state, { timeout: 60_000 }).toBe('done');
    plans.close();
    await first.close();

    const again = await openRunner(sandbox.url, { dataDir: first.dataDir });
    try {
      await again.runner.resume();
      const resumed = await PlanRunner.open({ runner: again.runner, dataDir: again.dataDir, ffmpeg: 'ffmpeg' });
      expect(resumed.resume().map((p) => p.id)).toEqual([id]);
      const states = await resumed.settled(id);
      expect([...states.values()].map((s) => s.state)).toEqual(Array(4).fill('done'));
      for (const t of compiled.tasks) expect(sandbox.service.submissions.get(t.task.taskUUID as string)).toBe(1);
    } finally {
      await again.close();
    }
  }, 120_000);
});
